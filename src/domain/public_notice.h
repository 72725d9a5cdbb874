// Notices to the public (公开发布, R-ASM-3, policy 三(四) 普法宣传): the coordinator office writes
// 普法宣传 articles and 执法公告 (enforcement announcements) and publishes them on the public pages
// (/public, no sign-in). Stored as coordination items (CoordType kPublicNotice) with their OWN
// transition table (vocabulary: domain/court_enforcement.h ItemTable):
//
//   create (coordinator) → draft; edit (coordinator) draft → draft; publish (coordinator)
//   draft → published; withdraw (coordinator) published → withdrawn.
//
// No duties (nobody owes anything) and no numbered document: a notice addresses the public, not an
// org, and is not a formal act between orgs (R-DOC-1). Only a published notice is ever shown
// publicly. Pure; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(const CoordTransition* row,
//                       DecideItem(PublicNoticeTable(), "publish", public_notice_state::kDraft, actor));
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/court_enforcement.h"

namespace xietong::domain {

namespace public_notice_state {
inline constexpr int kDraft = 1,  // 草稿
    kPublished = 2,               // 已发布
    kWithdrawn = 3;               // 已撤回
}

const ItemTable& PublicNoticeTable();

// The kinds (the item's `kind`): legal_education 普法宣传, enforcement_announcement 执法公告.
struct PublicNoticeKind {
  std::string_view name;
  std::string_view label_zh;
};
std::span<const PublicNoticeKind> PublicNoticeKinds();
std::string_view PublicNoticeKindLabel(std::string_view name);  // "" if unknown

// Checks a notice's fields: kind one of the kinds, title 1..100 characters, body 1..20000
// characters (paragraphs separated by line breaks). invalid_argument naming the field, R-ASM-3.
core::Status ValidatePublicNotice(std::string_view kind, std::string_view title, std::string_view body);

}  // namespace xietong::domain
