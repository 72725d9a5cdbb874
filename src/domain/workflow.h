// The workflow engine's pure half: a workflow is a declared transition table, and ONE generic
// decider reads it (STYLE.md "Workflows: one engine, one table each").
//
// A row says, for one (action, from-state): the next state, who may act, the extra guard the
// service checks, and the step's effects on duties and documents:
//   - `meet`: duty kinds the step fulfils. The service runner meets every pending duty of these
//     kinds on the object; no other act meets them (a duty belongs to its workflow).
//   - `meet_one`: duty kinds of which the handler meets one chosen duty (one decision of many).
//   - `waive`: duty kinds the step makes moot (`kAllDuties` waives every pending duty).
//   - `open`: duty kinds the step may open; the runner refuses any other kind. A step that opens
//     a kind may first waive the pending duty of that kind (a recomputed period).
//   - `document`: the numbered document the step issues (R-DOC-1); the runner refuses a step
//     that issues another kind, or none, or two.
//   - `copy_document`: a second numbered document the same step issues to another addressee
//     (R-CRI-1a: the transfer letter to the police and its notice to the procuratorate leave
//     together); when declared, the step issues exactly `document` and `copy_document`, once each.
// The table of referrals (domain/referral.cc) reads, for the leader's approval:
//
//   {A::kApprove, S::kSubmitted, S::kSent, W::kSenderLeader, G::kNone,
//    {.meet = {kSend, kSendUrgent, kOngoingNotice}, .open = {kAcceptNotice},
//     .document = DocKind::kReferralLetter}},
//
// Pure value types and constexpr data; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/doc_number.h"

namespace xietong::domain::workflow {

inline constexpr size_t kMaxKinds = 4;
using DutyKinds = std::array<std::string_view, kMaxKinds>;
// In `waive`: every pending duty of the object.
inline constexpr std::string_view kAllDuties = "*";

// What a step does to duties and documents besides changing the state.
struct Effects {
  DutyKinds meet{};
  DutyKinds meet_one{};  // kinds the handler meets one chosen duty of (a meeting decision)
  DutyKinds waive{};
  DutyKinds open{};
  std::optional<DocKind> document;
  std::optional<DocKind> copy_document;  // a second document of the same step (needs `document`)

  static constexpr bool Has(const DutyKinds& ks, std::string_view kind) {
    for (std::string_view k : ks)
      if (!k.empty() && (k == kind || k == kAllDuties)) return true;
    return false;
  }
  constexpr bool Meets(std::string_view kind) const { return Has(meet, kind); }
  constexpr bool Waives(std::string_view kind) const { return Has(waive, kind); }
  constexpr bool Opens(std::string_view kind) const { return Has(open, kind); }
};

// A state (or kind …) with its API name and Chinese label: the vocabulary of a workflow, looked up
// by the helpers below instead of one loop per enum.
template <class T>
struct Named {
  T value;
  std::string_view name;  // "sent" (API, CSV, audit)
  std::string_view zh;    // 已移送
};
template <class T>
std::string_view NameOf(std::span<const Named<T>> rows, T v) {
  for (const auto& r : rows)
    if (r.value == v) return r.name;
  return "unknown";
}
template <class T>
std::string_view LabelOf(std::span<const Named<T>> rows, T v) {
  for (const auto& r : rows)
    if (r.value == v) return r.zh;
  return "未知";
}
template <class T>
std::optional<T> ParseName(std::span<const Named<T>> rows, std::string_view name) {
  for (const auto& r : rows)
    if (r.name == name) return r.value;
  return std::nullopt;
}

// One row of a workflow's table. `Action` may be an enum or a string_view (the API path segment).
template <class State, class Action, class Who, class Guard>
struct Transition {
  Action action;
  State from;
  State to;
  Who who;
  Guard guard{};
  Effects fx{};
};

// How the decider names things in its messages, for one workflow.
//   action_zh(a), action_en(a), rule(a) → std::string_view; state_zh(s), state_en(s);
//   who_zh(w); noun_en: "referral".
template <class Row>
struct Wording {
  std::string_view (*action_zh)(decltype(Row::action));
  std::string_view (*action_en)(decltype(Row::action));
  std::string_view (*rule)(decltype(Row::action));
  std::string_view (*state_zh)(decltype(Row::from));
  std::string_view (*state_en)(decltype(Row::from));
  std::string_view (*who_zh)(decltype(Row::who));
  std::string_view noun_en;
};

// The row for (action, from), or nullptr.
template <class Row>
const Row* Find(std::span<const Row> table, decltype(Row::action) action, decltype(Row::from) from) {
  for (const auto& t : table)
    if (t.action == action && t.from == from) return &t;
  return nullptr;
}

// Decides a step for `actor` (anything with `bool Is(Who) const`):
//  - permission_denied with the action's rule when the actor may not take the row leaving
//    `from`, or may not take this action from any state ("仅…可以…", naming who may);
//  - failed_precondition "illegal_transition", field "state", naming the current state, when no
//    row leaves `from` by `action`.
// The guard of the returned row and its effects are the service runner's to apply.
template <class Row, class Actor>
core::Result<const Row*> Decide(std::span<const Row> table, const Wording<Row>& w,
                                decltype(Row::action) action, decltype(Row::from) from,
                                const Actor& actor) {
  const std::string action_zh(w.action_zh(action));
  const std::string action_en(w.action_en(action));
  const std::string rule(w.rule(action));
  const std::string noun(w.noun_en);
  const Row* row = Find<Row>(table, action, from);
  bool anywhere = false;
  std::string who_zh;
  for (const auto& t : table) {
    if (t.action != action) continue;
    if (actor.Is(t.who)) anywhere = true;
    std::string_view label = w.who_zh(t.who);
    if (who_zh.find(label) == std::string::npos) {
      if (!who_zh.empty()) who_zh += "或";
      who_zh += label;
    }
  }
  if (row && !actor.Is(row->who)) {
    const std::string who(w.who_zh(row->who));
    return core::Status::Denied("仅" + who + "可以" + action_zh, rule)
        .En("Only " + who + " may " + action_en + " this " + noun);
  }
  if (!anywhere) {
    return core::Status::Denied("仅" + who_zh + "可以" + action_zh, rule)
        .En("You may not " + action_en + " this " + noun);
  }
  if (!row) {
    return core::Status::Precondition(
               "illegal_transition",
               "当前状态为「" + std::string(w.state_zh(from)) + "」，不能" + action_zh, rule,
               "state")
        .En("The " + noun + " is " + std::string(w.state_en(from)) + "; cannot " + action_en);
  }
  return row;
}

}  // namespace xietong::domain::workflow
