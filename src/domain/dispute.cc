#include "domain/dispute.h"

#include <algorithm>
#include <string>

#include "domain/doc_number.h"

namespace xietong::domain {

namespace {

using core::Status;
namespace ds = dispute_state;
using W = DisputeWho;
using G = DisputeGuard;
using D = DocKind;
constexpr std::string_view kAll = workflow::kAllDuties;

constexpr workflow::Named<int> kStates[] = {
    {ds::kNegotiation, "negotiation", "协商中"},
    {ds::kCoordination, "coordination", "协调中"},
    {ds::kDecision, "decision", "待县政府决定"},
    {ds::kSettled, "settled", "已解决"},
};

// ---- THE table ----
// Opening: every party owes joint handling at once (R-DIS-1) and the parties negotiate (R-DIS-2).
// A settling step makes every pending duty moot; a failed step hands the dispute to the next
// level with its own duty. Joint handling is recorded while the dispute runs.
constexpr DisputeTransition kTable[] = {
    {"create", ds::kNew, ds::kNegotiation, W::kOpener, G::kNone,
     {.open = {kDisputeJointHandling, kDisputeNegotiationDuty}}},
    {"joint-handling", ds::kNegotiation, ds::kNegotiation, W::kPartyStaff, G::kNone,
     {.meet_one = {kDisputeJointHandling}}},
    {"joint-handling", ds::kCoordination, ds::kCoordination, W::kPartyStaff, G::kNone,
     {.meet_one = {kDisputeJointHandling}}},
    {"joint-handling", ds::kDecision, ds::kDecision, W::kPartyStaff, G::kNone,
     {.meet_one = {kDisputeJointHandling}}},
    {"negotiation.agreed", ds::kNegotiation, ds::kSettled, W::kPartyStaff, G::kNone,
     {.meet = {kDisputeNegotiationDuty}, .waive = {kAll}, .document = D::kDisputeNegotiation}},
    {"negotiation.failed", ds::kNegotiation, ds::kCoordination, W::kPartyStaff, G::kNone,
     {.meet = {kDisputeNegotiationDuty},
      .open = {kDisputeCoordinationDuty},
      .document = D::kDisputeNegotiation}},
    {"coordination.settled", ds::kCoordination, ds::kSettled, W::kCoordinator, G::kNone,
     {.meet = {kDisputeCoordinationDuty}, .waive = {kAll}, .document = D::kCoordinationDecision}},
    {"coordination.failed", ds::kCoordination, ds::kDecision, W::kCoordinator, G::kNone,
     {.meet = {kDisputeCoordinationDuty},
      .open = {kDisputeDecisionDuty},
      .document = D::kCoordinationDecision}},
    {"decision", ds::kDecision, ds::kSettled, W::kGovernment, G::kNone,
     {.meet = {kDisputeDecisionDuty}, .waive = {kAll}, .document = D::kGovernmentDecision}},
};

struct ActionRow {
  std::string_view action;
  std::string_view label;
  std::string_view rule;
};
constexpr ActionRow kActions[] = {
    {"create", "提出职责争议", "R-DIS-1"},
    {"joint-handling", "记录协同处置", "R-DIS-1"},
    {"negotiation.agreed", "协商一致", "R-DIS-2"},
    {"negotiation.failed", "协商不成", "R-DIS-2"},
    {"coordination.settled", "协调决定", "R-DIS-2"},
    {"coordination.failed", "协调不成，报县人民政府决定", "R-DIS-2"},
    {"decision", "县人民政府决定", "R-DIS-2"},
};
const ActionRow* ActionOf(std::string_view a) {
  for (const auto& r : kActions)
    if (r.action == a) return &r;
  return nullptr;
}

std::string_view ActionEn(std::string_view a) { return a; }

constexpr workflow::Wording<DisputeTransition> kWording{
    .action_zh = DisputeActionLabelZh,
    .action_en = ActionEn,
    .rule = DisputeActionRule,
    .state_zh = DisputeStateLabelZh,
    .state_en = DisputeStateName,
    .who_zh = DisputeWhoLabelZh,
    .noun_en = "dispute",
};

}  // namespace

std::span<const workflow::Named<int>> DisputeStates() { return kStates; }
std::string_view DisputeStateName(int s) { return workflow::NameOf<int>(kStates, s); }
std::string_view DisputeStateLabelZh(int s) { return workflow::LabelOf<int>(kStates, s); }
std::optional<int> ParseDisputeState(std::string_view n) { return workflow::ParseName<int>(kStates, n); }

std::string_view DisputeStepLabelZh(std::string_view step) {
  if (step == "negotiation") return "协商";
  if (step == "coordination") return "协调";
  if (step == "decision") return "决定";
  return "";
}
std::string_view DisputeStepOf(int state) {
  switch (state) {
    case ds::kCoordination: return "coordination";
    case ds::kDecision: return "decision";
    default: return "negotiation";
  }
}

std::string_view DisputeWhoLabelZh(DisputeWho w) {
  switch (w) {
    case W::kOpener: return "乡镇或县直执法部门工作人员";
    case W::kPartyStaff: return "争议当事单位工作人员";
    case W::kCoordinator: return "县委依法治县办";
    case W::kGovernment: return "县人民政府工作人员";
  }
  return "";
}

bool DisputeActor::Is(DisputeWho w) const {
  switch (w) {
    case W::kOpener: return opener;
    case W::kPartyStaff: return party_staff;
    case W::kCoordinator: return coordinator;
    case W::kGovernment: return government;
  }
  return false;
}

std::span<const DisputeTransition> DisputeTransitions() { return kTable; }
const DisputeTransition& DisputeCreateRow() { return kTable[0]; }
const DisputeTransition* FindDisputeTransition(std::string_view action, int from) {
  return workflow::Find<DisputeTransition>(kTable, action, from);
}
const workflow::Wording<DisputeTransition>& DisputeWording() { return kWording; }

std::vector<std::string_view> DisputeActions() {
  std::vector<std::string_view> out;
  for (const auto& r : kTable)
    if (r.from != ds::kNew && std::find(out.begin(), out.end(), r.action) == out.end())
      out.push_back(r.action);
  return out;
}
std::string_view DisputeActionLabelZh(std::string_view action) {
  const ActionRow* r = ActionOf(action);
  return r ? r->label : "";
}
std::string_view DisputeActionRule(std::string_view action) {
  const ActionRow* r = ActionOf(action);
  return r ? r->rule : "R-DIS-2";
}
std::string DisputeAuditAction(std::string_view action) {
  std::string a(action);
  std::replace(a.begin(), a.end(), '-', '_');
  std::replace(a.begin(), a.end(), '.', '_');
  return "dispute." + a;
}

core::Result<const DisputeTransition*> DecideDisputeTransition(std::string_view action, int from,
                                                               const DisputeActor& actor) {
  if (!ActionOf(action) || action == "create") {
    return Status::Invalid("action", "未知操作：" + std::string(action), "R-DIS-2")
        .En("Unknown action: " + std::string(action));
  }
  return workflow::Decide<DisputeTransition>(kTable, kWording, action, from, actor);
}

}  // namespace xietong::domain
