// bench/datagen: fills an empty SQLite database with a province-sized history
// for the load benchmarks (bench/run.sh, bench/README.md).
//
// What it writes, at --scale 1.0 (every count scales, except the province
// itself):
//  - the province as a region tree (R-ACC-2, issue 19): 广东省 440000 → its 21
//    cities (real GB/T 2260 codes and names) → 120 counties (6 per city, 5 for
//    the last six; 云浮市's real five: 云城区 445302 … 罗定市 445381, the others
//    generated: xxxx02/03 districts, xxxx21..23 counties, xxxx81 a county-level
//    city) → 16 townships each (12-digit 统计用区划代码 <county>1tt000);
//  - per county a coordinator office (依法治县办, staff and leader), 11 county
//    departments and 16 township offices (1,920 townships), each placed in its
//    region; per city a 依法治市办 (staff and leader); the province office
//    (依法治省办, org "coord", region 440000: its staff oversee everything) and
//    the government; three users per department and township (officer,
//    leader, liaison; one Argon2id hash computed once and reused), an auditor,
//    an admin;
//  - 8 matters per county (half delegated to the county's townships since
//  2018-01-01, R-JUR-2);
//  - 1,000,000 referrals and collaboration requests (9:1) created 2018-01-02 ..
//  the generation
//    day, in states that fit their age (most closed), with their duties
//    (R-REF-4/6, R-COL-2), numbered documents (R-DOC-1), notifications and
//    audit entries (R-AUD-1);
//  - --open-duties open duties (default 1,000,000 × scale) for the sweeper
//  measurement: the
//    sweeper run at `bench.sweep_t0` (job_state) changes nothing, and each of
//    the `bench.sweep_runs` runs at t0 + k minutes turns exactly
//    `bench.sweep_changes` of them yellow (bench/sweep_bench.cc);
//  - API tokens for the bench users, printed to --tokens FILE as `username
//  token` lines.
//
// Everything goes through the storage contract (storage::Tx: the SQLite
// backend's own, with its cached prepared statements, via BulkLoadSqlite) on a database the
// real migrations created: the rows are what the services would have written
// and the audit chain is valid (Tx::AppendAudit computes it). For speed the
// load runs as ONE transaction on a connection with journal_mode=OFF and
// synchronous=OFF (a crash mid-load leaves a file to delete, nothing else); WAL
// is restored at the end (storage/sqlite/bulk_load.h). PostgreSQL gets the same data with `xietong
// migrate-data --from sqlite:… --to postgres://…` (COPY through PQputCopyData,
// one transaction).
//
//   bench/datagen --db sqlite:var/bench/s1.db --scale 1.0 --seed 1 --tokens
//   var/bench/s1.tokens
#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "calendar/builtin_schedules.h"
#include "calendar/calendar.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/audit.h"
#include "domain/collaboration.h"
#include "domain/doc_number.h"
#include "domain/duty.h"
#include "domain/matter.h"
#include "domain/notification.h"
#include "domain/org.h"
#include "domain/referral.h"
#include "domain/region.h"
#include "storage/sqlite/bulk_load.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace xietong::bench {
namespace {

using core::Instant;
using core::Result;
using core::Status;
using domain::Id;
using namespace std::chrono_literals;
namespace json = boost::json;

struct Options {
  std::string db;
  double scale = 1.0;
  uint64_t seed = 1;
  int64_t open_duties = -1; // -1: 1,000,000 × scale
  int sweep_changes = 1000; // duties turning yellow per measured sweeper run
  int sweep_runs = 5;
  std::string tokens;
};

constexpr int kCities = 21;
constexpr int kCounties = 120; // 15 cities × 6 + 6 cities × 5
constexpr int kTownshipsPerCounty = 16;
constexpr int kMattersPerCounty = 8;
constexpr int kBatch = 5000; // items per write transaction

struct DeptDef {
  const char *code;
  const char *name;
  const char *short_name;
};
constexpr std::array<DeptDef, 11> kDepts = {{
    {"scjg", "市场监督管理局", "市场监管局"},
    {"sthj", "生态环境分局", "生态环境局"},
    {"zrzy", "自然资源局", "自然资源局"},
    {"zjj", "住房和城乡建设局", "住建局"},
    {"jtys", "交通运输局", "交通运输局"},
    {"nync", "农业农村局", "农业农村局"},
    {"wlj", "文化广电旅游体育局", "文广旅体局"},
    {"wjj", "卫生健康局", "卫健局"},
    {"yjj", "应急管理局", "应急管理局"},
    {"slj", "水务局", "水务局"},
    {"cgj", "城市管理和综合执法局", "城管局"},
}};
constexpr std::array<const char *, 8> kMatterNames = {
    "无证无照经营", "违法排放污染物", "非法占用耕地",     "违法建设",
    "超限超载运输", "违法使用农药",   "无证经营娱乐场所", "非法行医"};
constexpr std::array<const char *, 10> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"};

const std::string kCountyDigits[] = {"零", "一", "二", "三", "四",
                                     "五", "六", "七", "八", "九"};

// 广东省's 21 prefecture-level cities (GB/T 2260), in code order.
struct CityDef {
  const char *code, *name, *short_name;
};
constexpr std::array<CityDef, kCities> kCityDefs = {{
    {"440100", "广州市", "广州"}, {"440200", "韶关市", "韶关"}, {"440300", "深圳市", "深圳"},
    {"440400", "珠海市", "珠海"}, {"440500", "汕头市", "汕头"}, {"440600", "佛山市", "佛山"},
    {"440700", "江门市", "江门"}, {"440800", "湛江市", "湛江"}, {"440900", "茂名市", "茂名"},
    {"441200", "肇庆市", "肇庆"}, {"441300", "惠州市", "惠州"}, {"441400", "梅州市", "梅州"},
    {"441500", "汕尾市", "汕尾"}, {"441600", "河源市", "河源"}, {"441700", "阳江市", "阳江"},
    {"441800", "清远市", "清远"}, {"441900", "东莞市", "东莞"}, {"442000", "中山市", "中山"},
    {"445100", "潮州市", "潮州"}, {"445200", "揭阳市", "揭阳"}, {"445300", "云浮市", "云浮"},
}};
// The county slots of a city: two districts, up to three counties, a county-level city.
constexpr std::array<const char *, 6> kCountySuffix6 = {"02", "03", "21", "22", "23", "81"};
constexpr std::array<const char *, 5> kCountySuffix5 = {"02", "03", "21", "22", "81"};
constexpr std::array<const char *, 6> kCountyKind = {"甲区", "乙区", "甲县", "乙县", "丙县", "县级市"};

struct CountyDef {
  int city = 0;
  std::string code, name;
};
// The 120 counties, city by city; 云浮市 (the last) with its real names.
std::vector<CountyDef> CountyDefs() {
  std::vector<CountyDef> out;
  for (int ci = 0; ci < kCities; ++ci) {
    const CityDef &city = kCityDefs[static_cast<size_t>(ci)];
    const bool six = ci < 15;
    const int n = six ? 6 : 5;
    for (int k = 0; k < n; ++k) {
      const std::string suffix = six ? kCountySuffix6[static_cast<size_t>(k)]
                                     : kCountySuffix5[static_cast<size_t>(k)];
      const int kind = six ? k : (k < 4 ? k : 5);
      CountyDef d;
      d.city = ci;
      d.code = std::string(city.code).substr(0, 4) + suffix;
      d.name = std::string(city.short_name) + kCountyKind[static_cast<size_t>(kind)];
      out.push_back(std::move(d));
    }
  }
  const std::array<const char *, 5> yunfu = {"云城区", "云安区", "新兴县", "郁南县", "罗定市"};
  for (size_t k = 0; k < yunfu.size(); ++k) out[out.size() - yunfu.size() + k].name = yunfu[k];
  return out;
}
// A township's 12-digit 统计用区划代码: <county>1tt000.
std::string TownshipCode(const std::string &county, int t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03d", 100 + t);
  return county + buf + "000";
}
std::string Code(const char *fmt, int a, int b = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

struct OrgInfo {
  Id id = 0;
  std::string prefix, short_name, name;
  Id officer = 0, leader = 0, liaison = 0;
  std::string file_sha; // its uploaded evidence file
};

struct County {
  std::string region; // its GB/T 2260 code
  int city = 0;
  OrgInfo coord;      // 依法治县办
  Id coord_staff = 0;
  std::vector<OrgInfo> depts, towns;
  struct M {
    Id id;
    std::string code, name;
    int dept;
    bool delegated;
  };
  std::vector<M> matters;
};

struct World {
  OrgInfo coord, gov;
  Id coord_staff = 0, admin = 0, auditor = 0;
  std::vector<County> counties;
  std::vector<OrgInfo> cities; // 依法治市办, kCityDefs order
  std::vector<Id> city_staff;
};

struct Counts {
  int64_t referrals = 0, collaborations = 0, duties = 0, open_duties = 0,
          documents = 0, notifications = 0, audit = 0;
};

// Runs every Write/Read in the one open bulk-load transaction.
class BulkStore {
public:
  explicit BulkStore(storage::Tx &tx) : tx_(tx) {}
  Status Write(const std::function<Status(storage::Tx &)> &fn) {
    return fn(tx_);
  }

private:
  storage::Tx &tx_;
};

class Generator {
public:
  Generator(BulkStore &store, const calendar::Calendar &cal, Options o)
      : store_(store), cal_(cal), o_(std::move(o)), rng_(o_.seed) {}

  Status Run();
  const Counts &counts() const { return n_; }

private:
  Status Province();
  Status Items(int64_t total);
  Status Referral(storage::Tx &tx, Instant t0);
  Status Collab(storage::Tx &tx, Instant t0);
  Status OpenDuties(int64_t total);
  Status Tokens();

  Status Audit(storage::Tx &tx, Instant at, Id user, Id org,
               const std::string &action, const std::string &type, Id id,
               const std::string &summary, json::object detail) {
    domain::AuditEntry e;
    e.at = at;
    e.actor_user_id = user;
    e.actor_org_id = org;
    e.action = action;
    e.object_type = type;
    e.object_id = std::to_string(id);
    e.summary = summary;
    e.detail = json::serialize(detail);
    ++n_.audit;
    return tx.AppendAudit(std::move(e)).status();
  }
  Result<Id> Duty(storage::Tx &tx, const char *kind, Id owner, const char *type,
                  Id object, const std::string &title, Instant trigger, Id by,
                  std::optional<Instant> met_at, bool waived);
  Status Notify(storage::Tx &tx, Id user, const std::string &kind,
                const std::string &title, const char *type, Id object,
                Instant at) {
    domain::Notification n;
    n.user_id = user;
    n.kind = kind;
    n.title = title;
    n.body = title;
    n.object_type = type;
    n.object_id = std::to_string(object);
    n.dedupe_key = kind + ":" + std::to_string(object);
    n.created_at = at;
    if (now_ - at > std::chrono::hours(24 * 30))
      n.read_at = at + 3h;
    ++n_.notifications;
    return tx.InsertNotification(n).status();
  }
  Result<std::string> Number(storage::Tx &tx, const OrgInfo &org,
                             domain::DocKind kind, Instant at, Id referral,
                             const std::string &title, Id by) {
    const int year = static_cast<int>(
        std::chrono::year_month_day(core::ShanghaiDay(at)).year());
    XT_ASSIGN_OR_RETURN(int64_t serial, tx.TakeDocSerial(org.id, year, kind));
    domain::Document d;
    d.kind = kind;
    d.number = domain::FormatDocNumber(org.prefix, kind, year, serial);
    d.org_id = org.id;
    d.year = year;
    d.serial = serial;
    if (referral)
      d.referral_id = referral;
    d.title = title;
    d.snapshot =
        json::serialize(json::object{{"number", d.number}, {"title", title}});
    d.created_at = at;
    d.created_by = by;
    ++n_.documents;
    XT_RETURN_IF_ERROR(tx.InsertDocument(d).status());
    return d.number;
  }
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  double Uniform() {
    return std::uniform_real_distribution<double>(0, 1)(rng_);
  }
  // The colour level the sweeper would have recorded by `levels_at_`.
  int LevelAt(const domain::Duty &d) const {
    return levels_at_ >= d.due_at ? 2 : levels_at_ >= d.yellow_at ? 1 : 0;
  }

  BulkStore &store_;
  const calendar::Calendar &cal_;
  Options o_;
  std::mt19937_64 rng_;
  World w_;
  Counts n_;
  std::string password_hash_;
  // The generation "now" (fixed, so the data are reproducible) and the
  // sweeper's first instant.
  const Instant now_ =
      core::ShanghaiMidnight(core::CivilDay(std::chrono::year{2026} /
                                            std::chrono::November / 20)) +
      10h;
  const Instant sweep_t0_ = now_ + 1min;
  // Levels of open history duties are recorded as at t0 + 10 minutes, so that
  // no history duty changes colour in the measured sweeper runs (t0 .. t0 +
  // runs minutes).
  const Instant levels_at_ = now_ + 11min;
};

Result<Id> Generator::Duty(storage::Tx &tx, const char *kind, Id owner,
                           const char *type, Id object,
                           const std::string &title, Instant trigger, Id by,
                           std::optional<Instant> met_at, bool waived) {
  const domain::DutyKind *k = domain::FindDutyKind(kind);
  domain::Duty d;
  d.kind = kind;
  d.rule = std::string(k->rule);
  d.owner_org_id = owner;
  d.object_type = type;
  d.object_id = std::to_string(object);
  d.title = title;
  d.trigger_at = trigger;
  d.unit = k->unit;
  d.period = k->period;
  calendar::Deadline due = domain::ComputeDue(cal_, trigger, d.unit, d.period);
  d.due_at = due.due;
  d.yellow_at = domain::ComputeYellowAt(cal_, due, d.unit, d.period);
  d.calendar_version = due.version;
  d.provisional = due.provisional;
  d.created_at = trigger;
  d.created_by = by;
  if (waived) {
    d.state = domain::DutyState::kWaived;
    d.state_reason = "案件已撤回";
  } else if (met_at) {
    d.state = domain::DutyState::kMet;
    d.met_at = met_at;
    d.on_time = *met_at <= d.due_at;
    d.late_working_days = d.on_time.value() ? 0 : 1;
    d.notified_level = *met_at >= d.due_at ? 2 : *met_at >= d.yellow_at ? 1 : 0;
  } else {
    d.notified_level = LevelAt(d);
    ++n_.open_duties;
  }
  ++n_.duties;
  return tx.InsertDuty(d);
}

Status Generator::Run() {
  XT_RETURN_IF_ERROR(Province());
  XT_RETURN_IF_ERROR(Items(std::llround(1'000'000 * o_.scale)));
  XT_RETURN_IF_ERROR(OpenDuties(o_.open_duties >= 0
                                    ? o_.open_duties
                                    : std::llround(1'000'000 * o_.scale)));
  return Tokens();
}

Status Generator::Province() {
  char hash[crypto_pwhash_STRBYTES];
  const std::string password = "Bench#2026";
  if (crypto_pwhash_str(hash, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("crypto_pwhash_str failed");
  }
  password_hash_ = hash;
  const Instant created = core::ShanghaiMidnight(
      core::CivilDay(std::chrono::year{2017} / std::chrono::December / 1));
  return store_.Write([&](storage::Tx &tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Org> existing, tx.ListOrgs());
    if (!existing.empty())
      return Status::Precondition("not_empty", "数据库已有机构：请用空数据库");
    auto org = [&](const std::string &code, const std::string &name,
                   const std::string &short_name, const std::string &prefix,
                   domain::OrgKind kind, const std::string &region) -> Result<OrgInfo> {
      domain::Org o;
      o.region_code = region;  // R-ACC-2: every org in its region
      o.code = code;
      o.name = name;
      o.short_name = short_name;
      o.doc_prefix = prefix;
      o.kind = kind;
      o.created_at = created;
      OrgInfo info;
      XT_ASSIGN_OR_RETURN(info.id, tx.InsertOrg(o));
      info.prefix = prefix;
      info.short_name = short_name;
      info.name = name;
      return info;
    };
    int person = 0;
    auto user = [&](const std::string &username, Id org_id,
                    domain::RoleSet roles) -> Result<Id> {
      domain::User u;
      u.username = username;
      u.display_name = std::string(kSurnames[person % 10]) +
                       kSurnames[(person / 10) % 10] +
                       std::to_string(person % 97);
      ++person;
      u.org_id = org_id;
      u.roles = roles;
      u.password_hash = password_hash_;
      u.created_at = created;
      return tx.InsertUser(u);
    };
    auto staff = [&](OrgInfo &o, const std::string &code) -> Status {
      XT_ASSIGN_OR_RETURN(
          o.officer, user(code + ".officer", o.id, {domain::Role::kOfficer}));
      XT_ASSIGN_OR_RETURN(
          o.leader, user(code + ".leader", o.id, {domain::Role::kLeader}));
      XT_ASSIGN_OR_RETURN(
          o.liaison, user(code + ".liaison", o.id, {domain::Role::kLiaison}));
      return Status::Ok();
    };
    // The region tree (R-ACC-2), parents first.
    const std::vector<CountyDef> county_defs = CountyDefs();
    XT_RETURN_IF_ERROR(tx.InsertRegion(
        domain::Region{"440000", "广东省", domain::RegionLevel::kProvince, std::nullopt}));
    for (const CityDef &c : kCityDefs)
      XT_RETURN_IF_ERROR(tx.InsertRegion(
          domain::Region{c.code, c.name, domain::RegionLevel::kCity, std::string("440000")}));
    for (const CountyDef &d : county_defs) {
      XT_RETURN_IF_ERROR(tx.InsertRegion(domain::Region{
          d.code, d.name, domain::RegionLevel::kCounty, std::string(kCityDefs[static_cast<size_t>(d.city)].code)}));
      for (int t = 0; t < kTownshipsPerCounty; ++t)
        XT_RETURN_IF_ERROR(tx.InsertRegion(domain::Region{
            TownshipCode(d.code, t),
            d.name + kCountyDigits[t / 10] + kCountyDigits[t % 10] + "镇",
            domain::RegionLevel::kTownship, d.code}));
    }
    XT_ASSIGN_OR_RETURN(
        w_.coord, org("coord", "中共广东省委全面依法治省委员会办公室", "依法治省办",
                      "粤法治", domain::OrgKind::kCoordinator, "440000"));
    XT_ASSIGN_OR_RETURN(w_.gov, org("gov", "广东省人民政府", "省政府", "粤府",
                                    domain::OrgKind::kGovernment, "440000"));
    // One 依法治市办 per city (R-ACC-2: it oversees its counties).
    for (const CityDef &c : kCityDefs) {
      const std::string code = std::string("city") + c.code;
      XT_ASSIGN_OR_RETURN(
          OrgInfo o, org(code, std::string("中共") + c.name + "委全面依法治市委员会办公室",
                         std::string(c.short_name) + "依法治市办",
                         std::string(c.short_name) + "法治", domain::OrgKind::kCoordinator,
                         c.code));
      XT_ASSIGN_OR_RETURN(Id staff_id, user(code + ".staff", o.id,
                                            {domain::Role::kCoordinatorStaff}));
      XT_ASSIGN_OR_RETURN(o.leader, user(code + ".leader", o.id, {domain::Role::kLeader}));
      w_.cities.push_back(std::move(o));
      w_.city_staff.push_back(staff_id);
    }
    XT_ASSIGN_OR_RETURN(
        w_.coord_staff,
        user("coord.staff", w_.coord.id, {domain::Role::kCoordinatorStaff}));
    XT_ASSIGN_OR_RETURN(w_.coord.leader, user("coord.leader", w_.coord.id,
                                              {domain::Role::kLeader}));
    XT_ASSIGN_OR_RETURN(w_.auditor,
                        user("auditor", w_.coord.id, {domain::Role::kAuditor}));
    XT_ASSIGN_OR_RETURN(w_.admin,
                        user("admin", w_.coord.id, {domain::Role::kAdmin}));

    // One evidence file per org that refers, uploaded by it (R-REF-3 needs a
    // file the sender uploaded; files are content-addressed, so each org's
    // bytes differ).
    auto upload = [&](OrgInfo &o, const std::string &code) -> Status {
      storage::FileBlob blob;
      blob.bytes =
          "%PDF-1.4\n% xietong bench evidence of " + code + "\n%%EOF\n";
      blob.sha256 = domain::Sha256Hex(blob.bytes);
      blob.size = static_cast<int64_t>(blob.bytes.size());
      blob.content_type = "application/pdf";
      blob.created_at = created;
      XT_RETURN_IF_ERROR(tx.InsertFileBlob(blob).status());
      o.file_sha = blob.sha256;
      return tx.InsertFileRef(storage::FileRef{
          blob.sha256, o.id, "现场检查笔录.pdf", o.officer, created});
    };

    for (int c = 0; c < kCounties; ++c) {
      County county;
      const CountyDef &def = county_defs[static_cast<size_t>(c)];
      county.region = def.code;
      county.city = def.city;
      const std::string cn = def.name;
      {  // 依法治县办
        const std::string code = Code("c%03dcoord", c);
        XT_ASSIGN_OR_RETURN(
            county.coord, org(code, "中共" + cn + "委全面依法治县委员会办公室", cn + "依法治县办",
                              Code("C%02d", c) + "法治", domain::OrgKind::kCoordinator, def.code));
        XT_ASSIGN_OR_RETURN(county.coord_staff, user(code + ".staff", county.coord.id,
                                                     {domain::Role::kCoordinatorStaff}));
        XT_ASSIGN_OR_RETURN(county.coord.leader,
                            user(code + ".leader", county.coord.id, {domain::Role::kLeader}));
      }
      for (int d = 0; d < static_cast<int>(kDepts.size()); ++d) {
        const std::string code = Code("c%03d", c) + kDepts[d].code;
        XT_ASSIGN_OR_RETURN(OrgInfo o, org(code, cn + kDepts[d].name,
                                           cn + kDepts[d].short_name,
                                           Code("C%02dD%02d", c, d) + "执",
                                           domain::OrgKind::kCountyDepartment, def.code));
        XT_RETURN_IF_ERROR(staff(o, code));
        XT_RETURN_IF_ERROR(upload(o, code));
        county.depts.push_back(std::move(o));
      }
      for (int t = 0; t < kTownshipsPerCounty; ++t) {
        const std::string code = Code("c%03dt%02d", c, t);
        const std::string town =
            cn + kCountyDigits[t / 10] + kCountyDigits[t % 10] + "镇";
        XT_ASSIGN_OR_RETURN(OrgInfo o,
                            org(code, town + "综合行政执法办公室", town,
                                Code("C%02dT%02d", c, t) + "执",
                                domain::OrgKind::kTownship, TownshipCode(def.code, t)));
        XT_RETURN_IF_ERROR(staff(o, code));
        XT_RETURN_IF_ERROR(upload(o, code));
        county.towns.push_back(std::move(o));
      }
      for (int m = 0; m < kMattersPerCounty; ++m) {
        domain::Matter mt;
        mt.code = Code("C%03d-M%d", c, m);
        mt.name = kMatterNames[m];
        mt.legal_basis =
            std::string("《") + kMatterNames[m] + "查处办法》第十三条";
        const int dept = (m * 3 + c) % static_cast<int>(kDepts.size());
        mt.owner_org_id = county.depts[dept].id;
        XT_ASSIGN_OR_RETURN(Id id, tx.InsertMatter(mt));
        const bool delegated = m % 2 == 0;
        if (delegated) {
          for (const OrgInfo &t : county.towns) {
            XT_RETURN_IF_ERROR(tx.InsertDelegation(domain::Delegation{
                id, t.id, core::CivilDay(std::chrono::year{2018} / 1 / 1),
                std::nullopt}));
          }
        }
        county.matters.push_back({id, mt.code, mt.name, dept, delegated});
      }
      w_.counties.push_back(std::move(county));
    }
    return Status::Ok();
  });
}

Status Generator::Items(int64_t total) {
  const Instant start =
      core::ShanghaiMidnight(
          core::CivilDay(std::chrono::year{2018} / std::chrono::January / 2)) +
      9h;
  const auto span =
      std::chrono::duration_cast<std::chrono::milliseconds>(now_ - 2h - start);
  const double step = static_cast<double>(span.count()) /
                      static_cast<double>(std::max<int64_t>(total, 1));
  for (int64_t i = 0; i < total;) {
    const int64_t end = std::min(total, i + kBatch);
    XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx &tx) -> Status {
      for (int64_t k = i; k < end; ++k) {
        const Instant t =
            start + std::chrono::milliseconds(static_cast<int64_t>(
                        (static_cast<double>(k) + Uniform() * 0.9) * step));
        if (k % 10 == 9) {
          XT_RETURN_IF_ERROR(Collab(tx, t));
        } else {
          XT_RETURN_IF_ERROR(Referral(tx, t));
        }
      }
      return Status::Ok();
    }));
    i = end;
    if ((i / kBatch) % 20 == 0)
      std::fprintf(stderr, "  items %lld/%lld\n", (long long)i,
                   (long long)total);
  }
  return Status::Ok();
}

