#include "domain/referral.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace xietong::domain {
namespace {

using A = ReferralAction;
using S = ReferralState;

// The golden table, written independently of referral.cc: for each action, the next state from
// each state in kAllReferralStates order (draft, submitted, sent, received, accepted, declined,
// returned, withdrawn, handled, closed, coordination); "-" = illegal.
struct GoldenRow {
  A action;
  std::vector<std::string> next;
};
const std::vector<GoldenRow>& Golden() {
  static const std::vector<GoldenRow> kGolden = {
      //                 draft        submitted    sent          received      accepted   declined       returned     withdrawn handled   closed coordination
      {A::kUpdate, {"draft", "-", "-", "-", "-", "-", "returned", "-", "-", "-", "-"}},
      {A::kSubmit, {"submitted", "-", "-", "-", "-", "-", "submitted", "-", "-", "-", "-"}},
      {A::kApprove, {"-", "sent", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kReturn, {"-", "returned", "returned", "returned", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kReceive, {"-", "-", "received", "-", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kAccept, {"-", "-", "accepted", "accepted", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kDecline, {"-", "-", "declined", "declined", "-", "-", "-", "-", "-", "-", "-"}},
      {A::kWithdraw, {"withdrawn", "withdrawn", "withdrawn", "withdrawn", "-", "-", "withdrawn", "-", "-", "-", "-"}},
      {A::kHandle, {"-", "-", "-", "-", "handled", "-", "-", "-", "-", "-", "-"}},
      {A::kClose, {"-", "-", "-", "-", "-", "-", "-", "-", "closed", "-", "-"}},
      {A::kRequestCoordination, {"-", "-", "coordination", "coordination", "-", "coordination", "-", "-", "-", "-", "-"}},
      {A::kCoordinateReceiverAccepts, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "accepted"}},
      {A::kCoordinateSenderKeeps, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "closed"}},
      {A::kCoordinateReassign, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "sent"}},
  };
  return kGolden;
}

// Who may take each legal step (golden, by (action, from)).
ReferralWho GoldenWho(A a, S from) {
  switch (a) {
    case A::kUpdate:
    case A::kSubmit: return ReferralWho::kSenderOfficer;
    case A::kApprove: return ReferralWho::kSenderLeader;
    case A::kReturn: return from == S::kSubmitted ? ReferralWho::kSenderLeader : ReferralWho::kReceiverStaff;
    case A::kReceive:
    case A::kHandle: return ReferralWho::kReceiverStaff;
    case A::kAccept:
    case A::kDecline: return ReferralWho::kReceiverLeader;
    case A::kWithdraw:
    case A::kRequestCoordination: return ReferralWho::kSenderStaff;
    case A::kClose: return ReferralWho::kEitherLeader;
    case A::kCoordinateReceiverAccepts:
    case A::kCoordinateSenderKeeps:
    case A::kCoordinateReassign: return ReferralWho::kCoordinator;
  }
  return ReferralWho::kCoordinator;
}

// One actor per kind of person.
std::map<std::string, ReferralActor> Actors() {
  return {
      {"sender_officer", {.sender_officer = true}},
      {"sender_leader", {.sender_leader = true}},
      {"receiver_staff", {.receiver_staff = true}},
      {"receiver_leader", {.receiver_leader = true}},
      {"coordinator", {.coordinator = true}},
      {"nobody", {}},
  };
}

TEST(ReferralStates, NamesRoundTripAndNumbersAreStable) {
  const std::map<S, int> kNumbers = {{S::kDraft, 1},     {S::kSubmitted, 2}, {S::kSent, 3},
                                     {S::kReceived, 4},  {S::kAccepted, 5},  {S::kDeclined, 6},
                                     {S::kReturned, 7},  {S::kWithdrawn, 8}, {S::kHandled, 9},
                                     {S::kClosed, 10},   {S::kCoordination, 11}};
  std::set<std::string_view> names;
  for (S s : kAllReferralStates) {
    EXPECT_EQ(static_cast<int>(s), kNumbers.at(s));
    EXPECT_EQ(ParseReferralState(ReferralStateName(s)), s);
    EXPECT_NE(ReferralStateLabelZh(s), "未知");
    EXPECT_TRUE(names.insert(ReferralStateName(s)).second);
  }
  EXPECT_EQ(names.size(), 11u);
  EXPECT_FALSE(ParseReferralState("Sent").has_value());
  EXPECT_FALSE(ParseReferralState("").has_value());
}

TEST(ReferralTransitions, TableEqualsTheGoldenTableForEveryPair) {
  ASSERT_EQ(Golden().size(), std::size(kAllReferralActions));
  int legal = 0;
  for (const auto& g : Golden()) {
    ASSERT_EQ(g.next.size(), std::size(kAllReferralStates));
    for (size_t i = 0; i < g.next.size(); ++i) {
      const S from = kAllReferralStates[i];
      const ReferralTransition* t = FindReferralTransition(g.action, from);
      const std::string where =
          std::string(ReferralActionName(g.action)) + " from " + std::string(ReferralStateName(from));
      if (g.next[i] == "-") {
        EXPECT_EQ(t, nullptr) << where;
        continue;
      }
      ++legal;
      ASSERT_NE(t, nullptr) << where;
      EXPECT_EQ(ReferralStateName(t->to), g.next[i]) << where;
      EXPECT_EQ(t->who, GoldenWho(g.action, from)) << where;
      const bool guarded = g.action == A::kRequestCoordination && (from == S::kSent || from == S::kReceived);
      // R-CRI-1: handling and closing wait for an unresolved criminal transfer.
      const bool penalty = g.action == A::kHandle || g.action == A::kClose;
      EXPECT_EQ(t->guard, guarded    ? ReferralGuard::kAcceptDutyRed
                          : penalty ? ReferralGuard::kNoOpenCriminalTransfer
                                    : ReferralGuard::kNone)
          << where;
    }
  }
  EXPECT_EQ(static_cast<size_t>(legal), ReferralTransitions().size()) << "no duplicate rows";
}

TEST(ReferralTransitions, DecideForEveryActionStateAndActor) {
  for (A a : kAllReferralActions) {
    for (S from : kAllReferralStates) {
      for (const auto& [name, actor] : Actors()) {
        const std::string where = std::string(ReferralActionName(a)) + " from " +
                                  std::string(ReferralStateName(from)) + " by " + name;
        auto r = DecideTransition(a, from, actor);
        const ReferralTransition* row = FindReferralTransition(a, from);
        bool may_anywhere = false;
        for (const auto& t : ReferralTransitions())
          if (t.action == a && actor.Is(t.who)) may_anywhere = true;
        if (row && actor.Is(row->who)) {
          ASSERT_TRUE(r.ok()) << where << ": " << r.status().ToString();
          EXPECT_EQ(*r, row) << where;
        } else if (!row && may_anywhere) {
          ASSERT_FALSE(r.ok()) << where;
          EXPECT_EQ(r.status().code(), core::Code::kFailedPrecondition) << where;
          EXPECT_EQ(r.status().id(), "illegal_transition") << where;
          EXPECT_EQ(r.status().rule(), ReferralActionRule(a)) << where;
          // The message names the current state.
          EXPECT_NE(r.status().message().find("「" + std::string(ReferralStateLabelZh(from)) + "」"),
                    std::string::npos)
              << where << ": " << r.status().message();
          EXPECT_NE(r.status().message_en().find(ReferralStateName(from)), std::string::npos);
        } else {
          ASSERT_FALSE(r.ok()) << where;
          EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied) << where;
          EXPECT_FALSE(r.status().rule().empty()) << where;
        }
      }
    }
  }
}

TEST(ReferralTransitions, ExampleMessages) {
  auto r = DecideTransition(A::kWithdraw, S::kAccepted, {.sender_officer = true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "当前状态为「已受理」，不能撤回");
  EXPECT_EQ(r.status().rule(), "R-REF-1");
  auto denied = DecideTransition(A::kApprove, S::kSubmitted, {.sender_officer = true});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-REF-3");
  // The receiver returns a sent referral, but not a submitted one (the sender's leader does).
  EXPECT_TRUE(DecideTransition(A::kReturn, S::kSent, {.receiver_staff = true}).ok());
  EXPECT_EQ(DecideTransition(A::kReturn, S::kSubmitted, {.receiver_staff = true}).status().code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(DecideTransition(A::kReturn, S::kSent, {.sender_leader = true}).status().code(),
            core::Code::kPermissionDenied);
  // A leader of either side closes.
  EXPECT_TRUE(DecideTransition(A::kClose, S::kHandled, {.receiver_leader = true}).ok());
  EXPECT_TRUE(DecideTransition(A::kClose, S::kHandled, {.sender_leader = true}).ok());
  // Final states leave nowhere.
  for (A a : kAllReferralActions) {
    EXPECT_EQ(FindReferralTransition(a, S::kWithdrawn), nullptr);
    EXPECT_EQ(FindReferralTransition(a, S::kClosed), nullptr);
  }
}

TEST(ReferralActions, NamesAndRules) {
  std::set<std::string_view> names;
  for (A a : kAllReferralActions) {
    EXPECT_TRUE(names.insert(ReferralActionName(a)).second);
    EXPECT_TRUE(ReferralActionRule(a).starts_with("R-REF-")) << ReferralActionName(a);
    EXPECT_FALSE(ReferralActionLabelZh(a).empty());
  }
  EXPECT_EQ(ReferralActionName(A::kApprove), "approve");
  EXPECT_EQ(ReferralActionRule(A::kAccept), "R-REF-6");
  EXPECT_EQ(ReferralActionRule(A::kRequestCoordination), "R-REF-7");
}

Referral Complete() {
  Referral r;
  r.facts = "当事人在新城镇人民路占道经营";
  r.place = "新城镇人民路12号";
  r.legal_basis = "《无证无照经营查处办法》第十三条";
  r.evidence = {{"现场照片", "", std::string(64, 'a'), "a.jpg", 10, "image/jpeg"}};
  r.checklist = {true, true, true, true};
  return r;
}

TEST(ReferralChecks, CompleteReferralPasses) { EXPECT_TRUE(CheckReferralComplete(Complete()).ok()); }

TEST(ReferralChecks, EachMissingPieceNamesItsFieldAndRule) {
  struct Case {
    std::function<void(Referral&)> mutate;
    std::string field;
    std::string rule;
  };
  const std::vector<Case> cases = {
      {[](Referral& r) { r.facts = "  "; }, "facts", "R-REF-3"},
      {[](Referral& r) { r.place.clear(); }, "place", "R-REF-3"},
      {[](Referral& r) { r.legal_basis.clear(); }, "legal_basis", "R-REF-3"},
      {[](Referral& r) { r.evidence.clear(); }, "evidence", "R-REF-3"},
      {[](Referral& r) { r.evidence[0].file_id.reset(); }, "evidence", "R-REF-3"},
      {[](Referral& r) { r.checklist.facts_clear = false; }, "checklist.facts_clear", "R-REF-3"},
      {[](Referral& r) { r.checklist.evidence_complete = false; }, "checklist.evidence_complete", "R-REF-3"},
      {[](Referral& r) { r.checklist.procedure_lawful = false; }, "checklist.procedure_lawful", "R-REF-3"},
      {[](Referral& r) { r.checklist.formalities_complete = false; }, "checklist.formalities_complete", "R-REF-3"},
      {[](Referral& r) { r.ongoing = true; }, "dissuasion", "R-REF-5"},
      {[](Referral& r) {
         r.ongoing = true;
         r.dissuasion = Dissuasion{core::FromMillis(1), " "};
       },
       "dissuasion.note", "R-REF-5"},
  };
  for (const auto& c : cases) {
    Referral r = Complete();
    c.mutate(r);
    core::Status st = CheckReferralComplete(r);
    EXPECT_EQ(st.code(), core::Code::kInvalidArgument) << c.field;
    EXPECT_EQ(st.field(), c.field);
    EXPECT_EQ(st.rule(), c.rule) << c.field;
    EXPECT_NE(st.message().find(c.rule), std::string::npos) << st.message();
  }
  Referral ongoing = Complete();
  ongoing.ongoing = true;
  ongoing.dissuasion = Dissuasion{core::FromMillis(1), "已当场劝阻，当事人停止经营"};
  EXPECT_TRUE(CheckReferralComplete(ongoing).ok());
}

TEST(ReferralChecks, SenderMustNotBeAUnitWithoutALegalBasis) {
  EXPECT_TRUE(CheckReferralSender(false, "").ok());
  core::Status st = CheckReferralSender(true, " ");
  EXPECT_EQ(st.field(), "unit");
  EXPECT_EQ(st.rule(), "R-REF-2");
  EXPECT_EQ(st.code(), core::Code::kInvalidArgument);
  EXPECT_TRUE(CheckReferralSender(true, "《某某法》第十条授权派出机构以自己名义移送").ok());
}

TEST(ReferralChecks, ShapeLimitsNameTheField) {
  Referral r = Complete();
  EXPECT_TRUE(CheckReferralShape(r).ok());
  r.place = std::string(201 * 3, '\0');
  for (size_t i = 0; i < 201; ++i) r.place.replace(i * 3, 3, "路");
  EXPECT_EQ(CheckReferralShape(r).field(), "place");
  r = Complete();
  r.evidence.push_back({"", "", std::nullopt, "", 0, ""});
  EXPECT_EQ(CheckReferralShape(r).field(), "evidence[1].name");
  r = Complete();
  r.facts = std::string(5001, 'x');
  EXPECT_EQ(CheckReferralShape(r).field(), "facts");
  EXPECT_EQ(CheckReferralText("", "reason", 500, "R-REF-6").field(), "reason");
  EXPECT_EQ(CheckReferralText("ok", "reason", 500, "R-REF-6").code(), core::Code::kOk);
  EXPECT_EQ(CheckReferralText(std::string(501, 'x'), "reason", 500, "R-REF-6").id(), "too_long");
}

TEST(ReferralChecks, Utf8Length) {
  EXPECT_EQ(Utf8Length("新城镇"), 3u);
  EXPECT_EQ(Utf8Length("ab"), 2u);
  EXPECT_TRUE(IsBlank(" \t\n"));
  EXPECT_FALSE(IsBlank(" x"));
}

}  // namespace
}  // namespace xietong::domain
