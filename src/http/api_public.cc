// The public pages (R-ASM-3, R-DOC-1; issue 14) — no session, nothing internal:
//   GET /verify/{code}, /verify?code=   HTML: the verified document's number, issuer, date, SHA-256
//   GET /public, /public/{id}           HTML: published notices (普法宣传, 执法公告)
//   GET /api/v1/public/verify/{code}    the same as JSON
//   GET /api/v1/public/notices[/{id}]
// and the coordinator's management of notices to the public (sessions, coordinator staff):
//   GET|POST /api/v1/public-notices, GET /api/v1/public-notices/{id},
//   POST /api/v1/public-notices/{id}/edit | publish | withdraw.
// A wrong code, a draft or withdrawn notice: 404 (an HTML page on the HTML routes). Public answers
// may be cached (Cache-Control public, short max-age); the HTML pages carry their own CSP (no
// script at all).
#include <string>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/public_pages.h"
#include "service/public_service.h"

namespace xietong::http {

namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

constexpr const char* kRule = "R-ASM-3";
constexpr const char* kPublicCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

Status Ruled(const Status& st) {
  if (st.ok()) return st;
  Status out(st.code(), st.id(), st.message(), st.field(), kRule);
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

Result<service::PublicNoticeInput> NoticeBody(const json::object& body) {
  FieldReader r(body);
  service::PublicNoticeInput in;
  in.kind = r.RequiredString("kind", 40);
  in.title = r.RequiredString("title", 100);
  in.body = r.RequiredString("body", 20000);
  XT_RETURN_IF_ERROR(Ruled(r.Finish()));
  return in;
}

Result<service::CoordQuery> ParseQuery(const Request& req) {
  service::CoordQuery q;
  q.state = req.query_param("state").value_or("");
  q.kind = req.query_param("kind").value_or("");
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

Response Html(int status, std::string body, const char* cache) {
  Response res;
  res.status = status;
  res.content_type = "text/html; charset=utf-8";
  res.body = std::move(body);
  res.AddHeader("Content-Security-Policy", kPublicCsp);
  res.AddHeader("X-Frame-Options", "DENY");
  res.AddHeader("Cache-Control", cache);
  return res;
}

Response Public(Response res, const char* cache) {
  res.AddHeader("Cache-Control", cache);
  return res;
}

constexpr const char* kShort = "public, max-age=60";
constexpr const char* kVerified = "public, max-age=300";

}  // namespace

void RegisterPublicRoutes(Router& r, ApiEnv& env) {
  // ---- Public, without a session ----
  r.Add("GET", "/api/v1/public/verify/{code}", WithErrors([&env](Request& req) -> Result<Response> {
          const std::string code(req.path_param("code").value_or(""));
          XT_ASSIGN_OR_RETURN(service::VerifiedDocument v, env.svc.public_pages->Verify(code));
          return Public(Json(200, views::VerifiedDocumentJson(v)), kVerified);
        }));
  r.Add("GET", "/api/v1/public/notices", WithErrors([&env](Request& req) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          int64_t total = 0;
          XT_ASSIGN_OR_RETURN(auto l, env.svc.public_pages->ListPublished(page.offset(), page.page_size, &total));
          return Public(Json(200, views::PublishedNoticeListJson(l, total)), kShort);
        }));
  r.Add("GET", "/api/v1/public/notices/{id}", WithErrors([&env](Request& req) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::PublishedNotice n, env.svc.public_pages->GetPublished(id));
          return Public(Json(200, views::PublishedNoticeJson(n)), kShort);
        }));
  // /verify/{code} (the QR code), or /verify?code= (the form on /public, for a code typed by hand).
  auto verify_page = [&env](const std::string& code) -> Result<Response> {
    Result<service::VerifiedDocument> v = env.svc.public_pages->Verify(code);
    if (!v.ok() && v.status().code() == core::Code::kNotFound) {
      return Html(404, views::PublicNotFoundHtml("核验码不存在或有误，请核对纸质文书上的核验码后重新访问。"), kShort);
    }
    XT_RETURN_IF_ERROR(v.status());
    return Html(200, views::VerifyPageHtml(*v), kVerified);
  };
  r.Add("GET", "/verify/{code}", WithErrors([verify_page](Request& req) -> Result<Response> {
          return verify_page(std::string(req.path_param("code").value_or("")));
        }));
  r.Add("GET", "/verify", WithErrors([verify_page](Request& req) -> Result<Response> {
          std::string code(req.query_param("code").value_or(""));
          while (!code.empty() && code.back() == ' ') code.pop_back();
          while (!code.empty() && code.front() == ' ') code.erase(0, 1);
          return verify_page(code);
        }));
  r.Add("GET", "/public", WithErrors([&env](Request& req) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          int64_t total = 0;
          XT_ASSIGN_OR_RETURN(auto l, env.svc.public_pages->ListPublished(page.offset(), page.page_size, &total));
          return Html(200, views::PublicListHtml(l, total, page.page, page.page_size), kShort);
        }));
  r.Add("GET", "/public/{id}", WithErrors([&env](Request& req) -> Result<Response> {
          Result<int64_t> id = PathId(req);
          Result<service::PublishedNotice> n =
              id.ok() ? env.svc.public_pages->GetPublished(*id) : Result<service::PublishedNotice>(id.status());
          if (!n.ok() && (n.status().code() == core::Code::kNotFound || n.status().code() == core::Code::kInvalidArgument)) {
            return Html(404, views::PublicNotFoundHtml("该公开信息不存在或已撤回。"), kShort);
          }
          XT_RETURN_IF_ERROR(n.status());
          return Html(200, views::PublicNoticeHtml(*n), kShort);
        }));

  // ---- The coordinator's management (R-ASM-3) ----
  r.Add("GET", "/api/v1/public-notices",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(service::CoordQuery q, ParseQuery(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemList l, env.svc.public_pages->List(p, q));
          return Json(200, views::PublicNoticeListJson(l));
        }));
  r.Add("POST", "/api/v1/public-notices",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          auto body = Body(env, req);
          Result<service::PublicNoticeInput> in =
              body.ok() ? NoticeBody(*body) : Result<service::PublicNoticeInput>(body.status());
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.public_pages->Create(p, in));
          Response out = Json(201, views::PublicNoticeJson(v));
          out.AddHeader("Location", "/api/v1/public-notices/" + std::to_string(v.item.id));
          return out;
        }));
  r.Add("GET", "/api/v1/public-notices/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.public_pages->Get(p, id));
          return Json(200, views::PublicNoticeJson(v));
        }));
  r.Add("POST", "/api/v1/public-notices/{id}/edit",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          auto body = Body(env, req);
          Result<service::PublicNoticeInput> in =
              body.ok() ? NoticeBody(*body) : Result<service::PublicNoticeInput>(body.status());
          XT_ASSIGN_OR_RETURN(service::CoordItemView v, env.svc.public_pages->Edit(p, id, in));
          return Json(200, views::PublicNoticeJson(v));
        }));
  for (const char* action : {"publish", "withdraw"}) {
    const std::string a = action;
    r.Add("POST", "/api/v1/public-notices/{id}/" + a,
          WithAuth(env, [&env, a](Request& req, const service::Principal& p) -> Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            XT_ASSIGN_OR_RETURN(service::CoordItemView v, a == "publish" ? env.svc.public_pages->Publish(p, id)
                                                                         : env.svc.public_pages->Withdraw(p, id));
            return Json(200, views::PublicNoticeJson(v));
          }));
  }
}

}  // namespace xietong::http
