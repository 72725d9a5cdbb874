// The deadline sweeper (R-TIME-4): runs the deadline sweep (service/sweep_service.h) now and
// then every `interval` on a background thread. The sweep itself — which duties turned yellow
// or red, the events, notifications (exactly once, dedupe keys) and audit entries, batches,
// and on PostgreSQL FOR UPDATE SKIP LOCKED — is the service's; this class only schedules it and
// reaches data through it alone.
//
// Time comes only from the clock the service was given. Thread-safe: RunOnce() may run
// concurrently with itself, with the background thread and with other sweepers (in this or
// another process) on the same store.
//
//   service::SweepService sweeps(store, clock, calendars);
//   jobs::Sweeper sweeper(sweeps);
//   sweeper.Start();             // a pass now, then every minute
//   ...
//   sweeper.Stop();
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "service/sweep_service.h"

namespace xietong::jobs {

struct SweeperOptions {
  // Time between the starts of two passes when Start()ed.
  std::chrono::milliseconds interval{60000};
};

// What one pass did, its JSON and the state key it is recorded under (the service's).
using SweepResult = service::SweepResult;
using service::SweepResultJson;
inline constexpr const char* kLastRunKey = service::kSweepLastRunKey;

class Sweeper {
 public:
  // REQUIRES: `sweeps` outlives the sweeper.
  explicit Sweeper(service::SweepService& sweeps, SweeperOptions options = {});
  // Stops the background thread, if running.
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  // One pass at the clock's current time (SweepService::Sweep); recorded under kLastRunKey.
  // Never throws; errors are reported in SweepResult::status.
  SweepResult RunOnce();

  // Runs a pass now and then every `interval` on a background thread (idempotent).
  void Start();
  // Stops the background thread promptly (a pass under way finishes first) and joins it.
  // Idempotent.
  void Stop();

 private:
  void Run();

  service::SweepService& sweeps_;
  SweeperOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace xietong::jobs