// One referral with the history its age allows.
Status Generator::Referral(storage::Tx &tx, Instant t0) {
  County &county = w_.counties[static_cast<size_t>(Pick(kCounties))];
  const int town = Pick(kTownshipsPerCounty);
  const bool from_town =
      Uniform() < 0.7; // townships refer to departments more often
  // A township refers an undelegated matter to its owner; a department a
  // delegated one to the township (R-JUR-1: the receiver is the competent org).
  const int m = Pick(kMattersPerCounty / 2) * 2 + (from_town ? 1 : 0);
  const County::M &matter = county.matters[static_cast<size_t>(m)];
  const OrgInfo &dept = county.depts[static_cast<size_t>(matter.dept)];
  const OrgInfo &tw = county.towns[static_cast<size_t>(town)];
  const OrgInfo &from = from_town ? tw : dept;
  const OrgInfo &to = from_town ? dept : tw;

  domain::Referral r;
  r.state = domain::ReferralState::kDraft;
  r.from_org_id = from.id;
  r.to_org_id = to.id;
  r.matter_id = matter.id;
  r.matter_code = matter.code;
  r.matter_owner_org_id = dept.id;
  r.township_org_id = tw.id;
  r.place = tw.short_name + "解放路" + std::to_string(1 + Pick(300)) + "号";
  r.discovered_at = t0 - std::chrono::hours(2 + Pick(40));
  const std::string party =
      std::string(kSurnames[static_cast<size_t>(Pick(10))]) + "某" +
      std::to_string(Pick(1000));
  r.facts = "经现场检查，当事人" + party + "在" + r.place + "涉嫌" +
            matter.name +
            "，现场查获相关物品若干，已制作现场检查笔录并拍照取证。";
  r.party = {party, "居民身份证",
             "4453" + std::to_string(10000000000000LL + Pick(1 << 30)), r.place,
             "138" + std::to_string(10000000 + Pick(89999999))};
  r.legal_basis = std::string("《") + matter.name + "查处办法》第十三条";
  r.evidence.push_back(domain::EvidenceItem{"现场检查笔录", "现场检查时制作",
                                            from.file_sha, "现场检查笔录.pdf",
                                            40, "application/pdf"});
  r.checklist = {true, true, true, true};
  r.created_by = from.officer;
  r.created_at = t0;
  r.updated_at = t0;

  // The furthest state its age allows, with the usual outcomes.
  const auto age = now_ - t0;
  const double u = Uniform();
  enum Stage {
    kDraft,
    kSubmitted,
    kSent,
    kReceived,
    kAccepted,
    kHandled,
    kClosed,
    kWithdrawn,
    kDeclined
  };
  Stage stage;
  if (age > std::chrono::hours(24 * 60)) {
    stage = u < 0.86   ? kClosed
            : u < 0.9  ? kHandled
            : u < 0.95 ? kWithdrawn
                       : kDeclined;
  } else {
    stage = static_cast<Stage>(Pick(9));
  }
  const Instant submitted = t0 + 2h, sent = t0 + 20h, received = sent + 6h,
                accepted = received + 48h,
                handled = accepted + std::chrono::hours(24 * 15),
                closed = handled + std::chrono::hours(24 * 3);
  auto capped = [&](Stage s) { // the last stage reached by now_
    const Instant at[] = {t0,       submitted,      sent,
                          received, accepted,       handled,
                          closed,   submitted + 1h, received + 24h};
    while (s > kDraft && at[s] > now_)
      s = s == kWithdrawn || s == kDeclined ? kSubmitted : Stage(s - 1);
    return s;
  };
  stage = capped(stage);
  const bool reached_sent = stage >= kSent && stage != kWithdrawn;

  // The row in its final state first (one insert, no update: the full-text
  // triggers run once).
  std::string letter_title =
      "关于移送" + party + "涉嫌" + matter.name + "案的函";
  int64_t letter_serial = 0, notice_serial = 0;
  const Instant noticed = stage == kDeclined ? received + 24h : accepted;
  auto year_of = [](Instant at) {
    return static_cast<int>(
        std::chrono::year_month_day(core::ShanghaiDay(at)).year());
  };
  if (stage != kDraft)
    r.submitted_at = submitted;
  if (reached_sent) {
    XT_ASSIGN_OR_RETURN(letter_serial,
                        tx.TakeDocSerial(from.id, year_of(sent),
                                         domain::DocKind::kReferralLetter));
    r.number =
        domain::FormatDocNumber(from.prefix, domain::DocKind::kReferralLetter,
                                year_of(sent), letter_serial);
    r.sent_at = sent;
  }
  if (stage >= kReceived && stage != kWithdrawn)
    r.received_at = received;
  if (stage >= kAccepted && stage != kWithdrawn) {
    XT_ASSIGN_OR_RETURN(notice_serial,
                        tx.TakeDocSerial(to.id, year_of(noticed),
                                         domain::DocKind::kAcceptanceNotice));
  }
  switch (stage) {
  case kDraft:
    r.state = domain::ReferralState::kDraft;
    break;
  case kSubmitted:
    r.state = domain::ReferralState::kSubmitted;
    break;
  case kSent:
    r.state = domain::ReferralState::kSent;
    break;
  case kReceived:
    r.state = domain::ReferralState::kReceived;
    break;
  case kAccepted:
    r.state = domain::ReferralState::kAccepted;
    break;
  case kHandled:
    r.state = domain::ReferralState::kHandled;
    break;
  case kClosed:
    r.state = domain::ReferralState::kClosed;
    break;
  case kWithdrawn:
    r.state = domain::ReferralState::kWithdrawn;
    break;
  case kDeclined:
    r.state = domain::ReferralState::kDeclined;
    break;
  }
  if (stage == kWithdrawn)
    r.closed_at = submitted + 1h;
  if (stage == kDeclined)
    r.decline_reason = "经审查不属于本机关管辖";
  if (stage >= kAccepted && stage <= kClosed) {
    r.accepted_at = accepted;
    r.accept_note = "已立案调查";
  }
  if (stage == kHandled || stage == kClosed) {
    r.result = "已依法作出行政处罚决定，罚款人民币" +
               std::to_string(1000 * (1 + Pick(50))) + "元。";
  }
  if (stage == kClosed)
    r.closed_at = closed;
  r.updated_at =
      std::max({t0, r.submitted_at.value_or(t0), r.sent_at.value_or(t0),
                r.received_at.value_or(t0), r.accepted_at.value_or(t0),
                r.closed_at.value_or(t0), stage == kHandled ? handled : t0,
                stage == kDeclined ? noticed : t0});
  XT_ASSIGN_OR_RETURN(r.id, tx.InsertReferral(r));
  ++n_.referrals;
  const Id id = r.id;

  // Then its history: audit entries, duties, documents, notifications.
  auto document = [&](const OrgInfo &org, domain::DocKind kind, Instant at,
                      int64_t serial, const std::string &title,
                      Id by) -> Status {
    domain::Document d;
    d.kind = kind;
    d.year = year_of(at);
    d.serial = serial;
    d.number = domain::FormatDocNumber(org.prefix, kind, d.year, serial);
    d.org_id = org.id;
    d.referral_id = id;
    d.title = title;
    d.snapshot =
        json::serialize(json::object{{"number", d.number}, {"title", title}});
    d.created_at = at;
    d.created_by = by;
    ++n_.documents;
    return tx.InsertDocument(d).status();
  };
  const std::string label = party + "涉嫌" + matter.name;
  XT_RETURN_IF_ERROR(Audit(tx, t0, from.officer, from.id, "referral.create",
                           "referral", id,
                           "起草案件移送：" + label + "，拟移送" + to.name,
                           {{"state", "draft"}, {"to_org", to.id}}));
  XT_RETURN_IF_ERROR(
      Duty(tx, "referral.send", from.id, "referral", id,
           "移送" + label + "案至" + to.short_name, r.discovered_at,
           from.officer,
           reached_sent ? std::optional<Instant>(sent) : std::nullopt,
           stage == kWithdrawn)
          .status());
  if (stage == kDraft)
    return Status::Ok();
  XT_RETURN_IF_ERROR(Audit(tx, submitted, from.officer, from.id,
                           "referral.submit", "referral", id,
                           "提交审批：" + label, {{"state", "submitted"}}));
  if (stage == kWithdrawn) {
    return Audit(tx, *r.closed_at, from.officer, from.id, "referral.withdraw",
                 "referral", id, "撤回：" + label, {{"state", "withdrawn"}});
  }
  if (!reached_sent)
    return Status::Ok();
  const std::string &number = *r.number;
  XT_RETURN_IF_ERROR(document(from, domain::DocKind::kReferralLetter, sent,
                              letter_serial, letter_title, from.leader));
  XT_RETURN_IF_ERROR(Audit(tx, sent, from.leader, from.id, "referral.approve",
                           "referral", id, "批准移送：" + number,
                           {{"state", "sent"}, {"number", number}}));
  XT_RETURN_IF_ERROR(Notify(tx, to.liaison, "referral.sent",
                            "收到案件移送：" + number, "referral", id, sent));
  std::optional<Instant> met;
  if (stage >= kAccepted)
    met = noticed;
  XT_RETURN_IF_ERROR(Duty(tx, "referral.accept_notice", to.id, "referral", id,
                          "书面告知" + from.short_name + "受理情况：" + label +
                              "（" + number + "）",
                          sent, from.leader, met, false)
                         .status());
  if (stage == kSent)
    return Status::Ok();
  XT_RETURN_IF_ERROR(Audit(tx, received, to.officer, to.id, "referral.receive",
                           "referral", id, "签收：" + number,
                           {{"state", "received"}}));
  if (stage == kReceived)
    return Status::Ok();
  XT_RETURN_IF_ERROR(document(
      to, domain::DocKind::kAcceptanceNotice, noticed, notice_serial,
      stage == kDeclined ? "不予受理告知书" : "受理情况告知书", to.leader));
  if (stage == kDeclined) {
    return Audit(tx, noticed, to.leader, to.id, "referral.decline", "referral",
                 id, "不予受理：" + number, {{"state", "declined"}});
  }
  XT_RETURN_IF_ERROR(Audit(tx, accepted, to.leader, to.id, "referral.accept",
                           "referral", id, "受理：" + number,
                           {{"state", "accepted"}}));
  if (stage == kAccepted)
    return Status::Ok();
  XT_RETURN_IF_ERROR(Audit(tx, handled, to.officer, to.id, "referral.handle",
                           "referral", id, "反馈办理结果：" + number,
                           {{"state", "handled"}}));
  XT_RETURN_IF_ERROR(Notify(tx, from.liaison, "referral.handled",
                            "移送案件已办理：" + number, "referral", id,
                            handled));
  if (stage == kHandled)
    return Status::Ok();
  return Audit(tx, closed, from.leader, from.id, "referral.close", "referral",
               id, "办结：" + number, {{"state", "closed"}});
}

