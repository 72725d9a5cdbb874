// Numbered documents (文书, R-DOC-1): GET /api/v1/documents/{id} → the printable HTML page
// (rendered by env.render_document, i.e. reports/document_html), for whoever can see the referral it belongs to (else 404).
#include <string>

#include "http/api_common.h"
#include "http/json_io.h"
#include "service/collaboration_service.h"
#include "service/coord_item_service.h"
#include "service/referral_service.h"

namespace xietong::http {

void RegisterDocumentRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/documents/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          // Collaboration documents (R-COL-1/2) are served to whoever can see the collaboration;
          // everything else is the referral service's (R-ACC-1).
          core::Result<domain::Document> found = core::Status::NotFound("document");
          if (env.svc.collaborations) found = env.svc.collaborations->GetDocument(p, id);
          // Notices, meetings, participation, violation notices (R-COL-6..8): whoever sees the item.
          if (!found.ok() && env.svc.coord_items) found = env.svc.coord_items->GetDocument(p, id);
          if (!found.ok()) found = env.svc.referrals->GetDocument(p, id);
          XT_ASSIGN_OR_RETURN(domain::Document doc, std::move(found));
          if (!env.render_document) return core::Status::Unavailable("文书打印页面暂不可用");
          // The verification address printed on paper is a full URL (issue 17 defect 10): the
          // scheme a proxy reports (X-Forwarded-Proto), else http, and the Host asked for.
          std::string origin;
          if (auto host = req.header("Host"); host && !host->empty() &&
                                              host->find_first_of("/\\ \"<>") == std::string_view::npos) {
            auto proto = req.header("X-Forwarded-Proto");
            const bool https = proto && EqualsIgnoreCase(*proto, "https");
            origin = std::string(https ? "https://" : "http://") + std::string(*host);
          }
          XT_ASSIGN_OR_RETURN(std::string html, env.render_document(doc, origin));
          Response res;
          res.content_type = "text/html; charset=utf-8";
          res.body = std::move(html);
          // The page is self-contained: no scripts, styles inline, links only to the record.
          res.AddHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
          res.AddHeader("X-Frame-Options", "SAMEORIGIN");  // framed by our own UI only
          res.AddHeader("Cache-Control", "private, no-cache");
          return res;
        }));
}

}  // namespace xietong::http
