#include "reports/document_html.h"
#include "domain/wording.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "domain/audit.h"

namespace xietong::reports {

namespace json = boost::json;

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

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->as_string());
}

bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

const json::object& Obj(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? v->as_object() : kEmpty;
}

std::string E(std::string_view s) { return HtmlEscape(s); }

// A paragraph with the body text kept as written (line breaks preserved, escaped).
std::string Para(std::string_view html_inner, bool keep = false) {
  return std::string(keep ? "<p class=\"keep\">" : "<p>") + std::string(html_inner) + "</p>\n";
}

// "2026-11-24T10:00:00+08:00" → "2026年11月24日10时00分".
std::string InstantZh(const std::string& rfc) {
  if (rfc.size() < 16) return rfc;
  auto num = [&](size_t pos, size_t len) {
    std::string s = rfc.substr(pos, len);
    while (s.size() > 1 && s[0] == '0') s.erase(0, 1);
    return s;
  };
  return num(0, 4) + "年" + num(5, 2) + "月" + num(8, 2) + "日" + rfc.substr(11, 2) + "时" +
         rfc.substr(14, 2) + "分";
}

std::string LetterBody(const json::object& s) {
  std::string b;
  const json::object& party = Obj(s, "party");
  const std::string party_name = Str(party, "name").empty() ? "当事人" : Str(party, "name");
  const json::object& matter = Obj(s, "matter");
  // The place usually starts with the township already (「新城镇建设路12号」): never
  // 「新城镇新城镇建设路12号」 (issue 17 defect 10).
  const std::string township = Str(s, "township");
  const std::string place = Str(s, "place");
  const std::string where = place.starts_with(township) ? place : township + place;
  b += Para("我单位于" + E(Str(s, "discovered_date")) + "在" + E(where) + "发现" + E(party_name) + "涉嫌" + E(Str(matter, "name")) +
            "（事项编码：" + E(Str(matter, "code")) +
            "）。经审查，该违法行为属于你单位管辖，有关情况如下：");
  b += Para("<span class=\"heading\">一、违法事实</span>");
  b += Para(E(Str(s, "facts")), true);
  b += Para("<span class=\"heading\">二、当事人基本情况</span>");
  std::string who = "当事人：" + E(party_name);
  if (!Str(party, "id_type").empty() || !Str(party, "id_number").empty()) {
    who += "；" + E(Str(party, "id_type").empty() ? "证件号码" : Str(party, "id_type")) + "：" +
           E(Str(party, "id_number"));
  }
  if (!Str(party, "address").empty()) who += "；住所：" + E(Str(party, "address"));
  if (!Str(party, "phone").empty()) who += "；联系电话：" + E(Str(party, "phone"));
  b += Para(who + "。");
  b += Para("<span class=\"heading\">三、证据材料</span>");
  int n = 0;
  if (const json::value* ev = s.if_contains("evidence"); ev && ev->is_array()) {
    for (const auto& item : ev->as_array()) {
      if (!item.is_object()) continue;
      const json::object& e = item.as_object();
      std::string line = std::to_string(++n) + ". " + E(Str(e, "name"));
      if (!Str(e, "description").empty()) line += "（" + E(Str(e, "description")) + "）";
      if (!Str(e, "file_name").empty()) line += "，附件：" + E(Str(e, "file_name"));
      b += Para(line + "；");
    }
  }
  if (n == 0) b += Para("无。");
  b += Para("<span class=\"heading\">四、法律依据</span>");
  b += Para(E(Str(s, "legal_basis")), true);
  if (Bool(s, "ongoing")) {
    const json::object& d = Obj(s, "dissuasion");
    b += Para("<span class=\"heading\">五、劝阻情况</span>");
    b += Para("该违法行为发现时正在进行。我单位执法人员已于" + E(InstantZh(Str(d, "at"))) +
              "当场劝阻当事人停止违法行为：" + E(Str(d, "note")));
  }
  if (Bool(s, "urgent")) b += Para("本案情况紧急，请即办理。");
  b += Para(E(Str(s, "request")));
  if (!Str(s, "contact").empty()) b += Para("联系人：" + E(Str(s, "contact")) + "。");
  return b;
}

