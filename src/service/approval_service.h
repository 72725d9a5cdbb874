// Administrative approvals (行政审批, SPEC §6 R-INF-2): plain records (no workflow) of a
// provincial 双公示 export, recorded one by one or imported from CSV, and each township's feed.
//
//  - Record: a county department's staff record one approval (400 naming the field; a decision
//    number already recorded is 409 already_exists "decision_number").
//  - ImportCsv / ImportXlsx: the export's columns by header name (domain::ApprovalColumns: 行政相对人名称,
//    统一社会信用代码, 许可决定文书号, 许可类别, 许可内容, 许可决定日期, 有效期自, 有效期至, 许可机关, 地址,
//    optional 所属乡镇 naming a township by name, short name or code; other columns are ignored).
//    Every row is checked before anything is written: the first bad row is 400 with field
//    "line 7, column 许可决定日期" and NOTHING is imported (one transaction). A decision number
//    already recorded UPDATES that record (a corrected re-export); the same number twice in one
//    file is refused (the second line, column 许可决定文书号).
//  - Feed: a township's approvals — assigned to it, or whose address contains its name — newest
//    decision first, each with `read` for the caller, and the caller's unread count; MarkRead.
//  - List / Get / ExportCsv: every signed-in user (双公示 records are public).
// Every write is one transaction with its audit entry ("approval.create", "approval.import",
// read marks are not audited). Thread-safe: holds only references.
//
//   ApprovalService approvals(store, clock);
//   XT_ASSIGN_OR_RETURN(ApprovalImportResult r, approvals.ImportCsv(dept_officer, csv));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/org.h"
#include "domain/shared_info.h"
#include "service/csv.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct ApprovalInput {
  domain::Approval fields;  // holder … address (id, org, creator and times ignored)
  std::optional<domain::Id> township_org_id;
};

struct ApprovalView {
  domain::Approval a;
  std::optional<domain::Org> township;
  std::optional<domain::Org> recorded_by;
  bool feed = false;  // `a.read` is meaningful (a feed row)
};
struct ApprovalPage {
  std::vector<ApprovalView> items;
  int64_t total = 0;
  std::optional<int64_t> unread;  // the feed's unread count for the caller
};
struct ApprovalQuery {
  std::string q;         // ≤ 100 characters
  std::string category;  // exact
  std::string from, to;  // decision date range YYYY-MM-DD
  std::optional<domain::Id> township;  // the feed of this township (list only)
  bool unread_only = false;            // feed only
  int page = 1;
  int page_size = 20;
};
struct ApprovalImportResult {
  int64_t rows = 0, created = 0, updated = 0;
};

class ApprovalService {
 public:
  ApprovalService(storage::Store& store, const core::Clock& clock);

  core::Result<ApprovalView> Record(const Principal& p, const core::Result<ApprovalInput>& in);
  core::Result<ApprovalImportResult> ImportCsv(const Principal& p, std::string_view csv);
  // The same import from an .xlsx (its first worksheet, service/xlsx_reader.h): the same
  // columns and checks, "line N" being the sheet row; a file that is no .xlsx is 400 "body".
  core::Result<ApprovalImportResult> ImportXlsx(const Principal& p, std::string_view xlsx);
  core::Result<ApprovalView> Get(const Principal& p, domain::Id id);
  core::Result<ApprovalPage> List(const Principal& p, const ApprovalQuery& q);
  // The caller's township feed (township staff only, else permission_denied R-INF-2).
  core::Result<ApprovalPage> Feed(const Principal& p, const ApprovalQuery& q);
  // Marks `ids` (each in the caller's feed, else invalid_argument "ids[i]") or, with none, the
  // whole feed read; returns the unread count after.
  core::Result<int64_t> MarkRead(const Principal& p, const std::vector<domain::Id>& ids);
  core::Result<std::string> ExportCsv(const Principal& p, ApprovalQuery q);

  // Who may record and import: staff of a county department (or of the coordinator).
  static core::Status CanWrite(const Principal& p);

 private:
  core::Result<ApprovalImportResult> ImportRecords(const Principal& p, const std::vector<CsvRecord>& records);

  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace xietong::service
