#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "storage/sqlite/internal/queries.h"
#include "storage/sqlite/internal/row_readers.h"
#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

using core::Instant;

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 4);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

namespace {

// ---- Row readers: column order as in internal/queries.h ----

domain::Org ReadOrg(const Stmt& st) { return ReadOrgAt(st); }

domain::User ReadUser(const Stmt& st) { return ReadUserAt(st); }

Session ReadSession(const Stmt& st) { return ReadSessionAt(st); }

ApiToken ReadToken(const Stmt& st) { return ReadTokenAt(st); }

domain::AuditEntry ReadAudit(const Stmt& st) {
  domain::AuditEntry e;
  e.seq = st.Int(0);
  e.at = st.Time(1);
  e.actor_user_id = st.OptInt(2);
  e.actor_org_id = st.OptInt(3);
  e.action = st.Text(4);
  e.object_type = st.Text(5);
  e.object_id = st.Text(6);
  e.summary = st.Text(7);
  e.detail = st.Text(8);
  e.detail_digest = st.Text(9);
  e.prev_hash = st.Text(10);
  e.hash = st.Text(11);
  return e;
}

domain::Duty ReadDuty(const Stmt& st) {
  domain::Duty d;
  d.id = st.Int(0);
  d.kind = st.Text(1);
  d.rule = st.Text(2);
  d.owner_org_id = st.Int(3);
  d.object_type = st.Text(4);
  d.object_id = st.Text(5);
  d.title = st.Text(6);
  d.trigger_at = st.Time(7);
  d.unit = static_cast<domain::PeriodUnit>(st.Int(8));
  d.period = st.Int(9);
  d.due_at = st.Time(10);
  d.yellow_at = st.Time(11);
  d.calendar_version = st.Text(12);
  d.provisional = st.Bool(13);
  d.state = static_cast<domain::DutyState>(st.Int(14));
  d.met_at = st.OptTime(15);
  if (!st.IsNull(16)) d.on_time = st.Bool(16);
  if (!st.IsNull(17)) d.late_working_days = static_cast<int>(st.Int(17));
  d.state_reason = st.Text(18);
  d.notified_level = static_cast<int>(st.Int(19));
  d.created_at = st.Time(20);
  d.created_by = st.OptInt(21);
  return d;
}

domain::DutyEvent ReadEvent(const Stmt& st) {
  domain::DutyEvent e;
  e.id = st.Int(0);
  e.duty_id = st.Int(1);
  e.at = st.Time(2);
  e.actor_user_id = st.OptInt(3);
  e.kind = st.Text(4);
  e.reason = st.Text(5);
  e.old_due = st.OptTime(6);
  e.new_due = st.OptTime(7);
  return e;
}

domain::Notification ReadNotification(const Stmt& st) {
  domain::Notification n;
  n.id = st.Int(0);
  n.user_id = st.Int(1);
  n.kind = st.Text(2);
  n.title = st.Text(3);
  n.body = st.Text(4);
  n.object_type = st.Text(5);
  n.object_id = st.Text(6);
  n.dedupe_key = st.Text(7);
  n.created_at = st.Time(8);
  n.read_at = st.OptTime(9);
  return n;
}

// The single row of `st`, or kNotFound(what).
template <typename F>
auto One(Stmt& st, F read, const char* what, const char* message)
    -> Result<decltype(read(st))> {
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(what, message);
  return read(st);
}

// Every row of `st`.
template <typename F>
auto All(Stmt& st, F read) -> Result<std::vector<decltype(read(st))>> {
  std::vector<decltype(read(st))> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(read(st));
  }
}

int Limit(int limit) { return std::max(limit, 0); }

// A WHERE clause built from optional filters, with its arguments in order.
class Where {
 public:
  using Arg = std::variant<int64_t, std::string>;
  void Add(std::string_view cond) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += cond;
  }
  void Add(std::string_view cond, Arg a) {
    Add(cond);
    args_.push_back(std::move(a));
  }
  void Add(std::string_view cond, Arg a, Arg b) {
    Add(cond, std::move(a));
    args_.push_back(std::move(b));
  }
  const std::string& sql() const { return sql_; }
  // Binds the arguments from parameter 1; returns the next free parameter index.
  int Bind(Stmt& st) const {
    int i = 0;
    for (const Arg& a : args_) {
      ++i;
      if (const auto* v = std::get_if<int64_t>(&a)) {
        st.Bind(i, *v);
      } else {
        st.Bind(i, std::get<std::string>(a));
      }
    }
    return i + 1;
  }

 private:
  std::string sql_;
  std::vector<Arg> args_;
};

