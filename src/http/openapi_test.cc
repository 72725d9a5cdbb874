// Keeps src/http/openapi.json honest: it must be a well-formed OpenAPI 3 document and describe
// exactly the routes the server registers — a route added without documentation, or a documented
// route that no longer exists, fails here.
#include "http/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "http/api_common.h"
#include "http/router.h"

namespace xietong::http {
namespace {

namespace json = boost::json;

using RouteSet = std::set<std::pair<std::string, std::string>>;  // (METHOD, pattern)

const char* const kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

json::object Doc() {
  boost::system::error_code ec;
  json::value v = json::parse(OpenApiJson(), ec);
  if (ec) ADD_FAILURE() << "openapi.json does not parse: " << ec.message();
  if (!v.is_object()) {
    ADD_FAILURE() << "openapi.json is not a JSON object";
    return {};
  }
  return v.as_object();
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Every route the server registers: the API files' Register*Routes (test routes included, as
// in --test-mode) plus the three routes cli/serve.cc adds itself. A new Register*Routes function
// (api_common.h) or a new route in serve.cc must be added here too.
RouteSet ServerRoutes() {
  ApiEnv env;  // services stay null: registering does not call them, and no handler runs
  env.test_mode = true;
  Router router;
  RegisterAuthRoutes(router, env);
  RegisterOrgRoutes(router, env);
  RegisterAuditRoutes(router, env);
  RegisterCalendarRoutes(router, env);
  RegisterDutyRoutes(router, env);
  RegisterNotificationRoutes(router, env);
  RegisterTestRoutes(router, env);
  RegisterReferralRoutes(router, env);
  RegisterDocumentRoutes(router, env);
  RegisterMatterRoutes(router, env);  // --- Matters, files (v2) ---
  RegisterFileRoutes(router, env);
  RegisterCollaborationRoutes(router, env);  // --- Collaborations (v4) ---
  RegisterCoordItemRoutes(router, env);  // --- Notices, meetings, participation (v5) ---
  RegisterCollabItemRoutes(router, env);  // --- The combined 协作 list ---
  RegisterDisputeRoutes(router, env);  // --- Jurisdiction disputes (R-DIS-1..3) ---
  RegisterComplaintRoutes(router, env);  // --- First-contact complaints (R-SYS-3) ---
  RegisterCourtPoliceRoutes(router, env);  // --- Court enforcement, police support ---
  RegisterWorkbenchRoutes(router, env);  // --- Workbench, overview, 督办 (issue 17) ---
  RegisterSharedInfoRoutes(router, env);  // --- Shared information (R-INF-1..3) ---
  RegisterDeliveryRoutes(router, env);  // --- Notifications away from the browser (issue 18) ---
  RegisterRegionRoutes(router, env);  // --- Regions (R-ACC-2, issue 19) ---
  RegisterCriminalTransferRoutes(router, env);  // --- Criminal transfers ---
  RegisterGuidanceRoutes(router, env);  // --- Guidance, training, technical support ---
  RegisterPlanRoutes(router, env);  // --- Annual plan (R-PLN-1, R-PLN-2) ---
  RegisterExportRoutes(router, env);  // --- Excel for the lists the web UI exports (issue 14) ---
  RouteSet out;
  for (auto& [method, pattern] : router.Routes()) out.emplace(Upper(method), pattern);
  // cli/serve.cc
  out.emplace("GET", "/healthz");
  out.emplace("GET", "/metrics");
  out.emplace("GET", "/api/v1/openapi.json");
  out.emplace("GET", "/readyz");                 // issue 18: readiness
  out.emplace("GET", "/api/v1/admin/backups");  // issue 18: scheduled backups
  return out;
}

RouteSet DocumentedRoutes(const json::object& doc) {
  RouteSet out;
  const json::value* paths = doc.if_contains("paths");
  if (!paths || !paths->is_object()) return out;
  for (const auto& [path, item] : paths->as_object()) {
    if (!item.is_object()) continue;
    for (const char* m : kMethods)
      if (item.as_object().contains(m)) out.emplace(Upper(m), std::string(path));
  }
  return out;
}

std::string Describe(const RouteSet& s) {
  std::string out;
  for (const auto& [m, p] : s) out += "\n  " + m + " " + p;
  return out;
}

// Resolves a local reference "#/components/schemas/X"; nullptr when it does not resolve.
const json::value* Resolve(const json::object& doc, std::string_view ref) {
  if (!ref.starts_with("#/")) return nullptr;
  const json::value* cur = nullptr;
  const json::object* obj = &doc;
  std::string_view rest = ref.substr(2);
  while (true) {
    size_t slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    std::string key;  // JSON pointer escapes: ~1 is '/', ~0 is '~'
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        key.push_back(raw[++i] == '1' ? '/' : '~');
      } else {
        key.push_back(raw[i]);
      }
    }
    cur = obj->if_contains(key);
    if (!cur) return nullptr;
    if (slash == std::string_view::npos) return cur;
    if (!cur->is_object()) return nullptr;
    obj = &cur->as_object();
    rest = rest.substr(slash + 1);
  }
}

void CollectRefs(const json::value& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      if (k == "$ref" && child.is_string()) out.emplace_back(child.as_string());
      CollectRefs(child, out);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) CollectRefs(child, out);
  }
}

