// Regions (R-ACC-2): the administrative division tree a deployment shared by several counties
// lives in. Codes are GB/T 2260 (province 440000, city 445300, county 445321) and the 12-digit
// 统计用区划代码 for townships (445321100000). Codes nest by prefix, so a region's *scope prefix*
// (province 2 digits, city 4, county 6, township 9) turns "this org is in my subtree" into a
// prefix test on the org's region code. Pure value types and functions; thread-compatible.
//
// Persisted enum values are explicit numbers that never change.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace xietong::domain {

enum class RegionLevel : int {
  kProvince = 1,  // 省 (GB/T 2260 xx0000)
  kCity = 2,      // 市 (xxxx00)
  kCounty = 3,    // 县、县级市、区 (xxxxxx, last two digits not 00)
  kTownship = 4,  // 乡、镇、街道 (12-digit 统计用区划代码, xxxxxxxxx000)
};

std::string_view RegionLevelName(RegionLevel l);     // "province" …
std::string_view RegionLevelLabelZh(RegionLevel l);  // 省 …
std::optional<RegionLevel> ParseRegionLevel(std::string_view name);

struct Region {
  std::string code;  // GB/T 2260 (6 digits) or 统计用区划代码 (12 digits)
  std::string name;  // 新兴县
  RegionLevel level = RegionLevel::kCounty;
  std::optional<std::string> parent_code;  // nullopt for a root (a province, or the deployment's top)
};

// The level a code's shape says: 6 digits xx0000 province, xxxx00 city, otherwise county; 12
// digits ending in 000 with a county prefix (not ending in 00) township. nullopt for anything else
// (wrong length, non-digits, a village-level code).
std::optional<RegionLevel> LevelOfCode(std::string_view code);

// The significant prefix of a code (province 2, city 4, county 6, township 9 digits); empty when
// the code is not a valid region code. "445321" → "445321", "445300" → "4453".
std::string ScopePrefixOfCode(std::string_view code);

// Whether an org placed at `region_code` lies in the subtree of `scope_prefix` ("" = the whole
// deployment, including unplaced orgs). An unplaced org (nullopt) is only in the deployment-wide
// scope.
bool InScope(std::string_view scope_prefix, const std::optional<std::string>& region_code);

// The scope prefix shared by two region codes at the lowest common level (county, city,
// province), or "" when they share none (or either is unplaced). Used to find who coordinates
// between two orgs (R-REF-7 across counties).
std::string CommonScopePrefix(const std::optional<std::string>& a,
                              const std::optional<std::string>& b);

// The scope prefix of the coordinator office that coordinates between orgs placed at these region
// codes (R-REF-7, R-ACC-2): their lowest common region at county level or above — orgs of one
// county (or of its townships) → the county's 6 digits; of two counties of a city → the city's 4;
// of two cities → the province's 2. "" when they share none, a code is invalid, or none given.
std::string CoordinatingScope(const std::vector<std::string>& region_codes);

// Validation of one region against its parent (nullopt parent = a root): the code's shape, the
// level the code says (which `r.level` must equal), one level below the parent and inside the
// parent's prefix. Errors name the field ("code", "parent_code", "level", "name").
core::Status ValidateRegion(const Region& r, const std::optional<Region>& parent);

// A row of a region CSV (code,name,parent_code), with its line number for error messages.
struct RegionRow {
  int line = 0;
  Region region;
};

// Parses and validates a whole CSV (UTF-8, BOM tolerated, header "code,name,parent_code" optional)
// against the regions that already exist: the first bad row names its line and column in the
// error (field "line:N column:C" style message, field = column name). Nothing is returned for a
// file with any bad row. Rows may come in any order; parents are resolved within the file or
// among `existing`. Duplicate codes (in the file or already existing) are refused.
core::Result<std::vector<Region>> ParseRegionCsv(std::string_view csv,
                                                 const std::vector<Region>& existing);

// Parents before children (by level, then code): the order to insert them in.
void SortParentsFirst(std::vector<Region>& regions);

}  // namespace xietong::domain
