#include "calendar/calendar.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <utility>


namespace xietong::calendar {

namespace {

using core::Result;
using core::Status;
using std::chrono::days;

constexpr uint8_t kWork = 1;
constexpr uint8_t kHoliday = 2;
constexpr uint8_t kMakeup = 4;
constexpr uint8_t kProvisional = 8;

constexpr const char* kRule = "R-TIME-3";

// Weekday arithmetic in O(1), for days outside the table (R-TIME-3: Monday–Friday).
// WeekdayCounter(x) = signed number of Mondays–Fridays in [kRefMonday, x).
constexpr CivilDay kRefMonday{days(4)};  // 1970-01-05, a Monday

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t WeekdayCounter(CivilDay x) {
  int64_t k = (x - kRefMonday).count();
  int64_t q = FloorDiv(k, 7);
  int64_t r = k - 7 * q;
  return 5 * q + std::min<int64_t>(r, 5);
}

// The Monday–Friday day x with WeekdayCounter(x) == c.
CivilDay WeekdayAt(int64_t c) {
  int64_t q = FloorDiv(c, 5);
  int64_t r = c - 5 * q;
  return kRefMonday + days(7 * q + r);
}

bool IsMondayToFriday(CivilDay d) { return std::chrono::weekday(d).iso_encoding() <= 5; }

CivilDay NewYear(int y) { return CivilDay{std::chrono::year(y) / std::chrono::January / 1}; }

// R-TIME-3: a day is provisional when its year has no loaded schedule, or when it lies in
// [December kLateDecemberFrom, December 31] and the next year has none: the next year's notice
// can still move those days (the 2019 notice made Saturday 2018-12-29 a working day).
template <typename Loaded>
bool IsProvisionalDay(CivilDay d, const Loaded& is_loaded) {
  const std::chrono::year_month_day ymd(d);
  const int y = static_cast<int>(ymd.year());
  if (!is_loaded(y)) return true;
  return ymd.month() == std::chrono::December &&
         static_cast<unsigned>(ymd.day()) >= kLateDecemberFrom && !is_loaded(y + 1);
}

// FNV-1a, 64 bit, folded to 32 for the version string.
uint32_t Hash(const std::vector<YearSchedule>& years) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  for (const YearSchedule& y : years) {
    mix(SerializeYearSchedule(y));
    mix("\n");
  }
  return static_cast<uint32_t>(h ^ (h >> 32));
}

Status Prefixed(const Status& s, size_t index, int year) {
  return Status::Invalid("years[" + std::to_string(index) + "]." + s.field(),
                         std::to_string(year) + "年安排：" + s.message(),
                         s.rule().empty() ? kRule : s.rule());
}

}  // namespace

