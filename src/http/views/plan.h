// JSON views of annual plans (R-PLN-1) and tasks (R-PLN-1, R-PLN-2) (docs/plan-contract.md).
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/coord_item_service.h"

namespace xietong::http::views {

// CoordItemJson (http/views/coord_items.h) with the state and its label from the type's own
// table (domain/plan.h) and "type_label".
boost::json::object PlanJson(const service::CoordItemView& v);
// {"items":[PlanJson…],"total":N}
boost::json::object PlanListJson(const service::CoordItemList& list);

}  // namespace xietong::http::views
