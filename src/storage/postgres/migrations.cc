// The PostgreSQL schema. Conventions (the same data model as storage/sqlite, in PostgreSQL's
// own types):
//  - instants are BIGINT milliseconds since the Unix epoch (UTC); civil days are BIGINT days
//    since 1970-01-01;
//  - ids are BIGSERIAL; persisted enums are their explicit integer values (domain/*.h); flags
//    are BOOLEAN;
//  - unique constraints are named "<table>_<column>_key" (PostgreSQL's default for one column;
//    multi-column keys are named after the column an error should report), because the Tx maps
//    a violation to kAlreadyExists with that column as the field (internal/pg.h UniqueField);
//  - every filter and sort of a Tx method has an index; the sweeper's queries have partial
//    indexes whose WHERE clauses the queries in internal/queries.h repeat literally.
// Released migrations never change: append a new one instead.
#include "storage/postgres/internal/migrations.h"

namespace xietong::storage::postgres {

namespace {

constexpr char kV1Schema[] = R"sql(
CREATE TABLE orgs (
  id          BIGSERIAL PRIMARY KEY,
  code        TEXT     NOT NULL CONSTRAINT orgs_code_key UNIQUE,
  name        TEXT     NOT NULL,
  short_name  TEXT     NOT NULL,
  kind        INTEGER  NOT NULL,          -- domain::OrgKind
  parent_id   BIGINT   REFERENCES orgs(id),
  active      BOOLEAN  NOT NULL,
  created_at  BIGINT   NOT NULL
);
CREATE INDEX orgs_kind ON orgs(kind, id);

CREATE TABLE users (
  id             BIGSERIAL PRIMARY KEY,
  username       TEXT     NOT NULL CONSTRAINT users_username_key UNIQUE,
  display_name   TEXT     NOT NULL,
  org_id         BIGINT   NOT NULL REFERENCES orgs(id),
  unit_id        BIGINT   REFERENCES orgs(id),
  roles          BIGINT   NOT NULL,       -- domain::RoleSet mask
  password_hash  TEXT     NOT NULL,
  disabled       BOOLEAN  NOT NULL,
  failed_logins  INTEGER  NOT NULL,
  locked_until   BIGINT,
  created_at     BIGINT   NOT NULL
);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_unit ON users(unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE sessions (
  token_hash    TEXT     CONSTRAINT sessions_token_hash_key PRIMARY KEY,
  user_id       BIGINT   NOT NULL REFERENCES users(id),
  csrf_token    TEXT     NOT NULL,
  created_at    BIGINT   NOT NULL,
  expires_at    BIGINT   NOT NULL,
  last_seen_at  BIGINT   NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id            BIGSERIAL PRIMARY KEY,
  user_id       BIGINT   NOT NULL REFERENCES users(id),
  name          TEXT     NOT NULL,
  token_hash    TEXT     NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
  created_at    BIGINT   NOT NULL,
  revoked_at    BIGINT,
  last_used_at  BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- The audit trail (R-AUD-1). No foreign keys: entries outlive anything they mention. seq is
-- assigned by AppendAudit from the chain head under an advisory lock (no sequence: a rolled
-- back append must not leave a gap).
CREATE TABLE audit (
  seq            BIGINT   CONSTRAINT audit_seq_key PRIMARY KEY,
  at             BIGINT   NOT NULL,
  actor_user_id  BIGINT,
  actor_org_id   BIGINT,
  action         TEXT     NOT NULL,
  object_type    TEXT     NOT NULL,
  object_id      TEXT     NOT NULL,
  summary        TEXT     NOT NULL,
  detail         TEXT     NOT NULL,
  detail_digest  TEXT     NOT NULL,
  prev_hash      TEXT     NOT NULL,
  hash           TEXT     NOT NULL
);
CREATE INDEX audit_object ON audit(object_type, object_id, seq);
CREATE INDEX audit_actor_org ON audit(actor_org_id, seq) WHERE actor_org_id IS NOT NULL;

CREATE TABLE calendar_years (
  year       INTEGER  CONSTRAINT calendar_years_year_key PRIMARY KEY,
  json       TEXT     NOT NULL,
  loaded_at  BIGINT   NOT NULL,
  loaded_by  BIGINT   REFERENCES users(id)
);

CREATE TABLE duties (
  id                 BIGSERIAL PRIMARY KEY,
  kind               TEXT     NOT NULL,
  rule               TEXT     NOT NULL,
  owner_org_id       BIGINT   NOT NULL REFERENCES orgs(id),
  object_type        TEXT     NOT NULL,
  object_id          TEXT     NOT NULL,
  title              TEXT     NOT NULL,
  trigger_at         BIGINT   NOT NULL,
  unit               INTEGER  NOT NULL,   -- domain::PeriodUnit
  period             BIGINT   NOT NULL,
  due_at             BIGINT   NOT NULL,
  yellow_at          BIGINT   NOT NULL,
  calendar_version   TEXT     NOT NULL,
  provisional        BOOLEAN  NOT NULL,
  state              INTEGER  NOT NULL,   -- domain::DutyState (1 open, 2 met, 3 waived, 4 suspended)
  met_at             BIGINT,
  on_time            BOOLEAN,
  late_working_days  INTEGER,
  state_reason       TEXT     NOT NULL,
  notified_level     INTEGER  NOT NULL,   -- 0 none, 1 yellow sent, 2 red sent
  created_at         BIGINT   NOT NULL,
  created_by         BIGINT   REFERENCES users(id)
);
-- Sweeper: open duties not yet warned yellow / red (DutiesTurnedYellow / DutiesTurnedRed).
CREATE INDEX duties_yellow_due ON duties(yellow_at, id) WHERE state = 1 AND notified_level < 1;
CREATE INDEX duties_red_due ON duties(due_at, id) WHERE state = 1 AND notified_level < 2;
-- Listing: an org's duties by state and deadline; the duties of one object; all by deadline.
CREATE INDEX duties_owner ON duties(owner_org_id, state, due_at);
CREATE INDEX duties_object ON duties(object_type, object_id);
CREATE INDEX duties_due ON duties(due_at, id);
CREATE INDEX duties_created_by ON duties(created_by, due_at) WHERE created_by IS NOT NULL;
-- Recomputation once a calendar year is loaded (ProvisionalOpenDuties).
CREATE INDEX duties_provisional ON duties(id) WHERE provisional AND state IN (1, 4);

CREATE TABLE duty_events (
  id             BIGSERIAL PRIMARY KEY,
  duty_id        BIGINT   NOT NULL REFERENCES duties(id),
  at             BIGINT   NOT NULL,
  actor_user_id  BIGINT   REFERENCES users(id),
  kind           TEXT     NOT NULL,
  reason         TEXT     NOT NULL,
  old_due        BIGINT,
  new_due        BIGINT
);
CREATE INDEX duty_events_duty ON duty_events(duty_id, id);

CREATE TABLE notifications (
  id           BIGSERIAL PRIMARY KEY,
  user_id      BIGINT   NOT NULL REFERENCES users(id),
  kind         TEXT     NOT NULL,
  title        TEXT     NOT NULL,
  body         TEXT     NOT NULL,
  object_type  TEXT     NOT NULL,
  object_id    TEXT     NOT NULL,
  dedupe_key   TEXT,                      -- NULL when the caller gave none (never deduplicated)
  created_at   BIGINT   NOT NULL,
  read_at      BIGINT,
  CONSTRAINT notifications_dedupe_key_key UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

CREATE TABLE job_state (
  key    TEXT  CONSTRAINT job_state_key_key PRIMARY KEY,
  value  TEXT  NOT NULL
);
)sql";

// Matters and delegations (R-JUR-1, R-JUR-2), stored files, idempotency keys; orgs' document
// prefix.
constexpr char kV2Schema[] = R"sql(
ALTER TABLE orgs ADD COLUMN doc_prefix TEXT NOT NULL DEFAULT '';

CREATE TABLE matters (
  id                       BIGSERIAL PRIMARY KEY,
  code                     TEXT     NOT NULL CONSTRAINT matters_code_key UNIQUE,
  name                     TEXT     NOT NULL,
  legal_basis              TEXT     NOT NULL,
  owner_org_id             BIGINT   NOT NULL REFERENCES orgs(id),
  statutory_referral_days  INTEGER
);
CREATE INDEX matters_owner ON matters(owner_org_id);
CREATE INDEX matters_code_c ON matters(code COLLATE "C");

-- Never deleted (R-JUR-2); a withdrawn delegation keeps its period with an end day.
CREATE TABLE matter_delegations (
  matter_id        BIGINT   NOT NULL REFERENCES matters(id),
  township_org_id  BIGINT   NOT NULL REFERENCES orgs(id),
  from_day         BIGINT   NOT NULL,     -- days since 1970-01-01, inclusive
  to_day           BIGINT,                -- inclusive; NULL = still in force
  CONSTRAINT matter_delegations_from_key PRIMARY KEY (matter_id, township_org_id, from_day)
);
CREATE INDEX matter_delegations_township ON matter_delegations(township_org_id, matter_id);

-- Content-addressed file contents and who uploaded them under which name.
CREATE TABLE files (
  sha256        TEXT     CONSTRAINT files_sha256_key PRIMARY KEY,
  size          BIGINT   NOT NULL,
  content_type  TEXT     NOT NULL,
  created_at    BIGINT   NOT NULL,
  bytes         BYTEA    NOT NULL
);
CREATE TABLE file_refs (
  id           BIGSERIAL PRIMARY KEY,
  sha256       TEXT     NOT NULL REFERENCES files(sha256),
  org_id       BIGINT   NOT NULL REFERENCES orgs(id),
  name         TEXT     NOT NULL,
  uploaded_by  BIGINT   NOT NULL REFERENCES users(id),
  uploaded_at  BIGINT   NOT NULL
);
CREATE INDEX file_refs_sha256 ON file_refs(sha256, uploaded_at, id);

-- Stored responses of requests that carried an Idempotency-Key (status 0 = still running).
CREATE TABLE idempotency_keys (
  user_id       BIGINT   NOT NULL,
  key           TEXT     NOT NULL,
  method        TEXT     NOT NULL,
  route         TEXT     NOT NULL,
  request_hash  TEXT     NOT NULL,
  status        INTEGER  NOT NULL,
  content_type  TEXT     NOT NULL,
  body          BYTEA    NOT NULL,
  created_at    BIGINT   NOT NULL,
  CONSTRAINT idempotency_keys_key_key PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
)sql";


// Referrals (R-REF-1..8) with their evidence, issued documents (R-DOC-1) and document counters.
constexpr char kV3Schema[] = R"sql(
CREATE TABLE referrals (
  id                            BIGSERIAL PRIMARY KEY,
  number                        TEXT,               -- current 文号; NULL until approved
  state                         INTEGER  NOT NULL,  -- domain::ReferralState
  from_org_id                   BIGINT   NOT NULL REFERENCES orgs(id),
  to_org_id                     BIGINT   NOT NULL REFERENCES orgs(id),
  matter_id                     BIGINT   NOT NULL REFERENCES matters(id),
  matter_code                   TEXT     NOT NULL,
  matter_owner_org_id           BIGINT   NOT NULL REFERENCES orgs(id),
  township_org_id               BIGINT   NOT NULL REFERENCES orgs(id),
  place                         TEXT     NOT NULL,
  discovered_at                 BIGINT   NOT NULL,
  facts                         TEXT     NOT NULL,
  party_name                    TEXT     NOT NULL,
  party_id_type                 TEXT     NOT NULL,
  party_id_number               TEXT     NOT NULL,
  party_address                 TEXT     NOT NULL,
  party_phone                   TEXT     NOT NULL,
  legal_basis                   TEXT     NOT NULL,
  urgent                        BOOLEAN  NOT NULL,
  ongoing                       BOOLEAN  NOT NULL,
  dissuasion_at                 BIGINT,             -- NULL = no dissuasion recorded (R-REF-5)
  dissuasion_note               TEXT     NOT NULL,
  facts_clear                   BOOLEAN  NOT NULL,  -- R-REF-3 checklist
  evidence_complete             BOOLEAN  NOT NULL,
  procedure_lawful              BOOLEAN  NOT NULL,
  formalities_complete          BOOLEAN  NOT NULL,
  unit_id                       BIGINT   REFERENCES orgs(id),  -- R-REF-2
  unit_legal_basis              TEXT     NOT NULL,
  jurisdiction_override_reason  TEXT     NOT NULL,  -- R-JUR-1 override
  flagged_for_coordinator       BOOLEAN  NOT NULL,
  created_by                    BIGINT   NOT NULL REFERENCES users(id),
  created_at                    BIGINT   NOT NULL,
  updated_at                    BIGINT   NOT NULL,
  submitted_at                  BIGINT,
  sent_at                       BIGINT,
  received_at                   BIGINT,
  accepted_at                   BIGINT,
  closed_at                     BIGINT,
  accept_note                   TEXT     NOT NULL,
  decline_reason                TEXT     NOT NULL,
  return_reason                 TEXT     NOT NULL,
  result                        TEXT     NOT NULL,
  coord_requested_at            BIGINT,             -- NULL = never asked (R-REF-7)
  coord_reason                  TEXT     NOT NULL,
  coord_decision                TEXT     NOT NULL,
  coord_decided_at              BIGINT,
  coord_decided_by              BIGINT   REFERENCES users(id),
  coord_decision_reason         TEXT     NOT NULL
);
-- List filters (ReferralFilter): by sender / receiver with state, newest first; by matter,
-- township, send date; the default ordering.
CREATE INDEX referrals_from ON referrals(from_org_id, state, created_at);
CREATE INDEX referrals_to ON referrals(to_org_id, state, created_at);
CREATE INDEX referrals_owner ON referrals(matter_owner_org_id, created_at);
CREATE INDEX referrals_matter ON referrals(matter_code, created_at);
CREATE INDEX referrals_township ON referrals(township_org_id, created_at);
CREATE INDEX referrals_sent ON referrals(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX referrals_created ON referrals(created_at, id);
CREATE INDEX referrals_state ON referrals(state, created_at);

-- The text ReferralFilter::text searches: facts, place, party (name, id number), number, joined
-- by U+001F so that no match spans two fields.
CREATE FUNCTION referral_search_text(facts TEXT, place TEXT, party_name TEXT,
                                     party_id_number TEXT, number TEXT)
  RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN facts || E'\x1f' || place || E'\x1f' || party_name || E'\x1f' || party_id_number ||
         E'\x1f' || COALESCE(number, '');

-- A trigram index (pg_trgm) serves ILIKE '%text%' for 3+ characters. pg_trgm is a trusted
-- extension: created here when missing (in the current schema) if allowed; without it the search
-- scans, with the same results.
DO $do$
DECLARE
  s TEXT;
BEGIN
  SELECT extnamespace::regnamespace::text INTO s FROM pg_extension WHERE extname = 'pg_trgm';
  IF s IS NULL THEN
    BEGIN
      CREATE EXTENSION pg_trgm;
      SELECT extnamespace::regnamespace::text INTO s FROM pg_extension WHERE extname = 'pg_trgm';
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm unavailable (%): referral text search will scan', SQLERRM;
    END;
  END IF;
  IF s IS NOT NULL THEN
    EXECUTE format('CREATE INDEX referrals_text ON referrals USING gin '
                   '(referral_search_text(facts, place, party_name, party_id_number, number) '
                   '%s.gin_trgm_ops)', quote_ident(s));
  END IF;
END
$do$;

CREATE TABLE referral_evidence (
  referral_id        BIGINT   NOT NULL REFERENCES referrals(id),
  pos                INTEGER  NOT NULL,       -- order in the list, from 0
  name               TEXT     NOT NULL,
  description        TEXT     NOT NULL,
  file_id            TEXT     REFERENCES files(sha256),
  file_name          TEXT     NOT NULL,
  file_size          BIGINT   NOT NULL,
  file_content_type  TEXT     NOT NULL,
  CONSTRAINT referral_evidence_pos_key PRIMARY KEY (referral_id, pos)
);
-- Which referrals attach a file (file download access, R-ACC-1).
CREATE INDEX referral_evidence_file ON referral_evidence(file_id) WHERE file_id IS NOT NULL;

-- Issued documents (R-DOC-1): immutable snapshots with their numbers.
CREATE TABLE documents (
  id           BIGSERIAL PRIMARY KEY,
  kind         INTEGER  NOT NULL,            -- domain::DocKind
  number       TEXT     NOT NULL,
  org_id       BIGINT   NOT NULL REFERENCES orgs(id),
  year         INTEGER  NOT NULL,
  serial       BIGINT   NOT NULL,
  referral_id  BIGINT   REFERENCES referrals(id),
  title        TEXT     NOT NULL,
  snapshot     TEXT     NOT NULL,            -- canonical JSON
  created_at   BIGINT   NOT NULL,
  created_by   BIGINT   REFERENCES users(id),
  CONSTRAINT documents_number_key UNIQUE (org_id, kind, year, serial)
);
CREATE INDEX documents_referral ON documents(referral_id, id) WHERE referral_id IS NOT NULL;

-- Next serial per (org, year, kind): incremented inside the issuing transaction (gap-free: the
-- row stays locked until commit, a rollback gives the serial back).
CREATE TABLE doc_counters (
  org_id  BIGINT   NOT NULL REFERENCES orgs(id),
  year    INTEGER  NOT NULL,
  kind    INTEGER  NOT NULL,
  next    BIGINT   NOT NULL,
  CONSTRAINT doc_counters_kind_key PRIMARY KEY (org_id, year, kind)
);
)sql";

// Collaboration requests (R-COL-1..4): the request, its materials, its rounds (question and
// answer), its deadline extensions (R-COL-4) and the documents issued for it.
constexpr char kV4Schema[] = R"sql(
CREATE TABLE collaborations (
  id                   BIGSERIAL PRIMARY KEY,
  number               TEXT,                -- 文号 of the letter (协); NULL until approved
  state                INTEGER NOT NULL,    -- domain::CollabState
  kind                 INTEGER NOT NULL,    -- domain::CollabKind
  from_org_id          BIGINT  NOT NULL REFERENCES orgs(id),
  to_org_id            BIGINT  NOT NULL REFERENCES orgs(id),
  title                TEXT    NOT NULL,
  questions            TEXT    NOT NULL,
  case_ref             TEXT    NOT NULL,
  referral_id          BIGINT  REFERENCES referrals(id),
  urgent               BOOLEAN NOT NULL,
  evidence_at_risk     BOOLEAN NOT NULL,
  complex              BOOLEAN NOT NULL,
  dispatch_staff       TEXT,                -- names joined by newlines; NULL = no dispatch (R-COL-3)
  dispatch_sent_at     BIGINT,
  dispatch_arrived_at  BIGINT,
  dispatch_note        TEXT    NOT NULL,
  dispatch_duty_id     BIGINT  REFERENCES duties(id),
  created_by           BIGINT  NOT NULL REFERENCES users(id),
  created_at           BIGINT  NOT NULL,
  updated_at           BIGINT  NOT NULL,
  submitted_at         BIGINT,
  sent_at              BIGINT,
  received_at          BIGINT,
  answered_at          BIGINT,
  closed_at            BIGINT,
  withdraw_reason      TEXT    NOT NULL,
  return_reason        TEXT    NOT NULL
);
CREATE INDEX collaborations_from ON collaborations(from_org_id, state, created_at);
CREATE INDEX collaborations_to ON collaborations(to_org_id, state, created_at);
CREATE INDEX collaborations_created ON collaborations(created_at, id);
CREATE INDEX collaborations_state ON collaborations(state, created_at);

CREATE TABLE collaboration_materials (
  collaboration_id   BIGINT  NOT NULL REFERENCES collaborations(id),
  pos                INTEGER NOT NULL,
  name               TEXT    NOT NULL,
  description        TEXT    NOT NULL,
  file_id            TEXT    REFERENCES files(sha256),
  file_name          TEXT    NOT NULL,
  file_size          BIGINT  NOT NULL,
  file_content_type  TEXT    NOT NULL,
  PRIMARY KEY (collaboration_id, pos)
);
CREATE INDEX collaboration_materials_file ON collaboration_materials(file_id)
  WHERE file_id IS NOT NULL;

CREATE TABLE collaboration_rounds (
  collaboration_id   BIGINT  NOT NULL REFERENCES collaborations(id),
  n                  INTEGER NOT NULL,      -- 1, 2 … (follow-ups)
  questions          TEXT    NOT NULL,
  asked_at           BIGINT  NOT NULL,
  duty_id            BIGINT  REFERENCES duties(id),  -- collaboration.answer (R-COL-2)
  has_answer         BOOLEAN NOT NULL,
  conclusion         TEXT    NOT NULL,
  answer_text        TEXT    NOT NULL,
  file_id            TEXT    REFERENCES files(sha256),
  file_name          TEXT    NOT NULL,
  file_size          BIGINT  NOT NULL,
  file_content_type  TEXT    NOT NULL,
  drafted_by         BIGINT  REFERENCES users(id),
  drafted_at         BIGINT,
  answered_at        BIGINT,
  approved_by        BIGINT  REFERENCES users(id),
  document_id        BIGINT  REFERENCES documents(id),
  PRIMARY KEY (collaboration_id, n)
);
CREATE INDEX collaboration_rounds_file ON collaboration_rounds(file_id) WHERE file_id IS NOT NULL;

CREATE TABLE collaboration_extensions (
  collaboration_id  BIGINT  NOT NULL REFERENCES collaborations(id),
  pos               INTEGER NOT NULL,
  reason            TEXT    NOT NULL,
  old_due           BIGINT  NOT NULL,
  new_due           BIGINT  NOT NULL,
  requested_by      BIGINT  NOT NULL REFERENCES users(id),
  approved_by       BIGINT  NOT NULL REFERENCES users(id),
  at                BIGINT  NOT NULL,
  PRIMARY KEY (collaboration_id, pos)
);

CREATE TABLE collaboration_documents (
  collaboration_id  BIGINT  NOT NULL REFERENCES collaborations(id),
  document_id       BIGINT  NOT NULL REFERENCES documents(id),
  PRIMARY KEY (collaboration_id, document_id)
);
)sql";

// v5: notices, meetings, participation requests, violation notices (R-COL-5..8).
constexpr char kV5Schema[] = R"sql(
CREATE TABLE coord_items (
  id           BIGSERIAL PRIMARY KEY,
  type         BIGINT   NOT NULL,            -- domain::CoordType
  state        BIGINT   NOT NULL,            -- per type (domain/coord_items.h)
  number       TEXT,
  from_org_id  BIGINT   NOT NULL REFERENCES orgs(id),
  to_org_id    BIGINT   REFERENCES orgs(id),
  kind         TEXT     NOT NULL,
  title        TEXT     NOT NULL,
  referral_id  BIGINT   REFERENCES referrals(id),
  data         TEXT     NOT NULL,            -- canonical JSON
  created_by   BIGINT   NOT NULL REFERENCES users(id),
  created_at   BIGINT   NOT NULL,
  updated_at   BIGINT   NOT NULL
);
CREATE INDEX coord_items_type_created ON coord_items(type, created_at DESC, id DESC);
CREATE INDEX coord_items_created ON coord_items(created_at DESC, id DESC);
CREATE INDEX coord_items_from ON coord_items(from_org_id, created_at DESC);
CREATE TABLE coord_item_orgs (
  item_id  BIGINT NOT NULL REFERENCES coord_items(id),
  org_id   BIGINT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (org_id, item_id)
);
CREATE INDEX coord_item_orgs_item ON coord_item_orgs(item_id);
CREATE TABLE coord_item_files (
  item_id  BIGINT NOT NULL REFERENCES coord_items(id),
  file_id  TEXT   NOT NULL,
  PRIMARY KEY (file_id, item_id)
);
CREATE INDEX coord_item_files_item ON coord_item_files(item_id);
CREATE TABLE coord_messages (
  id       BIGSERIAL PRIMARY KEY,
  item_id  BIGINT NOT NULL REFERENCES coord_items(id),
  at       BIGINT NOT NULL,
  user_id  BIGINT NOT NULL REFERENCES users(id),
  org_id   BIGINT NOT NULL REFERENCES orgs(id),
  text     TEXT   NOT NULL
);
CREATE INDEX coord_messages_item ON coord_messages(item_id, id);
CREATE TABLE coord_item_documents (
  document_id  BIGINT PRIMARY KEY REFERENCES documents(id),
  item_id      BIGINT NOT NULL REFERENCES coord_items(id)
);
CREATE INDEX coord_item_documents_item ON coord_item_documents(item_id, document_id);
)sql";

// v6: an org's incoming referrals (direction "in": addressed to it and sent), filtered by state and
// matter, are counted and paged from the index alone (bench/README.md, load (c)).
constexpr char kV6Schema[] = R"sql(
CREATE INDEX referrals_in_sent ON referrals(to_org_id, state, matter_code, created_at, sent_at)
  WHERE sent_at IS NOT NULL;
)sql";

// v7: nothing to change here. SQLite's v7 narrows its full-text trigger; PostgreSQL's trigram
// index is an expression index that the row update maintains. The versions of the two backends
// are kept equal (xietong migrate-data copies between equal versions only).
constexpr char kV7Schema[] = R"sql(
SELECT 1;
)sql";

