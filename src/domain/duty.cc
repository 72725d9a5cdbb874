#include "domain/duty.h"

#include <algorithm>

namespace xietong::domain {

namespace {
template <typename E>
struct NameRow {
  E value;
  std::string_view name;
};
constexpr NameRow<DutyState> kStates[] = {{DutyState::kOpen, "open"},
                                          {DutyState::kMet, "met"},
                                          {DutyState::kWaived, "waived"},
                                          {DutyState::kSuspended, "suspended"}};
constexpr NameRow<Colour> kColours[] = {{Colour::kNone, "none"},
                                        {Colour::kGreen, "green"},
                                        {Colour::kYellow, "yellow"},
                                        {Colour::kRed, "red"}};
constexpr NameRow<DutyEnding> kEndings[] = {{DutyEnding::kByWorkflow, "by_workflow"},
                                             {DutyEnding::kManual, "manual"}};
constexpr NameRow<DutyExtension> kExtensions[] = {{DutyExtension::kNever, "never"},
                                                  {DutyExtension::kWorkflowStep, "workflow_step"},
                                                  {DutyExtension::kOwnerLeader, "owner_leader"},
                                                  {DutyExtension::kCoordinator, "coordinator"}};
constexpr NameRow<PeriodUnit> kUnits[] = {{PeriodUnit::kWorkingDays, "working_days"},
                                          {PeriodUnit::kHours, "hours"},
                                          {PeriodUnit::kCalendarDays, "calendar_days"}};

template <typename E, size_t N>
std::string_view NameOf(const NameRow<E> (&rows)[N], E v) {
  for (const auto& r : rows)
    if (r.value == v) return r.name;
  return "unknown";
}
template <typename E, size_t N>
std::optional<E> Parse(const NameRow<E> (&rows)[N], std::string_view s) {
  for (const auto& r : rows)
    if (r.name == s) return r.value;
  return std::nullopt;
}
}  // namespace

std::string_view DutyStateName(DutyState s) { return NameOf(kStates, s); }
std::optional<DutyState> ParseDutyState(std::string_view s) { return Parse(kStates, s); }
std::string_view ColourName(Colour c) { return NameOf(kColours, c); }
std::optional<Colour> ParseColour(std::string_view s) { return Parse(kColours, s); }
core::Result<Colour> ParseColourFilter(std::string_view s, std::string id) {
  auto c = ParseColour(s);
  if (!c || *c == Colour::kNone) {
    return core::Status::Invalid("colour", "颜色应为 green、yellow 或 red", "R-TIME-4", std::move(id))
        .En("colour must be green, yellow or red");
  }
  return *c;
}
std::string_view DutyEndingName(DutyEnding e) { return NameOf(kEndings, e); }
std::string_view DutyExtensionName(DutyExtension e) { return NameOf(kExtensions, e); }
std::string_view PeriodUnitName(PeriodUnit u) { return NameOf(kUnits, u); }
std::optional<PeriodUnit> ParsePeriodUnit(std::string_view s) { return Parse(kUnits, s); }

const std::vector<DutyKind>& DutyKinds() {
  using E = DutyEnding;
  using X = DutyExtension;
  constexpr std::string_view kSentZh = "由移送方领导批准发出移送时履行（POST /api/v1/referrals/{id}/approve）";
  constexpr std::string_view kSentEn =
      "it is met when the sender's leader approves and sends the referral "
      "(POST /api/v1/referrals/{id}/approve)";
  // Each row: what the policy says of the period decides `extension`; whether a workflow of this
  // platform opens the duty decides `ending`.
  static const std::vector<DutyKind> kKinds = {
      // R-REF-4: the statutory deadline to refer (3 working days, urgent 24 hours).
      {.id = "referral.send", .rule = "R-REF-4", .label_zh = "案件移送", .label_en = "Refer the case",
       .unit = PeriodUnit::kWorkingDays, .period = 3, .ending = E::kByWorkflow,
       .extension = X::kNever, .end_act_zh = kSentZh, .end_act_en = kSentEn},
      {.id = "referral.send_urgent", .rule = "R-REF-4", .label_zh = "紧急案件移送",
       .label_en = "Refer the urgent case", .unit = PeriodUnit::kHours, .period = 24,
       .ending = E::kByWorkflow, .extension = X::kNever, .end_act_zh = kSentZh,
       .end_act_en = kSentEn},
      // R-REF-5: notify "at once" in writing — the written notice leaves with the referral.
      {.id = "referral.ongoing_notice", .rule = "R-REF-5", .label_zh = "正在进行违法行为书面告知",
       .label_en = "Written notice of an ongoing violation", .unit = PeriodUnit::kHours,
       .period = 24, .ending = E::kByWorkflow, .extension = X::kNever, .end_act_zh = kSentZh,
       .end_act_en = kSentEn},
      // R-REF-6: 5 working days of receipt, statutory; its red state opens R-REF-7 escalation.
      {.id = "referral.accept_notice", .rule = "R-REF-6", .label_zh = "受理情况告知",
       .label_en = "Acceptance notice", .unit = PeriodUnit::kWorkingDays, .period = 5,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由接收方领导受理、不予受理或退回补正时履行（POST /api/v1/referrals/{id}/accept、"
                     "/decline、/return），或依依法治县办的协调决定",
       .end_act_en = "it is met when the receiver's leader accepts, declines or returns the "
                     "referral (POST /api/v1/referrals/{id}/accept, /decline, /return), or by the "
                     "coordinator's decision"},
      // R-COL-2: 3 working days; R-COL-4 lets the department extend for a technical appraisal or
      // a complex case, through the collaboration's extend step.
      {.id = "collaboration.answer", .rule = "R-COL-2", .label_zh = "执法协作书面反馈",
       .label_en = "Written answer to a collaboration request", .unit = PeriodUnit::kWorkingDays,
       .period = 3, .ending = E::kByWorkflow, .extension = X::kWorkflowStep,
       .end_act_zh = "由被请求部门领导签发反馈意见时履行（POST /api/v1/collaborations/{id}/approve-answer）",
       .end_act_en = "it is met when the receiver's leader signs the answer "
                     "(POST /api/v1/collaborations/{id}/approve-answer)",
       .extend_act_zh = "需技术鉴定或情况复杂的，由被请求部门领导通过执法协作的延期操作办理"
                        "（POST /api/v1/collaborations/{id}/extend，R-COL-4）",
       .extend_act_en = "only a technical appraisal or a complex case may be extended, by the "
                        "receiver's leader through the collaboration's extend step "
                        "(POST /api/v1/collaborations/{id}/extend, R-COL-4)"},
      // R-COL-3: send staff on site "at once" (及时派员).
      {.id = "collaboration.dispatch", .rule = "R-COL-3", .label_zh = "派员现场处置",
       .label_en = "Send staff on site", .unit = PeriodUnit::kHours, .period = 2,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由被请求部门记录人员到达现场时履行（POST /api/v1/collaborations/{id}/arrived）",
       .end_act_en = "it is met when the receiver records its staff on site "
                     "(POST /api/v1/collaborations/{id}/arrived)"},
      // R-COL-5 names no period (the platform's default, serve options): the department's leader
      // may give its analysis more time.
      {.id = "notice.measures", .rule = "R-COL-5", .label_zh = "隐患通报研究处置",
       .label_en = "Analyse and act on a hazard notice", .unit = PeriodUnit::kWorkingDays,
       .period = 5, .ending = E::kByWorkflow, .extension = X::kOwnerLeader,
       .end_act_zh = "由被通报部门记录研究处置措施时履行（POST /api/v1/notices/{id}/measures）",
       .end_act_en = "it is met when the notified department records its measures "
                     "(POST /api/v1/notices/{id}/measures)"},
      // R-COL-6: the meeting set the date; its owner alone may not move it.
      {.id = "meeting.decision", .rule = "R-COL-6", .label_zh = "专题会议决定事项落实",
       .label_en = "Carry out a meeting decision", .unit = PeriodUnit::kWorkingDays, .period = 10,
       .ending = E::kByWorkflow, .extension = X::kCoordinator,
       .end_act_zh = "由责任单位报告决定事项已落实时履行（POST /api/v1/meetings/{id}/decisions/{no}/done）",
       .end_act_en = "it is met when the owner reports the decision carried out "
                     "(POST /api/v1/meetings/{id}/decisions/{no}/done)"},
      // R-SYS-1: a decision of a joint-enforcement consultation (联席会议); as a meeting's.
      {.id = "consultation.decision", .rule = "R-SYS-1", .label_zh = "联席会议议定事项落实",
       .label_en = "Carry out a consultation decision", .unit = PeriodUnit::kWorkingDays, .period = 10,
       .ending = E::kByWorkflow, .extension = X::kCoordinator,
       .end_act_zh = "由责任单位报告议定事项已落实时履行（POST /api/v1/consultations/{id}/decisions/{no}/done）",
       .end_act_en = "it is met when the owner reports the decision carried out "
                     "(POST /api/v1/consultations/{id}/decisions/{no}/done)"},
      // R-COL-7: the written notice completes a phone notice afterwards (事后补办) — the owner's
      // own formality; only the coordinator may allow more time.
      {.id = "participation.written_notice", .rule = "R-COL-7", .label_zh = "补办书面告知",
       .label_en = "Complete the written notice", .unit = PeriodUnit::kWorkingDays, .period = 1,
       .ending = E::kByWorkflow, .extension = X::kCoordinator,
       .end_act_zh = "由发起部门补办书面告知时履行（POST /api/v1/participation-requests/{id}/written-notice）",
       .end_act_en = "it is met when the department issues the written notice "
                     "(POST /api/v1/participation-requests/{id}/written-notice)"},
      // R-COL-8: the department sends officers "at once"; a refusal without reason goes to the
      // coordinator once the duty is red.
      {.id = "violation.dispatch", .rule = "R-COL-8", .label_zh = "立即派员",
       .label_en = "Dispatch officers at once", .unit = PeriodUnit::kHours, .period = 2,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由被通知部门派员或说明拒绝理由时履行（POST /api/v1/violation-notices/{id}/dispatch、"
                     "/refuse）",
       .end_act_en = "it is met when the notified department dispatches officers or states its "
                     "refusal (POST /api/v1/violation-notices/{id}/dispatch, /refuse)"},
      // R-DIS-1: while the dispute runs the violation is handled jointly first (先协同处置):
      // every party records at once who acts and what was done.
      {.id = "dispute.joint_handling", .rule = "R-DIS-1", .label_zh = "职责争议先协同处置",
       .label_en = "Handle the disputed violation jointly", .unit = PeriodUnit::kWorkingDays,
       .period = 1, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由争议当事单位记录协同处置情况时履行（POST /api/v1/disputes/{id}/joint-handling）",
       .end_act_en = "it is met when the party records its joint handling "
                     "(POST /api/v1/disputes/{id}/joint-handling)"},
      // R-DIS-2: each step has its period (serve options); the coordinator may give the parties
      // more time to negotiate, nobody stretches the coordinator's or the government's step.
      {.id = "dispute.negotiation", .rule = "R-DIS-2", .label_zh = "职责争议协商",
       .label_en = "Negotiate the dispute", .unit = PeriodUnit::kWorkingDays, .period = 10,
       .ending = E::kByWorkflow, .extension = X::kCoordinator,
       .end_act_zh = "由争议当事单位记录协商结果时履行（POST /api/v1/disputes/{id}/negotiation）",
       .end_act_en = "it is met when a party records the negotiation's outcome "
                     "(POST /api/v1/disputes/{id}/negotiation)"},
      {.id = "dispute.coordination", .rule = "R-DIS-2", .label_zh = "职责争议协调",
       .label_en = "Coordinate the dispute", .unit = PeriodUnit::kWorkingDays, .period = 10,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由县委依法治县办作出协调结果时履行（POST /api/v1/disputes/{id}/coordination）",
       .end_act_en = "it is met when the coordinator records the coordination's outcome "
                     "(POST /api/v1/disputes/{id}/coordination)"},
      {.id = "dispute.decision", .rule = "R-DIS-2", .label_zh = "职责争议决定",
       .label_en = "Decide the dispute", .unit = PeriodUnit::kWorkingDays, .period = 10,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由县人民政府作出决定时履行（POST /api/v1/disputes/{id}/decision）",
       .end_act_en = "it is met when the County Government decides "
                     "(POST /api/v1/disputes/{id}/decision)"},
      // R-SYS-3: the first org replies to the complainant; the policy names no period (the
      // platform's default, serve option --complaint-reply-days). Counted for the assessment
      // (R-ASM-1: complaints answered on time), so nobody stretches it.
      {.id = "complaint.reply", .rule = "R-SYS-3", .label_zh = "答复投诉举报人",
       .label_en = "Reply to the complainant", .unit = PeriodUnit::kWorkingDays, .period = 15,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由首问单位答复投诉人时履行（POST /api/v1/complaints/{id}/reply）",
       .end_act_en = "it is met when the first org replies to the complainant "
                     "(POST /api/v1/complaints/{id}/reply)"},
      // R-PLN-2: a task the coordinator assigns to an org by hand (交办任务) — created through
      // POST /api/v1/duties; the owner reports it done (generic meet), a leader of the owner or
      // the coordinator may give it more time.
      {.id = "task.assigned", .rule = "R-PLN-2", .label_zh = "交办任务",
       .label_en = "Assigned task", .unit = PeriodUnit::kWorkingDays, .period = 5,
       .ending = E::kManual, .extension = X::kOwnerLeader},
      // R-CRI-1a: Decree 310's 3 days and 24 hours are statutory (calendar days, R-TIME-5; clock
      // hours). The criminal transfer's own steps open and meet them
      // (service/criminal_transfer_service.h); a late step stays on the record (met_at after due).
      {.id = "crime.transfer_decision", .rule = "R-CRI-1a", .label_zh = "涉嫌犯罪案件移送审批",
       .label_en = "Decide on a criminal transfer", .unit = PeriodUnit::kCalendarDays,
       .period = 3, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由移送机关负责人批准或不批准移送时履行（POST /api/v1/criminal-transfers/{id}/approve、"
                     "/not-approve）",
       .end_act_en = "it is met when the agency's head approves or refuses the transfer "
                     "(POST /api/v1/criminal-transfers/{id}/approve, /not-approve)"},
      {.id = "crime.transfer_police", .rule = "R-CRI-1a", .label_zh = "向公安机关移送",
       .label_en = "Transfer to the police", .unit = PeriodUnit::kHours, .period = 24,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由移送机关向公安机关移送并抄送人民检察院时履行（POST /api/v1/criminal-transfers/{id}/transfer）",
       .end_act_en = "it is met when the agency transfers the case to the police, copied to the "
                     "procuratorate (POST /api/v1/criminal-transfers/{id}/transfer)"},
      // The police sign the receipt at once (接受移送, Decree 310 art. 8): the platform's day.
      {.id = "crime.police_receipt", .rule = "R-CRI-1a", .label_zh = "签收移送案件",
       .label_en = "Sign the receipt of a transferred case", .unit = PeriodUnit::kHours,
       .period = 24, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由受移送的公安机关签收时履行（POST /api/v1/criminal-transfers/{id}/receipt）",
       .end_act_en = "it is met when the police sign the receipt "
                     "(POST /api/v1/criminal-transfers/{id}/receipt)"},
      {.id = "crime.case_decision", .rule = "R-CRI-1a", .label_zh = "立案审查决定",
       .label_en = "Decide whether to open a criminal case", .unit = PeriodUnit::kCalendarDays,
       .period = 3, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由公安机关决定立案或不予立案时履行（POST /api/v1/criminal-transfers/{id}/open-case、"
                     "/refuse-case）",
       .end_act_en = "it is met when the police open a case or refuse to "
                     "(POST /api/v1/criminal-transfers/{id}/open-case, /refuse-case)"},
      {.id = "crime.reconsideration_answer", .rule = "R-CRI-1a", .label_zh = "复议决定",
       .label_en = "Answer a reconsideration request", .unit = PeriodUnit::kCalendarDays,
       .period = 3, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由公安机关作出复议决定时履行（POST /api/v1/criminal-transfers/{id}/open-case、"
                     "/uphold-refusal）",
       .end_act_en = "it is met when the police decide on the reconsideration "
                     "(POST /api/v1/criminal-transfers/{id}/open-case, /uphold-refusal)"},
      // R-CRI-2 names no period: the platform's default; the agency's leader may give more time.
      {.id = "crime.administrative_handling", .rule = "R-CRI-2", .label_zh = "移回案件行政处理",
       .label_en = "Handle a returned case administratively", .unit = PeriodUnit::kWorkingDays,
       .period = 20, .ending = E::kByWorkflow, .extension = X::kOwnerLeader,
       .end_act_zh = "由移送机关记录行政处理结果时履行（POST /api/v1/criminal-transfers/{id}/handle）",
       .end_act_en = "it is met when the agency records its administrative handling "
                     "(POST /api/v1/criminal-transfers/{id}/handle)"},
      // R-CRI-3: 行政强制法 第五十六条 — the court decides within 5 days of receiving a
      // non-litigation enforcement application whether to accept it; 第五十七条 — it rules within
      // 7 days of accepting it (calendar days, R-TIME-5). Statutory: never extended (the hearing
      // of 第五十八条, 30 days, is not modelled).
      {.id = "court_enforcement.accept", .rule = "R-CRI-3", .label_zh = "受理强制执行申请",
       .label_en = "Decide on accepting an enforcement application",
       .unit = PeriodUnit::kCalendarDays, .period = 5, .ending = E::kByWorkflow,
       .extension = X::kNever,
       .end_act_zh = "由法院受理或裁定不予受理时履行（POST /api/v1/court-enforcements/{id}/accept、/reject）",
       .end_act_en = "it is met when the court accepts or declines the application "
                     "(POST /api/v1/court-enforcements/{id}/accept, /reject)"},
      {.id = "court_enforcement.ruling", .rule = "R-CRI-3", .label_zh = "强制执行申请裁定",
       .label_en = "Rule on an enforcement application", .unit = PeriodUnit::kCalendarDays,
       .period = 7, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由法院作出准予或不准予执行裁定时履行（POST /api/v1/court-enforcements/{id}/ruling）",
       .end_act_en = "it is met when the court rules "
                     "(POST /api/v1/court-enforcements/{id}/ruling)"},
      // R-CRI-4: the police answer before the action — within the configured hours (default 4,
      // --police-support-answer-hours), or by the action's start when that is sooner.
      {.id = "police_support.answer", .rule = "R-CRI-4", .label_zh = "答复协助请求",
       .label_en = "Answer a request for police support", .unit = PeriodUnit::kHours,
       .period = 4, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由公安机关答复派警或不予协助时履行（POST /api/v1/police-support-requests/{id}/answer）",
       .end_act_en = "it is met when the police answer "
                     "(POST /api/v1/police-support-requests/{id}/answer)"},
      // R-CRI-4: obstruction handed over — the police acknowledge and record their handling
      // (default 24 hours, --police-handover-hours).
      {.id = "police_support.handover", .rule = "R-CRI-4", .label_zh = "处理移交的阻碍执法情况",
       .label_en = "Handle a handed-over obstruction", .unit = PeriodUnit::kHours, .period = 24,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由公安机关记录处理情况时履行（POST /api/v1/police-support-requests/{id}/handle）",
       .end_act_en = "it is met when the police record how they handle it "
                     "(POST /api/v1/police-support-requests/{id}/handle)"},
      // R-GUI-1 / R-GUI-3: the department responds to a township's request for guidance or
      // technical support (the policy names no period: the platform's default of 5 working days,
      // serve options --guidance-respond-days, --tech-support-answer-days).
      {.id = "guidance.respond", .rule = "R-GUI-1", .label_zh = "答复业务指导申请",
       .label_en = "Respond to a request for guidance", .unit = PeriodUnit::kWorkingDays,
       .period = 5, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由部门安排指导或说明理由不予安排时履行（POST /api/v1/guidance-requests/{id}/schedule、/decline）",
       .end_act_en = "it is met when the department schedules the guidance or declines with a reason "
                     "(POST /api/v1/guidance-requests/{id}/schedule, /decline)"},
      {.id = "tech_support.answer", .rule = "R-GUI-3", .label_zh = "答复技术支持申请",
       .label_en = "Answer a request for technical support", .unit = PeriodUnit::kWorkingDays,
       .period = 5, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由部门以驻点、培训或派员方式答复时履行（POST /api/v1/tech-support-requests/{id}/answer）",
       .end_act_en = "it is met when the department answers by stationed staff, training or dispatch "
                     "(POST /api/v1/tech-support-requests/{id}/answer)"},
      // R-PLN-1: a department asked to comment on the draft annual plan (the platform's
      // default); its comment meets it; issuing the plan makes a missing comment moot.
      {.id = "plan.comment", .rule = "R-PLN-1", .label_zh = "对年度执法计划提出意见",
       .label_en = "Comment on the draft annual plan", .unit = PeriodUnit::kWorkingDays,
       .period = 5, .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由被征求意见的部门提出意见时履行（POST /api/v1/plans/{id}/comment）",
       .end_act_en = "it is met when the department comments (POST /api/v1/plans/{id}/comment)"},
      // R-PLN-1 / R-PLN-2: a key task of the plan or an ad hoc task, owed by its owner org and
      // due on the task's due date (the period runs from the issue to that day; a due date on
      // a rest day falls on the next working day, R-TIME-5). Only the completion report ends it;
      // the coordinator, who set the date, may give more time.
      {.id = "plan_task.complete", .rule = "R-PLN-1", .label_zh = "完成重点任务",
       .label_en = "Complete a key task", .unit = PeriodUnit::kCalendarDays, .period = 30,
       .ending = E::kByWorkflow, .extension = X::kCoordinator,
       .end_act_zh = "由牵头单位报告任务完成（进度100%及成果）时履行（POST /api/v1/plan-tasks/{id}/progress）",
       .end_act_en = "it is met when the owner reports the task done, 100 % with the outcome "
                     "(POST /api/v1/plan-tasks/{id}/progress)"},
      // R-PLN-2 督办: the urged org answers what it did (default 2 working days,
      // --urging-answer-days).
      {.id = "urging.answer", .rule = "R-PLN-2", .label_zh = "答复督办",
       .label_en = "Answer an urging notice", .unit = PeriodUnit::kWorkingDays, .period = 2,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由被督办单位答复办理情况时履行（POST /api/v1/urgings/{id}/answer）",
       .end_act_en = "it is met when the urged org answers what it did "
                     "(POST /api/v1/urgings/{id}/answer)"},
      // R-INF-1: each addressed township acknowledges a published material (default 3 working
      // days, --material-ack-days); late acknowledgements stay on the record.
      {.id = "material.acknowledge", .rule = "R-INF-1", .label_zh = "确认收到共享资料",
       .label_en = "Acknowledge a shared material", .unit = PeriodUnit::kWorkingDays, .period = 3,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由接收资料的乡镇确认收到时履行（POST /api/v1/materials/{id}/acknowledge）",
       .end_act_en = "it is met when the addressed township acknowledges the material "
                     "(POST /api/v1/materials/{id}/acknowledge)"},
      // R-INF-3: the department owning the matter acknowledges a township's penalty filing
      // (default 5 working days, --penalty-filing-ack-days).
      {.id = "penalty_filing.acknowledge", .rule = "R-INF-3", .label_zh = "确认处罚备案",
       .label_en = "Acknowledge a penalty filing", .unit = PeriodUnit::kWorkingDays, .period = 5,
       .ending = E::kByWorkflow, .extension = X::kNever,
       .end_act_zh = "由主管该事项的县直部门确认备案时履行（POST /api/v1/penalty-filings/{id}/acknowledge）",
       .end_act_en = "it is met when the owning department acknowledges the filing "
                     "(POST /api/v1/penalty-filings/{id}/acknowledge)"},
  };
  return kKinds;
}

const DutyKind* FindDutyKind(std::string_view id) {
  for (const auto& k : DutyKinds())
    if (k.id == id) return &k;
  return nullptr;
}

calendar::Deadline ComputeDue(const calendar::Calendar& cal, core::Instant trigger, PeriodUnit unit,
                              int64_t period) {
  switch (unit) {
    case PeriodUnit::kWorkingDays: return cal.AddWorkingDays(trigger, static_cast<int>(period));
    case PeriodUnit::kHours: return cal.AddHours(trigger, period);
    case PeriodUnit::kCalendarDays: return cal.AddCalendarDays(trigger, static_cast<int>(period));
  }
  return cal.AddHours(trigger, period);
}

core::Instant ComputeYellowAt(const calendar::Calendar& cal, const calendar::Deadline& due,
                              PeriodUnit unit, int64_t period) {
  using std::chrono::hours;
  if (unit == PeriodUnit::kHours) {
    auto quarter = std::chrono::duration_cast<std::chrono::milliseconds>(hours(period)) / 4;
    auto lead = std::min<std::chrono::milliseconds>(quarter, hours(24));
    // R-TIME-4 (issue 17 defect 5): with less than an hour left a duty is never green.
    lead = std::max<std::chrono::milliseconds>(lead, std::min<std::chrono::milliseconds>(hours(1), hours(period)));
    return due.due - lead;
  }
  // The last working day strictly before the deadline's last day: yellow from its 24:00.
  core::CivilDay d = due.last_day - std::chrono::days(1);
  for (int guard = 0; guard < 60 && !cal.Day(d).workday; ++guard) d -= std::chrono::days(1);
  return core::ShanghaiMidnight(d + std::chrono::days(1));
}

Colour ColourAt(const Duty& d, core::Instant now) {
  if (d.state != DutyState::kOpen) return Colour::kNone;
  if (now >= d.due_at) return Colour::kRed;
  if (now >= d.yellow_at) return Colour::kYellow;
  return Colour::kGreen;
}

Remaining RemainingAt(const calendar::Calendar& cal, const Duty& d, core::Instant now) {
  using std::chrono::duration_cast;
  using std::chrono::hours;
  constexpr std::chrono::milliseconds kTick{1};
  Remaining r;
  r.overdue = now >= d.due_at;
  if (d.unit == PeriodUnit::kHours) {  // R-TIME-2: clock hours only
    auto diff = r.overdue ? now - d.due_at : d.due_at - now;
    r.hours = static_cast<int>(duration_cast<hours>(diff).count());
    return r;
  }
  if (r.overdue) {
    // Working days after the deadline's last day, up to and including today; hours since 24:00.
    r.working_days = cal.WorkingDaysBetween(d.due_at - kTick, now).working_days;
    r.hours = static_cast<int>(duration_cast<hours>(now - d.due_at).count() % 24);
    return r;
  }
  // Working days after today up to the deadline's last day, plus the hours left today.
  r.working_days = cal.WorkingDaysBetween(now, d.due_at - kTick).working_days;
  core::Instant end_today = core::ShanghaiMidnight(core::ShanghaiDay(now) + std::chrono::days(1));
  r.hours = static_cast<int>(duration_cast<hours>(std::min(end_today, d.due_at) - now).count());
  return r;
}

void MarkMet(const calendar::Calendar& cal, Duty& d, core::Instant at) {
  d.state = DutyState::kMet;
  d.met_at = at;
  d.on_time = at < d.due_at;
  // Late by the working days after the deadline's last day up to the day it was met (>= 1 if late).
  d.late_working_days =
      *d.on_time ? 0
                 : std::max(1, cal.WorkingDaysBetween(d.due_at - std::chrono::milliseconds(1), at)
                                   .working_days);
}

// ---- The kind's policy for the generic routes ----

namespace {
// "「受理情况告知」（R-REF-6）" / "a referral.accept_notice duty (R-REF-6)".
std::string NameZh(const Duty& d, const DutyKind* k) {
  return "「" + std::string(k ? k->label_zh : std::string_view(d.kind)) + "」（" + d.rule + "）";
}
std::string NameEn(const Duty& d) { return "a " + d.kind + " duty (" + d.rule + ")"; }
}  // namespace

core::Status CheckGenericEnd(const Duty& d, bool waive) {
  const DutyKind* k = FindDutyKind(d.kind);
  if (k && k->ending == DutyEnding::kManual) return core::Status::Ok();
  // A duty belongs to its workflow: only the act it stands for ends it.
  std::string zh = NameZh(d, k) + "只能由其办理流程结束，不能直接" + (waive ? "免除" : "标记履行");
  std::string en = NameEn(d) + " ends only by its workflow; it cannot be " +
                   (waive ? "waived" : "marked met") + " here";
  if (k && !k->end_act_zh.empty()) {
    zh += "：" + std::string(k->end_act_zh);
    en += ": " + std::string(k->end_act_en);
  }
  return core::Status::Precondition("duty_ended_by_workflow", std::move(zh), d.rule)
      .En(std::move(en));
}

core::Status CheckGenericExtend(const Duty& d, bool by_coordinator) {
  const DutyKind* k = FindDutyKind(d.kind);
  const DutyExtension x = k ? k->extension : DutyExtension::kNever;
  switch (x) {
    case DutyExtension::kNever:
      return core::Status::Precondition("duty_not_extendable",
                                        NameZh(d, k) + "的期限是法定期限，任何人不能延长", d.rule)
          .En("The period of " + NameEn(d) + " is statutory; nobody may extend it");
    case DutyExtension::kWorkflowStep:
      if (by_coordinator) return core::Status::Ok();
      return core::Status::Precondition("duty_extended_by_workflow",
                                        NameZh(d, k) + "不能在此延期：" +
                                            std::string(k->extend_act_zh),
                                        d.rule)
          .En(NameEn(d) + " cannot be extended here: " + std::string(k->extend_act_en));
    case DutyExtension::kCoordinator:
      if (by_coordinator) return core::Status::Ok();
      return core::Status::Precondition("duty_not_extendable",
                                        NameZh(d, k) + "的期限只能由依法治县办延长", d.rule)
          .En("Only the coordinator may extend " + NameEn(d));
    case DutyExtension::kOwnerLeader: return core::Status::Ok();
  }
  return core::Status::Internal("unknown duty extension policy");
}

core::Status CheckGenericSuspend(const Duty& d) {
  const DutyKind* k = FindDutyKind(d.kind);
  if (k && k->extension != DutyExtension::kNever) return core::Status::Ok();
  return core::Status::Precondition(
             "duty_not_suspendable",
             NameZh(d, k) + "的期限是法定期限，不能中止计时（中止会延长期限）", d.rule)
      .En("The period of " + NameEn(d) +
          " is statutory; it cannot be suspended (a suspension would extend it)");
}

core::Status CheckMetAt(const Duty& d, core::Instant at, core::Instant now) {
  if (at > now + kMetAtSkew) {
    return core::Status::Invalid("met_at", "履行时间不能晚于当前时间", "R-TIME-4")
        .En("met_at lies in the future");
  }
  if (at < d.trigger_at) {
    return core::Status::Invalid("met_at",
                                 "履行时间不能早于触发时间（" + core::FormatInstant(d.trigger_at) +
                                     "）",
                                 "R-TIME-4")
        .En("met_at lies before the trigger (" + core::FormatInstant(d.trigger_at) + ")");
  }
  return core::Status::Ok();
}

}  // namespace xietong::domain
