// PgTx: notices, meetings, participation requests and violation notices (R-COL-5..8, schema v5).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

#define XT_PG_COORD_SET_COLS                                                                    \
  "type, state, number, from_org_id, to_org_id, kind, title, referral_id, data, created_by, "   \
  "created_at, updated_at"
#define XT_PG_COORD_COLS "id, " XT_PG_COORD_SET_COLS

domain::CoordItem ReadItem(const PgResult& s, int i) {
  domain::CoordItem it;
  int c = 0;
  it.id = s.Int(i, c++);
  it.type = static_cast<domain::CoordType>(s.Int(i, c++));
  it.state = static_cast<int>(s.Int(i, c++));
  if (!s.IsNull(i, c)) it.number = s.Text(i, c);
  ++c;
  it.from_org_id = s.Int(i, c++);
  it.to_org_id = s.OptInt(i, c++);
  it.kind = s.Text(i, c++);
  it.title = s.Text(i, c++);
  it.referral_id = s.OptInt(i, c++);
  it.data = s.Text(i, c++);
  it.created_by = s.Int(i, c++);
  it.created_at = s.Time(i, c++);
  it.updated_at = s.Time(i, c++);
  return it;
}

Params ItemParams(const domain::CoordItem& it) {
  return Params(static_cast<int>(it.type), it.state, it.number, it.from_org_id, it.to_org_id,
                it.kind, it.title, it.referral_id, it.data, it.created_by, it.created_at,
                it.updated_at);
}

// store.h: a literal substring, case-insensitive for ASCII (as SQLite's LIKE).
constexpr char kLike[] = " ILIKE '%' || ? || '%' ESCAPE '\\'";

// The duty object type of a coord_items row: domain::CoordTypeName of its type.
std::string CoordTypeNameSql() {
  std::string sql = "(CASE coord_items.type";
  for (domain::CoordType t : domain::kAllItemTypes) {
    sql += " WHEN " + std::to_string(static_cast<int>(t)) + " THEN '" +
           std::string(domain::CoordTypeName(t)) + "'";
  }
  return sql + " END)";
}

Where ItemWhere(const CoordItemFilter& f) {
  Where w;
  if (f.type) w.Add("type = ?", static_cast<int64_t>(static_cast<int>(*f.type)));
  if (!f.types.empty()) {
    std::string in = "type IN (";
    for (size_t i = 0; i < f.types.size(); ++i) {
      if (i) in += ",";
      in += std::to_string(static_cast<int>(f.types[i]));
    }
    w.Add(in + ")");
  }
  if (f.referral_id) w.Add("referral_id = ?", *f.referral_id);
  if (f.involving_org_id) {
    w.Add("id IN (SELECT item_id FROM coord_item_orgs WHERE org_id = ?)", *f.involving_org_id);
  }
  if (!f.region_prefix.empty()) {
    w.Add("id IN (SELECT item_id FROM coord_item_orgs WHERE " XT_PG_ORG_IN_REGION("org_id") ")",
          RegionLike(f.region_prefix));
  }
  if (f.from_org_id) w.Add("from_org_id = ?", *f.from_org_id);
  if (f.not_from_org_id) w.Add("from_org_id <> ?", *f.not_from_org_id);
  if (!f.states.empty()) {
    std::string in = "state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) {
      if (i) in += ",";
      in += std::to_string(f.states[i]);
    }
    w.Add(in + ")");
  }
  if (!f.kind.empty()) w.Add("kind = ?", f.kind);
  if (f.created_from) w.Add("created_at >= ?", *f.created_from);
  if (f.created_to) w.Add("created_at < ?", *f.created_to);
  if (!f.text.empty()) {
    // The text values inside `data` (strings at any depth), never its keys.
    const std::string like = EscapeLike(f.text);
    w.Add(std::string("(title") + kLike + " OR COALESCE(number, '')" + kLike +
              " OR EXISTS (SELECT 1 FROM jsonb_path_query(coord_items.data::jsonb, 'strict $.**') "
              "AS j(v) WHERE jsonb_typeof(j.v) = 'string' AND (j.v #>> '{}')" + kLike + "))",
          like, like, like);
  }
  if (f.colour) {
    w.Add("(SELECT CASE WHEN d.due_at <= ? THEN 3 WHEN d.yellow_at <= ? THEN 2 ELSE 1 END "
          "FROM duties d WHERE d.object_type = " + CoordTypeNameSql() + " AND "
          "d.object_id = coord_items.id::text AND d.state = 1 "
          "ORDER BY d.due_at, d.id LIMIT 1) = ?",
          f.now, f.now, static_cast<int64_t>(*f.colour));
  }
  return w;
}

Status WriteSets(Conn& conn, const domain::CoordItem& it, const std::vector<std::string>& files) {
  XT_RETURN_IF_ERROR(
      conn.Query("DELETE FROM coord_item_orgs WHERE item_id = $1", Params(it.id)).status());
  std::set<Id> orgs(it.org_ids.begin(), it.org_ids.end());
  orgs.insert(it.from_org_id);
  if (it.to_org_id) orgs.insert(*it.to_org_id);
  for (Id o : orgs) {
    XT_RETURN_IF_ERROR(conn.Query("INSERT INTO coord_item_orgs (item_id, org_id) VALUES ($1, $2)",
                                  Params(it.id, o))
                           .status());
  }
  XT_RETURN_IF_ERROR(
      conn.Query("DELETE FROM coord_item_files WHERE item_id = $1", Params(it.id)).status());
  std::set<std::string> fs(files.begin(), files.end());
  for (const auto& f : fs) {
    XT_RETURN_IF_ERROR(conn.Query("INSERT INTO coord_item_files (item_id, file_id) VALUES ($1, $2)",
                                  Params(it.id, f))
                           .status());
  }
  return Status::Ok();
}

