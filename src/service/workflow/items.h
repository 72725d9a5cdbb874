// What the services of the workflows stored as items (domain::CoordItem in coord_items: notices,
// meetings, participation requests, violation notices, disputes, criminal transfers, complaints,
// court enforcement applications, police support requests) share besides the step runner
// (service/workflow/step.h): the entity of a step with its own fields parsed, the not-found
// answer, and the small JSON and text helpers of their handlers. Thread-safe (pure functions).
//
//   struct DisputeService::Entity : workflow::ItemEntity {};
//   XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
//   Entity e = workflow::ParseItem<Entity>(std::move(it));
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/coord_items.h"
#include "domain/org.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service::workflow {

// The item of a step with the type's own fields parsed (saved back into `data` by Save).
struct ItemEntity : domain::CoordItem {
  boost::json::object fields;
};
// `it` as an entity E (an ItemEntity), its data parsed. REQUIRES: it.data is a JSON object (as
// every stored item's is).
template <class E>
E ParseItem(domain::CoordItem it) {
  E e;
  static_cast<domain::CoordItem&>(e) = std::move(it);
  e.fields = boost::json::parse(e.data).as_object();
  return e;
}

// The subject of an item's steps for the runner: its type name (duty object type, audit prefix),
// id and creator; every step is its own event (replies, messages and decisions repeat, possibly
// within one millisecond, and each must reach its readers) and the actor is not told of their
// own act; its documents carry the item's page ("record_url": "/<path>/<id>") and are linked to
// it (coord_item_documents).
Subject ItemSubject(const domain::CoordItem& e);
// Saves a step's entity: updated_at = now, the fields serialized into `data`, and the item's
// attached files (`files`, for file access).
core::Status SaveItem(storage::Tx& tx, ItemEntity& e, core::Instant now,
                      const std::vector<std::string>& files);

// not_found "id" (R-ACC-1): "<类型>不存在" / "No such <type>" — for a missing item, one of
// another type, or one the principal may not see (the same answer, so nothing leaks).
core::Status ItemNotFound(domain::CoordType t);

// The orgs an item's coordinator decides between (R-ACC-2, Principal::CoordinatesBetween): its
// sender and its addressee, when it has one.
inline std::vector<domain::Id> CoordinatedOrgs(const domain::CoordItem& e) {
  std::vector<domain::Id> ids{e.from_org_id};
  if (e.to_org_id) ids.push_back(*e.to_org_id);
  return ids;
}

// An officer, leader or liaison (who acts for an org in its workflows).
inline bool IsStaff(const Principal& p) {
  return p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader) ||
         p.Has(domain::Role::kLiaison);
}

// {"id","code","name"} of an org and {"id","display_name"} of a user, as items store them.
boost::json::object OrgRef(const domain::Org& o);
boost::json::object UserRef(const domain::User& u);

// `s` cut to `chars` characters (UTF-8), with "…" when cut.
std::string Snip(const std::string& s, size_t chars);

// A store answer whose not_found means "none"; any other failure propagates.
template <class T>
core::Result<std::optional<T>> Maybe(core::Result<T> r) {
  if (r.ok()) return std::optional<T>(std::move(r).value());
  if (r.status().code() == core::Code::kNotFound) return std::optional<T>();
  return r.status();
}

}  // namespace xietong::service::workflow
