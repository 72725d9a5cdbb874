#include "service/workflow/items.h"
#include "service/court_police_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "domain/court_enforcement.h"
#include "domain/police_support.h"
#include "domain/referral.h"
#include "service/csv.h"
#include "service/file_service.h"
#include "service/referral_service.h"
#include "service/item_list.h"
#include "service/workflow/step.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;

namespace {

// Shared by every item service (service/workflow/items.h).
Status NotFound(CoordType t) { return workflow::ItemNotFound(t); }
using workflow::IsStaff;
using workflow::UserRef;
using workflow::Maybe;

constexpr std::chrono::minutes kSkew{5};

bool Mine(CoordType t) {
  return t == CoordType::kCourtEnforcement || t == CoordType::kPoliceSupport;
}
const domain::ItemTable& TableOf(CoordType t) {
  return t == CoordType::kCourtEnforcement ? domain::CourtEnforcementTable()
                                           : domain::PoliceSupportTable();
}
std::string RuleOf(CoordType t) { return std::string(domain::CoordTypeRule(t)); }
std::string TypeName(CoordType t) { return std::string(domain::CoordTypeName(t)); }

json::object Item(std::string_view label, std::string_view text) {
  return json::object{{"label", label}, {"text", text}};
}
std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
Status Invalid(const std::string& field, const std::string& zh, CoordType t,
               const std::string& en) {
  return Status::Invalid(field, zh, RuleOf(t), "invalid_value").En(en);
}

// Materials or evidence → stored JSON; each file must have been uploaded by the principal's org.
Result<json::array> Files(storage::Tx& tx, const Principal& p, CoordType t, const char* field,
                          const std::vector<CoordMaterialInput>& in) {
  json::array out;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string base = std::string(field) + "[" + std::to_string(i) + "]";
    json::object m{{"name", in[i].name}, {"description", in[i].description}, {"file", nullptr}};
    if (!in[i].file.empty()) {
      XT_ASSIGN_OR_RETURN(std::optional<FileInfo> info,
                          Maybe(FileService::InfoInTx(tx, in[i].file, p.org.id)));
      bool ours = false;
      if (info) {
        XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(in[i].file));
        for (const auto& r : refs) ours = ours || r.org_id == p.org.id;
      }
      if (!info || !ours) {
        return Invalid(base + ".file", "文件不存在或不是本单位上传的", t,
                       base + ".file: unknown file, or not uploaded by your org");
      }
      m["file"] = json::object{{"id", info->id}, {"name", info->name}, {"size", info->size},
                               {"content_type", info->content_type}};
    }
    out.push_back(std::move(m));
  }
  return out;
}
// The file ids an item holds (materials, hand-over evidence): their readers are its viewers.
std::vector<std::string> FileIds(const json::object& fields) {
  std::vector<std::string> out;
  auto collect = [&](const json::value* arr) {
    if (!arr || !arr->is_array()) return;
    for (const auto& m : arr->as_array()) {
      const json::value* f = m.is_object() ? m.as_object().if_contains("file") : nullptr;
      if (f && f->is_object()) out.emplace_back(f->as_object().at("id").as_string());
    }
  };
  collect(fields.if_contains("materials"));
  if (const json::value* h = fields.if_contains("hand_over"); h && h->is_object()) {
    collect(h->as_object().if_contains("evidence"));
  }
  return out;
}

Result<domain::Org> Addressee(storage::Tx& tx, Id id, const Principal& p, CoordType t) {
  const domain::OrgKind want = t == CoordType::kCourtEnforcement ? domain::OrgKind::kCourt
                                                                 : domain::OrgKind::kPolice;
  XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(id)));
  if (!o || !o->active || o->kind != want || o->id == p.org.id) {
    const bool court = t == CoordType::kCourtEnforcement;
    return Invalid("to_org", court ? "接收单位应为人民法院" : "接收单位应为公安机关", t,
                   court ? "to_org must be a court" : "to_org must be a police org");
  }
  return *o;
}

}  // namespace

// ---- The engine's Definition (service/workflow/step.h), both types ------------------------

