#include "http/views/shared_info.h"

#include <boost/json/array.hpp>

#include "core/time.h"
#include "domain/shared_info.h"
#include "http/views/coord_items.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;

namespace {
json::value OrgOf(const std::optional<domain::Org>& o) {
  if (!o) return nullptr;
  return json::object{{"id", o->id}, {"code", o->code}, {"name", o->name}};
}
json::value Day(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }
}  // namespace

json::object SharedInfoJson(const service::CoordItemView& v) {
  json::object o = CoordItemJson(v);
  const domain::ItemTable& t = v.item.type == domain::CoordType::kMaterial ? domain::MaterialTable()
                                                                           : domain::PenaltyFilingTable();
  o["state"] = domain::ItemStateName(t, v.item.state);
  o["state_label"] = domain::ItemStateLabel(t, v.item.state);
  o["type_label"] = domain::CoordTypeLabelZh(v.item.type);
  return o;
}

json::object SharedInfoListJson(const service::CoordItemList& list) { return PageJson(list, SharedInfoJson); }

json::object ApprovalJson(const service::ApprovalView& v) {
  const domain::Approval& a = v.a;
  return json::object{{"id", a.id},
                      {"holder", a.holder},
                      {"credit_code", a.credit_code},
                      {"decision_number", a.decision_number},
                      {"category", a.category},
                      {"content", a.content},
                      {"decision_date", a.decision_date},
                      {"valid_from", Day(a.valid_from)},
                      {"valid_to", Day(a.valid_to)},
                      {"authority", a.authority},
                      {"address", a.address},
                      {"township", OrgOf(v.township)},
                      {"recorded_by_org", OrgOf(v.recorded_by)},
                      {"read", v.feed ? json::value(a.read) : json::value(nullptr)},
                      {"created_at", core::FormatInstant(a.created_at)},
                      {"updated_at", core::FormatInstant(a.updated_at)}};
}

json::object ApprovalPageJson(const service::ApprovalPage& page) {
  json::array items;
  for (const auto& v : page.items) items.push_back(ApprovalJson(v));
  return json::object{{"items", std::move(items)},
                      {"total", page.total},
                      {"unread", page.unread ? json::value(*page.unread) : json::value(nullptr)}};
}

}  // namespace xietong::http::views
