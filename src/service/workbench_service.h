// The workbench (工作台, issue 17): one read of the counts a person starts the day with, each the
// `total` of the very list it links to (the same service call with the same query, one row
// loaded: COUNT queries, never all rows); a leader's approvals waiting, derived from the state of
// the items (referrals and collaboration letters submitted for approval, answers awaiting
// sign-off, criminal transfers reported to the head) — no duties invented; and the coordinator's
// county-wide oversight: per org open / yellow / red / late-this-month duties and the queue of
// cases sent for coordination (R-REF-7, R-COL-8, R-DIS-2). Thread-safe: holds only references.
//
//   WorkbenchService wb(store, clock, duties, referrals, collab_items, notifications, urgings);
//   XT_ASSIGN_OR_RETURN(Workbench w, wb.Get(principal));   // w.duties_red, w.approvals …
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/duty.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

class DutyService;
class ReferralService;
class CollabItemRegistry;
class NotificationService;
class UrgingService;

// My counts. "This month" is the current Shanghai calendar month [month_from, month_to].
struct Workbench {
  core::CivilDay month_from{}, month_to{};
  int64_t duties_open = 0, duties_green = 0, duties_yellow = 0, duties_red = 0;  // 待办 (my org)
  int64_t approvals = 0;  // leaders: items waiting for my approval (see Approvals)
  int64_t referrals_in = 0, referrals_out = 0;          // created this month
  // The combined 协作 list (every R-COL item type) addressed to / started by my org, any date.
  int64_t collaborations_in = 0, collaborations_out = 0;
  int64_t urgings_open = 0;  // 督办 addressed to my org, not answered
  int64_t unread = 0;        // my unread notifications
  // Coordinator staff (and whoever sees all): the county-wide figures.
  std::optional<int64_t> coordination_queue;  // cases waiting for the coordinator
  std::optional<int64_t> urgings_unanswered;  // every open urging
};

// One approval waiting for the leader (a 待办 row of kind 待审批).
struct ApprovalRow {
  std::string type;         // "referral" | "collaboration" | "criminal_transfer"
  std::string type_label;   // 案件移送 / 执法协作 / 涉嫌犯罪案件移送
  domain::Id id = 0;
  std::string title;
  std::string what;         // 批准移送 / 签发协作函 / 签发答复 / 审批移送
  std::string rule;         // R-REF-3 …
  std::string path;         // the web page: /referrals/7
  core::Instant since{};    // waiting since (the item's last change)
};

// A county-wide row per org (R-PLN-2 统一考核监督).
struct OrgOverviewRow {
  domain::Org org;
  int64_t open = 0, yellow = 0, red = 0;
  int64_t late_this_month = 0;  // open duties due this month whose deadline has passed
};

// One case waiting for the coordinator's decision.
struct QueueRow {
  std::string type;        // "referral" | "violation_notice" | "dispute"
  std::string type_label;  // 案件移送 …
  domain::Id id = 0;
  std::string title;
  std::string number;      // "" when none
  std::string rule;        // R-REF-7 | R-COL-8 | R-DIS-2
  std::string path;
  core::Instant since{};
  domain::Colour colour = domain::Colour::kNone;  // of its open duty due first
};

struct Overview {
  std::vector<OrgOverviewRow> orgs;  // sorted as asked
  std::vector<QueueRow> queue;       // oldest first
  core::CivilDay month_from{}, month_to{};
};

class WorkbenchService {
 public:
  // REQUIRES: every argument outlives the service.
  WorkbenchService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                   ReferralService& referrals, const CollabItemRegistry& collab_items,
                   NotificationService& notifications, UrgingService& urgings);

  core::Result<Workbench> Get(const Principal& p);
  // The approvals waiting for `p` (a leader; anyone else: none), oldest first, at most 200.
  core::Result<std::vector<ApprovalRow>> Approvals(const Principal& p);
  // County-wide (SeesAll only; else permission_denied R-PLN-2). sort: red (default) | yellow |
  // open | late | name; invalid_argument "sort" otherwise.
  core::Result<Overview> Orgs(const Principal& p, const std::string& sort);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  ReferralService& referrals_;
  const CollabItemRegistry& collab_items_;
  NotificationService& notifications_;
  UrgingService& urgings_;
};

}  // namespace xietong::service
