#include "storage/sqlite/sqlite_store.h"

#include <filesystem>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/sqlite/internal/db.h"
#include "storage/sqlite/internal/migrations.h"
#include "storage/sqlite/internal/tx.h"

namespace xietong::storage {

namespace sqlite {
namespace {

using Clock = std::chrono::steady_clock;

// Write()/Read() retries after SQLITE_BUSY (on top of the connection's busy timeout).
constexpr int kMaxBusyRetries = 6;
std::chrono::milliseconds Backoff(int attempt) { return std::chrono::milliseconds(10 << attempt); }

Status SchemaTooNew(int64_t db_version) {
  return Status::Precondition("schema_too_new", "数据库版本(" + std::to_string(db_version) +
                                                    ")高于本程序支持的版本(" +
                                                    std::to_string(SqliteBinarySchemaVersion()) +
                                                    ")，请升级到支持架构版本 " + std::to_string(db_version) +
                                                    " 的程序")
      .En("the database schema is version " + std::to_string(db_version) +
          ", newer than this program supports (" + std::to_string(SqliteBinarySchemaVersion()) +
          "); upgrade xietong to a release whose schema version is " + std::to_string(db_version) +
          " or later (xietong --version, `xietong migrate` prints it)");
}

// The applied schema version: 0 for a database without schema_migrations.
Result<int64_t> SchemaVersion(Db& db) {
  XT_ASSIGN_OR_RETURN(std::optional<int64_t> has,
                      db.QueryInt("SELECT COUNT(*) FROM sqlite_master "
                                  "WHERE type = 'table' AND name = 'schema_migrations'"));
  if (!has || *has == 0) return int64_t{0};
  XT_ASSIGN_OR_RETURN(std::optional<int64_t> v,
                      db.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return v.value_or(0);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Runs BEGIN IMMEDIATE, retrying SQLITE_BUSY with backoff.
Status BeginImmediate(Db& db) {
  for (int attempt = 0;; ++attempt) {
    db.ClearLastError();
    Status s = db.Run("BEGIN IMMEDIATE");
    if (s.ok() || !IsBusy(db.last_error()) || attempt >= kMaxBusyRetries) return s;
    std::this_thread::sleep_for(Backoff(attempt));
  }
}

// Applies pending migrations one transaction each; returns the version reached.
Result<int> ApplyMigrations(Db& db) {
  const int binary = SqliteBinarySchemaVersion();
  while (true) {
    XT_RETURN_IF_ERROR(BeginImmediate(db));
    auto step = [&]() -> Result<int> {
      XT_ASSIGN_OR_RETURN(int64_t current, SchemaVersion(db));
      if (current > binary) return SchemaTooNew(current);
      if (current == binary) return static_cast<int>(current);
      const Migration& m = Migrations().at(static_cast<size_t>(current));  // version current+1
      XT_RETURN_IF_ERROR(db.Exec(m.sql));
      XT_RETURN_IF_ERROR(
          db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                  "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
      XT_ASSIGN_OR_RETURN(
          Stmt st, db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
      st.BindAll(m.version, NowMillis());
      XT_RETURN_IF_ERROR(st.Run());
      return m.version;
    };
    Result<int> r = step();
    if (!r.ok()) {
      if (db.InTransaction()) (void)db.Exec("ROLLBACK");
      return r.status();
    }
    XT_RETURN_IF_ERROR(db.Exec("COMMIT"));
    if (*r == binary) return binary;
  }
}

// Opens the read-write connection: WAL, foreign keys, durability.
Result<std::unique_ptr<Db>> OpenWriter(const std::string& path, int busy_timeout_ms,
                                       bool synchronous_full) {
  XT_ASSIGN_OR_RETURN(std::unique_ptr<Db> db,
                      Db::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms));
  XT_ASSIGN_OR_RETURN(std::optional<std::string> mode, db->QueryText("PRAGMA journal_mode=WAL"));
  if (!mode || *mode != "wal") {
    return Status::Internal("无法将数据库设为 WAL 模式: " + path + " (" + mode.value_or("?") + ")");
  }
  XT_RETURN_IF_ERROR(db->Exec(synchronous_full ? "PRAGMA synchronous=FULL"
                                               : "PRAGMA synchronous=NORMAL"));
  XT_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  return db;
}

// PRAGMA cache_size in KiB (a negative value), for options.cache_mib.
std::string CacheSizePragma(int cache_mib) {
  return "PRAGMA cache_size=-" + std::to_string(int64_t{cache_mib} * 1024);
}

Status ValidatePath(const std::string& path) {
  if (path.empty()) return Status::Invalid("path", "未指定 SQLite 数据库文件");
  if (path == ":memory:" || path.rfind("file::memory:", 0) == 0 || path.rfind("file:", 0) == 0) {
    return Status::Invalid("path", "SQLite 数据库必须是普通文件路径：" + path);
  }
  return Status::Ok();
}

// Marks the store whose transaction runs on this thread (nested transactions are refused).
thread_local const void* tls_active_store = nullptr;

class ActiveScope {
 public:
  explicit ActiveScope(const void* store) : previous_(tls_active_store) {
    tls_active_store = store;
  }
  ~ActiveScope() { tls_active_store = previous_; }
  ActiveScope(const ActiveScope&) = delete;
  ActiveScope& operator=(const ActiveScope&) = delete;

 private:
  const void* previous_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> writer, std::vector<std::unique_ptr<Db>> readers, int version)
      : writer_(std::move(writer)), readers_(std::move(readers)), version_(version) {
    for (auto& r : readers_) free_readers_.push_back(r.get());
  }

  Status Write(const std::function<Status(Tx&)>& fn) override {
    const auto start = Clock::now();
    Status s = DoWrite(fn);
    AddTime(start);
    return s;
  }

  Status Read(const std::function<Status(Tx&)>& fn) override {
    const auto start = Clock::now();
    Status s = DoRead(fn);
    AddTime(start);
    return s;
  }

  StoreInfo Info() const override {
    return StoreInfo{.backend = "sqlite",
                     .schema_version = version_,
                     .binary_schema_version = SqliteBinarySchemaVersion()};
  }

  double DbSeconds() const override { return static_cast<double>(db_nanos_.load()) * 1e-9; }

 private:
  Status Nested() const {
    if (tls_active_store == this) {
      return Status::Internal("不能在事务内再开启同一数据库的事务（嵌套的 Write/Read）");
    }
    return Status::Ok();
  }

  // Group commit. Writers take the writer connection in turn under write_mu_. The first one
  // begins a transaction; each runs its fn (the first directly, later ones inside a savepoint,
  // so a failing fn undoes only its own work). A writer that finds others queued behind it
  // leaves the transaction open for them and waits for its generation to commit; the last one
  // (or the kMaxGroup-th) commits for all. One durable COMMIT (one fsync) thus serves every
  // writer that arrived while the previous commit was being synced. Each fn runs on its
  // caller's thread; Write returns only after the commit holding its work is durable.
  Status DoWrite(const std::function<Status(Tx&)>& fn) {
    XT_RETURN_IF_ERROR(Nested());
    ActiveScope active(this);
    std::exception_ptr thrown;
    Status s = WriteInGroup(fn, thrown);
    if (thrown) std::rethrow_exception(thrown);
    return s;
  }

  Status WriteInGroup(const std::function<Status(Tx&)>& fn, std::exception_ptr& thrown) {
    queued_writers_.fetch_add(1);
    std::unique_lock<std::mutex> lock(write_mu_);
    queued_writers_.fetch_sub(1);
    Db& db = *writer_;
    if (!tx_open_) {
      XT_RETURN_IF_ERROR(BeginImmediate(db));
      tx_open_ = true;
      ++tx_generation_;
      tx_members_ = 0;
    }
    const bool first = tx_members_ == 0;
    if (!first) {
      Status sp = db.Run("SAVEPOINT xt_write");
      if (!sp.ok()) return AbortGroup(db, sp);
    }
    db.ClearLastError();
    Status s;
    {
      SqliteTx tx(db, /*read_only=*/false);
      try {
        s = fn(tx);
      } catch (...) {
        thrown = std::current_exception();
        s = Status::Internal("写事务函数抛出了异常");
      }
    }
    if (!db.InTransaction()) {  // SQLite rolled the whole transaction back (I/O error, full disk …)
      return AbortGroup(db, s.ok() ? ErrorStatus(db.raw(), db.last_error(), "transaction aborted")
                                   : s);
    }
    if (first && !s.ok()) {  // nobody else's work is in the transaction
      tx_open_ = false;
      (void)db.Run("ROLLBACK");
      return s;
    }
    if (!first) {
      Status end = s.ok() ? Status::Ok() : db.Run("ROLLBACK TO xt_write");
      if (end.ok()) end = db.Run("RELEASE xt_write");
      if (!end.ok()) return AbortGroup(db, end);
    }
    if (s.ok()) ++tx_members_;
    if (queued_writers_.load() > 0 && tx_members_ < kMaxGroup) {
      if (!s.ok()) return s;  // the writers behind us commit the others' work
      const uint64_t generation = tx_generation_;
      std::unique_lock<std::mutex> done_lock(done_mu_);
      Outcome& outcome = outcomes_[generation];
      ++outcome.waiters;
      lock.unlock();
      done_cv_.wait(done_lock, [&] { return outcome.done; });
      Status result = outcome.status;
      if (--outcome.waiters == 0) outcomes_.erase(generation);
      return result;
    }
    Status committed = Commit(db);
    tx_open_ = false;
    Finish(tx_generation_, committed);
    return s.ok() ? committed : s;
  }

  // COMMIT (retrying SQLITE_BUSY); on failure the transaction is rolled back.
  Status Commit(Db& db) {
    for (int attempt = 0;; ++attempt) {
      db.ClearLastError();
      Status s = db.Run("COMMIT");
      if (s.ok()) return s;
      if (!IsBusy(db.last_error()) || attempt >= kMaxBusyRetries) {
        if (db.InTransaction()) (void)db.Run("ROLLBACK");
        return s;
      }
      std::this_thread::sleep_for(Backoff(attempt));
    }
  }

  // Ends the open transaction with an error for every writer waiting on it.
  Status AbortGroup(Db& db, Status why) {
    if (db.InTransaction()) (void)db.Run("ROLLBACK");
    tx_open_ = false;
    Finish(tx_generation_, why);
    return why;
  }

  // Wakes the writers waiting for `generation` with its outcome.
  void Finish(uint64_t generation, const Status& status) {
    {
      std::lock_guard<std::mutex> done_lock(done_mu_);
      auto it = outcomes_.find(generation);
      if (it == outcomes_.end()) return;  // nobody waits
      it->second.done = true;
      it->second.status = status;
    }
    done_cv_.notify_all();
  }

  Status DoRead(const std::function<Status(Tx&)>& fn) {
    XT_RETURN_IF_ERROR(Nested());
    ActiveScope active(this);
    Db* db = AcquireReader();
    struct Release {
      SqliteStore* store;
      Db* db;
      ~Release() { store->ReleaseReader(db); }
    } release{this, db};
    for (int attempt = 0;; ++attempt) {
      db->ClearLastError();
      Status s = db->Run("BEGIN");
      if (s.ok()) {
        SqliteTx tx(*db, /*read_only=*/true);
        s = fn(tx);
        if (db->InTransaction()) {
          Status end = db->Run("ROLLBACK");  // read-only: nothing to keep
          if (s.ok()) s = end;
        }
        if (s.ok()) return s;
      }
      const bool busy = s.code() == core::Code::kUnavailable && IsBusy(db->last_error());
      if (!busy || attempt >= kMaxBusyRetries) return s;
      std::this_thread::sleep_for(Backoff(attempt));
    }
  }

  Db* AcquireReader() {
    std::unique_lock<std::mutex> lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !free_readers_.empty(); });
    Db* db = free_readers_.back();
    free_readers_.pop_back();
    return db;
  }

  void ReleaseReader(Db* db) {
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      free_readers_.push_back(db);
    }
    pool_cv_.notify_one();
  }

