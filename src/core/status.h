// Status and Result<T>: expected failures as values.
//
// A Status carries a code with Abseil's meanings, a stable error id (never reused; the API
// returns it as error.code), a message, the offending input field and the policy rule (R-...)
// that refused the request, where one applies. Thread-compatible value types.
//
//   Result<Org> FindOrg(Id id) {
//     if (id <= 0) return Status::Invalid("org_id", "机构编号无效");
//     ...
//   }
//   XT_ASSIGN_OR_RETURN(auto org, FindOrg(7));
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace xietong::core {

enum class Code {
  kOk = 0,
  kInvalidArgument = 3,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kUnavailable = 14,
  kInternal = 13,
  kUnauthenticated = 16,
};

// Short English name of a code ("invalid_argument").
const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string id, std::string message, std::string field = {},
         std::string rule = {})
      : code_(code),
        id_(std::move(id)),
        message_(std::move(message)),
        field_(std::move(field)),
        rule_(std::move(rule)) {}

  static Status Ok() { return Status(); }
  // Shorthands. `id` defaults to the code name when empty.
  static Status Invalid(std::string field, std::string message, std::string rule = {},
                        std::string id = "invalid_argument");
  static Status NotFound(std::string what, std::string message = {});
  static Status Exists(std::string field, std::string message, std::string rule = {});
  static Status Denied(std::string message, std::string rule = {});
  static Status Precondition(std::string id, std::string message, std::string rule = {},
                             std::string field = {});
  static Status Unauthenticated(std::string message);
  static Status Internal(std::string message);
  static Status Unavailable(std::string message);
  static Status Aborted(std::string message);
  static Status Exhausted(std::string id, std::string message);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& id() const { return id_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  const std::string& rule() const { return rule_; }
  // English message, when the producer supplied one (for Accept-Language: en).
  const std::string& message_en() const { return message_en_; }
  Status&& En(std::string m) && {
    message_en_ = std::move(m);
    return std::move(*this);
  }
  Status& En(std::string m) & {
    message_en_ = std::move(m);
    return *this;
  }
  // "invalid_argument[field]: message (R-x)" for logs and tests.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string id_;
  std::string message_;
  std::string field_;
  std::string rule_;
  std::string message_en_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from an OK status");
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace xietong::core

#define XT_CONCAT_INNER_(a, b) a##b
#define XT_CONCAT_(a, b) XT_CONCAT_INNER_(a, b)

#define XT_RETURN_IF_ERROR(expr)                      \
  do {                                                \
    ::xietong::core::Status xt_status_ = (expr);      \
    if (!xt_status_.ok()) return xt_status_;          \
  } while (0)

#define XT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#define XT_ASSIGN_OR_RETURN(lhs, expr) \
  XT_ASSIGN_OR_RETURN_IMPL_(XT_CONCAT_(xt_result_, __LINE__), lhs, expr)
