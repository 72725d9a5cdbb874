#include "service/duty_service.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <chrono>
#include <cstdlib>
#include <set>
#include <utility>

#include "domain/rules.h"
#include "service/audit_log.h"
#include "service/region_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::Duty;
using domain::DutyState;

// Values index kActions and match the k* constants of kTransitions below.
enum class DutyService::Action : int {
  kMeet = 0,
  kWaive = 1,
  kExtend = 2,
  kSuspend = 3,
  kResume = 4
};

namespace {

constexpr size_t kMaxReasonChars = 500;
constexpr size_t kMaxTitleChars = 200;
constexpr size_t kMaxObjectIdChars = 64;
constexpr size_t kMaxObjectTypeChars = 32;
constexpr size_t kMaxQueryChars = 100;

size_t Utf8Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string_view StateLabelZh(DutyState s) {
  switch (s) {
    case DutyState::kOpen: return "进行中";
    case DutyState::kMet: return "已履行";
    case DutyState::kWaived: return "已免除";
    case DutyState::kSuspended: return "已中止";
  }
  return "未知";
}

Status DutyNotFound() {
  // The same answer for a missing duty and for one the principal may not see (R-ACC-1).
  return Status(core::Code::kNotFound, "not_found", "职责不存在", "id", "R-ACC-1")
      .En("No such duty");
}

Status NormaliseNotFound(const Status& st) {
  return st.code() == core::Code::kNotFound ? DutyNotFound() : st;
}

Status CheckReason(const std::string& reason) {
  size_t n = Utf8Chars(reason);
  bool blank = std::all_of(reason.begin(), reason.end(),
                           [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
  if (n == 0 || blank)
    return Status::Invalid("reason", "请填写理由", "R-TIME-4", "missing_field")
        .En("A reason is required");
  if (n > kMaxReasonChars)
    return Status::Invalid("reason", "理由不能超过500字", "R-TIME-4", "too_long")
        .En("The reason is longer than 500 characters");
  return Status::Ok();
}

bool InSupportedRange(core::Instant t) {
  auto day = std::chrono::year_month_day(core::ShanghaiDay(t));
  int y = static_cast<int>(day.year());
  return y >= 2000 && y <= 2099;
}

int64_t MaxPeriod(domain::PeriodUnit u) {
  switch (u) {
    case domain::PeriodUnit::kWorkingDays: return 365;
    case domain::PeriodUnit::kCalendarDays: return 366;
    case domain::PeriodUnit::kHours: return 24 * 366;
  }
  return 0;
}

}  // namespace

namespace {
// The life-cycle transition table (R-TIME-4): (action, from) -> to. Nothing else is legal.
struct TransitionRow {
  int action;  // DutyService::Action as int (the enum is private to the class)
  DutyState from;
  DutyState to;
};
constexpr int kMeet = 0, kWaive = 1, kExtend = 2, kSuspend = 3, kResume = 4;
constexpr TransitionRow kTransitions[] = {
    {kMeet, DutyState::kOpen, DutyState::kMet},
    {kMeet, DutyState::kSuspended, DutyState::kMet},
    {kWaive, DutyState::kOpen, DutyState::kWaived},
    {kWaive, DutyState::kSuspended, DutyState::kWaived},
    {kExtend, DutyState::kOpen, DutyState::kOpen},
    {kSuspend, DutyState::kOpen, DutyState::kSuspended},
    {kResume, DutyState::kSuspended, DutyState::kOpen},
};
struct ActionInfo {
  const char* verb_zh;     // 不能…
  const char* event_kind;  // DutyEvent::kind
  const char* audit;       // audit action
  const char* summary_zh;  // audit summary prefix
};
constexpr ActionInfo kActions[] = {
    {"标记履行", "met", "duty.meet", "职责已履行："},
    {"免除", "waived", "duty.waive", "免除职责："},
    {"延期", "extended", "duty.extend", "延长职责期限："},
    {"中止", "suspended", "duty.suspend", "中止职责计时："},
    {"恢复", "resumed", "duty.resume", "恢复职责计时："},
};
}  // namespace

bool DutyService::CanSee(const Principal& p, const Duty& d) {
  if (p.OverseesOrgId(d.owner_org_id)) return true;  // R-ACC-1, R-ACC-2
  if (d.owner_org_id == p.org.id) return true;
  return d.created_by && *d.created_by == p.user.id;
}

DutyService::DutyService(storage::Store& store, const core::Clock& clock,
                         CalendarService& calendars)
    : store_(store), clock_(clock), calendars_(calendars) {}

Result<Duty> DutyService::CreateInTx(storage::Tx& tx, const Principal* actor, const DutyInput& in,
                                     core::Instant now) {
  const domain::DutyKind* kind = domain::FindDutyKind(in.kind);
  if (!kind) {
    return Status::Invalid("kind", "未知的职责类型：" + in.kind, "R-TIME-4")
        .En("Unknown duty kind: " + in.kind);
  }
  if (in.object_type.empty() || in.object_type.size() > kMaxObjectTypeChars ||
      !std::all_of(in.object_type.begin(), in.object_type.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    return Status::Invalid("object_type", "对象类型应为1至32个小写字母或下划线")
        .En("object_type must be 1 to 32 lower-case letters or underscores");
  }
  if (in.object_id.empty() || Utf8Chars(in.object_id) > kMaxObjectIdChars) {
    return Status::Invalid("object_id", "对象编号应为1至64个字符")
        .En("object_id must have 1 to 64 characters");
  }
  if (in.title.empty() || Utf8Chars(in.title) > kMaxTitleChars) {
    return Status::Invalid("title", "标题应为1至200个字符")
        .En("title must have 1 to 200 characters");
  }
  if (!InSupportedRange(in.trigger_at)) {
    return Status::Invalid("trigger_at", "触发时间应在2000年至2099年之间", "R-TIME-5")
        .En("trigger_at must lie in 2000..2099");
  }
  domain::PeriodUnit unit = kind->unit;
  int64_t period = kind->period;
  if (in.unit.has_value() != in.period.has_value()) {
    return Status::Invalid(in.unit ? "period.value" : "period.unit", "期限须同时给出单位和数值",
                           "R-TIME-4")
        .En("A period override needs both unit and value");
  }
  if (in.unit) {
    unit = *in.unit;
    period = *in.period;
    if (period < 1 || period > MaxPeriod(unit)) {
      return Status::Invalid("period.value",
                             "期限数值应在1至" + std::to_string(MaxPeriod(unit)) + "之间",
                             "R-TIME-4")
          .En("period.value out of range");
    }
  }
  std::string rule(kind->rule);
  if (in.rule) {
    if (!domain::FindRule(*in.rule)) {
      return Status::Invalid("rule", "未知的规则：" + *in.rule).En("Unknown rule: " + *in.rule);
    }
    rule = *in.rule;
  }
  auto org = tx.GetOrg(in.owner_org_id);
  if (!org.ok()) {
    if (org.status().code() != core::Code::kNotFound) return org.status();
    return Status::Invalid("owner_org_id", "责任机构不存在").En("No such org");
  }
  if (org->kind == domain::OrgKind::kUnit) {
    return Status::Invalid("owner_org_id",
                           "职责应由县直执法部门或乡镇承担，不能由内设机构或派出机构承担",
                           "R-REF-2")
        .En("A duty is owed by a department or township office, never by a unit");
  }
  if (!org->active) {
    return Status::Invalid("owner_org_id", "责任机构已停用").En("The org is inactive");
  }

  std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
  if (!cal) return Status::Unavailable("工作日历未加载");
  calendar::Deadline due = domain::ComputeDue(*cal, in.trigger_at, unit, period);

  Duty d;
  d.kind = std::string(kind->id);
  d.rule = rule;
  d.owner_org_id = in.owner_org_id;
  d.object_type = in.object_type;
  d.object_id = in.object_id;
  d.title = in.title;
  d.trigger_at = in.trigger_at;
  d.unit = unit;
  d.period = period;
  d.due_at = due.due;
  d.yellow_at = domain::ComputeYellowAt(*cal, due, unit, period);
  d.calendar_version = due.version;
  d.provisional = due.provisional;
  d.state = DutyState::kOpen;
  d.created_at = now;
  if (actor) d.created_by = actor->user.id;
  XT_ASSIGN_OR_RETURN(d.id, tx.InsertDuty(d));

  domain::DutyEvent ev;
  ev.duty_id = d.id;
  ev.at = now;
  if (actor) ev.actor_user_id = actor->user.id;
  ev.kind = "created";
  ev.new_due = d.due_at;
  XT_RETURN_IF_ERROR(tx.InsertDutyEvent(ev).status());

  json::object detail;
  detail["kind"] = d.kind;
  detail["rule"] = d.rule;
  detail["owner_org_id"] = d.owner_org_id;
  detail["object_type"] = d.object_type;
  detail["object_id"] = d.object_id;
  detail["title"] = d.title;
  detail["trigger_at"] = core::FormatInstant(d.trigger_at);
  detail["period"] = json::object{{"unit", domain::PeriodUnitName(d.unit)}, {"value", d.period}};
  detail["due_at"] = core::FormatInstant(d.due_at);
  detail["yellow_at"] = core::FormatInstant(d.yellow_at);
  detail["calendar_version"] = d.calendar_version;
  detail["provisional"] = d.provisional;
  XT_RETURN_IF_ERROR(
      Record(tx, actor, now,
             AuditRecord{"duty.create", "duty", std::to_string(d.id),
                         "创建职责：" + d.title + "（" + org->name + "）", std::move(detail)})
          );
  return d;
}

Result<DutyDetail> DutyService::Create(const Principal& p, const DutyInput& in) {
  if (!p.IsCoordinator() && !p.IsAdmin()) {
    return Status::Denied("仅依法治县办工作人员或系统管理员可直接创建职责", "R-ACC-1")
        .En("Only coordinator staff or administrators may create duties directly");
  }
  if (!p.SeesOrgId(in.owner_org_id)) {  // another region's org (R-ACC-2)
    return Status::Invalid("owner_org_id", "责任机构不在本辖区", "R-ACC-2")
        .En("The owner org is outside your region");
  }
  // A duty belongs to its workflow: a workflow opens its own duties (domain/duty.h DutyEnding).
  if (const domain::DutyKind* k = domain::FindDutyKind(in.kind);
      k && k->ending == domain::DutyEnding::kByWorkflow) {
    return Status::Precondition("duty_opened_by_workflow",
                                "「" + std::string(k->label_zh) + "」（" + in.kind +
                                    "）由其工作流程自动设立，不能直接创建；" + std::string(k->end_act_zh),
                                std::string(k->rule), "kind")
        .En("A workflow opens its own duties: " + in.kind + " cannot be created directly; " +
            std::string(k->end_act_en));
  }
  const core::Instant now = clock_.Now();
  DutyDetail out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(Duty d, CreateInTx(tx, &p, in, now));
    XT_ASSIGN_OR_RETURN(out, Detail(tx, std::move(d), calendars_.Current(), now));  // not null
    return Status::Ok();
  }));
  return out;
}

