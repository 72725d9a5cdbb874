// Court enforcement applications (R-CRI-3) and police support requests (R-CRI-4), with the
// judicial users acting on them (R-CRI-5): list (+ CSV), create, detail and the steps of
// docs/court-enforcement-police-support-contract.md. Thin: read the JSON body into the typed
// input (service/court_police_service.h), call CourtPoliceService once, render its view
// (http/views/court_police.h). Every body error names the field and the type's rule; unknown
// fields are refused. A body that cannot be read reaches the service as its error, reported
// after access and state are checked (a refused step answers 403/404/409 whatever its body).
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/coord_items.h"
#include "domain/referral.h"
#include "http/api_common.h"
#include "http/api_items.h"
#include "http/json_io.h"
#include "http/views/court_police.h"
#include "service/court_police_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordType;
using domain::Id;
using service::CourtPoliceCreateInput;
using service::CourtPoliceStepInput;

// FieldReader with the type's rule on every error, instants, ids and file lists.
class In {
 public:
  In(const json::object& o, CoordType t) : r_(o), rule_(domain::CoordTypeRule(t)) {}
  std::string Req(const char* n, size_t max) {
    std::string s = r_.RequiredString(n, max);
    if (r_.status().ok() && domain::IsBlank(s)) Fail(Missing(n));
    return s;
  }
  std::string Opt(const char* n, size_t max) { return r_.OptionalString(n, max).value_or(""); }
  std::optional<Id> IdOf(const char* n, bool required) {
    std::optional<int64_t> v = r_.Optional<int64_t>(n);
    if (!v) {
      if (required && r_.status().ok()) Fail(Missing(n));
      return std::nullopt;
    }
    if (*v <= 0) Fail(Bad(n, std::string(n) + " 应为正整数编号", std::string(n) + " must be a positive id"));
    return *v;
  }
  std::optional<core::Instant> Time(const char* n, bool required) {
    std::optional<std::string> s = r_.Optional<std::string>(n);
    if (!s) {
      if (required && r_.status().ok()) Fail(Missing(n));
      return std::nullopt;
    }
    std::optional<core::Instant> t = core::ParseInstant(*s);
    if (!t) {
      Fail(Bad(n, std::string(n) + " 应为 RFC 3339 时间，如 2026-11-25T09:30:00+08:00",
               std::string(n) + " must be an RFC 3339 instant"));
    }
    return t;
  }
  // Up to 50 {"name" 1..100, "description" 0..500, "file" sha256 or ""}.
  std::vector<service::CoordMaterialInput> Files(const char* n) {
    std::vector<service::CoordMaterialInput> out;
    std::optional<json::array> arr = r_.Optional<json::array>(n);
    if (!arr) return out;
    if (arr->size() > 50) Fail(Bad(n, std::string(n) + " 不能超过50项", std::string(n) + ": at most 50"));
    for (size_t i = 0; i < arr->size() && err_.ok(); ++i) {
      const std::string base = std::string(n) + "[" + std::to_string(i) + "]";
      if (!(*arr)[i].is_object()) {
        Fail(Bad(base, base + " 应为对象", base + " must be an object"));
        break;
      }
      In m((*arr)[i].as_object(), rule_);
      service::CoordMaterialInput x{m.Req("name", 100), m.Opt("description", 500), m.Opt("file", 64)};
      if (Status st = m.Finish(); !st.ok()) {
        Fail(Status(st.code(), st.id(), st.message(), base + "." + st.field(), rule_)
                 .En(base + "." + st.field() + ": " + st.message_en()));
        break;
      }
      out.push_back(std::move(x));
    }
    return out;
  }
  json::value Raw(const char* n) { return r_.Optional<json::value>(n).value_or(nullptr); }
  bool Flag(const char* n) { return r_.Optional<bool>(n).value_or(false); }
  std::optional<int> Int(const char* n) { return r_.Optional<int>(n); }
  void Fail(Status s) {
    if (err_.ok()) err_ = std::move(s);
  }
  Status Bad(const std::string& f, const std::string& zh, const std::string& en) const {
    return Status::Invalid(f, zh, rule_, "invalid_value").En(en);
  }
  // The reader's first error (or an unknown field), then ours; each with the rule.
  Status Finish() const {
    Status st = r_.Finish();
    if (st.ok()) return err_;
    Status out(st.code(), st.id(), st.message(), st.field(), rule_);
    if (!st.message_en().empty()) out.En(st.message_en());
    return out;
  }

