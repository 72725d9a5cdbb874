#include "domain/urging.h"

#include <gtest/gtest.h>

#include "domain/duty.h"

namespace xietong::domain {
namespace {

// 督办 (R-PLN-2): only the coordinator urges (issuing 督, opening urging.answer); only the urged
// org's staff answer, once (meeting urging.answer).
TEST(UrgingTable, CoordinatorUrgesOwnerAnswersOnce_R_PLN_2) {
  const ItemTable& t = UrgingTable();
  const CoordTransition* create = ItemCreateRow(t, "create");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->who, CoordWho::kCoordinator);
  EXPECT_EQ(create->fx.document, DocKind::kUrgingNotice);
  EXPECT_TRUE(create->fx.Opens(kUrgingAnswerDuty));
  EXPECT_EQ(create->to, urging_state::kOpen);
  EXPECT_EQ(DocKindChar(DocKind::kUrgingNotice), "督");
  ASSERT_NE(FindDutyKind(kUrgingAnswerDuty), nullptr);
  EXPECT_EQ(FindDutyKind(kUrgingAnswerDuty)->rule, "R-PLN-2");

  const CoordActor owner{.to_staff = true};
  const CoordActor coordinator{.coordinator = true};
  auto ok = DecideItem(t, "answer", urging_state::kOpen, owner);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->to, urging_state::kAnswered);
  EXPECT_TRUE((*ok)->fx.Meets(kUrgingAnswerDuty));
  auto denied = DecideItem(t, "answer", urging_state::kOpen, coordinator);
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-PLN-2");
  auto again = DecideItem(t, "answer", urging_state::kAnswered, owner);
  EXPECT_EQ(again.status().id(), "illegal_transition");
  EXPECT_EQ(DecideItem(t, "create", urging_state::kOpen, coordinator).status().code(),
            core::Code::kInvalidArgument);
  EXPECT_EQ(ItemStateName(t, urging_state::kAnswered), "answered");
  EXPECT_EQ(ItemStateLabel(t, urging_state::kOpen), "待答复");
}

}  // namespace
}  // namespace xietong::domain
