#include "domain/dispute.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

namespace ds = dispute_state;

// R-DIS-2: no step may be skipped — the government cannot decide while the parties negotiate or
// the coordinator coordinates, and the coordinator cannot act before negotiation failed.
TEST(DisputeTableTest, NoStepIsSkipped) {
  DisputeActor gov{.government = true};
  for (int s : {ds::kNegotiation, ds::kCoordination, ds::kSettled}) {
    auto r = DecideDisputeTransition("decision", s, gov);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.status().id(), "illegal_transition");
    EXPECT_EQ(r.status().rule(), "R-DIS-2");
  }
  DisputeActor coord{.coordinator = true};
  for (const char* a : {"coordination.settled", "coordination.failed"}) {
    auto r = DecideDisputeTransition(a, ds::kNegotiation, coord);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().id(), "illegal_transition");
    EXPECT_EQ(r.status().rule(), "R-DIS-2");
  }
  auto ok = DecideDisputeTransition("decision", ds::kDecision, gov);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->to, ds::kSettled);
}

// R-DIS-2: only the recorded failure of a step leads to the next; each step issues its document.
TEST(DisputeTableTest, FailureMovesOnAndEveryStepIssuesItsDocument) {
  const DisputeTransition* n = FindDisputeTransition("negotiation.failed", ds::kNegotiation);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->to, ds::kCoordination);
  EXPECT_EQ(n->fx.document, DocKind::kDisputeNegotiation);
  EXPECT_TRUE(n->fx.Opens(kDisputeCoordinationDuty));
  const DisputeTransition* c = FindDisputeTransition("coordination.failed", ds::kCoordination);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->to, ds::kDecision);
  EXPECT_EQ(c->fx.document, DocKind::kCoordinationDecision);
  EXPECT_TRUE(c->fx.Opens(kDisputeDecisionDuty));
  const DisputeTransition* d = FindDisputeTransition("decision", ds::kDecision);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->fx.document, DocKind::kGovernmentDecision);
  for (const auto& row : DisputeTransitions()) {
    if (row.to == ds::kSettled) {
      EXPECT_TRUE(row.fx.Waives(kDisputeJointHandling)) << row.action;
    }
    EXPECT_NE(DisputeActionLabelZh(row.action), "") << row.action;
  }
}

// R-DIS-1: opening opens joint handling; a party meets its own.
TEST(DisputeTableTest, OpeningOpensJointHandling) {
  EXPECT_TRUE(DisputeCreateRow().fx.Opens(kDisputeJointHandling));
  EXPECT_TRUE(DisputeCreateRow().fx.Opens(kDisputeNegotiationDuty));
  DisputeActor outsider{};
  auto r = DecideDisputeTransition("joint-handling", ds::kNegotiation, outsider);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().rule(), "R-DIS-1");
  EXPECT_EQ(DisputeAuditAction("negotiation.failed"), "dispute.negotiation_failed");
  EXPECT_EQ(DisputeStateName(ds::kDecision), "decision");
  EXPECT_EQ(ParseDisputeState("settled"), ds::kSettled);
  EXPECT_EQ(DisputeStepOf(ds::kCoordination), "coordination");
}

}  // namespace
}  // namespace xietong::domain
