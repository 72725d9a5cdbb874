#include "domain/collaboration.h"

#include "domain/referral.h"  // Utf8Length, IsBlank

namespace xietong::domain {

namespace {

using core::Status;
using S = CollabState;
using A = CollabAction;
using W = CollabWho;

constexpr workflow::Named<CollabKind> kKinds[] = {
    {CollabKind::kDetermination, "determination", "认定"},
    {CollabKind::kTechnicalAppraisal, "technical_appraisal", "技术鉴定"},
    {CollabKind::kAdvisoryOpinion, "advisory_opinion", "咨询意见"},
};

constexpr workflow::Named<S> kStates[] = {
    {S::kDraft, "draft", "草稿"},
    {S::kSubmitted, "submitted", "待审批"},
    {S::kSent, "sent", "已发送"},
    {S::kReceived, "received", "已接收"},
    {S::kAnswerPending, "answer_pending", "答复待签发"},
    {S::kAnswered, "answered", "已答复"},
    {S::kClosed, "closed", "已办结"},
    {S::kWithdrawn, "withdrawn", "已撤回"},
};

struct ActionRow {
  A action;
  std::string_view name;   // API path segment
  std::string_view audit;  // audit action
  std::string_view zh;
  std::string_view rule;
};
constexpr ActionRow kActions[] = {
    {A::kUpdate, "update", "collaboration.update", "修改", "R-COL-1"},
    {A::kSubmit, "submit", "collaboration.submit", "提交审批", "R-COL-1"},
    {A::kApprove, "approve", "collaboration.approve", "批准发送", "R-COL-1"},
    {A::kReturn, "return", "collaboration.return", "退回", "R-COL-1"},
    {A::kReceive, "receive", "collaboration.receive", "接收", "R-COL-2"},
    {A::kExtend, "extend", "collaboration.extend", "延长反馈期限", "R-COL-4"},
    {A::kAnswer, "answer", "collaboration.answer", "起草反馈意见", "R-COL-2"},
    {A::kApproveAnswer, "approve-answer", "collaboration.approve_answer", "签发反馈意见",
     "R-COL-2"},
    {A::kRejectAnswer, "reject-answer", "collaboration.reject_answer", "退回反馈意见",
     "R-COL-2"},
    {A::kFollowUp, "follow-up", "collaboration.follow_up", "追问", "R-COL-1"},
    {A::kDispatch, "dispatch", "collaboration.dispatch", "派员", "R-COL-3"},
    {A::kArrived, "arrived", "collaboration.arrived", "到达现场", "R-COL-3"},
    {A::kWithdraw, "withdraw", "collaboration.withdraw", "撤回", "R-COL-1"},
    {A::kClose, "close", "collaboration.close", "办结", "R-COL-1"},
};

using G = CollabGuard;
using Fx = workflow::Effects;
constexpr std::string_view kAnswerDuty = kDutyCollabAnswer;
constexpr std::string_view kDispatchDuty = kDutyCollabDispatch;

// THE table (see collaboration.h and domain/workflow.h). Sorted by action, then from-state.
// Effects: the duties each step meets, waives or may open, and the numbered document it issues.
constexpr CollabTransition kTransitions[] = {
    {A::kUpdate, S::kDraft, S::kDraft, W::kSenderStaff},
    {A::kSubmit, S::kDraft, S::kSubmitted, W::kSenderStaff},
    // R-COL-1 numbered letter; round 1's R-COL-2 answer duty, R-COL-3's dispatch when urgent.
    {A::kApprove, S::kSubmitted, S::kSent, W::kSenderLeader, G::kNone,
     Fx{.open = {kAnswerDuty, kDispatchDuty}, .document = DocKind::kCollaborationLetter}},
    {A::kReturn, S::kSubmitted, S::kDraft, W::kSenderLeader},
    {A::kReceive, S::kSent, S::kReceived, W::kReceiverStaff},
    // R-COL-4: the answer duty's due moves (its history kept); nothing is met.
    {A::kExtend, S::kSent, S::kSent, W::kReceiverLeader},
    {A::kExtend, S::kReceived, S::kReceived, W::kReceiverLeader},
    {A::kExtend, S::kAnswerPending, S::kAnswerPending, W::kReceiverLeader},
    {A::kAnswer, S::kSent, S::kAnswerPending, W::kReceiverStaff},
    {A::kAnswer, S::kReceived, S::kAnswerPending, W::kReceiverStaff},
    {A::kAnswer, S::kAnswerPending, S::kAnswerPending, W::kReceiverStaff},
    // R-COL-2: the signed answer is the written feedback; the round's duty is met.
    {A::kApproveAnswer, S::kAnswerPending, S::kAnswered, W::kReceiverLeader, G::kNone,
     Fx{.meet = {kAnswerDuty}, .document = DocKind::kCollaborationAnswer}},
    {A::kRejectAnswer, S::kAnswerPending, S::kReceived, W::kReceiverLeader},
    {A::kFollowUp, S::kAnswered, S::kReceived, W::kSenderStaff, G::kNone,
     Fx{.open = {kAnswerDuty}}},
    {A::kDispatch, S::kSent, S::kSent, W::kReceiverStaff},
    {A::kDispatch, S::kReceived, S::kReceived, W::kReceiverStaff},
    {A::kDispatch, S::kAnswerPending, S::kAnswerPending, W::kReceiverStaff},
    {A::kDispatch, S::kAnswered, S::kAnswered, W::kReceiverStaff},
    // R-COL-3: on site is what the dispatch duty asks for (met at the arrival instant).
    {A::kArrived, S::kSent, S::kSent, W::kReceiverStaff, G::kNone, Fx{.meet = {kDispatchDuty}}},
    {A::kArrived, S::kReceived, S::kReceived, W::kReceiverStaff, G::kNone,
     Fx{.meet = {kDispatchDuty}}},
    {A::kArrived, S::kAnswerPending, S::kAnswerPending, W::kReceiverStaff, G::kNone,
     Fx{.meet = {kDispatchDuty}}},
    {A::kArrived, S::kAnswered, S::kAnswered, W::kReceiverStaff, G::kNone,
     Fx{.meet = {kDispatchDuty}}},
    {A::kWithdraw, S::kDraft, S::kWithdrawn, W::kSenderStaff, G::kNone,
     Fx{.waive = {workflow::kAllDuties}}},
    {A::kWithdraw, S::kSubmitted, S::kWithdrawn, W::kSenderStaff, G::kNone,
     Fx{.waive = {workflow::kAllDuties}}},
    {A::kWithdraw, S::kSent, S::kWithdrawn, W::kSenderStaff, G::kNone,
     Fx{.waive = {workflow::kAllDuties}}},
    {A::kWithdraw, S::kReceived, S::kWithdrawn, W::kSenderStaff, G::kNone,
     Fx{.waive = {workflow::kAllDuties}}},
    {A::kWithdraw, S::kAnswerPending, S::kWithdrawn, W::kSenderStaff, G::kNone,
     Fx{.waive = {workflow::kAllDuties}}},
    // Closing ends a dispatch nobody needs any more (the answers are in).
    {A::kClose, S::kAnswered, S::kClosed, W::kSenderStaff, G::kNone,
     Fx{.waive = {kDispatchDuty}}},
};

const ActionRow& ActionInfo(A a) {
  for (const auto& r : kActions)
    if (r.action == a) return r;
  return kActions[0];
}

Status TooLong(const std::string& field, size_t max) {
  return Status::Invalid(field, field + " 不能超过" + std::to_string(max) + "个字", "",
                         "too_long")
      .En(field + " is longer than " + std::to_string(max) + " characters");
}
Status CheckMax(std::string_view s, const std::string& field, size_t max) {
  if (Utf8Length(s) > max) return TooLong(field, max);
  return Status::Ok();
}
Status Required(const std::string& field, const std::string& zh, const char* rule) {
  return Status::Invalid(field, zh, rule, "missing_field").En(field + " is required");
}

}  // namespace

std::string_view CollabKindName(CollabKind k) { return workflow::NameOf<CollabKind>(kKinds, k); }
std::string_view CollabKindLabelZh(CollabKind k) { return workflow::LabelOf<CollabKind>(kKinds, k); }
std::optional<CollabKind> ParseCollabKind(std::string_view s) {
  return workflow::ParseName<CollabKind>(kKinds, s);
}

std::string_view CollabStateName(CollabState s) { return workflow::NameOf<S>(kStates, s); }
std::string_view CollabStateLabelZh(CollabState s) { return workflow::LabelOf<S>(kStates, s); }
std::optional<CollabState> ParseCollabState(std::string_view s) {
  return workflow::ParseName<S>(kStates, s);
}

std::string_view CollabActionName(CollabAction a) { return ActionInfo(a).name; }
std::string_view CollabAuditAction(CollabAction a) { return ActionInfo(a).audit; }
std::string_view CollabActionLabelZh(CollabAction a) { return ActionInfo(a).zh; }
std::string_view CollabActionRule(CollabAction a) { return ActionInfo(a).rule; }

std::string_view CollabWhoLabelZh(CollabWho w) {
  switch (w) {
    case W::kSenderStaff: return "请求单位执法人员或领导";
    case W::kSenderLeader: return "请求单位领导";
    case W::kReceiverStaff: return "被请求部门人员";
    case W::kReceiverLeader: return "被请求部门领导";
  }
  return "";
}

bool CollabActor::Is(CollabWho w) const {
  switch (w) {
    case W::kSenderStaff: return sender_staff || sender_leader;
    case W::kSenderLeader: return sender_leader;
    case W::kReceiverStaff: return receiver_staff || receiver_leader;
    case W::kReceiverLeader: return receiver_leader;
  }
  return false;
}

std::span<const CollabTransition> CollabTransitions() { return kTransitions; }

const workflow::Wording<CollabTransition>& CollabWording() {
  // action_zh, action_en, rule, state_zh, state_en, who_zh, noun_en
  static constexpr workflow::Wording<CollabTransition> kWording{
      CollabActionLabelZh, CollabActionName, CollabActionRule, CollabStateLabelZh, CollabStateName,
      CollabWhoLabelZh, "collaboration request"};
  return kWording;
}

const CollabTransition* FindCollabTransition(CollabAction action, CollabState from) {
  return workflow::Find<CollabTransition>(kTransitions, action, from);
}

core::Result<const CollabTransition*> DecideCollabTransition(CollabAction action, CollabState from,
                                                             const CollabActor& actor) {
  return workflow::Decide<CollabTransition>(kTransitions, CollabWording(), action, from, actor);
}

Status CheckCollabShape(const Collaboration& c) {
  XT_RETURN_IF_ERROR(CheckMax(c.title, "title", kMaxCollabTitleChars));
  XT_RETURN_IF_ERROR(CheckMax(c.questions, "questions", kMaxCollabQuestionsChars));
  XT_RETURN_IF_ERROR(CheckMax(c.case_ref, "case_ref", kMaxCollabCaseRefChars));
  if (c.materials.size() > kMaxCollabMaterials) {
    return Status::Invalid("materials", "材料不能超过50项", "R-COL-1", "too_long")
        .En("At most 50 materials");
  }
  for (size_t i = 0; i < c.materials.size(); ++i) {
    const std::string at = "materials[" + std::to_string(i) + "]";
    if (IsBlank(c.materials[i].name)) {
      return Required(at + ".name", "请填写材料名称", "R-COL-1");
    }
    XT_RETURN_IF_ERROR(CheckMax(c.materials[i].name, at + ".name", 100));
    XT_RETURN_IF_ERROR(CheckMax(c.materials[i].description, at + ".description", 500));
  }
  return Status::Ok();
}

Status CheckCollabComplete(const Collaboration& c) {
  // R-COL-1: the collaboration document states what is asked and for which case.
  if (IsBlank(c.title)) return Required("title", "根据R-COL-1，执法协作文书须写明标题", "R-COL-1");
  if (IsBlank(c.questions)) {
    return Required("questions", "根据R-COL-1，执法协作文书须写明需认定、鉴定或咨询的事项",
                    "R-COL-1");
  }
  if (IsBlank(c.case_ref)) {
    return Required("case_ref", "根据R-COL-1，执法协作文书须写明所涉案件", "R-COL-1");
  }
  return Status::Ok();
}

Status CheckCollabExtension(const Collaboration& c, bool complex, std::string_view reason,
                            core::Instant current_due, core::Instant new_due, core::Instant now) {
  // R-COL-4: 需技术鉴定、情况复杂的，可适当延长反馈意见期限.
  if (c.kind != CollabKind::kTechnicalAppraisal && !complex && !c.complex) {
    return Status::Invalid("complex",
                           "根据R-COL-4，仅技术鉴定或情况复杂的可以延长反馈期限（请说明情况复杂）",
                           "R-COL-4", "extension_not_allowed")
        .En("R-COL-4: only a technical appraisal or a complex case may be extended");
  }
  if (IsBlank(reason)) return Required("reason", "根据R-COL-4，延期须说明理由", "R-COL-4");
  XT_RETURN_IF_ERROR(CheckMax(reason, "reason", kMaxCollabReasonChars));
  if (new_due <= current_due || new_due <= now) {
    return Status::Invalid("new_due", "新的反馈期限须晚于当前期限", "R-COL-4", "invalid_value")
        .En("new_due must be later than the current due time");
  }
  return Status::Ok();
}

Status CheckCollabAnswer(std::string_view conclusion, std::string_view text) {
  if (IsBlank(conclusion)) return Required("conclusion", "请填写结论", "R-COL-2");
  XT_RETURN_IF_ERROR(CheckMax(conclusion, "conclusion", kMaxCollabConclusionChars));
  if (IsBlank(text)) return Required("text", "请填写反馈意见正文", "R-COL-2");
  return CheckMax(text, "text", kMaxCollabAnswerChars);
}

Status CheckCollabStaff(const std::vector<std::string>& staff) {
  if (staff.empty()) return Required("staff", "根据R-COL-3，须写明派出人员", "R-COL-3");
  if (staff.size() > kMaxCollabStaff) {
    return Status::Invalid("staff", "派出人员不能超过20人", "R-COL-3", "too_long")
        .En("At most 20 staff");
  }
  for (size_t i = 0; i < staff.size(); ++i) {
    const std::string at = "staff[" + std::to_string(i) + "]";
    if (IsBlank(staff[i])) return Required(at, "请填写派出人员姓名", "R-COL-3");
    XT_RETURN_IF_ERROR(CheckMax(staff[i], at, kMaxCollabStaffNameChars));
  }
  return Status::Ok();
}

}  // namespace xietong::domain
