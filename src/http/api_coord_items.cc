// Notices (R-COL-5), special meetings (R-COL-6, R-SYS-5), participation requests (R-COL-7) and
// violation notices (R-COL-8): list, create, detail and the steps of
// docs/collaboration-contract.md ("Notices, meetings, participation, violation notices"). Thin:
// read the JSON body into the typed input of the type or action (service/coord_item_service.h),
// call CoordItemService once, render its view (http/views/coord_items.h).
//
// Reading a body: every error names the field and the rule of the type; fields the endpoint does
// not know are refused (400 unknown_field, before any other error of that object). A body that
// cannot be read is handed to the service as its error, which reports it where the step reads
// its input (after access and state are checked), so a refused step answers as it always has.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/coord_items.h"
#include "domain/referral.h"
#include "http/api_common.h"
#include "http/api_items.h"
#include "http/json_io.h"
#include "http/views/coord_items.h"
#include "service/coord_item_service.h"

namespace xietong::http {

namespace {
namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordType;
using domain::Id;

constexpr size_t kLongText = 5000;
constexpr size_t kShortText = 200;
constexpr size_t kReasonText = 500;
constexpr size_t kTitleText = 100;
constexpr size_t kMaxMaterials = 50;

// ---- Body reading ---------------------------------------------------------------------------

// Typed reads of one JSON object on top of FieldReader (which tracks the fields read): a null
// counts as absent; a blank required string is missing; the first error wins; Finish() refuses
// unknown fields first, then reports that error. Every error names the field and `rule`.
class Fields {
 public:
  Fields(const json::object& o, std::string rule) : reader_(o), rule_(std::move(rule)) {}

  std::optional<json::value> Get(const char* name, bool required) {
    std::optional<json::value> v = reader_.Optional<json::value>(name);
    if (!v && required) Fail(Missing(name));
    return v;
  }
  std::optional<std::string> Str(const char* name, size_t max, bool required) {
    std::optional<json::value> v = Get(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      Fail(Status::Invalid(name, std::string(name) + " 应为字符串", rule_, "invalid_type")
               .En(std::string(name) + " must be a string"));
      return std::nullopt;
    }
    std::string s(v->as_string());
    if (domain::IsBlank(s)) {
      if (required) Fail(Missing(name));
      return required ? std::nullopt : std::optional<std::string>(std::string());
    }
    if (domain::Utf8Length(s) > max) {
      Fail(Status::Invalid(name, std::string(name) + " 不能超过" + std::to_string(max) + "个字",
                           rule_, "too_long")
               .En(std::string(name) + " is too long"));
      return std::nullopt;
    }
    return s;
  }
  std::optional<Id> IdOf(const char* name, bool required) {
    std::optional<json::value> v = Get(name, required);
    if (!v) return std::nullopt;
    if (v->is_int64() && v->as_int64() > 0) return v->as_int64();
    if (v->is_uint64()) return static_cast<Id>(v->as_uint64());
    Fail(Status::Invalid(name, std::string(name) + " 应为正整数编号", rule_, "invalid_value")
             .En(std::string(name) + " must be a positive id"));
    return std::nullopt;
  }
  std::optional<core::Instant> Time(const char* name, bool required) {
    std::optional<json::value> v = Get(name, required);
    if (!v) return std::nullopt;
    std::optional<core::Instant> t;
    if (v->is_string()) t = core::ParseInstant(std::string(v->as_string()));
    if (!t) {
      Fail(Status::Invalid(name, std::string(name) + " 应为 RFC 3339 时间，如 2026-11-25T09:30:00+08:00",
                           rule_, "invalid_value")
               .En(std::string(name) + " must be an RFC 3339 instant"));
    }
    return t;
  }
  std::optional<json::array> Arr(const char* name, bool required) {
    std::optional<json::value> v = Get(name, required);
    if (!v) return std::nullopt;
    if (!v->is_array()) {
      Fail(Status::Invalid(name, std::string(name) + " 应为数组", rule_, "invalid_type")
               .En(std::string(name) + " must be an array"));
      return std::nullopt;
    }
    return std::move(v->as_array());
  }
  std::optional<json::object> Obj(const char* name, bool required) {
    std::optional<json::value> v = Get(name, required);
    if (!v) return std::nullopt;
    if (!v->is_object()) {
      Fail(Status::Invalid(name, std::string(name) + " 应为对象", rule_, "invalid_type")
               .En(std::string(name) + " must be an object"));
      return std::nullopt;
    }
    return std::move(v->as_object());
  }
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  const Status& status() const { return status_; }
  // Unknown fields (400 unknown_field), then the first error.
  Status Finish() const {
    // Only Optional<json::value> reads: the reader's one possible error is an unknown field.
    if (Status unknown = reader_.Finish(); !unknown.ok()) {
      const std::string& k = unknown.field();
      return Status::Invalid(k, "不支持的字段：" + k, rule_, "unknown_field").En("Unknown field: " + k);
    }
    return status_;
  }
  const std::string& rule() const { return rule_; }