Where DutyWhere(const DutyFilter& f) {
  Where w;
  if (f.owner_org_ids.size() == 1) {
    w.Add("owner_org_id = ?", f.owner_org_ids[0]);
  } else if (!f.owner_org_ids.empty()) {
    std::string json = "[";
    for (size_t i = 0; i < f.owner_org_ids.size(); ++i) {
      if (i) json += ',';
      json += std::to_string(f.owner_org_ids[i]);
    }
    json += ']';
    w.Add("owner_org_id IN (SELECT value FROM json_each(?))", std::move(json));
  }
  if (!f.region_prefix.empty()) {
    w.Add(XT_SQL_ORG_IN_REGION("owner_org_id"), f.region_prefix, RegionPrefixEnd(f.region_prefix));
  }
  if (f.created_by) w.Add("created_by = ?", *f.created_by);
  // A literal, not a parameter: the partial indexes on duties say "state = 1", and SQLite,
  // checking whether `state = ?` implies that, looks at the bound value and marks the statement
  // to be re-prepared whenever the parameter is bound again — i.e. a parse and plan on every
  // execution of the cached statement (a third of the inbox's CPU, bench/README.md).
  if (f.state) w.Add("state = " + std::to_string(static_cast<int>(*f.state)));
  if (!f.kind.empty()) w.Add("kind = ?", f.kind);
  if (f.due_from) w.Add("due_at >= ?", core::ToMillis(*f.due_from));
  if (f.due_to) w.Add("due_at < ?", core::ToMillis(*f.due_to));
  if (f.yellow_at_le) w.Add("yellow_at <= ?", core::ToMillis(*f.yellow_at_le));
  if (f.yellow_at_gt) w.Add("yellow_at > ?", core::ToMillis(*f.yellow_at_gt));
  if (f.due_at_le) w.Add("due_at <= ?", core::ToMillis(*f.due_at_le));
  if (f.due_at_gt) w.Add("due_at > ?", core::ToMillis(*f.due_at_gt));
  if (!f.object_type.empty()) w.Add("object_type = ?", f.object_type);
  if (!f.object_id.empty()) w.Add("object_id = ?", f.object_id);
  if (!f.object_ids.empty()) {
    std::string json = "[";
    for (size_t i = 0; i < f.object_ids.size(); ++i) {
      if (i) json += ',';
      json += '"';
      for (char c : f.object_ids[i]) {
        if (c == '"' || c == '\\') json += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) json += c;  // ids carry no control characters
      }
      json += '"';
    }
    json += ']';
    w.Add("object_id IN (SELECT value FROM json_each(?))", std::move(json));
  }
  if (!f.text.empty()) w.Add("title LIKE '%' || ? || '%' ESCAPE '\\'", EscapeLike(f.text));
  return w;
}

}  // namespace

Status SqliteTx::Writable() const {
  if (read_only_) return Status::Internal("只读事务中不能写入数据");
  return Status::Ok();
}

Status SqliteTx::BeginNested() {
  XT_RETURN_IF_ERROR(Writable());
  return db_.Run("SAVEPOINT xt_nested");
}

Status SqliteTx::EndNested(bool keep) {
  XT_RETURN_IF_ERROR(Writable());
  if (!keep) XT_RETURN_IF_ERROR(db_.Run("ROLLBACK TO xt_nested"));
  return db_.Run("RELEASE xt_nested");
}

Status SqliteTx::ExpectChanged(Stmt& st, const char* what, const char* message) {
  XT_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound(what, message);
  return Status::Ok();
}

// ---------------- Organisations ----------------

Result<Id> SqliteTx::InsertOrg(const domain::Org& o) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO orgs (code, name, short_name, kind, "
                                           "parent_id, active, created_at, doc_prefix, "
                                           "region_code) VALUES (?,?,?,?,?,?,?,?,?)"));
  st.BindAll(o.code, o.name, o.short_name, static_cast<int>(o.kind), o.parent_id, o.active,
             o.created_at, o.doc_prefix, o.region_code);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Status SqliteTx::UpdateOrg(const domain::Org& o) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE orgs SET code = ?, name = ?, short_name = ?, "
                                           "kind = ?, parent_id = ?, active = ?, created_at = ?, "
                                           "doc_prefix = ?, region_code = ? WHERE id = ?"));
  st.BindAll(o.code, o.name, o.short_name, static_cast<int>(o.kind), o.parent_id, o.active,
             o.created_at, o.doc_prefix, o.region_code, o.id);
  return ExpectChanged(st, "org", "机构不存在");
}

Result<domain::Org> SqliteTx::GetOrg(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_ORG_COLS " FROM orgs WHERE id = ?"));
  st.Bind(1, id);
  return One(st, ReadOrg, "org", "机构不存在");
}

Result<domain::Org> SqliteTx::GetOrgByCode(const std::string& code) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_ORG_COLS " FROM orgs WHERE code = ?"));
  st.Bind(1, code);
  return One(st, ReadOrg, "org", "机构不存在");
}

