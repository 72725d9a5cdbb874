// The matters catalog and jurisdiction answers (R-JUR-1, R-JUR-2).
#include <boost/json.hpp>

#include "http/api_common.h"
#include "http/json_io.h"
#include "http/views/matter.h"
#include "service/matter_service.h"
#include "service/xlsx_reader.h"

namespace xietong::http {

namespace {
using core::Status;

bool IsCsv(const Request& req) {
  auto ct = req.header("Content-Type");
  if (!ct) return false;
  std::string_view v = *ct;
  constexpr std::string_view kCsv = "text/csv";
  return v.size() >= kCsv.size() && EqualsIgnoreCase(v.substr(0, kCsv.size()), kCsv);
}
}  // namespace

void RegisterMatterRoutes(Router& r, ApiEnv& env) {
  r.Add("GET", "/api/v1/matters",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          storage::MatterFilter f;
          XT_ASSIGN_OR_RETURN(f.owner_org_id, req.query_int("owner"));
          XT_ASSIGN_OR_RETURN(f.township_org_id, req.query_int("township"));
          f.text = req.query_param("q").value_or("");
          XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
          f.offset = page.offset();
          f.limit = page.page_size;
          XT_ASSIGN_OR_RETURN(auto result, env.svc.matters->List(p, f));
          boost::json::array items;
          for (const auto& v : result.items) items.push_back(views::MatterJson(v));
          return Json(200, boost::json::object{{"items", std::move(items)},
                                               {"total", result.total}});
        }));

  AddExportRoutes(
      r, env, "/api/v1/matters",
      [&env](Request&, const service::Principal& p) { return env.svc.matters->ExportCsv(p); },
      "matters.csv", "执法事项目录.csv");

  r.Add("GET", "/api/v1/matters/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(auto v, env.svc.matters->Get(p, id));
          return Json(200, views::MatterJson(v));
        }));

  r.Add("POST", "/api/v1/matters/import",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_RETURN_IF_ERROR(service::MatterService::CanImport(p));
          auto ct = req.header("Content-Type");
          const bool xlsx = (ct && service::IsXlsxContentType(*ct)) || service::LooksLikeZip(req.body);
          if (!xlsx && !IsCsv(req))
            return Status::Invalid("body", "请以 text/csv 或 .xlsx 上传目录文件", "", "unsupported_media_type")
                .En("Send the catalog as text/csv or .xlsx");
          XT_ASSIGN_OR_RETURN(auto result, xlsx ? env.svc.matters->ImportXlsx(&p, req.body)
                                                : env.svc.matters->ImportCsv(&p, req.body));
          return Json(200, boost::json::object{{"created", result.created},
                                               {"updated", result.updated},
                                               {"unchanged", result.unchanged}});
        }));

  r.Add("GET", "/api/v1/jurisdiction",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          XT_ASSIGN_OR_RETURN(
              auto a, env.svc.matters->Jurisdiction(p, req.query_param("matter").value_or(""),
                                                    req.query_param("township").value_or(""),
                                                    req.query_param("on").value_or("")));
          return Json(200, views::JurisdictionJson(a));
        }));
}

}  // namespace xietong::http