Result<DutyList> DutyService::List(const Principal& p, const DutyQuery& q) {
  storage::DutyFilter f;
  if (q.scope.empty() || q.scope == "org") {
    f.owner_org_ids = {p.org.id};
  } else if (q.scope == "mine") {
    f.created_by = p.user.id;
  } else if (q.scope == "all") {
    if (!p.Oversees()) {
      return Status::Denied("仅依法治县办可查看全部机构的职责", "R-ACC-1")
          .En("Only the coordinator sees every org's duties");
    }
    ApplyScope(p, f);  // its region's orgs (R-ACC-2)
  } else {
    return Status::Invalid("scope", "范围应为 org、mine 或 all", "R-ACC-1")
        .En("scope must be org, mine or all");
  }
  if (!q.state.empty()) {
    f.state = domain::ParseDutyState(q.state);
    if (!f.state) {
      return Status::Invalid("state", "状态应为 open、met、waived 或 suspended")
          .En("state must be open, met, waived or suspended");
    }
  }
  if (!q.kind.empty()) {
    if (!domain::FindDutyKind(q.kind)) {
      return Status::Invalid("kind", "未知的职责类型：" + q.kind).En("Unknown duty kind");
    }
    f.kind = q.kind;
  }
  if (q.page < 1) return Status::Invalid("page", "页码应不小于1").En("page must be >= 1");
  if (q.page_size < 1 || q.page_size > 200) {
    return Status::Invalid("page_size", "每页条数应在1至200之间").En("page_size must be 1..200");
  }
  if (Utf8Chars(q.q) > kMaxQueryChars) {
    return Status::Invalid("q", "搜索文字不能超过100字", {}, "too_long").En("q is too long");
  }
  f.due_from = q.due_from;
  f.due_to = q.due_to;
  f.text = q.q;
  f.offset = (q.page - 1) * q.page_size;
  f.limit = q.page_size;

  DutyList out;
  out.now = clock_.Now();
  out.calendar = calendars_.Current();
  if (!out.calendar) return Status::Unavailable("工作日历未加载");
  bool empty = false;
  if (!q.colour.empty()) {
    XT_ASSIGN_OR_RETURN(domain::Colour colour, domain::ParseColourFilter(q.colour));
    // R-TIME-4: colours are instants compared with now; only open duties have one.
    if (f.state && *f.state != DutyState::kOpen) empty = true;
    f.state = DutyState::kOpen;
    switch (colour) {
      case domain::Colour::kGreen: f.yellow_at_gt = out.now; break;
      case domain::Colour::kYellow:
        f.yellow_at_le = out.now;
        f.due_at_gt = out.now;
        break;
      case domain::Colour::kRed: f.due_at_le = out.now; break;
      case domain::Colour::kNone: break;
    }
  }
  if (empty) return out;

  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out.items, tx.ListDuties(f));
    // A short page that is not past the end holds every remaining row of this snapshot, so the
    // total is known without counting.
    const bool short_page = static_cast<int>(out.items.size()) < f.limit &&
                            (!out.items.empty() || f.offset == 0);
    if (short_page) {
      out.total = f.offset + static_cast<int64_t>(out.items.size());
    } else {
      XT_ASSIGN_OR_RETURN(out.total, tx.CountDuties(f));
    }
    if (out.items.empty()) return Status::Ok();
    // The page's owner orgs (an org inbox names only the principal's own org, read with the
    // principal; a province has thousands of orgs, so never all of them).
    std::vector<domain::Id> wanted;
    for (const auto& d : out.items) {
      if (d.owner_org_id == p.org.id) {
        out.org_names[p.org.id] = p.org.name;
      } else {
        wanted.push_back(d.owner_org_id);
      }
    }
    if (wanted.empty()) return Status::Ok();
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.GetOrgsByIds(wanted));
    for (auto& o : orgs) out.org_names[o.id] = std::move(o.name);
    return Status::Ok();
  }));
  return out;
}

