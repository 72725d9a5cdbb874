// The working-day calendar against the notices: R-TIME-1 (working days), R-TIME-2 (hours),
// R-TIME-3 (schedules, provisional years), R-TIME-5 (calendar days).
#include "calendar/calendar.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "calendar/builtin_schedules.h"

namespace xietong::calendar {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;

CivilDay D(std::string_view s) {
  auto d = core::ParseDay(s);
  EXPECT_TRUE(d) << s;
  return d.value_or(CivilDay{});
}
core::Instant T(std::string_view s) {
  auto t = core::ParseInstant(s);
  EXPECT_TRUE(t) << s;
  return t.value_or(core::Instant{});
}

std::string SourceDir() {
  const char* dir = std::getenv("XT_SOURCE_DIR");
  return dir ? dir : XT_SOURCE_DIR_FALLBACK;
}

const Calendar& Builtin() {
  static const Calendar* cal = [] {
    auto r = BuiltinCalendar();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new Calendar(std::move(r).value());
  }();
  return *cal;
}

// ---- An independent reference: src/calendar/testdata/golden.txt plus Monday–Friday. ----

struct GoldenDay {
  bool workday;  // "workday" line (调休上班) vs "holiday" line
  std::string name;
};

const std::map<CivilDay, GoldenDay>& Golden() {
  static const auto* golden = [] {
    auto* m = new std::map<CivilDay, GoldenDay>;
    std::ifstream in(SourceDir() + "/src/calendar/testdata/golden.txt");
    EXPECT_TRUE(in.good()) << "cannot read golden.txt under " << SourceDir();
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream ss(line);
      std::string day, kind, name;
      ss >> day >> kind >> name;
      EXPECT_TRUE(kind == "holiday" || kind == "workday") << line;
      EXPECT_FALSE(name.empty()) << line;
      EXPECT_TRUE(m->emplace(D(day), GoldenDay{kind == "workday", name}).second) << line;
    }
    return m;
  }();
  return *golden;
}

bool MondayToFriday(CivilDay d) { return std::chrono::weekday(d).iso_encoding() <= 5; }

bool RefWork(CivilDay d) {
  auto it = Golden().find(d);
  return it != Golden().end() ? it->second.workday : MondayToFriday(d);
}

int YearOf(CivilDay d) { return static_cast<int>(std::chrono::year_month_day(d).year()); }

// R-TIME-3: outside 2018..2026, and from 2026-12-20 on (2027 is not loaded).
bool RefProvisional(CivilDay d) {
  return YearOf(d) < 2018 || YearOf(d) > 2026 || d >= D("2026-12-20");
}

struct Ref {
  CivilDay last;
  bool provisional;
};

// R-TIME-1, one day at a time.
Ref NaiveAddWorkingDays(CivilDay from, int n) {
  CivilDay d = from;
  bool prov = false;
  if (n == 0) {
    prov = RefProvisional(d);
    while (!RefWork(d)) {
      d += days(1);
      prov = prov || RefProvisional(d);
    }
    return {d, prov};
  }
  for (int count = 0; count < n;) {
    d += days(1);
    prov = prov || RefProvisional(d);
    if (RefWork(d)) ++count;
  }
  return {d, prov};
}

// R-TIME-5, one day at a time.
Ref NaiveAddCalendarDays(CivilDay from, int n) {
  CivilDay d = from + days(n);
  bool prov = RefProvisional(d);
  while (!RefWork(d)) {
    d += days(1);
    prov = prov || RefProvisional(d);
  }
  return {d, prov};
}

Span NaiveBetween(CivilDay from, CivilDay to) {
  Span s;
  for (CivilDay d = from + days(1); d <= to; d += days(1)) {
    s.working_days += RefWork(d) ? 1 : 0;
    s.provisional = s.provisional || RefProvisional(d);
  }
  return s;
}

// A fabricated schedule for a year the State Council has not published (tests only).
YearSchedule Fake2027() {
  auto r = ParseYearSchedule(R"({"year": 2027,
    "notice": {"number": "测试", "title": "测试用2027年安排", "published": "2026-11-01"},
    "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
    "workdays": [{"date": "2027-01-09", "for": "元旦"}]})");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : YearSchedule{};
}

// ---- Tests ----

