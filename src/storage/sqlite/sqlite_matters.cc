// SqliteTx: matters catalog and delegations (R-JUR-1/2), files, idempotency keys (schema v2).
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

#define XT_SQL_MATTER_COLS \
  "id, code, name, legal_basis, owner_org_id, statutory_referral_days"

domain::Matter ReadMatter(const Stmt& st) {
  domain::Matter m;
  m.id = st.Int(0);
  m.code = st.Text(1);
  m.name = st.Text(2);
  m.legal_basis = st.Text(3);
  m.owner_org_id = st.Int(4);
  if (!st.IsNull(5)) m.statutory_referral_days = static_cast<int>(st.Int(5));
  return m;
}

std::optional<core::CivilDay> DayOf(const Stmt& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return core::ParseDay(st.Text(col));
}

// A citation from (number, document id) columns; none when the number is NULL.
std::optional<domain::Citation> CitationOf(const Stmt& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return domain::Citation{st.Text(col), st.OptInt(col + 1)};
}

std::optional<std::string> CitedNumber(const std::optional<domain::Citation>& c) {
  if (!c) return std::nullopt;
  return c->decision_number;
}

std::optional<int64_t> CitedDocument(const std::optional<domain::Citation>& c) {
  if (!c) return std::nullopt;
  return c->decision_document_id;
}

#define XT_SQL_DELEGATION_COLS                                                      \
  "matter_id, township_org_id, from_day, to_day, decision_number, "                \
  "decision_document_id, withdrawal_decision_number, withdrawal_decision_document_id"

domain::Delegation ReadDelegation(const Stmt& st) {
  domain::Delegation d;
  d.matter_id = st.Int(0);
  d.township_org_id = st.Int(1);
  d.from = DayOf(st, 2).value_or(core::CivilDay{});
  d.to = DayOf(st, 3);
  d.decided_by = CitationOf(st, 4);
  d.withdrawn_by = CitationOf(st, 6);
  return d;
}

domain::OwnerPeriod ReadOwnerPeriod(const Stmt& st) {
  domain::OwnerPeriod p;
  p.matter_id = st.Int(0);
  p.from = DayOf(st, 1).value_or(core::CivilDay{});
  p.owner_org_id = st.Int(2);
  p.basis = st.Text(3);
  p.decided_by = CitationOf(st, 4);
  return p;
}

std::optional<std::string> DayText(const std::optional<core::CivilDay>& d) {
  if (!d) return std::nullopt;
  return core::FormatDay(*d);
}

std::string Blob(const Stmt& st, int col) {
  const void* p = sqlite3_column_blob(st.raw(), col);
  int n = sqlite3_column_bytes(st.raw(), col);
  if (!p || n <= 0) return {};
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

Status BindBlob(Stmt& st, int i, const std::string& bytes) {
  // A zero-length blob needs a non-null pointer to be stored as a blob, not NULL.
  static const char kEmpty = 0;
  int rc = sqlite3_bind_blob64(st.raw(), i, bytes.empty() ? &kEmpty : bytes.data(),
                               bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) return Status::Internal("绑定二进制参数失败");
  return Status::Ok();
}

template <typename F>
auto OneRow(Stmt& st, F read, const char* what, const char* message)
    -> Result<decltype(read(st))> {
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(what, message);
  return read(st);
}

template <typename F>
auto AllRows(Stmt& st, F read) -> Result<std::vector<decltype(read(st))>> {
  std::vector<decltype(read(st))> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(read(st));
  }
}

// WHERE clause of a MatterFilter; binds from parameter 1 and returns the next index.
struct MatterWhere {
  std::string sql;
  std::vector<std::variant<int64_t, std::string>> args;
  explicit MatterWhere(const MatterFilter& f) {
    auto add = [&](const char* cond) { sql += sql.empty() ? " WHERE " : " AND ", sql += cond; };
    if (f.owner_org_id) {
      add("owner_org_id = ?");
      args.emplace_back(*f.owner_org_id);
    }
    if (f.township_org_id) {
      add("id IN (SELECT matter_id FROM matter_delegations WHERE township_org_id = ?)");
      args.emplace_back(*f.township_org_id);
    }
    if (!f.text.empty()) {
      add("(code LIKE '%' || ? || '%' ESCAPE '\\' OR name LIKE '%' || ? || '%' ESCAPE '\\'"
          " OR legal_basis LIKE '%' || ? || '%' ESCAPE '\\')");
      std::string like = EscapeLike(f.text);
      for (int k = 0; k < 3; ++k) args.emplace_back(like);
    }
  }
  int Bind(Stmt& st) const {
    int i = 0;
    for (const auto& a : args) {
      ++i;
      if (const auto* v = std::get_if<int64_t>(&a)) {
        st.Bind(i, *v);
      } else {
        st.Bind(i, std::get<std::string>(a));
      }
    }
    return i + 1;
  }
};

