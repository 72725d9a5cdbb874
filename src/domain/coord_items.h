// Four smaller collaboration workflows of SPEC §5 (policy 二(二)2 and 二(三)1):
//  - hazard / frequent-violation notices (通报, R-COL-5),
//  - special meetings on a major case lead (专题会议, R-COL-6; joint enforcement R-SYS-5),
//  - participation requests (参与告知, R-COL-7; phone first, written notice afterwards),
//  - immediate notices of another department's violation (违法行为通知, R-COL-8; coordination).
//
// They share one entity (CoordItem: who started it, whom it is addressed to, the orgs involved,
// its state, its number, and the type's own fields as a canonical JSON object) and run on the
// workflow engine (domain/workflow.h): each type has its OWN transition table (action × state →
// next state, who, guard, duties met / waived / opened, the document issued), read by the generic
// decider. Persisted enum values are explicit numbers that never change. Pure value types and
// functions; thread-safe.
//
//   domain::CoordActor a{.to_staff = true};
//   XT_ASSIGN_OR_RETURN(const domain::CoordTransition* t,
//       domain::DecideCoordTransition(CoordType::kNotice, "measures", notice_state::kOpen, a));
//   item.state = t->to;  // notice_state::kAnswered
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "domain/doc_number.h"
#include "domain/org.h"
#include "domain/workflow.h"

