#include "service/court_police_service.h"

#include <gtest/gtest.h>

#include "domain/court_enforcement.h"
#include "domain/police_support.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using domain::CoordType;
using domain::DutyState;
using testing::Fixture;

struct CourtPoliceFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  CoordItemService items{*store, clock, duties, calendars, CoordOptions{}};
  CourtPoliceService cp{*store, clock, duties, items, CourtPoliceOptions{6, 24}};
  domain::Org fy, fy2, gaj;
  Principal fy_officer, fy2_officer, gaj_officer, auditor;

  CourtPoliceFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    fy = Must(orgs.CreateOrg(nullptr, {"fy", "新兴县人民法院", "县法院", domain::OrgKind::kCourt, std::nullopt}));
    fy2 = Must(orgs.CreateOrg(nullptr, {"fy2", "云浮市中级人民法院", "市中院", domain::OrgKind::kCourt, std::nullopt}));
    gaj = Must(orgs.CreateOrg(nullptr, {"gaj", "新兴县公安局", "县公安局", domain::OrgKind::kPolice, std::nullopt}));
    fy_officer = AddUser("fy.officer", fy, {domain::Role::kOfficer});
    fy2_officer = AddUser("fy2.officer", fy2, {domain::Role::kOfficer});
    gaj_officer = AddUser("gaj.officer", gaj, {domain::Role::kOfficer});
    auditor = AddUser("auditor", coordinator, {domain::Role::kAuditor});
  }
  int64_t AuditCount() {
    int64_t n = 0;
    auto st = store->Read([&](storage::Tx& tx) {
      return tx.ScanAudit([&](const domain::AuditEntry&) { ++n; return true; });
    });
    EXPECT_TRUE(st.ok());
    return n;
  }
  CourtPoliceCreateInput Application() const {
    CourtEnforcementInput in;
    in.to_org = fy.id;
    in.case_number = "新城执罚〔2026〕12号案";
    in.decision_number = "新城执罚决〔2026〕12号";
    in.party = "某公司";
    in.obligations = "拆除";
    in.non_compliance = "未履行";
    return in;
  }
  CourtPoliceCreateInput Request(const char* action_at) const {
    PoliceSupportInput in;
    in.to_org = gaj.id;
    in.action_at = *core::ParseInstant(action_at);
    in.place = "东堤路";
    in.reason = "强制拆除";
    in.risk = "可能阻挠";
    return in;
  }
};

const domain::Duty* DutyOf(const CoordItemView& v, std::string_view kind) {
  for (const auto& d : v.duties)
    if (d.kind == kind) return &d;
  return nullptr;
}

// R-CRI-3 / R-CRI-5: the addressed court accepts and rules within its calendar-day duties; another
// court does not see it; the township cannot rule; a refused step writes nothing.
TEST(CourtPoliceService, CourtAcceptsAndRulesWithinItsDuties) {
  CourtPoliceFixture f;
  auto a = f.cp.Create(f.xincheng_officer, CoordType::kCourtEnforcement, f.Application());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->item.state, domain::court_enforcement_state::kApplied);
  ASSERT_TRUE(a->item.number.has_value());
  const domain::Duty* accept = DutyOf(*a, domain::kCourtAcceptDuty);
  ASSERT_NE(accept, nullptr);
  EXPECT_EQ(accept->owner_org_id, f.fy.id);
  EXPECT_EQ(accept->unit, domain::PeriodUnit::kCalendarDays);
  const domain::Id id = a->item.id;

  EXPECT_EQ(f.cp.Get(f.fy2_officer, CoordType::kCourtEnforcement, id).status().code(), core::Code::kNotFound);
  EXPECT_EQ(f.cp.Get(f.gaj_officer, CoordType::kCourtEnforcement, id).status().code(), core::Code::kNotFound);
  EXPECT_TRUE(f.cp.Get(f.auditor, CoordType::kCourtEnforcement, id).ok());
  // Another type's id is not found through this type.
  EXPECT_EQ(f.cp.Get(f.fy_officer, CoordType::kPoliceSupport, id).status().code(), core::Code::kNotFound);

  const int64_t before = f.AuditCount();
  const CourtPoliceStepInput accept_in = CourtAcceptInput{"（2026）行审1号", ""};
  EXPECT_EQ(f.cp.Act(f.fy2_officer, CoordType::kCourtEnforcement, id, "accept", accept_in).status().code(),
            core::Code::kNotFound);
  auto denied = f.cp.Act(f.xincheng_officer, CoordType::kCourtEnforcement, id, "accept", accept_in);
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-CRI-3");
  // A body the handler could not read is reported after access and state.
  const core::Status bad = core::Status::Invalid("note", "note 应为字符串", "R-CRI-3", "invalid_type");
  EXPECT_EQ(f.cp.Act(f.xincheng_officer, CoordType::kCourtEnforcement, id, "accept", bad).status().code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(f.cp.Act(f.fy_officer, CoordType::kCourtEnforcement, id, "accept", bad).status().field(), "note");
  EXPECT_EQ(f.AuditCount(), before);

  f.clock.Advance(std::chrono::hours(24));
  auto acc = f.cp.Act(f.fy_officer, CoordType::kCourtEnforcement, id, "accept", accept_in);
  ASSERT_TRUE(acc.ok()) << acc.status().ToString();
  EXPECT_EQ(DutyOf(*acc, domain::kCourtAcceptDuty)->state, DutyState::kMet);
  const domain::Duty* ruling = DutyOf(*acc, domain::kCourtRulingDuty);
  ASSERT_NE(ruling, nullptr);
  EXPECT_EQ(ruling->period, 7);

  const CourtPoliceStepInput rule_in = CourtRulingInput{"（2026）行审1号", f.clock.Now(), "准予执行"};
  EXPECT_EQ(f.cp.Act(f.xincheng_officer, CoordType::kCourtEnforcement, id, "ruling.granted", rule_in)
                .status().code(),
            core::Code::kPermissionDenied);
  const CourtPoliceStepInput future = CourtRulingInput{"x", f.clock.Now() + std::chrono::hours(2), "x"};
  EXPECT_EQ(f.cp.Act(f.fy_officer, CoordType::kCourtEnforcement, id, "ruling.granted", future).status().field(),
            "ruled_at");
  auto granted = f.cp.Act(f.fy_officer, CoordType::kCourtEnforcement, id, "ruling.granted", rule_in);
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_EQ(granted->item.state, domain::court_enforcement_state::kGranted);
  EXPECT_EQ(DutyOf(*granted, domain::kCourtRulingDuty)->state, DutyState::kMet);
}

