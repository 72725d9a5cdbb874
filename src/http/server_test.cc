// A real server on 127.0.0.1, exercised through plain POSIX sockets (no Beast here, so this
// test compiles fast and checks the bytes on the wire).
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "http/json_io.h"

namespace xietong::http {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string error_code() const {
    return std::string(json::parse(body).at("error").at("code").as_string());
  }
};

// A blocking client with a receive timeout, so a broken server fails the test, not hangs it.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until `pred(buffer)` holds or the peer closes / times out. Returns false on EOF or
  // timeout before pred held.
  template <typename Pred>
  bool ReadUntil(Pred pred) {
    while (!pred(buf_)) {
      char tmp[4096];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<size_t>(n));
    }
    return true;
  }

  // True when the peer closed the connection (EOF) within the receive timeout.
  bool ReadEof() {
    for (;;) {
      char tmp[4096];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n == 0) return true;
      if (n < 0) return false;
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }

  // Reads one response with a Content-Length body (or none for HEAD/204/304).
  std::optional<HttpResponse> ReadResponse(bool head_request = false) {
    if (!ReadUntil([](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }))
      return std::nullopt;
    size_t end = buf_.find("\r\n\r\n");
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    HttpResponse res;
    size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    if (!status_line.starts_with("HTTP/1.1 ")) return std::nullopt;
    res.status = std::stoi(status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      pos = e + 2;
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      EXPECT_FALSE(res.headers.count(name)) << "duplicate header " << name;
      res.headers[name] = value;
    }
    size_t len =
        res.headers.count("content-length") ? std::stoul(res.headers["content-length"]) : 0;
    if (head_request || res.status == 304 || res.status == 204) len = 0;
    if (!ReadUntil([len](const std::string& b) { return b.size() >= len; })) return std::nullopt;
    res.body = buf_.substr(0, len);
    buf_.erase(0, len);
    return res;
  }

  std::string& buffer() { return buf_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

// Metrics and the access log are recorded just after the response is written: poll briefly.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 200; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra) +
         "\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/v1/hello", [](Request& req) {
      req.log_user = "zhangsan";
      return JsonResponse(200, {{"hello", req.query_param("name").value_or("世界")},
                                {"request_id", req.request_id}});
    });
    router_.Add("POST", "/api/v1/echo", [](Request& req) {
      Response res;
      res.content_type = "text/plain; charset=utf-8";
      res.body = req.body;
      return res;
    });
    router_.Add("GET", "/api/v1/items/{id}", [](Request& req) {
      return JsonResponse(200, {{"id", req.path_params["id"]}, {"remote", req.remote_addr}});
    });
    router_.Add("GET", "/api/v1/throw",
                [](Request&) -> Response { throw std::runtime_error("boom"); });
    router_.Add("GET", "/api/v1/headers", [](Request&) {
      Response res;
      res.AddHeader("Set-Cookie", "a=1; HttpOnly");
      res.AddHeader("X-Evil", "x\r\nInjected: 1");
      res.AddHeader("Content-Length", "999");
      res.AddHeader("Server", "other");
      res.body = "{}";
      return res;
    });
    router_.Add("GET", "/api/v1/slow", [this](Request&) {
      {
        std::lock_guard lock(mu_);
        slow_started_ = true;
      }
      cv_.notify_all();
      std::this_thread::sleep_for(500ms);
      return JsonResponse(200, {{"slow", true}});
    });
    router_.Add("GET", "/api/v1/events", [this](Request&) {
      auto stream = std::make_shared<EventStream>();
      stream->OnClose([this] { stream_closed_.store(true); });
      {
        std::lock_guard lock(mu_);
        stream_ = stream;
      }
      cv_.notify_all();
      Response res;
      res.stream = stream;
      return res;
    });
    router_.Add("GET", "/api/v1/no-content", [](Request&) {
      Response res;
      res.status = 204;
      return res;
    });
    router_.Add("GET", "/healthz", [](Request&) { return JsonResponse(200, {{"status", "ok"}}); });
    router_.Add("GET", "/page", [](Request&) {
      Response res;
      res.content_type = "text/html; charset=utf-8";
      res.body = "<!doctype html><p>页面</p>";
      return res;
    });
    router_.Add("GET", "/printed", [](Request&) {
      Response res;
      res.content_type = "text/html; charset=utf-8";
      res.body = "<!doctype html><p>文书</p>";
      res.AddHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
      res.AddHeader("X-Frame-Options", "SAMEORIGIN");
      return res;
    });
    router_.Add("GET", "/api/v1/secure", [](Request& req) {
      return JsonResponse(200, {{"https", req.forwarded_https}});
    });
    // An event stream whose check fails once session_valid_ is false (a session ended).
    router_.Add("GET", "/api/v1/checked-events", [this](Request&) {
      auto stream = std::make_shared<EventStream>();
      std::weak_ptr<EventStream> weak = stream;
      stream->SetRecheck([this, weak] {
        checks_.fetch_add(1);
        if (session_valid_.load()) return true;
        if (auto s = weak.lock()) s->Push("signed_out", "{}");
        return false;
      });
      stream->OnClose([this] { stream_closed_.store(true); });
      {
        std::lock_guard lock(mu_);
        stream_ = stream;
      }
      cv_.notify_all();
      Response res;
      res.stream = stream;
      return res;
    });
  }

  void TearDown() override { StopServer(); }

  void StartServer(ServerOptions opt = {}) {
    opt.host = "127.0.0.1";
    opt.port = 0;
    opt.threads = 2;
    opt.access_log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    server_ = std::make_unique<Server>(std::move(opt), router_, metrics_);
    auto st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_NE(server_->port(), 0);
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  std::shared_ptr<EventStream> WaitForStream() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 5s, [this] { return stream_ != nullptr; });
    return stream_;
  }

  std::vector<std::string> Logs() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool slow_started_ = false;
  std::shared_ptr<EventStream> stream_;
  std::atomic<bool> stream_closed_{false};
  std::atomic<bool> session_valid_{true};
  std::atomic<int> checks_{0};
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(Get("/api/v1/hello?name=%E5%8E%BF")));
  auto r1 = c.ReadResponse();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(json::parse(r1->body).at("hello").as_string(), "县");
  EXPECT_EQ(r1->header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r1->header("server"), "xietong");
  EXPECT_EQ(r1->header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(r1->header("date").empty());
  EXPECT_EQ(r1->header("connection"), "");

  ASSERT_TRUE(c.Send(Get("/api/v1/items/42")));
  auto r2 = c.ReadResponse();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 200);
  auto body = json::parse(r2->body);
  EXPECT_EQ(body.at("id").as_string(), "42");
  EXPECT_EQ(body.at("remote").as_string(), "127.0.0.1");
  EXPECT_TRUE(
      Eventually([&] { return metrics_.RequestCount("/api/v1/items/{id}", "GET", 200) == 1; }));
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  StartServer();
  Client c(server_->port());
  std::string batch = Get("/api/v1/items/1") +
                      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
                      Get("/api/v1/items/3", "Connection: close\r\n");
  ASSERT_TRUE(c.Send(batch));
  auto a = c.ReadResponse();
  auto b = c.ReadResponse();
  auto d = c.ReadResponse();
  ASSERT_TRUE(a && b && d);
  EXPECT_EQ(json::parse(a->body).at("id").as_string(), "1");
  EXPECT_EQ(b->body, "hello");
  EXPECT_EQ(b->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(json::parse(d->body).at("id").as_string(), "3");
  EXPECT_EQ(d->header("connection"), "close");
  EXPECT_TRUE(c.ReadEof());
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAlive) {
  StartServer();
  {
    Client c(server_->port());
    ASSERT_TRUE(c.Send("GET /api/v1/items/1 HTTP/1.0\r\n\r\n"));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.ReadEof());
  }
  Client c(server_->port());
  ASSERT_TRUE(c.Send("GET /api/v1/items/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "keep-alive");
  ASSERT_TRUE(c.Send("GET /api/v1/items/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_TRUE(c.ReadResponse());
}

TEST_F(ServerTest, BodyTooLargeIs413WithJsonError) {
  ServerOptions opt;
  opt.max_body_bytes = 1024;
  StartServer(opt);
  Client c(server_->port());
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
             "Accept-Language: en\r\n\r\n" +
             std::string(2000, 'x')));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(r->header("content-type"), "application/json; charset=utf-8");
  auto body = json::parse(r->body).as_object();
  EXPECT_EQ(body.at("error").at("code").as_string(), "body_too_large");
  EXPECT_EQ(body.at("error").at("message").as_string(), "Request body too large");
  EXPECT_TRUE(body.at("error").at("field").is_null());
  EXPECT_TRUE(body.at("error").at("rule").is_null());
  EXPECT_TRUE(c.ReadEof());

  // A body within the limit still works; chunked bodies are limited too.
  Client ok(server_->port());
  ASSERT_TRUE(ok.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" +
                      std::string(1024, 'y')));
  auto r2 = ok.ReadResponse();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 200);
  EXPECT_EQ(r2->body.size(), 1024u);

  Client chunked(server_->port());
  std::string chunk(800, 'z');
  ASSERT_TRUE(
      chunked.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                   "\r\n\r\n320\r\n" +
                   chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto r3 = chunked.ReadResponse();
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->status, 413);
}

