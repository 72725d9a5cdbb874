// The working-day calendar in use (R-TIME-1, R-TIME-3) and its administration.
//
// The service holds the current immutable calendar::Calendar: the built-in State Council
// schedules (data/calendar) with the years administrators imported (table calendar_years) laid
// over them — a stored year replaces the built-in one of the same year. Importing a year
// rebuilds the calendar and, in the same write transaction, recomputes every open or suspended
// duty whose deadline was provisional (R-TIME-3) or ends in the late December (from the 20th)
// of the year before, so no deadline silently keeps a weekends-only guess once the real
// schedule is known.
//
// Thread-safe. Current() is cheap (an atomic shared_ptr load) and callers keep the snapshot for
// as long as they need it; Import() calls are serialised among themselves.
//
//   CalendarService calendars(store, clock);
//   XT_RETURN_IF_ERROR(calendars.Load());
//   std::shared_ptr<const calendar::Calendar> cal = calendars.Current();
//   calendar::Deadline d = cal->AddWorkingDays(trigger, 5);
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "calendar/schedule.h"
#include "core/clock.h"
#include "core/status.h"
#include "domain/duty.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

// What an import did.
struct ImportOutcome {
  std::string version;        // the new Calendar::version()
  int year = 0;               // the imported year
  int recomputed_duties = 0;  // provisional open/suspended duties recomputed (R-TIME-3)
};

// One loaded year: its schedule and whether it is the built-in one (false: an administrator
// imported it, replacing the built-in year if any).
struct CalendarYear {
  calendar::YearSchedule schedule;
  bool builtin = true;
};
// The loaded years with the version of the calendar built from them.
struct CalendarYears {
  std::string version;
  std::vector<CalendarYear> years;  // ascending by year
};

class CalendarService {
 public:
  // REQUIRES: store and clock outlive the service. Until Load() succeeds, Current() returns the
  // built-in calendar (or, should the shipped data be broken, nullptr).
  CalendarService(storage::Store& store, const core::Clock& clock);

  // (Re)builds the calendar from the built-in schedules plus the years stored in
  // calendar_years (a stored year replaces the built-in one) and makes it current.
  // Errors: kInternal on database failures; invalid_argument (R-TIME-3) when a stored year no
  // longer parses or conflicts with its neighbours (the previous calendar stays current).
  core::Status Load();

  // The calendar in use. Never null after a successful Load().
  std::shared_ptr<const calendar::Calendar> Current() const;

  // R-TIME-3: an administrator loads one year's schedule (the JSON of data/calendar/YYYY.json).
  // Stores it (replacing an earlier import of that year), makes the rebuilt calendar current
  // and, in the same transaction, recomputes every open or suspended duty whose deadline was
  // provisional — and every open or suspended day-based duty whose deadline ends from
  // 20 December (calendar::kLateDecemberFrom) of the year before, which the new notice can
  // move (R-TIME-3) even when stored as final: new due/yellow/provisional/calendar_version, a
  // DutyEvent "recomputed" (old_due/new_due), an audit entry "duty.recompute" per duty and one
  // "calendar.import".
  // A duty's due keeps any shift from suspensions (the sum of its "resumed" events' shifts);
  // extended duties carry an explicit, non-provisional due and are not touched.
  // Errors: permission_denied (R-TIME-3) unless p.IsAdmin() — "仅系统管理员可导入节假日安排";
  // invalid_argument with the JSON path as field (R-TIME-3) for a malformed schedule or one
  // that conflicts with the loaded neighbouring years; kInternal on database failures.
  core::Result<ImportOutcome> Import(const Principal& p, std::string_view json);

  // The loaded years (the current calendar's schedules), ascending by year, with the calendar
  // version; empty before Load(). Rendered by http/views/calendar.h (CalendarYearsJson).
  CalendarYears Years() const;

 private:
  struct Snapshot;

  // Builds a snapshot from the built-ins overlaid with `stored`.
  static core::Result<std::shared_ptr<const Snapshot>> BuildSnapshot(
      const std::vector<storage::CalendarYearRow>& stored);

  storage::Store& store_;
  const core::Clock& clock_;
  std::mutex import_mu_;  // serialises Load() and Import()
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
};

// Recomputes a duty's due and yellow instants from its trigger and period with `cal` (the same
// policy as creation: domain::ComputeDue / ComputeYellowAt) plus `shift` (the time the duty
// spent suspended). Sets due_at, yellow_at, provisional and calendar_version.
void RecomputeDeadline(const calendar::Calendar& cal, domain::Duty& d,
                       std::chrono::milliseconds shift);

// The yellow instant for an explicit due instant (after an extension or a resume):
// for day-based periods the deadline's last day is ShanghaiDay(due - 1 ms).
core::Instant YellowForDue(const calendar::Calendar& cal, const domain::Duty& d, core::Instant due);

// The sweeper's bookkeeping after a duty's due instant moved (extension, resume, recompute):
// never higher than before, and lowered to what the colour at `now` warrants, so a duty that
// became green again is warned anew when it turns yellow or red for its new deadline.
int CappedNotifiedLevel(const domain::Duty& d, core::Instant now);

}  // namespace xietong::service