// v8: the owner of a matter is dated and catalog changes cite the deciding document (R-DIS-3,
// R-JUR-2). No rows are migrated: a matter without owner periods is owned by matters.owner_org_id
// on every day; its first owner change records the former owner from 1900-01-01.
constexpr char kV8Schema[] = R"sql(
CREATE TABLE matter_owners (
  matter_id             BIGINT  NOT NULL REFERENCES matters(id),
  from_day              BIGINT  NOT NULL,   -- days since 1970-01-01, until the next period's
  owner_org_id          BIGINT  NOT NULL REFERENCES orgs(id),
  basis                 TEXT    NOT NULL,
  decision_number       TEXT,               -- the deciding document's 文号, if any
  decision_document_id  BIGINT,
  CONSTRAINT matter_owners_from_key PRIMARY KEY (matter_id, from_day)
);
ALTER TABLE matter_delegations ADD COLUMN decision_number TEXT;
ALTER TABLE matter_delegations ADD COLUMN decision_document_id BIGINT;
ALTER TABLE matter_delegations ADD COLUMN withdrawal_decision_number TEXT;
ALTER TABLE matter_delegations ADD COLUMN withdrawal_decision_document_id BIGINT;
)sql";

// v9: signed checkpoints of the audit chain's head (R-AUD-1, service/audit_checkpoint.h). One row
// per signed head; the primary key makes writing idempotent per head (several instances may sign
// the same head: INSERT … ON CONFLICT DO NOTHING).
constexpr char kV9Schema[] = R"sql(
CREATE TABLE audit_checkpoints (
  seq         BIGINT  PRIMARY KEY,
  hash        TEXT    NOT NULL,
  at          BIGINT  NOT NULL,
  public_key  TEXT    NOT NULL,
  signature   TEXT    NOT NULL
);
)sql";

