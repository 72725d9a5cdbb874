// PgTx: referrals with their evidence, issued documents and document counters (schema v3).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

#define XT_PG_REFERRAL_SET_COLS                                                                 \
  "number, state, from_org_id, to_org_id, matter_id, matter_code, matter_owner_org_id, "        \
  "township_org_id, place, discovered_at, facts, party_name, party_id_type, party_id_number, "   \
  "party_address, party_phone, legal_basis, urgent, ongoing, dissuasion_at, dissuasion_note, "   \
  "facts_clear, evidence_complete, procedure_lawful, formalities_complete, unit_id, "           \
  "unit_legal_basis, jurisdiction_override_reason, flagged_for_coordinator, created_by, "       \
  "created_at, updated_at, submitted_at, sent_at, received_at, accepted_at, closed_at, "         \
  "accept_note, decline_reason, return_reason, result, coord_requested_at, coord_reason, "       \
  "coord_decision, coord_decided_at, coord_decided_by, coord_decision_reason"
#define XT_PG_REFERRAL_COLS "id, " XT_PG_REFERRAL_SET_COLS
constexpr int kReferralSetCols = 47;

#define XT_PG_DOCUMENT_COLS                                                                  \
  "id, kind, number, org_id, year, serial, referral_id, title, snapshot, created_at, created_by"

domain::Referral ReadReferral(const PgResult& s, int i) {
  domain::Referral r;
  int c = 0;
  r.id = s.Int(i, c++);
  if (!s.IsNull(i, c)) r.number = s.Text(i, c);
  ++c;
  r.state = static_cast<domain::ReferralState>(s.Int(i, c++));
  r.from_org_id = s.Int(i, c++);
  r.to_org_id = s.Int(i, c++);
  r.matter_id = s.Int(i, c++);
  r.matter_code = s.Text(i, c++);
  r.matter_owner_org_id = s.Int(i, c++);
  r.township_org_id = s.Int(i, c++);
  r.place = s.Text(i, c++);
  r.discovered_at = s.Time(i, c++);
  r.facts = s.Text(i, c++);
  r.party.name = s.Text(i, c++);
  r.party.id_type = s.Text(i, c++);
  r.party.id_number = s.Text(i, c++);
  r.party.address = s.Text(i, c++);
  r.party.phone = s.Text(i, c++);
  r.legal_basis = s.Text(i, c++);
  r.urgent = s.Bool(i, c++);
  r.ongoing = s.Bool(i, c++);
  std::optional<core::Instant> dissuasion_at = s.OptTime(i, c++);
  std::string dissuasion_note = s.Text(i, c++);
  if (dissuasion_at) r.dissuasion = domain::Dissuasion{*dissuasion_at, std::move(dissuasion_note)};
  r.checklist.facts_clear = s.Bool(i, c++);
  r.checklist.evidence_complete = s.Bool(i, c++);
  r.checklist.procedure_lawful = s.Bool(i, c++);
  r.checklist.formalities_complete = s.Bool(i, c++);
  r.unit_id = s.OptInt(i, c++);
  r.unit_legal_basis = s.Text(i, c++);
  r.jurisdiction_override_reason = s.Text(i, c++);
  r.flagged_for_coordinator = s.Bool(i, c++);
  r.created_by = s.Int(i, c++);
  r.created_at = s.Time(i, c++);
  r.updated_at = s.Time(i, c++);
  r.submitted_at = s.OptTime(i, c++);
  r.sent_at = s.OptTime(i, c++);
  r.received_at = s.OptTime(i, c++);
  r.accepted_at = s.OptTime(i, c++);
  r.closed_at = s.OptTime(i, c++);
  r.accept_note = s.Text(i, c++);
  r.decline_reason = s.Text(i, c++);
  r.return_reason = s.Text(i, c++);
  r.result = s.Text(i, c++);
  std::optional<core::Instant> requested = s.OptTime(i, c++);
  domain::Coordination co;
  co.reason = s.Text(i, c++);
  co.decision = s.Text(i, c++);
  co.decided_at = s.OptTime(i, c++);
  co.decided_by = s.OptInt(i, c++);
  co.decision_reason = s.Text(i, c++);
  if (requested) {
    co.requested_at = *requested;
    r.coordination = std::move(co);
  }
  return r;
}

