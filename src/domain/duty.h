// Duties: what an org must do by a deadline because of a rule (R-TIME-4), and their colours.
//
// A duty's deadline is computed once from its trigger instant and period with the working-day
// calendar and stored with the calendar version it used; colour is derived at query time from
// the clock. Pure value types and functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

enum class DutyState : int { kOpen = 1, kMet = 2, kWaived = 3, kSuspended = 4 };
enum class Colour : int { kNone = 0, kGreen = 1, kYellow = 2, kRed = 3 };
enum class PeriodUnit : int { kWorkingDays = 1, kHours = 2, kCalendarDays = 3 };

std::string_view DutyStateName(DutyState s);
std::optional<DutyState> ParseDutyState(std::string_view s);
std::string_view ColourName(Colour c);
std::optional<Colour> ParseColour(std::string_view s);
// The `colour` filter of a list query: green, yellow or red (R-TIME-4); else 400 naming field
// "colour" with error id `id` (the referral/duty contracts say invalid_argument, the
// collaboration contract invalid_value).
core::Result<Colour> ParseColourFilter(std::string_view s, std::string id = "invalid_argument");
std::string_view PeriodUnitName(PeriodUnit u);
std::optional<PeriodUnit> ParsePeriodUnit(std::string_view s);

// How a duty of a kind may END (be met or waived). Policy principle: "A duty belongs to its
// workflow: only the act it stands for ends it. Never add a generic way to mark a statutory duty
// met or to stretch its period." Derived from the kind, never stored.
enum class DutyEnding : int {
  // Only its workflow's act ends it: the services of referrals, collaborations and coordination
  // items call DutyService::MeetInTx / WaiveInTx. The generic routes (meet, waive) refuse it with
  // 409 duty_ended_by_workflow — otherwise any member of the owner org could mark the receiver's
  // R-REF-6 notice met, back-dated, without the act, and block the escalation that needs it red.
  kByWorkflow = 1,
  // No workflow of this platform ends it (duties created through POST /api/v1/duties): the
  // generic meet (owner org members or the coordinator, with the instant it was done) and waive
  // (the coordinator or an administrator, with a reason).
  kManual = 2,
};

// Whether, and by whom, a duty's deadline may be moved through the generic extend route.
// Suspending a duty stops its clock and, on resume, moves its deadline by the time suspended — an
// extension by another name — so suspension follows the same policy (see DutyService::Suspend).
enum class DutyExtension : int {
  // A statutory period (R-REF-4, R-REF-5, R-REF-6, "at once" of R-COL-3/R-COL-8, Decree 310 of
  // R-CRI-1a): nobody extends or suspends it, not even the coordinator.
  kNever = 1,
  // Only under its rule's condition, through its workflow's own extend step (R-COL-4: a technical
  // appraisal or a complex case, POST /api/v1/collaborations/{id}/extend by the receiver's
  // leader). The generic route refuses the owner (409 duty_extended_by_workflow, pointing to that
  // step), so it is no second way around the condition; the coordinator may still extend it
  // there, with a reason (R-PLN-2: the coordinator supervises and commands).
  kWorkflowStep = 2,
  // The period is the platform's, not the policy's: a leader of the owner org, or the
  // coordinator, may extend it with a reason.
  kOwnerLeader = 3,
  // Set by someone else than the owner (a meeting's decision, a formality to be completed at
  // once): only the coordinator may extend it, with a reason.
  kCoordinator = 4,
};
std::string_view DutyEndingName(DutyEnding e);        // "by_workflow" | "manual"
std::string_view DutyExtensionName(DutyExtension e);  // "never" | "workflow_step" | …

// A kind of duty the policy imposes, with its rule, default period, and how it may end and be
// extended.
struct DutyKind {
  std::string_view id;        // "referral.accept_notice"
  std::string_view rule;      // "R-REF-6"
  std::string_view label_zh;  // 受理情况告知
  std::string_view label_en;
  PeriodUnit unit;
  int64_t period;  // in `unit`
  DutyEnding ending;
  DutyExtension extension;
  // kByWorkflow: the act that ends it, named for people ("…时履行（POST /api/v1/…）").
  std::string_view end_act_zh;
  std::string_view end_act_en;
  // kWorkflowStep: the workflow's extend step and its condition.
  std::string_view extend_act_zh;
  std::string_view extend_act_en;
};
// All kinds known to this build, and lookup by id (nullptr when unknown).
const std::vector<DutyKind>& DutyKinds();
const DutyKind* FindDutyKind(std::string_view id);

