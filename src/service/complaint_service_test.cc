#include "service/complaint_service.h"

#include <gtest/gtest.h>

#include "domain/complaint.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using domain::DutyState;
using testing::Fixture;

core::Instant T(const char* s) {
  auto t = core::ParseInstant(s);
  if (!t) throw std::runtime_error(std::string("bad instant ") + s);
  return *t;
}

struct ComplaintFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  ReferralService referrals{*store, clock, duties, calendars};
  ComplaintService complaints{*store, clock, duties, calendars, referrals, ComplaintOptions{10}};
  Principal auditor;

  ComplaintFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    auditor = AddUser("auditor", coordinator, {domain::Role::kAuditor});
  }
  static ComplaintInput In(const char* received_at, bool anonymous = false, const char* contact = "13900000000") {
    ComplaintInput in;
    in.channel = "phone";
    in.anonymous = anonymous;
    in.complainant = anonymous ? "" : "王某";
    in.contact = contact;
    in.subject = "夜间施工噪声";
    in.place = "东堤路";
    in.content = "工地夜间施工";
    in.received_at = T(received_at);
    return in;
  }
  int64_t AuditCount() {
    int64_t n = 0;
    EXPECT_TRUE(store->Read([&](storage::Tx& tx) {
                  return tx.ScanAudit([&](const domain::AuditEntry&) { ++n; return true; });
                }).ok());
    return n;
  }
  const domain::Duty& Reply(const ComplaintView& v) {
    for (const auto& d : v.duties)
      if (d.kind == domain::kDutyComplaintReply) return d;
    throw std::runtime_error("no reply duty");
  }
};

ComplaintActionInput Findings() { return ComplaintFindingsInput{"属实"}; }
ComplaintActionInput ReplyIn(std::optional<core::Instant> at = std::nullopt) {
  return ComplaintReplyInput{"已处理", "phone", at};
}

// R-SYS-3: the first org owes the reply within the configured period; the reply meets it.
TEST(ComplaintService, RegisterOpensTheReplyDutyAndTheReplyMeetsIt) {
  ComplaintFixture f;
  auto v = f.complaints.Register(f.xincheng_officer, f.In("2026-11-23T08:00:00+08:00"));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->item.state, domain::complaint_state::kRegistered);
  ASSERT_TRUE(v->item.number.has_value());
  EXPECT_NE(v->item.number->find("登〔2026〕"), std::string::npos);
  const domain::Duty& d = f.Reply(*v);
  EXPECT_EQ(d.owner_org_id, f.xincheng.id);
  EXPECT_EQ(d.period, 10);  // ComplaintOptions
  EXPECT_EQ(d.trigger_at, T("2026-11-23T08:00:00+08:00"));
  const domain::Id id = v->item.id;

  // Replying before investigating is illegal; after it, the duty is met at replied_at, on time.
  auto early = f.complaints.Act(f.xincheng_officer, id, "reply", ReplyIn());
  EXPECT_EQ(early.status().id(), "illegal_transition");
  ASSERT_TRUE(f.complaints.Act(f.xincheng_officer, id, "investigate", Findings()).ok());
  f.clock.Advance(std::chrono::hours(48));
  auto r = f.complaints.Act(f.xincheng_officer, id, "reply", ReplyIn(T("2026-11-24T10:00:00+08:00")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->item.state, domain::complaint_state::kReplied);
  EXPECT_EQ(f.Reply(*r).state, DutyState::kMet);
  EXPECT_EQ(f.Reply(*r).met_at, T("2026-11-24T10:00:00+08:00"));
  EXPECT_EQ(f.Reply(*r).on_time, true);
  EXPECT_EQ(r->documents.size(), 2u);

  auto s = f.complaints.Stats(f.coord_staff, std::nullopt, std::nullopt);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->total.registered, 1);
  EXPECT_EQ(s->total.replied_on_time, 1);
}

