// `xietong migrate-data --from sqlite:PATH --to postgres://…`: copies a county's SQLite database
// into an empty PostgreSQL database, row for row (same ids, the audit chain unchanged).
//
// Generic over the schema: the table list comes from the SQLite schema (without schema_migrations,
// sqlite_* and full-text-search virtual tables and their shadow tables); the target (migrated
// first, to the binary's version) must have exactly the same tables and columns, else the copy is
// refused naming every mismatch. Values are converted by the target column's type: 0/1 → boolean,
// BLOB → bytea, a 'YYYY-MM-DD' text → days since 1970-01-01 for an integer column; others as text.
// Tables are filled in foreign-key order (parents first; rows in primary-key order), through COPY,
// all in ONE transaction on the target: on any error nothing is left behind. Then every sequence
// owned by a column is advanced past the column's largest value.
// Refuses: a source that is not sqlite: or does not exist, a target that is not postgres://, a
// source and target at different schema versions, a target with any row in a copied table.
//
//   auto r = cli::MigrateData("sqlite:var/xietong.db", "postgres://xietong@/xietong?host=/run/postgresql");
//   if (r.ok()) for (auto& [table, rows] : r->rows) ...
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace xietong::cli {

struct MigrateDataReport {
  int schema_version = 0;
  std::vector<std::pair<std::string, int64_t>> rows;  // table → rows copied, in copy order
  std::vector<std::string> sequences;                 // sequences advanced
};

core::Result<MigrateDataReport> MigrateData(const std::string& from_url, const std::string& to_url);

}  // namespace xietong::cli
