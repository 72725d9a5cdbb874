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
// notifications and audit entry ("<type>.<action>", R-AUD-1); a refused step changes nothing.
// Inputs are typed (CoordCreateInput, CoordActionInput): http/api_coord_items.cc reads the JSON
// body (shapes, lengths, unknown fields); the service checks access, state and the domain rules
// (addressees, files, orgs involved, instants against now). Results are typed (CoordItemView);
// http/views/coord_item.h renders them.
//
// A body the handler could not read reaches the service as the error of its Result: the service
// reports it where the step reads its input, after access and state are checked, so a refused
// step answers 403/404/409 whatever its body (as the API always has).
//
// Visibility (R-ACC-1): the orgs involved (CoordItem::org_ids), coordinator staff, auditors and
// admins; anyone else gets not_found. Thread-safe: holds only references.
//
//   CoordItemService items(store, clock, duties, calendars, CoordOptions{});
//   XT_ASSIGN_OR_RETURN(CoordItemView n, items.Create(township_officer, CoordType::kNotice, in));
//   XT_ASSIGN_OR_RETURN(n, items.Act(dept_officer, CoordType::kNotice, id, "measures",
//                                    CoordActionInput{NoticeMeasuresInput{…}}));
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "calendar/calendar.h"

#include "core/clock.h"
#include "core/status.h"
#include "domain/coord_items.h"
#include "domain/doc_number.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/audit_log.h"
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

// ---- Typed inputs: read and shape-checked by the handler, domain-checked here --------------

// Fields every creating body may carry.
struct CoordCommonInput {
  std::string title;                       // 0..100 characters; "" = derived from the text
  std::optional<domain::Id> referral_id;   // a referral the principal can see
};
// One material of a notice or violation notice (≤ 50).
struct CoordMaterialInput {
  std::string name;         // 1..100
  std::string description;  // 0..500
  std::string file;         // "" or the sha256 of a file uploaded by the principal's org
};
// The materials as an item stores them ([{"name","description","file":{"id","name","size",
// "content_type"}|null}]): each file uploaded by the principal's org, else invalid_argument
// "materials[i].file" naming `rule`; the files' ids are appended to `files` (shared by the item
// services of other workflows, e.g. criminal transfers).
core::Result<boost::json::array> CoordMaterialsJson(storage::Tx& tx, const Principal& p,
                                                    const std::vector<CoordMaterialInput>& in,
                                                    const std::string& rule,
                                                    std::vector<std::string>& files);
// The ids of the files an item's fields attach (its "materials"), for UpdateCoordItem.
std::vector<std::string> CoordFilesOf(const boost::json::object& fields);
// A notice (R-COL-5) or a violation notice (R-COL-8, whose `kind` is its "category").
struct CoordNoticeInput : CoordCommonInput {
  std::string kind;  // a kind of the type (domain::CoordKinds)
  domain::Id to_org = 0;
  std::string description;                // 1..5000
  std::string place;                      // 1..200
  std::optional<core::Instant> found_at;  // violation notices only (default now; not future)
  std::vector<CoordMaterialInput> materials;
};
struct CoordInviteeInput {
  domain::Id org = 0;
  std::optional<domain::Id> user;  // a person of that org
};
// A special meeting (R-COL-6), or a consultation (联席会议, R-SYS-1), which has a kind.
struct CoordMeetingInput : CoordCommonInput {
  std::string kind;     // consultations: "regular" (例会) | "ad_hoc" (临时); meetings: ""
  std::string subject;  // 1..200
  std::string agenda;   // 1..5000
  core::Instant start_at{};
  std::string place;  // 1..200
  std::vector<CoordInviteeInput> invitees;  // 1..50
};
struct CoordPhoneNoticeInput {
  std::string caller, callee;  // 1..50 each
  core::Instant called_at{};   // not in the future
};
// A participation request (R-COL-7): written at once, or by phone first.
struct CoordParticipationInput : CoordCommonInput {
  std::string kind;
  domain::Id to_org = 0;
  std::string subject;  // 1..200
  core::Instant start_at{};
  std::string place;    // 1..200
  std::string details;  // 0..5000
  std::optional<CoordPhoneNoticeInput> phone_notice;
};
// A standing joint mechanism for a field (R-SYS-4); its name is the title (required).
struct CoordMechanismInput : CoordCommonInput {
  std::string kind;                  // the field (domain::CoordKinds(kJointMechanism))
  domain::Id lead_org = 0;           // a department's staff may only name their own org
  std::vector<domain::Id> members;   // 1..50 member orgs
  std::string body_name;             // 1..100 the working body (工作机构)
  std::string body_office;           // 0..200 its office
  std::vector<std::string> priorities;  // 0..20 of 1..200 characters
  std::vector<CoordMaterialInput> plans, emergency_plans;  // 0..20 each
};
// A joint enforcement action on its own (R-SYS-5).
struct CoordJointActionInput : CoordCommonInput {
  std::vector<domain::Id> participants;  // 1..30 participating orgs
  std::string people;                    // 0..500 the people taking part
  core::Instant start_at{};
  std::string place;    // 1..200
  std::string targets;  // 1..2000 the targets of the action
};
// The creating body of each type: notices and violation notices share CoordNoticeInput,
// meetings and consultations CoordMeetingInput.
using CoordCreateInput = std::variant<CoordNoticeInput, CoordMeetingInput, CoordParticipationInput,
                                      CoordMechanismInput, CoordJointActionInput>;

