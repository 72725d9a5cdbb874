#include "reports/document_html.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "domain/audit.h"
#include "reports/document_model.h"

namespace xietong::reports {

namespace {


// GB/T 9704-2012: A4, top margin 37 mm, binding (left) margin 28 mm, text block 156 × 225 mm
// (so right 26 mm, bottom 35 mm); body 3号 (16 pt) with 22 lines per page (line pitch
// 225 mm / 22 ≈ 28.95 pt); title 2号 (22 pt); page numbers 4号 (14 pt), "— 1 —", outside
// corners (odd pages right, even pages left).
constexpr char kStyle[] = R"css(
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font: 14pt "Noto Serif CJK SC", serif; margin-right: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font: 14pt "Noto Serif CJK SC", serif; margin-left: 7mm; } }
* { box-sizing: border-box; }
html { background: #e9e9e9; }
body { margin: 0; color: #000; font-family: "FangSong", "仿宋", "STFangsong", "FangSong_GB2312", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.95pt; }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 4mm rgba(0,0,0,.15); position: relative; }
.mark { color: #d40000; text-align: center; font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: 900; line-height: 1.2; white-space: nowrap; margin: 0 0 12mm; }
.number { text-align: center; margin: 0; }
.rule { border: 0; border-top: 1.2mm solid #d40000; margin: 4mm 0 0; }
/* 信函格式 (GB/T 9704 §10.1): the organ's name, a red double rule (thick over thin) over 170 mm,
   the number flush right under it. */
.letter .mark { margin: -7mm 0 3mm; }
.letter .double { border: 0; height: 2.2mm; margin: 0 -7mm; border-top: 0.8mm solid #d40000; border-bottom: 0.3mm solid #d40000; }
.letter .number { text-align: right; margin-top: 3mm; }
.verify img { float: left; width: 22mm; height: 22mm; margin-right: 4mm; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "Noto Serif CJK SC", serif; font-weight: 700; font-size: 22pt; line-height: 1.5; text-align: center; margin: 28.95pt 0; }
.addressee { margin: 0; text-indent: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
.heading { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; }
.keep { white-space: pre-wrap; }
.signature { margin-top: 28.95pt; text-align: right; padding-right: 4em; }
.signature p { text-indent: 0; text-align: right; }
.verify { margin-top: 20mm; font-size: 10.5pt; line-height: 1.6; color: #333; border-top: 1px solid #999; padding-top: 3mm; text-indent: 0; }
.verify code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 12pt; letter-spacing: 1pt; }
.screen-page { position: absolute; bottom: 15mm; right: 33mm; font-size: 14pt; font-family: "Noto Serif CJK SC", serif; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  .screen-page { display: none; }
}
)css";

std::string E(std::string_view s) { return HtmlEscape(s); }

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string VerificationCode(const domain::Document& doc) {
  std::string hex = domain::Sha256Hex(doc.snapshot).substr(0, 12);
  std::string out;
  for (size_t i = 0; i < hex.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  }
  return out;
}

core::Result<std::string> RenderDocumentHtml(const domain::Document& doc, std::string_view origin,
                                             const PrintMarks& marks) {
  XT_ASSIGN_OR_RETURN(DocumentModel m, BuildDocumentModel(doc, origin));
  const bool letter = m.layout == DocLayout::kLetter;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + E(m.number) + " " + E(m.title) + "</title>\n";
  h += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main class=\"sheet" +
       std::string(letter ? " letter" : " file") + "\">\n";
  // The mark fits the 156 mm text block on one line (GB/T 9704 §7.2.3: centred, red).
  size_t chars = 0;
  for (unsigned char c : m.mark)
    if ((c & 0xC0) != 0x80) ++chars;
  const double mm = chars == 0 ? 15.0 : std::min(letter ? 12.0 : 15.0, 150.0 / static_cast<double>(chars));
  char size[32];
  std::snprintf(size, sizeof size, "%.1fmm", mm);
  h += "<div class=\"mark\" style=\"font-size:" + std::string(size) + "\">" + E(m.mark) + "</div>\n";
  if (letter) {
    h += "<hr class=\"double\">\n";
    h += "<p class=\"number\" style=\"text-indent:0\">" + E(m.number) + "</p>\n";
  } else {
    h += "<p class=\"number\" style=\"text-indent:0\">" + E(m.number) + "</p>\n";
    h += "<hr class=\"rule\">\n";
  }
  h += "<h1>" + E(m.title) + "</h1>\n";
  h += "<p class=\"addressee\">" + E(m.addressee) + "：</p>\n";
  for (const Block& b : m.body) {
    h += b.keep ? "<p class=\"keep\">" : "<p>";
    if (!b.heading.empty()) h += "<span class=\"heading\">" + E(b.heading) + "</span>";
    h += E(b.text) + "</p>\n";
  }
  h += "<div class=\"signature\">\n<p>" + E(m.issuer) + "</p>\n<p>" + E(m.date) + "</p>\n</div>\n";
  const std::string code = marks.code.empty() ? VerificationCode(doc) : marks.code;
  h += "<p class=\"verify\">核验码：<code>" + E(code) + "</code>　";
  if (!marks.verify_url.empty()) {
    h += "核验网址：<a href=\"" + E(marks.verify_url) + "\">" + E(marks.verify_url) + "</a>　";
  }
  if (!m.record.empty()) {
    h += "核验地址：<a href=\"" + E(m.record) + "\">" + E(m.record) + "</a>";
  }
  h += "<br>本文书由县行政执法协同平台生成，凭核验码可在核验网址查验文书编号、发文机关、日期及内容摘要。</p>\n";
  h += "<div class=\"screen-page\">— 1 —</div>\n";
  h += "</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace xietong::reports
