// The SQLite backend of storage::Store (the default backend).
//
// One file in WAL mode: a single writer connection, guarded by a mutex, runs Write() as
// BEGIN IMMEDIATE … COMMIT/ROLLBACK; a small pool of query-only reader connections runs Read()
// as deferred transactions, so readers see a consistent snapshot and never block the writer.
// Concurrent writes are group-committed: writers that queue up while a commit is being synced
// run their functions (each on its own thread, each inside its own savepoint, so a failing one
// changes nothing) in one transaction that the last of them commits; every Write() returns only
// after the commit holding its work is durable.
// Prepared statements are cached per connection; foreign keys are enforced; commits are durable
// (synchronous=FULL) unless the options say otherwise. The schema is versioned
// (schema_migrations) and migrated by MigrateSqlite or on open.
//
// Thread-safety: the returned Store is thread-safe. A Write or Read must not be started from
// inside another Write/Read of the same store on the same thread (refused with kInternal).
//
//   XT_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
//                       storage::OpenSqliteStore({.path = "/var/lib/xietong/xietong.db"}));
//   XT_RETURN_IF_ERROR(store->Write([&](storage::Tx& tx) -> core::Status { ... }));
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "storage/store.h"

namespace xietong::storage {

struct SqliteOptions {
  // The database file; created when missing. REQUIRES: not empty and not ":memory:" (WAL and the
  // reader pool need a real file).
  std::string path;
  // How long a connection waits for a lock held by another process before SQLITE_BUSY; Write()
  // then retries a few times with backoff before failing with kUnavailable.
  int busy_timeout_ms = 5000;
  // Reader connections in the pool serving Read(); at least 1. Read() waits for a free one.
  int read_connections = 4;
  // Apply pending migrations on open. When false, an out-of-date database is refused with
  // kFailedPrecondition "schema_outdated" (run `xietong migrate`).
  bool apply_migrations = true;
  // synchronous=FULL (every commit is on disk when Write returns) when true; NORMAL (a power
  // loss may lose the last commits, never corrupts) when false.
  bool synchronous_full = true;
  // Page cache of each connection (the writer and every reader), MiB; at least 1. SQLite's own
  // default is 2 MiB, which a province-sized database outgrows: a list page whose rows lie on a
  // few thousand pages re-read them from the OS on every request (bench/README.md). Memory is
  // taken as pages are used, up to (1 + read_connections) × cache_mib.
  int cache_mib = 16;
  // Fault injection, for tests that prove a failure anywhere leaves nothing half-written (never
  // set in production). While the counter is positive, every statement step on the writer
  // connection decrements it; the step that brings it to zero fails with kInternal
  // "injected_fault" instead of running (rollbacks are never failed). Null: off.
  std::shared_ptr<std::atomic<int64_t>> fault_countdown;
};

// Opens (creating when missing) the SQLite database at options.path.
// Errors: kInvalidArgument (field "path" or "read_connections") for bad options;
// kFailedPrecondition "schema_too_new" when the database was migrated by a newer binary,
// "schema_outdated" when apply_migrations is false and migrations are pending; kInternal when the
// file cannot be opened or put in WAL mode; kUnavailable when it stays locked.
core::Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// Applies the pending migrations to the database at `path` (creating it when missing), each in
// its own transaction, and returns the resulting schema version. Idempotent; safe to run while
// servers have the database open. Errors: as OpenSqliteStore ("schema_too_new" included).
core::Result<int> MigrateSqlite(const std::string& path);

// The newest schema version this binary knows (the version a fully migrated database has).
int SqliteBinarySchemaVersion();

// --- Backup and restore (issue 18) ---
// Writes a consistent copy of the database at `src_path` to `dest_path` with VACUUM INTO (one
// read transaction: safe while a server writes; the copy holds every commit made before it
// began). Errors: kInvalidArgument field "to" when dest_path exists; kInternal when the copy
// fails.
core::Status BackupSqlite(const std::string& src_path, const std::string& dest_path);
// PRAGMA integrity_check of the database at `path`: OK, or kFailedPrecondition "integrity_check_failed"
// naming the first problem SQLite reports.
core::Status CheckSqliteIntegrity(const std::string& path);
// The schema version applied to the database at `path` (0 when it has none).
core::Result<int64_t> SqliteSchemaVersionAt(const std::string& path);
// Whether the database at `path` holds any table (a missing or empty file holds none).
core::Result<bool> SqliteHasTables(const std::string& path);

}  // namespace xietong::storage
