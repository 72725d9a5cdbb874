#include "cli/ops.h"

#include <sodium.h>
#include <spawn.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <boost/json.hpp>

#include "cli/open_store.h"
#include "core/log_context.h"
#include "core/time.h"
#include "service/audit_checkpoint.h"
#include "storage/db_url.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

extern char** environ;

namespace xietong::cli {

namespace fs = std::filesystem;
using core::Status;

namespace {

constexpr const char* kFormat = "xietong-backup-v1";
constexpr const char* kProgram = "xietong 0.1.0";
constexpr const char* kSqliteFile = "xietong.db";
constexpr const char* kPgFile = "xietong.pgdump";
// pg_try_advisory_lock key of the backup schedule ("xtbackup").
constexpr int64_t kScheduleLockKey = 0x7874'6261'636b'7570;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string IsoMs(int64_t ms) { return core::FormatInstant(core::FromMillis(ms)); }

// --- Logging ---------------------------------------------------------------------------------

void AppendJson(spdlog::memory_buf_t& dest, std::string_view s) {
  const std::string q = boost::json::serialize(boost::json::string(s));
  dest.append(q.data(), q.data() + q.size());
}

class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string& id = core::CurrentRequestId();
    if (id.empty()) return;
    static constexpr std::string_view kPre = "[request_id=";
    dest.append(kPre.data(), kPre.data() + kPre.size());
    dest.append(id.data(), id.data() + id.size());
    dest.push_back(']');
    dest.push_back(' ');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
    const std::string ts = IsoMs(ms.count());
    const auto level = spdlog::level::to_string_view(msg.level);
    static constexpr std::string_view kTs = "{\"ts\":\"", kLevel = "\",\"level\":\"",
                                      kMsg = "\",\"msg\":", kRid = ",\"request_id\":";
    dest.append(kTs.data(), kTs.data() + kTs.size());
    dest.append(ts.data(), ts.data() + ts.size());
    dest.append(kLevel.data(), kLevel.data() + kLevel.size());
    dest.append(level.data(), level.data() + level.size());
    dest.append(kMsg.data(), kMsg.data() + kMsg.size());
    AppendJson(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    const std::string& id = core::CurrentRequestId();
    if (!id.empty()) {
      dest.append(kRid.data(), kRid.data() + kRid.size());
      AppendJson(dest, id);
    }
    dest.push_back('}');
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

// --- Processes and files ---------------------------------------------------------------------

// Runs argv[0] (found on PATH) and waits; its output goes to ours (stdout → stderr when quiet).
Status RunProgram(const std::vector<std::string>& argv, bool stdout_to_null = false) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_to_null) posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return Status::Unavailable("无法运行 " + argv[0] + "：" + std::strerror(rc))
        .En("cannot run " + argv[0] + ": " + std::strerror(rc));
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::Unavailable(argv[0] + " 执行失败（退出码 " +
                               std::to_string(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1) + "）")
        .En(argv[0] + " failed");
  }
  return Status::Ok();
}

core::Result<std::string> FileSha256(const fs::path& path, int64_t* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("无法读取 " + path.string());
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 20);
  int64_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n <= 0) break;
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(n));
    total += n;
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  if (bytes) *bytes = total;
  return hex;
}

Status WriteFileSynced(const fs::path& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::Unavailable("无法写入 " + path.string());
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() &&
                  std::fflush(f) == 0 && fsync(fileno(f)) == 0;
  std::fclose(f);
  if (!ok) return Status::Unavailable("无法写入 " + path.string());
  return Status::Ok();
}

void SyncPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// The audit chain and stored checkpoints of the database at `url` (as `audit verify`).
core::Result<int64_t> VerifyChain(const std::string& url) {
  XT_ASSIGN_OR_RETURN(auto store, OpenStore(url, {.apply_migrations = false}));
  XT_ASSIGN_OR_RETURN(auto report, service::VerifyAudit(*store, {}, {}));
  if (!report.ok()) {
    return Status::Precondition("backup_verify_failed",
                                "审计链校验未通过：第 " + std::to_string(report.chain.first_bad_seq) +
                                    " 条记录：" + report.chain.explanation)
        .En("the audit chain or its checkpoints do not verify");
  }
  return report.chain.entries;
}

