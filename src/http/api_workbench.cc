// The workbench, approvals in 待办, the coordinator's overview and 督办 (issue 17;
// docs/workbench-contract.md). Thin: read the query or body into the typed input, call one
// service, render its view (http/views/workbench.h). Body errors name the field and R-PLN-2;
// unknown fields are refused; a body that cannot be read reaches the service as its error,
// reported after the permission check (a refused urging answers 403/404/409 whatever its body).
#include <boost/json.hpp>
#include <string>

#include "domain/referral.h"
#include "http/api_common.h"
#include "http/api_items.h"
#include "http/json_io.h"
#include "http/views/workbench.h"
#include "service/urging_service.h"
#include "service/workbench_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;

constexpr const char* kRule = "R-PLN-2";

// The reader's first error (or an unknown field) with the rule.
Status Ruled(const Status& st) {
  if (st.ok()) return st;
  Status out(st.code(), st.id(), st.message(), st.field(), kRule);
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

Result<service::UrgeInput> UrgeBody(const json::object& body) {
  FieldReader r(body);
  service::UrgeInput in;
  in.target_type = r.RequiredString("target_type", 40);
  std::optional<int64_t> id = r.Optional<int64_t>("target_id");
  in.text = r.OptionalString("text", 2000).value_or("");
  XT_RETURN_IF_ERROR(Ruled(r.Finish()));
  if (!id) return Status::Invalid("target_id", "缺少必填字段：target_id", kRule, "missing_field").En("Missing field: target_id");
  if (*id <= 0) return Status::Invalid("target_id", "target_id 应为正整数编号", kRule, "invalid_value").En("target_id must be a positive id");
  in.target_id = *id;
  return in;
}

Result<service::UrgingAnswerInput> AnswerBody(const json::object& body) {
  FieldReader r(body);
  service::UrgingAnswerInput in;
  in.text = r.RequiredString("text", 2000);
  XT_RETURN_IF_ERROR(Ruled(r.Finish()));
  if (domain::IsBlank(in.text)) {
    return Status::Invalid("text", "请填写办理情况", kRule, "too_short").En("text must not be blank");
  }
  return in;
}

}  // namespace

void RegisterWorkbenchRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/workbench",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(service::Workbench w, env.svc.workbench->Get(p));
          return Json(200, views::WorkbenchJson(w));
        }));
  r.Add("GET", "/api/v1/pending-approvals",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(auto rows, env.svc.workbench->Approvals(p));
          return Json(200, views::ApprovalsJson(rows));
        }));
  r.Add("GET", "/api/v1/overview/orgs",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(service::Overview o,
                              env.svc.workbench->Orgs(p, req.query_param("sort").value_or("red")));
          return Json(200, views::OverviewJson(o));
        }));
  // 督办 (R-PLN-2): list (+ CSV), create (coordinator staff), detail, answer. A body that
  // cannot be read reaches the service as its error, after the permission check.
  using V = service::CoordItemView;
  using P = service::Principal;
  using Q = service::CoordQuery;
  AddItemRoutes<Q>(r, env, {
      .base = "/api/v1/urgings",
      .parse = CoordQueryParams,
      .list = [](const ApiEnv& e, const P& p, const Q& q) { return e.svc.urgings->List(p, q); },
      .render_list = views::UrgingListJson,
      .csv = [](const ApiEnv& e, const P& p, Q q) { return e.svc.urgings->ExportCsv(p, std::move(q)); },
      .csv_ascii = "urgings.csv",
      .csv_utf8 = "督办.csv",
      .create = [](const ApiEnv& e, const P& p, const Result<json::object>& body) -> Result<V> {
        return e.svc.urgings->Create(p, body.ok() ? UrgeBody(*body) : Result<service::UrgeInput>(body.status()));
      },
      .get = [](const ApiEnv& e, const P& p, int64_t id) { return e.svc.urgings->Get(p, id); },
      .render = views::UrgingJson,
      .steps = {"answer"},
      .act = [](const ApiEnv& e, const P& p, int64_t id, const std::string&, const Result<json::object>& body) -> Result<V> {
        return e.svc.urgings->Answer(
            p, id, body.ok() ? AnswerBody(*body) : Result<service::UrgingAnswerInput>(body.status()));
      },
  });
}

}  // namespace xietong::http
