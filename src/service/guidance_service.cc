#include "service/workflow/items.h"
#include "service/guidance_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "domain/guidance.h"
#include "domain/referral.h"
#include "service/csv.h"
#include "service/matter_service.h"
#include "service/referral_service.h"
#include "service/item_list.h"
#include "service/workflow/step.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;

namespace {

using workflow::IsStaff;
using workflow::Maybe;
using workflow::OrgRef;
using workflow::UserRef;
namespace gs = domain::guidance_state;
namespace ts = domain::training_state;
namespace ss = domain::tech_support_state;

bool Mine(CoordType t) {
  return t == CoordType::kGuidanceRequest || t == CoordType::kTraining ||
         t == CoordType::kTechSupport;
}
const domain::ItemTable& TableOf(CoordType t) {
  return t == CoordType::kGuidanceRequest ? domain::GuidanceRequestTable()
         : t == CoordType::kTraining      ? domain::TrainingTable()
                                          : domain::TechSupportTable();
}
std::string RuleOf(CoordType t) { return std::string(domain::CoordTypeRule(t)); }
Status NotFound(CoordType t) { return workflow::ItemNotFound(t); }
Status Invalid(const std::string& field, const std::string& zh, CoordType t, const std::string& en) {
  return Status::Invalid(field, zh, RuleOf(t), "invalid_value").En(en);
}
Status Missing(const std::string& field, CoordType t) {
  return Status::Invalid(field, "缺少必填字段：" + field, RuleOf(t), "missing_field")
      .En("Missing field: " + field);
}
json::object Item(std::string_view label, std::string_view text) {
  return json::object{{"label", label}, {"text", text}};
}
std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
std::string Join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : "、") + x;
  return out;
}
std::string JoinJson(const json::value* v, const char* key = nullptr) {
  std::string out;
  if (!v || !v->is_array()) return out;
  for (const auto& x : v->as_array()) {
    std::string s;
    if (x.is_string()) s = std::string(x.as_string());
    else if (key && x.is_object()) s = Str(x.as_object(), key);
    if (!s.empty()) out += (out.empty() ? "" : "、") + s;
  }
  return out;
}
std::string Hours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", h);
  return buf;
}
json::object AtBy(const workflow::StepContext& x, json::object o) {
  o["at"] = core::FormatInstant(x.now);
  o["by"] = UserRef(x.p.user);
  return o;
}

// The addressed county department of a request.
Result<domain::Org> Department(storage::Tx& tx, Id id, CoordType t) {
  XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(id)));
  if (!o || !o->active || o->kind != domain::OrgKind::kCountyDepartment) {
    return Invalid("to_org", "接收单位应为县直执法部门", t, "to_org must be a county department");
  }
  return *o;
}

// Users of the invited townships (attendees, attendance): {user, org}; field names the index.
Result<json::array> UsersOfOrgs(storage::Tx& tx, const std::vector<Id>& ids, const std::vector<Id>& orgs,
                                const std::string& field) {
  json::array out;
  std::set<Id> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    XT_ASSIGN_OR_RETURN(std::optional<domain::User> u, Maybe(tx.GetUser(ids[i])));
    if (!u || u->disabled || std::find(orgs.begin(), orgs.end(), u->org_id) == orgs.end()) {
      return Invalid(f, "参训人员应为受邀乡镇的在岗人员", CoordType::kTraining,
                     f + " must be a user of an invited township");
    }
    if (!seen.insert(u->id).second) {
      return Status::Invalid(f, "参训人员重复", "R-GUI-2", "duplicate").En(f + " is listed twice");
    }
    XT_ASSIGN_OR_RETURN(domain::Org o, tx.GetOrg(u->org_id));
    out.push_back(json::object{{"user", UserRef(*u)}, {"org", OrgRef(o)}});
  }
  return out;
}

std::vector<Id> OrgIdsOf(const json::value* arr) {
  std::vector<Id> out;
  if (!arr || !arr->is_array()) return out;
  for (const auto& o : arr->as_array()) out.push_back(o.at("id").as_int64());
  return out;
}

}  // namespace

// ---- The engine's Definition (service/workflow/step.h), the three types -------------------

