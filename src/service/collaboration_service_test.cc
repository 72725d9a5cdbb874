// CollaborationService against a real SQLite store: every action of the contract's table in one
// transaction with its duties (R-COL-2/3/4), numbered documents, notifications, audit entries,
// visibility (R-ACC-1) and refusals naming field and rule with nothing changed.
#include "service/collaboration_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/file_service.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using domain::CollabState;
using testing::Fixture;

struct ColFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  FileService files{*store, clock};
  CollaborationService collabs{*store, clock, duties, calendars, CollaborationOptions{3}};
  Principal x_officer, x_leader, s_officer, s_leader, s_liaison, l_leader, auditor;
  std::string file_id;

  ColFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    x_officer = xincheng_officer;
    x_leader = Must(auth.PrincipalOf(UserId("xincheng.leader")));
    s_officer = AddUser("scjg.officer", scjg, {domain::Role::kOfficer});
    s_leader = AddUser("scjg.leader", scjg, {domain::Role::kLeader});
    s_liaison = AddUser("scjg.liaison", scjg, {domain::Role::kLiaison});
    l_leader = Must(auth.PrincipalOf(UserId("liuzu.leader")));
    auditor = AddUser("auditor", coordinator, {domain::Role::kAuditor});
    auto st = store->Write([&](storage::Tx& tx) -> core::Status {
      domain::Org x = xincheng;
      x.doc_prefix = "新城执";
      XT_RETURN_IF_ERROR(tx.UpdateOrg(x));
      domain::Org s = scjg;
      s.doc_prefix = "新市监";
      return tx.UpdateOrg(s);
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    file_id = Must(files.Put(x_officer, "检测报告.pdf", "application/pdf", "%PDF-1.4\n% r\n%%EOF\n")).id;
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

  CollaborationInput Complete(const char* kind = "technical_appraisal") {
    CollaborationInput in;
    in.kind = kind;
    in.to_org_id = scjg.id;
    in.title = "涉案食品是否属于过期食品";
    in.questions = "请对现场查扣的12箱饮料是否超过保质期进行技术鉴定";
    in.case_ref = "新城执〔2026〕立字第18号";
    in.materials = std::vector<CollabMaterialInput>{{"检测报告", "1份", file_id}};
    return in;
  }

  CollaborationView Sent(CollaborationInput in) {
    CollaborationView v = Must(collabs.Create(x_officer, in));
    Must(collabs.Submit(x_officer, v.c.id));
    return Must(collabs.Approve(x_leader, v.c.id));
  }

  static const domain::Duty* DutyOf(const CollaborationView& v, const std::string& kind) {
    const domain::Duty* out = nullptr;
    for (const auto& d : v.duties)
      if (d.kind == kind) out = &d;  // the latest
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

  std::vector<domain::DutyEvent> Events(domain::Id duty_id) {
    std::vector<domain::DutyEvent> out;
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(out, tx.ListDutyEvents(duty_id));
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return out;
  }

  int64_t AuditCount() {
    int64_t n = 0;
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      storage::AuditFilter f;
      f.limit = 100000;
      XT_ASSIGN_OR_RETURN(auto es, tx.ListAudit(f));
      n = static_cast<int64_t>(es.size());
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return n;
  }
};

#define EXPECT_REFUSED(expr, code_, field_, rule_)                            \
  do {                                                                        \
    auto xt_r_ = (expr);                                                      \
    ASSERT_FALSE(xt_r_.ok()) << #expr;                                        \
    EXPECT_EQ(xt_r_.status().code(), code_) << xt_r_.status().ToString();     \
    if (std::string(field_).size()) {                                         \
      EXPECT_EQ(xt_r_.status().field(), field_) << xt_r_.status().ToString(); \
    }                                                                         \
    if (std::string(rule_).size()) {                                          \
      EXPECT_EQ(xt_r_.status().rule(), rule_) << xt_r_.status().ToString();   \
    }                                                                         \
  } while (0)

TEST(CollaborationServiceTest, HappyPathAnsweredOnTime) {
  ColFixture f;
  CollaborationView v = f.Must(f.collabs.Create(f.x_officer, f.Complete()));
  EXPECT_EQ(v.c.state, CollabState::kDraft);
  ASSERT_EQ(v.c.materials.size(), 1u);
  ASSERT_TRUE(v.c.materials[0].file);
  EXPECT_EQ(v.c.materials[0].file->name, "检测报告.pdf");
  EXPECT_TRUE(v.duties.empty());

  v = f.Must(f.collabs.Submit(f.x_officer, v.c.id));
  EXPECT_EQ(v.c.state, CollabState::kSubmitted);
  v = f.Must(f.collabs.Approve(f.x_leader, v.c.id));
  EXPECT_EQ(v.c.state, CollabState::kSent);
  ASSERT_TRUE(v.c.number);
  EXPECT_EQ(*v.c.number, "新城执协〔2026〕1号");
  ASSERT_EQ(v.c.rounds.size(), 1u);
  const domain::Duty* answer = f.DutyOf(v, "collaboration.answer");
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->owner_org_id, f.scjg.id);
  EXPECT_EQ(answer->rule, "R-COL-2");
  EXPECT_EQ(answer->trigger_at, *v.c.sent_at);
  EXPECT_GT(answer->due_at, *v.c.sent_at);
  EXPECT_EQ(f.DutyOf(v, "collaboration.dispatch"), nullptr);  // not urgent
  ASSERT_EQ(v.documents.size(), 1u);
  EXPECT_EQ(v.documents[0].kind, domain::DocKind::kCollaborationLetter);
  // Receiver leaders and liaisons notified on arrival.
  auto notes = f.Notes(f.s_leader);
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(),
                          [](const auto& n) { return n.kind == "collaboration.received"; }));
  notes = f.Notes(f.s_liaison);
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(),
                          [](const auto& n) { return n.kind == "collaboration.received"; }));

  // The receiver sees it now; another township does not (R-ACC-1).
  EXPECT_TRUE(f.collabs.Get(f.s_officer, v.c.id).ok());
  EXPECT_TRUE(f.collabs.Get(f.auditor, v.c.id).ok());
  EXPECT_REFUSED(f.collabs.Get(f.l_leader, v.c.id), core::Code::kNotFound, "", "R-ACC-1");

  v = f.Must(f.collabs.Receive(f.s_officer, v.c.id));
  EXPECT_EQ(v.c.state, CollabState::kReceived);
  f.clock.Advance(std::chrono::hours(3));
  v = f.Must(f.collabs.Answer(f.s_officer, v.c.id, {"已过期", "经检测，12箱饮料均已超过保质期", std::nullopt}));
  EXPECT_EQ(v.c.state, CollabState::kAnswerPending);
  ASSERT_TRUE(v.c.rounds.back().answer);
  EXPECT_FALSE(v.c.rounds.back().answer->answered_at);
  // A second answer replaces the draft.
  v = f.Must(f.collabs.Answer(f.s_officer, v.c.id, {"均已过期", "经检测，12箱饮料均已超过保质期。", std::nullopt}));
  EXPECT_EQ(v.c.rounds.back().answer->conclusion, "均已过期");
  // An officer may not sign it off.
  EXPECT_REFUSED(f.collabs.ApproveAnswer(f.s_officer, v.c.id), core::Code::kPermissionDenied, "",
                 "R-COL-2");
  v = f.Must(f.collabs.ApproveAnswer(f.s_leader, v.c.id));
  EXPECT_EQ(v.c.state, CollabState::kAnswered);
  ASSERT_TRUE(v.c.rounds.back().answer->answered_at);
  ASSERT_TRUE(v.c.rounds.back().answer->document_id);
  answer = f.DutyOf(v, "collaboration.answer");
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->state, domain::DutyState::kMet);
  EXPECT_EQ(answer->on_time, true);
  ASSERT_EQ(v.documents.size(), 2u);
  EXPECT_EQ(v.documents[1].kind, domain::DocKind::kCollaborationAnswer);
  EXPECT_EQ(v.documents[1].number, "新市监复〔2026〕1号");
  notes = f.Notes(f.x_officer);  // the creator
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(),
                          [](const auto& n) { return n.kind == "collaboration.answered"; }));
  // Documents readable by both sides, not by another township.
  EXPECT_TRUE(f.collabs.GetDocument(f.x_officer, v.documents[1].id).ok());
  EXPECT_TRUE(f.collabs.GetDocument(f.s_officer, v.documents[0].id).ok());
  EXPECT_REFUSED(f.collabs.GetDocument(f.l_leader, v.documents[0].id), core::Code::kNotFound, "", "");
  // Files of the materials readable by the receiver through the hook.
  bool readable = false;
  ASSERT_TRUE(f.store->Read([&](storage::Tx& tx) {
    XT_ASSIGN_OR_RETURN(readable, CollaborationService::CanReadFileInTx(tx, f.s_officer, f.file_id));
    return core::Status::Ok();
  }).ok());
  EXPECT_TRUE(readable);

  v = f.Must(f.collabs.Close(f.x_officer, v.c.id));
  EXPECT_EQ(v.c.state, CollabState::kClosed);
  // Timeline from the audit log.
  std::vector<std::string> actions;
  for (const auto& t : v.timeline) actions.push_back(t.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "submit", "approve", "receive", "answer",
                                               "answer", "approve_answer", "close"}));
  ASSERT_TRUE(v.detail);
  ASSERT_TRUE(v.c.rounds.at(0).answer);
  EXPECT_EQ(v.c.rounds.at(0).answer->text, "经检测，12箱饮料均已超过保质期。");
}

