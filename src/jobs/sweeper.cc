#include "jobs/sweeper.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "domain/duty.h"
#include "domain/rules.h"
#include "service/audit_log.h"

namespace xietong::jobs {

namespace json = boost::json;
using core::Status;
using domain::Duty;
using domain::Id;

namespace {

// "2026年11月27日24时" for a deadline at 24:00 (stored as the next 00:00), else
// "2026年11月27日10时30分" (or "10时" on the hour).
std::string FormatDueZh(core::Instant due) {
  using namespace std::chrono;
  auto local = due + core::kShanghaiOffset;
  auto day = floor<days>(local);
  auto tod = duration_cast<minutes>(local - day);
  bool midnight = local == day;
  year_month_day ymd(midnight ? day - days(1) : day);
  const int h = static_cast<int>(tod.count() / 60), m = static_cast<int>(tod.count() % 60);
  char buf[96];
  int n;
  if (midnight) {
    n = std::snprintf(buf, sizeof buf, "%d年%u月%u日24时", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  } else if (m == 0) {
    n = std::snprintf(buf, sizeof buf, "%d年%u月%u日%d时", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), h);
  } else {
    n = std::snprintf(buf, sizeof buf, "%d年%u月%u日%d时%02d分", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), h, m);
  }
  std::string out(buf, static_cast<size_t>(std::max(n, 0)));
  return out;
}

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
  const std::string due = FormatDueZh(d.due_at);
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

// Warns about one duty inside `tx`: sets `level` to the level raised (0 when nothing was due,
// e.g. another pass got there first) and `notified` to the notifications created.
Status SweepOne(storage::Tx& tx, Id id, core::Instant now, const std::vector<Id>& coordinators,
                const calendar::Calendar* cal, int& level, int& notified) {
  level = 0;
  notified = 0;

    auto got = tx.GetDuty(id);
  if (!got.ok()) {
    return got.status().code() == core::Code::kNotFound ? Status::Ok() : got.status();
  }
  Duty d = std::move(got).value();
  if (d.state != domain::DutyState::kOpen) return Status::Ok();
  const int target = now >= d.due_at ? 2 : now >= d.yellow_at ? 1 : 0;
  if (target <= d.notified_level) return Status::Ok();  // already warned (another pass)
  const std::string colour = target == 2 ? "red" : "yellow";
  d.notified_level = target;
  XT_RETURN_IF_ERROR(tx.UpdateDuty(d));

  domain::DutyEvent ev;
  ev.duty_id = d.id;
  ev.at = now;
  ev.kind = colour;
  ev.new_due = d.due_at;
  XT_RETURN_IF_ERROR(tx.InsertDutyEvent(ev).status());

  std::string org_name;
  auto org = tx.GetOrg(d.owner_org_id);
  if (org.ok()) org_name = org->name;

  // Recipients: the owner org's liaisons and leaders (R-SYS-2); for red also the
  // coordinator's staff.
  XT_ASSIGN_OR_RETURN(
      std::vector<domain::User> owners,
      tx.ListUsersWithRoles(d.owner_org_id,
                            domain::RoleSet{domain::Role::kLiaison, domain::Role::kLeader}));
  std::vector<Id> recipients;
  for (const auto& u : owners)
    if (!u.disabled) recipients.push_back(u.id);
  if (target == 2)
    recipients.insert(recipients.end(), coordinators.begin(), coordinators.end());
  std::sort(recipients.begin(), recipients.end());
  recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());

  const Notice notice = MakeNotice(d, target, org_name, cal, now);
  const std::string key = "duty:" + std::to_string(d.id) + ":" + colour + ":" +
                          std::to_string(core::ToMillis(d.due_at));
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
    XT_ASSIGN_OR_RETURN(std::optional<Id> nid, tx.InsertNotification(n));
    if (nid) ++notified;
  }

  json::object detail;
  detail["colour"] = colour;
  detail["due_at"] = core::FormatInstant(d.due_at);
  detail["yellow_at"] = core::FormatInstant(d.yellow_at);
  detail["notified_level"] = target;
  detail["recipients"] = static_cast<int64_t>(recipients.size());
  detail["notified"] = notified;
  XT_RETURN_IF_ERROR(
      service::Record(
          tx, service::kSystem, now,
          service::AuditRecord{"duty.colour." + colour, "duty", std::to_string(d.id),
                               (target == 2 ? "职责超期：" : "职责即将到期：") + d.title,
                               std::move(detail)})
          .status());
  level = target;
  return Status::Ok();
}

}  // namespace

