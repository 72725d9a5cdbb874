#include "storage/postgres/internal/pg.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace xietong::storage::postgres {

namespace {

// Chinese names of the columns whose uniqueness users can run into.
std::string FieldLabel(std::string_view field) {
  if (field == "username") return "用户名";
  if (field == "code") return "代码";
  if (field == "token_hash") return "令牌";
  if (field == "year") return "年度";
  if (field == "dedupe_key") return "通知";
  if (field == "seq") return "审计序号";
  if (field == "key") return "键";
  if (field == "from") return "划转起始日";
  if (field == "sha256") return "文件";
  return std::string(field);
}

std::string ErrorField(const PGresult* r, int code) {
  const char* v = r ? PQresultErrorField(r, code) : nullptr;
  return v ? v : "";
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 4);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string UniqueField(std::string_view table, std::string_view constraint,
                        std::string_view detail) {
  std::string_view name = constraint;
  if (!table.empty() && StartsWith(name, table) && name.size() > table.size() &&
      name[table.size()] == '_') {
    name.remove_prefix(table.size() + 1);
    for (std::string_view suffix : {"_key", "_pkey"}) {
      if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
        return std::string(name.substr(0, name.size() - suffix.size()));
      }
    }
  }
  // "Key (user_id, dedupe_key)=(1, x) already exists." → the last column.
  auto open = detail.find('(');
  auto close = detail.find(")=");
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    std::string_view cols = detail.substr(open + 1, close - open - 1);
    if (auto comma = cols.rfind(", "); comma != std::string_view::npos) cols.remove_prefix(comma + 2);
    std::string out(cols);
    if (out.size() >= 2 && out.front() == '"' && out.back() == '"') out = out.substr(1, out.size() - 2);
    return out;
  }
  return std::string(constraint);
}

// ---------------- Params ----------------

Params& Params::Push(Oid type, std::optional<std::string> value, int format) {
  types_.push_back(type);
  lengths_.push_back(value ? static_cast<int>(value->size()) : 0);
  formats_.push_back(format);
  values_.push_back(std::move(value));
  return *this;
}

Params& Params::Add(int64_t v) { return Push(20, std::to_string(v)); }
Params& Params::Add(bool v) { return Push(16, std::string(v ? "t" : "f")); }
Params& Params::Add(std::string_view v) { return Push(25, std::string(v)); }
Params& Params::Add(Bytea v) { return Push(17, std::string(v.bytes), /*format=*/1); }
Params& Params::Add(Int8Array v) {
  std::string s = "{";
  for (size_t i = 0; i < v.values->size(); ++i) {
    if (i) s += ',';
    s += std::to_string((*v.values)[i]);
  }
  s += '}';
  return Push(1016, std::move(s));
}

Params& Params::Add(OptInt8Array v) {
  std::string s = "{";
  for (size_t i = 0; i < v.values->size(); ++i) {
    if (i) s += ',';
    const std::optional<int64_t>& x = (*v.values)[i];
    s += x ? std::to_string(*x) : std::string("NULL");
  }
  s += '}';
  return Push(1016, std::move(s));
}

Params& Params::Add(TextArray v) {
  // Array literal: every element double-quoted, with '"' and '\' backslash-escaped.
  size_t n = 2;
  for (const std::string& x : *v.values) n += x.size() + 3;
  std::string s;
  s.reserve(n);
  s += '{';
  for (size_t i = 0; i < v.values->size(); ++i) {
    if (i) s += ',';
    s += '"';
    for (char c : (*v.values)[i]) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  s += '}';
  return Push(1009, std::move(s));
}

std::vector<const char*> Params::values() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

// ---------------- PgResult ----------------

int64_t PgResult::affected() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : nullptr;
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col),
                     static_cast<size_t>(PQgetlength(r_.get(), row, col)));
}

int64_t PgResult::Int(int row, int col) const {
  return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10);
}

bool PgResult::Bool(int row, int col) const { return PQgetvalue(r_.get(), row, col)[0] == 't'; }

core::CivilDay PgResult::Day(int row, int col) const {
  return core::CivilDay(std::chrono::days(Int(row, col)));
}

