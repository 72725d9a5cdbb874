// The combined 协作 list (docs/collaboration-contract.md "Combined 协作 list", SPEC §5
// R-COL-1..8): one table of every collaboration item the caller may see — collaboration requests
// (R-COL-1..4), notices (R-COL-5), special meetings (R-COL-6), participation requests (R-COL-7)
// and violation notices (R-COL-8) — newest first, filtered, paged and exported as CSV.
//
// Each feature contributes a CollabItemSource for its type. A source applies its own visibility
// (R-ACC-1) and the direction/state/colour/q filters in the store; the registry validates the
// query, asks the sources of the requested type(s) for their exact count and their newest items
// up to the end of the requested page, merges, sorts (created_at descending, then type name
// ascending, then id descending) and pages.
//
// `total` is exact: the sum of the sources' counts. `q` matches the items' typed text — title,
// number, and the text values of the type's own fields (names, places, case numbers …), never
// the names of those fields.
//
// Memory bound: a source returns at most kMaxCollabItemsPerSource (5000) items, its newest
// matching ones, so pages beyond the 5000th item of one type come back empty (their items are
// counted in `total`: narrow the filters). The export writes at most kMaxCollabItemsExportRows
// rows, from at most 5000 items per type.
//
// Thread-safety: Register() only while wiring (before serving); List/ExportCsv are then safe to
// call concurrently when the sources are (the built-in ones hold only references to services).
//
//   CollabItemRegistry items;
//   RegisterCollabItemSources(items, collaborations, store, clock);  // cli/serve.cc
//   XT_ASSIGN_OR_RETURN(CollabItemPage page, items.List(p, CollabItemQuery{.type = "notice"}));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/coord_items.h"
#include "domain/duty.h"
#include "domain/org.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

class CollaborationService;

inline constexpr int kMaxCollabItemsPerSource = 5000;
inline constexpr int kMaxCollabItemsExportRows = 10000;

struct CollabItemOrg {
  domain::Id id = 0;
  std::string code;
  std::string name;
  bool operator==(const CollabItemOrg&) const = default;
};

// One row of the combined list (JSON: http/views/collab_item.h).
struct CollabItem {
  std::string type;  // collaboration | notice | meeting | participation | violation_notice
  domain::Id id = 0;
  std::optional<std::string> number;  // 文号, once issued
  std::string title;
  CollabItemOrg from_org;
  std::optional<CollabItemOrg> to_org;  // none for meetings
  std::string state;                    // the type's state name ("sent", "open" …)
  std::string state_label;              // its Chinese label, as the type's own API renders it
  domain::Colour colour = domain::Colour::kNone;  // of the earliest-due open duty (R-TIME-4)
  std::optional<core::Instant> due_at;            // of that duty
  core::Instant created_at{};
  std::string url;  // the UI path: /collaborations/12, /notices/3 …
};

enum class CollabDirection : int {
  kAll = 0,
  kIn = 1,   // addressed / invited to the caller's org, not started by it
  kOut = 2,  // started by the caller's org
};

// A validated query as the sources receive it.
struct CollabItemFilter {
  std::string type;  // "" = every type (the registry asks only matching sources)
  CollabDirection direction = CollabDirection::kAll;
  std::string state;  // "" = any; else a state name (a source without it returns nothing)
  domain::Colour colour = domain::Colour::kNone;  // kNone = any colour (or none)
  std::string q;  // "" = any; text in title, number or the type's own text values (≤ 100 chars)
  std::optional<core::CivilDay> from, to;  // created on these Shanghai days, inclusive; from ≤ to
  int page = 1;        // ≥ 1
  int page_size = 20;  // 1..200
};

// The raw query parameters (GET
// /api/v1/collab-items?type=&direction=&state=&colour=&q=&from=&to=&page=&page_size=).
struct CollabItemQuery {
  std::string type;
  std::string direction;
  std::string state;
  std::string colour;
  std::string q;
  // Created on these Shanghai days, inclusive (the workbench's "this month", issue 17).
  std::optional<core::CivilDay> from, to;
  int page = 1;
  int page_size = 20;
};

struct CollabItemPage {
  std::vector<CollabItem> items;
  int64_t total = 0;  // exact: every matching item, whether paged to or not
};

// What a source answers: its newest matching items (at most the limit asked for) and the exact
// number of its matching items.
struct CollabItemSlice {
  std::vector<CollabItem> items;
  int64_t total = 0;
};

// What a feature implements to appear in the combined list.
class CollabItemSource {
 public:
  virtual ~CollabItemSource() = default;
  // The item type it lists ("collaboration", "notice", …); unique within a registry.
  virtual std::string_view Type() const = 0;
  // Its Chinese name (类型 column of the export): 执法协作文书, 隐患通报 ….
  virtual std::string_view TypeLabelZh() const = 0;
  // Whether `state` names a state of this type (the registry's check of `state`).
  virtual bool HasState(std::string_view state) const = 0;
  // The items `p` may see (R-ACC-1) matching f.direction/state/colour/q: the newest `limit`
  // of them (newest first) and how many there are in all. f.type and paging are the
  // registry's. REQUIRES: f validated; 0 <= limit <= kMaxCollabItemsPerSource.
  virtual core::Result<CollabItemSlice> List(const Principal& p, const CollabItemFilter& f,
                                             int limit) = 0;
};

class CollabItemRegistry {
 public:
  // REQUIRES: source non-null and its Type() not registered yet (a wiring bug otherwise:
  // throws std::logic_error).
  void Register(std::shared_ptr<CollabItemSource> source);

  // Validates the query: invalid_argument "invalid_value" naming `type`, `direction`, `state`,
  // `colour` (rule R-TIME-4), `to` (before `from`), `page` or `page_size`; "too_long" naming `q`.
  core::Result<CollabItemFilter> Validate(const CollabItemQuery& q) const;
  // One page of the merged, sorted list and the exact number of matching items.
  core::Result<CollabItemPage> List(const Principal& p, const CollabItemQuery& q) const;
  // Every matching item (paging ignored, at most kMaxCollabItemsExportRows) as CSV with BOM:
  // 类型,文号,标题,发起单位,接收单位,状态,期限,颜色,创建时间 (times Shanghai "2026-11-25 09:00").
  core::Result<std::string> ExportCsv(const Principal& p, const CollabItemQuery& q) const;

 private:
  // The newest `limit` items of each source asked, merged and sorted, and the summed total.
  core::Result<CollabItemSlice> Merged(const Principal& p, const CollabItemFilter& f,
                                       int limit) const;

  std::vector<std::shared_ptr<CollabItemSource>> sources_;
};

// The two built-in kinds of source.
// Collaboration requests over CollaborationService::List (type "collaboration").
std::shared_ptr<CollabItemSource> MakeCollaborationItemSource(CollaborationService& collaborations);
// One CoordType, read from the store with the visibility of CoordItemService::CanSee (R-ACC-1:
// Principal::SeesAll() sees all, others the items their org is involved in) and the
// filters in SQL (storage::CoordItemFilter); `clock` gives the colours' `now` (R-TIME-4).
std::shared_ptr<CollabItemSource> MakeCoordItemSource(storage::Store& store,
                                                      const core::Clock& clock,
                                                      domain::CoordType t);
// Registers the five built-in sources (collaboration, notice, meeting, participation,
// violation_notice). REQUIRES: the service, store and clock outlive the registry.
void RegisterCollabItemSources(CollabItemRegistry& registry, CollaborationService& collaborations,
                               storage::Store& store, const core::Clock& clock);

}  // namespace xietong::service
