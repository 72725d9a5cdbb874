// What every workflow's JSON shares (referrals, collaboration requests, coordination items …):
// the duties a detail carries, its documents and timeline when it is the full detail, and the
// {"items","total"} shape of a list page. Pure functions: thread-safe, no I/O.
//
//   json::object o = …the workflow's own fields…;
//   AddWorkflowParts(o, v);                 // "duties"; "documents", "timeline" when v.detail
//   return PageJson(list, ReferralJson);    // {"items":[…],"total":N}
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/views/audit.h"
#include "http/views/document.h"
#include "http/views/duty.h"

namespace xietong::http::views {

// REQUIRES: V has duties, duty_org_names, calendar (non-null), now, detail, documents, timeline.
template <class V>
void AddWorkflowParts(boost::json::object& o, const V& v) {
  o["duties"] = DutiesJson(v.duties, v.duty_org_names, *v.calendar, v.now);
  if (!v.detail) return;
  boost::json::array docs;
  for (const auto& d : v.documents) docs.push_back(DocumentJson(d));
  o["documents"] = std::move(docs);
  o["timeline"] = TimelineJson(v.timeline);
}

// {"items":[item(x)…],"total":list.total}
template <class List, class Item>
boost::json::object PageJson(const List& list, Item item) {
  boost::json::array items;
  for (const auto& x : list.items) items.push_back(item(x));
  return boost::json::object{{"items", std::move(items)}, {"total", list.total}};
}

}  // namespace xietong::http::views
