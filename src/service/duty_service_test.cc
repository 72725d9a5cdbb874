#include "service/duty_service.h"

#include <gtest/gtest.h>

#include "service/audit_log.h"
#include "service/calendar_service.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

// What the API shows of a duty at d.now (http/views/duty.h renders it; its shape is checked in
// http/views/views_test.cc): its colour and, while open, the time remaining (R-TIME-4).
struct Shown {
  std::string colour;
  std::optional<domain::Remaining> remaining;
};
Shown ShownOf(const DutyDetail& d) {
  Shown out{std::string(domain::ColourName(domain::ColourAt(d.duty, d.now))), std::nullopt};
  if (d.duty.state == domain::DutyState::kOpen) out.remaining = domain::RemainingAt(*d.calendar, d.duty, d.now);
  return out;
}

using core::Code;
using domain::DutyState;
using testing::Fixture;

template <typename T>
T Must(core::Result<T> r) {
  return Fixture::Must(std::move(r));
}
void MustOk(const core::Status& st) {
  if (!st.ok()) throw std::runtime_error(st.ToString());
}

core::Instant T(const char* s) {
  auto t = core::ParseInstant(s);
  if (!t) throw std::runtime_error(std::string("bad instant ") + s);
  return *t;
}

struct DutyFixture : Fixture {
  using Fixture::Must;
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  Principal xincheng_leader, xincheng_liaison;

  DutyFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    xincheng_leader = ByName("xincheng.leader");
    xincheng_liaison = ByName("xincheng.liaison");
  }

  Principal ByName(const std::string& username) {
    domain::Id id = 0;
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUserByUsername(username));
      id = u.id;
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return Must(auth.PrincipalOf(id));
  }

  DutyInput Input(domain::Id org, const char* trigger, const char* kind = "referral.accept_notice",
                  const char* title = "受理情况告知：某违法建设案") {
    DutyInput in;
    in.kind = kind;
    in.owner_org_id = org;
    in.object_type = "referral";
    in.object_id = "R-1";
    in.title = title;
    in.trigger_at = T(trigger);
    return in;
  }

  domain::Duty Create(domain::Id org, const char* trigger,
                      const char* kind = "referral.accept_notice",
                      const char* title = "受理情况告知：某违法建设案") {
    return Must(testing::OpenAsWorkflow(*store, duties, coord_staff, Input(org, trigger, kind, title),
                                        clock.Now()))
        .duty;
  }

  // A duty of a kind no workflow handles (ended by hand, R-PLN-2), with the 5 working days of
  // R-REF-6 so that the dates below read as for an acceptance notice.
  domain::Duty CreateManual(domain::Id org, const char* trigger,
                            const char* title = "交办任务：某案") {
    DutyInput in = Input(org, trigger, "task.assigned", title);
    in.object_type = "external";
    in.unit = domain::PeriodUnit::kWorkingDays;
    in.period = 5;
    return Must(duties.Create(coord_staff, in)).duty;
  }

  // What a workflow does (referrals, collaborations …): meet or waive in its own transaction.
  core::Result<domain::Duty> ByWorkflow(domain::Id id, bool waive) {
    domain::Duty out;
    core::Status st = store->Write([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(domain::Duty d, tx.GetDuty(id));
      const core::Instant now = clock.Now();
      if (waive) {
        XT_ASSIGN_OR_RETURN(out, duties.WaiveInTx(tx, &coord_staff, d, "流程免除", now));
      } else {
        XT_ASSIGN_OR_RETURN(out, duties.MeetInTx(tx, &xincheng_officer, d, now, now));
      }
      return core::Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Shown ShownAt(domain::Id id, core::Instant now) {
    clock.Set(now);
    return ShownOf(Must(duties.Get(coord_staff, id)));
  }

  std::vector<domain::AuditEntry> Audit(domain::Id duty_id) {
    std::vector<domain::AuditEntry> out;
    EXPECT_TRUE(store
                    ->Read([&](storage::Tx& tx) -> core::Status {
                      storage::AuditFilter f;
                      f.object_type = "duty";
                      f.object_id = std::to_string(duty_id);
                      XT_ASSIGN_OR_RETURN(out, tx.ListAudit(f));
                      return core::Status::Ok();
                    })
                    .ok());
    std::reverse(out.begin(), out.end());  // oldest first
    return out;
  }
};

// R-TIME-1 by hand, 2026 schedule: 国庆节 10/1–10/7 off, Saturday 10/10 a make-up working day.
// Triggered Tuesday 9/29 10:00: 9/30 (1), 10/8 (2), 10/9 (3), Sat 10/10 (4), Mon 10/12 (5).
// Due 24:00 of 10/12 = 2026-10-13T00:00+08:00. Yellow from 24:00 of the last working day
// before 10/12, which is the make-up Saturday 10/10: 2026-10-11T00:00+08:00.
TEST(DutyServiceTest, CreateComputesDueAndYellowOverNationalDay) {
  DutyFixture f;
  f.clock.Set(T("2026-09-29T10:00:00+08:00"));
  // An R-REF-6 duty as its workflow opens it (POST /api/v1/duties refuses workflow kinds).
  auto d = testing::OpenAsWorkflow(*f.store, f.duties, f.coord_staff,
                                   f.Input(f.xincheng.id, "2026-09-29T10:00:00+08:00"), f.clock.Now());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(core::FormatInstant(d->duty.due_at), "2026-10-13T00:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(d->duty.yellow_at), "2026-10-11T00:00:00+08:00");
  EXPECT_FALSE(d->duty.provisional);
  EXPECT_EQ(d->duty.calendar_version, f.calendars.Current()->version());
  EXPECT_EQ(d->duty.rule, "R-REF-6");
  EXPECT_EQ(d->duty.unit, domain::PeriodUnit::kWorkingDays);
  EXPECT_EQ(d->duty.period, 5);
  EXPECT_EQ(d->duty.state, DutyState::kOpen);
  ASSERT_EQ(d->events.size(), 1u);
  EXPECT_EQ(d->events[0].kind, "created");
  EXPECT_EQ(d->owner_org_name, "新城镇综合行政执法办公室");

  auto audit = f.Audit(d->duty.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "duty.create");
  EXPECT_EQ(audit[0].actor_user_id, f.coord_staff.user.id);

  const Shown j = ShownOf(*d);
  const domain::DutyKind* kind = domain::FindDutyKind(d->duty.kind);
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->label_zh, "受理情况告知");
  EXPECT_EQ(domain::PeriodUnitName(d->duty.unit), "working_days");
  EXPECT_EQ(core::FormatInstant(d->duty.trigger_at), "2026-09-29T10:00:00+08:00");
  EXPECT_EQ(j.colour, "green");
  EXPECT_FALSE(d->duty.met_at.has_value());
  // 9/29 10:00: 4 working days after today up to the last day (9/30, 10/8, 10/9, 10/10 … 10/12
  // is the 5th), and 14 hours left today.
  ASSERT_TRUE(j.remaining.has_value());
  EXPECT_EQ(j.remaining->working_days, 5);
  EXPECT_EQ(j.remaining->hours, 14);
  EXPECT_EQ(j.remaining->overdue, false);
}

// R-TIME-2: hours are clock time; yellow when a quarter of the period remains (at most 24 h),
// and at least for the last hour (R-TIME-4: a 2-hour duty is yellow from 11:00, not 11:30).
TEST(DutyServiceTest, HourPeriodsAndOverrides) {
  DutyFixture f;
  auto urgent = f.Create(f.xincheng.id, "2026-09-30T20:00:00+08:00", "referral.send_urgent");
  EXPECT_EQ(core::FormatInstant(urgent.due_at), "2026-10-01T20:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(urgent.yellow_at), "2026-10-01T14:00:00+08:00");

  auto in = f.Input(f.xincheng.id, "2026-09-29T10:00:00+08:00", "task.assigned");
  in.unit = domain::PeriodUnit::kHours;
  in.period = 2;
  auto d = f.duties.Create(f.coord_staff, in);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(core::FormatInstant(d->duty.due_at), "2026-09-29T12:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(d->duty.yellow_at), "2026-09-29T11:00:00+08:00");
  EXPECT_EQ(d->duty.rule, "R-PLN-2");
}

TEST(DutyServiceTest, CreateValidatesAndNamesTheField) {
  DutyFixture f;
  auto denied =
      f.duties.Create(f.xincheng_officer, f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned"));
  EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-ACC-1");
  EXPECT_TRUE(f.duties.Create(f.admin, f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned")).ok());

  // A workflow opens its own duties: its kinds are refused here, naming the kind's rule.
  auto by_workflow = f.duties.Create(f.coord_staff, f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00",
                                                            "crime.transfer_decision"));
  EXPECT_EQ(by_workflow.status().id(), "duty_opened_by_workflow");
  EXPECT_EQ(by_workflow.status().field(), "kind");
  EXPECT_EQ(by_workflow.status().rule(), "R-CRI-1a");
  EXPECT_EQ(f.duties.Create(f.admin, f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00"))
                .status()
                .id(),
            "duty_opened_by_workflow");

  auto in = f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned");
  in.kind = "referral.nope";
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "kind");

  in = f.Input(f.scjg_unit.id, "2026-11-23T09:00:00+08:00", "task.assigned");
  auto unit = f.duties.Create(f.coord_staff, in);
  EXPECT_EQ(unit.status().field(), "owner_org_id");
  EXPECT_EQ(unit.status().rule(), "R-REF-2");

  in = f.Input(9999, "2026-11-23T09:00:00+08:00", "task.assigned");
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "owner_org_id");

  in = f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned");
  in.title.clear();
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "title");

  in = f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned");
  in.object_type = "Referral!";
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "object_type");

  in = f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned");
  in.unit = domain::PeriodUnit::kHours;
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "period.value");
  in.period = 0;
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "period.value");

  in = f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "task.assigned");
  in.rule = "R-NOPE";
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "rule");

  in = f.Input(f.xincheng.id, "1999-12-31T09:00:00+08:00", "task.assigned");
  EXPECT_EQ(f.duties.Create(f.coord_staff, in).status().field(), "trigger_at");
}

