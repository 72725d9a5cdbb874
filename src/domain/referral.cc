#include "domain/referral.h"

#include <array>

namespace xietong::domain {

namespace {

using core::Status;
using S = ReferralState;
using A = ReferralAction;
using W = ReferralWho;
using G = ReferralGuard;

constexpr workflow::Named<S> kStates[] = {
    {S::kDraft, "draft", "草稿"},
    {S::kSubmitted, "submitted", "待审批"},
    {S::kSent, "sent", "已移送"},
    {S::kReceived, "received", "已接收"},
    {S::kAccepted, "accepted", "已受理"},
    {S::kDeclined, "declined", "不予受理"},
    {S::kReturned, "returned", "已退回"},
    {S::kWithdrawn, "withdrawn", "已撤回"},
    {S::kHandled, "handled", "已办理"},
    {S::kClosed, "closed", "已办结"},
    {S::kCoordination, "coordination", "协调中"},
};

struct ActionRow {
  A action;
  std::string_view name;
  std::string_view zh;
  std::string_view rule;
};
constexpr ActionRow kActions[] = {
    {A::kUpdate, "update", "修改", "R-REF-3"},
    {A::kSubmit, "submit", "提交审批", "R-REF-3"},
    {A::kApprove, "approve", "批准移送", "R-REF-3"},
    {A::kReturn, "return", "退回", "R-REF-3"},
    {A::kReceive, "receive", "接收", "R-REF-6"},
    {A::kAccept, "accept", "受理", "R-REF-6"},
    {A::kDecline, "decline", "不予受理", "R-REF-6"},
    {A::kWithdraw, "withdraw", "撤回", "R-REF-1"},
    {A::kHandle, "handle", "反馈办理结果", "R-REF-8"},
    {A::kClose, "close", "办结", "R-REF-8"},
    {A::kRequestCoordination, "coordination", "申请协调", "R-REF-7"},
    {A::kCoordinateReceiverAccepts, "coordination.receiver_accepts", "协调决定由接收方受理",
     "R-REF-7"},
    {A::kCoordinateSenderKeeps, "coordination.sender_keeps", "协调决定由移送方自行处理",
     "R-REF-7"},
    {A::kCoordinateReassign, "coordination.reassign", "协调决定改由其他单位受理", "R-REF-7"},
};

constexpr std::string_view kSend = kDutyReferralSend;
constexpr std::string_view kUrgent = kDutyReferralSendUrgent;
constexpr std::string_view kOngoing = kDutyReferralOngoing;
constexpr std::string_view kAccept = kDutyReferralAccept;
constexpr std::string_view kAll = workflow::kAllDuties;
using Fx = workflow::Effects;
constexpr Fx kNoFx{};

// THE table (see referral.h and domain/workflow.h). Keep it sorted by action, then from-state.
// Effects: the duties each step meets, waives or may open, and the numbered document it issues.
constexpr ReferralTransition kTransitions[] = {
    // A changed date, matter or urgency recomputes R-REF-4; ongoing on/off opens/waives R-REF-5.
    {A::kUpdate, S::kDraft, S::kDraft, W::kSenderOfficer, G::kNone,
     Fx{.open = {kSend, kUrgent, kOngoing}}},
    {A::kUpdate, S::kReturned, S::kReturned, W::kSenderOfficer, G::kNone,
     Fx{.open = {kSend, kUrgent, kOngoing}}},
    {A::kSubmit, S::kDraft, S::kSubmitted, W::kSenderOfficer, G::kNone, kNoFx},
    {A::kSubmit, S::kReturned, S::kSubmitted, W::kSenderOfficer, G::kNone, kNoFx},
    // R-REF-3/4/5 met by the numbered letter; R-REF-6 starts for the receiver.
    {A::kApprove, S::kSubmitted, S::kSent, W::kSenderLeader, G::kNone,
     Fx{.meet = {kSend, kUrgent, kOngoing},
        .open = {kAccept},
        .document = DocKind::kReferralLetter}},
    {A::kReturn, S::kSubmitted, S::kReturned, W::kSenderLeader, G::kNone, kNoFx},
    // 退回补正 is the receiver's written answer (R-REF-6 met).
    {A::kReturn, S::kSent, S::kReturned, W::kReceiverStaff, G::kNone, Fx{.meet = {kAccept}}},
    {A::kReturn, S::kReceived, S::kReturned, W::kReceiverStaff, G::kNone, Fx{.meet = {kAccept}}},
    {A::kReceive, S::kSent, S::kReceived, W::kReceiverStaff, G::kNone, kNoFx},
    {A::kAccept, S::kSent, S::kAccepted, W::kReceiverLeader, G::kNone,
     Fx{.meet = {kAccept}, .document = DocKind::kAcceptanceNotice}},
    {A::kAccept, S::kReceived, S::kAccepted, W::kReceiverLeader, G::kNone,
     Fx{.meet = {kAccept}, .document = DocKind::kAcceptanceNotice}},
    {A::kDecline, S::kSent, S::kDeclined, W::kReceiverLeader, G::kNone,
     Fx{.meet = {kAccept}, .document = DocKind::kAcceptanceNotice}},
    {A::kDecline, S::kReceived, S::kDeclined, W::kReceiverLeader, G::kNone,
     Fx{.meet = {kAccept}, .document = DocKind::kAcceptanceNotice}},
    {A::kWithdraw, S::kDraft, S::kWithdrawn, W::kSenderStaff, G::kNone, Fx{.waive = {kAll}}},
    {A::kWithdraw, S::kSubmitted, S::kWithdrawn, W::kSenderStaff, G::kNone, Fx{.waive = {kAll}}},
    {A::kWithdraw, S::kSent, S::kWithdrawn, W::kSenderStaff, G::kNone, Fx{.waive = {kAll}}},
    {A::kWithdraw, S::kReceived, S::kWithdrawn, W::kSenderStaff, G::kNone, Fx{.waive = {kAll}}},
    // Not in the first contract: a returned referral must be abandonable too, or its R-REF-4
    // duty stays open forever (docs/referrals-contract.md updated).
    {A::kWithdraw, S::kReturned, S::kWithdrawn, W::kSenderStaff, G::kNone, Fx{.waive = {kAll}}},
    {A::kHandle, S::kAccepted, S::kHandled, W::kReceiverStaff, G::kNoOpenCriminalTransfer, kNoFx},
    {A::kClose, S::kHandled, S::kClosed, W::kEitherLeader, G::kNoOpenCriminalTransfer, kNoFx},
    {A::kRequestCoordination, S::kSent, S::kCoordination, W::kSenderStaff, G::kAcceptDutyRed, kNoFx},
    {A::kRequestCoordination, S::kReceived, S::kCoordination, W::kSenderStaff, G::kAcceptDutyRed,
     kNoFx},
    {A::kRequestCoordination, S::kDeclined, S::kCoordination, W::kSenderStaff, G::kNone, kNoFx},
    // R-REF-7: the coordinator's decision binds; the acceptance duty ends with it.
    // Each decision is the numbered 协调决定书 of the 依法治县办 (R-DOC-1).
    {A::kCoordinateReceiverAccepts, S::kCoordination, S::kAccepted, W::kCoordinator, G::kNone,
     Fx{.meet = {kAccept}, .document = DocKind::kCoordinationDecision}},
    {A::kCoordinateSenderKeeps, S::kCoordination, S::kClosed, W::kCoordinator, G::kNone,
     Fx{.waive = {kAll}, .document = DocKind::kCoordinationDecision}},
    {A::kCoordinateReassign, S::kCoordination, S::kSent, W::kCoordinator, G::kNone,
     Fx{.waive = {kAccept}, .open = {kAccept}, .document = DocKind::kCoordinationDecision}},
};

const ActionRow& ActionInfo(A a) {
  for (const auto& r : kActions)
    if (r.action == a) return r;
  return kActions[0];  // unreachable for valid enum values
}

}  // namespace

std::string_view ReferralStateName(ReferralState s) { return workflow::NameOf<S>(kStates, s); }
std::string_view ReferralStateLabelZh(ReferralState s) { return workflow::LabelOf<S>(kStates, s); }
std::optional<ReferralState> ParseReferralState(std::string_view s) {
  return workflow::ParseName<S>(kStates, s);
}

std::string_view ReferralActionName(ReferralAction a) { return ActionInfo(a).name; }
std::string_view ReferralActionLabelZh(ReferralAction a) { return ActionInfo(a).zh; }
std::string_view ReferralActionRule(ReferralAction a) { return ActionInfo(a).rule; }

std::string_view ReferralWhoLabelZh(ReferralWho w) {
  switch (w) {
    case W::kSenderOfficer: return "移送单位执法人员";
    case W::kSenderLeader: return "移送单位领导";
    case W::kSenderStaff: return "移送单位执法人员或领导";
    case W::kReceiverStaff: return "接收单位人员";
    case W::kReceiverLeader: return "接收单位领导";
    case W::kEitherLeader: return "移送单位或接收单位领导";
    case W::kCoordinator: return "县委依法治县办工作人员";
  }
  return "";
}

bool ReferralActor::Is(ReferralWho w) const {
  switch (w) {
    case W::kSenderOfficer: return sender_officer;
    case W::kSenderLeader: return sender_leader;
    case W::kSenderStaff: return sender_officer || sender_leader;
    case W::kReceiverStaff: return receiver_staff || receiver_leader;
    case W::kReceiverLeader: return receiver_leader;
    case W::kEitherLeader: return sender_leader || receiver_leader;
    case W::kCoordinator: return coordinator;
  }
  return false;
}

std::span<const ReferralTransition> ReferralTransitions() { return kTransitions; }

const workflow::Wording<ReferralTransition>& ReferralWording() {
  // action_zh, action_en, rule, state_zh, state_en, who_zh, noun_en
  static constexpr workflow::Wording<ReferralTransition> kWording{
      ReferralActionLabelZh, ReferralActionName, ReferralActionRule, ReferralStateLabelZh, ReferralStateName,
      ReferralWhoLabelZh, "referral"};
  return kWording;
}

const ReferralTransition* FindReferralTransition(ReferralAction action, ReferralState from) {
  return workflow::Find<ReferralTransition>(kTransitions, action, from);
}

core::Result<const ReferralTransition*> DecideTransition(ReferralAction action, ReferralState from,
                                                         const ReferralActor& actor) {
  return workflow::Decide<ReferralTransition>(kTransitions, ReferralWording(), action, from, actor);
}

// ---- Checks ------------------------------------------------------------------------------

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool IsBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

namespace {

Status TooLong(const std::string& field, size_t max) {
  return Status::Invalid(field, field + " 不能超过" + std::to_string(max) + "个字", "",
                         "too_long")
      .En(field + " is longer than " + std::to_string(max) + " characters");
}

Status CheckMax(std::string_view s, const std::string& field, size_t max) {
  if (Utf8Length(s) > max) return TooLong(field, max);
  return Status::Ok();
}

Status Missing(const std::string& field, const std::string& zh, const std::string& en,
               const char* rule) {
  return Status::Invalid(field, zh, rule, "incomplete_referral").En(en);
}

}  // namespace

Status CheckReferralShape(const Referral& r) {
  XT_RETURN_IF_ERROR(CheckMax(r.place, "place", kMaxPlaceChars));
  XT_RETURN_IF_ERROR(CheckMax(r.facts, "facts", kMaxFactsChars));
  XT_RETURN_IF_ERROR(CheckMax(r.legal_basis, "legal_basis", kMaxLegalBasisChars));
  XT_RETURN_IF_ERROR(CheckMax(r.party.name, "party.name", kMaxPartyFieldChars));
  XT_RETURN_IF_ERROR(CheckMax(r.party.id_type, "party.id_type", 50));
  XT_RETURN_IF_ERROR(CheckMax(r.party.id_number, "party.id_number", 50));
  XT_RETURN_IF_ERROR(CheckMax(r.party.address, "party.address", kMaxPartyFieldChars));
  XT_RETURN_IF_ERROR(CheckMax(r.party.phone, "party.phone", 50));
  if (r.evidence.size() > kMaxEvidenceItems) {
    return Status::Invalid("evidence", "证据材料不能超过50项", "R-REF-3", "too_long")
        .En("At most 50 evidence items");
  }
  for (size_t i = 0; i < r.evidence.size(); ++i) {
    const auto& e = r.evidence[i];
    const std::string at = "evidence[" + std::to_string(i) + "]";
    if (IsBlank(e.name)) {
      return Status::Invalid(at + ".name", "请填写证据名称", "R-REF-3", "missing_field")
          .En("Each evidence item needs a name");
    }
    XT_RETURN_IF_ERROR(CheckMax(e.name, at + ".name", kMaxEvidenceNameChars));
    XT_RETURN_IF_ERROR(CheckMax(e.description, at + ".description", kMaxTextChars));
  }
  if (r.dissuasion) XT_RETURN_IF_ERROR(CheckMax(r.dissuasion->note, "dissuasion.note", kMaxTextChars));
  XT_RETURN_IF_ERROR(CheckMax(r.unit_legal_basis, "unit_legal_basis", kMaxTextChars));
  XT_RETURN_IF_ERROR(
      CheckMax(r.jurisdiction_override_reason, "jurisdiction_override_reason", kMaxTextChars));
  return Status::Ok();
}

Status CheckReferralComplete(const Referral& r) {
  // R-REF-3: 事实清楚、证据齐全、程序合法、手续完备; written form (书面移送).
  if (IsBlank(r.facts)) {
    return Missing("facts", "根据R-REF-3，移送须写明违法事实", "R-REF-3: the facts are required",
                   "R-REF-3");
  }
  if (IsBlank(r.place)) {
    return Missing("place", "根据R-REF-3，移送须写明违法行为发生地点",
                   "R-REF-3: the place is required", "R-REF-3");
  }
  if (IsBlank(r.legal_basis)) {
    return Missing("legal_basis", "根据R-REF-3，移送须写明法律依据",
                   "R-REF-3: the legal basis is required", "R-REF-3");
  }
  bool has_file = false;
  for (const auto& e : r.evidence)
    if (e.file_id && !e.file_id->empty()) has_file = true;
  if (!has_file) {
    return Missing("evidence", "根据R-REF-3，移送须附证据材料（至少一项附有文件）",
                   "R-REF-3: at least one evidence item with a file is required", "R-REF-3");
  }
  struct Item {
    bool value;
    const char* field;
    const char* zh;
  };
  const Item items[] = {
      {r.checklist.facts_clear, "checklist.facts_clear", "事实清楚"},
      {r.checklist.evidence_complete, "checklist.evidence_complete", "证据齐全"},
      {r.checklist.procedure_lawful, "checklist.procedure_lawful", "程序合法"},
      {r.checklist.formalities_complete, "checklist.formalities_complete", "手续完备"},
  };
  for (const auto& it : items) {
    if (!it.value) {
      return Missing(it.field, std::string("根据R-REF-3，移送前须确认“") + it.zh + "”",
                     std::string("R-REF-3: confirm ") + it.field, "R-REF-3");
    }
  }
  // R-REF-5: an ongoing violation is dissuaded at once, and that is recorded.
  if (r.ongoing) {
    if (!r.dissuasion) {
      return Missing("dissuasion", "根据R-REF-5，违法行为正在进行的，须记录劝阻情况（时间和情况）",
                     "R-REF-5: an ongoing violation needs the dissuasion (at and note)",
                     "R-REF-5");
    }
    if (IsBlank(r.dissuasion->note)) {
      return Missing("dissuasion.note", "根据R-REF-5，须写明劝阻情况",
                     "R-REF-5: describe the dissuasion", "R-REF-5");
    }
  }
  return Status::Ok();
}

Status CheckReferralSender(bool user_in_unit, std::string_view unit_legal_basis) {
  if (user_in_unit && IsBlank(unit_legal_basis)) {
    return Status::Invalid("unit",
                           "根据R-REF-2，案件移送应以县直执法部门或乡镇综合行政执法部门的名义进行，"
                           "不得以派出机构或内设机构的名义移送；法律法规另有规定的，请在 "
                           "unit_legal_basis 中写明依据",
                           "R-REF-2", "unit_not_allowed")
        .En("R-REF-2: referrals are made in the name of the department or township office, not of "
            "a unit, unless unit_legal_basis names the law that allows it");
  }
  return Status::Ok();
}

Status CheckReferralText(std::string_view text, const char* field, size_t max_chars,
                         const char* rule) {
  if (IsBlank(text)) {
    return Status::Invalid(field, std::string("请填写") + field, rule, "missing_field")
        .En(std::string(field) + " is required");
  }
  if (Utf8Length(text) > max_chars) {
    return Status::Invalid(field, std::string(field) + " 不能超过" + std::to_string(max_chars) + "个字",
                           rule, "too_long")
        .En(std::string(field) + " is too long");
  }
  return Status::Ok();
}

}  // namespace xietong::domain
