// The .xlsx writer (issue 14: an Excel file beside every CSV export): kinds inferred from our
// CSV, written by libxlsxwriter, read back with the import reader (service/xlsx_reader) and by
// looking at the sheet's XML parts (frozen pane, widths, autofilter, number formats).
#include "service/xlsx_writer.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <regex>
#include <string>
#include <vector>

#include "service/csv.h"
#include "service/xlsx_reader.h"

namespace xietong::service {
namespace {

using Kind = XlsxColumn::Kind;

// One part of the zip `bytes` ("" when absent).
std::string Part(const std::string& bytes, const std::string& name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  EXPECT_NE(src, nullptr);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  EXPECT_NE(z, nullptr);
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name.c_str(), 0)) {
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_discard(z);
  return out;
}

// The <c> element of cell `ref` in the sheet XML.
std::string Cell(const std::string& sheet_xml, const std::string& ref) {
  std::smatch m;
  if (std::regex_search(sheet_xml, m, std::regex("<c r=\"" + ref + "\"[^>]*>.*?</c>"))) return m.str();
  return "";
}

TEST(XlsxKind, InfersFromTheCells) {
  EXPECT_EQ(InferXlsxKind("决定日期", {"2026-11-25", "", "2026-02-28"}), Kind::kDate);
  EXPECT_EQ(InferXlsxKind("移送时间", {"2026-11-25 09:30:00", "2026-11-26 17:05:00"}), Kind::kDateTime);
  EXPECT_EQ(InferXlsxKind("期限", {"2026-11-25 09:30"}), Kind::kDateTime);
  EXPECT_EQ(InferXlsxKind("出勤人数", {"12", "0", "-3"}), Kind::kInteger);
  EXPECT_EQ(InferXlsxKind("金额", {"12", "1500.50"}), Kind::kNumber);
  EXPECT_EQ(InferXlsxKind("按时率", {"87.5%", "100%", ""}), Kind::kPercent);
  // Mixed, dates that are no day, and nothing at all stay text.
  EXPECT_EQ(InferXlsxKind("日期", {"2026-11-25", "2026-11-25 09:30"}), Kind::kText);
  EXPECT_EQ(InferXlsxKind("日期", {"2026-02-30"}), Kind::kText);
  EXPECT_EQ(InferXlsxKind("数量", {"12", "十二"}), Kind::kText);
  EXPECT_EQ(InferXlsxKind("备注", {"", ""}), Kind::kText);
  EXPECT_EQ(InferXlsxKind("比例", {"87.5%", "3"}), Kind::kText);
}

TEST(XlsxKind, CodesKeepEveryDigit) {
  EXPECT_EQ(InferXlsxKind("序号", {"1", "42", "9999"}), Kind::kInteger);      // an id is a number
  EXPECT_EQ(InferXlsxKind("序号", {"0451", "1"}), Kind::kText);               // a leading zero
  EXPECT_EQ(InferXlsxKind("区划", {"445321100000"}), Kind::kText);            // 12 digits: a code
  EXPECT_EQ(InferXlsxKind("联系方式", {"13800138000"}), Kind::kText);         // 11 digits: a phone
  EXPECT_EQ(InferXlsxKind("执法事项编码", {"3301", "3302"}), Kind::kText);    // the header names a code
  EXPECT_EQ(InferXlsxKind("文号", {"新市监移〔2026〕15号"}), Kind::kText);
  EXPECT_EQ(InferXlsxKind("金额", {"007.5"}), Kind::kText);
}

TEST(XlsxWidth, CjkCountsTwo) {
  EXPECT_EQ(XlsxTextWidth("abc"), 3);
  EXPECT_EQ(XlsxTextWidth("执法abc"), 7);
  EXPECT_EQ(XlsxTextWidth("〔2026〕"), 8);
  EXPECT_EQ(XlsxTextWidth(""), 0);
}

TEST(XlsxSheetName, MadeValidAndUnique) {
  std::vector<std::string> taken;
  EXPECT_EQ(XlsxSheetName("a/b:c*d?e[f]g\\h", taken), "a_b_c_d_e_f_g_h");
  EXPECT_EQ(XlsxSheetName("'按时率'", taken), "按时率");
  EXPECT_EQ(XlsxSheetName("按时率", taken), "按时率 (2)");
  EXPECT_EQ(XlsxSheetName("", taken), "Sheet4");
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "协";
  std::string expect31;
  for (int i = 0; i < 31; ++i) expect31 += "协";
  EXPECT_EQ(XlsxSheetName(long_name, taken), expect31);
  std::string expect27;
  for (int i = 0; i < 27; ++i) expect27 += "协";
  EXPECT_EQ(XlsxSheetName(long_name, taken), expect27 + " (2)");  // still ≤ 31
  EXPECT_EQ(XlsxSheetName("History", taken), "History (2)");       // Excel reserves it
}

TEST(XlsxWriter, CsvRoundTripKeepsTypes) {
  std::string csv(kCsvBom);
  csv += CsvRow({"文号", "决定日期", "移送时间", "出勤人数", "罚没款金额（元）", "按时率", "区划", "备注"});
  csv += CsvRow({"新市监移〔2026〕15号", "2026-11-25", "2026-11-25 09:30:00", "12", "1500.5", "87.5%",
                 "445321100000", "=SUM(A1)"});
  csv += CsvRow({"", "2026-02-28", "", "0", "3", "100%", "0451", "a,\"b\"\nc"});
  auto bytes = WorkbookFromCsv({{"案件移送", csv}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ASSERT_TRUE(LooksLikeZip(*bytes));

  auto rows = ReadXlsxFirstSheet(*bytes);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields,
            (std::vector<std::string>{"文号", "决定日期", "移送时间", "出勤人数", "罚没款金额（元）", "按时率", "区划", "备注"}));
  // The reader shows a date-formatted number as its day; numbers as numbers; text as given
  // (the CSV's formula guard is gone: a text cell is never a formula).
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"新市监移〔2026〕15号", "2026-11-25", "2026-11-25", "12",
                                                         "1500.5", "0.875", "445321100000", "=SUM(A1)"}));
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"", "2026-02-28", "", "0", "3", "1", "0451", "a,\"b\"\nc"}));

  const std::string sheet = Part(*bytes, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  // The header row is frozen and filtered.
  EXPECT_NE(sheet.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"),
            std::string::npos)
      << sheet;
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:H3\"/>"), std::string::npos);
  // Real dates: serial numbers (2026-11-25 = 46351, 09:30 = 0.395833…), not strings.
  EXPECT_NE(Cell(sheet, "B2").find("<v>46351</v>"), std::string::npos) << Cell(sheet, "B2");
  EXPECT_EQ(Cell(sheet, "B2").find("t=\"s\""), std::string::npos);
  EXPECT_NE(Cell(sheet, "C2").find("<v>46351.39583"), std::string::npos) << Cell(sheet, "C2");
  EXPECT_NE(Cell(sheet, "D2").find("<v>12</v>"), std::string::npos);
  EXPECT_NE(Cell(sheet, "E2").find("<v>1500.5</v>"), std::string::npos);
  EXPECT_NE(Cell(sheet, "F2").find("<v>0.875</v>"), std::string::npos);
  // Codes stay text (shared strings).
  EXPECT_NE(Cell(sheet, "G2").find("t=\"s\""), std::string::npos);
  EXPECT_NE(Cell(sheet, "G3").find("t=\"s\""), std::string::npos);
  EXPECT_NE(Cell(sheet, "H2").find("t=\"s\""), std::string::npos);
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);  // no formula anywhere
  // Widths from the content: 文号 holds "新市监移〔2026〕15号" (width 20) + 2.
  EXPECT_NE(sheet.find("<col min=\"1\" max=\"1\" width=\"22.7109375\" customWidth=\"1\"/>"), std::string::npos)
      << sheet.substr(0, 1200);
  // The number formats of the date, date-time, number and percent columns.
  const std::string styles = Part(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd\""), std::string::npos) << styles;
  EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd hh:mm:ss\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"0.0\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"0.0%\""), std::string::npos);
  EXPECT_NE(Part(*bytes, "xl/workbook.xml").find("name=\"案件移送\""), std::string::npos);
}