Result<DutyDetail> DutyService::Detail(storage::Tx& tx, Duty duty,
                                       std::shared_ptr<const calendar::Calendar> cal,
                                       core::Instant now) {
  DutyDetail out;
  auto org = tx.GetOrg(duty.owner_org_id);
  if (org.ok()) {
    out.owner_org_name = org->name;
  } else if (org.status().code() != core::Code::kNotFound) {
    return org.status();
  }
  XT_ASSIGN_OR_RETURN(out.events, tx.ListDutyEvents(duty.id));
  out.duty = std::move(duty);
  out.calendar = std::move(cal);
  out.now = now;
  return out;
}

Result<DutyDetail> DutyService::Get(const Principal& p, domain::Id id) {
  const core::Instant now = clock_.Now();
  std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
  if (!cal) return Status::Unavailable("工作日历未加载");
  DutyDetail out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto d = tx.GetDuty(id);
    if (!d.ok()) return NormaliseNotFound(d.status());
    if (!CanSee(p, *d)) return DutyNotFound();  // R-ACC-1: do not reveal that it exists
    XT_ASSIGN_OR_RETURN(out, Detail(tx, std::move(d).value(), cal, now));
    return Status::Ok();
  }));
  return out;
}

Result<DutyDetail> DutyService::Transition(
    const Principal& p, domain::Id id, Action action,
    const std::function<Status(Duty&, domain::DutyEvent&, const calendar::Calendar&, core::Instant,
                               storage::Tx&)>& change) {
  const int a = static_cast<int>(action);
  const ActionInfo& info = kActions[a];
  const core::Instant now = clock_.Now();
  DutyDetail out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    // Read inside the transaction: see CalendarService::Import.
    std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
    if (!cal) return Status::Unavailable("工作日历未加载");
    auto got = tx.GetDuty(id);
    if (!got.ok()) return NormaliseNotFound(got.status());
    Duty d = std::move(got).value();
    if (!CanSee(p, d)) return DutyNotFound();

    // Who may do what (R-ACC-1).
    const bool owner = p.org.id == d.owner_org_id;
    bool allowed = false;
    const char* who = "";
    switch (action) {
      case Action::kMeet:
        allowed = owner || p.IsCoordinator();
        who = "仅责任机构人员或依法治县办工作人员可标记履行";
        break;
      case Action::kWaive:
        allowed = p.IsCoordinator() || p.IsAdmin();
        who = "仅依法治县办工作人员或系统管理员可免除职责";
        break;
      case Action::kExtend:
        allowed = (owner && p.Has(domain::Role::kLeader)) || p.IsCoordinator();
        who = "仅责任机构领导或依法治县办工作人员可延长期限";
        break;
      case Action::kSuspend:
      case Action::kResume:
        allowed = p.IsCoordinator();
        who = action == Action::kSuspend ? "仅依法治县办工作人员可中止职责计时"
                                         : "仅依法治县办工作人员可恢复职责计时";
        break;
    }
    if (!allowed) return Status::Denied(who, "R-ACC-1");

    // The kind's policy (domain/duty.h): a duty belongs to its workflow; statutory periods are
    // never stretched. Checked before the state: the route is refused for the kind in any state.
    switch (action) {
      case Action::kMeet: XT_RETURN_IF_ERROR(domain::CheckGenericEnd(d, /*waive=*/false)); break;
      case Action::kWaive: XT_RETURN_IF_ERROR(domain::CheckGenericEnd(d, /*waive=*/true)); break;
      case Action::kExtend:
        XT_RETURN_IF_ERROR(domain::CheckGenericExtend(d, p.IsCoordinator()));
        break;
      case Action::kSuspend: XT_RETURN_IF_ERROR(domain::CheckGenericSuspend(d)); break;
      case Action::kResume: break;  // gives back the time a suspension took
    }

    const TransitionRow* row = nullptr;
    for (const auto& r : kTransitions)
      if (r.action == a && r.from == d.state) row = &r;
    if (!row) {
      return Status::Precondition(
                 "illegal_transition",
                 "当前状态为" + std::string(StateLabelZh(d.state)) + "，不能" + info.verb_zh,
                 "R-TIME-4")
          .En("The duty is " + std::string(domain::DutyStateName(d.state)) + "; cannot " +
              info.event_kind);
    }

    const Duty before = d;
    domain::DutyEvent ev;
    ev.duty_id = d.id;
    ev.at = now;
    ev.actor_user_id = p.user.id;
    ev.kind = info.event_kind;
    XT_RETURN_IF_ERROR(change(d, ev, *cal, now, tx));
    d.state = row->to;
    XT_RETURN_IF_ERROR(tx.UpdateDuty(d));
    XT_RETURN_IF_ERROR(tx.InsertDutyEvent(ev).status());

    json::object detail;
    detail["old_state"] = domain::DutyStateName(before.state);
    detail["new_state"] = domain::DutyStateName(d.state);
    if (!ev.reason.empty()) detail["reason"] = ev.reason;
    if (before.due_at != d.due_at) {
      detail["old_due"] = core::FormatInstant(before.due_at);
      detail["new_due"] = core::FormatInstant(d.due_at);
    }
    if (action == Action::kExtend) {  // under which authority (domain::DutyExtension)
      detail["extended_by"] = p.IsCoordinator() ? "coordinator" : "owner_leader";
    }
    if (d.met_at) {
      detail["met_at"] = core::FormatInstant(*d.met_at);
      detail["on_time"] = d.on_time.value_or(false);
      detail["late_working_days"] = d.late_working_days.value_or(0);
    }
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{info.audit, "duty", std::to_string(d.id),
                                          info.summary_zh + d.title, std::move(detail)})
                           );
    XT_ASSIGN_OR_RETURN(out, Detail(tx, std::move(d), cal, now));
    return Status::Ok();
  }));
  return out;
}

