// Criminal transfers (行刑衔接, SPEC §10 R-CRI-1, R-CRI-1a, R-CRI-2, R-CRI-5; State Council Decree
// 310 《行政执法机关移送涉嫌犯罪案件的规定》): an officer of a township or county department reports a
// case suspected of a crime; the org's head decides within 3 days (calendar days, R-TIME-5); once
// approved the case goes to the police within 24 hours, copied to the procuratorate; the police
// sign a receipt and decide within 3 days whether to open a case; a refusal may be challenged by
// the agency within 3 days (复议), answered by the police within 3 days; police that find no
// criminal liability return the case for administrative handling (R-CRI-2). While the transfer is
// unresolved the case cannot be closed with a penalty alone (R-CRI-1 不得以罚代刑).
//
// Stored as items of the generic coord_items table (CoordType::kCriminalTransfer): from_org the
// reporting agency, to_org the police, org_ids the agency until the transfer and then also the
// police and the procuratorate (R-CRI-5: judicial orgs see exactly the transfers addressed or
// copied to them). Its OWN transition table, read by the generic decider (domain/workflow.h).
// Persisted state values never change. Pure value types and functions; thread-safe.
//
//   domain::CrimeActor a{.agency_leader = true, .agency_staff = true};
//   XT_ASSIGN_OR_RETURN(const domain::CoordTransition* t,
//       domain::DecideCrimeTransition("approve", crime_state::kReported, a));
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/coord_items.h"
#include "domain/workflow.h"

namespace xietong::domain {

// Persisted; values never change.
namespace crime_state {
inline constexpr int kReported = 1,  // 待负责人审批
    kApproved = 2,                   // 已批准，待移送
    kNotApproved = 3,                // 不予移送 (the case stays administrative)
    kTransferred = 4,                // 已移送公安机关
    kReceived = 5,                   // 公安机关已签收
    kCaseOpened = 6,                 // 已立案 (the transfer is done)
    kRefused = 7,                    // 不予立案 (may be challenged within 3 days)
    kReconsideration = 8,            // 复议中
    kRefusalUpheld = 9,              // 维持不予立案 (final)
    kReturned = 10,                  // 已移回 (R-CRI-2: to be handled administratively)
    kHandled = 11;                   // 已作行政处理
}

// Duty kinds of the workflow (domain/duty.cc; each ends only by its act here).
inline constexpr std::string_view kDutyCrimeDecision = "crime.transfer_decision";
inline constexpr std::string_view kDutyCrimePolice = "crime.transfer_police";
inline constexpr std::string_view kDutyCrimeReceipt = "crime.police_receipt";
inline constexpr std::string_view kDutyCrimeCaseDecision = "crime.case_decision";
inline constexpr std::string_view kDutyCrimeReconsideration = "crime.reconsideration_answer";
inline constexpr std::string_view kDutyCrimeAdministrative = "crime.administrative_handling";

// R-CRI-1a: the agency may challenge a refusal within this many calendar days.
inline constexpr int kCrimeChallengeDays = 3;

std::span<const int> CrimeStates();
std::string_view CrimeStateName(int state);     // "reported" … ("unknown")
std::string_view CrimeStateLabelZh(int state);  // 待负责人审批 … ("未知")
std::optional<int> ParseCrimeState(std::string_view name);
// R-CRI-1: the transfer is unresolved (pending or under challenge): the case may not be closed
// with an administrative penalty alone. reported … reconsideration.
bool CrimeTransferOpen(int state);
std::span<const int> CrimeOpenStates();

// Who may take a step (resolved by the service from the principal and the item).
enum class CrimeWho : int {
  kAgencyStaff = 1,         // officer/leader/liaison of the reporting org
  kAgencyLeader = 2,        // its head (a leader)
  kPoliceStaff = 3,         // officer/leader/liaison of the addressed police org
  kProcuratorateStaff = 4,  // officer/leader/liaison of the procuratorate copied
};
std::string_view CrimeWhoLabelZh(CrimeWho w);

enum class CrimeGuard : int {
  kNone = 0,
  kChallengeOpen = 1,  // R-CRI-1a: a reconsideration within 3 days of the refusal
  kChallengeOver = 2,  // R-CRI-2: the police return a refused case once the agency let the
                       // challenge period pass
};

struct CrimeActor {
  bool agency_staff = false;
  bool agency_leader = false;
  bool police_staff = false;
  bool procuratorate_staff = false;
  bool Is(CrimeWho w) const;
};

using CrimeTransition = workflow::Transition<int, std::string_view, CrimeWho, CrimeGuard>;

// THE transition table (the creating row first, from kCoordNew).
std::span<const CrimeTransition> CrimeTransitions();
const CrimeTransition& CrimeCreateRow();
const workflow::Wording<CrimeTransition>& CrimeWording();
// Steps in table order (not the creating row); labels and rules; audit action
// "criminal_transfer.<action with - as _>".
std::vector<std::string_view> CrimeActions();
std::string_view CrimeActionLabelZh(std::string_view action);  // "" when unknown
std::string_view CrimeActionRule(std::string_view action);
std::string CrimeAuditAction(std::string_view action);

// Decides a step (workflow::Decide): permission_denied (rule of the action); 409
// illegal_transition naming the state (field "state"; for "handle" the rule is R-CRI-1);
// invalid_argument "action" for an unknown action.
core::Result<const CrimeTransition*> DecideCrimeTransition(std::string_view action, int from,
                                                           const CrimeActor& actor);

}  // namespace xietong::domain
