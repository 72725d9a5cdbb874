#include "domain/public_notice.h"

#include "domain/referral.h"  // IsBlank, Utf8Length

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
namespace ps = public_notice_state;
constexpr int kNew = kCoordNew;

constexpr workflow::Named<int> kStates[] = {
    {ps::kDraft, "draft", "草稿"},
    {ps::kPublished, "published", "已发布"},
    {ps::kWithdrawn, "withdrawn", "已撤回"},
};
constexpr workflow::Named<std::string_view> kActions[] = {
    {"create", "create", "新建公开信息"},
    {"edit", "edit", "修改草稿"},
    {"publish", "publish", "发布"},
    {"withdraw", "withdraw", "撤回"},
};
constexpr CoordTransition kRows[] = {
    {"create", kNew, ps::kDraft, W::kCoordinator, G::kNone, {}},
    {"edit", ps::kDraft, ps::kDraft, W::kCoordinator, G::kNone, {}},
    {"publish", ps::kDraft, ps::kPublished, W::kCoordinator, G::kNone, {}},
    {"withdraw", ps::kPublished, ps::kWithdrawn, W::kCoordinator, G::kNone, {}},
};

std::string_view ActionZh(std::string_view a) { return ItemActionLabel(PublicNoticeTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view Rule(std::string_view) { return "R-ASM-3"; }
std::string_view StateZh(int s) { return ItemStateLabel(PublicNoticeTable(), s); }
std::string_view StateEn(int s) { return ItemStateName(PublicNoticeTable(), s); }
constexpr workflow::Wording<CoordTransition> kWording{
    .action_zh = ActionZh, .action_en = ActionEn, .rule = Rule, .state_zh = StateZh,
    .state_en = StateEn, .who_zh = CoordWhoLabelZh, .noun_en = "public notice"};
constexpr ItemTable kTable{CoordType::kPublicNotice, kStates, kActions, kRows, kWording};

constexpr PublicNoticeKind kKinds[] = {
    {"legal_education", "普法宣传"},
    {"enforcement_announcement", "执法公告"},
};

core::Status Bad(std::string_view field, const std::string& zh, const std::string& en,
                 const char* id = "invalid_value") {
  return core::Status::Invalid(std::string(field), zh, "R-ASM-3", id).En(en);
}
}  // namespace

const ItemTable& PublicNoticeTable() { return kTable; }
std::span<const PublicNoticeKind> PublicNoticeKinds() { return kKinds; }
std::string_view PublicNoticeKindLabel(std::string_view name) {
  for (const auto& k : kKinds)
    if (k.name == name) return k.label_zh;
  return "";
}

core::Status ValidatePublicNotice(std::string_view kind, std::string_view title, std::string_view body) {
  if (PublicNoticeKindLabel(kind).empty()) {
    return Bad("kind", "类别应为普法宣传或执法公告", "kind must be legal_education or enforcement_announcement");
  }
  if (IsBlank(std::string(title))) return Bad("title", "缺少标题", "Missing title", "missing_field");
  if (Utf8Length(std::string(title)) > 100) return Bad("title", "标题不能超过100个字", "title is too long", "too_long");
  if (IsBlank(std::string(body))) return Bad("body", "缺少正文", "Missing body", "missing_field");
  if (Utf8Length(std::string(body)) > 20000) return Bad("body", "正文不能超过20000个字", "body is too long", "too_long");
  return core::Status::Ok();
}

}  // namespace xietong::domain
