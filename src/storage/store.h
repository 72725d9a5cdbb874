// The storage contract: what services need from a database, nothing more.
//
// A Store runs units of work in transactions: Write() gives a read-write transaction that
// commits only when the function returns OK (so a refused request changes nothing), Read() a
// consistent read-only snapshot. Repositories are reached through the transaction (Tx), so every
// write and its audit entry commit together (R-AUD-1). Backends: SQLite (storage/sqlite, the
// default) and PostgreSQL (storage/postgres). Each backend keeps its own SQL and migrations.
//
// Thread-safety: a Store is thread-safe; a Tx belongs to the thread running the function and must
// not escape it.
//
//   XT_RETURN_IF_ERROR(store.Write([&](storage::Tx& tx) -> core::Status {
//     XT_ASSIGN_OR_RETURN(domain::Id id, tx.InsertOrg(org));
//     return tx.AppendAudit(entry).status();
//   }));
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "domain/shared_info.h"
#include "domain/audit.h"
#include "domain/coord_items.h"
#include "domain/collaboration.h"
#include "domain/doc_number.h"
#include "domain/duty.h"
#include "domain/matter.h"
#include "domain/notification.h"
#include "domain/org.h"
#include "domain/region.h"
#include "domain/referral.h"

namespace xietong::storage {

using core::Result;
using core::Status;
using domain::Id;

struct Session {
  std::string token_hash;  // hex SHA-256 of the cookie token; the token itself is never stored
  Id user_id = 0;
  std::string csrf_token;
  core::Instant created_at{};
  core::Instant expires_at{};
  core::Instant last_seen_at{};
};

struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name;
  std::string token_hash;  // hex SHA-256
  core::Instant created_at{};
  std::optional<core::Instant> revoked_at;
  std::optional<core::Instant> last_used_at;
};

// A session or API token with its user, the user's org and (when the user has one) unit: what
// authenticating a request reads, in one statement (Tx::GetSessionPrincipal/GetTokenPrincipal).
struct SessionPrincipal {
  Session session;
  domain::User user;
  domain::Org org;
  std::optional<domain::Org> unit;  // set iff user.unit_id is
};
struct TokenPrincipal {
  ApiToken token;
  domain::User user;
  domain::Org org;
  std::optional<domain::Org> unit;  // set iff user.unit_id is
};

struct UserFilter {
  std::optional<Id> org_id;
  // R-ACC-2: users of orgs whose region code starts with this prefix ("" = any).
  std::string region_prefix;
  std::optional<domain::Role> role;
  std::string text;  // substring of username or display name
  int limit = 500;
};

struct AuditFilter {
  std::string object_type;  // empty = any
  std::string object_id;
  std::optional<Id> org_id;      // entries by actors of this org
  // R-ACC-2: entries by actors of orgs whose region code starts with this prefix ("" = any).
  std::string region_prefix;
  std::optional<int64_t> before_seq;  // paging: entries with seq < before_seq
  std::optional<Id> actor_user_id;    // entries by this user
  std::string action;                 // "auth.login" exactly, or "referral." = every action with that prefix
  std::optional<core::Instant> from;  // at >= from
  std::optional<core::Instant> to;    // at < to
  int offset = 0;                     // page offset (with limit)
  int limit = 100;               // newest first
};

struct CalendarYearRow {
  int year = 0;
  std::string json;  // canonical YearSchedule JSON
  core::Instant loaded_at{};
  std::optional<Id> loaded_by;
};

struct DutyFilter {
  std::vector<Id> owner_org_ids;  // empty = any org (coordinator views)
  // R-ACC-2: duties of orgs whose region code starts with this prefix ("" = any).
  std::string region_prefix;
  std::optional<Id> created_by;
  std::optional<domain::DutyState> state;
  std::string kind;
  std::optional<core::Instant> due_from;
  std::optional<core::Instant> due_to;
  // Colour filters are turned into instant ranges by the service:
  std::optional<core::Instant> yellow_at_le;  // yellow or red: yellow_at <= x
  std::optional<core::Instant> yellow_at_gt;  // green: yellow_at > x
  std::optional<core::Instant> due_at_le;     // red: due_at <= x
  std::optional<core::Instant> due_at_gt;     // not red: due_at > x
  std::string object_type;
  std::string object_id;
  std::vector<std::string> object_ids;  // any of these (a list page's items); empty = any
  std::string text;  // substring of title
  int offset = 0;
  int limit = 50;  // sorted by due_at ascending, then id
};

