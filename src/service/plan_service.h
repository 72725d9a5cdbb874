// The annual enforcement plan (年度执法计划, SPEC §11 R-PLN-1) and commanded tasks (交办任务,
// R-PLN-2; docs/plan-contract.md): items of CoordType::kAnnualPlan and kPlanTask in coord_items,
// run by the workflow engine (service/workflow/step.h) over the tables of domain/plan.h.
//
//  - R-PLN-1: the coordinator drafts the year's plan (year, title, text, materials); sends the
//    draft to chosen county departments for comments (consult: a plan.comment duty each, 5
//    working days; a department meets its own by commenting); splits it into key tasks (split:
//    owner org, co-owner orgs, due date, measurable output; the whole list each time, before
//    the issue only); issues it (issue: numbered 年度执法计划 计 from the coordinator to every
//    township and county department; pending comment duties are waived; each key task becomes
//    a plan_task item with one plan_task.complete duty on its owner org, due on the task's due
//    date). The plan's view carries its tasks with their state, percent and colour, and the
//    progress by owner org (tasks, done, average percent, overdue = open and red).
//  - R-PLN-2: the coordinator issues an ad hoc task to any org (a plan_task without a plan,
//    numbered 交办任务通知 任, the same duty and reporting).
//  - Progress (both kinds of task): the owner's and co-owners' staff report percent 0–99 with a
//    text and files, any number of times; the owner's staff reports 100 with the outcome, which
//    completes the task and alone meets plan_task.complete. Co-owners may report progress but
//    not completion (the duty is the owner's).
//
// Visibility (R-ACC-1, CoordItemService::CanSee): a plan — the coordinator, the consulted
// departments, and after the issue every township and county department; a task — its owner
// and co-owners; plus whoever SeesAll. Anyone else gets not_found. Each step is one Write
// transaction; a refused step changes nothing. Thread-safe: holds only references.
//
//   PlanService plans(store, clock, duties, calendars);
//   XT_ASSIGN_OR_RETURN(CoordItemView v, plans.CreatePlan(coordinator, PlanCreateInput{…}));
//   XT_ASSIGN_OR_RETURN(v, plans.ActPlan(coordinator, v.item.id, "issue", PlanStepInput{PlanIssueInput{}}));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"
#include "service/calendar_service.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

// POST /api/v1/plans.
struct PlanCreateInput {
  int year = 0;               // this year - 1 .. this year + 1
  std::string title;          // 1..100
  std::string text;           // 1..20000 (paragraphs separated by newlines)
  std::vector<CoordMaterialInput> materials;  // ≤ 50, files uploaded by the coordinator's org
};
// One key task (split) or an ad hoc task.
struct PlanTaskInput {
  std::string title;                  // 1..200
  domain::Id owner_org = 0;           // an active org, not a unit nor the coordinator
  std::vector<domain::Id> co_owner_orgs;  // ≤ 20, distinct, not the owner
  core::CivilDay due_date{};          // after today, at most 366 days ahead
  std::string output;                 // 1..500, the measurable output
};
struct PlanConsultInput {
  std::vector<domain::Id> orgs;  // 1..50 county departments not asked yet
  std::string note;              // 0..500
};
struct PlanCommentInput {
  std::string text;  // 1..5000
};
struct PlanSplitInput {
  std::vector<PlanTaskInput> tasks;  // 1..100
};
struct PlanIssueInput {};
using PlanStepInput = std::variant<PlanConsultInput, PlanCommentInput, PlanSplitInput, PlanIssueInput>;

// POST /api/v1/plan-tasks (R-PLN-2).
struct AdHocTaskInput : PlanTaskInput {
  std::string text;  // 1..5000, the instruction
  std::vector<CoordMaterialInput> materials;
};
// POST /api/v1/plan-tasks/{id}/progress.
struct TaskProgressInput {
  int percent = 0;      // 0..100; 100 completes the task (owner only, with the outcome)
  std::string text;     // 1..5000
  std::string outcome;  // 100 only, 1..5000
  std::vector<CoordMaterialInput> materials;
};

class PlanService {
 public:
  // REQUIRES: every argument outlives the service.
  PlanService(storage::Store& store, const core::Clock& clock, DutyService& duties,
              CalendarService& calendars);

  // Errors: 403 (not the coordinator, R-PLN-1); 400 naming the field. `in` may hold the body's
  // error, reported after the permission check.
  core::Result<CoordItemView> CreatePlan(const Principal& p, const core::Result<PlanCreateInput>& in);
  // "consult" | "comment" | "split" | "issue". Errors: 404; 403; 409 illegal_transition
  // (state), comment_given, no_tasks; 400 naming the field.
  core::Result<CoordItemView> ActPlan(const Principal& p, domain::Id id, std::string_view action,
                                      const core::Result<PlanStepInput>& in);
  core::Result<CoordItemView> GetPlan(const Principal& p, domain::Id id);
  // q.direction (in | all) / state (draft|consulting|issued) / org / q / page; `kind` refused.
  core::Result<CoordItemList> ListPlans(const Principal& p, const CoordQuery& q);
  core::Result<std::string> ExportPlansCsv(const Principal& p, CoordQuery q);

  // R-PLN-2. Errors: 403 (not the coordinator); 400 naming the field.
  core::Result<CoordItemView> CreateTask(const Principal& p, const core::Result<AdHocTaskInput>& in);
  // A progress report (percent < 100: "progress") or the completion (100: "complete").
  core::Result<CoordItemView> ReportProgress(const Principal& p, domain::Id id,
                                             const core::Result<TaskProgressInput>& in);
  core::Result<CoordItemView> GetTask(const Principal& p, domain::Id id);
  // q.direction (in: involving my org) / state (open|done) / kind (plan|ad_hoc) / org / colour
  // / q / page.
  core::Result<CoordItemList> ListTasks(const Principal& p, const CoordQuery& q);
  core::Result<std::string> ExportTasksCsv(const Principal& p, CoordQuery q);

 private:
  struct Workflow;
  struct Steps;
  using Ctx = workflow::Step<Workflow>;
  core::Result<CoordItemList> List(const Principal& p, domain::CoordType t, const CoordQuery& q);
  core::Result<std::vector<CoordItemView>> All(const Principal& p, domain::CoordType t, CoordQuery q);
  core::Result<CoordItemView> Render(storage::Tx& tx, const domain::CoordItem& it, bool detail,
                                     core::Instant now);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
};

}  // namespace xietong::service
