// Court enforcement applications (申请强制执行, SPEC §10 R-CRI-3) and requests for police support
// (提请公安机关协助, R-CRI-4), with the judicial users acting in the platform (R-CRI-5): two small
// workflows stored as coordination items (types kCourtEnforcement, kPoliceSupport), each with its
// own transition table (domain/court_enforcement.h, domain/police_support.h) run by the workflow
// engine (service/workflow/step.h): one Definition for both, one small handler per action.
//
//  - court_enforcement: a township or county department records its own compulsory enforcement
//    (create.self: what, when, result) or applies to a court (create: numbered 强制执行申请书 执;
//    duty court_enforcement.accept, 5 calendar days, 行政强制法 第五十六条). The court accepts
//    (duty court_enforcement.ruling, 7 calendar days, 第五十七条) or declines (reject), rules
//    (ruling.granted / ruling.denied: date, ruling number, text), and the execution result is
//    recorded (execution). The applicant may withdraw before the ruling.
//  - police_support: a township or department asks a police org for support on an action
//    (numbered 提请公安机关协助函 援; duty police_support.answer: CourtPoliceOptions hours, or by
//    the action's start when that is sooner); the police answer (answer.assist: N officers;
//    answer.decline: reason); the agency records the outcome (outcome: result, obstruction);
//    violent obstruction is handed over (hand-over: facts, people, evidence files; duty
//    police_support.handover) and the police record their handling (handle: 刑事立案 /
//    治安管理处罚 / other).
//
// Visibility (R-ACC-1, R-CRI-5): the applicant and the addressed court or police org (org_ids),
// coordinator staff, auditors and admins; anyone else gets not_found. Every step is one Write
// transaction with its duties, document, notifications and audit entry ("<type>.<action>");
// a refused step changes nothing. Views are CoordItemView (rendered by CoordItemService::Render;
// JSON: http/views/court_police.h). Thread-safe: holds only references.
//
//   CourtPoliceService cp(store, clock, duties, coord_items, CourtPoliceOptions{});
//   XT_ASSIGN_OR_RETURN(CoordItemView v, cp.Create(officer, CoordType::kPoliceSupport, in));
//   XT_ASSIGN_OR_RETURN(v, cp.Act(police, CoordType::kPoliceSupport, v.item.id, "answer.assist",
//                                 CourtPoliceStepInput{PoliceAnswerInput{.officers = 4}}));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/coord_items.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

// Configurable periods (serve options).
struct CourtPoliceOptions {
  // R-CRI-4: hours within which the police answer (capped by the action's start).
  int police_answer_hours = 4;  // --police-support-answer-hours
  // R-CRI-4: hours within which the police record how they handle a hand-over.
  int police_handover_hours = 24;  // --police-handover-hours
};

// ---- Typed inputs: shape-checked by http/api_court_police.cc, domain-checked here ----------

// A court enforcement record (R-CRI-3). Linked to a referral or the org's own case number (at
// least one).
struct CourtEnforcementInput : CoordCommonInput {
  bool self = false;              // kind "self_enforcement" (else "court_application")
  std::string case_number;        // 0..100
  std::string decision_number;    // 1..100, the administrative decision
  std::string party;              // 1..200
  std::string obligations;        // 1..5000
  std::string non_compliance;     // 1..5000
  std::optional<domain::Id> to_org;  // a court (application only; refused for self)
  std::string measure;                      // self only, 1..2000 (what was enforced)
  std::optional<core::Instant> enforced_at; // self only, required, not in the future
  std::string result;                       // self only, 1..5000
  std::vector<CoordMaterialInput> materials;  // ≤ 50
};
// A request for police support (R-CRI-4).
struct PoliceSupportInput : CoordCommonInput {
  std::string case_number;  // 0..100
  domain::Id to_org = 0;    // a police org
  core::Instant action_at{};  // the action's start, in the future
  std::string place;          // 1..200
  std::string reason;         // 1..5000
  std::string risk;           // 1..2000, the expected risk
  std::vector<CoordMaterialInput> materials;
};
using CourtPoliceCreateInput = std::variant<CourtEnforcementInput, PoliceSupportInput>;

// accept: the court's own case number (0..100) and a note (0..500).
struct CourtAcceptInput {
  std::string court_case_number, note;
};
// ruling.granted / ruling.denied.
struct CourtRulingInput {
  std::string ruling_number;  // 1..100
  core::Instant ruled_at{};   // not in the future, not before the acceptance
  std::string text;           // 1..5000
};
// execution: 1..5000, at (default now; not in the future).
struct CourtExecutionInput {
  std::string result;
  std::optional<core::Instant> executed_at;
};
// answer.assist (officers 1..200, contact 0..100, note 0..500) / answer.decline (reason 1..500).
struct PoliceAnswerInput {
  int officers = 0;
  std::string contact, note, reason;
};
// outcome: result 1..5000; obstruction: violent obstruction or threats occurred (阻碍执法).
struct PoliceOutcomeInput {
  std::string result;
  bool obstruction = false;
};
// hand-over: facts 1..5000, people 1..2000, evidence ≤ 50 (files uploaded by the agency).
struct PoliceHandoverInput {
  std::string facts, people;
  std::vector<CoordMaterialInput> evidence;
};
// handle: disposition (domain::PoliceDispositions), case number 0..100, note 1..2000.
struct PoliceHandleInput {
  std::string disposition, case_number, note;
};
using CourtPoliceStepInput =
    std::variant<CoordReasonInput, CourtAcceptInput, CourtRulingInput, CourtExecutionInput,
                 PoliceAnswerInput, PoliceOutcomeInput, PoliceHandoverInput, PoliceHandleInput>;

class CourtPoliceService {
 public:
  // REQUIRES: every argument outlives the service.
  CourtPoliceService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                     CoordItemService& items, CourtPoliceOptions options = {});

  // Creates an item of `t` (kCourtEnforcement or kPoliceSupport; any other type: not_found).
  // Errors: permission_denied (township or department staff only, rule of the type);
  // invalid_argument naming the field. `in` may hold the body's error, reported after the
  // permission check. Returns the detail.
  core::Result<CoordItemView> Create(const Principal& p, domain::CoordType t,
                                     const core::Result<CourtPoliceCreateInput>& in);
  // One step of the type's table (see the file comment); errors: not_found, permission_denied,
  // 409 illegal_transition (and no_obstruction for a hand-over without one), 400 naming the field.
  core::Result<CoordItemView> Act(const Principal& p, domain::CoordType t, domain::Id id,
                                  std::string_view action,
                                  const core::Result<CourtPoliceStepInput>& in);
  core::Result<CoordItemView> Get(const Principal& p, domain::CoordType t, domain::Id id);
  // q.direction / state / kind / org / colour / q / page as CoordItemService::List.
  core::Result<CoordItemList> List(const Principal& p, domain::CoordType t, const CoordQuery& q);
  // Every item List would show over all pages (at most kMaxExportRows) as CSV (BOM, header row):
  // 文号, 标题, 类别, 状态, 发起单位, 接收单位, 创建时间, 期限状态.
  core::Result<std::string> ExportCsv(const Principal& p, domain::CoordType t, CoordQuery q);

  const CourtPoliceOptions& options() const { return options_; }

 private:
  struct Workflow;  // the engine's Definition (both types)
  struct Steps;     // one small handler per (type, action)
  using Ctx = workflow::Step<Workflow>;

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CoordItemService& items_;
  CourtPoliceOptions options_;
};

}  // namespace xietong::service
