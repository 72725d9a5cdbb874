// SqliteTx: regions (R-ACC-2, schema v12) and the escalations of long-red duties (issue 19).
#include <string>
#include <vector>

#include "storage/sqlite/internal/tx.h"

namespace xietong::storage::sqlite {

namespace {

domain::Region ReadRegion(const Stmt& st) {
  domain::Region r;
  r.code = st.Text(0);
  r.name = st.Text(1);
  r.level = static_cast<domain::RegionLevel>(st.Int(2));
  if (!st.IsNull(3)) r.parent_code = st.Text(3);
  return r;
}

Escalation ReadEscalation(const Stmt& st) {
  Escalation e;
  e.duty_id = st.Int(0);
  e.from_region = st.Text(1);
  e.to_org_id = st.Int(2);
  e.to_region = st.Text(3);
  e.at = st.Time(4);
  return e;
}

// The WHERE clause of an escalation list (BindEscalationWhere binds its arguments).
std::string EscalationWhere(const EscalationFilter& f) {
  std::string w = " WHERE 1 = 1";
  if (f.to_org_id) w += " AND to_org_id = ?";
  if (!f.region_prefix.empty()) w += " AND substr(from_region, 1, ?) = ?";
  return w;
}

void BindEscalationWhere(Stmt& st, int& i, const EscalationFilter& f) {
  if (f.to_org_id) st.Bind(i++, *f.to_org_id);
  if (!f.region_prefix.empty()) {
    st.Bind(i++, static_cast<int64_t>(f.region_prefix.size()));
    st.Bind(i++, f.region_prefix);
  }
}

}  // namespace

std::string RegionPrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  if (!end.empty()) ++end.back();
  return end;
}

Status SqliteTx::InsertRegion(const domain::Region& r) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO regions (code, name, level, parent_code) "
                                           "VALUES (?,?,?,?)"));
  st.BindAll(r.code, r.name, static_cast<int>(r.level), r.parent_code);
  Status s = st.Run();
  if (s.code() == core::Code::kAlreadyExists) {
    return Status::Exists("code", "区划代码已存在：" + r.code, "R-ACC-2");
  }
  return s;
}

Result<domain::Region> SqliteTx::GetRegion(const std::string& code) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT code, name, level, parent_code FROM regions "
                                           "WHERE code = ?"));
  st.Bind(1, code);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("region", "区划不存在");
  return ReadRegion(st);
}

Result<std::vector<domain::Region>> SqliteTx::ListRegions() {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT code, name, level, parent_code FROM regions "
                                           "ORDER BY level, code"));
  std::vector<domain::Region> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(ReadRegion(st));
  }
}

Result<std::vector<std::pair<Id, std::string>>> SqliteTx::OrgsInRegion(const std::string& prefix) {
  // A range on the orgs_region index: codes are digits, so [prefix, prefix + ':') is the prefix.
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id, region_code FROM orgs WHERE region_code >= ? "
                                           "AND region_code < ? ORDER BY id"));
  st.BindAll(prefix, RegionPrefixEnd(prefix));
  std::vector<std::pair<Id, std::string>> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.emplace_back(st.Int(0), st.Text(1));
  }
}

Result<bool> SqliteTx::InsertEscalation(const Escalation& e) {
  XT_RETURN_IF_ERROR(Writable());
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("INSERT INTO escalations (duty_id, from_region, "
                                           "to_org_id, to_region, at) VALUES (?,?,?,?,?) "
                                           "ON CONFLICT (duty_id) DO NOTHING"));
  st.BindAll(e.duty_id, e.from_region, e.to_org_id, e.to_region, e.at);
  XT_RETURN_IF_ERROR(st.Run());
  return db_.Changes() > 0;
}

Result<std::vector<Escalation>> SqliteTx::ListEscalations(const EscalationFilter& f) {
  XT_ASSIGN_OR_RETURN(
      Stmt st, db_.Prepare("SELECT duty_id, from_region, to_org_id, to_region, at FROM escalations" +
                           EscalationWhere(f) + " ORDER BY at DESC, duty_id DESC "
                           "LIMIT ? OFFSET ?"));
  int i = 1;
  BindEscalationWhere(st, i, f);
  st.Bind(i++, static_cast<int64_t>(std::max(f.limit, 0)));
  st.Bind(i++, static_cast<int64_t>(std::max(f.offset, 0)));
  std::vector<Escalation> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(ReadEscalation(st));
  }
}

Result<int64_t> SqliteTx::CountEscalations(const EscalationFilter& f) {
  XT_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT count(*) FROM escalations" +
                                           EscalationWhere(f)));
  int i = 1;
  BindEscalationWhere(st, i, f);
  XT_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<std::vector<Id>> SqliteTx::DutiesToEscalate(core::Instant due_at_le, int limit) {
  // duties_red_due does not serve (notified_level is 2 by now); duties_due does, by due_at.
  XT_ASSIGN_OR_RETURN(
      Stmt st,
      db_.Prepare("SELECT d.id FROM duties d JOIN orgs o ON o.id = d.owner_org_id "
                  "WHERE d.state = 1 AND d.notified_level >= 2 AND d.due_at <= ? "
                  "AND o.region_code IS NOT NULL "
                  "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.duty_id = d.id) "
                  "ORDER BY d.due_at, d.id LIMIT ?"));
  st.BindAll(due_at_le, static_cast<int64_t>(std::max(limit, 0)));
  std::vector<Id> out;
  while (true) {
    XT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.Int(0));
  }
}

}  // namespace xietong::storage::sqlite
