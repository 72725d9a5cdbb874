#include "service/approval_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "domain/referral.h"  // Utf8Length, IsBlank
#include "service/audit_log.h"
#include "service/csv.h"
#include "service/xlsx_reader.h"
#include "service/workflow/items.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::Approval;
using domain::Id;

namespace {

constexpr int kMaxImportRows = 5000;

Status Invalid(const std::string& field, const std::string& zh, const std::string& en,
               const char* id = "invalid_value") {
  return Status::Invalid(field, zh, "R-INF-2", id).En(en);
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// A township by name, short name or code (active), or none.
std::optional<domain::Org> TownshipNamed(const std::vector<domain::Org>& orgs, const std::string& s) {
  for (const auto& o : orgs)
    if (o.active && o.kind == domain::OrgKind::kTownship && (o.name == s || o.short_name == s || o.code == s))
      return o;
  return std::nullopt;
}

std::vector<std::string> NamesOf(const domain::Org& o) {
  std::vector<std::string> out{o.name};
  if (!o.short_name.empty() && o.short_name != o.name) out.push_back(o.short_name);
  return out;
}

Result<ApprovalView> ViewOf(storage::Tx& tx, Approval a, bool feed) {
  ApprovalView v;
  if (a.township_org_id) {
    XT_ASSIGN_OR_RETURN(v.township, workflow::Maybe(tx.GetOrg(*a.township_org_id)));
  }
  XT_ASSIGN_OR_RETURN(v.recorded_by, workflow::Maybe(tx.GetOrg(a.recorded_by_org_id)));
  v.a = std::move(a);
  v.feed = feed;
  return v;
}

Status CheckQuery(const ApprovalQuery& q) {
  if (domain::Utf8Length(q.q) > 100) return Invalid("q", "q 不能超过100个字", "q is too long", "too_long");
  if (!q.from.empty() && !domain::IsIsoDate(q.from)) return Invalid("from", "from 应为日期，如 2026-11-25", "from must be YYYY-MM-DD");
  if (!q.to.empty() && !domain::IsIsoDate(q.to)) return Invalid("to", "to 应为日期，如 2026-11-25", "to must be YYYY-MM-DD");
  if (q.page < 1) return Invalid("page", "page 应≥1", "page must be ≥ 1");
  if (q.page_size < 1 || q.page_size > 200) return Invalid("page_size", "page_size 应为1至200", "page_size must be 1..200");
  return Status::Ok();
}

storage::ApprovalFilter FilterOf(const ApprovalQuery& q) {
  storage::ApprovalFilter f;
  f.text = q.q;
  f.category = q.category;
  f.from = q.from;
  f.to = q.to;
  f.offset = (q.page - 1) * q.page_size;
  f.limit = q.page_size;
  return f;
}

Status FeedOwner(const Principal& p) {
  if (p.org.kind != domain::OrgKind::kTownship || !workflow::IsStaff(p)) {
    return Status::Denied("仅乡镇工作人员有行政审批信息推送", "R-INF-2").En("Only township staff have an approvals feed");
  }
  return Status::Ok();
}

}  // namespace

ApprovalService::ApprovalService(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

Status ApprovalService::CanWrite(const Principal& p) {
  const bool org_ok = p.org.kind == domain::OrgKind::kCountyDepartment || p.org.kind == domain::OrgKind::kCoordinator;
  if (!workflow::IsStaff(p) || p.IsAuditor() || !org_ok) {
    return Status::Denied("仅县直部门工作人员可以录入或导入行政审批信息", "R-INF-2")
        .En("Only staff of a county department may record or import approvals");
  }
  return Status::Ok();
}

Result<ApprovalView> ApprovalService::Record(const Principal& p, const Result<ApprovalInput>& in) {
  XT_RETURN_IF_ERROR(CanWrite(p));
  XT_RETURN_IF_ERROR(in.status());
  const core::Instant now = clock_.Now();
  Approval a = in->fields;
  XT_RETURN_IF_ERROR(domain::ValidateApproval(a));
  ApprovalView out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    if (in->township_org_id) {
      XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, workflow::Maybe(tx.GetOrg(*in->township_org_id)));
      if (!o || !o->active || o->kind != domain::OrgKind::kTownship) {
        return Invalid("township_org_id", "所属乡镇应为乡镇", "township_org_id must be a township");
      }
      a.township_org_id = o->id;
    } else {
      a.township_org_id.reset();
    }
    a.recorded_by_org_id = p.org.id;
    a.created_by = p.user.id;
    a.created_at = now;
    a.updated_at = now;
    XT_ASSIGN_OR_RETURN(a.id, tx.InsertApproval(a));
    XT_RETURN_IF_ERROR(service::Record(tx, &p, now,
                              AuditRecord{"approval.create", "approval", std::to_string(a.id),
                                          "录入行政审批：" + a.holder + "（" + a.decision_number + "）",
                                          json::object{{"decision_number", a.decision_number}}}));
    XT_ASSIGN_OR_RETURN(out, ViewOf(tx, a, false));
    return Status::Ok();
  }));
  return out;
}

