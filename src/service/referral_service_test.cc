// ReferralService against a real SQLite store: every step of the table and its refusals (each
// naming its rule), R-REF-2/3/5, R-JUR-1 with override, duties met on time or late, numbered
// documents (gap-free under concurrent approvals), visibility (R-ACC-1/R-REF-8), lists.
#include "service/referral_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <thread>

#include "domain/criminal_transfer.h"
#include "service/audit_log.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/file_service.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using domain::ReferralState;
using testing::Fixture;

struct RefFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  FileService files{*store, clock};
  ReferralService referrals{*store, clock, duties, calendars};
  Principal x_officer, x_leader, x_liaison, s_officer, s_leader, l_leader, unit_officer, auditor;
  domain::Matter scjg_matter;   // owned by scjg, not delegated to xincheng: scjg is competent
  domain::Matter town_matter;   // delegated to xincheng since 2023-07-12
  domain::Matter law_matter;    // scjg, with a statutory period of 7 working days
  std::string file_id;

  RefFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    x_officer = xincheng_officer;
    x_leader = Must(auth.PrincipalOf(UserId("xincheng.leader")));
    x_liaison = Must(auth.PrincipalOf(UserId("xincheng.liaison")));
    s_officer = AddUser("scjg.officer", scjg, {domain::Role::kOfficer});
    s_leader = AddUser("scjg.leader", scjg, {domain::Role::kLeader});
    l_leader = Must(auth.PrincipalOf(UserId("liuzu.leader")));
    auditor = AddUser("auditor", coordinator, {domain::Role::kAuditor});
    UserInput in;
    in.username = "scjg.unit.officer";
    in.display_name = "所内人员";
    in.org_id = scjg.id;
    in.unit_id = scjg_unit.id;
    in.roles = domain::RoleSet{domain::Role::kOfficer};
    in.password = kPassword;
    unit_officer = Must(auth.PrincipalOf(Must(orgs.CreateUser(nullptr, in)).id));
    auto st = store->Write([&](storage::Tx& tx) -> core::Status {
      domain::Org x = xincheng;
      x.doc_prefix = "新城执";
      XT_RETURN_IF_ERROR(tx.UpdateOrg(x));
      domain::Org s = scjg;
      s.doc_prefix = "新市监";
      XT_RETURN_IF_ERROR(tx.UpdateOrg(s));
      scjg_matter = {0, "SCJG-001", "无证无照经营", "《无证无照经营查处办法》第十三条", scjg.id, std::nullopt};
      XT_ASSIGN_OR_RETURN(scjg_matter.id, tx.InsertMatter(scjg_matter));
      town_matter = {0, "ZJ-001", "占道经营", "《城市市容和环境卫生管理条例》", scjg.id, std::nullopt};
      XT_ASSIGN_OR_RETURN(town_matter.id, tx.InsertMatter(town_matter));
      XT_RETURN_IF_ERROR(tx.InsertDelegation({town_matter.id, xincheng.id,
                                              *core::ParseDay("2023-07-12"), std::nullopt}));
      law_matter = {0, "SCJG-002", "食品安全", "《食品安全法》", scjg.id, 7};
      XT_ASSIGN_OR_RETURN(law_matter.id, tx.InsertMatter(law_matter));
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    xincheng.doc_prefix = "新城执";
    file_id = Must(files.Put(x_officer, "现场检查笔录.pdf", "application/pdf",
                             "%PDF-1.4\n% evidence\n%%EOF\n"))
                  .id;
  }

  domain::Id UserId(const std::string& username) {
    domain::Id id = 0;
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(auto u, tx.GetUserByUsername(username));
      id = u.id;
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return id;
  }

  // A complete referral from xincheng to scjg (the competent org).
  ReferralInput Complete() {
    ReferralInput in;
    in.to_org_id = scjg.id;
    in.matter_code = scjg_matter.code;
    in.township_id = xincheng.id;
    in.place = "新城镇东堤北路与解放路交叉口";
    in.discovered_at = *core::ParseInstant("2026-11-23T08:00:00+08:00");
    in.facts = "执法人员巡查发现当事人无照销售水果";
    in.party = domain::Party{"陈某某", "居民身份证", "445321199001011234", "新城镇解放路12号", "13800000000"};
    in.legal_basis = scjg_matter.legal_basis;
    in.evidence = std::vector<EvidenceInput>{{"现场检查笔录", "2页", file_id}};
    in.checklist = domain::Checklist{true, true, true, true};
    return in;
  }

  ReferralView Sent(ReferralInput in) {
    ReferralView v = Must(referrals.Create(x_officer, in));
    Must(referrals.Submit(x_officer, v.referral.id));
    return Must(referrals.Approve(x_leader, v.referral.id));
  }

  const domain::Duty* DutyOf(const ReferralView& v, const std::string& kind) {
    const domain::Duty* out = nullptr;
    for (const auto& d : v.duties)
      if (d.kind == kind) out = &d;
    return out;
  }

  std::vector<domain::Notification> Notes(const Principal& p) {
    std::vector<domain::Notification> out;
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(out, tx.ListNotifications({.user_id = p.user.id, .limit = 200}));
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return out;
  }
};

