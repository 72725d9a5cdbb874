// A tiny RAII layer over libpq for the PostgreSQL backend. Internal to storage/postgres.
//
//  - Conn: one connection. Query() runs a parameterised statement that is prepared once per
//    connection (named "xt<N>", cached by its SQL text) and then executed by name; Exec() runs
//    plain SQL text (several statements allowed, no parameters).
//  - Params: the values of $1, $2 … in text format with explicit types (int8, bool, text, int8[];
//    bytea in binary format), so the server never has to guess a type.
//  - PgResult: owns a PGresult; typed accessors by row and column.
//  - Errors are mapped once (ErrorStatus): unique violation → kAlreadyExists with the column
//    taken from the constraint name, foreign key → kInvalidArgument "reference"/"foreign_key",
//    serialization failure / deadlock → kUnavailable "transaction_conflict" (retryable), lost connection → kUnavailable,
//    anything else → kInternal.
//
// Thread-compatibility: a Conn is used by one thread at a time (the store's pool hands it out).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace xietong::storage::postgres {

// Raw bytes bound as bytea (binary parameter format).
struct Bytea {
  std::string_view bytes;
};

// An int8[] parameter ("{1,2,3}").
struct Int8Array {
  const std::vector<int64_t>* values;
};

// An int8[] parameter whose elements may be NULL ("{1,NULL,3}").
struct OptInt8Array {
  const std::vector<std::optional<int64_t>>* values;
};

// A text[] parameter (each element quoted and escaped: any text, including "" and "NULL").
struct TextArray {
  const std::vector<std::string>* values;
};

class Params {
 public:
  Params() = default;
  template <typename... Ts>
  explicit Params(const Ts&... vs) {
    (Add(vs), ...);
  }

  Params& Add(int64_t v);
  Params& Add(int v) { return Add(static_cast<int64_t>(v)); }
  Params& Add(bool v);
  Params& Add(std::string_view v);
  Params& Add(const std::string& v) { return Add(std::string_view(v)); }
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& Add(core::Instant v) { return Add(core::ToMillis(v)); }
  Params& Add(core::CivilDay v) { return Add(static_cast<int64_t>(v.time_since_epoch().count())); }
  Params& Add(Bytea v);
  Params& Add(Int8Array v);
  Params& Add(OptInt8Array v);
  Params& Add(TextArray v);
  template <typename T>
  Params& Add(const std::optional<T>& v) {
    if (v) return Add(*v);
    return AddNull(TypeOf(static_cast<const T*>(nullptr)));
  }

  int size() const { return static_cast<int>(values_.size()); }
  const std::vector<Oid>& types() const { return types_; }
  // Pointers into this object for PQexecPrepared; valid while it lives unchanged.
  std::vector<const char*> values() const;
  const std::vector<int>& lengths() const { return lengths_; }
  const std::vector<int>& formats() const { return formats_; }

 private:
  static Oid TypeOf(const int64_t*) { return 20; }
  static Oid TypeOf(const int*) { return 20; }
  static Oid TypeOf(const bool*) { return 16; }
  static Oid TypeOf(const std::string*) { return 25; }
  static Oid TypeOf(const core::Instant*) { return 20; }
  static Oid TypeOf(const core::CivilDay*) { return 20; }
  Params& Push(Oid type, std::optional<std::string> value, int format = 0);
  Params& AddNull(Oid type) { return Push(type, std::nullopt); }

