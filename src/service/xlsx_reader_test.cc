// The .xlsx reader (R-INF-2 imports): a workbook built here with libzip, read back.
#include "service/xlsx_reader.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <map>
#include <string>

namespace xietong::service {
namespace {

// A zip of `parts` in memory (libzip writes it to a temporary file we read back).
std::string Zip(const std::map<std::string, std::string>& parts) {
  char path[] = "/tmp/xlsx_reader_testXXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  int err = 0;
  zip_t* z = zip_open(path, ZIP_TRUNCATE | ZIP_CREATE, &err);
  EXPECT_NE(z, nullptr);
  for (const auto& [name, body] : parts) {
    zip_source_t* s = zip_source_buffer(z, body.data(), body.size(), 0);
    EXPECT_GE(zip_file_add(z, name.c_str(), s, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  std::string out;
  FILE* f = std::fopen(path, "rb");
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  std::remove(path);
  return out;
}

std::map<std::string, std::string> Workbook(const std::string& sheet_data, bool date1904 = false) {
  return {
      {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"xl/workbook.xml",
       std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
                   "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">") +
           (date1904 ? "<workbookPr date1904=\"1\"/>" : "") +
           "<sheets><sheet name=\"审批\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"二\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId8\" Type=\"x\" Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId7\" Type=\"x\" Target=\"worksheets/data.xml\"/></Relationships>"},
      {"xl/sharedStrings.xml",
       "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
       "<si><t>行政相对人名称</t></si><si><r><t>新城</t></r><r><t xml:space=\"preserve\">镇 A&amp;B</t></r>"
       "<rPh><t>しんじょう</t></rPh></si><si><t>许可决定日期</t></si></sst>"},
      {"xl/styles.xml",
       "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
       "<numFmts count=\"1\"><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
       "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs>"
       "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"176\"/><xf numFmtId=\"2\"/></cellXfs></styleSheet>"},
      {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>"},
      {"xl/worksheets/data.xml",
       "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
           sheet_data + "</sheetData></worksheet>"},
  };
}

TEST(XlsxReader, ReadsStringsNumbersAndDatesOfTheFirstSheet_R_INF_2) {
  const std::string xlsx = Zip(Workbook(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\"><v>91330100123</v></c>"
      "<c r=\"C3\" s=\"1\"><v>46351</v></c><c r=\"D3\" s=\"2\"><v>45658.75</v></c>"
      "<c r=\"E3\" s=\"3\"><v>2.5</v></c><c r=\"F3\" t=\"inlineStr\"><is><t>内联</t></is></c>"
      "<c r=\"G3\" t=\"b\"><v>1</v></c><c r=\"H3\" t=\"str\"><f>A3</f><v>公式</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" s=\"1\"/></row>"));
  auto rows = ReadXlsxFirstSheet(xlsx);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);  // row 4 is empty
  EXPECT_EQ((*rows)[0].line, 1);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"行政相对人名称", "", "许可决定日期"}));
  EXPECT_EQ((*rows)[1].line, 3);
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"新城镇 A&B", "91330100123", "2026-11-25", "2025-01-01",
                                                         "2.5", "内联", "TRUE", "公式"}));
}

TEST(XlsxReader, Date1904System_R_INF_2) {
  auto rows = ReadXlsxFirstSheet(Zip(Workbook("<row r=\"2\"><c r=\"B2\" s=\"1\"><v>44889</v></c></row>", true)));
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"", "2026-11-25"}));
  EXPECT_EQ(ExcelSerialDate(1, false), "1900-01-01");
  EXPECT_EQ(ExcelSerialDate(61, false), "1900-03-01");
  EXPECT_EQ(ExcelSerialDate(0, true), "1904-01-01");
}

TEST(XlsxReader, RefusesWhatIsNoWorkbook_R_INF_2) {
  auto garbage = ReadXlsxFirstSheet("holder,credit\r\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().field(), "body");
  EXPECT_EQ(garbage.status().code(), core::Code::kInvalidArgument);
  // A zip, but no workbook.
  auto zip = ReadXlsxFirstSheet(Zip({{"a.txt", "hello"}}));
  ASSERT_FALSE(zip.ok());
  EXPECT_NE(zip.status().message().find("workbook"), std::string::npos);
  // A truncated zip.
  std::string cut = Zip(Workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"));
  cut.resize(cut.size() / 2);
  EXPECT_FALSE(ReadXlsxFirstSheet(cut).ok());
  // Broken XML in the sheet.
  auto bad = ReadXlsxFirstSheet(Zip(Workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></row>")));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "body");
  // Too many rows.
  auto many = ReadXlsxFirstSheet(
      Zip(Workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>")), 1);
  EXPECT_FALSE(many.ok());
}

TEST(XlsxReader, ContentTypeAndMagic_R_INF_2) {
  EXPECT_TRUE(IsXlsxContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
  EXPECT_TRUE(IsXlsxContentType("Application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; charset=binary"));
  EXPECT_FALSE(IsXlsxContentType("text/csv"));
  EXPECT_TRUE(LooksLikeZip(std::string("PK\x03\x04rest", 8)));
  EXPECT_FALSE(LooksLikeZip("PK"));
}

}  // namespace
}  // namespace xietong::service
