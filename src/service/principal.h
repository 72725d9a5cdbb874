// Who is acting: the signed-in user with their org, or the system (jobs, CLI).
// Access is decided in the service layer with these predicates (R-ACC-1), never only in the UI.
// Pure value type and functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "domain/org.h"

namespace xietong::service {

struct Principal {
  domain::User user;
  domain::Org org;  // the user's org (never a unit: a unit's members act for the parent org)
  std::optional<domain::Org> unit;
  bool via_token = false;     // API token (no CSRF), rather than a browser session
  std::string csrf_token;     // the session's CSRF token (empty for tokens)
  std::string session_hash;   // the session's token hash (empty for tokens)

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
  // Read-only auditors see everything but change nothing.
  bool IsAuditor() const { return Has(domain::Role::kAuditor); }
  bool SeesAll() const { return IsCoordinator() || IsAuditor() || IsAdmin(); }
};

// The system itself acting (sweeper, migrations, CLI imports): audit entries carry no user.
inline constexpr std::nullptr_t kSystem = nullptr;

}  // namespace xietong::service
