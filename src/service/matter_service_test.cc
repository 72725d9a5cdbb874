#include "service/matter_service.h"

#include <gtest/gtest.h>

#include "service/audit_log.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;

// The shared fixture (xincheng, liuzu, scjg …) plus a second county department and a matters
// service on the same store and clock (2026-11-23).
struct MatterFixture : Fixture {
  MatterService matters{*store, clock};
  domain::Org zjj = Must(orgs.CreateOrg(nullptr, {"zjj", "新兴县住房和城乡建设局", "县住建局",
                                                  domain::OrgKind::kCountyDepartment, std::nullopt}));

  static constexpr const char* kCsv =
      "\xEF\xBB\xBF"
      "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
      "SCJG-001,无证无照经营,《无证无照经营查处办法》第十三条,scjg,,xincheng@2023-07-12;liuzu@2024-01-01\n"
      "ZJJ-005,占道经营,\"《城市市容和环境卫生管理条例》第十四条,第三十六条\",zjj,5,"
      "xincheng@2023-07-12..2025-12-31\n"
      "ZJJ-008,未取得施工许可证擅自施工,《中华人民共和国建筑法》第六十四条,zjj,,\n";

  int64_t AuditCount(const std::string& action) {
    int64_t n = 0;
    auto st = store->Read([&](storage::Tx& tx) {
      return tx.ScanAudit([&](const domain::AuditEntry& e) {
        if (e.action == action) ++n;
        return true;
      });
    });
    EXPECT_TRUE(st.ok());
    return n;
  }
};

core::CivilDay D(const char* s) { return *core::ParseDay(s); }

