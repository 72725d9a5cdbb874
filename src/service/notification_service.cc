#include "service/notification_service.h"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "domain/duty.h"
#include "service/audit_log.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

Status NotificationNotFound() {
  return Status(core::Code::kNotFound, "not_found", "通知不存在", "id", "R-ACC-1")
      .En("No such notification");
}

std::optional<domain::Id> ParseId(const std::string& s) {
  domain::Id v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

// "duty.yellow" -> "yellow"; empty unless a duty colour change.
std::string ColourOfKind(const domain::Notification& n) {
  if (n.object_type != "duty") return {};
  if (n.kind == "duty.yellow") return "yellow";
  if (n.kind == "duty.red") return "red";
  return {};
}

// Live push on a database whose ids become visible out of order. On PostgreSQL an id comes from
// a sequence when a transaction inserts the row, but the row is seen only when that transaction
// commits: a transaction holding id 41 may commit after one holding 42, so a poller that moved
// past 42 would never push 41. So the poller keeps a watermark (last_id_: every id at or below
// it was pushed or given up) and the ids above it it has pushed already (this window); each poll
// reads everything above the watermark and pushes what the window lacks. An id missing below a
// pushed one is waited for kLateWindow (then it was rolled back, or deleted), after which the
// watermark moves past it. On SQLite (one writer) ids appear in order and the window stays empty.
// The window (pushed_) is a member, touched only under poll_mu_.
constexpr std::chrono::seconds kLateWindow{10};
constexpr size_t kMaxWindowIds = 100000;  // beyond this the oldest ids are given up early

}  // namespace

json::object NotificationJson(const domain::Notification& n) {
  json::object o;
  o["id"] = n.id;
  o["kind"] = n.kind;
  o["title"] = n.title;
  o["body"] = n.body;
  o["object_type"] = n.object_type;
  o["object_id"] = n.object_id;
  o["created_at"] = core::FormatInstant(n.created_at);
  o["read_at"] = n.read_at ? json::value(core::FormatInstant(*n.read_at)) : json::value(nullptr);
  return o;
}

NotificationService::NotificationService(storage::Store& store, const core::Clock& clock,
                                         NotificationOptions options)
    : store_(store), clock_(clock), options_(options) {
  if (options_.batch < 1) options_.batch = 1;
}

NotificationService::~NotificationService() {
  Stop();
}

Result<NotificationPage> NotificationService::List(const Principal& p, bool unread_only, int offset,
                                                   int limit) {
  if (offset < 0) return Status::Invalid("page", "页码应不小于1").En("page must be >= 1");
  if (limit < 1 || limit > 200) {
    return Status::Invalid("page_size", "每页条数应在1至200之间").En("page_size must be 1..200");
  }
  NotificationPage out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    storage::NotificationFilter f;
    f.user_id = p.user.id;
    f.unread_only = unread_only;
    f.offset = offset;
    f.limit = limit;
    XT_ASSIGN_OR_RETURN(out.items, tx.ListNotifications(f));
    XT_ASSIGN_OR_RETURN(out.unread, tx.CountUnread(p.user.id));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> NotificationService::UnreadCount(const Principal& p) {
  int64_t n = 0;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(n, tx.CountUnread(p.user.id));
    return Status::Ok();
  }));
  return n;
}

Status NotificationService::MarkRead(const Principal& p, domain::Id id) {
  const core::Instant now = clock_.Now();
  return store_.Write([&](storage::Tx& tx) -> Status {
    Status st = tx.MarkNotificationRead(p.user.id, id, now);
    if (st.code() == core::Code::kNotFound) return NotificationNotFound();  // others' too
    XT_RETURN_IF_ERROR(st);
    json::object detail{{"notification_id", id}};
    return Record(tx, &p, now,
                  AuditRecord{"notification.read", "notification", std::to_string(id),
                              "标记通知为已读", std::move(detail)});
  });
}

Status NotificationService::MarkAllRead(const Principal& p) {
  const core::Instant now = clock_.Now();
  return store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(int64_t unread, tx.CountUnread(p.user.id));
    if (unread == 0) return Status::Ok();  // nothing changes, nothing to record
    XT_RETURN_IF_ERROR(tx.MarkAllNotificationsRead(p.user.id, now));
    json::object detail{{"user_id", p.user.id}, {"count", unread}};
    return Record(tx, &p, now,
                  AuditRecord{"notification.read_all", "user", std::to_string(p.user.id),
                              "全部通知标记为已读（" + std::to_string(unread) + "条）",
                              std::move(detail)});
  });
}

SubscriptionId NotificationService::Subscribe(domain::Id user_id, domain::Id org_id,
                                              EventSink sink) {
  // The poller reads nothing while nobody listens: a subscriber first catches its place up
  // (with no subscriber registered, that dispatches nothing), before it is registered, so
  // nothing created before the call is replayed and nothing after it is missed.
  std::lock_guard poll_lock(poll_mu_);
  if (!primed_ || behind_ || SubscriberCount() == 0) {
    if (PollLocked().ok()) behind_ = false;  // else the next poll catches up and pushes it
  }
  std::lock_guard lock(subs_mu_);
  SubscriptionId id = next_id_++;
  subs_.emplace(id, Subscriber{user_id, org_id, std::move(sink)});
  return id;
}

