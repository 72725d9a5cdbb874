#include "http/views/document.h"

#include <string>

#include "core/time.h"

namespace xietong::http::views {

boost::json::object DocumentJson(const domain::Document& d) {
  return boost::json::object{{"id", d.id},
                             {"kind", domain::DocKindName(d.kind)},
                             {"number", d.number},
                             {"title", d.title},
                             {"created_at", core::FormatInstant(d.created_at)},
                             {"url", "/api/v1/documents/" + std::to_string(d.id)}};
}

}  // namespace xietong::http::views
