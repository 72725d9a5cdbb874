// libFuzzer target: bytes as a request body, through http/json_io — ParseJsonObject and
// ReadJsonBody (what every handler's Body() does), then FieldReader with every supported type,
// string length limits, Finish() (unknown fields), Nested()/WithRule() error re-labelling and
// InstantField (RFC 3339 dates of our bodies), and JsonResponse.
//
// Checked besides memory and UB (ASan/UBSan): every error is invalid_argument naming a field
// and maps to HTTP 400; what we parse and serialize back parses to the same value (doubles
// within an ulp or so).
//
// Build: cmake -DXT_FUZZ=ON with clang (scripts/soak). Run: build-fuzz/fuzz/json_body_fuzz
// fuzz/corpus/json_body_fuzz
#include <algorithm>
#include <boost/json/parse.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/json_io.h"
#include "http/request.h"

namespace {

using namespace xietong;
using namespace xietong::http;
namespace json = boost::json;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// The body has a key "" (then an error may name the empty field).
thread_local bool g_empty_key = false;

void CheckFieldError(const core::Status& st) {
  if (st.ok()) return;
  Check(st.code() == core::Code::kInvalidArgument);
  Check(!st.field().empty() || g_empty_key);
  Check(HttpStatusFor(st) == 400);
  Response res = ErrorResponse(st, false);
  Check(json::parse(res.body).is_object());
}

// Equal JSON, doubles within a relative 1e-12: Boost.JSON's default number parsing is not
// correctly rounded, so a long decimal and the shortest form written back may differ by an ulp.
bool Same(const json::value& a, const json::value& b) {
  if (a.is_double() || b.is_double()) {
    if (!a.is_number() || !b.is_number()) return false;
    double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (size_t i = 0; i < p.size(); ++i)
      if (!Same(p[i], q[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& kv : p) {
      const json::value* other = q.if_contains(kv.key());
      if (other == nullptr || !Same(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

template <typename T>
void ReadAs(const json::object& obj, std::string_view name) {
  FieldReader a(obj);
  (void)a.Required<T>(name);
  CheckFieldError(a.status());
  FieldReader b(obj);
  (void)b.Optional<T>(name);
  CheckFieldError(b.status());
}

void ReadAll(const json::object& obj, int depth) {
  int n = 0;
  for (const auto& kv : obj) {
    if (++n > 8) break;
    std::string_view name = kv.key();
    ReadAs<std::string>(obj, name);
    ReadAs<int64_t>(obj, name);
    ReadAs<int>(obj, name);
    ReadAs<bool>(obj, name);
    ReadAs<double>(obj, name);
    ReadAs<json::value>(obj, name);
    ReadAs<json::array>(obj, name);
    ReadAs<json::object>(obj, name);
    ReadAs<std::vector<std::string>>(obj, name);
    ReadAs<std::vector<int64_t>>(obj, name);
    FieldReader s(obj);
    (void)s.RequiredString(name, 5, 2);
    (void)s.OptionalString(name, 1);
    CheckFieldError(s.status());
    if (const auto* str = kv.value().if_string()) {
      auto t = InstantField(std::string_view(*str), std::string(name), "R-SYS-3");
      if (!t.ok()) CheckFieldError(t.status());
    }
    if (const auto* sub = kv.value().if_object(); sub && depth < 3) {
      FieldReader inner(*sub);
      for (const auto& skv : *sub) (void)inner.Optional<std::string>(skv.key());
      auto st = Nested(inner.Finish(), std::string(name), "R-DIS-1");
      CheckFieldError(st);
      ReadAll(*sub, depth + 1);
    }
  }
  // Read some fields, leave the rest: Finish() names an unknown one.
  FieldReader partial(obj);
  (void)partial.Optional<std::string>("reason");
  (void)partial.Has("note");
  partial.Skip("id");
  CheckFieldError(WithRule(partial.Finish(), "R-SYS-3"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  g_empty_key = body.find("\"\"") != std::string_view::npos;  // the only spelling of key ""
  for (int depth : {32, 4}) {
    auto obj = ParseJsonObject(body, depth);
    if (!obj.ok()) {
      CheckFieldError(obj.status());
      continue;
    }
    // Round trip: what a handler echoes parses back to the same object.
    Response res = JsonResponse(200, *obj);
    Check(Same(json::parse(res.body), json::value(*obj)));
    if (depth == 32) ReadAll(*obj, 0);
  }
  // ReadJsonBody: the Content-Type gate, then the same parse.
  Request req;
  req.body = std::string(body);
  req.headers.emplace_back("Content-Type", size % 3 == 0   ? "application/json; charset=utf-8"
                                           : size % 3 == 1 ? "text/plain"
                                                           : "APPLICATION/JSON");
  auto r = ReadJsonBody(req);
  if (!r.ok()) CheckFieldError(r.status());
  return 0;
}
