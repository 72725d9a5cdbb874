// The assessment (R-ASM-1, R-ASM-2; issue 14, docs/assessment-contract.md): indicators, the
// drill-down to the items behind each, an org's page, the dashboard, the CSV export, the scheme
// per year, published results, circulars of criticism and accountability records. Thin: read the
// query or body into the typed input, call AssessmentService, render (http/views/assessment.h).
// Body errors name the field and the rule; unknown fields are refused; a body that cannot be read
// reaches the service as its error, reported after the permission check.
#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "domain/assessment.h"
#include "domain/referral.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/assessment.h"
#include "service/assessment_service.h"
#include "service/csv.h"
#include "service/xlsx_writer.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
namespace as = domain::assessment;
using core::Result;
using core::Status;

Status Ruled(const Status& st, const char* rule, const std::string& prefix = "") {
  if (st.ok()) return st;
  Status out(st.code(), st.id(), st.message(), prefix + st.field(), rule);
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

// ?period=2026-11 | 2026-Q4 | 2026, or ?from=…&to=… (days, inclusive); default: this month.
Result<as::Period> PeriodParam(const ApiEnv& env, const Request& req) {
  if (auto p = req.query_param("period")) return as::ParsePeriod(*p);
  auto from = req.query_param("from"), to = req.query_param("to");
  if (from || to) return as::RangePeriod(from.value_or(""), to.value_or(""));
  const auto ymd = std::chrono::year_month_day(core::ShanghaiDay(env.svc.clock->Now()));
  return as::MonthPeriod(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())));
}

Result<as::Scheme> SchemeBody(const json::object& body) {
  FieldReader r(body);
  json::array arr = r.Required<json::array>("indicators");
  XT_RETURN_IF_ERROR(Ruled(r.Finish(), "R-ASM-1"));
  as::Scheme s;
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string prefix = "indicators[" + std::to_string(i) + "].";
    if (!arr[i].is_object()) {
      return Status::Invalid("indicators[" + std::to_string(i) + "]", "指标应为对象", "R-ASM-1", "invalid_type")
          .En("an indicator is an object");
    }
    FieldReader ir(arr[i].as_object());
    as::SchemeItem it;
    it.id = ir.RequiredString("id", 40);
    it.weight = ir.Required<double>("weight");
    it.good = ir.Required<double>("good");
    it.bad = ir.Required<double>("bad");
    XT_RETURN_IF_ERROR(Ruled(ir.Finish(), "R-ASM-1", prefix));
    s.items.push_back(std::move(it));
  }
  return s;
}

Result<as::Period> PublishBody(const json::object& body) {
  FieldReader r(body);
  std::string period = r.RequiredString("period", 30);
  XT_RETURN_IF_ERROR(Ruled(r.Finish(), "R-ASM-1"));
  return as::ParsePeriod(period);
}

Result<service::CircularInput> CircularBody(const json::object& body) {
  FieldReader r(body);
  service::CircularInput in;
  in.org_id = r.Required<int64_t>("org_id");
  in.title = r.RequiredString("title", 100);
  in.text = r.RequiredString("text", 4000);
  in.duty_ids = r.Required<std::vector<int64_t>>("duty_ids");
  XT_RETURN_IF_ERROR(Ruled(r.Finish(), "R-ASM-2"));
  if (domain::IsBlank(in.title)) return Status::Invalid("title", "请填写标题", "R-ASM-2", "too_short").En("title must not be blank");
  if (domain::IsBlank(in.text)) return Status::Invalid("text", "请填写通报事实", "R-ASM-2", "too_short").En("text must not be blank");
  if (in.duty_ids.empty() || in.duty_ids.size() > 50) {
    return Status::Invalid("duty_ids", "请选择 1 至 50 项逾期事项", "R-ASM-2", "invalid_value")
        .En("duty_ids: 1 to 50 failing duties");
  }
  return in;
}

