// libFuzzer target: raw bytes as they arrive on a connection, read by http::ParseRequest — the
// server's own Beast parser configuration, Transfer-Encoding check and Request construction
// (server.h) — then the Request accessors handlers use (headers, cookies, query, client
// address, JSON body). Pipelined requests are read one after another, as a keep-alive
// connection does.
//
// Checked besides memory and UB (ASan/UBSan): an answered error is 400/413/431 with our JSON
// error shape; a complete request has a method, a path starting with "/" (or "*"), and used
// at least one byte and no more than it was given.
//
// Build: cmake -DXT_FUZZ=ON with clang (scripts/soak). Run: build-fuzz/fuzz/http_request_fuzz
// fuzz/corpus/http_request_fuzz
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/json_io.h"
#include "http/request.h"
#include "http/server.h"

namespace {

using namespace xietong::http;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

ServerOptions Options(bool trust_all) {
  ServerOptions o;
  o.threads = 1;
  o.workers = 1;
  o.max_header_bytes = 16 * 1024;  // the default
  o.max_body_bytes = 64 * 1024;    // smaller than the default so the fuzzer can reach it
  o.trust_x_forwarded_for = trust_all;
  o.trusted_proxies = {"10.0.0.1", "::1"};
  return o;
}

void CheckError(const ParsedRequest& r) {
  Check(r.http_status == 400 || r.http_status == 413 || r.http_status == 431);
  Response res = ErrorResponse(r.status, r.request);
  auto v = boost::json::parse(res.body);
  Check(v.is_object() && v.as_object().contains("error"));
}

void Exercise(Request& req) {
  Check(!req.method.empty());
  Check(req.path == "*" || (!req.path.empty() && req.path.front() == '/'));  // "OPTIONS *"
  Check(!req.request_id.empty() && req.request_id.size() <= 64);
  (void)req.header("content-type");
  (void)req.cookie("xt_session");
  (void)req.query_param("q");
  (void)req.query_int("page");
  (void)req.query_int("page_size");
  (void)WantsEnglish(req);
  (void)IsIpAddress(req.remote_addr);
  auto body = ReadJsonBody(req);
  if (body.ok()) {
    FieldReader f(*body);
    (void)f.OptionalString("reason", 500);
    (void)f.Optional<int64_t>("id");
    (void)f.Finish();
  } else {
    Response res = ErrorResponse(body.status(), req);
    Check(res.status == 400);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ServerOptions kDirect = Options(false);
  static const ServerOptions kBehindProxy = Options(true);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The peer: a client, or one of our proxies (then X-Forwarded-For is believed); every peer
  // trusted or only the listed proxies. Chosen by the length, so any request reaches all four.
  const bool proxy = (size & 1) != 0;
  const ServerOptions& opt = (size & 2) != 0 ? kBehindProxy : kDirect;
  const std::string_view peer = proxy ? "10.0.0.1" : "192.0.2.7";
  size_t offset = 0;
  for (int i = 0; i < 16 && offset < bytes.size(); ++i) {
    ParsedRequest r = ParseRequest(bytes.substr(offset), opt, peer);
    Check(r.consumed <= bytes.size() - offset);
    if (r.incomplete) break;
    if (!r.status.ok()) {
      CheckError(r);
      break;  // the server answers and closes
    }
    Check(r.consumed > 0);
    Exercise(r.request);
    if (!r.keep_alive) break;
    offset += r.consumed;
  }
  return 0;
}