// R-TIME-4: green until the yellow instant, yellow until due, red from due on.
TEST(DutyServiceTest, ColoursAtTheBoundaries) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-09-29T10:00:00+08:00");
  const core::Instant yellow = T("2026-10-11T00:00:00+08:00");
  const core::Instant due = T("2026-10-13T00:00:00+08:00");
  const std::chrono::milliseconds ms(1);
  EXPECT_EQ(f.ShownAt(d.id, yellow - ms).colour, "green");
  EXPECT_EQ(f.ShownAt(d.id, yellow).colour, "yellow");
  EXPECT_EQ(f.ShownAt(d.id, due - ms).colour, "yellow");
  auto red = f.ShownAt(d.id, due);
  EXPECT_EQ(red.colour, "red");
  ASSERT_TRUE(red.remaining.has_value());
  EXPECT_EQ(red.remaining->overdue, true);
  // Saturday 10/10 is a make-up working day, so on Friday 10/9 12:00 two working days remain
  // after today (10/10 and 10/12): still green.
  EXPECT_EQ(f.ShownAt(d.id, T("2026-10-09T12:00:00+08:00")).colour, "green");

  // The colour filter is the same partition of instants.
  auto count = [&](const char* colour, core::Instant now) {
    f.clock.Set(now);
    DutyQuery q;
    q.scope = "all";
    q.colour = colour;
    return Must(f.duties.List(f.coord_staff, q)).total;
  };
  EXPECT_EQ(count("green", yellow - ms), 1);
  EXPECT_EQ(count("yellow", yellow - ms), 0);
  EXPECT_EQ(count("yellow", yellow), 1);
  EXPECT_EQ(count("green", yellow), 0);
  EXPECT_EQ(count("yellow", due - ms), 1);
  EXPECT_EQ(count("red", due - ms), 0);
  EXPECT_EQ(count("red", due), 1);
  EXPECT_EQ(count("yellow", due), 0);
}

// R-ACC-1: an org sees its own duties; another org's duty is neither listed nor found.
TEST(DutyServiceTest, VisibilityFollowsAccessRules) {
  DutyFixture f;
  auto mine =
      f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "referral.accept_notice", "新城的职责");
  auto theirs =
      f.Create(f.liuzu.id, "2026-11-23T09:00:00+08:00", "referral.accept_notice", "六祖的职责");

  auto own = Must(f.duties.List(f.xincheng_officer, {}));
  ASSERT_EQ(own.total, 1);
  EXPECT_EQ(own.items[0].id, mine.id);
  EXPECT_EQ(own.org_names.at(f.xincheng.id), "新城镇综合行政执法办公室");

  auto hidden = f.duties.Get(f.xincheng_officer, theirs.id);
  EXPECT_EQ(hidden.status().code(), Code::kNotFound);
  auto missing = f.duties.Get(f.xincheng_officer, 424242);
  EXPECT_EQ(missing.status().message(), hidden.status().message());  // nothing leaks
  EXPECT_EQ(f.duties.Meet(f.xincheng_officer, theirs.id).status().code(), Code::kNotFound);

  DutyQuery all;
  all.scope = "all";
  auto refused = f.duties.List(f.xincheng_officer, all);
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.status().rule(), "R-ACC-1");
  EXPECT_EQ(Must(f.duties.List(f.coord_staff, all)).total, 2);

  DutyQuery created;
  created.scope = "mine";
  EXPECT_EQ(Must(f.duties.List(f.coord_staff, created)).total, 2);
  EXPECT_EQ(Must(f.duties.List(f.xincheng_officer, created)).total, 0);

  DutyQuery bad;
  bad.scope = "everything";
  EXPECT_EQ(f.duties.List(f.coord_staff, bad).status().field(), "scope");
}

TEST(DutyServiceTest, ListFiltersSortsAndPages) {
  DutyFixture f;
  auto a = f.Create(f.xincheng.id, "2026-11-25T09:00:00+08:00", "referral.accept_notice",
                    "甲案受理告知");
  auto b =
      f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "collaboration.answer", "乙案协作反馈");
  DutyInput task = f.Input(f.xincheng.id, "2026-11-24T09:00:00+08:00", "task.assigned", "丙案交办任务");
  task.unit = domain::PeriodUnit::kHours;
  task.period = 24;
  auto c = Must(f.duties.Create(f.coord_staff, task)).duty;
  f.clock.Set(T("2026-11-24T10:00:00+08:00"));
  Must(f.duties.Meet(f.xincheng_officer, c.id));

  auto list = Must(f.duties.List(f.xincheng_officer, {}));
  ASSERT_EQ(list.total, 3);
  // Sorted by due: c (11/25 09:00), b (11/26 24:00), a (12/2 24:00).
  EXPECT_EQ(list.items[0].id, c.id);
  EXPECT_EQ(list.items[1].id, b.id);
  EXPECT_EQ(list.items[2].id, a.id);

  DutyQuery q;
  q.state = "open";
  EXPECT_EQ(Must(f.duties.List(f.xincheng_officer, q)).total, 2);
  q.state = "met";
  EXPECT_EQ(Must(f.duties.List(f.xincheng_officer, q)).total, 1);
  q.state = "done";
  EXPECT_EQ(f.duties.List(f.xincheng_officer, q).status().field(), "state");

  q = {};
  q.kind = "collaboration.answer";
  auto by_kind = Must(f.duties.List(f.xincheng_officer, q));
  ASSERT_EQ(by_kind.total, 1);
  EXPECT_EQ(by_kind.items[0].id, b.id);
  q.kind = "nope";
  EXPECT_EQ(f.duties.List(f.xincheng_officer, q).status().field(), "kind");

  q = {};
  q.q = "甲案";
  EXPECT_EQ(Must(f.duties.List(f.xincheng_officer, q)).total, 1);

  q = {};
  q.due_from = T("2026-11-26T00:00:00+08:00");  // inclusive
  q.due_to = T("2026-11-28T00:00:00+08:00");    // exclusive
  auto window = Must(f.duties.List(f.xincheng_officer, q));
  ASSERT_EQ(window.total, 1);
  EXPECT_EQ(window.items[0].id, b.id);

  q = {};
  q.colour = "green";
  q.state = "met";  // a colour only exists for open duties
  EXPECT_EQ(Must(f.duties.List(f.xincheng_officer, q)).total, 0);
  q.state.clear();
  q.colour = "purple";
  EXPECT_EQ(f.duties.List(f.xincheng_officer, q).status().field(), "colour");

  q = {};
  q.page = 2;
  q.page_size = 2;
  auto page2 = Must(f.duties.List(f.xincheng_officer, q));
  EXPECT_EQ(page2.total, 3);
  ASSERT_EQ(page2.items.size(), 1u);
  EXPECT_EQ(page2.items[0].id, a.id);
  q.page_size = 0;
  EXPECT_EQ(f.duties.List(f.xincheng_officer, q).status().field(), "page_size");
}

