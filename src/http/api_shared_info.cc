// Shared information (信息共享, SPEC §6 R-INF-1..3; docs/shared-info-contract.md): materials
// (list + CSV, publish, detail, acknowledge, withdraw), penalty filings (list + CSV, file,
// detail, acknowledge) and administrative approvals (list + CSV, record, CSV import, detail, the
// township feed and its read marks). Thin: read the body into the typed input, call the service
// once, render its view. Every body error names the field and the rule; unknown fields are
// refused. A body that cannot be read reaches the service as its error, reported after access
// (and, for steps, state) is checked.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/coord_items.h"
#include "domain/referral.h"
#include "http/api_common.h"
#include "http/api_items.h"
#include "http/json_io.h"
#include "http/views/shared_info.h"
#include "service/approval_service.h"
#include "service/shared_info_service.h"
#include "service/xlsx_reader.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordType;
using domain::Id;

// FieldReader with `rule` on every error.
class In {
 public:
  In(const json::object& o, std::string rule) : r_(o), rule_(std::move(rule)) {}
  std::string Req(const char* n, size_t max) {
    std::string s = r_.RequiredString(n, max);
    if (r_.status().ok() && domain::IsBlank(s)) Fail(Missing(n));
    return s;
  }
  std::string Opt(const char* n, size_t max) { return r_.OptionalString(n, max).value_or(""); }
  std::vector<Id> Ids(const char* n, size_t max) {
    std::vector<Id> out = r_.Optional<std::vector<int64_t>>(n).value_or(std::vector<int64_t>{});
    if (out.size() > max) Fail(Bad(n, std::string(n) + " 不能超过" + std::to_string(max) + "项", std::string(n) + " is too long"));
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] <= 0) {
        const std::string f = std::string(n) + "[" + std::to_string(i) + "]";
        Fail(Bad(f, f + " 应为正整数编号", f + " must be a positive id"));
      }
    }
    return out;
  }
  std::optional<Id> IdOf(const char* n) {
    std::optional<int64_t> v = r_.Optional<int64_t>(n);
    if (v && *v <= 0) Fail(Bad(n, std::string(n) + " 应为正整数编号", std::string(n) + " must be a positive id"));
    return v;
  }
  bool Flag(const char* n) { return r_.Optional<bool>(n).value_or(false); }
  std::optional<double> Num(const char* n) { return r_.Optional<double>(n); }
  // Up to 50 {"name" 1..100, "description" 0..500, "file" sha256 or ""}.
  std::vector<service::CoordMaterialInput> Files(const char* n) {
    std::vector<service::CoordMaterialInput> out;
    std::optional<json::array> arr = r_.Optional<json::array>(n);
    if (!arr) return out;
    if (arr->size() > 50) Fail(Bad(n, std::string(n) + " 不能超过50项", std::string(n) + ": at most 50"));
    for (size_t i = 0; i < arr->size() && err_.ok(); ++i) {
      const std::string base = std::string(n) + "[" + std::to_string(i) + "]";
      if (!(*arr)[i].is_object()) {
        Fail(Bad(base, base + " 应为对象", base + " must be an object"));
        break;
      }
      In m((*arr)[i].as_object(), rule_);
      service::CoordMaterialInput x{m.Req("name", 100), m.Opt("description", 500), m.Opt("file", 64)};
      if (Status st = m.Finish(); !st.ok()) {
        Fail(Status(st.code(), st.id(), st.message(), base + "." + st.field(), rule_)
                 .En(base + "." + st.field() + ": " + st.message_en()));
        break;
      }
      out.push_back(std::move(x));
    }
    return out;
  }
  void Fail(Status s) {
    if (err_.ok()) err_ = std::move(s);
  }
  Status Bad(const std::string& f, const std::string& zh, const std::string& en) const {
    return Status::Invalid(f, zh, rule_, "invalid_value").En(en);
  }
  Status Finish() const {
    Status st = r_.Finish();
    if (st.ok()) return err_;
    Status out(st.code(), st.id(), st.message(), st.field(), rule_);
    if (!st.message_en().empty()) out.En(st.message_en());
    return out;
  }

 private:
  Status Missing(const char* n) const {
    return Status::Invalid(n, std::string("缺少必填字段：") + n, rule_, "missing_field")
        .En(std::string("Missing field: ") + n);
  }
  FieldReader r_;
  std::string rule_;
  Status err_;
};

bool IsCsv(const Request& req) {
  auto ct = req.header("Content-Type");
  if (!ct) return false;
  std::string_view v = *ct;
  constexpr std::string_view kCsv = "text/csv";
  return v.size() >= kCsv.size() && EqualsIgnoreCase(v.substr(0, kCsv.size()), kCsv);
}

