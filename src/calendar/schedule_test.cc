// R-TIME-3: parsing and validating the State Council holiday schedules.
#include "calendar/schedule.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "calendar/builtin_schedules.h"

namespace xietong::calendar {
namespace {

CivilDay D(const char* s) { return *core::ParseDay(s); }

std::string SourceDir() {
  const char* dir = std::getenv("XT_SOURCE_DIR");
  return dir ? dir : XT_SOURCE_DIR_FALLBACK;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small valid schedule to mutate in the error tests.
constexpr const char* kValid = R"({
  "year": 2026,
  "notice": {"number": "国办发明电〔2025〕7号", "title": "国务院办公厅关于2026年部分节假日安排的通知", "published": "2025-11-04"},
  "holidays": [
    {"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07"},
    {"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"}
  ],
  "workdays": [
    {"date": "2026-10-10", "for": "国庆节"},
    {"date": "2026-01-04", "for": "元旦"}
  ]
})";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

// Expects ParseYearSchedule(json) to fail with field `field`, rule R-TIME-3.
void ExpectInvalid(const std::string& json, const std::string& field) {
  auto r = ParseYearSchedule(json);
  ASSERT_FALSE(r.ok()) << json;
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(r.status().rule(), "R-TIME-3");
  EXPECT_EQ(r.status().field(), field) << r.status().ToString();
  EXPECT_FALSE(r.status().message().empty());
}

TEST(ScheduleTest, ParsesAndSortsValidScheduleRTime3) {
  auto r = ParseYearSchedule(kValid);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const YearSchedule& y = *r;
  EXPECT_EQ(y.year, 2026);
  EXPECT_EQ(y.notice_number, "国办发明电〔2025〕7号");
  EXPECT_EQ(y.published, "2025-11-04");
  ASSERT_EQ(y.holidays.size(), 2u);
  EXPECT_EQ(y.holidays[0].name, "元旦");  // sorted by from
  EXPECT_EQ(y.holidays[0].from, D("2026-01-01"));
  EXPECT_EQ(y.holidays[0].to, D("2026-01-03"));
  ASSERT_EQ(y.workdays.size(), 2u);
  EXPECT_EQ(y.workdays[0].date, D("2026-01-04"));
  EXPECT_EQ(y.workdays[0].for_holiday, "元旦");
  EXPECT_TRUE(y.amendments.empty());
}

TEST(ScheduleTest, SerializeIsCanonicalAndRoundTrips) {
  auto r = ParseYearSchedule(kValid);
  ASSERT_TRUE(r.ok());
  std::string canonical = SerializeYearSchedule(*r);
  EXPECT_EQ(canonical,
            R"({"year":2026,"notice":{"number":"国办发明电〔2025〕7号","title":"国务院办公厅关于2026年部分节假日安排的通知","published":"2025-11-04"},)"
            R"("holidays":[{"name":"元旦","from":"2026-01-01","to":"2026-01-03"},{"name":"国庆节","from":"2026-10-01","to":"2026-10-07"}],)"
            R"("workdays":[{"date":"2026-01-04","for":"元旦"},{"date":"2026-10-10","for":"国庆节"}]})");
  auto again = ParseYearSchedule(canonical);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
  EXPECT_EQ(SerializeYearSchedule(*again), canonical);
}

TEST(ScheduleTest, EveryShippedFileParsesRoundTripsAndIsEmbedded) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(SourceDir()) / "data" / "calendar";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 9u) << "2018..2026";
  auto builtin = BuiltinScheduleJson();
  ASSERT_EQ(builtin.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i].string());
    std::string text = ReadFile(files[i]);
    EXPECT_EQ(builtin[i], text) << "embedded copy is stale";
    auto r = ParseYearSchedule(text);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(std::to_string(r->year) + ".json", files[i].filename().string());
    EXPECT_EQ(r->year, 2018 + static_cast<int>(i));
    EXPECT_EQ(r->notice_title, "国务院办公厅关于" + std::to_string(r->year) + "年部分节假日安排的通知");
    auto again = ParseYearSchedule(SerializeYearSchedule(*r));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *r);
  }
}

TEST(ScheduleTest, AmendmentsAreKeptRTime3) {
  // 2020: 国办发明电〔2020〕1号 extended the Spring Festival to 2020-02-02.
  auto r = ParseYearSchedule(BuiltinScheduleJson()[2]);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->year, 2020);
  ASSERT_EQ(r->amendments.size(), 1u);
  EXPECT_EQ(r->amendments[0].number, "国办发明电〔2020〕1号");
  EXPECT_EQ(r->holidays[1].name, "春节");
  EXPECT_EQ(r->holidays[1].to, D("2020-02-02"));
  EXPECT_NE(SerializeYearSchedule(*r).find("\"amendments\":[{\"number\":\"国办发明电〔2020〕1号\""),
            std::string::npos);
}

TEST(ScheduleTest, RejectsMalformedJsonRTime3) {
  ExpectInvalid("{\"year\": 2026,", "");
  ExpectInvalid("[]", "");
  ExpectInvalid("", "");
}

TEST(ScheduleTest, RejectsUnknownKeysRTime3) {
  ExpectInvalid(Replace(kValid, "\"year\": 2026,", "\"year\": 2026, \"extra\": 1,"), "extra");
  ExpectInvalid(Replace(kValid, "\"published\": \"2025-11-04\"",
                        "\"published\": \"2025-11-04\", \"url\": \"x\""),
                "notice.url");
  ExpectInvalid(Replace(kValid, R"({"name": "元旦", "from")", R"({"name": "元旦", "days": 3, "from")"),
                "holidays[1].days");
  ExpectInvalid(Replace(kValid, R"({"date": "2026-01-04", "for": "元旦"})",
                        R"({"date": "2026-01-04", "for": "元旦", "note": ""})"),
                "workdays[1].note");
}

