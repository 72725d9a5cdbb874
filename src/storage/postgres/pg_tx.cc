// PgTx: organisations, users, sessions, tokens, audit, calendar years, duties, notifications,
// job state (schema v1). See internal/tx.h for the locking rules.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/postgres/internal/migrations.h"
#include "storage/postgres/internal/queries.h"
#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/row_readers.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

using core::Instant;

namespace {

// ---- Row readers: column order as in internal/queries.h ----

domain::Org ReadOrg(const PgResult& r, int i) { return ReadOrgAt(r, i); }

domain::User ReadUser(const PgResult& r, int i) { return ReadUserAt(r, i); }

Session ReadSession(const PgResult& r, int i) { return ReadSessionAt(r, i); }

ApiToken ReadToken(const PgResult& r, int i) { return ReadTokenAt(r, i); }

domain::AuditEntry ReadAudit(const PgResult& r, int i) {
  domain::AuditEntry e;
  e.seq = r.Int(i, 0);
  e.at = r.Time(i, 1);
  e.actor_user_id = r.OptInt(i, 2);
  e.actor_org_id = r.OptInt(i, 3);
  e.action = r.Text(i, 4);
  e.object_type = r.Text(i, 5);
  e.object_id = r.Text(i, 6);
  e.summary = r.Text(i, 7);
  e.detail = r.Text(i, 8);
  e.detail_digest = r.Text(i, 9);
  e.prev_hash = r.Text(i, 10);
  e.hash = r.Text(i, 11);
  return e;
}

domain::Duty ReadDuty(const PgResult& r, int i) {
  domain::Duty d;
  d.id = r.Int(i, 0);
  d.kind = r.Text(i, 1);
  d.rule = r.Text(i, 2);
  d.owner_org_id = r.Int(i, 3);
  d.object_type = r.Text(i, 4);
  d.object_id = r.Text(i, 5);
  d.title = r.Text(i, 6);
  d.trigger_at = r.Time(i, 7);
  d.unit = static_cast<domain::PeriodUnit>(r.Int(i, 8));
  d.period = r.Int(i, 9);
  d.due_at = r.Time(i, 10);
  d.yellow_at = r.Time(i, 11);
  d.calendar_version = r.Text(i, 12);
  d.provisional = r.Bool(i, 13);
  d.state = static_cast<domain::DutyState>(r.Int(i, 14));
  d.met_at = r.OptTime(i, 15);
  if (!r.IsNull(i, 16)) d.on_time = r.Bool(i, 16);
  if (!r.IsNull(i, 17)) d.late_working_days = static_cast<int>(r.Int(i, 17));
  d.state_reason = r.Text(i, 18);
  d.notified_level = static_cast<int>(r.Int(i, 19));
  d.created_at = r.Time(i, 20);
  d.created_by = r.OptInt(i, 21);
  return d;
}

domain::DutyEvent ReadEvent(const PgResult& r, int i) {
  domain::DutyEvent e;
  e.id = r.Int(i, 0);
  e.duty_id = r.Int(i, 1);
  e.at = r.Time(i, 2);
  e.actor_user_id = r.OptInt(i, 3);
  e.kind = r.Text(i, 4);
  e.reason = r.Text(i, 5);
  e.old_due = r.OptTime(i, 6);
  e.new_due = r.OptTime(i, 7);
  return e;
}

domain::Notification ReadNotification(const PgResult& r, int i) {
  domain::Notification n;
  n.id = r.Int(i, 0);
  n.user_id = r.Int(i, 1);
  n.kind = r.Text(i, 2);
  n.title = r.Text(i, 3);
  n.body = r.Text(i, 4);
  n.object_type = r.Text(i, 5);
  n.object_id = r.Text(i, 6);
  n.dedupe_key = r.Text(i, 7);
  n.created_at = r.Time(i, 8);
  n.read_at = r.OptTime(i, 9);
  return n;
}

constexpr char kLike[] = " LIKE '%' || ? || '%' ESCAPE '\\'";

Where DutyWhere(const DutyFilter& f) {
  Where w;
  if (f.owner_org_ids.size() == 1) {
    w.Add("owner_org_id = ?", f.owner_org_ids[0]);
  } else if (!f.owner_org_ids.empty()) {
    w.Add("owner_org_id = ANY(?)", Int8Array{&f.owner_org_ids});
  }
  if (!f.region_prefix.empty()) w.Add(XT_PG_ORG_IN_REGION("owner_org_id"), RegionLike(f.region_prefix));
  if (f.created_by) w.Add("created_by = ?", *f.created_by);
  if (f.state) w.Add("state = ?", static_cast<int64_t>(*f.state));
  if (!f.kind.empty()) w.Add("kind = ?", f.kind);
  if (f.due_from) w.Add("due_at >= ?", *f.due_from);
  if (f.due_to) w.Add("due_at < ?", *f.due_to);
  if (f.yellow_at_le) w.Add("yellow_at <= ?", *f.yellow_at_le);
  if (f.yellow_at_gt) w.Add("yellow_at > ?", *f.yellow_at_gt);
  if (f.due_at_le) w.Add("due_at <= ?", *f.due_at_le);
  if (f.due_at_gt) w.Add("due_at > ?", *f.due_at_gt);
  if (!f.object_type.empty()) w.Add("object_type = ?", f.object_type);
  if (!f.object_id.empty()) w.Add("object_id = ?", f.object_id);
  if (!f.object_ids.empty()) w.Add("object_id = ANY(?)", TextArray{&f.object_ids});
  if (!f.text.empty()) w.Add(std::string("title") + kLike, EscapeLike(f.text));
  return w;
}

}  // namespace

Status PgTx::Writable() const {
  if (read_only_) return Status::Internal("只读事务中不能写入数据");
  return Status::Ok();
}