std::string NoticeBody(const json::object& s) {
  std::string b;
  std::string ref = "《" + E(Str(s, "referral_title")) + "》";
  if (!Str(s, "referral_number").empty()) ref += "（" + E(Str(s, "referral_number")) + "）";
  b += Para("你单位" + ref + "及所附证据材料已于" + E(Str(s, "received_date")) + "收悉。");
  if (Bool(s, "accepted")) {
    b += Para("经审查，该案件属于本单位管辖，本单位决定予以受理，并将依法查处，办理结果另行反馈。");
    if (!Str(s, "text").empty()) b += Para("说明：" + E(Str(s, "text")), true);
  } else {
    b += Para("经审查，本单位决定不予受理，理由如下：");
    b += Para(E(Str(s, "text")), true);
    b += Para("你单位如有异议，可以提请县委依法治县办协调。");
  }
  b += Para("特此告知。");
  if (!Str(s, "contact").empty()) b += Para("联系人：" + E(Str(s, "contact")) + "。");
  return b;
}

// 执法协作文书 (R-COL-1): the township asks the department (kCollaborationLetter).
std::string CollaborationLetterBody(const json::object& s) {
  std::string b;
  std::string kind = Str(s, "collab_kind_label");
  std::string purpose = kind == "认定" ? "予以认定" : kind == "技术鉴定" ? "进行技术鉴定" : "提供咨询意见";
  b += Para("我单位在办理" + E(Str(s, "case_ref")) + "过程中，需你单位就以下事项" + E(purpose) +
            "（事由：" + E(Str(s, "subject")) + "）。根据《关于建立乡镇（街道）与县直部门行政执法"
            "案件移送及协调协作机制的意见》，现提出执法协作请求，有关情况如下：");
  b += Para("<span class=\"heading\">一、协作事项</span>");
  b += Para(E(Str(s, "questions")), true);
  b += Para("<span class=\"heading\">二、相关材料</span>");
  int n = 0;
  if (const json::value* ms = s.if_contains("materials"); ms && ms->is_array()) {
    for (const auto& item : ms->as_array()) {
      if (!item.is_object()) continue;
      const json::object& m = item.as_object();
      std::string line = std::to_string(++n) + ". " + E(Str(m, "name"));
      if (!Str(m, "description").empty()) line += "（" + E(Str(m, "description")) + "）";
      if (!Str(m, "file_name").empty()) line += "，附件：" + E(Str(m, "file_name"));
      b += Para(line + "；");
    }
  }
  if (n == 0) b += Para("无。");
  if (Bool(s, "urgent") || Bool(s, "evidence_at_risk")) {
    b += Para(std::string("本事项") + (Bool(s, "urgent") ? "情况紧急" : "") +
              (Bool(s, "urgent") && Bool(s, "evidence_at_risk") ? "且" : "") +
              (Bool(s, "evidence_at_risk") ? "证据可能灭失" : "") + "。");
  }
  b += Para(E(Str(s, "request")));
  if (!Str(s, "contact").empty()) b += Para("联系人：" + E(Str(s, "contact")) + "。");
  return b;
}

// 执法协作反馈意见书 (R-COL-2): the department's written answer (kCollaborationAnswer).
std::string CollaborationAnswerBody(const json::object& s) {
  std::string b;
  std::string ref = E(domain::About(Str(s, "subject"))) + "的执法协作函";
  if (!Str(s, "letter_number").empty()) ref += "（" + E(Str(s, "letter_number")) + "）";
  b += Para("你单位" + ref + "已于" + E(Str(s, "received_date")) + "收悉。经研究，现反馈意见如下：");
  const json::value* round = s.if_contains("round");
  if (round && round->is_int64() && round->as_int64() > 1) {
    b += Para("<span class=\"heading\">（第" + std::to_string(round->as_int64()) + "轮追问）</span>" +
              E(Str(s, "questions")), true);
  }
  b += Para("<span class=\"heading\">一、结论</span>");
  b += Para(E(Str(s, "conclusion")), true);
  b += Para("<span class=\"heading\">二、意见及依据</span>");
  b += Para(E(Str(s, "text")), true);
  b += Para("特此函复。");
  if (!Str(s, "contact").empty()) b += Para("联系人：" + E(Str(s, "contact")) + "。");
  return b;
}

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

