// The storage contract for the v12 tables (store.h "Regions", R-ACC-2, issue 19): the region
// tree, the region of orgs and users, and escalations. Part of the contract suite of
// store_contract_test.h (same fixture, same backends). It pins down:
//  - a region round-trips; a duplicate code is kAlreadyExists "code"; a missing parent is
//    refused; ListRegions is by level, then code; GetRegion of a missing code is kNotFound;
//  - orgs and users carry an optional region code through insert, update and every read path
//    (by id, by code, list, by ids, the session principal);
//  - an escalation is recorded once per duty (the second insert returns false and writes
//    nothing); lists are newest first, filtered by receiving org and by a prefix of the
//    duty's region; DutiesToEscalate returns open duties notified red, due at or before the
//    given instant, of placed orgs, not escalated yet, oldest deadline first.
#include <algorithm>
#include <string>
#include <vector>

#include "domain/duty.h"
#include "domain/region.h"
#include "storage/store_contract_test.h"

namespace xietong::storage::testing {

int LinkStoreContractRegionTests() { return 0; }

namespace {

using core::Code;
using domain::Id;
using domain::Region;
using domain::RegionLevel;

const std::vector<Region> kTree = {
    {"440000", "广东省", RegionLevel::kProvince, std::nullopt},
    {"445300", "云浮市", RegionLevel::kCity, "440000"},
    {"445321", "新兴县", RegionLevel::kCounty, "445300"},
    {"445322", "郁南县", RegionLevel::kCounty, "445300"},
    {"445321100000", "新城镇", RegionLevel::kTownship, "445321"},
};

void InsertTree(Store& s) {
  core::Status st = s.Write([&](Tx& tx) -> core::Status {
    for (const auto& r : kTree) XT_RETURN_IF_ERROR(tx.InsertRegion(r));
    return core::Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
}

domain::Org RegionOrg(const std::string& code, std::optional<std::string> region) {
  domain::Org o;
  o.code = code;
  o.name = code + "办公室";
  o.short_name = code;
  o.kind = domain::OrgKind::kCountyDepartment;
  o.created_at = T();
  o.region_code = std::move(region);
  return o;
}

domain::Duty RedDuty(Id owner, int64_t due_ms, int notified_level) {
  domain::Duty d;
  d.kind = "referral.accept_notice";
  d.rule = "R-REF-6";
  d.owner_org_id = owner;
  d.object_type = "referral";
  d.object_id = "R-" + std::to_string(due_ms);
  d.title = "受理情况告知";
  d.trigger_at = T(-100000000);
  d.unit = domain::PeriodUnit::kWorkingDays;
  d.period = 5;
  d.due_at = T(due_ms);
  d.yellow_at = T(due_ms - 3600000);
  d.calendar_version = "cn-2026@1";
  d.state = domain::DutyState::kOpen;
  d.notified_level = notified_level;
  d.created_at = T(-100000000);
  return d;
}

}  // namespace

TEST_P(StoreContractTest, RegionsRoundTripUniqueCodeAndParent) {  // R-ACC-2
  InsertTree(store());
  auto got = InRead<Region>(store(), [&](Tx& tx) { return tx.GetRegion("445321100000"); });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "新城镇");
  EXPECT_EQ(got->level, RegionLevel::kTownship);
  EXPECT_EQ(got->parent_code, std::optional<std::string>("445321"));
  auto root = InRead<Region>(store(), [&](Tx& tx) { return tx.GetRegion("440000"); });
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->parent_code, std::nullopt);
  EXPECT_EQ(InRead<Region>(store(), [&](Tx& tx) { return tx.GetRegion("445381"); }).status().code(),
            Code::kNotFound);

  core::Status dup = store().Write([&](Tx& tx) { return tx.InsertRegion(kTree[2]); });
  EXPECT_EQ(dup.code(), Code::kAlreadyExists);
  EXPECT_EQ(dup.field(), "code");
  core::Status orphan = store().Write([&](Tx& tx) {
    return tx.InsertRegion({"445381", "罗定市", RegionLevel::kCounty, "449900"});
  });
  EXPECT_FALSE(orphan.ok());

  auto all = InRead<std::vector<Region>>(store(), [&](Tx& tx) { return tx.ListRegions(); });
  ASSERT_TRUE(all.ok());
  std::vector<std::string> codes;
  for (const auto& r : *all) codes.push_back(r.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"440000", "445300", "445321", "445322",
                                             "445321100000"}));
}

