#include "service/referral_service.h"

#include "domain/criminal_transfer.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>
#include <utility>

#include "domain/rules.h"
#include "service/audit_log.h"
#include "service/csv.h"
#include "service/file_service.h"
#include "service/matter_service.h"
#include "service/region_service.h"
#include "service/workflow/step.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::Duty;
using domain::DutyState;
using domain::Id;
using domain::Referral;
using domain::ReferralAction;
using domain::ReferralState;

namespace {

constexpr size_t kMaxQueryChars = 100;
// Clock skew tolerated for "not in the future" checks.
constexpr std::chrono::minutes kSkew{5};

Status ReferralNotFound() {
  // The same answer for a missing referral and for one the principal may not see (R-ACC-1).
  return Status(core::Code::kNotFound, "not_found", "案件移送不存在", "id", "R-ACC-1")
      .En("No such referral");
}

Status DocumentNotFound() {
  return Status(core::Code::kNotFound, "not_found", "文书不存在", "id", "R-ACC-1")
      .En("No such document");
}

bool IsReferrer(domain::OrgKind k) {
  return k == domain::OrgKind::kTownship || k == domain::OrgKind::kCountyDepartment;
}

std::string PartyLabel(const Referral& r) {
  return r.party.name.empty() ? std::string("当事人") : r.party.name;
}

// The duties of a referral (ascending id).
Result<std::vector<Duty>> DutiesOf(storage::Tx& tx, Id referral_id) {
  return DutiesOfObject(tx, "referral", referral_id);
}

domain::ReferralActor ActorOf(const Principal& p, const Referral& r) {
  domain::ReferralActor a;
  const bool sender = p.org.id == r.from_org_id;
  const bool receiver = p.org.id == r.to_org_id && r.sent_at.has_value();
  a.sender_officer = sender && p.Has(domain::Role::kOfficer);
  a.sender_leader = sender && p.Has(domain::Role::kLeader);
  a.receiver_staff = receiver && (p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader) ||
                                  p.Has(domain::Role::kLiaison));
  a.receiver_leader = receiver && p.Has(domain::Role::kLeader);
  // R-REF-7 across counties: the office of the lowest common region decides (R-ACC-2).
  a.coordinator = p.CoordinatesBetween({r.from_org_id, r.to_org_id});
  return a;
}

Status CheckFileId(const std::string& id, const std::string& field) {
  bool hex = id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
  if (!hex) {
    return Status::Invalid(field, "文件编号应为64位小写十六进制（上传文件后返回的 id）", "R-REF-3")
        .En(field + " must be the id returned by POST /api/v1/files");
  }
  return Status::Ok();
}

}  // namespace

// ---- Construction and visibility ----------------------------------------------------------

ReferralService::ReferralService(storage::Store& store, const core::Clock& clock,
                                 DutyService& duties, CalendarService& calendars)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars) {}

bool ReferralService::CanSee(const Principal& p, const Referral& r) {
  // Coordinators, auditors, administrators: any org involved in their scope (R-ACC-1, R-ACC-2).
  if (p.OverseesAny({r.from_org_id, r.to_org_id}) || p.OverseesAny(r.past_to_org_ids)) return true;
  if (r.from_org_id == p.org.id) return true;
  // R-REF-8: copied both ways once it has left the sender; the matter's owner sees it too.
  if (r.sent_at.has_value() && (r.to_org_id == p.org.id || r.matter_owner_org_id == p.org.id))
    return true;
  // Issue 15 finding 9: a receiver the coordinator reassigned it from keeps read access.
  return std::find(r.past_to_org_ids.begin(), r.past_to_org_ids.end(), p.org.id) !=
         r.past_to_org_ids.end();
}

Status ReferralService::WithPastReceivers(storage::Tx& tx, Referral& r) {
  r.past_to_org_ids.clear();
  if (!r.coordination || r.coordination->decision != domain::kDecisionReassign) return Status::Ok();
  storage::DutyFilter f;
  f.object_type = "referral";
  f.object_id = std::to_string(r.id);
  f.kind = std::string(domain::kDutyReferralAccept);
  f.limit = 1000;
  XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, tx.ListDuties(f));
  for (const Duty& d : ds) {
    if (d.owner_org_id != r.to_org_id &&
        std::find(r.past_to_org_ids.begin(), r.past_to_org_ids.end(), d.owner_org_id) ==
            r.past_to_org_ids.end())
      r.past_to_org_ids.push_back(d.owner_org_id);
  }
  return Status::Ok();
}

Result<Referral> ReferralService::LoadVisible(storage::Tx& tx, Id id) {
  XT_ASSIGN_OR_RETURN(Referral r, tx.GetReferral(id));
  XT_RETURN_IF_ERROR(WithPastReceivers(tx, r));
  return r;
}

core::Result<bool> ReferralService::CanReadFileInTx(storage::Tx& tx, const Principal& p,
                                         const std::string& sha256) {
  return workflow::AnyVisible(
      tx.ReferralsWithFile(sha256), [&](Id id) { return LoadVisible(tx, id); },
      [&](const domain::Referral& e) { return CanSee(p, e); });
}

// ---- Input ---------------------------------------------------------------------------------

