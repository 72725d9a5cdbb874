#include "http/request.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace xietong::http {
namespace {

TEST(PercentDecodeTest, DecodesUtf8AndPlus) {
  EXPECT_EQ(PercentDecode("%E4%B8%AD%E6%96%87", false), "中文");
  EXPECT_EQ(PercentDecode("a+b%20c", true), "a b c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("", false), "");
}

TEST(PercentDecodeTest, RejectsBadEscapes) {
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("abc%4", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
}

TEST(RequestTest, SetTargetSplitsAndDecodes) {
  Request r;
  ASSERT_TRUE(
      r.SetTarget("/api/v1/orgs/%E5%8E%BF?q=%E6%89%A7%E6%B3%95+%E5%B1%80&a=1&a=2&flag&=x").ok());
  EXPECT_EQ(r.target, "/api/v1/orgs/%E5%8E%BF?q=%E6%89%A7%E6%B3%95+%E5%B1%80&a=1&a=2&flag&=x");
  EXPECT_EQ(r.path, "/api/v1/orgs/县");
  ASSERT_EQ(r.query.size(), 5u);
  EXPECT_EQ(r.query_param("q"), "执法 局");
  EXPECT_EQ(r.query_param("a"), "1");  // first wins
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query[4].first, "");
  EXPECT_FALSE(r.query_param("missing"));
}

TEST(RequestTest, SetTargetAbsoluteFormAndErrors) {
  Request r;
  ASSERT_TRUE(r.SetTarget("http://example.com/a/b?x=1").ok());
  EXPECT_EQ(r.path, "/a/b");
  EXPECT_EQ(r.query_param("x"), "1");
  ASSERT_TRUE(r.SetTarget("http://example.com").ok());
  EXPECT_EQ(r.path, "/");

  auto st = r.SetTarget("/a%zz");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.id(), "bad_request");
  EXPECT_EQ(st.field(), "target");
  EXPECT_FALSE(r.SetTarget("no-slash").ok());
  EXPECT_FALSE(r.SetTarget("/a%00b").ok());
  EXPECT_FALSE(r.SetTarget("/a?x=%G1").ok());
}

TEST(RequestTest, HeaderLookupIsCaseInsensitive) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"X-Thing", "1"}, {"x-thing", "2"}};
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(r.header("X-THING"), "1");
  EXPECT_FALSE(r.header("accept"));
}

TEST(RequestTest, Cookies) {
  Request r;
  r.headers = {{"Cookie", "a=1; xt_session=abc.def ; q=\"quoted\""}, {"cookie", "late=2"}};
  EXPECT_EQ(r.cookie("xt_session"), "abc.def");
  EXPECT_EQ(r.cookie("a"), "1");
  EXPECT_EQ(r.cookie("q"), "quoted");
  EXPECT_EQ(r.cookie("late"), "2");
  EXPECT_FALSE(r.cookie("xt"));
  EXPECT_FALSE(r.cookie("missing"));
}

TEST(RequestTest, QueryInt) {
  Request r;
  ASSERT_TRUE(r.SetTarget("/x?page=3&bad=3x&empty=&neg=-5").ok());
  auto page = r.query_int("page");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(*page, std::optional<int64_t>(3));
  EXPECT_EQ(*r.query_int("neg"), std::optional<int64_t>(-5));
  EXPECT_EQ(*r.query_int("empty"), std::nullopt);
  EXPECT_EQ(*r.query_int("absent"), std::nullopt);
  auto bad = r.query_int("bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "bad");
  EXPECT_EQ(bad.status().message(), "参数 bad 应为整数");
}

TEST(RequestTest, PathParams) {
  Request r;
  r.path_params = {{"id", "42"}, {"zero", "0"}, {"text", "abc"}};
  EXPECT_EQ(r.path_param("id"), "42");
  EXPECT_FALSE(r.path_param("nope"));
  auto id = r.path_int("id");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 42);
  for (const char* name : {"zero", "text", "nope"}) {
    auto bad = r.path_int(name);
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_EQ(bad.status().id(), "invalid_id");
    EXPECT_EQ(bad.status().field(), name);
  }
}

TEST(ResponseTest, AddHeaderAndLookup) {
  Response res;
  res.AddHeader("Location", "/x").AddHeader("Set-Cookie", "a=1");
  EXPECT_EQ(res.header("location"), "/x");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json; charset=utf-8");
}

