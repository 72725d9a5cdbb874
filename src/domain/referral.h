// Case referrals (案件移送抄告, SPEC §4, policy 二(二)4): the entity, its states, the ONE
// transition table (action × state → next state, and who may do it), and the rule checks that
// need no I/O: completeness (R-REF-3), ongoing violations (R-REF-5) and the sender's name
// (R-REF-2). Pure value types and functions; thread-safe.
//
//   domain::ReferralActor a{.sender_leader = true};
//   XT_ASSIGN_OR_RETURN(const domain::ReferralTransition* t,
//                       domain::DecideTransition(ReferralAction::kApprove, r.state, a));
//   r.state = t->to;   // kSent
//
// Persisted enum values are explicit numbers that never change.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "domain/org.h"
#include "domain/workflow.h"

namespace xietong::domain {

enum class ReferralState : int {
  kDraft = 1,         // 草稿: the sender's officer is writing it
  kSubmitted = 2,     // 待审批: waiting for the sender's leader (R-REF-3)
  kSent = 3,          // 已移送: approved, numbered, with the receiver (R-REF-6 clock runs)
  kReceived = 4,      // 已接收: the receiver signed for it
  kAccepted = 5,      // 已受理
  kDeclined = 6,      // 不予受理
  kReturned = 7,      // 已退回: back to the drafter (by the sender's leader or the receiver)
  kWithdrawn = 8,     // 已撤回 (final)
  kHandled = 9,       // 已办理: the receiver reported the result (R-REF-8)
  kClosed = 10,       // 已办结 (final)
  kCoordination = 11, // 协调中: the coordinator decides (R-REF-7)
};
inline constexpr ReferralState kAllReferralStates[] = {
    ReferralState::kDraft,     ReferralState::kSubmitted, ReferralState::kSent,
    ReferralState::kReceived,  ReferralState::kAccepted,  ReferralState::kDeclined,
    ReferralState::kReturned,  ReferralState::kWithdrawn, ReferralState::kHandled,
    ReferralState::kClosed,    ReferralState::kCoordination};

// "draft", "submitted" … (API and CSV); ParseReferralState returns nullopt for unknown names.
std::string_view ReferralStateName(ReferralState s);
std::string_view ReferralStateLabelZh(ReferralState s);  // 草稿、待审批 …
std::optional<ReferralState> ParseReferralState(std::string_view s);

enum class ReferralAction : int {
  kUpdate = 1,                      // PATCH (edit a draft or a returned referral)
  kSubmit = 2,                      // submit for the leader's approval
  kApprove = 3,                     // the leader approves: numbered, sent
  kReturn = 4,                      // 退回 (sender's leader) / 退回补正 (receiver)
  kReceive = 5,                     // the receiver signs for it
  kAccept = 6,                      // 受理
  kDecline = 7,                     // 不予受理
  kWithdraw = 8,                    // 撤回
  kHandle = 9,                      // the receiver reports the result
  kClose = 10,                      // 办结
  kRequestCoordination = 11,        // ask the coordinator (R-REF-7)
  kCoordinateReceiverAccepts = 12,  // coordinator: the receiver must accept
  kCoordinateSenderKeeps = 13,      // coordinator: the sender keeps the case (closed)
  kCoordinateReassign = 14,         // coordinator: another receiver
};
inline constexpr ReferralAction kAllReferralActions[] = {
    ReferralAction::kUpdate,
    ReferralAction::kSubmit,
    ReferralAction::kApprove,
    ReferralAction::kReturn,
    ReferralAction::kReceive,
    ReferralAction::kAccept,
    ReferralAction::kDecline,
    ReferralAction::kWithdraw,
    ReferralAction::kHandle,
    ReferralAction::kClose,
    ReferralAction::kRequestCoordination,
    ReferralAction::kCoordinateReceiverAccepts,
    ReferralAction::kCoordinateSenderKeeps,
    ReferralAction::kCoordinateReassign};

std::string_view ReferralActionName(ReferralAction a);     // "approve"; audit: "referral.approve"
std::string_view ReferralActionLabelZh(ReferralAction a);  // 批准移送
std::string_view ReferralActionRule(ReferralAction a);     // the rule the action serves

// Who may take a step (resolved by the service from the principal and the referral).
enum class ReferralWho : int {
  kSenderOfficer = 1,   // an officer of the sending org
  kSenderLeader = 2,    // a leader of the sending org (R-REF-3: approves before it leaves)
  kSenderStaff = 3,     // an officer or a leader of the sending org
  kReceiverStaff = 4,   // an officer, leader or liaison of the receiving org
  kReceiverLeader = 5,  // a leader of the receiving org
  kEitherLeader = 6,    // a leader of the sending or the receiving org
  kCoordinator = 7,     // acts for the coordinator (R-REF-7)
};
std::string_view ReferralWhoLabelZh(ReferralWho w);

// An extra condition a step needs beyond the state (checked by the service, which knows duties).
enum class ReferralGuard : int {
  kNone = 0,
  kAcceptDutyRed = 1,  // R-REF-7 before a refusal: the receiver let the R-REF-6 duty go red
  // R-CRI-1 (不得以罚代刑): no criminal transfer of the referral is unresolved
  // (domain/criminal_transfer.h CrimeTransferOpen).
  kNoOpenCriminalTransfer = 2,
};

// What the acting principal is with respect to one referral.
struct ReferralActor {
  bool sender_officer = false;
  bool sender_leader = false;
  bool receiver_staff = false;
  bool receiver_leader = false;
  bool coordinator = false;

