#include "service/org_service.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "domain/matter.h"
#include "service/audit_log.h"
#include "service/sweep_service.h"
#include "service/region_service.h"

namespace xietong::service {

namespace {
using core::Status;

Status AdminOnly(const Principal* actor) {
  if (actor && !actor->IsAdmin())
    return Status::Denied("仅系统管理员可执行此操作", "R-ACC-1").En("Only administrators may do this");
  return Status::Ok();
}

Status CheckName(const std::string& s, const char* field, const char* label, size_t max_chars) {
  size_t chars = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++chars;
  if (chars == 0 || chars > max_chars)
    return Status::Invalid(field, std::string(label) + "不能为空，且不超过" +
                                      std::to_string(max_chars) + "个字")
        .En(std::string(field) + " must be 1.." + std::to_string(max_chars) + " characters");
  return Status::Ok();
}

// The audit trail's record of an org (detail of org.create / org.update).
boost::json::object OrgSnapshot(const domain::Org& o) {
  return {{"id", o.id},
          {"code", o.code},
          {"name", o.name},
          {"short_name", o.short_name},
          {"kind", domain::OrgKindName(o.kind)},
          {"kind_label", domain::OrgKindLabelZh(o.kind)},
          {"parent_id", o.parent_id ? boost::json::value(*o.parent_id) : nullptr},
          {"region_code", o.region_code ? boost::json::value(*o.region_code) : nullptr},
          {"active", o.active},
          {"doc_prefix", o.doc_prefix}};
}

// The role names of a user, for audit details.
boost::json::array RolesJson(domain::RoleSet roles) {
  boost::json::array a;
  for (domain::Role r : roles.List()) a.emplace_back(domain::RoleName(r));
  return a;
}

Status CheckDocPrefix(const std::string& s) {
  if (!domain::ValidDocPrefix(s))
    return Status::Invalid("doc_prefix", "文号机关代字须为1至8个汉字、字母或数字", "R-DOC-1")
        .En("doc_prefix must be 1..8 CJK characters, letters or digits");
  return Status::Ok();
}
}  // namespace

std::string DefaultDocPrefix(const std::string& short_name) {
  // Split into UTF-8 characters.
  std::vector<std::string> chars;
  for (size_t i = 0; i < short_name.size();) {
    unsigned char c = static_cast<unsigned char>(short_name[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    chars.push_back(short_name.substr(i, n));
    i += n;
  }
  while (!chars.empty() && (chars.back() == "镇" || chars.back() == "局" || chars.back() == "县"))
    chars.pop_back();
  std::string out;
  int kept = 0;
  for (const auto& ch : chars) {
    if (kept == 8) break;
    if (!domain::ValidDocPrefix(ch)) continue;
    out += ch;
    ++kept;
  }
  return out;
}


OrgService::OrgService(storage::Store& store, const core::Clock& clock, AuthService& auth)
    : store_(store), clock_(clock), auth_(auth) {}

core::Result<std::vector<domain::Org>> OrgService::ListOrgs(const Principal&) {
  std::vector<domain::Org> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, tx.ListOrgs());
    return Status::Ok();
  }));
  return out;
}

core::Result<std::vector<LiaisonRow>> OrgService::Liaisons(const Principal&) {
  std::vector<LiaisonRow> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    std::vector<domain::Id> ids;
    for (auto& o : orgs) {
      if (!o.active || o.kind == domain::OrgKind::kUnit) continue;
      ids.push_back(o.id);
      LiaisonRow row;
      row.required = o.kind == domain::OrgKind::kTownship ||
                     o.kind == domain::OrgKind::kCountyDepartment;
      row.org = std::move(o);
      out.push_back(std::move(row));
    }
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> users,
                        tx.ListUsersWithRolesIn(ids, domain::RoleSet{domain::Role::kLiaison,
                                                                     domain::Role::kLeader}));
    std::sort(users.begin(), users.end(),
              [](const domain::User& a, const domain::User& b) { return a.id < b.id; });
    for (auto& row : out) {
      for (const auto& u : users) {
        if (u.disabled || u.org_id != row.org.id) continue;
        if (u.roles.Has(domain::Role::kLiaison)) row.liaisons.push_back(u);
        if (u.roles.Has(domain::Role::kLeader)) row.leaders.push_back(u);
      }
      storage::AuditFilter f;
      f.object_type = "org";
      f.object_id = std::to_string(row.org.id);
      f.limit = 1000000;
      XT_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries, tx.ListAudit(f));
      for (const auto& e : entries)
        if (e.action == kLiaisonFallbackAction) ++row.fallbacks;
    }
    return Status::Ok();
  }));
  return out;
}

