#include "domain/coord_items.h"

#include <gtest/gtest.h>

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
}  // namespace xietong::domain
