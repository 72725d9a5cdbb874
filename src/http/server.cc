// The only translation unit of the HTTP layer that includes Beast/Asio.
//
// One coroutine per connection on its own strand reads a request (Beast's parser), runs the
// router on the worker pool (so a handler waiting for the database — a durable commit — holds
// a worker, not an I/O thread, and enough requests are in flight to share a group commit),
// resumes on its strand and writes the response from a reused header buffer plus the body (no Beast
// serializer, no copy of the body). A second coroutine per connection is a watchdog that
// wakes once a second and cancels the socket when the connection's deadline has passed, so
// setting a deadline per phase costs one store. Server-Sent Events: the EventStream's notifier
// posts a timer cancel to the connection's strand; the writer drains the stream and waits on
// that timer again (its expiry is the keep-alive interval).
#include "http/server.h"

#include "core/log_context.h"

#include <spdlog/async.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <sys/resource.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "http/json_io.h"

namespace xietong::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kWatchdogTick = std::chrono::seconds(1);
constexpr size_t kMaxLingerBytes = 1 << 20;
// A keep-alive connection's read buffer is shrunk after a request when larger than this.
constexpr size_t kKeptBufferBytes = 64 * 1024;
// Time an over-cap connection gets to send its one request's header block.
constexpr auto kOverCapTimeout = std::chrono::seconds(2);

// Runs the router for `req` (on a worker thread); a handler that throws gives 500.
asio::awaitable<Response> HandleOnWorker(const Router& router, Request& req) {
  try {
    Response r;
    {
      core::ScopedRequestId rid(req.request_id);  // every log line of the handler names it
      r = router.Handle(req);
    }
    co_return r;
  } catch (const std::exception& e) {
    spdlog::error("http: handler for {} {} (request {}) threw: {}", req.method, req.path,
                  req.request_id, e.what());
  } catch (...) {
    spdlog::error("http: handler for {} {} (request {}) threw a non-exception", req.method,
                  req.path, req.request_id);
  }
  co_return ErrorResponse(core::Status::Internal("服务器内部错误").En("Internal server error"),
                          req);
}

// Runs an event stream's check (on a worker thread); a check that throws keeps the stream.
asio::awaitable<bool> RecheckOnWorker(std::shared_ptr<EventStream> stream) {
  try {
    co_return stream->Recheck();
  } catch (const std::exception& e) {
    spdlog::error("http: event stream check threw: {}", e.what());
  } catch (...) {
    spdlog::error("http: event stream check threw a non-exception");
  }
  co_return true;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

std::string_view Reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

void AppendInt(std::string& out, uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, p);
}

// "Tue, 15 Nov 1994 08:12:31 GMT", formatted once per second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_sec = -1;
  thread_local char buf[96];
  thread_local size_t len = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_sec) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                          tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                          tm.tm_sec);
    len = n > 0 ? static_cast<size_t>(n) : 0;
    cached_sec = now;
  }
  return std::string_view(buf, len);
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// An incoming X-Request-Id we are willing to echo: 1..64 of [A-Za-z0-9._-].
bool SaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!IsTokenChar(c)) return false;
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t v = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i) {
    id[static_cast<size_t>(i)] = kHex[v & 0xF];
    v >>= 4;
  }
  return id;
}

// Header names the server writes itself; handler-supplied copies are dropped.
bool ServerManagedHeader(std::string_view name) {
  static constexpr std::string_view kManaged[] = {
      "content-length", "content-type", "connection",       "transfer-encoding",
      "server",         "date",         "x-request-id",     "x-content-type-options",
      "keep-alive",     "upgrade",      "proxy-connection",
  };
  for (auto m : kManaged)
    if (EqualsIgnoreCase(name, m)) return true;
  return false;
}

bool SafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(IsTokenChar(c) || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
          c == '*' || c == '+' || c == '^' || c == '`' || c == '|' || c == '~'))
      return false;
  }
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

// stdout without a flush per line (spdlog's stdout sink flushes every message, a write(2) per
// request). The server flushes the "access" logger once a second instead.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

// The "access" logger: the one registered already, or a new asynchronous one on stdout.
std::shared_ptr<spdlog::logger> AccessLogger() {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::shared_ptr<spdlog::logger> logger = spdlog::get("access");
  if (!logger) {
    try {
      logger = spdlog::create_async<BufferedStdoutSink>("access");
      logger->set_pattern("%v");
    } catch (const spdlog::spdlog_ex&) {
      logger = spdlog::get("access");
    }
  }
  return logger;
}

// Request smuggling (RFC 9112 §6.1, §6.3): a request is framed by Transfer-Encoding only when
// it is exactly one field "chunked" (case-insensitive), in HTTP/1.1, without Content-Length.
// Anything else that names Transfer-Encoding ("xchunked", "chunked, identity", two fields, TE
// with CL, TE in HTTP/1.0) could be framed differently by a proxy in front of us: refused.
template <class Fields>
bool AcceptableTransferEncoding(const Fields& msg, unsigned version) {
  int te = 0;
  bool chunked = false;
  bool length = false;
  for (const auto& f : msg) {
    std::string_view name = f.name_string();
    if (EqualsIgnoreCase(name, "transfer-encoding")) {
      ++te;
      std::string_view v = f.value();
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      chunked = EqualsIgnoreCase(v, "chunked");
    } else if (EqualsIgnoreCase(name, "content-length")) {
      length = true;
    }
  }
  if (te == 0) return true;
  return te == 1 && chunked && !length && version >= 11;
}

