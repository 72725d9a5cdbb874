#include "domain/guidance.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

CoordActor From() { return CoordActor{.from_staff = true}; }
CoordActor To() { return CoordActor{.to_staff = true}; }

// R-GUI-1: the township withdraws only before the department responds; scheduling and declining
// both meet the duty to respond; scheduling issues the arrangement 导.
TEST(GuidanceTableTest, RespondingMeetsTheDutyAndWithdrawingOnlyBefore) {
  const ItemTable& t = GuidanceRequestTable();
  auto sched = DecideItem(t, "schedule", guidance_state::kRequested, To());
  ASSERT_TRUE(sched.ok());
  EXPECT_TRUE((*sched)->fx.Meets(kGuidanceRespondDuty));
  EXPECT_EQ((*sched)->fx.document, DocKind::kGuidanceArrangement);
  auto decline = DecideItem(t, "decline", guidance_state::kRequested, To());
  ASSERT_TRUE(decline.ok());
  EXPECT_TRUE((*decline)->fx.Meets(kGuidanceRespondDuty));
  EXPECT_TRUE(DecideItem(t, "withdraw", guidance_state::kRequested, From()).ok());
  auto late = DecideItem(t, "withdraw", guidance_state::kScheduled, From());
  EXPECT_EQ(late.status().id(), "illegal_transition");
  EXPECT_EQ(late.status().rule(), "R-GUI-1");
  EXPECT_EQ(DecideItem(t, "schedule", guidance_state::kRequested, From()).status().code(),
            core::Code::kPermissionDenied);
  EXPECT_TRUE(ItemCreateRow(t, "create")->fx.Opens(kGuidanceRespondDuty));
}

// R-GUI-2: only the organiser closes; the close issues the training record 训.
TEST(GuidanceTableTest, TrainingCloseIssuesTheRecord) {
  const ItemTable& t = TrainingTable();
  auto close = DecideItem(t, "close", training_state::kPlanned, From());
  ASSERT_TRUE(close.ok());
  EXPECT_EQ((*close)->fx.document, DocKind::kTrainingRecord);
  EXPECT_EQ(DecideItem(t, "attendance", training_state::kClosed, From()).status().id(),
            "illegal_transition");
}

// R-GUI-3: a procurement is recorded without a duty; an answer meets tech_support.answer.
TEST(GuidanceTableTest, ProcurementHasNoDuty) {
  const ItemTable& t = TechSupportTable();
  const CoordTransition* p = ItemCreateRow(t, "create.procurement");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->to, tech_support_state::kRecorded);
  EXPECT_FALSE(p->fx.Opens(kTechSupportAnswerDuty));
  auto answer = DecideItem(t, "answer", tech_support_state::kRequested, To());
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE((*answer)->fx.Meets(kTechSupportAnswerDuty));
  EXPECT_EQ(DecideItem(t, "answer", tech_support_state::kRecorded, To()).status().id(),
            "illegal_transition");
}

// R-GUI-2: below the minimum, yellow from 1 December, red on 31 December and after the year.
TEST(GuidanceTableTest, TrainingColourFollowsTheCalendar) {
  EXPECT_EQ(TrainingYearColour(1, 2, 2026, 2026, 11, 30), TrainingColour::kNone);
  EXPECT_EQ(TrainingYearColour(1, 2, 2026, 2026, 12, 1), TrainingColour::kYellow);
  EXPECT_EQ(TrainingYearColour(1, 2, 2026, 2026, 12, 30), TrainingColour::kYellow);
  EXPECT_EQ(TrainingYearColour(1, 2, 2026, 2026, 12, 31), TrainingColour::kRed);
  EXPECT_EQ(TrainingYearColour(0, 2, 2026, 2027, 1, 5), TrainingColour::kRed);
  EXPECT_EQ(TrainingYearColour(2, 2, 2026, 2026, 12, 31), TrainingColour::kGreen);
  EXPECT_EQ(TrainingYearColour(0, 2, 2027, 2026, 12, 31), TrainingColour::kNone);
}

}  // namespace
}  // namespace xietong::domain