std::optional<int64_t> PgResult::OptInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

std::optional<core::Instant> PgResult::OptTime(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Time(row, col);
}

std::string PgResult::Bytes(int row, int col) const {
  if (IsNull(row, col)) return {};
  size_t n = 0;
  unsigned char* p =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_.get(), row, col)), &n);
  if (!p) return {};
  std::string out(reinterpret_cast<const char*>(p), n);
  PQfreemem(p);
  return out;
}

// ---------------- Conn ----------------

core::Result<std::unique_ptr<Conn>> Conn::Open(const std::string& dsn) {
  PGconn* c = PQconnectdb(dsn.c_str());
  if (!c) return core::Status::Unavailable("无法连接 PostgreSQL：内存不足");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return core::Status::Unavailable("无法连接 PostgreSQL：" + msg)
        .En("cannot connect to PostgreSQL: " + msg);
  }
  // Notices ("relation already exists, skipping" …) are not errors: do not print them.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  std::unique_ptr<Conn> conn(new Conn(c));
  // Instants are integers; keep server-side text in UTF-8 and messages untranslated for parsing.
  XT_RETURN_IF_ERROR(conn->Exec("SET client_encoding = 'UTF8'; SET lc_messages = 'C'"));
  return conn;
}

Conn::~Conn() { PQfinish(conn_); }

bool Conn::Healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

core::Status Conn::Fail(const PGresult* r, std::string_view context) {
  std::string state = ErrorField(r, PG_DIAG_SQLSTATE);
  std::string msg = r ? ErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : "";
  if (msg.empty()) {
    msg = PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  }
  if (state == kInFailedTransaction && aborted_by_) return *aborted_by_;
  if (state != kInFailedTransaction || !LastErrorRetryable())
    last_sqlstate_ = state.empty() ? "?" : state;
  core::Status out = Classify(r, state, msg, context);
  if (!aborted_by_ && PQtransactionStatus(conn_) == PQTRANS_INERROR) aborted_by_ = out;
  return out;
}

core::Status Conn::Classify(const PGresult* r, const std::string& state, const std::string& msg,
                            std::string_view context) {
  if (state == "23505") {
    std::string field = UniqueField(ErrorField(r, PG_DIAG_TABLE_NAME),
                                    ErrorField(r, PG_DIAG_CONSTRAINT_NAME),
                                    ErrorField(r, PG_DIAG_MESSAGE_DETAIL));
    return core::Status::Exists(field, FieldLabel(field) + "已存在");
  }
  if (state == "23503") {
    return core::Status::Invalid("reference", "引用的记录不存在（外键约束）", {}, "foreign_key");
  }
  if (state == kSerializationFailure || state == kDeadlockDetected) {
    // Transient: Write() retries it; if it still fails the client gets 503 and may retry (an
    // Idempotency-Key is then released: nothing was committed).
    return core::Status(core::Code::kUnavailable, "transaction_conflict",
                        "数据库事务冲突，请稍后重试（" + msg + "）", "")
        .En("Database transaction conflict; retry later (" + msg + ")");
  }
  if (PQstatus(conn_) != CONNECTION_OK || StartsWith(state, "08") || StartsWith(state, "57P")) {
    return core::Status::Unavailable("PostgreSQL 连接中断（" + std::string(context) + "）: " + msg);
  }
  return core::Status::Internal("数据库错误（" + std::string(context.substr(0, 80)) + "）: " +
                                (state.empty() ? "" : state + " ") + msg);
}

core::Status Conn::Exec(std::string_view sql) {
  XT_ASSIGN_OR_RETURN(PgResult r, ExecResult(sql));
  return core::Status::Ok();
}

core::Result<PgResult> Conn::ExecResult(std::string_view sql) {
  std::string text(sql);
  PgResult r(PQexec(conn_, text.c_str()));
  const ExecStatusType st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Fail(r.raw(), sql);
  return r;
}

