// `xietong regions place|import` (R-ACC-2, issue 19): placing an existing single-county database
// in the region tree, and importing a region tree from CSV. docs/regions-contract.md.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace xietong::cli {

struct RegionsCli {
  CLI::App* place = nullptr;
  CLI::App* import = nullptr;
  std::string county, county_name, city, city_name, province, province_name;
  std::vector<std::string> townships;  // CODE=ORGCODE[:NAME]
  std::string file;

  // Adds `regions place` and `regions import` to `app`; add_db adds the --db option.
  void Add(CLI::App& app, const std::function<void(CLI::App*)>& add_db);
  // The exit code when one of them was given, else nullopt.
  std::optional<int> Run(const std::string& db) const;
};

}  // namespace xietong::cli
