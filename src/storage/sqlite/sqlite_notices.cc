// SqliteTx: notices, meetings, participation requests and violation notices (R-COL-5..8, schema
// v5): items with their involved orgs and attached files, threads, and document links.
#include <algorithm>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

#define XT_SQL_COORD_SET_COLS                                                                   \
  "type, state, number, from_org_id, to_org_id, kind, title, referral_id, data, created_by, "   \
  "created_at, updated_at"
#define XT_SQL_COORD_COLS "id, " XT_SQL_COORD_SET_COLS

domain::CoordItem ReadItem(const Stmt& st) {
  domain::CoordItem it;
  int c = 0;
  it.id = st.Int(c++);
  it.type = static_cast<domain::CoordType>(st.Int(c++));
  it.state = static_cast<int>(st.Int(c++));
  if (!st.IsNull(c)) it.number = st.Text(c);
  ++c;
  it.from_org_id = st.Int(c++);
  it.to_org_id = st.OptInt(c++);
  it.kind = st.Text(c++);
  it.title = st.Text(c++);
  it.referral_id = st.OptInt(c++);
  it.data = st.Text(c++);
  it.created_by = st.Int(c++);
  it.created_at = st.Time(c++);
  it.updated_at = st.Time(c++);
  return it;
}

void BindItem(Stmt& st, const domain::CoordItem& it) {
  st.BindAll(static_cast<int>(it.type), it.state, it.number, it.from_org_id, it.to_org_id, it.kind,
             it.title, it.referral_id, it.data, it.created_by, it.created_at, it.updated_at);
}

class Where {
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
  if (f.type) w.Add("type = ?", {int64_t{static_cast<int>(*f.type)}});
  if (!f.types.empty()) {
    std::string in = "type IN (";
    for (size_t i = 0; i < f.types.size(); ++i) {
      if (i) in += ",";
      in += std::to_string(static_cast<int>(f.types[i]));
    }
    w.Add(in + ")");
  }
  if (f.referral_id) w.Add("referral_id = ?", {*f.referral_id});
  if (f.involving_org_id) {
    w.Add("id IN (SELECT item_id FROM coord_item_orgs WHERE org_id = ?)", {*f.involving_org_id});
  }
  if (!f.region_prefix.empty()) {
    w.Add("id IN (SELECT item_id FROM coord_item_orgs WHERE " XT_SQL_ORG_IN_REGION("org_id") ")",
          {f.region_prefix, RegionPrefixEnd(f.region_prefix)});
  }
  if (f.from_org_id) w.Add("from_org_id = ?", {*f.from_org_id});
  if (f.not_from_org_id) w.Add("from_org_id <> ?", {*f.not_from_org_id});
  if (!f.states.empty()) {
    std::string in = "state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) {
      if (i) in += ",";
      in += std::to_string(f.states[i]);
    }
    w.Add(in + ")");
  }
  if (!f.kind.empty()) w.Add("kind = ?", {f.kind});
  if (f.created_from) w.Add("created_at >= ?", {core::ToMillis(*f.created_from)});
  if (f.created_to) w.Add("created_at < ?", {core::ToMillis(*f.created_to)});
  if (!f.text.empty()) {
    // The text values inside `data` (json_tree: strings at any depth), never its keys.
    const std::string like = EscapeLike(f.text);
    w.Add("title LIKE '%' || ? || '%' ESCAPE '\\' OR COALESCE(number, '') LIKE '%' || ? || '%' "
          "ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_tree(coord_items.data) AS j "
          "WHERE j.type = 'text' AND j.value LIKE '%' || ? || '%' ESCAPE '\\')",
          {like, like, like});
  }
  if (f.colour) {
    const int64_t now = core::ToMillis(f.now);
    w.Add("(SELECT CASE WHEN d.due_at <= ? THEN 3 WHEN d.yellow_at <= ? THEN 2 ELSE 1 END "
          "FROM duties d WHERE d.object_type = " + CoordTypeNameSql() + " AND "
          "d.object_id = CAST(coord_items.id AS TEXT) AND d.state = 1 "
          "ORDER BY d.due_at, d.id LIMIT 1) = ?",
          {now, now, int64_t{static_cast<int>(*f.colour)}});
  }
  return w;
}

}  // namespace

Status SqliteTx::WriteCoordSets(const domain::CoordItem& it, const std::vector<std::string>& files) {
  {
    XT_ASSIGN_OR_RETURN(Stmt del, db_.Prepare("DELETE FROM coord_item_orgs WHERE item_id = ?"));
    del.Bind(1, it.id);
    XT_RETURN_IF_ERROR(del.Run());
  }
  std::set<Id> orgs(it.org_ids.begin(), it.org_ids.end());
  orgs.insert(it.from_org_id);
  if (it.to_org_id) orgs.insert(*it.to_org_id);
  for (Id o : orgs) {
    XT_ASSIGN_OR_RETURN(Stmt ins,
                        db_.Prepare("INSERT INTO coord_item_orgs (item_id, org_id) VALUES (?, ?)"));
    ins.BindAll(it.id, o);
    XT_RETURN_IF_ERROR(ins.Run());
  }
  {
    XT_ASSIGN_OR_RETURN(Stmt del, db_.Prepare("DELETE FROM coord_item_files WHERE item_id = ?"));
    del.Bind(1, it.id);
    XT_RETURN_IF_ERROR(del.Run());
  }
  std::set<std::string> fs(files.begin(), files.end());
  for (const auto& f : fs) {
    XT_ASSIGN_OR_RETURN(
        Stmt ins, db_.Prepare("INSERT INTO coord_item_files (item_id, file_id) VALUES (?, ?)"));
    ins.BindAll(it.id, f);
    XT_RETURN_IF_ERROR(ins.Run());
  }
  return Status::Ok();
}

