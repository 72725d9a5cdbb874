// Notices (R-COL-5), special meetings (R-COL-6, R-SYS-5), participation requests (R-COL-7) and
// violation notices (R-COL-8): list, create, detail and the steps of
// docs/collaboration-contract.md ("Notices, meetings, participation, violation notices"). Thin:
// parse the JSON body, call CoordItemService once, render its JSON.
#include <boost/json.hpp>
#include <string>

#include "domain/coord_items.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "service/coord_item_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using domain::CoordType;

struct Resource {
  CoordType type;
  const char* path;  // "/api/v1/notices"
  std::vector<std::string> actions;
};

core::Result<service::CoordQuery> ParseQuery(const Request& req) {
  service::CoordQuery q;
  q.direction = req.query_param("direction").value_or("");
  q.state = req.query_param("state").value_or("");
  q.kind = req.query_param("kind").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

// An empty body is an empty object.
core::Result<json::object> ActionBody(const ApiEnv& env, const Request& req) {
  if (req.body.empty()) return json::object();
  return Body(env, req);
}

void AddResource(Router& r, ApiEnv& env, const Resource& res) {
  const std::string base = res.path;
  const CoordType t = res.type;
  r.Add("GET", base, WithAuth(env, [&env, t](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(service::CoordQuery q, ParseQuery(req));
          XT_ASSIGN_OR_RETURN(json::object o, env.svc.coord_items->List(p, t, q));
          return Json(200, std::move(o));
        }));
  r.Add("POST", base, WithAuth(env, [&env, t, base](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          XT_ASSIGN_OR_RETURN(json::object o, env.svc.coord_items->Create(p, t, body));
          const std::string id = std::to_string(o.at("id").as_int64());
          Response out = Json(201, std::move(o));
          out.AddHeader("Location", base + "/" + id);
          return out;
        }));
  r.Add("GET", base + "/{id}", WithAuth(env, [&env, t](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(json::object o, env.svc.coord_items->Get(p, t, id));
          return Json(200, std::move(o));
        }));
  for (const auto& action : res.actions) {
    const int status = action == "messages" ? 201 : 200;
    const std::string svc_action = action == "messages" ? "message" : action;
    r.Add("POST", base + "/{id}/" + action,
          WithAuth(env, [&env, t, svc_action, status](Request& req, const service::Principal& p) -> core::Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            XT_ASSIGN_OR_RETURN(auto body, ActionBody(env, req));
            XT_ASSIGN_OR_RETURN(json::object o, env.svc.coord_items->Act(p, t, id, svc_action, body));
            return Json(status, std::move(o));
          }));
  }
}

}  // namespace

void RegisterCoordItemRoutes(Router& r, ApiEnv& env) {
  static const Resource kResources[] = {
      {CoordType::kNotice, "/api/v1/notices", {"measures", "close", "withdraw", "messages"}},
      {CoordType::kMeeting, "/api/v1/meetings", {"reply", "minutes", "close", "cancel", "messages"}},
      {CoordType::kParticipation,
       "/api/v1/participation-requests",
       {"written-notice", "confirm", "complete", "cancel", "messages"}},
      {CoordType::kViolation,
       "/api/v1/violation-notices",
       {"dispatch", "handle", "refuse", "withdraw", "coordination", "coordination/decision", "messages"}},
  };
  for (const auto& res : kResources) AddResource(r, env, res);
  // Meeting decisions: /api/v1/meetings/{id}/decisions/{no}/done | joint-action.
  for (const char* action : {"done", "joint-action"}) {
    const std::string svc_action = std::string(action) == "done" ? "decision-done" : "joint-action";
    r.Add("POST", std::string("/api/v1/meetings/{id}/decisions/{no}/") + action,
          WithAuth(env, [&env, svc_action](Request& req, const service::Principal& p) -> core::Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            XT_ASSIGN_OR_RETURN(int64_t no, PathId(req, "no"));
            XT_ASSIGN_OR_RETURN(auto body, ActionBody(env, req));
            XT_ASSIGN_OR_RETURN(json::object o, env.svc.coord_items->Act(p, CoordType::kMeeting, id,
                                                                         svc_action, body, static_cast<int>(no)));
            return Json(200, std::move(o));
          }));
  }
}

}  // namespace xietong::http
