#include "service/collaboration_service.h"
#include "domain/wording.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <utility>

#include "domain/referral.h"
#include "domain/rules.h"
#include "service/audit_log.h"
#include "service/csv.h"
#include "service/file_service.h"
#include "service/region_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CollabAction;
using domain::CollabState;
using domain::Collaboration;
using domain::Duty;
using domain::DutyState;
using domain::Id;

namespace {

constexpr size_t kMaxQueryChars = 100;
constexpr std::chrono::minutes kSkew{5};
constexpr const char* kObject = "collaboration";

Status CollabNotFound() {
  // The same answer for a missing request and one the principal may not see (R-ACC-1).
  return Status(core::Code::kNotFound, "not_found", "执法协作文书不存在", "id", "R-ACC-1")
      .En("No such collaboration request");
}

Status DocumentNotFound() {
  return Status(core::Code::kNotFound, "not_found", "文书不存在", "id", "R-ACC-1")
      .En("No such document");
}


Result<std::vector<Duty>> DutiesOf(storage::Tx& tx, Id id) { return DutiesOfObject(tx, kObject, id); }

domain::CollabActor ActorOf(const Principal& p, const Collaboration& c) {
  domain::CollabActor a;
  const bool sender = p.org.id == c.from_org_id;
  const bool receiver = p.org.id == c.to_org_id && c.sent_at.has_value();
  a.sender_staff = sender && (p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader));
  a.sender_leader = sender && p.Has(domain::Role::kLeader);
  a.receiver_staff = receiver && (p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader) ||
                                  p.Has(domain::Role::kLiaison));
  a.receiver_leader = receiver && p.Has(domain::Role::kLeader);
  return a;
}

Status CheckFileId(const std::string& id, const std::string& field) {
  bool hex = id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
  if (!hex) {
    return Status::Invalid(field, "文件编号应为64位小写十六进制（上传文件后返回的 id）", "R-COL-1")
        .En(field + " must be the id returned by POST /api/v1/files");
  }
  return Status::Ok();
}

// A file the org uploaded (or one already attached to `c`): its metadata.
Result<domain::CollabFile> ResolveFile(storage::Tx& tx, const Collaboration& c, Id org_id,
                                       const std::string& file_id, const std::string& field,
                                       const char* rule) {
  XT_RETURN_IF_ERROR(CheckFileId(file_id, field));
  bool attached = std::any_of(c.materials.begin(), c.materials.end(),
                              [&](const auto& m) { return m.file && m.file->id == file_id; });
  bool own = false;
  auto refs = tx.ListFileRefs(file_id);
  if (refs.ok()) {
    own = std::any_of(refs->begin(), refs->end(),
                      [&](const storage::FileRef& f) { return f.org_id == org_id; });
  }
  auto info = FileService::InfoInTx(tx, file_id, org_id);
  if (!info.ok() || !(own || attached)) {
    if (!info.ok() && info.status().code() != core::Code::kNotFound) return info.status();
    return Status::Invalid(field, "文件不存在，请先上传", rule).En("No such file; upload it first");
  }
  return domain::CollabFile{info->id, info->name, info->size, info->content_type};
}

Status CheckText(const std::string& s, const std::string& field, size_t max, const char* rule) {
  if (domain::IsBlank(s)) {
    return Status::Invalid(field, "请填写" + field, rule, "missing_field").En(field + " is required");
  }
  if (domain::Utf8Length(s) > max) {
    return Status::Invalid(field, field + " 不能超过" + std::to_string(max) + "个字", rule, "too_long")
        .En(field + " is too long");
  }
  return Status::Ok();
}

Status CheckNotFuture(core::Instant t, core::Instant now, const std::string& field, const char* rule) {
  if (t > now + kSkew) {
    return Status::Invalid(field, field + " 不能晚于当前时间", rule, "invalid_value")
        .En(field + " lies in the future");
  }
  return Status::Ok();
}

