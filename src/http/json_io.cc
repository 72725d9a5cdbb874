#include "http/json_io.h"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <limits>
#include <type_traits>

namespace xietong::http {

namespace json = boost::json;

namespace {

core::Status BodyError(std::string id, std::string zh, std::string en) {
  return core::Status::Invalid("body", std::move(zh), {}, std::move(id)).En(std::move(en));
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Whether every number in `v` is finite. Boost.JSON reads a number beyond the double range
// ("1e999", 400 digits) as ±infinity and would write it back as the non-JSON `Infinity`: a
// value stored from a body (a raw field) would then make every later response that renders it
// invalid JSON. The depth is bounded by the parse's max_depth.
bool AllFinite(const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_: return std::isfinite(v.get_double());
    case json::kind::array:
      for (const auto& e : v.get_array())
        if (!AllFinite(e)) return false;
      return true;
    case json::kind::object:
      for (const auto& kv : v.get_object())
        if (!AllFinite(kv.value())) return false;
      return true;
    default: return true;
  }
}

}  // namespace

core::Result<json::object> ParseJsonObject(std::string_view body, int max_depth) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return BodyError("invalid_json", "请求体为空，应为JSON对象",
                     "Request body is empty; a JSON object is expected");
  }
  json::parse_options opt;
  opt.max_depth = static_cast<std::size_t>(max_depth > 0 ? max_depth : 1);
  std::error_code ec;
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec, {}, opt);
  if (ec) {
    if (ec == json::error::too_deep) {
      return BodyError("json_too_deep",
                       "请求体不是有效的JSON：嵌套层数超过 " + std::to_string(max_depth),
                       "Request body is not valid JSON: nested deeper than " +
                           std::to_string(max_depth) + " levels");
    }
    return BodyError("invalid_json", "请求体不是有效的JSON（" + ec.message() + "）",
                     "Request body is not valid JSON (" + ec.message() + ")");
  }
  if (!v.is_object()) {
    return BodyError("json_not_object", "请求体不是有效的JSON对象",
                     "Request body must be a JSON object");
  }
  if (!AllFinite(v)) {
    return BodyError("invalid_json", "请求体不是有效的JSON（数值超出范围）",
                     "Request body is not valid JSON (a number is out of range)");
  }
  return std::move(v.as_object());
}

core::Result<json::object> ReadJsonBody(const Request& req) {
  if (auto ct = req.header("content-type"); ct && !ct->empty()) {
    if (!StartsWithIgnoreCase(*ct, "application/json")) {
      return BodyError("unsupported_media_type", "请求体须为JSON（Content-Type: application/json）",
                       "Request body must be JSON (Content-Type: application/json)");
    }
  }
  return ParseJsonObject(req.body, req.max_json_depth);
}

// ---------------------------------------------------------------------------------------------
// FieldReader

