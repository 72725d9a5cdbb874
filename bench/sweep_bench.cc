// bench/sweep_bench: times the deadline sweeper (jobs::Sweeper::RunOnce) on a
// database that bench/datagen filled, at the instants datagen prepared
// (job_state `bench.sweep_t0`, `bench.sweep_runs`, `bench.sweep_changes`): a
// first pass at t0 that must change nothing, then one pass at t0 + k minutes
// for k = 1 .. runs, each of which must turn exactly `changes` duties yellow.
// Prints each pass and the median of the measured ones; exit status 1 when a
// pass did not change exactly what was prepared. The passes change the
// database: run it on a copy.
//
//   bench/sweep_bench --db sqlite:var/bench/copy.db
//   bench/sweep_bench --db postgres://postgres@127.0.0.1:55432/bench
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/time.h"
#include "jobs/sweeper.h"
#include "service/calendar_service.h"
#include "service/sweep_service.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace xietong::bench {
namespace {

int Main(int argc, char **argv) {
  std::string db;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) {
      db = argv[++i];
    } else {
      std::cerr << "usage: sweep_bench --db URL\n";
      return 2;
    }
  }
  core::Result<std::unique_ptr<storage::Store>> store =
      core::Status::Invalid("db", "--db");
  if (db.rfind("sqlite:", 0) == 0) {
    storage::SqliteOptions o;
    o.path = db.substr(7);
    store = storage::OpenSqliteStore(o);
  } else if (db.rfind("postgres", 0) == 0) {
    storage::PgOptions o;
    o.dsn = db;
    store = storage::OpenPgStore(o);
  }
  if (!store.ok()) {
    std::cerr << "sweep_bench: " << store.status().ToString() << "\n";
    return 2;
  }
  std::optional<std::string> t0s, runs_s, changes_s;
  core::Status st = (*store)->Read([&](storage::Tx &tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(t0s, tx.GetState("bench.sweep_t0"));
    XT_ASSIGN_OR_RETURN(runs_s, tx.GetState("bench.sweep_runs"));
    XT_ASSIGN_OR_RETURN(changes_s, tx.GetState("bench.sweep_changes"));
    return core::Status::Ok();
  });
  std::optional<core::Instant> t0 =
      t0s ? core::ParseInstant(*t0s) : std::nullopt;
  if (!st.ok() || !t0 || !runs_s || !changes_s) {
    std::cerr << "sweep_bench: not a bench/datagen database\n";
    return 2;
  }
  const int runs = std::stoi(*runs_s), changes = std::stoi(*changes_s);
  core::FakeClock clock(*t0);
  service::CalendarService calendars(**store, clock);
  if (core::Status s = calendars.Load(); !s.ok()) {
    std::cerr << "sweep_bench: " << s.ToString() << "\n";
    return 2;
  }
  service::SweepService sweeps(**store, clock, calendars);
  jobs::Sweeper sweeper(sweeps);
  bool ok = true;
  std::vector<double> ms;
  for (int k = 0; k <= runs; ++k) {
    clock.Set(*t0 + std::chrono::minutes(k));
    const auto start = std::chrono::steady_clock::now();
    jobs::SweepResult r = sweeper.RunOnce();
    const double elapsed = std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - start)
                               .count();
    const int want = k == 0 ? 0 : changes;
    const bool good = r.status.ok() && r.turned_yellow + r.turned_red == want;
    ok = ok && good;
    std::printf("sweep %d at %s: %d yellow, %d red, %d notified, %.1f ms%s\n",
                k, core::FormatInstant(clock.Now()).c_str(), r.turned_yellow,
                r.turned_red, r.notified, elapsed, good ? "" : "  UNEXPECTED");
    if (!r.status.ok())
      std::printf("  error: %s\n", r.status.ToString().c_str());
    if (k > 0)
      ms.push_back(elapsed);
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms.empty() ? 0 : ms[ms.size() / 2];
  std::printf("sweep median %.1f ms over %d runs of %d changes (%s)\n", median,
              runs, changes, db.substr(0, db.find(':')).c_str());
  return ok ? 0 : 1;
}

} // namespace
} // namespace xietong::bench

int main(int argc, char **argv) { return xietong::bench::Main(argc, argv); }