TEST(CollaborationServiceTest, ExtensionMovesTheAnswerDutyKeepingHistory) {
  ColFixture f;
  CollaborationView v = f.Sent(f.Complete("technical_appraisal"));
  const domain::Duty old = *f.DutyOf(v, "collaboration.answer");
  const core::Instant new_due = old.due_at + std::chrono::hours(24 * 7);
  // Only the receiver's leader (R-COL-4 table row).
  EXPECT_REFUSED(f.collabs.Extend(f.s_officer, v.c.id, {"需送检", new_due, false}),
                 core::Code::kPermissionDenied, "", "");
  // Not later than the current due.
  EXPECT_REFUSED(f.collabs.Extend(f.s_leader, v.c.id, {"需送检", old.due_at, false}),
                 core::Code::kInvalidArgument, "new_due", "R-COL-4");
  v = f.Must(f.collabs.Extend(f.s_leader, v.c.id, {"需送省级检测机构检验", new_due, false}));
  EXPECT_EQ(v.c.state, CollabState::kSent);
  const domain::Duty* d = f.DutyOf(v, "collaboration.answer");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id, old.id);
  EXPECT_EQ(d->due_at, new_due);
  ASSERT_EQ(v.c.extensions.size(), 1u);
  EXPECT_EQ(v.c.extensions[0].old_due, old.due_at);
  EXPECT_EQ(v.c.extensions[0].new_due, new_due);
  auto events = f.Events(d->id);
  auto ext = std::find_if(events.begin(), events.end(), [](const auto& e) { return e.kind == "extended"; });
  ASSERT_NE(ext, events.end());
  EXPECT_EQ(ext->old_due, old.due_at);
  EXPECT_EQ(ext->new_due, new_due);
  auto notes = f.Notes(f.x_officer);
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(),
                          [](const auto& n) { return n.kind == "collaboration.extended"; }));
}

