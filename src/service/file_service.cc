#include "service/file_service.h"

#include <algorithm>
#include <cstdint>

#include "domain/audit.h"
#include "service/audit_log.h"

namespace xietong::service {

namespace {
using core::Status;

bool ValidUtf8Text(std::string_view s) {
  size_t i = 0;
  if (s.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
      if (c == 0x7F) return false;
      ++i;
      continue;
    }
    int n = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    i += n + 1;
  }
  return true;
}

Status CheckName(const std::string& name) {
  size_t chars = 0;
  for (unsigned char c : name) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7F || c == '/' || c == '\\')
      return Status::Invalid("name", "文件名不能包含路径分隔符或控制字符")
          .En("The file name must not contain path separators or control characters");
  }
  if (chars == 0 || chars > 200 || name == "." || name == "..")
    return Status::Invalid("name", "文件名不能为空，且不超过200个字")
        .En("The file name must be 1..200 characters");
  return Status::Ok();
}

bool IsHexSha(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

FileInfo InfoOf(const storage::FileBlob& b, const std::vector<storage::FileRef>& refs,
                std::optional<domain::Id> prefer_org) {
  FileInfo info;
  info.id = b.sha256;
  info.size = b.size;
  info.content_type = b.content_type;
  const storage::FileRef* ref = refs.empty() ? nullptr : &refs.front();
  if (prefer_org) {
    for (const auto& r : refs)
      if (r.org_id == *prefer_org) {
        ref = &r;
        break;
      }
  }
  info.name = ref ? ref->name : b.sha256;
  return info;
}
}  // namespace

std::string SniffFileType(std::string_view b) {
  if (b.starts_with("%PDF-")) return "application/pdf";
  if (b.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (b.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8))) return "image/png";
  if (b.starts_with(std::string_view("PK\x03\x04", 4))) {
    // Office Open XML: a ZIP whose part names include the main document part.
    if (b.find("[Content_Types].xml") != std::string_view::npos) {
      if (b.find("word/") != std::string_view::npos)
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
      if (b.find("xl/") != std::string_view::npos)
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    return "";
  }
  if (!b.empty() && ValidUtf8Text(b)) return "text/plain; charset=utf-8";
  return "";
}

FileService::FileService(storage::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

core::Result<FileInfo> FileService::Put(const Principal& p, const std::string& name,
                                        const std::string& /*content_type*/,
                                        std::string_view bytes) {
  if (p.IsAuditor() && !p.IsAdmin() && !p.Has(domain::Role::kOfficer) &&
      !p.Has(domain::Role::kLeader))
    return Status::Denied("审计员只读，不能上传文件", "R-ACC-1").En("Auditors are read-only");
  XT_RETURN_IF_ERROR(CheckName(name));
  if (bytes.empty())
    return Status::Invalid("file", "文件为空").En("The file is empty");
  if (static_cast<int64_t>(bytes.size()) > kMaxFileBytes)
    return Status(core::Code::kResourceExhausted, "body_too_large", "文件超过20 MiB上限", "file")
        .En("The file is larger than 20 MiB");
  std::string type = SniffFileType(bytes);
  if (type.empty())
    return Status::Invalid("file", "不支持的文件类型：仅接受 PDF、JPEG、PNG、DOCX、XLSX 和 UTF-8 文本",
                           "", "unsupported_file_type")
        .En("Unsupported file type: PDF, JPEG, PNG, DOCX, XLSX or UTF-8 text only");
  FileInfo info;
  info.id = domain::Sha256Hex(bytes);
  info.name = name;
  info.size = static_cast<int64_t>(bytes.size());
  info.content_type = type;
  const core::Instant now = clock_.Now();
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    storage::FileBlob blob;
    blob.sha256 = info.id;
    blob.size = info.size;
    blob.content_type = type;
    blob.created_at = now;
    blob.bytes = std::string(bytes);
    XT_ASSIGN_OR_RETURN(bool created, tx.InsertFileBlob(blob));
    XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(info.id));
    bool known = std::any_of(refs.begin(), refs.end(), [&](const storage::FileRef& r) {
      return r.org_id == p.org.id && r.name == name;
    });
    if (known) return Status::Ok();  // same bytes, same name, same org: nothing to record
    XT_RETURN_IF_ERROR(tx.InsertFileRef({info.id, p.org.id, name, p.user.id, now}));
    return Record(tx, &p, now,
                  {"file.upload", "file", info.id, "上传文件：" + name,
                   boost::json::object{{"name", name},
                                       {"size", info.size},
                                       {"content_type", type},
                                       {"new_content", created}}});
  }));
  return info;
}

core::Result<bool> FileService::CanReadInTx(storage::Tx& tx, const Principal& p,
                                            const std::string& sha256) const {
  if (p.SeesAll()) return true;  // R-ACC-1: the coordinator, auditors and admins see all
  XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(sha256));
  // The uploading org, and whoever oversees it (R-ACC-2).
  if (std::any_of(refs.begin(), refs.end(),
                  [&](const storage::FileRef& r) { return p.SeesOrgId(r.org_id); }))
    return true;
  if (!extra_access_) return false;
  return extra_access_(tx, p, sha256);
}

core::Result<FileContent> FileService::Get(const Principal& p, const std::string& sha256) {
  if (!IsHexSha(sha256)) return Status::NotFound("file", "文件不存在");
  FileContent out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(storage::FileBlob blob, tx.GetFileBlob(sha256, /*with_bytes=*/false));
    XT_ASSIGN_OR_RETURN(bool readable, CanReadInTx(tx, p, sha256));
    if (!readable) return Status::NotFound("file", "文件不存在");
    XT_ASSIGN_OR_RETURN(blob, tx.GetFileBlob(sha256, /*with_bytes=*/true));
    XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(sha256));
    out.info = InfoOf(blob, refs, p.org.id);
    out.bytes = std::move(blob.bytes);
    return Status::Ok();
  }));
  return out;
}

core::Result<FileInfo> FileService::Info(const Principal& p, const std::string& sha256) {
  if (!IsHexSha(sha256)) return Status::NotFound("file", "文件不存在");
  FileInfo out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(bool readable, CanReadInTx(tx, p, sha256));
    if (!readable) {
      XT_RETURN_IF_ERROR(tx.GetFileBlob(sha256, false).status());
      return Status::NotFound("file", "文件不存在");
    }
    XT_ASSIGN_OR_RETURN(out, InfoInTx(tx, sha256, p.org.id));
    return Status::Ok();
  }));
  return out;
}

core::Result<FileInfo> FileService::InfoInTx(storage::Tx& tx, const std::string& sha256,
                                             std::optional<domain::Id> prefer_org) {
  if (!IsHexSha(sha256)) return Status::NotFound("file", "文件不存在");
  XT_ASSIGN_OR_RETURN(storage::FileBlob blob, tx.GetFileBlob(sha256, false));
  XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(sha256));
  return InfoOf(blob, refs, prefer_org);
}

}  // namespace xietong::service
