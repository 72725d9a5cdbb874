// First-contact complaints and reports from the public (投诉举报, 首问责任, SPEC §8 R-SYS-3):
// registration by any org's staff, investigation, handling, a referral (§4) from inside the
// complaint, the reply to the complainant — and the counts the assessment reads (R-ASM-1).
//
// Stored as coord_items of CoordType::kComplaint; states and who may move them: ONE table,
// domain/complaint.h, run by the workflow engine (service/workflow/step.h): registration is the
// table's creating row (workflow::Start: duty complaint.reply of the first org, configurable
// period, default 15 working days from received_at; the 投诉举报登记表 登), every other step one
// small handler (workflow::Run). The reply meets the duty at replied_at and issues the
// 投诉举报答复意见书 答. "refer" creates an ordinary referral draft of the first org through
// ReferralService::CreateInTx in the same transaction (item.referral_id links it; the referral's
// facts name the complaint's registration number) and leaves the reply duty open with the first
// org: the reply still happens. "close" without a reply only for an anonymous complaint that
// left no contact (409 reply_required otherwise); it waives the duty.
//
// Visibility (R-ACC-1): the registering org (org_ids holds only it) and whoever SeesAll
// (coordinator staff, auditors, admins); anyone else — the referral's receiver too — gets
// not_found. Confidentiality: the complainant and the contact are shown only to the registering
// org's users and to the coordinator (SeesConfidential); auditors and admins of other orgs see
// "confidential": "hidden". They never enter audit entries, notifications, the referral or a
// numbered document (both printed forms say the complainant's details are kept on file), and
// the text search matches them only for those who may see them. Thread-safe: holds references.
//
//   ComplaintService complaints(store, clock, duties, calendars, referrals, ComplaintOptions{});
//   XT_ASSIGN_OR_RETURN(ComplaintView v, complaints.Register(officer, in));
//   XT_ASSIGN_OR_RETURN(v, complaints.Act(officer, v.item.id, "investigate",
//                                         ComplaintActionInput{ComplaintFindingsInput{"…"}}));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/coord_items.h"
#include "service/calendar_service.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/referral_service.h"
#include "storage/store.h"

