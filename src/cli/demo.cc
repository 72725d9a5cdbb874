#include "cli/demo.h"

#include <array>
#include <map>
#include <optional>

namespace xietong::cli {

namespace {
using domain::OrgKind;
using domain::Role;

struct DemoOrg {
  const char* code;
  const char* name;
  const char* short_name;
  OrgKind kind;
};

constexpr DemoOrg kOrgs[] = {
    {"coordinator", "中共新兴县委全面依法治县委员会办公室", "县委依法治县办", OrgKind::kCoordinator},
    {"government", "新兴县人民政府", "县人民政府", OrgKind::kGovernment},
    // 12 towns: comprehensive enforcement offices (乡镇综合行政执法部门)
    {"xincheng", "新城镇综合行政执法办公室", "新城镇", OrgKind::kTownship},
    {"liuzu", "六祖镇综合行政执法办公室", "六祖镇", OrgKind::kTownship},
    {"dongcheng", "东成镇综合行政执法办公室", "东成镇", OrgKind::kTownship},
    {"rencun", "稔村镇综合行政执法办公室", "稔村镇", OrgKind::kTownship},
    {"chegang", "车岗镇综合行政执法办公室", "车岗镇", OrgKind::kTownship},
    {"shuitai", "水台镇综合行政执法办公室", "水台镇", OrgKind::kTownship},
    {"lezhu", "簕竹镇综合行政执法办公室", "簕竹镇", OrgKind::kTownship},
    {"taiping", "太平镇综合行政执法办公室", "太平镇", OrgKind::kTownship},
    {"tiantang", "天堂镇综合行政执法办公室", "天堂镇", OrgKind::kTownship},
    {"hetou", "河头镇综合行政执法办公室", "河头镇", OrgKind::kTownship},
    {"lidong", "里洞镇综合行政执法办公室", "里洞镇", OrgKind::kTownship},
    {"dajiang", "大江镇综合行政执法办公室", "大江镇", OrgKind::kTownship},
    // county departments (县直执法部门)
    {"scjg", "新兴县市场监督管理局", "县市场监管局", OrgKind::kCountyDepartment},
    {"zrzy", "新兴县自然资源局", "县自然资源局", OrgKind::kCountyDepartment},
    {"sthj", "云浮市生态环境局新兴分局", "生态环境分局", OrgKind::kCountyDepartment},
    {"zjj", "新兴县住房和城乡建设局", "县住建局", OrgKind::kCountyDepartment},
    {"jtys", "新兴县交通运输局", "县交通运输局", OrgKind::kCountyDepartment},
    {"nync", "新兴县农业农村局", "县农业农村局", OrgKind::kCountyDepartment},
    {"swj", "新兴县水务局", "县水务局", OrgKind::kCountyDepartment},
    {"wjj", "新兴县卫生健康局", "县卫健局", OrgKind::kCountyDepartment},
    {"yjgl", "新兴县应急管理局", "县应急管理局", OrgKind::kCountyDepartment},
    {"wglt", "新兴县文化广电旅游体育局", "县文广旅体局", OrgKind::kCountyDepartment},
    {"lyj", "新兴县林业局", "县林业局", OrgKind::kCountyDepartment},
    // judicial organs
    {"gaj", "新兴县公安局", "县公安局", OrgKind::kPolice},
    {"jcy", "新兴县人民检察院", "县检察院", OrgKind::kProcuratorate},
    {"fy", "新兴县人民法院", "县法院", OrgKind::kCourt},
    // an external testing institution a township may buy services from (R-GUI-3)
    {"zljc", "新兴县质量计量监督检测所", "县质检所", OrgKind::kExternal},
};

// Internal or dispatched units (内设机构、派出机构): referrals may never be made in their name.
struct DemoUnit {
  const char* parent;
  const char* code;
  const char* name;
  const char* short_name;
};
constexpr DemoUnit kUnits[] = {
    {"scjg", "scjg-xincheng", "新兴县市场监督管理局新城市场监督管理所", "新城市场监管所"},
    {"scjg", "scjg-zfj", "新兴县市场监督管理局执法稽查股", "执法稽查股"},
    {"zrzy", "zrzy-liuzu", "新兴县自然资源局六祖自然资源所", "六祖自然资源所"},
};

constexpr std::array<const char*, 40> kSurnames = {
    "陈", "李", "黄", "张", "梁", "林", "刘", "吴", "罗", "何", "郑", "谢", "冯", "邓",
    "曾", "彭", "苏", "卢", "蔡", "叶", "潘", "杜", "许", "钟", "袁", "严", "麦", "温",
    "莫", "邱", "区", "欧", "伍", "廖", "赖", "冼", "关", "谭", "余", "朱"};
constexpr std::array<const char*, 24> kGiven = {
    "志强", "伟明", "丽华", "建国", "晓燕", "国华", "少芬", "俊杰", "海燕", "振华", "慧敏", "家豪",
    "文杰", "秀英", "嘉欣", "永强", "美玲", "锦荣", "佩仪", "子健", "碧珊", "健华", "雪梅", "卓文"};

std::string PersonName(size_t i) {
  return std::string(kSurnames[i % kSurnames.size()]) + kGiven[(i * 7 + i / kSurnames.size()) % kGiven.size()];
}

// 文号机关代字 of every demo org (R-DOC-1); units use their parent's.
const std::map<std::string, std::string>& DocPrefixes() {
  static const std::map<std::string, std::string> kPrefixes = {
      {"coordinator", "新法治办"}, {"government", "新府"},
      {"xincheng", "新城执"},     {"liuzu", "六祖执"},     {"dongcheng", "东成执"},
      {"rencun", "稔村执"},       {"chegang", "车岗执"},   {"shuitai", "水台执"},
      {"lezhu", "簕竹执"},        {"taiping", "太平执"},   {"tiantang", "天堂执"},
      {"hetou", "河头执"},        {"lidong", "里洞执"},    {"dajiang", "大江执"},
      {"scjg", "新市监"},         {"zrzy", "新自然资"},    {"sthj", "新环"},
      {"zjj", "新住建"},          {"jtys", "新交运"},      {"nync", "新农"},
      {"swj", "新水"},            {"wjj", "新卫健"},       {"yjgl", "新应急"},
      {"wglt", "新文广旅体"},     {"lyj", "新林"},         {"gaj", "新公"},
      {"jcy", "新检"},            {"fy", "新法"},          {"zljc", "新质检"},
  };
  return kPrefixes;
}

struct DemoUserSpec {
  const char* suffix;
  std::initializer_list<Role> roles;
  const char* label;
};
}  // namespace

core::Result<std::vector<DemoAccount>> LoadDemo(service::OrgService& orgs,
                                                service::AuthService& auth,
                                                const std::string& password,
                                                service::DutyService* duties,
                                                const core::Clock* clock,
                                                service::MatterService* matters,
                                                DemoDirectory* directory) {
  XT_RETURN_IF_ERROR(service::AuthService::CheckPasswordPolicy(password, "password"));
  service::Principal system_view;  // only used to read the directory
  system_view.user.roles.Add(Role::kAdmin);
  XT_ASSIGN_OR_RETURN(auto existing, orgs.ListOrgs(system_view));
  if (!existing.empty())
    return core::Status::Exists("db", "数据库中已有机构数据，演示数据只能载入空数据库");
  // One Argon2id hash for every demo account (they share the demo password by design).
  XT_ASSIGN_OR_RETURN(std::string hash, auth.HashPassword(password));

  std::vector<DemoAccount> accounts;
  std::map<std::string, domain::Org> by_code;
  size_t person = 0;
  std::map<std::string, int64_t> ids;  // username -> user id
  auto add_user = [&](const domain::Org& org, const std::string& username,
                      std::initializer_list<Role> roles,
                      std::optional<int64_t> unit_id = std::nullopt) -> core::Status {
    service::UserInput in;
    in.username = username;
    in.display_name = PersonName(person++);
    in.org_id = org.id;
    in.unit_id = unit_id;
    in.roles = domain::RoleSet(roles);
    XT_ASSIGN_OR_RETURN(auto u, orgs.CreateUser(nullptr, in, hash));
    ids[u.username] = u.id;
    std::string role_text;
    for (Role r : u.roles.List()) {
      if (!role_text.empty()) role_text += "、";
      role_text += domain::RoleLabelZh(r);
    }
    accounts.push_back({u.username, u.display_name, org.short_name, role_text});
    return core::Status::Ok();
  };

  for (const auto& o : kOrgs) {
    service::OrgInput in{o.code, o.name, o.short_name, o.kind, std::nullopt};
    in.doc_prefix = DocPrefixes().at(o.code);
    XT_ASSIGN_OR_RETURN(auto org, orgs.CreateOrg(nullptr, in));
    by_code[o.code] = org;
  }
  for (const auto& u : kUnits) {
    service::OrgInput in{u.code, u.name, u.short_name, OrgKind::kUnit, by_code.at(u.parent).id};
    in.doc_prefix = DocPrefixes().at(u.parent);
    XT_ASSIGN_OR_RETURN(auto org, orgs.CreateOrg(nullptr, in));
    by_code[u.code] = org;
  }

  XT_RETURN_IF_ERROR(add_user(by_code.at("coordinator"), "admin", {Role::kAdmin}));
  XT_RETURN_IF_ERROR(add_user(by_code.at("coordinator"), "coordinator.staff",
                              {Role::kCoordinatorStaff}));
  XT_RETURN_IF_ERROR(add_user(by_code.at("coordinator"), "coordinator.leader",
                              {Role::kCoordinatorStaff, Role::kLeader}));
  XT_RETURN_IF_ERROR(add_user(by_code.at("coordinator"), "auditor", {Role::kAuditor}));
  XT_RETURN_IF_ERROR(add_user(by_code.at("government"), "government.leader", {Role::kLeader}));
  for (const auto& o : kOrgs) {
    if (o.kind != OrgKind::kTownship && o.kind != OrgKind::kCountyDepartment &&
        !domain::IsJudicial(o.kind))
      continue;
    const domain::Org& org = by_code.at(o.code);
    std::string code = o.code;
    XT_RETURN_IF_ERROR(add_user(org, code + ".officer", {Role::kOfficer}));
    XT_RETURN_IF_ERROR(add_user(org, code + ".leader", {Role::kLeader}));
    XT_RETURN_IF_ERROR(add_user(org, code + ".liaison", {Role::kLiaison, Role::kOfficer}));
  }
  // Officers of dispatched units (they act for their department).
  XT_RETURN_IF_ERROR(add_user(by_code.at("scjg"), "scjg.xincheng.officer", {Role::kOfficer},
                              by_code.at("scjg-xincheng").id));
  XT_RETURN_IF_ERROR(add_user(by_code.at("zljc"), "zljc.officer", {Role::kOfficer}));

  if (matters) {  // the demo catalog (R-JUR-1), imported by the system like an admin import
    XT_RETURN_IF_ERROR(matters->ImportCsv(service::kSystem, DemoMattersCsv()).status());
  }

  if (duties && clock) {
    XT_ASSIGN_OR_RETURN(auto staff, auth.PrincipalOf(ids.at("coordinator.staff")));
    // Tasks the coordinator assigns by hand (R-PLN-2): workflow duties are opened by their
    // workflows only (the demo workflows below). Periods in hours keep each colour present in
    // the inbox of xincheng and scjg whatever the day the demo is loaded.
    struct DemoDuty {
      const char* owner;
      const char* title;
      int64_t hours_ago;  // trigger this long before now
      int64_t period_hours;
    };
    const DemoDuty kDuties[] = {
        {"xincheng", "【演示】交办：排查解放路沿街商铺液化气罐存放隐患并报送台账", 2, 72},        // green
        {"xincheng", "【演示】交办：报送本季度综合行政执法案件统计", 40, 48},                  // yellow
        {"xincheng", "【演示】交办：整改县委依法治县办督查指出的案卷问题", 48, 24},            // red
        {"liuzu", "【演示】交办：配合开展河道非法采砂专项整治", 24 * 5, 24 * 7},
        {"scjg", "【演示】交办：开展校园周边食品安全专项检查", 5, 72},                        // green
        {"scjg", "【演示】交办：报送行政执法与刑事司法衔接工作情况", 40, 48},                 // yellow
        {"scjg", "【演示】交办：核查群众反映的无证无照经营线索", 48, 24},                     // red
        {"zrzy", "【演示】交办：报送非法采砂案件查处进展", 1, 48},
    };
    int n = 0;
    for (const auto& d : kDuties) {
      service::DutyInput in;
      in.kind = "task.assigned";
      in.owner_org_id = by_code.at(d.owner).id;
      in.object_type = "demo";
      in.object_id = "demo-" + std::to_string(++n);
      in.title = d.title;
      in.trigger_at = clock->Now() - std::chrono::hours(d.hours_ago);
      in.unit = domain::PeriodUnit::kHours;
      in.period = d.period_hours;
      XT_RETURN_IF_ERROR(duties->Create(staff, in).status());
    }
  }
  if (directory) {
    directory->orgs = by_code;
    directory->users = ids;
  }
  return accounts;
}

}  // namespace xietong::cli
