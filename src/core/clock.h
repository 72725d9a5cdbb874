// Clock: the only way domain, calendar users and jobs learn the time (time is injected).
//
// SystemClock reads the real clock. FakeClock is set and advanced by tests (and by the server in
// test mode, behind --fake-clock). Both are thread-safe.
#pragma once

#include <atomic>

#include "core/time.h"

namespace xietong::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : ms_(ToMillis(start)) {}
  Instant Now() const override { return FromMillis(ms_.load()); }
  void Set(Instant t) { ms_.store(ToMillis(t)); }
  void Advance(std::chrono::milliseconds d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace xietong::core
