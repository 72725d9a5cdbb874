// The PostgreSQL backend against a real server: the shared contract suite plus what only this
// backend promises (several instances on one database, migrations under a lock, row locks).
//
// The server comes from XT_PG_DSN (a libpq DSN such as "host=/tmp/xtpg.X port=5432
// user=postgres dbname=postgres", or a postgres:// URI); `make test` starts a throwaway server
// (scripts/pg) and sets it. Without XT_PG_DSN every test is skipped, saying why. Each test gets
// a fresh schema (search_path set through the DSN's options) that is dropped afterwards.
#include "storage/postgres/pg_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

#include "domain/audit.h"
#include "storage/postgres/internal/migrations.h"
#include "storage/postgres/internal/pg.h"
#include "storage/postgres/internal/queries.h"
#include "storage/store_contract_test.h"

namespace xietong::storage {
namespace {

using core::Code;

const char* ServerDsn() {
  const char* dsn = std::getenv("XT_PG_DSN");
  return dsn && *dsn ? dsn : nullptr;
}

// Skips every test when no server is configured.
class PgEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (!ServerDsn()) {
      std::fprintf(stderr,
                   "storage_postgres_test: XT_PG_DSN is not set, so the PostgreSQL tests are "
                   "skipped. Run `make test`, or: eval \"$(scripts/pg start)\"\n");
      GTEST_SKIP() << "XT_PG_DSN not set (no PostgreSQL server for tests)";
    }
  }
};
[[maybe_unused]] ::testing::Environment* const kPgEnvironment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment);

// The server DSN with search_path set to `schema`.
std::string DsnWithSchema(const std::string& schema) {
  std::string dsn = ServerDsn();
  if (dsn.rfind("postgres://", 0) == 0 || dsn.rfind("postgresql://", 0) == 0) {
    return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema + "&application_name=" + schema;
  }
  return dsn + " options='-csearch_path=" + schema + "' application_name=" + schema;
}

// A connection to the server's default schema for creating and dropping test schemas.
postgres::Conn& Admin() {
  static std::mutex mu;
  static std::unique_ptr<postgres::Conn> admin;
  std::lock_guard<std::mutex> lock(mu);
  if (!admin || PQstatus(admin->raw()) != CONNECTION_OK) {
    auto c = postgres::Conn::Open(ServerDsn());
    if (!c.ok()) throw std::runtime_error(c.status().ToString());
    admin = std::move(c).value();
    // Referral text search uses pg_trgm (migration v3); install it once, database-wide, so that
    // dropping a test schema never drops it (nor the other schemas' indexes using it).
    (void)admin->Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
  }
  return *admin;
}

// A fresh, empty schema, dropped (with everything in it) on destruction.
class TempSchema {
 public:
  TempSchema() {
    static std::atomic<int> counter{0};
    name_ = "xt_t" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    if (!ServerDsn()) return;  // every test is skipped
    Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE; CREATE SCHEMA " + name_);
  }
  ~TempSchema() {
    if (ServerDsn()) Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  }
  TempSchema(const TempSchema&) = delete;
  TempSchema& operator=(const TempSchema&) = delete;

  const std::string& name() const { return name_; }
  std::string dsn() const { return DsnWithSchema(name_); }

  // Runs SQL in this schema.
  void Exec(const std::string& sql) const {
    Status st = Admin().Exec("SET search_path = " + name_ + "; " + sql + "; RESET search_path");
    if (!st.ok()) ADD_FAILURE() << sql << ": " << st.ToString();
  }
  // The first column of the first row, as text ("<none>" when no row).
  std::string One(const std::string& sql) const {
    (void)Admin().Exec("SET search_path = " + name_);
    auto r = Admin().ExecResult(sql);
    (void)Admin().Exec("RESET search_path");
    if (!r.ok()) {
      ADD_FAILURE() << sql << ": " << r.status().ToString();
      return "<error>";
    }
    return r->rows() ? r->Text(0, 0) : "<none>";
  }
  // Every row's first column.
  std::vector<std::string> Column(const std::string& sql) const {
    (void)Admin().Exec("SET search_path = " + name_);
    auto r = Admin().ExecResult(sql);
    (void)Admin().Exec("RESET search_path");
    std::vector<std::string> out;
    if (!r.ok()) {
      ADD_FAILURE() << sql << ": " << r.status().ToString();
      return out;
    }
    for (int i = 0; i < r->rows(); ++i) out.push_back(r->Text(i, 0));
    return out;
  }

 private:
  std::string name_;
};

// A store that owns the schema holding its tables.
class TempStore final : public Store {
 public:
  TempStore(std::unique_ptr<TempSchema> schema, std::unique_ptr<Store> inner)
      : schema_(std::move(schema)), inner_(std::move(inner)) {}
  Status Write(const std::function<Status(Tx&)>& fn) override { return inner_->Write(fn); }
  Status Read(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  StoreInfo Info() const override { return inner_->Info(); }
  double DbSeconds() const override { return inner_->DbSeconds(); }

 private:
  std::unique_ptr<TempSchema> schema_;  // dropped after inner_ closed its connections
  std::unique_ptr<Store> inner_;
};

std::unique_ptr<Store> FreshStore(PgOptions options = {}) {
  if (!ServerDsn()) return nullptr;
  auto schema = std::make_unique<TempSchema>();
  options.dsn = schema->dsn();
  auto r = OpenPgStore(options);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return nullptr;
  }
  return std::make_unique<TempStore>(std::move(schema), std::move(r).value());
}

}  // namespace

