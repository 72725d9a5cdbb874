#include "service/urging_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>

#include "core/time.h"

#include "domain/collaboration.h"
#include "domain/coord_items.h"
#include "domain/referral.h"
#include "domain/urging.h"
#include "service/audit_log.h"
#include "service/item_list.h"
#include "service/workflow/items.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;

namespace {

constexpr CoordType kType = CoordType::kUrging;
constexpr const char* kRule = "R-PLN-2";
const domain::ItemTable& Table() { return domain::UrgingTable(); }

// The urged object as the notice and the timeline name it.
struct Target {
  std::string type;   // duty object type of the timeline's object ("referral", "violation_notice" …)
  Id id = 0;          // that object's id
  std::string title;  // 移送案件「张三…」
  std::string path;   // web page: /referrals/7 ("" for an external duty)
  domain::Duty duty;  // the open duty urged (its owner is the urged org)
};

Status NoTarget() {
  return Status::NotFound("target_id", "督办对象不存在").En("No such item to urge");
}

// The most urgent open duty of an object's duties, yellow or red at `now`, or not_late.
Result<domain::Duty> LateDuty(const std::vector<domain::Duty>& duties, core::Instant now) {
  const domain::Duty* d = EarliestOpenDuty(duties);
  const domain::Colour c = d ? domain::ColourAt(*d, now) : domain::Colour::kNone;
  if (!d || (c != domain::Colour::kYellow && c != domain::Colour::kRed)) {
    return Status::Precondition("not_late", "仅可督办临期（黄色）、超期（红色）或逾期的事项", kRule)
        .En("Only an item with a yellow or red (overdue) duty may be urged");
  }
  return *d;
}

Result<Target> Resolve(storage::Tx& tx, const UrgeInput& in, core::Instant now) {
  using workflow::Maybe;
  Target t;
  if (in.target_type == "duty") {
    XT_ASSIGN_OR_RETURN(std::optional<domain::Duty> d, Maybe(tx.GetDuty(in.target_id)));
    if (!d) return NoTarget();
    if (d->state != domain::DutyState::kOpen) {
      return Status::Precondition("not_late", "该期限已结束，无需督办", kRule).En("The duty has ended");
    }
    XT_ASSIGN_OR_RETURN(t.duty, LateDuty({*d}, now));
    t.type = d->object_type;
    t.id = 0;
    t.title = d->title;
    // The duty's object, when it is one of ours: the urging shows on its timeline too.
    char* end = nullptr;
    const long long oid = std::strtoll(d->object_id.c_str(), &end, 10);
    if (end && *end == '\0' && oid > 0) t.id = oid;
    if (t.type == "referral") t.path = "/referrals/" + d->object_id;
    else if (t.type == "collaboration") t.path = "/collaborations/" + d->object_id;
    else {
      for (CoordType ct : domain::kAllItemTypes)
        if (domain::CoordTypeName(ct) == t.type)
          t.path = "/" + std::string(domain::CoordTypePath(ct)) + "/" + d->object_id;
    }
    return t;
  }
  t.type = in.target_type;
  t.id = in.target_id;
  if (in.target_type == "referral") {
    XT_ASSIGN_OR_RETURN(std::optional<domain::Referral> r, Maybe(tx.GetReferral(in.target_id)));
    if (!r) return NoTarget();
    t.title = "案件移送" + (r->number ? "（" + *r->number + "）" : "") +
              (r->party.name.empty() ? "" : "「" + r->party.name + "」");
    t.path = "/referrals/" + std::to_string(r->id);
  } else if (in.target_type == "collaboration") {
    XT_ASSIGN_OR_RETURN(std::optional<domain::Collaboration> c,
                        Maybe(tx.GetCollaboration(in.target_id)));
    if (!c) return NoTarget();
    t.title = "协作请求「" + c->title + "」";
    t.path = "/collaborations/" + std::to_string(c->id);
  } else {
    std::optional<CoordType> ct;
    for (CoordType x : domain::kAllItemTypes)
      if (x != kType && domain::CoordTypeName(x) == in.target_type) ct = x;
    if (!ct) {
      return Status::Invalid("target_type", "未知督办对象类型：" + in.target_type, kRule, "invalid_value")
          .En("Unknown target_type: " + in.target_type);
    }
    XT_ASSIGN_OR_RETURN(std::optional<CoordItem> it, Maybe(tx.GetCoordItem(in.target_id)));
    if (!it || it->type != *ct) return NoTarget();
    t.title = std::string(domain::CoordTypeLabelZh(*ct)) + "「" + it->title + "」";
    t.path = "/" + std::string(domain::CoordTypePath(*ct)) + "/" + std::to_string(it->id);
  }
  XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> duties, DutiesOfObject(tx, t.type, t.id));
  XT_ASSIGN_OR_RETURN(t.duty, LateDuty(duties, now));
  return t;
}

