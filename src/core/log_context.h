// The request a thread is working for, for log lines (issue 18: a request id on every log
// line). The HTTP server sets it around each handler call; the log formatter (cli) reads it.
// Standard library only; header-only.
//
//   { core::ScopedRequestId rid(req.request_id); ...handler... }   // http/server.cc
//   core::CurrentRequestId()  // "" outside a request
#pragma once

#include <string>
#include <utility>

namespace xietong::core {

namespace internal {
inline thread_local std::string tls_request_id;
}  // namespace internal

// The id of the request this thread is handling; "" when none.
inline const std::string& CurrentRequestId() { return internal::tls_request_id; }

// Sets the current request id for its lifetime (restores the previous one after).
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string id) : previous_(std::exchange(internal::tls_request_id, std::move(id))) {}
  ~ScopedRequestId() { internal::tls_request_id = std::move(previous_); }
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

}  // namespace xietong::core
