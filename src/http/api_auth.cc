// Sign-in, sign-out, password change, current user, API tokens.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/org.h"
#include "service/auth_service.h"
#include "service/org_service.h"

namespace xietong::http {

namespace {
using core::Status;

// The session cookie; Secure as serve --cookie-secure says (auto: when a trusted proxy says
// the client's connection is HTTPS).
std::string SessionCookie(const ApiEnv& env, const Request& req, const std::string& token,
                          int64_t max_age_seconds) {
  const bool secure = env.cookie_secure == CookieSecure::kAlways ||
                      (env.cookie_secure == CookieSecure::kAuto && req.forwarded_https);
  return "xt_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age_seconds) + (secure ? "; Secure" : "");
}

boost::json::object MeJson(const service::Principal& p) {
  return {{"user", views::UserJson(p.user, &p.org, p.unit ? &*p.unit : nullptr)},
          {"csrf_token", p.csrf_token}};
}
}  // namespace

void RegisterAuthRoutes(Router& r, ApiEnv& env) {
  r.Add("POST", "/api/v1/auth/login", WithErrors([&env](Request& req) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          auto username = f.Required<std::string>("username");
          auto password = f.Required<std::string>("password");
          XT_RETURN_IF_ERROR(f.Finish());
          std::chrono::seconds retry_after{0};
          auto login_r = env.svc.auth->Login(username, password, req.remote_addr, &retry_after);
          if (!login_r.ok()) {
            // The server's log names the request (X-Request-Id) and why, never the password.
            spdlog::warn("auth: sign-in refused ({}) from {}", login_r.status().id(), req.remote_addr);
            // 429 throttled / 503 login_busy say when to come back (issue 15 finding 4).
            Response res = ErrorResponse(login_r.status(), req);
            if (retry_after.count() > 0)
              res.AddHeader("Retry-After", std::to_string(retry_after.count()));
            return res;
          }
          auto& login = *login_r;
          req.log_user = login.principal.user.username;
          auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
                             login.expires_at - env.svc.clock->Now())
                             .count();
          Response res = Json(200, MeJson(login.principal));
          res.AddHeader("Set-Cookie", SessionCookie(env, req, login.token, max_age));
          res.AddHeader("Cache-Control", "no-store");
          return res;
        }));

  r.Add("POST", "/api/v1/auth/logout",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_RETURN_IF_ERROR(env.svc.auth->Logout(p));
          Response res = NoContent();
          res.AddHeader("Set-Cookie", SessionCookie(env, req, "", 0));
          return res;
        }));

  r.Add("POST", "/api/v1/auth/password",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          auto old_pw = f.Required<std::string>("old_password");
          auto new_pw = f.Required<std::string>("new_password");
          XT_RETURN_IF_ERROR(f.Finish());
          XT_RETURN_IF_ERROR(env.svc.auth->ChangePassword(p, old_pw, new_pw));
          return NoContent();
        }));

  r.Add("GET", "/api/v1/me",
        WithAuth(env, [](Request&, const service::Principal& p) -> core::Result<Response> {
          Response res = Json(200, MeJson(p));
          res.AddHeader("Cache-Control", "no-store");
          return res;
        }));

  r.Add("GET", "/api/v1/tokens",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto tokens, env.svc.auth->ListTokens(p));
          boost::json::array items;
          for (const auto& t : tokens) {
            items.push_back(boost::json::object{
                {"id", t.id},
                {"name", t.name},
                {"created_at", core::FormatInstant(t.created_at)},
                {"revoked_at", t.revoked_at ? boost::json::value(core::FormatInstant(*t.revoked_at))
                                            : nullptr},
                {"last_used_at", t.last_used_at
                                     ? boost::json::value(core::FormatInstant(*t.last_used_at))
                                     : nullptr}});
          }
          return Json(200, boost::json::object{{"items", std::move(items)}});
        }));

  r.Add("POST", "/api/v1/tokens",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          auto name = f.Required<std::string>("name");
          auto user_id = f.Optional<int64_t>("user_id");
          XT_RETURN_IF_ERROR(f.Finish());
          XT_ASSIGN_OR_RETURN(auto issued,
                              env.svc.auth->IssueToken(&p, user_id ? *user_id : p.user.id, name));
          return Json(201, boost::json::object{{"id", issued.id}, {"token", issued.token}});
        }));

  r.Add("DELETE", "/api/v1/tokens/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_RETURN_IF_ERROR(env.svc.auth->RevokeToken(p, id));
          return NoContent();
        }));
}

}  // namespace xietong::http
