#include "storage/sqlite/internal/db.h"

#include <string>

namespace xietong::storage::sqlite {

namespace {
// Chinese names of the columns whose uniqueness users can run into.
std::string FieldLabel(std::string_view field) {
  if (field == "username") return "用户名";
  if (field == "code") return "机构代码";
  if (field == "token_hash") return "令牌";
  if (field == "year") return "年度";
  if (field == "dedupe_key") return "通知";
  if (field == "seq") return "审计序号";
  if (field == "key") return "状态键";
  return std::string(field);
}
}  // namespace

core::Status ErrorStatus(sqlite3* db, int rc, std::string_view context) {
  const int primary = rc & 0xff;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    // "UNIQUE constraint failed: users.username" (several columns: "t.a, t.b"; take the last).
    std::string field = msg;
    if (auto colon = field.rfind(": "); colon != std::string::npos) field = field.substr(colon + 2);
    if (auto comma = field.rfind(", "); comma != std::string::npos) field = field.substr(comma + 2);
    if (auto dot = field.rfind('.'); dot != std::string::npos) field = field.substr(dot + 1);
    return core::Status::Exists(field, FieldLabel(field) + "已存在");
  }
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
    return core::Status::Invalid("reference", "引用的记录不存在（外键约束）", {}, "foreign_key");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return core::Status::Unavailable("数据库繁忙，请稍后重试（" + std::string(context) + ": " + msg +
                                     "）");
  }
  return core::Status::Internal("数据库错误（" + std::string(context) + "）: " + msg);
}

Stmt::~Stmt() {
  if (!stmt_) return;
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

core::Result<bool> Stmt::Step() {
  if (bind_rc_ != SQLITE_OK) {
    db_->NoteError(bind_rc_);
    return ErrorStatus(db_->raw(), bind_rc_, "bind");
  }
  if (db_->InjectFault(stmt_)) {
    db_->NoteError(SQLITE_IOERR);
    return core::Status::Internal("injected_fault: " + std::string(sqlite3_sql(stmt_)));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step returns the extended code when extended result codes are on.
  db_->NoteError(rc);
  return ErrorStatus(db_->raw(), rc, sqlite3_sql(stmt_));
}

bool Db::InjectFault(sqlite3_stmt* stmt) {
  if (!fault_countdown_) return false;
  std::string_view sql = sqlite3_sql(stmt);
  if (sql.starts_with("ROLLBACK")) return false;
  int64_t v = fault_countdown_->load();
  while (v > 0 && !fault_countdown_->compare_exchange_weak(v, v - 1)) {
  }
  return v == 1;
}

core::Status Stmt::Run() {
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return core::Status::Ok();
  }
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

core::Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int flags,
                                           int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Db> db(raw ? new Db(raw) : nullptr);
  if (rc != SQLITE_OK) {
    return core::Status::Internal("无法打开数据库 " + path + ": " +
                                  (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return db;
}

Db::~Db() {
  for (auto& [sql, e] : cache_) sqlite3_finalize(e.stmt);
  sqlite3_close_v2(db_);
}

core::Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) {
    const int ext = sqlite3_extended_errcode(db_);
    NoteError(ext);
    return ErrorStatus(db_, ext, text.substr(0, 60));
  }
  return core::Status::Ok();
}

core::Status Db::Run(std::string_view sql) {
  XT_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
  return st.Run();
}

core::Result<Stmt> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !*it->second.in_use) {
    *it->second.in_use = true;
    return Stmt(this, it->second.stmt, it->second.in_use.get());
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    NoteError(rc);
    return ErrorStatus(db_, rc, "prepare " + std::string(sql.substr(0, 60)));
  }
  if (it != cache_.end()) return Stmt(this, stmt, nullptr);  // nested use: uncached copy
  if (cache_.size() >= kMaxCachedStatements) {
    for (auto i = cache_.begin(); i != cache_.end();) {
      if (*i->second.in_use) {
        ++i;
      } else {
        sqlite3_finalize(i->second.stmt);
        i = cache_.erase(i);
      }
    }
  }
  Entry& e = cache_[std::string(sql)];
  e.stmt = stmt;
  *e.in_use = true;
  return Stmt(this, stmt, e.in_use.get());
}

core::Result<std::optional<int64_t>> Db::QueryInt(std::string_view sql) {
  XT_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(st.Int(0));
}

core::Result<std::optional<std::string>> Db::QueryText(std::string_view sql) {
  XT_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.Text(0));
}

}  // namespace xietong::storage::sqlite
