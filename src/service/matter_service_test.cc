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

// ---- R-DIS-3: boundary decisions date the catalog; earlier days keep their answers ----

struct BoundaryFixture : MatterFixture {
  BoundaryFixture() { EXPECT_TRUE(matters.ImportCsv(nullptr, kCsv).ok()); }

  core::Status Apply(BoundaryDecision d, const char* today = "2026-11-23") {
    return store->Write([&](storage::Tx& tx) {
      return MatterService::ApplyBoundaryDecisionInTx(tx, d, D(today));
    });
  }
  BoundaryDecision Decision(const char* code, BoundaryDecision::Change c, const char* effective) {
    BoundaryDecision d;
    d.matter_code = code;
    d.change = c;
    d.effective = D(effective);
    d.decision_number = "新政决〔2026〕3号";
    d.decision_document_id = 42;
    return d;
  }
  std::string Ans(const char* code, const char* town, const char* on) {
    auto a = matters.Jurisdiction(admin, code, town, on);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->competent_org.code : std::string();
  }
  // Everything a refused decision must leave alone.
  std::string Snapshot() {
    std::string out = *matters.ExportCsv(admin);
    auto st = store->Read([&](storage::Tx& tx) -> core::Status {
      for (const char* code : {"SCJG-001", "ZJJ-005", "ZJJ-008"}) {
        XT_ASSIGN_OR_RETURN(auto m, tx.GetMatterByCode(code));
        XT_ASSIGN_OR_RETURN(auto ps, tx.ListOwnerPeriods(m.id));
        out += std::to_string(m.owner_org_id) + "/" + std::to_string(ps.size()) + ";";
      }
      return core::Status::Ok();
    });
    EXPECT_TRUE(st.ok());
    return out + std::to_string(AuditCount("matter.boundary"));
  }
};

TEST(MatterServiceTest, BoundaryOwnerChangeCountsFromItsDayAndCitesTheDecision) {
  BoundaryFixture f;
  auto d = f.Decision("ZJJ-008", BoundaryDecision::Change::kOwner, "2026-12-01");
  d.owner_org_id = f.scjg.id;
  auto st = f.Apply(d);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(f.AuditCount("matter.boundary"), 1);
  // R-JUR-2: the days before keep the old owner; from the effective day the new one.
  EXPECT_EQ(f.Ans("ZJJ-008", "xincheng", "2026-11-30"), "zjj");
  EXPECT_EQ(f.Ans("ZJJ-008", "xincheng", "2020-01-01"), "zjj");
  EXPECT_EQ(f.Ans("ZJJ-008", "xincheng", "2026-12-01"), "scjg");
  auto a = f.matters.Jurisdiction(f.admin, "ZJJ-008", "xincheng", "2026-12-01");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->competence.decided_by);
  EXPECT_EQ(a->competence.decided_by->decision_number, "新政决〔2026〕3号");
  EXPECT_EQ(a->competence.decided_by->decision_document_id, 42);
  // The view: owner today still zjj; the history has the beginning and the decided period.
  EXPECT_EQ(a->matter.owner.code, "zjj");
  ASSERT_EQ(a->matter.owner_periods.size(), 2u);
  EXPECT_EQ(a->matter.owner_periods[0].from, domain::kCatalogBeginning);
  EXPECT_EQ(a->matter.period_owners[0].code, "zjj");
  EXPECT_EQ(a->matter.owner_periods[1].from, D("2026-12-01"));
  EXPECT_EQ(a->matter.period_owners[1].code, "scjg");
  // Once the day comes, the view's owner is the new one.
  f.clock.Set(*core::ParseInstant("2026-12-01T09:00:00+08:00"));
  auto v = f.matters.Get(f.admin, a->matter.matter.id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->owner.code, "scjg");

  // A second change the same day, or the owner it already has, is refused.
  d.owner_org_id = f.zjj.id;
  EXPECT_EQ(f.Apply(d).code(), core::Code::kFailedPrecondition);
  d.effective = D("2026-12-05");
  d.owner_org_id = f.scjg.id;
  auto same = f.Apply(d);
  EXPECT_EQ(same.field(), "boundary.owner_org");
  EXPECT_EQ(same.rule(), "R-DIS-3");
}