struct GuidanceService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  GuidanceService& self;
  CoordType t;
  bool creating = false;

  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != t) return NotFound();
    return Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(t); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    const bool staff = IsStaff(p) && !p.IsAuditor();
    domain::CoordActor actor;
    actor.from_staff = staff && p.org.id == e.from_org_id;
    actor.to_staff = staff && e.to_org_id && p.org.id == *e.to_org_id;
    actor.involved_staff = actor.from_staff || actor.to_staff;
    return domain::DecideItem(TableOf(t), a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>&) const { return Status::Ok(); }  // kNone only
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, CoordFilesOf(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(t, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(TableOf(t), a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ItemStateName(TableOf(t), e.state)); }
  std::optional<std::string> Number(const Entity& e) const { return creating ? e.number : std::nullopt; }
  // The detail; a training being recorded also lists the active users of its invited townships
  // ("candidates", for marking attendance).
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    XT_ASSIGN_OR_RETURN(CoordItemView v, self.items_.Render(tx, e, true, now, &e.fields));
    if (t == CoordType::kTraining && e.state == ts::kPlanned) {
      json::array candidates;
      for (const json::value& o : e.fields.at("invited_orgs").as_array()) {
        storage::UserFilter f;
        f.org_id = o.at("id").as_int64();
        XT_ASSIGN_OR_RETURN(std::vector<domain::User> users, tx.ListUsers(f));
        for (const auto& u : users)
          if (!u.disabled) candidates.push_back(json::object{{"user", UserRef(u)}, {"org", o}});
      }
      v.fields["candidates"] = std::move(candidates);
    }
    return v;
  }
};

// ---- One small handler per action -----------------------------------------------------------

struct GuidanceService::Steps {
  using Fn = Status (*)(const GuidanceService&, Ctx&, const GuidanceStepInput&);
  struct Row {
    CoordType type;
    std::string_view action;
    Fn fn;
  };
  template <class T>
  static Result<const T*> In(const GuidanceStepInput& in) {
    if (const T* t = std::get_if<T>(&in)) return t;
    return Status::Internal("guidance step given the input of another action");
  }
  static Status NotifyFrom(Ctx& x, const std::string& kind, const std::string& title, const std::string& body) {
    return x.NotifyDesk(x.e.from_org_id, kind, title, "「" + x.e.title + "」" + body, true);
  }
  static DutyInput Duty(std::string_view kind, Id owner, const std::string& title, core::Instant at, int days) {
    DutyInput d;
    d.kind = std::string(kind);
    d.owner_org_id = owner;
    d.title = workflow::Snip(title, 190);
    d.trigger_at = at;
    d.unit = domain::PeriodUnit::kWorkingDays;
    d.period = days;
    return d;
  }

