// Sign-in, sessions, API tokens and password rules (R-ACC-1).
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str). Session and API tokens are
// 256-bit random values given to the client once; only their SHA-256 is stored. Thread-safe.
//
// Sign-in (issue 15, findings 3 and 4): the user is read, the password checked with no
// transaction open (an unknown or disabled user is checked against a dummy hash of the same
// cost, so both take the same path and time), then a short write records the session or the
// failure. At most `hash_slots` Argon2id computations run at once and at most
// `max_login_inflight` sign-ins wait for one (more: 503 login_busy). Failures are held back per
// (username, client address) and per address with doubling waits (LoginThrottle; 429 throttled
// with a Retry-After), never by locking the account: the right password from another address
// still works. users.failed_logins counts failures since the last success and users.locked_until
// records the latest back-off, for the administrator's view; an administrator can clear both.
//
//   XT_ASSIGN_OR_RETURN(auto s, auth.Login("xincheng.officer", "…", "127.0.0.1"));
//   // set cookie xt_session=s.token; give s.csrf_token to the page
//   XT_ASSIGN_OR_RETURN(Principal p, auth.AuthenticateSession(cookie_token));
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "service/login_throttle.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct AuthOptions {
  // Session lifetime after the last request (sliding).
  std::chrono::minutes session_idle{8 * 60};
  // Back-off of failed sign-ins per (username, address) and per address.
  ThrottleOptions throttle;
  // Argon2id computations at once (0 = half the cores, at least 1) and sign-ins admitted at
  // once, waiting for a slot included (0 = 8 per slot, at least 16).
  int hash_slots = 0;
  int max_login_inflight = 0;
  // ApiToken.last_used_at is written at most this often per token.
  std::chrono::seconds token_touch_interval{60};
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
  // message and the same work, so usernames cannot be probed); 429 throttled while this
  // (username, address) or address is held back, with `*retry_after` set; 503 login_busy when
  // too many sign-ins are in progress (`*retry_after` 1 s).
  core::Result<LoginResult> Login(const std::string& username, const std::string& password,
                                  const std::string& remote_addr,
                                  std::chrono::seconds* retry_after = nullptr);
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
  // user's other sessions and revokes the user's API tokens.
  core::Status ChangePassword(const Principal& p, const std::string& old_password,
                              const std::string& new_password);

  // API tokens for integrators. `for_user` may differ from the caller only for admins.
  core::Result<IssuedToken> IssueToken(const Principal* actor, int64_t for_user,
                                       const std::string& name);
  core::Result<std::vector<storage::ApiToken>> ListTokens(const Principal& p);
  core::Status RevokeToken(const Principal& p, int64_t token_id);

  // Admin: clears a user's failed sign-ins and back-off (this instance's memory and the
  // users row); audited as user.unlock. 403 for others, 404 unknown user.
  core::Status Unlock(const Principal& admin, int64_t user_id);
  // Forgets the back-off of `username` in this instance (after an admin password reset).
  void ForgetThrottle(const std::string& username) { throttle_.Forget(username); }
  // Until when `username` is held back from some address in this instance, if it is.
  std::optional<core::Instant> ThrottledUntil(const std::string& username) {
    return throttle_.UserHeldUntil(username, clock_.Now());
  }
  // Revokes every live API token of `user_id` inside `tx` (password change, admin reset);
  // returns how many.
  static core::Result<int> RevokeTokensOfUser(storage::Tx& tx, int64_t user_id, core::Instant now);
  // Password verifications done (for /metrics: unknown and known users both count).
  uint64_t verifications() const { return verifications_.load(std::memory_order_relaxed); }
  // Sign-in attempts refused by the back-off.
  uint64_t throttled() const { return throttled_.load(std::memory_order_relaxed); }

  // Argon2id hash of a password (for user creation and resets).
  core::Result<std::string> HashPassword(const std::string& password) const;
  // Password rules: 8..128 characters, letters and digits (400 weak_password, field given).
  static core::Status CheckPasswordPolicy(const std::string& password, const char* field);
  // The principal of a user id (for the CLI and jobs).
  core::Result<Principal> PrincipalOf(int64_t user_id);

 private:
  core::Result<Principal> LoadPrincipal(storage::Tx& tx, const domain::User& u);
  // crypto_pwhash_str_verify inside a hash slot; counts the verification.
  bool Verify(const std::string& hash, const std::string& password) const;
  // A hash of a random password with this service's cost, computed once.
  const std::string& DummyHash() const;

  // A counting semaphore of Argon2id slots.
  class HashSlots {
   public:
    explicit HashSlots(int n) : free_(n) {}
    void Acquire() {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return free_ > 0; });
      --free_;
    }
    void Release() {
      { std::lock_guard lock(mu_); ++free_; }
      cv_.notify_one();
    }
   private:
    std::mutex mu_;
    std::condition_variable cv_;
    int free_;
  };

  storage::Store& store_;
  const core::Clock& clock_;
  AuthOptions options_;
  LoginThrottle throttle_;
  mutable HashSlots slots_;
  int max_inflight_;
  std::atomic<int> inflight_{0};
  mutable std::atomic<uint64_t> verifications_{0};
  std::atomic<uint64_t> throttled_{0};
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;
};

// 256-bit random token, URL-safe base64 without padding.
std::string RandomToken();

}  // namespace xietong::service
