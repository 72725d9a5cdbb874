#include "service/dispute_service.h"

#include <gtest/gtest.h>

#include "service/matter_service.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;
namespace ds = domain::dispute_state;

struct DisputeFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  MatterService matters{*store, clock};
  DisputeService disputes{*store, clock, duties, calendars, DisputeOptions{}};
  domain::Org government;
  Principal s_officer, gov_leader;

  DisputeFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    government = Must(orgs.CreateOrg(nullptr, {"government", "新兴县人民政府", "县人民政府",
                                               domain::OrgKind::kGovernment, std::nullopt}));
    s_officer = AddUser("scjg.officer", scjg, {domain::Role::kOfficer});
    gov_leader = AddUser("government.leader", government, {domain::Role::kLeader});
    auto imported = matters.ImportCsv(
        &admin, "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
                "T-001,测试事项,《测试条例》第一条,scjg,,\n");
    if (!imported.ok()) throw std::runtime_error(imported.status().ToString());
  }
  DisputeOpenInput Open() {
    DisputeOpenInput in;
    in.matter = "T-001";
    in.township = xincheng.id;
    in.facts = "某商户违法经营，管辖有争议";
    in.parties = {{xincheng.id, "应由部门管辖"}, {scjg.id, "应由乡镇管辖"}};
    return in;
  }
  int64_t AuditCount() {
    int64_t n = 0;
    auto st = store->Read([&](storage::Tx& tx) {
      return tx.ScanAudit([&](const domain::AuditEntry&) { ++n; return true; });
    });
    EXPECT_TRUE(st.ok());
    return n;
  }
};

DisputeActionInput Text(const char* s) { return DisputeStepInput{s, std::nullopt}; }

// R-DIS-2: the three steps in order, each with its numbered document; a skip is refused with
// 409 R-DIS-2 and writes nothing (no audit entry, the item unchanged).
TEST(DisputeService, ThreeStepsNoneSkipped) {
  DisputeFixture f;
  auto d = f.disputes.Open(f.xincheng_officer, f.Open());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const domain::Id id = d->item.id;
  EXPECT_EQ(d->item.state, ds::kNegotiation);
  EXPECT_EQ(d->duties.size(), 4u);  // joint handling and negotiation, for both parties

  const int64_t audits = f.AuditCount();
  auto skip = f.disputes.Act(f.gov_leader, id, "decision", Text("越级决定"));
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(skip.status().id(), "illegal_transition");
  EXPECT_EQ(skip.status().rule(), "R-DIS-2");
  EXPECT_EQ(f.AuditCount(), audits);
  auto same = f.disputes.Get(f.coord_staff, id);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->item, d->item);

  auto n = f.disputes.Act(f.xincheng_officer, id, "negotiation.failed", Text("协商不成"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->item.state, ds::kCoordination);
  auto c = f.disputes.Act(f.coord_staff, id, "coordination.failed", Text("协调不成"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->item.state, ds::kDecision);
  auto g = f.disputes.Act(f.gov_leader, id, "decision", Text("由县市场监管局管辖"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->item.state, ds::kSettled);
  EXPECT_EQ(g->item.kind, "decision");
  ASSERT_EQ(g->documents.size(), 3u);
  EXPECT_EQ(g->documents[0].kind, domain::DocKind::kDisputeNegotiation);
  EXPECT_EQ(g->documents[1].kind, domain::DocKind::kCoordinationDecision);
  EXPECT_EQ(g->documents[2].kind, domain::DocKind::kGovernmentDecision);
  for (const auto& duty : g->duties) EXPECT_NE(duty.state, domain::DutyState::kOpen) << duty.kind;
}

// R-DIS-1 and R-ACC-1: a party meets its own joint-handling duty once; a non-party sees nothing.
TEST(DisputeService, JointHandlingByEachPartyOnce) {
  DisputeFixture f;
  auto d = f.disputes.Open(f.xincheng_officer, f.Open());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const domain::Id id = d->item.id;
  auto j = f.disputes.Act(f.s_officer, id, "joint-handling", DisputeActionInput(DisputeJointInput{{"王伟"}, "下架"}));
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  int met = 0;
  for (const auto& duty : j->duties)
    if (duty.kind == "dispute.joint_handling" && duty.state == domain::DutyState::kMet) {
      ++met;
      EXPECT_EQ(duty.owner_org_id, f.scjg.id);
    }
  EXPECT_EQ(met, 1);
  auto again = f.disputes.Act(f.s_officer, id, "joint-handling", DisputeActionInput(DisputeJointInput{{"王伟"}, "再次"}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().id(), "joint_handling_recorded");
  auto outsider = f.disputes.Get(f.liuzu_officer, id);
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.status().code(), core::Code::kNotFound);
  auto opener = f.disputes.Open(f.liuzu_officer, f.Open());  // liuzu is not a party
  ASSERT_FALSE(opener.ok());
  EXPECT_EQ(opener.status().field(), "parties");
}

}  // namespace
}  // namespace xietong::service