namespace {

// Applies `in` to `r` (create: r is fresh; update: r is the stored referral). Resolves the
// matter, township and receiver, copies file metadata, validates shapes. `matter` receives the
// resolved matter.
Status ApplyInput(storage::Tx& tx, Referral& r, const ReferralInput& in,
                  bool create, core::Instant now, domain::Matter& matter) {
  if (in.matter_code && in.matter_id) {
    return Status::Invalid("matter", "执法事项只能按编码或编号之一指定")
        .En("Give the matter by code or by id, not both");
  }
  if (create) {
    if (!in.to_org_id) return Status::Invalid("to_org", "请选择接收单位", "R-REF-1", "missing_field").En("to_org is required");
    if (!in.matter_code && !in.matter_id)
      return Status::Invalid("matter", "请选择执法事项", "R-JUR-1", "missing_field").En("matter is required");
    if (!in.township_id)
      return Status::Invalid("township", "请选择违法行为发生地所在乡镇", "R-JUR-1", "missing_field")
          .En("township is required");
    if (!in.discovered_at)
      return Status::Invalid("discovered_at", "请填写发现时间", "R-REF-4", "missing_field")
          .En("discovered_at is required");
  }
  // The matter.
  if (in.matter_code) {
    XT_ASSIGN_OR_RETURN(matter, MatterService::GetMatterByCodeInTx(tx, *in.matter_code));
  } else if (in.matter_id) {
    auto m = tx.GetMatter(*in.matter_id);
    if (!m.ok()) {
      if (m.status().code() != core::Code::kNotFound) return m.status();
      return Status::Invalid("matter", "执法事项不存在", "R-JUR-1").En("No such matter");
    }
    matter = *m;
  } else {
    auto m = tx.GetMatter(r.matter_id);
    if (!m.ok()) return m.status();
    matter = *m;
  }
  r.matter_id = matter.id;
  r.matter_code = matter.code;
  r.matter_owner_org_id = matter.owner_org_id;
  // Where it happened.
  if (in.township_id) {
    auto t = tx.GetOrg(*in.township_id);
    if (!t.ok() || t->kind != domain::OrgKind::kTownship) {
      if (!t.ok() && t.status().code() != core::Code::kNotFound) return t.status();
      return Status::Invalid("township", "所选机构不是乡镇综合行政执法部门", "R-JUR-1")
          .En("township must be a township office");
    }
    r.township_org_id = t->id;
  }
  // The receiver (R-REF-1: the other party, a township office or a county department).
  if (in.to_org_id) {
    auto o = tx.GetOrg(*in.to_org_id);
    if (!o.ok()) {
      if (o.status().code() != core::Code::kNotFound) return o.status();
      return Status::Invalid("to_org", "接收单位不存在", "R-REF-1").En("No such org");
    }
    if (!IsReferrer(o->kind) || !o->active) {
      return Status::Invalid("to_org", "接收单位应为乡镇综合行政执法部门或县直执法部门", "R-REF-1")
          .En("to_org must be a township office or a county department");
    }
    if (o->id == r.from_org_id) {
      return Status::Invalid("to_org", "不能移送给本单位", "R-REF-1")
          .En("A referral goes to another org");
    }
    r.to_org_id = o->id;
  }
  if (in.discovered_at) {
    const core::Instant t = *in.discovered_at;
    if (t > now + kSkew) {
      return Status::Invalid("discovered_at", "发现时间不能晚于当前时间", "R-TIME-5")
          .En("discovered_at lies in the future");
    }
    if (domain::ShanghaiYear(t) < 2000) {
      return Status::Invalid("discovered_at", "发现时间应在2000年之后", "R-TIME-5")
          .En("discovered_at must lie after 2000");
    }
    r.discovered_at = t;
  }
  if (in.place) r.place = *in.place;
  if (in.facts) r.facts = *in.facts;
  if (in.party) r.party = *in.party;
  if (in.legal_basis) r.legal_basis = *in.legal_basis;
  if (in.urgent) r.urgent = *in.urgent;
  if (in.ongoing) r.ongoing = *in.ongoing;
  if (in.dissuasion) r.dissuasion = *in.dissuasion;
  if (!r.ongoing && in.ongoing) r.dissuasion.reset();  // not ongoing: nothing to dissuade
  if (r.dissuasion) {
    if (r.dissuasion->at > now + kSkew) {
      return Status::Invalid("dissuasion.at", "劝阻时间不能晚于当前时间", "R-REF-5")
          .En("dissuasion.at lies in the future");
    }
    if (r.dissuasion->at < r.discovered_at - std::chrono::hours(24)) {
      return Status::Invalid("dissuasion.at", "劝阻时间不能早于发现时间", "R-REF-5")
          .En("dissuasion.at lies before discovered_at");
    }
  }
  if (in.checklist) r.checklist = *in.checklist;
  if (in.unit_legal_basis) r.unit_legal_basis = *in.unit_legal_basis;
  if (in.jurisdiction_override_reason) {
    r.jurisdiction_override_reason = *in.jurisdiction_override_reason;
  }
  if (in.evidence) {
    std::vector<domain::EvidenceItem> items;
    for (size_t i = 0; i < in.evidence->size(); ++i) {
      const EvidenceInput& e = (*in.evidence)[i];
      const std::string field = "evidence[" + std::to_string(i) + "].file";
      domain::EvidenceItem item;
      item.name = e.name;
      item.description = e.description;
      if (e.file_id && !e.file_id->empty()) {
        XT_RETURN_IF_ERROR(CheckFileId(*e.file_id, field));
        // The sender may attach a file its org uploaded, or one already attached here.
        bool attached = std::any_of(r.evidence.begin(), r.evidence.end(), [&](const auto& x) {
          return x.file_id && *x.file_id == *e.file_id;
        });
        bool own = false;
        auto refs = tx.ListFileRefs(*e.file_id);
        if (refs.ok()) {
          own = std::any_of(refs->begin(), refs->end(),
                            [&](const storage::FileRef& f) { return f.org_id == r.from_org_id; });
        }
        auto info = FileService::InfoInTx(tx, *e.file_id, r.from_org_id);
        if (!info.ok() || !(own || attached)) {
          if (!info.ok() && info.status().code() != core::Code::kNotFound) return info.status();
          return Status::Invalid(field, "文件不存在，请先上传", "R-REF-3")
              .En("No such file; upload it first");
        }
        item.file_id = info->id;
        item.file_name = info->name;
        item.file_size = info->size;
        item.file_content_type = info->content_type;
      }
      items.push_back(std::move(item));
    }
    r.evidence = std::move(items);
  }
  return domain::CheckReferralShape(r);
}

// R-JUR-1 (and R-JUR-2: the catalog as it was on the discovery day): the receiver must be the
// competent org, unless an override reason is given (then the coordinator is told).
Status CheckJurisdiction(storage::Tx& tx, Referral& r) {
  XT_ASSIGN_OR_RETURN(domain::Competence c,
                      MatterService::JurisdictionInTx(tx, r.matter_code, r.township_org_id,
                                                      core::ShanghaiDay(r.discovered_at)));
  if (c.competent_org_id == r.to_org_id) {
    r.flagged_for_coordinator = false;
    return Status::Ok();
  }
  if (c.competent_org_id == r.from_org_id && domain::IsBlank(r.jurisdiction_override_reason)) {
    return Status::Invalid("to_org",
                           "根据R-JUR-1，" + c.reason + "，本单位即有管辖权，无需移送",
                           "R-JUR-1", "not_competent")
        .En("R-JUR-1: the sender itself is competent for this matter there on that day");
  }
  if (domain::IsBlank(r.jurisdiction_override_reason)) {
    std::string competent;
    if (auto o = tx.GetOrg(c.competent_org_id); o.ok()) competent = o->name;
    return Status::Invalid("to_org",
                           "根据R-JUR-1，" + c.reason + "，有管辖权的是" + competent +
                               "；如确需移送给所选单位，请填写 jurisdiction_override_reason",
                           "R-JUR-1", "not_competent")
        .En("R-JUR-1: to_org is not the competent org for the matter in that township on the "
            "discovery day; give jurisdiction_override_reason to send it anyway");
  }
  r.flagged_for_coordinator = true;
  return Status::Ok();
}

// The R-REF-4 duty for `r` (and its kind).
DutyInput SendDuty(const Referral& r, const domain::Matter& matter, const domain::Org& to) {
  DutyInput in;
  in.kind = r.urgent ? "referral.send_urgent" : "referral.send";
  in.owner_org_id = r.from_org_id;
  in.object_type = "referral";
  in.object_id = std::to_string(r.id);
  in.title = "移送" + PartyLabel(r) + "涉嫌" + matter.name + "案至" + to.short_name;
  in.trigger_at = r.discovered_at;
  if (!r.urgent && matter.statutory_referral_days && *matter.statutory_referral_days > 0) {
    in.unit = domain::PeriodUnit::kWorkingDays;  // R-REF-4: the statutory period
    in.period = *matter.statutory_referral_days;
  }
  return in;
}

DutyInput OngoingDuty(const Referral& r, const domain::Matter& matter, const domain::Org& to);

// The open R-REF-4 / R-REF-5 duties of `r` take the titles SendDuty / OngoingDuty give now.
Status RetitleOpenDuties(storage::Tx& tx, const Referral& r, const domain::Matter& matter,
                         const domain::Org& to) {
  storage::DutyFilter f;
  f.object_type = "referral";
  f.object_id = std::to_string(r.id);
  f.state = domain::DutyState::kOpen;
  f.limit = 100;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> open, tx.ListDuties(f));
  for (domain::Duty& d : open) {
    std::string title;
    if (d.kind == domain::kDutyReferralSend || d.kind == domain::kDutyReferralSendUrgent) {
      title = SendDuty(r, matter, to).title;
    } else if (d.kind == domain::kDutyReferralOngoing) {
      title = OngoingDuty(r, matter, to).title;
    }
    if (title.empty() || title == d.title) continue;
    d.title = std::move(title);
    XT_RETURN_IF_ERROR(tx.UpdateDuty(d));
  }
  return Status::Ok();
}

DutyInput OngoingDuty(const Referral& r, const domain::Matter& matter, const domain::Org& to) {
  DutyInput in;
  in.kind = "referral.ongoing_notice";
  in.owner_org_id = r.from_org_id;
  in.object_type = "referral";
  in.object_id = std::to_string(r.id);
  in.title = "书面告知" + to.short_name + "：" + PartyLabel(r) + "正在进行的" + matter.name;
  in.trigger_at = r.discovered_at;
  return in;
}