struct CourtPoliceService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  CourtPoliceService& self;
  CoordType t;
  bool creating = false;

  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != t) return NotFound();
    return Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(t); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    const bool staff = IsStaff(p);
    domain::CoordActor actor;
    actor.from_staff = staff && p.org.id == e.from_org_id;
    actor.to_staff = staff && e.to_org_id && p.org.id == *e.to_org_id;
    actor.to_leader = actor.to_staff && p.Has(domain::Role::kLeader);
    actor.involved_staff = actor.from_staff || actor.to_staff;
    return domain::DecideItem(TableOf(t), a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>&) const { return Status::Ok(); }  // kNone only
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, FileIds(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(t, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(TableOf(t), a)); }
  std::string StateName(const Entity& e) const {
    return std::string(domain::ItemStateName(TableOf(t), e.state));
  }
  std::optional<std::string> Number(const Entity& e) const { return creating ? e.number : std::nullopt; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return self.items_.Render(tx, e, true, now, &e.fields);
  }
};

// ---- One small handler per action -----------------------------------------------------------

struct CourtPoliceService::Steps {
  using Fn = Status (*)(const CourtPoliceService&, Ctx&, const CourtPoliceStepInput&);
  struct Row {
    CoordType type;
    std::string_view action;
    Fn fn;
  };

  template <class T>
  static Result<const T*> In(const CourtPoliceStepInput& in) {
    if (const T* v = std::get_if<T>(&in)) return v;
    return Status::Internal("court/police step given the input of another action");
  }
  static json::object AtBy(const Ctx& x, json::object o) {
    o["at"] = core::FormatInstant(x.now);
    o["by"] = UserRef(x.p.user);
    return o;
  }
  static Status NotifyFrom(Ctx& x, const std::string& kind, const std::string& title,
                           const std::string& body) {
    return x.NotifyDesk(x.e.from_org_id, kind, title, "「" + x.e.title + "」" + body, true);
  }