// One collaboration request (township → department, R-COL-1/2), answered and
// closed when old.
Status Generator::Collab(storage::Tx &tx, Instant t0) {
  County &county = w_.counties[static_cast<size_t>(Pick(kCounties))];
  const OrgInfo &from =
      county.towns[static_cast<size_t>(Pick(kTownshipsPerCounty))];
  const OrgInfo &to =
      county.depts[static_cast<size_t>(Pick(static_cast<int>(kDepts.size())))];
  domain::Collaboration c;
  c.kind = static_cast<domain::CollabKind>(1 + Pick(3));
  c.from_org_id = from.id;
  c.to_org_id = to.id;
  c.title = "请协助认定涉案物品性质";
  c.questions = "请就现场查获物品是否属于" +
                std::string(kMatterNames[static_cast<size_t>(Pick(8))]) +
                "相关物品出具认定意见。";
  c.case_ref = from.short_name + "案" + std::to_string(Pick(10000));
  c.created_by = from.officer;
  c.created_at = t0;
  c.updated_at = t0;
  const bool old = now_ - t0 > std::chrono::hours(24 * 30);
  const int stage = old ? 3 : Pick(4); // 0 draft, 1 sent, 2 received, 3 closed
  XT_ASSIGN_OR_RETURN(c.id, tx.InsertCollaboration(c));
  ++n_.collaborations;
  XT_RETURN_IF_ERROR(Audit(
      tx, t0, from.officer, from.id, "collaboration.create", "collaboration",
      c.id, "起草执法协作请求：" + c.title, {{"state", "draft"}}));
  if (stage == 0)
    return Status::Ok();
  const Instant sent = t0 + 8h, received = sent + 4h, answered = received + 48h,
                closed = answered + 24h;
  XT_ASSIGN_OR_RETURN(std::string number,
                      Number(tx, from, domain::DocKind::kCollaborationLetter,
                             sent, 0, c.title, from.leader));
  c.number = number;
  c.state = domain::CollabState::kSent;
  c.submitted_at = t0 + 1h;
  c.sent_at = sent;
  XT_ASSIGN_OR_RETURN(
      Id duty,
      Duty(tx, "collaboration.answer", to.id, "collaboration", c.id,
           "答复" + from.short_name + "执法协作请求（" + number + "）", sent,
           from.leader,
           stage == 3 ? std::optional<Instant>(answered) : std::nullopt,
           false));
  domain::CollabRound round;
  round.n = 1;
  round.questions = c.questions;
  round.asked_at = sent;
  round.duty_id = duty;
  c.rounds.push_back(round);
  XT_RETURN_IF_ERROR(Audit(tx, sent, from.leader, from.id,
                           "collaboration.approve", "collaboration", c.id,
                           "批准发送：" + number, {{"state", "sent"}}));
  XT_RETURN_IF_ERROR(Notify(tx, to.liaison, "collaboration.sent",
                            "收到执法协作请求：" + number, "collaboration",
                            c.id, sent));
  if (stage >= 2) {
    c.state = domain::CollabState::kReceived;
    c.received_at = received;
    XT_RETURN_IF_ERROR(Audit(tx, received, to.officer, to.id,
                             "collaboration.receive", "collaboration", c.id,
                             "签收：" + number, {{"state", "received"}}));
  }
  if (stage == 3) {
    c.state = domain::CollabState::kClosed;
    c.answered_at = answered;
    c.closed_at = closed;
    XT_RETURN_IF_ERROR(Audit(tx, closed, from.leader, from.id,
                             "collaboration.close", "collaboration", c.id,
                             "办结：" + number, {{"state", "closed"}}));
  }
  c.updated_at = c.closed_at.value_or(c.received_at.value_or(sent));
  return tx.UpdateCollaboration(c);
}

