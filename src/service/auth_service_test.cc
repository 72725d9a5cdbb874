#include "service/auth_service.h"

#include <gtest/gtest.h>

#include "service/audit_log.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;

TEST(AuthServiceTest, LoginGivesASessionThatAuthenticates) {
  Fixture f;
  auto login = f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->principal.org.code, "xincheng");
  EXPECT_GE(login->token.size(), 43u);  // 256 bits, base64
  auto p = f.auth.AuthenticateSession(login->token);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->user.username, "xincheng.officer");
  EXPECT_EQ(p->csrf_token, login->csrf_token);
  // Only the hash of the token is stored.
  auto stored = f.store->Read([&](storage::Tx& tx) {
    return tx.GetSession(login->token).status();
  });
  EXPECT_EQ(stored.code(), core::Code::kNotFound);
}

TEST(AuthServiceTest, WrongPasswordAndUnknownUserLookTheSame) {
  Fixture f;
  auto a = f.auth.Login("xincheng.officer", "wrong-password1", "127.0.0.1");
  auto b = f.auth.Login("nobody.here", "wrong-password1", "127.0.0.1");
  ASSERT_FALSE(a.ok());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(a.status().id(), "invalid_credentials");
  EXPECT_EQ(a.status().message(), b.status().message());
}

// R-ACC-1, issue 15 finding 4: failures hold back the (username, address) with doubling waits;
// the account itself is never locked: the right password from another address works.
TEST(AuthServiceTest, RepeatedFailuresHoldBackTheAddressNotTheAccount) {
  Fixture f;
  for (int i = 0; i < 5; ++i) {
    auto r = f.auth.Login("liuzu.officer", "bad-password-" + std::to_string(i), "10.0.0.9");
    EXPECT_EQ(r.status().id(), "invalid_credentials");
  }
  std::chrono::seconds retry{0};
  const uint64_t verified = f.auth.verifications();
  auto held = f.auth.Login("liuzu.officer", Fixture::kPassword, "10.0.0.9", &retry);
  EXPECT_EQ(held.status().id(), "throttled");
  EXPECT_EQ(held.status().code(), core::Code::kResourceExhausted);
  EXPECT_EQ(retry, std::chrono::seconds(1));
  EXPECT_EQ(f.auth.verifications(), verified) << "a held-back attempt checks no password";
  EXPECT_TRUE(f.auth.ThrottledUntil("liuzu.officer").has_value());
  // Another address: the right password signs in.
  EXPECT_TRUE(f.auth.Login("liuzu.officer", Fixture::kPassword, "10.0.0.10").ok());
  // The wait doubles with each further failure from the held-back address.
  f.clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(f.auth.Login("liuzu.officer", "bad-password-x", "10.0.0.9").status().id(),
            "invalid_credentials");
  EXPECT_EQ(f.auth.Login("liuzu.officer", Fixture::kPassword, "10.0.0.9", &retry).status().id(),
            "throttled");
  EXPECT_EQ(retry, std::chrono::seconds(2));
  f.clock.Advance(std::chrono::seconds(3));
  EXPECT_TRUE(f.auth.Login("liuzu.officer", Fixture::kPassword, "10.0.0.9").ok());
}

// Issue 15 finding 4: unknown, disabled and known users all verify one hash per attempt.
TEST(AuthServiceTest, UnknownAndKnownUsersBothVerifyAHash) {
  Fixture f;
  uint64_t n = f.auth.verifications();
  EXPECT_FALSE(f.auth.Login("nobody.here", "wrong-password1", "10.1.0.1").ok());
  EXPECT_EQ(f.auth.verifications(), n + 1);
  EXPECT_FALSE(f.auth.Login("xincheng.officer", "wrong-password1", "10.1.0.2").ok());
  EXPECT_EQ(f.auth.verifications(), n + 2);
  EXPECT_TRUE(f.auth.Login("xincheng.officer", Fixture::kPassword, "10.1.0.2").ok());
  EXPECT_EQ(f.auth.verifications(), n + 3);
}

// Issue 15 finding 4: an administrator clears the back-off; others may not.
TEST(AuthServiceTest, AdminUnlockClearsTheBackOff) {
  Fixture f;
  for (int i = 0; i < 5; ++i) (void)f.auth.Login("liuzu.officer", "bad-password-1", "10.0.0.9");
  ASSERT_EQ(f.auth.Login("liuzu.officer", Fixture::kPassword, "10.0.0.9").status().id(), "throttled");
  EXPECT_EQ(f.auth.Unlock(f.xincheng_officer, f.liuzu_officer.user.id).code(),
            core::Code::kPermissionDenied);
  ASSERT_TRUE(f.auth.Unlock(f.admin, f.liuzu_officer.user.id).ok());
  EXPECT_FALSE(f.auth.ThrottledUntil("liuzu.officer").has_value());
  EXPECT_TRUE(f.auth.Login("liuzu.officer", Fixture::kPassword, "10.0.0.9").ok());
}

