// Glue shared by the API handler files (api_*.cc): authentication of a request, error mapping,
// JSON responses. Beast-free. Handlers stay thin: parse input, call one service, render JSON.
//
//   router.Add("GET", "/api/v1/orgs", WithAuth(env, [&](Request& req, const Principal& p)
//       -> core::Result<Response> {
//     XT_ASSIGN_OR_RETURN(auto orgs, env.svc.orgs->List(p));
//     return Json(200, OrgsJson(orgs));
//   }));
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "domain/doc_number.h"
#include "http/request.h"
#include "http/router.h"
#include "service/principal.h"
#include "service/services.h"

namespace xietong::http {

// The session cookie's Secure attribute (serve --cookie-secure): kAuto sets it when the
// request came over HTTPS through a trusted proxy (Request::forwarded_https).
enum class CookieSecure { kAuto, kAlways, kNever };

struct ApiEnv {
  service::Services svc;
  bool test_mode = false;              // enables /api/v1/test/* routes
  core::FakeClock* fake_clock = nullptr;  // set only in test mode with --fake-clock
  int max_json_depth = 32;
  CookieSecure cookie_secure = CookieSecure::kAuto;
  // Runs one sweeper pass now and returns its counts as JSON (test mode).
  std::function<boost::json::value()> run_sweeper;
  // Renders an issued document as its printable page (R-DOC-1). Set by cli to
  // reports::RenderDocumentHtml: reports and http are siblings, neither includes the other.
  // (document, origin of the request such as "http://127.0.0.1:8080") → the printable page.
  std::function<core::Result<std::string>(const domain::Document&, std::string_view)> render_document;
};

using AuthedHandler =
    std::function<core::Result<Response>(Request&, const service::Principal&)>;
using PublicHandler = std::function<core::Result<Response>(Request&)>;

// Authenticates by session cookie "xt_session" (unsafe methods also need a matching
// X-CSRF-Token header) or by "Authorization: Bearer <token>". 401 when neither is valid.
core::Result<service::Principal> Authenticate(const ApiEnv& env, Request& req);

// Wraps a handler: authenticates first, and turns an error Status into the JSON error shape in
// the caller's language.
Handler WithAuth(const ApiEnv& env, AuthedHandler h);
Handler WithErrors(PublicHandler h);

Response Json(int status, boost::json::value v);
Response NoContent();
// A CSV download (the body already starts with its UTF-8 BOM): text/csv; charset=utf-8, saved as
// `ascii_name` or, by browsers that read RFC 5987, the Chinese `utf8_name`; never cached.
//   return CsvAttachment(std::move(csv), "referrals.csv", "案件移送.csv");
Response CsvAttachment(std::string csv, std::string_view ascii_name, std::string_view utf8_name);
// The same for an .xlsx workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).
Response XlsxAttachment(std::string bytes, std::string_view ascii_name, std::string_view utf8_name);

// A list's export, as CSV and as Excel: GET `base`/export.csv and GET `base`/export.xlsx, both
// authenticated, both from the same `csv(request, principal)` (so the same query parameters,
// access and refusals); the .xlsx is that CSV as a typed workbook (service::WorkbookFromCsv, one
// sheet named after `utf8_name`). Names are given with .csv; the workbook is saved as .xlsx.
//   AddExportRoutes(r, env, "/api/v1/matters", [&env](Request&, const service::Principal& p) {
//     return env.svc.matters->ExportCsv(p); }, "matters.csv", "执法事项目录.csv");
using ExportCsvFn = std::function<core::Result<std::string>(Request&, const service::Principal&)>;
void AddExportRoutes(Router& r, ApiEnv& env, const std::string& base, ExportCsvFn csv,
                     const std::string& ascii_name, const std::string& utf8_name);
// The integer path parameter `name` (e.g. {id}); 400 naming the field when not a positive int.
core::Result<int64_t> PathId(const Request& req, const char* name = "id");
// Parses the body as a JSON object with the configured depth limit.
core::Result<boost::json::object> Body(const ApiEnv& env, const Request& req);
// Page/page_size query parameters (page >= 1, 1 <= page_size <= 200, default 20).
struct Page {
  int page = 1;
  int page_size = 20;
  int offset() const { return (page - 1) * page_size; }
};
core::Result<Page> PageParams(const Request& req);

// A workflow's list: GET `base` (one page, rendered by `render`) and GET `base`/export.csv and
// `base`/export.xlsx (every row, saved as `ascii_name` / `utf8_name`, AddExportRoutes); all parse
// the same query with `parse`.
//   AddListRoutes<ReferralQuery, ReferralList>(r, env, "/api/v1/referrals", ParseQuery,
//       [](const ApiEnv& e, auto& p, auto& q) { return e.svc.referrals->List(p, q); },
//       views::ReferralListJson, …ExportCsv…, "referrals.csv", "案件移送.csv");
template <class Query, class List>
void AddListRoutes(
    Router& r, ApiEnv& env, const std::string& base, core::Result<Query> (*parse)(const Request&),
    std::function<core::Result<List>(const ApiEnv&, const service::Principal&, const Query&)> list,
    boost::json::object (*render)(const List&),
    std::function<core::Result<std::string>(const ApiEnv&, const service::Principal&, Query)> csv,
    std::string ascii_name, std::string utf8_name) {
  r.Add("GET", base,
        WithAuth(env, [&env, parse, list, render](Request& req, const service::Principal& p)
                          -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(Query q, parse(req));
          XT_ASSIGN_OR_RETURN(List l, list(env, p, q));
          return Json(200, render(l));
        }));
  AddExportRoutes(
      r, env, base,
      [&env, parse, csv](Request& req, const service::Principal& p) -> core::Result<std::string> {
        XT_ASSIGN_OR_RETURN(Query q, parse(req));
        return csv(env, p, std::move(q));
      },
      ascii_name, utf8_name);
}

