#include "storage/copy/sqlite_to_postgres.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "core/time.h"
#include "storage/postgres/pg_store.h"

namespace xietong::storage {

namespace {

using core::Result;
using core::Status;

Status Refuse(const std::string& msg) { return Status::Precondition("migrate_data", msg); }

std::string Quote(const std::string& ident) {  // a SQL identifier, for either database
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// ---- SQLite (read only) ----

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, StmtCloser>;

Result<SqliteStmt> Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    return Status::Internal("SQLite: " + std::string(sqlite3_errmsg(db)) + " (" + sql + ")");
  }
  return SqliteStmt(s);
}

std::string ColText(sqlite3_stmt* s, int i) {
  const auto* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s, i))
           : std::string();
}

struct Column {
  std::string name;
  std::string type;  // target (PostgreSQL) data_type
};
struct Table {
  std::string name;
  std::vector<std::string> source_columns;
  std::vector<std::string> pk;  // source primary-key columns, in key order
  std::vector<Column> target_columns;
};

// ---- PostgreSQL ----

struct PgCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgConn = std::unique_ptr<PGconn, PgCloser>;
using PgRes = std::unique_ptr<PGresult, ResCloser>;

std::string PgError(PGconn* c) {
  std::string m = PQerrorMessage(c);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

Result<PgRes> PgQuery(PGconn* c, const std::string& sql,
                      const std::vector<std::string>& params = {}) {
  std::vector<const char*> vals;
  for (const auto& p : params) vals.push_back(p.c_str());
  PgRes r(PQexecParams(c, sql.c_str(), static_cast<int>(vals.size()), nullptr, vals.data(), nullptr,
                       nullptr, 0));
  auto st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Status::Internal("PostgreSQL: " + PgError(c) + " (" + sql + ")");
  }
  return r;
}

void AppendCopyText(std::string& out, const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    char ch = p[i];
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += ch;
    }
  }
}

bool IsIntegerType(const std::string& t) {
  return t == "bigint" || t == "integer" || t == "smallint";
}

// Appends column `i` of the current SQLite row, converted for a target column of type `type`,
// in COPY text format.
Status AppendValue(std::string& out, sqlite3_stmt* s, int i, const Table& t, const Column& col) {
  const int kind = sqlite3_column_type(s, i);
  if (kind == SQLITE_NULL) {
    out += "\\N";
    return Status::Ok();
  }
  if (col.type == "boolean") {
    if (kind == SQLITE_INTEGER) {
      out += sqlite3_column_int64(s, i) != 0 ? "t" : "f";
      return Status::Ok();
    }
    std::string v = ColText(s, i);
    AppendCopyText(out, v.data(), v.size());  // 'true', 't', '1' … PostgreSQL decides
    return Status::Ok();
  }
  if (col.type == "bytea") {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s, i));
    const int n = sqlite3_column_bytes(s, i);
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\\\x";
    for (int k = 0; k < n; ++k) {
      out += kHex[p[k] >> 4];
      out += kHex[p[k] & 15];
    }
    return Status::Ok();
  }
  if (IsIntegerType(col.type) && kind == SQLITE_TEXT) {
    std::string v = ColText(s, i);
    if (auto day = core::ParseDay(v)) {  // civil days are TEXT in SQLite, day numbers in PostgreSQL
      out += std::to_string(day->time_since_epoch().count());
      return Status::Ok();
    }
    return Refuse("表 " + t.name + " 列 " + col.name + " 的值无法转换为整数：" + v.substr(0, 40));
  }
  if (kind == SQLITE_INTEGER) {
    out += std::to_string(sqlite3_column_int64(s, i));
    return Status::Ok();
  }
  if (kind == SQLITE_FLOAT) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(s, i));
    out += buf;
    return Status::Ok();
  }
  const char* p = static_cast<const char*>(
      kind == SQLITE_BLOB ? sqlite3_column_blob(s, i)
                          : static_cast<const void*>(sqlite3_column_text(s, i)));
  AppendCopyText(out, p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, i)));
  return Status::Ok();
}