TEST_F(ServerTest, HeadersTooLargeIs431) {
  ServerOptions opt;
  opt.max_header_bytes = 1024;
  StartServer(opt);
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/hello", "X-Big: " + std::string(2000, 'a') + "\r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->error_code(), "headers_too_large");
}

TEST_F(ServerTest, MalformedRequestIs400) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send("GET /x HTTP/1.1\r\nBad Header Without Colon\r\n\r\n"));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->error_code(), "bad_request");
  EXPECT_TRUE(c.ReadEof());

  Client c2(server_->port());
  ASSERT_TRUE(c2.Send(Get("/api/v1/items/%zz")));
  auto r2 = c2.ReadResponse();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 400);
  EXPECT_EQ(r2->error_code(), "bad_request");
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreJson) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/nothing")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->error_code(), "route_not_found");
  ASSERT_TRUE(c.Send("DELETE /api/v1/hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("allow"), "GET, HEAD");
  EXPECT_TRUE(Eventually([&] { return metrics_.RequestCount("", "GET", 404) == 1; }));
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/hello", "X-Request-Id: trace-abc.123_X\r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("x-request-id"), "trace-abc.123_X");
  EXPECT_EQ(json::parse(r->body).at("request_id").as_string(), "trace-abc.123_X");

  for (std::string bad : {std::string("has space"), std::string(65, 'a'), std::string("a\"b")}) {
    ASSERT_TRUE(c.Send(Get("/api/v1/hello", "X-Request-Id: " + bad + "\r\n")));
    r = c.ReadResponse();
    ASSERT_TRUE(r);
    std::string id = r->header("x-request-id");
    EXPECT_EQ(id.size(), 16u) << bad;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
}

TEST_F(ServerTest, AccessLogLineIsJson) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/hello", "X-Request-Id: log-test\r\n")));
  ASSERT_TRUE(c.ReadResponse());
  // The log line is written after the response; give it a moment.
  ASSERT_TRUE(Eventually([&] { return !Logs().empty(); }));
  std::vector<std::string> logs = Logs();
  ASSERT_EQ(logs.size(), 1u);
  auto line = json::parse(logs[0]).as_object();
  EXPECT_EQ(line.at("request_id").as_string(), "log-test");
  EXPECT_EQ(line.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(line.at("method").as_string(), "GET");
  EXPECT_EQ(line.at("path").as_string(), "/api/v1/hello");
  EXPECT_EQ(line.at("route").as_string(), "/api/v1/hello");
  EXPECT_EQ(line.at("status").as_int64(), 200);
  EXPECT_GT(line.at("bytes").as_int64(), 10);
  EXPECT_TRUE(line.at("duration_ms").is_double());
  EXPECT_EQ(line.at("user").as_string(), "zhangsan");
  std::string ts(line.at("ts").as_string());
  EXPECT_TRUE(ts.ends_with("+08:00")) << ts;
}

TEST_F(ServerTest, HandlerThatThrowsGives500AndServerSurvives) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/throw")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->error_code(), "internal");
  EXPECT_EQ(r->body.find("boom"), std::string::npos);  // no internals leaked
  ASSERT_TRUE(c.Send(Get("/api/v1/items/5")));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, HandlerHeadersAreFiltered) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/headers")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("set-cookie"), "a=1; HttpOnly");
  EXPECT_EQ(r->header("x-evil"), "");
  EXPECT_EQ(r->header("injected"), "");
  EXPECT_EQ(r->header("content-length"), "2");
  EXPECT_EQ(r->header("server"), "xietong");
}

