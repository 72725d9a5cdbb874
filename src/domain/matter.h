// The catalog of enforcement matters (执法事项) and who is competent for one (R-JUR-1, R-JUR-2).
//
// A matter belongs to a county department (its owner); the owner is dated too (R-DIS-3): a
// matter whose owner never changed has no owner periods and `owner_org_id` owns it on every day;
// the first change records the former owner as a period from kCatalogBeginning, so a matter with
// periods has its whole history in them (the owner on a day = the latest period from that day or
// earlier). A catalog change decided by a document (a dispute's boundary decision) cites it.
// A matter may be delegated (划转) to some
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

// The document that decided a catalog change (R-DIS-3): its number (文号) and id when known.
struct Citation {
  std::string decision_number;          // 县政府〔2026〕3号
  std::optional<Id> decision_document_id;
  bool operator==(const Citation&) const = default;
};

// The first day of the catalog's history: an owner period from this day is the owner "from the
// beginning" (recorded when a matter's owner first changes).
inline constexpr core::CivilDay kCatalogBeginning{std::chrono::year{1900} / 1 / 1};

struct Matter {
  Id id = 0;
  std::string code;         // stable, [A-Za-z0-9._-]{2,40}: "SCJG-001"
  std::string name;         // 无证无照经营
  std::string legal_basis;  // 《无证无照经营查处办法》第十三条
  // The county department that owns the matter: on every day when it has no owner periods;
  // otherwise the owner of its latest period (the owner on a day comes from OwnerOn).
  Id owner_org_id = 0;
  std::optional<int> statutory_referral_days;  // R-REF-4: working days to refer, when a law sets it
};

// One delegation period of a matter to a township; both days inclusive; `to` empty = still in
// force. The key is (matter_id, township_org_id, from).
struct Delegation {
  Id matter_id = 0;
  Id township_org_id = 0;
  core::CivilDay from{};
  std::optional<core::CivilDay> to;
  std::optional<Citation> decided_by;    // the decision that delegated it (R-DIS-3), if any
  std::optional<Citation> withdrawn_by;  // the decision that set its end day, if any

  // True when `day` lies in [from, to].
  bool Covers(core::CivilDay day) const { return from <= day && (!to || day <= *to); }
  bool operator==(const Delegation&) const = default;
};

// From `from` on (until the next period of the matter), `owner_org_id` owns the matter. Key
// (matter_id, from); never deleted (R-JUR-2).
struct OwnerPeriod {
  Id matter_id = 0;
  core::CivilDay from{};
  Id owner_org_id = 0;
  std::string basis;                   // Chinese: "县政府决定" / "目录导入" / "目录原有主管部门"
  std::optional<Citation> decided_by;  // the deciding document, if any
  bool operator==(const OwnerPeriod&) const = default;
};

// The owner of `matter` on `on` (R-JUR-2): the latest of `periods` (of that matter) starting on
// or before `on`; before every period, the earliest one's owner; without periods,
// matter.owner_org_id. `period` (optional) receives the deciding period, if any.
Id OwnerOn(const Matter& matter, const std::vector<OwnerPeriod>& periods, core::CivilDay on,
           const OwnerPeriod** period = nullptr);

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
  // The owner period that made the county department the owner on that day (when the matter
  // has owner periods).
  std::optional<OwnerPeriod> owner_period;
  // The decision that decides this answer (R-DIS-3), if a decided period decides it: the
  // covering delegation's (kDelegated); the withdrawal's, else the owner period's (kWithdrawn);
  // the owner period's (otherwise).
  std::optional<Citation> decided_by;

  bool delegated() const { return basis == CompetenceBasis::kDelegated; }
};

// Names used in the reason sentence. Empty names fall back to "该乡镇" / "县主管部门".
struct JurisdictionNames {
  std::string township;  // 新城镇
  std::string owner;     // 县市场监管局 (the owner on the day asked about)
};

// R-JUR-1/R-JUR-2: who is competent for `matter` in township `township_org_id` on `on`. Only the
// delegations of that matter to that township are considered (others in the list are ignored).
// Delegated on that day → the township; otherwise the county department owning the matter on
// that day (OwnerOn with `owners`; without periods, matter.owner_org_id).
Competence DecideJurisdiction(const Matter& matter, const std::vector<Delegation>& delegations,
                              const std::vector<OwnerPeriod>& owners, Id township_org_id,
                              core::CivilDay on, const JurisdictionNames& names = {});
// The same for a matter without owner periods.
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