namespace {

// --- Notices, meetings, participation, violation notices (R-COL-6..8) ---
std::string ParticipationNoticeBody(const json::object& s) {
  std::string b;
  b += Para("根据工作需要，我单位拟于" + E(InstantZh(Str(s, "start_at"))) + "在" + E(Str(s, "place")) +
            "开展" + E(Str(s, "work")) + "工作（" + E(Str(s, "subject")) + "），请你单位派员参加。");
  if (!Str(s, "details").empty()) b += Para(E(Str(s, "details")), true);
  const json::object& phone = Obj(s, "phone_notice");
  if (!Str(phone, "called_at").empty()) {
    b += Para("因情况紧急，已于" + E(InstantZh(Str(phone, "called_at"))) + "由" + E(Str(phone, "caller")) +
              "电话告知" + E(Str(phone, "callee")) + "，现补办书面告知手续。");
  }
  b += Para("请收到本告知书后确认参加人员。");
  return b;
}

std::string ViolationNoticeBody(const json::object& s) {
  std::string b;
  b += Para("我单位在执法过程中于" + E(InstantZh(Str(s, "found_at"))) + "在" + E(Str(s, "place")) +
            "发现涉及你单位管辖的" + E(Str(s, "category")) + "违法行为，现通知如下：");
  b += Para(E(Str(s, "description")), true);
  b += Para("请你单位接到通知后立即派行政执法人员进行处理，并将处理情况告知我单位。");
  return b;
}

std::string MeetingMinutesBody(const json::object& s) {
  std::string b;
  b += Para(E(InstantZh(Str(s, "start_at"))) + "，在" + E(Str(s, "place")) + "召开专题会议，研究" +
            E(Str(s, "subject")) + "。");
  std::string who;
  if (const json::value* a = s.if_contains("attendees"); a && a->is_array()) {
    for (const auto& x : a->as_array()) {
      if (!x.is_object() || Str(x.as_object(), "answer") == "declined") continue;
      who += (who.empty() ? "" : "、") + E(Str(x.as_object(), "org"));
    }
  }
  if (!who.empty()) b += Para("参会单位：" + who + "。");
  b += Para("<span class=\"heading\">一、会议议程</span>");
  b += Para(E(Str(s, "agenda")), true);
  b += Para("<span class=\"heading\">二、会议纪要</span>");
  b += Para(E(Str(s, "minutes")), true);
  b += Para("<span class=\"heading\">三、议定事项</span>");
  int n = 0;
  if (const json::value* d = s.if_contains("decisions"); d && d->is_array()) {
    for (const auto& x : d->as_array()) {
      if (!x.is_object()) continue;
      const json::object& o = x.as_object();
      b += Para(std::to_string(++n) + ". " + E(Str(o, "text")) + "（责任单位：" + E(Str(o, "owner")) +
                "；完成期限：" + E(InstantZh(Str(o, "due_at"))) + "）");
    }
  }
  if (n == 0) b += Para("无。");
  return b;
}

// The kinds the workflow engine issues with a prepared text (R-DOC-1): the snapshot's
// "paragraphs" (strings, in order), then "items" ({"label","text"}) as a numbered list.
std::string ParagraphsBody(const json::object& s) {
  std::string b;
  if (const json::value* ps = s.if_contains("paragraphs"); ps && ps->is_array()) {
    for (const auto& p : ps->as_array())
      if (p.is_string()) b += Para(E(std::string(p.as_string())));
  }
  if (const json::value* is = s.if_contains("items"); is && is->is_array()) {
    int n = 0;
    for (const auto& it : is->as_array()) {
      if (!it.is_object()) continue;
      b += Para(std::to_string(++n) + "．" + E(Str(it.as_object(), "label")) + "：" +
                E(Str(it.as_object(), "text")));
    }
  }
  if (b.empty()) b += Para("（无正文）");
  return b;
}

}  // namespace

