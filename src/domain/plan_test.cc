#include "domain/plan.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/duty.h"

namespace xietong::domain {
namespace {

// Every (action, state) pair of a table, "-" = illegal.
std::string Line(const ItemTable& t, std::string_view action) {
  std::string out;
  for (const auto& s : t.states) {
    if (!out.empty()) out += ' ';
    out += std::string(s.name);
    const CoordTransition* r = workflow::Find<CoordTransition>(t.rows, action, s.value);
    if (r) {
      out.push_back('>');
      out.append(ItemStateName(t, r->to));
    } else {
      out.append(":-");
    }
  }
  return out;
}

TEST(AnnualPlanTable, GoldenTransitions) {  // R-PLN-1
  const ItemTable& t = AnnualPlanTable();
  const std::map<std::string, std::string> golden = {
      {"consult", "draft>consulting consulting>consulting issued:-"},
      {"comment", "draft:- consulting>consulting issued:-"},
      {"split", "draft>draft consulting>consulting issued:-"},
      {"issue", "draft>issued consulting>issued issued:-"},
  };
  for (const auto& [action, line] : golden) EXPECT_EQ(Line(t, action), line) << action;
  for (const auto& r : t.rows) {
    if (r.from != kCoordNew) {
      EXPECT_TRUE(golden.count(std::string(r.action))) << r.action;
    }
  }
  // The issue is the numbered 计, waives the comments and opens the tasks' duties.
  const CoordTransition* issue = workflow::Find<CoordTransition>(t.rows, "issue", annual_plan_state::kDraft);
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->fx.document, DocKind::kAnnualPlan);
  EXPECT_TRUE(issue->fx.Waives(kPlanCommentDuty));
  EXPECT_TRUE(issue->fx.Opens(kPlanTaskCompleteDuty));
  EXPECT_EQ(DocKindChar(DocKind::kAnnualPlan), "计");
  // Only the coordinator drafts, splits and issues; a consulted department comments.
  CoordActor dept{.invitee_staff = true};
  auto r = DecideItem(t, "issue", annual_plan_state::kConsulting, dept);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().rule(), "R-PLN-1");
  EXPECT_TRUE(DecideItem(t, "comment", annual_plan_state::kConsulting, dept).ok());
  auto late = DecideItem(t, "split", annual_plan_state::kIssued, CoordActor{.coordinator = true});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().id(), "illegal_transition");
}

TEST(PlanTaskTable, GoldenTransitions) {  // R-PLN-1, R-PLN-2
  const ItemTable& t = PlanTaskTable();
  EXPECT_EQ(Line(t, "progress"), "open>open done:-");
  EXPECT_EQ(Line(t, "complete"), "open>done done:-");
  // Only the completion meets the task's duty; the ad hoc task is the numbered 任.
  const CoordTransition* complete = workflow::Find<CoordTransition>(t.rows, "complete", plan_task_state::kOpen);
  ASSERT_NE(complete, nullptr);
  EXPECT_TRUE(complete->fx.Meets(kPlanTaskCompleteDuty));
  for (const auto& row : t.rows) {
    if (row.action != "complete") {
      EXPECT_FALSE(row.fx.Meets(kPlanTaskCompleteDuty)) << row.action;
    }
  }
  const CoordTransition* create = ItemCreateRow(t, "create");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->fx.document, DocKind::kTaskOrder);
  EXPECT_EQ(DocKindChar(DocKind::kTaskOrder), "任");
  // A co-owner reports progress but does not complete.
  CoordActor co{.involved_staff = true};
  EXPECT_TRUE(DecideItem(t, "progress", plan_task_state::kOpen, co).ok());
  auto r = DecideItem(t, "complete", plan_task_state::kOpen, co);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  for (std::string_view k : {kPlanCommentDuty, kPlanTaskCompleteDuty}) {
    const DutyKind* d = FindDutyKind(k);
    ASSERT_NE(d, nullptr) << k;
    EXPECT_EQ(d->rule, "R-PLN-1");
    EXPECT_EQ(d->ending, DutyEnding::kByWorkflow);
  }
}

}  // namespace
}  // namespace xietong::domain
