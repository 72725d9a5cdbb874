// Printed documents as PDF (R-DOC-1, issue 14): an issued document laid out to GB/T 9704-2012 with
// pango + cairo and the Noto CJK faces (Debian fonts-noto-cjk): A4; 天头 37 mm, 订口 28 mm, 版心
// 156 × 225 mm; body 3号 (16 pt) Noto Serif CJK SC (for 仿宋) on a grid of 22 lines × 28
// characters; title 2号 (22 pt) Noto Serif CJK SC Bold (for 小标宋); headings 「一、…」 in Noto
// Sans CJK SC (for 黑体); page numbers 「— 1 —」 4号 on the outer side (odd pages right, even left);
// lines flow over as many pages as they need.
//
//  - 文件格式: the red 「…文件」 版头 centred, the 发文字号 centred under it, the red separator line.
//  - 信函格式 (LayoutOf: 函, 告知书 …): the organ's name in red 30 mm from the top edge, the red
//    double rule (thick over thin, 170 mm), the 文号 flush right under it, and the thin-over-thick
//    double rule 20 mm above the bottom edge of the first page.
//
// The last page carries at its bottom the QR code of marks.verify_url (libqrencode, level M, drawn
// as cairo rectangles) with the verification code and address beside it. Thread-safe (pango's
// cairo font map is per thread).
//
//   XT_ASSIGN_OR_RETURN(std::string pdf, reports::RenderDocumentPdf(doc, origin, marks));
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/doc_number.h"
#include "reports/document_model.h"

namespace xietong::reports {

// The PDF bytes ("%PDF-…") of `doc`. Errors: kInternal when the snapshot is damaged or cairo
// fails.
core::Result<std::string> RenderDocumentPdf(const domain::Document& doc, std::string_view origin,
                                            const PrintMarks& marks);
// The same from the parts (the golden tests build them by hand).
core::Result<std::string> RenderModelPdf(const DocumentModel& m, const PrintMarks& marks);

}  // namespace xietong::reports
