// check_layers ROOT: runs the layer check (layer_check.h) over ROOT/src and ROOT/bench and
// prints every violation, one per line. Exit 0 when there is none, 1 when there are, 2 when
// ROOT does not hold both trees (so that a wrong path cannot pass). CTest: layers_src_tree.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "layer_check.h"

namespace fs = std::filesystem;

namespace {

bool IsSource(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".h" || ext == ".hh" || ext == ".hpp" || ext == ".cc" || ext == ".cpp" ||
         ext == ".cxx";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: check_layers REPOSITORY_ROOT\n";
    return 2;
  }
  const fs::path root = argv[1];
  std::vector<xietong::layers::SourceFile> files;
  for (const char* tree : {"src", "bench"}) {
    std::error_code ec;
    if (!fs::is_directory(root / tree, ec)) {
      std::cerr << "check_layers: " << (root / tree).string() << " is not a directory\n";
      return 2;
    }
    for (auto it = fs::recursive_directory_iterator(root / tree, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file() || !IsSource(it->path())) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      files.push_back({fs::relative(it->path(), root).generic_string(),
                       xietong::layers::ParseIncludes(text.str())});
    }
    if (ec) {
      std::cerr << "check_layers: " << ec.message() << "\n";
      return 2;
    }
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  size_t includes = 0;
  for (const auto& f : files) includes += f.includes.size();
  const auto violations = xietong::layers::Check(files, xietong::layers::KnownExceptions());
  for (const auto& v : violations) std::cout << xietong::layers::Format(v) << "\n";
  std::cout << "check_layers: " << files.size() << " files, " << includes << " includes, "
            << violations.size() << " violation(s), " << xietong::layers::KnownExceptions().size()
            << " known exception(s)\n";
  return violations.empty() ? 0 : 1;
}
