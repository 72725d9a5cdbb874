// Request and Response: the HTTP layer's plain value types, free of Beast.
//
// API handlers see only these types (and json_io.h), so they compile fast. The server fills a
// Request from the wire, the router adds `path_params` and `route`, the auth layer may attach a
// principal in `context` and a name for the access log in `log_user`. A handler returns a
// Response; a non-null `Response::stream` turns it into a Server-Sent Events stream.
//
// Thread safety: Request and Response are thread-compatible value types (one thread at a time).
// EventStream is thread-safe: any thread may Push() or Close() while the server writes it.
//
//   Response Hello(Request& req) {
//     auto name = req.query_param("name").value_or("世界");
//     return JsonResponse(200, {{"hello", name}});        // json_io.h
//   }
//
//   // Server-Sent Events: keep the stream, push from any thread later.
//   Response Watch(Request&) {
//     auto stream = std::make_shared<EventStream>();
//     hub.Subscribe(stream);               // hub calls stream->Push("referral", json) later
//     stream->OnClose([] { ... });         // optional: unsubscribe promptly
//     Response res;
//     res.stream = stream;
//     return res;
//   }
#pragma once

#include <any>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace xietong::http {

// Percent-decodes `s` ("%E4%B8%AD" -> "中"). With `plus_as_space`, '+' becomes ' ' (query
// strings). Returns nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_as_space);

// ASCII case-insensitive equality (header names, tokens).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // "GET", "POST", ... as received (upper case by convention)
  std::string target;  // raw request-target: "/api/v1/orgs/7?x=%20"
  std::string path;    // percent-decoded path, no query: "/api/v1/orgs/7"
  // Decoded query parameters in order of appearance ("a=1&a=2" gives two entries).
  std::vector<std::pair<std::string, std::string>> query;
  // Header fields as received (name spelling kept; look up with header()).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_addr;  // client IP ("127.0.0.1"), or the proxy-supplied one when trusted
  // The client reached us over HTTPS: a trusted proxy said so (X-Forwarded-Proto: https, see
  // ForwardedHttps below). Decides the session cookie's Secure attribute (serve --cookie-secure).
  bool forwarded_https = false;
  std::string request_id;   // echoed as X-Request-Id; also in the access log
  // Values of the route's {name} segments, percent-decoded. Filled by Router.
  std::map<std::string, std::string, std::less<>> path_params;
  std::string route;        // matched pattern ("/api/v1/orgs/{id}"), for metrics/logs; "" if none
  std::string log_user;     // set by the auth layer: user shown in the access log
  std::any context;         // slot for the auth layer (e.g. a std::shared_ptr<Principal>)
  int max_json_depth = 32;  // ServerOptions::max_json_depth; used by ReadJsonBody()

  // Sets `target`, `path` and `query` from a raw request-target ("/a%20b?x=1").
  // Errors: invalid_argument "bad_request" (field "target") when percent-encoding is invalid
  // or the target is not in origin form ("/...") or absolute form ("http://host/...").
  core::Status SetTarget(std::string_view raw_target);

  // The first header named `name` (case-insensitive); the view points into `headers`.
  std::optional<std::string_view> header(std::string_view name) const;
  // The first query parameter named `name` (exact match), decoded.
  std::optional<std::string> query_param(std::string_view name) const;
  // A query parameter as a base-10 int64: nullopt when absent or empty.
  // Errors: invalid_argument (field = name) when present but not an integer.
  core::Result<std::optional<int64_t>> query_int(std::string_view name) const;
  // The cookie named `name` from the Cookie header(s); nullopt when absent.
  std::optional<std::string> cookie(std::string_view name) const;
  // A {name} path parameter; nullopt when the route has no such segment.
  std::optional<std::string_view> path_param(std::string_view name) const;
  // A {name} path parameter as a positive int64 id.
  // Errors: invalid_argument "invalid_id" (field = name) when missing, not a number or <= 0.
  core::Result<int64_t> path_int(std::string_view name) const;
};

// A Server-Sent Events stream (text/event-stream). Thread-safe.
//
// The handler returns it in Response::stream and keeps a shared_ptr; any thread then calls
// Push(). The server sends each event as it arrives, a ": keepalive" comment every 15 s, and
// ends the response when the client disconnects, Close() is called, or the server stops. After
// that Push() returns false: the publisher should drop the stream.
class EventStream {
 public:
  // Events queued but not yet written beyond this mean the client is too slow: the stream
  // closes itself.
  static constexpr size_t kMaxQueued = 1024;

  EventStream() = default;
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;
  ~EventStream();

