// SqliteTx: referrals with their evidence, issued documents and document counters (schema v3).
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

#define XT_SQL_REFERRAL_COLS                                                                    \
  "id, number, state, from_org_id, to_org_id, matter_id, matter_code, matter_owner_org_id, "    \
  "township_org_id, place, discovered_at, facts, party_name, party_id_type, party_id_number, "   \
  "party_address, party_phone, legal_basis, urgent, ongoing, dissuasion_at, dissuasion_note, "   \
  "facts_clear, evidence_complete, procedure_lawful, formalities_complete, unit_id, "           \
  "unit_legal_basis, jurisdiction_override_reason, flagged_for_coordinator, created_by, "       \
  "created_at, updated_at, submitted_at, sent_at, received_at, accepted_at, closed_at, "         \
  "accept_note, decline_reason, return_reason, result, coord_requested_at, coord_reason, "       \
  "coord_decision, coord_decided_at, coord_decided_by, coord_decision_reason"
// The same list without id, for INSERT and UPDATE (47 columns).
#define XT_SQL_REFERRAL_SET_COLS                                                                \
  "number, state, from_org_id, to_org_id, matter_id, matter_code, matter_owner_org_id, "        \
  "township_org_id, place, discovered_at, facts, party_name, party_id_type, party_id_number, "   \
  "party_address, party_phone, legal_basis, urgent, ongoing, dissuasion_at, dissuasion_note, "   \
  "facts_clear, evidence_complete, procedure_lawful, formalities_complete, unit_id, "           \
  "unit_legal_basis, jurisdiction_override_reason, flagged_for_coordinator, created_by, "       \
  "created_at, updated_at, submitted_at, sent_at, received_at, accepted_at, closed_at, "         \
  "accept_note, decline_reason, return_reason, result, coord_requested_at, coord_reason, "       \
  "coord_decision, coord_decided_at, coord_decided_by, coord_decision_reason"
constexpr int kReferralSetCols = 47;

#define XT_SQL_DOCUMENT_COLS                                                                 \
  "id, kind, number, org_id, year, serial, referral_id, title, snapshot, created_at, created_by"

domain::Referral ReadReferral(const Stmt& st) {
  domain::Referral r;
  int c = 0;
  r.id = st.Int(c++);
  if (!st.IsNull(c)) r.number = st.Text(c);
  ++c;
  r.state = static_cast<domain::ReferralState>(st.Int(c++));
  r.from_org_id = st.Int(c++);
  r.to_org_id = st.Int(c++);
  r.matter_id = st.Int(c++);
  r.matter_code = st.Text(c++);
  r.matter_owner_org_id = st.Int(c++);
  r.township_org_id = st.Int(c++);
  r.place = st.Text(c++);
  r.discovered_at = st.Time(c++);
  r.facts = st.Text(c++);
  r.party.name = st.Text(c++);
  r.party.id_type = st.Text(c++);
  r.party.id_number = st.Text(c++);
  r.party.address = st.Text(c++);
  r.party.phone = st.Text(c++);
  r.legal_basis = st.Text(c++);
  r.urgent = st.Bool(c++);
  r.ongoing = st.Bool(c++);
  std::optional<core::Instant> dissuasion_at = st.OptTime(c++);
  std::string dissuasion_note = st.Text(c++);
  if (dissuasion_at) r.dissuasion = domain::Dissuasion{*dissuasion_at, std::move(dissuasion_note)};
  r.checklist.facts_clear = st.Bool(c++);
  r.checklist.evidence_complete = st.Bool(c++);
  r.checklist.procedure_lawful = st.Bool(c++);
  r.checklist.formalities_complete = st.Bool(c++);
  r.unit_id = st.OptInt(c++);
  r.unit_legal_basis = st.Text(c++);
  r.jurisdiction_override_reason = st.Text(c++);
  r.flagged_for_coordinator = st.Bool(c++);
  r.created_by = st.Int(c++);
  r.created_at = st.Time(c++);
  r.updated_at = st.Time(c++);
  r.submitted_at = st.OptTime(c++);
  r.sent_at = st.OptTime(c++);
  r.received_at = st.OptTime(c++);
  r.accepted_at = st.OptTime(c++);
  r.closed_at = st.OptTime(c++);
  r.accept_note = st.Text(c++);
  r.decline_reason = st.Text(c++);
  r.return_reason = st.Text(c++);
  r.result = st.Text(c++);
  std::optional<core::Instant> requested = st.OptTime(c++);
  domain::Coordination co;
  co.reason = st.Text(c++);
  co.decision = st.Text(c++);
  co.decided_at = st.OptTime(c++);
  co.decided_by = st.OptInt(c++);
  co.decision_reason = st.Text(c++);
  if (requested) {
    co.requested_at = *requested;
    r.coordination = std::move(co);
  }
  return r;
}