// Follows a $ref (once per level) to the schema it names.
const json::object* Deref(const json::object& doc, const json::value& v) {
  const json::value* cur = &v;
  for (int i = 0; i < 8 && cur && cur->is_object(); ++i) {
    const json::value* ref = cur->as_object().if_contains("$ref");
    if (!ref || !ref->is_string()) return &cur->as_object();
    cur = Resolve(doc, ref->as_string());
  }
  return nullptr;
}

TEST(OpenApi, IsAnOpenApi3Document) {
  json::object doc = Doc();
  ASSERT_TRUE(doc.contains("openapi"));
  ASSERT_TRUE(doc.at("openapi").is_string());
  EXPECT_TRUE(std::string_view(doc.at("openapi").as_string()).starts_with("3.0."))
      << doc.at("openapi");
  ASSERT_TRUE(doc.contains("info") && doc.at("info").is_object());
  EXPECT_TRUE(doc.at("info").as_object().contains("title"));
  EXPECT_TRUE(doc.at("info").as_object().contains("version"));
  ASSERT_TRUE(doc.contains("paths") && doc.at("paths").is_object());
  ASSERT_TRUE(doc.contains("components") && doc.at("components").is_object());
  const auto& components = doc.at("components").as_object();
  ASSERT_TRUE(components.contains("securitySchemes"));
  const auto& schemes = components.at("securitySchemes").as_object();
  EXPECT_TRUE(schemes.contains("session")) << "cookie xt_session";
  EXPECT_TRUE(schemes.contains("csrf")) << "header X-CSRF-Token";
  EXPECT_TRUE(schemes.contains("bearer"));
  for (const char* name : {"Error", "User", "Org", "Duty", "Notification", "AuditEntry", "DayInfo",
                           "Deadline"}) {
    EXPECT_TRUE(components.at("schemas").as_object().contains(name)) << name;
  }
}

// The key check: documented routes == registered routes.
TEST(OpenApi, DocumentsExactlyTheRegisteredRoutes) {
  RouteSet server = ServerRoutes();
  RouteSet documented = DocumentedRoutes(Doc());
  RouteSet undocumented, stale;
  for (const auto& r : server)
    if (!documented.count(r)) undocumented.insert(r);
  for (const auto& r : documented)
    if (!server.count(r)) stale.insert(r);
  EXPECT_TRUE(undocumented.empty())
      << "routes registered but missing from src/http/openapi.json:" << Describe(undocumented);
  EXPECT_TRUE(stale.empty())
      << "routes in src/http/openapi.json that the server does not register:" << Describe(stale);
  EXPECT_GE(server.size(), 20u);
}

