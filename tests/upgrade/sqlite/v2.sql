-- xietong sqlite database at schema version 2: migrations 1..2 applied to an empty
-- database and dumped, then the sample rows. Made by scripts/make-upgrade-dumps; do not edit.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE orgs (
  id          INTEGER PRIMARY KEY,
  code        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  short_name  TEXT    NOT NULL,
  kind        INTEGER NOT NULL,          -- domain::OrgKind
  parent_id   INTEGER REFERENCES orgs(id),
  active      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
, doc_prefix TEXT NOT NULL DEFAULT '');
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
CREATE TABLE sessions (
  token_hash    TEXT    PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  csrf_token    TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  name          TEXT    NOT NULL,
  token_hash    TEXT    NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  last_used_at  INTEGER
);
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
CREATE TABLE job_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE matters (
  id                       INTEGER PRIMARY KEY,
  code                     TEXT    NOT NULL UNIQUE,
  name                     TEXT    NOT NULL,
  legal_basis              TEXT    NOT NULL,
  owner_org_id             INTEGER NOT NULL REFERENCES orgs(id),
  statutory_referral_days  INTEGER                -- R-REF-4; NULL = the default 3 working days
);
CREATE TABLE matter_delegations (
  matter_id        INTEGER NOT NULL REFERENCES matters(id),
  township_org_id  INTEGER NOT NULL REFERENCES orgs(id),
  from_day         TEXT    NOT NULL,
  to_day           TEXT,                  -- NULL = in force
  PRIMARY KEY (matter_id, township_org_id, from_day)
) WITHOUT ROWID;
CREATE TABLE files (
  sha256        TEXT    PRIMARY KEY,
  size          INTEGER NOT NULL,
  content_type  TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  bytes         BLOB    NOT NULL
);
CREATE TABLE file_refs (
  id           INTEGER PRIMARY KEY,
  sha256       TEXT    NOT NULL REFERENCES files(sha256),
  org_id       INTEGER NOT NULL REFERENCES orgs(id),
  name         TEXT    NOT NULL,
  uploaded_by  INTEGER NOT NULL REFERENCES users(id),
  uploaded_at  INTEGER NOT NULL
);
CREATE TABLE idempotency_keys (
  user_id       INTEGER NOT NULL,
  key           TEXT    NOT NULL,
  method        TEXT    NOT NULL,
  route         TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  status        INTEGER NOT NULL,
  content_type  TEXT    NOT NULL,
  body          BLOB    NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES(1,1764032400000);
INSERT INTO schema_migrations VALUES(2,1764032400000);
CREATE INDEX orgs_kind ON orgs(kind);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_unit ON users(unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX audit_object ON audit(object_type, object_id);
CREATE INDEX audit_actor_org ON audit(actor_org_id) WHERE actor_org_id IS NOT NULL;
CREATE INDEX duties_yellow_due ON duties(yellow_at) WHERE state = 1 AND notified_level < 1;
CREATE INDEX duties_red_due ON duties(due_at) WHERE state = 1 AND notified_level < 2;
CREATE INDEX duties_owner ON duties(owner_org_id, state, due_at);
CREATE INDEX duties_object ON duties(object_type, object_id);
CREATE INDEX duties_due ON duties(due_at);
CREATE INDEX duties_created_by ON duties(created_by, due_at) WHERE created_by IS NOT NULL;
CREATE INDEX duties_provisional ON duties(id) WHERE provisional = 1 AND state IN (1, 4);
CREATE INDEX duty_events_duty ON duty_events(duty_id);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;
CREATE INDEX matters_owner ON matters(owner_org_id, code);
CREATE INDEX matter_delegations_township ON matter_delegations(township_org_id, matter_id);
CREATE INDEX file_refs_sha ON file_refs(sha256, org_id);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
-- xietong sample data (valid at every version)
INSERT INTO orgs (id, code, name, short_name, kind, parent_id, active, created_at) VALUES ('1', 'coordinator', '中共新兴县委全面依法治县委员会办公室', '县委依法治县办', '1', NULL, '1', '1796692161355');
INSERT INTO users (id, username, display_name, org_id, unit_id, roles, password_hash, disabled, failed_logins, locked_until, created_at) VALUES ('1', 'admin', '陈志强', '1', NULL, '64', '$argon2id$v=19$m=65536,t=2,p=1$GocH3/APMdsPYPhlTNzTRQ$rFIpzozPvvx81Df2A2qEjulVL4coRTsmGvCV8c8ME5I', '0', '0', NULL, '1796692161603');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('1', '1796692161355', NULL, NULL, 'org.create', 'org', '1', '新建机构：中共新兴县委全面依法治县委员会办公室', '{"id":1,"code":"coordinator","name":"中共新兴县委全面依法治县委员会办公室","short_name":"县委依法治县办","kind":"coordinator","kind_label":"县委依法治县办","parent_id":null,"active":true,"doc_prefix":"新法治办"}', '19094bdb23d883f7b43fa2d41338eef41fd639d8de477e72df4e4aecd8098f1e', '0000000000000000000000000000000000000000000000000000000000000000', 'd0d20de63b26935b81157cca853a5135e8602c339f84c77dd598b32499e6fd26');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('2', '1796692161505', NULL, NULL, 'org.create', 'org', '2', '新建机构：新兴县人民政府', '{"id":2,"code":"government","name":"新兴县人民政府","short_name":"县人民政府","kind":"government","kind_label":"县人民政府","parent_id":null,"active":true,"doc_prefix":"新府"}', '9864fe38cb58fc0d518af9fabdabe31bce5d0e2238499690ce174bc140292e1f', 'd0d20de63b26935b81157cca853a5135e8602c339f84c77dd598b32499e6fd26', '6950763c5959687f3b3667486746c414e3883da9ee7747e6e143fc48ca02f3b7');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('3', '1796692161537', NULL, NULL, 'org.create', 'org', '3', '新建机构：新城镇综合行政执法办公室', '{"id":3,"code":"xincheng","name":"新城镇综合行政执法办公室","short_name":"新城镇","kind":"township","kind_label":"乡镇综合行政执法部门","parent_id":null,"active":true,"doc_prefix":"新城执"}', 'e68dd5a2c7b5c1843999e2278499ea9fa134f8a1d59ced36402648435d894095', '6950763c5959687f3b3667486746c414e3883da9ee7747e6e143fc48ca02f3b7', '48f4562d8792e7bb2fef10f33808eef2ca1c52e6513e81ec5ac63177247a0696');
COMMIT;
