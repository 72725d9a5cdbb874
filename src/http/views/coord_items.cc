#include "http/views/coord_items.h"

#include <boost/json/array.hpp>
#include <string_view>

#include "core/time.h"
#include "http/views/document.h"
#include "http/views/duty.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;

namespace {

// An org the view names, {"id","code","name"}, or null when it was not found.
json::value OrgRef(const service::CoordItemView& v, domain::Id id) {
  auto o = v.orgs.find(id);
  if (o == v.orgs.end()) return nullptr;
  return json::object{{"id", o->second.id}, {"code", o->second.code}, {"name", o->second.name}};
}
// A person the view names, {"id","display_name"}, or null when not found.
json::value UserRef(const service::CoordItemView& v, domain::Id id) {
  auto u = v.users.find(id);
  if (u == v.users.end()) return nullptr;
  return json::object{{"id", u->second.id}, {"display_name", u->second.display_name}};
}

}  // namespace

json::object CoordItemJson(const service::CoordItemView& v) {
  const domain::CoordItem& it = v.item;
  json::object o;
  o["id"] = it.id;
  o["type"] = domain::CoordTypeName(it.type);
  o["number"] = it.number ? json::value(*it.number) : json::value(nullptr);
  o["state"] = domain::CoordStateName(it.type, it.state);
  o["state_label"] = domain::CoordStateLabelZh(it.type, it.state);
  o["from_org"] = OrgRef(v, it.from_org_id);
  o["to_org"] = it.to_org_id ? OrgRef(v, *it.to_org_id) : json::value(nullptr);
  o["title"] = it.title;
  o["kind"] = it.kind.empty() ? json::value(nullptr) : json::value(it.kind);
  o["referral_id"] = it.referral_id ? json::value(*it.referral_id) : json::value(nullptr);
  o["created_by"] = UserRef(v, it.created_by);
  o["created_at"] = core::FormatInstant(it.created_at);
  o["updated_at"] = core::FormatInstant(it.updated_at);
  for (const auto& kv : v.fields) o[kv.key()] = kv.value();
  o["colour"] = v.colour ? json::value(domain::ColourName(*v.colour)) : json::value(nullptr);
  json::array duties;
  for (const auto& d : v.duties) {
    auto owner = v.orgs.find(d.owner_org_id);
    duties.push_back(DutyJson(d, owner == v.orgs.end() ? std::string_view() : owner->second.name,
                              *v.calendar, v.now));
  }
  o["duties"] = std::move(duties);
  if (v.detail) {
    json::array docs;
    for (const auto& d : v.documents) docs.push_back(DocumentJson(d));
    o["documents"] = std::move(docs);
    json::array messages;
    for (const auto& m : v.messages) {
      messages.push_back(json::object{{"id", m.id}, {"at", core::FormatInstant(m.at)},
                                      {"text", m.text}, {"by", UserRef(v, m.user_id)},
                                      {"org", OrgRef(v, m.org_id)}});
    }
    o["messages"] = std::move(messages);
    json::array timeline;
    for (const auto& e : v.timeline) {
      json::object row{{"at", core::FormatInstant(e.at)}, {"action", e.action},
                       {"summary", e.summary}};
      row["actor"] = e.actor_id ? UserRef(v, *e.actor_id) : json::value(nullptr);
      row["org"] = e.org_id ? OrgRef(v, *e.org_id) : json::value(nullptr);
      timeline.push_back(std::move(row));
    }
    o["timeline"] = std::move(timeline);
  }
  return o;
}

json::object CoordItemListJson(const service::CoordItemList& list) {
  return PageJson(list, CoordItemJson);
}

}  // namespace xietong::http::views
