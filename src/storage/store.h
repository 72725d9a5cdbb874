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
#include <vector>

#include "core/status.h"
#include "domain/audit.h"
#include "domain/duty.h"
#include "domain/notification.h"
#include "domain/org.h"

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

struct UserFilter {
  std::optional<Id> org_id;
  std::optional<domain::Role> role;
  std::string text;  // substring of username or display name
  int limit = 500;
};

struct AuditFilter {
  std::string object_type;  // empty = any
  std::string object_id;
  std::optional<Id> org_id;      // entries by actors of this org
  std::optional<int64_t> before_seq;  // paging: entries with seq < before_seq
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
  std::string text;  // substring of title
  int offset = 0;
  int limit = 50;  // sorted by due_at ascending, then id
};

struct NotificationFilter {
  Id user_id = 0;
  bool unread_only = false;
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

  // --- Users ---
  virtual Result<Id> InsertUser(const domain::User& user) = 0;
  virtual Status UpdateUser(const domain::User& user) = 0;  // every column, by user.id
  virtual Result<domain::User> GetUser(Id id) = 0;
  virtual Result<domain::User> GetUserByUsername(const std::string& username) = 0;
  virtual Result<std::vector<domain::User>> ListUsers(const UserFilter& filter) = 0;
  // Users of an org holding any of the roles (for notifications).
  virtual Result<std::vector<domain::User>> ListUsersWithRoles(Id org_id,
                                                               domain::RoleSet any_of) = 0;

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

  // --- Audit trail (R-AUD-1) ---
  // Appends an entry: fills seq, prev_hash, detail_digest and hash from the current chain head
  // (the backend serialises appends) and returns the completed entry.
  virtual Result<domain::AuditEntry> AppendAudit(domain::AuditEntry entry) = 0;
  virtual Result<std::vector<domain::AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
  // Every entry in storage order (ascending seq), for verification; stops when fn returns false.
  virtual Status ScanAudit(const std::function<bool(const domain::AuditEntry&)>& fn) = 0;

  // --- Working-day calendar years imported by administrators (R-TIME-3) ---
  virtual Status UpsertCalendarYear(const CalendarYearRow& row) = 0;
  virtual Result<std::vector<CalendarYearRow>> ListCalendarYears() = 0;

  // --- Duties (R-TIME-4) ---
  virtual Result<Id> InsertDuty(const domain::Duty& d) = 0;
  virtual Status UpdateDuty(const domain::Duty& d) = 0;  // every column, by id
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
  virtual Result<std::vector<domain::DutyEvent>> ListDutyEvents(Id duty_id) = 0;

  // --- Notifications ---
  // Inserts unless (user_id, dedupe_key) exists; returns the new id, or nullopt when it existed.
  virtual Result<std::optional<Id>> InsertNotification(const domain::Notification& n) = 0;
  virtual Result<std::vector<domain::Notification>> ListNotifications(
      const NotificationFilter& f) = 0;
  virtual Result<int64_t> CountUnread(Id user_id) = 0;
  virtual Status MarkNotificationRead(Id user_id, Id id, core::Instant at) = 0;
  virtual Status MarkAllNotificationsRead(Id user_id, core::Instant at) = 0;
  // Notifications created after `after_id` for any user (for live push), ascending id.
  virtual Result<std::vector<domain::Notification>> NotificationsAfter(Id after_id,
                                                                       int limit) = 0;

  // --- Small key/value state for jobs ("sweeper.last_run" …) ---
  virtual Result<std::optional<std::string>> GetState(const std::string& key) = 0;
  virtual Status PutState(const std::string& key, const std::string& value) = 0;
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
