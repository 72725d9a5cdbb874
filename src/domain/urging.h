// 督办/催办 (R-PLN-2: the coordinator supervises enforcement, 统一考核监督): coordinator staff urge
// the owner org of an overdue or yellow item (a referral, a collaboration request, any coordination
// item, or a duty) with a numbered 督办通知 (督); the owner answers what it did (duty
// urging.answer, default 2 working days). Stored as a coordination item (type kUrging) with its
// OWN transition table (the vocabulary: domain/court_enforcement.h ItemTable). Pure; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(const CoordTransition* row,
//                       DecideItem(UrgingTable(), "answer", urging_state::kOpen, actor));
#pragma once

#include <string_view>

#include "domain/court_enforcement.h"

namespace xietong::domain {

namespace urging_state {
inline constexpr int kOpen = 1,  // 待答复
    kAnswered = 2;               // 已答复
}

inline constexpr std::string_view kUrgingAnswerDuty = "urging.answer";

// THE table: create (coordinator; opens urging.answer, issues 督) → open; answer (the owner
// org's staff; meets urging.answer) → answered.
const ItemTable& UrgingTable();

}  // namespace xietong::domain