DutyInput AcceptDuty(const Referral& r, const domain::Matter& matter, const domain::Org& from,
                     core::Instant trigger) {
  DutyInput in;
  in.kind = "referral.accept_notice";
  in.owner_org_id = r.to_org_id;
  in.object_type = "referral";
  in.object_id = std::to_string(r.id);
  in.title = "书面告知" + from.short_name + "受理情况：" + PartyLabel(r) + "涉嫌" + matter.name;
  if (r.number) in.title += "（" + *r.number + "）";
  in.trigger_at = trigger;
  return in;
}

}  // namespace

// ---- Create and update ----------------------------------------------------------------------

Result<ReferralView> ReferralService::Create(const Principal& p, const ReferralInput& in) {
  const core::Instant now = clock_.Now();
  ReferralView out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(Referral r, CreateInTx(tx, p, in, now));
    XT_ASSIGN_OR_RETURN(out, Load(tx, std::move(r), true, now));
    return Status::Ok();
  }));
  return out;
}

Result<Referral> ReferralService::CreateInTx(storage::Tx& tx, const Principal& p,
                                             const ReferralInput& in, core::Instant now) {
  // R-REF-1: a township office or a county department refers, through its officers.
  if (!IsReferrer(p.org.kind) || !p.Has(domain::Role::kOfficer)) {
    return Status::Denied("仅乡镇综合行政执法部门或县直执法部门的执法人员可以发起案件移送", "R-REF-1")
        .En("Only officers of a township office or a county department create referrals");
  }
  // R-REF-2: never in the name of an internal or dispatched unit, unless a law says so.
  XT_RETURN_IF_ERROR(domain::CheckReferralSender(p.user.unit_id.has_value(),
                                                 in.unit_legal_basis.value_or("")));
  {
    Referral r;
    r.state = ReferralState::kDraft;
    r.from_org_id = p.org.id;
    r.created_by = p.user.id;
    r.created_at = now;
    r.updated_at = now;
    if (p.user.unit_id) r.unit_id = p.user.unit_id;
    domain::Matter matter;
    XT_RETURN_IF_ERROR(ApplyInput(tx, r, in, /*create=*/true, now, matter));
    if (!r.unit_id) r.unit_legal_basis.clear();
    XT_RETURN_IF_ERROR(CheckJurisdiction(tx, r));
    XT_ASSIGN_OR_RETURN(r.id, tx.InsertReferral(r));
    XT_ASSIGN_OR_RETURN(domain::Org to, tx.GetOrg(r.to_org_id));
    // R-REF-4 (and R-REF-5) duties, owed by the sender from the discovery.
    XT_RETURN_IF_ERROR(duties_.CreateInTx(tx, &p, SendDuty(r, matter, to), now).status());
    if (r.ongoing) {
      XT_RETURN_IF_ERROR(duties_.CreateInTx(tx, &p, OngoingDuty(r, matter, to), now).status());
    }
    if (r.flagged_for_coordinator) {
      XT_ASSIGN_OR_RETURN(auto staff, workflow::CoordinatorStaff(tx, {r.from_org_id, r.to_org_id}));
      XT_RETURN_IF_ERROR(workflow::NotifyOnce(
          tx, staff, "referral.jurisdiction_override", "管辖异议提示：" + p.org.short_name + "拟移送案件",
          p.org.name + "拟将" + PartyLabel(r) + "涉嫌" + matter.name + "案移送" + to.name +
              "，与执法事项目录的管辖不一致，理由：" + r.jurisdiction_override_reason + "（R-JUR-1）",
          "referral", r.id, "referral." + std::to_string(r.id) + ".override", now));
    }
    json::object detail;
    detail["to_org_id"] = r.to_org_id;
    detail["matter"] = r.matter_code;
    detail["township_id"] = r.township_org_id;
    detail["discovered_at"] = core::FormatInstant(r.discovered_at);
    detail["urgent"] = r.urgent;
    detail["ongoing"] = r.ongoing;
    detail["evidence"] = static_cast<int64_t>(r.evidence.size());
    if (r.unit_id) {
      detail["unit_id"] = *r.unit_id;
      detail["unit_legal_basis"] = r.unit_legal_basis;
    }
    if (r.flagged_for_coordinator) {
      detail["jurisdiction_override_reason"] = r.jurisdiction_override_reason;
    }
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{"referral.create", "referral", std::to_string(r.id),
                                          "起草案件移送：" + PartyLabel(r) + "涉嫌" + matter.name +
                                              "，拟移送" + to.name,
                                          std::move(detail)})
                           );
    return r;
  }
}

// ---- Steps: the workflow engine's Definition for referrals (service/workflow/step.h) -------

struct ReferralService::Workflow {
  using Entity = Referral;
  using Action = ReferralAction;
  using Row = domain::ReferralTransition;
  using View = ReferralView;

  ReferralService& self;

  Result<Referral> Load(storage::Tx& tx, Id id) const { return LoadVisible(tx, id); }
  Status NotFound() const { return ReferralNotFound(); }
  bool CanSee(const Principal& p, const Referral& r) const { return ReferralService::CanSee(p, r); }
  Result<const Row*> Decide(const Principal& p, const Referral& r, Action a) const {
    return domain::DecideTransition(a, r.state, ActorOf(p, r));
  }
  Status CheckGuard(StepContext& c) const {
    if (c.row.guard == domain::ReferralGuard::kNoOpenCriminalTransfer) {
      // R-CRI-1: not closed with an administrative penalty alone while a transfer is unresolved.
      storage::CoordItemFilter f;
      f.types = {domain::CoordType::kCriminalTransfer};
      f.referral_id = c.e.id;
      f.states.assign(domain::CrimeOpenStates().begin(), domain::CrimeOpenStates().end());
      f.limit = 1;
      XT_ASSIGN_OR_RETURN(std::vector<domain::CoordItem> open, c.tx.ListCoordItems(f));
      if (open.empty()) return Status::Ok();
      return Status::Precondition(
                 "criminal_transfer_pending",
                 "根据R-CRI-1，案件已报告涉嫌犯罪并移送（" + open.front().title + "，状态「" +
                     std::string(domain::CrimeStateLabelZh(open.front().state)) +
                     "」），移送了结前不得以行政处罚结案",
                 "R-CRI-1", "state")
          .En("R-CRI-1: a criminal transfer of this case is unresolved; it cannot be closed with "
              "an administrative penalty");
    }
    if (c.row.guard != domain::ReferralGuard::kAcceptDutyRed) return Status::Ok();
    // R-REF-7 before a refusal: only once the receiver let the R-REF-6 deadline pass.
    XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, c.Duties());
    const bool red = std::any_of(ds.begin(), ds.end(), [&](const Duty& d) {
      return d.kind == domain::kDutyReferralAccept && d.owner_org_id == c.e.to_org_id &&
             d.state == DutyState::kOpen && domain::ColourAt(d, c.now) == domain::Colour::kRed;
    });
    if (red) return Status::Ok();
    return Status::Precondition("accept_duty_not_overdue",
                                "根据R-REF-7，接收单位拒不受理或超过受理告知期限后方可申请协调；"
                                "当前状态为「" +
                                    std::string(domain::ReferralStateLabelZh(c.e.state)) +
                                    "」，受理告知期限尚未届满",
                                "R-REF-7", "state")
        .En("R-REF-7: coordination may be requested after a refusal or once the acceptance "
            "notice is overdue");
  }
  workflow::Subject SubjectOf(const Referral& r) const {
    workflow::Subject s;
    s.type = "referral";
    s.id = r.id;
    s.created_by = r.created_by;
    s.orgs = {r.from_org_id, r.to_org_id};  // R-ACC-2: their coordinator office
    s.decorate_document = [id = r.id](domain::Document& d, json::object& body) {
      d.referral_id = id;
      body["referral_id"] = id;
    };
    return s;
  }
  Status Save(storage::Tx& tx, Referral& r, core::Instant now) const {
    r.updated_at = now;
    return tx.UpdateReferral(r);
  }
  std::string AuditAction(Action a) const {
    return "referral." + std::string(domain::ReferralActionName(a));
  }
  std::string ActionLabel(Action a) const { return std::string(domain::ReferralActionLabelZh(a)); }
  std::string StateName(const Referral& r) const {
    return std::string(domain::ReferralStateName(r.state));
  }
  std::optional<std::string> Number(const Referral& r) const { return r.number; }
  Result<ReferralView> Reload(storage::Tx& tx, Referral r, core::Instant now) const {
    return self.Load(tx, std::move(r), true, now);
  }
};

