#include "calendar/schedule.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <utility>

#include <boost/json.hpp>

namespace xietong::calendar {

namespace {

namespace json = boost::json;
using core::Result;
using core::Status;

constexpr const char* kRule = "R-TIME-3";

Status Invalid(std::string field, std::string message) {
  return Status::Invalid(std::move(field), std::move(message), kRule);
}

std::string Join(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string Index(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

std::string_view Sv(json::string_view s) { return std::string_view(s.data(), s.size()); }

// Boost.JSON keeps the last of duplicated keys silently; an uploaded schedule with two
// "holidays" keys must be refused instead. REQUIRES: `text` is valid JSON.
Status CheckNoDuplicateKeys(std::string_view text) {
  struct Frame {
    bool object;
    bool expect_key;
    std::set<std::string_view> keys;
  };
  std::vector<Frame> stack;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      size_t start = ++i;
      while (i < text.size() && text[i] != '"') i += (text[i] == '\\') ? 2 : 1;
      std::string_view s = text.substr(start, i - start);
      if (!stack.empty() && stack.back().object && stack.back().expect_key) {
        stack.back().expect_key = false;
        if (!stack.back().keys.insert(s).second)
          return Invalid(std::string(s), "JSON 对象中的键重复：" + std::string(s));
      }
    } else if (c == '{' || c == '[') {
      stack.push_back({c == '{', c == '{', {}});
    } else if (c == '}' || c == ']') {
      stack.pop_back();
    } else if (c == ',' && !stack.empty() && stack.back().object) {
      stack.back().expect_key = true;
    }
  }
  return Status::Ok();
}

// Every key of `o` must be in `required` or `optional`; every `required` key must be present.
Status CheckKeys(const json::object& o, std::string_view path,
                 std::initializer_list<std::string_view> required,
                 std::initializer_list<std::string_view> optional = {}) {
  for (const auto& kv : o) {
    std::string_view k = Sv(kv.key());
    if (std::find(required.begin(), required.end(), k) == required.end() &&
        std::find(optional.begin(), optional.end(), k) == optional.end())
      return Invalid(Join(path, k), "未知字段：" + std::string(k));
  }
  for (std::string_view k : required)
    if (!o.contains(json::string_view(k.data(), k.size())))
      return Invalid(Join(path, k), "缺少必填字段：" + std::string(k));
  return Status::Ok();
}

const json::value& At(const json::object& o, std::string_view key) {
  return o.at(json::string_view(key.data(), key.size()));
}

Result<std::string> GetString(const json::object& o, std::string_view key,
                              std::string_view path) {
  const json::value& v = At(o, key);
  if (!v.is_string()) return Invalid(Join(path, key), "应为字符串");
  return std::string(Sv(v.get_string()));
}

Result<CivilDay> GetDay(const json::object& o, std::string_view key, std::string_view path) {
  XT_ASSIGN_OR_RETURN(std::string s, GetString(o, key, path));
  auto day = core::ParseDay(s);
  if (!day) return Invalid(Join(path, key), "日期无效（应为 YYYY-MM-DD 格式的真实日期）：" + s);
  return *day;
}

Result<const json::object*> GetObject(const json::value& v, std::string path) {
  if (!v.is_object()) return Invalid(std::move(path), "应为 JSON 对象");
  return &v.get_object();
}

Result<const json::array*> GetArray(const json::object& o, std::string_view key,
                                    std::string_view path) {
  const json::value& v = At(o, key);
  if (!v.is_array()) return Invalid(Join(path, key), "应为数组");
  return &v.get_array();
}

Result<Amendment> ParseNotice(const json::object& o, const std::string& path) {
  XT_RETURN_IF_ERROR(CheckKeys(o, path, {"number", "title", "published"}));
  Amendment n;
  XT_ASSIGN_OR_RETURN(n.number, GetString(o, "number", path));
  XT_ASSIGN_OR_RETURN(n.title, GetString(o, "title", path));
  XT_ASSIGN_OR_RETURN(n.published, GetString(o, "published", path));
  return n;
}

int Weekday(CivilDay d) { return static_cast<int>(std::chrono::weekday(d).iso_encoding()); }

Status ValidateNotice(const Amendment& n, const std::string& path) {
  if (n.number.empty()) return Invalid(Join(path, "number"), "通知文号不能为空");
  if (n.title.empty()) return Invalid(Join(path, "title"), "通知标题不能为空");
  if (!core::ParseDay(n.published))
    return Invalid(Join(path, "published"), "发布日期无效（应为 YYYY-MM-DD）：" + n.published);
  return Status::Ok();
}

json::object NoticeJson(std::string_view number, std::string_view title,
                        std::string_view published) {
  json::object o;
  o["number"] = json::string_view(number.data(), number.size());
  o["title"] = json::string_view(title.data(), title.size());
  o["published"] = json::string_view(published.data(), published.size());
  return o;
}

json::string Str(const std::string& s) { return json::string(json::string_view(s.data(), s.size())); }

}  // namespace

Status ValidateYearSchedule(const YearSchedule& s) {
  using std::chrono::December;
  using std::chrono::January;
  if (s.year < kMinScheduleYear || s.year > kMaxScheduleYear)
    return Invalid("year", "年份应在 " + std::to_string(kMinScheduleYear) + " 至 " +
                               std::to_string(kMaxScheduleYear) + " 之间：" +
                               std::to_string(s.year));
  XT_RETURN_IF_ERROR(
      ValidateNotice(Amendment{s.notice_number, s.notice_title, s.published}, "notice"));
  for (size_t i = 0; i < s.amendments.size(); ++i)
    XT_RETURN_IF_ERROR(ValidateNotice(s.amendments[i], Index("amendments", i)));

  const CivilDay window_from{std::chrono::year(s.year - 1) / December / 1};
  const CivilDay window_to{std::chrono::year(s.year + 1) / January / 31};
  auto in_window = [&](CivilDay d) { return d >= window_from && d <= window_to; };
  const std::string window_msg = "日期超出该年度通知的范围（" + core::FormatDay(window_from) +
                                 " 至 " + core::FormatDay(window_to) + "）：";

  // R-TIME-3: holiday blocks, each well-formed, none overlapping.
  std::vector<size_t> order(s.holidays.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const Holiday& h = s.holidays[i];
    std::string path = Index("holidays", i);
    order[i] = i;
    if (h.name.empty()) return Invalid(Join(path, "name"), "假日名称不能为空");
    if (!in_window(h.from)) return Invalid(Join(path, "from"), window_msg + core::FormatDay(h.from));
    if (!in_window(h.to)) return Invalid(Join(path, "to"), window_msg + core::FormatDay(h.to));
    if (h.from > h.to)
      return Invalid(Join(path, "to"), "放假结束日期早于开始日期：" + core::FormatDay(h.from) +
                                           " 至 " + core::FormatDay(h.to));
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return s.holidays[a].from < s.holidays[b].from; });
  for (size_t k = 1; k < order.size(); ++k) {
    const Holiday& prev = s.holidays[order[k - 1]];
    const Holiday& cur = s.holidays[order[k]];
    if (cur.from <= prev.to)
      return Invalid(Index("holidays", order[k]) + ".from",
                     "放假时段重叠：" + cur.name + "（" + core::FormatDay(cur.from) + " 起）与 " +
                         prev.name + "（至 " + core::FormatDay(prev.to) + "）");
  }