XT_INSTANTIATE_STORE_CONTRACT_TESTS(Postgres, [] { return FreshStore(); });
XT_INSTANTIATE_STORE_CONTRACT_TESTS(PostgresTwoConnections, [] {
  return FreshStore({.pool_size = 2});
});

namespace {

std::unique_ptr<Store> MustOpen(PgOptions options) {
  auto r = OpenPgStore(options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

domain::AuditEntry Entry(int i) {
  domain::AuditEntry e;
  e.at = core::FromMillis(1795996800000 + i);
  e.actor_user_id = 7;
  e.actor_org_id = 3;
  e.action = "org.update";
  e.object_type = "org";
  e.object_id = std::to_string(i);
  e.summary = "修改机构名称 " + std::to_string(i);
  e.detail = R"({"n":)" + std::to_string(i) + "}";
  return e;
}

domain::ChainCheck Verify(Store& store) {
  domain::ChainVerifier v;
  Status st = store.Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) { return v.Add(e); });
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return v.Finish();
}

Id InsertOrg(Store& store, const std::string& code) {
  Id id = 0;
  Status st = store.Write([&](Tx& tx) -> Status {
    domain::Org o;
    o.code = code;
    o.name = code + " 综合行政执法办公室";
    o.short_name = code;
    XT_ASSIGN_OR_RETURN(id, tx.InsertOrg(o));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return id;
}

domain::Duty RedDuty(Id owner, int i) {
  domain::Duty d;
  d.kind = "referral.accept_notice";
  d.rule = "R-REF-6";
  d.owner_org_id = owner;
  d.object_type = "referral";
  d.object_id = std::to_string(i);
  d.title = "事项 " + std::to_string(i);
  d.trigger_at = core::FromMillis(1000);
  d.due_at = core::FromMillis(100000 + i);
  d.yellow_at = core::FromMillis(50000 + i);
  d.calendar_version = "cn-2026@1";
  d.state = domain::DutyState::kOpen;
  d.created_at = core::FromMillis(1000);
  return d;
}

class PgStoreTest : public ::testing::Test {
 protected:
  TempSchema schema_;
};

TEST_F(PgStoreTest, MigrationsAreIdempotent) {
  const int binary = PgBinarySchemaVersion();
  ASSERT_GE(binary, 2);
  const auto& migrations = postgres::Migrations();
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i + 1)) << migrations[i].name;
  }
  for (int i = 0; i < 3; ++i) {
    auto r = MigratePg(schema_.dsn());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, binary);
  }
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM schema_migrations"), std::to_string(binary));
  EXPECT_EQ(schema_.One("SELECT MAX(version) FROM schema_migrations"), std::to_string(binary));
  EXPECT_NE(schema_.One("SELECT MIN(applied_at) FROM schema_migrations"), "0");
  // Everything went into the test's schema, nothing into public.
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM pg_tables WHERE schemaname = '" + schema_.name() +
                        "' AND tablename = 'duties'"),
            "1");

  auto store = MustOpen({.dsn = schema_.dsn(), .apply_migrations = false});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Info().backend, "postgres");
  EXPECT_EQ(store->Info().schema_version, binary);
  EXPECT_EQ(store->Info().binary_schema_version, binary);
  store = MustOpen({.dsn = schema_.dsn()});
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM schema_migrations"), std::to_string(binary));
}

TEST_F(PgStoreTest, InstancesStartingTogetherMigrateOnce) {
  constexpr int kInstances = 6;
  std::vector<std::future<Result<int>>> runs;
  for (int i = 0; i < kInstances; ++i) {
    runs.push_back(std::async(std::launch::async, [&, i]() -> Result<int> {
      if (i % 2) return MigratePg(schema_.dsn());
      auto s = OpenPgStore({.dsn = schema_.dsn(), .pool_size = 1});
      if (!s.ok()) return s.status();
      return (*s)->Info().schema_version;
    }));
  }
  for (auto& r : runs) {
    Result<int> v = r.get();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(*v, PgBinarySchemaVersion());
  }
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(PgBinarySchemaVersion()));
}

TEST_F(PgStoreTest, RefusesADatabaseNewerThanTheBinary) {
  ASSERT_TRUE(MigratePg(schema_.dsn()).ok());
  const int binary = PgBinarySchemaVersion();
  schema_.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
               std::to_string(binary + 1) + ", 0)");
  const std::string want = "数据库版本(" + std::to_string(binary + 1) + ")高于本程序支持的版本(" +
                           std::to_string(binary) + ")，请升级到支持架构版本 " +
                           std::to_string(binary + 1) + " 的程序";  // names the version needed
  for (bool migrate : {true, false}) {
    auto r = OpenPgStore({.dsn = schema_.dsn(), .apply_migrations = migrate});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(r.status().id(), "schema_too_new");
    EXPECT_EQ(r.status().message(), want);
  }
  auto m = MigratePg(schema_.dsn());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().id(), "schema_too_new");
  EXPECT_EQ(schema_.One("SELECT MAX(version) FROM schema_migrations"), std::to_string(binary + 1));
  // The migration lock was released: another migrate does not hang.
  EXPECT_EQ(MigratePg(schema_.dsn()).status().id(), "schema_too_new");
}

