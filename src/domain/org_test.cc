#include "domain/org.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

TEST(OrgTest, KindNamesRoundTrip) {
  for (int k = 1; k <= 9; ++k) {
    auto kind = static_cast<OrgKind>(k);
    EXPECT_EQ(ParseOrgKind(OrgKindName(kind)), kind) << k;
  }
  EXPECT_FALSE(ParseOrgKind("ministry"));
  EXPECT_TRUE(IsJudicial(OrgKind::kCourt));
  EXPECT_FALSE(IsJudicial(OrgKind::kTownship));
}

TEST(OrgTest, RoleSetIsABitMaskThatPersists) {
  RoleSet s{Role::kOfficer, Role::kLiaison};
  EXPECT_TRUE(s.Has(Role::kOfficer));
  EXPECT_TRUE(s.Has(Role::kLiaison));
  EXPECT_FALSE(s.Has(Role::kLeader));
  // Persisted values never change: bit = 1 << enum value.
  EXPECT_EQ(s.mask(), (1 << 1) | (1 << 3));
  EXPECT_EQ(RoleSet(s.mask()), s);
  EXPECT_EQ(s.List(), (std::vector<Role>{Role::kOfficer, Role::kLiaison}));
  EXPECT_EQ(ParseRole("coordinator_staff"), Role::kCoordinatorStaff);
  EXPECT_FALSE(ParseRole("boss"));
}

TEST(OrgTest, UsernameAndCodeSyntax) {
  EXPECT_TRUE(ValidUsername("xincheng.officer"));
  EXPECT_TRUE(ValidUsername("admin"));
  EXPECT_FALSE(ValidUsername("ab"));
  EXPECT_FALSE(ValidUsername("Xincheng"));
  EXPECT_FALSE(ValidUsername(".hidden"));
  EXPECT_FALSE(ValidUsername("张三"));
  EXPECT_TRUE(ValidOrgCode("scjg-xincheng"));
  EXPECT_FALSE(ValidOrgCode("1town"));
  EXPECT_FALSE(ValidOrgCode("a"));
}

}  // namespace
}  // namespace xietong::domain
