#include "service/xlsx_writer.h"

#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>

#include "service/csv.h"

namespace xietong::service {

using core::Result;
using core::Status;
using Kind = XlsxColumn::Kind;

namespace {

constexpr size_t kMaxSheetName = 31;      // Excel's limit (UTF-16 units)
constexpr size_t kMaxCellBytes = 32767;   // Excel's limit for a text cell (characters)
constexpr double kMinWidth = 6, kMaxWidth = 60;

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes read as themselves (Latin-1).
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const int n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (n <= 0 || i + n >= s.size()) {
    ++i;
    return c;
  }
  char32_t cp = c & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 0x2) {
      ++i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += n + 1;
  return cp;
}

// East Asian wide and full-width ranges (CJK, kana, hangul, full-width forms, CJK punctuation).
bool Wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

struct DateParts {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool has_time = false, has_seconds = false;
};

// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]" (also with a 'T'), a real calendar day.
std::optional<DateParts> ParseDate(std::string_view s) {
  if (s.size() != 10 && s.size() != 16 && s.size() != 19) return std::nullopt;
  if (!Digits(s.substr(0, 4)) || s[4] != '-' || !Digits(s.substr(5, 2)) || s[7] != '-' || !Digits(s.substr(8, 2)))
    return std::nullopt;
  DateParts d;
  d.year = ToInt(s.substr(0, 4));
  d.month = ToInt(s.substr(5, 2));
  d.day = ToInt(s.substr(8, 2));
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > kDays[d.month - 1]) return std::nullopt;
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  if (d.month == 2 && d.day == 29 && !leap) return std::nullopt;
  if (s.size() == 10) return d;
  if ((s[10] != ' ' && s[10] != 'T') || !Digits(s.substr(11, 2)) || s[13] != ':' || !Digits(s.substr(14, 2)))
    return std::nullopt;
  d.has_time = true;
  d.hour = ToInt(s.substr(11, 2));
  d.minute = ToInt(s.substr(14, 2));
  if (s.size() == 19) {
    if (s[16] != ':' || !Digits(s.substr(17, 2))) return std::nullopt;
    d.has_seconds = true;
    d.second = ToInt(s.substr(17, 2));
  }
  if (d.hour > 23 || d.minute > 59 || d.second > 59) return std::nullopt;
  return d;
}

// A plain decimal number: -?(0|[1-9][0-9]*)(\.[0-9]+)?; `decimals` gets the digits after the point,
// `int_digits` those before it.
bool PlainNumber(std::string_view s, int* decimals, int* int_digits) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  const size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (!Digits(whole) || (whole.size() > 1 && whole[0] == '0')) return false;
  *int_digits = static_cast<int>(whole.size());
  *decimals = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (!Digits(frac)) return false;
    *decimals = static_cast<int>(frac.size());
  }
  return true;
}

