// Organisations, their units, and users (SPEC §1): the directory and its administration.
//
// Everyone signed in may read the org directory (to address work to other orgs). Only
// administrators create or change orgs and users; leaders and coordinator staff may list users.
// Every change is audited in its own transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>


#include "core/clock.h"
#include "core/status.h"
#include "service/auth_service.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct OrgInput {
  std::string code, name, short_name;
  domain::OrgKind kind = domain::OrgKind::kTownship;
  std::optional<int64_t> parent_id;  // required iff kind == unit
  // 文号机关代字 (1..8 CJK/ASCII); empty = derived from short_name (镇/局/县 suffixes dropped).
  std::optional<std::string> doc_prefix;
};
struct OrgPatch {
  std::optional<std::string> name, short_name;
  std::optional<bool> active;
  std::optional<std::string> doc_prefix;  // 文号机关代字 (1..8 CJK/ASCII)
  // R-ACC-2: the org's region (an existing region code), or null to unplace; set when given.
  std::optional<std::optional<std::string>> region_code;
};
struct UserInput {
  std::string username, display_name, password;
  int64_t org_id = 0;
  std::optional<int64_t> unit_id;
  domain::RoleSet roles;
};
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<domain::RoleSet> roles;
  std::optional<bool> disabled;
  std::optional<std::optional<int64_t>> unit_id;  // set (value or null) when given
  // R-ACC-2: an auditor's or administrator's regional scope, or null (the deployment).
  std::optional<std::optional<std::string>> region_code;
};

// One row of the liaison directory (R-SYS-2).
struct LiaisonRow {
  domain::Org org;
  bool required = false;               // townships and county departments must name one
  std::vector<domain::User> liaisons;  // enabled users with role liaison, ascending id
  std::vector<domain::User> leaders;   // enabled leaders (warned instead when there is none)
  int64_t fallbacks = 0;  // warnings the sweeper sent to the leaders for want of a liaison
};

class OrgService {
 public:
  OrgService(storage::Store& store, const core::Clock& clock, AuthService& auth);

  core::Result<std::vector<domain::Org>> ListOrgs(const Principal& p);
  core::Result<domain::Org> GetOrg(const Principal& p, int64_t id);
  // The liaison directory (R-SYS-2): every active org that is not an internal unit, in the
  // store's order, with its liaisons and leaders and the count of warnings that went to its
  // leaders because it had no liaison (audit entries kLiaisonFallbackAction). Everyone signed
  // in may read it.
  core::Result<std::vector<LiaisonRow>> Liaisons(const Principal& p);
  // Admin only. Errors: 400 naming the field (code syntax, empty names, parent rules), 409
  // already_exists on a duplicate code.
  core::Result<domain::Org> CreateOrg(const Principal* actor, const OrgInput& in);
  core::Result<domain::Org> UpdateOrg(const Principal& actor, int64_t id, const OrgPatch& patch);

  // Admins, auditors and coordinators see the users of their scope (R-ACC-2); others only their
  // own org's.
  core::Result<std::vector<domain::User>> ListUsers(const Principal& p,
                                                    const storage::UserFilter& f);
  core::Result<domain::User> GetUser(const Principal& p, int64_t id);
  // Admin only (actor nullptr = system, for the CLI and the demo loader). `password_hash` may
  // be given instead of `in.password` to reuse one hash (demo data).
  core::Result<domain::User> CreateUser(const Principal* actor, const UserInput& in,
                                        const std::string& password_hash = {});
  core::Result<domain::User> UpdateUser(const Principal& actor, int64_t id, const UserPatch& patch);
  // Admin sets a new password; the user's sessions are ended and any lock-out cleared.
  core::Status ResetPassword(const Principal& actor, int64_t id, const std::string& new_password);

 private:
  core::Status CheckUnit(storage::Tx& tx, int64_t org_id, std::optional<int64_t> unit_id);
  // R-ACC-2: `code` (nullopt = none) may be given by `actor`: an existing region in its scope.
  core::Status CheckRegion(storage::Tx& tx, const Principal& actor,
                           const std::optional<std::string>& code);

  storage::Store& store_;
  const core::Clock& clock_;
  AuthService& auth_;
};

// The default document prefix for a short name: the name without trailing 镇/局/县 characters,
// cut to 8 characters; "" when nothing valid remains.
std::string DefaultDocPrefix(const std::string& short_name);

}  // namespace xietong::service
