#include "service/plan_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "domain/plan.h"
#include "domain/referral.h"
#include "service/csv.h"
#include "service/workflow/items.h"
#include "service/item_list.h"
#include "service/workflow/step.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;
namespace ps = domain::annual_plan_state;
namespace ts = domain::plan_task_state;

namespace {

using workflow::IsStaff;
using workflow::Maybe;
using workflow::OrgRef;
using workflow::Snip;
using workflow::UserRef;

constexpr const char* kPlanRule = "R-PLN-1";
constexpr const char* kAdHocRule = "R-PLN-2";

const domain::ItemTable& TableOf(CoordType t) {
  return t == CoordType::kAnnualPlan ? domain::AnnualPlanTable() : domain::PlanTaskTable();
}
Status Invalid(const std::string& field, const std::string& zh, const std::string& en,
               const char* rule = kPlanRule, const char* id = "invalid_value") {
  return Status::Invalid(field, zh, rule, id).En(en);
}
std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
json::object Item(std::string_view label, std::string_view text) {
  return json::object{{"label", label}, {"text", text}};
}
bool Coordinator(const Principal& p) { return p.IsCoordinator() && !p.IsAuditor(); }
bool IsAgency(const domain::Org& o) {
  return o.kind == domain::OrgKind::kTownship || o.kind == domain::OrgKind::kCountyDepartment;
}

// The ids in an array of org refs ({"id",…}).
std::vector<Id> RefIds(const json::value* arr) {
  std::vector<Id> out;
  if (!arr || !arr->is_array()) return out;
  for (const auto& o : arr->as_array()) out.push_back(o.as_object().at("id").as_int64());
  return out;
}
// Consulted departments of a plan.
std::vector<Id> ConsultedIds(const json::object& f) {
  std::vector<Id> out;
  if (const json::value* c = f.if_contains("consulted"); c && c->is_array()) {
    for (const auto& e : c->as_array()) out.push_back(e.at("org").at("id").as_int64());
  }
  return out;
}
// Files an item holds: its materials and those of its progress reports.
std::vector<std::string> FileIds(const json::object& f) {
  std::vector<std::string> out = CoordFilesOf(f);
  if (const json::value* rs = f.if_contains("reports"); rs && rs->is_array()) {
    for (const auto& r : rs->as_array()) {
      for (auto& s : CoordFilesOf(r.as_object())) out.push_back(std::move(s));
    }
  }
  return out;
}
void AddOrg(std::vector<Id>& ids, Id id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
}

// A task's owner and co-owners checked: active orgs, not units, not the coordinator; co-owners
// distinct and not the owner. `base` prefixes the fields ("tasks[2]." or "").
Result<std::pair<domain::Org, std::vector<domain::Org>>> TaskOrgs(storage::Tx& tx,
                                                                  const PlanTaskInput& in,
                                                                  const std::string& base,
                                                                  const char* rule) {
  auto check = [&](Id id, const std::string& field) -> Result<domain::Org> {
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(id)));
    if (!o || !o->active || o->kind == domain::OrgKind::kUnit ||
        o->kind == domain::OrgKind::kCoordinator) {
      return Invalid(field, "单位不存在，或不能承担任务（内设机构、县委依法治县办）",
                     field + ": no such org, or one that cannot own a task", rule);
    }
    return *o;
  };
  XT_ASSIGN_OR_RETURN(domain::Org owner, check(in.owner_org, base + "owner_org"));
  std::vector<domain::Org> co;
  std::set<Id> seen{owner.id};
  for (size_t i = 0; i < in.co_owner_orgs.size(); ++i) {
    const std::string f = base + "co_owner_orgs[" + std::to_string(i) + "]";
    XT_ASSIGN_OR_RETURN(domain::Org o, check(in.co_owner_orgs[i], f));
    if (!seen.insert(o.id).second) {
      return Invalid(f, "配合单位重复或与牵头单位相同", f + " is listed twice or is the owner", rule, "duplicate");
    }
    co.push_back(std::move(o));
  }
  return std::make_pair(std::move(owner), std::move(co));
}

