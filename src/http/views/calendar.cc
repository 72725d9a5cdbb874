#include "http/views/calendar.h"

#include <boost/json/array.hpp>

#include "core/time.h"

namespace xietong::http::views {

namespace json = boost::json;

json::object DayInfoJson(const calendar::DayInfo& info, const calendar::Calendar& calendar) {
  json::object o;
  o["date"] = core::FormatDay(info.day);
  o["workday"] = info.workday;
  o["holiday"] = info.holiday;
  o["makeup_workday"] = info.makeup_workday;
  o["holiday_name"] = info.holiday_name;
  o["provisional"] = info.provisional;
  o["calendar_version"] = calendar.version();
  return o;
}

json::object DeadlineJson(const calendar::Deadline& deadline) {
  json::object o;
  o["due_at"] = core::FormatInstant(deadline.due);
  o["last_day"] = core::FormatDay(deadline.last_day);
  o["provisional"] = deadline.provisional;
  o["calendar_version"] = deadline.version;
  return o;
}

json::object CalendarYearsJson(const service::CalendarYears& in) {
  json::object root;
  json::array years;
  for (const service::CalendarYear& cy : in.years) {
    const calendar::YearSchedule& y = cy.schedule;
    json::object o;
    o["year"] = y.year;
    o["notice_number"] = y.notice_number;
    o["notice_title"] = y.notice_title;
    o["published"] = y.published;
    json::array holidays;
    for (const auto& h : y.holidays) {
      holidays.push_back(json::object{
          {"name", h.name}, {"from", core::FormatDay(h.from)}, {"to", core::FormatDay(h.to)}});
    }
    o["holidays"] = std::move(holidays);
    json::array workdays;
    for (const auto& w : y.workdays) {
      workdays.push_back(json::object{{"date", core::FormatDay(w.date)}, {"for", w.for_holiday}});
    }
    o["workdays"] = std::move(workdays);
    o["builtin"] = cy.builtin;
    years.push_back(std::move(o));
  }
  root["version"] = in.version;
  root["years"] = std::move(years);
  return root;
}

}  // namespace xietong::http::views
