#include "service/item_list.h"

#include <vector>

#include "domain/referral.h"
#include "service/region_service.h"

namespace xietong::service {

using core::Result;
using core::Status;

Result<CoordItemList> ListItems(
    storage::Store& store, const Principal& p, const ItemListSpec& spec, const CoordQuery& q,
    core::Instant now,
    const std::function<Result<CoordItemView>(storage::Tx&, const domain::CoordItem&)>& render) {
  const std::string& rule = spec.rule;
  storage::CoordItemFilter f;
  f.type = spec.type;
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  if (q.direction == "in") {
    f.involving_org_id = p.org.id;
    f.not_from_org_id = p.org.id;
  } else if (q.direction == "out" && spec.outgoing) {
    f.from_org_id = p.org.id;
  } else if (!q.direction.empty() && q.direction != "all") {
    return spec.outgoing
               ? Status::Invalid("direction", "direction 应为 in|out|all", rule, "invalid_value")
                     .En("direction must be in, out or all")
               : Status::Invalid("direction", "direction 应为 in|all", rule, "invalid_value")
                     .En("direction must be in or all");
  }
  if (!q.state.empty()) {
    auto s = spec.table ? domain::ParseItemState(*spec.table, q.state) : std::nullopt;
    if (!s) {
      return Status::Invalid("state", "未知状态：" + q.state, rule, "invalid_value").En("Unknown state: " + q.state);
    }
    f.states.push_back(*s);
  }
  if (!q.kind.empty()) {
    if (spec.kind_ok && !spec.kind_ok(q.kind)) {
      return Status::Invalid("kind", "未知类别：" + q.kind, rule, "invalid_value").En("Unknown kind: " + q.kind);
    }
    f.kind = q.kind;
  }
  if (q.org) {
    // An org whose items the principal does not see together with its own: nothing to list.
    if (f.involving_org_id && *f.involving_org_id != *q.org) return CoordItemList{};
    f.involving_org_id = *q.org;
  }
  if (!q.colour.empty()) {
    auto c = domain::ParseColour(q.colour);
    if (!c || *c == domain::Colour::kNone) {
      return Status::Invalid("colour", "colour 应为 green|yellow|red", "R-TIME-4", "invalid_value")
          .En("colour must be green, yellow or red");
    }
    f.colour = c;
    f.now = now;
  }
  if (domain::Utf8Length(q.q) > 100) {
    return Status::Invalid("q", "q 不能超过100个字", rule, "too_long").En("q is longer than 100 characters");
  }
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "page 应≥1", rule, "invalid_value").En("page must be >= 1");
  if (q.page_size < 1 || q.page_size > 200) {
    return Status::Invalid("page_size", "page_size 应为1至200", rule, "invalid_value").En("page_size must be 1..200");
  }
  CoordItemList out;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out.total, tx.CountCoordItems(f));
    f.offset = (q.page - 1) * q.page_size;
    f.limit = q.page_size;
    XT_ASSIGN_OR_RETURN(std::vector<domain::CoordItem> rows, tx.ListCoordItems(f));
    for (const auto& it : rows) {
      XT_ASSIGN_OR_RETURN(CoordItemView v, render(tx, it));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