std::string PgTx::Locking(const char* select_sql) const {
  std::string sql = select_sql;
  if (!read_only_) sql += " FOR NO KEY UPDATE";
  return sql;
}

std::string PgTx::SharedLocking(const char* select_sql) const {
  std::string sql = select_sql;
  if (!read_only_) sql += " FOR SHARE";
  return sql;
}

Status PgTx::ExpectChanged(const std::string& sql, const Params& p, const char* what,
                           const char* message) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.QueryGuarded(sql, p));
  if (r.affected() == 0) return Status::NotFound(what, message);
  return Status::Ok();
}

// ---------------- Organisations ----------------

Result<Id> PgTx::InsertOrg(const domain::Org& o) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO orgs (code, name, short_name, kind, parent_id, active, "
                         "created_at, doc_prefix, region_code) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
                         "RETURNING id",
                         Params(o.code, o.name, o.short_name, static_cast<int>(o.kind),
                                o.parent_id, o.active, o.created_at, o.doc_prefix,
                                o.region_code)));
  return r.Int(0, 0);
}

Status PgTx::UpdateOrg(const domain::Org& o) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE orgs SET code = $1, name = $2, short_name = $3, kind = $4, "
                       "parent_id = $5, active = $6, created_at = $7, doc_prefix = $8, "
                       "region_code = $9 WHERE id = $10",
                       Params(o.code, o.name, o.short_name, static_cast<int>(o.kind), o.parent_id,
                              o.active, o.created_at, o.doc_prefix, o.region_code, o.id),
                       "org", "机构不存在");
}

Result<domain::Org> PgTx::GetOrg(Id id) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_ORG_COLS " FROM orgs WHERE id = $1"), Params(id)));
  return One(r, ReadOrg, "org", "机构不存在");
}

Result<domain::Org> PgTx::GetOrgByCode(const std::string& code) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_ORG_COLS " FROM orgs WHERE code = $1"),
                  Params(code)));
  return One(r, ReadOrg, "org", "机构不存在");
}

Result<std::vector<domain::Org>> PgTx::ListOrgs() {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT " XT_PG_ORG_COLS " FROM orgs ORDER BY kind, id", {}));
  return All(r, ReadOrg);
}

// ---------------- Users ----------------

Result<Id> PgTx::InsertUser(const domain::User& u) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO users (username, display_name, org_id, unit_id, roles, "
                         "password_hash, disabled, failed_logins, locked_until, created_at, "
                         "region_code) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id",
                         Params(u.username, u.display_name, u.org_id, u.unit_id, u.roles.mask(),
                                u.password_hash, u.disabled, u.failed_logins, u.locked_until,
                                u.created_at, u.region_code)));
  return r.Int(0, 0);
}

Status PgTx::UpdateUser(const domain::User& u) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE users SET username = $1, display_name = $2, org_id = $3, "
                       "unit_id = $4, roles = $5, password_hash = $6, disabled = $7, "
                       "failed_logins = $8, locked_until = $9, created_at = $10, region_code = $11 "
                       "WHERE id = $12",
                       Params(u.username, u.display_name, u.org_id, u.unit_id, u.roles.mask(),
                              u.password_hash, u.disabled, u.failed_logins, u.locked_until,
                              u.created_at, u.region_code, u.id),
                       "user", "用户不存在");
}

Result<domain::User> PgTx::GetUser(Id id) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_USER_COLS " FROM users WHERE id = $1"),
                  Params(id)));
  return One(r, ReadUser, "user", "用户不存在");
}

Result<domain::User> PgTx::GetUserByUsername(const std::string& username) {
  XT_ASSIGN_OR_RETURN(
      PgResult r, conn_.Query(Locking("SELECT " XT_PG_USER_COLS " FROM users WHERE username = $1"),
                              Params(username)));
  return One(r, ReadUser, "user", "用户不存在");
}

Result<std::vector<domain::User>> PgTx::ListUsers(const UserFilter& f) {
  Where w;
  if (f.org_id) w.Add("org_id = ?", *f.org_id);
  if (!f.region_prefix.empty()) w.Add(XT_PG_ORG_IN_REGION("org_id"), RegionLike(f.region_prefix));
  if (f.role) w.Add("(roles & ?) <> 0", int64_t{1} << static_cast<int>(*f.role));
  if (!f.text.empty()) {
    const std::string like = EscapeLike(f.text);
    w.Add(std::string("(username") + kLike + " OR display_name" + kLike + ")", like, like);
  }
  w.Tail(" ORDER BY id LIMIT ?", Limit(f.limit));
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT " XT_PG_USER_COLS " FROM users" + w.sql(), w.params()));
  return All(r, ReadUser);
}

Result<std::vector<domain::User>> PgTx::ListUsersWithRoles(Id org_id, domain::RoleSet any_of) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT " XT_PG_USER_COLS
                                  " FROM users WHERE org_id = $1 AND (roles & $2) <> 0 ORDER BY id",
                                  Params(org_id, any_of.mask())));
  return All(r, ReadUser);
}

// ---------------- Sessions and API tokens ----------------

Status PgTx::InsertSession(const Session& s) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO sessions (" XT_PG_SESSION_COLS ") VALUES ($1,$2,$3,$4,$5,$6)",
                    Params(s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at,
                           s.last_seen_at))
      .status();
}

Result<Session> PgTx::GetSession(const std::string& token_hash) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(Locking("SELECT " XT_PG_SESSION_COLS " FROM sessions WHERE token_hash = $1"),
                  Params(token_hash)));
  return One(r, ReadSession, "session", "会话不存在");
}

Status PgTx::TouchSession(const std::string& token_hash, Instant last_seen, Instant expires_at) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE sessions SET last_seen_at = $1, expires_at = $2 "
                       "WHERE token_hash = $3",
                       Params(last_seen, expires_at, token_hash), "session", "会话不存在");
}

