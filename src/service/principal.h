// Who is acting: the signed-in user with their org, or the system (jobs, CLI).
// Access is decided in the service layer with these predicates (R-ACC-1), never only in the UI.
// Pure value type and functions; thread-safe.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/org.h"
#include "domain/region.h"

namespace xietong::service {

struct Principal {
  domain::User user;
  domain::Org org;  // the user's org (never a unit: a unit's members act for the parent org)
  std::optional<domain::Org> unit;
  bool via_token = false;     // API token (no CSRF), rather than a browser session
  std::string csrf_token;     // the session's CSRF token (empty for tokens)
  std::string session_hash;   // the session's token hash (empty for tokens)
  // R-ACC-2: the orgs in a region-wide Scope() with their region codes, ascending id (AuthService
  // fills it; null for principals without a scope or with the deployment-wide one). A principal
  // whose scope is a region but whose list is missing sees nothing beyond its own org.
  struct ScopeOrg {
    domain::Id id = 0;
    std::string region_code;
  };
  std::shared_ptr<const std::vector<ScopeOrg>> scope_orgs;
  // R-ACC-2: a region a read narrows its view to (`?region=CODE`, http/api_common.cc through
  // service::NarrowScope); it only ever narrows: Scope() is that region when OwnScope() covers it.
  std::optional<std::string> view_region;

  bool Has(domain::Role r) const { return user.roles.Has(r); }
  bool IsAdmin() const { return Has(domain::Role::kAdmin); }
  // Acts for the coordinator (县委依法治县办): coordinator staff, or a leader/officer/liaison of
  // the coordinator org. Auditors and administrators of that org do not (R-ACC-1).
  bool IsCoordinator() const {
    if (Has(domain::Role::kCoordinatorStaff)) return true;
    return org.kind == domain::OrgKind::kCoordinator &&
           (Has(domain::Role::kLeader) || Has(domain::Role::kOfficer) ||
            Has(domain::Role::kLiaison));
  }
  // Read-only auditors see everything in their scope but change nothing.
  bool IsAuditor() const { return Has(domain::Role::kAuditor); }

  // The part of the deployment this principal oversees (R-ACC-1 made regional by R-ACC-2), as a
  // region code prefix (domain/region.h): nullopt = nothing beyond its own org's work; "" = the
  // whole deployment; otherwise the subtree of one region. A coordinator oversees its org's
  // region (an unplaced coordinator org: the deployment, as before regions existed); auditors
  // and administrators their own region_code, or the deployment when they have none.
  std::optional<std::string> Scope() const {
    auto own = OwnScope();
    if (!own || !view_region) return own;
    std::string narrowed = ScopeOf(view_region);
    return narrowed.starts_with(*own) ? narrowed : own;
  }
  // The scope of the principal's office or role, whatever view_region says (who coordinates).
  std::optional<std::string> OwnScope() const {
    if (IsCoordinator()) return ScopeOf(org.region_code);
    if (IsAuditor() || IsAdmin()) return ScopeOf(user.region_code);
    return std::nullopt;
  }
  // Oversees some region (or the deployment): sees the work of the orgs in it.
  bool Oversees() const { return Scope().has_value(); }
  // Oversees the whole deployment (what "the coordinator sees all" was before regions).
  bool SeesAll() const {
    const auto s = Scope();
    return s && s->empty();
  }
  // Whether the org is its own or lies in the principal's scope.
  bool SeesOrg(const domain::Org& o) const {
    if (o.id == org.id) return true;
    const auto s = Scope();
    return s && domain::InScope(*s, o.region_code);
  }
  // Whether the org lies in the principal's scope, by id (scope_orgs): what every visibility
  // check of an object uses — an object is visible to a principal with a scope when any org
  // involved in it is in the scope (R-ACC-2: a cross-county referral is seen by both counties'
  // coordinators and their city office). False for principals without a scope.
  bool OverseesOrgId(domain::Id id) const {
    const auto s = Scope();
    if (!s) return false;
    if (s->empty()) return true;
    return FindScopeOrg(id) != nullptr;
  }
  template <typename Ids>
  bool OverseesAny(const Ids& ids) const {
    return std::any_of(std::begin(ids), std::end(ids),
                       [&](domain::Id id) { return OverseesOrgId(id); });
  }
  bool OverseesAny(std::initializer_list<domain::Id> ids) const {
    return std::any_of(ids.begin(), ids.end(), [&](domain::Id id) { return OverseesOrgId(id); });
  }
  // Its own org, or one it oversees.
  bool SeesOrgId(domain::Id id) const { return id == org.id || OverseesOrgId(id); }

  // R-ACC-2, R-REF-7: whether this coordinator is the office to coordinate between the orgs: a
  // deployment-wide one always; a regional one when its scope covers them all and is the lowest
  // common region (county level or above) of their regions — within a county the county's
  // 依法治县办, between two counties their city's 依法治市办.
  bool CoordinatesBetween(const std::vector<domain::Id>& ids) const {
    if (!IsCoordinator()) return false;
    const auto s = OwnScope();
    if (!s) return false;
    if (s->empty()) return true;
    std::vector<std::string> codes;
    for (domain::Id id : ids) {
      const ScopeOrg* o = FindScopeOrg(id);
      if (!o) return false;
      codes.push_back(o->region_code);
    }
    return domain::CoordinatingScope(codes) == *s;
  }

 private:
  const ScopeOrg* FindScopeOrg(domain::Id id) const {
    if (!scope_orgs) return nullptr;
    auto it = std::lower_bound(scope_orgs->begin(), scope_orgs->end(), id,
                               [](const ScopeOrg& o, domain::Id v) { return o.id < v; });
    return it != scope_orgs->end() && it->id == id ? &*it : nullptr;
  }
  static std::string ScopeOf(const std::optional<std::string>& region_code) {
    if (!region_code) return {};
    std::string prefix = domain::ScopePrefixOfCode(*region_code);
    // A malformed code never widens the scope: it then matches only itself.
    return prefix.empty() ? *region_code : prefix;
  }
};

// The system itself acting (sweeper, migrations, CLI imports): audit entries carry no user.
inline constexpr std::nullptr_t kSystem = nullptr;

}  // namespace xietong::service