  // Queues one event: "event: <event>\n" (omitted when empty), "id: <id>\n" (when non-empty),
  // one "data: " line per line of `data`, then a blank line.
  // Returns false (and queues nothing) when the stream is closed.
  // REQUIRES: `event` and `id` contain no CR/LF (they are stripped).
  bool Push(std::string_view event, std::string_view data, std::string_view id = {});
  // Ends the stream: events already queued are still written, then the response ends.
  // Idempotent.
  void Close();
  // True once closed by either side (Close(), client gone, server stopping, queue overflow).
  bool closed() const;
  // Registers `fn` to run once when the stream closes (on the closing thread, no lock held).
  // Runs immediately if already closed. Only one callback is kept (the last registered).
  void OnClose(std::function<void()> fn);
  // Registers a check the server runs on a worker thread every ServerOptions::sse_recheck
  // while the stream is open (e.g. "is the session that opened it still valid?"). When it
  // returns false the server closes the stream (events queued by the check itself are written
  // first). Only one check is kept (the last registered).
  void SetRecheck(std::function<bool()> fn);

  // --- For the server ------------------------------------------------------------------
  // Sets the function called (with no lock held) after each Push() and on Close(), so the
  // writer can wake up. It must be cheap and must not call back into this stream.
  void SetNotifier(std::function<void()> fn);
  // Moves all queued wire text into `out` (appending). Returns true while the stream is open;
  // false once it is closed (what was still queued has been appended: write it, then finish).
  bool Drain(std::string& out);
  // Marks the stream closed from the server side (client gone or server stopping) and drops
  // the notifier; runs the OnClose callback.
  void Abandon();
  // Whether a check was registered with SetRecheck (and the stream was not abandoned).
  bool has_recheck() const;
  // Runs the check; true when none is registered. Must not hold any lock of the caller.
  bool Recheck();

 private:
  void CloseLocked(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  std::function<void()> notifier_;
  std::function<void()> on_close_;
  std::function<bool()> recheck_;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  // Extra header fields (Set-Cookie, Location, Cache-Control, ...). Names and values must not
  // contain CR/LF; the server drops fields that do. Content-Length, Connection, Server, Date
  // and X-Request-Id are set by the server.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Non-null: a Server-Sent Events response; `body` and `content_type` are then ignored.
  std::shared_ptr<EventStream> stream;

  // Appends a header field. Returns *this for chaining.
  Response& AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // The first extra header named `name` (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
};

// ---- The client's address (serve --trusted-proxy) ----------------------------------------
//
// Request::remote_addr names the client for the access log, the sign-in lock-out and the audit
// trail. Only a reverse proxy we trust may name it for us:
//  - A request from a peer that is not trusted (trust_all false and the peer not among
//    `trusted_proxies`) is from the peer itself: its X-Forwarded-For and X-Real-IP are ignored
//    (anyone can send them).
//  - From a trusted peer, X-Forwarded-For (every field of that name, in order, joined by ',')
//    is read right to left: the rightmost entry is the address the peer saw. An entry that is
//    itself one of `trusted_proxies` is a proxy of ours in a chain and is skipped; the first
//    other entry is the client. An entry that is not a literal IP address (garbage, "unknown",
//    an address with a port, an empty entry) stops the walk: nothing left of it can be believed,
//    so the answer is the last address accepted to its right.
//  - When X-Forwarded-For gives no address (absent, or its rightmost entry malformed), a
//    trusted peer's X-Real-IP is used if it is a literal IP address; otherwise the peer.
// Surrounding spaces and tabs of entries are ignored; addresses are returned as written.
// Pure; thread-safe.
//
//   req.remote_addr = ClientAddress(peer, req, opt.trust_x_forwarded_for, opt.trusted_proxies);

// Whether `text` is a literal IPv4 address ("192.0.2.1") or IPv6 address ("2001:db8::1",
// "::ffff:192.0.2.1"); no brackets, ports or zone ids.
bool IsIpAddress(std::string_view text);

// Whether a trusted peer (as above) says the client's connection to it is HTTPS: the last
// X-Forwarded-Proto field's rightmost entry is "https" (case-insensitive). From an untrusted
// peer always false. Pure; thread-safe.
bool ForwardedHttps(std::string_view peer, const Request& req, bool trust_all,
                    const std::vector<std::string>& trusted_proxies);

// The client address of `req`, which arrived from the TCP peer `peer` (see above).
// `trust_all`: every peer is a trusted proxy (ServerOptions::trust_x_forwarded_for).
std::string ClientAddress(std::string_view peer, const Request& req, bool trust_all,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace xietong::http
