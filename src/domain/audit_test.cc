#include "domain/audit.h"

#include <gtest/gtest.h>

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
}  // namespace xietong::domain
