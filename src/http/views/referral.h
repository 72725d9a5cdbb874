// JSON views of case referrals (docs/referrals-contract.md). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "service/referral_service.h"

namespace xietong::http::views {

// Referral with "duties" and "colour" (of the earliest-due open duty), and with "documents"
// and "timeline" when `v.detail`.
boost::json::object ReferralJson(const service::ReferralView& v);
// {"items":[Referral without documents/timeline],"total":N}
boost::json::object ReferralListJson(const service::ReferralList& list);

// The same shapes as JSON text, written without a tree (the hot reads, issue 16): bytes equal to
// boost::json::serialize of ReferralJson / ReferralListJson (one description renders both).
std::string ReferralText(const service::ReferralView& v);
std::string ReferralListText(const service::ReferralList& list);
template <class W>
void WriteReferral(W& w, const service::ReferralView& v);
template <class W>
void WriteReferralList(W& w, const service::ReferralList& list);

}  // namespace xietong::http::views
