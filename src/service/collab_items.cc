#include "service/collab_items.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "domain/collaboration.h"
#include "domain/referral.h"  // Utf8Length
#include "service/collaboration_service.h"
#include "service/csv.h"
#include "service/duty_service.h"
#include "service/region_service.h"

namespace xietong::service {

using core::Result;
using core::Status;
using domain::Id;

namespace {

constexpr size_t kMaxQueryChars = 100;

CollabItemOrg OrgOf(const domain::Org& o) { return CollabItemOrg{o.id, o.code, o.name}; }

// Newest first; ties by type name, then the newer (higher) id first.
bool Before(const CollabItem& a, const CollabItem& b) {
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  if (a.type != b.type) return a.type < b.type;
  return a.id > b.id;
}

// ---- Collaboration requests (R-COL-1..4) ----------------------------------------------------

class CollaborationItemSource final : public CollabItemSource {
 public:
  explicit CollaborationItemSource(CollaborationService& collaborations)
      : collaborations_(collaborations) {}

  std::string_view Type() const override { return "collaboration"; }
  std::string_view TypeLabelZh() const override { return "执法协作文书"; }
  bool HasState(std::string_view state) const override {
    return domain::ParseCollabState(state).has_value();
  }

  Result<CollabItemSlice> List(const Principal& p, const CollabItemFilter& f,
                               int limit) override {
    // A state of another type ("notified" with no type given): none of ours.
    if (!f.state.empty() && !HasState(f.state)) return CollabItemSlice{};
    // CollaborationService::List applies visibility (R-ACC-1) and the filters in the store;
    // its total is the store's count.
    CollaborationQuery q;
    q.direction = f.direction == CollabDirection::kIn    ? "in"
                  : f.direction == CollabDirection::kOut ? "out"
                                                         : "all";
    q.state = f.state;
    if (f.colour != domain::Colour::kNone) q.colour = std::string(domain::ColourName(f.colour));
    q.q = f.q;
    limit = std::clamp(limit, 0, kMaxCollabItemsPerSource);
    q.page_size = std::clamp(limit, 1, 200);  // the service's largest page
    CollabItemSlice out;
    for (q.page = 1;; ++q.page) {
      XT_ASSIGN_OR_RETURN(CollaborationList list, collaborations_.List(p, q));
      if (q.page == 1) out.total = list.total;
      for (const auto& v : list.items) {
        if (static_cast<int>(out.items.size()) >= limit) break;
        out.items.push_back(ItemOf(v));
      }
      if (list.items.empty() || static_cast<int>(out.items.size()) >= limit ||
          static_cast<int64_t>(q.page) * q.page_size >= list.total) {
        break;
      }
    }
    return out;
  }

 private:
  static CollabItem ItemOf(const CollaborationView& v) {
    const domain::Collaboration& c = v.c;
    CollabItem it;
    it.type = "collaboration";
    it.id = c.id;
    it.number = c.number;
    it.title = c.title;
    it.from_org = OrgOf(v.from_org);
    it.to_org = OrgOf(v.to_org);
    it.state = std::string(domain::CollabStateName(c.state));
    it.state_label = std::string(domain::CollabStateLabelZh(c.state));
    it.colour = v.colour;
    // The due of the earliest-due open duty, the one the colour belongs to.
    const domain::Duty* first = nullptr;
    for (const auto& d : v.duties) {
      if (d.state != domain::DutyState::kOpen) continue;
      if (!first || d.due_at < first->due_at || (d.due_at == first->due_at && d.id < first->id)) {
        first = &d;
      }
    }
    if (first) it.due_at = first->due_at;
    it.created_at = c.created_at;
    it.url = "/collaborations/" + std::to_string(c.id);
    return it;
  }

  CollaborationService& collaborations_;
};

// ---- Notices, meetings, participation, violation notices (R-COL-5..8) -----------------------

class CoordItemSource final : public CollabItemSource {
 public:
  CoordItemSource(storage::Store& store, const core::Clock& clock, domain::CoordType t)
      : store_(store), clock_(clock), type_(t) {}

  std::string_view Type() const override { return domain::CoordTypeName(type_); }
  std::string_view TypeLabelZh() const override { return domain::CoordTypeLabelZh(type_); }
  bool HasState(std::string_view state) const override {
    return domain::ParseCoordState(type_, state).has_value();
  }

