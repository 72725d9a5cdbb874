// Guidance, training and technical support from county departments to townships (SPEC §7
// R-GUI-1..3; docs/guidance-training-contract.md). Three small workflows stored as coordination
// items (domain/coord_items.h types kGuidanceRequest, kTraining, kTechSupport), each with its OWN
// transition table in the ItemTable vocabulary (domain/court_enforcement.h), read by the generic
// decider (domain/workflow.h). Pure value types and constexpr data; thread-safe.
//
//  - R-GUI-1 guidance request (业务指导): a township asks a department for 现场指导 (onsite),
//    业务研讨 (seminar) or 咨询 (consultation); duty guidance.respond on the department, met by
//    scheduling it (numbered 业务指导安排 导) or by declining with a reason (the duty is to
//    respond; a reasoned refusal is a response); then the department records what was done.
//    The township may withdraw before the department responds.
//  - R-GUI-2 training (业务培训): a department records a training (topic, date, place, hours,
//    trainers, invited townships and attendees), marks attendance (repeatable until closed) and
//    closes it (numbered 业务培训记录 训); only closed trainings count as held.
//  - R-GUI-3 technical support (检验检测): a township requests support from a department (duty
//    tech_support.answer), answered by stationed staff (驻点), training or dispatch (派员) with
//    details (numbered 技术支持答复 技); or the township records a procurement from a testing
//    institution ("create.procurement", state recorded, no duty).
//
//   XT_ASSIGN_OR_RETURN(const CoordTransition* row,
//       DecideItem(GuidanceRequestTable(), "schedule", guidance_state::kRequested, actor));
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "domain/court_enforcement.h"

namespace xietong::domain {

// Persisted states.
namespace guidance_state {
inline constexpr int kRequested = 1,  // 待答复
    kScheduled = 2,                   // 已安排
    kDone = 3,                        // 已完成
    kDeclined = 4,                    // 不予安排
    kWithdrawn = 5;                   // 已撤回
}
namespace training_state {
inline constexpr int kPlanned = 1,  // 已登记（待结束）
    kClosed = 2,                    // 已结束
    kCancelled = 3;                 // 已取消
}
namespace tech_support_state {
inline constexpr int kRequested = 1,  // 待答复
    kAnswered = 2,                    // 已答复
    kRecorded = 3,                    // 已登记（委托检测机构）
    kWithdrawn = 4;                   // 已撤回
}

// Duty kinds (domain/duty.cc).
inline constexpr std::string_view kGuidanceRespondDuty = "guidance.respond";
inline constexpr std::string_view kTechSupportAnswerDuty = "tech_support.answer";

// A named option with its Chinese label (kinds of guidance, modes of support).
struct GuidanceOption {
  std::string_view name;
  std::string_view label_zh;
};
// onsite 现场指导, seminar 业务研讨, consultation 咨询.
std::span<const GuidanceOption> GuidanceKinds();
// stationed 驻点, training 培训, dispatch 派员.
std::span<const GuidanceOption> TechSupportModes();
// "" when unknown.
std::string_view GuidanceOptionLabel(std::span<const GuidanceOption> options,
                                     std::string_view name);

// THE tables. Guidance: create; schedule; decline; record; withdraw. Training: create;
// attendance; close; cancel. Technical support: create, create.procurement; answer; withdraw.
const ItemTable& GuidanceRequestTable();
const ItemTable& TrainingTable();
const ItemTable& TechSupportTable();

// R-GUI-2: a department's colour for `year` on `today` (Shanghai day): green when it held at
// least `minimum` trainings; below the minimum: none before 1 December, yellow from 1 December,
// red on 31 December and after the year.
enum class TrainingColour { kNone = 0, kGreen, kYellow, kRed };
TrainingColour TrainingYearColour(int held, int minimum, int year, int today_year, int today_month,
                                  int today_day);
std::string_view TrainingColourName(TrainingColour c);  // "", "green", "yellow", "red"

}  // namespace xietong::domain
