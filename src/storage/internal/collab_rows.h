// Column lists, row readers and bind tuples for collaborations (schema v4), shared by the SQLite
// and PostgreSQL backends (each keeps its own SQL text; only the column order lives here).
// Internal to storage. A Row adapter has Int/Text/Bool/Time/OptInt/OptTime/IsNull(col).
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "domain/collaboration.h"

namespace xietong::storage::internal {

#define XT_COLLAB_SET_COLS                                                                     \
  "number, state, kind, from_org_id, to_org_id, title, questions, case_ref, referral_id, "       \
  "urgent, evidence_at_risk, complex, dispatch_staff, dispatch_sent_at, dispatch_arrived_at, "   \
  "dispatch_note, dispatch_duty_id, created_by, created_at, updated_at, submitted_at, sent_at, " \
  "received_at, answered_at, closed_at, withdraw_reason, return_reason"
#define XT_COLLAB_COLS "id, " XT_COLLAB_SET_COLS
inline constexpr int kCollabSetCols = 27;

#define XT_COLLAB_MATERIAL_COLS                                                  \
  "collaboration_id, pos, name, description, file_id, file_name, file_size, " \
  "file_content_type"
inline constexpr int kCollabMaterialCols = 8;
#define XT_COLLAB_ROUND_COLS                                                                    \
  "collaboration_id, n, questions, asked_at, duty_id, has_answer, conclusion, answer_text, "    \
  "file_id, file_name, file_size, file_content_type, drafted_by, drafted_at, answered_at, "     \
  "approved_by, document_id"
inline constexpr int kCollabRoundCols = 17;
#define XT_COLLAB_EXTENSION_COLS \
  "collaboration_id, pos, reason, old_due, new_due, requested_by, approved_by, at"
inline constexpr int kCollabExtensionCols = 8;

inline std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += '\n';
    out += v[i];
  }
  return out;
}
inline std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Every column but id, in XT_COLLAB_SET_COLS order.
inline auto CollabValues(const domain::Collaboration& c) {
  std::optional<std::string> staff;
  std::optional<core::Instant> sent, arrived;
  std::string note;
  if (c.dispatch) {
    staff = JoinLines(c.dispatch->staff);
    sent = c.dispatch->sent_at;
    arrived = c.dispatch->arrived_at;
    note = c.dispatch->note;
  }
  return std::make_tuple(c.number, static_cast<int>(c.state), static_cast<int>(c.kind),
                         c.from_org_id, c.to_org_id, c.title, c.questions, c.case_ref,
                         c.referral_id, c.urgent, c.evidence_at_risk, c.complex, staff, sent,
                         arrived, note, c.dispatch_duty_id, c.created_by, c.created_at,
                         c.updated_at, c.submitted_at, c.sent_at, c.received_at, c.answered_at,
                         c.closed_at, c.withdraw_reason, c.return_reason);
}

template <typename Row>
domain::Collaboration ReadCollab(const Row& r) {
  domain::Collaboration c;
  int i = 0;
  c.id = r.Int(i++);
  if (!r.IsNull(i)) c.number = r.Text(i);
  ++i;
  c.state = static_cast<domain::CollabState>(r.Int(i++));
  c.kind = static_cast<domain::CollabKind>(r.Int(i++));
  c.from_org_id = r.Int(i++);
  c.to_org_id = r.Int(i++);
  c.title = r.Text(i++);
  c.questions = r.Text(i++);
  c.case_ref = r.Text(i++);
  c.referral_id = r.OptInt(i++);
  c.urgent = r.Bool(i++);
  c.evidence_at_risk = r.Bool(i++);
  c.complex = r.Bool(i++);
  const bool has_dispatch = !r.IsNull(i);
  std::string staff = has_dispatch ? r.Text(i) : std::string();
  ++i;
  std::optional<core::Instant> sent = r.OptTime(i++);
  std::optional<core::Instant> arrived = r.OptTime(i++);
  std::string note = r.Text(i++);
  if (has_dispatch) {
    c.dispatch = domain::CollabDispatch{SplitLines(staff), sent.value_or(core::Instant{}),
                                        arrived, std::move(note)};
  }
  c.dispatch_duty_id = r.OptInt(i++);
  c.created_by = r.Int(i++);
  c.created_at = r.Time(i++);
  c.updated_at = r.Time(i++);
  c.submitted_at = r.OptTime(i++);
  c.sent_at = r.OptTime(i++);
  c.received_at = r.OptTime(i++);
  c.answered_at = r.OptTime(i++);
  c.closed_at = r.OptTime(i++);
  c.withdraw_reason = r.Text(i++);
  c.return_reason = r.Text(i++);
  return c;
}

