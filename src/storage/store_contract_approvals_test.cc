// The storage contract for the v10 tables (store.h "Administrative approvals", R-INF-2): approval
// records and who has read them. Part of the contract suite of store_contract_test.h (same
// fixture, same backends). It pins down:
//  - every column round-trips; a duplicate decision number is kAlreadyExists "decision_number";
//    Update of a missing id is kNotFound; GetApprovalByNumber finds by the decision number;
//  - lists are newest decision first (decision_date, then id, descending); Count ignores
//    offset/limit;
//  - the text filter is a literal substring of the holder, code, number, category, content,
//    authority or address; from/to are inclusive dates;
//  - a township's feed: assigned to it, or an address containing any of its names;
//  - read marks are per user, idempotent; `read` is filled only with reader_user_id, and
//    unread_only keeps those the reader has not read.
#include <string>
#include <vector>

#include "domain/shared_info.h"
#include "storage/store_contract_test.h"

namespace xietong::storage::testing {

int LinkStoreContractApprovalTests() { return 0; }

namespace {

using core::Code;
using domain::Approval;
using domain::Id;

struct ApprovalWorld {
  Id town = 0, dept = 0, user_a = 0, user_b = 0;
};

ApprovalWorld MakeApprovalWorld(Store& s) {
  ApprovalWorld w;
  core::Status st = s.Write([&](Tx& tx) -> core::Status {
    auto org = [&](const std::string& code, const std::string& short_name, domain::OrgKind kind) -> core::Result<Id> {
      domain::Org o;
      o.code = code;
      o.name = short_name + "综合行政执法办公室";
      o.short_name = short_name;
      o.kind = kind;
      o.active = true;
      o.created_at = T();
      return tx.InsertOrg(o);
    };
    XT_ASSIGN_OR_RETURN(w.town, org("appr-town", "新城镇", domain::OrgKind::kTownship));
    XT_ASSIGN_OR_RETURN(w.dept, org("appr-dept", "市场监管局", domain::OrgKind::kCountyDepartment));
    for (auto [name, out] : {std::pair<const char*, Id*>{"appr.a", &w.user_a}, {"appr.b", &w.user_b}}) {
      domain::User u;
      u.username = name;
      u.display_name = name;
      u.org_id = w.town;
      u.roles = domain::RoleSet{domain::Role::kOfficer};
      u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
      u.created_at = T();
      XT_ASSIGN_OR_RETURN(*out, tx.InsertUser(u));
    }
    return core::Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return w;
}

Approval MakeApproval(const ApprovalWorld& w, const std::string& number, const std::string& date,
                      const std::string& address) {
  Approval a;
  a.holder = "好味餐饮店";
  a.credit_code = "92445321MA4X0A1B2C";
  a.decision_number = number;
  a.category = "食品经营许可";
  a.content = "热食类食品制售";
  a.decision_date = date;
  a.valid_from = date;
  a.valid_to = "2031-11-17";
  a.authority = "新兴县市场监督管理局";
  a.address = address;
  a.recorded_by_org_id = w.dept;
  a.created_by = w.user_a;
  a.created_at = T();
  a.updated_at = T();
  return a;
}

Id MustInsertApproval(Store& s, const Approval& a) {
  auto id = InWrite<Id>(s, [&](Tx& tx) { return tx.InsertApproval(a); });
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : 0;
}

std::vector<Id> ApprovalIds(Store& s, const ApprovalFilter& f) {
  auto rows = InRead<std::vector<Approval>>(s, [&](Tx& tx) { return tx.ListApprovals(f); });
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<Id> out;
  if (rows.ok())
    for (const auto& r : *rows) out.push_back(r.id);
  return out;
}

int64_t ApprovalCount(Store& s, const ApprovalFilter& f) {
  auto n = InRead<int64_t>(s, [&](Tx& tx) { return tx.CountApprovals(f); });
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  return n.ok() ? *n : -1;
}

}  // namespace

TEST_P(StoreContractTest, ApprovalsRoundTripUniqueNumberAndUpdate) {
  const ApprovalWorld w = MakeApprovalWorld(store());
  Approval a = MakeApproval(w, "新市监食许〔2026〕1号", "2026-11-18", "新兴县新城镇东堤路18号");
  a.township_org_id = w.town;
  a.id = MustInsertApproval(store(), a);
  auto got = InRead<Approval>(store(), [&](Tx& tx) { return tx.GetApproval(a.id); });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, a);
  auto by_no = InRead<Approval>(store(), [&](Tx& tx) { return tx.GetApprovalByNumber("新市监食许〔2026〕1号"); });
  ASSERT_TRUE(by_no.ok());
  EXPECT_EQ(by_no->id, a.id);
  EXPECT_EQ(InRead<Approval>(store(), [&](Tx& tx) { return tx.GetApprovalByNumber("无"); }).status().code(),
            Code::kNotFound);

  Approval dup = MakeApproval(w, a.decision_number, "2026-11-19", "x");
  auto again = InWrite<Id>(store(), [&](Tx& tx) { return tx.InsertApproval(dup); });
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "decision_number");