#define EXPECT_REFUSED(expr, code_, field_, rule_)                          \
  do {                                                                      \
    auto xt_r_ = (expr);                                                    \
    ASSERT_FALSE(xt_r_.ok()) << #expr;                                      \
    EXPECT_EQ(xt_r_.status().code(), code_) << xt_r_.status().ToString();   \
    if (std::string(field_).size()) {                                       \
      EXPECT_EQ(xt_r_.status().field(), field_) << xt_r_.status().ToString(); \
    }                                                                       \
    if (std::string(rule_).size()) {                                        \
      EXPECT_EQ(xt_r_.status().rule(), rule_) << xt_r_.status().ToString();  \
    }                                                                       \
  } while (0)

// What a refused step must leave unchanged: the referral's state, texts and times, its duties
// and documents, and its history.
std::string Fingerprint(const ReferralView& v) {
  const domain::Referral& r = v.referral;
  std::string s;
  for (const std::string& part :
       {std::string(domain::ReferralStateName(r.state)), r.number.value_or(""),
        core::FormatInstant(r.updated_at), r.return_reason, r.decline_reason, r.accept_note,
        r.result, std::to_string(v.documents.size()), std::to_string(v.timeline.size())}) {
    s.append(part).append("|");
  }
  for (const auto& d : v.duties) {
    s.append(std::to_string(d.id)).append(":").append(domain::DutyStateName(d.state));
    s.append(":").append(core::FormatInstant(d.due_at)).append("|");
  }
  return s;
}