TEST(ScheduleTest, RejectsMissingAndDuplicatedKeysRTime3) {
  ExpectInvalid(Replace(kValid, "\"year\": 2026,", ""), "year");
  ExpectInvalid(Replace(kValid, R"("to": "2026-01-03")", R"("until": "2026-01-03")"),
                "holidays[1].until");
  ExpectInvalid(Replace(kValid, R"(, "to": "2026-01-03")", ""), "holidays[1].to");
  ExpectInvalid(Replace(kValid, "\"year\": 2026,", "\"year\": 2026, \"year\": 2027,"), "year");
}

TEST(ScheduleTest, RejectsWrongTypesRTime3) {
  ExpectInvalid(Replace(kValid, "\"year\": 2026", "\"year\": \"2026\""), "year");
  ExpectInvalid(Replace(kValid, "\"year\": 2026", "\"year\": 2026.0"), "year");
  ExpectInvalid(Replace(kValid, R"("name": "元旦")", R"("name": 1)"), "holidays[1].name");
  std::string no_array(kValid);
  no_array = no_array.substr(0, no_array.find("\"workdays\"")) + "\"workdays\": 7}";
  ExpectInvalid(no_array, "workdays");
  ExpectInvalid(Replace(kValid, R"({"date": "2026-01-04", "for": "元旦"})", "\"2026-01-04\""),
                "workdays[1]");
}

TEST(ScheduleTest, RejectsYearOutOfRangeRTime3) {
  ExpectInvalid(Replace(kValid, "\"year\": 2026", "\"year\": 1999"), "year");
  ExpectInvalid(Replace(kValid, "\"year\": 2026", "\"year\": 2101"), "year");
  ExpectInvalid(Replace(kValid, "\"year\": 2026", "\"year\": 18446744073709551615"), "year");
}

TEST(ScheduleTest, RejectsBadDatesRTime3) {
  ExpectInvalid(Replace(kValid, "\"2026-01-03\"", "\"2026-02-30\""), "holidays[1].to");
  ExpectInvalid(Replace(kValid, "\"2026-01-03\"", "\"2026/01/03\""), "holidays[1].to");
  ExpectInvalid(Replace(kValid, "\"2026-01-04\"", "\"2026-1-4\""), "workdays[1].date");
  ExpectInvalid(Replace(kValid, "\"2025-11-04\"", "\"2025-13-04\""), "notice.published");
  // Far outside the notice's year: a typo, not a spill into the neighbouring year.
  ExpectInvalid(Replace(kValid, "\"2026-10-07\"", "\"2062-10-07\""), "holidays[0].to");
  ExpectInvalid(Replace(kValid, "\"2026-01-01\"", "\"2025-11-29\""), "holidays[1].from");
}

TEST(ScheduleTest, RejectsReversedAndOverlappingBlocksRTime3) {
  ExpectInvalid(Replace(kValid, R"("from": "2026-01-01", "to": "2026-01-03")",
                        R"("from": "2026-01-03", "to": "2026-01-01")"),
                "holidays[1].to");
  // 元旦 now runs into 国庆节's block.
  ExpectInvalid(Replace(kValid, R"("to": "2026-01-03")", R"("to": "2026-10-01")"),
                "holidays[0].from");
}

TEST(ScheduleTest, RejectsBadMakeupDaysRTime3) {
  // 2026-01-05 is a Monday: a make-up working day must be a Saturday or Sunday.
  ExpectInvalid(Replace(kValid, "\"2026-01-04\"", "\"2026-01-05\""), "workdays[1].date");
  // 2026-10-03 (a Saturday) lies inside 国庆节.
  ExpectInvalid(Replace(kValid, "\"2026-10-10\"", "\"2026-10-03\""), "workdays[0].date");
  // Repeated.
  ExpectInvalid(Replace(kValid, "\"2026-10-10\"", "\"2026-01-04\""), "workdays[1].date");
  // Pays for a holiday the file does not have.
  ExpectInvalid(Replace(kValid, R"("for": "国庆节")", R"("for": "春节")"), "workdays[0].for");
}

TEST(ScheduleTest, RejectsEmptyNamesAndNoticeFieldsRTime3) {
  ExpectInvalid(Replace(kValid, R"("name": "元旦")", R"("name": "")"), "holidays[1].name");
  ExpectInvalid(Replace(kValid, "\"国办发明电〔2025〕7号\"", "\"\""), "notice.number");
}

TEST(ScheduleTest, ValidateCatchesSchedulesBuiltInCodeRTime3) {
  YearSchedule y;
  y.year = 2026;
  y.notice_number = "x";
  y.notice_title = "y";
  y.published = "2025-11-04";
  EXPECT_TRUE(ValidateYearSchedule(y).ok());
  y.holidays.push_back({"国庆节", D("2026-10-01"), D("2026-10-07")});
  y.workdays.push_back({D("2026-10-08"), "国庆节"});  // a Thursday
  core::Status st = ValidateYearSchedule(y);
  EXPECT_EQ(st.field(), "workdays[0].date");
  EXPECT_EQ(st.rule(), "R-TIME-3");
  y.workdays.clear();
  y.published = "soon";
  EXPECT_EQ(ValidateYearSchedule(y).field(), "notice.published");
}

}  // namespace
}  // namespace xietong::calendar