  // ---- R-GUI-1 guidance requests ----
  static Status CreatedGuidance(const GuidanceService& svc, Ctx& x) {
    const Id dept = *x.e.to_org_id;
    XT_RETURN_IF_ERROR(x.Open(Duty(domain::kGuidanceRespondDuty, dept, "答复业务指导申请：" + x.e.title,
                                   x.now, svc.options_.respond_days)).status());
    x.summary = "申请业务指导（" + Str(x.e.fields, "kind_label") + "）：" + x.e.title;
    return x.NotifyDesk(dept, "guidance.requested", x.p.org.short_name + "申请业务指导",
                        x.p.org.name + "申请" + Str(x.e.fields, "kind_label") + "：" + x.e.title + "，请在" +
                            std::to_string(svc.options_.respond_days) + "个工作日内答复（R-GUI-1）");
  }
  static Status Schedule(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const GuidanceScheduleInput* s, In<GuidanceScheduleInput>(in));
    if (s->date < core::ShanghaiDay(x.now)) {
      return Invalid("date", "指导日期不能早于今天", x.e.type, "date may not be in the past");
    }
    const std::string day = core::FormatDay(s->date);
    json::array people;
    for (const auto& n : s->people) people.push_back(json::value(n));
    XT_ASSIGN_OR_RETURN(domain::Org township, x.tx.GetOrg(x.e.from_org_id));
    XT_ASSIGN_OR_RETURN(
        domain::Document d,
        x.Issue(domain::DocKind::kGuidanceArrangement, x.p.org, "业务指导安排",
                json::object{{"addressee", json::object{{"id", township.id}, {"name", township.name}}},
                             {"paragraphs",
                              json::array{"你单位申请的" + Str(x.e.fields, "kind_label") + "「" + x.e.title +
                                              "」，我单位安排如下（R-GUI-1）：",
                                          json::value(s->note.empty() ? "请按时做好准备。" : s->note)}},
                             {"items", json::array{Item("指导方式", Str(x.e.fields, "kind_label")), Item("日期", day),
                                                   Item("地点", s->place), Item("指导人员", Join(s->people)),
                                                   Item("申请事项", Str(x.e.fields, "question"))}}}));
    x.e.number = d.number;
    x.e.fields["schedule"] = AtBy(x, json::object{{"date", day}, {"place", s->place}, {"people", std::move(people)},
                                                  {"note", s->note},
                                                  {"document", json::object{{"id", d.id}, {"number", d.number}}}});
    x.summary = "安排业务指导（" + day + "，" + s->place + "）：" + x.e.title;
    return NotifyFrom(x, "guidance.scheduled", x.p.org.short_name + "已安排业务指导",
                      "：" + day + "，" + s->place + "（" + d.number + "）");
  }
  static Status Decline(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["decline"] = AtBy(x, json::object{{"reason", r->reason}});
    return NotifyFrom(x, "guidance.declined", x.p.org.short_name + "不予安排业务指导", "：" + r->reason);
  }
  static Status Record(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const GuidanceTextInput* r, In<GuidanceTextInput>(in));
    x.e.fields["record"] = AtBy(x, json::object{{"text", r->text}});
    return NotifyFrom(x, "guidance.done", x.p.org.short_name + "已记录业务指导情况", "：" + workflow::Snip(r->text, 80));
  }
  static Status Withdraw(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["withdrawal"] = AtBy(x, json::object{{"reason", r->reason}});
    x.waive_reason = "申请已撤回：" + r->reason;
    return x.NotifyDesk(*x.e.to_org_id, std::string(domain::CoordTypeName(x.e.type)) + ".withdrawn",
                        x.p.org.short_name + "撤回申请", "「" + x.e.title + "」：" + r->reason);
  }

  // ---- R-GUI-2 trainings ----
  static Status CreatedTraining(const GuidanceService&, Ctx& x) {
    x.summary = "登记业务培训（" + Str(x.e.fields, "date") + "）：" + x.e.title;
    for (Id org : OrgIdsOf(x.e.fields.if_contains("invited_orgs"))) {
      XT_RETURN_IF_ERROR(x.NotifyDesk(org, "training.invited", x.p.org.short_name + "邀请参加业务培训",
                                      "「" + x.e.title + "」：" + Str(x.e.fields, "date") + "，" +
                                          Str(x.e.fields, "place") + "，" + Hours(x.e.fields.at("hours").to_number<double>()) +
                                          "学时（R-GUI-2）"));
    }
    return Status::Ok();
  }
  static Status Attendance(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const TrainingAttendanceInput* a, In<TrainingAttendanceInput>(in));
    XT_ASSIGN_OR_RETURN(json::array list, UsersOfOrgs(x.tx, a->attended, OrgIdsOf(x.e.fields.if_contains("invited_orgs")),
                                                      "attended"));
    x.detail["attended"] = json::value_from(a->attended);
    x.summary = "登记出勤（" + std::to_string(list.size()) + "人）：" + x.e.title;
    x.e.fields["attendance"] = AtBy(x, json::object{{"attended", std::move(list)}});
    return Status::Ok();
  }
  static Status Close(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const GuidanceTextInput* c, In<GuidanceTextInput>(in));
    const json::value& att = x.e.fields["attendance"];
    if (!att.is_object() || att.as_object().at("attended").as_array().empty()) {
      return Status::Precondition("attendance_missing", "尚未登记出勤人员，不能结束培训", "R-GUI-2", "attendance")
          .En("R-GUI-2: mark attendance before closing the training");
    }
    const json::array& attended = att.as_object().at("attended").as_array();
    std::string names;
    for (const auto& a : attended) {
      names += (names.empty() ? "" : "、") + Str(a.at("user").as_object(), "display_name") + "（" +
               Str(a.at("org").as_object(), "name") + "）";
    }
    const std::string hours = Hours(x.e.fields.at("hours").to_number<double>());
    XT_ASSIGN_OR_RETURN(
        domain::Document d,
        x.Issue(domain::DocKind::kTrainingRecord, x.p.org, "业务培训记录",
                json::object{{"addressee", json::object{{"name", JoinJson(x.e.fields.if_contains("invited_orgs"), "name")}}},
                             {"paragraphs",
                              json::array{x.p.org.name + "于" + Str(x.e.fields, "date") + "在" + Str(x.e.fields, "place") +
                                              "举办「" + x.e.title + "」业务培训，共" + hours + "学时，参训" +
                                              std::to_string(attended.size()) + "人（R-GUI-2）。",
                                          json::value(c->text.empty() ? "培训已结束。" : c->text)}},
                             {"items", json::array{Item("培训主题", x.e.title), Item("日期", Str(x.e.fields, "date")),
                                                   Item("地点", Str(x.e.fields, "place")), Item("学时", hours),
                                                   Item("授课人", JoinJson(x.e.fields.if_contains("trainers"))),
                                                   Item("参训人员", names)}}}));
    x.e.number = d.number;
    x.e.fields["closing"] = AtBy(x, json::object{{"summary", c->text},
                                                 {"document", json::object{{"id", d.id}, {"number", d.number}}}});
    return Status::Ok();
  }
  static Status CancelTraining(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["cancellation"] = AtBy(x, json::object{{"reason", r->reason}});
    for (Id org : OrgIdsOf(x.e.fields.if_contains("invited_orgs"))) {
      XT_RETURN_IF_ERROR(x.NotifyDesk(org, "training.cancelled", x.p.org.short_name + "取消业务培训",
                                      "「" + x.e.title + "」：" + r->reason));
    }
    return Status::Ok();
  }

  // ---- R-GUI-3 technical support ----
  static Status CreatedSupport(const GuidanceService& svc, Ctx& x) {
    if (!x.e.to_org_id) {  // a procurement, recorded
      x.summary = "登记委托检测（" + Str(x.e.fields, "institution") + "）：" + x.e.title;
      return Status::Ok();
    }
    const Id dept = *x.e.to_org_id;
    XT_RETURN_IF_ERROR(x.Open(Duty(domain::kTechSupportAnswerDuty, dept, "答复技术支持申请：" + x.e.title,
                                   x.now, svc.options_.tech_answer_days)).status());
    return x.NotifyDesk(dept, "tech_support.requested", x.p.org.short_name + "申请技术支持",
                        x.p.org.name + "申请检验检测技术支持：" + x.e.title + "，请在" +
                            std::to_string(svc.options_.tech_answer_days) + "个工作日内答复（R-GUI-3）");
  }
  static Status Answer(const GuidanceService&, Ctx& x, const GuidanceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const TechAnswerInput* a, In<TechAnswerInput>(in));
    const std::string_view label = domain::GuidanceOptionLabel(domain::TechSupportModes(), a->mode);
    if (label.empty()) {
      return Invalid("mode", "mode 应为 stationed|training|dispatch", x.e.type, "mode must be stationed, training or dispatch");
    }
    json::array people;
    for (const auto& n : a->people) people.push_back(json::value(n));
    const std::string day = a->date ? core::FormatDay(*a->date) : std::string();
    XT_ASSIGN_OR_RETURN(domain::Org township, x.tx.GetOrg(x.e.from_org_id));
    json::array items{Item("支持方式", label), Item("具体安排", a->details)};
    if (!day.empty()) items.push_back(Item("日期", day));
    if (!a->people.empty()) items.push_back(Item("人员", Join(a->people)));
    items.push_back(Item("检测事项", Str(x.e.fields, "subject")));
    XT_ASSIGN_OR_RETURN(
        domain::Document d,
        x.Issue(domain::DocKind::kTechSupportAnswer, x.p.org, "技术支持答复",
                json::object{{"addressee", json::object{{"id", township.id}, {"name", township.name}}},
                             {"paragraphs", json::array{"你单位申请的检验检测技术支持「" + x.e.title + "」，我单位以" +
                                                        std::string(label) + "方式提供支持（R-GUI-3）。"}},
                             {"items", std::move(items)}}));
    x.e.number = d.number;
    x.e.fields["answer"] = AtBy(x, json::object{{"mode", a->mode}, {"mode_label", label}, {"details", a->details},
                                                {"date", day.empty() ? json::value(nullptr) : json::value(day)},
                                                {"people", std::move(people)},
                                                {"document", json::object{{"id", d.id}, {"number", d.number}}}});
    x.summary = "答复技术支持（" + std::string(label) + "）：" + x.e.title;
    return NotifyFrom(x, "tech_support.answered", x.p.org.short_name + "已答复技术支持申请",
                      "：" + std::string(label) + "（" + d.number + "）");
  }

  static const Row* Find(CoordType t, std::string_view a) {
    static constexpr Row kRows[] = {
        {CoordType::kGuidanceRequest, "schedule", Schedule},
        {CoordType::kGuidanceRequest, "decline", Decline},
        {CoordType::kGuidanceRequest, "record", Record},
        {CoordType::kGuidanceRequest, "withdraw", Withdraw},
        {CoordType::kTraining, "attendance", Attendance},
        {CoordType::kTraining, "close", Close},
        {CoordType::kTraining, "cancel", CancelTraining},
        {CoordType::kTechSupport, "answer", Answer},
        {CoordType::kTechSupport, "withdraw", Withdraw},
    };
    for (const auto& r : kRows)
      if (r.type == t && r.action == a) return &r;
    return nullptr;
  }
};