Result<service::AccountabilityInput> AccountabilityBody(const json::object& body) {
  FieldReader r(body);
  service::AccountabilityInput in;
  in.circular_id = r.Required<int64_t>("circular_id");
  in.person = r.RequiredString("person", 100);
  in.measure = r.RequiredString("measure", 100);
  in.text = r.RequiredString("text", 4000);
  XT_RETURN_IF_ERROR(Ruled(r.Finish(), "R-ASM-2"));
  for (auto [f, v] : {std::pair{"person", &in.person}, {"measure", &in.measure}, {"text", &in.text}}) {
    if (domain::IsBlank(*v)) return Status::Invalid(f, "不能为空", "R-ASM-2", "too_short").En(std::string(f) + " must not be blank");
  }
  return in;
}

// The export's sheet ids, in order.
constexpr std::pair<const char*, const char*> kSheets[] = {
    {"scores", "综合得分"}, {"duties", "期限履行"}, {"referrals", "案件移送"},
    {"supervision", "监督与培训"}, {"kinds", "各类期限"}};

}  // namespace

void RegisterAssessmentRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/assessment",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(as::Period period, PeriodParam(env, req));
          XT_ASSIGN_OR_RETURN(service::Assessment a, env.svc.assessment->Compute(p, period, service::OrgSet{}));
          return Json(200, service::AssessmentJson(a));
        }));
  r.Add("GET", "/api/v1/assessment/items",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(std::optional<int64_t> org, req.query_int("org"));
          if (!org) return Status::Invalid("org", "缺少参数：org", "R-ASM-1", "missing_field").En("Missing org");
          const std::string ind = req.query_param("indicator").value_or("");
          XT_ASSIGN_OR_RETURN(as::Period period, PeriodParam(env, req));
          XT_ASSIGN_OR_RETURN(auto facts, env.svc.assessment->Facts(p, *org, ind, period));
          return Json(200, views::AssessmentFactsJson(*org, ind, period, facts));
        }));
  r.Add("GET", "/api/v1/assessment/orgs/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(as::Period period, PeriodParam(env, req));
          XT_ASSIGN_OR_RETURN(auto page, env.svc.assessment->Org(p, id, period));
          return Json(200, views::AssessmentOrgJson(page));
        }));
  r.Add("GET", "/api/v1/assessment/dashboard",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(std::optional<int64_t> year, req.query_int("year"));
          int y = year ? static_cast<int>(*year)
                       : static_cast<int>(std::chrono::year_month_day(core::ShanghaiDay(env.svc.clock->Now())).year());
          XT_ASSIGN_OR_RETURN(auto d, env.svc.assessment->Dashboard(p, y));
          return Json(200, views::AssessmentDashboardJson(d));
        }));
  // The chosen indicator group (?group=), or every group (-1); 400 naming `group` otherwise.
  auto chosen_group = [](const Request& req) -> Result<int> {
    const std::string group = req.query_param("group").value_or("");
    for (int i = 0; i < 5; ++i)
      if (group == kSheets[i].first) return i;
    if (!group.empty()) {
      return Status::Invalid("group", "group 应为 scores、duties、referrals、supervision 或 kinds", "R-ASM-1",
                             "invalid_value")
          .En("group must be scores, duties, referrals, supervision or kinds");
    }
    return -1;
  };
  r.Add("GET", "/api/v1/assessment/export.csv",
        WithAuth(env, [&env, chosen_group](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(as::Period period, PeriodParam(env, req));
          XT_ASSIGN_OR_RETURN(int chosen, chosen_group(req));
          XT_ASSIGN_OR_RETURN(auto tables, env.svc.assessment->Tables(p, period));
          std::string csv(service::kCsvBom);
          for (int i = 0; i < static_cast<int>(tables.size()); ++i) {
            if (chosen >= 0 && i != chosen) continue;
            std::string body = tables[i].csv.substr(service::kCsvBom.size());
            if (chosen < 0) csv += service::CsvRow({std::string_view("【" + tables[i].sheet_name + "】")});
            csv += body;
            if (chosen < 0) csv += "\r\n";
          }
          return CsvAttachment(std::move(csv), "assessment.csv", "考核统计.csv");
        }));
  // The same tables as a workbook: one sheet per indicator group (issue 14).
  r.Add("GET", "/api/v1/assessment/export.xlsx",
        WithAuth(env, [&env, chosen_group](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(as::Period period, PeriodParam(env, req));
          XT_ASSIGN_OR_RETURN(int chosen, chosen_group(req));
          XT_ASSIGN_OR_RETURN(auto tables, env.svc.assessment->Tables(p, period));
          std::vector<std::pair<std::string, std::string>> sheets;
          for (int i = 0; i < static_cast<int>(tables.size()); ++i) {
            if (chosen >= 0 && i != chosen) continue;
            sheets.emplace_back(tables[i].sheet_name, tables[i].csv);
          }
          XT_ASSIGN_OR_RETURN(std::string bytes, service::WorkbookFromCsv(sheets));
          return XlsxAttachment(std::move(bytes), "assessment.xlsx", "考核统计.xlsx");
        }));
  r.Add("GET", "/api/v1/assessment/schemes/{year}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t year, PathId(req, "year"));
          XT_ASSIGN_OR_RETURN(auto v, env.svc.assessment->GetScheme(p, static_cast<int>(year)));
          return Json(200, views::SchemeViewJson(v));
        }));
  r.Add("PUT", "/api/v1/assessment/schemes/{year}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t year, PathId(req, "year"));
          auto body = Body(env, req);
          Result<as::Scheme> in = body.ok() ? SchemeBody(*body) : Result<as::Scheme>(body.status());
          XT_ASSIGN_OR_RETURN(auto v, env.svc.assessment->SaveScheme(p, static_cast<int>(year), in));
          return Json(200, views::SchemeViewJson(v));
        }));
  r.Add("GET", "/api/v1/assessment/results",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(auto rows, env.svc.assessment->Results(p));
          json::array items;
          for (const auto& row : rows) items.push_back(views::AssessmentResultJson(row, false));
          return Json(200, json::object{{"items", std::move(items)}, {"total", rows.size()}});
        }));
  r.Add("POST", "/api/v1/assessment/results",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          auto body = Body(env, req);
          Result<as::Period> in = body.ok() ? PublishBody(*body) : Result<as::Period>(body.status());
          XT_ASSIGN_OR_RETURN(auto row, env.svc.assessment->Publish(p, in));
          Response out = Json(201, views::AssessmentResultJson(row, true));
          out.AddHeader("Location", "/api/v1/assessment/results/" + std::to_string(row.id));
          return out;
        }));
  r.Add("GET", "/api/v1/assessment/results/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto row, env.svc.assessment->GetResult(p, id));
          return Json(200, views::AssessmentResultJson(row, true));
        }));
  // R-ASM-2.
  r.Add("POST", "/api/v1/circulars",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          auto body = Body(env, req);
          Result<service::CircularInput> in =
              body.ok() ? CircularBody(*body) : Result<service::CircularInput>(body.status());
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.assessment->CreateCircular(p, in));
          Response out = Json(201, views::AssessmentItemJson(v));
          out.AddHeader("Location", "/api/v1/circulars/" + std::to_string(v.item.id));
          return out;
        }));
  r.Add("GET", "/api/v1/circulars/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.assessment->GetItem(p, domain::CoordType::kCircular, id));
          return Json(200, views::AssessmentItemJson(v));
        }));
  r.Add("POST", "/api/v1/accountability-records",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          auto body = Body(env, req);
          Result<service::AccountabilityInput> in =
              body.ok() ? AccountabilityBody(*body) : Result<service::AccountabilityInput>(body.status());
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.assessment->CreateAccountability(p, in));
          Response out = Json(201, views::AssessmentItemJson(v));
          out.AddHeader("Location", "/api/v1/accountability-records/" + std::to_string(v.item.id));
          return out;
        }));
  r.Add("GET", "/api/v1/accountability-records/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v,
                              env.svc.assessment->GetItem(p, domain::CoordType::kAccountability, id));
          return Json(200, views::AssessmentItemJson(v));
        }));
}

}  // namespace xietong::http
