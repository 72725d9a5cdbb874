// Sign-in, sessions, API tokens and password rules (R-ACC-1).
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str). Session and API tokens are
// 256-bit random values given to the client once; only their SHA-256 is stored. Failed sign-ins
// are counted per user and lock the account for a while after too many. Thread-safe.
//
//   XT_ASSIGN_OR_RETURN(auto s, auth.Login("xincheng.officer", "…", "127.0.0.1"));
//   // set cookie xt_session=s.token; give s.csrf_token to the page
//   XT_ASSIGN_OR_RETURN(Principal p, auth.AuthenticateSession(cookie_token));
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct AuthOptions {
  // Session lifetime after the last request (sliding).
  std::chrono::minutes session_idle{8 * 60};
  // Failed sign-ins in a row before a temporary lock-out.
  int max_failed_logins = 5;
  // How long the lock-out lasts.
  std::chrono::minutes lockout{15};
  // Argon2id cost: libsodium's "interactive" limits by default.
  unsigned long long pwhash_opslimit = 2;          // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t pwhash_memlimit = 64ull * 1024 * 1024;    // crypto_pwhash_MEMLIMIT_INTERACTIVE
};

struct LoginResult {
  std::string token;  // the cookie value; shown once
  std::string csrf_token;
  Principal principal;
  core::Instant expires_at{};
};

struct IssuedToken {
  int64_t id = 0;
  std::string token;  // the bearer token; shown once
};

class AuthService {
 public:
  AuthService(storage::Store& store, const core::Clock& clock, AuthOptions options = {});

  // Errors: 401 invalid_credentials (unknown user, wrong password, disabled user: the same
  // message, so usernames cannot be probed); 429 locked_out while locked.
  core::Result<LoginResult> Login(const std::string& username, const std::string& password,
                                  const std::string& remote_addr);
  // Principal for a session cookie token (and slides its expiry); 401 when unknown/expired.
  core::Result<Principal> AuthenticateSession(const std::string& token);
  // Principal for a bearer token; 401 when unknown, revoked or the user is disabled.
  core::Result<Principal> AuthenticateToken(const std::string& token);
  // Whether a session cookie token is still valid (signed in, not expired, user enabled),
  // without sliding its expiry: for re-checks of long-lived requests (the event stream).
  // Errors: 401 as AuthenticateSession.
  core::Result<Principal> CheckSession(const std::string& token);
  core::Status Logout(const Principal& p);
  // Own password: checks the old one; the new one must satisfy PasswordPolicy. Signs out the
  // user's other sessions.
  core::Status ChangePassword(const Principal& p, const std::string& old_password,
                              const std::string& new_password);

  // API tokens for integrators. `for_user` may differ from the caller only for admins.
  core::Result<IssuedToken> IssueToken(const Principal* actor, int64_t for_user,
                                       const std::string& name);
  core::Result<std::vector<storage::ApiToken>> ListTokens(const Principal& p);
  core::Status RevokeToken(const Principal& p, int64_t token_id);

  // Argon2id hash of a password (for user creation and resets).
  core::Result<std::string> HashPassword(const std::string& password) const;
  // Password rules: 8..128 characters, letters and digits (400 weak_password, field given).
  static core::Status CheckPasswordPolicy(const std::string& password, const char* field);
  // The principal of a user id (for the CLI and jobs).
  core::Result<Principal> PrincipalOf(int64_t user_id);

 private:
  core::Result<Principal> LoadPrincipal(storage::Tx& tx, const domain::User& u);

  storage::Store& store_;
  const core::Clock& clock_;
  AuthOptions options_;
};

// 256-bit random token, URL-safe base64 without padding.
std::string RandomToken();

}  // namespace xietong::service
