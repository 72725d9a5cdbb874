#include "domain/complaint.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "domain/duty.h"

namespace xietong::domain {
namespace {

namespace cs = complaint_state;

// Golden table: every (action, state) pair, "-" = illegal (R-SYS-3).
const std::map<std::string, std::string> kGolden = {
    {"investigate", "registered>investigated investigated:- handled:- referred:- replied:- closed:-"},
    {"handle", "registered:- investigated>handled handled:- referred:- replied:- closed:-"},
    {"refer", "registered>referred investigated>referred handled:- referred:- replied:- closed:-"},
    {"reply", "registered:- investigated>replied handled>replied referred>replied replied:- closed:-"},
    {"close", "registered:- investigated>closed handled>closed referred>closed replied:- closed:-"},
};

TEST(ComplaintTableTest, EveryActionAndStateMatchesTheGoldenTable) {
  ComplaintActor owner{.owner_staff = true};
  ASSERT_EQ(ComplaintActions().size(), kGolden.size());
  for (std::string_view a : ComplaintActions()) {
    std::string line;
    for (const auto& s : ComplaintStates()) {
      if (!line.empty()) line += ' ';
      line.append(s.name);
      auto r = DecideComplaint(a, s.value, owner);
      if (r.ok()) {
        line.append(">").append(ComplaintStateName((*r)->to));
      } else {
        EXPECT_EQ(r.status().id(), "illegal_transition") << a;
        EXPECT_EQ(r.status().rule(), "R-SYS-3") << a;
        EXPECT_EQ(r.status().field(), "state") << a;
        line.append(":-");
      }
    }
    EXPECT_EQ(line, kGolden.at(std::string(a))) << a;
  }
}

TEST(ComplaintTableTest, OnlyTheFirstOrgActsNamingRSys3) {
  auto r = DecideComplaint("reply", cs::kInvestigated, ComplaintActor{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().rule(), "R-SYS-3");
  auto u = DecideComplaint("create", cs::kNew, ComplaintActor{.owner_staff = true});
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().field(), "action");
}

// R-SYS-3: registration opens the reply duty and issues 登; the reply alone meets it and
// issues 答; a referral leaves it open (the first org still owes the reply); only the
// anonymous close waives it.
TEST(ComplaintTableTest, TheReplyDutyBelongsToTheFirstOrgsReply) {
  const auto& create = ComplaintCreateRow();
  EXPECT_EQ(create.action, "create");
  EXPECT_TRUE(create.fx.Opens(kDutyComplaintReply));
  EXPECT_EQ(create.fx.document, DocKind::kComplaintRegistration);
  for (const auto& row : ComplaintTransitions()) {
    if (row.action == "reply") {
      EXPECT_TRUE(row.fx.Meets(kDutyComplaintReply));
      EXPECT_EQ(row.fx.document, DocKind::kComplaintReply);
    } else {
      EXPECT_FALSE(row.fx.Meets(kDutyComplaintReply)) << row.action;
    }
    if (row.action == "refer") {
      EXPECT_FALSE(row.fx.Waives(kDutyComplaintReply));
      EXPECT_FALSE(row.fx.document.has_value());
    }
    if (row.action == "close") EXPECT_EQ(row.guard, ComplaintGuard::kNoOneToReplyTo);
    else EXPECT_FALSE(row.fx.Waives(kDutyComplaintReply)) << row.action;
  }
  const DutyKind* k = FindDutyKind(kDutyComplaintReply);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->rule, "R-SYS-3");
  EXPECT_EQ(k->period, 15);
  EXPECT_EQ(k->ending, DutyEnding::kByWorkflow);
}

TEST(ComplaintTableTest, ChannelsAndStatesHaveChineseLabels) {
  EXPECT_EQ(ComplaintChannelLabelZh("12345"), "12345热线");
  EXPECT_EQ(ComplaintChannelLabelZh("fax"), "");
  EXPECT_EQ(ComplaintChannelNames(), "phone|12345|visit|letter|online");
  EXPECT_EQ(ParseComplaintState("referred"), cs::kReferred);
  EXPECT_EQ(ComplaintStateLabelZh(cs::kReplied), "已答复");
  EXPECT_EQ(ComplaintAuditAction("reply"), "complaint.reply");
}

}  // namespace
}  // namespace xietong::domain
