// Demo examples of the assessment (R-ASM-1, issue 14) through AssessmentService's real steps: the
// coordinator saves the current year's scheme (version 1) and publishes last month's result.
#include <chrono>

#include "cli/demo_workflows.h"
#include "domain/assessment.h"
#include "service/assessment_service.h"
#include "service/coord_item_service.h"

namespace xietong::cli {

core::Status DemoAssessment(const DemoEnv& env) {
  namespace as = domain::assessment;
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  service::AssessmentService assessment(env.store, env.clock, env.duties, items);
  XT_ASSIGN_OR_RETURN(service::Principal coord, env.As("coordinator.staff"));
  const auto ymd = std::chrono::year_month_day(core::ShanghaiDay(env.clock.Now()));
  const int year = static_cast<int>(ymd.year());
  const int month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  as::Scheme s = as::DefaultScheme(year);
  XT_RETURN_IF_ERROR(assessment.SaveScheme(coord, year, s).status());
  const as::Period last = month == 1 ? as::MonthPeriod(year - 1, 12) : as::MonthPeriod(year, month - 1);
  return assessment.Publish(coord, last).status();
}

}  // namespace xietong::cli
