// The storage contract for the v5 tables (store.h "Notices, meetings, participation, violation
// notices"): coord items with their involved orgs and attached files, threads and document links
// of the four R-COL-5..8 workflows. Part of the contract suite of store_contract_test.h (same
// fixture, same backends): it pins down what store.h leaves to the reader, so that SQLite and
// PostgreSQL behave the same:
//  - org_ids come back ascending and unique, always holding from_org_id and to_org_id;
//  - Update rewrites every column, the org set and the file set; a reassigned addressee keeps the
//    earlier orgs when the caller keeps them in org_ids;
//  - lists are newest first (created_at, then id, descending); Count ignores offset and limit;
//  - the text filter matches title, number or data as a literal substring, case-insensitively for
//    ASCII ('%' and '_' are not wildcards);
//  - threads and documents in ascending id; a document belongs to one item.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/coord_items.h"
#include "storage/store_contract_test.h"

namespace xietong::storage::testing {

// Referenced by LinkStoreContractTests() so that this file is linked wherever the suite is.
int LinkStoreContractCoordTests() { return 0; }

namespace {

using core::Code;
using core::Instant;
using domain::CoordItem;
using domain::CoordMessage;
using domain::CoordType;
using domain::Id;


// Townships a and b, departments c and d, the police, a user of a, a referral, a stored file.
struct World {
  Id town_a = 0, town_b = 0, dept_c = 0, dept_d = 0, police = 0, user = 0, referral = 0;
  std::string file1 = std::string(64, '1');
  std::string file2 = std::string(64, '2');
};

World MakeWorld(Store& s) {
  World w;
  core::Status st = s.Write([&](Tx& tx) -> core::Status {
    auto org = [&](const std::string& code, domain::OrgKind kind) -> core::Result<Id> {
      domain::Org o;
      o.code = code;
      o.name = code + " 执法单位";
      o.short_name = code;
      o.kind = kind;
      o.active = true;
      o.created_at = T();
      return tx.InsertOrg(o);
    };
    XT_ASSIGN_OR_RETURN(w.town_a, org("coord-a", domain::OrgKind::kTownship));
    XT_ASSIGN_OR_RETURN(w.town_b, org("coord-b", domain::OrgKind::kTownship));
    XT_ASSIGN_OR_RETURN(w.dept_c, org("coord-c", domain::OrgKind::kCountyDepartment));
    XT_ASSIGN_OR_RETURN(w.dept_d, org("coord-d", domain::OrgKind::kCountyDepartment));
    XT_ASSIGN_OR_RETURN(w.police, org("coord-p", domain::OrgKind::kPolice));
    domain::User u;
    u.username = "coord.officer";
    u.display_name = "李晓燕";
    u.org_id = w.town_a;
    u.roles = domain::RoleSet{domain::Role::kOfficer};
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    u.created_at = T();
    XT_ASSIGN_OR_RETURN(w.user, tx.InsertUser(u));
    domain::Matter m;
    m.code = "COORD-001";
    m.name = "无证经营";
    m.legal_basis = "《无证无照经营查处办法》";
    m.owner_org_id = w.dept_c;
    XT_ASSIGN_OR_RETURN(Id matter, tx.InsertMatter(m));
    domain::Referral r;
    r.from_org_id = w.town_a;
    r.to_org_id = w.dept_c;
    r.matter_id = matter;
    r.matter_code = m.code;
    r.matter_owner_org_id = w.dept_c;
    r.township_org_id = w.town_a;
    r.place = "解放路";
    r.discovered_at = T();
    r.facts = "事实";
    r.legal_basis = "依据";
    r.created_by = w.user;
    r.created_at = T();
    r.updated_at = T();
    XT_ASSIGN_OR_RETURN(w.referral, tx.InsertReferral(r));
    for (const std::string& sha : {w.file1, w.file2}) {
      FileBlob f;
      f.sha256 = sha;
      f.size = 3;
      f.content_type = "application/pdf";
      f.created_at = T();
      f.bytes = "pdf";
      XT_RETURN_IF_ERROR(tx.InsertFileBlob(f).status());
    }
    return core::Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return w;
}

CoordItem MakeItem(const World& w, CoordType type, std::string title, int64_t at_ms = 0) {
  CoordItem it;
  it.type = type;
  it.state = 1;
  it.from_org_id = w.town_a;
  it.to_org_id = w.dept_c;
  it.org_ids = {w.town_a, w.dept_c};
  it.kind = type == CoordType::kNotice ? "hazard" : "";
  it.title = std::move(title);
  it.data = R"({"description":"说明","place":"地点"})";
  it.created_by = w.user;
  it.created_at = T(at_ms);
  it.updated_at = T(at_ms);
  return it;
}

Id MustInsert(Store& s, const CoordItem& it, const std::vector<std::string>& files = {}) {
  auto id = InWrite<Id>(s, [&](Tx& tx) { return tx.InsertCoordItem(it, files); });
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : 0;
}

CoordItem MustGet(Store& s, Id id) {
  auto got = InRead<CoordItem>(s, [&](Tx& tx) { return tx.GetCoordItem(id); });
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  return got.ok() ? *got : CoordItem{};
}

// Ids listed for `f` (newest first); checks that Count agrees when the page holds everything.
std::vector<Id> ListIds(Store& s, const CoordItemFilter& f) {
  auto rows = InRead<std::vector<CoordItem>>(s, [&](Tx& tx) { return tx.ListCoordItems(f); });
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<Id> out;
  if (rows.ok()) {
    for (const auto& r : *rows) out.push_back(r.id);
  }
  auto n = InRead<int64_t>(s, [&](Tx& tx) { return tx.CountCoordItems(f); });
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  if (n.ok() && f.offset == 0 && static_cast<int64_t>(out.size()) < f.limit) {
    EXPECT_EQ(*n, static_cast<int64_t>(out.size()));
  }
  return out;
}

int64_t CountOf(Store& s, const CoordItemFilter& f) {
  auto n = InRead<int64_t>(s, [&](Tx& tx) { return tx.CountCoordItems(f); });
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  return n.ok() ? *n : -1;
}

using Ids = std::vector<Id>;

// ---------------- Items ----------------

TEST_P(StoreContractTest, CoordItemsRoundTripEveryFieldAndTheOrgSet) {
  World w = MakeWorld(store());
  CoordItem it = MakeItem(w, CoordType::kViolation, "违法行为通知：后厨液化气瓶");
  it.id = 777;  // ignored
  it.kind = "safety";
  it.number = "甲执通〔2026〕1号";
  it.referral_id = w.referral;
  // Unsorted, duplicated, missing the addressee: stored ascending and unique, with from and to.
  it.org_ids = {w.dept_d, w.town_a, w.dept_d};
  it.data = R"({"category":"safety","description":"引号\"与反斜杠\\、换行\n","dispatch":null,)"
            R"("officers":["张三","李四"],"materials":[{"name":"照片","file":null}]})";
  Id id = MustInsert(store(), it, {w.file1});
  ASSERT_NE(id, 0);
  EXPECT_NE(id, 777);
  CoordItem got = MustGet(store(), id);
  CoordItem want = it;
  want.id = id;
  want.org_ids = {w.town_a, w.dept_c, w.dept_d};
  std::sort(want.org_ids.begin(), want.org_ids.end());
  EXPECT_EQ(got, want);

  // Update rewrites every column, the org set and the file set (R-COL-8 reassignment).
  CoordItem upd = got;
  upd.state = 5;
  upd.number.reset();
  upd.to_org_id = w.police;
  upd.org_ids = {w.town_a, w.police};  // the caller decides whom to keep
  upd.kind = "public_order";
  upd.title = "改派公安";
  upd.referral_id.reset();
  upd.data = R"({"coordination":{"decision":"reassign"}})";
  upd.created_at = T(5);
  upd.updated_at = T(9);
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateCoordItem(upd, {w.file2}); }));
  got = MustGet(store(), id);
  want = upd;
  want.org_ids = {w.town_a, w.police};
  std::sort(want.org_ids.begin(), want.org_ids.end());
  EXPECT_EQ(got, want);
  auto with1 = InRead<Ids>(store(), [&](Tx& tx) { return tx.CoordItemsWithFile(w.file1); });
  auto with2 = InRead<Ids>(store(), [&](Tx& tx) { return tx.CoordItemsWithFile(w.file2); });
  ASSERT_TRUE(with1.ok() && with2.ok());
  EXPECT_EQ(*with1, Ids{});
  EXPECT_EQ(*with2, Ids{id});
  // The org set drives visibility: the department dropped from org_ids no longer finds it.
  CoordItemFilter f;
  f.involving_org_id = w.dept_c;
  EXPECT_EQ(ListIds(store(), f), Ids{});
  f.involving_org_id = w.police;
  EXPECT_EQ(ListIds(store(), f), Ids{id});

