// Jurisdiction disputes (职责分工争议, SPEC §9 R-DIS-1..3): the transition table of items of
// CoordType::kDispute (stored in coord_items, run by the workflow engine, domain/workflow.h).
//
//  - R-DIS-1: opening a dispute opens at once, for every party, a joint-handling duty
//    (dispute.joint_handling, 先协同处置); a party meets its own by recording who acts and what
//    was done ("joint-handling", a meet_one row).
//  - R-DIS-2: three steps, none skipped: the parties' negotiation (协商, record 商) → the
//    coordinator's coordination (协调, decision 调) → the County Government's decision (决定, 决).
//    Each step's outcome is an action of its own: "negotiation.agreed" settles, and
//    "negotiation.failed" moves on to the coordinator; "coordination.settled" settles, and
//    "coordination.failed" moves on to the government; "decision" settles. No row leaves a step
//    for the one after the next, so any attempt to skip is the decider's 409 illegal_transition
//    naming R-DIS-2.
//  - R-DIS-3: a settling step may carry a boundary decision (applied by the service).
//
// The item's `kind` is the step it is at (or was settled at): "negotiation", "coordination",
// "decision" (the list's `step` filter). Pure value types and constexpr data; thread-safe.
//
//   domain::DisputeActor a{.coordinator = true};
//   XT_ASSIGN_OR_RETURN(const domain::DisputeTransition* t,
//       domain::DecideDisputeTransition("coordination.failed", dispute_state::kCoordination, a));
//   item.state = t->to;  // dispute_state::kDecision
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/workflow.h"

namespace xietong::domain {

// Persisted state values; never change.
namespace dispute_state {
inline constexpr int kNew = 0;  // the creating row's "from" (never persisted)
inline constexpr int kNegotiation = 1;   // 协商中
inline constexpr int kCoordination = 2;  // 协调中 (the coordinator)
inline constexpr int kDecision = 3;      // 待县政府决定
inline constexpr int kSettled = 4;       // 已解决
}  // namespace dispute_state

// The states in persisted order, their API names ("negotiation", "coordination", "decision",
// "settled") and labels.
std::span<const workflow::Named<int>> DisputeStates();
std::string_view DisputeStateName(int state);     // "unknown" if none
std::string_view DisputeStateLabelZh(int state);  // "未知" if none
std::optional<int> ParseDisputeState(std::string_view name);

// The three steps of R-DIS-2 (the item's `kind`): "negotiation", "coordination", "decision".
inline constexpr std::string_view kDisputeSteps[] = {"negotiation", "coordination", "decision"};
std::string_view DisputeStepLabelZh(std::string_view step);  // 协商, 协调, 决定; "" if none
// The step a state belongs to (a settled dispute keeps the step that settled it).
std::string_view DisputeStepOf(int state);

// Who may take a step (resolved by the service from the principal and the item).
enum class DisputeWho : int {
  kOpener = 1,       // staff of a township or county department (creating row)
  kPartyStaff = 2,   // officer/leader/liaison of a party org
  kCoordinator = 3,  // acts for the coordinator (县委依法治县办)
  kGovernment = 4,   // staff of the County Government (org kind government)
};
std::string_view DisputeWhoLabelZh(DisputeWho w);

enum class DisputeGuard : int { kNone = 0 };

struct DisputeActor {
  bool opener = false;
  bool party_staff = false;
  bool coordinator = false;
  bool government = false;
  bool Is(DisputeWho w) const;
};

using DisputeTransition = workflow::Transition<int, std::string_view, DisputeWho, DisputeGuard>;

// THE table, the creating row first; any (action, state) pair not in it is illegal (R-DIS-2).
std::span<const DisputeTransition> DisputeTransitions();
const DisputeTransition& DisputeCreateRow();
const DisputeTransition* FindDisputeTransition(std::string_view action, int from);
const workflow::Wording<DisputeTransition>& DisputeWording();

// Actions (not the creating row), labels and rules; the audit action ("dispute.<action>", "-"
// and "." become "_": "dispute.negotiation_failed").
std::vector<std::string_view> DisputeActions();
std::string_view DisputeActionLabelZh(std::string_view action);  // "" when unknown
std::string_view DisputeActionRule(std::string_view action);     // "R-DIS-2" when unknown
std::string DisputeAuditAction(std::string_view action);

// workflow::Decide over the table; invalid_argument "action" for an unknown action.
core::Result<const DisputeTransition*> DecideDisputeTransition(std::string_view action, int from,
                                                               const DisputeActor& actor);

// Duty kinds.
inline constexpr std::string_view kDisputeJointHandling = "dispute.joint_handling";  // R-DIS-1
inline constexpr std::string_view kDisputeNegotiationDuty = "dispute.negotiation";   // R-DIS-2
inline constexpr std::string_view kDisputeCoordinationDuty = "dispute.coordination";
inline constexpr std::string_view kDisputeDecisionDuty = "dispute.decision";

// R-DIS-3: the boundary changes a settling decision may carry.
inline constexpr std::string_view kBoundaryChanges[] = {"delegate", "withdraw", "owner"};

}  // namespace xietong::domain