// Binds every column but id, in XT_SQL_REFERRAL_SET_COLS order, from parameter 1.
void BindReferral(Stmt& st, const domain::Referral& r) {
  const domain::Coordination none;
  const domain::Coordination& co = r.coordination ? *r.coordination : none;
  std::optional<core::Instant> requested;
  if (r.coordination) requested = r.coordination->requested_at;
  std::optional<core::Instant> dissuasion_at;
  if (r.dissuasion) dissuasion_at = r.dissuasion->at;
  st.BindAll(r.number, static_cast<int>(r.state), r.from_org_id, r.to_org_id, r.matter_id,
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

domain::Document ReadDocument(const Stmt& st) {
  domain::Document d;
  d.id = st.Int(0);
  d.kind = static_cast<domain::DocKind>(st.Int(1));
  d.number = st.Text(2);
  d.org_id = st.Int(3);
  d.year = static_cast<int>(st.Int(4));
  d.serial = st.Int(5);
  d.referral_id = st.OptInt(6);
  d.title = st.Text(7);
  d.snapshot = st.Text(8);
  d.created_at = st.Time(9);
  d.created_by = st.OptInt(10);
  return d;
}

// A WHERE clause with its arguments in order (local to this file).
class Conditions {
 public:
  using Arg = std::variant<int64_t, std::string>;
  void Add(std::string_view cond, std::initializer_list<Arg> args = {}) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += '(';
    sql_ += cond;
    sql_ += ')';
    for (const auto& a : args) args_.push_back(a);
  }
  const std::string& sql() const { return sql_; }
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

std::string EscapeLikeText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Conditions ReferralWhere(const ReferralFilter& f) {
  Conditions w;
  if (f.visible_to_org_id) {
    const int64_t o = *f.visible_to_org_id;
    // Issue 15 finding 9: a receiver a coordinator's reassignment (R-REF-7) took the referral
    // from keeps read access: it owns one of the referral's R-REF-6 acceptance duties.
    w.Add("from_org_id = ? OR (sent_at IS NOT NULL AND (to_org_id = ? OR matter_owner_org_id = ?)) "
          "OR (coord_decision = 'reassign' AND EXISTS (SELECT 1 FROM duties d "
          "WHERE d.object_type = 'referral' AND d.object_id = CAST(referrals.id AS TEXT) "
          "AND d.kind = 'referral.accept_notice' AND d.owner_org_id = ?))",
          {o, o, o, o});
  }
  if (f.from_org_id) w.Add("from_org_id = ?", {*f.from_org_id});
  if (f.to_org_id) w.Add("to_org_id = ? AND sent_at IS NOT NULL", {*f.to_org_id});
  if (f.involving_org_id) {
    w.Add("from_org_id = ? OR to_org_id = ?", {*f.involving_org_id, *f.involving_org_id});
  }
  if (!f.region_prefix.empty()) {
    const std::string end = RegionPrefixEnd(f.region_prefix);
    // A UNION of the two sides, so that each uses its own index (referrals_from, referrals_to):
    // with an OR, SQLite scanned every referral of the state (issue 19 benchmark).
    w.Add("id IN (SELECT id FROM referrals WHERE " XT_SQL_ORG_IN_REGION("from_org_id") " UNION "
          "SELECT id FROM referrals WHERE " XT_SQL_ORG_IN_REGION("to_org_id") ")",
          {f.region_prefix, end, f.region_prefix, end});
  }
  if (f.states.size() == 1) {
    w.Add("state = ?", {int64_t{static_cast<int>(f.states[0])}});
  } else if (!f.states.empty()) {
    std::string in = "state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) {
      if (i) in += ',';
      in += std::to_string(static_cast<int>(f.states[i]));
    }
    in += ')';
    w.Add(in);
  }
  if (!f.matter_code.empty()) w.Add("matter_code = ?", {f.matter_code});
  if (f.township_org_id) w.Add("township_org_id = ?", {*f.township_org_id});
  if (f.created_from) w.Add("created_at >= ?", {core::ToMillis(*f.created_from)});
  if (f.created_to) w.Add("created_at < ?", {core::ToMillis(*f.created_to)});
  if (f.colour) {
    const int64_t now = core::ToMillis(f.now);
    w.Add("(SELECT CASE WHEN d.due_at <= ? THEN 3 WHEN d.yellow_at <= ? THEN 2 ELSE 1 END "
          "FROM duties d WHERE d.object_type = 'referral' AND "
          "d.object_id = CAST(referrals.id AS TEXT) AND d.state = 1 "
          "ORDER BY d.due_at, d.id LIMIT 1) = ?",
          {now, now, int64_t{static_cast<int>(*f.colour)}});
  }
  if (!f.text.empty()) {
    if (CodePoints(f.text) >= 3) {
      // A trigram phrase query matches the text as a substring of any indexed column.
      std::string phrase = "\"";
      for (char c : f.text) {
        if (c == '"') phrase += '"';
        phrase += c;
      }
      phrase += '"';
      w.Add("id IN (SELECT rowid FROM referrals_fts WHERE referrals_fts MATCH ?)", {phrase});
    } else {
      // Trigrams need 3 characters: 1–2 character queries scan the base table.
      const std::string like = EscapeLikeText(f.text);
      w.Add("facts LIKE '%' || ? || '%' ESCAPE '\\' OR place LIKE '%' || ? || '%' ESCAPE '\\' "
            "OR party_name LIKE '%' || ? || '%' ESCAPE '\\' "
            "OR party_id_number LIKE '%' || ? || '%' ESCAPE '\\' "
            "OR COALESCE(number, '') LIKE '%' || ? || '%' ESCAPE '\\'",
            {like, like, like, like, like});
    }
  }
  return w;
}

}  // namespace