#define XT_SQL_IDEM_COLS \
  "user_id, key, method, route, request_hash, status, content_type, body, created_at"

IdempotencyRecord ReadIdem(const Stmt& st) {
  IdempotencyRecord r;
  r.user_id = st.Int(0);
  r.key = st.Text(1);
  r.method = st.Text(2);
  r.route = st.Text(3);
  r.request_hash = st.Text(4);
  r.status = static_cast<int>(st.Int(5));
  r.content_type = st.Text(6);
  r.body = Blob(st, 7);
  r.created_at = st.Time(8);
  return r;
}

FileRef ReadFileRef(const Stmt& st) {
  FileRef r;
  r.sha256 = st.Text(0);
  r.org_id = st.Int(1);
  r.name = st.Text(2);
  r.uploaded_by = st.Int(3);
  r.uploaded_at = st.Time(4);
  return r;
}

}  // namespace

// ---------------- Matters (R-JUR-1) ----------------

Result<Id> SqliteTx::InsertMatter(const domain::Matter& m) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO matters (code, name, legal_basis, "
                                           "owner_org_id, statutory_referral_days) "
                                           "VALUES (?,?,?,?,?)"));
  st.BindAll(m.code, m.name, m.legal_basis, m.owner_org_id, m.statutory_referral_days);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Status SqliteTx::UpdateMatter(const domain::Matter& m) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE matters SET code = ?, name = ?, "
                                           "legal_basis = ?, owner_org_id = ?, "
                                           "statutory_referral_days = ? WHERE id = ?"));
  st.BindAll(m.code, m.name, m.legal_basis, m.owner_org_id, m.statutory_referral_days, m.id);
  return ExpectChanged(st, "matter", "执法事项不存在");
}

Result<domain::Matter> SqliteTx::GetMatter(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_MATTER_COLS " FROM matters WHERE id = ?"));
  st.Bind(1, id);
  return OneRow(st, ReadMatter, "matter", "执法事项不存在");
}

Result<domain::Matter> SqliteTx::GetMatterByCode(const std::string& code) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_MATTER_COLS " FROM matters WHERE code = ?"));
  st.Bind(1, code);
  return OneRow(st, ReadMatter, "matter", "执法事项不存在");
}

Result<std::vector<domain::Matter>> SqliteTx::ListMatters(const MatterFilter& f) {
  MatterWhere w(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_MATTER_COLS " FROM matters" + w.sql +
                                           " ORDER BY code LIMIT ? OFFSET ?"));
  int i = w.Bind(st);
  st.Bind(i, std::max(f.limit, 0));
  st.Bind(i + 1, std::max(f.offset, 0));
  return AllRows(st, ReadMatter);
}

Result<int64_t> SqliteTx::CountMatters(const MatterFilter& f) {
  MatterWhere w(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM matters" + w.sql));
  w.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

// R-JUR-2: delegations are never deleted; only their end day changes.
Status SqliteTx::InsertDelegation(const domain::Delegation& d) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO matter_delegations (" XT_SQL_DELEGATION_COLS
                                           ") VALUES (?,?,?,?,?,?,?,?)"));
  st.BindAll(d.matter_id, d.township_org_id, core::FormatDay(d.from), DayText(d.to),
             CitedNumber(d.decided_by), CitedDocument(d.decided_by), CitedNumber(d.withdrawn_by),
             CitedDocument(d.withdrawn_by));
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists)
    return Status::Exists("from", "该乡镇已有同一起始日期的划转", "R-JUR-1");
  return s;
}

Status SqliteTx::SetDelegationEnd(Id matter_id, Id township_org_id, core::CivilDay from,
                                  std::optional<core::CivilDay> to,
                                  std::optional<domain::Citation> withdrawn_by) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE matter_delegations SET to_day = ?, "
                                           "withdrawal_decision_number = ?, "
                                           "withdrawal_decision_document_id = ? WHERE "
                                           "matter_id = ? AND township_org_id = ? AND "
                                           "from_day = ?"));
  st.BindAll(DayText(to), CitedNumber(withdrawn_by), CitedDocument(withdrawn_by), matter_id,
             township_org_id, core::FormatDay(from));
  return ExpectChanged(st, "delegation", "划转记录不存在");
}

Result<std::vector<domain::Delegation>> SqliteTx::ListDelegations(Id matter_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_DELEGATION_COLS
                                           " FROM matter_delegations WHERE matter_id = ? "
                                           "ORDER BY township_org_id, from_day"));
  st.Bind(1, matter_id);
  return AllRows(st, ReadDelegation);
}

