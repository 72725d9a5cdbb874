// The SQLite implementation of storage::Tx over one connection that already has a transaction
// open (the store begins and ends it). Internal to storage/sqlite; used by one thread.
#pragma once

#include "storage/sqlite/internal/db.h"
#include "storage/store.h"

namespace xietong::storage::sqlite {

class SqliteTx final : public Tx {
 public:
  // `read_only`: every write method fails with kInternal before touching the database (the
  // reader connections are also query_only).
  SqliteTx(Db& db, bool read_only) : db_(db), read_only_(read_only) {}

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
  Result<std::vector<domain::User>> ListUsersWithRoles(Id org_id,
                                                       domain::RoleSet any_of) override;

  Status InsertSession(const Session& s) override;
  Result<Session> GetSession(const std::string& token_hash) override;
  Status TouchSession(const std::string& token_hash, core::Instant last_seen,
                      core::Instant expires_at) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status DeleteSessionsOfUser(Id user_id) override;
  Result<Id> InsertApiToken(const ApiToken& t) override;
  Result<ApiToken> GetApiTokenByHash(const std::string& token_hash) override;
  Result<ApiToken> GetApiToken(Id id) override;
  Result<std::vector<ApiToken>> ListApiTokens(Id user_id) override;
  Status RevokeApiToken(Id id, core::Instant at) override;
  Status TouchApiToken(Id id, core::Instant at) override;

  Result<domain::AuditEntry> AppendAudit(domain::AuditEntry entry) override;
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
  Result<std::vector<domain::Notification>> ListNotifications(
      const NotificationFilter& f) override;
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

  // --- Matters, files, idempotency (v2): sqlite_matters.cc ---
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
  Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(Id user_id,
                                                             const std::string& key) override;
  Status CompleteIdempotencyKey(const IdempotencyRecord& r) override;
  Status DeleteIdempotencyKey(Id user_id, const std::string& key) override;
  Result<int64_t> PurgeIdempotencyKeys(core::Instant before) override;

  // --- Referrals and documents (v3): sqlite_referrals.cc ---
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

  // --- Collaborations (v4): sqlite_collaborations.cc ---
  Result<Id> InsertCollaboration(const domain::Collaboration& c) override;
  Status UpdateCollaboration(const domain::Collaboration& c) override;
  Result<domain::Collaboration> GetCollaboration(Id id) override;
  Result<std::vector<domain::Collaboration>> ListCollaborations(
      const CollaborationFilter& f) override;
  Result<int64_t> CountCollaborations(const CollaborationFilter& f) override;
  Result<std::vector<Id>> CollaborationsWithFile(const std::string& sha256) override;
  Status LinkCollaborationDocument(Id collaboration_id, Id document_id) override;
  Result<std::vector<domain::Document>> ListCollaborationDocuments(Id collaboration_id) override;

  // --- Notices, meetings, participation, violation notices (v5): sqlite_notices.cc ---
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

  // --- Joined and batched reads for the request path: sqlite_lookups.cc ---
  Result<std::vector<domain::Org>> GetOrgsByIds(const std::vector<Id>& ids) override;
  Result<std::vector<domain::User>> GetUsersByIds(const std::vector<Id>& ids) override;
  Result<SessionPrincipal> GetSessionPrincipal(const std::string& token_hash) override;
  Result<TokenPrincipal> GetTokenPrincipal(const std::string& token_hash) override;
  // --- end of sqlite_lookups.cc ---

 private:
  Status Writable() const;
  // Runs a prepared write; kNotFound(`what`) when it changed no row.
  Status ExpectChanged(Stmt& st, const char* what, const char* message);
  // Replaces the evidence rows of a referral (sqlite_referrals.cc).
  Status WriteEvidence(Id referral_id, const std::vector<domain::EvidenceItem>& items);
  Status ReadEvidence(domain::Referral& r);
  // Rewrites the org and file sets of an item (sqlite_notices.cc).
  Status WriteCoordSets(const domain::CoordItem& item, const std::vector<std::string>& files);

  Db& db_;
  bool read_only_;
};

// "%" "_" and "\" escaped for LIKE … ESCAPE '\'.
std::string EscapeLike(std::string_view text);
// R-ACC-2: the exclusive upper bound of the region codes starting with `prefix` (digits): the
// prefix with its last character incremented ("4453" → "4454", "4459" → "445:").
std::string RegionPrefixEnd(std::string_view prefix);
// The condition "`col` is the id of an org in the region subtree": two arguments, the prefix and
// RegionPrefixEnd(prefix) (a range on the orgs_region index).
#define XT_SQL_ORG_IN_REGION(col) \
  col " IN (SELECT id FROM orgs WHERE region_code >= ? AND region_code < ?)"

}  // namespace xietong::storage::sqlite
