// The annual enforcement plan (R-PLN-1) and commanded tasks (R-PLN-2): list (+ CSV), create,
// detail and steps of docs/plan-contract.md. Thin: read the JSON body into the typed input
// (service/plan_service.h), call PlanService once, render its view (http/views/plan.h). Every
// body error names the field and the rule; unknown fields are refused. A body that cannot be
// read reaches the service as its error, reported after access and state are checked.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/referral.h"
#include "http/api_common.h"
#include "http/api_items.h"
#include "http/json_io.h"
#include "http/views/plan.h"
#include "service/plan_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;

Status WithRule(const Status& st, const char* rule, const std::string& prefix = "") {
  Status out(st.code(), st.id(), st.message(), prefix + st.field(), rule);
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

// "materials": up to 50 {"name" 1..100, "description" 0..500, "file" sha256 or ""}.
Result<std::vector<service::CoordMaterialInput>> Materials(const json::object& body, const char* rule) {
  std::vector<service::CoordMaterialInput> out;
  const json::value* v = body.if_contains("materials");
  if (!v || v->is_null()) return out;
  if (!v->is_array() || v->as_array().size() > 50) {
    return Status::Invalid("materials", "materials 应为至多50项的数组", rule, "invalid_value")
        .En("materials must be an array of at most 50");
  }
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const std::string base = "materials[" + std::to_string(i) + "]";
    const json::value& m = v->as_array()[i];
    if (!m.is_object()) return Status::Invalid(base, "材料应为对象", rule, "invalid_type").En(base + " must be an object");
    FieldReader r(m.as_object());
    service::CoordMaterialInput in;
    in.name = r.RequiredString("name", 100);
    in.description = r.OptionalString("description", 500).value_or("");
    in.file = r.OptionalString("file", 64).value_or("");
    if (Status st = r.Finish(); !st.ok()) return WithRule(st, rule, base + ".");
    out.push_back(std::move(in));
  }
  return out;
}

// title, owner_org, co_owner_orgs, due_date, output (a key task or an ad hoc task).
void ReadTask(FieldReader& r, service::PlanTaskInput& in, Status& err, const std::string& prefix,
              const char* rule) {
  in.title = r.RequiredString("title", 200);
  in.owner_org = r.Required<int64_t>("owner_org");
  in.co_owner_orgs = r.Optional<std::vector<int64_t>>("co_owner_orgs").value_or(std::vector<int64_t>{});
  const std::string due = r.RequiredString("due_date", 10);
  in.output = r.RequiredString("output", 500);
  if (in.co_owner_orgs.size() > 20 && err.ok()) {
    err = Status::Invalid(prefix + "co_owner_orgs", "配合单位不超过20个", rule, "invalid_value")
              .En("co_owner_orgs: at most 20");
  }
  if (!due.empty()) {
    if (auto d = core::ParseDay(due)) {
      in.due_date = *d;
    } else if (err.ok()) {
      err = Status::Invalid(prefix + "due_date", "due_date 应为日期，如 2026-11-25", rule, "invalid_value")
                .En("due_date must be a date such as 2026-11-25");
    }
  }
}

Result<service::PlanCreateInput> CreatePlanInput(const json::object& body) {
  FieldReader r(body);
  service::PlanCreateInput in;
  in.year = r.Required<int>("year");
  in.title = r.RequiredString("title", 100);
  in.text = r.RequiredString("text", 20000);
  r.Skip("materials");
  if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-1");
  XT_ASSIGN_OR_RETURN(in.materials, Materials(body, "R-PLN-1"));
  return in;
}

Result<service::AdHocTaskInput> CreateTaskInput(const json::object& body) {
  FieldReader r(body);
  service::AdHocTaskInput in;
  Status err;
  ReadTask(r, in, err, "", "R-PLN-2");
  in.text = r.RequiredString("text", 5000);
  r.Skip("materials");
  if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-2");
  XT_RETURN_IF_ERROR(err);
  XT_ASSIGN_OR_RETURN(in.materials, Materials(body, "R-PLN-2"));
  return in;
}

Result<service::PlanStepInput> StepInput(const std::string& action, const json::object& body) {
  FieldReader r(body);
  if (action == "consult") {
    service::PlanConsultInput in;
    in.orgs = r.Required<std::vector<int64_t>>("orgs");
    in.note = r.OptionalString("note", 500).value_or("");
    if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-1");
    if (in.orgs.empty() || in.orgs.size() > 50) {
      return Status::Invalid("orgs", "orgs 应为1至50个部门", "R-PLN-1", "invalid_value").En("orgs: 1 to 50 departments");
    }
    return service::PlanStepInput(std::move(in));
  }
  if (action == "comment") {
    service::PlanCommentInput in{r.RequiredString("text", 5000)};
    if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-1");
    return service::PlanStepInput(std::move(in));
  }
  if (action == "split") {
    json::array tasks = r.Required<json::array>("tasks");
    if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-1");
    if (tasks.empty() || tasks.size() > 100) {
      return Status::Invalid("tasks", "tasks 应为1至100项", "R-PLN-1", "invalid_value").En("tasks: 1 to 100");
    }
    service::PlanSplitInput in;
    for (size_t i = 0; i < tasks.size(); ++i) {
      const std::string base = "tasks[" + std::to_string(i) + "].";
      if (!tasks[i].is_object()) {
        return Status::Invalid("tasks[" + std::to_string(i) + "]", "任务应为对象", "R-PLN-1", "invalid_type")
            .En("a task must be an object");
      }
      FieldReader t(tasks[i].as_object());
      service::PlanTaskInput task;
      Status err;
      ReadTask(t, task, err, base, "R-PLN-1");
      if (Status st = t.Finish(); !st.ok()) return WithRule(st, "R-PLN-1", base);
      XT_RETURN_IF_ERROR(err);
      in.tasks.push_back(std::move(task));
    }
    return service::PlanStepInput(std::move(in));
  }
  if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-1");
  return service::PlanStepInput(service::PlanIssueInput{});
}