Result<DutyDetail> DutyService::Meet(const Principal& p, domain::Id id,
                                     std::optional<core::Instant> at) {
  return Transition(p, id, Action::kMeet,
                    [&](Duty& d, domain::DutyEvent& ev, const calendar::Calendar& cal,
                        core::Instant now, storage::Tx&) -> Status {
                      core::Instant when = at.value_or(now);
                      // R-TIME-4: between the trigger and now; a few minutes of clock skew are
                      // tolerated and recorded as now, so a met instant is never in the future.
                      XT_RETURN_IF_ERROR(domain::CheckMetAt(d, when, now));
                      if (when > now && now >= d.trigger_at) when = now;
                      domain::MarkMet(cal, d, when);  // R-TIME-4: on time or late, by how much
                      ev.new_due = d.due_at;
                      d.state_reason.clear();
                      return Status::Ok();
                    });
}

Result<DutyDetail> DutyService::Waive(const Principal& p, domain::Id id,
                                      const std::string& reason) {
  XT_RETURN_IF_ERROR(CheckReason(reason));
  return Transition(p, id, Action::kWaive,
                    [&](Duty& d, domain::DutyEvent& ev, const calendar::Calendar&, core::Instant,
                        storage::Tx&) -> Status {
                      d.state_reason = reason;
                      ev.reason = reason;
                      return Status::Ok();
                    });
}