  Result<CollabItemSlice> List(const Principal& p, const CollabItemFilter& f,
                               int limit) override {
    storage::CoordItemFilter sf;
    sf.type = type_;
    if (!f.state.empty()) {
      std::optional<int> state = domain::ParseCoordState(type_, f.state);
      if (!state) return CollabItemSlice{};
      sf.states = {*state};
    }
    // R-ACC-1 as CoordItemService::CanSee: the org is involved (from, to, invited, owner) —
    // coord_item_orgs holds every involved org, the sender and the addressee included.
    const Id me = p.org.id;
    ApplyScope(p, sf);  // R-ACC-1, R-ACC-2
    if (f.direction == CollabDirection::kIn) sf.involving_org_id = me;
    if (f.direction == CollabDirection::kOut) sf.from_org_id = me;
    if (f.direction == CollabDirection::kIn) sf.not_from_org_id = me;
    sf.text = f.q;
    const core::Instant now = clock_.Now();
    if (f.colour != domain::Colour::kNone) {
      sf.colour = f.colour;
      sf.now = now;
    }
    sf.offset = 0;
    sf.limit = std::clamp(limit, 0, kMaxCollabItemsPerSource);

    CollabItemSlice out;
    std::vector<domain::CoordItem> rows;
    std::map<Id, std::vector<domain::Duty>> duties;
    std::map<Id, domain::Org> orgs;
    XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
      rows.clear();
      duties.clear();
      orgs.clear();
      XT_ASSIGN_OR_RETURN(out.total, tx.CountCoordItems(sf));
      if (sf.limit == 0 || out.total == 0) return Status::Ok();
      XT_ASSIGN_OR_RETURN(rows, tx.ListCoordItems(sf));
      std::vector<Id> ids;
      std::vector<Id> org_ids;
      for (const auto& it : rows) {
        ids.push_back(it.id);
        org_ids.push_back(it.from_org_id);
        if (it.to_org_id) org_ids.push_back(*it.to_org_id);
      }
      XT_ASSIGN_OR_RETURN(duties, DutiesOfObjects(tx, Type(), ids));
      XT_ASSIGN_OR_RETURN(std::vector<domain::Org> found, tx.GetOrgsByIds(org_ids));
      for (auto& o : found) orgs.emplace(o.id, std::move(o));
      return Status::Ok();
    }));
    auto org = [&](Id id) {
      auto o = orgs.find(id);
      return o == orgs.end() ? CollabItemOrg{id, "", ""} : OrgOf(o->second);
    };
    for (const auto& s : rows) {
      CollabItem it;
      it.type = std::string(Type());
      it.id = s.id;
      it.number = s.number;
      it.title = s.title;
      it.from_org = org(s.from_org_id);
      if (s.to_org_id) it.to_org = org(*s.to_org_id);
      it.state = std::string(domain::CoordStateName(type_, s.state));
      it.state_label = std::string(domain::CoordStateLabelZh(type_, s.state));
      if (auto d = duties.find(s.id); d != duties.end()) {
        if (const domain::Duty* first = EarliestOpenDuty(d->second)) {
          it.colour = domain::ColourAt(*first, now);
          it.due_at = first->due_at;
        }
      }
      it.created_at = s.created_at;
      it.url = UiPrefix() + std::to_string(s.id);
      out.items.push_back(std::move(it));
    }
    return out;
  }

 private:
  std::string UiPrefix() const {
    return "/" + std::string(domain::CoordTypePath(type_)) + "/";
  }

  storage::Store& store_;
  const core::Clock& clock_;
  domain::CoordType type_;
};

}  // namespace

// ---- Registry -------------------------------------------------------------------------------

void CollabItemRegistry::Register(std::shared_ptr<CollabItemSource> source) {
  if (!source) throw std::logic_error("CollabItemRegistry::Register: null source");
  for (const auto& s : sources_) {
    if (s->Type() == source->Type()) {
      throw std::logic_error("CollabItemRegistry::Register: type registered twice: " +
                             std::string(source->Type()));
    }
  }
  sources_.push_back(std::move(source));
}

Result<CollabItemFilter> CollabItemRegistry::Validate(const CollabItemQuery& q) const {
  CollabItemFilter f;
  if (!q.type.empty() && q.type != "all") {
    const bool known = std::any_of(sources_.begin(), sources_.end(),
                                   [&](const auto& s) { return s->Type() == q.type; });
    if (!known) {
      std::string names;
      for (const auto& s : sources_) names += (names.empty() ? "" : "、") + std::string(s->Type());
      return Status::Invalid("type", "未知的协作类型：" + q.type + "（应为 " + names + "）", {},
                             "invalid_value")
          .En("type must be one of the item types (" + names + ")");
    }
    f.type = q.type;
  }
  if (q.direction.empty() || q.direction == "all") {
    f.direction = CollabDirection::kAll;
  } else if (q.direction == "in") {
    f.direction = CollabDirection::kIn;
  } else if (q.direction == "out") {
    f.direction = CollabDirection::kOut;
  } else {
    return Status::Invalid("direction", "方向应为 in、out 或 all", {}, "invalid_value")
        .En("direction must be in, out or all");
  }
  if (!q.state.empty()) {
    const bool known = std::any_of(sources_.begin(), sources_.end(), [&](const auto& s) {
      return (f.type.empty() || s->Type() == f.type) && s->HasState(q.state);
    });
    if (!known) {
      return Status::Invalid("state", "未知的状态：" + q.state, {}, "invalid_value")
          .En("Unknown state for the item type(s)");
    }
    f.state = q.state;
  }
  if (!q.colour.empty()) {
    XT_ASSIGN_OR_RETURN(f.colour, domain::ParseColourFilter(q.colour, "invalid_value"));
  }
  if (domain::Utf8Length(q.q) > kMaxQueryChars) {
    return Status::Invalid("q", "搜索文字不能超过100字", {}, "too_long").En("q is too long");
  }
  f.q = q.q;
  if (q.page < 1)
    return Status::Invalid("page", "页码应不小于1", {}, "invalid_value").En("page must be >= 1");
  if (q.page_size < 1 || q.page_size > 200) {
    return Status::Invalid("page_size", "每页条数应在1至200之间", {}, "invalid_value")
        .En("page_size must be 1..200");
  }
  f.page = q.page;
  f.page_size = q.page_size;
  return f;
}

