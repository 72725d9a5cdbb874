#include "jobs/sweeper.h"

#include <utility>

namespace xietong::jobs {

Sweeper::Sweeper(service::SweepService& sweeps, SweeperOptions options)
    : sweeps_(sweeps), options_(options) {}

Sweeper::~Sweeper() { Stop(); }

SweepResult Sweeper::RunOnce() { return sweeps_.Sweep(); }

void Sweeper::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Sweeper::Stop() {
  std::thread t;
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
    t = std::move(thread_);
  }
  cv_.notify_all();
  t.join();
}

void Sweeper::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    (void)RunOnce();
    lock.lock();
    cv_.wait_for(lock, options_.interval, [this] { return stop_; });
  }
}

}  // namespace xietong::jobs
