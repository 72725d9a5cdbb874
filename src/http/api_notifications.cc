// The signed-in user's notifications and the live event stream (Server-Sent Events).
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/notification.h"
#include "service/auth_service.h"
#include "service/notification_service.h"

namespace xietong::http {

namespace {
using core::Status;

core::Result<bool> BoolParam(const Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty() || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1") return true;
  return Status::Invalid(name, std::string(name) + " 应为 true 或 false")
      .En(std::string(name) + " must be true or false");
}
}  // namespace

void RegisterNotificationRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/notifications",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(bool unread, BoolParam(req, "unread"));
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          XT_ASSIGN_OR_RETURN(
              service::NotificationPage np,
              env.svc.notifications->List(p, unread, page.offset(), page.page_size));
          boost::json::array items;
          items.reserve(np.items.size());
          for (const auto& n : np.items) items.push_back(views::NotificationJson(n));
          return Json(200, boost::json::object{{"items", std::move(items)}, {"unread", np.unread}});
        }));

  r.Add("POST", "/api/v1/notifications/{id}/read",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_RETURN_IF_ERROR(env.svc.notifications->MarkRead(p, id));
          return NoContent();
        }));

  r.Add("POST", "/api/v1/notifications/read-all",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          XT_RETURN_IF_ERROR(env.svc.notifications->MarkAllRead(p));
          return NoContent();
        }));

  // Server-Sent Events: "notification" (NotificationJson) for the user's new notifications and
  // "duty" when a duty of the user's org changes colour. Authenticated like every GET (session
  // cookie or bearer token), and re-checked every serve --session-recheck-ms (at most 30 s):
  // after sign-out, expiry, disabling of the user, revocation of the token or a move to
  // another org, the stream sends "signed_out" and ends (issue 15 finding 6).
  r.Add("GET", "/api/v1/events",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          service::NotificationService* hub = env.svc.notifications;
          auto stream = std::make_shared<EventStream>();
          std::weak_ptr<EventStream> weak = stream;
          service::SubscriptionId id =
              hub->Subscribe(p.user.id, p.org.id, [weak](std::string event, std::string data) {
                if (auto s = weak.lock()) s->Push(event, data);
              });
          stream->OnClose([hub, id] { hub->Unsubscribe(id); });
          // The credential this stream was opened with, checked again without sliding the
          // session (an open tab must not keep an idle session alive).
          std::string bearer;
          std::string cookie;
          if (auto auth = req.header("Authorization"); auth && auth->size() > 7) {
            bearer = std::string(auth->substr(7));
          } else {
            cookie = req.cookie("xt_session").value_or("");
          }
          stream->SetRecheck([&env, weak, bearer = std::move(bearer), cookie = std::move(cookie),
                              user_id = p.user.id, org_id = p.org.id]() -> bool {
            auto now = bearer.empty() ? env.svc.auth->CheckSession(cookie)
                                      : env.svc.auth->AuthenticateToken(bearer);
            bool valid = now.ok() && now->user.id == user_id && now->org.id == org_id;
            // A store that cannot answer right now ends nothing: checked again next time.
            if (!now.ok() && now.status().code() != core::Code::kUnauthenticated) valid = true;
            if (!valid) {
              if (auto s = weak.lock()) s->Push("signed_out", R"({"reason":"session_ended"})");
            }
            return valid;
          });
          Response res;
          res.stream = stream;
          res.AddHeader("Cache-Control", "no-store");
          res.AddHeader("X-Accel-Buffering", "no");
          return res;
        }));
}

}  // namespace xietong::http
