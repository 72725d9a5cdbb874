// xietong: the command line. Subcommands: serve, migrate, backup, restore, demo load, token issue, audit verify,
// audit checkpoint export, audit key show, calendar (is-workday, add-workdays, import, years). Every command takes --db URL.
// The only place that wires concrete types (storage backend, clock, services).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json/serialize.hpp>

#include "calendar/builtin_schedules.h"
#include "calendar/calendar.h"
#include "calendar/schedule.h"
#include "cli/demo.h"
#include "cli/demo_workflows.h"
#include "cli/migrate_data.h"
#include "cli/open_store.h"
#include "cli/ops.h"
#include "cli/regions_cmd.h"
#include "cli/serve.h"
#include "http/views/calendar.h"
#include "service/audit_checkpoint.h"
#include "service/audit_log.h"
#include "service/auth_service.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/org_service.h"

namespace xc = xietong::core;

namespace xietong::cli {
namespace {

constexpr const char* kDefaultDb = "sqlite:var/xietong.db";

int Fail(const xc::Status& st) {
  std::fprintf(stderr, "xietong: %s\n", st.ToString().c_str());
  return st.code() == xc::Code::kInvalidArgument ? 2 : 1;
}

int CmdMigrate(const std::string& db) {
  auto v = Migrate(db);
  if (!v.ok()) return Fail(v.status());
  std::printf("数据库已迁移到版本 %d (%s)\n", *v, db.c_str());
  return 0;
}

int CmdDemoLoad(const std::string& db, const std::string& password, bool city) {
  auto store = OpenStore(db);
  if (!store.ok()) return Fail(store.status());
  xc::SystemClock clock;
  service::AuthService auth(**store, clock);
  service::OrgService orgs(**store, clock, auth);
  service::CalendarService calendar(**store, clock);
  if (auto st = calendar.Load(); !st.ok()) return Fail(st);
  service::DutyService duties(**store, clock, calendar);
  service::MatterService matters(**store, clock);
  DemoDirectory directory;
  auto accounts = LoadDemo(orgs, auth, password, &duties, &clock, &matters, &directory);
  if (!accounts.ok()) return Fail(accounts.status());
  // Examples of each workflow, through the services (cli/demo_workflows.h).
  const DemoEnv demo{**store, clock, auth, calendar, duties, matters, directory};
  (void)demo;
  if (auto st = DemoDisputes(demo); !st.ok()) return Fail(st);  // --- Jurisdiction disputes ---
  if (auto st = DemoComplaints(demo); !st.ok()) return Fail(st);  // R-SYS-3
  if (auto st = DemoCourtPolice(demo); !st.ok()) return Fail(st);  // R-CRI-3, R-CRI-4
  if (auto st = DemoCriminal(demo); !st.ok()) return Fail(st);  // criminal transfers (R-CRI-1a)
  if (auto st = DemoGuidance(demo); !st.ok()) return Fail(st);  // R-GUI-1..3
  if (auto st = DemoPlan(demo); !st.ok()) return Fail(st);  // annual plan, ad hoc task (R-PLN-1/2)
  if (auto st = DemoWorkbench(demo); !st.ok()) return Fail(st);  // 督办 (R-PLN-2, issue 17)
  if (auto st = DemoMechanisms(demo); !st.ok()) return Fail(st);  // R-SYS-1, 4, 5
  if (auto st = DemoSharedInfo(demo); !st.ok()) return Fail(st);  // shared information (R-INF-1..3)
  if (auto st = DemoContacts(demo); !st.ok()) return Fail(st);  // issue 18, last: queues nothing
  if (city) {  // --- Regions (R-ACC-2, issue 19): Yunfu City around the demo county ---
    if (auto st = DemoCity(demo, password); !st.ok()) return Fail(st);
    std::printf("已载入演示市：云浮市（新兴县、郁南县、罗定市、云城区、云安区；市委依法治市办 yunfu.staff）\n");
  }
  std::printf("已载入演示县：新兴县（%zu 个账号，密码均为 --password 所给）\n", accounts->size());
  std::printf("%-26s %-8s %-16s %s\n", "用户名", "姓名", "机构", "角色");
  for (const auto& a : *accounts) {
    std::printf("%-23s %-8s %-16s %s\n", a.username.c_str(), a.display_name.c_str(),
                a.org_name.c_str(), a.roles.c_str());
  }
  return 0;
}

int CmdTokenIssue(const std::string& db, const std::string& username, const std::string& name) {
  auto store = OpenStore(db);
  if (!store.ok()) return Fail(store.status());
  xc::SystemClock clock;
  service::AuthService auth(**store, clock);
  int64_t user_id = 0;
  auto st = (*store)->Read([&](storage::Tx& tx) -> xc::Status {
    XT_ASSIGN_OR_RETURN(auto u, tx.GetUserByUsername(username));
    user_id = u.id;
    return xc::Status::Ok();
  });
  if (!st.ok()) return Fail(xc::Status::Invalid("user", "用户不存在：" + username));
  auto issued = auth.IssueToken(nullptr, user_id, name);
  if (!issued.ok()) return Fail(issued.status());
  std::fprintf(stderr, "已为 %s 签发API令牌（编号 %lld），请妥善保存，令牌只显示这一次：\n",
               username.c_str(), static_cast<long long>(issued->id));
  std::printf("%s\n", issued->token.c_str());
  return 0;
}

// Reads a list of hex public keys, one a line ("#" comments).
xc::Result<std::vector<std::string>> ReadKeyList(const std::string& path) {
  std::ifstream in(path);
  if (!in) return xc::Status::Invalid("trusted-keys", "无法读取可信公钥列表：" + path);
  std::vector<std::string> keys;
  std::string line;
  while (std::getline(in, line)) {
    auto end = line.find_first_of(" \t\r#");
    line = line.substr(0, end);
    if (!line.empty()) keys.push_back(line);
  }
  return keys;
}

// Exit 0 only when the chain is intact, every stored checkpoint is signed and extended by the
// log, and the log extends every checkpoint file given (R-AUD-1); 3 otherwise, naming what
// contradicts what.
int CmdAuditVerify(const std::string& db, const std::vector<std::string>& checkpoint_files,
                   std::vector<std::string> trusted_keys, const std::string& trusted_keys_file) {
  if (!trusted_keys_file.empty()) {
    auto more = ReadKeyList(trusted_keys_file);
    if (!more.ok()) return Fail(more.status());
    trusted_keys.insert(trusted_keys.end(), more->begin(), more->end());
  }
  std::vector<std::pair<domain::AuditCheckpoint, std::string>> held;
  for (const std::string& file : checkpoint_files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Fail(xc::Status::Invalid("checkpoint", "无法读取检查点文件：" + file));
    std::stringstream ss;
    ss << in.rdbuf();
    auto cp = service::ParseCheckpointJson(ss.str());
    if (!cp.ok()) {
      std::printf("检查点 %s 无法解析：%s\n", file.c_str(), cp.status().message().c_str());
      return 3;
    }
    held.emplace_back(std::move(cp).value(), file);
  }
  auto store = OpenStore(db, {.apply_migrations = false});
  if (!store.ok()) return Fail(store.status());
  auto report = service::VerifyAudit(**store, std::move(held), std::move(trusted_keys));
  if (!report.ok()) return Fail(report.status());
  const auto& chain = report->chain;
  if (chain.ok) {
    std::printf("审计链完整：共 %lld 条记录\n", static_cast<long long>(chain.entries));
  } else {
    std::printf("审计链被破坏：第 %lld 条记录（%s）：%s\n", static_cast<long long>(chain.first_bad_seq),
                std::string(domain::ChainProblemName(chain.problem)).c_str(),
                chain.explanation.c_str());
  }
  int table_ok = 0;
  for (const auto& f : report->table) {
    if (f.ok()) ++table_ok;
    else std::printf("检查点表不符（%s）：%s\n", std::string(domain::CheckpointProblemName(f.problem)).c_str(),
                     f.explanation.c_str());
  }
  std::printf("检查点表：%d/%zu 个检查点签名有效且与日志一致\n", table_ok, report->table.size());
  for (const auto& f : report->held) {
    if (f.ok()) {
      std::printf("检查点 %s（第%lld条）：日志与之一致\n", f.source.c_str(),
                  static_cast<long long>(f.checkpoint.seq));
    } else {
      std::printf("检查点不符（%s）：%s\n", std::string(domain::CheckpointProblemName(f.problem)).c_str(),
                  f.explanation.c_str());
    }
  }
  return report->ok() ? 0 : 3;
}

// Writes the latest signed checkpoint as JSON to `to` (stdout when empty).
int CmdAuditCheckpointExport(const std::string& db, const std::string& to) {
  auto store = OpenStore(db, {.apply_migrations = false});
  if (!store.ok()) return Fail(store.status());
  auto cp = service::LatestCheckpoint(**store);
  if (!cp.ok()) return Fail(cp.status());
  if (!*cp) {
    return Fail(xc::Status::NotFound("audit_checkpoint",
                                     "尚无已签名的审计检查点（服务启动、停止时及运行中定期签署）"));
  }
  const std::string text = boost::json::serialize(service::CheckpointJson(**cp)) + "\n";
  if (to.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Fail(xc::Status::Unavailable("无法写入 " + to));
  std::fprintf(stderr, "已导出审计检查点：第 %lld 条记录，%s → %s\n",
               static_cast<long long>((*cp)->seq), xc::FormatInstant((*cp)->at).c_str(), to.c_str());
  return 0;
}

// Prints the public key of the key file (and, with a database, every key that signed its
// checkpoints: the keys list after rotations).
int CmdAuditKeyShow(const std::string& key_file, const std::string& db, bool with_db) {
  auto key = service::LoadAuditKey(key_file);
  if (!key.ok()) return Fail(key.status());
  std::printf("%s\n", key->public_key_hex.c_str());
  if (!with_db) return 0;
  auto store = OpenStore(db, {.apply_migrations = false});
  if (!store.ok()) return Fail(store.status());
  std::vector<domain::AuditCheckpoint> table;
  auto st = (*store)->Read([&](storage::Tx& tx) -> xc::Status {
    XT_ASSIGN_OR_RETURN(table, tx.ListAuditCheckpoints());
    return xc::Status::Ok();
  });
  if (!st.ok()) return Fail(st);
  // Keys in the order they first signed, with the range of entries they signed.
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> keys;
  for (const auto& cp : table) {
    if (keys.empty() || keys.back().first != cp.public_key) keys.push_back({cp.public_key, {cp.seq, cp.seq}});
    else keys.back().second.second = cp.seq;
  }
  for (const auto& [pk, range] : keys) {
    std::fprintf(stderr, "# 签署第%lld–%lld条的检查点 signed checkpoints %lld..%lld\n",
                 static_cast<long long>(range.first), static_cast<long long>(range.second),
                 static_cast<long long>(range.first), static_cast<long long>(range.second));
    if (pk != key->public_key_hex) std::printf("%s\n", pk.c_str());
  }
  return 0;
}

// Loads the calendar the way the server does (built-ins plus imported years in the database).
xc::Result<std::shared_ptr<const calendar::Calendar>> LoadCalendar(const std::string& db,
                                                                   bool use_db) {
  xc::SystemClock clock;
  if (!use_db) {
    std::vector<calendar::YearSchedule> years;
    for (std::string_view json : calendar::BuiltinScheduleJson()) {
      XT_ASSIGN_OR_RETURN(auto y, calendar::ParseYearSchedule(json));
      years.push_back(std::move(y));
    }
    XT_ASSIGN_OR_RETURN(auto c, calendar::Calendar::Build(std::move(years)));
    return std::make_shared<const calendar::Calendar>(std::move(c));
  }
  XT_ASSIGN_OR_RETURN(auto store, OpenStore(db));
  service::CalendarService svc(*store, clock);
  XT_RETURN_IF_ERROR(svc.Load());
  return svc.Current();
}

}  // namespace
}  // namespace xietong::cli

int main(int argc, char** argv) {
  using namespace xietong;  // NOLINT: main only
  CLI::App app{"协同 xietong — 行政执法协同平台 (county enforcement coordination platform)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "xietong 0.1.0");

  std::string db = cli::kDefaultDb;
  auto add_db = [&db](CLI::App* sub) {
    sub->add_option("--db", db, "数据库地址 database URL: sqlite:PATH (default sqlite:var/xietong.db)")
        ->envname("XIETONG_DB");
  };

  // serve
  cli::ServeOptions serve_opts;
  CLI::App* serve = app.add_subcommand("serve", "启动服务 Run the HTTP server");
  add_db(serve);
  cli::AddServeOptions(serve, serve_opts);

  CLI::App* migrate = app.add_subcommand("migrate", "迁移数据库 Apply database migrations");
  add_db(migrate);

  // --- Operating (issue 18): backup and restore (cli/ops.h) ---
  std::string backup_to, restore_from;
  bool restore_force = false;
  CLI::App* backup = app.add_subcommand(
      "backup", "备份 Write a verified backup directory (database with evidence files, manifest, SHA-256)");
  add_db(backup);
  backup->add_option("--to", backup_to, "备份目录（不得已存在）backup directory (must not exist)")->required();
  CLI::App* restore = app.add_subcommand(
      "restore", "恢复 Restore a backup directory into a database (stop the server first)");
  add_db(restore);
  restore->add_option("--from", restore_from, "备份目录 backup directory")->required()->check(CLI::ExistingDirectory);
  restore->add_flag("--force", restore_force, "覆盖非空数据库 overwrite a database that is not empty");

  CLI::App* demo = app.add_subcommand("demo", "演示数据 Demo data");
  demo->require_subcommand(1);
  CLI::App* demo_load = demo->add_subcommand("load", "载入演示县（新兴县）Load the demo county");
  add_db(demo_load);
  std::string demo_password;
  demo_load->add_option("--password", demo_password, "所有演示账号的密码 password of every demo account")
      ->required();
  bool demo_city = false;  // --- Regions (R-ACC-2, issue 19) ---
  demo_load->add_flag("--city", demo_city, "同时载入云浮市（五个县区与市委依法治市办）Also load Yunfu City");

  CLI::App* token = app.add_subcommand("token", "API令牌 API tokens");
  token->require_subcommand(1);
  CLI::App* token_issue = token->add_subcommand("issue", "签发令牌 Issue a bearer token (printed as the last line)");
  add_db(token_issue);
  std::string token_user, token_name = "cli";
  token_issue->add_option("--user", token_user, "用户名 username")->required();
  token_issue->add_option("--name", token_name, "令牌名称 token name");

  CLI::App* audit = app.add_subcommand("audit", "审计 Audit trail");
  audit->require_subcommand(1);
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "校验审计链及检查点 Verify the hash chain and signed checkpoints (exit 0 only when intact)");
  add_db(audit_verify);
  std::vector<std::string> audit_checkpoints, audit_trusted_keys;
  std::string audit_trusted_keys_file, audit_to, audit_key_file = "var/audit-signing.key";
  audit_verify->add_option("--checkpoint", audit_checkpoints,
                           "所持检查点文件（可多个）checkpoint files held; the log must extend each")
      ->check(CLI::ExistingFile);
  audit_verify->add_option("--trusted-key", audit_trusted_keys,
                           "可信签名公钥（十六进制，可重复）trusted signing public key (hex, repeatable)");
  audit_verify->add_option("--trusted-keys", audit_trusted_keys_file,
                           "可信公钥列表文件（每行一个）file of trusted public keys, one a line")
      ->check(CLI::ExistingFile);
  CLI::App* audit_checkpoint = audit->add_subcommand("checkpoint", "审计检查点 Signed checkpoints");
  audit_checkpoint->require_subcommand(1);
  CLI::App* audit_export = audit_checkpoint->add_subcommand(
      "export", "导出最新检查点 Write the latest signed checkpoint as JSON");
  add_db(audit_export);
  audit_export->add_option("--to", audit_to, "输出文件（默认标准输出）output file (default stdout)");
  CLI::App* audit_key = audit->add_subcommand("key", "签名密钥 Signing key");
  audit_key->require_subcommand(1);
  CLI::App* audit_key_show = audit_key->add_subcommand(
      "show", "显示签名公钥 Print the public key (with --db also the keys that signed earlier checkpoints)");
  audit_key_show->add_option("--audit-key", audit_key_file, "签名密钥文件 signing key file")
      ->envname("XIETONG_AUDIT_KEY")->capture_default_str();
  bool audit_key_with_db = false;
  audit_key_show->add_option("--db", db, "also list the keys that signed this database's checkpoints")
      ->envname("XIETONG_DB")
      ->each([&audit_key_with_db](const std::string&) { audit_key_with_db = true; });

  // migrate-data: a county's SQLite database into an empty PostgreSQL one (cli/migrate_data.h)
  std::string md_from, md_to;
  CLI::App* migrate_data = app.add_subcommand(
      "migrate-data", "迁移数据 Copy a SQLite database into an empty PostgreSQL database");
  migrate_data->add_option("--from", md_from, "源 source: sqlite:PATH")->required();
  migrate_data->add_option("--to", md_to, "目标 target: postgres://…")->required();

  CLI::App* cal = app.add_subcommand("calendar", "工作日历 Working-day calendar");
  cal->require_subcommand(1);
  bool cal_json = false, cal_use_db = false;
  std::string cal_date, cal_file;
  int cal_n = 0;
  CLI::App* is_workday = cal->add_subcommand("is-workday", "是否工作日 Print true or false");
  is_workday->add_option("date", cal_date, "YYYY-MM-DD")->required();
  CLI::App* add_workdays = cal->add_subcommand("add-workdays", "加工作日 Print the deadline day (YYYY-MM-DD)");
  add_workdays->add_option("date", cal_date, "event date YYYY-MM-DD")->required();
  add_workdays->add_option("n", cal_n, "working days")->required()->check(CLI::Range(0, 3650));
  for (CLI::App* sub : {is_workday, add_workdays}) {
    sub->add_flag("--json", cal_json, "详细结果（JSON）detailed answer");
    sub->add_option("--db", db, "also use the years imported into this database")
        ->envname("XIETONG_DB")
        ->each([&cal_use_db](const std::string&) { cal_use_db = true; });
  }
  CLI::App* cal_import = cal->add_subcommand("import", "导入年度节假日安排 Import a year's schedule (JSON file)");
  cal_import->add_option("file", cal_file, "year schedule JSON")->required()->check(CLI::ExistingFile);
  add_db(cal_import);
  CLI::App* cal_years = cal->add_subcommand("years", "已加载年份 List loaded years");
  add_db(cal_years);

  cli::RegionsCli regions_cli;  // --- Regions (R-ACC-2, issue 19) ---
  regions_cli.Add(app, add_db);

  CLI11_PARSE(app, argc, argv);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");

  try {
    if (*serve) return cli::RunServe(db, serve_opts);
    if (*migrate) return cli::CmdMigrate(db);
    if (*backup) {  // --- Operating (issue 18) ---
      auto r = cli::Backup(db, backup_to);
      if (!r.ok()) return cli::Fail(r.status());
      std::printf("备份完成并已校验：%s（%s，架构版本 %lld，%lld 字节，审计记录 %lld 条，%.2f 秒）\n",
                  r->dir.c_str(), r->backend.c_str(), static_cast<long long>(r->schema_version),
                  static_cast<long long>(r->bytes), static_cast<long long>(r->audit_entries), r->seconds);
      return 0;
    }
    if (*restore) {
      auto r = cli::Restore(restore_from, db, restore_force);
      if (!r.ok()) return cli::Fail(r.status());
      std::printf("恢复完成并已校验：%s（备份架构版本 %lld，现为 %d；审计链完整，共 %lld 条记录）\n",
                  db.c_str(), static_cast<long long>(r->backup_schema_version), r->schema_version,
                  static_cast<long long>(r->audit_entries));
      return 0;
    }
    if (*demo_load) return cli::CmdDemoLoad(db, demo_password, demo_city);
    if (auto rc = regions_cli.Run(db)) return *rc;  // --- Regions (R-ACC-2, issue 19) ---
    if (*token_issue) return cli::CmdTokenIssue(db, token_user, token_name);
    if (*audit_verify)
      return cli::CmdAuditVerify(db, audit_checkpoints, audit_trusted_keys, audit_trusted_keys_file);
    if (*audit_export) return cli::CmdAuditCheckpointExport(db, audit_to);
    if (*audit_key_show) return cli::CmdAuditKeyShow(audit_key_file, db, audit_key_with_db);
    if (*migrate_data) {
      auto r = cli::MigrateData(md_from, md_to);
      if (!r.ok()) return cli::Fail(r.status());
      int64_t total = 0;
      for (const auto& [table, rows] : r->rows) {
        std::printf("%-24s %lld\n", table.c_str(), static_cast<long long>(rows));
        total += rows;
      }
      std::printf("已迁移 %zu 张表、%lld 行数据（架构版本 %d），序列已推进 %zu 个\n", r->rows.size(),
                  static_cast<long long>(total), r->schema_version, r->sequences.size());
      return 0;
    }
    if (*is_workday || *add_workdays) {
      auto day = core::ParseDay(cal_date);
      if (!day) return cli::Fail(core::Status::Invalid("date", "日期格式应为 YYYY-MM-DD：" + cal_date));
      auto c = cli::LoadCalendar(db, cal_use_db);
      if (!c.ok()) return cli::Fail(c.status());
      if (*is_workday) {
        auto info = (*c)->Day(*day);
        if (cal_json) std::printf("%s\n", boost::json::serialize(http::views::DayInfoJson(info, **c)).c_str());
        else std::printf("%s\n", info.workday ? "true" : "false");
      } else {
        auto d = (*c)->AddWorkingDays(*day, cal_n);
        if (cal_json) std::printf("%s\n", boost::json::serialize(http::views::DeadlineJson(d)).c_str());
        else std::printf("%s\n", core::FormatDay(d.last_day).c_str());
      }
      return 0;
    }
    if (*cal_import) {
      std::ifstream in(cal_file, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      auto store = cli::OpenStore(db);
      if (!store.ok()) return cli::Fail(store.status());
      core::SystemClock clock;
      service::CalendarService svc(**store, clock);
      if (auto st = svc.Load(); !st.ok()) return cli::Fail(st);
      service::Principal admin;  // the CLI acts as an administrator
      admin.user.roles.Add(domain::Role::kAdmin);
      admin.user.username = "cli";
      auto out = svc.Import(admin, ss.str());
      if (!out.ok()) return cli::Fail(out.status());
      std::printf("已导入 %d 年节假日安排；日历版本 %s；重新计算暂定期限 %d 项\n", out->year,
                  out->version.c_str(), out->recomputed_duties);
      return 0;
    }
    if (*cal_years) {
      auto c = cli::LoadCalendar(db, true);
      if (!c.ok()) return cli::Fail(c.status());
      std::printf("version %s\n", (*c)->version().c_str());
      for (int y : (*c)->years()) {
        const auto* ys = (*c)->year(y);
        std::printf("%d %s %s\n", y, ys ? ys->notice_number.c_str() : "", ys ? ys->notice_title.c_str() : "");
      }
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xietong: fatal: %s\n", e.what());
    return 1;
  }
  return 0;
}