Result<ReferralView> ReferralService::Step(const Principal& p, Id id, ReferralAction action,
                                           const std::function<Status(StepContext&)>& apply) {
  return workflow::Run(Workflow{*this}, store_, clock_, duties_, p, id, action, apply);
}

// PATCH: a changed date, matter or urgency recomputes R-REF-4; ongoing on/off opens or waives
// R-REF-5's duty (the table lets an update open, and so re-open, those kinds).
Status ReferralService::ApplyUpdate(StepContext& c, const ReferralInput& in) {
  Referral& r = c.e;
  domain::Matter matter;
  XT_RETURN_IF_ERROR(ApplyInput(c.tx, r, in, /*create=*/false, c.now, matter));
  XT_RETURN_IF_ERROR(CheckJurisdiction(c.tx, r));
  XT_ASSIGN_OR_RETURN(domain::Org to, c.tx.GetOrg(r.to_org_id));
  const bool period_changed = r.urgent != c.before.urgent ||
                              r.discovered_at != c.before.discovered_at ||
                              r.matter_id != c.before.matter_id;
  if (period_changed) {
    XT_RETURN_IF_ERROR(c.Waive(domain::kDutyReferralSend, "移送信息已修改，期限重新计算"));
    XT_RETURN_IF_ERROR(c.Waive(domain::kDutyReferralSendUrgent, "移送信息已修改，期限重新计算"));
    XT_RETURN_IF_ERROR(c.Open(SendDuty(r, matter, to)).status());
  } else if (r.party.name != c.before.party.name || r.to_org_id != c.before.to_org_id) {
    // Titles follow the current party and receiver (issue 17 defect 2): the open send and
    // ongoing-notice duties, titled at the first save, are renamed on every later save.
    XT_RETURN_IF_ERROR(RetitleOpenDuties(c.tx, r, matter, to));
  }
  if (r.ongoing != c.before.ongoing || (r.ongoing && r.discovered_at != c.before.discovered_at)) {
    XT_RETURN_IF_ERROR(
        c.Waive(domain::kDutyReferralOngoing, "移送信息已修改：违法行为是否正在进行"));
    if (r.ongoing) XT_RETURN_IF_ERROR(c.Open(OngoingDuty(r, matter, to)).status());
  }
  if (r.flagged_for_coordinator &&
      r.jurisdiction_override_reason != c.before.jurisdiction_override_reason) {
    XT_RETURN_IF_ERROR(c.NotifyCoordinator(
        "referral.jurisdiction_override", "管辖异议提示：" + c.p.org.short_name + "拟移送案件",
        c.p.org.name + "拟将" + PartyLabel(r) + "涉嫌" + matter.name + "案移送" + to.name +
            "，与执法事项目录的管辖不一致，理由：" + r.jurisdiction_override_reason +
            "（R-JUR-1）"));
  }
  c.summary = "修改案件移送";
  return Status::Ok();
}

Result<ReferralView> ReferralService::Update(const Principal& p, Id id, const ReferralInput& in) {
  return Step(p, id, ReferralAction::kUpdate, [&](StepContext& c) -> Status {
    // 退回补正 asks the same receiver for more material: sending the case elsewhere instead
    // goes through withdrawal and a new referral, so it is approved for the new receiver.
    if (c.e.state == domain::ReferralState::kReturned && in.to_org_id &&
        *in.to_org_id != c.e.to_org_id)
      return Status::Invalid("to_org",
                             "退回补正的案件不能更换接收单位；如需移送其他单位，请撤回后重新移送",
                             "R-REF-3")
          .En("A referral returned for supplementation keeps its receiver; withdraw it and refer "
              "anew to send it elsewhere");
    XT_RETURN_IF_ERROR(ApplyUpdate(c, in));
    // R-REF-2: a referral made for a unit keeps a legal basis for that exception.
    XT_RETURN_IF_ERROR(domain::CheckReferralSender(c.e.unit_id.has_value(), c.e.unit_legal_basis));
    json::array fields;
    auto given = [&](bool present, const char* name) {
      if (present) fields.emplace_back(name);
    };
    given(in.to_org_id.has_value(), "to_org");
    given(in.matter_code || in.matter_id, "matter");
    given(in.township_id.has_value(), "township");
    given(in.place.has_value(), "place");
    given(in.discovered_at.has_value(), "discovered_at");
    given(in.facts.has_value(), "facts");
    given(in.party.has_value(), "party");
    given(in.legal_basis.has_value(), "legal_basis");
    given(in.evidence.has_value(), "evidence");
    given(in.urgent.has_value(), "urgent");
    given(in.ongoing.has_value(), "ongoing");
    given(in.dissuasion.has_value(), "dissuasion");
    given(in.checklist.has_value(), "checklist");
    given(in.unit_legal_basis.has_value(), "unit_legal_basis");
    given(in.jurisdiction_override_reason.has_value(), "jurisdiction_override_reason");
    c.detail["fields"] = std::move(fields);
    return Status::Ok();
  });
}

namespace {
// The body of the referral letter / notice snapshot: the referral's content at issue time.
json::object LetterBody(const Referral& r, const domain::Matter& matter, const domain::Org& from,
                        const domain::Org& to, const domain::Org& township,
                        const std::string& contact) {
  json::object b;
  b["addressee"] = json::object{{"id", to.id}, {"name", to.name}};
  b["sender"] = json::object{{"id", from.id}, {"name", from.name}};
  b["matter"] = json::object{{"code", matter.code}, {"name", matter.name}};
  b["township"] = township.short_name;
  b["place"] = r.place;
  b["discovered_at"] = core::FormatInstant(r.discovered_at);
  b["discovered_date"] = domain::FormatDateZh(r.discovered_at);
  b["facts"] = r.facts;
  b["party"] = json::object{{"name", r.party.name},
                            {"id_type", r.party.id_type},
                            {"id_number", r.party.id_number},
                            {"address", r.party.address},
                            {"phone", r.party.phone}};
  b["legal_basis"] = r.legal_basis;
  json::array ev;
  for (const auto& e : r.evidence) {
    ev.push_back(json::object{{"name", e.name},
                              {"description", e.description},
                              {"file_name", e.file_name}});
  }
  b["evidence"] = std::move(ev);
  b["urgent"] = r.urgent;
  b["ongoing"] = r.ongoing;
  if (r.dissuasion) {
    b["dissuasion"] = json::object{{"at", core::FormatInstant(r.dissuasion->at)},
                                   {"note", r.dissuasion->note}};
  }
  b["contact"] = contact;
  return b;
}

std::string LetterTitle(const Referral& r, const domain::Matter& matter) {
  return "关于移送" + PartyLabel(r) + "涉嫌" + matter.name + "案件的函";
}
}  // namespace