Result<service::TaskProgressInput> ProgressInput(const json::object& body) {
  FieldReader r(body);
  service::TaskProgressInput in;
  in.percent = r.Required<int>("percent");
  in.text = r.RequiredString("text", 5000);
  std::optional<std::string> outcome = r.OptionalString("outcome", 5000);
  r.Skip("materials");
  if (Status st = r.Finish(); !st.ok()) return WithRule(st, "R-PLN-1");
  if (in.percent < 0 || in.percent > 100) {
    return Status::Invalid("percent", "进度应为0至100", "R-PLN-1", "invalid_value").En("percent must be 0..100");
  }
  if (in.percent == 100 && (!outcome || domain::IsBlank(*outcome))) {
    return Status::Invalid("outcome", "报告完成（100%）须写明成果", "R-PLN-1", "missing_field")
        .En("Missing field: outcome (a 100 % report states the outcome)");
  }
  if (in.percent < 100 && outcome) {
    return Status::Invalid("outcome", "成果仅在报告完成（100%）时填写", "R-PLN-1", "invalid_value")
        .En("outcome is for the 100 % report only");
  }
  in.outcome = outcome.value_or("");
  XT_ASSIGN_OR_RETURN(in.materials, Materials(body, "R-PLN-1"));
  return in;
}

}  // namespace

void RegisterPlanRoutes(Router& r, ApiEnv& env) {
  using V = service::CoordItemView;
  using P = service::Principal;
  using Q = service::CoordQuery;
  // ---- Plans (R-PLN-1) ----
  // A step's unreadable body reaches the service as its error (reported after access and state).
  AddItemRoutes<Q>(r, env, {
      .base = "/api/v1/plans",
      .parse = CoordQueryParams,
      .list = [](const ApiEnv& e, const P& p, const Q& q) { return e.svc.plans->ListPlans(p, q); },
      .render_list = views::PlanListJson,
      .csv = [](const ApiEnv& e, const P& p, Q q) { return e.svc.plans->ExportPlansCsv(p, std::move(q)); },
      .csv_ascii = "plans.csv",
      .csv_utf8 = "年度执法计划.csv",
      .create = [](const ApiEnv& e, const P& p, const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.plans->CreatePlan(p, CreatePlanInput(*body));
      },
      .get = [](const ApiEnv& e, const P& p, int64_t id) { return e.svc.plans->GetPlan(p, id); },
      .render = views::PlanJson,
      .steps = {"consult", "comment", "tasks", "issue"},
      .act = [](const ApiEnv& e, const P& p, int64_t id, const std::string& route,
                const Result<json::object>& body) -> Result<V> {
        const std::string action = route == "tasks" ? "split" : route;  // POST …/tasks is "split"
        Result<service::PlanStepInput> in =
            body.ok() ? StepInput(action, *body) : Result<service::PlanStepInput>(body.status());
        return e.svc.plans->ActPlan(p, id, action, in);
      },
  });
  // ---- Tasks (R-PLN-1 key tasks, R-PLN-2 ad hoc tasks) ----
  AddItemRoutes<Q>(r, env, {
      .base = "/api/v1/plan-tasks",
      .parse = CoordQueryParams,
      .list = [](const ApiEnv& e, const P& p, const Q& q) { return e.svc.plans->ListTasks(p, q); },
      .render_list = views::PlanListJson,
      .csv = [](const ApiEnv& e, const P& p, Q q) { return e.svc.plans->ExportTasksCsv(p, std::move(q)); },
      .csv_ascii = "plan-tasks.csv",
      .csv_utf8 = "重点任务.csv",
      .create = [](const ApiEnv& e, const P& p, const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.plans->CreateTask(p, CreateTaskInput(*body));
      },
      .get = [](const ApiEnv& e, const P& p, int64_t id) { return e.svc.plans->GetTask(p, id); },
      .render = views::PlanJson,
      .steps = {"progress"},
      .act = [](const ApiEnv& e, const P& p, int64_t id, const std::string&,
                const Result<json::object>& body) -> Result<V> {
        Result<service::TaskProgressInput> in =
            body.ok() ? ProgressInput(*body) : Result<service::TaskProgressInput>(body.status());
        return e.svc.plans->ReportProgress(p, id, in);
      },
  });
}

}  // namespace xietong::http
