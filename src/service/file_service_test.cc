#include "service/file_service.h"

#include <gtest/gtest.h>

#include "domain/audit.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;

const std::string kPdf = "%PDF-1.4\n% test\n%%EOF\n";

struct FileFixture : Fixture {
  FileService files{*store, clock};
  Principal auditor = AddUser("coordinator.auditor", coordinator, {domain::Role::kAuditor});
};

TEST(FileServiceTest, SniffsTypesFromMagicBytes) {
  EXPECT_EQ(SniffFileType(kPdf), "application/pdf");
  EXPECT_EQ(SniffFileType(std::string("\xFF\xD8\xFF\xE0rest", 8)), "image/jpeg");
  EXPECT_EQ(SniffFileType(std::string("\x89PNG\r\n\x1A\n....", 12)), "image/png");
  std::string docx = std::string("PK\x03\x04", 4) + "....[Content_Types].xml....word/document.xml";
  EXPECT_EQ(SniffFileType(docx),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  std::string xlsx = std::string("PK\x03\x04", 4) + "....[Content_Types].xml....xl/workbook.xml";
  EXPECT_EQ(SniffFileType(xlsx), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(SniffFileType(std::string("PK\x03\x04", 4) + "plain.zip"), "");
  EXPECT_EQ(SniffFileType("现场检查笔录\r\n第二行\t"), "text/plain; charset=utf-8");
  EXPECT_EQ(SniffFileType("\xEF\xBB\xBF" "带BOM"), "text/plain; charset=utf-8");
  EXPECT_EQ(SniffFileType(std::string("MZ\x90\x00", 4)), "");             // a Windows executable
  EXPECT_EQ(SniffFileType(std::string("text\x00more", 9)), "");           // NUL: binary
  EXPECT_EQ(SniffFileType("GIF89a"), "text/plain; charset=utf-8");       // ASCII is text
  EXPECT_EQ(SniffFileType("\xC0\xAF"), "");                               // overlong UTF-8
  EXPECT_EQ(SniffFileType("\xE4\xB8"), "");                               // truncated UTF-8
  EXPECT_EQ(SniffFileType(""), "");
}

TEST(FileServiceTest, PutIsContentAddressedAndAudited) {
  FileFixture f;
  auto a = f.files.Put(f.xincheng_officer, "现场检查笔录.pdf", "application/octet-stream", kPdf);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->id, domain::Sha256Hex(kPdf));
  EXPECT_EQ(a->content_type, "application/pdf");  // sniffed, not as sent
  EXPECT_EQ(a->size, static_cast<int64_t>(kPdf.size()));
  // Same bytes again (another org, another name): same id.
  auto b = f.files.Put(f.liuzu_officer, "笔录.pdf", "application/pdf", kPdf);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->id, a->id);
  // Each org sees its own name.
  EXPECT_EQ(f.files.Get(f.xincheng_officer, a->id)->info.name, "现场检查笔录.pdf");
  EXPECT_EQ(f.files.Get(f.liuzu_officer, a->id)->info.name, "笔录.pdf");
  EXPECT_EQ(f.files.Get(f.liuzu_officer, a->id)->bytes, kPdf);
  // A repeat by the same org under the same name records nothing new.
  ASSERT_TRUE(f.files.Put(f.xincheng_officer, "现场检查笔录.pdf", "", kPdf).ok());
  int uploads = 0;
  ASSERT_TRUE(f.store->Read([&](storage::Tx& tx) {
                   return tx.ScanAudit([&](const domain::AuditEntry& e) {
                     if (e.action == "file.upload") ++uploads;
                     return true;
                   });
                 }).ok());
  EXPECT_EQ(uploads, 2);
}

TEST(FileServiceTest, AccessIsTheUploadersOrgTheCoordinatorOrTheHook) {
  FileFixture f;
  auto a = f.files.Put(f.xincheng_officer, "a.pdf", "", kPdf);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(f.files.Get(f.xincheng_officer, a->id).ok());
  EXPECT_TRUE(f.files.Get(f.coord_staff, a->id).ok());  // R-ACC-1: the coordinator sees all
  EXPECT_TRUE(f.files.Get(f.auditor, a->id).ok());
  auto other = f.files.Get(f.liuzu_officer, a->id);
  EXPECT_EQ(other.status().code(), core::Code::kNotFound);  // not 403: existence must not leak
  EXPECT_EQ(f.files.Info(f.liuzu_officer, a->id).status().code(), core::Code::kNotFound);
  EXPECT_EQ(f.files.Get(f.xincheng_officer, std::string(64, 'a')).status().code(),
            core::Code::kNotFound);
  EXPECT_EQ(f.files.Get(f.xincheng_officer, "../etc/passwd").status().code(),
            core::Code::kNotFound);
  // The referrals hook lets liuzu in.
  std::string seen;
  f.files.SetExtraAccess([&](storage::Tx&, const Principal& p, const std::string& sha) {
    seen = sha;
    return p.org.id == f.liuzu.id;
  });
  EXPECT_TRUE(f.files.Get(f.liuzu_officer, a->id).ok());
  EXPECT_EQ(seen, a->id);
  {
    // A store failure inside the hook fails the read; it is not taken for "no access" (404).
    FileAccessHook keep = [&](storage::Tx&, const Principal& p, const std::string& sha) {
      seen = sha;
      return p.org.id == f.liuzu.id;
    };
    f.files.SetExtraAccess([](storage::Tx&, const Principal&, const std::string&)
                               -> core::Result<bool> { return core::Status::Internal("disk"); });
    auto broken = f.files.Get(f.liuzu_officer, a->id);
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.status().code(), core::Code::kInternal);
    f.files.SetExtraAccess(keep);
  }
  auto info = f.files.Info(f.liuzu_officer, a->id);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->name, "a.pdf");
}

TEST(FileServiceTest, RefusalsNameTheFieldAndStoreNothing) {
  FileFixture f;
  auto exe = f.files.Put(f.xincheng_officer, "a.exe", "", std::string("MZ\x90\x00", 4));
  EXPECT_EQ(exe.status().id(), "unsupported_file_type");
  EXPECT_EQ(exe.status().field(), "file");
  EXPECT_EQ(f.files.Put(f.xincheng_officer, "", "", kPdf).status().field(), "name");
  EXPECT_EQ(f.files.Put(f.xincheng_officer, "a/b.pdf", "", kPdf).status().field(), "name");
  EXPECT_EQ(f.files.Put(f.xincheng_officer, "a\nb.pdf", "", kPdf).status().field(), "name");
  EXPECT_EQ(f.files.Put(f.xincheng_officer, std::string(201, 'a'), "", kPdf).status().field(), "name");
  EXPECT_EQ(f.files.Put(f.xincheng_officer, "e.txt", "", "").status().field(), "file");
  std::string big = "%PDF-" + std::string(FileService::kMaxFileBytes, 'x');
  auto too_big = f.files.Put(f.xincheng_officer, "big.pdf", "", big);
  EXPECT_EQ(too_big.status().id(), "body_too_large");
  EXPECT_EQ(too_big.status().code(), core::Code::kResourceExhausted);
  EXPECT_EQ(f.files.Put(f.auditor, "a.pdf", "", kPdf).status().code(),
            core::Code::kPermissionDenied);
  auto st = f.store->Read([&](storage::Tx& tx) {
    EXPECT_EQ(tx.GetFileBlob(domain::Sha256Hex(kPdf), false).status().code(),
              core::Code::kNotFound);
    return core::Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

}  // namespace
}  // namespace xietong::service
