// Stored responses for Idempotency-Key (contract: docs/referrals-contract.md, top).
//
// The HTTP middleware (http/idempotency.h) calls Begin() before running a state-changing
// request that carries a key, and Finish() or Abandon() after. Begin() reserves the key in its
// own transaction (status 0 = in progress), so two concurrent requests with the same key cannot
// both run the work: the second sees the reservation and is refused with 409
// idempotency_in_progress. Keys older than the TTL are ignored and purged now and then.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "storage/store.h"

namespace xietong::service {

struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class IdempotencyService {
 public:
  // Keys live this long (contract: 24 h).
  static constexpr std::chrono::hours kTtl{24};

  IdempotencyService(storage::Store& store, const core::Clock& clock);

  // 1..100 printable ASCII characters (0x21..0x7E); else 400 field "Idempotency-Key".
  static core::Status CheckKey(std::string_view key);

  // Either reserves the key (returns nullopt: run the request, then Finish or Abandon) or
  // returns the stored response to replay. Errors: 409 idempotency_key_reused (same key with
  // another method, path or body), 409 idempotency_in_progress (the first is still running),
  // 400 field "Idempotency-Key" for a bad key.
  core::Result<std::optional<StoredResponse>> Begin(domain::Id user_id, const std::string& key,
                                                    const std::string& method,
                                                    const std::string& route,
                                                    std::string_view body);
  // Stores the response for replay when status < 500; otherwise releases the key (a failed
  // request may be retried with the same key).
  core::Status Finish(domain::Id user_id, const std::string& key, const StoredResponse& r);
  // Releases a reservation without storing anything (the handler threw).
  core::Status Abandon(domain::Id user_id, const std::string& key);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  std::atomic<int64_t> last_purge_ms_{0};
};

}  // namespace xietong::service
