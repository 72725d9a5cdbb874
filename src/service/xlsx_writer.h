// Writes .xlsx workbooks (Office Open XML spreadsheets) with libxlsxwriter: the Excel file beside
// every CSV export (issue 14) and, later, multi-sheet workbooks such as the assessment's. Each
// sheet gets its Chinese header row in bold, frozen, with an autofilter; column widths from the
// content (a CJK character counts 2); typed cells — real Excel dates (serial numbers with a
// yyyy-mm-dd / yyyy-mm-dd hh:mm[:ss] number format), integers, decimals and percentages as
// numbers, everything else as text (never a formula).
//
// libxlsxwriter 1.1.4 writes only to a file: every call uses its own private temporary directory
// (mkdtemp, 0700) for the workbook and the library's own temp files, reads the file back and
// removes the directory. Thread-safe; no shared state.
//
//   XT_ASSIGN_OR_RETURN(std::string csv, svc.referrals->ExportCsv(p, q));
//   XT_ASSIGN_OR_RETURN(std::string bytes, WorkbookFromCsv({{"案件移送", csv}}));
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace xietong::service {

struct XlsxColumn {
  enum class Kind { kText, kInteger, kNumber, kDate, kDateTime, kPercent };
  std::string header;
  Kind kind = Kind::kText;
  // Width in characters (Excel's unit); 0 = from the header and the cells.
  double width = 0;
};

struct XlsxSheet {
  // Made valid by XlsxSheetName (≤ 31 characters, none of []:*?/\, unique in the workbook).
  std::string name;
  std::vector<XlsxColumn> columns;
  // Cells as text, by column. A cell is written by its column's kind: kInteger/kNumber "-12.5",
  // kPercent "87.5%", kDate "2026-11-25", kDateTime "2026-11-25 09:30[:00]". A cell that does not
  // read as its kind (or any cell of a kText column) is written as text; "" is no cell.
  std::vector<std::vector<std::string>> rows;
};

// The workbook's bytes (a zip). Errors: internal when libxlsxwriter or the temp file fails.
core::Result<std::string> WriteWorkbook(const std::vector<XlsxSheet>& sheets);

// One sheet per (name, CSV) pair; each CSV is one of our exports (RFC 4180, optional UTF-8 BOM):
// the first record is the header, every column's kind comes from InferXlsxKind, and the CSV's
// formula guard (a ' before a leading = + - @) is dropped — a text cell is never a formula.
// Errors: invalid_argument (field "csv") when a CSV does not parse; as WriteWorkbook.
core::Result<std::string> WorkbookFromCsv(
    const std::vector<std::pair<std::string /*sheet*/, std::string /*csv incl. BOM*/>>& sheets);

// A column's kind from its header and its non-empty cells: all YYYY-MM-DD → kDate; all
// YYYY-MM-DD HH:MM[:SS] → kDateTime; all integers → kInteger; integers and decimals → kNumber;
// all like 87.5% → kPercent; anything else, no cells, a header naming a code (编码, 代码, 文号,
// 号码, 电话 …), a number with a leading zero (0451) or of more than 10 digits (445321100000,
// phone and ID numbers) → kText, so that codes keep every digit.
XlsxColumn::Kind InferXlsxKind(std::string_view header, const std::vector<std::string_view>& cells);

// Display width of `s` in Excel characters: a CJK or full-width character counts 2.
double XlsxTextWidth(std::string_view s);

// A valid, unique sheet name: []:*?/\ become '_', leading/trailing ' are dropped, at most 31
// characters (cut on a UTF-8 boundary), "" becomes "Sheet<n>"; `taken` (case-insensitive for
// ASCII) gets " (2)", " (3)" … appended. The chosen name is added to `taken`.
std::string XlsxSheetName(std::string_view name, std::vector<std::string>& taken);

}  // namespace xietong::service
