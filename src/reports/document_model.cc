#include "reports/document_model.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "domain/wording.h"

namespace xietong::reports {

namespace json = boost::json;

namespace {

struct Blocks : std::vector<Block> {
  Blocks& operator+=(Block b) {
    push_back(std::move(b));
    return *this;
  }
};
// The builders below write plain text; the renderers escape (HTML) or lay out (PDF).
std::string E(std::string_view s) { return std::string(s); }
Block Para(std::string text, bool keep = false) { return Block{{}, std::move(text), keep}; }
Block Heading(std::string h) { return Block{std::move(h), {}, false}; }

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

Blocks LetterBody(const json::object& s) {
  Blocks b;
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
  b += Heading("一、违法事实");
  b += Para(E(Str(s, "facts")), true);
  b += Heading("二、当事人基本情况");
  std::string who = "当事人：" + E(party_name);
  if (!Str(party, "id_type").empty() || !Str(party, "id_number").empty()) {
    who += "；" + E(Str(party, "id_type").empty() ? "证件号码" : Str(party, "id_type")) + "：" +
           E(Str(party, "id_number"));
  }
  if (!Str(party, "address").empty()) who += "；住所：" + E(Str(party, "address"));
  if (!Str(party, "phone").empty()) who += "；联系电话：" + E(Str(party, "phone"));
  b += Para(who + "。");
  b += Heading("三、证据材料");
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
  b += Heading("四、法律依据");
  b += Para(E(Str(s, "legal_basis")), true);
  if (Bool(s, "ongoing")) {
    const json::object& d = Obj(s, "dissuasion");
    b += Heading("五、劝阻情况");
    b += Para("该违法行为发现时正在进行。我单位执法人员已于" + E(InstantZh(Str(d, "at"))) +
              "当场劝阻当事人停止违法行为：" + E(Str(d, "note")));
  }
  if (Bool(s, "urgent")) b += Para("本案情况紧急，请即办理。");
  b += Para(E(Str(s, "request")));
  if (!Str(s, "contact").empty()) b += Para("联系人：" + E(Str(s, "contact")) + "。");
  return b;
}

Blocks NoticeBody(const json::object& s) {
  Blocks b;
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
Blocks CollaborationLetterBody(const json::object& s) {
  Blocks b;
  std::string kind = Str(s, "collab_kind_label");
  std::string purpose = kind == "认定" ? "予以认定" : kind == "技术鉴定" ? "进行技术鉴定" : "提供咨询意见";
  b += Para("我单位在办理" + E(Str(s, "case_ref")) + "过程中，需你单位就以下事项" + E(purpose) +
            "（事由：" + E(Str(s, "subject")) + "）。根据《关于建立乡镇（街道）与县直部门行政执法"
            "案件移送及协调协作机制的意见》，现提出执法协作请求，有关情况如下：");
  b += Heading("一、协作事项");
  b += Para(E(Str(s, "questions")), true);
  b += Heading("二、相关材料");
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
Blocks CollaborationAnswerBody(const json::object& s) {
  Blocks b;
  std::string ref = E(domain::About(Str(s, "subject"))) + "的执法协作函";
  if (!Str(s, "letter_number").empty()) ref += "（" + E(Str(s, "letter_number")) + "）";
  b += Para("你单位" + ref + "已于" + E(Str(s, "received_date")) + "收悉。经研究，现反馈意见如下：");
  const json::value* round = s.if_contains("round");
  if (round && round->is_int64() && round->as_int64() > 1) {
    b += Block{"（第" + std::to_string(round->as_int64()) + "轮追问）", Str(s, "questions"), true};
  }
  b += Heading("一、结论");
  b += Para(E(Str(s, "conclusion")), true);
  b += Heading("二、意见及依据");
  b += Para(E(Str(s, "text")), true);
  b += Para("特此函复。");
  if (!Str(s, "contact").empty()) b += Para("联系人：" + E(Str(s, "contact")) + "。");
  return b;
}


// --- Notices, meetings, participation, violation notices (R-COL-6..8) ---
Blocks ParticipationNoticeBody(const json::object& s) {
  Blocks b;
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

Blocks ViolationNoticeBody(const json::object& s) {
  Blocks b;
  b += Para("我单位在执法过程中于" + E(InstantZh(Str(s, "found_at"))) + "在" + E(Str(s, "place")) +
            "发现涉及你单位管辖的" + E(Str(s, "category")) + "违法行为，现通知如下：");
  b += Para(E(Str(s, "description")), true);
  b += Para("请你单位接到通知后立即派行政执法人员进行处理，并将处理情况告知我单位。");
  return b;
}

Blocks MeetingMinutesBody(const json::object& s) {
  Blocks b;
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
  b += Heading("一、会议议程");
  b += Para(E(Str(s, "agenda")), true);
  b += Heading("二、会议纪要");
  b += Para(E(Str(s, "minutes")), true);
  b += Heading("三、议定事项");
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
Blocks ParagraphsBody(const json::object& s) {
  Blocks b;
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

DocLayout LayoutOf(domain::DocKind k) {
  using K = domain::DocKind;
  switch (k) {
    case K::kReferralLetter:
    case K::kAcceptanceNotice:
    case K::kCollaborationLetter:
    case K::kCollaborationAnswer:
    case K::kParticipationNotice:
    case K::kViolationNotice:
    case K::kNoticeReply:
    case K::kCrimeTransferLetter:
    case K::kCrimeTransferCopy:
    case K::kPoliceReceipt:
    case K::kPoliceCaseDecision:
    case K::kReconsiderationRequest:
    case K::kCaseReturnLetter:
    case K::kCourtEnforcementApplication:
    case K::kPoliceSupportRequest:
    case K::kComplaintReply:
    case K::kTechSupportAnswer:
      return DocLayout::kLetter;
    default:
      return DocLayout::kFile;
  }
}

core::Result<DocumentModel> BuildDocumentModel(const domain::Document& doc, std::string_view origin) {
  boost::system::error_code ec;
  json::value v = json::parse(doc.snapshot, ec);
  if (ec || !v.is_object()) return core::Status::Internal("文书内容已损坏，无法显示");
  const json::object& s = v.as_object();
  DocumentModel m;
  m.layout = LayoutOf(doc.kind);
  m.issuer = Str(Obj(s, "issuer"), "name");
  m.mark = m.layout == DocLayout::kFile ? m.issuer + "文件" : m.issuer;
  m.number = doc.number;
  m.title = Str(s, "title").empty() ? doc.title : Str(s, "title");
  m.addressee = Str(Obj(s, "addressee"), "name");
  m.date = Str(s, "date");
  std::string record = doc.referral_id ? "/referrals/" + std::to_string(*doc.referral_id) : "";
  if (const json::value* c = s.if_contains("collaboration_id"); record.empty() && c && c->is_int64()) {
    record = "/collaborations/" + std::to_string(c->as_int64());
  }
  if (record.empty() && !Str(s, "record_url").empty()) record = Str(s, "record_url");
  // On paper only a full address is any use (issue 17 defect 10): origin + path.
  if (!record.empty() && record.front() == '/') record = std::string(origin) + record;
  m.record = record;
  Blocks b;
  switch (doc.kind) {
    case domain::DocKind::kReferralLetter: b = LetterBody(s); break;
    case domain::DocKind::kAcceptanceNotice: b = NoticeBody(s); break;
    case domain::DocKind::kCollaborationLetter: b = CollaborationLetterBody(s); break;
    case domain::DocKind::kCollaborationAnswer: b = CollaborationAnswerBody(s); break;
    case domain::DocKind::kParticipationNotice: b = ParticipationNoticeBody(s); break;
    case domain::DocKind::kViolationNotice: b = ViolationNoticeBody(s); break;
    case domain::DocKind::kMeetingMinutes: b = MeetingMinutesBody(s); break;
    default: b = ParagraphsBody(s); break;
  }
  m.body = std::move(b);
  return m;
}

}  // namespace xietong::reports