// R-TIME-4: met on time, or late by working days after the deadline's last day.
TEST(DutyServiceTest, MeetOnTimeAndLate) {
  DutyFixture f;
  f.clock.Set(T("2026-09-29T10:00:00+08:00"));
  auto on_time = f.CreateManual(f.xincheng.id, "2026-09-29T10:00:00+08:00");
  auto late = f.CreateManual(f.xincheng.id, "2026-09-29T10:00:00+08:00");

  f.clock.Set(T("2026-10-12T23:59:00+08:00"));
  auto met = f.duties.Meet(f.xincheng_officer, on_time.id);
  ASSERT_TRUE(met.ok()) << met.status().ToString();
  EXPECT_EQ(met->duty.state, DutyState::kMet);
  EXPECT_EQ(met->duty.on_time, true);
  EXPECT_EQ(met->duty.late_working_days, 0);
  EXPECT_EQ(met->events.back().kind, "met");
  const Shown j = ShownOf(*met);
  EXPECT_EQ(j.colour, "none");
  EXPECT_FALSE(j.remaining.has_value());
  ASSERT_TRUE(met->duty.met_at.has_value());
  EXPECT_EQ(core::FormatInstant(*met->duty.met_at), "2026-10-12T23:59:00+08:00");

  // Due 10/13 00:00 (last day Monday 10/12): met Wednesday 10/14 — late by 10/13 and 10/14.
  f.clock.Set(T("2026-10-15T09:00:00+08:00"));
  auto future = f.duties.Meet(f.xincheng_officer, late.id, T("2026-10-16T09:00:00+08:00"));
  EXPECT_EQ(future.status().field(), "met_at");
  EXPECT_EQ(future.status().rule(), "R-TIME-4");
  auto skewed = f.duties.Meet(f.xincheng_officer, late.id, T("2026-10-15T09:05:01+08:00"));
  EXPECT_EQ(skewed.status().field(), "met_at");
  auto before = f.duties.Meet(f.xincheng_officer, late.id, T("2026-09-28T09:00:00+08:00"));
  EXPECT_EQ(before.status().field(), "met_at");
  EXPECT_EQ(before.status().rule(), "R-TIME-4");
  EXPECT_EQ(Must(f.duties.Get(f.coord_staff, late.id)).duty.state, DutyState::kOpen);
  auto late_met = f.duties.Meet(f.xincheng_officer, late.id, T("2026-10-14T10:00:00+08:00"));
  ASSERT_TRUE(late_met.ok()) << late_met.status().ToString();
  EXPECT_EQ(late_met->duty.on_time, false);
  EXPECT_EQ(late_met->duty.late_working_days, 2);

  auto again = f.duties.Meet(f.xincheng_officer, late.id);
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(again.status().id(), "illegal_transition");
  EXPECT_EQ(again.status().rule(), "R-TIME-4");
  EXPECT_EQ(again.status().message(), "当前状态为已履行，不能标记履行");

  auto audit = f.Audit(late.id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "duty.meet");
}

