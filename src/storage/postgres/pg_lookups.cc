// PgTx: joined and batched reads for the request path — the principal of a session or API token
// in one statement (one round trip), and orgs / users by a set of ids in one statement. See
// internal/tx.h for how they behave in write transactions.
#include <algorithm>
#include <string>
#include <vector>

#include "storage/postgres/internal/queries.h"
#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/row_readers.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

// The user (u), org (o) and unit (n) columns of the principal joins, and their FROM tail.
#define XT_PG_PRINCIPAL_COLS                                                                   \
  "u.id, u.username, u.display_name, u.org_id, u.unit_id, u.roles, u.password_hash, "          \
  "u.disabled, u.failed_logins, u.locked_until, u.created_at, u.region_code, "                                \
  "o.id, o.code, o.name, o.short_name, o.kind, o.parent_id, o.active, o.created_at, "          \
  "o.doc_prefix, o.region_code, "                                                                              \
  "n.id, n.code, n.name, n.short_name, n.kind, n.parent_id, n.active, n.created_at, "          \
  "n.doc_prefix, n.region_code"
#define XT_PG_PRINCIPAL_JOIN \
  " JOIN users u ON u.id = x.user_id JOIN orgs o ON o.id = u.org_id LEFT JOIN orgs n ON n.id = u.unit_id"

// Reads user, org and unit of row 0 from column `c`; kNotFound when the user names a unit that
// is gone.
template <typename P>
Status ReadPrincipalAt(const PgResult& r, int c, P& out) {
  out.user = ReadUserAt(r, 0, c);
  out.org = ReadOrgAt(r, 0, c + kUserCols);
  const int unit = c + kUserCols + kOrgCols;
  if (out.user.unit_id) {
    if (r.IsNull(0, unit)) return Status::NotFound("org", "机构不存在");
    out.unit = ReadOrgAt(r, 0, unit);
  }
  return Status::Ok();
}

// In a write transaction: the user, org and unit by the locking Get* (as LoadPrincipal did).
template <typename P>
Status LockPrincipal(Tx& tx, Id user_id, P& out) {
  XT_ASSIGN_OR_RETURN(out.user, tx.GetUser(user_id));
  XT_ASSIGN_OR_RETURN(out.org, tx.GetOrg(out.user.org_id));
  if (out.user.unit_id) {
    XT_ASSIGN_OR_RETURN(domain::Org unit, tx.GetOrg(*out.user.unit_id));
    out.unit = std::move(unit);
  }
  return Status::Ok();
}

std::vector<int64_t> SortedUnique(const std::vector<Id>& ids) {
  std::vector<int64_t> out(ids.begin(), ids.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Result<std::vector<domain::Org>> PgTx::GetOrgsByIds(const std::vector<Id>& ids) {
  if (ids.empty()) return std::vector<domain::Org>{};
  const std::vector<int64_t> keys = SortedUnique(ids);
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_ORG_COLS
                                " FROM orgs WHERE id = ANY($1) ORDER BY id"),
                  Params(Int8Array{&keys})));
  return All(r, [](const PgResult& res, int i) { return ReadOrgAt(res, i, 0); });
}

Result<std::vector<domain::User>> PgTx::GetUsersByIds(const std::vector<Id>& ids) {
  if (ids.empty()) return std::vector<domain::User>{};
  const std::vector<int64_t> keys = SortedUnique(ids);
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_USER_COLS
                                " FROM users WHERE id = ANY($1) ORDER BY id"),
                  Params(Int8Array{&keys})));
  return All(r, [](const PgResult& res, int i) { return ReadUserAt(res, i, 0); });
}

Result<SessionPrincipal> PgTx::GetSessionPrincipal(const std::string& token_hash) {
  SessionPrincipal out;
  if (!read_only_) {
    XT_ASSIGN_OR_RETURN(out.session, GetSession(token_hash));
    XT_RETURN_IF_ERROR(LockPrincipal(*this, out.session.user_id, out));
    return out;
  }
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query("SELECT x.token_hash, x.user_id, x.csrf_token, x.created_at, x.expires_at, "
                  "x.last_seen_at, " XT_PG_PRINCIPAL_COLS
                  " FROM sessions x" XT_PG_PRINCIPAL_JOIN " WHERE x.token_hash = $1",
                  Params(token_hash)));
  if (r.rows() == 0) return Status::NotFound("session", "会话不存在");
  out.session = ReadSessionAt(r, 0, 0);
  XT_RETURN_IF_ERROR(ReadPrincipalAt(r, kSessionCols, out));
  return out;
}

Result<TokenPrincipal> PgTx::GetTokenPrincipal(const std::string& token_hash) {
  TokenPrincipal out;
  if (!read_only_) {
    XT_ASSIGN_OR_RETURN(out.token, GetApiTokenByHash(token_hash));
    XT_RETURN_IF_ERROR(LockPrincipal(*this, out.token.user_id, out));
    return out;
  }
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query("SELECT x.id, x.user_id, x.name, x.token_hash, x.created_at, x.revoked_at, "
                  "x.last_used_at, " XT_PG_PRINCIPAL_COLS
                  " FROM api_tokens x" XT_PG_PRINCIPAL_JOIN " WHERE x.token_hash = $1",
                  Params(token_hash)));
  if (r.rows() == 0) return Status::NotFound("api_token", "访问令牌不存在");
  out.token = ReadTokenAt(r, 0, 0);
  XT_RETURN_IF_ERROR(ReadPrincipalAt(r, kTokenCols, out));
  return out;
}

}  // namespace xietong::storage::postgres