core::Result<boost::json::object> ReadManifest(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json", std::ios::binary);
  if (!in)
    return Status::Invalid("from", "不是备份目录（缺少 manifest.json）：" + dir.string())
        .En("not a backup directory (no manifest.json): " + dir.string());
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(ss.str(), ec);
  const boost::json::value* format = !ec && v.is_object() ? v.as_object().if_contains("format") : nullptr;
  if (!format || !format->is_string() || std::string_view(format->as_string()) != kFormat ||
      !v.as_object().contains("files") || !v.as_object().contains("backend")) {
    return Status::Invalid("from", "备份清单无法识别：" + (dir / "manifest.json").string())
        .En("unrecognised backup manifest");
  }
  return v.as_object();
}

}  // namespace

// --- Logging ---------------------------------------------------------------------------------

core::Status ConfigureLogging(const std::string& format) {
  if (format == "json") {
    spdlog::default_logger()->set_formatter(std::make_unique<JsonFormatter>());
    return Status::Ok();
  }
  if (format != "text")
    return Status::Invalid("log-format", "日志格式应为 text 或 json：" + format);
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<RequestIdFlag>('q').set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %q%v");
  spdlog::default_logger()->set_formatter(std::move(f));
  return Status::Ok();
}

// --- Backup ----------------------------------------------------------------------------------

