#include "domain/region.h"

#include <algorithm>
#include <map>

namespace xietong::domain {

using core::Result;
using core::Status;

std::string_view RegionLevelName(RegionLevel l) {
  switch (l) {
    case RegionLevel::kProvince: return "province";
    case RegionLevel::kCity: return "city";
    case RegionLevel::kCounty: return "county";
    case RegionLevel::kTownship: return "township";
  }
  return "county";
}

std::string_view RegionLevelLabelZh(RegionLevel l) {
  switch (l) {
    case RegionLevel::kProvince: return "省";
    case RegionLevel::kCity: return "市";
    case RegionLevel::kCounty: return "县（市、区）";
    case RegionLevel::kTownship: return "乡镇（街道）";
  }
  return "县（市、区）";
}

std::optional<RegionLevel> ParseRegionLevel(std::string_view name) {
  for (RegionLevel l : {RegionLevel::kProvince, RegionLevel::kCity, RegionLevel::kCounty,
                        RegionLevel::kTownship}) {
    if (RegionLevelName(l) == name) return l;
  }
  return std::nullopt;
}

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

size_t PrefixLength(RegionLevel l) {
  switch (l) {
    case RegionLevel::kProvince: return 2;
    case RegionLevel::kCity: return 4;
    case RegionLevel::kCounty: return 6;
    case RegionLevel::kTownship: return 9;
  }
  return 6;
}

}  // namespace

std::optional<RegionLevel> LevelOfCode(std::string_view code) {
  if (!AllDigits(code)) return std::nullopt;
  if (code.size() == 6) {
    if (code.substr(0, 2) == "00") return std::nullopt;
    if (code.substr(2) == "0000") return RegionLevel::kProvince;
    if (code.substr(4) == "00") return code.substr(2, 2) == "00" ? std::nullopt
                                                                  : std::optional(RegionLevel::kCity);
    return RegionLevel::kCounty;
  }
  if (code.size() == 12) {
    if (code.substr(9) != "000" || code.substr(6, 3) == "000") return std::nullopt;
    if (LevelOfCode(code.substr(0, 6)) != RegionLevel::kCounty) return std::nullopt;
    return RegionLevel::kTownship;
  }
  return std::nullopt;
}

std::string ScopePrefixOfCode(std::string_view code) {
  const auto level = LevelOfCode(code);
  if (!level) return {};
  return std::string(code.substr(0, PrefixLength(*level)));
}

bool InScope(std::string_view scope_prefix, const std::optional<std::string>& region_code) {
  if (scope_prefix.empty()) return true;
  return region_code && region_code->starts_with(scope_prefix);
}

std::string CommonScopePrefix(const std::optional<std::string>& a,
                              const std::optional<std::string>& b) {
  if (!a || !b) return {};
  const std::string pa = ScopePrefixOfCode(*a), pb = ScopePrefixOfCode(*b);
  for (size_t n : {size_t{9}, size_t{6}, size_t{4}, size_t{2}}) {
    if (pa.size() >= n && pb.size() >= n && pa.compare(0, n, pb, 0, n) == 0) return pa.substr(0, n);
  }
  return {};
}

std::string CoordinatingScope(const std::vector<std::string>& region_codes) {
  std::vector<std::string> prefixes;
  for (const auto& c : region_codes) {
    std::string p = ScopePrefixOfCode(c).substr(0, 6);
    if (p.empty()) return {};
    prefixes.push_back(std::move(p));
  }
  if (prefixes.empty()) return {};
  for (size_t n : {size_t{6}, size_t{4}, size_t{2}}) {
    const bool shared = std::all_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
      return p.size() >= n && p.compare(0, n, prefixes[0], 0, n) == 0;
    });
    if (shared) return prefixes[0].substr(0, n);
  }
  return {};
}

Status ValidateRegion(const Region& r, const std::optional<Region>& parent) {
  const auto level = LevelOfCode(r.code);
  if (!level) {
    return Status::Invalid("code", "区划代码格式不正确（6位GB/T 2260代码或12位统计用区划代码）",
                           "R-ACC-2")
        .En("bad region code shape (6-digit GB/T 2260 or 12-digit statistical code)");
  }
  if (r.name.empty() || r.name.size() > 200) {
    return Status::Invalid("name", "区划名称不能为空", "R-ACC-2").En("region name is required");
  }
  if (*level != r.level) {
    return Status::Invalid("level", "区划层级与代码不一致", "R-ACC-2")
        .En("region level does not match its code");
  }
  if (r.parent_code && r.parent_code == r.code) {
    return Status::Invalid("parent_code", "上级区划不能是自身", "R-ACC-2")
        .En("a region cannot be its own parent");
  }
  if (!parent) return Status::Ok();
  if (static_cast<int>(parent->level) + 1 != static_cast<int>(r.level)) {
    return Status::Invalid("parent_code", "区划层级与上级区划不一致", "R-ACC-2")
        .En("region level inconsistent with its parent's");
  }
  if (!r.code.starts_with(ScopePrefixOfCode(parent->code))) {
    return Status::Invalid("parent_code", "区划代码不在上级区划之内", "R-ACC-2")
        .En("region code is not inside its parent's code");
  }
  return Status::Ok();
}

