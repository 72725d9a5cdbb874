#include "service/shared_info_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <set>

#include "domain/referral.h"  // Utf8Length, IsBlank
#include "domain/shared_info.h"
#include "service/csv.h"
#include "service/matter_service.h"
#include "service/workflow/items.h"
#include "service/region_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;

namespace {

using workflow::IsStaff;
using workflow::Maybe;
using workflow::UserRef;

// A stored amount in yuan as people write it: "1000", "1500.5" (json::serialize gives "1E3").
std::string Yuan(const json::value& a) {
  if (!a.is_number()) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", a.to_number<double>());
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

bool Mine(CoordType t) { return t == CoordType::kMaterial || t == CoordType::kPenaltyFiling; }
const domain::ItemTable& TableOf(CoordType t) {
  return t == CoordType::kMaterial ? domain::MaterialTable() : domain::PenaltyFilingTable();
}
std::string RuleOf(CoordType t) { return std::string(domain::CoordTypeRule(t)); }
Status NotFound(CoordType t) { return workflow::ItemNotFound(t); }
Status Invalid(CoordType t, const std::string& field, const std::string& zh, const std::string& en) {
  return Status::Invalid(field, zh, RuleOf(t), "invalid_value").En(en);
}
std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
json::object Item(std::string_view label, std::string_view text) {
  return json::object{{"label", label}, {"text", text}};
}
std::string Today(core::Instant now) { return core::FormatDay(core::ShanghaiDay(now)); }

}  // namespace

// ---- The engine's Definition (both types) ---------------------------------------------------

struct SharedInfoService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  SharedInfoService& self;
  CoordType t;
  const Principal& p;

  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != t) return NotFound();
    return Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(t); }
  bool CanSee(const Principal& pr, const Entity& e) const { return CoordItemService::CanSee(pr, e); }
  Result<const Row*> Decide(const Principal& pr, const Entity& e, Action a) const {
    const bool staff = IsStaff(pr) && !pr.IsAuditor();
    domain::CoordActor actor;
    actor.from_staff = staff && pr.org.id == e.from_org_id;
    if (t == CoordType::kMaterial) {
      // The addressed townships (org_ids without the publisher).
      actor.to_staff = staff && pr.org.id != e.from_org_id &&
                       std::find(e.org_ids.begin(), e.org_ids.end(), pr.org.id) != e.org_ids.end();
    } else {
      actor.to_staff = staff && e.to_org_id && pr.org.id == *e.to_org_id;
    }
    actor.involved_staff = actor.from_staff || actor.to_staff;
    return domain::DecideItem(TableOf(t), a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>&) const { return Status::Ok(); }
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, CoordFilesOf(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(t, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(TableOf(t), a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ItemStateName(TableOf(t), e.state)); }
  std::optional<std::string> Number(const Entity& e) const { return e.number; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    XT_ASSIGN_OR_RETURN(CoordItemView v, self.items_.Render(tx, e, true, now, &e.fields));
    Shape(p, v);
    return v;
  }
};

// ---- Receipts (R-INF-1, R-ACC-1) ------------------------------------------------------------

void SharedInfoService::Shape(const Principal& p, CoordItemView& v) {
  if (v.item.type != CoordType::kMaterial) return;
  const bool all = p.OverseesOrgId(v.item.from_org_id) || p.org.id == v.item.from_org_id;
  // Acknowledgements recorded by the steps, by org.
  std::map<Id, json::object> acks;
  if (const json::value* a = v.fields.if_contains("acknowledgements"); a && a->is_array()) {
    for (const auto& x : a->as_array()) {
      if (const json::value* o = x.as_object().if_contains("org_id"); o && o->is_int64()) {
        acks[o->as_int64()] = x.as_object();
      }
    }
  }
  json::array receipts;
  int64_t acknowledged = 0, pending = 0, overdue = 0, late = 0;
  std::vector<domain::Duty> kept;
  for (const auto& d : v.duties) {
    if (d.kind != domain::kMaterialAckDuty) continue;
    if (!all && d.owner_org_id != p.org.id) continue;
    kept.push_back(d);
    std::string status;
    if (d.state == domain::DutyState::kMet) {
      status = "acknowledged";
      ++acknowledged;
      if (d.on_time && !*d.on_time) ++late;
    } else if (d.state == domain::DutyState::kWaived) {
      status = "waived";
    } else if (v.now >= d.due_at) {
      status = "overdue";
      ++overdue;
    } else {
      status = "pending";
      ++pending;
    }
    auto org = v.orgs.find(d.owner_org_id);
    json::object r{{"org", org == v.orgs.end()
                               ? json::value(nullptr)
                               : json::value(json::object{{"id", org->second.id},
                                                          {"code", org->second.code},
                                                          {"name", org->second.name}})},
                   {"status", status},
                   {"due_at", core::FormatInstant(d.due_at)},
                   {"acknowledged_at", d.met_at ? json::value(core::FormatInstant(*d.met_at)) : json::value(nullptr)},
                   {"on_time", d.on_time ? json::value(*d.on_time) : json::value(nullptr)},
                   {"late_working_days", d.on_time && !*d.on_time && d.late_working_days
                                             ? json::value(*d.late_working_days)
                                             : json::value(nullptr)},
                   {"acknowledged_by", nullptr},
                   {"note", ""}};
    if (auto a = acks.find(d.owner_org_id); a != acks.end() && status == "acknowledged") {
      r["acknowledged_by"] = a->second.at("by");
      r["note"] = a->second.at("note");
    }
    receipts.push_back(std::move(r));
  }
  v.fields.erase("acknowledgements");
  v.fields["receipts"] = std::move(receipts);
  v.fields["receipt_counts"] = json::object{{"addressed", static_cast<int64_t>(kept.size())},
                                            {"acknowledged", acknowledged},
                                            {"late", late},
                                            {"pending", pending},
                                            {"overdue", overdue}};
  if (!all) {
    v.duties = kept;
    // Only this township's own part of the history (and the publisher's acts).
    std::vector<TimelineEntry> tl;
    for (auto& e : v.timeline)
      if (!e.org_id || *e.org_id == p.org.id || *e.org_id == v.item.from_org_id) tl.push_back(std::move(e));
    v.timeline = std::move(tl);
    // The addressees list shows the township only itself.
    if (json::value* a = v.fields.if_contains("addressees"); a && a->is_array()) {
      json::array own;
      for (const auto& x : a->as_array())
        if (x.as_object().at("id").as_int64() == p.org.id) own.push_back(x);
      *a = std::move(own);
    }
  }
  // The colour is the township's own duty's for a township.
  if (!all) {
    v.colour.reset();
    for (const auto& d : kept)
      if (d.state == domain::DutyState::kOpen) v.colour = domain::ColourAt(d, v.now);
  }
}

// ---- One small handler per action -----------------------------------------------------------

struct SharedInfoService::Steps {
  template <class T>
  static Result<const T*> In(const SharedInfoStepInput& in) {
    if (const T* v = std::get_if<T>(&in)) return v;
    return Status::Internal("shared-info step given the input of another action");
  }

  static Status Published(const SharedInfoService& svc, Ctx& x) {
    const json::array& to = x.e.fields.at("addressees").as_array();
    for (const auto& o : to) {
      const Id org = o.as_object().at("id").as_int64();
      DutyInput d;
      d.kind = std::string(domain::kMaterialAckDuty);
      d.owner_org_id = org;
      d.title = "确认收到资料：" + x.e.title;
      d.trigger_at = x.now;
      d.unit = domain::PeriodUnit::kWorkingDays;
      d.period = svc.options_.material_ack_days;
      XT_RETURN_IF_ERROR(x.Open(d).status());
      XT_RETURN_IF_ERROR(x.NotifyDesk(org, "material.published", x.p.org.short_name + "发布资料",
                                      "「" + x.e.title + "」（" + Str(x.e.fields, "kind_label") + "），请于" +
                                          std::to_string(svc.options_.material_ack_days) + "个工作日内确认收到（R-INF-1）"));
    }
    x.detail["addressees"] = static_cast<int64_t>(to.size());
    x.summary = "发布资料：" + x.e.title;
    return Status::Ok();
  }

  static Status Acknowledge(const SharedInfoService&, Ctx& x, const SharedInfoStepInput& in) {
    XT_ASSIGN_OR_RETURN(const AcknowledgeInput* a, In<AcknowledgeInput>(in));
    if (x.e.type == CoordType::kPenaltyFiling) {
      x.e.fields["acknowledgement"] = json::object{{"at", core::FormatInstant(x.now)},
                                                   {"by", UserRef(x.p.user)},
                                                   {"note", a->note}};
      x.summary = "确认备案：" + x.e.title;
      return x.NotifyDesk(x.e.from_org_id, "penalty_filing.acknowledged", x.p.org.short_name + "已确认处罚备案",
                          "「" + x.e.title + "」已确认备案", true);
    }
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> duties, x.Duties());
    const domain::Duty* mine = nullptr;
    for (const auto& d : duties)
      if (d.kind == domain::kMaterialAckDuty && d.owner_org_id == x.p.org.id && workflow::Pending(d)) mine = &d;
    if (!mine) {
      return Status::Precondition("already_acknowledged", "本单位已确认收到该资料", "R-INF-1", "state")
          .En("Your org has already acknowledged this material");
    }
    XT_RETURN_IF_ERROR(x.MeetOne(*mine, x.now));
    json::value& acks = x.e.fields["acknowledgements"];
    if (!acks.is_array()) acks = json::array();
    acks.as_array().push_back(json::object{{"org_id", x.p.org.id},
                                           {"at", core::FormatInstant(x.now)},
                                           {"by", UserRef(x.p.user)},
                                           {"note", a->note},
                                           {"on_time", x.now <= mine->due_at}});
    x.detail["org"] = x.p.org.id;
    x.detail["on_time"] = x.now <= mine->due_at;
    x.summary = x.p.org.short_name + "确认收到资料" + (x.now <= mine->due_at ? "" : "（逾期）") + "：" + x.e.title;
    return x.NotifyDesk(x.e.from_org_id, "material.acknowledged", x.p.org.short_name + "已确认收到资料",
                        "「" + x.e.title + "」", true);
  }

  static Status Withdraw(const SharedInfoService&, Ctx& x, const SharedInfoStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["withdrawal"] = json::object{{"at", core::FormatInstant(x.now)}, {"by", UserRef(x.p.user)},
                                            {"reason", r->reason}};
    x.waive_reason = "资料已撤回：" + r->reason;
    x.summary = "撤回资料：" + x.e.title;
    return Status::Ok();
  }

  static Status Filed(const SharedInfoService& svc, Ctx& x) {
    const json::object& f = x.e.fields;
    XT_ASSIGN_OR_RETURN(domain::Org dept, x.tx.GetOrg(*x.e.to_org_id));
    DutyInput d;
    d.kind = std::string(domain::kPenaltyFilingAckDuty);
    d.owner_org_id = dept.id;
    d.title = "确认处罚备案：" + x.e.title;
    d.trigger_at = x.now;
    d.unit = domain::PeriodUnit::kWorkingDays;
    d.period = svc.options_.penalty_filing_ack_days;
    XT_RETURN_IF_ERROR(x.Open(d).status());
    const json::object& matter = f.at("matter").as_object();
    std::string amount = "—";
    if (const json::value* a = f.if_contains("amount"); a && !a->is_null()) amount = Yuan(*a) + "元";
    json::array items{Item("行政处罚决定书文号", Str(f, "decision_number")),
                      Item("当事人", Str(f, "party")),
                      Item("执法事项", Str(matter, "code") + " " + Str(matter, "name")),
                      Item("违法事实", Str(f, "facts")),
                      Item("处罚内容", Str(f, "penalty")),
                      Item("罚没款金额", amount),
                      Item("决定日期", Str(f, "decision_date"))};
    XT_ASSIGN_OR_RETURN(
        domain::Document doc,
        x.Issue(domain::DocKind::kPenaltyFiling, x.p.org, "行政处罚决定备案表",
                json::object{{"addressee", json::object{{"id", dept.id}, {"name", dept.name}}},
                             {"paragraphs",
                              json::array{"我单位于" + Str(f, "decision_date") + "对" + Str(f, "party") +
                                              "作出行政处罚决定（" + Str(f, "decision_number") + "），现报送备案。",
                                          std::string("请确认备案（R-INF-3）。")}},
                             {"items", std::move(items)}}));
    x.e.number = doc.number;
    x.summary = "报送处罚备案：" + x.e.title;
    return x.NotifyDesk(dept.id, "penalty_filing.filed", x.p.org.short_name + "报送处罚备案",
                        "「" + x.e.title + "」（" + doc.number + "），请于" +
                            std::to_string(svc.options_.penalty_filing_ack_days) + "个工作日内确认备案（R-INF-3）");
  }
};

