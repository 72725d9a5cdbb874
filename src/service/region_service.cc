#include "service/region_service.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <set>

#include "service/audit_log.h"

namespace xietong::service {

using core::Result;
using core::Status;

ScopeFilter ScopeFilterOf(const Principal& p) {
  ScopeFilter f;
  if (auto scope = p.Scope()) {
    f.region_prefix = std::move(*scope);
  } else {
    f.own_org = p.org.id;
  }
  return f;
}

void ApplyScope(const Principal& p, storage::CoordItemFilter& f) {
  ScopeFilter s = ScopeFilterOf(p);
  if (s.own_org) f.involving_org_id = s.own_org;
  f.region_prefix = std::move(s.region_prefix);
}
void ApplyScope(const Principal& p, storage::ReferralFilter& f) {
  ScopeFilter s = ScopeFilterOf(p);
  if (s.own_org) f.visible_to_org_id = s.own_org;
  f.region_prefix = std::move(s.region_prefix);
}
void ApplyScope(const Principal& p, storage::CollaborationFilter& f) {
  ScopeFilter s = ScopeFilterOf(p);
  if (s.own_org) f.visible_to_org_id = s.own_org;
  f.region_prefix = std::move(s.region_prefix);
}
void ApplyScope(const Principal& p, storage::DutyFilter& f) {
  ScopeFilter s = ScopeFilterOf(p);
  if (s.own_org) f.owner_org_ids = {*s.own_org};
  f.region_prefix = std::move(s.region_prefix);
}
void ApplyScope(const Principal& p, storage::AuditFilter& f) {
  ScopeFilter s = ScopeFilterOf(p);
  if (s.own_org) f.org_id = s.own_org;
  f.region_prefix = std::move(s.region_prefix);
}
void ApplyScope(const Principal& p, storage::UserFilter& f) {
  ScopeFilter s = ScopeFilterOf(p);
  if (s.own_org) f.org_id = s.own_org;
  f.region_prefix = std::move(s.region_prefix);
}

Status NarrowScope(storage::Store& store, Principal& p, const std::string& code) {
  if (!domain::LevelOfCode(code)) {
    return Status::Invalid("region", "region 应为区划代码", "R-ACC-2").En("region must be a region code");
  }
  const auto own = p.OwnScope();
  if (!own || !domain::InScope(*own, code)) {
    return Status::Denied("所选区划不在本辖区", "R-ACC-2").En("The region is outside your scope");
  }
  p.view_region = code;
  return store.Read([&](storage::Tx& tx) { return LoadScope(tx, p); });
}

Status LoadScope(storage::Tx& tx, Principal& p) {
  const auto scope = p.Scope();
  if (!scope || scope->empty()) {
    p.scope_orgs.reset();
    return Status::Ok();
  }
  XT_ASSIGN_OR_RETURN(auto orgs, tx.OrgsInRegion(*scope));  // ascending id
  std::vector<Principal::ScopeOrg> in_scope;
  in_scope.reserve(orgs.size());
  for (auto& [id, code] : orgs) in_scope.push_back({id, std::move(code)});
  p.scope_orgs = std::make_shared<const std::vector<Principal::ScopeOrg>>(std::move(in_scope));
  return Status::Ok();
}

namespace {

bool DeploymentAdmin(const Principal* actor) {
  return actor == nullptr || (actor->IsAdmin() && !actor->user.region_code);
}

Status NotDeploymentAdmin() {
  return Status::Denied("只有全系统管理员可以维护区划", "R-ACC-2")
      .En("Only a deployment-wide administrator may maintain regions");
}

boost::json::object RegionJson(const domain::Region& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"level", domain::RegionLevelName(r.level)},
          {"parent_code", r.parent_code ? boost::json::value(*r.parent_code) : nullptr}};
}

}  // namespace

