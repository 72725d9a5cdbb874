#include "http/views/audit.h"

#include "core/time.h"

namespace xietong::http::views {

namespace json = boost::json;

json::object AuditEntryJson(const domain::AuditEntry& e) {
  json::object o;
  o["seq"] = e.seq;
  o["at"] = core::FormatInstant(e.at);
  o["actor_user_id"] = e.actor_user_id ? json::value(*e.actor_user_id) : nullptr;
  o["actor_org_id"] = e.actor_org_id ? json::value(*e.actor_org_id) : nullptr;
  o["action"] = e.action;
  o["object_type"] = e.object_type;
  o["object_id"] = e.object_id;
  o["summary"] = e.summary;
  o["detail"] = e.detail;
  o["hash"] = e.hash;
  o["prev_hash"] = e.prev_hash;
  return o;
}

json::object AuditViewJson(const service::AuditView& v) {
  json::object o = AuditEntryJson(v.entry);
  o["actor"] = v.actor ? json::value(json::object{{"id", v.actor->id},
                                                  {"username", v.actor->username},
                                                  {"display_name", v.actor->display_name}})
                       : json::value(nullptr);
  o["org"] = v.org ? json::value(json::object{{"id", v.org->id}, {"name", v.org->name}})
                   : json::value(nullptr);
  return o;
}

json::array TimelineJson(const std::vector<service::TimelineEntry>& timeline) {
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

}  // namespace xietong::http::views
