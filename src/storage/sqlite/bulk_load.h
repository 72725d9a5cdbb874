// A bulk load into a freshly migrated SQLite database (bench/datagen): every write in ONE
// transaction on a connection of its own, with the journal and syncing off for speed.
//
// The connection runs journal_mode=OFF, synchronous=OFF and a 256 MiB page cache; `fn` gets the
// backend's own Tx (cached prepared statements, the audit chain computed by AppendAudit as in
// any Write). When `fn` returns OK the transaction commits and the file is put back in WAL mode;
// otherwise it is rolled back. A crash in the middle leaves a file to delete, nothing else: use
// it only on a database nothing else has open and nothing depends on yet.
//
// Not for servers. Thread-compatible: one call at a time per file.
//
//   XT_RETURN_IF_ERROR(storage::MigrateSqlite(path).status());
//   XT_RETURN_IF_ERROR(storage::BulkLoadSqlite(path, [&](storage::Tx& tx) -> core::Status {
//     XT_RETURN_IF_ERROR(tx.InsertOrg(org).status());
//     ...
//   }));
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "storage/store.h"

namespace xietong::storage {

// Runs `fn` as described above on the existing SQLite database at `path`.
// REQUIRES: `path` exists and is migrated (MigrateSqlite / OpenSqliteStore).
// Errors: fn's own status (after the rollback); kInternal when the file cannot be opened, the
// pragmas, the commit or the return to WAL mode fail.
core::Status BulkLoadSqlite(const std::string& path, const std::function<core::Status(Tx&)>& fn);

}  // namespace xietong::storage
