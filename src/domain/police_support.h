// Police support on an enforcement action (提请公安机关协助, SPEC §10 R-CRI-4; judicial users'
// access R-CRI-5): a township or department asks a police org for support on an action (time,
// place, reason, expected risk), issued as a numbered 提请公安机关协助函 (援); the police answer
// before the action (will send N officers, or decline with a reason); afterwards the agency
// records the outcome; violent obstruction or threats (阻碍执法) recorded there are handed over
// to the police (facts, people, evidence files), who record how they handle them (刑事立案 /
// 治安处罚 / other). Stored as a coordination item (type kPoliceSupport) with its OWN transition
// table (the vocabulary: domain/court_enforcement.h ItemTable). Pure; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "domain/court_enforcement.h"

namespace xietong::domain {

namespace police_support_state {
inline constexpr int kRequested = 1,  // 已提请协助
    kAssisting = 2,                   // 公安同意派警
    kDeclined = 3,                    // 公安不予协助
    kDone = 4,                        // 行动已结束
    kHandedOver = 5,                  // 阻碍执法已移交公安
    kHandled = 6,                     // 公安已处理
    kCancelled = 7;                   // 已取消
}

inline constexpr std::string_view kPoliceAnswerDuty = "police_support.answer";
inline constexpr std::string_view kPoliceHandoverDuty = "police_support.handover";

// Hand-over dispositions the police record (handle).
struct PoliceDisposition {
  std::string_view name;
  std::string_view label_zh;
};
std::span<const PoliceDisposition> PoliceDispositions();  // criminal_case, public_security_penalty, other
std::string_view PoliceDispositionLabel(std::string_view name);  // "" if unknown

// THE table: create; answer.assist | answer.decline; outcome; hand-over; handle; cancel.
const ItemTable& PoliceSupportTable();

}  // namespace xietong::domain