// ---- Construction ---------------------------------------------------------------------------

GuidanceService::GuidanceService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                                 CoordItemService& items, GuidanceOptions options)
    : store_(store), clock_(clock), duties_(duties), items_(items), options_(std::move(options)) {}

// ---- Creation -------------------------------------------------------------------------------

namespace {

Status NewGuidance(storage::Tx& tx, const GuidanceRequestInput& in, CoordItem& it, json::object& data,
                   core::Instant now) {
  const CoordType t = CoordType::kGuidanceRequest;
  const std::string_view label = domain::GuidanceOptionLabel(domain::GuidanceKinds(), in.kind);
  if (label.empty()) return Invalid("kind", "kind 应为 onsite|seminar|consultation", t, "kind must be onsite, seminar or consultation");
  XT_ASSIGN_OR_RETURN(domain::Org dept, Department(tx, in.to_org, t));
  it.to_org_id = dept.id;
  it.kind = in.kind;
  data["kind_label"] = label;
  data["matter"] = nullptr;
  if (!in.matter.empty()) {
    auto m = MatterService::GetMatterByCodeInTx(tx, in.matter);
    if (!m.ok()) {
      if (m.status().code() != core::Code::kNotFound && m.status().code() != core::Code::kInvalidArgument) return m.status();
      return Invalid("matter", "执法事项不存在：" + in.matter, t, "matter: no such matter");
    }
    data["matter"] = json::object{{"code", m->code}, {"name", m->name}};
  }
  if (in.wished_date && *in.wished_date < core::ShanghaiDay(now)) {
    return Invalid("wished_date", "期望日期不能早于今天", t, "wished_date may not be in the past");
  }
  data["question"] = in.question;
  data["wished_date"] = in.wished_date ? json::value(core::FormatDay(*in.wished_date)) : json::value(nullptr);
  for (const char* k : {"schedule", "decline", "record", "withdrawal"}) data[k] = nullptr;
  it.title = !in.title.empty() ? in.title : workflow::Snip(std::string(label) + "：" + in.question, 60);
  return Status::Ok();
}

Status NewTraining(storage::Tx& tx, const TrainingInput& in, CoordItem& it, json::object& data) {
  const CoordType t = CoordType::kTraining;
  if (in.title.empty()) return Missing("title", t);
  if (!(in.hours >= 0.5 && in.hours <= 100) || std::fmod(in.hours * 2, 1.0) != 0) {
    return Invalid("hours", "学时应为0.5至100，以0.5为单位", t, "hours must be 0.5..100 in steps of 0.5");
  }
  json::array invited;
  std::vector<Id> orgs;
  for (size_t i = 0; i < in.invited_orgs.size(); ++i) {
    const std::string f = "invited_orgs[" + std::to_string(i) + "]";
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(in.invited_orgs[i])));
    if (!o || !o->active || o->kind != domain::OrgKind::kTownship) {
      return Invalid(f, "受邀单位应为乡镇", t, f + " must be a township");
    }
    if (std::find(orgs.begin(), orgs.end(), o->id) != orgs.end()) {
      return Status::Invalid(f, "受邀单位重复", "R-GUI-2", "duplicate").En(f + " is listed twice");
    }
    orgs.push_back(o->id);
    invited.push_back(OrgRef(*o));
  }
  if (orgs.empty()) return Missing("invited_orgs", t);
  XT_ASSIGN_OR_RETURN(json::array attendees, UsersOfOrgs(tx, in.attendees, orgs, "attendees"));
  json::array trainers;
  for (const auto& n : in.trainers) trainers.push_back(json::value(n));
  it.kind = "training";
  data["date"] = core::FormatDay(in.date);
  data["year"] = static_cast<int>(std::chrono::year_month_day(in.date).year());
  data["place"] = in.place;
  data["hours"] = in.hours;
  data["trainers"] = std::move(trainers);
  data["content"] = in.content;
  data["invited_orgs"] = std::move(invited);
  data["attendees"] = std::move(attendees);
  for (const char* k : {"attendance", "closing", "cancellation"}) data[k] = nullptr;
  it.title = in.title;
  it.org_ids.insert(it.org_ids.end(), orgs.begin(), orgs.end());
  return Status::Ok();
}

