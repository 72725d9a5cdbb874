// Numbered written documents (文号, R-DOC-1) and how their numbers look.
//
// A number is the issuing org's prefix (机关代字, Org::doc_prefix), one character for the kind of
// document, the year in hexagonal brackets (六角括号) and the serial without leading zeros and
// without 第 (GB/T 9704-2012 §7.2.4): 新城执移〔2026〕3号. Serials are counted per org, per year,
// per kind, gap-free (storage: doc_counters, incremented inside the transaction that issues the
// document). The year is the Shanghai year of the act. Pure functions; thread-safe.
//
//   FormatDocNumber("新城执", DocKind::kReferralLetter, 2026, 3)  // "新城执移〔2026〕3号"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

// Kinds of numbered documents. Persisted; values never change.
enum class DocKind : int {
  kReferralLetter = 1,    // 案件移送函 (R-REF-3): kind character 移
  kAcceptanceNotice = 2,  // 受理情况告知书 (R-REF-6), accepted or not: kind character 受
  kCollaborationLetter = 3,  // 执法协作文书 (R-COL-1): 协
  kCollaborationAnswer = 4,  // 执法协作反馈意见书 (R-COL-2): 复
  // Notices, meetings, participation, violation notices (R-COL-6..8): values 5..7.
  kParticipationNotice = 5,  // 参与执法工作告知书 (R-COL-7): 参
  kViolationNotice = 6,      // 违法行为通知书 (R-COL-8): 通
  kMeetingMinutes = 7,       // 专题会议纪要 (R-COL-6): 纪
  // Every formal act numbered (R-DOC-1), issued by the workflow engine where a table names them:
  kCoordinationDecision = 8,  // 协调决定书 of the 依法治县办 (R-REF-7, R-COL-8): 调
  kHazardNotice = 9,          // 隐患/多发领域通报 (R-COL-5): 报
  kNoticeReply = 10,          // 通报处置情况反馈 (R-COL-5): 馈
  kMeetingInvitation = 11,    // 专题会议通知 (R-COL-6): 会
  kJointActionRecord = 12,    // 联合执法行动记录 (R-COL-6, R-SYS-5): 联
  // Jurisdiction disputes (R-DIS-2): the parties' negotiation record, and the County
  // Government's decision (the coordinator's step issues kCoordinationDecision 调).
  kDisputeNegotiation = 13,  // 职责争议协商记录: 商
  kGovernmentDecision = 14,  // 县人民政府职责争议决定书: 决
  // Criminal transfers (R-CRI-1..5, State Council Decree 310).
  kTransferApproval = 15,     // 涉嫌犯罪案件移送审批表 (the head's decision, R-CRI-1a): 批
  kCrimeTransferLetter = 16,  // 涉嫌犯罪案件移送书 (to the police, R-CRI-1a): 刑
  kCrimeTransferCopy = 17,    // 移送案件通知书 (copy to the procuratorate, R-CRI-1a): 抄
  kPoliceReceipt = 18,        // 接受移送案件回执 (the police, R-CRI-1a): 回
  kPoliceCaseDecision = 19,   // 立案/不予立案决定书 (the police, R-CRI-1a): 立
  kReconsiderationRequest = 20,  // 提请复议书 (the agency challenges a refusal, R-CRI-1a): 议
  kCaseReturnLetter = 21,     // 移回案件函 (no criminal liability, R-CRI-2): 退
  kCourtEnforcementApplication = 22,  // 强制执行申请书 (R-CRI-3): 执
  kPoliceSupportRequest = 23,  // 提请公安机关协助函 (R-CRI-4): 援
  // First-contact complaints (R-SYS-3).
  kComplaintRegistration = 24,  // 投诉举报登记表: 登
  kComplaintReply = 25,         // 投诉举报答复意见书: 答
  // Guidance, training, technical support (R-GUI-1..3).
  kGuidanceArrangement = 29,  // 业务指导安排 (R-GUI-1): 导
  kTrainingRecord = 30,       // 业务培训记录 (R-GUI-2): 训
  kTechSupportAnswer = 31,    // 技术支持答复 (R-GUI-3): 技
  // The annual plan (R-PLN-1) and ad hoc task orders (R-PLN-2).
  kAnnualPlan = 34,  // 年度执法计划: 计
  kTaskOrder = 35,   // 交办任务通知: 任
  // 督办 (R-PLN-2): the coordinator's urging notice to the owner of an overdue or yellow item.
  kUrgingNotice = 36,  // 督办通知: 督
  // R-ASM-2: the coordinator's circular of criticism and, if serious, the accountability decision.
  kCircularOfCriticism = 37,     // 通报批评: 评
  kAccountabilityDecision = 38,  // 问责决定: 责
  // Standing mechanisms (R-SYS-1, R-SYS-4; joint action records reuse 联).
  kConsultationMinutes = 32,    // 联席会议纪要: 席
  kMechanismEstablishment = 33,  // 联合执法机制建立通知: 制
  // Shared information (R-INF-3).
  kPenaltyFiling = 27,  // 行政处罚决定备案表: 备
};

std::string_view DocKindName(DocKind k);       // "referral_letter", "acceptance_notice"
std::string_view DocKindChar(DocKind k);       // "移", "受"
std::string_view DocKindTitleZh(DocKind k);    // 案件移送函, 受理情况告知书
std::optional<DocKind> ParseDocKind(std::string_view name);
std::optional<DocKind> DocKindFromInt(int v);

// "新城执移〔2026〕3号". REQUIRES: serial >= 1.
std::string FormatDocNumber(std::string_view prefix, DocKind kind, int year, int64_t serial);

// The prefix to use when an org has none: its short name without a trailing 镇/局/县/分局/办
// (新城镇 → 新城, 县市场监管局 → 县市场监管 → 市场监管). Never empty (falls back to the name).
std::string DefaultDocPrefix(std::string_view short_name);

// The Shanghai calendar year of `t` (the year of the act, for numbering).
int ShanghaiYear(core::Instant t);
// "2026年11月25日" (the date line of a document: Arabic numerals, GB/T 9704 §7.3.5.1).
std::string FormatDateZh(core::Instant t);
// A deadline in words, one convention everywhere (R-TIME-5, issue 17 defect 4): a deadline at
// 24:00 (stored as the next 00:00) reads "2026年11月27日24时", else "2026年11月27日10时30分"
// ("10时" on the hour). Used by every notification, urging notice and e-mail text.
std::string FormatDueZh(core::Instant due);

// An issued document: the numbered written form of a formal act, with an immutable snapshot
// of what it says (rendered to HTML by reports/document_html).
struct Document {
  Id id = 0;
  DocKind kind = DocKind::kReferralLetter;
  std::string number;  // 文号
  Id org_id = 0;       // issuing org
  int year = 0;
  int64_t serial = 0;
  std::optional<Id> referral_id;
  std::string title;
  std::string snapshot;  // JSON, canonical; never changed after issue
  core::Instant created_at{};
  std::optional<Id> created_by;
  bool operator==(const Document&) const = default;
};

}  // namespace xietong::domain
