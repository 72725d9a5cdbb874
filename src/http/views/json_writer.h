// One description of a JSON view, two renderings (issue 16, item 2): a view written once as
// `template <class W> void WriteX(W& w, const X& x)` against the writer interface below renders
// either into a boost::json tree (TreeWriter: for callers that add to or inspect the result) or
// straight into the response body (TextWriter: the hot reads — referral detail and list page,
// the duty inbox — without building a tree). TextWriter's bytes are those of
// boost::json::serialize of the tree the same description builds (same escaping, same number
// format, same key order); views_test.cc and json_writer_test.cc check it.
//
//   template <class W> void WriteOrg(W& w, const domain::Org& o) {
//     w.BeginObject();
//     w.Field("id", o.id);
//     w.Field("name", o.name);
//     w.EndObject();
//   }
//   std::string body; TextWriter t(body); WriteOrg(t, org);          // {"id":1,"name":"…"}
//   TreeWriter tr; WriteOrg(tr, org); boost::json::value v = tr.Take();
//
// Writer interface (both classes): BeginObject/EndObject, BeginArray/EndArray, Key(k) before
// each member of an object, Value(x) for x a string, integer, bool, nullptr or std::optional of
// those (nullopt is null), Field(k, x) = Key(k) + Value(x), Object(k) / Array(k) = Key(k) + Begin….
// A writer is used by one thread; it does not check that the calls nest (views are fixed code).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xietong::http::views {

// Appends `s` as a JSON string literal, escaped exactly as boost::json::serialize escapes
// (\" \\ \b \t \n \f \r, other control characters as \u00xx with lowercase hex; everything else,
// UTF-8 included, as is).
void AppendJsonString(std::string& out, std::string_view s);

// Writes JSON text into a string (appending).
class TextWriter {
 public:
  // REQUIRES: `out` outlives the writer.
  explicit TextWriter(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view k) {
    if (comma_) out_ += ',';
    AppendJsonString(out_, k);
    out_ += ':';
    comma_ = false;
  }
  void Value(std::string_view s) {
    Sep();
    AppendJsonString(out_, s);
  }
  void Value(const std::string& s) { Value(std::string_view(s)); }
  void Value(const char* s) { Value(std::string_view(s)); }
  void Value(int64_t v);
  void Value(int v) { Value(static_cast<int64_t>(v)); }
  void Value(bool b) {
    Sep();
    out_ += b ? "true" : "false";
  }
  void Value(std::nullptr_t) {
    Sep();
    out_ += "null";
  }
  template <class T>
  void Value(const std::optional<T>& v) {
    if (v) {
      Value(*v);
    } else {
      Value(nullptr);
    }
  }
  template <class T>
  void Field(std::string_view k, const T& v) {
    Key(k);
    Value(v);
  }
  void Object(std::string_view k) {
    Key(k);
    BeginObject();
  }
  void Array(std::string_view k) {
    Key(k);
    BeginArray();
  }

 private:
  void Sep() {
    if (comma_) out_ += ',';
    comma_ = true;
  }
  void Open(char c) {
    Sep();
    out_ += c;
    comma_ = false;
  }
  void Close(char c) {
    out_ += c;
    comma_ = true;
  }

  std::string& out_;
  bool comma_ = false;  // a value was written at this level: the next one needs a comma
};

// Builds a boost::json value, or adds members to an existing object.
class TreeWriter {
 public:
  TreeWriter() = default;
  // Writes the members that follow into `o` (no BeginObject for it: the first call is a Key).
  explicit TreeWriter(boost::json::object& o) { stack_.push_back({&o, nullptr}); }

  // The value built (call after the outermost End…).
  boost::json::value Take() { return std::move(root_); }

  void BeginObject() {
    boost::json::value* v = Place(boost::json::object());
    stack_.push_back({&v->as_object(), nullptr});
  }
  void EndObject() { stack_.pop_back(); }
  void BeginArray() {
    boost::json::value* v = Place(boost::json::array());
    stack_.push_back({nullptr, &v->as_array()});
  }
  void EndArray() { stack_.pop_back(); }
  void Key(std::string_view k) { key_.assign(k); }
  void Value(std::string_view s) { Place(boost::json::value(s)); }
  void Value(const std::string& s) { Value(std::string_view(s)); }
  void Value(const char* s) { Value(std::string_view(s)); }
  void Value(int64_t v) { Place(boost::json::value(v)); }
  void Value(int v) { Value(static_cast<int64_t>(v)); }
  void Value(bool b) { Place(boost::json::value(b)); }
  void Value(std::nullptr_t) { Place(boost::json::value(nullptr)); }
  template <class T>
  void Value(const std::optional<T>& v) {
    if (v) {
      Value(*v);
    } else {
      Value(nullptr);
    }
  }
  template <class T>
  void Field(std::string_view k, const T& v) {
    Key(k);
    Value(v);
  }
  void Object(std::string_view k) {
    Key(k);
    BeginObject();
  }
  void Array(std::string_view k) {
    Key(k);
    BeginArray();
  }

 private:
  struct Level {
    boost::json::object* obj;
    boost::json::array* arr;
  };
  boost::json::value* Place(boost::json::value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    const Level& top = stack_.back();
    if (top.obj) {
      boost::json::value& slot = (*top.obj)[key_];
      slot = std::move(v);
      return &slot;
    }
    top.arr->push_back(std::move(v));
    return &top.arr->back();
  }

  boost::json::value root_;
  std::vector<Level> stack_;
  std::string key_;
};

// The tree of a description: ToTree([&](TreeWriter& w) { WriteX(w, x); }).
template <class Fn>
boost::json::value ToTree(Fn&& write) {
  TreeWriter w;
  write(w);
  return w.Take();
}
// The same, as an object or an array (REQUIRES: the description writes one).
template <class Fn>
boost::json::object ToObject(Fn&& write) {
  boost::json::value v = ToTree(std::forward<Fn>(write));
  return std::move(v.as_object());
}
template <class Fn>
boost::json::array ToArray(Fn&& write) {
  boost::json::value v = ToTree(std::forward<Fn>(write));
  return std::move(v.as_array());
}
// The text of a description.
template <class Fn>
std::string ToText(Fn&& write, size_t reserve = 1024) {
  std::string out;
  out.reserve(reserve);
  TextWriter w(out);
  write(w);
  return out;
}

}  // namespace xietong::http::views
