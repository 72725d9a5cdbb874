// The annual enforcement plan (年度执法计划, SPEC §11 R-PLN-1) and the tasks the coordinator
// commands (交办任务, R-PLN-2): two workflows stored as coordination items (types kAnnualPlan,
// kPlanTask), each with its OWN transition table read by the generic decider (domain/workflow.h;
// the vocabulary is domain/court_enforcement.h ItemTable). Pure value types; thread-safe.
//
//  - annual_plan: the coordinator drafts it (create), sends the draft to chosen county departments
//    for comments (consult: one plan.comment duty each, met by that department's comment), splits
//    it into key tasks (split: owner org, co-owner orgs, due date, measurable output) and issues
//    it (issue: numbered 年度执法计划 计, to every township and county department; pending comment
//    duties become moot; one plan_task item per task, each with a plan_task.complete duty on its
//    owner org due on the task's due date).
//  - plan_task: a key task of an issued plan, or an ad hoc task the coordinator issues to any org
//    (create: numbered 交办任务通知 任, R-PLN-2). The owner's and co-owners' staff report progress
//    (progress: 0–99 %); only the owner's staff completes it (complete: 100 % with the outcome),
//    which alone meets plan_task.complete.
//
//   XT_ASSIGN_OR_RETURN(const CoordTransition* row,
//                       DecideItem(PlanTaskTable(), "complete", plan_task_state::kOpen, actor));
#pragma once

#include <string_view>

#include "domain/court_enforcement.h"

namespace xietong::domain {

namespace annual_plan_state {
inline constexpr int kDraft = 1,  // 起草中
    kConsulting = 2,              // 征求意见中
    kIssued = 3;                  // 已印发
}
namespace plan_task_state {
inline constexpr int kOpen = 1,  // 推进中
    kDone = 2;                   // 已完成
}

// Duty kinds (domain/duty.cc).
inline constexpr std::string_view kPlanCommentDuty = "plan.comment";             // R-PLN-1
inline constexpr std::string_view kPlanTaskCompleteDuty = "plan_task.complete";  // R-PLN-1/2

// THE tables. annual_plan: create; consult; comment; split; issue.
const ItemTable& AnnualPlanTable();
// plan_task: create (ad hoc, R-PLN-2); progress; complete. Tasks of a plan are created by the
// plan's issue step (their duty is opened by that step).
const ItemTable& PlanTaskTable();

}  // namespace xietong::domain
