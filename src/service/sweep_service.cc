#include "service/sweep_service.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "domain/doc_number.h"
#include "domain/duty.h"
#include "domain/region.h"
#include "domain/rules.h"
#include "service/audit_log.h"

namespace xietong::service {

namespace json = boost::json;
using core::Status;
using domain::Duty;
using domain::Id;

namespace {

std::string KindLabel(const Duty& d) {
  const domain::DutyKind* k = domain::FindDutyKind(d.kind);
  return k ? std::string(k->label_zh) : d.kind;
}

struct Notice {
  std::string title;
  std::string body;
};

Notice MakeNotice(const Duty& d, int level, const std::string& org_name,
                  const calendar::Calendar* cal, core::Instant now) {
  const std::string label = KindLabel(d);
  const std::string due = domain::FormatDueZh(d.due_at);
  Notice n;
  if (level == 2) {
    n.title = "【超期】" + label + "已超期（期限" + due + "）";
  } else {
    n.title = "【预警】" + label + "将于" + due + "到期";
  }
  n.body = "职责：" + d.title + "（责任机构：" + org_name + "）。";
  const domain::Rule* rule = domain::FindRule(d.rule);
  n.body += "依据" + d.rule + (rule ? "：" + std::string(rule->zh) : std::string("。"));
  n.body += "期限：" + due + "。";
  if (level == 2) {
    n.body += "该职责已超过期限，请尽快办理。";
  } else if (d.unit == domain::PeriodUnit::kHours && cal) {
    domain::Remaining r = domain::RemainingAt(*cal, d, now);
    n.body += "剩余约" + std::to_string(r.hours) + "小时，请及时办理。";
  } else {
    n.body += "该职责将在一个工作日内到期，请及时办理。";
  }
  if (d.provisional) n.body += "（期限按暂定日历计算，R-TIME-3）";
  return n;
}

// What a batch did; valid once its transaction committed.
struct Tally {
  int yellow = 0;
  int red = 0;
  int notified = 0;
};

// What a pass knows about the owner orgs of its duties, read outside the write transactions
// (so that these never lock an org or user row): names (from the pass's ListOrgs) and the
// recipients of the warnings, the liaisons and leaders (R-SYS-2), read once per org and pass.
struct Owners {
  std::map<Id, std::string> names;
  std::map<Id, std::optional<std::string>> regions;  // R-ACC-2: each org's region code
  std::map<Id, std::vector<Id>> recipients;  // enabled users only, ascending id
  std::set<Id> without_liaison;  // orgs whose warnings fall back to their leaders (R-SYS-2)

