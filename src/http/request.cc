#include "http/request.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>

namespace xietong::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

core::Status BadTarget() {
  return core::Status::Invalid("target", "请求地址格式错误", {}, "bad_request")
      .En("Malformed request target");
}

// Strips CR and LF, which would break the SSE framing.
void AppendClean(std::string& out, std::string_view s) {
  for (char c : s)
    if (c != '\r' && c != '\n') out.push_back(c);
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Request

core::Status Request::SetTarget(std::string_view raw) {
  target.assign(raw);
  path.clear();
  query.clear();
  std::string_view t = raw;
  if (t.starts_with("http://") || t.starts_with("https://")) {
    t.remove_prefix(t.find("//") + 2);
    size_t slash = t.find_first_of("/?");
    t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
    if (!t.empty() && t.front() == '?') {
      // "http://host?x" -> "/?x"
      path.assign(1, '/');  // (assign, not = "/": GCC 12 -Wrestrict false positive)
    }
  } else if (t.empty() || t.front() != '/') {
    if (t == "*") {  // OPTIONS *
      path.assign(1, '*');
      return core::Status::Ok();
    }
    return BadTarget();
  }
  if (size_t hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
  size_t qpos = t.find('?');
  std::string_view raw_path = t.substr(0, qpos);
  if (path.empty()) {
    auto decoded = PercentDecode(raw_path, /*plus_as_space=*/false);
    if (!decoded || decoded->find('\0') != std::string::npos) return BadTarget();
    path = std::move(*decoded);
  }
  if (qpos == std::string_view::npos) return core::Status::Ok();
  std::string_view qs = t.substr(qpos + 1);
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view part = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    auto value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
    if (!key || !value) return BadTarget();
    query.emplace_back(std::move(*key), std::move(*value));
  }
  return core::Status::Ok();
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

core::Result<std::optional<int64_t>> Request::query_int(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k != name) continue;
    std::string_view s = Trim(v);
    if (s.empty()) return std::optional<int64_t>();
    int64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size()) {
      return core::Status::Invalid(std::string(name), "参数 " + std::string(name) + " 应为整数")
          .En("Parameter " + std::string(name) + " must be an integer");
    }
    return std::optional<int64_t>(out);
  }
  return std::optional<int64_t>();
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (!EqualsIgnoreCase(k, "cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::path_param(std::string_view name) const {
  auto it = path_params.find(name);
  if (it == path_params.end()) return std::nullopt;
  return std::string_view(it->second);
}

core::Result<int64_t> Request::path_int(std::string_view name) const {
  auto v = path_param(name);
  int64_t out = 0;
  if (v && !v->empty()) {
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec == std::errc() && p == v->data() + v->size() && out > 0) return out;
  }
  return core::Status::Invalid(std::string(name), "编号无效：" + std::string(v.value_or("")), {},
                               "invalid_id")
      .En("Invalid id: " + std::string(v.value_or("")));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// EventStream

EventStream::~EventStream() = default;

bool EventStream::Push(std::string_view event, std::string_view data, std::string_view id) {
  std::string wire;
  wire.reserve(event.size() + data.size() + id.size() + 24);
  if (!event.empty()) {
    wire += "event: ";
    AppendClean(wire, event);
    wire += '\n';
  }
  if (!id.empty()) {
    wire += "id: ";
    AppendClean(wire, id);
    wire += '\n';
  }
  // One data: line per line; CRLF, CR and LF all end a line in SSE.
  size_t start = 0;
  for (size_t i = 0; i <= data.size(); ++i) {
    if (i == data.size() || data[i] == '\n' || data[i] == '\r') {
      wire += "data: ";
      wire.append(data.substr(start, i - start));
      wire += '\n';
      if (i < data.size() && data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  wire += '\n';

  std::function<void()> notify;
  {
    std::unique_lock lock(mu_);
    if (closed_) return false;
    if (queue_.size() >= kMaxQueued) {
      CloseLocked(lock);  // unlocks
      return false;
    }
    queue_.push_back(std::move(wire));
    notify = notifier_;
  }
  if (notify) notify();
  return true;
}

void EventStream::CloseLocked(std::unique_lock<std::mutex>& lock) {
  if (closed_) {
    lock.unlock();
    return;
  }
  closed_ = true;
  std::function<void()> notify = notifier_;
  std::function<void()> on_close = std::move(on_close_);
  on_close_ = nullptr;
  lock.unlock();
  if (notify) notify();
  if (on_close) on_close();
}

void EventStream::Close() {
  std::unique_lock lock(mu_);
  CloseLocked(lock);
}

bool EventStream::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void EventStream::OnClose(std::function<void()> fn) {
  std::unique_lock lock(mu_);
  if (closed_) {
    lock.unlock();
    if (fn) fn();
    return;
  }
  on_close_ = std::move(fn);
}

void EventStream::SetNotifier(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  notifier_ = std::move(fn);
}

bool EventStream::Drain(std::string& out) {
  std::lock_guard lock(mu_);
  for (auto& s : queue_) out += s;
  queue_.clear();
  return !closed_;
}

void EventStream::Abandon() {
  std::unique_lock lock(mu_);
  queue_.clear();
  notifier_ = nullptr;
  recheck_ = nullptr;
  CloseLocked(lock);
}

void EventStream::SetRecheck(std::function<bool()> fn) {
  std::lock_guard lock(mu_);
  recheck_ = std::move(fn);
}

bool EventStream::has_recheck() const {
  std::lock_guard lock(mu_);
  return static_cast<bool>(recheck_);
}

bool EventStream::Recheck() {
  std::function<bool()> fn;
  {
    std::lock_guard lock(mu_);
    fn = recheck_;
  }
  return fn ? fn() : true;
}

// ---- Client address ---------------------------------------------------------------------

namespace {

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool SameNameIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

bool IsIpAddress(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return false;
  const std::string z(text);
  unsigned char buf[sizeof(struct in6_addr)];
  if (z.find(':') == std::string::npos) return ::inet_pton(AF_INET, z.c_str(), buf) == 1;
  return ::inet_pton(AF_INET6, z.c_str(), buf) == 1;
}

bool ForwardedHttps(std::string_view peer, const Request& req, bool trust_all,
                    const std::vector<std::string>& trusted_proxies) {
  if (!trust_all && !Contains(trusted_proxies, peer)) return false;
  std::optional<std::string_view> last;
  for (const auto& [name, value] : req.headers)
    if (SameNameIgnoringCase(name, "x-forwarded-proto")) last = value;
  if (!last) return false;
  std::string_view v = *last;
  if (size_t comma = v.rfind(','); comma != std::string_view::npos) v = v.substr(comma + 1);
  return SameNameIgnoringCase(TrimBlanks(v), "https");
}

std::string ClientAddress(std::string_view peer, const Request& req, bool trust_all,
                          const std::vector<std::string>& trusted_proxies) {
  if (!trust_all && !Contains(trusted_proxies, peer)) return std::string(peer);
  std::string xff;
  bool any_xff = false;
  for (const auto& [name, value] : req.headers) {
    if (!SameNameIgnoringCase(name, "x-forwarded-for")) continue;
    if (any_xff) xff += ',';
    xff += value;
    any_xff = true;
  }
  std::optional<std::string_view> accepted;
  if (any_xff) {
    std::string_view rest = xff;
    while (true) {
      const size_t comma = rest.rfind(',');
      const std::string_view entry =
          TrimBlanks(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
      if (!IsIpAddress(entry)) break;  // nothing left of a malformed entry is believed
      accepted = entry;
      if (!Contains(trusted_proxies, entry)) break;  // the first address not one of our proxies
      if (comma == std::string_view::npos) break;
      rest = rest.substr(0, comma);
    }
  }
  if (accepted) return std::string(*accepted);
  if (auto real = req.header("x-real-ip")) {
    const std::string_view ip = TrimBlanks(*real);
    if (IsIpAddress(ip)) return std::string(ip);
  }
  return std::string(peer);
}

}  // namespace xietong::http
