#include "storage/sqlite/bulk_load.h"

#include <sqlite3.h>

#include "storage/sqlite/internal/db.h"
#include "storage/sqlite/internal/tx.h"

namespace xietong::storage {

core::Status BulkLoadSqlite(const std::string& path, const std::function<core::Status(Tx&)>& fn) {
  XT_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db,
                      sqlite::Db::Open(path, SQLITE_OPEN_READWRITE, 5000));
  XT_RETURN_IF_ERROR(db->Exec(
      "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; BEGIN"));
  core::Status st;
  {
    sqlite::SqliteTx tx(*db, /*read_only=*/false);
    st = fn(tx);
  }
  if (!st.ok()) {
    (void)db->Exec("ROLLBACK");
    return st;
  }
  XT_RETURN_IF_ERROR(db->Exec("COMMIT"));
  XT_ASSIGN_OR_RETURN(std::optional<std::string> mode, db->QueryText("PRAGMA journal_mode=WAL"));
  if (!mode || *mode != "wal") return core::Status::Internal("cannot restore WAL");
  return core::Status::Ok();
}

}  // namespace xietong::storage