// Issue 15 finding 7: a password change revokes the user's API tokens; last_used_at is written
// at most once a minute.
TEST(AuthServiceTest, PasswordChangeRevokesTokensAndUseIsRecorded) {
  Fixture f;
  auto issued = f.auth.IssueToken(nullptr, f.xincheng_officer.user.id, "integration");
  ASSERT_TRUE(issued.ok());
  const auto last_used = [&] {
    auto ts = f.auth.ListTokens(f.xincheng_officer);
    return ts->at(0).last_used_at;
  };
  EXPECT_FALSE(last_used().has_value());
  const core::Instant t0 = f.clock.Now();
  ASSERT_TRUE(f.auth.AuthenticateToken(issued->token).ok());
  EXPECT_EQ(last_used(), t0);
  f.clock.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(f.auth.AuthenticateToken(issued->token).ok());
  EXPECT_EQ(last_used(), t0) << "not again within a minute";
  f.clock.Advance(std::chrono::seconds(31));
  ASSERT_TRUE(f.auth.AuthenticateToken(issued->token).ok());
  EXPECT_EQ(last_used(), f.clock.Now());

  auto login = *f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1");
  auto p = *f.auth.AuthenticateSession(login.token);
  ASSERT_TRUE(f.auth.ChangePassword(p, Fixture::kPassword, "NewPassw0rd!").ok());
  EXPECT_EQ(f.auth.AuthenticateToken(issued->token).status().code(), core::Code::kUnauthenticated);
}

TEST(AuthServiceTest, SessionsExpireAndLogoutEndsThem) {
  Fixture f;
  auto login = *f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1");
  f.clock.Advance(std::chrono::hours(9));
  EXPECT_EQ(f.auth.AuthenticateSession(login.token).status().code(), core::Code::kUnauthenticated);
  auto again = *f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1");
  auto p = *f.auth.AuthenticateSession(again.token);
  ASSERT_TRUE(f.auth.Logout(p).ok());
  EXPECT_FALSE(f.auth.AuthenticateSession(again.token).ok());
}

TEST(AuthServiceTest, ChangePasswordChecksOldAndPolicy) {
  Fixture f;
  auto login = *f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1");
  auto p = *f.auth.AuthenticateSession(login.token);
  EXPECT_EQ(f.auth.ChangePassword(p, Fixture::kPassword, "short1").field(), "new_password");
  EXPECT_EQ(f.auth.ChangePassword(p, Fixture::kPassword, "onlyletters").id(), "weak_password");
  EXPECT_EQ(f.auth.ChangePassword(p, "WrongOld2026", "NewPassw0rd!").field(), "old_password");
  ASSERT_TRUE(f.auth.ChangePassword(p, Fixture::kPassword, "NewPassw0rd!").ok());
  EXPECT_TRUE(f.auth.AuthenticateSession(login.token).ok());  // this session stays
  EXPECT_FALSE(f.auth.Login("xincheng.officer", Fixture::kPassword, "x").ok());
  EXPECT_TRUE(f.auth.Login("xincheng.officer", "NewPassw0rd!", "x").ok());
}

TEST(AuthServiceTest, ApiTokensAuthenticateUntilRevoked) {
  Fixture f;
  auto issued = f.auth.IssueToken(nullptr, f.liuzu_officer.user.id, "integration");
  ASSERT_TRUE(issued.ok());
  auto p = f.auth.AuthenticateToken(issued->token);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->via_token);
  EXPECT_EQ(p->org.code, "liuzu");
  // Someone else cannot issue for liuzu.officer, nor revoke their token.
  EXPECT_EQ(f.auth.IssueToken(&f.xincheng_officer, f.liuzu_officer.user.id, "x").status().code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(f.auth.RevokeToken(f.xincheng_officer, issued->id).code(), core::Code::kNotFound);
  ASSERT_TRUE(f.auth.RevokeToken(*p, issued->id).ok());
  EXPECT_EQ(f.auth.AuthenticateToken(issued->token).status().code(), core::Code::kUnauthenticated);
}

// R-AUD-1: sign-ins, failures and token issues are audited, and the chain stays intact.
TEST(AuthServiceTest, AuthEventsAreAudited) {
  Fixture f;
  ASSERT_TRUE(f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1").ok());
  ASSERT_FALSE(f.auth.Login("xincheng.officer", "nope-nope-1", "127.0.0.1").ok());
  auto views = ListAuditFor(*f.store, f.admin, {.object_type = "user"});
  ASSERT_TRUE(views.ok());
  std::vector<std::string> actions;
  for (const auto& v : *views) actions.push_back(v.entry.action);
  EXPECT_EQ(actions.at(0), "auth.login_failed");
  EXPECT_EQ(actions.at(1), "auth.login");
  auto check = VerifyChain(*f.store);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok);
}

}  // namespace
}  // namespace xietong::service
