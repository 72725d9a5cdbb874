// The deadline sweeper (R-TIME-4): finds duties that turned yellow or red and warns people.
//
// Each pass asks the store for open duties whose yellow or due instant has passed and whose
// warning has not been sent (index-backed queries, never a full scan), and for each such duty,
// in one write transaction per batch (one commit, one fsync, for up to 2 × batch duties; should
// a batch fail, each of its duties is retried in a transaction of its own, so one bad duty does
// not hold back the others): raises its notified_level (1 yellow, 2 red), appends a DutyEvent
// "yellow"/"red", an audit entry "duty.colour.yellow"/"duty.colour.red" (actor: the system) and
// notifications to the owner org's liaisons and leaders, plus, for red, to the coordinator's
// staff (role coordinator_staff, or leaders/officers/liaisons of a coordinator org — not its
// auditors or administrators, who do not act for the coordinator). A duty that jumped straight
// to red gets only the red notice.
//
// Restart-safe and idempotent by construction: the bookkeeping and the notifications commit
// together, the level is raised by Tx::RaiseNotifiedLevels, which re-checks each duty inside
// the transaction and returns only those it raised (a second sweeper finds the level already
// raised; on PostgreSQL a duty another transaction holds is skipped and raised on the next
// pass), and each notification has a dedupe key "duty:<id>:<colour>:<due ms>" that
// the store keeps unique per user. The due instant is part of the key so that a duty whose
// deadline was extended is warned again for its new deadline.
//
// Time comes only from the injected Clock (the pass's "now"); the elapsed time reported is
// measured with std::chrono::steady_clock. Thread-safe: RunOnce() may run concurrently with
// itself and with other sweepers (in this or another process) on the same store.
//
//   jobs::Sweeper sweeper(store, clock, calendars);
//   sweeper.Start();             // a pass now, then every minute
//   ...
//   sweeper.Stop();
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "service/calendar_service.h"
#include "storage/store.h"

namespace xietong::jobs {

struct SweeperOptions {
  // Time between the starts of two passes when Start()ed.
  std::chrono::milliseconds interval{60000};
  // Duties read per query (per colour); a pass repeats the queries until it has caught up.
  int batch = 500;
};

// What one pass did.
struct SweepResult {
  core::Instant now{};  // the clock's time the pass judged colours at
  int scanned = 0;      // duties examined
  int turned_yellow = 0;
  int turned_red = 0;
  int notified = 0;  // notifications created (duplicates are not counted)
  std::chrono::milliseconds elapsed{0};
  core::Status status;  // the first error met (the pass goes on with the other duties)
};

// {"now","scanned","turned_yellow","turned_red","notified","elapsed_ms","ok","error"}
// ("error": null when ok, else the status's message).
boost::json::object SweepResultJson(const SweepResult& r);

// The key/value state entry a pass records its result under (SweepResultJson, serialised).
inline constexpr char kLastRunKey[] = "sweeper.last_run";

class Sweeper {
 public:
  // REQUIRES: every argument outlives the sweeper; options.batch >= 1.
  Sweeper(storage::Store& store, const core::Clock& clock, service::CalendarService& calendars,
          SweeperOptions options = {});
  // Stops the background thread, if running.
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  // One pass at the clock's current time; records it under kLastRunKey. Never throws; errors
  // are reported in SweepResult::status.
  SweepResult RunOnce();

  // Runs a pass now and then every `interval` on a background thread (idempotent).
  void Start();
  // Stops the background thread promptly (a pass under way finishes first) and joins it.
  // Idempotent.
  void Stop();

 private:
  void Run();

  storage::Store& store_;
  const core::Clock& clock_;
  service::CalendarService& calendars_;
  SweeperOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace xietong::jobs
