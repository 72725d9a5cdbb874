#include "http/views/dispute.h"

#include "domain/dispute.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

boost::json::object DisputeJson(const service::CoordItemView& v) {
  boost::json::object o = CoordItemJson(v);
  o["state"] = domain::DisputeStateName(v.item.state);
  o["state_label"] = domain::DisputeStateLabelZh(v.item.state);
  o["step"] = v.item.kind;
  o["step_label"] = domain::DisputeStepLabelZh(v.item.kind);
  o["kind"] = nullptr;
  return o;
}

boost::json::object DisputeListJson(const service::CoordItemList& list) {
  return PageJson(list, DisputeJson);
}

}  // namespace xietong::http::views
