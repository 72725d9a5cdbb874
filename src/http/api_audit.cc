// The audit trail: entries (an object's history for timelines) and chain verification (R-AUD-1).
#include <boost/json.hpp>

#include "core/time.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/audit.h"
#include "service/audit_checkpoint.h"
#include "service/audit_log.h"

namespace xietong::http {

namespace {
core::Result<std::optional<core::CivilDay>> AuditDay(const Request& req, const char* name) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::optional<core::CivilDay>();
  auto d = core::ParseDay(*text);
  if (!d) {
    return core::Status::Invalid(name, std::string(name) + " 应为 YYYY-MM-DD", {}, "invalid_value")
        .En(std::string(name) + " must be YYYY-MM-DD");
  }
  return std::optional<core::CivilDay>(*d);
}
}  // namespace

void RegisterAuditRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/audit",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          storage::AuditFilter filter;
          filter.object_type = req.query_param("object_type").value_or("");
          filter.object_id = req.query_param("object_id").value_or("");
          XT_ASSIGN_OR_RETURN(filter.before_seq, req.query_int("before"));
          // Filters of the 审计日志 page: operator, org (only for those who see every org's
          // entries; others always see their own org's), action (exact, or "referral." for every
          // action of that prefix), and a date range of Shanghai days, both ends inclusive.
          XT_ASSIGN_OR_RETURN(filter.actor_user_id, req.query_int("actor"));
          XT_ASSIGN_OR_RETURN(auto org, req.query_int("org"));
          if (org) filter.org_id = *org;
          filter.action = req.query_param("action").value_or("");
          if (filter.action.size() > 100)
            return core::Status::Invalid("action", "操作类型过长", {}, "too_long")
                .En("action is too long");
          XT_ASSIGN_OR_RETURN(auto from, AuditDay(req, "from"));
          XT_ASSIGN_OR_RETURN(auto to, AuditDay(req, "to"));
          if (from && to && *to < *from)
            return core::Status::Invalid("to", "结束日期不能早于开始日期").En("to is before from");
          if (from) filter.from = core::ShanghaiMidnight(*from);
          if (to) filter.to = core::ShanghaiMidnight(*to + std::chrono::days(1));
          XT_ASSIGN_OR_RETURN(auto limit, req.query_int("limit"));
          if (limit) {
            if (*limit < 1 || *limit > 500)
              return core::Status::Invalid("limit", "limit 须在1至500之间").En("limit must be 1..500");
            filter.limit = static_cast<int>(*limit);
          }
          if (req.query_param("page") || req.query_param("page_size")) {
            XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
            if (page.page_size > 500)
              return core::Status::Invalid("page_size", "page_size 须在1至500之间")
                  .En("page_size must be 1..500");
            filter.offset = page.offset();
            filter.limit = page.page_size;
          }
          int64_t total = 0;
          XT_ASSIGN_OR_RETURN(auto entries,
                              service::ListAuditFor(*env.svc.store, p, filter, &total));
          boost::json::array items;
          for (const auto& v : entries) items.push_back(views::AuditViewJson(v));
          return Json(200, boost::json::object{{"items", std::move(items)}, {"total", total}});
        }));

  r.Add("GET", "/api/v1/audit/verify",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          XT_RETURN_IF_ERROR(service::CanVerifyChain(p));
          XT_ASSIGN_OR_RETURN(auto check, service::VerifyChain(*env.svc.store));
          boost::json::object o{{"ok", check.ok}, {"entries", check.entries}};
          if (!check.ok) {
            o["first_bad"] = boost::json::object{
                {"seq", check.first_bad_seq},
                {"problem", domain::ChainProblemName(check.problem)},
                {"explanation", check.explanation}};
          }
          return Json(200, o);
        }));

  // The latest signed checkpoint of the chain head, in the portable form an org keeps and later
  // hands to `xietong audit verify --checkpoint FILE` (R-AUD-1). Every signed-in user may fetch it.
  r.Add("GET", "/api/v1/audit/checkpoint",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          XT_RETURN_IF_ERROR(service::CanDownloadCheckpoint(p));
          XT_ASSIGN_OR_RETURN(auto cp, service::LatestCheckpoint(*env.svc.store));
          if (!cp)
            return core::Status::NotFound("audit_checkpoint", "尚无已签名的审计检查点")
                .En("no signed audit checkpoint yet");
          Response res = Json(200, service::CheckpointJson(*cp));
          res.AddHeader("Cache-Control", "no-store");
          return res;
        }));
}

}  // namespace xietong::http
