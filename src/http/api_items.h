// One route registration for the item types built on the workflow engine (issue 17): every
// type's API is the same six kinds of route, read from one ItemRoutes spec —
//   GET  base                one page of the list (parse → list → render_list)
//   GET  base/export.csv     every row as CSV, when `csv` is set (AddListRoutes)
//   POST base                create, when `create` is set: 201, Location base/{id}
//   GET  base/{id}           the detail (get → render)
//   POST base/{id}/<step>    one route per entry of `steps` (act → render; status 200, or
//                            step_status(step))
// Each handler parses, calls its service once and renders the view. The body reaches `create`
// and `act` as a Result (a step's empty body is {}): a handler that refuses a bad body first
// returns its error at once (XT_ASSIGN_OR_RETURN), one that lets the service check permission
// first hands it on.
//
//   AddItemRoutes<service::CoordQuery>(r, env, {
//       .base = "/api/v1/trainings", .parse = CoordQueryParams,
//       .list = [](const ApiEnv& e, auto& p, auto& q) { return e.svc.guidance->List(p, kTraining, q); },
//       .render_list = views::GuidanceListJson, …, .steps = {"attendance", "close", "cancel"}, …});
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/api_common.h"
#include "service/coord_item_service.h"

namespace xietong::http {

// The query of an engine item list (service::CoordQuery): direction, state, kind, org, colour, q,
// page and page_size.
core::Result<service::CoordQuery> CoordQueryParams(const Request& req);

template <class Query>
struct ItemRoutes {
  using View = service::CoordItemView;
  using BodyResult = core::Result<boost::json::object>;

  std::string base;  // "/api/v1/trainings"
  core::Result<Query> (*parse)(const Request&) = nullptr;
  std::function<core::Result<service::CoordItemList>(const ApiEnv&, const service::Principal&,
                                                      const Query&)>
      list;
  boost::json::object (*render_list)(const service::CoordItemList&) = nullptr;
  // The export (GET base/export.csv): none when empty.
  std::function<core::Result<std::string>(const ApiEnv&, const service::Principal&, Query)> csv;
  std::string csv_ascii, csv_utf8;  // "trainings.csv", "业务培训.csv"
  // POST base: none when empty.
  std::function<core::Result<View>(const ApiEnv&, const service::Principal&, const BodyResult&)>
      create;
  std::function<core::Result<View>(const ApiEnv&, const service::Principal&, int64_t)> get;
  boost::json::object (*render)(const View&) = nullptr;
  std::vector<std::string> steps;  // the path segments after {id}: "close", "decision/coordination" …
  std::function<core::Result<View>(const ApiEnv&, const service::Principal&, int64_t id,
                                   const std::string& step, const BodyResult& body)>
      act;
  std::function<int(const std::string&)> step_status;  // empty: 200
};

template <class Query>
void AddItemRoutes(Router& r, ApiEnv& env, ItemRoutes<Query> spec) {
  using View = service::CoordItemView;
  const std::string base = spec.base;
  const auto render = spec.render;
  if (spec.csv) {
    AddListRoutes<Query, service::CoordItemList>(r, env, base, spec.parse, spec.list, spec.render_list,
                                                  spec.csv, spec.csv_ascii, spec.csv_utf8);
  } else {
    r.Add("GET", base,
          WithAuth(env, [&env, parse = spec.parse, list = spec.list, render_list = spec.render_list](
                            Request& req, const service::Principal& p) -> core::Result<Response> {
            XT_ASSIGN_OR_RETURN(Query q, parse(req));
            XT_ASSIGN_OR_RETURN(service::CoordItemList l, list(env, p, q));
            return Json(200, render_list(l));
          }));
  }
  if (spec.create) {
    r.Add("POST", base,
          WithAuth(env, [&env, base, render, create = spec.create](
                            Request& req, const service::Principal& p) -> core::Result<Response> {
            XT_ASSIGN_OR_RETURN(View v, create(env, p, Body(env, req)));
            Response out = Json(201, render(v));
            out.AddHeader("Location", base + "/" + std::to_string(v.item.id));
            return out;
          }));
  }
  r.Add("GET", base + "/{id}",
        WithAuth(env, [&env, render, get = spec.get](Request& req, const service::Principal& p)
                          -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(View v, get(env, p, id));
          return Json(200, render(v));
        }));
  for (const std::string& step : spec.steps) {
    const int status = spec.step_status ? spec.step_status(step) : 200;
    r.Add("POST", base + "/{id}/" + step,
          WithAuth(env, [&env, render, step, status, act = spec.act](
                            Request& req, const service::Principal& p) -> core::Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            const core::Result<boost::json::object> body =
                req.body.empty() ? core::Result<boost::json::object>(boost::json::object{})
                                 : Body(env, req);
            XT_ASSIGN_OR_RETURN(View v, act(env, p, id, step, body));
            return Json(status, render(v));
          }));
  }
}

}  // namespace xietong::http