json::object SweepResultJson(const SweepResult& r) {
  json::object o;
  o["now"] = core::FormatInstant(r.now);
  o["scanned"] = r.scanned;
  o["turned_yellow"] = r.turned_yellow;
  o["turned_red"] = r.turned_red;
  o["notified"] = r.notified;
  o["elapsed_ms"] = static_cast<int64_t>(r.elapsed.count());
  o["ok"] = r.status.ok();
  o["error"] = r.status.ok() ? json::value(nullptr) : json::value(r.status.ToString());
  return o;
}

Sweeper::Sweeper(storage::Store& store, const core::Clock& clock,
                 service::CalendarService& calendars, SweeperOptions options)
    : store_(store), clock_(clock), calendars_(calendars), options_(options) {
  if (options_.batch < 1) options_.batch = 1;
}

Sweeper::~Sweeper() { Stop(); }

SweepResult Sweeper::RunOnce() {
  const auto started = std::chrono::steady_clock::now();
  SweepResult r;
  r.now = clock_.Now();
  const core::Instant now = r.now;
  std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
  auto fail = [&](const Status& st) {
    if (r.status.ok() && !st.ok()) r.status = st;
  };

  // The coordinator's staff, warned of every red duty (read once per pass).
  std::vector<Id> coordinators;
  fail(store_.Read([&](storage::Tx& tx) -> Status {
    std::set<Id> ids;
    storage::UserFilter staff;
    staff.role = domain::Role::kCoordinatorStaff;
    staff.limit = 10000;
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> users, tx.ListUsers(staff));
    for (const auto& u : users)
      if (!u.disabled) ids.insert(u.id);
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
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
          ids.insert(u.id);
    }
    coordinators.assign(ids.begin(), ids.end());
    return Status::Ok();
  }));

  std::set<Id> seen;
  for (int round = 0; round < 10000; ++round) {
    std::vector<Duty> red, yellow;
    Status st = store_.Read([&](storage::Tx& tx) -> Status {
      XT_ASSIGN_OR_RETURN(red, tx.DutiesTurnedRed(now, options_.batch));
      XT_ASSIGN_OR_RETURN(yellow, tx.DutiesTurnedYellow(now, options_.batch));
      return Status::Ok();
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
    std::vector<std::pair<int, int>> outcome;  // (level, notified) per id, valid after commit
    auto sweep = [&](storage::Tx& tx, std::span<const Id> batch) -> Status {
      outcome.assign(batch.size(), {0, 0});
      for (size_t i = 0; i < batch.size(); ++i) {
        XT_RETURN_IF_ERROR(SweepOne(tx, batch[i], now, coordinators, cal.get(), outcome[i].first,
                                    outcome[i].second));
      }
      return Status::Ok();
    };
    auto count = [&](size_t n) {
      for (size_t i = 0; i < n; ++i) {
        if (outcome[i].first == 1) ++r.turned_yellow;
        if (outcome[i].first == 2) ++r.turned_red;
        r.notified += outcome[i].second;
      }
    };
    r.scanned += static_cast<int>(ids.size());
    if (store_.Write([&](storage::Tx& tx) { return sweep(tx, ids); }).ok()) {
      count(ids.size());
    } else {
      for (const Id& id : ids) {
        Status one = store_.Write([&](storage::Tx& tx) { return sweep(tx, {&id, 1}); });
        if (!one.ok()) {
          fail(one);
          continue;
        }
        count(1);
      }
    }
    if (static_cast<int>(red.size()) < options_.batch &&
        static_cast<int>(yellow.size()) < options_.batch)
      break;
  }

  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string state = json::serialize(SweepResultJson(r));
  fail(store_.Write([&](storage::Tx& tx) { return tx.PutState(kLastRunKey, state); }));
  return r;
}

void Sweeper::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Sweeper::Stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
    t = std::move(thread_);
  }
  cv_.notify_all();
  t.join();
}

void Sweeper::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    (void)RunOnce();
    lock.lock();
    cv_.wait_for(lock, options_.interval, [this] { return stop_; });
  }
}

}  // namespace xietong::jobs
