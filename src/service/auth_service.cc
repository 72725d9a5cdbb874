#include "service/auth_service.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include <boost/json/object.hpp>

#include "service/audit_log.h"
#include "service/region_service.h"

namespace xietong::service {

namespace {
using core::Status;

Status BadCredentials() {
  return Status(core::Code::kUnauthenticated, "invalid_credentials", "用户名或密码错误", "password")
      .En("Wrong username or password");
}

bool SodiumReady() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}
}  // namespace

std::string RandomToken() {
  SodiumReady();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[64];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

namespace {
int HashSlotsOf(const AuthOptions& o) {
  if (o.hash_slots > 0) return o.hash_slots;
  // Half the cores: sign-in floods leave the other half to every other request (finding 3).
  return std::max(1u, std::thread::hardware_concurrency() / 2);
}
}  // namespace

AuthService::AuthService(storage::Store& store, const core::Clock& clock, AuthOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      throttle_(options.throttle),
      slots_(HashSlotsOf(options)),
      max_inflight_(options.max_login_inflight > 0 ? options.max_login_inflight
                                                   : std::max(16, 8 * HashSlotsOf(options))) {
  SodiumReady();
}

bool AuthService::Verify(const std::string& hash, const std::string& password) const {
  slots_.Acquire();
  verifications_.fetch_add(1, std::memory_order_relaxed);
  const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  slots_.Release();
  return ok;
}

const std::string& AuthService::DummyHash() const {
  std::call_once(dummy_once_, [&] {
    auto h = HashPassword(RandomToken());
    dummy_hash_ = h.ok() ? *h : std::string();
  });
  return dummy_hash_;
}

core::Result<std::string> AuthService::HashPassword(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  slots_.Acquire();
  const int rc = crypto_pwhash_str_alg(out, password.data(), password.size(),
                                       options_.pwhash_opslimit, options_.pwhash_memlimit,
                                       crypto_pwhash_ALG_ARGON2ID13);
  slots_.Release();
  if (rc != 0) {
    return Status::Internal("密码哈希失败（内存不足）");
  }
  return std::string(out);
}

Status AuthService::CheckPasswordPolicy(const std::string& password, const char* field) {
  bool letter = false, digit = false;
  size_t chars = 0;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++chars;  // count UTF-8 code points
    if (std::isalpha(c)) letter = true;
    if (std::isdigit(c)) digit = true;
  }
  if (chars < 8 || chars > 128 || !letter || !digit) {
    return Status::Invalid(field, "密码至少8位，须同时包含字母和数字", {}, "weak_password")
        .En("The password needs at least 8 characters with letters and digits");
  }
  return Status::Ok();
}

core::Result<Principal> AuthService::LoadPrincipal(storage::Tx& tx, const domain::User& u) {
  Principal p;
  p.user = u;
  XT_ASSIGN_OR_RETURN(p.org, tx.GetOrg(u.org_id));
  if (u.unit_id) {
    XT_ASSIGN_OR_RETURN(auto unit, tx.GetOrg(*u.unit_id));
    p.unit = std::move(unit);
  }
  XT_RETURN_IF_ERROR(LoadScope(tx, p));  // R-ACC-2
  return p;
}

core::Result<LoginResult> AuthService::Login(const std::string& username,
                                             const std::string& password,
                                             const std::string& remote_addr,
                                             std::chrono::seconds* retry_after) {
  const core::Instant now = clock_.Now();
  // 1. Held back: refused before any work (R-ACC-1, issue 15 finding 4).
  if (auto until = throttle_.HeldUntil(username, remote_addr, now)) {
    throttled_.fetch_add(1, std::memory_order_relaxed);
    const auto secs = std::chrono::ceil<std::chrono::seconds>(*until - now);
    if (retry_after) *retry_after = std::max(secs, std::chrono::seconds(1));
    return Status::Exhausted("throttled", "登录失败次数过多，请" + std::to_string(secs.count()) +
                                              "秒后再试")
        .En("Too many failed sign-ins; try again in " + std::to_string(secs.count()) + " seconds");
  }
  // 2. Admission: sign-ins waiting for a hash slot hold request threads; bound them.
  struct Admit {
    std::atomic<int>& n;
    ~Admit() { n.fetch_sub(1, std::memory_order_relaxed); }
  } admit{inflight_};
  if (inflight_.fetch_add(1, std::memory_order_relaxed) >= max_inflight_) {
    if (retry_after) *retry_after = std::chrono::seconds(1);
    return Status::Unavailable("登录人数过多，请稍后再试").En("Too many sign-ins at once; try again shortly");
  }
  // 3. Read the user, then check the password with no transaction open. Unknown and disabled
  // users are checked against the dummy hash: the same work, the same answer.
  std::optional<domain::User> user;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto u = tx.GetUserByUsername(username);
    if (u.ok()) {
      user = std::move(u).value();
      return Status::Ok();
    }
    return u.status().code() == core::Code::kNotFound ? Status::Ok() : u.status();
  }));
  const std::string& hash = user && !user->disabled ? user->password_hash : DummyHash();
  const bool good = Verify(hash, password) && user && !user->disabled;

  if (!good) {
    // 4a. A short write for the failure: the count, the back-off, the audit entry.
    const LoginThrottle::Failure f = throttle_.RecordFailure(username, remote_addr, now);
    if (!user && !f.held_until) return BadCredentials();
    XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
      boost::json::object detail{{"username", username}, {"remote", remote_addr},
                                 {"failures_from_address", f.pair_failures}};
      std::string summary = "登录失败：" + username;
      std::string action = "auth.login_failed";
      std::string object_id;
      if (user) {
        XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(user->id));
        ++u.failed_logins;
        if (f.held_until) u.locked_until = std::max(u.locked_until.value_or(now), *f.held_until);
        XT_RETURN_IF_ERROR(tx.UpdateUser(u));
        detail["failed_logins"] = u.failed_logins;
        object_id = std::to_string(u.id);
      }
      if (f.held_until) {
        action = "auth.throttled";
        detail["held_until"] = core::FormatInstant(*f.held_until);
        detail["failures_of_address"] = f.address_failures;
        summary = "登录失败次数过多，暂缓该地址登录：" + username + "（" + remote_addr + "）";
      }
      return Record(tx, nullptr, now, {action, "user", object_id, summary, std::move(detail)});
    }));
    return BadCredentials();
  }

  // 4b. A short write for the session (the password must not have changed meanwhile).
  throttle_.RecordSuccess(username, remote_addr);
  LoginResult result;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(user->id));
    if (u.disabled || u.password_hash != user->password_hash) return BadCredentials();
    if (u.failed_logins != 0 || u.locked_until) {
      u.failed_logins = 0;
      u.locked_until.reset();
      XT_RETURN_IF_ERROR(tx.UpdateUser(u));
    }
    XT_ASSIGN_OR_RETURN(result.principal, LoadPrincipal(tx, u));
    result.token = RandomToken();
    result.csrf_token = RandomToken();
    result.expires_at = now + options_.session_idle;
    storage::Session s;
    s.token_hash = domain::Sha256Hex(result.token);
    s.user_id = u.id;
    s.csrf_token = result.csrf_token;
    s.created_at = now;
    s.expires_at = result.expires_at;
    s.last_seen_at = now;
    XT_RETURN_IF_ERROR(tx.InsertSession(s));
    result.principal.csrf_token = result.csrf_token;
    result.principal.session_hash = s.token_hash;
    return Record(tx, &result.principal, now,
                  {"auth.login", "user", std::to_string(u.id), "登录：" + u.username,
                   boost::json::object{{"remote", remote_addr}}});
  }));
  return result;
}

