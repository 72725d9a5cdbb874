#include "domain/complaint.h"

namespace xietong::domain {

namespace {

namespace cs = complaint_state;
using W = ComplaintWho;
using G = ComplaintGuard;
using D = DocKind;
constexpr std::string_view kAll = workflow::kAllDuties;
constexpr std::string_view kReply = kDutyComplaintReply;

constexpr workflow::Named<int> kStates[] = {
    {cs::kRegistered, "registered", "已登记"},   {cs::kInvestigated, "investigated", "已调查核实"},
    {cs::kHandled, "handled", "已处理"},         {cs::kReferred, "referred", "已移送"},
    {cs::kReplied, "replied", "已答复"},         {cs::kClosed, "closed", "已办结（无需答复）"},
};

constexpr workflow::Named<std::string_view> kChannels[] = {
    {"phone", "phone", "电话"},  {"12345", "12345", "12345热线"}, {"visit", "visit", "来访"},
    {"letter", "letter", "来信"}, {"online", "online", "网上投诉"},
};

// ---- THE table ----
// Registration opens the reply duty of the first org (R-SYS-3) and issues the 登记表 (登); the
// reply meets it and issues the 答复意见书 (答). A referral from inside the complaint leaves the
// duty open with the first org: the reply still happens.
constexpr ComplaintTransition kTable[] = {
    {"create", cs::kNew, cs::kRegistered, W::kOwnerStaff, G::kNone,
     {.open = {kReply}, .document = D::kComplaintRegistration}},
    {"investigate", cs::kRegistered, cs::kInvestigated, W::kOwnerStaff, G::kNone},
    {"handle", cs::kInvestigated, cs::kHandled, W::kOwnerStaff, G::kNone},
    {"refer", cs::kRegistered, cs::kReferred, W::kOwnerStaff, G::kNone},
    {"refer", cs::kInvestigated, cs::kReferred, W::kOwnerStaff, G::kNone},
    {"reply", cs::kInvestigated, cs::kReplied, W::kOwnerStaff, G::kNone,
     {.meet = {kReply}, .document = D::kComplaintReply}},
    {"reply", cs::kHandled, cs::kReplied, W::kOwnerStaff, G::kNone,
     {.meet = {kReply}, .document = D::kComplaintReply}},
    {"reply", cs::kReferred, cs::kReplied, W::kOwnerStaff, G::kNone,
     {.meet = {kReply}, .document = D::kComplaintReply}},
    {"close", cs::kInvestigated, cs::kClosed, W::kOwnerStaff, G::kNoOneToReplyTo,
     {.waive = {kAll}}},
    {"close", cs::kHandled, cs::kClosed, W::kOwnerStaff, G::kNoOneToReplyTo, {.waive = {kAll}}},
    {"close", cs::kReferred, cs::kClosed, W::kOwnerStaff, G::kNoOneToReplyTo, {.waive = {kAll}}},
};

struct ActionRow {
  std::string_view action;
  std::string_view label;
};
constexpr ActionRow kActionLabels[] = {
    {"create", "登记投诉举报"}, {"investigate", "调查核实"}, {"handle", "处理"},
    {"refer", "移送有管辖权的单位"}, {"reply", "答复投诉人"}, {"close", "办结（匿名无需答复）"},
};
constexpr std::string_view kActions[] = {"investigate", "handle", "refer", "reply", "close"};

std::string_view ActionZh(std::string_view a) { return ComplaintActionLabelZh(a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view Rule(std::string_view) { return "R-SYS-3"; }
std::string_view StateZh(int s) { return ComplaintStateLabelZh(s); }
std::string_view StateEn(int s) { return ComplaintStateName(s); }

constexpr workflow::Wording<ComplaintTransition> kWording{
    .action_zh = ActionZh,
    .action_en = ActionEn,
    .rule = Rule,
    .state_zh = StateZh,
    .state_en = StateEn,
    .who_zh = ComplaintWhoLabelZh,
    .noun_en = "complaint",
};

}  // namespace

std::span<const workflow::Named<int>> ComplaintStates() { return kStates; }
std::string_view ComplaintStateName(int s) { return workflow::NameOf<int>(kStates, s); }
std::string_view ComplaintStateLabelZh(int s) { return workflow::LabelOf<int>(kStates, s); }
std::optional<int> ParseComplaintState(std::string_view name) {
  return workflow::ParseName<int>(kStates, name);
}

std::span<const workflow::Named<std::string_view>> ComplaintChannels() { return kChannels; }
std::string_view ComplaintChannelLabelZh(std::string_view channel) {
  for (const auto& c : kChannels)
    if (c.name == channel) return c.zh;
  return "";
}
std::string ComplaintChannelNames() {
  std::string out;
  for (const auto& c : kChannels) {
    if (!out.empty()) out += '|';
    out.append(c.name);
  }
  return out;
}

std::string_view ComplaintWhoLabelZh(ComplaintWho w) {
  switch (w) {
    case W::kOwnerStaff: return "首问单位（登记单位）工作人员";
  }
  return "";
}

std::span<const ComplaintTransition> ComplaintTransitions() { return kTable; }
const ComplaintTransition& ComplaintCreateRow() { return kTable[0]; }
const workflow::Wording<ComplaintTransition>& ComplaintWording() { return kWording; }

std::span<const std::string_view> ComplaintActions() { return kActions; }
std::string_view ComplaintActionLabelZh(std::string_view action) {
  for (const auto& r : kActionLabels)
    if (r.action == action) return r.label;
  return "";
}
std::string ComplaintAuditAction(std::string_view action) {
  return "complaint." + std::string(action);
}

core::Result<const ComplaintTransition*> DecideComplaint(std::string_view action, int from,
                                                         const ComplaintActor& actor) {
  bool known = false;
  for (std::string_view a : kActions) known = known || a == action;
  if (!known) {
    return core::Status::Invalid("action", "未知操作：" + std::string(action), "R-SYS-3")
        .En("Unknown action: " + std::string(action));
  }
  return workflow::Decide<ComplaintTransition>(kTable, kWording, action, from, actor);
}

}  // namespace xietong::domain