  void AddTime(Clock::time_point start) {
    db_nanos_.fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count(),
        std::memory_order_relaxed);
  }

  // Writers currently queued for write_mu_ (they will join the open transaction).
  static constexpr int kMaxGroup = 64;  // writers per group commit, at most
  std::atomic<int> queued_writers_{0};
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;  // guarded by write_mu_, like the four below
  bool tx_open_ = false;        // a group transaction is open on writer_
  uint64_t tx_generation_ = 0;  // numbers group transactions
  int tx_members_ = 0;          // writers whose work is in the open transaction

  struct Outcome {
    bool done = false;
    Status status;
    int waiters = 0;
  };
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  std::map<uint64_t, Outcome> outcomes_;  // guarded by done_mu_

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Db>> readers_;
  std::vector<Db*> free_readers_;  // guarded by pool_mu_

  const int version_;
  std::atomic<int64_t> db_nanos_{0};
};

}  // namespace
}  // namespace sqlite

int SqliteBinarySchemaVersion() { return sqlite::Migrations().back().version; }

core::Result<int> MigrateSqlite(const std::string& path) {
  XT_RETURN_IF_ERROR(sqlite::ValidatePath(path));
  XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                      sqlite::OpenWriter(path, /*busy_timeout_ms=*/5000, /*synchronous_full=*/true));
  return sqlite::ApplyMigrations(*db);
}

