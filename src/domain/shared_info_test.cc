// The tables and checks of shared information (domain/shared_info.h, R-INF-1..3).
#include "domain/shared_info.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

CoordActor Township() { return CoordActor{.to_staff = true, .involved_staff = true}; }
CoordActor Publisher() { return CoordActor{.from_staff = true, .involved_staff = true}; }

// R-INF-1: a township meets only its own acknowledgement (meet_one); the state stays published.
TEST(SharedInfoTest, MaterialAcknowledgeMeetsOneDutyOfItsOwn) {
  const CoordTransition* create = ItemCreateRow(MaterialTable(), "create");
  ASSERT_NE(create, nullptr);
  EXPECT_TRUE(create->fx.Opens(kMaterialAckDuty));
  EXPECT_FALSE(create->fx.document.has_value());
  auto row = DecideItem(MaterialTable(), "acknowledge", material_state::kPublished, Township());
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ((*row)->to, material_state::kPublished);
  EXPECT_TRUE(workflow::Effects::Has((*row)->fx.meet_one, kMaterialAckDuty));
  EXPECT_FALSE((*row)->fx.Meets(kMaterialAckDuty));
  auto publisher = DecideItem(MaterialTable(), "acknowledge", material_state::kPublished, Publisher());
  EXPECT_EQ(publisher.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(publisher.status().rule(), "R-INF-1");
  auto late = DecideItem(MaterialTable(), "acknowledge", material_state::kWithdrawn, Township());
  EXPECT_EQ(late.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(late.status().id(), "illegal_transition");
  auto withdraw = DecideItem(MaterialTable(), "withdraw", material_state::kPublished, Publisher());
  ASSERT_TRUE(withdraw.ok());
  EXPECT_TRUE((*withdraw)->fx.Waives(kMaterialAckDuty));
}

// R-INF-3: filing issues the numbered 备案表 and opens the department's duty; its acknowledgement
// meets it.
TEST(SharedInfoTest, PenaltyFilingIsNumberedAndAcknowledgedByTheDepartment) {
  const CoordTransition* create = ItemCreateRow(PenaltyFilingTable(), "create");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->fx.document, DocKind::kPenaltyFiling);
  EXPECT_EQ(DocKindChar(DocKind::kPenaltyFiling), "备");
  EXPECT_TRUE(create->fx.Opens(kPenaltyFilingAckDuty));
  auto ack = DecideItem(PenaltyFilingTable(), "acknowledge", penalty_filing_state::kFiled, Township());
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ((*ack)->to, penalty_filing_state::kAcknowledged);
  EXPECT_TRUE((*ack)->fx.Meets(kPenaltyFilingAckDuty));
  EXPECT_EQ(DecideItem(PenaltyFilingTable(), "acknowledge", penalty_filing_state::kFiled, Publisher()).status().code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(DecideItem(PenaltyFilingTable(), "acknowledge", penalty_filing_state::kAcknowledged, Township()).status().id(),
            "illegal_transition");
}

Approval Good() {
  Approval a;
  a.holder = "好味餐饮店";
  a.credit_code = "92445321MA4X0A1B2C";
  a.decision_number = "新市监食许〔2026〕1号";
  a.category = "食品经营许可";
  a.content = "热食类食品制售";
  a.decision_date = "2026-11-18";
  a.valid_from = "2026-11-18";
  a.valid_to = "2031-11-17";
  a.authority = "新兴县市场监督管理局";
  a.address = "新兴县新城镇东堤路18号";
  return a;
}

// R-INF-2: each check names the field (the import turns it into "line N, column 列名").
TEST(SharedInfoTest, ApprovalChecksNameTheField) {
  EXPECT_TRUE(ValidateApproval(Good()).ok());
  auto field_of = [](Approval a) { return ValidateApproval(a).field(); };
  Approval a = Good();
  a.holder = " ";
  EXPECT_EQ(field_of(a), "holder");
  a = Good();
  a.decision_date = "2026-11-31";
  EXPECT_EQ(field_of(a), "decision_date");
  a = Good();
  a.credit_code = "9244532";
  EXPECT_EQ(field_of(a), "credit_code");
  a = Good();
  a.valid_to = "2020-01-01";
  EXPECT_EQ(field_of(a), "valid_to");
  a = Good();
  a.credit_code.clear();
  a.valid_from.clear();
  a.valid_to.clear();
  EXPECT_TRUE(ValidateApproval(a).ok()) << "optional columns may be empty";
  EXPECT_EQ(ValidateApproval(Good()).rule(), "");
  a = Good();
  a.address.clear();
  EXPECT_EQ(ValidateApproval(a).rule(), "R-INF-2");
  EXPECT_TRUE(IsIsoDate("2028-02-29"));
  EXPECT_FALSE(IsIsoDate("2026-02-29"));
  EXPECT_FALSE(IsIsoDate("2026-1-01"));
}

}  // namespace
}  // namespace xietong::domain
