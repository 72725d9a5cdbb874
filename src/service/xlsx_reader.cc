#include "service/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace xietong::service {

using core::Result;
using core::Status;

namespace {

constexpr zip_uint64_t kMaxPartBytes = 64ull * 1024 * 1024;  // a zip bomb stops here

Status Bad(const std::string& zh, const std::string& en) {
  return Status::Invalid("body", "不是有效的 .xlsx 文件：" + zh, "", "invalid_value")
      .En("Not a valid .xlsx file: " + en);
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

// One part of the archive; nullopt when absent.
Result<std::optional<std::string>> ReadPart(zip_t* z, const std::string& name) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name.c_str(), 0, &st) != 0) return std::optional<std::string>();
  if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxPartBytes) return Bad(name + " 过大", name + " is too large");
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (!f) return Bad("无法读取 " + name, "cannot read " + name);
  std::string out(static_cast<size_t>(st.size), '\0');
  zip_int64_t n = out.empty() ? 0 : zip_fread(f, out.data(), out.size());
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Bad("无法解压 " + name, "cannot inflate " + name);
  return std::optional<std::string>(std::move(out));
}

std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  if (auto i = n.rfind(':'); i != std::string_view::npos) n.remove_prefix(i + 1);
  return n;
}
const char* Attr(const XML_Char** atts, std::string_view want) {
  for (int i = 0; atts[i]; i += 2)
    if (Local(atts[i]) == want) return atts[i + 1];
  return nullptr;
}

// A tiny SAX driver: callbacks for start, end and text.
struct Sax {
  std::function<void(std::string_view, const XML_Char**)> start;
  std::function<void(std::string_view)> end;
  std::function<void(std::string_view)> text;
};
Status Parse(const std::string& xml, const std::string& part, Sax& sax) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  if (!p) return Status::Internal("expat");
  XML_SetUserData(p, &sax);
  XML_SetElementHandler(
      p,
      [](void* ud, const XML_Char* name, const XML_Char** atts) {
        auto* s = static_cast<Sax*>(ud);
        if (s->start) s->start(Local(name), atts);
      },
      [](void* ud, const XML_Char* name) {
        auto* s = static_cast<Sax*>(ud);
        if (s->end) s->end(Local(name));
      });
  XML_SetCharacterDataHandler(p, [](void* ud, const XML_Char* t, int len) {
    auto* s = static_cast<Sax*>(ud);
    if (s->text) s->text(std::string_view(t, static_cast<size_t>(len)));
  });
  const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  std::string err = ok ? "" : XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  if (!ok) return Bad(part + " 不是有效的 XML（" + err + "）", part + " is not valid XML (" + err + ")");
  return Status::Ok();
}

bool IsDateFormatCode(std::string code) {
  // Drop quoted literals, [..] sections (colours, locales, elapsed time) and escaped characters.
  std::string s;
  bool quoted = false;
  int bracket = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (quoted) { if (c == '"') quoted = false; continue; }
    if (c == '"') { quoted = true; continue; }
    if (c == '[') { ++bracket; continue; }
    if (c == ']') { if (bracket) --bracket; continue; }
    if (bracket) continue;
    if (c == '\\' || c == '_' || c == '*') { ++i; continue; }
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s.find('y') != std::string::npos || s.find('d') != std::string::npos;
}
bool IsBuiltinDate(int id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

int ColumnIndex(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  for (; i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])); ++i)
    col = col * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
  return i == 0 ? -1 : col - 1;
}
int RowNumber(std::string_view ref) {
  size_t i = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) ++i;
  int r = 0;
  for (; i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i])); ++i) r = r * 10 + (ref[i] - '0');
  return r;
}

std::string NumberText(const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !std::isfinite(d)) return v;
  if (d == std::floor(d) && std::fabs(d) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  return v;
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) { return bytes.starts_with(std::string_view("PK\x03\x04", 4)); }

bool IsXlsxContentType(std::string_view ct) {
  if (ct.size() < kXlsxContentType.size()) return false;
  for (size_t i = 0; i < kXlsxContentType.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(ct[i])) != kXlsxContentType[i]) return false;
  return ct.size() == kXlsxContentType.size() || ct[kXlsxContentType.size()] == ';' ||
         ct[kXlsxContentType.size()] == ' ';
}

std::string ExcelSerialDate(double serial, bool date1904) {
  long long n = static_cast<long long>(std::floor(serial));
  // Days since 1970-01-01.
  long long days;
  if (date1904) days = n - 24107;                  // 1904-01-01 is serial 0
  else if (n >= 61) days = n - 25569;              // 1899-12-30 base (after the phantom 1900-02-29)
  else if (n == 60) days = -25509;                 // the phantom 1900-02-29 reads as 1900-02-28
  else days = n - 25568;                           // 1899-12-31 is serial 0
  // civil_from_days (H. Hinnant).
  long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y, m, d);
  return buf;
}

