// The PostgreSQL implementation of storage::Tx over one pooled connection that already has a
// transaction open (the store begins and ends it). Internal to storage/postgres; used by one
// thread.
//
// In a write transaction (READ COMMITTED):
//  - every statement that may violate a constraint runs inside its own savepoint, sent in the
//    same round trip (Conn::QueryGuarded), so a refused INSERT/UPDATE leaves the transaction
//    usable, as a failed statement does in SQLite;
//  - Get* by key reads the newest committed row and locks it (FOR NO KEY UPDATE) until the
//    transaction ends, so read-check-update sequences (a duty's state, a user's failed logins)
//    behave as if writers ran one at a time, as they do in SQLite, even across server instances;
//    orgs, matters and users by id are locked FOR SHARE instead (see SharedLocking): every
//    request reads them, few change them;
//  - AppendAudit takes pg_advisory_xact_lock(kAuditLockKey) before reading the chain head, so
//    appends from every instance sharing the database form one gap-free linear chain;
//    QueueAudit holds entries back until FlushAudit, which the store runs right before COMMIT,
//    so that lock is held only for the append and the commit;
//    AppendAudits takes it once, reads the head once and inserts the batch in one statement;
//  - DutiesTurnedYellow/Red add FOR UPDATE SKIP LOCKED: two sweepers never hold the same duty;
//  - RaiseNotifiedLevels takes the audit lock first, then the duty rows (SKIP LOCKED): a sweeper
//    never waits for a row while holding that lock, so it cannot deadlock with a request that
//    appended its audit entry and then locks a duty.
// A read transaction (REPEATABLE READ READ ONLY) is one snapshot; writes fail with kInternal
// before reaching the server.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "storage/postgres/internal/pg.h"
#include "storage/store.h"

namespace xietong::storage::postgres {

class PgTx final : public Tx {
 public:
  PgTx(Conn& conn, bool read_only) : conn_(conn), read_only_(read_only) {}

