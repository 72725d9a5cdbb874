// PgTx: collaboration requests with their materials, rounds, extensions and documents
// (schema v4, R-COL-1..4).
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "storage/internal/collab_rows.h"
#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

using internal::Marks;

// Row adapter for the shared readers (storage/internal/collab_rows.h).
struct Row {
  const PgResult& r;
  int i;
  bool IsNull(int c) const { return r.IsNull(i, c); }
  int64_t Int(int c) const { return r.Int(i, c); }
  std::string Text(int c) const { return r.Text(i, c); }
  bool Bool(int c) const { return r.Bool(i, c); }
  core::Instant Time(int c) const { return r.Time(i, c); }
  std::optional<int64_t> OptInt(int c) const { return r.OptInt(i, c); }
  std::optional<core::Instant> OptTime(int c) const { return r.OptTime(i, c); }
};

// `sql` written with '?' marks, bound from a tuple.
template <typename Tuple>
Where Statement(std::string_view sql, const Tuple& t) {
  Where w;
  std::apply([&](const auto&... v) { w.Tail(sql, v...); }, t);
  return w;
}

Where CollabWhere(const CollaborationFilter& f, std::vector<int64_t>& states) {
  Where w;
  if (f.visible_to_org_id) {
    const int64_t o = *f.visible_to_org_id;
    w.Add("(from_org_id = ? OR (sent_at IS NOT NULL AND to_org_id = ?))", o, o);
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
  if (!f.states.empty()) {
    for (auto s : f.states) states.push_back(static_cast<int64_t>(s));
    w.Add("state = ANY(?)", Int8Array{&states});
  }
  if (f.kind) w.Add("kind = ?", static_cast<int64_t>(*f.kind));
  if (f.created_from) w.Add("created_at >= ?", *f.created_from);
  if (f.created_to) w.Add("created_at < ?", *f.created_to);
  if (f.colour) {
    w.Add("(SELECT CASE WHEN d.due_at <= ? THEN 3 WHEN d.yellow_at <= ? THEN 2 ELSE 1 END "
          "FROM duties d WHERE d.object_type = 'collaboration' AND "
          "d.object_id = collaborations.id::text AND d.state = 1 "
          "ORDER BY d.due_at, d.id LIMIT 1) = ?",
          f.now, f.now, static_cast<int64_t>(*f.colour));
  }
  if (!f.text.empty()) {
    w.Add("(strpos(title, ?) > 0 OR strpos(questions, ?) > 0 OR strpos(case_ref, ?) > 0 OR "
          "strpos(COALESCE(number, ''), ?) > 0)",
          f.text, f.text, f.text, f.text);
  }
  return w;
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

Status WriteChildren(Conn& conn, Id id, const domain::Collaboration& c) {
  for (const char* table : {"collaboration_materials", "collaboration_rounds",
                            "collaboration_extensions"}) {
    XT_RETURN_IF_ERROR(conn.Query(std::string("DELETE FROM ") + table +
                                      " WHERE collaboration_id = $1",
                                  Params(id))
                           .status());
  }
  for (size_t i = 0; i < c.materials.size(); ++i) {
    Where w = Statement("INSERT INTO collaboration_materials (" XT_COLLAB_MATERIAL_COLS
                        ") VALUES (" + Marks(internal::kCollabMaterialCols) + ")",
                        internal::MaterialValues(id, i, c.materials[i]));
    XT_RETURN_IF_ERROR(conn.QueryGuarded(w.sql(), w.params()).status());
  }
  for (const auto& rd : c.rounds) {
    Where w = Statement("INSERT INTO collaboration_rounds (" XT_COLLAB_ROUND_COLS ") VALUES (" +
                            Marks(internal::kCollabRoundCols) + ")",
                        internal::RoundValues(id, rd));
    XT_RETURN_IF_ERROR(conn.QueryGuarded(w.sql(), w.params()).status());
  }
  for (size_t i = 0; i < c.extensions.size(); ++i) {
    Where w = Statement("INSERT INTO collaboration_extensions (" XT_COLLAB_EXTENSION_COLS
                        ") VALUES (" + Marks(internal::kCollabExtensionCols) + ")",
                        internal::ExtensionValues(id, i, c.extensions[i]));
    XT_RETURN_IF_ERROR(conn.QueryGuarded(w.sql(), w.params()).status());
  }
  return Status::Ok();
}

Status ReadChildren(Conn& conn, domain::Collaboration& c) {
  c.materials.clear();
  c.rounds.clear();
  c.extensions.clear();
  {
    XT_ASSIGN_OR_RETURN(PgResult r, conn.Query("SELECT " XT_COLLAB_MATERIAL_COLS
                                               " FROM collaboration_materials WHERE "
                                               "collaboration_id = $1 ORDER BY pos",
                                               Params(c.id)));
    for (int i = 0; i < r.rows(); ++i) c.materials.push_back(internal::ReadMaterial(Row{r, i}));
  }
  {
    XT_ASSIGN_OR_RETURN(PgResult r, conn.Query("SELECT " XT_COLLAB_ROUND_COLS
                                               " FROM collaboration_rounds WHERE "
                                               "collaboration_id = $1 ORDER BY n",
                                               Params(c.id)));
    for (int i = 0; i < r.rows(); ++i) c.rounds.push_back(internal::ReadRound(Row{r, i}));
  }
  XT_ASSIGN_OR_RETURN(PgResult r, conn.Query("SELECT " XT_COLLAB_EXTENSION_COLS
                                             " FROM collaboration_extensions WHERE "
                                             "collaboration_id = $1 ORDER BY pos",
                                             Params(c.id)));
  for (int i = 0; i < r.rows(); ++i) c.extensions.push_back(internal::ReadExtension(Row{r, i}));
  return Status::Ok();
}

std::string UpdateSql() {
  std::string cols = XT_COLLAB_SET_COLS;
  std::string sql = "UPDATE collaborations SET ";
  size_t start = 0;
  bool first = true;
  while (start < cols.size()) {
    size_t comma = cols.find(',', start);
    std::string col =
        cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
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

Result<Id> PgTx::InsertCollaboration(const domain::Collaboration& c) {
  XT_RETURN_IF_ERROR(Writable());
  Where w = Statement("INSERT INTO collaborations (" XT_COLLAB_SET_COLS ") VALUES (" +
                          Marks(internal::kCollabSetCols) + ") RETURNING id",
                      internal::CollabValues(c));
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.QueryGuarded(w.sql(), w.params()));
  const Id id = res.Int(0, 0);
  XT_RETURN_IF_ERROR(WriteChildren(conn_, id, c));
  return id;
}

Status PgTx::UpdateCollaboration(const domain::Collaboration& c) {
  XT_RETURN_IF_ERROR(Writable());
  static const std::string kSql = UpdateSql();
  Where w = Statement(kSql, std::tuple_cat(internal::CollabValues(c), std::make_tuple(c.id)));
  XT_RETURN_IF_ERROR(ExpectChanged(w.sql(), w.params(), "collaboration", "执法协作请求不存在"));
  return WriteChildren(conn_, c.id, c);
}

Result<domain::Collaboration> PgTx::GetCollaboration(Id id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query(Locking("SELECT " XT_COLLAB_COLS
                                                        " FROM collaborations WHERE id = $1"),
                                                Params(id)));
  if (res.rows() == 0) return Status::NotFound("collaboration", "执法协作请求不存在");
  domain::Collaboration c = internal::ReadCollab(Row{res, 0});
  XT_RETURN_IF_ERROR(ReadChildren(conn_, c));
  return c;
}

Result<std::vector<domain::Collaboration>> PgTx::ListCollaborations(const CollaborationFilter& f) {
  std::vector<int64_t> states;
  Where w = CollabWhere(f, states);
  w.Tail(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", Limit(f.limit),
         static_cast<int64_t>(std::max(f.offset, 0)));
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT " XT_COLLAB_COLS " FROM collaborations" +
                                                    w.sql(),
                                                w.params()));
  std::vector<domain::Collaboration> out;
  for (int i = 0; i < res.rows(); ++i) out.push_back(internal::ReadCollab(Row{res, i}));
  for (auto& c : out) XT_RETURN_IF_ERROR(ReadChildren(conn_, c));
  return out;
}