TEST(DutyServiceTest, WaiveNeedsCoordinatorAndReason) {
  DutyFixture f;
  auto d = f.CreateManual(f.xincheng.id, "2026-11-23T09:00:00+08:00");
  auto officer = f.duties.Waive(f.xincheng_officer, d.id, "不再需要");
  EXPECT_EQ(officer.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(officer.status().rule(), "R-ACC-1");
  EXPECT_EQ(f.duties.Waive(f.coord_staff, d.id, "").status().field(), "reason");
  EXPECT_EQ(f.duties.Waive(f.coord_staff, d.id, "   ").status().field(), "reason");
  auto waived = f.duties.Waive(f.coord_staff, d.id, "案件已撤回");
  ASSERT_TRUE(waived.ok()) << waived.status().ToString();
  EXPECT_EQ(waived->duty.state, DutyState::kWaived);
  EXPECT_EQ(waived->duty.state_reason, "案件已撤回");
  EXPECT_EQ(waived->events.back().reason, "案件已撤回");

  auto meet = f.duties.Meet(f.coord_staff, d.id);
  EXPECT_EQ(meet.status().id(), "illegal_transition");
  EXPECT_EQ(meet.status().message(), "当前状态为已免除，不能标记履行");
  EXPECT_TRUE(
      f.duties.Waive(f.admin, f.CreateManual(f.xincheng.id, "2026-11-23T09:00:00+08:00").id, "重复")
          .ok());
}

// R-COL-5 names no period: the owner's leader (or the coordinator) may extend a notice's duty;
// the new due must be later.
TEST(DutyServiceTest, ExtendKeepsOldAndNewDue) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "notice.measures", "隐患通报研究处置");
  EXPECT_EQ(core::FormatInstant(d.due_at), "2026-12-01T00:00:00+08:00");
  auto officer =
      f.duties.Extend(f.xincheng_officer, d.id, "需鉴定", T("2026-12-10T00:00:00+08:00"));
  EXPECT_EQ(officer.status().code(), Code::kPermissionDenied);
  auto earlier = f.duties.Extend(f.xincheng_leader, d.id, "需鉴定", T("2026-11-30T00:00:00+08:00"));
  EXPECT_EQ(earlier.status().field(), "new_due");
  EXPECT_EQ(earlier.status().rule(), "R-TIME-4");
  EXPECT_EQ(
      f.duties.Extend(f.xincheng_leader, d.id, "", T("2026-12-10T00:00:00+08:00")).status().field(),
      "reason");

  auto ok = f.duties.Extend(f.xincheng_leader, d.id, "需技术鉴定", T("2026-12-10T00:00:00+08:00"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->duty.state, DutyState::kOpen);
  EXPECT_EQ(core::FormatInstant(ok->duty.due_at), "2026-12-10T00:00:00+08:00");
  // Last day Wednesday 12/9; yellow from 24:00 of Tuesday 12/8.
  EXPECT_EQ(core::FormatInstant(ok->duty.yellow_at), "2026-12-09T00:00:00+08:00");
  const auto& ev = ok->events.back();
  EXPECT_EQ(ev.kind, "extended");
  EXPECT_EQ(ev.reason, "需技术鉴定");
  ASSERT_TRUE(ev.old_due && ev.new_due);
  EXPECT_EQ(core::FormatInstant(*ev.old_due), "2026-12-01T00:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(*ev.new_due), "2026-12-10T00:00:00+08:00");
  auto audit = f.Audit(d.id).back();
  EXPECT_EQ(audit.action, "duty.extend");
  EXPECT_NE(audit.detail.find("\"extended_by\":\"owner_leader\""), std::string::npos)
      << audit.detail;
  // Another org's leader does not even see it.
  auto liuzu_leader = f.ByName("liuzu.leader");
  EXPECT_EQ(
      f.duties.Extend(liuzu_leader, d.id, "x", T("2026-12-20T00:00:00+08:00")).status().code(),
      Code::kNotFound);
}

// Suspension stops the clock: on resume the due moves later by the time suspended.
TEST(DutyServiceTest, SuspendAndResumeShiftTheDue) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "notice.measures", "隐患通报研究处置");
  EXPECT_EQ(f.duties.Suspend(f.xincheng_leader, d.id, "等待鉴定").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(f.duties.Suspend(f.coord_staff, d.id, "").status().field(), "reason");
  auto resumed_open = f.duties.Resume(f.coord_staff, d.id);
  EXPECT_EQ(resumed_open.status().message(), "当前状态为进行中，不能恢复");

  auto s = f.duties.Suspend(f.coord_staff, d.id, "等待技术鉴定");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->duty.state, DutyState::kSuspended);
  EXPECT_EQ(ShownOf(*s).colour, "none");
  EXPECT_EQ(
      f.duties.Extend(f.coord_staff, d.id, "x", T("2026-12-20T00:00:00+08:00")).status().message(),
      "当前状态为已中止，不能延期");

  f.clock.Advance(std::chrono::hours(49));
  auto r = f.duties.Resume(f.coord_staff, d.id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->duty.state, DutyState::kOpen);
  EXPECT_EQ(core::FormatInstant(r->duty.due_at), "2026-12-03T01:00:00+08:00");
  const auto& ev = r->events.back();
  EXPECT_EQ(ev.kind, "resumed");
  EXPECT_EQ(core::FormatInstant(*ev.old_due), "2026-12-01T00:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(*ev.new_due), "2026-12-03T01:00:00+08:00");
  auto audit = f.Audit(d.id);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[1].action, "duty.suspend");
  EXPECT_EQ(audit[2].action, "duty.resume");
}

