#include "storage/store_contract_test.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "domain/audit.h"

namespace xietong::storage::testing {

void StoreContractTest::SetUp() {
  store_ = GetParam().make();
  ASSERT_NE(store_, nullptr) << "the factory of backend " << GetParam().name << " gave no store";
}

void StoreContractTest::TearDown() { store_.reset(); }

std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

// Defined in store_contract_coord_test.cc (the v5 tables); referenced so that it is linked too.
int LinkStoreContractCoordTests();
int LinkStoreContractApprovalTests();
int LinkStoreContractRegionTests();
int LinkStoreContractTests() {
  return LinkStoreContractCoordTests() + LinkStoreContractApprovalTests() +
         LinkStoreContractRegionTests();
}

namespace {

using core::Code;
using core::Instant;
using domain::Duty;
using domain::DutyState;
using domain::Notification;
using domain::Org;
using domain::OrgKind;
using domain::Role;
using domain::RoleSet;
using domain::User;

// ---------------- Helpers ----------------

constexpr int64_t kHour = 3600 * 1000;

Org MakeOrg(std::string code, OrgKind kind, std::optional<domain::Id> parent = std::nullopt) {
  Org o;
  o.code = code;
  o.name = code + " 综合行政执法办公室";
  o.short_name = code;
  o.kind = kind;
  o.parent_id = parent;
  o.active = true;
  o.created_at = T();
  return o;
}

User MakeUser(std::string username, domain::Id org_id, RoleSet roles,
              std::string display_name = "张三") {
  User u;
  u.username = std::move(username);
  u.display_name = std::move(display_name);
  u.org_id = org_id;
  u.roles = roles;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.created_at = T();
  return u;
}

Duty MakeDuty(domain::Id owner, int64_t due_h, int64_t yellow_h, std::string title = "事项") {
  Duty d;
  d.kind = "referral.accept_notice";
  d.rule = "R-REF-6";
  d.owner_org_id = owner;
  d.object_type = "referral";
  d.object_id = "R-1";
  d.title = std::move(title);
  d.trigger_at = T(-24 * kHour);
  d.unit = domain::PeriodUnit::kWorkingDays;
  d.period = 5;
  d.due_at = T(due_h * kHour);
  d.yellow_at = T(yellow_h * kHour);
  d.calendar_version = "cn-2026@1";
  d.state = DutyState::kOpen;
  d.created_at = T(-24 * kHour);
  return d;
}

Notification MakeNotification(domain::Id user, std::string dedupe_key, int64_t at_ms = 0) {
  Notification n;
  n.user_id = user;
  n.kind = "duty.yellow";
  n.title = "时限提醒";
  n.body = "受理告知将于明日到期";
  n.object_type = "duty";
  n.object_id = "12";
  n.dedupe_key = std::move(dedupe_key);
  n.created_at = T(at_ms);
  return n;
}

domain::AuditEntry MakeAudit(std::optional<domain::Id> user, std::optional<domain::Id> org,
                             std::string object_type, std::string object_id, int64_t at_ms = 0) {
  domain::AuditEntry e;
  e.at = T(at_ms);
  e.actor_user_id = user;
  e.actor_org_id = org;
  e.action = object_type + ".update";
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.summary = "修改了" + e.object_type + " " + e.object_id;
  e.detail = R"({"before":{"name":"甲"},"after":{"name":"乙"}})";
  return e;
}

void ExpectOrgEq(const Org& a, const Org& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.short_name, b.short_name);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.parent_id, b.parent_id);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.created_at, b.created_at);
}

void ExpectUserEq(const User& a, const User& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.display_name, b.display_name);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.unit_id, b.unit_id);
  EXPECT_EQ(a.roles.mask(), b.roles.mask());
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.disabled, b.disabled);
  EXPECT_EQ(a.failed_logins, b.failed_logins);
  EXPECT_EQ(a.locked_until, b.locked_until);
  EXPECT_EQ(a.created_at, b.created_at);
}

void ExpectDutyEq(const Duty& a, const Duty& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.rule, b.rule);
  EXPECT_EQ(a.owner_org_id, b.owner_org_id);
  EXPECT_EQ(a.object_type, b.object_type);
  EXPECT_EQ(a.object_id, b.object_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.trigger_at, b.trigger_at);
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.period, b.period);
  EXPECT_EQ(a.due_at, b.due_at);
  EXPECT_EQ(a.yellow_at, b.yellow_at);
  EXPECT_EQ(a.calendar_version, b.calendar_version);
  EXPECT_EQ(a.provisional, b.provisional);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.met_at, b.met_at);
  EXPECT_EQ(a.on_time, b.on_time);
  EXPECT_EQ(a.late_working_days, b.late_working_days);
  EXPECT_EQ(a.state_reason, b.state_reason);
  EXPECT_EQ(a.notified_level, b.notified_level);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.created_by, b.created_by);
}

void ExpectNotificationEq(const Notification& a, const Notification& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.object_type, b.object_type);
  EXPECT_EQ(a.object_id, b.object_id);
  EXPECT_EQ(a.dedupe_key, b.dedupe_key);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.read_at, b.read_at);
}

template <typename T>
std::vector<domain::Id> Ids(const std::vector<T>& rows) {
  std::vector<domain::Id> ids;
  for (const T& r : rows) ids.push_back(r.id);
  return ids;
}

std::vector<std::string> Usernames(const std::vector<User>& users) {
  std::vector<std::string> out;
  for (const User& u : users) out.push_back(u.username);
  return out;
}

std::vector<int64_t> Seqs(const std::vector<domain::AuditEntry>& entries) {
  std::vector<int64_t> out;
  for (const auto& e : entries) out.push_back(e.seq);
  return out;
}

domain::Id MustInsertOrg(Store& s, const Org& o) {
  auto r = InWrite<domain::Id>(s, [&](Tx& tx) { return tx.InsertOrg(o); });
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : 0;
}

domain::Id MustInsertUser(Store& s, const User& u) {
  auto r = InWrite<domain::Id>(s, [&](Tx& tx) { return tx.InsertUser(u); });
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : 0;
}

domain::Id MustInsertDuty(Store& s, const Duty& d) {
  auto r = InWrite<domain::Id>(s, [&](Tx& tx) { return tx.InsertDuty(d); });
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : 0;
}

domain::ChainCheck VerifyChain(Store& s) {
  domain::ChainVerifier verifier;
  core::Status st = s.Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) { return verifier.Add(e); });
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return verifier.Finish();
}

// ---------------- Store ----------------

TEST_P(StoreContractTest, InfoReportsAFullyMigratedSchema) {
  StoreInfo info = store().Info();
  EXPECT_FALSE(info.backend.empty());
  EXPECT_GT(info.binary_schema_version, 0);
  EXPECT_EQ(info.schema_version, info.binary_schema_version);
}

TEST_P(StoreContractTest, DbSecondsGrowWithWork) {
  const double before = store().DbSeconds();
  EXPECT_GE(before, 0.0);
  MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  XT_EXPECT_OK(store().Read([](Tx& tx) { return tx.ListOrgs().status(); }));
  EXPECT_GT(store().DbSeconds(), before);
}

// ---------------- Organisations ----------------

TEST_P(StoreContractTest, OrgsInsertGetListUpdate) {
  Org coord = MakeOrg("yfzxb", OrgKind::kCoordinator);
  Org town = MakeOrg("xincheng", OrgKind::kTownship);
  Org dept = MakeOrg("scjg", OrgKind::kCountyDepartment);
  town.id = 4242;  // ignored: the store assigns ids
  coord.id = MustInsertOrg(store(), coord);
  town.id = MustInsertOrg(store(), town);
  dept.id = MustInsertOrg(store(), dept);
  Org unit = MakeOrg("xincheng-zd", OrgKind::kUnit, town.id);
  unit.active = false;
  unit.created_at = T(5 * kHour);
  unit.id = MustInsertOrg(store(), unit);
  std::set<domain::Id> ids{coord.id, town.id, dept.id, unit.id};
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids.count(0), 0u);

  XT_ASSERT_OK_AND_ASSIGN(Org got, InRead<Org>(store(), [&](Tx& tx) { return tx.GetOrg(unit.id); }));
  ExpectOrgEq(got, unit);
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<Org>(store(), [&](Tx& tx) { return tx.GetOrgByCode("scjg"); }));
  ExpectOrgEq(got, dept);

  XT_ASSERT_OK_AND_ASSIGN(auto all, InRead<std::vector<Org>>(store(), [](Tx& tx) {
                            return tx.ListOrgs();
                          }));
  // Ordered by kind (coordinator 1, county department 3, township 4, unit 9), then id.
  EXPECT_EQ(Ids(all), (std::vector<domain::Id>{coord.id, dept.id, town.id, unit.id}));

  town.name = "新城镇人民政府";
  town.short_name = "新城";
  town.active = false;
  town.kind = OrgKind::kGovernment;
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateOrg(town); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<Org>(store(), [&](Tx& tx) { return tx.GetOrg(town.id); }));
  ExpectOrgEq(got, town);
}

TEST_P(StoreContractTest, OrgCodeIsUnique) {
  Org a = MakeOrg("xincheng", OrgKind::kTownship);
  Org b = MakeOrg("scjg", OrgKind::kCountyDepartment);
  a.id = MustInsertOrg(store(), a);
  b.id = MustInsertOrg(store(), b);
  XT_EXPECT_ERROR(Code::kAlreadyExists, "code",
                  InWrite<domain::Id>(store(), [&](Tx& tx) {
                    return tx.InsertOrg(MakeOrg("xincheng", OrgKind::kPolice));
                  }));
  b.code = "xincheng";
  XT_EXPECT_ERROR(Code::kAlreadyExists, "code",
                  store().Write([&](Tx& tx) { return tx.UpdateOrg(b); }));
  XT_ASSERT_OK_AND_ASSIGN(auto all, InRead<std::vector<Org>>(store(), [](Tx& tx) {
                            return tx.ListOrgs();
                          }));
  EXPECT_EQ(all.size(), 2u);
}

TEST_P(StoreContractTest, MissingOrgsAreNotFound) {
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<Org>(store(), [](Tx& tx) { return tx.GetOrg(987654); }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<Org>(store(), [](Tx& tx) { return tx.GetOrgByCode("nowhere"); }));
  Org ghost = MakeOrg("ghost", OrgKind::kTownship);
  ghost.id = 987654;
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) { return tx.UpdateOrg(ghost); }));
  XT_ASSERT_OK_AND_ASSIGN(auto all, InRead<std::vector<Org>>(store(), [](Tx& tx) {
                            return tx.ListOrgs();
                          }));
  EXPECT_TRUE(all.empty());
}

// ---------------- Users ----------------

TEST_P(StoreContractTest, UsersInsertGetUpdate) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id org2 = MustInsertOrg(store(), MakeOrg("scjg", OrgKind::kCountyDepartment));
  domain::Id unit = MustInsertOrg(store(), MakeOrg("xincheng-zd", OrgKind::kUnit, org));
  User u = MakeUser("xincheng.officer", org, RoleSet{Role::kOfficer, Role::kLeader}, "张三");
  u.unit_id = unit;
  u.failed_logins = 2;
  u.locked_until = T(kHour);
  u.created_at = T(-kHour);
  u.id = MustInsertUser(store(), u);
  ASSERT_NE(u.id, 0);
  User plain = MakeUser("scjg.admin", org2, RoleSet{Role::kAdmin});
  plain.id = MustInsertUser(store(), plain);

  XT_ASSERT_OK_AND_ASSIGN(User got, InRead<User>(store(), [&](Tx& tx) { return tx.GetUser(u.id); }));
  ExpectUserEq(got, u);
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<User>(store(), [&](Tx& tx) {
                            return tx.GetUserByUsername("scjg.admin");
                          }));
  ExpectUserEq(got, plain);

  // Every column is updated.
  u.username = "xincheng.officer2";
  u.display_name = "张三丰";
  u.org_id = org2;
  u.unit_id = std::nullopt;
  u.roles = RoleSet{Role::kAuditor};
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$bmV3$bmV3";
  u.disabled = true;
  u.failed_logins = 0;
  u.locked_until = std::nullopt;
  u.created_at = T(7);
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateUser(u); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<User>(store(), [&](Tx& tx) { return tx.GetUser(u.id); }));
  ExpectUserEq(got, u);
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<User>(store(), [](Tx& tx) {
                    return tx.GetUserByUsername("xincheng.officer");
                  }));
}

TEST_P(StoreContractTest, UsernameIsUnique) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  MustInsertUser(store(), MakeUser("xincheng.officer", org, RoleSet{Role::kOfficer}));
  User other = MakeUser("xincheng.leader", org, RoleSet{Role::kLeader});
  other.id = MustInsertUser(store(), other);
  XT_EXPECT_ERROR(Code::kAlreadyExists, "username", InWrite<domain::Id>(store(), [&](Tx& tx) {
                    return tx.InsertUser(MakeUser("xincheng.officer", org, RoleSet{}));
                  }));
  other.username = "xincheng.officer";
  XT_EXPECT_ERROR(Code::kAlreadyExists, "username",
                  store().Write([&](Tx& tx) { return tx.UpdateUser(other); }));
}

TEST_P(StoreContractTest, MissingUsersAreNotFoundAndReferencesAreChecked) {
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<User>(store(), [](Tx& tx) { return tx.GetUser(5); }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<User>(store(), [](Tx& tx) { return tx.GetUserByUsername("nobody"); }));
  User ghost = MakeUser("ghost.user", 1, RoleSet{});
  ghost.id = 55;
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) { return tx.UpdateUser(ghost); }));
  // The org does not exist.
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference", InWrite<domain::Id>(store(), [](Tx& tx) {
                    return tx.InsertUser(MakeUser("orphan.user", 987654, RoleSet{}));
                  }));
}

TEST_P(StoreContractTest, ListUsersFilters) {
  domain::Id a = MustInsertOrg(store(), MakeOrg("orga", OrgKind::kTownship));
  domain::Id b = MustInsertOrg(store(), MakeOrg("orgb", OrgKind::kCountyDepartment));
  MustInsertUser(store(), MakeUser("a.officer", a, RoleSet{Role::kOfficer}, "张三"));
  MustInsertUser(store(), MakeUser("a.leader", a, RoleSet{Role::kLeader, Role::kLiaison}, "李四"));
  MustInsertUser(store(), MakeUser("b.officer", b, RoleSet{Role::kOfficer}, "王五"));
  User admin = MakeUser("b.admin", b, RoleSet{Role::kAdmin, Role::kAuditor}, "赵六");
  admin.disabled = true;
  MustInsertUser(store(), admin);
  MustInsertUser(store(), MakeUser("x_y.user", b, RoleSet{Role::kOfficer}, "钱七"));

  auto list = [&](UserFilter f) {
    auto r = InRead<std::vector<User>>(store(), [&](Tx& tx) { return tx.ListUsers(f); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Usernames(*r) : std::vector<std::string>{"<error>"};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{"a.officer", "a.leader", "b.officer", "b.admin", "x_y.user"}));
  EXPECT_EQ(list({.org_id = a}), (V{"a.officer", "a.leader"}));
  EXPECT_EQ(list({.role = Role::kOfficer}), (V{"a.officer", "b.officer", "x_y.user"}));
  EXPECT_EQ(list({.role = Role::kLiaison}), (V{"a.leader"}));
  EXPECT_EQ(list({.org_id = b, .role = Role::kOfficer}), (V{"b.officer", "x_y.user"}));
  EXPECT_EQ(list({.role = Role::kCoordinatorStaff}), V{});
  EXPECT_EQ(list({.text = "officer"}), (V{"a.officer", "b.officer"}));
  EXPECT_EQ(list({.text = "李"}), (V{"a.leader"}));
  EXPECT_EQ(list({.org_id = b, .text = "赵六"}), (V{"b.admin"}));
  EXPECT_EQ(list({.text = "_"}), (V{"x_y.user"}));  // literal, not a wildcard
  EXPECT_EQ(list({.text = "%"}), V{});
  EXPECT_EQ(list({.limit = 2}), (V{"a.officer", "a.leader"}));

  auto with_roles = [&](domain::Id org, RoleSet roles) {
    auto r = InRead<std::vector<User>>(store(),
                                       [&](Tx& tx) { return tx.ListUsersWithRoles(org, roles); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Usernames(*r) : std::vector<std::string>{"<error>"};
  };
  EXPECT_EQ(with_roles(a, RoleSet{Role::kLeader, Role::kAdmin}), (V{"a.leader"}));
  EXPECT_EQ(with_roles(a, RoleSet{Role::kOfficer, Role::kLiaison}), (V{"a.officer", "a.leader"}));
  EXPECT_EQ(with_roles(b, RoleSet{Role::kAdmin}), (V{"b.admin"}));
  EXPECT_EQ(with_roles(b, RoleSet{Role::kCoordinatorStaff}), V{});
}

// ---------------- Sessions and API tokens ----------------

TEST_P(StoreContractTest, Sessions) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id u1 = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kOfficer}));
  domain::Id u2 = MustInsertUser(store(), MakeUser("user.two", org, RoleSet{Role::kOfficer}));
  auto session = [&](std::string hash, domain::Id user) {
    Session s;
    s.token_hash = std::move(hash);
    s.user_id = user;
    s.csrf_token = "csrf-" + s.token_hash;
    s.created_at = T();
    s.expires_at = T(8 * kHour);
    s.last_seen_at = T(1);
    return s;
  };
  const Session s1 = session(std::string(64, 'a'), u1);
  const Session s2 = session(std::string(64, 'b'), u1);
  const Session s3 = session(std::string(64, 'c'), u2);
  for (const Session& s : {s1, s2, s3}) {
    XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertSession(s); }));
  }
  XT_EXPECT_ERROR(Code::kAlreadyExists, "token_hash",
                  store().Write([&](Tx& tx) { return tx.InsertSession(s1); }));

  XT_ASSERT_OK_AND_ASSIGN(Session got, InRead<Session>(store(), [&](Tx& tx) {
                            return tx.GetSession(s1.token_hash);
                          }));
  EXPECT_EQ(got.token_hash, s1.token_hash);
  EXPECT_EQ(got.user_id, u1);
  EXPECT_EQ(got.csrf_token, s1.csrf_token);
  EXPECT_EQ(got.created_at, s1.created_at);
  EXPECT_EQ(got.expires_at, s1.expires_at);
  EXPECT_EQ(got.last_seen_at, s1.last_seen_at);

  XT_ASSERT_OK(store().Write([&](Tx& tx) {
    return tx.TouchSession(s1.token_hash, T(2 * kHour), T(10 * kHour));
  }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<Session>(store(), [&](Tx& tx) {
                            return tx.GetSession(s1.token_hash);
                          }));
  EXPECT_EQ(got.last_seen_at, T(2 * kHour));
  EXPECT_EQ(got.expires_at, T(10 * kHour));
  EXPECT_EQ(got.created_at, s1.created_at);
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) {
                    return tx.TouchSession(std::string(64, 'z'), T(), T());
                  }));

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.DeleteSession(s1.token_hash); }));
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<Session>(store(), [&](Tx& tx) {
                    return tx.GetSession(s1.token_hash);
                  }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  store().Write([&](Tx& tx) { return tx.DeleteSession(s1.token_hash); }));

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.DeleteSessionsOfUser(u1); }));
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<Session>(store(), [&](Tx& tx) {
                    return tx.GetSession(s2.token_hash);
                  }));
  XT_EXPECT_OK(InRead<Session>(store(), [&](Tx& tx) { return tx.GetSession(s3.token_hash); }));
  XT_EXPECT_OK(store().Write([&](Tx& tx) { return tx.DeleteSessionsOfUser(u1); }));  // none left
}

