// Evidence files (证据附件): content-addressed uploads and access-checked downloads.
//
// A file's id is the lower-case hex SHA-256 of its bytes; the same bytes uploaded twice are
// stored once, with one reference (org, name, uploader) per upload. Types are decided by the
// bytes (magic numbers), not by the name or the Content-Type sent: PDF, JPEG, PNG, DOCX/XLSX
// (ZIP with the Office part) and plain UTF-8 text; anything else is refused. Virus scanning is
// not done here (the deployer's ingress is expected to do it).
//
// Access (R-ACC-1): an org that uploaded the file, the coordinator/auditors/admins, or whoever
// `extra_access` lets in (the referrals service: orgs that can see a referral the file is
// attached to). Others get 404, as if the file did not exist. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct FileInfo {
  std::string id;  // sha256 hex
  std::string name;
  int64_t size = 0;
  std::string content_type;  // the sniffed type
};

struct FileContent {
  FileInfo info;
  std::string bytes;
};

// Extra read access for a file: true lets `p` read `sha256`; a store error fails the read. Runs
// inside the caller's transaction.
using FileAccessHook = std::function<core::Result<bool>(storage::Tx& tx, const Principal& p,
                                                        const std::string& sha256)>;

// The sniffed MIME type of `bytes`, or "" when it is none of the accepted types.
std::string SniffFileType(std::string_view bytes);

class FileService {
 public:
  // Largest accepted file (20 MiB, contract); the server's body limit must allow it.
  static constexpr int64_t kMaxFileBytes = 20 * 1024 * 1024;

  FileService(storage::Store& store, const core::Clock& clock);

  // Sets the hook (call once at start-up, before serving).
  void SetExtraAccess(FileAccessHook hook) { extra_access_ = std::move(hook); }

  // Stores `bytes` under `name` for p's org. Errors: 400 field "name" (empty, > 200 chars, path
  // separators or control characters), 400 unsupported_file_type field "file", 413
  // body_too_large field "file" (> kMaxFileBytes), 400 field "file" when empty. Auditors may not
  // upload (403). Audited ("file.upload").
  core::Result<FileInfo> Put(const Principal& p, const std::string& name,
                             const std::string& content_type, std::string_view bytes);
  // The bytes and the name p's org gave it (else the first upload's name). kNotFound("file")
  // when missing or not visible to p.
  core::Result<FileContent> Get(const Principal& p, const std::string& sha256);
  // Metadata only, same access rule (for rendering attachments).
  core::Result<FileInfo> Info(const Principal& p, const std::string& sha256);
  // Inside another service's transaction: metadata without an access check (the caller has
  // checked access to the object the file is attached to). kNotFound("file").
  static core::Result<FileInfo> InfoInTx(storage::Tx& tx, const std::string& sha256,
                                         std::optional<domain::Id> prefer_org = std::nullopt);
  // Inside another service's transaction: may `p` attach/read `sha256`? (uploader's org or the
  // hook). Used by the referrals service when evidence names a file. Store errors propagate.
  core::Result<bool> CanReadInTx(storage::Tx& tx, const Principal& p, const std::string& sha256) const;

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  FileAccessHook extra_access_;
};

}  // namespace xietong::service
