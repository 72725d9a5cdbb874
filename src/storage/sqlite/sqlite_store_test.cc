#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "domain/audit.h"
#include "storage/sqlite/internal/migrations.h"
#include "storage/sqlite/internal/queries.h"
#include "storage/store_contract_test.h"

namespace xietong::storage {
namespace {

using core::Code;

// A fresh directory under the test temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "xt-sqlite-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name = "xietong.db") const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A store that owns the directory holding its database file.
class TempStore final : public Store {
 public:
  TempStore(std::unique_ptr<TempDir> dir, std::unique_ptr<Store> inner)
      : dir_(std::move(dir)), inner_(std::move(inner)) {}
  Status Write(const std::function<Status(Tx&)>& fn) override { return inner_->Write(fn); }
  Status Read(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  StoreInfo Info() const override { return inner_->Info(); }
  double DbSeconds() const override { return inner_->DbSeconds(); }

 private:
  std::unique_ptr<TempDir> dir_;  // destroyed after inner_
  std::unique_ptr<Store> inner_;
};

std::unique_ptr<Store> FreshStore(SqliteOptions options) {
  auto dir = std::make_unique<TempDir>();
  options.path = dir->File();
  auto r = OpenSqliteStore(options);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return nullptr;
  }
  return std::make_unique<TempStore>(std::move(dir), std::move(r).value());
}

}  // namespace

XT_INSTANTIATE_STORE_CONTRACT_TESTS(Sqlite, [] { return FreshStore({}); });
XT_INSTANTIATE_STORE_CONTRACT_TESTS(SqliteOneReader, [] {
  return FreshStore({.read_connections = 1, .synchronous_full = false});
});

// --- Upgrades (issue 18) ---
// A database created by an earlier schema version (tests/upgrade/sqlite/vN.sql, the schema part:
// migrations 1..N applied and dumped; its sample rows are checked by tests/http/upgrade.test.mjs),
// migrated on open to the current version, passes the whole contract. The oldest (every migration
// runs) and the newest earlier one; tests/http/upgrade.test.mjs loads every version, data included,
// on both backends and serves it (eight more contract runs here would add a minute to make test).
namespace {
std::unique_ptr<Store> UpgradedStore(int version) {
  const std::string file = std::string(XT_UPGRADE_DUMPS) + "/v" + std::to_string(version) + ".sql";
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) {
    ADD_FAILURE() << "missing " << file;
    return nullptr;
  }
  std::string sql;
  char buf[8192];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) sql.append(buf, n);
  std::fclose(f);
  const auto marker = sql.find("-- xietong sample data");
  if (marker == std::string::npos) {
    ADD_FAILURE() << "no sample-data marker in " << file;
    return nullptr;
  }
  sql = sql.substr(0, marker) + "COMMIT;\n";
  auto dir = std::make_unique<TempDir>();
  sqlite3* db = nullptr;
  if (sqlite3_open(dir->File().c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "loading " << file << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_close(db);
  // synchronous=NORMAL: eight more runs of the whole contract, without an fsync per commit.
  auto r = OpenSqliteStore({.path = dir->File(), .synchronous_full = false});
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return nullptr;
  }
  if ((*r)->Info().schema_version != SqliteBinarySchemaVersion()) {
    ADD_FAILURE() << "not migrated: " << (*r)->Info().schema_version;
    return nullptr;
  }
  return std::make_unique<TempStore>(std::move(dir), std::move(r).value());
}
}  // namespace
XT_INSTANTIATE_STORE_CONTRACT_TESTS(SqliteUpgradedFromV1, [] { return UpgradedStore(1); });
XT_INSTANTIATE_STORE_CONTRACT_TESTS(SqliteUpgradedFromV12, [] { return UpgradedStore(12); });

namespace {

// A raw connection for looking at and tampering with the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (err ? err : "?");
    }
    sqlite3_free(err);
  }
  // The first column of every row, as text.
  std::vector<std::string> Column(const std::string& sql, int col = 0) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    // Bind every parameter to 0: only the plan matters for EXPLAIN.
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); ++i) sqlite3_bind_int64(st, i, 0);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, col);
      out.push_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    return out;
  }
  std::string One(const std::string& sql) {
    auto rows = Column(sql);
    return rows.empty() ? "<none>" : rows[0];
  }

 private:
  sqlite3* db_ = nullptr;
};

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

std::unique_ptr<Store> MustOpen(SqliteOptions options) {
  auto r = OpenSqliteStore(options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

TEST(SqliteStore, MigrationVersionsAreContiguous) {
  const auto& migrations = sqlite::Migrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i + 1)) << migrations[i].name;
  }
  EXPECT_EQ(SqliteBinarySchemaVersion(), migrations.back().version);
}

