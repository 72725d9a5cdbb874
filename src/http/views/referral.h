// JSON views of case referrals (docs/referrals-contract.md). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/referral_service.h"

namespace xietong::http::views {

// Referral with "duties" and "colour" (of the earliest-due open duty), and with "documents"
// and "timeline" when `v.detail`.
boost::json::object ReferralJson(const service::ReferralView& v);
// {"items":[Referral without documents/timeline],"total":N}
boost::json::object ReferralListJson(const service::ReferralList& list);

}  // namespace xietong::http::views
