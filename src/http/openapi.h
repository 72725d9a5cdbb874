// The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json. The document lives in
// src/http/openapi.json (embedded at build time); a test keeps it and the router's routes equal.
#pragma once

#include <string_view>

namespace xietong::http {

// The OpenAPI document, JSON text.
std::string_view OpenApiJson();

}  // namespace xietong::http
