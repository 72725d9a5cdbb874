#include "service/coord_item_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/test_util.h"

namespace xietong::service {
namespace {

namespace json = boost::json;
using domain::CoordType;
using testing::Fixture;

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
  static json::object J(const std::string& s) { return json::parse(s).as_object(); }
  int64_t AuditCount() {
    int64_t n = 0;
    auto st = store->Read([&](storage::Tx& tx) {
      return tx.ScanAudit([&](const domain::AuditEntry&) { ++n; return true; });
    });
    EXPECT_TRUE(st.ok());
    return n;
  }
};

std::string Str(const json::object& o, const char* k) { return std::string(o.at(k).as_string()); }

TEST(CoordItemService, NoticeMeasuresWithinFiveWorkingDays) {
  CoordFixture f;
  auto body = CoordFixture::J(R"({"kind":"hazard","to_org":)" + std::to_string(f.scjg.id) +
                              R"(,"description":"某市场燃气瓶违规存放","place":"新城镇农贸市场"})");
  auto n = f.items.Create(f.xincheng_officer, CoordType::kNotice, body);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(Str(*n, "state"), "open");
  ASSERT_EQ(n->at("duties").as_array().size(), 1u);
  const auto& duty = n->at("duties").as_array()[0].as_object();
  EXPECT_EQ(Str(duty, "kind"), "notice.measures");
  EXPECT_EQ(Str(duty, "rule"), "R-COL-5");
  const int64_t id = n->at("id").as_int64();
  // The township may not record measures; nothing changes on refusal.
  const int64_t before = f.AuditCount();
  auto denied = f.items.Act(f.xincheng_officer, CoordType::kNotice, id, "measures",
                            CoordFixture::J(R"({"analysis":"a","advice":"b","measures":"c"})"));
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-COL-5");
  EXPECT_EQ(f.AuditCount(), before);
  // Missing field names it.
  auto missing = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures",
                             CoordFixture::J(R"({"analysis":"a","advice":"b"})"));
  EXPECT_EQ(missing.status().field(), "measures");
  auto unknown = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures",
                             CoordFixture::J(R"({"analysis":"a","advice":"b","measures":"c","x":1})"));
  EXPECT_EQ(unknown.status().id(), "unknown_field");
  // Other townships do not see it.
  EXPECT_EQ(f.items.Get(f.liuzu_officer, CoordType::kNotice, id).status().code(), core::Code::kNotFound);
  // Thread both sides see.
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kNotice, id, "message", CoordFixture::J(R"({"text":"已收到"})")).ok());
  auto done = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures",
                          CoordFixture::J(R"({"analysis":"隐患属实","advice":"集中整治","measures":"已约谈经营户"})"));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(Str(*done, "state"), "answered");
  EXPECT_EQ(Str(done->at("duties").as_array()[0].as_object(), "state"), "met");
  auto seen = f.items.Get(f.xincheng_officer, CoordType::kNotice, id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->at("messages").as_array().size(), 1u);
  EXPECT_EQ(Str(seen->at("response").as_object(), "measures"), "已约谈经营户");
  EXPECT_GE(seen->at("timeline").as_array().size(), 3u);
  // Twice → illegal transition.
  auto again = f.items.Act(f.s_officer, CoordType::kNotice, id, "measures",
                           CoordFixture::J(R"({"analysis":"a","advice":"b","measures":"c"})"));
  EXPECT_EQ(again.status().id(), "illegal_transition");
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kNotice, id, "close", {}).ok());
  // Only townships notify; to_org must be a department.
  EXPECT_EQ(f.items.Create(f.s_officer, CoordType::kNotice, body).status().code(),
            core::Code::kPermissionDenied);
  auto bad = CoordFixture::J(R"({"kind":"hazard","to_org":)" + std::to_string(f.liuzu.id) +
                             R"(,"description":"d","place":"p"})");
  EXPECT_EQ(f.items.Create(f.xincheng_officer, CoordType::kNotice, bad).status().field(), "to_org");
}

