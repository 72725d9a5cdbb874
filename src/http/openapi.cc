// The OpenAPI document, embedded at build time from src/http/openapi.json.
//
// The assembler's .incbin copies the file's bytes into read-only data, so the JSON stays an
// ordinary file that editors, linters and reviewers read directly, and the binary needs no file
// at run time. src/http/CMakeLists.txt passes the absolute path as XT_OPENAPI_PATH and makes
// this object depend on the JSON file (OBJECT_DEPENDS), so editing the document rebuilds it.
// (ccache sees the .incbin directive and does not cache this object, so it is never stale.)
// openapi_test.cc checks the document against the router's routes.
#include "http/openapi.h"

#ifndef XT_OPENAPI_PATH
#error "XT_OPENAPI_PATH must be the absolute path of src/http/openapi.json (see src/http/CMakeLists.txt)"
#endif

extern "C" {
extern const char xt_openapi_json_begin[];
extern const char xt_openapi_json_end[];
}

// A trailing NUL follows the document (not part of the view) so the bytes are also a C string.
__asm__(
    ".pushsection .rodata.xt_openapi_json,\"a\",@progbits\n"
    ".global xt_openapi_json_begin\n"
    ".hidden xt_openapi_json_begin\n"
    "xt_openapi_json_begin:\n"
    ".incbin \"" XT_OPENAPI_PATH "\"\n"
    ".global xt_openapi_json_end\n"
    ".hidden xt_openapi_json_end\n"
    "xt_openapi_json_end:\n"
    ".byte 0\n"
    ".popsection\n");

namespace xietong::http {

std::string_view OpenApiJson() {
  return std::string_view(xt_openapi_json_begin,
                          static_cast<size_t>(xt_openapi_json_end - xt_openapi_json_begin));
}

}  // namespace xietong::http
