#include "jobs/sweeper.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "service/audit_log.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/notification_service.h"
#include "service/sweep_service.h"
#include "service/test_util.h"

namespace xietong::jobs {
namespace {

using service::testing::Fixture;

core::Instant T(const char* s) {
  auto t = core::ParseInstant(s);
  if (!t) throw std::runtime_error(std::string("bad instant ") + s);
  return *t;
}

// Fixture clock: Monday 2026-11-23 09:00. A referral.accept_notice (5 working days) triggered
// then: 11/24 (1), 11/25, 11/26, 11/27 (4), Monday 11/30 (5); due 2026-12-01T00:00+08:00,
// yellow from 24:00 of Friday 11/27 = 2026-11-28T00:00+08:00.
struct SweepFixture : Fixture {
  service::CalendarService calendars{*store, clock};
  service::DutyService duties{*store, clock, calendars};
  service::SweepService sweeps{*store, clock, calendars};
  service::Principal xincheng_leader, xincheng_liaison;

  SweepFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    xincheng_leader = ByName("xincheng.leader");
    xincheng_liaison = ByName("xincheng.liaison");
  }

  service::Principal ByName(const std::string& username) {
    domain::Id id = 0;
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUserByUsername(username));
      id = u.id;
      return core::Status::Ok();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return Must(auth.PrincipalOf(id));
  }

  domain::Duty Create(domain::Id org = 0, const char* title = "受理情况告知：某违法建设案",
                      const char* kind = "referral.accept_notice") {
    service::DutyInput in;
    in.kind = kind;
    in.owner_org_id = org ? org : xincheng.id;
    in.object_type = "referral";
    in.object_id = "R-1";
    in.title = title;
    in.trigger_at = T("2026-11-23T09:00:00+08:00");
    return Must(service::testing::OpenAsWorkflow(*store, duties, coord_staff, in, clock.Now())).duty;
  }

