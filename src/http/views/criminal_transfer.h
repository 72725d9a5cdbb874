// JSON views of criminal transfers (R-CRI-1a; docs/criminal-transfers-contract.md). Pure
// functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/coord_item_service.h"

namespace xietong::http::views {

// CoordItemJson (views/coord_items.h) with the transfer's own "state" / "state_label" and
// "agency_late": true when a duty the reporting agency owes was met late or is overdue (R-CRI-1a:
// recorded against the agency); each duty carries "late" (met after its due, or open and overdue).
boost::json::object CriminalTransferJson(const service::CoordItemView& v);
// {"items":[CriminalTransferJson…],"total":N}
boost::json::object CriminalTransferListJson(const service::CoordItemList& list);

}  // namespace xietong::http::views
