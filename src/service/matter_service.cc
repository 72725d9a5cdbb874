#include "service/matter_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <boost/json/array.hpp>

#include "service/audit_log.h"
#include "service/csv.h"
#include "service/xlsx_reader.h"

namespace xietong::service {

namespace {
using core::Status;
using domain::Delegation;
using domain::Matter;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr const char* kColumns[] = {"code", "name", "legal_basis", "owner_org_code",
                                    "statutory_referral_days", "delegations"};

size_t Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}


std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status LineError(int line, const std::string& column, const std::string& zh, const std::string& en,
                 const std::string& rule = {}) {
  return Status::Invalid("line " + std::to_string(line) + ": " + column,
                         "第" + std::to_string(line) + "行 " + column + "：" + zh, rule)
      .En("line " + std::to_string(line) + ": " + column + ": " + en);
}

// A parsed row: the matter and its delegations (township ids filled in).
struct Row {
  int line = 0;
  Matter matter;
  std::vector<Delegation> delegations;
};

boost::json::value DayOrNull(const std::optional<core::CivilDay>& d) {
  if (!d) return nullptr;
  return boost::json::value(core::FormatDay(*d));
}

// Snapshot for the audit trail.
boost::json::object MatterSnapshot(const Matter& m, const std::vector<Delegation>& ds,
                                   const std::map<domain::Id, std::string>& town_codes) {
  boost::json::array dels;
  for (const auto& d : ds) {
    auto it = town_codes.find(d.township_org_id);
    dels.push_back(boost::json::object{
        {"township", it == town_codes.end() ? std::to_string(d.township_org_id) : it->second},
        {"from", core::FormatDay(d.from)},
        {"to", DayOrNull(d.to)}});
  }
  return {{"code", m.code},
          {"name", m.name},
          {"legal_basis", m.legal_basis},
          {"owner_org_id", m.owner_org_id},
          {"statutory_referral_days",
           m.statutory_referral_days ? boost::json::value(*m.statutory_referral_days) : nullptr},
          {"delegations", std::move(dels)}};
}

std::string DelegationsText(const std::vector<Delegation>& ds,
                            const std::map<domain::Id, std::string>& town_codes) {
  std::vector<std::string> parts;
  for (const auto& d : ds) {
    auto it = town_codes.find(d.township_org_id);
    std::string p = (it == town_codes.end() ? std::to_string(d.township_org_id) : it->second) +
                    "@" + core::FormatDay(d.from);
    if (d.to) p += ".." + core::FormatDay(*d.to);
    parts.push_back(std::move(p));
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ';';
    out += p;
  }
  return out;
}

// R-DIS-3: records owner period `p` of matter `m` (whose periods are `owners`); the first
// change of a matter records its former owner from the beginning first. Returns the owner of
// the latest period (the new matters.owner_org_id; the caller updates the matter).
core::Result<domain::Id> RecordOwnerInTx(storage::Tx& tx, const Matter& m,
                                         const std::vector<domain::OwnerPeriod>& owners,
                                         const domain::OwnerPeriod& p) {
  if (owners.empty()) {
    domain::OwnerPeriod first;
    first.matter_id = m.id;
    first.from = domain::kCatalogBeginning;
    first.owner_org_id = m.owner_org_id;
    first.basis = "目录原有主管部门";
    XT_RETURN_IF_ERROR(tx.InsertOwnerPeriod(first));
  }
  XT_RETURN_IF_ERROR(tx.InsertOwnerPeriod(p));
  domain::Id latest = p.owner_org_id;
  core::CivilDay latest_from = p.from;
  for (const auto& o : owners)
    if (o.from > latest_from) {
      latest_from = o.from;
      latest = o.owner_org_id;
    }
  return latest;
}

boost::json::value CitationJson(const std::optional<domain::Citation>& c) {
  if (!c) return nullptr;
  return boost::json::object{
      {"decision_number", c->decision_number},
      {"decision_document_id",
       c->decision_document_id ? boost::json::value(*c->decision_document_id) : nullptr}};
}

Status BoundaryError(const std::string& field, const std::string& zh, const std::string& en) {
  return Status::Invalid("boundary." + field, zh, "R-DIS-3").En(en);
}

Status BoundaryConflict(const std::string& field, const std::string& zh, const std::string& en) {
  return Status::Precondition("boundary_conflict", zh, "R-DIS-3", "boundary." + field).En(en);
}

}  // namespace