TEST(SqliteStore, MigrationsAreIdempotent) {
  TempDir dir;
  const int binary = SqliteBinarySchemaVersion();
  ASSERT_GE(binary, 1);
  for (int i = 0; i < 3; ++i) {
    auto r = MigrateSqlite(dir.File());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, binary);
  }
  RawDb raw(dir.File());
  EXPECT_EQ(raw.One("SELECT COUNT(*) FROM schema_migrations"), std::to_string(binary));
  EXPECT_EQ(raw.One("SELECT MAX(version) FROM schema_migrations"), std::to_string(binary));
  EXPECT_NE(raw.One("SELECT MIN(applied_at) FROM schema_migrations"), "0");

  // A migrated database opens without migrating; opening again migrates nothing.
  auto store = MustOpen({.path = dir.File(), .apply_migrations = false});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Info().backend, "sqlite");
  EXPECT_EQ(store->Info().schema_version, binary);
  EXPECT_EQ(store->Info().binary_schema_version, binary);
  store = MustOpen({.path = dir.File()});
  EXPECT_EQ(raw.One("SELECT COUNT(*) FROM schema_migrations"), std::to_string(binary));
}

TEST(SqliteStore, RefusesADatabaseNewerThanTheBinary) {
  TempDir dir;
  ASSERT_TRUE(MigrateSqlite(dir.File()).ok());
  const int binary = SqliteBinarySchemaVersion();
  {
    RawDb raw(dir.File());
    raw.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
             std::to_string(binary + 1) + ", 0)");
  }
  const std::string want = "数据库版本(" + std::to_string(binary + 1) + ")高于本程序支持的版本(" +
                           std::to_string(binary) + ")，请升级到支持架构版本 " +
                           std::to_string(binary + 1) + " 的程序";  // names the version needed
  for (bool migrate : {true, false}) {
    auto r = OpenSqliteStore({.path = dir.File(), .apply_migrations = migrate});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(r.status().id(), "schema_too_new");
    EXPECT_EQ(r.status().message(), want);
  }
  auto m = MigrateSqlite(dir.File());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().id(), "schema_too_new");
  RawDb raw(dir.File());
  EXPECT_EQ(raw.One("SELECT MAX(version) FROM schema_migrations"), std::to_string(binary + 1));
}

TEST(SqliteStore, RefusesAnOutdatedDatabaseWhenNotMigrating) {
  TempDir dir;
  auto r = OpenSqliteStore({.path = dir.File(), .apply_migrations = false});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().id(), "schema_outdated");
  EXPECT_EQ(r.status().message(), "数据库需要迁移：请运行 xietong migrate");
  // Nothing was migrated behind the operator's back.
  RawDb raw(dir.File());
  EXPECT_EQ(raw.One("SELECT COUNT(*) FROM sqlite_master WHERE name = 'orgs'"), "0");
}

TEST(SqliteStore, RejectsBadOptions) {
  struct Case {
    SqliteOptions options;
    const char* field;
  };
  for (const Case& c : {Case{{.path = ""}, "path"}, Case{{.path = ":memory:"}, "path"},
                        Case{{.path = "x.db", .read_connections = 0}, "read_connections"},
                        Case{{.path = "x.db", .busy_timeout_ms = -1}, "busy_timeout_ms"},
                        Case{{.path = "x.db", .cache_mib = 0}, "cache_mib"}}) {
    auto r = OpenSqliteStore(c.options);
    ASSERT_FALSE(r.ok()) << c.options.path;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().field(), c.field);
  }
  auto r = OpenSqliteStore({.path = "/nonexistent-dir-xietong/sub/x.db"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInternal);
}

TEST(SqliteStore, UsesWalAndEnforcesForeignKeys) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File()});
  ASSERT_NE(store, nullptr);
  RawDb raw(dir.File());
  EXPECT_EQ(raw.One("PRAGMA journal_mode"), "wal");
  Status st = store->Write([](Tx& tx) {
    domain::User u;
    u.username = "orphan.user";
    u.org_id = 12345;  // no such org
    return tx.InsertUser(u).status();
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument) << st.ToString();
  EXPECT_EQ(st.field(), "reference");
}

TEST(SqliteStore, SweeperQueriesUseTheirPartialIndexes) {
  TempDir dir;
  ASSERT_TRUE(MigrateSqlite(dir.File()).ok());
  RawDb raw(dir.File());
  struct Case {
    const char* sql;
    const char* index;
  };
  for (const Case& c : {Case{sqlite::kDutiesTurnedYellowSql, "duties_yellow_due"},
                        Case{sqlite::kDutiesTurnedRedSql, "duties_red_due"}}) {
    std::vector<std::string> plan = raw.Column(std::string("EXPLAIN QUERY PLAN ") + c.sql, 3);
    std::string all;
    for (const auto& line : plan) all += line + "\n";
    EXPECT_NE(all.find(std::string("SEARCH duties USING INDEX ") + c.index), std::string::npos)
        << all;
    EXPECT_EQ(all.find("SCAN duties"), std::string::npos) << all;
    EXPECT_EQ(all.find("TEMP B-TREE"), std::string::npos) << all;  // the index gives the order
  }
  std::vector<std::string> plan =
      raw.Column(std::string("EXPLAIN QUERY PLAN ") + sqlite::kProvisionalOpenDutiesSql, 3);
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(plan[0].find("duties_provisional"), std::string::npos) << plan[0];
}

