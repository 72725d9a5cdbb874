// Jurisdiction disputes (R-DIS-1..3): list, CSV export, open, detail and the steps of
// docs/disputes-contract.md. Thin: read the JSON body into the service's typed input, call
// DisputeService once, render its view (http/views/dispute.h).
//
// Reading a body: every error names the field and the rule (R-DIS-1 for joint handling and the
// opening, R-DIS-2 for the steps, R-DIS-3 under "boundary"); unknown fields are refused. A body
// that cannot be read is handed to the service as its error, reported once the step is allowed
// (403/404/409 first, whatever the body).
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "domain/org.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/dispute.h"
#include "service/dispute_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;
using domain::Id;

constexpr size_t kLongText = 5000;
constexpr size_t kPositionText = 2000;
constexpr size_t kTitleText = 100;

// The reader's error with `rule`, its field under `base` ("parties[0]" + "." + field).
Status Ruled(const Status& st, const std::string& rule, const std::string& base = "") {
  const std::string field = base.empty() ? st.field() : base + "." + st.field();
  Status out = Status::Invalid(field, st.message(), rule, st.id());
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

// A required text that may not be blank: records "missing_field" in `blank` when it is.
std::string Text(FieldReader& b, const char* name, size_t max, Status& blank) {
  std::string s = b.RequiredString(name, max);
  if (blank.ok() && b.status().ok() && domain::IsBlank(s)) {
    blank = Status::Invalid(name, std::string("缺少必填字段：") + name, "", "missing_field")
                .En(std::string("Missing field: ") + name);
  }
  return s;
}

Result<Id> PositiveId(std::optional<int64_t> v, const std::string& field, const std::string& rule) {
  if (!v || *v <= 0) {
    return Status::Invalid(field, field + " 应为正整数编号", rule, v ? "invalid_value" : "missing_field")
        .En(field + " must be a positive id");
  }
  return *v;
}

Result<service::DisputeOpenInput> OpenInput(const json::object& body) {
  const std::string rule = "R-DIS-1";
  FieldReader b(body);
  service::DisputeOpenInput in;
  in.title = b.OptionalString("title", kTitleText).value_or("");
  in.matter = b.RequiredString("matter", 64);
  auto township = b.Required<int64_t>("township");
  Status blank;
  in.facts = Text(b, "facts", kLongText, blank);
  auto parties = b.Required<json::array>("parties");
  auto referral = b.Optional<int64_t>("referral_id");
  if (Status st = b.Finish(); !st.ok()) return Ruled(st, rule);
  if (!blank.ok()) return Ruled(blank, rule);
  XT_ASSIGN_OR_RETURN(in.township, PositiveId(township, "township", rule));
  if (referral) {
    XT_ASSIGN_OR_RETURN(in.referral_id, PositiveId(referral, "referral_id", rule));
  }
  if (parties.size() < 2 || parties.size() > 10) {
    return Status::Invalid("parties", "争议当事单位应为2至10个", rule, "invalid_value")
        .En("parties: 2..10 orgs");
  }
  for (size_t i = 0; i < parties.size(); ++i) {
    const std::string base = "parties[" + std::to_string(i) + "]";
    if (!parties[i].is_object()) {
      return Status::Invalid(base, base + " 应为对象", rule, "invalid_type").En(base + " must be an object");
    }
    FieldReader pr(parties[i].as_object());
    auto org = pr.Required<int64_t>("org");
    Status pblank;
    std::string position = Text(pr, "position", kPositionText, pblank);
    if (Status st = pr.Finish(); !st.ok()) return Ruled(st, rule, base);
    if (!pblank.ok()) return Ruled(pblank, rule, base);
    XT_ASSIGN_OR_RETURN(Id id, PositiveId(org, base + ".org", rule));
    in.parties.push_back({id, std::move(position)});
  }
  return in;
}

Result<service::DisputeBoundaryInput> Boundary(const json::value& v) {
  const std::string rule = "R-DIS-3";
  if (!v.is_object()) {
    return Status::Invalid("boundary", "boundary 应为对象", rule, "invalid_type").En("boundary must be an object");
  }
  FieldReader b(v.as_object());
  service::DisputeBoundaryInput out;
  out.matter = b.RequiredString("matter_code", 64);
  out.change = b.RequiredString("change", 20);
  auto township = b.Optional<int64_t>("township");
  auto owner = b.Optional<int64_t>("owner_org");
  std::string effective = b.RequiredString("effective", 10);
  if (Status st = b.Finish(); !st.ok()) return Ruled(st, rule, "boundary");
  if (out.change != "delegate" && out.change != "withdraw" && out.change != "owner") {
    return Status::Invalid("boundary.change", "change 应为 delegate|withdraw|owner", rule, "invalid_value")
        .En("boundary.change must be delegate, withdraw or owner");
  }
  const bool needs_township = out.change != "owner";
  if (needs_township && !township) {
    return Status::Invalid("boundary.township", "缺少必填字段：township", rule, "missing_field")
        .En("Missing field: boundary.township");
  }
  if (!needs_township && !owner) {
    return Status::Invalid("boundary.owner_org", "缺少必填字段：owner_org", rule, "missing_field")
        .En("Missing field: boundary.owner_org");
  }
  if (township) {
    XT_ASSIGN_OR_RETURN(out.township, PositiveId(township, "boundary.township", rule));
  }
  if (owner) {
    XT_ASSIGN_OR_RETURN(out.owner_org, PositiveId(owner, "boundary.owner_org", rule));
  }
  auto day = core::ParseDay(effective);
  if (!day) {
    return Status::Invalid("boundary.effective", "effective 应为日期，如 2026-12-01", rule, "invalid_value")
        .En("boundary.effective must be a date (YYYY-MM-DD)");
  }
  out.effective = *day;
  return out;
}

// A step's record or decision text, and the optional boundary decision.
Result<service::DisputeActionInput> StepInput(FieldReader& b, const char* text_field) {
  const std::string rule = "R-DIS-2";
  service::DisputeStepInput in;
  Status blank;
  in.text = Text(b, text_field, kLongText, blank);
  auto boundary = b.Optional<json::value>("boundary");
  if (Status st = b.Finish(); !st.ok()) return Ruled(st, rule);
  if (!blank.ok()) return Ruled(blank, rule);
  if (boundary) {
    XT_ASSIGN_OR_RETURN(in.boundary, Boundary(*boundary));
  }
  return service::DisputeActionInput(std::move(in));
}

struct Step {
  std::string action;
  Result<service::DisputeActionInput> in;
};

// The step a POST names: `path` "joint-handling" | "negotiation" | "coordination" | "decision";
// the outcome (agreed/failed, settled/failed) picks the table's row. An unreadable outcome is
// reported on the failing row, after access and state are checked.
Step ReadStep(const std::string& path, const Result<json::object>& body_r) {
  auto err = [&](std::string action, Status st) { return Step{std::move(action), std::move(st)}; };
  if (path == "joint-handling") {
    if (!body_r.ok()) return err(path, Ruled(body_r.status(), "R-DIS-1"));
    FieldReader b(*body_r);
    auto people = b.Required<std::vector<std::string>>("people");
    Status blank;
    std::string measures = Text(b, "measures", kLongText, blank);
    if (Status st = b.Finish(); !st.ok()) return err(path, Ruled(st, "R-DIS-1"));
    if (!blank.ok()) return err(path, Ruled(blank, "R-DIS-1"));
    if (people.empty() || people.size() > 20) {
      return err(path, Status::Invalid("people", "people 应为1至20个姓名", "R-DIS-1", "invalid_value")
                           .En("people must list 1..20 names"));
    }
    for (size_t i = 0; i < people.size(); ++i) {
      if (domain::IsBlank(people[i]) || domain::Utf8Length(people[i]) > 50) {
        const std::string f = "people[" + std::to_string(i) + "]";
        return err(path, Status::Invalid(f, f + " 应为1至50个字的姓名", "R-DIS-1", "invalid_value").En(f + " must be a name"));
      }
    }
    return Step{path, service::DisputeActionInput(service::DisputeJointInput{std::move(people), std::move(measures)})};
  }
  if (path == "decision") {
    if (!body_r.ok()) return err(path, body_r.status());
    FieldReader b(*body_r);
    return Step{path, StepInput(b, "decision")};
  }
  const bool negotiation = path == "negotiation";
  const std::string ok_outcome = negotiation ? "agreed" : "settled";
  const std::string failed = path + ".failed";
  if (!body_r.ok()) return err(failed, body_r.status());
  FieldReader b(*body_r);
  std::string outcome = b.RequiredString("outcome", 20);
  if (!b.status().ok()) return err(failed, Ruled(b.status(), "R-DIS-2"));
  if (outcome != ok_outcome && outcome != "failed") {
    return err(failed, Status::Invalid("outcome", "outcome 应为 " + ok_outcome + " 或 failed", "R-DIS-2", "invalid_value")
                           .En("outcome must be " + ok_outcome + " or failed"));
  }
  return Step{path + "." + outcome, StepInput(b, negotiation ? "record" : "decision")};
}

Result<service::DisputeQuery> ParseQuery(const Request& req) {
  service::DisputeQuery q;
  q.state = req.query_param("state").value_or("");
  q.step = req.query_param("step").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

}  // namespace

void RegisterDisputeRoutes(Router& r, ApiEnv& env) {
  const std::string base = "/api/v1/disputes";
  AddListRoutes<service::DisputeQuery, service::CoordItemList>(
      r, env, base, ParseQuery,
      [](const ApiEnv& e, const service::Principal& p, const service::DisputeQuery& q) {
        return e.svc.disputes->List(p, q);
      },
      views::DisputeListJson,
      [](const ApiEnv& e, const service::Principal& p, service::DisputeQuery q) {
        return e.svc.disputes->ExportCsv(p, std::move(q));
      },
      "disputes.csv", "职责分工争议.csv");
  r.Add("POST", base, WithAuth(env, [&env, base](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.disputes->Open(p, OpenInput(body)));
          Response out = Json(201, views::DisputeJson(v));
          out.AddHeader("Location", base + "/" + std::to_string(v.item.id));
          return out;
        }));
  r.Add("GET", base + "/{id}", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.disputes->Get(p, id));
          return Json(200, views::DisputeJson(v));
        }));
  for (const char* path : {"joint-handling", "negotiation", "coordination", "decision"}) {
    r.Add("POST", base + "/{id}/" + path,
          WithAuth(env, [&env, path = std::string(path)](Request& req, const service::Principal& p) -> Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            Result<json::object> body = req.body.empty() ? Result<json::object>(json::object()) : Body(env, req);
            Step step = ReadStep(path, body);
            XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.disputes->Act(p, id, step.action, step.in));
            return Json(200, views::DisputeJson(v));
          }));
  }
}

}  // namespace xietong::http
