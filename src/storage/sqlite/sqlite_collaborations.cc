// SqliteTx: collaboration requests with their materials, rounds, extensions and documents
// (schema v4, R-COL-1..4).
#include <algorithm>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "storage/internal/collab_rows.h"
#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

using internal::Marks;

#define XT_SQL_COLLAB_DOCUMENT_COLS                                                     \
  "d.id, d.kind, d.number, d.org_id, d.year, d.serial, d.referral_id, d.title, d.snapshot, " \
  "d.created_at, d.created_by"

template <typename Tuple>
void BindTuple(Stmt& st, const Tuple& t, int first = 1) {
  int i = first - 1;
  std::apply([&](const auto&... v) { (st.Bind(++i, v), ...); }, t);
}

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

Conditions CollabWhere(const CollaborationFilter& f) {
  Conditions w;
  if (f.visible_to_org_id) {
    const int64_t o = *f.visible_to_org_id;
    w.Add("from_org_id = ? OR (sent_at IS NOT NULL AND to_org_id = ?)", {o, o});
  }
  if (f.from_org_id) w.Add("from_org_id = ?", {*f.from_org_id});
  if (f.to_org_id) w.Add("to_org_id = ? AND sent_at IS NOT NULL", {*f.to_org_id});
  if (f.involving_org_id) {
    w.Add("from_org_id = ? OR to_org_id = ?", {*f.involving_org_id, *f.involving_org_id});
  }
  if (!f.region_prefix.empty()) {
    const std::string end = RegionPrefixEnd(f.region_prefix);
    // A UNION of the two sides, each on its own index (as for referrals: an OR scanned the state).
    w.Add("id IN (SELECT id FROM collaborations WHERE " XT_SQL_ORG_IN_REGION("from_org_id") " UNION "
          "SELECT id FROM collaborations WHERE " XT_SQL_ORG_IN_REGION("to_org_id") ")",
          {f.region_prefix, end, f.region_prefix, end});
  }
  if (!f.states.empty()) {
    std::string in = "state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) {
      if (i) in += ',';
      in += std::to_string(static_cast<int>(f.states[i]));
    }
    w.Add(in + ')');
  }
  if (f.kind) w.Add("kind = ?", {int64_t{static_cast<int>(*f.kind)}});
  if (f.created_from) w.Add("created_at >= ?", {core::ToMillis(*f.created_from)});
  if (f.created_to) w.Add("created_at < ?", {core::ToMillis(*f.created_to)});
  if (f.colour) {
    const int64_t now = core::ToMillis(f.now);
    w.Add("(SELECT CASE WHEN d.due_at <= ? THEN 3 WHEN d.yellow_at <= ? THEN 2 ELSE 1 END "
          "FROM duties d WHERE d.object_type = 'collaboration' AND "
          "d.object_id = CAST(collaborations.id AS TEXT) AND d.state = 1 "
          "ORDER BY d.due_at, d.id LIMIT 1) = ?",
          {now, now, int64_t{static_cast<int>(*f.colour)}});
  }
  if (!f.text.empty()) {
    // Substring match (instr is exact for Chinese text; LIKE-free so no escaping is needed).
    w.Add("instr(title, ?) > 0 OR instr(questions, ?) > 0 OR instr(case_ref, ?) > 0 OR "
          "instr(COALESCE(number, ''), ?) > 0",
          {f.text, f.text, f.text, f.text});
  }
  return w;
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

Status Exec(Db& db, const std::string& sql, Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(sql));
  st.Bind(1, id);
  return st.Run();
}

// Replaces materials, rounds and extensions of collaboration `c.id`.
Status WriteChildren(Db& db, Id id, const domain::Collaboration& c) {
  XT_RETURN_IF_ERROR(Exec(db, "DELETE FROM collaboration_materials WHERE collaboration_id = ?", id));
  XT_RETURN_IF_ERROR(Exec(db, "DELETE FROM collaboration_rounds WHERE collaboration_id = ?", id));
  XT_RETURN_IF_ERROR(
      Exec(db, "DELETE FROM collaboration_extensions WHERE collaboration_id = ?", id));
  for (size_t i = 0; i < c.materials.size(); ++i) {
    XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("INSERT INTO collaboration_materials (" XT_COLLAB_MATERIAL_COLS
                                            ") VALUES (" + Marks(internal::kCollabMaterialCols) + ")"));
    BindTuple(st, internal::MaterialValues(id, i, c.materials[i]));
    XT_RETURN_IF_ERROR(st.Run());
  }
  for (const auto& rd : c.rounds) {
    XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("INSERT INTO collaboration_rounds (" XT_COLLAB_ROUND_COLS
                                            ") VALUES (" + Marks(internal::kCollabRoundCols) + ")"));
    BindTuple(st, internal::RoundValues(id, rd));
    XT_RETURN_IF_ERROR(st.Run());
  }
  for (size_t i = 0; i < c.extensions.size(); ++i) {
    XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("INSERT INTO collaboration_extensions (" XT_COLLAB_EXTENSION_COLS
                                            ") VALUES (" + Marks(internal::kCollabExtensionCols) + ")"));
    BindTuple(st, internal::ExtensionValues(id, i, c.extensions[i]));
    XT_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

