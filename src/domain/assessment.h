// The assessment (R-ASM-1, R-ASM-2; issue 14): the catalogue of indicators computed from stored
// facts, the assessment periods, the scheme's scoring, and the two workflows of R-ASM-2 — the
// coordinator's circular of criticism (通报批评, numbered 评) and the accountability record (问责,
// numbered 责) — each stored as a coordination item with its OWN transition table (the
// vocabulary of domain/court_enforcement.h ItemTable). Pure; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(assessment::Period p, assessment::ParsePeriod("2026-Q4"));
//   double s = assessment::SubScore({"on_time_rate", 40, 1.0, 0.8}, 0.9);  // 50
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "domain/court_enforcement.h"

namespace xietong::domain {

namespace assessment {

// Which way is good: a higher value (on-time rate, trainings held), a lower one (late duties,
// circulars), or neither (referrals sent: shown, not scored by default).
enum class Better : int { kHigh = 1, kLow = 2, kNone = 3 };
std::string_view BetterName(Better b);  // "high" | "low" | "none"

// One indicator: its id, group (one sheet of the export), the rule it counts for, labels, whether
// its value is a rate in [0, 1] (null when nothing was due) or a count, and which way is good.
struct Indicator {
  std::string_view id;
  std::string_view group;
  std::string_view rule;
  std::string_view label_zh;
  std::string_view label_en;
  bool rate = false;
  Better better = Better::kNone;
  std::string_view explain_zh;  // how it is counted (the org page says why)
};
const std::vector<Indicator>& Indicators();
const Indicator* FindIndicator(std::string_view id);  // nullptr when unknown

struct Group {
  std::string_view id;
  std::string_view label_zh;
};
const std::vector<Group>& Groups();  // duties, referrals, supervision

// An assessment period: its label and its Shanghai days, `from` and `to` inclusive.
struct Period {
  std::string label;  // "2026-11", "2026-Q4", "2026" or "2026-11-01~2026-11-30"
  core::CivilDay from{}, to{};
  core::Instant Begin() const { return core::ShanghaiMidnight(from); }
  core::Instant End() const;  // 00:00 of the day after `to` (exclusive)
  int Year() const;
};
// "YYYY-MM", "YYYY-Qn" or "YYYY"; invalid_argument "period" (rule R-ASM-1) otherwise.
core::Result<Period> ParsePeriod(std::string_view s);
// Two YYYY-MM-DD days, from <= to, at most 366 days apart; invalid_argument "from"/"to".
core::Result<Period> RangePeriod(std::string_view from, std::string_view to);
Period MonthPeriod(int year, int month);

// One chosen indicator of a scheme: its weight (> 0) and thresholds: `good` earns 100 points,
// `bad` earns 0, linear between (either direction), clamped. A rate with nothing due earns 100.
struct SchemeItem {
  std::string id;
  double weight = 0;
  double good = 0;
  double bad = 0;
};
struct Scheme {
  int year = 0;
  int version = 0;  // 0: the built-in default (never saved)
  std::vector<SchemeItem> items;
};
Scheme DefaultScheme(int year);
// Checks a scheme: known indicators, each at most once, weight in (0, 1000], good != bad, rates'
// thresholds in [0, 1], counts' >= 0, 1..30 items. invalid_argument naming "indicators[i].…".
core::Status ValidateScheme(const Scheme& s);
double SubScore(const SchemeItem& item, std::optional<double> value);  // 0..100
// The item is failing (red): its value is at or beyond `bad`.
bool Failing(const SchemeItem& item, std::optional<double> value);

}  // namespace assessment

namespace circular_state {
inline constexpr int kIssued = 1;  // 已印发
}
namespace accountability_state {
inline constexpr int kRecorded = 1;  // 已记录
}
// THE tables (R-ASM-2): create (coordinator staff; issues 评 / 责) → issued / recorded.
const ItemTable& CircularTable();
const ItemTable& AccountabilityTable();

}  // namespace xietong::domain