inline auto MaterialValues(domain::Id cid, size_t pos, const domain::CollabMaterial& m) {
  std::optional<std::string> file_id;
  if (m.file) file_id = m.file->id;
  return std::make_tuple(cid, static_cast<int64_t>(pos), m.name, m.description, file_id,
                         m.file ? m.file->name : std::string(), m.file ? m.file->size : int64_t{0},
                         m.file ? m.file->content_type : std::string());
}

// Reads a file group (id, name, size, content type) from column `i`.
template <typename Row>
std::optional<domain::CollabFile> ReadCollabFile(const Row& r, int i) {
  if (r.IsNull(i)) return std::nullopt;
  return domain::CollabFile{r.Text(i), r.Text(i + 1), r.Int(i + 2), r.Text(i + 3)};
}

template <typename Row>
domain::CollabMaterial ReadMaterial(const Row& r) {  // columns from "name"
  return domain::CollabMaterial{r.Text(2), r.Text(3), ReadCollabFile(r, 4)};
}

inline auto RoundValues(domain::Id cid, const domain::CollabRound& rd) {
  const domain::CollabAnswer none;
  const domain::CollabAnswer& a = rd.answer ? *rd.answer : none;
  std::optional<std::string> file_id;
  if (a.file) file_id = a.file->id;
  std::optional<domain::Id> drafted_by;
  std::optional<core::Instant> drafted_at;
  if (rd.answer) {
    drafted_by = a.drafted_by;
    drafted_at = a.drafted_at;
  }
  return std::make_tuple(cid, static_cast<int64_t>(rd.n), rd.questions, rd.asked_at, rd.duty_id,
                         rd.answer.has_value(), a.conclusion, a.text, file_id,
                         a.file ? a.file->name : std::string(), a.file ? a.file->size : int64_t{0},
                         a.file ? a.file->content_type : std::string(), drafted_by, drafted_at,
                         a.answered_at, a.approved_by, a.document_id);
}

template <typename Row>
domain::CollabRound ReadRound(const Row& r) {
  domain::CollabRound rd;
  rd.n = static_cast<int>(r.Int(1));
  rd.questions = r.Text(2);
  rd.asked_at = r.Time(3);
  rd.duty_id = r.OptInt(4);
  if (r.Bool(5)) {
    domain::CollabAnswer a;
    a.conclusion = r.Text(6);
    a.text = r.Text(7);
    a.file = ReadCollabFile(r, 8);
    a.drafted_by = r.OptInt(12).value_or(0);
    a.drafted_at = r.OptTime(13).value_or(core::Instant{});
    a.answered_at = r.OptTime(14);
    a.approved_by = r.OptInt(15);
    a.document_id = r.OptInt(16);
    rd.answer = std::move(a);
  }
  return rd;
}

inline auto ExtensionValues(domain::Id cid, size_t pos, const domain::CollabExtension& e) {
  return std::make_tuple(cid, static_cast<int64_t>(pos), e.reason, e.old_due, e.new_due,
                         e.requested_by, e.approved_by, e.at);
}

template <typename Row>
domain::CollabExtension ReadExtension(const Row& r) {
  return domain::CollabExtension{r.Text(2), r.Time(3), r.Time(4), r.Int(5), r.Int(6), r.Time(7)};
}

// "?,?,?" with n marks.
inline std::string Marks(int n) {
  std::string s = "?";
  for (int i = 1; i < n; ++i) s += ",?";
  return s;
}

}  // namespace xietong::storage::internal