  // ---- Court enforcement (R-CRI-3) ----
  static Status CreatedCourt(const CourtPoliceService&, Ctx& x) {
    const json::object& f = x.e.fields;
    if (x.e.kind == "self_enforcement") {
      x.summary = "记录自行强制执行：" + x.e.title;
      return Status::Ok();
    }
    XT_ASSIGN_OR_RETURN(domain::Org court, x.tx.GetOrg(*x.e.to_org_id));
    DutyInput in;
    in.kind = std::string(domain::kCourtAcceptDuty);
    in.owner_org_id = court.id;
    in.title = "审查强制执行申请：" + x.e.title;
    in.trigger_at = x.now;
    XT_RETURN_IF_ERROR(x.Open(in).status());
    json::array items{Item("行政决定书文号", Str(f, "decision_number")),
                      Item("被申请人", Str(f, "party")),
                      Item("行政决定确定的义务", Str(f, "obligations")),
                      Item("不履行情况", Str(f, "non_compliance"))};
    if (!Str(f, "case_number").empty()) items.push_back(Item("本机关案件编号", Str(f, "case_number")));
    for (const auto& m : f.at("materials").as_array()) {
      items.push_back(Item("附件材料", m.as_object().at("name").as_string()));
    }
    XT_ASSIGN_OR_RETURN(
        domain::Document d,
        x.Issue(domain::DocKind::kCourtEnforcementApplication, x.p.org, "强制执行申请书",
                json::object{{"addressee", json::object{{"id", court.id}, {"name", court.name}}},
                             {"paragraphs",
                              json::array{"被申请人" + Str(f, "party") + "在法定期限内不申请行政复议或者提起行政诉讼，又不履行" +
                                              Str(f, "decision_number") + "行政决定。经催告仍未履行，根据《中华人民共和国行政强制法》第五十三条、第五十四条，特申请强制执行。",
                                          std::string("请依法受理并作出是否准予执行的裁定（R-CRI-3）。")}},
                             {"items", std::move(items)}}));
    x.e.number = d.number;
    x.summary = "申请" + court.short_name + "强制执行：" + x.e.title;
    return x.NotifyDesk(court.id, "court_enforcement.created", x.p.org.short_name + "申请强制执行",
                        x.p.org.name + "申请强制执行：" + x.e.title + "（" + d.number + "），请于5日内决定是否受理（R-CRI-3）");
  }
  static Status Accept(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CourtAcceptInput* a, In<CourtAcceptInput>(in));
    x.e.fields["acceptance"] =
        AtBy(x, json::object{{"court_case_number", a->court_case_number}, {"note", a->note}});
    DutyInput d;
    d.kind = std::string(domain::kCourtRulingDuty);
    d.owner_org_id = x.p.org.id;
    d.title = "作出是否准予执行的裁定：" + x.e.title;
    d.trigger_at = x.now;
    XT_RETURN_IF_ERROR(x.Open(d).status());
    return NotifyFrom(x, "court_enforcement.accepted", x.p.org.short_name + "已受理强制执行申请",
                      "已受理" + (a->court_case_number.empty() ? "" : "（" + a->court_case_number + "）"));
  }
  static Status Reject(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["rejection"] = AtBy(x, json::object{{"reason", r->reason}});
    return NotifyFrom(x, "court_enforcement.rejected", x.p.org.short_name + "不予受理强制执行申请",
                      "不予受理：" + r->reason);
  }
  static Status Ruling(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CourtRulingInput* r, In<CourtRulingInput>(in));
    if (r->ruled_at > x.now + kSkew) {
      return Invalid("ruled_at", "裁定日期不能晚于当前时间", x.e.type, "ruled_at may not be in the future");
    }
    const std::string accepted = Str(x.e.fields["acceptance"].as_object(), "at");
    if (r->ruled_at + kSkew < *core::ParseInstant(accepted)) {
      return Invalid("ruled_at", "裁定日期不能早于受理时间", x.e.type, "ruled_at is before the acceptance");
    }
    const bool granted = x.row.action == "ruling.granted";
    x.e.fields["ruling"] = AtBy(x, json::object{{"decision", granted ? "granted" : "denied"},
                                                {"decision_label", granted ? "准予执行" : "不准予执行"},
                                                {"ruling_number", r->ruling_number},
                                                {"ruled_at", core::FormatInstant(r->ruled_at)},
                                                {"text", r->text}});
    x.met_at = std::max(r->ruled_at, core::ParseInstant(accepted).value_or(r->ruled_at));
    x.met_at = std::min(x.met_at, x.now);
    x.summary = std::string(granted ? "裁定准予执行" : "裁定不准予执行") + "（" + r->ruling_number + "）：" + x.e.title;
    return NotifyFrom(x, "court_enforcement.ruled", x.p.org.short_name + (granted ? "裁定准予执行" : "裁定不准予执行"),
                      (granted ? "裁定准予执行（" : "裁定不准予执行（") + r->ruling_number + "）");
  }
  static Status Execution(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CourtExecutionInput* r, In<CourtExecutionInput>(in));
    const core::Instant at = r->executed_at.value_or(x.now);
    if (at > x.now + kSkew) {
      return Invalid("executed_at", "执行时间不能晚于当前时间", x.e.type, "executed_at may not be in the future");
    }
    x.e.fields["execution"] = AtBy(x, json::object{{"result", r->result}, {"executed_at", core::FormatInstant(at)}});
    const Id other = x.p.org.id == x.e.from_org_id ? *x.e.to_org_id : x.e.from_org_id;
    return x.NotifyDesk(other, "court_enforcement.executed", x.p.org.short_name + "记录强制执行结果",
                        "「" + x.e.title + "」：" + r->result);
  }
  static Status Withdraw(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["withdrawal"] = AtBy(x, json::object{{"reason", r->reason}});
    x.waive_reason = "强制执行申请已撤回：" + r->reason;
    return x.NotifyDesk(*x.e.to_org_id, "court_enforcement.withdrawn", x.p.org.short_name + "撤回强制执行申请",
                        "「" + x.e.title + "」：" + r->reason);
  }

  // ---- Police support (R-CRI-4) ----
  static Status CreatedPolice(const CourtPoliceService& svc, Ctx& x) {
    const json::object& f = x.e.fields;
    XT_ASSIGN_OR_RETURN(domain::Org police, x.tx.GetOrg(*x.e.to_org_id));
    const core::Instant action_at = *core::ParseInstant(Str(f, "action_at"));
    // Answer within the configured hours, or by the action's start when that is sooner.
    const auto until = std::chrono::duration_cast<std::chrono::hours>(action_at - x.now).count();
    const int64_t hours = std::max<int64_t>(1, std::min<int64_t>(svc.options_.police_answer_hours, until));
    DutyInput in;
    in.kind = std::string(domain::kPoliceAnswerDuty);
    in.owner_org_id = police.id;
    in.title = "答复协助请求：" + x.e.title;
    in.trigger_at = x.now;
    in.unit = domain::PeriodUnit::kHours;
    in.period = hours;
    XT_RETURN_IF_ERROR(x.Open(in).status());
    json::array items{Item("行动时间", Str(f, "action_at")), Item("行动地点", Str(f, "place")),
                      Item("提请事由", Str(f, "reason")), Item("预判风险", Str(f, "risk"))};
    XT_ASSIGN_OR_RETURN(
        domain::Document d,
        x.Issue(domain::DocKind::kPoliceSupportRequest, x.p.org, "提请公安机关协助函",
                json::object{{"addressee", json::object{{"id", police.id}, {"name", police.name}}},
                             {"paragraphs",
                              json::array{"我单位拟于" + Str(f, "action_at") + "在" + Str(f, "place") +
                                              "开展执法行动，可能遇到暴力阻碍或者威胁，特提请派员协助。",
                                          "请于行动开始前答复是否派警协助（R-CRI-4）。"}},
                             {"items", std::move(items)}}));
    x.e.number = d.number;
    x.summary = "提请" + police.short_name + "协助：" + x.e.title;
    return x.NotifyDesk(police.id, "police_support.created", x.p.org.short_name + "提请公安协助",
                        x.p.org.name + "提请协助：" + x.e.title + "，行动时间" + Str(f, "action_at") + "，请在" +
                            std::to_string(hours) + "小时内答复（R-CRI-4）");
  }
  static Status Answer(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PoliceAnswerInput* a, In<PoliceAnswerInput>(in));
    const bool assist = x.row.action == "answer.assist";
    if (assist && a->officers < 1) {
      return Invalid("officers", "派警协助须说明派出警力人数", x.e.type, "officers must be 1..200");
    }
    if (!assist && a->reason.empty()) {
      return Status::Invalid("reason", "缺少必填字段：reason", RuleOf(x.e.type), "missing_field")
          .En("Missing field: reason");
    }
    json::object answer{{"decision", assist ? "assist" : "decline"}};
    if (assist) {
      answer["officers"] = a->officers;
      answer["contact"] = a->contact;
      answer["note"] = a->note;
    } else {
      answer["reason"] = a->reason;
    }
    x.e.fields["answer"] = AtBy(x, std::move(answer));
    x.summary = assist ? "同意派警" + std::to_string(a->officers) + "人协助：" + x.e.title
                       : "不予协助：" + x.e.title;
    return NotifyFrom(x, "police_support.answered", x.p.org.short_name + (assist ? "同意派警协助" : "不予协助"),
                      assist ? "将派警" + std::to_string(a->officers) + "人" : "不予协助：" + a->reason);
  }
  static Status Outcome(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PoliceOutcomeInput* o, In<PoliceOutcomeInput>(in));
    x.e.fields["outcome"] = AtBy(x, json::object{{"result", o->result}, {"obstruction", o->obstruction}});
    return x.NotifyDesk(*x.e.to_org_id, "police_support.outcome", x.p.org.short_name + "记录执法行动结果",
                        "「" + x.e.title + "」" + (o->obstruction ? "：发生阻碍执法情况" : "：已结束"));
  }
  static Status HandOver(const CourtPoliceService& svc, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PoliceHandoverInput* h, In<PoliceHandoverInput>(in));
    const json::value* ob = x.e.fields["outcome"].is_object()
                                ? x.e.fields["outcome"].as_object().if_contains("obstruction")
                                : nullptr;
    if (!ob || !ob->is_bool() || !ob->as_bool()) {
      return Status::Precondition("no_obstruction", "行动结果未记录阻碍执法情况，无需移交公安机关", "R-CRI-4", "outcome")
          .En("R-CRI-4: the outcome records no obstruction to hand over");
    }
    XT_ASSIGN_OR_RETURN(json::array evidence, Files(x.tx, x.p, x.e.type, "evidence", h->evidence));
    x.e.fields["hand_over"] = AtBy(x, json::object{{"facts", h->facts}, {"people", h->people},
                                                   {"evidence", std::move(evidence)}});
    DutyInput d;
    d.kind = std::string(domain::kPoliceHandoverDuty);
    d.owner_org_id = *x.e.to_org_id;
    d.title = "处理移交的阻碍执法情况：" + x.e.title;
    d.trigger_at = x.now;
    d.unit = domain::PeriodUnit::kHours;
    d.period = svc.options_.police_handover_hours;
    XT_RETURN_IF_ERROR(x.Open(d).status());
    return x.NotifyDesk(*x.e.to_org_id, "police_support.handed_over", x.p.org.short_name + "移交阻碍执法情况",
                        "「" + x.e.title + "」行动中发生阻碍执法情况，请处理并记录处理情况（R-CRI-4）");
  }
  static Status Handle(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const PoliceHandleInput* h, In<PoliceHandleInput>(in));
    const std::string_view label = domain::PoliceDispositionLabel(h->disposition);
    if (label.empty()) {
      return Invalid("disposition", "disposition 应为 criminal_case|public_security_penalty|other", x.e.type,
                     "disposition must be criminal_case, public_security_penalty or other");
    }
    x.e.fields["handling"] = AtBy(x, json::object{{"disposition", h->disposition}, {"disposition_label", label},
                                                  {"case_number", h->case_number}, {"note", h->note}});
    x.summary = "记录处理情况（" + std::string(label) + "）：" + x.e.title;
    return NotifyFrom(x, "police_support.handled", x.p.org.short_name + "已处理移交的阻碍执法情况",
                      "：" + std::string(label));
  }
  static Status Cancel(const CourtPoliceService&, Ctx& x, const CourtPoliceStepInput& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, In<CoordReasonInput>(in));
    x.e.fields["cancellation"] = AtBy(x, json::object{{"reason", r->reason}});
    x.waive_reason = "协助请求已取消：" + r->reason;
    return x.NotifyDesk(*x.e.to_org_id, "police_support.cancelled", x.p.org.short_name + "取消协助请求",
                        "「" + x.e.title + "」：" + r->reason);
  }

  static const Row* Find(CoordType t, std::string_view a);
};