TEST_F(PgStoreTest, RefusesAnOutdatedDatabaseWhenNotMigrating) {
  auto r = OpenPgStore({.dsn = schema_.dsn(), .apply_migrations = false});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().id(), "schema_outdated");
  EXPECT_EQ(schema_.One("SELECT to_regclass('orgs') IS NULL"), "t");
}

TEST(PgStore, RejectsBadOptionsAndUnreachableServers) {
  auto r = OpenPgStore({.dsn = ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "dsn");
  r = OpenPgStore({.dsn = ServerDsn(), .pool_size = 0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "pool_size");
  r = OpenPgStore({.dsn = "host=/nonexistent-xietong-dir port=1 connect_timeout=2"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable) << r.status().ToString();
  EXPECT_EQ(MigratePg("postgres://nobody@127.0.0.1:1/x?connect_timeout=2").status().code(),
            Code::kUnavailable);
}

TEST(PgStore, UniqueFieldComesFromTheConstraintName) {
  using postgres::UniqueField;
  EXPECT_EQ(UniqueField("users", "users_username_key", ""), "username");
  EXPECT_EQ(UniqueField("api_tokens", "api_tokens_token_hash_key", ""), "token_hash");
  EXPECT_EQ(UniqueField("sessions", "sessions_token_hash_key", ""), "token_hash");
  EXPECT_EQ(UniqueField("matter_delegations", "matter_delegations_from_key", ""), "from");
  // Not following the convention: the last column of the detail.
  EXPECT_EQ(UniqueField("t", "t_pkey", "Key (a, b)=(1, 2) already exists."), "b");
  EXPECT_EQ(UniqueField("t", "odd", "Key (\"from\")=(1) already exists."), "from");
}

// Several server instances share one database: appends from 8 threads on two stores form one
// gap-free, valid chain.
TEST_F(PgStoreTest, ConcurrentAuditAppendsFromTwoInstancesFormOneChain) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  ASSERT_TRUE(a && b);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t % 2 ? *a : *b;
      for (int i = 0; i < kPerThread; ++i) {
        Status st = store.Write([&](Tx& tx) -> Status {
          XT_RETURN_IF_ERROR(tx.PutState("thread." + std::to_string(t), std::to_string(i)));
          return tx.AppendAudit(Entry(t * 1000 + i)).status();
        });
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << st.ToString();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<int64_t> seqs;
  ASSERT_TRUE(a->Read([&](Tx& tx) {
                 return tx.ScanAudit([&](const domain::AuditEntry& e) {
                   seqs.push_back(e.seq);
                   return true;
                 });
               }).ok());
  ASSERT_EQ(seqs.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], static_cast<int64_t>(i + 1));
  for (Store* s : {a.get(), b.get()}) {
    domain::ChainCheck check = Verify(*s);
    EXPECT_TRUE(check.ok) << check.explanation;
    EXPECT_EQ(check.entries, kThreads * kPerThread);
  }
}

// R-AUD-1: instances signing checkpoints of the same heads at the same time, while others
// append, store one checkpoint per head (idempotent per seq), each a valid signature of the
// hash the chain has at that position.
TEST_F(PgStoreTest, ConcurrentCheckpointWritersOfTwoInstancesStoreOnePerHead) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  ASSERT_TRUE(a && b);
  const domain::AuditKeyPair key_a = domain::NewAuditKeyPair();
  const domain::AuditKeyPair key_b = domain::NewAuditKeyPair();
  std::atomic<bool> done{false};
  std::atomic<int> inserted{0}, failures{0};
  std::thread appender([&] {
    for (int i = 0; i < 60; ++i) {
      if (!a->Write([&](Tx& tx) { return tx.AppendAudit(Entry(i)).status(); }).ok()) ++failures;
    }
    done = true;
  });
  std::vector<std::thread> signers;
  for (int t = 0; t < 4; ++t) {
    signers.emplace_back([&, t] {
      Store& store = t % 2 ? *a : *b;
      const domain::AuditKeyPair& key = t % 2 ? key_a : key_b;
      while (!done) {
        Status st = store.Write([&](Tx& tx) -> Status {
          AuditFilter head;
          head.limit = 1;
          XT_ASSIGN_OR_RETURN(auto entries, tx.ListAudit(head));
          if (entries.empty()) return Status::Ok();
          domain::AuditCheckpoint cp{.seq = entries[0].seq, .hash = entries[0].hash,
                                     .at = core::FromMillis(entries[0].seq)};
          domain::SignCheckpoint(cp, key);
          XT_ASSIGN_OR_RETURN(bool yes, tx.InsertAuditCheckpoint(cp));
          if (yes) ++inserted;
          return Status::Ok();
        });
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << st.ToString();
        }
      }
    });
  }
  appender.join();
  for (auto& th : signers) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<domain::AuditCheckpoint> table;
  std::map<int64_t, std::string> hashes;
  ASSERT_TRUE(b->Read([&](Tx& tx) -> Status {
                 XT_ASSIGN_OR_RETURN(table, tx.ListAuditCheckpoints());
                 return tx.ScanAudit([&](const domain::AuditEntry& e) {
                   hashes[e.seq] = e.hash;
                   return true;
                 });
               }).ok());
  ASSERT_FALSE(table.empty());
  EXPECT_EQ(static_cast<int>(table.size()), inserted.load());
  for (size_t i = 0; i < table.size(); ++i) {
    if (i) {
      EXPECT_LT(table[i - 1].seq, table[i].seq);
    }
    EXPECT_TRUE(domain::CheckpointSignatureValid(table[i]));
    EXPECT_EQ(table[i].hash, hashes[table[i].seq]) << table[i].seq;
  }
}

