// Instants and civil days.
//
// An Instant is a point in time, UTC, millisecond precision; stored as int64 milliseconds since
// the Unix epoch. A CivilDay is a date in Asia/Shanghai (UTC+8, no daylight saving since 1991),
// stored as days since 1970-01-01. Keep the two apart (R-TIME-1 counts days, R-TIME-2 counts
// hours). Pure value helpers; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xietong::core {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
using CivilDay = std::chrono::sys_days;  // a calendar date; meaning: the Shanghai civil date

inline constexpr std::chrono::hours kShanghaiOffset{8};

inline int64_t ToMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromMillis(int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

// The Shanghai civil date that contains `t`.
CivilDay ShanghaiDay(Instant t);
// 00:00 Shanghai time of `day`, as an instant.
Instant ShanghaiMidnight(CivilDay day);

// "2026-11-25"
std::string FormatDay(CivilDay day);
// Parses "YYYY-MM-DD" (a real date); nullopt otherwise.
std::optional<CivilDay> ParseDay(std::string_view s);
// RFC 3339 in Shanghai time: "2026-11-25T09:30:00+08:00" (milliseconds shown when non-zero).
std::string FormatInstant(Instant t);
// Parses RFC 3339 with 'Z' or a ±hh:mm offset, optional fraction; nullopt otherwise.
std::optional<Instant> ParseInstant(std::string_view s);

}  // namespace xietong::core