  Status BeginNested() override;
  Status EndNested(bool keep) override;
  Result<Id> InsertOrg(const domain::Org& org) override;
  Status UpdateOrg(const domain::Org& org) override;
  Result<domain::Org> GetOrg(Id id) override;
  Result<domain::Org> GetOrgByCode(const std::string& code) override;
  Result<std::vector<domain::Org>> ListOrgs() override;
  Result<Id> InsertUser(const domain::User& user) override;
  Status UpdateUser(const domain::User& user) override;
  Result<domain::User> GetUser(Id id) override;
  Result<domain::User> GetUserByUsername(const std::string& username) override;
  Result<std::vector<domain::User>> ListUsers(const UserFilter& filter) override;
  Result<std::vector<domain::User>> ListUsersWithRoles(Id org_id, domain::RoleSet any_of) override;
  Status InsertSession(const Session& s) override;
  Result<Session> GetSession(const std::string& token_hash) override;
  Status TouchSession(const std::string& token_hash, core::Instant last_seen, core::Instant expires_at) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteSessionsOfUser(Id user_id) override;
  Result<Id> InsertApiToken(const ApiToken& t) override;
  Result<ApiToken> GetApiTokenByHash(const std::string& token_hash) override;
  Result<ApiToken> GetApiToken(Id id) override;
  Result<std::vector<ApiToken>> ListApiTokens(Id user_id) override;
  Status RevokeApiToken(Id id, core::Instant at) override;
  Status TouchApiToken(Id id, core::Instant at) override;
  Result<domain::AuditEntry> AppendAudit(domain::AuditEntry entry) override;
  Status QueueAudit(domain::AuditEntry entry) override;
  // Appends the entries QueueAudit held back (the store calls it before COMMIT).
  Status FlushAudit();
  Result<std::vector<domain::AuditEntry>> AppendAudits(
      std::vector<domain::AuditEntry> entries) override;
  Result<std::vector<domain::AuditEntry>> ListAudit(const AuditFilter& filter) override;
  Result<int64_t> CountAudit(const AuditFilter& filter) override;
  Status ScanAudit(const std::function<bool(const domain::AuditEntry&)>& fn) override;
  Result<bool> InsertAuditCheckpoint(const domain::AuditCheckpoint& cp) override;
  Result<std::vector<domain::AuditCheckpoint>> ListAuditCheckpoints() override;
  Result<std::optional<domain::AuditCheckpoint>> LatestAuditCheckpoint() override;
  Status UpsertCalendarYear(const CalendarYearRow& row) override;
  Result<std::vector<CalendarYearRow>> ListCalendarYears() override;
  Result<Id> InsertDuty(const domain::Duty& d) override;
  Status UpdateDuty(const domain::Duty& d) override;
  Result<std::vector<domain::Duty>> RaiseNotifiedLevels(const std::vector<Id>& ids,
                                                        core::Instant now) override;
  Result<domain::Duty> GetDuty(Id id) override;
  Result<std::vector<domain::Duty>> ListDuties(const DutyFilter& f) override;
  Result<int64_t> CountDuties(const DutyFilter& f) override;
  Result<std::vector<domain::Duty>> DutiesTurnedYellow(core::Instant now, int limit) override;
  Result<std::vector<domain::Duty>> DutiesTurnedRed(core::Instant now, int limit) override;
  Result<std::vector<domain::Duty>> ProvisionalOpenDuties() override;
  Result<Id> InsertDutyEvent(const domain::DutyEvent& e) override;
  Result<std::vector<Id>> InsertDutyEvents(const std::vector<domain::DutyEvent>& events) override;
  Result<std::vector<domain::DutyEvent>> ListDutyEvents(Id duty_id) override;
  Result<std::optional<Id>> InsertNotification(const domain::Notification& n) override;
  Result<std::vector<std::optional<Id>>> InsertNotifications(
      const std::vector<domain::Notification>& ns) override;
  Result<std::vector<domain::User>> ListUsersWithRolesIn(const std::vector<Id>& org_ids,
                                                         domain::RoleSet any_of) override;
  Result<std::vector<domain::Notification>> ListNotifications( const NotificationFilter& f) override;
  Result<int64_t> CountUnread(Id user_id) override;
  Status MarkNotificationRead(Id user_id, Id id, core::Instant at) override;
  Status MarkAllNotificationsRead(Id user_id, core::Instant at) override;
  Result<std::vector<domain::Notification>> NotificationsAfter(Id after_id, int limit) override;
  Result<std::optional<domain::UserContact>> GetUserContact(Id user_id) override;
  Status PutUserContact(const domain::UserContact& c) override;
  Result<Id> InsertAssessmentScheme(const AssessmentSchemeRow& r) override;
  Result<std::optional<AssessmentSchemeRow>> LatestAssessmentScheme(int year) override;
  Result<std::optional<AssessmentSchemeRow>> GetAssessmentScheme(Id id) override;
  Result<Id> InsertAssessmentResult(const AssessmentResultRow& r) override;
  Result<std::optional<AssessmentResultRow>> GetAssessmentResult(Id id) override;
  Result<std::vector<AssessmentResultRow>> ListAssessmentResults() override;
  Result<std::vector<domain::Delivery>> ClaimDeliveries(core::Instant now, core::Instant lease_until,
                                                        const std::string& owner,
                                                        int limit) override;
  Result<bool> FinishDelivery(const domain::Delivery& d, const std::string& owner) override;
  Result<std::vector<domain::Delivery>> ListDeliveries(int state, int offset, int limit) override;
  Result<int64_t> CountDeliveries(int state) override;
  Result<std::optional<std::string>> GetState(const std::string& key) override;
  Status PutState(const std::string& key, const std::string& value) override;
  Status DeleteState(const std::string& key) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListStates(
      const std::string& prefix) override;
  Result<Id> InsertMatter(const domain::Matter& m) override;
  Status UpdateMatter(const domain::Matter& m) override;
  Result<domain::Matter> GetMatter(Id id) override;
  Result<domain::Matter> GetMatterByCode(const std::string& code) override;
  Result<std::vector<domain::Matter>> ListMatters(const MatterFilter& f) override;
  Result<int64_t> CountMatters(const MatterFilter& f) override;
  Status InsertDelegation(const domain::Delegation& d) override;
  Status SetDelegationEnd(Id matter_id, Id township_org_id, core::CivilDay from,
                          std::optional<core::CivilDay> to,
                          std::optional<domain::Citation> withdrawn_by = std::nullopt) override;
  Result<std::vector<domain::Delegation>> ListDelegations(Id matter_id) override;
  Status InsertOwnerPeriod(const domain::OwnerPeriod& p) override;
  Result<std::vector<domain::OwnerPeriod>> ListOwnerPeriods(Id matter_id) override;
  Result<bool> InsertFileBlob(const FileBlob& f) override;
  Result<FileBlob> GetFileBlob(const std::string& sha256, bool with_bytes) override;
  Status InsertFileRef(const FileRef& r) override;
  Result<std::vector<FileRef>> ListFileRefs(const std::string& sha256) override;
  Result<bool> ReserveIdempotencyKey(const IdempotencyRecord& r) override;
  Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(Id user_id, const std::string& key) override;
  Status CompleteIdempotencyKey(const IdempotencyRecord& r) override;
  Status DeleteIdempotencyKey(Id user_id, const std::string& key) override;
  Result<int64_t> PurgeIdempotencyKeys(core::Instant before) override;
  Result<Id> InsertReferral(const domain::Referral& r) override;
  Status UpdateReferral(const domain::Referral& r) override;
  Result<domain::Referral> GetReferral(Id id) override;
  Result<std::vector<domain::Referral>> ListReferrals(const ReferralFilter& f) override;
  Result<int64_t> CountReferrals(const ReferralFilter& f) override;
  Result<std::vector<Id>> ReferralsWithFile(const std::string& sha256) override;
  Result<int64_t> TakeDocSerial(Id org_id, int year, domain::DocKind kind) override;
  Result<Id> InsertDocument(const domain::Document& d) override;
  Result<domain::Document> GetDocument(Id id) override;
  Result<std::vector<domain::Document>> ListReferralDocuments(Id referral_id) override;

