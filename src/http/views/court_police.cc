#include "http/views/court_police.h"

#include "domain/court_enforcement.h"
#include "domain/police_support.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

boost::json::object CourtPoliceJson(const service::CoordItemView& v) {
  boost::json::object o = CoordItemJson(v);
  const domain::ItemTable& t = v.item.type == domain::CoordType::kCourtEnforcement
                                   ? domain::CourtEnforcementTable()
                                   : domain::PoliceSupportTable();
  o["state"] = domain::ItemStateName(t, v.item.state);
  o["state_label"] = domain::ItemStateLabel(t, v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

boost::json::object CourtPoliceListJson(const service::CoordItemList& list) {
  return PageJson(list, CourtPoliceJson);
}

}  // namespace xietong::http::views
