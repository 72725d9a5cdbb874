#include "service/workflow/items.h"
#include "service/dispute_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <utility>

#include "domain/duty.h"
#include "domain/referral.h"
#include "service/csv.h"
#include "service/matter_service.h"
#include "service/referral_service.h"
#include "service/workflow/step.h"
#include "service/region_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;
namespace ds = domain::dispute_state;

namespace {

// Shared by every item service (service/workflow/items.h).
using workflow::OrgRef;
using workflow::UserRef;
using workflow::Snip;
using workflow::Maybe;

constexpr CoordType kType = CoordType::kDispute;
constexpr const char* kRule = "R-DIS-2";

Status NotFound() {
  return Status(core::Code::kNotFound, "not_found", "职责分工争议不存在", "id", "R-ACC-1")
      .En("No such dispute");
}

bool IsStaff(const Principal& p) {
  return !p.IsAuditor() && (p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader) ||
                            p.Has(domain::Role::kLiaison));
}
bool IsPartyKind(domain::OrgKind k) {
  return k == domain::OrgKind::kTownship || k == domain::OrgKind::kCountyDepartment;
}

json::object Item(std::string_view label, const json::value& text) {
  return json::object{{"label", label}, {"text", text}};
}
std::string StrOf(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}



// The first active org of `kind` (the coordinator, the County Government), if any.
Result<std::optional<domain::Org>> OrgOfKind(storage::Tx& tx, domain::OrgKind kind) {
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  for (const auto& o : orgs)
    if (o.kind == kind && o.active) return std::optional<domain::Org>(o);
  return std::optional<domain::Org>();
}

std::vector<Id> PartyIds(const json::object& fields) {
  std::vector<Id> out;
  if (const json::value* ps = fields.if_contains("parties"); ps && ps->is_array()) {
    for (const auto& p : ps->as_array()) out.push_back(p.at("org").at("id").as_int64());
  }
  return out;
}

std::string PartyNames(const json::object& fields) {
  std::string out;
  for (const auto& p : fields.at("parties").as_array()) {
    if (!out.empty()) out += "、";
    out += std::string(p.at("org").at("name").as_string());
  }
  return out;
}

// "关于<subject>的…": the title, naming the dispute once.
std::string Subject(const std::string& title) {
  return title.ends_with("争议") ? title : title + "职责争议";
}


}  // namespace

// ---- The workflow engine's Definition (service/workflow/step.h) -----------------------------

struct DisputeService::Entity : workflow::ItemEntity {
  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
};

struct DisputeService::Workflow {
  using Entity = DisputeService::Entity;
  using Action = std::string_view;
  using Row = domain::DisputeTransition;
  using View = CoordItemView;

  DisputeService& self;

  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != kType) return NotFound();
    return Entity::Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    domain::DisputeActor actor;
    const std::vector<Id> parties = PartyIds(e.fields);
    actor.party_staff =
        IsStaff(p) && std::find(parties.begin(), parties.end(), p.org.id) != parties.end();
    actor.coordinator = p.CoordinatesBetween(parties.empty() ? workflow::CoordinatedOrgs(e) : parties);
    actor.government = IsStaff(p) && p.org.kind == domain::OrgKind::kGovernment;
    return domain::DecideDisputeTransition(a, e.state, actor);
  }
  Status CheckGuard(Ctx&) const { return Status::Ok(); }
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    e.updated_at = now;
    // The step it is at; a settled dispute keeps the step that settled it.
    if (e.state != ds::kSettled) e.kind = std::string(domain::DisputeStepOf(e.state));
    e.data = json::serialize(e.fields);
    return tx.UpdateCoordItem(e, {});
  }
  std::string AuditAction(Action a) const { return domain::DisputeAuditAction(a); }
  std::string ActionLabel(Action a) const { return std::string(domain::DisputeActionLabelZh(a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::DisputeStateName(e.state)); }
  std::optional<std::string> Number(const Entity&) const { return std::nullopt; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return CoordItemService::RenderInTx(tx, self.calendars_, e, true, now, &e.fields);
  }
};

// ---- One small handler per action -----------------------------------------------------------

struct DisputeService::Steps {
  using Fn = Status (*)(const DisputeService&, Ctx&, const DisputeActionInput&);