Status PgTx::DeleteSession(const std::string& token_hash) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("DELETE FROM sessions WHERE token_hash = $1", Params(token_hash), "session",
                       "会话不存在");
}

Status PgTx::DeleteSessionsOfUser(Id user_id) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_.Query("DELETE FROM sessions WHERE user_id = $1", Params(user_id)).status();
}

Result<Id> PgTx::InsertApiToken(const ApiToken& t) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO api_tokens (user_id, name, token_hash, created_at, "
                         "revoked_at, last_used_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
                         Params(t.user_id, t.name, t.token_hash, t.created_at, t.revoked_at,
                                t.last_used_at)));
  return r.Int(0, 0);
}

Result<ApiToken> PgTx::GetApiTokenByHash(const std::string& token_hash) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(Locking("SELECT " XT_PG_TOKEN_COLS " FROM api_tokens WHERE token_hash = $1"),
                  Params(token_hash)));
  return One(r, ReadToken, "api_token", "访问令牌不存在");
}

Result<ApiToken> PgTx::GetApiToken(Id id) {
  XT_ASSIGN_OR_RETURN(
      PgResult r, conn_.Query(Locking("SELECT " XT_PG_TOKEN_COLS " FROM api_tokens WHERE id = $1"),
                              Params(id)));
  return One(r, ReadToken, "api_token", "访问令牌不存在");
}

Result<std::vector<ApiToken>> PgTx::ListApiTokens(Id user_id) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_TOKEN_COLS
                                              " FROM api_tokens WHERE user_id = $1 ORDER BY id",
                                              Params(user_id)));
  return All(r, ReadToken);
}

Status PgTx::RevokeApiToken(Id id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  // A second revocation keeps the first instant.
  return ExpectChanged("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) "
                       "WHERE id = $2",
                       Params(at, id), "api_token", "访问令牌不存在");
}

Status PgTx::TouchApiToken(Id id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", Params(at, id),
                       "api_token", "访问令牌不存在");
}

// ---------------- Audit trail ----------------

Status PgTx::QueueAudit(domain::AuditEntry e) {
  XT_RETURN_IF_ERROR(Writable());
  queued_audit_.push_back(std::move(e));
  return Status::Ok();
}

Status PgTx::BeginNested() {
  XT_RETURN_IF_ERROR(Writable());
  // What earlier units queued is appended first: undoing this unit must not undo their entries
  // (a ListAudit inside it would flush them into its savepoint). Usually nothing is queued.
  XT_RETURN_IF_ERROR(FlushAudit());
  XT_RETURN_IF_ERROR(conn_.Exec("SAVEPOINT xt_nested"));
  nested_audit_marks_.push_back(queued_audit_.size());
  return Status::Ok();
}

Status PgTx::EndNested(bool keep) {
  XT_RETURN_IF_ERROR(Writable());
  if (nested_audit_marks_.empty()) return Status::Internal("EndNested without BeginNested");
  const size_t mark = nested_audit_marks_.back();
  nested_audit_marks_.pop_back();
  if (keep) return conn_.Exec("RELEASE SAVEPOINT xt_nested");
  // Undone: so are the audit entries queued since, and a statement error that aborted the
  // transaction inside the unit (the transaction goes on; a deadlock stays known as retryable).
  if (queued_audit_.size() > mark) queued_audit_.resize(mark);
  XT_RETURN_IF_ERROR(conn_.Exec("ROLLBACK TO SAVEPOINT xt_nested; RELEASE SAVEPOINT xt_nested"));
  conn_.ClearAborted();
  return Status::Ok();
}

Status PgTx::FlushAudit() {
  if (queued_audit_.empty()) return Status::Ok();
  std::vector<domain::AuditEntry> queued = std::move(queued_audit_);
  queued_audit_.clear();
  return AppendAudits(std::move(queued)).status();
}