Status NewSupport(storage::Tx& tx, const Principal& p, const TechSupportInput& in, CoordItem& it, json::object& data) {
  const CoordType t = CoordType::kTechSupport;
  data["kind_label"] = in.procurement ? "委托检测机构" : "申请部门技术支持";
  for (const char* k : {"answer", "withdrawal", "procurement"}) data[k] = nullptr;
  data["subject"] = in.subject;
  std::vector<std::string> files;
  XT_ASSIGN_OR_RETURN(json::array materials, CoordMaterialsJson(tx, p, in.materials, RuleOf(t), files));
  data["materials"] = std::move(materials);
  if (in.procurement) {
    it.kind = "procurement";
    if (in.to_org) return Invalid("to_org", "委托检测机构不涉及县直部门", t, "to_org is for requests only");
    if (in.institution.empty()) return Missing("institution", t);
    if (in.contract_number.empty()) return Missing("contract_number", t);
    if (!in.amount) return Missing("amount", t);
    if (!(*in.amount >= 0) || *in.amount > 1e9) return Invalid("amount", "金额应为0至10亿元", t, "amount must be 0..1e9");
    data["sample"] = in.sample;
    data["urgency"] = nullptr;
    data["procurement"] = json::object{{"institution", in.institution}, {"contract_number", in.contract_number},
                                       {"amount", *in.amount}, {"result", in.result}};
    it.title = !in.title.empty() ? in.title : workflow::Snip("委托" + in.institution + "检测：" + in.subject, 60);
    return Status::Ok();
  }
  it.kind = "request";
  if (!in.institution.empty() || !in.contract_number.empty() || in.amount || !in.result.empty()) {
    return Invalid("institution", "检测机构、合同、金额、结果仅用于委托检测", t, "institution, contract, amount and result are for procurements only");
  }
  if (!in.to_org) return Missing("to_org", t);
  XT_ASSIGN_OR_RETURN(domain::Org dept, Department(tx, *in.to_org, t));
  if (in.urgency != "normal" && in.urgency != "urgent") {
    return Invalid("urgency", "urgency 应为 normal|urgent", t, "urgency must be normal or urgent");
  }
  it.to_org_id = dept.id;
  data["sample"] = in.sample;
  data["urgency"] = in.urgency;
  it.title = !in.title.empty() ? in.title : workflow::Snip("检验检测：" + in.subject, 60);
  return Status::Ok();
}

}  // namespace