// The whole transition table (R-TIME-4): every action from every state. The generic routes act
// on the kinds that allow them (meet/waive: a manually ended kind; extend/suspend/resume: the
// coordinator on a meeting decision); meet/waive of a suspended duty, which no kind allows through
// the generic routes, go through the workflows' MeetInTx/WaiveInTx — the same table.
TEST(DutyServiceTest, TransitionTableIsExhaustive) {
  DutyFixture f;
  enum Act { kMeet, kWaive, kExtend, kSuspend, kResume };
  const DutyState states[] = {DutyState::kOpen, DutyState::kMet, DutyState::kWaived,
                              DutyState::kSuspended};
  auto make = [&](Act a, DutyState s) {
    const bool manual = (a == kMeet || a == kWaive) && s != DutyState::kSuspended;
    auto d = manual ? f.CreateManual(f.xincheng.id, "2026-11-23T09:00:00+08:00")
                    : f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "meeting.decision",
                               "会议决定事项");
    if (s == DutyState::kMet) MustOk(manual ? f.duties.Meet(f.coord_staff, d.id).status()
                                          : f.ByWorkflow(d.id, false).status());
    if (s == DutyState::kWaived) MustOk(manual ? f.duties.Waive(f.coord_staff, d.id, "免除").status()
                                             : f.ByWorkflow(d.id, true).status());
    if (s == DutyState::kSuspended) Must(f.duties.Suspend(f.coord_staff, d.id, "中止"));
    return d.id;
  };
  auto run = [&](Act a, DutyState from, domain::Id id) -> core::Result<DutyState> {
    core::Result<DutyDetail> r = core::Status::Internal("unreachable");
    if ((a == kMeet || a == kWaive) && from == DutyState::kSuspended) {
      XT_ASSIGN_OR_RETURN(domain::Duty d, f.ByWorkflow(id, a == kWaive));
      return d.state;
    }
    switch (a) {
      case kMeet: r = f.duties.Meet(f.coord_staff, id); break;
      case kWaive: r = f.duties.Waive(f.coord_staff, id, "理由"); break;
      case kExtend:
        r = f.duties.Extend(f.coord_staff, id, "理由", T("2027-03-01T00:00:00+08:00"));
        break;
      case kSuspend: r = f.duties.Suspend(f.coord_staff, id, "理由"); break;
      case kResume: r = f.duties.Resume(f.coord_staff, id); break;
    }
    if (!r.ok()) return r.status();
    return r->duty.state;
  };
  struct Expect {
    Act act;
    DutyState from;
    std::optional<DutyState> to;  // nullopt: illegal
  };
  const Expect table[] = {
      {kMeet, DutyState::kOpen, DutyState::kMet},
      {kMeet, DutyState::kMet, std::nullopt},
      {kMeet, DutyState::kWaived, std::nullopt},
      {kMeet, DutyState::kSuspended, DutyState::kMet},
      {kWaive, DutyState::kOpen, DutyState::kWaived},
      {kWaive, DutyState::kMet, std::nullopt},
      {kWaive, DutyState::kWaived, std::nullopt},
      {kWaive, DutyState::kSuspended, DutyState::kWaived},
      {kExtend, DutyState::kOpen, DutyState::kOpen},
      {kExtend, DutyState::kMet, std::nullopt},
      {kExtend, DutyState::kWaived, std::nullopt},
      {kExtend, DutyState::kSuspended, std::nullopt},
      {kSuspend, DutyState::kOpen, DutyState::kSuspended},
      {kSuspend, DutyState::kMet, std::nullopt},
      {kSuspend, DutyState::kWaived, std::nullopt},
      {kSuspend, DutyState::kSuspended, std::nullopt},
      {kResume, DutyState::kOpen, std::nullopt},
      {kResume, DutyState::kMet, std::nullopt},
      {kResume, DutyState::kWaived, std::nullopt},
      {kResume, DutyState::kSuspended, DutyState::kOpen},
  };
  ASSERT_EQ(std::size(table), 5 * std::size(states));
  for (const auto& e : table) {
    domain::Id id = make(e.act, e.from);
    auto r = run(e.act, e.from, id);
    SCOPED_TRACE(std::to_string(e.act) + " from " + std::string(domain::DutyStateName(e.from)));
    if (e.to) {
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(*r, *e.to);
    } else {
      EXPECT_EQ(r.status().id(), "illegal_transition");
      EXPECT_NE(r.status().message().find("当前状态为"), std::string::npos);
      EXPECT_EQ(Must(f.duties.Get(f.coord_staff, id)).duty.state, e.from);  // nothing changed
    }
  }
  auto chain = VerifyChain(*f.store);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << chain->explanation;
}

// What a refused request must leave behind: nothing.
struct Snapshot {
  DutyState state;
  core::Instant due_at;
  std::optional<core::Instant> met_at;
  size_t events;
  size_t audit;
};
Snapshot Snap(DutyFixture& f, domain::Id id) {
  auto d = Must(f.duties.Get(f.coord_staff, id));
  return {d.duty.state, d.duty.due_at, d.duty.met_at, d.events.size(), f.Audit(id).size()};
}
void ExpectUnchanged(DutyFixture& f, domain::Id id, const Snapshot& before) {
  Snapshot now = Snap(f, id);
  EXPECT_EQ(now.state, before.state);
  EXPECT_EQ(now.due_at, before.due_at);
  EXPECT_EQ(now.met_at, before.met_at);
  EXPECT_EQ(now.events, before.events);
  EXPECT_EQ(now.audit, before.audit);
}
void ExpectRefused(const core::Status& st, std::string_view id, std::string_view rule) {
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_EQ(st.id(), id) << st.ToString();
  EXPECT_EQ(st.rule(), rule) << st.ToString();
}