  template <class T>
  static Result<const T*> Get(const DisputeActionInput& in) {
    if (const T* t = std::get_if<T>(&in)) return t;
    return Status::Internal("dispute step given the input of another action");
  }

  static DutyInput Duty(std::string_view kind, Id owner, const std::string& title, core::Instant at,
                        int days) {
    DutyInput in;
    in.kind = std::string(kind);
    in.owner_org_id = owner;
    in.title = Snip(title, 190);
    in.trigger_at = at;
    in.unit = domain::PeriodUnit::kWorkingDays;
    in.period = days;
    return in;
  }

  // The step's record: {"outcome","text","at","by","org","document":{"id","number"}}.
  static json::object Record(Ctx& x, std::string_view outcome, const std::string& text,
                             const domain::Document& d) {
    return json::object{{"outcome", outcome},
                        {"text", text},
                        {"at", core::FormatInstant(x.now)},
                        {"by", UserRef(x.p.user)},
                        {"org", OrgRef(x.p.org)},
                        {"document", json::object{{"id", d.id}, {"number", d.number}}}};
  }

  // R-DIS-3: only a settling step carries a boundary decision; applied in this transaction,
  // citing the step's document.
  static Status Boundary(Ctx& x, const DisputeStepInput& in, const domain::Document& d) {
    if (!in.boundary) return Status::Ok();
    if (x.row.to != ds::kSettled) {
      return Status::Invalid("boundary", "仅解决争议的协商一致、协调决定或县政府决定可以厘清职责边界",
                             "R-DIS-3", "invalid_value")
          .En("boundary: only a settling decision may settle the boundary");
    }
    const DisputeBoundaryInput& b = *in.boundary;
    BoundaryDecision bd;
    bd.matter_code = b.matter;
    bd.change = b.change == "withdraw" ? BoundaryDecision::Change::kWithdraw
                : b.change == "owner"  ? BoundaryDecision::Change::kOwner
                                       : BoundaryDecision::Change::kDelegate;
    bd.township_org_id = b.township;
    bd.owner_org_id = b.owner_org;
    bd.effective = b.effective;
    bd.decision_number = d.number;
    bd.decision_document_id = d.id;
    XT_RETURN_IF_ERROR(MatterService::ApplyBoundaryDecisionInTx(x.tx, bd, core::ShanghaiDay(x.now)));
    json::object o{{"matter_code", b.matter},
                   {"change", b.change},
                   {"township", nullptr},
                   {"owner_org", nullptr},
                   {"effective", core::FormatDay(b.effective)},
                   {"decision_number", d.number},
                   {"document_id", d.id}};
    if (b.township) {
      XT_ASSIGN_OR_RETURN(domain::Org t, x.tx.GetOrg(*b.township));
      o["township"] = OrgRef(t);
    }
    if (b.owner_org) {
      XT_ASSIGN_OR_RETURN(domain::Org t, x.tx.GetOrg(*b.owner_org));
      o["owner_org"] = OrgRef(t);
    }
    x.e.fields["boundary"] = std::move(o);
    x.detail["boundary"] = x.e.fields["boundary"];
    return Status::Ok();
  }

