#include "domain/court_enforcement.h"

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
using Fx = workflow::Effects;
using D = DocKind;
namespace cs = court_enforcement_state;
constexpr int kNew = kCoordNew;
constexpr std::string_view kAll = workflow::kAllDuties;

constexpr workflow::Named<int> kStates[] = {
    {cs::kSelfEnforced, "self_enforced", "已自行强制执行"},
    {cs::kApplied, "applied", "已申请法院强制执行"},
    {cs::kAccepted, "accepted", "法院已受理"},
    {cs::kNotAccepted, "not_accepted", "法院不予受理"},
    {cs::kGranted, "granted", "裁定准予执行"},
    {cs::kDenied, "denied", "裁定不准予执行"},
    {cs::kExecuted, "executed", "已执行"},
    {cs::kWithdrawn, "withdrawn", "已撤回申请"},
};
constexpr workflow::Named<std::string_view> kActions[] = {
    {"create", "create", "申请法院强制执行"},
    {"create.self", "create.self", "记录自行强制执行"},
    {"accept", "accept", "受理强制执行申请"},
    {"reject", "reject", "不予受理"},
    {"ruling.granted", "ruling.granted", "裁定准予执行"},
    {"ruling.denied", "ruling.denied", "裁定不准予执行"},
    {"execution", "execution", "记录执行结果"},
    {"withdraw", "withdraw", "撤回申请"},
};
constexpr Fx kRuling{.meet = {kCourtRulingDuty}};
constexpr CoordTransition kRows[] = {
    {"create", kNew, cs::kApplied, W::kFromStaff, G::kNone,
     {.open = {kCourtAcceptDuty}, .document = D::kCourtEnforcementApplication}},
    {"create.self", kNew, cs::kSelfEnforced, W::kFromStaff, G::kNone},
    {"accept", cs::kApplied, cs::kAccepted, W::kToStaff, G::kNone,
     {.meet = {kCourtAcceptDuty}, .open = {kCourtRulingDuty}}},
    {"reject", cs::kApplied, cs::kNotAccepted, W::kToStaff, G::kNone,
     {.meet = {kCourtAcceptDuty}}},
    {"ruling.granted", cs::kAccepted, cs::kGranted, W::kToStaff, G::kNone, kRuling},
    {"ruling.denied", cs::kAccepted, cs::kDenied, W::kToStaff, G::kNone, kRuling},
    // The court executes, or the applicant records the execution it carried out under the ruling.
    {"execution", cs::kGranted, cs::kExecuted, W::kInvolvedStaff, G::kNone},
    {"withdraw", cs::kApplied, cs::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"withdraw", cs::kAccepted, cs::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
};

std::string_view ActionZh(std::string_view a) { return ItemActionLabel(CourtEnforcementTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view Rule(std::string_view) { return "R-CRI-3"; }
std::string_view StateZh(int s) { return ItemStateLabel(CourtEnforcementTable(), s); }
std::string_view StateEn(int s) { return ItemStateName(CourtEnforcementTable(), s); }
constexpr workflow::Wording<CoordTransition> kWording{
    .action_zh = ActionZh, .action_en = ActionEn, .rule = Rule, .state_zh = StateZh,
    .state_en = StateEn, .who_zh = CoordWhoLabelZh, .noun_en = "court enforcement application"};
constexpr ItemTable kTable{CoordType::kCourtEnforcement, kStates, kActions, kRows, kWording};
}  // namespace

const ItemTable& CourtEnforcementTable() { return kTable; }

std::string_view ItemStateName(const ItemTable& t, int state) {
  return workflow::NameOf(t.states, state);
}
std::string_view ItemStateLabel(const ItemTable& t, int state) {
  return workflow::LabelOf(t.states, state);
}
std::optional<int> ParseItemState(const ItemTable& t, std::string_view name) {
  return workflow::ParseName(t.states, name);
}
std::string_view ItemActionLabel(const ItemTable& t, std::string_view action) {
  for (const auto& a : t.actions)
    if (a.value == action) return a.zh;
  return "";
}
const CoordTransition* ItemCreateRow(const ItemTable& t, std::string_view action) {
  if (!action.starts_with("create")) return nullptr;
  return workflow::Find<CoordTransition>(t.rows, action, kCoordNew);
}
core::Result<const CoordTransition*> DecideItem(const ItemTable& t, std::string_view action,
                                                int from, const CoordActor& actor) {
  if (ItemActionLabel(t, action).empty() || action.starts_with("create")) {
    return core::Status::Invalid("action", "未知操作：" + std::string(action),
                                 std::string(CoordTypeRule(t.type)))
        .En("Unknown action: " + std::string(action));
  }
  return workflow::Decide<CoordTransition>(t.rows, t.wording, action, from, actor);
}

}  // namespace xietong::domain
