#include "domain/public_notice.h"

#include <gtest/gtest.h>

#include <string>

namespace xietong::domain {
namespace {

namespace ps = public_notice_state;

// R-ASM-3: only the coordinator writes, publishes and withdraws notices to the public; a draft is
// edited until published; a published one is only withdrawn; nothing leaves withdrawn.
TEST(PublicNotice, TableAllowsOnlyTheCoordinatorAndTheLifecycle) {
  CoordActor coord;
  coord.coordinator = true;
  CoordActor other;
  other.from_staff = other.to_staff = true;
  const ItemTable& t = PublicNoticeTable();
  ASSERT_NE(ItemCreateRow(t, "create"), nullptr);
  EXPECT_EQ(ItemCreateRow(t, "create")->to, ps::kDraft);
  auto to = [&](std::string_view a, int from, const CoordActor& who) -> int {
    auto r = DecideItem(t, a, from, who);
    return r.ok() ? (*r)->to : -static_cast<int>(r.status().code());
  };
  EXPECT_EQ(to("edit", ps::kDraft, coord), ps::kDraft);
  EXPECT_EQ(to("publish", ps::kDraft, coord), ps::kPublished);
  EXPECT_EQ(to("withdraw", ps::kPublished, coord), ps::kWithdrawn);
  EXPECT_EQ(to("publish", ps::kDraft, other), -static_cast<int>(core::Code::kPermissionDenied));
  EXPECT_EQ(to("withdraw", ps::kPublished, other), -static_cast<int>(core::Code::kPermissionDenied));
  EXPECT_EQ(to("edit", ps::kPublished, coord), -static_cast<int>(core::Code::kFailedPrecondition));
  EXPECT_EQ(to("publish", ps::kWithdrawn, coord), -static_cast<int>(core::Code::kFailedPrecondition));
  EXPECT_EQ(to("withdraw", ps::kDraft, coord), -static_cast<int>(core::Code::kFailedPrecondition));
  EXPECT_EQ(CoordTypeName(CoordType::kPublicNotice), "public_notice");
  EXPECT_EQ(CoordTypeRule(CoordType::kPublicNotice), "R-ASM-3");
}

TEST(PublicNotice, ValidationNamesTheField) {
  EXPECT_TRUE(ValidatePublicNotice("legal_education", "标题", "正文").ok());
  EXPECT_TRUE(ValidatePublicNotice("enforcement_announcement", "标题", "正文").ok());
  auto bad = [](std::string_view k, std::string_view t, std::string_view b) {
    core::Status st = ValidatePublicNotice(k, t, b);
    EXPECT_EQ(st.rule(), "R-ASM-3");
    return std::string(st.field());
  };
  EXPECT_EQ(bad("gossip", "标题", "正文"), "kind");
  EXPECT_EQ(bad("legal_education", "  ", "正文"), "title");
  std::string long_title;
  for (int i = 0; i < 101; ++i) long_title += "字";
  EXPECT_EQ(bad("legal_education", long_title, "正文"), "title");
  EXPECT_EQ(bad("legal_education", "标题", ""), "body");
  EXPECT_EQ(PublicNoticeKindLabel("legal_education"), "普法宣传");
  EXPECT_EQ(PublicNoticeKindLabel("enforcement_announcement"), "执法公告");
}

}  // namespace
}  // namespace xietong::domain