  // Reads the recipients (and, when unknown, the name) of every org in `orgs` not read yet.
  Status Load(storage::Tx& tx, const std::set<Id>& orgs) {
    std::vector<Id> missing;
    for (Id o : orgs)
      if (!recipients.contains(o)) missing.push_back(o);
    if (missing.empty()) return Status::Ok();
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> users,
                        tx.ListUsersWithRolesIn(missing, domain::RoleSet{domain::Role::kLiaison,
                                                                         domain::Role::kLeader}));
    for (Id o : missing) {
      recipients[o];
      without_liaison.insert(o);
    }
    for (const auto& u : users) {
      if (u.disabled) continue;
      recipients[u.org_id].push_back(u.id);
      if (u.roles.Has(domain::Role::kLiaison)) without_liaison.erase(u.org_id);
    }
    for (Id o : missing) {
      std::vector<Id>& r = recipients[o];
      std::sort(r.begin(), r.end());
      if (names.contains(o)) continue;
      auto org = tx.GetOrg(o);  // an org created during the pass
      if (org.ok()) {
        names[o] = org->name;
        regions[o] = org->region_code;
      } else if (org.status().code() != core::Code::kNotFound) {
        return org.status();
      }
    }
    return Status::Ok();
  }
};

// A user who acts for a coordinator office, with the office's scope (R-ACC-2): "" for an office
// without a region (it coordinates the whole deployment, as before regions).
struct CoordinatorUser {
  Id user = 0;
  std::string scope;
};

// The coordinator users warned of a red duty of an org at `region`: the office coordinating that
// org alone (its county's, R-ACC-2) and the offices without a region.
std::vector<Id> CoordinatorsOf(const std::vector<CoordinatorUser>& coordinators,
                               const std::optional<std::string>& region) {
  const std::string own = region ? domain::CoordinatingScope({*region}) : std::string();
  std::vector<Id> out;
  for (const auto& c : coordinators)
    if (c.scope.empty() || (!own.empty() && c.scope == own)) out.push_back(c.user);
  return out;
}

// Warns about the duties `ids` inside `tx` (their order: red first, as found). The duties'
// levels are raised first, in one narrow store call that re-checks each duty (another pass may
// have got there first: such a duty is not returned and not warned again); then the raised
// duties get their events, notifications and audit entries, one store call each.
Status SweepBatch(storage::Tx& tx, std::span<const Id> ids, core::Instant now,
                  const std::vector<CoordinatorUser>& coordinators, const calendar::Calendar* cal,
                  Owners& owners, Tally& tally) {
  tally = {};
  XT_ASSIGN_OR_RETURN(std::vector<Duty> raised,
                      tx.RaiseNotifiedLevels(std::vector<Id>(ids.begin(), ids.end()), now));
  if (raised.empty()) return Status::Ok();
  std::map<Id, size_t> order;
  for (size_t i = 0; i < ids.size(); ++i) order.emplace(ids[i], i);
  std::sort(raised.begin(), raised.end(),
            [&](const Duty& a, const Duty& b) { return order[a.id] < order[b.id]; });
  {
    std::set<Id> orgs;
    for (const Duty& d : raised) orgs.insert(d.owner_org_id);
    XT_RETURN_IF_ERROR(owners.Load(tx, orgs));  // a no-op unless an owner changed meanwhile
  }

  std::vector<domain::DutyEvent> events;
  std::vector<domain::Notification> notes;
  std::vector<size_t> first_note;  // per duty: its notifications start at this index of notes
  events.reserve(raised.size());
  for (const Duty& d : raised) {
    const int target = d.notified_level;
    const std::string colour = target == 2 ? "red" : "yellow";
    domain::DutyEvent ev;
    ev.duty_id = d.id;
    ev.at = now;
    ev.kind = colour;
    ev.new_due = d.due_at;
    events.push_back(std::move(ev));

    // Recipients: the owner org's liaisons and leaders; for red also the coordinator's staff.
    std::vector<Id> recipients = owners.recipients[d.owner_org_id];
    if (target == 2) {
      const std::vector<Id> office = CoordinatorsOf(coordinators, owners.regions[d.owner_org_id]);
      recipients.insert(recipients.end(), office.begin(), office.end());
    }
    std::sort(recipients.begin(), recipients.end());
    recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());

    const Notice notice = MakeNotice(d, target, owners.names[d.owner_org_id], cal, now);
    const std::string key = "duty:" + std::to_string(d.id) + ":" + colour + ":" +
                            std::to_string(core::ToMillis(d.due_at));
    first_note.push_back(notes.size());
    for (Id user : recipients) {
      domain::Notification n;
      n.user_id = user;
      n.kind = "duty." + colour;
      n.title = notice.title;
      n.body = notice.body;
      n.object_type = "duty";
      n.object_id = std::to_string(d.id);
      n.dedupe_key = key;
      n.created_at = now;
      // Delivered by the urgent channels (issue 18): red, or a duty counted in hours (24-hour).
      n.urgent = target == 2 || d.unit == domain::PeriodUnit::kHours;
      notes.push_back(std::move(n));
    }
  }
  first_note.push_back(notes.size());
  XT_RETURN_IF_ERROR(tx.InsertDutyEvents(events).status());
  XT_ASSIGN_OR_RETURN(std::vector<std::optional<Id>> created, tx.InsertNotifications(notes));

  std::vector<AuditRecord> records;
  records.reserve(raised.size());
  for (size_t i = 0; i < raised.size(); ++i) {
    const Duty& d = raised[i];
    const int target = d.notified_level;
    const std::string colour = target == 2 ? "red" : "yellow";
    int notified = 0;
    for (size_t j = first_note[i]; j < first_note[i + 1]; ++j)
      if (created[j]) ++notified;
    json::object detail;
    detail["colour"] = colour;
    detail["due_at"] = core::FormatInstant(d.due_at);
    detail["yellow_at"] = core::FormatInstant(d.yellow_at);
    detail["notified_level"] = target;
    detail["recipients"] = static_cast<int64_t>(first_note[i + 1] - first_note[i]);
    detail["notified"] = notified;
    records.push_back(AuditRecord{"duty.colour." + colour, "duty", std::to_string(d.id),
                                  (target == 2 ? "职责超期：" : "职责即将到期：") + d.title,
                                  std::move(detail)});
    // R-SYS-2: an org without a liaison — its leaders were warned instead; counted per org
    // (service::LiaisonFallbacks reads these entries for the liaison directory).
    if (owners.without_liaison.contains(d.owner_org_id)) {
      records.push_back(AuditRecord{std::string(kLiaisonFallbackAction), "org",
                                    std::to_string(d.owner_org_id),
                                    "无联络人，预警改送单位领导：" + d.title,
                                    json::object{{"duty_id", d.id}, {"colour", colour}}});
    }
    (target == 2 ? tally.red : tally.yellow) += 1;
    tally.notified += notified;
  }
  return RecordAll(tx, kSystem, now, std::move(records)).status();
}

}  // namespace