// v10: administrative approvals (行政审批, R-INF-2): plain records recorded one by one or
// imported from a provincial 双公示 export, and who has read which in a township's feed.
constexpr char kV10Schema[] = R"sql(
CREATE TABLE approvals (
  id                  BIGSERIAL PRIMARY KEY,
  holder              TEXT    NOT NULL,
  credit_code         TEXT    NOT NULL,
  decision_number     TEXT    NOT NULL UNIQUE,
  category            TEXT    NOT NULL,
  content             TEXT    NOT NULL,
  decision_date       TEXT    NOT NULL,  -- YYYY-MM-DD
  valid_from          TEXT    NOT NULL,
  valid_to            TEXT    NOT NULL,
  authority           TEXT    NOT NULL,
  address             TEXT    NOT NULL,
  township_org_id     BIGINT  REFERENCES orgs(id),
  recorded_by_org_id  BIGINT  NOT NULL REFERENCES orgs(id),
  created_by          BIGINT  NOT NULL REFERENCES users(id),
  created_at          BIGINT  NOT NULL,
  updated_at          BIGINT  NOT NULL
);
CREATE INDEX approvals_by_date ON approvals(decision_date DESC, id DESC);
CREATE INDEX approvals_by_township ON approvals(township_org_id);
CREATE TABLE approval_reads (
  user_id      BIGINT  NOT NULL REFERENCES users(id),
  approval_id  BIGINT  NOT NULL REFERENCES approvals(id),
  read_at      BIGINT  NOT NULL,
  PRIMARY KEY (user_id, approval_id)
);
)sql";