TEST(CalendarTest, BuiltinLoadsTheNineNoticesRTime3) {
  const Calendar& cal = Builtin();
  EXPECT_EQ(cal.years(), (std::vector<int>{2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}));
  EXPECT_TRUE(std::regex_match(cal.version(), std::regex("cal-2018-2026-[0-9a-f]{8}")))
      << cal.version();
  ASSERT_NE(cal.year(2026), nullptr);
  EXPECT_EQ(cal.year(2026)->notice_number, "国办发明电〔2025〕7号");
  EXPECT_EQ(cal.year(2027), nullptr);
  EXPECT_EQ(cal.year(2017), nullptr);
  EXPECT_TRUE(cal.HasSchedule(2020));
  EXPECT_FALSE(cal.HasSchedule(2027));
  EXPECT_EQ(cal.schedules().size(), 9u);
}

// R-TIME-1/R-TIME-3: every day of 2018..2026 (and the spill into the neighbouring Decembers and
// Januaries) against the golden table written from the notices' text.
TEST(CalendarTest, GoldenTableDayByDayRTime1) {
  const Calendar& cal = Builtin();
  ASSERT_EQ(Golden().size(), 330u);
  int checked_golden = 0;
  for (CivilDay d = D("2017-12-01"); d <= D("2027-01-31"); d += days(1)) {
    SCOPED_TRACE(core::FormatDay(d));
    DayInfo info = cal.Day(d);
    EXPECT_EQ(info.day, d);
    EXPECT_EQ(info.provisional, RefProvisional(d));
    EXPECT_EQ(cal.IsProvisional(d), RefProvisional(d));
    auto it = Golden().find(d);
    if (it != Golden().end()) {
      ++checked_golden;
      EXPECT_EQ(info.workday, it->second.workday);
      EXPECT_EQ(info.makeup_workday, it->second.workday);
      EXPECT_EQ(info.holiday, !it->second.workday);
      EXPECT_EQ(info.holiday_name, it->second.name);
      if (it->second.workday) {
        EXPECT_FALSE(MondayToFriday(d)) << "make-up day on a weekday";
      }
    } else {
      EXPECT_EQ(info.workday, MondayToFriday(d));
      EXPECT_FALSE(info.holiday);
      EXPECT_FALSE(info.makeup_workday);
      EXPECT_EQ(info.holiday_name, "");
    }
    EXPECT_EQ(cal.IsWorkingDay(d), info.workday);
  }
  EXPECT_EQ(checked_golden, 330);
}

TEST(CalendarTest, WorkingDaysPerYearRTime1) {
  // Days off on weekdays and make-up days, counted by hand from each notice.
  const std::map<int, int> expected = {{2018, 250}, {2019, 250}, {2020, 249},
                                       {2021, 250}, {2022, 249}, {2023, 249},
                                       {2024, 251}, {2025, 248}, {2026, 248}};
  for (auto [year, count] : expected) {
    CivilDay dec31_before{std::chrono::year(year - 1) / std::chrono::December / 31};
    CivilDay dec31{std::chrono::year(year) / std::chrono::December / 31};
    Span s = Builtin().WorkingDaysBetween(dec31_before, dec31);
    EXPECT_EQ(s.working_days, count) << year;
    // R-TIME-3: late December of 2026 waits for the 2027 notice.
    EXPECT_EQ(s.provisional, year == 2026) << year;
  }
}

// Data-driven known answers: src/calendar/testdata/deadlines.txt.
TEST(CalendarTest, KnownAnswersFromTestdataRTime1RTime2RTime5) {
  const Calendar& cal = Builtin();
  std::ifstream in(SourceDir() + "/src/calendar/testdata/deadlines.txt");
  ASSERT_TRUE(in.good());
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream ss(line);
    std::string op, a, b, expect, prov;
    if (!(ss >> op)) continue;
    ASSERT_TRUE(ss >> a >> b >> expect >> prov) << line;
    ASSERT_TRUE(prov == "yes" || prov == "no") << line;
    SCOPED_TRACE(line);
    ++cases;
    const bool provisional = prov == "yes";
    if (op == "workdays" || op == "calendar") {
      int n = std::stoi(b);
      Deadline d = op == "workdays" ? cal.AddWorkingDays(T(a), n) : cal.AddCalendarDays(T(a), n);
      EXPECT_EQ(core::FormatDay(d.last_day), expect);
      EXPECT_EQ(d.due, core::ShanghaiMidnight(D(expect) + days(1)));
      EXPECT_EQ(d.provisional, provisional);
      EXPECT_EQ(d.version, cal.version());
    } else if (op == "hours") {
      Deadline d = cal.AddHours(T(a), std::stoll(b));
      EXPECT_EQ(core::FormatInstant(d.due), expect);
      EXPECT_EQ(d.provisional, provisional);
    } else if (op == "between") {
      Span s = cal.WorkingDaysBetween(T(a), T(b));
      EXPECT_EQ(s.working_days, std::stoi(expect));
      EXPECT_EQ(s.provisional, provisional);
    } else {
      ADD_FAILURE() << "unknown op " << op;
    }
  }
  EXPECT_GE(cases, 50);
}

