#include "domain/matter.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

constexpr Id kOwner = 10;
constexpr Id kXincheng = 20;
constexpr Id kLiuzu = 21;

core::CivilDay D(const char* s) { return *core::ParseDay(s); }

Matter M() {
  Matter m;
  m.id = 1;
  m.code = "SCJG-001";
  m.name = "无证无照经营";
  m.owner_org_id = kOwner;
  return m;
}

Delegation Del(Id town, const char* from, const char* to = nullptr) {
  Delegation d;
  d.matter_id = 1;
  d.township_org_id = town;
  d.from = D(from);
  if (to) d.to = D(to);
  return d;
}

const JurisdictionNames kNames{"新城镇", "县市场监管局"};

TEST(MatterTest, DelegationStartDayIsInclusive) {
  std::vector<Delegation> ds{Del(kXincheng, "2023-07-12")};
  auto before = DecideJurisdiction(M(), ds, kXincheng, D("2023-07-11"), kNames);
  EXPECT_EQ(before.competent_org_id, kOwner);
  EXPECT_EQ(before.basis, CompetenceBasis::kNotYetDelegated);
  EXPECT_EQ(before.reason, "该事项自2023年7月12日起才划转新城镇，此前由县市场监管局管辖");
  auto first = DecideJurisdiction(M(), ds, kXincheng, D("2023-07-12"), kNames);
  EXPECT_EQ(first.competent_org_id, kXincheng);
  EXPECT_TRUE(first.delegated());
  ASSERT_TRUE(first.delegation);
  EXPECT_EQ(*first.delegation, ds[0]);
  EXPECT_EQ(first.reason, "该事项自2023年7月12日起划转新城镇实施");
  EXPECT_EQ(DecideJurisdiction(M(), ds, kXincheng, D("2030-01-01"), kNames).competent_org_id,
            kXincheng);
}

TEST(MatterTest, DelegationEndDayIsInclusiveThenWithdrawn) {
  std::vector<Delegation> ds{Del(kXincheng, "2023-07-12", "2025-12-31")};
  auto last = DecideJurisdiction(M(), ds, kXincheng, D("2025-12-31"), kNames);
  EXPECT_EQ(last.competent_org_id, kXincheng);
  EXPECT_EQ(last.reason, "该事项自2023年7月12日起划转新城镇实施（划转至2025年12月31日止）");
  auto after = DecideJurisdiction(M(), ds, kXincheng, D("2026-01-01"), kNames);
  EXPECT_EQ(after.competent_org_id, kOwner);
  EXPECT_EQ(after.basis, CompetenceBasis::kWithdrawn);
  ASSERT_TRUE(after.delegation);
  EXPECT_EQ(after.delegation->to, D("2025-12-31"));
  EXPECT_EQ(after.reason, "该事项对新城镇的划转已于2025年12月31日收回，由县市场监管局管辖");
  // R-JUR-2: a past day keeps its answer.
  EXPECT_EQ(DecideJurisdiction(M(), ds, kXincheng, D("2024-03-01"), kNames).competent_org_id,
            kXincheng);
}

TEST(MatterTest, NeverDelegated) {
  std::vector<Delegation> ds{Del(kLiuzu, "2023-07-12")};  // another township only
  auto c = DecideJurisdiction(M(), ds, kXincheng, D("2026-11-25"), kNames);
  EXPECT_EQ(c.competent_org_id, kOwner);
  EXPECT_EQ(c.basis, CompetenceBasis::kNeverDelegated);
  EXPECT_FALSE(c.delegation);
  EXPECT_EQ(c.reason, "该事项未划转新城镇，由县市场监管局管辖");
  auto none = DecideJurisdiction(M(), {}, kXincheng, D("2026-11-25"));
  EXPECT_EQ(none.competent_org_id, kOwner);
  EXPECT_EQ(none.reason, "该事项未划转该乡镇，由县主管部门管辖");
}