// Two sweepers on two instances, inside concurrent write transactions, never get the same duty
// (FOR UPDATE SKIP LOCKED); a read transaction sees every candidate.
TEST_F(PgStoreTest, SweeperQueriesOfTwoInstancesSkipEachOthersDuties) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 2});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 2});
  ASSERT_TRUE(a && b);
  const Id org = InsertOrg(*a, "xincheng");
  constexpr int kDuties = 10;
  ASSERT_TRUE(a->Write([&](Tx& tx) -> Status {
                 for (int i = 0; i < kDuties; ++i) XT_RETURN_IF_ERROR(tx.InsertDuty(RedDuty(org, i)).status());
                 return Status::Ok();
               }).ok());
  const core::Instant now = core::FromMillis(200000);
  for (bool red : {true, false}) {
    SCOPED_TRACE(red ? "red" : "yellow");
    auto query = [&](Tx& tx, int limit) {
      return red ? tx.DutiesTurnedRed(now, limit) : tx.DutiesTurnedYellow(now, limit);
    };
    std::promise<void> a_has_them;
    std::promise<void> b_done;
    std::shared_future<void> b_done_f = b_done.get_future().share();
    std::vector<Id> got_a, got_b;
    std::thread ta([&] {
      Status st = a->Write([&](Tx& tx) -> Status {
        XT_ASSIGN_OR_RETURN(auto duties, query(tx, 6));
        for (const auto& d : duties) got_a.push_back(d.id);
        a_has_them.set_value();
        b_done_f.wait();  // keep the locks while b looks
        return Status::Ok();
      });
      EXPECT_TRUE(st.ok()) << st.ToString();
    });
    a_has_them.get_future().wait();
    Status st = b->Write([&](Tx& tx) -> Status {
      XT_ASSIGN_OR_RETURN(auto duties, query(tx, 100));
      for (const auto& d : duties) got_b.push_back(d.id);
      return Status::Ok();
    });
    b_done.set_value();
    ta.join();
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(got_a.size(), 6u);
    EXPECT_EQ(got_b.size(), static_cast<size_t>(kDuties - 6));
    std::set<Id> all(got_a.begin(), got_a.end());
    for (Id id : got_b) EXPECT_TRUE(all.insert(id).second) << "duty " << id << " given twice";
    EXPECT_EQ(all.size(), static_cast<size_t>(kDuties));
    // Read transactions take no locks and see all of them.
    size_t seen = 0;
    ASSERT_TRUE(b->Read([&](Tx& tx) -> Status {
                   XT_ASSIGN_OR_RETURN(auto duties, query(tx, 100));
                   seen = duties.size();
                   return Status::Ok();
                 }).ok());
    EXPECT_EQ(seen, static_cast<size_t>(kDuties));
  }
}

// Get-then-Update in concurrent writes (two instances) loses no update: GetDuty locks the row.
TEST_F(PgStoreTest, ReadModifyWriteAcrossInstancesLosesNoUpdate) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  ASSERT_TRUE(a && b);
  const Id org = InsertOrg(*a, "xincheng");
  Id id = 0;
  ASSERT_TRUE(a->Write([&](Tx& tx) -> Status {
                 XT_ASSIGN_OR_RETURN(id, tx.InsertDuty(RedDuty(org, 1)));
                 return Status::Ok();
               }).ok());
  constexpr int kThreads = 6;
  constexpr int kPerThread = 15;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t % 2 ? *a : *b;
      for (int i = 0; i < kPerThread; ++i) {
        Status st = store.Write([&](Tx& tx) -> Status {
          XT_ASSIGN_OR_RETURN(domain::Duty d, tx.GetDuty(id));
          d.period += 1;
          return tx.UpdateDuty(d);
        });
        EXPECT_TRUE(st.ok()) << st.ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(schema_.One("SELECT period FROM duties WHERE id = " + std::to_string(id)),
            std::to_string(RedDuty(org, 1).period + kThreads * kPerThread));
}

