// Operating the server (issue 18): the backup schedule's state for administrators.
#include <boost/json.hpp>

#include "http/api_common.h"

namespace xietong::http {

void RegisterOpsRoutes(Router& r, ApiEnv& env) {
  // GET /api/v1/admin/backups: the schedule (serve --backup-dir/--backup-every/--backup-keep),
  // the last verified backup (when, size, age) and a failure since then; admin only (R-ACC-1).
  r.Add("GET", "/api/v1/admin/backups",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          if (!p.IsAdmin())
            return core::Status::Denied("仅系统管理员可查看备份状态", "R-ACC-1")
                .En("Only administrators may see the backups");
          if (!env.backup_status) return core::Status::Unavailable("备份状态不可用");
          XT_ASSIGN_OR_RETURN(boost::json::object status, env.backup_status());
          return Json(200, std::move(status));
        }));
}

}  // namespace xietong::http