std::optional<double> ToDouble(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// A cell's value for a numeric kind; nullopt when it does not read as one (then it is text).
std::optional<double> NumberOf(Kind kind, std::string_view s, int* decimals) {
  int dec = 0, whole = 0;
  if (kind == Kind::kPercent) {
    if (s.empty() || s.back() != '%') return std::nullopt;
    s.remove_suffix(1);
  }
  if (!PlainNumber(s, &dec, &whole) || whole > 15) return std::nullopt;
  if (kind == Kind::kInteger && dec > 0) return std::nullopt;
  auto v = ToDouble(s);
  if (!v) return std::nullopt;
  if (decimals) *decimals = std::max(*decimals, dec);
  return kind == Kind::kPercent ? *v / 100.0 : *v;
}

bool HeaderNamesCode(std::string_view header) {
  static constexpr std::array<std::string_view, 11> kCodeWords = {
      "编码", "代码", "编号", "文号", "号码", "电话", "证号", "身份证", "邮编", "账号", "手机"};
  return std::any_of(kCodeWords.begin(), kCodeWords.end(),
                     [&](std::string_view w) { return header.find(w) != std::string_view::npos; });
}

std::string Truncated(std::string_view s) {
  if (s.size() <= kMaxCellBytes) return std::string(s);
  size_t i = 0, last = 0;
  while (i < s.size() && i <= kMaxCellBytes) {
    last = i;
    NextCodePoint(s, i);
  }
  return std::string(s.substr(0, i <= kMaxCellBytes ? i : last));
}

std::string NumberFormat(Kind kind, int decimals, bool seconds) {
  std::string number = "0";
  if (decimals > 0) {
    number += '.';
    number.append(static_cast<size_t>(std::min(decimals, 6)), '0');
  }
  switch (kind) {
    case Kind::kInteger: return "0";
    case Kind::kNumber: return number;
    case Kind::kPercent: return number + '%';
    case Kind::kDate: return "yyyy-mm-dd";
    case Kind::kDateTime: return seconds ? "yyyy-mm-dd hh:mm:ss" : "yyyy-mm-dd hh:mm";
    case Kind::kText: break;
  }
  return "@";
}

// A private temporary directory, removed with everything in it when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::error_code ec;
    std::string tmpl = (std::filesystem::temp_directory_path(ec) / "xt-xlsx-XXXXXX").string();
    if (ec) tmpl = "/tmp/xt-xlsx-XXXXXX";
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status LibError(std::string_view what, lxw_error e) {
  return Status::Internal("xlsx: " + std::string(what) + ": " + lxw_strerror(e));
}

Status WriteSheet(lxw_workbook* wb, lxw_worksheet* ws, const XlsxSheet& sheet, lxw_format* head) {
  const size_t ncols = sheet.columns.size();
  // Per column: the number format (from the kind and the cells' decimals) and the width.
  std::vector<lxw_format*> formats(ncols, nullptr);
  std::vector<double> widths(ncols, 0);
  for (size_t c = 0; c < ncols; ++c) {
    const XlsxColumn& col = sheet.columns[c];
    int decimals = 0;
    bool seconds = false;
    double w = XlsxTextWidth(col.header) + 3;  // the header is bold and has the filter button
    for (const auto& row : sheet.rows) {
      if (c >= row.size() || row[c].empty()) continue;
      const std::string& v = row[c];
      w = std::max(w, XlsxTextWidth(v) + 2);
      if (col.kind == Kind::kNumber || col.kind == Kind::kPercent) NumberOf(col.kind, v, &decimals);
      if (col.kind == Kind::kDateTime)
        if (auto d = ParseDate(v); d && d->has_seconds) seconds = true;
    }
    widths[c] = col.width > 0 ? col.width : std::clamp(w, kMinWidth, kMaxWidth);
    if (col.kind != Kind::kText) {
      formats[c] = workbook_add_format(wb);
      format_set_num_format(formats[c], NumberFormat(col.kind, decimals, seconds).c_str());
    }
    if (lxw_error e = worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
        e != LXW_NO_ERROR)
      return LibError("set_column", e);
    if (!col.header.empty()) {
      if (lxw_error e = worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), Truncated(col.header).c_str(), head);
          e != LXW_NO_ERROR)
        return LibError("header", e);
    }
  }
  lxw_row_t r = 1;
  for (const auto& row : sheet.rows) {
    for (size_t c = 0; c < std::min(ncols, row.size()); ++c) {
      const std::string& v = row[c];
      if (v.empty()) continue;
      const Kind kind = sheet.columns[c].kind;
      const auto col = static_cast<lxw_col_t>(c);
      lxw_error e = LXW_NO_ERROR;
      bool done = false;
      if (kind == Kind::kInteger || kind == Kind::kNumber || kind == Kind::kPercent) {
        if (auto n = NumberOf(kind, v, nullptr)) {
          e = worksheet_write_number(ws, r, col, *n, formats[c]);
          done = true;
        }
      } else if (kind == Kind::kDate || kind == Kind::kDateTime) {
        if (auto d = ParseDate(v); d && d->has_time == (kind == Kind::kDateTime)) {
          lxw_datetime dt = {d->year, d->month, d->day, d->hour, d->minute, static_cast<double>(d->second)};
          e = worksheet_write_datetime(ws, r, col, &dt, formats[c]);
          done = true;
        }
      }
      if (!done) e = worksheet_write_string(ws, r, col, Truncated(v).c_str(), nullptr);
      if (e != LXW_NO_ERROR) return LibError("cell", e);
    }
    ++r;
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (ncols > 0) {
    if (lxw_error e = worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                                           static_cast<lxw_col_t>(ncols - 1));
        e != LXW_NO_ERROR)
      return LibError("autofilter", e);
  }
  return Status::Ok();
}

}  // namespace

double XlsxTextWidth(std::string_view s) {
  double w = 0;
  for (size_t i = 0; i < s.size();) w += Wide(NextCodePoint(s, i)) ? 2 : 1;
  return w;
}

std::string XlsxSheetName(std::string_view name, std::vector<std::string>& taken) {
  std::string clean;
  for (char ch : name) clean += std::string_view("[]:*?/\\").find(ch) != std::string_view::npos ? '_' : ch;
  while (!clean.empty() && clean.front() == '\'') clean.erase(clean.begin());
  while (!clean.empty() && clean.back() == '\'') clean.pop_back();
  // Cut to `limit` UTF-16 units on a code point boundary.
  auto cut = [](const std::string& s, size_t limit) {
    size_t i = 0, units = 0;
    while (i < s.size()) {
      size_t j = i;
      const char32_t cp = NextCodePoint(s, j);
      const size_t u = cp > 0xFFFF ? 2 : 1;
      if (units + u > limit) break;
      units += u;
      i = j;
    }
    std::string out = s.substr(0, i);
    while (!out.empty() && out.back() == '\'') out.pop_back();
    return out;
  };
  clean = cut(clean, kMaxSheetName);
  if (clean.empty()) clean = "Sheet" + std::to_string(taken.size() + 1);
  auto lower = [](std::string s) {
    for (char& ch : s) ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    return s;
  };
  auto used = [&](const std::string& n) {
    return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) { return lower(t) == lower(n); });
  };
  std::string out = clean;
  for (int k = 2; used(out) || lower(out) == "history"; ++k) {
    const std::string suffix = " (" + std::to_string(k) + ")";
    out = cut(clean, kMaxSheetName - suffix.size()) + suffix;
  }
  taken.push_back(out);
  return out;
}

