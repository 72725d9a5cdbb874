#include "domain/audit.h"

#include <gtest/gtest.h>

#include <functional>

namespace xietong::domain {
namespace {

std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at = core::FromMillis(1'700'000'000'000 + i);
    e.actor_user_id = 7;
    e.actor_org_id = 3;
    e.action = "user.update";
    e.object_type = "user";
    e.object_id = std::to_string(i);
    e.summary = "修改用户 " + std::to_string(i);
    e.detail = R"({"n":)" + std::to_string(i) + "}";
    e.detail_digest = Sha256Hex(e.detail);
    e.prev_hash = prev;
    e.hash = ChainHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

ChainCheck Verify(const std::vector<AuditEntry>& entries) {
  ChainVerifier v;
  for (const auto& e : entries)
    if (!v.Add(e)) break;
  return v.Finish();
}

TEST(AuditChainTest, Sha256KnownAnswer) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// R-AUD-1: an untouched chain verifies.
TEST(AuditChainTest, IntactChainVerifies) {
  auto c = Verify(Chain(10));
  EXPECT_TRUE(c.ok);
  EXPECT_EQ(c.entries, 10);
}

// R-AUD-1: editing any field of an entry is caught at that entry.
TEST(AuditChainTest, EditedSummaryIsCaught) {
  auto chain = Chain(10);
  chain[4].summary = "改过的摘要";
  auto c = Verify(chain);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_seq, 5);
  EXPECT_EQ(c.problem, ChainProblem::kEdited);
}

TEST(AuditChainTest, EditedDetailIsCaught) {
  auto chain = Chain(10);
  chain[2].detail = R"({"n":999})";
  auto c = Verify(chain);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_seq, 3);
  EXPECT_EQ(c.problem, ChainProblem::kEdited);
}

// R-AUD-1: a deleted entry leaves a gap that is named.
TEST(AuditChainTest, DeletedEntryIsCaught) {
  auto chain = Chain(10);
  chain.erase(chain.begin() + 6);  // seq 7
  auto c = Verify(chain);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_seq, 7);
  EXPECT_EQ(c.problem, ChainProblem::kDeleted);
}

// R-AUD-1: a forged entry that does not link to its predecessor is caught.
TEST(AuditChainTest, InsertedEntryIsCaught) {
  auto chain = Chain(10);
  AuditEntry forged = chain[3];
  forged.summary = "伪造";
  forged.prev_hash = std::string(64, 'f');
  forged.hash = ChainHash(forged);
  chain[3] = forged;
  auto c = Verify(chain);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_seq, 4);
  EXPECT_EQ(c.problem, ChainProblem::kInserted);
}

// R-AUD-1: swapping two entries' sequence numbers is reported as reordering.
TEST(AuditChainTest, ReorderedEntriesAreCaught) {
  auto chain = Chain(10);
  std::swap(chain[5].seq, chain[6].seq);
  std::swap(chain[5], chain[6]);  // storage order follows seq
  auto c = Verify(chain);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_seq, 6);
  EXPECT_EQ(c.problem, ChainProblem::kReordered);
}

}  // namespace
// ---- Signed checkpoints (R-AUD-1) ----

AuditCheckpoint CheckpointOf(const std::vector<AuditEntry>& chain, const AuditKeyPair& key) {
  AuditCheckpoint cp{.seq = chain.back().seq, .hash = chain.back().hash,
                     .at = core::FromMillis(1'800'000'000'000)};
  SignCheckpoint(cp, key);
  return cp;
}

std::vector<CheckpointFinding> Check(const std::vector<AuditEntry>& log, const AuditCheckpoint& cp,
                                     std::vector<std::string> trusted = {},
                                     const std::vector<AuditCheckpoint>* table = nullptr) {
  CheckpointVerifier v(std::move(trusted));
  v.Hold(cp, "held.json");
  for (const auto& e : log) v.Add(e);
  return v.Finish(table);
}