const CourtPoliceService::Steps::Row* CourtPoliceService::Steps::Find(CoordType t,
                                                                      std::string_view a) {
  static constexpr Row kRows[] = {
      {CoordType::kCourtEnforcement, "accept", Accept},
      {CoordType::kCourtEnforcement, "reject", Reject},
      {CoordType::kCourtEnforcement, "ruling.granted", Ruling},
      {CoordType::kCourtEnforcement, "ruling.denied", Ruling},
      {CoordType::kCourtEnforcement, "execution", Execution},
      {CoordType::kCourtEnforcement, "withdraw", Withdraw},
      {CoordType::kPoliceSupport, "answer.assist", Answer},
      {CoordType::kPoliceSupport, "answer.decline", Answer},
      {CoordType::kPoliceSupport, "outcome", Outcome},
      {CoordType::kPoliceSupport, "hand-over", HandOver},
      {CoordType::kPoliceSupport, "handle", Handle},
      {CoordType::kPoliceSupport, "cancel", Cancel},
  };
  for (const auto& r : kRows)
    if (r.type == t && r.action == a) return &r;
  return nullptr;
}

// ---- Construction ---------------------------------------------------------------------------

CourtPoliceService::CourtPoliceService(storage::Store& store, const core::Clock& clock,
                                       DutyService& duties, CoordItemService& items,
                                       CourtPoliceOptions options)
    : store_(store), clock_(clock), duties_(duties), items_(items), options_(options) {}