Status AuthService::Unlock(const Principal& admin, int64_t user_id) {
  if (!admin.IsAdmin())
    return Status::Denied("仅系统管理员可解除登录限制", "R-ACC-1").En("Only administrators can unlock sign-in");
  std::string username;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(user_id));
    username = u.username;
    boost::json::object detail{{"failed_logins", u.failed_logins},
                               {"locked_until", u.locked_until
                                                    ? boost::json::value(core::FormatInstant(*u.locked_until))
                                                    : nullptr}};
    u.failed_logins = 0;
    u.locked_until.reset();
    XT_RETURN_IF_ERROR(tx.UpdateUser(u));
    return Record(tx, &admin, clock_.Now(),
                  {"user.unlock", "user", std::to_string(u.id), "解除登录限制：" + u.username,
                   std::move(detail)});
  }));
  throttle_.Forget(username);
  return Status::Ok();
}

core::Result<int> AuthService::RevokeTokensOfUser(storage::Tx& tx, int64_t user_id,
                                                  core::Instant now) {
  XT_ASSIGN_OR_RETURN(auto tokens, tx.ListApiTokens(user_id));
  int n = 0;
  for (const auto& t : tokens) {
    if (t.revoked_at) continue;
    XT_RETURN_IF_ERROR(tx.RevokeApiToken(t.id, now));
    ++n;
  }
  return n;
}