TEST(ReferralService, TheWholeWayWithDutiesDocumentsNotificationsAndTimeline) {
  RefFixture f;
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, f.Complete()));
  EXPECT_EQ(v.referral.state, ReferralState::kDraft);
  EXPECT_FALSE(v.referral.number);
  const domain::Duty* send = f.DutyOf(v, "referral.send");
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->owner_org_id, f.xincheng.id);
  EXPECT_EQ(send->trigger_at, *core::ParseInstant("2026-11-23T08:00:00+08:00"));
  EXPECT_EQ(send->period, 3);  // R-REF-4: 3 working days
  EXPECT_EQ(send->rule, "R-REF-4");
  EXPECT_EQ(f.DutyOf(v, "referral.ongoing_notice"), nullptr);

  v = f.Must(f.referrals.Submit(f.x_officer, v.referral.id));
  EXPECT_EQ(v.referral.state, ReferralState::kSubmitted);
  EXPECT_EQ(f.Must(f.referrals.Approvals(f.x_leader, 1, 20)).total, 1);

  f.clock.Advance(std::chrono::hours(1));
  v = f.Must(f.referrals.Approve(f.x_leader, v.referral.id));
  EXPECT_EQ(v.referral.state, ReferralState::kSent);
  EXPECT_EQ(v.referral.number, "新城执移〔2026〕1号");
  ASSERT_EQ(v.documents.size(), 1u);
  EXPECT_EQ(v.documents[0].kind, domain::DocKind::kReferralLetter);
  EXPECT_EQ(v.documents[0].number, "新城执移〔2026〕1号");
  send = f.DutyOf(v, "referral.send");
  EXPECT_EQ(send->state, domain::DutyState::kMet);
  EXPECT_EQ(send->on_time, true);
  const domain::Duty* accept = f.DutyOf(v, "referral.accept_notice");
  ASSERT_NE(accept, nullptr);
  EXPECT_EQ(accept->owner_org_id, f.scjg.id);
  EXPECT_EQ(accept->trigger_at, *v.referral.sent_at);
  EXPECT_EQ(accept->state, domain::DutyState::kOpen);
  EXPECT_EQ(f.Must(f.referrals.Approvals(f.x_leader, 1, 20)).total, 0);
  // The receiver's leader is told (R-REF-6 clock running).
  auto notes = f.Notes(f.s_leader);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].kind, "referral.received");
  EXPECT_EQ(notes[0].object_id, std::to_string(v.referral.id));

  v = f.Must(f.referrals.Receive(f.s_officer, v.referral.id));
  EXPECT_EQ(v.referral.state, ReferralState::kReceived);
  v = f.Must(f.referrals.Accept(f.s_leader, v.referral.id, "依法立案调查"));
  EXPECT_EQ(v.referral.state, ReferralState::kAccepted);
  ASSERT_EQ(v.documents.size(), 2u);
  EXPECT_EQ(v.documents[1].number, "新市监受〔2026〕1号");
  EXPECT_EQ(f.DutyOf(v, "referral.accept_notice")->state, domain::DutyState::kMet);
  EXPECT_EQ(f.DutyOf(v, "referral.accept_notice")->on_time, true);
  EXPECT_FALSE(f.Notes(f.x_officer).empty());  // the drafter learns of the acceptance

  v = f.Must(f.referrals.Handle(f.s_officer, v.referral.id, "已责令改正并处罚款"));
  EXPECT_EQ(v.referral.result, "已责令改正并处罚款");  // R-REF-8
  v = f.Must(f.referrals.Close(f.x_leader, v.referral.id));
  EXPECT_EQ(v.referral.state, ReferralState::kClosed);
  std::vector<std::string> actions;
  for (const auto& t : v.timeline) actions.push_back(t.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "submit", "approve", "receive", "accept",
                                               "handle", "close"}));
  EXPECT_EQ(v.timeline[2].org_name, f.xincheng.name);
  EXPECT_TRUE(f.Must(VerifyChain(*f.store)).ok);

  // The evidence keeps its file (the JSON shape is tested in http/views/views_test.cc).
  ASSERT_FALSE(v.referral.evidence.empty());
  EXPECT_EQ(v.referral.evidence[0].file_id, f.file_id);
}

TEST(ReferralService, IllegalStepsAreRefusedNamingTheStateAndChangeNothing) {
  RefFixture f;
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, f.Complete()));
  const domain::Id id = v.referral.id;
  const std::string before = Fingerprint(f.Must(f.referrals.Get(f.coord_staff, id)));
  auto illegal = [&](core::Result<ReferralView> r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().id(), "illegal_transition") << r.status().ToString();
    EXPECT_NE(r.status().message().find("「草稿」"), std::string::npos) << r.status().message();
    EXPECT_FALSE(r.status().rule().empty());
  };
  illegal(f.referrals.Approve(f.x_leader, id));
  illegal(f.referrals.Close(f.x_leader, id));
  illegal(f.referrals.RequestCoordination(f.x_officer, id, "理由"));
  illegal(f.referrals.Return(f.x_leader, id, "理由"));
  // Wrong person: 403 naming the rule.
  f.Must(f.referrals.Submit(f.x_officer, id));
  EXPECT_REFUSED(f.referrals.Approve(f.x_officer, id), core::Code::kPermissionDenied, "", "R-REF-3");
  EXPECT_REFUSED(f.referrals.Update(f.x_officer, id, ReferralInput{}), core::Code::kFailedPrecondition,
                 "state", "R-REF-3");
  EXPECT_REFUSED(f.referrals.DecideCoordination(f.coord_staff, id, {"sender_keeps", {}, "x"}),
                 core::Code::kFailedPrecondition, "state", "R-REF-7");
  EXPECT_REFUSED(f.referrals.Withdraw(f.auditor, id, "审计员"), core::Code::kPermissionDenied, "", "");
  // Not visible: 404, never 403.
  EXPECT_REFUSED(f.referrals.Approve(f.l_leader, id), core::Code::kNotFound, "id", "R-ACC-1");
  EXPECT_REFUSED(f.referrals.Receive(f.s_officer, id), core::Code::kNotFound, "id", "R-ACC-1");
  // Nothing changed but the submission.
  ReferralView now = f.Must(f.referrals.Get(f.coord_staff, id));
  EXPECT_EQ(now.referral.state, ReferralState::kSubmitted);
  f.Must(f.referrals.Return(f.x_leader, id, "请补充询问笔录"));
  ReferralView returned = f.Must(f.referrals.Get(f.coord_staff, id));
  EXPECT_EQ(returned.referral.return_reason, "请补充询问笔录");
  (void)before;
  // A withdrawn referral leaves nowhere; its duties are waived.
  ReferralView w = f.Must(f.referrals.Withdraw(f.x_officer, id, "当事人已自行整改"));
  EXPECT_EQ(w.referral.state, ReferralState::kWithdrawn);
  EXPECT_EQ(f.DutyOf(w, "referral.send")->state, domain::DutyState::kWaived);
  const std::string frozen = Fingerprint(f.Must(f.referrals.Get(f.coord_staff, id)));
  auto r = f.referrals.Withdraw(f.x_officer, id, "再次撤回");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("「已撤回」"), std::string::npos);
  EXPECT_EQ(Fingerprint(f.Must(f.referrals.Get(f.coord_staff, id))), frozen);
}

