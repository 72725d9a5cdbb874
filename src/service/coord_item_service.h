// Notices, special meetings, participation requests and violation notices (SPEC §5 R-COL-5..8,
// R-SYS-5; policy 二(二)2 and 二(三)1): the four smaller collaboration workflows.
//
//  - notice (通报, R-COL-5): a township notifies a county department of a major safety hazard or
//    a field of frequent violations; the department records analysis, advice and measures within
//    a period per notice kind (duty notice.measures, default 5 working days).
//  - meeting (专题会议, R-COL-6): convened about a major case lead; invitees confirm or decline;
//    minutes (numbered 纪要) with decisions, each a duty meeting.decision for its owner org; a
//    decision may start a joint enforcement action record (R-SYS-5).
//  - participation (参与告知, R-COL-7): a department asks a township to take part; a numbered
//    written notice, or a phone call first with duty participation.written_notice (1 working day)
//    met when the written notice is issued (事后补办).
//  - violation_notice (违法行为通知, R-COL-8): a township notifies a department at once (numbered
//    notice); duty violation.dispatch (hours); a refusal or a missed duty may go to the
//    coordinator, whose decision binds.
//
// States: one transition table per workflow (domain/coord_items.h), run by the workflow engine
// (service/workflow/step.h): creation is the table's creating row (workflow::Start), every other
// step one small handler per action (workflow::Run). Each runs in one Write transaction with the
// duties its row declares (met, waived, opened), its numbered document (R-DOC-1: 报 a notice,
// 馈 the department's measures, 会 a meeting's invitation, 纪 its minutes, 联 a joint action, 参
// the written participation notice, 通 a violation notice, 调 the coordinator's decision; the
// item's `number` stays that of its primary document: 纪, 参 or 通, none for notices), its
// notifications and audit entry ("<type>.<action>", R-AUD-1); a refused step changes nothing. Bodies are JSON objects validated
// here: unknown fields → 400 unknown_field; every error names the field and the rule.
//
// Visibility (R-ACC-1): the orgs involved (CoordItem::org_ids), coordinator staff, auditors and
// admins; anyone else gets not_found. Thread-safe: holds only references.
//
//   CoordItemService items(store, clock, duties, calendars, CoordOptions{});
//   XT_ASSIGN_OR_RETURN(json::object n, items.Create(township_officer, CoordType::kNotice, body));
//   XT_ASSIGN_OR_RETURN(n, items.Act(dept_officer, CoordType::kNotice, id, "measures", body));
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/coord_items.h"
#include "domain/doc_number.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

// Configurable periods (serve options).
struct CoordOptions {
  // R-COL-5: working days for the department's analysis and measures, per notice kind.
  int notice_hazard_days = 5;             // --notice-hazard-days
  int notice_frequent_violation_days = 5;  // --notice-frequent-days
  // R-COL-8: hours within which the notified department dispatches officers.
  int violation_dispatch_hours = 2;  // --violation-dispatch-hours
  // R-COL-6: default working days for a meeting decision without its own due.
  int meeting_decision_days = 10;
};

// A list query (GET /api/v1/<resource>); strings validated by the service.
struct CoordQuery {
  std::string direction;  // "" / all | in | out
  std::string state;      // "" or a state name of the type
  std::string kind;       // "" or a sub-kind of the type
  std::optional<domain::Id> org;  // involving this org
  std::string colour;     // "" or green | yellow | red (earliest-due open duty)
  std::string q;          // 1..100 characters
  int page = 1;
  int page_size = 20;  // 1..200
};

// One row of the combined 协作 list.
struct CoordSummary {
  domain::CoordType type;
  domain::Id id = 0;
  std::optional<std::string> number;
  std::string title;
  domain::Id from_org_id = 0;
  std::optional<domain::Id> to_org_id;
  int state = 0;
  domain::Colour colour = domain::Colour::kNone;
  std::optional<core::Instant> due_at;  // of the earliest-due open duty
  core::Instant created_at{};
  std::vector<domain::Id> org_ids;  // every org involved (R-ACC-1; direction "in" of collab-items)
};

class CoordItemService {
 public:
  // REQUIRES: every argument outlives the service.
  CoordItemService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                   CalendarService& calendars, CoordOptions options = {});

  // Creates an item of type `t` from the body of docs/collaboration-contract.md. Errors:
  // permission_denied (who may start it: rule of the type); invalid_argument naming the field
  // (missing_field, unknown_field, too long, wrong org kind …).
  core::Result<boost::json::object> Create(const Principal& p, domain::CoordType t,
                                           const boost::json::object& body);
  // One step of the type's table ("measures", "reply", "minutes", "decision-done",
  // "joint-action", "written-notice", "confirm", "complete", "cancel", "close", "withdraw",
  // "dispatch", "handle", "refuse", "coordination", "coordination/decision", "message").
  // `decision_no` is the meeting decision for decision-done / joint-action. Errors: not_found;
  // permission_denied; 409 illegal_transition (and the guards' ids); 400 naming the field.
  core::Result<boost::json::object> Act(const Principal& p, domain::CoordType t, domain::Id id,
                                        std::string_view action, const boost::json::object& body,
                                        std::optional<int> decision_no = std::nullopt);
  // The detail (documents, messages, timeline). not_found when missing or not visible.
  core::Result<boost::json::object> Get(const Principal& p, domain::CoordType t, domain::Id id);
  // {"items":[…],"total":N}.
  core::Result<boost::json::object> List(const Principal& p, domain::CoordType t,
                                         const CoordQuery& q);
  // Every visible item of `t` (or all types) for the combined list, newest first, at most 5000;
  // `text` (optional) narrows to items whose title, number or own text contain it, as `q` of List.
  core::Result<std::vector<CoordSummary>> Summaries(const Principal& p,
                                                    std::optional<domain::CoordType> t,
                                                    std::string_view text = {});

  // An issued document of an item the principal can see (else not_found "document"); also
  // not_found when the document belongs to no item.
  core::Result<domain::Document> GetDocument(const Principal& p, domain::Id id);
  // For FileService's extra-access hook: is `sha256` attached to an item `p` can see?
  static bool CanReadFileInTx(storage::Tx& tx, const Principal& p, const std::string& sha256);
  static bool CanSee(const Principal& p, const domain::CoordItem& item);

  const CoordOptions& options() const { return options_; }

 private:
  struct Entity;    // the item with its own fields parsed
  struct Workflow;  // the workflow engine's Definition (service/workflow/step.h)
  struct Steps;     // one small handler per (type, action)
  using Ctx = workflow::Step<Workflow>;
  core::Result<boost::json::object> Render(storage::Tx& tx, const domain::CoordItem& item,
                                           bool detail, core::Instant now);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
  CoordOptions options_;
};

}  // namespace xietong::service
