// Operating the server for years (issue 18): backups, restores, scheduled backups, log format.
//
// A backup is a directory:
//   <to>/manifest.json   {"format":"xietong-backup-v1","backend","created_at","created_at_ms",
//                         "schema_version","program":"xietong 0.1.0","files":[{"name","bytes",
//                         "sha256"}],"verified":{"integrity","audit_chain","audit_entries"}}
//   <to>/xietong.db      SQLite: a VACUUM INTO copy (consistent while the server writes)
//   <to>/xietong.pgdump  PostgreSQL: pg_dump --format=custom (one snapshot)
// Uploaded evidence files are stored in the database (file_blobs, content-addressed), so the
// database copy holds them. The directory is written as <to>.partial and renamed when complete
// and verified: a directory without ".partial" is a verified backup.
//
// Verification after writing: SQLite — PRAGMA integrity_check and the audit chain and signed
// checkpoints (as `xietong audit verify`) on the copy. PostgreSQL — pg_restore reads the whole
// archive, and the audit chain is verified on the source after the dump (the dump holds a prefix
// of that append-only chain); `restore` verifies the chain of the restored database.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/json/object.hpp>

#include "core/status.h"
#include "storage/store.h"

namespace xietong::cli {

// --log-format: "text" (default) or "json" (one JSON object a line: ts, level, msg, request_id).
// Both name the request a line was logged for (X-Request-Id).
core::Status ConfigureLogging(const std::string& format);

struct BackupResult {
  std::string dir;      // the finished backup directory
  std::string backend;  // "sqlite" or "postgres"
  int64_t schema_version = 0;
  int64_t bytes = 0;    // the database copy's size
  double seconds = 0;   // how long it took, verification included
  int64_t audit_entries = -1;  // entries verified; -1 when not checked
  int64_t created_at_ms = 0;
};

// Writes a verified backup of `db_url` to the directory `to` (must not exist).
// Errors: kInvalidArgument field "to" (exists), "db"; kFailedPrecondition
// "backup_verify_failed" when the copy fails its checks (the partial directory is removed).
core::Result<BackupResult> Backup(const std::string& db_url, const std::string& to);

struct RestoreResult {
  std::string backend;
  int64_t backup_schema_version = 0;
  int schema_version = 0;  // after migrating to this binary's version
  int64_t audit_entries = 0;
};

// Restores the backup directory `from` into `db_url`. Refuses a database holding any table
// unless `force` (kFailedPrecondition "database_not_empty", nothing changed). Checks every
// file's SHA-256 against the manifest first ("backup_corrupt"), migrates the restored database
// to this binary's schema, and verifies the integrity and the audit chain afterwards.
// The server must be stopped while restoring.
core::Result<RestoreResult> Restore(const std::string& from, const std::string& db_url, bool force);

// "24h", "30m", "90s", "2d", or plain seconds. kInvalidArgument field `field` otherwise.
core::Result<std::chrono::seconds> ParseDuration(const std::string& text, const std::string& field);

struct BackupScheduleOptions {
  std::string db_url;
  std::string dir;  // where backups go; empty = no schedule
  std::chrono::seconds every{24 * 3600};
  int keep = 7;  // newest verified backups kept; older ones are removed
};

// Scheduled backups from the server. On PostgreSQL only the instance holding the advisory lock
// runs the schedule (the others stand by and take over when it goes). Results go to the local
// status (metrics) and to job_state "backup.last_success" / "backup.last_failure" (shared by every
// instance, shown by GET /api/v1/admin/backups).
class BackupScheduler {
 public:
  BackupScheduler(BackupScheduleOptions opts, storage::Store& store);
  ~BackupScheduler();
  void Start();
  void Stop();

  // For /metrics (local instance).
  double last_success_unix() const;
  double last_size_bytes() const;
  double last_duration_seconds() const;
  double failures_total() const;
  double runs_total() const;

  // GET /api/v1/admin/backups: the schedule and the last results (from the database).
  core::Result<boost::json::object> StatusJson(int64_t now_ms) const;

 private:
  void Loop();
  void RunOnce();

  BackupScheduleOptions opts_;
  storage::Store& store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::unique_ptr<class ScheduleLock> lock_;  // PostgreSQL: held while this instance schedules
  bool leader_ = false;
  int64_t last_success_ms_ = 0;
  int64_t next_due_ms_ = 0;  // when the next backup is due (0: now)
  int64_t last_bytes_ = 0;
  double last_seconds_ = 0;
  int64_t failures_ = 0;
  int64_t runs_ = 0;
};

}  // namespace xietong::cli
