#include "service/coord_item_service.h"

#include <gtest/gtest.h>

#include "service/test_util.h"

namespace xietong::service {
namespace {

using domain::CoordType;
using domain::DutyState;
using testing::Fixture;

core::Instant T(const char* s) {
  auto t = core::ParseInstant(s);
  if (!t) throw std::runtime_error(std::string("bad instant ") + s);
  return *t;
}

struct CoordFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  CoordItemService items{*store, clock, duties, calendars, CoordOptions{}};
  Principal s_officer, s_leader, auditor;

  CoordFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    s_officer = AddUser("scjg.officer", scjg, {domain::Role::kOfficer});
    s_leader = AddUser("scjg.leader", scjg, {domain::Role::kLeader});
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
  CoordCreateInput Notice(const char* kind, domain::Id to, const char* description, const char* place) {
    CoordNoticeInput in;
    in.kind = kind;
    in.to_org = to;
    in.description = description;
    in.place = place;
    return in;
  }
};

std::string State(const CoordItemView& v) {
  return std::string(domain::CoordStateName(v.item.type, v.item.state));
}
CoordActionInput Reason(const char* r) { return CoordReasonInput{r}; }
const CoordActionInput kNone = CoordNoInput{};

TEST(CoordItemService, NoticeMeasuresWithinFiveWorkingDays) {
  CoordFixture f;
  const CoordCreateInput body = f.Notice("hazard", f.scjg.id, "某市场燃气瓶违规存放", "新城镇农贸市场");
  auto n = f.items.Create(f.xincheng_officer, CoordType::kNotice, body);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(State(*n), "open");
  ASSERT_EQ(n->duties.size(), 1u);
  EXPECT_EQ(n->duties[0].kind, "notice.measures");
  EXPECT_EQ(n->duties[0].rule, "R-COL-5");
  const int64_t id = n->item.id;
  // The township may not record measures; nothing changes on refusal.
  const int64_t before = f.AuditCount();
  const CoordActionInput measures = NoticeMeasuresInput{"a", "b", "c"};
  auto denied = f.items.Act(f.xincheng_officer, CoordType::kNotice, id, "measures", measures);
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-COL-5");
  EXPECT_EQ(f.AuditCount(), before);
  // A body the handler could not read: access comes first (403 whatever the body), then the
  // body's error, naming its field; nothing changes.
  const core::Status missing_measures =
      core::Status::Invalid("measures", "缺少必填字段：measures", "R-COL-5", "missing_field");
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kNotice, id, "measures", missing_measures)
                .status().code(),
            core::Code::kPermissionDenied);
  auto missing = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures", missing_measures);
  EXPECT_EQ(missing.status().field(), "measures");
  const core::Status unknown_field =
      core::Status::Invalid("x", "不支持的字段：x", "R-COL-5", "unknown_field");
  auto unknown = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures", unknown_field);
  EXPECT_EQ(unknown.status().id(), "unknown_field");
  EXPECT_EQ(f.AuditCount(), before);
  // Other townships do not see it.
  EXPECT_EQ(f.items.Get(f.liuzu_officer, CoordType::kNotice, id).status().code(), core::Code::kNotFound);
  // Thread both sides see.
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kNotice, id, "message", CoordActionInput(CoordMessageInput{"已收到"})).ok());
  auto done = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures",
                          CoordActionInput(NoticeMeasuresInput{"隐患属实", "集中整治", "已约谈经营户"}));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(State(*done), "answered");
  EXPECT_EQ(done->duties[0].state, DutyState::kMet);
  auto seen = f.items.Get(f.xincheng_officer, CoordType::kNotice, id);
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->detail);
  EXPECT_EQ(seen->messages.size(), 1u);
  EXPECT_EQ(seen->fields.at("response").as_object().at("measures").as_string(), "已约谈经营户");
  EXPECT_GE(seen->timeline.size(), 3u);
  // Twice → illegal transition.
  auto again = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures", measures);
  EXPECT_EQ(again.status().id(), "illegal_transition");
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kNotice, id, "close", kNone).ok());
  // Only townships notify; to_org must be a department.
  EXPECT_EQ(f.items.Create(f.s_officer, CoordType::kNotice, body).status().code(),
            core::Code::kPermissionDenied);
  auto bad = f.Notice("hazard", f.liuzu.id, "d", "p");
  EXPECT_EQ(f.items.Create(f.xincheng_officer, CoordType::kNotice, bad).status().field(), "to_org");
}