  // R-TIME-3: make-up working days are weekend days outside every holiday block.
  std::set<CivilDay> seen;
  for (size_t i = 0; i < s.workdays.size(); ++i) {
    const MakeupDay& w = s.workdays[i];
    std::string path = Index("workdays", i);
    const std::string day = core::FormatDay(w.date);
    if (!in_window(w.date)) return Invalid(Join(path, "date"), window_msg + day);
    if (Weekday(w.date) < 6)
      return Invalid(Join(path, "date"), "调休上班日必须是星期六或星期日：" + day);
    for (const Holiday& h : s.holidays)
      if (w.date >= h.from && w.date <= h.to)
        return Invalid(Join(path, "date"), "调休上班日落在放假时段内（" + h.name + "）：" + day);
    if (!seen.insert(w.date).second)
      return Invalid(Join(path, "date"), "调休上班日重复：" + day);
    bool known = std::any_of(s.holidays.begin(), s.holidays.end(),
                             [&](const Holiday& h) { return h.name == w.for_holiday; });
    if (!known)
      return Invalid(Join(path, "for"), "调休上班日所属假日不在本年度安排中：" + w.for_holiday);
  }
  return Status::Ok();
}

Result<YearSchedule> ParseYearSchedule(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Invalid("", "JSON 格式错误：" + ec.message());
  XT_RETURN_IF_ERROR(CheckNoDuplicateKeys(text));
  XT_ASSIGN_OR_RETURN(const json::object* top, GetObject(root, ""));
  XT_RETURN_IF_ERROR(CheckKeys(*top, "", {"year", "notice", "holidays", "workdays"},
                               {"amendments"}));

  YearSchedule s;
  const json::value& year = At(*top, "year");
  if (!year.is_int64() && !year.is_uint64()) return Invalid("year", "年份应为整数");
  const int64_t y = year.is_int64() ? year.get_int64() : INT64_MAX;
  if (y < kMinScheduleYear || y > kMaxScheduleYear)
    return Invalid("year", "年份应在 " + std::to_string(kMinScheduleYear) + " 至 " +
                               std::to_string(kMaxScheduleYear) + " 之间：" +
                               json::serialize(year));
  s.year = static_cast<int>(y);

  XT_ASSIGN_OR_RETURN(const json::object* notice, GetObject(At(*top, "notice"), "notice"));
  XT_ASSIGN_OR_RETURN(Amendment n, ParseNotice(*notice, "notice"));
  s.notice_number = std::move(n.number);
  s.notice_title = std::move(n.title);
  s.published = std::move(n.published);

  if (top->contains("amendments")) {
    XT_ASSIGN_OR_RETURN(const json::array* arr, GetArray(*top, "amendments", ""));
    for (size_t i = 0; i < arr->size(); ++i) {
      std::string path = Index("amendments", i);
      XT_ASSIGN_OR_RETURN(const json::object* o, GetObject((*arr)[i], path));
      XT_ASSIGN_OR_RETURN(Amendment a, ParseNotice(*o, path));
      s.amendments.push_back(std::move(a));
    }
  }

  XT_ASSIGN_OR_RETURN(const json::array* holidays, GetArray(*top, "holidays", ""));
  for (size_t i = 0; i < holidays->size(); ++i) {
    std::string path = Index("holidays", i);
    XT_ASSIGN_OR_RETURN(const json::object* o, GetObject((*holidays)[i], path));
    XT_RETURN_IF_ERROR(CheckKeys(*o, path, {"name", "from", "to"}));
    Holiday h;
    XT_ASSIGN_OR_RETURN(h.name, GetString(*o, "name", path));
    XT_ASSIGN_OR_RETURN(h.from, GetDay(*o, "from", path));
    XT_ASSIGN_OR_RETURN(h.to, GetDay(*o, "to", path));
    s.holidays.push_back(std::move(h));
  }

  XT_ASSIGN_OR_RETURN(const json::array* workdays, GetArray(*top, "workdays", ""));
  for (size_t i = 0; i < workdays->size(); ++i) {
    std::string path = Index("workdays", i);
    XT_ASSIGN_OR_RETURN(const json::object* o, GetObject((*workdays)[i], path));
    XT_RETURN_IF_ERROR(CheckKeys(*o, path, {"date", "for"}));
    MakeupDay w;
    XT_ASSIGN_OR_RETURN(w.date, GetDay(*o, "date", path));
    XT_ASSIGN_OR_RETURN(w.for_holiday, GetString(*o, "for", path));
    s.workdays.push_back(std::move(w));
  }

  // Validate in file order so error paths point at the offending element, then sort.
  XT_RETURN_IF_ERROR(ValidateYearSchedule(s));
  std::stable_sort(s.holidays.begin(), s.holidays.end(),
                   [](const Holiday& a, const Holiday& b) { return a.from < b.from; });
  std::stable_sort(s.workdays.begin(), s.workdays.end(),
                   [](const MakeupDay& a, const MakeupDay& b) { return a.date < b.date; });
  return s;
}