Result<domain::AuditEntry> PgTx::AppendAudit(domain::AuditEntry e) {
  XT_RETURN_IF_ERROR(Writable());
  XT_RETURN_IF_ERROR(FlushAudit());  // what was queued comes first
  // Serialise appends across every connection and server instance: the lock is held until this
  // transaction ends, and (READ COMMITTED) the head query below sees every append committed
  // before the lock was granted.
  XT_RETURN_IF_ERROR(
      conn_.Query("SELECT pg_advisory_xact_lock($1)", Params(kAuditLockKey)).status());
  {
    XT_ASSIGN_OR_RETURN(PgResult head,
                        conn_.Query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", {}));
    const bool row = head.rows() > 0;
    e.seq = row ? head.Int(0, 0) + 1 : 1;
    e.prev_hash = row ? head.Text(0, 1) : std::string(domain::kGenesisHash);
  }
  e.detail_digest = domain::Sha256Hex(e.detail);
  e.hash = domain::ChainHash(e);
  XT_RETURN_IF_ERROR(conn_
                         .QueryGuarded("INSERT INTO audit (" XT_PG_AUDIT_COLS
                                       ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
                                       Params(e.seq, e.at, e.actor_user_id, e.actor_org_id,
                                              e.action, e.object_type, e.object_id, e.summary,
                                              e.detail, e.detail_digest, e.prev_hash, e.hash))
                         .status());
  return e;
}

Result<std::vector<domain::AuditEntry>> PgTx::AppendAudits(std::vector<domain::AuditEntry> entries) {
  XT_RETURN_IF_ERROR(Writable());
  XT_RETURN_IF_ERROR(FlushAudit());  // what was queued comes first
  if (entries.empty()) return entries;
  // As AppendAudit, once for the batch: the lock, the head, the hashes chained here in order,
  // then one INSERT of every row (arrays unnested in the same order).
  XT_RETURN_IF_ERROR(
      conn_.Query("SELECT pg_advisory_xact_lock($1)", Params(kAuditLockKey)).status());
  int64_t seq = 0;
  std::string prev(domain::kGenesisHash);
  {
    XT_ASSIGN_OR_RETURN(PgResult head,
                        conn_.Query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", {}));
    if (head.rows() > 0) {
      seq = head.Int(0, 0);
      prev = head.Text(0, 1);
    }
  }
  const size_t n = entries.size();
  std::vector<int64_t> seqs, ats;
  std::vector<std::optional<int64_t>> users, orgs;
  std::vector<std::string> actions, types, ids, summaries, details, digests, prevs, hashes;
  for (auto* v : {&seqs, &ats}) v->reserve(n);
  for (auto* v : {&users, &orgs}) v->reserve(n);
  for (auto* v : {&actions, &types, &ids, &summaries, &details, &digests, &prevs, &hashes})
    v->reserve(n);
  for (domain::AuditEntry& e : entries) {
    e.seq = ++seq;
    e.prev_hash = prev;
    e.detail_digest = domain::Sha256Hex(e.detail);
    e.hash = domain::ChainHash(e);
    prev = e.hash;
    seqs.push_back(e.seq);
    ats.push_back(core::ToMillis(e.at));
    users.push_back(e.actor_user_id);
    orgs.push_back(e.actor_org_id);
    actions.push_back(e.action);
    types.push_back(e.object_type);
    ids.push_back(e.object_id);
    summaries.push_back(e.summary);
    details.push_back(e.detail);
    digests.push_back(e.detail_digest);
    prevs.push_back(e.prev_hash);
    hashes.push_back(e.hash);
  }
  XT_RETURN_IF_ERROR(
      conn_
          .QueryGuarded("INSERT INTO audit (" XT_PG_AUDIT_COLS
                        ") SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[], "
                        "$5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], "
                        "$11::text[], $12::text[])",
                        Params(Int8Array{&seqs}, Int8Array{&ats}, OptInt8Array{&users},
                               OptInt8Array{&orgs}, TextArray{&actions}, TextArray{&types},
                               TextArray{&ids}, TextArray{&summaries}, TextArray{&details},
                               TextArray{&digests}, TextArray{&prevs}, TextArray{&hashes}))
          .status());
  return entries;
}

namespace {
Where AuditWhere(const AuditFilter& f) {
  Where w;
  if (!f.object_type.empty()) w.Add("object_type = ?", f.object_type);
  if (!f.object_id.empty()) w.Add("object_id = ?", f.object_id);
  if (f.org_id) w.Add("actor_org_id = ?", *f.org_id);
  if (!f.region_prefix.empty()) {
    w.Add(XT_PG_ORG_IN_REGION("actor_org_id"), RegionLike(f.region_prefix));
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
  if (f.from) w.Add("at >= ?", *f.from);
  if (f.to) w.Add("at < ?", *f.to);
  return w;
}
}  // namespace

Result<std::vector<domain::AuditEntry>> PgTx::ListAudit(const AuditFilter& f) {
  XT_RETURN_IF_ERROR(FlushAudit());  // the transaction's own entries are part of the trail
  Where w = AuditWhere(f);
  w.Tail(" ORDER BY seq DESC LIMIT ? OFFSET ?", Limit(f.limit), int64_t{std::max(f.offset, 0)});
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT " XT_PG_AUDIT_COLS " FROM audit" + w.sql(), w.params()));
  return All(r, ReadAudit);
}

Result<int64_t> PgTx::CountAudit(const AuditFilter& f) {
  XT_RETURN_IF_ERROR(FlushAudit());
  const Where w = AuditWhere(f);
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT COUNT(*) FROM audit" + w.sql(), w.params()));
  return r.Int(0, 0);
}

Status PgTx::ScanAudit(const std::function<bool(const domain::AuditEntry&)>& fn) {
  XT_RETURN_IF_ERROR(FlushAudit());  // the transaction's own entries are part of the trail
  // Keyset pages, so a long trail is never held in memory at once.
  constexpr int64_t kPage = 1000;
  int64_t after = 0;
  bool first = true;
  while (true) {
    XT_ASSIGN_OR_RETURN(
        PgResult r,
        conn_.Query(first ? "SELECT " XT_PG_AUDIT_COLS " FROM audit ORDER BY seq LIMIT $1"
                          : "SELECT " XT_PG_AUDIT_COLS
                            " FROM audit WHERE seq > $2 ORDER BY seq LIMIT $1",
                    first ? Params(kPage) : Params(kPage, after)));
    for (int i = 0; i < r.rows(); ++i) {
      domain::AuditEntry e = ReadAudit(r, i);
      after = e.seq;
      if (!fn(e)) return Status::Ok();
    }
    if (r.rows() < kPage) return Status::Ok();
    first = false;
  }
}

// ---------------- Signed audit checkpoints ----------------

namespace {
domain::AuditCheckpoint ReadCheckpoint(const PgResult& r, int i) {
  domain::AuditCheckpoint cp;
  cp.seq = r.Int(i, 0);
  cp.hash = r.Text(i, 1);
  cp.at = r.Time(i, 2);
  cp.public_key = r.Text(i, 3);
  cp.signature = r.Text(i, 4);
  return cp;
}
}  // namespace

Result<bool> PgTx::InsertAuditCheckpoint(const domain::AuditCheckpoint& cp) {
  XT_RETURN_IF_ERROR(Writable());
  // Idempotent per head: instances signing the same head concurrently insert one row.
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO audit_checkpoints (seq, hash, at, public_key, signature) "
                         "VALUES ($1,$2,$3,$4,$5) ON CONFLICT (seq) DO NOTHING RETURNING seq",
                         Params(cp.seq, cp.hash, cp.at, cp.public_key, cp.signature)));
  return r.rows() > 0;
}

Result<std::vector<domain::AuditCheckpoint>> PgTx::ListAuditCheckpoints() {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT seq, hash, at, public_key, signature "
                                              "FROM audit_checkpoints ORDER BY seq",
                                              {}));
  return All(r, ReadCheckpoint);
}

