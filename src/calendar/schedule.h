// One year's holiday schedule, as published by the State Council General Office
// (国务院办公厅关于YYYY年部分节假日安排的通知), and its JSON form (data/calendar/YYYY.json).
//
// The schedule is the input of the working-day calendar (R-TIME-1, R-TIME-3): holiday blocks
// (放假, including the weekend days the notice joins to a holiday, "与周末连休") and make-up
// working days (调休上班日). A year's file may name days of the neighbouring years (a make-up
// Saturday in late December for the next 元旦); the file belongs to the notice's year.
//
// Pure value types and functions, no I/O; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(calendar::YearSchedule y, calendar::ParseYearSchedule(json_text));
//   std::string canonical = calendar::SerializeYearSchedule(y);  // Parse(canonical) == y
//
// JSON format (keys in any order; unknown keys rejected; "amendments" optional):
//   {"year": 2026,
//    "notice": {"number": "国办发明电〔2025〕7号", "title": "国务院办公厅关于…", "published": "2025-11-04"},
//    "amendments": [{"number": "…", "title": "…", "published": "YYYY-MM-DD"}],
//    "holidays": [{"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"}, …],
//    "workdays": [{"date": "2026-01-04", "for": "元旦"}, …]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace xietong::calendar {

using core::CivilDay;

// Years a schedule may describe.
inline constexpr int kMinScheduleYear = 2000;
inline constexpr int kMaxScheduleYear = 2100;

// A block of consecutive days off (放假), both ends inclusive.
struct Holiday {
  std::string name;  // as the notice names it: "春节", "国庆节、中秋节", …
  CivilDay from;
  CivilDay to;
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// A Saturday or Sunday that is a working day (调休上班日).
struct MakeupDay {
  CivilDay date;
  std::string for_holiday;  // the holiday block it pays for; names a Holiday of the same file
  friend bool operator==(const MakeupDay&, const MakeupDay&) = default;
};

// A later notice that changed the year's schedule (e.g. 国办发明电〔2020〕1号 extending the 2020
// Spring Festival). The schedule's holidays and workdays already include its effect.
struct Amendment {
  std::string number;
  std::string title;
  std::string published;  // "YYYY-MM-DD", the date the notice bears
  friend bool operator==(const Amendment&, const Amendment&) = default;
};

struct YearSchedule {
  int year = 0;
  std::string notice_number;  // "国办发明电〔2025〕7号"
  std::string notice_title;   // "国务院办公厅关于2026年部分节假日安排的通知"
  std::string published;      // "YYYY-MM-DD", the date the notice bears
  std::vector<Amendment> amendments;
  std::vector<Holiday> holidays;     // sorted by `from`, non-overlapping
  std::vector<MakeupDay> workdays;   // sorted by `date`, distinct
  friend bool operator==(const YearSchedule&, const YearSchedule&) = default;
};

// Parses and validates one year's JSON document. Holidays and workdays come back sorted.
// Errors (all Status::Invalid with rule "R-TIME-3", field = JSON path such as
// "holidays[2].from", message in Chinese): malformed JSON, a missing or unknown or duplicated
// key, a value of the wrong type, and every failure of ValidateYearSchedule.
core::Result<YearSchedule> ParseYearSchedule(std::string_view json);

// Checks the invariants ParseYearSchedule guarantees, for schedules built in code:
//   - year in [kMinScheduleYear, kMaxScheduleYear]; notice number and title non-empty;
//     published dates real "YYYY-MM-DD" dates;
//   - every date within [December 1 of year-1, January 31 of year+1];
//   - each holiday has a non-empty name and from <= to; holiday blocks do not overlap;
//   - each make-up day is a Saturday or Sunday, outside every holiday block, not repeated, and
//     names a holiday of the same schedule.
// Does not require sorted input. Errors: Status::Invalid(field path, message, "R-TIME-3").
core::Status ValidateYearSchedule(const YearSchedule& schedule);

// Canonical compact JSON (fixed key order, holidays and workdays sorted, "amendments" omitted
// when empty, UTF-8 unescaped). REQUIRES: ValidateYearSchedule(schedule).ok() for the
// round-trip guarantee ParseYearSchedule(SerializeYearSchedule(s)) == s (with s sorted).
std::string SerializeYearSchedule(const YearSchedule& schedule);

}  // namespace xietong::calendar
