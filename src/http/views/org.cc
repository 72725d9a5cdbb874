#include "http/views/org.h"

namespace xietong::http::views {

boost::json::object OrgJson(const domain::Org& o) {
  return {{"id", o.id},
          {"code", o.code},
          {"name", o.name},
          {"short_name", o.short_name},
          {"kind", domain::OrgKindName(o.kind)},
          {"kind_label", domain::OrgKindLabelZh(o.kind)},
          {"parent_id", o.parent_id ? boost::json::value(*o.parent_id) : nullptr},
          {"active", o.active},
          {"doc_prefix", o.doc_prefix},
          {"region_code", o.region_code ? boost::json::value(*o.region_code) : nullptr}};
}

boost::json::array RolesJson(domain::RoleSet roles) {
  boost::json::array a;
  for (domain::Role r : roles.List()) a.emplace_back(domain::RoleName(r));
  return a;
}

boost::json::object UserJson(const domain::User& u, const domain::Org* org,
                             const domain::Org* unit) {
  boost::json::object o{{"id", u.id},
                        {"username", u.username},
                        {"display_name", u.display_name},
                        {"roles", RolesJson(u.roles)},
                        {"org_id", u.org_id},
                        {"unit_id", u.unit_id ? boost::json::value(*u.unit_id) : nullptr},
                        {"disabled", u.disabled},
                        {"region_code", u.region_code ? boost::json::value(*u.region_code) : nullptr}};
  if (org) {
    o["org"] = boost::json::object{{"id", org->id},
                                   {"code", org->code},
                                   {"name", org->name},
                                   {"short_name", org->short_name},
                                   {"kind", domain::OrgKindName(org->kind)}};
  }
  o["unit"] = unit ? boost::json::value(boost::json::object{{"id", unit->id}, {"name", unit->name}})
                   : boost::json::value(nullptr);
  return o;
}

}  // namespace xietong::http::views
