// JSON views of first-contact complaints (R-SYS-3; docs/complaints-contract.md). Pure
// functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/complaint_service.h"

namespace xietong::http::views {

// The coordination item's shape (views/coord_items.h: id, number, from_org, title, kind = the
// channel, referral_id, created_by, duties …, documents and timeline when detail) with the
// complaint's own state names and fields: "state","state_label","channel","channel_label",
// "anonymous","complainant":{"name","contact"}|null (null when "confidential" is "hidden"),
// "subject","place","content","received_at","materials","investigation","handling",
// "referral","reply","close_reason","closed_at".
boost::json::object ComplaintJson(const service::ComplaintView& v);
// {"items":[ComplaintJson…],"total":N}
boost::json::object ComplaintListJson(const service::ComplaintList& list);
// {"from"|null,"to"|null,"orgs":[{"org":{"id","name"},"registered","replied","replied_on_time",
//  "replied_late","referred","closed_no_reply","open","open_overdue","on_time_rate"|null}],
//  "total":{… without "org"}}
boost::json::object ComplaintStatsJson(const service::ComplaintStats& s);

}  // namespace xietong::http::views
