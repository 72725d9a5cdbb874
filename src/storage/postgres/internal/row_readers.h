// Row readers of the PostgreSQL Tx for the rows several of its source files read (orgs, users,
// sessions, API tokens), from column `c` on, so that joined statements can read them side by
// side. Internal to storage/postgres.
#pragma once

#include "storage/postgres/internal/pg.h"
#include "storage/store.h"

namespace xietong::storage::postgres {

// ---- Row readers from column `c` on (same order as XT_PG_*_COLS in internal/queries.h) ----

inline constexpr int kOrgCols = 10;
inline constexpr int kUserCols = 12;
inline constexpr int kSessionCols = 6;
inline constexpr int kTokenCols = 7;

inline domain::Org ReadOrgAt(const PgResult& r, int i, int c = 0) {
  domain::Org o;
  o.id = r.Int(i, c + 0);
  o.code = r.Text(i, c + 1);
  o.name = r.Text(i, c + 2);
  o.short_name = r.Text(i, c + 3);
  o.kind = static_cast<domain::OrgKind>(r.Int(i, c + 4));
  o.parent_id = r.OptInt(i, c + 5);
  o.active = r.Bool(i, c + 6);
  o.created_at = r.Time(i, c + 7);
  o.doc_prefix = r.Text(i, c + 8);
  if (!r.IsNull(i, c + 9)) o.region_code = r.Text(i, c + 9);
  return o;
}

inline domain::User ReadUserAt(const PgResult& r, int i, int c = 0) {
  domain::User u;
  u.id = r.Int(i, c + 0);
  u.username = r.Text(i, c + 1);
  u.display_name = r.Text(i, c + 2);
  u.org_id = r.Int(i, c + 3);
  u.unit_id = r.OptInt(i, c + 4);
  u.roles = domain::RoleSet(r.Int(i, c + 5));
  u.password_hash = r.Text(i, c + 6);
  u.disabled = r.Bool(i, c + 7);
  u.failed_logins = static_cast<int>(r.Int(i, c + 8));
  u.locked_until = r.OptTime(i, c + 9);
  u.created_at = r.Time(i, c + 10);
  if (!r.IsNull(i, c + 11)) u.region_code = r.Text(i, c + 11);
  return u;
}

inline Session ReadSessionAt(const PgResult& r, int i, int c = 0) {
  Session s;
  s.token_hash = r.Text(i, c + 0);
  s.user_id = r.Int(i, c + 1);
  s.csrf_token = r.Text(i, c + 2);
  s.created_at = r.Time(i, c + 3);
  s.expires_at = r.Time(i, c + 4);
  s.last_seen_at = r.Time(i, c + 5);
  return s;
}

inline ApiToken ReadTokenAt(const PgResult& r, int i, int c = 0) {
  ApiToken t;
  t.id = r.Int(i, c + 0);
  t.user_id = r.Int(i, c + 1);
  t.name = r.Text(i, c + 2);
  t.token_hash = r.Text(i, c + 3);
  t.created_at = r.Time(i, c + 4);
  t.revoked_at = r.OptTime(i, c + 5);
  t.last_used_at = r.OptTime(i, c + 6);
  return t;
}

}  // namespace xietong::storage::postgres