  // Meetings have no addressee.
  CoordItem m = MakeItem(w, CoordType::kMeeting, "专题会议");
  m.to_org_id.reset();
  m.org_ids = {w.dept_d, w.town_b};
  m.data = R"({"invitees":[{"org":{"id":1},"answer":"pending"}],"decisions":[]})";
  Id mid = MustInsert(store(), m);
  got = MustGet(store(), mid);
  EXPECT_EQ(got.to_org_id, std::nullopt);
  Ids expect_orgs = {w.town_a, w.town_b, w.dept_d};
  std::sort(expect_orgs.begin(), expect_orgs.end());
  EXPECT_EQ(got.org_ids, expect_orgs);
  EXPECT_EQ(got.data, m.data);
  EXPECT_EQ(got.type, CoordType::kMeeting);
}

TEST_P(StoreContractTest, CoordItemsMissingRowsAndReferences) {
  World w = MakeWorld(store());
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<CoordItem>(store(), [](Tx& tx) {
                         return tx.GetCoordItem(424242);
                       }));
  CoordItem ghost = MakeItem(w, CoordType::kNotice, "不存在");
  ghost.id = 424242;
  XT_EXPECT_ERROR(Code::kNotFound, "",
                       store().Write([&](Tx& tx) { return tx.UpdateCoordItem(ghost, {}); }));
  CoordItem bad = MakeItem(w, CoordType::kNotice, "外键");
  bad.from_org_id = 999999;
  auto r = InWrite<Id>(store(), [&](Tx& tx) { return tx.InsertCoordItem(bad, {}); });
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().ToString();
  EXPECT_EQ(r.status().field(), "reference") << r.status().ToString();
  bad = MakeItem(w, CoordType::kNotice, "外键");
  bad.org_ids = {w.town_a, 999999};
  r = InWrite<Id>(store(), [&](Tx& tx) { return tx.InsertCoordItem(bad, {}); });
  EXPECT_EQ(r.status().field(), "reference") << r.status().ToString();
  // The failed writes left nothing behind.
  EXPECT_EQ(ListIds(store(), {}), Ids{});
  // Writes in a Read transaction are refused.
  XT_EXPECT_ERROR(Code::kInternal, "", store().Read([&](Tx& tx) {
                         return tx.InsertCoordItem(MakeItem(w, CoordType::kNotice, "只读"), {}).status();
                       }));
}

