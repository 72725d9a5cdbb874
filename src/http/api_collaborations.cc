// Collaboration requests (执法协作文书, R-COL-1..4): list, export, create, detail, edit and the
// workflow steps of docs/collaboration-contract.md. Handlers parse, call CollaborationService
// once and render CollaborationJson.
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "domain/collaboration.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/collaboration.h"
#include "service/collaboration_service.h"

namespace xietong::http {

namespace {
using core::Status;
namespace json = boost::json;

// Instants of the collaboration contract are refused as invalid_value.
core::Result<core::Instant> CollabInstant(const std::string& text, const std::string& name,
                                          const char* rule) {
  return InstantField(text, name, rule, "invalid_value");
}

core::Result<service::CollaborationInput> ParseCollaboration(const json::object& body) {
  FieldReader f(body);
  service::CollaborationInput in;
  in.kind = f.OptionalString("kind", 40);
  std::optional<int64_t> to = f.Optional<int64_t>("to_org");
  in.title = f.OptionalString("title", domain::kMaxCollabTitleChars);
  in.questions = f.OptionalString("questions", domain::kMaxCollabQuestionsChars);
  in.case_ref = f.OptionalString("case_ref", domain::kMaxCollabCaseRefChars);
  bool has_referral_key = body.contains("referral_id");
  std::optional<int64_t> referral = f.Optional<int64_t>("referral_id");
  std::optional<json::array> materials = f.Optional<json::array>("materials");
  in.urgent = f.Optional<bool>("urgent");
  in.evidence_at_risk = f.Optional<bool>("evidence_at_risk");
  XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-COL-1"));
  if (to) {
    if (*to <= 0) return Status::Invalid("to_org", "to_org 应为正整数编号", "R-COL-1", "invalid_value").En("to_org must be a positive id");
    in.to_org_id = *to;
  }
  if (has_referral_key) in.referral_id = referral;  // null clears
  if (materials) {
    if (materials->size() > domain::kMaxCollabMaterials) {
      return Status::Invalid("materials", "材料不能超过50项", "R-COL-1", "too_long").En("At most 50 materials");
    }
    std::vector<service::CollabMaterialInput> items;
    for (size_t i = 0; i < materials->size(); ++i) {
      const std::string at = "materials[" + std::to_string(i) + "]";
      if (!(*materials)[i].is_object()) {
        return Status::Invalid(at, "材料应为对象 {name, description, file}", "R-COL-1", "invalid_value")
            .En(at + " must be an object");
      }
      FieldReader mf((*materials)[i].as_object());
      service::CollabMaterialInput m;
      m.name = mf.RequiredString("name", 100);
      m.description = mf.OptionalString("description", 500).value_or("");
      m.file_id = mf.OptionalString("file", 64);
      XT_RETURN_IF_ERROR(Nested(mf.Finish(), at, "R-COL-1"));
      items.push_back(std::move(m));
    }
    in.materials = std::move(items);
  }
  return in;
}

core::Result<std::string> TextBody(const ApiEnv& env, const Request& req, const char* name,
                                   size_t max, const char* rule) {
  XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
  FieldReader f(body);
  std::string text = f.RequiredString(name, max);
  XT_RETURN_IF_ERROR(WithRule(f.Finish(), rule));
  return text;
}

Status EmptyBody(const ApiEnv& env, const Request& req, const char* rule) {
  XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
  FieldReader f(body);
  return WithRule(f.Finish(), rule);
}


core::Result<service::CollaborationQuery> ParseQuery(const Request& req) {
  service::CollaborationQuery q;
  q.direction = req.query_param("direction").value_or("");
  q.state = req.query_param("state").value_or("");
  q.kind = req.query_param("kind").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.colour = req.query_param("colour").value_or("");
  XT_ASSIGN_OR_RETURN(q.from, DayParam(req, "from"));
  XT_ASSIGN_OR_RETURN(q.to, DayParam(req, "to"));
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

// new_due: an RFC 3339 instant, or YYYY-MM-DD = 24:00 of that Shanghai day (R-TIME-5: stored as
// the next 00:00, shown 当日24时 — never 23:59, issue 17 defect 4).
core::Result<core::Instant> DueField(const std::string& text) {
  if (auto d = core::ParseDay(text); d && text.size() == 10) {
    return core::ShanghaiMidnight(*d + std::chrono::days(1));
  }
  return CollabInstant(text, "new_due", "R-COL-4");
}

using Action = std::function<core::Result<service::CollaborationView>(
    const ApiEnv&, Request&, const service::Principal&, int64_t)>;

void AddAction(Router& r, ApiEnv& env, const std::string& path, Action action) {
  r.Add("POST", "/api/v1/collaborations/{id}/" + path,
        WithAuth(env, [&env, action = std::move(action)](
                          Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CollaborationView v, action(env, req, p, id));
          return Json(200, views::CollaborationJson(v));
        }));
}
}  // namespace

void RegisterCollaborationRoutes(Router& r, ApiEnv& env) {
  AddListRoutes<service::CollaborationQuery, service::CollaborationList>(
      r, env, "/api/v1/collaborations", ParseQuery,
      [](const ApiEnv& e, const service::Principal& p, const service::CollaborationQuery& q) {
        return e.svc.collaborations->List(p, q);
      },
      views::CollaborationListJson,
      [](const ApiEnv& e, const service::Principal& p, service::CollaborationQuery q) {
        return e.svc.collaborations->ExportCsv(p, std::move(q));
      },
      "collaborations.csv", "执法协作.csv");

  r.Add("POST", "/api/v1/collaborations",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::CollaborationInput in, ParseCollaboration(body));
          XT_ASSIGN_OR_RETURN(service::CollaborationView v, env.svc.collaborations->Create(p, in));
          Response res = Json(201, views::CollaborationJson(v));
          res.AddHeader("Location", "/api/v1/collaborations/" + std::to_string(v.c.id));
          return res;
        }));

  r.Add("GET", "/api/v1/collaborations/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CollaborationView v, env.svc.collaborations->Get(p, id));
          return Json(200, views::CollaborationJson(v));
        }));

  r.Add("PATCH", "/api/v1/collaborations/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::CollaborationInput in, ParseCollaboration(body));
          XT_ASSIGN_OR_RETURN(service::CollaborationView v, env.svc.collaborations->Update(p, id, in));
          return Json(200, views::CollaborationJson(v));
        }));

  using P = const service::Principal&;
  using R = core::Result<service::CollaborationView>;
  AddAction(r, env, "submit", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-COL-1"));
    return e.svc.collaborations->Submit(p, id);
  });
  AddAction(r, env, "approve", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-COL-1"));
    return e.svc.collaborations->Approve(p, id);
  });
  AddAction(r, env, "return", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxCollabReasonChars, "R-COL-1"));
    return e.svc.collaborations->Return(p, id, reason);
  });
  AddAction(r, env, "receive", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-COL-2"));
    return e.svc.collaborations->Receive(p, id);
  });
  AddAction(r, env, "extend", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(auto body, Body(e, req));
    FieldReader f(body);
    service::CollabExtendInput in;
    in.reason = f.RequiredString("reason", domain::kMaxCollabReasonChars);
    std::string due = f.RequiredString("new_due", 64);
    in.complex = f.Optional<bool>("complex").value_or(false);
    XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-COL-4"));
    XT_ASSIGN_OR_RETURN(in.new_due, DueField(due));
    return e.svc.collaborations->Extend(p, id, in);
  });
  AddAction(r, env, "answer", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(auto body, Body(e, req));
    FieldReader f(body);
    service::CollabAnswerInput in;
    in.conclusion = f.RequiredString("conclusion", domain::kMaxCollabConclusionChars);
    in.text = f.RequiredString("text", domain::kMaxCollabAnswerChars);
    in.file_id = f.OptionalString("file", 64);
    XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-COL-2"));
    return e.svc.collaborations->Answer(p, id, in);
  });
  AddAction(r, env, "approve-answer", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-COL-2"));
    return e.svc.collaborations->ApproveAnswer(p, id);
  });
  AddAction(r, env, "reject-answer", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxCollabReasonChars, "R-COL-2"));
    return e.svc.collaborations->RejectAnswer(p, id, reason);
  });
  AddAction(r, env, "follow-up", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(std::string q, TextBody(e, req, "questions", domain::kMaxCollabQuestionsChars, "R-COL-1"));
    return e.svc.collaborations->FollowUp(p, id, q);
  });
  AddAction(r, env, "dispatch", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(auto body, Body(e, req));
    FieldReader f(body);
    service::CollabDispatchInput in;
    std::optional<json::array> staff = f.Optional<json::array>("staff");
    std::optional<std::string> sent_at = f.OptionalString("sent_at", 64);
    in.note = f.OptionalString("note", domain::kMaxCollabReasonChars).value_or("");
    XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-COL-3"));
    if (staff) {
      for (size_t i = 0; i < staff->size(); ++i) {
        if (!(*staff)[i].is_string()) {
          return Status::Invalid("staff[" + std::to_string(i) + "]", "派出人员姓名应为文字", "R-COL-3",
                                 "invalid_value")
              .En("staff names are strings");
        }
        in.staff.emplace_back((*staff)[i].as_string());
      }
    }
    if (sent_at) {
      XT_ASSIGN_OR_RETURN(in.sent_at, CollabInstant(*sent_at, "sent_at", "R-COL-3"));
    }
    return e.svc.collaborations->Dispatch(p, id, in);
  });
  AddAction(r, env, "arrived", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(auto body, Body(e, req));
    FieldReader f(body);
    std::optional<std::string> at = f.OptionalString("at", 64);
    XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-COL-3"));
    std::optional<core::Instant> t;
    if (at) {
      XT_ASSIGN_OR_RETURN(t, CollabInstant(*at, "at", "R-COL-3"));
    }
    return e.svc.collaborations->Arrived(p, id, t);
  });
  AddAction(r, env, "withdraw", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxCollabReasonChars, "R-COL-1"));
    return e.svc.collaborations->Withdraw(p, id, reason);
  });
  AddAction(r, env, "close", [](const ApiEnv& e, Request& req, P p, int64_t id) -> R {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-COL-2"));
    return e.svc.collaborations->Close(p, id);
  });
}

}  // namespace xietong::http