TEST_F(ServerTest, HeadOmitsBodyAndNoContentHasNoLength) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send("HEAD /api/v1/items/9 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = c.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->header("content-length"), "0");
  ASSERT_TRUE(c.Send(Get("/api/v1/no-content")));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->header("content-length"), "");
  // The connection is still in sync: no stray body bytes.
  ASSERT_TRUE(c.Send(Get("/api/v1/items/10")));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body).at("id").as_string(), "10");
}

TEST_F(ServerTest, ExpectContinue) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(
      c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
             "Expect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(
      c.ReadUntil([](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }));
  EXPECT_TRUE(c.buffer().starts_with("HTTP/1.1 100 Continue\r\n\r\n"));
  c.buffer().erase(0, std::string_view("HTTP/1.1 100 Continue\r\n\r\n").size());
  ASSERT_TRUE(c.Send("abc"));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc");
}

TEST_F(ServerTest, ReadTimeoutIs408AndIdleConnectionsClose) {
  ServerOptions opt;
  opt.read_timeout = std::chrono::seconds(1);
  opt.idle_timeout = std::chrono::seconds(1);
  StartServer(opt);
  Client partial(server_->port());
  ASSERT_TRUE(partial.Send("GET /api/v1/hello HTTP/1.1\r\nHost: x\r\n"));  // never finished
  auto r = partial.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(r->error_code(), "request_timeout");

  Client idle(server_->port());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.ReadEof());
  EXPECT_TRUE(idle.buffer().empty());  // closed silently
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(ServerTest, ServerSentEvents) {
  ServerOptions opt;
  opt.sse_keepalive = std::chrono::milliseconds(200);
  StartServer(opt);
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/events")));
  ASSERT_TRUE(
      c.ReadUntil([](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }));
  std::string head = c.buffer().substr(0, c.buffer().find("\r\n\r\n"));
  EXPECT_NE(head.find("HTTP/1.1 200 OK\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(head.find("Cache-Control: no-cache"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);

  auto stream = WaitForStream();
  ASSERT_TRUE(stream);
  EXPECT_TRUE(stream->Push("referral", R"({"id":1})"));
  EXPECT_TRUE(stream->Push("notice", "两行\n文本", "2"));
  ASSERT_TRUE(c.ReadUntil([](const std::string& b) {
    return b.find("event: notice\nid: 2\ndata: 两行\ndata: 文本\n\n") != std::string::npos;
  }));
  EXPECT_NE(c.buffer().find("event: referral\ndata: {\"id\":1}\n\n"), std::string::npos);
  // Idle: keep-alive comments.
  ASSERT_TRUE(c.ReadUntil(
      [](const std::string& b) { return b.find(": keepalive\n\n") != std::string::npos; }));

  stream->Close();
  EXPECT_TRUE(c.ReadEof());
  EXPECT_TRUE(stream_closed_.load());
}

TEST_F(ServerTest, ServerSentEventsEndWhenClientLeaves) {
  StartServer();
  {
    Client c(server_->port());
    ASSERT_TRUE(c.Send(Get("/api/v1/events")));
    ASSERT_TRUE(
        c.ReadUntil([](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }));
    ASSERT_TRUE(WaitForStream());
  }  // client closes
  auto stream = WaitForStream();
  for (int i = 0; i < 200 && !stream->closed(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(stream->closed());
  EXPECT_TRUE(stream_closed_.load());
  EXPECT_FALSE(stream->Push("x", "y"));
}

TEST_F(ServerTest, GracefulStopLetsInFlightRequestFinish) {
  StartServer();
  Client idle(server_->port());  // an idle keep-alive connection
  ASSERT_TRUE(idle.Send(Get("/api/v1/items/1")));
  ASSERT_TRUE(idle.ReadResponse());
  Client sse(server_->port());
  ASSERT_TRUE(sse.Send(Get("/api/v1/events")));
  ASSERT_TRUE(WaitForStream());

  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/slow")));
  {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, 5s, [this] { return slow_started_; }));
  }
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(json::parse(r->body).at("slow").as_bool(), true);
  EXPECT_TRUE(c.ReadEof());
  EXPECT_TRUE(idle.ReadEof());
  EXPECT_TRUE(sse.ReadEof());
  thread_.join();  // Run() returns
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(stream_closed_.load());

  Client late(server_->port());
  EXPECT_FALSE(late.connected());
  server_.reset();
}

TEST_F(ServerTest, ForwardedForOnlyWhenTrusted) {
  StartServer();
  {
    Client c(server_->port());
    ASSERT_TRUE(c.Send(Get("/api/v1/items/1", "X-Forwarded-For: 10.0.0.9\r\n")));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body).at("remote").as_string(), "127.0.0.1");
  }
  StopServer();
  ServerOptions opt;
  opt.trust_x_forwarded_for = true;
  StartServer(opt);
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/items/1", "X-Forwarded-For: 1.2.3.4, 10.0.0.9 \r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body).at("remote").as_string(), "10.0.0.9");
}