TEST_P(StoreContractTest, ListCoordItemsEveryFilterOrderAndPaging) {
  World w = MakeWorld(store());
  // a → c notice (open), a → c notice frequent (answered), b → d violation, c → a participation,
  // a meeting with b and d; two created at the same instant (order by id).
  CoordItem n1 = MakeItem(w, CoordType::kNotice, "液化气罐隐患 ABC", 1000);
  n1.data = R"({"description":"存放于居民楼底层 100%_真实","place":"解放路"})";
  Id i1 = MustInsert(store(), n1);
  CoordItem n2 = MakeItem(w, CoordType::kNotice, "夜市占道", 2000);
  n2.kind = "frequent_violation";
  n2.state = 2;
  Id i2 = MustInsert(store(), n2);
  CoordItem v = MakeItem(w, CoordType::kViolation, "河道堆放", 3000);
  v.from_org_id = w.town_b;
  v.to_org_id = w.dept_d;
  v.org_ids = {};
  v.kind = "safety";
  v.number = "乙执通〔2026〕7号";
  Id i3 = MustInsert(store(), v);
  CoordItem p = MakeItem(w, CoordType::kParticipation, "专项检查", 3000);
  p.from_org_id = w.dept_c;
  p.to_org_id = w.town_a;
  p.kind = "special_inspection";
  p.state = 2;
  Id i4 = MustInsert(store(), p);
  CoordItem m = MakeItem(w, CoordType::kMeeting, "专题会议", 500);
  m.to_org_id.reset();
  m.org_ids = {w.town_b, w.dept_d};
  Id i5 = MustInsert(store(), m);

  EXPECT_EQ(ListIds(store(), {}), (Ids{i4, i3, i2, i1, i5}));  // created_at desc, then id desc
  CoordItemFilter f;
  f.type = CoordType::kNotice;
  EXPECT_EQ(ListIds(store(), f), (Ids{i2, i1}));
  f = {};
  f.involving_org_id = w.town_b;
  EXPECT_EQ(ListIds(store(), f), (Ids{i3, i5}));
  f.type = CoordType::kMeeting;
  EXPECT_EQ(ListIds(store(), f), (Ids{i5}));
  f = {};
  f.involving_org_id = w.town_a;  // direction "in" for a: involving a, not started by a
  f.not_from_org_id = w.town_a;
  EXPECT_EQ(ListIds(store(), f), (Ids{i4}));
  f = {};
  f.from_org_id = w.town_a;  // direction "out"
  EXPECT_EQ(ListIds(store(), f), (Ids{i2, i1, i5}));
  f = {};
  f.states = {2};
  EXPECT_EQ(ListIds(store(), f), (Ids{i4, i2}));
  f.states = {1, 2};
  f.type = CoordType::kNotice;
  EXPECT_EQ(ListIds(store(), f), (Ids{i2, i1}));
  f = {};
  f.kind = "safety";
  EXPECT_EQ(ListIds(store(), f), (Ids{i3}));
  f.kind = "hazard";
  EXPECT_EQ(ListIds(store(), f), (Ids{i1}));

  // Text: title, number, data; literal; ASCII case-insensitive.
  auto text = [&](std::string q) {
    CoordItemFilter t;
    t.text = std::move(q);
    return ListIds(store(), t);
  };
  EXPECT_EQ(text("液化气"), (Ids{i1}));
  EXPECT_EQ(text("通〔2026〕7"), (Ids{i3}));
  EXPECT_EQ(text("居民楼底层"), (Ids{i1}));
  EXPECT_EQ(text("abc"), (Ids{i1}));
  EXPECT_EQ(text("ABC"), (Ids{i1}));
  EXPECT_EQ(text("100%_"), (Ids{i1}));
  EXPECT_EQ(text("%"), (Ids{i1}));
  EXPECT_EQ(text("%_真"), (Ids{i1}));
  EXPECT_EQ(text("0_"), Ids{});  // '_' is not a wildcard (it would match "02" of the number)
  EXPECT_EQ(text("不存在的内容"), Ids{});

  // Paging: offset and limit; Count ignores both.
  f = {};
  f.limit = 2;
  EXPECT_EQ(ListIds(store(), f), (Ids{i4, i3}));
  f.offset = 2;
  EXPECT_EQ(ListIds(store(), f), (Ids{i2, i1}));
  f.offset = 4;
  EXPECT_EQ(ListIds(store(), f), (Ids{i5}));
  f.offset = 5;
  EXPECT_EQ(ListIds(store(), f), Ids{});
  EXPECT_EQ(CountOf(store(), f), 5);
  f = {};
  f.involving_org_id = w.town_a;
  f.limit = 1;
  EXPECT_EQ(CountOf(store(), f), 4);
}

