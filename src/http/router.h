// Router: maps (method, path) to a handler, with {name} path segments.
//
// Patterns are literal segments and whole-segment parameters: "/api/v1/orgs/{id}/members".
// Matching works on the percent-decoded Request::path split at '/', at most 32 segments; empty
// segments are ignored, so "/api/v1/orgs/" matches "/api/v1/orgs". A literal segment wins over
// a parameter at the same position (backtracking when the literal branch has no route for the
// path, or none for the method while the other branch has one). HEAD is served by the GET
// handler when no HEAD route exists (the server drops the body). No route for the path gives
// 404 "route_not_found"; a route for the path but not the method gives 405
// "method_not_allowed" with an Allow header. Both are JSON errors. GET/HEAD requests outside
// the API prefix (default "/api/") that match no route go to the fallback handler, if one is
// set (static files / the SPA).
//
//   Router router;
//   router.Add("GET", "/api/v1/orgs/{id}", [&](Request& req) {
//     auto id = req.path_int("id");
//     if (!id.ok()) return ErrorResponse(id.status(), req);
//     ...
//   });
//   router.SetFallback([&](Request& req) { return static_files.Serve(req); });
//
// Thread safety: configure (Add, Use, SetFallback) before serving; Handle() and Routes() are
// then const and safe to call from any number of threads.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"

namespace xietong::http {

using Handler = std::function<Response(Request&)>;
// Wraps a matched route's handler: call `next(req)` to continue, or return early.
using Middleware = std::function<Response(Request& req, const Handler& next)>;

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for `method` ("GET", "POST", ...) and `pattern` ("/api/v1/x/{id}").
  // REQUIRES: pattern starts with '/', has at most 32 segments; each {name} fills a whole
  // segment and names are unique within the pattern; no route for the same method and the same
  // pattern (parameter names aside: "/x/{id}" and "/x/{key}" are the same pattern). Violations
  // throw std::invalid_argument (a start-up bug).
  void Add(std::string method, std::string pattern, Handler handler);

  // Adds a middleware applied to every route handler (not to the fallback), outermost first:
  // the first Use() sees the request first. Takes effect for routes added before and after.
  void Use(Middleware middleware);

  // Sets the handler for unmatched GET/HEAD requests whose path does not start with
  // `api_prefix`. Its Request::route is set to "fallback".
  void SetFallback(Handler handler, std::string api_prefix = "/api/");

  // Dispatches `req` (uses req.method and req.path; sets req.path_params and req.route) and
  // returns the handler's response, or a 404/405 JSON error. Exceptions from handlers
  // propagate (the server turns them into 500).
  Response Handle(Request& req) const;

  // Every registered (method, pattern), sorted by pattern then method.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Node;
  struct Endpoint;
  struct Chain;
  static constexpr size_t kMaxSegments = 32;
  // Depth-first search for the node of `segs[i..]` below `node` accepted by `accept`,
  // recording parameter values in `params`.
  template <typename Accept>
  const Node* Find(const Node& node, std::span<const std::string_view> segs, size_t i,
                   std::string_view* params, size_t nparams, const Accept& accept) const;
  Response Invoke(const Handler& handler, Request& req) const;

  std::unique_ptr<Node> root_;
  std::vector<Middleware> middlewares_;
  Handler fallback_;
  std::string api_prefix_ = "/api/";
  std::vector<std::pair<std::string, std::string>> routes_;
};

}  // namespace xietong::http