SharedInfoService::SharedInfoService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                                     CoordItemService& items, SharedInfoOptions options)
    : store_(store), clock_(clock), duties_(duties), items_(items), options_(options) {}

// ---- Creation -------------------------------------------------------------------------------

Result<CoordItemView> SharedInfoService::Publish(const Principal& p, const Result<MaterialInput>& in) {
  const CoordType t = CoordType::kMaterial;
  if (!IsStaff(p) || p.IsAuditor() || p.org.kind != domain::OrgKind::kCountyDepartment) {
    return Status::Denied("仅县直执法部门工作人员可以发布资料", "R-INF-1")
        .En("Only staff of a county department may publish materials");
  }
  XT_RETURN_IF_ERROR(in.status());
  const MaterialInput& m = *in;
  const domain::CoordTransition* row = domain::ItemCreateRow(TableOf(t), "create");
  Workflow w{*this, t, p};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        const std::string_view kind_label = domain::MaterialKindLabel(m.kind);
        if (kind_label.empty()) {
          return Invalid(t, "kind", "未知资料类别：" + m.kind, "Unknown kind: " + m.kind);
        }
        if (!m.effective_date.empty() && !domain::IsIsoDate(m.effective_date)) {
          return Invalid(t, "effective_date", "施行日期应为日期，如 2026-11-25", "effective_date must be YYYY-MM-DD");
        }
        std::vector<domain::Org> to;
        if (m.all_townships) {
          if (!m.to_orgs.empty()) {
            return Invalid(t, "to_orgs", "已选择全部乡镇时不再指定乡镇", "to_orgs is not allowed with all_townships");
          }
          XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
          for (auto& o : orgs)
            if (o.active && o.kind == domain::OrgKind::kTownship) to.push_back(std::move(o));
        } else {
          if (m.to_orgs.empty()) {
            return Status::Invalid("to_orgs", "请选择接收资料的乡镇（或全部乡镇）", "R-INF-1", "missing_field")
                .En("Choose the townships (to_orgs) or all_townships");
          }
          std::set<Id> seen;
          for (size_t i = 0; i < m.to_orgs.size(); ++i) {
            XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(m.to_orgs[i])));
            if (!o || !o->active || o->kind != domain::OrgKind::kTownship) {
              const std::string f = "to_orgs[" + std::to_string(i) + "]";
              return Invalid(t, f, "接收单位应为乡镇", f + " must be a township");
            }
            if (seen.insert(o->id).second) to.push_back(*o);
          }
        }
        if (to.empty()) return Invalid(t, "to_orgs", "没有可接收资料的乡镇", "No township to address");
        CoordItem it;
        it.type = t;
        it.from_org_id = p.org.id;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.kind = m.kind;
        it.title = m.title;
        json::object data;
        data["kind_label"] = kind_label;
        data["issuer"] = m.issuer;
        data["effective_date"] = m.effective_date.empty() ? json::value(nullptr) : json::value(m.effective_date);
        data["description"] = m.description;
        data["all_townships"] = m.all_townships;
        json::array addressees;
        it.org_ids = {p.org.id};
        for (const auto& o : to) {
          addressees.push_back(workflow::OrgRef(o));
          it.org_ids.push_back(o.id);
        }
        std::sort(it.org_ids.begin(), it.org_ids.end());
        it.org_ids.erase(std::unique(it.org_ids.begin(), it.org_ids.end()), it.org_ids.end());
        data["addressees"] = std::move(addressees);
        std::vector<std::string> files;
        XT_ASSIGN_OR_RETURN(json::array mats, CoordMaterialsJson(tx, p, m.files, "R-INF-1", files));
        data["materials"] = std::move(mats);
        data["acknowledgements"] = json::array();
        data["withdrawal"] = nullptr;
        it.state = row->to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["state"] = "published";
        return Steps::Published(*this, x);
      });
}