// close (notices, meetings), written-notice: no fields.
struct CoordNoInput {};
// message: the thread's text (1..2000).
struct CoordMessageInput {
  std::string text;
};
// withdraw, cancel, refuse, coordination: a reason (1..500).
struct CoordReasonInput {
  std::string reason;
};
// complete (participation; optional) and handle (violation notices; required): 0..5000.
struct CoordResultInput {
  std::string result;
};
// measures (R-COL-5): each 1..5000.
struct NoticeMeasuresInput {
  std::string analysis, advice, measures;
};
// reply (R-COL-6).
struct MeetingReplyInput {
  bool confirmed = false;  // "confirmed" | "declined"
  std::string note;        // 0..500
};
// One decision of the minutes: due at `due_at` (in the future), or `period_days` working days
// (1..365), or CoordOptions::meeting_decision_days; never both.
struct MeetingDecisionInput {
  std::string text;  // 1..2000
  domain::Id owner_org = 0;  // the convener or an invited org
  std::optional<core::Instant> due_at;
  std::optional<int> period_days;
};
// minutes (R-COL-6).
struct MeetingMinutesInput {
  std::string minutes;  // 1..5000
  std::vector<MeetingDecisionInput> decisions;  // 0..50
};
// decisions/{no}/done: a note (1..500).
struct MeetingDecisionDoneInput {
  std::string note;
};
// decisions/{no}/joint-action (R-SYS-5).
struct JointActionInput {
  std::vector<domain::Id> participants;  // 1..30 org ids (positive; must exist)
  std::string people;                    // 0..500
  core::Instant at{};
  std::string place;   // 1..200
  std::string result;  // 0..5000
};
// confirm (R-COL-7).
struct ParticipationConfirmInput {
  std::vector<std::string> people;  // 1..20 names of 1..50 characters
  std::string note;                 // 0..500
};
// dispatch (R-COL-8).
struct ViolationDispatchInput {
  std::vector<std::string> officers;  // 1..20 names
  std::optional<core::Instant> at;    // default now; neither future nor before the notice
  std::string note;                   // 0..500
};
// coordination/decision (R-COL-8): the decision itself is the action
// ("coordination.department_handles" | ".township_handles" | ".reassign").
struct ViolationDecisionInput {
  std::string reason;                 // 1..500
  std::optional<domain::Id> to_org;   // required for reassign: another department or police
};
// update of a standing mechanism (R-SYS-4): the fields given replace the mechanism's.
struct MechanismUpdateInput {
  std::optional<std::vector<domain::Id>> members;
  std::optional<std::string> body_name, body_office;
  std::optional<std::vector<std::string>> priorities;
  std::optional<std::vector<CoordMaterialInput>> plans, emergency_plans;
};
// briefings of a standing mechanism (R-SYS-4): a dated record with files.
struct MechanismBriefingInput {
  core::Instant at{};  // not in the future
  std::string title;   // 1..100
  std::string text;    // 1..5000
  std::vector<CoordMaterialInput> materials;  // 0..20
};
// A joint action's result (R-SYS-5) is a CoordResultInput (required); cancel and dissolve take
// a CoordReasonInput.
using CoordActionInput =
    std::variant<CoordNoInput, CoordMessageInput, CoordReasonInput, CoordResultInput,
                 NoticeMeasuresInput, MeetingReplyInput, MeetingMinutesInput,
                 MeetingDecisionDoneInput, JointActionInput, ParticipationConfirmInput,
                 ViolationDispatchInput, ViolationDecisionInput, MechanismUpdateInput,
                 MechanismBriefingInput>;

// ---- Typed results (rendered by http/views/coord_item.h) ----------------------------------

// One item as the API shows it. Orgs and users it names that no longer exist are absent from
// `orgs` / `users` (rendered as null, a duty owner's name as "").
struct CoordItemView {
  domain::CoordItem item;
  boost::json::object fields;  // the type's own fields (the item's data, parsed)
  std::vector<domain::Duty> duties;  // ascending id
  std::optional<domain::Colour> colour;  // of the open duty due first; none without one
  bool detail = false;                            // documents, messages and timeline loaded
  std::vector<domain::Document> documents;        // ascending id
  std::vector<domain::CoordMessage> messages;     // oldest first
  std::vector<TimelineEntry> timeline;            // oldest first
  std::map<domain::Id, domain::Org> orgs;         // from, to, duty owners, message and timeline orgs
  std::map<domain::Id, domain::User> users;       // creator, message authors, timeline actors
  std::shared_ptr<const calendar::Calendar> calendar;
  core::Instant now{};
};