// v11: notifications away from the browser (issue 18).
constexpr char kV11Schema[] = R"sql(
-- A user's email and mobile number and, per notification class, the channels
-- wanted (bit mask: 1 email, 2 SMS gateway; urgent = red and 24-hour duties).
CREATE TABLE user_contacts (
  user_id           BIGINT  PRIMARY KEY REFERENCES users(id),
  email             TEXT    NOT NULL,
  mobile            TEXT    NOT NULL,
  urgent_channels   INTEGER NOT NULL,
  routine_channels  INTEGER NOT NULL,
  updated_at        BIGINT  NOT NULL
);

-- The outbox: one row per notification and channel, written in the notification's transaction;
-- the delivery worker claims due rows with a lease (state 0 pending, 1 sent, 2 failed for good).
CREATE TABLE deliveries (
  id                BIGSERIAL PRIMARY KEY,
  notification_id   BIGINT  NOT NULL REFERENCES notifications(id),
  channel           INTEGER NOT NULL,
  address           TEXT    NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_at           BIGINT  NOT NULL,
  lease_until       BIGINT,
  lease_owner       TEXT,
  last_error        TEXT    NOT NULL,
  created_at        BIGINT  NOT NULL,
  sent_at           BIGINT,
  UNIQUE (notification_id, channel)
);
CREATE INDEX deliveries_due ON deliveries(next_at, id) WHERE state = 0;
CREATE INDEX deliveries_state ON deliveries(state, id);
)sql";

