#include "http/views/plan.h"

#include "domain/plan.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

boost::json::object PlanJson(const service::CoordItemView& v) {
  boost::json::object o = CoordItemJson(v);
  const domain::ItemTable& t = v.item.type == domain::CoordType::kAnnualPlan
                                   ? domain::AnnualPlanTable()
                                   : domain::PlanTaskTable();
  o["state"] = domain::ItemStateName(t, v.item.state);
  o["state_label"] = domain::ItemStateLabel(t, v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

boost::json::object PlanListJson(const service::CoordItemList& list) {
  return PageJson(list, PlanJson);
}

}  // namespace xietong::http::views