TEST_F(ServerTest, BusyPortIsAnError) {
  StartServer();
  ServerOptions opt;
  opt.host = "127.0.0.1";
  opt.port = server_->port();
  opt.access_log = [](std::string_view) {};
  Server second(opt, router_, metrics_);
  auto st = second.Start();
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.id(), "bind_failed");
  EXPECT_EQ(st.code(), core::Code::kUnavailable);
  second.Run();  // returns at once

  ServerOptions bad = opt;
  bad.host = "no.such.host.invalid";
  bad.port = 0;
  Server third(bad, router_, metrics_);
  EXPECT_EQ(third.Start().id(), "bad_listen_address");
}

TEST_F(ServerTest, StopBeforeRunReturnsImmediately) {
  ServerOptions opt;
  opt.port = 0;
  opt.access_log = [](std::string_view) {};
  Server s(opt, router_, metrics_);
  ASSERT_TRUE(s.Start().ok());
  s.Stop();
  auto start = std::chrono::steady_clock::now();
  s.Run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(ServerTest, ManyConcurrentClients) {
  StartServer();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Client c(server_->port());
      for (int i = 0; i < 50; ++i) {
        if (!c.Send(Get("/api/v1/items/" + std::to_string(t * 100 + i)))) return;
        auto r = c.ReadResponse();
        if (r && r->status == 200 &&
            json::parse(r->body).at("id").as_string() == std::to_string(t * 100 + i))
          ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 400);
  EXPECT_TRUE(Eventually([&] { return metrics_.inflight() == 0; }));
}

// ---- Issue 15: the HTTP edge ----------------------------------------------------------------

// Request smuggling (finding 2): a POST whose body is a second request. Any Transfer-Encoding
// but exactly "chunked" (or TE with Content-Length) gets one 400 and a closed connection; the
// smuggled request is never answered.
TEST_F(ServerTest, SmuggledTransferEncodingIs400AndClosed) {
  StartServer();
  const std::string smuggled = "GET /api/v1/hello HTTP/1.1\r\nHost: localhost\r\n\r\n";
  const std::vector<std::string> bad = {
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: identity\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
      "Transfer-Encoding: chunked\r\nContent-Length: " + std::to_string(smuggled.size()) + "\r\n",
      "Transfer-Encoding: gzip, chunked\r\n",
      "Transfer-Encoding:\r\n",
  };
  for (const auto& te : bad) {
    SCOPED_TRACE(te);
    Client c(server_->port());
    ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: localhost\r\n" + te + "\r\n" + smuggled));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->error_code(), "bad_request");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.ReadEof());
    EXPECT_EQ(c.buffer().find("HTTP/1.1"), std::string::npos) << "a second response: " << c.buffer();
  }
  // HTTP/1.0 has no chunked framing.
  {
    Client c(server_->port());
    ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                       smuggled));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_TRUE(c.ReadEof());
    EXPECT_EQ(c.buffer().find("HTTP/1.1"), std::string::npos);
  }
  // Exactly chunked (any case) still works, and the connection stays usable.
  Client c(server_->port());
  ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: Chunked\r\n"
                     "\r\n5\r\nhello\r\n0\r\n\r\n"));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  ASSERT_TRUE(c.Send(Get("/api/v1/hello")));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