// ---- Bodies ---------------------------------------------------------------------------------

Result<service::MaterialInput> MaterialBody(const json::object& body) {
  In b(body, "R-INF-1");
  service::MaterialInput in;
  in.kind = b.Req("kind", 40);
  in.title = b.Req("title", 100);
  in.issuer = b.Req("issuer", 200);
  in.effective_date = b.Opt("effective_date", 10);
  in.description = b.Opt("description", 5000);
  in.all_townships = b.Flag("all_townships");
  in.to_orgs = b.Ids("to_orgs", 200);
  in.files = b.Files("materials");
  XT_RETURN_IF_ERROR(b.Finish());
  return in;
}

Result<service::PenaltyFilingInput> FilingBody(const json::object& body) {
  In b(body, "R-INF-3");
  service::PenaltyFilingInput in;
  in.decision_number = b.Req("decision_number", 100);
  in.party = b.Req("party", 200);
  in.matter_code = b.Req("matter_code", 50);
  in.facts = b.Req("facts", 5000);
  in.penalty = b.Req("penalty", 2000);
  in.amount = b.Num("amount");
  in.decision_date = b.Req("decision_date", 10);
  XT_RETURN_IF_ERROR(b.Finish());
  return in;
}

Result<service::SharedInfoStepInput> StepBody(CoordType t, const std::string& action, const json::object& body) {
  In b(body, std::string(domain::CoordTypeRule(t)));
  if (action == "withdraw") {
    service::CoordReasonInput in{b.Req("reason", 500)};
    XT_RETURN_IF_ERROR(b.Finish());
    return service::SharedInfoStepInput(in);
  }
  service::AcknowledgeInput in{b.Opt("note", 500)};
  XT_RETURN_IF_ERROR(b.Finish());
  return service::SharedInfoStepInput(in);
}

Result<service::ApprovalInput> ApprovalBody(const json::object& body) {
  In b(body, "R-INF-2");
  service::ApprovalInput in;
  domain::Approval& a = in.fields;
  a.holder = b.Req("holder", 200);
  a.credit_code = b.Opt("credit_code", 18);
  a.decision_number = b.Req("decision_number", 100);
  a.category = b.Req("category", 100);
  a.content = b.Req("content", 2000);
  a.decision_date = b.Req("decision_date", 10);
  a.valid_from = b.Opt("valid_from", 10);
  a.valid_to = b.Opt("valid_to", 10);
  a.authority = b.Req("authority", 200);
  a.address = b.Req("address", 300);
  in.township_org_id = b.IdOf("township_org_id");
  XT_RETURN_IF_ERROR(b.Finish());
  return in;
}

// ---- Queries --------------------------------------------------------------------------------

Result<service::SharedInfoQuery> ParseQuery(const Request& req) {
  service::SharedInfoQuery q;
  q.direction = req.query_param("direction").value_or("");
  q.state = req.query_param("state").value_or("");
  q.kind = req.query_param("kind").value_or("");
  q.issuer = req.query_param("issuer").value_or("");
  q.from = req.query_param("from").value_or("");
  q.to = req.query_param("to").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}
Result<service::SharedInfoQuery> ParseFilingQuery(const Request& req) {
  XT_ASSIGN_OR_RETURN(service::SharedInfoQuery q, ParseQuery(req));
  if (auto m = req.query_param("matter")) q.kind = *m;
  return q;
}

Result<service::ApprovalQuery> ParseApprovalQuery(const Request& req) {
  service::ApprovalQuery q;
  q.q = req.query_param("q").value_or("");
  q.category = req.query_param("category").value_or("");
  q.from = req.query_param("from").value_or("");
  q.to = req.query_param("to").value_or("");
  XT_ASSIGN_OR_RETURN(q.township, req.query_int("township"));
  const std::string unread = req.query_param("unread").value_or("");
  if (!unread.empty() && unread != "true" && unread != "false") {
    return Status::Invalid("unread", "unread 应为 true 或 false", "R-INF-2", "invalid_value");
  }
  q.unread_only = unread == "true";
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

// ---- Routes ---------------------------------------------------------------------------------

void AddSharedRoutes(Router& r, ApiEnv& env, CoordType t, std::vector<std::string> steps,
                     Result<service::SharedInfoQuery> (*parse)(const Request&), const char* csv_ascii,
                     const char* csv_utf8) {
  using V = service::CoordItemView;
  using P = service::Principal;
  AddItemRoutes<service::SharedInfoQuery>(r, env, {
      .base = "/api/v1/" + std::string(domain::CoordTypePath(t)),
      .parse = parse,
      .list = [t](const ApiEnv& e, const P& p, const service::SharedInfoQuery& q) { return e.svc.shared_info->List(p, t, q); },
      .render_list = views::SharedInfoListJson,
      .csv = [t](const ApiEnv& e, const P& p, service::SharedInfoQuery q) {
        return e.svc.shared_info->ExportCsv(p, t, std::move(q));
      },
      .csv_ascii = csv_ascii,
      .csv_utf8 = csv_utf8,
      .create = [t](const ApiEnv& e, const P& p, const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return t == CoordType::kMaterial ? e.svc.shared_info->Publish(p, MaterialBody(*body))
                                         : e.svc.shared_info->File(p, FilingBody(*body));
      },
      .get = [t](const ApiEnv& e, const P& p, int64_t id) { return e.svc.shared_info->Get(p, t, id); },
      .render = views::SharedInfoJson,
      .steps = std::move(steps),
      .act = [t](const ApiEnv& e, const P& p, int64_t id, const std::string& action,
                 const Result<json::object>& body) -> Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.shared_info->Act(p, t, id, action, StepBody(t, action, *body));
      },
  });
}