struct CoordItemList {
  std::vector<CoordItemView> items;  // newest first, without detail
  int64_t total = 0;
};

class CoordItemService {
 public:
  // REQUIRES: every argument outlives the service.
  CoordItemService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                   CalendarService& calendars, CoordOptions options = {});

  // Creates an item of type `t` (docs/collaboration-contract.md); `in` holds the input of the
  // type (CoordNoticeInput for notices and violation notices), or the error reading it, which is
  // reported after the permission check. Errors: permission_denied (who may start it: rule of
  // the type); invalid_argument naming the field (wrong org kind, unknown file, instant in the
  // future …). Returns the detail.
  core::Result<CoordItemView> Create(const Principal& p, domain::CoordType t,
                                     const core::Result<CoordCreateInput>& in);
  // One step of the type's table ("measures", "reply", "minutes", "decision-done",
  // "joint-action", "written-notice", "confirm", "complete", "cancel", "close", "withdraw",
  // "dispatch", "handle", "refuse", "coordination", "coordination.department_handles" |
  // ".township_handles" | ".reassign", "message") with that action's input (see
  // CoordActionInput), or the error reading it, reported once the step is allowed. The action
  // "coordination/decision" stands for a decision the handler could not read: `in` holds that
  // error, reported as soon as the item is found (R-COL-8). `decision_no` is the meeting decision
  // for decision-done / joint-action. Errors: not_found; permission_denied; 409
  // illegal_transition (and the guards' ids); 400 naming the field. Returns the detail.
  core::Result<CoordItemView> Act(const Principal& p, domain::CoordType t, domain::Id id,
                                  std::string_view action,
                                  const core::Result<CoordActionInput>& in,
                                  std::optional<int> decision_no = std::nullopt);
  // The detail (documents, messages, timeline). not_found when missing or not visible.
  core::Result<CoordItemView> Get(const Principal& p, domain::CoordType t, domain::Id id);
  // One page of items without detail, and the total.
  core::Result<CoordItemList> List(const Principal& p, domain::CoordType t, const CoordQuery& q);
  // Every item List would show for `q` (paging ignored, at most kMaxExportRows), as CSV with BOM:
  // 文号,标题,类别,发起单位,参与单位数,状态,创建时间,期限,期限状态 (the standing mechanisms' export).
  core::Result<std::string> ExportCsv(const Principal& p, domain::CoordType t, CoordQuery q);
  // Every visible item of `t` (or all types) for the combined list, newest first, at most 5000;
  // `text` (optional) narrows to items whose title, number or own text contain it, as `q` of List.
  core::Result<std::vector<CoordSummary>> Summaries(const Principal& p,
                                                    std::optional<domain::CoordType> t,
                                                    std::string_view text = {});

  // An issued document of an item the principal can see (else not_found "document"); also
  // not_found when the document belongs to no item.
  core::Result<domain::Document> GetDocument(const Principal& p, domain::Id id);
  // For FileService's extra-access hook: is `sha256` attached to an item `p` can see?
  static core::Result<bool> CanReadFileInTx(storage::Tx& tx, const Principal& p, const std::string& sha256);
  static bool CanSee(const Principal& p, const domain::CoordItem& item);
  // The view of any stored item (every CoordType: the services of disputes, criminal transfers
  // and complaints render their items so too) read in `tx`; `fields`, when given, are its
  // per-type fields already parsed, else they are parsed from item.data.
  static core::Result<CoordItemView> RenderInTx(storage::Tx& tx, CalendarService& calendars,
                                                const domain::CoordItem& item, bool detail,
                                                core::Instant now,
                                                const boost::json::object* fields = nullptr);

  const CoordOptions& options() const { return options_; }

  // The view of `item` of any stored type (the services of disputes, criminal transfers,
  // complaints, court enforcement and police support render their items through it); `fields`,
  // when given, are its per-type fields already parsed (a step's entity), else they are parsed
  // from item.data.
  core::Result<CoordItemView> Render(storage::Tx& tx, const domain::CoordItem& item, bool detail,
                                     core::Instant now,
                                     const boost::json::object* fields = nullptr);

 private:
  struct Entity;    // the item with its own fields parsed
  struct Workflow;  // the workflow engine's Definition (service/workflow/step.h)
  struct Steps;     // one small handler per (type, action)
  using Ctx = workflow::Step<Workflow>;

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
  CoordOptions options_;
};

}  // namespace xietong::service
