#include "service/idempotency_service.h"

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <random>

#include "domain/audit.h"

namespace xietong::service {

namespace {
using core::Status;
constexpr std::chrono::minutes kPurgeEvery{10};

// "<pid>-<32 hex digits>": new for every service object.
std::string NewInstanceId() {
  std::random_device rd;
  std::string id = std::to_string(::getpid()) + "-";
  for (int i = 0; i < 4; ++i) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    id += buf;
  }
  return id;
}

// The job-state key holding an instance's last heartbeat (lease-clock milliseconds).
std::string HeartbeatKey(const std::string& instance) {
  return std::string(IdempotencyService::kHeartbeatKeyPrefix) + instance;
}

// The lease-clock milliseconds of a heartbeat row, or nullopt when unreadable.
std::optional<int64_t> BeatMillis(const std::string& value) {
  try {
    size_t used = 0;
    int64_t ms = std::stoll(value, &used);
    if (used != value.size()) return std::nullopt;
    return ms;
  } catch (...) {
    return std::nullopt;
  }
}

// The request running on this thread under a reserved key (IdempotencyService::Running).
thread_local IdempotencyService::Running* tls_running = nullptr;

// The one transaction of the request running on this thread (IdempotencyService::Execute).
struct AmbientTx {
  const void* service = nullptr;
  storage::Tx* tx = nullptr;
  int kept_units = 0;  // nested writes that committed into it
};
thread_local AmbientTx* tls_ambient = nullptr;

Status InProgress();
}  // namespace

// Forwards to the real store; a write committed while a Running scope of this service is open
// on the thread also marks the key carried out, in the same transaction.
class IdempotencyService::TrackingStore final : public storage::Store {
 public:
  TrackingStore(IdempotencyService& service, storage::Store& base)
      : service_(service), base_(base) {}

  Status Write(const std::function<Status(storage::Tx&)>& fn) override {
    if (AmbientTx* amb = tls_ambient; amb != nullptr && amb->service == &service_) {
      // Inside the request's one transaction: a nested unit that a failure undoes alone.
      storage::Tx& tx = *amb->tx;
      XT_RETURN_IF_ERROR(tx.BeginNested());
      Status s;
      try {
        s = fn(tx);
      } catch (...) {
        (void)tx.EndNested(false);
        throw;
      }
      XT_RETURN_IF_ERROR(tx.EndNested(s.ok()));
      if (s.ok()) ++amb->kept_units;
      return s;
    }
    Running* run = tls_running;
    if (run == nullptr || &run->service_ != &service_ || run->carried_out_) {
      XT_RETURN_IF_ERROR(base_.Write(fn));
      service_.Committed();
      return Status::Ok();
    }
    XT_RETURN_IF_ERROR(base_.Write([&](storage::Tx& tx) -> Status {
      XT_RETURN_IF_ERROR(fn(tx));
      return service_.MarkCarriedOut(tx, *run);
    }));
    run->carried_out_ = true;
    service_.Committed();
    return Status::Ok();
  }
  Status Read(const std::function<Status(storage::Tx&)>& fn) override {
    // Inside the request's one transaction: read it (the request's own writes included).
    if (AmbientTx* amb = tls_ambient; amb != nullptr && amb->service == &service_)
      return fn(*amb->tx);
    return base_.Read(fn);
  }
  storage::StoreInfo Info() const override { return base_.Info(); }
  double DbSeconds() const override { return base_.DbSeconds(); }

 private:
  IdempotencyService& service_;
  storage::Store& base_;
};

IdempotencyService::IdempotencyService(storage::Store& store, const core::Clock& clock,
                                       const core::Clock* lease_clock)
    : store_(store),
      clock_(clock),
      lease_clock_(lease_clock ? *lease_clock : clock),
      instance_id_(NewInstanceId()),
      work_store_(std::make_unique<TrackingStore>(*this, store)) {}

IdempotencyService::~IdempotencyService() { Stop(); }

storage::Store& IdempotencyService::WorkStore() { return *work_store_; }

void IdempotencyService::AddCommitListener(std::function<void()> fn) {
  commit_listeners_.push_back(std::move(fn));
}

