// SQL text shared by the PostgreSQL Tx and its tests (the EXPLAIN checks run exactly these
// statements). Internal to storage/postgres.
#pragma once

namespace xietong::storage::postgres {

// Column lists, in the order the row readers in pg_tx.cc expect.
#define XT_PG_ORG_COLS "id, code, name, short_name, kind, parent_id, active, created_at, doc_prefix, " \
  "region_code"
#define XT_PG_USER_COLS                                                                    \
  "id, username, display_name, org_id, unit_id, roles, password_hash, disabled, failed_logins, " \
  "locked_until, created_at, region_code"
#define XT_PG_SESSION_COLS "token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at"
#define XT_PG_TOKEN_COLS "id, user_id, name, token_hash, created_at, revoked_at, last_used_at"
#define XT_PG_AUDIT_COLS                                                                   \
  "seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, " \
  "detail_digest, prev_hash, hash"
#define XT_PG_DUTY_COLS                                                                     \
  "id, kind, rule, owner_org_id, object_type, object_id, title, trigger_at, unit, period, " \
  "due_at, yellow_at, calendar_version, provisional, state, met_at, on_time, "              \
  "late_working_days, state_reason, notified_level, created_at, created_by"
#define XT_PG_EVENT_COLS "id, duty_id, at, actor_user_id, kind, reason, old_due, new_due"
#define XT_PG_NOTIFICATION_COLS                                                         \
  "id, user_id, kind, title, body, object_type, object_id, COALESCE(dedupe_key, ''), " \
  "created_at, read_at"
#define XT_PG_MATTER_COLS "id, code, name, legal_basis, owner_org_id, statutory_referral_days"
#define XT_PG_IDEMPOTENCY_COLS                                                            \
  "user_id, key, method, route, request_hash, status, content_type, body, created_at"

// Sweeper queries (R-TIME-4). Their WHERE clauses repeat the partial indexes' conditions
// literally (duties_yellow_due, duties_red_due) so the planner can use them. $1 = now,
// $2 = limit. The *Lock variants run in write transactions: FOR UPDATE SKIP LOCKED makes two
// sweepers (two server instances on one database) take disjoint sets of duties — a duty another
// transaction has locked is left for that transaction (or the next sweep).
#define XT_PG_YELLOW_SQL                                    \
  "SELECT " XT_PG_DUTY_COLS                                 \
  " FROM duties WHERE state = 1 AND notified_level < 1 AND yellow_at <= $1" \
  " ORDER BY yellow_at, id LIMIT $2"
#define XT_PG_RED_SQL                                       \
  "SELECT " XT_PG_DUTY_COLS                                 \
  " FROM duties WHERE state = 1 AND notified_level < 2 AND due_at <= $1" \
  " ORDER BY due_at, id LIMIT $2"
inline constexpr char kDutiesTurnedYellowSql[] = XT_PG_YELLOW_SQL;
inline constexpr char kDutiesTurnedRedSql[] = XT_PG_RED_SQL;
inline constexpr char kDutiesTurnedYellowLockSql[] = XT_PG_YELLOW_SQL " FOR UPDATE SKIP LOCKED";
inline constexpr char kDutiesTurnedRedLockSql[] = XT_PG_RED_SQL " FOR UPDATE SKIP LOCKED";
// Served by duties_provisional.
inline constexpr char kProvisionalOpenDutiesSql[] =
    "SELECT " XT_PG_DUTY_COLS " FROM duties WHERE provisional AND state IN (1, 4) ORDER BY id";

}  // namespace xietong::storage::postgres