TEST(EventStreamTest, FormatsEvents) {
  EventStream s;
  EXPECT_TRUE(s.Push("referral", "{\"id\":1}"));
  EXPECT_TRUE(s.Push("", "line1\nline2\r\nline3", "7"));
  EXPECT_TRUE(s.Push("bad\nname", "x"));
  std::string out;
  EXPECT_TRUE(s.Drain(out));
  EXPECT_EQ(out,
            "event: referral\ndata: {\"id\":1}\n\n"
            "id: 7\ndata: line1\ndata: line2\ndata: line3\n\n"
            "event: badname\ndata: x\n\n");
  out.clear();
  EXPECT_TRUE(s.Drain(out));
  EXPECT_EQ(out, "");
}

TEST(EventStreamTest, CloseKeepsQueuedEventsAndRunsOnCloseOnce) {
  EventStream s;
  int closed = 0;
  int notified = 0;
  s.SetNotifier([&] { ++notified; });
  s.OnClose([&] { ++closed; });
  EXPECT_TRUE(s.Push("a", "1"));
  EXPECT_EQ(notified, 1);
  s.Close();
  s.Close();
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(notified, 2);
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.Push("b", "2"));
  std::string out;
  EXPECT_FALSE(s.Drain(out));
  EXPECT_EQ(out, "event: a\ndata: 1\n\n");
  int late = 0;
  s.OnClose([&] { ++late; });  // already closed: runs at once
  EXPECT_EQ(late, 1);
}

TEST(EventStreamTest, AbandonDropsQueueAndNotifier) {
  EventStream s;
  int notified = 0;
  bool closed = false;
  s.SetNotifier([&] { ++notified; });
  s.OnClose([&] { closed = true; });
  ASSERT_TRUE(s.Push("a", "1"));
  s.Abandon();
  EXPECT_TRUE(closed);
  EXPECT_EQ(notified, 1);  // not called again by Abandon
  std::string out;
  EXPECT_FALSE(s.Drain(out));
  EXPECT_EQ(out, "");
}

TEST(EventStreamTest, OverflowClosesTheStream) {
  EventStream s;
  for (size_t i = 0; i < EventStream::kMaxQueued; ++i) ASSERT_TRUE(s.Push("e", "x"));
  EXPECT_FALSE(s.Push("e", "x"));
  EXPECT_TRUE(s.closed());
}

TEST(EventStreamTest, ConcurrentPushers) {
  EventStream s;
  std::atomic<int> notified{0};
  s.SetNotifier([&] { notified.fetch_add(1); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) s.Push("e", "x");
    });
  std::string out;
  for (int i = 0; i < 50; ++i) s.Drain(out);
  for (auto& t : threads) t.join();
  s.Drain(out);
  EXPECT_EQ(notified.load(), 400);
  size_t count = 0;
  for (size_t pos = 0; (pos = out.find("event: e\n", pos)) != std::string::npos; ++pos) ++count;
  EXPECT_EQ(count, 400u);
}

// ---- serve --trusted-proxy: which forwarded address is believed from which peer ----

Request WithHeaders(std::vector<std::pair<std::string, std::string>> headers) {
  Request r;
  r.headers = std::move(headers);
  return r;
}

const std::vector<std::string> kProxies = {"10.0.0.1", "10.0.0.2", "::1"};