IdempotencyService::Running::Running(IdempotencyService& service, domain::Id user_id,
                                     std::string key)
    : service_(service), user_id_(user_id), key_(std::move(key)), previous_(tls_running) {
  tls_running = this;
}

IdempotencyService::Running::~Running() { tls_running = previous_; }

Status IdempotencyService::Beat(int64_t ms) {
  return store_.Write(
      [&](storage::Tx& tx) { return tx.PutState(HeartbeatKey(instance_id_), std::to_string(ms)); });
}

void IdempotencyService::Start() {
  std::lock_guard lock(beat_mu_);
  if (beat_thread_.joinable()) return;
  beat_stop_ = false;
  (void)Beat(core::ToMillis(lease_clock_.Now()));
  (void)PurgeExpiredHeartbeats();  // retried every kHeartbeatPurgeEvery
  beat_thread_ = std::thread([this] { RunHeartbeat(); });
}

void IdempotencyService::Stop() {
  std::thread t;
  {
    std::lock_guard lock(beat_mu_);
    if (!beat_thread_.joinable()) return;
    beat_stop_ = true;
    t = std::move(beat_thread_);
  }
  beat_cv_.notify_all();
  t.join();
  // Gone: what it still holds is orphaned now (a failed delete leaves a row that expires).
  (void)store_.Write([&](storage::Tx& tx) { return tx.DeleteState(HeartbeatKey(instance_id_)); });
}

core::Result<int> IdempotencyService::PurgeExpiredHeartbeats() {
  const std::string mine = HeartbeatKey(instance_id_);
  int deleted = 0;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    deleted = 0;
    const int64_t now = core::ToMillis(lease_clock_.Now());
    const int64_t expiry = std::chrono::milliseconds(kHeartbeatExpiry).count();
    XT_ASSIGN_OR_RETURN(auto rows, tx.ListStates(std::string(kHeartbeatKeyPrefix)));
    for (const auto& [key, value] : rows) {
      if (key == mine) continue;
      std::optional<int64_t> ms = BeatMillis(value);
      if (ms && now - *ms <= expiry) continue;
      XT_RETURN_IF_ERROR(tx.DeleteState(key));
      ++deleted;
    }
    return Status::Ok();
  }));
  return deleted;
}

void IdempotencyService::RunHeartbeat() {
  constexpr int64_t kBeatsPerPurge =
      std::chrono::milliseconds(kHeartbeatPurgeEvery).count() / kHeartbeat.count();
  int64_t beats = 0;
  std::unique_lock lock(beat_mu_);
  while (!beat_stop_) {
    beat_cv_.wait_for(lock, kHeartbeat, [this] { return beat_stop_; });
    if (beat_stop_) break;
    lock.unlock();
    (void)Beat(core::ToMillis(lease_clock_.Now()));  // a failed beat is retried at the next tick
    if (++beats % kBeatsPerPurge == 0) (void)PurgeExpiredHeartbeats();
    lock.lock();
  }
}

core::Result<bool> IdempotencyService::OwnerAlive(storage::Tx& tx, const std::string& owner) {
  if (owner == instance_id_) return true;
  if (owner.empty()) return false;
  XT_ASSIGN_OR_RETURN(std::optional<std::string> beat, tx.GetState(HeartbeatKey(owner)));
  if (!beat) return false;  // stopped, or expired and deleted
  std::optional<int64_t> ms = BeatMillis(*beat);
  if (!ms) return false;
  const int64_t now = core::ToMillis(lease_clock_.Now());
  return now - *ms <= std::chrono::milliseconds(kOwnerLease).count();
}

core::Result<bool> IdempotencyService::Owned(storage::Tx& tx, domain::Id user_id,
                                            const std::string& key) {
  XT_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotencyKey(user_id, key));
  return rec && rec->status < 100 && rec->content_type == instance_id_;
}

