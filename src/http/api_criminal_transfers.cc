// Criminal transfers (行刑衔接, R-CRI-1, R-CRI-1a, R-CRI-2, R-CRI-5): list, report, detail and the
// steps of docs/criminal-transfers-contract.md. Thin: read the JSON body into the typed input
// (service/criminal_transfer_service.h), call CriminalTransferService once, render the view
// (http/views/criminal_transfer.h). A body that cannot be read is handed to the service as its
// error, reported once the step is allowed (a refused step answers 403/404/409 whatever its body).
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/criminal_transfer.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/criminal_transfer.h"
#include "service/criminal_transfer_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;

// Every error of a body names the field and the rule.
Status WithRule(const Status& st, const std::string& rule, const std::string& prefix = "") {
  Status out(st.code(), st.id(), st.message(), prefix + st.field(), rule);
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

Result<std::vector<service::CoordMaterialInput>> Materials(const json::object& body) {
  std::vector<service::CoordMaterialInput> out;
  const json::value* v = body.if_contains("materials");
  if (!v || v->is_null()) return out;
  if (!v->is_array() || v->as_array().size() > 50) {
    return Status::Invalid("materials", "materials 应为至多50项的数组", "R-CRI-1a", "invalid_value")
        .En("materials must be an array of at most 50");
  }
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const std::string base = "materials[" + std::to_string(i) + "].";
    const json::value& m = v->as_array()[i];
    if (!m.is_object()) {
      return Status::Invalid("materials[" + std::to_string(i) + "]", "材料应为对象", "R-CRI-1a", "invalid_type");
    }
    FieldReader r(m.as_object());
    service::CoordMaterialInput in;
    in.name = r.RequiredString("name", 100);
    in.description = r.OptionalString("description", 500).value_or("");
    in.file = r.OptionalString("file", 64).value_or("");
    if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-CRI-1a", base);
    out.push_back(std::move(in));
  }
  return out;
}

Result<service::CrimeReportInput> ReportInput(const json::object& body) {
  FieldReader r(body);
  service::CrimeReportInput in;
  in.referral_id = r.Optional<int64_t>("referral_id");
  in.case_number = r.OptionalString("case_number", 50).value_or("");
  in.title = r.OptionalString("title", 100).value_or("");
  in.facts = r.RequiredString("facts", 5000);
  in.offence = r.RequiredString("offence", 200);
  in.amount = r.OptionalString("amount", 500).value_or("");
  in.penalty = r.OptionalString("penalty", 1000).value_or("");
  in.police_org = r.Required<int64_t>("police_org");
  in.procuratorate_org = r.Required<int64_t>("procuratorate_org");
  r.Skip("materials");
  if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-CRI-1a");
  XT_ASSIGN_OR_RETURN(in.materials, Materials(body));
  return in;
}

// Which field carries an action's text, and whether it is required.
struct TextField {
  std::string_view action;
  const char* field;
  bool required;
  size_t max;
};
constexpr TextField kTexts[] = {
    {"approve", "opinion", false, 500},      {"not-approve", "reason", true, 500},
    {"transfer", "note", false, 500},        {"receipt", "note", false, 500},
    {"open-case", "note", false, 1000},      {"refuse-case", "reason", true, 1000},
    {"reconsider", "reason", true, 1000},    {"uphold-refusal", "reason", true, 1000},
    {"return", "reason", true, 1000},        {"handle", "result", true, 2000},
    {"supervise", "opinion", true, 2000},
};

Result<service::CrimeStepInput> StepInput(const std::string& action, const json::object& body) {
  const std::string rule(domain::CrimeActionRule(action));
  FieldReader r(body);
  service::CrimeStepInput in;
  for (const auto& t : kTexts) {
    if (t.action != action) continue;
    in.text = t.required ? r.RequiredString(t.field, t.max) : r.OptionalString(t.field, t.max).value_or("");
  }
  if (action == "open-case") in.case_number = r.OptionalString("case_number", 50).value_or("");
  if (action == "handle") in.penalty = r.OptionalString("penalty", 1000).value_or("");
  if (Status st = r.Finish(); !st.ok()) return WithRule(st, rule);
  return in;
}

Result<service::CrimeQuery> ParseQuery(const Request& req) {
  service::CrimeQuery q;
  q.state = req.query_param("state").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  const std::string late = req.query_param("late").value_or("");
  if (!late.empty() && late != "true" && late != "false") {
    return Status::Invalid("late", "late 应为 true 或 false", "R-CRI-1a", "invalid_value");
  }
  q.late = late == "true";
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

}  // namespace

void RegisterCriminalTransferRoutes(Router& r, ApiEnv& env) {
  const std::string base = "/api/v1/criminal-transfers";
  r.Add("GET", base, WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(service::CrimeQuery q, ParseQuery(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemList list, env.svc.criminal_transfers->List(p, q));
          return Json(200, views::CriminalTransferListJson(list));
        }));
  r.Add("POST", base, WithAuth(env, [&env, base](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v,
                              env.svc.criminal_transfers->Create(p, ReportInput(body)));
          Response out = Json(201, views::CriminalTransferJson(v));
          out.AddHeader("Location", base + "/" + std::to_string(v.item.id));
          return out;
        }));
  r.Add("GET", base + "/{id}", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.criminal_transfers->Get(p, id));
          return Json(200, views::CriminalTransferJson(v));
        }));
  for (std::string_view a : domain::CrimeActions()) {
    const std::string action(a);
    r.Add("POST", base + "/{id}/" + action,
          WithAuth(env, [&env, action](Request& req, const service::Principal& p) -> Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            Result<json::object> body = req.body.empty() ? Result<json::object>(json::object()) : Body(env, req);
            XT_RETURN_IF_ERROR(body.status());
            XT_ASSIGN_OR_RETURN(service::CoordItemView v,
                                env.svc.criminal_transfers->Act(p, id, action, StepInput(action, *body)));
            return Json(200, views::CriminalTransferJson(v));
          }));
  }
}

}  // namespace xietong::http