TEST(CoordItemService, PhoneFirstParticipationOwesTheWrittenNotice) {
  CoordFixture f;
  CoordParticipationInput in;
  in.kind = "special_inspection";
  in.to_org = f.xincheng.id;
  in.subject = "燃气安全专项检查";
  in.start_at = T("2026-11-24T09:00:00+08:00");
  in.place = "新城镇";
  in.phone_notice = CoordPhoneNoticeInput{"王科长", "李队长", T("2026-11-23T08:30:00+08:00")};
  auto r = f.items.Create(f.s_officer, CoordType::kParticipation, CoordCreateInput(in));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(State(*r), "phoned");
  EXPECT_FALSE(r->item.number.has_value());
  ASSERT_EQ(r->duties.size(), 1u);
  EXPECT_EQ(r->duties[0].kind, "participation.written_notice");
  const int64_t id = r->item.id;
  auto c = f.items.Act(f.xincheng_officer, CoordType::kParticipation, id, "confirm",
                       CoordActionInput(ParticipationConfirmInput{{"张三", "李四"}, ""}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(State(*c), "confirmed");
  const CoordActionInput complete = CoordResultInput{};
  auto early = f.items.Act(f.s_officer, CoordType::kParticipation, id, "complete", complete);
  EXPECT_EQ(early.status().id(), "written_notice_missing");
  EXPECT_EQ(early.status().rule(), "R-COL-7");
  f.clock.Advance(std::chrono::hours(30));  // 2026-11-24 15:00: still within 1 working day
  auto w = f.items.Act(f.s_officer, CoordType::kParticipation, id, "written-notice", kNone);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(w->item.number.has_value());
  EXPECT_NE(w->item.number->find("参〔2026〕1号"), std::string::npos);
  EXPECT_EQ(w->duties[0].state, DutyState::kMet);
  EXPECT_EQ(w->documents.size(), 1u);
  EXPECT_EQ(f.items.Act(f.s_officer, CoordType::kParticipation, id, "written-notice", kNone).status().id(),
            "written_notice_exists");
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kParticipation, id, "complete", complete).ok());
  // Document access through the item.
  const int64_t doc = w->documents[0].id;
  EXPECT_TRUE(f.items.GetDocument(f.xincheng_officer, doc).ok());
  EXPECT_FALSE(f.items.GetDocument(f.liuzu_officer, doc).ok());
}

TEST(CoordItemService, ViolationNoticeRefusedGoesToTheCoordinator) {
  CoordFixture f;
  auto v = f.items.Create(f.xincheng_officer, CoordType::kViolation,
                          f.Notice("safety", f.scjg.id, "无证经营液化气", "新城镇东街"));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->item.number.has_value());
  EXPECT_EQ(v->duties[0].kind, "violation.dispatch");
  const int64_t id = v->item.id;
  // Coordination before the duty is red: refused.
  auto early = f.items.Act(f.xincheng_officer, CoordType::kViolation, id, "coordination", Reason("未派员"));
  EXPECT_EQ(early.status().id(), "dispatch_duty_not_overdue");
  // Officers may not refuse; leaders may.
  EXPECT_EQ(f.items.Act(f.s_officer, CoordType::kViolation, id, "refuse", Reason("不属本局")).status().code(),
            core::Code::kPermissionDenied);
  ASSERT_TRUE(f.items.Act(f.s_leader, CoordType::kViolation, id, "refuse", Reason("不属本局")).ok());
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kViolation, id, "coordination", Reason("理由不成立")).ok());
  // A decision the handler could not read is refused as soon as the item is found (R-COL-8).
  const core::Status bad_decision =
      core::Status::Invalid("decision", "decision 应为 department_handles|township_handles|reassign",
                            "R-COL-8", "invalid_value");
  auto unread = f.items.Act(f.coord_staff, CoordType::kViolation, id, "coordination/decision", bad_decision);
  EXPECT_EQ(unread.status().field(), "decision");
  EXPECT_EQ(unread.status().rule(), "R-COL-8");
  EXPECT_EQ(f.items.Act(f.liuzu_officer, CoordType::kViolation, id, "coordination/decision", bad_decision)
                .status().code(),
            core::Code::kNotFound);
  auto d = f.items.Act(f.coord_staff, CoordType::kViolation, id, "coordination.department_handles",
                       CoordActionInput(ViolationDecisionInput{"属市场监管职责", std::nullopt}));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(State(*d), "notified");
  EXPECT_EQ(d->duties.size(), 2u);
  // R-DOC-1: the decision is the coordinator's numbered 调 document; the notice keeps its 通 number.
  const auto& docs = d->documents;
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1].kind, domain::DocKind::kCoordinationDecision);
  EXPECT_NE(docs[1].number.find("调〔"), std::string::npos);
  EXPECT_EQ(d->item.number, docs[0].number);
  auto decision = f.items.GetDocument(f.s_officer, docs[1].id);
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_EQ(decision->org_id, f.coordinator.id);
  EXPECT_EQ(decision->serial, 1);
  auto disp = f.items.Act(f.s_officer, CoordType::kViolation, id, "dispatch",
                          CoordActionInput(ViolationDispatchInput{{"赵六"}, std::nullopt, ""}));
  ASSERT_TRUE(disp.ok()) << disp.status().ToString();
  EXPECT_EQ(State(*disp), "dispatched");
}