bool PathIn(std::string_view target, const std::vector<std::string>& paths) {
  std::string_view path = target.substr(0, target.find('?'));
  for (const auto& p : paths)
    if (path == p) return true;
  return false;
}

core::Status ConnectionError(std::string_view id) {
  using core::Code;
  using core::Status;
  if (id == "body_too_large")
    return Status::Exhausted("body_too_large", "请求体过大").En("Request body too large");
  if (id == "headers_too_large")
    return Status::Exhausted("headers_too_large", "请求头过大").En("Request headers too large");
  if (id == "request_timeout")
    return Status(Code::kUnavailable, "request_timeout", "请求接收超时").En("Request timeout");
  if (id == "too_many_connections")
    return Status(Code::kUnavailable, "too_many_connections", "连接数过多，请稍后重试")
        .En("Too many connections; try again later");
  if (id == "bad_transfer_encoding")
    return Status::Invalid("transfer-encoding",
                           "Transfer-Encoding 只接受 chunked，且不能与 Content-Length 同时出现", {},
                           "bad_request")
        .En("Transfer-Encoding must be exactly chunked, and not together with Content-Length");
  return Status::Invalid("request", "请求格式错误", {}, "bad_request").En("Malformed request");
}

// The parser every request is read with: the server's header and body limits.
void ConfigureParser(bhttp::request_parser<bhttp::string_body>& parser, const ServerOptions& opt) {
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(opt.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(opt.max_body_bytes);
}

// The error id and HTTP status answered for a parser error `ec` (not a timeout), or nullptr when
// the connection just closes (socket errors, end of stream, EOF mid-message).
const char* ReadErrorId(const error_code& ec, int& http_status) {
  http_status = 400;
  if (ec == bhttp::error::body_limit) {
    http_status = 413;
    return "body_too_large";
  }
  if (ec == bhttp::error::header_limit) {
    http_status = 431;
    return "headers_too_large";
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
    return "bad_request";
  return nullptr;
}

// The Request of a completely parsed message from the TCP peer `peer` (everything but the
// target, which the caller sets with SetTarget). Moves the body out of `msg`.
Request BuildRequest(bhttp::request<bhttp::string_body>& msg, std::string_view peer,
                     const ServerOptions& opt) {
  Request req;
  req.method = std::string(std::string_view(msg.method_string()));
  req.headers.reserve(static_cast<size_t>(std::distance(msg.begin(), msg.end())));
  for (const auto& f : msg)
    req.headers.emplace_back(std::string_view(f.name_string()), std::string_view(f.value()));
  req.body = std::move(msg.body());
  req.remote_addr = std::string(peer);
  req.max_json_depth = opt.max_json_depth;
  if (auto id = req.header("x-request-id"); id && SaneRequestId(*id)) {
    req.request_id = std::string(*id);
  } else {
    req.request_id = NewRequestId();
  }
  // Who the client is: the peer, or what a trusted proxy says (request.h, ClientAddress).
  req.remote_addr = ClientAddress(peer, req, opt.trust_x_forwarded_for, opt.trusted_proxies);
  req.forwarded_https = ForwardedHttps(peer, req, opt.trust_x_forwarded_for, opt.trusted_proxies);
  return req;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Impl

class Server::Impl {
 public:
  struct Connection;

  Impl(ServerOptions options, Router& router, Metrics& metrics)
      : opt_(std::move(options)),
        router_(router),
        metrics_(metrics),
        ioc_(std::max(1, opt_.threads)),
        acceptor_(ioc_),
        drain_timer_(ioc_),
        flush_timer_(ioc_),
        workers_(static_cast<size_t>(std::max(1, opt_.workers))) {
    if (opt_.access_log) {
      log_ = opt_.access_log;
    } else if ((access_logger_ = AccessLogger())) {
      log_ = [logger = access_logger_.get()](std::string_view line) {
        logger->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
      };
    } else {
      log_ = [](std::string_view) {};
    }
  }

  core::Status Start();
  void Run();
  void Stop();
  uint16_t port() const { return port_.load(); }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kStreaming };

  asio::awaitable<void> AcceptLoop();
  static asio::awaitable<void> Session(std::shared_ptr<Connection> c);
  static asio::awaitable<void> SessionLoop(std::shared_ptr<Connection> c);
  static asio::awaitable<void> Watchdog(std::shared_ptr<Connection> c);
  static asio::awaitable<void> SseReader(std::shared_ptr<Connection> c);
  static asio::awaitable<void> Linger(std::shared_ptr<Connection> c);
  static asio::awaitable<void> ServeStream(std::shared_ptr<Connection> c, Request& req,
                                           Response& res, SteadyClock::time_point start);
  // Writes an error response for a request that could not be read, then lingers and closes.
  static asio::awaitable<void> FailRequest(std::shared_ptr<Connection> c,
                                           const core::Status& status, int http_status,
                                           Request& req, SteadyClock::time_point start);

  // Serializes the status line and headers into `out`.
  void WriteHead(std::string& out, int status, const Response& res, const Request& req,
                 size_t content_length, bool has_length, bool keep_alive, bool http10) const;
  void Log(const Request& req, int status, uint64_t bytes, SteadyClock::time_point start);
  void Unregister(Connection* c);
  // Counts a new connection against the caps and registers it: 1 within them, 0 over them (an
  // overflow slot), -1 refused (close at once).
  int Admit(const std::shared_ptr<Connection>& conn);
  void Kick(const std::shared_ptr<Connection>& c);
  void CheckDrained();
  void ScheduleLogFlush();
  template <typename F>
  void Spawn(asio::any_io_executor ex, asio::awaitable<void> a, F&& on_error_context);

  ServerOptions opt_;
  Router& router_;
  Metrics& metrics_;
  AccessLogSink log_;
  std::shared_ptr<spdlog::logger> access_logger_;  // set when logging to the default logger
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer drain_timer_;
  asio::steady_timer flush_timer_;
  asio::thread_pool workers_;  // runs the handlers
  std::optional<asio::signal_set> signals_;
  std::atomic<uint16_t> port_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  SteadyClock::time_point stop_deadline_{};

  std::mutex conns_mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> conns_;
  // Connection caps (guarded by conns_mu_): connections within the caps, over-cap ones, and
  // both per peer address (entries erased when they reach zero, so the map stays small).
  struct PerIp {
    size_t normal = 0;
    size_t overflow = 0;
  };
  size_t max_conns_ = 0;
  size_t max_per_ip_ = 0;
  size_t max_overflow_per_ip_ = 0;
  size_t normal_conns_ = 0;
  size_t overflow_conns_ = 0;
  std::unordered_map<std::string, PerIp> per_ip_;
  // Accept failures and refusals are logged at most every 10 s, with a count.
  SteadyClock::time_point last_accept_warning_{};
  uint64_t accept_failures_ = 0;
  SteadyClock::time_point last_refusal_warning_{};
  uint64_t refused_conns_ = 0;
};

struct Server::Impl::Connection {
  Connection(Impl& server, tcp::socket sock)
      : server(server),
        socket(std::move(sock)),
        watchdog(socket.get_executor()),
        sse_timer(socket.get_executor()) {}

  void SetDeadline(std::chrono::steady_clock::duration d) { deadline = SteadyClock::now() + d; }
  void ClearDeadline() { deadline = SteadyClock::time_point::max(); }

  void Close() {
    if (closed) return;
    closed = true;
    error_code ig;
    socket.shutdown(tcp::socket::shutdown_both, ig);
    socket.close(ig);
    watchdog.cancel();
    sse_timer.cancel();
  }

  Impl& server;
  tcp::socket socket;
  asio::steady_timer watchdog;
  asio::steady_timer sse_timer;
  SteadyClock::time_point deadline = SteadyClock::time_point::max();
  bool timed_out = false;
  bool closed = false;
  bool client_gone = false;  // SSE: the peer closed its side
  bool over_cap = false;     // accepted beyond a cap: one request, 503 unless exempt
  bool per_ip_counted = false;  // counted in per_ip_[remote]
  bool first_request = true;
  State state = State::kIdle;
  beast::flat_buffer buffer;
  std::string remote;
  std::string head;  // reused response-head buffer
};

template <typename F>
void Server::Impl::Spawn(asio::any_io_executor ex, asio::awaitable<void> a, F&& context) {
  asio::co_spawn(ex, std::move(a), [ctx = std::forward<F>(context)](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("http: {} failed: {}", ctx, ex.what());
    } catch (...) {
      spdlog::error("http: {} failed", ctx);
    }
  });
}

core::Status Server::Impl::Start() {
  if (started_.load()) {
    return core::Status::Precondition("already_started", "服务器已启动")
        .En("Server already started");
  }
  if (opt_.threads < 1 || opt_.workers < 1 || opt_.max_header_bytes < 256 || opt_.max_json_depth < 1) {
    return core::Status::Invalid("options", "服务器参数无效", {}, "bad_listen_address")
        .En("Invalid server options");
  }
  {
    // Connection caps from the file-descriptor limit (serve raises the soft limit first).
    uint64_t fd_limit = 1024;
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
      fd_limit = rl.rlim_cur == RLIM_INFINITY ? (uint64_t{1} << 20) : rl.rlim_cur;
    max_conns_ = opt_.max_connections != 0
                     ? opt_.max_connections
                     : AutoMaxConnections(fd_limit, opt_.overflow_connections);
    max_per_ip_ = opt_.max_connections_per_ip != 0
                      ? std::min(opt_.max_connections_per_ip, max_conns_)
                      : std::min<size_t>(1000, max_conns_);
    max_overflow_per_ip_ = std::max<size_t>(2, opt_.overflow_connections / 4);
    if (max_conns_ + opt_.overflow_connections + 64 > fd_limit) {
      spdlog::warn(
          "http: max connections {} (+{} overflow) is close to the file-descriptor limit {}",
          max_conns_, opt_.overflow_connections, fd_limit);
    }
  }
  error_code ec;
  tcp::endpoint ep;
  auto addr = asio::ip::make_address(opt_.host, ec);
  if (!ec) {
    ep = tcp::endpoint(addr, opt_.port);
  } else {
    tcp::resolver resolver(ioc_);
    auto results =
        resolver.resolve(opt_.host, std::to_string(opt_.port), tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      return core::Status::Invalid("host", "无法解析监听地址：" + opt_.host, {},
                                   "bad_listen_address")
          .En("Cannot resolve listen address: " + opt_.host);
    }
    ep = results.begin()->endpoint();
  }
  auto fail = [&](const char* what) {
    std::string where = opt_.host + ":" + std::to_string(opt_.port);
    error_code ig;
    acceptor_.close(ig);
    return core::Status(core::Code::kUnavailable, "bind_failed",
                        "无法监听 " + where + "（" + what + "：" + ec.message() + "）")
        .En("Cannot listen on " + where + " (" + what + ": " + ec.message() + ")");
  };
  acceptor_.open(ep.protocol(), ec);
  if (ec) return fail("open");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  acceptor_.bind(ep, ec);
  if (ec) return fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  port_.store(acceptor_.local_endpoint(ec).port());
  started_.store(true);

  Spawn(ioc_.get_executor(), AcceptLoop(), "accept loop");
  if (access_logger_) ScheduleLogFlush();
  if (opt_.stop_on_signals) {
    signals_.emplace(ioc_, SIGINT, SIGTERM);
    signals_->async_wait([this](const error_code& e, int sig) {
      if (e) return;
      spdlog::info("http: signal {} received, stopping", sig);
      Stop();
    });
  }
  return core::Status::Ok();
}

void Server::Impl::Run() {
  if (!started_.load()) return;
  int n = std::max(1, opt_.threads);
  auto run = [this] {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: I/O thread caught: {}", e.what());
      } catch (...) {
        spdlog::error("http: I/O thread caught an unknown exception");
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(n - 1));
  for (int i = 1; i < n; ++i) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
  workers_.join();  // handlers still running after a forced stop (grace period over) finish
  if (access_logger_) access_logger_->flush();
}

void Server::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(ioc_, [this] {
    stop_deadline_ = SteadyClock::now() + opt_.shutdown_grace;
    error_code ig;
    acceptor_.close(ig);
    flush_timer_.cancel();
    if (signals_) signals_->cancel(ig);
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(conns_mu_);
      live.reserve(conns_.size());
      for (auto& [p, w] : conns_)
        if (auto c = w.lock()) live.push_back(std::move(c));
    }
    for (auto& c : live) Kick(c);
    CheckDrained();
  });
}