// --- Assessment (R-ASM-1, v13) ---
// One saved version of a year's assessment scheme (indicators, weights, thresholds as canonical
// JSON). Rows are never updated: a new edit is a new version.
struct AssessmentSchemeRow {
  Id id = 0;
  int year = 0;
  int version = 0;
  std::string data;  // canonical JSON {"indicators":[{"id","weight","good","bad"}]}
  core::Instant created_at{};
  Id created_by = 0;
};
// A published result: the period, the scheme version used and the computed numbers (snapshot).
// Never updated nor deleted; one per period.
struct AssessmentResultRow {
  Id id = 0;
  std::string period;  // "2026-11", "2026-Q4", "2026" or "2026-11-01~2026-11-30"
  std::string from, to;  // YYYY-MM-DD inclusive
  Id scheme_id = 0;
  std::string data;  // canonical JSON of the computed result
  core::Instant published_at{};
  Id published_by = 0;
};

struct NotificationFilter {
  Id user_id = 0;
  bool unread_only = false;
  int offset = 0;
  int limit = 50;  // newest first
};

// --- Matters, files, idempotency (v2) ---
struct MatterFilter {
  std::optional<Id> owner_org_id;
  std::optional<Id> township_org_id;  // matters with any delegation (past or present) to it
  std::string text;  // substring of code, name or legal basis
  int offset = 0;
  int limit = 50;  // sorted by code
};

// A stored file's content (content-addressed by SHA-256).
struct FileBlob {
  std::string sha256;  // lower-case hex
  int64_t size = 0;
  std::string content_type;
  core::Instant created_at{};
  std::string bytes;  // empty when read without bytes
};

// Who uploaded a file under which name (one row per upload; the same bytes may be uploaded by
// several orgs or under several names).
struct FileRef {
  std::string sha256;
  Id org_id = 0;
  std::string name;
  Id uploaded_by = 0;
  core::Instant uploaded_at{};
};

// A stored response for an Idempotency-Key (status 0 = the first request is still running).
struct IdempotencyRecord {
  Id user_id = 0;
  std::string key;
  std::string method;
  std::string route;
  std::string request_hash;  // hex SHA-256 of the request body
  int status = 0;
  std::string content_type;
  std::string body;
  core::Instant created_at{};
};

// --- Referrals and documents (v3) ---
// A referral list query. Every set field narrows the result (AND).
struct ReferralFilter {
  // R-ACC-1: only referrals this org may see — those it sends, and, once sent at least once,
  // those addressed to it or about a matter it owns, and those a coordinator's reassignment
  // took from it (it owns one of their R-REF-6 acceptance duties). Unset = every referral.
  std::optional<Id> visible_to_org_id;
  std::optional<Id> from_org_id;       // sent by (direction "out")
  std::optional<Id> to_org_id;         // addressed to, and sent at least once (direction "in")
  std::optional<Id> involving_org_id;  // sent by or addressed to
  // R-ACC-2: sent by or addressed to an org whose region code starts with this prefix ("" = any).
  std::string region_prefix;
  std::vector<domain::ReferralState> states;  // any of these; empty = any state
  std::string matter_code;
  std::optional<Id> township_org_id;
  std::optional<core::Instant> created_from;  // created_at >= (inclusive)
  std::optional<core::Instant> created_to;    // created_at < (exclusive)
  // R-TIME-4: the colour at `now` of the referral's open duty with the earliest due (a referral
  // without an open duty has no colour and never matches).
  std::optional<domain::Colour> colour;
  core::Instant now{};
  // Facts, place, party (name, id number) or number: substring match, case-insensitive for
  // ASCII. Three characters or more use the trigram full-text index; shorter text scans.
  std::string text;
  int offset = 0;
  int limit = 50;  // newest first: created_at descending, then id descending
};

// --- Collaborations (v4) ---
// A collaboration list query (R-COL-1..4). Every set field narrows the result (AND).
struct CollaborationFilter {
  // R-ACC-1: those this org sends, and, once sent at least once, those addressed to it.
  std::optional<Id> visible_to_org_id;
  std::optional<Id> from_org_id;       // direction "out"
  std::optional<Id> to_org_id;         // direction "in" (sent at least once)
  std::optional<Id> involving_org_id;  // sent by or addressed to
  // R-ACC-2: sent by or addressed to an org whose region code starts with this prefix ("" = any).
  std::string region_prefix;
  std::vector<domain::CollabState> states;  // any of these; empty = any
  std::optional<domain::CollabKind> kind;
  std::optional<core::Instant> created_from;  // inclusive
  std::optional<core::Instant> created_to;    // exclusive
  // R-TIME-4: colour at `now` of the open duty (object_type "collaboration") due first.
  std::optional<domain::Colour> colour;
  core::Instant now{};
  std::string text;  // substring of title, questions, case_ref or number
  int offset = 0;
  int limit = 50;  // newest first: created_at descending, then id descending
};

