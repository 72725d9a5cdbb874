// Server: the HTTP/1.1 server (Boost.Beast/Asio, kept inside server.cc).
//
// Reads requests (keep-alive, pipelined requests answered in order, "Connection: close"
// honoured), hands each to the Router on the server's thread pool, writes the Response, and
// streams Server-Sent Events for responses with a `stream`. Every request gets an id
// (X-Request-Id), a line in the access log, and an entry in Metrics. Limits are answered with
// the API's JSON error shape: body too large 413 "body_too_large", header block too large 431
// "headers_too_large", a request not fully received within read_timeout 408 "request_timeout"
// (a connection with no request started within idle_timeout is just closed), malformed
// request 400 "bad_request" — including any Transfer-Encoding other than exactly "chunked", or
// one together with Content-Length (request smuggling); these errors close the connection.
// Connections are capped per server and per peer address (max_connections,
// max_connections_per_ip): over a cap the connection may make one request, answered 503
// "too_many_connections" unless its path is in cap_exempt_paths (/healthz), then closed. HTML
// responses carry security headers (html_csp). A handler that throws gives 500 "internal" and
// is logged; the server keeps running. Handlers run on a pool of `workers` threads, not on the `threads` I/O
// threads: a handler that blocks (a durable commit waits for fsync) holds a worker, and up to
// `workers` requests are handled at once (so their writes can share one group commit).
//
//   Router router;  Metrics metrics;  ...add routes...
//   Server server({.host = "0.0.0.0", .port = 8080}, router, metrics);
//   if (auto st = server.Start(); !st.ok()) { ...report st... }
//   server.Run();   // blocks; another thread (or SIGTERM with stop_on_signals) calls Stop()
//
// Thread safety: Start(), Run() and the destructor from one thread; Stop() and port() from any
// thread (including handlers), but not from a POSIX signal handler (use stop_on_signals).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"

