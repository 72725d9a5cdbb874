// PgTx: regions (R-ACC-2, schema v12) and the escalations of long-red duties (issue 19).
#include <algorithm>
#include <string>
#include <vector>

#include "storage/postgres/internal/rows.h"
#include "storage/postgres/internal/tx.h"

namespace xietong::storage::postgres {

namespace {

domain::Region ReadRegion(const PgResult& r, int i) {
  domain::Region g;
  g.code = r.Text(i, 0);
  g.name = r.Text(i, 1);
  g.level = static_cast<domain::RegionLevel>(r.Int(i, 2));
  if (!r.IsNull(i, 3)) g.parent_code = r.Text(i, 3);
  return g;
}

Escalation ReadEscalation(const PgResult& r, int i) {
  Escalation e;
  e.duty_id = r.Int(i, 0);
  e.from_region = r.Text(i, 1);
  e.to_org_id = r.Int(i, 2);
  e.to_region = r.Text(i, 3);
  e.at = r.Time(i, 4);
  return e;
}

Where EscalationWhere(const EscalationFilter& f) {
  Where w;
  if (f.to_org_id) w.Add("to_org_id = ?", *f.to_org_id);
  if (!f.region_prefix.empty()) w.Add("from_region LIKE ?", f.region_prefix + "%");  // digits only
  return w;
}

}  // namespace

Status PgTx::InsertRegion(const domain::Region& r) {
  XT_RETURN_IF_ERROR(Writable());
  auto res = conn_.QueryGuarded(
      "INSERT INTO regions (code, name, level, parent_code) VALUES ($1,$2,$3,$4)",
      Params(r.code, r.name, static_cast<int>(r.level), r.parent_code));
  if (!res.ok() && res.status().code() == core::Code::kAlreadyExists) {
    return Status::Exists("code", "区划代码已存在：" + r.code, "R-ACC-2");
  }
  return res.status();
}

Result<domain::Region> PgTx::GetRegion(const std::string& code) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT code, name, level, parent_code FROM regions "
                                              "WHERE code = $1",
                                              Params(code)));
  return One(r, ReadRegion, "region", "区划不存在");
}

Result<std::vector<domain::Region>> PgTx::ListRegions() {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT code, name, level, parent_code FROM regions "
                                              "ORDER BY level, code COLLATE \"C\"",
                                              {}));
  return All(r, ReadRegion);
}

Result<std::vector<std::pair<Id, std::string>>> PgTx::OrgsInRegion(const std::string& prefix) {
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT id, region_code FROM orgs WHERE region_code "
                                              "LIKE $1 ORDER BY id",
                                              Params(RegionLike(prefix))));
  std::vector<std::pair<Id, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.Int(i, 0), r.Text(i, 1));
  return out;
}

Result<bool> PgTx::InsertEscalation(const Escalation& e) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.QueryGuarded("INSERT INTO escalations (duty_id, from_region, to_org_id, to_region, at) "
                         "VALUES ($1,$2,$3,$4,$5) ON CONFLICT (duty_id) DO NOTHING",
                         Params(e.duty_id, e.from_region, e.to_org_id, e.to_region, e.at)));
  return r.affected() > 0;
}

Result<std::vector<Escalation>> PgTx::ListEscalations(const EscalationFilter& f) {
  Where w = EscalationWhere(f);
  w.Tail(" ORDER BY at DESC, duty_id DESC LIMIT ? OFFSET ?", Limit(f.limit),
         static_cast<int64_t>(std::max(f.offset, 0)));
  XT_ASSIGN_OR_RETURN(PgResult r, conn_.Query("SELECT duty_id, from_region, to_org_id, "
                                              "to_region, at FROM escalations" + w.sql(),
                                              w.params()));
  return All(r, ReadEscalation);
}

Result<int64_t> PgTx::CountEscalations(const EscalationFilter& f) {
  Where w = EscalationWhere(f);
  XT_ASSIGN_OR_RETURN(PgResult r,
                      conn_.Query("SELECT count(*) FROM escalations" + w.sql(), w.params()));
  return r.Int(0, 0);
}

Result<std::vector<Id>> PgTx::DutiesToEscalate(core::Instant due_at_le, int limit) {
  XT_ASSIGN_OR_RETURN(
      PgResult r,
      conn_.Query("SELECT d.id FROM duties d JOIN orgs o ON o.id = d.owner_org_id "
                  "WHERE d.state = 1 AND d.notified_level >= 2 AND d.due_at <= $1 "
                  "AND o.region_code IS NOT NULL "
                  "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.duty_id = d.id) "
                  "ORDER BY d.due_at, d.id LIMIT $2",
                  Params(due_at_le, Limit(limit))));
  std::vector<Id> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.Int(i, 0));
  return out;
}

}  // namespace xietong::storage::postgres
