#include "cli/open_store.h"

#include <filesystem>

#include "storage/db_url.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace xietong::cli {

namespace {
core::Status EnsureParentDir(const std::string& path) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) return core::Status::Unavailable("无法创建目录 " + p.parent_path().string() + "：" + ec.message());
  }
  return core::Status::Ok();
}
}  // namespace

core::Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& url,
                                                        OpenOptions options) {
  XT_ASSIGN_OR_RETURN(storage::DbUrl db, storage::ParseDbUrl(url));
  if (db.scheme == "sqlite") {
    XT_RETURN_IF_ERROR(EnsureParentDir(db.path_or_dsn));
    storage::SqliteOptions o;
    o.path = db.path_or_dsn;
    o.apply_migrations = options.apply_migrations;
    return storage::OpenSqliteStore(o);
  }
  if (db.scheme == "postgres") {  // postgres://… or postgresql://…, given to libpq unchanged
    storage::PgOptions o;
    o.dsn = db.path_or_dsn;
    o.apply_migrations = options.apply_migrations;
    return storage::OpenPgStore(o);
  }
  return core::Status::Invalid("db", "本版本尚不支持该数据库：" + db.scheme,
                               {}, "unsupported_db");
}

core::Result<int> Migrate(const std::string& url) {
  XT_ASSIGN_OR_RETURN(storage::DbUrl db, storage::ParseDbUrl(url));
  if (db.scheme == "sqlite") {
    XT_RETURN_IF_ERROR(EnsureParentDir(db.path_or_dsn));
    return storage::MigrateSqlite(db.path_or_dsn);
  }
  if (db.scheme == "postgres") return storage::MigratePg(db.path_or_dsn);
  return core::Status::Invalid("db", "本版本尚不支持该数据库：" + db.scheme, {}, "unsupported_db");
}

}  // namespace xietong::cli
