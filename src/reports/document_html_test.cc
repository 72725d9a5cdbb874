#include "reports/document_html.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

namespace xietong::reports {
namespace {

namespace json = boost::json;

domain::Document Letter(const std::string& facts) {
  json::object s;
  s["kind"] = "referral_letter";
  s["number"] = "新城执移〔2026〕3号";
  s["title"] = "关于移送陈某某涉嫌占道经营案件的函";
  s["issuer"] = json::object{{"id", 3}, {"name", "新城镇综合行政执法办公室"}};
  s["addressee"] = json::object{{"id", 15}, {"name", "新兴县市场监督管理局"}};
  s["date"] = "2026年11月25日";
  s["township"] = "新城镇综合行政执法办公室";
  s["place"] = "东堤北路与解放路交叉口";
  s["discovered_date"] = "2026年11月24日";
  s["matter"] = json::object{{"code", "SCJG-001"}, {"name", "无证无照经营"}};
  s["facts"] = facts;
  s["party"] = json::object{{"name", "陈某某"}, {"id_type", "居民身份证"}, {"id_number", "4453**********1234"},
                            {"address", "新城镇解放路12号"}, {"phone", "138****0000"}};
  s["legal_basis"] = "《无证无照经营查处办法》第十三条";
  s["evidence"] = json::array{json::object{{"name", "现场检查笔录"}, {"description", "2页"}, {"file_name", "笔录.pdf"}},
                              json::object{{"name", "现场照片"}, {"description", ""}, {"file_name", "照片.jpg"}}};
  s["ongoing"] = true;
  s["dissuasion"] = json::object{{"at", "2026-11-24T10:05:00+08:00"}, {"note", "已当场劝阻，当事人停止经营"}};
  s["request"] = "现将该案件移送你单位，请依法处理，并在收到本函之日起5个工作日内将受理情况书面告知我单位。";
  s["contact"] = "陈志强";
  domain::Document d;
  d.id = 9;
  d.kind = domain::DocKind::kReferralLetter;
  d.number = "新城执移〔2026〕3号";
  d.org_id = 3;
  d.year = 2026;
  d.serial = 3;
  d.referral_id = 12;
  d.title = "关于移送陈某某涉嫌占道经营案件的函";
  d.snapshot = json::serialize(s);
  return d;
}

TEST(DocumentHtml, HasTheGbT9704Parts) {
  auto html = RenderDocumentHtml(Letter("当事人在人行道摆摊。"));
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  const std::string& h = *html;
  EXPECT_NE(h.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(h.find("size: A4"), std::string::npos);
  EXPECT_NE(h.find("margin: 37mm 26mm 35mm 28mm"), std::string::npos);
  // A referral letter takes the 信函格式: the organ's name without 「文件」, the red double rule.
  EXPECT_NE(h.find(">新城镇综合行政执法办公室</div>"), std::string::npos);  // red issuing-org mark
  EXPECT_EQ(h.find("新城镇综合行政执法办公室文件"), std::string::npos);
  EXPECT_NE(h.find("class=\"double\""), std::string::npos);
  EXPECT_NE(h.find("#d40000"), std::string::npos);
  EXPECT_NE(h.find("<p class=\"number\" style=\"text-indent:0\">新城执移〔2026〕3号</p>"), std::string::npos);
  EXPECT_EQ(h.find("class=\"rule\""), std::string::npos);  // the single rule is the 文件格式's
  EXPECT_NE(h.find("<h1>关于移送陈某某涉嫌占道经营案件的函</h1>"), std::string::npos);
  EXPECT_NE(h.find("<p class=\"addressee\">新兴县市场监督管理局：</p>"), std::string::npos);
  EXPECT_NE(h.find("2026年11月25日"), std::string::npos);
  EXPECT_NE(h.find("\"— \" counter(page) \" —\""), std::string::npos);
  EXPECT_NE(h.find("/referrals/12"), std::string::npos);
  EXPECT_NE(h.find(VerificationCode(Letter("当事人在人行道摆摊。"))), std::string::npos);
  EXPECT_NE(h.find("现场检查笔录"), std::string::npos);
  EXPECT_NE(h.find("劝阻"), std::string::npos);
}

TEST(DocumentHtml, EscapesEveryUserString) {
  auto html = RenderDocumentHtml(Letter("<script>alert('x')</script> & \"quoted\""));
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->find("<script>"), std::string::npos);
  EXPECT_NE(html->find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"),
            std::string::npos);
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(DocumentHtml, VerificationCodeFollowsTheContent) {
  domain::Document a = Letter("甲");
  domain::Document b = Letter("乙");
  EXPECT_EQ(VerificationCode(a), VerificationCode(Letter("甲")));
  EXPECT_NE(VerificationCode(a), VerificationCode(b));
  EXPECT_EQ(VerificationCode(a).size(), 14u);  // XXXX-XXXX-XXXX
  EXPECT_EQ(VerificationCode(a)[4], '-');
}

TEST(DocumentHtml, AcceptanceNotice) {
  json::object s;
  s["title"] = "关于陈某某涉嫌无证无照经营案件不予受理的告知书";
  s["issuer"] = json::object{{"id", 15}, {"name", "新兴县市场监督管理局"}};
  s["addressee"] = json::object{{"id", 3}, {"name", "新城镇综合行政执法办公室"}};
  s["date"] = "2026年11月26日";
  s["referral_title"] = "关于移送陈某某涉嫌无证无照经营案件的函";
  s["referral_number"] = "新城执移〔2026〕3号";
  s["received_date"] = "2026年11月25日";
  s["accepted"] = false;
  s["text"] = "该事项已划转<乡镇>实施";
  domain::Document d;
  d.kind = domain::DocKind::kAcceptanceNotice;
  d.number = "新市监受〔2026〕1号";
  d.referral_id = 12;
  d.snapshot = json::serialize(s);
  auto html = RenderDocumentHtml(d);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("不予受理"), std::string::npos);
  EXPECT_NE(html->find("（新城执移〔2026〕3号）"), std::string::npos);
  EXPECT_NE(html->find("&lt;乡镇&gt;"), std::string::npos);
  EXPECT_NE(html->find("新市监受〔2026〕1号"), std::string::npos);
}

// --- Collaborations (v4): the 执法协作函 and the 反馈意见书 (R-COL-1/2) ---
domain::Document Collab(domain::DocKind kind, json::object s) {
  s["issuer"] = json::object{{"id", 3}, {"name", "新城镇综合行政执法办公室"}};
  s["addressee"] = json::object{{"id", 15}, {"name", "新兴县市场监督管理局<b>"}};
  s["date"] = "2026年11月25日";
  s["collaboration_id"] = 12;
  domain::Document d;
  d.id = 21;
  d.kind = kind;
  d.number = kind == domain::DocKind::kCollaborationLetter ? "新城执协〔2026〕4号" : "新市监复〔2026〕1号";
  d.title = "关于涉案饮料是否过期的执法协作函";
  d.snapshot = json::serialize(s);
  return d;
}

TEST(DocumentHtml, CollaborationLetterAndAnswer) {
  json::object l;
  l["collab_kind_label"] = "技术鉴定";
  l["subject"] = "涉案饮料是否过期<script>";
  l["questions"] = "请鉴定12箱饮料是否超过保质期 & 是否变质";
  l["case_ref"] = "新城镇2026年第18号案";
  l["materials"] = json::array{json::object{{"name", "样品照片"}, {"description", "3张"}, {"file_name", "照片.pdf"}}};
  l["urgent"] = true;
  l["evidence_at_risk"] = true;
  l["request"] = "请你单位自收到本文书之日起3个工作日内书面反馈意见。";
  auto letter = RenderDocumentHtml(Collab(domain::DocKind::kCollaborationLetter, l));
  ASSERT_TRUE(letter.ok()) << letter.status().ToString();
  EXPECT_NE(letter->find("新城执协〔2026〕4号"), std::string::npos);
  EXPECT_NE(letter->find("进行技术鉴定"), std::string::npos);
  EXPECT_NE(letter->find("情况紧急且证据可能灭失"), std::string::npos);
  EXPECT_NE(letter->find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(letter->find("&amp; 是否变质"), std::string::npos);
  EXPECT_NE(letter->find("新兴县市场监督管理局&lt;b&gt;："), std::string::npos);
  EXPECT_EQ(letter->find("<script>"), std::string::npos);
  EXPECT_NE(letter->find("/collaborations/12"), std::string::npos);

  json::object a;
  a["subject"] = "涉案饮料是否过期";
  a["letter_number"] = "新城执协〔2026〕4号";
  a["received_date"] = "2026年11月23日";
  a["round"] = 2;
  a["questions"] = "请进一步说明依据";
  a["conclusion"] = "均已过期";
  a["text"] = "经检测<img src=x>，均已超过保质期。";
  auto answer = RenderDocumentHtml(Collab(domain::DocKind::kCollaborationAnswer, a));
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_NE(answer->find("（新城执协〔2026〕4号）已于2026年11月23日收悉"), std::string::npos);
  EXPECT_NE(answer->find("第2轮追问"), std::string::npos);
  EXPECT_NE(answer->find("均已过期"), std::string::npos);
  EXPECT_NE(answer->find("经检测&lt;img src=x&gt;"), std::string::npos);
  EXPECT_NE(answer->find("特此函复"), std::string::npos);
}

TEST(DocumentHtml, CorruptSnapshotIsAnError) {
  domain::Document d;
  d.snapshot = "not json";
  EXPECT_EQ(RenderDocumentHtml(d).status().code(), core::Code::kInternal);
}

// Writes the sample letter for a look in a browser when XT_DOC_SAMPLE names a file.
// R-DOC-1: the kinds the workflow engine issues with prepared text (coordination decisions,
// notices, replies, invitations, joint-action records) print their paragraphs and items, escaped.
domain::Document Decision() {
  json::object s;
  s["issuer"] = json::object{{"id", 1}, {"name", "中共新兴县委全面依法治县委员会办公室"}};
  s["addressee"] = json::object{{"id", 2}, {"name", "新城镇综合行政执法办公室、县市场监督管理局"}};
  s["title"] = "关于陈某某涉嫌无照经营案件移送的协调决定";
  s["date"] = "2026年12月7日";
  s["paragraphs"] = json::array{"新城镇移送县市场监督管理局的陈某某涉嫌无照经营案，申请本办协调。",
                                "经协调，决定：由接收单位受理。理由：<b>属其职责</b>。"};
  s["items"] = json::array{json::object{{"label", "执行单位"}, {"text", "县市场监督管理局"}}};
  domain::Document d;
  d.id = 9;
  d.kind = domain::DocKind::kCoordinationDecision;
  d.number = "依法治县调〔2026〕1号";
  d.org_id = 1;
  d.year = 2026;
  d.serial = 1;
  d.title = "关于陈某某涉嫌无照经营案件移送的协调决定";
  d.referral_id = 5;
  d.snapshot = json::serialize(s);
  return d;
}

TEST(DocumentHtml, PrintsTheParagraphsOfEngineIssuedKinds_R_DOC_1) {
  auto html = RenderDocumentHtml(Decision());
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_NE(html->find("依法治县调〔2026〕1号"), std::string::npos);
  EXPECT_NE(html->find("经协调，决定：由接收单位受理"), std::string::npos);
  EXPECT_NE(html->find("1．执行单位：县市场监督管理局"), std::string::npos);
  EXPECT_EQ(html->find("<b>属其职责</b>"), std::string::npos) << "text is escaped";
  EXPECT_NE(html->find("新城镇综合行政执法办公室、县市场监督管理局："), std::string::npos);
  if (const char* path = std::getenv("XT_DOC_SAMPLE_DECISION")) std::ofstream(path) << *html;
}

TEST(DocumentHtml, WritesASampleWhenAsked) {
  const char* path = std::getenv("XT_DOC_SAMPLE");
  if (!path) GTEST_SKIP() << "set XT_DOC_SAMPLE=/tmp/doc.html to write a sample";
  std::ofstream(path) << *RenderDocumentHtml(Letter(
      "2026年11月24日10时，执法人员巡查发现当事人在东堤北路与解放路交叉口人行道上摆设摊档销售水果，"
      "占用人行道约6平方米，未取得营业执照。执法人员当场制作现场检查笔录并拍照取证。<script>alert(1)</script>"));
}

}  // namespace
}  // namespace xietong::reports