// v12: regions (R-ACC-2, issue 19): the administrative division tree (GB/T 2260 and the 12-digit
// 统计用区划代码 for townships), the region each org belongs to, an auditor's or administrator's
// regional scope, and the escalations of long-red duties to the next level's coordinator office.
// A scope is a code prefix, so "orgs in my subtree" is a prefix match on orgs.region_code.
constexpr char kV12Schema[] = R"sql(
CREATE TABLE regions (
  code         TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  level        INTEGER NOT NULL,         -- domain::RegionLevel (1 province … 4 township)
  parent_code  TEXT    REFERENCES regions(code)
);
CREATE INDEX regions_parent ON regions(parent_code);
ALTER TABLE orgs ADD COLUMN region_code TEXT REFERENCES regions(code);
CREATE INDEX orgs_region ON orgs(region_code text_pattern_ops) WHERE region_code IS NOT NULL;
ALTER TABLE users ADD COLUMN region_code TEXT REFERENCES regions(code);

-- One row per escalated duty: red for longer than the configured time, escalated to the
-- coordinator office of the next region level up (R-ACC-2, issue 19).
CREATE TABLE escalations (
  duty_id        BIGINT  PRIMARY KEY REFERENCES duties(id),
  from_region    TEXT    NOT NULL,       -- the duty owner's scope prefix (e.g. a county's 6 digits)
  to_org_id      BIGINT  NOT NULL REFERENCES orgs(id),
  to_region      TEXT    NOT NULL,       -- the receiving office's region code
  at             BIGINT  NOT NULL
);
CREATE INDEX escalations_to ON escalations(to_org_id, at);
)sql";

