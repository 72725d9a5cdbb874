#include "http/json_io.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace xietong::http {
namespace {

namespace json = boost::json;
using core::Code;
using core::Status;

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

TEST(ParseJsonObjectTest, Accepts) {
  auto r = ParseJsonObject(R"({"a":1,"b":"中文"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("a").as_int64(), 1);
}

TEST(ParseJsonObjectTest, Errors) {
  struct Case {
    std::string body;
    std::string id;
  } cases[] = {
      {"", "invalid_json"},
      {"  \n", "invalid_json"},
      {"{", "invalid_json"},
      {"{\"a\":1,}", "invalid_json"},
      {"[1,2]", "json_not_object"},
      {"\"x\"", "json_not_object"},
      {"{\"a\":\"\xff\"}", "invalid_json"},  // invalid UTF-8
      // Beyond the double range: read as infinity, written back as non-JSON "Infinity" (found
      // by fuzz/json_body_fuzz).
      {"{\"a\":1e999}", "invalid_json"},
      {"{\"a\":[1,{\"b\":-" + std::string(400, '9') + "}]}", "invalid_json"},
  };
  for (const auto& c : cases) {
    auto r = ParseJsonObject(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().id(), c.id) << c.body;
    EXPECT_EQ(r.status().field(), "body");
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(r.status().message().starts_with("请求体")) << r.status().message();
    EXPECT_FALSE(r.status().message_en().empty());
  }
}

TEST(ParseJsonObjectTest, DepthLimit) {
  std::string ok = std::string(4, '[') + std::string(4, ']');
  EXPECT_TRUE(ParseJsonObject("{\"a\":" + ok + "}", 5).ok());
  auto r = ParseJsonObject("{\"a\":" + ok + "}", 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().id(), "json_too_deep");
  std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(ParseJsonObject("{\"a\":" + deep + "}").status().id(), "json_too_deep");
}

TEST(ReadJsonBodyTest, ChecksContentTypeAndDepth) {
  Request req;
  req.body = R"({"a":[[1]]})";
  EXPECT_TRUE(ReadJsonBody(req).ok());  // no Content-Type: accepted
  req.headers = {{"Content-Type", "Application/JSON; charset=utf-8"}};
  EXPECT_TRUE(ReadJsonBody(req).ok());
  req.max_json_depth = 2;
  EXPECT_EQ(ReadJsonBody(req).status().id(), "json_too_deep");
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(ReadJsonBody(req).status().id(), "unsupported_media_type");
}

TEST(FieldReaderTest, ReadsTypedFields) {
  json::object o = Obj(R"({"username":"张三","age":42,"small":7,"active":true,"score":1.5,
      "ids":[1,2],"tags":["a","b"],"arr":[1,"x"],"obj":{"k":1},"any":null,"big":18446744073709551615})");
  FieldReader r(o);
  EXPECT_EQ(r.Required<std::string>("username"), "张三");
  EXPECT_EQ(r.Optional<int64_t>("age"), 42);
  EXPECT_EQ(r.Required<int>("small"), 7);
  EXPECT_EQ(r.Optional<bool>("active"), true);
  EXPECT_EQ(r.Required<double>("score"), 1.5);
  EXPECT_EQ(r.Required<std::vector<int64_t>>("ids"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(r.Required<std::vector<std::string>>("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.Optional<json::array>("arr")->size(), 2u);
  EXPECT_EQ(r.Required<json::object>("obj").at("k").as_int64(), 1);
  EXPECT_EQ(r.Optional<json::value>("any"), std::nullopt);  // null counts as absent
  EXPECT_EQ(r.Optional<std::string>("missing"), std::nullopt);
  EXPECT_TRUE(r.status().ok());
  EXPECT_FALSE(r.Finish().ok());  // "big" was not read
  r.Skip("big");
  EXPECT_TRUE(r.Finish().ok()) << r.Finish().ToString();
}

TEST(FieldReaderTest, TypeErrorsNameTheField) {
  struct Case {
    std::string json;
    std::function<void(FieldReader&)> read;
    std::string id;
    std::string zh;
    std::string en;
  } cases[] = {
      {R"({"x":1})", [](FieldReader& r) { (void)r.Required<std::string>("x"); }, "invalid_type",
       "字段 x 应为字符串", "Field x must be a string"},
      {R"({"x":"1"})", [](FieldReader& r) { (void)r.Optional<int64_t>("x"); }, "invalid_type",
       "字段 x 应为整数", "Field x must be an integer"},
      {R"({"x":1.0})", [](FieldReader& r) { (void)r.Optional<int64_t>("x"); }, "invalid_type",
       "字段 x 应为整数", "Field x must be an integer"},
      {R"({"x":1})", [](FieldReader& r) { (void)r.Optional<bool>("x"); }, "invalid_type",
       "字段 x 应为布尔值", "Field x must be a boolean"},
      {R"({"x":{}})", [](FieldReader& r) { (void)r.Optional<json::array>("x"); }, "invalid_type",
       "字段 x 应为数组", "Field x must be an array"},
      {R"({"x":[1,"a"]})", [](FieldReader& r) { (void)r.Optional<std::vector<int64_t>>("x"); },
       "invalid_type", "字段 x 应为整数数组", "Field x must be an array of integers"},
      {R"({"x":3000000000})", [](FieldReader& r) { (void)r.Optional<int>("x"); }, "out_of_range",
       "字段 x 的数值超出范围", "Field x is out of range"},
      {R"({"x":18446744073709551615})", [](FieldReader& r) { (void)r.Optional<int64_t>("x"); },
       "out_of_range", "字段 x 的数值超出范围", "Field x is out of range"},
      {R"({})", [](FieldReader& r) { (void)r.Required<std::string>("x"); }, "missing_field",
       "缺少必填字段：x", "Missing required field: x"},
      {R"({"x":null})", [](FieldReader& r) { (void)r.Required<bool>("x"); }, "missing_field",
       "缺少必填字段：x", "Missing required field: x"},
      {R"({"x":""})", [](FieldReader& r) { (void)r.RequiredString("x", 10); }, "too_short",
       "字段 x 不能为空", "Field x must not be empty"},
      {R"({"x":"ab"})", [](FieldReader& r) { (void)r.RequiredString("x", 10, 3); }, "too_short",
       "字段 x 过短（至少 3 个字符）", "Field x is too short (at least 3 characters)"},
      {R"({"x":"执法局长"})", [](FieldReader& r) { (void)r.OptionalString("x", 3); }, "too_long",
       "字段 x 过长（最多 3 个字符）", "Field x is too long (at most 3 characters)"},
  };
  for (const auto& c : cases) {
    json::object o = Obj(c.json);
    FieldReader r(o);
    c.read(r);
    Status st = r.Finish();
    ASSERT_FALSE(st.ok()) << c.json;
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_EQ(st.id(), c.id) << c.json;
    EXPECT_EQ(st.field(), "x");
    EXPECT_EQ(st.message(), c.zh);
    EXPECT_EQ(st.message_en(), c.en);
  }
}

TEST(FieldReaderTest, StringLengthCountsCharacters) {
  json::object o = Obj(R"({"name":"执法局"})");
  FieldReader r(o);
  EXPECT_EQ(r.RequiredString("name", 3), "执法局");  // 9 bytes, 3 characters
  EXPECT_TRUE(r.Finish().ok());
}

TEST(FieldReaderTest, FirstErrorWinsAndUnknownFieldsAreRejected) {
  json::object o = Obj(R"({"a":1,"b":2,"extra":true})");
  FieldReader r(o);
  (void)r.Required<std::string>("a");
  (void)r.Required<std::string>("b");
  EXPECT_EQ(r.Finish().field(), "a");

  FieldReader r2(o);
  EXPECT_EQ(r2.Required<int64_t>("a"), 1);
  EXPECT_TRUE(r2.Has("b"));
  Status st = r2.Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.id(), "unknown_field");
  EXPECT_EQ(st.field(), "extra");
  EXPECT_EQ(st.message(), "不支持的字段：extra");
  EXPECT_EQ(st.message_en(), "Unsupported field: extra");
}

TEST(FieldReaderTest, ValuesAfterErrorsAreEmpty) {
  json::object o = Obj(R"({"a":"x","n":"1"})");
  FieldReader r(o);
  EXPECT_EQ(r.Required<int64_t>("n"), 0);
  EXPECT_EQ(r.Required<std::string>("a"), "x");  // still read
  EXPECT_EQ(r.Finish().field(), "n");
}

TEST(ErrorResponseTest, ExactShape) {
  Response res = ErrorResponse(
      Status::Precondition("illegal_transition", "当前状态不允许此操作", "R-REF-6", "status")
          .En("Not allowed in the current state"),
      false);
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(res.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(res.body, R"({"error":{"code":"illegal_transition","message":"当前状态不允许此操作",)"
                      R"("field":"status","rule":"R-REF-6"}})");

  res = ErrorResponse(Status::Denied("无权操作").En("Forbidden"), true);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(res.body, R"({"error":{"code":"permission_denied","message":"Forbidden","field":null,)"
                      R"("rule":null}})");

  // English requested but not supplied: Chinese.
  res = ErrorResponse(Status::Unauthenticated("请先登录"), true);
  EXPECT_EQ(json::parse(res.body).at("error").at("message").as_string(), "请先登录");

  // OK status is a bug: 500.
  res = ErrorResponse(Status::Ok(), false);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(json::parse(res.body).at("error").at("code").as_string(), "internal");
}

TEST(ErrorResponseTest, StatusMapping) {
  struct Case {
    Status st;
    int http;
  } cases[] = {
      {Status::Invalid("f", "m"), 400},
      {Status::Unauthenticated("m"), 401},
      {Status::Denied("m"), 403},
      {Status::NotFound("org"), 404},
      {Status::Exists("f", "m"), 409},
      {Status::Precondition("illegal_transition", "m"), 409},
      {Status::Aborted("m"), 409},
      {Status::Exhausted("too_many_requests", "m"), 429},
      {Status::Exhausted("body_too_large", "m"), 413},
      {Status::Exhausted("headers_too_large", "m"), 431},
      {Status::Unavailable("m"), 503},
      {Status::Internal("m"), 500},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HttpStatusFor(c.st), c.http) << c.st.ToString();
    EXPECT_EQ(ErrorResponse(c.st, false).status, c.http);
  }
}

TEST(ErrorResponseTest, UsesRequestLanguage) {
  Request req;
  req.headers = {{"Accept-Language", "en-US,en;q=0.9"}};
  EXPECT_TRUE(WantsEnglish(req));
  Response res = ErrorResponse(Status::NotFound("org", "机构不存在").En("No such org"), req);
  EXPECT_EQ(json::parse(res.body).at("error").at("message").as_string(), "No such org");
  req.headers = {{"accept-language", "zh-CN,zh;q=0.9,en;q=0.8"}};
  EXPECT_FALSE(WantsEnglish(req));
  req.headers = {{"Accept-Language", " EN"}};
  EXPECT_TRUE(WantsEnglish(req));
  req.headers.clear();
  EXPECT_FALSE(WantsEnglish(req));
}

TEST(JsonResponseTest, Serializes) {
  Response res = JsonResponse(201, {{"id", 7}, {"name", "县局"}});
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(json::parse(res.body), json::parse(R"({"id":7,"name":"县局"})"));
}

}  // namespace
}  // namespace xietong::http