// The due date's days from today: 1..366 (the duty's period), else 400 naming the field.
Result<int64_t> DaysUntil(core::CivilDay due, core::Instant now, const std::string& field,
                          const char* rule) {
  const int64_t days = (due - core::ShanghaiDay(now)).count();
  if (days < 1 || days > 366) {
    return Invalid(field, "完成时限应晚于今天，且不超过366天", field + " must be after today and within 366 days",
                   rule);
  }
  return days;
}

json::object TaskJson(const PlanTaskInput& in, const domain::Org& owner,
                      const std::vector<domain::Org>& co) {
  json::array cos;
  for (const auto& o : co) cos.push_back(OrgRef(o));
  return json::object{{"title", in.title},
                      {"owner_org", OrgRef(owner)},
                      {"co_owner_orgs", std::move(cos)},
                      {"due_date", core::FormatDay(in.due_date)},
                      {"output", in.output}};
}

std::string OrgNames(const json::array& refs) {
  std::string out;
  for (const auto& r : refs) {
    if (!out.empty()) out += "、";
    out += Str(r.as_object(), "name");
  }
  return out;
}

// "2026年11月25日" from "2026-11-25".
std::string DayZh(const std::string& day) {
  auto d = core::ParseDay(day);
  return d ? domain::FormatDateZh(core::ShanghaiMidnight(*d)) : day;
}

DutyInput TaskDuty(const json::object& task, core::Instant now, int64_t days) {
  DutyInput in;
  in.kind = std::string(domain::kPlanTaskCompleteDuty);
  in.owner_org_id = task.at("owner_org").at("id").as_int64();
  in.title = Snip("完成任务：" + Str(task, "title"), 190);
  in.trigger_at = now;
  in.unit = domain::PeriodUnit::kCalendarDays;
  in.period = days;
  return in;
}

}  // namespace

// ---- The workflow engine's Definition (both types) -------------------------------------------

struct PlanService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  PlanService& self;
  CoordType t;

  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != t) return NotFound();
    return Of(std::move(it));
  }
  Status NotFound() const { return workflow::ItemNotFound(t); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    const bool staff = IsStaff(p) && !p.IsAuditor();
    domain::CoordActor actor;
    if (t == CoordType::kAnnualPlan) {
      actor.coordinator = Coordinator(p);
      const std::vector<Id> asked = ConsultedIds(e.fields);
      actor.invitee_staff = staff && std::find(asked.begin(), asked.end(), p.org.id) != asked.end();
    } else {
      // A task's steps are its owner's and co-owners' (kInvolvedStaff also admits the
      // coordinator, who issues tasks but does not report on them).
      const std::vector<Id> co = RefIds(e.fields.if_contains("co_owner_orgs"));
      actor.to_staff = staff && e.to_org_id && *e.to_org_id == p.org.id;
      actor.involved_staff =
          actor.to_staff || (staff && std::find(co.begin(), co.end(), p.org.id) != co.end());
    }
    return domain::DecideItem(TableOf(t), a, e.state, actor);
  }
  Status CheckGuard(Ctx&) const { return Status::Ok(); }  // kNone only
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, FileIds(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(t, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(TableOf(t), a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ItemStateName(TableOf(t), e.state)); }
  std::optional<std::string> Number(const Entity&) const { return std::nullopt; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return self.Render(tx, e, true, now);
  }
};

