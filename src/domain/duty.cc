#include "domain/duty.h"

#include <algorithm>

namespace xietong::domain {

namespace {
template <typename E>
struct NameRow {
  E value;
  std::string_view name;
};
constexpr NameRow<DutyState> kStates[] = {{DutyState::kOpen, "open"},
                                          {DutyState::kMet, "met"},
                                          {DutyState::kWaived, "waived"},
                                          {DutyState::kSuspended, "suspended"}};
constexpr NameRow<Colour> kColours[] = {{Colour::kNone, "none"},
                                        {Colour::kGreen, "green"},
                                        {Colour::kYellow, "yellow"},
                                        {Colour::kRed, "red"}};
constexpr NameRow<PeriodUnit> kUnits[] = {{PeriodUnit::kWorkingDays, "working_days"},
                                          {PeriodUnit::kHours, "hours"},
                                          {PeriodUnit::kCalendarDays, "calendar_days"}};

template <typename E, size_t N>
std::string_view NameOf(const NameRow<E> (&rows)[N], E v) {
  for (const auto& r : rows)
    if (r.value == v) return r.name;
  return "unknown";
}
template <typename E, size_t N>
std::optional<E> Parse(const NameRow<E> (&rows)[N], std::string_view s) {
  for (const auto& r : rows)
    if (r.name == s) return r.value;
  return std::nullopt;
}
}  // namespace

std::string_view DutyStateName(DutyState s) { return NameOf(kStates, s); }
std::optional<DutyState> ParseDutyState(std::string_view s) { return Parse(kStates, s); }
std::string_view ColourName(Colour c) { return NameOf(kColours, c); }
std::optional<Colour> ParseColour(std::string_view s) { return Parse(kColours, s); }
core::Result<Colour> ParseColourFilter(std::string_view s, std::string id) {
  auto c = ParseColour(s);
  if (!c || *c == Colour::kNone) {
    return core::Status::Invalid("colour", "颜色应为 green、yellow 或 red", "R-TIME-4", std::move(id))
        .En("colour must be green, yellow or red");
  }
  return *c;
}
std::string_view PeriodUnitName(PeriodUnit u) { return NameOf(kUnits, u); }
std::optional<PeriodUnit> ParsePeriodUnit(std::string_view s) { return Parse(kUnits, s); }

const std::vector<DutyKind>& DutyKinds() {
  static const std::vector<DutyKind> kKinds = {
      {"referral.send", "R-REF-4", "案件移送", "Refer the case", PeriodUnit::kWorkingDays, 3},
      {"referral.send_urgent", "R-REF-4", "紧急案件移送", "Refer the urgent case",
       PeriodUnit::kHours, 24},
      {"referral.ongoing_notice", "R-REF-5", "正在进行违法行为书面告知",
       "Written notice of an ongoing violation", PeriodUnit::kHours, 24},
      {"referral.accept_notice", "R-REF-6", "受理情况告知", "Acceptance notice",
       PeriodUnit::kWorkingDays, 5},
      {"collaboration.answer", "R-COL-2", "执法协作书面反馈", "Written answer to a collaboration request",
       PeriodUnit::kWorkingDays, 3},
      {"collaboration.dispatch", "R-COL-3", "派员现场处置", "Send staff on site", PeriodUnit::kHours,
       2},
      {"notice.measures", "R-COL-5", "隐患通报研究处置", "Analyse and act on a hazard notice",
       PeriodUnit::kWorkingDays, 5},
      {"meeting.decision", "R-COL-6", "专题会议决定事项落实", "Carry out a meeting decision",
       PeriodUnit::kWorkingDays, 10},
      {"participation.written_notice", "R-COL-7", "补办书面告知", "Complete the written notice",
       PeriodUnit::kWorkingDays, 1},
      {"violation.dispatch", "R-COL-8", "立即派员", "Dispatch officers at once", PeriodUnit::kHours,
       2},
      {"crime.transfer_decision", "R-CRI-1a", "涉嫌犯罪案件移送审批", "Decide on a criminal transfer",
       PeriodUnit::kCalendarDays, 3},
      {"crime.transfer_police", "R-CRI-1a", "向公安机关移送", "Transfer to the police",
       PeriodUnit::kHours, 24},
  };
  return kKinds;
}

const DutyKind* FindDutyKind(std::string_view id) {
  for (const auto& k : DutyKinds())
    if (k.id == id) return &k;
  return nullptr;
}

calendar::Deadline ComputeDue(const calendar::Calendar& cal, core::Instant trigger, PeriodUnit unit,
                              int64_t period) {
  switch (unit) {
    case PeriodUnit::kWorkingDays: return cal.AddWorkingDays(trigger, static_cast<int>(period));
    case PeriodUnit::kHours: return cal.AddHours(trigger, period);
    case PeriodUnit::kCalendarDays: return cal.AddCalendarDays(trigger, static_cast<int>(period));
  }
  return cal.AddHours(trigger, period);
}

core::Instant ComputeYellowAt(const calendar::Calendar& cal, const calendar::Deadline& due,
                              PeriodUnit unit, int64_t period) {
  using std::chrono::hours;
  if (unit == PeriodUnit::kHours) {
    auto quarter = std::chrono::duration_cast<std::chrono::milliseconds>(hours(period)) / 4;
    auto lead = std::min<std::chrono::milliseconds>(quarter, hours(24));
    return due.due - lead;
  }
  // The last working day strictly before the deadline's last day: yellow from its 24:00.
  core::CivilDay d = due.last_day - std::chrono::days(1);
  for (int guard = 0; guard < 60 && !cal.Day(d).workday; ++guard) d -= std::chrono::days(1);
  return core::ShanghaiMidnight(d + std::chrono::days(1));
}

Colour ColourAt(const Duty& d, core::Instant now) {
  if (d.state != DutyState::kOpen) return Colour::kNone;
  if (now >= d.due_at) return Colour::kRed;
  if (now >= d.yellow_at) return Colour::kYellow;
  return Colour::kGreen;
}

Remaining RemainingAt(const calendar::Calendar& cal, const Duty& d, core::Instant now) {
  using std::chrono::duration_cast;
  using std::chrono::hours;
  constexpr std::chrono::milliseconds kTick{1};
  Remaining r;
  r.overdue = now >= d.due_at;
  if (d.unit == PeriodUnit::kHours) {  // R-TIME-2: clock hours only
    auto diff = r.overdue ? now - d.due_at : d.due_at - now;
    r.hours = static_cast<int>(duration_cast<hours>(diff).count());
    return r;
  }
  if (r.overdue) {
    // Working days after the deadline's last day, up to and including today; hours since 24:00.
    r.working_days = cal.WorkingDaysBetween(d.due_at - kTick, now).working_days;
    r.hours = static_cast<int>(duration_cast<hours>(now - d.due_at).count() % 24);
    return r;
  }
  // Working days after today up to the deadline's last day, plus the hours left today.
  r.working_days = cal.WorkingDaysBetween(now, d.due_at - kTick).working_days;
  core::Instant end_today = core::ShanghaiMidnight(core::ShanghaiDay(now) + std::chrono::days(1));
  r.hours = static_cast<int>(duration_cast<hours>(std::min(end_today, d.due_at) - now).count());
  return r;
}

void MarkMet(const calendar::Calendar& cal, Duty& d, core::Instant at) {
  d.state = DutyState::kMet;
  d.met_at = at;
  d.on_time = at < d.due_at;
  // Late by the working days after the deadline's last day up to the day it was met (>= 1 if late).
  d.late_working_days =
      *d.on_time ? 0
                 : std::max(1, cal.WorkingDaysBetween(d.due_at - std::chrono::milliseconds(1), at)
                                   .working_days);
}

}  // namespace xietong::domain