// Open duties for the sweeper: all green at t0 except `sweep_changes` per
// measured run whose yellow instant falls inside that run's minute.
Status Generator::OpenDuties(int64_t total) {
  std::vector<const OrgInfo *> orgs;
  for (const County &c : w_.counties) {
    for (const OrgInfo &o : c.depts)
      orgs.push_back(&o);
    for (const OrgInfo &o : c.towns)
      orgs.push_back(&o);
  }
  const int64_t windowed =
      std::min<int64_t>(total, int64_t{o_.sweep_changes} * o_.sweep_runs);
  const domain::DutyKind *k = domain::FindDutyKind("meeting.decision");
  for (int64_t i = 0; i < total;) {
    const int64_t end = std::min(total, i + kBatch * 4);
    XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx &tx) -> Status {
      for (int64_t j = i; j < end; ++j) {
        domain::Duty d;
        d.kind = std::string(k->id);
        d.rule = std::string(k->rule);
        const OrgInfo &owner = *orgs[static_cast<size_t>(j) % orgs.size()];
        d.owner_org_id = owner.id;
        d.object_type = "external";
        d.object_id = "bench-" + std::to_string(j);
        d.title = "落实专题会议决定事项第" + std::to_string(j % 50 + 1) + "项";
        d.created_by = w_.coord_staff;
        if (j < windowed) {
          // Run r (1-based) at t0 + r minutes sees these turn yellow; spread
          // inside the minute.
          const int64_t run = j / o_.sweep_changes, pos = j % o_.sweep_changes;
          d.unit = domain::PeriodUnit::kHours;
          d.period = 96;
          d.yellow_at =
              sweep_t0_ + std::chrono::minutes(run) +
              std::chrono::milliseconds(1 + pos * 59'000 / o_.sweep_changes);
          d.due_at = d.yellow_at + 24h;
          d.trigger_at = d.due_at - 96h;
          d.calendar_version = cal_.version();
        } else {
          d.trigger_at = now_ - std::chrono::hours(Pick(240));
          d.unit = k->unit;
          d.period = 20 + Pick(200);
          calendar::Deadline due =
              domain::ComputeDue(cal_, d.trigger_at, d.unit, d.period);
          d.due_at = due.due;
          d.yellow_at = domain::ComputeYellowAt(cal_, due, d.unit, d.period);
          d.calendar_version = due.version;
          d.provisional = due.provisional;
        }
        d.created_at = d.trigger_at;
        ++n_.duties;
        ++n_.open_duties;
        XT_RETURN_IF_ERROR(tx.InsertDuty(d).status());
      }
      return Status::Ok();
    }));
    i = end;
  }
  return store_.Write([&](storage::Tx &tx) -> Status {
    XT_RETURN_IF_ERROR(
        tx.PutState("bench.sweep_t0", core::FormatInstant(sweep_t0_)));
    XT_RETURN_IF_ERROR(
        tx.PutState("bench.sweep_runs", std::to_string(o_.sweep_runs)));
    XT_RETURN_IF_ERROR(
        tx.PutState("bench.sweep_changes", std::to_string(o_.sweep_changes)));
    return tx.PutState("bench.items",
                       std::to_string(n_.referrals + n_.collaborations));
  });
}

