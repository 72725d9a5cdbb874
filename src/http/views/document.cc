#include "http/views/document.h"

#include <string>

#include "core/time.h"
#include "http/views/json_writer.h"

namespace xietong::http::views {

template <class W>
void WriteDocument(W& w, const domain::Document& d) {
  w.BeginObject();
  w.Field("id", d.id);
  w.Field("kind", domain::DocKindName(d.kind));
  w.Field("number", d.number);
  w.Field("title", d.title);
  w.Field("created_at", core::FormatInstant(d.created_at));
  w.Field("url", "/api/v1/documents/" + std::to_string(d.id));
  w.EndObject();
}
template void WriteDocument<TreeWriter>(TreeWriter&, const domain::Document&);
template void WriteDocument<TextWriter>(TextWriter&, const domain::Document&);

boost::json::object DocumentJson(const domain::Document& d) {
  return ToObject([&](TreeWriter& w) { WriteDocument(w, d); });
}

}  // namespace xietong::http::views
