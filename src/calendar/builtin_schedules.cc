#include "calendar/builtin_schedules.h"

#include <utility>

#include "calendar/schedule.h"

namespace xietong::calendar {

core::Result<Calendar> BuiltinCalendar() {
  std::vector<YearSchedule> years;
  for (std::string_view json : BuiltinScheduleJson()) {
    XT_ASSIGN_OR_RETURN(YearSchedule y, ParseYearSchedule(json));
    years.push_back(std::move(y));
  }
  return Calendar::Build(std::move(years));
}

}  // namespace xietong::calendar
