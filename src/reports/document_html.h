// Printable documents (R-DOC-1): an issued document's snapshot as a self-contained HTML page in
// the layout of GB/T 9704-2012 (党政机关公文格式): A4, red issuing-org mark with the document
// number centred under it and a red rule, the title in a bold serif face, the addressee flush
// left, the body in 3号 仿宋, the issuing org and the date (2026年11月25日) at the end, page
// numbers "— 1 —" (CSS @page margin boxes), and a verification code — a short hash of the
// snapshot — with the address of the record (/referrals/{id}) it leads back to.
//
// Every string from the snapshot is HTML-escaped. Pure functions; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(std::string html, reports::RenderDocumentHtml(doc));
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/doc_number.h"
#include "reports/document_model.h"

namespace xietong::reports {

// The page for `doc` (kinds: referral letter, acceptance notice, collaboration letter and answer). Errors: kInternal when the
// snapshot is not the JSON object the referral service writes.
// `origin` ("https://xt.example.gov.cn", no trailing slash) makes the verification address a full
// URL; empty leaves the record's path alone.
// The layout follows the kind (LayoutOf: 信函格式 or 文件格式). `marks` (the public verification
// code and address, R-ASM-3) are printed when given; else the content hash below.
core::Result<std::string> RenderDocumentHtml(const domain::Document& doc,
                                             std::string_view origin = {},
                                             const PrintMarks& marks = {});

// "3F9A-0C1B-77E2": the first 12 hex digits of SHA-256(snapshot), upper case, in groups of 4.
std::string VerificationCode(const domain::Document& doc);

// &, <, >, " and ' escaped for HTML text and attribute values.
std::string HtmlEscape(std::string_view s);

}  // namespace xietong::reports
