// The PostgreSQL backend of storage::Store (for several server instances sharing one database).
//
// A pool of libpq connections (opened on demand, at most PgOptions::pool_size) serves both
// kinds of transaction; a Write or Read waits for a free connection.
//  - Write(): BEGIN ISOLATION LEVEL READ COMMITTED … COMMIT. Writers run concurrently; what
//    SQLite gets from its single writer the Tx gets from locks (see internal/tx.h): Get* by key
//    locks the row it returns, AppendAudit serialises on an advisory lock so the audit chain
//    stays gap-free and linear across instances, and the sweeper queries skip duties another
//    transaction holds (FOR UPDATE SKIP LOCKED). A statement that violates a constraint fails
//    alone (it runs in a savepoint) and the transaction stays usable. A deadlock or
//    serialization failure rolls back and re-runs fn (at most kMaxAttempts times in all), so fn
//    must be re-runnable; fn's own errors are never retried.
//  - Read(): BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY — one consistent snapshot that
//    neither blocks nor is blocked by writers.
// The schema is versioned (schema_migrations) and migrated by MigratePg or on open, under a
// session advisory lock so that instances starting together migrate one after another.
// Prepared statements are cached per connection. DbSeconds() adds up the wall time of every
// Write/Read.
//
// Thread-safety: the returned Store is thread-safe. A Write or Read must not be started from
// inside another Write/Read of the same store on the same thread (refused with kInternal).
//
//   XT_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
//                       storage::OpenPgStore({.dsn = "postgres://xietong@db:5432/xietong"}));
//   XT_RETURN_IF_ERROR(store->Write([&](storage::Tx& tx) -> core::Status { ... }));
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/store.h"

namespace xietong::storage {

struct PgOptions {
  // libpq connection string: "host=/run/postgresql dbname=xietong user=xietong" or a URI
  // "postgres://user@host:5432/db?sslmode=…". REQUIRES: not empty.
  std::string dsn;
  // Most connections the store opens (Write and Read share them); at least 1.
  int pool_size = 8;
  // Apply pending migrations on open. When false, an out-of-date database is refused with
  // kFailedPrecondition "schema_outdated" (run `xietong migrate`).
  bool apply_migrations = true;
};

// Connects to the database and returns a store over it.
// Errors: kInvalidArgument (field "dsn" or "pool_size") for bad options; kUnavailable when the
// server cannot be reached; kFailedPrecondition "schema_too_new" when the database was migrated
// by a newer binary, "schema_outdated" when apply_migrations is false and migrations are
// pending; kInternal when a migration fails.
core::Result<std::unique_ptr<Store>> OpenPgStore(const PgOptions& options);

// Applies the pending migrations, each in its own transaction, and returns the resulting schema
// version. Idempotent; safe to run from several processes at once (they wait for each other) and
// while servers use the database. Errors: as OpenPgStore ("schema_too_new" included).
core::Result<int> MigratePg(const std::string& dsn);

// The newest schema version this binary knows (the version a fully migrated database has).
int PgBinarySchemaVersion();

// --- Backup and restore, scheduled backups (issue 18) ---
// The schema version applied to the database at `dsn` (0 when it has none).
core::Result<int64_t> PgSchemaVersionAt(const std::string& dsn);
// Whether the database holds any table in schema public.
core::Result<bool> PgHasTables(const std::string& dsn);
// Drops everything in schema public (DROP SCHEMA public CASCADE; CREATE SCHEMA public): the
// forced restore's first step. Destroys data: only `xietong restore --force` calls it.
core::Status PgDropPublicSchema(const std::string& dsn);
// A session-level advisory lock held on its own connection for as long as the object lives
// (released when it is destroyed or the connection drops).
class PgSessionLock {
 public:
  virtual ~PgSessionLock() = default;
};
// Tries pg_try_advisory_lock(key) on a new connection: the lock, or nullptr when another
// session holds it. Errors: kUnavailable when the server cannot be reached.
core::Result<std::unique_ptr<PgSessionLock>> TryPgSessionLock(const std::string& dsn, int64_t key);

}  // namespace xietong::storage