// The view of an item; a plan's carries its tasks' state, percent and colour and the progress
// by owner org (R-PLN-1).
Result<CoordItemView> PlanService::Render(storage::Tx& tx, const CoordItem& it, bool detail,
                                          core::Instant now) {
  json::object fields = json::parse(it.data).as_object();
  if (it.type == CoordType::kAnnualPlan) {
    struct ByOrg {
      json::object org;
      int tasks = 0, done = 0, overdue = 0;
      int64_t percent_sum = 0;
    };
    std::map<Id, ByOrg> by_org;
    std::vector<Id> order;
    json::array& tasks = fields["tasks"].as_array();
    for (auto& tv : tasks) {
      json::object& task = tv.as_object();
      task["state"] = nullptr;
      task["state_label"] = nullptr;
      task["percent"] = nullptr;
      task["colour"] = nullptr;
      if (!task["task_id"].is_int64()) continue;
      XT_ASSIGN_OR_RETURN(std::optional<CoordItem> ti, Maybe(tx.GetCoordItem(task["task_id"].as_int64())));
      if (!ti) continue;
      XT_ASSIGN_OR_RETURN(CoordItemView tv2, CoordItemService::RenderInTx(tx, calendars_, *ti, false, now));
      const int64_t percent = tv2.fields.at("percent").as_int64();
      const bool red = tv2.colour && *tv2.colour == domain::Colour::kRed;
      task["state"] = domain::ItemStateName(domain::PlanTaskTable(), ti->state);
      task["state_label"] = domain::ItemStateLabel(domain::PlanTaskTable(), ti->state);
      task["percent"] = percent;
      task["colour"] = tv2.colour ? json::value(domain::ColourName(*tv2.colour)) : json::value(nullptr);
      const Id owner = task.at("owner_org").at("id").as_int64();
      auto [row, fresh] = by_org.try_emplace(owner);
      if (fresh) {
        order.push_back(owner);
        row->second.org = task.at("owner_org").as_object();
      }
      ByOrg& b = row->second;
      ++b.tasks;
      b.percent_sum += percent;
      if (ti->state == ts::kDone) ++b.done;
      if (ti->state == ts::kOpen && red) ++b.overdue;
    }
    json::array progress;
    for (Id id : order) {
      const ByOrg& b = by_org[id];
      progress.push_back(json::object{
          {"org", b.org},
          {"tasks", b.tasks},
          {"done", b.done},
          {"average_percent", static_cast<int64_t>(std::lround(static_cast<double>(b.percent_sum) / b.tasks))},
          {"overdue", b.overdue}});
    }
    fields["progress_by_org"] = std::move(progress);
  }
  return CoordItemService::RenderInTx(tx, calendars_, it, detail, now, &fields);
}

// ---- One small handler per action ------------------------------------------------------------

struct PlanService::Steps {
  template <class T>
  static Result<const T*> In(const PlanStepInput& in) {
    if (const T* v = std::get_if<T>(&in)) return v;
    return Status::Internal("plan step given the input of another action");
  }
  static json::object AtBy(const Ctx& x, json::object o) {
    o["at"] = core::FormatInstant(x.now);
    o["by"] = UserRef(x.p.user);
    o["org"] = OrgRef(x.p.org);
    return o;
  }