// ---- Creation -------------------------------------------------------------------------------

namespace {

// Court enforcement fields → item; domain checks.
Status NewCourt(storage::Tx& tx, const Principal& p, const CourtEnforcementInput& in, CoordItem& it,
                json::object& data, core::Instant now) {
  const CoordType t = CoordType::kCourtEnforcement;
  if (in.case_number.empty() && !in.referral_id) {
    return Status::Invalid("case_number", "须关联案件移送（referral_id）或填写本机关案件编号（case_number）", "R-CRI-3",
                           "missing_field")
        .En("Link a referral (referral_id) or give the case number (case_number)");
  }
  it.kind = in.self ? "self_enforcement" : "court_application";
  data["kind_label"] = in.self ? "自行强制执行" : "申请法院强制执行";
  data["case_number"] = in.case_number;
  data["decision_number"] = in.decision_number;
  data["party"] = in.party;
  data["obligations"] = in.obligations;
  data["non_compliance"] = in.non_compliance;
  XT_ASSIGN_OR_RETURN(json::array materials, Files(tx, p, t, "materials", in.materials));
  data["materials"] = std::move(materials);
  data["self_enforcement"] = nullptr;
  if (in.self) {
    if (in.to_org) return Invalid("to_org", "自行强制执行不涉及法院", t, "to_org is for court applications only");
    if (in.measure.empty()) {
      return Status::Invalid("measure", "缺少必填字段：measure", "R-CRI-3", "missing_field").En("Missing field: measure");
    }
    if (!in.enforced_at) {
      return Status::Invalid("enforced_at", "缺少必填字段：enforced_at", "R-CRI-3", "missing_field")
          .En("Missing field: enforced_at");
    }
    if (*in.enforced_at > now + kSkew) {
      return Invalid("enforced_at", "执行时间不能晚于当前时间", t, "enforced_at may not be in the future");
    }
    if (in.result.empty()) {
      return Status::Invalid("result", "缺少必填字段：result", "R-CRI-3", "missing_field").En("Missing field: result");
    }
    data["self_enforcement"] = json::object{{"measure", in.measure},
                                            {"enforced_at", core::FormatInstant(*in.enforced_at)},
                                            {"result", in.result}};
  } else {
    if (!in.measure.empty() || in.enforced_at || !in.result.empty()) {
      const char* f = !in.measure.empty() ? "measure" : in.enforced_at ? "enforced_at" : "result";
      return Invalid(f, std::string(f) + " 仅用于自行强制执行", t, std::string(f) + " is for self enforcement only");
    }
    if (!in.to_org) {
      return Status::Invalid("to_org", "缺少必填字段：to_org", "R-CRI-3", "missing_field").En("Missing field: to_org");
    }
    XT_ASSIGN_OR_RETURN(domain::Org court, Addressee(tx, *in.to_org, p, t));
    it.to_org_id = court.id;
  }
  for (const char* k : {"acceptance", "rejection", "ruling", "execution", "withdrawal"}) data[k] = nullptr;
  it.title = !in.title.empty() ? in.title : in.party + "不履行" + in.decision_number;
  return Status::Ok();
}

Status NewPolice(storage::Tx& tx, const Principal& p, const PoliceSupportInput& in, CoordItem& it,
                 json::object& data, core::Instant now) {
  const CoordType t = CoordType::kPoliceSupport;
  XT_ASSIGN_OR_RETURN(domain::Org police, Addressee(tx, in.to_org, p, t));
  if (in.action_at <= now) {
    return Invalid("action_at", "行动时间应晚于当前时间（行动前提请协助）", t, "action_at must be in the future");
  }
  it.to_org_id = police.id;
  data["case_number"] = in.case_number;
  data["action_at"] = core::FormatInstant(in.action_at);
  data["place"] = in.place;
  data["reason"] = in.reason;
  data["risk"] = in.risk;
  XT_ASSIGN_OR_RETURN(json::array materials, Files(tx, p, t, "materials", in.materials));
  data["materials"] = std::move(materials);
  for (const char* k : {"answer", "outcome", "hand_over", "handling", "cancellation"}) data[k] = nullptr;
  it.title = !in.title.empty() ? in.title : in.place + "执法行动";
  return Status::Ok();
}

}  // namespace

