#include "service/audit_checkpoint.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json/serialize.hpp>
#include <fstream>

#include "service/audit_log.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::TempDir;

core::Instant T(int64_t s) { return core::FromMillis(1'800'000'000'000 + s * 1000); }

void Append(storage::Store& store, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(store
                    .Write([&](storage::Tx& tx) {
                      return Record(tx, nullptr, T(0),
                                    AuditRecord{"org.update", "org", std::to_string(i), "测试", {}});
                    })
                    .ok());
  }
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// R-AUD-1: the key file is created 0600 once (later loads read it), and a file others may read
// is refused.
TEST(AuditKeyTest, CreatedPrivateOnceThenLoaded) {
  TempDir dir;
  const std::string path = (dir.path() / "keys" / "audit.key").string();
  bool created = false;
  auto first = LoadOrCreateAuditKey(path, &created);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(created);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = LoadOrCreateAuditKey(path, &created);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(second->public_key_hex, first->public_key_hex);
  EXPECT_NE(Read(path).find(first->public_key_hex), std::string::npos);  // named in a comment
  ::chmod(path.c_str(), 0644);
  auto loose = LoadAuditKey(path);
  EXPECT_FALSE(loose.ok());
  EXPECT_NE(loose.status().message().find("0600"), std::string::npos);
}

// R-AUD-1: a checkpoint at once when forced, then only every N entries or after the interval;
// never twice for one head.
TEST(AuditCheckpointServiceTest, WritesWhenDue) {
  TempDir dir;
  auto store = testing::OpenTestStore(dir);
  const auto key = domain::NewAuditKeyPair();
  const AuditCheckpointOptions opts{.every = 5, .interval = std::chrono::minutes(5)};
  auto none = WriteCheckpointIfDue(*store, key, T(0), opts, true);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());  // an empty log: nothing to vouch for
  Append(*store, 3);
  auto first = WriteCheckpointIfDue(*store, key, T(1), opts, true);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->seq, 3);
  EXPECT_FALSE(WriteCheckpointIfDue(*store, key, T(2), opts, true)->has_value());  // same head
  Append(*store, 4);  // 7: four past the checkpoint, under every=5, within the interval
  EXPECT_FALSE(WriteCheckpointIfDue(*store, key, T(3), opts, false)->has_value());
  Append(*store, 1);  // 8: five past
  auto by_count = WriteCheckpointIfDue(*store, key, T(4), opts, false);
  ASSERT_TRUE(by_count->has_value());
  EXPECT_EQ((*by_count)->seq, 8);
  Append(*store, 1);
  EXPECT_FALSE(WriteCheckpointIfDue(*store, key, T(5), opts, false)->has_value());
  auto by_time = WriteCheckpointIfDue(*store, key, T(4 + 300), opts, false);
  ASSERT_TRUE(by_time->has_value());
  EXPECT_EQ((*by_time)->seq, 9);
  auto latest = LatestCheckpoint(*store);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->seq, 9);
  EXPECT_TRUE(domain::CheckpointSignatureValid(**latest));
}

// R-AUD-1: the JSON form round-trips and VerifyAudit checks the chain, the table and held files.
TEST(AuditCheckpointServiceTest, JsonRoundTripAndVerify) {
  TempDir dir;
  auto store = testing::OpenTestStore(dir);
  const auto key = domain::NewAuditKeyPair();
  Append(*store, 6);
  auto cp = WriteCheckpointIfDue(*store, key, T(1), {}, true);
  ASSERT_TRUE(cp.ok() && cp->has_value());
  const std::string text = boost::json::serialize(CheckpointJson(**cp));
  auto parsed = ParseCheckpointJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->seq, 6);
  EXPECT_EQ(parsed->at, (*cp)->at);
  EXPECT_EQ(parsed->signature, (*cp)->signature);
  EXPECT_FALSE(ParseCheckpointJson("{}").ok());
  EXPECT_FALSE(ParseCheckpointJson("not json").ok());

  Append(*store, 2);  // the log grows past the checkpoint
  auto ok = VerifyAudit(*store, {{*parsed, "held.json"}}, {key.public_key_hex});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok());
  ASSERT_EQ(ok->table.size(), 1u);
  ASSERT_EQ(ok->held.size(), 1u);

  auto untrusted = VerifyAudit(*store, {{*parsed, "held.json"}}, {domain::NewAuditKeyPair().public_key_hex});
  ASSERT_TRUE(untrusted.ok());
  EXPECT_FALSE(untrusted->ok());
  EXPECT_EQ(untrusted->held[0].problem, domain::CheckpointProblem::kUntrustedKey);
}

}  // namespace
}  // namespace xietong::service
