// A failure anywhere leaves nothing half-written (issue 15, R-AUD-1): each operation of the
// services runs again and again with the k-th statement of the writer failing (k = 1, 2, …,
// SqliteOptions::fault_countdown) until a run reaches no fault. Every failed run must leave the
// database byte for byte as it was, and must fail — a service that swallows a failed statement
// and carries on would commit the rest of its work.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "service/calendar_service.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/file_service.h"
#include "service/referral_service.h"
#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;

// Every row of every table, sorted: the whole state of the database file.
std::string Snapshot(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                     &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  std::string out;
  for (const auto& t : tables) {
    std::vector<std::string> rows;
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const void* blob = sqlite3_column_blob(st, c);
        row += std::string(static_cast<const char*>(blob ? blob : ""),
                           static_cast<size_t>(sqlite3_column_bytes(st, c)));
        row += '\x1f';
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    std::sort(rows.begin(), rows.end());
    out += "== " + t + " (" + std::to_string(rows.size()) + ")\n";
    for (const auto& r : rows) out += r + '\n';
  }
  sqlite3_close(db);
  return out;
}

struct FaultFixture : Fixture {
  CalendarService calendars{*store, clock};
  DutyService duties{*store, clock, calendars};
  FileService files{*store, clock};
  ReferralService referrals{*store, clock, duties, calendars};
  CoordItemService items{*store, clock, duties, calendars, CoordOptions{}};
  Principal x_leader, s_officer, s_leader;
  std::string path = (dir.path() / "xt.db").string();

  FaultFixture() {
    if (auto st = calendars.Load(); !st.ok()) throw std::runtime_error(st.ToString());
    x_leader = AddUser("xincheng.leader2", xincheng, {domain::Role::kLeader});
    s_officer = AddUser("scjg.officer", scjg, {domain::Role::kOfficer});
    s_leader = AddUser("scjg.leader", scjg, {domain::Role::kLeader});
    auto st = store->Write([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(domain::Org x, tx.GetOrg(xincheng.id));
      x.doc_prefix = "新城执";
      XT_RETURN_IF_ERROR(tx.UpdateOrg(x));
      XT_ASSIGN_OR_RETURN(domain::Org s, tx.GetOrg(scjg.id));
      s.doc_prefix = "新市监";
      XT_RETURN_IF_ERROR(tx.UpdateOrg(s));
      domain::Matter m{0, "SCJG-001", "无证无照经营", "《无证无照经营查处办法》第十三条", scjg.id,
                       std::nullopt};
      return tx.InsertMatter(m).status();
    });
    if (!st.ok()) throw std::runtime_error(st.ToString());
  }

  // Runs `op` with the k-th writer statement failing for k = 1, 2, … until a run reaches no
  // fault, which must succeed. Returns the number of faults tried (the op's statements).
  int Exhaust(const std::string& name, const std::function<core::Status()>& op) {
    for (int k = 1; k <= 2000; ++k) {
      const std::string before = Snapshot(path);
      faults->store(k);
      const core::Status st = op();
      const bool fired = faults->exchange(0) == 0;
      if (!fired) {
        EXPECT_TRUE(st.ok()) << name << ": " << st.ToString();
        EXPECT_GT(k, 2) << name << ": writes fewer than two statements (nothing was tried)";
        std::printf("  %-16s %3d statements, each failed once: nothing half-written\n",
                    name.c_str(), k - 1);
        return k - 1;
      }
      EXPECT_FALSE(st.ok()) << name << ": statement " << k
                            << " failed, yet the operation reported success";
      EXPECT_EQ(Snapshot(path), before)
          << name << ": statement " << k << " failed and the database changed (" << st.ToString()
          << ")";
      if (::testing::Test::HasFailure()) return k;
    }
    ADD_FAILURE() << name << ": more than 2000 statements";
    return 0;
  }
};

template <class T>
core::Status Keep(core::Result<T> r, T* out) {
  if (r.ok() && out) *out = std::move(r).value();
  return r.status();
}