MatterService::MatterService(storage::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

core::Result<MatterView> MatterService::ViewInTx(storage::Tx& tx, const Matter& m,
                                                core::CivilDay today) {
  MatterView v;
  v.matter = m;
  XT_ASSIGN_OR_RETURN(v.owner_periods, tx.ListOwnerPeriods(m.id));
  XT_ASSIGN_OR_RETURN(v.owner, tx.GetOrg(domain::OwnerOn(m, v.owner_periods, today)));
  for (const auto& p : v.owner_periods) {
    XT_ASSIGN_OR_RETURN(domain::Org o, tx.GetOrg(p.owner_org_id));
    v.period_owners.push_back(std::move(o));
  }
  XT_ASSIGN_OR_RETURN(v.delegations, tx.ListDelegations(m.id));
  for (const auto& d : v.delegations) {
    XT_ASSIGN_OR_RETURN(domain::Org t, tx.GetOrg(d.township_org_id));
    v.townships.push_back(std::move(t));
  }
  return v;
}

core::Result<MatterPage> MatterService::List(const Principal&, storage::MatterFilter filter) {
  filter.limit = std::clamp(filter.limit, 1, 200);
  filter.offset = std::max(filter.offset, 0);
  if (Chars(filter.text) > 100) return Status::Invalid("q", "关键词过长").En("q is too long");
  MatterPage page;
  const core::CivilDay today = core::ShanghaiDay(clock_.Now());
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto matters, tx.ListMatters(filter));
    XT_ASSIGN_OR_RETURN(page.total, tx.CountMatters(filter));
    for (const auto& m : matters) {
      XT_ASSIGN_OR_RETURN(MatterView v, ViewInTx(tx, m, today));
      page.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return page;
}

core::Result<MatterView> MatterService::Get(const Principal&, domain::Id id) {
  MatterView v;
  const core::CivilDay today = core::ShanghaiDay(clock_.Now());
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(Matter m, tx.GetMatter(id));
    XT_ASSIGN_OR_RETURN(v, ViewInTx(tx, m, today));
    return Status::Ok();
  }));
  return v;
}

core::Result<Matter> MatterService::GetMatterByCodeInTx(storage::Tx& tx, const std::string& code) {
  auto m = tx.GetMatterByCode(code);
  if (m.status().code() == core::Code::kNotFound)
    return Status::Invalid("matter", "执法事项目录中没有该事项：" + code, "R-JUR-1")
        .En("No matter with code " + code + " in the catalog");
  return m;
}

// R-JUR-1, R-JUR-2.
core::Result<domain::Competence> MatterService::JurisdictionInTx(storage::Tx& tx,
                                                                 const std::string& matter_code,
                                                                 domain::Id township_org_id,
                                                                 core::CivilDay on) {
  XT_ASSIGN_OR_RETURN(Matter m, GetMatterByCodeInTx(tx, matter_code));
  auto town = tx.GetOrg(township_org_id);
  if (!town.ok() || town->kind != domain::OrgKind::kTownship)
    return Status::Invalid("township", "所选机构不是乡镇综合行政执法部门", "R-JUR-1")
        .En("township must be a township office");
  XT_ASSIGN_OR_RETURN(auto owners, tx.ListOwnerPeriods(m.id));
  XT_ASSIGN_OR_RETURN(domain::Org owner, tx.GetOrg(domain::OwnerOn(m, owners, on)));
  XT_ASSIGN_OR_RETURN(auto dels, tx.ListDelegations(m.id));
  return domain::DecideJurisdiction(m, dels, owners, township_org_id, on,
                                    {town->short_name, owner.short_name});
}