 private:
  Status Missing(const char* name) const {
    return Status::Invalid(name, std::string("缺少必填字段：") + name, rule_, "missing_field")
        .En(std::string("Missing field: ") + name);
  }

  FieldReader reader_;
  std::string rule_;
  Status status_;
};

// A nested object's error under `base` ("materials[0]" + "." + field), keeping its id.
Status Under(const std::string& base, const Status& st, const std::string& rule) {
  return Status::Invalid(base + "." + st.field(), st.message(), rule, st.id());
}

// A list of 1..20 names (each 1..50 characters).
Result<std::vector<std::string>> Names(const std::optional<json::array>& arr,
                                       const std::string& field, const std::string& rule) {
  if (!arr || arr->empty() || arr->size() > 20) {
    return Status::Invalid(field, field + " 应为1至20个姓名", rule, arr ? "invalid_value" : "missing_field")
        .En(field + " must list 1..20 names");
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    const std::string f = field + "[" + std::to_string(i) + "]";
    if (!v.is_string() || domain::IsBlank(v.as_string()) || domain::Utf8Length(v.as_string()) > 50) {
      return Status::Invalid(f, f + " 应为1至50个字的姓名", rule, "invalid_value").En(f + " must be a name");
    }
    out.emplace_back(v.as_string());
  }
  return out;
}

// A kind of the type ("kind" or "category"), recorded as the body's error when unknown.
void CheckKind(CoordType t, const std::optional<std::string>& kind, const char* field, Fields& b) {
  if (kind && domain::CoordKindLabelZh(t, *kind).empty()) {
    std::string names;
    for (const auto& k : domain::CoordKinds(t)) {
      if (!names.empty()) names += '|';
      names.append(k.name);
    }
    b.Fail(Status::Invalid(field, std::string(field) + " 应为 " + names, b.rule(), "invalid_value")
               .En(std::string(field) + " must be one of " + names));
  }
}

// ---- Creating bodies ------------------------------------------------------------------------

Result<std::vector<service::CoordMaterialInput>> Materials(const std::optional<json::array>& arr,
                                                          const std::string& rule,
                                                          const std::string& field = "materials",
                                                          size_t max = kMaxMaterials) {
  std::vector<service::CoordMaterialInput> out;
  if (!arr) return out;
  if (arr->size() > max) {
    return Status::Invalid(field, "材料不能超过" + std::to_string(max) + "项", rule, "invalid_value").En("Too many materials");
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string base = field + "[" + std::to_string(i) + "]";
    if (!(*arr)[i].is_object()) {
      return Status::Invalid(base, base + " 应为对象", rule, "invalid_type").En(base + " must be an object");
    }
    Fields b((*arr)[i].as_object(), rule);
    auto name = b.Str("name", 100, true);
    auto desc = b.Str("description", kReasonText, false);
    auto file = b.Str("file", 64, false);
    Status st = b.Finish();
    if (!st.ok()) {
      Status out_st(st.code(), st.id(), st.message(), base + "." + st.field(), st.rule());
      if (!st.message_en().empty()) out_st.En(st.message_en());
      return out_st;
    }
    out.push_back({*name, desc.value_or(""), file.value_or("")});
  }
  return out;
}

Result<service::CoordCreateInput> NoticeInput(CoordType t, Fields& b, service::CoordCommonInput common) {
  const bool notice = t == CoordType::kNotice;
  service::CoordNoticeInput in;
  static_cast<service::CoordCommonInput&>(in) = std::move(common);
  const char* kind_field = notice ? "kind" : "category";
  auto kind = b.Str(kind_field, 40, true);
  CheckKind(t, kind, kind_field, b);
  auto to_id = b.IdOf("to_org", true);
  auto description = b.Str("description", kLongText, true);
  auto place = b.Str("place", kShortText, true);
  if (!notice) in.found_at = b.Time("found_at", false);
  auto mats = b.Arr("materials", false);
  XT_RETURN_IF_ERROR(b.Finish());
  XT_ASSIGN_OR_RETURN(in.materials, Materials(mats, b.rule()));
  in.kind = *kind;
  in.to_org = *to_id;
  in.description = *description;
  in.place = *place;
  return service::CoordCreateInput(std::move(in));
}

Result<service::CoordCreateInput> MeetingInput(CoordType t, Fields& b, service::CoordCommonInput common) {
  const std::string& rule = b.rule();
  service::CoordMeetingInput in;
  static_cast<service::CoordCommonInput&>(in) = std::move(common);
  std::optional<std::string> kind;
  if (t == CoordType::kConsultation) {  // 例会 | 临时 (R-SYS-1)
    kind = b.Str("kind", 40, true);
    CheckKind(t, kind, "kind", b);
  }
  in.kind = kind.value_or("");
  auto subject = b.Str("subject", kShortText, true);
  auto agenda = b.Str("agenda", kLongText, true);
  auto start_at = b.Time("start_at", true);
  auto place = b.Str("place", kShortText, true);
  auto inv = b.Arr("invitees", true);
  XT_RETURN_IF_ERROR(b.Finish());
  if (!inv || inv->empty() || inv->size() > 50) {
    return Status::Invalid("invitees", "至少邀请一个其他单位参会", rule, "missing_field")
        .En("Invite at least one other org");
  }
  for (size_t i = 0; i < inv->size(); ++i) {
    const std::string base = "invitees[" + std::to_string(i) + "]";
    if (!(*inv)[i].is_object()) return Status::Invalid(base, base + " 应为对象", rule, "invalid_type");
    Fields ib((*inv)[i].as_object(), rule);
    auto org_id = ib.IdOf("org", true);
    auto user_id = ib.IdOf("user", false);
    if (Status st = ib.Finish(); !st.ok()) return Under(base, st, rule);
    in.invitees.push_back({*org_id, user_id});
  }
  in.subject = *subject;
  in.agenda = *agenda;
  in.start_at = *start_at;
  in.place = *place;
  return service::CoordCreateInput(std::move(in));
}

Result<service::CoordCreateInput> ParticipationInput(Fields& b, service::CoordCommonInput common) {
  const std::string& rule = b.rule();
  service::CoordParticipationInput in;
  static_cast<service::CoordCommonInput&>(in) = std::move(common);
  auto kind = b.Str("kind", 40, true);
  CheckKind(CoordType::kParticipation, kind, "kind", b);
  auto to_id = b.IdOf("to_org", true);
  auto subject = b.Str("subject", kShortText, true);
  auto start_at = b.Time("start_at", true);
  auto place = b.Str("place", kShortText, true);
  auto details = b.Str("details", kLongText, false);
  auto phone = b.Obj("phone_notice", false);
  XT_RETURN_IF_ERROR(b.Finish());
  if (phone) {
    Fields pb(*phone, rule);
    auto caller = pb.Str("caller", 50, true);
    auto callee = pb.Str("callee", 50, true);
    auto called_at = pb.Time("called_at", true);
    Status st = pb.Finish();
    if (!st.ok()) return Status(st.code(), st.id(), st.message(), "phone_notice." + st.field(), rule);
    in.phone_notice = service::CoordPhoneNoticeInput{*caller, *callee, *called_at};
  }
  in.kind = *kind;
  in.to_org = *to_id;
  in.subject = *subject;
  in.start_at = *start_at;
  in.place = *place;
  in.details = details.value_or("");
  return service::CoordCreateInput(std::move(in));
}

// A list of 0..`max` org ids (`field`).
Result<std::vector<Id>> OrgIds(const std::optional<json::array>& arr, const std::string& field,
                               size_t min, size_t max, const std::string& rule) {
  std::vector<Id> out;
  if (!arr || arr->size() < min || arr->size() > max) {
    return Status::Invalid(field, field + " 应为" + std::to_string(min) + "至" + std::to_string(max) + "个单位编号",
                           rule, arr ? "invalid_value" : "missing_field")
        .En(field + " must list " + std::to_string(min) + ".." + std::to_string(max) + " org ids");
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    if (!v.is_int64() || v.as_int64() <= 0) {
      const std::string f = field + "[" + std::to_string(i) + "]";
      return Status::Invalid(f, f + " 应为单位编号", rule, "invalid_value").En(f + " must be an org id");
    }
    out.push_back(v.as_int64());
  }
  return out;
}
// A list of 0..20 texts of 1..200 characters (a mechanism's priorities).
Result<std::vector<std::string>> TextList(const std::optional<json::array>& arr, const std::string& field,
                                          const std::string& rule) {
  std::vector<std::string> out;
  if (!arr) return out;
  if (arr->size() > 20) return Status::Invalid(field, field + " 不能超过20项", rule, "invalid_value");
  for (size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    const std::string f = field + "[" + std::to_string(i) + "]";
    if (!v.is_string() || domain::IsBlank(v.as_string()) || domain::Utf8Length(v.as_string()) > kShortText) {
      return Status::Invalid(f, f + " 应为1至200个字", rule, "invalid_value").En(f + " must be 1..200 characters");
    }
    out.emplace_back(v.as_string());
  }
  return out;
}

// A standing joint mechanism (R-SYS-4): its name is the title, required.
Result<service::CoordCreateInput> MechanismInput(Fields& b, service::CoordCommonInput common) {
  const std::string& rule = b.rule();
  service::CoordMechanismInput in;
  static_cast<service::CoordCommonInput&>(in) = std::move(common);
  if (in.title.empty()) b.Fail(Status::Invalid("title", "缺少必填字段：title", rule, "missing_field").En("Missing field: title"));
  auto kind = b.Str("kind", 40, true);
  CheckKind(CoordType::kJointMechanism, kind, "kind", b);
  auto lead = b.IdOf("lead_org", true);
  auto members = b.Arr("members", true);
  auto body_name = b.Str("body_name", kTitleText, true);
  auto body_office = b.Str("body_office", kShortText, false);
  auto priorities = b.Arr("priorities", false);
  auto plans = b.Arr("plans", false);
  auto emergency = b.Arr("emergency_plans", false);
  XT_RETURN_IF_ERROR(b.Finish());
  XT_ASSIGN_OR_RETURN(in.members, OrgIds(members, "members", 1, 50, rule));
  XT_ASSIGN_OR_RETURN(in.priorities, TextList(priorities, "priorities", rule));
  XT_ASSIGN_OR_RETURN(in.plans, Materials(plans, rule, "plans", 20));
  XT_ASSIGN_OR_RETURN(in.emergency_plans, Materials(emergency, rule, "emergency_plans", 20));
  in.kind = *kind;
  in.lead_org = *lead;
  in.body_name = *body_name;
  in.body_office = body_office.value_or("");
  return service::CoordCreateInput(std::move(in));
}

// A joint enforcement action on its own (R-SYS-5).
Result<service::CoordCreateInput> JointActionCreateInput(Fields& b, service::CoordCommonInput common) {
  const std::string& rule = b.rule();
  service::CoordJointActionInput in;
  static_cast<service::CoordCommonInput&>(in) = std::move(common);
  auto parts = b.Arr("participants", true);
  auto people = b.Str("people", kReasonText, false);
  auto start_at = b.Time("start_at", true);
  auto place = b.Str("place", kShortText, true);
  auto targets = b.Str("targets", 2000, true);
  XT_RETURN_IF_ERROR(b.Finish());
  XT_ASSIGN_OR_RETURN(in.participants, OrgIds(parts, "participants", 1, 30, rule));
  in.people = people.value_or("");
  in.start_at = *start_at;
  in.place = *place;
  in.targets = *targets;
  return service::CoordCreateInput(std::move(in));
}

// The creating body of type `t` (docs/collaboration-contract.md).
Result<service::CoordCreateInput> CreateInput(CoordType t, const json::object& body) {
  Fields b(body, std::string(domain::CoordTypeRule(t)));
  service::CoordCommonInput common;
  common.title = b.Str("title", kTitleText, false).value_or("");
  common.referral_id = b.IdOf("referral_id", false);
  switch (t) {
    case CoordType::kNotice:
    case CoordType::kViolation: return NoticeInput(t, b, std::move(common));
    case CoordType::kMeeting:
    case CoordType::kConsultation: return MeetingInput(t, b, std::move(common));
    case CoordType::kJointMechanism: return MechanismInput(b, std::move(common));
    case CoordType::kJointAction: return JointActionCreateInput(b, std::move(common));
    case CoordType::kParticipation: return ParticipationInput(b, std::move(common));
    case CoordType::kDispute:
    case CoordType::kCriminalTransfer:
    case CoordType::kComplaint:
    case CoordType::kCourtEnforcement:
    case CoordType::kPoliceSupport:
    case CoordType::kGuidanceRequest:
    case CoordType::kTraining:
    case CoordType::kTechSupport: break;  // their own routes
    case CoordType::kAnnualPlan:
    case CoordType::kPlanTask: break;  // their own routes
    case CoordType::kUrging: break;  // their own routes
    case CoordType::kCircular:
    case CoordType::kAccountability: break;  // their own routes
    case CoordType::kMaterial:
    case CoordType::kPenaltyFiling:
    case CoordType::kPublicNotice: break;  // their own routes
  }
  return Status::Internal("unknown coordination item type");
}

// ---- Step bodies ----------------------------------------------------------------------------

using StepInput = Result<service::CoordActionInput>;

StepInput NoFields(Fields& b) {
  XT_RETURN_IF_ERROR(b.Finish());
  return service::CoordActionInput(service::CoordNoInput{});
}
StepInput Reason(Fields& b) {
  auto reason = b.Str("reason", kReasonText, true);
  XT_RETURN_IF_ERROR(b.Finish());
  return service::CoordActionInput(service::CoordReasonInput{*reason});
}
StepInput ResultText(Fields& b, bool required) {
  auto result = b.Str("result", kLongText, required);
  XT_RETURN_IF_ERROR(b.Finish());
  return service::CoordActionInput(service::CoordResultInput{result.value_or("")});
}

StepInput Minutes(Fields& b) {
  const std::string& rule = b.rule();
  auto minutes = b.Str("minutes", kLongText, true);
  auto decs = b.Arr("decisions", false);
  XT_RETURN_IF_ERROR(b.Finish());
  service::MeetingMinutesInput in;
  in.minutes = *minutes;
  if (decs && decs->size() > 50) return Status::Invalid("decisions", "决定事项不能超过50项", rule, "invalid_value");
  for (size_t i = 0; decs && i < decs->size(); ++i) {
    const std::string base = "decisions[" + std::to_string(i) + "]";
    if (!(*decs)[i].is_object()) return Status::Invalid(base, base + " 应为对象", rule, "invalid_type");
    Fields db((*decs)[i].as_object(), rule);
    service::MeetingDecisionInput d;
    auto text = db.Str("text", 2000, true);
    auto owner = db.IdOf("owner_org", true);
    d.due_at = db.Time("due_at", false);
    std::optional<json::value> pd = db.Get("period_days", false);
    if (Status st = db.Finish(); !st.ok()) return Under(base, st, rule);
    if (pd) {
      if (!pd->is_int64() || pd->as_int64() < 1 || pd->as_int64() > 365) {
        return Status::Invalid(base + ".period_days", "期限应为1至365个工作日", rule, "invalid_value");
      }
      d.period_days = static_cast<int>(pd->as_int64());
    }
    if (d.due_at && d.period_days) {
      return Status::Invalid(base + ".due_at", "due_at 与 period_days 只能给出一个", rule, "invalid_value");
    }
    d.text = *text;
    d.owner_org = *owner;
    in.decisions.push_back(std::move(d));
  }
  return service::CoordActionInput(std::move(in));
}

StepInput JointAction(Fields& b) {
  auto parts = b.Arr("participants", true);
  auto people = b.Str("people", kReasonText, false);
  auto at = b.Time("at", true);
  auto place = b.Str("place", kShortText, true);
  auto result = b.Str("result", kLongText, false);
  XT_RETURN_IF_ERROR(b.Finish());
  if (!parts || parts->empty() || parts->size() > 30) {
    return Status::Invalid("participants", "联合执法参加单位至少一个", "R-SYS-5", "missing_field");
  }
  service::JointActionInput in;
  for (size_t i = 0; i < parts->size(); ++i) {
    const auto& v = (*parts)[i];
    if (!v.is_int64() || v.as_int64() <= 0) {
      const std::string f = "participants[" + std::to_string(i) + "]";
      return Status::Invalid(f, f + " 应为单位编号", "R-SYS-5", "invalid_value").En(f + " must be an org id");
    }
    in.participants.push_back(v.as_int64());
  }
  in.people = people.value_or("");
  in.at = *at;
  in.place = *place;
  in.result = result.value_or("");
  return service::CoordActionInput(std::move(in));
}

// The body of `action` on an item of type `t`: the service's action (the coordinator's decision
// names its row: "coordination.<decision>") and its input.
struct Step {
  std::string action;
  StepInput in;
};

Step ReadStep(CoordType t, const std::string& action, const json::object& body) {
  Fields b(body, std::string(domain::CoordTypeRule(t)));
  auto one = [&](StepInput in) { return Step{action, std::move(in)}; };
  if (action == "message") {
    auto text = b.Str("text", 2000, true);
    if (Status st = b.Finish(); !st.ok()) return one(st);
    return one(service::CoordActionInput(service::CoordMessageInput{*text}));
  }
  if (action == "withdraw" || action == "cancel" || action == "refuse" || action == "coordination") {
    return one(Reason(b));
  }
  if (action == "close" || action == "written-notice") return one(NoFields(b));
  switch (t) {
    case CoordType::kNotice:
      if (action == "measures") {
        auto analysis = b.Str("analysis", kLongText, true);
        auto advice = b.Str("advice", kLongText, true);
        auto measures = b.Str("measures", kLongText, true);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        return one(service::CoordActionInput(service::NoticeMeasuresInput{*analysis, *advice, *measures}));
      }
      break;
    case CoordType::kMeeting:
    case CoordType::kConsultation:
      if (action == "reply") {
        auto answer = b.Str("answer", 20, true);
        auto note = b.Str("note", kReasonText, false);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        if (*answer != "confirmed" && *answer != "declined") {
          return one(Status::Invalid("answer", "answer 应为 confirmed 或 declined", b.rule(), "invalid_value")
                         .En("answer must be confirmed or declined"));
        }
        return one(service::CoordActionInput(service::MeetingReplyInput{*answer == "confirmed", note.value_or("")}));
      }
      if (action == "minutes") return one(Minutes(b));
      if (action == "decision-done") {
        auto note = b.Str("note", kReasonText, true);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        return one(service::CoordActionInput(service::MeetingDecisionDoneInput{*note}));
      }
      if (action == "joint-action" && t == CoordType::kMeeting) return one(JointAction(b));
      break;
    case CoordType::kJointMechanism:
      if (action == "update") {
        service::MechanismUpdateInput in;
        auto members = b.Arr("members", false);
        in.body_name = b.Str("body_name", kTitleText, false);
        in.body_office = b.Str("body_office", kShortText, false);
        auto priorities = b.Arr("priorities", false);
        auto plans = b.Arr("plans", false);
        auto emergency = b.Arr("emergency_plans", false);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        if (in.body_name && in.body_name->empty()) {
          return one(Status::Invalid("body_name", "缺少必填字段：body_name", b.rule(), "missing_field"));
        }
        if (members) {
          auto ids = OrgIds(members, "members", 1, 50, b.rule());
          if (!ids.ok()) return one(ids.status());
          in.members = std::move(ids).value();
        }
        if (priorities) {
          auto ps = TextList(priorities, "priorities", b.rule());
          if (!ps.ok()) return one(ps.status());
          in.priorities = std::move(ps).value();
        }
        if (plans) {
          auto m = Materials(plans, b.rule(), "plans", 20);
          if (!m.ok()) return one(m.status());
          in.plans = std::move(m).value();
        }
        if (emergency) {
          auto m = Materials(emergency, b.rule(), "emergency_plans", 20);
          if (!m.ok()) return one(m.status());
          in.emergency_plans = std::move(m).value();
        }
        return one(service::CoordActionInput(std::move(in)));
      }
      if (action == "briefing") {
        auto at = b.Time("date", true);
        auto title = b.Str("title", kTitleText, true);
        auto text = b.Str("text", kLongText, true);
        auto mats = b.Arr("materials", false);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        auto m = Materials(mats, b.rule(), "materials", 20);
        if (!m.ok()) return one(m.status());
        return one(service::CoordActionInput(service::MechanismBriefingInput{*at, *title, *text, std::move(m).value()}));
      }
      if (action == "dissolve") return one(Reason(b));
      break;
    case CoordType::kJointAction:
      if (action == "result") return one(ResultText(b, true));
      break;
    case CoordType::kParticipation:
      if (action == "confirm") {
        auto people = Names(b.Arr("people", true), "people", b.rule());
        if (!people.ok()) return one(people.status());
        auto note = b.Str("note", kReasonText, false);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        return one(service::CoordActionInput(
            service::ParticipationConfirmInput{std::move(people).value(), note.value_or("")}));
      }
      if (action == "complete") return one(ResultText(b, false));
      break;
    case CoordType::kViolation:
      if (action == "dispatch") {
        auto officers = Names(b.Arr("officers", true), "officers", b.rule());
        if (!officers.ok()) return one(officers.status());
        auto at = b.Time("at", false);
        auto note = b.Str("note", kReasonText, false);
        if (Status st = b.Finish(); !st.ok()) return one(st);
        return one(service::CoordActionInput(
            service::ViolationDispatchInput{std::move(officers).value(), at, note.value_or("")}));
      }
      if (action == "handle") return one(ResultText(b, true));
      if (action == "coordination/decision") {
        // The decision names the row: refused (once the item is found) when unreadable.
        auto decision = b.Str("decision", 40, true);
        if (!decision) return one(b.status());
        if (*decision != "department_handles" && *decision != "township_handles" && *decision != "reassign") {
          return one(Status::Invalid("decision", "decision 应为 department_handles|township_handles|reassign",
                                     "R-COL-8", "invalid_value")
                         .En("decision must be department_handles, township_handles or reassign"));
        }
        Step out{"coordination." + *decision, Status::Internal("unread")};
        auto reason = b.Str("reason", kReasonText, true);
        auto to_id = b.IdOf("to_org", *decision == "reassign");
        if (Status st = b.Finish(); !st.ok()) {
          out.in = st;
        } else {
          out.in = service::CoordActionInput(service::ViolationDecisionInput{*reason, to_id});
        }
        return out;
      }
      break;
    case CoordType::kDispute:
    case CoordType::kCriminalTransfer:
    case CoordType::kComplaint:
    case CoordType::kCourtEnforcement:
    case CoordType::kPoliceSupport:
    case CoordType::kGuidanceRequest:
    case CoordType::kTraining:
    case CoordType::kTechSupport: break;  // their own routes
    case CoordType::kAnnualPlan:
    case CoordType::kPlanTask: break;  // their own routes
    case CoordType::kUrging: break;  // their own routes
    case CoordType::kCircular:
    case CoordType::kAccountability: break;  // their own routes
    case CoordType::kMaterial:
    case CoordType::kPenaltyFiling:
    case CoordType::kPublicNotice: break;  // their own routes
  }
  return one(Status::Internal("no body reader for " + std::string(domain::CoordTypeName(t)) + "." + action));
}

// ---- Routes ---------------------------------------------------------------------------------

struct Resource {
  CoordType type;
  const char* path;  // "/api/v1/notices"
  std::vector<std::string> actions;
  const char* csv_ascii = nullptr;  // with GET path/export.csv (the standing mechanisms)
  const char* csv_utf8 = nullptr;
};

void AddResource(Router& r, ApiEnv& env, const Resource& res) {
  using V = service::CoordItemView;
  using P = service::Principal;
  using Q = service::CoordQuery;
  const CoordType t = res.type;
  ItemRoutes<Q> spec{
      .base = res.path,
      .parse = CoordQueryParams,
      .list = [t](const ApiEnv& e, const P& p, const Q& q) { return e.svc.coord_items->List(p, t, q); },
      .render_list = views::CoordItemListJson,
      .create = [t](const ApiEnv& e, const P& p, const core::Result<json::object>& body) -> core::Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        return e.svc.coord_items->Create(p, t, CreateInput(t, *body));
      },
      .get = [t](const ApiEnv& e, const P& p, int64_t id) { return e.svc.coord_items->Get(p, t, id); },
      .render = views::CoordItemJson,
      .steps = res.actions,
      .act = [t](const ApiEnv& e, const P& p, int64_t id, const std::string& action,
                 const core::Result<json::object>& body) -> core::Result<V> {
        XT_RETURN_IF_ERROR(body.status());
        const std::string svc_action = action == "messages"    ? "message"
                                       : action == "briefings" ? "briefing"
                                                               : action;
        Step step = ReadStep(t, svc_action, *body);
        return e.svc.coord_items->Act(p, t, id, step.action, step.in);
      },
      .step_status = [](const std::string& action) {
        return action == "messages" || action == "briefings" ? 201 : 200;
      },
  };
  if (res.csv_ascii) {
    spec.csv = [t](const ApiEnv& e, const P& p, Q q) { return e.svc.coord_items->ExportCsv(p, t, std::move(q)); };
    spec.csv_ascii = res.csv_ascii;
    spec.csv_utf8 = res.csv_utf8;
  }
  AddItemRoutes<Q>(r, env, std::move(spec));
}

// An empty body is an empty object.
core::Result<json::object> ActionBody(const ApiEnv& env, const Request& req) {
  if (req.body.empty()) return json::object();
  return Body(env, req);
}

}  // namespace