TEST(CollaborationServiceTest, AdvisoryOpinionExtendsOnlyWhenComplex) {
  ColFixture f;
  CollaborationView v = f.Sent(f.Complete("advisory_opinion"));
  const domain::Duty old = *f.DutyOf(v, "collaboration.answer");
  const core::Instant new_due = old.due_at + std::chrono::hours(48);
  const int64_t audits = f.AuditCount();
  auto r = f.collabs.Extend(f.s_leader, v.c.id, {"需要研究", new_due, false});
  EXPECT_REFUSED(r, core::Code::kInvalidArgument, "complex", "R-COL-4");
  EXPECT_EQ(r.status().id(), "extension_not_allowed");
  // Nothing changed.
  EXPECT_EQ(f.AuditCount(), audits);
  CollaborationView same = f.Must(f.collabs.Get(f.s_leader, v.c.id));
  EXPECT_EQ(f.DutyOf(same, "collaboration.answer")->due_at, old.due_at);
  EXPECT_TRUE(same.c.extensions.empty());
  v = f.Must(f.collabs.Extend(f.s_leader, v.c.id, {"涉及多部门职责，情况复杂", new_due, true}));
  EXPECT_TRUE(v.c.complex);
  EXPECT_EQ(f.DutyOf(v, "collaboration.answer")->due_at, new_due);
}

