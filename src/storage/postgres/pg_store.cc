#include "storage/postgres/pg_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "storage/postgres/internal/migrations.h"
#include "storage/postgres/internal/pg.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage {

namespace postgres {
namespace {

using Clock = std::chrono::steady_clock;

// Write() attempts in all when the database reports a deadlock or serialization failure.
constexpr int kMaxAttempts = 6;

std::chrono::milliseconds Backoff(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  const int base = 5 << attempt;  // 10, 20, 40 … ms, jittered
  return std::chrono::milliseconds(base / 2 + static_cast<int>(rng() % static_cast<unsigned>(base)));
}

Status SchemaTooNew(int64_t db_version) {
  return Status::Precondition("schema_too_new", "数据库版本(" + std::to_string(db_version) +
                                                    ")高于本程序支持的版本(" +
                                                    std::to_string(PgBinarySchemaVersion()) +
                                                    ")，请升级到支持架构版本 " + std::to_string(db_version) +
                                                    " 的程序")
      .En("the database schema is version " + std::to_string(db_version) +
          ", newer than this program supports (" + std::to_string(PgBinarySchemaVersion()) +
          "); upgrade xietong to a release whose schema version is " + std::to_string(db_version) +
          " or later (xietong --version, `xietong migrate` prints it)");
}

Status SchemaOutdated() {
  return Status::Precondition("schema_outdated", "数据库需要迁移：请运行 xietong migrate")
      .En("the database needs migrating: run `xietong migrate`");
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The applied schema version: 0 for a database (schema) without schema_migrations.
Result<int64_t> SchemaVersion(Conn& c) {
  XT_ASSIGN_OR_RETURN(PgResult has,
                      c.ExecResult("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  if (!has.Bool(0, 0)) return int64_t{0};
  XT_ASSIGN_OR_RETURN(PgResult v,
                      c.ExecResult("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return v.Int(0, 0);
}

// Applies pending migrations one transaction each, holding the migration advisory lock for the
// whole run; returns the version reached.
Result<int> ApplyMigrations(Conn& c) {
  const int binary = PgBinarySchemaVersion();
  XT_RETURN_IF_ERROR(c.Query("SELECT pg_advisory_lock($1)", Params(kMigrationLockKey)).status());
  struct Unlock {
    Conn& c;
    ~Unlock() {
      if (PQtransactionStatus(c.raw()) != PQTRANS_IDLE) (void)c.Exec("ROLLBACK");
      (void)c.Query("SELECT pg_advisory_unlock($1)", Params(kMigrationLockKey));
    }
  } unlock{c};
  while (true) {
    XT_ASSIGN_OR_RETURN(int64_t current, SchemaVersion(c));
    if (current > binary) return SchemaTooNew(current);
    if (current == binary) return binary;
    const Migration& m = Migrations().at(static_cast<size_t>(current));  // version current+1
    XT_RETURN_IF_ERROR(c.Exec("BEGIN"));
    XT_RETURN_IF_ERROR(c.Exec(m.sql));
    XT_RETURN_IF_ERROR(
        c.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
               "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"));
    XT_RETURN_IF_ERROR(
        c.Query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                Params(m.version, NowMillis()))
            .status());
    XT_RETURN_IF_ERROR(c.Exec("COMMIT"));
  }
}

Status ValidateDsn(const std::string& dsn) {
  if (dsn.empty()) return Status::Invalid("dsn", "未指定 PostgreSQL 连接串");
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

class PgStore final : public Store {
 public:
  PgStore(std::string dsn, int pool_size, int version, std::unique_ptr<Conn> first)
      : dsn_(std::move(dsn)), pool_size_(pool_size), version_(version) {
    free_.push_back(std::move(first));
    open_ = 1;
  }

  Status Write(const std::function<Status(Tx&)>& fn) override {
    const auto start = Clock::now();
    struct Timer {
      PgStore* s;
      Clock::time_point start;
      ~Timer() { s->AddTime(start); }
    } timer{this, start};
    return DoWrite(fn);
  }

  Status Read(const std::function<Status(Tx&)>& fn) override {
    const auto start = Clock::now();
    struct Timer {
      PgStore* s;
      Clock::time_point start;
      ~Timer() { s->AddTime(start); }
    } timer{this, start};
    return DoRead(fn);
  }

  StoreInfo Info() const override {
    return StoreInfo{.backend = "postgres",
                     .schema_version = version_,
                     .binary_schema_version = PgBinarySchemaVersion()};
  }

  double DbSeconds() const override { return static_cast<double>(db_nanos_.load()) * 1e-9; }

 private:
  // A pooled connection, returned on destruction (closed instead when it is not idle and
  // healthy, e.g. after a lost connection or an exception in the middle of a transaction).
  class Lease {
   public:
    Lease(PgStore* store, std::unique_ptr<Conn> conn) : store_(store), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : store_(o.store_), conn_(std::move(o.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) store_->Release(std::move(conn_));
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }
    // Closes the connection instead of returning it.
    void Discard() {
      conn_.reset();
      store_->Forget();
    }

   private:
    PgStore* store_;
    std::unique_ptr<Conn> conn_;
  };

  Result<Lease> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty() || open_ < pool_size_; });
    if (!free_.empty()) {
      std::unique_ptr<Conn> c = std::move(free_.back());
      free_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;
    lock.unlock();
    auto opened = Conn::Open(dsn_);
    if (!opened.ok()) {
      Forget();
      return opened.status();
    }
    return Lease(this, std::move(opened).value());
  }

  void Release(std::unique_ptr<Conn> c) {
    if (!c->Healthy()) {
      c.reset();
      Forget();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  void Forget() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    cv_.notify_one();
  }

  Status Nested() const {
    if (tls_active_store == this) {
      return Status::Internal("不能在事务内再开启同一数据库的事务（嵌套的 Write/Read）");
    }
    return Status::Ok();
  }

  // Takes a connection and begins a transaction with `begin`. A pooled connection that turns
  // out to be dead (server restarted) is replaced once.
  Result<Lease> Begin(const char* begin) {
    for (int attempt = 0;; ++attempt) {
      XT_ASSIGN_OR_RETURN(Lease lease, Acquire());
      lease->ClearLastError();
      Status s = lease->Exec(begin);
      if (s.ok()) return lease;
      const bool dead = PQstatus(lease->raw()) != CONNECTION_OK;
      lease.Discard();
      if (!dead || attempt >= 1) return s;
    }
  }

  Status DoWrite(const std::function<Status(Tx&)>& fn) {
    XT_RETURN_IF_ERROR(Nested());
    ActiveScope active(this);
    for (int attempt = 1;; ++attempt) {
      XT_ASSIGN_OR_RETURN(Lease conn, Begin("BEGIN ISOLATION LEVEL READ COMMITTED"));
      Status s;
      {
        PgTx tx(*conn, /*read_only=*/false);
        try {
          s = fn(tx);
          // The queued audit entries last: the chain's lock is then held only for them and
          // the COMMIT.
          if (s.ok()) s = tx.FlushAudit();
        } catch (...) {
          (void)conn->Exec("ROLLBACK");
          throw;
        }
      }
      if (s.ok()) {
        auto done = conn->ExecResult("COMMIT");
        if (!done.ok()) {
          s = done.status();
        } else if (std::strcmp(PQcmdStatus(done->raw()), "COMMIT") != 0) {
          // A statement failed and fn went on regardless: the server rolled everything back.
          // Report that statement's error (a deadlock is retried below).
          s = conn->aborted_by() ? *conn->aborted_by()
                                 : Status::Internal("事务中有语句失败，数据库已回滚整个事务");
        } else {
          return s;
        }
      } else {
        (void)conn->Exec("ROLLBACK");
      }
      // Also when fn swallowed the deadlock and failed (or committed nothing) on what followed.
      const bool retry = conn->LastErrorRetryable();
      if (!retry || attempt >= kMaxAttempts) return s;
      std::this_thread::sleep_for(Backoff(attempt));
    }
  }

  Status DoRead(const std::function<Status(Tx&)>& fn) {
    XT_RETURN_IF_ERROR(Nested());
    ActiveScope active(this);
    XT_ASSIGN_OR_RETURN(Lease conn, Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    Status s;
    {
      PgTx tx(*conn, /*read_only=*/true);
      try {
        s = fn(tx);
      } catch (...) {
        (void)conn->Exec("ROLLBACK");
        throw;
      }
    }
    Status end = conn->Exec("ROLLBACK");  // read-only: nothing to keep
    return s.ok() ? end : s;
  }

  void AddTime(Clock::time_point start) {
    db_nanos_.fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
  }

  const std::string dsn_;
  const int pool_size_;
  const int version_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> free_;  // guarded by mu_
  int open_ = 0;                             // connections open (free or leased); mu_
  std::atomic<int64_t> db_nanos_{0};
};

}  // namespace
}  // namespace postgres

int PgBinarySchemaVersion() { return postgres::Migrations().back().version; }

core::Result<int> MigratePg(const std::string& dsn) {
  XT_RETURN_IF_ERROR(postgres::ValidateDsn(dsn));
  XT_ASSIGN_OR_RETURN(std::unique_ptr<postgres::Conn> conn, postgres::Conn::Open(dsn));
  return postgres::ApplyMigrations(*conn);
}

core::Result<std::unique_ptr<Store>> OpenPgStore(const PgOptions& options) {
  XT_RETURN_IF_ERROR(postgres::ValidateDsn(options.dsn));
  if (options.pool_size < 1) return Status::Invalid("pool_size", "连接池大小至少为 1");
  XT_ASSIGN_OR_RETURN(std::unique_ptr<postgres::Conn> conn, postgres::Conn::Open(options.dsn));
  int version = 0;
  if (options.apply_migrations) {
    XT_ASSIGN_OR_RETURN(version, postgres::ApplyMigrations(*conn));
  } else {
    XT_ASSIGN_OR_RETURN(int64_t current, postgres::SchemaVersion(*conn));
    if (current > PgBinarySchemaVersion()) return postgres::SchemaTooNew(current);
    if (current < PgBinarySchemaVersion()) return postgres::SchemaOutdated();
    version = static_cast<int>(current);
  }
  return std::unique_ptr<Store>(
      new postgres::PgStore(options.dsn, options.pool_size, version, std::move(conn)));
}

// --- Backup and restore, scheduled backups (issue 18) ---

core::Result<int64_t> PgSchemaVersionAt(const std::string& dsn) {
  XT_RETURN_IF_ERROR(postgres::ValidateDsn(dsn));
  XT_ASSIGN_OR_RETURN(std::unique_ptr<postgres::Conn> conn, postgres::Conn::Open(dsn));
  return postgres::SchemaVersion(*conn);
}

core::Result<bool> PgHasTables(const std::string& dsn) {
  XT_RETURN_IF_ERROR(postgres::ValidateDsn(dsn));
  XT_ASSIGN_OR_RETURN(std::unique_ptr<postgres::Conn> conn, postgres::Conn::Open(dsn));
  XT_ASSIGN_OR_RETURN(postgres::PgResult r,
                      conn->ExecResult("SELECT COUNT(*) FROM pg_catalog.pg_tables "
                                       "WHERE schemaname = 'public'"));
  return r.rows() > 0 && r.Int(0, 0) > 0;
}

core::Status PgDropPublicSchema(const std::string& dsn) {
  XT_RETURN_IF_ERROR(postgres::ValidateDsn(dsn));
  XT_ASSIGN_OR_RETURN(std::unique_ptr<postgres::Conn> conn, postgres::Conn::Open(dsn));
  return conn->Exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
}

namespace {
class HeldPgLock final : public PgSessionLock {
 public:
  explicit HeldPgLock(std::unique_ptr<postgres::Conn> conn) : conn_(std::move(conn)) {}

 private:
  std::unique_ptr<postgres::Conn> conn_;  // closing it releases the lock
};
}  // namespace

core::Result<std::unique_ptr<PgSessionLock>> TryPgSessionLock(const std::string& dsn, int64_t key) {
  XT_RETURN_IF_ERROR(postgres::ValidateDsn(dsn));
  XT_ASSIGN_OR_RETURN(std::unique_ptr<postgres::Conn> conn, postgres::Conn::Open(dsn));
  XT_ASSIGN_OR_RETURN(postgres::PgResult r,
                      conn->Query("SELECT pg_try_advisory_lock($1)", postgres::Params(key)));
  if (r.rows() == 0 || !r.Bool(0, 0)) return std::unique_ptr<PgSessionLock>();
  return std::unique_ptr<PgSessionLock>(new HeldPgLock(std::move(conn)));
}

}  // namespace xietong::storage
