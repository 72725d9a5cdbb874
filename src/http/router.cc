#include "http/router.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "http/json_io.h"

namespace xietong::http {

struct Router::Endpoint {
  std::string method;
  std::string pattern;
  std::vector<std::string> param_names;  // in segment order
  Handler handler;
};

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::vector<Endpoint> endpoints;

  const Endpoint* For(std::string_view method) const {
    for (const auto& e : endpoints)
      if (e.method == method) return &e;
    return nullptr;
  }
};

// The state a middleware's `next` needs, kept on the stack so `next` fits in std::function's
// small buffer (no allocation per request).
struct Router::Chain {
  const Router* router;
  const Handler* handler;
  Response Run(size_t i, Request& req) const {
    if (i == router->middlewares_.size()) return (*handler)(req);
    const Chain* self = this;
    Handler next = [self, i](Request& r) { return self->Run(i + 1, r); };
    return router->middlewares_[i](req, next);
  }
};

namespace {

// Splits `path` at '/', skipping empty segments. Returns false when there are more than `max`.
bool Split(std::string_view path, std::string_view* out, size_t max, size_t& n) {
  n = 0;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) {
      if (n == max) return false;
      out[n++] = path.substr(i, j - i);
    }
    i = j + 1;
  }
  return true;
}

bool IsParam(std::string_view seg) {
  return seg.size() >= 3 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::Add(std::string method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  if (method.empty() || !handler)
    throw std::invalid_argument("route needs a method and a handler: " + pattern);
  std::array<std::string_view, kMaxSegments> segs;
  size_t n = 0;
  if (!Split(pattern, segs.data(), segs.size(), n))
    throw std::invalid_argument("route pattern has too many segments: " + pattern);
  Node* node = root_.get();
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    std::string_view seg = segs[i];
    if (IsParam(seg)) {
      std::string name(seg.substr(1, seg.size() - 2));
      if (name.find_first_of("{}") != std::string::npos ||
          std::find(names.begin(), names.end(), name) != names.end())
        throw std::invalid_argument("bad or duplicate parameter in route: " + pattern);
      names.push_back(std::move(name));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos)
        throw std::invalid_argument("a parameter must fill a whole segment: " + pattern);
      Node* next = nullptr;
      for (auto& [lit, child] : node->literals)
        if (lit == seg) next = child.get();
      if (next == nullptr) {
        node->literals.emplace_back(std::string(seg), std::make_unique<Node>());
        next = node->literals.back().second.get();
      }
      node = next;
    }
  }
  if (node->For(method) != nullptr)
    throw std::invalid_argument("route registered twice: " + method + " " + pattern);
  routes_.emplace_back(method, pattern);
  node->endpoints.push_back(
      Endpoint{std::move(method), std::move(pattern), std::move(names), std::move(handler)});
}

void Router::Use(Middleware middleware) { middlewares_.push_back(std::move(middleware)); }

void Router::SetFallback(Handler handler, std::string api_prefix) {
  fallback_ = std::move(handler);
  api_prefix_ = std::move(api_prefix);
}

template <typename Accept>
const Router::Node* Router::Find(const Node& node, std::span<const std::string_view> segs, size_t i,
                                 std::string_view* params, size_t nparams,
                                 const Accept& accept) const {
  if (i == segs.size()) return accept(node) ? &node : nullptr;
  for (const auto& [lit, child] : node.literals) {
    if (lit == segs[i]) {
      if (const Node* found = Find(*child, segs, i + 1, params, nparams, accept)) return found;
      break;
    }
  }
  if (node.param) {
    params[nparams] = segs[i];
    if (const Node* found = Find(*node.param, segs, i + 1, params, nparams + 1, accept))
      return found;
  }
  return nullptr;
}

Response Router::Invoke(const Handler& handler, Request& req) const {
  if (middlewares_.empty()) return handler(req);
  Chain chain{this, &handler};
  return chain.Run(0, req);
}

Response Router::Handle(Request& req) const {
  std::array<std::string_view, kMaxSegments> segs;
  std::array<std::string_view, kMaxSegments> params;
  size_t n = 0;
  const Node* node = nullptr;
  const bool head = req.method == "HEAD";
  if (Split(req.path, segs.data(), segs.size(), n)) {
    std::span<const std::string_view> s(segs.data(), n);
    node = Find(*root_, s, 0, params.data(), 0, [&](const Node& nd) {
      return nd.For(req.method) != nullptr || (head && nd.For("GET") != nullptr);
    });
    if (node == nullptr) {
      node = Find(*root_, s, 0, params.data(), 0,
                  [](const Node& nd) { return !nd.endpoints.empty(); });
    }
  }

  if (node == nullptr) {
    if (fallback_ && (req.method == "GET" || head) && !req.path.starts_with(api_prefix_)) {
      req.route = "fallback";
      return fallback_(req);
    }
    std::string what = req.method + " " + req.path;
    return ErrorResponse(
        core::Status(core::Code::kNotFound, "route_not_found", "接口不存在：" + what)
            .En("No such endpoint: " + what),
        req);
  }

  const Endpoint* ep = node->For(req.method);
  if (ep == nullptr && head) ep = node->For("GET");
  if (ep == nullptr) {
    std::vector<std::string> allow;
    for (const auto& e : node->endpoints) allow.push_back(e.method);
    if (node->For("GET") != nullptr && node->For("HEAD") == nullptr) allow.push_back("HEAD");
    std::sort(allow.begin(), allow.end());
    std::string allow_header;
    for (const auto& m : allow) {
      if (!allow_header.empty()) allow_header += ", ";
      allow_header += m;
    }
    Response res = ErrorResponse(
        core::Status(core::Code::kInvalidArgument, "method_not_allowed",
                     "接口不支持请求方法 " + req.method + "（支持：" + allow_header + "）")
            .En("Method " + req.method + " not allowed (allowed: " + allow_header + ")"),
        req);
    res.status = 405;
    res.headers.emplace_back("Allow", std::move(allow_header));
    return res;
  }

  req.route = ep->pattern;
  req.path_params.clear();
  for (size_t i = 0; i < ep->param_names.size(); ++i)
    req.path_params.emplace(ep->param_names[i], std::string(params[i]));
  return Invoke(ep->handler, req);
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  auto out = routes_;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  return out;
}

}  // namespace xietong::http
