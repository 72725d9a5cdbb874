// Reads the first worksheet of an .xlsx file (Office Open XML spreadsheet: a zip of XML parts)
// into rows, the way ParseCsv reads a CSV, so that the importers validate both alike (R-INF-2).
// libzip opens the archive in memory, expat parses xl/workbook.xml (+ its rels) to find the first
// sheet, xl/sharedStrings.xml, xl/styles.xml (which cells are date-formatted) and the sheet.
//
// Cell values: shared strings, inline strings, formula strings, booleans ("TRUE"/"FALSE"),
// numbers (an integral value without ".0"), and a number in a date-formatted cell (built-in
// formats 14–22, 27–36, 50–58 or a custom format with y/d) as YYYY-MM-DD (1900 and 1904 date
// systems). Each record's `line` is the sheet row number; fields are by column (A = 0; missing
// cells are ""; trailing empty cells dropped). Empty rows are skipped. Errors are invalid_argument, field "body".
// Pure; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(std::vector<CsvRecord> rows, ReadXlsxFirstSheet(body));
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/csv.h"

namespace xietong::service {

// True when `bytes` starts like a zip archive ("PK\3\4").
bool LooksLikeZip(std::string_view bytes);

// True when the Content-Type names an .xlsx (the spreadsheetml MIME type).
bool IsXlsxContentType(std::string_view content_type);
inline constexpr std::string_view kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The first worksheet's non-empty rows. At most `max_rows` rows (else invalid_argument too_long).
core::Result<std::vector<CsvRecord>> ReadXlsxFirstSheet(std::string_view bytes, size_t max_rows = 100000);

// Days since 1970-01-01 of an Excel serial date (1900 system with its phantom 1900-02-29, or
// the 1904 system) formatted YYYY-MM-DD. Exposed for tests.
std::string ExcelSerialDate(double serial, bool date1904);

}  // namespace xietong::service