TEST(MatterServiceTest, BoundaryDelegationAndWithdrawalFromTheirDay) {
  BoundaryFixture f;
  // ZJJ-008 was never delegated: delegate to liuzu from 2026-12-01.
  auto d = f.Decision("ZJJ-008", BoundaryDecision::Change::kDelegate, "2026-12-01");
  d.township_org_id = f.liuzu.id;
  ASSERT_TRUE(f.Apply(d).ok());
  EXPECT_EQ(f.Ans("ZJJ-008", "liuzu", "2026-11-30"), "zjj");
  EXPECT_EQ(f.Ans("ZJJ-008", "liuzu", "2026-12-01"), "liuzu");
  auto a = f.matters.Jurisdiction(f.admin, "ZJJ-008", "liuzu", "2027-01-01");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->competence.delegation && a->competence.delegation->decided_by);
  EXPECT_EQ(a->competence.delegation->decided_by->decision_number, "新政决〔2026〕3号");
  EXPECT_NE(a->competence.reason.find("依据新政决〔2026〕3号"), std::string::npos);
  // Covered already → 409 R-DIS-3, nothing changed.
  std::string before = f.Snapshot();
  d.effective = D("2026-12-10");
  auto dup = f.Apply(d);
  EXPECT_EQ(dup.code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(dup.rule(), "R-DIS-3");
  EXPECT_EQ(f.Snapshot(), before);

  // SCJG-001 is delegated to xincheng since 2023-07-12: withdraw from 2027-01-01.
  auto w = f.Decision("SCJG-001", BoundaryDecision::Change::kWithdraw, "2027-01-01");
  w.township_org_id = f.xincheng.id;
  w.decision_number = "新政决〔2026〕4号";
  ASSERT_TRUE(f.Apply(w).ok());
  EXPECT_EQ(f.Ans("SCJG-001", "xincheng", "2026-12-31"), "xincheng");
  EXPECT_EQ(f.Ans("SCJG-001", "xincheng", "2024-01-01"), "xincheng");
  EXPECT_EQ(f.Ans("SCJG-001", "xincheng", "2027-01-01"), "scjg");
  a = f.matters.Jurisdiction(f.admin, "SCJG-001", "xincheng", "2027-01-01");
  ASSERT_TRUE(a.ok() && a->competence.decided_by);
  EXPECT_EQ(a->competence.decided_by->decision_number, "新政决〔2026〕4号");
  // Nothing in force then → 409.
  before = f.Snapshot();
  EXPECT_EQ(f.Apply(w).code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(f.Snapshot(), before);
  // A new delegation to xincheng from a day before a later one ends the day before it.
  auto later = f.Decision("SCJG-001", BoundaryDecision::Change::kDelegate, "2027-03-01");
  later.township_org_id = f.xincheng.id;
  ASSERT_TRUE(f.Apply(later).ok());
  auto earlier = f.Decision("SCJG-001", BoundaryDecision::Change::kDelegate, "2027-02-01");
  earlier.township_org_id = f.xincheng.id;
  ASSERT_TRUE(f.Apply(earlier).ok());
  EXPECT_EQ(f.Ans("SCJG-001", "xincheng", "2027-02-28"), "xincheng");
  auto gap = f.matters.Jurisdiction(f.admin, "SCJG-001", "xincheng", "2027-02-28");
  ASSERT_TRUE(gap.ok() && gap->competence.delegation && gap->competence.delegation->to);
  EXPECT_EQ(*gap->competence.delegation->to, D("2027-02-28"));
  EXPECT_EQ(f.AuditCount("matter.boundary"), 4);
}

TEST(MatterServiceTest, BadBoundaryInputNamesTheFieldAndChangesNothing) {
  BoundaryFixture f;
  const std::string before = f.Snapshot();
  using C = BoundaryDecision::Change;
  auto expect = [&](BoundaryDecision d, const char* field) {
    auto st = f.Apply(d);
    EXPECT_EQ(st.code(), core::Code::kInvalidArgument) << field;
    EXPECT_EQ(st.field(), field);
    EXPECT_EQ(st.rule(), "R-DIS-3");
    EXPECT_EQ(f.Snapshot(), before) << field;
  };
  auto d = f.Decision("NOPE-1", C::kOwner, "2026-12-01");
  d.owner_org_id = f.scjg.id;
  expect(d, "boundary.matter_code");
  d = f.Decision("ZJJ-008", C::kOwner, "2026-11-22");  // before today
  d.owner_org_id = f.scjg.id;
  expect(d, "boundary.effective");
  d = f.Decision("ZJJ-008", C::kOwner, "2026-12-01");
  expect(d, "boundary.owner_org");  // missing
  d.owner_org_id = f.xincheng.id;    // not a county department
  expect(d, "boundary.owner_org");
  d.owner_org_id = f.zjj.id;  // the current owner
  expect(d, "boundary.owner_org");
  d = f.Decision("ZJJ-008", C::kDelegate, "2026-12-01");
  expect(d, "boundary.township");  // missing
  d.township_org_id = f.scjg.id;   // not a township
  expect(d, "boundary.township");
  d = f.Decision("ZJJ-008", C::kWithdraw, "2026-12-01");
  d.township_org_id = 987654;  // unknown
  expect(d, "boundary.township");
  // Today itself is allowed.
  d = f.Decision("ZJJ-008", C::kOwner, "2026-11-23");
  d.owner_org_id = f.scjg.id;
  EXPECT_TRUE(f.Apply(d).ok());
  EXPECT_EQ(f.Ans("ZJJ-008", "xincheng", "2026-11-22"), "zjj");
  EXPECT_EQ(f.Ans("ZJJ-008", "xincheng", "2026-11-23"), "scjg");
}

// An owner change through import counts from the import day (R-JUR-2).
TEST(MatterServiceTest, ImportOwnerChangeCountsFromToday) {
  MatterFixture f;  // today: 2026-11-23
  ASSERT_TRUE(f.matters.ImportCsv(&f.admin, MatterFixture::kCsv).ok());
  auto r = f.matters.ImportCsv(
      &f.admin,
      "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\n"
      "ZJJ-008,未取得施工许可证擅自施工,《中华人民共和国建筑法》第六十四条,scjg,,\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->updated, 1);
  auto a = f.matters.Jurisdiction(f.admin, "ZJJ-008", "xincheng", "2026-11-22");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->competent_org.code, "zjj");
  EXPECT_EQ(a->matter.owner.code, "scjg");  // the owner today
  ASSERT_EQ(a->matter.owner_periods.size(), 2u);
  EXPECT_EQ(a->matter.owner_periods[1].basis, "目录导入");
  EXPECT_EQ(f.matters.Jurisdiction(f.admin, "ZJJ-008", "xincheng", "2026-11-23")->competent_org.code,
            "scjg");
  // The export names today's owner and re-imports unchanged.
  auto csv = f.matters.ExportCsv(f.admin);
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("第六十四条,scjg,"), std::string::npos);
  EXPECT_EQ(f.matters.ImportCsv(&f.admin, *csv)->unchanged, 3);
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
