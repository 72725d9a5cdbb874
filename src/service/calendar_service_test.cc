#include "service/calendar_service.h"

#include <gtest/gtest.h>

#include "service/audit_log.h"
#include "service/duty_service.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using core::Code;
using testing::Fixture;

template <typename T>
T Must(core::Result<T> r) {
  return Fixture::Must(std::move(r));
}

core::Instant T(const char* s) {
  auto t = core::ParseInstant(s);
  if (!t) throw std::runtime_error(std::string("bad instant ") + s);
  return *t;
}

// A test schedule for 2027 (not the real notice): 元旦 Friday 1/1 to Sunday 1/3, and a Spring
// Festival block with a make-up Saturday.
constexpr char k2027[] = R"({
  "year": 2027,
  "notice": {"number": "测试〔2026〕1号", "title": "2027年部分节假日安排（测试数据）", "published": "2026-11-20"},
  "holidays": [
    {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
    {"name": "春节", "from": "2027-02-06", "to": "2027-02-14"}
  ],
  "workdays": [{"date": "2027-02-20", "for": "春节"}]
})";

struct CalFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  CalFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
  }
  domain::Duty Create(const char* trigger, const char* kind = "referral.accept_notice") {
    DutyInput in;
    in.kind = kind;
    in.owner_org_id = xincheng.id;
    in.object_type = "referral";
    in.object_id = "R-9";
    in.title = "跨年受理告知";
    in.trigger_at = T(trigger);
    return Must(testing::OpenAsWorkflow(*store, duties, coord_staff, in, clock.Now())).duty;
  }
  std::vector<domain::AuditEntry> AuditOf(const std::string& type, const std::string& id) {
    std::vector<domain::AuditEntry> out;
    EXPECT_TRUE(store
                    ->Read([&](storage::Tx& tx) -> core::Status {
                      storage::AuditFilter f;
                      f.object_type = type;
                      f.object_id = id;
                      XT_ASSIGN_OR_RETURN(out, tx.ListAudit(f));
                      return core::Status::Ok();
                    })
                    .ok());
    return out;
  }
};

TEST(CalendarServiceTest, LoadsTheBuiltInYears) {
  CalFixture f;
  auto cal = f.calendars.Current();
  ASSERT_TRUE(cal);
  EXPECT_TRUE(cal->HasSchedule(2018));
  EXPECT_TRUE(cal->HasSchedule(2026));
  EXPECT_FALSE(cal->HasSchedule(2027));
  CalendarYears loaded = f.calendars.Years();
  EXPECT_EQ(loaded.version, cal->version());
  ASSERT_EQ(loaded.years.size(), 9u);
  const CalendarYear& y2026 = loaded.years.back();
  EXPECT_EQ(y2026.schedule.year, 2026);
  EXPECT_EQ(y2026.schedule.notice_number, "国办发明电〔2025〕7号");
  EXPECT_TRUE(y2026.builtin);
  EXPECT_EQ(y2026.schedule.published, "2025-11-04");
  EXPECT_EQ(y2026.schedule.holidays.back().name, "国庆节");
  EXPECT_EQ(core::FormatDay(y2026.schedule.workdays.back().date), "2026-10-10");
  EXPECT_EQ(y2026.schedule.workdays.back().for_holiday, "国庆节");
}

TEST(CalendarServiceTest, OnlyAdminsImportAndErrorsNameTheField) {
  CalFixture f;
  auto denied = f.calendars.Import(f.coord_staff, k2027);
  EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(denied.status().message(), "仅系统管理员可导入节假日安排");

  auto malformed = f.calendars.Import(f.admin, "{\"year\": 2027");
  EXPECT_EQ(malformed.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(malformed.status().rule(), "R-TIME-3");

  std::string bad_date = k2027;
  bad_date.replace(bad_date.find("2027-01-03"), 10, "2027-13-03");
  auto bad = f.calendars.Import(f.admin, bad_date);
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "holidays[0].to");
  EXPECT_EQ(bad.status().rule(), "R-TIME-3");
  EXPECT_FALSE(f.calendars.Current()->HasSchedule(2027));  // nothing changed
}

