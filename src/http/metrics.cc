#include "http/metrics.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace xietong::http {

struct Metrics::Histogram {
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> counts{};  // last: > 5 s
  std::atomic<uint64_t> sum_ns{0};
  std::atomic<uint64_t> count{0};

  void Observe(double seconds) {
    if (!(seconds >= 0)) seconds = 0;  // also catches NaN
    size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
    counts[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns.fetch_add(static_cast<uint64_t>(seconds * 1e9 + 0.5), std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
  }
};

struct Metrics::Counter {
  std::string route;
  std::string method;
  int status = 0;
  Histogram* duration = nullptr;  // this route's histogram, owned by durations_
  std::atomic<uint64_t> value{0};
};

struct Metrics::Gauge {
  std::string name;
  std::string help;
  std::function<double()> read;
};

namespace {

double NowSeconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string_view NormalizeMethod(std::string_view m) {
  static constexpr std::string_view kKnown[] = {"GET",    "HEAD",    "POST", "PUT",
                                                "DELETE", "OPTIONS", "PATCH"};
  for (auto k : kKnown)
    if (m == k) return k;
  return "OTHER";
}

std::string_view NormalizeRoute(std::string_view r) { return r.empty() ? "unmatched" : r; }

void BuildKey(std::string& key, std::string_view route, std::string_view method, int status) {
  key.clear();
  key.append(route);
  key.push_back('\n');
  key.append(method);
  key.push_back('\n');
  char buf[16];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, status);
  (void)ec;
  key.append(buf, p);
}

void AppendEscaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

void AppendNumber(std::string& out, double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) {
    out += "NaN";
    return;
  }
  out.append(buf, p);
}

void AppendNumber(std::string& out, uint64_t v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, p);
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// `labels` is either empty or `key="value"` pairs without braces, already escaped.
template <typename H>
void AppendHistogram(std::string& out, std::string_view name, std::string_view labels, const H& h) {
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= Metrics::kBuckets.size(); ++i) {
    cumulative += h.counts[i].load(std::memory_order_relaxed);
    out += name;
    out += "_bucket{";
    if (!labels.empty()) {
      out += labels;
      out += ',';
    }
    out += "le=\"";
    if (i < Metrics::kBuckets.size()) {
      AppendNumber(out, Metrics::kBuckets[i]);
    } else {
      out += "+Inf";
    }
    out += "\"} ";
    AppendNumber(out, cumulative);
    out += '\n';
  }
  std::string suffix_labels = labels.empty() ? "" : "{" + std::string(labels) + "}";
  out += name;
  out += "_sum";
  out += suffix_labels;
  out += ' ';
  AppendNumber(out, static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9);
  out += '\n';
  out += name;
  out += "_count";
  out += suffix_labels;
  out += ' ';
  // _count equals the +Inf bucket; use the cumulative sum so they always agree.
  AppendNumber(out, cumulative);
  out += '\n';
}

bool ValidMetricName(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

double ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

Metrics::Metrics() : start_time_seconds_(NowSeconds()), db_(std::make_unique<Histogram>()) {}
Metrics::~Metrics() = default;

void Metrics::ObserveRequest(std::string_view route, std::string_view method, int status,
                             double seconds) {
  route = NormalizeRoute(route);
  method = NormalizeMethod(method);
  thread_local std::string key;
  BuildKey(key, route, method, status);
  Counter* counter = nullptr;
  {
    std::shared_lock lock(mu_);
    auto it = requests_.find(key);
    if (it != requests_.end()) counter = it->second.get();
  }
  if (counter == nullptr) {
    std::unique_lock lock(mu_);
    auto& slot = requests_[key];
    if (!slot) {
      slot = std::make_unique<Counter>();
      slot->route.assign(route);
      slot->method.assign(method);
      slot->status = status;
      auto& hist = durations_[slot->route];
      if (!hist) hist = std::make_unique<Histogram>();
      slot->duration = hist.get();
    }
    counter = slot.get();
  }
  counter->value.fetch_add(1, std::memory_order_relaxed);
  counter->duration->Observe(seconds);
}

void Metrics::ObserveDb(double seconds) { db_->Observe(seconds); }

void Metrics::RegisterGauge(std::string name, std::string help, std::function<double()> read) {
  if (!ValidMetricName(name) || !read) throw std::invalid_argument("invalid gauge: " + name);
  std::unique_lock lock(mu_);
  for (const auto& g : gauges_)
    if (g.name == name) throw std::invalid_argument("gauge registered twice: " + name);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

uint64_t Metrics::RequestCount(std::string_view route, std::string_view method, int status) const {
  std::string key;
  BuildKey(key, NormalizeRoute(route), NormalizeMethod(method), status);
  std::shared_lock lock(mu_);
  auto it = requests_.find(key);
  return it == requests_.end() ? 0 : it->second->value.load(std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(4096);
  std::shared_lock lock(mu_);

  AppendHeader(out, "xietong_http_requests_total", "HTTP requests handled.", "counter");
  std::vector<const Counter*> counters;
  counters.reserve(requests_.size());
  for (const auto& [k, c] : requests_) counters.push_back(c.get());
  std::sort(counters.begin(), counters.end(), [](const Counter* a, const Counter* b) {
    if (a->route != b->route) return a->route < b->route;
    if (a->method != b->method) return a->method < b->method;
    return a->status < b->status;
  });
  for (const Counter* c : counters) {
    out += "xietong_http_requests_total{route=\"";
    AppendEscaped(out, c->route);
    out += "\",method=\"";
    AppendEscaped(out, c->method);
    out += "\",status=\"";
    AppendNumber(out, static_cast<uint64_t>(c->status));
    out += "\"} ";
    AppendNumber(out, c->value.load(std::memory_order_relaxed));
    out += '\n';
  }

  AppendHeader(out, "xietong_http_request_duration_seconds",
               "Time from a request being read to its response being handed to the socket.",
               "histogram");
  std::vector<std::pair<std::string_view, const Histogram*>> hists;
  hists.reserve(durations_.size());
  for (const auto& [route, h] : durations_) hists.emplace_back(route, h.get());
  std::sort(hists.begin(), hists.end());
  for (const auto& [route, h] : hists) {
    std::string labels = "route=\"";
    AppendEscaped(labels, route);
    labels += '"';
    AppendHistogram(out, "xietong_http_request_duration_seconds", labels, *h);
  }

  AppendHeader(out, "xietong_http_inflight", "HTTP requests being handled now.", "gauge");
  out += "xietong_http_inflight ";
  out += std::to_string(inflight_.load(std::memory_order_relaxed));
  out += '\n';

  AppendHeader(out, "xietong_db_seconds", "Time spent in storage calls.", "histogram");
  AppendHistogram(out, "xietong_db_seconds", "", *db_);

  AppendHeader(out, "process_start_time_seconds",
               "Start time of the process since unix epoch in seconds.", "gauge");
  out += "process_start_time_seconds ";
  AppendNumber(out, start_time_seconds_);
  out += '\n';

  AppendHeader(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
  out += "process_resident_memory_bytes ";
  AppendNumber(out, ResidentBytes());
  out += '\n';

  for (const auto& g : gauges_) {
    AppendHeader(out, g.name, g.help, "gauge");
    out += g.name;
    out += ' ';
    AppendNumber(out, g.read());
    out += '\n';
  }
  return out;
}

Response MetricsResponse(const Metrics& metrics) {
  Response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.headers.emplace_back("Cache-Control", "no-store");
  res.body = metrics.Render();
  return res;
}

}  // namespace xietong::http