Result<Calendar> Calendar::Build(std::vector<YearSchedule> years) {
  if (years.empty()) return Status::Invalid("years", "至少需要一个年度的节假日安排", kRule);
  for (size_t i = 0; i < years.size(); ++i) {
    Status st = ValidateYearSchedule(years[i]);
    if (!st.ok()) return Prefixed(st, i, years[i].year);
  }
  std::map<int, size_t> index_of_year;
  for (size_t i = 0; i < years.size(); ++i)
    if (!index_of_year.emplace(years[i].year, i).second)
      return Status::Invalid("years[" + std::to_string(i) + "].year",
                             "重复的年度安排：" + std::to_string(years[i].year), kRule);
  std::sort(years.begin(), years.end(),
            [](const YearSchedule& a, const YearSchedule& b) { return a.year < b.year; });
  for (YearSchedule& y : years) {
    std::stable_sort(y.holidays.begin(), y.holidays.end(),
                     [](const Holiday& a, const Holiday& b) { return a.from < b.from; });
    std::stable_sort(y.workdays.begin(), y.workdays.end(),
                     [](const MakeupDay& a, const MakeupDay& b) { return a.date < b.date; });
  }

  Calendar c;
  const int first = years.front().year;
  const int last = years.back().year;
  c.begin_ = NewYear(first - 1);
  c.end_ = NewYear(last + 2);
  c.weekdays_to_begin_ = WeekdayCounter(c.begin_);
  c.weekdays_to_end_ = WeekdayCounter(c.end_);
  const size_t n = static_cast<size_t>((c.end_ - c.begin_).count());

  std::vector<bool> loaded(static_cast<size_t>(last - first + 3), false);
  for (const YearSchedule& y : years) loaded[static_cast<size_t>(y.year - first + 1)] = true;
  auto is_loaded = [&](int y) {
    return y >= first && y <= last && loaded[static_cast<size_t>(y - first + 1)];
  };

  c.flags_.resize(n);
  c.name_.assign(n, 0);
  c.names_.push_back("");
  for (size_t i = 0; i < n; ++i) {
    CivilDay d = c.begin_ + days(i);
    uint8_t f = IsMondayToFriday(d) ? kWork : 0;
    if (IsProvisionalDay(d, is_loaded)) f |= kProvisional;  // R-TIME-3
    c.flags_[i] = f;
  }

  auto name_index = [&c](const std::string& name) -> uint16_t {
    auto it = std::find(c.names_.begin(), c.names_.end(), name);
    if (it == c.names_.end()) {
      c.names_.push_back(name);
      it = c.names_.end() - 1;
    }
    return static_cast<uint16_t>(it - c.names_.begin());
  };
  // Which schedule set each day, to refuse two notices naming the same day.
  std::vector<int> owner(n, 0);
  for (const YearSchedule& y : years) {
    auto claim = [&](CivilDay d) -> Status {
      size_t i = static_cast<size_t>((d - c.begin_).count());  // in range: validated window
      if (owner[i] != 0 && owner[i] != y.year)
        return Status::Invalid("years[" + std::to_string(index_of_year[y.year]) + "]",
                               std::to_string(y.year) + "年安排与" + std::to_string(owner[i]) +
                                   "年安排都规定了 " + core::FormatDay(d),
                               kRule);
      owner[i] = y.year;
      return Status::Ok();
    };
    for (const Holiday& h : y.holidays) {
      uint16_t name = name_index(h.name);
      for (CivilDay d = h.from; d <= h.to; d += days(1)) {
        XT_RETURN_IF_ERROR(claim(d));
        size_t i = static_cast<size_t>((d - c.begin_).count());
        c.flags_[i] = static_cast<uint8_t>((c.flags_[i] & kProvisional) | kHoliday);
        c.name_[i] = name;
      }
    }
    for (const MakeupDay& w : y.workdays) {
      XT_RETURN_IF_ERROR(claim(w.date));
      size_t i = static_cast<size_t>((w.date - c.begin_).count());
      c.flags_[i] = static_cast<uint8_t>((c.flags_[i] & kProvisional) | kWork | kMakeup);
      c.name_[i] = name_index(w.for_holiday);
    }
  }

  c.work_before_.resize(n + 1);
  c.prov_before_.resize(n + 1);
  c.work_before_[0] = c.prov_before_[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    const bool work = c.flags_[i] & kWork;
    c.work_before_[i + 1] = c.work_before_[i] + (work ? 1 : 0);
    c.prov_before_[i + 1] = c.prov_before_[i] + ((c.flags_[i] & kProvisional) ? 1 : 0);
    if (work) c.work_offsets_.push_back(static_cast<int32_t>(i));
  }

  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(Hash(years)));
  c.version_ = "cal-" + std::to_string(first) + "-" + std::to_string(last) + "-" + hex;
  c.years_ = std::move(years);
  return c;
}

Result<Calendar> Calendar::WithYear(YearSchedule schedule) const {
  std::vector<YearSchedule> years;
  for (const YearSchedule& y : years_)
    if (y.year != schedule.year) years.push_back(y);
  years.push_back(std::move(schedule));
  return Build(std::move(years));
}

std::vector<int> Calendar::years() const {
  std::vector<int> out;
  out.reserve(years_.size());
  for (const YearSchedule& y : years_) out.push_back(y.year);
  return out;
}

const YearSchedule* Calendar::year(int y) const {
  auto it = std::lower_bound(years_.begin(), years_.end(), y,
                             [](const YearSchedule& s, int v) { return s.year < v; });
  return (it != years_.end() && it->year == y) ? &*it : nullptr;
}

bool Calendar::HasSchedule(int y) const { return year(y) != nullptr; }