TEST(AuditCheckpointTest, KeyPairFromSeedIsDeterministicAndSignaturesVerify) {
  const std::string seed(32, '\x07');
  auto a = AuditKeyPairFromSeed(seed);
  auto b = AuditKeyPairFromSeed(seed);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->public_key_hex, b->public_key_hex);
  EXPECT_EQ(a->public_key_hex.size(), 64u);
  EXPECT_FALSE(AuditKeyPairFromSeed("short"));
  AuditCheckpoint cp = CheckpointOf(Chain(3), *a);
  EXPECT_TRUE(CheckpointSignatureValid(cp));
  for (auto mutate : std::vector<std::function<void(AuditCheckpoint&)>>{
           [](AuditCheckpoint& c) { c.seq += 1; },
           [](AuditCheckpoint& c) { c.hash[0] = c.hash[0] == 'a' ? 'b' : 'a'; },
           [](AuditCheckpoint& c) { c.at += std::chrono::milliseconds(1); },
           [](AuditCheckpoint& c) { c.public_key = NewAuditKeyPair().public_key_hex; },
           [](AuditCheckpoint& c) { c.signature = "00"; }}) {
    AuditCheckpoint bad = cp;
    mutate(bad);
    EXPECT_FALSE(CheckpointSignatureValid(bad));
  }
}

// R-AUD-1: the log that still extends a checkpoint (also after growing) passes.
TEST(AuditCheckpointTest, ExtendedLogPasses) {
  const AuditKeyPair key = NewAuditKeyPair();
  auto log = Chain(30);
  AuditCheckpoint cp = CheckpointOf(std::vector<AuditEntry>(log.begin(), log.begin() + 20), key);
  auto f = Check(log, cp, {key.public_key_hex});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].ok()) << f[0].explanation;
}

// R-AUD-1 (issue 15 finding 1): deleting the tail, or everything, contradicts the checkpoint.
TEST(AuditCheckpointTest, TruncationIsCaught) {
  const AuditKeyPair key = NewAuditKeyPair();
  auto log = Chain(60);
  AuditCheckpoint cp = CheckpointOf(log, key);
  for (size_t keep : {59u, 10u, 0u}) {
    auto f = Check(std::vector<AuditEntry>(log.begin(), log.begin() + keep), cp);
    EXPECT_EQ(f[0].problem, CheckpointProblem::kTruncated) << keep;
    EXPECT_NE(f[0].explanation.find("held.json"), std::string::npos);
  }
}

// R-AUD-1 (issue 15 finding 1): an entry rewritten and every later hash recomputed with plain
// SHA-256 (the chain alone verifies) contradicts the checkpoint.
TEST(AuditCheckpointTest, RecomputedRewriteIsCaught) {
  const AuditKeyPair key = NewAuditKeyPair();
  auto log = Chain(50);
  AuditCheckpoint cp = CheckpointOf(log, key);
  log[24].summary = "改写";
  for (size_t i = 24; i < log.size(); ++i) {
    log[i].prev_hash = log[i - 1].hash;
    log[i].hash = ChainHash(log[i]);
  }
  EXPECT_TRUE(Verify(log).ok);  // the chain alone cannot tell
  auto f = Check(log, cp);
  EXPECT_EQ(f[0].problem, CheckpointProblem::kRewritten);
  // Rewritten and then extended beyond the checkpoint: still caught.
  auto longer = log;
  AuditEntry extra = longer.back();
  extra.seq += 1;
  extra.prev_hash = extra.hash;
  extra.hash = ChainHash(extra);
  longer.push_back(extra);
  EXPECT_EQ(Check(longer, cp)[0].problem, CheckpointProblem::kRewritten);
}

TEST(AuditCheckpointTest, ForgedUntrustedAndMissingFromTableAreCaught) {
  const AuditKeyPair key = NewAuditKeyPair();
  const AuditKeyPair attacker = NewAuditKeyPair();
  auto log = Chain(5);
  AuditCheckpoint cp = CheckpointOf(log, key);
  AuditCheckpoint edited = cp;
  edited.seq = 3;
  EXPECT_EQ(Check(log, edited)[0].problem, CheckpointProblem::kBadSignature);
  // A well-signed checkpoint by a key outside the trusted list.
  AuditCheckpoint foreign = CheckpointOf(log, attacker);
  EXPECT_EQ(Check(log, foreign, {key.public_key_hex})[0].problem, CheckpointProblem::kUntrustedKey);
  EXPECT_TRUE(Check(log, foreign)[0].ok());  // no list given: any valid signature
  // Held, valid, but the table lost it.
  std::vector<AuditCheckpoint> table;
  EXPECT_EQ(Check(log, cp, {}, &table)[0].problem, CheckpointProblem::kNotInTable);
  table.push_back(cp);
  EXPECT_TRUE(Check(log, cp, {}, &table)[0].ok());
}

}  // namespace xietong::domain