// The example of the brief, spelled out: 国庆节 10/1–10/7 and 10/10 (Sat) is a working day.
TEST(CalendarTest, ThreeWorkingDaysAfterSeptember30RTime1) {
  Deadline d = Builtin().AddWorkingDays(T("2026-09-30T10:00:00+08:00"), 3);
  EXPECT_EQ(d.last_day, D("2026-10-10"));
  EXPECT_EQ(core::FormatInstant(d.due), "2026-10-11T00:00:00+08:00");
  EXPECT_FALSE(d.provisional);
}

TEST(CalendarTest, ShanghaiDayNotUtcDayRTime1) {
  const Calendar& cal = Builtin();
  // 2026-09-30T16:30:00Z is 10-01 00:30 in Shanghai: a 国庆节 holiday.
  DayInfo info = cal.Day(core::ShanghaiDay(T("2026-09-30T16:30:00Z")));
  EXPECT_EQ(info.day, D("2026-10-01"));
  EXPECT_TRUE(info.holiday);
  EXPECT_FALSE(info.workday);
  EXPECT_EQ(info.holiday_name, "国庆节");
  // One millisecond earlier it is still 9/30 (a working Wednesday) in Shanghai.
  EXPECT_EQ(cal.AddWorkingDays(T("2026-09-30T15:59:59.999Z"), 0).last_day, D("2026-09-30"));
  EXPECT_EQ(cal.AddWorkingDays(T("2026-09-30T16:00:00Z"), 0).last_day, D("2026-10-08"));
  // 10/10 (a make-up Saturday) starts at 2026-10-09T16:00Z.
  EXPECT_EQ(cal.AddWorkingDays(T("2026-10-09T15:59:59Z"), 1).last_day, D("2026-10-10"));
  EXPECT_EQ(cal.AddWorkingDays(T("2026-10-09T16:00:00Z"), 1).last_day, D("2026-10-12"));
  // The due instant is 24:00 Shanghai = 16:00Z of the last day.
  EXPECT_EQ(cal.AddWorkingDays(T("2026-10-09T16:00:00Z"), 1).due, T("2026-10-12T16:00:00Z"));
}

TEST(CalendarTest, CivilDayOverloadMatchesInstantOverloadRTime1) {
  const Calendar& cal = Builtin();
  for (int n : {0, 1, 2, 3, 10}) {
    Deadline a = cal.AddWorkingDays(D("2026-09-30"), n);
    Deadline b = cal.AddWorkingDays(T("2026-09-30T23:59:59+08:00"), n);
    EXPECT_EQ(a.last_day, b.last_day);
    EXPECT_EQ(a.due, b.due);
  }
}

TEST(CalendarTest, YearBoundariesRTime1) {
  const Calendar& cal = Builtin();
  // The 2019 notice reaches back into 2018: 12/29 (Sat) works, 12/30–1/1 are 元旦.
  DayInfo dec29 = cal.Day(D("2018-12-29"));
  EXPECT_TRUE(dec29.workday);
  EXPECT_TRUE(dec29.makeup_workday);
  EXPECT_EQ(dec29.holiday_name, "元旦");
  EXPECT_FALSE(dec29.provisional);
  EXPECT_TRUE(cal.Day(D("2018-12-31")).holiday);
  // The 2018 notice reaches back into 2017, a year without its own loaded schedule.
  DayInfo dec30 = cal.Day(D("2017-12-30"));
  EXPECT_TRUE(dec30.holiday);
  EXPECT_TRUE(dec30.provisional);
  // Crossing into an unloaded year.
  Deadline d = cal.AddWorkingDays(D("2026-12-30"), 2);
  EXPECT_EQ(d.last_day, D("2027-01-01"));
  EXPECT_TRUE(d.provisional);
}