// The text filter reads the text values inside `data` (at any depth), never its field names:
// before, "description" or "place" matched every item, since every item's JSON has those keys.
TEST_P(StoreContractTest, CoordItemTextNeverMatchesJsonFieldNames) {
  World w = MakeWorld(store());
  CoordItem a = MakeItem(w, CoordType::kNotice, "液化气罐", 1000);
  a.data = R"({"description":"存放于居民楼","place":"解放路","dispatch":{"leader":"王 Kind 队长"},)"
           R"("staff":["张三","title 李四"],"count":17,"urgent":true})";
  Id ia = MustInsert(store(), a);
  CoordItem b = MakeItem(w, CoordType::kNotice, "夜市占道", 2000);
  Id ib = MustInsert(store(), b);
  auto text = [&](std::string q) {
    CoordItemFilter t;
    t.text = std::move(q);
    return ListIds(store(), t);
  };
  for (const char* key : {"description", "place", "dispatch", "leader", "staff", "count",
                          "urgent", "\"place\"", "\":\"", "{"}) {
    EXPECT_EQ(text(key), Ids{}) << key;
  }
  EXPECT_EQ(text("kind"), (Ids{ia}));     // a nested text value, ASCII case-insensitive
  EXPECT_EQ(text("title 李"), (Ids{ia}));  // an array element
  EXPECT_EQ(text("张三"), (Ids{ia}));
  EXPECT_EQ(text("解放路"), (Ids{ia}));     // a top-level text value
  EXPECT_EQ(text("地点"), (Ids{ib}));
  EXPECT_EQ(text("17"), Ids{});             // numbers and booleans are not text
  EXPECT_EQ(text("true"), Ids{});
  EXPECT_EQ(text("夜市"), (Ids{ib}));       // the title still matches
}