Result<ApprovalImportResult> ApprovalService::ImportCsv(const Principal& p, std::string_view csv) {
  XT_RETURN_IF_ERROR(CanWrite(p));
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  XT_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(csv));
  return ImportRecords(p, records);
}

Result<ApprovalImportResult> ApprovalService::ImportXlsx(const Principal& p, std::string_view xlsx) {
  XT_RETURN_IF_ERROR(CanWrite(p));
  Result<std::vector<CsvRecord>> records = ReadXlsxFirstSheet(xlsx, kMaxImportRows + 1);
  if (!records.ok()) {
    const Status& st = records.status();
    return Status(st.code(), st.id(), st.message(), st.field(), "R-INF-2").En(st.message_en());
  }
  return ImportRecords(p, *records);
}

Result<ApprovalImportResult> ApprovalService::ImportRecords(const Principal& p, const std::vector<CsvRecord>& records) {
  if (records.empty()) return Invalid("line 1", "文件为空（应有表头行）", "The file is empty (a header row is needed)", "missing_field");
  if (records.size() - 1 > kMaxImportRows) {
    return Invalid("body", "一次最多导入" + std::to_string(kMaxImportRows) + "行", "At most 5000 rows per import", "too_long");
  }
  // Header: the export's columns by name.
  const CsvRecord& header = records[0];
  std::map<std::string, size_t> col;  // field → index
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string h = Trim(header.fields[i]);
    for (const auto& c : domain::ApprovalColumns())
      if (c.zh == h) col[std::string(c.field)] = i;
  }
  for (const auto& c : domain::ApprovalColumns()) {
    if (c.required && !col.count(std::string(c.field))) {
      return Invalid("line " + std::to_string(header.line) + ", column " + std::string(c.zh),
                     "表头缺少列：" + std::string(c.zh), "The header lacks the column " + std::string(c.zh),
                     "missing_field");
    }
  }
  const core::Instant now = clock_.Now();
  ApprovalImportResult out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    out = {};
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    std::map<std::string, int> seen;  // decision number → line
    std::vector<Approval> rows;
    for (size_t r = 1; r < records.size(); ++r) {
      const CsvRecord& rec = records[r];
      auto cell = [&](std::string_view field) -> std::string {
        auto it = col.find(std::string(field));
        if (it == col.end() || it->second >= rec.fields.size()) return "";
        return Trim(rec.fields[it->second]);
      };
      auto where = [&](std::string_view field) {
        std::string zh(field);
        for (const auto& c : domain::ApprovalColumns())
          if (c.field == field) zh = std::string(c.zh);
        return "line " + std::to_string(rec.line) + ", column " + zh;
      };
      Approval a;
      a.holder = cell("holder");
      a.credit_code = cell("credit_code");
      a.decision_number = cell("decision_number");
      a.category = cell("category");
      a.content = cell("content");
      a.decision_date = cell("decision_date");
      a.valid_from = cell("valid_from");
      a.valid_to = cell("valid_to");
      a.authority = cell("authority");
      a.address = cell("address");
      if (Status st = domain::ValidateApproval(a); !st.ok()) {
        const std::string at = where(st.field());
        return Status(st.code(), st.id(), "第" + std::to_string(rec.line) + "行：" + st.message(), at, "R-INF-2")
            .En(at + ": " + st.message_en());
      }
      if (const std::string t = cell("township"); !t.empty()) {
        std::optional<domain::Org> o = TownshipNamed(orgs, t);
        if (!o) {
          const std::string at = where("township");
          return Status::Invalid(at, "第" + std::to_string(rec.line) + "行：没有名为「" + t + "」的乡镇", "R-INF-2", "invalid_value")
              .En(at + ": no township named " + t);
        }
        a.township_org_id = o->id;
      }
      if (auto [it, fresh] = seen.emplace(a.decision_number, rec.line); !fresh) {
        const std::string at = where("decision_number");
        return Status::Invalid(at, "第" + std::to_string(rec.line) + "行：许可决定文书号与第" + std::to_string(it->second) + "行重复",
                               "R-INF-2", "duplicate")
            .En(at + ": the same decision number as line " + std::to_string(it->second));
      }
      rows.push_back(std::move(a));
    }
    // Every row is good: write them (an existing decision number is updated).
    for (Approval& a : rows) {
      XT_ASSIGN_OR_RETURN(std::optional<Approval> old, workflow::Maybe(tx.GetApprovalByNumber(a.decision_number)));
      a.recorded_by_org_id = p.org.id;
      a.updated_at = now;
      if (old) {
        a.id = old->id;
        a.created_by = old->created_by;
        a.created_at = old->created_at;
        XT_RETURN_IF_ERROR(tx.UpdateApproval(a));
        ++out.updated;
      } else {
        a.created_by = p.user.id;
        a.created_at = now;
        XT_RETURN_IF_ERROR(tx.InsertApproval(a).status());
        ++out.created;
      }
    }
    out.rows = static_cast<int64_t>(rows.size());
    return service::Record(tx, &p, now,
                  AuditRecord{"approval.import", "approval", "import",
                              "导入行政审批" + std::to_string(out.rows) + "条（新增" + std::to_string(out.created) +
                                  "条，更新" + std::to_string(out.updated) + "条）",
                              json::object{{"rows", out.rows}, {"created", out.created}, {"updated", out.updated}}});
  }));
  return out;
}

