// JSON in and out of the HTTP API (Boost.JSON), and the ONE mapping of Status codes to HTTP
// statuses.
//
// Reading a request body: parse it into an object, then read typed fields with a FieldReader,
// which records the first error (always naming the field) and, in Finish(), rejects fields the
// handler did not read. Writing: JsonResponse() for results, ErrorResponse() for a Status.
//
//   Response CreateUser(Request& req) {
//     auto obj = ReadJsonBody(req);
//     if (!obj.ok()) return ErrorResponse(obj.status(), req);
//     FieldReader r(*obj);
//     std::string username = r.RequiredString("username", 32);
//     std::optional<bool> active = r.Optional<bool>("active");
//     if (auto st = r.Finish(); !st.ok()) return ErrorResponse(st, req);
//     ...
//     return JsonResponse(201, {{"id", id}});
//   }
//
// Thread safety: free functions are thread-safe; a FieldReader is used by one thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "http/request.h"

namespace xietong::http {

// Parses `body` as a JSON object, nesting at most `max_depth` levels.
// Errors (all invalid_argument, field "body"): "invalid_json" when empty, not JSON, not
// valid UTF-8, or holding a number beyond the double range (1e999: it could not be written
// back as JSON); "json_not_object" when valid JSON but not an object; "json_too_deep" when
// nested deeper than `max_depth`.
core::Result<boost::json::object> ParseJsonObject(std::string_view body, int max_depth = 32);

// Checks that the request declares a JSON body (Content-Type application/json, or no
// Content-Type at all) and parses it with ParseJsonObject(req.body, req.max_json_depth).
// Requiring the JSON type means a cross-site HTML form cannot reach a JSON endpoint.
// Errors: invalid_argument "unsupported_media_type" (field "body") for another Content-Type;
// otherwise as ParseJsonObject.
core::Result<boost::json::object> ReadJsonBody(const Request& req);

// Reads typed fields from a JSON object and remembers which ones were read.
//
// Every read returns a value even after an error (an empty/zero value), so a handler reads all
// its fields and then checks Finish() once. The first error wins; each names the field and has
// Chinese and English messages. Error ids: "missing_field" (absent or null where required),
// "invalid_type" (wrong JSON type), "too_long" / "too_short" (string length in characters),
// "out_of_range" (integer does not fit), "unknown_field" (from Finish()).
//
// Supported T for Required<T>/Optional<T>: std::string, int64_t, int, bool, double,
// boost::json::value, boost::json::array, boost::json::object, std::vector<std::string>,
// std::vector<int64_t>. A JSON null counts as absent. Integers must be JSON integers
// (5, not 5.0 or "5"); double accepts any JSON number.
class FieldReader {
 public:
  // REQUIRES: `obj` outlives the reader.
  explicit FieldReader(const boost::json::object& obj) : obj_(obj) {}

  // The field's value; records "missing_field" when absent/null, "invalid_type" when of
  // another type (and then returns T{}).
  template <typename T>
  T Required(std::string_view name);
  // The field's value, or nullopt when absent or null; records "invalid_type" when of
  // another type (and then returns nullopt).
  template <typename T>
  std::optional<T> Optional(std::string_view name);

  // A required string of `min_chars`..`max_chars` Unicode characters (max_chars 0 = no limit).
  // Records "too_short" (message "不能为空" when min_chars is 1) or "too_long" besides the
  // errors of Required<std::string>.
  std::string RequiredString(std::string_view name, size_t max_chars, size_t min_chars = 1);
  // An optional string of at most `max_chars` Unicode characters (0 = no limit).
  std::optional<std::string> OptionalString(std::string_view name, size_t max_chars);

  // True when the field is present and not null (marks it as read).
  bool Has(std::string_view name);
  // Marks a field as read without reading it (e.g. a field that is accepted and ignored).
  void Skip(std::string_view name);

  // OK when every read succeeded and the object has no field that was not read; else the
  // first error, or invalid_argument "unknown_field" ("不支持的字段：x", field x).
  core::Status Finish() const;
  // The first error recorded so far (OK if none); does not check unknown fields.
  const core::Status& status() const { return first_error_; }

 private:
  // The value of `name` (marking it read), or nullptr when absent or null.
  const boost::json::value* Find(std::string_view name);
  void Fail(core::Status st);
  void TypeError(std::string_view name, const char* zh_type, const char* en_type);
  void CheckLength(std::string_view name, const std::string& s, size_t min_chars, size_t max_chars);
  template <typename T>
  bool Convert(std::string_view name, const boost::json::value& v, T& out);

  const boost::json::object& obj_;
  std::vector<std::string> read_;
  core::Status first_error_;
};

#define XT_HTTP_FIELD_READER_TYPES_(X) \
  X(std::string)                       \
  X(int64_t)                           \
  X(int)                               \
  X(bool)                              \
  X(double)                            \
  X(boost::json::value)                \
  X(boost::json::array)                \
  X(boost::json::object)               \
  X(std::vector<std::string>)          \
  X(std::vector<int64_t>)
#define XT_HTTP_EXTERN_(T)                                      \
  extern template T FieldReader::Required<T>(std::string_view); \
  extern template std::optional<T> FieldReader::Optional<T>(std::string_view);
XT_HTTP_FIELD_READER_TYPES_(XT_HTTP_EXTERN_)
#undef XT_HTTP_EXTERN_

// A JSON response: serializes `v` into the body, Content-Type application/json; charset=utf-8.
Response JsonResponse(int status, const boost::json::value& v);
// A JSON response whose body is already JSON text (a view's TextWriter, http/views/json_writer.h).
Response JsonTextResponse(int status, std::string body);

// The HTTP status for a non-OK Status (the only place this mapping lives):
// invalid_argument 400, unauthenticated 401, permission_denied 403, not_found 404,
// already_exists / failed_precondition / aborted 409, resource_exhausted 429 (413 when the id
// is "body_too_large", 431 when "headers_too_large"), unavailable 503, internal and anything
// else 500.
int HttpStatusFor(const core::Status& status);

// {"error":{"code":<id>,"message":<zh, or en when `english` and one exists>,
//           "field":<field or null>,"rule":<rule or null>}} with HttpStatusFor(status).
// An OK status (a bug) gives 500 "internal".
Response ErrorResponse(const core::Status& status, bool english);
// Same, choosing the language with WantsEnglish(req).
Response ErrorResponse(const core::Status& status, const Request& req);

// FieldReader errors carry no rule: names the one the endpoint enforces (an error that has a rule
// keeps it; OK stays OK).
core::Status WithRule(core::Status st, std::string_view rule);
// Re-labels a nested reader's error with the parent's path ("name" -> "party.name"), giving it
// `rule` when it has none. OK stays OK.
core::Status Nested(const core::Status& st, const std::string& parent, std::string_view rule);
// An RFC 3339 instant under `name`; else invalid_argument (error id `id`) naming the field and
// `rule`.
core::Result<core::Instant> InstantField(std::string_view text, const std::string& name,
                                         std::string_view rule,
                                         std::string id = "invalid_argument");

// True when the Accept-Language header starts with "en" (case-insensitive, e.g. "en-US,en").
bool WantsEnglish(const Request& req);

}  // namespace xietong::http
