// Regions (R-ACC-2, issue 19): the region tree as the principal's scope shows it, the CSV import
// of regions (administrators of the whole deployment), and the escalations of long-red duties to
// the coordinator offices above county level. docs/regions-contract.md.
#include <boost/json.hpp>
#include <string>

#include "core/time.h"
#include "http/api_common.h"
#include "http/json_io.h"
#include "service/region_service.h"

namespace xietong::http {

namespace {

using core::Status;

boost::json::value OptString(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

boost::json::object RegionRowJson(const service::RegionRow& r) {
  return {{"code", r.region.code},
          {"name", r.region.name},
          {"level", domain::RegionLevelName(r.region.level)},
          {"level_label", domain::RegionLevelLabelZh(r.region.level)},
          {"parent_code", OptString(r.region.parent_code)},
          {"in_scope", r.in_scope},
          {"org_count", r.org_count}};
}

boost::json::object EscalationJson(const service::EscalationView& v) {
  return {{"duty_id", v.duty.id},
          {"title", v.duty.title},
          {"kind", v.duty.kind},
          {"rule", v.duty.rule},
          {"object_type", v.duty.object_type},
          {"object_id", v.duty.object_id},
          {"due_at", core::FormatInstant(v.duty.due_at)},
          {"owner_org", boost::json::object{{"id", v.owner.id}, {"name", v.owner.name}}},
          {"from_region", v.escalation.from_region},
          {"to_org_id", v.escalation.to_org_id},
          {"to_region", v.escalation.to_region},
          {"at", core::FormatInstant(v.escalation.at)}};
}

bool IsCsvBody(const Request& req) {
  auto ct = req.header("Content-Type");
  if (!ct) return false;
  std::string_view v = *ct;
  constexpr std::string_view kCsv = "text/csv";
  return v.size() >= kCsv.size() && EqualsIgnoreCase(v.substr(0, kCsv.size()), kCsv);
}

}  // namespace

void RegisterRegionRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/regions",
        WithAuth(env, [&env](Request&, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(service::RegionTree tree, env.svc.regions->Tree(p));
          boost::json::array items;
          for (const auto& row : tree.regions) items.push_back(RegionRowJson(row));
          return Json(200, boost::json::object{
                               {"items", std::move(items)},
                               {"scope", OptString(tree.scope)},
                               {"scope_region_code", OptString(tree.scope_region_code)}});
        }));

  r.Add("POST", "/api/v1/admin/regions/import",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          if (!IsCsvBody(req)) {
            return Status::Invalid("body", "请以 text/csv 上传区划文件（code,name,parent_code）",
                                   "R-ACC-2", "unsupported_media_type")
                .En("Send the regions as text/csv (code,name,parent_code)");
          }
          XT_ASSIGN_OR_RETURN(int n, env.svc.regions->Import(&p, req.body));
          return Json(200, boost::json::object{{"imported", n}});
        }));

  r.Add("GET", "/api/v1/escalations",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          int64_t total = 0;
          XT_ASSIGN_OR_RETURN(auto rows, env.svc.regions->Escalations(p, page.offset(),
                                                                      page.page_size, &total));
          boost::json::array items;
          for (const auto& v : rows) items.push_back(EscalationJson(v));
          return Json(200, boost::json::object{{"items", std::move(items)},
                                               {"total", total},
                                               {"page", page.page},
                                               {"page_size", page.page_size}});
        }));
}

}  // namespace xietong::http
