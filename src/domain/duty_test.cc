#include "domain/duty.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "calendar/builtin_schedules.h"
#include "calendar/schedule.h"
#include "domain/rules.h"

namespace xietong::domain {
namespace {

using core::FormatInstant;
using core::ParseInstant;

const calendar::Calendar& Cal() {
  static const calendar::Calendar cal = [] {
    std::vector<calendar::YearSchedule> years;
    for (auto json : calendar::BuiltinScheduleJson()) years.push_back(*calendar::ParseYearSchedule(json));
    return *calendar::Calendar::Build(std::move(years));
  }();
  return cal;
}

core::Instant At(const char* s) { return *ParseInstant(s); }

Duty MakeDuty(const char* trigger, PeriodUnit unit, int64_t period) {
  Duty d;
  d.trigger_at = At(trigger);
  d.unit = unit;
  d.period = period;
  auto due = ComputeDue(Cal(), d.trigger_at, unit, period);
  d.due_at = due.due;
  d.yellow_at = ComputeYellowAt(Cal(), due, unit, period);
  d.provisional = due.provisional;
  return d;
}

TEST(DutyKindTest, EveryKindNamesAKnownRule) {
  for (const auto& k : DutyKinds()) {
    EXPECT_NE(FindRule(k.rule), nullptr) << k.id;
    EXPECT_GT(k.period, 0) << k.id;
    EXPECT_EQ(FindDutyKind(k.id), &k);
  }
  EXPECT_EQ(FindDutyKind("nope"), nullptr);
}

// R-REF-6 over the 2026 National Day holiday: 9/30 (1), 10/8 (2), 10/9 (3), Saturday 10/10 is a
// make-up working day (4), Monday 10/12 (5). Due at 24:00 of 10/12.
TEST(DutyTest, AcceptanceNoticeAcrossNationalDay) {
  Duty d = MakeDuty("2026-09-29T10:00:00+08:00", PeriodUnit::kWorkingDays, 5);
  EXPECT_EQ(FormatInstant(d.due_at), "2026-10-13T00:00:00+08:00");
  EXPECT_FALSE(d.provisional);
  // R-TIME-4: yellow once at most one working day remains: from 24:00 of Saturday 10/10.
  EXPECT_EQ(FormatInstant(d.yellow_at), "2026-10-11T00:00:00+08:00");
  EXPECT_EQ(ColourAt(d, At("2026-10-10T23:59:59+08:00")), Colour::kGreen);
  EXPECT_EQ(ColourAt(d, At("2026-10-11T00:00:00+08:00")), Colour::kYellow);
  EXPECT_EQ(ColourAt(d, At("2026-10-12T23:59:59+08:00")), Colour::kYellow);
  EXPECT_EQ(ColourAt(d, At("2026-10-13T00:00:00+08:00")), Colour::kRed);
}

// R-TIME-2: 24 hours is clock time; yellow in the last quarter of the period.
TEST(DutyTest, HoursAreClockTime) {
  Duty d = MakeDuty("2026-10-01T10:30:00+08:00", PeriodUnit::kHours, 24);
  EXPECT_EQ(FormatInstant(d.due_at), "2026-10-02T10:30:00+08:00");  // a holiday does not matter
  EXPECT_EQ(FormatInstant(d.yellow_at), "2026-10-02T04:30:00+08:00");
  Duty two = MakeDuty("2026-11-25T09:00:00+08:00", PeriodUnit::kHours, 2);
  // A quarter of 2 hours is 30 minutes, but the last hour is always yellow (issue 17 defect 5).
  EXPECT_EQ(FormatInstant(two.yellow_at), "2026-11-25T10:00:00+08:00");
}

// R-TIME-4 (issue 17 defect 5): an open duty with less than an hour left is due within one working
// day, so its colour is yellow, never green, whatever its unit; the web shows the tag from it.
TEST(DutyTest, LastHourIsYellowForEveryUnit) {
  for (auto [unit, period] : {std::pair{PeriodUnit::kHours, int64_t{2}}, std::pair{PeriodUnit::kHours, int64_t{24}},
                              std::pair{PeriodUnit::kWorkingDays, int64_t{1}}, std::pair{PeriodUnit::kWorkingDays, int64_t{5}},
                              std::pair{PeriodUnit::kCalendarDays, int64_t{3}}}) {
    Duty d = MakeDuty("2026-11-23T09:00:00+08:00", unit, period);
    d.state = DutyState::kOpen;
    EXPECT_LE(d.yellow_at, d.due_at - std::chrono::hours(1)) << static_cast<int>(unit) << " " << period;
    EXPECT_EQ(ColourAt(d, d.due_at - std::chrono::minutes(30)), Colour::kYellow) << static_cast<int>(unit) << " " << period;
    EXPECT_EQ(ColourAt(d, d.due_at - std::chrono::seconds(1)), Colour::kYellow);
    EXPECT_EQ(ColourAt(d, d.due_at), Colour::kRed);
  }
}

// R-TIME-3: a deadline in a year without a loaded schedule is provisional.
TEST(DutyTest, FutureYearIsProvisional) {
  Duty d = MakeDuty("2027-03-01T09:00:00+08:00", PeriodUnit::kWorkingDays, 3);
  EXPECT_TRUE(d.provisional);
}

TEST(DutyTest, NotOpenHasNoColour) {
  Duty d = MakeDuty("2026-11-23T09:00:00+08:00", PeriodUnit::kWorkingDays, 3);
  d.state = DutyState::kWaived;
  EXPECT_EQ(ColourAt(d, At("2030-01-01T00:00:00Z")), Colour::kNone);
}

TEST(DutyTest, RemainingInWorkingDaysAndHours) {
  // Due 24:00 Thursday 2026-11-26 (3 working days from Monday 11/23).
  Duty d = MakeDuty("2026-11-23T09:00:00+08:00", PeriodUnit::kWorkingDays, 3);
  EXPECT_EQ(FormatInstant(d.due_at), "2026-11-27T00:00:00+08:00");
  auto r = RemainingAt(Cal(), d, At("2026-11-24T19:00:00+08:00"));
  EXPECT_FALSE(r.overdue);
  EXPECT_EQ(r.working_days, 2);  // Wednesday and Thursday
  EXPECT_EQ(r.hours, 5);         // the rest of Tuesday
  auto late = RemainingAt(Cal(), d, At("2026-11-30T10:00:00+08:00"));  // Monday after
  EXPECT_TRUE(late.overdue);
  EXPECT_EQ(late.working_days, 2);  // Friday 11/27 and Monday 11/30
}

// R-TIME-4: met late by the working days after the deadline's last day.
TEST(DutyTest, MarkMetRecordsLateness) {
  Duty d = MakeDuty("2026-09-29T10:00:00+08:00", PeriodUnit::kWorkingDays, 5);
  Duty on_time = d;
  MarkMet(Cal(), on_time, At("2026-10-12T16:00:00+08:00"));
  EXPECT_EQ(on_time.state, DutyState::kMet);
  EXPECT_TRUE(*on_time.on_time);
  EXPECT_EQ(*on_time.late_working_days, 0);
  Duty late = d;
  MarkMet(Cal(), late, At("2026-10-14T09:00:00+08:00"));
  EXPECT_FALSE(*late.on_time);
  EXPECT_EQ(*late.late_working_days, 2);  // 10/13 and 10/14
}

// ---- The kinds' policy: how each may end and be extended ----

// The policy table, as the policy reads it (SPEC.md). A new kind must be added here, with its
// decision, or this test fails.
struct KindPolicy {
  std::string_view id;
  DutyEnding ending;
  DutyExtension extension;
};
constexpr KindPolicy kExpectedPolicy[] = {
    {"referral.send", DutyEnding::kByWorkflow, DutyExtension::kNever},            // R-REF-4
    {"referral.send_urgent", DutyEnding::kByWorkflow, DutyExtension::kNever},     // R-REF-4
    {"referral.ongoing_notice", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-REF-5
    {"referral.accept_notice", DutyEnding::kByWorkflow, DutyExtension::kNever},   // R-REF-6
    {"collaboration.answer", DutyEnding::kByWorkflow, DutyExtension::kWorkflowStep},  // R-COL-4
    {"collaboration.dispatch", DutyEnding::kByWorkflow, DutyExtension::kNever},       // R-COL-3
    {"notice.measures", DutyEnding::kByWorkflow, DutyExtension::kOwnerLeader},        // R-COL-5
    {"meeting.decision", DutyEnding::kByWorkflow, DutyExtension::kCoordinator},       // R-COL-6
    {"consultation.decision", DutyEnding::kByWorkflow, DutyExtension::kCoordinator},  // R-SYS-1
    {"participation.written_notice", DutyEnding::kByWorkflow, DutyExtension::kCoordinator},
    {"violation.dispatch", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-COL-8
    {"dispute.joint_handling", DutyEnding::kByWorkflow, DutyExtension::kNever},     // R-DIS-1
    {"dispute.negotiation", DutyEnding::kByWorkflow, DutyExtension::kCoordinator},  // R-DIS-2
    {"dispute.coordination", DutyEnding::kByWorkflow, DutyExtension::kNever},       // R-DIS-2
    {"dispute.decision", DutyEnding::kByWorkflow, DutyExtension::kNever},           // R-DIS-2
    {"task.assigned", DutyEnding::kManual, DutyExtension::kOwnerLeader},      // R-PLN-2
    {"complaint.reply", DutyEnding::kByWorkflow, DutyExtension::kNever},     // R-SYS-3
    {"court_enforcement.accept", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-CRI-3
    {"court_enforcement.ruling", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-CRI-3
    {"police_support.answer", DutyEnding::kByWorkflow, DutyExtension::kNever},     // R-CRI-4
    {"police_support.handover", DutyEnding::kByWorkflow, DutyExtension::kNever},   // R-CRI-4
    {"guidance.respond", DutyEnding::kByWorkflow, DutyExtension::kNever},        // R-GUI-1
    {"tech_support.answer", DutyEnding::kByWorkflow, DutyExtension::kNever},     // R-GUI-3
    {"urging.answer", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-PLN-2 督办
    {"material.acknowledge", DutyEnding::kByWorkflow, DutyExtension::kNever},        // R-INF-1
    {"penalty_filing.acknowledge", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-INF-3
    {"crime.transfer_decision", DutyEnding::kByWorkflow, DutyExtension::kNever},  // R-CRI-1a
    {"crime.transfer_police", DutyEnding::kByWorkflow, DutyExtension::kNever},    // R-CRI-1a
    {"crime.police_receipt", DutyEnding::kByWorkflow, DutyExtension::kNever},     // R-CRI-1a
    {"crime.case_decision", DutyEnding::kByWorkflow, DutyExtension::kNever},      // R-CRI-1a
    {"crime.reconsideration_answer", DutyEnding::kByWorkflow, DutyExtension::kNever},
    {"crime.administrative_handling", DutyEnding::kByWorkflow, DutyExtension::kOwnerLeader},
    {"plan.comment", DutyEnding::kByWorkflow, DutyExtension::kNever},        // R-PLN-1
    {"plan_task.complete", DutyEnding::kByWorkflow, DutyExtension::kCoordinator},  // R-PLN-1
};

TEST(DutyKindPolicyTest, EveryKindDeclaresHowItEndsAndIsExtended) {
  ASSERT_EQ(DutyKinds().size(), std::size(kExpectedPolicy));
  for (const auto& e : kExpectedPolicy) {
    const DutyKind* k = FindDutyKind(e.id);
    ASSERT_NE(k, nullptr) << e.id;
    EXPECT_EQ(DutyEndingName(k->ending), DutyEndingName(e.ending)) << e.id;
    EXPECT_EQ(DutyExtensionName(k->extension), DutyExtensionName(e.extension)) << e.id;
  }
  for (const auto& k : DutyKinds()) {
    EXPECT_NE(DutyEndingName(k.ending), "unknown") << k.id;
    EXPECT_NE(DutyExtensionName(k.extension), "unknown") << k.id;
    // A refusal names the act that ends it, or the step that extends it.
    if (k.ending == DutyEnding::kByWorkflow) {
      EXPECT_NE(k.end_act_zh.find("POST /api/v1/"), std::string_view::npos) << k.id;
      EXPECT_NE(k.end_act_en.find("POST /api/v1/"), std::string_view::npos) << k.id;
    }
    if (k.extension == DutyExtension::kWorkflowStep) {
      EXPECT_NE(k.extend_act_zh.find("/extend"), std::string_view::npos) << k.id;
      EXPECT_NE(k.extend_act_en.find("/extend"), std::string_view::npos) << k.id;
    }
  }
}

// Kinds whose duties the workflows open end by their workflow only; the rest (no workflow of
// this platform handles them) end by hand.
TEST(DutyKindPolicyTest, WorkflowKindsEndByTheirWorkflowOnly) {
  for (const auto& k : DutyKinds()) {
    const bool workflow = k.id.starts_with("referral.") || k.id.starts_with("collaboration.") ||
                          k.id.starts_with("notice.") || k.id.starts_with("meeting.") ||
                          k.id.starts_with("consultation.") ||
                          k.id.starts_with("participation.") || k.id.starts_with("violation") ||
                          k.id.starts_with("dispute.") || k.id.starts_with("complaint.") ||
                          k.id.starts_with("court_enforcement.") || k.id.starts_with("police_support.") ||
                          k.id.starts_with("guidance.") || k.id.starts_with("tech_support.") ||
                          k.id.starts_with("crime.") ||
                          k.id.starts_with("plan.") || k.id.starts_with("plan_task.") ||  // R-PLN-1
                          k.id.starts_with("urging.") ||  // 督办 (R-PLN-2)
                          k.id.starts_with("material.") || k.id.starts_with("penalty_filing.");
    EXPECT_EQ(k.ending == DutyEnding::kByWorkflow, workflow) << k.id;
  }
}

// Statutory periods (R-REF-4, R-REF-5, R-REF-6, the "at once" of R-COL-3 and R-COL-8, Decree 310
// of R-CRI-1a) are never extendable, whoever asks.
TEST(DutyKindPolicyTest, StatutoryPeriodsAreNeverExtendable) {
  const std::string_view statutory[] = {"R-REF-4", "R-REF-5", "R-REF-6",
                                        "R-COL-3", "R-COL-8", "R-CRI-1a"};
  int seen = 0;
  for (const auto& k : DutyKinds()) {
    const bool is_statutory =
        std::find(std::begin(statutory), std::end(statutory), k.rule) != std::end(statutory);
    if (!is_statutory) continue;
    ++seen;
    EXPECT_EQ(k.extension, DutyExtension::kNever) << k.id;
    Duty d;
    d.kind = std::string(k.id);
    d.rule = std::string(k.rule);
    for (bool coordinator : {false, true}) {
      core::Status st = CheckGenericExtend(d, coordinator);
      EXPECT_EQ(st.code(), core::Code::kFailedPrecondition) << k.id;
      EXPECT_EQ(st.id(), "duty_not_extendable") << k.id;
      EXPECT_EQ(st.rule(), k.rule) << k.id;
    }
    core::Status s = CheckGenericSuspend(d);
    EXPECT_EQ(s.id(), "duty_not_suspendable") << k.id;
    EXPECT_EQ(s.rule(), k.rule) << k.id;
  }
  EXPECT_EQ(seen, 11);  // with the criminal transfer's police receipt, case and review decisions
}

Duty OfKind(std::string_view id) {
  Duty d;
  d.kind = std::string(id);
  d.rule = std::string(FindDutyKind(id)->rule);
  return d;
}

// The checks the generic routes make, for every kind (golden table: which id, or "" for OK).
TEST(DutyKindPolicyTest, GenericRouteChecksFollowThePolicy) {
  struct Row {
    std::string_view kind;
    std::string_view meet, waive;                  // CheckGenericEnd
    std::string_view extend_leader, extend_coord;  // CheckGenericExtend
    std::string_view suspend;                      // CheckGenericSuspend
  };
  constexpr std::string_view W = "duty_ended_by_workflow", N = "duty_not_extendable",
                             S = "duty_not_suspendable", X = "duty_extended_by_workflow";
  const Row rows[] = {
      {"referral.send", W, W, N, N, S},
      {"referral.send_urgent", W, W, N, N, S},
      {"referral.ongoing_notice", W, W, N, N, S},
      {"referral.accept_notice", W, W, N, N, S},
      {"collaboration.answer", W, W, X, "", ""},
      {"collaboration.dispatch", W, W, N, N, S},
      {"notice.measures", W, W, "", "", ""},
      {"meeting.decision", W, W, N, "", ""},
      {"consultation.decision", W, W, N, "", ""},
      {"participation.written_notice", W, W, N, "", ""},
      {"violation.dispatch", W, W, N, N, S},
      {"dispute.joint_handling", W, W, N, N, S},
      {"dispute.negotiation", W, W, N, "", ""},
      {"dispute.coordination", W, W, N, N, S},
      {"dispute.decision", W, W, N, N, S},
      {"task.assigned", "", "", "", "", ""},
      {"complaint.reply", W, W, N, N, S},
      {"court_enforcement.accept", W, W, N, N, S},
      {"court_enforcement.ruling", W, W, N, N, S},
      {"police_support.answer", W, W, N, N, S},
      {"police_support.handover", W, W, N, N, S},
      {"guidance.respond", W, W, N, N, S},     // R-GUI-1
      {"tech_support.answer", W, W, N, N, S},  // R-GUI-3
      {"material.acknowledge", W, W, N, N, S},
      {"penalty_filing.acknowledge", W, W, N, N, S},
      {"crime.transfer_decision", W, W, N, N, S},
      {"crime.transfer_police", W, W, N, N, S},
      {"crime.police_receipt", W, W, N, N, S},
      {"crime.case_decision", W, W, N, N, S},
      {"crime.reconsideration_answer", W, W, N, N, S},
      {"crime.administrative_handling", W, W, "", "", ""},
      {"plan.comment", W, W, N, N, S},
      {"plan_task.complete", W, W, N, "", ""},
      {"urging.answer", W, W, N, N, S},  // 督办 (R-PLN-2)
  };
  ASSERT_EQ(std::size(rows), DutyKinds().size());
  auto id_of = [](const core::Status& st) { return st.ok() ? std::string() : st.id(); };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.kind));
    Duty d = OfKind(r.kind);
    EXPECT_EQ(id_of(CheckGenericEnd(d, false)), r.meet);
    EXPECT_EQ(id_of(CheckGenericEnd(d, true)), r.waive);
    EXPECT_EQ(id_of(CheckGenericExtend(d, false)), r.extend_leader);
    EXPECT_EQ(id_of(CheckGenericExtend(d, true)), r.extend_coord);
    EXPECT_EQ(id_of(CheckGenericSuspend(d)), r.suspend);
    for (const core::Status& st : {CheckGenericEnd(d, false), CheckGenericExtend(d, false),
                                   CheckGenericSuspend(d)}) {
      if (st.ok()) continue;
      EXPECT_EQ(st.code(), core::Code::kFailedPrecondition);
      EXPECT_EQ(st.rule(), d.rule);  // the duty's rule
      EXPECT_FALSE(st.message_en().empty());
    }
  }
}

// R-REF-6: the refusal names the act that ends the duty, in both languages; R-COL-4: the refusal
// points to the collaboration's extend step.
TEST(DutyKindPolicyTest, RefusalsPointToTheWorkflow) {
  core::Status meet = CheckGenericEnd(OfKind("referral.accept_notice"), false);
  EXPECT_EQ(meet.rule(), "R-REF-6");
  EXPECT_NE(meet.message().find("受理情况告知"), std::string::npos) << meet.message();
  EXPECT_NE(meet.message().find("/api/v1/referrals/{id}/accept"), std::string::npos);
  EXPECT_NE(meet.message_en().find("/api/v1/referrals/{id}/accept"), std::string::npos);
  core::Status waive = CheckGenericEnd(OfKind("violation.dispatch"), true);
  EXPECT_NE(waive.message().find("不能直接免除"), std::string::npos) << waive.message();
  core::Status ext = CheckGenericExtend(OfKind("collaboration.answer"), false);
  EXPECT_EQ(ext.rule(), "R-COL-2");
  EXPECT_NE(ext.message().find("POST /api/v1/collaborations/{id}/extend"), std::string::npos);
  EXPECT_NE(ext.message_en().find("R-COL-4"), std::string::npos);
  // A duty's rule may be overridden at creation: the refusal names the duty's, not the kind's.
  Duty d = OfKind("referral.send");
  d.rule = "R-REF-1";
  EXPECT_EQ(CheckGenericEnd(d, false).rule(), "R-REF-1");
}

// A kind this build does not know (a stored duty of a removed kind) is treated strictly.
TEST(DutyKindPolicyTest, UnknownKindIsEndedByItsWorkflowAndNeverExtended) {
  Duty d;
  d.kind = "retired.kind";
  d.rule = "R-TIME-4";
  EXPECT_EQ(CheckGenericEnd(d, false).id(), "duty_ended_by_workflow");
  EXPECT_EQ(CheckGenericEnd(d, true).id(), "duty_ended_by_workflow");
  EXPECT_EQ(CheckGenericExtend(d, true).id(), "duty_not_extendable");
  EXPECT_EQ(CheckGenericSuspend(d).id(), "duty_not_suspendable");
}

// R-TIME-4: a met instant lies between the trigger and now (a few minutes of skew tolerated).
TEST(DutyTest, MetAtIsBetweenTriggerAndNow) {
  Duty d = MakeDuty("2026-11-23T09:00:00+08:00", PeriodUnit::kWorkingDays, 5);
  const core::Instant now = At("2026-11-25T10:00:00+08:00");
  EXPECT_TRUE(CheckMetAt(d, d.trigger_at, now).ok());
  EXPECT_TRUE(CheckMetAt(d, now, now).ok());
  EXPECT_TRUE(CheckMetAt(d, now + kMetAtSkew, now).ok());
  core::Status future = CheckMetAt(d, now + kMetAtSkew + std::chrono::milliseconds(1), now);
  EXPECT_EQ(future.code(), core::Code::kInvalidArgument);
  EXPECT_EQ(future.field(), "met_at");
  EXPECT_EQ(future.rule(), "R-TIME-4");
  core::Status before = CheckMetAt(d, d.trigger_at - std::chrono::milliseconds(1), now);
  EXPECT_EQ(before.field(), "met_at");
  EXPECT_EQ(before.rule(), "R-TIME-4");
}

}  // namespace
}  // namespace xietong::domain