// Every column but id, in XT_PG_REFERRAL_SET_COLS order ($1 … $47).
Params ReferralParams(const domain::Referral& r) {
  const domain::Coordination none;
  const domain::Coordination& co = r.coordination ? *r.coordination : none;
  std::optional<core::Instant> requested;
  if (r.coordination) requested = r.coordination->requested_at;
  std::optional<core::Instant> dissuasion_at;
  if (r.dissuasion) dissuasion_at = r.dissuasion->at;
  return Params(r.number, static_cast<int>(r.state), r.from_org_id, r.to_org_id, r.matter_id,
                r.matter_code, r.matter_owner_org_id, r.township_org_id, r.place, r.discovered_at,
                r.facts, r.party.name, r.party.id_type, r.party.id_number, r.party.address,
                r.party.phone, r.legal_basis, r.urgent, r.ongoing, dissuasion_at,
                r.dissuasion ? r.dissuasion->note : std::string(), r.checklist.facts_clear,
                r.checklist.evidence_complete, r.checklist.procedure_lawful,
                r.checklist.formalities_complete, r.unit_id, r.unit_legal_basis,
                r.jurisdiction_override_reason, r.flagged_for_coordinator, r.created_by,
                r.created_at, r.updated_at, r.submitted_at, r.sent_at, r.received_at,
                r.accepted_at, r.closed_at, r.accept_note, r.decline_reason, r.return_reason,
                r.result, requested, co.reason, co.decision, co.decided_at, co.decided_by,
                co.decision_reason);
}

const std::string& InsertReferralSql() {
  static const std::string kSql = [] {
    std::string sql = "INSERT INTO referrals (" XT_PG_REFERRAL_SET_COLS ") VALUES (";
    for (int i = 1; i <= kReferralSetCols; ++i) sql += (i > 1 ? ",$" : "$") + std::to_string(i);
    return sql + ") RETURNING id";
  }();
  return kSql;
}

const std::string& UpdateReferralSql() {
  static const std::string kSql = [] {
    const std::string cols = XT_PG_REFERRAL_SET_COLS;
    std::string sql = "UPDATE referrals SET ";
    size_t start = 0;
    for (int n = 1; start < cols.size(); ++n) {
      size_t comma = cols.find(',', start);
      std::string col = cols.substr(start, comma == std::string::npos ? std::string::npos
                                                                       : comma - start);
      col.erase(0, col.find_first_not_of(' '));
      col.erase(col.find_last_not_of(' ') + 1);
      if (n > 1) sql += ", ";
      sql += col + " = $" + std::to_string(n);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return sql + " WHERE id = $" + std::to_string(kReferralSetCols + 1);
  }();
  return kSql;
}

domain::Document ReadDocument(const PgResult& r, int i) {
  domain::Document d;
  d.id = r.Int(i, 0);
  d.kind = static_cast<domain::DocKind>(r.Int(i, 1));
  d.number = r.Text(i, 2);
  d.org_id = r.Int(i, 3);
  d.year = static_cast<int>(r.Int(i, 4));
  d.serial = r.Int(i, 5);
  d.referral_id = r.OptInt(i, 6);
  d.title = r.Text(i, 7);
  d.snapshot = r.Text(i, 8);
  d.created_at = r.Time(i, 9);
  d.created_by = r.OptInt(i, 10);
  return d;
}

Where ReferralWhere(const ReferralFilter& f, std::vector<int64_t>& states) {
  Where w;
  if (f.visible_to_org_id) {
    const int64_t o = *f.visible_to_org_id;
    // Issue 15 finding 9: a receiver a coordinator's reassignment (R-REF-7) took the referral
    // from keeps read access: it owns one of the referral's R-REF-6 acceptance duties.
    w.Add("(from_org_id = ? OR (sent_at IS NOT NULL AND (to_org_id = ? OR "
          "matter_owner_org_id = ?)) OR (coord_decision = 'reassign' AND EXISTS (SELECT 1 "
          "FROM duties d WHERE d.object_type = 'referral' AND d.object_id = referrals.id::text "
          "AND d.kind = 'referral.accept_notice' AND d.owner_org_id = ?)))",
          o, o, o, o);
  }
  if (f.from_org_id) w.Add("from_org_id = ?", *f.from_org_id);
  if (f.to_org_id) w.Add("(to_org_id = ? AND sent_at IS NOT NULL)", *f.to_org_id);
  if (f.involving_org_id) {
    w.Add("(from_org_id = ? OR to_org_id = ?)", *f.involving_org_id, *f.involving_org_id);
  }
  if (!f.region_prefix.empty()) {
    const std::string like = RegionLike(f.region_prefix);
    w.Add("(" XT_PG_ORG_IN_REGION("from_org_id") " OR " XT_PG_ORG_IN_REGION("to_org_id") ")", like,
          like);
  }
  if (f.states.size() == 1) {
    w.Add("state = ?", static_cast<int64_t>(f.states[0]));
  } else if (!f.states.empty()) {
    for (auto s : f.states) states.push_back(static_cast<int64_t>(s));
    w.Add("state = ANY(?)", Int8Array{&states});
  }
  if (!f.matter_code.empty()) w.Add("matter_code = ?", f.matter_code);
  if (f.township_org_id) w.Add("township_org_id = ?", *f.township_org_id);
  if (f.created_from) w.Add("created_at >= ?", *f.created_from);
  if (f.created_to) w.Add("created_at < ?", *f.created_to);
  if (f.colour) {
    // R-TIME-4: the colour of the referral's open duty with the earliest due.
    w.Add("(SELECT CASE WHEN d.due_at <= ? THEN 3 WHEN d.yellow_at <= ? THEN 2 ELSE 1 END "
          "FROM duties d WHERE d.object_type = 'referral' AND d.object_id = referrals.id::text "
          "AND d.state = 1 ORDER BY d.due_at, d.id LIMIT 1) = ?",
          f.now, f.now, static_cast<int64_t>(*f.colour));
  }
  if (!f.text.empty()) {
    // Substring, case-insensitive for ASCII; 3+ characters are served by the trigram index
    // referrals_text (when pg_trgm is installed), shorter text scans.
    w.Add("referral_search_text(facts, place, party_name, party_id_number, number) "
          "ILIKE '%' || ? || '%' ESCAPE '\\'",
          EscapeLike(f.text));
  }
  return w;
}

}  // namespace