Result<CoordItemView> SharedInfoService::File(const Principal& p, const Result<PenaltyFilingInput>& in) {
  const CoordType t = CoordType::kPenaltyFiling;
  if (!IsStaff(p) || p.IsAuditor() || p.org.kind != domain::OrgKind::kTownship) {
    return Status::Denied("仅乡镇工作人员可以报送处罚备案", "R-INF-3")
        .En("Only township staff may file a penalty decision");
  }
  XT_RETURN_IF_ERROR(in.status());
  const PenaltyFilingInput& f = *in;
  const domain::CoordTransition* row = domain::ItemCreateRow(TableOf(t), "create");
  Workflow w{*this, t, p};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        if (!domain::IsIsoDate(f.decision_date)) {
          return Invalid(t, "decision_date", "决定日期应为日期，如 2026-11-25", "decision_date must be YYYY-MM-DD");
        }
        if (f.decision_date > Today(now)) {
          return Invalid(t, "decision_date", "决定日期不能晚于今天", "decision_date may not be in the future");
        }
        if (f.amount && (*f.amount < 0 || *f.amount > 1e10)) {
          return Invalid(t, "amount", "罚没款金额应为0至100亿元", "amount must be 0..1e10");
        }
        auto got = MatterService::GetMatterByCodeInTx(tx, f.matter_code);
        if (!got.ok() && got.status().code() != core::Code::kNotFound &&
            got.status().code() != core::Code::kInvalidArgument) {
          return got.status();
        }
        std::optional<domain::Matter> matter;
        if (got.ok()) matter = std::move(got).value();
        if (!matter) return Invalid(t, "matter_code", "执法事项目录中没有该事项：" + f.matter_code, "Unknown matter: " + f.matter_code);
        XT_ASSIGN_OR_RETURN(domain::Org owner, tx.GetOrg(matter->owner_org_id));
        if (owner.id == p.org.id) {
          return Invalid(t, "matter_code", "该事项由本单位主管，无需备案", "Your org owns this matter");
        }
        CoordItem it;
        it.type = t;
        it.from_org_id = p.org.id;
        it.to_org_id = owner.id;
        it.org_ids = {p.org.id, owner.id};
        std::sort(it.org_ids.begin(), it.org_ids.end());
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.kind = matter->code;
        it.title = f.party + "（" + f.decision_number + "）";
        json::object data;
        data["decision_number"] = f.decision_number;
        data["party"] = f.party;
        data["matter"] = json::object{{"id", matter->id}, {"code", matter->code}, {"name", matter->name}};
        data["facts"] = f.facts;
        data["penalty"] = f.penalty;
        data["amount"] = f.amount ? json::value(*f.amount) : json::value(nullptr);
        data["decision_date"] = f.decision_date;
        data["acknowledgement"] = nullptr;
        it.state = row->to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, {}));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["state"] = "filed";
        x.detail["to_org"] = *x.e.to_org_id;
        return Steps::Filed(*this, x);
      });
}

