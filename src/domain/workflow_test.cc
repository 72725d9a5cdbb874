// The workflow engine's pure half: the generic decider on a small table, and the invariants every
// declared workflow table keeps (checked here for each table this build has).
#include "domain/workflow.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "domain/collaboration.h"
#include "domain/duty.h"
#include "domain/referral.h"

namespace xietong::domain::workflow {
namespace {

// A toy workflow: a lamp that the owner switches on and anyone on duty switches off.
enum class Lamp : int { kOff = 1, kOn = 2 };
enum class Switch : int { kOn = 1, kOff = 2, kRepair = 3 };
enum class Who : int { kOwner = 1, kGuard = 2 };
enum class Guard : int { kNone = 0 };
using Row = Transition<Lamp, Switch, Who, Guard>;
constexpr Row kLamp[] = {
    {Switch::kOn, Lamp::kOff, Lamp::kOn, Who::kOwner},
    {Switch::kOff, Lamp::kOn, Lamp::kOff, Who::kGuard, Guard::kNone,
     Effects{.meet = {"lamp.switch_off"}}},
};
std::string_view LampName(Lamp s) { return s == Lamp::kOn ? "on" : "off"; }
std::string_view LampZh(Lamp s) { return s == Lamp::kOn ? "亮" : "灭"; }
std::string_view SwitchName(Switch a) {
  return a == Switch::kOn ? "switch on" : a == Switch::kOff ? "switch off" : "repair";
}
std::string_view SwitchZh(Switch a) {
  return a == Switch::kOn ? "开灯" : a == Switch::kOff ? "关灯" : "维修";
}
std::string_view SwitchRule(Switch) { return "R-TEST-1"; }
std::string_view WhoZh(Who w) { return w == Who::kOwner ? "灯主" : "值班员"; }
constexpr Wording<Row> kWording{SwitchZh, SwitchName, SwitchRule, LampZh, LampName, WhoZh, "lamp"};

struct Actor {
  bool owner = false, guard = false;
  bool Is(Who w) const { return w == Who::kOwner ? owner : guard; }
};

TEST(WorkflowDecide, ReturnsTheRowForAnAllowedActor) {
  auto r = Decide<Row>(kLamp, kWording, Switch::kOn, Lamp::kOff, Actor{.owner = true});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->to, Lamp::kOn);
}

TEST(WorkflowDecide, DeniesWhoeverTheRowDoesNotNameAndSaysWhoMay) {
  auto r = Decide<Row>(kLamp, kWording, Switch::kOn, Lamp::kOff, Actor{.guard = true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().rule(), "R-TEST-1");
  EXPECT_NE(r.status().message().find("仅灯主可以开灯"), std::string::npos) << r.status().message();
}

TEST(WorkflowDecide, DeniesBeforeSayingTheStateWhenTheActorMayNeverAct) {
  // The guard may never switch the lamp on: denied, not "illegal transition", in any state.
  auto r = Decide<Row>(kLamp, kWording, Switch::kOn, Lamp::kOn, Actor{.guard = true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
}

TEST(WorkflowDecide, NamesTheCurrentStateWhenNoRowLeavesIt) {
  auto r = Decide<Row>(kLamp, kWording, Switch::kOn, Lamp::kOn, Actor{.owner = true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(r.status().id(), "illegal_transition");
  EXPECT_EQ(r.status().field(), "state");
  EXPECT_NE(r.status().message().find("当前状态为「亮」，不能开灯"), std::string::npos);
}

TEST(WorkflowEffects, NamesTheKindsAStepTouches) {
  constexpr Effects fx{.meet = {"a"}, .waive = {kAllDuties}, .open = {"b", "c"}};
  EXPECT_TRUE(fx.Meets("a"));
  EXPECT_FALSE(fx.Meets("b"));
  EXPECT_TRUE(fx.Waives("anything"));  // "*" waives every pending duty
  EXPECT_TRUE(fx.Opens("c"));
  EXPECT_FALSE(fx.Opens("a"));
  EXPECT_FALSE(Effects{}.Meets(""));  // empty slots name nothing
}

// ---- Invariants of every declared table ----------------------------------------------------

template <class R>
void CheckTable(std::span<const R> table, const char* name) {
  std::set<std::pair<int, int>> seen;
  for (const auto& row : table) {
    const std::string at = std::string(name) + " row " + std::to_string(&row - table.data());
    if constexpr (std::is_enum_v<decltype(row.action)>) {
      EXPECT_TRUE(seen.emplace(static_cast<int>(row.action), static_cast<int>(row.from)).second)
          << at << ": (action, from) declared twice";
    }
    for (const auto* kinds : {&row.fx.meet, &row.fx.meet_one, &row.fx.waive, &row.fx.open}) {
      for (std::string_view k : *kinds) {
        if (k.empty() || k == kAllDuties) continue;
        EXPECT_NE(FindDutyKind(k), nullptr) << at << ": unknown duty kind " << k;
      }
    }
    for (std::string_view k : row.fx.open) {
      if (k.empty()) continue;
      // The runner meets what was pending before the handler: a kind both opened and met by one
      // step would be ambiguous.
      EXPECT_FALSE(row.fx.Meets(k)) << at << ": " << k << " both opened and met";
    }
    if (row.fx.document) {
      EXPECT_NE(DocKindName(*row.fx.document), "unknown") << at;
    }
  }
}

TEST(WorkflowTables, EveryTableIsWellFormed) {
  CheckTable(ReferralTransitions(), "referral");
  CheckTable(CollabTransitions(), "collaboration");
}

// R-REF-6 belongs to the receiver: only the receiver's written answer (acceptance notice,
// refusal, 退回补正) or the coordinator's binding decision (R-REF-7) ends it; nothing the sender
// does meets it, and every step that meets it as an acceptance issues the numbered notice.
TEST(WorkflowTables, OnlyTheReceiverOrTheCoordinatorEndsTheAcceptanceDuty_R_REF_6) {
  int meeting_rows = 0;
  for (const auto& row : ReferralTransitions()) {
    if (!row.fx.Meets(kDutyReferralAccept)) continue;
    ++meeting_rows;
    EXPECT_TRUE(row.who == ReferralWho::kReceiverStaff || row.who == ReferralWho::kReceiverLeader ||
                row.who == ReferralWho::kCoordinator)
        << ReferralActionName(row.action) << " lets " << ReferralWhoLabelZh(row.who)
        << " end R-REF-6";
    if (row.action == ReferralAction::kAccept || row.action == ReferralAction::kDecline) {
      EXPECT_EQ(row.fx.document, DocKind::kAcceptanceNotice) << ReferralActionName(row.action);
    }
  }
  EXPECT_EQ(meeting_rows, 7);  // return ×2, accept ×2, decline ×2, coordinator: receiver accepts
}

// R-REF-3/R-DOC-1: a referral leaves only as the numbered letter; R-COL-1/2 likewise.
TEST(WorkflowTables, FormalActsDeclareTheirDocuments_R_DOC_1) {
  const auto* approve = FindReferralTransition(ReferralAction::kApprove, ReferralState::kSubmitted);
  ASSERT_NE(approve, nullptr);
  EXPECT_EQ(approve->fx.document, DocKind::kReferralLetter);
  EXPECT_TRUE(approve->fx.Meets(kDutyReferralSend));
  EXPECT_TRUE(approve->fx.Opens(kDutyReferralAccept));
  const auto* answer =
      FindCollabTransition(CollabAction::kApproveAnswer, CollabState::kAnswerPending);
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->fx.document, DocKind::kCollaborationAnswer);
  EXPECT_TRUE(answer->fx.Meets(kDutyCollabAnswer));
  // Withdrawal ends every duty of the object and no other step of a referral waives them all.
  for (const auto& row : ReferralTransitions()) {
    const bool all = row.fx.Waives("any.kind");
    EXPECT_EQ(all, row.action == ReferralAction::kWithdraw ||
                       row.action == ReferralAction::kCoordinateSenderKeeps)
        << ReferralActionName(row.action);
  }
}

}  // namespace
}  // namespace xietong::domain::workflow
