// The SQLite schema as numbered migrations (see migrations.cc). Internal to storage/sqlite.
//
// A migration is applied once, in its own transaction, and recorded in schema_migrations.
// Released migrations never change: a schema change is a new migration appended to the list.
#pragma once

#include <vector>

namespace xietong::storage::sqlite {

struct Migration {
  int version;       // 1, 2, 3 … without gaps
  const char* name;  // short description, for logs
  const char* sql;   // one or more statements
};

// Every migration this binary knows, ascending by version.
const std::vector<Migration>& Migrations();

}  // namespace xietong::storage::sqlite