core::Result<domain::Org> OrgService::GetOrg(const Principal&, int64_t id) {
  domain::Org out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, tx.GetOrg(id));
    return Status::Ok();
  }));
  return out;
}

core::Result<domain::Org> OrgService::CreateOrg(const Principal* actor, const OrgInput& in) {
  XT_RETURN_IF_ERROR(AdminOnly(actor));
  if (actor && !actor->SeesAll()) {  // a new org has no region yet (R-ACC-2)
    return Status::Denied("只有全系统管理员可以新建机构", "R-ACC-2")
        .En("Only a deployment-wide administrator may create orgs");
  }
  if (!domain::ValidOrgCode(in.code))
    return Status::Invalid("code", "机构代码须为2至32位小写字母、数字、下划线或连字符，以字母开头")
        .En("code must be 2..32 of [a-z0-9_-], starting with a letter");
  XT_RETURN_IF_ERROR(CheckName(in.name, "name", "机构名称", 60));
  XT_RETURN_IF_ERROR(CheckName(in.short_name, "short_name", "机构简称", 20));
  if (in.doc_prefix) XT_RETURN_IF_ERROR(CheckDocPrefix(*in.doc_prefix));
  const bool is_unit = in.kind == domain::OrgKind::kUnit;
  if (is_unit && !in.parent_id)
    return Status::Invalid("parent_id", "内设机构或派出机构须指明所属机构").En("A unit needs parent_id");
  if (!is_unit && in.parent_id)
    return Status::Invalid("parent_id", "只有内设机构或派出机构可以有所属机构")
        .En("Only units have a parent_id");
  domain::Org org;
  org.code = in.code;
  org.name = in.name;
  org.short_name = in.short_name;
  org.kind = in.kind;
  org.parent_id = in.parent_id;
  org.doc_prefix = in.doc_prefix ? *in.doc_prefix : DefaultDocPrefix(in.short_name);
  org.created_at = clock_.Now();
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    if (in.parent_id) {
      auto parent = tx.GetOrg(*in.parent_id);
      if (!parent.ok())
        return Status::Invalid("parent_id", "所属机构不存在").En("parent_id does not exist");
      if (parent->kind == domain::OrgKind::kUnit)
        return Status::Invalid("parent_id", "内设机构不能再下设机构").En("A unit cannot own a unit");
    }
    XT_ASSIGN_OR_RETURN(org.id, tx.InsertOrg(org));
    return Record(tx, actor, org.created_at,
                  {"org.create", "org", std::to_string(org.id), "新建机构：" + org.name,
                   OrgSnapshot(org)});
  }));
  return org;
}

core::Result<domain::Org> OrgService::UpdateOrg(const Principal& actor, int64_t id,
                                                const OrgPatch& patch) {
  XT_RETURN_IF_ERROR(AdminOnly(&actor));
  if (patch.name) XT_RETURN_IF_ERROR(CheckName(*patch.name, "name", "机构名称", 60));
  if (patch.short_name) XT_RETURN_IF_ERROR(CheckName(*patch.short_name, "short_name", "机构简称", 20));
  if (patch.doc_prefix) XT_RETURN_IF_ERROR(CheckDocPrefix(*patch.doc_prefix));
  domain::Org org;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(org, tx.GetOrg(id));
    if (!actor.SeesOrgId(org.id)) return Status::NotFound("org", "机构不存在");  // R-ACC-2
    boost::json::object before = OrgSnapshot(org);
    if (patch.name) org.name = *patch.name;
    if (patch.short_name) org.short_name = *patch.short_name;
    if (patch.active) org.active = *patch.active;
    if (patch.doc_prefix) org.doc_prefix = *patch.doc_prefix;
    if (patch.region_code) {
      XT_RETURN_IF_ERROR(CheckRegion(tx, actor, *patch.region_code));
      org.region_code = *patch.region_code;
    }
    XT_RETURN_IF_ERROR(tx.UpdateOrg(org));
    return Record(tx, &actor, clock_.Now(),
                  {"org.update", "org", std::to_string(org.id), "修改机构：" + org.name,
                   boost::json::object{{"before", before}, {"after", OrgSnapshot(org)}}});
  }));
  return org;
}