Result<ReferralView> ReferralService::Submit(const Principal& p, Id id) {
  return Step(p, id, ReferralAction::kSubmit, [&](StepContext& c) -> Status {
    // R-REF-3 completeness, R-REF-5 dissuasion, R-JUR-1 on the day it happened, R-REF-2.
    XT_RETURN_IF_ERROR(domain::CheckReferralSender(c.e.unit_id.has_value(), c.e.unit_legal_basis));
    XT_RETURN_IF_ERROR(domain::CheckReferralComplete(c.e));
    XT_RETURN_IF_ERROR(CheckJurisdiction(c.tx, c.e));
    c.e.submitted_at = c.now;
    c.e.return_reason.clear();
    XT_ASSIGN_OR_RETURN(domain::Matter m, c.tx.GetMatter(c.e.matter_id));
    c.summary = "提交审批：" + PartyLabel(c.e) + "涉嫌" + m.name;
    // The leaders of the org approve (R-REF-3).
    XT_ASSIGN_OR_RETURN(auto leaders,
                        c.tx.ListUsersWithRoles(c.e.from_org_id, domain::RoleSet{domain::Role::kLeader}));
    return c.NotifyUsers(leaders, "referral.submitted", "案件移送待审批",
                       c.p.user.display_name + "提交了" + PartyLabel(c.e) + "涉嫌" + m.name +
                           "案的移送，请审批（R-REF-3）");
  });
}

Result<ReferralView> ReferralService::Approve(const Principal& p, Id id) {
  return Step(p, id, ReferralAction::kApprove, [&](StepContext& c) -> Status {
    // Checked again: the leader approves what is complete and addressed to the competent org.
    XT_RETURN_IF_ERROR(domain::CheckReferralComplete(c.e));
    XT_RETURN_IF_ERROR(CheckJurisdiction(c.tx, c.e));
    XT_ASSIGN_OR_RETURN(domain::Matter m, c.tx.GetMatter(c.e.matter_id));
    XT_ASSIGN_OR_RETURN(domain::Org from, c.tx.GetOrg(c.e.from_org_id));
    XT_ASSIGN_OR_RETURN(domain::Org to, c.tx.GetOrg(c.e.to_org_id));
    XT_ASSIGN_OR_RETURN(domain::Org township, c.tx.GetOrg(c.e.township_org_id));
    XT_ASSIGN_OR_RETURN(std::string contact, workflow::DisplayName(c.tx, c.e.created_by));
    // R-DOC-1: the numbered referral letter (a resend gets a new number).
    json::object body = LetterBody(c.e, m, from, to, township, contact);
    body["request"] = "现将该案件移送你单位，请依法处理，并在收到本函之日起5个工作日内将受理情况书面告知我单位。";
    XT_ASSIGN_OR_RETURN(domain::Document doc, c.Issue(domain::DocKind::kReferralLetter, from,
                                                      LetterTitle(c.e, m), std::move(body)));
    c.e.number = doc.number;
    c.e.sent_at = c.now;
    c.e.received_at.reset();
    c.e.return_reason.clear();
    // R-REF-4 / R-REF-5 met now (on time or late); R-REF-6 starts for the receiver.
    XT_RETURN_IF_ERROR(
        c.Open(AcceptDuty(c.e, m, from, c.now)).status());
    c.summary = "批准移送，" + to.name + "收文：" + PartyLabel(c.e) + "涉嫌" + m.name;
    XT_RETURN_IF_ERROR(c.NotifyDesk(c.e.to_org_id, "referral.received",
                                "收到案件移送：" + doc.number,
                                from.name + "移送" + PartyLabel(c.e) + "涉嫌" + m.name +
                                    "案，请于5个工作日内书面告知受理情况（R-REF-6）"));
    // The drafter learns it left.
    {
      XT_RETURN_IF_ERROR(c.NotifyUser(c.e.created_by, "referral.approved", "案件移送已批准：" + doc.number,
                                     "已移送" + to.name));
    }
    return Status::Ok();
  });
}

Result<ReferralView> ReferralService::Return(const Principal& p, Id id, const std::string& reason) {
  XT_RETURN_IF_ERROR(domain::CheckReferralText(reason, "reason", domain::kMaxTextChars, "R-REF-3"));
  return Step(p, id, ReferralAction::kReturn, [&](StepContext& c) -> Status {
    c.e.return_reason = reason;
    c.detail["reason"] = reason;
    if (c.before.state == ReferralState::kSubmitted) {
      c.summary = "退回起草人：" + reason;
      return c.NotifyUser(c.e.created_by, "referral.returned", "案件移送被退回", reason);
    }
    // 退回补正 by the receiver: its written answer (R-REF-6 met).
    c.summary = "接收单位退回补正：" + reason;
    return c.NotifyDesk(c.e.from_org_id, "referral.returned", "案件移送被退回补正" +
                                                               (c.e.number ? "：" + *c.e.number : ""),
                    p.org.name + "退回补正，理由：" + reason, /*with_creator=*/true);
  });
}

Result<ReferralView> ReferralService::Receive(const Principal& p, Id id) {
  return Step(p, id, ReferralAction::kReceive, [&](StepContext& c) -> Status {
    c.e.received_at = c.now;
    c.summary = "签收案件移送";
    return Status::Ok();
  });
}

namespace {
json::object NoticeBody(const Referral& r, const domain::Matter& m, const domain::Org& from,
                        const domain::Org& to, bool accepted, const std::string& text,
                        const std::string& contact) {
  json::object b;
  b["addressee"] = json::object{{"id", from.id}, {"name", from.name}};
  b["sender"] = json::object{{"id", to.id}, {"name", to.name}};
  b["matter"] = json::object{{"code", m.code}, {"name", m.name}};
  b["party"] = json::object{{"name", r.party.name}};
  b["referral_number"] = r.number.value_or("");
  b["referral_title"] = "关于移送" + PartyLabel(r) + "涉嫌" + m.name + "案件的函";
  b["received_date"] = domain::FormatDateZh(r.received_at.value_or(r.sent_at.value_or(r.created_at)));
  b["accepted"] = accepted;
  b["text"] = text;  // the note (accepted) or the reason (declined)
  b["contact"] = contact;
  return b;
}
}  // namespace

Result<ReferralView> ReferralService::Accept(const Principal& p, Id id, const std::string& note) {
  if (domain::Utf8Length(note) > domain::kMaxTextChars) {
    return Status::Invalid("note", "说明不能超过500字", "R-REF-6", "too_long").En("note is too long");
  }
  return Step(p, id, ReferralAction::kAccept, [&](StepContext& c) -> Status {
    XT_ASSIGN_OR_RETURN(domain::Matter m, c.tx.GetMatter(c.e.matter_id));
    XT_ASSIGN_OR_RETURN(domain::Org from, c.tx.GetOrg(c.e.from_org_id));
    XT_ASSIGN_OR_RETURN(domain::Org to, c.tx.GetOrg(c.e.to_org_id));
    c.e.accepted_at = c.now;
    c.e.accept_note = note;
    // R-REF-6: the written acceptance notice, numbered by the receiver.
    XT_ASSIGN_OR_RETURN(domain::Document doc,
                        c.Issue(domain::DocKind::kAcceptanceNotice, to,
                                "关于" + PartyLabel(c.e) + "涉嫌" + m.name + "案件受理情况的告知书",
                                NoticeBody(c.e, m, from, to, true, note, p.user.display_name)));
    c.summary = "受理案件：" + PartyLabel(c.e) + "涉嫌" + m.name + "，告知书" + doc.number;
    return c.NotifyDesk(c.e.from_org_id, "referral.accepted",
                    "案件移送已受理" + (c.e.number ? "：" + *c.e.number : std::string()),
                    to.name + "已受理，受理情况告知书" + doc.number, /*with_creator=*/true);
  });
}