// --- Notices, meetings, participation, violation notices (v5) ---
// A list of R-COL-5..8 items. Every set field narrows the result (AND).
struct CoordItemFilter {
  std::optional<domain::CoordType> type;
  std::vector<domain::CoordType> types;  // any of these (with `type`: both hold); empty = any
  std::optional<Id> referral_id;         // items linked to this referral
  std::optional<Id> involving_org_id;  // R-ACC-1: the org is involved (from, to, invited, owner)
  // R-ACC-2: any involved org's region code starts with this prefix ("" = any).
  std::string region_prefix;
  std::optional<Id> from_org_id;       // direction "out": started by
  std::optional<Id> not_from_org_id;   // with involving_org_id: direction "in"
  std::vector<int> states;             // any of these (per type); empty = any
  std::string kind;                    // sub-kind
  std::optional<core::Instant> created_from;  // created_at >= (inclusive)
  std::optional<core::Instant> created_to;    // created_at < (exclusive)
  // Title, number or the text values of the type's own fields (the strings inside `data`, at
  // any depth — never its field names): substring match, case-insensitive for ASCII.
  std::string text;
  int offset = 0;
  int limit = 50;  // newest first: created_at descending, then id descending
  // R-TIME-4: the colour at `now` of the item's open duty due first (object_type the type's
  // name, object_id the item id; ties: lowest duty id); an item without one never matches.
  std::optional<domain::Colour> colour;
  core::Instant now{};
};

// --- Administrative approvals (R-INF-2, v10) ---
// A list of approvals (domain::Approval). Every set field narrows the result (AND); newest
// decision first (decision_date descending, then id descending).
struct ApprovalFilter {
  // Substring (case-insensitive for ASCII) of the holder, credit code, decision number, category,
  // content, authority or address.
  std::string text;
  std::string category;   // exact
  std::string from, to;   // decision_date range, YYYY-MM-DD inclusive ("" = open)
  // A township's feed: assigned to the township, or an address containing any of the names.
  std::optional<Id> township_org_id;
  std::vector<std::string> township_names;
  // Fills Approval::read for this user; with unread_only, only those the user has not read.
  std::optional<Id> reader_user_id;
  bool unread_only = false;
  int offset = 0;
  int limit = 50;  // 1..10000
};

// --- Regions (R-ACC-2, v12) ---
// A long-red duty escalated to the coordinator office of the next region level up (issue 19).
struct Escalation {
  Id duty_id = 0;
  std::string from_region;  // the duty owner's region code
  Id to_org_id = 0;         // the office it went to
  std::string to_region;    // that office's region code
  core::Instant at{};
};
struct EscalationFilter {
  std::optional<Id> to_org_id;
  std::string region_prefix;  // escalations whose from_region starts with it ("" = any)
  int offset = 0;
  int limit = 50;  // newest first
};

// One transaction. All methods return kNotFound for a missing row, kAlreadyExists for a
// uniqueness violation (field = the column), kInternal for database failures.
class Tx {
 public:
  virtual ~Tx() = default;

  // --- Organisations ---
  virtual Result<Id> InsertOrg(const domain::Org& org) = 0;  // returns the new id
  virtual Status UpdateOrg(const domain::Org& org) = 0;       // by org.id
  virtual Result<domain::Org> GetOrg(Id id) = 0;
  virtual Result<domain::Org> GetOrgByCode(const std::string& code) = 0;
  virtual Result<std::vector<domain::Org>> ListOrgs() = 0;  // ordered by kind, id
  // The orgs with any of `ids` (duplicates allowed), ascending id; missing ids are left out.
  // One statement (SQLite: one per 64 distinct ids), for pages and details naming several orgs.
  virtual Result<std::vector<domain::Org>> GetOrgsByIds(const std::vector<Id>& ids) = 0;

