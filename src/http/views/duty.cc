#include "http/views/duty.h"

#include "domain/rules.h"
#include "http/views/common.h"
#include "http/views/json_writer.h"

namespace xietong::http::views {

namespace json = boost::json;

template <class W>
void WriteDuty(W& w, const domain::Duty& d, std::string_view owner_org_name,
               const calendar::Calendar& cal, core::Instant now) {
  w.BeginObject();
  w.Field("id", d.id);
  w.Field("kind", d.kind);
  const domain::DutyKind* kind = domain::FindDutyKind(d.kind);
  w.Field("kind_label", kind ? std::string_view(kind->label_zh) : std::string_view(d.kind));
  w.Field("rule", d.rule);
  const domain::Rule* rule = domain::FindRule(d.rule);
  w.Field("rule_text", rule ? std::string_view(rule->zh) : std::string_view());
  w.Object("owner_org");
  w.Field("id", d.owner_org_id);
  w.Field("name", owner_org_name);
  w.EndObject();
  w.Field("object_type", d.object_type);
  w.Field("object_id", d.object_id);
  w.Field("title", d.title);
  w.Field("trigger_at", core::FormatInstant(d.trigger_at));
  w.Field("due_at", core::FormatInstant(d.due_at));
  w.Field("calendar_version", d.calendar_version);
  w.Field("provisional", d.provisional);
  w.Field("state", domain::DutyStateName(d.state));
  w.Field("colour", domain::ColourName(domain::ColourAt(d, now)));
  w.Key("met_at");
  WriteOptInstant(w, d.met_at);
  w.Field("on_time", d.on_time);
  w.Field("late_working_days", d.late_working_days);
  if (d.state == domain::DutyState::kOpen) {
    domain::Remaining r = domain::RemainingAt(cal, d, now);
    w.Object("remaining");
    w.Field("working_days", r.working_days);
    w.Field("hours", r.hours);
    w.Field("overdue", r.overdue);
    w.EndObject();
  } else {
    w.Field("remaining", nullptr);
  }
  w.Object("period");
  w.Field("unit", domain::PeriodUnitName(d.unit));
  w.Field("value", d.period);
  w.EndObject();
  w.EndObject();
}

template <class W>
void WriteDuties(W& w, const std::vector<domain::Duty>& duties,
                 const std::map<domain::Id, std::string>& owner_names,
                 const calendar::Calendar& cal, core::Instant now) {
  w.BeginArray();
  for (const auto& d : duties) {
    auto it = owner_names.find(d.owner_org_id);
    WriteDuty(w, d, it == owner_names.end() ? std::string_view() : std::string_view(it->second),
              cal, now);
  }
  w.EndArray();
}

template <class W>
void WriteDutyList(W& w, const service::DutyList& list) {
  w.BeginObject();
  w.Key("items");
  WriteDuties(w, list.items, list.org_names, *list.calendar, list.now);
  w.Field("total", list.total);
  w.EndObject();
}

#define XT_VIEWS_DUTY_(W)                                                                    \
  template void WriteDuty<W>(W&, const domain::Duty&, std::string_view,                     \
                             const calendar::Calendar&, core::Instant);                     \
  template void WriteDuties<W>(W&, const std::vector<domain::Duty>&,                        \
                               const std::map<domain::Id, std::string>&,                    \
                               const calendar::Calendar&, core::Instant);                   \
  template void WriteDutyList<W>(W&, const service::DutyList&);
XT_VIEWS_DUTY_(TreeWriter)
XT_VIEWS_DUTY_(TextWriter)
#undef XT_VIEWS_DUTY_

json::object DutyJson(const domain::Duty& d, std::string_view owner_org_name,
                      const calendar::Calendar& cal, core::Instant now) {
  return ToObject([&](TreeWriter& w) { WriteDuty(w, d, owner_org_name, cal, now); });
}

json::array DutiesJson(const std::vector<domain::Duty>& duties,
                       const std::map<domain::Id, std::string>& owner_names,
                       const calendar::Calendar& cal, core::Instant now) {
  return ToArray([&](TreeWriter& w) { WriteDuties(w, duties, owner_names, cal, now); });
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
  return ToObject([&](TreeWriter& w) { WriteDutyList(w, list); });
}

std::string DutyListText(const service::DutyList& list) {
  return ToText([&](TextWriter& w) { WriteDutyList(w, list); }, 1024 + 1024 * list.items.size());
}

}  // namespace xietong::http::views