TEST(ClientAddressTest, AnUntrustedPeerIsTheClientWhateverItSays) {
  // A spoof from a peer that is not our proxy is ignored.
  Request r = WithHeaders({{"X-Forwarded-For", "1.2.3.4"}, {"X-Real-IP", "5.6.7.8"}});
  EXPECT_EQ(ClientAddress("203.0.113.9", r, false, kProxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress("203.0.113.9", r, false, {}), "203.0.113.9");
  EXPECT_EQ(ClientAddress("10.0.0.3", r, false, kProxies), "10.0.0.3");  // not in the list
  // No proxies configured: always the peer.
  EXPECT_EQ(ClientAddress("10.0.0.1", r, false, {}), "10.0.0.1");
}

TEST(ClientAddressTest, ATrustedPeersRightmostForwardedEntryIsTheClient) {
  // The client may prepend anything; the entry our proxy appended is the rightmost.
  Request r = WithHeaders({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", r, false, kProxies), "198.51.100.7");
  EXPECT_EQ(ClientAddress("::1", r, false, kProxies), "198.51.100.7");
  // Header names are case-insensitive; blanks around entries are ignored.
  Request lower = WithHeaders({{"x-forwarded-for", "  198.51.100.7\t"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", lower, false, kProxies), "198.51.100.7");
  // IPv6 clients.
  Request v6 = WithHeaders({{"X-Forwarded-For", "2001:db8::7"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", v6, false, kProxies), "2001:db8::7");
  // trust_all (ServerOptions::trust_x_forwarded_for): any peer is a proxy.
  EXPECT_EQ(ClientAddress("203.0.113.9", r, true, {}), "198.51.100.7");
}

TEST(ClientAddressTest, AChainOfOurProxiesIsSkipped) {
  // client → 10.0.0.2 → 10.0.0.1 → us: the entry left of our own proxies is the client.
  Request r = WithHeaders({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.2"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", r, false, kProxies), "198.51.100.7");
  // Several X-Forwarded-For fields are one list, in order.
  Request split = WithHeaders({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"},
                               {"X-Forwarded-For", "10.0.0.2"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", split, false, kProxies), "198.51.100.7");
  // Only our proxies: the leftmost of them.
  Request only = WithHeaders({{"X-Forwarded-For", "10.0.0.2"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", only, false, kProxies), "10.0.0.2");
}

TEST(ClientAddressTest, MalformedValuesAreNotBelieved) {
  // Garbage rightmost: X-Real-IP, else the peer.
  for (const char* bad : {"", " ", "unknown", "1.2.3.4:80", "[2001:db8::1]", "1.2.3", "999.1.1.1",
                          "1.2.3.4 5.6.7.8", "fe80::1%eth0", "<script>", "1.2.3.4,"}) {
    SCOPED_TRACE(bad);
    Request r = WithHeaders({{"X-Forwarded-For", bad}});
    EXPECT_EQ(ClientAddress("10.0.0.1", r, false, kProxies), "10.0.0.1");
    Request with_real = WithHeaders({{"X-Forwarded-For", bad}, {"X-Real-IP", "198.51.100.8"}});
    EXPECT_EQ(ClientAddress("10.0.0.1", with_real, false, kProxies), "198.51.100.8");
  }
  // A malformed entry stops the walk: nothing left of it is believed.
  Request r = WithHeaders({{"X-Forwarded-For", "6.6.6.6, junk, 10.0.0.2"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", r, false, kProxies), "10.0.0.2");
  // A malformed X-Real-IP is ignored too.
  Request real = WithHeaders({{"X-Real-IP", "nobody"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", real, false, kProxies), "10.0.0.1");
}

TEST(ClientAddressTest, XRealIpFromATrustedPeerOnly) {
  Request r = WithHeaders({{"X-Real-IP", " 198.51.100.8 "}});
  EXPECT_EQ(ClientAddress("10.0.0.1", r, false, kProxies), "198.51.100.8");
  EXPECT_EQ(ClientAddress("203.0.113.9", r, false, kProxies), "203.0.113.9");
  // X-Forwarded-For wins when both give an address.
  Request both = WithHeaders({{"X-Real-IP", "198.51.100.8"}, {"X-Forwarded-For", "198.51.100.7"}});
  EXPECT_EQ(ClientAddress("10.0.0.1", both, false, kProxies), "198.51.100.7");
  // No headers: the peer.
  EXPECT_EQ(ClientAddress("10.0.0.1", Request{}, false, kProxies), "10.0.0.1");
}

TEST(ClientAddressTest, IsIpAddress) {
  for (const char* ok : {"127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::7",
                         "::ffff:192.0.2.1"}) {
    EXPECT_TRUE(IsIpAddress(ok)) << ok;
  }
  for (const char* bad : {"", "localhost", "1.2.3.4:80", "[::1]", "01.2.3.4x", "::1%lo",
                          "1.2.3.4 ", "2001:db8::7::1"}) {
    EXPECT_FALSE(IsIpAddress(bad)) << bad;
  }
}

}  // namespace
}  // namespace xietong::http