Result<CollabItemSlice> CollabItemRegistry::Merged(const Principal& p, const CollabItemFilter& f,
                                                   int limit) const {
  limit = std::clamp(limit, 0, kMaxCollabItemsPerSource);
  CollabItemSlice all;
  for (const auto& s : sources_) {
    if (!f.type.empty() && s->Type() != f.type) continue;
    XT_ASSIGN_OR_RETURN(CollabItemSlice slice, s->List(p, f, limit));
    if (static_cast<int>(slice.items.size()) > limit) {
      slice.items.resize(static_cast<size_t>(limit));  // a source over its bound: keep the newest
    }
    all.total += std::max<int64_t>(slice.total, static_cast<int64_t>(slice.items.size()));
    all.items.insert(all.items.end(), std::make_move_iterator(slice.items.begin()),
                     std::make_move_iterator(slice.items.end()));
  }
  std::sort(all.items.begin(), all.items.end(), Before);
  return all;
}

Result<CollabItemPage> CollabItemRegistry::List(const Principal& p,
                                                const CollabItemQuery& q) const {
  XT_ASSIGN_OR_RETURN(CollabItemFilter f, Validate(q));
  const int64_t from = static_cast<int64_t>(f.page - 1) * f.page_size;
  // Each source's part of the first `from + page_size` merged items is among its newest that many.
  const int limit =
      static_cast<int>(std::min<int64_t>(from + f.page_size, kMaxCollabItemsPerSource));
  XT_ASSIGN_OR_RETURN(CollabItemSlice all, Merged(p, f, limit));
  CollabItemPage out;
  out.total = all.total;
  const auto have = static_cast<int64_t>(all.items.size());
  if (from < have) {
    const int64_t to = std::min<int64_t>(have, from + f.page_size);
    out.items.assign(std::make_move_iterator(all.items.begin() + from),
                     std::make_move_iterator(all.items.begin() + to));
  }
  return out;
}

Result<std::string> CollabItemRegistry::ExportCsv(const Principal& p,
                                                  const CollabItemQuery& q) const {
  CollabItemQuery all_pages = q;
  all_pages.page = 1;
  all_pages.page_size = 20;
  XT_ASSIGN_OR_RETURN(CollabItemFilter f, Validate(all_pages));
  XT_ASSIGN_OR_RETURN(CollabItemSlice merged, Merged(p, f, kMaxCollabItemsPerSource));
  const std::vector<CollabItem>& items = merged.items;
  std::map<std::string, std::string, std::less<>> labels;
  for (const auto& s : sources_)
    labels.emplace(std::string(s->Type()), std::string(s->TypeLabelZh()));
  std::string csv(kCsvBom);
  csv +=
      CsvRow({"类型", "文号", "标题", "发起单位", "接收单位", "状态", "期限", "颜色", "创建时间"});
  int rows = 0;
  for (const auto& it : items) {
    if (rows++ >= kMaxCollabItemsExportRows) break;
    auto label = labels.find(it.type);
    const std::string fields[] = {
        label == labels.end() ? it.type : label->second,
        it.number.value_or(""),
        it.title,
        it.from_org.name,
        it.to_org ? it.to_org->name : "",
        it.state_label,
        DayMinute(it.due_at),
        std::string(ColourWordZh(it.colour)),
        DayMinute(it.created_at),
    };
    csv += CsvRow(fields);
  }
  return csv;
}

// ---- Built-in sources -----------------------------------------------------------------------

std::shared_ptr<CollabItemSource> MakeCollaborationItemSource(
    CollaborationService& collaborations) {
  return std::make_shared<CollaborationItemSource>(collaborations);
}

std::shared_ptr<CollabItemSource> MakeCoordItemSource(storage::Store& store,
                                                      const core::Clock& clock,
                                                      domain::CoordType t) {
  return std::make_shared<CoordItemSource>(store, clock, t);
}

void RegisterCollabItemSources(CollabItemRegistry& registry, CollaborationService& collaborations,
                               storage::Store& store, const core::Clock& clock) {
  registry.Register(MakeCollaborationItemSource(collaborations));
  for (domain::CoordType t : domain::kAllCoordTypes) {
    registry.Register(MakeCoordItemSource(store, clock, t));
  }
}

}  // namespace xietong::service
