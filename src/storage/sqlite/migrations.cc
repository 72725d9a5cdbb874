// The SQLite schema. Conventions:
//  - instants are INTEGER milliseconds since the Unix epoch (UTC);
//  - persisted enums are their explicit integer values (domain/*.h), booleans 0/1;
//  - every filter and sort of a Tx method has an index; the sweeper's queries have partial
//    indexes whose WHERE clauses the queries in internal/queries.h repeat literally.
// Released migrations never change: append a new one instead.
#include "storage/sqlite/internal/migrations.h"

namespace xietong::storage::sqlite {

namespace {

constexpr char kV1Schema[] = R"sql(
CREATE TABLE orgs (
  id          INTEGER PRIMARY KEY,
  code        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  short_name  TEXT    NOT NULL,
  kind        INTEGER NOT NULL,          -- domain::OrgKind
  parent_id   INTEGER REFERENCES orgs(id),
  active      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX orgs_kind ON orgs(kind);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT    NOT NULL UNIQUE,
  display_name   TEXT    NOT NULL,
  org_id         INTEGER NOT NULL REFERENCES orgs(id),
  unit_id        INTEGER REFERENCES orgs(id),
  roles          INTEGER NOT NULL,       -- domain::RoleSet mask
  password_hash  TEXT    NOT NULL,
  disabled       INTEGER NOT NULL,
  failed_logins  INTEGER NOT NULL,
  locked_until   INTEGER,
  created_at     INTEGER NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_unit ON users(unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE sessions (
  token_hash    TEXT    PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  csrf_token    TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  name          TEXT    NOT NULL,
  token_hash    TEXT    NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  last_used_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- The audit trail (R-AUD-1). No foreign keys: entries outlive anything they mention.
CREATE TABLE audit (
  seq            INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  actor_user_id  INTEGER,
  actor_org_id   INTEGER,
  action         TEXT    NOT NULL,
  object_type    TEXT    NOT NULL,
  object_id      TEXT    NOT NULL,
  summary        TEXT    NOT NULL,
  detail         TEXT    NOT NULL,
  detail_digest  TEXT    NOT NULL,
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL
);
CREATE INDEX audit_object ON audit(object_type, object_id);
CREATE INDEX audit_actor_org ON audit(actor_org_id) WHERE actor_org_id IS NOT NULL;

CREATE TABLE calendar_years (
  year       INTEGER PRIMARY KEY,
  json       TEXT    NOT NULL,
  loaded_at  INTEGER NOT NULL,
  loaded_by  INTEGER REFERENCES users(id)
);

CREATE TABLE duties (
  id                 INTEGER PRIMARY KEY,
  kind               TEXT    NOT NULL,
  rule               TEXT    NOT NULL,
  owner_org_id       INTEGER NOT NULL REFERENCES orgs(id),
  object_type        TEXT    NOT NULL,
  object_id          TEXT    NOT NULL,
  title              TEXT    NOT NULL,
  trigger_at         INTEGER NOT NULL,
  unit               INTEGER NOT NULL,   -- domain::PeriodUnit
  period             INTEGER NOT NULL,
  due_at             INTEGER NOT NULL,
  yellow_at          INTEGER NOT NULL,
  calendar_version   TEXT    NOT NULL,
  provisional        INTEGER NOT NULL,
  state              INTEGER NOT NULL,   -- domain::DutyState (1 open, 2 met, 3 waived, 4 suspended)
  met_at             INTEGER,
  on_time            INTEGER,
  late_working_days  INTEGER,
  state_reason       TEXT    NOT NULL,
  notified_level     INTEGER NOT NULL,   -- 0 none, 1 yellow sent, 2 red sent
  created_at         INTEGER NOT NULL,
  created_by         INTEGER REFERENCES users(id)
);
-- Sweeper: open duties not yet warned yellow / red (DutiesTurnedYellow / DutiesTurnedRed).
CREATE INDEX duties_yellow_due ON duties(yellow_at) WHERE state = 1 AND notified_level < 1;
CREATE INDEX duties_red_due ON duties(due_at) WHERE state = 1 AND notified_level < 2;
-- Listing: an org's duties by state and deadline; the duties of one object; all by deadline.
CREATE INDEX duties_owner ON duties(owner_org_id, state, due_at);
CREATE INDEX duties_object ON duties(object_type, object_id);
CREATE INDEX duties_due ON duties(due_at);
CREATE INDEX duties_created_by ON duties(created_by, due_at) WHERE created_by IS NOT NULL;
-- Recomputation once a calendar year is loaded (ProvisionalOpenDuties).
CREATE INDEX duties_provisional ON duties(id) WHERE provisional = 1 AND state IN (1, 4);

CREATE TABLE duty_events (
  id             INTEGER PRIMARY KEY,
  duty_id        INTEGER NOT NULL REFERENCES duties(id),
  at             INTEGER NOT NULL,
  actor_user_id  INTEGER REFERENCES users(id),
  kind           TEXT    NOT NULL,
  reason         TEXT    NOT NULL,
  old_due        INTEGER,
  new_due        INTEGER
);
CREATE INDEX duty_events_duty ON duty_events(duty_id);

CREATE TABLE notifications (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  kind         TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  object_type  TEXT    NOT NULL,
  object_id    TEXT    NOT NULL,
  dedupe_key   TEXT,                     -- NULL when the caller gave none (never deduplicated)
  created_at   INTEGER NOT NULL,
  read_at      INTEGER,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

CREATE TABLE job_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;
)sql";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", kV1Schema},
  };
  return kMigrations;
}

}  // namespace xietong::storage::sqlite
