# xt_library(NAME name SRCS ... DEPS ... [PUBLIC_DEPS ...])
#   One static library per layer, aliased xietong::name, includes written from src/.
#   Warnings are errors on our code only.
# xt_test(NAME name SRCS ... DEPS ...)
#   A GoogleTest executable registered with CTest as one test (label "unit").
function(xt_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()

function(xt_library)
  cmake_parse_arguments(XT "" "NAME" "SRCS;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(xt_${XT_NAME} STATIC ${XT_SRCS})
  add_library(xietong::${XT_NAME} ALIAS xt_${XT_NAME})
  target_include_directories(xt_${XT_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(xt_${XT_NAME} PUBLIC ${XT_PUBLIC_DEPS} PRIVATE ${XT_DEPS})
  xt_warnings(xt_${XT_NAME})
endfunction()

function(xt_test)
  cmake_parse_arguments(XT "" "NAME" "SRCS;DEPS" ${ARGN})
  if(NOT XT_BUILD_TESTS)
    return()
  endif()
  add_executable(${XT_NAME} ${XT_SRCS})
  target_link_libraries(${XT_NAME} PRIVATE ${XT_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  xt_warnings(${XT_NAME})
  add_test(NAME ${XT_NAME} COMMAND ${XT_NAME} --gtest_brief=1)
  set_tests_properties(${XT_NAME} PROPERTIES LABELS unit
    ENVIRONMENT "XT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