TEST_P(StoreContractTest, ApiTokens) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id u1 = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kOfficer}));
  domain::Id u2 = MustInsertUser(store(), MakeUser("user.two", org, RoleSet{Role::kOfficer}));
  auto token = [&](std::string name, char c, domain::Id user) {
    ApiToken t;
    t.user_id = user;
    t.name = std::move(name);
    t.token_hash = std::string(64, c);
    t.created_at = T();
    return t;
  };
  ApiToken t1 = token("对接系统", '1', u1);
  ApiToken t2 = token("backup", '2', u1);
  t2.last_used_at = T(3 * kHour);
  ApiToken t3 = token("other", '3', u2);
  for (ApiToken* t : {&t1, &t2, &t3}) {
    XT_ASSERT_OK_AND_ASSIGN(t->id, InWrite<domain::Id>(store(), [&](Tx& tx) {
                              return tx.InsertApiToken(*t);
                            }));
  }
  XT_EXPECT_ERROR(Code::kAlreadyExists, "token_hash", InWrite<domain::Id>(store(), [&](Tx& tx) {
                    return tx.InsertApiToken(token("dup", '1', u2));
                  }));

  auto expect_eq = [](const ApiToken& a, const ApiToken& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.user_id, b.user_id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.token_hash, b.token_hash);
    EXPECT_EQ(a.created_at, b.created_at);
    EXPECT_EQ(a.revoked_at, b.revoked_at);
    EXPECT_EQ(a.last_used_at, b.last_used_at);
  };
  XT_ASSERT_OK_AND_ASSIGN(ApiToken got, InRead<ApiToken>(store(), [&](Tx& tx) {
                            return tx.GetApiTokenByHash(t2.token_hash);
                          }));
  expect_eq(got, t2);
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<ApiToken>(store(), [&](Tx& tx) {
                            return tx.GetApiToken(t1.id);
                          }));
  expect_eq(got, t1);
  XT_ASSERT_OK_AND_ASSIGN(auto mine, InRead<std::vector<ApiToken>>(store(), [&](Tx& tx) {
                            return tx.ListApiTokens(u1);
                          }));
  EXPECT_EQ(Ids(mine), (std::vector<domain::Id>{t1.id, t2.id}));

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.RevokeApiToken(t1.id, T(kHour)); }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.RevokeApiToken(t1.id, T(2 * kHour)); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<ApiToken>(store(), [&](Tx& tx) {
                            return tx.GetApiTokenByHash(t1.token_hash);
                          }));
  EXPECT_EQ(got.revoked_at, T(kHour));  // the first revocation stands
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<ApiToken>(store(), [&](Tx& tx) {
                            return tx.GetApiToken(t3.id);
                          }));
  EXPECT_EQ(got.revoked_at, std::nullopt);

  // Issue 15 finding 7: use is recorded, each touch replacing the last.
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.TouchApiToken(t3.id, T(3 * kHour)); }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.TouchApiToken(t3.id, T(4 * kHour)); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<ApiToken>(store(), [&](Tx& tx) {
                            return tx.GetApiToken(t3.id);
                          }));
  EXPECT_EQ(got.last_used_at, T(4 * kHour));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  store().Write([&](Tx& tx) { return tx.TouchApiToken(987654, T()); }));

  XT_EXPECT_ERROR(Code::kNotFound, "",
                  store().Write([&](Tx& tx) { return tx.RevokeApiToken(987654, T()); }));
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<ApiToken>(store(), [](Tx& tx) {
                    return tx.GetApiTokenByHash(std::string(64, 'f'));
                  }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<ApiToken>(store(), [](Tx& tx) { return tx.GetApiToken(987654); }));
}

// ---------------- Audit trail ----------------

TEST_P(StoreContractTest, AuditAppendBuildsAValidChain) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id user = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kAdmin}));
  std::vector<domain::AuditEntry> appended;
  for (int i = 0; i < 4; ++i) {
    domain::AuditEntry in = MakeAudit(user, org, "user", std::to_string(i), i);
    in.seq = 99;  // ignored: the store fills seq and the hashes
    in.hash = "bogus";
    XT_ASSERT_OK_AND_ASSIGN(domain::AuditEntry e, InWrite<domain::AuditEntry>(store(), [&](Tx& tx) {
                              return tx.AppendAudit(in);
                            }));
    appended.push_back(e);
  }
  // Two appends in one transaction, one by the system (no actor).
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    for (int i = 0; i < 2; ++i) {
      XT_ASSIGN_OR_RETURN(domain::AuditEntry e,
                          tx.AppendAudit(MakeAudit(std::nullopt, std::nullopt, "duty", "9", 10)));
      appended.push_back(e);
    }
    return core::Status::Ok();
  }));

  ASSERT_EQ(appended.size(), 6u);
  for (size_t i = 0; i < appended.size(); ++i) {
    const domain::AuditEntry& e = appended[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(e.prev_hash, i == 0 ? std::string(domain::kGenesisHash) : appended[i - 1].hash);
    EXPECT_EQ(e.detail_digest, domain::Sha256Hex(e.detail));
    EXPECT_EQ(e.hash, domain::ChainHash(e));
  }

  // ScanAudit returns the entries as stored, verbatim.
  std::vector<domain::AuditEntry> scanned;
  XT_ASSERT_OK(store().Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) {
      scanned.push_back(e);
      return true;
    });
  }));
  ASSERT_EQ(scanned.size(), appended.size());
  for (size_t i = 0; i < scanned.size(); ++i) {
    const auto& a = scanned[i];
    const auto& b = appended[i];
    EXPECT_EQ(a.seq, b.seq);
    EXPECT_EQ(a.at, b.at);
    EXPECT_EQ(a.actor_user_id, b.actor_user_id);
    EXPECT_EQ(a.actor_org_id, b.actor_org_id);
    EXPECT_EQ(a.action, b.action);
    EXPECT_EQ(a.object_type, b.object_type);
    EXPECT_EQ(a.object_id, b.object_id);
    EXPECT_EQ(a.summary, b.summary);
    EXPECT_EQ(a.detail, b.detail);
    EXPECT_EQ(a.detail_digest, b.detail_digest);
    EXPECT_EQ(a.prev_hash, b.prev_hash);
    EXPECT_EQ(a.hash, b.hash);
  }
  domain::ChainCheck check = VerifyChain(store());
  EXPECT_TRUE(check.ok) << check.explanation;
  EXPECT_EQ(check.entries, 6);
}

// R-AUD-1: signed checkpoints are stored verbatim, once per head (idempotent: several instances
// may sign the same head), listed in seq order, and the latest is the highest seq.
TEST_P(StoreContractTest, AuditCheckpointsAreIdempotentPerHeadAndListedInOrder) {
  XT_ASSERT_OK_AND_ASSIGN(auto none, InWrite<std::optional<domain::AuditCheckpoint>>(
                                         store(), [&](Tx& tx) { return tx.LatestAuditCheckpoint(); }));
  EXPECT_FALSE(none.has_value());
  const domain::AuditKeyPair key = domain::NewAuditKeyPair();
  const domain::AuditKeyPair other = domain::NewAuditKeyPair();
  auto make = [](int64_t seq, const domain::AuditKeyPair& k) {
    domain::AuditCheckpoint cp{.seq = seq, .hash = domain::Sha256Hex(std::to_string(seq)), .at = T(seq * 1000)};
    domain::SignCheckpoint(cp, k);
    return cp;
  };
  for (int64_t seq : {5, 2}) {
    XT_ASSERT_OK_AND_ASSIGN(bool inserted, InWrite<bool>(store(), [&](Tx& tx) {
                              return tx.InsertAuditCheckpoint(make(seq, key));
                            }));
    EXPECT_TRUE(inserted);
  }
  // Another instance signing head 5 (another key, another time) inserts nothing.
  XT_ASSERT_OK_AND_ASSIGN(bool again, InWrite<bool>(store(), [&](Tx& tx) {
                            return tx.InsertAuditCheckpoint(make(5, other));
                          }));
  EXPECT_FALSE(again);
  std::vector<domain::AuditCheckpoint> all;
  std::optional<domain::AuditCheckpoint> latest;
  XT_ASSERT_OK(store().Read([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(all, tx.ListAuditCheckpoints());
    XT_ASSIGN_OR_RETURN(latest, tx.LatestAuditCheckpoint());
    return core::Status::Ok();
  }));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].seq, 2);
  EXPECT_EQ(all[1].seq, 5);
  const domain::AuditCheckpoint want = make(5, key);
  EXPECT_EQ(all[1].hash, want.hash);
  EXPECT_EQ(all[1].at, want.at);
  EXPECT_EQ(all[1].public_key, key.public_key_hex);
  EXPECT_EQ(all[1].signature, want.signature);  // Ed25519 signatures are deterministic
  EXPECT_TRUE(domain::CheckpointSignatureValid(all[1]));
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->seq, 5);
  // A read transaction cannot write one.
  auto refused = store().Read([&](Tx& tx) { return tx.InsertAuditCheckpoint(make(9, key)).status(); });
  EXPECT_FALSE(refused.ok());
}

TEST_P(StoreContractTest, ScanAuditStopsWhenAsked) {
  for (int i = 0; i < 5; ++i) {
    XT_ASSERT_OK(store().Write([&](Tx& tx) {
      return tx.AppendAudit(MakeAudit(std::nullopt, std::nullopt, "org", "1")).status();
    }));
  }
  int seen = 0;
  XT_ASSERT_OK(store().Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry&) { return ++seen < 2; });
  }));
  EXPECT_EQ(seen, 2);
}

TEST_P(StoreContractTest, ListAuditFiltersAndPages) {
  domain::Id o1 = MustInsertOrg(store(), MakeOrg("orga", OrgKind::kTownship));
  domain::Id o2 = MustInsertOrg(store(), MakeOrg("orgb", OrgKind::kCountyDepartment));
  domain::Id u1 = MustInsertUser(store(), MakeUser("user.one", o1, RoleSet{Role::kOfficer}));
  domain::Id u2 = MustInsertUser(store(), MakeUser("user.two", o2, RoleSet{Role::kOfficer}));
  const std::vector<domain::AuditEntry> entries = {
      MakeAudit(u1, o1, "user", "5"),                   // 1
      MakeAudit(u2, o2, "duty", "7"),                   // 2
      MakeAudit(u1, o1, "duty", "7"),                   // 3
      MakeAudit(std::nullopt, std::nullopt, "duty", "8"),  // 4
      MakeAudit(u2, o2, "user", "5"),                   // 5
  };
  for (const auto& e : entries) {
    XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.AppendAudit(e).status(); }));
  }
  auto list = [&](AuditFilter f) {
    auto r = InRead<std::vector<domain::AuditEntry>>(store(),
                                                     [&](Tx& tx) { return tx.ListAudit(f); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Seqs(*r) : std::vector<int64_t>{-1};
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(list({}), (V{5, 4, 3, 2, 1}));  // newest first
  EXPECT_EQ(list({.limit = 2}), (V{5, 4}));
  EXPECT_EQ(list({.before_seq = 4, .limit = 2}), (V{3, 2}));
  EXPECT_EQ(list({.before_seq = 1}), V{});
  EXPECT_EQ(list({.object_type = "duty"}), (V{4, 3, 2}));
  EXPECT_EQ(list({.object_type = "duty", .object_id = "7"}), (V{3, 2}));
  EXPECT_EQ(list({.object_type = "user", .object_id = "7"}), V{});
  EXPECT_EQ(list({.org_id = o1}), (V{3, 1}));
  EXPECT_EQ(list({.object_type = "user", .org_id = o2}), (V{5}));
  EXPECT_EQ(list({.object_type = "duty", .before_seq = 4, .limit = 1}), (V{3}));
}

// ---------------- Calendar years ----------------

TEST_P(StoreContractTest, CalendarYearsUpsert) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("yfzxb", OrgKind::kCoordinator));
  domain::Id admin = MustInsertUser(store(), MakeUser("admin.one", org, RoleSet{Role::kAdmin}));
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_RETURN_IF_ERROR(tx.UpsertCalendarYear({.year = 2027, .json = R"({"year":2027})",
                                              .loaded_at = T(), .loaded_by = std::nullopt}));
    return tx.UpsertCalendarYear(
        {.year = 2026, .json = R"({"year":2026,"v":1})", .loaded_at = T(), .loaded_by = admin});
  }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) {
    return tx.UpsertCalendarYear({.year = 2026, .json = R"({"year":2026,"v":2})",
                                  .loaded_at = T(kHour), .loaded_by = std::nullopt});
  }));
  XT_ASSERT_OK_AND_ASSIGN(auto years, InRead<std::vector<CalendarYearRow>>(store(), [](Tx& tx) {
                            return tx.ListCalendarYears();
                          }));
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].year, 2026);
  EXPECT_EQ(years[0].json, R"({"year":2026,"v":2})");
  EXPECT_EQ(years[0].loaded_at, T(kHour));
  EXPECT_EQ(years[0].loaded_by, std::nullopt);
  EXPECT_EQ(years[1].year, 2027);
  EXPECT_EQ(years[1].json, R"({"year":2027})");
  EXPECT_EQ(years[1].loaded_at, T());
}

// ---------------- Duties ----------------

class DutyFixture {
 public:
  explicit DutyFixture(Store& s) : store_(s) {
    o1 = MustInsertOrg(s, MakeOrg("orga", OrgKind::kTownship));
    o2 = MustInsertOrg(s, MakeOrg("orgb", OrgKind::kCountyDepartment));
    o3 = MustInsertOrg(s, MakeOrg("orgc", OrgKind::kPolice));
    u1 = MustInsertUser(s, MakeUser("user.one", o1, RoleSet{Role::kOfficer}));
  }
  Store& store_;
  domain::Id o1 = 0, o2 = 0, o3 = 0, u1 = 0;
};

TEST_P(StoreContractTest, DutiesInsertGetUpdate) {
  DutyFixture f(store());
  Duty d = MakeDuty(f.o1, 48, 24, "受理情况告知：占道经营");
  d.id = 777;  // ignored
  d.unit = domain::PeriodUnit::kHours;
  d.period = 24;
  d.provisional = true;
  d.created_by = f.u1;
  d.id = MustInsertDuty(store(), d);
  ASSERT_NE(d.id, 0);
  XT_ASSERT_OK_AND_ASSIGN(Duty got, InRead<Duty>(store(), [&](Tx& tx) { return tx.GetDuty(d.id); }));
  ExpectDutyEq(got, d);

  d.kind = "collaboration.reply";
  d.rule = "R-COL-3";
  d.owner_org_id = f.o2;
  d.object_type = "collaboration";
  d.object_id = "C-9";
  d.title = "协作答复";
  d.trigger_at = T(1);
  d.unit = domain::PeriodUnit::kCalendarDays;
  d.period = 3;
  d.due_at = T(72 * kHour);
  d.yellow_at = T(48 * kHour);
  d.calendar_version = "cn-2026@2";
  d.provisional = false;
  d.state = DutyState::kMet;
  d.met_at = T(80 * kHour);
  d.on_time = false;
  d.late_working_days = 1;
  d.state_reason = "逾期办结";
  d.notified_level = 2;
  d.created_at = T(2);
  d.created_by = std::nullopt;
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateDuty(d); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<Duty>(store(), [&](Tx& tx) { return tx.GetDuty(d.id); }));
  ExpectDutyEq(got, d);

  Duty ghost = d;
  ghost.id = 987654;
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) { return tx.UpdateDuty(ghost); }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<Duty>(store(), [](Tx& tx) { return tx.GetDuty(987654); }));
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference", InWrite<domain::Id>(store(), [&](Tx& tx) {
                    return tx.InsertDuty(MakeDuty(987654, 1, 0));
                  }));
}

