// Organisations and people (SPEC §1). Pure value types; thread-compatible.
//
// Persisted enum values are explicit numbers that never change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace xietong::domain {

using Id = int64_t;

enum class OrgKind : int {
  kCoordinator = 1,       // 县委依法治县办
  kGovernment = 2,        // 县人民政府
  kCountyDepartment = 3,  // 县直执法部门
  kTownship = 4,          // 乡镇综合行政执法部门
  kPolice = 5,            // 公安机关
  kProcuratorate = 6,     // 检察机关
  kCourt = 7,             // 审判机关
  kExternal = 8,          // 社会专业机构
  kUnit = 9,              // 内设机构、派出机构 (belongs to a parent org)
};

// "county_department" etc.; ParseOrgKind returns nullopt for unknown names.
std::string_view OrgKindName(OrgKind k);
std::string_view OrgKindLabelZh(OrgKind k);
std::optional<OrgKind> ParseOrgKind(std::string_view name);
bool IsJudicial(OrgKind k);

struct Org {
  Id id = 0;
  std::string code;        // stable short code, ascii: "xincheng", "scjg"
  std::string name;        // 新城镇综合行政执法办公室
  std::string short_name;  // 新城镇
  std::string doc_prefix;  // 文号机关代字 "新城执" (1..8 CJK/ASCII characters; schema v2)
  OrgKind kind = OrgKind::kTownship;
  std::optional<Id> parent_id;  // set only for kUnit
  bool active = true;
  core::Instant created_at{};
  // The region the org belongs to (R-ACC-2, domain/region.h; schema v12); nullopt until placed.
  std::optional<std::string> region_code;
};

enum class Role : int {
  kOfficer = 1,           // 执法人员
  kLeader = 2,            // 部门领导 (approves outgoing formal acts)
  kLiaison = 3,           // 联络人 (R-SYS-2)
  kCoordinatorStaff = 4,  // 依法治县办工作人员
  kAuditor = 5,           // 只读审计
  kAdmin = 6,             // 系统管理员
};
inline constexpr Role kAllRoles[] = {Role::kOfficer,          Role::kLeader,  Role::kLiaison,
                                     Role::kCoordinatorStaff, Role::kAuditor, Role::kAdmin};

std::string_view RoleName(Role r);
std::string_view RoleLabelZh(Role r);
std::optional<Role> ParseRole(std::string_view name);

// A set of roles, persisted as a bit mask (bit = 1 << enum value).
class RoleSet {
 public:
  RoleSet() = default;
  explicit RoleSet(int64_t mask) : mask_(mask) {}
  RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) Add(r);
  }
  void Add(Role r) { mask_ |= int64_t{1} << static_cast<int>(r); }
  bool Has(Role r) const { return mask_ & (int64_t{1} << static_cast<int>(r)); }
  bool empty() const { return mask_ == 0; }
  int64_t mask() const { return mask_; }
  std::vector<Role> List() const;
  bool operator==(const RoleSet&) const = default;

 private:
  int64_t mask_ = 0;
};

struct User {
  Id id = 0;
  std::string username;      // "<org-code>.<role>" in the demo; [a-z0-9._-]{3,64}
  std::string display_name;  // 张三
  Id org_id = 0;
  std::optional<Id> unit_id;  // internal/dispatched unit of the org, if any
  RoleSet roles;
  std::string password_hash;  // Argon2id, libsodium crypto_pwhash_str format
  bool disabled = false;
  int failed_logins = 0;
  std::optional<core::Instant> locked_until;
  core::Instant created_at{};
  // An auditor's or administrator's regional scope (R-ACC-2; schema v12); nullopt = the
  // deployment (for those roles) — other roles' scope follows their org.
  std::optional<std::string> region_code;
};

// Username syntax: 3..64 of [a-z0-9._-], starting with a letter or digit.
bool ValidUsername(std::string_view s);
// Org code syntax: 2..32 of [a-z0-9_-], starting with a letter.
bool ValidOrgCode(std::string_view s);

}  // namespace xietong::domain
