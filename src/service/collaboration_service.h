// Collaboration requests (执法协作文书, SPEC §5 R-COL-1..4, policy 二(二)2): the whole workflow of
// docs/collaboration-contract.md.
//
// A township asks a county department for a determination, a technical appraisal or an advisory
// opinion (R-COL-1); its leader approves, which numbers the letter (新城执协〔2026〕4号) and sends
// it. The department answers in writing within 3 working days of sent_at (R-COL-2, duty
// collaboration.answer per round), sends staff on site when urgent or evidence is at risk
// (R-COL-3, duty collaboration.dispatch, `dispatch_hours`), and may extend the answer duty for a
// technical appraisal or a complex case (R-COL-4: the duty's due moves, event "extended" with
// old/new due). A follow-up question opens a new round with a new answer duty.
//
// States and who may move them: ONE table, domain/collaboration.h. Each step runs in one Write
// transaction with its duties, documents, notifications and audit entry
// ("collaboration.<action>"); a refused step changes nothing.
//
// Visibility (R-ACC-1): the sender org; the receiver org once sent at least once; coordinator
// staff, auditors, administrators. Anyone else gets not_found.
//
//   CollaborationService collabs(store, clock, duties, calendars);
//   XT_ASSIGN_OR_RETURN(CollaborationView v, collabs.Create(officer, in));
//   XT_ASSIGN_OR_RETURN(v, collabs.Submit(officer, v.c.id));
//   XT_ASSIGN_OR_RETURN(v, collabs.Approve(leader, v.c.id));  // numbered, sent
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/status.h"
#include "domain/collaboration.h"
#include "domain/doc_number.h"
#include "domain/duty.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/referral_service.h"  // TimelineEntry
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

struct CollaborationOptions {
  int dispatch_hours = 2;  // R-COL-3: serve option --dispatch-hours
};

struct CollabMaterialInput {
  std::string name;
  std::string description;
  std::optional<std::string> file_id;  // an uploaded file the sender's org can read
};

// Create (kind and to_org required) or PATCH (a given field replaces the stored value).
struct CollaborationInput {
  std::optional<std::string> kind;  // determination | technical_appraisal | advisory_opinion
  std::optional<domain::Id> to_org_id;
  std::optional<std::string> title;
  std::optional<std::string> questions;
  std::optional<std::string> case_ref;
  std::optional<std::optional<domain::Id>> referral_id;  // present-null clears
  std::optional<std::vector<CollabMaterialInput>> materials;
  std::optional<bool> urgent;
  std::optional<bool> evidence_at_risk;
};

struct CollabExtendInput {
  std::string reason;
  core::Instant new_due{};
  bool complex = false;
};

struct CollabAnswerInput {
  std::string conclusion;
  std::string text;
  std::optional<std::string> file_id;
};

struct CollabDispatchInput {
  std::vector<std::string> staff;
  std::optional<core::Instant> sent_at;
  std::string note;
};

struct CollaborationQuery {
  std::string direction;  // "" / all | in | out
  std::string state;
  std::string kind;
  std::optional<domain::Id> org;
  std::string colour;
  std::optional<core::CivilDay> from, to;
  std::string q;
  int page = 1;
  int page_size = 20;
};

struct CollaborationView {
  domain::Collaboration c;
  domain::Org from_org, to_org;
  std::map<domain::Id, std::string> user_names;  // created_by, drafters, approvers …
  std::vector<domain::Duty> duties;              // ascending id
  std::map<domain::Id, std::string> duty_org_names;
  domain::Colour colour = domain::Colour::kNone;
  bool detail = false;
  std::vector<domain::Document> documents;
  std::vector<TimelineEntry> timeline;
  std::shared_ptr<const calendar::Calendar> calendar;
  core::Instant now{};
};

struct CollaborationList {
  std::vector<CollaborationView> items;
  int64_t total = 0;
};

class CollaborationService {
 public:
  CollaborationService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                       CalendarService& calendars, CollaborationOptions options = {});

  core::Result<CollaborationView> Create(const Principal& p, const CollaborationInput& in);
  core::Result<CollaborationView> Update(const Principal& p, domain::Id id,
                                         const CollaborationInput& in);
  core::Result<CollaborationView> Submit(const Principal& p, domain::Id id);
  core::Result<CollaborationView> Approve(const Principal& p, domain::Id id);
  core::Result<CollaborationView> Return(const Principal& p, domain::Id id,
                                         const std::string& reason);
  core::Result<CollaborationView> Receive(const Principal& p, domain::Id id);
  core::Result<CollaborationView> Extend(const Principal& p, domain::Id id,
                                         const CollabExtendInput& in);
  core::Result<CollaborationView> Answer(const Principal& p, domain::Id id,
                                         const CollabAnswerInput& in);
  core::Result<CollaborationView> ApproveAnswer(const Principal& p, domain::Id id);
  core::Result<CollaborationView> RejectAnswer(const Principal& p, domain::Id id,
                                               const std::string& reason);
  core::Result<CollaborationView> FollowUp(const Principal& p, domain::Id id,
                                           const std::string& questions);
  core::Result<CollaborationView> Dispatch(const Principal& p, domain::Id id,
                                           const CollabDispatchInput& in);
  core::Result<CollaborationView> Arrived(const Principal& p, domain::Id id,
                                          std::optional<core::Instant> at);
  core::Result<CollaborationView> Withdraw(const Principal& p, domain::Id id,
                                           const std::string& reason);
  core::Result<CollaborationView> Close(const Principal& p, domain::Id id);

  core::Result<CollaborationView> Get(const Principal& p, domain::Id id);
  core::Result<CollaborationList> List(const Principal& p, const CollaborationQuery& q);
  core::Result<std::string> ExportCsv(const Principal& p, CollaborationQuery q);

  // A document linked to a collaboration the principal can see; not_found otherwise (also when
  // the document belongs to no collaboration).
  core::Result<domain::Document> GetDocument(const Principal& p, domain::Id id);

  static bool CanSee(const Principal& p, const domain::Collaboration& c);
  static core::Result<bool> CanReadFileInTx(storage::Tx& tx, const Principal& p, const std::string& sha256);

  const CollaborationOptions& options() const { return options_; }

 private:
  // One page (`all` false) or every row for an export (up to kMaxExportRows, not counted).
  core::Result<CollaborationList> Rows(const Principal& p, CollaborationQuery q, bool all);
  struct Workflow;  // the workflow engine's Definition (service/workflow/step.h)
  using Ctx = workflow::Step<Workflow>;
  core::Result<CollaborationView> Step(const Principal& p, domain::Id id,
                                       domain::CollabAction action,
                                       const std::function<core::Status(Ctx&)>& apply);
  static core::Result<std::optional<domain::Duty>> AnswerDutyOpen(Ctx& x);
  core::Result<CollaborationView> Load(storage::Tx& tx, domain::Collaboration c, bool detail,
                                       core::Instant now);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
  CollaborationOptions options_;
};

}  // namespace xietong::service