core::Result<std::vector<domain::User>> OrgService::ListUsers(const Principal& p,
                                                              const storage::UserFilter& f) {
  storage::UserFilter filter = f;
  if (!p.Oversees()) {
    if (filter.org_id && *filter.org_id != p.org.id)
      return Status::Denied("只能查看本机构的用户", "R-ACC-1").En("You may list only your own org's users");
    filter.org_id = p.org.id;
  } else if (filter.org_id && !p.SeesOrgId(*filter.org_id)) {
    return Status::Denied("只能查看本辖区机构的用户", "R-ACC-2")
        .En("You may list only the users of orgs in your region");
  }
  filter.region_prefix = ScopeFilterOf(p).region_prefix;  // R-ACC-2
  std::vector<domain::User> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, tx.ListUsers(filter));
    return Status::Ok();
  }));
  return out;
}

core::Result<domain::User> OrgService::GetUser(const Principal& p, int64_t id) {
  domain::User u;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(u, tx.GetUser(id));
    return Status::Ok();
  }));
  if (!p.SeesOrgId(u.org_id) && u.id != p.user.id) return Status::NotFound("user");
  return u;
}

Status OrgService::CheckRegion(storage::Tx& tx, const Principal& actor,
                               const std::optional<std::string>& code) {
  // R-ACC-2: an administrator scoped to a region places only inside it (and cannot unplace).
  const std::string scope = ScopeFilterOf(actor).region_prefix;
  if (!code) {
    if (!scope.empty())
      return Status::Denied("只有全系统管理员可以取消区划", "R-ACC-2").En("Only a deployment-wide administrator may unplace");
    return Status::Ok();
  }
  auto region = tx.GetRegion(*code);
  if (!region.ok()) {
    if (region.status().code() != core::Code::kNotFound) return region.status();
    return Status::Invalid("region_code", "区划不存在：" + *code, "R-ACC-2").En("Unknown region " + *code);
  }
  if (!domain::InScope(scope, *code))
    return Status::Denied("区划不在本辖区", "R-ACC-2").En("The region is outside your scope");
  return Status::Ok();
}

Status OrgService::CheckUnit(storage::Tx& tx, int64_t org_id, std::optional<int64_t> unit_id) {
  if (!unit_id) return Status::Ok();
  auto unit = tx.GetOrg(*unit_id);
  if (!unit.ok() || unit->kind != domain::OrgKind::kUnit || unit->parent_id != org_id)
    return Status::Invalid("unit_id", "所选内设机构不属于该用户的机构").En("unit_id is not a unit of org_id");
  return Status::Ok();
}

core::Result<domain::User> OrgService::CreateUser(const Principal* actor, const UserInput& in,
                                                  const std::string& password_hash) {
  XT_RETURN_IF_ERROR(AdminOnly(actor));
  if (actor && !actor->SeesOrgId(in.org_id)) {
    return Status::Invalid("org_id", "机构不在本辖区", "R-ACC-2").En("The org is outside your region");
  }
  if (!domain::ValidUsername(in.username))
    return Status::Invalid("username", "用户名须为3至64位小写字母、数字、点、下划线或连字符")
        .En("username must be 3..64 of [a-z0-9._-]");
  XT_RETURN_IF_ERROR(CheckName(in.display_name, "display_name", "姓名", 40));
  if (in.roles.empty())
    return Status::Invalid("roles", "至少选择一个角色").En("Choose at least one role");
  std::string hash = password_hash;
  if (hash.empty()) {
    XT_RETURN_IF_ERROR(AuthService::CheckPasswordPolicy(in.password, "password"));
    XT_ASSIGN_OR_RETURN(hash, auth_.HashPassword(in.password));
  }
  domain::User u;
  u.username = in.username;
  u.display_name = in.display_name;
  u.org_id = in.org_id;
  u.unit_id = in.unit_id;
  u.roles = in.roles;
  u.password_hash = std::move(hash);
  u.created_at = clock_.Now();
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    auto org = tx.GetOrg(in.org_id);
    if (!org.ok()) return Status::Invalid("org_id", "所属机构不存在").En("org_id does not exist");
    if (org->kind == domain::OrgKind::kUnit)
      return Status::Invalid("org_id", "用户须属于机构本身，内设机构请填 unit_id")
          .En("Users belong to an org; put the unit in unit_id");
    XT_RETURN_IF_ERROR(CheckUnit(tx, in.org_id, in.unit_id));
    XT_ASSIGN_OR_RETURN(u.id, tx.InsertUser(u));
    return Record(tx, actor, u.created_at,
                  {"user.create", "user", std::to_string(u.id),
                   "新建用户：" + u.username + "（" + org->short_name + "）",
                   boost::json::object{{"username", u.username},
                                       {"display_name", u.display_name},
                                       {"org_id", u.org_id},
                                       {"roles", RolesJson(u.roles)}}});
  }));
  return u;
}