TEST(MatterTest, MultiplePeriods) {
  // Delegated, taken back, delegated again (unsorted input).
  std::vector<Delegation> ds{Del(kXincheng, "2025-03-01"), Del(kXincheng, "2023-07-12", "2024-06-30"),
                             Del(kLiuzu, "2024-01-01", "2024-12-31")};
  struct Case {
    const char* day;
    Id want;
    CompetenceBasis basis;
  } cases[] = {
      {"2023-07-11", kOwner, CompetenceBasis::kNotYetDelegated},
      {"2023-07-12", kXincheng, CompetenceBasis::kDelegated},
      {"2024-06-30", kXincheng, CompetenceBasis::kDelegated},
      {"2024-07-01", kOwner, CompetenceBasis::kWithdrawn},
      {"2025-02-28", kOwner, CompetenceBasis::kWithdrawn},
      {"2025-03-01", kXincheng, CompetenceBasis::kDelegated},
      {"2027-01-01", kXincheng, CompetenceBasis::kDelegated},
  };
  for (const Case& c : cases) {
    auto got = DecideJurisdiction(M(), ds, kXincheng, D(c.day), kNames);
    EXPECT_EQ(got.competent_org_id, c.want) << c.day;
    EXPECT_EQ(got.basis, c.basis) << c.day;
  }
  auto mid = DecideJurisdiction(M(), ds, kXincheng, D("2025-01-15"), kNames);
  ASSERT_TRUE(mid.delegation);
  EXPECT_EQ(mid.delegation->from, D("2023-07-12"));
  EXPECT_EQ(DecideJurisdiction(M(), ds, kXincheng, D("2025-03-01"), kNames).delegation->from,
            D("2025-03-01"));
  // The other township's periods do not leak.
  EXPECT_EQ(DecideJurisdiction(M(), ds, kLiuzu, D("2024-06-01")).competent_org_id, kLiuzu);
  EXPECT_EQ(DecideJurisdiction(M(), ds, kLiuzu, D("2025-06-01")).basis,
            CompetenceBasis::kWithdrawn);
}

TEST(MatterTest, DelegationsOfOtherMattersAreIgnored) {
  Delegation other = Del(kXincheng, "2023-07-12");
  other.matter_id = 2;
  EXPECT_EQ(DecideJurisdiction(M(), {other}, kXincheng, D("2024-01-01")).competent_org_id, kOwner);
}

TEST(MatterTest, CheckDelegations) {
  EXPECT_TRUE(CheckDelegations({Del(kXincheng, "2023-07-12", "2024-01-01"),
                                Del(kXincheng, "2024-01-02"), Del(kLiuzu, "2023-07-12")},
                               "delegations")
                  .ok());
  auto overlap = CheckDelegations(
      {Del(kXincheng, "2023-07-12", "2024-01-01"), Del(kXincheng, "2024-01-01")}, "x");
  EXPECT_EQ(overlap.field(), "x");
  EXPECT_EQ(overlap.rule(), "R-JUR-1");
  EXPECT_FALSE(CheckDelegations({Del(kXincheng, "2023-07-12"), Del(kXincheng, "2025-01-01")}, "x").ok());
  EXPECT_FALSE(CheckDelegations({Del(kXincheng, "2023-07-12", "2023-07-11")}, "x").ok());
  EXPECT_TRUE(CheckDelegations({Del(kXincheng, "2023-07-12", "2023-07-12")}, "x").ok());
}

constexpr Id kOtherDept = 11;

OwnerPeriod Own(const char* from, Id owner, const char* number = nullptr) {
  OwnerPeriod p;
  p.matter_id = 1;
  p.from = from ? D(from) : kCatalogBeginning;
  p.owner_org_id = owner;
  p.basis = number ? "职责分工争议决定" : "目录原有主管部门";
  if (number) p.decided_by = Citation{number, 77};
  return p;
}

// R-DIS-3, R-JUR-2: an owner change counts from its day on; earlier days keep their owner.
TEST(MatterTest, OwnerIsDatedByOwnerPeriods) {
  Matter m = M();
  EXPECT_EQ(OwnerOn(m, {}, D("2026-01-01")), kOwner);
  m.owner_org_id = kOtherDept;  // the latest period's owner
  std::vector<OwnerPeriod> ps{Own(nullptr, kOwner), Own("2026-12-01", kOtherDept, "新政决〔2026〕3号")};
  const OwnerPeriod* p = nullptr;
  EXPECT_EQ(OwnerOn(m, ps, D("2026-11-30"), &p), kOwner);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->from, kCatalogBeginning);
  EXPECT_EQ(OwnerOn(m, ps, D("2026-12-01"), &p), kOtherDept);
  EXPECT_EQ(p->from, D("2026-12-01"));
  EXPECT_EQ(OwnerOn(m, ps, D("2030-01-01")), kOtherDept);
  // Before every period (only a decided period, no beginning row): the earliest one's owner.
  EXPECT_EQ(OwnerOn(m, {Own("2026-12-01", kOwner)}, D("2020-01-01")), kOwner);
  // Another matter's periods are ignored.
  OwnerPeriod other = Own("2020-01-01", 99);
  other.matter_id = 2;
  EXPECT_EQ(OwnerOn(M(), {other}, D("2026-01-01")), kOwner);
}