  // consult: each department once; its duty to comment (R-PLN-1).
  static Status Consult(Ctx& x, const PlanStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PlanConsultInput* c, In<PlanConsultInput>(in));
    std::vector<Id> asked = ConsultedIds(x.e.fields);
    json::array& consulted = x.e.fields["consulted"].as_array();
    json::array names;
    for (size_t i = 0; i < c->orgs.size(); ++i) {
      const std::string f = "orgs[" + std::to_string(i) + "]";
      XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(x.tx.GetOrg(c->orgs[i])));
      if (!o || !o->active || o->kind != domain::OrgKind::kCountyDepartment) {
        return Invalid(f, "征求意见的单位应为县直执法部门", f + " must be a county department");
      }
      if (std::find(asked.begin(), asked.end(), o->id) != asked.end()) {
        return Invalid(f, "已向该部门征求过意见", f + " has been asked already", kPlanRule, "duplicate");
      }
      asked.push_back(o->id);
      consulted.push_back(json::object{{"org", OrgRef(*o)},
                                       {"asked_at", core::FormatInstant(x.now)},
                                       {"note", c->note},
                                       {"comment", nullptr}});
      AddOrg(x.e.org_ids, o->id);
      DutyInput d;
      d.kind = std::string(domain::kPlanCommentDuty);
      d.owner_org_id = o->id;
      d.title = Snip("对年度执法计划提出意见：" + x.e.title, 190);
      d.trigger_at = x.now;
      XT_RETURN_IF_ERROR(x.Open(d).status());
      XT_RETURN_IF_ERROR(x.NotifyDesk(o->id, "plan.consult", "征求对年度执法计划的意见",
                                      "「" + x.e.title + "」征求意见稿，请于5个工作日内提出意见（R-PLN-1）" +
                                          (c->note.empty() ? "" : "：" + c->note)));
      names.push_back(json::value(o->id));
    }
    x.detail["orgs"] = std::move(names);
    return Status::Ok();
  }

  // comment: the department's own duty met by its comment, once.
  static Status Comment(Ctx& x, const PlanStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PlanCommentInput* c, In<PlanCommentInput>(in));
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> duties, x.Duties());
    const domain::Duty* mine = nullptr;
    for (const auto& d : duties) {
      if (d.kind == domain::kPlanCommentDuty && d.owner_org_id == x.p.org.id && workflow::Pending(d)) mine = &d;
    }
    if (!mine) {
      return Status::Precondition("comment_given", "本单位已提出意见", kPlanRule, "org")
          .En("Your org has commented already");
    }
    XT_RETURN_IF_ERROR(x.MeetOne(*mine, x.now));
    for (auto& e : x.e.fields["consulted"].as_array()) {
      json::object& o = e.as_object();
      if (o.at("org").at("id").as_int64() == x.p.org.id) o["comment"] = AtBy(x, json::object{{"text", c->text}});
    }
    x.summary = x.p.org.short_name + "对年度执法计划提出意见：" + x.e.title;
    return x.NotifyCoordinator("plan.comment", x.p.org.short_name + "对年度执法计划提出意见",
                               "「" + x.e.title + "」：" + Snip(c->text, 80));
  }

  // split: the whole list of key tasks (R-PLN-1).
  static Status Split(Ctx& x, const PlanStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PlanSplitInput* s, In<PlanSplitInput>(in));
    json::array tasks;
    for (size_t i = 0; i < s->tasks.size(); ++i) {
      const std::string base = "tasks[" + std::to_string(i) + "].";
      XT_ASSIGN_OR_RETURN(auto orgs, TaskOrgs(x.tx, s->tasks[i], base, kPlanRule));
      XT_RETURN_IF_ERROR(DaysUntil(s->tasks[i].due_date, x.now, base + "due_date", kPlanRule).status());
      json::object t = TaskJson(s->tasks[i], orgs.first, orgs.second);
      t["no"] = static_cast<int64_t>(i + 1);
      t["task_id"] = nullptr;
      tasks.push_back(std::move(t));
    }
    x.e.fields["tasks"] = std::move(tasks);
    x.detail["tasks"] = static_cast<int64_t>(s->tasks.size());
    x.summary = "分解重点任务" + std::to_string(s->tasks.size()) + "项：" + x.e.title;
    return Status::Ok();
  }

  // issue: the numbered plan to every township and county department; one task item and duty
  // per key task (R-PLN-1).
  static Status Issue(Ctx& x, const PlanStepInput& in) {
    XT_RETURN_IF_ERROR(In<PlanIssueInput>(in).status());
    json::array& tasks = x.e.fields["tasks"].as_array();
    if (tasks.empty()) {
      return Status::Precondition("no_tasks", "尚未分解重点任务，不能印发", kPlanRule, "tasks")
          .En("Split the plan into key tasks before issuing it");
    }
    std::vector<int64_t> days;
    for (size_t i = 0; i < tasks.size(); ++i) {
      auto due = core::ParseDay(Str(tasks[i].as_object(), "due_date"));
      XT_ASSIGN_OR_RETURN(int64_t n, DaysUntil(*due, x.now, "tasks[" + std::to_string(i) + "].due_date", kPlanRule));
      days.push_back(n);
    }
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, x.tx.ListOrgs());
    std::vector<Id> addressed;
    for (const auto& o : orgs) {
      if (o.active && IsAgency(o)) {
        addressed.push_back(o.id);
        AddOrg(x.e.org_ids, o.id);
      }
    }
    json::array paragraphs;
    for (const auto& line : [&] {
           std::vector<std::string> out;
           std::string cur;
           for (char ch : Str(x.e.fields, "text")) {
             if (ch == '\n') {
               if (!cur.empty()) out.push_back(cur);
               cur.clear();
             } else if (ch != '\r') {
               cur.push_back(ch);
             }
           }
           if (!cur.empty()) out.push_back(cur);
           return out;
         }()) {
      paragraphs.push_back(json::value(line));
    }
    paragraphs.push_back(json::value("请各乡镇、县直有关部门按照重点任务分工抓好落实，及时报告进展（R-PLN-1）。"));
    json::array items;
    for (const auto& tv : tasks) {
      const json::object& t = tv.as_object();
      std::string text = Str(t, "title") + "。牵头单位：" + Str(t.at("owner_org").as_object(), "name");
      if (!t.at("co_owner_orgs").as_array().empty()) text += "；配合单位：" + OrgNames(t.at("co_owner_orgs").as_array());
      text += "；完成时限：" + DayZh(Str(t, "due_date")) + "；成果要求：" + Str(t, "output");
      items.push_back(Item("重点任务" + std::to_string(t.at("no").as_int64()), text));
    }
    XT_ASSIGN_OR_RETURN(domain::Document d,
                        x.Issue(domain::DocKind::kAnnualPlan, x.p.org, x.e.title,
                                json::object{{"addressee", json::object{{"name", "各乡镇人民政府、县直有关部门"}}},
                                             {"paragraphs", std::move(paragraphs)},
                                             {"items", std::move(items)}}));
    x.e.number = d.number;
    const json::object plan_ref{{"id", x.e.id}, {"title", x.e.title}, {"number", d.number},
                                {"year", x.e.fields.at("year")}};
    json::array task_ids;
    for (size_t i = 0; i < tasks.size(); ++i) {
      json::object& t = tasks[i].as_object();
      CoordItem it;
      it.type = CoordType::kPlanTask;
      it.state = ts::kOpen;
      it.kind = "plan";
      it.from_org_id = x.e.from_org_id;
      it.to_org_id = t.at("owner_org").at("id").as_int64();
      it.org_ids = {x.e.from_org_id};
      AddOrg(it.org_ids, *it.to_org_id);
      for (Id co : RefIds(t.if_contains("co_owner_orgs"))) AddOrg(it.org_ids, co);
      it.title = Str(t, "title");
      it.created_by = x.p.user.id;
      it.created_at = x.now;
      it.updated_at = x.now;
      json::object data{{"plan", plan_ref},
                        {"text", ""},
                        {"materials", json::array()},
                        {"owner_org", t.at("owner_org")},
                        {"co_owner_orgs", t.at("co_owner_orgs")},
                        {"due_date", t.at("due_date")},
                        {"output", t.at("output")},
                        {"percent", 0},
                        {"reports", json::array()},
                        {"outcome", nullptr}};
      it.data = json::serialize(data);
      XT_ASSIGN_OR_RETURN(it.id, x.tx.InsertCoordItem(it, {}));
      t["task_id"] = it.id;
      task_ids.push_back(json::value(it.id));
      XT_RETURN_IF_ERROR(x.OpenOn(domain::CoordTypeName(CoordType::kPlanTask), it.id, TaskDuty(t, x.now, days[i])).status());
      // Each owner and co-owner is told about the task itself (its page), not the plan.
      for (Id org : it.org_ids) {
        if (org == x.e.from_org_id) continue;
        XT_ASSIGN_OR_RETURN(std::vector<domain::User> desk, workflow::OrgDesk(x.tx, org));
        XT_RETURN_IF_ERROR(workflow::NotifyOnce(
            x.tx, desk, "plan_task.assigned",
            org == *it.to_org_id ? "年度执法计划重点任务（牵头）" : "年度执法计划重点任务（配合）",
            "「" + it.title + "」（" + d.number + "），完成时限" + DayZh(Str(t, "due_date")),
            domain::CoordTypeName(CoordType::kPlanTask), it.id, "", x.now));
      }
    }
    x.e.fields["issued"] = AtBy(x, json::object{{"document", json::object{{"id", d.id}, {"number", d.number}}}});
    x.detail["tasks"] = std::move(task_ids);
    x.detail["addressed"] = static_cast<int64_t>(addressed.size());
    x.waive_reason = "年度执法计划已印发";
    x.summary = "印发年度执法计划（" + d.number + "）：" + x.e.title;
    return Status::Ok();
  }
};

