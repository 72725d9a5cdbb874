#include "domain/duty.h"

#include <gtest/gtest.h>

#include "calendar/builtin_schedules.h"
#include "calendar/schedule.h"
#include "domain/rules.h"

namespace xietong::domain {
namespace {

using core::FormatInstant;
using core::ParseInstant;

const calendar::Calendar& Cal() {
  static const calendar::Calendar cal = [] {
    std::vector<calendar::YearSchedule> years;
    for (auto json : calendar::BuiltinScheduleJson()) years.push_back(*calendar::ParseYearSchedule(json));
    return *calendar::Calendar::Build(std::move(years));
  }();
  return cal;
}

core::Instant At(const char* s) { return *ParseInstant(s); }

Duty MakeDuty(const char* trigger, PeriodUnit unit, int64_t period) {
  Duty d;
  d.trigger_at = At(trigger);
  d.unit = unit;
  d.period = period;
  auto due = ComputeDue(Cal(), d.trigger_at, unit, period);
  d.due_at = due.due;
  d.yellow_at = ComputeYellowAt(Cal(), due, unit, period);
  d.provisional = due.provisional;
  return d;
}

TEST(DutyKindTest, EveryKindNamesAKnownRule) {
  for (const auto& k : DutyKinds()) {
    EXPECT_NE(FindRule(k.rule), nullptr) << k.id;
    EXPECT_GT(k.period, 0) << k.id;
    EXPECT_EQ(FindDutyKind(k.id), &k);
  }
  EXPECT_EQ(FindDutyKind("nope"), nullptr);
}

// R-REF-6 over the 2026 National Day holiday: 9/30 (1), 10/8 (2), 10/9 (3), Saturday 10/10 is a
// make-up working day (4), Monday 10/12 (5). Due at 24:00 of 10/12.
TEST(DutyTest, AcceptanceNoticeAcrossNationalDay) {
  Duty d = MakeDuty("2026-09-29T10:00:00+08:00", PeriodUnit::kWorkingDays, 5);
  EXPECT_EQ(FormatInstant(d.due_at), "2026-10-13T00:00:00+08:00");
  EXPECT_FALSE(d.provisional);
  // R-TIME-4: yellow once at most one working day remains: from 24:00 of Saturday 10/10.
  EXPECT_EQ(FormatInstant(d.yellow_at), "2026-10-11T00:00:00+08:00");
  EXPECT_EQ(ColourAt(d, At("2026-10-10T23:59:59+08:00")), Colour::kGreen);
  EXPECT_EQ(ColourAt(d, At("2026-10-11T00:00:00+08:00")), Colour::kYellow);
  EXPECT_EQ(ColourAt(d, At("2026-10-12T23:59:59+08:00")), Colour::kYellow);
  EXPECT_EQ(ColourAt(d, At("2026-10-13T00:00:00+08:00")), Colour::kRed);
}

// R-TIME-2: 24 hours is clock time; yellow in the last quarter of the period.
TEST(DutyTest, HoursAreClockTime) {
  Duty d = MakeDuty("2026-10-01T10:30:00+08:00", PeriodUnit::kHours, 24);
  EXPECT_EQ(FormatInstant(d.due_at), "2026-10-02T10:30:00+08:00");  // a holiday does not matter
  EXPECT_EQ(FormatInstant(d.yellow_at), "2026-10-02T04:30:00+08:00");
  Duty two = MakeDuty("2026-11-25T09:00:00+08:00", PeriodUnit::kHours, 2);
  EXPECT_EQ(FormatInstant(two.yellow_at), "2026-11-25T10:30:00+08:00");
}

// R-TIME-3: a deadline in a year without a loaded schedule is provisional.
TEST(DutyTest, FutureYearIsProvisional) {
  Duty d = MakeDuty("2027-03-01T09:00:00+08:00", PeriodUnit::kWorkingDays, 3);
  EXPECT_TRUE(d.provisional);
}

TEST(DutyTest, NotOpenHasNoColour) {
  Duty d = MakeDuty("2026-11-23T09:00:00+08:00", PeriodUnit::kWorkingDays, 3);
  d.state = DutyState::kWaived;
  EXPECT_EQ(ColourAt(d, At("2030-01-01T00:00:00Z")), Colour::kNone);
}

TEST(DutyTest, RemainingInWorkingDaysAndHours) {
  // Due 24:00 Thursday 2026-11-26 (3 working days from Monday 11/23).
  Duty d = MakeDuty("2026-11-23T09:00:00+08:00", PeriodUnit::kWorkingDays, 3);
  EXPECT_EQ(FormatInstant(d.due_at), "2026-11-27T00:00:00+08:00");
  auto r = RemainingAt(Cal(), d, At("2026-11-24T19:00:00+08:00"));
  EXPECT_FALSE(r.overdue);
  EXPECT_EQ(r.working_days, 2);  // Wednesday and Thursday
  EXPECT_EQ(r.hours, 5);         // the rest of Tuesday
  auto late = RemainingAt(Cal(), d, At("2026-11-30T10:00:00+08:00"));  // Monday after
  EXPECT_TRUE(late.overdue);
  EXPECT_EQ(late.working_days, 2);  // Friday 11/27 and Monday 11/30
}

// R-TIME-4: met late by the working days after the deadline's last day.
TEST(DutyTest, MarkMetRecordsLateness) {
  Duty d = MakeDuty("2026-09-29T10:00:00+08:00", PeriodUnit::kWorkingDays, 5);
  Duty on_time = d;
  MarkMet(Cal(), on_time, At("2026-10-12T16:00:00+08:00"));
  EXPECT_EQ(on_time.state, DutyState::kMet);
  EXPECT_TRUE(*on_time.on_time);
  EXPECT_EQ(*on_time.late_working_days, 0);
  Duty late = d;
  MarkMet(Cal(), late, At("2026-10-14T09:00:00+08:00"));
  EXPECT_FALSE(*late.on_time);
  EXPECT_EQ(*late.late_working_days, 2);  // 10/13 and 10/14
}

}  // namespace
}  // namespace xietong::domain
