// Court enforcement of an administrative decision (申请强制执行, SPEC §10 R-CRI-3; judicial users'
// access R-CRI-5): a party does not comply with a decision; the township or department records
// either its own compulsory enforcement (what, when, result) or applies to a court for compulsory
// enforcement (numbered 强制执行申请书 执). The court accepts it (or not), rules (准予/不准予执行)
// and records the execution. Stored as a coordination item (domain/coord_items.h, type
// kCourtEnforcement) with its OWN transition table read by the generic decider
// (domain/workflow.h). Also the small vocabulary both judicial workflows of this module pair share
// (ItemTable; police support: domain/police_support.h). Pure value types; thread-safe.
//
//   const ItemTable& t = CourtEnforcementTable();
//   XT_ASSIGN_OR_RETURN(const CoordTransition* row, DecideItem(t, "accept", ce_state::kApplied, actor));
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/coord_items.h"
#include "domain/workflow.h"

namespace xietong::domain {

// A workflow of an item type run by its own service: its states, its actions (API name → label),
// its table and the decider's wording.
struct ItemTable {
  CoordType type;
  std::span<const workflow::Named<int>> states;
  std::span<const workflow::Named<std::string_view>> actions;  // every row's action, with label
  std::span<const CoordTransition> rows;                       // creating rows first
  const workflow::Wording<CoordTransition>& wording;
};
std::string_view ItemStateName(const ItemTable& t, int state);   // "unknown" if none
std::string_view ItemStateLabel(const ItemTable& t, int state);  // "未知" if none
std::optional<int> ParseItemState(const ItemTable& t, std::string_view name);
std::string_view ItemActionLabel(const ItemTable& t, std::string_view action);  // "" if none
// The creating row of `action` ("create", "create.self" …), or nullptr.
const CoordTransition* ItemCreateRow(const ItemTable& t, std::string_view action);
// workflow::Decide over the table; invalid_argument "action" for an action the table does not
// have or a creating one.
core::Result<const CoordTransition*> DecideItem(const ItemTable& t, std::string_view action,
                                                int from, const CoordActor& actor);

// Persisted states.
namespace court_enforcement_state {
inline constexpr int kSelfEnforced = 1,  // 已自行强制执行 (recorded, final)
    kApplied = 2,                        // 已申请法院强制执行
    kAccepted = 3,                       // 法院已受理
    kNotAccepted = 4,                    // 法院不予受理
    kGranted = 5,                        // 裁定准予执行
    kDenied = 6,                         // 裁定不准予执行
    kExecuted = 7,                       // 已执行
    kWithdrawn = 8;                      // 已撤回申请
}

// Duty kinds (domain/duty.cc).
inline constexpr std::string_view kCourtAcceptDuty = "court_enforcement.accept";
inline constexpr std::string_view kCourtRulingDuty = "court_enforcement.ruling";

// THE table. Creating rows: "create" (the application to a court) and "create.self" (own
// compulsory enforcement recorded). Steps: accept, reject (不予受理), ruling.granted,
// ruling.denied, execution, withdraw.
const ItemTable& CourtEnforcementTable();

}  // namespace xietong::domain