TEST(MatterServiceTest, ImportCreatesMattersAndAnswersJurisdiction) {
  MatterFixture f;
  auto r = f.matters.ImportCsv(&f.admin, MatterFixture::kCsv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 3);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(f.AuditCount("matter.create"), 3);
  EXPECT_EQ(f.AuditCount("matter.import"), 1);

  // R-JUR-1: delegated to xincheng from 2023-07-12.
  auto a = f.matters.Jurisdiction(f.xincheng_officer, "SCJG-001", "xincheng", "2026-11-23");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->competent_org.id, f.xincheng.id);
  EXPECT_EQ(a->competence.reason, "该事项自2023年7月12日起划转新城镇实施");
  EXPECT_EQ(a->matter.matter.legal_basis, "《无证无照经营查处办法》第十三条");
  // Before the policy date: the department.
  a = f.matters.Jurisdiction(f.xincheng_officer, "SCJG-001", std::to_string(f.xincheng.id),
                             "2023-07-11");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->competent_org.id, f.scjg.id);
  // liuzu only from 2024-01-01.
  EXPECT_EQ(f.matters.Jurisdiction(f.liuzu_officer, "SCJG-001", "liuzu", "2023-12-31")->competent_org.id,
            f.scjg.id);
  EXPECT_EQ(f.matters.Jurisdiction(f.liuzu_officer, "SCJG-001", "liuzu", "2024-01-01")->competent_org.id,
            f.liuzu.id);
  // R-JUR-2: withdrawn after 2025-12-31; the past keeps its answer.
  a = f.matters.Jurisdiction(f.xincheng_officer, "ZJJ-005", "xincheng", "2026-01-01");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->competent_org.id, f.zjj.id);
  EXPECT_EQ(a->competence.reason, "该事项对新城镇的划转已于2025年12月31日收回，由县住建局管辖");
  EXPECT_EQ(f.matters.Jurisdiction(f.xincheng_officer, "ZJJ-005", "xincheng", "2025-12-31")->competent_org.id,
            f.xincheng.id);
  // Never delegated; default day = today.
  a = f.matters.Jurisdiction(f.xincheng_officer, "ZJJ-008", "xincheng", "");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->competence.reason, "该事项未划转新城镇，由县住建局管辖");

  // The C++ API for other services.
  auto st = f.store->Read([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(auto c, MatterService::JurisdictionInTx(tx, "ZJJ-005", f.xincheng.id,
                                                                 D("2024-05-01")));
    EXPECT_EQ(c.competent_org_id, f.xincheng.id);
    XT_ASSIGN_OR_RETURN(auto m, MatterService::GetMatterByCodeInTx(tx, "ZJJ-005"));
    EXPECT_EQ(m.statutory_referral_days, 5);
    EXPECT_EQ(MatterService::GetMatterByCodeInTx(tx, "NOPE-1").status().field(), "matter");
    EXPECT_EQ(MatterService::JurisdictionInTx(tx, "ZJJ-005", f.scjg.id, D("2024-05-01"))
                  .status()
                  .field(),
              "township");
    return core::Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(MatterServiceTest, JurisdictionErrorsNameTheField) {
  MatterFixture f;
  ASSERT_TRUE(f.matters.ImportCsv(nullptr, MatterFixture::kCsv).ok());
  auto& p = f.xincheng_officer;
  EXPECT_EQ(f.matters.Jurisdiction(p, "", "xincheng", "").status().field(), "matter");
  EXPECT_EQ(f.matters.Jurisdiction(p, "NOPE-1", "xincheng", "").status().field(), "matter");
  EXPECT_EQ(f.matters.Jurisdiction(p, "SCJG-001", "", "").status().field(), "township");
  EXPECT_EQ(f.matters.Jurisdiction(p, "SCJG-001", "scjg", "").status().field(), "township");
  EXPECT_EQ(f.matters.Jurisdiction(p, "SCJG-001", "nowhere", "").status().field(), "township");
  EXPECT_EQ(f.matters.Jurisdiction(p, "SCJG-001", "999999", "").status().field(), "township");
  EXPECT_EQ(f.matters.Jurisdiction(p, "SCJG-001", "xincheng", "2026-02-30").status().field(), "on");
  EXPECT_EQ(f.matters.Jurisdiction(p, "SCJG-001", "xincheng", "26-1-1").status().code(),
            core::Code::kInvalidArgument);
}

TEST(MatterServiceTest, ImportErrorsNameTheLineAndChangeNothing) {
  MatterFixture f;
  ASSERT_TRUE(f.matters.ImportCsv(&f.admin, MatterFixture::kCsv).ok());
  const int64_t audits = f.AuditCount("matter.create");
  struct Case {
    std::string csv;
    std::string field;
  } cases[] = {
      {"code,name\n", "line 1: header"},
      {"", "line 1: header"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg,,\n"
       "NEW-2,新事项二,《某法》,nowhere,,\n",
       "line 3: owner_org_code"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,xincheng,,\n",
       "line 2: owner_org_code"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "\n"
       "NEW-1,新事项,《某法》,scjg,abc,\n",
       "line 3: statutory_referral_days"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg,,scjg@2026-12-01\n",
       "line 2: delegations"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg,,xincheng@2026-13-01\n",
       "line 2: delegations"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg,,xincheng@2023-07-12;xincheng@2024-01-01\n",
       "line 2: delegations"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg,,\n"
       "NEW-1,新事项,《某法》,scjg,,\n",
       "line 3: code"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "新事项,新事项,《某法》,scjg,,\n",
       "line 2: code"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,,《某法》,scjg,,\n",
       "line 2: name"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,,scjg,,\n",
       "line 2: legal_basis"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg\n",
       "line 2: columns"},
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,\"新事项,《某法》,scjg,,\n",
       "line 2"},
      // A valid new row first, then an R-JUR-2 refusal: the new row is not kept either.
      {"code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
       "NEW-1,新事项,《某法》,scjg,,\n"
       "ZJJ-008,未取得施工许可证擅自施工,《中华人民共和国建筑法》第六十四条,zjj,,xincheng@2024-01-01\n",
       "line 3: delegations"},
  };
  for (const auto& c : cases) {
    auto r = f.matters.ImportCsv(&f.admin, c.csv);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << c.field;
    EXPECT_EQ(r.status().field(), c.field) << r.status().ToString();
  }
  auto page = f.matters.List(f.admin, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);  // nothing from the refused files
  EXPECT_EQ(f.AuditCount("matter.create"), audits);
  EXPECT_EQ(f.AuditCount("matter.import"), 1);
}

TEST(MatterServiceTest, OnlyAdministratorsImport) {
  MatterFixture f;
  auto r = f.matters.ImportCsv(&f.coord_staff, MatterFixture::kCsv);
  EXPECT_EQ(r.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(r.status().rule(), "R-ACC-1");
  EXPECT_EQ(f.matters.List(f.admin, {})->total, 0);
}

TEST(MatterServiceTest, ExportImportRoundTripChangesNothing) {
  MatterFixture f;
  ASSERT_TRUE(f.matters.ImportCsv(&f.admin, MatterFixture::kCsv).ok());
  auto csv = f.matters.ExportCsv(f.xincheng_officer);
  ASSERT_TRUE(csv.ok());
  EXPECT_TRUE(csv->starts_with("\xEF\xBB\xBF" "code,name,legal_basis,owner_org_code,"));
  EXPECT_NE(csv->find("\"《城市市容和环境卫生管理条例》第十四条,第三十六条\""), std::string::npos);
  EXPECT_NE(csv->find("xincheng@2023-07-12..2025-12-31"), std::string::npos);
  auto r = f.matters.ImportCsv(&f.admin, *csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(r->unchanged, 3);
  EXPECT_EQ(*f.matters.ExportCsv(f.admin), *csv);
}

TEST(MatterServiceTest, ReimportUpdatesAndNeverDeletesDelegations) {
  MatterFixture f;  // today: 2026-11-23
  ASSERT_TRUE(f.matters.ImportCsv(&f.admin, MatterFixture::kCsv).ok());
  // SCJG-001: xincheng dropped from the file (→ ended yesterday), liuzu ends next year, a new
  // period for... the name changes too. ZJJ-008 gets a delegation from today.
  std::string csv =
      "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
      "SCJG-001,无证无照经营（新）,《无证无照经营查处办法》第十三条,scjg,3,liuzu@2024-01-01..2027-06-30\n"
      "ZJJ-008,未取得施工许可证擅自施工,《中华人民共和国建筑法》第六十四条,zjj,,xincheng@2026-11-23\n";
  auto r = f.matters.ImportCsv(&f.admin, csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->updated, 2);
  EXPECT_EQ(f.AuditCount("matter.update"), 2);

  auto page = f.matters.List(f.admin, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);  // ZJJ-005 untouched
  auto ans = [&](const char* code, const char* town, const char* on) {
    auto a = f.matters.Jurisdiction(f.admin, code, town, on);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->competent_org.code : std::string();
  };
  // R-JUR-2: xincheng's period is kept, ended on 2026-11-22.
  EXPECT_EQ(ans("SCJG-001", "xincheng", "2026-11-22"), "xincheng");
  EXPECT_EQ(ans("SCJG-001", "xincheng", "2026-11-23"), "scjg");
  EXPECT_EQ(ans("SCJG-001", "xincheng", "2024-01-01"), "xincheng");
  EXPECT_EQ(ans("SCJG-001", "liuzu", "2027-06-30"), "liuzu");
  EXPECT_EQ(ans("SCJG-001", "liuzu", "2027-07-01"), "scjg");
  EXPECT_EQ(ans("ZJJ-008", "xincheng", "2026-11-22"), "zjj");
  EXPECT_EQ(ans("ZJJ-008", "xincheng", "2026-11-23"), "xincheng");
  auto got = f.matters.Jurisdiction(f.admin, "SCJG-001", "xincheng", "2026-11-23");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->matter.matter.name, "无证无照经营（新）");
  EXPECT_EQ(got->matter.matter.statutory_referral_days, 3);
  EXPECT_EQ(got->matter.delegations.size(), 2u);

  // Retroactive changes are refused (R-JUR-2).
  auto retro = f.matters.ImportCsv(
      &f.admin,
      "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
      "SCJG-001,无证无照经营（新）,《无证无照经营查处办法》第十三条,scjg,3,"
      "xincheng@2023-07-12..2025-01-01;liuzu@2024-01-01..2027-06-30\n");
  EXPECT_EQ(retro.status().field(), "line 2: delegations");
  EXPECT_EQ(retro.status().rule(), "R-JUR-2");
  EXPECT_EQ(ans("SCJG-001", "xincheng", "2025-06-01"), "xincheng");
}

TEST(MatterServiceTest, ListFiltersAndPages) {
  MatterFixture f;
  ASSERT_TRUE(f.matters.ImportCsv(&f.admin, MatterFixture::kCsv).ok());
  storage::MatterFilter by_owner;
  by_owner.owner_org_id = f.zjj.id;
  auto p = f.matters.List(f.liuzu_officer, by_owner);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 2);
  ASSERT_EQ(p->items.size(), 2u);
  EXPECT_EQ(p->items[0].matter.code, "ZJJ-005");  // sorted by code
  EXPECT_EQ(p->items[0].owner.code, "zjj");
  ASSERT_EQ(p->items[0].townships.size(), 1u);
  EXPECT_EQ(p->items[0].townships[0].code, "xincheng");

  storage::MatterFilter by_town;
  by_town.township_org_id = f.liuzu.id;
  EXPECT_EQ(f.matters.List(f.admin, by_town)->total, 1);
  storage::MatterFilter text;
  text.text = "占道";
  EXPECT_EQ(f.matters.List(f.admin, text)->total, 1);
  text.text = "建筑法";  // legal basis
  EXPECT_EQ(f.matters.List(f.admin, text)->total, 1);
  text.text = "%";
  EXPECT_EQ(f.matters.List(f.admin, text)->total, 0);
  storage::MatterFilter page;
  page.limit = 1;
  page.offset = 1;
  auto p2 = f.matters.List(f.admin, page);
  EXPECT_EQ(p2->total, 3);
  ASSERT_EQ(p2->items.size(), 1u);
  EXPECT_EQ(p2->items[0].matter.code, "ZJJ-005");

  EXPECT_EQ(p2->items[0].matter.statutory_referral_days, 5);
  ASSERT_FALSE(p2->items[0].delegations.empty());
  ASSERT_TRUE(p2->items[0].delegations[0].to);
  EXPECT_EQ(core::FormatDay(*p2->items[0].delegations[0].to), "2025-12-31");
  EXPECT_EQ(f.matters.Get(f.admin, 999).status().code(), core::Code::kNotFound);
}

}  // namespace
}  // namespace xietong::service
