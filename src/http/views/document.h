// JSON view of an issued document (R-DOC-1) as lists embed it. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "domain/doc_number.h"

namespace xietong::http::views {

// {"id","kind","number","title","created_at","url"}; "url" is the printable page's
// (/api/v1/documents/{id}).
boost::json::object DocumentJson(const domain::Document& d);
// The one description of that shape, for either writer (http/views/json_writer.h).
template <class W>
void WriteDocument(W& w, const domain::Document& d);

}  // namespace xietong::http::views