struct Duty {
  Id id = 0;
  std::string kind;  // DutyKind::id
  std::string rule;  // R-…
  Id owner_org_id = 0;
  std::string object_type;  // what it belongs to: "referral", "collaboration", "external" …
  std::string object_id;
  std::string title;
  core::Instant trigger_at{};
  PeriodUnit unit = PeriodUnit::kWorkingDays;
  int64_t period = 0;
  core::Instant due_at{};
  core::Instant yellow_at{};  // from then on the duty is yellow (due within one working day)
  std::string calendar_version;
  bool provisional = false;  // R-TIME-3
  DutyState state = DutyState::kOpen;
  std::optional<core::Instant> met_at;
  std::optional<bool> on_time;
  std::optional<int> late_working_days;
  std::string state_reason;  // waiver/suspension reason
  int notified_level = 0;    // 0 none, 1 yellow sent, 2 red sent (sweeper bookkeeping)
  core::Instant created_at{};
  std::optional<Id> created_by;
};

// One entry of a duty's history (extensions, suspensions, recomputations …).
struct DutyEvent {
  Id id = 0;
  Id duty_id = 0;
  core::Instant at{};
  std::optional<Id> actor_user_id;
  std::string kind;  // created, extended, suspended, resumed, met, waived, recomputed, yellow, red
  std::string reason;
  std::optional<core::Instant> old_due;
  std::optional<core::Instant> new_due;
};

// The deadline of a period starting at `trigger`, per R-TIME-1/2/5.
calendar::Deadline ComputeDue(const calendar::Calendar& cal, core::Instant trigger, PeriodUnit unit,
                              int64_t period);
// When a duty due at `due` (computed as above) turns yellow:
//  - working or calendar days: at 24:00 of the last working day before the deadline's last day,
//    i.e. once at most one working day remains;
//  - hours: when a quarter of the period remains, at most 24 hours before the deadline.
core::Instant ComputeYellowAt(const calendar::Calendar& cal, const calendar::Deadline& due,
                              PeriodUnit unit, int64_t period);

// R-TIME-4: colour of an open duty at `now`; kNone for duties that are not open.
Colour ColourAt(const Duty& d, core::Instant now);

struct Remaining {
  int working_days = 0;  // whole working days left (or late, when overdue)
  int hours = 0;         // hours left beyond those days (or late)
  bool overdue = false;
};
// Time left until the duty's due instant, in working days and hours (R-TIME-1).
Remaining RemainingAt(const calendar::Calendar& cal, const Duty& d, core::Instant now);

// Marks the duty met at `at`: on-time or late, and by how many working days (R-TIME-4).
// REQUIRES: d.state == kOpen or kSuspended.
void MarkMet(const calendar::Calendar& cal, Duty& d, core::Instant at);

// ---- The kind's policy for the generic routes (POST /api/v1/duties/{id}/meet, /waive, /extend,
// /suspend). Each returns OK or failed_precondition with a stable id and the duty's rule (d.rule)
// in `rule`. A duty whose kind this build does not know (d.kind not in DutyKinds()) is treated as
// ended by its workflow and never extendable. The workflows' own steps (MeetInTx, WaiveInTx, a
// workflow's extend step) do not ask these.

// Meeting (`waive` false) or waiving (`waive` true) through the generic route:
// duty_ended_by_workflow unless the kind ends kManual; the message names the workflow's act.
core::Status CheckGenericEnd(const Duty& d, bool waive);
// Extending through the generic route, by the coordinator (`by_coordinator`) or else by a leader
// of the owner org (the caller checked that much access, R-ACC-1):
//   kNever                              -> duty_not_extendable (statutory period);
//   kWorkflowStep, not the coordinator  -> duty_extended_by_workflow (names the workflow's step);
//   kCoordinator, not the coordinator   -> duty_not_extendable (only the coordinator);
//   otherwise OK.
core::Status CheckGenericExtend(const Duty& d, bool by_coordinator);
// Suspending (stopping the clock) through the generic route: duty_not_suspendable when the kind
// is kNever (a suspension would stretch the statutory period). Resuming is always allowed: it only
// gives back the time a suspension took, and a suspended duty must not be stranded.
core::Status CheckGenericSuspend(const Duty& d);

// Clock skew tolerated when an instant "is not in the future" (as the workflows do).
inline constexpr std::chrono::minutes kMetAtSkew{5};
// R-TIME-4: a met instant lies between the duty's trigger and now (plus kMetAtSkew).
// Errors: invalid_argument naming field "met_at" (rule R-TIME-4).
core::Status CheckMetAt(const Duty& d, core::Instant at, core::Instant now);

}  // namespace xietong::domain
