#include "service/audit_log.h"

#include <boost/json/serialize.hpp>
#include <map>

namespace xietong::service {

core::Result<domain::AuditEntry> Record(storage::Tx& tx, const Principal* actor, core::Instant at,
                                        AuditRecord rec) {
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
  return tx.AppendAudit(std::move(e));
}

core::Result<domain::ChainCheck> VerifyChain(storage::Store& store) {
  domain::ChainVerifier verifier;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) { return verifier.Add(e); });
  }));
  return verifier.Finish();
}

boost::json::object AuditEntryJson(const domain::AuditEntry& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["at"] = core::FormatInstant(e.at);
  o["actor_user_id"] = e.actor_user_id ? boost::json::value(*e.actor_user_id) : nullptr;
  o["actor_org_id"] = e.actor_org_id ? boost::json::value(*e.actor_org_id) : nullptr;
  o["action"] = e.action;
  o["object_type"] = e.object_type;
  o["object_id"] = e.object_id;
  o["summary"] = e.summary;
  o["detail"] = e.detail;
  o["hash"] = e.hash;
  o["prev_hash"] = e.prev_hash;
  return o;
}

}  // namespace xietong::service

namespace xietong::service {

core::Result<std::vector<AuditView>> ListAuditFor(storage::Store& store, const Principal& p,
                                                  storage::AuditFilter filter) {
  if (!p.SeesAll()) filter.org_id = p.org.id;
  std::vector<AuditView> out;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(auto entries, tx.ListAudit(filter));
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

core::Result<std::vector<TimelineEntry>> TimelineOf(storage::Tx& tx, const std::string& object_type,
                                                    const std::string& object_id) {
  storage::AuditFilter af;
  af.object_type = object_type;
  af.object_id = object_id;
  af.limit = 1000;
  XT_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries, tx.ListAudit(af));  // newest first
  const std::string prefix = object_type + ".";
  std::map<domain::Id, std::string> users, orgs;
  std::vector<TimelineEntry> out;
  out.reserve(entries.size());
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    TimelineEntry t;
    t.at = it->at;
    t.action = it->action.starts_with(prefix) ? it->action.substr(prefix.size()) : it->action;
    t.summary = it->summary;
    t.actor_id = it->actor_user_id;
    t.org_id = it->actor_org_id;
    if (t.actor_id) {
      auto [u, fresh] = users.try_emplace(*t.actor_id);
      if (fresh) {
        auto user = tx.GetUser(*t.actor_id);
        if (user.ok()) u->second = user->display_name;
      }
      t.actor_name = u->second;
    }
    if (t.org_id) {
      auto [o, fresh] = orgs.try_emplace(*t.org_id);
      if (fresh) {
        auto org = tx.GetOrg(*t.org_id);
        if (org.ok()) o->second = org->name;
      }
      t.org_name = o->second;
    }
    out.push_back(std::move(t));
  }
  return out;
}

core::Status CanVerifyChain(const Principal& p) {
  if (p.IsAdmin() || p.IsAuditor() || p.IsCoordinator()) return core::Status::Ok();
  return core::Status::Denied("仅系统管理员、审计员和依法治县办可校验审计链", "R-AUD-1")
      .En("Only administrators, auditors and the coordinator may verify the audit chain");
}

boost::json::array TimelineJson(const std::vector<TimelineEntry>& timeline) {
  namespace json = boost::json;
  json::array tl;
  for (const auto& t : timeline) {
    json::object e{{"at", core::FormatInstant(t.at)}, {"action", t.action}, {"summary", t.summary}};
    e["actor"] = t.actor_id ? json::value(json::object{{"id", *t.actor_id},
                                                       {"display_name", t.actor_name}})
                            : json::value(nullptr);
    e["org"] = t.org_id ? json::value(json::object{{"id", *t.org_id}, {"name", t.org_name}})
                        : json::value(nullptr);
    tl.push_back(std::move(e));
  }
  return tl;
}

}  // namespace xietong::service
