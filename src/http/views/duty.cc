#include "http/views/duty.h"

#include "domain/rules.h"
#include "http/views/common.h"

namespace xietong::http::views {

namespace json = boost::json;

json::object DutyJson(const domain::Duty& d, std::string_view owner_org_name,
                      const calendar::Calendar& cal, core::Instant now) {
  json::object o;
  o["id"] = d.id;
  o["kind"] = d.kind;
  const domain::DutyKind* kind = domain::FindDutyKind(d.kind);
  o["kind_label"] = kind ? kind->label_zh : std::string_view(d.kind);
  o["rule"] = d.rule;
  const domain::Rule* rule = domain::FindRule(d.rule);
  o["rule_text"] = rule ? rule->zh : std::string_view();
  o["owner_org"] = json::object{{"id", d.owner_org_id}, {"name", owner_org_name}};
  o["object_type"] = d.object_type;
  o["object_id"] = d.object_id;
  o["title"] = d.title;
  o["trigger_at"] = core::FormatInstant(d.trigger_at);
  o["due_at"] = core::FormatInstant(d.due_at);
  o["calendar_version"] = d.calendar_version;
  o["provisional"] = d.provisional;
  o["state"] = domain::DutyStateName(d.state);
  o["colour"] = domain::ColourName(domain::ColourAt(d, now));
  o["met_at"] = OptInstant(d.met_at);
  o["on_time"] = d.on_time ? json::value(*d.on_time) : json::value(nullptr);
  o["late_working_days"] =
      d.late_working_days ? json::value(*d.late_working_days) : json::value(nullptr);
  if (d.state == domain::DutyState::kOpen) {
    domain::Remaining r = domain::RemainingAt(cal, d, now);
    o["remaining"] =
        json::object{{"working_days", r.working_days}, {"hours", r.hours}, {"overdue", r.overdue}};
  } else {
    o["remaining"] = nullptr;
  }
  o["period"] = json::object{{"unit", domain::PeriodUnitName(d.unit)}, {"value", d.period}};
  return o;
}

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
