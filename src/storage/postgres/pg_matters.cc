// PgTx: matters catalog and delegations (R-JUR-1/2), files, idempotency keys (schema v2).
#include <string>
#include <vector>

#include "storage/postgres/internal/queries.h"
#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

domain::Matter ReadMatter(const PgResult& r, int i) {
  domain::Matter m;
  m.id = r.Int(i, 0);
  m.code = r.Text(i, 1);
  m.name = r.Text(i, 2);
  m.legal_basis = r.Text(i, 3);
  m.owner_org_id = r.Int(i, 4);
  if (!r.IsNull(i, 5)) m.statutory_referral_days = static_cast<int>(r.Int(i, 5));
  return m;
}

// A citation from (number, document id) columns; none when the number is NULL.
std::optional<domain::Citation> CitationOf(const PgResult& r, int i, int col) {
  if (r.IsNull(i, col)) return std::nullopt;
  return domain::Citation{r.Text(i, col), r.OptInt(i, col + 1)};
}

std::optional<std::string> CitedNumber(const std::optional<domain::Citation>& c) {
  if (!c) return std::nullopt;
  return c->decision_number;
}

std::optional<int64_t> CitedDocument(const std::optional<domain::Citation>& c) {
  if (!c) return std::nullopt;
  return c->decision_document_id;
}

#define XT_PG_DELEGATION_COLS                                                       \
  "matter_id, township_org_id, from_day, to_day, decision_number, "                \
  "decision_document_id, withdrawal_decision_number, withdrawal_decision_document_id"

domain::Delegation ReadDelegation(const PgResult& r, int i) {
  domain::Delegation d;
  d.matter_id = r.Int(i, 0);
  d.township_org_id = r.Int(i, 1);
  d.from = r.Day(i, 2);
  if (!r.IsNull(i, 3)) d.to = r.Day(i, 3);
  d.decided_by = CitationOf(r, i, 4);
  d.withdrawn_by = CitationOf(r, i, 6);
  return d;
}

domain::OwnerPeriod ReadOwnerPeriod(const PgResult& r, int i) {
  domain::OwnerPeriod p;
  p.matter_id = r.Int(i, 0);
  p.from = r.Day(i, 1);
  p.owner_org_id = r.Int(i, 2);
  p.basis = r.Text(i, 3);
  p.decided_by = CitationOf(r, i, 4);
  return p;
}

IdempotencyRecord ReadIdem(const PgResult& r, int i) {
  IdempotencyRecord k;
  k.user_id = r.Int(i, 0);
  k.key = r.Text(i, 1);
  k.method = r.Text(i, 2);
  k.route = r.Text(i, 3);
  k.request_hash = r.Text(i, 4);
  k.status = static_cast<int>(r.Int(i, 5));
  k.content_type = r.Text(i, 6);
  k.body = r.Bytes(i, 7);
  k.created_at = r.Time(i, 8);
  return k;
}

FileRef ReadFileRef(const PgResult& r, int i) {
  FileRef f;
  f.sha256 = r.Text(i, 0);
  f.org_id = r.Int(i, 1);
  f.name = r.Text(i, 2);
  f.uploaded_by = r.Int(i, 3);
  f.uploaded_at = r.Time(i, 4);
  return f;
}

Where MatterWhere(const MatterFilter& f) {
  Where w;
  if (f.owner_org_id) w.Add("owner_org_id = ?", *f.owner_org_id);
  if (f.township_org_id) {
    w.Add("id IN (SELECT matter_id FROM matter_delegations WHERE township_org_id = ?)",
          *f.township_org_id);
  }
  if (!f.text.empty()) {
    const std::string like = EscapeLike(f.text);
    w.Add("(code LIKE '%' || ? || '%' ESCAPE '\\' OR name LIKE '%' || ? || '%' ESCAPE '\\'"
          " OR legal_basis LIKE '%' || ? || '%' ESCAPE '\\')",
          like, like, like);
  }
  return w;
}

}  // namespace

// ---------------- Matters (R-JUR-1) ----------------

Result<Id> PgTx::InsertMatter(const domain::Matter& m) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO matters (code, name, legal_basis, owner_org_id, "
                         "statutory_referral_days) VALUES ($1,$2,$3,$4,$5) RETURNING id",
                         Params(m.code, m.name, m.legal_basis, m.owner_org_id,
                                m.statutory_referral_days)));
  return r.Int(0, 0);
}