TEST_P(StoreContractTest, ListDutiesEveryFilterSortAndPaging) {
  DutyFixture f(store());
  Duty d1 = MakeDuty(f.o1, 10, 2, "受理告知 A");
  d1.object_id = "R1";
  d1.created_by = f.u1;
  Duty d2 = MakeDuty(f.o2, 20, 12, "协作答复 50%");
  d2.kind = "collab.reply";
  d2.object_type = "collaboration";
  d2.object_id = "C1";
  Duty d3 = MakeDuty(f.o1, 5, 1, "回复_期限");
  d3.kind = "collab.reply";
  d3.object_id = "R1";
  d3.state = DutyState::kMet;
  Duty d4 = MakeDuty(f.o3, 30, 25, "受理告知 B");
  d4.object_id = "R2";
  d4.created_by = f.u1;
  Duty d5 = MakeDuty(f.o2, 10, 3, "500份材料");  // same due_at as d1: id breaks the tie
  d5.object_id = "R3";
  for (Duty* d : {&d1, &d2, &d3, &d4, &d5}) d->id = MustInsertDuty(store(), *d);
  ASSERT_LT(d1.id, d5.id);

  using V = std::vector<domain::Id>;
  auto check = [&](const DutyFilter& filter, const V& want, const char* what) {
    auto r = InRead<std::vector<Duty>>(store(), [&](Tx& tx) { return tx.ListDuties(filter); });
    ASSERT_TRUE(r.ok()) << what << ": " << r.status().ToString();
    EXPECT_EQ(Ids(*r), want) << what;
    if (filter.offset == 0 && filter.limit >= 50) {
      auto n = InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountDuties(filter); });
      ASSERT_TRUE(n.ok()) << what << ": " << n.status().ToString();
      EXPECT_EQ(*n, static_cast<int64_t>(want.size())) << what;
    }
  };
  check({}, V{d3.id, d1.id, d5.id, d2.id, d4.id}, "none");
  check({.owner_org_ids = {f.o1}}, V{d3.id, d1.id}, "one org");
  check({.owner_org_ids = {f.o1, f.o2}}, V{d3.id, d1.id, d5.id, d2.id}, "two orgs");
  check({.created_by = f.u1}, V{d1.id, d4.id}, "created_by");
  check({.state = DutyState::kOpen}, V{d1.id, d5.id, d2.id, d4.id}, "state open");
  check({.state = DutyState::kWaived}, V{}, "state waived");
  check({.kind = "collab.reply"}, V{d3.id, d2.id}, "kind");
  check({.due_from = T(10 * kHour)}, V{d1.id, d5.id, d2.id, d4.id}, "due_from inclusive");
  check({.due_to = T(20 * kHour)}, V{d3.id, d1.id, d5.id}, "due_to exclusive");
  check({.due_from = T(10 * kHour), .due_to = T(20 * kHour)}, V{d1.id, d5.id}, "due range");
  check({.yellow_at_le = T(3 * kHour)}, V{d3.id, d1.id, d5.id}, "yellow_at_le");
  check({.yellow_at_gt = T(3 * kHour)}, V{d2.id, d4.id}, "yellow_at_gt");
  check({.due_at_le = T(10 * kHour)}, V{d3.id, d1.id, d5.id}, "due_at_le");
  check({.due_at_gt = T(10 * kHour)}, V{d2.id, d4.id}, "due_at_gt");
  check({.yellow_at_le = T(12 * kHour), .due_at_gt = T(10 * kHour)}, V{d2.id}, "yellow not red");
  check({.object_type = "referral"}, V{d3.id, d1.id, d5.id, d4.id}, "object_type");
  check({.object_type = "referral", .object_id = "R1"}, V{d3.id, d1.id}, "object");
  check({.object_type = "referral", .object_ids = {"R1", "R3"}}, V{d3.id, d1.id, d5.id},
        "objects (a list page's)");
  check({.object_type = "referral", .object_ids = {"R9", "C1"}}, V{}, "objects, none of the type");
  check({.object_ids = {"C1", "R2", "R2"}}, V{d2.id, d4.id}, "objects of any type");
  check({.text = "受理告知"}, V{d1.id, d4.id}, "text");
  check({.text = "50%"}, V{d2.id}, "text with %");
  check({.text = "_"}, V{d3.id}, "text with _");
  check({.owner_org_ids = {f.o1, f.o2}, .state = DutyState::kOpen}, V{d1.id, d5.id, d2.id},
        "orgs and state");
  check({.limit = 2}, V{d3.id, d1.id}, "page 1");
  check({.offset = 2, .limit = 2}, V{d5.id, d2.id}, "page 2");
  check({.offset = 4, .limit = 2}, V{d4.id}, "page 3");
  check({.offset = 6, .limit = 2}, V{}, "past the end");
  check({.state = DutyState::kOpen, .offset = 1, .limit = 2}, V{d5.id, d2.id}, "filtered page");
}

TEST_P(StoreContractTest, SweeperQueriesSelectExactlyTheDueDuties) {
  DutyFixture f(store());
  auto duty = [&](int64_t due_h, int64_t yellow_h, DutyState state, int level) {
    Duty d = MakeDuty(f.o1, due_h, yellow_h);
    d.state = state;
    d.notified_level = level;
    return MustInsertDuty(store(), d);
  };
  // now = T+10h
  const domain::Id y1 = duty(20, 1, DutyState::kOpen, 0);    // yellow
  const domain::Id y2 = duty(12, 10, DutyState::kOpen, 0);   // yellow (yellow_at == now)
  duty(15, 2, DutyState::kOpen, 1);                          // yellow already sent
  duty(30, 11, DutyState::kOpen, 0);                         // not yet yellow
  duty(5, 1, DutyState::kMet, 0);                            // not open
  duty(3, 1, DutyState::kSuspended, 0);                      // not open
  duty(8, 1, DutyState::kWaived, 1);                         // not open
  const domain::Id r1 = duty(9, 0, DutyState::kOpen, 1);     // red
  const domain::Id r2 = duty(10, -5, DutyState::kOpen, 0);   // yellow and red (due_at == now)
  duty(1, -10, DutyState::kOpen, 2);                         // red already sent
  const Instant now = T(10 * kHour);

  using V = std::vector<domain::Id>;
  auto yellow = [&](int limit) {
    auto r = InRead<std::vector<Duty>>(store(),
                                       [&](Tx& tx) { return tx.DutiesTurnedYellow(now, limit); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Ids(*r) : V{-1};
  };
  auto red = [&](int limit) {
    auto r = InRead<std::vector<Duty>>(store(),
                                       [&](Tx& tx) { return tx.DutiesTurnedRed(now, limit); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Ids(*r) : V{-1};
  };
  EXPECT_EQ(yellow(100), (V{r2, y1, y2}));  // oldest yellow_at first
  EXPECT_EQ(yellow(2), (V{r2, y1}));
  EXPECT_EQ(red(100), (V{r1, r2}));  // oldest due_at first
  EXPECT_EQ(red(1), (V{r1}));

  // Marking a level removes a duty from that query.
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(Duty d, tx.GetDuty(r2));
    d.notified_level = 2;
    return tx.UpdateDuty(d);
  }));
  EXPECT_EQ(yellow(100), (V{y1, y2}));
  EXPECT_EQ(red(100), (V{r1}));
}

TEST_P(StoreContractTest, RaiseNotifiedLevelsChangesOnlyTheDueLevels) {
  DutyFixture f(store());
  auto duty = [&](int64_t due_h, int64_t yellow_h, DutyState state, int level) {
    Duty d = MakeDuty(f.o1, due_h, yellow_h);
    d.state = state;
    d.notified_level = level;
    return MustInsertDuty(store(), d);
  };
  // now = T+10h
  const domain::Id y1 = duty(20, 1, DutyState::kOpen, 0);      // → 1
  const domain::Id y2 = duty(12, 10, DutyState::kOpen, 0);     // → 1 (yellow_at == now)
  const domain::Id ys = duty(15, 2, DutyState::kOpen, 1);      // yellow already sent
  const domain::Id gr = duty(30, 11, DutyState::kOpen, 0);     // not yet yellow
  const domain::Id mt = duty(5, 1, DutyState::kMet, 0);        // not open
  const domain::Id su = duty(3, 1, DutyState::kSuspended, 0);  // not open
  const domain::Id r1 = duty(9, 0, DutyState::kOpen, 1);       // → 2
  const domain::Id r2 = duty(10, -5, DutyState::kOpen, 0);     // → 2 (straight to red, due == now)
  const domain::Id rs = duty(1, -10, DutyState::kOpen, 2);     // red already sent
  const Instant now = T(10 * kHour);
  XT_ASSERT_OK_AND_ASSIGN(auto before, InRead<std::vector<Duty>>(store(), [&](Tx& tx) {
                            return tx.ListDuties({.limit = 100});
                          }));

  using V = std::vector<domain::Id>;
  // Any order, duplicates and missing ids allowed.
  const V all{rs, r2, y1, y2, ys, gr, mt, su, r1, 987654, y1};
  std::vector<Duty> raised;
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(raised, tx.RaiseNotifiedLevels(all, now));
    return core::Status::Ok();
  }));
  V want{y1, y2, r1, r2};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(Ids(raised), want);  // ascending id
  // Returned as stored after the change; every other column as before.
  for (const Duty& got : raised) {
    const int level = got.id == r1 || got.id == r2 ? 2 : 1;
    EXPECT_EQ(got.notified_level, level) << got.id;
    for (Duty old : before) {
      if (old.id != got.id) continue;
      old.notified_level = level;
      ExpectDutyEq(got, old);
    }
  }
  XT_ASSERT_OK_AND_ASSIGN(auto after, InRead<std::vector<Duty>>(store(), [&](Tx& tx) {
                            return tx.ListDuties({.limit = 100});
                          }));
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    Duty want_duty = before[i];
    for (const Duty& got : raised)
      if (got.id == want_duty.id) want_duty.notified_level = got.notified_level;
    ExpectDutyEq(after[i], want_duty);
  }
  // The sweeper's queries no longer find them.
  XT_ASSERT_OK(store().Read([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(std::vector<Duty> y, tx.DutiesTurnedYellow(now, 100));
    XT_ASSIGN_OR_RETURN(std::vector<Duty> r, tx.DutiesTurnedRed(now, 100));
    EXPECT_TRUE(y.empty()) << y.size();
    EXPECT_TRUE(r.empty()) << r.size();
    return core::Status::Ok();
  }));

  // A second call (another sweeper, later) finds nothing left to raise; an empty batch is fine.
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(std::vector<Duty> again, tx.RaiseNotifiedLevels(all, now));
    EXPECT_TRUE(again.empty());
    XT_ASSIGN_OR_RETURN(again, tx.RaiseNotifiedLevels({}, now));
    EXPECT_TRUE(again.empty());
    return core::Status::Ok();
  }));
  // A duty closed meanwhile is not raised; later the yellow ones turn red.
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(Duty d, tx.GetDuty(y1));
    d.state = DutyState::kMet;
    d.met_at = T(11 * kHour);
    return tx.UpdateDuty(d);
  }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(std::vector<Duty> later,
                        tx.RaiseNotifiedLevels({y1, y2, ys}, T(15 * kHour)));
    V expect{y2, ys};
    std::sort(expect.begin(), expect.end());
    EXPECT_EQ(Ids(later), expect);
    for (const Duty& d : later) EXPECT_EQ(d.notified_level, 2);
    return core::Status::Ok();
  }));
  // A failed Write leaves the levels as they were.
  const domain::Id y3 = duty(20, 1, DutyState::kOpen, 0);
  XT_EXPECT_ERROR(Code::kAborted, "", store().Write([&](Tx& tx) -> core::Status {
                    XT_RETURN_IF_ERROR(tx.RaiseNotifiedLevels({y3}, now).status());
                    return core::Status::Aborted("rolled back");
                  }));
  XT_ASSERT_OK_AND_ASSIGN(Duty d3, InRead<Duty>(store(), [&](Tx& tx) { return tx.GetDuty(y3); }));
  EXPECT_EQ(d3.notified_level, 0);
  // Not in a read transaction.
  EXPECT_FALSE(InRead<std::vector<Duty>>(store(), [&](Tx& tx) {
                 return tx.RaiseNotifiedLevels({y3}, now);
               }).ok());
}

// Two sweepers (threads here, instances in production) given the same duties at the same time
// raise each exactly once between them.
TEST_P(StoreContractTest, ConcurrentRaisesRaiseEachDutyOnce) {
  DutyFixture f(store());
  constexpr int kDuties = 60;
  std::vector<domain::Id> ids;
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    for (int i = 0; i < kDuties; ++i) {
      XT_ASSIGN_OR_RETURN(domain::Id id, tx.InsertDuty(MakeDuty(f.o1, i % 2 ? 5 : 20, 1)));
      ids.push_back(id);
    }
    return core::Status::Ok();
  }));
  constexpr int kThreads = 4;
  std::mutex mu;
  std::vector<domain::Id> raised;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread goes over the ids in its own order, in batches of 7, twice.
      std::vector<domain::Id> mine = ids;
      std::rotate(mine.begin(), mine.begin() + t * (kDuties / kThreads), mine.end());
      if (t % 2) std::reverse(mine.begin(), mine.end());
      for (int round = 0; round < 2; ++round) {
        for (size_t i = 0; i < mine.size(); i += 7) {
          std::vector<domain::Id> batch(mine.begin() + static_cast<std::ptrdiff_t>(i),
                                        mine.begin() + static_cast<std::ptrdiff_t>(
                                                           std::min(i + 7, mine.size())));
          std::vector<Duty> got;
          core::Status st = store().Write([&](Tx& tx) -> core::Status {
            XT_ASSIGN_OR_RETURN(got, tx.RaiseNotifiedLevels(batch, T(10 * kHour)));
            return core::Status::Ok();
          });
          if (!st.ok()) {
            ADD_FAILURE() << st.ToString();
            continue;
          }
          std::lock_guard lock(mu);
          for (const Duty& d : got) raised.push_back(d.id);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::sort(raised.begin(), raised.end());
  std::vector<domain::Id> want = ids;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(raised, want);  // each once: none missed (nothing else locks them), none twice
  XT_ASSERT_OK_AND_ASSIGN(auto after, InRead<std::vector<Duty>>(store(), [&](Tx& tx) {
                            return tx.ListDuties({.limit = 100});
                          }));
  for (const Duty& d : after) EXPECT_EQ(d.notified_level, d.due_at <= T(10 * kHour) ? 2 : 1);
}

TEST_P(StoreContractTest, ProvisionalOpenDuties) {
  DutyFixture f(store());
  auto duty = [&](bool provisional, DutyState state) {
    Duty d = MakeDuty(f.o1, 10, 5);
    d.provisional = provisional;
    d.state = state;
    return MustInsertDuty(store(), d);
  };
  const domain::Id p1 = duty(true, DutyState::kOpen);
  duty(false, DutyState::kOpen);
  const domain::Id p2 = duty(true, DutyState::kSuspended);
  duty(true, DutyState::kMet);
  duty(true, DutyState::kWaived);
  XT_ASSERT_OK_AND_ASSIGN(auto got, InRead<std::vector<Duty>>(store(), [](Tx& tx) {
                            return tx.ProvisionalOpenDuties();
                          }));
  std::vector<domain::Id> ids = Ids(got);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<domain::Id>{p1, p2}));
}

TEST_P(StoreContractTest, DutyEvents) {
  DutyFixture f(store());
  const domain::Id a = MustInsertDuty(store(), MakeDuty(f.o1, 10, 5));
  const domain::Id b = MustInsertDuty(store(), MakeDuty(f.o1, 10, 5));
  domain::DutyEvent e1{.duty_id = a, .at = T(), .actor_user_id = f.u1, .kind = "created"};
  domain::DutyEvent e2{.duty_id = a,
                       .at = T(kHour),
                       .actor_user_id = std::nullopt,
                       .kind = "extended",
                       .reason = "当事人申请延期",
                       .old_due = T(10 * kHour),
                       .new_due = T(34 * kHour)};
  domain::DutyEvent e3{.duty_id = b, .at = T(), .kind = "created"};
  for (domain::DutyEvent* e : {&e1, &e2, &e3}) {
    XT_ASSERT_OK_AND_ASSIGN(e->id, InWrite<domain::Id>(store(), [&](Tx& tx) {
                              return tx.InsertDutyEvent(*e);
                            }));
  }
  XT_ASSERT_OK_AND_ASSIGN(auto events, InRead<std::vector<domain::DutyEvent>>(store(), [&](Tx& tx) {
                            return tx.ListDutyEvents(a);
                          }));
  ASSERT_EQ(events.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const domain::DutyEvent& want = i == 0 ? e1 : e2;
    EXPECT_EQ(events[i].id, want.id);
    EXPECT_EQ(events[i].duty_id, want.duty_id);
    EXPECT_EQ(events[i].at, want.at);
    EXPECT_EQ(events[i].actor_user_id, want.actor_user_id);
    EXPECT_EQ(events[i].kind, want.kind);
    EXPECT_EQ(events[i].reason, want.reason);
    EXPECT_EQ(events[i].old_due, want.old_due);
    EXPECT_EQ(events[i].new_due, want.new_due);
  }
  XT_ASSERT_OK_AND_ASSIGN(events, InRead<std::vector<domain::DutyEvent>>(store(), [](Tx& tx) {
                            return tx.ListDutyEvents(987654);
                          }));
  EXPECT_TRUE(events.empty());
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference", InWrite<domain::Id>(store(), [](Tx& tx) {
                    return tx.InsertDutyEvent({.duty_id = 987654, .at = T(), .kind = "created"});
                  }));
}

