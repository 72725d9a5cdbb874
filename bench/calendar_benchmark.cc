// Working-day calendar throughput (R-TIME-1): the O(1) table lookups against a naive
// day-by-day loop over the same calendar, in one run. See bench/README.md.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <vector>

#include "calendar/builtin_schedules.h"
#include "calendar/calendar.h"

namespace xietong::calendar {
namespace {

using std::chrono::days;

const Calendar& Cal() {
  static const Calendar* cal = [] {
    auto r = BuiltinCalendar();
    if (!r.ok()) std::abort();
    return new Calendar(std::move(r).value());
  }();
  return *cal;
}

struct Query {
  core::Instant event;
  core::Instant to;
  int n;
};

// 4096 random instants within 2018–2026 (Shanghai), n in 1..30; `to` up to 60 days later.
const std::vector<Query>& Queries() {
  static const std::vector<Query> queries = [] {
    std::mt19937_64 rng(42);
    const int64_t lo = core::ToMillis(core::ShanghaiMidnight(*core::ParseDay("2018-01-01")));
    const int64_t hi = core::ToMillis(core::ShanghaiMidnight(*core::ParseDay("2027-01-01"))) - 1;
    std::uniform_int_distribution<int64_t> t(lo, hi);
    std::uniform_int_distribution<int> n(1, 30);
    std::uniform_int_distribution<int64_t> span_ms(0, 60LL * 86'400'000);
    std::vector<Query> q(4096);
    for (Query& x : q) {
      x.event = core::FromMillis(t(rng));
      x.to = x.event + std::chrono::milliseconds(span_ms(rng));
      x.n = n(rng);
    }
    return q;
  }();
  return queries;
}

// The obvious implementation: step one day at a time, asking the calendar about each day.
Deadline NaiveAddWorkingDays(const Calendar& cal, core::Instant event, int n) {
  CivilDay d = core::ShanghaiDay(event);
  bool provisional = false;
  for (int count = 0; count < n;) {
    d += days(1);
    provisional = provisional || cal.IsProvisional(d);
    if (cal.IsWorkingDay(d)) ++count;
  }
  return Deadline{core::ShanghaiMidnight(d + days(1)), d, provisional, cal.version()};
}

void BM_AddWorkingDays(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  size_t i = 0;
  for (auto _ : state) {
    const Query& x = q[i++ & 4095];
    benchmark::DoNotOptimize(cal.AddWorkingDays(x.event, x.n));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDays);

void BM_NaiveAddWorkingDaysLoop(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  size_t i = 0;
  for (auto _ : state) {
    const Query& x = q[i++ & 4095];
    benchmark::DoNotOptimize(NaiveAddWorkingDays(cal, x.event, x.n));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NaiveAddWorkingDaysLoop);

void BM_Day(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.Day(core::ShanghaiDay(q[i++ & 4095].event)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Day);

void BM_IsWorkingDay(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.IsWorkingDay(core::ShanghaiDay(q[i++ & 4095].event)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsWorkingDay);

void BM_WorkingDaysBetween(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  size_t i = 0;
  for (auto _ : state) {
    const Query& x = q[i++ & 4095];
    benchmark::DoNotOptimize(cal.WorkingDaysBetween(x.event, x.to));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WorkingDaysBetween);

void BM_AddCalendarDays(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  size_t i = 0;
  for (auto _ : state) {
    const Query& x = q[i++ & 4095];
    benchmark::DoNotOptimize(cal.AddCalendarDays(x.event, x.n));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddCalendarDays);

// Beyond the table (2040): O(1) weekday arithmetic, provisional.
void BM_AddWorkingDaysOutsideTable(benchmark::State& state) {
  const Calendar& cal = Cal();
  const auto& q = Queries();
  const auto shift = std::chrono::duration_cast<std::chrono::milliseconds>(days(20 * 365));
  size_t i = 0;
  for (auto _ : state) {
    const Query& x = q[i++ & 4095];
    benchmark::DoNotOptimize(cal.AddWorkingDays(x.event + shift, x.n));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDaysOutsideTable);

}  // namespace
}  // namespace xietong::calendar
