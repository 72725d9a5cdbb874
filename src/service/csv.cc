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

}  // namespace xietong::service