Result<DutyDetail> DutyService::Extend(const Principal& p, domain::Id id, const std::string& reason,
                                       core::Instant new_due) {
  XT_RETURN_IF_ERROR(CheckReason(reason));
  if (!InSupportedRange(new_due)) {
    return Status::Invalid("new_due", "新的期限应在2000年至2099年之间", "R-TIME-4")
        .En("new_due must lie in 2000..2099");
  }
  return Transition(p, id, Action::kExtend,
                    [&](Duty& d, domain::DutyEvent& ev, const calendar::Calendar& cal,
                        core::Instant now, storage::Tx&) -> Status {
                      if (new_due <= d.due_at || new_due <= now) {
                        return Status::Invalid("new_due",
                                               "新的期限须晚于当前期限（" +
                                                   core::FormatInstant(d.due_at) + "）和当前时间",
                                               "R-TIME-4")
                            .En("new_due must be after the current due and now");
                      }
                      ev.reason = reason;
                      ev.old_due = d.due_at;
                      ev.new_due = new_due;
                      d.due_at = new_due;
                      d.yellow_at = YellowForDue(cal, d, new_due);
                      // An explicit instant chosen by a person: nothing to recompute later
                      // (R-TIME-3).
                      d.provisional = false;
                      d.calendar_version = cal.version();
                      d.notified_level = CappedNotifiedLevel(d, now);
                      return Status::Ok();
                    });
}