TEST_P(StoreContractTest, DutyEventsInBatches) {
  DutyFixture f(store());
  const domain::Id a = MustInsertDuty(store(), MakeDuty(f.o1, 10, 5));
  const domain::Id b = MustInsertDuty(store(), MakeDuty(f.o1, 10, 5));
  std::vector<domain::DutyEvent> in = {
      {.duty_id = b, .at = T(), .actor_user_id = f.u1, .kind = "yellow", .new_due = T(10 * kHour)},
      {.duty_id = a,
       .at = T(kHour),
       .kind = "extended",
       .reason = "引号\"、反斜杠\\、{花括号,逗号}、NULL",
       .old_due = T(10 * kHour),
       .new_due = T(34 * kHour)},
      {.duty_id = a, .at = T(2 * kHour), .kind = "red", .reason = ""},
  };
  XT_ASSERT_OK_AND_ASSIGN(auto ids, InWrite<std::vector<domain::Id>>(store(), [&](Tx& tx) {
                            return tx.InsertDutyEvents(in);
                          }));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  XT_ASSERT_OK_AND_ASSIGN(auto events, InRead<std::vector<domain::DutyEvent>>(store(), [&](Tx& tx) {
                            return tx.ListDutyEvents(a);
                          }));
  ASSERT_EQ(events.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const domain::DutyEvent& want = in[i + 1];
    EXPECT_EQ(events[i].id, ids[i + 1]);
    EXPECT_EQ(events[i].duty_id, want.duty_id);
    EXPECT_EQ(events[i].at, want.at);
    EXPECT_EQ(events[i].actor_user_id, want.actor_user_id);
    EXPECT_EQ(events[i].kind, want.kind);
    EXPECT_EQ(events[i].reason, want.reason);
    EXPECT_EQ(events[i].old_due, want.old_due);
    EXPECT_EQ(events[i].new_due, want.new_due);
  }
  XT_ASSERT_OK_AND_ASSIGN(events, InRead<std::vector<domain::DutyEvent>>(store(), [&](Tx& tx) {
                            return tx.ListDutyEvents(b);
                          }));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, ids[0]);
  EXPECT_EQ(events[0].actor_user_id, f.u1);
  EXPECT_EQ(events[0].old_due, std::nullopt);
  EXPECT_EQ(events[0].new_due, T(10 * kHour));
  XT_ASSERT_OK_AND_ASSIGN(ids, InWrite<std::vector<domain::Id>>(store(), [&](Tx& tx) {
                            return tx.InsertDutyEvents({});
                          }));
  EXPECT_TRUE(ids.empty());
  // A missing duty fails the batch.
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference",
                  InWrite<std::vector<domain::Id>>(store(), [&](Tx& tx) {
                    return tx.InsertDutyEvents(
                        {{.duty_id = a, .at = T(), .kind = "x"},
                         {.duty_id = 987654, .at = T(), .kind = "created"}});
                  }));
  XT_ASSERT_OK_AND_ASSIGN(events, InRead<std::vector<domain::DutyEvent>>(store(), [&](Tx& tx) {
                            return tx.ListDutyEvents(a);
                          }));
  EXPECT_EQ(events.size(), 2u);
}

// ---------------- Notifications ----------------

TEST_P(StoreContractTest, NotificationsDedupeListAndRead) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id u1 = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kOfficer}));
  domain::Id u2 = MustInsertUser(store(), MakeUser("user.two", org, RoleSet{Role::kOfficer}));
  auto insert = [&](const Notification& n) {
    auto r = InWrite<std::optional<domain::Id>>(store(),
                                                [&](Tx& tx) { return tx.InsertNotification(n); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::optional<domain::Id>(-1);
  };
  Notification n1 = MakeNotification(u1, "duty.yellow:12", 1);
  Notification n2 = MakeNotification(u1, "duty.red:12", 2);
  Notification n3 = MakeNotification(u1, "", 3);
  Notification n4 = MakeNotification(u1, "", 4);
  Notification m1 = MakeNotification(u2, "duty.yellow:12", 5);
  n1.id = insert(n1).value_or(0);
  EXPECT_EQ(insert(n1), std::nullopt);  // same user and key: not again
  n2.id = insert(n2).value_or(0);
  n3.id = insert(n3).value_or(0);
  n4.id = insert(n4).value_or(0);  // an empty key never deduplicates
  m1.id = insert(m1).value_or(0);  // same key, another user
  for (domain::Id id : {n1.id, n2.id, n3.id, n4.id, m1.id}) EXPECT_GT(id, 0);

  auto list = [&](NotificationFilter filter) {
    auto r = InRead<std::vector<Notification>>(
        store(), [&](Tx& tx) { return tx.ListNotifications(filter); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<Notification>{};
  };
  auto unread = [&](domain::Id user) {
    auto r = InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountUnread(user); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -1;
  };
  using V = std::vector<domain::Id>;
  std::vector<Notification> all = list({.user_id = u1});
  EXPECT_EQ(Ids(all), (V{n4.id, n3.id, n2.id, n1.id}));  // newest first
  ASSERT_EQ(all.size(), 4u);
  ExpectNotificationEq(all[3], n1);
  ExpectNotificationEq(all[1], n3);
  EXPECT_EQ(Ids(list({.user_id = u1, .offset = 1, .limit = 2})), (V{n3.id, n2.id}));
  EXPECT_EQ(unread(u1), 4);
  EXPECT_EQ(unread(u2), 1);

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.MarkNotificationRead(u1, n2.id, T(kHour)); }));
  XT_ASSERT_OK(
      store().Write([&](Tx& tx) { return tx.MarkNotificationRead(u1, n2.id, T(2 * kHour)); }));
  EXPECT_EQ(unread(u1), 3);
  EXPECT_EQ(Ids(list({.user_id = u1, .unread_only = true})), (V{n4.id, n3.id, n1.id}));
  all = list({.user_id = u1});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[2].read_at, T(kHour));  // the first read stands
  // Another user's notification, or none at all.
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  store().Write([&](Tx& tx) { return tx.MarkNotificationRead(u2, n1.id, T()); }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  store().Write([&](Tx& tx) { return tx.MarkNotificationRead(u1, 987654, T()); }));
  EXPECT_EQ(unread(u1), 3);

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.MarkAllNotificationsRead(u1, T(3 * kHour)); }));
  EXPECT_EQ(unread(u1), 0);
  EXPECT_EQ(unread(u2), 1);
  EXPECT_TRUE(list({.user_id = u1, .unread_only = true}).empty());
  all = list({.user_id = u1});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].read_at, T(3 * kHour));
  EXPECT_EQ(all[2].read_at, T(kHour));
  XT_EXPECT_OK(store().Write([&](Tx& tx) { return tx.MarkAllNotificationsRead(u1, T()); }));

  auto after = [&](domain::Id id, int limit) {
    auto r = InRead<std::vector<Notification>>(
        store(), [&](Tx& tx) { return tx.NotificationsAfter(id, limit); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Ids(*r) : V{-1};
  };
  EXPECT_EQ(after(0, 100), (V{n1.id, n2.id, n3.id, n4.id, m1.id}));
  EXPECT_EQ(after(n1.id, 2), (V{n2.id, n3.id}));
  EXPECT_EQ(after(m1.id, 100), V{});
}

// ---------------- Job state ----------------

TEST_P(StoreContractTest, NotificationsInBatches) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id other = MustInsertOrg(store(), MakeOrg("liuzu", OrgKind::kTownship));
  domain::Id u1 = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kLiaison}));
  domain::Id u2 = MustInsertUser(store(), MakeUser("user.two", org, RoleSet{Role::kLeader}));
  domain::Id u3 = MustInsertUser(store(), MakeUser("user.three", org, RoleSet{Role::kOfficer}));
  domain::Id u4 = MustInsertUser(
      store(), MakeUser("user.four", other, RoleSet{Role::kLeader, Role::kLiaison}));
  XT_ASSERT_OK(store().Write(
      [&](Tx& tx) { return tx.InsertNotification(MakeNotification(u1, "duty:1:yellow:5")).status(); }));

  Notification odd = MakeNotification(u2, "duty:2:red:5", 7);
  odd.title = "引号\"、反斜杠\\、{花括号,逗号}、NULL";
  odd.body = "";
  odd.read_at = T(kHour);
  const std::vector<Notification> in = {
      MakeNotification(u1, "duty:1:yellow:5"),  // existed: nullopt
      MakeNotification(u2, "duty:1:yellow:5"),  // new
      odd,                                      // new, verbatim
      MakeNotification(u2, "duty:1:yellow:5"),  // earlier in this batch: nullopt
      MakeNotification(u4, "duty:1:yellow:5"),  // new
  };
  XT_ASSERT_OK_AND_ASSIGN(auto got, InWrite<std::vector<std::optional<domain::Id>>>(
                                        store(), [&](Tx& tx) { return tx.InsertNotifications(in); }));
  ASSERT_EQ(got.size(), in.size());
  EXPECT_EQ(got[0], std::nullopt);
  EXPECT_NE(got[1], std::nullopt);
  EXPECT_NE(got[2], std::nullopt);
  EXPECT_EQ(got[3], std::nullopt);
  EXPECT_NE(got[4], std::nullopt);
  XT_ASSERT_OK_AND_ASSIGN(auto u2s, InRead<std::vector<Notification>>(store(), [&](Tx& tx) {
                            return tx.ListNotifications({.user_id = u2});
                          }));
  ASSERT_EQ(u2s.size(), 2u);
  odd.id = *got[2];
  ExpectNotificationEq(u2s[0], odd);
  EXPECT_EQ(u2s[1].id, *got[1]);
  // Empty keys never deduplicate, in a batch too; an empty batch is fine.
  XT_ASSERT_OK_AND_ASSIGN(got, InWrite<std::vector<std::optional<domain::Id>>>(store(), [&](Tx& tx) {
                            return tx.InsertNotifications(
                                {MakeNotification(u3, ""), MakeNotification(u3, "")});
                          }));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0] && got[1] && *got[0] != *got[1]);
  XT_ASSERT_OK_AND_ASSIGN(got, InWrite<std::vector<std::optional<domain::Id>>>(store(), [&](Tx& tx) {
                            return tx.InsertNotifications({});
                          }));
  EXPECT_TRUE(got.empty());

  // The recipients of a batch: users of any of the orgs with any of the roles.
  auto with_roles = [&](std::vector<domain::Id> orgs, RoleSet roles) {
    auto r = InRead<std::vector<User>>(store(),
                                      [&](Tx& tx) { return tx.ListUsersWithRolesIn(orgs, roles); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Ids(*r) : std::vector<domain::Id>{-1};
  };
  using V = std::vector<domain::Id>;
  const RoleSet desk{Role::kLiaison, Role::kLeader};
  EXPECT_EQ(with_roles({other, org, org}, desk), (V{u1, u2, u4}));  // by org, then id
  EXPECT_EQ(with_roles({org}, RoleSet{Role::kOfficer}), (V{u3}));
  EXPECT_EQ(with_roles({987654}, desk), V{});
  EXPECT_EQ(with_roles({}, desk), V{});
}

TEST_P(StoreContractTest, JobState) {
  using Opt = std::optional<std::string>;
  XT_ASSERT_OK_AND_ASSIGN(Opt v, InRead<Opt>(store(), [](Tx& tx) {
                            return tx.GetState("sweeper.last_run");
                          }));
  EXPECT_EQ(v, std::nullopt);
  XT_ASSERT_OK(store().Write([](Tx& tx) { return tx.PutState("sweeper.last_run", "100"); }));
  XT_ASSERT_OK(store().Write([](Tx& tx) { return tx.PutState("other", "x"); }));
  XT_ASSERT_OK_AND_ASSIGN(v, InRead<Opt>(store(), [](Tx& tx) {
                            return tx.GetState("sweeper.last_run");
                          }));
  EXPECT_EQ(v, Opt("100"));
  XT_ASSERT_OK(store().Write([](Tx& tx) { return tx.PutState("sweeper.last_run", "200"); }));
  XT_ASSERT_OK_AND_ASSIGN(v, InRead<Opt>(store(), [](Tx& tx) {
                            return tx.GetState("sweeper.last_run");
                          }));
  EXPECT_EQ(v, Opt("200"));
  XT_ASSERT_OK_AND_ASSIGN(v, InRead<Opt>(store(), [](Tx& tx) { return tx.GetState("other"); }));
  EXPECT_EQ(v, Opt("x"));
}

// ---------------- Transactions ----------------

TEST_P(StoreContractTest, FailedWriteLeavesNothingBehind) {
  core::Status st = store().Write([](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(domain::Id id, tx.InsertOrg(MakeOrg("xincheng", OrgKind::kTownship)));
    XT_RETURN_IF_ERROR(tx.AppendAudit(MakeAudit(std::nullopt, std::nullopt, "org",
                                                std::to_string(id)))
                           .status());
    XT_RETURN_IF_ERROR(tx.PutState("k", "v"));
    return core::Status::Invalid("name", "名称不合规", "R-X-1");
  });
  EXPECT_EQ(st.code(), Code::kInvalidArgument);  // fn's own status is returned
  EXPECT_EQ(st.field(), "name");
  EXPECT_EQ(st.rule(), "R-X-1");

  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<Org>(store(), [](Tx& tx) { return tx.GetOrgByCode("xincheng"); }));
  XT_ASSERT_OK_AND_ASSIGN(auto state, InRead<std::optional<std::string>>(store(), [](Tx& tx) {
                            return tx.GetState("k");
                          }));
  EXPECT_EQ(state, std::nullopt);
  XT_ASSERT_OK_AND_ASSIGN(auto audit, InRead<std::vector<domain::AuditEntry>>(store(), [](Tx& tx) {
                            return tx.ListAudit({});
                          }));
  EXPECT_TRUE(audit.empty());

  // The code can be used now, and the audit sequence starts at 1 without a gap.
  MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  XT_ASSERT_OK_AND_ASSIGN(domain::AuditEntry e, InWrite<domain::AuditEntry>(store(), [](Tx& tx) {
                            return tx.AppendAudit(MakeAudit(std::nullopt, std::nullopt, "org", "1"));
                          }));
  EXPECT_EQ(e.seq, 1);
  EXPECT_EQ(e.prev_hash, domain::kGenesisHash);
}

TEST_P(StoreContractTest, FailedStatementFailsTheWrite) {
  MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  // The function passes a uniqueness error on: the first insert is undone as well.
  core::Status st = store().Write([](Tx& tx) -> core::Status {
    XT_RETURN_IF_ERROR(tx.InsertOrg(MakeOrg("scjg", OrgKind::kCountyDepartment)).status());
    return tx.InsertOrg(MakeOrg("xincheng", OrgKind::kTownship)).status();
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  InRead<Org>(store(), [](Tx& tx) { return tx.GetOrgByCode("scjg"); }));
}

TEST_P(StoreContractTest, ReadTransactionsRefuseWrites) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  XT_EXPECT_ERROR(Code::kInternal, "", InRead<domain::Id>(store(), [](Tx& tx) {
                    return tx.InsertOrg(MakeOrg("scjg", OrgKind::kCountyDepartment));
                  }));
  XT_EXPECT_ERROR(Code::kInternal, "",
                  store().Read([](Tx& tx) { return tx.PutState("k", "v"); }));
  XT_EXPECT_ERROR(Code::kInternal, "", InRead<domain::AuditEntry>(store(), [](Tx& tx) {
                    return tx.AppendAudit(MakeAudit(std::nullopt, std::nullopt, "org", "1"));
                  }));
  XT_EXPECT_ERROR(Code::kInternal, "", store().Read([&](Tx& tx) {
                    Org o = MakeOrg("renamed", OrgKind::kTownship);
                    o.id = org;
                    return tx.UpdateOrg(o);
                  }));
  XT_ASSERT_OK_AND_ASSIGN(auto orgs, InRead<std::vector<Org>>(store(), [](Tx& tx) {
                            return tx.ListOrgs();
                          }));
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(orgs[0].code, "xincheng");
  XT_ASSERT_OK_AND_ASSIGN(auto audit, InRead<std::vector<domain::AuditEntry>>(store(), [](Tx& tx) {
                            return tx.ListAudit({});
                          }));
  EXPECT_TRUE(audit.empty());
}

