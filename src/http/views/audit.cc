#include "http/views/audit.h"

#include "core/time.h"
#include "http/views/json_writer.h"

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

template <class W>
void WriteTimeline(W& w, const std::vector<service::TimelineEntry>& timeline) {
  w.BeginArray();
  for (const auto& t : timeline) {
    w.BeginObject();
    w.Field("at", core::FormatInstant(t.at));
    w.Field("action", t.action);
    w.Field("summary", t.summary);
    if (t.actor_id) {
      w.Object("actor");
      w.Field("id", *t.actor_id);
      w.Field("display_name", t.actor_name);
      w.EndObject();
    } else {
      w.Field("actor", nullptr);
    }
    if (t.org_id) {
      w.Object("org");
      w.Field("id", *t.org_id);
      w.Field("name", t.org_name);
      w.EndObject();
    } else {
      w.Field("org", nullptr);
    }
    w.EndObject();
  }
  w.EndArray();
}
template void WriteTimeline<TreeWriter>(TreeWriter&, const std::vector<service::TimelineEntry>&);
template void WriteTimeline<TextWriter>(TextWriter&, const std::vector<service::TimelineEntry>&);

json::array TimelineJson(const std::vector<service::TimelineEntry>& timeline) {
  return ToArray([&](TreeWriter& w) { WriteTimeline(w, timeline); });
}

}  // namespace xietong::http::views
