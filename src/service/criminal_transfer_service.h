// Criminal transfers (行刑衔接, SPEC §10 R-CRI-1, R-CRI-1a, R-CRI-2, R-CRI-5; State Council Decree
// 310): the transfer of a case suspected of a crime from a township or county department to the
// police, copied to the procuratorate, on the workflow engine (domain/criminal_transfer.h holds
// the table; service/workflow/step.h runs it). docs/criminal-transfers-contract.md.
//
//  - report (create): an officer of the agency, on a referral the org can see or on its own case
//    (number and title as text): facts, suspected offence, amount or circumstances, a penalty
//    already imposed (passed on with the transfer), materials (uploaded files), the police and
//    the procuratorate addressed. Opens crime.transfer_decision (3 calendar days) for the agency.
//  - approve / not-approve (the agency's head): 批 审批表; approve opens crime.transfer_police
//    (24 hours). A decision after the period meets the duty late: on the record (on_time false).
//  - transfer (agency staff): 刑 移送书 to the police and 抄 通知书 to the procuratorate in one
//    step (the engine's `copy_document`); the police and the procuratorate now see the item
//    (org_ids, R-CRI-5); opens crime.police_receipt for the police.
//  - receipt, open-case, refuse-case, uphold-refusal, return (the police's users only): 回, 立, 退;
//    duties crime.case_decision and crime.reconsideration_answer (3 calendar days each) are the
//    police's and only their acts meet them. return (R-CRI-2) opens
//    crime.administrative_handling for the agency.
//  - reconsider (the agency's head, within 3 days of the refusal): 议.
//  - handle (agency staff): the administrative handling (a penalty) — refused with 409 naming
//    R-CRI-1 while the transfer is unresolved (不得以罚代刑).
//  - supervise (the procuratorate's users): a supervision opinion, once transferred.
//
// Each step is one Write transaction with its audit entry ("criminal_transfer.<action>"),
// notifications and declared duties; a refused step changes nothing. Visibility (R-ACC-1,
// R-CRI-5): the orgs in org_ids (the agency; after the transfer the police and the
// procuratorate), coordinator staff, auditors and admins; anyone else gets not_found.
// Thread-safe: holds only references.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/criminal_transfer.h"
#include "service/calendar_service.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

// The officer's report (create). Lengths are the HTTP reader's; the rest is checked here.
struct CrimeReportInput {
  std::optional<domain::Id> referral_id;  // a referral the principal's org can see
  std::string case_number;                // 0..50 (the org's own case number)
  std::string title;                      // 0..100; required without a referral
  std::string facts;                      // 1..5000
  std::string offence;                    // 1..200 涉嫌罪名
  std::string amount;                     // 0..500 涉案金额或情节
  std::string penalty;                    // 0..1000 已作出的行政处罚 (passed on)
  std::vector<CoordMaterialInput> materials;  // 0..50
  domain::Id police_org = 0;                  // an org of kind police
  domain::Id procuratorate_org = 0;           // an org of kind procuratorate
};

// Any step's body: `text` is the action's main text (approve: opinion, not-approve / refuse-case /
// reconsider / uphold-refusal / return: reason, transfer / receipt / open-case: note, handle:
// result, supervise: opinion); `case_number` for open-case; `penalty` for handle.
struct CrimeStepInput {
  std::string text;
  std::string case_number;
  std::string penalty;
};

// A list query (GET /api/v1/criminal-transfers).
struct CrimeQuery {
  std::string state;              // "" or a state name
  std::optional<domain::Id> org;  // involving this org
  std::string colour;             // "" or green | yellow | red
  std::string q;                  // 0..100
  bool late = false;  // only transfers with a duty met late or overdue (the assessment's query)
  int page = 1;
  int page_size = 20;  // 1..200
};

class CriminalTransferService {
 public:
  // REQUIRES: every argument outlives the service. `items` renders the views.
  CriminalTransferService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                          CalendarService& calendars, CoordItemService& items);

  // The report. Errors: permission_denied R-CRI-1a (not staff of a township or county
  // department); invalid_argument naming the field (referral_id, title, police_org,
  // procuratorate_org, materials[i].file); the body's own error after the permission check.
  core::Result<CoordItemView> Create(const Principal& p, const core::Result<CrimeReportInput>& in);
  // One step (see above). Errors: not_found (also for one not visible); permission_denied;
  // 409 illegal_transition (handle while unresolved: rule R-CRI-1), challenge_period_over,
  // challenge_period_open; the body's error once the step is allowed.
  core::Result<CoordItemView> Act(const Principal& p, domain::Id id, std::string_view action,
                                  const core::Result<CrimeStepInput>& in);
  core::Result<CoordItemView> Get(const Principal& p, domain::Id id);
  core::Result<CoordItemList> List(const Principal& p, const CrimeQuery& q);

  // R-CRI-1: the open (unresolved) transfers of a referral, for the referral's handle and close.
  static core::Result<std::vector<domain::CoordItem>> OpenTransfersOf(storage::Tx& tx,
                                                                     domain::Id referral_id);
  // True when a duty the agency owes on the item was met late or is overdue (R-CRI-1a: recorded
  // against the agency).
  static bool AgencyLate(const CoordItemView& v);

 private:
  struct Entity;
  struct Workflow;
  struct Steps;
  using Ctx = workflow::Step<Workflow>;

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
  CoordItemService& items_;
};

}  // namespace xietong::service
