// Duties with deadlines (R-TIME-4): creation, listing with colours, and their life cycle.
//
// A duty is what an org owes by a deadline because of a rule ("受理情况告知" within 5 working
// days, R-REF-6). Its due instant is computed once, at creation, from the trigger instant and
// the period with the current working-day calendar (R-TIME-1/2/5) and stored with the calendar
// version and a provisional flag (R-TIME-3); its colour is derived from the clock at query time
// (green, yellow within one working day, red when overdue).
//
// Life cycle (one transition table, see kTransitions in duty_service.cc):
//   open      --meet-->    met         (owner org members or coordinator; on time / late)
//   open      --waive-->   waived      (coordinator or admin; reason required)
//   open      --extend-->  open        (owner org leader or coordinator; reason required)
//   open      --suspend--> suspended   (coordinator; reason required)
//   suspended --resume-->  open        (coordinator; due shifted by the time suspended)
//   suspended --meet/waive--> met/waived
// Anything else is failed_precondition "illegal_transition" (R-TIME-4).
//
// The generic routes (Meet, Waive, Extend, Suspend) also obey the duty KIND's policy
// (domain::DutyKind::ending / extension, domain/duty.h): "A duty belongs to its workflow: only
// the act it stands for ends it. Never add a generic way to mark a statutory duty met or to
// stretch its period." So, after the access check and before the state check:
//   - Meet and Waive refuse a kind that ends by its workflow (referral.*, collaboration.*,
//     notice.*, meeting.*, participation.*, violation.*) with 409 duty_ended_by_workflow, the
//     message naming the workflow's act; the workflows end their duties with MeetInTx/WaiveInTx.
//     Only kinds no workflow handles (crime.*, created through POST /api/v1/duties) end here.
//   - Extend refuses a statutory period (409 duty_not_extendable, even for the coordinator); an
//     R-COL-4 answer duty when the owner's leader asks (409 duty_extended_by_workflow: use the
//     collaboration's extend step, which checks R-COL-4's condition); a coordinator-only kind
//     when the owner's leader asks (409 duty_not_extendable). The coordinator may extend every
//     other kind, always with a reason, recorded in the duty's events and the audit entry
//     ("extended_by": "coordinator" | "owner_leader").
//   - Suspend refuses a statutory period (409 duty_not_suspendable): suspend + resume moves the
//     deadline by the time suspended, an extension by another name. Resume is never refused by
//     the kind: it only gives back the time a suspension took, and refusing it would strand a
//     suspended duty.
// Each refusal names the duty's rule in `rule` and changes nothing.
//
// Visibility (R-ACC-1): a principal sees a duty when it is owed by their org, when they created
// it, or when they SeesAll() (coordinator staff, auditors, administrators). A duty they cannot
// see is reported as not found, never as forbidden, so its existence does not leak.
//
// Every change writes a DutyEvent and an audit entry in the same transaction (R-AUD-1).
// Thread-safe: the service holds only pointers; all state is in the store.
//
//   DutyService duties(store, clock, calendars);
//   XT_ASSIGN_OR_RETURN(DutyDetail d, duties.Create(p, DutyInput{.kind = "referral.accept_notice",
//       .owner_org_id = 7, .object_type = "referral", .object_id = "12", .title = "…",
//       .trigger_at = received_at}));
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/status.h"
#include "domain/duty.h"
#include "service/calendar_service.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

// What a new duty is about. The period defaults to the kind's (domain::DutyKinds()).
struct DutyInput {
  std::string kind;             // a DutyKind id: "referral.accept_notice"
  domain::Id owner_org_id = 0;  // the org that owes it
  std::string object_type;      // "referral", "collaboration", "external" … ([a-z_]{1,32})
  std::string object_id;        // 1..64 characters
  std::string title;            // 1..200 characters, shown to people
  core::Instant trigger_at{};   // the triggering event (R-TIME-5: an instant, not a date)
  std::optional<domain::PeriodUnit> unit;  // period override: both unit and period, or neither
  std::optional<int64_t> period;
  std::optional<std::string> rule;  // rule override (a known rule id); defaults to the kind's
};