  std::vector<domain::Notification> NotesOf(const service::Principal& p) {
    std::vector<domain::Notification> out;
    EXPECT_TRUE(store
                    ->Read([&](storage::Tx& tx) -> core::Status {
                      storage::NotificationFilter f;
                      f.user_id = p.user.id;
                      f.limit = 1000;
                      XT_ASSIGN_OR_RETURN(out, tx.ListNotifications(f));
                      return core::Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::vector<domain::DutyEvent> EventsOf(domain::Id id) {
    return Must(duties.Get(coord_staff, id)).events;
  }

  int64_t CountAudit(const std::string& action) {
    int64_t n = 0;
    EXPECT_TRUE(store
                    ->Read([&](storage::Tx& tx) {
                      return tx.ScanAudit([&](const domain::AuditEntry& e) {
                        if (e.action == action) ++n;
                        return true;
                      });
                    })
                    .ok());
    return n;
  }

  void ExpectChainIntact() {
    auto chain = service::VerifyChain(*store);
    ASSERT_TRUE(chain.ok());
    EXPECT_TRUE(chain->ok) << chain->explanation;
  }
};

int Count(const std::vector<domain::DutyEvent>& events, const char* kind) {
  return static_cast<int>(
      std::count_if(events.begin(), events.end(), [&](const auto& e) { return e.kind == kind; }));
}

TEST(SweeperTest, YellowThenRedUnderAnAdvancingClock) {
  SweepFixture f;
  auto d = f.Create();
  ASSERT_EQ(core::FormatInstant(d.yellow_at), "2026-11-28T00:00:00+08:00");
  ASSERT_EQ(core::FormatInstant(d.due_at), "2026-12-01T00:00:00+08:00");
  Sweeper sweeper(f.sweeps);

  auto r = sweeper.RunOnce();
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.scanned, 0);
  EXPECT_EQ(r.notified, 0);

  f.clock.Set(T("2026-11-28T00:00:00+08:00") - std::chrono::milliseconds(1));
  EXPECT_EQ(sweeper.RunOnce().scanned, 0);

  f.clock.Set(T("2026-11-28T00:00:00+08:00"));
  r = sweeper.RunOnce();
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.scanned, 1);
  EXPECT_EQ(r.turned_yellow, 1);
  EXPECT_EQ(r.turned_red, 0);
  EXPECT_EQ(r.notified, 2);  // the liaison and the leader

  auto leader_notes = f.NotesOf(f.xincheng_leader);
  ASSERT_EQ(leader_notes.size(), 1u);
  EXPECT_EQ(leader_notes[0].kind, "duty.yellow");
  EXPECT_EQ(leader_notes[0].title, "【预警】受理情况告知将于2026年11月30日24时到期");
  EXPECT_NE(leader_notes[0].body.find("R-REF-6"), std::string::npos);
  EXPECT_NE(leader_notes[0].body.find("受理情况告知：某违法建设案"), std::string::npos);
  EXPECT_EQ(leader_notes[0].object_type, "duty");
  EXPECT_EQ(leader_notes[0].object_id, std::to_string(d.id));
  EXPECT_EQ(f.NotesOf(f.xincheng_liaison).size(), 1u);
  EXPECT_TRUE(f.NotesOf(f.xincheng_officer).empty());
  EXPECT_TRUE(f.NotesOf(f.coord_staff).empty());  // yellow stays with the owner org

  // Again at the same time, and later while still yellow: nothing new.
  r = sweeper.RunOnce();
  EXPECT_EQ(r.scanned, 0);
  EXPECT_EQ(r.notified, 0);
  f.clock.Set(T("2026-11-30T23:59:59+08:00"));
  EXPECT_EQ(sweeper.RunOnce().notified, 0);

  f.clock.Set(T("2026-12-01T00:00:00+08:00"));
  r = sweeper.RunOnce();
  EXPECT_EQ(r.turned_red, 1);
  EXPECT_EQ(r.turned_yellow, 0);
  EXPECT_EQ(r.notified, 3);  // liaison, leader and the coordinator's staff (not its admin)
  EXPECT_EQ(sweeper.RunOnce().notified, 0);

  leader_notes = f.NotesOf(f.xincheng_leader);
  ASSERT_EQ(leader_notes.size(), 2u);
  EXPECT_EQ(leader_notes[0].kind, "duty.red");
  EXPECT_EQ(leader_notes[0].title, "【超期】受理情况告知已超期（期限2026年11月30日24时）");
  auto staff_notes = f.NotesOf(f.coord_staff);
  ASSERT_EQ(staff_notes.size(), 1u);
  EXPECT_EQ(staff_notes[0].kind, "duty.red");
  EXPECT_TRUE(f.NotesOf(f.admin).empty());  // administrators do not act for the coordinator
  EXPECT_TRUE(f.NotesOf(f.liuzu_officer).empty());

  auto detail = Fixture::Must(f.duties.Get(f.coord_staff, d.id));
  EXPECT_EQ(detail.duty.notified_level, 2);
  EXPECT_EQ(Count(detail.events, "yellow"), 1);
  EXPECT_EQ(Count(detail.events, "red"), 1);
  EXPECT_FALSE(detail.events.back().actor_user_id.has_value());  // the system
  EXPECT_EQ(f.CountAudit("duty.colour.yellow"), 1);
  EXPECT_EQ(f.CountAudit("duty.colour.red"), 1);

  // The pass is recorded.
  std::optional<std::string> last;
  ASSERT_TRUE(f.store
                  ->Read([&](storage::Tx& tx) -> core::Status {
                    XT_ASSIGN_OR_RETURN(last, tx.GetState(kLastRunKey));
                    return core::Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(last.has_value());
  auto j = boost::json::parse(*last).as_object();
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["now"], "2026-12-01T00:00:00+08:00");
  f.ExpectChainIntact();
}

// A duty first seen after its deadline gets only the red notice.
TEST(SweeperTest, StraightToRedSendsOnlyTheRedNotice) {
  SweepFixture f;
  auto d = f.Create();
  f.clock.Set(T("2026-12-02T10:00:00+08:00"));
  Sweeper sweeper(f.sweeps);
  auto r = sweeper.RunOnce();
  EXPECT_EQ(r.scanned, 1);
  EXPECT_EQ(r.turned_red, 1);
  EXPECT_EQ(r.turned_yellow, 0);
  EXPECT_EQ(r.notified, 3);
  auto notes = f.NotesOf(f.xincheng_liaison);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].kind, "duty.red");
  auto events = f.EventsOf(d.id);
  EXPECT_EQ(Count(events, "yellow"), 0);
  EXPECT_EQ(Count(events, "red"), 1);
  EXPECT_EQ(sweeper.RunOnce().scanned, 0);
}

// Duties that are no longer open are not warned; a duty extended after turning red is warned
// again for its new deadline (the dedupe key carries the due instant).
TEST(SweeperTest, MetDutiesAreSkippedAndExtendedDutiesWarnedAgain) {
  SweepFixture f;
  auto met = f.Create();
  // R-COL-5's analysis duty: 5 working days like R-REF-6's, but a period the coordinator may
  // extend (R-REF-6's is statutory).
  auto extended = f.Create(0, "隐患通报研究处置：某隐患", "notice.measures");
  // Met by its workflow's act, as the referral service does.
  ASSERT_TRUE(f.store
                  ->Write([&](storage::Tx& tx) -> core::Status {
                    XT_ASSIGN_OR_RETURN(domain::Duty d, tx.GetDuty(met.id));
                    return f.duties.MeetInTx(tx, &f.xincheng_leader, d, f.clock.Now(), f.clock.Now())
                        .status();
                  })
                  .ok());
  Sweeper sweeper(f.sweeps);
  f.clock.Set(T("2026-12-01T08:00:00+08:00"));
  auto r = sweeper.RunOnce();
  EXPECT_EQ(r.turned_red, 1);
  EXPECT_EQ(f.NotesOf(f.xincheng_leader).size(), 1u);

  auto ext =
      f.duties.Extend(f.coord_staff, extended.id, "需技术鉴定", T("2026-12-10T00:00:00+08:00"));
  ASSERT_TRUE(ext.ok()) << ext.status().ToString();
  EXPECT_EQ(ext->duty.notified_level, 0);  // green again
  EXPECT_EQ(sweeper.RunOnce().scanned, 0);
  f.clock.Set(T("2026-12-09T00:00:00+08:00"));
  r = sweeper.RunOnce();
  EXPECT_EQ(r.turned_yellow, 1);
  auto notes = f.NotesOf(f.xincheng_leader);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].title, "【预警】隐患通报研究处置将于2026年12月9日24时到期");
  f.ExpectChainIntact();
}

