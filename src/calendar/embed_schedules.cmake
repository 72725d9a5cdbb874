# Generates the C++ source that embeds data/calendar/*.json (R-TIME-3: the shipped schedules).
#   cmake -DDATA_DIR=<dir with YYYY.json> -DOUT=<file.cc> -P embed_schedules.cmake
# Each file becomes one raw string literal; the output is rewritten only when it changes.
if(NOT DATA_DIR OR NOT OUT)
  message(FATAL_ERROR "embed_schedules.cmake: DATA_DIR and OUT are required")
endif()
file(GLOB files "${DATA_DIR}/*.json")
list(SORT files)
if(NOT files)
  message(FATAL_ERROR "embed_schedules.cmake: no schedules in ${DATA_DIR}")
endif()
set(body "")
foreach(f IN LISTS files)
  file(READ "${f}" content)
  string(FIND "${content}" ")xtjson\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )xtjson\"")
  endif()
  get_filename_component(name "${f}" NAME)
  string(APPEND body "    // data/calendar/${name}\n    R\"xtjson(${content})xtjson\",\n")
endforeach()
set(text "// Generated from data/calendar/*.json by src/calendar/embed_schedules.cmake. Do not edit.
#include <iterator>

#include \"calendar/builtin_schedules.h\"

namespace xietong::calendar {

namespace {
constexpr std::string_view kSchedules[] = {
${body}};
}  // namespace

std::vector<std::string_view> BuiltinScheduleJson() {
  return {std::begin(kSchedules), std::end(kSchedules)};
}

}  // namespace xietong::calendar
")
file(WRITE "${OUT}.tmp" "${text}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