TEST(CoordItemService, ViolationDispatchOverdueAllowsCoordination) {
  CoordFixture f;
  auto v = f.items.Create(f.xincheng_officer, CoordType::kViolation,
                          f.Notice("public_order", f.scjg.id, "聚众滋事", "新城镇"));
  ASSERT_TRUE(v.ok());
  f.clock.Advance(std::chrono::hours(3));
  auto c = f.items.Act(f.xincheng_officer, CoordType::kViolation, v->item.id, "coordination", Reason("逾期未派员"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(State(*c), "coordination");
}

TEST(CoordItemService, MeetingDecisionsBecomeDuties) {
  CoordFixture f;
  CoordMeetingInput in;
  in.subject = "某非法采砂案";
  in.agenda = "研究案情";
  in.start_at = T("2026-11-23T14:00:00+08:00");
  in.place = "新城镇会议室";
  in.invitees = {CoordInviteeInput{f.scjg.id, std::nullopt}};
  auto m = f.items.Create(f.xincheng_officer, CoordType::kMeeting, CoordCreateInput(in));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const int64_t id = m->item.id;
  const CoordActionInput yes = MeetingReplyInput{true, ""};
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kMeeting, id, "reply", yes).ok());
  EXPECT_EQ(f.items.Act(f.liuzu_officer, CoordType::kMeeting, id, "reply", yes).status().code(),
            core::Code::kNotFound);
  MeetingMinutesInput minutes;
  minutes.minutes = "议定联合执法";
  minutes.decisions = {MeetingDecisionInput{"市场监管局牵头查处", f.scjg.id, std::nullopt, 3},
                       MeetingDecisionInput{"新城镇配合", f.xincheng.id, T("2026-12-01T18:00:00+08:00"), std::nullopt}};
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "minutes", CoordActionInput(minutes)).status().id(),
            "meeting_not_started");
  f.clock.Advance(std::chrono::hours(6));
  auto held = f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "minutes", CoordActionInput(minutes));
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ(State(*held), "held");
  EXPECT_EQ(held->duties.size(), 2u);
  EXPECT_EQ(core::FormatInstant(held->duties[1].due_at), "2026-12-01T18:00:00+08:00");
  EXPECT_EQ(held->duties[0].rule, "R-COL-6");
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "close", kNone).status().id(), "decisions_open");
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "joint-action",
                          CoordActionInput(JointActionInput{{f.scjg.id}, "", T("2026-11-25T09:00:00+08:00"), "西江河段", ""}),
                          1).ok());
  const auto done = [](const char* note) { return CoordActionInput(MeetingDecisionDoneInput{note}); };
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "decision-done", done("x"), 1)
                .status().code(),
            core::Code::kPermissionDenied);
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kMeeting, id, "decision-done", done("已立案"), 1).ok());
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "decision-done", done("已配合"), 2).ok());
  auto closed = f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "close", kNone);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  // R-DOC-1: the invitation, the minutes (the meeting's number) and the joint-action record.
  const auto& docs = closed->documents;
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].kind, domain::DocKind::kMeetingInvitation);
  EXPECT_EQ(docs[1].kind, domain::DocKind::kMeetingMinutes);
  EXPECT_EQ(docs[2].kind, domain::DocKind::kJointActionRecord);
  EXPECT_EQ(closed->item.number, docs[1].number);
  // Lists.
  auto mine = f.items.List(f.s_officer, CoordType::kMeeting, CoordQuery{.direction = "in"});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total, 1);
  EXPECT_FALSE(mine->items.at(0).detail);
  auto theirs = f.items.List(f.liuzu_officer, CoordType::kMeeting, CoordQuery{});
  EXPECT_EQ(theirs->total, 0);
  auto sums = f.items.Summaries(f.auditor, std::nullopt);
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ(sums->size(), 1u);
}

}  // namespace
}  // namespace xietong::service
