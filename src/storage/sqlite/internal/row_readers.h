// Row readers of the SQLite Tx for the rows several of its source files read (orgs, users,
// sessions, API tokens), from column `c` on, so that joined statements can read them side by
// side. Internal to storage/sqlite.
#pragma once

#include "storage/sqlite/internal/db.h"
#include "storage/store.h"

namespace xietong::storage::sqlite {

// ---- Row readers from column `c` on (same order as XT_SQL_*_COLS in internal/queries.h) ----

inline constexpr int kOrgCols = 10;
inline constexpr int kUserCols = 12;
inline constexpr int kSessionCols = 6;
inline constexpr int kTokenCols = 7;

inline domain::Org ReadOrgAt(const Stmt& st, int c = 0) {
  domain::Org o;
  o.id = st.Int(c + 0);
  o.code = st.Text(c + 1);
  o.name = st.Text(c + 2);
  o.short_name = st.Text(c + 3);
  o.kind = static_cast<domain::OrgKind>(st.Int(c + 4));
  o.parent_id = st.OptInt(c + 5);
  o.active = st.Bool(c + 6);
  o.created_at = st.Time(c + 7);
  o.doc_prefix = st.Text(c + 8);
  if (!st.IsNull(c + 9)) o.region_code = st.Text(c + 9);
  return o;
}

inline domain::User ReadUserAt(const Stmt& st, int c = 0) {
  domain::User u;
  u.id = st.Int(c + 0);
  u.username = st.Text(c + 1);
  u.display_name = st.Text(c + 2);
  u.org_id = st.Int(c + 3);
  u.unit_id = st.OptInt(c + 4);
  u.roles = domain::RoleSet(st.Int(c + 5));
  u.password_hash = st.Text(c + 6);
  u.disabled = st.Bool(c + 7);
  u.failed_logins = static_cast<int>(st.Int(c + 8));
  u.locked_until = st.OptTime(c + 9);
  u.created_at = st.Time(c + 10);
  if (!st.IsNull(c + 11)) u.region_code = st.Text(c + 11);
  return u;
}

inline Session ReadSessionAt(const Stmt& st, int c = 0) {
  Session s;
  s.token_hash = st.Text(c + 0);
  s.user_id = st.Int(c + 1);
  s.csrf_token = st.Text(c + 2);
  s.created_at = st.Time(c + 3);
  s.expires_at = st.Time(c + 4);
  s.last_seen_at = st.Time(c + 5);
  return s;
}

inline ApiToken ReadTokenAt(const Stmt& st, int c = 0) {
  ApiToken t;
  t.id = st.Int(c + 0);
  t.user_id = st.Int(c + 1);
  t.name = st.Text(c + 2);
  t.token_hash = st.Text(c + 3);
  t.created_at = st.Time(c + 4);
  t.revoked_at = st.OptTime(c + 5);
  t.last_used_at = st.OptTime(c + 6);
  return t;
}

}  // namespace xietong::storage::sqlite
