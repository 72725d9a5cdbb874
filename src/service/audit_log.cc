#include "service/audit_log.h"

#include <boost/json/serialize.hpp>
#include <map>
#include "service/region_service.h"

namespace xietong::service {

namespace {
domain::AuditEntry EntryOf(const Principal* actor, core::Instant at, AuditRecord rec) {
  domain::AuditEntry e;
  e.at = at;
  if (actor) {
    e.actor_user_id = actor->user.id;
    e.actor_org_id = actor->org.id;
  }
  e.action = std::move(rec.action);
  e.object_type = std::move(rec.object_type);
  e.object_id = std::move(rec.object_id);
  e.summary = std::move(rec.summary);
  e.detail = boost::json::serialize(rec.detail);
  return e;
}
}  // namespace

core::Status Record(storage::Tx& tx, const Principal* actor, core::Instant at, AuditRecord rec) {
  return tx.QueueAudit(EntryOf(actor, at, std::move(rec)));
}

core::Result<std::vector<domain::AuditEntry>> RecordAll(storage::Tx& tx, const Principal* actor,
                                                        core::Instant at,
                                                        std::vector<AuditRecord> recs) {
  std::vector<domain::AuditEntry> entries;
  entries.reserve(recs.size());
  for (AuditRecord& rec : recs) entries.push_back(EntryOf(actor, at, std::move(rec)));
  return tx.AppendAudits(std::move(entries));
}

core::Result<domain::ChainCheck> VerifyChain(storage::Store& store) {
  domain::ChainVerifier verifier;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) { return verifier.Add(e); });
  }));
  return verifier.Finish();
}

}  // namespace xietong::service

namespace xietong::service {

core::Result<std::vector<AuditView>> ListAuditFor(storage::Store& store, const Principal& p,
                                                  storage::AuditFilter filter,
                                                  int64_t* total) {
  ApplyScope(p, filter);  // R-ACC-1, R-ACC-2: own org's actors, or the scope's
  std::vector<AuditView> out;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(auto entries, tx.ListAudit(filter));
    if (total) {
      XT_ASSIGN_OR_RETURN(*total, tx.CountAudit(filter));
    }
    std::map<domain::Id, domain::User> users;
    std::map<domain::Id, domain::Org> orgs;
    for (auto& e : entries) {
      AuditView v;
      if (e.actor_user_id) {
        auto it = users.find(*e.actor_user_id);
        if (it == users.end()) {
          auto u = tx.GetUser(*e.actor_user_id);
          if (u.ok()) it = users.emplace(*e.actor_user_id, std::move(u).value()).first;
        }
        if (it != users.end()) v.actor = it->second;
      }
      if (e.actor_org_id) {
        auto it = orgs.find(*e.actor_org_id);
        if (it == orgs.end()) {
          auto o = tx.GetOrg(*e.actor_org_id);
          if (o.ok()) it = orgs.emplace(*e.actor_org_id, std::move(o).value()).first;
        }
        if (it != orgs.end()) v.org = it->second;
      }
      v.entry = std::move(e);
      out.push_back(std::move(v));
    }
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<domain::AuditEntry>> TimelineEntriesOf(storage::Tx& tx,
                                                                 const std::string& object_type,
                                                                 const std::string& object_id) {
  storage::AuditFilter af;
  af.object_type = object_type;
  af.object_id = object_id;
  af.limit = 1000;
  return tx.ListAudit(af);  // newest first
}

std::vector<TimelineEntry> BuildTimeline(
    const std::vector<domain::AuditEntry>& newest_first, const std::string& object_type,
    const std::function<std::string(domain::Id)>& user_name,
    const std::function<std::string(domain::Id)>& org_name) {
  const std::string prefix = object_type + ".";
  std::vector<TimelineEntry> out;
  out.reserve(newest_first.size());
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    TimelineEntry t;
    t.at = it->at;
    t.action = it->action.starts_with(prefix) ? it->action.substr(prefix.size()) : it->action;
    t.summary = it->summary;
    t.actor_id = it->actor_user_id;
    t.org_id = it->actor_org_id;
    if (t.actor_id) t.actor_name = user_name(*t.actor_id);
    if (t.org_id) t.org_name = org_name(*t.org_id);
    out.push_back(std::move(t));
  }
  return out;
}

core::Result<std::vector<TimelineEntry>> TimelineOf(storage::Tx& tx, const std::string& object_type,
                                                    const std::string& object_id) {
  XT_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries,
                      TimelineEntriesOf(tx, object_type, object_id));
  std::vector<domain::Id> user_ids, org_ids;
  for (const auto& e : entries) {
    if (e.actor_user_id) user_ids.push_back(*e.actor_user_id);
    if (e.actor_org_id) org_ids.push_back(*e.actor_org_id);
  }
  std::map<domain::Id, std::string> users, orgs;
  if (!user_ids.empty()) {
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> found, tx.GetUsersByIds(user_ids));
    for (auto& u : found) users.emplace(u.id, std::move(u.display_name));
  }
  if (!org_ids.empty()) {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> found, tx.GetOrgsByIds(org_ids));
    for (auto& o : found) orgs.emplace(o.id, std::move(o.name));
  }
  auto name = [](const std::map<domain::Id, std::string>& m, domain::Id id) {
    auto it = m.find(id);
    return it == m.end() ? std::string() : it->second;
  };
  return BuildTimeline(
      entries, object_type, [&](domain::Id id) { return name(users, id); },
      [&](domain::Id id) { return name(orgs, id); });
}

core::Status CanVerifyChain(const Principal& p) {
  if (p.IsAdmin() || p.IsAuditor() || p.IsCoordinator()) return core::Status::Ok();
  return core::Status::Denied("仅系统管理员、审计员和依法治县办可校验审计链", "R-AUD-1")
      .En("Only administrators, auditors and the coordinator may verify the audit chain");
}

}  // namespace xietong::service