TEST(CalendarTest, LongSpansRTime1) {
  const Calendar& cal = Builtin();
  Deadline d = cal.AddWorkingDays(D("2025-12-31"), 250);
  EXPECT_EQ(d.last_day, D("2027-01-04"));  // 248 in 2026, then 1/1 (Fri) and 1/4 (Mon)
  EXPECT_TRUE(d.provisional);
  // All nine years and beyond in one jump, against the day-by-day count.
  for (int n : {250, 1000, 2224, 2500, 5000}) {
    Ref ref = NaiveAddWorkingDays(D("2017-06-15"), n);
    Deadline got = cal.AddWorkingDays(D("2017-06-15"), n);
    EXPECT_EQ(got.last_day, ref.last) << n;
    EXPECT_EQ(got.provisional, ref.provisional) << n;
  }
  // 2018-01-01 .. 2026-12-31 has exactly the sum of the yearly counts.
  EXPECT_EQ(cal.WorkingDaysBetween(D("2017-12-31"), D("2026-12-31")).working_days,
            250 + 250 + 249 + 250 + 249 + 249 + 251 + 248 + 248);
}

// R-TIME-3: 2027 has no loaded schedule: weekends are skipped, nothing else, and every answer
// touching it is provisional.
TEST(CalendarTest, ProvisionalYearsRTime3) {
  const Calendar& cal = Builtin();
  DayInfo ny = cal.Day(D("2027-01-01"));  // surely 元旦 once published, unknown today
  EXPECT_TRUE(ny.provisional);
  EXPECT_TRUE(ny.workday);  // a Friday
  EXPECT_FALSE(ny.holiday);
  EXPECT_FALSE(cal.Day(D("2027-01-02")).workday);  // Saturday
  Deadline d = cal.AddWorkingDays(D("2027-03-01"), 5);
  EXPECT_EQ(d.last_day, D("2027-03-08"));
  EXPECT_TRUE(d.provisional);
  // Far outside the precomputed table (before 2017, after 2027): O(1) weekday arithmetic.
  for (const char* from : {"1999-12-31", "2010-02-12", "2016-12-30", "2031-05-01", "2090-07-04"}) {
    for (int n : {0, 1, 4, 5, 6, 23, 365}) {
      Ref ref = NaiveAddWorkingDays(D(from), n);
      Deadline got = cal.AddWorkingDays(D(from), n);
      EXPECT_EQ(got.last_day, ref.last) << from << " + " << n;
      EXPECT_TRUE(got.provisional);
    }
    EXPECT_TRUE(cal.Day(D(from)).provisional);
  }
  // A span wholly inside loaded years, before the late December of the last one, is final.
  EXPECT_FALSE(cal.AddWorkingDays(D("2026-12-14"), 4).provisional);  // 12/15 … 12/18
  EXPECT_TRUE(cal.AddWorkingDays(D("2026-12-14"), 5).provisional);   // 12/21, via 12/19–20
}