Status CopyTable(sqlite3* src, PGconn* dst, const Table& t, int64_t& rows) {
  std::string cols;
  for (const auto& c : t.target_columns) cols += (cols.empty() ? "" : ", ") + Quote(c.name);
  std::string order;
  for (const auto& k : t.pk) order += (order.empty() ? " ORDER BY " : ", ") + Quote(k);
  XT_ASSIGN_OR_RETURN(SqliteStmt s,
                      Prepare(src, "SELECT " + cols + " FROM " + Quote(t.name) + order));

  PgRes begin(PQexec(dst, ("COPY " + Quote(t.name) + " (" + cols + ") FROM STDIN").c_str()));
  if (PQresultStatus(begin.get()) != PGRES_COPY_IN) {
    return Status::Internal("PostgreSQL COPY " + t.name + ": " + PgError(dst));
  }
  std::string buf;
  auto flush = [&]() -> Status {
    if (!buf.empty() && PQputCopyData(dst, buf.data(), static_cast<int>(buf.size())) != 1) {
      return Status::Internal("PostgreSQL COPY " + t.name + ": " + PgError(dst));
    }
    buf.clear();
    return Status::Ok();
  };
  Status failed = Status::Ok();
  rows = 0;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    for (size_t i = 0; i < t.target_columns.size(); ++i) {
      if (i) buf += '\t';
      failed = AppendValue(buf, s.get(), static_cast<int>(i), t, t.target_columns[i]);
      if (!failed.ok()) break;
    }
    if (!failed.ok()) break;
    buf += '\n';
    ++rows;
    if (buf.size() > (1u << 20)) {
      failed = flush();
      if (!failed.ok()) break;
    }
  }
  if (failed.ok() && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    failed = Status::Internal("SQLite: " + std::string(sqlite3_errmsg(src)));
  }
  if (failed.ok()) failed = flush();
  PQputCopyEnd(dst, failed.ok() ? nullptr : "migrate-data aborted");
  PgRes end(PQgetResult(dst));
  const bool copy_ok = PQresultStatus(end.get()) == PGRES_COMMAND_OK;
  while (PGresult* more = PQgetResult(dst)) PQclear(more);
  if (!failed.ok()) return failed;
  if (!copy_ok) return Status::Internal("PostgreSQL COPY " + t.name + "：" + PgError(dst));
  return Status::Ok();
}

// Parents before children (foreign keys among the copied tables); ties in name order.
Result<std::vector<Table>> FkOrder(PGconn* dst, std::vector<Table> tables) {
  XT_ASSIGN_OR_RETURN(
      PgRes r,
      PgQuery(dst,
              "SELECT c.relname, p.relname FROM pg_constraint k "
              "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid "
              "WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace"));
  std::map<std::string, std::set<std::string>> parents;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    std::string child = PQgetvalue(r.get(), i, 0), parent = PQgetvalue(r.get(), i, 1);
    if (child != parent) parents[child].insert(parent);  // self references: rows in key order
  }
  std::vector<Table> out;
  std::set<std::string> done;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const Table& t) {
      for (const auto& p : parents[t.name])
        if (!done.count(p)) return false;
      return true;
    });
    if (ready == tables.end()) {
      std::string names;
      for (const auto& t : tables) names += " " + t.name;
      return Refuse("外键关系成环，无法确定复制顺序：" + names);
    }
    done.insert(ready->name);
    out.push_back(std::move(*ready));
    tables.erase(ready);
  }
  return out;
}

