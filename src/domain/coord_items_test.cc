#include "domain/coord_items.h"

#include <gtest/gtest.h>

#include "domain/duty.h"

#include <map>
#include <set>
#include <string>

namespace xietong::domain {
namespace {

// Golden tables: every (action, state) pair of each workflow, "-" = illegal. Exhaustive: each
// type's actions × states are checked against these lines, and every row of the table must be
// listed here.
const std::map<CoordType, std::map<std::string, std::string>> kGolden = {
    {CoordType::kNotice,
     {{"measures", "open>answered answered:- closed:- withdrawn:-"},
      {"close", "open:- answered>closed closed:- withdrawn:-"},
      {"withdraw", "open>withdrawn answered:- closed:- withdrawn:-"},
      {"message", "open>open answered>answered closed>closed withdrawn:-"}}},
    {CoordType::kMeeting,
     {{"reply", "scheduled>scheduled held:- closed:- cancelled:-"},
      {"minutes", "scheduled>held held:- closed:- cancelled:-"},
      {"decision-done", "scheduled:- held>held closed:- cancelled:-"},
      {"joint-action", "scheduled:- held>held closed:- cancelled:-"},
      {"close", "scheduled:- held>closed closed:- cancelled:-"},
      {"cancel", "scheduled>cancelled held:- closed:- cancelled:-"},
      {"message", "scheduled>scheduled held>held closed>closed cancelled:-"}}},
    {CoordType::kParticipation,
     {{"written-notice", "phoned>notified notified>notified confirmed>confirmed done:- cancelled:-"},
      {"confirm", "phoned>confirmed notified>confirmed confirmed:- done:- cancelled:-"},
      {"complete", "phoned:- notified:- confirmed>done done:- cancelled:-"},
      {"cancel", "phoned>cancelled notified>cancelled confirmed>cancelled done:- cancelled:-"},
      {"message", "phoned>phoned notified>notified confirmed>confirmed done>done cancelled:-"}}},
    {CoordType::kViolation,
     {{"dispatch",
       "notified>dispatched dispatched:- handled:- refused:- coordination:- closed:- withdrawn:-"},
      {"handle",
       "notified:- dispatched>handled handled:- refused:- coordination:- closed:- withdrawn:-"},
      {"refuse",
       "notified>refused dispatched:- handled:- refused:- coordination:- closed:- withdrawn:-"},
      {"withdraw",
       "notified>withdrawn dispatched:- handled:- refused:- coordination:- closed:- withdrawn:-"},
      {"coordination", "notified>coordination dispatched:- handled:- refused>coordination "
                       "coordination:- closed:- withdrawn:-"},
      {"coordination.department_handles",
       "notified:- dispatched:- handled:- refused:- coordination>notified closed:- withdrawn:-"},
      {"coordination.township_handles",
       "notified:- dispatched:- handled:- refused:- coordination>closed closed:- withdrawn:-"},
      {"coordination.reassign",
       "notified:- dispatched:- handled:- refused:- coordination>notified closed:- withdrawn:-"},
      {"message", "notified>notified dispatched>dispatched handled>handled refused>refused "
                  "coordination>coordination closed>closed withdrawn:-"}}},
};

std::string Line(CoordType t, std::string_view action) {
  std::string out;
  for (int s : CoordStates(t)) {
    if (!out.empty()) out += ' ';
    out += CoordStateName(t, s);
    const CoordTransition* row = FindCoordTransition(t, action, s);
    if (row) {
      out.push_back('>');
      out.append(CoordStateName(t, row->to));
    } else {
      out.append(":-");
    }
  }
  return out;
}

TEST(CoordItems, TransitionTablesMatchTheGoldenTablesExhaustively) {
  for (CoordType t : kAllCoordTypes) {
    const auto& golden = kGolden.at(t);
    std::set<std::string> actions;
    for (auto a : CoordActions(t)) actions.insert(std::string(a));
    std::set<std::string> expected;
    for (const auto& [a, _] : golden) expected.insert(a);
    EXPECT_EQ(actions, expected) << CoordTypeName(t);
    for (const auto& [a, line] : golden) EXPECT_EQ(Line(t, a), line) << CoordTypeName(t) << " " << a;
    // No duplicate (action, from) rows; every action has a label and a rule.
    std::set<std::pair<std::string, int>> seen;
    for (const auto& r : CoordTransitions(t)) {
      EXPECT_TRUE(seen.insert({std::string(r.action), r.from}).second) << r.action;
      EXPECT_FALSE(CoordActionLabelZh(t, r.action).empty()) << r.action;
      EXPECT_EQ(CoordActionRule(t, r.action).substr(0, 2), "R-");
    }
  }
}

TEST(CoordItems, GuardsAndWhoOfTheRows) {
  using namespace participation_state;
  EXPECT_EQ(FindCoordTransition(CoordType::kParticipation, "written-notice", kConfirmed)->guard,
            CoordGuard::kWrittenNoticeMissing);
  EXPECT_EQ(FindCoordTransition(CoordType::kParticipation, "written-notice", kNotified)->guard,
            CoordGuard::kWrittenNoticeMissing);
  EXPECT_EQ(FindCoordTransition(CoordType::kParticipation, "complete", kConfirmed)->guard,
            CoordGuard::kWrittenNoticeIssued);
  EXPECT_EQ(FindCoordTransition(CoordType::kViolation, "coordination", violation_state::kNotified)
                ->guard,
            CoordGuard::kDispatchDutyRed);
  EXPECT_EQ(FindCoordTransition(CoordType::kViolation, "coordination", violation_state::kRefused)
                ->guard,
            CoordGuard::kNone);
  EXPECT_EQ(FindCoordTransition(CoordType::kMeeting, "minutes", meeting_state::kScheduled)->guard,
            CoordGuard::kMeetingStarted);
  EXPECT_EQ(FindCoordTransition(CoordType::kMeeting, "close", meeting_state::kHeld)->guard,
            CoordGuard::kNoOpenDecisions);
  EXPECT_EQ(FindCoordTransition(CoordType::kViolation, "refuse", violation_state::kNotified)->who,
            CoordWho::kToLeader);
}

TEST(CoordItems, DecideNamesPermissionThenState) {
  CoordActor township{.from_staff = true, .involved_staff = true};
  CoordActor dept{.to_staff = true, .involved_staff = true};
  // The department records measures on an open notice.
  auto ok = DecideCoordTransition(CoordType::kNotice, "measures", notice_state::kOpen, dept);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->to, notice_state::kAnswered);
  // The township may not (permission, rule R-COL-5).
  auto denied = DecideCoordTransition(CoordType::kNotice, "measures", notice_state::kOpen, township);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-COL-5");
  // Twice: illegal transition naming the state.
  auto again = DecideCoordTransition(CoordType::kNotice, "measures", notice_state::kAnswered, dept);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(again.status().id(), "illegal_transition");
  EXPECT_NE(again.status().message().find("已反馈措施"), std::string::npos);
  // Unknown action.
  auto unknown = DecideCoordTransition(CoordType::kNotice, "fly", notice_state::kOpen, dept);
  EXPECT_EQ(unknown.status().code(), core::Code::kInvalidArgument);
  // Only a leader refuses a violation notice; only the coordinator decides.
  CoordActor leader{.to_staff = true, .to_leader = true};
  EXPECT_TRUE(
      DecideCoordTransition(CoordType::kViolation, "refuse", violation_state::kNotified, leader).ok());
  EXPECT_FALSE(
      DecideCoordTransition(CoordType::kViolation, "refuse", violation_state::kNotified, dept).ok());
  CoordActor coord{.coordinator = true};
  EXPECT_TRUE(DecideCoordTransition(CoordType::kViolation, "coordination.reassign",
                                    violation_state::kCoordination, coord)
                  .ok());
  EXPECT_FALSE(DecideCoordTransition(CoordType::kViolation, "coordination.reassign",
                                     violation_state::kCoordination, township)
                   .ok());
  // Meeting decisions: owner staff, or convener for joint actions.
  CoordActor owner{.owner_staff = true};
  EXPECT_TRUE(DecideCoordTransition(CoordType::kMeeting, "decision-done", meeting_state::kHeld, owner).ok());
  EXPECT_TRUE(DecideCoordTransition(CoordType::kMeeting, "joint-action", meeting_state::kHeld, township).ok());
  EXPECT_FALSE(DecideCoordTransition(CoordType::kMeeting, "decision-done", meeting_state::kHeld, township).ok());
}

// The declared effects of every row are sane: each duty kind exists and belongs to the type's
// rule, no row both opens and meets (or meets one of) a kind, a step meets only what an earlier
// row of the type (or its creation) opens, and only the primary documents number the item.
TEST(CoordItems, EffectsOfEveryRowAreSane) {
  for (CoordType t : kAllCoordTypes) {
    std::set<std::string_view> opened;
    for (const auto& r : CoordTransitions(t))
      for (auto k : r.fx.open)
        if (!k.empty()) opened.insert(k);
    for (const auto& r : CoordTransitions(t)) {
      const std::string at = std::string(CoordTypeName(t)) + " " + std::string(r.action);
      for (const auto* kinds : {&r.fx.meet, &r.fx.meet_one, &r.fx.waive, &r.fx.open}) {
        for (auto k : *kinds) {
          if (k.empty() || k == workflow::kAllDuties) continue;
          const DutyKind* dk = FindDutyKind(k);
          ASSERT_NE(dk, nullptr) << at << " names an unknown duty kind " << k;
          EXPECT_EQ(dk->rule, CoordTypeRule(t)) << at << " " << k;
          EXPECT_EQ(dk->ending, DutyEnding::kByWorkflow) << at << " " << k;
        }
      }
      for (auto k : r.fx.open) {
        if (k.empty()) continue;
        EXPECT_FALSE(r.fx.Meets(k)) << at << " opens and meets " << k;
        EXPECT_FALSE(workflow::Effects::Has(r.fx.meet_one, k)) << at << " opens and meets one " << k;
      }
      for (auto k : r.fx.meet) {
        if (!k.empty()) {
          EXPECT_TRUE(opened.count(k)) << at << " meets " << k << " that no row opens";
        }
      }
      for (auto k : r.fx.meet_one) {
        if (!k.empty()) {
          EXPECT_TRUE(opened.count(k)) << at << " meets one " << k << " that no row opens";
        }
      }
      // A message is only a message.
      if (r.action == "message") {
        EXPECT_FALSE(r.fx.document) << at;
        EXPECT_TRUE(r.fx.open[0].empty() && r.fx.meet[0].empty() && r.fx.waive[0].empty()) << at;
      }
    }
  }
}

TEST(CoordItems, CreatingRowsDeclareTheirDutiesAndDocuments) {
  using D = DocKind;
  const auto& notice = CoordCreateRow(CoordType::kNotice);
  EXPECT_EQ(notice.from, kCoordNew);
  EXPECT_EQ(notice.to, notice_state::kOpen);
  EXPECT_TRUE(notice.fx.Opens("notice.measures"));
  EXPECT_EQ(notice.fx.document, D::kHazardNotice);
  EXPECT_EQ(CoordCreateRow(CoordType::kMeeting).fx.document, D::kMeetingInvitation);
  EXPECT_EQ(CoordCreateRow(CoordType::kMeeting).to, meeting_state::kScheduled);
  const auto& written = CoordCreateRow(CoordType::kParticipation);
  EXPECT_EQ(written.to, participation_state::kNotified);
  EXPECT_EQ(written.fx.document, D::kParticipationNotice);
  const auto& phoned = CoordCreateRow(CoordType::kParticipation, /*phoned=*/true);
  EXPECT_EQ(phoned.to, participation_state::kPhoned);
  EXPECT_FALSE(phoned.fx.document);
  EXPECT_TRUE(phoned.fx.Opens("participation.written_notice"));
  const auto& violation = CoordCreateRow(CoordType::kViolation);
  EXPECT_EQ(violation.fx.document, D::kViolationNotice);
  EXPECT_TRUE(violation.fx.Opens("violation.dispatch"));
  for (CoordType t : kAllCoordTypes) {
    EXPECT_EQ(CoordAuditAction(t, CoordCreateRow(t, true).action), std::string(CoordTypeName(t)) + ".create");
    // Creating rows are no steps: the decider does not know them.
    CoordActor anyone{.from_staff = true, .involved_staff = true};
    EXPECT_EQ(DecideCoordTransition(t, "create", kCoordNew, anyone).status().code(),
              core::Code::kInvalidArgument);
  }
  EXPECT_EQ(CoordAuditAction(CoordType::kMeeting, "decision-done"), "meeting.decision_done");
}

TEST(CoordItems, StepsDeclareTheFormalActsTheyNumber) {
  using D = DocKind;
  auto doc = [](CoordType t, std::string_view a, int from) {
    return FindCoordTransition(t, a, from)->fx.document;
  };
  EXPECT_EQ(doc(CoordType::kNotice, "measures", notice_state::kOpen), D::kNoticeReply);
  EXPECT_EQ(doc(CoordType::kMeeting, "minutes", meeting_state::kScheduled), D::kMeetingMinutes);
  EXPECT_EQ(doc(CoordType::kMeeting, "joint-action", meeting_state::kHeld), D::kJointActionRecord);
  for (auto a : {"coordination.department_handles", "coordination.township_handles",
                 "coordination.reassign"}) {
    EXPECT_EQ(doc(CoordType::kViolation, a, violation_state::kCoordination), D::kCoordinationDecision) << a;
    EXPECT_TRUE(FindCoordTransition(CoordType::kViolation, a, violation_state::kCoordination)
                    ->fx.Waives("violation.dispatch")) << a;
  }
  EXPECT_FALSE(FindCoordTransition(CoordType::kViolation, "coordination.township_handles",
                                   violation_state::kCoordination)->fx.Opens("violation.dispatch"));
  for (int s : {participation_state::kPhoned, participation_state::kNotified, participation_state::kConfirmed}) {
    EXPECT_EQ(doc(CoordType::kParticipation, "written-notice", s), D::kParticipationNotice);
  }
  EXPECT_TRUE(FindCoordTransition(CoordType::kMeeting, "decision-done", meeting_state::kHeld)
                  ->fx.meet_one[0] == "meeting.decision");
  EXPECT_TRUE(FindCoordTransition(CoordType::kViolation, "dispatch", violation_state::kNotified)
                  ->fx.Meets("violation.dispatch"));
  EXPECT_TRUE(FindCoordTransition(CoordType::kViolation, "refuse", violation_state::kNotified)
                  ->fx.Meets("violation.dispatch"));
  // The item's number: its primary document only.
  EXPECT_FALSE(CoordNumberedKind(CoordType::kNotice));
  EXPECT_EQ(CoordNumberedKind(CoordType::kMeeting), D::kMeetingMinutes);
  EXPECT_EQ(CoordNumberedKind(CoordType::kParticipation), D::kParticipationNotice);
  EXPECT_EQ(CoordNumberedKind(CoordType::kViolation), D::kViolationNotice);
}

TEST(CoordItems, NamesRoundTrip) {
  for (CoordType t : kAllCoordTypes) {
    EXPECT_EQ(ParseCoordType(CoordTypeName(t)), t);
    for (int s : CoordStates(t)) EXPECT_EQ(ParseCoordState(t, CoordStateName(t, s)), s);
    for (const auto& k : CoordKinds(t)) EXPECT_EQ(CoordKindLabelZh(t, k.name), k.label_zh);
  }
  EXPECT_EQ(CoordTypeName(CoordType::kViolation), "violation_notice");
  EXPECT_FALSE(ParseCoordType("collaboration"));
  EXPECT_EQ(static_cast<int>(CoordType::kViolation), 4);
}

}  // namespace