Result<CoordItemView> GuidanceService::Create(const Principal& p, CoordType t, const Result<GuidanceCreateInput>& in) {
  if (!Mine(t)) return NotFound(t);
  const bool training = t == CoordType::kTraining;
  const domain::OrgKind want = training ? domain::OrgKind::kCountyDepartment : domain::OrgKind::kTownship;
  if (!IsStaff(p) || p.IsAuditor() || p.org.kind != want) {
    return Status::Denied(training ? "仅县直执法部门工作人员可以登记业务培训"
                                   : "仅乡镇工作人员可以发起" + std::string(domain::CoordTypeLabelZh(t)) + "申请",
                          RuleOf(t))
        .En(training ? "Only staff of a county department may record a training"
                     : "Only staff of a township may start a " + std::string(domain::CoordTypeName(t)));
  }
  XT_RETURN_IF_ERROR(in.status());
  const auto* g = std::get_if<GuidanceRequestInput>(&*in);
  const auto* tr = std::get_if<TrainingInput>(&*in);
  const auto* ts = std::get_if<TechSupportInput>(&*in);
  if ((t == CoordType::kGuidanceRequest && !g) || (training && !tr) || (t == CoordType::kTechSupport && !ts)) {
    return Status::Internal("guidance item created with the input of another type");
  }
  const CoordCommonInput& common = g ? static_cast<const CoordCommonInput&>(*g)
                                   : tr ? static_cast<const CoordCommonInput&>(*tr)
                                        : static_cast<const CoordCommonInput&>(*ts);
  const domain::CoordTransition* row =
      domain::ItemCreateRow(TableOf(t), ts && ts->procurement ? "create.procurement" : "create");
  Workflow w{*this, t, /*creating=*/true};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        CoordItem it;
        it.type = t;
        it.from_org_id = p.org.id;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.org_ids = {p.org.id};
        json::object data;
        if (g) XT_RETURN_IF_ERROR(NewGuidance(tx, *g, it, data, now));
        if (tr) XT_RETURN_IF_ERROR(NewTraining(tx, *tr, it, data));
        if (ts) XT_RETURN_IF_ERROR(NewSupport(tx, p, *ts, it, data));
        if (it.to_org_id) it.org_ids.push_back(*it.to_org_id);
        std::sort(it.org_ids.begin(), it.org_ids.end());
        it.org_ids.erase(std::unique(it.org_ids.begin(), it.org_ids.end()), it.org_ids.end());
        if (common.referral_id) {
          XT_ASSIGN_OR_RETURN(std::optional<domain::Referral> r, Maybe(tx.GetReferral(*common.referral_id)));
          if (!r || !ReferralService::CanSee(p, *r)) {
            return Invalid("referral_id", "案件移送不存在", t, "referral_id: no such referral");
          }
          it.referral_id = *common.referral_id;
        }
        it.state = row->to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, CoordFilesOf(data)));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["state"] = domain::ItemStateName(TableOf(t), row->to);
        x.detail["to_org"] = x.e.to_org_id ? json::value(*x.e.to_org_id) : json::value(nullptr);
        if (g) return Steps::CreatedGuidance(*this, x);
        if (tr) return Steps::CreatedTraining(*this, x);
        return Steps::CreatedSupport(*this, x);
      });
}

