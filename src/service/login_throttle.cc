#include "service/login_throttle.h"

#include <algorithm>

namespace xietong::service {

namespace {
std::string PairKey(const std::string& username, const std::string& address) {
  return username + '\n' + address;
}
}  // namespace

std::optional<core::Instant> LoginThrottle::Fail(Entry& e, int after, core::Instant now) const {
  if (e.failures > 0 && now - e.last > options_.forget && e.until <= now) e = Entry{};
  ++e.failures;
  e.last = now;
  if (e.failures < after) return std::nullopt;
  const int doublings = std::min(e.failures - after, 30);
  auto wait = options_.base * (int64_t{1} << doublings);
  if (wait > options_.max || wait <= decltype(wait)::zero()) wait = options_.max;
  e.until = std::max(e.until, now + std::chrono::duration_cast<core::Instant::duration>(wait));
  return e.until;
}

void LoginThrottle::Prune(Map& m, core::Instant now) {
  if (m.size() < options_.max_entries) return;
  std::erase_if(m, [&](const auto& kv) {
    return kv.second.until <= now && now - kv.second.last > options_.forget;
  });
  // Still full (a flood of fresh keys): keep only the keys held back now.
  if (m.size() >= options_.max_entries)
    std::erase_if(m, [&](const auto& kv) { return kv.second.until <= now; });
}

std::optional<core::Instant> LoginThrottle::HeldUntil(const std::string& username,
                                                      const std::string& address,
                                                      core::Instant now) {
  std::lock_guard lock(mu_);
  std::optional<core::Instant> out;
  if (auto it = pairs_.find(PairKey(username, address)); it != pairs_.end() && it->second.until > now)
    out = it->second.until;
  if (auto it = addresses_.find(address); it != addresses_.end() && it->second.until > now)
    out = std::max(out.value_or(it->second.until), it->second.until);
  return out;
}

LoginThrottle::Failure LoginThrottle::RecordFailure(const std::string& username,
                                                    const std::string& address,
                                                    core::Instant now) {
  std::lock_guard lock(mu_);
  Prune(pairs_, now);
  Prune(addresses_, now);
  Failure f;
  Entry& pair = pairs_[PairKey(username, address)];
  auto a = Fail(pair, options_.pair_after, now);
  Entry& addr = addresses_[address];
  auto b = Fail(addr, options_.address_after, now);
  f.pair_failures = pair.failures;
  f.address_failures = addr.failures;
  if (a || b) f.held_until = std::max(a.value_or(core::Instant{}), b.value_or(core::Instant{}));
  return f;
}

void LoginThrottle::RecordSuccess(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  pairs_.erase(PairKey(username, address));
}

void LoginThrottle::Forget(const std::string& username) {
  std::lock_guard lock(mu_);
  const std::string prefix = username + '\n';
  std::erase_if(pairs_, [&](const auto& kv) { return kv.first.starts_with(prefix); });
}

std::optional<core::Instant> LoginThrottle::UserHeldUntil(const std::string& username,
                                                          core::Instant now) {
  std::lock_guard lock(mu_);
  const std::string prefix = username + '\n';
  std::optional<core::Instant> out;
  for (const auto& [k, e] : pairs_)
    if (e.until > now && k.starts_with(prefix)) out = std::max(out.value_or(e.until), e.until);
  return out;
}

}  // namespace xietong::service
