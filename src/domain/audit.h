// The tamper-evident audit trail (R-AUD-1): entries and their hash chain.
//
// Each entry's hash is SHA-256 over the previous entry's hash and a canonical encoding of the
// entry (every field, length-prefixed, in a fixed order), so editing, deleting, inserting or
// reordering any entry breaks the chain at that point. Pure functions; thread-safe.
//
//   AuditEntry e{.seq = 1, .at = now, .actor_user_id = 3, ...};
//   e.prev_hash = kGenesisHash;
//   e.hash = ChainHash(e);
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3 … without gaps
  core::Instant at{};
  std::optional<Id> actor_user_id;  // empty for the system (jobs, migrations)
  std::optional<Id> actor_org_id;
  std::string action;       // "user.create", "duty.colour.red" …
  std::string object_type;  // "user", "org", "duty" …
  std::string object_id;
  std::string summary;      // one line for people, Chinese
  std::string detail;       // canonical JSON of the change (what changed, before/after)
  std::string detail_digest;  // hex SHA-256 of detail
  std::string prev_hash;      // hex
  std::string hash;           // hex
};

// 64 zeros: the prev_hash of entry 1.
extern const char kGenesisHash[];

// Hex SHA-256 of bytes.
std::string Sha256Hex(std::string_view bytes);
// The canonical encoding hashed by ChainHash (exposed for tests).
std::string CanonicalEncoding(const AuditEntry& e);
// SHA-256(prev_hash || canonical encoding), hex. Uses e.prev_hash and e.detail_digest.
std::string ChainHash(const AuditEntry& e);

enum class ChainProblem { kNone, kEdited, kDeleted, kInserted, kReordered };
std::string_view ChainProblemName(ChainProblem p);

struct ChainCheck {
  bool ok = true;
  int64_t entries = 0;
  int64_t first_bad_seq = 0;  // the first entry that does not fit
  ChainProblem problem = ChainProblem::kNone;
  std::string explanation;  // Chinese, one line
};

// Incremental verifier: feed entries in storage order (ascending seq as stored).
class ChainVerifier {
 public:
  // Returns false once a problem is found (further entries are ignored).
  bool Add(const AuditEntry& e);
  ChainCheck Finish() const { return check_; }

 private:
  ChainCheck check_;
  std::string prev_hash_ = kGenesisHash;
  int64_t prev_seq_ = 0;
  std::unordered_set<std::string> seen_;
};

}  // namespace xietong::domain

// ---- Signed checkpoints of the chain head (R-AUD-1) ----
//
// A checkpoint states "the trail had `seq` entries and entry `seq` had hash `hash` at time `at`",
// signed with the deployment's Ed25519 key. The chain hash of entry n commits to entries 1..n, so
// a log that still extends a held checkpoint has, at position seq, exactly that hash: deleting
// the tail (or everything) leaves fewer entries, rewriting any entry up to seq (even with every
// later hash recomputed) changes the hash at seq, and without the key no one can sign a new
// checkpoint for the rewritten log. Pure functions; thread-safe.
//
//   AuditKeyPair key = NewAuditKeyPair();
//   AuditCheckpoint cp{.seq = 120, .hash = e.hash, .at = now};
//   SignCheckpoint(cp, key);                // fills public_key and signature
//   assert(CheckpointSignatureValid(cp));
namespace xietong::domain {

struct AuditKeyPair {
  std::string seed;        // 32 bytes (the secret); the key pair derives from it
  std::string secret_key;  // 64 bytes (libsodium's seed || public key)
  std::string public_key_hex;  // 64 hex digits
};
// A fresh random key pair; or the pair of a 32-byte seed (nullopt when `seed` is not 32 bytes).
AuditKeyPair NewAuditKeyPair();
std::optional<AuditKeyPair> AuditKeyPairFromSeed(std::string_view seed);

struct AuditCheckpoint {
  int64_t seq = 0;  // the head's position = the number of entries (seq runs 1, 2, 3 … without gaps)
  std::string hash;  // hex chain hash of entry `seq`
  core::Instant at{};
  std::string public_key;  // hex Ed25519 public key that signed
  std::string signature;   // hex Ed25519 signature over CheckpointMessage
};

// The signed bytes: "xietong-audit-checkpoint-v1;" and the fields length-prefixed (seq, hash,
// at in milliseconds, public key).
std::string CheckpointMessage(const AuditCheckpoint& cp);
// Sets cp.public_key and cp.signature.
void SignCheckpoint(AuditCheckpoint& cp, const AuditKeyPair& key);
// True when cp.signature is a valid signature of cp by cp.public_key.
bool CheckpointSignatureValid(const AuditCheckpoint& cp);

enum class CheckpointProblem {
  kNone,
  kBadSignature,   // the checkpoint (file or row) was altered or forged
  kUntrustedKey,   // signed by a key that is not in the trusted keys list
  kTruncated,      // the log has fewer entries than the checkpoint (tail or every row deleted)
  kRewritten,      // the entry at the checkpoint's position has another hash
  kNotInTable,     // a held checkpoint is missing from the checkpoints table (rows deleted)
};
std::string_view CheckpointProblemName(CheckpointProblem p);

struct CheckpointFinding {
  std::string source;  // the file name, or "checkpoints table"
  AuditCheckpoint checkpoint;
  CheckpointProblem problem = CheckpointProblem::kNone;
  std::string explanation;  // Chinese, one line; names the source and what contradicts it
  bool ok() const { return problem == CheckpointProblem::kNone; }
};

// Checks checkpoints against the log: Hold() each checkpoint, feed every entry in storage order
// with Add() (all of them, even after the chain verifier found a problem), then Finish().
class CheckpointVerifier {
 public:
  // trusted_keys: hex public keys; empty = any key whose signature is valid.
  explicit CheckpointVerifier(std::vector<std::string> trusted_keys = {})
      : trusted_(std::move(trusted_keys)) {}
  void Hold(AuditCheckpoint cp, std::string source);
  void Add(const AuditEntry& e);
  // One finding per held checkpoint, in the order held. `table` (the stored checkpoints), when
  // given, also checks that every held checkpoint signed by a trusted key is among them.
  std::vector<CheckpointFinding> Finish(const std::vector<AuditCheckpoint>* table = nullptr) const;
  int64_t entries() const { return entries_; }

 private:
  std::vector<std::string> trusted_;
  std::vector<std::pair<AuditCheckpoint, std::string>> held_;
  std::unordered_map<int64_t, std::string> wanted_;  // seq → hash found in the log ("" = none yet)
  int64_t entries_ = 0;
  int64_t max_seq_ = 0;
};

}  // namespace xietong::domain
