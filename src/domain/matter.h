// The catalog of enforcement matters (执法事项) and who is competent for one (R-JUR-1, R-JUR-2).
//
// A matter belongs to a county department (its owner). It may be delegated (划转) to some
// townships for periods of time; a delegation that was taken back keeps its period with an end
// day (`to`), so the catalog can always answer "who was competent on that day" (R-JUR-2).
// Periods are whole Shanghai civil days, both ends inclusive. Pure value types and functions;
// thread-safe.
//
//   domain::Competence c = domain::DecideJurisdiction(matter, delegations, xincheng.id, day,
//                                                     {"新城镇", "县市场监管局"});
//   if (c.delegated()) ... c.competent_org_id == xincheng.id
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

struct Matter {
  Id id = 0;
  std::string code;         // stable, [A-Za-z0-9._-]{2,40}: "SCJG-001"
  std::string name;         // 无证无照经营
  std::string legal_basis;  // 《无证无照经营查处办法》第十三条
  Id owner_org_id = 0;      // the county department that owns the matter
  std::optional<int> statutory_referral_days;  // R-REF-4: working days to refer, when a law sets it
};

// One delegation period of a matter to a township; both days inclusive; `to` empty = still in
// force. The key is (matter_id, township_org_id, from).
struct Delegation {
  Id matter_id = 0;
  Id township_org_id = 0;
  core::CivilDay from{};
  std::optional<core::CivilDay> to;

  // True when `day` lies in [from, to].
  bool Covers(core::CivilDay day) const { return from <= day && (!to || day <= *to); }
  bool operator==(const Delegation&) const = default;
};

// Why an org is competent (the persisted meaning is not stored; for tests and the UI).
enum class CompetenceBasis : int {
  kDelegated = 1,       // a delegation to the township covers the day
  kNeverDelegated = 2,  // no delegation of this matter to the township at all
  kNotYetDelegated = 3, // delegations exist, but all start after the day
  kWithdrawn = 4,       // the latest delegation before the day ended before it (收回)
};

struct Competence {
  Id competent_org_id = 0;
  CompetenceBasis basis = CompetenceBasis::kNeverDelegated;
  // The delegation that decided it: the covering one (kDelegated), the withdrawn one
  // (kWithdrawn) or the next one to start (kNotYetDelegated); empty for kNeverDelegated.
  std::optional<Delegation> delegation;
  std::string reason;  // Chinese, one sentence: "该事项自2023年7月12日起划转新城镇实施"

  bool delegated() const { return basis == CompetenceBasis::kDelegated; }
};

// Names used in the reason sentence. Empty names fall back to "该乡镇" / "县主管部门".
struct JurisdictionNames {
  std::string township;  // 新城镇
  std::string owner;     // 县市场监管局
};

// R-JUR-1/R-JUR-2: who is competent for `matter` in township `township_org_id` on `on`. Only the
// delegations of that matter to that township are considered (others in the list are ignored).
// Delegated on that day → the township; otherwise the owning county department.
Competence DecideJurisdiction(const Matter& matter, const std::vector<Delegation>& delegations,
                              Id township_org_id, core::CivilDay on,
                              const JurisdictionNames& names = {});

// "2023年7月12日"
std::string FormatDayZh(core::CivilDay day);

// Matter code syntax: 2..40 of [A-Za-z0-9._-], starting with a letter or digit.
bool ValidMatterCode(std::string_view code);

// Checks one matter's delegations (field names as given): from <= to for each, and no two
// periods of the same township overlap. Errors: kInvalidArgument naming `field`.
core::Status CheckDelegations(const std::vector<Delegation>& delegations, const std::string& field);

// Org doc prefix (文号机关代字) syntax: 1..8 characters, CJK ideographs or ASCII letters/digits.
bool ValidDocPrefix(std::string_view s);

}  // namespace xietong::domain