void Server::Impl::ScheduleLogFlush() {
  flush_timer_.expires_after(std::chrono::seconds(1));
  flush_timer_.async_wait([this](const error_code& ec) {
    if (ec || stopping_.load()) return;
    access_logger_->flush();
    ScheduleLogFlush();
  });
}

void Server::Impl::Kick(const std::shared_ptr<Connection>& c) {
  asio::post(c->socket.get_executor(), [c] {
    if (c->closed) return;
    c->sse_timer.cancel();
    if (c->state == State::kIdle) {
      error_code ig;
      c->socket.cancel(ig);
    }
  });
}

void Server::Impl::CheckDrained() {
  size_t live;
  {
    std::lock_guard lock(conns_mu_);
    live = conns_.size();
  }
  if (live == 0) return;  // nothing left: run() returns once the last handlers finish
  if (SteadyClock::now() >= stop_deadline_) {
    spdlog::warn("http: {} connection(s) still busy after the shutdown grace period", live);
    ioc_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this](const error_code& ec) {
    if (!ec) CheckDrained();
  });
}

void Server::Impl::Unregister(Connection* c) {
  std::lock_guard lock(conns_mu_);
  if (conns_.erase(c) == 0) return;
  if (c->over_cap) {
    --overflow_conns_;
  } else {
    --normal_conns_;
  }
  if (!c->per_ip_counted) return;
  auto it = per_ip_.find(c->remote);
  if (it == per_ip_.end()) return;
  --(c->over_cap ? it->second.overflow : it->second.normal);
  if (it->second.normal == 0 && it->second.overflow == 0) per_ip_.erase(it);
}

