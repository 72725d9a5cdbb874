// Collaboration requests (执法协作文书, SPEC §5 R-COL-1..4, policy 二(二)2): a township asks a
// county department for a determination, a technical appraisal or an advisory opinion; the
// department answers in writing within 3 working days of receipt (R-COL-2), sends staff on site
// when urgent or evidence may be lost (R-COL-3), and may extend for a technical appraisal or a
// complex case (R-COL-4). The entity, its states, the ONE transition table and the checks that need
// no I/O. Pure value types and functions; thread-safe.
//
//   domain::CollabActor a{.sender_leader = true};
//   XT_ASSIGN_OR_RETURN(const domain::CollabTransition* t,
//                       domain::DecideCollabTransition(CollabAction::kApprove, c.state, a));
//   c.state = t->to;   // kSent
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

enum class CollabKind : int {
  kDetermination = 1,       // 认定
  kTechnicalAppraisal = 2,  // 技术鉴定 (may be extended, R-COL-4)
  kAdvisoryOpinion = 3,     // 咨询意见
};
std::string_view CollabKindName(CollabKind k);     // "determination" …
std::string_view CollabKindLabelZh(CollabKind k);  // 认定 …
std::optional<CollabKind> ParseCollabKind(std::string_view s);

enum class CollabState : int {
  kDraft = 1,          // 草稿 (also after the sender's leader returned it)
  kSubmitted = 2,      // 待审批
  kSent = 3,           // 已发送: numbered, with the department; R-COL-2 clock runs from sent_at
  kReceived = 4,       // 已接收 (also: a follow-up round is open)
  kAnswerPending = 5,  // 答复待签发: the answer is drafted, waiting for the receiver's leader
  kAnswered = 6,       // 已答复
  kClosed = 7,         // 已办结 (final)
  kWithdrawn = 8,      // 已撤回 (final)
};
inline constexpr CollabState kAllCollabStates[] = {
    CollabState::kDraft,         CollabState::kSubmitted, CollabState::kSent,
    CollabState::kReceived,      CollabState::kAnswerPending, CollabState::kAnswered,
    CollabState::kClosed,        CollabState::kWithdrawn};
std::string_view CollabStateName(CollabState s);     // "draft" …
std::string_view CollabStateLabelZh(CollabState s);  // 草稿 …
std::optional<CollabState> ParseCollabState(std::string_view s);

enum class CollabAction : int {
  kUpdate = 1,         // PATCH a draft
  kSubmit = 2,         // for the sender leader's approval
  kApprove = 3,        // numbered and sent (R-COL-1)
  kReturn = 4,         // the sender's leader sends it back to the drafter
  kReceive = 5,        // the department signs for it
  kExtend = 6,         // R-COL-4
  kAnswer = 7,         // the receiver drafts the answer of the current round
  kApproveAnswer = 8,  // the receiver's leader signs it off: numbered answer (R-COL-2)
  kRejectAnswer = 9,   // the receiver's leader sends the draft answer back
  kFollowUp = 10,      // the township asks again: a new round, same thread
  kDispatch = 11,      // R-COL-3: who was sent, when
  kArrived = 12,       // R-COL-3: on site
  kWithdraw = 13,
  kClose = 14,
};
inline constexpr CollabAction kAllCollabActions[] = {
    CollabAction::kUpdate,       CollabAction::kSubmit,        CollabAction::kApprove,
    CollabAction::kReturn,       CollabAction::kReceive,       CollabAction::kExtend,
    CollabAction::kAnswer,       CollabAction::kApproveAnswer, CollabAction::kRejectAnswer,
    CollabAction::kFollowUp,     CollabAction::kDispatch,      CollabAction::kArrived,
    CollabAction::kWithdraw,     CollabAction::kClose};
// "approve-answer" (the API path segment); audit actions use CollabAuditAction.
std::string_view CollabActionName(CollabAction a);
std::string_view CollabAuditAction(CollabAction a);  // "collaboration.approve_answer"
std::string_view CollabActionLabelZh(CollabAction a);
std::string_view CollabActionRule(CollabAction a);

enum class CollabWho : int {
  kSenderStaff = 1,     // an officer or leader of the requesting township
  kSenderLeader = 2,    // a leader of the requesting township
  kReceiverStaff = 3,   // an officer, leader or liaison of the department
  kReceiverLeader = 4,  // a leader of the department
};
std::string_view CollabWhoLabelZh(CollabWho w);

struct CollabActor {
  bool sender_staff = false;
  bool sender_leader = false;
  bool receiver_staff = false;
  bool receiver_leader = false;
  bool Is(CollabWho w) const;
};

// No step of a collaboration request needs a guard beyond its state (R-COL-3's dispatch and
// R-COL-4's extension are checked by their handlers, which know the request's fields).
enum class CollabGuard : int { kNone = 0 };

// The duty kinds of a collaboration request (domain/duty.cc has their rules and periods).
inline constexpr std::string_view kDutyCollabAnswer = "collaboration.answer";      // R-COL-2
inline constexpr std::string_view kDutyCollabDispatch = "collaboration.dispatch";  // R-COL-3

// A row of the table: action, from, to, who, guard, effects (domain/workflow.h).
using CollabTransition = workflow::Transition<CollabState, CollabAction, CollabWho, CollabGuard>;

