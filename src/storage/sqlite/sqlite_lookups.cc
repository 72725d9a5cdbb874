// SqliteTx: joined and batched reads for the request path — the principal of a session or API
// token in one statement, and orgs / users by a set of ids in one statement.
#include <algorithm>
#include <string>
#include <vector>

#include "storage/sqlite/internal/queries.h"
#include "storage/sqlite/internal/row_readers.h"
#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

// The user (u), org (o) and unit (n) columns of the principal joins, and their FROM tail.
#define XT_SQL_PRINCIPAL_COLS                                                                  \
  "u.id, u.username, u.display_name, u.org_id, u.unit_id, u.roles, u.password_hash, "          \
  "u.disabled, u.failed_logins, u.locked_until, u.created_at, u.region_code, "                                \
  "o.id, o.code, o.name, o.short_name, o.kind, o.parent_id, o.active, o.created_at, "          \
  "o.doc_prefix, o.region_code, "                                                                              \
  "n.id, n.code, n.name, n.short_name, n.kind, n.parent_id, n.active, n.created_at, "          \
  "n.doc_prefix, n.region_code"
#define XT_SQL_PRINCIPAL_JOIN \
  " JOIN users u ON u.id = x.user_id JOIN orgs o ON o.id = u.org_id LEFT JOIN orgs n ON n.id = u.unit_id"

// Reads user, org and unit from column `c`; kNotFound when the user names a unit that is gone.
template <typename P>
Status ReadPrincipalAt(const Stmt& st, int c, P& out) {
  out.user = ReadUserAt(st, c);
  out.org = ReadOrgAt(st, c + kUserCols);
  const int unit = c + kUserCols + kOrgCols;
  if (out.user.unit_id) {
    if (st.IsNull(unit)) return Status::NotFound("org", "机构不存在");
    out.unit = ReadOrgAt(st, unit);
  }
  return Status::Ok();
}

// At most this many ids per statement; the placeholder count is rounded up to a power of two
// (the last id repeated), so each table needs at most 7 cached statement texts.
constexpr size_t kMaxIdsPerStatement = 64;

// Rows of `select_from` ("SELECT … FROM t") whose id is any of `ids`, ascending id.
template <typename T, typename F>
Result<std::vector<T>> ByIds(Db& db, const char* select_from, const std::vector<Id>& ids,
                             F read) {
  std::vector<Id> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<T> out;
  out.reserve(sorted.size());
  for (size_t at = 0; at < sorted.size(); at += kMaxIdsPerStatement) {
    const size_t n = std::min(kMaxIdsPerStatement, sorted.size() - at);
    size_t slots = 1;
    while (slots < n) slots *= 2;
    std::string sql = select_from;
    sql += " WHERE id IN (?";
    for (size_t i = 1; i < slots; ++i) sql += ",?";
    sql += ") ORDER BY id";
    XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(sql));
    for (size_t i = 0; i < slots; ++i) {
      st.Bind(static_cast<int>(i + 1), sorted[at + std::min(i, n - 1)]);
    }
    while (true) {
      XT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(read(st, 0));
    }
  }
  return out;
}

}  // namespace

Result<std::vector<domain::Org>> SqliteTx::GetOrgsByIds(const std::vector<Id>& ids) {
  return ByIds<domain::Org>(db_, "SELECT " XT_SQL_ORG_COLS " FROM orgs", ids, ReadOrgAt);
}

Result<std::vector<domain::User>> SqliteTx::GetUsersByIds(const std::vector<Id>& ids) {
  return ByIds<domain::User>(db_, "SELECT " XT_SQL_USER_COLS " FROM users", ids, ReadUserAt);
}

Result<SessionPrincipal> SqliteTx::GetSessionPrincipal(const std::string& token_hash) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT x.token_hash, x.user_id, x.csrf_token, x.created_at, "
                           "x.expires_at, x.last_seen_at, " XT_SQL_PRINCIPAL_COLS
                           " FROM sessions x" XT_SQL_PRINCIPAL_JOIN " WHERE x.token_hash = ?"));
  st.Bind(1, token_hash);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("session", "会话不存在");
  SessionPrincipal out;
  out.session = ReadSessionAt(st, 0);
  XT_RETURN_IF_ERROR(ReadPrincipalAt(st, kSessionCols, out));
  return out;
}

Result<TokenPrincipal> SqliteTx::GetTokenPrincipal(const std::string& token_hash) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT x.id, x.user_id, x.name, x.token_hash, x.created_at, "
                           "x.revoked_at, x.last_used_at, " XT_SQL_PRINCIPAL_COLS
                           " FROM api_tokens x" XT_SQL_PRINCIPAL_JOIN " WHERE x.token_hash = ?"));
  st.Bind(1, token_hash);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("api_token", "访问令牌不存在");
  TokenPrincipal out;
  out.token = ReadTokenAt(st, 0);
  XT_RETURN_IF_ERROR(ReadPrincipalAt(st, kTokenCols, out));
  return out;
}

}  // namespace xietong::storage::sqlite
