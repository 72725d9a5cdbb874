// Demo examples of the annual enforcement plan (R-PLN-1) and commanded tasks (R-PLN-2), through
// PlanService's real steps: this year's plan, drafted, commented on by a department and issued
// 40 days ago with four key tasks — one at 60 %, one overdue (red), one done — and an ad hoc task
// the coordinator issued today. The plan's steps run on a clock set 40 days back (when it was
// issued); the reports on the real clock.
#include <chrono>

#include "cli/demo_workflows.h"
#include "core/clock.h"
#include "domain/doc_number.h"
#include "service/plan_service.h"

namespace xietong::cli {

core::Status DemoPlan(const DemoEnv& env) {
  using std::chrono::days;
  const core::Instant now = env.clock.Now();
  const core::Instant issued_at = now - days(40);
  core::FakeClock then(issued_at);
  service::PlanService past(env.store, then, env.duties, env.calendar);
  service::PlanService plans(env.store, env.clock, env.duties, env.calendar);
  auto org = [&](const char* code) { return env.dir.orgs.at(code).id; };
  XT_ASSIGN_OR_RETURN(service::Principal coord, env.As("coordinator.staff"));
  XT_ASSIGN_OR_RETURN(service::Principal scjg, env.As("scjg.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal zrzy, env.As("zrzy.officer"));
  const core::CivilDay issue_day = core::ShanghaiDay(issued_at);
  const int year = domain::ShanghaiYear(now);

  service::PlanCreateInput draft;
  draft.year = year;
  draft.title = "【演示】" + std::to_string(year) + "年度综合行政执法工作计划";
  draft.text =
      "一、总体要求\n坚持严格规范公正文明执法，推进乡镇综合行政执法与县直部门执法协作规范化。\n"
      "二、重点任务\n按附表分工落实，牵头单位按月报告进展。\n三、保障措施\n县委依法治县办统筹调度，纳入法治政府建设考核。";
  XT_ASSIGN_OR_RETURN(service::CoordItemView p, past.CreatePlan(coord, draft));
  const domain::Id id = p.item.id;
  XT_RETURN_IF_ERROR(past.ActPlan(coord, id, "consult",
                                  service::PlanStepInput(service::PlanConsultInput{{org("scjg"), org("zrzy")}, "请于5个工作日内反馈意见"}))
                         .status());
  XT_RETURN_IF_ERROR(past.ActPlan(scjg, id, "comment",
                                  service::PlanStepInput(service::PlanCommentInput{"建议将校园周边食品安全专项检查列为重点任务"}))
                         .status());
  auto task = [&](const char* title, const char* owner, std::vector<domain::Id> co, int due_in, const char* output) {
    service::PlanTaskInput t;
    t.title = title;
    t.owner_org = org(owner);
    t.co_owner_orgs = std::move(co);
    t.due_date = issue_day + days(due_in);
    t.output = output;
    return t;
  };
  service::PlanSplitInput split;
  split.tasks = {
      task("开展校园周边食品安全专项检查", "scjg", {org("xincheng")}, 100, "检查学校周边经营户不少于100户，形成检查报告"),
      task("整治河道非法采砂", "zrzy", {org("swj"), org("liuzu")}, 20, "查处案件台账及整治总结"),  // overdue
      task("乡镇执法案卷评查", "xincheng", {}, 120, "评查案卷30宗并通报结果"),
      task("规范乡镇综合行政执法证件管理", "liuzu", {}, 30, "完成执法证件清理换发"),
  };
  XT_RETURN_IF_ERROR(past.ActPlan(coord, id, "split", service::PlanStepInput(split)).status());
  XT_ASSIGN_OR_RETURN(p, past.ActPlan(coord, id, "issue", service::PlanStepInput(service::PlanIssueInput{})));
  const auto& tasks = p.fields.at("tasks").as_array();
  auto task_id = [&](size_t i) { return tasks[i].as_object().at("task_id").as_int64(); };
  XT_RETURN_IF_ERROR(plans.ReportProgress(scjg, task_id(0),
                                          service::TaskProgressInput{60, "已检查学校周边经营户62户，发现问题12个，已督促整改", "", {}})
                         .status());
  XT_RETURN_IF_ERROR(plans.ReportProgress(zrzy, task_id(1),
                                          service::TaskProgressInput{30, "已完成重点河段摸排，立案2宗", "", {}})
                         .status());
  XT_ASSIGN_OR_RETURN(service::Principal liuzu, env.As("liuzu.officer"));
  XT_RETURN_IF_ERROR(plans.ReportProgress(liuzu, task_id(3),
                                          service::TaskProgressInput{100, "证件清理换发完毕", "清理执法证件46本，换发41本", {}})
                         .status());

  // R-PLN-2: an ad hoc task from the 指挥 page.
  service::AdHocTaskInput adhoc;
  adhoc.title = "【演示】核查群众反映的夜间施工噪声扰民问题";
  adhoc.owner_org = org("dongcheng");
  adhoc.co_owner_orgs = {org("zjj")};
  adhoc.due_date = core::ShanghaiDay(now) + days(10);
  adhoc.output = "核查处理情况报告";
  adhoc.text = "据12345热线转办，东成镇某工地夜间施工噪声扰民，请会同县住建局核查并依法处理。";
  XT_RETURN_IF_ERROR(plans.CreateTask(coord, adhoc).status());
  return core::Status::Ok();
}

}  // namespace xietong::cli
