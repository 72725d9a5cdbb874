// JSON views of the workbench, the approvals waiting, the coordinator's overview and 督办
// (docs/workbench-contract.md). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "service/coord_item_service.h"
#include "service/workbench_service.h"

namespace xietong::http::views {

// {"month":{"from","to"},"duties":{"open","green","yellow","red"},"approvals",
//  "referrals":{"in","out"},"collaborations":{"in","out"},"urgings_open","unread",
//  "coordination_queue"|null,"urgings_unanswered"|null}
boost::json::object WorkbenchJson(const service::Workbench& w);
// {"items":[{"type","type_label","id","title","what","rule","path","since"}],"total":N}
boost::json::object ApprovalsJson(const std::vector<service::ApprovalRow>& rows);
// {"month":{"from","to"},"orgs":[{"org":{"id","code","name","kind"},"open","yellow","red",
//  "late_this_month"}],"queue":[{"type","type_label","id","title","number"|null,"rule","path",
//  "since","colour"|null}]}
boost::json::object OverviewJson(const service::Overview& o);
// CoordItemJson with the urging's state and labels.
boost::json::object UrgingJson(const service::CoordItemView& v);
boost::json::object UrgingListJson(const service::CoordItemList& list);

}  // namespace xietong::http::views