  bool Is(ReferralWho w) const;
};

// The duty kinds of a referral (domain/duty.cc has their rules and periods).
inline constexpr std::string_view kDutyReferralSend = "referral.send";               // R-REF-4
inline constexpr std::string_view kDutyReferralSendUrgent = "referral.send_urgent";  // R-REF-4
inline constexpr std::string_view kDutyReferralOngoing = "referral.ongoing_notice";  // R-REF-5
inline constexpr std::string_view kDutyReferralAccept = "referral.accept_notice";    // R-REF-6

// A row of the table: action, from, to, who, guard, effects (domain/workflow.h).
using ReferralTransition =
    workflow::Transition<ReferralState, ReferralAction, ReferralWho, ReferralGuard>;

// THE transition table. Any (action, state) pair not in it is illegal.
std::span<const ReferralTransition> ReferralTransitions();
// How the decider names referral states, actions and actors.
const workflow::Wording<ReferralTransition>& ReferralWording();

// The row for (action, from), or nullptr.
const ReferralTransition* FindReferralTransition(ReferralAction action, ReferralState from);

// Decides a step for `actor` (workflow::Decide over the referral table):
//  - permission_denied (rule R-ACC-1 or the action's rule) when the actor may not take this
//    action in any state, or may not take it from the current state while someone else may;
//  - failed_precondition "illegal_transition" naming the current state ("当前状态为「已移送」，
//    不能撤回…") with the action's rule when no row leaves `from` by `action`.
// The guard and effects of the returned row are the caller's to apply.
core::Result<const ReferralTransition*> DecideTransition(ReferralAction action, ReferralState from,
                                                         const ReferralActor& actor);

// ---- The entity -------------------------------------------------------------------------

struct Party {  // 当事人
  std::string name;
  std::string id_type;    // 居民身份证 / 统一社会信用代码 …
  std::string id_number;
  std::string address;
  std::string phone;
  bool operator==(const Party&) const = default;
};

struct EvidenceItem {  // 证据材料
  std::string name;
  std::string description;
  std::optional<std::string> file_id;  // sha256 hex of an uploaded file
  // A copy of the file's metadata at attach time (for rendering without the files table).
  std::string file_name;
  int64_t file_size = 0;
  std::string file_content_type;
  bool operator==(const EvidenceItem&) const = default;
};

struct Checklist {  // R-REF-3: 事实清楚、证据齐全、程序合法、手续完备
  bool facts_clear = false;
  bool evidence_complete = false;
  bool procedure_lawful = false;
  bool formalities_complete = false;
  bool operator==(const Checklist&) const = default;
};

struct Dissuasion {  // R-REF-5: 劝阻
  core::Instant at{};
  std::string note;
  bool operator==(const Dissuasion&) const = default;
};

// Coordination decisions (R-REF-7).
inline constexpr std::string_view kDecisionReceiverAccepts = "receiver_accepts";
inline constexpr std::string_view kDecisionSenderKeeps = "sender_keeps";
inline constexpr std::string_view kDecisionReassign = "reassign";

struct Coordination {
  core::Instant requested_at{};
  std::string reason;
  std::string decision;  // "" until decided, then one of the kDecision* values
  std::optional<core::Instant> decided_at;
  std::optional<Id> decided_by;
  std::string decision_reason;
  bool operator==(const Coordination&) const = default;
};

struct Referral {
  Id id = 0;
  std::optional<std::string> number;  // current 文号 of the letter; a resend gets a new one
  ReferralState state = ReferralState::kDraft;
  Id from_org_id = 0;  // the sending township or department (never a unit, R-REF-2)
  Id to_org_id = 0;    // the receiving (competent) org
  Id matter_id = 0;
  std::string matter_code;
  Id matter_owner_org_id = 0;  // the county department owning the matter (sees it, R-ACC-1)
  Id township_org_id = 0;      // where it happened
  std::string place;
  core::Instant discovered_at{};
  std::string facts;
  Party party;
  std::string legal_basis;
  std::vector<EvidenceItem> evidence;
  bool urgent = false;   // R-REF-4: 24 hours
  bool ongoing = false;  // R-REF-5
  std::optional<Dissuasion> dissuasion;
  Checklist checklist;
  std::optional<Id> unit_id;      // R-REF-2: the creating user's unit, when a law allows it
  std::string unit_legal_basis;   // the law that allows it
  std::string jurisdiction_override_reason;  // R-JUR-1 override
  bool flagged_for_coordinator = false;
  Id created_by = 0;
  core::Instant created_at{};
  core::Instant updated_at{};
  std::optional<core::Instant> submitted_at;
  std::optional<core::Instant> sent_at;
  std::optional<core::Instant> received_at;
  std::optional<core::Instant> accepted_at;
  std::optional<core::Instant> closed_at;
  std::string accept_note;
  std::string decline_reason;
  std::string return_reason;
  std::string result;  // R-REF-8: copied back to the sender
  std::optional<Coordination> coordination;
  // Orgs it was addressed to before a coordinator's reassignment (R-REF-7); they keep read
  // access (issue 15 finding 9). Not a column: the service fills it from the owners of the
  // referral's earlier R-REF-6 acceptance duties (ReferralService::WithPastReceivers).
  std::vector<Id> past_to_org_ids;

