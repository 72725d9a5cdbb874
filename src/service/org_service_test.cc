#include "service/org_service.h"

#include <gtest/gtest.h>

#include "service/audit_log.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;

TEST(OrgServiceTest, OnlyAdminsCreateOrgs) {
  Fixture f;
  OrgInput in{"dongcheng", "东成镇综合行政执法办公室", "东成镇", domain::OrgKind::kTownship, std::nullopt};
  auto denied = f.orgs.CreateOrg(&f.xincheng_officer, in);
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-ACC-1");
  auto ok = f.orgs.CreateOrg(&f.admin, in);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto dup = f.orgs.CreateOrg(&f.admin, in);
  EXPECT_EQ(dup.status().code(), core::Code::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "code");
}

TEST(OrgServiceTest, ValidationNamesTheField) {
  Fixture f;
  auto bad_code = f.orgs.CreateOrg(&f.admin, {"X", "名称", "简称", domain::OrgKind::kTownship, std::nullopt});
  EXPECT_EQ(bad_code.status().field(), "code");
  auto no_name = f.orgs.CreateOrg(&f.admin, {"abc", "", "简称", domain::OrgKind::kTownship, std::nullopt});
  EXPECT_EQ(no_name.status().field(), "name");
  auto unit_without_parent = f.orgs.CreateOrg(&f.admin, {"unit-x", "某所", "某所", domain::OrgKind::kUnit, std::nullopt});
  EXPECT_EQ(unit_without_parent.status().field(), "parent_id");
  auto unit_of_unit = f.orgs.CreateOrg(&f.admin, {"unit-y", "某股", "某股", domain::OrgKind::kUnit, f.scjg_unit.id});
  EXPECT_EQ(unit_of_unit.status().field(), "parent_id");
}

// R-ACC-1: a township officer lists only their own org's users; the coordinator lists all.
TEST(OrgServiceTest, UserListingFollowsAccessRules) {
  Fixture f;
  auto own = f.orgs.ListUsers(f.xincheng_officer, {});
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->size(), 3u);
  for (const auto& u : *own) EXPECT_EQ(u.org_id, f.xincheng.id);
  storage::UserFilter other;
  other.org_id = f.liuzu.id;
  EXPECT_EQ(f.orgs.ListUsers(f.xincheng_officer, other).status().code(), core::Code::kPermissionDenied);
  auto all = f.orgs.ListUsers(f.coord_staff, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 7u);
  EXPECT_EQ(f.orgs.GetUser(f.xincheng_officer, f.liuzu_officer.user.id).status().code(),
            core::Code::kNotFound);
}

TEST(OrgServiceTest, UsersBelongToAnOrgAndOptionallyItsUnit) {
  Fixture f;
  UserInput in;
  in.username = "scjg.officer2";
  in.display_name = "李四";
  in.org_id = f.scjg.id;
  in.unit_id = f.scjg_unit.id;
  in.roles = {domain::Role::kOfficer};
  in.password = "Passw0rd2026";
  auto u = f.orgs.CreateUser(&f.admin, in);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->unit_id, f.scjg_unit.id);
  in.username = "xincheng.bad";
  in.org_id = f.xincheng.id;  // the unit is not xincheng's
  EXPECT_EQ(f.orgs.CreateUser(&f.admin, in).status().field(), "unit_id");
  in.org_id = f.scjg_unit.id;  // a unit is not an org a user belongs to
  in.unit_id.reset();
  EXPECT_EQ(f.orgs.CreateUser(&f.admin, in).status().field(), "org_id");
  in.org_id = f.scjg.id;
  in.roles = {};
  EXPECT_EQ(f.orgs.CreateUser(&f.admin, in).status().field(), "roles");
  in.roles = {domain::Role::kOfficer};
  in.password = "short";
  EXPECT_EQ(f.orgs.CreateUser(&f.admin, in).status().field(), "password");
  in.password = "Passw0rd2026";
  in.username = "xincheng.officer";
  auto dup = f.orgs.CreateUser(&f.admin, in);
  EXPECT_EQ(dup.status().code(), core::Code::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "username");
}