// Applies create/PATCH input (the sender's draft).
Status ApplyInput(storage::Tx& tx, const Principal& p, Collaboration& c,
                  const CollaborationInput& in, bool create) {
  if (create) {
    if (!in.kind) {
      return Status::Invalid("kind", "请选择协作类型（认定、技术鉴定或咨询意见）", "R-COL-1", "missing_field")
          .En("kind is required");
    }
    if (!in.to_org_id) {
      return Status::Invalid("to_org", "请选择县直执法部门", "R-COL-1", "missing_field")
          .En("to_org is required");
    }
  }
  if (in.kind) {
    auto k = domain::ParseCollabKind(*in.kind);
    if (!k) {
      return Status::Invalid("kind", "协作类型应为 determination、technical_appraisal 或 advisory_opinion",
                             "R-COL-1", "invalid_value")
          .En("kind must be determination, technical_appraisal or advisory_opinion");
    }
    c.kind = *k;
  }
  if (in.to_org_id) {
    auto o = tx.GetOrg(*in.to_org_id);
    if (!o.ok() && o.status().code() != core::Code::kNotFound) return o.status();
    if (!o.ok() || o->kind != domain::OrgKind::kCountyDepartment || !o->active) {
      return Status::Invalid("to_org", "根据R-COL-1，执法协作文书应提交县直执法部门", "R-COL-1",
                             "invalid_value")
          .En("R-COL-1: to_org must be a county department");
    }
    c.to_org_id = o->id;
  }
  if (in.title) c.title = *in.title;
  if (in.questions) c.questions = *in.questions;
  if (in.case_ref) c.case_ref = *in.case_ref;
  if (in.urgent) c.urgent = *in.urgent;
  if (in.evidence_at_risk) c.evidence_at_risk = *in.evidence_at_risk;
  if (in.referral_id) {
    if (*in.referral_id) {
      auto r = tx.GetReferral(**in.referral_id);
      if (!r.ok() && r.status().code() != core::Code::kNotFound) return r.status();
      if (!r.ok() || !ReferralService::CanSee(p, *r)) {
        return Status::Invalid("referral_id", "案件移送不存在", "R-ACC-1", "invalid_value")
            .En("No such referral");
      }
    }
    c.referral_id = *in.referral_id;
  }
  if (in.materials) {
    if (in.materials->size() > domain::kMaxCollabMaterials) {
      return Status::Invalid("materials", "材料不能超过50项", "R-COL-1", "too_long")
          .En("At most 50 materials");
    }
    std::vector<domain::CollabMaterial> ms;
    for (size_t i = 0; i < in.materials->size(); ++i) {
      const CollabMaterialInput& m = (*in.materials)[i];
      domain::CollabMaterial out;
      out.name = m.name;
      out.description = m.description;
      if (m.file_id && !m.file_id->empty()) {
        XT_ASSIGN_OR_RETURN(out.file,
                            ResolveFile(tx, c, c.from_org_id, *m.file_id,
                                        "materials[" + std::to_string(i) + "].file", "R-COL-1"));
      }
      ms.push_back(std::move(out));
    }
    c.materials = std::move(ms);
  }
  return domain::CheckCollabShape(c);
}

DutyInput AnswerDuty(const Collaboration& c, const domain::Org& from, int round,
                     core::Instant trigger) {
  DutyInput in;
  in.kind = "collaboration.answer";
  in.owner_org_id = c.to_org_id;
  in.object_type = kObject;
  in.object_id = std::to_string(c.id);
  in.title = "书面反馈" + from.short_name + "执法协作：" + c.title;
  if (c.number) in.title += "（" + *c.number + (round > 1 ? "，第" + std::to_string(round) + "轮" : "") + "）";
  if (domain::Utf8Length(in.title) > 190) in.title = "书面反馈" + from.short_name + "执法协作文书";
  in.trigger_at = trigger;
  return in;
}

}  // namespace

// ---- Construction and visibility ----------------------------------------------------------

CollaborationService::CollaborationService(storage::Store& store, const core::Clock& clock,
                                           DutyService& duties, CalendarService& calendars,
                                           CollaborationOptions options)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars), options_(options) {}

bool CollaborationService::CanSee(const Principal& p, const Collaboration& c) {
  // Coordinators, auditors, administrators: either org in their scope (R-ACC-1, R-ACC-2).
  if (p.OverseesAny({c.from_org_id, c.to_org_id})) return true;
  if (c.from_org_id == p.org.id) return true;
  return c.sent_at.has_value() && c.to_org_id == p.org.id;
}

core::Result<bool> CollaborationService::CanReadFileInTx(storage::Tx& tx, const Principal& p,
                                         const std::string& sha256) {
  return workflow::AnyVisible(
      tx.CollaborationsWithFile(sha256), [&](Id id) { return tx.GetCollaboration(id); },
      [&](const domain::Collaboration& e) { return CanSee(p, e); });
}

// ---- Steps -----------------------------------------------------------------------------------

// The workflow engine's Definition of collaboration requests (service/workflow/step.h).
struct CollaborationService::Workflow {
  using Entity = Collaboration;
  using Action = CollabAction;
  using Row = domain::CollabTransition;
  using View = CollaborationView;

  CollaborationService& self;

  Result<Collaboration> Load(storage::Tx& tx, Id id) const { return tx.GetCollaboration(id); }
  Status NotFound() const { return CollabNotFound(); }
  bool CanSee(const Principal& p, const Collaboration& c) const {
    return CollaborationService::CanSee(p, c);
  }
  Result<const Row*> Decide(const Principal& p, const Collaboration& c, Action a) const {
    return domain::DecideCollabTransition(a, c.state, ActorOf(p, c));
  }
  Status CheckGuard(Ctx&) const { return Status::Ok(); }  // CollabGuard has no guard
  workflow::Subject SubjectOf(const Collaboration& c) const {
    workflow::Subject s;
    s.type = kObject;
    s.id = c.id;
    s.created_by = c.created_by;
    s.orgs = {c.from_org_id, c.to_org_id};  // R-ACC-2: their coordinator office
    s.decorate_document = [id = c.id](domain::Document&, json::object& body) {
      body["collaboration_id"] = id;
    };
    s.link_document = [id = c.id](storage::Tx& tx, const domain::Document& d) {
      return tx.LinkCollaborationDocument(id, d.id);
    };
    return s;
  }
  Status Save(storage::Tx& tx, Collaboration& c, core::Instant now) const {
    c.updated_at = now;
    return tx.UpdateCollaboration(c);
  }
  std::string AuditAction(Action a) const { return std::string(domain::CollabAuditAction(a)); }
  std::string ActionLabel(Action a) const { return std::string(domain::CollabActionLabelZh(a)); }
  std::string StateName(const Collaboration& c) const {
    return std::string(domain::CollabStateName(c.state));
  }
  std::optional<std::string> Number(const Collaboration& c) const { return c.number; }
  Result<CollaborationView> Reload(storage::Tx& tx, Collaboration c, core::Instant now) const {
    return self.Load(tx, std::move(c), true, now);
  }
};

