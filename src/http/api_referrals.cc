// Case referrals (案件移送抄告, R-REF-1..8): list, export, approvals queue, create, detail, edit
// and the workflow steps of docs/referrals-contract.md. Handlers parse, call ReferralService
// once and render ReferralJson.
//
// Create/PATCH body (canonical names match the Referral JSON and the error fields; the aliases
// in brackets are accepted too): to_org [to_org_id], matter (code or id) [matter_id,
// matter_code], township [township_id], place, discovered_at, facts, party{name,id_type,
// id_number,address,phone}, legal_basis, evidence[{name,description,file [file_id]}], urgent,
// ongoing, dissuasion{at,note}, checklist{facts_clear,evidence_complete,procedure_lawful,
// formalities_complete}, unit_legal_basis, jurisdiction_override_reason.
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "domain/referral.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/referral.h"
#include "service/referral_service.h"

namespace xietong::http {

namespace {
using core::Status;
namespace json = boost::json;

// A positive id given under `name` or `alias` (not both).
core::Result<std::optional<int64_t>> IdField(FieldReader& f, const char* name, const char* alias) {
  std::optional<int64_t> a = f.Optional<int64_t>(name);
  std::optional<int64_t> b = f.Optional<int64_t>(alias);
  XT_RETURN_IF_ERROR(f.status());
  if (a && b) {
    return Status::Invalid(name, std::string(name) + " 与 " + alias + " 只能给出一个")
        .En(std::string("Give ") + name + " or " + alias + ", not both");
  }
  std::optional<int64_t> v = a ? a : b;
  if (v && *v <= 0) {
    return Status::Invalid(name, std::string(name) + " 应为正整数编号").En(std::string(name) + " must be a positive id");
  }
  return v;
}

core::Result<service::ReferralInput> ParseReferral(const json::object& body) {
  FieldReader f(body);
  service::ReferralInput in;
  XT_ASSIGN_OR_RETURN(in.to_org_id, IdField(f, "to_org", "to_org_id"));
  XT_ASSIGN_OR_RETURN(in.township_id, IdField(f, "township", "township_id"));
  // The matter: "matter" as a code (string) or an id (integer); or matter_id / matter_code.
  std::optional<json::value> matter = f.Optional<json::value>("matter");
  std::optional<int64_t> matter_id = f.Optional<int64_t>("matter_id");
  std::optional<std::string> matter_code = f.OptionalString("matter_code", 40);
  XT_RETURN_IF_ERROR(WithRule(f.status(), "R-JUR-1"));
  int given = (matter ? 1 : 0) + (matter_id ? 1 : 0) + (matter_code ? 1 : 0);
  if (given > 1) {
    return Status::Invalid("matter", "执法事项只能以 matter、matter_id 或 matter_code 之一给出", "R-JUR-1")
        .En("Give the matter once: matter, matter_id or matter_code");
  }
  if (matter) {
    if (matter->is_string()) {
      in.matter_code = std::string(matter->as_string());
    } else if (matter->is_int64() && matter->as_int64() > 0) {
      in.matter_id = matter->as_int64();
    } else if (matter->is_uint64()) {
      in.matter_id = static_cast<int64_t>(matter->as_uint64());
    } else {
      return Status::Invalid("matter", "matter 应为执法事项编码（字符串）或编号（整数）", "R-JUR-1",
                             "invalid_type")
          .En("matter must be a matter code (string) or id (integer)");
    }
  }
  if (matter_id) in.matter_id = matter_id;
  if (matter_code) in.matter_code = matter_code;
  in.place = f.OptionalString("place", domain::kMaxPlaceChars);
  std::optional<std::string> discovered = f.OptionalString("discovered_at", 64);
  in.facts = f.OptionalString("facts", domain::kMaxFactsChars);
  std::optional<json::object> party = f.Optional<json::object>("party");
  in.legal_basis = f.OptionalString("legal_basis", domain::kMaxLegalBasisChars);
  std::optional<json::array> evidence = f.Optional<json::array>("evidence");
  in.urgent = f.Optional<bool>("urgent");
  in.ongoing = f.Optional<bool>("ongoing");
  std::optional<json::object> dissuasion = f.Optional<json::object>("dissuasion");
  std::optional<json::object> checklist = f.Optional<json::object>("checklist");
  in.unit_legal_basis = f.OptionalString("unit_legal_basis", domain::kMaxTextChars);
  in.jurisdiction_override_reason =
      f.OptionalString("jurisdiction_override_reason", domain::kMaxTextChars);
  XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-REF-3"));
  if (discovered) {
    XT_ASSIGN_OR_RETURN(in.discovered_at, InstantField(*discovered, "discovered_at", "R-REF-4"));
  }
  if (party) {
    FieldReader pf(*party);
    domain::Party pt;
    pt.name = pf.OptionalString("name", domain::kMaxPartyFieldChars).value_or("");
    pt.id_type = pf.OptionalString("id_type", 50).value_or("");
    pt.id_number = pf.OptionalString("id_number", 50).value_or("");
    pt.address = pf.OptionalString("address", domain::kMaxPartyFieldChars).value_or("");
    pt.phone = pf.OptionalString("phone", 50).value_or("");
    XT_RETURN_IF_ERROR(Nested(pf.Finish(), "party", "R-REF-3"));
    in.party = pt;
  }
  if (evidence) {
    if (evidence->size() > domain::kMaxEvidenceItems) {
      return Status::Invalid("evidence", "证据材料不能超过50项", "R-REF-3", "too_long")
          .En("At most 50 evidence items");
    }
    std::vector<service::EvidenceInput> items;
    for (size_t i = 0; i < evidence->size(); ++i) {
      const std::string at = "evidence[" + std::to_string(i) + "]";
      if (!(*evidence)[i].is_object()) {
        return Status::Invalid(at, "证据材料应为对象 {name, description, file}", "R-REF-3", "invalid_type")
            .En(at + " must be an object");
      }
      FieldReader ef((*evidence)[i].as_object());
      service::EvidenceInput e;
      e.name = ef.RequiredString("name", domain::kMaxEvidenceNameChars);
      e.description = ef.OptionalString("description", domain::kMaxTextChars).value_or("");
      std::optional<std::string> file = ef.OptionalString("file", 64);
      std::optional<std::string> file_id = ef.OptionalString("file_id", 64);
      XT_RETURN_IF_ERROR(Nested(ef.Finish(), at, "R-REF-3"));
      if (file && file_id) {
        return Status::Invalid(at + ".file", "file 与 file_id 只能给出一个", "R-REF-3")
            .En("Give file or file_id, not both");
      }
      e.file_id = file ? file : file_id;
      items.push_back(std::move(e));
    }
    in.evidence = std::move(items);
  }
  if (dissuasion) {
    FieldReader df(*dissuasion);
    std::string at = df.RequiredString("at", 64);
    std::string note = df.OptionalString("note", domain::kMaxTextChars).value_or("");
    XT_RETURN_IF_ERROR(Nested(df.Finish(), "dissuasion", "R-REF-5"));
    XT_ASSIGN_OR_RETURN(core::Instant t, InstantField(at, "dissuasion.at", "R-REF-5"));
    in.dissuasion = domain::Dissuasion{t, note};
  }
  if (checklist) {
    FieldReader cf(*checklist);
    domain::Checklist c;
    c.facts_clear = cf.Optional<bool>("facts_clear").value_or(false);
    c.evidence_complete = cf.Optional<bool>("evidence_complete").value_or(false);
    c.procedure_lawful = cf.Optional<bool>("procedure_lawful").value_or(false);
    c.formalities_complete = cf.Optional<bool>("formalities_complete").value_or(false);
    XT_RETURN_IF_ERROR(Nested(cf.Finish(), "checklist", "R-REF-3"));
    in.checklist = c;
  }
  return in;
}

// A body with exactly one required text field (reason/result) or nothing but optional `note`.
core::Result<std::string> TextBody(const ApiEnv& env, const Request& req, const char* name,
                                   size_t max, const char* rule, bool required) {
  XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
  FieldReader f(body);
  std::string text = required ? f.RequiredString(name, max) : f.OptionalString(name, max).value_or("");
  XT_RETURN_IF_ERROR(WithRule(f.Finish(), rule));
  return text;
}

core::Status EmptyBody(const ApiEnv& env, const Request& req, const char* rule) {
  XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
  FieldReader f(body);
  return WithRule(f.Finish(), rule);
}


core::Result<service::ReferralQuery> ParseQuery(const Request& req) {
  service::ReferralQuery q;
  q.direction = req.query_param("direction").value_or("");
  q.state = req.query_param("state").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.matter = req.query_param("matter").value_or("");
  XT_ASSIGN_OR_RETURN(q.township, req.query_int("township"));
  q.colour = req.query_param("colour").value_or("");
  XT_ASSIGN_OR_RETURN(q.from, DayParam(req, "from"));
  XT_ASSIGN_OR_RETURN(q.to, DayParam(req, "to"));
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

Response Detail(int status, const service::ReferralView& v) {
  return JsonTextResponse(status, views::ReferralText(v));
}

using Action = std::function<core::Result<service::ReferralView>(
    const ApiEnv&, Request&, const service::Principal&, int64_t)>;

void AddAction(Router& r, ApiEnv& env, const std::string& path, Action action) {
  r.Add("POST", "/api/v1/referrals/{id}/" + path,
        WithAuth(env, [&env, action = std::move(action)](
                          Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::ReferralView v, action(env, req, p, id));
          return Detail(200, v);
        }));
}
}  // namespace

void RegisterReferralRoutes(Router& r, ApiEnv& env) {
  AddListRoutes<service::ReferralQuery, service::ReferralList>(
      r, env, "/api/v1/referrals", ParseQuery,
      [](const ApiEnv& e, const service::Principal& p, const service::ReferralQuery& q) {
        return e.svc.referrals->List(p, q);
      },
      views::ReferralListText,
      [](const ApiEnv& e, const service::Principal& p, service::ReferralQuery q) {
        return e.svc.referrals->ExportCsv(p, std::move(q));
      },
      "referrals.csv", "案件移送.csv");

  r.Add("GET", "/api/v1/referrals/approvals",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          XT_ASSIGN_OR_RETURN(service::ReferralList list,
                              env.svc.referrals->Approvals(p, page.page, page.page_size));
          return JsonTextResponse(200, views::ReferralListText(list));
        }));

  r.Add("POST", "/api/v1/referrals",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::ReferralInput in, ParseReferral(body));
          XT_ASSIGN_OR_RETURN(service::ReferralView v, env.svc.referrals->Create(p, in));
          Response res = Detail(201, v);
          res.AddHeader("Location", "/api/v1/referrals/" + std::to_string(v.referral.id));
          return res;
        }));

  r.Add("GET", "/api/v1/referrals/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::ReferralView v, env.svc.referrals->Get(p, id));
          return Detail(200, v);
        }));

  r.Add("PATCH", "/api/v1/referrals/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::ReferralInput in, ParseReferral(body));
          XT_ASSIGN_OR_RETURN(service::ReferralView v, env.svc.referrals->Update(p, id, in));
          return Detail(200, v);
        }));

  AddAction(r, env, "submit", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                  -> core::Result<service::ReferralView> {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-REF-3"));
    return e.svc.referrals->Submit(p, id);
  });
  AddAction(r, env, "approve", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                   -> core::Result<service::ReferralView> {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-REF-3"));
    return e.svc.referrals->Approve(p, id);
  });
  AddAction(r, env, "return", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                  -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxTextChars, "R-REF-3", true));
    return e.svc.referrals->Return(p, id, reason);
  });
  AddAction(r, env, "receive", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                   -> core::Result<service::ReferralView> {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-REF-6"));
    return e.svc.referrals->Receive(p, id);
  });
  AddAction(r, env, "accept", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                  -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(std::string note, TextBody(e, req, "note", domain::kMaxTextChars, "R-REF-6", false));
    return e.svc.referrals->Accept(p, id, note);
  });
  AddAction(r, env, "decline", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                   -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxTextChars, "R-REF-6", true));
    return e.svc.referrals->Decline(p, id, reason);
  });
  AddAction(r, env, "withdraw", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                    -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxTextChars, "R-REF-1", true));
    return e.svc.referrals->Withdraw(p, id, reason);
  });
  AddAction(r, env, "handle", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                  -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(std::string result, TextBody(e, req, "result", domain::kMaxResultChars, "R-REF-8", true));
    return e.svc.referrals->Handle(p, id, result);
  });
  AddAction(r, env, "close", [](const ApiEnv& e, Request& req, const service::Principal& p, int64_t id)
                                 -> core::Result<service::ReferralView> {
    XT_RETURN_IF_ERROR(EmptyBody(e, req, "R-REF-8"));
    return e.svc.referrals->Close(p, id);
  });
  AddAction(r, env, "coordination", [](const ApiEnv& e, Request& req, const service::Principal& p,
                                       int64_t id) -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(std::string reason, TextBody(e, req, "reason", domain::kMaxTextChars, "R-REF-7", true));
    return e.svc.referrals->RequestCoordination(p, id, reason);
  });
  AddAction(r, env, "coordination/decision", [](const ApiEnv& e, Request& req,
                                                const service::Principal& p,
                                                int64_t id) -> core::Result<service::ReferralView> {
    XT_ASSIGN_OR_RETURN(auto body, Body(e, req));
    FieldReader f(body);
    service::CoordinationDecisionInput in;
    in.decision = f.RequiredString("decision", 32);
    std::optional<int64_t> to = f.Optional<int64_t>("to_org");
    std::optional<int64_t> to_alias = f.Optional<int64_t>("to_org_id");
    in.reason = f.RequiredString("reason", domain::kMaxTextChars);
    XT_RETURN_IF_ERROR(WithRule(f.Finish(), "R-REF-7"));
    if (to && to_alias) {
      return Status::Invalid("to_org", "to_org 与 to_org_id 只能给出一个", "R-REF-7").En("Give to_org once");
    }
    in.to_org_id = to ? to : to_alias;
    return e.svc.referrals->DecideCoordination(p, id, in);
  });
}

}  // namespace xietong::http