// R-REF-6: the receiver's acceptance notice ends only by the referral workflow. Nobody marks it
// met (on time or back-dated) or waives it through the generic routes — not the owner, not the
// coordinator — and nobody stretches its statutory 5 working days, by extension or suspension.
// Each refusal changes nothing; the workflow's own MeetInTx still meets it.
TEST(DutyServiceTest, RRef6AcceptanceDutyEndsOnlyByItsWorkflow) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00");  // referral.accept_notice
  f.clock.Set(T("2026-12-02T09:00:00+08:00"));                     // red since 12/1 00:00
  const Snapshot before = Snap(f, d.id);

  ExpectRefused(f.duties.Meet(f.xincheng_officer, d.id).status(), "duty_ended_by_workflow",
                "R-REF-6");
  ExpectRefused(f.duties.Meet(f.xincheng_leader, d.id, T("2026-11-24T09:00:00+08:00")).status(),
                "duty_ended_by_workflow", "R-REF-6");  // back-dated
  ExpectRefused(f.duties.Meet(f.coord_staff, d.id).status(), "duty_ended_by_workflow", "R-REF-6");
  auto refused = f.duties.Meet(f.xincheng_officer, d.id);
  EXPECT_NE(refused.status().message().find("/api/v1/referrals/{id}/accept"), std::string::npos)
      << refused.status().message();
  ExpectRefused(f.duties.Waive(f.coord_staff, d.id, "已口头告知").status(),
                "duty_ended_by_workflow", "R-REF-6");
  ExpectRefused(f.duties.Waive(f.admin, d.id, "已口头告知").status(), "duty_ended_by_workflow",
                "R-REF-6");
  ExpectRefused(
      f.duties.Extend(f.xincheng_leader, d.id, "案情复杂", T("2026-12-20T00:00:00+08:00")).status(),
      "duty_not_extendable", "R-REF-6");
  ExpectRefused(
      f.duties.Extend(f.coord_staff, d.id, "案情复杂", T("2026-12-20T00:00:00+08:00")).status(),
      "duty_not_extendable", "R-REF-6");
  ExpectRefused(f.duties.Suspend(f.coord_staff, d.id, "等待鉴定").status(), "duty_not_suspendable",
                "R-REF-6");
  // Access comes first: an officer may not extend at all, another org does not see the duty.
  EXPECT_EQ(f.duties.Extend(f.xincheng_officer, d.id, "x", T("2026-12-20T00:00:00+08:00"))
                .status()
                .code(),
            Code::kPermissionDenied);
  EXPECT_EQ(f.duties.Meet(f.liuzu_officer, d.id).status().code(), Code::kNotFound);
  ExpectUnchanged(f, d.id, before);
  EXPECT_EQ(domain::ColourAt(Must(f.duties.Get(f.coord_staff, d.id)).duty, f.clock.Now()),
            domain::Colour::kRed);  // still red: the escalation (R-REF-7) stays open

  // The workflow's own act meets it, late.
  auto met = f.ByWorkflow(d.id, false);
  ASSERT_TRUE(met.ok()) << met.status().ToString();
  EXPECT_EQ(met->state, DutyState::kMet);
  EXPECT_EQ(met->on_time, false);
}

// Every workflow kind: the generic meet and waive refuse it, naming the duty's rule; the
// workflows' WaiveInTx still waives it.
TEST(DutyServiceTest, WorkflowDutiesAreNotEndedThroughTheGenericRoutes) {
  DutyFixture f;
  int workflow_kinds = 0;
  for (const auto& k : domain::DutyKinds()) {
    if (k.ending != domain::DutyEnding::kByWorkflow) continue;
    ++workflow_kinds;
    SCOPED_TRACE(std::string(k.id));
    auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", std::string(k.id).c_str(), "流程职责");
    const Snapshot before = Snap(f, d.id);
    ExpectRefused(f.duties.Meet(f.xincheng_officer, d.id).status(), "duty_ended_by_workflow",
                  k.rule);
    ExpectRefused(f.duties.Meet(f.coord_staff, d.id).status(), "duty_ended_by_workflow", k.rule);
    ExpectRefused(f.duties.Waive(f.coord_staff, d.id, "免除").status(), "duty_ended_by_workflow",
                  k.rule);
    ExpectUnchanged(f, d.id, before);
    auto waived = f.ByWorkflow(d.id, true);
    ASSERT_TRUE(waived.ok()) << waived.status().ToString();
    EXPECT_EQ(waived->state, DutyState::kWaived);
  }
  // The kinds of referrals and collaboration (10), disputes (4: R-DIS-1, R-DIS-2), complaints
  // (1: R-SYS-3), court enforcement and police support (4: R-CRI-3, R-CRI-4), criminal
  // transfers (6: R-CRI-1a, R-CRI-2), guidance and technical support (2: R-GUI-1, R-GUI-3), the
  // annual plan and its tasks (2: R-PLN-1), 督办 (1: R-PLN-2 urging.answer), consultations
  // (1: R-SYS-1), shared information (2: R-INF-1, R-INF-3).
  EXPECT_EQ(workflow_kinds, 10 + 4 + 1 + 4 + 6 + 2 + 2 + 1 + 1 + 2);
}