// Orgs (like matters and users by id) are read FOR SHARE in write transactions: two instances'
// writes read the same org at the same time instead of one waiting for the other's commit (every
// referral of a township reads its org, matter and officer), while an update of the org still
// waits for them and concurrent read-modify-writes of it lose nothing (a deadlock is retried).
TEST_F(PgStoreTest, ReferenceRowsAreReadTogetherAndStillUpdatedSafely) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  ASSERT_TRUE(a && b);
  const Id org = InsertOrg(*a, "xincheng");
  std::promise<void> a_read;
  std::promise<void> b_read;
  std::shared_future<void> b_read_f = b_read.get_future().share();
  bool b_in_time = false;
  std::thread ta([&] {
    Status st = a->Write([&](Tx& tx) -> Status {
      XT_RETURN_IF_ERROR(tx.GetOrg(org).status());
      a_read.set_value();
      // b's GetOrg of the same row must not wait for this transaction to end.
      b_in_time = b_read_f.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  });
  a_read.get_future().wait();
  Status st = b->Write([&](Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(tx.GetOrg(org).status());
    b_read.set_value();
    return Status::Ok();
  });
  ta.join();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(b_in_time) << "the second reader waited for the first transaction";

  // One thread per instance (a deadlock costs deadlock_timeout, 1 s, before the retry).
  constexpr int kThreads = 2;
  constexpr int kPerThread = 3;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t % 2 ? *a : *b;
      for (int i = 0; i < kPerThread; ++i) {
        Status w = store.Write([&](Tx& tx) -> Status {
          XT_ASSIGN_OR_RETURN(domain::Org o, tx.GetOrg(org));
          o.name += "x";
          return tx.UpdateOrg(o);
        });
        EXPECT_TRUE(w.ok()) << w.ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  const std::string name = schema_.One("SELECT name FROM orgs WHERE id = " + std::to_string(org));
  EXPECT_EQ(name.size() - name.find_last_not_of('x') - 1, static_cast<size_t>(kThreads * kPerThread))
      << name;
}

// A deadlock between two instances is resolved by the server; the loser's Write re-runs its
// function and both succeed.
TEST_F(PgStoreTest, DeadlockedWritesAreRetried) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 2});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 2});
  ASSERT_TRUE(a && b);
  const Id org = InsertOrg(*a, "xincheng");
  Id d1 = 0, d2 = 0;
  ASSERT_TRUE(a->Write([&](Tx& tx) -> Status {
                 XT_ASSIGN_OR_RETURN(d1, tx.InsertDuty(RedDuty(org, 1)));
                 XT_ASSIGN_OR_RETURN(d2, tx.InsertDuty(RedDuty(org, 2)));
                 return Status::Ok();
               }).ok());
  // Each locks one duty, waits until the other has locked the other one, then takes the other.
  std::promise<void> a_locked, b_locked;
  std::shared_future<void> a_locked_f = a_locked.get_future().share();
  std::shared_future<void> b_locked_f = b_locked.get_future().share();
  std::atomic<int> runs{0};
  auto body = [&](Store& s, Id first, Id second, std::promise<void>& mine,
                  std::shared_future<void> theirs) {
    bool synced = false;
    return s.Write([&](Tx& tx) -> Status {
      ++runs;
      XT_ASSIGN_OR_RETURN(domain::Duty x, tx.GetDuty(first));
      if (!synced) {  // only on the first run
        synced = true;
        mine.set_value();
        theirs.wait();
      }
      XT_ASSIGN_OR_RETURN(domain::Duty y, tx.GetDuty(second));
      x.period += 1;
      y.period += 1;
      XT_RETURN_IF_ERROR(tx.UpdateDuty(x));
      return tx.UpdateDuty(y);
    });
  };
  auto fa = std::async(std::launch::async, [&] { return body(*a, d1, d2, a_locked, b_locked_f); });
  auto fb = std::async(std::launch::async, [&] { return body(*b, d2, d1, b_locked, a_locked_f); });
  Status sa = fa.get(), sb = fb.get();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  // One of them ran again (on a loaded machine the retry may meet the other once more: the
  // property is that both succeed, each change applied once).
  EXPECT_GE(runs.load(), 3);
  EXPECT_LE(runs.load(), 5);
  const int64_t base = RedDuty(org, 1).period;
  EXPECT_EQ(schema_.One("SELECT SUM(period) FROM duties"), std::to_string(2 * (base + 2)));
}

// A function that swallows the failure of a read (here the deadlock victim's GetDuty) and goes
// on: every later statement of the aborted transaction reports that first error (not 25P02
// "current transaction is aborted"), so the Write is retried as a deadlock and both succeed.
TEST_F(PgStoreTest, ASwallowedDeadlockIsReportedByLaterStatementsAndRetried) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 2});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 2});
  ASSERT_TRUE(a && b);
  const Id org = InsertOrg(*a, "xincheng");
  Id d1 = 0, d2 = 0;
  ASSERT_TRUE(a->Write([&](Tx& tx) -> Status {
                 XT_ASSIGN_OR_RETURN(d1, tx.InsertDuty(RedDuty(org, 1)));
                 XT_ASSIGN_OR_RETURN(d2, tx.InsertDuty(RedDuty(org, 2)));
                 return Status::Ok();
               }).ok());
  std::promise<void> a_locked, b_locked;
  std::shared_future<void> a_locked_f = a_locked.get_future().share();
  std::shared_future<void> b_locked_f = b_locked.get_future().share();
  std::atomic<int> runs{0};
  std::mutex mu;
  std::vector<Status> after_swallowed;  // what the statement after a swallowed failure said
  auto body = [&](Store& s, Id first, Id second, std::promise<void>& mine,
                  std::shared_future<void> theirs, const std::string& key) {
    bool synced = false;
    return s.Write([&](Tx& tx) -> Status {
      ++runs;
      XT_ASSIGN_OR_RETURN(domain::Duty x, tx.GetDuty(first));
      if (!synced) {
        synced = true;
        mine.set_value();
        theirs.wait();
      }
      auto y = tx.GetDuty(second);  // the deadlock victim's error is swallowed here
      Status next = tx.PutState(key, "1");
      if (!y.ok()) {
        std::lock_guard lock(mu);
        after_swallowed.push_back(next);
      }
      XT_RETURN_IF_ERROR(next);
      x.period += 1;
      return tx.UpdateDuty(x);
    });
  };
  auto fa = std::async(std::launch::async,
                       [&] { return body(*a, d1, d2, a_locked, b_locked_f, "a"); });
  auto fb = std::async(std::launch::async,
                       [&] { return body(*b, d2, d1, b_locked, a_locked_f, "b"); });
  Status sa = fa.get(), sb = fb.get();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(runs.load(), 3);
  ASSERT_EQ(after_swallowed.size(), 1u);
  EXPECT_EQ(after_swallowed[0].code(), Code::kUnavailable) << after_swallowed[0].ToString();
  EXPECT_EQ(after_swallowed[0].id(), "transaction_conflict") << after_swallowed[0].ToString();
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM job_state"), "2");
}

