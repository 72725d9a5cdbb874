// The step context enforces what a workflow's table declares: a step opens, meets and waives only
// the duty kinds its row names, and issues exactly the row's numbered document (R-DOC-1). A
// refused step is a bug (internal) and leaves nothing behind: the transaction rolls back.
#include "service/workflow/step.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/test_util.h"

namespace xietong::service::workflow {
namespace {

using core::Code;
using core::Status;
using domain::DutyState;
using domain::workflow::Effects;

void MustOk(const Status& st) {
  if (!st.ok()) throw std::runtime_error(st.ToString());
}

struct StepFixture : testing::Fixture {
  using Fixture::Must;
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};

  StepFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
  }

  Subject Lamp() const {
    Subject s;
    s.type = "lamp";
    s.id = 7;
    return s;
  }
  DutyInput In(const char* kind) const {
    DutyInput in;
    in.kind = kind;
    in.owner_org_id = scjg.id;
    in.title = "测试职责";
    in.trigger_at = clock.Now();
    return in;
  }
  // Runs `fn` as one step of the toy object under `fx` in one transaction.
  Status RunStep(const Effects& fx, const std::function<Status(StepContext&)>& fn) {
    return store->Write([&](storage::Tx& tx) -> Status {
      StepContext c(tx, coord_staff, clock.Now(), duties, Lamp(), fx);
      XT_RETURN_IF_ERROR(c.SnapshotDeclaredDuties());
      XT_RETURN_IF_ERROR(fn(c));
      XT_RETURN_IF_ERROR(c.ApplyDeclaredDuties("测试"));
      return c.CheckDocumentIssued();
    });
  }
  std::vector<domain::Duty> Duties() {
    std::vector<domain::Duty> out;
    MustOk(store->Read([&](storage::Tx& tx) -> Status {
      XT_ASSIGN_OR_RETURN(out, DutiesOfObject(tx, "lamp", 7));
      return Status::Ok();
    }));
    return out;
  }
};

TEST(WorkflowStep, OpensOnlyTheKindsTheRowDeclares) {
  StepFixture f;
  constexpr Effects fx{.open = {"notice.measures"}};
  Status st = f.RunStep(fx, [&](StepContext& c) -> Status {
    XT_RETURN_IF_ERROR(c.Open(f.In("notice.measures")).status());
    return c.Open(f.In("referral.accept_notice")).status();  // not declared
  });
  EXPECT_EQ(st.code(), Code::kInternal) << st.ToString();
  EXPECT_TRUE(f.Duties().empty()) << "a refused step leaves no duty behind";

  ASSERT_TRUE(f.RunStep(fx, [&](StepContext& c) { return c.Open(f.In("notice.measures")).status(); })
                  .ok());
  ASSERT_EQ(f.Duties().size(), 1u);
  EXPECT_EQ(f.Duties()[0].object_type, "lamp");
  EXPECT_EQ(f.Duties()[0].object_id, "7");
}

TEST(WorkflowStep, MeetsAndWaivesTheDeclaredDutiesPendingWhenTheStepBegan) {
  StepFixture f;
  ASSERT_TRUE(f.RunStep(Effects{.open = {"notice.measures", "meeting.decision"}},
                        [&](StepContext& c) -> Status {
                          XT_RETURN_IF_ERROR(c.Open(f.In("notice.measures")).status());
                          return c.Open(f.In("meeting.decision")).status();
                        })
                  .ok());
  f.clock.Advance(std::chrono::hours(2));  // met on time, within the period
  // One step meets the measures duty, waives the decision and opens a new measures duty: the new
  // one stays open (it was not pending when the step began).
  constexpr Effects fx{.meet = {"notice.measures"}, .waive = {"meeting.decision"}};
  Status st = f.RunStep(fx, [&](StepContext& c) -> Status {
    c.waive_reason = "会议取消";
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto ds = f.Duties();
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].state, DutyState::kMet);
  EXPECT_EQ(ds[0].on_time, true);
  EXPECT_EQ(ds[1].state, DutyState::kWaived);
  EXPECT_EQ(ds[1].state_reason, "会议取消");
}

TEST(WorkflowStep, MeetsOneChosenDutyOnlyOfADeclaredKind) {
  StepFixture f;
  domain::Duty first, second;
  ASSERT_TRUE(f.RunStep(Effects{.open = {"meeting.decision"}}, [&](StepContext& c) -> Status {
                 XT_ASSIGN_OR_RETURN(first, c.Open(f.In("meeting.decision")));
                 XT_ASSIGN_OR_RETURN(second, c.Open(f.In("meeting.decision")));
                 return Status::Ok();
               }).ok());
  EXPECT_EQ(f.RunStep(Effects{.meet_one = {"notice.measures"}},
                      [&](StepContext& c) { return c.MeetOne(first, f.clock.Now()); })
                .code(),
            Code::kInternal);
  ASSERT_TRUE(f.RunStep(Effects{.meet_one = {"meeting.decision"}},
                        [&](StepContext& c) { return c.MeetOne(second, f.clock.Now()); })
                  .ok());
  auto ds = f.Duties();
  EXPECT_EQ(ds[0].state, DutyState::kOpen);
  EXPECT_EQ(ds[1].state, DutyState::kMet);
}

