#include "service/workbench_service.h"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "core/time.h"

#include "domain/collaboration.h"
#include "domain/coord_items.h"
#include "domain/criminal_transfer.h"
#include "domain/dispute.h"
#include "domain/referral.h"
#include "domain/urging.h"
#include "service/collab_items.h"
#include "service/duty_service.h"
#include "service/notification_service.h"
#include "service/referral_service.h"
#include "service/urging_service.h"
#include "service/region_service.h"
#include "service/workflow/items.h"

namespace xietong::service {

using core::Result;
using core::Status;
using domain::Id;

namespace {

constexpr int kMaxRows = 200;

// The current Shanghai month: first and last day.
std::pair<core::CivilDay, core::CivilDay> MonthOf(core::Instant now) {
  const std::chrono::year_month_day ymd{core::ShanghaiDay(now)};
  const core::CivilDay first{ymd.year() / ymd.month() / 1};
  const core::CivilDay last{ymd.year() / ymd.month() / std::chrono::last};
  return {first, last};
}

std::string ReferralTitle(const domain::Referral& r) {
  std::string t = r.party.name.empty() ? "案件移送" : r.party.name + "案件移送";
  if (r.number) t += "（" + *r.number + "）";
  return t;
}

}  // namespace

WorkbenchService::WorkbenchService(storage::Store& store, const core::Clock& clock,
                                   DutyService& duties, ReferralService& referrals,
                                   const CollabItemRegistry& collab_items,
                                   NotificationService& notifications, UrgingService& urgings)
    : store_(store),
      clock_(clock),
      duties_(duties),
      referrals_(referrals),
      collab_items_(collab_items),
      notifications_(notifications),
      urgings_(urgings) {}

Result<Workbench> WorkbenchService::Get(const Principal& p) {
  Workbench w;
  std::tie(w.month_from, w.month_to) = MonthOf(clock_.Now());
  // Each count is the total of the list the workbench links to: the same call, one row.
  auto duties = [&](const char* colour) -> Result<int64_t> {
    DutyQuery q;
    q.scope = "org";
    q.state = "open";
    q.colour = colour;
    q.page_size = 1;
    XT_ASSIGN_OR_RETURN(DutyList l, duties_.List(p, q));
    return l.total;
  };
  XT_ASSIGN_OR_RETURN(w.duties_open, duties(""));
  XT_ASSIGN_OR_RETURN(w.duties_green, duties("green"));
  XT_ASSIGN_OR_RETURN(w.duties_yellow, duties("yellow"));
  XT_ASSIGN_OR_RETURN(w.duties_red, duties("red"));
  auto referrals = [&](const char* direction) -> Result<int64_t> {
    ReferralQuery q;
    q.direction = direction;
    q.from = w.month_from;
    q.to = w.month_to;
    q.page_size = 1;
    XT_ASSIGN_OR_RETURN(ReferralList l, referrals_.List(p, q));
    return l.total;
  };
  XT_ASSIGN_OR_RETURN(w.referrals_in, referrals("in"));
  XT_ASSIGN_OR_RETURN(w.referrals_out, referrals("out"));
  auto collaborations = [&](const char* direction) -> Result<int64_t> {
    CollabItemQuery q;
    q.direction = direction;
    q.page_size = 1;
    XT_ASSIGN_OR_RETURN(CollabItemPage l, collab_items_.List(p, q));
    return l.total;
  };
  XT_ASSIGN_OR_RETURN(w.collaborations_in, collaborations("in"));
  XT_ASSIGN_OR_RETURN(w.collaborations_out, collaborations("out"));
  {
    CoordQuery q;
    q.direction = "in";
    q.state = "open";
    q.page_size = 1;
    XT_ASSIGN_OR_RETURN(CoordItemList l, urgings_.List(p, q));
    w.urgings_open = l.total;
  }
  XT_ASSIGN_OR_RETURN(std::vector<ApprovalRow> approvals, Approvals(p));
  w.approvals = static_cast<int64_t>(approvals.size());
  XT_ASSIGN_OR_RETURN(w.unread, notifications_.UnreadCount(p));
  if (p.Oversees()) {  // coordinators, auditors, administrators of a region or all (R-ACC-2)
    CoordQuery q;
    q.state = "open";
    q.page_size = 1;
    XT_ASSIGN_OR_RETURN(CoordItemList l, urgings_.List(p, q));
    w.urgings_unanswered = l.total;
    XT_ASSIGN_OR_RETURN(Overview o, Orgs(p, "red"));
    w.coordination_queue = static_cast<int64_t>(o.queue.size());
  }
  return w;
}

Result<std::vector<ApprovalRow>> WorkbenchService::Approvals(const Principal& p) {
  std::vector<ApprovalRow> out;
  if (!p.Has(domain::Role::kLeader) || p.IsAuditor()) return out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    // R-REF-3: referrals of my org submitted for my approval.
    storage::ReferralFilter rf;
    rf.from_org_id = p.org.id;
    rf.states = {domain::ReferralState::kSubmitted};
    rf.limit = kMaxRows;
    XT_ASSIGN_OR_RETURN(std::vector<domain::Referral> refs, tx.ListReferrals(rf));
    for (const auto& r : refs) {
      out.push_back({"referral", "案件移送", r.id, ReferralTitle(r), "批准移送", "R-REF-3",
                     "/referrals/" + std::to_string(r.id), r.updated_at});
    }
    // R-COL-1: letters of my township to sign; R-COL-2: answers of my department to sign off.
    auto collabs = [&](bool outgoing) -> Status {
      storage::CollaborationFilter cf;
      if (outgoing) cf.from_org_id = p.org.id;
      else cf.to_org_id = p.org.id;
      cf.states = {outgoing ? domain::CollabState::kSubmitted : domain::CollabState::kAnswerPending};
      cf.limit = kMaxRows;
      XT_ASSIGN_OR_RETURN(std::vector<domain::Collaboration> cs, tx.ListCollaborations(cf));
      for (const auto& c : cs) {
        out.push_back({"collaboration", "执法协作", c.id, c.title,
                       outgoing ? "签发协作函" : "签发答复", outgoing ? "R-COL-1" : "R-COL-2",
                       "/collaborations/" + std::to_string(c.id), c.updated_at});
      }
      return Status::Ok();
    };
    XT_RETURN_IF_ERROR(collabs(true));
    XT_RETURN_IF_ERROR(collabs(false));
    // R-CRI-1a: criminal transfers reported to the head of my org.
    storage::CoordItemFilter f;
    f.type = domain::CoordType::kCriminalTransfer;
    f.from_org_id = p.org.id;
    f.states = {domain::crime_state::kReported};
    f.limit = kMaxRows;
    XT_ASSIGN_OR_RETURN(std::vector<domain::CoordItem> items, tx.ListCoordItems(f));
    for (const auto& it : items) {
      out.push_back({"criminal_transfer", "涉嫌犯罪案件移送", it.id, it.title, "审批移送", "R-CRI-1a",
                     "/criminal-transfers/" + std::to_string(it.id), it.updated_at});
    }
    return Status::Ok();
  }));
  std::stable_sort(out.begin(), out.end(),
                   [](const ApprovalRow& a, const ApprovalRow& b) { return a.since < b.since; });
  if (out.size() > kMaxRows) out.resize(kMaxRows);
  return out;
}