  // The boundary decision's sentence in the settling document (R-DIS-3), from the input; the
  // catalog checks it when it is applied.
  static Status AddBoundaryParagraph(Ctx& x, const DisputeStepInput& in, json::array& paragraphs) {
    if (!in.boundary) return Status::Ok();
    const DisputeBoundaryInput& b = *in.boundary;
    auto name = [&](std::optional<Id> id) -> Result<std::string> {
      if (!id) return std::string();
      XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(x.tx.GetOrg(*id)));
      return o ? o->name : std::string();
    };
    XT_ASSIGN_OR_RETURN(std::string township, name(b.township));
    XT_ASSIGN_OR_RETURN(std::string owner, name(b.owner_org));
    json::object f{{"boundary", json::object{{"change", b.change},
                                             {"effective", core::FormatDay(b.effective)},
                                             {"township", json::object{{"name", township}}},
                                             {"owner_org", json::object{{"name", owner}}}}}};
    paragraphs.push_back(json::value("职责边界：执法事项" + b.matter + BoundaryText(f) + "，执法事项目录自该日起相应更新（R-DIS-3）。"));
    return Status::Ok();
  }

  static std::string BoundaryText(const json::object& fields) {
    const json::value* b = fields.if_contains("boundary");
    if (!b || !b->is_object()) return "";
    const json::object& o = b->as_object();
    const std::string change = StrOf(o, "change");
    const std::string day = StrOf(o, "effective");
    auto name = [&](const char* k) {
      const json::value* v = o.if_contains(k);
      return v && v->is_object() ? StrOf(v->as_object(), "name") : std::string();
    };
    if (change == "delegate") return "自" + day + "起，该事项划转" + name("township") + "实施";
    if (change == "withdraw") return "自" + day + "起，收回该事项对" + name("township") + "的划转";
    return "自" + day + "起，该事项由" + name("owner_org") + "管辖";
  }

  static json::array DocItems(const Ctx& x) {
    json::array items;
    items.push_back(Item("争议事项", json::value(StrOf(x.e.fields.at("matter").as_object(), "name") +
                                                 "（" + StrOf(x.e.fields.at("matter").as_object(), "code") + "）")));
    items.push_back(Item("所在乡镇", x.e.fields.at("township").at("name")));
    for (const auto& p : x.e.fields.at("parties").as_array()) {
      items.push_back(Item(std::string(p.at("org").at("name").as_string()) + "意见", p.at("position")));
    }
    return items;
  }

  static Status NotifyParties(Ctx& x, const std::string& kind, const std::string& title,
                              const std::string& body) {
    for (Id o : PartyIds(x.e.fields)) XT_RETURN_IF_ERROR(x.NotifyDesk(o, kind, title, body, true));
    return Status::Ok();
  }

  // ---- Opening (the creating row) ----
  static Status Opened(const DisputeService& svc, Ctx& x) {
    const std::string title = "先协同处置：" + x.e.title;
    for (Id o : PartyIds(x.e.fields)) {
      XT_RETURN_IF_ERROR(x.Open(Duty(domain::kDisputeJointHandling, o, title, x.now,
                                     svc.options_.joint_handling_days))
                             .status());
      XT_RETURN_IF_ERROR(x.Open(Duty(domain::kDisputeNegotiationDuty, o, "协商职责争议：" + x.e.title,
                                     x.now, svc.options_.negotiation_days))
                             .status());
    }
    x.summary = "提出职责争议：" + x.e.title + "（" + PartyNames(x.e.fields) + "）";
    const std::string body = x.p.org.name + "就「" + x.e.title + "」提出职责分工争议，请先协同处置（R-DIS-1）并协商解决（R-DIS-2）";
    for (Id o : PartyIds(x.e.fields)) {
      if (o == x.p.org.id) continue;
      XT_RETURN_IF_ERROR(x.NotifyDesk(o, "dispute.created", "职责分工争议", body));
    }
    return x.NotifyCoordinator("dispute.created", "职责分工争议", body);
  }

  // ---- joint-handling (R-DIS-1) ----
  static Status Joint(const DisputeService&, Ctx& x, const DisputeActionInput& in) {
    XT_ASSIGN_OR_RETURN(const DisputeJointInput* j, Get<DisputeJointInput>(in));
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> duties, x.Duties());
    const domain::Duty* mine = nullptr;
    for (const auto& d : duties)
      if (d.kind == domain::kDisputeJointHandling && d.owner_org_id == x.p.org.id &&
          workflow::Pending(d))
        mine = &d;
    if (!mine) {
      return Status::Precondition("joint_handling_recorded", "本单位已记录协同处置情况", "R-DIS-1", "state")
          .En("Your org has already recorded its joint handling");
    }
    XT_RETURN_IF_ERROR(x.MeetOne(*mine, x.now));
    json::array people;
    std::string names;
    for (const auto& n : j->people) {
      people.push_back(json::value(n));
      names += (names.empty() ? "" : "、") + n;
    }
    x.e.fields["joint_handling"].as_array().push_back(
        json::object{{"org", OrgRef(x.p.org)}, {"people", std::move(people)},
                     {"measures", j->measures}, {"at", core::FormatInstant(x.now)},
                     {"by", UserRef(x.p.user)}});
    x.summary = "协同处置（" + names + "）：" + x.e.title;
    x.detail["people"] = names;
    return Status::Ok();
  }

  // ---- negotiation.agreed | negotiation.failed (R-DIS-2) ----
  static Status Negotiation(const DisputeService& svc, Ctx& x, const DisputeActionInput& in) {
    XT_ASSIGN_OR_RETURN(const DisputeStepInput* s, Get<DisputeStepInput>(in));
    const bool agreed = x.row.to == ds::kSettled;
    json::array paragraphs{json::value("关于「" + x.e.title + "」的职责分工争议，" + PartyNames(x.e.fields) + "进行了协商。"),
                           json::value("协商情况：" + s->text),
                           json::value(agreed ? "协商结果：各方协商一致，争议解决。"
                                              : "协商结果：协商不成，提请县委依法治县办协调（R-DIS-2）。")};
    if (agreed) XT_RETURN_IF_ERROR(AddBoundaryParagraph(x, *s, paragraphs));
    XT_ASSIGN_OR_RETURN(domain::Document d,
                        x.Issue(domain::DocKind::kDisputeNegotiation, x.p.org,
                                "关于" + Subject(x.e.title) + "的协商记录",
                                json::object{{"addressee", json::object{{"name", "争议各方"}}},
                                             {"paragraphs", std::move(paragraphs)},
                                             {"items", DocItems(x)}}));
    x.e.number = d.number;
    x.e.fields["negotiation"] = Record(x, agreed ? "agreed" : "failed", s->text, d);
    XT_RETURN_IF_ERROR(Boundary(x, *s, d));
    if (agreed) {
      x.waive_reason = "争议已协商解决";
      return NotifyParties(x, "dispute.settled", "职责争议已协商解决", "「" + x.e.title + "」：" + Snip(s->text, 80));
    }
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> coordinator, OrgOfKind(x.tx, domain::OrgKind::kCoordinator));
    if (!coordinator) return Status::Precondition("no_coordinator", "未设置县委依法治县办", kRule);
    XT_RETURN_IF_ERROR(x.Open(Duty(domain::kDisputeCoordinationDuty, coordinator->id,
                                   "协调职责争议：" + x.e.title, x.now, svc.options_.coordination_days))
                           .status());
    return x.NotifyCoordinator("dispute.coordination", "职责争议协商不成，请协调",
                               "「" + x.e.title + "」协商不成（" + d.number + "），请协调（R-DIS-2）");
  }

  // ---- coordination.settled | coordination.failed (R-DIS-2) ----
  static Status Coordination(const DisputeService& svc, Ctx& x, const DisputeActionInput& in) {
    XT_ASSIGN_OR_RETURN(const DisputeStepInput* s, Get<DisputeStepInput>(in));
    const bool settled = x.row.to == ds::kSettled;
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> coordinator, OrgOfKind(x.tx, domain::OrgKind::kCoordinator));
    const domain::Org issuer = x.p.org.kind == domain::OrgKind::kCoordinator || !coordinator ? x.p.org : *coordinator;
    std::optional<domain::Org> government;
    if (!settled) {
      XT_ASSIGN_OR_RETURN(government, OrgOfKind(x.tx, domain::OrgKind::kGovernment));
      if (!government) return Status::Precondition("no_government", "未设置县人民政府", kRule);
    }
    json::array paragraphs{
        json::value("关于「" + x.e.title + "」的职责分工争议，" + PartyNames(x.e.fields) + "协商不成（" +
                    StrOf(x.e.fields.at("negotiation").as_object().at("document").as_object(), "number") +
                    "），经协调，" + (settled ? std::string("决定如下：") : std::string("情况如下："))),
        json::value(s->text)};
    if (settled) {
      XT_RETURN_IF_ERROR(AddBoundaryParagraph(x, *s, paragraphs));
      paragraphs.push_back(json::value("本决定自作出之日起执行（R-DIS-2）。"));
    } else {
      paragraphs.push_back(json::value("协调不成，报请县人民政府决定（R-DIS-2）。"));
    }
    XT_ASSIGN_OR_RETURN(domain::Document d,
                        x.Issue(domain::DocKind::kCoordinationDecision, issuer,
                                "关于" + Subject(x.e.title) + "的协调" + (settled ? "决定" : "意见"),
                                json::object{{"addressee", json::object{{"name", PartyNames(x.e.fields)}}},
                                             {"paragraphs", std::move(paragraphs)},
                                             {"items", DocItems(x)}}));
    x.e.number = d.number;
    x.e.fields["coordination"] = Record(x, settled ? "settled" : "failed", s->text, d);
    XT_RETURN_IF_ERROR(Boundary(x, *s, d));
    if (settled) {
      x.waive_reason = "争议已经协调解决";
      return NotifyParties(x, "dispute.settled", "职责争议已协调解决", "「" + x.e.title + "」：" + Snip(s->text, 80));
    }
    XT_RETURN_IF_ERROR(x.Open(Duty(domain::kDisputeDecisionDuty, government->id,
                                   "决定职责争议：" + x.e.title, x.now, svc.options_.decision_days))
                           .status());
    XT_RETURN_IF_ERROR(x.NotifyDesk(government->id, "dispute.decision", "职责争议协调不成，请决定",
                                    "「" + x.e.title + "」协调不成（" + d.number + "），请县人民政府决定（R-DIS-2）"));
    return NotifyParties(x, "dispute.escalated", "职责争议报县人民政府决定", "「" + x.e.title + "」协调不成，已报县人民政府决定");
  }

  // ---- decision (R-DIS-2) ----
  static Status Decision(const DisputeService&, Ctx& x, const DisputeActionInput& in) {
    XT_ASSIGN_OR_RETURN(const DisputeStepInput* s, Get<DisputeStepInput>(in));
    json::array paragraphs{
        json::value("关于「" + x.e.title + "」的职责分工争议，经" + PartyNames(x.e.fields) + "协商（" +
                    StrOf(x.e.fields.at("negotiation").as_object().at("document").as_object(), "number") +
                    "）、县委依法治县办协调（" +
                    StrOf(x.e.fields.at("coordination").as_object().at("document").as_object(), "number") +
                    "）未能解决，县人民政府决定如下："),
        json::value(s->text)};
    XT_RETURN_IF_ERROR(AddBoundaryParagraph(x, *s, paragraphs));
    paragraphs.push_back(json::value("本决定自作出之日起执行（R-DIS-2）。"));
    XT_ASSIGN_OR_RETURN(domain::Document d,
                        x.Issue(domain::DocKind::kGovernmentDecision, x.p.org,
                                "关于" + Subject(x.e.title) + "的决定",
                                json::object{{"addressee", json::object{{"name", PartyNames(x.e.fields)}}},
                                             {"paragraphs", std::move(paragraphs)},
                                             {"items", DocItems(x)}}));
    x.e.number = d.number;
    x.e.fields["decision"] = Record(x, "decided", s->text, d);
    XT_RETURN_IF_ERROR(Boundary(x, *s, d));
    x.waive_reason = "县人民政府已作出决定";
    XT_RETURN_IF_ERROR(x.NotifyCoordinator("dispute.settled", "县人民政府已决定职责争议", "「" + x.e.title + "」（" + d.number + "）"));
    return NotifyParties(x, "dispute.settled", "县人民政府已决定职责争议", "「" + x.e.title + "」：" + Snip(s->text, 80));
  }

  static Fn Find(std::string_view action) {
    if (action == "joint-handling") return Joint;
    if (action.starts_with("negotiation.")) return Negotiation;
    if (action.starts_with("coordination.")) return Coordination;
    if (action == "decision") return Decision;
    return nullptr;
  }
};

