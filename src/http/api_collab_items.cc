// The combined 协作 list (all R-COL items, docs/collaboration-contract.md): GET
// /api/v1/collab-items and its CSV and Excel exports. Handlers parse the query and call the
// CollabItemRegistry once; the sources behind it apply visibility (R-ACC-1).
#include <string>

#include "http/api_common.h"
#include "http/views/collab_item.h"
#include "service/collab_items.h"

namespace xietong::http {

namespace {

// `paged`: the list reads page/page_size; the export ignores them.
core::Result<service::CollabItemQuery> ParseQuery(const Request& req, bool paged) {
  service::CollabItemQuery q;
  q.type = req.query_param("type").value_or("");
  q.direction = req.query_param("direction").value_or("");
  q.state = req.query_param("state").value_or("");
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  if (paged) {
    XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
    q.page = page.page;
    q.page_size = page.page_size;
  }
  return q;
}

}  // namespace

void RegisterCollabItemRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/collab-items",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(service::CollabItemQuery q, ParseQuery(req, true));
          XT_ASSIGN_OR_RETURN(service::CollabItemPage page, env.svc.collab_items->List(p, q));
          return Json(200, views::CollabItemPageJson(page));
        }));

  AddExportRoutes(
      r, env, "/api/v1/collab-items",
      [&env](Request& req, const service::Principal& p) -> core::Result<std::string> {
        XT_ASSIGN_OR_RETURN(service::CollabItemQuery q, ParseQuery(req, false));
        return env.svc.collab_items->ExportCsv(p, q);
      },
      "collab-items.csv", "执法协作事项.csv");
}

}  // namespace xietong::http
