// The parts of a printed document (R-DOC-1), shared by the HTML print view
// (reports/document_html.h) and the PDF (reports/document_pdf.h): which GB/T 9704-2012 layout
// it takes (文件格式 or 信函格式, by kind), its 版头, number, title, addressee, body paragraphs
// (plain text, unescaped), signature and date. Pure functions; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(DocumentModel m, BuildDocumentModel(doc, "http://127.0.0.1:8080"));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/doc_number.h"

namespace xietong::reports {

// GB/T 9704-2012 §10: the 信函格式 (letters: 函, 告知书, 通知书, 回执, 申请书 — documents addressed
// to one org) or the 文件格式 (the organ's 「…文件」 版头: decisions, minutes, plans, notices
// circulated by the coordinator).
enum class DocLayout { kFile, kLetter };
// The layout of a kind. Letters (信函格式): 1 移送函, 2 受理情况告知书, 3 执法协作文书(函),
// 4 反馈意见书(复函), 5 参与执法工作告知书, 6 违法行为通知书, 10 通报处置情况反馈, 16 涉嫌犯罪案件移送书,
// 17 移送案件通知书, 18 接受移送案件回执, 19 立案/不予立案决定书, 20 提请复议书, 21 移回案件函,
// 22 强制执行申请书, 23 提请公安机关协助函, 25 投诉举报答复意见书, 31 技术支持答复. Every other kind
// (决定书 of the 依法治县办 and of the County Government, 纪要, 记录, 计划, 通报, 督办通知 …): file.
DocLayout LayoutOf(domain::DocKind k);

// One paragraph of the body: an optional heading run (黑体: 「一、违法事实」) then the text; `keep`
// keeps the text's line breaks.
struct Block {
  std::string heading;
  std::string text;
  bool keep = false;
};

struct DocumentModel {
  DocLayout layout = DocLayout::kFile;
  std::string issuer;     // 新城镇综合行政执法办公室
  std::string mark;       // 版头: 「新城镇综合行政执法办公室文件」 (file) or the organ's name (letter)
  std::string number;     // 新城执移〔2026〕3号
  std::string title;
  std::string addressee;  // "" when none
  std::vector<Block> body;
  std::string date;       // 2026年11月25日
  std::string record;     // the record's address (origin + /referrals/12), "" when unknown
};

// The parts of `doc`. `origin` ("https://xt.example.gov.cn") prefixes the record's path.
// Errors: kInternal when the snapshot is not a JSON object.
core::Result<DocumentModel> BuildDocumentModel(const domain::Document& doc, std::string_view origin = {});

// What a printed document carries to be verified (R-DOC-1, R-ASM-3): the short code and the
// public address that checks it (https://xt.example.gov.cn/verify/7K-3M9QX2TA).
struct PrintMarks {
  std::string code;
  std::string verify_url;
};

}  // namespace xietong::reports
