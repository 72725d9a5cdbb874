// PgTx: administrative approvals (行政审批, R-INF-2, schema v10) and their readers.
#include <algorithm>
#include <string>
#include <vector>

#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

#define XT_PG_APPROVAL_SET_COLS                                                                 \
  "holder, credit_code, decision_number, category, content, decision_date, valid_from, "       \
  "valid_to, authority, address, township_org_id, recorded_by_org_id, created_by, created_at, " \
  "updated_at"
#define XT_PG_APPROVAL_COLS "id, " XT_PG_APPROVAL_SET_COLS

domain::Approval ReadApproval(const PgResult& s, int i) {
  domain::Approval a;
  int c = 0;
  a.id = s.Int(i, c++);
  a.holder = s.Text(i, c++);
  a.credit_code = s.Text(i, c++);
  a.decision_number = s.Text(i, c++);
  a.category = s.Text(i, c++);
  a.content = s.Text(i, c++);
  a.decision_date = s.Text(i, c++);
  a.valid_from = s.Text(i, c++);
  a.valid_to = s.Text(i, c++);
  a.authority = s.Text(i, c++);
  a.address = s.Text(i, c++);
  a.township_org_id = s.OptInt(i, c++);
  a.recorded_by_org_id = s.Int(i, c++);
  a.created_by = s.Int(i, c++);
  a.created_at = s.Time(i, c++);
  a.updated_at = s.Time(i, c++);
  return a;
}

Params ApprovalParams(const domain::Approval& a) {
  return Params(a.holder, a.credit_code, a.decision_number, a.category, a.content, a.decision_date,
                a.valid_from, a.valid_to, a.authority, a.address, a.township_org_id,
                a.recorded_by_org_id, a.created_by, a.created_at, a.updated_at);
}

// store.h: a literal substring, case-insensitive for ASCII (as SQLite's LIKE).
constexpr char kLike[] = " ILIKE '%' || ? || '%' ESCAPE '\\'";

Where ApprovalWhere(const ApprovalFilter& f) {
  Where w;
  if (!f.text.empty()) {
    const std::string l = EscapeLike(f.text);
    const std::string k = kLike;
    w.Add("(holder" + k + " OR credit_code" + k + " OR decision_number" + k + " OR category" + k +
              " OR content" + k + " OR authority" + k + " OR address" + k + ")",
          l, l, l, l, l, l, l);
  }
  if (!f.category.empty()) w.Add("category = ?", f.category);
  if (!f.from.empty()) w.Add("decision_date >= ?", f.from);
  if (!f.to.empty()) w.Add("decision_date <= ?", f.to);
  if (f.township_org_id) {
    // At most a few names (a township's name and short name).
    std::vector<std::string> names;
    for (const auto& n : f.township_names)
      if (!n.empty()) names.push_back(EscapeLike(n));
    std::string cond = "(township_org_id = ?";
    for (size_t i = 0; i < names.size(); ++i) cond += std::string(" OR address") + " LIKE '%' || ? || '%' ESCAPE '\\'";
    cond += ")";
    switch (names.size()) {
      case 0: w.Add(cond, *f.township_org_id); break;
      case 1: w.Add(cond, *f.township_org_id, names[0]); break;
      default: w.Add(cond, *f.township_org_id, names[0], names[1]); break;
    }
  }
  if (f.reader_user_id && f.unread_only) {
    w.Add("NOT EXISTS (SELECT 1 FROM approval_reads r WHERE r.approval_id = approvals.id AND "
          "r.user_id = ?)",
          *f.reader_user_id);
  }
  return w;
}

}  // namespace

