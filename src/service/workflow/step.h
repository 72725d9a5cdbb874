// The workflow engine's service half: ONE step runner and ONE step context for every workflow
// (referrals, collaboration requests, notices, meetings, participation requests, violation
// notices …). Its pure half, the transition tables and the decider, is domain/workflow.h.
//
// A step runs in one `Store::Write`:
//   load → visibility (R-ACC-1: not found, never "forbidden") → decide (the workflow's table)
//   → guard → the action's handler → the row's declared duty effects → save → audit → reload.
// The handler does only what is particular to its action (fields, the document's content,
// notification texts); the runner enforces what the table declares:
//   - duties of the row's `meet` kinds that were pending when the step began are met at
//     `StepContext::met_at` (default: now), and those of its `waive` kinds are waived with
//     `StepContext::waive_reason`; nothing else may meet or waive a workflow's duty;
//   - the handler may open (and, re-opening, waive) only the row's `open` kinds, and meet one
//     chosen duty only of its `meet_one` kinds;
//   - the handler issues exactly the row's `document`, numbered gap-free (R-DOC-1), or the
//     step fails as a bug (internal) and nothing is written.
//
// Adding a workflow: its table (domain), its entity and storage, a `Definition` (below) and one
// small handler per action. No scaffolding.
//
//   struct ReferralWorkflow { … };  // the Definition, see service/referral_service.cc
//   return workflow::Run(def, store_, clock_, duties_, p, id, ReferralAction::kReceive,
//                        [&](workflow::Step<ReferralWorkflow>& s) -> Status {
//                          s.e.received_at = s.now;
//                          s.summary = "签收案件移送";
//                          return Status::Ok();
//                        });
//
// Not thread-safe by itself: a context lives inside one transaction on one thread.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/doc_number.h"
#include "domain/duty.h"
#include "domain/workflow.h"
#include "service/audit_log.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service::workflow {

// A duty that may still be met or waived.
bool Pending(const domain::Duty& d);

// The staff of every coordinator org (R-REF-7, R-COL-8).
// The users acting for the coordinator office that coordinates between `orgs` (R-ACC-2: the
// office of their lowest common region at county level or above; domain::CoordinatingScope),
// plus those of coordinator offices without a region (a deployment without regions: its one
// coordinator, as before). Coordinator staff of those offices.
core::Result<std::vector<domain::User>> CoordinatorStaff(storage::Tx& tx,
                                                         const std::vector<domain::Id>& orgs);

// The leaders and liaisons of an org: who receive what is addressed to it.
core::Result<std::vector<domain::User>> OrgDesk(storage::Tx& tx, domain::Id org_id);

// The issuing org's document prefix (机关代字), or the default derived from its short name.
std::string DocPrefix(const domain::Org& o);

// Notifies each user (not disabled) once, with `dedupe_key` ("" = none): for acts outside a
// step, such as creating a workflow's object.
core::Status NotifyOnce(storage::Tx& tx, const std::vector<domain::User>& users,
                        const std::string& kind, const std::string& title, const std::string& body,
                        std::string_view object_type, domain::Id object_id,
                        const std::string& dedupe_key, core::Instant now);

// A user's display name; "" for a user that does not exist (any other store error fails).
core::Result<std::string> DisplayName(storage::Tx& tx, domain::Id user_id);

// R-ACC-1 for files: true when any of the objects `ids` names (those holding a file), read with
// `get(id)`, passes `can_see`. A vanished object is skipped; any other store error fails.
//   return workflow::AnyVisible(tx.ReferralsWithFile(sha256),
//                               [&](Id id) { return tx.GetReferral(id); },
//                               [&](const Referral& r) { return CanSee(p, r); });
template <class Get, class See>
core::Result<bool> AnyVisible(core::Result<std::vector<domain::Id>> ids, Get get, See can_see) {
  XT_ASSIGN_OR_RETURN(std::vector<domain::Id> list, std::move(ids));
  for (domain::Id id : list) {
    auto e = get(id);
    if (!e.ok()) {
      if (e.status().code() == core::Code::kNotFound) continue;
      return e.status();
    }
    if (can_see(*e)) return true;
  }
  return false;
}

