// Jurisdiction disputes (职责分工争议, SPEC §9 R-DIS-1..3; docs/disputes-contract.md): items of
// CoordType::kDispute in coord_items, run by the workflow engine over the table of
// domain/dispute.h.
//
//  - Open (township or county department staff; the opener is a party): the matter, the
//    township, the facts, two or more parties (townships / county departments) with each one's
//    position, optionally the referral that was declined or returned (visible to the opener).
//    R-DIS-1: every party owes at once dispute.joint_handling (先协同处置, DisputeOptions
//    joint_handling_days), met by its own record of who acts and what was done
//    ("joint-handling"); the parties owe dispute.negotiation.
//  - R-DIS-2: negotiation (a party records the record and the outcome; numbered 协商记录 商) →
//    on failure the coordinator coordinates (dispute.coordination; 协调决定书 调) → on failure
//    the County Government decides (dispute.decision, entered by government staff; 决定书 决).
//    Skipping is the table's 409 illegal_transition naming R-DIS-2.
//  - R-DIS-3: a settling step may carry a boundary decision, applied to the matters catalog in
//    the step's transaction (MatterService::ApplyBoundaryDecisionInTx), citing its document.
//
// Visibility (R-ACC-1, CoordItemService::CanSee): org_ids = the parties and the County
// Government (it may have to decide; it sees the dispute from the start), plus whoever SeesAll.
// Every step runs in one Write transaction (workflow::Run); a refused step changes nothing.
// Thread-safe: holds only references.
//
//   DisputeService disputes(store, clock, duties, calendars, DisputeOptions{});
//   XT_ASSIGN_OR_RETURN(CoordItemView d, disputes.Open(township_officer, in));
//   XT_ASSIGN_OR_RETURN(d, disputes.Act(officer, d.item.id, "negotiation.failed",
//                                       DisputeActionInput{DisputeStepInput{"…", {}}}));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/coord_items.h"
#include "domain/dispute.h"
#include "service/calendar_service.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

// Configurable periods (serve options), in working days.
struct DisputeOptions {
  int joint_handling_days = 1;  // --dispute-joint-days (R-DIS-1)
  int negotiation_days = 10;    // --dispute-negotiation-days (R-DIS-2)
  int coordination_days = 10;   // --dispute-coordination-days
  int decision_days = 10;       // --dispute-decision-days
};

struct DisputePartyInput {
  domain::Id org = 0;
  std::string position;  // 1..2000
};
// POST /api/v1/disputes (shape-checked by the handler; domain-checked here).
struct DisputeOpenInput {
  std::string title;        // 0..100; "" = derived from the matter
  std::string matter;       // the matter's code (catalog)
  domain::Id township = 0;  // a township org
  std::string facts;        // 1..5000
  std::vector<DisputePartyInput> parties;  // 2..10 distinct orgs, the opener among them
  std::optional<domain::Id> referral_id;   // a declined or returned referral the opener sees
};

// R-DIS-3: a settling decision's boundary change.
struct DisputeBoundaryInput {
  std::string matter;   // the matter's code
  std::string change;   // delegate | withdraw | owner
  std::optional<domain::Id> township;   // delegate / withdraw
  std::optional<domain::Id> owner_org;  // owner
  core::CivilDay effective{};           // not before today
};

// joint-handling (R-DIS-1): who acts and what was done.
struct DisputeJointInput {
  std::vector<std::string> people;  // 1..20 names
  std::string measures;             // 1..5000
};
// negotiation.agreed|failed, coordination.settled|failed, decision: the record or the
// decision's text, and (settling steps only) the boundary decision.
struct DisputeStepInput {
  std::string text;  // 1..5000
  std::optional<DisputeBoundaryInput> boundary;
};
using DisputeActionInput = std::variant<DisputeJointInput, DisputeStepInput>;

struct DisputeQuery {
  std::string state;  // "" | open | negotiation | coordination | decision | settled
  std::string step;   // "" | negotiation | coordination | decision (where it is or settled)
  std::optional<domain::Id> org;  // involving this org
  std::string colour;             // "" | green | yellow | red
  std::string q;                  // 0..100 characters
  int page = 1;
  int page_size = 20;  // 1..200
};

class DisputeService {
 public:
  // REQUIRES: every argument outlives the service.
  DisputeService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                 CalendarService& calendars, DisputeOptions options = {});

  // Opens a dispute (R-DIS-1). `in` may hold the handler's error reading the body, reported
  // after the permission check. Errors: 403 (not township/department staff); 400 naming the
  // field (matter, township, parties[i].org, referral_id …). Returns the detail.
  core::Result<CoordItemView> Open(const Principal& p, const core::Result<DisputeOpenInput>& in);
  // One step: "joint-handling", "negotiation.agreed" | ".failed", "coordination.settled" |
  // ".failed", "decision". Errors: 404 (missing or not visible); 403 (who); 409
  // illegal_transition R-DIS-2 (a skipped step), 409 joint_handling_recorded; 400 naming the
  // field (boundary.* with rule R-DIS-3).
  core::Result<CoordItemView> Act(const Principal& p, domain::Id id, std::string_view action,
                                  const core::Result<DisputeActionInput>& in);
  core::Result<CoordItemView> Get(const Principal& p, domain::Id id);
  core::Result<CoordItemList> List(const Principal& p, const DisputeQuery& q);
  // Every row of the query (no paging) as CSV with a UTF-8 BOM.
  core::Result<std::string> ExportCsv(const Principal& p, DisputeQuery q);

  const DisputeOptions& options() const { return options_; }

 private:
  struct Entity;
  struct Workflow;
  struct Steps;
  using Ctx = workflow::Step<Workflow>;
  core::Result<CoordItemList> Rows(const Principal& p, const DisputeQuery& q, bool all);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
  DisputeOptions options_;
};

}  // namespace xietong::service