TEST(CoordItemService, PhoneFirstParticipationOwesTheWrittenNotice) {
  CoordFixture f;
  auto body = CoordFixture::J(
      R"({"kind":"special_inspection","to_org":)" + std::to_string(f.xincheng.id) +
      R"(,"subject":"燃气安全专项检查","start_at":"2026-11-24T09:00:00+08:00","place":"新城镇",)"
      R"("phone_notice":{"caller":"王科长","callee":"李队长","called_at":"2026-11-23T08:30:00+08:00"}})");
  auto r = f.items.Create(f.s_officer, CoordType::kParticipation, body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Str(*r, "state"), "phoned");
  EXPECT_TRUE(r->at("number").is_null());
  ASSERT_EQ(r->at("duties").as_array().size(), 1u);
  EXPECT_EQ(Str(r->at("duties").as_array()[0].as_object(), "kind"), "participation.written_notice");
  const int64_t id = r->at("id").as_int64();
  auto c = f.items.Act(f.xincheng_officer, CoordType::kParticipation, id, "confirm",
                       CoordFixture::J(R"({"people":["张三","李四"]})"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Str(*c, "state"), "confirmed");
  auto early = f.items.Act(f.s_officer, CoordType::kParticipation, id, "complete", {});
  EXPECT_EQ(early.status().id(), "written_notice_missing");
  EXPECT_EQ(early.status().rule(), "R-COL-7");
  f.clock.Advance(std::chrono::hours(30));  // 2026-11-24 15:00: still within 1 working day
  auto w = f.items.Act(f.s_officer, CoordType::kParticipation, id, "written-notice", {});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(Str(*w, "number").find("参〔2026〕1号") != std::string::npos, true);
  EXPECT_EQ(Str(w->at("duties").as_array()[0].as_object(), "state"), "met");
  EXPECT_EQ(w->at("documents").as_array().size(), 1u);
  EXPECT_EQ(f.items.Act(f.s_officer, CoordType::kParticipation, id, "written-notice", {}).status().id(),
            "written_notice_exists");
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kParticipation, id, "complete", {}).ok());
  // Document access through the item.
  const int64_t doc = w->at("documents").as_array()[0].as_object().at("id").as_int64();
  EXPECT_TRUE(f.items.GetDocument(f.xincheng_officer, doc).ok());
  EXPECT_FALSE(f.items.GetDocument(f.liuzu_officer, doc).ok());
}

