#include "domain/org.h"

namespace xietong::domain {

namespace {
struct KindRow {
  OrgKind kind;
  std::string_view name;
  std::string_view zh;
};
constexpr KindRow kKinds[] = {
    {OrgKind::kCoordinator, "coordinator", "县委依法治县办"},
    {OrgKind::kGovernment, "government", "县人民政府"},
    {OrgKind::kCountyDepartment, "county_department", "县直执法部门"},
    {OrgKind::kTownship, "township", "乡镇综合行政执法部门"},
    {OrgKind::kPolice, "police", "公安机关"},
    {OrgKind::kProcuratorate, "procuratorate", "检察机关"},
    {OrgKind::kCourt, "court", "审判机关"},
    {OrgKind::kExternal, "external", "社会专业机构"},
    {OrgKind::kUnit, "unit", "内设机构/派出机构"},
};
struct RoleRow {
  Role role;
  std::string_view name;
  std::string_view zh;
};
constexpr RoleRow kRoles[] = {
    {Role::kOfficer, "officer", "执法人员"},
    {Role::kLeader, "leader", "部门领导"},
    {Role::kLiaison, "liaison", "联络人"},
    {Role::kCoordinatorStaff, "coordinator_staff", "依法治县办工作人员"},
    {Role::kAuditor, "auditor", "审计员"},
    {Role::kAdmin, "admin", "系统管理员"},
};
}  // namespace

std::string_view OrgKindName(OrgKind k) {
  for (const auto& r : kKinds)
    if (r.kind == k) return r.name;
  return "unknown";
}
std::string_view OrgKindLabelZh(OrgKind k) {
  for (const auto& r : kKinds)
    if (r.kind == k) return r.zh;
  return "未知";
}
std::optional<OrgKind> ParseOrgKind(std::string_view name) {
  for (const auto& r : kKinds)
    if (r.name == name) return r.kind;
  return std::nullopt;
}
bool IsJudicial(OrgKind k) {
  return k == OrgKind::kPolice || k == OrgKind::kProcuratorate || k == OrgKind::kCourt;
}

std::string_view RoleName(Role r) {
  for (const auto& row : kRoles)
    if (row.role == r) return row.name;
  return "unknown";
}
std::string_view RoleLabelZh(Role r) {
  for (const auto& row : kRoles)
    if (row.role == r) return row.zh;
  return "未知";
}
std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& row : kRoles)
    if (row.name == name) return row.role;
  return std::nullopt;
}

std::vector<Role> RoleSet::List() const {
  std::vector<Role> out;
  for (Role r : kAllRoles)
    if (Has(r)) out.push_back(r);
  return out;
}

namespace {
bool Lower(char c) { return c >= 'a' && c <= 'z'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool ValidUsername(std::string_view s) {
  if (s.size() < 3 || s.size() > 64) return false;
  if (!Lower(s[0]) && !Digit(s[0])) return false;
  for (char c : s)
    if (!Lower(c) && !Digit(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

bool ValidOrgCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 32 || !Lower(s[0])) return false;
  for (char c : s)
    if (!Lower(c) && !Digit(c) && c != '_' && c != '-') return false;
  return true;
}

}  // namespace xietong::domain
