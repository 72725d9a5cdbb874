#include "domain/doc_number.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

TEST(DocNumber, FormatsAsGbT9704) {
  EXPECT_EQ(FormatDocNumber("新城执", DocKind::kReferralLetter, 2026, 3), "新城执移〔2026〕3号");
  EXPECT_EQ(FormatDocNumber("新市监", DocKind::kAcceptanceNotice, 2026, 12), "新市监受〔2026〕12号");
  EXPECT_EQ(FormatDocNumber("新城执", DocKind::kReferralLetter, 2027, 100), "新城执移〔2027〕100号");
}

TEST(DocNumber, KindsRoundTripAndNumbersAreStable) {
  EXPECT_EQ(static_cast<int>(DocKind::kReferralLetter), 1);
  EXPECT_EQ(static_cast<int>(DocKind::kAcceptanceNotice), 2);
  for (DocKind k : {DocKind::kReferralLetter, DocKind::kAcceptanceNotice}) {
    EXPECT_EQ(ParseDocKind(DocKindName(k)), k);
    EXPECT_EQ(DocKindFromInt(static_cast<int>(k)), k);
  }
  EXPECT_FALSE(DocKindFromInt(0).has_value());
  EXPECT_FALSE(ParseDocKind("letter").has_value());
  EXPECT_EQ(DocKindTitleZh(DocKind::kAcceptanceNotice), "受理情况告知书");
}

TEST(DocNumber, DefaultPrefix) {
  EXPECT_EQ(DefaultDocPrefix("新城镇"), "新城");
  EXPECT_EQ(DefaultDocPrefix("县市场监管局"), "市场监管");
  EXPECT_EQ(DefaultDocPrefix("生态环境分局"), "生态环境");
  EXPECT_EQ(DefaultDocPrefix("镇"), "镇");
}

TEST(DocNumber, YearAndDateAreShanghai) {
  // 2026-12-31T17:00:00Z is 2027-01-01 01:00 in Shanghai.
  core::Instant t = *core::ParseInstant("2026-12-31T17:00:00Z");
  EXPECT_EQ(ShanghaiYear(t), 2027);
  EXPECT_EQ(FormatDateZh(t), "2027年1月1日");
  EXPECT_EQ(FormatDateZh(*core::ParseInstant("2026-11-25T09:00:00+08:00")), "2026年11月25日");
}

TEST(DocNumber, DueInWordsEndsAt24) {  // R-TIME-5, issue 17 defect 4: 当日24时, never 23:59
  EXPECT_EQ(FormatDueZh(*core::ParseInstant("2026-11-28T00:00:00+08:00")), "2026年11月27日24时");
  EXPECT_EQ(FormatDueZh(*core::ParseInstant("2027-01-01T00:00:00+08:00")), "2026年12月31日24时");
  EXPECT_EQ(FormatDueZh(*core::ParseInstant("2026-11-27T10:00:00+08:00")), "2026年11月27日10时");
  EXPECT_EQ(FormatDueZh(*core::ParseInstant("2026-11-27T10:05:00+08:00")), "2026年11月27日10时05分");
}

}  // namespace
}  // namespace xietong::domain
