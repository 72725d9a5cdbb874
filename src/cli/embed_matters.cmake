# Generates the C++ source that embeds the demo matters catalog (data/matters/xinxing.csv).
#   cmake -DIN=<csv> -DOUT=<file.cc> -P embed_matters.cmake
# The output is rewritten only when it changes.
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "embed_matters.cmake: IN and OUT are required")
endif()
file(READ "${IN}" content)
string(FIND "${content}" ")xtcsv\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )xtcsv\"")
endif()
set(text "// Generated from data/matters/xinxing.csv by src/cli/embed_matters.cmake. Do not edit.
#include \"cli/demo.h\"

namespace xietong::cli {

std::string_view DemoMattersCsv() {
  static constexpr std::string_view kCsv = R\"xtcsv(${content})xtcsv\";
  return kCsv;
}

}  // namespace xietong::cli
")
file(WRITE "${OUT}.tmp" "${text}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
