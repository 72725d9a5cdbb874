#include "service/csv.h"

namespace xietong::service {

std::string CsvField(std::string_view s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  std::string v;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) v = "'";
  v += s;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {
template <typename Range>
std::string Join(const Range& fields) {
  std::string out;
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += ',';
    first = false;
    out += CsvField(f);
  }
  out += "\r\n";
  return out;
}
}  // namespace

std::string CsvRow(std::span<const std::string> fields) { return Join(fields); }
std::string CsvRow(std::initializer_list<std::string_view> fields) { return Join(fields); }

std::string DayTime(const std::optional<core::Instant>& t) {
  if (!t) return "";
  std::string s = core::FormatInstant(*t);  // 2026-11-25T09:30:00+08:00
  if (s.size() >= 19) return s.substr(0, 10) + " " + s.substr(11, 8);
  return s;
}

std::string DayMinute(const std::optional<core::Instant>& t) {
  std::string s = DayTime(t);
  return s.size() >= 16 ? s.substr(0, 16) : s;
}

std::string DueMinute(const std::optional<core::Instant>& t) {
  if (!t) return "";
  const auto local = *t + core::kShanghaiOffset;
  if (local != std::chrono::floor<std::chrono::days>(local)) return DayMinute(t);
  const std::string s = DayMinute(*t - std::chrono::milliseconds(1));  // 23:59 of the last day
  return s.size() >= 16 ? s.substr(0, 11) + "24:00" : s;
}

std::string_view ColourWordZh(domain::Colour c) {
  switch (c) {
    case domain::Colour::kGreen:
      return "正常";
    case domain::Colour::kYellow:
      return "预警";
    case domain::Colour::kRed:
      return "超期";
    case domain::Colour::kNone:
      break;
  }
  return "";
}

namespace {
bool CsvBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}
}  // namespace

core::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  std::vector<CsvRecord> out;
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool at_start = true;
    bool record_done = false;
    while (!record_done) {
      if (i >= text.size()) {
        rec.fields.push_back(std::move(field));
        break;
      }
      char c = text[i];
      if (c == '"' && at_start) {
        ++i;
        while (true) {
          if (i >= text.size())
            return core::Status::Invalid("line " + std::to_string(rec.line), "引号未闭合")
                .En("Unterminated quote");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        at_start = false;
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          return core::Status::Invalid("line " + std::to_string(line), "引号后应为逗号或换行")
              .En("A quoted field must be followed by a comma or a line break");
        continue;
      }
      if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
        at_start = true;
        ++i;
      } else if (c == '\r' || c == '\n') {
        rec.fields.push_back(std::move(field));
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        record_done = true;
      } else {
        field += c;
        at_start = false;
        ++i;
      }
    }
    bool blank = rec.fields.size() == 1 && CsvBlank(rec.fields[0]);
    if (!blank) out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace xietong::service