Result<ReferralView> ReferralService::Decline(const Principal& p, Id id, const std::string& reason) {
  XT_RETURN_IF_ERROR(domain::CheckReferralText(reason, "reason", domain::kMaxTextChars, "R-REF-6"));
  return Step(p, id, ReferralAction::kDecline, [&](StepContext& c) -> Status {
    XT_ASSIGN_OR_RETURN(domain::Matter m, c.tx.GetMatter(c.e.matter_id));
    XT_ASSIGN_OR_RETURN(domain::Org from, c.tx.GetOrg(c.e.from_org_id));
    XT_ASSIGN_OR_RETURN(domain::Org to, c.tx.GetOrg(c.e.to_org_id));
    c.e.decline_reason = reason;
    c.detail["reason"] = reason;
    XT_ASSIGN_OR_RETURN(domain::Document doc,
                        c.Issue(domain::DocKind::kAcceptanceNotice, to,
                                "关于" + PartyLabel(c.e) + "涉嫌" + m.name + "案件不予受理的告知书",
                                NoticeBody(c.e, m, from, to, false, reason, p.user.display_name)));
    c.summary = "不予受理：" + reason + "，告知书" + doc.number;
    return c.NotifyDesk(c.e.from_org_id, "referral.declined",
                    "案件移送不予受理" + (c.e.number ? "：" + *c.e.number : std::string()),
                    to.name + "不予受理，理由：" + reason + "。可申请县委依法治县办协调（R-REF-7）",
                    /*with_creator=*/true);
  });
}

Result<ReferralView> ReferralService::Withdraw(const Principal& p, Id id, const std::string& reason) {
  XT_RETURN_IF_ERROR(domain::CheckReferralText(reason, "reason", domain::kMaxTextChars, "R-REF-1"));
  return Step(p, id, ReferralAction::kWithdraw, [&](StepContext& c) -> Status {
    c.detail["reason"] = reason;
    c.waive_reason = "案件移送已撤回：" + reason;
    c.summary = "撤回案件移送：" + reason;
    if (c.before.sent_at) {
      return c.NotifyDesk(c.e.to_org_id, "referral.withdrawn",
                      "案件移送已撤回" + (c.e.number ? "：" + *c.e.number : std::string()),
                      p.org.name + "撤回了移送，理由：" + reason);
    }
    return Status::Ok();
  });
}

Result<ReferralView> ReferralService::Handle(const Principal& p, Id id, const std::string& result) {
  XT_RETURN_IF_ERROR(domain::CheckReferralText(result, "result", domain::kMaxResultChars, "R-REF-8"));
  return Step(p, id, ReferralAction::kHandle, [&](StepContext& c) -> Status {
    c.e.result = result;  // R-REF-8: copied back to the sender
    c.detail["result"] = result;
    c.summary = "反馈办理结果";
    return c.NotifyDesk(c.e.from_org_id, "referral.handled",
                    "移送案件办理结果" + (c.e.number ? "：" + *c.e.number : std::string()),
                    p.org.name + "反馈：" + result, /*with_creator=*/true);
  });
}

Result<ReferralView> ReferralService::Close(const Principal& p, Id id) {
  return Step(p, id, ReferralAction::kClose, [&](StepContext& c) -> Status {
    c.e.closed_at = c.now;
    c.summary = "办结";
    return Status::Ok();
  });
}

Result<ReferralView> ReferralService::RequestCoordination(const Principal& p, Id id,
                                                          const std::string& reason) {
  XT_RETURN_IF_ERROR(domain::CheckReferralText(reason, "reason", domain::kMaxTextChars, "R-REF-7"));
  return Step(p, id, ReferralAction::kRequestCoordination, [&](StepContext& c) -> Status {
    domain::Coordination co;
    co.requested_at = c.now;
    co.reason = reason;
    c.e.coordination = co;
    c.detail["reason"] = reason;
    XT_ASSIGN_OR_RETURN(domain::Matter m, c.tx.GetMatter(c.e.matter_id));
    XT_ASSIGN_OR_RETURN(domain::Org to, c.tx.GetOrg(c.e.to_org_id));
    c.summary = "申请协调：" + reason;
    return c.NotifyCoordinator("referral.coordination", "案件移送申请协调：" + p.org.short_name,
                               p.org.name + "移送" + to.name + "的" + PartyLabel(c.e) + "涉嫌" +
                                   m.name + "案" +
                                   (c.e.number ? "（" + *c.e.number + "）" : std::string()) +
                                   "申请协调，理由：" + reason + "（R-REF-7）");
  });
}

Result<ReferralView> ReferralService::DecideCoordination(const Principal& p, Id id,
                                                         const CoordinationDecisionInput& in) {
  ReferralAction action;
  if (in.decision == domain::kDecisionReceiverAccepts) {
    action = ReferralAction::kCoordinateReceiverAccepts;
  } else if (in.decision == domain::kDecisionSenderKeeps) {
    action = ReferralAction::kCoordinateSenderKeeps;
  } else if (in.decision == domain::kDecisionReassign) {
    action = ReferralAction::kCoordinateReassign;
  } else {
    return Status::Invalid("decision", "协调决定应为 receiver_accepts、sender_keeps 或 reassign",
                           "R-REF-7")
        .En("decision must be receiver_accepts, sender_keeps or reassign");
  }
  if (action == ReferralAction::kCoordinateReassign && !in.to_org_id) {
    return Status::Invalid("to_org", "改由其他单位受理时须指定接收单位", "R-REF-7", "missing_field")
        .En("reassign needs to_org");
  }
  if (action != ReferralAction::kCoordinateReassign && in.to_org_id) {
    return Status::Invalid("to_org", "仅在改由其他单位受理时指定接收单位", "R-REF-7")
        .En("to_org is only for reassign");
  }
  XT_RETURN_IF_ERROR(domain::CheckReferralText(in.reason, "reason", domain::kMaxTextChars, "R-REF-7"));
  return Step(p, id, action, [&](StepContext& c) -> Status {
    domain::Coordination co = c.e.coordination.value_or(domain::Coordination{});
    co.decision = in.decision;
    co.decided_at = c.now;
    co.decided_by = p.user.id;
    co.decision_reason = in.reason;
    c.e.coordination = co;
    c.detail["decision"] = in.decision;
    c.detail["reason"] = in.reason;
    XT_ASSIGN_OR_RETURN(domain::Matter m, c.tx.GetMatter(c.e.matter_id));
    XT_ASSIGN_OR_RETURN(domain::Org from, c.tx.GetOrg(c.e.from_org_id));
    const Id old_to = c.e.to_org_id;
    std::string what;
    if (action == ReferralAction::kCoordinateReceiverAccepts) {
      c.e.accepted_at = c.now;
      c.e.decline_reason.clear();
      what = "协调决定由接收单位受理";
      XT_RETURN_IF_ERROR(c.NotifyDesk(old_to, "referral.coordination_decided", "协调决定：请受理移送案件",
                                  "县委依法治县办决定由你单位受理，理由：" + in.reason));
    } else if (action == ReferralAction::kCoordinateSenderKeeps) {
      c.e.closed_at = c.now;
      c.waive_reason = "协调决定由移送单位自行处理：" + in.reason;
      what = "协调决定由移送单位自行处理";
    } else {
      auto o = c.tx.GetOrg(*in.to_org_id);
      if (!o.ok() || !IsReferrer(o->kind) || !o->active) {
        if (!o.ok() && o.status().code() != core::Code::kNotFound) return o.status();
        return Status::Invalid("to_org", "接收单位应为乡镇综合行政执法部门或县直执法部门", "R-REF-7")
            .En("to_org must be a township office or a county department");
      }
      if (o->id == old_to || o->id == c.e.from_org_id) {
        return Status::Invalid("to_org", "须改由移送单位和原接收单位以外的单位受理", "R-REF-7")
            .En("to_org must differ from the sender and the current receiver");
      }
      c.waive_reason = "协调决定改由" + o->name + "受理";
      c.e.to_org_id = o->id;
      c.e.sent_at = c.now;
      c.e.received_at.reset();
      c.e.decline_reason.clear();
      c.detail["old_to_org_id"] = old_to;
      c.detail["to_org_id"] = o->id;
      XT_RETURN_IF_ERROR(c.Open(AcceptDuty(c.e, m, from, c.now)).status());
      what = "协调决定改由" + o->name + "受理";
      XT_RETURN_IF_ERROR(c.NotifyDesk(o->id, "referral.received",
                                  "收到案件移送（协调指定）" + (c.e.number ? "：" + *c.e.number : std::string()),
                                  "县委依法治县办决定由你单位受理" + from.name + "移送的" +
                                      PartyLabel(c.e) + "涉嫌" + m.name +
                                      "案，请于5个工作日内书面告知受理情况（R-REF-6）"));
      XT_RETURN_IF_ERROR(c.NotifyDesk(old_to, "referral.coordination_decided", "协调决定：" + what,
                                  "理由：" + in.reason));
    }
    // R-REF-7/R-DOC-1: the decision is the coordinator's numbered 协调决定书, to both parties.
    XT_ASSIGN_OR_RETURN(domain::Org old_receiver, c.tx.GetOrg(old_to));
    json::object body;
    body["addressee"] = json::object{{"id", from.id}, {"name", from.name + "、" + old_receiver.name}};
    body["decision"] = in.decision;
    json::array paragraphs;
    paragraphs.emplace_back(from.name + "移送" + old_receiver.name + "的" + PartyLabel(c.e) + "涉嫌" +
                            m.name + "案" +
                            (c.e.number ? "（" + *c.e.number + "）" : std::string()) +
                            "，因" + (c.e.coordination ? c.e.coordination->reason : std::string()) +
                            "，申请本办协调。");
    paragraphs.emplace_back("经协调，决定：" + what + "。理由：" + in.reason + "。");
    paragraphs.emplace_back(
        "根据《关于加强行政执法统筹协调指挥和协作配合工作的实施意见》，请相关单位按照本决定"
        "执行，并依法书面告知办理情况。");
    body["paragraphs"] = std::move(paragraphs);
    XT_ASSIGN_OR_RETURN(domain::Document decision,
                        c.Issue(domain::DocKind::kCoordinationDecision, p.org,
                                "关于" + PartyLabel(c.e) + "涉嫌" + m.name + "案件移送的协调决定",
                                std::move(body)));
    c.summary = what + "：" + in.reason + "，" + decision.number;
    return c.NotifyDesk(c.e.from_org_id, "referral.coordination_decided", "协调决定：" + what,
                        "理由：" + in.reason + "（" + decision.number + "）", /*with_creator=*/true);
  });
}

