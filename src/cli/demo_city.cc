// `xietong demo load --city` (issue 19, R-ACC-2): Yunfu City (云浮市 445300) around the Xinxing
// demo county — 新兴县 placed in its region (orgs unchanged), and 郁南县, 罗定市, 云城区, 云安区
// with their coordinator offices, a few departments and townships, users "<org>.officer" …, the
// city office `yunfu` (依法治市办) with `yunfu.staff`, referrals inside the other counties, one
// referral from a 新兴县 department to a 郁南县 department, and a duty red long enough to be
// escalated to the city office at the first sweep. Everything through the real services.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cli/demo_workflows.h"
#include "service/file_service.h"
#include "service/matter_service.h"
#include "service/org_service.h"
#include "service/referral_service.h"
#include "service/region_service.h"

namespace xietong::cli {

namespace {

using core::Status;
using domain::OrgKind;
using domain::Role;

struct CityOrg {
  const char* code;
  const char* name;
  const char* short_name;
  OrgKind kind;
  const char* doc_prefix;
  const char* region;  // region code
};

struct CityCounty {
  const char* code;       // GB/T 2260
  const char* name;
  const char* office_code;  // the county's coordinator office
  const char* office_name;
  const char* office_short;
  std::vector<CityOrg> orgs;  // departments and townships
  std::vector<std::pair<const char*, const char*>> townships;  // {code, name}
};

const std::vector<CityCounty>& Counties() {
  static const std::vector<CityCounty> kCounties = {
      {"445322", "郁南县", "yn", "中共郁南县委全面依法治县委员会办公室", "郁南县依法治县办",
       {{"yn-scjg", "郁南县市场监督管理局", "郁南县市场监管局", OrgKind::kCountyDepartment, "郁市监", "445322"},
        {"yn-zrzy", "郁南县自然资源局", "郁南县自然资源局", OrgKind::kCountyDepartment, "郁自然资源", "445322"},
        {"yn-ducheng", "都城镇综合行政执法办公室", "都城镇", OrgKind::kTownship, "都城执", "445322100000"},
        {"yn-pingtai", "平台镇综合行政执法办公室", "平台镇", OrgKind::kTownship, "平台执", "445322101000"},
        {"yn-qianguan", "千官镇综合行政执法办公室", "千官镇", OrgKind::kTownship, "千官执", "445322102000"}},
       {{"445322100000", "都城镇"}, {"445322101000", "平台镇"}, {"445322102000", "千官镇"}}},
      {"445381", "罗定市", "ld", "中共罗定市委全面依法治市委员会办公室", "罗定市依法治市办",
       {{"ld-scjg", "罗定市市场监督管理局", "罗定市市场监管局", OrgKind::kCountyDepartment, "罗市监", "445381"},
        {"ld-zrzy", "罗定市自然资源局", "罗定市自然资源局", OrgKind::kCountyDepartment, "罗自然资源", "445381"},
        {"ld-luocheng", "罗城街道综合行政执法办公室", "罗城街道", OrgKind::kTownship, "罗城执", "445381001000"},
        {"ld-fucheng", "附城街道综合行政执法办公室", "附城街道", OrgKind::kTownship, "附城执", "445381002000"},
        {"ld-luojing", "罗镜镇综合行政执法办公室", "罗镜镇", OrgKind::kTownship, "罗镜执", "445381104000"}},
       {{"445381001000", "罗城街道"}, {"445381002000", "附城街道"}, {"445381104000", "罗镜镇"}}},
      {"445302", "云城区", "yc", "中共云浮市云城区委全面依法治区委员会办公室", "云城区依法治区办",
       {{"yc-scjg", "云浮市云城区市场监督管理局", "云城区市场监管局", OrgKind::kCountyDepartment, "云城市监", "445302"},
        {"yc-zjj", "云浮市云城区住房和城乡建设局", "云城区住建局", OrgKind::kCountyDepartment, "云城住建", "445302"},
        {"yc-yuncheng", "云城街道综合行政执法办公室", "云城街道", OrgKind::kTownship, "云城执", "445302001000"},
        {"yc-hekou", "河口街道综合行政执法办公室", "河口街道", OrgKind::kTownship, "河口执", "445302004000"},
        {"yc-yaogu", "腰古镇综合行政执法办公室", "腰古镇", OrgKind::kTownship, "腰古执", "445302100000"}},
       {{"445302001000", "云城街道"}, {"445302004000", "河口街道"}, {"445302100000", "腰古镇"}}},
      {"445303", "云安区", "ya", "中共云浮市云安区委全面依法治区委员会办公室", "云安区依法治区办",
       {{"ya-scjg", "云浮市云安区市场监督管理局", "云安区市场监管局", OrgKind::kCountyDepartment, "云安市监", "445303"},
        {"ya-zrzy", "云浮市云安区自然资源局", "云安区自然资源局", OrgKind::kCountyDepartment, "云安自然资源", "445303"},
        {"ya-liudu", "六都镇综合行政执法办公室", "六都镇", OrgKind::kTownship, "六都执", "445303100000"},
        {"ya-gaocun", "高村镇综合行政执法办公室", "高村镇", OrgKind::kTownship, "高村执", "445303101000"}},
       {{"445303100000", "六都镇"}, {"445303101000", "高村镇"}}},
  };
  return kCounties;
}

// The 12 towns of the Xinxing demo county and their 统计用区划代码.
constexpr std::pair<const char*, const char*> kXinxingTowns[] = {
    {"445321100000", "xincheng"}, {"445321101000", "lezhu"},    {"445321102000", "taiping"},
    {"445321103000", "liuzu"},    {"445321104000", "dongcheng"}, {"445321105000", "rencun"},
    {"445321106000", "chegang"},  {"445321107000", "shuitai"},  {"445321108000", "tiantang"},
    {"445321109000", "hetou"},    {"445321110000", "lidong"},   {"445321111000", "dajiang"},
};

}  // namespace

Status DemoCity(const DemoEnv& env, const std::string& password) {
  service::OrgService orgs(env.store, env.clock, env.auth);
  service::RegionService regions(env.store, env.clock);
  service::MatterService matters(env.store, env.clock);
  service::FileService files(env.store, env.clock);
  service::ReferralService referrals(env.store, env.clock, env.duties, env.calendar);

  // 1. 新兴县 into the tree: every org of the demo county under 445321, its towns in their own.
  service::PlaceInput place{"440000", "广东省", "445300", "云浮市", "445321", "新兴县", {}};
  for (const auto& [code, org] : kXinxingTowns) {
    const domain::Org& o = env.dir.orgs.at(org);
    place.townships.push_back({code, o.short_name, org});
  }
  XT_RETURN_IF_ERROR(regions.Place(place).status());

  // 2. The other counties' regions (CSV import, like an administrator's).
  std::string csv = "code,name,parent_code\n";
  for (const auto& c : Counties()) {
    csv += std::string(c.code) + "," + c.name + ",445300\n";
    for (const auto& [code, name] : c.townships) csv += std::string(code) + "," + name + "," + c.code + "\n";
  }
  XT_RETURN_IF_ERROR(regions.Import(nullptr, csv).status());

  // 3. Orgs and users.
  XT_ASSIGN_OR_RETURN(std::string hash, env.auth.HashPassword(password));
  std::map<std::string, domain::Org> by_code;
  std::map<std::string, domain::Id> users;
  int person = 0;
  auto add_org = [&](const std::string& code, const std::string& name, const std::string& short_name,
                     OrgKind kind, const std::string& prefix, const std::string& region) -> Status {
    service::OrgInput in{code, name, short_name, kind, std::nullopt};
    in.doc_prefix = prefix;
    XT_ASSIGN_OR_RETURN(domain::Org org, orgs.CreateOrg(nullptr, in));
    XT_RETURN_IF_ERROR(regions.PlaceOrg(nullptr, org.id, region));
    org.region_code = region;
    by_code[code] = org;
    return Status::Ok();
  };
  auto add_user = [&](const std::string& org, const std::string& username,
                      std::initializer_list<Role> roles) -> Status {
    service::UserInput in;
    in.username = username;
    in.display_name = "演示用户" + std::to_string(++person);
    in.org_id = by_code.at(org).id;
    in.roles = domain::RoleSet(roles);
    XT_ASSIGN_OR_RETURN(domain::User u, orgs.CreateUser(nullptr, in, hash));
    users[username] = u.id;
    return Status::Ok();
  };
  XT_RETURN_IF_ERROR(add_org("yunfu", "中共云浮市委全面依法治市委员会办公室", "市委依法治市办",
                             OrgKind::kCoordinator, "云依法治市", "445300"));
  XT_RETURN_IF_ERROR(add_user("yunfu", "yunfu.staff", {Role::kCoordinatorStaff}));
  XT_RETURN_IF_ERROR(add_user("yunfu", "yunfu.leader", {Role::kCoordinatorStaff, Role::kLeader}));
  std::string matters_csv = "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n";
  for (const auto& c : Counties()) {
    XT_RETURN_IF_ERROR(add_org(c.office_code, c.office_name, c.office_short, OrgKind::kCoordinator,
                               std::string(c.name).substr(0, 6) + "依法治", c.code));  // 郁南依法治
    XT_RETURN_IF_ERROR(add_user(c.office_code, std::string(c.office_code) + ".staff",
                                {Role::kCoordinatorStaff}));
    XT_RETURN_IF_ERROR(add_user(c.office_code, std::string(c.office_code) + ".leader",
                                {Role::kCoordinatorStaff, Role::kLeader}));
    for (const auto& o : c.orgs) {
      XT_RETURN_IF_ERROR(add_org(o.code, o.name, o.short_name, o.kind, o.doc_prefix, o.region));
      const std::string code = o.code;
      XT_RETURN_IF_ERROR(add_user(code, code + ".officer", {Role::kOfficer}));
      XT_RETURN_IF_ERROR(add_user(code, code + ".leader", {Role::kLeader}));
      XT_RETURN_IF_ERROR(add_user(code, code + ".liaison", {Role::kLiaison, Role::kOfficer}));
    }
    // The county's market regulator owns two matters (the owner departments are per county).
    const std::string scjg = std::string(c.office_code) + "-scjg";
    std::string up = c.office_code;
    for (char& ch : up) ch = static_cast<char>(ch - 'a' + 'A');
    matters_csv += up + "-SCJG-001,无证无照经营,《无证无照经营查处办法》第二条、第十三条," + scjg + ",,\n";
    matters_csv += up + "-SCJG-002,销售超过保质期的食品,《中华人民共和国食品安全法》第三十四条第十项," +
                   scjg + ",5,\n";
  }
  XT_RETURN_IF_ERROR(matters.ImportCsv(service::kSystem, matters_csv).status());

  // 4. Referrals: inside 郁南县 and 罗定市 (township → market regulator), and one across county
  // borders, 新兴县市场监管局 → 郁南县市场监管局 (seen by both counties' offices and the city's).
  const core::Instant now = env.clock.Now();
  auto principal = [&](const std::string& username) -> core::Result<service::Principal> {
    auto it = users.find(username);
    return env.auth.PrincipalOf(it != users.end() ? it->second : env.dir.users.at(username));
  };
  struct DemoReferral {
    const char* from;
    const char* to;
    const char* matter;
    const char* township;
    const char* place;
    const char* facts;
  };
  const DemoReferral kReferrals[] = {
      {"yn-ducheng", "yn-scjg", "YN-SCJG-001", "yn-ducheng", "都城镇建城路市场",
       "【演示】巡查发现当事人在都城镇建城路市场无照经营水果批发"},
      {"ld-luocheng", "ld-scjg", "LD-SCJG-002", "ld-luocheng", "罗城街道兴华路便利店",
       "【演示】群众反映便利店销售过期乳制品，现场核实属实"},
      {"scjg", "yn-scjg", "YN-SCJG-002", "yn-ducheng", "都城镇江滨路食品批发部",
       "【演示】新兴县市场监管局抽检发现源自郁南县都城镇的批发部供应过期食品，依法移送郁南县市场监管局"},
  };
  for (const auto& r : kReferrals) {
    XT_ASSIGN_OR_RETURN(service::Principal officer, principal(std::string(r.from) + ".officer"));
    XT_ASSIGN_OR_RETURN(service::Principal leader, principal(std::string(r.from) + ".leader"));
    XT_ASSIGN_OR_RETURN(service::FileInfo file,
                        files.Put(officer, "现场检查笔录.pdf", "application/pdf",
                                  std::string("%PDF-1.4\n% ") + r.place + "\n%%EOF\n"));
    const domain::Org& to = by_code.at(r.to);
    service::ReferralInput in;
    in.to_org_id = to.id;
    in.matter_code = r.matter;
    in.township_id = by_code.at(r.township).id;
    in.place = r.place;
    in.discovered_at = now - std::chrono::hours(30);
    in.facts = r.facts;
    in.legal_basis = "《无证无照经营查处办法》第十三条、《中华人民共和国食品安全法》第三十四条";  // R-REF-3 (main)
    in.party = domain::Party{"某商行", "统一社会信用代码", "92445300MA00000001", r.place, ""};
    in.evidence = std::vector<service::EvidenceInput>{{"现场检查笔录", "2页", file.id}};
    in.checklist = domain::Checklist{true, true, true, true};
    XT_ASSIGN_OR_RETURN(service::ReferralView v, referrals.Create(officer, in));
    XT_RETURN_IF_ERROR(referrals.Submit(officer, v.referral.id).status());
    XT_RETURN_IF_ERROR(referrals.Approve(leader, v.referral.id).status());
  }

  // 5. A task 郁南县's office gave its market regulator, red for two days: the first sweep
  // escalates it to the city office (R-ACC-2, --escalate-red-hours, default 24).
  XT_ASSIGN_OR_RETURN(service::Principal yn_staff, principal("yn.staff"));
  service::DutyInput duty;
  duty.kind = "task.assigned";
  duty.owner_org_id = by_code.at("yn-scjg").id;
  duty.object_type = "demo";
  duty.object_id = "demo-city-1";
  duty.title = "【演示】交办：报送都城镇农贸市场食品安全整治情况";
  duty.trigger_at = now - std::chrono::hours(96);
  duty.unit = domain::PeriodUnit::kHours;
  duty.period = 48;
  XT_RETURN_IF_ERROR(env.duties.Create(yn_staff, duty).status());
  return Status::Ok();
}

}  // namespace xietong::cli
