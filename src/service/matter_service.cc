#include "service/matter_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <boost/json/array.hpp>

#include "service/audit_log.h"

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

// One CSV record with the (1-based) line it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by ',', records by CRLF or LF; "..." quotes with "" for a quote.
// Blank lines are skipped. Errors name the line.
core::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  std::vector<CsvRecord> out;
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool at_start = true;
    bool record_done = false;
    while (!record_done) {
      if (i >= text.size()) {
        rec.fields.push_back(std::move(field));
        break;
      }
      char c = text[i];
      if (c == '"' && at_start) {
        ++i;
        while (true) {
          if (i >= text.size())
            return Status::Invalid("line " + std::to_string(rec.line), "引号未闭合")
                .En("Unterminated quote");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        at_start = false;
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          return Status::Invalid("line " + std::to_string(line), "引号后应为逗号或换行")
              .En("A quoted field must be followed by a comma or a line break");
        continue;
      }
      if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
        at_start = true;
        ++i;
      } else if (c == '\r' || c == '\n') {
        rec.fields.push_back(std::move(field));
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        record_done = true;
      } else {
        field += c;
        at_start = false;
        ++i;
      }
    }
    bool blank = rec.fields.size() == 1 && Trim(rec.fields[0]).empty();
    if (!blank) out.push_back(std::move(rec));
  }
  return out;
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

}  // namespace

MatterService::MatterService(storage::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

core::Result<MatterView> MatterService::ViewInTx(storage::Tx& tx, const Matter& m) {
  MatterView v;
  v.matter = m;
  XT_ASSIGN_OR_RETURN(v.owner, tx.GetOrg(m.owner_org_id));
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
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto matters, tx.ListMatters(filter));
    XT_ASSIGN_OR_RETURN(page.total, tx.CountMatters(filter));
    for (const auto& m : matters) {
      XT_ASSIGN_OR_RETURN(MatterView v, ViewInTx(tx, m));
      page.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return page;
}

core::Result<MatterView> MatterService::Get(const Principal&, domain::Id id) {
  MatterView v;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(Matter m, tx.GetMatter(id));
    XT_ASSIGN_OR_RETURN(v, ViewInTx(tx, m));
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
  XT_ASSIGN_OR_RETURN(domain::Org owner, tx.GetOrg(m.owner_org_id));
  XT_ASSIGN_OR_RETURN(auto dels, tx.ListDelegations(m.id));
  return domain::DecideJurisdiction(m, dels, township_org_id, on,
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
    XT_ASSIGN_OR_RETURN(a.matter, ViewInTx(tx, m));
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
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(auto orgs, tx.ListOrgs());
    std::map<domain::Id, std::string> codes;
    for (const auto& o : orgs) codes[o.id] = o.code;
    storage::MatterFilter f;
    f.limit = 1000000;
    XT_ASSIGN_OR_RETURN(auto matters, tx.ListMatters(f));
    for (const auto& m : matters) {
      XT_ASSIGN_OR_RETURN(auto dels, tx.ListDelegations(m.id));
      out += CsvField(m.code) + "," + CsvField(m.name) + "," + CsvField(m.legal_basis) + "," +
             CsvField(codes[m.owner_org_id]) + "," +
             (m.statutory_referral_days ? std::to_string(*m.statutory_referral_days) : "") + "," +
             CsvField(DelegationsText(dels, codes)) + "\r\n";
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
