// JSON views of jurisdiction disputes (R-DIS-1..3; docs/disputes-contract.md). A dispute is a
// coordination item (views/coord_items.h) with the dispute's own state vocabulary and step.
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/coord_item_service.h"

namespace xietong::http::views {

// CoordItemJson with "state" (negotiation | coordination | decision | settled), "state_label",
// "step" (negotiation | coordination | decision: where it is, or the step that settled it),
// "step_label" (协商 | 协调 | 决定) and "kind": null; the dispute's own fields ("matter",
// "township", "facts", "parties", "government_org", "joint_handling", "negotiation",
// "coordination", "decision", "boundary") at the top level.
boost::json::object DisputeJson(const service::CoordItemView& v);
// {"items":[DisputeJson…],"total":N}
boost::json::object DisputeListJson(const service::CoordItemList& list);

}  // namespace xietong::http::views