// Replaces a referral's evidence list.
static Status WriteEvidence(Conn& conn, Id referral_id,
                            const std::vector<domain::EvidenceItem>& items) {
  XT_RETURN_IF_ERROR(
      conn.Query("DELETE FROM referral_evidence WHERE referral_id = $1", Params(referral_id))
          .status());
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& e = items[i];
    XT_RETURN_IF_ERROR(
        conn.QueryGuarded("INSERT INTO referral_evidence (referral_id, pos, name, description, "
                          "file_id, file_name, file_size, file_content_type) "
                          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                          Params(referral_id, static_cast<int64_t>(i), e.name, e.description,
                                 e.file_id, e.file_name, e.file_size, e.file_content_type))
            .status());
  }
  return Status::Ok();
}

// Fills the evidence of every referral in `rs` (one query).
static Status ReadEvidence(Conn& conn, std::vector<domain::Referral>& rs) {
  if (rs.empty()) return Status::Ok();
  std::vector<int64_t> ids;
  std::map<int64_t, domain::Referral*> by_id;
  for (auto& r : rs) {
    ids.push_back(r.id);
    by_id[r.id] = &r;
    r.evidence.clear();
  }
  XT_ASSIGN_OR_RETURN(
      PgResult res,
      conn.Query("SELECT referral_id, name, description, file_id, file_name, file_size, "
                 "file_content_type FROM referral_evidence WHERE referral_id = ANY($1) "
                 "ORDER BY referral_id, pos",
                 Params(Int8Array{&ids})));
  for (int i = 0; i < res.rows(); ++i) {
    domain::EvidenceItem e;
    e.name = res.Text(i, 1);
    e.description = res.Text(i, 2);
    if (!res.IsNull(i, 3)) e.file_id = res.Text(i, 3);
    e.file_name = res.Text(i, 4);
    e.file_size = res.Int(i, 5);
    e.file_content_type = res.Text(i, 6);
    by_id.at(res.Int(i, 0))->evidence.push_back(std::move(e));
  }
  return Status::Ok();
}

Result<Id> PgTx::InsertReferral(const domain::Referral& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.QueryGuarded(InsertReferralSql(), ReferralParams(r)));
  const Id id = res.Int(0, 0);
  XT_RETURN_IF_ERROR(WriteEvidence(conn_, id, r.evidence));
  return id;
}

Status PgTx::UpdateReferral(const domain::Referral& r) {
  XT_RETURN_IF_ERROR(Writable());
  Params p = ReferralParams(r);
  p.Add(r.id);
  XT_RETURN_IF_ERROR(ExpectChanged(UpdateReferralSql(), p, "referral", "案件移送不存在"));
  return WriteEvidence(conn_, r.id, r.evidence);
}