Result<CoordItemView> CourtPoliceService::Create(const Principal& p, CoordType t,
                                                 const Result<CourtPoliceCreateInput>& in) {
  if (!Mine(t)) return NotFound(t);
  const bool agency = p.org.kind == domain::OrgKind::kTownship ||
                      p.org.kind == domain::OrgKind::kCountyDepartment;
  if (!IsStaff(p) || p.IsAuditor() || !agency) {
    return Status::Denied("仅乡镇或县直执法部门工作人员可以发起" + std::string(domain::CoordTypeLabelZh(t)), RuleOf(t))
        .En("Only staff of a township or county department may start a " + TypeName(t));
  }
  XT_RETURN_IF_ERROR(in.status());
  const auto* court = std::get_if<CourtEnforcementInput>(&*in);
  const auto* police = std::get_if<PoliceSupportInput>(&*in);
  if ((t == CoordType::kCourtEnforcement) != (court != nullptr) || (!court && !police)) {
    return Status::Internal("court/police item created with the input of another type");
  }
  const CoordCommonInput& common = court ? static_cast<const CoordCommonInput&>(*court) : *police;
  const domain::CoordTransition* row =
      domain::ItemCreateRow(TableOf(t), court && court->self ? "create.self" : "create");
  Workflow w{*this, t, /*creating=*/true};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        CoordItem it;
        it.type = t;
        it.from_org_id = p.org.id;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        json::object data;
        if (court) {
          XT_RETURN_IF_ERROR(NewCourt(tx, p, *court, it, data, now));
        } else {
          XT_RETURN_IF_ERROR(NewPolice(tx, p, *police, it, data, now));
        }
        it.org_ids = {p.org.id};
        if (it.to_org_id) it.org_ids.push_back(*it.to_org_id);
        std::sort(it.org_ids.begin(), it.org_ids.end());
        if (common.referral_id) {
          XT_ASSIGN_OR_RETURN(std::optional<domain::Referral> r, Maybe(tx.GetReferral(*common.referral_id)));
          if (!r || !ReferralService::CanSee(p, *r)) {
            return Invalid("referral_id", "案件移送不存在", t, "referral_id: no such referral");
          }
          it.referral_id = *common.referral_id;
        }
        it.state = row->to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, FileIds(data)));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["state"] = domain::ItemStateName(TableOf(t), row->to);
        x.detail["to_org"] = x.e.to_org_id ? json::value(*x.e.to_org_id) : json::value(nullptr);
        return t == CoordType::kCourtEnforcement ? Steps::CreatedCourt(*this, x)
                                                 : Steps::CreatedPolice(*this, x);
      });
}