core::Result<Principal> AuthService::AuthenticateSession(const std::string& token) {
  if (token.empty() || token.size() > 128) return BadCredentials();
  const core::Instant now = clock_.Now();
  const std::string hash = domain::Sha256Hex(token);
  Principal p;
  bool touch = false;
  // One joined statement: the session, its user, the user's org and unit.
  Status st = store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(storage::SessionPrincipal sp, tx.GetSessionPrincipal(hash));
    const storage::Session& s = sp.session;
    if (s.expires_at <= now) return Status::NotFound("session");
    if (sp.user.disabled) return Status::NotFound("session");
    p.user = std::move(sp.user);
    p.org = std::move(sp.org);
    p.unit = std::move(sp.unit);
    XT_RETURN_IF_ERROR(LoadScope(tx, p));  // R-ACC-2
    p.csrf_token = s.csrf_token;
    p.session_hash = hash;
    // Slide the expiry at most once a minute, to keep reads read-only.
    touch = now - s.last_seen_at > std::chrono::minutes(1);
    return Status::Ok();
  });
  if (!st.ok()) {
    if (st.code() == core::Code::kNotFound)
      return Status::Unauthenticated("未登录或登录已过期，请重新登录").En("Not signed in, or the session expired");
    return st;
  }
  if (touch) {
    XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) {
      return tx.TouchSession(hash, now, now + options_.session_idle);
    }));
  }
  return p;
}

core::Result<Principal> AuthService::AuthenticateToken(const std::string& token) {
  const core::Instant now = clock_.Now();
  const std::string hash = domain::Sha256Hex(token);
  Principal p;
  std::optional<int64_t> touch;  // the token's id when last_used_at is due for an update
  // One joined statement: the token, its user, the user's org and unit.
  Status st = store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(storage::TokenPrincipal tp, tx.GetTokenPrincipal(hash));
    if (tp.token.revoked_at && *tp.token.revoked_at <= now) return Status::NotFound("token");
    if (tp.user.disabled) return Status::NotFound("token");
    // last_used_at at most once per interval, to keep reads read-only (finding 7).
    if (!tp.token.last_used_at || now - *tp.token.last_used_at >= options_.token_touch_interval)
      touch = tp.token.id;
    p.user = std::move(tp.user);
    p.org = std::move(tp.org);
    p.unit = std::move(tp.unit);
    XT_RETURN_IF_ERROR(LoadScope(tx, p));  // R-ACC-2
    p.via_token = true;
    return Status::Ok();
  });
  if (!st.ok()) {
    if (st.code() == core::Code::kNotFound)
      return Status::Unauthenticated("API令牌无效或已吊销").En("Invalid or revoked API token");
    return st;
  }
  if (touch) {
    XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) { return tx.TouchApiToken(*touch, now); }));
  }
  return p;
}

Status AuthService::Logout(const Principal& p) {
  if (p.session_hash.empty()) return Status::Ok();
  return store_.Write([&](storage::Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(tx.DeleteSession(p.session_hash));
    return Record(tx, &p, clock_.Now(),
                  {"auth.logout", "user", std::to_string(p.user.id), "退出登录：" + p.user.username, {}});
  });
}

