// Notifications away from the browser (issue 18): a user's contact addresses and channel
// preferences, and the admin's view of the delivery outbox. docs/notifications-contract.md.
#include <boost/json.hpp>
#include <string>

#include "http/api_common.h"
#include "http/json_io.h"
#include "service/delivery_service.h"

namespace xietong::http {

namespace {
using core::Status;

core::Result<int> ChannelMask(const std::vector<std::string>& names, const char* field) {
  int mask = 0;
  for (const auto& n : names) {
    if (n == "email") mask |= static_cast<int>(domain::Channel::kEmail);
    else if (n == "sms") mask |= static_cast<int>(domain::Channel::kSms);
    else
      return Status::Invalid(field, "通知渠道应为 email 或 sms：" + n)
          .En(std::string("channels must be email or sms: ") + n);
  }
  return mask;
}
}  // namespace

void RegisterDeliveryRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/users/{id}/contact",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(domain::UserContact c, env.svc.deliveries->GetContact(p, id));
          return Json(200, service::ContactJson(c));
        }));

  r.Add("PUT", "/api/v1/users/{id}/contact",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          domain::UserContact c;
          c.email = f.Required<std::string>("email");
          c.mobile = f.Required<std::string>("mobile");
          auto urgent = f.Required<std::vector<std::string>>("urgent_channels");
          auto routine = f.Required<std::vector<std::string>>("routine_channels");
          XT_RETURN_IF_ERROR(f.Finish());
          XT_ASSIGN_OR_RETURN(c.urgent_channels, ChannelMask(urgent, "urgent_channels"));
          XT_ASSIGN_OR_RETURN(c.routine_channels, ChannelMask(routine, "routine_channels"));
          XT_ASSIGN_OR_RETURN(domain::UserContact saved,
                              env.svc.deliveries->PutContact(p, id, std::move(c)));
          return Json(200, service::ContactJson(saved));
        }));

  r.Add("GET", "/api/v1/admin/deliveries",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          const std::string state = std::string(req.query_param("state").value_or(""));
          XT_ASSIGN_OR_RETURN(service::DeliveryPage dp,
                              env.svc.deliveries->List(p, state, page.offset(), page.page_size));
          boost::json::array items;
          for (const auto& d : dp.items) items.push_back(service::DeliveryJson(d));
          boost::json::object out{{"items", std::move(items)},
                                  {"total", dp.total},
                                  {"page", page.page},
                                  {"page_size", page.page_size},
                                  {"pending", dp.pending},
                                  {"failed_last_day", dp.failed_last_day}};
          out["email_configured"] = env.svc.deliveries->Configured(domain::Channel::kEmail);
          out["sms_configured"] = env.svc.deliveries->Configured(domain::Channel::kSms);
          return Json(200, out);
        }));
}

}  // namespace xietong::http