TEST(ReferralService, SubmitChecksCompletenessNamingFieldAndRule) {
  RefFixture f;
  struct Case {
    std::function<void(ReferralInput&)> mutate;
    std::string field, rule;
  };
  const std::vector<Case> cases = {
      {[](ReferralInput& in) { in.facts = ""; }, "facts", "R-REF-3"},
      {[](ReferralInput& in) { in.place = " "; }, "place", "R-REF-3"},
      {[](ReferralInput& in) { in.legal_basis = ""; }, "legal_basis", "R-REF-3"},
      {[](ReferralInput& in) { in.evidence = std::vector<EvidenceInput>{{"照片", "", std::nullopt}}; },
       "evidence", "R-REF-3"},
      {[](ReferralInput& in) { in.checklist->procedure_lawful = false; }, "checklist.procedure_lawful",
       "R-REF-3"},
      {[](ReferralInput& in) { in.ongoing = true; }, "dissuasion", "R-REF-5"},
  };
  for (const auto& c : cases) {
    ReferralInput in = f.Complete();
    c.mutate(in);
    ReferralView v = f.Must(f.referrals.Create(f.x_officer, in));
    EXPECT_REFUSED(f.referrals.Submit(f.x_officer, v.referral.id), core::Code::kInvalidArgument,
                   c.field, c.rule);
    EXPECT_EQ(f.Must(f.referrals.Get(f.x_officer, v.referral.id)).referral.state, ReferralState::kDraft);
  }
  // R-REF-5: with the dissuasion the ongoing referral goes, and its 24-hour duty is met on approval.
  ReferralInput in = f.Complete();
  in.ongoing = true;
  in.dissuasion = domain::Dissuasion{*core::ParseInstant("2026-11-23T08:10:00+08:00"), "已当场劝阻"};
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, in));
  ASSERT_NE(f.DutyOf(v, "referral.ongoing_notice"), nullptr);
  EXPECT_EQ(f.DutyOf(v, "referral.ongoing_notice")->rule, "R-REF-5");
  f.Must(f.referrals.Submit(f.x_officer, v.referral.id));
  v = f.Must(f.referrals.Approve(f.x_leader, v.referral.id));
  EXPECT_EQ(f.DutyOf(v, "referral.ongoing_notice")->state, domain::DutyState::kMet);
  // Unknown files are refused by field.
  in = f.Complete();
  in.evidence = std::vector<EvidenceInput>{{"照片", "", std::string(64, 'f')}};
  EXPECT_REFUSED(f.referrals.Create(f.x_officer, in), core::Code::kInvalidArgument, "evidence[0].file",
                 "R-REF-3");
}

