// First-contact complaints and reports from the public (投诉举报, 首问责任, SPEC §8 R-SYS-3;
// policy 二(三)3): the first org that receives a complaint within its remit owns it — registers,
// investigates, handles and replies to the complainant; a matter that belongs elsewhere goes by
// referral (§4) from inside the complaint, and the first org still owes the reply.
//
// Stored as items of coord_items (CoordType::kComplaint, "complaint", path "complaints"), run by
// the workflow engine (domain/workflow.h) with THIS table; the service is
// service/complaint_service.h. Persisted enum values are explicit numbers that never change.
// Pure value types and constexpr data; thread-safe.
//
//   domain::ComplaintActor a{.owner_staff = true};
//   XT_ASSIGN_OR_RETURN(const domain::ComplaintTransition* t,
//       domain::DecideComplaint("reply", complaint_state::kInvestigated, a));
//   item.state = t->to;  // complaint_state::kReplied
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/doc_number.h"
#include "domain/workflow.h"

namespace xietong::domain {

// Persisted state values of a complaint (CoordItem::state).
namespace complaint_state {
inline constexpr int kNew = 0;  // before registration (never persisted)
inline constexpr int kRegistered = 1, kInvestigated = 2, kHandled = 3, kReferred = 4,
                     kReplied = 5, kClosed = 6;
}  // namespace complaint_state

// The duty of the first org to reply to the complainant (R-SYS-3).
inline constexpr std::string_view kDutyComplaintReply = "complaint.reply";

// The states in persisted order with API names ("registered") and labels (已登记).
std::span<const workflow::Named<int>> ComplaintStates();
std::string_view ComplaintStateName(int state);     // "unknown" when none
std::string_view ComplaintStateLabelZh(int state);  // 未知 when none
std::optional<int> ParseComplaintState(std::string_view name);

// How a complaint came in, and how a reply goes out (the item's `kind` is the channel):
// phone 电话, 12345 12345热线, visit 来访, letter 来信, online 网上投诉.
std::span<const workflow::Named<std::string_view>> ComplaintChannels();
std::string_view ComplaintChannelLabelZh(std::string_view channel);  // "" when unknown
// "phone|12345|visit|letter|online" (error messages).
std::string ComplaintChannelNames();

// Who may take a step (resolved by the service from the principal and the complaint).
enum class ComplaintWho : int {
  kOwnerStaff = 1,  // officer/leader/liaison of the registering (first) org
};
std::string_view ComplaintWhoLabelZh(ComplaintWho w);

enum class ComplaintGuard : int {
  kNone = 0,
  // Closing without a reply: only an anonymous complaint that left no contact (no one to reply to).
  kNoOneToReplyTo = 1,
};

struct ComplaintActor {
  bool owner_staff = false;
  bool Is(ComplaintWho w) const { return w == ComplaintWho::kOwnerStaff && owner_staff; }
};

// One row of THE table (domain/workflow.h): action (the API path segment; "create" from kNew).
using ComplaintTransition =
    workflow::Transition<int, std::string_view, ComplaintWho, ComplaintGuard>;

// THE transition table, creating row first; any (action, state) pair not in it is illegal.
std::span<const ComplaintTransition> ComplaintTransitions();
const ComplaintTransition& ComplaintCreateRow();
const workflow::Wording<ComplaintTransition>& ComplaintWording();

// The steps (distinct actions of rows not leaving kNew, in table order), their labels (登记投诉举报,
// 调查核实 …; "" when unknown) and the audit action ("complaint.<action>").
std::span<const std::string_view> ComplaintActions();
std::string_view ComplaintActionLabelZh(std::string_view action);
std::string ComplaintAuditAction(std::string_view action);

// Decides a step (workflow::Decide over the table): invalid_argument "action" for an unknown
// action; permission_denied R-SYS-3 for someone not of the first org; failed_precondition
// "illegal_transition" naming the current state (field "state").
core::Result<const ComplaintTransition*> DecideComplaint(std::string_view action, int from,
                                                         const ComplaintActor& actor);

}  // namespace xietong::domain