TEST_P(StoreContractTest, ReadIsAConsistentSnapshotAndDoesNotBlockWrites) {
  MustInsertOrg(store(), MakeOrg("orga", OrgKind::kTownship));
  std::promise<void> first_read_done;
  std::promise<void> write_done;
  std::future<void> write_done_f = write_done.get_future();
  size_t before = 0, during = 0;
  bool writer_blocked = false;
  std::thread reader([&] {
    core::Status st = store().Read([&](Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(auto orgs, tx.ListOrgs());
      before = orgs.size();
      first_read_done.set_value();
      writer_blocked = write_done_f.wait_for(std::chrono::seconds(20)) != std::future_status::ready;
      XT_ASSIGN_OR_RETURN(orgs, tx.ListOrgs());
      during = orgs.size();
      return core::Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  });
  first_read_done.get_future().wait();
  MustInsertOrg(store(), MakeOrg("orgb", OrgKind::kTownship));
  write_done.set_value();
  reader.join();
  EXPECT_FALSE(writer_blocked) << "a Write waited for an open Read";
  EXPECT_EQ(before, 1u);
  EXPECT_EQ(during, 1u) << "a Read saw a write committed after it started";
  XT_ASSERT_OK_AND_ASSIGN(auto orgs, InRead<std::vector<Org>>(store(), [](Tx& tx) {
                            return tx.ListOrgs();
                          }));
  EXPECT_EQ(orgs.size(), 2u);
}

TEST_P(StoreContractTest, ConcurrentAuditAppendsFormAGapFreeValidChain) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        core::Status st = store().Write([&](Tx& tx) -> core::Status {
          XT_RETURN_IF_ERROR(tx.PutState("thread." + std::to_string(t), std::to_string(i)));
          return tx
              .AppendAudit(MakeAudit(std::nullopt, std::nullopt, "thread", std::to_string(t), i))
              .status();
        });
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << st.ToString();
        }
      }
    });
  }
  // Readers run alongside.
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop.load()) {
      core::Status st = store().Read([](Tx& tx) { return tx.ListAudit({.limit = 5}).status(); });
      if (!st.ok()) {
        ADD_FAILURE() << st.ToString();
        return;
      }
    }
  });
  for (auto& th : threads) th.join();
  stop = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);

  std::vector<int64_t> seqs;
  XT_ASSERT_OK(store().Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) {
      seqs.push_back(e.seq);
      return true;
    });
  }));
  ASSERT_EQ(seqs.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i + 1));
  domain::ChainCheck check = VerifyChain(store());
  EXPECT_TRUE(check.ok) << check.explanation;
  EXPECT_EQ(check.entries, kThreads * kPerThread);
}

TEST_P(StoreContractTest, AuditAppendsInBatchesChainLikeSingleAppends) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id user = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kAdmin}));
  XT_ASSERT_OK(store().Write(
      [&](Tx& tx) { return tx.AppendAudit(MakeAudit(user, org, "user", "1")).status(); }));
  std::vector<domain::AuditEntry> in = {MakeAudit(std::nullopt, std::nullopt, "duty", "7", 1),
                                        MakeAudit(user, org, "duty", "8", 2),
                                        MakeAudit(std::nullopt, std::nullopt, "duty", "9", 3)};
  in[1].summary = "引号\"、反斜杠\\、{花括号,逗号}、NULL";
  in[2].detail = "";
  in[0].seq = 99;  // ignored
  XT_ASSERT_OK_AND_ASSIGN(auto out, InWrite<std::vector<domain::AuditEntry>>(store(), [&](Tx& tx) {
                            return tx.AppendAudits(in);
                          }));
  ASSERT_EQ(out.size(), 3u);
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(auto none, tx.AppendAudits({}));
    EXPECT_TRUE(none.empty());
    return tx.AppendAudit(MakeAudit(user, org, "user", "1", 4)).status();
  }));
  std::vector<domain::AuditEntry> scanned;
  XT_ASSERT_OK(store().Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) {
      scanned.push_back(e);
      return true;
    });
  }));
  ASSERT_EQ(scanned.size(), 5u);
  for (size_t i = 0; i < scanned.size(); ++i) {
    EXPECT_EQ(scanned[i].seq, static_cast<int64_t>(i + 1));
    if (i > 0) {
      EXPECT_EQ(scanned[i].prev_hash, scanned[i - 1].hash);
    }
  }
  for (size_t i = 0; i < 3; ++i) {  // stored as returned, and as given
    const auto& a = scanned[i + 1];
    const auto& b = out[i];
    EXPECT_EQ(a.seq, b.seq);
    EXPECT_EQ(a.hash, b.hash);
    EXPECT_EQ(a.prev_hash, b.prev_hash);
    EXPECT_EQ(a.detail_digest, domain::Sha256Hex(in[i].detail));
    EXPECT_EQ(b.hash, domain::ChainHash(b));
    EXPECT_EQ(a.at, in[i].at);
    EXPECT_EQ(a.actor_user_id, in[i].actor_user_id);
    EXPECT_EQ(a.actor_org_id, in[i].actor_org_id);
    EXPECT_EQ(a.action, in[i].action);
    EXPECT_EQ(a.object_type, in[i].object_type);
    EXPECT_EQ(a.object_id, in[i].object_id);
    EXPECT_EQ(a.summary, in[i].summary);
    EXPECT_EQ(a.detail, in[i].detail);
  }
  domain::ChainCheck check = VerifyChain(store());
  EXPECT_TRUE(check.ok) << check.explanation;
  EXPECT_EQ(check.entries, 5);
  // Not in a read transaction.
  EXPECT_FALSE(InRead<std::vector<domain::AuditEntry>>(store(), [&](Tx& tx) {
                 return tx.AppendAudits(in);
               }).ok());
}

// Nested units of work (issue 16: one transaction per write request): EndNested(true) keeps a
// unit, EndNested(false) undoes it alone — its rows and its queued audit entries, not those of
// the units before it — and the transaction goes on; units nest.
TEST_P(StoreContractTest, NestedUnitsAreKeptOrUndoneAloneInsideOneTransaction) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id user = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kAdmin}));
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_RETURN_IF_ERROR(tx.BeginNested());
    XT_RETURN_IF_ERROR(tx.PutState("unit.a", "kept"));
    XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "a", 1)));
    XT_RETURN_IF_ERROR(tx.EndNested(true));
    XT_RETURN_IF_ERROR(tx.BeginNested());
    XT_RETURN_IF_ERROR(tx.PutState("unit.b", "undone"));
    XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "b", 2)));
    XT_ASSIGN_OR_RETURN(auto seen, tx.ListAudit({.object_type = "referral"}));
    EXPECT_EQ(seen.size(), 2u);  // read-your-writes inside the unit
    XT_RETURN_IF_ERROR(tx.BeginNested());  // nested in b: undone with it
    XT_RETURN_IF_ERROR(tx.PutState("unit.c", "inner"));
    XT_RETURN_IF_ERROR(tx.EndNested(true));
    XT_RETURN_IF_ERROR(tx.EndNested(false));
    XT_ASSIGN_OR_RETURN(auto b, tx.GetState("unit.b"));
    EXPECT_FALSE(b.has_value());
    XT_RETURN_IF_ERROR(tx.BeginNested());
    XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "d", 3)));
    return tx.EndNested(true);
  }));
  std::vector<std::string> ids;
  std::optional<std::string> a, b, c;
  XT_ASSERT_OK(store().Read([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(a, tx.GetState("unit.a"));
    XT_ASSIGN_OR_RETURN(b, tx.GetState("unit.b"));
    XT_ASSIGN_OR_RETURN(c, tx.GetState("unit.c"));
    return tx.ScanAudit([&](const domain::AuditEntry& e) {
      ids.push_back(e.object_id);
      return true;
    });
  }));
  EXPECT_EQ(a, std::optional<std::string>("kept"));
  EXPECT_FALSE(b.has_value());
  EXPECT_FALSE(c.has_value());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "d"}));
  EXPECT_TRUE(VerifyChain(store()).ok);
  EXPECT_FALSE(store().Read([](Tx& tx) { return tx.BeginNested(); }).ok());  // writes only
}

// QueueAudit: appended at the latest at commit (PostgreSQL: right before COMMIT), in queue
// order, before any later AppendAudit of the transaction; the transaction's own ListAudit sees
// them; a rolled-back transaction leaves none; not in a read transaction.
TEST_P(StoreContractTest, QueuedAuditEntriesAreAppendedInOrderByCommit) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id user = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kAdmin}));
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "1", 1)));
    XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "2", 2)));
    XT_ASSIGN_OR_RETURN(auto seen, tx.ListAudit({.object_type = "referral"}));
    EXPECT_EQ(seen.size(), 2u);  // read-your-writes
    XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "3", 3)));
    XT_ASSIGN_OR_RETURN(auto fourth, tx.AppendAudit(MakeAudit(user, org, "duty", "4", 4)));
    EXPECT_EQ(fourth.seq, 4);  // after the three queued ones
    return tx.QueueAudit(MakeAudit(user, org, "referral", "5", 5));
  }));
  EXPECT_FALSE(store()
                   .Write([&](Tx& tx) -> core::Status {
                     XT_RETURN_IF_ERROR(tx.QueueAudit(MakeAudit(user, org, "referral", "6", 6)));
                     return core::Status::Invalid("x", "rolled back");
                   })
                   .ok());
  EXPECT_FALSE(store()
                   .Read([&](Tx& tx) { return tx.QueueAudit(MakeAudit(user, org, "user", "7")); })
                   .ok());
  std::vector<std::string> ids;
  XT_ASSERT_OK(store().Read([&](Tx& tx) {
    return tx.ScanAudit([&](const domain::AuditEntry& e) {
      ids.push_back(e.object_id);
      return true;
    });
  }));
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  domain::ChainCheck check = VerifyChain(store());
  EXPECT_TRUE(check.ok) << check.explanation;
}

TEST_P(StoreContractTest, ConcurrentBatchAndSingleAuditAppendsFormOneChain) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        core::Status st = store().Write([&](Tx& tx) -> core::Status {
          if (t % 2) {
            return tx
                .AppendAudit(MakeAudit(std::nullopt, std::nullopt, "thread", std::to_string(t), i))
                .status();
          }
          std::vector<domain::AuditEntry> batch;
          for (int k = 0; k < 3; ++k)
            batch.push_back(MakeAudit(std::nullopt, std::nullopt, "thread", std::to_string(t), i));
          return tx.AppendAudits(batch).status();
        });
        if (!st.ok()) ADD_FAILURE() << st.ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  domain::ChainCheck check = VerifyChain(store());
  EXPECT_TRUE(check.ok) << check.explanation;
  EXPECT_EQ(check.entries, (kThreads / 2) * kPerThread * 4);
}

// "t<thread>-<item>" (built step by step: GCC 12 warns falsely on a chain of string +).
std::string ItemName(int thread, int item) {
  std::string s = "t";
  s += std::to_string(thread);
  s += '-';
  s += std::to_string(item);
  return s;
}

TEST_P(StoreContractTest, ConcurrentWritesThatFailLeaveNoTrace) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string name = ItemName(t, i);
        const bool fail = (t + i) % 3 == 0;
        core::Status st = store().Write([&](Tx& tx) -> core::Status {
          XT_RETURN_IF_ERROR(tx.PutState(name, "x"));
          XT_RETURN_IF_ERROR(tx.InsertOrg(MakeOrg(name, OrgKind::kTownship)).status());
          XT_RETURN_IF_ERROR(
              tx.AppendAudit(MakeAudit(std::nullopt, std::nullopt, "org", name)).status());
          if (fail) return core::Status::Aborted("故意失败");
          return core::Status::Ok();
        });
        if (st.code() != (fail ? Code::kAborted : Code::kOk)) {
          ++unexpected;
          ADD_FAILURE() << name << ": " << st.ToString();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unexpected.load(), 0);

  int successes = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      const std::string name = ItemName(t, i);
      const bool fail = (t + i) % 3 == 0;
      if (!fail) ++successes;
      auto state = InRead<std::optional<std::string>>(store(),
                                                      [&](Tx& tx) { return tx.GetState(name); });
      ASSERT_TRUE(state.ok()) << state.status().ToString();
      EXPECT_EQ(state->has_value(), !fail) << name;
      auto org = InRead<Org>(store(), [&](Tx& tx) { return tx.GetOrgByCode(name); });
      EXPECT_EQ(org.ok(), !fail) << name;
    }
  }
  XT_ASSERT_OK_AND_ASSIGN(auto audit, InRead<std::vector<domain::AuditEntry>>(store(), [](Tx& tx) {
                            return tx.ListAudit({.limit = 1000});
                          }));
  ASSERT_EQ(audit.size(), static_cast<size_t>(successes));
  EXPECT_EQ(audit.front().seq, successes);  // newest first, no gaps
  domain::ChainCheck check = VerifyChain(store());
  EXPECT_TRUE(check.ok) << check.explanation;
  EXPECT_EQ(check.entries, successes);
}

// ---------------- Referrals and documents (v3) ----------------

// Two orgs, a user, a matter owned by the second org and one stored file.
struct ReferralWorld {
  domain::Id town = 0, dept = 0, user = 0, matter = 0;
  std::string file = std::string(64, 'a');
};

ReferralWorld MakeReferralWorld(Store& s) {
  ReferralWorld w;
  w.town = MustInsertOrg(s, MakeOrg("ref-town", OrgKind::kTownship));
  w.dept = MustInsertOrg(s, MakeOrg("ref-dept", OrgKind::kCountyDepartment));
  w.user = MustInsertUser(s, MakeUser("ref.officer", w.town, RoleSet{Role::kOfficer}));
  core::Status st = s.Write([&](Tx& tx) -> core::Status {
    domain::Matter m;
    m.code = "REF-001";
    m.name = "无证无照经营";
    m.legal_basis = "《无证无照经营查处办法》";
    m.owner_org_id = w.dept;
    XT_ASSIGN_OR_RETURN(w.matter, tx.InsertMatter(m));
    FileBlob f;
    f.sha256 = w.file;
    f.size = 3;
    f.content_type = "application/pdf";
    f.created_at = T();
    f.bytes = "pdf";
    return tx.InsertFileBlob(f).status();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return w;
}

domain::Referral MakeReferral(const ReferralWorld& w, std::string facts, int64_t at_ms = 0) {
  domain::Referral r;
  r.state = domain::ReferralState::kDraft;
  r.from_org_id = w.town;
  r.to_org_id = w.dept;
  r.matter_id = w.matter;
  r.matter_code = "REF-001";
  r.matter_owner_org_id = w.dept;
  r.township_org_id = w.town;
  r.place = "新城镇解放路12号";
  r.discovered_at = T(at_ms);
  r.facts = std::move(facts);
  r.party = {"陈某某", "居民身份证", "445321199001011234", "新城镇", "13800000000"};
  r.legal_basis = "《无证无照经营查处办法》第十三条";
  r.evidence = {{"现场检查笔录", "2页", w.file, "笔录.pdf", 3, "application/pdf"},
                {"询问笔录", "", std::nullopt, "", 0, ""}};
  r.checklist = {true, true, false, true};
  r.created_by = w.user;
  r.created_at = T(at_ms);
  r.updated_at = T(at_ms);
  return r;
}

domain::Id MustInsertReferral(Store& s, const domain::Referral& r) {
  auto id = InWrite<domain::Id>(s, [&](Tx& tx) { return tx.InsertReferral(r); });
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : 0;
}

std::vector<domain::Id> ReferralIds(Store& s, const ReferralFilter& f) {
  auto rows = InRead<std::vector<domain::Referral>>(s, [&](Tx& tx) { return tx.ListReferrals(f); });
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<domain::Id> out;
  if (rows.ok()) {
    for (const auto& r : *rows) out.push_back(r.id);
  }
  auto n = InRead<int64_t>(s, [&](Tx& tx) { return tx.CountReferrals(f); });
  EXPECT_TRUE(n.ok());
  if (n.ok() && f.offset == 0 && f.limit >= 50) {
    EXPECT_EQ(*n, static_cast<int64_t>(out.size()));
  }
  return out;
}

TEST_P(StoreContractTest, ReferralsInsertGetUpdateRoundTripEveryField) {
  ReferralWorld w = MakeReferralWorld(store());
  domain::Referral r = MakeReferral(w, "当事人在人行道摆摊");
  r.urgent = true;
  r.ongoing = true;
  r.dissuasion = domain::Dissuasion{T(5 * 60 * 1000), "已当场劝阻"};
  r.unit_id = w.town;
  r.unit_legal_basis = "某法第十条";
  r.jurisdiction_override_reason = "现场紧急";
  r.flagged_for_coordinator = true;
  r.id = MustInsertReferral(store(), r);
  ASSERT_GT(r.id, 0);
  XT_ASSERT_OK_AND_ASSIGN(domain::Referral got, InRead<domain::Referral>(store(), [&](Tx& tx) {
                            return tx.GetReferral(r.id);
                          }));
  EXPECT_EQ(got, r);

  // Every optional field set, the evidence replaced.
  r.state = domain::ReferralState::kCoordination;
  r.number = "新城执移〔2026〕3号";
  r.submitted_at = T(1);
  r.sent_at = T(2);
  r.received_at = T(3);
  r.accepted_at = T(4);
  r.closed_at = T(5);
  r.accept_note = "受理";
  r.decline_reason = "不属于";
  r.return_reason = "补正";
  r.result = "已处罚";
  r.coordination = domain::Coordination{T(6), "拒不受理", "reassign", T(7), w.user, "改由"};
  r.evidence = {{"照片", "3张", w.file, "照片.pdf", 3, "application/pdf"}};
  r.dissuasion.reset();
  r.updated_at = T(8);
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateReferral(r); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<domain::Referral>(store(), [&](Tx& tx) {
                            return tx.GetReferral(r.id);
                          }));
  EXPECT_EQ(got, r);

  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<domain::Referral>(store(), [](Tx& tx) {
                    return tx.GetReferral(999999);
                  }));
  domain::Referral missing = r;
  missing.id = 999999;
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) { return tx.UpdateReferral(missing); }));
  // References are checked: an unknown org.
  domain::Referral bad = MakeReferral(w, "x");
  bad.to_org_id = 424242;
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference",
                  InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertReferral(bad); }));
}