namespace xietong::domain {

// Persisted; values never change.
enum class CoordType : int {
  kNotice = 1,         // 隐患/多发领域通报 (R-COL-5)
  kMeeting = 2,        // 专题会议 (R-COL-6)
  kParticipation = 3,  // 参与告知 (R-COL-7)
  kViolation = 4,      // 违法行为通知 (R-COL-8)
  // Workflows of SPEC §8–§10 stored as items too (the same table, their own transition tables
  // and services: domain/dispute.h, domain/criminal_transfer.h, domain/complaint.h).
  kDispute = 5,           // 职责分工争议 (R-DIS-1..3)
  kCriminalTransfer = 6,  // 涉嫌犯罪案件移送 (R-CRI-1..5)
  kComplaint = 7,         // 投诉举报 (首问责任, R-SYS-3)
  // R-CRI-3 / R-CRI-4 (domain/court_enforcement.h, domain/police_support.h).
  kCourtEnforcement = 8,  // 申请强制执行 (R-CRI-3)
  kPoliceSupport = 9,     // 提请公安协助 (R-CRI-4)
  // Guidance, training, technical support (R-GUI-1..3, domain/guidance.h).
  kGuidanceRequest = 13,  // 业务指导申请 (R-GUI-1)
  kTraining = 14,         // 业务培训 (R-GUI-2)
  kTechSupport = 15,      // 技术支持 (检验检测, R-GUI-3)
  // The annual plan and commanded tasks (domain/plan.h).
  kAnnualPlan = 19,  // 年度执法计划 (R-PLN-1)
  kPlanTask = 20,    // 重点任务 / 交办任务 (R-PLN-1, R-PLN-2)
  // 督办 (R-PLN-2, domain/urging.h): the coordinator urges the owner of an overdue or yellow item.
  kUrging = 21,
  // 通报批评 and 问责 (R-ASM-2, domain/assessment.h): the coordinator's circular of criticism citing
  // an org's failing items, and, if serious, the accountability record.
  kCircular = 22,
  kAccountability = 23,
  // Standing mechanisms (SPEC §8 R-SYS-1, R-SYS-4, R-SYS-5), run by CoordItemService like the
  // collaboration types but not part of the combined 协作 list.
  kConsultation = 16,    // 联席会议 (R-SYS-1): a meeting with decisions, minutes numbered 席
  kJointMechanism = 17,  // 联合执法机制 (R-SYS-4): a standing mechanism for a field
  kJointAction = 18,     // 联合执法行动 (R-SYS-5): a joint action on its own
  // Shared information (R-INF-1, R-INF-3; domain/shared_info.h).
  kMaterial = 10,       // 资料发布 (R-INF-1)
  kPenaltyFiling = 11,  // 处罚备案 (R-INF-3)
  // Notices to the public (R-ASM-3; domain/public_notice.h): 普法宣传, 执法公告.
  kPublicNotice = 24,
};
// The four collaboration workflows of SPEC §5 (CoordItemService, the combined 协作 list).
inline constexpr CoordType kAllCoordTypes[] = {CoordType::kNotice, CoordType::kMeeting,
                                               CoordType::kParticipation, CoordType::kViolation};
// Every type stored in coord_items (storage: the duty object type of a row).
inline constexpr CoordType kAllItemTypes[] = {
    CoordType::kNotice,  CoordType::kMeeting,          CoordType::kParticipation,
    CoordType::kViolation, CoordType::kDispute, CoordType::kCriminalTransfer,
    CoordType::kComplaint, CoordType::kCourtEnforcement, CoordType::kPoliceSupport,
    CoordType::kGuidanceRequest, CoordType::kTraining, CoordType::kTechSupport,
    CoordType::kAnnualPlan, CoordType::kPlanTask, CoordType::kUrging,
    CoordType::kConsultation, CoordType::kJointMechanism, CoordType::kJointAction,
    CoordType::kMaterial, CoordType::kPenaltyFiling, CoordType::kPublicNotice,
    CoordType::kCircular, CoordType::kAccountability};
// The standing mechanisms (R-SYS-1, 4, 5): CoordItemService runs them too.
inline constexpr CoordType kMechanismTypes[] = {CoordType::kConsultation, CoordType::kJointMechanism,
                                                CoordType::kJointAction};
// "notice", "meeting", "participation", "violation_notice", "dispute", "criminal_transfer",
// "complaint" (API, audit prefix, duty object type).
std::string_view CoordTypeName(CoordType t);
std::string_view CoordTypeLabelZh(CoordType t);  // 通报, 专题会议, 参与告知, 违法行为通知, …
std::string_view CoordTypeRule(CoordType t);     // R-COL-5 … R-COL-8, R-DIS-2, R-CRI-1, R-SYS-3
// The API and web path segment of a type's items: "notices", "meetings", "participation-requests",
// "violation-notices", "disputes", "criminal-transfers", "complaints" (/api/v1/<path>/{id},
// /<path>/{id} in the web UI).
std::string_view CoordTypePath(CoordType t);
// One of the four collaboration types (kAllCoordTypes), which CoordItemService runs.
bool IsCollaborationType(CoordType t);
// One of the standing mechanism types (kMechanismTypes).
bool IsMechanismType(CoordType t);
// The four collaboration types only (kAllCoordTypes): the 协作 API's `type` names.
std::optional<CoordType> ParseCoordType(std::string_view s);

// States (persisted values per type).
namespace notice_state {
inline constexpr int kOpen = 1, kAnswered = 2, kClosed = 3, kWithdrawn = 4;
}
namespace meeting_state {
inline constexpr int kScheduled = 1, kHeld = 2, kClosed = 3, kCancelled = 4;
}
namespace participation_state {
inline constexpr int kPhoned = 1, kNotified = 2, kConfirmed = 3, kDone = 4, kCancelled = 5;
}
// A consultation (联席会议, R-SYS-1) runs the meeting's states.
namespace consultation_state = meeting_state;
namespace mechanism_state {
inline constexpr int kActive = 1, kDissolved = 2;
}
namespace joint_action_state {
inline constexpr int kPlanned = 1, kDone = 2, kCancelled = 3;
}
namespace violation_state {
inline constexpr int kNotified = 1, kDispatched = 2, kHandled = 3, kRefused = 4,
                     kCoordination = 5, kClosed = 6, kWithdrawn = 7;
}

// The states of a type in persisted order; their API names and labels. The functions below speak
// of the four collaboration types (kAllCoordTypes); for the others they answer empty (their own
// modules hold their tables).
std::span<const int> CoordStates(CoordType t);
std::string_view CoordStateName(CoordType t, int state);     // "open" … ("unknown" if none)
std::string_view CoordStateLabelZh(CoordType t, int state);  // 待研究处置 …
std::optional<int> ParseCoordState(CoordType t, std::string_view name);

// Who may take a step (resolved by the service from the principal and the item).
enum class CoordWho : int {
  kFromStaff = 1,        // officer/leader/liaison of the org that started it
  kToStaff = 2,          // officer/leader/liaison of the addressed org
  kToLeader = 3,         // a leader of the addressed org
  kInviteeStaff = 4,     // staff of an invited org (meetings)
  kOwnerStaff = 5,       // staff of the org owning a meeting decision
  kConvenerOrOwner = 6,  // staff of the convener or of the decision's owner
  kInvolvedStaff = 7,    // staff of any org involved (messages)
  kCoordinator = 8,      // acts for the coordinator (R-COL-8 coordination)
  kCoordinatorOrToStaff = 9,  // the coordinator, or staff of the addressed (lead) org (R-SYS-4)
};
std::string_view CoordWhoLabelZh(CoordWho w);

// An extra condition beyond the state (checked by the service, which knows duties and clocks).
enum class CoordGuard : int {
  kNone = 0,
  kDispatchDutyRed = 1,       // R-COL-8: coordination from `notified` once the dispatch is overdue
  kWrittenNoticeMissing = 2,  // R-COL-7: the written notice has not been issued yet
  kWrittenNoticeIssued = 3,   // R-COL-7: complete only after the written notice
  kMeetingStarted = 4,        // R-COL-6: minutes only after start_at
  kNoOpenDecisions = 5,       // R-COL-6: close only when every decision is done
};

struct CoordActor {
  bool from_staff = false;
  bool to_staff = false;
  bool to_leader = false;
  bool invitee_staff = false;
  bool owner_staff = false;  // of the decision concerned (set by the service per decision)
  bool coordinator = false;
  bool involved_staff = false;  // staff of any involved org (messages)
  bool Is(CoordWho w) const;
};

// The "new" state every type's creating rows leave from (never persisted).
inline constexpr int kCoordNew = 0;

// One row of a workflow's table (domain/workflow.h): action (the API path segment, or "create" /
// "create.phoned" from kCoordNew), from, to, who, guard and the step's declared effects on duties
// (meet / meet_one / waive / open) and the numbered document it issues (R-DOC-1). Notices, for
// the department's measures:
//   {"measures", ns::kOpen, ns::kAnswered, W::kToStaff, G::kNone,
//    {.meet = {"notice.measures"}, .document = DocKind::kNoticeReply}},
using CoordTransition = workflow::Transition<int, std::string_view, CoordWho, CoordGuard>;

// THE transition table of each workflow, creating rows first; any (action, state) pair not in it
// is illegal.
std::span<const CoordTransition> NoticeTransitions();
std::span<const CoordTransition> MeetingTransitions();
std::span<const CoordTransition> ParticipationTransitions();
std::span<const CoordTransition> ViolationTransitions();
std::span<const CoordTransition> CoordTransitions(CoordType t);
// How the decider names a type's actions, states and actors.
const workflow::Wording<CoordTransition>& CoordWording(CoordType t);

// The steps of a type (distinct actions of rows not leaving kCoordNew, in table order), their
// labels and rules; the audit action ("<type>.<audit>": "-" becomes "_", and "create.phoned" is
// recorded as "create").
std::vector<std::string_view> CoordActions(CoordType t);
std::string_view CoordActionLabelZh(CoordType t, std::string_view action);  // "" when unknown
std::string_view CoordActionRule(CoordType t, std::string_view action);
std::string CoordAuditAction(CoordType t, std::string_view action);

// The creating row of a type ("create", or for a participation request announced by phone
// first "create.phoned").
const CoordTransition& CoordCreateRow(CoordType t, bool phoned = false);

const CoordTransition* FindCoordTransition(CoordType t, std::string_view action, int from);

// The kind of the item's primary document: its number is the item's `number` (none for
// notices, whose `number` stays null; the minutes for meetings).
std::optional<DocKind> CoordNumberedKind(CoordType t);

// Decides a step for `actor` (workflow::Decide over the type's table):
//  - permission_denied (the action's rule) when the actor may not take it from this state (or
//    from any state);
//  - failed_precondition "illegal_transition" naming the current state, field "state";
//  - invalid_argument "action" for an action the type does not have (or a creating row's).
// The guard and effects of the returned row are the service runner's to apply.
core::Result<const CoordTransition*> DecideCoordTransition(CoordType t, std::string_view action,
                                                           int from, const CoordActor& actor);

// ---- The entity -------------------------------------------------------------------------

struct CoordItem {
  Id id = 0;
  CoordType type = CoordType::kNotice;
  int state = 1;
  std::optional<std::string> number;  // 文号 of the formal document, when issued
  Id from_org_id = 0;                 // notifier / convener / requesting department
  std::optional<Id> to_org_id;        // addressee (none for meetings)
  std::vector<Id> org_ids;            // every org involved (R-ACC-1), ascending, unique
  std::string kind;                   // sub-kind ("hazard", "special_inspection", "safety" …)
  std::string title;
  std::optional<Id> referral_id;
  std::string data;  // the type's own fields: a canonical JSON object
  Id created_by = 0;
  core::Instant created_at{};
  core::Instant updated_at{};
  bool operator==(const CoordItem&) const = default;
};

// One entry of an item's thread (both sides see it).
struct CoordMessage {
  Id id = 0;
  Id item_id = 0;
  core::Instant at{};
  Id user_id = 0;
  Id org_id = 0;
  std::string text;
  bool operator==(const CoordMessage&) const = default;
};

// Sub-kinds (the `kind` field) per type, with labels; empty for meetings.
struct CoordKindRow {
  std::string_view name;
  std::string_view label_zh;
};
std::span<const CoordKindRow> CoordKinds(CoordType t);
std::string_view CoordKindLabelZh(CoordType t, std::string_view kind);  // "" when unknown

}  // namespace xietong::domain