core::Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  XT_RETURN_IF_ERROR(sqlite::ValidatePath(options.path));
  if (options.read_connections < 1) {
    return Status::Invalid("read_connections", "读连接数至少为 1");
  }
  if (options.busy_timeout_ms < 0) {
    return Status::Invalid("busy_timeout_ms", "忙等待时间不能为负数");
  }
  if (options.cache_mib < 1) {
    return Status::Invalid("cache_mib", "页缓存至少为 1 MiB");
  }
  if (!sqlite3_threadsafe()) {
    return Status::Internal("SQLite 库未以线程安全方式编译");
  }
  XT_ASSIGN_OR_RETURN(
      std::unique_ptr<sqlite::Db> writer,
      sqlite::OpenWriter(options.path, options.busy_timeout_ms, options.synchronous_full));
  XT_RETURN_IF_ERROR(writer->Exec(sqlite::CacheSizePragma(options.cache_mib)));
  int version = 0;
  if (options.apply_migrations) {
    XT_ASSIGN_OR_RETURN(version, sqlite::ApplyMigrations(*writer));
  } else {
    XT_ASSIGN_OR_RETURN(int64_t current, sqlite::SchemaVersion(*writer));
    if (current > SqliteBinarySchemaVersion()) return sqlite::SchemaTooNew(current);
    if (current < SqliteBinarySchemaVersion()) {
      return Status::Precondition("schema_outdated", "数据库需要迁移：请运行 xietong migrate")
          .En("the database needs migrating: run `xietong migrate`");
    }
    version = static_cast<int>(current);
  }
  writer->SetFaultCountdown(options.fault_countdown);  // after the migrations
  std::vector<std::unique_ptr<sqlite::Db>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> r,
                        sqlite::Db::Open(options.path, SQLITE_OPEN_READWRITE,
                                         options.busy_timeout_ms));
    XT_RETURN_IF_ERROR(r->Exec("PRAGMA query_only=1"));
    XT_RETURN_IF_ERROR(r->Exec(sqlite::CacheSizePragma(options.cache_mib)));
    readers.push_back(std::move(r));
  }
  return std::unique_ptr<Store>(
      new sqlite::SqliteStore(std::move(writer), std::move(readers), version));
}

