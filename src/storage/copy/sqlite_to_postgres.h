// Copies a county's SQLite database into an empty PostgreSQL database, row for row (same ids,
// the audit chain unchanged): the work behind `xietong migrate-data` (cli/migrate_data.h).
//
// Generic over the schema: the table list comes from the SQLite schema (without schema_migrations,
// sqlite_* and full-text-search virtual tables and their shadow tables); the target (migrated
// first, to the binary's version, by MigratePg) must have exactly the same tables and columns,
// else the copy is refused naming every mismatch. Values are converted by the target column's
// type: 0/1 → boolean, BLOB → bytea, a 'YYYY-MM-DD' text → days since 1970-01-01 for an integer
// column; others as text. Tables are filled in foreign-key order (parents first; rows in
// primary-key order), through COPY, all in ONE transaction on the target: on any error nothing
// is left behind. Then every sequence owned by a column is advanced past the column's largest
// value. The source is read in one read-only snapshot.
//
// The one place outside the two backends that holds SQL for both; it names both backends and
// is used by cli only. Thread-safety: a free function with no shared state; concurrent copies
// into the same target are refused by the target's emptiness check or its transaction.
//
//   XT_ASSIGN_OR_RETURN(storage::CopyReport r,
//                       storage::CopySqliteToPostgres("var/xietong.db", "postgres://…"));
//   for (auto& [table, rows] : r.rows) ...
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace xietong::storage {

struct CopyReport {
  int schema_version = 0;
  std::vector<std::pair<std::string, int64_t>> rows;  // table → rows copied, in copy order
  std::vector<std::string> sequences;                 // sequences advanced
};

// Copies the SQLite database at `sqlite_path` (REQUIRES: an existing file) into the PostgreSQL
// database `pg_dsn` (a libpq connection string or postgres:// URL).
// Errors: kUnavailable when either database cannot be opened or reached; kFailedPrecondition
// "migrate_data" when the schema versions differ, the tables or columns differ, the foreign
// keys form a cycle, a value cannot be converted, or a copied table of the target has rows;
// the errors of MigratePg; kInternal for other database failures. On error the target is
// left as migrated, with no row copied.
core::Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path,
                                              const std::string& pg_dsn);

}  // namespace xietong::storage
