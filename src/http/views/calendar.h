// JSON views of the working-day calendar (R-TIME-1..5): a day, a deadline and the loaded
// holiday schedules. Used by http/api_calendar.cc and the CLI's --json output. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "calendar/calendar.h"
#include "service/calendar_service.h"

namespace xietong::http::views {

// {"date","workday","holiday","makeup_workday","holiday_name","provisional","calendar_version"}.
boost::json::object DayInfoJson(const calendar::DayInfo& info, const calendar::Calendar& calendar);
// {"due_at" (core::FormatInstant), "last_day" ("YYYY-MM-DD"), "provisional",
//  "calendar_version"}.
boost::json::object DeadlineJson(const calendar::Deadline& deadline);
// {"version", "years":[{"year","notice_number","notice_title","published",
//   "holidays":[{"name","from","to"}], "workdays":[{"date","for"}], "builtin"}]}
// in the order given (ascending by year).
boost::json::object CalendarYearsJson(const service::CalendarYears& years);

}  // namespace xietong::http::views
