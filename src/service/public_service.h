// What the public may see (R-ASM-3, R-DOC-1; issue 14): the verification of printed documents and
// the coordinator's notices to the public. Everything here is read without a session by the public
// pages (/verify/{code}, /public, /public/{id}, /api/v1/public/*) and shows nothing confidential.
//
// Verification codes: every issued document has one, derived, never stored: the document id in
// Crockford base32, a dash, and 8 Crockford characters (40 bits) of HMAC-SHA256 over the id and the
// SHA-256 of the document's snapshot (its canonical bytes) keyed by the deployment's secret
// (PublicOptions::secret, derived by `serve` from its audit signing key). So a code is short
// (7K-3M9QX2TA), cannot be guessed for another document, and changes if the content would. Verify
// answers only number, issuer, date, kind and the content's SHA-256 — no body, no parties.
//
// Public notices (CoordType kPublicNotice, table domain/public_notice.h) on the workflow engine:
// coordinator staff create (draft), edit, publish and withdraw them; the item's org_ids hold the
// coordinator org only (its staff, and whoever SeesAll, see drafts). ListPublished / GetPublished
// answer published notices only: a draft or withdrawn notice is not_found publicly.
//
// Thread-safe: holds only references and the secret.
//
//   PublicService pub(store, clock, duties, items, PublicOptions{secret});
//   std::string code = pub.CodeOf(doc);                    // "7K-3M9QX2TA"
//   XT_ASSIGN_OR_RETURN(VerifiedDocument v, pub.Verify(code));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/doc_number.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

struct PublicOptions {
  std::string secret;  // the HMAC key of the verification codes (non-empty in production)
};

// The public facts of a verified document.
struct VerifiedDocument {
  std::string code;
  std::string number;       // 新城执移〔2026〕3号
  std::string kind;         // DocKindName
  std::string kind_label;   // 案件移送函
  std::string issuer;       // the issuing org's name
  std::string date;         // 2026年11月25日 (its issue day, Shanghai)
  std::string issued_at;    // RFC 3339
  std::string sha256;       // of the snapshot, 64 hex digits
};

struct PublicNoticeInput {
  std::string kind;   // legal_education | enforcement_announcement
  std::string title;  // 1..100
  std::string body;   // 1..20000, paragraphs separated by line breaks
};

// A published notice as the public sees it.
struct PublishedNotice {
  domain::Id id = 0;
  std::string kind;
  std::string kind_label;
  std::string title;
  std::string body;
  std::string issuer;        // the coordinator org's name
  std::string published_at;  // RFC 3339
};

class PublicService {
 public:
  // REQUIRES: every argument outlives the service.
  PublicService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                CoordItemService& items, PublicOptions options);

  // The verification code of `doc` (R-DOC-1).
  std::string CodeOf(const domain::Document& doc) const;
  // The document a code names, if the code is right: not_found "code" otherwise (any wrong,
  // malformed or unknown code alike).
  core::Result<VerifiedDocument> Verify(std::string_view code);

  // ---- Notices to the public (R-ASM-3): coordinator staff only (permission_denied R-ASM-3) ----
  core::Result<CoordItemView> Create(const Principal& p, const core::Result<PublicNoticeInput>& in);
  core::Result<CoordItemView> Edit(const Principal& p, domain::Id id,
                                   const core::Result<PublicNoticeInput>& in);
  core::Result<CoordItemView> Publish(const Principal& p, domain::Id id);
  core::Result<CoordItemView> Withdraw(const Principal& p, domain::Id id);
  core::Result<CoordItemView> Get(const Principal& p, domain::Id id);
  // q.state (draft|published|withdrawn), q.kind, q.q, paging.
  core::Result<CoordItemList> List(const Principal& p, const CoordQuery& q);

  // ---- The public pages: published notices only, newest first -------------------------------
  core::Result<std::vector<PublishedNotice>> ListPublished(int offset, int limit, int64_t* total);
  core::Result<PublishedNotice> GetPublished(domain::Id id);

 private:
  struct Workflow;
  using Ctx = workflow::Step<Workflow>;

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CoordItemService& items_;
  PublicOptions options_;
};

}  // namespace xietong::service
