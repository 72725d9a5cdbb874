#include "domain/urging.h"

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
namespace us = urging_state;
constexpr int kNew = kCoordNew;

constexpr workflow::Named<int> kStates[] = {
    {us::kOpen, "open", "待答复"},
    {us::kAnswered, "answered", "已答复"},
};
constexpr workflow::Named<std::string_view> kActions[] = {
    {"create", "create", "督办"},
    {"answer", "answer", "答复督办"},
};
constexpr CoordTransition kRows[] = {
    {"create", kNew, us::kOpen, W::kCoordinator, G::kNone,
     {.open = {kUrgingAnswerDuty}, .document = DocKind::kUrgingNotice}},
    {"answer", us::kOpen, us::kAnswered, W::kToStaff, G::kNone, {.meet = {kUrgingAnswerDuty}}},
};

std::string_view ActionZh(std::string_view a) { return ItemActionLabel(UrgingTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view Rule(std::string_view) { return "R-PLN-2"; }
std::string_view StateZh(int s) { return ItemStateLabel(UrgingTable(), s); }
std::string_view StateEn(int s) { return ItemStateName(UrgingTable(), s); }
constexpr workflow::Wording<CoordTransition> kWording{
    .action_zh = ActionZh, .action_en = ActionEn, .rule = Rule, .state_zh = StateZh,
    .state_en = StateEn, .who_zh = CoordWhoLabelZh, .noun_en = "urging"};
constexpr ItemTable kTable{CoordType::kUrging, kStates, kActions, kRows, kWording};
}  // namespace

const ItemTable& UrgingTable() { return kTable; }

}  // namespace xietong::domain