Result<std::vector<domain::Org>> SqliteTx::ListOrgs() {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_ORG_COLS " FROM orgs ORDER BY kind, id"));
  return All(st, ReadOrg);
}

// ---------------- Users ----------------

Result<Id> SqliteTx::InsertUser(const domain::User& u) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("INSERT INTO users (username, display_name, org_id, unit_id, roles, "
                           "password_hash, disabled, failed_logins, locked_until, created_at, "
                           "region_code) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  st.BindAll(u.username, u.display_name, u.org_id, u.unit_id, u.roles.mask(), u.password_hash,
             u.disabled, u.failed_logins, u.locked_until, u.created_at, u.region_code);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Status SqliteTx::UpdateUser(const domain::User& u) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("UPDATE users SET username = ?, display_name = ?, org_id = ?, "
                           "unit_id = ?, roles = ?, password_hash = ?, disabled = ?, "
                           "failed_logins = ?, locked_until = ?, created_at = ?, region_code = ? "
                           "WHERE id = ?"));
  st.BindAll(u.username, u.display_name, u.org_id, u.unit_id, u.roles.mask(), u.password_hash,
             u.disabled, u.failed_logins, u.locked_until, u.created_at, u.region_code, u.id);
  return ExpectChanged(st, "user", "用户不存在");
}

Result<domain::User> SqliteTx::GetUser(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_USER_COLS " FROM users WHERE id = ?"));
  st.Bind(1, id);
  return One(st, ReadUser, "user", "用户不存在");
}

Result<domain::User> SqliteTx::GetUserByUsername(const std::string& username) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_USER_COLS " FROM users WHERE username = ?"));
  st.Bind(1, username);
  return One(st, ReadUser, "user", "用户不存在");
}

Result<std::vector<domain::User>> SqliteTx::ListUsers(const UserFilter& f) {
  Where w;
  if (f.org_id) w.Add("org_id = ?", *f.org_id);
  if (!f.region_prefix.empty()) {
    w.Add(XT_SQL_ORG_IN_REGION("org_id"), f.region_prefix, RegionPrefixEnd(f.region_prefix));
  }
  if (f.role) w.Add("(roles & ?) != 0", int64_t{1} << static_cast<int>(*f.role));
  if (!f.text.empty()) {
    std::string like = EscapeLike(f.text);
    w.Add("(username LIKE '%' || ? || '%' ESCAPE '\\' OR "
          "display_name LIKE '%' || ? || '%' ESCAPE '\\')",
          like, like);
  }
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_USER_COLS " FROM users" + w.sql() +
                                           " ORDER BY id LIMIT ?"));
  st.Bind(w.Bind(st), Limit(f.limit));
  return All(st, ReadUser);
}

Result<std::vector<domain::User>> SqliteTx::ListUsersWithRoles(Id org_id,
                                                               domain::RoleSet any_of) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_USER_COLS
                                           " FROM users WHERE org_id = ? AND (roles & ?) != 0 "
                                           "ORDER BY id"));
  st.BindAll(org_id, any_of.mask());
  return All(st, ReadUser);
}

// ---------------- Sessions and API tokens ----------------

Status SqliteTx::InsertSession(const Session& s) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO sessions (" XT_SQL_SESSION_COLS
                                           ") VALUES (?,?,?,?,?,?)"));
  st.BindAll(s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at);
  return st.Run();
}

Result<Session> SqliteTx::GetSession(const std::string& token_hash) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_SESSION_COLS
                                           " FROM sessions WHERE token_hash = ?"));
  st.Bind(1, token_hash);
  return One(st, ReadSession, "session", "会话不存在");
}

Status SqliteTx::TouchSession(const std::string& token_hash, Instant last_seen,
                              Instant expires_at) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE sessions SET last_seen_at = ?, expires_at = ? "
                                           "WHERE token_hash = ?"));
  st.BindAll(last_seen, expires_at, token_hash);
  return ExpectChanged(st, "session", "会话不存在");
}

Status SqliteTx::DeleteSession(const std::string& token_hash) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  st.Bind(1, token_hash);
  return ExpectChanged(st, "session", "会话不存在");
}

Status SqliteTx::DeleteSessionsOfUser(Id user_id) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("DELETE FROM sessions WHERE user_id = ?"));
  st.Bind(1, user_id);
  return st.Run();
}

Result<Id> SqliteTx::InsertApiToken(const ApiToken& t) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO api_tokens (user_id, name, token_hash, "
                                           "created_at, revoked_at, last_used_at) "
                                           "VALUES (?,?,?,?,?,?)"));
  st.BindAll(t.user_id, t.name, t.token_hash, t.created_at, t.revoked_at, t.last_used_at);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Result<ApiToken> SqliteTx::GetApiTokenByHash(const std::string& token_hash) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_TOKEN_COLS
                                           " FROM api_tokens WHERE token_hash = ?"));
  st.Bind(1, token_hash);
  return One(st, ReadToken, "api_token", "访问令牌不存在");
}

