// Numbered documents (文书, R-DOC-1): GET /api/v1/documents/{id} → the printable HTML page
// (rendered by env.render_document, i.e. reports/document_html) and GET /api/v1/documents/{id}/pdf
// → the PDF (env.render_document_pdf, reports/document_pdf, GB/T 9704), for whoever can see the
// referral, collaboration or item it belongs to (else 404). Both carry the document's public
// verification code and the QR/URL of /verify/{code} (R-ASM-3, issue 14).
#include <cctype>
#include <string>

#include "http/api_common.h"
#include "http/json_io.h"
#include "service/collaboration_service.h"
#include "service/coord_item_service.h"
#include "service/public_service.h"
#include "service/referral_service.h"

namespace xietong::http {

namespace {

// The document `id` as `p` may see it: collaboration documents (R-COL-1/2) for whoever sees the
// collaboration; notices, meetings and every item type's (R-COL-6..8 …) for whoever sees the item;
// everything else the referral service's (R-ACC-1).
core::Result<domain::Document> FindDocument(ApiEnv& env, const service::Principal& p, int64_t id) {
  core::Result<domain::Document> found = core::Status::NotFound("document");
  if (env.svc.collaborations) found = env.svc.collaborations->GetDocument(p, id);
  if (!found.ok() && env.svc.coord_items) found = env.svc.coord_items->GetDocument(p, id);
  if (!found.ok()) found = env.svc.referrals->GetDocument(p, id);
  return found;
}

// The origin the request asked for: the scheme a proxy reports (X-Forwarded-Proto), else http,
// and the Host (issue 17 defect 10). "" when the Host is missing or odd.
std::string Origin(const Request& req) {
  std::string origin;
  if (auto host = req.header("Host"); host && !host->empty() &&
                                      host->find_first_of("/\\ \"<>") == std::string_view::npos) {
    auto proto = req.header("X-Forwarded-Proto");
    const bool https = proto && EqualsIgnoreCase(*proto, "https");
    origin = std::string(https ? "https://" : "http://") + std::string(*host);
  }
  return origin;
}

struct Marks {
  std::string code, url;
};
Marks MarksOf(const ApiEnv& env, const domain::Document& doc, const std::string& origin) {
  Marks m;
  if (!env.svc.public_pages) return m;
  m.code = env.svc.public_pages->CodeOf(doc);
  m.url = (env.public_url.empty() ? origin : env.public_url) + "/verify/" + m.code;
  return m;
}

}  // namespace

void RegisterDocumentRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/documents/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(domain::Document doc, FindDocument(env, p, id));
          if (!env.render_document) return core::Status::Unavailable("文书打印页面暂不可用");
          // The verification address printed on paper is a full URL (issue 17 defect 10).
          const std::string origin = Origin(req);
          const Marks m = MarksOf(env, doc, origin);
          XT_ASSIGN_OR_RETURN(std::string html, env.render_document(doc, origin, m.code, m.url));
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
  r.Add("GET", "/api/v1/documents/{id}/pdf",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(domain::Document doc, FindDocument(env, p, id));
          if (!env.render_document_pdf) return core::Status::Unavailable("PDF文书暂不可用");
          const std::string origin = Origin(req);
          const Marks m = MarksOf(env, doc, origin);
          XT_ASSIGN_OR_RETURN(std::string pdf, env.render_document_pdf(doc, origin, m.code, m.url));
          // Saved as document-<id>.pdf, or by RFC 5987 browsers under its number (新城执移〔2026〕3号.pdf).
          static constexpr char kHex[] = "0123456789ABCDEF";
          std::string encoded;
          for (unsigned char c : doc.number + ".pdf") {
            if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
              encoded += static_cast<char>(c);
            } else {
              encoded += '%';
              encoded += kHex[c >> 4];
              encoded += kHex[c & 0xF];
            }
          }
          Response res;
          res.content_type = "application/pdf";
          res.body = std::move(pdf);
          res.AddHeader("Content-Disposition", "inline; filename=\"document-" + std::to_string(doc.id) +
                                                   ".pdf\"; filename*=UTF-8''" + encoded);
          res.AddHeader("Cache-Control", "private, no-cache");
          return res;
        }));
}

}  // namespace xietong::http
