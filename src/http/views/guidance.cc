#include "http/views/guidance.h"

#include "core/time.h"
#include "domain/guidance.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;

namespace {
const domain::ItemTable& TableOf(domain::CoordType t) {
  return t == domain::CoordType::kGuidanceRequest ? domain::GuidanceRequestTable()
         : t == domain::CoordType::kTraining      ? domain::TrainingTable()
                                                  : domain::TechSupportTable();
}
json::object OrgBrief(const domain::Org& o) {
  return json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}};
}
}  // namespace

json::object GuidanceItemJson(const service::CoordItemView& v) {
  json::object o = CoordItemJson(v);
  const domain::ItemTable& t = TableOf(v.item.type);
  o["state"] = domain::ItemStateName(t, v.item.state);
  o["state_label"] = domain::ItemStateLabel(t, v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

json::object GuidanceListJson(const service::CoordItemList& list) {
  return PageJson(list, GuidanceItemJson);
}

json::object TrainingSummaryJson(const service::TrainingSummary& s) {
  json::array depts;
  for (const auto& d : s.departments) {
    depts.push_back(json::object{{"org", OrgBrief(d.org)},
                                 {"held", d.held},
                                 {"planned", d.planned},
                                 {"hours", d.hours},
                                 {"minimum", d.minimum},
                                 {"colour", d.colour.empty() ? json::value(nullptr) : json::value(d.colour)}});
  }
  json::array officers;
  for (const auto& o : s.officers) {
    officers.push_back(json::object{{"user", json::object{{"id", o.user.id}, {"display_name", o.user.display_name}}},
                                    {"org", OrgBrief(o.org)},
                                    {"hours", o.hours},
                                    {"trainings", o.trainings}});
  }
  return json::object{{"year", s.year},
                      {"minimum", s.minimum},
                      {"today", core::FormatDay(s.today)},
                      {"departments", std::move(depts)},
                      {"officers", std::move(officers)}};
}

}  // namespace xietong::http::views