// Catching up over several batches in one pass.
TEST(SweeperTest, CatchesUpBeyondOneBatch) {
  SweepFixture f;
  for (int i = 0; i < 12; ++i) f.Create();
  f.clock.Set(T("2026-11-28T12:00:00+08:00"));
  service::SweepService small_batches(*f.store, f.clock, f.calendars, service::SweepOptions{5});
  Sweeper sweeper(small_batches);
  auto r = sweeper.RunOnce();
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.scanned, 12);
  EXPECT_EQ(r.turned_yellow, 12);
  EXPECT_EQ(r.notified, 24);
  EXPECT_EQ(sweeper.RunOnce().scanned, 0);
}

// Two sweepers (on two connections to the same database, as two server processes would be)
// racing over the same duties notify every person exactly once.
TEST(SweeperTest, ConcurrentSweepersNotifyExactlyOnce) {
  SweepFixture f;
  constexpr int kDuties = 25;
  std::vector<domain::Duty> created;
  for (int i = 0; i < kDuties; ++i) {
    created.push_back(f.Create(i % 2 ? f.xincheng.id : f.liuzu.id, "并发测试职责"));
  }
  auto other_store = service::testing::OpenTestStore(f.dir);
  service::CalendarService other_calendars(*other_store, f.clock);
  ASSERT_TRUE(other_calendars.Load().ok());
  f.clock.Set(T("2026-12-03T10:00:00+08:00"));

  for (int round = 0; round < 3; ++round) {
    service::SweepService sa(*f.store, f.clock, f.calendars, service::SweepOptions{4});
    service::SweepService sb(*other_store, f.clock, other_calendars, service::SweepOptions{4});
    Sweeper a(sa);
    Sweeper b(sb);
    SweepResult ra, rb, ra2;
    std::thread ta([&] {
      ra = a.RunOnce();
      ra2 = a.RunOnce();
    });
    std::thread tb([&] { rb = b.RunOnce(); });
    ta.join();
    tb.join();
    EXPECT_TRUE(ra.status.ok()) << ra.status.ToString();
    EXPECT_TRUE(rb.status.ok()) << rb.status.ToString();
    const int red = ra.turned_red + rb.turned_red + ra2.turned_red;
    const int notified = ra.notified + rb.notified + ra2.notified;
    if (round == 0) {
      EXPECT_EQ(red, kDuties);
      // 12 xincheng duties: liaison + leader; 13 liuzu: leader only; plus the staff member.
      EXPECT_EQ(notified, 12 * 3 + 13 * 2);
    } else {
      EXPECT_EQ(red, 0);
      EXPECT_EQ(notified, 0);
    }
  }
  for (const auto& d : created) {
    auto events = f.EventsOf(d.id);
    EXPECT_EQ(Count(events, "red"), 1) << d.id;
  }
  EXPECT_EQ(f.NotesOf(f.coord_staff).size(), static_cast<size_t>(kDuties));
  EXPECT_EQ(f.CountAudit("duty.colour.red"), kDuties);
  // R-SYS-2: liuzu has no liaison; each of its warnings went to its leader only, counted once.
  EXPECT_EQ(f.CountAudit(std::string(service::kLiaisonFallbackAction)), 13);
  f.ExpectChainIntact();
}

