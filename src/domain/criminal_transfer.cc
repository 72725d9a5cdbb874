#include "domain/criminal_transfer.h"

#include <algorithm>

namespace xietong::domain {

namespace {

using core::Status;
namespace cs = crime_state;
using W = CrimeWho;
using G = CrimeGuard;
using D = DocKind;

struct StateRow {
  int value;
  std::string_view name;
  std::string_view label;
};
constexpr StateRow kStates[] = {
    {cs::kReported, "reported", "待负责人审批"},
    {cs::kApproved, "approved", "已批准待移送"},
    {cs::kNotApproved, "not_approved", "不予移送"},
    {cs::kTransferred, "transferred", "已移送公安机关"},
    {cs::kReceived, "received", "公安机关已签收"},
    {cs::kCaseOpened, "case_opened", "已立案"},
    {cs::kRefused, "refused", "不予立案"},
    {cs::kReconsideration, "reconsideration", "复议中"},
    {cs::kRefusalUpheld, "refusal_upheld", "维持不予立案"},
    {cs::kReturned, "returned", "已移回"},
    {cs::kHandled, "handled", "已作行政处理"},
};
constexpr int kStateValues[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr int kOpenStates[] = {cs::kReported, cs::kApproved, cs::kTransferred,
                               cs::kReceived, cs::kRefused,  cs::kReconsideration};

constexpr int kNew = kCoordNew;
constexpr std::string_view kDecision = kDutyCrimeDecision, kPolice = kDutyCrimePolice,
                           kReceipt = kDutyCrimeReceipt, kCase = kDutyCrimeCaseDecision,
                           kReview = kDutyCrimeReconsideration, kAdmin = kDutyCrimeAdministrative;

// ---- THE table ----
constexpr CrimeTransition kTable[] = {
    // The officer's report: the head decides within 3 days (R-CRI-1a).
    {"create", kNew, cs::kReported, W::kAgencyStaff, G::kNone, {.open = {kDecision}}},
    {"approve", cs::kReported, cs::kApproved, W::kAgencyLeader, G::kNone,
     {.meet = {kDecision}, .open = {kPolice}, .document = D::kTransferApproval}},
    {"not-approve", cs::kReported, cs::kNotApproved, W::kAgencyLeader, G::kNone,
     {.meet = {kDecision}, .document = D::kTransferApproval}},
    // Within 24 hours to the police, copied to the procuratorate: two documents in one step.
    {"transfer", cs::kApproved, cs::kTransferred, W::kAgencyStaff, G::kNone,
     {.meet = {kPolice}, .open = {kReceipt}, .document = D::kCrimeTransferLetter,
      .copy_document = D::kCrimeTransferCopy}},
    {"receipt", cs::kTransferred, cs::kReceived, W::kPoliceStaff, G::kNone,
     {.meet = {kReceipt}, .open = {kCase}, .document = D::kPoliceReceipt}},
    {"open-case", cs::kReceived, cs::kCaseOpened, W::kPoliceStaff, G::kNone,
     {.meet = {kCase}, .document = D::kPoliceCaseDecision}},
    {"refuse-case", cs::kReceived, cs::kRefused, W::kPoliceStaff, G::kNone,
     {.meet = {kCase}, .document = D::kPoliceCaseDecision}},
    {"reconsider", cs::kRefused, cs::kReconsideration, W::kAgencyLeader, G::kChallengeOpen,
     {.open = {kReview}, .document = D::kReconsiderationRequest}},
    {"open-case", cs::kReconsideration, cs::kCaseOpened, W::kPoliceStaff, G::kNone,
     {.meet = {kReview}, .document = D::kPoliceCaseDecision}},
    {"uphold-refusal", cs::kReconsideration, cs::kRefusalUpheld, W::kPoliceStaff, G::kNone,
     {.meet = {kReview}, .document = D::kPoliceCaseDecision}},
    // R-CRI-2: no criminal liability: back to the agency for administrative handling.
    {"return", cs::kRefused, cs::kReturned, W::kPoliceStaff, G::kChallengeOver,
     {.open = {kAdmin}, .document = D::kCaseReturnLetter}},
    {"return", cs::kRefusalUpheld, cs::kReturned, W::kPoliceStaff, G::kNone,
     {.open = {kAdmin}, .document = D::kCaseReturnLetter}},
    {"return", cs::kCaseOpened, cs::kReturned, W::kPoliceStaff, G::kNone,
     {.open = {kAdmin}, .document = D::kCaseReturnLetter}},
    // R-CRI-1: the administrative handling (a penalty) only once the criminal route is closed:
    // not approved, returned, or refused (the agency forgoing or having lost its challenge).
    {"handle", cs::kReturned, cs::kHandled, W::kAgencyStaff, G::kNone, {.meet = {kAdmin}}},
    {"handle", cs::kNotApproved, cs::kHandled, W::kAgencyStaff, G::kNone},
    {"handle", cs::kRefused, cs::kHandled, W::kAgencyStaff, G::kNone},
    {"handle", cs::kRefusalUpheld, cs::kHandled, W::kAgencyStaff, G::kNone},
    // The procuratorate's supervision opinion (立案监督), once the case reached the police.
    {"supervise", cs::kTransferred, cs::kTransferred, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kReceived, cs::kReceived, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kCaseOpened, cs::kCaseOpened, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kRefused, cs::kRefused, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kReconsideration, cs::kReconsideration, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kRefusalUpheld, cs::kRefusalUpheld, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kReturned, cs::kReturned, W::kProcuratorateStaff, G::kNone},
    {"supervise", cs::kHandled, cs::kHandled, W::kProcuratorateStaff, G::kNone},
};

struct ActionRow {
  std::string_view action;
  std::string_view label;
  std::string_view rule;
};
constexpr ActionRow kActions[] = {
    {"create", "报告涉嫌犯罪案件", "R-CRI-1a"},
    {"approve", "批准移送", "R-CRI-1a"},
    {"not-approve", "不批准移送", "R-CRI-1a"},
    {"transfer", "移送公安机关并抄送检察院", "R-CRI-1a"},
    {"receipt", "签收移送案件", "R-CRI-1a"},
    {"open-case", "决定立案", "R-CRI-1a"},
    {"refuse-case", "决定不予立案", "R-CRI-1a"},
    {"reconsider", "提请复议", "R-CRI-1a"},
    {"uphold-refusal", "复议维持不予立案", "R-CRI-1a"},
    {"return", "移回行政处理", "R-CRI-2"},
    {"handle", "记录行政处理结果", "R-CRI-1"},
    {"supervise", "记录立案监督意见", "R-CRI-5"},
};
const ActionRow* ActionOf(std::string_view a) {
  for (const auto& r : kActions)
    if (r.action == a) return &r;
  return nullptr;
}

std::string_view ActionEn(std::string_view a) { return a; }
std::string_view StateEn(int s) { return CrimeStateName(s); }
std::string_view StateZh(int s) { return CrimeStateLabelZh(s); }
constexpr workflow::Wording<CrimeTransition> kWording{
    .action_zh = CrimeActionLabelZh,
    .action_en = ActionEn,
    .rule = CrimeActionRule,
    .state_zh = StateZh,
    .state_en = StateEn,
    .who_zh = CrimeWhoLabelZh,
    .noun_en = "criminal transfer",
};

}  // namespace

std::span<const int> CrimeStates() { return kStateValues; }
std::string_view CrimeStateName(int state) {
  for (const auto& r : kStates)
    if (r.value == state) return r.name;
  return "unknown";
}
std::string_view CrimeStateLabelZh(int state) {
  for (const auto& r : kStates)
    if (r.value == state) return r.label;
  return "未知";
}
std::optional<int> ParseCrimeState(std::string_view name) {
  for (const auto& r : kStates)
    if (r.name == name) return r.value;
  return std::nullopt;
}
bool CrimeTransferOpen(int state) {
  return std::find(std::begin(kOpenStates), std::end(kOpenStates), state) != std::end(kOpenStates);
}
std::span<const int> CrimeOpenStates() { return kOpenStates; }

std::string_view CrimeWhoLabelZh(CrimeWho w) {
  switch (w) {
    case W::kAgencyStaff: return "移送机关工作人员";
    case W::kAgencyLeader: return "移送机关负责人";
    case W::kPoliceStaff: return "受移送的公安机关";
    case W::kProcuratorateStaff: return "抄送的人民检察院";
  }
  return "";
}

bool CrimeActor::Is(CrimeWho w) const {
  switch (w) {
    case W::kAgencyStaff: return agency_staff;
    case W::kAgencyLeader: return agency_leader;
    case W::kPoliceStaff: return police_staff;
    case W::kProcuratorateStaff: return procuratorate_staff;
  }
  return false;
}

std::span<const CrimeTransition> CrimeTransitions() { return kTable; }
const CrimeTransition& CrimeCreateRow() { return kTable[0]; }
const workflow::Wording<CrimeTransition>& CrimeWording() { return kWording; }

std::vector<std::string_view> CrimeActions() {
  std::vector<std::string_view> out;
  for (const auto& r : kTable)
    if (r.from != kNew && std::find(out.begin(), out.end(), r.action) == out.end())
      out.push_back(r.action);
  return out;
}
std::string_view CrimeActionLabelZh(std::string_view action) {
  const ActionRow* r = ActionOf(action);
  return r ? r->label : "";
}
std::string_view CrimeActionRule(std::string_view action) {
  const ActionRow* r = ActionOf(action);
  return r ? r->rule : "R-CRI-1a";
}
std::string CrimeAuditAction(std::string_view action) {
  std::string a(action);
  std::replace(a.begin(), a.end(), '-', '_');
  return "criminal_transfer." + a;
}

core::Result<const CrimeTransition*> DecideCrimeTransition(std::string_view action, int from,
                                                           const CrimeActor& actor) {
  if (!ActionOf(action) || action == "create") {
    return Status::Invalid("action", "未知操作：" + std::string(action), "R-CRI-1a")
        .En("Unknown action: " + std::string(action));
  }
  return workflow::Decide<CrimeTransition>(kTable, kWording, action, from, actor);
}

}  // namespace xietong::domain