// R-TIME-3: a deadline in a year without a schedule is provisional (weekdays guessed) and is
// recomputed, with an event and audit entries, when the year's schedule is imported.
TEST(CalendarServiceTest, ImportRecomputesProvisionalDuties) {
  CalFixture f;
  f.clock.Set(T("2026-12-30T10:00:00+08:00"));
  // Wednesday 12/30: 12/31 (1); guessed 2027: Fri 1/1 (2), 1/4 (3), 1/5 (4), 1/6 (5).
  auto d = f.Create("2026-12-30T10:00:00+08:00");
  EXPECT_TRUE(d.provisional);
  EXPECT_EQ(core::FormatInstant(d.due_at), "2027-01-07T00:00:00+08:00");
  // A suspended provisional duty keeps its suspension shift of one day.
  // (Kinds whose policy allows the generic suspend and meet: domain::DutyKind.)
  auto s = f.Create("2026-12-30T10:00:00+08:00", "notice.measures");
  Must(f.duties.Suspend(f.coord_staff, s.id, "等待鉴定"));
  f.clock.Advance(std::chrono::hours(24));
  Must(f.duties.Resume(f.coord_staff, s.id));
  Must(f.duties.Suspend(f.coord_staff, s.id, "再次等待"));
  // A met one and a non-provisional one are left alone.
  auto met = f.Create("2026-12-30T10:00:00+08:00", "task.assigned");
  Must(f.duties.Meet(f.coord_staff, met.id));
  auto firm = f.Create("2026-11-23T10:00:00+08:00");
  const std::string old_version = f.calendars.Current()->version();

  auto out = f.calendars.Import(f.admin, k2027);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->year, 2027);
  EXPECT_EQ(out->recomputed_duties, 2);
  EXPECT_NE(out->version, old_version);
  EXPECT_EQ(out->version, f.calendars.Current()->version());
  EXPECT_TRUE(f.calendars.Current()->HasSchedule(2027));

  // With 元旦 1/1–1/3 off: 12/31 (1), 1/4 (2), 1/5 (3), 1/6 (4), 1/7 (5): due 1/8 00:00.
  auto after = Must(f.duties.Get(f.coord_staff, d.id));
  EXPECT_FALSE(after.duty.provisional);
  EXPECT_EQ(core::FormatInstant(after.duty.due_at), "2027-01-08T00:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(after.duty.yellow_at), "2027-01-07T00:00:00+08:00");
  EXPECT_EQ(after.duty.calendar_version, out->version);
  const auto& ev = after.events.back();
  EXPECT_EQ(ev.kind, "recomputed");
  EXPECT_EQ(core::FormatInstant(*ev.old_due), "2027-01-07T00:00:00+08:00");
  EXPECT_EQ(core::FormatInstant(*ev.new_due), "2027-01-08T00:00:00+08:00");
  auto audit = f.AuditOf("duty", std::to_string(d.id));
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action, "duty.recompute");  // newest first
  EXPECT_EQ(audit.front().actor_user_id, f.admin.user.id);

  auto suspended = Must(f.duties.Get(f.coord_staff, s.id));
  EXPECT_EQ(suspended.duty.state, domain::DutyState::kSuspended);
  EXPECT_EQ(core::FormatInstant(suspended.duty.due_at), "2027-01-09T00:00:00+08:00");

  EXPECT_EQ(Must(f.duties.Get(f.coord_staff, met.id)).events.back().kind, "met");
  EXPECT_EQ(Must(f.duties.Get(f.coord_staff, firm.id)).events.size(), 1u);

  auto imports = f.AuditOf("calendar_year", "2027");
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].action, "calendar.import");

  CalendarYears years = f.calendars.Years();
  EXPECT_EQ(years.years.back().schedule.year, 2027);
  EXPECT_FALSE(years.years.back().builtin);

  // A second import of the same year replaces it; nothing provisional is left to recompute.
  auto again = f.calendars.Import(f.admin, k2027);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->recomputed_duties, 0);
  EXPECT_EQ(again->version, out->version);

  // Another service on the same store loads the stored year.
  CalendarService other(*f.store, f.clock);
  ASSERT_TRUE(other.Load().ok());
  EXPECT_EQ(other.Current()->version(), out->version);

  auto chain = VerifyChain(*f.store);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << chain->explanation;
}

