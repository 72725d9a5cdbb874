// Stored responses for Idempotency-Key (contract: docs/referrals-contract.md, top).
//
// The HTTP middleware (http/idempotency.h) calls Begin() before running a state-changing
// request that carries a key, and Finish() or Abandon() after. Begin() reserves the key in its
// own transaction (status 0 = in progress), so two concurrent requests with the same key cannot
// both run the work: the second sees the reservation and is refused with 409
// idempotency_in_progress. Keys older than the TTL are ignored and purged now and then.
//
// Several server instances on one database (PostgreSQL), and instances that die mid-request:
//  - A reservation names the instance running it (while the key is in progress its
//    content_type column holds that instance's id). Each instance, once Start()ed, records a
//    heartbeat in the job state every second; a reservation whose instance has not beaten for
//    kOwnerLease (real time, not the service clock) is orphaned.
//  - Heartbeat rows do not pile up: Stop() deletes the instance's own row, and every Start()ed
//    instance deletes, when it starts and then every kHeartbeatPurgeEvery, the rows of other
//    instances that have not beaten for kHeartbeatExpiry (instances that crashed or were
//    killed). A missing row reads as a dead instance, exactly as a stale one did.
//  - The services of a request work through WorkStore(): inside a Running scope (the
//    middleware opens one around the handler), the first write transaction that commits also
//    marks the key "carried out" (status 1) — atomically with the work. So after a crash the
//    key tells whether the work happened: an orphaned reservation still at 0 is taken over
//    and the request runs (nothing was done); one at 1 gets 409 idempotency_response_lost
//    (it was done, its response is gone: read the resource), never a second execution. If an
//    instance is presumed dead but still running, its work transaction finds the key taken
//    over (and answers 409 idempotency_in_progress): its work rolls back, and it leaves the key
//    to the new owner.
//
// One transaction per request (issue 16): the middleware now calls Execute(), which runs the
// handler inside ONE write transaction of the store together with the key's reservation and
// its stored response. The services' writes through WorkStore() on that thread become nested
// units (savepoints) of it, their reads read it (their own writes included), so the request
// commits once: reservation, work and response durable together or not at all. A crash before
// the commit leaves no trace (a retry runs the request); after it, a retry replays the stored
// response. A concurrent duplicate waits for the first (SQLite: the single writer; PostgreSQL:
// the key's unique index) and replays its answer. Answers >= 500 roll the whole request back
// (nothing is half-written, nothing is stored). Streaming answers commit the work and leave
// the key "carried out" without a response (idempotency_response_lost on a retry). Rows left
// by instances running the earlier three-transaction protocol (Begin/Running/Finish, kept for
// them and for the tests that play such an instance) are honoured as before. Every store
// access of a handler must go through WorkStore() (serve wires every service to it): the
// plain store would open a second transaction on the same thread.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "storage/store.h"