// R-CRI-4: the answer duty is capped by the action's start; a hand-over needs recorded obstruction.
TEST(CourtPoliceService, PoliceAnswerBeforeTheActionAndHandOverOnlyObstruction) {
  CourtPoliceFixture f;
  // The clock is 09:00; an action at 10:30 leaves 1 whole hour (configured 6).
  auto soon = f.cp.Create(f.xincheng_officer, CoordType::kPoliceSupport, f.Request("2026-11-23T10:30:00+08:00"));
  ASSERT_TRUE(soon.ok()) << soon.status().ToString();
  EXPECT_EQ(DutyOf(*soon, domain::kPoliceAnswerDuty)->period, 1);
  auto later = f.cp.Create(f.xincheng_officer, CoordType::kPoliceSupport, f.Request("2026-11-25T09:00:00+08:00"));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(DutyOf(*later, domain::kPoliceAnswerDuty)->period, 6);
  EXPECT_EQ(f.cp.Create(f.xincheng_officer, CoordType::kPoliceSupport, f.Request("2026-11-23T08:00:00+08:00"))
                .status().field(),
            "action_at");
  EXPECT_EQ(f.cp.Create(f.gaj_officer, CoordType::kPoliceSupport, f.Request("2026-11-25T09:00:00+08:00"))
                .status().code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(f.cp.Create(f.xincheng_officer, CoordType::kNotice, f.Request("2026-11-25T09:00:00+08:00"))
                .status().code(),
            core::Code::kNotFound);

  const domain::Id id = later->item.id;
  PoliceAnswerInput assist;
  assist.officers = 3;
  ASSERT_TRUE(f.cp.Act(f.gaj_officer, CoordType::kPoliceSupport, id, "answer.assist", CourtPoliceStepInput(assist)).ok());
  ASSERT_TRUE(f.cp.Act(f.xincheng_officer, CoordType::kPoliceSupport, id, "outcome",
                       CourtPoliceStepInput(PoliceOutcomeInput{"顺利完成", false}))
                  .ok());
  const int64_t before = f.AuditCount();
  auto refused = f.cp.Act(f.xincheng_officer, CoordType::kPoliceSupport, id, "hand-over",
                          CourtPoliceStepInput(PoliceHandoverInput{"事实", "某人", {}}));
  EXPECT_EQ(refused.status().id(), "no_obstruction");
  EXPECT_EQ(refused.status().rule(), "R-CRI-4");
  EXPECT_EQ(f.AuditCount(), before);
  auto v = f.cp.Get(f.xincheng_officer, CoordType::kPoliceSupport, id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->item.state, domain::police_support_state::kDone);
  EXPECT_EQ(DutyOf(*v, domain::kPoliceHandoverDuty), nullptr);
}

}  // namespace
}  // namespace xietong::service
