// A person's notifications (deadline warnings …) and their live push.
//
// Reading: a principal lists, counts and marks read only their own notifications; someone
// else's notification is reported as not found.
//
// Live push: callers (the HTTP layer's Server-Sent Events endpoint) Subscribe() a callback per
// user. A background poller reads the notifications created since the last poll from the
// database (Tx::NotificationsAfter) every `poll_interval` and calls, for each one:
//   - "notification" with NotificationJson(n) for the subscribers of n.user_id, and
//   - "duty" with {"id","kind","title","owner_org_id","state","colour","due_at"} for the
//     subscribers who are members of the duty's owner org, when n is a duty colour change
//     ("duty.yellow"/"duty.red"), once per duty and colour in a poll.
// Because it polls the shared database rather than listening to in-process calls, pushes also
// reach users connected to another server instance sharing the same database. Writers on the
// same instance wake the poller at once (Wake(), called after each commit: serve wires it to
// IdempotencyService::AddCommitListener), so poll_interval only bounds how late a write of
// another instance is pushed; while nobody is subscribed the poller reads nothing.
//
// Thread-safe. Callbacks run on the poller thread (or the thread calling PollOnce()) with no
// lock held; they must be quick and may call Unsubscribe().
//
//   NotificationService notes(store, clock);
//   notes.Start();
//   auto id = notes.Subscribe(user.id, user.org_id, [](std::string ev, std::string data) {...});
//   ...
//   notes.Unsubscribe(id);
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/notification.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct NotificationOptions {
  // How often the live-push poller reads new notifications from the database.
  std::chrono::milliseconds poll_interval{300};
  // Notifications read per query while catching up.
  int batch = 500;
};

struct NotificationPage {
  std::vector<domain::Notification> items;  // newest first
  int64_t unread = 0;                       // the user's unread count (all pages)
};

using SubscriptionId = uint64_t;
// Receives (event name, JSON data).
using EventSink = std::function<void(std::string event, std::string data)>;

class NotificationService {
 public:
  // REQUIRES: store and clock outlive the service.
  NotificationService(storage::Store& store, const core::Clock& clock,
                      NotificationOptions options = {});
  // Stops the poller.
  ~NotificationService();
  NotificationService(const NotificationService&) = delete;
  NotificationService& operator=(const NotificationService&) = delete;

  // The principal's own notifications, newest first, `limit` from `offset`, only unread ones
  // when `unread_only`, with their unread count.
  // Errors: invalid_argument "page"/"page_size" when offset < 0 or limit not in 1..200;
  // kInternal on database failures.
  core::Result<NotificationPage> List(const Principal& p, bool unread_only, int offset, int limit);
  // The principal's unread count.
  core::Result<int64_t> UnreadCount(const Principal& p);
  // Marks one of the principal's notifications read (idempotent), with an audit entry.
  // Errors: not_found ("id") when it does not exist or belongs to someone else.
  core::Status MarkRead(const Principal& p, domain::Id id);
  // Marks all the principal's notifications read, with an audit entry.
  core::Status MarkAllRead(const Principal& p);

  // Registers `sink` for the events of user `user_id`, member of org `org_id` (for "duty"
  // events). Returns an id for Unsubscribe(). Events created before the call are not replayed.
  SubscriptionId Subscribe(domain::Id user_id, domain::Id org_id, EventSink sink);
  // Removes a subscription; unknown ids are ignored. A dispatch already under way on the
  // poller thread may still call the sink once: sinks must tolerate that (e.g. hold a weak_ptr
  // to their stream).
  void Unsubscribe(SubscriptionId id);
  // The number of live subscriptions (for metrics and tests).
  size_t SubscriberCount() const;

  // Starts the poller thread (idempotent). It first skips the notifications already stored.
  void Start();
  // Stops the poller promptly and joins it (idempotent).
  void Stop();
  // Wakes the poller now (a write of this instance committed): thread-safe and cheap; wakes
  // arriving during a poll make one more poll.
  void Wake();
  // One poll: reads new notifications and dispatches them. Returns how many were read.
  // Used by the poller; tests call it directly. The first call only skips the backlog.
  core::Result<int> PollOnce();

 private:
  struct Subscriber {
    domain::Id user_id = 0;
    domain::Id org_id = 0;
    EventSink sink;
  };
  void Run();
  core::Result<int> PollLocked();  // PollOnce with poll_mu_ held

  storage::Store& store_;
  const core::Clock& clock_;
  NotificationOptions options_;

  mutable std::mutex subs_mu_;
  std::map<SubscriptionId, Subscriber> subs_;
  SubscriptionId next_id_ = 1;

  std::mutex poll_mu_;  // one poll at a time
  bool primed_ = false;
  bool behind_ = false;  // polls were skipped (no subscriber); guarded by poll_mu_
  domain::Id last_id_ = 0;
  // Ids above last_id_ already pushed, with when they were first seen (out-of-order commits on
  // PostgreSQL; see notification_service.cc). Guarded by poll_mu_.
  std::map<domain::Id, std::chrono::steady_clock::time_point> pushed_;

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stop_ = false;
  bool woken_ = false;  // guarded by run_mu_
  std::thread thread_;
};

// {"id","kind","title","body","object_type","object_id","created_at","read_at"} (read_at null
// while unread; instants RFC 3339 +08:00).
boost::json::object NotificationJson(const domain::Notification& n);

}  // namespace xietong::service