int Server::Impl::Admit(const std::shared_ptr<Connection>& conn) {
  Connection& c = *conn;
  // Behind a trusted proxy every client shares the proxy's address: no per-address cap (the
  // proxy limits per client), only the server's.
  const bool exempt = opt_.trust_x_forwarded_for ||
                      std::find(opt_.trusted_proxies.begin(), opt_.trusted_proxies.end(),
                                c.remote) != opt_.trusted_proxies.end();
  std::lock_guard lock(conns_mu_);
  PerIp* ip = exempt ? nullptr : &per_ip_[c.remote];
  int admitted = -1;
  if (normal_conns_ < max_conns_ && (ip == nullptr || ip->normal < max_per_ip_)) {
    ++normal_conns_;
    if (ip) ++ip->normal;
    admitted = 1;
  } else if (overflow_conns_ < opt_.overflow_connections &&
             (ip == nullptr || ip->overflow < max_overflow_per_ip_)) {
    ++overflow_conns_;
    if (ip) ++ip->overflow;
    c.over_cap = true;
    admitted = 0;
  }
  if (admitted < 0) {
    if (ip && ip->normal == 0 && ip->overflow == 0) per_ip_.erase(c.remote);
    auto now = SteadyClock::now();
    ++refused_conns_;
    if (now - last_refusal_warning_ >= std::chrono::seconds(10)) {
      spdlog::warn("http: {} connection(s) refused over the caps (last from {}; {} open)",
                   refused_conns_, c.remote, normal_conns_ + overflow_conns_);
      refused_conns_ = 0;
      last_refusal_warning_ = now;
    }
    return -1;
  }
  c.per_ip_counted = ip != nullptr;
  conns_.emplace(&c, conn);
  return admitted;
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  asio::steady_timer backoff(ioc_);
  auto delay = std::chrono::milliseconds(10);
  while (!stopping_.load()) {
    tcp::socket sock(asio::make_strand(ioc_));
    error_code ec;
    co_await acceptor_.async_accept(sock, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_.load() || ec == asio::error::operation_aborted ||
          ec == asio::error::bad_descriptor)
        break;
      // Out of file descriptors (EMFILE/ENFILE) or memory: back off exponentially up to 1 s
      // (the pending connection stays in the backlog) and log once per 10 s, not per try.
      ++accept_failures_;
      auto now = SteadyClock::now();
      if (now - last_accept_warning_ >= std::chrono::seconds(10)) {
        spdlog::warn("http: accept failed ({} time(s) in the last 10 s): {}; backing off",
                     accept_failures_, ec.message());
        accept_failures_ = 0;
        last_accept_warning_ = now;
      }
      backoff.expires_after(delay);
      delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(1));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    delay = std::chrono::milliseconds(10);
    sock.set_option(tcp::no_delay(true), ec);
    auto c = std::make_shared<Connection>(*this, std::move(sock));
    auto remote = c->socket.remote_endpoint(ec);
    if (!ec) c->remote = remote.address().to_string();
    if (Admit(c) < 0) {
      c->socket.set_option(asio::socket_base::linger(true, 0), ec);  // RST, no TIME_WAIT
      c->Close();
      continue;
    }
    if (stopping_.load()) Kick(c);
    auto ex = c->socket.get_executor();
    Spawn(ex, Watchdog(c), "watchdog");
    Spawn(ex, Session(c), "connection");
  }
}

