// The public pages (R-ASM-3, R-DOC-1; issue 14): the JSON of /api/v1/public/* and of the
// coordinator's public-notice management routes, and the server-rendered HTML of /verify/{code},
// /public and /public/{id} (no script, inline styles only, every string escaped). The public
// forms carry only what PublicService answers: no body or parties of a document, no drafts.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "service/coord_item_service.h"
#include "service/public_service.h"

namespace xietong::http::views {

boost::json::object PublicNoticeJson(const service::CoordItemView& v);      // management
boost::json::object PublicNoticeListJson(const service::CoordItemList& l);  // management
boost::json::object PublishedNoticeJson(const service::PublishedNotice& n);
boost::json::object PublishedNoticeListJson(const std::vector<service::PublishedNotice>& l,
                                            int64_t total);
boost::json::object VerifiedDocumentJson(const service::VerifiedDocument& v);

std::string VerifyPageHtml(const service::VerifiedDocument& v);
std::string PublicListHtml(const std::vector<service::PublishedNotice>& l, int64_t total, int page,
                           int page_size);
std::string PublicNoticeHtml(const service::PublishedNotice& n);
// The 404 page of the public site ("核验码不存在" or "公开信息不存在").
std::string PublicNotFoundHtml(const std::string& message);

}  // namespace xietong::http::views