RegionService::RegionService(storage::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

Result<RegionTree> RegionService::Tree(const Principal& p) {
  RegionTree out;
  out.scope = p.Scope();
  std::optional<std::string> anchor;  // the region whose subtree (or chain) is shown
  if (p.IsCoordinator()) {
    anchor = p.org.region_code;
  } else if (p.IsAuditor() || p.IsAdmin()) {
    anchor = p.user.region_code;
  } else {
    anchor = p.org.region_code;
  }
  if (out.scope && !out.scope->empty()) out.scope_region_code = anchor;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Region> all, tx.ListRegions());
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    std::map<std::string, int64_t> counts;
    for (const auto& o : orgs)
      if (o.region_code) ++counts[*o.region_code];
    std::map<std::string, const domain::Region*> by_code;
    for (const auto& r : all) by_code[r.code] = &r;
    // Ancestors of the anchor (breadcrumbs), shown out of scope.
    std::set<std::string> ancestors;
    if (anchor) {
      auto it = by_code.find(*anchor);
      while (it != by_code.end() && it->second->parent_code) {
        ancestors.insert(*it->second->parent_code);
        it = by_code.find(*it->second->parent_code);
      }
    }
    for (const auto& r : all) {
      bool in_scope = false;
      if (out.scope) {
        in_scope = out.scope->empty() || r.code.starts_with(*out.scope);
      } else {
        in_scope = anchor && r.code == *anchor;  // own org's region only
      }
      if (!in_scope && !ancestors.contains(r.code)) continue;
      out.regions.push_back({r, in_scope, counts[r.code]});
    }
    return Status::Ok();
  }));
  return out;
}

Result<int> RegionService::Import(const Principal* actor, std::string_view csv) {
  if (!DeploymentAdmin(actor)) return NotDeploymentAdmin();
  int n = 0;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Region> existing, tx.ListRegions());
    XT_ASSIGN_OR_RETURN(std::vector<domain::Region> rows, domain::ParseRegionCsv(csv, existing));
    boost::json::array codes;
    for (const auto& r : rows) {
      XT_RETURN_IF_ERROR(tx.InsertRegion(r));
      codes.emplace_back(r.code);
    }
    n = static_cast<int>(rows.size());
    return Record(tx, actor, clock_.Now(),
                  {"region.import", "region", rows.front().code,
                   "导入行政区划 " + std::to_string(n) + " 个",
                   boost::json::object{{"codes", std::move(codes)}}});
  }));
  return n;
}

namespace {

// The region `r` exists with the same level and parent, or is created. Counts creations.
Status EnsureRegion(storage::Tx& tx, const domain::Region& r, const std::optional<domain::Region>& parent,
                    const char* field, int& created) {
  if (Status s = domain::ValidateRegion(r, parent); !s.ok()) {
    return Status::Invalid(field, std::string(field) + "：" + s.message(), "R-ACC-2")
        .En(std::string(field) + ": " + s.message_en());
  }
  auto have = tx.GetRegion(r.code);
  if (have.ok()) {
    if (have->parent_code != r.parent_code) {
      return Status::Invalid(field, "区划 " + r.code + " 已存在且上级不同", "R-ACC-2")
          .En("region " + r.code + " exists under another parent");
    }
    return Status::Ok();
  }
  if (have.status().code() != core::Code::kNotFound) return have.status();
  XT_RETURN_IF_ERROR(tx.InsertRegion(r));
  ++created;
  return Status::Ok();
}

}  // namespace