// ---- Reading ---------------------------------------------------------------------------------

Status ReferralService::LoadMemo::Fetch(storage::Tx& tx, const std::vector<Id>& org_ids,
                                        const std::vector<Id>& user_ids) {
  std::vector<Id> new_orgs, new_users;
  for (Id id : org_ids) {
    if (!orgs.count(id) && !missing_orgs.count(id)) new_orgs.push_back(id);
  }
  for (Id id : user_ids) {
    if (!user_names.count(id)) new_users.push_back(id);
  }
  if (!new_orgs.empty()) {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> found, tx.GetOrgsByIds(new_orgs));
    for (auto& o : found) orgs.emplace(o.id, std::move(o));
    for (Id id : new_orgs) {
      if (!orgs.count(id)) missing_orgs.insert(id);
    }
  }
  if (!new_users.empty()) {
    XT_ASSIGN_OR_RETURN(std::vector<domain::User> found, tx.GetUsersByIds(new_users));
    for (auto& u : found) user_names.emplace(u.id, std::move(u.display_name));
    for (Id id : new_users) user_names.try_emplace(id);  // missing: no name
  }
  return Status::Ok();
}

namespace {
// The orgs and users a referral itself names (not its duties or timeline).
void NamedBy(const Referral& r, std::vector<Id>& org_ids, std::vector<Id>& user_ids) {
  org_ids.insert(org_ids.end(), {r.from_org_id, r.to_org_id, r.township_org_id});
  if (r.unit_id) org_ids.push_back(*r.unit_id);
  user_ids.push_back(r.created_by);
  if (r.coordination && r.coordination->decided_by) {
    user_ids.push_back(*r.coordination->decided_by);
  }
}
}  // namespace

Status ReferralService::Prefetch(storage::Tx& tx, const std::vector<Referral>& rows,
                                 LoadMemo& memo) {
  std::vector<Id> org_ids, user_ids, ids;
  for (const auto& r : rows) {
    NamedBy(r, org_ids, user_ids);
    ids.push_back(r.id);
  }
  XT_ASSIGN_OR_RETURN(memo.duties, DutiesOfObjects(tx, "referral", ids));
  for (const auto& [id, ds] : *memo.duties)
    for (const auto& d : ds) org_ids.push_back(d.owner_org_id);
  return memo.Fetch(tx, org_ids, user_ids);
}

Result<ReferralView> ReferralService::Load(storage::Tx& tx, Referral r, bool detail,
                                           core::Instant now, LoadMemo* memo) {
  LoadMemo own;
  LoadMemo& m = memo ? *memo : own;
  ReferralView v;
  v.now = now;
  v.calendar = calendars_.Current();
  if (!v.calendar) return Status::Unavailable("工作日历未加载");
  if (m.duties) {
    if (auto it = m.duties->find(r.id); it != m.duties->end()) v.duties = std::move(it->second);
  } else {
    XT_ASSIGN_OR_RETURN(v.duties, DutiesOf(tx, r.id));
  }
  std::vector<domain::AuditEntry> audit;  // newest first
  if (detail) {
    XT_ASSIGN_OR_RETURN(audit, TimelineEntriesOf(tx, "referral", std::to_string(r.id)));
  }
  // Every org and user the view names (the referral's, the duty owners, the timeline's actors)
  // not in the memo yet: one statement for the orgs, one for the users.
  {
    std::vector<Id> org_ids, user_ids;
    NamedBy(r, org_ids, user_ids);
    for (const auto& d : v.duties) org_ids.push_back(d.owner_org_id);
    for (const auto& e : audit) {
      if (e.actor_user_id) user_ids.push_back(*e.actor_user_id);
      if (e.actor_org_id) org_ids.push_back(*e.actor_org_id);
    }
    XT_RETURN_IF_ERROR(m.Fetch(tx, org_ids, user_ids));
  }
  auto org = [&](Id id) -> Result<domain::Org> {
    if (auto it = m.orgs.find(id); it != m.orgs.end()) return it->second;
    return Status::NotFound("org", "机构不存在");
  };
  auto user_name = [&](Id id) -> std::string {
    auto it = m.user_names.find(id);
    return it == m.user_names.end() ? std::string() : it->second;
  };
  XT_ASSIGN_OR_RETURN(v.from_org, org(r.from_org_id));
  XT_ASSIGN_OR_RETURN(v.to_org, org(r.to_org_id));
  XT_ASSIGN_OR_RETURN(v.township, org(r.township_org_id));
  if (r.unit_id) {
    auto u = org(*r.unit_id);
    if (u.ok()) v.unit = *u;
  }
  if (auto it = m.matters.find(r.matter_id); it != m.matters.end()) {
    v.matter = it->second;
  } else {
    XT_ASSIGN_OR_RETURN(v.matter, tx.GetMatter(r.matter_id));
    m.matters.emplace(r.matter_id, v.matter);
  }
  v.created_by_name = user_name(r.created_by);
  if (r.coordination && r.coordination->decided_by) {
    v.decided_by_name = user_name(*r.coordination->decided_by);
  }
  for (const auto& d : v.duties) {
    if (v.duty_org_names.count(d.owner_org_id)) continue;
    if (d.owner_org_id == v.from_org.id) {
      v.duty_org_names[d.owner_org_id] = v.from_org.name;
    } else if (d.owner_org_id == v.to_org.id) {
      v.duty_org_names[d.owner_org_id] = v.to_org.name;
    } else if (auto o = org(d.owner_org_id); o.ok()) {
      v.duty_org_names[d.owner_org_id] = o->name;
    }
  }
  v.colour = EarliestOpenColour(v.duties, now);
  if (detail) {
    v.detail = true;
    XT_ASSIGN_OR_RETURN(v.documents, tx.ListReferralDocuments(r.id));
    v.timeline = BuildTimeline(
        audit, "referral", user_name, [&](Id id) {
          auto o = org(id);
          return o.ok() ? o->name : std::string();
        });
    // Saves of a draft (the form autosaves) are not steps of the formal 流程记录 (issue 17
    // defect 7); they stay in the audit trail (GET /api/v1/audit?object_type=referral).
    std::erase_if(v.timeline, [](const TimelineEntry& t) { return t.action == "update"; });
  }
  v.referral = std::move(r);
  return v;
}