Result<DutyDetail> DutyService::Suspend(const Principal& p, domain::Id id,
                                        const std::string& reason) {
  XT_RETURN_IF_ERROR(CheckReason(reason));
  return Transition(p, id, Action::kSuspend,
                    [&](Duty& d, domain::DutyEvent& ev, const calendar::Calendar&, core::Instant,
                        storage::Tx&) -> Status {
                      d.state_reason = reason;
                      ev.reason = reason;
                      ev.old_due = d.due_at;
                      return Status::Ok();
                    });
}

Result<DutyDetail> DutyService::Resume(const Principal& p, domain::Id id) {
  return Transition(p, id, Action::kResume,
                    [&](Duty& d, domain::DutyEvent& ev, const calendar::Calendar& cal,
                        core::Instant now, storage::Tx& tx) -> Status {
                      XT_ASSIGN_OR_RETURN(std::vector<domain::DutyEvent> events,
                                          tx.ListDutyEvents(d.id));
                      std::optional<core::Instant> since;
                      for (const auto& e : events)
                        if (e.kind == "suspended") since = e.at;
                      std::chrono::milliseconds shift{0};
                      if (since && now > *since) shift = now - *since;
                      ev.old_due = d.due_at;
                      d.due_at += shift;
                      ev.new_due = d.due_at;
                      if (shift.count() > 0) d.yellow_at = YellowForDue(cal, d, d.due_at);
                      d.notified_level = CappedNotifiedLevel(d, now);
                      d.state_reason.clear();
                      return Status::Ok();
                    });
}

// ---- In-transaction steps for workflows (MeetInTx / WaiveInTx) ----

namespace {
Status InTxTransitionAllowed(int action, const Duty& d) {
  for (const auto& r : kTransitions)
    if (r.action == action && r.from == d.state) return Status::Ok();
  return Status::Precondition("illegal_transition",
                              "当前状态为" + std::string(StateLabelZh(d.state)) + "，不能" +
                                  kActions[action].verb_zh,
                              "R-TIME-4")
      .En("The duty is " + std::string(domain::DutyStateName(d.state)) + "; cannot " +
          kActions[action].event_kind);
}

Status WriteInTxStep(storage::Tx& tx, const Principal* actor, const Duty& before, const Duty& d,
                     domain::DutyEvent ev, int action, core::Instant now) {
  XT_RETURN_IF_ERROR(tx.UpdateDuty(d));
  XT_RETURN_IF_ERROR(tx.InsertDutyEvent(ev).status());
  json::object detail;
  detail["old_state"] = domain::DutyStateName(before.state);
  detail["new_state"] = domain::DutyStateName(d.state);
  if (!ev.reason.empty()) detail["reason"] = ev.reason;
  if (d.met_at) {
    detail["met_at"] = core::FormatInstant(*d.met_at);
    detail["on_time"] = d.on_time.value_or(false);
    detail["late_working_days"] = d.late_working_days.value_or(0);
  }
  return Record(tx, actor, now,
                AuditRecord{kActions[action].audit, "duty", std::to_string(d.id),
                            kActions[action].summary_zh + d.title, std::move(detail)});
}
}  // namespace

