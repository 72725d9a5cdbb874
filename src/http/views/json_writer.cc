#include "http/views/json_writer.h"

#include <charconv>

namespace xietong::http::views {

namespace {
// 0: as is; 'u': \u00xx; else the character after the backslash (boost::json's table).
constexpr char Escape(unsigned char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    default: return c < 0x20 ? 'u' : 0;
  }
}
}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the pending run of characters written as is
  for (size_t i = 0; i < s.size(); ++i) {
    const char e = Escape(static_cast<unsigned char>(s[i]));
    if (e == 0) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out += '\\';
    if (e == 'u') {
      const auto c = static_cast<unsigned char>(s[i]);
      out += "u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += e;
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void TextWriter::Value(int64_t v) {
  Sep();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 characters hold every int64
  out_.append(buf, end);
}

}  // namespace xietong::http::views