// R-DIS-3, R-JUR-2: owner periods are never deleted.
Status SqliteTx::InsertOwnerPeriod(const domain::OwnerPeriod& p) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO matter_owners (matter_id, from_day, "
                                           "owner_org_id, basis, decision_number, "
                                           "decision_document_id) VALUES (?,?,?,?,?,?)"));
  st.BindAll(p.matter_id, core::FormatDay(p.from), p.owner_org_id, p.basis,
             CitedNumber(p.decided_by), CitedDocument(p.decided_by));
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists)
    return Status::Exists("from", "该事项已有同一起始日期的主管部门记录", "R-DIS-3");
  return s;
}

Result<std::vector<domain::OwnerPeriod>> SqliteTx::ListOwnerPeriods(Id matter_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT matter_id, from_day, owner_org_id, basis, "
                                           "decision_number, decision_document_id "
                                           "FROM matter_owners WHERE matter_id = ? "
                                           "ORDER BY from_day"));
  st.Bind(1, matter_id);
  return AllRows(st, ReadOwnerPeriod);
}

// ---------------- Files ----------------

Result<bool> SqliteTx::InsertFileBlob(const FileBlob& f) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO files (sha256, size, content_type, "
                                           "created_at, bytes) VALUES (?,?,?,?,?) "
                                           "ON CONFLICT (sha256) DO NOTHING"));
  st.BindAll(f.sha256, f.size, f.content_type, f.created_at);
  XT_RETURN_IF_ERROR(BindBlob(st, 5, f.bytes));
  XT_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<FileBlob> SqliteTx::GetFileBlob(const std::string& sha256, bool with_bytes) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare(with_bytes ? "SELECT sha256, size, content_type, created_at, "
                                               "bytes FROM files WHERE sha256 = ?"
                                             : "SELECT sha256, size, content_type, created_at, "
                                               "NULL FROM files WHERE sha256 = ?"));
  st.Bind(1, sha256);
  return OneRow(
      st,
      [](const Stmt& s) {
        FileBlob f;
        f.sha256 = s.Text(0);
        f.size = s.Int(1);
        f.content_type = s.Text(2);
        f.created_at = s.Time(3);
        f.bytes = Blob(s, 4);
        return f;
      },
      "file", "文件不存在");
}

Status SqliteTx::InsertFileRef(const FileRef& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO file_refs (sha256, org_id, name, "
                                           "uploaded_by, uploaded_at) VALUES (?,?,?,?,?)"));
  st.BindAll(r.sha256, r.org_id, r.name, r.uploaded_by, r.uploaded_at);
  return st.Run();
}

Result<std::vector<FileRef>> SqliteTx::ListFileRefs(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT sha256, org_id, name, uploaded_by, "
                                           "uploaded_at FROM file_refs WHERE sha256 = ? "
                                           "ORDER BY uploaded_at, id"));
  st.Bind(1, sha256);
  return AllRows(st, ReadFileRef);
}

// ---------------- Idempotency keys ----------------

Result<bool> SqliteTx::ReserveIdempotencyKey(const IdempotencyRecord& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO idempotency_keys (" XT_SQL_IDEM_COLS
                                           ") VALUES (?,?,?,?,?,?,?,?,?) "
                                           "ON CONFLICT (user_id, key) DO NOTHING"));
  st.BindAll(r.user_id, r.key, r.method, r.route, r.request_hash, r.status, r.content_type);
  XT_RETURN_IF_ERROR(BindBlob(st, 8, r.body));
  st.Bind(9, r.created_at);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<std::optional<IdempotencyRecord>> SqliteTx::GetIdempotencyKey(Id user_id,
                                                                     const std::string& key) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_IDEM_COLS " FROM idempotency_keys "
                                           "WHERE user_id = ? AND key = ?"));
  st.BindAll(user_id, key);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<IdempotencyRecord>();
  return std::optional<IdempotencyRecord>(ReadIdem(st));
}

Status SqliteTx::CompleteIdempotencyKey(const IdempotencyRecord& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE idempotency_keys SET status = ?, "
                                           "content_type = ?, body = ? "
                                           "WHERE user_id = ? AND key = ?"));
  st.BindAll(r.status, r.content_type);
  XT_RETURN_IF_ERROR(BindBlob(st, 3, r.body));
  st.Bind(4, r.user_id);
  st.Bind(5, r.key);
  return ExpectChanged(st, "idempotency_key", "幂等键不存在");
}

Status SqliteTx::DeleteIdempotencyKey(Id user_id, const std::string& key) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?"));
  st.BindAll(user_id, key);
  return st.Run();
}

Result<int64_t> SqliteTx::PurgeIdempotencyKeys(core::Instant before) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("DELETE FROM idempotency_keys WHERE created_at < ?"));
  st.Bind(1, before);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.Changes();
}

}  // namespace xietong::storage::sqlite