// R-TIME-4: the colour at `now` of the item's open duty due first (object_type = type name).
TEST_P(StoreContractTest, CoordItemColourFilterUsesTheEarliestOpenDuty) {
  World w = MakeWorld(store());
  Id green = MustInsert(store(), MakeItem(w, CoordType::kNotice, "绿", 1000));
  Id yellow = MustInsert(store(), MakeItem(w, CoordType::kNotice, "黄", 2000));
  Id red = MustInsert(store(), MakeItem(w, CoordType::kNotice, "红", 3000));
  Id none = MustInsert(store(), MakeItem(w, CoordType::kNotice, "无", 4000));
  Id meeting = MustInsert(store(), MakeItem(w, CoordType::kMeeting, "会议", 5000));
  const core::Instant now = T(100'000);
  auto duty = [&](std::string type, Id item, int64_t yellow_ms, int64_t due_ms,
                  domain::DutyState state = domain::DutyState::kOpen) {
    domain::Duty d;
    d.kind = "notice.measures";
    d.rule = "R-COL-5";
    d.owner_org_id = w.dept_c;
    d.object_type = std::move(type);
    d.object_id = std::to_string(item);
    d.title = "处置";
    d.trigger_at = T(0);
    d.period = 5;
    d.yellow_at = T(yellow_ms);
    d.due_at = T(due_ms);
    d.calendar_version = "cal-test";
    d.state = state;
    d.created_at = T(0);
    XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertDuty(d).status(); }));
  };
  duty("notice", green, 200'000, 300'000);
  duty("notice", green, 50'000, 60'000, domain::DutyState::kMet);  // not open: ignored
  duty("notice", yellow, 90'000, 150'000);
  duty("notice", yellow, 300'000, 400'000);  // due later: not the one that counts
  duty("notice", red, 10'000, 20'000);
  duty("meeting", none, 10'000, 20'000);     // another type's object with the same id space
  duty("meeting", meeting, 10'000, 20'000);
  auto colour = [&](domain::Colour c, std::optional<CoordType> type = CoordType::kNotice) {
    CoordItemFilter f;
    f.type = type;
    f.colour = c;
    f.now = now;
    return ListIds(store(), f);
  };
  EXPECT_EQ(colour(domain::Colour::kGreen), (Ids{green}));
  EXPECT_EQ(colour(domain::Colour::kYellow), (Ids{yellow}));
  EXPECT_EQ(colour(domain::Colour::kRed), (Ids{red}));
  EXPECT_EQ(colour(domain::Colour::kRed, std::nullopt), (Ids{meeting, red}));
  (void)none;
}