TEST_P(StoreContractTest, ListReferralsFiltersVisibilityAndPaging) {
  ReferralWorld w = MakeReferralWorld(store());
  const domain::Id other = MustInsertOrg(store(), MakeOrg("ref-other", OrgKind::kTownship));
  domain::Referral a = MakeReferral(w, "甲在路边占道经营", 0);  // draft, town → dept
  domain::Referral b = MakeReferral(w, "乙无照经营", kHour);     // sent, town → dept
  b.state = domain::ReferralState::kSent;
  b.sent_at = T(kHour);
  b.number = "新城执移〔2026〕7号";
  domain::Referral c = MakeReferral(w, "丙露天焚烧", 2 * kHour);  // dept → other, sent
  c.from_org_id = w.dept;
  c.to_org_id = other;
  c.township_org_id = other;
  c.state = domain::ReferralState::kAccepted;
  c.sent_at = T(2 * kHour);
  c.party.name = "丁某";
  a.id = MustInsertReferral(store(), a);
  b.id = MustInsertReferral(store(), b);
  c.id = MustInsertReferral(store(), c);

  EXPECT_EQ(ReferralIds(store(), {}), (std::vector<domain::Id>{c.id, b.id, a.id}));  // newest first
  // R-ACC-1: the receiver sees only what was sent; the matter's owner too.
  EXPECT_EQ(ReferralIds(store(), {.visible_to_org_id = w.town}), (std::vector<domain::Id>{b.id, a.id}));
  EXPECT_EQ(ReferralIds(store(), {.visible_to_org_id = w.dept}), (std::vector<domain::Id>{c.id, b.id}));
  EXPECT_EQ(ReferralIds(store(), {.visible_to_org_id = other}), (std::vector<domain::Id>{c.id}));
  EXPECT_EQ(ReferralIds(store(), {.from_org_id = w.town}), (std::vector<domain::Id>{b.id, a.id}));
  EXPECT_EQ(ReferralIds(store(), {.to_org_id = w.dept}), (std::vector<domain::Id>{b.id}));
  EXPECT_EQ(ReferralIds(store(), {.involving_org_id = other}), (std::vector<domain::Id>{c.id}));
  EXPECT_EQ(ReferralIds(store(), {.states = {domain::ReferralState::kSent, domain::ReferralState::kDraft}}),
            (std::vector<domain::Id>{b.id, a.id}));
  EXPECT_EQ(ReferralIds(store(), {.states = {domain::ReferralState::kAccepted}}), (std::vector<domain::Id>{c.id}));
  EXPECT_EQ(ReferralIds(store(), {.matter_code = "REF-001", .township_org_id = other}),
            (std::vector<domain::Id>{c.id}));
  EXPECT_EQ(ReferralIds(store(), {.created_from = T(kHour), .created_to = T(2 * kHour)}),
            (std::vector<domain::Id>{b.id}));
  // Text: trigram index for >= 3 characters, LIKE for 1–2; facts, place, party and number.
  EXPECT_EQ(ReferralIds(store(), {.text = "占道经营"}), (std::vector<domain::Id>{a.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "无照经"}), (std::vector<domain::Id>{b.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "焚烧"}), (std::vector<domain::Id>{c.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "丁"}), (std::vector<domain::Id>{c.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "〔2026〕7号"}), (std::vector<domain::Id>{b.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "7号"}), (std::vector<domain::Id>{b.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "解放路12"}).size(), 3u);
  EXPECT_EQ(ReferralIds(store(), {.text = "100%"}).size(), 0u);
  EXPECT_EQ(ReferralIds(store(), {.text = "%"}).size(), 0u);
  EXPECT_EQ(ReferralIds(store(), {.text = "\"引号\""}).size(), 0u);
  // The index follows updates.
  a.facts = "戊在路口烧烤";
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateReferral(a); }));
  EXPECT_EQ(ReferralIds(store(), {.text = "占道经营"}).size(), 0u);
  EXPECT_EQ(ReferralIds(store(), {.text = "路口烧烤"}), (std::vector<domain::Id>{a.id}));
  // An update that leaves the searched text alone keeps it found (SQLite re-indexes only when
  // the text changes, migration v7); a new number is searchable at once.
  const domain::ReferralState a_state = a.state;
  a.state = domain::ReferralState::kWithdrawn;
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateReferral(a); }));
  EXPECT_EQ(ReferralIds(store(), {.text = "路口烧烤"}), (std::vector<domain::Id>{a.id}));
  a.number = "新市监移〔2026〕99号";
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateReferral(a); }));
  EXPECT_EQ(ReferralIds(store(), {.text = "〔2026〕99号"}), (std::vector<domain::Id>{a.id}));
  EXPECT_EQ(ReferralIds(store(), {.text = "路口烧烤"}), (std::vector<domain::Id>{a.id}));
  a.number.reset();
  a.state = a_state;
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateReferral(a); }));
  EXPECT_EQ(ReferralIds(store(), {.text = "99号"}).size(), 0u);
  // Paging.
  EXPECT_EQ(ReferralIds(store(), {.offset = 1, .limit = 1}), (std::vector<domain::Id>{b.id}));
  XT_ASSERT_OK_AND_ASSIGN(int64_t n, InRead<int64_t>(store(), [](Tx& tx) {
                            return tx.CountReferrals({.offset = 1, .limit = 1});
                          }));
  EXPECT_EQ(n, 3);
}

TEST_P(StoreContractTest, ListReferralsByColourOfTheEarliestOpenDuty) {
  ReferralWorld w = MakeReferralWorld(store());
  domain::Referral a = MakeReferral(w, "甲", 0);
  domain::Referral b = MakeReferral(w, "乙", 1);
  domain::Referral c = MakeReferral(w, "丙", 2);
  a.id = MustInsertReferral(store(), a);
  b.id = MustInsertReferral(store(), b);
  c.id = MustInsertReferral(store(), c);
  auto duty = [&](domain::Id referral, int64_t due_h, int64_t yellow_h, DutyState state) {
    Duty d = MakeDuty(w.town, due_h, yellow_h);
    d.object_type = "referral";
    d.object_id = std::to_string(referral);
    d.state = state;
    MustInsertDuty(store(), d);
  };
  duty(a.id, -1, -10, DutyState::kOpen);   // red
  duty(a.id, 100, 50, DutyState::kOpen);   // green, but a's earliest is red
  duty(b.id, 10, -1, DutyState::kOpen);    // yellow
  duty(b.id, -5, -10, DutyState::kMet);    // met: no colour
  duty(c.id, -5, -10, DutyState::kWaived); // c has no open duty
  ReferralFilter f;
  f.now = T();
  f.colour = domain::Colour::kRed;
  EXPECT_EQ(ReferralIds(store(), f), (std::vector<domain::Id>{a.id}));
  f.colour = domain::Colour::kYellow;
  EXPECT_EQ(ReferralIds(store(), f), (std::vector<domain::Id>{b.id}));
  f.colour = domain::Colour::kGreen;
  EXPECT_EQ(ReferralIds(store(), f).size(), 0u);
}

TEST_P(StoreContractTest, ReferralsWithFile) {
  ReferralWorld w = MakeReferralWorld(store());
  domain::Id a = MustInsertReferral(store(), MakeReferral(w, "甲"));
  domain::Referral no_file = MakeReferral(w, "乙");
  no_file.evidence = {};
  MustInsertReferral(store(), no_file);
  domain::Id c = MustInsertReferral(store(), MakeReferral(w, "丙"));
  XT_ASSERT_OK_AND_ASSIGN(auto ids, InRead<std::vector<domain::Id>>(store(), [&](Tx& tx) {
                            return tx.ReferralsWithFile(w.file);
                          }));
  EXPECT_EQ(ids, (std::vector<domain::Id>{a, c}));
  XT_ASSERT_OK_AND_ASSIGN(ids, InRead<std::vector<domain::Id>>(store(), [&](Tx& tx) {
                            return tx.ReferralsWithFile(std::string(64, 'b'));
                          }));
  EXPECT_TRUE(ids.empty());
}

TEST_P(StoreContractTest, DocumentsAndSerialsPerOrgYearKind) {
  ReferralWorld w = MakeReferralWorld(store());
  domain::Id ref = MustInsertReferral(store(), MakeReferral(w, "甲"));
  auto take = [&](domain::Id org, int year, domain::DocKind kind) {
    auto r = InWrite<int64_t>(store(), [&](Tx& tx) { return tx.TakeDocSerial(org, year, kind); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : -1;
  };
  EXPECT_EQ(take(w.town, 2026, domain::DocKind::kReferralLetter), 1);
  EXPECT_EQ(take(w.town, 2026, domain::DocKind::kReferralLetter), 2);
  EXPECT_EQ(take(w.town, 2026, domain::DocKind::kAcceptanceNotice), 1);
  EXPECT_EQ(take(w.town, 2027, domain::DocKind::kReferralLetter), 1);
  EXPECT_EQ(take(w.dept, 2026, domain::DocKind::kReferralLetter), 1);
  // A rolled-back transaction gives its serial back (gap-free).
  core::Status failed = store().Write([&](Tx& tx) -> core::Status {
    XT_RETURN_IF_ERROR(tx.TakeDocSerial(w.town, 2026, domain::DocKind::kReferralLetter).status());
    return core::Status::Aborted("roll back");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(take(w.town, 2026, domain::DocKind::kReferralLetter), 3);

  domain::Document d;
  d.kind = domain::DocKind::kReferralLetter;
  d.number = "ref-town移〔2026〕1号";
  d.org_id = w.town;
  d.year = 2026;
  d.serial = 1;
  d.referral_id = ref;
  d.title = "关于移送的函";
  d.snapshot = R"({"facts":"甲"})";
  d.created_at = T();
  d.created_by = w.user;
  XT_ASSERT_OK_AND_ASSIGN(d.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertDocument(d); }));
  XT_ASSERT_OK_AND_ASSIGN(domain::Document got, InRead<domain::Document>(store(), [&](Tx& tx) {
                            return tx.GetDocument(d.id);
                          }));
  EXPECT_EQ(got, d);
  domain::Document dup = d;
  dup.title = "重复";
  XT_EXPECT_ERROR(Code::kAlreadyExists, "number",
                  InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertDocument(dup); }));
  domain::Document second = d;
  second.serial = 2;
  second.number = "ref-town移〔2026〕2号";
  XT_ASSERT_OK_AND_ASSIGN(second.id, InWrite<domain::Id>(store(), [&](Tx& tx) {
                            return tx.InsertDocument(second);
                          }));
  XT_ASSERT_OK_AND_ASSIGN(auto docs, InRead<std::vector<domain::Document>>(store(), [&](Tx& tx) {
                            return tx.ListReferralDocuments(ref);
                          }));
  EXPECT_EQ(docs, (std::vector<domain::Document>{d, second}));
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<domain::Document>(store(), [](Tx& tx) {
                    return tx.GetDocument(999999);
                  }));
  XT_EXPECT_ERROR(Code::kInternal, "", store().Read([&](Tx& tx) {
                    return tx.TakeDocSerial(w.town, 2026, domain::DocKind::kReferralLetter).status();
                  }));
}

// R-DOC-1: 8 threads × 25 issues each give 200 distinct consecutive serials, no gaps.
TEST_P(StoreContractTest, ConcurrentDocSerialsAreDistinctAndGapFree) {
  const domain::Id org = MustInsertOrg(store(), MakeOrg("serial-town", OrgKind::kTownship));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::mutex mu;
  std::vector<int64_t> serials;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        int64_t got = 0;
        core::Status st = store().Write([&](Tx& tx) -> core::Status {
          XT_ASSIGN_OR_RETURN(got, tx.TakeDocSerial(org, 2026, domain::DocKind::kReferralLetter));
          return core::Status::Ok();
        });
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << st.ToString();
          continue;
        }
        std::lock_guard lock(mu);
        serials.push_back(got);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::sort(serials.begin(), serials.end());
  ASSERT_EQ(serials.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < serials.size(); ++i) EXPECT_EQ(serials[i], static_cast<int64_t>(i + 1));
}

// ---------------- Matters, files, idempotency (v2) ----------------

TEST_P(StoreContractTest, OrgDocPrefixRoundTrips) {
  Org o = MakeOrg("xincheng", OrgKind::kTownship);
  o.doc_prefix = "新城执";
  o.id = MustInsertOrg(store(), o);
  auto got = InRead<Org>(store(), [&](Tx& tx) { return tx.GetOrg(o.id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->doc_prefix, "新城执");
  o.doc_prefix = "新城";
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateOrg(o); }));
  got = InRead<Org>(store(), [&](Tx& tx) { return tx.GetOrgByCode("xincheng"); });
  EXPECT_EQ(got->doc_prefix, "新城");
}

TEST_P(StoreContractTest, MattersInsertGetListUpdate) {
  domain::Id scjg = MustInsertOrg(store(), MakeOrg("scjg", OrgKind::kCountyDepartment));
  domain::Id zjj = MustInsertOrg(store(), MakeOrg("zjj", OrgKind::kCountyDepartment));
  domain::Id town = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  auto make = [](std::string code, std::string name, domain::Id owner) {
    domain::Matter m;
    m.code = std::move(code);
    m.name = std::move(name);
    m.legal_basis = "《某法》第一条";
    m.owner_org_id = owner;
    return m;
  };
  domain::Matter a = make("B-2", "占道经营", zjj);
  a.statutory_referral_days = 5;
  domain::Matter b = make("A-1", "无证无照经营 100%_", scjg);
  XT_ASSERT_OK_AND_ASSIGN(a.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(a); }));
  XT_ASSERT_OK_AND_ASSIGN(b.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(b); }));
  EXPECT_NE(a.id, b.id);
  XT_EXPECT_ERROR(Code::kAlreadyExists, "code",
                  InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(make("A-1", "x", scjg)); }));
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference",
                  InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(make("C-1", "x", 9999)); }));

  auto got = InRead<domain::Matter>(store(), [&](Tx& tx) { return tx.GetMatter(a.id); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->code, "B-2");
  EXPECT_EQ(got->name, "占道经营");
  EXPECT_EQ(got->legal_basis, "《某法》第一条");
  EXPECT_EQ(got->owner_org_id, zjj);
  EXPECT_EQ(got->statutory_referral_days, 5);
  got = InRead<domain::Matter>(store(), [&](Tx& tx) { return tx.GetMatterByCode("A-1"); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, b.id);
  EXPECT_FALSE(got->statutory_referral_days);
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<domain::Matter>(store(), [&](Tx& tx) { return tx.GetMatter(9999); }));
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<domain::Matter>(store(), [&](Tx& tx) { return tx.GetMatterByCode("Z"); }));

  auto list = [&](const MatterFilter& f) {
    auto r = InRead<std::vector<domain::Matter>>(store(), [&](Tx& tx) { return tx.ListMatters(f); });
    auto n = InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountMatters(f); });
    EXPECT_TRUE(r.ok() && n.ok());
    std::vector<std::string> codes;
    if (r.ok())
      for (const auto& m : *r) codes.push_back(m.code);
    return std::make_pair(codes, n.ok() ? *n : -1);
  };
  MatterFilter all;
  EXPECT_EQ(list(all).first, (std::vector<std::string>{"A-1", "B-2"}));  // by code
  EXPECT_EQ(list(all).second, 2);
  MatterFilter owner;
  owner.owner_org_id = zjj;
  EXPECT_EQ(list(owner).first, (std::vector<std::string>{"B-2"}));
  MatterFilter text;
  text.text = "100%_";  // literal, not wildcards
  EXPECT_EQ(list(text).first, (std::vector<std::string>{"A-1"}));
  text.text = "某法";  // legal basis
  EXPECT_EQ(list(text).second, 2);
  text.text = "%";  // only the name that holds a literal '%'
  EXPECT_EQ(list(text).first, (std::vector<std::string>{"A-1"}));
  text.text = "0_";  // '_' is no wildcard: "0%" does not match
  EXPECT_EQ(list(text).second, 0);
  MatterFilter paged;
  paged.offset = 1;
  paged.limit = 1;
  EXPECT_EQ(list(paged).first, (std::vector<std::string>{"B-2"}));
  EXPECT_EQ(list(paged).second, 2);
  MatterFilter by_town;
  by_town.township_org_id = town;
  EXPECT_EQ(list(by_town).second, 0);

  a.name = "占道经营（改）";
  a.statutory_referral_days.reset();
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateMatter(a); }));
  got = InRead<domain::Matter>(store(), [&](Tx& tx) { return tx.GetMatter(a.id); });
  EXPECT_EQ(got->name, "占道经营（改）");
  EXPECT_FALSE(got->statutory_referral_days);
  domain::Matter ghost = a;
  ghost.id = 9999;
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) { return tx.UpdateMatter(ghost); }));
}

TEST_P(StoreContractTest, DelegationsAreKeptAndOnlyTheirEndChanges) {
  domain::Id scjg = MustInsertOrg(store(), MakeOrg("scjg", OrgKind::kCountyDepartment));
  domain::Id t1 = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id t2 = MustInsertOrg(store(), MakeOrg("liuzu", OrgKind::kTownship));
  domain::Matter m;
  m.code = "A-1";
  m.name = "无证无照经营";
  m.legal_basis = "《某法》";
  m.owner_org_id = scjg;
  XT_ASSERT_OK_AND_ASSIGN(m.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(m); }));
  auto day = [](const char* s) { return *core::ParseDay(s); };
  domain::Delegation a{m.id, t2, day("2023-07-12"), std::nullopt};
  domain::Delegation b{m.id, t1, day("2024-01-01"), day("2025-12-31")};
  domain::Delegation c{m.id, t1, day("2023-07-12"), day("2023-12-31")};
  for (const auto& d : {a, b, c})
    XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertDelegation(d); }));
  XT_EXPECT_ERROR(Code::kAlreadyExists, "from", store().Write([&](Tx& tx) { return tx.InsertDelegation(a); }));
  domain::Delegation bad{m.id, 9999, day("2023-07-12"), std::nullopt};
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference", store().Write([&](Tx& tx) { return tx.InsertDelegation(bad); }));

  auto dels = InRead<std::vector<domain::Delegation>>(store(), [&](Tx& tx) { return tx.ListDelegations(m.id); });
  ASSERT_TRUE(dels.ok());
  // By township id, then from.
  EXPECT_EQ(*dels, (std::vector<domain::Delegation>{c, b, a}));

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.SetDelegationEnd(m.id, t2, a.from, day("2026-06-30")); }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.SetDelegationEnd(m.id, t1, b.from, std::nullopt); }));
  XT_EXPECT_ERROR(Code::kNotFound, "",
                  store().Write([&](Tx& tx) { return tx.SetDelegationEnd(m.id, t1, day("2020-01-01"), std::nullopt); }));
  dels = InRead<std::vector<domain::Delegation>>(store(), [&](Tx& tx) { return tx.ListDelegations(m.id); });
  ASSERT_EQ(dels->size(), 3u);
  EXPECT_EQ((*dels)[1].to, std::nullopt);
  EXPECT_EQ((*dels)[2].to, day("2026-06-30"));

  MatterFilter by_town;
  by_town.township_org_id = t1;
  auto n = InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountMatters(by_town); });
  EXPECT_EQ(*n, 1);
}