core::Result<BackupResult> Backup(const std::string& db_url, const std::string& to) {
  const auto started = std::chrono::steady_clock::now();
  XT_ASSIGN_OR_RETURN(storage::DbUrl url, storage::ParseDbUrl(db_url));
  if (url.scheme != "sqlite" && url.scheme != "postgres")
    return Status::Invalid("db", "本版本尚不支持该数据库：" + url.scheme);
  const fs::path final_dir(to);
  if (to.empty()) return Status::Invalid("to", "未指定备份目录");
  std::error_code ec;
  if (fs::exists(final_dir, ec))
    return Status::Invalid("to", "备份目录已存在：" + to).En("the backup directory exists: " + to);
  const fs::path dir = final_dir.string() + ".partial";
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Status::Unavailable("无法创建目录 " + dir.string() + "：" + ec.message());

  BackupResult out;
  out.backend = url.scheme;
  out.created_at_ms = NowMs();
  boost::json::object verified;
  auto fail = [&](Status st) -> Status {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return st;
  };
  std::string file_name;
  if (url.scheme == "sqlite") {
    file_name = kSqliteFile;
    const fs::path copy = dir / file_name;
    if (auto st = storage::BackupSqlite(url.path_or_dsn, copy.string()); !st.ok()) return fail(st);
    if (auto st = storage::CheckSqliteIntegrity(copy.string()); !st.ok()) {
      return fail(Status::Precondition("backup_verify_failed", "备份副本完整性检查未通过：" + st.message()));
    }
    verified["integrity"] = "ok";
    auto version = storage::SqliteSchemaVersionAt(copy.string());
    if (!version.ok()) return fail(version.status());
    out.schema_version = *version;
    if (*version == storage::SqliteBinarySchemaVersion()) {
      auto entries = VerifyChain("sqlite:" + copy.string());
      if (!entries.ok()) return fail(entries.status());
      out.audit_entries = *entries;
      verified["audit_chain"] = "intact";
    } else {
      verified["audit_chain"] = "not checked: schema " + std::to_string(*version) +
                                " is not this program's; `xietong restore` verifies it after migrating";
    }
    // Opening the copy as a store left it in WAL mode; its -wal/-shm are gone once closed.
    for (const char* ext : {"-wal", "-shm"}) fs::remove(copy.string() + ext, ec);
  } else {
    file_name = kPgFile;
    const fs::path copy = dir / file_name;
    auto version = storage::PgSchemaVersionAt(url.path_or_dsn);
    if (!version.ok()) return fail(version.status());
    out.schema_version = *version;
    if (auto st = RunProgram({"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                              "--file=" + copy.string(), "--dbname=" + url.path_or_dsn});
        !st.ok()) {
      return fail(st);
    }
    // Reads every table's data back out of the archive (a truncated or damaged archive fails).
    if (auto st = RunProgram({"pg_restore", "--file=/dev/null", copy.string()}); !st.ok()) {
      return fail(Status::Precondition("backup_verify_failed", "备份归档无法完整读取：" + st.message()));
    }
    verified["integrity"] = "ok (pg_restore read the whole archive)";
    if (*version == storage::PgBinarySchemaVersion()) {
      auto entries = VerifyChain(db_url);
      if (!entries.ok()) return fail(entries.status());
      out.audit_entries = *entries;
      verified["audit_chain"] = "intact (the source's chain after the dump; the dump holds a prefix)";
    } else {
      verified["audit_chain"] = "not checked: schema differs from this program's";
    }
  }
  int64_t bytes = 0;
  auto sha = FileSha256(dir / file_name, &bytes);
  if (!sha.ok()) return fail(sha.status());
  out.bytes = bytes;
  verified["audit_entries"] = out.audit_entries;
  boost::json::object manifest{
      {"format", kFormat},
      {"backend", out.backend},
      {"created_at", IsoMs(out.created_at_ms)},
      {"created_at_ms", out.created_at_ms},
      {"schema_version", out.schema_version},
      {"program", kProgram},
      {"evidence_files", "in the database (file_blobs)"},
      {"files", boost::json::array{boost::json::object{
                    {"name", file_name}, {"bytes", bytes}, {"sha256", *sha}}}},
      {"verified", verified}};
  if (auto st = WriteFileSynced(dir / "manifest.json", boost::json::serialize(manifest) + "\n");
      !st.ok()) {
    return fail(st);
  }
  SyncPath(dir / file_name);
  SyncPath(dir);
  fs::rename(dir, final_dir, ec);
  if (ec) return fail(Status::Unavailable("无法完成备份目录 " + to + "：" + ec.message()));
  SyncPath(final_dir.parent_path().empty() ? fs::path(".") : final_dir.parent_path());
  out.dir = final_dir.string();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

// --- Restore ---------------------------------------------------------------------------------

core::Result<RestoreResult> Restore(const std::string& from, const std::string& db_url, bool force) {
  XT_ASSIGN_OR_RETURN(storage::DbUrl url, storage::ParseDbUrl(db_url));
  const fs::path dir(from);
  XT_ASSIGN_OR_RETURN(boost::json::object manifest, ReadManifest(dir));
  RestoreResult out;
  out.backend = std::string(manifest.at("backend").as_string());
  if (out.backend != url.scheme) {
    return Status::Invalid("db", "备份来自 " + out.backend + " 数据库，不能恢复到 " + url.scheme +
                                     "（可先恢复到 SQLite，再用 xietong migrate-data 迁移）")
        .En("the backup is of a " + out.backend + " database; restore it into the same kind");
  }
  if (auto* v = manifest.if_contains("schema_version"); v && v->is_int64())
    out.backup_schema_version = v->as_int64();
  // Every file as the manifest says (nothing is touched before this passes).
  std::string file_name;
  for (const auto& f : manifest.at("files").as_array()) {
    const auto& o = f.as_object();
    const std::string name(o.at("name").as_string());
    if (name.find('/') != std::string::npos || name.empty() || name[0] == '.')
      return Status::Invalid("from", "备份清单中的文件名无效：" + name);
    int64_t bytes = 0;
    XT_ASSIGN_OR_RETURN(std::string sha, FileSha256(dir / name, &bytes));
    if (sha != std::string_view(o.at("sha256").as_string()) || bytes != o.at("bytes").to_number<int64_t>()) {
      return Status::Precondition("backup_corrupt", "备份文件校验值不符：" + (dir / name).string())
          .En("the backup file does not match its SHA-256 in the manifest: " + name);
    }
    file_name = name;
  }
  if (file_name.empty()) return Status::Invalid("from", "备份清单未列出数据库文件");

  if (url.scheme == "sqlite") {
    const fs::path target(url.path_or_dsn);
    XT_ASSIGN_OR_RETURN(bool has, storage::SqliteHasTables(target.string()));
    if (has && !force) {
      return Status::Precondition("database_not_empty",
                                  "目标数据库非空：" + target.string() + "。确认要覆盖时加 --force")
          .En("the target database is not empty; add --force to overwrite it");
    }
    std::error_code ec;
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
    const fs::path tmp = target.string() + ".restoring";
    fs::remove(tmp, ec);
    fs::copy_file(dir / file_name, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::Unavailable("无法写入 " + tmp.string() + "：" + ec.message());
    SyncPath(tmp);
    // A stale WAL next to the new file would be replayed into it: remove it first.
    for (const char* ext : {"-wal", "-shm", "-journal"}) fs::remove(target.string() + ext, ec);
    fs::rename(tmp, target, ec);
    if (ec) return Status::Unavailable("无法替换 " + target.string() + "：" + ec.message());
    SyncPath(target.has_parent_path() ? target.parent_path() : fs::path("."));
    XT_RETURN_IF_ERROR(storage::CheckSqliteIntegrity(target.string()));
  } else {
    XT_ASSIGN_OR_RETURN(bool has, storage::PgHasTables(url.path_or_dsn));
    if (has && !force) {
      return Status::Precondition("database_not_empty", "目标数据库非空。确认要覆盖时加 --force")
          .En("the target database is not empty; add --force to overwrite it");
    }
    if (has) XT_RETURN_IF_ERROR(storage::PgDropPublicSchema(url.path_or_dsn));
    XT_RETURN_IF_ERROR(RunProgram({"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                   "--single-transaction", "--dbname=" + url.path_or_dsn,
                                   (dir / file_name).string()}));
  }
  // Bring it to this binary's schema, then check the chain as `audit verify` does.
  XT_ASSIGN_OR_RETURN(out.schema_version, Migrate(db_url));
  XT_ASSIGN_OR_RETURN(out.audit_entries, VerifyChain(db_url));
  return out;
}

// --- Schedule --------------------------------------------------------------------------------

core::Result<std::chrono::seconds> ParseDuration(const std::string& text, const std::string& field) {
  auto bad = [&] {
    return Status::Invalid(field, "时长格式应为 24h、30m、90s 或 2d：" + text)
        .En("a duration like 24h, 30m, 90s or 2d: " + text);
  };
  if (text.empty()) return bad();
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (...) {
    return bad();
  }
  if (n <= 0) return bad();
  const std::string unit = text.substr(used);
  int64_t mult = 0;
  if (unit.empty() || unit == "s") mult = 1;
  else if (unit == "m") mult = 60;
  else if (unit == "h") mult = 3600;
  else if (unit == "d") mult = 86400;
  else return bad();
  return std::chrono::seconds(n * mult);
}

class ScheduleLock {
 public:
  explicit ScheduleLock(std::unique_ptr<storage::PgSessionLock> l) : lock(std::move(l)) {}
  std::unique_ptr<storage::PgSessionLock> lock;
};

BackupScheduler::BackupScheduler(BackupScheduleOptions opts, storage::Store& store)
    : opts_(std::move(opts)), store_(store) {}

BackupScheduler::~BackupScheduler() { Stop(); }

void BackupScheduler::Start() {
  if (opts_.dir.empty() || thread_.joinable()) return;
  // The last success this database knows of (an earlier run, another instance).
  (void)store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto v, tx.GetState("backup.last_success"));
    if (v) {
      boost::system::error_code ec;
      auto j = boost::json::parse(*v, ec);
      if (!ec && j.is_object()) {
        if (auto* at = j.as_object().if_contains("at_ms")) last_success_ms_ = at->to_number<int64_t>();
      }
    }
    return Status::Ok();
  });
  next_due_ms_ = last_success_ms_ == 0 ? 0 : last_success_ms_ + opts_.every.count() * 1000;
  thread_ = std::thread([this] { Loop(); });
}

void BackupScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  lock_.reset();
}

