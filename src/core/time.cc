#include "core/time.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "core/clock.h"

namespace xietong::core {

namespace {
using std::chrono::days;
using std::chrono::floor;
using std::chrono::milliseconds;

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

CivilDay ShanghaiDay(Instant t) { return floor<days>(t + kShanghaiOffset); }

Instant ShanghaiMidnight(CivilDay day) {
  return Instant(std::chrono::duration_cast<milliseconds>(day.time_since_epoch()) -
                 kShanghaiOffset);
}

std::string FormatDay(CivilDay day) {
  std::chrono::year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<CivilDay> ParseDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y, m, d;
  if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m) ||
      !ParseInt(s.substr(8, 2), d))
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                  std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return CivilDay(ymd);
}

namespace {
// Writes 0 <= v < 10^width as `width` decimal digits; returns the end.
char* Digits(char* p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}
}  // namespace

// Without snprintf: every timestamp of every API response goes through here.
std::string FormatInstant(Instant t) {
  auto local = t + kShanghaiOffset;
  auto day = floor<days>(local);
  const int64_t ms = (local - day).count();  // 0 .. 86'399'999
  std::chrono::year_month_day ymd(day);
  const int year = static_cast<int>(ymd.year());
  char buf[40];
  char* p = buf;
  if (year >= 0 && year <= 9999) {
    p = Digits(p, year, 4);
    *p++ = '-';
    p = Digits(p, static_cast<unsigned>(ymd.month()), 2);
    *p++ = '-';
    p = Digits(p, static_cast<unsigned>(ymd.day()), 2);
  } else {
    const std::string d = FormatDay(day);
    p = std::copy(d.begin(), d.end(), p);
  }
  const int64_t secs = ms / 1000, frac = ms % 1000;
  *p++ = 'T';
  p = Digits(p, secs / 3600, 2);
  *p++ = ':';
  p = Digits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = Digits(p, secs % 60, 2);
  if (frac != 0) {
    *p++ = '.';
    p = Digits(p, frac, 3);
  }
  for (char c : std::string_view("+08:00")) *p++ = c;
  return std::string(buf, p);
}

std::optional<Instant> ParseInstant(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|±hh:mm]
  if (s.size() < 20) return std::nullopt;
  auto day = ParseDay(s.substr(0, 10));
  if (!day || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  int hh, mm, ss;
  if (!ParseInt(s.substr(11, 2), hh) || !ParseInt(s.substr(14, 2), mm) ||
      !ParseInt(s.substr(17, 2), ss) || hh > 23 || mm > 59 || ss > 60)
    return std::nullopt;
  size_t i = 19;
  int64_t frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (i == start) return std::nullopt;
    for (int k = digits; k < 3; ++k) frac_ms *= 10;
  }
  if (i >= s.size()) return std::nullopt;
  int offset_min = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int sign = s[i] == '-' ? -1 : 1;
    if (s.size() - i != 6 || s[i + 3] != ':') return std::nullopt;
    int oh, om;
    if (!ParseInt(s.substr(i + 1, 2), oh) || !ParseInt(s.substr(i + 4, 2), om) || oh > 23 ||
        om > 59)
      return std::nullopt;
    offset_min = sign * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  auto local = std::chrono::duration_cast<milliseconds>(day->time_since_epoch()) +
               std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss) +
               milliseconds(frac_ms);
  return Instant(local - std::chrono::minutes(offset_min));
}

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
}

}  // namespace xietong::core
