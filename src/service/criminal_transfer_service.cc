#include "service/workflow/items.h"
#include "service/criminal_transfer_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "domain/duty.h"
#include "service/referral_service.h"
#include "service/workflow/step.h"
#include "service/region_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Duty;
using domain::Id;
namespace cs = domain::crime_state;

namespace {

// Shared by every item service (service/workflow/items.h).
using workflow::IsStaff;
using workflow::Maybe;
using workflow::OrgRef;

constexpr CoordType kType = CoordType::kCriminalTransfer;
constexpr const char* kTypeName = "criminal_transfer";

Status NotFound() {
  return Status(core::Code::kNotFound, "not_found", "涉嫌犯罪案件移送不存在", "id", "R-ACC-1")
      .En("No such criminal transfer");
}



std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
Id OrgIdOf(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_object()) return 0;
  const json::value* id = v->as_object().if_contains("id");
  return id && id->is_int64() ? id->as_int64() : 0;
}
json::object Item(std::string_view label, const json::value& text) {
  return json::object{{"label", label}, {"text", text}};
}

// An org of `kind` for `field`, or invalid_argument.
Result<domain::Org> JudicialOrg(storage::Tx& tx, Id id, domain::OrgKind kind, const char* field,
                                const char* what) {
  XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(id)));
  if (!o || !o->active || o->kind != kind) {
    return Status::Invalid(field, std::string(field) + " 应为" + what, "R-CRI-1a", "invalid_value")
        .En(std::string(field) + " must name an org of kind " +
            (kind == domain::OrgKind::kPolice ? "police" : "procuratorate"));
  }
  return *o;
}

}  // namespace

// ---- The workflow engine's Definition -------------------------------------------------------

struct CriminalTransferService::Entity : workflow::ItemEntity {
  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
};

struct CriminalTransferService::Workflow {
  using Entity = CriminalTransferService::Entity;
  using Action = std::string_view;
  using Row = domain::CrimeTransition;
  using View = CoordItemView;

  CriminalTransferService& self;
  bool creating = false;

  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != kType) return service::NotFound();
    return Entity::Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    const bool staff = IsStaff(p) && !p.IsAuditor();
    const bool sent = e.to_org_id.has_value();  // transferred: the judicial orgs are addressed
    domain::CrimeActor actor;
    actor.agency_staff = staff && p.org.id == e.from_org_id;
    actor.agency_leader = actor.agency_staff && p.Has(domain::Role::kLeader);
    actor.police_staff = staff && sent && p.org.id == OrgIdOf(e.fields, "police");
    actor.procuratorate_staff = staff && sent && p.org.id == OrgIdOf(e.fields, "procuratorate");
    return domain::DecideCrimeTransition(a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>& x) const;
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, CoordFilesOf(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::CrimeAuditAction(a); }
  std::string ActionLabel(Action a) const { return std::string(domain::CrimeActionLabelZh(a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::CrimeStateName(e.state)); }
  std::optional<std::string> Number(const Entity& e) const {
    return creating ? e.number : std::nullopt;
  }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return self.items_.Render(tx, e, true, now, &e.fields);
  }
};
Status CriminalTransferService::Workflow::CheckGuard(Ctx& x) const {
  if (x.row.guard == domain::CrimeGuard::kNone) return Status::Ok();
  auto cal = self.calendars_.Current();
  if (!cal) return Status::Unavailable("工作日历未加载");
  // The end of the agency's challenge period: 3 calendar days from the refusal (R-TIME-5).
  auto refused_at = core::ParseInstant(Str(x.e.fields, "refused_at"));
  if (!refused_at) return Status::Internal("criminal transfer refused without refused_at");
  const core::Instant end =
      domain::ComputeDue(*cal, *refused_at, domain::PeriodUnit::kCalendarDays, domain::kCrimeChallengeDays).due;
  const std::string end_zh = domain::FormatDateZh(end - std::chrono::milliseconds(1));
  if (x.row.guard == domain::CrimeGuard::kChallengeOpen) {
    if (x.now < end) return Status::Ok();
    return Status::Precondition("challenge_period_over",
                                "根据R-CRI-1a，对不予立案决定提请复议应在3日内提出，期限已于" + end_zh + "届满",
                                "R-CRI-1a", "state")
        .En("R-CRI-1a: a reconsideration must be requested within 3 days of the refusal");
  }
  if (x.now >= end) return Status::Ok();
  return Status::Precondition("challenge_period_open",
                              "移送机关可在" + end_zh + "前提请复议，复议期限届满前不能移回（R-CRI-1a）",
                              "R-CRI-2", "state")
      .En("The agency may still request a reconsideration; return the case once the period ends");
}

