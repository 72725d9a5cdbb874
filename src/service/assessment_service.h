// The assessment (R-ASM-1, R-ASM-2; issue 14, docs/assessment-contract.md): indicators per org
// and period computed from stored facts (duties and their on-time or late ends, referrals,
// urgings, disputes, trainings, circulars, accountability records — never typed in), each with
// the list of the very items behind it; the coordinator's scheme per year (indicators, weights,
// thresholds; every save a new version) and the score, breakdown and ranking it gives; published
// results (a snapshot of the numbers with the scheme version used, never changed afterwards);
// the dashboard's series; the export tables. And R-ASM-2: the circular of criticism (通报批评,
// type kCircular, numbered 评) citing failing duties, and the accountability record (问责, type
// kAccountability, numbered 责), both run by the workflow engine (one Definition, one handler).
//
// Counting (domain/assessment.h has each indicator's wording):
//  - a duty counts in the period its due_at falls in (Shanghai days, inclusive); waived and
//    suspended duties do not count; met on time → on time; met late → late; open and due at or
//    before now → overdue (red); open and not yet due → not counted yet.
//  - a referral counts in the period it was sent (sent_at): sent for its sender; received,
//    accepted (accepted_at set), declined, returned (its state) for its receiver.
//  - urgings (督办) addressed to the org and disputes involving it count as interventions;
//    trainings the org organised; circulars and accountability records addressed to it — by
//    their created_at.
// The org set is a parameter (every assessed org, or a list of ids) so a region filter can be
// added (issue 19). Assessed orgs: townships, county departments and judicial orgs.
//
// Access (R-ACC-1): whoever SeesAll (coordinator staff, auditors, administrators) sees every org;
// org staff see their own org only (another org's page or items: 404; the dashboard, the
// ranking, the published results: 403). Only the coordinator saves a scheme, publishes, issues a
// circular or records accountability (403 R-ASM-1 / R-ASM-2); a refused write changes nothing.
// Thread-safe: holds only references.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/assessment.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

// One item behind an indicator (the drill-down).
struct AssessmentFact {
  std::string type;  // "duty", "referral" or a coordination item type name ("urging" …)
  domain::Id id = 0;
  std::string title;
  std::string kind;  // the duty kind, or ""
  std::string rule;
  std::optional<core::Instant> due_at, met_at, at;  // `at`: when it counted (sent, created)
  std::string counted;  // on_time | late | overdue | extended | counted
  int times = 1;        // extensions: how many times
  domain::Id org_id = 0;
  std::string path;  // web page of the item ("/referrals/7"), "" when none
  std::optional<std::string> number;
};

struct AssessmentValue {
  std::optional<double> value;  // a rate in [0, 1] (null: nothing due) or a count
  int64_t num = 0, den = 0;     // rates: on time / counted
};
struct AssessmentBreakdown {
  domain::assessment::SchemeItem item;
  std::optional<double> value;
  double points = 0;  // 0..100
  bool failing = false;
};
// One duty kind's counts for an org (the per-kind on-time table).
struct AssessmentKindRow {
  std::string kind, rule, label;
  int64_t counted = 0, on_time = 0, late = 0, overdue = 0;
};
struct OrgAssessment {
  domain::Org org;
  std::map<std::string, AssessmentValue> values;  // by indicator id (every indicator)
  std::map<std::string, std::vector<AssessmentFact>> facts;  // by indicator id
  std::vector<AssessmentKindRow> kinds;
  double score = 0;  // 0..100, one decimal
  std::vector<AssessmentBreakdown> breakdown;
  int rank = 0;  // among its group (townships / departments / judicial), 1 = best
};
struct Assessment {
  domain::assessment::Period period;
  domain::assessment::Scheme scheme;
  std::optional<domain::Id> scheme_id;  // the saved version used (nullopt: the default)
  core::Instant computed_at{};
  std::vector<OrgAssessment> orgs;  // kind, then id
};

// The org set: every assessed org, or these ids.
struct OrgSet {
  std::optional<std::vector<domain::Id>> ids;
};

struct SchemeView {
  domain::assessment::Scheme scheme;
  std::optional<domain::Id> id;
  std::optional<core::Instant> created_at;
  std::optional<domain::Id> created_by;
};

