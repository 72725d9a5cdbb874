#include "service/audit_checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace xietong::service {

namespace {

constexpr char kFormat[] = "xietong-audit-checkpoint-v1";

std::string HexOf(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : bytes) {
    s += kHex[c >> 4];
    s += kHex[c & 15];
  }
  return s;
}

std::optional<std::string> SeedOf(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

core::Status KeyError(const std::string& path, const std::string& why, const std::string& en) {
  return core::Status::Invalid("audit-key", "审计签名密钥文件 " + path + "：" + why)
      .En("audit signing key file " + path + ": " + en);
}

std::string KeyFileText(const domain::AuditKeyPair& k) {
  return "# xietong 审计检查点签名密钥（Ed25519 种子，十六进制）。保密，权限 0600。\n"
         "# xietong audit checkpoint signing key (Ed25519 seed, hex). Keep secret, mode 0600.\n"
         "# public key: " +
         k.public_key_hex + "\n" + HexOf(k.seed) + "\n";
}

}  // namespace

core::Result<domain::AuditKeyPair> LoadAuditKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return core::Status::NotFound("audit-key", "审计签名密钥文件不存在：" + path)
        .En("audit signing key file not found: " + path);
  if ((st.st_mode & 077) != 0)
    return KeyError(path, "权限过宽，组或其他用户可读（应为 0600：chmod 600 " + path + "）",
                    "group or others may read it (must be 0600)");
  std::ifstream in(path);
  if (!in) return KeyError(path, "无法读取", "cannot be read");
  std::string line;
  std::optional<std::string> seed;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (seed) return KeyError(path, "有多行密钥", "more than one key line");
    seed = SeedOf(line);
    if (!seed) return KeyError(path, "密钥行应为64位十六进制数", "the key line must be 64 hex digits");
  }
  if (!seed) return KeyError(path, "没有密钥行", "no key line");
  auto k = domain::AuditKeyPairFromSeed(*seed);
  if (!k) return KeyError(path, "密钥无效", "invalid key");
  return *k;
}

core::Result<domain::AuditKeyPair> LoadOrCreateAuditKey(const std::string& path, bool* created) {
  if (created) *created = false;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return LoadAuditKey(path);
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // Written to a private temporary file, then linked into place: link() fails when another
  // process created the key first (its complete file is then loaded), so no one reads half a key.
  domain::AuditKeyPair k = domain::NewAuditKeyPair();
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyError(path, std::string("无法创建：") + std::strerror(errno), "cannot create");
  const std::string text = KeyFileText(k);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return KeyError(path, "写入失败", "write failed");
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) return LoadAuditKey(path);
    return KeyError(path, std::string("无法创建：") + std::strerror(link_errno), "cannot create");
  }
  if (created) *created = true;
  return k;
}

core::Result<std::optional<domain::AuditCheckpoint>> WriteCheckpointIfDue(
    storage::Store& store, const domain::AuditKeyPair& key, core::Instant now,
    const AuditCheckpointOptions& opts, bool force) {
  std::optional<domain::AuditCheckpoint> written;
  XT_RETURN_IF_ERROR(store.Write([&](storage::Tx& tx) -> core::Status {
    written.reset();
    storage::AuditFilter head_filter;
    head_filter.limit = 1;
    XT_ASSIGN_OR_RETURN(auto head, tx.ListAudit(head_filter));
    if (head.empty()) return core::Status::Ok();  // nothing to vouch for yet
    XT_ASSIGN_OR_RETURN(auto latest, tx.LatestAuditCheckpoint());
    if (latest && latest->seq >= head[0].seq) return core::Status::Ok();
    const bool due = force || !latest || head[0].seq - latest->seq >= opts.every ||
                     now - latest->at >= opts.interval;
    if (!due) return core::Status::Ok();
    domain::AuditCheckpoint cp{.seq = head[0].seq, .hash = head[0].hash, .at = now};
    domain::SignCheckpoint(cp, key);
    XT_ASSIGN_OR_RETURN(bool inserted, tx.InsertAuditCheckpoint(cp));
    if (inserted) written = std::move(cp);
    return core::Status::Ok();
  }));
  return written;
}

core::Result<std::optional<domain::AuditCheckpoint>> LatestCheckpoint(storage::Store& store) {
  std::optional<domain::AuditCheckpoint> out;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(out, tx.LatestAuditCheckpoint());
    return core::Status::Ok();
  }));
  return out;
}