Result<Overview> WorkbenchService::Orgs(const Principal& p, const std::string& sort) {
  if (!p.Oversees()) {
    return Status::Denied("仅县委依法治县办、审计人员和管理员可以查看全县概况", "R-PLN-2")
        .En("Only the coordinator, auditors and administrators see the county overview");
  }
  if (sort != "red" && sort != "yellow" && sort != "open" && sort != "late" && sort != "name") {
    return Status::Invalid("sort", "sort 应为 red|yellow|open|late|name", "R-PLN-2", "invalid_value")
        .En("sort must be red, yellow, open, late or name");
  }
  const core::Instant now = clock_.Now();
  Overview out;
  std::tie(out.month_from, out.month_to) = MonthOf(now);
  const core::Instant month_start = core::ShanghaiMidnight(out.month_from);
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
    for (const auto& o : orgs) {
      if (!o.active || o.kind == domain::OrgKind::kUnit || o.kind == domain::OrgKind::kExternal) continue;
      if (!p.SeesOrg(o)) continue;  // the orgs of its region (R-ACC-2)
      OrgOverviewRow row;
      row.org = o;
      storage::DutyFilter f;
      f.owner_org_ids = {o.id};
      f.state = domain::DutyState::kOpen;
      XT_ASSIGN_OR_RETURN(row.open, tx.CountDuties(f));
      storage::DutyFilter red = f;
      red.due_at_le = now;
      XT_ASSIGN_OR_RETURN(row.red, tx.CountDuties(red));
      storage::DutyFilter yellow = f;
      yellow.yellow_at_le = now;
      yellow.due_at_gt = now;
      XT_ASSIGN_OR_RETURN(row.yellow, tx.CountDuties(yellow));
      storage::DutyFilter late = red;
      late.due_from = month_start;
      XT_ASSIGN_OR_RETURN(row.late_this_month, tx.CountDuties(late));
      out.orgs.push_back(std::move(row));
    }
    // The queue: referrals (R-REF-7), violation notices (R-COL-8) and disputes (R-DIS-2) at the
    // coordinator.
    // R-ACC-2: in its region; a coordinator's queue holds what it is the office to decide (across
    // counties: the city office, R-REF-7).
    storage::ReferralFilter rf;
    ApplyScope(p, rf);
    rf.states = {domain::ReferralState::kCoordination};
    rf.limit = kMaxRows;
    XT_ASSIGN_OR_RETURN(std::vector<domain::Referral> refs, tx.ListReferrals(rf));
    std::erase_if(refs, [&](const domain::Referral& r) {
      return p.IsCoordinator() && !p.CoordinatesBetween({r.from_org_id, r.to_org_id});
    });
    std::vector<Id> ids;
    for (const auto& r : refs) ids.push_back(r.id);
    XT_ASSIGN_OR_RETURN(auto ref_duties, DutiesOfObjects(tx, "referral", ids));
    for (const auto& r : refs) {
      auto d = ref_duties.find(r.id);
      out.queue.push_back({"referral", "案件移送", r.id, ReferralTitle(r), r.number.value_or(""), "R-REF-7",
                           "/referrals/" + std::to_string(r.id), r.updated_at,
                           d == ref_duties.end() ? domain::Colour::kNone : EarliestOpenColour(d->second, now)});
    }
    auto items = [&](domain::CoordType t, int state, const char* rule) -> Status {
      storage::CoordItemFilter f;
      ApplyScope(p, f);
      f.type = t;
      f.states = {state};
      f.limit = kMaxRows;
      XT_ASSIGN_OR_RETURN(std::vector<domain::CoordItem> its, tx.ListCoordItems(f));
      std::erase_if(its, [&](const domain::CoordItem& it) {
        return p.IsCoordinator() && !p.CoordinatesBetween(workflow::CoordinatedOrgs(it));
      });
      std::vector<Id> ids;
      for (const auto& it : its) ids.push_back(it.id);
      const std::string type(domain::CoordTypeName(t));
      XT_ASSIGN_OR_RETURN(auto ds, DutiesOfObjects(tx, type, ids));
      for (const auto& it : its) {
        auto d = ds.find(it.id);
        out.queue.push_back({type, std::string(domain::CoordTypeLabelZh(t)), it.id, it.title,
                             it.number.value_or(""), rule,
                             "/" + std::string(domain::CoordTypePath(t)) + "/" + std::to_string(it.id),
                             it.updated_at,
                             d == ds.end() ? domain::Colour::kNone : EarliestOpenColour(d->second, now)});
      }
      return Status::Ok();
    };
    XT_RETURN_IF_ERROR(items(domain::CoordType::kViolation, domain::violation_state::kCoordination, "R-COL-8"));
    XT_RETURN_IF_ERROR(items(domain::CoordType::kDispute, domain::dispute_state::kCoordination, "R-DIS-2"));
    return Status::Ok();
  }));
  auto key = [&](const OrgOverviewRow& r) -> int64_t {
    if (sort == "yellow") return r.yellow;
    if (sort == "open") return r.open;
    if (sort == "late") return r.late_this_month;
    return r.red;
  };
  if (sort != "name") {
    std::stable_sort(out.orgs.begin(), out.orgs.end(),
                     [&](const OrgOverviewRow& a, const OrgOverviewRow& b) { return key(a) > key(b); });
  }
  std::stable_sort(out.queue.begin(), out.queue.end(),
                   [](const QueueRow& a, const QueueRow& b) { return a.since < b.since; });
  return out;
}

}  // namespace xietong::service