Result<PlaceReport> RegionService::Place(const PlaceInput& in) {
  PlaceReport rep;
  using domain::RegionLevel;
  const domain::Region province{in.province_code, in.province_name, RegionLevel::kProvince,
                                std::nullopt};
  const domain::Region city{in.city_code, in.city_name, RegionLevel::kCity, in.province_code};
  const domain::Region county{in.county_code, in.county_name, RegionLevel::kCounty, in.city_code};
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(EnsureRegion(tx, province, std::nullopt, "province", rep.regions_created));
    XT_RETURN_IF_ERROR(EnsureRegion(tx, city, province, "city", rep.regions_created));
    XT_RETURN_IF_ERROR(EnsureRegion(tx, county, city, "county", rep.regions_created));
    std::map<std::string, std::string> township_of;  // org code → township region code
    for (const auto& t : in.townships) {
      const domain::Region town{t.code, t.name.empty() ? t.org_code : t.name,
                                RegionLevel::kTownship, in.county_code};
      XT_RETURN_IF_ERROR(EnsureRegion(tx, town, county, "township", rep.regions_created));
      auto org = tx.GetOrgByCode(t.org_code);
      if (!org.ok()) {
        return Status::Invalid("township", "机构 " + t.org_code + " 不存在", "R-ACC-2")
            .En("no org " + t.org_code);
      }
      township_of[t.org_code] = t.code;
    }
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    boost::json::array placed;
    for (domain::Org o : orgs) {
      if (o.region_code) continue;
      auto t = township_of.find(o.code);
      o.region_code = t != township_of.end() ? t->second : in.county_code;
      XT_RETURN_IF_ERROR(tx.UpdateOrg(o));
      placed.emplace_back(boost::json::object{{"org", o.code}, {"region", *o.region_code}});
      ++rep.orgs_placed;
    }
    return Record(tx, nullptr, clock_.Now(),
                  {"region.place", "region", in.county_code,
                   "机构归入行政区划 " + in.county_name + "（" + std::to_string(rep.orgs_placed) +
                       " 个机构）",
                   boost::json::object{{"county", RegionJson(county)},
                                       {"regions_created", rep.regions_created},
                                       {"placed", std::move(placed)}}});
  }));
  return rep;
}

Status RegionService::PlaceOrg(const Principal* actor, domain::Id org_id,
                               const std::string& region_code) {
  if (!DeploymentAdmin(actor)) return NotDeploymentAdmin();
  return store_.Write([&](storage::Tx& tx) -> Status {
    auto region = tx.GetRegion(region_code);
    if (!region.ok()) {
      return Status::Invalid("region_code", "区划不存在：" + region_code, "R-ACC-2")
          .En("unknown region " + region_code);
    }
    XT_ASSIGN_OR_RETURN(domain::Org org, tx.GetOrg(org_id));
    const auto before = org.region_code;
    org.region_code = region_code;
    XT_RETURN_IF_ERROR(tx.UpdateOrg(org));
    return Record(tx, actor, clock_.Now(),
                  {"org.place", "org", std::to_string(org.id),
                   "机构 " + org.name + " 归入 " + region->name,
                   boost::json::object{
                       {"before", before ? boost::json::value(*before) : nullptr},
                       {"after", region_code}}});
  });
}

Result<std::vector<EscalationView>> RegionService::Escalations(const Principal& p, int offset,
                                                               int limit, int64_t* total) {
  std::vector<EscalationView> out;
  const ScopeFilter sf = ScopeFilterOf(p);
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    storage::EscalationFilter f{.offset = offset, .limit = limit};
    if (sf.own_org) {
      f.to_org_id = *sf.own_org;  // an office without a scope: those sent to it
    } else {
      f.region_prefix = sf.region_prefix;
    }
    XT_ASSIGN_OR_RETURN(std::vector<storage::Escalation> rows, tx.ListEscalations(f));
    if (total) {
      XT_ASSIGN_OR_RETURN(*total, tx.CountEscalations(f));
    }
    std::vector<domain::Id> org_ids;
    for (const auto& e : rows) {
      XT_ASSIGN_OR_RETURN(domain::Duty d, tx.GetDuty(e.duty_id));
      org_ids.push_back(d.owner_org_id);
      out.push_back({e, std::move(d), {}});
    }
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.GetOrgsByIds(org_ids));
    std::map<domain::Id, domain::Org> by_id;
    for (auto& o : orgs) by_id[o.id] = o;
    for (auto& v : out) v.owner = by_id[v.duty.owner_org_id];
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
