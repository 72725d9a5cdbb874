// CSV exports shared by the list services (referrals, collaborations, the combined 协作 list):
// RFC 4180 quoting with a spreadsheet formula guard, one row per call, the UTF-8 BOM spreadsheet
// programs need, Shanghai date-times and the deadline-colour words of R-TIME-4. Pure functions;
// thread-safe.
//
//   std::string csv(kCsvBom);
//   csv += CsvRow({"文号", "标题"});
//   csv += CsvRow({x.number.value_or(""), x.title});  // "新城执协〔2026〕4号,\"a,b\"\r\n"
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "domain/duty.h"

namespace xietong::service {

// Starts every export so that spreadsheet programs read it as UTF-8.
inline constexpr std::string_view kCsvBom = "\xEF\xBB\xBF";

// One field: quoted (RFC 4180) when it holds , " CR or LF; a leading = + - @ gets a ' prefix so a
// spreadsheet does not run it as a formula.
std::string CsvField(std::string_view s);
// The fields quoted, joined by commas, ended by CRLF.
std::string CsvRow(std::span<const std::string> fields);
std::string CsvRow(std::initializer_list<std::string_view> fields);

// Shanghai wall time "2026-11-25 09:30:00"; "" for none. Also used in audit summaries.
std::string DayTime(const std::optional<core::Instant>& t);
// Shanghai wall time to the minute, "2026-11-25 09:30"; "" for none.
std::string DayMinute(const std::optional<core::Instant>& t);
// A deadline to the minute: as DayMinute, but a deadline at 24:00 (stored as the next 00:00) reads
// "2026-11-25 24:00" of its last day (R-TIME-5, issue 17 defect 4); "" for none.
std::string DueMinute(const std::optional<core::Instant>& t);

// A whole export: the BOM, `header` (already a CSV line, CRLF-ended) and one row per item, its
// fields given by `fields(item)` (anything CsvRow takes).
template <class Item, class Fields>
std::string CsvDocument(std::string_view header, const std::vector<Item>& items, Fields fields) {
  std::string csv(kCsvBom);
  csv += header;
  for (const auto& item : items) csv += CsvRow(fields(item));
  return csv;
}

// An export reads every page: at most this many rows.
inline constexpr int kMaxExportRows = 10000;

// One CSV record with the (1-based) line it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
// RFC 4180: fields separated by ',', records by CRLF or LF; "..." quotes with "" for a quote.
// Blank lines are skipped. Errors (invalid_argument) name the line ("line 7"). A leading UTF-8
// BOM is not removed (callers strip it).
core::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

// The deadline colour in words (R-TIME-4): 正常 / 预警 / 超期; "" for none.
std::string_view ColourWordZh(domain::Colour c);

}  // namespace xietong::service