// ---- Construction ----------------------------------------------------------------------------

PlanService::PlanService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                         CalendarService& calendars)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars) {}

// ---- Plans -----------------------------------------------------------------------------------

Result<CoordItemView> PlanService::CreatePlan(const Principal& p, const Result<PlanCreateInput>& in_r) {
  if (!Coordinator(p)) {
    return Status::Denied("仅县委依法治县办可以起草年度执法计划", kPlanRule).En("Only the coordinator drafts the annual plan");
  }
  XT_RETURN_IF_ERROR(in_r.status());
  const PlanCreateInput& in = *in_r;
  const domain::CoordTransition* row = domain::ItemCreateRow(domain::AnnualPlanTable(), "create");
  Workflow w{*this, CoordType::kAnnualPlan};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        const int this_year = domain::ShanghaiYear(now);
        if (in.year < this_year - 1 || in.year > this_year + 1) {
          return Invalid("year", "年度应为去年、今年或明年", "year must be last year, this year or next year");
        }
        CoordItem it;
        it.type = CoordType::kAnnualPlan;
        it.state = row->to;
        it.kind = "annual";
        it.from_org_id = p.org.id;
        it.org_ids = {p.org.id};
        it.title = in.title;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        std::vector<std::string> files;
        XT_ASSIGN_OR_RETURN(json::array materials, CoordMaterialsJson(tx, p, in.materials, kPlanRule, files));
        json::object data{{"year", in.year},        {"text", in.text},      {"materials", std::move(materials)},
                          {"consulted", json::array()}, {"tasks", json::array()}, {"issued", nullptr}};
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["year"] = in.year;
        x.summary = "起草" + std::to_string(in.year) + "年度执法计划：" + x.e.title;
        return Status::Ok();
      });
}