// ---- Steps ----------------------------------------------------------------------------------

Result<CoordItemView> CourtPoliceService::Act(const Principal& p, CoordType t, Id id,
                                              std::string_view action_in,
                                              const Result<CourtPoliceStepInput>& in) {
  if (!Mine(t)) return NotFound(t);
  const std::string action(action_in);
  const Steps::Row* handler = Steps::Find(t, action);
  return workflow::Run<Workflow>(Workflow{*this, t}, store_, clock_, duties_, p, id, action,
                                 [&](Ctx& x) -> Status {
                                   if (!handler) return Status::Internal("no handler for " + TypeName(t) + "." + action);
                                   XT_RETURN_IF_ERROR(in.status());  // the body, read by the handler
                                   x.summary = std::string(domain::ItemActionLabel(TableOf(t), action)) + "：" + x.e.title;
                                   return handler->fn(*this, x, *in);
                                 });
}

// ---- Reading --------------------------------------------------------------------------------

Result<CoordItemView> CourtPoliceService::Get(const Principal& p, CoordType t, Id id) {
  if (!Mine(t)) return NotFound(t);
  return workflow::Get(Workflow{*this, t}, store_, clock_, p, id);
}

Result<CoordItemList> CourtPoliceService::List(const Principal& p, CoordType t, const CoordQuery& q) {
  if (!Mine(t)) return NotFound(t);
  ItemListSpec spec{.type = t, .table = &TableOf(t), .rule = RuleOf(t), .outgoing = true,
                    .kind_ok = [t](const std::string& k) {
                      return t == CoordType::kCourtEnforcement &&
                             (k == "court_application" || k == "self_enforcement");
                    }};
  const core::Instant now = clock_.Now();
  return ListItems(store_, p, spec, q, now, [&](storage::Tx& tx, const CoordItem& it) {
    return items_.Render(tx, it, false, now);
  });
}

Result<std::string> CourtPoliceService::ExportCsv(const Principal& p, CoordType t, CoordQuery q) {
  XT_ASSIGN_OR_RETURN(std::vector<CoordItemView> all,
                      AllItems(std::move(q), [&](const CoordQuery& q) { return List(p, t, q); }));
  const domain::ItemTable& table = TableOf(t);
  auto org = [](const CoordItemView& v, std::optional<Id> id) {
    auto o = id ? v.orgs.find(*id) : v.orgs.end();
    return o == v.orgs.end() ? std::string() : o->second.name;
  };
  return CsvDocument(CsvRow({"文号", "标题", "类别", "状态", "发起单位", "接收单位", "创建时间", "期限状态"}), all,
                     [&](const CoordItemView& v) {
                       const CoordItem& it = v.item;
                       return std::vector<std::string>{
                           it.number.value_or(""), it.title, Str(v.fields, "kind_label"),
                           std::string(domain::ItemStateLabel(table, it.state)),
                           org(v, it.from_org_id), org(v, it.to_org_id), DayTime(it.created_at),
                           std::string(ColourWordZh(v.colour.value_or(domain::Colour::kNone)))};
                     });
}

}  // namespace xietong::service