Kind InferXlsxKind(std::string_view header, const std::vector<std::string_view>& cells) {
  if (HeaderNamesCode(header)) return Kind::kText;
  bool any = false, all_date = true, all_datetime = true, all_int = true, all_num = true, all_pct = true;
  for (std::string_view v : cells) {
    if (v.empty()) continue;
    any = true;
    auto d = ParseDate(v);
    if (!d || d->has_time) all_date = false;
    if (!d || !d->has_time) all_datetime = false;
    int dec = 0, whole = 0;
    const bool num = PlainNumber(v, &dec, &whole) && whole <= 10;
    if (!num || dec > 0) all_int = false;
    if (!num) all_num = false;
    if (v.back() != '%' || !PlainNumber(v.substr(0, v.size() - 1), &dec, &whole) || whole > 15) all_pct = false;
    if (!all_date && !all_datetime && !all_num && !all_pct) return Kind::kText;
  }
  if (!any) return Kind::kText;
  if (all_date) return Kind::kDate;
  if (all_datetime) return Kind::kDateTime;
  if (all_int) return Kind::kInteger;
  if (all_num) return Kind::kNumber;
  if (all_pct) return Kind::kPercent;
  return Kind::kText;
}

Result<std::string> WriteWorkbook(const std::vector<XlsxSheet>& sheets) {
  TempDir dir;
  if (dir.path().empty()) return Status::Internal("xlsx: cannot create a temporary directory");
  const std::string file = dir.path() + "/book.xlsx";
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = const_cast<char*>(dir.path().c_str());
  lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
  if (!wb) return Status::Internal("xlsx: cannot create the workbook");
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xEEF1F6);
  format_set_bottom(head, LXW_BORDER_THIN);
  std::vector<std::string> taken;
  Status st = Status::Ok();
  const std::vector<XlsxSheet>& all = sheets;
  if (all.empty()) {
    if (!workbook_add_worksheet(wb, nullptr)) st = Status::Internal("xlsx: cannot add a worksheet");
  }
  for (const XlsxSheet& s : all) {
    if (!st.ok()) break;
    const std::string name = XlsxSheetName(s.name, taken);
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (!ws) {
      st = Status::Internal("xlsx: cannot add the worksheet " + name);
      break;
    }
    st = WriteSheet(wb, ws, s, head);
  }
  lxw_error closed = workbook_close(wb);  // frees the workbook in every case
  if (!st.ok()) return st;
  if (closed != LXW_NO_ERROR) return LibError("close", closed);
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::Internal("xlsx: cannot read the workbook back");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

Result<std::string> WorkbookFromCsv(const std::vector<std::pair<std::string, std::string>>& sheets) {
  std::vector<XlsxSheet> out;
  out.reserve(sheets.size());
  for (const auto& [name, csv] : sheets) {
    std::string_view text = csv;
    if (text.starts_with(kCsvBom)) text.remove_prefix(kCsvBom.size());
    auto records = ParseCsv(text);
    if (!records.ok()) {
      return Status::Invalid("csv", "导出内容不是有效的 CSV：" + records.status().message(), "", "invalid_value")
          .En("The export is not valid CSV: " + records.status().message());
    }
    XlsxSheet sheet;
    sheet.name = name;
    size_t ncols = 0;
    for (const CsvRecord& r : *records) ncols = std::max(ncols, r.fields.size());
    sheet.columns.resize(ncols);
    for (size_t i = 0; i < records->size(); ++i) {
      std::vector<std::string> fields = (*records)[i].fields;
      for (std::string& f : fields) {
        // Our CSV's formula guard (CsvField): text cells are never formulas, so drop it.
        if (f.size() >= 2 && f[0] == '\'' && std::string_view("=+-@").find(f[1]) != std::string_view::npos)
          f.erase(f.begin());
      }
      if (i == 0) {
        for (size_t c = 0; c < fields.size(); ++c) sheet.columns[c].header = fields[c];
      } else {
        sheet.rows.push_back(std::move(fields));
      }
    }
    for (size_t c = 0; c < ncols; ++c) {
      std::vector<std::string_view> cells;
      cells.reserve(sheet.rows.size());
      for (const auto& row : sheet.rows)
        if (c < row.size()) cells.push_back(row[c]);
      sheet.columns[c].kind = InferXlsxKind(sheet.columns[c].header, cells);
    }
    out.push_back(std::move(sheet));
  }
  return WriteWorkbook(out);
}

}  // namespace xietong::service