Result<CollaborationView> CollaborationService::Step(const Principal& p, Id id, CollabAction action,
                                                     const std::function<Status(Ctx&)>& apply) {
  return workflow::Run(Workflow{*this}, store_, clock_, duties_, p, id, action, apply);
}

// The open answer duty of the current round.
Result<std::optional<Duty>> CollaborationService::AnswerDutyOpen(Ctx& x) {
  if (x.e.rounds.empty() || !x.e.rounds.back().duty_id) return std::optional<Duty>();
  XT_ASSIGN_OR_RETURN(Duty d, x.tx.GetDuty(*x.e.rounds.back().duty_id));
  if (!workflow::Pending(d)) return std::optional<Duty>();
  return std::optional<Duty>(d);
}

Result<CollaborationView> CollaborationService::Create(const Principal& p,
                                                       const CollaborationInput& in) {
  // R-COL-1: a township asks, through its officers or leaders.
  if (p.org.kind != domain::OrgKind::kTownship ||
      !(p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader))) {
    return Status::Denied("根据R-COL-1，仅乡镇综合行政执法部门的执法人员或领导可以提交执法协作文书",
                          "R-COL-1")
        .En("R-COL-1: only officers or leaders of a township create collaboration requests");
  }
  const core::Instant now = clock_.Now();
  CollaborationView out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    Collaboration c;
    c.state = CollabState::kDraft;
    c.from_org_id = p.org.id;
    c.created_by = p.user.id;
    c.created_at = now;
    c.updated_at = now;
    XT_RETURN_IF_ERROR(ApplyInput(tx, p, c, in, /*create=*/true));
    XT_ASSIGN_OR_RETURN(c.id, tx.InsertCollaboration(c));
    XT_ASSIGN_OR_RETURN(domain::Org to, tx.GetOrg(c.to_org_id));
    json::object detail{{"kind", domain::CollabKindName(c.kind)},
                        {"to_org_id", c.to_org_id},
                        {"urgent", c.urgent},
                        {"evidence_at_risk", c.evidence_at_risk},
                        {"materials", static_cast<int64_t>(c.materials.size())}};
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{"collaboration.create", kObject, std::to_string(c.id),
                                          "起草执法协作文书（" +
                                              std::string(domain::CollabKindLabelZh(c.kind)) +
                                              "），拟提交" + to.name,
                                          std::move(detail)})
                           );
    XT_ASSIGN_OR_RETURN(out, Load(tx, std::move(c), true, now));
    return Status::Ok();
  }));
  return out;
}