Result<ApiToken> SqliteTx::GetApiToken(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_TOKEN_COLS " FROM api_tokens WHERE id = ?"));
  st.Bind(1, id);
  return One(st, ReadToken, "api_token", "访问令牌不存在");
}

Result<std::vector<ApiToken>> SqliteTx::ListApiTokens(Id user_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_TOKEN_COLS
                                           " FROM api_tokens WHERE user_id = ? ORDER BY id"));
  st.Bind(1, user_id);
  return All(st, ReadToken);
}

Status SqliteTx::RevokeApiToken(Id id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  // A second revocation keeps the first instant.
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE api_tokens SET revoked_at = "
                                           "COALESCE(revoked_at, ?) WHERE id = ?"));
  st.BindAll(at, id);
  return ExpectChanged(st, "api_token", "访问令牌不存在");
}

Status SqliteTx::TouchApiToken(Id id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"));
  st.BindAll(at, id);
  return ExpectChanged(st, "api_token", "访问令牌不存在");
}

// ---------------- Audit trail ----------------

Result<domain::AuditEntry> SqliteTx::AppendAudit(domain::AuditEntry e) {
  XT_RETURN_IF_ERROR(Writable());
  {
    XT_ASSIGN_OR_RETURN(Stmt head,
                        db_.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
    XT_ASSIGN_OR_RETURN(bool row, head.Step());
    e.seq = row ? head.Int(0) + 1 : 1;
    e.prev_hash = row ? head.Text(1) : std::string(domain::kGenesisHash);
  }
  e.detail_digest = domain::Sha256Hex(e.detail);
  e.hash = domain::ChainHash(e);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO audit (" XT_SQL_AUDIT_COLS
                                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  st.BindAll(e.seq, e.at, e.actor_user_id, e.actor_org_id, e.action, e.object_type, e.object_id,
             e.summary, e.detail, e.detail_digest, e.prev_hash, e.hash);
  XT_RETURN_IF_ERROR(st.Run());
  return e;
}

Result<std::vector<domain::AuditEntry>> SqliteTx::AppendAudits(
    std::vector<domain::AuditEntry> entries) {
  XT_RETURN_IF_ERROR(Writable());
  if (entries.empty()) return entries;
  int64_t seq = 0;
  std::string prev(domain::kGenesisHash);
  {
    XT_ASSIGN_OR_RETURN(Stmt head,
                        db_.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
    XT_ASSIGN_OR_RETURN(bool row, head.Step());
    if (row) {
      seq = head.Int(0);
      prev = head.Text(1);
    }
  }
  for (domain::AuditEntry& e : entries) {
    e.seq = ++seq;
    e.prev_hash = prev;
    e.detail_digest = domain::Sha256Hex(e.detail);
    e.hash = domain::ChainHash(e);
    prev = e.hash;
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO audit (" XT_SQL_AUDIT_COLS
                                             ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
    st.BindAll(e.seq, e.at, e.actor_user_id, e.actor_org_id, e.action, e.object_type,
               e.object_id, e.summary, e.detail, e.detail_digest, e.prev_hash, e.hash);
    XT_RETURN_IF_ERROR(st.Run());
  }
  return entries;
}

namespace {
Where AuditWhere(const AuditFilter& f) {
  Where w;
  if (!f.object_type.empty()) w.Add("object_type = ?", f.object_type);
  if (!f.object_id.empty()) w.Add("object_id = ?", f.object_id);
  if (f.org_id) w.Add("actor_org_id = ?", *f.org_id);
  if (!f.region_prefix.empty()) {
    w.Add(XT_SQL_ORG_IN_REGION("actor_org_id"), f.region_prefix, RegionPrefixEnd(f.region_prefix));
  }
  if (f.before_seq) w.Add("seq < ?", *f.before_seq);
  if (f.actor_user_id) w.Add("actor_user_id = ?", *f.actor_user_id);
  if (!f.action.empty()) {
    if (f.action.back() == '.') {
      w.Add("substr(action, 1, length(?)) = ?", f.action, f.action);
    } else {
      w.Add("action = ?", f.action);
    }
  }
  if (f.from) w.Add("at >= ?", {core::ToMillis(*f.from)});
  if (f.to) w.Add("at < ?", {core::ToMillis(*f.to)});
  return w;
}
}  // namespace

Result<std::vector<domain::AuditEntry>> SqliteTx::ListAudit(const AuditFilter& f) {
  const Where w = AuditWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_AUDIT_COLS " FROM audit" + w.sql() +
                                           " ORDER BY seq DESC LIMIT ? OFFSET ?"));
  const int next = w.Bind(st);
  st.Bind(next, Limit(f.limit));
  st.Bind(next + 1, std::max(f.offset, 0));
  return All(st, ReadAudit);
}

Result<int64_t> SqliteTx::CountAudit(const AuditFilter& f) {
  const Where w = AuditWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM audit" + w.sql()));
  w.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Status SqliteTx::ScanAudit(const std::function<bool(const domain::AuditEntry&)>& fn) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_AUDIT_COLS " FROM audit ORDER BY seq"));
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || !fn(ReadAudit(st))) return Status::Ok();
  }
}