Result<CoordItemView> PlanService::ActPlan(const Principal& p, Id id, std::string_view action_in,
                                           const Result<PlanStepInput>& in) {
  const std::string action(action_in);
  using Fn = Status (*)(Ctx&, const PlanStepInput&);
  Fn fn = action == "consult" ? Steps::Consult
          : action == "comment" ? Steps::Comment
          : action == "split" ? Steps::Split
          : action == "issue" ? Steps::Issue
                              : nullptr;
  return workflow::Run<Workflow>(Workflow{*this, CoordType::kAnnualPlan}, store_, clock_, duties_, p, id, action,
                                 [&](Ctx& x) -> Status {
                                   if (!fn) return Status::Internal("no handler for annual_plan." + action);
                                   XT_RETURN_IF_ERROR(in.status());  // the body: after access and state
                                   x.summary = std::string(domain::ItemActionLabel(domain::AnnualPlanTable(), action)) + "：" + x.e.title;
                                   return fn(x, *in);
                                 });
}

Result<CoordItemView> PlanService::GetPlan(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this, CoordType::kAnnualPlan}, store_, clock_, p, id);
}

// ---- Tasks -----------------------------------------------------------------------------------

Result<CoordItemView> PlanService::CreateTask(const Principal& p, const Result<AdHocTaskInput>& in_r) {
  if (!Coordinator(p)) {
    return Status::Denied("仅县委依法治县办可以交办任务", kAdHocRule).En("Only the coordinator issues ad hoc tasks");
  }
  XT_RETURN_IF_ERROR(in_r.status());
  const AdHocTaskInput& in = *in_r;
  const domain::CoordTransition* row = domain::ItemCreateRow(domain::PlanTaskTable(), "create");
  int64_t days = 0;
  Workflow w{*this, CoordType::kPlanTask};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        XT_ASSIGN_OR_RETURN(auto orgs, TaskOrgs(tx, in, "", kAdHocRule));
        XT_ASSIGN_OR_RETURN(days, DaysUntil(in.due_date, now, "due_date", kAdHocRule));
        CoordItem it;
        it.type = CoordType::kPlanTask;
        it.state = row->to;
        it.kind = "ad_hoc";
        it.from_org_id = p.org.id;
        it.to_org_id = orgs.first.id;
        it.org_ids = {p.org.id};
        AddOrg(it.org_ids, orgs.first.id);
        for (const auto& o : orgs.second) AddOrg(it.org_ids, o.id);
        it.title = in.title;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        std::vector<std::string> files;
        XT_ASSIGN_OR_RETURN(json::array materials, CoordMaterialsJson(tx, p, in.materials, kAdHocRule, files));
        json::object data = TaskJson(in, orgs.first, orgs.second);
        data["plan"] = nullptr;
        data["text"] = in.text;
        data["materials"] = std::move(materials);
        data["percent"] = 0;
        data["reports"] = json::array();
        data["outcome"] = nullptr;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        const json::object& f = x.e.fields;
        const json::object& owner = f.at("owner_org").as_object();
        json::array items{Item("任务", x.e.title), Item("牵头单位", Str(owner, "name")),
                          Item("完成时限", DayZh(Str(f, "due_date"))), Item("成果要求", Str(f, "output"))};
        if (!f.at("co_owner_orgs").as_array().empty()) {
          items.push_back(Item("配合单位", OrgNames(f.at("co_owner_orgs").as_array())));
        }
        XT_ASSIGN_OR_RETURN(domain::Document d,
                            x.Issue(domain::DocKind::kTaskOrder, x.p.org, "关于" + x.e.title + "的交办通知",
                                    json::object{{"addressee", json::object{{"id", owner.at("id")}, {"name", owner.at("name")}}},
                                                 {"paragraphs", json::array{json::value(Str(f, "text")),
                                                                            json::value("请按时完成并在平台报告进展，完成后报告成果（R-PLN-2）。")}},
                                                 {"items", std::move(items)}}));
        x.e.number = d.number;
        XT_RETURN_IF_ERROR(x.Open(TaskDuty(f, x.now, days)).status());
        x.detail["owner_org"] = owner.at("id");
        x.summary = "交办任务（" + d.number + "）：" + x.e.title;
        for (Id org : x.e.org_ids) {
          if (org == x.e.from_org_id) continue;
          XT_RETURN_IF_ERROR(x.NotifyDesk(org, "plan_task.assigned",
                                          org == *x.e.to_org_id ? "县委依法治县办交办任务（牵头）" : "县委依法治县办交办任务（配合）",
                                          "「" + x.e.title + "」（" + d.number + "），完成时限" + DayZh(Str(f, "due_date"))));
        }
        return Status::Ok();
      });
}

