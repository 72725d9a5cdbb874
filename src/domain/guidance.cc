#include "domain/guidance.h"

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
using D = DocKind;
constexpr int kNew = kCoordNew;
constexpr std::string_view kAll = workflow::kAllDuties;

std::string_view ActionEn(std::string_view a) { return a; }

// ---- R-GUI-1 guidance requests ----
namespace gs = guidance_state;
constexpr workflow::Named<int> kGuidanceStates[] = {
    {gs::kRequested, "requested", "待答复"},
    {gs::kScheduled, "scheduled", "已安排"},
    {gs::kDone, "done", "已完成"},
    {gs::kDeclined, "declined", "不予安排"},
    {gs::kWithdrawn, "withdrawn", "已撤回"},
};
constexpr workflow::Named<std::string_view> kGuidanceActions[] = {
    {"create", "create", "申请业务指导"},
    {"schedule", "schedule", "安排业务指导"},
    {"decline", "decline", "不予安排"},
    {"record", "record", "记录指导情况"},
    {"withdraw", "withdraw", "撤回指导申请"},
};
// Declining answers the request: it meets the duty to respond (R-GUI-1), with its reason.
constexpr CoordTransition kGuidanceRows[] = {
    {"create", kNew, gs::kRequested, W::kFromStaff, G::kNone, {.open = {kGuidanceRespondDuty}}},
    {"schedule", gs::kRequested, gs::kScheduled, W::kToStaff, G::kNone,
     {.meet = {kGuidanceRespondDuty}, .document = D::kGuidanceArrangement}},
    {"decline", gs::kRequested, gs::kDeclined, W::kToStaff, G::kNone,
     {.meet = {kGuidanceRespondDuty}}},
    {"record", gs::kScheduled, gs::kDone, W::kToStaff, G::kNone},
    {"withdraw", gs::kRequested, gs::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
};
std::string_view GuidanceActionZh(std::string_view a) { return ItemActionLabel(GuidanceRequestTable(), a); }
std::string_view GuidanceRule(std::string_view) { return "R-GUI-1"; }
std::string_view GuidanceStateZh(int s) { return ItemStateLabel(GuidanceRequestTable(), s); }
std::string_view GuidanceStateEn(int s) { return ItemStateName(GuidanceRequestTable(), s); }
constexpr workflow::Wording<CoordTransition> kGuidanceWording{
    .action_zh = GuidanceActionZh, .action_en = ActionEn, .rule = GuidanceRule,
    .state_zh = GuidanceStateZh, .state_en = GuidanceStateEn, .who_zh = CoordWhoLabelZh,
    .noun_en = "guidance request"};
constexpr ItemTable kGuidanceTable{CoordType::kGuidanceRequest, kGuidanceStates, kGuidanceActions,
                                   kGuidanceRows, kGuidanceWording};

// ---- R-GUI-2 trainings ----
namespace ts = training_state;
constexpr workflow::Named<int> kTrainingStates[] = {
    {ts::kPlanned, "planned", "待结束"},
    {ts::kClosed, "closed", "已结束"},
    {ts::kCancelled, "cancelled", "已取消"},
};
constexpr workflow::Named<std::string_view> kTrainingActions[] = {
    {"create", "create", "登记业务培训"},
    {"attendance", "attendance", "登记出勤"},
    {"close", "close", "结束培训"},
    {"cancel", "cancel", "取消培训"},
};
constexpr CoordTransition kTrainingRows[] = {
    {"create", kNew, ts::kPlanned, W::kFromStaff, G::kNone},
    {"attendance", ts::kPlanned, ts::kPlanned, W::kFromStaff, G::kNone},
    {"close", ts::kPlanned, ts::kClosed, W::kFromStaff, G::kNone,
     {.document = D::kTrainingRecord}},
    {"cancel", ts::kPlanned, ts::kCancelled, W::kFromStaff, G::kNone},
};
std::string_view TrainingActionZh(std::string_view a) { return ItemActionLabel(TrainingTable(), a); }
std::string_view TrainingRule(std::string_view) { return "R-GUI-2"; }
std::string_view TrainingStateZh(int s) { return ItemStateLabel(TrainingTable(), s); }
std::string_view TrainingStateEn(int s) { return ItemStateName(TrainingTable(), s); }
constexpr workflow::Wording<CoordTransition> kTrainingWording{
    .action_zh = TrainingActionZh, .action_en = ActionEn, .rule = TrainingRule,
    .state_zh = TrainingStateZh, .state_en = TrainingStateEn, .who_zh = CoordWhoLabelZh,
    .noun_en = "training"};
constexpr ItemTable kTrainingTable{CoordType::kTraining, kTrainingStates, kTrainingActions,
                                   kTrainingRows, kTrainingWording};

// ---- R-GUI-3 technical support ----
namespace ss = tech_support_state;
constexpr workflow::Named<int> kSupportStates[] = {
    {ss::kRequested, "requested", "待答复"},
    {ss::kAnswered, "answered", "已答复"},
    {ss::kRecorded, "recorded", "已登记"},
    {ss::kWithdrawn, "withdrawn", "已撤回"},
};
constexpr workflow::Named<std::string_view> kSupportActions[] = {
    {"create", "create", "申请技术支持"},
    {"create.procurement", "create.procurement", "登记委托检测"},
    {"answer", "answer", "答复技术支持"},
    {"withdraw", "withdraw", "撤回技术支持申请"},
};
constexpr CoordTransition kSupportRows[] = {
    {"create", kNew, ss::kRequested, W::kFromStaff, G::kNone, {.open = {kTechSupportAnswerDuty}}},
    {"create.procurement", kNew, ss::kRecorded, W::kFromStaff, G::kNone},
    {"answer", ss::kRequested, ss::kAnswered, W::kToStaff, G::kNone,
     {.meet = {kTechSupportAnswerDuty}, .document = D::kTechSupportAnswer}},
    {"withdraw", ss::kRequested, ss::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
};
std::string_view SupportActionZh(std::string_view a) { return ItemActionLabel(TechSupportTable(), a); }
std::string_view SupportRule(std::string_view) { return "R-GUI-3"; }
std::string_view SupportStateZh(int s) { return ItemStateLabel(TechSupportTable(), s); }
std::string_view SupportStateEn(int s) { return ItemStateName(TechSupportTable(), s); }
constexpr workflow::Wording<CoordTransition> kSupportWording{
    .action_zh = SupportActionZh, .action_en = ActionEn, .rule = SupportRule,
    .state_zh = SupportStateZh, .state_en = SupportStateEn, .who_zh = CoordWhoLabelZh,
    .noun_en = "technical support request"};
constexpr ItemTable kSupportTable{CoordType::kTechSupport, kSupportStates, kSupportActions,
                                  kSupportRows, kSupportWording};

constexpr GuidanceOption kKinds[] = {
    {"onsite", "现场指导"}, {"seminar", "业务研讨"}, {"consultation", "咨询"}};
constexpr GuidanceOption kModes[] = {
    {"stationed", "驻点"}, {"training", "培训"}, {"dispatch", "派员"}};
}  // namespace

const ItemTable& GuidanceRequestTable() { return kGuidanceTable; }
const ItemTable& TrainingTable() { return kTrainingTable; }
const ItemTable& TechSupportTable() { return kSupportTable; }

std::span<const GuidanceOption> GuidanceKinds() { return kKinds; }
std::span<const GuidanceOption> TechSupportModes() { return kModes; }
std::string_view GuidanceOptionLabel(std::span<const GuidanceOption> options,
                                     std::string_view name) {
  for (const auto& o : options)
    if (o.name == name) return o.label_zh;
  return "";
}

TrainingColour TrainingYearColour(int held, int minimum, int year, int today_year, int today_month,
                                  int today_day) {
  if (held >= minimum) return TrainingColour::kGreen;
  if (today_year > year) return TrainingColour::kRed;
  if (today_year < year || today_month < 12) return TrainingColour::kNone;
  return today_day >= 31 ? TrainingColour::kRed : TrainingColour::kYellow;
}
std::string_view TrainingColourName(TrainingColour c) {
  switch (c) {
    case TrainingColour::kGreen: return "green";
    case TrainingColour::kYellow: return "yellow";
    case TrainingColour::kRed: return "red";
    case TrainingColour::kNone: break;
  }
  return "";
}

}  // namespace xietong::domain