// A list query. Strings are validated by the service (400 naming the field).
struct DutyQuery {
  // "org" (default): owed by the principal's org; "mine": created by the principal;
  // "all": every duty, only for principals that SeesAll() (R-ACC-1).
  std::string scope = "org";
  std::string state;   // "" or open|met|waived|suspended
  std::string colour;  // "" or green|yellow|red (implies state open), evaluated at the clock's now
  std::string kind;    // "" or a DutyKind id
  std::optional<core::Instant> due_from;  // due_at >= due_from (inclusive)
  std::optional<core::Instant> due_to;    // due_at < due_to (exclusive, as storage::DutyFilter)
  std::string q;                          // substring of the title
  int page = 1;                           // >= 1
  int page_size = 20;                     // 1..200
};

// A page of duties with the names of their owner orgs (read once per list, not per row).
struct DutyList {
  std::vector<domain::Duty> items;  // sorted by due_at ascending, then id
  int64_t total = 0;                // matching duties over all pages
  std::map<domain::Id, std::string> org_names;
  std::shared_ptr<const calendar::Calendar> calendar;  // the calendar for remaining times
  core::Instant now{};                                 // the instant colours refer to
};

// One duty with its history.
struct DutyDetail {
  domain::Duty duty;
  std::string owner_org_name;
  std::vector<domain::DutyEvent> events;  // ascending
  std::shared_ptr<const calendar::Calendar> calendar;
  core::Instant now{};
};

class DutyService {
 public:
  // REQUIRES: every argument outlives the service.
  DutyService(storage::Store& store, const core::Clock& clock, CalendarService& calendars);

  // Creates a duty through the API. Only coordinator staff and administrators (also through
  // their API tokens) may: other duties are created by the workflows themselves (CreateInTx).
  // Returns the new duty with its "created" event.
  // Errors: permission_denied (R-ACC-1); invalid_argument naming the field: "kind" (unknown
  // kind), "owner_org_id" (no such org, or an internal unit — R-REF-2), "object_type",
  // "object_id", "title", "trigger_at" (outside 2000..2099), "period.unit"/"period.value",
  // "rule" (unknown rule id); failed_precondition duty_opened_by_workflow (field "kind", the
  // kind's rule) for a kind that ends by its workflow (a workflow opens its own duties);
  // kInternal on database failures.
  core::Result<DutyDetail> Create(const Principal& p, const DutyInput& in);

  // Creates a duty inside the caller's transaction, with no access check (for workflows that
  // decided access themselves). `actor` nullptr = the system. Writes the "created" event and
  // the "duty.create" audit entry. Errors: as Create, without permission_denied.
  core::Result<domain::Duty> CreateInTx(storage::Tx& tx, const Principal* actor,
                                        const DutyInput& in, core::Instant now);

  // The duties the principal may see (R-ACC-1), filtered and paged; see DutyQuery.
  // Errors: invalid_argument naming "scope", "state", "colour", "kind", "page", "page_size";
  // permission_denied (R-ACC-1) for scope "all" without SeesAll().
  core::Result<DutyList> List(const Principal& p, const DutyQuery& q);

  // One duty with its events. Errors: not_found ("duty") when missing or not visible.
  core::Result<DutyDetail> Get(const Principal& p, domain::Id id);

