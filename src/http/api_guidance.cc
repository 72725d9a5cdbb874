// Guidance requests (R-GUI-1), trainings and their yearly view (R-GUI-2), technical support
// requests (R-GUI-3): list (+ CSV), create, detail and the steps of
// docs/guidance-training-contract.md. Thin: read the JSON body into the typed input
// (service/guidance_service.h), call GuidanceService once, render its view
// (http/views/guidance.h). Every body error names the field and the type's rule; unknown fields
// are refused. A body that cannot be read reaches the service as its error, reported after
// access and state are checked (a refused step answers 403/404/409 whatever its body).
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
#include "http/views/guidance.h"
#include "service/guidance_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordType;
using domain::Id;
using service::GuidanceCreateInput;
using service::GuidanceStepInput;

// FieldReader with the type's rule on every error, days, ids and name lists.
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
  std::vector<Id> Ids(const char* n, size_t max, bool required) {
    std::optional<std::vector<int64_t>> v = r_.Optional<std::vector<int64_t>>(n);
    if (!v) {
      if (required && r_.status().ok()) Fail(Missing(n));
      return {};
    }
    if (v->size() > max) Fail(Bad(n, std::string(n) + " 不能超过" + std::to_string(max) + "项", std::string(n) + ": too many"));
    return std::vector<Id>(v->begin(), v->end());
  }
  std::vector<std::string> Names(const char* n, size_t max, bool required) {
    std::optional<std::vector<std::string>> v = r_.Optional<std::vector<std::string>>(n);
    if (!v || v->empty()) {
      if (required && r_.status().ok()) Fail(Missing(n));
      return {};
    }
    if (v->size() > max) Fail(Bad(n, std::string(n) + " 不能超过" + std::to_string(max) + "项", std::string(n) + ": too many"));
    for (const auto& s : *v) {
      if (domain::IsBlank(s) || domain::Utf8Length(s) > 50) {
        Fail(Bad(n, std::string(n) + " 的每一项应为1至50个字", std::string(n) + ": each name 1..50 characters"));
      }
    }
    return *v;
  }
  std::optional<core::CivilDay> Day(const char* n, bool required) {
    std::optional<std::string> s = r_.Optional<std::string>(n);
    if (!s) {
      if (required && r_.status().ok()) Fail(Missing(n));
      return std::nullopt;
    }
    std::optional<core::CivilDay> d = core::ParseDay(*s);
    if (!d) Fail(Bad(n, std::string(n) + " 应为日期，如 2026-11-25", std::string(n) + " must be a date like 2026-11-25"));
    return d;
  }
  std::optional<double> Number(const char* n) { return r_.Optional<double>(n); }
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
  void Fail(Status s) {
    if (err_.ok()) err_ = std::move(s);
  }
  Status Bad(const std::string& f, const std::string& zh, const std::string& en) const {
    return Status::Invalid(f, zh, rule_, "invalid_value").En(en);
  }
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

Result<GuidanceCreateInput> CreateInput(CoordType t, const json::object& body) {
  In b(body, t);
  if (t == CoordType::kGuidanceRequest) {
    service::GuidanceRequestInput in;
    in.title = b.Opt("title", 100);
    in.referral_id = b.IdOf("referral_id", false);
    in.kind = b.Req("kind", 20);
    std::optional<Id> to = b.IdOf("to_org", true);
    in.matter = b.Opt("matter", 64);
    in.question = b.Req("question", 5000);
    in.wished_date = b.Day("wished_date", false);
    XT_RETURN_IF_ERROR(b.Finish());
    in.to_org = *to;
    return GuidanceCreateInput(std::move(in));
  }
  if (t == CoordType::kTraining) {
    service::TrainingInput in;
    in.title = b.Req("title", 100);
    std::optional<core::CivilDay> date = b.Day("date", true);
    in.place = b.Req("place", 200);
    std::optional<double> hours = b.Number("hours");
    in.trainers = b.Names("trainers", 20, true);
    in.invited_orgs = b.Ids("invited_orgs", 100, true);
    in.attendees = b.Ids("attendees", 500, false);
    in.content = b.Opt("content", 5000);
    if (!hours) b.Fail(b.Bad("hours", "缺少必填字段：hours", "Missing field: hours"));
    XT_RETURN_IF_ERROR(b.Finish());
    in.date = *date;
    in.hours = *hours;
    return GuidanceCreateInput(std::move(in));
  }
  service::TechSupportInput in;
  const std::string kind = b.Req("kind", 20);
  in.procurement = kind == "procurement";
  in.title = b.Opt("title", 100);
  in.referral_id = b.IdOf("referral_id", false);
  in.to_org = b.IdOf("to_org", false);
  in.subject = b.Req("subject", 2000);
  in.sample = b.Opt("sample", 2000);
  in.urgency = b.Opt("urgency", 10);
  in.institution = b.Opt("institution", 200);
  in.contract_number = b.Opt("contract_number", 100);
  in.amount = b.Number("amount");
  in.result = b.Opt("result", 5000);
  in.materials = b.Files("materials");
  if (!kind.empty() && kind != "request" && kind != "procurement") {
    b.Fail(b.Bad("kind", "kind 应为 request 或 procurement", "kind must be request or procurement"));
  }
  if (!in.procurement && in.urgency.empty()) in.urgency = "normal";
  XT_RETURN_IF_ERROR(b.Finish());
  return GuidanceCreateInput(std::move(in));
}