TEST(WorkflowStep, IssuesExactlyTheDeclaredDocumentNumberedGapFree_R_DOC_1) {
  StepFixture f;
  constexpr Effects fx{.document = domain::DocKind::kHazardNotice};
  // Declared but not issued: refused, and the serial is not consumed.
  EXPECT_EQ(f.RunStep(fx, [](StepContext&) { return Status::Ok(); }).code(), Code::kInternal);
  // Another kind: refused.
  EXPECT_EQ(f.RunStep(fx,
                      [&](StepContext& c) {
                        return c.Issue(domain::DocKind::kMeetingMinutes, f.scjg, "纪要", {}).status();
                      })
                .code(),
            Code::kInternal);
  std::vector<std::string> numbers;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(f.RunStep(fx, [&](StepContext& c) -> Status {
                   XT_ASSIGN_OR_RETURN(domain::Document d,
                                       c.Issue(domain::DocKind::kHazardNotice, f.scjg, "通报",
                                               boost::json::object{{"paragraphs", {"正文"}}}));
                   numbers.push_back(d.number);
                   // A step issues one document.
                   auto again = c.Issue(domain::DocKind::kHazardNotice, f.scjg, "通报", {});
                   return again.ok() ? Status::Internal("second document issued") : Status::Ok();
                 }).ok());
  }
  const std::string prefix = DocPrefix(f.scjg);  // 县市场监管
  EXPECT_EQ(numbers, (std::vector<std::string>{prefix + "报〔2026〕1号", prefix + "报〔2026〕2号"}));
}

// R-CRI-1a: the transfer letter to the police and its notice to the procuratorate leave in one
// step — the row declares both (`document`, `copy_document`); each is issued exactly once.
TEST(WorkflowStep, IssuesTheDeclaredCopyDocumentToo_R_CRI_1a) {
  StepFixture f;
  constexpr Effects fx{.document = domain::DocKind::kCrimeTransferLetter,
                       .copy_document = domain::DocKind::kCrimeTransferCopy};
  auto letter = [&](StepContext& c) {
    return c.Issue(domain::DocKind::kCrimeTransferLetter, f.scjg, "移送书", {}).status();
  };
  // Only the letter: the declared copy is missing, nothing is written.
  EXPECT_EQ(f.RunStep(fx, letter).code(), Code::kInternal);
  std::vector<std::string> numbers;
  ASSERT_TRUE(f.RunStep(fx, [&](StepContext& c) -> Status {
                 XT_ASSIGN_OR_RETURN(auto a, c.Issue(domain::DocKind::kCrimeTransferLetter, f.scjg, "移送书", {}));
                 XT_ASSIGN_OR_RETURN(auto b, c.Issue(domain::DocKind::kCrimeTransferCopy, f.scjg, "通知书", {}));
                 numbers = {a.number, b.number};
                 // Neither twice.
                 if (c.Issue(domain::DocKind::kCrimeTransferCopy, f.scjg, "通知书", {}).ok())
                   return Status::Internal("second copy issued");
                 return Status::Ok();
               }).ok());
  const std::string prefix = DocPrefix(f.scjg);
  EXPECT_EQ(numbers, (std::vector<std::string>{prefix + "刑〔2026〕1号", prefix + "抄〔2026〕1号"}));
  // A row without copy_document may not issue the copy.
  EXPECT_EQ(f.RunStep(Effects{.document = domain::DocKind::kCrimeTransferLetter},
                      [&](StepContext& c) -> Status {
                        XT_RETURN_IF_ERROR(letter(c));
                        return c.Issue(domain::DocKind::kCrimeTransferCopy, f.scjg, "通知书", {}).status();
                      })
                .code(),
            Code::kInternal);
}

TEST(WorkflowStep, NotifiesEachPersonOncePerKindAndStep) {
  StepFixture f;
  ASSERT_TRUE(f.RunStep(Effects{}, [&](StepContext& c) -> Status {
                 XT_RETURN_IF_ERROR(c.NotifyDesk(f.xincheng.id, "lamp.lit", "灯亮了", "正文"));
                 XT_RETURN_IF_ERROR(c.NotifyDesk(f.xincheng.id, "lamp.lit", "灯亮了", "再次"));
                 return c.NotifyUser(999999, "lamp.lit", "不存在的人", "跳过");
               }).ok());
  int n = 0;
  MustOk(f.store->Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto users,
                        OrgDesk(tx, f.xincheng.id));
    for (const auto& u : users) {
      storage::NotificationFilter nf;
      nf.user_id = u.id;
      XT_ASSIGN_OR_RETURN(auto page, tx.ListNotifications(nf));
      for (const auto& note : page) n += note.kind == "lamp.lit";
    }
    return Status::Ok();
  }));
  EXPECT_EQ(n, 2);  // xincheng.leader and xincheng.liaison, once each
}

}  // namespace
}  // namespace xietong::service::workflow