  // --- Collaborations (v4): pg_collaborations.cc ---
  Result<Id> InsertCollaboration(const domain::Collaboration& c) override;
  Status UpdateCollaboration(const domain::Collaboration& c) override;
  Result<domain::Collaboration> GetCollaboration(Id id) override;
  Result<std::vector<domain::Collaboration>> ListCollaborations(
      const CollaborationFilter& f) override;
  Result<int64_t> CountCollaborations(const CollaborationFilter& f) override;
  Result<std::vector<Id>> CollaborationsWithFile(const std::string& sha256) override;
  Status LinkCollaborationDocument(Id collaboration_id, Id document_id) override;
  Result<std::vector<domain::Document>> ListCollaborationDocuments(Id collaboration_id) override;
  // --- Notices, meetings, participation, violation notices (v5): pg_notices.cc ---
  Result<Id> InsertCoordItem(const domain::CoordItem& item,
                             const std::vector<std::string>& files) override;
  Status UpdateCoordItem(const domain::CoordItem& item,
                         const std::vector<std::string>& files) override;
  Result<domain::CoordItem> GetCoordItem(Id id) override;
  Result<std::vector<domain::CoordItem>> ListCoordItems(const CoordItemFilter& f) override;
  Result<int64_t> CountCoordItems(const CoordItemFilter& f) override;
  Result<std::vector<Id>> CoordItemsWithFile(const std::string& sha256) override;
  Result<Id> InsertCoordMessage(const domain::CoordMessage& m) override;
  Result<std::vector<domain::CoordMessage>> ListCoordMessages(Id item_id) override;
  Status LinkCoordDocument(Id item_id, Id document_id) override;
  Result<std::vector<domain::Document>> ListCoordDocuments(Id item_id) override;
  Result<std::optional<Id>> CoordItemOfDocument(Id document_id) override;
  // --- Administrative approvals (R-INF-2, v10) ---
  Result<Id> InsertApproval(const domain::Approval& a) override;
  Status UpdateApproval(const domain::Approval& a) override;
  Result<domain::Approval> GetApproval(Id id) override;
  Result<domain::Approval> GetApprovalByNumber(const std::string& decision_number) override;
  Result<std::vector<domain::Approval>> ListApprovals(const ApprovalFilter& f) override;
  Result<int64_t> CountApprovals(const ApprovalFilter& f) override;
  Status MarkApprovalsRead(Id user_id, const std::vector<Id>& ids, core::Instant at) override;
  // --- Regions (R-ACC-2, v12) ---
  Status InsertRegion(const domain::Region& r) override;
  Result<domain::Region> GetRegion(const std::string& code) override;
  Result<std::vector<domain::Region>> ListRegions() override;
  Result<std::vector<std::pair<Id, std::string>>> OrgsInRegion(const std::string& prefix) override;
  Result<bool> InsertEscalation(const Escalation& e) override;
  Result<std::vector<Escalation>> ListEscalations(const EscalationFilter& f) override;
  Result<int64_t> CountEscalations(const EscalationFilter& f) override;
  Result<std::vector<Id>> DutiesToEscalate(core::Instant due_at_le, int limit) override;

  // --- Joined and batched reads for the request path: pg_lookups.cc ---
  // In a read transaction each is one statement; in a write transaction GetOrgsByIds and
  // GetUsersByIds lock their rows (FOR NO KEY UPDATE, in id order) and the principals are read
  // row by row with the locking Get* (a join cannot lock the outer side of a LEFT JOIN).
  Result<std::vector<domain::Org>> GetOrgsByIds(const std::vector<Id>& ids) override;
  Result<std::vector<domain::User>> GetUsersByIds(const std::vector<Id>& ids) override;
  Result<SessionPrincipal> GetSessionPrincipal(const std::string& token_hash) override;
  Result<TokenPrincipal> GetTokenPrincipal(const std::string& token_hash) override;
  // --- end of pg_lookups.cc ---

 private:
  Status Writable() const;
  // A read statement; in a write transaction " FOR NO KEY UPDATE" is appended (see above).
  std::string Locking(const char* select_sql) const;
  // As Locking, but " FOR SHARE": for the reference rows every request reads (orgs, matters,
  // users by id). Concurrent requests then read them together instead of queueing on the row
  // (every referral of a township read-locked its org, matter and officer exclusively), while
  // an update of the row still waits for them; two read-check-update sequences on one such row
  // (an admin edit) deadlock instead, and the loser is retried by the store.
  std::string SharedLocking(const char* select_sql) const;
  // Runs a guarded write; kNotFound(what) when it changed no row.
  Status ExpectChanged(const std::string& sql, const Params& p, const char* what,
                       const char* message);

  Conn& conn_;
  std::vector<domain::AuditEntry> queued_audit_;  // QueueAudit's entries, not yet appended
  std::vector<size_t> nested_audit_marks_;  // queued_audit_.size() at each open BeginNested
  bool read_only_;
};

}  // namespace xietong::storage::postgres
