// JSON views of organisations and users (GET /api/v1/orgs, /users, /auth/me). Pure;
// thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/org.h"

namespace xietong::http::views {

// {"id","code","name","short_name","kind","kind_label","parent_id","active","doc_prefix"}
boost::json::object OrgJson(const domain::Org& o);
// {"id","username","display_name","roles":[…],"org_id","unit_id","disabled",
//  "org":{"id","code","name","short_name","kind"} (only when `org`), "unit":{"id","name"}|null}
boost::json::object UserJson(const domain::User& u, const domain::Org* org,
                             const domain::Org* unit);
// The role names, in RoleSet order.
boost::json::array RolesJson(domain::RoleSet roles);

}  // namespace xietong::http::views
