// What every workflow's JSON shares (referrals, collaboration requests, coordination items …):
// the duties a detail carries, its documents and timeline when it is the full detail, and the
// {"items","total"} shape of a list page. Pure functions: thread-safe, no I/O.
//
//   json::object o = …the workflow's own fields…;
//   AddWorkflowParts(o, v);                 // "duties"; "documents", "timeline" when v.detail
//   WriteWorkflowParts(w, v);               // the same with a writer (json_writer.h)
//   return PageJson(list, ReferralJson);    // {"items":[…],"total":N}
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/views/audit.h"
#include "http/views/document.h"
#include "http/views/duty.h"
#include "http/views/json_writer.h"

namespace xietong::http::views {

// REQUIRES: V has duties, duty_org_names, calendar (non-null), now, detail, documents, timeline.
// The members "duties", and "documents", "timeline" when v.detail, for either writer
// (http/views/json_writer.h), inside the object being written.
template <class W, class V>
void WriteWorkflowParts(W& w, const V& v) {
  w.Key("duties");
  WriteDuties(w, v.duties, v.duty_org_names, *v.calendar, v.now);
  if (!v.detail) return;
  w.Array("documents");
  for (const auto& d : v.documents) WriteDocument(w, d);
  w.EndArray();
  w.Key("timeline");
  WriteTimeline(w, v.timeline);
}
// The same members added to a tree.
template <class V>
void AddWorkflowParts(boost::json::object& o, const V& v) {
  TreeWriter w(o);
  WriteWorkflowParts(w, v);
}

// {"items":[item(x)…],"total":list.total} for either writer; `item(w, x)` writes one.
template <class W, class List, class Item>
void WritePage(W& w, const List& list, Item item) {
  w.BeginObject();
  w.Array("items");
  for (const auto& x : list.items) item(w, x);
  w.EndArray();
  w.Field("total", list.total);
  w.EndObject();
}

// {"items":[item(x)…],"total":list.total}
template <class List, class Item>
boost::json::object PageJson(const List& list, Item item) {
  boost::json::array items;
  for (const auto& x : list.items) items.push_back(item(x));
  return boost::json::object{{"items", std::move(items)}, {"total", list.total}};
}

}  // namespace xietong::http::views
