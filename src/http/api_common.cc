#include "http/api_common.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "http/json_io.h"
#include "service/auth_service.h"
#include "service/xlsx_reader.h"
#include "service/xlsx_writer.h"
#include "service/region_service.h"

namespace xietong::http {

namespace {
using core::Status;

bool Unsafe(const std::string& m) { return m != "GET" && m != "HEAD" && m != "OPTIONS"; }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char d = 0;
  for (size_t i = 0; i < a.size(); ++i) d |= static_cast<unsigned char>(a[i] ^ b[i]);
  return d == 0;
}
}  // namespace

core::Result<service::Principal> Authenticate(const ApiEnv& env, Request& req) {
  if (auto auth = req.header("Authorization")) {
    std::string_view v = *auth;
    constexpr std::string_view kBearer = "Bearer ";
    if (v.size() <= kBearer.size() || !EqualsIgnoreCase(v.substr(0, kBearer.size()), kBearer))
      return Status::Unauthenticated("Authorization 头须为 Bearer 令牌").En("Authorization must be a Bearer token");
    XT_ASSIGN_OR_RETURN(auto p, env.svc.auth->AuthenticateToken(std::string(v.substr(kBearer.size()))));
    req.log_user = p.user.username;
    return p;
  }
  auto cookie = req.cookie("xt_session");
  if (!cookie) return Status::Unauthenticated("请先登录").En("Please sign in");
  XT_ASSIGN_OR_RETURN(auto p, env.svc.auth->AuthenticateSession(*cookie));
  if (Unsafe(req.method)) {
    auto csrf = req.header("X-CSRF-Token");
    if (!csrf || !ConstantTimeEquals(*csrf, p.csrf_token))
      return Status(core::Code::kPermissionDenied, "csrf_failed",
                    "请求缺少有效的 X-CSRF-Token，请刷新页面后重试", "X-CSRF-Token")
          .En("Missing or wrong X-CSRF-Token; reload the page");
  }
  req.log_user = p.user.username;
  return p;
}

Handler WithAuth(const ApiEnv& env, AuthedHandler h) {
  return [&env, h = std::move(h)](Request& req) -> Response {
    auto p = Authenticate(env, req);
    if (!p.ok()) return ErrorResponse(p.status(), WantsEnglish(req));
    // R-ACC-2: `?region=CODE` on a read narrows the view to a region of the principal's scope.
    if (!Unsafe(req.method)) {
      if (auto region = req.query_param("region"); region && !region->empty()) {
        if (Status st = service::NarrowScope(*env.svc.store, *p, *region); !st.ok())
          return ErrorResponse(st, WantsEnglish(req));
      }
    }
    auto r = h(req, *p);
    if (!r.ok()) return ErrorResponse(r.status(), WantsEnglish(req));
    return std::move(r).value();
  };
}

Handler WithErrors(PublicHandler h) {
  return [h = std::move(h)](Request& req) -> Response {
    auto r = h(req);
    if (!r.ok()) return ErrorResponse(r.status(), WantsEnglish(req));
    return std::move(r).value();
  };
}

Response Json(int status, boost::json::value v) { return JsonResponse(status, v); }

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

namespace {

// A download saved as `ascii_name` or, by browsers that read RFC 5987, `utf8_name`; never cached.
Response Attachment(std::string body, std::string_view content_type, std::string_view ascii_name,
                    std::string_view utf8_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;  // RFC 5987 percent-encoding of the UTF-8 name
  for (unsigned char c : utf8_name) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       c == '.' || c == '-' || c == '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  Response res;
  res.content_type = std::string(content_type);
  res.body = std::move(body);
  res.AddHeader("Content-Disposition", "attachment; filename=\"" + std::string(ascii_name) +
                                           "\"; filename*=UTF-8''" + encoded);
  res.AddHeader("Cache-Control", "no-store");
  res.AddHeader("X-Content-Type-Options", "nosniff");
  return res;
}

// "referrals.csv" → "referrals.xlsx".
std::string WithXlsxExtension(std::string_view name) {
  if (name.ends_with(".csv")) name.remove_suffix(4);
  return std::string(name) + ".xlsx";
}

}  // namespace

Response CsvAttachment(std::string csv, std::string_view ascii_name, std::string_view utf8_name) {
  return Attachment(std::move(csv), "text/csv; charset=utf-8", ascii_name, utf8_name);
}

Response XlsxAttachment(std::string bytes, std::string_view ascii_name, std::string_view utf8_name) {
  return Attachment(std::move(bytes), service::kXlsxContentType, ascii_name, utf8_name);
}

void AddExportRoutes(Router& r, ApiEnv& env, const std::string& base, ExportCsvFn csv,
                     const std::string& ascii_name, const std::string& utf8_name) {
  r.Add("GET", base + "/export.csv",
        WithAuth(env, [csv, ascii_name, utf8_name](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(std::string text, csv(req, p));
          return CsvAttachment(std::move(text), ascii_name, utf8_name);
        }));
  std::string sheet = utf8_name;
  if (sheet.ends_with(".csv")) sheet.resize(sheet.size() - 4);
  r.Add("GET", base + "/export.xlsx",
        WithAuth(env, [csv, sheet, ascii = WithXlsxExtension(ascii_name), utf8 = WithXlsxExtension(utf8_name)](
                          Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(std::string text, csv(req, p));
          XT_ASSIGN_OR_RETURN(std::string bytes, service::WorkbookFromCsv({{sheet, std::move(text)}}));
          return XlsxAttachment(std::move(bytes), ascii, utf8);
        }));
}

core::Result<int64_t> PathId(const Request& req, const char* name) { return req.path_int(name); }

core::Result<boost::json::object> Body(const ApiEnv& env, const Request& req) {
  // A JSON Content-Type is required (or none): a cross-site HTML form (text/plain, urlencoded)
  // cannot then reach a JSON endpoint, e.g. to sign a victim in (login CSRF).
  if (auto ct = req.header("Content-Type"); ct && !ct->empty()) {
    std::string_view v = *ct;
    constexpr std::string_view kJson = "application/json";
    if (v.size() < kJson.size() || !EqualsIgnoreCase(v.substr(0, kJson.size()), kJson))
      return ReadJsonBody(req);  // the standard "unsupported_media_type" refusal
  }
  if (req.body.empty()) return boost::json::object{};
  return ParseJsonObject(req.body, env.max_json_depth);
}

core::Result<Page> PageParams(const Request& req) {
  Page p;
  XT_ASSIGN_OR_RETURN(auto page, req.query_int("page"));
  XT_ASSIGN_OR_RETURN(auto size, req.query_int("page_size"));
  if (page) {
    if (*page < 1 || *page > 1000000) return Status::Invalid("page", "页码须为正整数").En("page must be >= 1");
    p.page = static_cast<int>(*page);
  }
  if (size) {
    if (*size < 1 || *size > 200) return Status::Invalid("page_size", "每页条数须在1至200之间").En("page_size must be 1..200");
    p.page_size = static_cast<int>(*size);
  }
  return p;
}

}  // namespace xietong::http