TEST(SqliteStore, CommittedDataSurvivesReopening) {
  TempDir dir;
  {
    auto store = MustOpen({.path = dir.File()});
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write([](Tx& tx) -> Status {
                      domain::Org o;
                      o.code = "xincheng";
                      o.name = "新城镇综合行政执法办公室";
                      XT_RETURN_IF_ERROR(tx.InsertOrg(o).status());
                      XT_RETURN_IF_ERROR(tx.PutState("sweeper.last_run", "42"));
                      return tx.AppendAudit(Entry(1)).status();
                    })
                    .ok());
  }
  auto store = MustOpen({.path = dir.File(), .apply_migrations = false});
  ASSERT_NE(store, nullptr);
  Status st = store->Read([](Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::Org o, tx.GetOrgByCode("xincheng"));
    EXPECT_EQ(o.name, "新城镇综合行政执法办公室");
    XT_ASSIGN_OR_RETURN(std::optional<std::string> v, tx.GetState("sweeper.last_run"));
    EXPECT_EQ(v, std::optional<std::string>("42"));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  domain::ChainCheck check = Verify(*store);
  EXPECT_TRUE(check.ok);
  EXPECT_EQ(check.entries, 1);
}

class SqliteTamperTest : public ::testing::Test {
 protected:
  // Six entries appended by the store, which is then closed.
  void SetUp() override {
    auto store = MustOpen({.path = dir_.File()});
    ASSERT_NE(store, nullptr);
    for (int i = 1; i <= 6; ++i) {
      ASSERT_TRUE(store->Write([&](Tx& tx) { return tx.AppendAudit(Entry(i)).status(); }).ok());
    }
    domain::ChainCheck check = Verify(*store);
    ASSERT_TRUE(check.ok) << check.explanation;
  }

  domain::ChainCheck TamperAndVerify(const std::vector<std::string>& statements) {
    {
      RawDb raw(dir_.File());
      for (const auto& sql : statements) raw.Exec(sql);
    }
    auto store = MustOpen({.path = dir_.File()});
    if (!store) return {};
    return Verify(*store);
  }

  TempDir dir_;
};

TEST_F(SqliteTamperTest, EditedSummary) {
  domain::ChainCheck check = TamperAndVerify({"UPDATE audit SET summary = '无事发生' WHERE seq = 4"});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, domain::ChainProblem::kEdited) << check.explanation;
  EXPECT_EQ(check.first_bad_seq, 4);
}

TEST_F(SqliteTamperTest, EditedDetail) {
  domain::ChainCheck check = TamperAndVerify({"UPDATE audit SET detail = '{}' WHERE seq = 2"});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, domain::ChainProblem::kEdited) << check.explanation;
  EXPECT_EQ(check.first_bad_seq, 2);
}

TEST_F(SqliteTamperTest, DeletedMiddleRow) {
  domain::ChainCheck check = TamperAndVerify({"DELETE FROM audit WHERE seq = 3"});
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, domain::ChainProblem::kDeleted) << check.explanation;
  EXPECT_EQ(check.first_bad_seq, 3);
}

TEST_F(SqliteTamperTest, SwappedRows) {
  domain::ChainCheck check = TamperAndVerify({
      "UPDATE audit SET seq = -1 WHERE seq = 3",
      "UPDATE audit SET seq = 3 WHERE seq = 4",
      "UPDATE audit SET seq = 4 WHERE seq = -1",
  });
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, domain::ChainProblem::kReordered) << check.explanation;
  EXPECT_EQ(check.first_bad_seq, 3);
}

