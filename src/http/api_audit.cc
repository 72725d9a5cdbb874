// The audit trail: entries (an object's history for timelines) and chain verification (R-AUD-1).
#include <boost/json.hpp>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/audit.h"
#include "service/audit_checkpoint.h"
#include "service/audit_log.h"

namespace xietong::http {

void RegisterAuditRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/audit",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          storage::AuditFilter filter;
          filter.object_type = req.query_param("object_type").value_or("");
          filter.object_id = req.query_param("object_id").value_or("");
          XT_ASSIGN_OR_RETURN(filter.before_seq, req.query_int("before"));
          XT_ASSIGN_OR_RETURN(auto limit, req.query_int("limit"));
          if (limit) {
            if (*limit < 1 || *limit > 500)
              return core::Status::Invalid("limit", "limit 须在1至500之间").En("limit must be 1..500");
            filter.limit = static_cast<int>(*limit);
          }
          XT_ASSIGN_OR_RETURN(auto entries, service::ListAuditFor(*env.svc.store, p, filter));
          boost::json::array items;
          for (const auto& v : entries) items.push_back(views::AuditViewJson(v));
          return Json(200, boost::json::object{{"items", std::move(items)}});
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