Result<CoordItemView> PlanService::ReportProgress(const Principal& p, Id id, const Result<TaskProgressInput>& in) {
  // 100 % is the completion (the owner's act that meets the duty); below it, a progress report.
  const std::string action = in.ok() && in->percent == 100 ? "complete" : "progress";
  return workflow::Run<Workflow>(
      Workflow{*this, CoordType::kPlanTask}, store_, clock_, duties_, p, id, action, [&](Ctx& x) -> Status {
        XT_RETURN_IF_ERROR(in.status());
        const bool done = action == "complete";
        std::vector<std::string> files;
        XT_ASSIGN_OR_RETURN(json::array materials, CoordMaterialsJson(x.tx, x.p, in->materials, kPlanRule, files));
        json::object report = Steps::AtBy(x, json::object{{"percent", in->percent}, {"text", in->text},
                                                          {"materials", std::move(materials)}});
        x.e.fields["reports"].as_array().push_back(std::move(report));
        x.e.fields["percent"] = in->percent;
        x.detail["percent"] = in->percent;
        if (!done) {
          x.summary = "报告进展" + std::to_string(in->percent) + "%：" + x.e.title;
          return Status::Ok();
        }
        x.e.fields["outcome"] = Steps::AtBy(x, json::object{{"text", in->outcome}});
        x.summary = "报告任务完成：" + x.e.title;
        return x.NotifyCoordinator("plan_task.done", x.p.org.short_name + "报告任务完成",
                                   "「" + x.e.title + "」：" + Snip(in->outcome, 80));
      });
}