Result<std::vector<CsvRecord>> ReadXlsxFirstSheet(std::string_view bytes, size_t max_rows) {
  if (!LooksLikeZip(bytes)) return Bad("不是 zip 压缩包", "not a zip archive");
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
  if (!src) {
    zip_error_fini(&zerr);
    return Bad("无法读取压缩包", "cannot read the archive");
  }
  Zip z(zip_open_from_source(src, ZIP_RDONLY, &zerr));
  if (!z) {
    zip_source_free(src);
    zip_error_fini(&zerr);
    return Bad("压缩包已损坏", "the archive is damaged");
  }
  zip_error_fini(&zerr);

  // The first sheet: workbook.xml's first <sheet r:id>, resolved through its rels.
  XT_ASSIGN_OR_RETURN(std::optional<std::string> wb, ReadPart(z.get(), "xl/workbook.xml"));
  if (!wb) return Bad("缺少 xl/workbook.xml（不是 Excel 工作簿）", "xl/workbook.xml is missing (not an Excel workbook)");
  std::string rid;
  bool date1904 = false;
  {
    Sax s;
    s.start = [&](std::string_view n, const XML_Char** a) {
      if (n == "sheet" && rid.empty()) {
        for (int i = 0; a[i]; i += 2)
          if (Local(a[i]) == "id" && std::string_view(a[i]).find(':') != std::string_view::npos) rid = a[i + 1];
      } else if (n == "workbookPr") {
        if (const char* v = Attr(a, "date1904")) date1904 = std::string_view(v) == "1" || std::string_view(v) == "true";
      }
    };
    XT_RETURN_IF_ERROR(Parse(*wb, "xl/workbook.xml", s));
  }
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  XT_ASSIGN_OR_RETURN(std::optional<std::string> rels, ReadPart(z.get(), "xl/_rels/workbook.xml.rels"));
  if (rels && !rid.empty()) {
    Sax s;
    s.start = [&](std::string_view n, const XML_Char** a) {
      if (n != "Relationship") return;
      const char* id = Attr(a, "Id");
      const char* target = Attr(a, "Target");
      if (id && target && rid == id) {
        std::string t = target;
        sheet_path = t.starts_with("/") ? t.substr(1) : "xl/" + t;
      }
    };
    XT_RETURN_IF_ERROR(Parse(*rels, "xl/_rels/workbook.xml.rels", s));
  }

  // Shared strings: each <si>'s text runs (<t>), phonetic runs (<rPh>) left out.
  std::vector<std::string> shared;
  XT_ASSIGN_OR_RETURN(std::optional<std::string> sst, ReadPart(z.get(), "xl/sharedStrings.xml"));
  if (sst) {
    Sax s;
    bool in_t = false;
    int in_rph = 0;
    s.start = [&](std::string_view n, const XML_Char**) {
      if (n == "si") shared.emplace_back();
      else if (n == "rPh") ++in_rph;
      else if (n == "t" && !in_rph) in_t = true;
    };
    s.end = [&](std::string_view n) {
      if (n == "t") in_t = false;
      else if (n == "rPh") --in_rph;
    };
    s.text = [&](std::string_view t) {
      if (in_t && !shared.empty()) shared.back() += t;
    };
    XT_RETURN_IF_ERROR(Parse(*sst, "xl/sharedStrings.xml", s));
  }

  // Styles: which cell formats (index of <cellXfs><xf>) show a date.
  std::vector<bool> xf_date;
  XT_ASSIGN_OR_RETURN(std::optional<std::string> styles, ReadPart(z.get(), "xl/styles.xml"));
  if (styles) {
    std::map<int, bool> custom;  // numFmtId → is a date
    std::vector<int> xf_fmt;
    bool in_cell_xfs = false;
    Sax s;
    s.start = [&](std::string_view n, const XML_Char** a) {
      if (n == "numFmt") {
        const char* id = Attr(a, "numFmtId");
        const char* code = Attr(a, "formatCode");
        if (id && code) custom[std::atoi(id)] = IsDateFormatCode(code);
      } else if (n == "cellXfs") {
        in_cell_xfs = true;
      } else if (n == "xf" && in_cell_xfs) {
        const char* id = Attr(a, "numFmtId");
        xf_fmt.push_back(id ? std::atoi(id) : 0);
      }
    };
    s.end = [&](std::string_view n) {
      if (n == "cellXfs") in_cell_xfs = false;
    };
    XT_RETURN_IF_ERROR(Parse(*styles, "xl/styles.xml", s));
    for (int id : xf_fmt) {
      auto it = custom.find(id);
      xf_date.push_back(it != custom.end() ? it->second : IsBuiltinDate(id));
    }
  }

  XT_ASSIGN_OR_RETURN(std::optional<std::string> sheet, ReadPart(z.get(), sheet_path));
  if (!sheet) return Bad("缺少工作表 " + sheet_path, "the worksheet " + sheet_path + " is missing");

  std::vector<CsvRecord> out;
  Status err;
  {
    CsvRecord row;
    int last_row = 0;
    bool in_row = false;
    // The current cell.
    int col = -1, next_col = 0;
    std::string type, value, inline_text;
    int style = 0;
    bool in_v = false, in_is_t = false, in_is = false;
    int in_rph = 0;
    Sax s;
    s.start = [&](std::string_view n, const XML_Char** a) {
      if (!err.ok()) return;
      if (n == "row") {
        in_row = true;
        row = CsvRecord{};
        const char* r = Attr(a, "r");
        row.line = r ? std::atoi(r) : last_row + 1;
        if (row.line <= 0) row.line = last_row + 1;
        next_col = 0;
      } else if (n == "c" && in_row) {
        const char* r = Attr(a, "r");
        col = r ? ColumnIndex(r) : next_col;
        if (col < 0) col = next_col;
        if (r && RowNumber(r) > 0) row.line = RowNumber(r);
        const char* t = Attr(a, "t");
        type = t ? t : "n";
        const char* st = Attr(a, "s");
        style = st ? std::atoi(st) : 0;
        value.clear();
        inline_text.clear();
      } else if (n == "v") {
        in_v = true;
      } else if (n == "is") {
        in_is = true;
      } else if (n == "rPh") {
        ++in_rph;
      } else if (n == "t" && in_is && !in_rph) {
        in_is_t = true;
      }
    };
    s.end = [&](std::string_view n) {
      if (!err.ok()) return;
      if (n == "v") in_v = false;
      else if (n == "is") in_is = false;
      else if (n == "rPh") --in_rph;
      else if (n == "t") in_is_t = false;
      else if (n == "c" && in_row && col >= 0) {
        std::string text;
        if (type == "s") {
          char* end = nullptr;
          long i = std::strtol(value.c_str(), &end, 10);
          if (end == value.c_str() || i < 0 || static_cast<size_t>(i) >= shared.size()) {
            err = Bad("单元格引用了不存在的共享字符串", "a cell refers to a missing shared string");
            return;
          }
          text = shared[static_cast<size_t>(i)];
        } else if (type == "inlineStr") {
          text = inline_text;
        } else if (type == "str" || type == "e") {
          text = value;
        } else if (type == "b") {
          text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
        } else if (type == "d") {
          text = value.substr(0, 10);  // ISO 8601 date cell
        } else if (!value.empty()) {
          const bool is_date = style >= 0 && static_cast<size_t>(style) < xf_date.size() && xf_date[style];
          char* end = nullptr;
          double d = std::strtod(value.c_str(), &end);
          if (is_date && end != value.c_str() && *end == '\0' && std::isfinite(d) && d >= 1 && d < 2958466)
            text = ExcelSerialDate(d, date1904);
          else
            text = NumberText(value);
        }
        if (static_cast<size_t>(col) >= row.fields.size()) row.fields.resize(static_cast<size_t>(col) + 1);
        row.fields[static_cast<size_t>(col)] = std::move(text);
        next_col = col + 1;
        col = -1;
      } else if (n == "row" && in_row) {
        in_row = false;
        last_row = row.line;
        while (!row.fields.empty() && row.fields.back().empty()) row.fields.pop_back();  // styled blanks
        bool empty = true;
        for (const auto& f : row.fields)
          if (!f.empty()) empty = false;
        if (!empty) {
          if (out.size() >= max_rows) {
            err = Status::Invalid("body", "行数过多（最多" + std::to_string(max_rows) + "行）", "", "too_long")
                      .En("Too many rows (at most " + std::to_string(max_rows) + ")");
            return;
          }
          out.push_back(std::move(row));
        }
      }
    };
    s.text = [&](std::string_view t) {
      if (in_v) value += t;
      else if (in_is_t) inline_text += t;
    };
    XT_RETURN_IF_ERROR(Parse(*sheet, sheet_path, s));
  }
  XT_RETURN_IF_ERROR(err);
  return out;
}

}  // namespace xietong::service