// ---- Steps ----------------------------------------------------------------------------------

Result<CoordItemView> GuidanceService::Act(const Principal& p, CoordType t, Id id, std::string_view action_in,
                                           const Result<GuidanceStepInput>& in) {
  if (!Mine(t)) return NotFound(t);
  const std::string action(action_in);
  const Steps::Row* handler = Steps::Find(t, action);
  return workflow::Run<Workflow>(Workflow{*this, t}, store_, clock_, duties_, p, id, action, [&](Ctx& x) -> Status {
    if (!handler) return Status::Internal("no handler for " + std::string(domain::CoordTypeName(t)) + "." + action);
    XT_RETURN_IF_ERROR(in.status());  // the body, read by the handler: after access and state
    x.summary = std::string(domain::ItemActionLabel(TableOf(t), action)) + "：" + x.e.title;
    return handler->fn(*this, x, *in);
  });
}

// ---- Reading --------------------------------------------------------------------------------

Result<CoordItemView> GuidanceService::Get(const Principal& p, CoordType t, Id id) {
  if (!Mine(t)) return NotFound(t);
  return workflow::Get(Workflow{*this, t}, store_, clock_, p, id);
}

Result<CoordItemList> GuidanceService::List(const Principal& p, CoordType t, const CoordQuery& q) {
  if (!Mine(t)) return NotFound(t);
  ItemListSpec spec{.type = t, .table = &TableOf(t), .rule = RuleOf(t), .outgoing = true,
                    .kind_ok = [t](const std::string& k) {
                      return t == CoordType::kGuidanceRequest
                                 ? !domain::GuidanceOptionLabel(domain::GuidanceKinds(), k).empty()
                             : t == CoordType::kTechSupport ? (k == "request" || k == "procurement")
                                                            : k == "training";
                    }};
  const core::Instant now = clock_.Now();
  return ListItems(store_, p, spec, q, now, [&](storage::Tx& tx, const CoordItem& it) {
    return items_.Render(tx, it, false, now);
  });
}

Result<std::string> GuidanceService::ExportCsv(const Principal& p, CoordType t, CoordQuery q) {
  q.page_size = 200;
  std::vector<CoordItemView> all;
  for (q.page = 1; static_cast<int>(all.size()) < kMaxExportRows; ++q.page) {
    XT_ASSIGN_OR_RETURN(CoordItemList l, List(p, t, q));
    for (auto& v : l.items) all.push_back(std::move(v));
    if (l.items.empty() || static_cast<int64_t>(all.size()) >= l.total) break;
  }
  const domain::ItemTable& table = TableOf(t);
  auto org = [](const CoordItemView& v, std::optional<Id> id) {
    auto o = id ? v.orgs.find(*id) : v.orgs.end();
    return o == v.orgs.end() ? std::string() : o->second.name;
  };
  if (t == CoordType::kTraining) {
    return CsvDocument(CsvRow({"文号", "培训主题", "举办部门", "日期", "地点", "学时", "受邀乡镇", "出勤人数", "状态"}), all,
                       [&](const CoordItemView& v) {
                         const json::value& att = v.fields.at("attendance");
                         const size_t n = att.is_object() ? att.as_object().at("attended").as_array().size() : 0;
                         return std::vector<std::string>{
                             v.item.number.value_or(""), v.item.title, org(v, v.item.from_org_id), Str(v.fields, "date"),
                             Str(v.fields, "place"), Hours(v.fields.at("hours").to_number<double>()),
                             JoinJson(v.fields.if_contains("invited_orgs"), "name"), std::to_string(n),
                             std::string(domain::ItemStateLabel(table, v.item.state))};
                       });
  }
  // The outcome: the guidance's date and place, or the support's mode (or the institution).
  auto outcome = [](const CoordItemView& v) -> std::string {
    auto obj = [&](const char* k) -> const json::object* {
      const json::value* x = v.fields.if_contains(k);
      return x && x->is_object() ? &x->as_object() : nullptr;
    };
    if (const json::object* o = obj("schedule")) return Str(*o, "date") + " " + Str(*o, "place");
    if (const json::object* o = obj("answer")) return Str(*o, "mode_label") + "：" + Str(*o, "details");
    if (const json::object* o = obj("procurement")) return Str(*o, "institution") + "（" + Str(*o, "contract_number") + "）";
    if (const json::object* o = obj("decline")) return "不予安排：" + Str(*o, "reason");
    return "";
  };
  return CsvDocument(CsvRow({"文号", "标题", "类别", "状态", "申请单位", "县直部门", "安排或答复", "创建时间", "期限状态"}), all,
                     [&](const CoordItemView& v) {
                       const CoordItem& it = v.item;
                       return std::vector<std::string>{
                           it.number.value_or(""), it.title, Str(v.fields, "kind_label"),
                           std::string(domain::ItemStateLabel(table, it.state)), org(v, it.from_org_id),
                           org(v, it.to_org_id), outcome(v), DayTime(it.created_at),
                           std::string(ColourWordZh(v.colour.value_or(domain::Colour::kNone)))};
                     });
}