Status ReadOrgs(Conn& conn, domain::CoordItem& it) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT org_id FROM coord_item_orgs WHERE item_id "
                                               "= $1 ORDER BY org_id",
                                               Params(it.id)));
  XT_ASSIGN_OR_RETURN(it.org_ids, All(res, [](const PgResult& s, int i) { return s.Int(i, 0); }));
  return Status::Ok();
}

}  // namespace

Result<Id> PgTx::InsertCoordItem(const domain::CoordItem& item,
                                 const std::vector<std::string>& files) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(PgResult res,
                      conn_.QueryGuarded("INSERT INTO coord_items (" XT_PG_COORD_SET_COLS
                                         ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) "
                                         "RETURNING id",
                                         ItemParams(item)));
  domain::CoordItem copy = item;
  copy.id = res.Int(0, 0);
  XT_RETURN_IF_ERROR(WriteSets(conn_, copy, files));
  return copy.id;
}

Status PgTx::UpdateCoordItem(const domain::CoordItem& item,
                             const std::vector<std::string>& files) {
  XT_RETURN_IF_ERROR(Writable());
  Params p = ItemParams(item);
  p.Add(item.id);
  XT_RETURN_IF_ERROR(ExpectChanged(
      "UPDATE coord_items SET type = $1, state = $2, number = $3, from_org_id = $4, "
      "to_org_id = $5, kind = $6, title = $7, referral_id = $8, data = $9, created_by = $10, "
      "created_at = $11, updated_at = $12 WHERE id = $13",
      p, "coord_item", "记录不存在"));
  return WriteSets(conn_, item, files);
}

Result<domain::CoordItem> PgTx::GetCoordItem(Id id) {
  XT_ASSIGN_OR_RETURN(
      PgResult res,
      conn_.Query(Locking("SELECT " XT_PG_COORD_COLS " FROM coord_items WHERE id = $1"),
                  Params(id)));
  XT_ASSIGN_OR_RETURN(domain::CoordItem it, One(res, ReadItem, "coord_item", "记录不存在"));
  XT_RETURN_IF_ERROR(ReadOrgs(conn_, it));
  return it;
}

Result<std::vector<domain::CoordItem>> PgTx::ListCoordItems(const CoordItemFilter& f) {
  Where w = ItemWhere(f);
  w.Tail(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
         static_cast<int64_t>(std::clamp(f.limit, 1, 10000)),
         static_cast<int64_t>(std::max(f.offset, 0)));
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT " XT_PG_COORD_COLS " FROM coord_items" +
                                                    w.sql(),
                                                w.params()));
  XT_ASSIGN_OR_RETURN(std::vector<domain::CoordItem> out, All(res, ReadItem));
  for (auto& it : out) XT_RETURN_IF_ERROR(ReadOrgs(conn_, it));
  return out;
}

Result<int64_t> PgTx::CountCoordItems(const CoordItemFilter& f) {
  const Where w = ItemWhere(f);
  XT_ASSIGN_OR_RETURN(PgResult res,
                      conn_.Query("SELECT COUNT(*) FROM coord_items" + w.sql(), w.params()));
  return res.Int(0, 0);
}

Result<std::vector<Id>> PgTx::CoordItemsWithFile(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT item_id FROM coord_item_files WHERE "
                                                "file_id = $1 ORDER BY item_id",
                                                Params(sha256)));
  return All(res, [](const PgResult& s, int i) { return s.Int(i, 0); });
}

Result<Id> PgTx::InsertCoordMessage(const domain::CoordMessage& m) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(PgResult res,
                      conn_.QueryGuarded("INSERT INTO coord_messages (item_id, at, user_id, "
                                         "org_id, text) VALUES ($1,$2,$3,$4,$5) RETURNING id",
                                         Params(m.item_id, m.at, m.user_id, m.org_id, m.text)));
  return res.Int(0, 0);
}

Result<std::vector<domain::CoordMessage>> PgTx::ListCoordMessages(Id item_id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT id, item_id, at, user_id, org_id, text "
                                                "FROM coord_messages WHERE item_id = $1 "
                                                "ORDER BY id",
                                                Params(item_id)));
  return All(res, [](const PgResult& s, int i) {
    return domain::CoordMessage{s.Int(i, 0), s.Int(i, 1), s.Time(i, 2),
                                s.Int(i, 3), s.Int(i, 4), s.Text(i, 5)};
  });
}

Status PgTx::LinkCoordDocument(Id item_id, Id document_id) {
  XT_RETURN_IF_ERROR(Writable());
  return conn_
      .QueryGuarded("INSERT INTO coord_item_documents (document_id, item_id) VALUES ($1, $2)",
                    Params(document_id, item_id))
      .status();
}

Result<std::vector<domain::Document>> PgTx::ListCoordDocuments(Id item_id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT document_id FROM coord_item_documents "
                                                "WHERE item_id = $1 ORDER BY document_id",
                                                Params(item_id)));
  XT_ASSIGN_OR_RETURN(std::vector<Id> ids,
                      All(res, [](const PgResult& s, int i) { return s.Int(i, 0); }));
  std::vector<domain::Document> out;
  for (Id id : ids) {
    XT_ASSIGN_OR_RETURN(domain::Document d, GetDocument(id));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<Id>> PgTx::CoordItemOfDocument(Id document_id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT item_id FROM coord_item_documents WHERE "
                                                "document_id = $1",
                                                Params(document_id)));
  if (res.rows() == 0) return std::optional<Id>();
  return std::optional<Id>(res.Int(0, 0));
}

}  // namespace xietong::storage::postgres