Result<ApprovalView> ApprovalService::Get(const Principal&, Id id) {
  ApprovalView out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto a = tx.GetApproval(id);
    if (!a.ok()) {
      if (a.status().code() == core::Code::kNotFound) {
        return Status::NotFound("id", "行政审批记录不存在").En("No such approval");
      }
      return a.status();
    }
    XT_ASSIGN_OR_RETURN(out, ViewOf(tx, *a, false));
    return Status::Ok();
  }));
  return out;
}

Result<ApprovalPage> ApprovalService::List(const Principal&, const ApprovalQuery& q) {
  XT_RETURN_IF_ERROR(CheckQuery(q));
  storage::ApprovalFilter f = FilterOf(q);
  ApprovalPage out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    if (q.township) {
      XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, workflow::Maybe(tx.GetOrg(*q.township)));
      if (!o || o->kind != domain::OrgKind::kTownship) return Invalid("township", "township 应为乡镇编号", "township must be a township id");
      f.township_org_id = o->id;
      f.township_names = NamesOf(*o);
    }
    XT_ASSIGN_OR_RETURN(out.total, tx.CountApprovals(f));
    XT_ASSIGN_OR_RETURN(std::vector<Approval> rows, tx.ListApprovals(f));
    for (auto& a : rows) {
      XT_ASSIGN_OR_RETURN(ApprovalView v, ViewOf(tx, std::move(a), false));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ApprovalPage> ApprovalService::Feed(const Principal& p, const ApprovalQuery& q) {
  XT_RETURN_IF_ERROR(FeedOwner(p));
  XT_RETURN_IF_ERROR(CheckQuery(q));
  storage::ApprovalFilter f = FilterOf(q);
  f.township_org_id = p.org.id;
  f.township_names = NamesOf(p.org);
  f.reader_user_id = p.user.id;
  f.unread_only = q.unread_only;
  ApprovalPage out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out.total, tx.CountApprovals(f));
    storage::ApprovalFilter u;
    u.township_org_id = f.township_org_id;
    u.township_names = f.township_names;
    u.reader_user_id = p.user.id;
    u.unread_only = true;
    XT_ASSIGN_OR_RETURN(int64_t unread, tx.CountApprovals(u));
    out.unread = unread;
    XT_ASSIGN_OR_RETURN(std::vector<Approval> rows, tx.ListApprovals(f));
    for (auto& a : rows) {
      XT_ASSIGN_OR_RETURN(ApprovalView v, ViewOf(tx, std::move(a), true));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> ApprovalService::MarkRead(const Principal& p, const std::vector<Id>& ids) {
  XT_RETURN_IF_ERROR(FeedOwner(p));
  const core::Instant now = clock_.Now();
  int64_t unread = 0;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    storage::ApprovalFilter f;
    f.township_org_id = p.org.id;
    f.township_names = NamesOf(p.org);
    f.reader_user_id = p.user.id;
    f.unread_only = true;
    f.limit = 10000;
    XT_ASSIGN_OR_RETURN(std::vector<Approval> open, tx.ListApprovals(f));
    std::vector<Id> mark;
    if (ids.empty()) {
      for (const auto& a : open) mark.push_back(a.id);
    } else {
      // Each id must be in the caller's feed (read or not).
      storage::ApprovalFilter all = f;
      all.unread_only = false;
      XT_ASSIGN_OR_RETURN(std::vector<Approval> feed, tx.ListApprovals(all));
      std::set<Id> in;
      for (const auto& a : feed) in.insert(a.id);
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!in.count(ids[i])) {
          return Invalid("ids[" + std::to_string(i) + "]", "该行政审批不在本乡镇的推送中", "Not in your township's feed");
        }
        mark.push_back(ids[i]);
      }
    }
    XT_RETURN_IF_ERROR(tx.MarkApprovalsRead(p.user.id, mark, now));
    f.limit = 50;
    XT_ASSIGN_OR_RETURN(unread, tx.CountApprovals(f));
    return Status::Ok();
  }));
  return unread;
}

Result<std::string> ApprovalService::ExportCsv(const Principal& p, ApprovalQuery q) {
  q.page_size = 200;
  std::vector<ApprovalView> all;
  for (q.page = 1; static_cast<int>(all.size()) < kMaxExportRows; ++q.page) {
    XT_ASSIGN_OR_RETURN(ApprovalPage l, List(p, q));
    for (auto& v : l.items) all.push_back(std::move(v));
    if (l.items.empty() || static_cast<int64_t>(all.size()) >= l.total) break;
  }
  std::vector<std::string> header;
  for (const auto& c : domain::ApprovalColumns()) header.emplace_back(c.zh);
  header.emplace_back("录入单位");
  return CsvDocument(CsvRow(header), all, [](const ApprovalView& v) {
    const Approval& a = v.a;
    return std::vector<std::string>{a.holder, a.credit_code, a.decision_number, a.category, a.content,
                                    a.decision_date, a.valid_from, a.valid_to, a.authority, a.address,
                                    v.township ? v.township->name : "", v.recorded_by ? v.recorded_by->name : ""};
  });
}

}  // namespace xietong::service
