// Case referrals (案件移送抄告, SPEC §4 R-REF-1..8, policy 二(二)4): the whole workflow.
//
// A township or county department that finds a violation under the other's jurisdiction refers
// it (R-REF-1) in its own name (R-REF-2), complete (R-REF-3), approved by its leader, in writing:
// approval numbers the referral letter (新城执移〔2026〕3号, R-DOC-1) and sends it. The receiver
// tells the sender within 5 working days whether it accepts (R-REF-6, a numbered 受理情况告知书),
// handles it and reports the result back (R-REF-8); a refusal, or silence past the deadline, may
// go to the coordinator (R-REF-7), whose decision binds.
//
// States and who may move them: ONE table, domain/referral.h (ReferralTransitions). Each step
// runs in one Write transaction together with its duties (DutyService in-tx helpers), its
// documents, notifications and audit entry ("referral.<action>", R-AUD-1); a refused step
// changes nothing.
//
// Duties (R-TIME-4): on create, referral.send owned by the sender (R-REF-4: the matter's
// statutory working days if it has them, else 3 working days from discovered_at; urgent → 24
// hours, kind referral.send_urgent) and, for an ongoing violation, referral.ongoing_notice
// (R-REF-5, 24 hours). Approve meets them and opens referral.accept_notice (R-REF-6, 5 working
// days from sent_at) for the receiver; accept/decline/return-by-receiver meet it; withdraw
// waives every open duty; a coordinator's reassignment waives it and opens a fresh one for the
// new receiver.
//
// Visibility (R-ACC-1, R-REF-8): the sending org always; once sent at least once, the receiving
// org and the county department owning the matter; coordinator staff, auditors and
// administrators always. Anyone else gets not_found — never forbidden — so existence does not
// leak.
//
// Thread-safe: the service holds only references; all state is in the store.
//
//   ReferralService referrals(store, clock, duties, calendars);
//   XT_ASSIGN_OR_RETURN(ReferralView v, referrals.Create(officer, in));
//   XT_ASSIGN_OR_RETURN(v, referrals.Submit(officer, v.referral.id));
//   XT_ASSIGN_OR_RETURN(v, referrals.Approve(leader, v.referral.id));  // numbered, sent
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/status.h"
#include "domain/doc_number.h"
#include "domain/duty.h"
#include "domain/matter.h"
#include "domain/referral.h"
#include "service/calendar_service.h"
#include "service/audit_log.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

struct EvidenceInput {
  std::string name;                    // 1..100 characters
  std::string description;             // 0..500
  std::optional<std::string> file_id;  // an uploaded file (sha256 hex) the sender's org can read
};

// Create (to_org_id, matter, township_id and discovered_at required) or PATCH (every field
// optional; a given field replaces the stored value; evidence replaces the whole list).
struct ReferralInput {
  std::optional<domain::Id> to_org_id;
  std::optional<std::string> matter_code;  // the matter by code, or
  std::optional<domain::Id> matter_id;     // by id (not both)
  std::optional<domain::Id> township_id;
  std::optional<std::string> place;
  std::optional<core::Instant> discovered_at;
  std::optional<std::string> facts;
  std::optional<domain::Party> party;
  std::optional<std::string> legal_basis;
  std::optional<std::vector<EvidenceInput>> evidence;
  std::optional<bool> urgent;
  std::optional<bool> ongoing;
  std::optional<domain::Dissuasion> dissuasion;
  std::optional<domain::Checklist> checklist;
  std::optional<std::string> unit_legal_basis;              // R-REF-2
  std::optional<std::string> jurisdiction_override_reason;  // R-JUR-1
};