// THE transition table. Any (action, state) pair not in it is illegal.
std::span<const CollabTransition> CollabTransitions();
const workflow::Wording<CollabTransition>& CollabWording();
const CollabTransition* FindCollabTransition(CollabAction action, CollabState from);

// Decides a step for `actor` (workflow::Decide): permission_denied (the action's rule) when the
// actor may not take it; failed_precondition "illegal_transition" (field "state") naming the
// current state when no row leaves `from` by `action`.
core::Result<const CollabTransition*> DecideCollabTransition(CollabAction action, CollabState from,
                                                             const CollabActor& actor);

// ---- The entity -------------------------------------------------------------------------

struct CollabFile {  // a copy of an uploaded file's metadata
  std::string id;    // sha256 hex
  std::string name;
  int64_t size = 0;
  std::string content_type;
  bool operator==(const CollabFile&) const = default;
};

struct CollabMaterial {
  std::string name;
  std::string description;
  std::optional<CollabFile> file;
  bool operator==(const CollabMaterial&) const = default;
};

struct CollabAnswer {
  std::string conclusion;
  std::string text;
  std::optional<CollabFile> file;
  Id drafted_by = 0;
  core::Instant drafted_at{};
  std::optional<core::Instant> answered_at;  // set by approve-answer
  std::optional<Id> approved_by;
  std::optional<Id> document_id;
  bool operator==(const CollabAnswer&) const = default;
};

struct CollabRound {
  int n = 1;
  std::string questions;
  core::Instant asked_at{};
  std::optional<Id> duty_id;  // its collaboration.answer duty (R-COL-2)
  std::optional<CollabAnswer> answer;
  bool operator==(const CollabRound&) const = default;
};

struct CollabExtension {  // R-COL-4
  std::string reason;
  core::Instant old_due{};
  core::Instant new_due{};
  Id requested_by = 0;
  Id approved_by = 0;
  core::Instant at{};
  bool operator==(const CollabExtension&) const = default;
};

struct CollabDispatch {  // R-COL-3
  std::vector<std::string> staff;
  core::Instant sent_at{};
  std::optional<core::Instant> arrived_at;
  std::string note;
  bool operator==(const CollabDispatch&) const = default;
};

struct Collaboration {
  Id id = 0;
  std::optional<std::string> number;  // 文号 of the letter (协)
  CollabState state = CollabState::kDraft;
  CollabKind kind = CollabKind::kDetermination;
  Id from_org_id = 0;  // the requesting township
  Id to_org_id = 0;    // the county department
  std::string title;
  std::string questions;  // round 1
  std::string case_ref;
  std::optional<Id> referral_id;
  std::vector<CollabMaterial> materials;
  bool urgent = false;
  bool evidence_at_risk = false;
  bool complex = false;  // stated by the receiver on extend (R-COL-4)
  std::vector<CollabRound> rounds;  // created at approve (round 1) and follow-up
  std::vector<CollabExtension> extensions;
  std::optional<CollabDispatch> dispatch;
  std::optional<Id> dispatch_duty_id;
  Id created_by = 0;
  core::Instant created_at{};
  core::Instant updated_at{};
  std::optional<core::Instant> submitted_at;
  std::optional<core::Instant> sent_at;
  std::optional<core::Instant> received_at;
  std::optional<core::Instant> answered_at;  // the latest approved answer
  std::optional<core::Instant> closed_at;
  std::string withdraw_reason;
  std::string return_reason;
  bool operator==(const Collaboration&) const = default;

  // R-COL-3: an on-site dispatch is owed.
  bool NeedsDispatch() const { return urgent || evidence_at_risk; }
};

inline constexpr size_t kMaxCollabTitleChars = 100;
inline constexpr size_t kMaxCollabQuestionsChars = 5000;
inline constexpr size_t kMaxCollabCaseRefChars = 200;
inline constexpr size_t kMaxCollabMaterials = 50;
inline constexpr size_t kMaxCollabConclusionChars = 500;
inline constexpr size_t kMaxCollabAnswerChars = 5000;
inline constexpr size_t kMaxCollabReasonChars = 500;
inline constexpr size_t kMaxCollabStaff = 20;
inline constexpr size_t kMaxCollabStaffNameChars = 50;

// Shapes wrong in any state (lengths, material names). invalid_argument naming the field
// ("title", "materials[2].name" …).
core::Status CheckCollabShape(const Collaboration& c);
// R-COL-1, checked on submit: title, questions and case_ref are written.
core::Status CheckCollabComplete(const Collaboration& c);
// R-COL-4: an extension needs a technical appraisal or a case stated complex (field "complex",
// id "extension_not_allowed"), a reason (1..500) and a new due after the current one (field
// "new_due").
core::Status CheckCollabExtension(const Collaboration& c, bool complex, std::string_view reason,
                                  core::Instant current_due, core::Instant new_due,
                                  core::Instant now);
// The answer: conclusion 1..500, text 1..5000.
core::Status CheckCollabAnswer(std::string_view conclusion, std::string_view text);
// R-COL-3: staff 1..20 names, each 1..50 characters (fields "staff", "staff[1]").
core::Status CheckCollabStaff(const std::vector<std::string>& staff);

}  // namespace xietong::domain