  // --- Users ---
  virtual Result<Id> InsertUser(const domain::User& user) = 0;
  virtual Status UpdateUser(const domain::User& user) = 0;  // every column, by user.id
  virtual Result<domain::User> GetUser(Id id) = 0;
  virtual Result<domain::User> GetUserByUsername(const std::string& username) = 0;
  virtual Result<std::vector<domain::User>> ListUsers(const UserFilter& filter) = 0;
  // Users of an org holding any of the roles (for notifications).
  virtual Result<std::vector<domain::User>> ListUsersWithRoles(Id org_id,
                                                               domain::RoleSet any_of) = 0;
  // The users with any of `ids` (duplicates allowed), ascending id; missing ids are left out.
  virtual Result<std::vector<domain::User>> GetUsersByIds(const std::vector<Id>& ids) = 0;

  // --- Sessions and API tokens ---
  virtual Status InsertSession(const Session& s) = 0;
  virtual Result<Session> GetSession(const std::string& token_hash) = 0;
  virtual Status TouchSession(const std::string& token_hash, core::Instant last_seen,
                              core::Instant expires_at) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  virtual Status DeleteSessionsOfUser(Id user_id) = 0;
  virtual Result<Id> InsertApiToken(const ApiToken& t) = 0;
  virtual Result<ApiToken> GetApiTokenByHash(const std::string& token_hash) = 0;
  virtual Result<ApiToken> GetApiToken(Id id) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(Id user_id) = 0;
  virtual Status RevokeApiToken(Id id, core::Instant at) = 0;
  // Records that the token was used at `at` (the caller limits how often).
  virtual Status TouchApiToken(Id id, core::Instant at) = 0;
  // The session (token) with `token_hash`, its user, the user's org and unit, read together
  // (one statement on a read transaction) to authenticate a request. kNotFound when the session
  // (token), the user, the org or the user's unit is missing. Expiry, revocation and disabled
  // users are left to the caller.
  virtual Result<SessionPrincipal> GetSessionPrincipal(const std::string& token_hash) = 0;
  virtual Result<TokenPrincipal> GetTokenPrincipal(const std::string& token_hash) = 0;

  // --- Audit trail (R-AUD-1) ---
  // Appends an entry: fills seq, prev_hash, detail_digest and hash from the current chain head
  // (the backend serialises appends) and returns the completed entry.
  virtual Result<domain::AuditEntry> AppendAudit(domain::AuditEntry entry) = 0;
  // Appends `entries` in order, chained exactly as that many AppendAudit calls would chain them
  // (consecutive seq, each prev_hash the previous hash), reading the chain head once; PostgreSQL
  // takes its append lock once and inserts them in one statement. Returns them completed, in
  // order; an empty list appends nothing.
  virtual Result<std::vector<domain::AuditEntry>> AppendAudits(
      std::vector<domain::AuditEntry> entries) = 0;
  // Appends `entry` as AppendAudit would, at the latest when the transaction commits. PostgreSQL
  // appends the entries queued in a write transaction just before its COMMIT, so the chain's
  // lock (held to the end of the transaction) is taken last and held only for the append and
  // the commit, not for the rest of the work; AppendAudit(s), ListAudit and ScanAudit in the same
  // transaction append the queued entries first (order and read-your-writes hold). A queued
  // entry that cannot be appended fails the commit. SQLite appends at once.
  virtual Status QueueAudit(domain::AuditEntry entry) {
    return AppendAudit(std::move(entry)).status();
  }
  // --- Nested units of work (issue 16: one transaction per write request) ---
  // A savepoint in this write transaction: EndNested(true) keeps what was done since the
  // matching BeginNested, EndNested(false) undoes it (with the audit entries queued since).
  // Nests. Used by storage::RequestStore to run a request's writes inside its one transaction.
  virtual Status BeginNested() = 0;
  virtual Status EndNested(bool keep) = 0;
  virtual Result<std::vector<domain::AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
  // How many entries match `filter` (limit, offset and before_seq ignored but before_seq applied).
  virtual Result<int64_t> CountAudit(const AuditFilter& filter) = 0;
  // Every entry in storage order (ascending seq), for verification; stops when fn returns false.
  virtual Status ScanAudit(const std::function<bool(const domain::AuditEntry&)>& fn) = 0;
  // Signed checkpoints of the chain head (R-AUD-1). Inserts `cp` unless a checkpoint of the same
  // seq is stored (idempotent per head: several instances may sign the same head); returns
  // whether this call inserted it.
  virtual Result<bool> InsertAuditCheckpoint(const domain::AuditCheckpoint& cp) = 0;
  // Every stored checkpoint, ascending seq.
  virtual Result<std::vector<domain::AuditCheckpoint>> ListAuditCheckpoints() = 0;
  // The stored checkpoint with the highest seq, if any.
  virtual Result<std::optional<domain::AuditCheckpoint>> LatestAuditCheckpoint() = 0;

