#include "domain/coord_items.h"

#include <algorithm>

namespace xietong::domain {

namespace {

using core::Status;

struct TypeRow {
  CoordType type;
  std::string_view name;
  std::string_view label;
  std::string_view rule;
  std::string_view path;
};
constexpr TypeRow kTypes[] = {
    {CoordType::kNotice, "notice", "隐患通报", "R-COL-5", "notices"},
    {CoordType::kMeeting, "meeting", "专题会议", "R-COL-6", "meetings"},
    {CoordType::kParticipation, "participation", "参与告知", "R-COL-7", "participation-requests"},
    {CoordType::kViolation, "violation_notice", "违法行为通知", "R-COL-8", "violation-notices"},
    {CoordType::kDispute, "dispute", "职责分工争议", "R-DIS-2", "disputes"},
    {CoordType::kCriminalTransfer, "criminal_transfer", "涉嫌犯罪案件移送", "R-CRI-1",
     "criminal-transfers"},
    {CoordType::kComplaint, "complaint", "投诉举报", "R-SYS-3", "complaints"},
    {CoordType::kCourtEnforcement, "court_enforcement", "申请强制执行", "R-CRI-3",
     "court-enforcements"},
    {CoordType::kPoliceSupport, "police_support", "提请公安协助", "R-CRI-4",
     "police-support-requests"},
    {CoordType::kGuidanceRequest, "guidance_request", "业务指导", "R-GUI-1", "guidance-requests"},
    {CoordType::kTraining, "training", "业务培训", "R-GUI-2", "trainings"},
    {CoordType::kTechSupport, "tech_support", "技术支持", "R-GUI-3", "tech-support-requests"},
    {CoordType::kAnnualPlan, "annual_plan", "年度执法计划", "R-PLN-1", "plans"},
    {CoordType::kPlanTask, "plan_task", "重点任务", "R-PLN-1", "plan-tasks"},
    {CoordType::kUrging, "urging", "督办", "R-PLN-2", "urgings"},
    {CoordType::kCircular, "circular", "通报批评", "R-ASM-2", "circulars"},
    {CoordType::kAccountability, "accountability", "问责记录", "R-ASM-2", "accountability-records"},
    {CoordType::kConsultation, "consultation", "联席会议", "R-SYS-1", "consultations"},
    {CoordType::kJointMechanism, "joint_mechanism", "联合执法机制", "R-SYS-4", "joint-mechanisms"},
    {CoordType::kJointAction, "joint_action", "联合执法行动", "R-SYS-5", "joint-actions"},
    {CoordType::kMaterial, "material", "资料发布", "R-INF-1", "materials"},
    {CoordType::kPenaltyFiling, "penalty_filing", "处罚备案", "R-INF-3", "penalty-filings"},
    {CoordType::kPublicNotice, "public_notice", "公开发布", "R-ASM-3", "public-notices"},
};
constexpr const TypeRow& TypeOf(CoordType t) {
  for (const auto& r : kTypes)
    if (r.type == t) return r;
  return kTypes[0];
}
// The cases of the item types whose tables live in their own modules.
#define XT_OTHER_ITEM_TYPES      \
  case CoordType::kDispute:          \
  case CoordType::kCriminalTransfer: \
  case CoordType::kComplaint:        \
  case CoordType::kCourtEnforcement: \
  case CoordType::kPoliceSupport:    \
  case CoordType::kGuidanceRequest:  \
  case CoordType::kTraining:         \
  case CoordType::kTechSupport:      \
  case CoordType::kAnnualPlan:       \
  case CoordType::kPlanTask:         \
  case CoordType::kUrging:           \
  case CoordType::kCircular:         \
  case CoordType::kAccountability:   \
  case CoordType::kMaterial:         \
  case CoordType::kPenaltyFiling:    \
  case CoordType::kPublicNotice

struct StateRow {
  int value;
  std::string_view name;
  std::string_view label;
};
constexpr StateRow kNoticeStates[] = {{notice_state::kOpen, "open", "待研究处置"},
                                      {notice_state::kAnswered, "answered", "已反馈措施"},
                                      {notice_state::kClosed, "closed", "已办结"},
                                      {notice_state::kWithdrawn, "withdrawn", "已撤回"}};
constexpr StateRow kMeetingStates[] = {{meeting_state::kScheduled, "scheduled", "已通知"},
                                       {meeting_state::kHeld, "held", "已召开"},
                                       {meeting_state::kClosed, "closed", "已办结"},
                                       {meeting_state::kCancelled, "cancelled", "已取消"}};
constexpr StateRow kParticipationStates[] = {
    {participation_state::kPhoned, "phoned", "已电话告知"},
    {participation_state::kNotified, "notified", "已书面告知"},
    {participation_state::kConfirmed, "confirmed", "已确认派员"},
    {participation_state::kDone, "done", "已完成"},
    {participation_state::kCancelled, "cancelled", "已取消"}};
constexpr StateRow kViolationStates[] = {{violation_state::kNotified, "notified", "已通知"},
                                         {violation_state::kDispatched, "dispatched", "已派员"},
                                         {violation_state::kHandled, "handled", "已处理"},
                                         {violation_state::kRefused, "refused", "拒绝处理"},
                                         {violation_state::kCoordination, "coordination", "协调中"},
                                         {violation_state::kClosed, "closed", "已办结"},
                                         {violation_state::kWithdrawn, "withdrawn", "已撤回"}};
constexpr StateRow kMechanismStates[] = {{mechanism_state::kActive, "active", "运行中"},
                                         {mechanism_state::kDissolved, "dissolved", "已撤销"}};
constexpr StateRow kJointActionStates[] = {{joint_action_state::kPlanned, "planned", "已部署"},
                                           {joint_action_state::kDone, "done", "已完成"},
                                           {joint_action_state::kCancelled, "cancelled", "已取消"}};
constexpr int kMechanismStateValues[] = {1, 2};
constexpr int kJointActionStateValues[] = {1, 2, 3};
constexpr int kNoticeStateValues[] = {1, 2, 3, 4};
constexpr int kMeetingStateValues[] = {1, 2, 3, 4};
constexpr int kParticipationStateValues[] = {1, 2, 3, 4, 5};
constexpr int kViolationStateValues[] = {1, 2, 3, 4, 5, 6, 7};

std::span<const StateRow> StatesOf(CoordType t) {
  switch (t) {
    case CoordType::kNotice: return kNoticeStates;
    case CoordType::kMeeting:
    case CoordType::kConsultation: return kMeetingStates;
    case CoordType::kParticipation: return kParticipationStates;
    case CoordType::kViolation: return kViolationStates;
    case CoordType::kJointMechanism: return kMechanismStates;
    case CoordType::kJointAction: return kJointActionStates;
    XT_OTHER_ITEM_TYPES: break;
  }
  return kNoticeStates;
}

using W = CoordWho;
using G = CoordGuard;
namespace ns = notice_state;
namespace ms = meeting_state;
namespace ps = participation_state;
namespace vs = violation_state;

using D = DocKind;
using Fx = workflow::Effects;
constexpr std::string_view kAll = workflow::kAllDuties;
constexpr int kNew = kCoordNew;

// ---- THE tables ----
constexpr CoordTransition kNotice[] = {
    {"create", kNew, ns::kOpen, W::kFromStaff, G::kNone,
     {.open = {"notice.measures"}, .document = D::kHazardNotice}},
    {"measures", ns::kOpen, ns::kAnswered, W::kToStaff, G::kNone,
     {.meet = {"notice.measures"}, .document = D::kNoticeReply}},
    {"close", ns::kAnswered, ns::kClosed, W::kFromStaff, G::kNone},
    {"withdraw", ns::kOpen, ns::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"message", ns::kOpen, ns::kOpen, W::kInvolvedStaff, G::kNone},
    {"message", ns::kAnswered, ns::kAnswered, W::kInvolvedStaff, G::kNone},
    {"message", ns::kClosed, ns::kClosed, W::kInvolvedStaff, G::kNone},
};
constexpr CoordTransition kMeeting[] = {
    {"create", kNew, ms::kScheduled, W::kFromStaff, G::kNone, {.document = D::kMeetingInvitation}},
    {"reply", ms::kScheduled, ms::kScheduled, W::kInviteeStaff, G::kNone},
    {"minutes", ms::kScheduled, ms::kHeld, W::kFromStaff, G::kMeetingStarted,
     {.open = {"meeting.decision"}, .document = D::kMeetingMinutes}},
    {"decision-done", ms::kHeld, ms::kHeld, W::kOwnerStaff, G::kNone,
     {.meet_one = {"meeting.decision"}}},
    {"joint-action", ms::kHeld, ms::kHeld, W::kConvenerOrOwner, G::kNone,
     {.document = D::kJointActionRecord}},
    {"close", ms::kHeld, ms::kClosed, W::kFromStaff, G::kNoOpenDecisions},
    {"cancel", ms::kScheduled, ms::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"message", ms::kScheduled, ms::kScheduled, W::kInvolvedStaff, G::kNone},
    {"message", ms::kHeld, ms::kHeld, W::kInvolvedStaff, G::kNone},
    {"message", ms::kClosed, ms::kClosed, W::kInvolvedStaff, G::kNone},
};
constexpr Fx kWrittenNotice{.meet = {"participation.written_notice"},
                            .document = D::kParticipationNotice};
constexpr CoordTransition kParticipation[] = {
    {"create", kNew, ps::kNotified, W::kFromStaff, G::kNone,
     {.document = D::kParticipationNotice}},
    // By phone first: the written notice follows within its duty (事后补办).
    {"create.phoned", kNew, ps::kPhoned, W::kFromStaff, G::kNone,
     {.open = {"participation.written_notice"}}},
    {"written-notice", ps::kPhoned, ps::kNotified, W::kFromStaff, G::kNone, kWrittenNotice},
    // Already issued (written from the start, or completed afterwards): the guard refuses with
    // 409 written_notice_exists rather than a bare illegal_transition.
    {"written-notice", ps::kNotified, ps::kNotified, W::kFromStaff, G::kWrittenNoticeMissing,
     kWrittenNotice},
    {"written-notice", ps::kConfirmed, ps::kConfirmed, W::kFromStaff, G::kWrittenNoticeMissing,
     kWrittenNotice},
    {"confirm", ps::kPhoned, ps::kConfirmed, W::kToStaff, G::kNone},
    {"confirm", ps::kNotified, ps::kConfirmed, W::kToStaff, G::kNone},
    {"complete", ps::kConfirmed, ps::kDone, W::kFromStaff, G::kWrittenNoticeIssued},
    {"cancel", ps::kPhoned, ps::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"cancel", ps::kNotified, ps::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"cancel", ps::kConfirmed, ps::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"message", ps::kPhoned, ps::kPhoned, W::kInvolvedStaff, G::kNone},
    {"message", ps::kNotified, ps::kNotified, W::kInvolvedStaff, G::kNone},
    {"message", ps::kConfirmed, ps::kConfirmed, W::kInvolvedStaff, G::kNone},
    {"message", ps::kDone, ps::kDone, W::kInvolvedStaff, G::kNone},
};
// The coordinator's binding decision (R-COL-8): every pending duty is moot; a department is
// (again) to dispatch at once, unless the township handles it.
constexpr Fx kDecision{.waive = {kAll}, .open = {"violation.dispatch"},
                       .document = D::kCoordinationDecision};
constexpr CoordTransition kViolation[] = {
    {"create", kNew, vs::kNotified, W::kFromStaff, G::kNone,
     {.open = {"violation.dispatch"}, .document = D::kViolationNotice}},
    {"dispatch", vs::kNotified, vs::kDispatched, W::kToStaff, G::kNone,
     {.meet = {"violation.dispatch"}}},
    {"handle", vs::kDispatched, vs::kHandled, W::kToStaff, G::kNone},
    {"refuse", vs::kNotified, vs::kRefused, W::kToLeader, G::kNone,
     {.meet = {"violation.dispatch"}}},
    {"withdraw", vs::kNotified, vs::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"coordination", vs::kRefused, vs::kCoordination, W::kFromStaff, G::kNone},
    {"coordination", vs::kNotified, vs::kCoordination, W::kFromStaff, G::kDispatchDutyRed},
    {"coordination.department_handles", vs::kCoordination, vs::kNotified, W::kCoordinator,
     G::kNone, kDecision},
    {"coordination.township_handles", vs::kCoordination, vs::kClosed, W::kCoordinator, G::kNone,
     {.waive = {kAll}, .document = D::kCoordinationDecision}},
    {"coordination.reassign", vs::kCoordination, vs::kNotified, W::kCoordinator, G::kNone,
     kDecision},
    {"message", vs::kNotified, vs::kNotified, W::kInvolvedStaff, G::kNone},
    {"message", vs::kDispatched, vs::kDispatched, W::kInvolvedStaff, G::kNone},
    {"message", vs::kHandled, vs::kHandled, W::kInvolvedStaff, G::kNone},
    {"message", vs::kRefused, vs::kRefused, W::kInvolvedStaff, G::kNone},
    {"message", vs::kCoordination, vs::kCoordination, W::kInvolvedStaff, G::kNone},
    {"message", vs::kClosed, vs::kClosed, W::kInvolvedStaff, G::kNone},
};

// R-SYS-1: a consultation (联席会议) runs the meeting's steps; its minutes are numbered 席 and
// each decision is a duty consultation.decision, met when its owner reports it done.
constexpr CoordTransition kConsultation[] = {
    {"create", kNew, ms::kScheduled, W::kFromStaff, G::kNone, {.document = D::kMeetingInvitation}},
    {"reply", ms::kScheduled, ms::kScheduled, W::kInviteeStaff, G::kNone},
    {"minutes", ms::kScheduled, ms::kHeld, W::kFromStaff, G::kMeetingStarted,
     {.open = {"consultation.decision"}, .document = D::kConsultationMinutes}},
    {"decision-done", ms::kHeld, ms::kHeld, W::kOwnerStaff, G::kNone,
     {.meet_one = {"consultation.decision"}}},
    {"close", ms::kHeld, ms::kClosed, W::kFromStaff, G::kNoOpenDecisions},
    {"cancel", ms::kScheduled, ms::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"message", ms::kScheduled, ms::kScheduled, W::kInvolvedStaff, G::kNone},
    {"message", ms::kHeld, ms::kHeld, W::kInvolvedStaff, G::kNone},
    {"message", ms::kClosed, ms::kClosed, W::kInvolvedStaff, G::kNone},
};
namespace mst = mechanism_state;
// R-SYS-4: a standing mechanism (its establishment numbered 制), maintained by the coordinator
// or the lead org (the item's addressee).
constexpr CoordTransition kJointMechanism[] = {
    {"create", kNew, mst::kActive, W::kFromStaff, G::kNone,
     {.document = D::kMechanismEstablishment}},
    {"update", mst::kActive, mst::kActive, W::kCoordinatorOrToStaff, G::kNone},
    {"briefing", mst::kActive, mst::kActive, W::kCoordinatorOrToStaff, G::kNone},
    {"dissolve", mst::kActive, mst::kDissolved, W::kCoordinatorOrToStaff, G::kNone},
    {"message", mst::kActive, mst::kActive, W::kInvolvedStaff, G::kNone},
};
namespace jas = joint_action_state;
// R-SYS-5: a joint enforcement action on its own; its result is recorded (numbered 联).
constexpr CoordTransition kJointAction[] = {
    {"create", kNew, jas::kPlanned, W::kFromStaff, G::kNone},
    {"result", jas::kPlanned, jas::kDone, W::kFromStaff, G::kNone,
     {.document = D::kJointActionRecord}},
    {"cancel", jas::kPlanned, jas::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"message", jas::kPlanned, jas::kPlanned, W::kInvolvedStaff, G::kNone},
    {"message", jas::kDone, jas::kDone, W::kInvolvedStaff, G::kNone},
};

struct ActionRow {
  CoordType type;
  std::string_view action;
  std::string_view label;
  std::string_view rule;
};
constexpr ActionRow kActions[] = {
    {CoordType::kNotice, "create", "通报", "R-COL-5"},
    {CoordType::kMeeting, "create", "召集专题会议", "R-COL-6"},
    {CoordType::kParticipation, "create", "书面告知", "R-COL-7"},
    {CoordType::kParticipation, "create.phoned", "电话告知", "R-COL-7"},
    {CoordType::kViolation, "create", "通知违法行为", "R-COL-8"},
    {CoordType::kNotice, "measures", "反馈研究处置措施", "R-COL-5"},
    {CoordType::kNotice, "close", "办结通报", "R-COL-5"},
    {CoordType::kNotice, "withdraw", "撤回通报", "R-COL-5"},
    {CoordType::kNotice, "message", "留言", "R-COL-5"},
    {CoordType::kMeeting, "reply", "答复参会", "R-COL-6"},
    {CoordType::kMeeting, "minutes", "记录会议纪要", "R-COL-6"},
    {CoordType::kMeeting, "decision-done", "完成决定事项", "R-COL-6"},
    {CoordType::kMeeting, "joint-action", "记录联合执法行动", "R-SYS-5"},
    {CoordType::kMeeting, "close", "办结会议", "R-COL-6"},
    {CoordType::kMeeting, "cancel", "取消会议", "R-COL-6"},
    {CoordType::kMeeting, "message", "留言", "R-COL-6"},
    {CoordType::kParticipation, "written-notice", "补办书面告知", "R-COL-7"},
    {CoordType::kParticipation, "confirm", "确认派员参加", "R-COL-7"},
    {CoordType::kParticipation, "complete", "完成", "R-COL-7"},
    {CoordType::kParticipation, "cancel", "取消", "R-COL-7"},
    {CoordType::kParticipation, "message", "留言", "R-COL-7"},
    {CoordType::kViolation, "dispatch", "派员处理", "R-COL-8"},
    {CoordType::kViolation, "handle", "反馈处理结果", "R-COL-8"},
    {CoordType::kViolation, "refuse", "拒绝处理", "R-COL-8"},
    {CoordType::kViolation, "withdraw", "撤回通知", "R-COL-8"},
    {CoordType::kViolation, "coordination", "申请协调", "R-COL-8"},
    {CoordType::kViolation, "coordination.department_handles", "协调决定：由被通知部门处理",
     "R-COL-8"},
    {CoordType::kViolation, "coordination.township_handles", "协调决定：由乡镇处理", "R-COL-8"},
    {CoordType::kViolation, "coordination.reassign", "协调决定：改由其他部门处理", "R-COL-8"},
    {CoordType::kViolation, "message", "留言", "R-COL-8"},
    {CoordType::kConsultation, "create", "召集联席会议", "R-SYS-1"},
    {CoordType::kConsultation, "reply", "答复参会", "R-SYS-1"},
    {CoordType::kConsultation, "minutes", "印发联席会议纪要", "R-SYS-1"},
    {CoordType::kConsultation, "decision-done", "落实议定事项", "R-SYS-1"},
    {CoordType::kConsultation, "close", "办结联席会议", "R-SYS-1"},
    {CoordType::kConsultation, "cancel", "取消联席会议", "R-SYS-1"},
    {CoordType::kConsultation, "message", "留言", "R-SYS-1"},
    {CoordType::kJointMechanism, "create", "建立联合执法机制", "R-SYS-4"},
    {CoordType::kJointMechanism, "update", "修改机制信息", "R-SYS-4"},
    {CoordType::kJointMechanism, "briefing", "添加工作通报", "R-SYS-4"},
    {CoordType::kJointMechanism, "dissolve", "撤销机制", "R-SYS-4"},
    {CoordType::kJointMechanism, "message", "留言", "R-SYS-4"},
    {CoordType::kJointAction, "create", "部署联合执法行动", "R-SYS-5"},
    {CoordType::kJointAction, "result", "记录行动结果", "R-SYS-5"},
    {CoordType::kJointAction, "cancel", "取消行动", "R-SYS-5"},
    {CoordType::kJointAction, "message", "留言", "R-SYS-5"},
};
const ActionRow* ActionOf(CoordType t, std::string_view a) {
  for (const auto& r : kActions)
    if (r.type == t && r.action == a) return &r;
  return nullptr;
}

constexpr CoordKindRow kNoticeKinds[] = {{"hazard", "重大安全隐患"},
                                         {"frequent_violation", "违法行为多发领域"}};
constexpr CoordKindRow kParticipationKinds[] = {{"special_inspection", "专项监督检查"},
                                                {"planning_approval", "规划审批"},
                                                {"administrative_confirmation", "行政确认"}};
constexpr CoordKindRow kViolationKinds[] = {{"public_order", "重大治安"}, {"safety", "安全隐患"}};
constexpr CoordKindRow kConsultationKinds[] = {{"regular", "例会"}, {"ad_hoc", "临时会议"}};
// The fields of law enforcement a standing mechanism serves (R-SYS-4).
constexpr CoordKindRow kMechanismKinds[] = {{"food_safety", "食品安全"},
                                            {"ecology", "生态环境"},
                                            {"work_safety", "安全生产"},
                                            {"natural_resources", "自然资源"},
                                            {"market_order", "市场秩序"},
                                            {"other", "其他领域"}};

}  // namespace

std::string_view CoordTypeName(CoordType t) { return TypeOf(t).name; }
std::string_view CoordTypeLabelZh(CoordType t) { return TypeOf(t).label; }
std::string_view CoordTypeRule(CoordType t) { return TypeOf(t).rule; }
std::string_view CoordTypePath(CoordType t) { return TypeOf(t).path; }
bool IsCollaborationType(CoordType t) {
  for (CoordType c : kAllCoordTypes)
    if (c == t) return true;
  return false;
}
bool IsMechanismType(CoordType t) {
  for (CoordType c : kMechanismTypes)
    if (c == t) return true;
  return false;
}
std::optional<CoordType> ParseCoordType(std::string_view s) {
  for (const auto& r : kTypes)
    if (r.name == s && IsCollaborationType(r.type)) return r.type;
  return std::nullopt;
}

std::span<const int> CoordStates(CoordType t) {
  switch (t) {
    case CoordType::kNotice: return kNoticeStateValues;
    case CoordType::kMeeting:
    case CoordType::kConsultation: return kMeetingStateValues;
    case CoordType::kParticipation: return kParticipationStateValues;
    case CoordType::kViolation: return kViolationStateValues;
    case CoordType::kJointMechanism: return kMechanismStateValues;
    case CoordType::kJointAction: return kJointActionStateValues;
    XT_OTHER_ITEM_TYPES: break;
  }
  return {};
}
std::string_view CoordStateName(CoordType t, int state) {
  for (const auto& r : StatesOf(t))
    if (r.value == state) return r.name;
  return "unknown";
}
std::string_view CoordStateLabelZh(CoordType t, int state) {
  for (const auto& r : StatesOf(t))
    if (r.value == state) return r.label;
  return "未知";
}
std::optional<int> ParseCoordState(CoordType t, std::string_view name) {
  for (const auto& r : StatesOf(t))
    if (r.name == name) return r.value;
  return std::nullopt;
}

std::string_view CoordWhoLabelZh(CoordWho w) {
  switch (w) {
    case W::kFromStaff: return "发起单位工作人员";
    case W::kToStaff: return "被通知单位工作人员";
    case W::kToLeader: return "被通知单位领导";
    case W::kInviteeStaff: return "受邀单位工作人员";
    case W::kOwnerStaff: return "决定事项责任单位工作人员";
    case W::kConvenerOrOwner: return "召集单位或决定事项责任单位工作人员";
    case W::kInvolvedStaff: return "相关单位工作人员";
    case W::kCoordinator: return "县委依法治县办";
    case W::kCoordinatorOrToStaff: return "县委依法治县办或牵头单位工作人员";
  }
  return "";
}

bool CoordActor::Is(CoordWho w) const {
  switch (w) {
    case W::kFromStaff: return from_staff;
    case W::kToStaff: return to_staff;
    case W::kToLeader: return to_leader;
    case W::kInviteeStaff: return invitee_staff;
    case W::kOwnerStaff: return owner_staff;
    case W::kConvenerOrOwner: return from_staff || owner_staff;
    case W::kInvolvedStaff: return involved_staff || coordinator;
    case W::kCoordinator: return coordinator;
    case W::kCoordinatorOrToStaff: return coordinator || to_staff;
  }
  return false;
}

std::span<const CoordTransition> NoticeTransitions() { return kNotice; }
std::span<const CoordTransition> MeetingTransitions() { return kMeeting; }
std::span<const CoordTransition> ParticipationTransitions() { return kParticipation; }
std::span<const CoordTransition> ViolationTransitions() { return kViolation; }
std::span<const CoordTransition> CoordTransitions(CoordType t) {
  switch (t) {
    case CoordType::kNotice: return kNotice;
    case CoordType::kMeeting: return kMeeting;
    case CoordType::kParticipation: return kParticipation;
    case CoordType::kViolation: return kViolation;
    case CoordType::kConsultation: return kConsultation;
    case CoordType::kJointMechanism: return kJointMechanism;
    case CoordType::kJointAction: return kJointAction;
    XT_OTHER_ITEM_TYPES: break;
  }
  return {};
}

std::vector<std::string_view> CoordActions(CoordType t) {
  std::vector<std::string_view> out;
  for (const auto& r : CoordTransitions(t))
    if (r.from != kNew && std::find(out.begin(), out.end(), r.action) == out.end())
      out.push_back(r.action);
  return out;
}
std::string_view CoordActionLabelZh(CoordType t, std::string_view action) {
  const ActionRow* r = ActionOf(t, action);
  return r ? r->label : "";
}
std::string_view CoordActionRule(CoordType t, std::string_view action) {
  const ActionRow* r = ActionOf(t, action);
  return r ? r->rule : CoordTypeRule(t);
}
std::string CoordAuditAction(CoordType t, std::string_view action) {
  std::string a(action.starts_with("create") ? "create" : action);
  std::replace(a.begin(), a.end(), '-', '_');
  return std::string(CoordTypeName(t)) + "." + a;
}

const CoordTransition& CoordCreateRow(CoordType t, bool phoned) {
  const std::string_view action = phoned && t == CoordType::kParticipation ? "create.phoned" : "create";
  return *FindCoordTransition(t, action, kNew);
}

std::optional<DocKind> CoordNumberedKind(CoordType t) {
  switch (t) {
    case CoordType::kNotice: return std::nullopt;
    case CoordType::kMeeting: return DocKind::kMeetingMinutes;
    case CoordType::kParticipation: return DocKind::kParticipationNotice;
    case CoordType::kViolation: return DocKind::kViolationNotice;
    case CoordType::kConsultation: return DocKind::kConsultationMinutes;
    case CoordType::kJointMechanism: return DocKind::kMechanismEstablishment;
    case CoordType::kJointAction: return DocKind::kJointActionRecord;
    XT_OTHER_ITEM_TYPES: break;
  }
  return std::nullopt;
}

const CoordTransition* FindCoordTransition(CoordType t, std::string_view action, int from) {
  return workflow::Find<CoordTransition>(CoordTransitions(t), action, from);
}

namespace {
// The decider's wording, one instance per type (its function pointers know no type).
template <CoordType T>
std::string_view ActionZh(std::string_view a) { return CoordActionLabelZh(T, a); }
template <CoordType T>
std::string_view ActionRule(std::string_view a) { return CoordActionRule(T, a); }
std::string_view ActionEn(std::string_view a) { return a; }
template <CoordType T>
std::string_view StateZh(int s) { return CoordStateLabelZh(T, s); }
template <CoordType T>
std::string_view StateEn(int s) { return CoordStateName(T, s); }
template <CoordType T>
constexpr workflow::Wording<CoordTransition> kWording{
    .action_zh = ActionZh<T>,
    .action_en = ActionEn,
    .rule = ActionRule<T>,
    .state_zh = StateZh<T>,
    .state_en = StateEn<T>,
    .who_zh = CoordWhoLabelZh,
    .noun_en = TypeOf(T).name,
};
}  // namespace

const workflow::Wording<CoordTransition>& CoordWording(CoordType t) {
  switch (t) {
    case CoordType::kNotice: return kWording<CoordType::kNotice>;
    case CoordType::kMeeting: return kWording<CoordType::kMeeting>;
    case CoordType::kParticipation: return kWording<CoordType::kParticipation>;
    case CoordType::kViolation: return kWording<CoordType::kViolation>;
    case CoordType::kConsultation: return kWording<CoordType::kConsultation>;
    case CoordType::kJointMechanism: return kWording<CoordType::kJointMechanism>;
    case CoordType::kJointAction: return kWording<CoordType::kJointAction>;
    XT_OTHER_ITEM_TYPES: break;
  }
  return kWording<CoordType::kNotice>;
}

core::Result<const CoordTransition*> DecideCoordTransition(CoordType t, std::string_view action,
                                                           int from, const CoordActor& actor) {
  if (!ActionOf(t, action) || action.starts_with("create")) {
    return Status::Invalid("action", "未知操作：" + std::string(action), std::string(CoordTypeRule(t)))
        .En("Unknown action: " + std::string(action));
  }
  return workflow::Decide<CoordTransition>(CoordTransitions(t), CoordWording(t), action, from,
                                           actor);
}

std::span<const CoordKindRow> CoordKinds(CoordType t) {
  switch (t) {
    case CoordType::kNotice: return kNoticeKinds;
    case CoordType::kParticipation: return kParticipationKinds;
    case CoordType::kViolation: return kViolationKinds;
    case CoordType::kMeeting: return {};
    case CoordType::kConsultation: return kConsultationKinds;
    case CoordType::kJointMechanism: return kMechanismKinds;
    case CoordType::kJointAction: return {};
    XT_OTHER_ITEM_TYPES: break;
  }
  return {};
}
std::string_view CoordKindLabelZh(CoordType t, std::string_view kind) {
  for (const auto& r : CoordKinds(t))
    if (r.name == kind) return r.label_zh;
  return "";
}

}  // namespace xietong::domain
