#include "domain/police_support.h"

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
using Fx = workflow::Effects;
namespace ps = police_support_state;
constexpr int kNew = kCoordNew;
constexpr std::string_view kAll = workflow::kAllDuties;

constexpr workflow::Named<int> kStates[] = {
    {ps::kRequested, "requested", "已提请协助"},
    {ps::kAssisting, "assisting", "公安同意派警"},
    {ps::kDeclined, "declined", "公安不予协助"},
    {ps::kDone, "done", "行动已结束"},
    {ps::kHandedOver, "handed_over", "已移交公安处理"},
    {ps::kHandled, "handled", "公安已处理"},
    {ps::kCancelled, "cancelled", "已取消"},
};
constexpr workflow::Named<std::string_view> kActions[] = {
    {"create", "create", "提请公安机关协助"},
    {"answer.assist", "answer.assist", "答复：派警协助"},
    {"answer.decline", "answer.decline", "答复：不予协助"},
    {"outcome", "outcome", "记录行动结果"},
    {"hand-over", "hand-over", "移交阻碍执法情况"},
    {"handle", "handle", "记录处理情况"},
    {"cancel", "cancel", "取消协助请求"},
};
constexpr Fx kAnswer{.meet = {kPoliceAnswerDuty}};
constexpr CoordTransition kRows[] = {
    {"create", kNew, ps::kRequested, W::kFromStaff, G::kNone,
     {.open = {kPoliceAnswerDuty}, .document = DocKind::kPoliceSupportRequest}},
    {"answer.assist", ps::kRequested, ps::kAssisting, W::kToStaff, G::kNone, kAnswer},
    {"answer.decline", ps::kRequested, ps::kDeclined, W::kToStaff, G::kNone, kAnswer},
    {"outcome", ps::kAssisting, ps::kDone, W::kFromStaff, G::kNone},
    {"outcome", ps::kDeclined, ps::kDone, W::kFromStaff, G::kNone},
    {"hand-over", ps::kDone, ps::kHandedOver, W::kFromStaff, G::kNone,
     {.open = {kPoliceHandoverDuty}}},
    {"handle", ps::kHandedOver, ps::kHandled, W::kToStaff, G::kNone,
     {.meet = {kPoliceHandoverDuty}}},
    {"cancel", ps::kRequested, ps::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
    {"cancel", ps::kAssisting, ps::kCancelled, W::kFromStaff, G::kNone, {.waive = {kAll}}},
};

constexpr PoliceDisposition kDispositions[] = {
    {"criminal_case", "刑事立案"},
    {"public_security_penalty", "治安管理处罚"},
    {"other", "其他处理"},
};

std::string_view ActionZh(std::string_view a) { return ItemActionLabel(PoliceSupportTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view Rule(std::string_view) { return "R-CRI-4"; }
std::string_view StateZh(int s) { return ItemStateLabel(PoliceSupportTable(), s); }
std::string_view StateEn(int s) { return ItemStateName(PoliceSupportTable(), s); }
constexpr workflow::Wording<CoordTransition> kWording{
    .action_zh = ActionZh, .action_en = ActionEn, .rule = Rule, .state_zh = StateZh,
    .state_en = StateEn, .who_zh = CoordWhoLabelZh, .noun_en = "police support request"};
constexpr ItemTable kTable{CoordType::kPoliceSupport, kStates, kActions, kRows, kWording};
}  // namespace

const ItemTable& PoliceSupportTable() { return kTable; }
std::span<const PoliceDisposition> PoliceDispositions() { return kDispositions; }
std::string_view PoliceDispositionLabel(std::string_view name) {
  for (const auto& d : kDispositions)
    if (d.name == name) return d.label_zh;
  return "";
}

}  // namespace xietong::domain
