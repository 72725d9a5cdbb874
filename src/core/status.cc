#include "core/status.h"

namespace xietong::core {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kNotFound: return "not_found";
    case Code::kAlreadyExists: return "already_exists";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kResourceExhausted: return "resource_exhausted";
    case Code::kFailedPrecondition: return "failed_precondition";
    case Code::kAborted: return "aborted";
    case Code::kUnavailable: return "unavailable";
    case Code::kInternal: return "internal";
    case Code::kUnauthenticated: return "unauthenticated";
  }
  return "unknown";
}

Status Status::Invalid(std::string field, std::string message, std::string rule, std::string id) {
  return Status(Code::kInvalidArgument, std::move(id), std::move(message), std::move(field),
                std::move(rule));
}
Status Status::NotFound(std::string what, std::string message) {
  if (message.empty()) message = "未找到：" + what;
  return Status(Code::kNotFound, "not_found", std::move(message), std::move(what));
}
Status Status::Exists(std::string field, std::string message, std::string rule) {
  return Status(Code::kAlreadyExists, "already_exists", std::move(message), std::move(field),
                std::move(rule));
}
Status Status::Denied(std::string message, std::string rule) {
  return Status(Code::kPermissionDenied, "permission_denied", std::move(message), {},
                std::move(rule));
}
Status Status::Precondition(std::string id, std::string message, std::string rule,
                            std::string field) {
  return Status(Code::kFailedPrecondition, std::move(id), std::move(message), std::move(field),
                std::move(rule));
}
Status Status::Unauthenticated(std::string message) {
  return Status(Code::kUnauthenticated, "unauthenticated", std::move(message));
}
Status Status::Internal(std::string message) {
  return Status(Code::kInternal, "internal", std::move(message));
}
Status Status::Unavailable(std::string message) {
  return Status(Code::kUnavailable, "unavailable", std::move(message));
}
Status Status::Aborted(std::string message) {
  return Status(Code::kAborted, "aborted", std::move(message));
}
Status Status::Exhausted(std::string id, std::string message) {
  return Status(Code::kResourceExhausted, std::move(id), std::move(message));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = id_.empty() ? CodeName(code_) : id_;
  if (!field_.empty()) s += "[" + field_ + "]";
  s += ": " + message_;
  if (!rule_.empty()) s += " (" + rule_ + ")";
  return s;
}

}  // namespace xietong::core