Status IdempotencyService::MarkCarriedOut(storage::Tx& tx, const Running& run) {
  XT_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotencyKey(run.user_id_, run.key_));
  // Presumed dead and taken over by another instance: this work must not commit; the key's
  // owner answers the retries.
  if (!rec || rec->status != kReserved || rec->content_type != instance_id_) return InProgress();
  storage::IdempotencyRecord done;
  done.user_id = run.user_id_;
  done.key = run.key_;
  done.status = kCarriedOut;
  done.content_type = instance_id_;
  return tx.CompleteIdempotencyKey(done);
}

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
Status ResponseLost() {
  return Status(core::Code::kFailedPrecondition, "idempotency_response_lost",
                "使用该 Idempotency-Key 的请求已执行，但处理它的服务实例在应答前停止，"
                "无法重放应答；请查询对象的当前状态",
                "Idempotency-Key")
      .En("The request with this Idempotency-Key was carried out, but the server instance "
          "running it stopped before answering; read the resource's current state");
}
}  // namespace

bool IdempotencyService::PurgeDue(core::Instant now) {
  const int64_t now_ms = core::ToMillis(now);
  int64_t last = last_purge_ms_.load();
  return now_ms - last >= std::chrono::milliseconds(kPurgeEvery).count() &&
         last_purge_ms_.compare_exchange_strong(last, now_ms);
}

Status IdempotencyService::ReserveIn(storage::Tx& tx, const storage::IdempotencyRecord& rec,
                                     core::Instant cutoff, bool purge,
                                     std::optional<StoredResponse>& replay) {
  replay.reset();
  if (purge) XT_RETURN_IF_ERROR(tx.PurgeIdempotencyKeys(cutoff).status());
  XT_ASSIGN_OR_RETURN(auto existing, tx.GetIdempotencyKey(rec.user_id, rec.key));
  if (existing && existing->created_at < cutoff) {
    // Expired: ignored, and replaced by this request.
    XT_RETURN_IF_ERROR(tx.DeleteIdempotencyKey(rec.user_id, rec.key));
    existing.reset();
  }
  if (!existing) {
    XT_ASSIGN_OR_RETURN(bool inserted, tx.ReserveIdempotencyKey(rec));
    if (inserted) return Status::Ok();
    // Lost a race to a concurrent request with the same key (possible on PostgreSQL, where
    // reservations are not serialised by a single writer; the insert waited for it to end).
    XT_ASSIGN_OR_RETURN(existing, tx.GetIdempotencyKey(rec.user_id, rec.key));
    if (!existing || existing->status < 100) return InProgress();
  }
  if (existing->method != rec.method || existing->route != rec.route ||
      existing->request_hash != rec.request_hash)
    return Status(core::Code::kAlreadyExists, "idempotency_key_reused",
                  "该 Idempotency-Key 已用于另一请求（方法、路径或请求体不同）", "Idempotency-Key")
        .En("This Idempotency-Key was already used for a different request");
  if (existing->status == kReserved || existing->status == kCarriedOut) {
    XT_ASSIGN_OR_RETURN(bool alive, OwnerAlive(tx, existing->content_type));
    if (alive) return InProgress();
    if (existing->status == kCarriedOut) return ResponseLost();
    // Its instance stopped before the work committed: nothing was done; take the key over,
    // as a fresh reservation (its age counts from now).
    XT_RETURN_IF_ERROR(tx.DeleteIdempotencyKey(rec.user_id, rec.key));
    XT_ASSIGN_OR_RETURN(bool inserted, tx.ReserveIdempotencyKey(rec));
    return inserted ? Status::Ok() : InProgress();
  }
  replay = StoredResponse{existing->status, existing->content_type, existing->body};
  return Status::Ok();
}

core::Result<std::optional<StoredResponse>> IdempotencyService::Begin(
    domain::Id user_id, const std::string& key, const std::string& method,
    const std::string& route, std::string_view body) {
  XT_RETURN_IF_ERROR(CheckKey(key));
  const core::Instant now = clock_.Now();
  storage::IdempotencyRecord rec;
  rec.user_id = user_id;
  rec.key = key;
  rec.method = method;
  rec.route = route;
  rec.request_hash = domain::Sha256Hex(body);
  rec.status = kReserved;
  rec.content_type = instance_id_;  // the owner, while in progress
  rec.created_at = now;
  const bool purge = PurgeDue(now);
  std::optional<StoredResponse> replay;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    return ReserveIn(tx, rec, now - kTtl, purge, replay);
  }));
  return replay;
}