// The referral workflow (R-REF-3..6): every step writes the referral, its duties, documents,
// notifications and audit entries in one transaction.
TEST(FaultInjection, ReferralStepsLeaveNothingHalfWritten) {
  FaultFixture f;
  const std::string file_id =
      f.Must(f.files.Put(f.xincheng_officer, "现场检查笔录.pdf", "application/pdf",
                         "%PDF-1.4\n% evidence\n%%EOF\n"))
          .id;
  ReferralInput in;
  in.to_org_id = f.scjg.id;
  in.matter_code = "SCJG-001";
  in.township_id = f.xincheng.id;
  in.place = "新城镇东堤北路";
  in.discovered_at = *core::ParseInstant("2026-11-23T08:00:00+08:00");
  in.facts = "执法人员巡查发现当事人无照销售水果";
  in.party = domain::Party{"陈某某", "居民身份证", "445321199001011234", "新城镇解放路12号", "13800000000"};
  in.legal_basis = "《无证无照经营查处办法》第十三条";
  in.evidence = std::vector<EvidenceInput>{{"现场检查笔录", "2页", file_id}};
  in.checklist = domain::Checklist{true, true, true, true};

  ReferralView v;
  int statements = f.Exhaust("create", [&] { return Keep(f.referrals.Create(f.xincheng_officer, in), &v); });
  EXPECT_GT(statements, 3);
  const domain::Id id = v.referral.id;
  f.Exhaust("submit", [&] { return Keep(f.referrals.Submit(f.xincheng_officer, id), &v); });
  f.Exhaust("approve", [&] { return Keep(f.referrals.Approve(f.x_leader, id), &v); });
  EXPECT_TRUE(v.referral.number.has_value());
  f.Exhaust("receive", [&] { return Keep(f.referrals.Receive(f.s_officer, id), &v); });
  f.Exhaust("accept", [&] { return Keep(f.referrals.Accept(f.s_leader, id, "依法立案调查"), &v); });
  EXPECT_EQ(domain::ReferralStateName(v.referral.state), "accepted");
}

// Coordination items on the workflow engine (R-COL-5) and the generic duty routes (R-PLN-2).
TEST(FaultInjection, ItemsAndDutiesLeaveNothingHalfWritten) {
  FaultFixture f;
  CoordNoticeInput n;
  n.kind = "hazard";
  n.to_org = f.scjg.id;
  n.description = "某市场燃气瓶违规存放";
  n.place = "新城镇农贸市场";
  CoordItemView item;
  f.Exhaust("notice.create", [&] {
    return Keep(f.items.Create(f.xincheng_officer, domain::CoordType::kNotice, CoordCreateInput(n)),
                &item);
  });
  f.Exhaust("notice.measures", [&] {
    return Keep(f.items.Act(f.s_officer, domain::CoordType::kNotice, item.item.id, "measures",
                            CoordActionInput(NoticeMeasuresInput{"原因", "建议", "措施"})),
                &item);
  });
  EXPECT_EQ(domain::CoordStateName(item.item.type, item.item.state), "answered");

  DutyInput d;
  d.kind = "task.assigned";
  d.owner_org_id = f.xincheng.id;
  d.object_type = "external";
  d.object_id = "task-1";
  d.title = "排查辖区燃气瓶存放点";
  d.trigger_at = f.clock.Now();
  DutyDetail duty;
  f.Exhaust("duty.create", [&] { return Keep(f.duties.Create(f.coord_staff, d), &duty); });
  f.Exhaust("duty.meet", [&] { return Keep(f.duties.Meet(f.xincheng_officer, duty.duty.id), &duty); });
  EXPECT_EQ(domain::DutyStateName(duty.duty.state), "met");
}

// Sign-in and the directory: sessions, users, audit.
TEST(FaultInjection, SignInAndDirectoryLeaveNothingHalfWritten) {
  FaultFixture f;
  f.Exhaust("login", [&] {
    return f.auth.Login("xincheng.officer", Fixture::kPassword, "127.0.0.1").status();
  });
  UserInput u;
  u.username = "liuzu.new";
  u.display_name = "新同事";
  u.org_id = f.liuzu.id;
  u.roles = domain::RoleSet{domain::Role::kOfficer};
  u.password = Fixture::kPassword;
  f.Exhaust("user.create", [&] { return f.orgs.CreateUser(&f.admin, u).status(); });
}

}  // namespace
}  // namespace xietong::service
