#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace xietong::http {
namespace {

Request Make(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  EXPECT_TRUE(r.SetTarget(target).ok()) << target;
  return r;
}

Handler Tag(std::string tag) {
  return [tag](Request& req) {
    Response res;
    res.body = tag;
    for (const auto& [k, v] : req.path_params) res.body += " " + k + "=" + v;
    return res;
  };
}

std::string ErrorCode(const Response& res) {
  return std::string(boost::json::parse(res.body).at("error").at("code").as_string());
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/v1/orgs", Tag("list"));
    router_.Add("POST", "/api/v1/orgs", Tag("create"));
    router_.Add("GET", "/api/v1/orgs/{id}", Tag("get"));
    router_.Add("PATCH", "/api/v1/orgs/{id}", Tag("patch"));
    router_.Add("GET", "/api/v1/orgs/mine", Tag("mine"));
    router_.Add("GET", "/api/v1/orgs/{org_id}/units/{unit_id}", Tag("unit"));
    router_.Add("POST", "/api/v1/orgs/new/things", Tag("new-things"));
    router_.Add("DELETE", "/api/v1/orgs/{id}/things", Tag("del-things"));
    router_.Add("GET", "/healthz", Tag("health"));
  }
  Response Call(std::string method, std::string target) {
    req_ = Make(std::move(method), std::move(target));
    return router_.Handle(req_);
  }
  Router router_;
  Request req_;
};

TEST_F(RouterTest, LiteralRoutes) {
  EXPECT_EQ(Call("GET", "/api/v1/orgs").body, "list");
  EXPECT_EQ(req_.route, "/api/v1/orgs");
  EXPECT_EQ(Call("POST", "/api/v1/orgs").body, "create");
  EXPECT_EQ(Call("GET", "/api/v1/orgs/").body, "list");  // trailing slash ignored
  EXPECT_EQ(Call("GET", "/healthz?x=1").body, "health");
}

TEST_F(RouterTest, ParamsAreCapturedAndDecoded) {
  EXPECT_EQ(Call("GET", "/api/v1/orgs/42").body, "get id=42");
  EXPECT_EQ(req_.route, "/api/v1/orgs/{id}");
  EXPECT_EQ(req_.path_param("id"), "42");
  EXPECT_EQ(Call("GET", "/api/v1/orgs/%E5%8E%BF").body, "get id=县");
  EXPECT_EQ(Call("GET", "/api/v1/orgs/7/units/9").body, "unit org_id=7 unit_id=9");
  EXPECT_EQ(req_.route, "/api/v1/orgs/{org_id}/units/{unit_id}");
}

TEST_F(RouterTest, LiteralBeatsParamAndBacktracks) {
  EXPECT_EQ(Call("GET", "/api/v1/orgs/mine").body, "mine");
  // "new" matches the literal branch, which has no GET route for .../new: use {id}.
  EXPECT_EQ(Call("GET", "/api/v1/orgs/new").body, "get id=new");
  // The literal branch "new/things" has only POST; DELETE comes from {id}/things.
  EXPECT_EQ(Call("DELETE", "/api/v1/orgs/new/things").body, "del-things id=new");
  EXPECT_EQ(Call("POST", "/api/v1/orgs/new/things").body, "new-things");
}

TEST_F(RouterTest, NotFoundIsJson) {
  Response res = Call("GET", "/api/v1/nothing");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ErrorCode(res), "route_not_found");
  EXPECT_EQ(req_.route, "");
  EXPECT_EQ(Call("GET", "/api/v1/orgs/1/2").status, 404);
  EXPECT_EQ(Call("GET", "/").status, 404);
}

TEST_F(RouterTest, MethodNotAllowedListsAllow) {
  Response res = Call("PUT", "/api/v1/orgs/5");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(ErrorCode(res), "method_not_allowed");
  EXPECT_EQ(res.header("Allow"), "GET, HEAD, PATCH");
  res = Call("DELETE", "/api/v1/orgs");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("allow"), "GET, HEAD, POST");
}

TEST_F(RouterTest, HeadUsesGet) {
  Response res = Call("HEAD", "/api/v1/orgs/3");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "get id=3");
}

TEST_F(RouterTest, FallbackForNonApiGets) {
  router_.SetFallback(Tag("spa"));
  EXPECT_EQ(Call("GET", "/referrals/12").body, "spa");
  EXPECT_EQ(req_.route, "fallback");
  EXPECT_EQ(Call("HEAD", "/").body, "spa");
  EXPECT_EQ(Call("GET", "/api/v1/nothing").status, 404);  // API paths never fall back
  EXPECT_EQ(Call("POST", "/referrals/12").status, 404);
  EXPECT_EQ(Call("GET", "/healthz").body, "health");  // routes still win
}

TEST_F(RouterTest, RoutesAreListedSorted) {
  auto routes = router_.Routes();
  ASSERT_EQ(routes.size(), 9u);
  EXPECT_EQ(routes[0], std::make_pair(std::string("GET"), std::string("/api/v1/orgs")));
  EXPECT_EQ(routes[1], std::make_pair(std::string("POST"), std::string("/api/v1/orgs")));
  EXPECT_EQ(routes.back(), std::make_pair(std::string("GET"), std::string("/healthz")));
}

TEST_F(RouterTest, BadRegistrationsThrow) {
  EXPECT_THROW(router_.Add("GET", "/api/v1/orgs", Tag("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/api/v1/orgs/{other}", Tag("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "no-slash", Tag("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/{x}/{x}", Tag("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a/b{x}", Tag("x")), std::invalid_argument);
  EXPECT_THROW(router_.Add("GET", "/a", nullptr), std::invalid_argument);
}

TEST_F(RouterTest, MiddlewaresWrapRoutesInOrder) {
  std::vector<std::string> seen;
  router_.Use([&](Request& req, const Handler& next) {
    seen.push_back("outer:" + req.route);
    Response res = next(req);
    res.body += "|outer";
    return res;
  });
  router_.Use([&](Request& req, const Handler& next) {
    seen.push_back("inner");
    if (req.query_param("deny")) {
      Response res;
      res.status = 403;
      return res;
    }
    return next(req);
  });
  router_.SetFallback(Tag("spa"));
  EXPECT_EQ(Call("GET", "/api/v1/orgs/1").body, "get id=1|outer");
  EXPECT_EQ((std::vector<std::string>{"outer:/api/v1/orgs/{id}", "inner"}), seen);
  EXPECT_EQ(Call("GET", "/api/v1/orgs/1?deny=1").status, 403);
  seen.clear();
  EXPECT_EQ(Call("GET", "/somewhere").body, "spa");  // fallback is not wrapped
  EXPECT_TRUE(seen.empty());
}

TEST(RouterDeepTest, TooManySegmentsIs404) {
  Router router;
  router.Add("GET", "/a", Tag("a"));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "/a";
  Request r = Make("GET", deep);
  EXPECT_EQ(router.Handle(r).status, 404);
}

}  // namespace
}  // namespace xietong::http
