-- xietong sqlite database at schema version 12: migrations 1..12 applied to an empty
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
, doc_prefix TEXT NOT NULL DEFAULT '', region_code TEXT REFERENCES regions(code));
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
, region_code TEXT REFERENCES regions(code));
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
  to_day           TEXT, decision_number TEXT, decision_document_id INTEGER, withdrawal_decision_number TEXT, withdrawal_decision_document_id INTEGER,                  -- NULL = in force
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
CREATE TABLE referrals (
  id                            INTEGER PRIMARY KEY,
  number                        TEXT,               -- current 文号; NULL until approved
  state                         INTEGER NOT NULL,   -- domain::ReferralState
  from_org_id                   INTEGER NOT NULL REFERENCES orgs(id),
  to_org_id                     INTEGER NOT NULL REFERENCES orgs(id),
  matter_id                     INTEGER NOT NULL REFERENCES matters(id),
  matter_code                   TEXT    NOT NULL,
  matter_owner_org_id           INTEGER NOT NULL REFERENCES orgs(id),
  township_org_id               INTEGER NOT NULL REFERENCES orgs(id),
  place                         TEXT    NOT NULL,
  discovered_at                 INTEGER NOT NULL,
  facts                         TEXT    NOT NULL,
  party_name                    TEXT    NOT NULL,
  party_id_type                 TEXT    NOT NULL,
  party_id_number               TEXT    NOT NULL,
  party_address                 TEXT    NOT NULL,
  party_phone                   TEXT    NOT NULL,
  legal_basis                   TEXT    NOT NULL,
  urgent                        INTEGER NOT NULL,
  ongoing                       INTEGER NOT NULL,
  dissuasion_at                 INTEGER,            -- NULL = no dissuasion recorded (R-REF-5)
  dissuasion_note               TEXT    NOT NULL,
  facts_clear                   INTEGER NOT NULL,   -- R-REF-3 checklist
  evidence_complete             INTEGER NOT NULL,
  procedure_lawful              INTEGER NOT NULL,
  formalities_complete          INTEGER NOT NULL,
  unit_id                       INTEGER REFERENCES orgs(id),  -- R-REF-2
  unit_legal_basis              TEXT    NOT NULL,
  jurisdiction_override_reason  TEXT    NOT NULL,   -- R-JUR-1 override
  flagged_for_coordinator       INTEGER NOT NULL,
  created_by                    INTEGER NOT NULL REFERENCES users(id),
  created_at                    INTEGER NOT NULL,
  updated_at                    INTEGER NOT NULL,
  submitted_at                  INTEGER,
  sent_at                       INTEGER,
  received_at                   INTEGER,
  accepted_at                   INTEGER,
  closed_at                     INTEGER,
  accept_note                   TEXT    NOT NULL,
  decline_reason                TEXT    NOT NULL,
  return_reason                 TEXT    NOT NULL,
  result                        TEXT    NOT NULL,
  coord_requested_at            INTEGER,            -- NULL = never asked (R-REF-7)
  coord_reason                  TEXT    NOT NULL,
  coord_decision                TEXT    NOT NULL,
  coord_decided_at              INTEGER,
  coord_decided_by              INTEGER REFERENCES users(id),
  coord_decision_reason         TEXT    NOT NULL
);
CREATE TABLE referral_evidence (
  referral_id        INTEGER NOT NULL REFERENCES referrals(id),
  pos                INTEGER NOT NULL,       -- order in the list, from 0
  name               TEXT    NOT NULL,
  description        TEXT    NOT NULL,
  file_id            TEXT    REFERENCES files(sha256),
  file_name          TEXT    NOT NULL,
  file_size          INTEGER NOT NULL,
  file_content_type  TEXT    NOT NULL,
  PRIMARY KEY (referral_id, pos)
) WITHOUT ROWID;
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','referrals_fts','referrals_fts',0,'CREATE VIRTUAL TABLE referrals_fts USING fts5(facts, place, party, number, tokenize = ''trigram'')');
CREATE TABLE IF NOT EXISTS 'referrals_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO referrals_fts_data VALUES(1,X'');
INSERT INTO referrals_fts_data VALUES(10,X'00000000000000');
CREATE TABLE IF NOT EXISTS 'referrals_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS 'referrals_fts_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3);
CREATE TABLE IF NOT EXISTS 'referrals_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE IF NOT EXISTS 'referrals_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO referrals_fts_config VALUES('version',4);
CREATE TABLE documents (
  id           INTEGER PRIMARY KEY,
  kind         INTEGER NOT NULL,            -- domain::DocKind
  number       TEXT    NOT NULL,
  org_id       INTEGER NOT NULL REFERENCES orgs(id),
  year         INTEGER NOT NULL,
  serial       INTEGER NOT NULL,
  referral_id  INTEGER REFERENCES referrals(id),
  title        TEXT    NOT NULL,
  snapshot     TEXT    NOT NULL,            -- canonical JSON
  created_at   INTEGER NOT NULL,
  created_by   INTEGER REFERENCES users(id),
  UNIQUE (org_id, kind, year, serial)
);
CREATE TABLE doc_counters (
  org_id  INTEGER NOT NULL REFERENCES orgs(id),
  year    INTEGER NOT NULL,
  kind    INTEGER NOT NULL,
  next    INTEGER NOT NULL,
  PRIMARY KEY (org_id, year, kind)
) WITHOUT ROWID;
CREATE TABLE collaborations (
  id                   INTEGER PRIMARY KEY,
  number               TEXT,                -- 文号 of the letter (协); NULL until approved
  state                INTEGER NOT NULL,    -- domain::CollabState
  kind                 INTEGER NOT NULL,    -- domain::CollabKind
  from_org_id          INTEGER NOT NULL REFERENCES orgs(id),
  to_org_id            INTEGER NOT NULL REFERENCES orgs(id),
  title                TEXT    NOT NULL,
  questions            TEXT    NOT NULL,
  case_ref             TEXT    NOT NULL,
  referral_id          INTEGER REFERENCES referrals(id),
  urgent               INTEGER NOT NULL,
  evidence_at_risk     INTEGER NOT NULL,
  complex              INTEGER NOT NULL,
  dispatch_staff       TEXT,                -- names joined by newlines; NULL = no dispatch (R-COL-3)
  dispatch_sent_at     INTEGER,
  dispatch_arrived_at  INTEGER,
  dispatch_note        TEXT    NOT NULL,
  dispatch_duty_id     INTEGER REFERENCES duties(id),
  created_by           INTEGER NOT NULL REFERENCES users(id),
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  submitted_at         INTEGER,
  sent_at              INTEGER,
  received_at          INTEGER,
  answered_at          INTEGER,
  closed_at            INTEGER,
  withdraw_reason      TEXT    NOT NULL,
  return_reason        TEXT    NOT NULL
);
CREATE TABLE collaboration_materials (
  collaboration_id   INTEGER NOT NULL REFERENCES collaborations(id),
  pos                INTEGER NOT NULL,
  name               TEXT    NOT NULL,
  description        TEXT    NOT NULL,
  file_id            TEXT    REFERENCES files(sha256),
  file_name          TEXT    NOT NULL,
  file_size          INTEGER NOT NULL,
  file_content_type  TEXT    NOT NULL,
  PRIMARY KEY (collaboration_id, pos)
) WITHOUT ROWID;
CREATE TABLE collaboration_rounds (
  collaboration_id   INTEGER NOT NULL REFERENCES collaborations(id),
  n                  INTEGER NOT NULL,      -- 1, 2 … (follow-ups)
  questions          TEXT    NOT NULL,
  asked_at           INTEGER NOT NULL,
  duty_id            INTEGER REFERENCES duties(id),  -- collaboration.answer (R-COL-2)
  has_answer         INTEGER NOT NULL,
  conclusion         TEXT    NOT NULL,
  answer_text        TEXT    NOT NULL,
  file_id            TEXT    REFERENCES files(sha256),
  file_name          TEXT    NOT NULL,
  file_size          INTEGER NOT NULL,
  file_content_type  TEXT    NOT NULL,
  drafted_by         INTEGER REFERENCES users(id),
  drafted_at         INTEGER,
  answered_at        INTEGER,
  approved_by        INTEGER REFERENCES users(id),
  document_id        INTEGER REFERENCES documents(id),
  PRIMARY KEY (collaboration_id, n)
) WITHOUT ROWID;
CREATE TABLE collaboration_extensions (
  collaboration_id  INTEGER NOT NULL REFERENCES collaborations(id),
  pos               INTEGER NOT NULL,
  reason            TEXT    NOT NULL,
  old_due           INTEGER NOT NULL,
  new_due           INTEGER NOT NULL,
  requested_by      INTEGER NOT NULL REFERENCES users(id),
  approved_by       INTEGER NOT NULL REFERENCES users(id),
  at                INTEGER NOT NULL,
  PRIMARY KEY (collaboration_id, pos)
) WITHOUT ROWID;
CREATE TABLE collaboration_documents (
  collaboration_id  INTEGER NOT NULL REFERENCES collaborations(id),
  document_id       INTEGER NOT NULL REFERENCES documents(id),
  PRIMARY KEY (collaboration_id, document_id)
) WITHOUT ROWID;
CREATE TABLE coord_items (
  id           INTEGER PRIMARY KEY,
  type         INTEGER NOT NULL,            -- domain::CoordType
  state        INTEGER NOT NULL,            -- per type (domain/coord_items.h)
  number       TEXT,                        -- 文号 of the formal document, when issued
  from_org_id  INTEGER NOT NULL REFERENCES orgs(id),
  to_org_id    INTEGER REFERENCES orgs(id),
  kind         TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  referral_id  INTEGER REFERENCES referrals(id),
  data         TEXT    NOT NULL,            -- the type's own fields, canonical JSON
  created_by   INTEGER NOT NULL REFERENCES users(id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE TABLE coord_item_orgs (
  item_id  INTEGER NOT NULL REFERENCES coord_items(id),
  org_id   INTEGER NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (org_id, item_id)
) WITHOUT ROWID;
CREATE TABLE coord_item_files (
  item_id  INTEGER NOT NULL REFERENCES coord_items(id),
  file_id  TEXT    NOT NULL,
  PRIMARY KEY (file_id, item_id)
) WITHOUT ROWID;
CREATE TABLE coord_messages (
  id       INTEGER PRIMARY KEY,
  item_id  INTEGER NOT NULL REFERENCES coord_items(id),
  at       INTEGER NOT NULL,
  user_id  INTEGER NOT NULL REFERENCES users(id),
  org_id   INTEGER NOT NULL REFERENCES orgs(id),
  text     TEXT    NOT NULL
);
CREATE TABLE coord_item_documents (
  document_id  INTEGER PRIMARY KEY REFERENCES documents(id),
  item_id      INTEGER NOT NULL REFERENCES coord_items(id)
);
CREATE TABLE matter_owners (
  matter_id             INTEGER NOT NULL REFERENCES matters(id),
  from_day              TEXT    NOT NULL,   -- 'YYYY-MM-DD', until the next period's from_day
  owner_org_id          INTEGER NOT NULL REFERENCES orgs(id),
  basis                 TEXT    NOT NULL,
  decision_number       TEXT,               -- the deciding document's 文号, if any
  decision_document_id  INTEGER,
  PRIMARY KEY (matter_id, from_day)
) WITHOUT ROWID;
CREATE TABLE audit_checkpoints (
  seq         INTEGER PRIMARY KEY,
  hash        TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  public_key  TEXT    NOT NULL,
  signature   TEXT    NOT NULL
);
CREATE TABLE approvals (
  id                  INTEGER PRIMARY KEY,
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
  township_org_id     INTEGER REFERENCES orgs(id),
  recorded_by_org_id  INTEGER NOT NULL REFERENCES orgs(id),
  created_by          INTEGER NOT NULL REFERENCES users(id),
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE TABLE approval_reads (
  user_id      INTEGER NOT NULL REFERENCES users(id),
  approval_id  INTEGER NOT NULL REFERENCES approvals(id),
  read_at      INTEGER NOT NULL,
  PRIMARY KEY (user_id, approval_id)
);
CREATE TABLE user_contacts (
  user_id           INTEGER  PRIMARY KEY REFERENCES users(id),
  email             TEXT    NOT NULL,
  mobile            TEXT    NOT NULL,
  urgent_channels   INTEGER NOT NULL,
  routine_channels  INTEGER NOT NULL,
  updated_at        INTEGER  NOT NULL
);
CREATE TABLE deliveries (
  id                INTEGER PRIMARY KEY,
  notification_id   INTEGER  NOT NULL REFERENCES notifications(id),
  channel           INTEGER NOT NULL,
  address           TEXT    NOT NULL,
  state             INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  next_at           INTEGER  NOT NULL,
  lease_until       INTEGER,
  lease_owner       TEXT,
  last_error        TEXT    NOT NULL,
  created_at        INTEGER  NOT NULL,
  sent_at           INTEGER,
  UNIQUE (notification_id, channel)
);
CREATE TABLE regions (
  code         TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  level        INTEGER NOT NULL,         -- domain::RegionLevel (1 province … 4 township)
  parent_code  TEXT    REFERENCES regions(code)
);
CREATE TABLE escalations (
  duty_id        INTEGER PRIMARY KEY REFERENCES duties(id),
  from_region    TEXT    NOT NULL,       -- the duty owner's scope prefix (e.g. a county's 6 digits)
  to_org_id      INTEGER NOT NULL REFERENCES orgs(id),
  to_region      TEXT    NOT NULL,       -- the receiving office's region code
  at             INTEGER NOT NULL
);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
INSERT INTO schema_migrations VALUES(1,1764032400000);
INSERT INTO schema_migrations VALUES(2,1764032400000);
INSERT INTO schema_migrations VALUES(3,1764032400000);
INSERT INTO schema_migrations VALUES(4,1764032400000);
INSERT INTO schema_migrations VALUES(5,1764032400000);
INSERT INTO schema_migrations VALUES(6,1764032400000);
INSERT INTO schema_migrations VALUES(7,1764032400000);
INSERT INTO schema_migrations VALUES(8,1764032400000);
INSERT INTO schema_migrations VALUES(9,1764032400000);
INSERT INTO schema_migrations VALUES(10,1764032400000);
INSERT INTO schema_migrations VALUES(11,1764032400000);
INSERT INTO schema_migrations VALUES(12,1764032400000);
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
CREATE INDEX referrals_from ON referrals(from_org_id, state, created_at);
CREATE INDEX referrals_to ON referrals(to_org_id, state, created_at);
CREATE INDEX referrals_owner ON referrals(matter_owner_org_id, created_at);
CREATE INDEX referrals_matter ON referrals(matter_code, created_at);
CREATE INDEX referrals_township ON referrals(township_org_id, created_at);
CREATE INDEX referrals_sent ON referrals(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX referrals_created ON referrals(created_at, id);
CREATE INDEX referrals_state ON referrals(state, created_at);
CREATE INDEX referral_evidence_file ON referral_evidence(file_id) WHERE file_id IS NOT NULL;
CREATE TRIGGER referrals_fts_insert AFTER INSERT ON referrals BEGIN
  INSERT INTO referrals_fts (rowid, facts, place, party, number)
  VALUES (new.id, new.facts, new.place, new.party_name || ' ' || new.party_id_number,
          COALESCE(new.number, ''));
END;
CREATE TRIGGER referrals_fts_delete AFTER DELETE ON referrals BEGIN
  DELETE FROM referrals_fts WHERE rowid = old.id;
END;
CREATE INDEX documents_referral ON documents(referral_id, id) WHERE referral_id IS NOT NULL;
CREATE INDEX collaborations_from ON collaborations(from_org_id, state, created_at);
CREATE INDEX collaborations_to ON collaborations(to_org_id, state, created_at);
CREATE INDEX collaborations_created ON collaborations(created_at, id);
CREATE INDEX collaborations_state ON collaborations(state, created_at);
CREATE INDEX collaboration_materials_file ON collaboration_materials(file_id)
  WHERE file_id IS NOT NULL;
CREATE INDEX collaboration_rounds_file ON collaboration_rounds(file_id) WHERE file_id IS NOT NULL;
CREATE INDEX coord_items_type_created ON coord_items(type, created_at DESC, id DESC);
CREATE INDEX coord_items_created ON coord_items(created_at DESC, id DESC);
CREATE INDEX coord_items_from ON coord_items(from_org_id, created_at DESC);
CREATE INDEX coord_item_orgs_item ON coord_item_orgs(item_id);
CREATE INDEX coord_item_files_item ON coord_item_files(item_id);
CREATE INDEX coord_messages_item ON coord_messages(item_id, id);
CREATE INDEX coord_item_documents_item ON coord_item_documents(item_id, document_id);
CREATE INDEX referrals_in_sent ON referrals(to_org_id, state, matter_code, created_at, sent_at)
  WHERE sent_at IS NOT NULL;
CREATE TRIGGER referrals_fts_update
AFTER UPDATE OF facts, place, party_name, party_id_number, number ON referrals
WHEN old.facts IS NOT new.facts OR old.place IS NOT new.place
  OR old.party_name IS NOT new.party_name OR old.party_id_number IS NOT new.party_id_number
  OR old.number IS NOT new.number
BEGIN
  DELETE FROM referrals_fts WHERE rowid = old.id;
  INSERT INTO referrals_fts (rowid, facts, place, party, number)
  VALUES (new.id, new.facts, new.place, new.party_name || ' ' || new.party_id_number,
          COALESCE(new.number, ''));
END;
CREATE INDEX approvals_by_date ON approvals(decision_date DESC, id DESC);
CREATE INDEX approvals_by_township ON approvals(township_org_id);
CREATE INDEX deliveries_due ON deliveries(next_at, id) WHERE state = 0;
CREATE INDEX deliveries_state ON deliveries(state, id);
CREATE INDEX regions_parent ON regions(parent_code);
CREATE INDEX orgs_region ON orgs(region_code) WHERE region_code IS NOT NULL;
CREATE INDEX escalations_to ON escalations(to_org_id, at);
PRAGMA writable_schema=OFF;
-- xietong sample data (valid at every version)
INSERT INTO orgs (id, code, name, short_name, kind, parent_id, active, created_at) VALUES ('1', 'coordinator', '中共新兴县委全面依法治县委员会办公室', '县委依法治县办', '1', NULL, '1', '1796708564041');
INSERT INTO users (id, username, display_name, org_id, unit_id, roles, password_hash, disabled, failed_logins, locked_until, created_at) VALUES ('1', 'admin', '陈志强', '1', NULL, '64', '$argon2id$v=19$m=65536,t=2,p=1$ANgRIfro0cxWCNTd0Lva9g$xJ7pzTVI5WO4EKfhrcExviEK97ZK1Zun6ijtYAzN/Lw', '0', '0', NULL, '1796708564052');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('1', '1796708564041', NULL, NULL, 'org.create', 'org', '1', '新建机构：中共新兴县委全面依法治县委员会办公室', '{"id":1,"code":"coordinator","name":"中共新兴县委全面依法治县委员会办公室","short_name":"县委依法治县办","kind":"coordinator","kind_label":"县委依法治县办","parent_id":null,"region_code":null,"active":true,"doc_prefix":"新法治办"}', '418d6e2ad806faff024178a80d3ca1ea7fe4b504bc6c715f1c7559099a1c1155', '0000000000000000000000000000000000000000000000000000000000000000', '0dd5187444f78a80b11442746efc0a3997e07d18e0344986dca1b85d5f247f6e');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('2', '1796708564042', NULL, NULL, 'org.create', 'org', '2', '新建机构：新兴县人民政府', '{"id":2,"code":"government","name":"新兴县人民政府","short_name":"县人民政府","kind":"government","kind_label":"县人民政府","parent_id":null,"region_code":null,"active":true,"doc_prefix":"新府"}', '8f7fc2b9abd668f5ee994f45f7ca0ea3b1bc3116dbdcc5b46af8c6e109106c0b', '0dd5187444f78a80b11442746efc0a3997e07d18e0344986dca1b85d5f247f6e', '37362c50c31d3ec7b76983c35abda209b508e79f85b010b52deaefbc56107813');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('3', '1796708564043', NULL, NULL, 'org.create', 'org', '3', '新建机构：新城镇综合行政执法办公室', '{"id":3,"code":"xincheng","name":"新城镇综合行政执法办公室","short_name":"新城镇","kind":"township","kind_label":"乡镇综合行政执法部门","parent_id":null,"region_code":null,"active":true,"doc_prefix":"新城执"}', 'bc71d4eb5f4fa7cbcc52eb856daa8ca008a85514a805237d03f29f910abf232e', '37362c50c31d3ec7b76983c35abda209b508e79f85b010b52deaefbc56107813', '869cf6923b0c1f6785391d2d1a4edd16361fa094e1df607ecd1c3192110c0970');
COMMIT;