Status AuthService::ChangePassword(const Principal& p, const std::string& old_password,
                                   const std::string& new_password) {
  XT_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, "new_password"));
  if (old_password == new_password)
    return Status::Invalid("new_password", "新密码不能与原密码相同", {}, "weak_password")
        .En("The new password must differ from the old one");
  // Both Argon2id computations run with no transaction open; the write checks that the hash
  // verified is still the stored one.
  std::string current;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(p.user.id));
    current = u.password_hash;
    return Status::Ok();
  }));
  const auto wrong_old = [] {
    return Status::Invalid("old_password", "原密码不正确", {}, "wrong_password")
        .En("The current password is wrong");
  };
  if (!Verify(current, old_password)) return wrong_old();
  XT_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  return store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(p.user.id));
    if (u.password_hash != current) return wrong_old();  // changed meanwhile
    const core::Instant now = clock_.Now();
    u.password_hash = hash;
    XT_RETURN_IF_ERROR(tx.UpdateUser(u));
    XT_RETURN_IF_ERROR(tx.DeleteSessionsOfUser(u.id));
    // Finding 7: a password change revokes the user's API tokens.
    XT_ASSIGN_OR_RETURN(int revoked, RevokeTokensOfUser(tx, u.id, now));
    if (!p.session_hash.empty()) {  // keep the current session signed in
      storage::Session s;
      s.token_hash = p.session_hash;
      s.user_id = u.id;
      s.csrf_token = p.csrf_token;
      s.created_at = clock_.Now();
      s.last_seen_at = s.created_at;
      s.expires_at = s.created_at + options_.session_idle;
      XT_RETURN_IF_ERROR(tx.InsertSession(s));
    }
    return Record(tx, &p, now,
                  {"user.password_change", "user", std::to_string(u.id),
                   "修改密码：" + u.username, boost::json::object{{"revoked_tokens", revoked}}});
  });
}

core::Result<IssuedToken> AuthService::IssueToken(const Principal* actor, int64_t for_user,
                                                  const std::string& name) {
  if (actor && actor->user.id != for_user && !actor->IsAdmin())
    return Status::Denied("只能为自己签发API令牌", "R-ACC-1").En("You can issue tokens only for yourself");
  if (name.empty() || name.size() > 100)
    return Status::Invalid("name", "令牌名称为1至100个字符").En("Token name must be 1..100 characters");
  IssuedToken out;
  out.token = "xt_" + RandomToken();
  const core::Instant now = clock_.Now();
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(for_user));
    storage::ApiToken t;
    t.user_id = u.id;
    t.name = name;
    t.token_hash = domain::Sha256Hex(out.token);
    t.created_at = now;
    XT_ASSIGN_OR_RETURN(out.id, tx.InsertApiToken(t));
    return Record(tx, actor, now,
                  {"token.issue", "api_token", std::to_string(out.id),
                   "签发API令牌「" + name + "」给 " + u.username,
                   boost::json::object{{"user_id", u.id}, {"name", name}}});
  }));
  return out;
}

core::Result<std::vector<storage::ApiToken>> AuthService::ListTokens(const Principal& p) {
  std::vector<storage::ApiToken> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, tx.ListApiTokens(p.user.id));
    return Status::Ok();
  }));
  return out;
}

Status AuthService::RevokeToken(const Principal& p, int64_t token_id) {
  const core::Instant now = clock_.Now();
  return store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(storage::ApiToken t, tx.GetApiToken(token_id));
    if (t.user_id != p.user.id && !p.IsAdmin()) return Status::NotFound("token");
    if (t.revoked_at)
      return Status::Precondition("already_revoked", "该令牌已吊销").En("Token already revoked");
    XT_RETURN_IF_ERROR(tx.RevokeApiToken(token_id, now));
    return Record(tx, &p, now,
                  {"token.revoke", "api_token", std::to_string(token_id),
                   "吊销API令牌「" + t.name + "」", {}});
  });
}

core::Result<Principal> AuthService::CheckSession(const std::string& token) {
  if (token.empty() || token.size() > 128) return BadCredentials();
  const core::Instant now = clock_.Now();
  const std::string hash = domain::Sha256Hex(token);
  Principal p;
  Status st = store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(storage::SessionPrincipal sp, tx.GetSessionPrincipal(hash));
    if (sp.session.expires_at <= now || sp.user.disabled) return Status::NotFound("session");
    p.user = std::move(sp.user);
    p.org = std::move(sp.org);
    p.unit = std::move(sp.unit);
    XT_RETURN_IF_ERROR(LoadScope(tx, p));  // R-ACC-2
    p.csrf_token = sp.session.csrf_token;
    p.session_hash = hash;
    return Status::Ok();
  });
  if (!st.ok()) {
    if (st.code() == core::Code::kNotFound)
      return Status::Unauthenticated("未登录或登录已过期，请重新登录").En("Not signed in, or the session expired");
    return st;
  }
  return p;
}

core::Result<Principal> AuthService::PrincipalOf(int64_t user_id) {
  Principal p;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(user_id));
    XT_ASSIGN_OR_RETURN(p, LoadPrincipal(tx, u));
    return Status::Ok();
  }));
  return p;
}

}  // namespace xietong::service
