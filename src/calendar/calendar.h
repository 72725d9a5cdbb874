// The working-day calendar: legal time limits over the State Council holiday schedules.
//
//   R-TIME-1  "N working days" (工作日) skip weekends and statutory holidays, count the make-up
//             working days (调休上班日); the event's own day never counts; Asia/Shanghai days.
//   R-TIME-2  "N hours" is clock time from the triggering instant.
//   R-TIME-3  A day in a year without a loaded schedule is treated as Monday–Friday working and
//             every answer that depends on such a day is marked provisional (never an error).
//             Decided: the days from 20 December of a loaded year whose next year has no loaded
//             schedule are provisional too (their weekday/holiday status stays as loaded): the
//             next year's notice can move them (the 2019 notice made Saturday 2018-12-29 a
//             working day). Loading that next year makes them final.
//   R-TIME-5  "N days" (日) ends at 24:00 of the N-th day after the event; a last day that is not
//             a working day (weekend or holiday) moves to the next working day.
//
// A Calendar is built once from YearSchedules and is immutable afterwards: pure (no I/O, no
// clock) and thread-safe for concurrent reads. It precomputes a day table over
// [January 1 of the first loaded year - 1, December 31 of the last loaded year + 1] with prefix
// sums, so every query is O(1); days outside the table use O(1) weekday arithmetic and are
// provisional.
//
//   XT_ASSIGN_OR_RETURN(calendar::Calendar cal, calendar::BuiltinCalendar());
//   calendar::Deadline d = cal.AddWorkingDays(referral.received_at, 3);   // R-TIME-1
//   store(d.due, d.provisional, d.version);
#pragma once

#include <cstdint>
#include <string>
#include <vector>


#include "calendar/schedule.h"
#include "core/status.h"
#include "core/time.h"

namespace xietong::calendar {

// R-TIME-3: from this day of December on, a day is provisional until the next year's schedule
// is loaded.
inline constexpr unsigned kLateDecemberFrom = 20;

// What the calendar says about one Shanghai civil day.
struct DayInfo {
  CivilDay day;
  bool workday = false;         // a day that counts under R-TIME-1
  bool holiday = false;         // inside a holiday block (放假), weekends of the block included
  bool makeup_workday = false;  // a Saturday/Sunday declared a working day (调休上班)
  // The block's name for holiday days, the holiday it pays for on make-up days, else empty.
  std::string holiday_name;
  // R-TIME-3: the day's year has no loaded schedule (`workday` is then a Monday–Friday guess,
  // refined by any neighbouring year's notice that names this day), or the day is on or after
  // December kLateDecemberFrom and the next year has no loaded schedule (that notice may still
  // move it).
  bool provisional = false;
};

// A computed time limit.
struct Deadline {
  core::Instant due;     // the limit: the period has ended at this instant (24:00 = next 00:00)
  CivilDay last_day;     // the Shanghai day the period ends in (due is its 24:00 for day limits)
  bool provisional = false;  // R-TIME-3: depends on a provisional day (see DayInfo)
  std::string version;   // Calendar::version() that computed it
};

// A count of working days.
struct Span {
  int working_days = 0;
  bool provisional = false;  // R-TIME-3: the counted range touches a provisional day
};

class Calendar {
 public:
  // Builds the calendar. Schedules may come in any order.
  // Errors (Status::Invalid, rule "R-TIME-3"): `years` empty; two schedules for the same year
  // (field "years[i].year"); a schedule failing ValidateYearSchedule (field "years[i].<path>");
  // two schedules naming the same day (e.g. a December make-up day in both Y and Y+1).
  static core::Result<Calendar> Build(std::vector<YearSchedule> years);

  // A new calendar with `schedule` added, or replacing the loaded schedule of the same year
  // (an administrator loading a newly published notice). Errors: as Build.
  core::Result<Calendar> WithYear(YearSchedule schedule) const;