Result<Duty> DutyService::MeetInTx(storage::Tx& tx, const Principal* actor, Duty d,
                                   core::Instant at, core::Instant now) {
  XT_RETURN_IF_ERROR(InTxTransitionAllowed(kMeet, d));
  if (at < d.trigger_at) {
    return Status::Invalid("at", "履行时间不能早于触发时间", "R-TIME-4")
        .En("at lies before the trigger");
  }
  std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
  if (!cal) return Status::Unavailable("工作日历未加载");
  const Duty before = d;
  domain::MarkMet(*cal, d, at);  // R-TIME-4: on time or late, by how much
  d.state = DutyState::kMet;
  d.state_reason.clear();
  domain::DutyEvent ev;
  ev.duty_id = d.id;
  ev.at = now;
  if (actor) ev.actor_user_id = actor->user.id;
  ev.kind = kActions[kMeet].event_kind;
  ev.new_due = d.due_at;
  XT_RETURN_IF_ERROR(WriteInTxStep(tx, actor, before, d, ev, kMeet, now));
  return d;
}

Result<Duty> DutyService::WaiveInTx(storage::Tx& tx, const Principal* actor, Duty d,
                                    const std::string& reason, core::Instant now) {
  XT_RETURN_IF_ERROR(CheckReason(reason));
  XT_RETURN_IF_ERROR(InTxTransitionAllowed(kWaive, d));
  const Duty before = d;
  d.state = DutyState::kWaived;
  d.state_reason = reason;
  domain::DutyEvent ev;
  ev.duty_id = d.id;
  ev.at = now;
  if (actor) ev.actor_user_id = actor->user.id;
  ev.kind = kActions[kWaive].event_kind;
  ev.reason = reason;
  XT_RETURN_IF_ERROR(WriteInTxStep(tx, actor, before, d, ev, kWaive, now));
  return d;
}

Result<std::vector<Duty>> DutiesOfObject(storage::Tx& tx, std::string_view object_type,
                                         domain::Id id) {
  storage::DutyFilter f;
  f.object_type = std::string(object_type);
  f.object_id = std::to_string(id);
  f.limit = 500;
  XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, tx.ListDuties(f));
  std::sort(ds.begin(), ds.end(), [](const Duty& a, const Duty& b) { return a.id < b.id; });
  return ds;
}

Result<std::map<domain::Id, std::vector<Duty>>> DutiesOfObjects(
    storage::Tx& tx, std::string_view object_type, const std::vector<domain::Id>& ids) {
  std::map<domain::Id, std::vector<Duty>> out;
  if (ids.empty()) return out;
  storage::DutyFilter f;
  f.object_type = std::string(object_type);
  for (domain::Id id : ids) f.object_ids.push_back(std::to_string(id));
  f.limit = 500 * static_cast<int>(ids.size());
  XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, tx.ListDuties(f));
  std::sort(ds.begin(), ds.end(), [](const Duty& a, const Duty& b) { return a.id < b.id; });
  for (Duty& d : ds) {
    char* end = nullptr;
    const domain::Id id = std::strtoll(d.object_id.c_str(), &end, 10);
    auto& list = out[id];
    if (list.size() < 500) list.push_back(std::move(d));
  }
  return out;
}

const Duty* EarliestOpenDuty(const std::vector<Duty>& duties) {
  const Duty* first = nullptr;
  for (const auto& d : duties) {
    if (d.state != DutyState::kOpen) continue;
    if (!first || d.due_at < first->due_at || (d.due_at == first->due_at && d.id < first->id))
      first = &d;
  }
  return first;
}

domain::Colour EarliestOpenColour(const std::vector<Duty>& duties, core::Instant now) {
  const Duty* first = EarliestOpenDuty(duties);
  return first ? domain::ColourAt(*first, now) : domain::Colour::kNone;
}

}  // namespace xietong::service
