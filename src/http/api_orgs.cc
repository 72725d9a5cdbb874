// Organisations, units and users (SPEC §1).
#include <boost/json.hpp>
#include <algorithm>
#include <optional>
#include <unordered_map>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/org.h"
#include "service/auth_service.h"
#include "service/org_service.h"

namespace xietong::http {

namespace {
using core::Status;

core::Result<domain::RoleSet> ParseRoles(const std::vector<std::string>& names) {
  domain::RoleSet roles;
  for (const auto& n : names) {
    auto r = domain::ParseRole(n);
    if (!r)
      return Status::Invalid("roles", "未知角色：" + n).En("Unknown role: " + n);
    roles.Add(*r);
  }
  return roles;
}

// Renders users with their org and unit, looking orgs up once.
core::Result<boost::json::array> UsersJson(ApiEnv& env, const service::Principal& p,
                                           const std::vector<domain::User>& users) {
  XT_ASSIGN_OR_RETURN(auto orgs, env.svc.orgs->ListOrgs(p));
  std::unordered_map<int64_t, const domain::Org*> by_id;
  for (const auto& o : orgs) by_id[o.id] = &o;
  boost::json::array items;
  items.reserve(users.size());
  for (const auto& u : users) {
    auto org = by_id.find(u.org_id);
    const domain::Org* unit = nullptr;
    if (u.unit_id) {
      auto it = by_id.find(*u.unit_id);
      if (it != by_id.end()) unit = it->second;
    }
    auto json = views::UserJson(u, org == by_id.end() ? nullptr : org->second, unit);
    if (p.IsAdmin()) {
      // Issue 15 finding 4: the administrator sees recent failed sign-ins and a back-off in
      // force (the users row, or this instance's memory).
      std::optional<core::Instant> until = env.svc.auth->ThrottledUntil(u.username);
      const core::Instant now = env.svc.clock->Now();
      if (u.locked_until && *u.locked_until > now)
        until = std::max(until.value_or(*u.locked_until), *u.locked_until);
      json["sign_in"] = boost::json::object{
          {"failed_logins", u.failed_logins},
          {"throttled_until", until ? boost::json::value(core::FormatInstant(*until)) : nullptr}};
    }
    items.push_back(std::move(json));
  }
  return items;
}
}  // namespace

void RegisterOrgRoutes(Router& r, ApiEnv& env) {
  // The liaison directory (R-SYS-2; docs/mechanisms-contract.md).
  r.Add("GET", "/api/v1/liaisons",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(std::vector<service::LiaisonRow> rows, env.svc.orgs->Liaisons(p));
          auto people = [](const std::vector<domain::User>& us) {
            boost::json::array a;
            for (const auto& u : us) a.push_back(boost::json::object{{"id", u.id}, {"display_name", u.display_name}});
            return a;
          };
          boost::json::array items;
          int64_t missing = 0;
          for (const auto& row : rows) {
            const bool lacking = row.required && row.liaisons.empty();
            if (lacking) ++missing;
            items.push_back(boost::json::object{
                {"org", boost::json::object{{"id", row.org.id}, {"code", row.org.code},
                                            {"name", row.org.name}, {"short_name", row.org.short_name}}},
                {"org_kind", domain::OrgKindName(row.org.kind)},
                {"required", row.required},
                {"liaisons", people(row.liaisons)},
                {"leaders", people(row.leaders)},
                {"missing_liaison", lacking},
                {"fallback_count", row.fallbacks}});
          }
          return Json(200, boost::json::object{{"items", std::move(items)}, {"missing", missing}});
        }));
  r.Add("GET", "/api/v1/orgs",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto orgs, env.svc.orgs->ListOrgs(p));
          auto kind_filter = req.query_param("kind");
          std::optional<domain::OrgKind> kind;
          if (kind_filter && !kind_filter->empty()) {
            kind = domain::ParseOrgKind(*kind_filter);
            if (!kind) return Status::Invalid("kind", "未知机构类型：" + *kind_filter).En("Unknown org kind");
          }
          boost::json::array items;
          for (const auto& o : orgs)
            if (!kind || o.kind == *kind) items.push_back(views::OrgJson(o));
          return Json(200, boost::json::object{{"items", std::move(items)}});
        }));

  r.Add("GET", "/api/v1/orgs/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto org, env.svc.orgs->GetOrg(p, id));
          return Json(200, views::OrgJson(org));
        }));

  r.Add("POST", "/api/v1/orgs",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          service::OrgInput in;
          in.code = f.Required<std::string>("code");
          in.name = f.Required<std::string>("name");
          in.short_name = f.Required<std::string>("short_name");
          std::string kind = f.Required<std::string>("kind");
          in.parent_id = f.Optional<int64_t>("parent_id");
          in.doc_prefix = f.Optional<std::string>("doc_prefix");
          XT_RETURN_IF_ERROR(f.Finish());
          auto k = domain::ParseOrgKind(kind);
          if (!k) return Status::Invalid("kind", "未知机构类型：" + kind).En("Unknown org kind: " + kind);
          in.kind = *k;
          XT_ASSIGN_OR_RETURN(auto org, env.svc.orgs->CreateOrg(&p, in));
          return Json(201, views::OrgJson(org));
        }));

  r.Add("PATCH", "/api/v1/orgs/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          service::OrgPatch patch;
          patch.name = f.Optional<std::string>("name");
          patch.short_name = f.Optional<std::string>("short_name");
          patch.active = f.Optional<bool>("active");
          patch.doc_prefix = f.Optional<std::string>("doc_prefix");
          if (body.contains("region_code")) {  // R-ACC-2: null unplaces
            patch.region_code = f.Optional<std::string>("region_code");
          }
          XT_RETURN_IF_ERROR(f.Finish());
          XT_ASSIGN_OR_RETURN(auto org, env.svc.orgs->UpdateOrg(p, id, patch));
          return Json(200, views::OrgJson(org));
        }));

  r.Add("GET", "/api/v1/users",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          storage::UserFilter filter;
          XT_ASSIGN_OR_RETURN(filter.org_id, req.query_int("org"));
          if (auto role = req.query_param("role"); role && !role->empty()) {
            filter.role = domain::ParseRole(*role);
            if (!filter.role) return Status::Invalid("role", "未知角色：" + *role).En("Unknown role");
          }
          filter.text = req.query_param("q").value_or("");
          if (filter.text.size() > 100) return Status::Invalid("q", "关键词过长").En("q is too long");
          XT_ASSIGN_OR_RETURN(auto users, env.svc.orgs->ListUsers(p, filter));
          XT_ASSIGN_OR_RETURN(auto items, UsersJson(env, p, users));
          return Json(200, boost::json::object{{"items", std::move(items)}});
        }));

  r.Add("GET", "/api/v1/users/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto u, env.svc.orgs->GetUser(p, id));
          XT_ASSIGN_OR_RETURN(auto items, UsersJson(env, p, {u}));
          return Json(200, items.at(0));
        }));

  r.Add("POST", "/api/v1/users",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          service::UserInput in;
          in.username = f.Required<std::string>("username");
          in.display_name = f.Required<std::string>("display_name");
          in.org_id = f.Required<int64_t>("org_id");
          in.unit_id = f.Optional<int64_t>("unit_id");
          auto roles = f.Required<std::vector<std::string>>("roles");
          in.password = f.Required<std::string>("password");
          XT_RETURN_IF_ERROR(f.Finish());
          XT_ASSIGN_OR_RETURN(in.roles, ParseRoles(roles));
          XT_ASSIGN_OR_RETURN(auto u, env.svc.orgs->CreateUser(&p, in));
          XT_ASSIGN_OR_RETURN(auto items, UsersJson(env, p, {u}));
          return Json(201, items.at(0));
        }));

  r.Add("PATCH", "/api/v1/users/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          service::UserPatch patch;
          patch.display_name = f.Optional<std::string>("display_name");
          auto roles = f.Optional<std::vector<std::string>>("roles");
          patch.disabled = f.Optional<bool>("disabled");
          if (body.contains("unit_id")) {
            patch.unit_id = f.Optional<int64_t>("unit_id");
          }
          if (body.contains("region_code")) {  // R-ACC-2: an auditor's or admin's scope
            patch.region_code = f.Optional<std::string>("region_code");
          }
          XT_RETURN_IF_ERROR(f.Finish());
          if (roles) {
            XT_ASSIGN_OR_RETURN(auto rs, ParseRoles(*roles));
            patch.roles = rs;
          }
          XT_ASSIGN_OR_RETURN(auto u, env.svc.orgs->UpdateUser(p, id, patch));
          XT_ASSIGN_OR_RETURN(auto items, UsersJson(env, p, {u}));
          return Json(200, items.at(0));
        }));

  r.Add("POST", "/api/v1/users/{id}/password",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          auto pw = f.Required<std::string>("new_password");
          XT_RETURN_IF_ERROR(f.Finish());
          XT_RETURN_IF_ERROR(env.svc.orgs->ResetPassword(p, id, pw));
          return NoContent();
        }));

  // Issue 15 finding 4: the administrator clears a user's failed sign-ins and back-off.
  r.Add("POST", "/api/v1/users/{id}/unlock",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_RETURN_IF_ERROR(env.svc.auth->Unlock(p, id));
          return NoContent();
        }));
}

}  // namespace xietong::http