boost::json::object CheckpointJson(const domain::AuditCheckpoint& cp) {
  return boost::json::object{{"format", kFormat},
                             {"seq", cp.seq},
                             {"entries", cp.seq},
                             {"hash", cp.hash},
                             {"at", core::FormatInstant(cp.at)},
                             {"at_ms", core::ToMillis(cp.at)},
                             {"public_key", cp.public_key},
                             {"signature", cp.signature}};
}

core::Result<domain::AuditCheckpoint> ParseCheckpointJson(std::string_view text) {
  auto bad = [](const std::string& field) {
    return core::Status::Invalid(field, "检查点文件的 " + field + " 缺失或格式不对")
        .En("checkpoint file: " + field + " is missing or malformed");
  };
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return bad("json");
  const auto& o = v.as_object();
  auto str = [&](const char* k) -> const boost::json::string* {
    auto* p = o.if_contains(k);
    return p && p->is_string() ? &p->as_string() : nullptr;
  };
  auto num = [&](const char* k) -> std::optional<int64_t> {
    auto* p = o.if_contains(k);
    if (p && p->is_int64()) return p->as_int64();
    if (p && p->is_uint64() && p->as_uint64() <= INT64_MAX) return static_cast<int64_t>(p->as_uint64());
    return std::nullopt;
  };
  if (!str("format") || *str("format") != kFormat) return bad("format");
  domain::AuditCheckpoint cp;
  auto seq = num("seq");
  if (!seq || *seq < 1) return bad("seq");
  cp.seq = *seq;
  auto at = num("at_ms");
  if (!at) return bad("at_ms");
  cp.at = core::FromMillis(*at);
  for (auto [field, out] : {std::pair{"hash", &cp.hash}, std::pair{"public_key", &cp.public_key},
                            std::pair{"signature", &cp.signature}}) {
    auto* s = str(field);
    if (!s) return bad(field);
    *out = std::string(s->data(), s->size());
  }
  return cp;
}

bool AuditVerifyReport::ok() const {
  if (!chain.ok) return false;
  for (const auto& f : held)
    if (!f.ok()) return false;
  for (const auto& f : table)
    if (!f.ok()) return false;
  return true;
}

core::Result<AuditVerifyReport> VerifyAudit(
    storage::Store& store, std::vector<std::pair<domain::AuditCheckpoint, std::string>> held,
    std::vector<std::string> trusted_keys) {
  domain::ChainVerifier chain;
  domain::CheckpointVerifier files(trusted_keys);
  domain::CheckpointVerifier stored(trusted_keys);
  for (auto& [cp, name] : held) files.Hold(cp, name);
  std::vector<domain::AuditCheckpoint> table;
  XT_RETURN_IF_ERROR(store.Read([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(table, tx.ListAuditCheckpoints());
    for (const auto& cp : table) stored.Hold(cp, "audit_checkpoints表");
    return tx.ScanAudit([&](const domain::AuditEntry& e) {
      chain.Add(e);  // keeps its first problem; the checkpoints need every entry
      files.Add(e);
      stored.Add(e);
      return true;
    });
  }));
  AuditVerifyReport report;
  report.chain = chain.Finish();
  report.held = files.Finish(&table);
  report.table = stored.Finish();
  return report;
}

core::Status CanDownloadCheckpoint(const Principal&) { return core::Status::Ok(); }

core::Result<std::optional<domain::AuditCheckpoint>> AuditCheckpointer::RunOnce(bool force) {
  return WriteCheckpointIfDue(store_, key_, clock_.Now(), opts_, force);
}

void AuditCheckpointer::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  auto pass = [this](bool force) {
    auto r = RunOnce(force);
    if (!r.ok()) Log("审计检查点写入失败 audit checkpoint failed: " + r.status().ToString());
    else if (*r) Log("审计检查点 audit checkpoint signed at entry " + std::to_string((*r)->seq));
  };
  pass(true);  // at once: the head as this instance found it (served before the first request)
  thread_ = std::thread([this, pass] {
    auto poll = std::min<std::chrono::milliseconds>(opts_.interval, std::chrono::seconds(2));
    if (poll < std::chrono::milliseconds(50)) poll = std::chrono::milliseconds(50);
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, poll, [this] { return stop_; })) {
      lock.unlock();
      pass(false);
      lock.lock();
    }
  });
}

void AuditCheckpointer::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  auto r = RunOnce(true);  // the head at shutdown
  if (!r.ok()) Log("审计检查点写入失败 audit checkpoint failed at stop: " + r.status().ToString());
}

}  // namespace xietong::service