// API tokens for the users the load scripts act as.
Status Generator::Tokens() {
  std::ofstream out;
  if (!o_.tokens.empty()) {
    out.open(o_.tokens);
    if (!out)
      return Status::Internal("cannot write " + o_.tokens);
  }
  const County &c0 = w_.counties[0];
  const County::M &m =
      c0.matters[1]; // undelegated: township → its owner department
  struct U {
    std::string name;
    Id id;
  };
  std::vector<U> users = {
      {"coord.staff", w_.coord_staff},
      // R-ACC-2 (issue 19): county 0's 依法治县办 and its city's 依法治市办.
      {"county.staff", c0.coord_staff},
      {"city.staff", w_.city_staff[static_cast<size_t>(c0.city)]},
      {"c000t00.officer", c0.towns[0].officer},
      {"c000t00.leader", c0.towns[0].leader},
      {"receiver.officer", c0.depts[static_cast<size_t>(m.dept)].officer}};
  return store_.Write([&](storage::Tx &tx) -> Status {
    for (const U &u : users) {
      unsigned char raw[32];
      randombytes_buf(raw, sizeof raw);
      char hex[65];
      sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
      storage::ApiToken t;
      t.user_id = u.id;
      t.name = "bench";
      t.token_hash = domain::Sha256Hex(hex);
      t.created_at = now_;
      XT_RETURN_IF_ERROR(tx.InsertApiToken(t).status());
      if (out)
        out << u.name << ' ' << hex << '\n';
    }
    // What the load scripts need besides the tokens.
    if (out) {
      out << "receiver_org " << c0.depts[static_cast<size_t>(m.dept)].id << '\n'
          << "sender_org " << c0.towns[0].id << '\n'
          << "matter_code " << m.code << '\n'
          << "township_org " << c0.towns[0].id << '\n'
          << "file_sha " << c0.towns[0].file_sha << '\n'
          << "items " << (n_.referrals + n_.collaborations) << '\n'
          << "county_region " << c0.region << '\n'
          << "city_region " << kCityDefs[static_cast<size_t>(c0.city)].code << '\n';
    }
    return Status::Ok();
  });
}