// One sheet of the export: its name and its CSV text (with BOM).
struct AssessmentTable {
  std::string sheet_name;
  std::string csv;
};

struct AssessmentDashboard {
  int year = 0;
  struct Month {
    std::string month;  // 2026-01
    int64_t counted = 0, on_time = 0;
  };
  std::vector<Month> trend;
  Assessment year_result;  // the whole year (red items, townships, scores)
  struct Flow {
    domain::Id from = 0, to = 0;
    int64_t count = 0;
  };
  std::vector<Flow> flow;  // referrals sent in the year, by sender and receiver
};

struct CircularInput {
  domain::Id org_id = 0;
  std::string title;  // 1..100
  std::string text;   // 1..4000: the facts and the criticism
  std::vector<domain::Id> duty_ids;  // 1..50 failing duties of the org (from the drill-down)
};
struct AccountabilityInput {
  domain::Id circular_id = 0;
  std::string person;   // 1..100: who is held accountable (name and post)
  std::string measure;  // 1..100: 约谈, 诫勉, 通报, 组织处理 …
  std::string text;     // 1..4000
};

class AssessmentService {
 public:
  // REQUIRES: every argument outlives the service.
  AssessmentService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                    CoordItemService& items);

  // Every assessed org's indicators and score for the period with the year's current scheme.
  core::Result<Assessment> Compute(const Principal& p, const domain::assessment::Period& period,
                                   const OrgSet& orgs);
  // One org's facts behind one indicator (404 for another org's unless SeesAll).
  core::Result<std::vector<AssessmentFact>> Facts(const Principal& p, domain::Id org_id,
                                                  std::string_view indicator,
                                                  const domain::assessment::Period& period);
  // One org: its assessment (facts included), its circulars and accountability records.
  struct OrgPage {
    Assessment assessment;  // one org
    std::vector<CoordItemView> circulars, accountability;
    struct Published {
      domain::Id result_id = 0;
      std::string period;
      double score = 0;
      int rank = 0;
    };
    std::vector<Published> published;
  };
  core::Result<OrgPage> Org(const Principal& p, domain::Id org_id,
                            const domain::assessment::Period& period);
  core::Result<AssessmentDashboard> Dashboard(const Principal& p, int year);
  // The tables of the export (one per indicator group, plus scores and duty kinds).
  core::Result<std::vector<AssessmentTable>> Tables(const Principal& p,
                                                    const domain::assessment::Period& period);

  core::Result<SchemeView> GetScheme(const Principal& p, int year);
  core::Result<SchemeView> SaveScheme(const Principal& p, int year,
                                      const core::Result<domain::assessment::Scheme>& in);

  // Publishes the period's result (snapshot); 409 already_published.
  core::Result<storage::AssessmentResultRow> Publish(const Principal& p,
                                                     const core::Result<domain::assessment::Period>& period);
  core::Result<std::vector<storage::AssessmentResultRow>> Results(const Principal& p);
  core::Result<storage::AssessmentResultRow> GetResult(const Principal& p, domain::Id id);

  // R-ASM-2.
  core::Result<CoordItemView> CreateCircular(const Principal& p, const core::Result<CircularInput>& in);
  core::Result<CoordItemView> CreateAccountability(const Principal& p,
                                                   const core::Result<AccountabilityInput>& in);
  core::Result<CoordItemView> GetItem(const Principal& p, domain::CoordType t, domain::Id id);

 private:
  struct Workflow;
  using Ctx = workflow::Step<Workflow>;
  core::Result<Assessment> ComputeInTx(storage::Tx& tx, const domain::assessment::Period& period,
                                       const OrgSet& orgs, core::Instant now, bool with_facts);

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CoordItemService& items_;
};

// The result as JSON (the API's view and the published snapshot): {"period":{"label","from",
// "to"},"scheme":{…},"computed_at","indicators":[catalogue],"orgs":[{"org":{…},"score","rank",
// "values":{id:{"value","num","den"}},"breakdown":[…],"kinds":[…]}]}.
boost::json::object AssessmentJson(const Assessment& a);
boost::json::object SchemeJson(const domain::assessment::Scheme& s);
// The export's tables: 综合得分, 期限履行, 案件移送, 监督与培训, 各类期限 (one CSV each).
std::vector<AssessmentTable> AssessmentTables(const Assessment& a);

}  // namespace xietong::service