Result<std::optional<domain::AuditCheckpoint>> PgTx::LatestAuditCheckpoint() {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT seq, hash, at, public_key, signature FROM "
                                              "audit_checkpoints ORDER BY seq DESC LIMIT 1",
                                              {}));
  if (r.rows() == 0) return std::optional<domain::AuditCheckpoint>();
  return std::optional<domain::AuditCheckpoint>(ReadCheckpoint(r, 0));
}

// ---------------- Calendar years ----------------

Status PgTx::UpsertCalendarYear(const CalendarYearRow& row) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO calendar_years (year, json, loaded_at, loaded_by) "
                    "VALUES ($1,$2,$3,$4) ON CONFLICT (year) DO UPDATE SET "
                    "json = excluded.json, loaded_at = excluded.loaded_at, "
                    "loaded_by = excluded.loaded_by",
                    Params(row.year, row.json, row.loaded_at, row.loaded_by))
      .status();
}

Result<std::vector<CalendarYearRow>> PgTx::ListCalendarYears() {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT year, json, loaded_at, loaded_by "
                                              "FROM calendar_years ORDER BY year",
                                              {}));
  return All(r, [](const PgResult& s, int i) {
    CalendarYearRow row;
    row.year = static_cast<int>(s.Int(i, 0));
    row.json = s.Text(i, 1);
    row.loaded_at = s.Time(i, 2);
    row.loaded_by = s.OptInt(i, 3);
    return row;
  });
}

// ---------------- Duties ----------------

namespace {
// Every column but id, in XT_PG_DUTY_COLS order ($1 … $21).
Params DutyParams(const domain::Duty& d) {
  return Params(d.kind, d.rule, d.owner_org_id, d.object_type, d.object_id, d.title, d.trigger_at,
                static_cast<int>(d.unit), d.period, d.due_at, d.yellow_at, d.calendar_version,
                d.provisional, static_cast<int>(d.state), d.met_at, d.on_time,
                d.late_working_days, d.state_reason, d.notified_level, d.created_at,
                d.created_by);
}
}  // namespace

Result<Id> PgTx::InsertDuty(const domain::Duty& d) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded(
          "INSERT INTO duties (kind, rule, owner_org_id, object_type, object_id, title, "
          "trigger_at, unit, period, due_at, yellow_at, calendar_version, provisional, state, "
          "met_at, on_time, late_working_days, state_reason, notified_level, created_at, "
          "created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,"
          "$19,$20,$21) RETURNING id",
          DutyParams(d)));
  return r.Int(0, 0);
}

Status PgTx::UpdateDuty(const domain::Duty& d) {
  XT_RETURN_IF_ERROR(Writable());
  Params p = DutyParams(d);
  p.Add(d.id);
  return ExpectChanged(
      "UPDATE duties SET kind = $1, rule = $2, owner_org_id = $3, object_type = $4, "
      "object_id = $5, title = $6, trigger_at = $7, unit = $8, period = $9, due_at = $10, "
      "yellow_at = $11, calendar_version = $12, provisional = $13, state = $14, met_at = $15, "
      "on_time = $16, late_working_days = $17, state_reason = $18, notified_level = $19, "
      "created_at = $20, created_by = $21 WHERE id = $22",
      p, "duty", "时限事项不存在");
}

Result<std::vector<domain::Duty>> PgTx::RaiseNotifiedLevels(const std::vector<Id>& ids,
                                                            Instant now) {
  XT_RETURN_IF_ERROR(Writable());
  if (ids.empty()) return std::vector<domain::Duty>();
  // The audit lock first (see internal/tx.h): the caller appends audit entries next, and
  // taking it now means this transaction never waits for it while holding duty rows.
  XT_RETURN_IF_ERROR(
      conn_.Query("SELECT pg_advisory_xact_lock($1)", Params(kAuditLockKey)).status());
  // One statement for the batch; rows locked elsewhere are skipped, and a row changed by a
  // transaction that committed meanwhile is re-checked on its newest version (READ COMMITTED).
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query("UPDATE duties SET notified_level = CASE WHEN due_at <= $2 THEN 2 ELSE 1 END "
                  "WHERE id IN (SELECT id FROM duties WHERE id = ANY($1) AND state = 1 AND "
                  "notified_level < (CASE WHEN due_at <= $2 THEN 2 WHEN yellow_at <= $2 THEN 1 "
                  "ELSE 0 END) FOR UPDATE SKIP LOCKED) "
                  "AND state = 1 AND notified_level < "
                  "(CASE WHEN due_at <= $2 THEN 2 WHEN yellow_at <= $2 THEN 1 ELSE 0 END) "
                  "RETURNING " XT_PG_DUTY_COLS,
                  Params(Int8Array{&ids}, now)));
  XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> out, All(r, ReadDuty));
  std::sort(out.begin(), out.end(),
            [](const domain::Duty& a, const domain::Duty& b) { return a.id < b.id; });
  return out;
}

Result<domain::Duty> PgTx::GetDuty(Id id) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(Locking("SELECT " XT_PG_DUTY_COLS " FROM duties WHERE id = $1"), Params(id)));
  return One(r, ReadDuty, "duty", "时限事项不存在");
}

Result<std::vector<domain::Duty>> PgTx::ListDuties(const DutyFilter& f) {
  Where w = DutyWhere(f);
  w.Tail(" ORDER BY due_at, id LIMIT ? OFFSET ?", Limit(f.limit),
         static_cast<int64_t>(std::max(f.offset, 0)));
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_DUTY_COLS " FROM duties" + w.sql(),
                                              w.params()));
  return All(r, ReadDuty);
}

Result<int64_t> PgTx::CountDuties(const DutyFilter& f) {
  const Where w = DutyWhere(f);
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT COUNT(*) FROM duties" + w.sql(), w.params()));
  return r.Int(0, 0);
}