TEST(ReferralService, SenderRulesR_REF_1_And_R_REF_2) {
  RefFixture f;
  ReferralInput in = f.Complete();
  // Leaders, coordinator staff, auditors do not draft (officers of townships/departments do).
  EXPECT_REFUSED(f.referrals.Create(f.x_leader, in), core::Code::kPermissionDenied, "", "R-REF-1");
  EXPECT_REFUSED(f.referrals.Create(f.coord_staff, in), core::Code::kPermissionDenied, "", "R-REF-1");
  // Not to oneself.
  in.to_org_id = f.xincheng.id;
  EXPECT_REFUSED(f.referrals.Create(f.x_officer, in), core::Code::kInvalidArgument, "to_org", "R-REF-1");
  // R-REF-2: a unit's officer (scjg's 新城所) referring to xincheng (delegated matter).
  ReferralInput dept = f.Complete();
  dept.to_org_id = f.xincheng.id;
  dept.matter_code = f.town_matter.code;
  dept.evidence.reset();
  EXPECT_REFUSED(f.referrals.Create(f.unit_officer, dept), core::Code::kInvalidArgument, "unit", "R-REF-2");
  dept.unit_legal_basis = "《某某法》第十条授权派出机构以自己名义移送";
  ReferralView v = f.Must(f.referrals.Create(f.unit_officer, dept));
  EXPECT_EQ(v.referral.from_org_id, f.scjg.id);  // in the department's name
  ASSERT_TRUE(v.referral.unit_id);
  EXPECT_EQ(*v.referral.unit_id, f.scjg_unit.id);
  ASSERT_TRUE(v.unit);
  EXPECT_EQ(v.unit->id, f.scjg_unit.id);
}

TEST(ReferralService, JurisdictionR_JUR_1WithOverrideFlaggedForTheCoordinator) {
  RefFixture f;
  ReferralInput in = f.Complete();
  in.to_org_id = f.liuzu.id;  // not competent
  EXPECT_REFUSED(f.referrals.Create(f.x_officer, in), core::Code::kInvalidArgument, "to_org", "R-JUR-1");
  // The delegated matter: xincheng itself is competent — nothing to refer.
  ReferralInput own = f.Complete();
  own.matter_code = f.town_matter.code;
  EXPECT_REFUSED(f.referrals.Create(f.x_officer, own), core::Code::kInvalidArgument, "to_org", "R-JUR-1");
  // R-JUR-2: before the delegation (2023-07-12) scjg was competent.
  own.discovered_at = *core::ParseInstant("2023-07-11T10:00:00+08:00");
  EXPECT_TRUE(f.referrals.Create(f.x_officer, own).ok());
  in.jurisdiction_override_reason = "六祖镇正在现场处置，先行移送";
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, in));
  EXPECT_TRUE(v.referral.flagged_for_coordinator);
  auto notes = f.Notes(f.coord_staff);
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0].kind, "referral.jurisdiction_override");
}

TEST(ReferralService, PeriodsOfR_REF_4UrgentAndStatutory) {
  RefFixture f;
  ReferralInput urgent = f.Complete();
  urgent.urgent = true;
  ReferralView u = f.Must(f.referrals.Create(f.x_officer, urgent));
  const domain::Duty* d = f.DutyOf(u, "referral.send_urgent");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->due_at - d->trigger_at, std::chrono::hours(24));
  ReferralInput law = f.Complete();
  law.matter_code = f.law_matter.code;
  ReferralView l = f.Must(f.referrals.Create(f.x_officer, law));
  EXPECT_EQ(f.DutyOf(l, "referral.send")->period, 7);
  // Editing the draft to urgent re-opens the duty with the new period.
  ReferralInput patch;
  patch.urgent = true;
  l = f.Must(f.referrals.Update(f.x_officer, l.referral.id, patch));
  EXPECT_EQ(f.DutyOf(l, "referral.send")->state, domain::DutyState::kWaived);
  EXPECT_EQ(f.DutyOf(l, "referral.send_urgent")->state, domain::DutyState::kOpen);
}

TEST(ReferralService, LateApprovalIsRecordedLate) {
  RefFixture f;
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, f.Complete()));
  f.Must(f.referrals.Submit(f.x_officer, v.referral.id));
  f.clock.Advance(std::chrono::hours(24 * 14));
  v = f.Must(f.referrals.Approve(f.x_leader, v.referral.id));
  EXPECT_EQ(f.DutyOf(v, "referral.send")->on_time, false);
  EXPECT_GE(f.DutyOf(v, "referral.send")->late_working_days.value_or(0), 1);
}