  // --- Working-day calendar years imported by administrators (R-TIME-3) ---
  virtual Status UpsertCalendarYear(const CalendarYearRow& row) = 0;
  virtual Result<std::vector<CalendarYearRow>> ListCalendarYears() = 0;

  // --- Duties (R-TIME-4) ---
  virtual Result<Id> InsertDuty(const domain::Duty& d) = 0;
  virtual Status UpdateDuty(const domain::Duty& d) = 0;  // every column, by id
  // The sweeper's narrow update (R-TIME-4): raises notified_level of each open duty among `ids`
  // to its colour level at `now` (2 when due_at <= now, else 1 when yellow_at <= now) where that
  // is above its notified_level, and changes no other column (so SQLite writes no index but the
  // sweeper's partial ones). Returns the duties raised, as they are after the change, ascending
  // id; an id that is missing, not open or already warned is left out. Each row is checked and
  // raised atomically: of two concurrent callers only one raises (and returns) a duty.
  // PostgreSQL: one statement; it first takes the audit trail's append lock (the caller appends
  // the warnings' audit entries next, so the lock is taken before any row, never while holding
  // one), and a duty row another transaction has locked is left out (the next pass raises it).
  virtual Result<std::vector<domain::Duty>> RaiseNotifiedLevels(const std::vector<Id>& ids,
                                                                core::Instant now) = 0;
  virtual Result<domain::Duty> GetDuty(Id id) = 0;
  virtual Result<std::vector<domain::Duty>> ListDuties(const DutyFilter& f) = 0;
  virtual Result<int64_t> CountDuties(const DutyFilter& f) = 0;
  // Sweeper queries, served by partial indexes (never a full scan):
  //  open duties with notified_level < 1 and yellow_at <= now, and
  //  open duties with notified_level < 2 and due_at <= now; at most `limit` each, oldest first.
  virtual Result<std::vector<domain::Duty>> DutiesTurnedYellow(core::Instant now, int limit) = 0;
  virtual Result<std::vector<domain::Duty>> DutiesTurnedRed(core::Instant now, int limit) = 0;
  // Open or suspended duties whose deadline was computed provisionally (for recomputation).
  virtual Result<std::vector<domain::Duty>> ProvisionalOpenDuties() = 0;
  virtual Result<Id> InsertDutyEvent(const domain::DutyEvent& e) = 0;
  // Inserts the events in order (one statement on PostgreSQL); returns their ids in that order.
  virtual Result<std::vector<Id>> InsertDutyEvents(const std::vector<domain::DutyEvent>& events) = 0;
  virtual Result<std::vector<domain::DutyEvent>> ListDutyEvents(Id duty_id) = 0;

  // --- Notifications ---
  // Inserts unless (user_id, dedupe_key) exists; returns the new id, or nullopt when it existed.
  virtual Result<std::optional<Id>> InsertNotification(const domain::Notification& n) = 0;
  // InsertNotification for each of `ns`, in order (one statement on PostgreSQL): element i of the
  // result is the new id, or nullopt when (user_id, dedupe_key) existed already or came earlier
  // in `ns` (an empty dedupe_key is never deduplicated).
  virtual Result<std::vector<std::optional<Id>>> InsertNotifications(
      const std::vector<domain::Notification>& ns) = 0;
  // The users of any of `org_ids` holding any of the roles, ordered by org_id, id (the
  // recipients of the sweeper's warnings, read for a whole batch at once; never locked).
  virtual Result<std::vector<domain::User>> ListUsersWithRolesIn(const std::vector<Id>& org_ids,
                                                                 domain::RoleSet any_of) = 0;
  virtual Result<std::vector<domain::Notification>> ListNotifications(
      const NotificationFilter& f) = 0;
  virtual Result<int64_t> CountUnread(Id user_id) = 0;
  virtual Status MarkNotificationRead(Id user_id, Id id, core::Instant at) = 0;
  virtual Status MarkAllNotificationsRead(Id user_id, core::Instant at) = 0;
  // Notifications created after `after_id` for any user (for live push), ascending id.
  virtual Result<std::vector<domain::Notification>> NotificationsAfter(Id after_id,
                                                                       int limit) = 0;