TEST_P(StoreContractTest, OrgsAndUsersCarryTheirRegion) {  // R-ACC-2
  InsertTree(store());
  Id placed = 0, unplaced = 0, user = 0;
  core::Status st = store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(placed, tx.InsertOrg(RegionOrg("rg-placed", "445321")));
    XT_ASSIGN_OR_RETURN(unplaced, tx.InsertOrg(RegionOrg("rg-unplaced", std::nullopt)));
    domain::User u;
    u.username = "rg.auditor";
    u.display_name = "审计";
    u.org_id = placed;
    u.roles = domain::RoleSet{domain::Role::kAuditor};
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    u.created_at = T();
    u.region_code = "445300";
    XT_ASSIGN_OR_RETURN(user, tx.InsertUser(u));
    return tx.InsertSession({.token_hash = "rg-session", .user_id = user, .csrf_token = "c",
                             .created_at = T(), .expires_at = T(3600000), .last_seen_at = T()});
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto org = InRead<domain::Org>(store(), [&](Tx& tx) { return tx.GetOrg(placed); });
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(org->region_code, std::optional<std::string>("445321"));
  EXPECT_EQ(InRead<domain::Org>(store(), [&](Tx& tx) { return tx.GetOrgByCode("rg-unplaced"); })
                ->region_code,
            std::nullopt);
  auto by_ids = InRead<std::vector<domain::Org>>(
      store(), [&](Tx& tx) { return tx.GetOrgsByIds({placed, unplaced}); });
  ASSERT_TRUE(by_ids.ok());
  ASSERT_EQ(by_ids->size(), 2u);
  EXPECT_EQ((*by_ids)[0].region_code, std::optional<std::string>("445321"));
  EXPECT_EQ((*by_ids)[1].region_code, std::nullopt);

  domain::Org moved = *org;
  moved.region_code = "445321100000";
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.UpdateOrg(moved); }).ok());
  auto list = InRead<std::vector<domain::Org>>(store(), [&](Tx& tx) { return tx.ListOrgs(); });
  ASSERT_TRUE(list.ok());
  for (const auto& o : *list) {
    if (o.id == placed) {
      EXPECT_EQ(o.region_code, std::optional<std::string>("445321100000"));
    }
  }

  auto sp = InRead<SessionPrincipal>(store(), [&](Tx& tx) { return tx.GetSessionPrincipal("rg-session"); });
  ASSERT_TRUE(sp.ok()) << sp.status().ToString();
  EXPECT_EQ(sp->user.region_code, std::optional<std::string>("445300"));
  EXPECT_EQ(sp->org.region_code, std::optional<std::string>("445321100000"));
  auto u = InRead<domain::User>(store(), [&](Tx& tx) { return tx.GetUser(user); });
  ASSERT_TRUE(u.ok());
  domain::User cleared = *u;
  cleared.region_code.reset();
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.UpdateUser(cleared); }).ok());
  EXPECT_EQ(InRead<domain::User>(store(), [&](Tx& tx) { return tx.GetUser(user); })->region_code,
            std::nullopt);
}

TEST_P(StoreContractTest, EscalationsOncePerDutyAndCandidates) {  // R-ACC-2, issue 19
  InsertTree(store());
  Id county = 0, other = 0, unplaced = 0, city = 0;
  Id old_red = 0, new_red = 0, not_red = 0, unplaced_red = 0, met_red = 0, other_red = 0;
  core::Status st = store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(county, tx.InsertOrg(RegionOrg("rg-county", "445321")));
    XT_ASSIGN_OR_RETURN(other, tx.InsertOrg(RegionOrg("rg-other", "445322")));
    XT_ASSIGN_OR_RETURN(unplaced, tx.InsertOrg(RegionOrg("rg-none", std::nullopt)));
    XT_ASSIGN_OR_RETURN(city, tx.InsertOrg(RegionOrg("rg-city", "445300")));
    XT_ASSIGN_OR_RETURN(old_red, tx.InsertDuty(RedDuty(county, -5000, 2)));
    XT_ASSIGN_OR_RETURN(other_red, tx.InsertDuty(RedDuty(other, -4000, 2)));
    XT_ASSIGN_OR_RETURN(new_red, tx.InsertDuty(RedDuty(county, 1000, 2)));
    XT_ASSIGN_OR_RETURN(not_red, tx.InsertDuty(RedDuty(county, -6000, 1)));
    XT_ASSIGN_OR_RETURN(unplaced_red, tx.InsertDuty(RedDuty(unplaced, -6000, 2)));
    domain::Duty met = RedDuty(county, -7000, 2);
    met.state = domain::DutyState::kMet;
    XT_ASSIGN_OR_RETURN(met_red, tx.InsertDuty(met));
    return core::Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  (void)new_red, (void)not_red, (void)unplaced_red, (void)met_red;
  auto due = InRead<std::vector<Id>>(store(), [&](Tx& tx) { return tx.DutiesToEscalate(T(0), 10); });
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(*due, (std::vector<Id>{old_red, other_red}));
  EXPECT_EQ(InRead<std::vector<Id>>(store(), [&](Tx& tx) { return tx.DutiesToEscalate(T(0), 1); })
                ->size(),
            1u);

  auto first = InWrite<bool>(store(), [&](Tx& tx) {
    return tx.InsertEscalation({old_red, "445321", city, "445300", T(10)});
  });
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(*first);
  auto again = InWrite<bool>(store(), [&](Tx& tx) {
    return tx.InsertEscalation({old_red, "445321", county, "445321", T(20)});
  });
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  ASSERT_TRUE(InWrite<bool>(store(), [&](Tx& tx) {
                return tx.InsertEscalation({other_red, "445322", city, "445300", T(30)});
              }).ok());
  EXPECT_EQ(*InRead<std::vector<Id>>(store(), [&](Tx& tx) { return tx.DutiesToEscalate(T(0), 10); }),
            std::vector<Id>{});

  auto all = InRead<std::vector<Escalation>>(store(), [&](Tx& tx) {
    return tx.ListEscalations({.to_org_id = city});
  });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].duty_id, other_red);  // newest first
  EXPECT_EQ((*all)[1].duty_id, old_red);
  EXPECT_EQ((*all)[1].to_org_id, city);  // the first insert stands
  EXPECT_EQ((*all)[1].at, T(10));
  auto xinxing = InRead<std::vector<Escalation>>(store(), [&](Tx& tx) {
    return tx.ListEscalations({.region_prefix = "445321"});
  });
  ASSERT_EQ(xinxing->size(), 1u);
  EXPECT_EQ((*xinxing)[0].duty_id, old_red);
  EXPECT_EQ(*InRead<int64_t>(store(), [&](Tx& tx) {
              return tx.CountEscalations({.region_prefix = "4453", .limit = 1});
            }),
            2);
  EXPECT_EQ(*InRead<int64_t>(store(), [&](Tx& tx) {
              return tx.CountEscalations({.to_org_id = county});
            }),
            0);
}

