// The criminal transfer's table (R-CRI-1, R-CRI-1a, R-CRI-2, R-CRI-5): who may act, what each
// step meets, opens and issues, and the 409 naming R-CRI-1 for a penalty while unresolved.
#include "domain/criminal_transfer.h"

#include <gtest/gtest.h>

namespace xietong::domain {
namespace {

namespace cs = crime_state;

TEST(CriminalTransferTest, HeadDecidesAndTheTransferIssuesLetterAndCopy) {
  CrimeActor officer{.agency_staff = true};
  CrimeActor head{.agency_staff = true, .agency_leader = true};
  auto denied = DecideCrimeTransition("approve", cs::kReported, officer);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(denied.status().rule(), "R-CRI-1a");
  auto ok = DecideCrimeTransition("approve", cs::kReported, head);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE((*ok)->fx.Meets(kDutyCrimeDecision));
  EXPECT_TRUE((*ok)->fx.Opens(kDutyCrimePolice));
  EXPECT_EQ((*ok)->fx.document, DocKind::kTransferApproval);
  auto t = DecideCrimeTransition("transfer", cs::kApproved, officer);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->fx.document, DocKind::kCrimeTransferLetter);
  EXPECT_EQ((*t)->fx.copy_document, DocKind::kCrimeTransferCopy);
  EXPECT_TRUE((*t)->fx.Meets(kDutyCrimePolice));
}

TEST(CriminalTransferTest, OnlyThePoliceMeetThePoliceDuties) {
  CrimeActor agency{.agency_staff = true, .agency_leader = true};
  CrimeActor police{.police_staff = true};
  CrimeActor proc{.procuratorate_staff = true};
  for (std::string_view a : {"receipt"}) {
    EXPECT_FALSE(DecideCrimeTransition(a, cs::kTransferred, agency).ok());
    EXPECT_FALSE(DecideCrimeTransition(a, cs::kTransferred, proc).ok());
    EXPECT_TRUE(DecideCrimeTransition(a, cs::kTransferred, police).ok());
  }
  for (std::string_view a : {"open-case", "refuse-case"}) {
    EXPECT_FALSE(DecideCrimeTransition(a, cs::kReceived, agency).ok()) << a;
    auto r = DecideCrimeTransition(a, cs::kReceived, police);
    ASSERT_TRUE(r.ok()) << a;
    EXPECT_TRUE((*r)->fx.Meets(kDutyCrimeCaseDecision));
  }
  EXPECT_TRUE(DecideCrimeTransition("supervise", cs::kReceived, proc).ok());
  EXPECT_FALSE(DecideCrimeTransition("supervise", cs::kReported, proc).ok());
}

TEST(CriminalTransferTest, NoPenaltyWhileTheTransferIsUnresolved) {  // R-CRI-1
  CrimeActor agency{.agency_staff = true, .agency_leader = true};
  for (int s : CrimeOpenStates()) {
    if (s == cs::kRefused) continue;  // the agency may forgo its challenge
    auto r = DecideCrimeTransition("handle", s, agency);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.status().code(), core::Code::kFailedPrecondition);
    EXPECT_EQ(r.status().rule(), "R-CRI-1");
    EXPECT_EQ(r.status().field(), "state");
    EXPECT_TRUE(CrimeTransferOpen(s));
  }
  for (int s : {cs::kReturned, cs::kNotApproved, cs::kRefusalUpheld}) {
    EXPECT_TRUE(DecideCrimeTransition("handle", s, agency).ok()) << s;
    EXPECT_FALSE(CrimeTransferOpen(s));
  }
  auto ret = DecideCrimeTransition("return", cs::kCaseOpened, CrimeActor{.police_staff = true});
  ASSERT_TRUE(ret.ok());
  EXPECT_TRUE((*ret)->fx.Opens(kDutyCrimeAdministrative));
  EXPECT_EQ(CrimeActionRule("return"), "R-CRI-2");
}

TEST(CriminalTransferTest, StatesRoundTrip) {
  for (int s : CrimeStates()) EXPECT_EQ(ParseCrimeState(CrimeStateName(s)), s);
  EXPECT_EQ(CrimeAuditAction("refuse-case"), "criminal_transfer.refuse_case");
  EXPECT_FALSE(DecideCrimeTransition("create", kCoordNew, CrimeActor{.agency_staff = true}).ok());
}

}  // namespace
}  // namespace xietong::domain
