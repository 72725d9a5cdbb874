// Guidance, training and technical support (SPEC §7 R-GUI-1..3; docs/guidance-training-contract.md):
// three small workflows stored as coordination items (types kGuidanceRequest, kTraining,
// kTechSupport), each with its own transition table (domain/guidance.h) run by the workflow
// engine (service/workflow/step.h): one Definition for the three, one small handler per action.
//
//  - guidance_request (R-GUI-1): a township's staff ask a county department for guidance (kind
//    onsite | seminar | consultation, optional matter, the question, a wished date); duty
//    guidance.respond on the department (GuidanceOptions::respond_days working days), met by
//    schedule (date, place, people; numbered 业务指导安排 导) or decline (reason); record (what was
//    done) ends it; the township may withdraw before the response.
//  - training (R-GUI-2): a department's staff record a training (topic, date, place, hours,
//    trainers, invited townships, expected attendees), mark attendance (users of the invited
//    townships; repeatable) and close it (numbered 业务培训记录 训). Summary(year): per department
//    the closed trainings of the year against the minimum (options), with the colour of
//    domain::TrainingYearColour on the clock's Shanghai day, and hours per township officer.
//  - tech_support (R-GUI-3): a township's staff request support from a department (subject,
//    sample, urgency; duty tech_support.answer), answered by mode stationed | training | dispatch
//    with details (numbered 技术支持答复 技); or a procurement from a testing institution is recorded
//    (institution, contract number, amount, result files; no duty, state recorded).
//
// Visibility (R-ACC-1, CoordItemService::CanSee): org_ids = the requesting township and the
// department; for a training the department and the invited townships. Every step is one Write
// transaction; a refused step changes nothing. Thread-safe: holds only references.
//
//   GuidanceService g(store, clock, duties, coord_items, GuidanceOptions{});
//   XT_ASSIGN_OR_RETURN(CoordItemView v, g.Create(officer, CoordType::kGuidanceRequest, in));
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"
#include "domain/coord_items.h"
#include "service/coord_item_service.h"
#include "service/duty_service.h"
#include "service/principal.h"
#include "service/workflow/step.h"
#include "storage/store.h"

namespace xietong::service {

struct GuidanceOptions {
  int respond_days = 5;         // --guidance-respond-days (R-GUI-1)
  int tech_answer_days = 5;     // --tech-support-answer-days (R-GUI-3)
  int training_min_per_year = 2;      // --training-min-per-year (R-GUI-2)
  std::map<int, int> training_min;    // --training-min 2026=1 (per-year override)
  int TrainingMinimum(int year) const {
    auto it = training_min.find(year);
    return it == training_min.end() ? training_min_per_year : it->second;
  }
};

// ---- Typed inputs: shape-checked by http/api_guidance.cc, domain-checked here --------------

struct GuidanceRequestInput : CoordCommonInput {
  std::string kind;       // onsite | seminar | consultation
  domain::Id to_org = 0;  // a county department
  std::string matter;     // "" or a matter code of the catalog
  std::string question;   // 1..5000
  std::optional<core::CivilDay> wished_date;  // not before today
};
struct TrainingInput : CoordCommonInput {  // title = the topic (required)
  core::CivilDay date{};
  std::string place;                  // 1..200
  double hours = 0;                   // 0.5..100, in steps of 0.5
  std::vector<std::string> trainers;  // 1..20 names
  std::vector<domain::Id> invited_orgs;  // 1..100 townships
  std::vector<domain::Id> attendees;     // 0..500 users of the invited townships
  std::string content;                   // 0..5000
};
struct TechSupportInput : CoordCommonInput {
  bool procurement = false;  // kind "procurement" (else "request")
  // request
  std::optional<domain::Id> to_org;  // a county department
  std::string subject;               // 1..2000 what to test
  std::string sample;                // 0..2000
  std::string urgency;               // normal | urgent
  // procurement
  std::string institution;       // 1..200
  std::string contract_number;   // 1..100
  std::optional<double> amount;  // yuan, ≥ 0
  std::string result;            // 0..5000
  std::vector<CoordMaterialInput> materials;  // result files, ≤ 50
};
using GuidanceCreateInput = std::variant<GuidanceRequestInput, TrainingInput, TechSupportInput>;

// schedule (R-GUI-1): date (not before today), place 1..200, people 1..20 names, note 0..2000.
struct GuidanceScheduleInput {
  core::CivilDay date{};
  std::string place;
  std::vector<std::string> people;
  std::string note;
};
// record (R-GUI-1: what was done) and close (R-GUI-2: a summary, optional): text.
struct GuidanceTextInput {
  std::string text;
};
// attendance (R-GUI-2): the users who attended (each of an invited township), replacing the list.
struct TrainingAttendanceInput {
  std::vector<domain::Id> attended;
};
// answer (R-GUI-3): mode stationed | training | dispatch, details 1..5000, date, people.
struct TechAnswerInput {
  std::string mode, details;
  std::optional<core::CivilDay> date;
  std::vector<std::string> people;
};
using GuidanceStepInput = std::variant<CoordReasonInput, GuidanceScheduleInput, GuidanceTextInput,
                                       TrainingAttendanceInput, TechAnswerInput>;

// R-GUI-2: the yearly view.
struct TrainingDepartmentRow {
  domain::Org org;
  int held = 0;     // closed trainings dated in the year
  int planned = 0;  // recorded, not closed yet
  double hours = 0; // hours of the held trainings
  int minimum = 0;
  std::string colour;  // "" | green | yellow | red
};
struct TrainingOfficerRow {
  domain::User user;
  domain::Org org;
  double hours = 0;
  int trainings = 0;
};
struct TrainingSummary {
  int year = 0;
  int minimum = 0;
  core::CivilDay today{};
  std::vector<TrainingDepartmentRow> departments;  // by org id
  std::vector<TrainingOfficerRow> officers;        // by org id, then user id
};

class GuidanceService {
 public:
  // REQUIRES: every argument outlives the service.
  GuidanceService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                  CoordItemService& items, GuidanceOptions options = {});

  // Creates an item of `t` (one of the three; another type: not_found). Errors: 403 (township
  // staff for requests and procurements, department staff for trainings); 400 naming the field.
  core::Result<CoordItemView> Create(const Principal& p, domain::CoordType t,
                                     const core::Result<GuidanceCreateInput>& in);
  // One step of the type's table; errors: 404, 403, 409 illegal_transition (and
  // attendance_missing for closing a training nobody attended), 400 naming the field.
  core::Result<CoordItemView> Act(const Principal& p, domain::CoordType t, domain::Id id,
                                  std::string_view action, const core::Result<GuidanceStepInput>& in);
  core::Result<CoordItemView> Get(const Principal& p, domain::CoordType t, domain::Id id);
  core::Result<CoordItemList> List(const Principal& p, domain::CoordType t, const CoordQuery& q);
  core::Result<std::string> ExportCsv(const Principal& p, domain::CoordType t, CoordQuery q);
  // R-GUI-2: departments (SeesAll: every county department; department staff: their own) and
  // officers' hours (SeesAll: all; a department: in its trainings; a township's leader or
  // liaison: its officers; anyone else: themselves). year 2000..2100.
  core::Result<TrainingSummary> Summary(const Principal& p, int year);

  const GuidanceOptions& options() const { return options_; }

 private:
  struct Workflow;
  struct Steps;
  using Ctx = workflow::Step<Workflow>;

  storage::Store& store_;
  const core::Clock& clock_;
  DutyService& duties_;
  CoordItemService& items_;
  GuidanceOptions options_;
};

}  // namespace xietong::service
