// The matters catalog (执法事项目录) and jurisdiction answers (R-JUR-1, R-JUR-2).
//
// The owner of a matter is dated (R-DIS-3): see domain/matter.h. An owner change by import
// records an owner period from the import day (basis "目录导入"); a boundary decision records
// delegations, withdrawals and owner periods from its effective day citing the decision.
//
// Anyone signed in reads the catalog and asks who is competent; only administrators import it.
// An import is one transaction (all or nothing) with one audit entry per matter created or
// changed; delegations are never deleted: a delegation missing from a later import, or given an
// end day, keeps its period with `to` set, so past days keep their answer (R-JUR-2).
// Thread-safe.
//
// CSV (UTF-8, optional BOM, RFC 4180 quoting), header:
//   code,name,legal_basis,owner_org_code,statutory_referral_days,delegations
// delegations = "xincheng@2023-07-12;liuzu@2023-07-12..2025-12-31" (township code @ from[..to]).
//
// For other services (inside THEIR write transaction):
//   XT_ASSIGN_OR_RETURN(domain::Competence c,
//                       MatterService::JurisdictionInTx(tx, "ZJ-001", township_id, day));
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


#include "core/clock.h"
#include "core/status.h"
#include "domain/matter.h"
#include "service/csv.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

// A matter with its delegations, its owner history and the orgs they name (for rendering).
struct MatterView {
  domain::Matter matter;
  std::vector<domain::Delegation> delegations;  // by township, from
  domain::Org owner;                            // the owner today (Shanghai)
  std::vector<domain::Org> townships;           // parallel to delegations
  std::vector<domain::OwnerPeriod> owner_periods;  // by from; empty = never changed
  std::vector<domain::Org> period_owners;          // parallel to owner_periods
};

// A catalog change decided by a boundary decision (R-DIS-3), applied by the deciding workflow.
struct BoundaryDecision {
  enum class Change { kDelegate, kWithdraw, kOwner };
  std::string matter_code;
  Change change = Change::kDelegate;
  std::optional<domain::Id> township_org_id;  // kDelegate / kWithdraw
  std::optional<domain::Id> owner_org_id;     // kOwner: the new owning county department
  core::CivilDay effective{};                 // from this Shanghai day (not before `today`)
  std::string decision_number;                // the deciding document's 文号, cited
  domain::Id decision_document_id = 0;
};

struct MatterPage {
  std::vector<MatterView> items;
  int64_t total = 0;
};

struct JurisdictionAnswer {
  domain::Org competent_org;
  domain::Org township;
  MatterView matter;
  domain::Competence competence;
};

struct ImportResult {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

class MatterService {
 public:
  MatterService(storage::Store& store, const core::Clock& clock);

  // Any signed-in user. filter.limit is clamped to 1..200.
  core::Result<MatterPage> List(const Principal& p, storage::MatterFilter filter);
  // kNotFound("matter") when missing.
  core::Result<MatterView> Get(const Principal& p, domain::Id id);
  // R-JUR-1: `matter_code`, `township` (org code or numeric id; must be a township) and `on`
  // ("YYYY-MM-DD"; empty = today in Shanghai). Errors: 400 naming `matter`, `township` or `on`.
  core::Result<JurisdictionAnswer> Jurisdiction(const Principal& p, const std::string& matter_code,
                                                const std::string& township,
                                                const std::string& on);
  // Admin only (actor nullptr = system: demo loader, CLI). One transaction: any error refuses
  // the whole file (400 field "line N: column"). A matter already in the catalog is updated;
  // matters not in the file are left alone. Delegations: a listed period is added or its end
  // changed; a stored period missing from the file is ended (to = the day before today, or its
  // from day if that is later) and never deleted (R-JUR-2).
  core::Result<ImportResult> ImportCsv(const Principal* actor, std::string_view csv);
  // The same from an .xlsx (first worksheet, service/xlsx_reader.h; "line N" is the sheet row;
  // a row's missing trailing cells count as empty columns).
  core::Result<ImportResult> ImportXlsx(const Principal* actor, std::string_view xlsx);
  // OK when `actor` may import (administrators); 403 otherwise. For handlers that must check
  // access before looking at the request body.
  static core::Status CanImport(const Principal& actor);
  // Any signed-in user: the whole catalog as CSV with a UTF-8 BOM (importable again).
  core::Result<std::string> ExportCsv(const Principal& p);

  // For test routes (in production only a dispute's decision applies one): `d` in its own
  // transaction with today = the clock's Shanghai day; the township and owner are given by org
  // code (an unknown code is an org that does not exist), overriding d's ids when set.
  core::Status ApplyBoundaryDecision(BoundaryDecision d,
                                     const std::optional<std::string>& township_code,
                                     const std::optional<std::string>& owner_code);

  // ---- For other services, inside their own transaction ----
  // R-JUR-1/R-JUR-2 for `matter_code` in township `township_org_id` on `on`. Errors:
  // 400 field "matter" (unknown code), 400 field "township" (missing or not a township).
  static core::Result<domain::Competence> JurisdictionInTx(storage::Tx& tx,
                                                           const std::string& matter_code,
                                                           domain::Id township_org_id,
                                                           core::CivilDay on);
  // 400 field "matter" when no matter has that code.
  static core::Result<domain::Matter> GetMatterByCodeInTx(storage::Tx& tx, const std::string& code);
  // The view (delegations, owner history and org names) of a matter read in `tx`; `owner` is
  // the owner on `today`.
  static core::Result<MatterView> ViewInTx(storage::Tx& tx, const domain::Matter& m,
                                           core::CivilDay today);
  // R-DIS-3 inside the caller's transaction; `today` is the Shanghai day of the act.
  //   kDelegate: a delegation of the matter to the township from `effective` (open, or ending
  //     the day before the township's next delegation starts), citing the decision; 409 when a
  //     delegation of that township already covers `effective`.
  //   kWithdraw: the township's delegation in force on `effective` ends the day before; 409
  //     when none is in force then (or it only starts that day).
  //   kOwner: the new owner (a county department, not the owner on `effective`) from
  //     `effective`; 409 when an owner period already starts that day. The first change also
  //     records the former owner from domain::kCatalogBeginning.
  // Earlier days keep their answers (R-JUR-2). Errors 400 naming "boundary.matter_code",
  // "boundary.township", "boundary.owner_org", "boundary.effective" (before `today`), rule
  // R-DIS-3. Appends the catalog's own audit entry "matter.boundary" (actor: system; time: the
  // transaction's latest audit entry if made today, else the start of `today`).
  static core::Status ApplyBoundaryDecisionInTx(storage::Tx& tx, const BoundaryDecision& d,
                                                core::CivilDay today);

 private:
  core::Result<ImportResult> ImportRecords(const Principal* actor, const std::vector<CsvRecord>& records);
  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace xietong::service