// R-TIME-3 (decided): from 20 December of the last loaded year the days are provisional, since
// the next year's notice can move them (the 2019 notice made Saturday 2018-12-29 a working
// day); the loaded facts about them stay.
TEST(CalendarTest, LateDecemberOfTheLastLoadedYearIsProvisionalRTime3) {
  const Calendar& cal = Builtin();
  EXPECT_FALSE(cal.Day(D("2026-12-19")).provisional);
  for (CivilDay d = D("2026-12-20"); d <= D("2026-12-31"); d += days(1)) {
    SCOPED_TRACE(core::FormatDay(d));
    EXPECT_TRUE(cal.Day(d).provisional);
    EXPECT_TRUE(cal.IsProvisional(d));
    EXPECT_EQ(cal.Day(d).workday, MondayToFriday(d));  // no 2026 notice names these days
  }
  // Earlier years' Decembers are final: their next years are loaded.
  EXPECT_FALSE(cal.Day(D("2025-12-31")).provisional);
  EXPECT_FALSE(cal.Day(D("2018-12-29")).provisional);
  // A deadline ending on 12/18 is final; one reaching 12/21 passes 12/20 and 12/21.
  Deadline d17 = cal.AddWorkingDays(D("2026-12-17"), 1);
  EXPECT_EQ(d17.last_day, D("2026-12-18"));
  EXPECT_FALSE(d17.provisional);
  Deadline d18 = cal.AddWorkingDays(D("2026-12-18"), 1);
  EXPECT_EQ(d18.last_day, D("2026-12-21"));
  EXPECT_TRUE(d18.provisional);
  // R-TIME-5: "3日" from 12/16 ends Saturday 12/19 → Monday 12/21, which may move.
  Deadline c = cal.AddCalendarDays(T("2026-12-16T10:00:00+08:00"), 3);
  EXPECT_EQ(c.last_day, D("2026-12-21"));
  EXPECT_TRUE(c.provisional);
  EXPECT_FALSE(cal.AddCalendarDays(T("2026-12-14T10:00:00+08:00"), 3).provisional);  // 12/17
  EXPECT_TRUE(cal.WorkingDaysBetween(D("2026-12-01"), D("2026-12-20")).provisional);
  EXPECT_FALSE(cal.WorkingDaysBetween(D("2026-12-01"), D("2026-12-19")).provisional);

  // Loading 2027 makes late 2026 final and moves the provisional window to late 2027.
  auto next = cal.WithYear(Fake2027());
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_FALSE(next->Day(D("2026-12-25")).provisional);
  EXPECT_FALSE(next->AddWorkingDays(D("2026-12-18"), 1).provisional);
  EXPECT_FALSE(next->Day(D("2027-12-19")).provisional);
  EXPECT_TRUE(next->Day(D("2027-12-20")).provisional);

  // A gap: with 2018 and 2020 loaded but not 2019, late December 2018 is provisional as well.
  auto gap = Calendar::Build({*cal.year(2018), *cal.year(2020)});
  ASSERT_TRUE(gap.ok()) << gap.status().ToString();
  EXPECT_FALSE(gap->Day(D("2018-12-19")).provisional);
  EXPECT_TRUE(gap->Day(D("2018-12-20")).provisional);
  EXPECT_TRUE(gap->Day(D("2019-06-03")).provisional);
  EXPECT_FALSE(gap->Day(D("2020-06-01")).provisional);
  EXPECT_TRUE(gap->Day(D("2020-12-31")).provisional);
}

// R-TIME-1 property: the O(1) arithmetic equals a day-by-day loop, inside and outside the table.
TEST(CalendarTest, AddWorkingDaysMatchesNaiveLoopRTime1) {
  const Calendar& cal = Builtin();
  std::mt19937 rng(20261001);
  const int lo = static_cast<int>(D("2015-06-01").time_since_epoch().count());
  const int hi = static_cast<int>(D("2029-06-01").time_since_epoch().count());
  std::uniform_int_distribution<int> day(lo, hi);
  std::uniform_int_distribution<int> small(0, 30);
  std::uniform_int_distribution<int> large(0, 600);
  std::uniform_int_distribution<int64_t> ms_of_day(0, 86'399'999);
  for (int i = 0; i < 5000; ++i) {
    CivilDay from{days(day(rng))};
    int n = (i % 4 == 0) ? large(rng) : small(rng);
    Ref ref = NaiveAddWorkingDays(from, n);
    Deadline got = cal.AddWorkingDays(from, n);
    ASSERT_EQ(got.last_day, ref.last) << core::FormatDay(from) << " + " << n;
    ASSERT_EQ(got.provisional, ref.provisional) << core::FormatDay(from) << " + " << n;
    ASSERT_EQ(got.due, core::ShanghaiMidnight(ref.last + days(1)));
    // The same through an instant anywhere in that Shanghai day.
    core::Instant event = core::ShanghaiMidnight(from) + milliseconds(ms_of_day(rng));
    Deadline via_instant = cal.AddWorkingDays(event, n);
    ASSERT_EQ(via_instant.last_day, ref.last);
    // WorkingDaysBetween(e, due - 1ms) == n.
    if (n >= 1) {
      Span s = cal.WorkingDaysBetween(event, via_instant.due - milliseconds(1));
      ASSERT_EQ(s.working_days, n) << core::FormatDay(from) << " + " << n;
      ASSERT_EQ(s.provisional, ref.provisional);
      // …and the deadline's own instant already belongs to the next day.
      ASSERT_GE(cal.WorkingDaysBetween(event, via_instant.due).working_days, n);
    }
  }
}

