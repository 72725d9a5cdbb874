// Small helpers shared by the JSON views of src/http/views/ (one file per resource).
//
// The views render the service layer's typed results (ReferralView, DutyDetail …) as the API's
// JSON (docs/*-contract.md, src/http/openapi.json). Pure functions: thread-safe, no I/O.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "core/time.h"

namespace xietong::http::views {

// An instant as RFC 3339 in +08:00, or null.
inline boost::json::value OptInstant(const std::optional<core::Instant>& t) {
  return t ? boost::json::value(core::FormatInstant(*t)) : boost::json::value(nullptr);
}
// A text, or null when empty.
inline boost::json::value OptText(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

// The same for a writer (http/views/json_writer.h), after its Key.
template <class W>
void WriteOptInstant(W& w, const std::optional<core::Instant>& t) {
  if (t) {
    w.Value(core::FormatInstant(*t));
  } else {
    w.Value(nullptr);
  }
}
template <class W>
void WriteOptText(W& w, const std::string& s) {
  if (s.empty()) {
    w.Value(nullptr);
  } else {
    w.Value(s);
  }
}

}  // namespace xietong::http::views
