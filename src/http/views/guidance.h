// JSON views of guidance requests (R-GUI-1), trainings (R-GUI-2) and technical support requests
// (R-GUI-3), and the yearly training view (docs/guidance-training-contract.md). Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/coord_item_service.h"
#include "service/guidance_service.h"

namespace xietong::http::views {

// CoordItemJson (http/views/coord_items.h) with the state and its label from the type's own
// table (domain/guidance.h) and "type_label".
boost::json::object GuidanceItemJson(const service::CoordItemView& v);
// {"items":[GuidanceItemJson…],"total":N}
boost::json::object GuidanceListJson(const service::CoordItemList& list);
// {"year","minimum","today","departments":[{"org","held","planned","hours","minimum","colour"}],
//  "officers":[{"user","org","hours","trainings"}]}; colour null below the minimum before 1 December.
boost::json::object TrainingSummaryJson(const service::TrainingSummary& s);

}  // namespace xietong::http::views
