// Duties with deadlines (R-TIME-4): list with colours, create, detail and life-cycle actions.
// Single-duty responses (create, detail, actions) carry the duty's "events". The life-cycle
// actions obey the duty kind's policy (service/duty_service.h): a workflow's duty is ended only by
// its workflow and a statutory period is never extended — those refusals are 409s that name the
// duty's rule.
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "domain/duty.h"
#include "domain/rules.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/duty.h"
#include "service/duty_service.h"

namespace xietong::http {

namespace {
using core::Status;

// A query bound: "YYYY-MM-DD" or RFC 3339 (due_from inclusive, due_to exclusive). Days select
// deadlines by their last day: due_from=D starts after 24:00 of D-1 (stored as 00:00 of D), and
// due_to=D still includes a deadline at 24:00 of D (stored as 00:00 of D+1).
core::Result<std::optional<core::Instant>> Bound(const Request& req, const char* name, bool upper) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::optional<core::Instant>();
  if (auto day = core::ParseDay(*text)) {
    if (upper) {
      return std::optional<core::Instant>(core::ShanghaiMidnight(*day + std::chrono::days(1)) +
                                          std::chrono::milliseconds(1));
    }
    return std::optional<core::Instant>(core::ShanghaiMidnight(*day) +
                                        std::chrono::milliseconds(1));
  }
  if (auto t = core::ParseInstant(*text)) return std::optional<core::Instant>(*t);
  return Status::Invalid(name, std::string(name) + " 应为 YYYY-MM-DD 或 RFC 3339 时间")
      .En(std::string(name) + " must be YYYY-MM-DD or an RFC 3339 instant");
}

core::Result<service::DutyInput> ParseCreate(const boost::json::object& body) {
  FieldReader f(body);
  service::DutyInput in;
  in.kind = f.RequiredString("kind", 64);
  in.owner_org_id = f.Required<int64_t>("owner_org_id");
  in.object_type = f.RequiredString("object_type", 32);
  in.object_id = f.RequiredString("object_id", 64);
  in.title = f.RequiredString("title", 200);
  std::string trigger = f.RequiredString("trigger_at", 64);
  std::optional<boost::json::object> period = f.Optional<boost::json::object>("period");
  XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-TIME-4"));
  XT_ASSIGN_OR_RETURN(in.trigger_at, InstantField(trigger, "trigger_at", "R-TIME-5"));
  if (period) {
    FieldReader pf(*period);
    std::string unit = pf.RequiredString("unit", 32);
    int64_t value = pf.Required<int64_t>("value");
    if (Status st = pf.Finish(); !st.ok()) return Nested(st, "period", "R-TIME-4");
    in.unit = domain::ParsePeriodUnit(unit);
    if (!in.unit) {
      return Status::Invalid("period.unit", "期限单位应为 working_days、hours 或 calendar_days",
                             "R-TIME-4")
          .En("period.unit must be working_days, hours or calendar_days");
    }
    in.period = value;
  }
  return in;
}

core::Result<std::string> ReasonOnly(const ApiEnv& env, const Request& req) {
  XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
  FieldReader f(body);
  std::string reason = f.RequiredString("reason", 500);
  XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-TIME-4"));
  return reason;
}

Response DetailResponse(int status, const service::DutyDetail& d) {
  return Json(status, views::DutyDetailJson(d));
}
}  // namespace