// ---------------- Signed audit checkpoints ----------------

namespace {
domain::AuditCheckpoint ReadCheckpoint(const Stmt& st) {
  domain::AuditCheckpoint cp;
  cp.seq = st.Int(0);
  cp.hash = st.Text(1);
  cp.at = st.Time(2);
  cp.public_key = st.Text(3);
  cp.signature = st.Text(4);
  return cp;
}
}  // namespace

Result<bool> SqliteTx::InsertAuditCheckpoint(const domain::AuditCheckpoint& cp) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO audit_checkpoints (seq, hash, at, "
                                           "public_key, signature) VALUES (?,?,?,?,?) "
                                           "ON CONFLICT (seq) DO NOTHING"));
  st.BindAll(cp.seq, cp.hash, cp.at, cp.public_key, cp.signature);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<std::vector<domain::AuditCheckpoint>> SqliteTx::ListAuditCheckpoints() {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT seq, hash, at, public_key, signature "
                                           "FROM audit_checkpoints ORDER BY seq"));
  return All(st, ReadCheckpoint);
}

Result<std::optional<domain::AuditCheckpoint>> SqliteTx::LatestAuditCheckpoint() {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT seq, hash, at, public_key, signature "
                                           "FROM audit_checkpoints ORDER BY seq DESC LIMIT 1"));
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::AuditCheckpoint>();
  return std::optional<domain::AuditCheckpoint>(ReadCheckpoint(st));
}

// ---------------- Calendar years ----------------

Status SqliteTx::UpsertCalendarYear(const CalendarYearRow& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("INSERT INTO calendar_years (year, json, loaded_at, loaded_by) "
                           "VALUES (?,?,?,?) ON CONFLICT (year) DO UPDATE SET "
                           "json = excluded.json, loaded_at = excluded.loaded_at, "
                           "loaded_by = excluded.loaded_by"));
  st.BindAll(r.year, r.json, r.loaded_at, r.loaded_by);
  return st.Run();
}

Result<std::vector<CalendarYearRow>> SqliteTx::ListCalendarYears() {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT year, json, loaded_at, loaded_by "
                                           "FROM calendar_years ORDER BY year"));
  return All(st, [](const Stmt& s) {
    CalendarYearRow r;
    r.year = static_cast<int>(s.Int(0));
    r.json = s.Text(1);
    r.loaded_at = s.Time(2);
    r.loaded_by = s.OptInt(3);
    return r;
  });
}

// ---------------- Duties ----------------

namespace {
// Binds every column but id, in XT_SQL_DUTY_COLS order, from parameter 1.
void BindDuty(Stmt& st, const domain::Duty& d) {
  st.BindAll(d.kind, d.rule, d.owner_org_id, d.object_type, d.object_id, d.title, d.trigger_at,
             static_cast<int>(d.unit), d.period, d.due_at, d.yellow_at, d.calendar_version,
             d.provisional, static_cast<int>(d.state), d.met_at, d.on_time, d.late_working_days,
             d.state_reason, d.notified_level, d.created_at, d.created_by);
}
}  // namespace

Result<Id> SqliteTx::InsertDuty(const domain::Duty& d) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st,
      db_.Prepare("INSERT INTO duties (kind, rule, owner_org_id, object_type, object_id, title, "
                  "trigger_at, unit, period, due_at, yellow_at, calendar_version, provisional, "
                  "state, met_at, on_time, late_working_days, state_reason, notified_level, "
                  "created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  BindDuty(st, d);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Status SqliteTx::UpdateDuty(const domain::Duty& d) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st,
      db_.Prepare("UPDATE duties SET kind = ?, rule = ?, owner_org_id = ?, object_type = ?, "
                  "object_id = ?, title = ?, trigger_at = ?, unit = ?, period = ?, due_at = ?, "
                  "yellow_at = ?, calendar_version = ?, provisional = ?, state = ?, met_at = ?, "
                  "on_time = ?, late_working_days = ?, state_reason = ?, notified_level = ?, "
                  "created_at = ?, created_by = ? WHERE id = ?"));
  BindDuty(st, d);
  st.Bind(22, d.id);
  return ExpectChanged(st, "duty", "时限事项不存在");
}