// R-SYS-3 / R-ACC-1: another org gets not_found; auditors see no complainant; the coordinator does.
TEST(ComplaintService, TheComplainantIsForTheFirstOrgAndTheCoordinatorOnly) {
  ComplaintFixture f;
  auto v = f.complaints.Register(f.xincheng_officer, f.In("2026-11-23T08:00:00+08:00"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(f.complaints.Get(f.liuzu_officer, v->item.id).status().code(), core::Code::kNotFound);
  auto a = f.complaints.Get(f.auditor, v->item.id);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->confidential_visible);
  EXPECT_TRUE(a->fields.at("complainant").is_null());
  auto c = f.complaints.Get(f.coord_staff, v->item.id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->fields.at("complainant").as_object().at("contact").as_string(), "13900000000");
  // The search never matches the contact for those who may not see it.
  ComplaintQuery q;
  q.q = "13900000000";
  EXPECT_EQ(f.complaints.List(f.auditor, q)->total, 0);
  EXPECT_EQ(f.complaints.List(f.xincheng_officer, q)->total, 1);
  auto csv = f.complaints.ExportCsv(f.auditor, ComplaintQuery{});
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->find("13900000000"), std::string::npos);
  // Nor does another org's staff act on it.
  EXPECT_EQ(f.complaints.Act(f.liuzu_officer, v->item.id, "investigate", Findings()).status().code(),
            core::Code::kNotFound);
  EXPECT_EQ(f.complaints.Act(f.coord_staff, v->item.id, "investigate", Findings()).status().code(),
            core::Code::kPermissionDenied);
}

// A refused referral writes nothing: no referral, the complaint and the audit trail unchanged.
TEST(ComplaintService, ARefusedReferralChangesNothing) {
  ComplaintFixture f;
  auto v = f.complaints.Register(f.xincheng_officer, f.In("2026-11-23T08:00:00+08:00"));
  ASSERT_TRUE(v.ok());
  const int64_t audit = f.AuditCount();
  ComplaintReferInput r;
  r.to_org = f.scjg.id;
  r.matter = "NO-SUCH-MATTER";
  r.township = f.xincheng.id;
  auto st = f.complaints.Act(f.xincheng_officer, v->item.id, "refer", ComplaintActionInput{r});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(f.AuditCount(), audit);
  auto after = f.complaints.Get(f.xincheng_officer, v->item.id);
  EXPECT_EQ(after->item.state, domain::complaint_state::kRegistered);
  EXPECT_FALSE(after->item.referral_id.has_value());
  auto refs = f.referrals.List(f.xincheng_officer, ReferralQuery{});
  ASSERT_TRUE(refs.ok());
  EXPECT_EQ(refs->total, 0);
}

// Only an anonymous complaint without a contact closes without a reply; a late reply is late.
TEST(ComplaintService, AnonymousCloseAndLateReplies) {
  ComplaintFixture f;
  auto named = f.complaints.Register(f.xincheng_officer, f.In("2026-10-09T09:00:00+08:00"));
  auto anon = f.complaints.Register(f.xincheng_officer, f.In("2026-11-23T08:00:00+08:00", true, ""));
  ASSERT_TRUE(named.ok() && anon.ok());
  ASSERT_TRUE(f.complaints.Act(f.xincheng_officer, named->item.id, "investigate", Findings()).ok());
  ASSERT_TRUE(f.complaints.Act(f.xincheng_officer, anon->item.id, "investigate", Findings()).ok());
  auto refused = f.complaints.Act(f.xincheng_officer, named->item.id, "close",
                                  ComplaintActionInput{ComplaintCloseInput{"无法联系"}});
  EXPECT_EQ(refused.status().id(), "reply_required");
  EXPECT_EQ(refused.status().rule(), "R-SYS-3");
  auto closed = f.complaints.Act(f.xincheng_officer, anon->item.id, "close",
                                 ComplaintActionInput{ComplaintCloseInput{"匿名"}});
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(f.Reply(*closed).state, DutyState::kWaived);
  auto late = f.complaints.Act(f.xincheng_officer, named->item.id, "reply", ReplyIn());
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(f.Reply(*late).on_time, false);
  auto s = f.complaints.Stats(f.xincheng_officer, std::nullopt, std::nullopt);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->orgs.size(), 1u);
  EXPECT_EQ(s->orgs[0].replied_late, 1);
  EXPECT_EQ(s->orgs[0].closed_no_reply, 1);
  EXPECT_EQ(s->orgs[0].open, 0);
}

}  // namespace
}  // namespace xietong::service