// Job state: DeleteState and ListStates (instance heartbeats, service/idempotency_service.h).
TEST_P(StoreContractTest, JobStateDeleteAndListByPrefix) {
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    for (const char* k : {"hb.b", "hb.a", "hb", "hbx.c", "other", "hb.%", "hb._x"}) {
      XT_RETURN_IF_ERROR(tx.PutState(k, std::string("v-") + k));
    }
    return core::Status::Ok();
  }));
  using Rows = std::vector<std::pair<std::string, std::string>>;
  auto list = [&](std::string prefix) {
    auto r = InRead<Rows>(store(), [&](Tx& tx) { return tx.ListStates(prefix); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Rows{};
  };
  EXPECT_EQ(list("hb."), (Rows{{"hb.%", "v-hb.%"}, {"hb._x", "v-hb._x"}, {"hb.a", "v-hb.a"},
                               {"hb.b", "v-hb.b"}}));
  EXPECT_EQ(list("hb.%"), (Rows{{"hb.%", "v-hb.%"}}));  // '%' and '_' are literal
  EXPECT_EQ(list("nothing"), Rows{});
  EXPECT_EQ(list("").size(), 7u);
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_RETURN_IF_ERROR(tx.DeleteState("hb.a"));
    return tx.DeleteState("missing");  // ok when missing
  }));
  EXPECT_EQ(list("hb.a"), Rows{});
  EXPECT_EQ(list("hb.").size(), 3u);
  // Writes in a Read transaction fail.
  EXPECT_FALSE(store().Read([&](Tx& tx) { return tx.DeleteState("hb.b"); }).ok());
  EXPECT_EQ(list("hb.b").size(), 1u);
}

TEST_P(StoreContractTest, CoordItemsWithFileFollowTheFileSet) {
  World w = MakeWorld(store());
  Id a = MustInsert(store(), MakeItem(w, CoordType::kNotice, "甲"), {w.file1, w.file2, w.file1});
  Id b = MustInsert(store(), MakeItem(w, CoordType::kViolation, "乙"), {w.file1});
  auto with = [&](const std::string& sha) {
    auto r = InRead<Ids>(store(), [&](Tx& tx) { return tx.CoordItemsWithFile(sha); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Ids{};
  };
  EXPECT_EQ(with(w.file1), (Ids{a, b}));
  EXPECT_EQ(with(w.file2), (Ids{a}));
  EXPECT_EQ(with(std::string(64, '9')), Ids{});
  CoordItem it = MustGet(store(), a);
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateCoordItem(it, {}); }));
  EXPECT_EQ(with(w.file1), (Ids{b}));
  EXPECT_EQ(with(w.file2), Ids{});
}

// ---------------- Threads and documents ----------------

