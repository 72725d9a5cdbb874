#include "cli/serve.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <boost/json.hpp>

#include "cli/open_store.h"
#include "cli/ops.h"
#include "core/clock.h"
#include "storage/db_url.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "http/api_common.h"
#include "http/idempotency.h"
#include "http/json_io.h"
#include "http/metrics.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_files.h"
#include "jobs/sweeper.h"
#include "reports/document_html.h"
#include "service/audit_checkpoint.h"
#include "service/auth_service.h"
#include "service/calendar_service.h"
#include "service/dispute_service.h"
#include "service/duty_service.h"
#include "service/file_service.h"
#include "service/idempotency_service.h"
#include "service/matter_service.h"
#include "service/notification_service.h"
#include "service/delivery_service.h"
#include "service/org_service.h"
#include "service/referral_service.h"
#include "service/sweep_service.h"
#include "service/collaboration_service.h"
#include "service/coord_item_service.h"
#include "service/complaint_service.h"
#include "service/criminal_transfer_service.h"
#include "service/collab_items.h"
#include "service/court_police_service.h"
#include "service/guidance_service.h"
#include "service/plan_service.h"
#include "service/urging_service.h"
#include "service/workbench_service.h"
#include "service/approval_service.h"
#include "service/region_service.h"
#include "service/shared_info_service.h"

