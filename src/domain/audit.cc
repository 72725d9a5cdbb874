#include "domain/audit.h"

#include <sodium.h>

#include <cstdio>

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