CriminalTransferService::CriminalTransferService(storage::Store& store, const core::Clock& clock,
                                                 DutyService& duties, CalendarService& calendars,
                                                 CoordItemService& items)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars), items_(items) {}

// ---- One small handler per action -----------------------------------------------------------

struct CriminalTransferService::Steps {
  static Result<domain::Org> Agency(Ctx& x) { return x.tx.GetOrg(x.e.from_org_id); }
  static Result<domain::Org> Police(Ctx& x) { return x.tx.GetOrg(OrgIdOf(x.e.fields, "police")); }
  static Result<domain::Org> Procuratorate(Ctx& x) {
    return x.tx.GetOrg(OrgIdOf(x.e.fields, "procuratorate"));
  }
  static json::object AtBy(Ctx& x, json::object o) {
    o["at"] = core::FormatInstant(x.now);
    o["by"] = json::object{{"id", x.p.user.id}, {"display_name", x.p.user.display_name}};
    o["org"] = OrgRef(x.p.org);
    return o;
  }
  static std::string Case(const Ctx& x) {
    const std::string n = Str(x.e.fields, "case_number");
    return "「" + x.e.title + "」" + (n.empty() ? "" : "（" + n + "）");
  }
  static Status Open(Ctx& x, std::string_view kind, Id owner, const std::string& title) {
    DutyInput in;
    in.kind = std::string(kind);
    in.owner_org_id = owner;
    in.title = title;
    in.trigger_at = x.now;
    return x.Open(in).status();
  }
  // The case's particulars, as every document names them.
  static json::array Particulars(const Ctx& x) {
    json::array items{Item("案件名称", json::value(x.e.title)),
                      Item("涉嫌罪名", x.e.fields.at("offence")),
                      Item("涉案金额或情节", x.e.fields.at("amount"))};
    if (!Str(x.e.fields, "case_number").empty())
      items.push_back(Item("行政案件编号", x.e.fields.at("case_number")));
    return items;
  }

  static Status Created(Ctx& x) {
    XT_RETURN_IF_ERROR(Open(x, domain::kDutyCrimeDecision, x.e.from_org_id,
                            "审批是否移送涉嫌犯罪案件" + Case(x)));
    x.summary = "报告涉嫌犯罪案件：" + x.e.title;
    return x.NotifyDesk(x.e.from_org_id, "criminal_transfer.reported", "涉嫌犯罪案件待审批",
                        x.p.user.display_name + "报告涉嫌犯罪案件" + Case(x) +
                            "，请负责人在3日内作出是否移送的决定（R-CRI-1a）");
  }