DayInfo Calendar::Day(CivilDay day) const {
  DayInfo info;
  info.day = day;
  if (day < begin_ || day >= end_) {
    info.workday = IsMondayToFriday(day);
    info.provisional = true;  // R-TIME-3: no schedule this far from the loaded years
    return info;
  }
  size_t i = static_cast<size_t>((day - begin_).count());
  uint8_t f = flags_[i];
  info.workday = f & kWork;
  info.holiday = f & kHoliday;
  info.makeup_workday = f & kMakeup;
  info.provisional = f & kProvisional;
  info.holiday_name = names_[name_[i]];
  return info;
}

bool Calendar::IsWorkingDay(CivilDay day) const {
  if (day < begin_ || day >= end_) return IsMondayToFriday(day);
  return flags_[static_cast<size_t>((day - begin_).count())] & kWork;
}

bool Calendar::IsProvisional(CivilDay day) const {
  if (day < begin_ || day >= end_) return true;
  return flags_[static_cast<size_t>((day - begin_).count())] & kProvisional;
}

int64_t Calendar::RankOf(CivilDay day) const {
  if (day < begin_) return WeekdayCounter(day) - weekdays_to_begin_;
  if (day >= end_)
    return static_cast<int64_t>(work_offsets_.size()) + WeekdayCounter(day) - weekdays_to_end_;
  return work_before_[static_cast<size_t>((day - begin_).count())];
}

CivilDay Calendar::NthWorkingDay(int64_t rank) const {
  const auto total = static_cast<int64_t>(work_offsets_.size());
  if (rank < 0) return WeekdayAt(weekdays_to_begin_ + rank);
  if (rank >= total) return WeekdayAt(weekdays_to_end_ + (rank - total));
  return begin_ + days(work_offsets_[static_cast<size_t>(rank)]);
}

bool Calendar::AnyProvisional(CivilDay from, CivilDay to) const {
  if (from < begin_ || to >= end_) return true;
  return prov_before_[static_cast<size_t>((to - begin_).count()) + 1] !=
         prov_before_[static_cast<size_t>((from - begin_).count())];
}

CivilDay Calendar::WorkingDayOnOrAfter(CivilDay day) const { return NthWorkingDay(RankOf(day)); }

Deadline Calendar::MakeDayDeadline(CivilDay last_day, bool provisional) const {
  return Deadline{core::ShanghaiMidnight(last_day + days(1)), last_day, provisional, version_};
}

// R-TIME-1
Deadline Calendar::AddWorkingDays(CivilDay from, int n) const {
  if (n <= 0) {
    CivilDay last = NthWorkingDay(RankOf(from));
    return MakeDayDeadline(last, AnyProvisional(from, last));
  }
  const CivilDay first = from + days(1);  // the event's own day never counts
  CivilDay last = NthWorkingDay(RankOf(first) + n - 1);
  return MakeDayDeadline(last, AnyProvisional(first, last));
}

Deadline Calendar::AddWorkingDays(core::Instant event, int n) const {
  return AddWorkingDays(core::ShanghaiDay(event), n);
}

// R-TIME-2
Deadline Calendar::AddHours(core::Instant event, int64_t hours) const {
  if (hours <= 0) return Deadline{event, core::ShanghaiDay(event), false, version_};
  core::Instant due = event + std::chrono::hours(hours);
  return Deadline{due, core::ShanghaiDay(due - std::chrono::milliseconds(1)), false, version_};
}

// R-TIME-5
Deadline Calendar::AddCalendarDays(core::Instant event, int n) const {
  const CivilDay nominal = core::ShanghaiDay(event) + days(std::max(n, 0));
  const CivilDay last = WorkingDayOnOrAfter(nominal);
  return MakeDayDeadline(last, AnyProvisional(nominal, last));
}

Span Calendar::WorkingDaysBetween(CivilDay from, CivilDay to) const {
  if (to <= from) return Span{0, false};
  const CivilDay first = from + days(1);
  const CivilDay end = to + days(1);
  return Span{static_cast<int>(RankOf(end) - RankOf(first)), AnyProvisional(first, to)};
}

Span Calendar::WorkingDaysBetween(core::Instant from, core::Instant to) const {
  return WorkingDaysBetween(core::ShanghaiDay(from), core::ShanghaiDay(to));
}

}  // namespace xietong::calendar
