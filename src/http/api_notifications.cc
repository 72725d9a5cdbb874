// The signed-in user's notifications and the live event stream (Server-Sent Events).
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/notification.h"
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
  // cookie or bearer token).
  r.Add("GET", "/api/v1/events",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          service::NotificationService* hub = env.svc.notifications;
          auto stream = std::make_shared<EventStream>();
          std::weak_ptr<EventStream> weak = stream;
          service::SubscriptionId id =
              hub->Subscribe(p.user.id, p.org.id, [weak](std::string event, std::string data) {
                if (auto s = weak.lock()) s->Push(event, data);
              });
          stream->OnClose([hub, id] { hub->Unsubscribe(id); });
          Response res;
          res.stream = stream;
          res.AddHeader("Cache-Control", "no-store");
          res.AddHeader("X-Accel-Buffering", "no");
          return res;
        }));
}

}  // namespace xietong::http