  // The head's decision (R-CRI-1a), approving or not: 批.
  static Status Decision(Ctx& x, const CrimeStepInput& in, bool approve) {
    x.e.fields["decision"] = AtBy(x, json::object{{"approved", approve}, {"text", in.text}});
    XT_ASSIGN_OR_RETURN(domain::Org police, Police(x));
    json::array items = Particulars(x);
    items.push_back(Item("审批意见", json::value(approve ? "同意移送" : "不同意移送")));
    if (!in.text.empty()) items.push_back(Item(approve ? "意见" : "理由", json::value(in.text)));
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kTransferApproval, x.p.org, "涉嫌犯罪案件移送审批表" ,
                json::object{{"paragraphs",
                              json::array{json::value("案件" + Case(x) + "经审查涉嫌" +
                                                      Str(x.e.fields, "offence") + "，" +
                                                      (approve ? "批准移送" + police.name + "。"
                                                               : std::string("不批准移送，依法作行政处理。")))}},
                             {"items", std::move(items)}})
            .status());
    if (approve) {
      XT_RETURN_IF_ERROR(Open(x, domain::kDutyCrimePolice, x.e.from_org_id,
                              "24小时内向" + police.name + "移送涉嫌犯罪案件" + Case(x)));
    }
    return x.NotifyUser(x.e.created_by, approve ? "criminal_transfer.approved" : "criminal_transfer.not_approved",
                        approve ? "涉嫌犯罪案件已批准移送" : "涉嫌犯罪案件不予移送",
                        Case(x) + (approve ? "已批准，请在24小时内移送公安机关（R-CRI-1a）" : "不予移送：" + in.text));
  }
  static Status Approve(Ctx& x, const CrimeStepInput& in) { return Decision(x, in, true); }
  static Status NotApprove(Ctx& x, const CrimeStepInput& in) { return Decision(x, in, false); }

  // To the police, copied to the procuratorate (R-CRI-1a): 刑 and 抄 in one step.
  static Status Transfer(Ctx& x, const CrimeStepInput& in) {
    XT_ASSIGN_OR_RETURN(domain::Org police, Police(x));
    XT_ASSIGN_OR_RETURN(domain::Org proc, Procuratorate(x));
    x.e.to_org_id = police.id;
    for (Id o : {police.id, proc.id})
      if (std::find(x.e.org_ids.begin(), x.e.org_ids.end(), o) == x.e.org_ids.end()) x.e.org_ids.push_back(o);
    std::sort(x.e.org_ids.begin(), x.e.org_ids.end());
    x.e.fields["transfer"] = AtBy(x, json::object{{"note", in.text}});
    json::array items = Particulars(x);
    items.push_back(Item("案件事实", x.e.fields.at("facts")));
    if (!Str(x.e.fields, "penalty").empty())
      items.push_back(Item("已作出的行政处罚", x.e.fields.at("penalty")));
    json::array materials;
    for (const auto& m : x.e.fields.at("materials").as_array())
      materials.push_back(m.as_object().at("name"));
    items.push_back(Item("移送材料", json::value(materials.empty() ? std::string("（无）") : std::string())));
    for (const auto& m : materials) items.push_back(Item("附件", m));
    XT_ASSIGN_OR_RETURN(
        domain::Document letter,
        x.Issue(domain::DocKind::kCrimeTransferLetter, x.p.org, "涉嫌犯罪案件移送书",
                json::object{{"addressee", OrgRef(police)},
                             {"paragraphs",
                              json::array{json::value("我单位在查处" + Case(x) + "中，发现当事人涉嫌" +
                                                      Str(x.e.fields, "offence") +
                                                      "，依据《行政执法机关移送涉嫌犯罪案件的规定》，现将该案移送你局，请依法审查。"),
                                          json::value(std::string("请在接受移送后3日内作出立案或不予立案的决定，并书面告知我单位。"))}},
                             {"items", items}}));
    x.e.number = letter.number;
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kCrimeTransferCopy, x.p.org, "移送案件通知书",
                json::object{{"addressee", OrgRef(proc)},
                             {"paragraphs",
                              json::array{json::value("我单位已将" + Case(x) + "以" + letter.number + "移送" +
                                                      police.name + "，特此通知，请依法实施立案监督。")}},
                             {"items", std::move(items)}})
            .status());
    XT_RETURN_IF_ERROR(Open(x, domain::kDutyCrimeReceipt, police.id, "签收" + x.p.org.short_name + "移送的涉嫌犯罪案件" + Case(x)));
    x.summary = "移送" + police.short_name + "并抄送" + proc.short_name + "：" + x.e.title;
    XT_RETURN_IF_ERROR(x.NotifyDesk(police.id, "criminal_transfer.transferred", x.p.org.short_name + "移送涉嫌犯罪案件",
                                    x.p.org.name + "移送涉嫌犯罪案件" + Case(x) + "，请签收并在3日内决定是否立案（R-CRI-1a）"));
    return x.NotifyDesk(proc.id, "criminal_transfer.copied", x.p.org.short_name + "移送案件通知",
                        x.p.org.name + "已将" + Case(x) + "移送" + police.name + "（R-CRI-1a、R-CRI-5）");
  }

  static Status Receipt(Ctx& x, const CrimeStepInput& in) {
    x.e.fields["receipt"] = AtBy(x, json::object{{"note", in.text}});
    XT_ASSIGN_OR_RETURN(domain::Org agency, Agency(x));
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kPoliceReceipt, x.p.org, "接受移送案件回执",
                json::object{{"addressee", OrgRef(agency)},
                             {"paragraphs", json::array{json::value("你单位移送的" + Case(x) + "（" +
                                                                    x.e.number.value_or("") + "）及材料已收到。")}},
                             {"items", Particulars(x)}})
            .status());
    XT_RETURN_IF_ERROR(Open(x, domain::kDutyCrimeCaseDecision, x.p.org.id, "审查决定是否立案：" + Case(x)));
    return x.NotifyDesk(agency.id, "criminal_transfer.received", x.p.org.short_name + "已签收移送案件",
                        Case(x) + "已由" + x.p.org.name + "签收");
  }

  // The police's decision (立): opening a case, refusing, or upholding the refusal on review.
  static Status CaseDecision(Ctx& x, const CrimeStepInput& in, const std::string& outcome,
                             const char* title) {
    json::object d{{"outcome", outcome}, {"text", in.text}};
    if (!in.case_number.empty()) d["case_number"] = in.case_number;
    x.e.fields[outcome == "upheld" ? "review" : "case_decision"] = AtBy(x, std::move(d));
    if (outcome == "refused") x.e.fields["refused_at"] = core::FormatInstant(x.now);
    XT_ASSIGN_OR_RETURN(domain::Org agency, Agency(x));
    json::array items = Particulars(x);
    if (!in.case_number.empty()) items.push_back(Item("刑事案件编号", json::value(in.case_number)));
    if (!in.text.empty()) items.push_back(Item(outcome == "opened" ? "说明" : "理由", json::value(in.text)));
    const std::string what = outcome == "opened"  ? "决定立案侦查"
                             : outcome == "upheld" ? "经复议，维持不予立案的决定"
                                                   : "决定不予立案";
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kPoliceCaseDecision, x.p.org, title,
                json::object{{"addressee", OrgRef(agency)},
                             {"paragraphs", json::array{json::value("你单位移送的" + Case(x) + "，经审查，" + what + "。")}},
                             {"items", std::move(items)}})
            .status());
    const std::string note = Case(x) + "：" + x.p.org.short_name + what;
    XT_RETURN_IF_ERROR(x.NotifyDesk(agency.id, "criminal_transfer." + outcome, x.p.org.short_name + what, note, true));
    XT_ASSIGN_OR_RETURN(domain::Org proc, Procuratorate(x));
    return x.NotifyDesk(proc.id, "criminal_transfer." + outcome, x.p.org.short_name + what, note);
  }
  static Status OpenCase(Ctx& x, const CrimeStepInput& in) {
    return CaseDecision(x, in, "opened", "立案决定书");
  }
  static Status RefuseCase(Ctx& x, const CrimeStepInput& in) {
    return CaseDecision(x, in, "refused", "不予立案决定书");
  }
  static Status Uphold(Ctx& x, const CrimeStepInput& in) {
    return CaseDecision(x, in, "upheld", "复议决定书");
  }

  static Status Reconsider(Ctx& x, const CrimeStepInput& in) {
    x.e.fields["reconsideration"] = AtBy(x, json::object{{"reason", in.text}});
    XT_ASSIGN_OR_RETURN(domain::Org police, Police(x));
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kReconsiderationRequest, x.p.org, "提请复议书",
                json::object{{"addressee", OrgRef(police)},
                             {"paragraphs", json::array{json::value("你局对我单位移送的" + Case(x) +
                                                                    "作出不予立案决定，我单位不服，现提请复议。"),
                                                        json::value("理由：" + in.text)}},
                             {"items", Particulars(x)}})
            .status());
    XT_RETURN_IF_ERROR(Open(x, domain::kDutyCrimeReconsideration, police.id, "复议" + x.p.org.short_name + "的提请：" + Case(x)));
    return x.NotifyDesk(police.id, "criminal_transfer.reconsideration", x.p.org.short_name + "提请复议",
                        Case(x) + "：请在3日内作出复议决定（R-CRI-1a）");
  }

  // R-CRI-2: back to the agency for administrative handling.
  static Status Return(Ctx& x, const CrimeStepInput& in) {
    x.e.fields["return"] = AtBy(x, json::object{{"reason", in.text}});
    XT_ASSIGN_OR_RETURN(domain::Org agency, Agency(x));
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kCaseReturnLetter, x.p.org, "移回案件函",
                json::object{{"addressee", OrgRef(agency)},
                             {"paragraphs", json::array{json::value("你单位移送的" + Case(x) +
                                                                    "，经审查，没有犯罪事实或不需要追究刑事责任，现将案件移回你单位依法作出行政处理。"),
                                                        json::value("理由：" + in.text)}},
                             {"items", Particulars(x)}})
            .status());
    XT_RETURN_IF_ERROR(Open(x, domain::kDutyCrimeAdministrative, agency.id, "依法行政处理移回案件" + Case(x)));
    return x.NotifyDesk(agency.id, "criminal_transfer.returned", x.p.org.short_name + "移回案件",
                        Case(x) + "已移回，请依法作出行政处理（R-CRI-2）", true);
  }

  static Status Handle(Ctx& x, const CrimeStepInput& in) {
    x.e.fields["handling"] = AtBy(x, json::object{{"result", in.text}, {"penalty", in.penalty}});
    x.summary = "记录行政处理结果：" + x.e.title;
    return Status::Ok();
  }

  static Status Supervise(Ctx& x, const CrimeStepInput& in) {
    json::array& all = x.e.fields["supervision"].is_array() ? x.e.fields["supervision"].as_array()
                                                             : x.e.fields["supervision"].emplace_array();
    all.push_back(AtBy(x, json::object{{"opinion", in.text}}));
    x.summary = "立案监督意见：" + x.e.title;
    XT_RETURN_IF_ERROR(x.NotifyDesk(x.e.from_org_id, "criminal_transfer.supervised", x.p.org.short_name + "立案监督意见", Case(x) + "：" + in.text));
    return x.NotifyDesk(*x.e.to_org_id, "criminal_transfer.supervised", x.p.org.short_name + "立案监督意见", Case(x) + "：" + in.text);
  }

  using Fn = Status (*)(Ctx&, const CrimeStepInput&);
  static Fn Find(std::string_view a) {
    struct R {
      std::string_view action;
      Fn fn;
    };
    static constexpr R kRows[] = {
        {"approve", Approve},       {"not-approve", NotApprove}, {"transfer", Transfer},
        {"receipt", Receipt},       {"open-case", OpenCase},     {"refuse-case", RefuseCase},
        {"reconsider", Reconsider}, {"uphold-refusal", Uphold},  {"return", Return},
        {"handle", Handle},         {"supervise", Supervise},
    };
    for (const auto& r : kRows)
      if (r.action == a) return r.fn;
    return nullptr;
  }
};

