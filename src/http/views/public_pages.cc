#include "http/views/public_pages.h"

#include "domain/public_notice.h"
#include "http/views/coord_items.h"

namespace xietong::http::views {

namespace json = boost::json;

namespace {

std::string E(std::string_view s) {
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

// "2026-11-25T09:30:00+08:00" → "2026年11月25日".
std::string DayZh(const std::string& rfc) {
  if (rfc.size() < 10) return rfc;
  auto num = [&](size_t pos, size_t len) {
    std::string s = rfc.substr(pos, len);
    while (s.size() > 1 && s[0] == '0') s.erase(0, 1);
    return s;
  };
  return num(0, 4) + "年" + num(5, 2) + "月" + num(8, 2) + "日";
}

constexpr char kStyle[] = R"css(
body { margin: 0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1f2329; background: #f5f6f7; line-height: 1.7; }
header { background: #b50000; color: #fff; padding: 14px 24px; }
header a { color: #fff; text-decoration: none; font-size: 20px; font-weight: 700; }
main { max-width: 860px; margin: 24px auto; background: #fff; padding: 24px 32px; border-radius: 4px; }
h1 { font-size: 24px; margin: 0 0 16px; }
.meta { color: #646a73; font-size: 14px; margin-bottom: 16px; }
.kind { display: inline-block; border: 1px solid #b50000; color: #b50000; border-radius: 3px; padding: 0 6px; font-size: 13px; margin-right: 8px; }
ul.list { list-style: none; padding: 0; margin: 0; }
ul.list li { border-bottom: 1px solid #eee; padding: 12px 0; }
ul.list a { font-size: 17px; color: #1f2329; text-decoration: none; }
ul.list a:hover { color: #b50000; }
.body p { text-indent: 2em; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #dee0e3; padding: 8px 12px; text-align: left; vertical-align: top; }
th { width: 9em; background: #f5f6f7; font-weight: 500; }
code { font-family: "Noto Sans Mono CJK SC", monospace; word-break: break-all; }
.ok { color: #1a7f37; font-weight: 700; font-size: 18px; margin-bottom: 12px; }
.bad { color: #b50000; font-weight: 700; font-size: 18px; }
form.verify { margin-bottom: 20px; padding: 12px 16px; background: #fbf3f3; border-radius: 4px; }
form.verify input { width: 16em; padding: 4px 8px; font-size: 15px; }
form.verify button { padding: 4px 16px; font-size: 15px; }
footer { text-align: center; color: #8f959e; font-size: 13px; margin: 24px 0; }
)css";

std::string Page(const std::string& title, const std::string& inner) {
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         E(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" +
         "<header><a href=\"/public\">行政执法协同平台 · 公开信息</a></header>\n<main>\n" + inner +
         "</main>\n<footer>本页面向社会公开，无需登录。</footer>\n</body>\n</html>\n";
}

}  // namespace

json::object PublicNoticeJson(const service::CoordItemView& v) {
  json::object o = CoordItemJson(v);
  o["state"] = domain::ItemStateName(domain::PublicNoticeTable(), v.item.state);
  o["state_label"] = domain::ItemStateLabel(domain::PublicNoticeTable(), v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

json::object PublicNoticeListJson(const service::CoordItemList& l) {
  json::array items;
  for (const auto& v : l.items) items.push_back(PublicNoticeJson(v));
  return json::object{{"items", std::move(items)}, {"total", l.total}};
}

json::object PublishedNoticeJson(const service::PublishedNotice& n) {
  return json::object{{"id", n.id},
                      {"kind", n.kind},
                      {"kind_label", n.kind_label},
                      {"title", n.title},
                      {"body", n.body},
                      {"issuer", n.issuer},
                      {"published_at", n.published_at}};
}

json::object PublishedNoticeListJson(const std::vector<service::PublishedNotice>& l, int64_t total) {
  json::array items;
  for (const auto& n : l) items.push_back(PublishedNoticeJson(n));
  return json::object{{"items", std::move(items)}, {"total", total}};
}

json::object VerifiedDocumentJson(const service::VerifiedDocument& v) {
  return json::object{{"valid", true},
                      {"code", v.code},
                      {"number", v.number},
                      {"kind", v.kind},
                      {"kind_label", v.kind_label},
                      {"issuer", v.issuer},
                      {"date", v.date},
                      {"issued_at", v.issued_at},
                      {"sha256", v.sha256}};
}

std::string VerifyPageHtml(const service::VerifiedDocument& v) {
  std::string h = "<h1>文书核验</h1>\n<div class=\"ok\">✓ 核验通过：本平台签发过以下文书</div>\n<table>\n";
  h += "<tr><th>核验码</th><td><code>" + E(v.code) + "</code></td></tr>\n";
  h += "<tr><th>文书编号</th><td>" + E(v.number) + "</td></tr>\n";
  h += "<tr><th>文书种类</th><td>" + E(v.kind_label) + "</td></tr>\n";
  h += "<tr><th>发文机关</th><td>" + E(v.issuer) + "</td></tr>\n";
  h += "<tr><th>成文日期</th><td>" + E(v.date) + "</td></tr>\n";
  h += "<tr><th>内容摘要（SHA-256）</th><td><code>" + E(v.sha256) + "</code></td></tr>\n";
  h += "</table>\n<p class=\"meta\">请核对纸质文书上的编号、发文机关和日期与上表一致。内容摘要为平台存档文书内容的 "
       "SHA-256 值，可用于核对电子文本是否被改动。本页不显示文书正文及当事人信息。</p>\n";
  return Page("文书核验 " + v.number, h);
}

std::string PublicListHtml(const std::vector<service::PublishedNotice>& l, int64_t total, int page,
                           int page_size) {
  std::string h =
      "<form class=\"verify\" action=\"/verify\" method=\"get\"><label>文书核验：<input name=\"code\" "
      "placeholder=\"输入纸质文书上的核验码\" maxlength=\"40\" required></label> <button type=\"submit\">核验</button></form>\n";
  h += "<h1>公开信息</h1>\n<p class=\"meta\">普法宣传与执法公告，共 " + std::to_string(total) + " 条</p>\n";
  if (l.empty()) h += "<p>暂无公开信息。</p>\n";
  h += "<ul class=\"list\">\n";
  for (const auto& n : l) {
    h += "<li><span class=\"kind\">" + E(n.kind_label) + "</span><a href=\"/public/" + std::to_string(n.id) +
         "\">" + E(n.title) + "</a><div class=\"meta\">" + E(n.issuer) + "　" + E(DayZh(n.published_at)) +
         "</div></li>\n";
  }
  h += "</ul>\n";
  if (page > 1) h += "<a href=\"/public?page=" + std::to_string(page - 1) + "\">上一页</a>　";
  if (static_cast<int64_t>(page) * page_size < total) {
    h += "<a href=\"/public?page=" + std::to_string(page + 1) + "\">下一页</a>";
  }
  return Page("公开信息", h);
}

std::string PublicNoticeHtml(const service::PublishedNotice& n) {
  std::string h = "<h1>" + E(n.title) + "</h1>\n<div class=\"meta\"><span class=\"kind\">" + E(n.kind_label) +
                  "</span>" + E(n.issuer) + "　发布日期：" + E(DayZh(n.published_at)) + "</div>\n<div class=\"body\">\n";
  size_t start = 0;
  while (start <= n.body.size()) {
    size_t end = n.body.find('\n', start);
    if (end == std::string::npos) end = n.body.size();
    std::string para = n.body.substr(start, end - start);
    if (!para.empty() && para.back() == '\r') para.pop_back();
    if (!para.empty()) h += "<p>" + E(para) + "</p>\n";
    start = end + 1;
  }
  h += "</div>\n<p><a href=\"/public\">返回公开信息列表</a></p>\n";
  return Page(n.title, h);
}

std::string PublicNotFoundHtml(const std::string& message) {
  return Page("未找到", "<h1>未找到</h1>\n<p class=\"bad\">" + E(message) + "</p>\n<p><a href=\"/public\">返回公开信息列表</a></p>\n");
}

}  // namespace xietong::http::views
