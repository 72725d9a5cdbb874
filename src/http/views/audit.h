// JSON views of the audit trail: one entry (GET /api/v1/audit) and an object's timeline (the
// "timeline" of referral and collaboration details). Pure functions; thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "domain/audit.h"
#include "service/audit_log.h"

namespace xietong::http::views {

// {"seq","at","actor_user_id","actor_org_id","action","object_type","object_id","summary",
//  "detail","hash","prev_hash"}.
boost::json::object AuditEntryJson(const domain::AuditEntry& e);
// AuditEntryJson plus "actor":{"id","username","display_name"}|null and "org":{"id","name"}|null.
boost::json::object AuditViewJson(const service::AuditView& v);
// [{"at","action","summary","actor":{"id","display_name"}|null,"org":{"id","name"}|null}],
// oldest first as given.
boost::json::array TimelineJson(const std::vector<service::TimelineEntry>& timeline);
// The one description of that shape, for either writer (http/views/json_writer.h).
template <class W>
void WriteTimeline(W& w, const std::vector<service::TimelineEntry>& timeline);

}  // namespace xietong::http::views