void RegisterCoordItemRoutes(Router& r, ApiEnv& env) {
  static const Resource kResources[] = {
      {CoordType::kNotice, "/api/v1/notices", {"measures", "close", "withdraw", "messages"}},
      {CoordType::kMeeting, "/api/v1/meetings", {"reply", "minutes", "close", "cancel", "messages"}},
      {CoordType::kParticipation,
       "/api/v1/participation-requests",
       {"written-notice", "confirm", "complete", "cancel", "messages"}},
      {CoordType::kViolation,
       "/api/v1/violation-notices",
       {"dispatch", "handle", "refuse", "withdraw", "coordination", "coordination/decision", "messages"}},
      // Standing mechanisms (R-SYS-1, R-SYS-4, R-SYS-5; docs/mechanisms-contract.md).
      {CoordType::kConsultation, "/api/v1/consultations", {"reply", "minutes", "close", "cancel", "messages"},
       "consultations.csv", "联席会议.csv"},
      {CoordType::kJointMechanism, "/api/v1/joint-mechanisms", {"update", "briefings", "dissolve", "messages"},
       "joint-mechanisms.csv", "联合执法机制.csv"},
      {CoordType::kJointAction, "/api/v1/joint-actions", {"result", "cancel", "messages"},
       "joint-actions.csv", "联合执法行动.csv"},
  };
  for (const auto& res : kResources) AddResource(r, env, res);
  // Meeting decisions: /api/v1/meetings/{id}/decisions/{no}/done | joint-action; consultation
  // decisions (R-SYS-1): /api/v1/consultations/{id}/decisions/{no}/done.
  struct DecisionRoute {
    CoordType t;
    const char* path;
    const char* action;
  };
  static const DecisionRoute kDecisionRoutes[] = {
      {CoordType::kMeeting, "/api/v1/meetings", "done"},
      {CoordType::kMeeting, "/api/v1/meetings", "joint-action"},
      {CoordType::kConsultation, "/api/v1/consultations", "done"},
  };
  for (const auto& dr : kDecisionRoutes) {
    const std::string svc_action = std::string(dr.action) == "done" ? "decision-done" : "joint-action";
    const CoordType t = dr.t;
    r.Add("POST", std::string(dr.path) + "/{id}/decisions/{no}/" + dr.action,
          WithAuth(env, [&env, t, svc_action](Request& req, const service::Principal& p) -> core::Result<Response> {
            XT_ASSIGN_OR_RETURN(int64_t id, PathId(req));
            XT_ASSIGN_OR_RETURN(int64_t no, PathId(req, "no"));
            XT_ASSIGN_OR_RETURN(auto body, ActionBody(env, req));
            Step step = ReadStep(t, svc_action, body);
            XT_ASSIGN_OR_RETURN(service::CoordItemView v,
                                env.svc.coord_items->Act(p, t, id, step.action, step.in, static_cast<int>(no)));
            return Json(200, views::CoordItemJson(v));
          }));
  }
}

}  // namespace xietong::http