// A list query (GET /api/v1/referrals). Strings are validated by the service (400 naming the
// field).
struct ReferralQuery {
  std::string direction;  // "" / "all": every referral I see; "in": sent to my org; "out": mine
  std::string state;      // "" or a state name
  std::optional<domain::Id> org;       // sent by or addressed to this org
  std::string matter;                  // matter code
  std::optional<domain::Id> township;  // where it happened
  std::string colour;                  // "" or green|yellow|red (earliest-due open duty)
  std::optional<core::CivilDay> from;  // created on or after (Shanghai day)
  std::optional<core::CivilDay> to;    // created on or before
  std::string q;                       // facts/place/party/number, 1..100 characters
  int page = 1;
  int page_size = 20;  // 1..200
};

// TimelineEntry (one line of the 流程记录) comes from service/audit_log.h.

// A referral with what it refers to, for rendering (http/views/referral.h).
struct ReferralView {
  domain::Referral referral;
  domain::Org from_org, to_org, township;
  std::optional<domain::Org> unit;
  domain::Matter matter;
  std::string created_by_name;
  std::string decided_by_name;  // coordination
  std::vector<domain::Duty> duties;  // ascending id
  std::map<domain::Id, std::string> duty_org_names;
  domain::Colour colour = domain::Colour::kNone;  // of the open duty with the earliest due
  bool detail = false;                            // documents and timeline loaded
  std::vector<domain::Document> documents;        // ascending id
  std::vector<TimelineEntry> timeline;            // ascending time
  std::shared_ptr<const calendar::Calendar> calendar;
  core::Instant now{};
};

struct ReferralList {
  std::vector<ReferralView> items;  // newest first
  int64_t total = 0;
};

// A coordinator's binding decision (R-REF-7).
struct CoordinationDecisionInput {
  std::string decision;  // receiver_accepts | sender_keeps | reassign
  std::optional<domain::Id> to_org_id;  // required for reassign
  std::string reason;    // 1..500
};