// --- Backup and restore (issue 18) ---

namespace {
std::string SqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}
}  // namespace

Status BackupSqlite(const std::string& src_path, const std::string& dest_path) {
  if (std::filesystem::exists(dest_path))
    return Status::Invalid("to", "备份目标已存在：" + dest_path);
  if (!std::filesystem::exists(src_path))
    return Status::Invalid("db", "数据库文件不存在：" + src_path);
  XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                      sqlite::Db::Open(src_path, SQLITE_OPEN_READWRITE, /*busy_timeout_ms=*/30000));
  Status st = db->Exec("VACUUM INTO " + SqlQuote(dest_path));
  if (!st.ok()) return Status::Internal("备份失败 backup failed: " + st.message());
  return Status::Ok();
}

Status CheckSqliteIntegrity(const std::string& path) {
  if (!std::filesystem::exists(path)) return Status::Invalid("db", "数据库文件不存在：" + path);
  XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                      sqlite::Db::Open(path, SQLITE_OPEN_READONLY, /*busy_timeout_ms=*/30000));
  XT_ASSIGN_OR_RETURN(std::optional<std::string> r, db->QueryText("PRAGMA integrity_check"));
  if (!r || *r != "ok") {
    return Status::Precondition("integrity_check_failed",
                                "数据库完整性检查未通过：" + r.value_or("?"))
        .En("PRAGMA integrity_check failed: " + r.value_or("?"));
  }
  return Status::Ok();
}

Result<int64_t> SqliteSchemaVersionAt(const std::string& path) {
  if (!std::filesystem::exists(path)) return int64_t{0};
  XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                      sqlite::Db::Open(path, SQLITE_OPEN_READONLY, /*busy_timeout_ms=*/30000));
  return sqlite::SchemaVersion(*db);
}

Result<bool> SqliteHasTables(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) return false;
  XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                      sqlite::Db::Open(path, SQLITE_OPEN_READONLY, /*busy_timeout_ms=*/30000));
  XT_ASSIGN_OR_RETURN(std::optional<int64_t> n,
                      db->QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
  return n.value_or(0) > 0;
}

}  // namespace xietong::storage