namespace xietong::cli {

void AddServeOptions(CLI::App* sub, ServeOptions& o) {
  sub->set_config("--config", "", "配置文件（TOML/INI，键名同长选项）config file; unknown keys are rejected");
  sub->allow_config_extras(CLI::config_extras_mode::error);
  sub->add_option("--listen", o.listen, "监听地址 HOST:PORT (port 0 = any free port)")
      ->envname("XIETONG_LISTEN")->capture_default_str();
  sub->add_option("--web-root", o.web_root, "网页目录 directory of the built web UI")
      ->envname("XIETONG_WEB_ROOT")->capture_default_str();
  sub->add_option("--threads", o.threads, "I/O 线程数 I/O threads (0 = one per core)")
      ->envname("XIETONG_THREADS")->capture_default_str()->check(CLI::Range(0, 256));
  sub->add_option("--workers", o.workers,
                  "处理线程数（同时处理的请求数）handler threads, requests handled at once (0 = 32)")
      ->envname("XIETONG_WORKERS")->capture_default_str()->check(CLI::Range(0, 1024));
  sub->add_option("--max-body-bytes", o.max_body_bytes, "请求体上限 largest request body, bytes")
      ->envname("XIETONG_MAX_BODY_BYTES")->capture_default_str();
  sub->add_option("--max-header-bytes", o.max_header_bytes, "请求头上限 largest header block, bytes")
      ->capture_default_str();
  sub->add_option("--read-timeout", o.read_timeout_s, "读取超时（秒）seconds to receive a request")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  sub->add_option("--idle-timeout", o.idle_timeout_s, "空闲超时（秒）keep-alive idle seconds")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  sub->add_option("--max-json-depth", o.max_json_depth, "JSON最大嵌套深度 deepest JSON nesting")
      ->capture_default_str()->check(CLI::Range(2, 256));
  sub->add_option("--sweep-interval", o.sweep_interval_s, "期限巡检间隔（秒）deadline sweeper interval, seconds")
      ->envname("XIETONG_SWEEP_INTERVAL")->capture_default_str()->check(CLI::Range(0.05, 86400.0));
  sub->add_flag("--test-mode", o.test_mode, "测试模式（启用 /api/v1/test/*，勿用于生产）test mode");
  sub->add_option("--fake-clock", o.fake_clock, "测试时钟起点 RFC 3339 fake clock start (requires --test-mode)");
  sub->add_option("--access-log", o.access_log, "访问日志 stdout | off | FILE")
      ->envname("XIETONG_ACCESS_LOG")->capture_default_str();
  sub->add_option("--trusted-proxy", o.trusted_proxies,
                  "可信反向代理地址（可重复；采用其 X-Forwarded-For 作为客户端地址）"
                  "reverse proxy address whose X-Forwarded-For is trusted (repeatable)")
      ->envname("XIETONG_TRUSTED_PROXY")->delimiter(',');
  // --- Signed audit checkpoints (R-AUD-1) ---
  sub->add_option("--audit-key", o.audit_key,
                  "审计检查点签名密钥文件（不存在时以0600创建）audit checkpoint signing key file (Ed25519; created 0600 if absent)")
      ->envname("XIETONG_AUDIT_KEY")->capture_default_str();
  sub->add_option("--audit-checkpoint-every", o.audit_checkpoint_every,
                  "每新增多少条审计记录签一个检查点 sign a checkpoint every N audit entries")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  sub->add_option("--audit-checkpoint-interval", o.audit_checkpoint_interval_s,
                  "检查点最长间隔（秒）seconds between checkpoints while the log grows")
      ->capture_default_str()->check(CLI::Range(0.05, 86400.0));
  // --- HTTP edge (issue 15) ---
  sub->add_option("--max-connections", o.max_connections,
                  "最大连接数（0 = 按文件描述符上限自动）open connections at most (0 = from the fd limit)")
      ->envname("XIETONG_MAX_CONNECTIONS")->capture_default_str();
  sub->add_option("--max-connections-per-ip", o.max_connections_per_ip,
                  "单个地址最大连接数（0 = 自动；可信代理不受限）open connections per peer address "
                  "(0 = min(1000, max); trusted proxies exempt)")
      ->envname("XIETONG_MAX_CONNECTIONS_PER_IP")->capture_default_str();
  sub->add_option("--header-timeout", o.header_timeout_s,
                  "请求头接收超时（秒）seconds to receive a request's header block")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  sub->add_option("--session-recheck-ms", o.session_recheck_ms,
                  "事件流复核会话间隔（毫秒）milliseconds between session re-checks of an event stream")
      ->capture_default_str()->check(CLI::Range(10, 30000));
  sub->add_option("--cookie-secure", o.cookie_secure,
                  "会话 Cookie 的 Secure 属性 auto（可信代理报告 HTTPS 时）| always | never")
      ->envname("XIETONG_COOKIE_SECURE")->capture_default_str()
      ->check(CLI::IsMember({"auto", "always", "never"}));
  // --- Collaborations (v4) ---
  sub->add_option("--dispatch-hours", o.dispatch_hours,
                  "派员现场处置时限（小时，R-COL-3）hours to send staff on site")
      ->capture_default_str()->check(CLI::Range(1, 240));
  // --- Notices, meetings, participation, violation notices (v5) ---
  sub->add_option("--notice-hazard-days", o.notice_hazard_days,
                  "重大安全隐患通报研究处置期限（工作日，R-COL-5）working days to act on a hazard notice")
      ->capture_default_str()->check(CLI::Range(1, 60));
  sub->add_option("--notice-frequent-days", o.notice_frequent_days,
                  "违法行为多发领域通报研究处置期限（工作日，R-COL-5）working days to act on a frequent-violation notice")
      ->capture_default_str()->check(CLI::Range(1, 60));
  sub->add_option("--violation-dispatch-hours", o.violation_dispatch_hours,
                  "接到违法行为通知后派员时限（小时，R-COL-8）hours to dispatch officers")
      ->capture_default_str()->check(CLI::Range(1, 240));
  // --- Jurisdiction disputes (R-DIS-1..3) ---
  sub->add_option("--dispute-joint-days", o.dispute_joint_days,
                  "职责争议先协同处置期限（工作日，R-DIS-1）working days to record joint handling")
      ->capture_default_str()->check(CLI::Range(1, 60));
  sub->add_option("--dispute-negotiation-days", o.dispute_negotiation_days,
                  "职责争议协商期限（工作日，R-DIS-2）working days to negotiate a dispute")
      ->capture_default_str()->check(CLI::Range(1, 120));
  sub->add_option("--dispute-coordination-days", o.dispute_coordination_days,
                  "职责争议协调期限（工作日，R-DIS-2）working days for the coordinator")
      ->capture_default_str()->check(CLI::Range(1, 120));
  sub->add_option("--dispute-decision-days", o.dispute_decision_days,
                  "职责争议县政府决定期限（工作日，R-DIS-2）working days for the government's decision")
      ->capture_default_str()->check(CLI::Range(1, 120));
  // --- First-contact complaints (R-SYS-3) ---
  sub->add_option("--complaint-reply-days", o.complaint_reply_days,
                  "投诉举报答复期限（工作日，R-SYS-3）working days to reply to a complainant")
      ->capture_default_str()->check(CLI::Range(1, 90));
  // --- Court enforcement (R-CRI-3) and police support (R-CRI-4) ---
  sub->add_option("--police-support-answer-hours", o.police_support_answer_hours,
                  "公安机关答复协助请求时限（小时，不晚于行动开始，R-CRI-4）hours for the police to answer a support request")
      ->capture_default_str()->check(CLI::Range(1, 240));
  sub->add_option("--police-handover-hours", o.police_handover_hours,
                  "公安机关处理移交的阻碍执法情况时限（小时，R-CRI-4）hours for the police to handle a hand-over")
      ->capture_default_str()->check(CLI::Range(1, 720));
  // --- Guidance, training, technical support (R-GUI-1..3) ---
  sub->add_option("--guidance-respond-days", o.guidance_respond_days,
                  "县直部门答复业务指导申请期限（工作日，R-GUI-1）working days to respond to a guidance request")
      ->capture_default_str()->check(CLI::Range(1, 60));
  sub->add_option("--tech-support-answer-days", o.tech_support_answer_days,
                  "县直部门答复技术支持申请期限（工作日，R-GUI-3）working days to answer a technical support request")
      ->capture_default_str()->check(CLI::Range(1, 60));
  sub->add_option("--training-min-per-year", o.training_min_per_year,
                  "县直部门每年业务培训最少次数（R-GUI-2）trainings per department per year")
      ->capture_default_str()->check(CLI::Range(0, 50));
  sub->add_option("--training-min", o.training_min,
                  "某年的业务培训最少次数，如 2026=1（R-GUI-2）a year's minimum, e.g. 2026=1")
      ->check([](const std::string& v) -> std::string {
        const auto eq = v.find('=');
        int y = 0, n = -1;
        if (eq == 4 && std::sscanf(v.c_str(), "%d=%d", &y, &n) == 2 && y >= 2000 && y <= 2100 && n >= 0 && n <= 50) {
          return "";
        }
        return "应为 年=次数，如 2026=1 (year=count)";
      });
  // --- 督办 (R-PLN-2, issue 17) ---
  sub->add_option("--escalate-red-hours", o.escalate_red_hours,
                  "超期升级时限（小时）hours a duty stays red before it is escalated to the next "
                  "level's coordinator office (R-ACC-2)")
      ->check(CLI::Range(0.0, 8760.0))
      ->capture_default_str();
  sub->add_option("--urging-answer-days", o.urging_answer_days,
                  "被督办单位答复期限（工作日，R-PLN-2）working days to answer an urging notice")
      ->capture_default_str()->check(CLI::Range(1, 30));
  // --- Shared information (R-INF-1, R-INF-3) ---
  sub->add_option("--material-ack-days", o.material_ack_days,
                  "乡镇确认收到共享资料期限（工作日，R-INF-1）working days for a township to acknowledge a material")
      ->capture_default_str()->check(CLI::Range(1, 60));
  sub->add_option("--penalty-filing-ack-days", o.penalty_filing_ack_days,
                  "县直部门确认处罚备案期限（工作日，R-INF-3）working days for a department to acknowledge a penalty filing")
      ->capture_default_str()->check(CLI::Range(1, 60));
  // --- Sign-in (issue 15) ---
  sub->add_option("--signin-hash-slots", o.signin_hash_slots,
                  "同时进行的密码校验数（0 = 核数的一半，至少1）Argon2id password checks at once "
                  "(0 = half the cores, at least 1)")
      ->capture_default_str()->check(CLI::Range(0, 256));
  // --- Operating (issue 18) ---
  sub->add_option("--log-format", o.log_format, "日志格式 text | json (server log lines; the access log is JSON)")
      ->envname("XIETONG_LOG_FORMAT")->capture_default_str()->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--backup-dir", o.backup_dir,
                  "定期备份目录（空 = 不定期备份）directory of scheduled backups (empty: none)")
      ->envname("XIETONG_BACKUP_DIR");
  sub->add_option("--backup-every", o.backup_every, "备份间隔 interval between backups: 24h, 30m, 90s, 2d")
      ->envname("XIETONG_BACKUP_EVERY")->capture_default_str();
  sub->add_option("--backup-keep", o.backup_keep, "保留最近几份备份 newest verified backups kept")
      ->envname("XIETONG_BACKUP_KEEP")->capture_default_str()->check(CLI::Range(1, 10000));
  // --- Notifications away from the browser (issue 18) ---
  sub->add_option("--smtp-host", o.smtp_host, "邮件服务器 SMTP host (empty: no email)")
      ->envname("XIETONG_SMTP_HOST");
  sub->add_option("--smtp-port", o.smtp_port, "SMTP port")
      ->envname("XIETONG_SMTP_PORT")->capture_default_str()->check(CLI::Range(1, 65535));
  sub->add_option("--smtp-starttls", o.smtp_starttls, "STARTTLS: required | optional | off")
      ->envname("XIETONG_SMTP_STARTTLS")->capture_default_str()
      ->check(CLI::IsMember({"required", "optional", "off"}));
  sub->add_flag("--smtp-tls", o.smtp_tls, "implicit TLS (smtps://, usually port 465)");
  sub->add_option("--smtp-user", o.smtp_user, "SMTP user")->envname("XIETONG_SMTP_USER");
  sub->add_option("--smtp-password-file", o.smtp_password_file,
                  "file holding the SMTP password (or env XT_SMTP_PASSWORD)");
  sub->add_option("--smtp-from", o.smtp_from, "发件地址 From address")
      ->envname("XIETONG_SMTP_FROM")->capture_default_str();
  sub->add_flag("--smtp-insecure", o.smtp_insecure,
                "do not verify the SMTP server's certificate (tests only)");
  sub->add_option("--smtp-ca-file", o.smtp_ca_file, "CA bundle for the SMTP server's certificate");
  sub->add_option("--webhook-url", o.webhook_url,
                  "短信/即时消息网关地址 SMS/IM gateway URL (empty: no SMS)")
      ->envname("XIETONG_WEBHOOK_URL");
  sub->add_option("--webhook-secret-file", o.webhook_secret_file,
                  "file holding the gateway's HMAC secret (or env XT_WEBHOOK_SECRET)");
  sub->add_option("--delivery-poll-ms", o.delivery_poll_ms, "outbox poll interval, ms")
      ->capture_default_str()->check(CLI::Range(10, 600000));
  sub->add_option("--delivery-backoff-ms", o.delivery_backoff_ms,
                  "first retry after a failed delivery, ms (doubles each attempt)")
      ->capture_default_str()->check(CLI::Range(10, 3600000));
  sub->add_option("--delivery-max-attempts", o.delivery_max_attempts,
                  "attempts before a delivery is marked failed")
      ->capture_default_str()->check(CLI::Range(1, 100));
}