core::Result<JurisdictionAnswer> MatterService::Jurisdiction(const Principal&,
                                                             const std::string& matter_code,
                                                             const std::string& township,
                                                             const std::string& on) {
  if (matter_code.empty())
    return Status::Invalid("matter", "请指定执法事项编码").En("matter is required");
  if (township.empty())
    return Status::Invalid("township", "请指定乡镇").En("township is required");
  core::CivilDay day = core::ShanghaiDay(clock_.Now());
  if (!on.empty()) {
    auto d = core::ParseDay(on);
    if (!d) return Status::Invalid("on", "日期格式应为 YYYY-MM-DD").En("on must be YYYY-MM-DD");
    day = *d;
  }
  JurisdictionAnswer a;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    core::Result<domain::Org> town = Status::NotFound("org");
    int64_t id = 0;
    auto [p, ec] = std::from_chars(township.data(), township.data() + township.size(), id);
    if (ec == std::errc() && p == township.data() + township.size()) {
      town = tx.GetOrg(id);
    } else {
      town = tx.GetOrgByCode(township);
    }
    if (!town.ok() || town->kind != domain::OrgKind::kTownship)
      return Status::Invalid("township", "所选机构不是乡镇综合行政执法部门：" + township, "R-JUR-1")
          .En("township must be a township office");
    a.township = *town;
    XT_ASSIGN_OR_RETURN(a.competence, JurisdictionInTx(tx, matter_code, a.township.id, day));
    XT_ASSIGN_OR_RETURN(Matter m, tx.GetMatterByCode(matter_code));
    XT_ASSIGN_OR_RETURN(a.matter, ViewInTx(tx, m, core::ShanghaiDay(clock_.Now())));
    XT_ASSIGN_OR_RETURN(a.competent_org, tx.GetOrg(a.competence.competent_org_id));
    return Status::Ok();
  }));
  return a;
}

Status MatterService::CanImport(const Principal& actor) {
  if (!actor.IsAdmin())
    return Status::Denied("仅系统管理员可导入执法事项目录", "R-ACC-1")
        .En("Only administrators may import the matters catalog");
  return Status::Ok();
}

core::Result<ImportResult> MatterService::ImportCsv(const Principal* actor, std::string_view csv) {
  if (actor) XT_RETURN_IF_ERROR(CanImport(*actor));
  if (csv.starts_with(kBom)) csv.remove_prefix(kBom.size());
  XT_ASSIGN_OR_RETURN(auto records, ParseCsv(csv));
  return ImportRecords(actor, records);
}

core::Result<ImportResult> MatterService::ImportXlsx(const Principal* actor, std::string_view xlsx) {
  if (actor) XT_RETURN_IF_ERROR(CanImport(*actor));
  XT_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ReadXlsxFirstSheet(xlsx));
  for (auto& r : records)
    if (r.fields.size() < std::size(kColumns)) r.fields.resize(std::size(kColumns));
  return ImportRecords(actor, records);
}