Result<Id> PgTx::InsertApproval(const domain::Approval& a) {
  XT_RETURN_IF_ERROR(Writable());
  auto res = conn_.QueryGuarded("INSERT INTO approvals (" XT_PG_APPROVAL_SET_COLS
                                ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) "
                                "RETURNING id",
                                ApprovalParams(a));
  if (!res.ok() && res.status().code() == core::Code::kAlreadyExists) {
    return Status::Exists("decision_number", "许可决定文书号已存在：" + a.decision_number, "R-INF-2");
  }
  XT_RETURN_IF_ERROR(res.status());
  return res->Int(0, 0);
}

Status PgTx::UpdateApproval(const domain::Approval& a) {
  XT_RETURN_IF_ERROR(Writable());
  Params p = ApprovalParams(a);
  p.Add(a.id);
  return ExpectChanged(
      "UPDATE approvals SET holder = $1, credit_code = $2, decision_number = $3, category = $4, "
      "content = $5, decision_date = $6, valid_from = $7, valid_to = $8, authority = $9, "
      "address = $10, township_org_id = $11, recorded_by_org_id = $12, created_by = $13, "
      "created_at = $14, updated_at = $15 WHERE id = $16",
      p, "approval", "行政审批记录不存在");
}

Result<domain::Approval> PgTx::GetApproval(Id id) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query(Locking("SELECT " XT_PG_APPROVAL_COLS
                                                        " FROM approvals WHERE id = $1"),
                                                Params(id)));
  return One(res, ReadApproval, "approval", "行政审批记录不存在");
}

Result<domain::Approval> PgTx::GetApprovalByNumber(const std::string& n) {
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query(Locking("SELECT " XT_PG_APPROVAL_COLS
                                                        " FROM approvals WHERE decision_number = $1"),
                                                Params(n)));
  return One(res, ReadApproval, "approval", "行政审批记录不存在");
}

Result<std::vector<domain::Approval>> PgTx::ListApprovals(const ApprovalFilter& f) {
  Where w = ApprovalWhere(f);
  w.Tail(" ORDER BY decision_date DESC, id DESC LIMIT ? OFFSET ?",
         static_cast<int64_t>(std::clamp(f.limit, 1, 10000)), static_cast<int64_t>(std::max(f.offset, 0)));
  std::string read_col = ", false";
  if (f.reader_user_id) {
    read_col = ", EXISTS (SELECT 1 FROM approval_reads r WHERE r.approval_id = approvals.id AND "
               "r.user_id = " + std::to_string(*f.reader_user_id) + ")";
  }
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT " XT_PG_APPROVAL_COLS + read_col +
                                                    " FROM approvals" + w.sql(),
                                                w.params()));
  std::vector<domain::Approval> out;
  for (int i = 0; i < res.rows(); ++i) {
    domain::Approval a = ReadApproval(res, i);
    a.read = res.Bool(i, 16);
    out.push_back(std::move(a));
  }
  return out;
}

Result<int64_t> PgTx::CountApprovals(const ApprovalFilter& f) {
  const Where w = ApprovalWhere(f);
  XT_ASSIGN_OR_RETURN(PgResult res, conn_.Query("SELECT COUNT(*) FROM approvals" + w.sql(), w.params()));
  return res.Int(0, 0);
}

Status PgTx::MarkApprovalsRead(Id user_id, const std::vector<Id>& ids, core::Instant at) {
  XT_RETURN_IF_ERROR(Writable());
  for (Id id : ids) {
    XT_RETURN_IF_ERROR(conn_
                           .QueryGuarded("INSERT INTO approval_reads (user_id, approval_id, read_at) "
                                         "VALUES ($1,$2,$3) ON CONFLICT (user_id, approval_id) DO NOTHING",
                                         Params(user_id, id, at))
                           .status());
  }
  return Status::Ok();
}

// ---- Assessment (R-ASM-1, v13) ----------------------------------------------------------------