 private:
  In(const json::object& o, std::string rule) : r_(o), rule_(std::move(rule)) {}
  Status Missing(const char* n) const {
    return Status::Invalid(n, std::string("缺少必填字段：") + n, rule_, "missing_field")
        .En(std::string("Missing field: ") + n);
  }
  FieldReader r_;
  std::string rule_;
  Status err_;
};

// ---- Creating bodies ------------------------------------------------------------------------

Result<CourtPoliceCreateInput> CreateInput(CoordType t, const json::object& body) {
  In b(body, t);
  if (t == CoordType::kCourtEnforcement) {
    service::CourtEnforcementInput in;
    const std::string kind = b.Req("kind", 40);
    in.self = kind == "self_enforcement";
    in.title = b.Opt("title", 100);
    in.referral_id = b.IdOf("referral_id", false);
    in.case_number = b.Opt("case_number", 100);
    in.decision_number = b.Req("decision_number", 100);
    in.party = b.Req("party", 200);
    in.obligations = b.Req("obligations", 5000);
    in.non_compliance = b.Req("non_compliance", 5000);
    in.to_org = b.IdOf("to_org", false);
    in.measure = b.Opt("measure", 2000);
    in.enforced_at = b.Time("enforced_at", false);
    in.result = b.Opt("result", 5000);
    in.materials = b.Files("materials");
    if (!kind.empty() && kind != "self_enforcement" && kind != "court_application") {
      b.Fail(b.Bad("kind", "kind 应为 court_application 或 self_enforcement",
                   "kind must be court_application or self_enforcement"));
    }
    XT_RETURN_IF_ERROR(b.Finish());
    return CourtPoliceCreateInput(std::move(in));
  }
  service::PoliceSupportInput in;
  in.title = b.Opt("title", 100);
  in.referral_id = b.IdOf("referral_id", false);
  in.case_number = b.Opt("case_number", 100);
  std::optional<Id> to = b.IdOf("to_org", true);
  std::optional<core::Instant> at = b.Time("action_at", true);
  in.place = b.Req("place", 200);
  in.reason = b.Req("reason", 5000);
  in.risk = b.Req("risk", 2000);
  in.materials = b.Files("materials");
  XT_RETURN_IF_ERROR(b.Finish());
  in.to_org = *to;
  in.action_at = *at;
  return CourtPoliceCreateInput(std::move(in));
}

// ---- Step bodies ----------------------------------------------------------------------------

struct Step {
  std::string action;  // the table's action ("ruling.granted" for POST …/ruling {"decision":"granted"})
  Result<CourtPoliceStepInput> in;
};

