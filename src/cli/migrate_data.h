// `xietong migrate-data --from sqlite:PATH --to postgres://…`: copies a county's SQLite database
// into an empty PostgreSQL database, row for row (same ids, the audit chain unchanged). Checks the
// two addresses; the copy itself, with its rules and refusals, is storage::CopySqliteToPostgres
// (storage/copy/sqlite_to_postgres.h).
// Refuses (kInvalidArgument, field "from" or "to"): a source that is not sqlite: or does not
// exist, a target that is not postgres://.
//
//   auto r = cli::MigrateData("sqlite:var/xietong.db",
//   "postgres://xietong@/xietong?host=/run/postgresql"); if (r.ok()) for (auto& [table, rows] :
//   r->rows) ...
#pragma once

#include <string>

#include "core/status.h"
#include "storage/copy/sqlite_to_postgres.h"

namespace xietong::cli {

using MigrateDataReport = storage::CopyReport;

// Errors: the refusals above, then those of storage::CopySqliteToPostgres.
core::Result<MigrateDataReport> MigrateData(const std::string& from_url, const std::string& to_url);

}  // namespace xietong::cli