// R-TIME-3 (decided): from 20 December of the last loaded year days are provisional, since the
// next notice can move them. Loading that year recomputes the duties ending in those days —
// also those stored as final before the rule (a legacy row), but not an extended one.
TEST(CalendarServiceTest, ImportRecomputesDutiesEndingInLateDecemberRTime3) {
  // A 2027 notice that, like the 2019 one, reaches back: Saturday 2026-12-26 is a working day.
  constexpr char k2027Back[] = R"({
    "year": 2027,
    "notice": {"number": "测试〔2026〕2号", "title": "2027年部分节假日安排（测试数据）", "published": "2026-12-01"},
    "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
    "workdays": [{"date": "2026-12-26", "for": "元旦"}]
  })";
  CalFixture f;
  f.clock.Set(T("2026-12-07T10:00:00+08:00"));
  // Before the window: 12/8 … 12/14 (5 working days), final.
  auto early = f.Create("2026-12-07T10:00:00+08:00");
  EXPECT_FALSE(early.provisional);
  // Tuesday 12/22 + 5: 12/23, 12/24, 12/25, 12/28, 12/29 → due 12/30 00:00, provisional.
  auto late = f.Create("2026-12-22T10:00:00+08:00");
  EXPECT_TRUE(late.provisional);
  EXPECT_EQ(core::FormatInstant(late.due_at), "2026-12-30T00:00:00+08:00");
  // The same deadline stored as final (computed before the rule), and an extended one.
  auto legacy = f.Create("2026-12-22T10:00:00+08:00");
  auto extended = f.Create("2026-12-22T10:00:00+08:00");
  ASSERT_TRUE(f.store
                  ->Write([&](storage::Tx& tx) -> core::Status {
                    for (domain::Id id : {legacy.id, extended.id}) {
                      XT_ASSIGN_OR_RETURN(domain::Duty d, tx.GetDuty(id));
                      d.provisional = false;
                      XT_RETURN_IF_ERROR(tx.UpdateDuty(d));
                    }
                    domain::DutyEvent ev;
                    ev.duty_id = extended.id;
                    ev.at = f.clock.Now();
                    ev.kind = "extended";
                    ev.reason = "延期";
                    ev.old_due = extended.due_at;
                    ev.new_due = extended.due_at;
                    return tx.InsertDutyEvent(ev).status();
                  })
                  .ok());

  auto out = f.calendars.Import(f.admin, k2027Back);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->recomputed_duties, 2);  // late and legacy
  EXPECT_FALSE(f.calendars.Current()->Day(*core::ParseDay("2026-12-28")).provisional);
  // With Saturday 12/26 working: 12/23, 12/24, 12/25, 12/26, 12/28 → due 12/29 00:00.
  for (domain::Id id : {late.id, legacy.id}) {
    auto after = Must(f.duties.Get(f.coord_staff, id));
    EXPECT_FALSE(after.duty.provisional) << id;
    EXPECT_EQ(core::FormatInstant(after.duty.due_at), "2026-12-29T00:00:00+08:00") << id;
    EXPECT_EQ(after.events.back().kind, "recomputed") << id;
  }
  auto ext = Must(f.duties.Get(f.coord_staff, extended.id));
  EXPECT_EQ(ext.duty.due_at, extended.due_at);
  EXPECT_EQ(ext.events.back().kind, "extended");
  EXPECT_EQ(Must(f.duties.Get(f.coord_staff, early.id)).events.size(), 1u);
}

// A stored year replaces the built-in one of the same year.
TEST(CalendarServiceTest, StoredYearReplacesBuiltIn) {
  CalFixture f;
  std::string y2026 = R"({"year": 2026,
    "notice": {"number": "国办发明电〔2025〕7号", "title": "国务院办公厅关于2026年部分节假日安排的通知", "published": "2025-11-04"},
    "holidays": [{"name": "国庆节", "from": "2026-10-01", "to": "2026-10-08"}],
    "workdays": []})";
  auto out = f.calendars.Import(f.admin, y2026);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto cal = f.calendars.Current();
  EXPECT_FALSE(cal->Day(*core::ParseDay("2026-10-08")).workday);
  EXPECT_FALSE(cal->Day(*core::ParseDay("2026-10-10")).workday);  // no make-up day any more
  EXPECT_FALSE(cal->Day(*core::ParseDay("2026-02-16")).holiday);  // 春节 gone with the old file
  EXPECT_FALSE(f.calendars.Years().years.back().builtin);
}

}  // namespace
}  // namespace xietong::service
