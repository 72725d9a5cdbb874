#include "domain/collaboration.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace xietong::domain {
namespace {

using A = CollabAction;
using S = CollabState;

// The golden table, written independently of collaboration.cc: for each action, the next state
// from each state in kAllCollabStates order (draft, submitted, sent, received, answer_pending,
// answered, closed, withdrawn); "-" = illegal. Who: see kGoldenWho.
struct GoldenRow {
  A action;
  CollabWho who;
  std::vector<std::string> next;
};
const std::vector<GoldenRow>& Golden() {
  using W = CollabWho;
  static const std::vector<GoldenRow> kGolden = {
      //                                    draft        submitted    sent        received    answer_pending answered  closed withdrawn
      {A::kUpdate, W::kSenderStaff, {"draft", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kSubmit, W::kSenderStaff, {"submitted", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kApprove, W::kSenderLeader, {"-", "sent", "-", "-", "-", "-", "-", "-"}},
      {A::kReturn, W::kSenderLeader, {"-", "draft", "-", "-", "-", "-", "-", "-"}},
      {A::kReceive, W::kReceiverStaff, {"-", "-", "received", "-", "-", "-", "-", "-"}},
      {A::kExtend, W::kReceiverLeader, {"-", "-", "sent", "received", "answer_pending", "-", "-", "-"}},
      {A::kAnswer, W::kReceiverStaff, {"-", "-", "answer_pending", "answer_pending", "answer_pending", "-", "-", "-"}},
      {A::kApproveAnswer, W::kReceiverLeader, {"-", "-", "-", "-", "answered", "-", "-", "-"}},
      {A::kRejectAnswer, W::kReceiverLeader, {"-", "-", "-", "-", "received", "-", "-", "-"}},
      {A::kFollowUp, W::kSenderStaff, {"-", "-", "-", "-", "-", "received", "-", "-"}},
      {A::kDispatch, W::kReceiverStaff, {"-", "-", "sent", "received", "answer_pending", "answered", "-", "-"}},
      {A::kArrived, W::kReceiverStaff, {"-", "-", "sent", "received", "answer_pending", "answered", "-", "-"}},
      {A::kWithdraw, W::kSenderStaff, {"withdrawn", "withdrawn", "withdrawn", "withdrawn", "withdrawn", "-", "-", "-"}},
      {A::kClose, W::kSenderStaff, {"-", "-", "-", "-", "-", "closed", "-", "-"}},
  };
  return kGolden;
}

// Every actor shape worth trying.
std::vector<CollabActor> Actors() {
  std::vector<CollabActor> out;
  for (int mask = 0; mask < 16; ++mask) {
    out.push_back({.sender_staff = (mask & 1) != 0,
                   .sender_leader = (mask & 2) != 0,
                   .receiver_staff = (mask & 4) != 0,
                   .receiver_leader = (mask & 8) != 0});
  }
  return out;
}

TEST(CollabStates, NamesRoundTripAndNumbersAreStable) {
  for (S s : kAllCollabStates) EXPECT_EQ(ParseCollabState(CollabStateName(s)), s);
  EXPECT_EQ(static_cast<int>(S::kDraft), 1);
  EXPECT_EQ(static_cast<int>(S::kAnswerPending), 5);
  EXPECT_EQ(static_cast<int>(S::kWithdrawn), 8);
  EXPECT_FALSE(ParseCollabState("returned"));
  for (CollabKind k : {CollabKind::kDetermination, CollabKind::kTechnicalAppraisal,
                       CollabKind::kAdvisoryOpinion}) {
    EXPECT_EQ(ParseCollabKind(CollabKindName(k)), k);
  }
  EXPECT_EQ(CollabKindName(CollabKind::kTechnicalAppraisal), "technical_appraisal");
  EXPECT_EQ(CollabKindLabelZh(CollabKind::kAdvisoryOpinion), "咨询意见");
  EXPECT_FALSE(ParseCollabKind("appraisal"));
}

TEST(CollabTransitions, TableEqualsTheGoldenTableForEveryPair) {
  ASSERT_EQ(Golden().size(), std::size(kAllCollabActions));
  for (const auto& g : Golden()) {
    ASSERT_EQ(g.next.size(), std::size(kAllCollabStates));
    for (size_t i = 0; i < g.next.size(); ++i) {
      const S from = kAllCollabStates[i];
      const CollabTransition* t = FindCollabTransition(g.action, from);
      SCOPED_TRACE(std::string(CollabActionName(g.action)) + " from " +
                   std::string(CollabStateName(from)));
      if (g.next[i] == "-") {
        EXPECT_EQ(t, nullptr);
      } else {
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(CollabStateName(t->to), g.next[i]);
        EXPECT_EQ(t->who, g.who);
      }
    }
  }
}

TEST(CollabTransitions, DecideForEveryActionStateAndActor) {
  for (const auto& g : Golden()) {
    for (size_t i = 0; i < std::size(kAllCollabStates); ++i) {
      const S from = kAllCollabStates[i];
      for (const CollabActor& actor : Actors()) {
        auto r = DecideCollabTransition(g.action, from, actor);
        const bool may = actor.Is(g.who);
        SCOPED_TRACE(std::string(CollabActionName(g.action)) + " from " +
                     std::string(CollabStateName(from)));
        if (!may) {
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
          EXPECT_EQ(r.status().rule(), CollabActionRule(g.action));
        } else if (g.next[i] == "-") {
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.status().code(), core::Code::kFailedPrecondition);
          EXPECT_EQ(r.status().id(), "illegal_transition");
          EXPECT_EQ(r.status().field(), "state");
        } else {
          ASSERT_TRUE(r.ok()) << r.status().message();
          EXPECT_EQ(CollabStateName((*r)->to), g.next[i]);
        }
      }
    }
  }
}

TEST(CollabTransitions, ExampleMessages) {
  auto r = DecideCollabTransition(A::kClose, S::kSent, {.sender_staff = true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "当前状态为「已发送」，不能办结");
  auto d = DecideCollabTransition(A::kApproveAnswer, S::kAnswerPending, {.receiver_staff = true});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "仅被请求部门领导可以签发反馈意见");
  EXPECT_EQ(d.status().rule(), "R-COL-2");
}

TEST(CollabActions, NamesAuditActionsAndRules) {
  EXPECT_EQ(CollabActionName(A::kApproveAnswer), "approve-answer");
  EXPECT_EQ(CollabAuditAction(A::kApproveAnswer), "collaboration.approve_answer");
  EXPECT_EQ(CollabAuditAction(A::kFollowUp), "collaboration.follow_up");
  EXPECT_EQ(CollabActionRule(A::kExtend), "R-COL-4");
  EXPECT_EQ(CollabActionRule(A::kDispatch), "R-COL-3");
  for (A a : kAllCollabActions) {
    EXPECT_FALSE(CollabActionLabelZh(a).empty());
    EXPECT_EQ(CollabAuditAction(a).substr(0, 14), "collaboration.");
  }
}

Collaboration Complete() {
  Collaboration c;
  c.title = "关于某砂场开采量的认定";
  c.questions = "请认定开采范围是否超出许可";
  c.case_ref = "新城执立〔2026〕12号";
  return c;
}

TEST(CollabChecks, CompleteAndEachMissingPieceNamesItsField) {
  EXPECT_TRUE(CheckCollabComplete(Complete()).ok());
  for (std::string field : {"title", "questions", "case_ref"}) {
    Collaboration c = Complete();
    if (field == "title") c.title = " ";
    if (field == "questions") c.questions = "";
    if (field == "case_ref") c.case_ref = "\n";
    auto s = CheckCollabComplete(c);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.field(), field);
    EXPECT_EQ(s.rule(), "R-COL-1");
    EXPECT_EQ(s.id(), "missing_field");
  }
}

TEST(CollabChecks, ShapeLimitsNameTheField) {
  Collaboration c = Complete();
  c.title = std::string(101, 'x');
  EXPECT_EQ(CheckCollabShape(c).field(), "title");
  c = Complete();
  c.materials = {{"照片", "", std::nullopt}, {"", "", std::nullopt}};
  EXPECT_EQ(CheckCollabShape(c).field(), "materials[1].name");
  c = Complete();
  c.case_ref = std::string(201, 'y');
  EXPECT_EQ(CheckCollabShape(c).id(), "too_long");
}

TEST(CollabChecks, ExtensionOnlyForAppraisalOrComplexCases) {
  const core::Instant due = core::FromMillis(1'000'000);
  const core::Instant now = core::FromMillis(500'000);
  const core::Instant later = core::FromMillis(2'000'000);
  Collaboration c = Complete();
  c.kind = CollabKind::kDetermination;
  auto s = CheckCollabExtension(c, false, "需要检测", due, later, now);
  EXPECT_EQ(s.field(), "complex");
  EXPECT_EQ(s.id(), "extension_not_allowed");
  EXPECT_EQ(s.rule(), "R-COL-4");
  EXPECT_TRUE(CheckCollabExtension(c, true, "情况复杂", due, later, now).ok());
  c.kind = CollabKind::kTechnicalAppraisal;
  EXPECT_TRUE(CheckCollabExtension(c, false, "需送检", due, later, now).ok());
  EXPECT_EQ(CheckCollabExtension(c, false, "", due, later, now).field(), "reason");
  EXPECT_EQ(CheckCollabExtension(c, false, "x", due, due, now).field(), "new_due");
  EXPECT_EQ(CheckCollabExtension(c, false, "x", due, later, core::FromMillis(3'000'000)).field(),
            "new_due");
}

TEST(CollabChecks, AnswerAndStaff) {
  EXPECT_TRUE(CheckCollabAnswer("属于超范围开采", "经核查…").ok());
  EXPECT_EQ(CheckCollabAnswer("", "x").field(), "conclusion");
  EXPECT_EQ(CheckCollabAnswer("x", " ").field(), "text");
  EXPECT_EQ(CheckCollabAnswer(std::string(501, 'c'), "x").id(), "too_long");
  EXPECT_TRUE(CheckCollabStaff({"张三", "李四"}).ok());
  EXPECT_EQ(CheckCollabStaff({}).field(), "staff");
  EXPECT_EQ(CheckCollabStaff({"张三", ""}).field(), "staff[1]");
  EXPECT_EQ(CheckCollabStaff(std::vector<std::string>(21, "王")).id(), "too_long");
}

TEST(CollabEntity, NeedsDispatchWhenUrgentOrEvidenceAtRisk) {
  Collaboration c;
  EXPECT_FALSE(c.NeedsDispatch());
  c.urgent = true;
  EXPECT_TRUE(c.NeedsDispatch());
  c.urgent = false;
  c.evidence_at_risk = true;
  EXPECT_TRUE(c.NeedsDispatch());
}

}  // namespace
}  // namespace xietong::domain
