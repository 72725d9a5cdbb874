#include "http/views/complaint.h"

#include "domain/complaint.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;

json::object ComplaintJson(const service::ComplaintView& v) {
  json::object o = CoordItemJson(v);  // the item's shape, its fields, duties, documents, timeline
  o["state"] = domain::ComplaintStateName(v.item.state);
  o["state_label"] = domain::ComplaintStateLabelZh(v.item.state);
  o.erase("messages");  // complaints have no thread
  o["to_org"] = nullptr;
  return o;
}

json::object ComplaintListJson(const service::ComplaintList& list) {
  return PageJson(list, ComplaintJson);
}

namespace {
json::object Counts(const service::ComplaintStatsRow& r) {
  json::object o{{"registered", r.registered},       {"replied", r.replied},
                 {"replied_on_time", r.replied_on_time}, {"replied_late", r.replied_late},
                 {"referred", r.referred},           {"closed_no_reply", r.closed_no_reply},
                 {"open", r.open},                   {"open_overdue", r.open_overdue}};
  o["on_time_rate"] = r.replied > 0 ? json::value(static_cast<double>(r.replied_on_time) /
                                                  static_cast<double>(r.replied))
                                    : json::value(nullptr);
  return o;
}
}  // namespace

json::object ComplaintStatsJson(const service::ComplaintStats& s) {
  json::array orgs;
  for (const auto& r : s.orgs) {
    json::object o = Counts(r);
    o["org"] = json::object{{"id", r.org_id}, {"name", r.org_name}};
    orgs.push_back(std::move(o));
  }
  return json::object{{"from", s.from ? json::value(core::FormatDay(*s.from)) : json::value(nullptr)},
                      {"to", s.to ? json::value(core::FormatDay(*s.to)) : json::value(nullptr)},
                      {"orgs", std::move(orgs)},
                      {"total", Counts(s.total)}};
}

}  // namespace xietong::http::views