// ---- Steps, reading -------------------------------------------------------------------------

Result<CoordItemView> SharedInfoService::Act(const Principal& p, CoordType t, Id id, std::string_view action_in,
                                             const Result<SharedInfoStepInput>& in) {
  if (!Mine(t)) return NotFound(t);
  const std::string action(action_in);
  return workflow::Run<Workflow>(Workflow{*this, t, p}, store_, clock_, duties_, p, id, action,
                                 [&](Ctx& x) -> Status {
                                   XT_RETURN_IF_ERROR(in.status());
                                   if (action == "acknowledge") return Steps::Acknowledge(*this, x, *in);
                                   if (action == "withdraw") return Steps::Withdraw(*this, x, *in);
                                   return Status::Internal("no handler for " + action);
                                 });
}

Result<CoordItemView> SharedInfoService::Get(const Principal& p, CoordType t, Id id) {
  if (!Mine(t)) return NotFound(t);
  return workflow::Get(Workflow{*this, t, p}, store_, clock_, p, id);
}

Result<CoordItemList> SharedInfoService::List(const Principal& p, CoordType t, const SharedInfoQuery& q) {
  if (!Mine(t)) return NotFound(t);
  const core::Instant now = clock_.Now();
  const std::string rule = RuleOf(t);
  storage::CoordItemFilter f;
  f.type = t;
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  if (q.direction == "in") {
    f.involving_org_id = p.org.id;
    f.not_from_org_id = p.org.id;
  } else if (q.direction == "out") {
    f.from_org_id = p.org.id;
  } else if (!q.direction.empty() && q.direction != "all") {
    return Status::Invalid("direction", "direction 应为 in|out|all", rule, "invalid_value");
  }
  if (!q.state.empty()) {
    auto s = domain::ParseItemState(TableOf(t), q.state);
    if (!s) return Status::Invalid("state", "未知状态：" + q.state, rule, "invalid_value");
    f.states.push_back(*s);
  }
  if (!q.kind.empty()) {
    if (t == CoordType::kMaterial && domain::MaterialKindLabel(q.kind).empty()) {
      return Status::Invalid("kind", "未知资料类别：" + q.kind, rule, "invalid_value");
    }
    f.kind = q.kind;  // a penalty filing's kind is its matter code
  }
  if (q.org) {
    if (f.involving_org_id && *f.involving_org_id != *q.org) return CoordItemList{};
    f.involving_org_id = *q.org;
  }
  if (!q.colour.empty()) {
    auto c = domain::ParseColour(q.colour);
    if (!c || *c == domain::Colour::kNone) {
      return Status::Invalid("colour", "colour 应为 green|yellow|red", "R-TIME-4", "invalid_value");
    }
    f.colour = c;
    f.now = now;
  }
  for (auto [name, v] : {std::pair<const char*, const std::string*>{"from", &q.from}, {"to", &q.to}}) {
    if (!v->empty() && !domain::IsIsoDate(*v)) {
      return Status::Invalid(name, std::string(name) + " 应为日期，如 2026-11-25", rule, "invalid_value");
    }
  }
  if (domain::Utf8Length(q.q) > 100) return Status::Invalid("q", "q 不能超过100个字", rule, "too_long");
  if (domain::Utf8Length(q.issuer) > 100) return Status::Invalid("issuer", "issuer 不能超过100个字", rule, "too_long");
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "page 应≥1", rule, "invalid_value");
  if (q.page_size < 1 || q.page_size > 200) return Status::Invalid("page_size", "page_size 应为1至200", rule, "invalid_value");
  // Issuer and date range are matched here on the item's own fields (a county's materials are
  // few): read every match of the store's filter, keep those, then page.
  const std::string date_key = t == CoordType::kMaterial ? "effective_date" : "decision_date";
  auto keep = [&](const CoordItem& it) {
    if (q.issuer.empty() && q.from.empty() && q.to.empty()) return true;
    const json::object d = json::parse(it.data).as_object();
    if (!q.issuer.empty() && Str(d, "issuer").find(q.issuer) == std::string::npos) return false;
    const std::string day = Str(d, date_key.c_str());
    if (!q.from.empty() && (day.empty() || day < q.from)) return false;
    if (!q.to.empty() && (day.empty() || day > q.to)) return false;
    return true;
  };
  CoordItemList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    f.offset = 0;
    f.limit = kMaxExportRows;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    std::vector<CoordItem> kept;
    for (auto& it : rows)
      if (keep(it)) kept.push_back(std::move(it));
    out.total = static_cast<int64_t>(kept.size());
    const size_t from = static_cast<size_t>(q.page - 1) * q.page_size;
    for (size_t i = from; i < kept.size() && i < from + q.page_size; ++i) {
      XT_ASSIGN_OR_RETURN(CoordItemView v, items_.Render(tx, kept[i], false, now));
      Shape(p, v);
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::string> SharedInfoService::ExportCsv(const Principal& p, CoordType t, SharedInfoQuery q) {
  q.page_size = 200;
  std::vector<CoordItemView> all;
  for (q.page = 1; static_cast<int>(all.size()) < kMaxExportRows; ++q.page) {
    XT_ASSIGN_OR_RETURN(CoordItemList l, List(p, t, q));
    for (auto& v : l.items) all.push_back(std::move(v));
    if (l.items.empty() || static_cast<int64_t>(all.size()) >= l.total) break;
  }
  const domain::ItemTable& table = TableOf(t);
  auto org = [](const CoordItemView& v, std::optional<Id> id) {
    auto o = id ? v.orgs.find(*id) : v.orgs.end();
    return o == v.orgs.end() ? std::string() : o->second.name;
  };
  if (t == CoordType::kMaterial) {
    return CsvDocument(CsvRow({"标题", "类别", "发布机关", "施行日期", "发布单位", "状态", "接收乡镇数", "已确认", "逾期确认", "待确认", "已超期", "发布时间"}),
                       all, [&](const CoordItemView& v) {
                         const json::object& c = v.fields.at("receipt_counts").as_object();
                         auto n = [&](const char* k) { return std::to_string(c.at(k).as_int64()); };
                         return std::vector<std::string>{
                             v.item.title, Str(v.fields, "kind_label"), Str(v.fields, "issuer"),
                             Str(v.fields, "effective_date"), org(v, v.item.from_org_id),
                             std::string(domain::ItemStateLabel(table, v.item.state)), n("addressed"),
                             n("acknowledged"), n("late"), n("pending"), n("overdue"), DayTime(v.item.created_at)};
                       });
  }
  return CsvDocument(CsvRow({"备案表文号", "处罚决定书文号", "当事人", "事项编码", "事项名称", "罚没款金额（元）", "决定日期", "报备乡镇", "主管部门", "状态", "期限状态", "报备时间"}),
                     all, [&](const CoordItemView& v) {
                       const json::object& m = v.fields.at("matter").as_object();
                       const json::value& a = v.fields.at("amount");
                       return std::vector<std::string>{
                           v.item.number.value_or(""), Str(v.fields, "decision_number"), Str(v.fields, "party"),
                           Str(m, "code"), Str(m, "name"), Yuan(a),
                           Str(v.fields, "decision_date"), org(v, v.item.from_org_id), org(v, v.item.to_org_id),
                           std::string(domain::ItemStateLabel(table, v.item.state)),
                           std::string(ColourWordZh(v.colour.value_or(domain::Colour::kNone))),
                           DayTime(v.item.created_at)};
                     });
}

}  // namespace xietong::service