TEST(OpenApi, EveryOperationIsDescribed) {
  json::object doc = Doc();
  std::set<std::string> tags;
  ASSERT_TRUE(doc.contains("tags"));
  for (const auto& t : doc.at("tags").as_array()) tags.insert(std::string(t.at("name").as_string()));
  std::set<std::string> operation_ids;
  const std::regex param_re(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");
  for (const auto& [path, item_v] : doc.at("paths").as_object()) {
    const std::string p(path);
    const json::object& item = item_v.as_object();
    // Path-level parameters apply to every operation.
    std::set<std::string> path_level;
    if (const json::value* ps = item.if_contains("parameters"))
      for (const auto& prm : ps->as_array())
        if (const json::object* o = Deref(doc, prm); o && o->at("in") == "path")
          path_level.insert(std::string(o->at("name").as_string()));
    std::set<std::string> in_template;
    for (std::sregex_iterator it(p.begin(), p.end(), param_re), end; it != end; ++it)
      in_template.insert((*it)[1]);

    for (const char* m : kMethods) {
      const json::value* op_v = item.if_contains(m);
      if (!op_v) continue;
      const std::string where = Upper(m) + " " + p;
      ASSERT_TRUE(op_v->is_object()) << where;
      const json::object& op = op_v->as_object();
      ASSERT_TRUE(op.contains("summary")) << where;
      EXPECT_FALSE(op.at("summary").as_string().empty()) << where;
      EXPECT_TRUE(op.contains("description")) << where;
      ASSERT_TRUE(op.contains("operationId")) << where;
      EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second)
          << "duplicate operationId at " << where;
      ASSERT_TRUE(op.contains("responses")) << where;
      EXPECT_FALSE(op.at("responses").as_object().empty()) << where;
      for (const auto& [code, resp] : op.at("responses").as_object()) {
        const json::object* r = Deref(doc, resp);
        ASSERT_NE(r, nullptr) << where << " response " << code;
        EXPECT_TRUE(r->contains("description")) << where << " response " << code;
      }
      ASSERT_TRUE(op.contains("tags")) << where;
      ASSERT_FALSE(op.at("tags").as_array().empty()) << where;
      for (const auto& t : op.at("tags").as_array())
        EXPECT_TRUE(tags.count(std::string(t.as_string()))) << where << " uses undeclared tag " << t;

      // Every {name} in the path is declared as a required path parameter, and nothing else is.
      std::set<std::string> declared = path_level;
      if (const json::value* ps = op.if_contains("parameters")) {
        for (const auto& prm : ps->as_array()) {
          const json::object* o = Deref(doc, prm);
          ASSERT_NE(o, nullptr) << where;
          if (o->at("in") != "path") continue;
          declared.insert(std::string(o->at("name").as_string()));
          EXPECT_EQ(o->at("required"), json::value(true)) << where << " " << o->at("name");
        }
      }
      EXPECT_EQ(declared, in_template) << where;

      // Request bodies are closed JSON objects: unknown fields are rejected by the server.
      if (const json::value* body = op.if_contains("requestBody")) {
        const json::object* rb = Deref(doc, *body);
        ASSERT_NE(rb, nullptr) << where;
        const json::value* content = rb->if_contains("content");
        ASSERT_TRUE(content && !content->as_object().empty()) << where;
        // Non-JSON bodies (CSV import, raw file upload) are documented by media type only.
        if (content->as_object().contains("application/json")) {
          const json::object* schema =
              Deref(doc, content->as_object().at("application/json").as_object().at("schema"));
          ASSERT_NE(schema, nullptr) << where;
          if (schema->if_contains("type") && schema->at("type") == "object") {
            EXPECT_EQ(schema->if_contains("additionalProperties")
                          ? schema->at("additionalProperties")
                          : json::value(nullptr),
                      json::value(false))
                << where << ": request body schema needs additionalProperties: false";
          }
        }
      }

      const bool test_route = p.starts_with("/api/v1/test/");
      const json::value* flag = op.if_contains("x-test-mode-only");
      EXPECT_EQ(flag && *flag == json::value(true), test_route) << where;
    }
  }
}

TEST(OpenApi, EveryReferenceResolves) {
  json::object doc = Doc();
  std::vector<std::string> refs;
  CollectRefs(doc, refs);
  EXPECT_FALSE(refs.empty());
  for (const auto& ref : refs) EXPECT_NE(Resolve(doc, ref), nullptr) << "dangling $ref " << ref;
}

}  // namespace
}  // namespace xietong::http