Status PgTx::UpdateMatter(const domain::Matter& m) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE matters SET code = $1, name = $2, legal_basis = $3, "
                       "owner_org_id = $4, statutory_referral_days = $5 WHERE id = $6",
                       Params(m.code, m.name, m.legal_basis, m.owner_org_id,
                              m.statutory_referral_days, m.id),
                       "matter", "执法事项不存在");
}

Result<domain::Matter> PgTx::GetMatter(Id id) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_MATTER_COLS " FROM matters WHERE id = $1"),
                  Params(id)));
  return One(r, ReadMatter, "matter", "执法事项不存在");
}

Result<domain::Matter> PgTx::GetMatterByCode(const std::string& code) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query(SharedLocking("SELECT " XT_PG_MATTER_COLS " FROM matters WHERE code = $1"),
                  Params(code)));
  return One(r, ReadMatter, "matter", "执法事项不存在");
}

Result<std::vector<domain::Matter>> PgTx::ListMatters(const MatterFilter& f) {
  Where w = MatterWhere(f);
  // Byte order of the code, as SQLite sorts (independent of the database's collation).
  w.Tail(" ORDER BY code COLLATE \"C\" LIMIT ? OFFSET ?", Limit(f.limit),
         static_cast<int64_t>(std::max(f.offset, 0)));
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT " XT_PG_MATTER_COLS " FROM matters" + w.sql(),
                                              w.params()));
  return All(r, ReadMatter);
}

Result<int64_t> PgTx::CountMatters(const MatterFilter& f) {
  const Where w = MatterWhere(f);
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT COUNT(*) FROM matters" + w.sql(), w.params()));
  return r.Int(0, 0);
}

// R-JUR-2: delegations are never deleted; only their end day changes.
Status PgTx::InsertDelegation(const domain::Delegation& d) {
  XT_RETURN_IF_ERROR(Writable());
  Status s = conn_
                 .QueryGuarded("INSERT INTO matter_delegations (" XT_PG_DELEGATION_COLS
                               ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                               Params(d.matter_id, d.township_org_id, d.from, d.to,
                                      CitedNumber(d.decided_by), CitedDocument(d.decided_by),
                                      CitedNumber(d.withdrawn_by), CitedDocument(d.withdrawn_by)))
                 .status();
  if (s.code() == core::Code::kAlreadyExists) {
    return Status::Exists("from", "该乡镇已有同一起始日期的划转", "R-JUR-1");
  }
  return s;
}

Status PgTx::SetDelegationEnd(Id matter_id, Id township_org_id, core::CivilDay from,
                              std::optional<core::CivilDay> to,
                              std::optional<domain::Citation> withdrawn_by) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE matter_delegations SET to_day = $1, "
                       "withdrawal_decision_number = $2, withdrawal_decision_document_id = $3 "
                       "WHERE matter_id = $4 AND township_org_id = $5 AND from_day = $6",
                       Params(to, CitedNumber(withdrawn_by), CitedDocument(withdrawn_by),
                              matter_id, township_org_id, from),
                       "delegation",
                       "划转记录不存在");
}

Result<std::vector<domain::Delegation>> PgTx::ListDelegations(Id matter_id) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT " XT_PG_DELEGATION_COLS
                                  " FROM matter_delegations WHERE matter_id = $1 "
                                  "ORDER BY township_org_id, from_day",
                                  Params(matter_id)));
  return All(r, ReadDelegation);
}

// R-DIS-3, R-JUR-2: owner periods are never deleted.
Status PgTx::InsertOwnerPeriod(const domain::OwnerPeriod& p) {
  XT_RETURN_IF_ERROR(Writable());
  Status s = conn_
                 .QueryGuarded("INSERT INTO matter_owners (matter_id, from_day, owner_org_id, "
                               "basis, decision_number, decision_document_id) "
                               "VALUES ($1,$2,$3,$4,$5,$6)",
                               Params(p.matter_id, p.from, p.owner_org_id, p.basis,
                                      CitedNumber(p.decided_by), CitedDocument(p.decided_by)))
                 .status();
  if (s.code() == core::Code::kAlreadyExists)
    return Status::Exists("from", "该事项已有同一起始日期的主管部门记录", "R-DIS-3");
  return s;
}

