#include "http/views/criminal_transfer.h"

#include <boost/json/array.hpp>

#include "domain/criminal_transfer.h"
#include "http/views/coord_items.h"
#include "service/criminal_transfer_service.h"

namespace xietong::http::views {

namespace json = boost::json;

json::object CriminalTransferJson(const service::CoordItemView& v) {
  json::object o = CoordItemJson(v);
  o["state"] = domain::CrimeStateName(v.item.state);
  o["state_label"] = domain::CrimeStateLabelZh(v.item.state);
  o["agency_late"] = service::CriminalTransferService::AgencyLate(v);
  json::array& duties = o["duties"].as_array();
  for (size_t i = 0; i < duties.size() && i < v.duties.size(); ++i) {
    const domain::Duty& d = v.duties[i];
    const bool open = d.state == domain::DutyState::kOpen || d.state == domain::DutyState::kSuspended;
    duties[i].as_object()["late"] = (d.on_time && !*d.on_time) || (open && v.now >= d.due_at);
  }
  return o;
}

json::object CriminalTransferListJson(const service::CoordItemList& list) {
  json::array items;
  for (const auto& v : list.items) items.push_back(CriminalTransferJson(v));
  return json::object{{"items", std::move(items)}, {"total", list.total}};
}

}  // namespace xietong::http::views