core::Result<const std::string*> Conn::Prepared(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return &it->second;
  // Dynamic filters give a bounded but large set of texts: start over past a limit.
  if (prepared_.size() >= kMaxPrepared && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
    PgResult d(PQexec(conn_, "DEALLOCATE ALL"));
    if (d.raw() && PQresultStatus(d.raw()) == PGRES_COMMAND_OK) prepared_.clear();
  }
  std::string name = "xt" + std::to_string(++statement_counter_);
  PgResult r(PQprepare(conn_, name.c_str(), sql.c_str(), params.size(), params.types().data()));
  if (!r.raw() || PQresultStatus(r.raw()) != PGRES_COMMAND_OK) return Fail(r.raw(), sql);
  return &prepared_.emplace(sql, std::move(name)).first->second;
}

core::Result<PgResult> Conn::Query(const std::string& sql, const Params& params) {
  XT_ASSIGN_OR_RETURN(const std::string* name, Prepared(sql, params));
  const std::vector<const char*> values = params.values();
  PgResult r(PQexecPrepared(conn_, name->c_str(), params.size(), values.data(),
                            params.lengths().data(), params.formats().data(), /*text=*/0));
  const ExecStatusType st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Fail(r.raw(), sql);
  return r;
}

core::Result<PgResult> Conn::QueryGuarded(const std::string& sql, const Params& params) {
  XT_ASSIGN_OR_RETURN(const std::string* name, Prepared(sql, params));
  const std::vector<const char*> values = params.values();
  // One round trip: SAVEPOINT; the statement; RELEASE; Sync.
  if (PQenterPipelineMode(conn_) != 1) return Fail(nullptr, "pipeline");
  bool sent = PQsendQueryParams(conn_, "SAVEPOINT xt_stmt", 0, nullptr, nullptr, nullptr,
                                nullptr, 0) == 1 &&
              PQsendQueryPrepared(conn_, name->c_str(), params.size(), values.data(),
                                  params.lengths().data(), params.formats().data(), 0) == 1 &&
              PQsendQueryParams(conn_, "RELEASE SAVEPOINT xt_stmt", 0, nullptr, nullptr,
                                nullptr, nullptr, 0) == 1 &&
              PQpipelineSync(conn_) == 1;
  PgResult results[3];
  int n = 0;
  bool synced = false;
  // Collect: each query's results end with a null; the sync ends the pipeline.
  while (sent && !synced) {
    PGresult* r = PQgetResult(conn_);
    if (!r) {
      if (PQstatus(conn_) != CONNECTION_OK) break;
      continue;  // end of one query's results
    }
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      synced = true;
    } else if (n < 3) {
      results[n++] = PgResult(r);
    } else {
      PQclear(r);
    }
  }
  (void)PQexitPipelineMode(conn_);
  if (!sent || !synced) return Fail(nullptr, sql);
  auto ok = [](const PgResult& r) {
    const ExecStatusType st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  };
  if (n == 3 && ok(results[0]) && ok(results[1]) && ok(results[2])) return std::move(results[1]);
  // Find the failure, undo the statement, keep the transaction.
  const PgResult* bad = nullptr;
  for (int i = 0; i < n && !bad; ++i) {
    if (!ok(results[i]) && PQresultStatus(results[i].raw()) != PGRES_PIPELINE_ABORTED) {
      bad = &results[i];
    }
  }
  const std::optional<core::Status> aborted_before = aborted_by_;
  core::Status why = Fail(bad ? bad->raw() : nullptr, sql);
  const std::string state = last_sqlstate_;
  if (n >= 1 && ok(results[0])) {
    // The savepoint exists: roll back to it (a failure here leaves the transaction aborted,
    // which later statements and COMMIT report).
    (void)Exec("ROLLBACK TO SAVEPOINT xt_stmt; RELEASE SAVEPOINT xt_stmt");
  }
  last_sqlstate_ = state;
  if (PQtransactionStatus(conn_) != PQTRANS_INERROR) {
    aborted_by_ = aborted_before;  // the transaction goes on: this failure did not abort it
  } else if (!aborted_by_) {
    aborted_by_ = why;
  }
  return why;
}

}  // namespace xietong::storage::postgres