namespace {
AssessmentSchemeRow SchemeFrom(const PgResult& r, int i) {
  AssessmentSchemeRow s;
  s.id = r.Int(i, 0);
  s.year = static_cast<int>(r.Int(i, 1));
  s.version = static_cast<int>(r.Int(i, 2));
  s.data = r.Text(i, 3);
  s.created_at = r.Time(i, 4);
  s.created_by = r.Int(i, 5);
  return s;
}
AssessmentResultRow ResultFrom(const PgResult& r, int i) {
  AssessmentResultRow s;
  s.id = r.Int(i, 0);
  s.period = r.Text(i, 1);
  s.from = r.Text(i, 2);
  s.to = r.Text(i, 3);
  s.scheme_id = r.Int(i, 4);
  s.data = r.Text(i, 5);
  s.published_at = r.Time(i, 6);
  s.published_by = r.Int(i, 7);
  return s;
}
constexpr const char* kSchemeCols = "SELECT id, year, version, data, created_at, created_by FROM assessment_schemes ";
}  // namespace

Result<Id> PgTx::InsertAssessmentScheme(const AssessmentSchemeRow& r) {
  XT_RETURN_IF_ERROR(Writable());
  auto res = conn_.QueryGuarded("INSERT INTO assessment_schemes (year, version, data, created_at, "
                                "created_by) VALUES ($1,$2,$3,$4,$5) RETURNING id",
                                Params(static_cast<int64_t>(r.year), static_cast<int64_t>(r.version),
                                       r.data, r.created_at, r.created_by));
  if (!res.ok() && res.status().code() == core::Code::kAlreadyExists) {
    return Status::Exists("version", "考核方案版本已存在", "R-ASM-1");
  }
  XT_RETURN_IF_ERROR(res.status());
  return res->Int(0, 0);
}

Result<std::optional<AssessmentSchemeRow>> PgTx::LatestAssessmentScheme(int year) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query(std::string(kSchemeCols) +
                                                  "WHERE year = $1 ORDER BY version DESC LIMIT 1",
                                              Params(static_cast<int64_t>(year))));
  if (r.rows() == 0) return std::optional<AssessmentSchemeRow>();
  return std::optional<AssessmentSchemeRow>(SchemeFrom(r, 0));
}

Result<std::optional<AssessmentSchemeRow>> PgTx::GetAssessmentScheme(Id id) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query(std::string(kSchemeCols) + "WHERE id = $1", Params(id)));
  if (r.rows() == 0) return std::optional<AssessmentSchemeRow>();
  return std::optional<AssessmentSchemeRow>(SchemeFrom(r, 0));
}

Result<Id> PgTx::InsertAssessmentResult(const AssessmentResultRow& r) {
  XT_RETURN_IF_ERROR(Writable());
  auto res = conn_.QueryGuarded("INSERT INTO assessment_results (period, period_from, period_to, "
                                "scheme_id, data, published_at, published_by) VALUES "
                                "($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                                Params(r.period, r.from, r.to, r.scheme_id, r.data, r.published_at,
                                       r.published_by));
  if (!res.ok() && res.status().code() == core::Code::kAlreadyExists) {
    return Status::Exists("period", "该考核期的结果已发布：" + r.period, "R-ASM-1");
  }
  XT_RETURN_IF_ERROR(res.status());
  return res->Int(0, 0);
}

Result<std::optional<AssessmentResultRow>> PgTx::GetAssessmentResult(Id id) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT id, period, period_from, period_to, scheme_id, "
                                              "data, published_at, published_by FROM "
                                              "assessment_results WHERE id = $1",
                                              Params(id)));
  if (r.rows() == 0) return std::optional<AssessmentResultRow>();
  return std::optional<AssessmentResultRow>(ResultFrom(r, 0));
}

Result<std::vector<AssessmentResultRow>> PgTx::ListAssessmentResults() {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT id, period, period_from, period_to, scheme_id, "
                                              "'', published_at, published_by FROM "
                                              "assessment_results ORDER BY published_at DESC, id DESC",
                                              Params()));
  std::vector<AssessmentResultRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ResultFrom(r, i));
  return out;
}

}  // namespace xietong::storage::postgres
