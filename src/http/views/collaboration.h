// JSON views of collaboration requests (docs/collaboration-contract.md). Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/collaboration_service.h"

namespace xietong::http::views {

// Collaboration with "duties" and "colour" (null without an open duty); with "documents",
// "timeline" and each answer's "text" when `v.detail`.
boost::json::object CollaborationJson(const service::CollaborationView& v);
// {"items":[Collaboration],"total":N}
boost::json::object CollaborationListJson(const service::CollaborationList& list);

}  // namespace xietong::http::views