// How a workflow's object is named by duties, notifications and documents, and how its
// documents hang on it.
struct Subject {
  std::string type;  // "referral", "collaboration", "notice" … (duty object_type, audit object)
  domain::Id id = 0;
  domain::Id created_by = 0;  // the drafter (notified "with_creator")
  // Notifications: keyed by kind, object and instant (the same event never notifies a person
  // twice, kept for referrals and collaboration requests) — or not keyed, every step its own
  // event (coordination items repeat messages within one millisecond); either way one
  // notification per person and kind within a step. `skip_actor`: the acting user is not
  // notified of their own act.
  bool dedupe_by_instant = true;
  bool skip_actor = false;
  // Sets the document's link to the object before it is inserted (e.g. referral_id) and adds
  // the object's reference to its snapshot body.
  std::function<void(domain::Document&, boost::json::object& body)> decorate_document;
  // Links the inserted document to the object (collaboration and coordination items).
  std::function<core::Status(storage::Tx&, const domain::Document&)> link_document;
  // R-ACC-2: the orgs the object is between; NotifyCoordinator reaches the office coordinating
  // them (their lowest common region). Empty = the acting principal's org.
  std::vector<domain::Id> orgs;
};

// What every step of every workflow knows and may do. Created by Run().
class StepContext {
 public:
  StepContext(storage::Tx& tx, const Principal& p, core::Instant now, DutyService& duties,
              Subject subject, const domain::workflow::Effects& fx);

  storage::Tx& tx;
  const Principal& p;
  const core::Instant now;
  boost::json::object detail;  // the audit entry's detail
  std::string summary;         // the audit entry's summary (default: the action's label)
  core::Instant met_at;        // when the row's `meet` duties were fulfilled (default: now)
  std::string waive_reason;    // why the row's `waive` duties are moot (default: the action)

  const Subject& subject() const { return subject_; }
  const domain::workflow::Effects& effects() const { return fx_; }

  // The object's duties (ascending id).
  core::Result<std::vector<domain::Duty>> Duties();

  // Opens a duty on the object. REQUIRES the row to declare `in.kind` in `open` (else internal:
  // a bug, the step writes nothing). object_type/object_id are filled in.
  core::Result<domain::Duty> Open(DutyInput in);
  // Opens a duty on another object that this step creates (the tasks an annual plan's issue
  // creates, R-PLN-1): as Open, but on (`object_type`, `object_id`). REQUIRES the row to
  // declare `in.kind` in `open`.
  core::Result<domain::Duty> OpenOn(std::string_view object_type, domain::Id object_id,
                                    DutyInput in);
  // Waives every pending duty of `kind` on the object (a recomputed period, before re-opening).
  // REQUIRES `kind` in the row's `open` or `waive`.
  core::Status Waive(std::string_view kind, const std::string& reason);
  // Meets one chosen pending duty at `at` (never before its trigger). REQUIRES its kind in the
  // row's `meet_one` (a meeting decision, one of many).
  core::Status MeetOne(const domain::Duty& d, core::Instant at);

  // Issues the row's numbered document (R-DOC-1) by `issuer`: serial from doc_counters in this
  // transaction, snapshot of `body` plus the standard header fields. REQUIRES the row to declare
  // `kind` (as `document` or `copy_document`) and no document of that kind issued yet in this
  // step. `issued()` is the row's `document`.
  core::Result<domain::Document> Issue(domain::DocKind kind, const domain::Org& issuer,
                                       const std::string& title, boost::json::object body);
  const std::optional<domain::Document>& issued() const { return issued_; }

