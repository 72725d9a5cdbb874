// First-contact complaints (投诉举报, R-SYS-3): list, CSV export, stats (R-ASM-1), register,
// detail and the steps of docs/complaints-contract.md. Thin: read the JSON body into the typed
// input (service/complaint_service.h), call ComplaintService once, render its view
// (http/views/complaint.h). Every body error names the field and R-SYS-3; unknown fields are
// refused; a body that cannot be read reaches the service as its error, reported after the
// access and state checks (a refused step answers 403/404/409 whatever its body).
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "domain/complaint.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/complaint.h"
#include "service/complaint_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;

constexpr const char* kRule = "R-SYS-3";

// The reader's error with the rule of complaints.
Status WithRule(const Status& st) {
  if (st.ok() || !st.rule().empty()) return st;
  Status out(st.code(), st.id(), st.message(), st.field(), kRule);
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

std::optional<core::Instant> Time(FieldReader& r, const char* name, Status& err) {
  auto s = r.Optional<std::string>(name);
  if (!s) return std::nullopt;
  auto t = core::ParseInstant(*s);
  if (!t && err.ok()) {
    err = Status::Invalid(name, std::string(name) + " 应为 RFC 3339 时间，如 2026-11-25T09:30:00+08:00",
                          kRule, "invalid_value")
              .En(std::string(name) + " must be an RFC 3339 instant");
  }
  return t;
}

// Finish: unknown fields first, then the first reading error, then `err`.
Status Done(const FieldReader& r, const Status& err) {
  Status st = r.Finish();
  if (!st.ok()) return WithRule(st);
  return err;
}

Result<service::ComplaintInput> RegisterInput(const json::object& body) {
  FieldReader r(body);
  Status err;
  service::ComplaintInput in;
  in.channel = r.RequiredString("channel", 20);
  in.anonymous = r.Optional<bool>("anonymous").value_or(false);
  in.complainant = r.OptionalString("complainant", 50).value_or("");
  in.contact = r.OptionalString("contact", 100).value_or("");
  in.subject = r.RequiredString("subject", 200);
  in.place = r.OptionalString("place", 200).value_or("");
  in.content = r.RequiredString("content", 5000);
  in.received_at = Time(r, "received_at", err);
  auto mats = r.Optional<json::array>("materials");
  XT_RETURN_IF_ERROR(Done(r, err));
  if (mats) {
    if (mats->size() > 50) {
      return Status::Invalid("materials", "材料不能超过50项", kRule, "invalid_value").En("Too many materials");
    }
    for (size_t i = 0; i < mats->size(); ++i) {
      const std::string base = "materials[" + std::to_string(i) + "]";
      if (!(*mats)[i].is_object()) {
        return Status::Invalid(base, base + " 应为对象", kRule, "invalid_type").En(base + " must be an object");
      }
      FieldReader m((*mats)[i].as_object());
      service::CoordMaterialInput mi;
      mi.name = m.RequiredString("name", 100);
      mi.description = m.OptionalString("description", 500).value_or("");
      mi.file = m.OptionalString("file", 64).value_or("");
      if (Status st = m.Finish(); !st.ok()) {
        Status out(st.code(), st.id(), st.message(), base + "." + st.field(), kRule);
        if (!st.message_en().empty()) out.En(st.message_en());
        return out;
      }
      in.materials.push_back(std::move(mi));
    }
  }
  return in;
}

using StepInput = Result<service::ComplaintActionInput>;

StepInput ReadStep(const std::string& action, const json::object& body) {
  FieldReader r(body);
  Status err;
  if (action == "investigate") {
    service::ComplaintFindingsInput in{r.RequiredString("findings", 5000)};
    XT_RETURN_IF_ERROR(Done(r, err));
    return service::ComplaintActionInput(std::move(in));
  }
  if (action == "handle") {
    service::ComplaintHandleInput in;
    in.measures = r.RequiredString("measures", 5000);
    in.result = r.RequiredString("result", 5000);
    XT_RETURN_IF_ERROR(Done(r, err));
    return service::ComplaintActionInput(std::move(in));
  }
  if (action == "refer") {
    service::ComplaintReferInput in;
    in.to_org = r.Required<int64_t>("to_org");
    in.matter = r.RequiredString("matter", 64);
    in.township = r.Required<int64_t>("township");
    in.place = r.OptionalString("place", 200).value_or("");
    in.jurisdiction_override_reason = r.OptionalString("jurisdiction_override_reason", 500).value_or("");
    in.note = r.OptionalString("note", 500).value_or("");
    XT_RETURN_IF_ERROR(Done(r, err));
    return service::ComplaintActionInput(std::move(in));
  }
  if (action == "reply") {
    service::ComplaintReplyInput in;
    in.content = r.RequiredString("content", 5000);
    in.channel = r.RequiredString("channel", 20);
    in.replied_at = Time(r, "replied_at", err);
    XT_RETURN_IF_ERROR(Done(r, err));
    return service::ComplaintActionInput(std::move(in));
  }
  if (action == "close") {
    service::ComplaintCloseInput in{r.RequiredString("reason", 500)};
    XT_RETURN_IF_ERROR(Done(r, err));
    return service::ComplaintActionInput(std::move(in));
  }
  return Status::Internal("no body reader for complaint." + action);
}

Result<service::ComplaintQuery> ParseQuery(const Request& req) {
  service::ComplaintQuery q;
  q.state = req.query_param("state").value_or("");
  q.channel = req.query_param("channel").value_or("");
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}


}  // namespace

void RegisterComplaintRoutes(Router& r, ApiEnv& env) {
  const std::string base = "/api/v1/complaints";
  AddListRoutes<service::ComplaintQuery, service::ComplaintList>(
      r, env, base, ParseQuery,
      [](const ApiEnv& e, const service::Principal& p, const service::ComplaintQuery& q) {
        return e.svc.complaints->List(p, q);
      },
      views::ComplaintListJson,
      [](const ApiEnv& e, const service::Principal& p, service::ComplaintQuery q) {
        return e.svc.complaints->ExportCsv(p, std::move(q));
      },
      "complaints.csv", "投诉举报.csv");
  r.Add("GET", base + "/stats", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(auto from, DayParam(req, "from", kRule));
          XT_ASSIGN_OR_RETURN(auto to, DayParam(req, "to", kRule));
          XT_ASSIGN_OR_RETURN(service::ComplaintStats s, env.svc.complaints->Stats(p, from, to));
          return Json(200, views::ComplaintStatsJson(s));
        }));
  r.Add("POST", base, WithAuth(env, [&env, base](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::ComplaintView v, env.svc.complaints->Register(p, RegisterInput(body)));
          Response out = Json(201, views::ComplaintJson(v));
          out.AddHeader("Location", base + "/" + std::to_string(v.item.id));
          return out;
        }));
  r.Add("GET", base + "/{id}", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::ComplaintView v, env.svc.complaints->Get(p, id));
          return Json(200, views::ComplaintJson(v));
        }));
  for (std::string_view a : domain::ComplaintActions()) {
    const std::string action(a);
    r.Add("POST", base + "/{id}/" + action,
          WithAuth(env, [&env, action](Request& req, const service::Principal& p) -> Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            json::object body;
            if (!req.body.empty()) {
              XT_ASSIGN_OR_RETURN(body, Body(env, req));
            }
            XT_ASSIGN_OR_RETURN(service::ComplaintView v,
                                env.svc.complaints->Act(p, id, action, ReadStep(action, body)));
            return Json(200, views::ComplaintJson(v));
          }));
  }
}

}  // namespace xietong::http