  // --- Assessment (R-ASM-1, v13) ---
  // Inserts a scheme version; already_exists when (year, version) is taken.
  virtual Result<Id> InsertAssessmentScheme(const AssessmentSchemeRow& r) = 0;
  // The highest version of the year, or nullopt.
  virtual Result<std::optional<AssessmentSchemeRow>> LatestAssessmentScheme(int year) = 0;
  virtual Result<std::optional<AssessmentSchemeRow>> GetAssessmentScheme(Id id) = 0;
  // Inserts a published result; already_exists "period" when the period is published already.
  virtual Result<Id> InsertAssessmentResult(const AssessmentResultRow& r) = 0;
  virtual Result<std::optional<AssessmentResultRow>> GetAssessmentResult(Id id) = 0;
  // Every published result, newest first, without `data` (empty).
  virtual Result<std::vector<AssessmentResultRow>> ListAssessmentResults() = 0;

  // --- Delivery away from the browser (issue 18) ---
  // InsertNotification(s) also queue, in the same transaction, one delivery per channel the
  // recipient wants for the notification's class (Notification::urgent) and has an address for.
  // The user's contact row, or nullopt when never set (defaults apply).
  virtual Result<std::optional<domain::UserContact>> GetUserContact(Id user_id) = 0;
  virtual Status PutUserContact(const domain::UserContact& c) = 0;
  // Claims up to `limit` pending deliveries due at `now` (next_at <= now) whose lease is free or
  // expired, leasing them to `owner` until `lease_until`, oldest first; rows another
  // transaction holds are skipped (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer).
  virtual Result<std::vector<domain::Delivery>> ClaimDeliveries(core::Instant now,
                                                                core::Instant lease_until,
                                                                const std::string& owner,
                                                                int limit) = 0;
  // Records the outcome of a claimed delivery (state, attempts, next_at, last_error, sent_at)
  // and frees its lease, only while `owner` holds it; returns false when it no longer does.
  virtual Result<bool> FinishDelivery(const domain::Delivery& d, const std::string& owner) = 0;
  // Deliveries newest first, optionally of one state; `state` -1 = any.
  virtual Result<std::vector<domain::Delivery>> ListDeliveries(int state, int offset,
                                                               int limit) = 0;
  virtual Result<int64_t> CountDeliveries(int state) = 0;