const json::value* FieldReader::Find(std::string_view name) {
  Skip(name);
  auto it = obj_.find(json::string_view(name.data(), name.size()));
  if (it == obj_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void FieldReader::Skip(std::string_view name) {
  for (const auto& r : read_)
    if (r == name) return;
  read_.emplace_back(name);
}

bool FieldReader::Has(std::string_view name) { return Find(name) != nullptr; }

void FieldReader::Fail(core::Status st) {
  if (first_error_.ok()) first_error_ = std::move(st);
}

void FieldReader::TypeError(std::string_view name, const char* zh_type, const char* en_type) {
  std::string n(name);
  Fail(core::Status::Invalid(n, "字段 " + n + " 应为" + zh_type, {}, "invalid_type")
           .En("Field " + n + " must be " + en_type));
}

template <typename T>
bool FieldReader::Convert(std::string_view name, const json::value& v, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) return TypeError(name, "字符串", "a string"), false;
    out.assign(v.get_string().data(), v.get_string().size());
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_bool()) return TypeError(name, "布尔值", "a boolean"), false;
    out = v.get_bool();
  } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, int>) {
    bool in_range = true;
    int64_t x = 0;
    if (v.is_int64()) {
      x = v.get_int64();
      in_range = x >= std::numeric_limits<T>::min() && x <= std::numeric_limits<T>::max();
    } else if (v.is_uint64()) {
      in_range = v.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<T>::max());
      x = in_range ? static_cast<int64_t>(v.get_uint64()) : 0;
    } else {
      return TypeError(name, "整数", "an integer"), false;
    }
    if (!in_range) {
      std::string n(name);
      Fail(core::Status::Invalid(n, "字段 " + n + " 的数值超出范围", {}, "out_of_range")
               .En("Field " + n + " is out of range"));
      return false;
    }
    out = static_cast<T>(x);
  } else if constexpr (std::is_same_v<T, double>) {
    if (!v.is_number()) return TypeError(name, "数字", "a number"), false;
    out = v.to_number<double>();
  } else if constexpr (std::is_same_v<T, json::value>) {
    out = v;
  } else if constexpr (std::is_same_v<T, json::array>) {
    if (!v.is_array()) return TypeError(name, "数组", "an array"), false;
    out = v.get_array();
  } else if constexpr (std::is_same_v<T, json::object>) {
    if (!v.is_object()) return TypeError(name, "对象", "an object"), false;
    out = v.get_object();
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!v.is_array()) return TypeError(name, "字符串数组", "an array of strings"), false;
    out.clear();
    out.reserve(v.get_array().size());
    for (const auto& e : v.get_array()) {
      if (!e.is_string()) return TypeError(name, "字符串数组", "an array of strings"), false;
      out.emplace_back(e.get_string().data(), e.get_string().size());
    }
  } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
    if (!v.is_array()) return TypeError(name, "整数数组", "an array of integers"), false;
    out.clear();
    out.reserve(v.get_array().size());
    for (const auto& e : v.get_array()) {
      if (!e.is_int64() &&
          !(e.is_uint64() &&
            e.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())))
        return TypeError(name, "整数数组", "an array of integers"), false;
      out.push_back(e.is_int64() ? e.get_int64() : static_cast<int64_t>(e.get_uint64()));
    }
  } else {
    static_assert(sizeof(T) == 0, "FieldReader: unsupported type");
  }
  return true;
}

template <typename T>
T FieldReader::Required(std::string_view name) {
  T out{};
  const json::value* v = Find(name);
  if (v == nullptr) {
    std::string n(name);
    Fail(core::Status::Invalid(n, "缺少必填字段：" + n, {}, "missing_field")
             .En("Missing required field: " + n));
    return out;
  }
  if (!Convert(name, *v, out)) return T{};
  return out;
}

template <typename T>
std::optional<T> FieldReader::Optional(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  T out{};
  if (!Convert(name, *v, out)) return std::nullopt;
  return out;
}

#define XT_HTTP_INSTANTIATE_(T)                          \
  template T FieldReader::Required<T>(std::string_view); \
  template std::optional<T> FieldReader::Optional<T>(std::string_view);
XT_HTTP_FIELD_READER_TYPES_(XT_HTTP_INSTANTIATE_)
#undef XT_HTTP_INSTANTIATE_

void FieldReader::CheckLength(std::string_view name, const std::string& s, size_t min_chars,
                              size_t max_chars) {
  size_t n = CountChars(s);
  std::string f(name);
  if (n < min_chars) {
    if (min_chars == 1) {
      Fail(core::Status::Invalid(f, "字段 " + f + " 不能为空", {}, "too_short")
               .En("Field " + f + " must not be empty"));
    } else {
      Fail(core::Status::Invalid(
               f, "字段 " + f + " 过短（至少 " + std::to_string(min_chars) + " 个字符）", {},
               "too_short")
               .En("Field " + f + " is too short (at least " + std::to_string(min_chars) +
                   " characters)"));
    }
  } else if (max_chars != 0 && n > max_chars) {
    Fail(core::Status::Invalid(
             f, "字段 " + f + " 过长（最多 " + std::to_string(max_chars) + " 个字符）", {},
             "too_long")
             .En("Field " + f + " is too long (at most " + std::to_string(max_chars) +
                 " characters)"));
  }
}

std::string FieldReader::RequiredString(std::string_view name, size_t max_chars, size_t min_chars) {
  const json::value* v = Find(name);
  std::string out;
  if (v == nullptr) {
    std::string n(name);
    Fail(core::Status::Invalid(n, "缺少必填字段：" + n, {}, "missing_field")
             .En("Missing required field: " + n));
    return out;
  }
  if (!Convert(name, *v, out)) return {};
  CheckLength(name, out, min_chars, max_chars);
  return out;
}

