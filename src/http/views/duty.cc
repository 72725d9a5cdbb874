#include "http/views/duty.h"

#include "http/views/common.h"

namespace xietong::http::views {

namespace json = boost::json;

json::array DutiesJson(const std::vector<domain::Duty>& duties,
                       const std::map<domain::Id, std::string>& owner_names,
                       const calendar::Calendar& cal, core::Instant now) {
  json::array out;
  for (const auto& d : duties) {
    auto it = owner_names.find(d.owner_org_id);
    out.push_back(DutyJson(d, it == owner_names.end() ? std::string_view() : it->second, cal, now));
  }
  return out;
}

json::object DutyEventJson(const domain::DutyEvent& e) {
  json::object o;
  o["id"] = e.id;
  o["at"] = core::FormatInstant(e.at);
  o["actor_user_id"] = e.actor_user_id ? json::value(*e.actor_user_id) : json::value(nullptr);
  o["kind"] = e.kind;
  o["reason"] = e.reason;
  o["old_due"] = OptInstant(e.old_due);
  o["new_due"] = OptInstant(e.new_due);
  return o;
}

json::object DutyDetailJson(const service::DutyDetail& d) {
  json::object o = DutyJson(d.duty, d.owner_org_name, *d.calendar, d.now);
  json::array events;
  for (const auto& e : d.events) events.push_back(DutyEventJson(e));
  o["events"] = std::move(events);
  return o;
}

json::object DutyListJson(const service::DutyList& list) {
  json::array items;
  for (const auto& d : list.items) {
    auto it = list.org_names.find(d.owner_org_id);
    items.push_back(DutyJson(d, it == list.org_names.end() ? std::string_view() : it->second,
                             *list.calendar, list.now));
  }
  return json::object{{"items", std::move(items)}, {"total", list.total}};
}

}  // namespace xietong::http::views
