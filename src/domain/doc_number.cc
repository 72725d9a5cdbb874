#include "domain/doc_number.h"

#include <chrono>

namespace xietong::domain {

namespace {
struct KindRow {
  DocKind kind;
  std::string_view name;
  std::string_view ch;
  std::string_view title;
};
constexpr KindRow kKinds[] = {
    {DocKind::kReferralLetter, "referral_letter", "移", "案件移送函"},
    {DocKind::kAcceptanceNotice, "acceptance_notice", "受", "受理情况告知书"},
    {DocKind::kCollaborationLetter, "collaboration_letter", "协", "执法协作文书"},
    {DocKind::kCollaborationAnswer, "collaboration_answer", "复", "执法协作反馈意见书"},
    {DocKind::kParticipationNotice, "participation_notice", "参", "参与执法工作告知书"},
    {DocKind::kViolationNotice, "violation_notice", "通", "违法行为通知书"},
    {DocKind::kMeetingMinutes, "meeting_minutes", "纪", "专题会议纪要"},
    {DocKind::kCoordinationDecision, "coordination_decision", "调", "协调决定书"},
    {DocKind::kHazardNotice, "hazard_notice", "报", "执法通报"},
    {DocKind::kNoticeReply, "notice_reply", "馈", "通报处置情况反馈"},
    {DocKind::kMeetingInvitation, "meeting_invitation", "会", "专题会议通知"},
    {DocKind::kJointActionRecord, "joint_action_record", "联", "联合执法行动记录"},
    {DocKind::kDisputeNegotiation, "dispute_negotiation", "商", "职责争议协商记录"},
    {DocKind::kGovernmentDecision, "government_decision", "决", "职责争议决定书"},
    {DocKind::kTransferApproval, "transfer_approval", "批", "涉嫌犯罪案件移送审批表"},
    {DocKind::kCrimeTransferLetter, "crime_transfer_letter", "刑", "涉嫌犯罪案件移送书"},
    {DocKind::kCrimeTransferCopy, "crime_transfer_copy", "抄", "移送案件通知书"},
    {DocKind::kPoliceReceipt, "police_receipt", "回", "接受移送案件回执"},
    {DocKind::kPoliceCaseDecision, "police_case_decision", "立", "立案审查决定书"},
    {DocKind::kReconsiderationRequest, "reconsideration_request", "议", "提请复议书"},
    {DocKind::kCaseReturnLetter, "case_return_letter", "退", "移回案件函"},
    {DocKind::kCourtEnforcementApplication, "court_enforcement_application", "执", "强制执行申请书"},
    {DocKind::kPoliceSupportRequest, "police_support_request", "援", "提请公安机关协助函"},
    {DocKind::kComplaintRegistration, "complaint_registration", "登", "投诉举报登记表"},
    {DocKind::kComplaintReply, "complaint_reply", "答", "投诉举报答复意见书"},
    {DocKind::kGuidanceArrangement, "guidance_arrangement", "导", "业务指导安排"},
    {DocKind::kTrainingRecord, "training_record", "训", "业务培训记录"},
    {DocKind::kTechSupportAnswer, "tech_support_answer", "技", "技术支持答复"},
    {DocKind::kAnnualPlan, "annual_plan", "计", "年度执法计划"},
    {DocKind::kTaskOrder, "task_order", "任", "交办任务通知"},
    {DocKind::kUrgingNotice, "urging_notice", "督", "督办通知"},
    {DocKind::kCircularOfCriticism, "circular_of_criticism", "评", "通报批评"},
    {DocKind::kAccountabilityDecision, "accountability_decision", "责", "问责决定"},
    {DocKind::kConsultationMinutes, "consultation_minutes", "席", "联席会议纪要"},
    {DocKind::kMechanismEstablishment, "mechanism_establishment", "制", "联合执法机制建立通知"},
    {DocKind::kPenaltyFiling, "penalty_filing", "备", "行政处罚决定备案表"},
};
const KindRow* Row(DocKind k) {
  for (const auto& r : kKinds)
    if (r.kind == k) return &r;
  return nullptr;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

std::string_view DocKindName(DocKind k) {
  const KindRow* r = Row(k);
  return r ? r->name : "unknown";
}
std::string_view DocKindChar(DocKind k) {
  const KindRow* r = Row(k);
  return r ? r->ch : "文";
}
std::string_view DocKindTitleZh(DocKind k) {
  const KindRow* r = Row(k);
  return r ? r->title : "文书";
}
std::optional<DocKind> ParseDocKind(std::string_view name) {
  for (const auto& r : kKinds)
    if (r.name == name) return r.kind;
  return std::nullopt;
}
std::optional<DocKind> DocKindFromInt(int v) {
  for (const auto& r : kKinds)
    if (static_cast<int>(r.kind) == v) return r.kind;
  return std::nullopt;
}

std::string FormatDocNumber(std::string_view prefix, DocKind kind, int year, int64_t serial) {
  std::string out(prefix);
  out += DocKindChar(kind);
  out += "〔";
  out += std::to_string(year);
  out += "〕";
  out += std::to_string(serial);  // no leading zeros, no 第
  out += "号";
  return out;
}

std::string DefaultDocPrefix(std::string_view short_name) {
  std::string_view s = short_name;
  for (std::string_view suffix : {"分局", "镇", "局", "办", "所"}) {
    if (EndsWith(s, suffix) && s.size() > suffix.size()) {
      s.remove_suffix(suffix.size());
      break;
    }
  }
  constexpr std::string_view kCounty = "县";
  if (s.starts_with(kCounty) && s.size() > kCounty.size()) s.remove_prefix(kCounty.size());
  if (s.empty()) return std::string(short_name);
  return std::string(s);
}

int ShanghaiYear(core::Instant t) {
  return static_cast<int>(std::chrono::year_month_day(core::ShanghaiDay(t)).year());
}

std::string FormatDateZh(core::Instant t) {
  std::chrono::year_month_day d(core::ShanghaiDay(t));
  return std::to_string(static_cast<int>(d.year())) + "年" +
         std::to_string(static_cast<unsigned>(d.month())) + "月" +
         std::to_string(static_cast<unsigned>(d.day())) + "日";
}

std::string FormatDueZh(core::Instant due) {
  using namespace std::chrono;
  const auto local = due + core::kShanghaiOffset;
  const auto day = floor<days>(local);
  const auto tod = duration_cast<minutes>(local - day);
  const bool midnight = local == day;
  const year_month_day ymd(midnight ? day - days(1) : day);
  std::string out = std::to_string(static_cast<int>(ymd.year())) + "年" +
                    std::to_string(static_cast<unsigned>(ymd.month())) + "月" +
                    std::to_string(static_cast<unsigned>(ymd.day())) + "日";
  if (midnight) return out + "24时";
  const long h = static_cast<long>(tod.count() / 60), m = static_cast<long>(tod.count() % 60);
  out += std::to_string(h) + "时";
  if (m != 0) {
    if (m < 10) out += '0';
    out += std::to_string(m);
    out += "分";
  }
  return out;
}

}  // namespace xietong::domain
