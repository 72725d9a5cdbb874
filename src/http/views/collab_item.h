// JSON views of the combined 协作 list (GET /api/v1/collab-items). Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "service/collab_items.h"

namespace xietong::http::views {

// {"type","id","number","title","from_org":{"id","code","name"},"to_org"|null,"state",
//  "state_label","colour"|null,"due_at"|null,"created_at","url"}
boost::json::object CollabItemJson(const service::CollabItem& item);
// {"items":[CollabItemJson…],"total":N}
boost::json::object CollabItemPageJson(const service::CollabItemPage& page);

}  // namespace xietong::http::views
