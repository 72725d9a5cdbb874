// bench/region_query_bench: the store's part of the regional views (issue 19, R-ACC-2) on a
// bench/datagen database — what a county 依法治县办's 待办 (all) and referral list and a city
// 依法治市办's overview ask the store once the scope is a region prefix (the region_prefix filters
// of storage/store.h), each timed N times in one read transaction and reported as the median.
//   region_query_bench --db sqlite:var/bench/s0.1-….db [--county 440102] [--city 4401] [--n 50]
// The overview repeats what WorkbenchService::Orgs does per org (open, red, yellow and late this
// month: four CountDuties) for the orgs of the region (OrgsInRegion), not for every org.
// Results and how to reproduce them: bench/README.md ("Regions").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "core/time.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace xietong::bench {
namespace {

using core::Result;
using core::Status;

int Main(int argc, char **argv) {
  std::string db, county = "440102", city = "4401";
  int n = 50;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) db = argv[++i];
    else if (a == "--county" && i + 1 < argc) county = argv[++i];
    else if (a == "--city" && i + 1 < argc) city = argv[++i];
    else if (a == "--n" && i + 1 < argc) n = std::max(1, std::stoi(argv[++i]));
    else {
      std::cerr << "usage: region_query_bench --db URL [--county 440102] [--city 4401] [--n 50]\n";
      return 2;
    }
  }
  core::Result<std::unique_ptr<storage::Store>> store = Status::Invalid("db", "--db");
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
    std::cerr << "region_query_bench: " << store.status().ToString() << "\n";
    return 2;
  }
  // The generator's clock: 2026-11-20 10:00 Shanghai.
  const core::Instant now = *core::ParseInstant("2026-11-20T10:00:00+08:00");
  const core::Instant month_start = *core::ParseInstant("2026-11-01T00:00:00+08:00");

  struct Load {
    const char *name;
    std::function<Result<int64_t>(storage::Tx &)> run;  // answers a row count, to print
  };
  std::vector<Load> loads = {
      {"county inbox: ListDuties+CountDuties (region, open, page of 20)",
       [&](storage::Tx &tx) -> Result<int64_t> {
         storage::DutyFilter f;
         f.region_prefix = county;
         f.state = domain::DutyState::kOpen;
         f.limit = 20;
         XT_ASSIGN_OR_RETURN(auto rows, tx.ListDuties(f));
         XT_ASSIGN_OR_RETURN(int64_t total, tx.CountDuties(f));
         (void)rows;
         return total;
       }},
      {"county list: ListReferrals+CountReferrals (region, closed, page of 50)",
       [&](storage::Tx &tx) -> Result<int64_t> {
         storage::ReferralFilter f;
         f.region_prefix = county;
         f.states = {domain::ReferralState::kClosed};
         f.limit = 50;
         XT_ASSIGN_OR_RETURN(auto rows, tx.ListReferrals(f));
         XT_ASSIGN_OR_RETURN(int64_t total, tx.CountReferrals(f));
         (void)rows;
         return total;
       }},
      {"city overview: 4 CountDuties per org of the city",
       [&](storage::Tx &tx) -> Result<int64_t> {
         XT_ASSIGN_OR_RETURN(auto orgs, tx.OrgsInRegion(city));
         for (const auto &[id, code] : orgs) {
           storage::DutyFilter f;
           f.owner_org_ids = {id};
           f.state = domain::DutyState::kOpen;
           XT_RETURN_IF_ERROR(tx.CountDuties(f).status());
           storage::DutyFilter red = f;
           red.due_at_le = now;
           XT_RETURN_IF_ERROR(tx.CountDuties(red).status());
           storage::DutyFilter yellow = f;
           yellow.yellow_at_le = now;
           yellow.due_at_gt = now;
           XT_RETURN_IF_ERROR(tx.CountDuties(yellow).status());
           storage::DutyFilter late = red;
           late.due_from = month_start;
           XT_RETURN_IF_ERROR(tx.CountDuties(late).status());
         }
         return static_cast<int64_t>(orgs.size());
       }},
  };
  for (const Load &l : loads) {
    std::vector<double> ms;
    int64_t rows = 0;
    for (int i = 0; i < n; ++i) {
      const auto start = std::chrono::steady_clock::now();
      Status st = (*store)->Read([&](storage::Tx &tx) -> Status {
        XT_ASSIGN_OR_RETURN(rows, l.run(tx));
        return Status::Ok();
      });
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      if (!st.ok()) {
        std::cerr << "region_query_bench: " << l.name << ": " << st.ToString() << "\n";
        return 1;
      }
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-72s n=%d rows=%lld median %.2f ms p90 %.2f ms max %.2f ms\n", l.name, n,
                static_cast<long long>(rows), ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
  }
  return 0;
}

}  // namespace
}  // namespace xietong::bench

int main(int argc, char **argv) { return xietong::bench::Main(argc, argv); }