Result<std::vector<domain::Duty>> PgTx::DutiesTurnedYellow(Instant now, int limit) {
  XT_ASSIGN_OR_RETURN(
      PgResult r, conn_.Query(read_only_ ? kDutiesTurnedYellowSql : kDutiesTurnedYellowLockSql,
                              Params(now, Limit(limit))));
  return All(r, ReadDuty);
}

Result<std::vector<domain::Duty>> PgTx::DutiesTurnedRed(Instant now, int limit) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query(read_only_ ? kDutiesTurnedRedSql : kDutiesTurnedRedLockSql,
                                  Params(now, Limit(limit))));
  return All(r, ReadDuty);
}

Result<std::vector<domain::Duty>> PgTx::ProvisionalOpenDuties() {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query(kProvisionalOpenDutiesSql, {}));
  return All(r, ReadDuty);
}

Result<Id> PgTx::InsertDutyEvent(const domain::DutyEvent& e) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO duty_events (duty_id, at, actor_user_id, kind, reason, "
                         "old_due, new_due) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                         Params(e.duty_id, e.at, e.actor_user_id, e.kind, e.reason, e.old_due,
                                e.new_due)));
  return r.Int(0, 0);
}

Result<std::vector<Id>> PgTx::InsertDutyEvents(const std::vector<domain::DutyEvent>& events) {
  XT_RETURN_IF_ERROR(Writable());
  if (events.empty()) return std::vector<Id>();
  std::vector<int64_t> duty, at;
  std::vector<std::optional<int64_t>> actor, old_due, new_due;
  std::vector<std::string> kind, reason;
  for (const domain::DutyEvent& e : events) {
    duty.push_back(e.duty_id);
    at.push_back(core::ToMillis(e.at));
    actor.push_back(e.actor_user_id);
    kind.push_back(e.kind);
    reason.push_back(e.reason);
    old_due.push_back(e.old_due ? std::optional<int64_t>(core::ToMillis(*e.old_due)) : std::nullopt);
    new_due.push_back(e.new_due ? std::optional<int64_t>(core::ToMillis(*e.new_due)) : std::nullopt);
  }
  // Rows inserted in the arrays' order, so the ids (one sequence) ascend in that order.
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded(
          "INSERT INTO duty_events (duty_id, at, actor_user_id, kind, reason, old_due, new_due) "
          "SELECT d, a, u, k, r, o, n FROM unnest($1::int8[], $2::int8[], $3::int8[], "
          "$4::text[], $5::text[], $6::int8[], $7::int8[]) WITH ORDINALITY "
          "AS x(d, a, u, k, r, o, n, i) ORDER BY i RETURNING id",
          Params(Int8Array{&duty}, Int8Array{&at}, OptInt8Array{&actor}, TextArray{&kind},
                 TextArray{&reason}, OptInt8Array{&old_due}, OptInt8Array{&new_due})));
  std::vector<Id> ids;
  ids.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) ids.push_back(r.Int(i, 0));
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::vector<domain::DutyEvent>> PgTx::ListDutyEvents(Id duty_id) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_EVENT_COLS
                                              " FROM duty_events WHERE duty_id = $1 ORDER BY id",
                                              Params(duty_id)));
  return All(r, ReadEvent);
}

// ---------------- Notifications ----------------

namespace {
// The outbox (issue 18): for each new notification, one delivery per channel its recipient wants
// for its class and has an address for. `ids` and `urgent` run in parallel (urgent 0/1).
Status QueueDeliveries(Conn& conn, const std::vector<int64_t>& ids,
                       const std::vector<int64_t>& urgent) {
  if (ids.empty()) return Status::Ok();
  return conn
      .QueryGuarded(
          "INSERT INTO deliveries (notification_id, channel, address, state, attempts, next_at, "
          "lease_until, lease_owner, last_error, created_at, sent_at) "
          "SELECT n.id, ch.c, CASE ch.c WHEN 1 THEN u.email ELSE u.mobile END, 0, 0, "
          "n.created_at, NULL, NULL, '', n.created_at, NULL "
          "FROM unnest($1::int8[], $2::int8[]) AS x(id, urgent) "
          "JOIN notifications n ON n.id = x.id JOIN user_contacts u ON u.user_id = n.user_id "
          "CROSS JOIN (VALUES (1), (2)) AS ch(c) "
          "WHERE ((CASE WHEN x.urgent <> 0 THEN u.urgent_channels ELSE u.routine_channels END) "
          "& ch.c) <> 0 AND (CASE ch.c WHEN 1 THEN u.email ELSE u.mobile END) <> '' "
          "ORDER BY n.id, ch.c ON CONFLICT (notification_id, channel) DO NOTHING",
          Params(Int8Array{&ids}, Int8Array{&urgent}))
      .status();
}
}  // namespace

Result<std::optional<Id>> PgTx::InsertNotification(const domain::Notification& n) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO notifications (user_id, kind, title, body, object_type, "
                         "object_id, dedupe_key, created_at, read_at) "
                         "VALUES ($1,$2,$3,$4,$5,$6,NULLIF($7, ''),$8,$9) "
                         "ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id",
                         Params(n.user_id, n.kind, n.title, n.body, n.object_type, n.object_id,
                                n.dedupe_key, n.created_at, n.read_at)));
  if (r.rows() == 0) return std::optional<Id>();
  const Id id = r.Int(0, 0);
  XT_RETURN_IF_ERROR(QueueDeliveries(conn_, {id}, {(n.urgent || domain::UrgentKind(n.kind)) ? 1 : 0}));
  return std::optional<Id>(id);
}