Result<CoordItemView> PlanService::GetTask(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this, CoordType::kPlanTask}, store_, clock_, p, id);
}

// ---- Lists -----------------------------------------------------------------------------------

Result<CoordItemList> PlanService::List(const Principal& p, CoordType t, const CoordQuery& q) {
  ItemListSpec spec{.type = t, .table = &TableOf(t), .rule = kPlanRule, .outgoing = false,
                    .kind_ok = [t](const std::string& k) {
                      return t == CoordType::kPlanTask && (k == "plan" || k == "ad_hoc");
                    }};
  const core::Instant now = clock_.Now();
  return ListItems(store_, p, spec, q, now, [&](storage::Tx& tx, const CoordItem& it) {
    return Render(tx, it, false, now);
  });
}

Result<std::vector<CoordItemView>> PlanService::All(const Principal& p, CoordType t, CoordQuery q) {
  return AllItems(std::move(q), [&](const CoordQuery& q) { return List(p, t, q); });
}

Result<CoordItemList> PlanService::ListPlans(const Principal& p, const CoordQuery& q) {
  return List(p, CoordType::kAnnualPlan, q);
}
Result<CoordItemList> PlanService::ListTasks(const Principal& p, const CoordQuery& q) {
  return List(p, CoordType::kPlanTask, q);
}

Result<std::string> PlanService::ExportPlansCsv(const Principal& p, CoordQuery q) {
  XT_ASSIGN_OR_RETURN(std::vector<CoordItemView> all, All(p, CoordType::kAnnualPlan, std::move(q)));
  return CsvDocument(CsvRow({"文号", "年度", "标题", "状态", "重点任务数", "起草时间"}), all, [](const CoordItemView& v) {
    return std::vector<std::string>{v.item.number.value_or(""),
                                    std::to_string(v.fields.at("year").as_int64()),
                                    v.item.title,
                                    std::string(domain::ItemStateLabel(domain::AnnualPlanTable(), v.item.state)),
                                    std::to_string(v.fields.at("tasks").as_array().size()),
                                    DayTime(v.item.created_at)};
  });
}

Result<std::string> PlanService::ExportTasksCsv(const Principal& p, CoordQuery q) {
  XT_ASSIGN_OR_RETURN(std::vector<CoordItemView> all, All(p, CoordType::kPlanTask, std::move(q)));
  return CsvDocument(
      CsvRow({"文号", "所属计划", "任务", "牵头单位", "配合单位", "完成时限", "成果要求", "进度", "状态", "期限状态"}), all,
      [](const CoordItemView& v) {
        const json::object& f = v.fields;
        const json::value& plan = f.at("plan");
        return std::vector<std::string>{
            v.item.number.value_or(plan.is_object() ? Str(plan.as_object(), "number") : ""),
            plan.is_object() ? Str(plan.as_object(), "title") : "（交办任务）",
            v.item.title,
            Str(f.at("owner_org").as_object(), "name"),
            OrgNames(f.at("co_owner_orgs").as_array()),
            Str(f, "due_date"),
            Str(f, "output"),
            std::to_string(f.at("percent").as_int64()) + "%",
            std::string(domain::ItemStateLabel(domain::PlanTaskTable(), v.item.state)),
            std::string(ColourWordZh(v.colour.value_or(domain::Colour::kNone)))};
      });
}

}  // namespace xietong::service
