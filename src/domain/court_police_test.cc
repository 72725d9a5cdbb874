#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/court_enforcement.h"
#include "domain/duty.h"
#include "domain/police_support.h"

namespace xietong::domain {
namespace {

// Golden tables (R-CRI-3, R-CRI-4): every (action, state) pair, "-" = illegal. Each table's
// actions × states are checked against these lines.
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

TEST(CourtEnforcementTable, GoldenTransitions) {
  const ItemTable& t = CourtEnforcementTable();
  const std::map<std::string, std::string> golden = {
      {"accept", "self_enforced:- applied>accepted accepted:- not_accepted:- granted:- denied:- executed:- withdrawn:-"},
      {"reject", "self_enforced:- applied>not_accepted accepted:- not_accepted:- granted:- denied:- executed:- withdrawn:-"},
      {"ruling.granted", "self_enforced:- applied:- accepted>granted not_accepted:- granted:- denied:- executed:- withdrawn:-"},
      {"ruling.denied", "self_enforced:- applied:- accepted>denied not_accepted:- granted:- denied:- executed:- withdrawn:-"},
      {"execution", "self_enforced:- applied:- accepted:- not_accepted:- granted>executed denied:- executed:- withdrawn:-"},
      {"withdraw", "self_enforced:- applied>withdrawn accepted>withdrawn not_accepted:- granted:- denied:- executed:- withdrawn:-"},
  };
  for (const auto& [action, line] : golden) EXPECT_EQ(Line(t, action), line) << action;
  for (const auto& r : t.rows) {
    if (r.from == kCoordNew) continue;
    EXPECT_TRUE(golden.count(std::string(r.action))) << r.action;
    EXPECT_FALSE(ItemActionLabel(t, r.action).empty()) << r.action;
  }
  // R-DOC-1: the application is the numbered 执; the court's 5 / 7 calendar days (R-TIME-5).
  const CoordTransition* create = ItemCreateRow(t, "create");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->fx.document, DocKind::kCourtEnforcementApplication);
  EXPECT_TRUE(create->fx.Opens(kCourtAcceptDuty));
  const CoordTransition* self = ItemCreateRow(t, "create.self");
  ASSERT_NE(self, nullptr);
  EXPECT_FALSE(self->fx.document.has_value());
  EXPECT_EQ(self->to, court_enforcement_state::kSelfEnforced);
  for (std::string_view k : {kCourtAcceptDuty, kCourtRulingDuty}) {
    const DutyKind* d = FindDutyKind(k);
    ASSERT_NE(d, nullptr) << k;
    EXPECT_EQ(d->unit, PeriodUnit::kCalendarDays) << k;
    EXPECT_EQ(d->rule, "R-CRI-3");
    EXPECT_EQ(d->extension, DutyExtension::kNever);
  }
  EXPECT_EQ(FindDutyKind(kCourtAcceptDuty)->period, 5);
  EXPECT_EQ(FindDutyKind(kCourtRulingDuty)->period, 7);
}

TEST(CourtEnforcementTable, OnlyTheCourtRulesAndOnlyTheApplicantWithdraws) {
  const ItemTable& t = CourtEnforcementTable();
  CoordActor township{.from_staff = true, .involved_staff = true};
  CoordActor court{.to_staff = true, .involved_staff = true};
  auto r = DecideItem(t, "ruling.granted", court_enforcement_state::kAccepted, township);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().rule(), "R-CRI-3");
  EXPECT_TRUE(DecideItem(t, "ruling.granted", court_enforcement_state::kAccepted, court).ok());
  EXPECT_EQ(DecideItem(t, "withdraw", court_enforcement_state::kApplied, court).status().code(),
            core::Code::kPermissionDenied);
  auto late = DecideItem(t, "withdraw", court_enforcement_state::kGranted, township);
  EXPECT_EQ(late.status().id(), "illegal_transition");
  EXPECT_NE(late.status().message().find("裁定准予执行"), std::string::npos);
  EXPECT_EQ(DecideItem(t, "create", kCoordNew, township).status().field(), "action");
  EXPECT_EQ(DecideItem(t, "bogus", 1, township).status().field(), "action");
}

TEST(PoliceSupportTable, GoldenTransitions) {
  const ItemTable& t = PoliceSupportTable();
  const std::map<std::string, std::string> golden = {
      {"answer.assist", "requested>assisting assisting:- declined:- done:- handed_over:- handled:- cancelled:-"},
      {"answer.decline", "requested>declined assisting:- declined:- done:- handed_over:- handled:- cancelled:-"},
      {"outcome", "requested:- assisting>done declined>done done:- handed_over:- handled:- cancelled:-"},
      {"hand-over", "requested:- assisting:- declined:- done>handed_over handed_over:- handled:- cancelled:-"},
      {"handle", "requested:- assisting:- declined:- done:- handed_over>handled handled:- cancelled:-"},
      {"cancel", "requested>cancelled assisting>cancelled declined:- done:- handed_over:- handled:- cancelled:-"},
  };
  for (const auto& [action, line] : golden) EXPECT_EQ(Line(t, action), line) << action;
  for (const auto& r : t.rows) {
    if (r.from == kCoordNew) continue;
    EXPECT_TRUE(golden.count(std::string(r.action))) << r.action;
  }
  const CoordTransition* create = ItemCreateRow(t, "create");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->fx.document, DocKind::kPoliceSupportRequest);
  EXPECT_TRUE(create->fx.Opens(kPoliceAnswerDuty));
  EXPECT_TRUE(workflow::Find<CoordTransition>(t.rows, "handle", police_support_state::kHandedOver)
                  ->fx.Meets(kPoliceHandoverDuty));
  // The police answer; the agency records the outcome (R-CRI-4).
  CoordActor agency{.from_staff = true, .involved_staff = true};
  CoordActor police{.to_staff = true, .involved_staff = true};
  EXPECT_EQ(DecideItem(t, "answer.assist", police_support_state::kRequested, agency).status().code(),
            core::Code::kPermissionDenied);
  EXPECT_EQ(DecideItem(t, "outcome", police_support_state::kAssisting, police).status().rule(), "R-CRI-4");
  EXPECT_EQ(PoliceDispositionLabel("criminal_case"), "刑事立案");
  EXPECT_EQ(PoliceDispositionLabel("x"), "");
}

}  // namespace
}  // namespace xietong::domain