void NotificationService::Unsubscribe(SubscriptionId id) {
  std::lock_guard lock(subs_mu_);
  subs_.erase(id);
}

size_t NotificationService::SubscriberCount() const {
  std::lock_guard lock(subs_mu_);
  return subs_.size();
}

Result<int> NotificationService::PollOnce() {
  std::lock_guard poll_lock(poll_mu_);
  return PollLocked();
}

void NotificationService::Wake() {
  {
    std::lock_guard lock(run_mu_);
    woken_ = true;
  }
  run_cv_.notify_all();
}

Result<int> NotificationService::PollLocked() {
  std::vector<domain::Notification> fresh;
  std::map<domain::Id, domain::Duty> duties;  // duty colour changes among them
  const bool priming = !primed_;
  domain::Id cursor = last_id_;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    fresh.clear();
    duties.clear();
    cursor = last_id_;
    // Everything above the watermark; what the window already delivered is skipped.
    for (;;) {
      XT_ASSIGN_OR_RETURN(std::vector<domain::Notification> page,
                          tx.NotificationsAfter(cursor, options_.batch));
      if (!page.empty()) cursor = page.back().id;
      const bool more = static_cast<int>(page.size()) >= options_.batch;
      if (!priming) {
        for (auto& n : page)
          if (!pushed_.count(n.id)) fresh.push_back(std::move(n));
      }
      if (!more || (!priming && fresh.size() >= 10 * static_cast<size_t>(options_.batch))) break;
    }
    if (priming) return Status::Ok();
    for (const auto& n : fresh) {
      if (ColourOfKind(n).empty()) continue;
      auto id = ParseId(n.object_id);
      if (!id || duties.count(*id)) continue;
      auto d = tx.GetDuty(*id);
      if (d.ok()) {
        duties.emplace(*id, std::move(d).value());
      } else if (d.status().code() != core::Code::kNotFound) {
        return d.status();
      }
    }
    return Status::Ok();
  }));
  primed_ = true;
  if (priming) {
    last_id_ = cursor;  // the backlog is never pushed
    return 0;
  }
  {
    const auto seen_at = std::chrono::steady_clock::now();
    for (const auto& n : fresh) pushed_.emplace(n.id, seen_at);
    // Advance the watermark over the delivered ids that follow it without a gap, and over those
    // seen longer than kLateWindow ago (a gap older than that is a rolled-back or deleted id).
    while (!pushed_.empty()) {
      auto it = pushed_.begin();
      if (it->first != last_id_ + 1 && seen_at - it->second < kLateWindow &&
          pushed_.size() <= kMaxWindowIds) {
        break;
      }
      last_id_ = std::max(last_id_, it->first);
      pushed_.erase(it);
    }
  }
  if (fresh.empty()) return 0;

  std::vector<Subscriber> subs;
  {
    std::lock_guard lock(subs_mu_);
    subs.reserve(subs_.size());
    for (const auto& [id, s] : subs_) subs.push_back(s);
  }
  if (subs.empty()) return static_cast<int>(fresh.size());

  const core::Instant now = clock_.Now();
  std::set<std::pair<domain::Id, std::string>> duty_sent;
  for (const auto& n : fresh) {
    const std::string data = json::serialize(NotificationJson(n));
    for (const auto& s : subs)
      if (s.user_id == n.user_id) s.sink("notification", data);

    const std::string colour = ColourOfKind(n);
    if (colour.empty()) continue;
    auto id = ParseId(n.object_id);
    auto it = id ? duties.find(*id) : duties.end();
    if (it == duties.end() || !duty_sent.insert({*id, colour}).second) continue;
    const domain::Duty& d = it->second;
    json::object o;
    o["id"] = d.id;
    o["kind"] = d.kind;
    o["title"] = d.title;
    o["owner_org_id"] = d.owner_org_id;
    o["state"] = domain::DutyStateName(d.state);
    o["colour"] = domain::ColourName(domain::ColourAt(d, now));
    o["due_at"] = core::FormatInstant(d.due_at);
    const std::string duty_data = json::serialize(o);
    for (const auto& s : subs)
      if (s.org_id == d.owner_org_id) s.sink("duty", duty_data);
  }
  return static_cast<int>(fresh.size());
}

void NotificationService::Start() {
  std::lock_guard lock(run_mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void NotificationService::Stop() {
  std::thread t;
  {
    std::lock_guard lock(run_mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
    t = std::move(thread_);
  }
  run_cv_.notify_all();
  t.join();
}

void NotificationService::Run() {
  std::unique_lock lock(run_mu_);
  while (!stop_) {
    woken_ = false;
    lock.unlock();
    {
      std::lock_guard poll_lock(poll_mu_);
      if (!primed_ || SubscriberCount() > 0) {
        (void)PollLocked();  // a failed poll is retried at the next tick
      } else {
        behind_ = true;  // nobody listens: no reading; Subscribe() catches up
      }
    }
    lock.lock();
    // Woken by a commit of this instance (Wake()), or after poll_interval for the writes of
    // other instances sharing the database.
    run_cv_.wait_for(lock, options_.poll_interval, [this] { return stop_ || woken_; });
  }
}

}  // namespace xietong::service