Result<domain::Org> CoordinatorOrg(storage::Tx& tx, const Principal& p) {
  if (p.org.kind == domain::OrgKind::kCoordinator) return p.org;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  for (const auto& o : orgs)
    if (o.kind == domain::OrgKind::kCoordinator && o.active) return o;
  return p.org;
}

}  // namespace

// ---- The engine's Definition ------------------------------------------------------------------

struct UrgingService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  UrgingService& self;
  bool creating = false;

  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != kType) return NotFound();
    return Of(std::move(it));
  }
  Status NotFound() const { return workflow::ItemNotFound(kType); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    domain::CoordActor actor;
    actor.to_staff = workflow::IsStaff(p) && e.to_org_id && p.org.id == *e.to_org_id;
    actor.coordinator = p.CoordinatesBetween(workflow::CoordinatedOrgs(e));  // R-ACC-2
    return domain::DecideItem(Table(), a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>&) const { return Status::Ok(); }
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, {});
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(kType, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(Table(), a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ItemStateName(Table(), e.state)); }
  std::optional<std::string> Number(const Entity& e) const { return creating ? e.number : std::nullopt; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return self.items_.Render(tx, e, true, now, &e.fields);
  }
};

UrgingService::UrgingService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                             CoordItemService& items, UrgingOptions options)
    : store_(store), clock_(clock), duties_(duties), items_(items), options_(options) {}

// ---- create -----------------------------------------------------------------------------------