json::object SweepResultJson(const SweepResult& r) {
  json::object o;
  o["now"] = core::FormatInstant(r.now);
  o["scanned"] = r.scanned;
  o["turned_yellow"] = r.turned_yellow;
  o["turned_red"] = r.turned_red;
  o["notified"] = r.notified;
  o["escalated"] = r.escalated;
  o["elapsed_ms"] = static_cast<int64_t>(r.elapsed.count());
  o["ok"] = r.status.ok();
  o["error"] = r.status.ok() ? json::value(nullptr) : json::value(r.status.ToString());
  return o;
}

SweepService::SweepService(storage::Store& store, const core::Clock& clock,
                           CalendarService& calendars, SweepOptions options)
    : store_(store), clock_(clock), calendars_(calendars), options_(options) {
  if (options_.batch < 1) options_.batch = 1;
}

SweepResult SweepService::Sweep() {
  const auto started = std::chrono::steady_clock::now();
  SweepResult r;
  r.now = clock_.Now();
  const core::Instant now = r.now;
  std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
  auto fail = [&](const Status& st) {
    if (r.status.ok() && !st.ok()) r.status = st;
  };

  // The coordinators' staff with their offices' scopes, warned of red duties, and the orgs'
  // names and regions (read once per pass).
  std::vector<CoordinatorUser> coordinators;
  Owners owners;
  fail(store_.Read([&](storage::Tx& tx) -> Status {
    std::map<Id, std::string> ids;  // user → scope
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    std::map<Id, std::string> scope_of;  // org → the scope of a coordinator acting for it
    for (const auto& o : orgs) {
      owners.names.emplace(o.id, o.name);
      owners.regions.emplace(o.id, o.region_code);
      scope_of[o.id] = o.region_code ? domain::ScopePrefixOfCode(*o.region_code) : std::string();
      if (o.region_code && scope_of[o.id].empty()) scope_of[o.id] = *o.region_code;
    }
    storage::UserFilter staff;
    staff.role = domain::Role::kCoordinatorStaff;
    staff.limit = 10000;
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> users, tx.ListUsers(staff));
    for (const auto& u : users)
      if (!u.disabled) ids[u.id] = scope_of[u.org_id];
    for (const auto& o : orgs) {
      if (o.kind != domain::OrgKind::kCoordinator || !o.active) continue;
      storage::UserFilter members;
      members.org_id = o.id;
      members.limit = 10000;
      XT_ASSIGN_OR_RETURN(std::vector<domain::User> us, tx.ListUsers(members));
      // Members who act for the coordinator: not read-only auditors, not system administrators.
      for (const auto& u : us)
        if (!u.disabled &&
            (u.roles.Has(domain::Role::kCoordinatorStaff) || u.roles.Has(domain::Role::kLeader) ||
             u.roles.Has(domain::Role::kOfficer) || u.roles.Has(domain::Role::kLiaison)))
          ids[u.id] = scope_of[o.id];
    }
    for (const auto& [user, scope] : ids) coordinators.push_back({user, scope});
    return Status::Ok();
  }));

  std::set<Id> seen;
  for (int round = 0; round < 10000; ++round) {
    std::vector<Duty> red, yellow;
    Status st = store_.Read([&](storage::Tx& tx) -> Status {
      XT_ASSIGN_OR_RETURN(red, tx.DutiesTurnedRed(now, options_.batch));
      XT_ASSIGN_OR_RETURN(yellow, tx.DutiesTurnedYellow(now, options_.batch));
      std::set<Id> orgs;
      for (const auto* list : {&red, &yellow})
        for (const auto& d : *list) orgs.insert(d.owner_org_id);
      return owners.Load(tx, orgs);
    });
    if (!st.ok()) {
      fail(st);
      break;
    }
    // Red first: a duty that jumped straight to red gets only the red notice.
    std::vector<Id> ids;
    for (const auto* list : {&red, &yellow})
      for (const auto& d : *list)
        if (seen.insert(d.id).second) ids.push_back(d.id);
    if (ids.empty()) break;

    // The whole batch in one write transaction: one commit (one fsync) for up to `batch`
    // duties. Should it fail, each duty is retried in a transaction of its own, so that one
    // duty that cannot be processed does not hold back the others.
    Tally tally;
    auto sweep = [&](storage::Tx& tx, std::span<const Id> batch) -> Status {
      return SweepBatch(tx, batch, now, coordinators, cal.get(), owners, tally);
    };
    auto count = [&] {
      r.turned_yellow += tally.yellow;
      r.turned_red += tally.red;
      r.notified += tally.notified;
    };
    r.scanned += static_cast<int>(ids.size());
    if (store_.Write([&](storage::Tx& tx) { return sweep(tx, ids); }).ok()) {
      count();
    } else {
      for (const Id& id : ids) {
        Status one = store_.Write([&](storage::Tx& tx) { return sweep(tx, {&id, 1}); });
        if (!one.ok()) {
          fail(one);
          continue;
        }
        count();
      }
    }
    if (static_cast<int>(red.size()) < options_.batch &&
        static_cast<int>(yellow.size()) < options_.batch)
      break;
  }

  fail(Escalate(now, r));

  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string state = json::serialize(SweepResultJson(r));
  fail(store_.Write([&](storage::Tx& tx) { return tx.PutState(kSweepLastRunKey, state); }));
  return r;
}