// ---- R-GUI-2 the yearly view ------------------------------------------------------------------

Result<TrainingSummary> GuidanceService::Summary(const Principal& p, int year) {
  if (year < 2000 || year > 2100) {
    return Status::Invalid("year", "year 应为2000至2100", "R-GUI-2", "invalid_value").En("year must be 2000..2100");
  }
  TrainingSummary out;
  out.year = year;
  out.minimum = options_.TrainingMinimum(year);
  out.today = core::ShanghaiDay(clock_.Now());
  const std::chrono::year_month_day ymd(out.today);
  const bool all = p.Oversees();  // its scope's departments and officers (R-ACC-2)
  const bool department = !all && p.org.kind == domain::OrgKind::kCountyDepartment;
  const bool township_desk = !all && p.org.kind == domain::OrgKind::kTownship &&
                             (p.Has(domain::Role::kLeader) || p.Has(domain::Role::kLiaison));
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    storage::CoordItemFilter f;
    f.type = CoordType::kTraining;
    f.states = {ts::kPlanned, ts::kClosed};
    f.limit = kMaxExportRows;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    std::map<Id, TrainingDepartmentRow> depts;
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    std::map<Id, domain::Org> by_id;
    for (const auto& o : orgs) {
      by_id[o.id] = o;
      if (o.kind != domain::OrgKind::kCountyDepartment || !o.active) continue;
      if (!all && !(department && o.id == p.org.id)) continue;
      if (all && !p.OverseesOrgId(o.id)) continue;
      depts[o.id] = TrainingDepartmentRow{.org = o, .minimum = out.minimum};
    }
    std::map<std::pair<Id, Id>, TrainingOfficerRow> officers;  // (org, user)
    for (const auto& it : rows) {
      const json::object data = json::parse(it.data).as_object();
      const json::value* y = data.if_contains("year");
      if (!y || !y->is_int64() || y->as_int64() != year) continue;
      const double hours = data.at("hours").to_number<double>();
      auto d = depts.find(it.from_org_id);
      if (it.state != ts::kClosed) {
        if (d != depts.end()) ++d->second.planned;
        continue;
      }
      if (d != depts.end()) {
        ++d->second.held;
        d->second.hours += hours;
      }
      if (department && it.from_org_id != p.org.id) continue;
      const json::value& att = data.at("attendance");
      if (!att.is_object()) continue;
      for (const auto& a : att.as_object().at("attended").as_array()) {
        const Id uid = a.at("user").at("id").as_int64();
        const Id oid = a.at("org").at("id").as_int64();
        if (!all && !department) {
          if (township_desk ? oid != p.org.id : uid != p.user.id) continue;
        }
        if (all && !p.OverseesOrgId(oid)) continue;
        auto& row = officers[{oid, uid}];
        if (row.user.id == 0) {
          XT_ASSIGN_OR_RETURN(std::optional<domain::User> u, Maybe(tx.GetUser(uid)));
          if (!u) continue;
          row.user = *u;
          row.org = by_id.count(oid) ? by_id[oid] : domain::Org{};
        }
        row.hours += hours;
        ++row.trainings;
      }
    }
    for (auto& [id, d] : depts) {
      d.colour = std::string(domain::TrainingColourName(domain::TrainingYearColour(
          d.held, d.minimum, year, static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())))));
      out.departments.push_back(std::move(d));
    }
    for (auto& [k, o] : officers)
      if (o.user.id != 0) out.officers.push_back(std::move(o));
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