asio::awaitable<void> Server::Impl::Watchdog(std::shared_ptr<Connection> c) {
  while (!c->closed) {
    auto now = SteadyClock::now();
    if (c->deadline <= now) {
      c->timed_out = true;
      c->ClearDeadline();
      error_code ig;
      c->socket.cancel(ig);
    }
    c->watchdog.expires_at(std::min(c->deadline, now + kWatchdogTick));
    error_code ec;
    co_await c->watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void Server::Impl::WriteHead(std::string& out, int status, const Response& res, const Request& req,
                             size_t content_length, bool has_length, bool keep_alive,
                             bool http10) const {
  out.clear();
  out += "HTTP/1.1 ";
  AppendInt(out, static_cast<uint64_t>(status));
  out += ' ';
  out += Reason(status);
  out += "\r\nServer: xietong\r\nDate: ";
  out += HttpDate();
  out += "\r\n";
  if (!res.stream && status != 204 && status != 304 && status >= 200) {
    out += "Content-Type: ";
    out += res.content_type.empty() ? std::string_view("application/octet-stream")
                                    : std::string_view(res.content_type);
    out += "\r\n";
  }
  if (has_length) {
    out += "Content-Length: ";
    AppendInt(out, content_length);
    out += "\r\n";
  }
  out += "X-Content-Type-Options: nosniff\r\n";
  // Security headers (issue 15 finding 7): HTML gets a CSP without inline script and no
  // framing unless its handler chose its own (printed documents allow framing by our origin).
  if (!res.header("referrer-policy")) out += "Referrer-Policy: same-origin\r\n";
  if (!res.stream && res.content_type.size() >= 9 &&
      EqualsIgnoreCase(std::string_view(res.content_type).substr(0, 9), "text/html")) {
    if (!res.header("content-security-policy") && !opt_.html_csp.empty()) {
      out += "Content-Security-Policy: ";
      out += opt_.html_csp;
      out += "\r\n";
    }
    if (!res.header("x-frame-options")) out += "X-Frame-Options: DENY\r\n";
  }
  if (!req.request_id.empty()) {
    out += "X-Request-Id: ";
    out += req.request_id;
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (http10) {
    out += "Connection: keep-alive\r\n";
  }
  for (const auto& [name, value] : res.headers) {
    if (ServerManagedHeader(name) || !SafeHeader(name, value)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
}

void Server::Impl::Log(const Request& req, int status, uint64_t bytes,
                       SteadyClock::time_point start) {
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  metrics_.ObserveRequest(req.route, req.method, status, seconds);
  thread_local std::string line;
  line.clear();
  line += "{\"ts\":\"";
  line += core::FormatInstant(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  line += "\",\"request_id\":";
  AppendJsonString(line, req.request_id);
  line += ",\"remote\":";
  AppendJsonString(line, req.remote_addr);
  line += ",\"method\":";
  AppendJsonString(line, req.method);
  line += ",\"path\":";
  AppendJsonString(line,
                   req.path.empty() ? std::string_view(req.target) : std::string_view(req.path));
  line += ",\"route\":";
  AppendJsonString(line, req.route);
  line += ",\"status\":";
  AppendInt(line, static_cast<uint64_t>(status));
  line += ",\"bytes\":";
  AppendInt(line, bytes);
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, ",\"duration_ms\":%.3f", seconds * 1000.0);
  if (n > 0) line.append(buf, static_cast<size_t>(n));
  line += ",\"user\":";
  if (req.log_user.empty()) {
    line += "null";
  } else {
    AppendJsonString(line, req.log_user);
  }
  line += '}';
  try {
    log_(line);
  } catch (...) {
    // A failing log sink must not take the connection down.
  }
}

asio::awaitable<void> Server::Impl::Linger(std::shared_ptr<Connection> c) {
  // Half-close, then read and discard what the client is still sending (e.g. the rest of a
  // rejected body) for a moment, so the error response is not destroyed by a TCP reset.
  error_code ec;
  c->socket.shutdown(tcp::socket::shutdown_send, ec);
  c->SetDeadline(std::chrono::seconds(2));
  std::array<char, 8192> sink;
  size_t total = 0;
  while (!ec && total < kMaxLingerBytes) {
    size_t n = co_await c->socket.async_read_some(asio::buffer(sink),
                                                  asio::redirect_error(asio::use_awaitable, ec));
    total += n;
  }
}

asio::awaitable<void> Server::Impl::FailRequest(std::shared_ptr<Connection> c,
                                                const core::Status& status, int http_status,
                                                Request& req, SteadyClock::time_point start) {
  Impl& s = c->server;
  Response res = ErrorResponse(status, req);
  res.status = http_status;
  if (http_status == 503) res.AddHeader("Retry-After", "5");
  s.WriteHead(c->head, res.status, res, req, res.body.size(), true, false, false);
  std::array<asio::const_buffer, 2> bufs{asio::buffer(c->head), asio::buffer(res.body)};
  c->SetDeadline(s.opt_.read_timeout);
  c->timed_out = false;
  error_code ec;
  co_await asio::async_write(c->socket, bufs, asio::redirect_error(asio::use_awaitable, ec));
  s.Log(req, res.status, res.body.size(), start);
  if (!ec) co_await Linger(c);
}

asio::awaitable<void> Server::Impl::SseReader(std::shared_ptr<Connection> c) {
  std::array<char, 512> buf;
  error_code ec;
  while (!c->closed) {
    co_await c->socket.async_read_some(asio::buffer(buf),
                                       asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;  // whatever the client sends on an event stream is ignored
  }
  c->client_gone = true;
  c->sse_timer.cancel();
}

asio::awaitable<void> Server::Impl::ServeStream(std::shared_ptr<Connection> c, Request& req,
                                                Response& res, SteadyClock::time_point start) {
  Impl& s = c->server;
  std::shared_ptr<EventStream> stream = res.stream;
  c->state = State::kStreaming;
  std::weak_ptr<Connection> weak = c;
  stream->SetNotifier([weak] {
    if (auto conn = weak.lock()) {
      asio::post(conn->socket.get_executor(), [conn] { conn->sse_timer.cancel(); });
    }
  });

  int status = res.status >= 200 && res.status < 300 ? res.status : 200;
  s.WriteHead(c->head, status, res, req, 0, false, false, false);
  // WriteHead skipped Content-Type for streams; insert the SSE headers before the blank line.
  c->head.resize(c->head.size() - 2);
  c->head +=
      "Content-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
      "X-Accel-Buffering: no\r\n\r\n";
  s.metrics_.InflightDec();  // an open stream is not in-flight work

  s.Spawn(c->socket.get_executor(), SseReader(c), "event stream reader");
  uint64_t bytes = 0;
  std::string pending = std::move(c->head);
  c->head.clear();
  error_code ec;
  // The stream's check (e.g. the session is still valid) runs on a worker every sse_recheck;
  // a failed check closes the stream (what it queued is written first).
  const bool recheck = stream->has_recheck();
  auto next_check = SteadyClock::now() + s.opt_.sse_recheck;
  auto next_keepalive = SteadyClock::now() + s.opt_.sse_keepalive;
  for (;;) {
    bool open = stream->Drain(pending);
    if (!pending.empty()) {
      c->SetDeadline(s.opt_.read_timeout);
      size_t n = co_await asio::async_write(c->socket, asio::buffer(pending),
                                            asio::redirect_error(asio::use_awaitable, ec));
      c->ClearDeadline();
      bytes += n;
      pending.clear();
      next_keepalive = SteadyClock::now() + s.opt_.sse_keepalive;
      if (ec) break;
      continue;
    }
    if (!open || c->client_gone || s.stopping_.load()) break;
    if (recheck && SteadyClock::now() >= next_check) {
      bool still_valid = co_await asio::co_spawn(s.workers_, RecheckOnWorker(stream),
                                                 asio::use_awaitable);
      next_check = SteadyClock::now() + s.opt_.sse_recheck;
      if (!still_valid) stream->Close();
      continue;
    }
    // Woken early by the notifier (cancel), by the reader, or by Stop(); at the keep-alive
    // time, a comment; at the check time, the check.
    c->sse_timer.expires_at(recheck ? std::min(next_keepalive, next_check) : next_keepalive);
    error_code wait_ec;
    co_await c->sse_timer.async_wait(asio::redirect_error(asio::use_awaitable, wait_ec));
    if (!c->client_gone && !s.stopping_.load() && SteadyClock::now() >= next_keepalive)
      pending = ": keepalive\n\n";
  }
  stream->Abandon();
  s.metrics_.InflightInc();  // balanced by the caller's InflightDec
  s.Log(req, status, bytes, start);
}

asio::awaitable<void> Server::Impl::Session(std::shared_ptr<Connection> c) {
  try {
    co_await SessionLoop(c);
  } catch (const std::exception& e) {
    spdlog::error("http: connection from {} failed: {}", c->remote, e.what());
  } catch (...) {
    spdlog::error("http: connection from {} failed", c->remote);
  }
  c->Close();
  c->server.Unregister(c.get());
}

asio::awaitable<void> Server::Impl::SessionLoop(std::shared_ptr<Connection> c) {
  Impl& s = c->server;
  const ServerOptions& opt = s.opt_;
  for (;;) {
    if (s.stopping_.load() || c->closed) break;

    // Wait for the first byte of the next request (idle keep-alive connection).
    c->state = State::kIdle;
    c->timed_out = false;
    error_code ec;
    if (c->buffer.size() == 0) {
      // A new connection gets header_timeout for its first byte (a silent socket holds a
      // descriptor), an over-cap one only a moment; a keep-alive one idle_timeout.
      c->SetDeadline(c->over_cap        ? std::chrono::seconds(kOverCapTimeout)
                     : c->first_request ? std::min(opt.idle_timeout, opt.header_timeout)
                                        : opt.idle_timeout);
      size_t n = co_await c->socket.async_read_some(c->buffer.prepare(4096),
                                                    asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;  // closed by the peer, idle timeout or Stop(): close quietly
      c->buffer.commit(n);
    }

    // Read the request.
    c->state = State::kReading;
    c->first_request = false;
    auto start = SteadyClock::now();
    // The header block within header_timeout (over-cap: kOverCapTimeout), the whole request
    // within read_timeout.
    c->deadline = start + std::min<SteadyClock::duration>(
                              c->over_cap ? std::chrono::seconds(kOverCapTimeout)
                                          : std::chrono::seconds(opt.header_timeout),
                              opt.read_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    ConfigureParser(parser, opt);
    co_await bhttp::async_read_header(c->socket, c->buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    // What is known of a request refused before its body, for the error's language and the
    // access log: the fields parsed so far (all of them when the header block was complete).
    auto partial_request = [&] {
      Request partial;
      partial.remote_addr = c->remote;
      const auto& m = parser.get();
      partial.method = std::string(std::string_view(m.method_string()));
      partial.target = std::string(std::string_view(m.target()));
      for (const auto& f : m)
        partial.headers.emplace_back(std::string_view(f.name_string()),
                                     std::string_view(f.value()));
      auto rid = partial.header("x-request-id");
      partial.request_id = rid && SaneRequestId(*rid) ? std::string(*rid) : NewRequestId();
      return partial;
    };
    if (!ec) {
      const char* refuse = nullptr;
      int refuse_status = 400;
      if (!AcceptableTransferEncoding(parser.get(), parser.get().version())) {
        refuse = "bad_transfer_encoding";  // request smuggling: 400 and close
      } else if (c->over_cap &&
                 !PathIn(std::string_view(parser.get().target()), opt.cap_exempt_paths)) {
        refuse = "too_many_connections";
        refuse_status = 503;
      }
      if (refuse != nullptr) {
        Request partial = partial_request();
        co_await FailRequest(c, ConnectionError(refuse), refuse_status, partial, start);
        break;
      }
    }
    if (!ec && !parser.is_done()) {
      c->deadline = start + opt.read_timeout;
      auto expect = parser.get()[bhttp::field::expect];
      if (beast::iequals(expect, "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(c->socket, asio::buffer(kContinue),
                                   asio::redirect_error(asio::use_awaitable, ec));
      }
      if (!ec) {
        co_await bhttp::async_read(c->socket, c->buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    if (ec) {
      const char* id = nullptr;
      int http_status = 400;
      if (c->timed_out) {
        id = "request_timeout";
        http_status = 408;
      } else {
        id = ReadErrorId(ec, http_status);
      }
      if (id != nullptr) {
        Request partial = partial_request();
        co_await FailRequest(c, ConnectionError(id), http_status, partial, start);
      }
      break;  // socket errors, end of stream, EOF mid-message: close
    }

    // Build the Request.
    auto& msg = parser.get();
    Request req = BuildRequest(msg, c->remote, opt);
    const bool http10 = msg.version() < 11;
    bool keep_alive = msg.keep_alive() && !c->over_cap;  // over a cap: one request only
    const bool head = msg.method() == bhttp::verb::head;

    // Handle.
    c->state = State::kHandling;
    c->ClearDeadline();
    s.metrics_.InflightInc();
    Response res;
    if (auto st = req.SetTarget(std::string_view(msg.target())); !st.ok()) {
      res = ErrorResponse(st, req);
    } else {
      // On a worker; the coroutine resumes on the connection's strand when it is done.
      res = co_await asio::co_spawn(s.workers_, HandleOnWorker(s.router_, req),
                                    asio::use_awaitable);
    }
    if (res.status < 100 || res.status > 999) res.status = 500;

    if (res.stream) {
      if (head) {
        res.stream->Abandon();
        res.stream.reset();
        res.content_type = "text/event-stream; charset=utf-8";
      } else {
        co_await ServeStream(c, req, res, start);
        s.metrics_.InflightDec();
        break;
      }
    }

    // Write the response.
    c->state = State::kWriting;
    if (s.stopping_.load()) keep_alive = false;
    const bool no_body = head || res.status == 204 || res.status == 304 || res.status < 200;
    const bool has_length = res.status != 204 && res.status >= 200;
    s.WriteHead(c->head, res.status, res, req, res.body.size(), has_length, keep_alive, http10);
    std::array<asio::const_buffer, 2> bufs{asio::buffer(c->head),
                                           no_body ? asio::const_buffer() : asio::buffer(res.body)};
    c->SetDeadline(opt.read_timeout);
    co_await asio::async_write(c->socket, bufs, asio::redirect_error(asio::use_awaitable, ec));
    s.metrics_.InflightDec();
    s.Log(req, res.status, no_body ? 0 : res.body.size(), start);
    if (ec || !keep_alive) break;
    // A large request left the read buffer large: give the memory back before the connection
    // idles (thousands of keep-alive connections must not each keep a body-sized buffer).
    if (c->buffer.capacity() > kKeptBufferBytes) c->buffer.shrink_to_fit();
  }
}

// ---------------------------------------------------------------------------------------------
// ParseRequest: the session's reading steps on bytes in memory.

ParsedRequest ParseRequest(std::string_view bytes, const ServerOptions& opt,
                           std::string_view peer) {
  ParsedRequest out;
  bhttp::request_parser<bhttp::string_body> parser;
  ConfigureParser(parser, opt);
  parser.eager(false);  // the header block first, checked, then the body (as the session does)
  error_code ec;
  bool checked_header = false;
  while (!parser.is_done()) {
    size_t n = parser.put(asio::buffer(bytes.data() + out.consumed, bytes.size() - out.consumed),
                          ec);
    out.consumed += n;
    if (ec == bhttp::error::need_more) {
      if (n > 0) {
        ec = {};
        continue;  // a part was parsed: offer the rest
      }
      out.incomplete = true;  // the bytes end inside the request: the server would read more
      return out;
    }
    if (ec) {
      int http_status = 400;
      const char* id = ReadErrorId(ec, http_status);
      if (id == nullptr) {
        out.incomplete = true;  // the server closes without an answer
        return out;
      }
      out.status = ConnectionError(id);
      out.http_status = http_status;
      return out;
    }
    if (!checked_header && parser.is_header_done()) {
      checked_header = true;
      if (!AcceptableTransferEncoding(parser.get(), parser.get().version())) {
        out.status = ConnectionError("bad_transfer_encoding");
        out.http_status = 400;
        return out;
      }
      parser.eager(true);
      continue;
    }
    if (n == 0) {
      out.incomplete = true;  // nothing more could be parsed from these bytes
      return out;
    }
  }
  auto& msg = parser.get();
  out.request = BuildRequest(msg, peer, opt);
  out.keep_alive = msg.keep_alive();
  if (auto st = out.request.SetTarget(std::string_view(msg.target())); !st.ok()) {
    out.status = st;
    out.http_status = HttpStatusFor(st);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Server

size_t AutoMaxConnections(uint64_t fd_limit, size_t overflow_connections) {
  const uint64_t reserve = 128 + fd_limit / 8 + overflow_connections;
  const uint64_t left = fd_limit > reserve ? fd_limit - reserve : 0;
  return static_cast<size_t>(std::clamp<uint64_t>(left, 16, 10000));
}

Server::Server(ServerOptions options, Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

core::Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace xietong::http
