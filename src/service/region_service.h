// Regions (R-ACC-2, issue 19): the administrative division tree, where orgs sit in it, the
// regional scope of principals (Principal::Scope) turned into store filters, and escalation of
// long-red duties to the next level's coordinator office.
//
// Reading the tree: everyone signed in sees the regions of their scope (a county coordinator its
// county and its townships, a city office its counties …) plus the chain of ancestors above it
// (for breadcrumbs; in_scope false); a principal without a scope sees its own org's region and
// its ancestors. Importing (CSV) and placing orgs are administration by a deployment-wide
// administrator (or the system: CLI). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/region.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

// The visibility part of a store filter for a principal (the one place that turns a scope into
// a filter): `own_org` = only what involves this org (principals without a scope); otherwise
// `region_prefix` = what involves an org in that subtree ("" = everything).
struct ScopeFilter {
  std::optional<domain::Id> own_org;
  std::string region_prefix;
};
ScopeFilter ScopeFilterOf(const Principal& p);
// The same written into each store filter's visibility fields.
void ApplyScope(const Principal& p, storage::CoordItemFilter& f);     // involving_org_id
void ApplyScope(const Principal& p, storage::ReferralFilter& f);      // visible_to_org_id
void ApplyScope(const Principal& p, storage::CollaborationFilter& f); // visible_to_org_id
void ApplyScope(const Principal& p, storage::DutyFilter& f);          // owner_org_ids
void ApplyScope(const Principal& p, storage::AuditFilter& f);         // org_id (the actor's)
void ApplyScope(const Principal& p, storage::UserFilter& f);          // org_id

// Fills Principal::scope_orgs for a principal whose scope is a region (one indexed read of
// the org ids under the prefix); leaves other principals alone. AuthService calls it for every
// principal it builds.
core::Status LoadScope(storage::Tx& tx, Principal& p);
// Narrows p's view to the region `code` (a GET's `?region=`, R-ACC-2): 400 field "region" for a
// code that is not a region's shape, 403 when p has no scope or `code` lies outside it; then
// reloads p.scope_orgs for the narrowed scope.
core::Status NarrowScope(storage::Store& store, Principal& p, const std::string& code);

struct RegionRow {
  domain::Region region;
  bool in_scope = false;  // inside the principal's scope (else an ancestor, for breadcrumbs)
  int64_t org_count = 0;  // orgs placed directly in this region
};
struct RegionTree {
  std::vector<RegionRow> regions;  // by level, then code
  // The principal's scope: nullopt = none (own org only), "" = the deployment, else a prefix.
  std::optional<std::string> scope;
  std::optional<std::string> scope_region_code;  // the region the scope is of, when placed
};

struct PlaceInput {
  std::string province_code, province_name;
  std::string city_code, city_name;
  std::string county_code, county_name;
  // Township regions to create and the orgs to put in them: {township code, name, org code}.
  struct Township {
    std::string code, name, org_code;
  };
  std::vector<Township> townships;
};
struct PlaceReport {
  int regions_created = 0;
  int orgs_placed = 0;
};

struct EscalationView {
  storage::Escalation escalation;
  domain::Duty duty;
  domain::Org owner;
};

class RegionService {
 public:
  RegionService(storage::Store& store, const core::Clock& clock);

  core::Result<RegionTree> Tree(const Principal& p);

  // Imports a CSV of regions (code,name,parent_code; domain::ParseRegionCsv): all rows or none.
  // Deployment-wide administrators only (actor nullptr = the CLI). Returns the number imported.
  core::Result<int> Import(const Principal* actor, std::string_view csv);

  // Migration of a single-county database (CLI `regions place`): creates the province → city →
  // county chain where missing (an existing region must have the given name's level and
  // parent), the given township regions, puts the named orgs in their townships and every other
  // unplaced org in the county. Idempotent. System actor.
  core::Result<PlaceReport> Place(const PlaceInput& in);

  // Puts one org into a region (deployment-wide administrators or the system).
  core::Status PlaceOrg(const Principal* actor, domain::Id org_id, const std::string& region_code);

  // Escalations visible to p (its scope; an office sees those sent to it and those of its
  // subtree), newest first.
  core::Result<std::vector<EscalationView>> Escalations(const Principal& p, int offset, int limit,
                                                        int64_t* total);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace xietong::service
