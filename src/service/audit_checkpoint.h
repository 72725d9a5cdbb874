// Signed checkpoints of the audit trail (R-AUD-1): the deployment's signing key, writing
// checkpoints of the chain head, their portable JSON form, and verification of the log against
// checkpoints held outside the database (domain/audit.h explains why a checkpoint catches
// truncation and recomputed rewrites).
//
//   auto key = LoadOrCreateAuditKey("var/audit-signing.key");   // 0600, created on first start
//   AuditCheckpointer cp(store, clock, *key, {.every = 1000, .interval = 5min});
//   cp.Start();                     // a checkpoint now, then at every 1,000 entries / 5 minutes
//   …
//   auto report = VerifyAudit(store, {{held, "county-2026-12.json"}}, {});
//
// Writing is idempotent per head (one row per seq), so several instances sharing a PostgreSQL
// database may all run a checkpointer. Thread-safe (AuditCheckpointer: Start/Stop from one thread).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/audit.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

// The signing key file: comment lines ("#") and one line of 64 hex digits (the Ed25519 seed).
// Load refuses a file that group or others may read (as ssh does) or that does not parse.
core::Result<domain::AuditKeyPair> LoadAuditKey(const std::string& path);
// Loads the key, or creates it (mode 0600, parent directories made; atomic, so instances
// starting together end up with one key) when the file does not exist. *created tells which.
core::Result<domain::AuditKeyPair> LoadOrCreateAuditKey(const std::string& path,
                                                        bool* created = nullptr);

struct AuditCheckpointOptions {
  // Sign the head once it is this many entries past the latest checkpoint.
  int64_t every = 1000;
  // … or once this much time passed since the latest checkpoint and the head moved.
  std::chrono::milliseconds interval{std::chrono::minutes(5)};
};

// Signs and stores the chain head when it is past the latest checkpoint and `force` is set or
// `opts` says it is due. Returns the checkpoint stored, nullopt when nothing was due (or another
// instance stored the same head first).
core::Result<std::optional<domain::AuditCheckpoint>> WriteCheckpointIfDue(
    storage::Store& store, const domain::AuditKeyPair& key, core::Instant now,
    const AuditCheckpointOptions& opts, bool force);

core::Result<std::optional<domain::AuditCheckpoint>> LatestCheckpoint(storage::Store& store);

// The portable form an org keeps: {"format":"xietong-audit-checkpoint-v1","seq","entries",
// "hash","at","at_ms","public_key","signature"} ("at" is for people; "at_ms" is signed).
boost::json::object CheckpointJson(const domain::AuditCheckpoint& cp);
// Parses that form; kInvalidArgument naming the field that is missing or malformed.
core::Result<domain::AuditCheckpoint> ParseCheckpointJson(std::string_view text);

struct AuditVerifyReport {
  domain::ChainCheck chain;
  std::vector<domain::CheckpointFinding> held;   // one per checkpoint file given
  std::vector<domain::CheckpointFinding> table;  // one per stored checkpoint
  bool ok() const;
};

// Walks the chain once and checks it, every stored checkpoint and every held one (`held`: the
// checkpoint and the name it is reported under). `trusted_keys` (hex public keys) restricts the
// accepted signers; empty = any valid signature.
core::Result<AuditVerifyReport> VerifyAudit(
    storage::Store& store, std::vector<std::pair<domain::AuditCheckpoint, std::string>> held,
    std::vector<std::string> trusted_keys);

// Every signed-in user may download the latest checkpoint (each org keeps its own copy).
core::Status CanDownloadCheckpoint(const Principal& p);

// Background writer: a checkpoint at Start() and Stop(), and whenever WriteCheckpointIfDue says
// so, looked at every min(interval, 2 s).
class AuditCheckpointer {
 public:
  // `log` (optional) hears of each checkpoint written and each failure, one line each.
  AuditCheckpointer(storage::Store& store, const core::Clock& clock, domain::AuditKeyPair key,
                    AuditCheckpointOptions opts,
                    std::function<void(const std::string&)> log = nullptr)
      : store_(store), clock_(clock), key_(std::move(key)), opts_(opts), log_(std::move(log)) {}
  ~AuditCheckpointer() { Stop(); }
  AuditCheckpointer(const AuditCheckpointer&) = delete;
  AuditCheckpointer& operator=(const AuditCheckpointer&) = delete;

  void Start();
  void Stop();
  core::Result<std::optional<domain::AuditCheckpoint>> RunOnce(bool force);
  const std::string& public_key() const { return key_.public_key_hex; }

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  domain::AuditKeyPair key_;
  AuditCheckpointOptions opts_;
  std::function<void(const std::string&)> log_;
  void Log(const std::string& line) const {
    if (log_) log_(line);
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace xietong::service
