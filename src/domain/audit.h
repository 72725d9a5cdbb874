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
