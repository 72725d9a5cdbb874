#include "http/views/workbench.h"

#include <boost/json/array.hpp>

#include "core/time.h"
#include "domain/duty.h"
#include "domain/org.h"
#include "domain/urging.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;

namespace {
json::object Month(core::CivilDay from, core::CivilDay to) {
  return json::object{{"from", core::FormatDay(from)}, {"to", core::FormatDay(to)}};
}
json::value Opt(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
}  // namespace

json::object WorkbenchJson(const service::Workbench& w) {
  return json::object{
      {"month", Month(w.month_from, w.month_to)},
      {"duties", json::object{{"open", w.duties_open}, {"green", w.duties_green},
                              {"yellow", w.duties_yellow}, {"red", w.duties_red}}},
      {"approvals", w.approvals},
      {"referrals", json::object{{"in", w.referrals_in}, {"out", w.referrals_out}}},
      {"collaborations", json::object{{"in", w.collaborations_in}, {"out", w.collaborations_out}}},
      {"urgings_open", w.urgings_open},
      {"unread", w.unread},
      {"coordination_queue", Opt(w.coordination_queue)},
      {"urgings_unanswered", Opt(w.urgings_unanswered)},
  };
}

json::object ApprovalsJson(const std::vector<service::ApprovalRow>& rows) {
  json::array items;
  for (const auto& r : rows) {
    items.push_back(json::object{{"type", r.type}, {"type_label", r.type_label}, {"id", r.id},
                                 {"title", r.title}, {"what", r.what}, {"rule", r.rule},
                                 {"path", r.path}, {"since", core::FormatInstant(r.since)}});
  }
  const auto n = static_cast<int64_t>(items.size());
  return json::object{{"items", std::move(items)}, {"total", n}};
}

json::object OverviewJson(const service::Overview& o) {
  json::array orgs;
  for (const auto& r : o.orgs) {
    orgs.push_back(json::object{
        {"org", json::object{{"id", r.org.id}, {"code", r.org.code}, {"name", r.org.name},
                             {"kind", domain::OrgKindName(r.org.kind)}}},
        {"open", r.open},
        {"yellow", r.yellow},
        {"red", r.red},
        {"late_this_month", r.late_this_month}});
  }
  json::array queue;
  for (const auto& q : o.queue) {
    queue.push_back(json::object{
        {"type", q.type}, {"type_label", q.type_label}, {"id", q.id}, {"title", q.title},
        {"number", q.number.empty() ? json::value(nullptr) : json::value(q.number)},
        {"rule", q.rule}, {"path", q.path}, {"since", core::FormatInstant(q.since)},
        {"colour", q.colour == domain::Colour::kNone ? json::value(nullptr)
                                                     : json::value(domain::ColourName(q.colour))}});
  }
  return json::object{{"month", Month(o.month_from, o.month_to)},
                      {"orgs", std::move(orgs)},
                      {"queue", std::move(queue)}};
}

json::object UrgingJson(const service::CoordItemView& v) {
  json::object o = CoordItemJson(v);
  o["state"] = domain::ItemStateName(domain::UrgingTable(), v.item.state);
  o["state_label"] = domain::ItemStateLabel(domain::UrgingTable(), v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

json::object UrgingListJson(const service::CoordItemList& list) { return PageJson(list, UrgingJson); }

}  // namespace xietong::http::views