Status SqliteTx::WriteEvidence(Id referral_id, const std::vector<domain::EvidenceItem>& items) {
  {
    XT_ASSIGN_OR_RETURN(Stmt del,
                        db_.Prepare("DELETE FROM referral_evidence WHERE referral_id = ?"));
    del.Bind(1, referral_id);
    XT_RETURN_IF_ERROR(del.Run());
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& e = items[i];
    XT_ASSIGN_OR_RETURN(
        Stmt st, db_.Prepare("INSERT INTO referral_evidence (referral_id, pos, name, description, "
                             "file_id, file_name, file_size, file_content_type) "
                             "VALUES (?,?,?,?,?,?,?,?)"));
    st.BindAll(referral_id, static_cast<int64_t>(i), e.name, e.description, e.file_id,
               e.file_name, e.file_size, e.file_content_type);
    XT_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

Status SqliteTx::ReadEvidence(domain::Referral& r) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT name, description, file_id, file_name, file_size, "
                           "file_content_type FROM referral_evidence WHERE referral_id = ? "
                           "ORDER BY pos"));
  st.Bind(1, r.id);
  r.evidence.clear();
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    domain::EvidenceItem e;
    e.name = st.Text(0);
    e.description = st.Text(1);
    if (!st.IsNull(2)) e.file_id = st.Text(2);
    e.file_name = st.Text(3);
    e.file_size = st.Int(4);
    e.file_content_type = st.Text(5);
    r.evidence.push_back(std::move(e));
  }
}

Result<Id> SqliteTx::InsertReferral(const domain::Referral& r) {
  XT_RETURN_IF_ERROR(Writable());
  std::string sql = "INSERT INTO referrals (" XT_SQL_REFERRAL_SET_COLS ") VALUES (?";
  for (int i = 1; i < kReferralSetCols; ++i) sql += ",?";
  sql += ')';
  Id id = 0;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(sql));
    BindReferral(st, r);
    XT_RETURN_IF_ERROR(st.Run());
    id = db_.LastInsertId();
  }
  XT_RETURN_IF_ERROR(WriteEvidence(id, r.evidence));
  return id;
}

