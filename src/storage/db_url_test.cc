#include <gtest/gtest.h>

#include "storage/db_url.h"

namespace xietong::storage {
namespace {

TEST(ParseDbUrl, Sqlite) {
  auto r = ParseDbUrl("sqlite:/var/lib/xietong/xietong.db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scheme, "sqlite");
  EXPECT_EQ(r->path_or_dsn, "/var/lib/xietong/xietong.db");

  r = ParseDbUrl("sqlite:data/x.db");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->path_or_dsn, "data/x.db");

  r = ParseDbUrl("sqlite://data/x.db");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->path_or_dsn, "data/x.db");

  r = ParseDbUrl("sqlite:///abs/x.db");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->path_or_dsn, "/abs/x.db");
}

TEST(ParseDbUrl, Postgres) {
  for (const char* url : {"postgres://xt@127.0.0.1:5432/xietong", "postgresql://localhost/xt"}) {
    auto r = ParseDbUrl(url);
    ASSERT_TRUE(r.ok()) << url << ": " << r.status().ToString();
    EXPECT_EQ(r->scheme, "postgres");
    EXPECT_EQ(r->path_or_dsn, url);  // handed to libpq unchanged
  }
}

TEST(ParseDbUrl, RejectsEverythingElse) {
  for (const char* url : {"", "mysql://localhost/x", "/var/lib/x.db", "sqlite:", "sqlite://",
                          "postgres://", "SQLITE:x.db", "postgres:/x"}) {
    auto r = ParseDbUrl(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << url;
    EXPECT_EQ(r.status().field(), "db") << url;
    EXPECT_NE(r.status().message().find("数据库地址"), std::string::npos) << url;
  }
}

}  // namespace
}  // namespace xietong::storage
