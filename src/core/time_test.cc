#include "core/time.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace xietong::core {
namespace {

TEST(TimeTest, ShanghaiDayCrossesMidnightAtUtcSixteen) {
  // 2026-11-24T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 25th.
  auto a = ParseInstant("2026-11-24T15:59:59Z");
  auto b = ParseInstant("2026-11-24T16:00:00Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(FormatDay(ShanghaiDay(*a)), "2026-11-24");
  EXPECT_EQ(FormatDay(ShanghaiDay(*b)), "2026-11-25");
}

TEST(TimeTest, RoundTripsRfc3339InShanghai) {
  auto t = ParseInstant("2026-11-25T09:30:00+08:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatInstant(*t), "2026-11-25T09:30:00+08:00");
  EXPECT_EQ(*ParseInstant("2026-11-25T01:30:00Z"), *t);
  EXPECT_EQ(FormatInstant(*ParseInstant("2026-11-25T01:30:00.250Z")),
            "2026-11-25T09:30:00.250+08:00");
  EXPECT_EQ(ShanghaiMidnight(*ParseDay("2026-11-25")), *ParseInstant("2026-11-24T16:00:00Z"));
}

TEST(TimeTest, RejectsMalformedInput) {
  EXPECT_FALSE(ParseDay("2026-02-30"));
  EXPECT_FALSE(ParseDay("2026-2-3"));
  EXPECT_FALSE(ParseDay("abcd-ef-gh"));
  EXPECT_FALSE(ParseInstant("2026-11-25T09:30:00"));  // no zone
  EXPECT_FALSE(ParseInstant("2026-11-25T25:00:00Z"));
  EXPECT_FALSE(ParseInstant("2026-11-25T09:30:00+08:00x"));
}

TEST(FakeClockTest, AdvancesOnlyWhenTold) {
  FakeClock c(*ParseInstant("2026-01-01T00:00:00Z"));
  auto t0 = c.Now();
  EXPECT_EQ(c.Now(), t0);
  c.Advance(std::chrono::hours(25));
  EXPECT_EQ(c.Now() - t0, std::chrono::hours(25));
}

}  // namespace
}  // namespace xietong::core
