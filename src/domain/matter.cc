#include "domain/matter.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace xietong::domain {

std::string FormatDayZh(core::CivilDay day) {
  std::chrono::year_month_day ymd(day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d年%u月%u日", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// R-JUR-2, R-DIS-3.
Id OwnerOn(const Matter& matter, const std::vector<OwnerPeriod>& periods, core::CivilDay on,
           const OwnerPeriod** period) {
  const OwnerPeriod* latest = nullptr;  // the latest starting on or before `on`
  const OwnerPeriod* earliest = nullptr;
  for (const OwnerPeriod& p : periods) {
    if (p.matter_id != matter.id && p.matter_id != 0) continue;
    if (p.from <= on && (!latest || p.from > latest->from)) latest = &p;
    if (!earliest || p.from < earliest->from) earliest = &p;
  }
  const OwnerPeriod* chosen = latest ? latest : earliest;
  if (period) *period = chosen;
  return chosen ? chosen->owner_org_id : matter.owner_org_id;
}

namespace {
std::string CiteZh(const std::optional<Citation>& c) {
  if (!c || c->decision_number.empty()) return {};
  return "（依据" + c->decision_number + "）";
}
}  // namespace

Competence DecideJurisdiction(const Matter& matter, const std::vector<Delegation>& delegations,
                              Id township_org_id, core::CivilDay on,
                              const JurisdictionNames& names) {
  return DecideJurisdiction(matter, delegations, {}, township_org_id, on, names);
}

// R-JUR-1, R-JUR-2, R-DIS-3.
Competence DecideJurisdiction(const Matter& matter, const std::vector<Delegation>& delegations,
                              const std::vector<OwnerPeriod>& owners, Id township_org_id,
                              core::CivilDay on, const JurisdictionNames& names) {
  const std::string town = names.township.empty() ? "该乡镇" : names.township;
  const std::string owner = names.owner.empty() ? "县主管部门" : names.owner;
  std::vector<const Delegation*> mine;
  for (const Delegation& d : delegations)
    if (d.township_org_id == township_org_id && (d.matter_id == matter.id || d.matter_id == 0))
      mine.push_back(&d);
  std::sort(mine.begin(), mine.end(),
            [](const Delegation* a, const Delegation* b) { return a->from < b->from; });

  Competence c;
  for (const Delegation* d : mine) {
    if (d->Covers(on)) {
      c.competent_org_id = township_org_id;
      c.basis = CompetenceBasis::kDelegated;
      c.delegation = *d;
      c.reason = "该事项自" + FormatDayZh(d->from) + "起划转" + town + "实施";
      if (d->to) c.reason += "（划转至" + FormatDayZh(*d->to) + "止）";
      c.decided_by = d->decided_by;
      c.reason += CiteZh(c.decided_by);
      return c;
    }
  }
  const OwnerPeriod* period = nullptr;
  c.competent_org_id = OwnerOn(matter, owners, on, &period);
  if (period) {
    c.owner_period = *period;
    c.decided_by = period->decided_by;
  }
  // The latest period that ended before `on` (withdrawn), else the first that starts after it.
  const Delegation* ended = nullptr;
  const Delegation* upcoming = nullptr;
  for (const Delegation* d : mine) {
    if (d->to && *d->to < on) ended = d;  // sorted by from: the last one wins
    if (d->from > on && !upcoming) upcoming = d;
  }
  if (ended) {
    c.basis = CompetenceBasis::kWithdrawn;
    c.delegation = *ended;
    if (ended->withdrawn_by) c.decided_by = ended->withdrawn_by;
    c.reason = "该事项对" + town + "的划转已于" + FormatDayZh(*ended->to) + "收回，由" + owner + "管辖";
  } else if (upcoming) {
    c.basis = CompetenceBasis::kNotYetDelegated;
    c.delegation = *upcoming;
    c.reason = "该事项自" + FormatDayZh(upcoming->from) + "起才划转" + town + "，此前由" + owner + "管辖";
  } else {
    c.basis = CompetenceBasis::kNeverDelegated;
    c.reason = "该事项未划转" + town + "，由" + owner + "管辖";
  }
  if (period && period->from != kCatalogBeginning && period->from <= on)
    c.reason += "（自" + FormatDayZh(period->from) + "起由" + owner + "主管）";
  c.reason += CiteZh(c.decided_by);
  return c;
}

bool ValidMatterCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 40) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(code[0])) return false;
  for (char c : code)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

core::Status CheckDelegations(const std::vector<Delegation>& delegations, const std::string& field) {
  for (const Delegation& d : delegations) {
    if (d.to && *d.to < d.from)
      return core::Status::Invalid(field, "划转截止日期早于起始日期：" + core::FormatDay(d.from) +
                                              ".." + core::FormatDay(*d.to), "R-JUR-1")
          .En("A delegation ends before it starts");
  }
  for (size_t i = 0; i < delegations.size(); ++i) {
    for (size_t j = i + 1; j < delegations.size(); ++j) {
      const Delegation& a = delegations[i];
      const Delegation& b = delegations[j];
      if (a.township_org_id != b.township_org_id) continue;
      // [a.from, a.to] and [b.from, b.to] overlap unless one ends before the other starts.
      bool disjoint = (a.to && *a.to < b.from) || (b.to && *b.to < a.from);
      if (!disjoint)
        return core::Status::Invalid(field, "同一乡镇的划转期间重叠：" + core::FormatDay(a.from) +
                                                "与" + core::FormatDay(b.from), "R-JUR-1")
            .En("Two delegation periods of one township overlap");
    }
  }
  return core::Status::Ok();
}

bool ValidDocPrefix(std::string_view s) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok) return false;
      ++i;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
      // Three-byte UTF-8: CJK Unified Ideographs U+4E00..U+9FFF (and extension A U+3400..).
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return false;
      uint32_t cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
      if (!((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))) return false;
      i += 3;
    } else {
      return false;
    }
    ++chars;
  }
  return chars >= 1 && chars <= 8;
}

}  // namespace xietong::domain