Result<std::vector<std::optional<Id>>> PgTx::InsertNotifications(
    const std::vector<domain::Notification>& ns) {
  XT_RETURN_IF_ERROR(Writable());
  std::vector<std::optional<Id>> out;
  out.reserve(ns.size());
  const bool keyed = std::all_of(ns.begin(), ns.end(),
                                 [](const domain::Notification& n) { return !n.dedupe_key.empty(); });
  if (!keyed || ns.size() < 2) {  // an unkeyed row cannot be matched to its id below
    for (const domain::Notification& n : ns) {
      XT_ASSIGN_OR_RETURN(std::optional<Id> id, InsertNotification(n));
      out.push_back(id);
    }
    return out;
  }
  std::vector<int64_t> user, created;
  std::vector<std::optional<int64_t>> read;
  std::vector<std::string> kind, title, body, otype, oid, key;
  for (const domain::Notification& n : ns) {
    user.push_back(n.user_id);
    kind.push_back(n.kind);
    title.push_back(n.title);
    body.push_back(n.body);
    otype.push_back(n.object_type);
    oid.push_back(n.object_id);
    key.push_back(n.dedupe_key);
    created.push_back(core::ToMillis(n.created_at));
    read.push_back(n.read_at ? std::optional<int64_t>(core::ToMillis(*n.read_at)) : std::nullopt);
  }
  // A row whose key exists (or came earlier in this statement) is skipped by ON CONFLICT.
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded(
          "INSERT INTO notifications (user_id, kind, title, body, object_type, object_id, "
          "dedupe_key, created_at, read_at) "
          "SELECT u, k, t, b, ot, oi, dk, c, r FROM unnest($1::int8[], $2::text[], $3::text[], "
          "$4::text[], $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[]) "
          "WITH ORDINALITY AS x(u, k, t, b, ot, oi, dk, c, r, i) ORDER BY i "
          "ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id, user_id, dedupe_key",
          Params(Int8Array{&user}, TextArray{&kind}, TextArray{&title}, TextArray{&body},
                 TextArray{&otype}, TextArray{&oid}, TextArray{&key}, Int8Array{&created},
                 OptInt8Array{&read})));
  std::map<std::pair<Id, std::string>, Id> inserted;
  for (int i = 0; i < r.rows(); ++i) inserted.emplace(std::pair(r.Int(i, 1), r.Text(i, 2)), r.Int(i, 0));
  for (const domain::Notification& n : ns) {
    auto it = inserted.find(std::pair(n.user_id, n.dedupe_key));
    if (it == inserted.end()) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(it->second);
      inserted.erase(it);  // a later duplicate in `ns` was not inserted
    }
  }
  std::vector<int64_t> queued, urgent;
  for (size_t i = 0; i < ns.size(); ++i) {
    if (!out[i]) continue;
    queued.push_back(*out[i]);
    urgent.push_back((ns[i].urgent || domain::UrgentKind(ns[i].kind)) ? 1 : 0);
  }
  XT_RETURN_IF_ERROR(QueueDeliveries(conn_, queued, urgent));
  return out;
}

Result<std::vector<domain::User>> PgTx::ListUsersWithRolesIn(const std::vector<Id>& org_ids,
                                                             domain::RoleSet any_of) {
  if (org_ids.empty()) return std::vector<domain::User>();
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT " XT_PG_USER_COLS
                                  " FROM users WHERE org_id = ANY($1) AND (roles & $2) <> 0 "
                                  "ORDER BY org_id, id",
                                  Params(Int8Array{&org_ids}, any_of.mask())));
  return All(r, ReadUser);
}

Result<std::vector<domain::Notification>> PgTx::ListNotifications(const NotificationFilter& f) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(f.unread_only ? "SELECT " XT_PG_NOTIFICATION_COLS
                                  " FROM notifications WHERE user_id = $1 AND read_at IS NULL "
                                  "ORDER BY id DESC LIMIT $2 OFFSET $3"
                                : "SELECT " XT_PG_NOTIFICATION_COLS
                                  " FROM notifications WHERE user_id = $1 "
                                  "ORDER BY id DESC LIMIT $2 OFFSET $3",
                  Params(f.user_id, Limit(f.limit), static_cast<int64_t>(std::max(f.offset, 0)))));
  return All(r, ReadNotification);
}

Result<int64_t> PgTx::CountUnread(Id user_id) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT COUNT(*) FROM notifications "
                                              "WHERE user_id = $1 AND read_at IS NULL",
                                              Params(user_id)));
  return r.Int(0, 0);
}

Status PgTx::MarkNotificationRead(Id user_id, Id id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  // Only the addressee's own notification; a second read keeps the first instant.
  return ExpectChanged("UPDATE notifications SET read_at = COALESCE(read_at, $1) "
                       "WHERE id = $2 AND user_id = $3",
                       Params(at, id, user_id), "notification", "通知不存在");
}

Status PgTx::MarkAllNotificationsRead(Id user_id, Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .Query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
             Params(at, user_id))
      .status();
}

Result<std::vector<domain::Notification>> PgTx::NotificationsAfter(Id after_id, int limit) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_NOTIFICATION_COLS
                                              " FROM notifications WHERE id > $1 "
                                              "ORDER BY id LIMIT $2",
                                              Params(after_id, Limit(limit))));
  return All(r, ReadNotification);
}

// ---------------- Job state ----------------

// ---------------- Delivery away from the browser (issue 18) ----------------