// Connection cap per client address (finding 5): up to the cap connections are served; the
// next one gets 503 "too_many_connections" and is closed, while /healthz still answers; a
// freed slot is usable again.
TEST_F(ServerTest, PerIpConnectionCapAnswers503AndKeepsHealthz) {
  ServerOptions opt;
  opt.max_connections_per_ip = 3;
  StartServer(opt);
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Client>(server_->port()));
    ASSERT_TRUE(held.back()->Send(Get("/api/v1/hello")));
    auto r = held.back()->ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  {
    Client over(server_->port());
    ASSERT_TRUE(over.Send(Get("/api/v1/hello")));
    auto r = over.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->error_code(), "too_many_connections");
    EXPECT_EQ(r->header("retry-after"), "5");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(over.ReadEof());
  }
  for (int i = 0; i < 3; ++i) {
    Client health(server_->port());
    ASSERT_TRUE(health.Send(Get("/healthz")));
    auto r = health.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(health.ReadEof());
  }
  // The held connections still work; one leaves and its slot serves a new client.
  ASSERT_TRUE(held[0]->Send(Get("/api/v1/hello")));
  auto r = held[0]->ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  held.pop_back();
  EXPECT_TRUE(Eventually([&] {
    Client c(server_->port());
    if (!c.Send(Get("/api/v1/hello"))) return false;
    auto res = c.ReadResponse();
    return res && res->status == 200;
  }));
}