// R-DIS-3 (v8): a delegation and its withdrawal cite the deciding document.
TEST_P(StoreContractTest, DelegationsCiteTheirDecisions) {
  domain::Id scjg = MustInsertOrg(store(), MakeOrg("scjg", OrgKind::kCountyDepartment));
  domain::Id t1 = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Matter m;
  m.code = "A-1";
  m.name = "无证无照经营";
  m.legal_basis = "《某法》";
  m.owner_org_id = scjg;
  XT_ASSERT_OK_AND_ASSIGN(m.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(m); }));
  auto day = [](const char* s) { return *core::ParseDay(s); };
  domain::Delegation a;
  a.matter_id = m.id;
  a.township_org_id = t1;
  a.from = day("2026-12-01");
  a.decided_by = domain::Citation{"新政决〔2026〕3号", 42};
  domain::Delegation b = a;
  b.from = day("2020-01-01");
  b.to = day("2020-12-31");
  b.decided_by = domain::Citation{"新政决〔2019〕1号", std::nullopt};
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertDelegation(a); }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertDelegation(b); }));
  auto dels = InRead<std::vector<domain::Delegation>>(store(), [&](Tx& tx) { return tx.ListDelegations(m.id); });
  ASSERT_TRUE(dels.ok());
  EXPECT_EQ(*dels, (std::vector<domain::Delegation>{b, a}));
  domain::Citation end{"新政决〔2027〕2号", 43};
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.SetDelegationEnd(m.id, t1, a.from, day("2027-01-31"), end); }));
  dels = InRead<std::vector<domain::Delegation>>(store(), [&](Tx& tx) { return tx.ListDelegations(m.id); });
  ASSERT_EQ(dels->size(), 2u);
  EXPECT_EQ((*dels)[1].to, day("2027-01-31"));
  EXPECT_EQ((*dels)[1].withdrawn_by, end);
  EXPECT_EQ((*dels)[1].decided_by, a.decided_by);
  // Setting the end without a decision clears the withdrawal's citation.
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.SetDelegationEnd(m.id, t1, a.from, std::nullopt); }));
  dels = InRead<std::vector<domain::Delegation>>(store(), [&](Tx& tx) { return tx.ListDelegations(m.id); });
  EXPECT_FALSE((*dels)[1].withdrawn_by);
  EXPECT_FALSE((*dels)[1].to);
}

// R-DIS-3, R-JUR-2 (v8): owner periods are kept by (matter, from), listed by from.
TEST_P(StoreContractTest, OwnerPeriodsAreKeptByMatterAndDay) {
  domain::Id scjg = MustInsertOrg(store(), MakeOrg("scjg", OrgKind::kCountyDepartment));
  domain::Id zjj = MustInsertOrg(store(), MakeOrg("zjj", OrgKind::kCountyDepartment));
  domain::Matter m;
  m.code = "A-1";
  m.name = "无证无照经营";
  m.legal_basis = "《某法》";
  m.owner_org_id = scjg;
  XT_ASSERT_OK_AND_ASSIGN(m.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(m); }));
  domain::Matter other = m;
  other.code = "A-2";
  XT_ASSERT_OK_AND_ASSIGN(other.id, InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertMatter(other); }));
  auto none = InRead<std::vector<domain::OwnerPeriod>>(store(), [&](Tx& tx) { return tx.ListOwnerPeriods(m.id); });
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  domain::OwnerPeriod later{m.id, *core::ParseDay("2026-12-01"), zjj, "职责分工争议决定",
                            domain::Citation{"新政决〔2026〕3号", 42}};
  domain::OwnerPeriod first{m.id, domain::kCatalogBeginning, scjg, "目录原有主管部门", std::nullopt};
  domain::OwnerPeriod cited_without_doc{m.id, *core::ParseDay("2027-01-01"), scjg, "目录导入",
                                        domain::Citation{"新政决〔2026〕9号", std::nullopt}};
  domain::OwnerPeriod elsewhere{other.id, *core::ParseDay("2026-12-01"), zjj, "目录导入", std::nullopt};
  for (const auto& p : {later, first, cited_without_doc, elsewhere})
    XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertOwnerPeriod(p); }));
  XT_EXPECT_ERROR(Code::kAlreadyExists, "from", store().Write([&](Tx& tx) { return tx.InsertOwnerPeriod(later); }));
  domain::OwnerPeriod bad_owner = later;
  bad_owner.from = *core::ParseDay("2028-01-01");
  bad_owner.owner_org_id = 9999;
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference", store().Write([&](Tx& tx) { return tx.InsertOwnerPeriod(bad_owner); }));
  domain::OwnerPeriod bad_matter = later;
  bad_matter.matter_id = 9999;
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference", store().Write([&](Tx& tx) { return tx.InsertOwnerPeriod(bad_matter); }));

  auto ps = InRead<std::vector<domain::OwnerPeriod>>(store(), [&](Tx& tx) { return tx.ListOwnerPeriods(m.id); });
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(*ps, (std::vector<domain::OwnerPeriod>{first, later, cited_without_doc}));
  ps = InRead<std::vector<domain::OwnerPeriod>>(store(), [&](Tx& tx) { return tx.ListOwnerPeriods(other.id); });
  EXPECT_EQ(*ps, (std::vector<domain::OwnerPeriod>{elsewhere}));
}

TEST_P(StoreContractTest, FilesAreContentAddressedWithOneRefPerUpload) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id org2 = MustInsertOrg(store(), MakeOrg("liuzu", OrgKind::kTownship));
  domain::Id user = InWrite<domain::Id>(store(), [&](Tx& tx) {
                      return tx.InsertUser(MakeUser("xincheng.officer", org, RoleSet{Role::kOfficer}));
                    }).value();
  FileBlob f;
  f.sha256 = std::string(64, 'a');
  f.size = 6;
  f.content_type = "application/pdf";
  f.created_at = T();
  f.bytes = std::string("%PDF\0\xff", 6);  // binary, with a NUL
  auto first = InWrite<bool>(store(), [&](Tx& tx) { return tx.InsertFileBlob(f); });
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto again = InWrite<bool>(store(), [&](Tx& tx) { return tx.InsertFileBlob(f); });
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  auto got = InRead<FileBlob>(store(), [&](Tx& tx) { return tx.GetFileBlob(f.sha256, true); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->bytes, f.bytes);
  EXPECT_EQ(got->size, 6);
  EXPECT_EQ(got->content_type, "application/pdf");
  EXPECT_EQ(got->created_at, T());
  got = InRead<FileBlob>(store(), [&](Tx& tx) { return tx.GetFileBlob(f.sha256, false); });
  EXPECT_TRUE(got->bytes.empty());
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<FileBlob>(store(), [&](Tx& tx) { return tx.GetFileBlob(std::string(64, 'b'), false); }));

  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertFileRef({f.sha256, org2, "b.pdf", user, T(2)}); }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertFileRef({f.sha256, org, "a.pdf", user, T(1)}); }));
  XT_EXPECT_ERROR(Code::kInvalidArgument, "reference",
                  store().Write([&](Tx& tx) { return tx.InsertFileRef({std::string(64, 'c'), org, "x", user, T()}); }));
  auto refs = InRead<std::vector<FileRef>>(store(), [&](Tx& tx) { return tx.ListFileRefs(f.sha256); });
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 2u);
  EXPECT_EQ((*refs)[0].name, "a.pdf");  // by uploaded_at
  EXPECT_EQ((*refs)[0].org_id, org);
  EXPECT_EQ((*refs)[0].uploaded_by, user);
  EXPECT_EQ((*refs)[1].org_id, org2);
}

TEST_P(StoreContractTest, IdempotencyKeysReserveCompleteDeleteAndPurge) {
  IdempotencyRecord r;
  r.user_id = 7;  // not a foreign key: keys outlive nothing and reference nothing
  r.key = "key-1";
  r.method = "POST";
  r.route = "/api/v1/referrals";
  r.request_hash = std::string(64, '0');
  r.created_at = T();
  auto reserved = InWrite<bool>(store(), [&](Tx& tx) { return tx.ReserveIdempotencyKey(r); });
  ASSERT_TRUE(reserved.ok());
  EXPECT_TRUE(*reserved);
  IdempotencyRecord dup = r;
  dup.request_hash = std::string(64, '1');
  reserved = InWrite<bool>(store(), [&](Tx& tx) { return tx.ReserveIdempotencyKey(dup); });
  ASSERT_TRUE(reserved.ok());
  EXPECT_FALSE(*reserved);  // the first reservation stands
  auto got = InRead<std::optional<IdempotencyRecord>>(store(), [&](Tx& tx) { return tx.GetIdempotencyKey(7, "key-1"); });
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->status, 0);
  EXPECT_EQ((*got)->request_hash, std::string(64, '0'));
  EXPECT_EQ((*got)->method, "POST");
  EXPECT_EQ((*got)->route, "/api/v1/referrals");

  IdempotencyRecord done = r;
  done.status = 201;
  done.content_type = "application/json; charset=utf-8";
  done.body = "{\"id\":1}";
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.CompleteIdempotencyKey(done); }));
  got = InRead<std::optional<IdempotencyRecord>>(store(), [&](Tx& tx) { return tx.GetIdempotencyKey(7, "key-1"); });
  EXPECT_EQ((*got)->status, 201);
  EXPECT_EQ((*got)->body, "{\"id\":1}");
  EXPECT_EQ((*got)->content_type, "application/json; charset=utf-8");
  EXPECT_EQ((*got)->created_at, T());
  IdempotencyRecord ghost = done;
  ghost.key = "nope";
  XT_EXPECT_ERROR(Code::kNotFound, "", store().Write([&](Tx& tx) { return tx.CompleteIdempotencyKey(ghost); }));
  got = InRead<std::optional<IdempotencyRecord>>(store(), [&](Tx& tx) { return tx.GetIdempotencyKey(8, "key-1"); });
  EXPECT_FALSE(got->has_value());  // per user

  IdempotencyRecord later = r;
  later.key = "key-2";
  later.created_at = T(25 * kHour);
  XT_ASSERT_OK(InWrite<bool>(store(), [&](Tx& tx) { return tx.ReserveIdempotencyKey(later); }));
  auto purged = InWrite<int64_t>(store(), [&](Tx& tx) { return tx.PurgeIdempotencyKeys(T(kHour)); });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.DeleteIdempotencyKey(7, "key-2"); }));
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.DeleteIdempotencyKey(7, "key-2"); }));  // ok when missing
  got = InRead<std::optional<IdempotencyRecord>>(store(), [&](Tx& tx) { return tx.GetIdempotencyKey(7, "key-2"); });
  EXPECT_FALSE(got->has_value());
}


// ---------------- Collaborations (v4) ----------------

TEST_P(StoreContractTest, CollaborationsRoundTripFilterAndDocuments) {
  ReferralWorld w = MakeReferralWorld(store());
  domain::Collaboration c;
  c.kind = domain::CollabKind::kTechnicalAppraisal;
  c.from_org_id = w.town;
  c.to_org_id = w.dept;
  c.title = "关于砂场开采量的技术鉴定";
  c.questions = "请鉴定开采量";
  c.case_ref = "新城执立〔2026〕12号";
  c.materials = {{"现场照片", "5张", domain::CollabFile{w.file, "照片.pdf", 3, "application/pdf"}},
                 {"询问笔录", "", std::nullopt}};
  c.urgent = true;
  c.created_by = w.user;
  c.created_at = T(1000);
  c.updated_at = T(1000);
  auto id = InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertCollaboration(c); });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  c.id = *id;
  XT_ASSERT_OK_AND_ASSIGN(domain::Collaboration got, InRead<domain::Collaboration>(store(), [&](Tx& tx) {
                            return tx.GetCollaboration(c.id);
                          }));
  EXPECT_EQ(got, c);

  // Every optional part set: number, rounds with an answer, extensions, dispatch.
  c.state = domain::CollabState::kAnswered;
  c.number = "新城执协〔2026〕1号";
  c.evidence_at_risk = true;
  c.complex = true;
  c.submitted_at = T(1);
  c.sent_at = T(2);
  c.received_at = T(3);
  c.answered_at = T(4);
  c.closed_at = T(5);
  c.withdraw_reason = "w";
  c.return_reason = "r";
  domain::CollabAnswer a{"超范围", "经鉴定…", domain::CollabFile{w.file, "报告.pdf", 3, "application/pdf"},
                         w.user, T(6), T(7), w.user, std::nullopt};
  c.rounds = {{1, "请鉴定开采量", T(2), std::nullopt, a}, {2, "追问", T(8), std::nullopt, std::nullopt}};
  c.extensions = {{"需送检", T(9), T(10), w.user, w.user, T(11)}};
  c.dispatch = domain::CollabDispatch{{"张三", "李四"}, T(12), T(13), "已到场"};
  c.materials.pop_back();
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.UpdateCollaboration(c); }));
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<domain::Collaboration>(store(), [&](Tx& tx) {
                            return tx.GetCollaboration(c.id);
                          }));
  EXPECT_EQ(got, c);

  // Filters: visibility, direction, state, kind, text; and file lookup.
  domain::Collaboration draft = c;
  draft.id = 0;
  draft.state = domain::CollabState::kDraft;
  draft.sent_at.reset();
  draft.number.reset();
  draft.title = "草稿";
  draft.questions = "问题";
  draft.case_ref = "案";
  draft.materials.clear();
  draft.rounds.clear();
  draft.created_at = T(2000);
  auto id2 = InWrite<domain::Id>(store(), [&](Tx& tx) { return tx.InsertCollaboration(draft); });
  ASSERT_TRUE(id2.ok());
  auto ids = [&](const CollaborationFilter& f) {
    std::vector<domain::Id> out;
    auto rows = InRead<std::vector<domain::Collaboration>>(store(), [&](Tx& tx) { return tx.ListCollaborations(f); });
    EXPECT_TRUE(rows.ok());
    if (rows.ok()) {
      for (const auto& r : *rows) out.push_back(r.id);
    }
    auto n = InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountCollaborations(f); });
    EXPECT_TRUE(n.ok());
    if (n.ok()) {
      EXPECT_EQ(*n, static_cast<int64_t>(out.size()));
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<domain::Id>{*id2, c.id}));  // newest first
  CollaborationFilter f;
  f.visible_to_org_id = w.dept;
  EXPECT_EQ(ids(f), (std::vector<domain::Id>{c.id}));  // drafts stay with the sender
  f = {};
  f.to_org_id = w.dept;
  EXPECT_EQ(ids(f), (std::vector<domain::Id>{c.id}));
  f = {};
  f.states = {domain::CollabState::kDraft};
  EXPECT_EQ(ids(f), (std::vector<domain::Id>{*id2}));
  f = {};
  f.kind = domain::CollabKind::kDetermination;
  EXPECT_TRUE(ids(f).empty());
  f = {};
  f.text = "开采";
  EXPECT_EQ(ids(f), (std::vector<domain::Id>{c.id}));
  f.text = "协〔2026〕1";
  EXPECT_EQ(ids(f), (std::vector<domain::Id>{c.id}));
  auto with_file = InRead<std::vector<domain::Id>>(store(), [&](Tx& tx) { return tx.CollaborationsWithFile(w.file); });
  ASSERT_TRUE(with_file.ok());
  EXPECT_EQ(*with_file, (std::vector<domain::Id>{c.id}));

  // Documents are linked to the collaboration.
  domain::Document d;
  d.kind = domain::DocKind::kCollaborationLetter;
  d.number = "新城执协〔2026〕1号";
  d.org_id = w.town;
  d.year = 2026;
  d.serial = 1;
  d.title = "执法协作文书";
  d.snapshot = "{}";
  d.created_at = T();
  auto doc = InWrite<domain::Id>(store(), [&](Tx& tx) -> core::Result<domain::Id> {
    XT_ASSIGN_OR_RETURN(domain::Id did, tx.InsertDocument(d));
    XT_RETURN_IF_ERROR(tx.LinkCollaborationDocument(c.id, did));
    return did;
  });
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  auto docs = InRead<std::vector<domain::Document>>(store(), [&](Tx& tx) { return tx.ListCollaborationDocuments(c.id); });
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].number, d.number);
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<domain::Collaboration>(store(), [&](Tx& tx) {
                    return tx.GetCollaboration(99999);
                  }).status());
}

// ---------------- Joined and batched reads (the request path) ----------------