namespace {

// Splits one CSV line into fields (double quotes for fields with commas; "" inside quotes).
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string Trim(std::string s) {
  const auto sp = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && sp(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && sp(s[i])) ++i;
  return s.substr(i);
}

Status RowError(int line, int column, const char* column_name, const Status& why) {
  std::string msg = "第" + std::to_string(line) + "行第" + std::to_string(column) + "列（" +
                    column_name + "）：" + why.message();
  std::string en = "line " + std::to_string(line) + " column " + std::to_string(column) + " (" +
                   column_name + "): " + (why.message_en().empty() ? why.message() : why.message_en());
  return Status::Invalid(column_name, std::move(msg), "R-ACC-2", "region_import_row").En(std::move(en));
}

int ColumnOf(const std::string& field) {
  if (field == "name") return 2;
  if (field == "parent_code") return 3;
  return 1;
}

}  // namespace

Result<std::vector<Region>> ParseRegionCsv(std::string_view csv,
                                           const std::vector<Region>& existing) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::vector<RegionRow> rows;
  int line_no = 0;
  size_t at = 0;
  while (at <= csv.size()) {
    size_t end = csv.find('\n', at);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (Trim(std::string(line)).empty()) {
      if (end == csv.size()) break;
      continue;
    }
    std::vector<std::string> f = SplitCsvLine(line);
    for (auto& s : f) s = Trim(s);
    if (line_no == 1 && !f.empty() && f[0] == "code") continue;  // header
    if (f.size() < 2 || f.size() > 3) {
      return RowError(line_no, f.size() < 2 ? 2 : 4, f.size() < 2 ? "name" : "columns",
                      Status::Invalid("", "应为三列：code,name,parent_code")
                          .En("expected three columns: code,name,parent_code"));
    }
    RegionRow row;
    row.line = line_no;
    row.region.code = f[0];
    row.region.name = f[1];
    if (f.size() == 3 && !f[2].empty()) row.region.parent_code = f[2];
    const auto level = LevelOfCode(row.region.code);
    if (!level) {
      return RowError(line_no, 1, "code", ValidateRegion(row.region, std::nullopt));
    }
    row.region.level = *level;
    rows.push_back(std::move(row));
    if (end == csv.size()) break;
  }
  if (rows.empty()) {
    return Status::Invalid("file", "文件中没有区划", "R-ACC-2").En("the file holds no regions");
  }
  std::map<std::string, Region> known;
  for (const auto& r : existing) known[r.code] = r;
  std::map<std::string, int> in_file;
  for (const auto& row : rows) {
    if (known.contains(row.region.code)) {
      return RowError(row.line, 1, "code",
                      Status::Invalid("", "区划代码已存在").En("region code already exists"));
    }
    if (auto [it, fresh] = in_file.emplace(row.region.code, row.line); !fresh) {
      return RowError(row.line, 1, "code",
                      Status::Invalid("", "区划代码与第" + std::to_string(it->second) + "行重复")
                          .En("duplicate of line " + std::to_string(it->second)));
    }
  }
  std::map<std::string, Region> file_regions;
  for (const auto& row : rows) file_regions[row.region.code] = row.region;
  std::vector<Region> out;
  for (const auto& row : rows) {
    std::optional<Region> parent;
    if (row.region.parent_code) {
      const std::string& pc = *row.region.parent_code;
      if (auto it = file_regions.find(pc); it != file_regions.end()) {
        parent = it->second;
      } else if (auto k = known.find(pc); k != known.end()) {
        parent = k->second;
      } else {
        return RowError(row.line, 3, "parent_code",
                        Status::Invalid("", "上级区划 " + pc + " 不存在").En("unknown parent " + pc));
      }
    }
    if (Status s = ValidateRegion(row.region, parent); !s.ok()) {
      return RowError(row.line, ColumnOf(s.field()), s.field() == "level" ? "code" : s.field().c_str(), s);
    }
    out.push_back(row.region);
  }
  SortParentsFirst(out);
  return out;
}

void SortParentsFirst(std::vector<Region>& regions) {
  std::stable_sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) {
    if (a.level != b.level) return a.level < b.level;
    return a.code < b.code;
  });
}

}  // namespace xietong::domain