Result<domain::Referral> PgTx::GetReferral(Id id) {
  if (read_only_) {
    // One round trip: the referral's columns on every row, one row per evidence item (or one
    // row of NULLs without evidence), in order.
    constexpr int kEvidence = kReferralSetCols + 1;  // the first evidence column
    XT_ASSIGN_OR_RETURN(
        PgResult res,
        conn_.Query("SELECT x.*, e.name, e.description, e.file_id, e.file_name, e.file_size, "
                    "e.file_content_type FROM (SELECT " XT_PG_REFERRAL_COLS
                    " FROM referrals WHERE id = $1) x "
                    "LEFT JOIN referral_evidence e ON e.referral_id = x.id ORDER BY e.pos",
                    Params(id)));
    if (res.rows() == 0) return Status::NotFound("referral", "案件移送不存在");
    domain::Referral r = ReadReferral(res, 0);
    for (int i = 0; i < res.rows(); ++i) {
      if (res.IsNull(i, kEvidence)) continue;  // no evidence
      domain::EvidenceItem e;
      e.name = res.Text(i, kEvidence);
      e.description = res.Text(i, kEvidence + 1);
      if (!res.IsNull(i, kEvidence + 2)) e.file_id = res.Text(i, kEvidence + 2);
      e.file_name = res.Text(i, kEvidence + 3);
      e.file_size = res.Int(i, kEvidence + 4);
      e.file_content_type = res.Text(i, kEvidence + 5);
      r.evidence.push_back(std::move(e));
    }
    return r;
  }
  XT_ASSIGN_OR_RETURN(
      PgResult res,
      conn_.Query(Locking("SELECT " XT_PG_REFERRAL_COLS " FROM referrals WHERE id = $1"),
                  Params(id)));
  if (res.rows() == 0) return Status::NotFound("referral", "案件移送不存在");
  std::vector<domain::Referral> one{ReadReferral(res, 0)};
  XT_RETURN_IF_ERROR(ReadEvidence(conn_, one));
  return std::move(one[0]);
}

Result<std::vector<domain::Referral>> PgTx::ListReferrals(const ReferralFilter& f) {
  std::vector<int64_t> states;
  Where w = ReferralWhere(f, states);
  w.Tail(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", Limit(f.limit),
         static_cast<int64_t>(std::max(f.offset, 0)));
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT " XT_PG_REFERRAL_COLS " FROM referrals" +
                                                    w.sql(),
                                                w.params()));
  XT_ASSIGN_OR_RETURN(std::vector<domain::Referral> out, All(res, ReadReferral));
  XT_RETURN_IF_ERROR(ReadEvidence(conn_, out));
  return out;
}

Result<int64_t> PgTx::CountReferrals(const ReferralFilter& f) {
  std::vector<int64_t> states;
  const Where w = ReferralWhere(f, states);
  XT_ASSIGN_OR_RETURN(PgResult res,
                      conn_.Query("SELECT COUNT(*) FROM referrals" + w.sql(), w.params()));
  return res.Int(0, 0);
}

Result<std::vector<Id>> PgTx::ReferralsWithFile(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(PgResult res,
                      conn_.Query("SELECT DISTINCT referral_id FROM referral_evidence "
                                  "WHERE file_id = $1 ORDER BY referral_id",
                                  Params(sha256)));
  return All(res, [](const PgResult& s, int i) { return s.Int(i, 0); });
}

Result<int64_t> PgTx::TakeDocSerial(Id org_id, int year, domain::DocKind kind) {
  XT_RETURN_IF_ERROR(Writable());
  // The upsert locks the counter row until this transaction ends: a concurrent taker waits and
  // then increments the committed value (READ COMMITTED re-reads it), so committed serials are
  // unique and gap-free, and a rollback gives the serial back (R-DOC-1).
  XT_ASSIGN_OR_RETURN(
      PgResult res,
      conn_.QueryGuarded("INSERT INTO doc_counters AS c (org_id, year, kind, next) "
                         "VALUES ($1, $2, $3, 2) ON CONFLICT (org_id, year, kind) "
                         "DO UPDATE SET next = c.next + 1 RETURNING next - 1",
                         Params(org_id, year, static_cast<int>(kind))));
  return res.Int(0, 0);
}

Result<Id> PgTx::InsertDocument(const domain::Document& d) {
  XT_RETURN_IF_ERROR(Writable());
  auto res = conn_.QueryGuarded(
      "INSERT INTO documents (kind, number, org_id, year, serial, referral_id, title, snapshot, "
      "created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
      Params(static_cast<int>(d.kind), d.number, d.org_id, d.year, d.serial, d.referral_id,
             d.title, d.snapshot, d.created_at, d.created_by));
  if (res.status().code() == core::Code::kAlreadyExists) {
    return Status::Exists("number", "文号已被使用：" + d.number);
  }
  XT_RETURN_IF_ERROR(res.status());
  return res->Int(0, 0);
}

Result<domain::Document> PgTx::GetDocument(Id id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT " XT_PG_DOCUMENT_COLS
                                                " FROM documents WHERE id = $1",
                                                Params(id)));
  return One(res, ReadDocument, "document", "文书不存在");
}

Result<std::vector<domain::Document>> PgTx::ListReferralDocuments(Id referral_id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT " XT_PG_DOCUMENT_COLS
                                                " FROM documents WHERE referral_id = $1 "
                                                "ORDER BY id",
                                                Params(referral_id)));
  return All(res, ReadDocument);
}

}  // namespace xietong::storage::postgres