core::Result<std::string> RenderDocumentHtml(const domain::Document& doc, std::string_view origin) {
  boost::system::error_code ec;
  json::value v = json::parse(doc.snapshot, ec);
  if (ec || !v.is_object()) return core::Status::Internal("文书内容已损坏，无法显示");
  const json::object& s = v.as_object();
  const json::object& issuer = Obj(s, "issuer");
  const json::object& addressee = Obj(s, "addressee");
  const std::string issuer_name = Str(issuer, "name");
  const std::string title = Str(s, "title").empty() ? doc.title : Str(s, "title");
  std::string record = doc.referral_id ? "/referrals/" + std::to_string(*doc.referral_id) : "";
  if (const json::value* c = s.if_contains("collaboration_id"); record.empty() && c && c->is_int64()) {
    record = "/collaborations/" + std::to_string(c->as_int64());
  }

  if (record.empty() && !Str(s, "record_url").empty()) record = Str(s, "record_url");
  // On paper only a full address is any use (issue 17 defect 10): origin + path.
  if (!record.empty() && record.front() == '/') record = std::string(origin) + record;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + E(doc.number) + " " + E(title) + "</title>\n";
  h += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main class=\"sheet\">\n";
  // The mark fits the 156 mm text block on one line (GB/T 9704 §7.2.3: centred, red).
  const std::string mark = issuer_name + "文件";
  size_t chars = 0;
  for (unsigned char c : mark)
    if ((c & 0xC0) != 0x80) ++chars;
  const double mm = chars == 0 ? 15.0 : std::min(15.0, 150.0 / static_cast<double>(chars));
  char size[32];
  std::snprintf(size, sizeof size, "%.1fmm", mm);
  h += "<div class=\"mark\" style=\"font-size:" + std::string(size) + "\">" + E(mark) + "</div>\n";
  h += "<p class=\"number\" style=\"text-indent:0\">" + E(doc.number) + "</p>\n";
  h += "<hr class=\"rule\">\n";
  h += "<h1>" + E(title) + "</h1>\n";
  h += "<p class=\"addressee\">" + E(Str(addressee, "name")) + "：</p>\n";
  switch (doc.kind) {
    case domain::DocKind::kReferralLetter: h += LetterBody(s); break;
    case domain::DocKind::kCollaborationLetter: h += CollaborationLetterBody(s); break;
    case domain::DocKind::kCollaborationAnswer: h += CollaborationAnswerBody(s); break;
    case domain::DocKind::kParticipationNotice: h += ParticipationNoticeBody(s); break;
    case domain::DocKind::kViolationNotice: h += ViolationNoticeBody(s); break;
    case domain::DocKind::kMeetingMinutes: h += MeetingMinutesBody(s); break;
    case domain::DocKind::kCoordinationDecision:
    case domain::DocKind::kHazardNotice:
    case domain::DocKind::kNoticeReply:
    case domain::DocKind::kMeetingInvitation:
    case domain::DocKind::kJointActionRecord:
    case domain::DocKind::kDisputeNegotiation:
    case domain::DocKind::kGovernmentDecision:
    case domain::DocKind::kTransferApproval:
    case domain::DocKind::kCrimeTransferLetter:
    case domain::DocKind::kCrimeTransferCopy:
    case domain::DocKind::kPoliceReceipt:
    case domain::DocKind::kPoliceCaseDecision:
    case domain::DocKind::kReconsiderationRequest:
    case domain::DocKind::kCaseReturnLetter:
    case domain::DocKind::kCourtEnforcementApplication:
    case domain::DocKind::kPoliceSupportRequest:
    case domain::DocKind::kComplaintRegistration:
    case domain::DocKind::kComplaintReply:
    case domain::DocKind::kGuidanceArrangement:
    case domain::DocKind::kTrainingRecord:
    case domain::DocKind::kTechSupportAnswer: h += ParagraphsBody(s); break;
    case domain::DocKind::kAnnualPlan:
    case domain::DocKind::kTaskOrder: h += ParagraphsBody(s); break;
    case domain::DocKind::kUrgingNotice: h += ParagraphsBody(s); break;
    case domain::DocKind::kCircularOfCriticism:
    case domain::DocKind::kAccountabilityDecision: h += ParagraphsBody(s); break;
    case domain::DocKind::kConsultationMinutes:
    case domain::DocKind::kMechanismEstablishment: h += ParagraphsBody(s); break;
    case domain::DocKind::kPenaltyFiling: h += ParagraphsBody(s); break;
    default: h += NoticeBody(s); break;
  }
  h += "<div class=\"signature\">\n<p>" + E(issuer_name) + "</p>\n<p>" + E(Str(s, "date")) +
       "</p>\n</div>\n";
  h += "<p class=\"verify\">核验码：<code>" + E(VerificationCode(doc)) + "</code>　";
  if (!record.empty()) {
    h += "核验地址：<a href=\"" + E(record) + "\">" + E(record) + "</a>";
  }
  h += "<br>本文书由县行政执法协同平台生成，核验码为文书内容摘要，内容改动后核验码随之改变。</p>\n";
  h += "<div class=\"screen-page\">— 1 —</div>\n";
  h += "</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace xietong::reports