TEST_P(StoreContractTest, CoordMessagesAreListedInOrderPerItem) {
  World w = MakeWorld(store());
  Id a = MustInsert(store(), MakeItem(w, CoordType::kNotice, "甲"));
  Id b = MustInsert(store(), MakeItem(w, CoordType::kMeeting, "乙"));
  std::vector<CoordMessage> sent;
  for (int i = 0; i < 3; ++i) {
    CoordMessage msg{999, a, T(1000 - i), w.user, i == 1 ? w.dept_c : w.town_a,
                     "留言" + std::to_string(i) + "：含\"引号\"与emoji 🚒"};
    auto id = InWrite<Id>(store(), [&](Tx& tx) { return tx.InsertCoordMessage(msg); });
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    msg.id = *id;
    if (!sent.empty()) {
      EXPECT_GT(msg.id, sent.back().id);
    }
    sent.push_back(msg);
  }
  auto list = [&](Id item) {
    auto r = InRead<std::vector<CoordMessage>>(store(), [&](Tx& tx) { return tx.ListCoordMessages(item); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<CoordMessage>{};
  };
  EXPECT_EQ(list(a), sent);  // ascending id, whatever the instants
  EXPECT_EQ(list(b), std::vector<CoordMessage>{});
  CoordMessage orphan{0, 999999, T(), w.user, w.town_a, "无主"};
  auto r = InWrite<Id>(store(), [&](Tx& tx) { return tx.InsertCoordMessage(orphan); });
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().ToString();
  EXPECT_EQ(r.status().field(), "reference");
}

TEST_P(StoreContractTest, CoordDocumentsAreLinkedToOneItem) {
  World w = MakeWorld(store());
  Id a = MustInsert(store(), MakeItem(w, CoordType::kMeeting, "专题会议"));
  Id b = MustInsert(store(), MakeItem(w, CoordType::kViolation, "违法行为通知"));
  auto issue = [&](Id item, int64_t serial, domain::DocKind kind) {
    domain::Document d;
    d.kind = kind;
    d.number = "甲执纪〔2026〕" + std::to_string(serial) + "号";
    d.org_id = w.town_a;
    d.year = 2026;
    d.serial = serial;
    d.title = "纪要";
    d.snapshot = R"({"minutes":"纪要正文"})";
    d.created_at = T(serial);
    d.created_by = w.user;
    auto id = InWrite<Id>(store(), [&](Tx& tx) -> core::Result<Id> {
      XT_ASSIGN_OR_RETURN(Id did, tx.InsertDocument(d));
      XT_RETURN_IF_ERROR(tx.LinkCoordDocument(item, did));
      return did;
    });
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    d.id = id.ok() ? *id : 0;
    return d;
  };
  domain::Document d1 = issue(a, 1, domain::DocKind::kMeetingMinutes);
  domain::Document d2 = issue(b, 2, domain::DocKind::kViolationNotice);
  domain::Document d3 = issue(a, 3, domain::DocKind::kMeetingMinutes);
  auto docs = InRead<std::vector<domain::Document>>(store(), [&](Tx& tx) { return tx.ListCoordDocuments(a); });
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  EXPECT_EQ(*docs, (std::vector<domain::Document>{d1, d3}));
  auto of = [&](Id doc) {
    auto r = InRead<std::optional<Id>>(store(), [&](Tx& tx) { return tx.CoordItemOfDocument(doc); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::optional<Id>(-1);
  };
  EXPECT_EQ(of(d1.id), a);
  EXPECT_EQ(of(d2.id), b);
  EXPECT_EQ(of(999999), std::nullopt);
  // A document belongs to one item: a second link is a uniqueness violation and changes nothing.
  XT_EXPECT_ERROR(Code::kAlreadyExists, "",
                       store().Write([&](Tx& tx) { return tx.LinkCoordDocument(b, d1.id); }));
  EXPECT_EQ(of(d1.id), a);
  // Links need both rows.
  auto bad = store().Write([&](Tx& tx) -> core::Status {
    domain::Document d4 = d3;
    d4.id = 0;
    d4.serial = 4;
    d4.number = "甲执纪〔2026〕4号";
    XT_ASSIGN_OR_RETURN(Id did, tx.InsertDocument(d4));
    return tx.LinkCoordDocument(999999, did);
  });
  EXPECT_EQ(bad.code(), Code::kInvalidArgument) << bad.ToString();
  EXPECT_EQ(bad.field(), "reference") << bad.ToString();
  docs = InRead<std::vector<domain::Document>>(store(), [&](Tx& tx) { return tx.ListCoordDocuments(999999); });
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
}

}  // namespace
}  // namespace xietong::storage::testing