  // Records that a duty of a manually ended kind was done at `at` (default: now): on time or
  // late, and by how many working days (R-TIME-4). Allowed for members of the owner org and
  // coordinator staff. `at` up to domain::kMetAtSkew after now is recorded as now.
  // Errors: not_found; permission_denied (R-ACC-1); failed_precondition duty_ended_by_workflow
  // (the duty's rule) when its kind ends by its workflow; invalid_argument "met_at" (R-TIME-4)
  // when before the trigger or in the future; illegal_transition (R-TIME-4) unless open or
  // suspended.
  core::Result<DutyDetail> Meet(const Principal& p, domain::Id id,
                                std::optional<core::Instant> at = std::nullopt);
  // Releases the org from a duty of a manually ended kind. Coordinator staff or administrators.
  // Errors: invalid_argument "reason" (1..500 characters); not_found; permission_denied;
  // duty_ended_by_workflow; illegal_transition unless open or suspended.
  core::Result<DutyDetail> Waive(const Principal& p, domain::Id id, const std::string& reason);
  // Moves the deadline to `new_due`, as the kind allows (domain::DutyExtension): leaders of the
  // owner org for kOwnerLeader kinds, coordinator staff for every kind but kNever.
  // The new due is an explicit instant: the duty is then no longer provisional and a later
  // calendar import leaves it alone. The yellow instant follows the new due.
  // Errors: invalid_argument "reason"; invalid_argument "new_due" (R-COL-4) unless in 2000..2099
  // and after both the current due and now; not_found; permission_denied; duty_not_extendable,
  // duty_extended_by_workflow (the duty's rule); illegal_transition unless open.
  core::Result<DutyDetail> Extend(const Principal& p, domain::Id id, const std::string& reason,
                                  core::Instant new_due);
  // Stops the clock (e.g. pending an appraisal). Coordinator staff only; never for a statutory
  // period (see the file comment).
  // Errors: invalid_argument "reason"; not_found; permission_denied; duty_not_suspendable (the
  // duty's rule); illegal_transition unless open.
  core::Result<DutyDetail> Suspend(const Principal& p, domain::Id id, const std::string& reason);
  // Restarts the clock: due and yellow instants move later by the time spent suspended (now
  // minus the last "suspended" event), so the owner keeps the time it had left. Coordinator
  // staff only. Errors: not_found; permission_denied; illegal_transition unless suspended.
  core::Result<DutyDetail> Resume(const Principal& p, domain::Id id);

  // ---- For workflows (referrals …), inside THEIR write transaction; no access check (the
  // caller decided who may act). `actor` nullptr = the system. Each writes the duty event and
  // the audit entry ("duty.meet" / "duty.waive") like Meet/Waive, and returns the updated duty.
  // Marks `d` met at `at` (on time or late, R-TIME-4). Errors: illegal_transition (R-TIME-4)
  // unless open or suspended; invalid_argument "at" when before the trigger; unavailable when
  // no calendar is loaded.
  core::Result<domain::Duty> MeetInTx(storage::Tx& tx, const Principal* actor, domain::Duty d,
                                      core::Instant at, core::Instant now);
  // Releases the owner from `d` with `reason` (1..500 characters). Errors: illegal_transition
  // unless open or suspended; invalid_argument "reason".
  core::Result<domain::Duty> WaiveInTx(storage::Tx& tx, const Principal* actor, domain::Duty d,
                                       const std::string& reason, core::Instant now);

  // True when `p` may see `d` (R-ACC-1).
  static bool CanSee(const Principal& p, const domain::Duty& d);

 private:
  enum class Action : int;
  // Runs one life-cycle step in a write transaction: loads the duty (404 if not visible),
  // checks `allowed`, the transition table, then applies `change` and writes the event and
  // audit entry.
  core::Result<DutyDetail> Transition(
      const Principal& p, domain::Id id, Action action,
      const std::function<core::Status(domain::Duty&, domain::DutyEvent&, const calendar::Calendar&,
                                       core::Instant now, storage::Tx&)>& change);
  core::Result<DutyDetail> Detail(storage::Tx& tx, domain::Duty duty,
                                  std::shared_ptr<const calendar::Calendar> cal, core::Instant now);

  storage::Store& store_;
  const core::Clock& clock_;
  CalendarService& calendars_;
};

// The duties of one object (object_type + id), ascending id, at most 500.
core::Result<std::vector<domain::Duty>> DutiesOfObject(storage::Tx& tx, std::string_view object_type,
                                                       domain::Id id);
// The duties of several objects of one type in one statement, by object id, each ascending id,
// at most 500 per object (as DutiesOfObject); objects without duties are absent.
core::Result<std::map<domain::Id, std::vector<domain::Duty>>> DutiesOfObjects(
    storage::Tx& tx, std::string_view object_type, const std::vector<domain::Id>& ids);
// The open duty due first (ties: lowest id), or nullptr.
const domain::Duty* EarliestOpenDuty(const std::vector<domain::Duty>& duties);
// Its colour at `now` (R-TIME-4), kNone without an open duty.
domain::Colour EarliestOpenColour(const std::vector<domain::Duty>& duties, core::Instant now);

}  // namespace xietong::service
