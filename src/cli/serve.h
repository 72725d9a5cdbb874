// `xietong serve`: options and the server's assembly.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace xietong::cli {

struct ServeOptions {
  // Address to listen on, HOST:PORT; port 0 picks a free port (printed at start).
  std::string listen = "127.0.0.1:8080";
  // Directory of the built web UI (web/dist).
  std::string web_root = "web/dist";
  // I/O threads; 0 = one per core.
  int threads = 0;
  // Handler threads (requests handled at once); 0 = the server's default (32).
  int workers = 0;
  // Largest accepted request body, bytes.
  // 24 MiB: room for a 20 MiB evidence file (FileService::kMaxFileBytes) plus slack.
  size_t max_body_bytes = 24 * 1024 * 1024;
  // Largest accepted request header block, bytes.
  size_t max_header_bytes = 16 * 1024;
  // Seconds to receive a whole request before 408.
  int read_timeout_s = 30;
  // Seconds a keep-alive connection may stay idle.
  int idle_timeout_s = 60;
  // Deepest accepted JSON nesting.
  int max_json_depth = 32;
  // Deadline sweeper interval, seconds (R-TIME-4).
  double sweep_interval_s = 60;
  // Test mode: enables /api/v1/test/* routes. Never in production.
  bool test_mode = false;
  // Start a fake clock at this RFC 3339 instant (requires --test-mode).
  std::string fake_clock;
  // Access log: "stdout", "off", or a file path.
  std::string access_log = "stdout";
  // Addresses of the reverse proxies whose X-Forwarded-For names the client (lock-out
  // audit, access log). Default none: the TCP peer is the client.
  std::vector<std::string> trusted_proxies;
  // --- Signed audit checkpoints (R-AUD-1) ---
  // The Ed25519 signing key file; created (0600) on first start when absent.
  std::string audit_key = "var/audit-signing.key";
  // Sign the chain head every this many entries …
  int64_t audit_checkpoint_every = 1000;
  // … and every this many seconds when the head moved (and at start and stop).
  double audit_checkpoint_interval_s = 300;
  // --- HTTP edge (issue 15) ---
  // Open connections at most, all clients / per peer address; 0 = automatic (from the
  // file-descriptor limit, raised to its hard limit at start; see http::ServerOptions).
  size_t max_connections = 0;
  size_t max_connections_per_ip = 0;
  // Seconds to receive a request's header block (and a new connection's first byte).
  int header_timeout_s = 10;
  // Milliseconds between re-checks of the session behind an open event stream (finding 6).
  int session_recheck_ms = 30000;
  // The session cookie's Secure attribute: "auto" (when a trusted proxy says the client
  // connection is HTTPS: X-Forwarded-Proto), "always", "never".
  std::string cookie_secure = "auto";
  // --- Collaborations (v4) ---
  // R-COL-3: hours within which the department sends staff on site (urgent / evidence at risk).
  int dispatch_hours = 2;
  // --- Notices, meetings, participation, violation notices (v5) ---
  // R-COL-5: working days for the department's analysis and measures, per notice kind.
  int notice_hazard_days = 5;
  int notice_frequent_days = 5;
  // R-COL-8: hours within which the notified department dispatches officers.
  int violation_dispatch_hours = 2;
  // --- Jurisdiction disputes (R-DIS-1..3): working days ---
  int dispute_joint_days = 1;
  int dispute_negotiation_days = 10;
  int dispute_coordination_days = 10;
  int dispute_decision_days = 10;
  // --- First-contact complaints (R-SYS-3) ---
  int complaint_reply_days = 15;
  // --- Court enforcement (R-CRI-3) and police support (R-CRI-4) ---
  // R-CRI-4: hours within which the police answer a support request (capped by the action's
  // start) and record how they handle a handed-over obstruction.
  int police_support_answer_hours = 4;
  int urging_answer_days = 2;  // --- 督办 (R-PLN-2) ---
  double escalate_red_hours = 24;  // --- Regions (R-ACC-2, issue 19): escalation of long-red duties
  int police_handover_hours = 24;
  // --- Guidance, training, technical support (R-GUI-1..3) ---
  int guidance_respond_days = 5;      // R-GUI-1: working days for the department to respond
  int tech_support_answer_days = 5;   // R-GUI-3: working days for the department to answer
  int training_min_per_year = 2;      // R-GUI-2: trainings per department per year
  std::vector<std::string> training_min;  // R-GUI-2: per-year overrides "2026=1"
  // --- Shared information (R-INF-1, R-INF-3) ---
  int material_ack_days = 3;
  int penalty_filing_ack_days = 5;
  // --- Sign-in (issue 15): Argon2id computations at once (0 = half the cores, at least 1) ---
  int signin_hash_slots = 0;
  // --- Operating (issue 18) ---
  // The server's own log lines: "text" or "json" (the access log is JSON either way).
  std::string log_format = "text";
  // Scheduled backups (cli/ops.h): into this directory (empty: none), every this long, keeping
  // the newest N verified ones.
  std::string backup_dir;
  std::string backup_every = "24h";
  int backup_keep = 7;
  // --- Notifications away from the browser (issue 18): email (SMTP) and SMS gateway webhook ---
  std::string smtp_host;          // empty: no email
  int smtp_port = 587;
  std::string smtp_starttls = "required";  // required | optional | off
  bool smtp_tls = false;          // implicit TLS (smtps://, port 465)
  std::string smtp_user;
  std::string smtp_password_file;  // or XT_SMTP_PASSWORD
  std::string smtp_from = "xietong@localhost";
  bool smtp_insecure = false;     // no certificate check (tests only)
  std::string smtp_ca_file;
  std::string webhook_url;        // empty: no SMS gateway
  std::string webhook_secret_file;  // or XT_WEBHOOK_SECRET
  int delivery_poll_ms = 1000;
  int delivery_backoff_ms = 2000;  // first retry; doubles each attempt
  int delivery_max_attempts = 8;
};

// Registers the serve options (flags, XIETONG_* environment, --config file) on `sub`.
void AddServeOptions(CLI::App* sub, ServeOptions& o);
// Runs the server until SIGTERM/SIGINT. Returns the process exit status.
int RunServe(const std::string& db, const ServeOptions& o);

}  // namespace xietong::cli
