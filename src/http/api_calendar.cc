// The working-day calendar (R-TIME-1, R-TIME-3): loaded years, one day, working-day arithmetic,
// and an administrator's import of a newly published year.
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "calendar/calendar.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/calendar.h"
#include "service/calendar_service.h"

namespace xietong::http {

namespace {
using core::Status;

core::Result<std::shared_ptr<const calendar::Calendar>> CurrentCalendar(ApiEnv& env) {
  auto cal = env.svc.calendar->Current();
  if (!cal) return Status::Unavailable("工作日历未加载").En("The calendar is not loaded");
  return cal;
}

// "YYYY-MM-DD" (the event happened that day) or an RFC 3339 instant.
std::optional<core::Instant> ParseDayOrInstant(std::string_view s) {
  if (auto day = core::ParseDay(s)) return core::ShanghaiMidnight(*day);
  return core::ParseInstant(s);
}
}  // namespace

void RegisterCalendarRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/calendar/years",
        WithAuth(env, [&env](Request&, const service::Principal&) -> core::Result<Response> {
          return Json(200, views::CalendarYearsJson(env.svc.calendar->Years()));
        }));

  // Body: one year's schedule file (data/calendar/YYYY.json). Administrators only (R-TIME-3).
  r.Add("POST", "/api/v1/calendar/years",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          // Checks that the body is a JSON object within the depth limit; the schedule parser
          // then reads it field by field (unknown fields rejected, R-TIME-3).
          XT_RETURN_IF_ERROR(Body(env, req).status());
          XT_ASSIGN_OR_RETURN(service::ImportOutcome out, env.svc.calendar->Import(p, req.body));
          return Json(201, boost::json::object{{"version", out.version},
                                               {"year", out.year},
                                               {"recomputed_duties", out.recomputed_duties}});
        }));

  r.Add("GET", "/api/v1/calendar/days/{date}",
        WithAuth(env, [&env](Request& req, const service::Principal&) -> core::Result<Response> {
          auto text = req.path_param("date");
          auto day = text ? core::ParseDay(*text) : std::nullopt;
          if (!day) {
            return Status::Invalid("date", "日期格式应为 YYYY-MM-DD", "R-TIME-1")
                .En("date must be YYYY-MM-DD");
          }
          XT_ASSIGN_OR_RETURN(auto cal, CurrentCalendar(env));
          return Json(200, views::DayInfoJson(cal->Day(*day), *cal));
        }));

  // ?from=<YYYY-MM-DD or RFC 3339>&n=<0..365>: the n-th working day after `from` (R-TIME-1).
  r.Add(
      "GET", "/api/v1/calendar/add-workdays",
      WithAuth(env, [&env](Request& req, const service::Principal&) -> core::Result<Response> {
        auto from_text = req.query_param("from");
        if (!from_text || from_text->empty()) {
          return Status::Invalid("from", "缺少参数 from（日期或时间）", "R-TIME-1", "missing_field")
              .En("Missing parameter from");
        }
        auto from = ParseDayOrInstant(*from_text);
        if (!from) {
          return Status::Invalid("from", "from 应为 YYYY-MM-DD 或 RFC 3339 时间", "R-TIME-1")
              .En("from must be YYYY-MM-DD or an RFC 3339 instant");
        }
        auto year = static_cast<int>(std::chrono::year_month_day(core::ShanghaiDay(*from)).year());
        if (year < 2000 || year > 2099) {
          return Status::Invalid("from", "from 应在2000年至2099年之间", "R-TIME-1")
              .En("from must lie in 2000..2099");
        }
        auto n = req.query_int("n");
        if (!n.ok()) {
          return Status::Invalid("n", "n 应为整数", "R-TIME-1").En("n must be an integer");
        }
        if (!n->has_value()) {
          return Status::Invalid("n", "缺少参数 n（工作日数）", "R-TIME-1", "missing_field")
              .En("Missing parameter n");
        }
        if (**n < 0 || **n > 365) {
          return Status::Invalid("n", "n 应在0至365之间", "R-TIME-1", "out_of_range")
              .En("n must be 0..365");
        }
        XT_ASSIGN_OR_RETURN(auto cal, CurrentCalendar(env));
        return Json(200, views::DeadlineJson(cal->AddWorkingDays(*from, static_cast<int>(**n))));
      }));
}

}  // namespace xietong::http
