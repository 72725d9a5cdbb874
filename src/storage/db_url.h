// Database addresses: which backend a "--db" flag or XT_DB value names.
//
//   sqlite:/var/lib/xietong/xietong.db      sqlite://relative/or/absolute.db
//   postgres://user@host:5432/xietong       postgresql://…  (passed to libpq unchanged)
//
// Pure; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(storage::DbUrl url, storage::ParseDbUrl(flag));
//   if (url.scheme == "sqlite") ... OpenSqliteStore({.path = url.path_or_dsn}) ...
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace xietong::storage {

struct DbUrl {
  std::string scheme;       // "sqlite" or "postgres" (postgresql:// is normalised to "postgres")
  std::string path_or_dsn;  // the file path for sqlite; the whole URL (a libpq DSN) for postgres
};

// Parses a database address.
//  - "sqlite:PATH" and "sqlite://PATH" give scheme "sqlite" and PATH (relative or absolute;
//    "sqlite:///abs/x.db" gives "/abs/x.db").
//  - "postgres://…" and "postgresql://…" give scheme "postgres" and the URL unchanged.
// Errors: kInvalidArgument (field "db") for anything else, an empty path, or an empty
// postgres URL after the scheme.
core::Result<DbUrl> ParseDbUrl(std::string_view url);

}  // namespace xietong::storage