void RegisterDutyRoutes(Router& r, ApiEnv& env) {
  // The policy's rules in words (issue 17 defect 3): the web shows a clause's words, its id only
  // in a tooltip. Any signed-in user.
  r.Add("GET", "/api/v1/rules",
        WithAuth(env, [](Request&, const service::Principal&) -> core::Result<Response> {
          boost::json::array items;
          for (const auto& rule : domain::Rules())
            items.push_back(boost::json::object{{"id", std::string(rule.id)},
                                                {"zh", std::string(rule.zh)},
                                                {"en", std::string(rule.en)}});
          return Json(200, boost::json::object{{"items", std::move(items)}});
        }));

  r.Add("GET", "/api/v1/duties",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          service::DutyQuery q;
          q.scope = req.query_param("scope").value_or("");
          if (q.scope.empty()) q.scope = "org";
          q.state = req.query_param("state").value_or("");
          q.colour = req.query_param("colour").value_or("");
          q.kind = req.query_param("kind").value_or("");
          q.q = req.query_param("q").value_or("");
          XT_ASSIGN_OR_RETURN(q.due_from, Bound(req, "due_from", false));
          XT_ASSIGN_OR_RETURN(q.due_to, Bound(req, "due_to", true));
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          q.page = page.page;
          q.page_size = page.page_size;
          XT_ASSIGN_OR_RETURN(service::DutyList list, env.svc.duties->List(p, q));
          return JsonTextResponse(200, views::DutyListText(list));
        }));

  r.Add("POST", "/api/v1/duties",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::DutyInput in, ParseCreate(body));
          XT_ASSIGN_OR_RETURN(service::DutyDetail d, env.svc.duties->Create(p, in));
          Response res = DetailResponse(201, d);
          res.AddHeader("Location", "/api/v1/duties/" + std::to_string(d.duty.id));
          return res;
        }));

  r.Add("GET", "/api/v1/duties/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::DutyDetail d, env.svc.duties->Get(p, id));
          return DetailResponse(200, d);
        }));

  r.Add("POST", "/api/v1/duties/{id}/meet",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          // "met_at" (as the duty's field); "at" is its older name, still accepted.
          std::optional<std::string> met_at_text = f.OptionalString("met_at", 64);
          std::optional<std::string> at_text = f.OptionalString("at", 64);
          XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-TIME-4"));
          if (met_at_text && at_text) {
            return Status::Invalid("at", "请只填写 met_at", "R-TIME-4")
                .En("Give met_at only (at is its older name)");
          }
          std::optional<core::Instant> at;
          if (met_at_text) {
            XT_ASSIGN_OR_RETURN(at, InstantField(*met_at_text, "met_at", "R-TIME-4"));
          } else if (at_text) {
            XT_ASSIGN_OR_RETURN(at, InstantField(*at_text, "at", "R-TIME-4"));
          }
          XT_ASSIGN_OR_RETURN(service::DutyDetail d, env.svc.duties->Meet(p, id, at));
          return DetailResponse(200, d);
        }));

  r.Add("POST", "/api/v1/duties/{id}/waive",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(std::string reason, ReasonOnly(env, req));
          XT_ASSIGN_OR_RETURN(service::DutyDetail d, env.svc.duties->Waive(p, id, reason));
          return DetailResponse(200, d);
        }));

  r.Add("POST", "/api/v1/duties/{id}/extend",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          std::string reason = f.RequiredString("reason", 500);
          std::string new_due_text = f.RequiredString("new_due", 64);
          XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-TIME-4"));
          XT_ASSIGN_OR_RETURN(core::Instant new_due,
                              InstantField(new_due_text, "new_due", "R-TIME-4"));
          XT_ASSIGN_OR_RETURN(service::DutyDetail d,
                              env.svc.duties->Extend(p, id, reason, new_due));
          return DetailResponse(200, d);
        }));

  r.Add("POST", "/api/v1/duties/{id}/suspend",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(std::string reason, ReasonOnly(env, req));
          XT_ASSIGN_OR_RETURN(service::DutyDetail d, env.svc.duties->Suspend(p, id, reason));
          return DetailResponse(200, d);
        }));

  r.Add("POST", "/api/v1/duties/{id}/resume",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-TIME-4"));  // {} only
          XT_ASSIGN_OR_RETURN(service::DutyDetail d, env.svc.duties->Resume(p, id));
          return DetailResponse(200, d);
        }));
}

}  // namespace xietong::http
