// Shared information (信息共享, SPEC §6): materials published to townships (R-INF-1) and penalty
// filings with the department owning the matter (R-INF-3), two small workflows stored as
// coordination items (types kMaterial, kPenaltyFiling) with their own transition tables
// (domain/shared_info.h) run by the workflow engine (service/workflow/step.h): one Definition
// for both, one small handler per action. Approvals (R-INF-2) are service/approval_service.h.
//
//  - material: a county department's staff publish (kind, title, issuer, effective date,
//    description, files) to all townships or chosen ones; each addressed township owes
//    material.acknowledge (MaterialOptions days, default 3 working days) and its staff meet their
//    own ("acknowledge", late acknowledgements stay late on the record); the publisher may
//    withdraw (pending acknowledgements waived). The library (List) searches the materials the
//    principal sees by text (title, description, issuer … — any 1–2 Chinese characters match as
//    substrings), kind, issuer and effective-date range.
//  - penalty_filing: a township's staff file a penalty decision (decision number, party, matter
//    code, facts, penalty, amount, decision date) with the county department owning the matter
//    today (the matters catalog); a numbered 行政处罚决定备案表 (备) is issued; the department owes
//    penalty_filing.acknowledge (default 5 working days) and acknowledges.
//
// Visibility (R-ACC-1): the orgs in org_ids (the publisher and the addressed townships; the
// filing township and the department), coordinator staff, auditors and admins; anyone else gets
// not_found. A material's receipts (who acknowledged, when, on time or late; pending; overdue)
// are the publisher's and the coordinator's: an addressed township sees only its own receipt,
// duty and timeline entries. Every step is one Write transaction with its duties, document,
// notifications and audit entry ("material.<action>", "penalty_filing.<action>"); a refused step
// changes nothing. Thread-safe: holds only references.
//
//   SharedInfoService info(store, clock, duties, coord_items, SharedInfoOptions{});
//   XT_ASSIGN_OR_RETURN(CoordItemView m, info.Publish(dept_officer, MaterialInput{…}));
//   XT_ASSIGN_OR_RETURN(m, info.Act(township_officer, CoordType::kMaterial, m.item.id,
//                                   "acknowledge", SharedInfoStepInput{AcknowledgeInput{}}));
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

struct SharedInfoOptions {
  int material_ack_days = 3;        // --material-ack-days (R-INF-1)
  int penalty_filing_ack_days = 5;  // --penalty-filing-ack-days (R-INF-3)
};

// ---- Typed inputs: shape-checked by http/api_shared_info.cc, domain-checked here ------------

// R-INF-1: a material.
struct MaterialInput {
  std::string kind;            // domain::MaterialKinds
  std::string title;           // 1..100
  std::string issuer;          // 1..200, the issuing body (发布机关)
  std::string effective_date;  // "" or YYYY-MM-DD
  std::string description;     // 0..5000
  bool all_townships = false;  // every active township; else `to_orgs`
  std::vector<domain::Id> to_orgs;  // townships (1..200 when not all_townships)
  std::vector<CoordMaterialInput> files;  // ≤ 50, uploaded by the publisher's org
};
// R-INF-3: a penalty filing.
struct PenaltyFilingInput {
  std::string decision_number;  // 1..100 (行政处罚决定书文号)
  std::string party;            // 1..200
  std::string matter_code;      // a matter of the catalog
  std::string facts;            // 1..5000
  std::string penalty;          // 1..2000 (处罚内容)
  std::optional<double> amount;  // yuan, 0..1e10 (罚没款金额)
  std::string decision_date;    // YYYY-MM-DD, not after today
};
// acknowledge: an optional note (0..500); withdraw: a reason (1..500).
struct AcknowledgeInput {
  std::string note;
};
using SharedInfoStepInput = std::variant<AcknowledgeInput, CoordReasonInput>;

// The library / list query of either type.
struct SharedInfoQuery {
  std::string direction;  // "" / all | in (addressed to my org) | out (mine)
  std::string state;      // a state of the type
  std::string kind;       // material: a material kind; penalty filing: a matter code
  std::string issuer;     // material: substring of the issuing body
  std::string from, to;   // material: effective date range (YYYY-MM-DD, inclusive); filing: decision date
  std::optional<domain::Id> org;  // involving this org
  std::string colour;     // green | yellow | red
  std::string q;          // ≤ 100 characters: title, number, description, issuer, party …
  int page = 1;
  int page_size = 20;  // 1..200
};

class SharedInfoService {
 public:
  // REQUIRES: every argument outlives the service.
  SharedInfoService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                    CoordItemService& items, SharedInfoOptions options = {});

  // R-INF-1: county department staff. Errors: permission_denied; invalid_argument naming the
  // field (unknown kind, to_orgs not townships, a file not the org's …). `in` may hold the body's
  // error, reported after the permission check.
  core::Result<CoordItemView> Publish(const Principal& p, const core::Result<MaterialInput>& in);
  // R-INF-3: township staff; the matter must exist (invalid_argument "matter_code").
  core::Result<CoordItemView> File(const Principal& p, const core::Result<PenaltyFilingInput>& in);
  // One step: "acknowledge" (either type), "withdraw" (material). Errors: not_found (also not
  // visible), permission_denied, 409 illegal_transition / already_acknowledged, 400 naming the
  // field.
  core::Result<CoordItemView> Act(const Principal& p, domain::CoordType t, domain::Id id,
                                  std::string_view action, const core::Result<SharedInfoStepInput>& in);
  core::Result<CoordItemView> Get(const Principal& p, domain::CoordType t, domain::Id id);
  core::Result<CoordItemList> List(const Principal& p, domain::CoordType t, const SharedInfoQuery& q);
  // Every row List would show (≤ kMaxExportRows) as CSV with BOM.
  core::Result<std::string> ExportCsv(const Principal& p, domain::CoordType t, SharedInfoQuery q);

  const SharedInfoOptions& options() const { return options_; }

 private:
  struct Workflow;
  struct Steps;
  using Ctx = workflow::Step<Workflow>;
  // Receipts and the township's own slice of a view (see the file comment).
  static void Shape(const Principal& p, CoordItemView& v);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CoordItemService& items_;
  SharedInfoOptions options_;
};

}  // namespace xietong::service
