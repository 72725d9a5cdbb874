// JSON views of notices, meetings, participation requests and violation notices (R-COL-5..8;
// docs/collaboration-contract.md "Notices, meetings, participation, violation notices"). Pure
// functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/coord_item_service.h"

namespace xietong::http::views {

// {"id","type","number"|null,"state","state_label","from_org":{"id","code","name"}|null,
//  "to_org"|null,"title","kind"|null,"referral_id"|null,"created_by":{"id","display_name"}|null,
//  "created_at","updated_at", <the type's own fields>, "colour"|null,"duties":[DutyJson…]}
// and, when `v.detail`, "documents":[DocumentJson…], "messages":[{"id","at","text","by","org"}],
// "timeline":[{"at","action","summary","actor","org"}] (an org as {"id","code","name"}, a
// person as {"id","display_name"}, null when no longer found).
boost::json::object CoordItemJson(const service::CoordItemView& v);
// {"items":[CoordItemJson…],"total":N}
boost::json::object CoordItemListJson(const service::CoordItemList& list);

}  // namespace xietong::http::views