std::string SerializeYearSchedule(const YearSchedule& s) {
  std::vector<const Holiday*> holidays;
  for (const Holiday& h : s.holidays) holidays.push_back(&h);
  std::stable_sort(holidays.begin(), holidays.end(),
                   [](const Holiday* a, const Holiday* b) { return a->from < b->from; });
  std::vector<const MakeupDay*> workdays;
  for (const MakeupDay& w : s.workdays) workdays.push_back(&w);
  std::stable_sort(workdays.begin(), workdays.end(),
                   [](const MakeupDay* a, const MakeupDay* b) { return a->date < b->date; });

  json::object o;
  o["year"] = s.year;
  o["notice"] = NoticeJson(s.notice_number, s.notice_title, s.published);
  if (!s.amendments.empty()) {
    json::array arr;
    for (const Amendment& a : s.amendments) arr.push_back(NoticeJson(a.number, a.title, a.published));
    o["amendments"] = std::move(arr);
  }
  json::array harr;
  for (const Holiday* h : holidays) {
    json::object e;
    e["name"] = Str(h->name);
    e["from"] = Str(core::FormatDay(h->from));
    e["to"] = Str(core::FormatDay(h->to));
    harr.push_back(std::move(e));
  }
  o["holidays"] = std::move(harr);
  json::array warr;
  for (const MakeupDay* w : workdays) {
    json::object e;
    e["date"] = Str(core::FormatDay(w->date));
    e["for"] = Str(w->for_holiday);
    warr.push_back(std::move(e));
  }
  o["workdays"] = std::move(warr);
  return json::serialize(o);
}

}  // namespace xietong::calendar