// A refused statement fails alone (as in SQLite); the transaction goes on and commits.
TEST_F(PgStoreTest, AFailedStatementDoesNotSpoilTheTransaction) {
  auto store = MustOpen({.dsn = schema_.dsn()});
  ASSERT_NE(store, nullptr);
  InsertOrg(*store, "xincheng");
  Status dup, fk;
  Status st = store->Write([&](Tx& tx) -> Status {
    domain::Org o;
    o.code = "xincheng";
    dup = tx.InsertOrg(o).status();
    domain::User u;
    u.username = "orphan";
    u.org_id = 987654;
    fk = tx.InsertUser(u).status();
    XT_RETURN_IF_ERROR(tx.PutState("after", "1"));
    return tx.AppendAudit(Entry(1)).status();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(dup.code(), Code::kAlreadyExists);
  EXPECT_EQ(dup.field(), "code");
  EXPECT_EQ(fk.code(), Code::kInvalidArgument);
  EXPECT_EQ(fk.field(), "reference");
  EXPECT_EQ(fk.id(), "foreign_key");
  EXPECT_EQ(schema_.One("SELECT value FROM job_state WHERE key = 'after'"), "1");
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM audit"), "1");
}

TEST_F(PgStoreTest, AnExceptionInAWriteRollsBackAndPropagates) {
  auto store = MustOpen({.dsn = schema_.dsn(), .pool_size = 1});
  ASSERT_NE(store, nullptr);
  EXPECT_THROW((void)store->Write([](Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(tx.PutState("k", "v"));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  // The single connection is usable again.
  Status st = store->Write([](Tx& tx) { return tx.PutState("k2", "v"); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(schema_.One("SELECT COUNT(*) FROM job_state"), "1");
}

TEST_F(PgStoreTest, NestedTransactionsAreRefused) {
  auto store = MustOpen({.dsn = schema_.dsn()});
  ASSERT_NE(store, nullptr);
  Status inner;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Status {
                 inner = store->Read([](Tx&) { return Status::Ok(); });
                 return tx.PutState("x", "1");
               }).ok());
  EXPECT_EQ(inner.code(), Code::kInternal);
}

TEST_F(PgStoreTest, SurvivesAServerSideDisconnect) {
  auto store = MustOpen({.dsn = schema_.dsn(), .pool_size = 1});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write([](Tx& tx) { return tx.PutState("k", "v"); }).ok());
  // Kill the pooled connection behind the store's back.
  EXPECT_EQ(schema_.One("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = '" + schema_.name() + "'"),
            "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Status st = store->Read([](Tx& tx) { return tx.GetState("k").status(); });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(PgStoreTest, SweeperQueriesCanUseTheirPartialIndexes) {
  ASSERT_TRUE(MigratePg(schema_.dsn()).ok());
  struct Case {
    const char* sql;
    const char* index;
  };
  for (const Case& c : {Case{postgres::kDutiesTurnedYellowSql, "duties_yellow_due"},
                        Case{postgres::kDutiesTurnedRedSql, "duties_red_due"},
                        Case{postgres::kDutiesTurnedRedLockSql, "duties_red_due"},
                        Case{postgres::kProvisionalOpenDutiesSql, "duties_provisional"}}) {
    std::string sql = c.sql;
    for (auto [p, v] : {std::pair{"$1", "0"}, std::pair{"$2", "10"}}) {
      if (auto at = sql.find(p); at != std::string::npos) sql.replace(at, 2, v);
    }
    (void)Admin().Exec("SET enable_seqscan = off");
    std::vector<std::string> plan = schema_.Column("EXPLAIN " + sql);
    (void)Admin().Exec("RESET enable_seqscan");
    std::string all;
    for (const auto& line : plan) all += line + "\n";
    EXPECT_NE(all.find(c.index), std::string::npos) << all;
    EXPECT_EQ(all.find("Sort"), std::string::npos) << all;  // the index gives the order
  }
  // Referral text search (3+ characters) can use the trigram index.
  (void)Admin().Exec("SET enable_seqscan = off");
  std::vector<std::string> plan = schema_.Column(
      "EXPLAIN SELECT id FROM referrals WHERE referral_search_text(facts, place, party_name, "
      "party_id_number, number) ILIKE '%' || '解放路' || '%' ESCAPE '\\'");
  (void)Admin().Exec("RESET enable_seqscan");
  std::string all;
  for (const auto& line : plan) all += line + "\n";
  EXPECT_NE(all.find("referrals_text"), std::string::npos) << all;
}

// ---------------- Schema v2/v3 on PostgreSQL ----------------

struct World {
  Id county = 0, town = 0, user = 0, matter = 0;
};

World MakeWorld(Store& store) {
  World w;
  w.county = InsertOrg(store, "scjg");
  w.town = InsertOrg(store, "xincheng");
  Status st = store.Write([&](Tx& tx) -> Status {
    domain::User u;
    u.username = "xincheng.officer";
    u.display_name = "张三";
    u.org_id = w.town;
    XT_ASSIGN_OR_RETURN(w.user, tx.InsertUser(u));
    domain::Matter m;
    m.code = "SCJG-001";
    m.name = "无证无照经营";
    m.legal_basis = "《无证无照经营查处办法》第十三条";
    m.owner_org_id = w.county;
    XT_ASSIGN_OR_RETURN(w.matter, tx.InsertMatter(m));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return w;
}

domain::Referral MakeReferral(const World& w, int i) {
  domain::Referral r;
  r.state = domain::ReferralState::kDraft;
  r.from_org_id = w.town;
  r.to_org_id = w.county;
  r.matter_id = w.matter;
  r.matter_code = "SCJG-001";
  r.matter_owner_org_id = w.county;
  r.township_org_id = w.town;
  r.place = "新城镇解放路" + std::to_string(i) + "号";
  r.discovered_at = core::FromMillis(1000 + i);
  r.facts = "当事人在门店内无照经营 Grocery 食品" + std::to_string(i);
  r.party.name = "李四";
  r.party.id_number = "33010219800101123X";
  r.legal_basis = "《无证无照经营查处办法》";
  r.evidence = {{.name = "现场照片", .description = "门店外观"},
                {.name = "询问笔录", .description = "第一次"}};
  r.checklist.facts_clear = true;
  r.coordination = domain::Coordination{.requested_at = core::FromMillis(9), .reason = "争议"};
  r.dissuasion = domain::Dissuasion{core::FromMillis(7), "已劝阻"};
  r.created_by = w.user;
  r.created_at = core::FromMillis(10000 + i);
  r.updated_at = r.created_at;
  return r;
}

TEST_F(PgStoreTest, MattersDelegationsFilesAndIdempotencyKeys) {
  auto store = MustOpen({.dsn = schema_.dsn()});
  ASSERT_NE(store, nullptr);
  World w = MakeWorld(*store);
  Status st = store->Write([&](Tx& tx) -> Status {
    domain::Matter dup;
    dup.code = "SCJG-001";
    dup.owner_org_id = w.county;
    Status s = tx.InsertMatter(dup).status();
    EXPECT_EQ(s.code(), Code::kAlreadyExists);
    EXPECT_EQ(s.field(), "code");
    const core::CivilDay day = core::ParseDay("2023-07-12").value();
    XT_RETURN_IF_ERROR(tx.InsertDelegation({w.matter, w.town, day, std::nullopt}));
    s = tx.InsertDelegation({w.matter, w.town, day, std::nullopt});
    EXPECT_EQ(s.field(), "from");
    XT_RETURN_IF_ERROR(tx.SetDelegationEnd(w.matter, w.town, day, day + std::chrono::days(30)));
    XT_ASSIGN_OR_RETURN(auto ds, tx.ListDelegations(w.matter));
    EXPECT_EQ(ds.size(), 1u);
    if (!ds.empty()) {
      EXPECT_EQ(ds[0].to, day + std::chrono::days(30));
    }
    XT_ASSIGN_OR_RETURN(auto ms, tx.ListMatters({.township_org_id = w.town, .text = "无照"}));
    EXPECT_EQ(ms.size(), 1u);

    static constexpr char kRaw[] = "\0\x01\xff binary \\ '";
    const std::string bytes(kRaw, sizeof kRaw - 1);
    FileBlob f{.sha256 = "ab", .size = 16, .content_type = "image/jpeg", .bytes = bytes};
    XT_ASSIGN_OR_RETURN(bool inserted, tx.InsertFileBlob(f));
    EXPECT_TRUE(inserted);
    XT_ASSIGN_OR_RETURN(inserted, tx.InsertFileBlob(f));
    EXPECT_FALSE(inserted);
    XT_ASSIGN_OR_RETURN(FileBlob got, tx.GetFileBlob("ab", true));
    EXPECT_EQ(got.bytes, bytes);
    XT_ASSIGN_OR_RETURN(got, tx.GetFileBlob("ab", false));
    EXPECT_EQ(got.bytes, "");
    EXPECT_EQ(got.size, 16);  // as stored, not recomputed

    IdempotencyRecord k{.user_id = w.user, .key = "k1", .method = "POST", .route = "/x"};
    XT_ASSIGN_OR_RETURN(bool reserved, tx.ReserveIdempotencyKey(k));
    EXPECT_TRUE(reserved);
    XT_ASSIGN_OR_RETURN(reserved, tx.ReserveIdempotencyKey(k));
    EXPECT_FALSE(reserved);
    k.status = 201;
    k.body = bytes;
    XT_RETURN_IF_ERROR(tx.CompleteIdempotencyKey(k));
    XT_ASSIGN_OR_RETURN(auto again, tx.GetIdempotencyKey(w.user, "k1"));
    EXPECT_TRUE(again && again->status == 201 && again->body == bytes);
    XT_ASSIGN_OR_RETURN(int64_t purged, tx.PurgeIdempotencyKeys(core::FromMillis(1)));
    EXPECT_EQ(purged, 1);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(PgStoreTest, ReferralsRoundTripSearchAndColour) {
  auto store = MustOpen({.dsn = schema_.dsn()});
  ASSERT_NE(store, nullptr);
  World w = MakeWorld(*store);
  std::vector<Id> ids;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Status {
                 for (int i = 0; i < 3; ++i) {
                   XT_ASSIGN_OR_RETURN(Id id, tx.InsertReferral(MakeReferral(w, i)));
                   ids.push_back(id);
                 }
                 return Status::Ok();
               }).ok());
  domain::Referral want = MakeReferral(w, 1);
  want.id = ids[1];
  auto list = [&](ReferralFilter f) {
    std::vector<Id> out;
    Status st = store->Read([&](Tx& tx) -> Status {
      XT_ASSIGN_OR_RETURN(auto rs, tx.ListReferrals(f));
      for (const auto& r : rs) out.push_back(r.id);
      XT_ASSIGN_OR_RETURN(int64_t n, tx.CountReferrals(f));
      EXPECT_EQ(n, static_cast<int64_t>(out.size()));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  };
  Status st = store->Read([&](Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::Referral got, tx.GetReferral(ids[1]));
    EXPECT_TRUE(got == want);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  using V = std::vector<Id>;
  EXPECT_EQ(list({}), (V{ids[2], ids[1], ids[0]}));  // newest first
  EXPECT_EQ(list({.text = "解放路1号"}), V{ids[1]});  // trigram-sized
  EXPECT_EQ(list({.text = "grocery"}), (V{ids[2], ids[1], ids[0]}));  // ASCII case folded
  EXPECT_EQ(list({.text = "食品2"}), V{ids[2]});  // short
  EXPECT_EQ(list({.text = "%"}), V{});
  EXPECT_EQ(list({.text = "号当事"}), V{});  // never across two fields
  EXPECT_EQ(list({.visible_to_org_id = w.county}), V{});  // not sent yet
  EXPECT_EQ(list({.visible_to_org_id = w.town}).size(), 3u);
  EXPECT_EQ(list({.states = {domain::ReferralState::kDraft, domain::ReferralState::kSent}}).size(),
            3u);

  // Colour: the earliest open duty of the referral decides.
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Status {
                 domain::Duty d = RedDuty(w.town, 0);
                 d.object_id = std::to_string(ids[0]);
                 return tx.InsertDuty(d).status();
               }).ok());
  EXPECT_EQ(list({.colour = domain::Colour::kRed, .now = core::FromMillis(200000)}), V{ids[0]});
  EXPECT_EQ(list({.colour = domain::Colour::kGreen, .now = core::FromMillis(0)}), V{ids[0]});
  EXPECT_EQ(list({.colour = domain::Colour::kYellow, .now = core::FromMillis(0)}), V{});

  // Update replaces the evidence list.
  want.evidence.resize(1);
  want.state = domain::ReferralState::kSent;
  want.sent_at = core::FromMillis(20000);
  want.number = "新城执移〔2026〕1号";
  want.coordination.reset();
  ASSERT_TRUE(store->Write([&](Tx& tx) { return tx.UpdateReferral(want); }).ok());
  st = store->Read([&](Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::Referral got, tx.GetReferral(ids[1]));
    EXPECT_TRUE(got == want);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(list({.visible_to_org_id = w.county}), V{ids[1]});
  EXPECT_EQ(list({.text = "2026〕1"}), V{ids[1]});
}

// R-DOC-1 across two instances: concurrent takers get unique, gap-free serials; a rolled back
// take gives its serial back.
TEST_F(PgStoreTest, DocSerialsAreGapFreeAcrossInstances) {
  auto a = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  auto b = MustOpen({.dsn = schema_.dsn(), .pool_size = 4});
  ASSERT_TRUE(a && b);
  const Id org = InsertOrg(*a, "xincheng");
  std::mutex mu;
  std::vector<int64_t> serials;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      Store& s = t % 2 ? *a : *b;
      for (int i = 0; i < 10; ++i) {
        int64_t got = 0;
        const bool fail = (t + i) % 4 == 0;
        Status st = s.Write([&](Tx& tx) -> Status {
          XT_ASSIGN_OR_RETURN(got, tx.TakeDocSerial(org, 2026, domain::DocKind::kReferralLetter));
          domain::Document d;
          d.org_id = org;
          d.year = 2026;
          d.serial = got;
          d.number = "新城执移〔2026〕" + std::to_string(got) + "号";
          XT_RETURN_IF_ERROR(tx.InsertDocument(d).status());
          if (fail) return Status::Aborted("故意失败");
          return Status::Ok();
        });
        if (fail) continue;
        EXPECT_TRUE(st.ok()) << st.ToString();
        std::lock_guard<std::mutex> lock(mu);
        serials.push_back(got);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::sort(serials.begin(), serials.end());
  for (size_t i = 0; i < serials.size(); ++i) EXPECT_EQ(serials[i], static_cast<int64_t>(i + 1));
  Status dup = a->Write([&](Tx& tx) -> Status {
    domain::Document d;
    d.org_id = org;
    d.year = 2026;
    d.serial = 1;
    return tx.InsertDocument(d).status();
  });
  EXPECT_EQ(dup.code(), Code::kAlreadyExists);
  EXPECT_EQ(dup.field(), "number");
}

}  // namespace
}  // namespace xietong::storage