core::Result<ImportResult> MatterService::ImportRecords(const Principal* actor, const std::vector<CsvRecord>& records) {
  if (records.empty())
    return Status::Invalid("line 1: header", "文件为空，应有表头：code,name,legal_basis,"
                                             "owner_org_code,statutory_referral_days,delegations")
        .En("Empty file; expected the header line");
  {
    const auto& h = records[0];
    bool ok = h.fields.size() == std::size(kColumns);
    for (size_t i = 0; ok && i < h.fields.size(); ++i) ok = Trim(h.fields[i]) == kColumns[i];
    if (!ok)
      return LineError(h.line, "header",
                       "表头应为 code,name,legal_basis,owner_org_code,statutory_referral_days,"
                       "delegations",
                       "the header must be code,name,legal_basis,owner_org_code,"
                       "statutory_referral_days,delegations");
  }
  const core::Instant now = clock_.Now();
  const core::CivilDay today = core::ShanghaiDay(now);
  const core::CivilDay yesterday = today - std::chrono::days(1);
  ImportResult result;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    result = {};
    XT_ASSIGN_OR_RETURN(auto orgs, tx.ListOrgs());
    std::map<std::string, const domain::Org*> by_code;
    std::map<domain::Id, std::string> town_codes;
    for (const auto& o : orgs) {
      by_code[o.code] = &o;
      if (o.kind == domain::OrgKind::kTownship) town_codes[o.id] = o.code;
    }
    // 1. Parse and check every row before changing anything.
    std::vector<Row> rows;
    std::set<std::string> seen;
    for (size_t r = 1; r < records.size(); ++r) {
      const CsvRecord& rec = records[r];
      const int ln = rec.line;
      if (rec.fields.size() != std::size(kColumns))
        return LineError(ln, "columns",
                         "应有6列，实有" + std::to_string(rec.fields.size()) + "列",
                         "expected 6 columns, got " + std::to_string(rec.fields.size()));
      Row row;
      row.line = ln;
      Matter& m = row.matter;
      m.code = Trim(rec.fields[0]);
      m.name = Trim(rec.fields[1]);
      m.legal_basis = Trim(rec.fields[2]);
      std::string owner_code = Trim(rec.fields[3]);
      std::string days = Trim(rec.fields[4]);
      std::string dels = Trim(rec.fields[5]);
      if (!domain::ValidMatterCode(m.code))
        return LineError(ln, "code", "事项编码须为2至40位字母、数字、点、下划线或连字符",
                         "code must be 2..40 of [A-Za-z0-9._-]");
      if (!seen.insert(m.code).second)
        return LineError(ln, "code", "事项编码在文件中重复：" + m.code, "duplicate code " + m.code);
      if (m.name.empty() || Chars(m.name) > 100)
        return LineError(ln, "name", "事项名称不能为空，且不超过100个字", "name must be 1..100 characters");
      if (m.legal_basis.empty() || Chars(m.legal_basis) > 1000)
        return LineError(ln, "legal_basis", "法律依据不能为空，且不超过1000个字",
                         "legal_basis must be 1..1000 characters", "R-JUR-1");
      auto owner = by_code.find(owner_code);
      if (owner == by_code.end() || owner->second->kind != domain::OrgKind::kCountyDepartment)
        return LineError(ln, "owner_org_code", "不是县直执法部门的机构代码：" + owner_code,
                         "not the code of a county department: " + owner_code, "R-JUR-1");
      m.owner_org_id = owner->second->id;
      if (!days.empty()) {
        int n = 0;
        auto [p, ec] = std::from_chars(days.data(), days.data() + days.size(), n);
        if (ec != std::errc() || p != days.data() + days.size() || n < 1 || n > 90)
          return LineError(ln, "statutory_referral_days", "应为1至90的整数（工作日），或留空",
                           "must be an integer 1..90, or empty", "R-REF-4");
        m.statutory_referral_days = n;
      }
      if (!dels.empty()) {
        size_t pos = 0;
        while (pos <= dels.size()) {
          size_t semi = dels.find(';', pos);
          std::string part = Trim(std::string_view(dels).substr(
              pos, semi == std::string::npos ? std::string::npos : semi - pos));
          pos = semi == std::string::npos ? dels.size() + 1 : semi + 1;
          if (part.empty()) continue;
          size_t at = part.find('@');
          if (at == std::string::npos)
            return LineError(ln, "delegations", "划转应写作 乡镇代码@起始日期[..截止日期]：" + part,
                             "expected township@from[..to]: " + part);
          std::string town_code = part.substr(0, at);
          std::string range = part.substr(at + 1);
          auto town = by_code.find(town_code);
          if (town == by_code.end() || town->second->kind != domain::OrgKind::kTownship)
            return LineError(ln, "delegations", "不是乡镇的机构代码：" + town_code,
                             "not the code of a township: " + town_code, "R-JUR-1");
          Delegation d;
          d.township_org_id = town->second->id;
          size_t dots = range.find("..");
          auto from = core::ParseDay(range.substr(0, dots));
          if (!from)
            return LineError(ln, "delegations", "日期格式应为 YYYY-MM-DD：" + part,
                             "dates must be YYYY-MM-DD: " + part);
          d.from = *from;
          if (dots != std::string::npos) {
            auto to = core::ParseDay(range.substr(dots + 2));
            if (!to)
              return LineError(ln, "delegations", "日期格式应为 YYYY-MM-DD：" + part,
                               "dates must be YYYY-MM-DD: " + part);
            d.to = *to;
          }
          row.delegations.push_back(d);
        }
        if (auto st = domain::CheckDelegations(row.delegations, "delegations"); !st.ok())
          return LineError(ln, "delegations", st.message(), st.message_en(), "R-JUR-1");
      }
      rows.push_back(std::move(row));
    }
    // 2. Apply, one matter at a time (R-JUR-2: never delete a delegation, never change the
    //    answer for a day before today).
    for (Row& row : rows) {
      const int ln = row.line;
      auto existing = tx.GetMatterByCode(row.matter.code);
      if (!existing.ok() && existing.status().code() != core::Code::kNotFound)
        return existing.status();
      if (!existing.ok()) {
        XT_ASSIGN_OR_RETURN(row.matter.id, tx.InsertMatter(row.matter));
        for (Delegation d : row.delegations) {
          d.matter_id = row.matter.id;
          XT_RETURN_IF_ERROR(tx.InsertDelegation(d));
        }
        XT_ASSIGN_OR_RETURN(auto stored, tx.ListDelegations(row.matter.id));
        XT_RETURN_IF_ERROR(Record(tx, actor, now,
                                  {"matter.create", "matter", std::to_string(row.matter.id),
                                   "新增执法事项：" + row.matter.code + " " + row.matter.name,
                                   MatterSnapshot(row.matter, stored, town_codes)})
                               );
        ++result.created;
        continue;
      }
      Matter old = *existing;
      row.matter.id = old.id;
      XT_ASSIGN_OR_RETURN(auto before, tx.ListDelegations(old.id));
      bool changed = false;
      // R-DIS-3, R-JUR-2: the file names the owner from today on; a different owner than today's
      // is an owner change from today (earlier days keep theirs).
      XT_ASSIGN_OR_RETURN(auto owners, tx.ListOwnerPeriods(old.id));
      const domain::Id new_owner = row.matter.owner_org_id;
      const bool owner_changed = domain::OwnerOn(old, owners, today) != new_owner;
      row.matter.owner_org_id = old.owner_org_id;
      if (owner_changed) {
        if (std::any_of(owners.begin(), owners.end(),
                        [&](const domain::OwnerPeriod& p) { return p.from == today; }))
          return LineError(ln, "owner_org_code",
                           "今日已记录该事项的主管部门变更，不能再次变更",
                           "the owner of this matter changed today already", "R-JUR-2");
        domain::OwnerPeriod p;
        p.matter_id = old.id;
        p.from = today;
        p.owner_org_id = new_owner;
        p.basis = "目录导入";
        XT_ASSIGN_OR_RETURN(row.matter.owner_org_id, RecordOwnerInTx(tx, old, owners, p));
        changed = true;
      }
      if (old.name != row.matter.name || old.legal_basis != row.matter.legal_basis ||
          old.owner_org_id != row.matter.owner_org_id ||
          old.statutory_referral_days != row.matter.statutory_referral_days) {
        XT_RETURN_IF_ERROR(tx.UpdateMatter(row.matter));
        changed = true;
      }
      // Effective end for comparisons: open = far future.
      auto end = [](const std::optional<core::CivilDay>& to) {
        return to.value_or(core::CivilDay::max());
      };
      std::vector<Delegation> after_set;
      for (const Delegation& want : row.delegations) {
        auto it = std::find_if(before.begin(), before.end(), [&](const Delegation& s) {
          return s.township_org_id == want.township_org_id && s.from == want.from;
        });
        Delegation d = want;
        d.matter_id = old.id;
        if (it == before.end()) {
          if (d.from < today)
            return LineError(ln, "delegations",
                             "不能追溯新增划转（起始日期" + core::FormatDay(d.from) +
                                 "早于今日），以免改变过去日期的管辖",
                             "a new delegation of an existing matter cannot start before today",
                             "R-JUR-2");
          XT_RETURN_IF_ERROR(tx.InsertDelegation(d));
          changed = true;
        } else if (it->to != d.to) {
          // The answer for every day up to yesterday must stay the same.
          if (std::min(end(it->to), yesterday) != std::min(end(d.to), yesterday))
            return LineError(ln, "delegations",
                             "不能追溯变更划转截止日期（" + town_codes[d.township_org_id] + "@" +
                                 core::FormatDay(d.from) + "），以免改变过去日期的管辖",
                             "cannot change a delegation's end before yesterday", "R-JUR-2");
          XT_RETURN_IF_ERROR(tx.SetDelegationEnd(old.id, d.township_org_id, d.from, d.to));
          changed = true;
        }
        after_set.push_back(d);
      }
      for (const Delegation& s : before) {
        bool listed = std::any_of(row.delegations.begin(), row.delegations.end(),
                                  [&](const Delegation& w) {
                                    return w.township_org_id == s.township_org_id &&
                                           w.from == s.from;
                                  });
        if (listed) continue;
        Delegation kept = s;
        if (end(s.to) >= today) {
          // Missing from the file and still in force (or not yet over): withdraw it as of today.
          if (s.from >= today)
            return LineError(ln, "delegations",
                             "尚未生效的划转（" + town_codes[s.township_org_id] + "@" +
                                 core::FormatDay(s.from) + "）不能删除，请在文件中保留并写明截止日期",
                             "a delegation that has not started cannot be dropped; keep it",
                             "R-JUR-2");
          kept.to = yesterday;
          XT_RETURN_IF_ERROR(tx.SetDelegationEnd(old.id, s.township_org_id, s.from, kept.to));
          changed = true;
        }
        after_set.push_back(kept);
      }
      if (auto st = domain::CheckDelegations(after_set, "delegations"); !st.ok())
        return LineError(ln, "delegations", st.message(), st.message_en(), "R-JUR-1");
      if (!changed) {
        ++result.unchanged;
        continue;
      }
      XT_ASSIGN_OR_RETURN(auto stored, tx.ListDelegations(old.id));
      XT_RETURN_IF_ERROR(
          Record(tx, actor, now,
                 {"matter.update", "matter", std::to_string(old.id),
                  "修改执法事项：" + row.matter.code + " " + row.matter.name,
                  boost::json::object{{"before", MatterSnapshot(old, before, town_codes)},
                                      {"after", MatterSnapshot(row.matter, stored, town_codes)}}})
              );
      ++result.updated;
    }
    return Record(tx, actor, now,
                  {"matter.import", "matter_catalog", "catalog",
                   "导入执法事项目录：新增" + std::to_string(result.created) + "项，修改" +
                       std::to_string(result.updated) + "项",
                   boost::json::object{{"created", result.created},
                                       {"updated", result.updated},
                                       {"unchanged", result.unchanged},
                                       {"rows", static_cast<int64_t>(rows.size())}}});
  }));
  return result;
}

