#include "http/views/assessment.h"

#include <boost/json.hpp>

#include "core/time.h"
#include "domain/assessment.h"
#include "domain/org.h"
#include "http/views/coord_items.h"

namespace xietong::http::views {

namespace json = boost::json;
namespace as = domain::assessment;

namespace {
json::value Opt(const std::optional<core::Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}
json::object PeriodJson(const as::Period& p) {
  return json::object{{"label", p.label}, {"from", core::FormatDay(p.from)}, {"to", core::FormatDay(p.to)}};
}
json::object OrgRefJson(const domain::Org& o) {
  return json::object{{"id", o.id},
                      {"code", o.code},
                      {"name", o.name},
                      {"short_name", o.short_name},
                      {"kind", domain::OrgKindName(o.kind)}};
}
}  // namespace

json::object AssessmentFactJson(const service::AssessmentFact& f) {
  return json::object{{"type", f.type},
                      {"id", f.id},
                      {"title", f.title},
                      {"kind", f.kind},
                      {"rule", f.rule},
                      {"due_at", Opt(f.due_at)},
                      {"met_at", Opt(f.met_at)},
                      {"at", Opt(f.at)},
                      {"counted", f.counted},
                      {"times", f.times},
                      {"org_id", f.org_id},
                      {"path", f.path},
                      {"number", f.number ? json::value(*f.number) : json::value(nullptr)}};
}

json::object AssessmentFactsJson(domain::Id org_id, std::string_view indicator, const as::Period& period,
                                 const std::vector<service::AssessmentFact>& facts) {
  const as::Indicator* i = as::FindIndicator(indicator);
  json::array items;
  for (const auto& f : facts) items.push_back(AssessmentFactJson(f));
  return json::object{{"org_id", org_id},
                      {"indicator", json::object{{"id", i->id},
                                                 {"rule", i->rule},
                                                 {"label", i->label_zh},
                                                 {"explain", i->explain_zh}}},
                      {"period", PeriodJson(period)},
                      {"items", std::move(items)}};
}

json::object AssessmentItemJson(const service::CoordItemView& v) {
  json::object o = CoordItemJson(v);
  const domain::ItemTable& t = v.item.type == domain::CoordType::kCircular ? domain::CircularTable()
                                                                             : domain::AccountabilityTable();
  o["state"] = domain::ItemStateName(t, v.item.state);
  o["state_label"] = domain::ItemStateLabel(t, v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

json::object AssessmentOrgJson(const service::AssessmentService::OrgPage& page) {
  json::array against, circulars, acc, published;
  // What counts against the org: its late and overdue duties, then circulars and accountability.
  if (!page.assessment.orgs.empty()) {
    const auto& facts = page.assessment.orgs[0].facts;
    for (const char* id : {"late_met", "overdue_open", "circulars", "accountability"}) {
      auto it = facts.find(id);
      if (it == facts.end()) continue;
      for (const auto& f : it->second) {
        json::object o = AssessmentFactJson(f);
        o["indicator"] = id;
        against.push_back(std::move(o));
      }
    }
  }
  for (const auto& v : page.circulars) circulars.push_back(AssessmentItemJson(v));
  for (const auto& v : page.accountability) acc.push_back(AssessmentItemJson(v));
  for (const auto& p : page.published) {
    published.push_back(json::object{{"result_id", p.result_id}, {"period", p.period}, {"score", p.score}, {"rank", p.rank}});
  }
  return json::object{{"assessment", service::AssessmentJson(page.assessment)},
                      {"against", std::move(against)},
                      {"circulars", std::move(circulars)},
                      {"accountability", std::move(acc)},
                      {"published", std::move(published)}};
}

json::object AssessmentDashboardJson(const service::AssessmentDashboard& d) {
  json::array trend, orgs, flow;
  for (const auto& m : d.trend) {
    trend.push_back(json::object{
        {"month", m.month},
        {"counted", m.counted},
        {"on_time", m.on_time},
        {"rate", m.counted ? json::value(static_cast<double>(m.on_time) / static_cast<double>(m.counted))
                           : json::value(nullptr)}});
  }
  for (const auto& o : d.year_result.orgs) {
    const auto& rate = o.values.at("on_time_rate");
    orgs.push_back(json::object{{"org", OrgRefJson(o.org)},
                                {"score", o.score},
                                {"rank", o.rank},
                                {"on_time_rate", rate.value ? json::value(*rate.value) : json::value(nullptr)},
                                {"late_met", o.values.at("late_met").num},
                                {"overdue_open", o.values.at("overdue_open").num}});
  }
  for (const auto& f : d.flow) flow.push_back(json::object{{"from", f.from}, {"to", f.to}, {"count", f.count}});
  return json::object{{"year", d.year}, {"trend", std::move(trend)}, {"orgs", std::move(orgs)}, {"flow", std::move(flow)}};
}

json::object SchemeViewJson(const service::SchemeView& v) {
  json::object o = service::SchemeJson(v.scheme);
  o["id"] = v.id ? json::value(*v.id) : json::value(nullptr);
  o["created_at"] = Opt(v.created_at);
  o["created_by"] = v.created_by ? json::value(*v.created_by) : json::value(nullptr);
  return o;
}

json::object AssessmentResultJson(const storage::AssessmentResultRow& r, bool full) {
  json::object o{{"id", r.id},
                 {"period", r.period},
                 {"from", r.from},
                 {"to", r.to},
                 {"scheme_id", r.scheme_id},
                 {"published_at", core::FormatInstant(r.published_at)},
                 {"published_by", r.published_by}};
  if (full) o["result"] = json::parse(r.data);
  return o;
}

}  // namespace xietong::http::views
