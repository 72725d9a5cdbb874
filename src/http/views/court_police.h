// JSON views of court enforcement applications (R-CRI-3) and police support requests (R-CRI-4)
// (docs/court-enforcement-police-support-contract.md). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/coord_item_service.h"

namespace xietong::http::views {

// CoordItemJson (http/views/coord_items.h) with the state and its label from the type's own
// table (domain/court_enforcement.h, domain/police_support.h) and "type_label".
boost::json::object CourtPoliceJson(const service::CoordItemView& v);
// {"items":[CourtPoliceJson…],"total":N}
boost::json::object CourtPoliceListJson(const service::CoordItemList& list);

}  // namespace xietong::http::views
