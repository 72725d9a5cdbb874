#include "domain/assessment.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

namespace as = assessment;

// R-ASM-1: periods are months, quarters, years or day ranges (Shanghai days, inclusive).
TEST(AssessmentPeriod, MonthQuarterYearRange_R_ASM_1) {
  auto m = as::ParsePeriod("2026-02");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(core::FormatDay(m->from), "2026-02-01");
  EXPECT_EQ(core::FormatDay(m->to), "2026-02-28");
  EXPECT_EQ(m->End(), core::ShanghaiMidnight(*core::ParseDay("2026-03-01")));
  auto q = as::ParsePeriod("2026-Q4");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(core::FormatDay(q->from), "2026-10-01");
  EXPECT_EQ(core::FormatDay(q->to), "2026-12-31");
  auto y = as::ParsePeriod("2027");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->Year(), 2027);
  for (const char* bad : {"2026-13", "2026-Q5", "26", "2026-1", "abcd", "2026-00"}) {
    auto r = as::ParsePeriod(bad);
    EXPECT_EQ(r.status().field(), "period") << bad;
    EXPECT_EQ(r.status().rule(), "R-ASM-1") << bad;
  }
  EXPECT_TRUE(as::RangePeriod("2026-11-03", "2026-11-03").ok());
  EXPECT_EQ(as::RangePeriod("2026-11-03", "2026-11-02").status().field(), "to");
  EXPECT_EQ(as::RangePeriod("2025-01-01", "2026-06-01").status().field(), "to");
}

// Thresholds: `good` earns 100, `bad` 0, linear between, in either direction; nothing due: 100.
TEST(AssessmentScheme, SubScoreBothDirectionsAndValidation_R_ASM_1) {
  const as::SchemeItem rate{"on_time_rate", 40, 1.0, 0.8};
  EXPECT_DOUBLE_EQ(as::SubScore(rate, 1.0), 100);
  EXPECT_DOUBLE_EQ(as::SubScore(rate, 0.9), 50);
  EXPECT_DOUBLE_EQ(as::SubScore(rate, 0.5), 0);
  EXPECT_DOUBLE_EQ(as::SubScore(rate, std::nullopt), 100);
  EXPECT_TRUE(as::Failing(rate, 0.8));
  EXPECT_FALSE(as::Failing(rate, 0.81));
  const as::SchemeItem late{"overdue_open", 10, 0, 4};
  EXPECT_DOUBLE_EQ(as::SubScore(late, 1), 75);
  EXPECT_DOUBLE_EQ(as::SubScore(late, 9), 0);
  EXPECT_TRUE(as::Failing(late, 4));
  EXPECT_TRUE(as::ValidateScheme(as::DefaultScheme(2026)).ok());
  as::Scheme s{2026, 0, {{"nope", 1, 1, 0}}};
  EXPECT_EQ(as::ValidateScheme(s).field(), "indicators[0].id");
  s.items = {{"late_met", 1, 0, 2}, {"late_met", 1, 0, 2}};
  EXPECT_EQ(as::ValidateScheme(s).field(), "indicators[1].id");
  s.items = {{"on_time_rate", 1, 1.5, 0}};
  EXPECT_EQ(as::ValidateScheme(s).field(), "indicators[0].good");
  s.items = {{"on_time_rate", 0, 1, 0}};
  EXPECT_EQ(as::ValidateScheme(s).field(), "indicators[0].weight");
  s.items = {};
  EXPECT_EQ(as::ValidateScheme(s).field(), "indicators");
  for (const auto& i : as::Indicators()) EXPECT_FALSE(i.rule.empty()) << i.id;
}

// R-ASM-2: only the coordinator issues a circular (评) or records accountability (责).
TEST(AssessmentTables, CoordinatorIssuesCircularAndAccountability_R_ASM_2) {
  for (const ItemTable* t : {&CircularTable(), &AccountabilityTable()}) {
    const CoordTransition* create = ItemCreateRow(*t, "create");
    ASSERT_NE(create, nullptr);
    EXPECT_EQ(create->who, CoordWho::kCoordinator);
  }
  EXPECT_EQ(ItemCreateRow(CircularTable(), "create")->fx.document, DocKind::kCircularOfCriticism);
  EXPECT_EQ(ItemCreateRow(AccountabilityTable(), "create")->fx.document, DocKind::kAccountabilityDecision);
  EXPECT_EQ(DocKindChar(DocKind::kCircularOfCriticism), "评");
  EXPECT_EQ(DocKindChar(DocKind::kAccountabilityDecision), "责");
  EXPECT_EQ(CoordTypeName(CoordType::kCircular), "circular");
  EXPECT_EQ(CoordTypePath(CoordType::kAccountability), "accountability-records");
  EXPECT_EQ(ItemStateLabel(CircularTable(), circular_state::kIssued), "已印发");
}

}  // namespace
}  // namespace xietong::domain