// The server-wide cap; beyond the overflow connections, a connection is closed unanswered.
TEST_F(ServerTest, ServerConnectionCapAndOverflow) {
  ServerOptions opt;
  opt.max_connections = 2;
  opt.overflow_connections = 0;
  StartServer(opt);
  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<Client>(server_->port()));
    ASSERT_TRUE(held.back()->Send(Get("/api/v1/hello")));
    auto r = held.back()->ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  Client over(server_->port());
  over.Send(Get("/healthz"));
  EXPECT_FALSE(over.ReadResponse());  // closed (reset) without a response
}

// Idle and slow connections time out: a silent new connection is closed, a slow header block
// gets 408 (header_timeout).
TEST_F(ServerTest, SlowHeadersTimeOut) {
  ServerOptions opt;
  opt.header_timeout = std::chrono::seconds(1);
  StartServer(opt);
  auto start = std::chrono::steady_clock::now();
  {
    Client slow(server_->port());
    ASSERT_TRUE(slow.Send("GET /api/v1/hello HTTP/1.1\r\nHost: local"));
    auto r = slow.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
  }
  {
    Client silent(server_->port());
    EXPECT_TRUE(silent.ReadEof());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
}

// Security headers (finding 7): HTML without its own policy gets the default CSP (no inline
// script), X-Frame-Options DENY and Referrer-Policy; a page with its own CSP keeps it.
TEST_F(ServerTest, HtmlResponsesCarrySecurityHeaders) {
  StartServer();
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/page")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-security-policy"), std::string(kDefaultHtmlCsp));
  EXPECT_NE(r->header("content-security-policy").find("script-src 'self';"), std::string::npos);
  {
    // No inline script, no eval: the script-src directive is exactly 'self'.
    std::string csp = r->header("content-security-policy");
    size_t at = csp.find("script-src");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(csp.substr(at, csp.find(';', at) - at), "script-src 'self'");
  }
  EXPECT_NE(r->header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r->header("x-frame-options"), "DENY");
  EXPECT_EQ(r->header("referrer-policy"), "same-origin");
  EXPECT_EQ(r->header("x-content-type-options"), "nosniff");

  ASSERT_TRUE(c.Send(Get("/printed")));
  r = c.ReadResponse();  // ReadResponse fails the test on a duplicate header
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-security-policy"), "default-src 'none'; frame-ancestors 'self'");
  EXPECT_EQ(r->header("x-frame-options"), "SAMEORIGIN");
  EXPECT_EQ(r->header("referrer-policy"), "same-origin");

  ASSERT_TRUE(c.Send(Get("/api/v1/hello")));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-security-policy"), "");
  EXPECT_EQ(r->header("referrer-policy"), "same-origin");
}

// X-Forwarded-Proto counts only from a trusted proxy (the session cookie's Secure).
TEST_F(ServerTest, ForwardedHttpsOnlyFromTrustedProxy) {
  StartServer();
  {
    Client c(server_->port());
    ASSERT_TRUE(c.Send(Get("/api/v1/secure", "X-Forwarded-Proto: https\r\n")));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_FALSE(json::parse(r->body).at("https").as_bool());
  }
  StopServer();
  ServerOptions opt;
  opt.trusted_proxies = {"127.0.0.1"};
  StartServer(opt);
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/secure", "X-Forwarded-Proto: https\r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_TRUE(json::parse(r->body).at("https").as_bool());
  ASSERT_TRUE(c.Send(Get("/api/v1/secure", "X-Forwarded-Proto: http\r\n")));
  r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_FALSE(json::parse(r->body).at("https").as_bool());
}

