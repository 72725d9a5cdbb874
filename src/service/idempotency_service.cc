#include "service/idempotency_service.h"

#include "domain/audit.h"

namespace xietong::service {

namespace {
using core::Status;
constexpr std::chrono::minutes kPurgeEvery{10};
}  // namespace

IdempotencyService::IdempotencyService(storage::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

Status IdempotencyService::CheckKey(std::string_view key) {
  bool ok = !key.empty() && key.size() <= 100;
  for (char c : key)
    if (c < 0x21 || c > 0x7E) ok = false;
  if (!ok)
    return Status::Invalid("Idempotency-Key", "Idempotency-Key 须为1至100个可打印ASCII字符", "",
                           "invalid_idempotency_key")
        .En("Idempotency-Key must be 1..100 printable ASCII characters");
  return Status::Ok();
}

namespace {
Status InProgress() {
  return Status(core::Code::kAborted, "idempotency_in_progress",
                "使用该 Idempotency-Key 的请求仍在处理中，请稍后重试", "Idempotency-Key")
      .En("A request with this Idempotency-Key is still in progress; retry later");
}
}  // namespace

core::Result<std::optional<StoredResponse>> IdempotencyService::Begin(
    domain::Id user_id, const std::string& key, const std::string& method,
    const std::string& route, std::string_view body) {
  XT_RETURN_IF_ERROR(CheckKey(key));
  const core::Instant now = clock_.Now();
  const core::Instant cutoff = now - kTtl;
  storage::IdempotencyRecord rec;
  rec.user_id = user_id;
  rec.key = key;
  rec.method = method;
  rec.route = route;
  rec.request_hash = domain::Sha256Hex(body);
  rec.status = 0;
  rec.created_at = now;
  const int64_t now_ms = core::ToMillis(now);
  int64_t last = last_purge_ms_.load();
  const bool purge = now_ms - last >= std::chrono::milliseconds(kPurgeEvery).count() &&
                     last_purge_ms_.compare_exchange_strong(last, now_ms);
  std::optional<StoredResponse> replay;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    replay.reset();
    if (purge) XT_RETURN_IF_ERROR(tx.PurgeIdempotencyKeys(cutoff).status());
    XT_ASSIGN_OR_RETURN(auto existing, tx.GetIdempotencyKey(user_id, key));
    if (existing && existing->created_at < cutoff) {
      // Expired: ignored, and replaced by this request.
      XT_RETURN_IF_ERROR(tx.DeleteIdempotencyKey(user_id, key));
      existing.reset();
    }
    if (!existing) {
      XT_ASSIGN_OR_RETURN(bool inserted, tx.ReserveIdempotencyKey(rec));
      // Lost a race to a concurrent request with the same key (possible on PostgreSQL, where
      // reservations are not serialised by a single writer): that request is in progress.
      if (!inserted) return InProgress();
      return Status::Ok();
    }
    if (existing->method != method || existing->route != route ||
        existing->request_hash != rec.request_hash)
      return Status(core::Code::kAlreadyExists, "idempotency_key_reused",
                    "该 Idempotency-Key 已用于另一请求（方法、路径或请求体不同）", "Idempotency-Key")
          .En("This Idempotency-Key was already used for a different request");
    if (existing->status == 0) return InProgress();
    replay = StoredResponse{existing->status, existing->content_type, existing->body};
    return Status::Ok();
  }));
  return replay;
}

Status IdempotencyService::Finish(domain::Id user_id, const std::string& key,
                                  const StoredResponse& r) {
  if (r.status >= 500 || r.status <= 0) return Abandon(user_id, key);
  return store_.Write([&](storage::Tx& tx) -> Status {
    storage::IdempotencyRecord rec;
    rec.user_id = user_id;
    rec.key = key;
    rec.status = r.status;
    rec.content_type = r.content_type;
    rec.body = r.body;
    return tx.CompleteIdempotencyKey(rec);
  });
}

Status IdempotencyService::Abandon(domain::Id user_id, const std::string& key) {
  return store_.Write(
      [&](storage::Tx& tx) -> Status { return tx.DeleteIdempotencyKey(user_id, key); });
}

}  // namespace xietong::service