TEST(CollaborationServiceTest, UrgentDispatchDutyMetByArrived) {
  ColFixture f;
  CollaborationInput in = f.Complete("determination");
  in.urgent = true;
  CollaborationView v = f.Sent(in);
  const domain::Duty* dispatch = f.DutyOf(v, "collaboration.dispatch");
  ASSERT_NE(dispatch, nullptr);
  EXPECT_EQ(dispatch->owner_org_id, f.scjg.id);
  EXPECT_EQ(dispatch->rule, "R-COL-3");
  EXPECT_EQ(dispatch->due_at, *v.c.sent_at + std::chrono::hours(3));  // the option
  EXPECT_REFUSED(f.collabs.Arrived(f.s_officer, v.c.id, std::nullopt),
                 core::Code::kFailedPrecondition, "state", "R-COL-3");
  EXPECT_REFUSED(f.collabs.Dispatch(f.s_officer, v.c.id, {{}, std::nullopt, ""}),
                 core::Code::kInvalidArgument, "staff", "R-COL-3");
  f.clock.Advance(std::chrono::minutes(30));
  v = f.Must(f.collabs.Dispatch(f.s_officer, v.c.id, {{"张三", "李四"}, std::nullopt, "带检测设备"}));
  ASSERT_TRUE(v.c.dispatch);
  EXPECT_EQ(v.c.dispatch->staff.size(), 2u);
  f.clock.Advance(std::chrono::minutes(60));
  v = f.Must(f.collabs.Arrived(f.s_officer, v.c.id, std::nullopt));
  ASSERT_TRUE(v.c.dispatch->arrived_at);
  dispatch = f.DutyOf(v, "collaboration.dispatch");
  EXPECT_EQ(dispatch->state, domain::DutyState::kMet);
  EXPECT_EQ(dispatch->on_time, true);
  EXPECT_EQ(v.c.state, CollabState::kSent);

  // Not urgent: 409 dispatch_not_required.
  CollaborationView plain = f.Sent(f.Complete("determination"));
  auto r = f.collabs.Dispatch(f.s_officer, plain.c.id, {{"张三"}, std::nullopt, ""});
  EXPECT_REFUSED(r, core::Code::kFailedPrecondition, "", "R-COL-3");
  EXPECT_EQ(r.status().id(), "dispatch_not_required");
}

TEST(CollaborationServiceTest, FollowUpOpensANewRoundWithANewDuty) {
  ColFixture f;
  CollaborationView v = f.Sent(f.Complete("advisory_opinion"));
  v = f.Must(f.collabs.Answer(f.s_officer, v.c.id, {"属于", "意见正文", std::nullopt}));
  v = f.Must(f.collabs.ApproveAnswer(f.s_leader, v.c.id));
  f.clock.Advance(std::chrono::hours(1));
  EXPECT_REFUSED(f.collabs.FollowUp(f.s_officer, v.c.id, "再问"), core::Code::kPermissionDenied, "", "");
  EXPECT_REFUSED(f.collabs.FollowUp(f.x_officer, v.c.id, ""), core::Code::kInvalidArgument,
                 "questions", "");
  v = f.Must(f.collabs.FollowUp(f.x_officer, v.c.id, "请进一步说明依据"));
  EXPECT_EQ(v.c.state, CollabState::kReceived);
  ASSERT_EQ(v.c.rounds.size(), 2u);
  EXPECT_EQ(v.c.rounds[1].n, 2);
  EXPECT_FALSE(v.c.rounds[1].answer);
  int answers = 0, open = 0;
  for (const auto& d : v.duties) {
    if (d.kind != "collaboration.answer") continue;
    ++answers;
    if (d.state == domain::DutyState::kOpen) ++open;
  }
  EXPECT_EQ(answers, 2);
  EXPECT_EQ(open, 1);
  EXPECT_EQ(*v.c.rounds[1].duty_id, f.DutyOf(v, "collaboration.answer")->id);
  auto notes = f.Notes(f.s_leader);
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(),
                          [](const auto& n) { return n.kind == "collaboration.follow_up"; }));
  v = f.Must(f.collabs.Answer(f.s_officer, v.c.id, {"补充", "补充说明", std::nullopt}));
  v = f.Must(f.collabs.ApproveAnswer(f.s_leader, v.c.id));
  EXPECT_EQ(v.documents.size(), 3u);  // letter + two answers
  EXPECT_EQ(v.documents[2].number, "新市监复〔2026〕2号");
}