int Main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--db")
      o.db = next();
    else if (a == "--scale")
      o.scale = std::stod(next());
    else if (a == "--seed")
      o.seed = std::stoull(next());
    else if (a == "--open-duties")
      o.open_duties = std::stoll(next());
    else if (a == "--sweep-changes")
      o.sweep_changes = std::stoi(next());
    else if (a == "--sweep-runs")
      o.sweep_runs = std::stoi(next());
    else if (a == "--tokens")
      o.tokens = next();
    else {
      std::cerr << "usage: datagen --db sqlite:PATH [--scale 1.0] [--seed 1] "
                   "[--open-duties N]\n"
                   "               [--sweep-changes 1000] [--sweep-runs 5] "
                   "[--tokens FILE]\n";
      return 2;
    }
  }
  if (o.db.rfind("sqlite:", 0) != 0 || o.scale <= 0 || o.sweep_changes < 1 ||
      o.sweep_runs < 1) {
    std::cerr << "datagen: --db must be sqlite:PATH (PostgreSQL: xietong "
                 "migrate-data from it); "
                 "--scale > 0\n";
    return 2;
  }
  if (sodium_init() < 0)
    return 1;
  const std::string path = o.db.substr(7);
  if (std::filesystem::exists(path)) {
    std::cerr << "datagen: " << path << " exists; generate into a new file\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  auto cal = calendar::BuiltinCalendar();
  if (!cal.ok()) {
    std::cerr << cal.status().ToString() << "\n";
    return 1;
  }
  { // The schema, by the real migrations.
    storage::SqliteOptions so;
    so.path = path;
    so.read_connections = 1;
    auto store = storage::OpenSqliteStore(so);
    if (!store.ok()) {
      std::cerr << store.status().ToString() << "\n";
      return 1;
    }
  }
  Counts counts;
  // One transaction, journal and syncing off, WAL restored at the end (storage/sqlite/bulk_load.h).
  Status st = storage::BulkLoadSqlite(path, [&](storage::Tx &tx) -> Status {
    BulkStore bulk(tx);
    Generator g(bulk, *cal, o);
    Status run = g.Run();
    counts = g.counts();
    return run;
  });
  if (!st.ok()) {
    std::cerr << "datagen: " << st.ToString() << "\n";
    return 1;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  const Counts &n = counts;
  std::uintmax_t bytes = std::filesystem::file_size(path);
  std::printf("datagen: %lld referrals, %lld collaboration requests, %lld "
              "duties (%lld open), %lld "
              "documents, %lld notifications, %lld audit entries in %.1f s; %s "
              "is %.1f MiB\n",
              (long long)n.referrals, (long long)n.collaborations,
              (long long)n.duties, (long long)n.open_duties,
              (long long)n.documents, (long long)n.notifications,
              (long long)n.audit, secs, path.c_str(),
              static_cast<double>(bytes) / (1 << 20));
  return 0;
}

} // namespace
} // namespace xietong::bench

int main(int argc, char **argv) { return xietong::bench::Main(argc, argv); }