constexpr char kV13Schema[] = R"sql(
-- v13: the assessment (R-ASM-1, issue 14): scheme versions per year (never updated; an edit is a
-- new version) and published results (a snapshot of the computed numbers with the scheme used;
-- never updated, one per period).
CREATE TABLE assessment_schemes (
  id          BIGSERIAL PRIMARY KEY,
  year        INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  data        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  created_by  BIGINT  NOT NULL REFERENCES users(id),
  UNIQUE (year, version)
);
CREATE TABLE assessment_results (
  id            BIGSERIAL PRIMARY KEY,
  period        TEXT    NOT NULL UNIQUE,
  period_from   TEXT    NOT NULL,
  period_to     TEXT    NOT NULL,
  scheme_id     BIGINT  NOT NULL REFERENCES assessment_schemes(id),
  data          TEXT    NOT NULL,
  published_at  BIGINT  NOT NULL,
  published_by  BIGINT  NOT NULL REFERENCES users(id)
);
)sql";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", kV1Schema},
      {2, "matters, delegations, files, idempotency keys, org document prefix", kV2Schema},
      {3, "referrals, evidence, documents, document counters", kV3Schema},
      {4, "collaboration requests, materials, rounds, extensions", kV4Schema},
      {5, "notices, meetings, participation requests, violation notices", kV5Schema},
      {6, "index of incoming referrals by state and matter", kV6Schema},
      {7, "(SQLite only: referral full-text trigger)", kV7Schema},
      {8, "dated matter owners, decisions cited by catalog changes", kV8Schema},
      {9, "signed audit checkpoints", kV9Schema},
      {10, "administrative approvals and their readers (R-INF-2)", kV10Schema},
      {11, "user contacts, notification delivery outbox", kV11Schema},
      {12, "regions, org and user regions, escalations (R-ACC-2)", kV12Schema},
      {13, "assessment schemes and published results (R-ASM-1)", kV13Schema},
  };
  return kMigrations;
}

}  // namespace xietong::storage::postgres