class ReferralService {
 public:
  // REQUIRES: every argument outlives the service.
  ReferralService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                  CalendarService& calendars);

  // Creates a draft. Officers of a township or county department (R-REF-1; 403 otherwise).
  // Errors (400 naming the field): "to_org" (missing, unknown, not a township/department, the
  // sender itself — R-REF-1 — or not competent — R-JUR-1 — without
  // jurisdiction_override_reason), "matter", "township", "discovered_at" (R-TIME-5: not in the
  // future), "unit" (R-REF-2), "evidence[i].file" (unknown or not readable by the org), shape
  // limits. Opens the R-REF-4 (and R-REF-5) duties; an override notifies coordinator staff.
  core::Result<ReferralView> Create(const Principal& p, const ReferralInput& in);
  // Create inside the caller's transaction (the same checks, duties, notifications and audit
  // entry), for a workflow that refers from inside its own step (a complaint, R-SYS-3). Returns
  // the stored draft.
  core::Result<domain::Referral> CreateInTx(storage::Tx& tx, const Principal& p,
                                            const ReferralInput& in, core::Instant now);
  // Edits a draft or returned referral (sender officers). Same checks as Create; a change of
  // discovered_at / urgent / matter re-opens the R-REF-4 duty with the new period.
  core::Result<ReferralView> Update(const Principal& p, domain::Id id, const ReferralInput& in);

  // The steps of the table (errors: not_found when not visible; permission_denied naming the
  // rule; 409 illegal_transition naming the current state; 400 naming the field):
  core::Result<ReferralView> Submit(const Principal& p, domain::Id id);   // R-REF-3/5, R-JUR-1
  core::Result<ReferralView> Approve(const Principal& p, domain::Id id);  // numbered, sent
  core::Result<ReferralView> Return(const Principal& p, domain::Id id, const std::string& reason);
  core::Result<ReferralView> Receive(const Principal& p, domain::Id id);
  core::Result<ReferralView> Accept(const Principal& p, domain::Id id, const std::string& note);
  core::Result<ReferralView> Decline(const Principal& p, domain::Id id, const std::string& reason);
  core::Result<ReferralView> Withdraw(const Principal& p, domain::Id id,
                                      const std::string& reason);
  core::Result<ReferralView> Handle(const Principal& p, domain::Id id, const std::string& result);
  core::Result<ReferralView> Close(const Principal& p, domain::Id id);
  // R-REF-7: from declined, or sent/received once the accept duty is red (409
  // "accept_duty_not_overdue" otherwise). Notifies coordinator staff.
  core::Result<ReferralView> RequestCoordination(const Principal& p, domain::Id id,
                                                 const std::string& reason);
  core::Result<ReferralView> DecideCoordination(const Principal& p, domain::Id id,
                                                const CoordinationDecisionInput& in);

  // Detail with duties, documents and timeline. not_found when missing or not visible.
  core::Result<ReferralView> Get(const Principal& p, domain::Id id);
  core::Result<ReferralList> List(const Principal& p, const ReferralQuery& q);
  // The same filters as List over every page, as CSV (UTF-8 with BOM).
  core::Result<std::string> ExportCsv(const Principal& p, ReferralQuery q);
  // Submitted referrals of my org awaiting a leader (leaders only; 403 otherwise, R-REF-3).
  core::Result<ReferralList> Approvals(const Principal& p, int page, int page_size);

  // An issued document, when its referral is visible (else not_found "document").
  core::Result<domain::Document> GetDocument(const Principal& p, domain::Id id);

  // For FileService's extra-access hook: may `p` read file `sha256` because it is attached to a
  // referral `p` can see?
  static core::Result<bool> CanReadFileInTx(storage::Tx& tx, const Principal& p, const std::string& sha256);
  // R-ACC-1/R-REF-8.
  static bool CanSee(const Principal& p, const domain::Referral& r);
  // The referral with past_to_org_ids filled in (what CanSee needs after an R-REF-7
  // reassignment; issue 15 finding 9), and the fill-in alone.
  static core::Result<domain::Referral> LoadVisible(storage::Tx& tx, domain::Id id);
  static core::Status WithPastReceivers(storage::Tx& tx, domain::Referral& r);

 private:
  // One page (`all` false) or every row for an export (up to kMaxExportRows, not counted).
  core::Result<ReferralList> Rows(const Principal& p, ReferralQuery q, bool all);
  struct Workflow;  // the workflow engine's Definition of referrals (service/workflow/step.h)
  using StepContext = workflow::Step<Workflow>;
  core::Result<ReferralView> Step(const Principal& p, domain::Id id, domain::ReferralAction action,
                                  const std::function<core::Status(StepContext&)>& apply);
  core::Status ApplyUpdate(StepContext& c, const ReferralInput& in);
  // The orgs, matters and user names Load read, kept for the other items of one page (a page
  // of 50 referrals names a handful of each). Lives inside one transaction.
  struct LoadMemo {
    std::map<domain::Id, domain::Org> orgs;      // found orgs
    std::set<domain::Id> missing_orgs;           // looked up, not found
    std::map<domain::Id, domain::Matter> matters;
    std::map<domain::Id, std::string> user_names;  // looked up; "" for a missing user
    // The duties of the page's referrals, read by Prefetch in one statement (when set, Load
    // takes a referral's duties from here; none = an empty list).
    std::optional<std::map<domain::Id, std::vector<domain::Duty>>> duties;
    // Reads the orgs and users of these ids not looked up yet: one statement each at most.
    core::Status Fetch(storage::Tx& tx, const std::vector<domain::Id>& org_ids,
                       const std::vector<domain::Id>& user_ids);
  };
  // The orgs and users the items of a page name (Load then reads only the rest).
  static core::Status Prefetch(storage::Tx& tx, const std::vector<domain::Referral>& rows,
                               LoadMemo& memo);
  core::Result<ReferralView> Load(storage::Tx& tx, domain::Referral r, bool detail,
                                  core::Instant now, LoadMemo* memo = nullptr);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
};

// Rendered as JSON by http/views/referral.h (ReferralJson, ReferralListJson).

}  // namespace xietong::service
