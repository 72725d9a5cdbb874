#include "domain/audit.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace xietong::domain {

const char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

std::string Sha256Hex(std::string_view bytes) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static const char* kHex = "0123456789abcdef";
  std::string s(2 * sizeof out, '0');
  for (size_t i = 0; i < sizeof out; ++i) {
    s[2 * i] = kHex[out[i] >> 4];
    s[2 * i + 1] = kHex[out[i] & 15];
  }
  return s;
}

namespace {
void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}
}  // namespace

std::string CanonicalEncoding(const AuditEntry& e) {
  std::string out = "xietong-audit-v1;";
  Put(out, std::to_string(e.seq));
  Put(out, std::to_string(core::ToMillis(e.at)));
  Put(out, e.actor_user_id ? std::to_string(*e.actor_user_id) : "");
  Put(out, e.actor_org_id ? std::to_string(*e.actor_org_id) : "");
  Put(out, e.action);
  Put(out, e.object_type);
  Put(out, e.object_id);
  Put(out, e.summary);
  Put(out, e.detail_digest);
  return out;
}

std::string ChainHash(const AuditEntry& e) { return Sha256Hex(e.prev_hash + CanonicalEncoding(e)); }

std::string_view ChainProblemName(ChainProblem p) {
  switch (p) {
    case ChainProblem::kNone: return "none";
    case ChainProblem::kEdited: return "edited";
    case ChainProblem::kDeleted: return "deleted";
    case ChainProblem::kInserted: return "inserted";
    case ChainProblem::kReordered: return "reordered";
  }
  return "unknown";
}

namespace {
// True when `e` hashes correctly under a nearby sequence number: a genuine entry that was moved.
bool BelongsElsewhere(const AuditEntry& e) {
  for (int64_t d : {1, -1, 2, -2, 3, -3}) {
    AuditEntry moved = e;
    moved.seq = e.seq + d;
    if (moved.seq > 0 && ChainHash(moved) == e.hash) return true;
  }
  return false;
}
}  // namespace

bool ChainVerifier::Add(const AuditEntry& e) {
  if (!check_.ok) return false;
  auto fail = [&](ChainProblem p, std::string why) {
    check_.ok = false;
    check_.first_bad_seq = e.seq;
    check_.problem = p;
    check_.explanation = std::move(why);
    return false;
  };
  ++check_.entries;
  const std::string seq = std::to_string(e.seq);
  if (e.seq <= prev_seq_) {
    return fail(ChainProblem::kReordered, "第" + seq + "条记录的序号不大于前一条，记录顺序被改动");
  }
  if (e.seq != prev_seq_ + 1) {
    check_.first_bad_seq = prev_seq_ + 1;
    check_.ok = false;
    check_.problem = ChainProblem::kDeleted;
    check_.explanation = "第" + std::to_string(prev_seq_ + 1) + "条起的记录缺失（被删除）";
    return false;
  }
  if (Sha256Hex(e.detail) != e.detail_digest) {
    return fail(ChainProblem::kEdited, "第" + seq + "条记录的变更内容与摘要不符（被修改）");
  }
  const bool self_consistent = ChainHash(e) == e.hash;
  if (!self_consistent && BelongsElsewhere(e)) {
    return fail(ChainProblem::kReordered, "第" + seq + "条记录原属其他位置（顺序被调换）");
  }
  if (e.prev_hash != prev_hash_) {
    if (self_consistent && seen_.count(e.prev_hash))
      return fail(ChainProblem::kReordered, "第" + seq + "条记录的位置被改动（顺序调换）");
    return fail(ChainProblem::kInserted,
                "第" + seq + "条记录未链接到前一条记录（被插入或被替换）");
  }
  if (!self_consistent) {
    return fail(ChainProblem::kEdited, "第" + seq + "条记录的内容与其哈希不符（被修改）");
  }
  seen_.insert(e.hash);
  prev_hash_ = e.hash;
  prev_seq_ = e.seq;
  return true;
}

}  // namespace xietong::domain