core::Result<std::string> MatterService::ExportCsv(const Principal&) {
  std::string out(kBom);
  out += "code,name,legal_basis,owner_org_code,statutory_referral_days,delegations\r\n";
  const core::CivilDay today = core::ShanghaiDay(clock_.Now());
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto orgs, tx.ListOrgs());
    std::map<domain::Id, std::string> codes;
    for (const auto& o : orgs) codes[o.id] = o.code;
    storage::MatterFilter f;
    f.limit = 1000000;
    XT_ASSIGN_OR_RETURN(auto matters, tx.ListMatters(f));
    for (const auto& m : matters) {
      XT_ASSIGN_OR_RETURN(auto dels, tx.ListDelegations(m.id));
      XT_ASSIGN_OR_RETURN(auto owners, tx.ListOwnerPeriods(m.id));
      out += CsvField(m.code) + "," + CsvField(m.name) + "," + CsvField(m.legal_basis) + "," +
             CsvField(codes[domain::OwnerOn(m, owners, today)]) + "," +
             (m.statutory_referral_days ? std::to_string(*m.statutory_referral_days) : "") + "," +
             CsvField(DelegationsText(dels, codes)) + "\r\n";
    }
    return Status::Ok();
  }));
  return out;
}

Status MatterService::ApplyBoundaryDecision(BoundaryDecision d,
                                            const std::optional<std::string>& township_code,
                                            const std::optional<std::string>& owner_code) {
  const core::CivilDay today = core::ShanghaiDay(clock_.Now());
  return store_.Write([&](storage::Tx& tx) -> Status {
    auto id_of = [&](const std::string& code) -> core::Result<domain::Id> {
      auto o = tx.GetOrgByCode(code);
      if (o.ok()) return o->id;
      if (o.status().code() != core::Code::kNotFound) return o.status();
      return domain::Id{-1};
    };
    if (township_code) {
      XT_ASSIGN_OR_RETURN(d.township_org_id, id_of(*township_code));
    }
    if (owner_code) {
      XT_ASSIGN_OR_RETURN(d.owner_org_id, id_of(*owner_code));
    }
    return ApplyBoundaryDecisionInTx(tx, d, today);
  });
}