TEST(OrgServiceTest, DisablingAUserEndsTheirSessions) {
  Fixture f;
  auto login = *f.auth.Login("liuzu.officer", Fixture::kPassword, "x");
  UserPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(f.orgs.UpdateUser(f.admin, f.liuzu_officer.user.id, patch).ok());
  EXPECT_FALSE(f.auth.AuthenticateSession(login.token).ok());
  EXPECT_EQ(f.auth.Login("liuzu.officer", Fixture::kPassword, "x").status().id(), "invalid_credentials");
  // Admins cannot disable themselves.
  EXPECT_EQ(f.orgs.UpdateUser(f.admin, f.admin.user.id, patch).status().field(), "disabled");
}

// Issue 15 findings 4 and 7: an admin reset clears the sign-in back-off and revokes the user's
// API tokens.
TEST(OrgServiceTest, ResetPasswordClearsBackOffAndRevokesTokens) {
  Fixture f;
  auto token = f.auth.IssueToken(nullptr, f.liuzu_officer.user.id, "integration");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(f.auth.AuthenticateToken(token->token).ok());
  for (int i = 0; i < 5; ++i) (void)f.auth.Login("liuzu.officer", "bad-password-9", "x");
  EXPECT_EQ(f.auth.Login("liuzu.officer", Fixture::kPassword, "x").status().id(), "throttled");
  ASSERT_TRUE(f.orgs.ResetPassword(f.admin, f.liuzu_officer.user.id, "Fresh2026pass").ok());
  EXPECT_TRUE(f.auth.Login("liuzu.officer", "Fresh2026pass", "x").ok());
  EXPECT_EQ(f.auth.AuthenticateToken(token->token).status().code(), core::Code::kUnauthenticated);
  EXPECT_EQ(f.orgs.ResetPassword(f.xincheng_officer, f.liuzu_officer.user.id, "Fresh2026pass").code(),
            core::Code::kPermissionDenied);
}

// R-AUD-1: a refused request changes nothing, not even the audit trail.
TEST(OrgServiceTest, RefusedChangesLeaveNoTrace) {
  Fixture f;
  auto before = *ListAuditFor(*f.store, f.admin, {.limit = 500});
  auto orgs_before = *f.orgs.ListOrgs(f.admin);
  (void)f.orgs.CreateOrg(&f.admin, {"xincheng", "重复", "重复", domain::OrgKind::kTownship, std::nullopt});
  (void)f.orgs.CreateOrg(&f.xincheng_officer, {"newtown", "新镇", "新镇", domain::OrgKind::kTownship, std::nullopt});
  EXPECT_EQ(ListAuditFor(*f.store, f.admin, {.limit = 500})->size(), before.size());
  EXPECT_EQ(f.orgs.ListOrgs(f.admin)->size(), orgs_before.size());
}

// R-ACC-1: people outside the coordinator see only their own org's audit entries.
TEST(OrgServiceTest, AuditListingIsScopedToTheOrg) {
  Fixture f;
  ASSERT_TRUE(f.auth.Login("xincheng.officer", Fixture::kPassword, "x").ok());
  ASSERT_TRUE(f.auth.Login("liuzu.officer", Fixture::kPassword, "x").ok());
  auto mine = *ListAuditFor(*f.store, f.xincheng_officer, {});
  ASSERT_FALSE(mine.empty());
  for (const auto& v : mine) EXPECT_EQ(v.entry.actor_org_id, f.xincheng.id);
  EXPECT_FALSE(CanVerifyChain(f.xincheng_officer).ok());
  EXPECT_TRUE(CanVerifyChain(f.coord_staff).ok());
}

}  // namespace
}  // namespace xietong::service