TEST(CollaborationServiceTest, RefusalsNameFieldAndRuleAndChangeNothing) {
  ColFixture f;
  // Only township staff create (R-COL-1).
  EXPECT_REFUSED(f.collabs.Create(f.s_officer, f.Complete()), core::Code::kPermissionDenied, "",
                 "R-COL-1");
  CollaborationInput in = f.Complete();
  in.to_org_id = f.liuzu.id;
  EXPECT_REFUSED(f.collabs.Create(f.x_officer, in), core::Code::kInvalidArgument, "to_org", "R-COL-1");
  in = f.Complete();
  in.kind.reset();
  EXPECT_REFUSED(f.collabs.Create(f.x_officer, in), core::Code::kInvalidArgument, "kind", "R-COL-1");
  in = f.Complete();
  in.title = std::string(101, 'a');
  EXPECT_REFUSED(f.collabs.Create(f.x_officer, in), core::Code::kInvalidArgument, "title", "");

  CollaborationInput partial;
  partial.kind = "determination";
  partial.to_org_id = f.scjg.id;
  partial.title = "标题";
  CollaborationView v = f.Must(f.collabs.Create(f.x_officer, partial));
  const int64_t audits = f.AuditCount();
  EXPECT_REFUSED(f.collabs.Submit(f.x_officer, v.c.id), core::Code::kInvalidArgument, "questions",
                 "R-COL-1");
  EXPECT_EQ(f.AuditCount(), audits);
  EXPECT_EQ(f.Must(f.collabs.Get(f.x_officer, v.c.id)).c.state, CollabState::kDraft);
  // A draft is invisible to the receiver and other townships.
  EXPECT_REFUSED(f.collabs.Get(f.s_leader, v.c.id), core::Code::kNotFound, "", "R-ACC-1");
  EXPECT_REFUSED(f.collabs.Get(f.l_leader, v.c.id), core::Code::kNotFound, "", "R-ACC-1");
  EXPECT_REFUSED(f.collabs.Withdraw(f.l_leader, v.c.id, "x"), core::Code::kNotFound, "", "R-ACC-1");

  CollaborationInput rest;
  rest.questions = "问题";
  rest.case_ref = "案件";
  f.Must(f.collabs.Update(f.x_officer, v.c.id, rest));
  v = f.Must(f.collabs.Submit(f.x_officer, v.c.id));
  // An officer may not approve (sender leader only).
  EXPECT_REFUSED(f.collabs.Approve(f.x_officer, v.c.id), core::Code::kPermissionDenied, "", "");
  // Return, then approve later gets the next number.
  v = f.Must(f.collabs.Return(f.x_leader, v.c.id, "补充材料"));
  EXPECT_EQ(v.c.state, CollabState::kDraft);
  EXPECT_EQ(v.c.return_reason, "补充材料");
  // Illegal: answer a draft → 409 naming the state.
  EXPECT_REFUSED(f.collabs.Close(f.x_officer, v.c.id), core::Code::kFailedPrecondition, "state", "");
  v = f.Must(f.collabs.Submit(f.x_officer, v.c.id));
  v = f.Must(f.collabs.Approve(f.x_leader, v.c.id));
  // Withdraw waives open duties.
  v = f.Must(f.collabs.Withdraw(f.x_officer, v.c.id, "已自行查明"));
  EXPECT_EQ(v.c.state, CollabState::kWithdrawn);
  for (const auto& d : v.duties) EXPECT_EQ(d.state, domain::DutyState::kWaived);
}

TEST(CollaborationServiceTest, ListsFilterAndExport) {
  ColFixture f;
  CollaborationView a = f.Sent(f.Complete("technical_appraisal"));
  CollaborationView b = f.Must(f.collabs.Create(f.x_officer, f.Complete("advisory_opinion")));
  (void)a;
  (void)b;
  auto out = f.Must(f.collabs.List(f.x_officer, {.direction = "out"}));
  EXPECT_EQ(out.total, 2);
  auto in = f.Must(f.collabs.List(f.s_officer, {.direction = "in"}));
  EXPECT_EQ(in.total, 1);  // the draft is not sent
  auto none = f.Must(f.collabs.List(f.l_leader, {}));
  EXPECT_EQ(none.total, 0);
  auto kind = f.Must(f.collabs.List(f.coord_staff, {.kind = "advisory_opinion"}));
  EXPECT_EQ(kind.total, 1);
  EXPECT_REFUSED(f.collabs.List(f.x_officer, {.direction = "sideways"}), core::Code::kInvalidArgument,
                 "direction", "");
  std::string csv = f.Must(f.collabs.ExportCsv(f.x_officer, {}));
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.find("新城执协〔2026〕1号"), std::string::npos);
}

}  // namespace
}  // namespace xietong::service
