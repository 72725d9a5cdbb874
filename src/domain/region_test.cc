#include "domain/region.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

TEST(RegionTest, LevelOfCodeFollowsGbt2260Shape) {  // R-ACC-2
  EXPECT_EQ(LevelOfCode("440000"), RegionLevel::kProvince);
  EXPECT_EQ(LevelOfCode("445300"), RegionLevel::kCity);
  EXPECT_EQ(LevelOfCode("445321"), RegionLevel::kCounty);
  EXPECT_EQ(LevelOfCode("445321100000"), RegionLevel::kTownship);
  EXPECT_EQ(LevelOfCode("44532"), std::nullopt);
  EXPECT_EQ(LevelOfCode("44532a"), std::nullopt);
  EXPECT_EQ(LevelOfCode("000000"), std::nullopt);
  EXPECT_EQ(LevelOfCode("445321100201"), std::nullopt);  // village level
  EXPECT_EQ(LevelOfCode("445321000000"), std::nullopt);  // the county itself, 12 digits
  EXPECT_EQ(LevelOfCode("445300100000"), std::nullopt);  // township under a city code
}

TEST(RegionTest, ScopePrefixIsTheSignificantPrefix) {  // R-ACC-2
  EXPECT_EQ(ScopePrefixOfCode("440000"), "44");
  EXPECT_EQ(ScopePrefixOfCode("445300"), "4453");
  EXPECT_EQ(ScopePrefixOfCode("445321"), "445321");
  EXPECT_EQ(ScopePrefixOfCode("445321100000"), "445321100");
  EXPECT_EQ(ScopePrefixOfCode("bad"), "");
}

TEST(RegionTest, InScopeIsAPrefixTest) {  // R-ACC-2
  EXPECT_TRUE(InScope("", std::nullopt));
  EXPECT_TRUE(InScope("", std::string("445322")));
  EXPECT_FALSE(InScope("445321", std::nullopt));
  EXPECT_TRUE(InScope("445321", std::string("445321")));
  EXPECT_TRUE(InScope("445321", std::string("445321100000")));
  EXPECT_FALSE(InScope("445321", std::string("445322")));
  EXPECT_FALSE(InScope("445321", std::string("445322100000")));
  EXPECT_TRUE(InScope("4453", std::string("445322")));
  EXPECT_TRUE(InScope("4453", std::string("445300")));
  EXPECT_FALSE(InScope("4453", std::string("445200")));
  EXPECT_TRUE(InScope("44", std::string("445381104000")));
  EXPECT_FALSE(InScope("445321100", std::string("445321")));  // a township does not see its county
}

TEST(RegionTest, CommonScopeOfTwoCountiesIsTheirCity) {  // R-ACC-2, R-REF-7
  EXPECT_EQ(CommonScopePrefix(std::string("445321"), std::string("445322")), "4453");
  EXPECT_EQ(CommonScopePrefix(std::string("445321100000"), std::string("445321")), "445321");
  EXPECT_EQ(CommonScopePrefix(std::string("445321"), std::string("441202")), "44");
  EXPECT_EQ(CommonScopePrefix(std::string("445321"), std::string("430102")), "");
  EXPECT_EQ(CommonScopePrefix(std::nullopt, std::string("430102")), "");
}

TEST(RegionTest, CoordinatingScopeIsTheLowestCommonOfficeAtCountyOrAbove) {  // R-REF-7, R-ACC-2
  EXPECT_EQ(CoordinatingScope({"445321", "445321"}), "445321");
  EXPECT_EQ(CoordinatingScope({"445321100000", "445321101000"}), "445321");  // two townships
  EXPECT_EQ(CoordinatingScope({"445321100000", "445321"}), "445321");
  EXPECT_EQ(CoordinatingScope({"445321", "445322"}), "4453");  // two counties → the city
  EXPECT_EQ(CoordinatingScope({"445321", "445300"}), "4453");  // a city-level org
  EXPECT_EQ(CoordinatingScope({"445321", "441202"}), "44");    // two cities → the province
  EXPECT_EQ(CoordinatingScope({"445321", "430102"}), "");
  EXPECT_EQ(CoordinatingScope({"445321", "bad"}), "");
  EXPECT_EQ(CoordinatingScope({}), "");
}

TEST(RegionTest, ValidateRegionChecksParentLevelAndPrefix) {  // R-ACC-2
  const Region city{"445300", "云浮市", RegionLevel::kCity, "440000"};
  EXPECT_TRUE(ValidateRegion({"445321", "新兴县", RegionLevel::kCounty, "445300"}, city).ok());
  EXPECT_EQ(ValidateRegion({"445221", "揭东县", RegionLevel::kCounty, "445300"}, city).field(),
            "parent_code");
  EXPECT_EQ(ValidateRegion({"445321100000", "新城镇", RegionLevel::kTownship, "445300"}, city)
                .field(),
            "parent_code");
  EXPECT_EQ(ValidateRegion({"44532", "x", RegionLevel::kCounty, std::nullopt}, std::nullopt).field(),
            "code");
  EXPECT_EQ(ValidateRegion({"445321", "", RegionLevel::kCounty, std::nullopt}, std::nullopt).field(),
            "name");
}

TEST(RegionTest, CsvImportNamesLineAndColumnOfTheFirstBadRow) {  // R-ACC-2
  const std::string good =
      "\xEF\xBB\xBF" "code,name,parent_code\n440000,广东省,\n445300,云浮市,440000\n"
      "445321100000,新城镇,445321\n445321,新兴县,445300\n";
  auto ok = ParseRegionCsv(good, {});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->size(), 4u);
  EXPECT_EQ((*ok)[0].code, "440000");
  EXPECT_EQ((*ok)[3].code, "445321100000");  // parents first
  EXPECT_EQ((*ok)[3].level, RegionLevel::kTownship);

  auto bad_code = ParseRegionCsv("code,name,parent_code\n440000,广东省,\n44530,云浮市,440000\n", {});
  ASSERT_FALSE(bad_code.ok());
  EXPECT_EQ(bad_code.status().field(), "code");
  EXPECT_NE(bad_code.status().message().find("第3行第1列"), std::string::npos);

  auto unknown = ParseRegionCsv("445300,云浮市,440000\n", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "parent_code");
  EXPECT_NE(unknown.status().message().find("第1行第3列"), std::string::npos);

  auto level = ParseRegionCsv("440000,广东省,\n445321,新兴县,440000\n", {});
  ASSERT_FALSE(level.ok());
  EXPECT_EQ(level.status().field(), "parent_code");
  EXPECT_NE(level.status().message().find("第2行"), std::string::npos);

  auto dup = ParseRegionCsv("440000,广东省,\n440000,广东,\n", {});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("第2行第1列"), std::string::npos);

  auto exists = ParseRegionCsv("445322,郁南县,445300\n",
                               {{"445300", "云浮市", RegionLevel::kCity, std::nullopt},
                                {"445322", "郁南县", RegionLevel::kCounty, "445300"}});
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.status().field(), "code");

  auto under_existing =
      ParseRegionCsv("445322,郁南县,445300\n", {{"445300", "云浮市", RegionLevel::kCity, std::nullopt}});
  ASSERT_TRUE(under_existing.ok());

  auto empty_name = ParseRegionCsv("440000,,\n", {});
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(empty_name.status().field(), "name");
  EXPECT_NE(empty_name.status().message().find("第1行第2列"), std::string::npos);
}

}  // namespace
}  // namespace xietong::domain