// ---- Construction ---------------------------------------------------------------------------

DisputeService::DisputeService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                               CalendarService& calendars, DisputeOptions options)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars), options_(options) {}

// ---- Open -----------------------------------------------------------------------------------

Result<CoordItemView> DisputeService::Open(const Principal& p, const Result<DisputeOpenInput>& in_r) {
  if (!IsStaff(p) || !IsPartyKind(p.org.kind)) {
    return Status::Denied("仅乡镇或县直执法部门工作人员可以提出职责分工争议", "R-DIS-1")
        .En("You may not open a dispute");
  }
  XT_RETURN_IF_ERROR(in_r.status());
  const DisputeOpenInput& in = *in_r;
  Workflow w{*this};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, domain::DisputeCreateRow(),
      [&](storage::Tx& tx, core::Instant now) -> Result<Entity> {
        XT_ASSIGN_OR_RETURN(domain::Matter matter, MatterService::GetMatterByCodeInTx(tx, in.matter));
        XT_ASSIGN_OR_RETURN(std::optional<domain::Org> township, Maybe(tx.GetOrg(in.township)));
        if (!township || township->kind != domain::OrgKind::kTownship || !township->active) {
          return Status::Invalid("township", "township 应为乡镇", kRule, "invalid_value")
              .En("township must be a township");
        }
        json::array parties;
        std::set<Id> seen;
        std::vector<Id> org_ids;
        for (size_t i = 0; i < in.parties.size(); ++i) {
          const std::string f = "parties[" + std::to_string(i) + "].org";
          XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(in.parties[i].org)));
          if (!o || !o->active || !IsPartyKind(o->kind)) {
            return Status::Invalid(f, "争议当事单位应为乡镇或县直执法部门", kRule, "invalid_value")
                .En(f + " must be a township or a county department");
          }
          if (!seen.insert(o->id).second) {
            return Status::Invalid(f, "争议当事单位重复", kRule, "duplicate").En(f + " is listed twice");
          }
          parties.push_back(json::object{{"org", OrgRef(*o)}, {"position", in.parties[i].position}});
          org_ids.push_back(o->id);
        }
        if (seen.size() < 2) {
          return Status::Invalid("parties", "争议当事单位至少两个", kRule, "invalid_value")
              .En("parties: two or more orgs");
        }
        if (!seen.count(p.org.id)) {
          return Status::Invalid("parties", "提出争议的单位应为争议当事单位之一", kRule, "invalid_value")
              .En("parties must include your own org");
        }
        CoordItem it;
        it.type = kType;
        it.state = ds::kNew;
        it.from_org_id = p.org.id;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.kind = "negotiation";
        XT_ASSIGN_OR_RETURN(std::optional<domain::Org> government, OrgOfKind(tx, domain::OrgKind::kGovernment));
        if (government) org_ids.push_back(government->id);
        std::sort(org_ids.begin(), org_ids.end());
        org_ids.erase(std::unique(org_ids.begin(), org_ids.end()), org_ids.end());
        it.org_ids = org_ids;
        if (in.referral_id) {
          XT_ASSIGN_OR_RETURN(std::optional<domain::Referral> r, Maybe(tx.GetReferral(*in.referral_id)));
          if (!r || !ReferralService::CanSee(p, *r)) {
            return Status::Invalid("referral_id", "案件移送不存在", kRule, "invalid_value")
                .En("referral_id: no such referral");
          }
          if (r->state != domain::ReferralState::kDeclined && r->state != domain::ReferralState::kReturned) {
            return Status::Invalid("referral_id", "仅不予受理或已退回的案件移送可以引发职责争议", kRule, "invalid_value")
                .En("referral_id: only a declined or returned referral");
          }
          it.referral_id = *in.referral_id;
        }
        it.title = !in.title.empty() ? in.title : Snip(matter.name + "（" + township->short_name + "）", 90);
        json::object data{{"matter", json::object{{"code", matter.code}, {"name", matter.name}}},
                          {"township", OrgRef(*township)},
                          {"facts", in.facts},
                          {"parties", std::move(parties)},
                          {"government_org", government ? json::value(OrgRef(*government)) : json::value(nullptr)},
                          {"joint_handling", json::array()},
                          {"negotiation", nullptr},
                          {"coordination", nullptr},
                          {"decision", nullptr},
                          {"boundary", nullptr}};
        it.state = domain::DisputeCreateRow().to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, {}));
        return Entity::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["parties"] = json::value_from(PartyIds(x.e.fields));
        x.detail["matter"] = in.matter;
        return Steps::Opened(*this, x);
      });
}

