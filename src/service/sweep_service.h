// The deadline sweep (R-TIME-4): finds duties that turned yellow or red and warns people. The
// store work of the deadline sweeper (jobs/sweeper.h), which only schedules passes.
//
// Each pass asks the store for open duties whose yellow or due instant has passed and whose
// warning has not been sent (index-backed queries, never a full scan), and for each such duty,
// in one write transaction per batch (one commit, one fsync, for up to 2 × batch duties; should
// a batch fail, each of its duties is retried in a transaction of its own, so one bad duty does
// not hold back the others): raises its notified_level (1 yellow, 2 red), appends a DutyEvent
// "yellow"/"red", an audit entry "duty.colour.yellow"/"duty.colour.red" (actor: the system) and
// notifications to the owner org's liaisons and leaders (R-SYS-2), plus, for red, to the
// coordinator's staff (role coordinator_staff, or leaders/officers/liaisons of a coordinator org
// — not its auditors or administrators, who do not act for the coordinator). A duty that jumped
// straight to red gets only the red notice. With regions (R-ACC-2) the red notice goes to the
// coordinator office of the owner's county (or to a coordinator org without a region, as before).
//
// Escalation by level (issue 19): then each open duty notified red whose deadline lies more than
// SweepOptions::escalate_red_after in the past, of an org placed in a region, goes, once, to the
// coordinator office of the next level above the one that coordinates its owner (a county org's
// → its city's 依法治市办; a city-level org's → the province office): an escalations row, an audit
// entry "duty.escalate" and notifications "duty.escalated" to that office, in one transaction
// per duty (the row's primary key makes it happen once, also with several sweepers). A duty
// with no office above is left alone.
//
// Restart-safe and idempotent by construction: the bookkeeping and the notifications commit
// together, the level is raised by Tx::RaiseNotifiedLevels, which re-checks each duty inside
// the transaction and returns only those it raised (a second sweeper finds the level already
// raised; on PostgreSQL a duty another transaction holds is skipped — FOR UPDATE SKIP LOCKED —
// and raised on the next pass), and each notification has a dedupe key
// "duty:<id>:<colour>:<due ms>" that the store keeps unique per user. The due instant is part of
// the key so that a duty whose deadline was extended is warned again for its new deadline.
//
// Time comes only from the injected Clock (the pass's "now"); the elapsed time reported is
// measured with std::chrono::steady_clock. Thread-safe: Sweep() may run concurrently with
// itself and with other sweeps (in this or another process) on the same store.
//
//   service::SweepService sweeps(store, clock, calendars);
//   service::SweepResult r = sweeps.Sweep();  // one pass now, recorded under kSweepLastRunKey
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "service/calendar_service.h"
#include "storage/store.h"

namespace xietong::service {

struct SweepOptions {
  // Duties read per query (per colour); a pass repeats the queries until it has caught up.
  // At least 1 (smaller values are taken as 1).
  int batch = 500;
  // R-ACC-2, issue 19: a duty still red this long after its deadline is escalated to the
  // coordinator office of the next region level up (xietong serve --escalate-red-hours).
  std::chrono::milliseconds escalate_red_after = std::chrono::hours(24);
};

// What one pass did.
struct SweepResult {
  core::Instant now{};  // the clock's time the pass judged colours at
  int scanned = 0;      // duties examined
  int turned_yellow = 0;
  int turned_red = 0;
  int notified = 0;  // notifications created (duplicates are not counted)
  int escalated = 0;  // long-red duties escalated to the next level's coordinator office
  std::chrono::milliseconds elapsed{0};
  core::Status status;  // the first error met (the pass goes on with the other duties)
};

// The audit action recorded when a warning goes to an org's leaders because it has no liaison
// (R-SYS-2): object "org" <id>, detail {"duty_id","colour"}; one entry per warned duty.
inline constexpr std::string_view kLiaisonFallbackAction = "sweep.liaison_fallback";

// {"now","scanned","turned_yellow","turned_red","notified","escalated","elapsed_ms","ok","error"}
// ("error": null when ok, else the status's message).
boost::json::object SweepResultJson(const SweepResult& r);

// The key/value state entry a pass records its result under (SweepResultJson, serialised).
inline constexpr char kSweepLastRunKey[] = "sweeper.last_run";

class SweepService {
 public:
  // REQUIRES: every argument outlives the service.
  SweepService(storage::Store& store, const core::Clock& clock, CalendarService& calendars,
               SweepOptions options = {});

  // One pass at the clock's current time; records it under kSweepLastRunKey. Never fails as a
  // whole: errors (database failures) are reported in SweepResult::status, and the duties that
  // could be processed are.
  SweepResult Sweep();

 private:
  // Escalates the long-red duties (at most one batch per pass), counting them in r.escalated.
  core::Status Escalate(core::Instant now, SweepResult& r);

  storage::Store& store_;
  const core::Clock& clock_;
  CalendarService& calendars_;
  SweepOptions options_;
};

}  // namespace xietong::service