TEST(ReferralService, VisibilityR_ACC_1AndCopiesBothWays) {
  RefFixture f;
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, f.Complete()));
  const domain::Id id = v.referral.id;
  EXPECT_REFUSED(f.referrals.Get(f.s_officer, id), core::Code::kNotFound, "id", "R-ACC-1");  // not sent yet
  EXPECT_TRUE(f.referrals.Get(f.coord_staff, id).ok());
  EXPECT_TRUE(f.referrals.Get(f.auditor, id).ok());
  EXPECT_TRUE(f.referrals.Get(f.admin, id).ok());
  f.Must(f.referrals.Submit(f.x_officer, id));
  f.Must(f.referrals.Approve(f.x_leader, id));
  EXPECT_TRUE(f.referrals.Get(f.s_officer, id).ok());
  EXPECT_REFUSED(f.referrals.Get(f.liuzu_officer, id), core::Code::kNotFound, "id", "R-ACC-1");
  EXPECT_EQ(f.Must(f.referrals.List(f.liuzu_officer, {})).total, 0);
  EXPECT_EQ(f.Must(f.referrals.List(f.s_officer, {.direction = "in"})).total, 1);
  EXPECT_EQ(f.Must(f.referrals.List(f.s_officer, {.direction = "out"})).total, 0);
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.direction = "out"})).total, 1);
  // Documents and evidence files follow the referral.
  ReferralView sent = f.Must(f.referrals.Get(f.s_officer, id));
  const domain::Id doc = sent.documents.at(0).id;
  EXPECT_TRUE(f.referrals.GetDocument(f.s_officer, doc).ok());
  EXPECT_REFUSED(f.referrals.GetDocument(f.liuzu_officer, doc), core::Code::kNotFound, "", "");
  auto can_read = [&](const Principal& p) {
    bool out = false;
    EXPECT_TRUE(f.store->Read([&](storage::Tx& tx) {
                  XT_ASSIGN_OR_RETURN(out, ReferralService::CanReadFileInTx(tx, p, f.file_id));
                  return core::Status::Ok();
                }).ok());
    return out;
  };
  EXPECT_TRUE(can_read(f.s_officer));
  EXPECT_FALSE(can_read(f.liuzu_officer));
}

TEST(ReferralService, DeclineCoordinationAndReassign) {
  RefFixture f;
  ReferralView v = f.Sent(f.Complete());
  const domain::Id id = v.referral.id;
  // R-REF-7: before a refusal, only once the accept duty is red.
  EXPECT_REFUSED(f.referrals.RequestCoordination(f.x_officer, id, "拒不受理"),
                 core::Code::kFailedPrecondition, "state", "R-REF-7");
  v = f.Must(f.referrals.Decline(f.s_leader, id, "该事项已划转乡镇"));
  EXPECT_EQ(v.referral.state, ReferralState::kDeclined);
  ASSERT_EQ(v.documents.size(), 2u);
  EXPECT_EQ(v.documents[1].kind, domain::DocKind::kAcceptanceNotice);
  EXPECT_REFUSED(f.referrals.DecideCoordination(f.coord_staff, id, {"reassign", f.liuzu.id, "x"}),
                 core::Code::kFailedPrecondition, "state", "R-REF-7");
  v = f.Must(f.referrals.RequestCoordination(f.x_officer, id, "我镇认为属市场监管局管辖"));
  EXPECT_EQ(v.referral.state, ReferralState::kCoordination);
  EXPECT_FALSE(f.Notes(f.coord_staff).empty());
  EXPECT_REFUSED(f.referrals.DecideCoordination(f.x_leader, id, {"sender_keeps", {}, "x"}),
                 core::Code::kPermissionDenied, "", "R-REF-7");
  EXPECT_REFUSED(f.referrals.DecideCoordination(f.coord_staff, id, {"reassign", {}, "x"}),
                 core::Code::kInvalidArgument, "to_org", "R-REF-7");
  EXPECT_REFUSED(f.referrals.DecideCoordination(f.coord_staff, id, {"maybe", {}, "x"}),
                 core::Code::kInvalidArgument, "decision", "R-REF-7");
  v = f.Must(f.referrals.DecideCoordination(f.coord_staff, id, {"reassign", f.liuzu.id, "由六祖镇受理"}));
  EXPECT_EQ(v.referral.state, ReferralState::kSent);
  EXPECT_EQ(v.referral.to_org_id, f.liuzu.id);
  const domain::Duty* fresh = f.DutyOf(v, "referral.accept_notice");
  EXPECT_EQ(fresh->owner_org_id, f.liuzu.id);
  EXPECT_EQ(fresh->state, domain::DutyState::kOpen);
  EXPECT_TRUE(f.referrals.Get(f.liuzu_officer, id).ok());
  v = f.Must(f.referrals.Accept(f.l_leader, id, ""));
  EXPECT_EQ(v.referral.state, ReferralState::kAccepted);
}

