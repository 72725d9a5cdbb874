// JSON view of a notification (GET /api/v1/notifications). Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "domain/notification.h"
#include "service/notification_service.h"

namespace xietong::http::views {

// {"id","kind","title","body","object_type","object_id","created_at","read_at"} (read_at null
// while unread). The implementation is service::NotificationJson: the live-push hub sends the
// same shape as its "notification" event data (a wire format the service owns).
inline boost::json::object NotificationJson(const domain::Notification& n) {
  return service::NotificationJson(n);
}

}  // namespace xietong::http::views