  // Notifications (see Subject for de-duplication).
  core::Status NotifyUsers(const std::vector<domain::User>& users, const std::string& kind,
                           const std::string& title, const std::string& body);
  // The org's leaders and liaisons, and the drafter when `with_creator` and of that org.
  core::Status NotifyDesk(domain::Id org_id, const std::string& kind, const std::string& title,
                          const std::string& body, bool with_creator = false);
  core::Status NotifyCoordinator(const std::string& kind, const std::string& title,
                                 const std::string& body);
  // One user by id (the drafter, the answer's author …); a missing user is skipped, any other
  // store error fails the step.
  core::Status NotifyUser(domain::Id user_id, const std::string& kind, const std::string& title,
                          const std::string& body);

  // ---- For Run() ----
  // Remembers the pending duties of the row's `meet`/`waive` kinds before the handler runs.
  core::Status SnapshotDeclaredDuties();
  // Meets/waives the remembered duties still pending, as the row declares.
  core::Status ApplyDeclaredDuties(std::string_view action_label);
  // Internal error when the row declares a document and none was issued.
  core::Status CheckDocumentIssued() const;

 private:
  void Note(const char* key, const domain::Duty& d);

  DutyService& duties_;
  Subject subject_;
  const domain::workflow::Effects& fx_;
  std::vector<domain::Duty> declared_;  // pending duties of meet/waive kinds at the start
  std::set<domain::Id> ended_;            // duties the handler met or waived itself
  std::optional<domain::Document> issued_;
  std::optional<domain::Document> issued_copy_;  // the row's copy_document
  std::set<std::pair<domain::Id, std::string>> notified_;
};

// The typed view of one step of workflow W: the entity as it is being changed and as it was.
template <class W>
struct Step : StepContext {
  Step(storage::Tx& tx, const Principal& p, core::Instant now, DutyService& duties,
       Subject subject, const typename W::Row& row, typename W::Entity& e)
      : StepContext(tx, p, now, duties, std::move(subject), row.fx), row(row), e(e), before(e) {}
  const typename W::Row& row;
  typename W::Entity& e;
  const typename W::Entity before;
};

// A workflow's Definition W provides (see referral_service.cc for one):
//   using Entity, Action, Row, View;
//   core::Result<Entity> Load(storage::Tx&, Id) const;           // not_found for a missing one
//   core::Status NotFound() const;                               // also for one not visible
//   bool CanSee(const Principal&, const Entity&) const;
//   core::Result<const Row*> Decide(const Principal&, const Entity&, Action) const;
//   core::Status CheckGuard(Step<W>&) const;                     // the row's guard
//   Subject SubjectOf(const Entity&) const;
//   core::Status Save(storage::Tx&, Entity&, core::Instant now) const;   // state already set
//   std::string AuditAction(Action) const;                       // "referral.approve"
//   std::string ActionLabel(Action) const;                       // 批准移送
//   std::string StateName(const Entity&) const;                  // "sent"
//   std::optional<std::string> Number(const Entity&) const;      // 文号 shown in the summary
//   core::Result<View> Reload(storage::Tx&, Entity, core::Instant now) const;
//   (Entity has `state`; Row has `to`.)
template <class W>
using Handler = std::function<core::Status(Step<W>&)>;

