#include "cli/migrate_data.h"

#include <filesystem>

#include "storage/copy/sqlite_to_postgres.h"
#include "storage/db_url.h"

namespace xietong::cli {

using core::Result;
using core::Status;

Result<MigrateDataReport> MigrateData(const std::string& from_url, const std::string& to_url) {
  XT_ASSIGN_OR_RETURN(storage::DbUrl from, storage::ParseDbUrl(from_url));
  XT_ASSIGN_OR_RETURN(storage::DbUrl to, storage::ParseDbUrl(to_url));
  if (from.scheme != "sqlite") return Status::Invalid("from", "--from 应为 sqlite:PATH");
  if (to.scheme != "postgres") return Status::Invalid("to", "--to 应为 postgres://…");
  if (!std::filesystem::exists(from.path_or_dsn)) {
    return Status::Invalid("from", "源数据库不存在：" + from.path_or_dsn);
  }
  return storage::CopySqliteToPostgres(from.path_or_dsn, to.path_or_dsn);
}

}  // namespace xietong::cli