namespace xietong::service {

struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class IdempotencyService {
 public:
  // Keys live this long (contract: 24 h).
  static constexpr std::chrono::hours kTtl{24};
  // An instance that has not beaten its heartbeat for this long (lease clock) is presumed gone.
  static constexpr std::chrono::seconds kOwnerLease{5};
  // Heartbeat period of a Start()ed service.
  static constexpr std::chrono::milliseconds kHeartbeat{1000};
  // A heartbeat row this old (lease clock) is deleted by any live instance (> kOwnerLease).
  static constexpr std::chrono::seconds kHeartbeatExpiry{60};
  // How often a Start()ed service looks for expired heartbeat rows.
  static constexpr std::chrono::seconds kHeartbeatPurgeEvery{60};
  // The job-state key prefix of the heartbeat rows: "idempotency.instance.<instance id>".
  static constexpr std::string_view kHeartbeatKeyPrefix = "idempotency.instance.";
  // Stored statuses below 100: the request is in progress; 1 = its work has committed.
  static constexpr int kReserved = 0;
  static constexpr int kCarriedOut = 1;

  // `clock` is the service clock (key ages); `lease_clock` measures heartbeats and should be
  // the real time even when the service clock is a test's fake one (default: `clock`).
  // REQUIRES: store and clocks outlive the service.
  IdempotencyService(storage::Store& store, const core::Clock& clock,
                     const core::Clock* lease_clock = nullptr);
  // Stops the heartbeat.
  ~IdempotencyService();
  IdempotencyService(const IdempotencyService&) = delete;
  IdempotencyService& operator=(const IdempotencyService&) = delete;

  // This instance's id (random, new for every service object).
  const std::string& instance_id() const { return instance_id_; }
  // Starts the heartbeat thread (idempotent; a first beat is written and expired rows of other
  // instances are deleted before it returns).
  void Start();
  // Stops it and deletes this instance's heartbeat row: the instance is gone (its
  // reservations become orphans at once). Nothing to do when not started.
  void Stop();
  // Deletes the heartbeat rows of other instances whose last beat (lease clock) is older than
  // kHeartbeatExpiry, or unreadable; returns how many. The Start()ed heartbeat calls it every
  // kHeartbeatPurgeEvery. Errors: kInternal on database failures (nothing deleted then).
  core::Result<int> PurgeExpiredHeartbeats();

  // The store the request handlers' services should write through (see the top).
  storage::Store& WorkStore();
  // Calls `fn` after every write transaction through WorkStore() (or Execute()) that
  // committed, on the committing thread (e.g. NotificationService::Wake: writers wake the
  // live-push poller of their own instance). Must be quick. REQUIRES: called before any write.
  void AddCommitListener(std::function<void()> fn);

  // Marks the calling thread as running the request reserved under (user_id, key) until
  // destroyed: WorkStore() writes then mark the key carried out. Not nestable.
  class Running {
   public:
    Running(IdempotencyService& service, domain::Id user_id, std::string key);
    ~Running();
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    // Whether a write of the request has committed (and marked the key).
    bool carried_out() const { return carried_out_; }

   private:
    friend class IdempotencyService;
    friend class TrackingStore;
    IdempotencyService& service_;
    domain::Id user_id_;
    std::string key_;
    bool carried_out_ = false;
    Running* previous_;
  };

  // 1..100 printable ASCII characters (0x21..0x7E); else 400 field "Idempotency-Key".
  static core::Status CheckKey(std::string_view key);

  // What a handler answered, as Execute() needs it (views into the caller's response).
  struct Handled {
    int status = 0;
    std::string_view content_type;
    std::string_view body;
    bool stream = false;  // a streaming answer: never stored
  };
  // Runs the request under (user_id, key) in one transaction (see the top): `handle` runs the
  // handler (at most once per attempt; PostgreSQL may run it again after a deadlock, nothing
  // of the failed attempt having committed). Returns the stored response to replay (`handle`
  // not called), or nullopt: `handle`'s answer stands (committed with its key, or, for >= 500,
  // rolled back). Errors: as Begin(); a failed commit after `handle` ran (its answer must not
  // be sent: nothing of it was kept).
  core::Result<std::optional<StoredResponse>> Execute(domain::Id user_id, const std::string& key,
                                                      const std::string& method,
                                                      const std::string& route,
                                                      std::string_view body,
                                                      const std::function<Handled()>& handle);

  // Either reserves the key (returns nullopt: run the request, then Finish or Abandon) or
  // returns the stored response to replay. Errors: 409 idempotency_key_reused (same key with
  // another method, path or body), 409 idempotency_in_progress (the first is still running),
  // 400 field "Idempotency-Key" for a bad key.
  core::Result<std::optional<StoredResponse>> Begin(domain::Id user_id, const std::string& key,
                                                    const std::string& method,
                                                    const std::string& route,
                                                    std::string_view body);
  // Stores the response for replay when status < 500 or the work was carried out; otherwise
  // releases the key (a failed request that changed nothing may be retried with the key).
  core::Status Finish(domain::Id user_id, const std::string& key, const StoredResponse& r,
                      bool carried_out = false);
  // Releases a reservation without storing anything (the handler threw); when the work was
  // carried out the key is kept as "done, response lost" instead.
  core::Status Abandon(domain::Id user_id, const std::string& key, bool carried_out = false);

 private:
  class TrackingStore;
  struct Ambient;
  // Begin()'s decision inside `tx` for rec's key: Ok with `replay` set (replay it), Ok with
  // nothing set (reserved: run), or the refusal.
  core::Status ReserveIn(storage::Tx& tx, const storage::IdempotencyRecord& rec,
                         core::Instant cutoff, bool purge, std::optional<StoredResponse>& replay);
  bool PurgeDue(core::Instant now);
  // Inside a work transaction of `run`: checks the key is still this instance's reservation
  // and marks it carried out. Errors: 409 idempotency_in_progress when another instance took
  // the key over (this instance was presumed dead): the work must not commit.
  core::Status MarkCarriedOut(storage::Tx& tx, const Running& run);
  // Whether (user_id, key) is in progress under this instance (Finish and Abandon touch only
  // such keys: one taken over belongs to its new owner).
  core::Result<bool> Owned(storage::Tx& tx, domain::Id user_id, const std::string& key);
  // Whether the instance `owner` is alive (this one, or a fresh heartbeat).
  core::Result<bool> OwnerAlive(storage::Tx& tx, const std::string& owner);
  core::Status Beat(int64_t ms);
  void RunHeartbeat();

  storage::Store& store_;
  const core::Clock& clock_;
  const core::Clock& lease_clock_;
  const std::string instance_id_;
  std::unique_ptr<storage::Store> work_store_;
  std::vector<std::function<void()>> commit_listeners_;  // set before any write
  void Committed() const {
    for (const auto& fn : commit_listeners_) fn();
  }
  std::atomic<int64_t> last_purge_ms_{0};

  std::mutex beat_mu_;
  std::condition_variable beat_cv_;
  bool beat_stop_ = false;
  std::thread beat_thread_;
};

}  // namespace xietong::service