TEST(MatterTest, JurisdictionUsesTheOwnerOfTheDayAndCitesTheDecision) {
  Matter m = M();
  m.owner_org_id = kOtherDept;
  std::vector<OwnerPeriod> ps{Own(nullptr, kOwner), Own("2026-12-01", kOtherDept, "新政决〔2026〕3号")};
  auto before = DecideJurisdiction(m, {}, ps, kXincheng, D("2026-11-30"), kNames);
  EXPECT_EQ(before.competent_org_id, kOwner);
  EXPECT_FALSE(before.decided_by);
  EXPECT_EQ(before.reason, "该事项未划转新城镇，由县市场监管局管辖");
  auto after = DecideJurisdiction(m, {}, ps, kXincheng, D("2026-12-01"), {"新城镇", "县自然资源局"});
  EXPECT_EQ(after.competent_org_id, kOtherDept);
  ASSERT_TRUE(after.decided_by);
  EXPECT_EQ(after.decided_by->decision_number, "新政决〔2026〕3号");
  EXPECT_EQ(after.decided_by->decision_document_id, 77);
  ASSERT_TRUE(after.owner_period);
  EXPECT_EQ(after.owner_period->from, D("2026-12-01"));
  EXPECT_EQ(after.reason,
            "该事项未划转新城镇，由县自然资源局管辖（自2026年12月1日起由县自然资源局主管）"
            "（依据新政决〔2026〕3号）");
}

TEST(MatterTest, DecidedDelegationAndWithdrawalAreCited) {
  Delegation granted = Del(kXincheng, "2026-12-01");
  granted.decided_by = Citation{"新政决〔2026〕4号", std::nullopt};
  auto c = DecideJurisdiction(M(), {granted}, {}, kXincheng, D("2026-12-01"), kNames);
  EXPECT_TRUE(c.delegated());
  ASSERT_TRUE(c.decided_by);
  EXPECT_EQ(c.decided_by->decision_number, "新政决〔2026〕4号");
  EXPECT_EQ(c.reason, "该事项自2026年12月1日起划转新城镇实施（依据新政决〔2026〕4号）");
  // The day before keeps its answer (R-JUR-2) and cites nothing.
  auto before = DecideJurisdiction(M(), {granted}, {}, kXincheng, D("2026-11-30"), kNames);
  EXPECT_EQ(before.competent_org_id, kOwner);
  EXPECT_FALSE(before.decided_by);

  Delegation withdrawn = Del(kXincheng, "2023-07-12", "2026-11-30");
  withdrawn.withdrawn_by = Citation{"新政决〔2026〕5号", 8};
  auto w = DecideJurisdiction(M(), {withdrawn}, {}, kXincheng, D("2026-12-01"), kNames);
  EXPECT_EQ(w.basis, CompetenceBasis::kWithdrawn);
  ASSERT_TRUE(w.decided_by);
  EXPECT_EQ(w.decided_by->decision_document_id, 8);
  EXPECT_TRUE(DecideJurisdiction(M(), {withdrawn}, {}, kXincheng, D("2026-11-30"), kNames)
                  .delegated());
}

TEST(MatterTest, CodesPrefixesAndDates) {
  EXPECT_TRUE(ValidMatterCode("SCJG-001"));
  EXPECT_TRUE(ValidMatterCode("zj.12_a"));
  EXPECT_FALSE(ValidMatterCode("-x"));
  EXPECT_FALSE(ValidMatterCode("a"));
  EXPECT_FALSE(ValidMatterCode("违法建设"));
  EXPECT_FALSE(ValidMatterCode(std::string(41, 'a')));
  EXPECT_TRUE(ValidDocPrefix("新城执"));
  EXPECT_TRUE(ValidDocPrefix("新文广旅体"));
  EXPECT_TRUE(ValidDocPrefix("XT1"));
  EXPECT_FALSE(ValidDocPrefix(""));
  EXPECT_FALSE(ValidDocPrefix("新城执〔"));  // punctuation
  EXPECT_FALSE(ValidDocPrefix("新 城"));
  EXPECT_FALSE(ValidDocPrefix("一二三四五六七八九"));
  EXPECT_TRUE(ValidDocPrefix("一二三四五六七八"));
  EXPECT_FALSE(ValidDocPrefix("\xE4\xB8"));  // truncated UTF-8
  EXPECT_EQ(FormatDayZh(D("2023-07-12")), "2023年7月12日");
}

}  // namespace
}  // namespace xietong::domain
