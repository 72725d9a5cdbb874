// SqliteTx: administrative approvals (行政审批, R-INF-2, schema v10) and their readers.
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

#define XT_SQL_APPROVAL_SET_COLS                                                                \
  "holder, credit_code, decision_number, category, content, decision_date, valid_from, "       \
  "valid_to, authority, address, township_org_id, recorded_by_org_id, created_by, created_at, " \
  "updated_at"
#define XT_SQL_APPROVAL_COLS "id, " XT_SQL_APPROVAL_SET_COLS

domain::Approval ReadApproval(const Stmt& st) {
  domain::Approval a;
  int c = 0;
  a.id = st.Int(c++);
  a.holder = st.Text(c++);
  a.credit_code = st.Text(c++);
  a.decision_number = st.Text(c++);
  a.category = st.Text(c++);
  a.content = st.Text(c++);
  a.decision_date = st.Text(c++);
  a.valid_from = st.Text(c++);
  a.valid_to = st.Text(c++);
  a.authority = st.Text(c++);
  a.address = st.Text(c++);
  a.township_org_id = st.OptInt(c++);
  a.recorded_by_org_id = st.Int(c++);
  a.created_by = st.Int(c++);
  a.created_at = st.Time(c++);
  a.updated_at = st.Time(c++);
  return a;
}

void BindApproval(Stmt& st, const domain::Approval& a) {
  st.BindAll(a.holder, a.credit_code, a.decision_number, a.category, a.content, a.decision_date,
             a.valid_from, a.valid_to, a.authority, a.address, a.township_org_id,
             a.recorded_by_org_id, a.created_by, a.created_at, a.updated_at);
}

using Arg = std::variant<int64_t, std::string>;
struct Query {
  std::string where;
  std::vector<Arg> args;
  void Add(const std::string& cond, std::initializer_list<Arg> a = {}) {
    where += where.empty() ? " WHERE (" : " AND (";
    where += cond + ")";
    args.insert(args.end(), a.begin(), a.end());
  }
  int Bind(Stmt& st) const {
    int i = 0;
    for (const Arg& a : args) {
      ++i;
      if (const auto* v = std::get_if<int64_t>(&a)) {
        st.Bind(i, *v);
      } else {
        st.Bind(i, std::get<std::string>(a));
      }
    }
    return i + 1;
  }
};

Query ApprovalWhere(const ApprovalFilter& f) {
  Query q;
  if (!f.text.empty()) {
    const std::string like = EscapeLike(f.text);
    std::string cond;
    for (const char* col : {"holder", "credit_code", "decision_number", "category", "content",
                            "authority", "address"}) {
      if (!cond.empty()) cond += " OR ";
      cond += std::string(col) + " LIKE '%' || ? || '%' ESCAPE '\\'";
      q.args.push_back(like);
    }
    q.where += q.where.empty() ? " WHERE (" : " AND (";
    q.where += cond + ")";
  }
  if (!f.category.empty()) q.Add("category = ?", {f.category});
  if (!f.from.empty()) q.Add("decision_date >= ?", {f.from});
  if (!f.to.empty()) q.Add("decision_date <= ?", {f.to});
  if (f.township_org_id) {
    std::string cond = "township_org_id = ?";
    std::vector<Arg> a{*f.township_org_id};
    for (const auto& n : f.township_names) {
      if (n.empty()) continue;
      cond += " OR address LIKE '%' || ? || '%' ESCAPE '\\'";
      a.push_back(EscapeLike(n));
    }
    q.where += q.where.empty() ? " WHERE (" : " AND (";
    q.where += cond + ")";
    q.args.insert(q.args.end(), a.begin(), a.end());
  }
  if (f.reader_user_id && f.unread_only) {
    q.Add("NOT EXISTS (SELECT 1 FROM approval_reads r WHERE r.approval_id = approvals.id AND "
          "r.user_id = ?)",
          {*f.reader_user_id});
  }
  return q;
}

}  // namespace

Result<Id> SqliteTx::InsertApproval(const domain::Approval& a) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO approvals (" XT_SQL_APPROVAL_SET_COLS
                                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  BindApproval(st, a);
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists) {
    return Status::Exists("decision_number", "许可决定文书号已存在：" + a.decision_number, "R-INF-2");
  }
  XT_RETURN_IF_ERROR(s);
  return db_.LastInsertId();
}

Status SqliteTx::UpdateApproval(const domain::Approval& a) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("UPDATE approvals SET holder = ?, credit_code = ?, decision_number = ?, "
                           "category = ?, content = ?, decision_date = ?, valid_from = ?, "
                           "valid_to = ?, authority = ?, address = ?, township_org_id = ?, "
                           "recorded_by_org_id = ?, created_by = ?, created_at = ?, "
                           "updated_at = ? WHERE id = ?"));
  BindApproval(st, a);
  st.Bind(16, a.id);
  return ExpectChanged(st, "approval", "行政审批记录不存在");
}

Result<domain::Approval> SqliteTx::GetApproval(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_APPROVAL_COLS " FROM approvals WHERE id = ?"));
  st.Bind(1, id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("approval", "行政审批记录不存在");
  return ReadApproval(st);
}

Result<domain::Approval> SqliteTx::GetApprovalByNumber(const std::string& n) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_APPROVAL_COLS
                                           " FROM approvals WHERE decision_number = ?"));
  st.Bind(1, n);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("approval", "行政审批记录不存在");
  return ReadApproval(st);
}

