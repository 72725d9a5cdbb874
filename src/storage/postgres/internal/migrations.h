// The PostgreSQL schema as numbered migrations (see migrations.cc). Internal to
// storage/postgres.
//
// A migration is applied once, in its own transaction, and recorded in schema_migrations; the
// whole run holds a session advisory lock (kMigrationLockKey) so several servers starting at
// once migrate one after another. Released migrations never change: append a new one.
#pragma once

#include <cstdint>
#include <vector>

namespace xietong::storage::postgres {

struct Migration {
  int version;       // 1, 2, 3 … without gaps
  const char* name;  // short description, for logs
  const char* sql;   // one or more statements
};

// Every migration this binary knows, ascending by version.
const std::vector<Migration>& Migrations();

// Advisory lock keys (pg_advisory_lock / pg_advisory_xact_lock), database-wide:
// "xtMG" — migrations; "xtAU" — the audit chain head (AppendAudit).
inline constexpr int64_t kMigrationLockKey = 0x78744D47;
inline constexpr int64_t kAuditLockKey = 0x78744155;

}  // namespace xietong::storage::postgres