Result<std::vector<domain::OwnerPeriod>> PgTx::ListOwnerPeriods(Id matter_id) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT matter_id, from_day, owner_org_id, basis, "
                                  "decision_number, decision_document_id FROM matter_owners "
                                  "WHERE matter_id = $1 ORDER BY from_day",
                                  Params(matter_id)));
  return All(r, ReadOwnerPeriod);
}

// ---------------- Files ----------------

Result<bool> PgTx::InsertFileBlob(const FileBlob& f) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO files (sha256, size, content_type, created_at, bytes) "
                         "VALUES ($1,$2,$3,$4,$5) ON CONFLICT (sha256) DO NOTHING RETURNING 1",
                         Params(f.sha256, f.size, f.content_type, f.created_at,
                                Bytea{f.bytes})));
  return r.rows() > 0;
}

Result<FileBlob> PgTx::GetFileBlob(const std::string& sha256, bool with_bytes) {
  XT_ASSIGN_OR_RETURN(
      PgResult r, conn_.Query(with_bytes ? "SELECT sha256, size, content_type, created_at, bytes "
                                           "FROM files WHERE sha256 = $1"
                                         : "SELECT sha256, size, content_type, created_at, "
                                           "NULL::bytea FROM files WHERE sha256 = $1",
                              Params(sha256)));
  return One(
      r,
      [](const PgResult& s, int i) {
        FileBlob f;
        f.sha256 = s.Text(i, 0);
        f.size = s.Int(i, 1);
        f.content_type = s.Text(i, 2);
        f.created_at = s.Time(i, 3);
        f.bytes = s.Bytes(i, 4);
        return f;
      },
      "file", "文件不存在");
}

Status PgTx::InsertFileRef(const FileRef& f) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO file_refs (sha256, org_id, name, uploaded_by, uploaded_at) "
                    "VALUES ($1,$2,$3,$4,$5)",
                    Params(f.sha256, f.org_id, f.name, f.uploaded_by, f.uploaded_at))
      .status();
}

Result<std::vector<FileRef>> PgTx::ListFileRefs(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT sha256, org_id, name, uploaded_by, uploaded_at "
                                  "FROM file_refs WHERE sha256 = $1 ORDER BY uploaded_at, id",
                                  Params(sha256)));
  return All(r, ReadFileRef);
}

// ---------------- Idempotency keys ----------------

Result<bool> PgTx::ReserveIdempotencyKey(const IdempotencyRecord& k) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO idempotency_keys (" XT_PG_IDEMPOTENCY_COLS
                         ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
                         "ON CONFLICT (user_id, key) DO NOTHING RETURNING 1",
                         Params(k.user_id, k.key, k.method, k.route, k.request_hash, k.status,
                                k.content_type, Bytea{k.body}, k.created_at)));
  return r.rows() > 0;
}

Result<std::optional<IdempotencyRecord>> PgTx::GetIdempotencyKey(Id user_id,
                                                                 const std::string& key) {
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query(Locking("SELECT " XT_PG_IDEMPOTENCY_COLS
                                          " FROM idempotency_keys WHERE user_id = $1 AND key = $2"),
                                  Params(user_id, key)));
  if (r.rows() == 0) return std::optional<IdempotencyRecord>();
  return std::optional<IdempotencyRecord>(ReadIdem(r, 0));
}

Status PgTx::CompleteIdempotencyKey(const IdempotencyRecord& k) {
  XT_RETURN_IF_ERROR(Writable());
  return ExpectChanged("UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 "
                       "WHERE user_id = $4 AND key = $5",
                       Params(k.status, k.content_type, Bytea{k.body}, k.user_id, k.key),
                       "idempotency_key", "幂等键不存在");
}

Status PgTx::DeleteIdempotencyKey(Id user_id, const std::string& key) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .Query("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2", Params(user_id, key))
      .status();
}

Result<int64_t> PgTx::PurgeIdempotencyKeys(core::Instant before) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("DELETE FROM idempotency_keys WHERE created_at < $1",
                                              Params(before)));
  return r.affected();
}

}  // namespace xietong::storage::postgres