Result<std::vector<domain::Duty>> SqliteTx::RaiseNotifiedLevels(const std::vector<Id>& ids,
                                                                Instant now) {
  XT_RETURN_IF_ERROR(Writable());
  std::vector<Id> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  // Only notified_level is set: SQLite then writes only the indexes that mention it (the two
  // partial sweeper indexes). One execution of the cached statement per id.
  std::vector<domain::Duty> out;
  for (Id id : sorted) {
    XT_ASSIGN_OR_RETURN(
        Stmt st,
        db_.Prepare("UPDATE duties SET notified_level = CASE WHEN due_at <= ?2 THEN 2 ELSE 1 END "
                    "WHERE id = ?1 AND state = 1 AND notified_level < "
                    "(CASE WHEN due_at <= ?2 THEN 2 WHEN yellow_at <= ?2 THEN 1 ELSE 0 END) "
                    "RETURNING " XT_SQL_DUTY_COLS));
    st.BindAll(id, now);
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> one, All(st, ReadDuty));
    for (auto& d : one) out.push_back(std::move(d));
  }
  return out;
}

Result<domain::Duty> SqliteTx::GetDuty(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_DUTY_COLS " FROM duties WHERE id = ?"));
  st.Bind(1, id);
  return One(st, ReadDuty, "duty", "时限事项不存在");
}

Result<std::vector<domain::Duty>> SqliteTx::ListDuties(const DutyFilter& f) {
  const Where w = DutyWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_DUTY_COLS " FROM duties" + w.sql() +
                                           " ORDER BY due_at, id LIMIT ? OFFSET ?"));
  const int next = w.Bind(st);
  st.Bind(next, Limit(f.limit));
  st.Bind(next + 1, std::max(f.offset, 0));
  return All(st, ReadDuty);
}

Result<int64_t> SqliteTx::CountDuties(const DutyFilter& f) {
  const Where w = DutyWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM duties" + w.sql()));
  w.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<std::vector<domain::Duty>> SqliteTx::DutiesTurnedYellow(Instant now, int limit) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(kDutiesTurnedYellowSql));
  st.BindAll(now, Limit(limit));
  return All(st, ReadDuty);
}

Result<std::vector<domain::Duty>> SqliteTx::DutiesTurnedRed(Instant now, int limit) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(kDutiesTurnedRedSql));
  st.BindAll(now, Limit(limit));
  return All(st, ReadDuty);
}

Result<std::vector<domain::Duty>> SqliteTx::ProvisionalOpenDuties() {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(kProvisionalOpenDutiesSql));
  return All(st, ReadDuty);
}

Result<Id> SqliteTx::InsertDutyEvent(const domain::DutyEvent& e) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO duty_events (duty_id, at, actor_user_id, "
                                           "kind, reason, old_due, new_due) "
                                           "VALUES (?,?,?,?,?,?,?)"));
  st.BindAll(e.duty_id, e.at, e.actor_user_id, e.kind, e.reason, e.old_due, e.new_due);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Result<std::vector<Id>> SqliteTx::InsertDutyEvents(const std::vector<domain::DutyEvent>& events) {
  std::vector<Id> ids;
  ids.reserve(events.size());
  for (const domain::DutyEvent& e : events) {
    XT_ASSIGN_OR_RETURN(Id id, InsertDutyEvent(e));
    ids.push_back(id);
  }
  return ids;
}

Result<std::vector<domain::DutyEvent>> SqliteTx::ListDutyEvents(Id duty_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_EVENT_COLS
                                           " FROM duty_events WHERE duty_id = ? ORDER BY id"));
  st.Bind(1, duty_id);
  return All(st, ReadEvent);
}

// ---------------- Notifications ----------------

Result<std::optional<Id>> SqliteTx::InsertNotification(const domain::Notification& n) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("INSERT INTO notifications (user_id, kind, title, body, object_type, "
                           "object_id, dedupe_key, created_at, read_at) "
                           "VALUES (?,?,?,?,?,?,NULLIF(?, ''),?,?) "
                           "ON CONFLICT (user_id, dedupe_key) DO NOTHING"));
  st.BindAll(n.user_id, n.kind, n.title, n.body, n.object_type, n.object_id, n.dedupe_key,
             n.created_at, n.read_at);
  XT_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return std::optional<Id>();
  const Id id = db_.LastInsertId();
  // The outbox (issue 18): one delivery per channel the recipient wants for this class.
  XT_ASSIGN_OR_RETURN(
      Stmt q, db_.Prepare(
                  "INSERT INTO deliveries (notification_id, channel, address, state, attempts, "
                  "next_at, lease_until, lease_owner, last_error, created_at, sent_at) "
                  "SELECT n.id, ch.c, CASE ch.c WHEN 1 THEN u.email ELSE u.mobile END, 0, 0, "
                  "n.created_at, NULL, NULL, '', n.created_at, NULL "
                  "FROM notifications n JOIN user_contacts u ON u.user_id = n.user_id "
                  "JOIN (SELECT 1 AS c UNION ALL SELECT 2) ch "
                  "WHERE n.id = ? AND ((CASE WHEN ? THEN u.urgent_channels "
                  "ELSE u.routine_channels END) & ch.c) <> 0 "
                  "AND (CASE ch.c WHEN 1 THEN u.email ELSE u.mobile END) <> '' "
                  "ON CONFLICT (notification_id, channel) DO NOTHING"));
  q.BindAll(id, n.urgent || domain::UrgentKind(n.kind));
  XT_RETURN_IF_ERROR(q.Run());
  return std::optional<Id>(id);
}