// `route` is the path segment; a decision field picks the row of ruling / answer. An unreadable
// decision keeps the first row of the pair (same state and actor): its error is reported after
// the step is allowed.
Step ReadStep(CoordType t, const std::string& route, const json::object& body) {
  In b(body, t);
  auto done = [&](std::string action, CourtPoliceStepInput in) -> Step {
    Status st = b.Finish();
    if (!st.ok()) return Step{std::move(action), st};
    return Step{std::move(action), std::move(in)};
  };
  auto decision = [&](const char* yes, const char* no, const char* yes_action,
                      const char* no_action) -> std::string {
    const std::string d = b.Req("decision", 20);
    if (d == no) return no_action;
    if (d != yes && !d.empty()) {
      b.Fail(b.Bad("decision", std::string("decision 应为 ") + yes + " 或 " + no,
                   std::string("decision must be ") + yes + " or " + no));
    }
    return yes_action;
  };
  if (route == "reject" || route == "withdraw" || route == "cancel") {
    service::CoordReasonInput in{b.Req("reason", 500)};
    return done(route, in);
  }
  if (route == "accept") {
    service::CourtAcceptInput in{b.Opt("court_case_number", 100), b.Opt("note", 500)};
    return done(route, in);
  }
  if (route == "ruling") {
    std::string action = decision("granted", "denied", "ruling.granted", "ruling.denied");
    service::CourtRulingInput in;
    in.ruling_number = b.Req("ruling_number", 100);
    std::optional<core::Instant> at = b.Time("ruled_at", true);
    in.text = b.Req("text", 5000);
    if (at) in.ruled_at = *at;
    return done(action, in);
  }
  if (route == "execution") {
    service::CourtExecutionInput in{b.Req("result", 5000), b.Time("executed_at", false)};
    return done(route, in);
  }
  if (route == "answer") {
    std::string action = decision("assist", "decline", "answer.assist", "answer.decline");
    service::PoliceAnswerInput in;
    const bool assist = action == "answer.assist";
    std::optional<int> officers = b.Int("officers");
    in.contact = b.Opt("contact", 100);
    in.note = b.Opt("note", 500);
    in.reason = assist ? b.Opt("reason", 500) : b.Req("reason", 500);
    if (assist && (!officers || *officers < 1 || *officers > 200)) {
      b.Fail(b.Bad("officers", "派警协助须说明派出警力人数（1至200）", "officers must be 1..200"));
    }
    if (!assist && officers) b.Fail(b.Bad("officers", "不予协助时不填派警人数", "officers is for assist only"));
    in.officers = officers.value_or(0);
    return done(action, in);
  }
  if (route == "outcome") {
    service::PoliceOutcomeInput in{b.Req("result", 5000), b.Flag("obstruction")};
    return done(route, in);
  }
  if (route == "hand-over") {
    service::PoliceHandoverInput in{b.Req("facts", 5000), b.Req("people", 2000), b.Files("evidence")};
    return done(route, in);
  }
  if (route == "handle") {
    service::PoliceHandleInput in{b.Req("disposition", 40), b.Opt("case_number", 100), b.Req("note", 2000)};
    return done(route, in);
  }
  return Step{route, Status::Internal("no body reader for " + route)};
}

// ---- Routes ---------------------------------------------------------------------------------

void AddResource(Router& r, ApiEnv& env, CoordType t, std::vector<std::string> steps,
                 const char* csv_ascii, const char* csv_utf8) {
  using V = service::CoordItemView;
  using P = service::Principal;
  AddItemRoutes<service::CoordQuery>(r, env, {
      .base = "/api/v1/" + std::string(domain::CoordTypePath(t)),
      .parse = CoordQueryParams,
      .list = [t](const ApiEnv& e, const P& p, const service::CoordQuery& q) { return e.svc.court_police->List(p, t, q); },
      .render_list = views::CourtPoliceListJson,
      .csv = [t](const ApiEnv& e, const P& p, service::CoordQuery q) { return e.svc.court_police->ExportCsv(p, t, std::move(q)); },
      .csv_ascii = csv_ascii,
      .csv_utf8 = csv_utf8,
      .create = [t](const ApiEnv& e, const P& p, const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.court_police->Create(p, t, CreateInput(t, *body));
      },
      .get = [t](const ApiEnv& e, const P& p, int64_t id) { return e.svc.court_police->Get(p, t, id); },
      .render = views::CourtPoliceJson,
      .steps = std::move(steps),
      .act = [t](const ApiEnv& e, const P& p, int64_t id, const std::string& route,
                 const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        Step step = ReadStep(t, route, *body);
        return e.svc.court_police->Act(p, t, id, step.action, step.in);
      },
  });
}

}  // namespace

void RegisterCourtPoliceRoutes(Router& r, ApiEnv& env) {
  AddResource(r, env, CoordType::kCourtEnforcement, {"accept", "reject", "ruling", "execution", "withdraw"},
              "court-enforcements.csv", "申请强制执行.csv");
  AddResource(r, env, CoordType::kPoliceSupport, {"answer", "outcome", "hand-over", "handle", "cancel"},
              "police-support-requests.csv", "提请公安协助.csv");
}

}  // namespace xietong::http