Status SweepService::Escalate(core::Instant now, SweepResult& r) {
  std::vector<Id> due;
  std::vector<domain::Org> offices;  // active coordinator orgs placed in a region
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(due, tx.DutiesToEscalate(now - options_.escalate_red_after, options_.batch));
    if (due.empty()) return Status::Ok();
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    for (auto& o : orgs)
      if (o.kind == domain::OrgKind::kCoordinator && o.active && o.region_code) offices.push_back(o);
    return Status::Ok();
  }));
  Status first;
  for (Id duty_id : due) {
    bool escalated = false;
    Status st = store_.Write([&](storage::Tx& tx) -> Status {
      escalated = false;
      XT_ASSIGN_OR_RETURN(Duty d, tx.GetDuty(duty_id));
      if (d.state != domain::DutyState::kOpen) return Status::Ok();
      XT_ASSIGN_OR_RETURN(domain::Org owner, tx.GetOrg(d.owner_org_id));
      if (!owner.region_code) return Status::Ok();
      // The office coordinating the owner, then the levels above it: the first with an office.
      std::string scope = domain::CoordinatingScope({*owner.region_code});
      const domain::Org* to = nullptr;
      while (!to && scope.size() > 2) {
        scope = scope.substr(0, scope.size() == 6 ? 4 : 2);
        for (const auto& o : offices)
          if (domain::ScopePrefixOfCode(*o.region_code) == scope) to = &o;
      }
      if (!to) return Status::Ok();
      XT_ASSIGN_OR_RETURN(bool fresh, tx.InsertEscalation({d.id, *owner.region_code, to->id,
                                                           *to->region_code, now}));
      if (!fresh) return Status::Ok();
      XT_ASSIGN_OR_RETURN(auto users, tx.ListUsersWithRoles(
                                          to->id, domain::RoleSet{domain::Role::kCoordinatorStaff,
                                                                  domain::Role::kLeader,
                                                                  domain::Role::kLiaison}));
      const std::string title = "【升级督办】" + owner.short_name + "：" + KindLabel(d) + "超期未办";
      const std::string body = "职责：" + d.title + "（责任机构：" + owner.name + "）已于" +
                               domain::FormatDueZh(d.due_at) + "到期，仍未办理，升级至" + to->name +
                               "督办（R-ACC-2、R-TIME-4）。";
      std::vector<domain::Notification> notes;
      for (const auto& u : users) {
        if (u.disabled) continue;
        domain::Notification n;
        n.user_id = u.id;
        n.kind = "duty.escalated";
        n.title = title;
        n.body = body;
        n.object_type = "duty";
        n.object_id = std::to_string(d.id);
        n.dedupe_key = "duty:" + std::to_string(d.id) + ":escalated";
        n.created_at = now;
        n.urgent = true;
        notes.push_back(std::move(n));
      }
      XT_RETURN_IF_ERROR(tx.InsertNotifications(notes).status());
      escalated = true;
      return Record(tx, kSystem, now,
                    {"duty.escalate", "duty", std::to_string(d.id), "超期职责升级督办：" + d.title,
                     json::object{{"from_region", *owner.region_code},
                                  {"to_org_id", to->id},
                                  {"to_region", *to->region_code},
                                  {"due_at", core::FormatInstant(d.due_at)},
                                  {"notified", static_cast<int64_t>(notes.size())}}});
    });
    if (!st.ok() && first.ok()) first = st;
    if (st.ok() && escalated) ++r.escalated;
  }
  return first;
}

}  // namespace xietong::service