// ---- Public ---------------------------------------------------------------------------------

Result<CoordItemView> CriminalTransferService::Create(const Principal& p,
                                                      const Result<CrimeReportInput>& in) {
  const bool agency = p.org.kind == domain::OrgKind::kTownship ||
                      p.org.kind == domain::OrgKind::kCountyDepartment;
  if (!IsStaff(p) || p.IsAuditor() || !agency) {
    return Status::Denied("仅乡镇或县直执法部门工作人员可以报告涉嫌犯罪案件", "R-CRI-1a")
        .En("Only staff of a township or county department may report a suspected crime");
  }
  XT_RETURN_IF_ERROR(in.status());
  const CrimeReportInput& r = *in;
  Workflow w{*this, /*creating=*/true};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, domain::CrimeCreateRow(),
      [&](storage::Tx& tx, core::Instant now) -> Result<Entity> {
        CoordItem it;
        it.type = kType;
        it.state = domain::kCoordNew;
        it.from_org_id = p.org.id;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.org_ids = {p.org.id};
        it.title = r.title;
        json::object data;
        if (r.referral_id) {
          XT_ASSIGN_OR_RETURN(std::optional<domain::Referral> ref, Maybe(tx.GetReferral(*r.referral_id)));
          if (!ref || !ReferralService::CanSee(p, *ref)) {
            return Status::Invalid("referral_id", "案件移送不存在", "R-CRI-1a", "invalid_value")
                .En("referral_id: no such referral");
          }
          it.referral_id = ref->id;
          if (it.title.empty()) {
            it.title = (ref->party.name.empty() ? std::string("案件") : ref->party.name + "案") +
                       (ref->number ? "（" + *ref->number + "）" : std::string());
          }
        } else if (it.title.empty()) {
          return Status::Invalid("title", "未关联案件移送时须填写案件名称", "R-CRI-1a", "missing_field")
              .En("title is required without a referral");
        }
        XT_ASSIGN_OR_RETURN(domain::Org police, JudicialOrg(tx, r.police_org, domain::OrgKind::kPolice,
                                                            "police_org", "公安机关"));
        XT_ASSIGN_OR_RETURN(domain::Org proc, JudicialOrg(tx, r.procuratorate_org, domain::OrgKind::kProcuratorate,
                                                          "procuratorate_org", "人民检察院"));
        std::vector<std::string> files;
        XT_ASSIGN_OR_RETURN(json::array materials, CoordMaterialsJson(tx, p, r.materials, "R-CRI-1a", files));
        data["case_number"] = r.case_number;
        data["facts"] = r.facts;
        data["offence"] = r.offence;
        data["amount"] = r.amount;
        data["penalty"] = r.penalty;
        data["materials"] = std::move(materials);
        data["police"] = OrgRef(police);
        data["procuratorate"] = OrgRef(proc);
        it.state = domain::CrimeCreateRow().to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
        return Entity::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["state"] = domain::CrimeStateName(x.row.to);
        return Steps::Created(x);
      });
}

