#include "http/metrics.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace xietong::http {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(MetricsTest, RendersRequestCounterAndHistogram) {
  Metrics m;
  m.ObserveRequest("/api/v1/orgs/{id}", "GET", 200, 0.003);
  m.ObserveRequest("/api/v1/orgs/{id}", "GET", 200, 0.2);
  m.ObserveRequest("/api/v1/orgs/{id}", "GET", 404, 7.0);
  m.ObserveRequest("", "BREW", 404, 0.0001);
  std::string text = m.Render();
  EXPECT_TRUE(Contains(text, "# TYPE xietong_http_requests_total counter\n"));
  EXPECT_TRUE(Contains(text,
                       "xietong_http_requests_total{route=\"/api/v1/orgs/"
                       "{id}\",method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_TRUE(Contains(text,
                       "xietong_http_requests_total{route=\"/api/v1/orgs/"
                       "{id}\",method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_TRUE(Contains(
      text,
      "xietong_http_requests_total{route=\"unmatched\",method=\"OTHER\",status=\"404\"} 1\n"));
  EXPECT_TRUE(Contains(text, "# TYPE xietong_http_request_duration_seconds histogram\n"));
  const std::string h = "xietong_http_request_duration_seconds";
  const std::string r = "route=\"/api/v1/orgs/{id}\"";
  EXPECT_TRUE(Contains(text, h + "_bucket{" + r + ",le=\"0.001\"} 0\n"));
  EXPECT_TRUE(Contains(text, h + "_bucket{" + r + ",le=\"0.0025\"} 0\n"));
  EXPECT_TRUE(Contains(text, h + "_bucket{" + r + ",le=\"0.005\"} 1\n"));
  EXPECT_TRUE(Contains(text, h + "_bucket{" + r + ",le=\"0.25\"} 2\n"));
  EXPECT_TRUE(Contains(text, h + "_bucket{" + r + ",le=\"5\"} 2\n"));
  EXPECT_TRUE(Contains(text, h + "_bucket{" + r + ",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(text, h + "_sum{" + r + "} 7.203\n"));
  EXPECT_TRUE(Contains(text, h + "_count{" + r + "} 3\n"));
  EXPECT_TRUE(Contains(text, h + "_bucket{route=\"unmatched\",le=\"0.001\"} 1\n"));
  EXPECT_EQ(m.RequestCount("/api/v1/orgs/{id}", "GET", 200), 2u);
  EXPECT_EQ(m.RequestCount("", "BREW", 404), 1u);
  EXPECT_EQ(m.RequestCount("/x", "GET", 200), 0u);
}

TEST(MetricsTest, BucketBoundariesAreInclusive) {
  Metrics m;
  m.ObserveRequest("/r", "GET", 200, 0.001);  // le="0.001" includes 0.001
  std::string text = m.Render();
  EXPECT_TRUE(Contains(
      text, "xietong_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.001\"} 1\n"));
}

TEST(MetricsTest, DbInflightProcessAndGauges) {
  Metrics m;
  m.ObserveDb(0.0004);
  m.ObserveDb(0.03);
  m.InflightInc();
  m.InflightInc();
  m.InflightDec();
  EXPECT_EQ(m.inflight(), 1);
  double sessions = 3;
  m.RegisterGauge("xietong_sessions_active", "Active sessions.", [&] { return sessions; });
  EXPECT_THROW(m.RegisterGauge("xietong_sessions_active", "x", [] { return 0.0; }),
               std::invalid_argument);
  EXPECT_THROW(m.RegisterGauge("bad name", "x", [] { return 0.0; }), std::invalid_argument);
  std::string text = m.Render();
  EXPECT_TRUE(Contains(text, "# TYPE xietong_db_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, "xietong_db_seconds_bucket{le=\"0.001\"} 1\n"));
  EXPECT_TRUE(Contains(text, "xietong_db_seconds_bucket{le=\"0.025\"} 1\n"));
  EXPECT_TRUE(Contains(text, "xietong_db_seconds_bucket{le=\"0.05\"} 2\n"));
  EXPECT_TRUE(Contains(text, "xietong_db_seconds_count 2\n"));
  EXPECT_TRUE(Contains(text, "xietong_db_seconds_sum 0.0304\n"));
  EXPECT_TRUE(Contains(text, "# TYPE xietong_http_inflight gauge\nxietong_http_inflight 1\n"));
  EXPECT_TRUE(Contains(text, "process_start_time_seconds 1"));  // epoch seconds, 17xxxxxxxx
  EXPECT_TRUE(Contains(text, "process_resident_memory_bytes "));
  EXPECT_TRUE(Contains(text, "# HELP xietong_sessions_active Active sessions.\n"));
  EXPECT_TRUE(Contains(text, "xietong_sessions_active 3\n"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.ObserveRequest("/a\"b\\c\nd", "GET", 200, 0.01);
  EXPECT_TRUE(Contains(m.Render(), "route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(MetricsTest, EveryLineIsWellFormed) {
  Metrics m;
  m.ObserveRequest("/a", "POST", 201, 0.02);
  m.ObserveDb(1);
  std::string text = m.Render();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ASSERT_FALSE(line.empty());
    if (line[0] == '#') {
      EXPECT_TRUE(line.starts_with("# HELP ") || line.starts_with("# TYPE ")) << line;
      continue;
    }
    size_t space = line.rfind(' ');
    ASSERT_NE(space, std::string::npos) << line;
    std::string value = line.substr(space + 1);
    EXPECT_NO_THROW((void)std::stod(value)) << line;
  }
}

TEST(MetricsTest, ConcurrentObservations) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 5000; ++i)
        m.ObserveRequest(i % 2 ? "/a" : "/b/{id}", "GET", t % 2 ? 200 : 500, 0.001 * (i % 7));
    });
  }
  std::thread reader([&m] {
    for (int i = 0; i < 20; ++i) (void)m.Render();
  });
  for (auto& t : threads) t.join();
  reader.join();
  uint64_t total = 0;
  for (const char* route : {"/a", "/b/{id}"})
    for (int status : {200, 500}) total += m.RequestCount(route, "GET", status);
  EXPECT_EQ(total, 20000u);
}

TEST(MetricsTest, MetricsResponse) {
  Metrics m;
  Response res = MetricsResponse(m);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(Contains(res.body, "xietong_http_inflight 0\n"));
}

}  // namespace
}  // namespace xietong::http