Status ReadChildren(Db& db, domain::Collaboration& c) {
  c.materials.clear();
  c.rounds.clear();
  c.extensions.clear();
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT " XT_COLLAB_MATERIAL_COLS
                                            " FROM collaboration_materials WHERE collaboration_id = ? ORDER BY pos"));
    st.Bind(1, c.id);
    while (true) {
      XT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      c.materials.push_back(internal::ReadMaterial(st));
    }
  }
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT " XT_COLLAB_ROUND_COLS
                                            " FROM collaboration_rounds WHERE collaboration_id = ? ORDER BY n"));
    st.Bind(1, c.id);
    while (true) {
      XT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      c.rounds.push_back(internal::ReadRound(st));
    }
  }
  XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT " XT_COLLAB_EXTENSION_COLS
                                          " FROM collaboration_extensions WHERE collaboration_id = ? ORDER BY pos"));
  st.Bind(1, c.id);
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    c.extensions.push_back(internal::ReadExtension(st));
  }
  return Status::Ok();
}

std::string UpdateSql() {
  std::string cols = XT_COLLAB_SET_COLS;
  std::string sql = "UPDATE collaborations SET ";
  size_t start = 0;
  bool first = true;
  while (start < cols.size()) {
    size_t comma = cols.find(',', start);
    std::string col = cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    col.erase(0, col.find_first_not_of(' '));
    col.erase(col.find_last_not_of(' ') + 1);
    if (!first) sql += ", ";
    sql += col + " = ?";
    first = false;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return sql + " WHERE id = ?";
}

}  // namespace

Result<Id> SqliteTx::InsertCollaboration(const domain::Collaboration& c) {
  XT_RETURN_IF_ERROR(Writable());
  Id id = 0;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO collaborations (" XT_COLLAB_SET_COLS
                                             ") VALUES (" + Marks(internal::kCollabSetCols) + ")"));
    BindTuple(st, internal::CollabValues(c));
    XT_RETURN_IF_ERROR(st.Run());
    id = db_.LastInsertId();
  }
  XT_RETURN_IF_ERROR(WriteChildren(db_, id, c));
  return id;
}

Status SqliteTx::UpdateCollaboration(const domain::Collaboration& c) {
  XT_RETURN_IF_ERROR(Writable());
  static const std::string kSql = UpdateSql();
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(kSql));
    BindTuple(st, internal::CollabValues(c));
    st.Bind(internal::kCollabSetCols + 1, c.id);
    XT_RETURN_IF_ERROR(ExpectChanged(st, "collaboration", "执法协作请求不存在"));
  }
  return WriteChildren(db_, c.id, c);
}

Result<domain::Collaboration> SqliteTx::GetCollaboration(Id id) {
  domain::Collaboration c;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_COLLAB_COLS
                                             " FROM collaborations WHERE id = ?"));
    st.Bind(1, id);
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound("collaboration", "执法协作请求不存在");
    c = internal::ReadCollab(st);
  }
  XT_RETURN_IF_ERROR(ReadChildren(db_, c));
  return c;
}

Result<std::vector<domain::Collaboration>> SqliteTx::ListCollaborations(
    const CollaborationFilter& f) {
  const Conditions w = CollabWhere(f);
  std::vector<domain::Collaboration> out;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_COLLAB_COLS " FROM collaborations" +
                                             w.sql() +
                                             " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"));
    const int next = w.Bind(st);
    st.Bind(next, std::max(f.limit, 0));
    st.Bind(next + 1, std::max(f.offset, 0));
    while (true) {
      XT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(internal::ReadCollab(st));
    }
  }
  for (auto& c : out) XT_RETURN_IF_ERROR(ReadChildren(db_, c));
  return out;
}

Result<int64_t> SqliteTx::CountCollaborations(const CollaborationFilter& f) {
  const Conditions w = CollabWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM collaborations" + w.sql()));
  w.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<std::vector<Id>> SqliteTx::CollaborationsWithFile(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT collaboration_id FROM collaboration_materials WHERE file_id = ? "
                           "UNION SELECT collaboration_id FROM collaboration_rounds WHERE file_id = ? "
                           "ORDER BY 1"));
  st.BindAll(sha256, sha256);
  std::vector<Id> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.Int(0));
  }
}

Status SqliteTx::LinkCollaborationDocument(Id collaboration_id, Id document_id) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO collaboration_documents "
                                           "(collaboration_id, document_id) VALUES (?, ?)"));
  st.BindAll(collaboration_id, document_id);
  return st.Run();
}

Result<std::vector<domain::Document>> SqliteTx::ListCollaborationDocuments(Id collaboration_id) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT " XT_SQL_COLLAB_DOCUMENT_COLS
                           " FROM collaboration_documents cd JOIN documents d ON d.id = cd.document_id "
                           "WHERE cd.collaboration_id = ? ORDER BY d.id"));
  st.Bind(1, collaboration_id);
  std::vector<domain::Document> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(ReadDocument(st));
  }
}

}  // namespace xietong::storage::sqlite