namespace xietong::domain {

namespace {
std::string Hex(const unsigned char* p, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string s(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[p[i] >> 4];
    s[2 * i + 1] = kHex[p[i] & 15];
  }
  return s;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::optional<AuditKeyPair> AuditKeyPairFromSeed(std::string_view seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) return std::nullopt;
  if (sodium_init() < 0) return std::nullopt;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
  AuditKeyPair k;
  k.seed = std::string(seed);
  k.secret_key.assign(reinterpret_cast<const char*>(sk), sizeof sk);
  k.public_key_hex = Hex(pk, sizeof pk);
  sodium_memzero(sk, sizeof sk);
  return k;
}

AuditKeyPair NewAuditKeyPair() {
  if (sodium_init() < 0) std::abort();
  std::string seed(crypto_sign_SEEDBYTES, '\0');
  randombytes_buf(seed.data(), seed.size());
  return *AuditKeyPairFromSeed(seed);
}

std::string CheckpointMessage(const AuditCheckpoint& cp) {
  std::string out = "xietong-audit-checkpoint-v1;";
  Put(out, std::to_string(cp.seq));
  Put(out, cp.hash);
  Put(out, std::to_string(core::ToMillis(cp.at)));
  Put(out, cp.public_key);
  return out;
}

void SignCheckpoint(AuditCheckpoint& cp, const AuditKeyPair& key) {
  cp.public_key = key.public_key_hex;
  const std::string msg = CheckpointMessage(cp);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, Bytes(msg), msg.size(), Bytes(key.secret_key));
  cp.signature = Hex(sig, sizeof sig);
}

bool CheckpointSignatureValid(const AuditCheckpoint& cp) {
  auto pk = Unhex(cp.public_key);
  auto sig = Unhex(cp.signature);
  if (!pk || !sig || pk->size() != crypto_sign_PUBLICKEYBYTES || sig->size() != crypto_sign_BYTES)
    return false;
  if (sodium_init() < 0) return false;
  const std::string msg = CheckpointMessage(cp);
  return crypto_sign_verify_detached(Bytes(*sig), Bytes(msg), msg.size(), Bytes(*pk)) == 0;
}

std::string_view CheckpointProblemName(CheckpointProblem p) {
  switch (p) {
    case CheckpointProblem::kNone: return "none";
    case CheckpointProblem::kBadSignature: return "bad_signature";
    case CheckpointProblem::kUntrustedKey: return "untrusted_key";
    case CheckpointProblem::kTruncated: return "truncated";
    case CheckpointProblem::kRewritten: return "rewritten";
    case CheckpointProblem::kNotInTable: return "not_in_table";
  }
  return "unknown";
}

void CheckpointVerifier::Hold(AuditCheckpoint cp, std::string source) {
  wanted_.emplace(cp.seq, "");
  held_.emplace_back(std::move(cp), std::move(source));
}

void CheckpointVerifier::Add(const AuditEntry& e) {
  ++entries_;
  if (e.seq > max_seq_) max_seq_ = e.seq;
  auto it = wanted_.find(e.seq);
  if (it != wanted_.end() && it->second.empty()) it->second = e.hash;
}

std::vector<CheckpointFinding> CheckpointVerifier::Finish(
    const std::vector<AuditCheckpoint>* table) const {
  std::vector<CheckpointFinding> out;
  for (const auto& [cp, source] : held_) {
    CheckpointFinding f{.source = source, .checkpoint = cp};
    const std::string seq = std::to_string(cp.seq);
    const std::string head = "检查点 " + source + "（第" + seq + "条，哈希 " +
                             cp.hash.substr(0, 16) + "…）";
    auto fail = [&](CheckpointProblem p, std::string why) {
      f.problem = p;
      f.explanation = head + "：" + why;
    };
    const bool trusted =
        trusted_.empty() ||
        std::find(trusted_.begin(), trusted_.end(), cp.public_key) != trusted_.end();
    auto found = wanted_.find(cp.seq);
    const std::string at_seq = found == wanted_.end() ? std::string() : found->second;
    if (!CheckpointSignatureValid(cp)) {
      fail(CheckpointProblem::kBadSignature, "签名无效（检查点被改动或伪造）");
    } else if (!trusted) {
      fail(CheckpointProblem::kUntrustedKey, "签名公钥 " + cp.public_key + " 不在可信公钥列表中");
    } else if (max_seq_ < cp.seq) {
      fail(CheckpointProblem::kTruncated,
           "审计日志只有 " + std::to_string(entries_) + " 条记录（最大序号 " +
               std::to_string(max_seq_) + "），少于检查点的 " + seq + " 条：日志尾部被删除");
    } else if (at_seq.empty()) {
      fail(CheckpointProblem::kRewritten, "审计日志缺少第" + seq + "条记录（被删除）");
    } else if (at_seq != cp.hash) {
      fail(CheckpointProblem::kRewritten, "审计日志第" + seq + "条记录的哈希为 " +
                                              at_seq.substr(0, 16) +
                                              "…，与检查点不符：该条或更早的记录被改写");
    } else if (table) {
      const bool stored = std::any_of(table->begin(), table->end(), [&](const AuditCheckpoint& t) {
        return t.seq == cp.seq && t.hash == cp.hash && t.signature == cp.signature;
      });
      if (!stored) fail(CheckpointProblem::kNotInTable, "检查点表中没有该检查点（检查点记录被删除）");
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace xietong::domain