Result<CoordItemView> CriminalTransferService::Act(const Principal& p, Id id, std::string_view action_in,
                                                   const Result<CrimeStepInput>& in) {
  const std::string action(action_in);
  Steps::Fn fn = Steps::Find(action);
  return workflow::Run<Workflow>(Workflow{*this}, store_, clock_, duties_, p, id, action,
                                 [&](Ctx& x) -> Status {
                                   if (!fn) return Status::Internal("no handler for criminal_transfer." + action);
                                   XT_RETURN_IF_ERROR(in.status());
                                   x.summary = std::string(domain::CrimeActionLabelZh(action)) + "：" + x.e.title;
                                   return fn(x, *in);
                                 });
}

Result<CoordItemView> CriminalTransferService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this}, store_, clock_, p, id);
}

bool CriminalTransferService::AgencyLate(const CoordItemView& v) {
  for (const Duty& d : v.duties) {
    if (d.owner_org_id != v.item.from_org_id) continue;
    if (d.on_time && !*d.on_time) return true;
    if (workflow::Pending(d) && v.now >= d.due_at) return true;
  }
  return false;
}

Result<CoordItemList> CriminalTransferService::List(const Principal& p, const CrimeQuery& q) {
  storage::CoordItemFilter f;
  f.type = kType;
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  if (!q.state.empty()) {
    auto s = domain::ParseCrimeState(q.state);
    if (!s) return Status::Invalid("state", "未知状态：" + q.state, "R-CRI-1a", "invalid_value").En("Unknown state");
    f.states.push_back(*s);
  }
  if (!q.colour.empty()) {
    XT_ASSIGN_OR_RETURN(domain::Colour c, domain::ParseColourFilter(q.colour, "invalid_value"));
    f.colour = c;
  }
  if (domain::Utf8Length(q.q) > 100) return Status::Invalid("q", "q 不能超过100个字", "R-CRI-1a", "too_long");
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "page 应≥1", "R-CRI-1a", "invalid_value");
  if (q.page_size < 1 || q.page_size > 200) {
    return Status::Invalid("page_size", "page_size 应为1至200", "R-CRI-1a", "invalid_value");
  }
  const core::Instant now = clock_.Now();
  f.now = now;
  CoordItemList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    f.limit = 10000;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    int64_t skip = static_cast<int64_t>(q.page - 1) * q.page_size;
    for (const auto& it : rows) {
      if (q.org && std::find(it.org_ids.begin(), it.org_ids.end(), *q.org) == it.org_ids.end()) continue;
      XT_ASSIGN_OR_RETURN(CoordItemView v, items_.Render(tx, it, false, now));
      if (q.late && !AgencyLate(v)) continue;
      ++out.total;
      if (skip > 0) {
        --skip;
        continue;
      }
      if (static_cast<int>(out.items.size()) < q.page_size) out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<CoordItem>> CriminalTransferService::OpenTransfersOf(storage::Tx& tx, Id referral_id) {
  storage::CoordItemFilter f;
  f.types = {kType};
  f.referral_id = referral_id;
  f.states.assign(domain::CrimeOpenStates().begin(), domain::CrimeOpenStates().end());
  f.limit = 100;
  return tx.ListCoordItems(f);
}

}  // namespace xietong::service
