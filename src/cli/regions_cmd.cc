#include "cli/regions_cmd.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/open_store.h"
#include "core/clock.h"
#include "service/region_service.h"

namespace xietong::cli {

namespace {

int Fail(const core::Status& st) {
  std::fprintf(stderr, "xietong: %s\n", st.ToString().c_str());
  return st.code() == core::Code::kInvalidArgument ? 2 : 1;
}

}  // namespace

void RegionsCli::Add(CLI::App& app, const std::function<void(CLI::App*)>& add_db) {
  CLI::App* regions = app.add_subcommand("regions", "行政区划 Regions (R-ACC-2)");
  regions->require_subcommand(1);
  place = regions->add_subcommand(
      "place", "归入区划 Place every org without a region under one county (creates the chain)");
  add_db(place);
  place->add_option("--county", county, "县级区划代码 county code (GB/T 2260), e.g. 445321")->required();
  place->add_option("--name", county_name, "县名 county name, e.g. 新兴县")->required();
  place->add_option("--city", city, "市级区划代码 city code, e.g. 445300")->required();
  place->add_option("--city-name", city_name, "市名 city name")->required();
  place->add_option("--province", province, "省级区划代码 province code, e.g. 440000")->required();
  place->add_option("--province-name", province_name, "省名 province name")->required();
  place->add_option("--township", townships,
                    "乡镇 CODE=ORGCODE[:NAME] (12-digit code; repeatable): that org into that township");
  import = regions->add_subcommand("import", "导入区划 Import regions from CSV (code,name,parent_code)");
  add_db(import);
  import->add_option("file", file, "CSV file (UTF-8)")->required()->check(CLI::ExistingFile);
}

std::optional<int> RegionsCli::Run(const std::string& db) const {
  if (!place || !import || (!*place && !*import)) return std::nullopt;
  auto store = OpenStore(db);
  if (!store.ok()) return Fail(store.status());
  core::SystemClock clock;
  service::RegionService regions(**store, clock);
  if (*import) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    auto n = regions.Import(nullptr, buf.str());
    if (!n.ok()) return Fail(n.status());
    std::printf("已导入行政区划 %d 个\n", *n);
    return 0;
  }
  service::PlaceInput in{province, province_name, city, city_name, county, county_name, {}};
  for (const std::string& t : townships) {
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      return Fail(core::Status::Invalid("township", "--township 应为 CODE=ORGCODE[:NAME]：" + t));
    }
    service::PlaceInput::Township town;
    town.code = t.substr(0, eq);
    std::string rest = t.substr(eq + 1);
    if (const auto colon = rest.find(':'); colon != std::string::npos) {
      town.name = rest.substr(colon + 1);
      rest = rest.substr(0, colon);
    }
    town.org_code = rest;
    in.townships.push_back(std::move(town));
  }
  auto rep = regions.Place(in);
  if (!rep.ok()) return Fail(rep.status());
  std::printf("已新建区划 %d 个，%d 个机构归入 %s（%s）\n", rep->regions_created, rep->orgs_placed,
              county_name.c_str(), county.c_str());
  return 0;
}

}  // namespace xietong::cli