core::Result<domain::User> OrgService::UpdateUser(const Principal& actor, int64_t id,
                                                  const UserPatch& patch) {
  XT_RETURN_IF_ERROR(AdminOnly(&actor));
  if (patch.display_name) XT_RETURN_IF_ERROR(CheckName(*patch.display_name, "display_name", "姓名", 40));
  if (patch.roles && patch.roles->empty())
    return Status::Invalid("roles", "至少选择一个角色").En("Choose at least one role");
  if (patch.disabled && *patch.disabled && id == actor.user.id)
    return Status::Invalid("disabled", "不能停用自己的账号").En("You cannot disable yourself");
  domain::User u;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(u, tx.GetUser(id));
    if (!actor.SeesOrgId(u.org_id)) return Status::NotFound("user");  // R-ACC-2
    boost::json::object before{{"display_name", u.display_name},
                               {"roles", RolesJson(u.roles)},
                               {"disabled", u.disabled}};
    if (patch.display_name) u.display_name = *patch.display_name;
    if (patch.roles) u.roles = *patch.roles;
    if (patch.unit_id) {
      XT_RETURN_IF_ERROR(CheckUnit(tx, u.org_id, *patch.unit_id));
      u.unit_id = *patch.unit_id;
    }
    if (patch.disabled) u.disabled = *patch.disabled;
    if (patch.region_code) {
      XT_RETURN_IF_ERROR(CheckRegion(tx, actor, *patch.region_code));
      u.region_code = *patch.region_code;
    }
    XT_RETURN_IF_ERROR(tx.UpdateUser(u));
    if (u.disabled) XT_RETURN_IF_ERROR(tx.DeleteSessionsOfUser(u.id));
    std::string what = patch.disabled ? (*patch.disabled ? "停用用户：" : "启用用户：") : "修改用户：";
    return Record(tx, &actor, clock_.Now(),
                  {"user.update", "user", std::to_string(u.id), what + u.username,
                   boost::json::object{{"before", before},
                                       {"after", boost::json::object{
                                                     {"display_name", u.display_name},
                                                     {"roles", RolesJson(u.roles)},
                                                     {"disabled", u.disabled}}}}});
  }));
  return u;
}

Status OrgService::ResetPassword(const Principal& actor, int64_t id, const std::string& new_password) {
  XT_RETURN_IF_ERROR(AdminOnly(&actor));
  XT_RETURN_IF_ERROR(AuthService::CheckPasswordPolicy(new_password, "new_password"));
  XT_ASSIGN_OR_RETURN(std::string hash, auth_.HashPassword(new_password));
  std::string username;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(id));
    if (!actor.SeesOrgId(u.org_id)) return Status::NotFound("user");  // R-ACC-2
    u.password_hash = hash;
    u.failed_logins = 0;
    u.locked_until.reset();
    XT_RETURN_IF_ERROR(tx.UpdateUser(u));
    XT_RETURN_IF_ERROR(tx.DeleteSessionsOfUser(u.id));
    // Issue 15 finding 7: a reset revokes the user's API tokens too.
    XT_ASSIGN_OR_RETURN(int revoked, AuthService::RevokeTokensOfUser(tx, u.id, clock_.Now()));
    username = u.username;
    return Record(tx, &actor, clock_.Now(),
                  {"user.password_reset", "user", std::to_string(u.id), "重置密码：" + u.username,
                   boost::json::object{{"revoked_tokens", revoked}}});
  }));
  auth_.ForgetThrottle(username);  // and clears this instance's sign-in back-off
  return Status::Ok();
}

}  // namespace xietong::service