// Register functions, one per API file.
void RegisterAuthRoutes(Router& r, ApiEnv& env);
void RegisterOrgRoutes(Router& r, ApiEnv& env);
void RegisterAuditRoutes(Router& r, ApiEnv& env);
void RegisterCalendarRoutes(Router& r, ApiEnv& env);
void RegisterDutyRoutes(Router& r, ApiEnv& env);
void RegisterNotificationRoutes(Router& r, ApiEnv& env);
void RegisterTestRoutes(Router& r, ApiEnv& env);  // only when env.test_mode
// --- Matters, files (v2) ---
void RegisterMatterRoutes(Router& r, ApiEnv& env);
void RegisterFileRoutes(Router& r, ApiEnv& env);
// --- Referrals and documents (v3) ---
void RegisterReferralRoutes(Router& r, ApiEnv& env);
void RegisterDocumentRoutes(Router& r, ApiEnv& env);
void RegisterCollaborationRoutes(Router& r, ApiEnv& env);  // --- Collaborations (v4) ---
// --- Notices, meetings, participation, violation notices (v5) ---
void RegisterCoordItemRoutes(Router& r, ApiEnv& env);
// --- The combined 协作 list (all R-COL items) ---
void RegisterCollabItemRoutes(Router& r, ApiEnv& env);
void RegisterDisputeRoutes(Router& r, ApiEnv& env);  // --- Jurisdiction disputes (R-DIS-1..3) ---
// --- First-contact complaints (R-SYS-3) ---
void RegisterComplaintRoutes(Router& r, ApiEnv& env);
// --- Court enforcement (R-CRI-3) and police support (R-CRI-4) ---
void RegisterCourtPoliceRoutes(Router& r, ApiEnv& env);
// --- Guidance, training, technical support (R-GUI-1..3) ---
void RegisterGuidanceRoutes(Router& r, ApiEnv& env);
void RegisterPlanRoutes(Router& r, ApiEnv& env);  // --- Annual plan (R-PLN-1, R-PLN-2) ---
// --- Workbench, approvals, overview and 督办 (issue 17) ---
void RegisterWorkbenchRoutes(Router& r, ApiEnv& env);
// --- Shared information (R-INF-1..3) ---
void RegisterSharedInfoRoutes(Router& r, ApiEnv& env);
// --- Notifications away from the browser (issue 18): contacts, deliveries ---
void RegisterDeliveryRoutes(Router& r, ApiEnv& env);
void RegisterRegionRoutes(Router& r, ApiEnv& env);  // --- Regions (R-ACC-2, issue 19) ---
// --- Criminal transfers (行刑衔接, R-CRI-1a) ---
void RegisterCriminalTransferRoutes(Router& r, ApiEnv& env);
// --- Excel for the lists the web UI exports itself (issue 14) ---
void RegisterExportRoutes(Router& r, ApiEnv& env);

}  // namespace xietong::http