Result<int64_t> PgTx::CountCollaborations(const CollaborationFilter& f) {
  std::vector<int64_t> states;
  const Where w = CollabWhere(f, states);
  XT_ASSIGN_OR_RETURN(PgResult res,
                      conn_.Query("SELECT COUNT(*) FROM collaborations" + w.sql(), w.params()));
  return res.Int(0, 0);
}

Result<std::vector<Id>> PgTx::CollaborationsWithFile(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(
      PgResult res,
      conn_.Query("SELECT collaboration_id FROM collaboration_materials WHERE file_id = $1 "
                  "UNION SELECT collaboration_id FROM collaboration_rounds WHERE file_id = $1 "
                  "ORDER BY 1",
                  Params(sha256)));
  std::vector<Id> out;
  for (int i = 0; i < res.rows(); ++i) out.push_back(res.Int(i, 0));
  return out;
}

Status PgTx::LinkCollaborationDocument(Id collaboration_id, Id document_id) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO collaboration_documents (collaboration_id, document_id) "
                    "VALUES ($1, $2)",
                    Params(collaboration_id, document_id))
      .status();
}

Result<std::vector<domain::Document>> PgTx::ListCollaborationDocuments(Id collaboration_id) {
  XT_ASSIGN_OR_RETURN(
      PgResult res,
      conn_.Query("SELECT d.id, d.kind, d.number, d.org_id, d.year, d.serial, d.referral_id, "
                  "d.title, d.snapshot, d.created_at, d.created_by FROM collaboration_documents cd "
                  "JOIN documents d ON d.id = cd.document_id WHERE cd.collaboration_id = $1 "
                  "ORDER BY d.id",
                  Params(collaboration_id)));
  return All(res, ReadDocument);
}

}  // namespace xietong::storage::postgres