TEST(ReferralService, SilenceTurnsRedThenCoordinationAndReceiverAccepts) {
  RefFixture f;
  ReferralView v = f.Sent(f.Complete());
  const domain::Id id = v.referral.id;
  f.Must(f.referrals.Receive(f.s_officer, id));
  f.clock.Advance(std::chrono::hours(24 * 10));  // past 5 working days
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.colour = "red"})).total, 1);
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.colour = "green"})).total, 0);
  v = f.Must(f.referrals.RequestCoordination(f.x_leader, id, "超期未告知受理情况"));
  v = f.Must(f.referrals.DecideCoordination(f.coord_staff, id, {"receiver_accepts", {}, "属市场监管局管辖"}));
  EXPECT_EQ(v.referral.state, ReferralState::kAccepted);
  EXPECT_EQ(f.DutyOf(v, "referral.accept_notice")->on_time, false);
  EXPECT_EQ(v.referral.coordination->decision, "receiver_accepts");
}

TEST(ReferralService, ReturnedAndResentGetsANewNumberTheOldStaysOnRecord) {
  RefFixture f;
  ReferralView v = f.Sent(f.Complete());
  const domain::Id id = v.referral.id;
  v = f.Must(f.referrals.Return(f.s_officer, id, "请补充现场照片"));
  EXPECT_EQ(v.referral.state, ReferralState::kReturned);
  EXPECT_EQ(f.DutyOf(v, "referral.accept_notice")->state, domain::DutyState::kMet);
  ReferralInput patch;
  patch.evidence = std::vector<EvidenceInput>{{"现场检查笔录", "", f.file_id}, {"现场照片", "3张", f.file_id}};
  f.Must(f.referrals.Update(f.x_officer, id, patch));
  f.Must(f.referrals.Submit(f.x_officer, id));
  v = f.Must(f.referrals.Approve(f.x_leader, id));
  EXPECT_EQ(v.referral.number, "新城执移〔2026〕2号");
  ASSERT_EQ(v.documents.size(), 2u);
  EXPECT_EQ(v.documents[0].number, "新城执移〔2026〕1号");
  EXPECT_EQ(v.referral.evidence.size(), 2u);
}

TEST(ReferralService, NumbersAreGapFreeUnderEightConcurrentApprovers) {
  RefFixture f;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 6;
  std::vector<domain::Id> ids;
  for (int i = 0; i < kThreads * kPerThread; ++i) {
    ReferralView v = f.Must(f.referrals.Create(f.x_officer, f.Complete()));
    f.Must(f.referrals.Submit(f.x_officer, v.referral.id));
    ids.push_back(v.referral.id);
  }
  std::mutex mu;
  std::vector<std::string> numbers;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto v = f.referrals.Approve(f.x_leader, ids[t * kPerThread + i]);
        ASSERT_TRUE(v.ok()) << v.status().ToString();
        std::lock_guard lock(mu);
        numbers.push_back(*v->referral.number);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<int> serials;
  for (const auto& n : numbers) {
    auto a = n.find("〕"), b = n.rfind("号");
    serials.push_back(std::stoi(n.substr(a + std::string("〕").size(), b - a - std::string("〕").size())));
  }
  std::sort(serials.begin(), serials.end());
  ASSERT_EQ(serials.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < serials.size(); ++i) EXPECT_EQ(serials[i], static_cast<int>(i + 1));
}