TEST_P(StoreContractTest, GetOrgsAndUsersByIdsAscendingWithoutMissingOrDuplicates) {
  std::vector<Org> orgs;
  for (int i = 0; i < 70; ++i) {  // more than one statement's worth of ids on SQLite
    Org o = MakeOrg("org" + std::to_string(i), OrgKind::kTownship);
    o.id = MustInsertOrg(store(), o);
    orgs.push_back(o);
  }
  std::vector<User> users;
  for (int i = 0; i < 3; ++i) {
    User u = MakeUser("user." + std::to_string(i), orgs[i].id, RoleSet{Role::kOfficer},
                      "用户" + std::to_string(i));
    u.id = MustInsertUser(store(), u);
    users.push_back(u);
  }
  const domain::Id missing = 987654;

  XT_ASSERT_OK_AND_ASSIGN(auto got, InRead<std::vector<Org>>(store(), [&](Tx& tx) {
                            return tx.GetOrgsByIds({orgs[2].id, missing, orgs[0].id, orgs[2].id});
                          }));
  ASSERT_EQ(got.size(), 2u);
  ExpectOrgEq(got[0], orgs[0]);
  ExpectOrgEq(got[1], orgs[2]);
  EXPECT_EQ(got[1].doc_prefix, orgs[2].doc_prefix);
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<std::vector<Org>>(store(), [&](Tx& tx) {
                            return tx.GetOrgsByIds({});
                          }));
  EXPECT_TRUE(got.empty());
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<std::vector<Org>>(store(), [&](Tx& tx) {
                            return tx.GetOrgsByIds({missing});
                          }));
  EXPECT_TRUE(got.empty());
  // Every one of many ids, in reverse order with a duplicate: all, ascending.
  std::vector<domain::Id> all_ids;
  for (auto it = orgs.rbegin(); it != orgs.rend(); ++it) all_ids.push_back(it->id);
  all_ids.push_back(orgs[33].id);
  XT_ASSERT_OK_AND_ASSIGN(got, InRead<std::vector<Org>>(store(), [&](Tx& tx) {
                            return tx.GetOrgsByIds(all_ids);
                          }));
  ASSERT_EQ(got.size(), orgs.size());
  for (size_t i = 0; i < orgs.size(); ++i) ExpectOrgEq(got[i], orgs[i]);
  // The same inside a write transaction.
  XT_ASSERT_OK_AND_ASSIGN(got, InWrite<std::vector<Org>>(store(), [&](Tx& tx) {
                            return tx.GetOrgsByIds({orgs[1].id, orgs[0].id});
                          }));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, orgs[0].id);
  EXPECT_EQ(got[1].id, orgs[1].id);

  XT_ASSERT_OK_AND_ASSIGN(auto found, InRead<std::vector<User>>(store(), [&](Tx& tx) {
                            return tx.GetUsersByIds({users[2].id, missing, users[0].id, users[2].id});
                          }));
  ASSERT_EQ(found.size(), 2u);
  ExpectUserEq(found[0], users[0]);
  ExpectUserEq(found[1], users[2]);
  XT_ASSERT_OK_AND_ASSIGN(found, InRead<std::vector<User>>(store(), [&](Tx& tx) {
                            return tx.GetUsersByIds({});
                          }));
  EXPECT_TRUE(found.empty());
  XT_ASSERT_OK_AND_ASSIGN(found, InWrite<std::vector<User>>(store(), [&](Tx& tx) {
                            return tx.GetUsersByIds({users[1].id});
                          }));
  ASSERT_EQ(found.size(), 1u);
  ExpectUserEq(found[0], users[1]);
}

TEST_P(StoreContractTest, SessionAndTokenPrincipalsJoinUserOrgAndUnit) {
  Org town = MakeOrg("xincheng", OrgKind::kTownship);
  town.doc_prefix = "新城";
  town.id = MustInsertOrg(store(), town);
  Org unit = MakeOrg("xincheng-zd", OrgKind::kUnit, town.id);
  unit.id = MustInsertOrg(store(), unit);
  Org dept = MakeOrg("scjg", OrgKind::kCountyDepartment);
  dept.id = MustInsertOrg(store(), dept);
  User with_unit = MakeUser("xincheng.officer", town.id, RoleSet{Role::kOfficer}, "张三");
  with_unit.unit_id = unit.id;
  with_unit.locked_until = T(kHour);
  with_unit.id = MustInsertUser(store(), with_unit);
  User plain = MakeUser("scjg.leader", dept.id, RoleSet{Role::kLeader}, "李四");
  plain.disabled = true;  // returned as it is: disabled users are the caller's to refuse
  plain.id = MustInsertUser(store(), plain);

  Session s1;
  s1.token_hash = std::string(64, 'a');
  s1.user_id = with_unit.id;
  s1.csrf_token = "csrf-1";
  s1.created_at = T();
  s1.expires_at = T(8 * kHour);
  s1.last_seen_at = T(5);
  Session s2 = s1;
  s2.token_hash = std::string(64, 'b');
  s2.user_id = plain.id;
  s2.csrf_token = "csrf-2";
  s2.expires_at = T(-kHour);  // expired: still returned
  for (const Session& s : {s1, s2}) {
    XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertSession(s); }));
  }
  ApiToken t1;
  t1.user_id = with_unit.id;
  t1.name = "对接系统";
  t1.token_hash = std::string(64, '1');
  t1.created_at = T();
  t1.last_used_at = T(2 * kHour);
  ApiToken t2 = t1;
  t2.user_id = plain.id;
  t2.name = "revoked";
  t2.token_hash = std::string(64, '2');
  t2.last_used_at = std::nullopt;
  for (ApiToken* t : {&t1, &t2}) {
    XT_ASSERT_OK_AND_ASSIGN(t->id, InWrite<domain::Id>(store(), [&](Tx& tx) {
                              return tx.InsertApiToken(*t);
                            }));
  }
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.RevokeApiToken(t2.id, T(kHour)); }));
  t2.revoked_at = T(kHour);

  // Read and write transactions give the same answers.
  for (bool write : {false, true}) {
    SCOPED_TRACE(write ? "write" : "read");
    auto run = [&](auto fn) {
      using V = std::decay_t<decltype(fn(std::declval<Tx&>()).value())>;
      return write ? InWrite<V>(store(), fn) : InRead<V>(store(), fn);
    };
    XT_ASSERT_OK_AND_ASSIGN(SessionPrincipal sp, run([&](Tx& tx) {
                              return tx.GetSessionPrincipal(s1.token_hash);
                            }));
    EXPECT_EQ(sp.session.token_hash, s1.token_hash);
    EXPECT_EQ(sp.session.user_id, s1.user_id);
    EXPECT_EQ(sp.session.csrf_token, s1.csrf_token);
    EXPECT_EQ(sp.session.created_at, s1.created_at);
    EXPECT_EQ(sp.session.expires_at, s1.expires_at);
    EXPECT_EQ(sp.session.last_seen_at, s1.last_seen_at);
    ExpectUserEq(sp.user, with_unit);
    ExpectOrgEq(sp.org, town);
    EXPECT_EQ(sp.org.doc_prefix, "新城");
    ASSERT_TRUE(sp.unit.has_value());
    ExpectOrgEq(*sp.unit, unit);

    XT_ASSERT_OK_AND_ASSIGN(sp, run([&](Tx& tx) { return tx.GetSessionPrincipal(s2.token_hash); }));
    EXPECT_EQ(sp.session.expires_at, s2.expires_at);
    ExpectUserEq(sp.user, plain);
    EXPECT_TRUE(sp.user.disabled);
    ExpectOrgEq(sp.org, dept);
    EXPECT_FALSE(sp.unit.has_value());

    XT_ASSERT_OK_AND_ASSIGN(TokenPrincipal tp, run([&](Tx& tx) {
                              return tx.GetTokenPrincipal(t1.token_hash);
                            }));
    EXPECT_EQ(tp.token.id, t1.id);
    EXPECT_EQ(tp.token.user_id, t1.user_id);
    EXPECT_EQ(tp.token.name, t1.name);
    EXPECT_EQ(tp.token.token_hash, t1.token_hash);
    EXPECT_EQ(tp.token.created_at, t1.created_at);
    EXPECT_EQ(tp.token.revoked_at, std::nullopt);
    EXPECT_EQ(tp.token.last_used_at, t1.last_used_at);
    ExpectUserEq(tp.user, with_unit);
    ExpectOrgEq(tp.org, town);
    ASSERT_TRUE(tp.unit.has_value());
    ExpectOrgEq(*tp.unit, unit);

    XT_ASSERT_OK_AND_ASSIGN(tp, run([&](Tx& tx) { return tx.GetTokenPrincipal(t2.token_hash); }));
    EXPECT_EQ(tp.token.id, t2.id);
    EXPECT_EQ(tp.token.revoked_at, t2.revoked_at);  // revoked: still returned
    EXPECT_EQ(tp.token.last_used_at, std::nullopt);
    ExpectUserEq(tp.user, plain);
    ExpectOrgEq(tp.org, dept);
    EXPECT_FALSE(tp.unit.has_value());

    XT_EXPECT_ERROR(Code::kNotFound, "", run([&](Tx& tx) {
                      return tx.GetSessionPrincipal(std::string(64, 'z'));
                    }));
    XT_EXPECT_ERROR(Code::kNotFound, "", run([&](Tx& tx) {
                      return tx.GetTokenPrincipal(std::string(64, 'z'));
                    }));
    // A session token is not an API token and vice versa.
    XT_EXPECT_ERROR(Code::kNotFound, "", run([&](Tx& tx) {
                      return tx.GetTokenPrincipal(s1.token_hash);
                    }));
    XT_EXPECT_ERROR(Code::kNotFound, "", run([&](Tx& tx) {
                      return tx.GetSessionPrincipal(t1.token_hash);
                    }));
  }

  // Deleted sessions are gone from the join too.
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.DeleteSession(s1.token_hash); }));
  XT_EXPECT_ERROR(Code::kNotFound, "", InRead<SessionPrincipal>(store(), [&](Tx& tx) {
                    return tx.GetSessionPrincipal(s1.token_hash);
                  }));
}

// ---------------- Delivery outbox (issue 18) ----------------

TEST_P(StoreContractTest, NotificationsQueueDeliveriesPerClassAndClaimsLease) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("xincheng", OrgKind::kTownship));
  domain::Id u1 = MustInsertUser(store(), MakeUser("user.one", org, RoleSet{Role::kOfficer}));
  domain::Id u2 = MustInsertUser(store(), MakeUser("user.two", org, RoleSet{Role::kOfficer}));
  // u1: email and mobile, urgent by SMS only, routine by email and SMS; u2 has no row at all.
  domain::UserContact c;
  c.user_id = u1;
  c.email = "one@county.example";
  c.mobile = "13900000001";
  c.urgent_channels = static_cast<int>(domain::Channel::kSms);
  c.routine_channels = domain::kAllChannels;
  c.updated_at = T(0);
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.PutUserContact(c); }));
  auto got = InRead<std::optional<domain::UserContact>>(store(), [&](Tx& tx) { return tx.GetUserContact(u1); });
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->mobile, "13900000001");
  EXPECT_EQ((*got)->routine_channels, 3);
  auto none = InRead<std::optional<domain::UserContact>>(store(), [&](Tx& tx) { return tx.GetUserContact(u2); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  Notification routine = MakeNotification(u1, "routine:1", 1);  // duty.yellow
  Notification red = MakeNotification(u1, "red:1", 2);
  red.kind = "duty.red";
  Notification hours = MakeNotification(u1, "hours:1", 3);  // yellow of a 24-hour duty
  hours.urgent = true;
  Notification other = MakeNotification(u2, "routine:1", 4);
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(tx.InsertNotification(routine).status());
    return tx.InsertNotifications({red, hours, other}).status();
  }));
  // Inserting the same notification again queues nothing more.
  XT_ASSERT_OK(store().Write([&](Tx& tx) { return tx.InsertNotification(routine).status(); }));
  auto all = InRead<std::vector<domain::Delivery>>(store(), [&](Tx& tx) { return tx.ListDeliveries(-1, 0, 100); });
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  int email = 0, sms = 0;
  for (const auto& d : *all) {
    EXPECT_EQ(d.username, "user.one");
    EXPECT_EQ(d.state, domain::DeliveryState::kPending);
    (d.channel == domain::Channel::kEmail ? email : sms) += 1;
    if (d.channel == domain::Channel::kEmail) {
      EXPECT_EQ(d.address, "one@county.example");
      EXPECT_EQ(d.note.kind, "duty.yellow");  // only the routine one goes by email
    }
  }
  EXPECT_EQ(email, 1);
  EXPECT_EQ(sms, 3);  // routine, red, 24-hour

  // Claiming: due ones only, leased to one owner; a second claimer gets none until the lease ends.
  auto claim = [&](int64_t now_ms, const std::string& owner) {
    auto r = InWrite<std::vector<domain::Delivery>>(store(), [&](Tx& tx) {
      return tx.ClaimDeliveries(T(now_ms), T(now_ms + 10000), owner, 10);  // a 10 s lease
    });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<domain::Delivery>{};
  };
  EXPECT_EQ(claim(0, "a").size(), 0u);  // created at T(1..3): not due at T(0)
  auto mine = claim(10, "a");
  EXPECT_EQ(mine.size(), 4u);
  EXPECT_EQ(claim(20, "b").size(), 0u);  // leased to a
  // b cannot finish a's rows; a records a success and a retry.
  domain::Delivery ok = mine[0];
  ok.state = domain::DeliveryState::kSent;
  ok.attempts = 1;
  ok.sent_at = T(30);
  auto stolen = InWrite<bool>(store(), [&](Tx& tx) { return tx.FinishDelivery(ok, "b"); });
  ASSERT_TRUE(stolen.ok());
  EXPECT_FALSE(*stolen);
  auto done = InWrite<bool>(store(), [&](Tx& tx) { return tx.FinishDelivery(ok, "a"); });
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(*done);
  domain::Delivery retry = mine[1];
  retry.attempts = 1;
  retry.last_error = "smtp: connection refused";
  retry.next_at = T(15000);
  XT_ASSERT_OK(InWrite<bool>(store(), [&](Tx& tx) { return tx.FinishDelivery(retry, "a"); }).status());
  // After a's lease ran out (T(10010)), the two unfinished rows go to b; the retry waits its turn
  // (T(15000)) and then goes to c while b still holds its two (until T(21000)).
  auto b = claim(11000, "b");
  EXPECT_EQ(b.size(), 2u);
  auto later = claim(20000, "c");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].id, retry.id);
  EXPECT_EQ(later[0].attempts, 1);
  EXPECT_EQ(later[0].last_error, "smtp: connection refused");
  auto counts = InRead<int64_t>(store(), [&](Tx& tx) { return tx.CountDeliveries(1); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, 1);
}

// ---------------- Assessment (R-ASM-1, v13) ----------------

TEST_P(StoreContractTest, AssessmentSchemesVersionAndResultsNeverRepeatAPeriod) {
  domain::Id org = MustInsertOrg(store(), MakeOrg("coordinator", OrgKind::kCoordinator));
  domain::Id u = MustInsertUser(store(), MakeUser("coordinator.staff", org, RoleSet{Role::kCoordinatorStaff}));
  auto latest = InRead<std::optional<AssessmentSchemeRow>>(store(), [&](Tx& tx) { return tx.LatestAssessmentScheme(2026); });
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());
  domain::Id s1 = 0, s2 = 0;
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(s1, tx.InsertAssessmentScheme({0, 2026, 1, R"({"indicators":[]})", T(0), u}));
    XT_ASSIGN_OR_RETURN(s2, tx.InsertAssessmentScheme({0, 2026, 2, R"({"indicators":[1]})", T(1), u}));
    return core::Status::Ok();
  }));
  // (year, version) is unique: a second version 2 is refused and the transaction rolls back.
  auto dup = store().Write([&](Tx& tx) { return tx.InsertAssessmentScheme({0, 2026, 2, "{}", T(2), u}).status(); });
  EXPECT_EQ(dup.code(), core::Code::kAlreadyExists);
  latest = InRead<std::optional<AssessmentSchemeRow>>(store(), [&](Tx& tx) { return tx.LatestAssessmentScheme(2026); });
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->id, s2);
  EXPECT_EQ((*latest)->version, 2);
  EXPECT_EQ((*latest)->data, R"({"indicators":[1]})");
  EXPECT_EQ((*latest)->created_at, T(1));
  auto first = InRead<std::optional<AssessmentSchemeRow>>(store(), [&](Tx& tx) { return tx.GetAssessmentScheme(s1); });
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->version, 1);

  domain::Id r1 = 0;
  XT_ASSERT_OK(store().Write([&](Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(r1, tx.InsertAssessmentResult({0, "2026-11", "2026-11-01", "2026-11-30", s2, R"({"orgs":[]})", T(3), u}));
    return core::Status::Ok();
  }));
  auto again = store().Write([&](Tx& tx) {
    return tx.InsertAssessmentResult({0, "2026-11", "2026-11-01", "2026-11-30", s1, "{}", T(4), u}).status();
  });
  EXPECT_EQ(again.code(), core::Code::kAlreadyExists);
  EXPECT_EQ(again.field(), "period");
  auto got = InRead<std::optional<AssessmentResultRow>>(store(), [&](Tx& tx) { return tx.GetAssessmentResult(r1); });
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->scheme_id, s2);
  EXPECT_EQ((*got)->data, R"({"orgs":[]})");
  EXPECT_EQ((*got)->to, "2026-11-30");
  auto list = InRead<std::vector<AssessmentResultRow>>(store(), [&](Tx& tx) { return tx.ListAssessmentResults(); });
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].period, "2026-11");
  EXPECT_EQ((*list)[0].data, "");
  auto missing = InRead<std::optional<AssessmentResultRow>>(store(), [&](Tx& tx) { return tx.GetAssessmentResult(r1 + 100); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

}  // namespace
}  // namespace xietong::storage::testing