// Finding 6: an event stream's check runs every sse_recheck; when it fails (the session
// ended) the stream writes what the check queued and ends.
TEST_F(ServerTest, EventStreamEndsWhenItsCheckFails) {
  ServerOptions opt;
  opt.sse_recheck = std::chrono::milliseconds(50);
  opt.sse_keepalive = std::chrono::milliseconds(20);
  StartServer(opt);
  Client c(server_->port());
  ASSERT_TRUE(c.Send(Get("/api/v1/checked-events")));
  ASSERT_TRUE(WaitForStream());
  ASSERT_TRUE(c.ReadUntil([](const std::string& b) { return b.find(": keepalive") != std::string::npos; }));
  EXPECT_TRUE(Eventually([&] { return checks_.load() >= 2; }));
  EXPECT_FALSE(stream_closed_.load());
  session_valid_.store(false);
  EXPECT_TRUE(c.ReadEof());
  EXPECT_NE(c.buffer().find("event: signed_out\ndata: {}\n\n"), std::string::npos);
  EXPECT_TRUE(stream_closed_.load());
}

TEST(AutoMaxConnectionsTest, LeavesDescriptorsForTheRest) {
  EXPECT_EQ(AutoMaxConnections(1024, 32), 1024u - 128 - 128 - 32);
  EXPECT_EQ(AutoMaxConnections(1u << 20, 32), 10000u);
  EXPECT_EQ(AutoMaxConnections(100, 32), 16u);
}

// ParseRequest: the connection's reading steps on bytes in memory (the fuzz target's entry).
TEST(ParseRequestTest, ReadsACompleteRequestAndLeavesThePipelinedRest) {
  ServerOptions opt;
  std::string first =
      "POST /api/v1/orgs/7?a=1&b=%E4%B8%AD HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-1\r\n"
      "Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"a\":12}";
  std::string bytes = first + "GET / HTTP/1.1\r\n\r\n";
  ParsedRequest r = ParseRequest(bytes, opt, "192.0.2.1");
  ASSERT_FALSE(r.incomplete);
  ASSERT_TRUE(r.status.ok()) << r.status.id();
  EXPECT_EQ(r.consumed, first.size());
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.request.method, "POST");
  EXPECT_EQ(r.request.path, "/api/v1/orgs/7");
  EXPECT_EQ(r.request.query_param("b"), "中");
  EXPECT_EQ(r.request.body, "{\"a\":12}");
  EXPECT_EQ(r.request.request_id, "abc-1");
  EXPECT_EQ(r.request.remote_addr, "192.0.2.1");
}

TEST(ParseRequestTest, ChunkedBodyAndIncompleteInput) {
  ServerOptions opt;
  ParsedRequest r = ParseRequest(
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      opt);
  ASSERT_TRUE(r.status.ok() && !r.incomplete);
  EXPECT_EQ(r.request.body, "abcde");
  EXPECT_TRUE(ParseRequest("GET / HTTP/1.1\r\nHost: x\r\n", opt).incomplete);
  EXPECT_TRUE(ParseRequest("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", opt).incomplete);
  EXPECT_TRUE(ParseRequest("", opt).incomplete);
}

TEST(ParseRequestTest, RefusesAsTheServerDoes) {
  ServerOptions opt;
  opt.max_body_bytes = 4;
  opt.max_header_bytes = 256;
  auto id = [&](std::string_view bytes) {
    ParsedRequest r = ParseRequest(bytes, opt);
    EXPECT_FALSE(r.incomplete) << bytes;
    std::string out = std::to_string(r.http_status) + " " + r.status.id();
    if (r.status.field() == "transfer-encoding") out += " transfer-encoding";
    return out;
  };
  // Beast itself refuses chunked with Content-Length (a malformed request, as on a connection).
  EXPECT_EQ(id("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
            "400 bad_request");
  EXPECT_EQ(id("POST /x HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n"),
            "400 bad_request transfer-encoding");
  EXPECT_EQ(id("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n"), "413 body_too_large");
  EXPECT_EQ(id("GET /x HTTP/1.1\r\nX: " + std::string(400, 'a') + "\r\n\r\n"),
            "431 headers_too_large");
  EXPECT_EQ(id("GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            "400 bad_request");
  EXPECT_EQ(id("GET /%zz HTTP/1.1\r\n\r\n"), "400 bad_request");
}

}  // namespace
}  // namespace xietong::http