// Start() runs passes in the background; Stop() returns promptly even with a long interval.
TEST(SweeperTest, StartRunsPassesAndStopIsPrompt) {
  SweepFixture f;
  f.Create();
  f.clock.Set(T("2026-12-01T09:00:00+08:00"));
  Sweeper sweeper(f.sweeps, SweeperOptions{std::chrono::milliseconds(3600000)});
  sweeper.Start();
  sweeper.Start();  // idempotent
  for (int i = 0; i < 300 && f.NotesOf(f.coord_staff).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(f.NotesOf(f.coord_staff).size(), 1u);
  auto t0 = std::chrono::steady_clock::now();
  sweeper.Stop();
  sweeper.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
}

// The live-push poller sees the sweeper's notifications (through the database).
TEST(SweeperTest, NotificationsReachSubscribersThroughThePoller) {
  SweepFixture f;
  auto d = f.Create();
  service::NotificationService notes(*f.store, f.clock);
  ASSERT_TRUE(notes.PollOnce().ok());  // primes
  std::vector<std::string> events;
  notes.Subscribe(f.xincheng_officer.user.id, f.xincheng.id,
                  [&](std::string ev, std::string) { events.push_back(ev); });
  notes.Subscribe(f.xincheng_leader.user.id, f.xincheng.id,
                  [&](std::string ev, std::string) { events.push_back("leader:" + ev); });
  f.clock.Set(T("2026-11-28T08:00:00+08:00"));
  Sweeper sweeper(f.sweeps);
  ASSERT_EQ(sweeper.RunOnce().notified, 2);
  ASSERT_TRUE(notes.PollOnce().ok());
  // The leader is notified; both org members get one "duty" event.
  EXPECT_EQ(std::count(events.begin(), events.end(), "leader:notification"), 1);
  EXPECT_EQ(std::count(events.begin(), events.end(), "leader:duty"), 1);
  EXPECT_EQ(std::count(events.begin(), events.end(), "duty"), 1);
  EXPECT_EQ(std::count(events.begin(), events.end(), "notification"), 0);
  (void)d;
}

}  // namespace
}  // namespace xietong::jobs