TEST_P(StoreContractTest, RegionPrefixFiltersDutiesUsersAndOrgs) {  // R-ACC-2
  InsertTree(store());
  Id a = 0, town = 0, b = 0, none = 0;
  core::Status st = store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(a, tx.InsertOrg(RegionOrg("rg-a", "445321")));
    XT_ASSIGN_OR_RETURN(town, tx.InsertOrg(RegionOrg("rg-town", "445321100000")));
    XT_ASSIGN_OR_RETURN(b, tx.InsertOrg(RegionOrg("rg-b", "445322")));
    XT_ASSIGN_OR_RETURN(none, tx.InsertOrg(RegionOrg("rg-none2", std::nullopt)));
    for (Id o : {a, town, b, none}) XT_RETURN_IF_ERROR(tx.InsertDuty(RedDuty(o, 1000, 0)).status());
    int n = 0;
    for (Id o : {a, town, b, none}) {
      domain::User u;
      u.username = "rg.user" + std::to_string(++n);
      u.display_name = u.username;
      u.org_id = o;
      u.roles = domain::RoleSet{domain::Role::kOfficer};
      u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
      u.created_at = T();
      XT_RETURN_IF_ERROR(tx.InsertUser(u).status());
    }
    return core::Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  using Pairs = std::vector<std::pair<Id, std::string>>;
  auto in = [&](const std::string& prefix) {
    auto r = InRead<Pairs>(store(), [&](Tx& tx) { return tx.OrgsInRegion(prefix); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Pairs{};
  };
  EXPECT_EQ(in("445321"), (Pairs{{a, "445321"}, {town, "445321100000"}}));
  EXPECT_EQ(in("4453"), (Pairs{{a, "445321"}, {town, "445321100000"}, {b, "445322"}}));
  EXPECT_EQ(in("445321100"), (Pairs{{town, "445321100000"}}));
  EXPECT_EQ(in("4459"), Pairs{});

  auto owners = [&](const std::string& prefix) {
    DutyFilter f;
    f.region_prefix = prefix;
    auto duties = InRead<std::vector<domain::Duty>>(store(), [&](Tx& tx) { return tx.ListDuties(f); });
    EXPECT_TRUE(duties.ok()) << duties.status().ToString();
    std::vector<Id> out;
    for (const auto& d : *duties) out.push_back(d.owner_org_id);
    std::sort(out.begin(), out.end());
    const int64_t n = *InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountDuties(f); });
    EXPECT_EQ(n, static_cast<int64_t>(out.size()));
    return out;
  };
  EXPECT_EQ(owners("445321"), (std::vector<Id>{a, town}));
  EXPECT_EQ(owners("445322"), (std::vector<Id>{b}));
  EXPECT_EQ(owners(""), (std::vector<Id>{a, town, b, none}));

  auto users = InRead<std::vector<domain::User>>(store(), [&](Tx& tx) {
    return tx.ListUsers({.region_prefix = "445322"});
  });
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].org_id, b);
}

}  // namespace xietong::storage::testing