core::Result<std::optional<StoredResponse>> IdempotencyService::Execute(
    domain::Id user_id, const std::string& key, const std::string& method,
    const std::string& route, std::string_view body, const std::function<Handled()>& handle) {
  XT_RETURN_IF_ERROR(CheckKey(key));
  const core::Instant now = clock_.Now();
  const core::Instant cutoff = now - kTtl;
  storage::IdempotencyRecord rec;
  rec.user_id = user_id;
  rec.key = key;
  rec.method = method;
  rec.route = route;
  rec.request_hash = domain::Sha256Hex(body);
  rec.status = kReserved;
  rec.content_type = instance_id_;  // the owner, until the transaction stores the response
  rec.created_at = now;

  // A repeat of a stored request is answered from a read snapshot, without the writer.
  std::optional<StoredResponse> replay;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto existing, tx.GetIdempotencyKey(user_id, key));
    if (existing && existing->created_at >= cutoff && existing->status >= 100 &&
        existing->method == method && existing->route == route &&
        existing->request_hash == rec.request_hash)
      replay = StoredResponse{existing->status, existing->content_type, existing->body};
    return Status::Ok();
  }));
  if (replay) return replay;

  const bool purge = PurgeDue(now);
  // The handler's answer >= 500 (or none): everything is rolled back on purpose.
  const Status kUndo = Status::Internal("idempotency: request rolled back");
  bool undone = false;
  Status st = store_.Write([&](storage::Tx& tx) -> Status {
    undone = false;
    XT_RETURN_IF_ERROR(ReserveIn(tx, rec, cutoff, purge, replay));
    if (replay) return Status::Ok();  // a concurrent duplicate committed first: its answer
    AmbientTx ambient{this, &tx, 0};
    struct Scope {
      AmbientTx* previous = tls_ambient;
      explicit Scope(AmbientTx* a) { tls_ambient = a; }
      ~Scope() { tls_ambient = previous; }
    } scope(&ambient);
    const Handled h = handle();
    storage::IdempotencyRecord done;
    done.user_id = user_id;
    done.key = key;
    if (h.stream) {
      if (ambient.kept_units == 0) {  // nothing done: the key is released
        undone = true;
        return kUndo;
      }
      done.status = kCarriedOut;  // done, no response to replay: no owner
      return tx.CompleteIdempotencyKey(done);
    }
    if (h.status < 100 || h.status >= 500) {
      undone = true;
      return kUndo;
    }
    done.status = h.status;
    done.content_type = std::string(h.content_type);
    done.body = std::string(h.body);
    return tx.CompleteIdempotencyKey(done);
  });
  if (undone) return std::optional<StoredResponse>();
  XT_RETURN_IF_ERROR(st);
  if (!replay) Committed();
  return replay;
}

Status IdempotencyService::Finish(domain::Id user_id, const std::string& key,
                                  const StoredResponse& r, bool carried_out) {
  if (r.status <= 0 || (r.status >= 500 && !carried_out)) return Abandon(user_id, key, carried_out);
  return store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(bool mine, Owned(tx, user_id, key));
    if (!mine) return Status::Ok();  // taken over (or expired): its owner answers retries
    storage::IdempotencyRecord rec;
    rec.user_id = user_id;
    rec.key = key;
    rec.status = r.status;
    rec.content_type = r.content_type;
    rec.body = r.body;
    return tx.CompleteIdempotencyKey(rec);
  });
}

Status IdempotencyService::Abandon(domain::Id user_id, const std::string& key,
                                   bool carried_out) {
  if (carried_out) {
    // Done, but no response to replay: kept with no owner (idempotency_response_lost).
    return store_.Write([&](storage::Tx& tx) -> Status {
      XT_ASSIGN_OR_RETURN(bool mine, Owned(tx, user_id, key));
      if (!mine) return Status::Ok();
      storage::IdempotencyRecord lost;
      lost.user_id = user_id;
      lost.key = key;
      lost.status = kCarriedOut;
      return tx.CompleteIdempotencyKey(lost);
    });
  }
  return store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(bool mine, Owned(tx, user_id, key));
    return mine ? tx.DeleteIdempotencyKey(user_id, key) : Status::Ok();
  });
}

}  // namespace xietong::service