void BackupScheduler::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const int64_t due = next_due_ms_;
    const int64_t now = NowMs();
    if (now < due) {
      // Wake at the due time (or within a minute: another instance may have run it).
      const int64_t wait = std::min<int64_t>(due - now, 60'000);
      cv_.wait_for(lock, std::chrono::milliseconds(wait), [this] { return stopping_; });
      continue;
    }
    lock.unlock();
    RunOnce();
    lock.lock();
  }
}

void BackupScheduler::RunOnce() {
  auto url = storage::ParseDbUrl(opts_.db_url);
  if (!url.ok()) return;
  if (url->scheme == "postgres" && !lock_) {
    auto l = storage::TryPgSessionLock(url->path_or_dsn, kScheduleLockKey);
    if (!l.ok() || !*l) {
      // Another instance runs the schedule; see what it recorded.
      std::lock_guard g(mu_);
      leader_ = false;
      (void)store_.Read([&](storage::Tx& tx) -> Status {
        XT_ASSIGN_OR_RETURN(auto v, tx.GetState("backup.last_success"));
        if (v) {
          boost::system::error_code ec;
          auto j = boost::json::parse(*v, ec);
          if (!ec && j.is_object())
            if (auto* at = j.as_object().if_contains("at_ms")) last_success_ms_ = at->to_number<int64_t>();
        }
        return Status::Ok();
      });
      // Try for the lock again at the leader's next due time, or within a minute.
      next_due_ms_ = std::max(last_success_ms_ + opts_.every.count() * 1000,
                              NowMs() + std::min<int64_t>(opts_.every.count(), 60) * 1000);
      return;
    }
    lock_ = std::make_unique<ScheduleLock>(std::move(*l));
  }
  {
    std::lock_guard g(mu_);
    leader_ = true;
  }
  const int64_t started = NowMs();
  std::time_t t = static_cast<std::time_t>(started / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char name[64];
  std::strftime(name, sizeof name, "xietong-%Y%m%dT%H%M%SZ", &tm);
  std::error_code ec;
  fs::create_directories(opts_.dir, ec);
  fs::path target = fs::path(opts_.dir) / name;
  for (int i = 1; fs::exists(target, ec); ++i) target = fs::path(opts_.dir) / (std::string(name) + "-" + std::to_string(i));
  auto r = Backup(opts_.db_url, target.string());
  std::string state_key, state_value;
  {
    std::lock_guard g(mu_);
    ++runs_;
    if (r.ok()) {
      last_success_ms_ = r->created_at_ms;
      last_bytes_ = r->bytes;
      last_seconds_ = r->seconds;
      next_due_ms_ = started + opts_.every.count() * 1000;
      state_key = "backup.last_success";
      state_value = boost::json::serialize(boost::json::object{
          {"at_ms", r->created_at_ms}, {"path", r->dir}, {"bytes", r->bytes},
          {"duration_seconds", r->seconds}, {"schema_version", r->schema_version},
          {"audit_entries", r->audit_entries}});
    } else {
      ++failures_;
      // Try again in a while, not at once (a full disk stays full for a moment).
      next_due_ms_ = started + std::min<int64_t>(opts_.every.count(), 600) * 1000;
      state_key = "backup.last_failure";
      state_value = boost::json::serialize(boost::json::object{
          {"at_ms", started}, {"message", r.status().message()}, {"failures", failures_}});
    }
  }
  if (r.ok()) {
    spdlog::info("backup: {} ({} bytes, {:.2f} s, verified)", r->dir, r->bytes, r->seconds);
  } else {
    spdlog::error("backup failed: {}", r.status().ToString());
  }
  auto st = store_.Write([&](storage::Tx& tx) -> Status { return tx.PutState(state_key, state_value); });
  if (!st.ok()) spdlog::warn("backup: could not record the result: {}", st.ToString());
  if (!r.ok()) return;
  // Keep the newest `keep` finished backups of this schedule.
  std::vector<fs::path> done;
  for (const auto& e : fs::directory_iterator(opts_.dir, ec)) {
    const std::string n = e.path().filename().string();
    if (e.is_directory() && n.rfind("xietong-", 0) == 0 && n.find(".partial") == std::string::npos)
      done.push_back(e.path());
  }
  std::sort(done.begin(), done.end());
  while (static_cast<int>(done.size()) > opts_.keep) {
    fs::remove_all(done.front(), ec);
    if (!ec) spdlog::info("backup: removed old backup {}", done.front().string());
    done.erase(done.begin());
  }
}

double BackupScheduler::last_success_unix() const {
  std::lock_guard g(mu_);
  return static_cast<double>(last_success_ms_) / 1000;
}
double BackupScheduler::last_size_bytes() const {
  std::lock_guard g(mu_);
  return static_cast<double>(last_bytes_);
}
double BackupScheduler::last_duration_seconds() const {
  std::lock_guard g(mu_);
  return last_seconds_;
}
double BackupScheduler::failures_total() const {
  std::lock_guard g(mu_);
  return static_cast<double>(failures_);
}
double BackupScheduler::runs_total() const {
  std::lock_guard g(mu_);
  return static_cast<double>(runs_);
}

core::Result<boost::json::object> BackupScheduler::StatusJson(int64_t now_ms) const {
  std::optional<std::string> success, failure;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(success, tx.GetState("backup.last_success"));
    XT_ASSIGN_OR_RETURN(failure, tx.GetState("backup.last_failure"));
    return Status::Ok();
  }));
  const bool enabled = !opts_.dir.empty();
  boost::json::object out;
  out["enabled"] = enabled;
  out["dir"] = enabled ? boost::json::value(opts_.dir) : boost::json::value(nullptr);
  out["every_seconds"] = enabled ? boost::json::value(opts_.every.count()) : boost::json::value(nullptr);
  out["keep"] = enabled ? boost::json::value(opts_.keep) : boost::json::value(nullptr);
  boost::json::value last = nullptr;
  int64_t success_ms = 0;
  boost::system::error_code ec;
  if (success) {
    auto j = boost::json::parse(*success, ec);
    if (!ec && j.is_object()) {
      auto& o = j.as_object();
      success_ms = o.at("at_ms").to_number<int64_t>();
      last = boost::json::object{
          {"at", IsoMs(success_ms)},
          {"path", o.at("path")},
          {"bytes", o.at("bytes")},
          {"duration_seconds", o.at("duration_seconds").to_number<double>()},
          {"schema_version", o.at("schema_version")},
          {"age_seconds", (now_ms - success_ms) / 1000}};
    }
  }
  out["last_success"] = last;
  boost::json::value last_failure = nullptr;
  if (failure) {
    auto j = boost::json::parse(*failure, ec);
    if (!ec && j.is_object()) {
      auto& o = j.as_object();
      const int64_t at = o.at("at_ms").to_number<int64_t>();
      if (at > success_ms)  // only a failure after the last success is current
        last_failure = boost::json::object{{"at", IsoMs(at)}, {"message", o.at("message")}};
    }
  }
  out["last_failure"] = last_failure;
  // ok: a good backup within every + 1 day; late (yellow): older (a missed day); never: none yet.
  std::string status;
  if (success_ms == 0) status = enabled ? "never" : "disabled";
  else if (now_ms - success_ms > (enabled ? opts_.every.count() * 1000 : 0) + 86'400'000) status = "late";
  else status = "ok";
  if (!last_failure.is_null() && status == "ok") status = "failing";
  out["status"] = status;
  return out;
}

}  // namespace xietong::cli