Result<ReferralView> ReferralService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this}, store_, clock_, p, id);
}

namespace {
// The total of a list query whose page (offset f.offset, limit f.limit) held `page_rows` rows,
// read in the same transaction: a short page that is not past the end holds every remaining row,
// so it is known without counting.
Result<int64_t> TotalOf(storage::Tx& tx, const storage::ReferralFilter& f, size_t page_rows) {
  const int64_t rows = static_cast<int64_t>(page_rows);
  if (rows < f.limit && (rows > 0 || f.offset == 0)) return f.offset + rows;
  return tx.CountReferrals(f);
}

Result<storage::ReferralFilter> FilterOf(const Principal& p, const ReferralQuery& q,
                                         core::Instant now) {
  storage::ReferralFilter f;
  // R-ACC-1: what the principal may see at all. "in" (addressed to the org and sent) and "out"
  // (sent by the org) are each a subset of it, so the visibility condition is left out there:
  // the count is then served by one index (migration v6).
  if (q.direction.empty() || q.direction == "all") {
    ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  } else if (q.direction == "in") {
    f.to_org_id = p.org.id;
  } else if (q.direction == "out") {
    f.from_org_id = p.org.id;
  } else {
    return Status::Invalid("direction", "方向应为 in、out 或 all").En("direction must be in, out or all");
  }
  if (!q.state.empty()) {
    auto s = domain::ParseReferralState(q.state);
    if (!s) {
      return Status::Invalid("state", "未知的状态：" + q.state).En("Unknown state: " + q.state);
    }
    f.states = {*s};
  }
  f.involving_org_id = q.org;
  f.matter_code = q.matter;
  f.township_org_id = q.township;
  if (!q.colour.empty()) {
    XT_ASSIGN_OR_RETURN(f.colour, domain::ParseColourFilter(q.colour));
    f.now = now;
  }
  if (q.from) f.created_from = core::ShanghaiMidnight(*q.from);
  if (q.to) f.created_to = core::ShanghaiMidnight(*q.to + std::chrono::days(1));
  if (q.from && q.to && *q.to < *q.from) {
    return Status::Invalid("to", "结束日期不能早于开始日期").En("to is before from");
  }
  if (domain::Utf8Length(q.q) > kMaxQueryChars) {
    return Status::Invalid("q", "搜索文字不能超过100字", {}, "too_long").En("q is too long");
  }
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "页码应不小于1").En("page must be >= 1");
  if (q.page_size < 1 || q.page_size > 200) {
    return Status::Invalid("page_size", "每页条数应在1至200之间").En("page_size must be 1..200");
  }
  f.offset = (q.page - 1) * q.page_size;
  f.limit = q.page_size;
  return f;
}
}  // namespace

// One page of the list, or (`all`) every row up to kMaxExportRows, uncounted, for an export.
Result<ReferralList> ReferralService::Rows(const Principal& p, ReferralQuery q, bool all) {
  if (all) {
    q.page = 1;
    q.page_size = 200;
  }
  const core::Instant now = clock_.Now();
  XT_ASSIGN_OR_RETURN(storage::ReferralFilter f, FilterOf(p, q, now));
  if (all) {
    f.offset = 0;
    f.limit = kMaxExportRows;
  }
  ReferralList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<Referral> rows, tx.ListReferrals(f));
    if (!all) {
      XT_ASSIGN_OR_RETURN(out.total, TotalOf(tx, f, rows.size()));
    }
    LoadMemo memo;
    XT_RETURN_IF_ERROR(Prefetch(tx, rows, memo));
    for (auto& r : rows) {
      XT_ASSIGN_OR_RETURN(ReferralView v, Load(tx, std::move(r), false, now, &memo));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ReferralList> ReferralService::List(const Principal& p, const ReferralQuery& q) {
  return Rows(p, q, /*all=*/false);
}

Result<std::string> ReferralService::ExportCsv(const Principal& p, ReferralQuery q) {
  XT_ASSIGN_OR_RETURN(ReferralList all, Rows(p, std::move(q), /*all=*/true));
  return CsvDocument(
      "文号,状态,移送单位,接收单位,执法事项编码,执法事项,发生地乡镇,地点,发现时间,当事人,"
      "紧急,正在进行,起草时间,移送时间,受理时间,办结时间,期限状态,办理结果\r\n",
      all.items, [](const ReferralView& v) {
        const Referral& x = v.referral;
        return std::vector<std::string>{
            x.number.value_or(""),
            std::string(domain::ReferralStateLabelZh(x.state)),
            v.from_org.name,
            v.to_org.name,
            v.matter.code,
            v.matter.name,
            // 发生地乡镇 is the township (新城镇), not its office's name (issue 17 defect 11).
            v.township.short_name.empty() ? v.township.name : v.township.short_name,
            x.place,
            DayTime(x.discovered_at),
            x.party.name,
            x.urgent ? "是" : "否",
            x.ongoing ? "是" : "否",
            DayTime(x.created_at),
            DayTime(x.sent_at),
            DayTime(x.accepted_at),
            DayTime(x.closed_at),
            std::string(ColourWordZh(v.colour)),
            x.result,
        };
      });
}

Result<ReferralList> ReferralService::Approvals(const Principal& p, int page, int page_size) {
  if (!p.Has(domain::Role::kLeader) || !IsReferrer(p.org.kind)) {
    return Status::Denied("仅乡镇或县直执法部门的领导审批案件移送", "R-REF-3")
        .En("Only leaders of a township office or a county department approve referrals");
  }
  if (page < 1) return Status::Invalid("page", "页码应不小于1").En("page must be >= 1");
  if (page_size < 1 || page_size > 200) {
    return Status::Invalid("page_size", "每页条数应在1至200之间").En("page_size must be 1..200");
  }
  const core::Instant now = clock_.Now();
  storage::ReferralFilter f;
  f.from_org_id = p.org.id;
  f.states = {ReferralState::kSubmitted};
  f.offset = (page - 1) * page_size;
  f.limit = page_size;
  ReferralList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<Referral> rows, tx.ListReferrals(f));
    XT_ASSIGN_OR_RETURN(out.total, TotalOf(tx, f, rows.size()));
    LoadMemo memo;
    XT_RETURN_IF_ERROR(Prefetch(tx, rows, memo));
    for (auto& r : rows) {
      XT_ASSIGN_OR_RETURN(ReferralView v, Load(tx, std::move(r), false, now, &memo));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<domain::Document> ReferralService::GetDocument(const Principal& p, Id id) {
  domain::Document out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto d = tx.GetDocument(id);
    if (!d.ok()) return d.status().code() == core::Code::kNotFound ? DocumentNotFound() : d.status();
    // The issuing org always keeps its own documents (e.g. a receiver's refusal notice after the
    // coordinator reassigned the case, R-DOC-1).
    const bool issuer = d->org_id == p.org.id;
    if (!d->referral_id) {
      // Unattached: the issuer and whoever oversees it (R-ACC-2).
      if (!issuer && !p.OverseesOrgId(d->org_id)) return DocumentNotFound();
      out = std::move(d).value();
      return Status::Ok();
    }
    auto r = LoadVisible(tx, *d->referral_id);
    if (!issuer && (!r.ok() || !CanSee(p, *r))) return DocumentNotFound();
    out = std::move(d).value();
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
