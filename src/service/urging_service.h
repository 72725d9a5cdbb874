// 督办/催办 (R-PLN-2, issue 17): coordinator staff urge the owner org of an overdue or yellow item
// — a referral, a collaboration request, any coordination item (notices … police support) or a
// single duty. Stored as a coordination item (type kUrging, table domain/urging.h) run by the
// workflow engine (service/workflow/step.h): one Definition, one handler per action.
//
//  - create: the target must exist (else not_found "target_id") and have an open duty that is
//    yellow or red at now (else 409 not_late, rule R-PLN-2, nothing written). The urged org is
//    the owner of that duty (for a duty target: its owner; otherwise the open duty due first).
//    The step issues the numbered 督办通知 (督) by the coordinator org to the owner, opens the
//    duty urging.answer on the owner (UrgingOptions::answer_days working days), notifies the
//    owner's leaders and liaisons, and records "<type>.urged" on the urged object's timeline
//    (for a duty target: on the duty's object) with the notice's number.
//  - answer: staff of the urged org say what was done (1..2000 characters); meets urging.answer
//    and notifies the coordinator's staff.
//
// Visibility (R-ACC-1): the coordinator org and the urged org (org_ids), and whoever SeesAll.
// A refused urging changes nothing. Thread-safe: holds only references.
//
//   UrgingService u(store, clock, duties, coord_items, UrgingOptions{});
//   XT_ASSIGN_OR_RETURN(CoordItemView v, u.Create(coordinator, UrgeInput{"referral", 7, "请抓紧受理"}));
//   XT_ASSIGN_OR_RETURN(v, u.Answer(leader, v.item.id, UrgingAnswerInput{"已受理"}));
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

struct UrgingOptions {
  int answer_days = 2;  // working days for urging.answer (--urging-answer-days)
};

// What to urge: target_type is "referral", "collaboration", "duty" or a coordination item type
// name ("violation_notice", "dispute", "police_support" …); text 0..2000 (the coordinator's
// request; a default sentence when empty).
struct UrgeInput {
  std::string target_type;
  domain::Id target_id = 0;
  std::string text;
};
struct UrgingAnswerInput {
  std::string text;  // 1..2000: what was done
};

class UrgingService {
 public:
  // REQUIRES: every argument outlives the service.
  UrgingService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                CoordItemService& items, UrgingOptions options = {});

  // Errors: permission_denied R-PLN-2 (coordinator staff only); invalid_argument "target_type";
  // not_found "target_id"; failed_precondition not_late (R-PLN-2). `in` may hold the body's
  // error, reported after the permission check.
  core::Result<CoordItemView> Create(const Principal& p, const core::Result<UrgeInput>& in);
  core::Result<CoordItemView> Answer(const Principal& p, domain::Id id,
                                     const core::Result<UrgingAnswerInput>& in);
  core::Result<CoordItemView> Get(const Principal& p, domain::Id id);
  // q.state (open|answered), q.org (the urged org), q.colour, q.q, q.direction (in: urgings
  // addressed to my org), paging as CoordItemService::List.
  core::Result<CoordItemList> List(const Principal& p, const CoordQuery& q);
  // Every urging List would show for `q` (paging ignored, at most kMaxExportRows), as CSV with BOM:
  // 文号,督办事项,被督办单位,办理期限,督办要求,状态,督办时间,答复时间,答复内容,期限状态.
  core::Result<std::string> ExportCsv(const Principal& p, CoordQuery q);

  const UrgingOptions& options() const { return options_; }

 private:
  struct Workflow;
  using Ctx = workflow::Step<Workflow>;

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CoordItemService& items_;
  UrgingOptions options_;
};

}  // namespace xietong::service