Result<int> SqliteVersion(sqlite3* db) {
  XT_ASSIGN_OR_RETURN(SqliteStmt s,
                      Prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  if (sqlite3_step(s.get()) != SQLITE_ROW)
    return Status::Internal("SQLite: " + std::string(sqlite3_errmsg(db)));
  return static_cast<int>(sqlite3_column_int64(s.get(), 0));
}

}  // namespace
Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path, const std::string& pg_dsn) {
  // Source: read only, one snapshot for the whole copy.
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(sqlite_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  SqliteDb src(raw);
  if (rc != SQLITE_OK)
    return Status::Unavailable("无法打开源数据库：" + std::string(sqlite3_errmsg(raw)));
  sqlite3_busy_timeout(src.get(), 10000);
  XT_ASSIGN_OR_RETURN(int source_version, SqliteVersion(src.get()));
  if (sqlite3_exec(src.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Status::Internal("SQLite: " + std::string(sqlite3_errmsg(src.get())));
  }

  // Target: migrated to this binary's version; the source must be at the same version.
  XT_ASSIGN_OR_RETURN(int target_version, MigratePg(pg_dsn));
  if (source_version != target_version) {
    return Refuse("源数据库架构版本 " + std::to_string(source_version) + " 与目标版本 " +
                  std::to_string(target_version) +
                  " 不同：先运行 xietong migrate --db sqlite:" + sqlite_path);
  }

  // The source's tables: no bookkeeping, no full-text-search virtual tables or their shadows.
  std::vector<Table> tables;
  {
    XT_ASSIGN_OR_RETURN(
        SqliteStmt s,
        Prepare(src.get(),
                "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations' ORDER "
                "BY name"));
    std::vector<std::string> virtuals;
    std::vector<std::string> names;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      std::string name = ColText(s.get(), 0), sql = ColText(s.get(), 1);
      if (sql.rfind("CREATE VIRTUAL TABLE", 0) == 0)
        virtuals.push_back(name);
      else
        names.push_back(name);
    }
    for (const auto& n : names) {
      bool shadow = std::any_of(virtuals.begin(), virtuals.end(), [&](const std::string& v) {
        return n.size() > v.size() + 1 && n.compare(0, v.size() + 1, v + "_") == 0;
      });
      if (shadow) continue;
      Table t;
      t.name = n;
      XT_ASSIGN_OR_RETURN(SqliteStmt c,
                          Prepare(src.get(), "SELECT name, pk FROM pragma_table_info(" + Quote(n) +
                                                 ") ORDER BY cid"));
      std::vector<std::pair<int, std::string>> pk;
      while (sqlite3_step(c.get()) == SQLITE_ROW) {
        t.source_columns.push_back(ColText(c.get(), 0));
        if (int k = sqlite3_column_int(c.get(), 1); k > 0) pk.emplace_back(k, ColText(c.get(), 0));
      }
      std::sort(pk.begin(), pk.end());
      for (auto& [k, col] : pk) t.pk.push_back(col);
      tables.push_back(std::move(t));
    }
  }

  PgConn dst(PQconnectdb(pg_dsn.c_str()));
  if (PQstatus(dst.get()) != CONNECTION_OK) {
    return Status::Unavailable("无法连接目标数据库：" + PgError(dst.get()));
  }
  XT_RETURN_IF_ERROR(PgQuery(dst.get(), "SET client_min_messages = warning").status());

  // Same tables, same columns — else refuse, naming every difference.
  std::map<std::string, std::vector<Column>> target;
  {
    XT_ASSIGN_OR_RETURN(
        PgRes r,
        PgQuery(
            dst.get(),
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name "
            "= c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
            "AND c.table_name <> 'schema_migrations' ORDER BY c.table_name, c.ordinal_position"));
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      target[PQgetvalue(r.get(), i, 0)].push_back(
          {PQgetvalue(r.get(), i, 1), PQgetvalue(r.get(), i, 2)});
    }
  }
  std::vector<std::string> mismatches;
  std::set<std::string> source_names;
  for (auto& t : tables) {
    source_names.insert(t.name);
    auto it = target.find(t.name);
    if (it == target.end()) {
      mismatches.push_back("目标缺少表 " + t.name);
      continue;
    }
    std::set<std::string> src_cols(t.source_columns.begin(), t.source_columns.end());
    std::set<std::string> dst_cols;
    for (const auto& c : it->second) dst_cols.insert(c.name);
    for (const auto& c : src_cols)
      if (!dst_cols.count(c)) mismatches.push_back("目标表 " + t.name + " 缺少列 " + c);
    for (const auto& c : dst_cols)
      if (!src_cols.count(c)) mismatches.push_back("源表 " + t.name + " 缺少列 " + c);
    t.target_columns = it->second;
  }
  for (const auto& [name, cols] : target)
    if (!source_names.count(name)) mismatches.push_back("源数据库缺少表 " + name);
  if (!mismatches.empty()) {
    std::string msg = "源与目标的表结构不一致，未复制任何数据：";
    for (size_t i = 0; i < mismatches.size(); ++i) msg += (i ? "；" : "") + mismatches[i];
    return Refuse(msg);
  }

  XT_ASSIGN_OR_RETURN(tables, FkOrder(dst.get(), std::move(tables)));

  // One transaction on the target: all or nothing.
  XT_RETURN_IF_ERROR(PgQuery(dst.get(), "BEGIN ISOLATION LEVEL SERIALIZABLE").status());
  auto body = [&]() -> Result<CopyReport> {
    std::vector<std::string> non_empty;
    for (const auto& t : tables) {
      XT_ASSIGN_OR_RETURN(
          PgRes r, PgQuery(dst.get(), "SELECT EXISTS (SELECT 1 FROM " + Quote(t.name) + ")"));
      if (std::string(PQgetvalue(r.get(), 0, 0)) == "t") non_empty.push_back(t.name);
    }
    if (!non_empty.empty()) {
      std::string names;
      for (const auto& n : non_empty) names += (names.empty() ? "" : ", ") + n;
      return Refuse("目标数据库不是空的（表 " + names + " 已有数据），未复制任何数据");
    }
    CopyReport report;
    report.schema_version = target_version;
    for (const auto& t : tables) {
      int64_t rows = 0;
      XT_RETURN_IF_ERROR(CopyTable(src.get(), dst.get(), t, rows));
      report.rows.emplace_back(t.name, rows);
    }
    // Sequences owned by a column (BIGSERIAL / identity): past the largest id copied.
    for (const auto& t : tables) {
      for (const auto& c : t.target_columns) {
        if (!IsIntegerType(c.type)) continue;
        XT_ASSIGN_OR_RETURN(PgRes r, PgQuery(dst.get(), "SELECT pg_get_serial_sequence($1, $2)",
                                             {Quote(t.name), c.name}));
        if (PQgetisnull(r.get(), 0, 0)) continue;
        std::string seq = PQgetvalue(r.get(), 0, 0);
        XT_RETURN_IF_ERROR(PgQuery(dst.get(),
                                   "SELECT setval($1::regclass, COALESCE((SELECT MAX(" +
                                       Quote(c.name) + ") FROM " + Quote(t.name) +
                                       "), 0) + 1, false)",
                                   {seq})
                               .status());
        report.sequences.push_back(seq);
      }
    }
    return report;
  };
  auto report = body();
  if (!report.ok()) {
    PgRes(PQexec(dst.get(), "ROLLBACK"));
    return report.status();
  }
  XT_RETURN_IF_ERROR(PgQuery(dst.get(), "COMMIT").status());
  return report;
}

}  // namespace xietong::storage
