// The layer check: which `#include` lines in src/ and bench/ break the architecture of
// src/README.md. A pure function over (path, include lines), so that its unit test
// (layer_check_test.cc) can feed it synthetic trees; check_layers.cc runs it on the real tree
// as the CTest test `layers_src_tree`.
//
// The rules, each violation naming one:
//  - "include-path": a quoted include is written from src/ and starts with a layer
//    ("domain/duty.h", not "duty.h" or "../domain/duty.h").
//  - "layer-order": the layers are core ← calendar ← domain ← storage ← service ← jobs | http |
//    reports ← cli. A file includes only its own layer and layers below it; bench/ may include
//    every layer. A folder under src/ that is not in this list is refused ("unknown-layer") so
//    that a new layer is placed in the order before it is used.
//  - "layer-sideways": jobs, http and reports do not include each other.
//  - "data-through-service": jobs and http reach data only through service: their non-test
//    files include nothing from storage/.
//  - "storage-backend": storage/<sub>/ folders other than storage/internal/ (the backends
//    storage/sqlite, storage/postgres, and tools such as storage/copy) are concrete. Files
//    directly in storage/ include none of them; a backend includes no other storage/<sub>/;
//    other storage/<sub>/ folders may include the backends. Above storage only cli, test files
//    and bench/ include them.
//  - "internal-header": a header under X/internal/ is included only by files under X/.
//  - "beast-asio": <boost/beast…> and <boost/asio…> only in src/http/server.cc.
//  - "sql-client": <sqlite3.h>, <libpq-fe.h> (and other libpq headers) only under src/storage/.
//
// Test files (`*_test.cc`, `*_test.h`, `test_util.h`) are wiring code like cli: they may
// include a backend's public header (tests run against a real store), but every other rule
// holds for them.
//
// Known exceptions are listed with a reason; one that no longer occurs is itself reported
// ("stale-exception"), so the list only shrinks.
//
// Thread-safety: pure functions over values; thread-safe.
//
//   std::vector<layers::SourceFile> files = ...;  // paths relative to the repository root
//   for (const layers::Violation& v : layers::Check(files, layers::KnownExceptions()))
//     std::cerr << layers::Format(v) << "\n";
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xietong::layers {

struct Include {
  int line = 0;         // 1-based line number in its file
  std::string target;   // what is between the quotes or the angle brackets
  bool angled = false;  // <…> rather than "…"
};

struct SourceFile {
  std::string path;  // relative to the repository root, '/'-separated: "src/jobs/sweeper.cc"
  std::vector<Include> includes;
};

struct Violation {
  std::string path;
  int line = 0;
  std::string target;
  bool angled = false;
  std::string rule;     // one of the rule names above
  std::string message;  // why, in a sentence
};

// An include that breaks a rule on purpose, until it is fixed.
struct Exception {
  std::string path;    // the including file
  std::string target;  // the included header, as written
  std::string reason;
};

// The `#include` lines of a C++ source text, in order. Lines inside /* … */ comments and
// after // are ignored; `#  include` is recognised. Never fails: anything else is skipped.
std::vector<Include> ParseIncludes(std::string_view text);

// Every violation in `files` that `exceptions` does not excuse, then every exception that
// excused nothing (rule "stale-exception"). Files outside src/ and bench/ are not checked.
// Deterministic: violations come in the order of `files` and their includes.
std::vector<Violation> Check(const std::vector<SourceFile>& files,
                             const std::vector<Exception>& exceptions = {});

// The exceptions the real tree has today (see layer_check.cc for each reason).
const std::vector<Exception>& KnownExceptions();

// "src/jobs/sweeper.cc:12: #include \"storage/store.h\" [data-through-service] message".
std::string Format(const Violation& v);

}  // namespace xietong::layers
