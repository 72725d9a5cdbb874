#include "domain/plan.h"

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
using D = DocKind;
namespace ps = annual_plan_state;
namespace ts = plan_task_state;
constexpr int kNew = kCoordNew;

// ---- annual_plan (R-PLN-1) ----
constexpr workflow::Named<int> kPlanStates[] = {
    {ps::kDraft, "draft", "起草中"},
    {ps::kConsulting, "consulting", "征求意见中"},
    {ps::kIssued, "issued", "已印发"},
};
constexpr workflow::Named<std::string_view> kPlanActions[] = {
    {"create", "create", "起草年度执法计划"},
    {"consult", "consult", "征求部门意见"},
    {"comment", "comment", "提出意见"},
    {"split", "split", "分解重点任务"},
    {"issue", "issue", "印发年度执法计划"},
};
constexpr workflow::Effects kIssue{.waive = {kPlanCommentDuty},
                                   .open = {kPlanTaskCompleteDuty},
                                   .document = D::kAnnualPlan};
constexpr CoordTransition kPlanRows[] = {
    {"create", kNew, ps::kDraft, W::kCoordinator, G::kNone},
    {"consult", ps::kDraft, ps::kConsulting, W::kCoordinator, G::kNone,
     {.open = {kPlanCommentDuty}}},
    // More departments may be asked while comments come in.
    {"consult", ps::kConsulting, ps::kConsulting, W::kCoordinator, G::kNone,
     {.open = {kPlanCommentDuty}}},
    {"comment", ps::kConsulting, ps::kConsulting, W::kInviteeStaff, G::kNone,
     {.meet_one = {kPlanCommentDuty}}},
    {"split", ps::kDraft, ps::kDraft, W::kCoordinator, G::kNone},
    {"split", ps::kConsulting, ps::kConsulting, W::kCoordinator, G::kNone},
    {"issue", ps::kDraft, ps::kIssued, W::kCoordinator, G::kNone, kIssue},
    {"issue", ps::kConsulting, ps::kIssued, W::kCoordinator, G::kNone, kIssue},
};

std::string_view PlanActionZh(std::string_view a) { return ItemActionLabel(AnnualPlanTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view PlanRule(std::string_view) { return "R-PLN-1"; }
std::string_view PlanStateZh(int s) { return ItemStateLabel(AnnualPlanTable(), s); }
std::string_view PlanStateEn(int s) { return ItemStateName(AnnualPlanTable(), s); }
std::string_view PlanWhoZh(CoordWho w) {
  return w == W::kInviteeStaff ? "被征求意见的部门工作人员" : CoordWhoLabelZh(w);
}
constexpr workflow::Wording<CoordTransition> kPlanWording{
    .action_zh = PlanActionZh, .action_en = ActionEn, .rule = PlanRule, .state_zh = PlanStateZh,
    .state_en = PlanStateEn, .who_zh = PlanWhoZh, .noun_en = "annual plan"};
constexpr ItemTable kPlanTable{CoordType::kAnnualPlan, kPlanStates, kPlanActions, kPlanRows,
                               kPlanWording};

// ---- plan_task (R-PLN-1, R-PLN-2) ----
constexpr workflow::Named<int> kTaskStates[] = {
    {ts::kOpen, "open", "推进中"},
    {ts::kDone, "done", "已完成"},
};
constexpr workflow::Named<std::string_view> kTaskActions[] = {
    {"create", "create", "交办任务"},
    {"progress", "progress", "报告进展"},
    {"complete", "complete", "报告完成"},
};
constexpr CoordTransition kTaskRows[] = {
    {"create", kNew, ts::kOpen, W::kCoordinator, G::kNone,
     {.open = {kPlanTaskCompleteDuty}, .document = D::kTaskOrder}},
    // The owner and the co-owners report progress; only the owner completes the task.
    {"progress", ts::kOpen, ts::kOpen, W::kInvolvedStaff, G::kNone},
    {"complete", ts::kOpen, ts::kDone, W::kToStaff, G::kNone, {.meet = {kPlanTaskCompleteDuty}}},
};

std::string_view TaskActionZh(std::string_view a) { return ItemActionLabel(PlanTaskTable(), a); }
std::string_view TaskRule(std::string_view a) { return a == "create" ? "R-PLN-2" : "R-PLN-1"; }
std::string_view TaskStateZh(int s) { return ItemStateLabel(PlanTaskTable(), s); }
std::string_view TaskStateEn(int s) { return ItemStateName(PlanTaskTable(), s); }
std::string_view TaskWhoZh(CoordWho w) {
  switch (w) {
    case W::kToStaff: return "牵头单位工作人员";
    case W::kInvolvedStaff: return "牵头或配合单位工作人员";
    default: return CoordWhoLabelZh(w);
  }
}
constexpr workflow::Wording<CoordTransition> kTaskWording{
    .action_zh = TaskActionZh, .action_en = ActionEn, .rule = TaskRule, .state_zh = TaskStateZh,
    .state_en = TaskStateEn, .who_zh = TaskWhoZh, .noun_en = "task"};
constexpr ItemTable kTaskTable{CoordType::kPlanTask, kTaskStates, kTaskActions, kTaskRows,
                               kTaskWording};
}  // namespace

const ItemTable& AnnualPlanTable() { return kPlanTable; }
const ItemTable& PlanTaskTable() { return kTaskTable; }

}  // namespace xietong::domain