// R-SYS-1, R-SYS-4, R-SYS-5: the standing mechanisms' tables.
TEST(CoordItems, StandingMechanismsNumberTheirActsAndFollowDecisions_R_SYS_1_4_5) {
  using D = DocKind;
  namespace ms = meeting_state;
  const auto* minutes = FindCoordTransition(CoordType::kConsultation, "minutes", ms::kScheduled);
  ASSERT_NE(minutes, nullptr);
  EXPECT_EQ(minutes->fx.document, D::kConsultationMinutes);
  EXPECT_EQ(DocKindChar(D::kConsultationMinutes), "席");
  EXPECT_TRUE(minutes->fx.Opens("consultation.decision"));
  EXPECT_FALSE(minutes->fx.Opens("meeting.decision"));
  EXPECT_EQ(minutes->guard, CoordGuard::kMeetingStarted);
  const auto* done = FindCoordTransition(CoordType::kConsultation, "decision-done", ms::kHeld);
  ASSERT_NE(done, nullptr);
  EXPECT_TRUE(workflow::Effects::Has(done->fx.meet_one, "consultation.decision"));
  EXPECT_EQ(FindCoordTransition(CoordType::kConsultation, "close", ms::kHeld)->guard, CoordGuard::kNoOpenDecisions);
  EXPECT_EQ(FindCoordTransition(CoordType::kConsultation, "joint-action", ms::kHeld), nullptr);

  EXPECT_EQ(CoordCreateRow(CoordType::kJointMechanism).fx.document, D::kMechanismEstablishment);
  EXPECT_EQ(DocKindChar(D::kMechanismEstablishment), "制");
  for (auto a : {"update", "briefing", "dissolve"}) {
    EXPECT_EQ(FindCoordTransition(CoordType::kJointMechanism, a, mechanism_state::kActive)->who,
              CoordWho::kCoordinatorOrToStaff) << a;
    EXPECT_EQ(FindCoordTransition(CoordType::kJointMechanism, a, mechanism_state::kDissolved), nullptr) << a;
  }
  // The lead org (the addressee) or the coordinator maintains it; a member does not.
  EXPECT_TRUE(CoordActor{.to_staff = true}.Is(CoordWho::kCoordinatorOrToStaff));
  EXPECT_TRUE(CoordActor{.coordinator = true}.Is(CoordWho::kCoordinatorOrToStaff));
  EXPECT_FALSE(CoordActor{.involved_staff = true}.Is(CoordWho::kCoordinatorOrToStaff));

  EXPECT_EQ(FindCoordTransition(CoordType::kJointAction, "result", joint_action_state::kPlanned)->fx.document,
            D::kJointActionRecord);
  EXPECT_EQ(FindCoordTransition(CoordType::kJointAction, "result", joint_action_state::kPlanned)->to,
            joint_action_state::kDone);
  EXPECT_FALSE(CoordCreateRow(CoordType::kJointAction).fx.document.has_value());
  for (CoordType t : kMechanismTypes) {
    EXPECT_TRUE(IsMechanismType(t));
    EXPECT_FALSE(IsCollaborationType(t));  // not in the combined 协作 list
    EXPECT_FALSE(ParseCoordType(CoordTypeName(t)).has_value());
  }
}

}  // namespace xietong::domain
