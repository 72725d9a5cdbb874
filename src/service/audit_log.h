// Writing and reading the audit trail (R-AUD-1).
//
// Every service write calls Record() inside its Write transaction, so the change and its entry
// commit together. Thread-safe (stateless).
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/audit.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

struct AuditRecord {
  std::string action;       // "user.create"
  std::string object_type;  // "user"
  std::string object_id;    // "12"
  std::string summary;      // Chinese, one line: "创建用户 xincheng.officer"
  boost::json::object detail;  // what changed; serialised canonically
};

// Appends the entry in `tx` with the actor (nullptr = system) and time `at`, at the latest when
// `tx` commits (Tx::QueueAudit: PostgreSQL appends right before COMMIT, so the chain's lock is
// held only for the append and the commit; the transaction's own audit reads see the entry).
core::Status Record(storage::Tx& tx, const Principal* actor, core::Instant at, AuditRecord rec);
// Appends one entry per record, in order, as Record would one by one, but in one store call
// (Tx::AppendAudits: one head read, one INSERT on PostgreSQL). For batch jobs (the sweeper).
core::Result<std::vector<domain::AuditEntry>> RecordAll(storage::Tx& tx, const Principal* actor,
                                                        core::Instant at,
                                                        std::vector<AuditRecord> recs);

// Walks the whole chain; ok only when intact.
core::Result<domain::ChainCheck> VerifyChain(storage::Store& store);

}  // namespace xietong::service

namespace xietong::service {

struct AuditView {
  domain::AuditEntry entry;
  std::optional<domain::User> actor;
  std::optional<domain::Org> org;
};

// Entries visible to `p`, newest first: everything for admins, auditors and the coordinator;
// otherwise the entries made by people of p's own org (R-ACC-1).
core::Result<std::vector<AuditView>> ListAuditFor(storage::Store& store, const Principal& p,
                                                  storage::AuditFilter filter,
                                                  int64_t* total = nullptr);
// One event of an object's history, for timeline views.
struct TimelineEntry {
  core::Instant at{};
  std::string action;  // the audit action without the "<object_type>." prefix: "create", "approve" …
  std::string summary;
  std::optional<domain::Id> actor_id;
  std::string actor_name;
  std::optional<domain::Id> org_id;
  std::string org_name;
};

// The history of one object from the audit trail, oldest first, with actor and org names (read
// in one statement each). REQUIRES: the caller has checked that the principal may see the object.
core::Result<std::vector<TimelineEntry>> TimelineOf(storage::Tx& tx, const std::string& object_type,
                                                    const std::string& object_id);
// The two halves of TimelineOf, for callers that read the names together with their own:
// the object's audit entries (newest first, at most 1,000), and their timeline (oldest first)
// named by the two functions (an unknown id gets "").
core::Result<std::vector<domain::AuditEntry>> TimelineEntriesOf(storage::Tx& tx,
                                                                 const std::string& object_type,
                                                                 const std::string& object_id);
std::vector<TimelineEntry> BuildTimeline(
    const std::vector<domain::AuditEntry>& newest_first, const std::string& object_type,
    const std::function<std::string(domain::Id)>& user_name,
    const std::function<std::string(domain::Id)>& org_name);

// Only admins, auditors and coordinator staff may verify the whole chain (403 otherwise).
core::Status CanVerifyChain(const Principal& p);

}  // namespace xietong::service
