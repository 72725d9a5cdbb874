// Back-off for failed sign-ins (issue 15, finding 4): per (username, client address) and per
// client address, never per account alone, so a password-guessing flood from one address cannot
// stop the right user signing in from another (R-ACC-1).
//
// After `pair_after` verified failures for a username from one address (or `address_after` from
// one address for any usernames), that key is held back for base, 2·base, 4·base … (capped at
// `max`) after each further failure; a held-back attempt is refused without checking the
// password. A key is forgotten `forget` after its last failure once its back-off is over; a
// success clears its (username, address) key. The state is this process's memory (per instance:
// README "Sign-in and sessions" says why); the table is capped at `max_entries`. Thread-safe.
//
//   LoginThrottle t(opts);
//   if (auto until = t.HeldUntil("xincheng.officer", "10.0.0.9", now)) → 429, Retry-After
//   … wrong password: auto f = t.RecordFailure("xincheng.officer", "10.0.0.9", now);
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace xietong::service {

struct ThrottleOptions {
  int pair_after = 5;      // failures of one username from one address before back-off
  int address_after = 30;  // failures from one address (any usernames) before back-off
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds max{15 * 60 * 1000};
  std::chrono::minutes forget{30};
  size_t max_entries = 100000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleOptions options = {}) : options_(options) {}

  // The instant until which an attempt for `username` from `address` is refused; nullopt when
  // it may go ahead.
  std::optional<core::Instant> HeldUntil(const std::string& username, const std::string& address,
                                         core::Instant now);

  struct Failure {
    int pair_failures = 0;     // failures counted for (username, address), this one included
    int address_failures = 0;  // failures counted for the address
    std::optional<core::Instant> held_until;  // set when this failure started or lengthened a back-off
  };
  // A verified wrong password (or unknown user) for `username` from `address`.
  Failure RecordFailure(const std::string& username, const std::string& address, core::Instant now);
  // A good password: clears the (username, address) key.
  void RecordSuccess(const std::string& username, const std::string& address);
  // An administrator's unlock or password reset: clears every key of `username`.
  void Forget(const std::string& username);
  // Whether any key of `username` is held back now, and until when (for the admin's view).
  std::optional<core::Instant> UserHeldUntil(const std::string& username, core::Instant now);

 private:
  struct Entry {
    int failures = 0;
    core::Instant last{};
    core::Instant until{};
  };
  using Map = std::unordered_map<std::string, Entry>;
  // Counts one failure on `e` and returns the back-off it starts, if any.
  std::optional<core::Instant> Fail(Entry& e, int after, core::Instant now) const;
  void Prune(Map& m, core::Instant now);

  ThrottleOptions options_;
  std::mutex mu_;
  Map pairs_;      // username + '\n' + address
  Map addresses_;  // address
};

}  // namespace xietong::service
