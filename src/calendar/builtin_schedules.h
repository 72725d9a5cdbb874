// The holiday schedules shipped with the platform (R-TIME-3): data/calendar/YYYY.json, embedded
// into the binary at build time (src/calendar/embed_schedules.cmake), so the calendar needs no
// file I/O. Pure; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(calendar::Calendar cal, calendar::BuiltinCalendar());
#pragma once

#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "core/status.h"

namespace xietong::calendar {

// The JSON text of each data/calendar/*.json file, in file-name (= year) order. The views point
// to static storage and stay valid for the life of the program.
std::vector<std::string_view> BuiltinScheduleJson();

// Parses every built-in schedule and builds a Calendar from them. Errors: those of
// ParseYearSchedule and Calendar::Build (only if the shipped data is broken, which the unit
// tests rule out).
core::Result<Calendar> BuiltinCalendar();

}  // namespace xietong::calendar