Result<CoordItemView> UrgingService::Create(const Principal& p, const Result<UrgeInput>& in) {
  if (!p.IsCoordinator()) {
    return Status::Denied("仅县委依法治县办工作人员可以督办", kRule)
        .En("Only the coordinator's staff may urge an item");
  }
  XT_RETURN_IF_ERROR(in.status());
  const domain::CoordTransition* row = domain::ItemCreateRow(Table(), "create");
  Target target;
  domain::Org coordinator;
  Workflow w{*this, /*creating=*/true};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        XT_ASSIGN_OR_RETURN(target, Resolve(tx, *in, now));
        XT_ASSIGN_OR_RETURN(coordinator, CoordinatorOrg(tx, p));
        CoordItem it;
        it.type = kType;
        it.from_org_id = coordinator.id;
        it.to_org_id = target.duty.owner_org_id;
        it.org_ids = {coordinator.id, target.duty.owner_org_id};
        std::sort(it.org_ids.begin(), it.org_ids.end());
        it.org_ids.erase(std::unique(it.org_ids.begin(), it.org_ids.end()), it.org_ids.end());
        it.kind = in->target_type;
        it.title = "督办：" + target.title;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        if (target.type == "referral" && target.id > 0) it.referral_id = target.id;
        const domain::Colour c = domain::ColourAt(target.duty, now);
        json::object data{
            {"target", json::object{{"type", in->target_type},
                                    {"object_type", target.type},
                                    {"id", in->target_type == "duty" ? in->target_id : target.id},
                                    {"title", target.title},
                                    {"path", target.path}}},
            {"duty", json::object{{"id", target.duty.id},
                                  {"kind", target.duty.kind},
                                  {"title", target.duty.title},
                                  {"due_at", core::FormatInstant(target.duty.due_at)},
                                  {"colour", domain::ColourName(c)}}},
            {"text", in->text.empty() ? "请于期限内抓紧办理，并答复办理情况。" : in->text},
            {"answer", nullptr}};
        it.data = json::serialize(data);
        it.state = row->to;
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, {}));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        XT_ASSIGN_OR_RETURN(domain::Org owner, x.tx.GetOrg(*x.e.to_org_id));
        const json::object& duty = x.e.fields.at("duty").as_object();
        const std::string due = std::string(duty.at("due_at").as_string());
        const std::string text = std::string(x.e.fields.at("text").as_string());
        DutyInput d;
        d.kind = std::string(domain::kUrgingAnswerDuty);
        d.owner_org_id = owner.id;
        d.title = "答复督办：" + target.title;
        d.trigger_at = x.now;
        d.unit = domain::PeriodUnit::kWorkingDays;
        d.period = options_.answer_days;
        XT_RETURN_IF_ERROR(x.Open(d).status());
        json::array items{json::object{{"label", "督办事项"}, {"text", target.title}},
                          json::object{{"label", "办理期限"}, {"text", std::string(duty.at("title").as_string()) + "，" + due}},
                          json::object{{"label", "督办要求"}, {"text", text}}};
        XT_ASSIGN_OR_RETURN(
            domain::Document doc,
            x.Issue(domain::DocKind::kUrgingNotice, coordinator, "督办通知",
                    json::object{{"addressee", json::object{{"id", owner.id}, {"name", owner.name}}},
                                 {"paragraphs",
                                  json::array{"你单位承办的" + target.title + "已临期或超期（" +
                                                  std::string(duty.at("title").as_string()) + "，期限" + due + "）。",
                                              text,
                                              "请于" + std::to_string(options_.answer_days) +
                                                  "个工作日内答复办理情况（R-PLN-2）。"}},
                                 {"items", std::move(items)}}));
        x.e.number = doc.number;
        x.detail["target"] = x.e.fields.at("target");
        x.detail["to_org"] = owner.id;
        x.summary = "督办" + owner.short_name + "：" + target.title;
        // The urged object's timeline (流程记录) shows the urging with its number.
        if (target.id > 0) {
          XT_RETURN_IF_ERROR(Record(
              x.tx, &x.p, x.now,
              AuditRecord{target.type + ".urged", target.type, std::to_string(target.id),
                          "督办（" + doc.number + "）：" + text,
                          json::object{{"urging_id", x.e.id}, {"number", doc.number}, {"to_org", owner.id}}}));
        }
        return x.NotifyDesk(owner.id, "urging.created", "督办通知 " + doc.number,
                            coordinator.short_name + "督办" + target.title + "：" + text + "请于" +
                                std::to_string(options_.answer_days) + "个工作日内答复办理情况。");
      });
}

// ---- answer -----------------------------------------------------------------------------------

Result<CoordItemView> UrgingService::Answer(const Principal& p, Id id,
                                            const Result<UrgingAnswerInput>& in) {
  return workflow::Run<Workflow>(Workflow{*this}, store_, clock_, duties_, p, id, "answer",
                                 [&](Ctx& x) -> Status {
                                   XT_RETURN_IF_ERROR(in.status());
                                   x.e.fields["answer"] = json::object{
                                       {"text", in->text},
                                       {"at", core::FormatInstant(x.now)},
                                       {"by", workflow::UserRef(x.p.user)}};
                                   x.summary = "答复督办：" + workflow::Snip(in->text, 60);
                                   return x.NotifyCoordinator("urging.answered",
                                                              x.p.org.short_name + "答复督办",
                                                              "「" + x.e.title + "」：" + in->text);
                                 });
}

// ---- reading ----------------------------------------------------------------------------------

Result<CoordItemView> UrgingService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this}, store_, clock_, p, id);
}

Result<CoordItemList> UrgingService::List(const Principal& p, const CoordQuery& q) {
  ItemListSpec spec{.type = kType, .table = &Table(), .rule = kRule, .outgoing = false, .kind_ok = nullptr};
  const core::Instant now = clock_.Now();
  return ListItems(store_, p, spec, q, now, [&](storage::Tx& tx, const CoordItem& it) {
    return items_.Render(tx, it, false, now);
  });
}

}  // namespace xietong::service
