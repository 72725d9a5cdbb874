// Test helpers for service tests: a real SQLite store in a fresh temp directory, a fake clock,
// and a small org/user fixture. Test-only (not compiled into the library: header only).
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "core/clock.h"
#include "service/auth_service.h"
#include "service/duty_service.h"
#include "service/org_service.h"
#include "storage/sqlite/sqlite_store.h"

namespace xietong::service::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("xt-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// `faults`: SqliteOptions::fault_countdown (null: none).
inline std::unique_ptr<storage::Store> OpenTestStore(
    const TempDir& dir, std::shared_ptr<std::atomic<int64_t>> faults = nullptr) {
  storage::SqliteOptions o;
  o.path = (dir.path() / "xt.db").string();
  o.synchronous_full = false;
  o.fault_countdown = std::move(faults);
  auto s = storage::OpenSqliteStore(o);
  if (!s.ok()) throw std::runtime_error(s.status().ToString());
  return std::move(s).value();
}

// Cheap Argon2id parameters so tests stay fast (the minimum libsodium accepts).
inline AuthOptions FastAuth() {
  AuthOptions o;
  o.pwhash_opslimit = 1;
  o.pwhash_memlimit = 8192;
  return o;
}

// Two townships, a department with a unit, the coordinator; an admin and some users.
struct Fixture {
  TempDir dir;
  // Fault injection on the writer (SqliteOptions::fault_countdown): positive = armed.
  std::shared_ptr<std::atomic<int64_t>> faults = std::make_shared<std::atomic<int64_t>>(0);
  std::unique_ptr<storage::Store> store = OpenTestStore(dir, faults);
  core::FakeClock clock{*core::ParseInstant("2026-11-23T09:00:00+08:00")};
  AuthService auth{*store, clock, FastAuth()};
  OrgService orgs{*store, clock, auth};
  domain::Org coordinator, xincheng, liuzu, scjg, scjg_unit;
  Principal admin, xincheng_officer, liuzu_officer, coord_staff;

  static constexpr const char* kPassword = "Passw0rd2026";

  Fixture() {
    coordinator = Must(orgs.CreateOrg(nullptr, {"coordinator", "县委依法治县办", "依法治县办",
                                                domain::OrgKind::kCoordinator, std::nullopt}));
    xincheng = Must(orgs.CreateOrg(nullptr, {"xincheng", "新城镇综合行政执法办公室", "新城镇",
                                             domain::OrgKind::kTownship, std::nullopt}));
    liuzu = Must(orgs.CreateOrg(nullptr, {"liuzu", "六祖镇综合行政执法办公室", "六祖镇",
                                          domain::OrgKind::kTownship, std::nullopt}));
    scjg = Must(orgs.CreateOrg(nullptr, {"scjg", "新兴县市场监督管理局", "县市场监管局",
                                         domain::OrgKind::kCountyDepartment, std::nullopt}));
    scjg_unit = Must(orgs.CreateOrg(nullptr, {"scjg-xincheng", "新城市场监督管理所", "新城所",
                                              domain::OrgKind::kUnit, scjg.id}));
    admin = AddUser("admin", coordinator, {domain::Role::kAdmin});
    coord_staff = AddUser("coordinator.staff", coordinator, {domain::Role::kCoordinatorStaff});
    xincheng_officer = AddUser("xincheng.officer", xincheng, {domain::Role::kOfficer});
    AddUser("xincheng.leader", xincheng, {domain::Role::kLeader});
    AddUser("xincheng.liaison", xincheng, {domain::Role::kLiaison, domain::Role::kOfficer});
    liuzu_officer = AddUser("liuzu.officer", liuzu, {domain::Role::kOfficer});
    AddUser("liuzu.leader", liuzu, {domain::Role::kLeader});
  }

  Principal AddUser(const std::string& username, const domain::Org& org,
                    std::initializer_list<domain::Role> roles) {
    UserInput in;
    in.username = username;
    in.display_name = "测试" + username.substr(0, 4);
    in.org_id = org.id;
    in.roles = domain::RoleSet(roles);
    in.password = kPassword;
    auto u = Must(orgs.CreateUser(nullptr, in));
    return Must(auth.PrincipalOf(u.id));
  }

  template <typename T>
  static T Must(core::Result<T> r) {
    if (!r.ok()) throw std::runtime_error(r.status().ToString());
    return std::move(r).value();
  }
};

// Opens a duty as a workflow does (in its own transaction, CreateInTx): POST /api/v1/duties
// (DutyService::Create) refuses the kinds that end by their workflow.
inline core::Result<DutyDetail> OpenAsWorkflow(storage::Store& store, DutyService& duties,
                                               const Principal& p, const DutyInput& in,
                                               core::Instant now) {
  domain::Duty d;
  XT_RETURN_IF_ERROR(store.Write([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(d, duties.CreateInTx(tx, &p, in, now));
    return core::Status::Ok();
  }));
  return duties.Get(p, d.id);
}

}  // namespace xietong::service::testing