  bool operator==(const Referral&) const = default;
};

// Field limits (characters).
inline constexpr size_t kMaxPlaceChars = 200;
inline constexpr size_t kMaxFactsChars = 5000;
inline constexpr size_t kMaxLegalBasisChars = 2000;
inline constexpr size_t kMaxPartyFieldChars = 200;
inline constexpr size_t kMaxEvidenceItems = 50;
inline constexpr size_t kMaxEvidenceNameChars = 100;
inline constexpr size_t kMaxTextChars = 500;  // descriptions, notes, reasons, results are 2000
inline constexpr size_t kMaxResultChars = 2000;

// Number of Unicode code points in UTF-8 `s`.
size_t Utf8Length(std::string_view s);
// True when `s` is empty or only ASCII white space.
bool IsBlank(std::string_view s);

// Shapes that are wrong in any state (lengths; evidence names; dissuasion note). Errors:
// invalid_argument naming the field ("place", "facts", "party.name", "evidence[2].name" …).
core::Status CheckReferralShape(const Referral& r);

// R-REF-3 and R-REF-5, checked on submit: facts, place, legal_basis, at least one evidence item with a
// file, all four checklist booleans; an ongoing violation needs the dissuasion (at and note).
// Errors: invalid_argument naming the first missing field ("facts", "legal_basis",
// "place", "evidence", "checklist.facts_clear" …, "dissuasion", "dissuasion.note") with rule R-REF-3 or
// R-REF-5; the id is "incomplete_referral".
core::Status CheckReferralComplete(const Referral& r);

// R-REF-2: a user of an internal or dispatched unit may refer only when a law allows it; then
// `unit_legal_basis` names it. Errors: invalid_argument field "unit" rule R-REF-2.
core::Status CheckReferralSender(bool user_in_unit, std::string_view unit_legal_basis);

// A reason/note/result of 1..max characters (not blank). Errors: invalid_argument naming
// `field` with `rule`.
core::Status CheckReferralText(std::string_view text, const char* field, size_t max_chars,
                               const char* rule);

}  // namespace xietong::domain
