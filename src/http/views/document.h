// JSON view of an issued document (R-DOC-1) as lists embed it. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "domain/doc_number.h"
#include "service/referral_service.h"

namespace xietong::http::views {

// {"id","kind","number","title","created_at","url"}. The implementation stays in
// service::DocumentJson while the coordination items still render in the service layer (issue
// 11 item 5); handlers use this name.
inline boost::json::object DocumentJson(const domain::Document& d) {
  return service::DocumentJson(d);
}

}  // namespace xietong::http::views