namespace {

#define XT_PG_DELIVERY_COLS                                                                   \
  "d.id, d.notification_id, d.channel, d.address, d.state, d.attempts, d.next_at, "           \
  "d.last_error, d.created_at, d.sent_at, n.user_id, n.kind, n.title, n.body, n.object_type, " \
  "n.object_id, n.created_at, us.username "                                                  \
  "FROM deliveries d JOIN notifications n ON n.id = d.notification_id "                       \
  "JOIN users us ON us.id = n.user_id "

domain::Delivery ReadDelivery(const PgResult& r, int i) {
  domain::Delivery d;
  d.id = r.Int(i, 0);
  d.notification_id = r.Int(i, 1);
  d.channel = static_cast<domain::Channel>(r.Int(i, 2));
  d.address = r.Text(i, 3);
  d.state = static_cast<domain::DeliveryState>(r.Int(i, 4));
  d.attempts = static_cast<int>(r.Int(i, 5));
  d.next_at = r.Time(i, 6);
  d.last_error = r.Text(i, 7);
  d.created_at = r.Time(i, 8);
  d.sent_at = r.OptTime(i, 9);
  d.note.id = d.notification_id;
  d.note.user_id = r.Int(i, 10);
  d.note.kind = r.Text(i, 11);
  d.note.title = r.Text(i, 12);
  d.note.body = r.Text(i, 13);
  d.note.object_type = r.Text(i, 14);
  d.note.object_id = r.Text(i, 15);
  d.note.created_at = r.Time(i, 16);
  d.username = r.Text(i, 17);
  return d;
}

}  // namespace

Result<std::optional<domain::UserContact>> PgTx::GetUserContact(Id user_id) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT user_id, email, mobile, urgent_channels, "
                                              "routine_channels, updated_at FROM user_contacts "
                                              "WHERE user_id = $1",
                                              Params(user_id)));
  if (r.rows() == 0) return std::optional<domain::UserContact>();
  domain::UserContact c;
  c.user_id = r.Int(0, 0);
  c.email = r.Text(0, 1);
  c.mobile = r.Text(0, 2);
  c.urgent_channels = static_cast<int>(r.Int(0, 3));
  c.routine_channels = static_cast<int>(r.Int(0, 4));
  c.updated_at = r.Time(0, 5);
  return std::optional<domain::UserContact>(std::move(c));
}

Status PgTx::PutUserContact(const domain::UserContact& c) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO user_contacts (user_id, email, mobile, urgent_channels, "
                    "routine_channels, updated_at) VALUES ($1,$2,$3,$4,$5,$6) "
                    "ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, "
                    "mobile = excluded.mobile, urgent_channels = excluded.urgent_channels, "
                    "routine_channels = excluded.routine_channels, "
                    "updated_at = excluded.updated_at",
                    Params(c.user_id, c.email, c.mobile, c.urgent_channels, c.routine_channels,
                           c.updated_at))
      .status();
}

Result<std::vector<domain::Delivery>> PgTx::ClaimDeliveries(core::Instant now,
                                                            core::Instant lease_until,
                                                            const std::string& owner, int limit) {
  XT_RETURN_IF_ERROR(Writable());
  // Rows another instance is claiming right now are skipped, not waited for.
  XT_ASSIGN_OR_RETURN(
      PgResult ids,
      conn_.QueryGuarded("UPDATE deliveries SET lease_until = $2, lease_owner = $3 WHERE id IN "
                         "(SELECT id FROM deliveries WHERE state = 0 AND next_at <= $1 AND "
                         "(lease_until IS NULL OR lease_until <= $1) ORDER BY next_at, id "
                         "LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING id",
                         Params(now, lease_until, owner, static_cast<int64_t>(Limit(limit)))));
  std::vector<int64_t> claimed;
  for (int i = 0; i < ids.rows(); ++i) claimed.push_back(ids.Int(i, 0));
  if (claimed.empty()) return std::vector<domain::Delivery>();
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_DELIVERY_COLS
                                              "WHERE d.id = ANY($1) ORDER BY d.next_at, d.id",
                                              Params(Int8Array{&claimed})));
  return All(r, ReadDelivery);
}

Result<bool> PgTx::FinishDelivery(const domain::Delivery& d, const std::string& owner) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("UPDATE deliveries SET state = $1, attempts = $2, next_at = $3, "
                         "last_error = $4, sent_at = $5, lease_until = NULL, lease_owner = NULL "
                         "WHERE id = $6 AND lease_owner = $7 AND state = 0 RETURNING id",
                         Params(static_cast<int64_t>(d.state), d.attempts, d.next_at,
                                d.last_error, d.sent_at, d.id, owner)));
  return r.rows() > 0;
}

Result<std::vector<domain::Delivery>> PgTx::ListDeliveries(int state, int offset, int limit) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_DELIVERY_COLS
                                              "WHERE ($1 < 0 OR d.state = $1) ORDER BY d.id DESC "
                                              "LIMIT $2 OFFSET $3",
                                              Params(state, static_cast<int64_t>(Limit(limit)),
                                                     static_cast<int64_t>(std::max(offset, 0)))));
  return All(r, ReadDelivery);
}

Result<int64_t> PgTx::CountDeliveries(int state) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT COUNT(*) FROM deliveries "
                                              "WHERE ($1 < 0 OR state = $1)",
                                              Params(state)));
  return r.Int(0, 0);
}

Result<std::optional<std::string>> PgTx::GetState(const std::string& key) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query(Locking("SELECT value FROM job_state WHERE key = $1"),
                                  Params(key)));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r.Text(0, 0));
}

Status PgTx::PutState(const std::string& key, const std::string& value) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO job_state (key, value) VALUES ($1, $2) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    Params(key, value))
      .status();
}

Status PgTx::DeleteState(const std::string& key) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_.Query("DELETE FROM job_state WHERE key = $1", Params(key)).status();
}

Result<std::vector<std::pair<std::string, std::string>>> PgTx::ListStates(
    const std::string& prefix) {
  // Equality under a deterministic collation is byte equality; the order is by the UTF-8
  // bytes, whatever the database's collation.
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT key, value FROM job_state WHERE "
                                  "left(key, char_length($1::text)) = $1::text "
                                  "ORDER BY convert_to(key, 'UTF8')",
                                  Params(prefix)));
  return All(r, [](const PgResult& s, int i) {
    return std::pair<std::string, std::string>(s.Text(i, 0), s.Text(i, 1));
  });
}

}  // namespace xietong::storage::postgres