// R-DIS-3, R-JUR-2.
Status MatterService::ApplyBoundaryDecisionInTx(storage::Tx& tx, const BoundaryDecision& d,
                                               core::CivilDay today) {
  using Change = BoundaryDecision::Change;
  if (d.effective < today)
    return BoundaryError("effective",
                         "决定的生效日期不能早于今日（" + core::FormatDay(d.effective) +
                             "），以免改变过去日期的管辖",
                         "the effective day cannot be before today");
  auto found = tx.GetMatterByCode(d.matter_code);
  if (!found.ok()) {
    if (found.status().code() != core::Code::kNotFound) return found.status();
    return BoundaryError("matter_code", "执法事项目录中没有该事项：" + d.matter_code,
                         "No matter with code " + d.matter_code + " in the catalog");
  }
  const Matter m = *found;
  std::optional<domain::Citation> cite;
  if (!d.decision_number.empty() || d.decision_document_id != 0) {
    cite = domain::Citation{d.decision_number, std::nullopt};
    if (d.decision_document_id != 0) cite->decision_document_id = d.decision_document_id;
  }
  const core::CivilDay day_before = d.effective - std::chrono::days(1);
  XT_ASSIGN_OR_RETURN(auto owners, tx.ListOwnerPeriods(m.id));
  XT_ASSIGN_OR_RETURN(auto dels, tx.ListDelegations(m.id));
  domain::Org town;
  if (d.change != Change::kOwner) {
    core::Result<domain::Org> t = Status::NotFound("org");
    if (d.township_org_id) t = tx.GetOrg(*d.township_org_id);
    if (!t.ok() && t.status().code() != core::Code::kNotFound) return t.status();
    if (!t.ok() || t->kind != domain::OrgKind::kTownship)
      return BoundaryError("township", "请指定乡镇综合行政执法部门", "township must be a township office");
    town = *t;
  }
  std::string action_zh;
  boost::json::object detail{{"matter", m.code},
                             {"effective", core::FormatDay(d.effective)},
                             {"decision", CitationJson(cite)}};
  switch (d.change) {
    case Change::kDelegate: {
      std::optional<core::CivilDay> next_from;
      for (const Delegation& x : dels) {
        if (x.township_org_id != town.id) continue;
        if (x.Covers(d.effective))
          return BoundaryConflict("effective",
                                  "该事项自" + core::FormatDay(x.from) + "起已划转" +
                                      town.short_name + "，" + core::FormatDay(d.effective) +
                                      "已在划转期间内",
                                  "a delegation to this township already covers that day");
        if (x.from > d.effective && (!next_from || x.from < *next_from)) next_from = x.from;
      }
      Delegation n;
      n.matter_id = m.id;
      n.township_org_id = town.id;
      n.from = d.effective;
      if (next_from) n.to = *next_from - std::chrono::days(1);
      n.decided_by = cite;
      XT_RETURN_IF_ERROR(tx.InsertDelegation(n));
      action_zh = "自" + domain::FormatDayZh(d.effective) + "起划转" + town.short_name + "实施";
      detail["change"] = "delegate";
      detail["township"] = town.code;
      detail["to"] = n.to ? boost::json::value(core::FormatDay(*n.to)) : nullptr;
      break;
    }
    case Change::kWithdraw: {
      const Delegation* in_force = nullptr;
      for (const Delegation& x : dels)
        if (x.township_org_id == town.id && x.Covers(d.effective)) in_force = &x;
      if (!in_force || in_force->from >= d.effective)
        return BoundaryConflict(
            "effective",
            in_force ? "该划转自" + core::FormatDay(in_force->from) + "起才生效，不能在生效前收回"
                     : "该事项在" + core::FormatDay(d.effective) + "未划转" + town.short_name +
                           "，无可收回的划转",
            in_force ? "the delegation starts that day; it cannot be withdrawn before it starts"
                     : "no delegation to this township is in force on that day");
      XT_RETURN_IF_ERROR(
          tx.SetDelegationEnd(m.id, town.id, in_force->from, day_before, cite));
      action_zh = "收回对" + town.short_name + "的划转（截至" + domain::FormatDayZh(day_before) + "）";
      detail["change"] = "withdraw";
      detail["township"] = town.code;
      detail["delegation_from"] = core::FormatDay(in_force->from);
      detail["previous_to"] =
          in_force->to ? boost::json::value(core::FormatDay(*in_force->to)) : nullptr;
      detail["to"] = core::FormatDay(day_before);
      break;
    }
    case Change::kOwner: {
      core::Result<domain::Org> o = Status::NotFound("org");
      if (d.owner_org_id) o = tx.GetOrg(*d.owner_org_id);
      if (!o.ok() && o.status().code() != core::Code::kNotFound) return o.status();
      if (!o.ok() || o->kind != domain::OrgKind::kCountyDepartment)
        return BoundaryError("owner_org", "新的主管部门须为县直执法部门",
                             "owner_org must be a county department");
      const domain::Id current = domain::OwnerOn(m, owners, d.effective);
      if (o->id == current)
        return BoundaryError("owner_org", "新的主管部门与该日的主管部门相同",
                             "owner_org already owns the matter on that day");
      for (const auto& p : owners)
        if (p.from == d.effective)
          return BoundaryConflict("effective",
                                  "该事项自" + core::FormatDay(d.effective) + "起的主管部门已有记录",
                                  "an owner period of this matter already starts that day");
      domain::OwnerPeriod p;
      p.matter_id = m.id;
      p.from = d.effective;
      p.owner_org_id = o->id;
      p.basis = "职责分工争议决定";
      p.decided_by = cite;
      Matter updated = m;
      XT_ASSIGN_OR_RETURN(updated.owner_org_id, RecordOwnerInTx(tx, m, owners, p));
      if (updated.owner_org_id != m.owner_org_id) XT_RETURN_IF_ERROR(tx.UpdateMatter(updated));
      action_zh = "自" + domain::FormatDayZh(d.effective) + "起主管部门变更为" + o->short_name;
      detail["change"] = "owner";
      detail["previous_owner_org_id"] = current;
      detail["owner_org_id"] = o->id;
      break;
    }
  }
  // The catalog's own entry; the deciding step audits itself (with its actor) in this tx.
  core::Instant at = core::ShanghaiMidnight(today);
  storage::AuditFilter latest;
  latest.limit = 1;
  XT_ASSIGN_OR_RETURN(auto last, tx.ListAudit(latest));
  if (!last.empty() && last.front().at > at) at = last.front().at;
  std::string by = d.decision_number.empty() ? "" : "依据" + d.decision_number + "，";
  return Record(tx, nullptr, at,
                {"matter.boundary", "matter", std::to_string(m.id),
                 by + "执法事项" + m.code + " " + m.name + action_zh, std::move(detail)});
}

}  // namespace xietong::service