void AddApprovalRoutes(Router& r, ApiEnv& env) {
  const std::string base = "/api/v1/approvals";
  AddListRoutes<service::ApprovalQuery, service::ApprovalPage>(
      r, env, base, ParseApprovalQuery,
      [](const ApiEnv& e, const service::Principal& p, const service::ApprovalQuery& q) {
        return e.svc.approvals->List(p, q);
      },
      views::ApprovalPageJson,
      [](const ApiEnv& e, const service::Principal& p, service::ApprovalQuery q) {
        return e.svc.approvals->ExportCsv(p, std::move(q));
      },
      "approvals.csv", "行政审批.csv");
  r.Add("POST", base, WithAuth(env, [&env, base](Request& req, const service::Principal& p) -> Result<Response> {
          XT_RETURN_IF_ERROR(service::ApprovalService::CanWrite(p));
          XT_ASSIGN_OR_RETURN(json::object body, Body(env, req));
          XT_ASSIGN_OR_RETURN(service::ApprovalView v, env.svc.approvals->Record(p, ApprovalBody(body)));
          Response out = Json(201, views::ApprovalJson(v));
          out.AddHeader("Location", base + "/" + std::to_string(v.a.id));
          return out;
        }));
  r.Add("POST", base + "/import", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_RETURN_IF_ERROR(service::ApprovalService::CanWrite(p));
          auto ct = req.header("Content-Type");
          const bool xlsx = (ct && service::IsXlsxContentType(*ct)) || service::LooksLikeZip(req.body);
          if (!xlsx && !IsCsv(req)) {
            return Status::Invalid("body", "请以 text/csv 或 .xlsx 上传双公示导出文件", "R-INF-2", "unsupported_media_type")
                .En("Send the export as text/csv or .xlsx");
          }
          XT_ASSIGN_OR_RETURN(service::ApprovalImportResult res, xlsx ? env.svc.approvals->ImportXlsx(p, req.body)
                                                                         : env.svc.approvals->ImportCsv(p, req.body));
          return Json(200, json::object{{"rows", res.rows}, {"created", res.created}, {"updated", res.updated}});
        }));
  r.Add("GET", base + "/feed", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(service::ApprovalQuery q, ParseApprovalQuery(req));
          XT_ASSIGN_OR_RETURN(service::ApprovalPage page, env.svc.approvals->Feed(p, q));
          return Json(200, views::ApprovalPageJson(page));
        }));
  r.Add("POST", base + "/feed/read", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          json::object body;
          if (!req.body.empty()) {
            XT_ASSIGN_OR_RETURN(body, Body(env, req));
          }
          In b(body, "R-INF-2");
          std::vector<Id> ids = b.Ids("ids", 500);
          XT_RETURN_IF_ERROR(b.Finish());
          XT_ASSIGN_OR_RETURN(int64_t unread, env.svc.approvals->MarkRead(p, ids));
          return Json(200, json::object{{"unread", unread}});
        }));
  r.Add("GET", base + "/{id}", WithAuth(env, [&env](Request& req, const service::Principal& p) -> Result<Response> {
          XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
          XT_ASSIGN_OR_RETURN(service::ApprovalView v, env.svc.approvals->Get(p, id));
          return Json(200, views::ApprovalJson(v));
        }));
}

}  // namespace

void RegisterSharedInfoRoutes(Router& r, ApiEnv& env) {
  AddSharedRoutes(r, env, CoordType::kMaterial, {"acknowledge", "withdraw"}, ParseQuery, "materials.csv", "资料发布.csv");
  AddSharedRoutes(r, env, CoordType::kPenaltyFiling, {"acknowledge"}, ParseFilingQuery, "penalty-filings.csv",
                  "处罚备案.csv");
  AddApprovalRoutes(r, env);
}

}  // namespace xietong::http