TEST(CalendarTest, AddCalendarDaysMatchesNaiveLoopRTime5) {
  const Calendar& cal = Builtin();
  std::mt19937 rng(310);
  const int lo = static_cast<int>(D("2016-01-01").time_since_epoch().count());
  const int hi = static_cast<int>(D("2028-12-31").time_since_epoch().count());
  std::uniform_int_distribution<int> day(lo, hi);
  std::uniform_int_distribution<int> n_dist(0, 60);
  for (int i = 0; i < 3000; ++i) {
    CivilDay from{days(day(rng))};
    int n = n_dist(rng);
    Ref ref = NaiveAddCalendarDays(from, n);
    Deadline got = cal.AddCalendarDays(core::ShanghaiMidnight(from) + std::chrono::hours(9), n);
    ASSERT_EQ(got.last_day, ref.last) << core::FormatDay(from) << " + " << n;
    ASSERT_EQ(got.provisional, ref.provisional) << core::FormatDay(from) << " + " << n;
    ASSERT_EQ(got.due, core::ShanghaiMidnight(ref.last + days(1)));
  }
}

TEST(CalendarTest, WorkingDaysBetweenMatchesNaiveLoopRTime1) {
  const Calendar& cal = Builtin();
  std::mt19937 rng(4);
  const int lo = static_cast<int>(D("2016-01-01").time_since_epoch().count());
  const int hi = static_cast<int>(D("2028-12-31").time_since_epoch().count());
  std::uniform_int_distribution<int> day(lo, hi);
  std::uniform_int_distribution<int> len(-20, 400);
  for (int i = 0; i < 3000; ++i) {
    CivilDay from{days(day(rng))};
    CivilDay to = from + days(len(rng));
    Span ref = NaiveBetween(from, to);
    Span got = cal.WorkingDaysBetween(from, to);
    ASSERT_EQ(got.working_days, ref.working_days) << core::FormatDay(from) << ".." << core::FormatDay(to);
    ASSERT_EQ(got.provisional, ref.provisional) << core::FormatDay(from) << ".." << core::FormatDay(to);
  }
}

TEST(CalendarTest, CalendarDaysLandingOnNationalDayRTime5) {
  const Calendar& cal = Builtin();
  // "3日" from 9/30: nominal last day 10/3 lies in 国庆节 10/1–10/7 → 10/8 (Thursday).
  Deadline d = cal.AddCalendarDays(T("2026-09-30T15:00:00+08:00"), 3);
  EXPECT_EQ(d.last_day, D("2026-10-08"));
  EXPECT_EQ(core::FormatInstant(d.due), "2026-10-09T00:00:00+08:00");
  EXPECT_FALSE(d.provisional);
  // A make-up Saturday is a working day: no move.
  EXPECT_EQ(cal.AddCalendarDays(T("2026-10-07T15:00:00+08:00"), 3).last_day, D("2026-10-10"));
}

TEST(CalendarTest, AddHoursIsClockTimeRTime2) {
  const Calendar& cal = Builtin();
  Deadline d = cal.AddHours(T("2026-09-30T10:00:00+08:00"), 24);
  EXPECT_EQ(d.due, T("2026-10-01T10:00:00+08:00"));  // through a holiday
  EXPECT_EQ(d.last_day, D("2026-10-01"));
  EXPECT_FALSE(d.provisional);
  EXPECT_EQ(d.version, cal.version());
  // Ending exactly at midnight: the period's last day is the day before (24:00 of 9/30).
  Deadline m = cal.AddHours(T("2026-09-30T00:00:00+08:00"), 24);
  EXPECT_EQ(m.due, T("2026-10-01T00:00:00+08:00"));
  EXPECT_EQ(m.last_day, D("2026-09-30"));
  // Into an unloaded year: still exact, never provisional.
  EXPECT_FALSE(cal.AddHours(T("2027-06-01T00:00:00+08:00"), 72).provisional);
  // Zero and (treated as zero) negative hours.
  EXPECT_EQ(cal.AddHours(T("2026-09-30T10:00:00+08:00"), 0).due, T("2026-09-30T10:00:00+08:00"));
  EXPECT_EQ(cal.AddHours(T("2026-09-30T10:00:00+08:00"), -5).due, T("2026-09-30T10:00:00+08:00"));
}

TEST(CalendarTest, NegativeCountsAreTreatedAsZero) {
  const Calendar& cal = Builtin();
  EXPECT_EQ(cal.AddWorkingDays(D("2026-10-01"), -3).last_day, D("2026-10-08"));
  EXPECT_EQ(cal.AddCalendarDays(T("2026-10-01T09:00:00+08:00"), -3).last_day, D("2026-10-08"));
}