TEST(XlsxWriter, OneSheetPerCsvWithValidNames) {
  std::string a = std::string(kCsvBom) + "单位,按时率\r\n新城镇,90%\r\n";
  std::string b = "指标,数值\r\n移送,3\r\n";  // no BOM is fine too
  auto bytes = WorkbookFromCsv({{"按时率/期限", a}, {"按时率/期限", b}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  const std::string wb = Part(*bytes, "xl/workbook.xml");
  EXPECT_NE(wb.find("name=\"按时率_期限\""), std::string::npos) << wb;
  EXPECT_NE(wb.find("name=\"按时率_期限 (2)\""), std::string::npos) << wb;
  EXPECT_NE(Part(*bytes, "xl/worksheets/sheet2.xml").find("<v>3</v>"), std::string::npos);
}

TEST(XlsxWriter, TypedColumnsAndFallbackToText) {
  XlsxSheet s;
  s.name = "数据";
  s.columns = {{"日期", Kind::kDate, 0}, {"数量", Kind::kInteger, 30}};
  s.rows = {{"2026-11-25", "7"}, {"不详", "七"}};  // cells that are no date / number become text
  auto bytes = WriteWorkbook({s});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  const std::string sheet = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(Cell(sheet, "A2").find("<v>46351</v>"), std::string::npos);
  EXPECT_NE(Cell(sheet, "A3").find("t=\"s\""), std::string::npos);
  EXPECT_NE(Cell(sheet, "B3").find("t=\"s\""), std::string::npos);
  EXPECT_NE(sheet.find("<col min=\"2\" max=\"2\" width=\"30.7109375\" customWidth=\"1\"/>"), std::string::npos)
      << sheet.substr(0, 1200);
  auto rows = ReadXlsxFirstSheet(*bytes);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"不详", "七"}));
}