namespace {
int Fail(const core::Status& st) {
  std::fprintf(stderr, "xietong: %s\n", st.ToString().c_str());
  return 1;
}

core::Result<std::pair<std::string, uint16_t>> SplitListen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return core::Status::Invalid("listen", "监听地址应为 HOST:PORT：" + s);
  std::string host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(s.substr(colon + 1), &used);
    if (used != s.size() - colon - 1) port = -1;
  } catch (...) {
  }
  if (port < 0 || port > 65535) return core::Status::Invalid("listen", "端口无效：" + s);
  return std::make_pair(host, static_cast<uint16_t>(port));
}
}  // namespace

int RunServe(const std::string& db, const ServeOptions& o) {
  // Block termination signals in every thread; one thread waits for them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  if (auto st = ConfigureLogging(o.log_format); !st.ok()) return Fail(st);  // --- Operating ---

  if (!o.fake_clock.empty() && !o.test_mode)
    return Fail(core::Status::Invalid("fake-clock", "--fake-clock 只能在 --test-mode 下使用"));
  auto listen = SplitListen(o.listen);
  if (!listen.ok()) return Fail(listen.status());
  // A proxy is named by the literal address its connections come from (http::ClientAddress).
  for (const std::string& proxy : o.trusted_proxies) {
    if (!http::IsIpAddress(proxy))
      return Fail(core::Status::Invalid("trusted-proxy", "--trusted-proxy 应为IP地址：" + proxy)
                      .En("--trusted-proxy must be an IP address: " + proxy));
  }

  // Connections are file descriptors: use all the process may have (the connection caps are
  // derived from this limit, http::AutoMaxConnections).
  if (rlimit rl{}; getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rlim_t before = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
      spdlog::warn("could not raise the open-file limit from {}", static_cast<uint64_t>(before));
  }

  BackupScheduleOptions backup_opts;
  backup_opts.db_url = db;
  backup_opts.dir = o.backup_dir;
  backup_opts.keep = o.backup_keep;
  {
    auto every = ParseDuration(o.backup_every, "backup-every");
    if (!every.ok()) return Fail(every.status());
    backup_opts.every = *every;
  }

  auto store_r = OpenStore(db);
  if (!store_r.ok()) return Fail(store_r.status());
  std::unique_ptr<storage::Store> store = std::move(store_r).value();
  // --- Signed audit checkpoints (R-AUD-1) ---
  bool audit_key_created = false;
  auto audit_key = service::LoadOrCreateAuditKey(o.audit_key, &audit_key_created);
  if (!audit_key.ok()) return Fail(audit_key.status());
  if (audit_key_created)
    spdlog::info("created audit signing key {} (public key {})", o.audit_key, audit_key->public_key_hex);

  core::SystemClock system_clock;
  std::unique_ptr<core::FakeClock> fake;
  if (!o.fake_clock.empty()) {
    auto start = core::ParseInstant(o.fake_clock);
    if (!start) return Fail(core::Status::Invalid("fake-clock", "时间格式应为 RFC 3339：" + o.fake_clock));
    fake = std::make_unique<core::FakeClock>(*start);
  }
  const core::Clock& clock = fake ? static_cast<const core::Clock&>(*fake) : system_clock;

  // Idempotency-Key: request handlers' services write through its WorkStore(), which marks a
  // key "carried out" in the work's own transaction (safe retries across instances and
  // crashes). Authentication, the sweeper and the notification poller use the store itself.
  // Its heartbeat runs on the real clock even under --fake-clock.
  service::IdempotencyService idempotency(*store, clock, &system_clock);
  storage::Store& work = idempotency.WorkStore();
  service::AuthOptions auth_opts;
  auth_opts.hash_slots = o.signin_hash_slots;  // --- Sign-in (issue 15) ---
  service::AuthService auth(*store, clock, auth_opts);
  service::OrgService orgs(work, clock, auth);
  service::CalendarService calendar(work, clock);
  if (auto st = calendar.Load(); !st.ok()) return Fail(st);
  service::DutyService duties(work, clock, calendar);
  service::NotificationService notifications(work, clock);
  // --- Notifications away from the browser (issue 18) ---
  service::DeliveryOptions delivery_opts;
  {
    auto secret = [](const std::string& file, const char* env,
                     std::string* out) -> core::Status {
      if (!file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) return core::Status::Unavailable("无法读取 " + file);
        std::string v((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
        *out = v;
      } else if (const char* e = std::getenv(env)) {
        *out = e;
      }
      return core::Status::Ok();
    };
    auto& sm = delivery_opts.smtp;
    sm.host = o.smtp_host;
    sm.port = o.smtp_port;
    sm.starttls = o.smtp_starttls == "off"        ? service::StartTls::kOff
                  : o.smtp_starttls == "optional" ? service::StartTls::kOptional
                                                  : service::StartTls::kRequired;
    sm.implicit_tls = o.smtp_tls;
    sm.user = o.smtp_user;
    sm.from = o.smtp_from;
    sm.insecure = o.smtp_insecure;
    sm.ca_file = o.smtp_ca_file;
    if (auto st = secret(o.smtp_password_file, "XT_SMTP_PASSWORD", &sm.password); !st.ok())
      return Fail(st);
    delivery_opts.webhook.url = o.webhook_url;
    if (auto st = secret(o.webhook_secret_file, "XT_WEBHOOK_SECRET", &delivery_opts.webhook.secret);
        !st.ok())
      return Fail(st);
    if (!o.webhook_url.empty() && delivery_opts.webhook.secret.empty())
      return Fail(core::Status::Invalid("webhook-secret-file", "网关需要共享密钥 --webhook-secret-file"));
    delivery_opts.poll_interval = std::chrono::milliseconds(o.delivery_poll_ms);
    delivery_opts.backoff = std::chrono::milliseconds(o.delivery_backoff_ms);
    delivery_opts.max_attempts = o.delivery_max_attempts;
  }
  service::DeliveryService deliveries(*store, clock, delivery_opts);
  // --- Matters, files, idempotency (v2) ---
  service::MatterService matters(work, clock);
  service::FileService file_service(work, clock);
  // --- Referrals and documents (v3) ---
  service::ReferralService referrals(work, clock, duties, calendar);
  // --- Collaborations (v4) ---
  service::CollaborationService collaborations(work, clock, duties, calendar,
                                               service::CollaborationOptions{o.dispatch_hours});
  // --- Notices, meetings, participation, violation notices (v5) ---
  service::CoordOptions coord_opts;
  coord_opts.notice_hazard_days = o.notice_hazard_days;
  coord_opts.notice_frequent_violation_days = o.notice_frequent_days;
  coord_opts.violation_dispatch_hours = o.violation_dispatch_hours;
  service::CoordItemService coord_items(work, clock, duties, calendar, coord_opts);
  // --- Jurisdiction disputes (R-DIS-1..3) ---
  service::DisputeService disputes(
      work, clock, duties, calendar,
      service::DisputeOptions{o.dispute_joint_days, o.dispute_negotiation_days,
                              o.dispute_coordination_days, o.dispute_decision_days});
  // --- First-contact complaints (R-SYS-3) ---
  service::ComplaintService complaints(work, clock, duties, calendar, referrals,
                                       service::ComplaintOptions{o.complaint_reply_days});
  // --- Court enforcement (R-CRI-3) and police support (R-CRI-4) ---
  service::CourtPoliceService court_police(
      work, clock, duties, coord_items,
      service::CourtPoliceOptions{o.police_support_answer_hours, o.police_handover_hours});
  service::CriminalTransferService criminal_transfers(work, clock, duties, calendar, coord_items);
  // --- Guidance, training, technical support (R-GUI-1..3) ---
  service::GuidanceOptions guidance_opts;
  guidance_opts.respond_days = o.guidance_respond_days;
  guidance_opts.tech_answer_days = o.tech_support_answer_days;
  guidance_opts.training_min_per_year = o.training_min_per_year;
  for (const std::string& v : o.training_min) {
    int y = 0, n = 0;
    if (std::sscanf(v.c_str(), "%d=%d", &y, &n) == 2) guidance_opts.training_min[y] = n;
  }
  service::GuidanceService guidance(work, clock, duties, coord_items, guidance_opts);
  service::PlanService plans(work, clock, duties, calendar);  // --- Annual plan (R-PLN-1/2) ---
  // --- Workbench, overview and 督办 (issue 17, R-PLN-2) ---
  service::UrgingService urgings(work, clock, duties, coord_items,
                                 service::UrgingOptions{o.urging_answer_days});
  // --- Shared information (R-INF-1..3) ---
  service::SharedInfoService shared_info(
      work, clock, duties, coord_items,
      service::SharedInfoOptions{o.material_ack_days, o.penalty_filing_ack_days});
  service::ApprovalService approvals(work, clock);
  service::RegionService regions(work, clock);  // --- Regions (R-ACC-2, issue 19) ---
  // --- The combined 协作 list: one source per item type (R-COL-1..8) ---
  service::CollabItemRegistry collab_items;
  service::RegisterCollabItemSources(collab_items, collaborations, work, clock);
  service::WorkbenchService workbench(work, clock, duties, referrals, collab_items,  // issue 17
                                      notifications, urgings);
  service::AuditCheckpointOptions checkpoint_opts;
  checkpoint_opts.every = o.audit_checkpoint_every;
  checkpoint_opts.interval =
      std::chrono::milliseconds(static_cast<int64_t>(o.audit_checkpoint_interval_s * 1000));
  service::AuditCheckpointer checkpointer(*store, clock, *audit_key, checkpoint_opts,
                                          [](const std::string& line) { spdlog::info("{}", line); });
  jobs::SweeperOptions sweep_opts;
  sweep_opts.interval = std::chrono::milliseconds(static_cast<int64_t>(o.sweep_interval_s * 1000));
  service::SweepOptions sweep_service_opts;
  sweep_service_opts.escalate_red_after =  // --- Regions (R-ACC-2, issue 19) ---
      std::chrono::milliseconds(static_cast<int64_t>(o.escalate_red_hours * 3600 * 1000));
  service::SweepService sweeps(*store, clock, calendar, sweep_service_opts);
  jobs::Sweeper sweeper(sweeps, sweep_opts);

  http::ApiEnv env;
  env.svc = {&work, &clock, &auth, &orgs, &calendar, &duties, &notifications};
  env.test_mode = o.test_mode;
  env.fake_clock = fake.get();
  env.max_json_depth = o.max_json_depth;
  env.cookie_secure = o.cookie_secure == "always" ? http::CookieSecure::kAlways
                      : o.cookie_secure == "never" ? http::CookieSecure::kNever
                                                   : http::CookieSecure::kAuto;
  env.render_document = reports::RenderDocumentHtml;  // R-DOC-1 printable pages
  env.run_sweeper = [&sweeper]() -> boost::json::value { return jobs::SweepResultJson(sweeper.RunOnce()); };
  // --- Matters, files, idempotency (v2) ---
  env.svc.matters = &matters;
  env.svc.files = &file_service;
  env.svc.idempotency = &idempotency;
  env.svc.referrals = &referrals;  // --- Referrals and documents (v3) ---
  // Evidence files of a referral are readable by everyone who can see the referral (R-ACC-1).
  // Files of a collaboration (materials, answers) likewise (R-ACC-1). The hooks compose: each
  // feature adds its own check, any of them grants.
  env.svc.collaborations = &collaborations;  // --- Collaborations (v4) ---
  env.svc.criminal_transfers = &criminal_transfers;  // --- Criminal transfers (R-CRI-1a) ---
  env.svc.coord_items = &coord_items;  // --- Notices, meetings, participation, violation notices (v5) ---
  env.svc.collab_items = &collab_items;  // --- The combined 协作 list ---
  env.svc.disputes = &disputes;  // --- Jurisdiction disputes (R-DIS-1..3) ---
  env.svc.complaints = &complaints;  // --- First-contact complaints (R-SYS-3) ---
  env.svc.court_police = &court_police;  // --- Court enforcement, police support (R-CRI-3/4) ---
  env.svc.guidance = &guidance;  // --- Guidance, training, technical support (R-GUI-1..3) ---
  env.svc.plans = &plans;  // --- Annual plan and commanded tasks (R-PLN-1, R-PLN-2) ---
  env.svc.urgings = &urgings;  // --- Workbench and 督办 (issue 17) ---
  env.svc.workbench = &workbench;
  env.svc.shared_info = &shared_info;  // --- Shared information (R-INF-1, R-INF-3) ---
  env.svc.approvals = &approvals;      // --- Administrative approvals (R-INF-2) ---
  env.svc.deliveries = &deliveries;  // --- Notifications away from the browser (issue 18) ---
  env.svc.regions = &regions;  // --- Regions (R-ACC-2, issue 19) ---
  file_service.SetExtraAccess([](storage::Tx& tx, const service::Principal& p,
                                 const std::string& sha256) -> core::Result<bool> {
    for (auto can_read : {&service::ReferralService::CanReadFileInTx,
                          &service::CoordItemService::CanReadFileInTx,
                          &service::CollaborationService::CanReadFileInTx}) {
      XT_ASSIGN_OR_RETURN(bool yes, can_read(tx, p, sha256));
      if (yes) return true;
    }
    return false;
  });

  http::Metrics metrics;
  metrics.RegisterGauge("xietong_db_seconds_total", "Seconds spent in the database",
                        [&store] { return store->DbSeconds(); });
  // Issue 15 finding 4: every sign-in attempt that was not held back checks a hash, known user
  // or not; and how many were held back.
  metrics.RegisterGauge("xietong_password_verifications_total", "Password hashes verified",
                        [&auth] { return static_cast<double>(auth.verifications()); });
  metrics.RegisterGauge("xietong_login_throttled_total", "Sign-in attempts held back",
                        [&auth] { return static_cast<double>(auth.throttled()); });
  // --- Operating (issue 18): scheduled backups ---
  BackupScheduler backups(backup_opts, *store);
  metrics.RegisterGauge("xietong_backup_last_success_timestamp_seconds",
                        "Unix time of the last verified backup (0: none yet)",
                        [&backups] { return backups.last_success_unix(); });
  metrics.RegisterGauge("xietong_backup_last_size_bytes", "Size of the last verified backup",
                        [&backups] { return backups.last_size_bytes(); });
  metrics.RegisterGauge("xietong_backup_last_duration_seconds",
                        "Seconds the last verified backup took (verification included)",
                        [&backups] { return backups.last_duration_seconds(); });
  metrics.RegisterGauge("xietong_backup_failures_total", "Scheduled backups that failed",
                        [&backups] { return backups.failures_total(); });
  metrics.RegisterGauge("xietong_backup_runs_total", "Scheduled backups attempted by this instance",
                        [&backups] { return backups.runs_total(); });
  // --- Notifications away from the browser (issue 18) ---
  {
    const auto& c = deliveries.counters();
    metrics.RegisterGauge("xietong_deliveries_sent_email_total", "Emails delivered",
                          [&c] { return static_cast<double>(c.sent_email.load()); });
    metrics.RegisterGauge("xietong_deliveries_sent_sms_total", "SMS gateway messages delivered",
                          [&c] { return static_cast<double>(c.sent_sms.load()); });
    metrics.RegisterGauge("xietong_delivery_failed_attempts_email_total", "Failed email attempts",
                          [&c] { return static_cast<double>(c.failed_attempts_email.load()); });
    metrics.RegisterGauge("xietong_delivery_failed_attempts_sms_total", "Failed gateway attempts",
                          [&c] { return static_cast<double>(c.failed_attempts_sms.load()); });
    metrics.RegisterGauge("xietong_deliveries_given_up_total", "Deliveries marked failed",
                          [&c] { return static_cast<double>(c.given_up.load()); });
    metrics.RegisterGauge("xietong_deliveries_pending", "Deliveries waiting in the outbox",
                          [&deliveries] {
                            auto b = deliveries.Backlog();
                            return b.ok() ? static_cast<double>(b->first) : -1.0;
                          });
    metrics.RegisterGauge("xietong_deliveries_failed", "Deliveries that failed for good",
                          [&deliveries] {
                            auto b = deliveries.Backlog();
                            return b.ok() ? static_cast<double>(b->second) : -1.0;
                          });
  }
  http::Router router;
  router.Use(http::IdempotencyMiddleware(env));  // --- Idempotency-Key (v2) ---
  http::RegisterAuthRoutes(router, env);
  http::RegisterOrgRoutes(router, env);
  http::RegisterAuditRoutes(router, env);
  http::RegisterCalendarRoutes(router, env);
  http::RegisterDutyRoutes(router, env);
  http::RegisterNotificationRoutes(router, env);
  http::RegisterMatterRoutes(router, env);  // --- Matters, files (v2) ---
  http::RegisterFileRoutes(router, env);
  http::RegisterReferralRoutes(router, env);  // --- Referrals and documents (v3) ---
  http::RegisterDocumentRoutes(router, env);
  http::RegisterCollaborationRoutes(router, env);  // --- Collaborations (v4) ---
  http::RegisterCriminalTransferRoutes(router, env);  // --- Criminal transfers (R-CRI-1a) ---
  http::RegisterGuidanceRoutes(router, env);  // --- Guidance, training, technical support ---
  http::RegisterCoordItemRoutes(router, env);  // --- Notices, meetings, participation (v5) ---
  http::RegisterCollabItemRoutes(router, env);  // --- The combined 协作 list ---
  http::RegisterDisputeRoutes(router, env);  // --- Jurisdiction disputes (R-DIS-1..3) ---
  http::RegisterComplaintRoutes(router, env);  // --- First-contact complaints (R-SYS-3) ---
  http::RegisterCourtPoliceRoutes(router, env);  // --- Court enforcement, police support ---
  // --- Operating (issue 18) --- GET /api/v1/admin/backups: the backup schedule, the last
  // verified backup (when, size, age) and a failure since then; admin only (R-ACC-1).
  router.Add("GET", "/api/v1/admin/backups",
             http::WithAuth(env, [&backups, &clock](http::Request&, const service::Principal& p)
                                     -> core::Result<http::Response> {
               if (!p.IsAdmin())
                 return core::Status::Denied("仅系统管理员可查看备份状态", "R-ACC-1")
                     .En("Only administrators may see the backups");
               XT_ASSIGN_OR_RETURN(boost::json::object status,
                                   backups.StatusJson(core::ToMillis(clock.Now())));
               return http::Json(200, std::move(status));
             }));
  http::RegisterPlanRoutes(router, env);  // --- Annual plan and commanded tasks (R-PLN-1/2) ---
  http::RegisterWorkbenchRoutes(router, env);  // --- Workbench, overview, 督办 (issue 17) ---
  http::RegisterSharedInfoRoutes(router, env);  // --- Shared information (R-INF-1..3) ---
  http::RegisterDeliveryRoutes(router, env);  // --- Notifications away from the browser (issue 18) ---
  http::RegisterExportRoutes(router, env);  // --- Excel for the lists the web UI exports (issue 14) ---
  http::RegisterRegionRoutes(router, env);  // --- Regions (R-ACC-2, issue 19) ---
  if (o.test_mode) http::RegisterTestRoutes(router, env);
  router.Add("GET", "/healthz", [&store](http::Request&) {
    auto st = store->Read([](storage::Tx& tx) { return tx.GetState("health").status(); });
    if (!st.ok()) return http::ErrorResponse(core::Status::Unavailable("数据库不可用"), false);
    return http::JsonResponse(200, boost::json::object{{"status", "ok"}});
  });
  // /readyz (issue 18): the database answers and its schema is the one this binary serves
  // (another instance may have migrated further); 503 otherwise. /healthz is liveness only.
  // The applied version is read on a connection of its own (PostgreSQL: one per probe).
  router.Add("GET", "/readyz", [&store, &db](http::Request&) {
    const int binary = store->Info().binary_schema_version;
    auto url = storage::ParseDbUrl(db);
    const bool sqlite = url.ok() && url->scheme == "sqlite";
    std::string reason;
    int64_t applied = -1;
    if (sqlite && !std::filesystem::exists(url->path_or_dsn)) {
      reason = "database_missing";
    } else if (!store->Read([](storage::Tx& tx) { return tx.GetState("health").status(); }).ok()) {
      reason = "database_unreachable";
    } else {
      auto v = sqlite ? storage::SqliteSchemaVersionAt(url->path_or_dsn)
                      : storage::PgSchemaVersionAt(url->path_or_dsn);
      if (!v.ok()) reason = "database_unreachable";
      else applied = *v;
      if (v.ok() && applied != binary) reason = applied > binary ? "schema_too_new" : "schema_outdated";
    }
    boost::json::object body{{"status", reason.empty() ? "ready" : "not_ready"},
                             {"reason", reason.empty() ? boost::json::value(nullptr) : boost::json::value(reason)},
                             {"schema_version", applied >= 0 ? boost::json::value(applied) : boost::json::value(nullptr)},
                             {"binary_schema_version", binary}};
    http::Response r = http::JsonResponse(reason.empty() ? 200 : 503, std::move(body));
    r.AddHeader("Cache-Control", "no-store");
    return r;
  });
  router.Add("GET", "/metrics", [&metrics](http::Request&) {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.Render();
    return r;
  });
  router.Add("GET", "/api/v1/openapi.json", [](http::Request&) {
    http::Response r;
    r.body = std::string(http::OpenApiJson());
    r.AddHeader("Cache-Control", "no-cache");
    return r;
  });
  http::StaticFiles files(o.web_root);
  router.SetFallback([&files](http::Request& req) { return files.Serve(req); });

  http::ServerOptions so;
  so.host = listen->first;
  so.port = listen->second;
  if (o.threads > 0) so.threads = o.threads;
  if (o.workers > 0) so.workers = o.workers;
  so.max_body_bytes = o.max_body_bytes;
  so.max_header_bytes = o.max_header_bytes;
  so.read_timeout = std::chrono::seconds(o.read_timeout_s);
  so.idle_timeout = std::chrono::seconds(o.idle_timeout_s);
  so.max_json_depth = o.max_json_depth;
  so.trusted_proxies = o.trusted_proxies;
  so.max_connections = o.max_connections;
  so.max_connections_per_ip = o.max_connections_per_ip;
  so.header_timeout = std::chrono::seconds(o.header_timeout_s);
  so.sse_recheck = std::chrono::milliseconds(o.session_recheck_ms);
  so.cap_exempt_paths.push_back("/readyz");  // --- Operating (issue 18) ---
  std::shared_ptr<std::ofstream> log_file;
  if (o.access_log == "off") {
    so.access_log = [](std::string_view) {};
  } else if (o.access_log != "stdout") {
    log_file = std::make_shared<std::ofstream>(o.access_log, std::ios::app);
    if (!*log_file) return Fail(core::Status::Unavailable("无法打开访问日志文件 " + o.access_log));
    auto mu = std::make_shared<std::mutex>();
    so.access_log = [log_file, mu](std::string_view line) {
      std::lock_guard lock(*mu);
      *log_file << line << '\n';
      log_file->flush();
    };
  }
  http::Server server(so, router, metrics);
  if (auto st = server.Start(); !st.ok()) return Fail(st);

  idempotency.Start();
  sweeper.Start();
  notifications.Start();
  deliveries.Start();  // --- Notifications away from the browser (issue 18) ---
  checkpointer.Start();
  backups.Start();  // --- Operating (issue 18) ---
  std::printf("xietong: listening on http://%s:%u\n",
              so.host.find(':') != std::string::npos ? ("[" + so.host + "]").c_str() : so.host.c_str(),
              static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  spdlog::info("xietong serving {} on port {} ({}{})", db, server.port(),
               o.test_mode ? "test mode" : "production", fake ? ", fake clock" : "");

  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&sigs, &sig);
    signalled = true;
    spdlog::info("signal {}: shutting down", sig);
    server.Stop();
  });
  server.Run();
  // Run() returns after Stop(); make sure the waiter is released if Run ended on its own.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  backups.Stop();  // --- Operating (issue 18) ---
  notifications.Stop();
  deliveries.Stop();
  sweeper.Stop();
  checkpointer.Stop();  // signs the head as the server leaves it
  idempotency.Stop();
  spdlog::info("xietong stopped");
  return 0;
}

}  // namespace xietong::cli
