# Script mode helper for the web_ui target: cmake -DNPM=<npm> -DWEB_DIR=<web> -P build-web.cmake
# Installs the locked dependencies only when needed, then builds web/dist/.
if(NOT NPM OR NOT WEB_DIR)
  message(FATAL_ERROR "build-web.cmake: pass -DNPM=<path to npm> -DWEB_DIR=<web directory>")
endif()

set(lock "${WEB_DIR}/package-lock.json")
# npm writes node_modules/.package-lock.json on every install: a missing or stale one means the
# dependencies must be (re)installed from the lock file.
set(installed "${WEB_DIR}/node_modules/.package-lock.json")
if(NOT EXISTS "${installed}" OR "${lock}" IS_NEWER_THAN "${installed}")
  message(STATUS "web: npm ci (installing locked dependencies)")
  execute_process(
    COMMAND "${NPM}" ci --no-audit --no-fund --loglevel=error
    WORKING_DIRECTORY "${WEB_DIR}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "web: `npm ci` failed (${rc}). Is the npm registry reachable? "
                        "Run scripts/bootstrap, or configure with -DXT_BUILD_WEB=OFF.")
  endif()
endif()

execute_process(
  COMMAND "${NPM}" run build --silent
  WORKING_DIRECTORY "${WEB_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "web: `npm run build` failed (${rc}); see the output above.")
endif()
if(NOT EXISTS "${WEB_DIR}/dist/index.html")
  message(FATAL_ERROR "web: the build finished but dist/index.html is missing.")
endif()
# Make sure the output is newer than every input even if Vite kept the old file.
file(TOUCH "${WEB_DIR}/dist/index.html")