// ---- Step bodies ----------------------------------------------------------------------------

Result<GuidanceStepInput> ReadStep(CoordType t, const std::string& route, const json::object& body) {
  In b(body, t);
  auto done = [&](GuidanceStepInput in) -> Result<GuidanceStepInput> {
    XT_RETURN_IF_ERROR(b.Finish());
    return in;
  };
  if (route == "decline" || route == "withdraw" || route == "cancel") {
    return done(service::CoordReasonInput{b.Req("reason", 500)});
  }
  if (route == "schedule") {
    service::GuidanceScheduleInput in;
    std::optional<core::CivilDay> d = b.Day("date", true);
    in.place = b.Req("place", 200);
    in.people = b.Names("people", 20, true);
    in.note = b.Opt("note", 2000);
    if (d) in.date = *d;
    return done(in);
  }
  if (route == "record") return done(service::GuidanceTextInput{b.Req("text", 5000)});
  if (route == "close") return done(service::GuidanceTextInput{b.Opt("summary", 2000)});
  if (route == "attendance") return done(service::TrainingAttendanceInput{b.Ids("attended", 500, true)});
  if (route == "answer") {
    service::TechAnswerInput in;
    in.mode = b.Req("mode", 20);
    in.details = b.Req("details", 5000);
    in.date = b.Day("date", false);
    in.people = b.Names("people", 20, false);
    return done(in);
  }
  return Status::Internal("no body reader for " + route);
}

// ---- Routes ---------------------------------------------------------------------------------

void AddResource(Router& r, ApiEnv& env, CoordType t, std::vector<std::string> steps,
                 const char* csv_ascii, const char* csv_utf8) {
  using V = service::CoordItemView;
  using P = service::Principal;
  AddItemRoutes<service::CoordQuery>(r, env, {
      .base = "/api/v1/" + std::string(domain::CoordTypePath(t)),
      .parse = CoordQueryParams,
      .list = [t](const ApiEnv& e, const P& p, const service::CoordQuery& q) { return e.svc.guidance->List(p, t, q); },
      .render_list = views::GuidanceListJson,
      .csv = [t](const ApiEnv& e, const P& p, service::CoordQuery q) { return e.svc.guidance->ExportCsv(p, t, std::move(q)); },
      .csv_ascii = csv_ascii,
      .csv_utf8 = csv_utf8,
      .create = [t](const ApiEnv& e, const P& p, const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.guidance->Create(p, t, CreateInput(t, *body));
      },
      .get = [t](const ApiEnv& e, const P& p, int64_t id) { return e.svc.guidance->Get(p, t, id); },
      .render = views::GuidanceItemJson,
      .steps = std::move(steps),
      .act = [t](const ApiEnv& e, const P& p, int64_t id, const std::string& route,
                 const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.guidance->Act(p, t, id, route, ReadStep(t, route, *body));
      },
  });
}

}  // namespace

void RegisterGuidanceRoutes(Router& r, ApiEnv& env) {
  // R-GUI-2: the yearly view (before /trainings/{id}).
  r.Add("GET", "/api/v1/trainings/summary",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(std::optional<int64_t> year, req.query_int("year"));
          const int y = year ? static_cast<int>(*year)
                             : static_cast<int>(std::chrono::year_month_day(core::ShanghaiDay(env.svc.clock->Now())).year());
          XT_ASSIGN_OR_RETURN(service::TrainingSummary s, env.svc.guidance->Summary(p, y));
          return Json(200, views::TrainingSummaryJson(s));
        }));
  AddResource(r, env, CoordType::kGuidanceRequest, {"schedule", "decline", "record", "withdraw"},
              "guidance-requests.csv", "业务指导.csv");
  AddResource(r, env, CoordType::kTraining, {"attendance", "close", "cancel"}, "trainings.csv", "业务培训.csv");
  AddResource(r, env, CoordType::kTechSupport, {"answer", "withdraw"}, "tech-support-requests.csv", "技术支持.csv");
}

}  // namespace xietong::http