Result<CollaborationView> CollaborationService::Update(const Principal& p, Id id,
                                                       const CollaborationInput& in) {
  return Step(p, id, CollabAction::kUpdate, [&](Ctx& x) -> Status {
    XT_RETURN_IF_ERROR(ApplyInput(x.tx, p, x.e, in, /*create=*/false));
    json::array fields;
    auto given = [&](bool present, const char* name) {
      if (present) fields.emplace_back(name);
    };
    given(in.kind.has_value(), "kind");
    given(in.to_org_id.has_value(), "to_org");
    given(in.title.has_value(), "title");
    given(in.questions.has_value(), "questions");
    given(in.case_ref.has_value(), "case_ref");
    given(in.referral_id.has_value(), "referral_id");
    given(in.materials.has_value(), "materials");
    given(in.urgent.has_value(), "urgent");
    given(in.evidence_at_risk.has_value(), "evidence_at_risk");
    x.detail["fields"] = std::move(fields);
    x.summary = "修改执法协作文书";
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::Submit(const Principal& p, Id id) {
  return Step(p, id, CollabAction::kSubmit, [&](Ctx& x) -> Status {
    XT_RETURN_IF_ERROR(domain::CheckCollabComplete(x.e));
    x.e.submitted_at = x.now;
    x.summary = "提交审批：" + x.e.title;
    XT_ASSIGN_OR_RETURN(auto leaders, x.tx.ListUsersWithRoles(
                                          x.e.from_org_id, domain::RoleSet{domain::Role::kLeader}));
    return x.NotifyUsers(leaders, "collaboration.submitted", "执法协作文书待审批",
                       p.user.display_name + "提交了执法协作文书「" + x.e.title + "」，请审批（R-COL-1）");
  });
}

Result<CollaborationView> CollaborationService::Approve(const Principal& p, Id id) {
  return Step(p, id, CollabAction::kApprove, [&](Ctx& x) -> Status {
    XT_RETURN_IF_ERROR(domain::CheckCollabComplete(x.e));
    XT_ASSIGN_OR_RETURN(domain::Org from, x.tx.GetOrg(x.e.from_org_id));
    XT_ASSIGN_OR_RETURN(domain::Org to, x.tx.GetOrg(x.e.to_org_id));
    XT_ASSIGN_OR_RETURN(std::string contact, workflow::DisplayName(x.tx, x.e.created_by));
    // R-DOC-1: the numbered collaboration letter (a re-approval after return gets a new number).
    json::object body;
    body["addressee"] = json::object{{"id", to.id}, {"name", to.name}};
    body["sender"] = json::object{{"id", from.id}, {"name", from.name}};
    body["collab_kind"] = domain::CollabKindName(x.e.kind);
    body["collab_kind_label"] = domain::CollabKindLabelZh(x.e.kind);
    body["subject"] = x.e.title;
    body["questions"] = x.e.questions;
    body["case_ref"] = x.e.case_ref;
    json::array mats;
    for (const auto& m : x.e.materials) {
      mats.push_back(json::object{{"name", m.name},
                                  {"description", m.description},
                                  {"file_name", m.file ? m.file->name : std::string()}});
    }
    body["materials"] = std::move(mats);
    body["urgent"] = x.e.urgent;
    body["evidence_at_risk"] = x.e.evidence_at_risk;
    body["contact"] = contact;
    body["request"] = std::string("请你单位自收到本文书之日起3个工作日内书面反馈意见") +
                      (x.e.NeedsDispatch() ? "；因情况紧急或证据可能灭失，请及时派员到现场处置。" : "。");
    XT_ASSIGN_OR_RETURN(domain::Document doc,
                        x.Issue(domain::DocKind::kCollaborationLetter, from,
                                domain::About(x.e.title) + "的执法协作函", std::move(body)));
    x.e.number = doc.number;
    x.e.sent_at = x.now;
    x.e.received_at.reset();
    x.e.return_reason.clear();
    // Round 1 and its R-COL-2 duty (3 working days from sent_at = receipt).
    domain::CollabRound round;
    round.n = 1;
    round.questions = x.e.questions;
    round.asked_at = x.now;
    XT_ASSIGN_OR_RETURN(Duty answer, x.Open(AnswerDuty(x.e, from, 1, x.now)));
    round.duty_id = answer.id;
    x.e.rounds = {round};
    x.detail["answer_duty_id"] = answer.id;
    if (x.e.NeedsDispatch()) {  // R-COL-3
      DutyInput in;
      in.kind = "collaboration.dispatch";
      in.owner_org_id = x.e.to_org_id;
      in.title = "派员现场处置：" + from.short_name + "执法协作（" + doc.number + "）";
      in.trigger_at = x.now;
      in.unit = domain::PeriodUnit::kHours;
      in.period = options_.dispatch_hours;
      XT_ASSIGN_OR_RETURN(Duty dispatch, x.Open(in));
      x.e.dispatch_duty_id = dispatch.id;
      x.detail["dispatch_duty_id"] = dispatch.id;
    }
    x.summary = "批准发送，" + to.name + "收文：" + x.e.title;
    XT_RETURN_IF_ERROR(x.NotifyDesk(
        x.e.to_org_id, "collaboration.received", "收到执法协作文书：" + doc.number,
        from.name + "请求" + std::string(domain::CollabKindLabelZh(x.e.kind)) + "：" + x.e.title +
            "，请于3个工作日内书面反馈（R-COL-2）" +
            (x.e.NeedsDispatch() ? "；情况紧急或证据可能灭失，请及时派员现场处置（R-COL-3）" : "")));
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::Return(const Principal& p, Id id,
                                                       const std::string& reason) {
  XT_RETURN_IF_ERROR(CheckText(reason, "reason", domain::kMaxCollabReasonChars, "R-COL-1"));
  return Step(p, id, CollabAction::kReturn, [&](Ctx& x) -> Status {
    x.e.return_reason = reason;
    x.detail["reason"] = reason;
    x.summary = "退回起草人：" + reason;
    return x.NotifyUser(x.e.created_by, "collaboration.returned", "执法协作文书被退回", reason);
  });
}

Result<CollaborationView> CollaborationService::Receive(const Principal& p, Id id) {
  return Step(p, id, CollabAction::kReceive, [&](Ctx& x) -> Status {
    x.e.received_at = x.now;
    x.summary = "签收执法协作文书";
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::Extend(const Principal& p, Id id,
                                                       const CollabExtendInput& in) {
  return Step(p, id, CollabAction::kExtend, [&](Ctx& x) -> Status {
    XT_ASSIGN_OR_RETURN(std::optional<Duty> open, AnswerDutyOpen(x));
    if (!open) {
      return Status::Precondition("illegal_transition", "当前轮次没有进行中的反馈期限，无法延期",
                                  "R-COL-4", "state")
          .En("No open answer duty to extend");
    }
    XT_RETURN_IF_ERROR(
        domain::CheckCollabExtension(x.e, in.complex, in.reason, open->due_at, in.new_due, x.now));
    std::shared_ptr<const calendar::Calendar> cal = calendars_.Current();
    if (!cal) return Status::Unavailable("工作日历未加载");
    if (open->state != DutyState::kOpen) {
      return Status::Precondition("illegal_transition", "反馈期限已中止，不能延期", "R-TIME-4", "state")
          .En("The answer duty is suspended");
    }
    // R-COL-4 in this transaction, as DutyService::Extend does: the due moves, history kept.
    Duty d = *open;
    const core::Instant old_due = d.due_at;
    d.due_at = in.new_due;
    d.yellow_at = YellowForDue(*cal, d, in.new_due);
    d.provisional = false;
    d.calendar_version = cal->version();
    d.notified_level = CappedNotifiedLevel(d, x.now);
    XT_RETURN_IF_ERROR(x.tx.UpdateDuty(d));
    domain::DutyEvent ev;
    ev.duty_id = d.id;
    ev.at = x.now;
    ev.actor_user_id = p.user.id;
    ev.kind = "extended";
    ev.reason = in.reason;
    ev.old_due = old_due;
    ev.new_due = in.new_due;
    XT_RETURN_IF_ERROR(x.tx.InsertDutyEvent(ev).status());
    XT_RETURN_IF_ERROR(Record(x.tx, &p, x.now,
                              AuditRecord{"duty.extend", "duty", std::to_string(d.id),
                                          "延长职责期限：" + d.title,
                                          json::object{{"old_state", "open"},
                                                       {"new_state", "open"},
                                                       {"reason", in.reason},
                                                       {"old_due", core::FormatInstant(old_due)},
                                                       {"new_due", core::FormatInstant(in.new_due)}}})
                           );
    if (in.complex) x.e.complex = true;
    domain::CollabExtension e;
    e.reason = in.reason;
    e.old_due = old_due;
    e.new_due = in.new_due;
    e.requested_by = p.user.id;
    e.approved_by = p.user.id;
    e.at = x.now;
    x.e.extensions.push_back(e);
    x.detail["reason"] = in.reason;
    x.detail["complex"] = x.e.complex;
    x.detail["duty_id"] = d.id;
    x.detail["old_due"] = core::FormatInstant(old_due);
    x.detail["new_due"] = core::FormatInstant(in.new_due);
    x.summary = "延长反馈期限至" + DayTime(in.new_due) + "：" + in.reason;
    return x.NotifyDesk(x.e.from_org_id, "collaboration.extended", "执法协作反馈期限延长",
                        p.org.name + "将反馈期限延长至" + DayTime(in.new_due) + "，理由：" + in.reason +
                            "（R-COL-4）",
                        /*with_creator=*/true);
  });
}

Result<CollaborationView> CollaborationService::Answer(const Principal& p, Id id,
                                                       const CollabAnswerInput& in) {
  XT_RETURN_IF_ERROR(domain::CheckCollabAnswer(in.conclusion, in.text));
  return Step(p, id, CollabAction::kAnswer, [&](Ctx& x) -> Status {
    if (x.e.rounds.empty()) return Status::Internal("collaboration without a round");
    domain::CollabAnswer a;
    a.conclusion = in.conclusion;
    a.text = in.text;
    if (in.file_id && !in.file_id->empty()) {
      XT_ASSIGN_OR_RETURN(a.file, ResolveFile(x.tx, x.e, x.e.to_org_id, *in.file_id, "file", "R-COL-2"));
    }
    a.drafted_by = p.user.id;
    a.drafted_at = x.now;
    x.e.rounds.back().answer = a;
    x.detail["round"] = x.e.rounds.back().n;
    x.summary = "起草反馈意见（第" + std::to_string(x.e.rounds.back().n) + "轮）";
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::ApproveAnswer(const Principal& p, Id id) {
  return Step(p, id, CollabAction::kApproveAnswer, [&](Ctx& x) -> Status {
    if (x.e.rounds.empty() || !x.e.rounds.back().answer) {
      return Status::Internal("answer_pending without an answer");
    }
    domain::CollabRound& round = x.e.rounds.back();
    domain::CollabAnswer& a = *round.answer;
    XT_ASSIGN_OR_RETURN(domain::Org from, x.tx.GetOrg(x.e.from_org_id));
    XT_ASSIGN_OR_RETURN(domain::Org to, x.tx.GetOrg(x.e.to_org_id));
    json::object body;
    body["addressee"] = json::object{{"id", from.id}, {"name", from.name}};
    body["sender"] = json::object{{"id", to.id}, {"name", to.name}};
    body["collab_kind"] = domain::CollabKindName(x.e.kind);
    body["collab_kind_label"] = domain::CollabKindLabelZh(x.e.kind);
    body["subject"] = x.e.title;
    body["letter_number"] = x.e.number.value_or("");
    body["round"] = round.n;
    body["questions"] = round.questions;
    body["conclusion"] = a.conclusion;
    body["text"] = a.text;
    body["received_date"] = domain::FormatDateZh(round.asked_at);
    XT_ASSIGN_OR_RETURN(std::string drafter, workflow::DisplayName(x.tx, a.drafted_by));
    if (!drafter.empty()) body["contact"] = drafter;
    XT_ASSIGN_OR_RETURN(domain::Document doc,
                        x.Issue(domain::DocKind::kCollaborationAnswer, to,
                                domain::About(x.e.title) + "的执法协作反馈意见", std::move(body)));
    a.answered_at = x.now;
    a.approved_by = p.user.id;
    a.document_id = doc.id;
    x.e.answered_at = x.now;
    // R-COL-2: the round's answer duty is met by the table (on time or late).
    x.summary = "签发反馈意见（第" + std::to_string(round.n) + "轮），" + doc.number;
    return x.NotifyDesk(x.e.from_org_id, "collaboration.answered",
                        "执法协作已反馈：" + doc.number,
                        to.name + "反馈意见：" + a.conclusion, /*with_creator=*/true);
  });
}

Result<CollaborationView> CollaborationService::RejectAnswer(const Principal& p, Id id,
                                                             const std::string& reason) {
  XT_RETURN_IF_ERROR(CheckText(reason, "reason", domain::kMaxCollabReasonChars, "R-COL-2"));
  return Step(p, id, CollabAction::kRejectAnswer, [&](Ctx& x) -> Status {
    x.detail["reason"] = reason;
    x.summary = "退回反馈意见：" + reason;
    if (!x.e.rounds.empty() && x.e.rounds.back().answer) {
      return x.NotifyUser(x.e.rounds.back().answer->drafted_by, "collaboration.answer_rejected",
                          "反馈意见被退回", reason);
    }
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::FollowUp(const Principal& p, Id id,
                                                         const std::string& questions) {
  XT_RETURN_IF_ERROR(CheckText(questions, "questions", domain::kMaxCollabQuestionsChars, "R-COL-1"));
  return Step(p, id, CollabAction::kFollowUp, [&](Ctx& x) -> Status {
    XT_ASSIGN_OR_RETURN(domain::Org from, x.tx.GetOrg(x.e.from_org_id));
    domain::CollabRound round;
    round.n = x.e.rounds.empty() ? 1 : x.e.rounds.back().n + 1;
    round.questions = questions;
    round.asked_at = x.now;
    XT_ASSIGN_OR_RETURN(Duty d, x.Open(AnswerDuty(x.e, from, round.n, x.now)));
    round.duty_id = d.id;
    x.e.rounds.push_back(round);
    x.e.received_at = x.now;  // electronic delivery: the new round is with the department now
    x.detail["round"] = round.n;
    x.detail["answer_duty_id"] = d.id;
    x.summary = "追问（第" + std::to_string(round.n) + "轮）";
    return x.NotifyDesk(x.e.to_org_id, "collaboration.follow_up",
                        "执法协作追问" + (x.e.number ? "：" + *x.e.number : std::string()),
                        from.name + "追问：" + questions + "，请于3个工作日内书面反馈（R-COL-2）");
  });
}

Result<CollaborationView> CollaborationService::Dispatch(const Principal& p, Id id,
                                                         const CollabDispatchInput& in) {
  XT_RETURN_IF_ERROR(domain::CheckCollabStaff(in.staff));
  if (domain::Utf8Length(in.note) > domain::kMaxCollabReasonChars) {
    return Status::Invalid("note", "说明不能超过500字", "R-COL-3", "too_long").En("note is too long");
  }
  return Step(p, id, CollabAction::kDispatch, [&](Ctx& x) -> Status {
    if (!x.e.NeedsDispatch()) {
      return Status::Precondition("dispatch_not_required",
                                  "根据R-COL-3，仅情况紧急或证据可能灭失的需派员现场处置",
                                  "R-COL-3", "state")
          .En("R-COL-3: dispatch is only for urgent requests or evidence at risk");
    }
    const core::Instant at = in.sent_at.value_or(x.now);
    XT_RETURN_IF_ERROR(CheckNotFuture(at, x.now, "sent_at", "R-COL-3"));
    domain::CollabDispatch d;
    d.staff = in.staff;
    d.sent_at = at;
    d.note = in.note;
    if (x.e.dispatch) d.arrived_at = x.e.dispatch->arrived_at;
    x.e.dispatch = d;
    json::array staff;
    for (const auto& s : in.staff) staff.emplace_back(s);
    x.detail["staff"] = std::move(staff);
    x.detail["sent_at"] = core::FormatInstant(at);
    std::string names;
    for (const auto& s : in.staff) names += (names.empty() ? "" : "、") + s;
    x.summary = "派员现场处置：" + names;
    return x.NotifyDesk(x.e.from_org_id, "collaboration.dispatched", "执法协作已派员",
                        p.org.name + "已派" + names + "赴现场处置（R-COL-3）", /*with_creator=*/true);
  });
}

Result<CollaborationView> CollaborationService::Arrived(const Principal& p, Id id,
                                                        std::optional<core::Instant> at_in) {
  return Step(p, id, CollabAction::kArrived, [&](Ctx& x) -> Status {
    if (!x.e.dispatch) {
      return Status::Precondition("dispatch_not_recorded", "请先登记派出人员（R-COL-3）", "R-COL-3",
                                  "state")
          .En("R-COL-3: record the dispatch first");
    }
    const core::Instant at = at_in.value_or(x.now);
    XT_RETURN_IF_ERROR(CheckNotFuture(at, x.now, "at", "R-COL-3"));
    if (at < x.e.dispatch->sent_at) {
      return Status::Invalid("at", "到达时间不能早于派出时间", "R-COL-3", "invalid_value")
          .En("at lies before the dispatch");
    }
    x.e.dispatch->arrived_at = at;
    x.met_at = at;  // R-COL-3: the dispatch duty is met by the table at the arrival
    x.detail["at"] = core::FormatInstant(at);
    x.summary = "派员已到达现场";
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::Withdraw(const Principal& p, Id id,
                                                         const std::string& reason) {
  XT_RETURN_IF_ERROR(CheckText(reason, "reason", domain::kMaxCollabReasonChars, "R-COL-1"));
  return Step(p, id, CollabAction::kWithdraw, [&](Ctx& x) -> Status {
    x.e.withdraw_reason = reason;
    x.detail["reason"] = reason;
    x.waive_reason = "执法协作文书已撤回：" + reason;
    x.summary = "撤回执法协作文书：" + reason;
    if (x.before.sent_at) {
      return x.NotifyDesk(x.e.to_org_id, "collaboration.withdrawn",
                          "执法协作文书已撤回" + (x.e.number ? "：" + *x.e.number : std::string()),
                          p.org.name + "撤回了执法协作文书，理由：" + reason);
    }
    return Status::Ok();
  });
}

Result<CollaborationView> CollaborationService::Close(const Principal& p, Id id) {
  return Step(p, id, CollabAction::kClose, [&](Ctx& x) -> Status {
    x.e.closed_at = x.now;
    x.waive_reason = "执法协作已办结";
    x.summary = "办结";
    return Status::Ok();
  });
}

// ---- Reading ---------------------------------------------------------------------------------

Result<CollaborationView> CollaborationService::Load(storage::Tx& tx, Collaboration c, bool detail,
                                                     core::Instant now) {
  CollaborationView v;
  v.now = now;
  v.calendar = calendars_.Current();
  if (!v.calendar) return Status::Unavailable("工作日历未加载");
  XT_ASSIGN_OR_RETURN(v.from_org, tx.GetOrg(c.from_org_id));
  XT_ASSIGN_OR_RETURN(v.to_org, tx.GetOrg(c.to_org_id));
  std::vector<Id> named{c.created_by};
  for (const auto& r : c.rounds) {
    if (!r.answer) continue;
    named.push_back(r.answer->drafted_by);
    if (r.answer->approved_by) named.push_back(*r.answer->approved_by);
  }
  for (const auto& e : c.extensions) {
    named.push_back(e.requested_by);
    named.push_back(e.approved_by);
  }
  for (Id uid : named) {  // a store failure fails the read; a missing user is ""
    if (v.user_names.count(uid)) continue;
    XT_ASSIGN_OR_RETURN(v.user_names[uid], workflow::DisplayName(tx, uid));
  }
  XT_ASSIGN_OR_RETURN(v.duties, DutiesOf(tx, c.id));
  for (const auto& d : v.duties) {
    if (v.duty_org_names.count(d.owner_org_id)) continue;
    if (d.owner_org_id == v.from_org.id) {
      v.duty_org_names[d.owner_org_id] = v.from_org.name;
    } else if (d.owner_org_id == v.to_org.id) {
      v.duty_org_names[d.owner_org_id] = v.to_org.name;
    } else if (auto o = tx.GetOrg(d.owner_org_id); o.ok()) {
      v.duty_org_names[d.owner_org_id] = o->name;
    }
  }
  v.colour = EarliestOpenColour(v.duties, now);
  if (detail) {
    v.detail = true;
    XT_ASSIGN_OR_RETURN(v.documents, tx.ListCollaborationDocuments(c.id));
    XT_ASSIGN_OR_RETURN(v.timeline, TimelineOf(tx, kObject, std::to_string(c.id)));
    for (const auto& t : v.timeline)
      if (t.actor_id) v.user_names.try_emplace(*t.actor_id, t.actor_name);
  }
  v.c = std::move(c);
  return v;
}

Result<CollaborationView> CollaborationService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this}, store_, clock_, p, id);
}

namespace {
Result<storage::CollaborationFilter> FilterOf(const Principal& p, const CollaborationQuery& q,
                                              core::Instant now) {
  storage::CollaborationFilter f;
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  if (q.direction.empty() || q.direction == "all") {
  } else if (q.direction == "in") {
    f.to_org_id = p.org.id;
  } else if (q.direction == "out") {
    f.from_org_id = p.org.id;
  } else {
    return Status::Invalid("direction", "方向应为 in、out 或 all", {}, "invalid_value")
        .En("direction must be in, out or all");
  }
  if (!q.state.empty()) {
    auto s = domain::ParseCollabState(q.state);
    if (!s) return Status::Invalid("state", "未知的状态：" + q.state, {}, "invalid_value").En("Unknown state");
    f.states = {*s};
  }
  if (!q.kind.empty()) {
    auto k = domain::ParseCollabKind(q.kind);
    if (!k) return Status::Invalid("kind", "未知的协作类型：" + q.kind, {}, "invalid_value").En("Unknown kind");
    f.kind = *k;
  }
  f.involving_org_id = q.org;
  if (!q.colour.empty()) {
    XT_ASSIGN_OR_RETURN(f.colour, domain::ParseColourFilter(q.colour, "invalid_value"));
  }
  f.now = now;
  if (q.from) f.created_from = core::ShanghaiMidnight(*q.from);
  if (q.to) f.created_to = core::ShanghaiMidnight(*q.to + std::chrono::days(1));
  if (q.from && q.to && *q.to < *q.from) {
    return Status::Invalid("to", "结束日期不能早于开始日期", {}, "invalid_value").En("to is before from");
  }
  if (domain::Utf8Length(q.q) > kMaxQueryChars) {
    return Status::Invalid("q", "搜索文字不能超过100字", {}, "too_long").En("q is too long");
  }
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "页码应不小于1", {}, "invalid_value").En("page must be >= 1");
  if (q.page_size < 1 || q.page_size > 200) {
    return Status::Invalid("page_size", "每页条数应在1至200之间", {}, "invalid_value")
        .En("page_size must be 1..200");
  }
  f.offset = (q.page - 1) * q.page_size;
  f.limit = q.page_size;
  return f;
}
}  // namespace

// One page of the list, or (`all`) every row up to kMaxExportRows, uncounted, for an export.
Result<CollaborationList> CollaborationService::Rows(const Principal& p, CollaborationQuery q,
                                                     bool all) {
  if (all) {
    q.page = 1;
    q.page_size = 200;
  }
  const core::Instant now = clock_.Now();
  XT_ASSIGN_OR_RETURN(storage::CollaborationFilter f, FilterOf(p, q, now));
  if (all) {
    f.offset = 0;
    f.limit = kMaxExportRows;
  }
  CollaborationList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<Collaboration> rows, tx.ListCollaborations(f));
    if (!all) {
      XT_ASSIGN_OR_RETURN(out.total, tx.CountCollaborations(f));
    }
    for (auto& c : rows) {
      XT_ASSIGN_OR_RETURN(CollaborationView v, Load(tx, std::move(c), false, now));
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<CollaborationList> CollaborationService::List(const Principal& p,
                                                     const CollaborationQuery& q) {
  return Rows(p, q, /*all=*/false);
}

Result<std::string> CollaborationService::ExportCsv(const Principal& p, CollaborationQuery q) {
  XT_ASSIGN_OR_RETURN(CollaborationList all, Rows(p, std::move(q), /*all=*/true));
  return CsvDocument(
      "文号,状态,类型,发起单位,接收单位,标题,所涉案件,紧急,证据可能灭失,起草时间,发送时间,"
      "最近答复时间,办结时间,轮次,延期次数,期限状态\r\n",
      all.items, [](const CollaborationView& v) {
        const Collaboration& x = v.c;
        return std::vector<std::string>{
            x.number.value_or(""),
            std::string(domain::CollabStateLabelZh(x.state)),
            std::string(domain::CollabKindLabelZh(x.kind)),
            v.from_org.name,
            v.to_org.name,
            x.title,
            x.case_ref,
            x.urgent ? "是" : "否",
            x.evidence_at_risk ? "是" : "否",
            DayTime(x.created_at),
            DayTime(x.sent_at),
            DayTime(x.answered_at),
            DayTime(x.closed_at),
            std::to_string(x.rounds.size()),
            std::to_string(x.extensions.size()),
            std::string(ColourWordZh(v.colour)),
        };
      });
}

Result<domain::Document> CollaborationService::GetDocument(const Principal& p, Id id) {
  domain::Document out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto d = tx.GetDocument(id);
    if (!d.ok()) return d.status().code() == core::Code::kNotFound ? DocumentNotFound() : d.status();
    if (d->kind != domain::DocKind::kCollaborationLetter &&
        d->kind != domain::DocKind::kCollaborationAnswer) {
      return DocumentNotFound();
    }
    // The snapshot names its collaboration; the link table confirms it.
    std::optional<Id> cid;
    boost::system::error_code ec;
    json::value snap = json::parse(d->snapshot, ec);
    if (!ec && snap.is_object()) {
      if (auto* v = snap.as_object().if_contains("collaboration_id"); v && v->is_int64()) cid = v->as_int64();
    }
    if (!cid) return DocumentNotFound();
    auto c = tx.GetCollaboration(*cid);
    if (!c.ok() || !CanSee(p, *c)) return DocumentNotFound();
    XT_ASSIGN_OR_RETURN(std::vector<domain::Document> linked, tx.ListCollaborationDocuments(*cid));
    if (std::none_of(linked.begin(), linked.end(), [&](const auto& x) { return x.id == id; })) {
      return DocumentNotFound();
    }
    out = std::move(d).value();
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
