// Duties: what an org must do by a deadline because of a rule (R-TIME-4), and their colours.
//
// A duty's deadline is computed once from its trigger instant and period with the working-day
// calendar and stored with the calendar version it used; colour is derived at query time from
// the clock. Pure value types and functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

enum class DutyState : int { kOpen = 1, kMet = 2, kWaived = 3, kSuspended = 4 };
enum class Colour : int { kNone = 0, kGreen = 1, kYellow = 2, kRed = 3 };
enum class PeriodUnit : int { kWorkingDays = 1, kHours = 2, kCalendarDays = 3 };

std::string_view DutyStateName(DutyState s);
std::optional<DutyState> ParseDutyState(std::string_view s);
std::string_view ColourName(Colour c);
std::optional<Colour> ParseColour(std::string_view s);
// The `colour` filter of a list query: green, yellow or red (R-TIME-4); else 400 naming field
// "colour" with error id `id` (the referral/duty contracts say invalid_argument, the
// collaboration contract invalid_value).
core::Result<Colour> ParseColourFilter(std::string_view s, std::string id = "invalid_argument");
std::string_view PeriodUnitName(PeriodUnit u);
std::optional<PeriodUnit> ParsePeriodUnit(std::string_view s);

// A kind of duty the policy imposes, with its rule and default period.
struct DutyKind {
  std::string_view id;        // "referral.accept_notice"
  std::string_view rule;      // "R-REF-6"
  std::string_view label_zh;  // 受理情况告知
  std::string_view label_en;
  PeriodUnit unit;
  int64_t period;  // in `unit`
};
// All kinds known to this build, and lookup by id (nullptr when unknown).
const std::vector<DutyKind>& DutyKinds();
const DutyKind* FindDutyKind(std::string_view id);

struct Duty {
  Id id = 0;
  std::string kind;  // DutyKind::id
  std::string rule;  // R-…
  Id owner_org_id = 0;
  std::string object_type;  // what it belongs to: "referral", "collaboration", "external" …
  std::string object_id;
  std::string title;
  core::Instant trigger_at{};
  PeriodUnit unit = PeriodUnit::kWorkingDays;
  int64_t period = 0;
  core::Instant due_at{};
  core::Instant yellow_at{};  // from then on the duty is yellow (due within one working day)
  std::string calendar_version;
  bool provisional = false;  // R-TIME-3
  DutyState state = DutyState::kOpen;
  std::optional<core::Instant> met_at;
  std::optional<bool> on_time;
  std::optional<int> late_working_days;
  std::string state_reason;  // waiver/suspension reason
  int notified_level = 0;    // 0 none, 1 yellow sent, 2 red sent (sweeper bookkeeping)
  core::Instant created_at{};
  std::optional<Id> created_by;
};

// One entry of a duty's history (extensions, suspensions, recomputations …).
struct DutyEvent {
  Id id = 0;
  Id duty_id = 0;
  core::Instant at{};
  std::optional<Id> actor_user_id;
  std::string kind;  // created, extended, suspended, resumed, met, waived, recomputed, yellow, red
  std::string reason;
  std::optional<core::Instant> old_due;
  std::optional<core::Instant> new_due;
};

// The deadline of a period starting at `trigger`, per R-TIME-1/2/5.
calendar::Deadline ComputeDue(const calendar::Calendar& cal, core::Instant trigger, PeriodUnit unit,
                              int64_t period);
// When a duty due at `due` (computed as above) turns yellow:
//  - working or calendar days: at 24:00 of the last working day before the deadline's last day,
//    i.e. once at most one working day remains;
//  - hours: when a quarter of the period remains, at most 24 hours before the deadline.
core::Instant ComputeYellowAt(const calendar::Calendar& cal, const calendar::Deadline& due,
                              PeriodUnit unit, int64_t period);

// R-TIME-4: colour of an open duty at `now`; kNone for duties that are not open.
Colour ColourAt(const Duty& d, core::Instant now);

struct Remaining {
  int working_days = 0;  // whole working days left (or late, when overdue)
  int hours = 0;         // hours left beyond those days (or late)
  bool overdue = false;
};
// Time left until the duty's due instant, in working days and hours (R-TIME-1).
Remaining RemainingAt(const calendar::Calendar& cal, const Duty& d, core::Instant now);

// Marks the duty met at `at`: on-time or late, and by how many working days (R-TIME-4).
// REQUIRES: d.state == kOpen or kSuspended.
void MarkMet(const calendar::Calendar& cal, Duty& d, core::Instant at);

}  // namespace xietong::domain