Result<std::vector<std::optional<Id>>> SqliteTx::InsertNotifications(
    const std::vector<domain::Notification>& ns) {
  std::vector<std::optional<Id>> ids;
  ids.reserve(ns.size());
  for (const domain::Notification& n : ns) {
    XT_ASSIGN_OR_RETURN(std::optional<Id> id, InsertNotification(n));
    ids.push_back(id);
  }
  return ids;
}

Result<std::vector<domain::User>> SqliteTx::ListUsersWithRolesIn(const std::vector<Id>& org_ids,
                                                                 domain::RoleSet any_of) {
  std::vector<Id> sorted = org_ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<domain::User> out;
  for (Id org : sorted) {
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> us, ListUsersWithRoles(org, any_of));
    for (auto& u : us) out.push_back(std::move(u));
  }
  return out;
}

Result<std::vector<domain::Notification>> SqliteTx::ListNotifications(
    const NotificationFilter& f) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare(f.unread_only
                               ? "SELECT " XT_SQL_NOTIFICATION_COLS
                                 " FROM notifications WHERE user_id = ? AND read_at IS NULL "
                                 "ORDER BY id DESC LIMIT ? OFFSET ?"
                               : "SELECT " XT_SQL_NOTIFICATION_COLS
                                 " FROM notifications WHERE user_id = ? "
                                 "ORDER BY id DESC LIMIT ? OFFSET ?"));
  st.BindAll(f.user_id, Limit(f.limit), std::max(f.offset, 0));
  return All(st, ReadNotification);
}

Result<int64_t> SqliteTx::CountUnread(Id user_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM notifications "
                                           "WHERE user_id = ? AND read_at IS NULL"));
  st.Bind(1, user_id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Status SqliteTx::MarkNotificationRead(Id user_id, Id id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  // Only the addressee's own notification; a second read keeps the first instant.
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE notifications SET read_at = "
                                           "COALESCE(read_at, ?) WHERE id = ? AND user_id = ?"));
  st.BindAll(at, id, user_id);
  return ExpectChanged(st, "notification", "通知不存在");
}

Status SqliteTx::MarkAllNotificationsRead(Id user_id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE notifications SET read_at = ? "
                                           "WHERE user_id = ? AND read_at IS NULL"));
  st.BindAll(at, user_id);
  return st.Run();
}

Result<std::vector<domain::Notification>> SqliteTx::NotificationsAfter(Id after_id, int limit) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_NOTIFICATION_COLS
                                           " FROM notifications WHERE id > ? "
                                           "ORDER BY id LIMIT ?"));
  st.BindAll(after_id, Limit(limit));
  return All(st, ReadNotification);
}

// ---------------- Job state ----------------

// ---------------- Delivery away from the browser (issue 18) ----------------

namespace {

#define XT_SQL_DELIVERY_COLS                                                                  \
  "d.id, d.notification_id, d.channel, d.address, d.state, d.attempts, d.next_at, "           \
  "d.last_error, d.created_at, d.sent_at, n.user_id, n.kind, n.title, n.body, n.object_type, " \
  "n.object_id, n.created_at, us.username "                                                  \
  "FROM deliveries d JOIN notifications n ON n.id = d.notification_id "                       \
  "JOIN users us ON us.id = n.user_id "

domain::Delivery ReadDelivery(const Stmt& st) {
  domain::Delivery d;
  d.id = st.Int(0);
  d.notification_id = st.Int(1);
  d.channel = static_cast<domain::Channel>(st.Int(2));
  d.address = st.Text(3);
  d.state = static_cast<domain::DeliveryState>(st.Int(4));
  d.attempts = static_cast<int>(st.Int(5));
  d.next_at = st.Time(6);
  d.last_error = st.Text(7);
  d.created_at = st.Time(8);
  d.sent_at = st.OptTime(9);
  d.note.id = d.notification_id;
  d.note.user_id = st.Int(10);
  d.note.kind = st.Text(11);
  d.note.title = st.Text(12);
  d.note.body = st.Text(13);
  d.note.object_type = st.Text(14);
  d.note.object_id = st.Text(15);
  d.note.created_at = st.Time(16);
  d.username = st.Text(17);
  return d;
}

}  // namespace