TEST(XlsxWriter, EmptyAndBadInput) {
  auto empty = WriteWorkbook({});
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(Part(*empty, "xl/workbook.xml").find("<sheet "), std::string::npos);
  auto header_only = WorkbookFromCsv({{"空", std::string(kCsvBom) + "文号,标题\r\n"}});
  ASSERT_TRUE(header_only.ok());
  auto rows = ReadXlsxFirstSheet(*header_only);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  auto bad = WorkbookFromCsv({{"坏", "a,\"b\r\n"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "csv");
}

}  // namespace
}  // namespace xietong::service

namespace xietong::service {
namespace {

// An export's row limit (kMaxExportRows): every row arrives, the last one intact.
TEST(XlsxWriter, TenThousandRows) {
  std::string csv(kCsvBom);
  csv += CsvRow({"文号", "标题", "起草时间", "数量"});
  for (int i = 1; i <= kMaxExportRows; ++i) {
    csv += CsvRow({"新城执移〔2026〕" + std::to_string(i) + "号", "关于第" + std::to_string(i) + "宗案件的移送",
                   "2026-11-25 09:30:00", std::to_string(i)});
  }
  auto bytes = WorkbookFromCsv({{"案件移送", csv}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto rows = ReadXlsxFirstSheet(*bytes, kMaxExportRows + 1);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), static_cast<size_t>(kMaxExportRows + 1));
  EXPECT_EQ(rows->back().fields,
            (std::vector<std::string>{"新城执移〔2026〕10000号", "关于第10000宗案件的移送", "2026-11-25", "10000"}));
}

}  // namespace
}  // namespace xietong::service