TEST_F(SqliteTamperTest, AppendsContinueAfterTheHead) {
  // Not tampering: a reopened store continues the chain from the stored head.
  auto store = MustOpen({.path = dir_.File()});
  ASSERT_NE(store, nullptr);
  domain::AuditEntry appended;
  ASSERT_TRUE(store
                  ->Write([&](Tx& tx) -> Status {
                    XT_ASSIGN_OR_RETURN(appended, tx.AppendAudit(Entry(7)));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(appended.seq, 7);
  domain::ChainCheck check = Verify(*store);
  EXPECT_TRUE(check.ok) << check.explanation;
  EXPECT_EQ(check.entries, 7);
}

TEST(SqliteStore, WriteRetriesWhileAnotherProcessHoldsTheLock) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File(), .busy_timeout_ms = 20});
  ASSERT_NE(store, nullptr);
  RawDb other(dir.File());
  other.Exec("BEGIN IMMEDIATE");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    other.Exec("COMMIT");
  });
  Status st = store->Write([](Tx& tx) { return tx.PutState("k", "v"); });
  release.join();
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(SqliteStore, WriteGivesUpWhenTheLockIsNeverReleased) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File(), .busy_timeout_ms = 10});
  ASSERT_NE(store, nullptr);
  RawDb other(dir.File());
  other.Exec("BEGIN IMMEDIATE");
  int runs = 0;
  Status st = store->Write([&](Tx& tx) {
    ++runs;
    return tx.PutState("k", "v");
  });
  other.Exec("ROLLBACK");
  EXPECT_EQ(st.code(), Code::kUnavailable) << st.ToString();
  EXPECT_EQ(runs, 0);  // the transaction never began
  // Readers are not affected by the writer lock.
  EXPECT_TRUE(store->Read([](Tx& tx) { return tx.GetState("k").status(); }).ok());
}

TEST(SqliteStore, NestedTransactionsAreRefused) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File()});
  ASSERT_NE(store, nullptr);
  Status inner_write, inner_read, read_in_read;
  Status st = store->Write([&](Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(tx.PutState("outer", "1"));
    inner_write = store->Write([](Tx& t) { return t.PutState("inner", "1"); });
    inner_read = store->Read([](Tx& t) { return t.GetState("outer").status(); });
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(inner_write.code(), Code::kInternal);
  EXPECT_EQ(inner_read.code(), Code::kInternal);
  st = store->Read([&](Tx&) {
    read_in_read = store->Read([](Tx&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(read_in_read.code(), Code::kInternal);
  // Another store on the same thread is fine.
  TempDir dir2;
  auto other = MustOpen({.path = dir2.File()});
  ASSERT_NE(other, nullptr);
  st = store->Write([&](Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(other->Write([](Tx& t) { return t.PutState("x", "1"); }));
    return tx.PutState("y", "1");
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  st = store->Read([](Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto outer, tx.GetState("outer"));
    XT_ASSIGN_OR_RETURN(auto inner, tx.GetState("inner"));
    EXPECT_EQ(outer, std::optional<std::string>("1"));
    EXPECT_EQ(inner, std::nullopt);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(SqliteStore, AnExceptionInAWriteRollsBackAndPropagates) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File()});
  ASSERT_NE(store, nullptr);
  EXPECT_THROW(
      (void)store->Write([](Tx& tx) -> Status {
        XT_RETURN_IF_ERROR(tx.PutState("k", "v"));
        throw std::runtime_error("bug");
      }),
      std::runtime_error);
  Status st = store->Write([](Tx& tx) { return tx.PutState("k2", "v"); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  st = store->Read([](Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto k, tx.GetState("k"));
    XT_ASSIGN_OR_RETURN(auto k2, tx.GetState("k2"));
    EXPECT_EQ(k, std::nullopt);
    EXPECT_EQ(k2, std::optional<std::string>("v"));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

// Not run by default: ./storage_sqlite_test --gtest_also_run_disabled_tests
//   --gtest_filter='*Throughput*'  prints durable writes/s and reads/s on this machine.
TEST(SqliteStore, DISABLED_Throughput) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File()});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([](Tx& tx) {
                    domain::Org o;
                    o.code = "xincheng";
                    return tx.InsertOrg(o).status();
                  })
                  .ok());
  using Clock = std::chrono::steady_clock;
  for (int threads : {1, 4}) {
    const int per_thread = 2000 / threads;
    auto start = Clock::now();
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          Status st = store->Write([&](Tx& tx) -> Status {
            XT_RETURN_IF_ERROR(tx.PutState("k" + std::to_string(t), std::to_string(i)));
            return tx.AppendAudit(Entry(i)).status();
          });
          if (!st.ok()) ADD_FAILURE() << st.ToString();
        }
      });
    }
    for (auto& th : ts) th.join();
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    printf("durable writes (%d threads): %.0f/s\n", threads, threads * per_thread / s);
  }
  for (int threads : {1, 2, 4}) {
    const int per_thread = 20000 / threads;
    auto start = Clock::now();
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&] {
        for (int i = 0; i < per_thread; ++i) {
          Status st = store->Read([](Tx& tx) { return tx.GetOrgByCode("xincheng").status(); });
          if (!st.ok()) ADD_FAILURE() << st.ToString();
        }
      });
    }
    for (auto& th : ts) th.join();
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    printf("reads (%d threads): %.0f/s\n", threads, threads * per_thread / s);
  }
  printf("DbSeconds: %.2f\n", store->DbSeconds());
}

}  // namespace
}  // namespace xietong::storage