TEST(CalendarTest, WorkingDayOnOrAfter) {
  const Calendar& cal = Builtin();
  EXPECT_EQ(cal.WorkingDayOnOrAfter(D("2026-10-01")), D("2026-10-08"));
  EXPECT_EQ(cal.WorkingDayOnOrAfter(D("2026-10-10")), D("2026-10-10"));
  EXPECT_EQ(cal.WorkingDayOnOrAfter(D("2026-10-11")), D("2026-10-12"));
  EXPECT_EQ(cal.WorkingDayOnOrAfter(D("2040-06-02")), D("2040-06-04"));  // Saturday → Monday
  EXPECT_EQ(cal.WorkingDayOnOrAfter(D("2001-06-02")), D("2001-06-04"));
}

TEST(CalendarTest, BuildErrorsRTime3) {
  auto empty = Calendar::Build({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().rule(), "R-TIME-3");

  std::vector<YearSchedule> two = Builtin().schedules();
  two.push_back(Builtin().schedules().back());
  auto dup = Calendar::Build(two);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(dup.status().field(), "years[9].year");
  EXPECT_NE(dup.status().message().find("2026"), std::string::npos);

  // Two notices naming the same day: 2018 claims 2018-12-29, which the 2019 notice also names.
  std::vector<YearSchedule> clash = Builtin().schedules();
  clash[0].workdays.push_back({D("2018-12-29"), "元旦"});
  auto conflict = Calendar::Build(clash);
  ASSERT_FALSE(conflict.ok());
  EXPECT_NE(conflict.status().message().find("2018-12-29"), std::string::npos)
      << conflict.status().ToString();

  // An invalid schedule is reported with its index.
  std::vector<YearSchedule> bad = Builtin().schedules();
  bad[8].workdays.push_back({D("2026-11-25"), "国庆节"});  // a Wednesday
  auto invalid = Calendar::Build(bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().field(), "years[8].workdays[6].date");
  EXPECT_EQ(invalid.status().rule(), "R-TIME-3");
}

TEST(CalendarTest, VersionTracksContentRTime3) {
  const Calendar& cal = Builtin();
  // Order of input does not matter.
  std::vector<YearSchedule> reversed(cal.schedules().rbegin(), cal.schedules().rend());
  auto same = Calendar::Build(reversed);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version(), cal.version());
  // Any change to any schedule changes the version.
  YearSchedule changed = *cal.year(2022);
  changed.published = "2021-10-26";
  auto other = cal.WithYear(changed);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->version(), cal.version());
  EXPECT_EQ(other->version().substr(0, 14), "cal-2018-2026-");
  // Deadlines carry the version that computed them.
  EXPECT_EQ(other->AddWorkingDays(D("2026-01-05"), 1).version, other->version());
}

TEST(CalendarTest, WithYearLoadsANewNoticeRTime3) {
  const Calendar& cal = Builtin();
  auto next = cal.WithYear(Fake2027());
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->years().back(), 2027);
  EXPECT_EQ(next->version().substr(0, 14), "cal-2018-2027-");
  // 2027 is no longer provisional; its 元旦 is a holiday.
  Deadline d = next->AddWorkingDays(D("2026-12-31"), 1);
  EXPECT_EQ(d.last_day, D("2027-01-04"));
  EXPECT_FALSE(d.provisional);
  EXPECT_TRUE(next->Day(D("2027-01-09")).makeup_workday);
  EXPECT_TRUE(next->Day(D("2028-01-03")).provisional);
  // The original calendar is untouched.
  EXPECT_TRUE(cal.AddWorkingDays(D("2026-12-31"), 1).provisional);
  // Replacing a loaded year keeps one schedule per year.
  auto replaced = next->WithYear(Fake2027());
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->version(), next->version());
  EXPECT_EQ(replaced->years().size(), 10u);
}

TEST(CalendarTest, ConcurrentReadsAgreeWithSingleThreaded) {
  const Calendar& cal = Builtin();
  std::vector<CivilDay> expected;
  for (int i = 0; i < 2000; ++i)
    expected.push_back(cal.AddWorkingDays(D("2017-01-01") + days(i * 2), i % 40).last_day);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int rep = 0; rep < 20; ++rep)
        for (int i = 0; i < 2000; ++i)
          if (cal.AddWorkingDays(D("2017-01-01") + days(i * 2), i % 40).last_day != expected[i])
            ++mismatches;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace xietong::calendar