namespace xietong::service {

struct ComplaintOptions {
  int reply_days = 15;  // --complaint-reply-days: working days to reply (R-SYS-3)
};

// Registration (docs/complaints-contract.md). Shapes and lengths are the handler's; the
// service checks the domain rules.
struct ComplaintInput {
  std::string channel;        // phone | 12345 | visit | letter | online
  bool anonymous = false;     // no name given (then complainant may be empty)
  std::string complainant;    // 0..50; required unless anonymous
  std::string contact;        // 0..100 (phone, address …); confidential
  std::string subject;        // 1..200
  std::string place;          // 0..200
  std::string content;        // 1..5000
  std::optional<core::Instant> received_at;  // default now; not in the future
  std::vector<CoordMaterialInput> materials;  // ≤ 50, files uploaded by the principal's org
};

// investigate: the findings (1..5000).
struct ComplaintFindingsInput {
  std::string findings;
};
// handle: measures taken and the result (1..5000 each).
struct ComplaintHandleInput {
  std::string measures, result;
};
// refer: the referral draft's receiver, matter and township (R-REF-1, R-JUR-1).
struct ComplaintReferInput {
  domain::Id to_org = 0;
  std::string matter;  // matter code
  domain::Id township = 0;
  std::string place;   // "" = the complaint's place
  std::string jurisdiction_override_reason;  // R-JUR-1
  std::string note;    // 0..500
};
// reply: what the complainant was told, how and when.
struct ComplaintReplyInput {
  std::string content;  // 1..5000
  std::string channel;  // phone | 12345 | visit | letter | online
  std::optional<core::Instant> replied_at;  // default now; not future, not before received_at
};
// close (anonymous, no contact): why no reply is possible (1..500).
struct ComplaintCloseInput {
  std::string reason;
};
using ComplaintActionInput = std::variant<ComplaintFindingsInput, ComplaintHandleInput,
                                          ComplaintReferInput, ComplaintReplyInput,
                                          ComplaintCloseInput>;

// A complaint as the API shows it (the item, its fields with the confidential ones removed when
// the principal may not see them, duties, documents and timeline).
struct ComplaintView : CoordItemView {
  bool confidential_visible = false;
};
struct ComplaintList {
  std::vector<ComplaintView> items;  // newest first, without detail
  int64_t total = 0;
};

struct ComplaintQuery {
  std::string state;    // "" or a state name
  std::string channel;  // "" or a channel
  std::string colour;   // "" or green | yellow | red (the open reply duty)
  std::string q;        // ≤ 100 characters: number, subject, place, content (and, for those who
                        // may see them, complainant and contact)
  std::optional<domain::Id> org;  // registered by this org
  int page = 1;
  int page_size = 20;  // 1..200
};

// R-ASM-1: counts per registering org over complaints received in [from, to] (Shanghai days).
struct ComplaintStatsRow {
  domain::Id org_id = 0;
  std::string org_name;
  int64_t registered = 0;
  int64_t replied = 0;
  int64_t replied_on_time = 0;
  int64_t replied_late = 0;
  int64_t referred = 0;        // forwarded by referral
  int64_t closed_no_reply = 0;  // anonymous, no one to reply to
  int64_t open = 0;            // reply duty still open
  int64_t open_overdue = 0;    // … and past its due (red)
};
struct ComplaintStats {
  std::optional<core::CivilDay> from, to;
  std::vector<ComplaintStatsRow> orgs;  // ascending org id
  ComplaintStatsRow total;              // org_id 0
};

class ComplaintService {
 public:
  // REQUIRES: every argument outlives the service.
  ComplaintService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                   CalendarService& calendars, ReferralService& referrals,
                   ComplaintOptions options = {});

  // Registers a complaint (staff of any org, not auditors: 403 R-SYS-3); `in` may hold the
  // handler's reading error, reported after the permission check. 400 naming the field.
  core::Result<ComplaintView> Register(const Principal& p, const core::Result<ComplaintInput>& in);
  // One step: "investigate", "handle", "refer", "reply", "close" with its input (or its reading
  // error, reported once the step is allowed). not_found; 403 R-SYS-3; 409 illegal_transition /
  // reply_required; 400 naming the field.
  core::Result<ComplaintView> Act(const Principal& p, domain::Id id, std::string_view action,
                                  const core::Result<ComplaintActionInput>& in);
  core::Result<ComplaintView> Get(const Principal& p, domain::Id id);
  core::Result<ComplaintList> List(const Principal& p, const ComplaintQuery& q);
  // Every row of the query (≤ kMaxExportRows) as CSV; confidential columns "（保密）" for rows
  // the principal may not see them of.
  core::Result<std::string> ExportCsv(const Principal& p, ComplaintQuery q);
  // R-ASM-1 counts: every org for whoever SeesAll, else the principal's own org.
  core::Result<ComplaintStats> Stats(const Principal& p, std::optional<core::CivilDay> from,
                                     std::optional<core::CivilDay> to);

  static bool CanSee(const Principal& p, const domain::CoordItem& item);
  // The complainant and contact: the registering org and the coordinator only.
  static bool SeesConfidential(const Principal& p, const domain::CoordItem& item);

  const ComplaintOptions& options() const { return options_; }

 private:
  struct Entity;
  struct Workflow;
  struct Steps;
  using Ctx = workflow::Step<Workflow>;
  core::Result<ComplaintView> Render(storage::Tx& tx, const Principal& p,
                                     const domain::CoordItem& item, bool detail,
                                     core::Instant now);
  core::Result<ComplaintList> Rows(const Principal& p, const ComplaintQuery& q, bool all);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CalendarService& calendars_;
  ReferralService& referrals_;
  ComplaintOptions options_;
};

}  // namespace xietong::service
