#include "http/views/collab_item.h"

#include <boost/json/array.hpp>

#include "core/time.h"

namespace xietong::http::views {

namespace json = boost::json;

namespace {
json::object OrgJson(const service::CollabItemOrg& o) {
  return json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}};
}
}  // namespace

json::object CollabItemJson(const service::CollabItem& it) {
  json::object o;
  o["type"] = it.type;
  o["id"] = it.id;
  o["number"] = it.number ? json::value(*it.number) : json::value(nullptr);
  o["title"] = it.title;
  o["from_org"] = OrgJson(it.from_org);
  o["to_org"] = it.to_org ? json::value(OrgJson(*it.to_org)) : json::value(nullptr);
  o["state"] = it.state;
  o["state_label"] = it.state_label;
  o["colour"] = it.colour == domain::Colour::kNone ? json::value(nullptr)
                                                   : json::value(domain::ColourName(it.colour));
  o["due_at"] = it.due_at ? json::value(core::FormatInstant(*it.due_at)) : json::value(nullptr);
  o["created_at"] = core::FormatInstant(it.created_at);
  o["url"] = it.url;
  return o;
}

json::object CollabItemPageJson(const service::CollabItemPage& page) {
  json::array items;
  items.reserve(page.items.size());
  for (const auto& it : page.items) items.push_back(CollabItemJson(it));
  return json::object{{"items", std::move(items)}, {"total", page.total}};
}

}  // namespace xietong::http::views