Result<Id> SqliteTx::InsertCoordItem(const domain::CoordItem& item,
                                     const std::vector<std::string>& files) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO coord_items (" XT_SQL_COORD_SET_COLS
                                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  BindItem(st, item);
  XT_RETURN_IF_ERROR(st.Run());
  domain::CoordItem copy = item;
  copy.id = db_.LastInsertId();
  XT_RETURN_IF_ERROR(WriteCoordSets(copy, files));
  return copy.id;
}

Status SqliteTx::UpdateCoordItem(const domain::CoordItem& item,
                                 const std::vector<std::string>& files) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE coord_items SET type = ?, state = ?, number = ?, "
                                           "from_org_id = ?, to_org_id = ?, kind = ?, title = ?, "
                                           "referral_id = ?, data = ?, created_by = ?, "
                                           "created_at = ?, updated_at = ? WHERE id = ?"));
  BindItem(st, item);
  st.Bind(13, item.id);
  XT_RETURN_IF_ERROR(ExpectChanged(st, "coord_item", "记录不存在"));
  return WriteCoordSets(item, files);
}

namespace {
Status ReadOrgs(Db& db, domain::CoordItem& it) {
  XT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT org_id FROM coord_item_orgs WHERE item_id = ? "
                                          "ORDER BY org_id"));
  st.Bind(1, it.id);
  it.org_ids.clear();
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    it.org_ids.push_back(st.Int(0));
  }
}
}  // namespace

Result<domain::CoordItem> SqliteTx::GetCoordItem(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st,
                      db_.Prepare("SELECT " XT_SQL_COORD_COLS " FROM coord_items WHERE id = ?"));
  st.Bind(1, id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("coord_item", "记录不存在");
  domain::CoordItem it = ReadItem(st);
  XT_RETURN_IF_ERROR(ReadOrgs(db_, it));
  return it;
}

Result<std::vector<domain::CoordItem>> SqliteTx::ListCoordItems(const CoordItemFilter& f) {
  const Where w = ItemWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_COORD_COLS " FROM coord_items" +
                                           w.sql() +
                                           " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"));
  int i = w.Bind(st);
  st.Bind(i, static_cast<int64_t>(std::clamp(f.limit, 1, 10000)));
  st.Bind(i + 1, static_cast<int64_t>(std::max(f.offset, 0)));
  std::vector<domain::CoordItem> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadItem(st));
  }
  for (auto& it : out) XT_RETURN_IF_ERROR(ReadOrgs(db_, it));
  return out;
}

Result<int64_t> SqliteTx::CountCoordItems(const CoordItemFilter& f) {
  const Where w = ItemWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM coord_items" + w.sql()));
  w.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<std::vector<Id>> SqliteTx::CoordItemsWithFile(const std::string& sha256) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT item_id FROM coord_item_files WHERE file_id = ? "
                                           "ORDER BY item_id"));
  st.Bind(1, sha256);
  std::vector<Id> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.Int(0));
  }
}

Result<Id> SqliteTx::InsertCoordMessage(const domain::CoordMessage& m) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO coord_messages (item_id, at, user_id, "
                                           "org_id, text) VALUES (?,?,?,?,?)"));
  st.BindAll(m.item_id, m.at, m.user_id, m.org_id, m.text);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertId();
}

Result<std::vector<domain::CoordMessage>> SqliteTx::ListCoordMessages(Id item_id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id, item_id, at, user_id, org_id, text FROM "
                                           "coord_messages WHERE item_id = ? ORDER BY id"));
  st.Bind(1, item_id);
  std::vector<domain::CoordMessage> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(domain::CoordMessage{st.Int(0), st.Int(1), st.Time(2), st.Int(3), st.Int(4),
                                       st.Text(5)});
  }
}

Status SqliteTx::LinkCoordDocument(Id item_id, Id document_id) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO coord_item_documents (document_id, item_id) "
                                           "VALUES (?, ?)"));
  st.BindAll(document_id, item_id);
  return st.Run();
}

Result<std::vector<domain::Document>> SqliteTx::ListCoordDocuments(Id item_id) {
  std::vector<Id> ids;
  {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT document_id FROM coord_item_documents WHERE "
                                             "item_id = ? ORDER BY document_id"));
    st.Bind(1, item_id);
    while (true) {
      XT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.Int(0));
    }
  }
  std::vector<domain::Document> out;
  for (Id id : ids) {
    XT_ASSIGN_OR_RETURN(domain::Document d, GetDocument(id));
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<Id>> SqliteTx::CoordItemOfDocument(Id document_id) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT item_id FROM coord_item_documents WHERE document_id = ?"));
  st.Bind(1, document_id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Id>();
  return std::optional<Id>(st.Int(0));
}

}  // namespace xietong::storage::sqlite
