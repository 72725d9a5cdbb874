// SQL text shared by the SQLite Tx and its tests (the EXPLAIN QUERY PLAN checks run exactly
// these statements). Internal to storage/sqlite.
#pragma once

namespace xietong::storage::sqlite {

// Column lists, in the order the row readers in sqlite_tx.cc expect.
#define XT_SQL_ORG_COLS \
  "id, code, name, short_name, kind, parent_id, active, created_at, doc_prefix, " \
  "region_code"
#define XT_SQL_USER_COLS                                                                   \
  "id, username, display_name, org_id, unit_id, roles, password_hash, disabled, failed_logins, " \
  "locked_until, created_at, region_code"
#define XT_SQL_SESSION_COLS "token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at"
#define XT_SQL_TOKEN_COLS "id, user_id, name, token_hash, created_at, revoked_at, last_used_at"
#define XT_SQL_AUDIT_COLS                                                                  \
  "seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, " \
  "detail_digest, prev_hash, hash"
#define XT_SQL_DUTY_COLS                                                                    \
  "id, kind, rule, owner_org_id, object_type, object_id, title, trigger_at, unit, period, " \
  "due_at, yellow_at, calendar_version, provisional, state, met_at, on_time, "              \
  "late_working_days, state_reason, notified_level, created_at, created_by"
#define XT_SQL_EVENT_COLS "id, duty_id, at, actor_user_id, kind, reason, old_due, new_due"
#define XT_SQL_NOTIFICATION_COLS                                                        \
  "id, user_id, kind, title, body, object_type, object_id, COALESCE(dedupe_key, ''), " \
  "created_at, read_at"

// Sweeper queries (R-TIME-4). Their WHERE clauses repeat the partial indexes' conditions
// literally (duties_yellow_due, duties_red_due) so SQLite can use them. ?1 = now, ?2 = limit.
inline constexpr char kDutiesTurnedYellowSql[] =
    "SELECT " XT_SQL_DUTY_COLS
    " FROM duties WHERE state = 1 AND notified_level < 1 AND yellow_at <= ?1"
    " ORDER BY yellow_at, id LIMIT ?2";
inline constexpr char kDutiesTurnedRedSql[] =
    "SELECT " XT_SQL_DUTY_COLS
    " FROM duties WHERE state = 1 AND notified_level < 2 AND due_at <= ?1"
    " ORDER BY due_at, id LIMIT ?2";
// Served by duties_provisional.
inline constexpr char kProvisionalOpenDutiesSql[] =
    "SELECT " XT_SQL_DUTY_COLS
    " FROM duties WHERE provisional = 1 AND state IN (1, 4) ORDER BY id";

}  // namespace xietong::storage::sqlite