  // --- Small key/value state for jobs ("sweeper.last_run" …) ---
  virtual Result<std::optional<std::string>> GetState(const std::string& key) = 0;
  virtual Status PutState(const std::string& key, const std::string& value) = 0;
  // Deletes the state `key`; ok when it is missing.
  virtual Status DeleteState(const std::string& key) = 0;
  // The states whose key starts with `prefix` (byte-wise), as (key, value), ascending key.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListStates(
      const std::string& prefix) = 0;

  // --- Matters, files, idempotency (v2) ---
  // Matters (R-JUR-1). Code unique (kAlreadyExists field "code"); owner must exist.
  virtual Result<Id> InsertMatter(const domain::Matter& m) = 0;
  virtual Status UpdateMatter(const domain::Matter& m) = 0;  // every column, by id
  virtual Result<domain::Matter> GetMatter(Id id) = 0;
  virtual Result<domain::Matter> GetMatterByCode(const std::string& code) = 0;
  virtual Result<std::vector<domain::Matter>> ListMatters(const MatterFilter& f) = 0;
  virtual Result<int64_t> CountMatters(const MatterFilter& f) = 0;
  // Delegations (R-JUR-2: never deleted). Key (matter_id, township_org_id, from): a duplicate is
  // kAlreadyExists field "from". SetDelegationEnd changes only `to` and `withdrawn_by` (the
  // decision that ended it, or none) (kNotFound when no row).
  virtual Status InsertDelegation(const domain::Delegation& d) = 0;
  virtual Status SetDelegationEnd(Id matter_id, Id township_org_id, core::CivilDay from,
                                  std::optional<core::CivilDay> to,
                                  std::optional<domain::Citation> withdrawn_by = std::nullopt) = 0;
  // A matter's delegations ordered by township_org_id, from.
  virtual Result<std::vector<domain::Delegation>> ListDelegations(Id matter_id) = 0;
  // Owner periods (R-DIS-3, v8; never deleted). Key (matter_id, from): a duplicate is
  // kAlreadyExists field "from"; matter and owner must exist.
  virtual Status InsertOwnerPeriod(const domain::OwnerPeriod& p) = 0;
  // A matter's owner periods ordered by from.
  virtual Result<std::vector<domain::OwnerPeriod>> ListOwnerPeriods(Id matter_id) = 0;
  // Files. InsertFileBlob returns false (and changes nothing) when the sha256 already exists.
  virtual Result<bool> InsertFileBlob(const FileBlob& f) = 0;
  virtual Result<FileBlob> GetFileBlob(const std::string& sha256, bool with_bytes) = 0;
  virtual Status InsertFileRef(const FileRef& r) = 0;
  virtual Result<std::vector<FileRef>> ListFileRefs(const std::string& sha256) = 0;  // by uploaded_at
  // Idempotency keys. Reserve inserts `r` unless (user_id, key) exists: true when inserted.
  virtual Result<bool> ReserveIdempotencyKey(const IdempotencyRecord& r) = 0;
  virtual Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(Id user_id,
                                                                     const std::string& key) = 0;
  // Sets status, content_type and body of (r.user_id, r.key); kNotFound when missing.
  virtual Status CompleteIdempotencyKey(const IdempotencyRecord& r) = 0;
  virtual Status DeleteIdempotencyKey(Id user_id, const std::string& key) = 0;  // ok when missing
  // Deletes keys created before `before`; returns how many.
  virtual Result<int64_t> PurgeIdempotencyKeys(core::Instant before) = 0;

  // --- Referrals and documents (v3) ---
  // Inserts a referral with its evidence items (r.id is ignored); returns the new id.
  virtual Result<Id> InsertReferral(const domain::Referral& r) = 0;
  // Every column by r.id, and replaces the evidence list. kNotFound when missing.
  virtual Status UpdateReferral(const domain::Referral& r) = 0;
  virtual Result<domain::Referral> GetReferral(Id id) = 0;  // with evidence, in order
  virtual Result<std::vector<domain::Referral>> ListReferrals(const ReferralFilter& f) = 0;
  virtual Result<int64_t> CountReferrals(const ReferralFilter& f) = 0;
  // Referrals with an evidence item naming the file (ascending id), for file access (R-ACC-1).
  virtual Result<std::vector<Id>> ReferralsWithFile(const std::string& sha256) = 0;
  // R-DOC-1: takes the next serial of (org, year, kind) — 1, 2, 3 … — by incrementing
  // doc_counters inside this transaction; committed serials are gap-free and unique even under
  // concurrent writers (a rolled-back transaction gives its serial back).
  virtual Result<int64_t> TakeDocSerial(Id org_id, int year, domain::DocKind kind) = 0;
  // Inserts an issued document (d.id ignored). (org_id, kind, year, serial) is unique:
  // kAlreadyExists field "number".
  virtual Result<Id> InsertDocument(const domain::Document& d) = 0;
  virtual Result<domain::Document> GetDocument(Id id) = 0;
  // A referral's documents, ascending id.
  virtual Result<std::vector<domain::Document>> ListReferralDocuments(Id referral_id) = 0;

  // --- Collaborations (v4) ---
  // Inserts a collaboration with its materials, rounds and extensions (c.id ignored).
  virtual Result<Id> InsertCollaboration(const domain::Collaboration& c) = 0;
  // Every column by c.id; replaces materials, rounds and extensions. kNotFound when missing.
  virtual Status UpdateCollaboration(const domain::Collaboration& c) = 0;
  virtual Result<domain::Collaboration> GetCollaboration(Id id) = 0;
  virtual Result<std::vector<domain::Collaboration>> ListCollaborations(
      const CollaborationFilter& f) = 0;
  virtual Result<int64_t> CountCollaborations(const CollaborationFilter& f) = 0;
  // Collaborations with a material or an answer naming the file (ascending id), for file access.
  virtual Result<std::vector<Id>> CollaborationsWithFile(const std::string& sha256) = 0;
  // Links an issued document to a collaboration; its documents in ascending id.
  virtual Status LinkCollaborationDocument(Id collaboration_id, Id document_id) = 0;
  virtual Result<std::vector<domain::Document>> ListCollaborationDocuments(
      Id collaboration_id) = 0;
  // --- Notices, meetings, participation, violation notices (v5) ---
  // Items of the R-COL-5..8 workflows and of the disputes, criminal transfers and complaints
  // (domain/coord_items.h, CoordType). Insert ignores item.id and
  // writes item.org_ids (the involved orgs, R-ACC-1) and `files` (sha256 of attached files, for
  // file access); Update rewrites every column, the org set and the file set (kNotFound when
  // missing).
  virtual Result<Id> InsertCoordItem(const domain::CoordItem& item,
                                     const std::vector<std::string>& files) = 0;
  virtual Status UpdateCoordItem(const domain::CoordItem& item,
                                 const std::vector<std::string>& files) = 0;
  virtual Result<domain::CoordItem> GetCoordItem(Id id) = 0;
  virtual Result<std::vector<domain::CoordItem>> ListCoordItems(const CoordItemFilter& f) = 0;
  virtual Result<int64_t> CountCoordItems(const CoordItemFilter& f) = 0;
  // Items naming the file among their attachments (ascending id).
  virtual Result<std::vector<Id>> CoordItemsWithFile(const std::string& sha256) = 0;
  // The thread of an item (m.id ignored); ascending id.
  virtual Result<Id> InsertCoordMessage(const domain::CoordMessage& m) = 0;
  virtual Result<std::vector<domain::CoordMessage>> ListCoordMessages(Id item_id) = 0;
  // Issued documents of an item (ascending id), and the item a document belongs to (nullopt
  // when none).
  virtual Status LinkCoordDocument(Id item_id, Id document_id) = 0;
  virtual Result<std::vector<domain::Document>> ListCoordDocuments(Id item_id) = 0;
  virtual Result<std::optional<Id>> CoordItemOfDocument(Id document_id) = 0;

  // --- Administrative approvals (R-INF-2, v10) ---
  // Insert ignores a.id and a.read: kAlreadyExists field "decision_number" for a duplicate.
  // Update rewrites every column by a.id (kNotFound when missing).
  virtual Result<Id> InsertApproval(const domain::Approval& a) = 0;
  virtual Status UpdateApproval(const domain::Approval& a) = 0;
  virtual Result<domain::Approval> GetApproval(Id id) = 0;
  virtual Result<domain::Approval> GetApprovalByNumber(const std::string& decision_number) = 0;
  virtual Result<std::vector<domain::Approval>> ListApprovals(const ApprovalFilter& f) = 0;
  virtual Result<int64_t> CountApprovals(const ApprovalFilter& f) = 0;  // ignores offset/limit
  // Marks the approvals read by the user at `at` (already read ones keep their first read).
  virtual Status MarkApprovalsRead(Id user_id, const std::vector<Id>& ids, core::Instant at) = 0;

  // --- Regions (R-ACC-2, v12; sqlite_regions.cc / pg_regions.cc) ---
  // kAlreadyExists field "code" for a duplicate code; the parent must exist (insert parents
  // first, domain::SortParentsFirst).
  virtual Status InsertRegion(const domain::Region& r) = 0;
  virtual Result<domain::Region> GetRegion(const std::string& code) = 0;
  virtual Result<std::vector<domain::Region>> ListRegions() = 0;  // by level, code
  // The orgs whose region code starts with `prefix` (a scope prefix, digits only): their ids and
  // region codes, ascending id.
  virtual Result<std::vector<std::pair<Id, std::string>>> OrgsInRegion(const std::string& prefix) = 0;
  // Records an escalation; false (and nothing written) when the duty was escalated already.
  virtual Result<bool> InsertEscalation(const Escalation& e) = 0;
  virtual Result<std::vector<Escalation>> ListEscalations(const EscalationFilter& f) = 0;
  virtual Result<int64_t> CountEscalations(const EscalationFilter& f) = 0;  // ignores offset/limit
  // Open duties already notified red whose deadline is at or before `due_at_le`, whose owner
  // org is placed in a region, and that were not escalated yet: their ids, oldest deadline first.
  virtual Result<std::vector<Id>> DutiesToEscalate(core::Instant due_at_le, int limit) = 0;
};

struct StoreInfo {
  std::string backend;  // "sqlite" or "postgres"
  int schema_version = 0;  // applied
  int binary_schema_version = 0;  // the newest this binary knows
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in a read-write transaction; commits iff fn returns OK. Conflicts are retried by
  // the backend where that is safe (fn must then be re-runnable).
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs fn in a read-only transaction (writes fail with kInternal).
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  virtual StoreInfo Info() const = 0;
  // Seconds spent in the database so far (fed to /metrics).
  virtual double DbSeconds() const = 0;
};

}  // namespace xietong::storage