template <class W>
core::Result<typename W::View> Run(const W& w, storage::Store& store, const core::Clock& clock,
                                   DutyService& duties, const Principal& p, domain::Id id,
                                   typename W::Action action, const Handler<W>& handler) {
  const core::Instant now = clock.Now();
  typename W::View out;
  XT_RETURN_IF_ERROR(store.Write([&](storage::Tx& tx) -> core::Status {
    auto got = w.Load(tx, id);
    if (!got.ok()) {
      return got.status().code() == core::Code::kNotFound ? w.NotFound() : got.status();
    }
    typename W::Entity e = std::move(got).value();
    if (!w.CanSee(p, e)) return w.NotFound();  // R-ACC-1: existence does not leak
    XT_ASSIGN_OR_RETURN(const typename W::Row* row, w.Decide(p, e, action));
    Step<W> s(tx, p, now, duties, w.SubjectOf(e), *row, e);
    XT_RETURN_IF_ERROR(w.CheckGuard(s));
    XT_RETURN_IF_ERROR(s.SnapshotDeclaredDuties());
    XT_RETURN_IF_ERROR(handler(s));
    const std::string label = w.ActionLabel(action);
    XT_RETURN_IF_ERROR(s.ApplyDeclaredDuties(label));
    XT_RETURN_IF_ERROR(s.CheckDocumentIssued());
    s.detail["from"] = w.StateName(s.before);
    e.state = row->to;
    XT_RETURN_IF_ERROR(w.Save(tx, e, now));
    s.detail["to"] = w.StateName(e);
    std::string summary = s.summary.empty() ? label : s.summary;
    if (auto n = w.Number(e)) summary += "（" + *n + "）";
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{w.AuditAction(action), s.subject().type,
                                          std::to_string(s.subject().id), summary,
                                          std::move(s.detail)}));
    XT_ASSIGN_OR_RETURN(out, w.Reload(tx, std::move(e), now));
    return core::Status::Ok();
  }));
  return out;
}

// Reads one object for `p` in one `Store::Read`: load, visibility (R-ACC-1: not found, never
// "forbidden"), and the detail view (`w.Reload`).
template <class W>
core::Result<typename W::View> Get(const W& w, storage::Store& store, const core::Clock& clock,
                                   const Principal& p, domain::Id id) {
  const core::Instant now = clock.Now();
  typename W::View out;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) -> core::Status {
    auto got = w.Load(tx, id);
    if (!got.ok()) {
      return got.status().code() == core::Code::kNotFound ? w.NotFound() : got.status();
    }
    if (!w.CanSee(p, *got)) return w.NotFound();
    XT_ASSIGN_OR_RETURN(out, w.Reload(tx, std::move(got).value(), now));
    return core::Status::Ok();
  }));
  return out;
}

// Starts a workflow's object in one `Store::Write`: `create` checks the input, builds and inserts
// the entity (returning it with its id); then, as a step, the handler opens the duties, issues
// the document and sends the notifications that `row` (the table's creating row: from the
// workflow's "new" state) declares; the runner checks the document, saves the entity in
// `row.to`, records the audit entry (`w.AuditAction(row.action)`) and reloads.
template <class W>
using Create = std::function<core::Result<typename W::Entity>(storage::Tx&, core::Instant now)>;

template <class W>
core::Result<typename W::View> Start(const W& w, storage::Store& store, const core::Clock& clock,
                                     DutyService& duties, const Principal& p,
                                     const typename W::Row& row, const Create<W>& create,
                                     const Handler<W>& handler) {
  const core::Instant now = clock.Now();
  typename W::View out;
  XT_RETURN_IF_ERROR(store.Write([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(typename W::Entity e, create(tx, now));
    Step<W> s(tx, p, now, duties, w.SubjectOf(e), row, e);
    XT_RETURN_IF_ERROR(handler(s));
    XT_RETURN_IF_ERROR(s.CheckDocumentIssued());
    e.state = row.to;
    XT_RETURN_IF_ERROR(w.Save(tx, e, now));
    s.detail["to"] = w.StateName(e);
    std::string summary = s.summary.empty() ? w.ActionLabel(row.action) : s.summary;
    if (auto n = w.Number(e)) summary += "（" + *n + "）";
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{w.AuditAction(row.action), s.subject().type,
                                          std::to_string(s.subject().id), summary,
                                          std::move(s.detail)}));
    XT_ASSIGN_OR_RETURN(out, w.Reload(tx, std::move(e), now));
    return core::Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service::workflow
