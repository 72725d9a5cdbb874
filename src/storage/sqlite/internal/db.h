// A tiny RAII layer over the sqlite3 C API: one connection (Db) with a cache of prepared
// statements keyed by SQL text, and a borrowed statement (Stmt) that binds, steps and reads
// columns and resets itself when it goes out of scope.
//
// Thread-compatible: a Db and its statements are used by one thread at a time (the store hands
// connections out under a mutex). Internal to storage/sqlite.
//
//   XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT name FROM orgs WHERE id = ?"));
//   st.Bind(1, id);
//   XT_ASSIGN_OR_RETURN(bool row, st.Step());
//   if (row) name = st.Text(0);
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "core/time.h"

namespace xietong::storage::sqlite {

// Maps a failed sqlite3 call to a Status: uniqueness violations to kAlreadyExists (field = the
// column), foreign key violations to kInvalidArgument (field "reference"), SQLITE_BUSY/LOCKED to
// kUnavailable, anything else to kInternal with the sqlite message. `rc` is the (extended) result
// code of the failed call.
core::Status ErrorStatus(sqlite3* db, int rc, std::string_view context);

// True for result codes that mean "another connection holds the lock; try again".
inline bool IsBusy(int rc) {
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

class Db;

// A prepared statement borrowed from a Db's cache. Move-only; resets the statement and clears
// its bindings on destruction so the cache can hand it out again.
class Stmt {
 public:
  // `in_use` is the cache entry's borrowed flag (cleared on destruction); nullptr for an
  // uncached statement, which is finalized on destruction instead.
  Stmt(Db* db, sqlite3_stmt* stmt, bool* in_use) : db_(db), stmt_(stmt), in_use_(in_use) {}
  Stmt(Stmt&& o) noexcept
      : db_(o.db_), stmt_(o.stmt_), in_use_(o.in_use_), bind_rc_(o.bind_rc_) {
    o.stmt_ = nullptr;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  // Binds parameter `i` (1-based). A bind error is reported by the next Step().
  void Bind(int i, int64_t v) { Check(sqlite3_bind_int64(stmt_, i, v)); }
  void Bind(int i, int v) { Check(sqlite3_bind_int64(stmt_, i, v)); }
  void Bind(int i, bool v) { Check(sqlite3_bind_int(stmt_, i, v ? 1 : 0)); }
  void Bind(int i, core::Instant t) { Bind(i, core::ToMillis(t)); }
  void Bind(int i, std::string_view s) {
    Check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
  }
  void Bind(int i, const std::string& s) { Bind(i, std::string_view(s)); }
  void Bind(int i, const char* s) { Bind(i, std::string_view(s)); }
  void BindNull(int i) { Check(sqlite3_bind_null(stmt_, i)); }
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (v) {
      Bind(i, *v);
    } else {
      BindNull(i);
    }
  }
  // Binds every argument in order, starting at parameter 1.
  template <typename... Args>
  void BindAll(const Args&... args) {
    int i = 0;
    (Bind(++i, args), ...);
  }

  // Runs one step: true when a row is available, false when done; errors mapped by ErrorStatus.
  core::Result<bool> Step();
  // Runs the statement to completion, ignoring rows.
  core::Status Run();

  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool Bool(int col) const { return sqlite3_column_int64(stmt_, col) != 0; }
  core::Instant Time(int col) const { return core::FromMillis(Int(col)); }
  std::string Text(int col) const;
  std::optional<int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }
  std::optional<core::Instant> OptTime(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Time(col);
  }

  sqlite3_stmt* raw() const { return stmt_; }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  Db* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
  int bind_rc_ = SQLITE_OK;
};

// One connection plus its statement cache. Not copyable.
class Db {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` (SQLITE_OPEN_NOMUTEX is added) and sets the busy
  // timeout and extended result codes. Errors: kInternal/kUnavailable with the sqlite message.
  static core::Result<std::unique_ptr<Db>> Open(const std::string& path, int flags,
                                                int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results (PRAGMAs, DDL, BEGIN/COMMIT).
  core::Status Exec(std::string_view sql);
  // Runs one statement without results through the statement cache (BEGIN, COMMIT …).
  core::Status Run(std::string_view sql);
  // The cached prepared statement for `sql`, preparing it on first use. When that statement is
  // already borrowed (a nested use of the same SQL), a fresh uncached one is returned.
  core::Result<Stmt> Prepare(std::string_view sql);
  // Runs a query returning one integer (e.g. "PRAGMA user_version"); nullopt when no row.
  core::Result<std::optional<int64_t>> QueryInt(std::string_view sql);
  // Runs a query returning one text value; nullopt when no row.
  core::Result<std::optional<std::string>> QueryText(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE, and the last inserted rowid.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // The result code of the last failed call on this connection that a caller saw (for retry
  // decisions); cleared by ClearLastError().
  int last_error() const { return last_error_; }
  void ClearLastError() { last_error_ = SQLITE_OK; }
  void NoteError(int rc) { last_error_ = rc; }

  sqlite3* raw() const { return db_; }
  size_t cached_statements() const { return cache_.size(); }

  // Fault injection (SqliteOptions::fault_countdown): the writer's counter, or null.
  void SetFaultCountdown(std::shared_ptr<std::atomic<int64_t>> c) { fault_countdown_ = std::move(c); }
  // True when this step must fail (counts the step down; never for a rollback).
  bool InjectFault(sqlite3_stmt* stmt);

 private:
  explicit Db(sqlite3* db) : db_(db) {}

  // Bound on the number of cached statements (dynamic filters produce a few hundred texts at
  // most; past this the cache is cleared rather than growing without limit).
  static constexpr size_t kMaxCachedStatements = 512;

  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    std::unique_ptr<bool> in_use = std::make_unique<bool>(false);  // stable address
  };

  sqlite3* db_;
  std::unordered_map<std::string, Entry> cache_;
  int last_error_ = SQLITE_OK;
  std::shared_ptr<std::atomic<int64_t>> fault_countdown_;
};

}  // namespace xietong::storage::sqlite