  a.content = "预包装食品销售";
  a.township_org_id.reset();
  a.updated_at = T(1000);
  EXPECT_TRUE(store().Write([&](Tx& tx) { return tx.UpdateApproval(a); }).ok());
  EXPECT_EQ(*InRead<Approval>(store(), [&](Tx& tx) { return tx.GetApproval(a.id); }), a);
  Approval missing = a;
  missing.id = a.id + 1000;
  EXPECT_EQ(store().Write([&](Tx& tx) { return tx.UpdateApproval(missing); }).code(), Code::kNotFound);
  EXPECT_EQ(InRead<Approval>(store(), [&](Tx& tx) { return tx.GetApproval(a.id + 1000); }).status().code(),
            Code::kNotFound);
}

TEST_P(StoreContractTest, ApprovalsListFiltersFeedAndReadMarks) {
  const ApprovalWorld w = MakeApprovalWorld(store());
  const Id old = MustInsertApproval(store(), MakeApproval(w, "许1", "2026-11-01", "新兴县新城镇甲路1号"));
  const Id mid = MustInsertApproval(store(), MakeApproval(w, "许2", "2026-11-10", "新兴县六祖镇乙路2号"));
  Approval assigned = MakeApproval(w, "许3", "2026-11-10", "新兴县城区丙路3号");
  assigned.township_org_id = w.town;
  assigned.content = "含100%_冷食";
  const Id as = MustInsertApproval(store(), assigned);
  const Id newest = MustInsertApproval(store(), MakeApproval(w, "许4", "2026-11-20", "新兴县城区丁路4号"));

  ApprovalFilter all;
  EXPECT_EQ(ApprovalIds(store(), all), (std::vector<Id>{newest, as, mid, old}));
  all.limit = 2;
  all.offset = 1;
  EXPECT_EQ(ApprovalIds(store(), all), (std::vector<Id>{as, mid}));
  EXPECT_EQ(ApprovalCount(store(), all), 4);

  ApprovalFilter text;
  text.text = "100%_";
  EXPECT_EQ(ApprovalIds(store(), text), (std::vector<Id>{as}));
  text.text = "%";
  EXPECT_EQ(ApprovalIds(store(), text), (std::vector<Id>{as}));
  text.text = "六祖";
  EXPECT_EQ(ApprovalIds(store(), text), (std::vector<Id>{mid}));

  ApprovalFilter dates;
  dates.from = "2026-11-10";
  dates.to = "2026-11-10";
  EXPECT_EQ(ApprovalIds(store(), dates), (std::vector<Id>{as, mid}));

  ApprovalFilter feed;
  feed.township_org_id = w.town;
  feed.township_names = {"新城镇综合行政执法办公室", "新城镇"};
  EXPECT_EQ(ApprovalIds(store(), feed), (std::vector<Id>{as, old}));
  EXPECT_EQ(ApprovalCount(store(), feed), 2);

  // Read marks: per user, idempotent.
  feed.reader_user_id = w.user_a;
  auto rows = InRead<std::vector<Approval>>(store(), [&](Tx& tx) { return tx.ListApprovals(feed); });
  ASSERT_TRUE(rows.ok());
  for (const auto& r : *rows) EXPECT_FALSE(r.read);
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.MarkApprovalsRead(w.user_a, {as}, T(5)); }).ok());
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.MarkApprovalsRead(w.user_a, {as}, T(9)); }).ok());
  rows = InRead<std::vector<Approval>>(store(), [&](Tx& tx) { return tx.ListApprovals(feed); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_TRUE((*rows)[0].read);
  EXPECT_FALSE((*rows)[1].read);
  feed.unread_only = true;
  EXPECT_EQ(ApprovalIds(store(), feed), (std::vector<Id>{old}));
  EXPECT_EQ(ApprovalCount(store(), feed), 1);
  feed.reader_user_id = w.user_b;
  EXPECT_EQ(ApprovalCount(store(), feed), 2);
}

}  // namespace xietong::storage::testing
