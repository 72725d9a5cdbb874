#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

namespace xietong::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("xt_static_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(root_ / "index.html", "<!doctype html><title>协同</title>");
    WriteFile(root_ / "assets" / "app-1a2b.js", "console.log(1)");
    WriteFile(root_ / "assets" / "app-1a2b.css", "body{}");
    WriteFile(root_ / "assets" / "font.woff2", std::string("wOF2\0\1", 6));
    WriteFile(root_ / "favicon.ico", "ico");
    WriteFile(root_ / ".env", "SECRET=1");
    WriteFile(base_ / "secret.txt", "outside");
  }
  void TearDown() override { fs::remove_all(base_); }

  static Request Get(std::string target, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    EXPECT_TRUE(r.SetTarget(target).ok());
    return r;
  }
  static std::string ErrorCode(const Response& res) {
    return std::string(boost::json::parse(res.body).at("error").at("code").as_string());
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  StaticFiles files(root_);
  Response res = files.Serve(Get("/assets/app-1a2b.js"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "console.log(1)");
  EXPECT_EQ(res.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(res.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_TRUE(res.header("ETag"));

  res = files.Serve(Get("/assets/app-1a2b.css"));
  EXPECT_EQ(res.content_type, "text/css; charset=utf-8");
  res = files.Serve(Get("/assets/font.woff2"));
  EXPECT_EQ(res.content_type, "font/woff2");
  EXPECT_EQ(res.body.size(), 6u);

  res = files.Serve(Get("/"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(res.header("Cache-Control"), "no-cache");
  EXPECT_EQ(res.body, "<!doctype html><title>协同</title>");

  res = files.Serve(Get("/index.html"));
  EXPECT_EQ(res.header("Cache-Control"), "no-cache");
  res = files.Serve(Get("/favicon.ico"));
  EXPECT_EQ(res.content_type, "image/x-icon");
  EXPECT_EQ(res.header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, ContentTypes) {
  EXPECT_EQ(StaticFiles::ContentType("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("x/a.SVG"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentType("a.png"), "image/png");
  EXPECT_EQ(StaticFiles::ContentType("a.json"), "application/json; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.js.map"), "application/json; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.bin"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::ContentType("noext"), "application/octet-stream");
}

TEST_F(StaticFilesTest, SpaFallback) {
  StaticFiles files(root_);
  Response res = files.Serve(Get("/referrals/12"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "<!doctype html><title>协同</title>");
  EXPECT_EQ(res.header("Cache-Control"), "no-cache");
  res = files.Serve(Get("/assets"));  // a directory
  EXPECT_EQ(res.body, "<!doctype html><title>协同</title>");
  // Missing files with an extension are 404, not HTML.
  res = files.Serve(Get("/assets/gone-123.js"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ErrorCode(res), "file_not_found");
  EXPECT_EQ(files.Serve(Get("/logo.png")).status, 404);
}

TEST_F(StaticFilesTest, RefusesTraversalAndHiddenFiles) {
  StaticFiles files(root_);
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/assets/%2E%2E/%2E%2E/secret.txt", "/a%5C..%5Csecret.txt"}) {
    Response res = files.Serve(Get(target));
    EXPECT_EQ(res.status, 400) << target;
    EXPECT_EQ(ErrorCode(res), "invalid_path") << target;
    EXPECT_EQ(res.body.find("outside"), std::string::npos);
  }
  Response res = files.Serve(Get("/.env"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body.find("SECRET"), std::string::npos);
}

TEST_F(StaticFilesTest, RefusesSymlinksOutOfRoot) {
  fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  StaticFiles files(root_);
  Response res = files.Serve(Get("/link.txt"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body.find("outside"), std::string::npos);
}

TEST_F(StaticFilesTest, ETagGivesNotModified) {
  StaticFiles files(root_);
  Response first = files.Serve(Get("/assets/app-1a2b.js"));
  std::string etag(*first.header("ETag"));
  Request again = Get("/assets/app-1a2b.js");
  again.headers = {{"If-None-Match", "\"other\", " + etag}};
  Response res = files.Serve(again);
  EXPECT_EQ(res.status, 304);
  EXPECT_TRUE(res.body.empty());
  EXPECT_EQ(res.header("ETag"), etag);
}

TEST_F(StaticFilesTest, HeadAndOtherMethods) {
  StaticFiles files(root_);
  Response res = files.Serve(Get("/favicon.ico", "HEAD"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ico");  // the server drops the body for HEAD, keeping Content-Length
  res = files.Serve(Get("/favicon.ico", "POST"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, CacheKeepsFirstReadUnlessDisabled) {
  StaticFiles cached(root_);
  StaticFiles uncached(root_, /*cache=*/false);
  EXPECT_EQ(cached.Serve(Get("/favicon.ico")).body, "ico");
  EXPECT_EQ(uncached.Serve(Get("/favicon.ico")).body, "ico");
  WriteFile(root_ / "favicon.ico", "new");
  EXPECT_EQ(cached.Serve(Get("/favicon.ico")).body, "ico");
  EXPECT_EQ(uncached.Serve(Get("/favicon.ico")).body, "new");
}

TEST_F(StaticFilesTest, NotBuiltPage) {
  StaticFiles files(base_ / "missing");
  Response res = files.Serve(Get("/"));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
  EXPECT_NE(res.body.find("网页界面尚未构建"), std::string::npos);
  res = files.Serve(Get("/referrals"));
  EXPECT_NE(res.body.find("网页界面尚未构建"), std::string::npos);
}

}  // namespace
}  // namespace xietong::http