// ---- Steps ----------------------------------------------------------------------------------

Result<CoordItemView> DisputeService::Act(const Principal& p, Id id, std::string_view action_in,
                                          const Result<DisputeActionInput>& in) {
  const std::string action(action_in);
  const Steps::Fn fn = Steps::Find(action);
  Workflow w{*this};
  return workflow::Run<Workflow>(w, store_, clock_, duties_, p, id, action, [&](Ctx& x) -> Status {
    if (!fn) return Status::Internal("no handler for dispute." + action);
    XT_RETURN_IF_ERROR(in.status());  // the body, read by the handler: after access and state
    x.summary = std::string(domain::DisputeActionLabelZh(action)) + "：" + x.e.title;
    return fn(*this, x, *in);
  });
}

// ---- Reading --------------------------------------------------------------------------------

Result<CoordItemView> DisputeService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this}, store_, clock_, p, id);
}

Result<CoordItemList> DisputeService::Rows(const Principal& p, const DisputeQuery& q, bool all) {
  const core::Instant now = clock_.Now();
  storage::CoordItemFilter f;
  f.type = kType;
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  if (q.state == "open") {
    f.states = {ds::kNegotiation, ds::kCoordination, ds::kDecision};
  } else if (!q.state.empty()) {
    auto s = domain::ParseDisputeState(q.state);
    if (!s) {
      return Status::Invalid("state", "state 应为 open|negotiation|coordination|decision|settled", kRule, "invalid_value")
          .En("state must be open, negotiation, coordination, decision or settled");
    }
    f.states = {*s};
  }
  if (!q.step.empty()) {
    if (domain::DisputeStepLabelZh(q.step).empty()) {
      return Status::Invalid("step", "step 应为 negotiation|coordination|decision", kRule, "invalid_value")
          .En("step must be negotiation, coordination or decision");
    }
    f.kind = q.step;
  }
  bool post_org = false;
  if (q.org) {
    if (f.involving_org_id && *f.involving_org_id != *q.org) post_org = true;
    else f.involving_org_id = *q.org;
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
  if (domain::Utf8Length(q.q) > 100) return Status::Invalid("q", "q 不能超过100个字", kRule, "too_long").En("q is too long");
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "page 应≥1", kRule, "invalid_value");
  if (q.page_size < 1 || q.page_size > 200) return Status::Invalid("page_size", "page_size 应为1至200", kRule, "invalid_value");
  CoordItemList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    std::vector<CoordItem> rows;
    if (all || post_org) {
      f.limit = kMaxExportRows;
      XT_ASSIGN_OR_RETURN(rows, tx.ListCoordItems(f));
      if (post_org) {
        std::erase_if(rows, [&](const CoordItem& it) {
          return std::find(it.org_ids.begin(), it.org_ids.end(), *q.org) == it.org_ids.end();
        });
      }
      out.total = static_cast<int64_t>(rows.size());
      if (!all) {
        const size_t from = std::min(rows.size(), static_cast<size_t>(q.page - 1) * q.page_size);
        const size_t to = std::min(rows.size(), from + static_cast<size_t>(q.page_size));
        rows = std::vector<CoordItem>(rows.begin() + from, rows.begin() + to);
      }
    } else {
      XT_ASSIGN_OR_RETURN(out.total, tx.CountCoordItems(f));
      f.offset = (q.page - 1) * q.page_size;
      f.limit = q.page_size;
      XT_ASSIGN_OR_RETURN(rows, tx.ListCoordItems(f));
    }
    for (const auto& it : rows) {
      XT_ASSIGN_OR_RETURN(CoordItemView v, CoordItemService::RenderInTx(tx, calendars_, it, false, now));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<CoordItemList> DisputeService::List(const Principal& p, const DisputeQuery& q) {
  return Rows(p, q, false);
}

Result<std::string> DisputeService::ExportCsv(const Principal& p, DisputeQuery q) {
  XT_ASSIGN_OR_RETURN(CoordItemList all, Rows(p, q, true));
  return CsvDocument(
      "编号,文号,标题,争议事项,所在乡镇,当事单位,状态,所处步骤,提出单位,提出时间,边界决定,期限状态\r\n",
      all.items, [](const CoordItemView& v) {
        const CoordItem& it = v.item;
        auto from = v.orgs.find(it.from_org_id);
        const json::object& f = v.fields;
        return std::vector<std::string>{
            std::to_string(it.id),
            it.number.value_or(""),
            it.title,
            StrOf(f.at("matter").as_object(), "name") + "（" + StrOf(f.at("matter").as_object(), "code") + "）",
            StrOf(f.at("township").as_object(), "name"),
            PartyNames(f),
            std::string(domain::DisputeStateLabelZh(it.state)),
            std::string(domain::DisputeStepLabelZh(it.kind)),
            from == v.orgs.end() ? std::string() : from->second.name,
            DayTime(it.created_at),
            Steps::BoundaryText(f),
            std::string(ColourWordZh(v.colour.value_or(domain::Colour::kNone))),
        };
      });
}

}  // namespace xietong::service