Status SqliteTx::UpdateReferral(const domain::Referral& r) {
  XT_RETURN_IF_ERROR(Writable());
  static const std::string kSql = [] {
    std::string cols = XT_SQL_REFERRAL_SET_COLS;
    std::string sql = "UPDATE referrals SET ";
    size_t start = 0;
    bool first = true;
    while (start < cols.size()) {
      size_t comma = cols.find(',', start);
      std::string col = cols.substr(start, comma == std::string::npos ? std::string::npos
                                                                       : comma - start);
      col.erase(0, col.find_first_not_of(' '));
      col.erase(col.find_last_not_of(' ') + 1);
      if (!first) sql += ", ";
      sql += col + " = ?";
      first = false;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    sql += " WHERE id = ?";
    return sql;
  }();
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(kSql));
    BindReferral(st, r);
    st.Bind(kReferralSetCols + 1, r.id);
    XT_RETURN_IF_ERROR(ExpectChanged(st, "referral", "案件移送不存在"));
  }
  return WriteEvidence(r.id, r.evidence);
}

Result<domain::Referral> SqliteTx::GetReferral(Id id) {
  domain::Referral r;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_REFERRAL_COLS
                                             " FROM referrals WHERE id = ?"));
    st.Bind(1, id);
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound("referral", "案件移送不存在");
    r = ReadReferral(st);
  }
  XT_RETURN_IF_ERROR(ReadEvidence(r));
  return r;
}

Result<std::vector<domain::Referral>> SqliteTx::ListReferrals(const ReferralFilter& f) {
  const Conditions w = ReferralWhere(f);
  std::vector<domain::Referral> out;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_REFERRAL_COLS " FROM referrals" +
                                             w.sql() +
                                             " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"));
    const int next = w.Bind(st);
    st.Bind(next, std::max(f.limit, 0));
    st.Bind(next + 1, std::max(f.offset, 0));
    while (true) {
      XT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(ReadReferral(st));
    }
  }
  for (auto& r : out) XT_RETURN_IF_ERROR(ReadEvidence(r));
  return out;
}

Result<int64_t> SqliteTx::CountReferrals(const ReferralFilter& f) {
  const Conditions w = ReferralWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM referrals" + w.sql()));
  w.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<std::vector<Id>> SqliteTx::ReferralsWithFile(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT DISTINCT referral_id FROM referral_evidence "
                                           "WHERE file_id = ? ORDER BY referral_id"));
  st.Bind(1, sha256);
  std::vector<Id> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.Int(0));
  }
}

Result<int64_t> SqliteTx::TakeDocSerial(Id org_id, int year, domain::DocKind kind) {
  XT_RETURN_IF_ERROR(Writable());
  // One statement: the writer lock SQLite holds for this transaction makes it atomic, and a
  // rollback returns the serial (gap-free, R-DOC-1).
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("INSERT INTO doc_counters (org_id, year, kind, next) VALUES (?, ?, ?, 2) "
                           "ON CONFLICT (org_id, year, kind) DO UPDATE SET next = next + 1 "
                           "RETURNING next - 1"));
  st.BindAll(org_id, year, static_cast<int>(kind));
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Internal("文号计数器未返回结果");
  int64_t serial = st.Int(0);
  XT_ASSIGN_OR_RETURN(bool more, st.Step());  // finish the statement
  (void)more;
  return serial;
}

Result<Id> SqliteTx::InsertDocument(const domain::Document& d) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("INSERT INTO documents (kind, number, org_id, year, serial, referral_id, "
                           "title, snapshot, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  st.BindAll(static_cast<int>(d.kind), d.number, d.org_id, d.year, d.serial, d.referral_id,
             d.title, d.snapshot, d.created_at, d.created_by);
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists) {
    return Status::Exists("number", "文号已被使用：" + d.number);
  }
  XT_RETURN_IF_ERROR(s);
  return db_.LastInsertId();
}

Result<domain::Document> SqliteTx::GetDocument(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_DOCUMENT_COLS " FROM documents WHERE id = ?"));
  st.Bind(1, id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("document", "文书不存在");
  return ReadDocument(st);
}

Result<std::vector<domain::Document>> SqliteTx::ListReferralDocuments(Id referral_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_DOCUMENT_COLS
                                           " FROM documents WHERE referral_id = ? ORDER BY id"));
  st.Bind(1, referral_id);
  std::vector<domain::Document> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(ReadDocument(st));
  }
}

}  // namespace xietong::storage::sqlite