std::optional<std::string> FieldReader::OptionalString(std::string_view name, size_t max_chars) {
  auto s = Optional<std::string>(name);
  if (s) CheckLength(name, *s, 0, max_chars);
  return s;
}

core::Status FieldReader::Finish() const {
  if (!first_error_.ok()) return first_error_;
  for (const auto& kv : obj_) {
    std::string_view key(kv.key().data(), kv.key().size());
    bool seen = false;
    for (const auto& r : read_) {
      if (r == key) {
        seen = true;
        break;
      }
    }
    if (!seen) {
      std::string k(key);
      return core::Status::Invalid(k, "不支持的字段：" + k, {}, "unknown_field")
          .En("Unsupported field: " + k);
    }
  }
  return core::Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Responses

Response JsonResponse(int status, const json::value& v) {
  Response res;
  res.status = status;
  res.body = json::serialize(v);
  return res;
}

Response JsonTextResponse(int status, std::string body) {
  Response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

int HttpStatusFor(const core::Status& status) {
  switch (status.code()) {
    case core::Code::kInvalidArgument: return 400;
    case core::Code::kUnauthenticated: return 401;
    case core::Code::kPermissionDenied: return 403;
    case core::Code::kNotFound: return 404;
    case core::Code::kAlreadyExists: return 409;
    case core::Code::kFailedPrecondition: return 409;  // illegal transitions
    case core::Code::kAborted: return 409;
    case core::Code::kResourceExhausted:
      if (status.id() == "body_too_large") return 413;
      if (status.id() == "headers_too_large") return 431;
      return 429;
    case core::Code::kUnavailable: return 503;
    case core::Code::kInternal: return 500;
    case core::Code::kOk: return 500;  // an error response from an OK status is a bug
  }
  return 500;
}

Response ErrorResponse(const core::Status& status, bool english) {
  if (status.ok()) {
    return ErrorResponse(core::Status::Internal("服务器内部错误").En("Internal server error"),
                         english);
  }
  json::object err;
  err.reserve(4);
  err.emplace("code",
              status.id().empty() ? std::string(core::CodeName(status.code())) : status.id());
  const std::string& msg =
      english && !status.message_en().empty() ? status.message_en() : status.message();
  err.emplace("message", msg);
  if (status.field().empty()) {
    err.emplace("field", nullptr);
  } else {
    err.emplace("field", status.field());
  }
  if (status.rule().empty()) {
    err.emplace("rule", nullptr);
  } else {
    err.emplace("rule", status.rule());
  }
  json::object root;
  root.emplace("error", std::move(err));
  return JsonResponse(HttpStatusFor(status), root);
}

Response ErrorResponse(const core::Status& status, const Request& req) {
  return ErrorResponse(status, WantsEnglish(req));
}

bool WantsEnglish(const Request& req) {
  auto al = req.header("accept-language");
  if (!al) return false;
  std::string_view s = *al;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s.size() >= 2 && AsciiLower(s[0]) == 'e' && AsciiLower(s[1]) == 'n';
}

core::Status WithRule(core::Status st, std::string_view rule) {
  if (st.ok() || !st.rule().empty()) return st;
  core::Status out(st.code(), st.id(), st.message(), st.field(), std::string(rule));
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

core::Status Nested(const core::Status& st, const std::string& parent, std::string_view rule) {
  if (st.ok()) return st;
  core::Status out(st.code(), st.id(), st.message(), parent + "." + st.field(),
                   st.rule().empty() ? std::string(rule) : st.rule());
  if (!st.message_en().empty()) out.En(st.message_en());
  return out;
}

core::Result<core::Instant> InstantField(std::string_view text, const std::string& name,
                                         std::string_view rule, std::string id) {
  auto t = core::ParseInstant(std::string(text));
  if (!t) {
    return core::Status::Invalid(name, name + " 应为 RFC 3339 时间，如 2026-11-25T09:30:00+08:00",
                                 std::string(rule), std::move(id))
        .En(name + " must be an RFC 3339 instant");
  }
  return *t;
}

}  // namespace xietong::http