namespace xietong::http {

// Receives one access-log line (a JSON object, no trailing newline). Called on I/O threads
// concurrently: it must be thread-safe and quick.
using AccessLogSink = std::function<void(std::string_view line)>;

// The default CSP of HTML pages: scripts only from our origin (no inline script, no eval);
// styles also inline (the built index.html and UI components set style attributes); no
// framing by anyone.
inline constexpr std::string_view kDefaultHtmlCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

// The automatic connection cap for a file-descriptor limit of `fd_limit`: what is left after
// a reserve for the database, logs and files (128 + fd_limit/8) and the overflow
// connections, at least 16, at most 10000.
size_t AutoMaxConnections(uint64_t fd_limit, size_t overflow_connections);

struct ServerOptions {
  // Address to listen on. Default "127.0.0.1" (loopback only); "0.0.0.0" for all IPv4.
  std::string host = "127.0.0.1";
  // TCP port. Default 8080; 0 picks any free port (see Server::port()).
  uint16_t port = 8080;
  // I/O threads (sockets, parsing, writing). Default: the number of hardware threads (at
  // least 1).
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Handler threads: requests handled at once. Handlers mostly wait for the database, so this
  // is sized for waiting, not for cores. Default 32.
  int workers = 32;
  // Largest accepted request body. Default 8 MiB; larger gives 413 "body_too_large".
  size_t max_body_bytes = 8 * 1024 * 1024;
  // Largest accepted request line + header block. Default 16 KiB; larger gives 431.
  size_t max_header_bytes = 16 * 1024;
  // Time to receive a whole request once its first byte arrived, and to write a response.
  // Default 30 s; expiry gives 408 "request_timeout" (read) or closes (write).
  std::chrono::seconds read_timeout{30};
  // Time a keep-alive connection may wait for the next request's first byte. Default 60 s.
  std::chrono::seconds idle_timeout{60};
  // Time to receive the request line and header block once the first byte arrived; also how
  // long a new connection may stay silent before its first byte. Default 10 s (slow-header
  // clients are answered 408, silent ones closed).
  std::chrono::seconds header_timeout{10};
  // Open connections at most (all clients together). 0 = automatic: from the process's
  // file-descriptor limit (RLIMIT_NOFILE soft limit, see AutoMaxConnections), at most 10000.
  size_t max_connections = 0;
  // Open connections at most from one TCP peer address. Peers that are trusted proxies
  // (trust_x_forwarded_for, trusted_proxies) are not limited per address: behind a proxy,
  // limit per client there (deploy/nginx: limit_conn). 0 = automatic: min(1000,
  // max_connections).
  size_t max_connections_per_ip = 0;
  // Connections accepted beyond the caps, each allowed one request with a short timeout: a
  // path in cap_exempt_paths is served, anything else answered 503 "too_many_connections";
  // then closed. At most a quarter of them (at least 2) per peer address. Beyond these the
  // connection is closed at once. Default 32.
  size_t overflow_connections = 32;
  // Paths served even over the connection caps (monitoring). Default {"/healthz"}.
  std::vector<std::string> cap_exempt_paths{"/healthz"};
  // Nesting limit for JSON bodies, passed to handlers as Request::max_json_depth. Default 32.
  int max_json_depth = 32;
  // Interval between ": keepalive" comments on idle Server-Sent Events streams. Default 15 s.
  std::chrono::milliseconds sse_keepalive{15000};
  // Interval at which an open event stream's check (EventStream::SetRecheck, e.g. "is the
  // session still valid?") runs on a worker. Default 30 s.
  std::chrono::milliseconds sse_recheck{30000};
  // Content-Security-Policy added to every text/html response whose handler set none (the web
  // UI and any other HTML page), with X-Frame-Options: DENY. Every response also gets
  // Referrer-Policy: same-origin and X-Content-Type-Options: nosniff.
  std::string html_csp = std::string(kDefaultHtmlCsp);
  // How long Stop() lets in-flight requests finish before closing everything. Default 10 s.
  std::chrono::seconds shutdown_grace{10};
  // Treat every peer as a trusted proxy: Request::remote_addr from X-Forwarded-For /
  // X-Real-IP as http::ClientAddress (request.h) decides (only behind a reverse proxy that sets
  // them). Default false: the TCP peer address.
  bool trust_x_forwarded_for = false;
  // Peer addresses ("127.0.0.1") whose X-Forwarded-For / X-Real-IP are honoured as above even
  // when trust_x_forwarded_for is false: the reverse proxies in front of the server, also
  // skipped as entries of a proxy chain. Default none.
  std::vector<std::string> trusted_proxies;
  // Run() also stops the server on SIGINT and SIGTERM. Default false.
  bool stop_on_signals = false;
  // Where access-log lines go. Default (empty): the spdlog logger "access" — the registered
  // one if the program made it, else a new asynchronous logger writing buffered stdout with
  // pattern "%v" — flushed by the server once a second and when Run() returns.
  // To disable, pass a sink that does nothing.
  AccessLogSink access_log;
};

// One request read from bytes in memory exactly as a connection reads it (the same Beast
// parser configuration, limits, Transfer-Encoding check and Request construction as the
// server), for tests and fuzzing. Pure; thread-safe.
struct ParsedRequest {
  // The bytes end before the request does (the server would wait for more), or the server
  // would close the connection without an answer. `status` is then OK and `request` empty.
  bool incomplete = false;
  // Not OK: the error the server answers with `http_status` (400 "bad_request",
  // "bad_transfer_encoding", 413 "body_too_large", 431 "headers_too_large", or SetTarget's
  // 400), then closes. OK and not incomplete: `request` is complete (target, path, query set).
  core::Status status;
  int http_status = 0;
  Request request;
  bool keep_alive = false;  // the message asks to keep the connection open
  size_t consumed = 0;      // bytes used; a pipelined request may follow
};
ParsedRequest ParseRequest(std::string_view bytes, const ServerOptions& options,
                           std::string_view peer = "127.0.0.1");

class Server {
 public:
  // REQUIRES: `router` and `metrics` outlive the server and are fully configured (the router
  // is not modified while serving).
  Server(ServerOptions options, Router& router, Metrics& metrics);
  // REQUIRES: Run() is not running (it has returned, or was never called).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens on options.host:options.port.
  // Errors: invalid_argument "bad_listen_address" when the host does not resolve or options
  // are unusable; unavailable "bind_failed" when the port is busy or not permitted.
  // REQUIRES: called once, before Run().
  core::Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start() succeeded.
  uint16_t port() const;

  // Serves until Stop(): runs options.threads threads (this one included) and returns after
  // the shutdown has finished. Returns at once if Start() did not succeed or Stop() was called.
  void Run();

  // Begins a graceful shutdown and returns at once: stops accepting, closes idle keep-alive
  // connections and Server-Sent Events streams, lets in-flight requests finish (their
  // responses carry "Connection: close") for up to options.shutdown_grace, then closes the
  // rest. Run() returns when this is done. Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xietong::http