  std::vector<Oid> types_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r) {}

  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t affected() const;
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string Text(int row, int col) const;
  int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const;
  core::Instant Time(int row, int col) const { return core::FromMillis(Int(row, col)); }
  core::CivilDay Day(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const;
  std::optional<core::Instant> OptTime(int row, int col) const;
  // A bytea column (text format, hex encoded by the server) decoded to raw bytes.
  std::string Bytes(int row, int col) const;
  PGresult* raw() const { return r_.get(); }

 private:
  struct Clear {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Clear> r_;
};

// The SQLSTATEs the store reacts to.
inline constexpr char kSerializationFailure[] = "40001";
inline constexpr char kDeadlockDetected[] = "40P01";
inline constexpr char kInFailedTransaction[] = "25P02";

class Conn {
 public:
  // Connects (dsn: "key=value …" or a postgres:// URI, passed to libpq unchanged).
  // Errors: kUnavailable when the server cannot be reached or refuses the connection.
  static core::Result<std::unique_ptr<Conn>> Open(const std::string& dsn);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Plain SQL text, no parameters; several statements allowed.
  core::Status Exec(std::string_view sql);
  // Plain SQL returning the result (e.g. "COMMIT", whose command tag says whether it committed).
  core::Result<PgResult> ExecResult(std::string_view sql);
  // A prepared, parameterised statement (prepared on first use on this connection).
  core::Result<PgResult> Query(const std::string& sql, const Params& params);
  // As Query, but inside a savepoint sent in the same round trip (pipeline mode), so that a
  // failing statement (a uniqueness violation …) leaves the surrounding transaction usable, as
  // statement failures do in SQLite. For statements that may violate a constraint.
  core::Result<PgResult> QueryGuarded(const std::string& sql, const Params& params);

  // True when the connection is up and idle outside a transaction (safe to hand out).
  bool Healthy() const;
  // The SQLSTATE of the last failed statement ("" when none since ClearLastError), except that
  // the 25P02 of statements after a deadlock or serialization failure keeps that first state:
  // a transaction whose caller swallowed such an error is still known to be retryable.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  void ClearLastError() {
    last_sqlstate_.clear();
    aborted_by_.reset();
  }
  // The error of the statement that aborted the current transaction (a failed statement outside
  // QueryGuarded, or one whose savepoint could not be rolled back), if any since ClearLastError.
  // Every later statement of that transaction fails with this same status instead of 25P02
  // "current transaction is aborted": a caller that swallowed the first failure (a read whose
  // error it ignored …) then fails with the real cause, and DoWrite/HTTP treat it as such (a
  // deadlock stays a retryable transaction_conflict).
  const std::optional<core::Status>& aborted_by() const { return aborted_by_; }
  // Forgets aborted_by() after a ROLLBACK TO SAVEPOINT made the transaction usable again
  // (last_sqlstate() is kept: a deadlock inside the undone unit still makes it retryable).
  void ClearAborted() { aborted_by_.reset(); }
  bool LastErrorRetryable() const {
    return last_sqlstate_ == kSerializationFailure || last_sqlstate_ == kDeadlockDetected;
  }
  size_t prepared_statements() const { return prepared_.size(); }
  PGconn* raw() const { return conn_; }

 private:
  explicit Conn(PGconn* c) : conn_(c) {}
  // The name of the prepared statement for `sql`, preparing it when new.
  core::Result<const std::string*> Prepared(const std::string& sql, const Params& params);
  // Maps a failed result (or a connection failure when r is null) to a Status.
  core::Status Fail(const PGresult* r, std::string_view context);
  // The status for a failure with SQLSTATE `state` and message `msg` (see the file comment).
  core::Status Classify(const PGresult* r, const std::string& state, const std::string& msg,
                        std::string_view context);

  static constexpr size_t kMaxPrepared = 1000;

  PGconn* conn_;
  uint64_t statement_counter_ = 0;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::string last_sqlstate_;
  std::optional<core::Status> aborted_by_;
};

// "%" "_" and "\" escaped for LIKE … ESCAPE '\'.
std::string EscapeLike(std::string_view text);
// R-ACC-2: the condition "`col` is the id of an org in the region subtree", with one argument:
// RegionLike(prefix).
#define XT_PG_ORG_IN_REGION(col) col " IN (SELECT id FROM orgs WHERE region_code LIKE ?)"
inline std::string RegionLike(std::string_view prefix) { return EscapeLike(prefix) + "%"; }

// The field reported for a violated unique constraint named `constraint` on `table`. Convention
// of our migrations: constraints are named "<table>_<column>_key" (PostgreSQL's default for a
// one-column UNIQUE; multi-column keys are named after the column to report). Falls back to the
// last column in `detail` ("Key (a, b)=(…) already exists.").
std::string UniqueField(std::string_view table, std::string_view constraint,
                        std::string_view detail);

}  // namespace xietong::storage::postgres