Result<std::vector<domain::Approval>> SqliteTx::ListApprovals(const ApprovalFilter& f) {
  const Query q = ApprovalWhere(f);
  std::string read_col = ", 0";
  if (f.reader_user_id) {
    read_col = ", EXISTS (SELECT 1 FROM approval_reads r WHERE r.approval_id = approvals.id AND "
               "r.user_id = " + std::to_string(*f.reader_user_id) + ")";
  }
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT " XT_SQL_APPROVAL_COLS + read_col +
                                           " FROM approvals" + q.where +
                                           " ORDER BY decision_date DESC, id DESC LIMIT ? OFFSET ?"));
  int i = q.Bind(st);
  st.Bind(i, static_cast<int64_t>(std::clamp(f.limit, 1, 10000)));
  st.Bind(i + 1, static_cast<int64_t>(std::max(f.offset, 0)));
  std::vector<domain::Approval> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    domain::Approval a = ReadApproval(st);
    a.read = st.Int(16) != 0;
    out.push_back(std::move(a));
  }
  return out;
}

Result<int64_t> SqliteTx::CountApprovals(const ApprovalFilter& f) {
  const Query q = ApprovalWhere(f);
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT COUNT(*) FROM approvals" + q.where));
  q.Bind(st);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Status SqliteTx::MarkApprovalsRead(Id user_id, const std::vector<Id>& ids, core::Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  for (Id id : ids) {
    XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO approval_reads (user_id, approval_id, read_at) "
                                             "VALUES (?,?,?) ON CONFLICT (user_id, approval_id) DO NOTHING"));
    st.BindAll(user_id, id, at);
    XT_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

// ---- Assessment (R-ASM-1, v13) ----------------------------------------------------------------

namespace {
AssessmentSchemeRow SchemeFrom(const Stmt& st) {
  AssessmentSchemeRow r;
  r.id = st.Int(0);
  r.year = static_cast<int>(st.Int(1));
  r.version = static_cast<int>(st.Int(2));
  r.data = st.Text(3);
  r.created_at = st.Time(4);
  r.created_by = st.Int(5);
  return r;
}
AssessmentResultRow ResultFrom(const Stmt& st) {
  AssessmentResultRow r;
  r.id = st.Int(0);
  r.period = st.Text(1);
  r.from = st.Text(2);
  r.to = st.Text(3);
  r.scheme_id = st.Int(4);
  r.data = st.Text(5);
  r.published_at = st.Time(6);
  r.published_by = st.Int(7);
  return r;
}
constexpr const char* kSchemeCols = "SELECT id, year, version, data, created_at, created_by FROM assessment_schemes ";
}  // namespace

Result<Id> SqliteTx::InsertAssessmentScheme(const AssessmentSchemeRow& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO assessment_schemes (year, version, data, "
                                           "created_at, created_by) VALUES (?,?,?,?,?)"));
  st.BindAll(static_cast<int64_t>(r.year), static_cast<int64_t>(r.version), r.data, r.created_at, r.created_by);
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists) {
    return Status::Exists("version", "考核方案版本已存在", "R-ASM-1");
  }
  XT_RETURN_IF_ERROR(s);
  return db_.LastInsertId();
}

Result<std::optional<AssessmentSchemeRow>> SqliteTx::LatestAssessmentScheme(int year) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kSchemeCols) + "WHERE year = ? ORDER BY version DESC LIMIT 1"));
  st.Bind(1, static_cast<int64_t>(year));
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<AssessmentSchemeRow>();
  return std::optional<AssessmentSchemeRow>(SchemeFrom(st));
}

Result<std::optional<AssessmentSchemeRow>> SqliteTx::GetAssessmentScheme(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kSchemeCols) + "WHERE id = ?"));
  st.Bind(1, id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<AssessmentSchemeRow>();
  return std::optional<AssessmentSchemeRow>(SchemeFrom(st));
}

Result<Id> SqliteTx::InsertAssessmentResult(const AssessmentResultRow& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO assessment_results (period, period_from, "
                                           "period_to, scheme_id, data, published_at, published_by) "
                                           "VALUES (?,?,?,?,?,?,?)"));
  st.BindAll(r.period, r.from, r.to, r.scheme_id, r.data, r.published_at, r.published_by);
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists) {
    return Status::Exists("period", "该考核期的结果已发布：" + r.period, "R-ASM-1");
  }
  XT_RETURN_IF_ERROR(s);
  return db_.LastInsertId();
}

Result<std::optional<AssessmentResultRow>> SqliteTx::GetAssessmentResult(Id id) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id, period, period_from, period_to, scheme_id, "
                                           "data, published_at, published_by FROM "
                                           "assessment_results WHERE id = ?"));
  st.Bind(1, id);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<AssessmentResultRow>();
  return std::optional<AssessmentResultRow>(ResultFrom(st));
}

Result<std::vector<AssessmentResultRow>> SqliteTx::ListAssessmentResults() {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id, period, period_from, period_to, scheme_id, "
                                           "'', published_at, published_by FROM "
                                           "assessment_results ORDER BY published_at DESC, id DESC"));
  std::vector<AssessmentResultRow> out;
  for (;;) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ResultFrom(st));
  }
  return out;
}

}  // namespace xietong::storage::sqlite