  // "cal-<first year>-<last year>-<8 lowercase hex>", the hex a hash of the canonical JSON of
  // every loaded schedule: any change to any schedule changes the version.
  const std::string& version() const { return version_; }
  // Loaded years, ascending.
  std::vector<int> years() const;
  // The loaded schedule of `year` (canonical: sorted), or nullptr. Valid while *this lives.
  const YearSchedule* year(int year) const;
  // All loaded schedules, ascending by year.
  const std::vector<YearSchedule>& schedules() const { return years_; }
  // True when `year` has a loaded schedule (R-TIME-3; its late December is final only when
  // year + 1 has one too).
  bool HasSchedule(int year) const;

  // Everything known about `day`. Outside the table: Monday–Friday rule, provisional.
  DayInfo Day(CivilDay day) const;
  // Day(day).workday without building a DayInfo.
  bool IsWorkingDay(CivilDay day) const;
  // Day(day).provisional without building a DayInfo.
  bool IsProvisional(CivilDay day) const;
  // The first working day on or after `day`.
  CivilDay WorkingDayOnOrAfter(CivilDay day) const;

  // R-TIME-1: the n-th working day after the Shanghai day of `event` (that day not counted);
  // due = 24:00 of that last day, i.e. ShanghaiMidnight(last_day + 1 day).
  // n == 0: last_day = the event's day if it is a working day, else the next working day.
  // REQUIRES: n >= 0 (a negative n is treated as 0).
  // provisional when any day in (event day, last_day] (for n == 0: [event day, last_day]) is.
  Deadline AddWorkingDays(core::Instant event, int n) const;
  // As above, counting from the civil day `from` (not counted).
  Deadline AddWorkingDays(CivilDay from, int n) const;

  // R-TIME-2: due = event + hours exactly; last_day = the Shanghai day holding the period's last
  // moment (ShanghaiDay(due - 1 ms) when hours > 0, else ShanghaiDay(event)); never provisional.
  // REQUIRES: hours >= 0 (a negative value is treated as 0).
  Deadline AddHours(core::Instant event, int64_t hours) const;

  // R-TIME-5: the event's Shanghai day does not count; the nominal last day is that day + n; if
  // it is not a working day (weekend or statutory holiday; a make-up working day is a working
  // day) it moves to the next working day (Civil Code arts. 201, 203). due = 24:00 of last_day.
  // provisional when any day in [nominal last day, last_day] is.
  // REQUIRES: n >= 0 (a negative n is treated as 0).
  Deadline AddCalendarDays(core::Instant event, int n) const;

  // The number of working days d with ShanghaiDay(from) < d <= ShanghaiDay(to); 0 (not
  // provisional) when ShanghaiDay(to) <= ShanghaiDay(from). provisional when any day of that
  // range is. Property: WorkingDaysBetween(e, AddWorkingDays(e, n).due - 1ms) == n for n >= 1.
  Span WorkingDaysBetween(core::Instant from, core::Instant to) const;
  // The same over civil days: working days d with from < d <= to.
  Span WorkingDaysBetween(CivilDay from, CivilDay to) const;

 private:
  Calendar() = default;

  // Signed number of working days in [begin_, day).
  int64_t RankOf(CivilDay day) const;
  // The working day whose RankOf is `rank`.
  CivilDay NthWorkingDay(int64_t rank) const;
  // Whether any day of [from, to] is provisional. REQUIRES: from <= to.
  bool AnyProvisional(CivilDay from, CivilDay to) const;
  Deadline MakeDayDeadline(CivilDay last_day, bool provisional) const;

  std::vector<YearSchedule> years_;  // ascending by year
  std::string version_;
  CivilDay begin_;             // first day of the table
  CivilDay end_;               // one past the last day of the table
  int64_t weekdays_to_begin_ = 0;  // weekday counter at begin_ (see calendar.cc)
  int64_t weekdays_to_end_ = 0;    // weekday counter at end_
  std::vector<uint8_t> flags_;         // per table day: kWork, kHoliday, kMakeup, kProvisional
  std::vector<uint16_t> name_;         // per table day: index into names_ (0 = none)
  std::vector<std::string> names_;     // names_[0] == ""
  std::vector<int32_t> work_before_;   // [i]: working days in table days [0, i); size n + 1
  std::vector<int32_t> prov_before_;   // [i]: provisional days in table days [0, i)
  std::vector<int32_t> work_offsets_;  // table offsets of the working days, ascending
};

}  // namespace xietong::calendar
