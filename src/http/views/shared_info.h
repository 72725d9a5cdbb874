// JSON views of shared information (docs/shared-info-contract.md): materials (R-INF-1) and
// penalty filings (R-INF-3), coordination items; approvals (R-INF-2), plain records. Pure
// functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/approval_service.h"
#include "service/coord_item_service.h"

namespace xietong::http::views {

// CoordItemJson (http/views/coord_items.h) with the state and label of the type's own table
// (domain/shared_info.h) and "type_label".
boost::json::object SharedInfoJson(const service::CoordItemView& v);
boost::json::object SharedInfoListJson(const service::CoordItemList& list);  // {"items","total"}

// {"id","holder","credit_code","decision_number","category","content","decision_date",
//  "valid_from","valid_to" (null when empty),"authority","address","township" (org|null),
//  "recorded_by_org" (org|null),"read" (bool in a feed, else null),"created_at","updated_at"}
boost::json::object ApprovalJson(const service::ApprovalView& v);
// {"items","total","unread" (a feed's count, else null)}
boost::json::object ApprovalPageJson(const service::ApprovalPage& page);

}  // namespace xietong::http::views