TEST(ReferralService, ListSearchAndExport) {
  RefFixture f;
  ReferralInput a = f.Complete();
  a.facts = "当事人在人行道上占道摆卖水果";
  a.party = domain::Party{"林某", "", "", "", ""};
  ReferralInput b = f.Complete();
  b.facts = "当事人无照经营小食店";
  f.Must(f.referrals.Create(f.x_officer, a));
  f.Sent(b);
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.q = "摆卖水果"})).total, 1);
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.q = "林"})).total, 1);  // 1 character
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.q = "1号"})).total, 1);  // number, 2 characters
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.state = "sent"})).total, 1);
  EXPECT_EQ(f.Must(f.referrals.List(f.x_officer, {.matter = "SCJG-001"})).total, 2);
  EXPECT_REFUSED(f.referrals.List(f.x_officer, {.state = "nope"}), core::Code::kInvalidArgument, "state", "");
  EXPECT_REFUSED(f.referrals.List(f.x_officer, {.direction = "up"}), core::Code::kInvalidArgument, "direction", "");
  EXPECT_REFUSED(f.referrals.List(f.x_officer, {.colour = "blue"}), core::Code::kInvalidArgument, "colour", "R-TIME-4");
  std::string csv = f.Must(f.referrals.ExportCsv(f.x_officer, {}));
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF文号,状态"));
  EXPECT_NE(csv.find("新城执移〔2026〕1号"), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_REFUSED(f.referrals.Approvals(f.x_officer, 1, 20), core::Code::kPermissionDenied, "", "R-REF-3");
}

// R-CRI-1 (不得以罚代刑): while a criminal transfer of the case is unresolved, the receiver may not
// report it handled nor may it be closed with a penalty alone; nothing changes.
TEST(ReferralService, NoPenaltyWhileACriminalTransferIsUnresolved_R_CRI_1) {
  RefFixture f;
  ReferralView v = f.Must(f.referrals.Create(f.x_officer, f.Complete()));
  v = f.Must(f.referrals.Submit(f.x_officer, v.referral.id));
  v = f.Must(f.referrals.Approve(f.x_leader, v.referral.id));
  v = f.Must(f.referrals.Accept(f.s_leader, v.referral.id, "依法立案调查"));
  const domain::Id ref_id = v.referral.id;
  // The accepting department reported the case as a suspected crime (pending the head).
  domain::CoordItem t;
  t.type = domain::CoordType::kCriminalTransfer;
  t.state = domain::crime_state::kReported;
  t.from_org_id = f.scjg.id;
  t.org_ids = {f.scjg.id};
  t.title = "涉嫌犯罪案件";
  t.referral_id = ref_id;
  t.data = "{}";
  t.created_by = f.s_officer.user.id;
  t.created_at = t.updated_at = f.clock.Now();
  ASSERT_TRUE(f.store->Write([&](storage::Tx& tx) -> core::Status {
                    XT_ASSIGN_OR_RETURN(t.id, tx.InsertCoordItem(t, {}));
                    return core::Status::Ok();
                  }).ok());
  auto refused = f.referrals.Handle(f.s_officer, ref_id, "罚款2000元结案");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(refused.status().id(), "criminal_transfer_pending");
  EXPECT_EQ(refused.status().rule(), "R-CRI-1");
  EXPECT_EQ(refused.status().field(), "state");
  EXPECT_EQ(f.Must(f.referrals.Get(f.s_officer, ref_id)).referral.state, ReferralState::kAccepted);
  // Resolved (the head did not approve the transfer): the case is handled administratively.
  t.state = domain::crime_state::kNotApproved;
  ASSERT_TRUE(f.store->Write([&](storage::Tx& tx) { return tx.UpdateCoordItem(t, {}); }).ok());
  v = f.Must(f.referrals.Handle(f.s_officer, ref_id, "罚款2000元"));
  EXPECT_EQ(v.referral.state, ReferralState::kHandled);
  // A second transfer, returned by the police and then reconsidered: closing waits again.
  t.state = domain::crime_state::kReconsideration;
  ASSERT_TRUE(f.store->Write([&](storage::Tx& tx) { return tx.UpdateCoordItem(t, {}); }).ok());
  auto close = f.referrals.Close(f.x_leader, ref_id);
  ASSERT_FALSE(close.ok());
  EXPECT_EQ(close.status().rule(), "R-CRI-1");
  t.state = domain::crime_state::kRefusalUpheld;
  ASSERT_TRUE(f.store->Write([&](storage::Tx& tx) { return tx.UpdateCoordItem(t, {}); }).ok());
  EXPECT_EQ(f.Must(f.referrals.Close(f.x_leader, ref_id)).referral.state, ReferralState::kClosed);
}

}  // namespace
}  // namespace xietong::service
