// Metrics: counters and histograms for Prometheus (text exposition format 0.0.4).
//
// Series:
//   xietong_http_requests_total{route,method,status}       counter
//   xietong_http_request_duration_seconds{route}            histogram
//   xietong_http_inflight                                   gauge
//   xietong_db_seconds                                      histogram (storage calls)
//   process_start_time_seconds, process_resident_memory_bytes  gauges
//   plus gauges registered with RegisterGauge().
// Buckets (seconds): .001 .0025 .005 .01 .025 .05 .1 .25 .5 1 2.5 5.
// Requests without a matched route are labelled route="unmatched". Methods outside the
// standard set are labelled "OTHER" so clients cannot inflate the label space.
//
// Thread safety: all methods are thread-safe. The hot path (ObserveRequest) takes a shared
// (reader) lock for one hash lookup and updates atomics; only the first observation of a new
// label set takes the exclusive lock. ObserveDb and Inflight* are lock-free.
//
//   Metrics metrics;
//   metrics.ObserveRequest("/api/v1/orgs/{id}", "GET", 200, 0.0031);
//   router.Add("GET", "/metrics", [&](Request&) { return MetricsResponse(metrics); });
//   // storage is below http: cli wires its timing hook to metrics.ObserveDb(seconds).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/request.h"

namespace xietong::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {.001, .0025, .005, .01, .025, .05,
                                                      .1,   .25,   .5,   1,   2.5,  5};

  // Records the process start time (now).
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one finished HTTP request and its duration. `route` is the matched pattern
  // ("" becomes "unmatched").
  void ObserveRequest(std::string_view route, std::string_view method, int status, double seconds);
  // Records one storage call (or transaction) that took `seconds`.
  void ObserveDb(double seconds);
  // The number of requests being handled (the server brackets each request).
  void InflightInc() { inflight_.fetch_add(1, std::memory_order_relaxed); }
  void InflightDec() { inflight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t inflight() const { return inflight_.load(std::memory_order_relaxed); }

  // Adds a gauge read at render time: `name` (a valid metric name, unique), its HELP text, and
  // `read` (called under a lock; must be quick and must not call this Metrics).
  // REQUIRES: name matches [a-zA-Z_:][a-zA-Z0-9_:]*; throws std::invalid_argument otherwise.
  void RegisterGauge(std::string name, std::string help, std::function<double()> read);

  // The count recorded for one (route, method, status), for tests; 0 if never seen.
  uint64_t RequestCount(std::string_view route, std::string_view method, int status) const;

  // Everything in Prometheus text format 0.0.4, series sorted by labels.
  std::string Render() const;

 private:
  struct Histogram;
  struct Counter;
  struct Gauge;

  const double start_time_seconds_;
  std::atomic<int64_t> inflight_{0};
  mutable std::shared_mutex mu_;
  // Key: route '\n' method '\n' status.
  std::unordered_map<std::string, std::unique_ptr<Counter>> requests_;
  std::unordered_map<std::string, std::unique_ptr<Histogram>> durations_;
  std::unique_ptr<Histogram> db_;
  std::vector<Gauge> gauges_;
};

// GET /metrics: Render() with Content-Type "text/plain; version=0.0.4; charset=utf-8".
Response MetricsResponse(const Metrics& metrics);

}  // namespace xietong::http