// R-COL-4: an answer duty is extended by the collaboration's own step (technical appraisal or a
// complex case); the owner's leader cannot go around it through the generic route. The
// coordinator may extend it there, with a reason, recorded in the events and the audit trail.
TEST(DutyServiceTest, RCol4AnswerDutyIsExtendedThroughTheCollaborationOnly) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "collaboration.answer", "协作答复");
  const Snapshot before = Snap(f, d.id);
  auto leader = f.duties.Extend(f.xincheng_leader, d.id, "情况复杂", T("2026-12-10T00:00:00+08:00"));
  ExpectRefused(leader.status(), "duty_extended_by_workflow", "R-COL-2");
  EXPECT_NE(leader.status().message().find("POST /api/v1/collaborations/{id}/extend"),
            std::string::npos)
      << leader.status().message();
  ExpectUnchanged(f, d.id, before);

  EXPECT_EQ(f.duties.Extend(f.coord_staff, d.id, "", T("2026-12-10T00:00:00+08:00"))
                .status()
                .field(),
            "reason");  // always with a reason
  auto coord = f.duties.Extend(f.coord_staff, d.id, "统一协调：等待检测报告",
                               T("2026-12-10T00:00:00+08:00"));
  ASSERT_TRUE(coord.ok()) << coord.status().ToString();
  EXPECT_EQ(core::FormatInstant(coord->duty.due_at), "2026-12-10T00:00:00+08:00");
  EXPECT_EQ(coord->events.back().kind, "extended");
  EXPECT_EQ(coord->events.back().reason, "统一协调：等待检测报告");
  EXPECT_EQ(coord->events.back().actor_user_id, f.coord_staff.user.id);
  auto audit = f.Audit(d.id).back();
  EXPECT_EQ(audit.action, "duty.extend");
  EXPECT_NE(audit.detail.find("\"extended_by\":\"coordinator\""), std::string::npos)
      << audit.detail;
  EXPECT_NE(audit.detail.find("统一协调：等待检测报告"), std::string::npos);
}

// R-COL-6: the meeting set the decision's date; only the coordinator may move it.
TEST(DutyServiceTest, RCol6MeetingDecisionIsExtendedByTheCoordinatorOnly) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "meeting.decision", "会议决定事项");
  const Snapshot before = Snap(f, d.id);
  ExpectRefused(
      f.duties.Extend(f.xincheng_leader, d.id, "人手不足", T("2026-12-30T00:00:00+08:00")).status(),
      "duty_not_extendable", "R-COL-6");
  ExpectUnchanged(f, d.id, before);
  EXPECT_TRUE(
      f.duties.Extend(f.coord_staff, d.id, "协调延期", T("2026-12-30T00:00:00+08:00")).ok());
}

// R-CRI-1a: the transfer's duties are opened and met by its workflow only, and their statutory
// period (Decree 310) is never stretched.
TEST(DutyServiceTest, RCri1aDutiesAreTheWorkflowsAndNeverExtended) {
  DutyFixture f;
  DutyInput in = f.Input(f.xincheng.id, "2026-11-23T09:00:00+08:00", "crime.transfer_decision",
                         "涉嫌犯罪案件移送审批");
  in.object_type = "criminal_transfer";
  ExpectRefused(f.duties.Create(f.coord_staff, in).status(), "duty_opened_by_workflow", "R-CRI-1a");
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00", "crime.transfer_decision",
                    "涉嫌犯罪案件移送审批");
  const Snapshot before = Snap(f, d.id);
  ExpectRefused(
      f.duties.Extend(f.coord_staff, d.id, "x", T("2026-12-30T00:00:00+08:00")).status(),
      "duty_not_extendable", "R-CRI-1a");
  ExpectRefused(f.duties.Suspend(f.coord_staff, d.id, "x").status(), "duty_not_suspendable",
                "R-CRI-1a");
  ExpectRefused(f.duties.Meet(f.xincheng_officer, d.id, T("2026-11-23T10:00:00+08:00")).status(),
                "duty_ended_by_workflow", "R-CRI-1a");
  ExpectUnchanged(f, d.id, before);
}

// R-TIME-4: a met instant a few minutes ahead (clock skew) is recorded as now, never later.
TEST(DutyServiceTest, MetAtWithinTheSkewIsRecordedAsNow) {
  DutyFixture f;
  auto d = f.CreateManual(f.xincheng.id, "2026-11-23T09:00:00+08:00");
  f.clock.Set(T("2026-11-24T10:00:00+08:00"));
  auto met = f.duties.Meet(f.xincheng_officer, d.id, T("2026-11-24T10:03:00+08:00"));
  ASSERT_TRUE(met.ok()) << met.status().ToString();
  EXPECT_EQ(core::FormatInstant(*met->duty.met_at), "2026-11-24T10:00:00+08:00");
}

// A duty suspended before its kind became unsuspendable is not stranded: resume still works.
TEST(DutyServiceTest, ResumeIsNeverRefusedByTheKind) {
  DutyFixture f;
  auto d = f.Create(f.xincheng.id, "2026-11-23T09:00:00+08:00");  // R-REF-6: kNever
  MustOk(f.store->Write([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(domain::Duty x, tx.GetDuty(d.id));
    x.state = DutyState::kSuspended;
    XT_RETURN_IF_ERROR(tx.UpdateDuty(x));
    domain::DutyEvent ev;
    ev.duty_id = x.id;
    ev.at = f.clock.Now();
    ev.kind = "suspended";
    ev.reason = "旧数据";
    return tx.InsertDutyEvent(ev).status();
  }));
  f.clock.Advance(std::chrono::hours(24));
  auto r = f.duties.Resume(f.coord_staff, d.id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->duty.state, DutyState::kOpen);
  EXPECT_EQ(core::FormatInstant(r->duty.due_at), "2026-12-02T00:00:00+08:00");
}

}  // namespace
}  // namespace xietong::service
