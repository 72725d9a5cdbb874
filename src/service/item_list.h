// The list every item type built on the engine shares (GET /api/v1/<path>): direction
// (in | out | all), state, kind, involved org, colour of the earliest-due open duty, text and
// paging, turned into one storage::CoordItemFilter and read in one transaction (a count, then one
// page rendered by the type's service). The guidance, court/police, plan and urging services list
// through it; each says only what differs (its table, its rule, whether it has outgoing items,
// which kinds exist).
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "domain/court_enforcement.h"
#include "service/coord_item_service.h"
#include "service/csv.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct ItemListSpec {
  domain::CoordType type;
  const domain::ItemTable* table = nullptr;  // the states the `state` filter names
  std::string rule;                          // named by the 400 answers
  bool outgoing = true;                      // direction=out exists (items an org starts)
  // Whether a `kind` filter value is one of the type's; null: any value is passed to the store.
  std::function<bool(const std::string&)> kind_ok;
};

// One page of items of `spec.type` the principal may see, filtered by `q`; 400 naming the field
// (and spec.rule) for a bad filter. `render` turns a stored row into its view inside the read.
core::Result<CoordItemList> ListItems(
    storage::Store& store, const Principal& p, const ItemListSpec& spec, const CoordQuery& q,
    core::Instant now,
    const std::function<core::Result<CoordItemView>(storage::Tx&, const domain::CoordItem&)>& render);

// Every page of a list, for an export: pages of 200 from the first until `total` items are read
// or kMaxExportRows. `list(q)` is the type's own list (visibility and filters its own); `q` is any
// query with page and page_size (CoordQuery, SharedInfoQuery …).
//   XT_ASSIGN_OR_RETURN(auto all, AllItems(q, [&](const CoordQuery& q) { return List(p, t, q); }));
template <class Query, class ListFn>
core::Result<std::vector<CoordItemView>> AllItems(Query q, ListFn&& list) {
  q.page_size = 200;
  std::vector<CoordItemView> all;
  for (q.page = 1; static_cast<int>(all.size()) < kMaxExportRows; ++q.page) {
    XT_ASSIGN_OR_RETURN(CoordItemList l, list(q));
    for (auto& v : l.items) all.push_back(std::move(v));
    if (l.items.empty() || static_cast<int64_t>(all.size()) >= l.total) break;
  }
  return all;
}

}  // namespace xietong::service