TEST(CoordItemService, ViolationNoticeRefusedGoesToTheCoordinator) {
  CoordFixture f;
  auto body = CoordFixture::J(R"({"category":"safety","to_org":)" + std::to_string(f.scjg.id) +
                              R"(,"description":"无证经营液化气","place":"新城镇东街"})");
  auto v = f.items.Create(f.xincheng_officer, CoordType::kViolation, body);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->at("number").is_null());
  EXPECT_EQ(Str(v->at("duties").as_array()[0].as_object(), "kind"), "violation.dispatch");
  const int64_t id = v->at("id").as_int64();
  // Coordination before the duty is red: refused.
  auto early = f.items.Act(f.xincheng_officer, CoordType::kViolation, id, "coordination",
                           CoordFixture::J(R"({"reason":"未派员"})"));
  EXPECT_EQ(early.status().id(), "dispatch_duty_not_overdue");
  // Officers may not refuse; leaders may.
  EXPECT_EQ(f.items.Act(f.s_officer, CoordType::kViolation, id, "refuse", CoordFixture::J(R"({"reason":"不属本局"})")).status().code(),
            core::Code::kPermissionDenied);
  ASSERT_TRUE(f.items.Act(f.s_leader, CoordType::kViolation, id, "refuse", CoordFixture::J(R"({"reason":"不属本局"})")).ok());
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kViolation, id, "coordination", CoordFixture::J(R"({"reason":"理由不成立"})")).ok());
  auto d = f.items.Act(f.coord_staff, CoordType::kViolation, id, "coordination/decision",
                       CoordFixture::J(R"({"decision":"department_handles","reason":"属市场监管职责"})"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(Str(*d, "state"), "notified");
  EXPECT_EQ(d->at("duties").as_array().size(), 2u);
  // R-DOC-1: the decision is the coordinator's numbered 调 document; the notice keeps its 通 number.
  const auto& docs = d->at("documents").as_array();
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(Str(docs[1].as_object(), "kind"), "coordination_decision");
  EXPECT_NE(Str(docs[1].as_object(), "number").find("调〔"), std::string::npos);
  EXPECT_EQ(Str(*d, "number"), Str(docs[0].as_object(), "number"));
  auto decision = f.items.GetDocument(f.s_officer, docs[1].as_object().at("id").as_int64());
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_EQ(decision->org_id, f.coordinator.id);
  EXPECT_EQ(decision->serial, 1);
  auto disp = f.items.Act(f.s_officer, CoordType::kViolation, id, "dispatch",
                          CoordFixture::J(R"({"officers":["赵六"]})"));
  ASSERT_TRUE(disp.ok()) << disp.status().ToString();
  EXPECT_EQ(Str(*disp, "state"), "dispatched");
}

TEST(CoordItemService, ViolationDispatchOverdueAllowsCoordination) {
  CoordFixture f;
  auto body = CoordFixture::J(R"({"category":"public_order","to_org":)" + std::to_string(f.scjg.id) +
                              R"(,"description":"聚众滋事","place":"新城镇"})");
  auto v = f.items.Create(f.xincheng_officer, CoordType::kViolation, body);
  ASSERT_TRUE(v.ok());
  f.clock.Advance(std::chrono::hours(3));
  auto c = f.items.Act(f.xincheng_officer, CoordType::kViolation, v->at("id").as_int64(), "coordination",
                       CoordFixture::J(R"({"reason":"逾期未派员"})"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Str(*c, "state"), "coordination");
}

TEST(CoordItemService, MeetingDecisionsBecomeDuties) {
  CoordFixture f;
  auto body = CoordFixture::J(
      R"({"subject":"某非法采砂案","agenda":"研究案情","start_at":"2026-11-23T14:00:00+08:00","place":"新城镇会议室",)"
      R"("invitees":[{"org":)" + std::to_string(f.scjg.id) + "}]}");
  auto m = f.items.Create(f.xincheng_officer, CoordType::kMeeting, body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const int64_t id = m->at("id").as_int64();
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kMeeting, id, "reply", CoordFixture::J(R"({"answer":"confirmed"})")).ok());
  EXPECT_EQ(f.items.Act(f.liuzu_officer, CoordType::kMeeting, id, "reply", CoordFixture::J(R"({"answer":"confirmed"})")).status().code(),
            core::Code::kNotFound);
  const std::string minutes = R"({"minutes":"议定联合执法","decisions":[{"text":"市场监管局牵头查处","owner_org":)" +
                              std::to_string(f.scjg.id) + R"(,"period_days":3},{"text":"新城镇配合","owner_org":)" +
                              std::to_string(f.xincheng.id) + R"(,"due_at":"2026-12-01T18:00:00+08:00"}]})";
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "minutes", CoordFixture::J(minutes)).status().id(),
            "meeting_not_started");
  f.clock.Advance(std::chrono::hours(6));
  auto held = f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "minutes", CoordFixture::J(minutes));
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ(Str(*held, "state"), "held");
  EXPECT_EQ(held->at("duties").as_array().size(), 2u);
  EXPECT_EQ(Str(held->at("duties").as_array()[1].as_object(), "due_at"), "2026-12-01T18:00:00+08:00");
  EXPECT_EQ(Str(held->at("duties").as_array()[0].as_object(), "rule"), "R-COL-6");
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "close", {}).status().id(), "decisions_open");
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "joint-action",
                          CoordFixture::J(R"({"participants":[)" + std::to_string(f.scjg.id) +
                                          R"(],"at":"2026-11-25T09:00:00+08:00","place":"西江河段"})"),
                          1).ok());
  EXPECT_EQ(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "decision-done", CoordFixture::J(R"({"note":"x"})"), 1)
                .status().code(),
            core::Code::kPermissionDenied);
  ASSERT_TRUE(f.items.Act(f.s_officer, CoordType::kMeeting, id, "decision-done", CoordFixture::J(R"({"note":"已立案"})"), 1).ok());
  ASSERT_TRUE(f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "decision-done", CoordFixture::J(R"({"note":"已配合"})"), 2).ok());
  auto closed = f.items.Act(f.xincheng_officer, CoordType::kMeeting, id, "close", {});
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  // R-DOC-1: the invitation, the minutes (the meeting's number) and the joint-action record.
  const auto& docs = closed->at("documents").as_array();
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(Str(docs[0].as_object(), "kind"), "meeting_invitation");
  EXPECT_EQ(Str(docs[1].as_object(), "kind"), "meeting_minutes");
  EXPECT_EQ(Str(docs[2].as_object(), "kind"), "joint_action_record");
  EXPECT_EQ(Str(*closed, "number"), Str(docs[1].as_object(), "number"));
  // Lists.
  auto mine = f.items.List(f.s_officer, CoordType::kMeeting, CoordQuery{.direction = "in"});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->at("total").as_int64(), 1);
  auto theirs = f.items.List(f.liuzu_officer, CoordType::kMeeting, CoordQuery{});
  EXPECT_EQ(theirs->at("total").as_int64(), 0);
  auto sums = f.items.Summaries(f.auditor, std::nullopt);
  ASSERT_TRUE(sums.ok());
  EXPECT_EQ(sums->size(), 1u);
}

}  // namespace
}  // namespace xietong::service