Result<std::optional<domain::UserContact>> SqliteTx::GetUserContact(Id user_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT user_id, email, mobile, urgent_channels, "
                                           "routine_channels, updated_at FROM user_contacts "
                                           "WHERE user_id = ?"));
  st.Bind(1, user_id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::UserContact>();
  domain::UserContact c;
  c.user_id = st.Int(0);
  c.email = st.Text(1);
  c.mobile = st.Text(2);
  c.urgent_channels = static_cast<int>(st.Int(3));
  c.routine_channels = static_cast<int>(st.Int(4));
  c.updated_at = st.Time(5);
  return std::optional<domain::UserContact>(std::move(c));
}

Status SqliteTx::PutUserContact(const domain::UserContact& c) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("INSERT INTO user_contacts (user_id, email, mobile, urgent_channels, "
                           "routine_channels, updated_at) VALUES (?,?,?,?,?,?) "
                           "ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, "
                           "mobile = excluded.mobile, urgent_channels = excluded.urgent_channels, "
                           "routine_channels = excluded.routine_channels, "
                           "updated_at = excluded.updated_at"));
  st.BindAll(c.user_id, c.email, c.mobile, c.urgent_channels, c.routine_channels, c.updated_at);
  return st.Run();
}

Result<std::vector<domain::Delivery>> SqliteTx::ClaimDeliveries(core::Instant now,
                                                                core::Instant lease_until,
                                                                const std::string& owner,
                                                                int limit) {
  XT_RETURN_IF_ERROR(Writable());
  // One writer at a time on SQLite: the select and the updates below cannot interleave with
  // another instance's claim.
  XT_ASSIGN_OR_RETURN(Stmt sel, db_.Prepare("SELECT id FROM deliveries WHERE state = 0 AND "
                                            "next_at <= ? AND (lease_until IS NULL OR "
                                            "lease_until <= ?) ORDER BY next_at, id LIMIT ?"));
  sel.BindAll(now, now, Limit(limit));
  std::vector<Id> ids;
  for (;;) {
    XT_ASSIGN_OR_RETURN(bool row, sel.Step());
    if (!row) break;
    ids.push_back(sel.Int(0));
  }
  std::vector<domain::Delivery> out;
  for (Id id : ids) {
    XT_ASSIGN_OR_RETURN(Stmt up, db_.Prepare("UPDATE deliveries SET lease_until = ?, "
                                             "lease_owner = ? WHERE id = ?"));
    up.BindAll(lease_until, owner, id);
    XT_RETURN_IF_ERROR(up.Run());
    XT_ASSIGN_OR_RETURN(Stmt rd, db_.Prepare("SELECT " XT_SQL_DELIVERY_COLS "WHERE d.id = ?"));
    rd.Bind(1, id);
    XT_ASSIGN_OR_RETURN(bool row, rd.Step());
    if (row) out.push_back(ReadDelivery(rd));
  }
  return out;
}

Result<bool> SqliteTx::FinishDelivery(const domain::Delivery& d, const std::string& owner) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, "
                           "last_error = ?, sent_at = ?, lease_until = NULL, lease_owner = NULL "
                           "WHERE id = ? AND lease_owner = ? AND state = 0"));
  st.BindAll(static_cast<int>(d.state), d.attempts, d.next_at, d.last_error, d.sent_at, d.id,
             owner);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<std::vector<domain::Delivery>> SqliteTx::ListDeliveries(int state, int offset, int limit) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_DELIVERY_COLS
                                           "WHERE (? < 0 OR d.state = ?) ORDER BY d.id DESC "
                                           "LIMIT ? OFFSET ?"));
  st.BindAll(state, state, Limit(limit), std::max(offset, 0));
  return All(st, ReadDelivery);
}

Result<int64_t> SqliteTx::CountDeliveries(int state) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM deliveries "
                                           "WHERE (? < 0 OR state = ?)"));
  st.BindAll(state, state);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<std::optional<std::string>> SqliteTx::GetState(const std::string& key) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT value FROM job_state WHERE key = ?"));
  st.Bind(1, key);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.Text(0));
}

Status SqliteTx::PutState(const std::string& key, const std::string& value) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO job_state (key, value) VALUES (?, ?) "
                                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  st.BindAll(key, value);
  return st.Run();
}

Status SqliteTx::DeleteState(const std::string& key) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("DELETE FROM job_state WHERE key = ?"));
  st.Bind(1, key);
  return st.Run();
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteTx::ListStates(
    const std::string& prefix) {
  // Keys are TEXT compared byte-wise (BINARY collation): substr over the prefix's bytes.
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT key, value FROM job_state "
                                           "WHERE substr(CAST(key AS BLOB), 1, ?) = CAST(? AS BLOB) "
                                           "ORDER BY key"));
  st.BindAll(static_cast<int64_t>(prefix.size()), prefix);
  std::vector<std::pair<std::string, std::string>> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.emplace_back(st.Text(0), st.Text(1));
  }
}

}  // namespace xietong::storage::sqlite
