#include "service/coord_item_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "domain/duty.h"
#include "service/audit_log.h"
#include "service/file_service.h"
#include "service/referral_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Duty;
using domain::DutyState;
using domain::Id;

namespace {

constexpr std::chrono::minutes kSkew{5};
constexpr size_t kLongText = 5000;
constexpr size_t kShortText = 200;
constexpr size_t kReasonText = 500;
constexpr size_t kTitleText = 100;
constexpr size_t kMaxMaterials = 50;

size_t Len(std::string_view s) { return domain::Utf8Length(s); }

std::string TypeName(CoordType t) { return std::string(domain::CoordTypeName(t)); }
std::string RuleOf(CoordType t) { return std::string(domain::CoordTypeRule(t)); }

Status NotFound(CoordType t) {
  return Status(core::Code::kNotFound, "not_found",
                std::string(domain::CoordTypeLabelZh(t)) + "不存在", "id", "R-ACC-1")
      .En("No such " + TypeName(t));
}

bool IsStaff(const Principal& p) {
  return p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader) ||
         p.Has(domain::Role::kLiaison);
}

json::object OrgRef(const domain::Org& o) {
  return json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}};
}
json::object UserRef(const domain::User& u) {
  return json::object{{"id", u.id}, {"display_name", u.display_name}};
}

// ---- Body reading: every error names the field and the rule; unknown fields are refused ----
class Body {
 public:
  Body(const json::object& o, std::string rule) : o_(o), rule_(std::move(rule)) {}

  const json::value* Get(const char* name, bool required) {
    seen_.insert(name);
    auto it = o_.find(name);
    if (it == o_.end() || it->value().is_null()) {
      if (required) Fail(Status::Invalid(name, std::string("缺少必填字段：") + name, rule_, "missing_field")
                             .En(std::string("Missing field: ") + name));
      return nullptr;
    }
    return &it->value();
  }
  std::optional<std::string> Str(const char* name, size_t max, bool required) {
    const json::value* v = Get(name, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      Fail(Status::Invalid(name, std::string(name) + " 应为字符串", rule_, "invalid_type")
               .En(std::string(name) + " must be a string"));
      return std::nullopt;
    }
    std::string s(v->as_string());
    if (domain::IsBlank(s)) {
      if (required) {
        Fail(Status::Invalid(name, std::string("缺少必填字段：") + name, rule_, "missing_field")
                 .En(std::string("Missing field: ") + name));
      }
      return required ? std::nullopt : std::optional<std::string>(std::string());
    }
    if (Len(s) > max) {
      Fail(Status::Invalid(name, std::string(name) + " 不能超过" + std::to_string(max) + "个字",
                           rule_, "too_long")
               .En(std::string(name) + " is too long"));
      return std::nullopt;
    }
    return s;
  }
  std::optional<Id> IdOf(const char* name, bool required) {
    const json::value* v = Get(name, required);
    if (!v) return std::nullopt;
    if (v->is_int64() && v->as_int64() > 0) return v->as_int64();
    if (v->is_uint64()) return static_cast<Id>(v->as_uint64());
    Fail(Status::Invalid(name, std::string(name) + " 应为正整数编号", rule_, "invalid_value")
             .En(std::string(name) + " must be a positive id"));
    return std::nullopt;
  }
  std::optional<core::Instant> Time(const char* name, bool required) {
    const json::value* v = Get(name, required);
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
  const json::array* Arr(const char* name, bool required) {
    const json::value* v = Get(name, required);
    if (!v) return nullptr;
    if (!v->is_array()) {
      Fail(Status::Invalid(name, std::string(name) + " 应为数组", rule_, "invalid_type")
               .En(std::string(name) + " must be an array"));
      return nullptr;
    }
    return &v->as_array();
  }
  const json::object* Obj(const char* name, bool required) {
    const json::value* v = Get(name, required);
    if (!v) return nullptr;
    if (!v->is_object()) {
      Fail(Status::Invalid(name, std::string(name) + " 应为对象", rule_, "invalid_type")
               .En(std::string(name) + " must be an object"));
      return nullptr;
    }
    return &v->as_object();
  }
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  const Status& status() const { return status_; }
  // Unknown fields (400 unknown_field), then the first error.
  Status Finish() {
    for (const auto& kv : o_) {
      std::string k(kv.key());
      if (!seen_.count(k)) {
        return Status::Invalid(k, "不支持的字段：" + k, rule_, "unknown_field")
            .En("Unknown field: " + k);
      }
    }
    return status_;
  }
  const std::string& rule() const { return rule_; }

 private:
  const json::object& o_;
  std::string rule_;
  std::set<std::string> seen_;
  Status status_;
};

// A list of 1..20 names (each 1..50 characters).
Result<json::array> Names(const json::array* arr, const std::string& field, const std::string& rule) {
  if (!arr || arr->empty() || arr->size() > 20) {
    return Status::Invalid(field, field + " 应为1至20个姓名", rule, arr ? "invalid_value" : "missing_field")
        .En(field + " must list 1..20 names");
  }
  json::array out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    const std::string f = field + "[" + std::to_string(i) + "]";
    if (!v.is_string() || domain::IsBlank(v.as_string()) || Len(v.as_string()) > 50) {
      return Status::Invalid(f, f + " 应为1至50个字的姓名", rule, "invalid_value").En(f + " must be a name");
    }
    out.push_back(v);
  }
  return out;
}

Status Future(const std::string& field, const std::string& rule) {
  return Status::Invalid(field, field + " 不能晚于当前时间", rule, "invalid_value")
      .En(field + " may not be in the future");
}

std::string Snip(const std::string& s, size_t chars) {
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (n == chars) return out + "…";
      ++n;
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string Prefix(const domain::Org& o) {
  return o.doc_prefix.empty() ? domain::DefaultDocPrefix(o.short_name) : o.doc_prefix;
}

Result<std::vector<Duty>> DutiesOf(storage::Tx& tx, const CoordItem& it) {
  return DutiesOfObject(tx, TypeName(it.type), it.id);
}

Result<std::vector<domain::User>> CoordinatorStaff(storage::Tx& tx) {
  std::vector<domain::User> out;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  for (const auto& o : orgs) {
    if (o.kind != domain::OrgKind::kCoordinator) continue;
    XT_ASSIGN_OR_RETURN(auto users, tx.ListUsersWithRoles(
                                        o.id, domain::RoleSet{domain::Role::kCoordinatorStaff}));
    out.insert(out.end(), users.begin(), users.end());
  }
  return out;
}

// Materials [{name, description, file}] → stored JSON with file metadata; collects file ids.
Result<json::array> Materials(storage::Tx& tx, const Principal& p, const json::array* arr,
                              const std::string& rule, std::vector<std::string>& files) {
  json::array out;
  if (!arr) return out;
  if (arr->size() > kMaxMaterials) {
    return Status::Invalid("materials", "材料不能超过50项", rule, "invalid_value").En("Too many materials");
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string base = "materials[" + std::to_string(i) + "]";
    if (!(*arr)[i].is_object()) {
      return Status::Invalid(base, base + " 应为对象", rule, "invalid_type").En(base + " must be an object");
    }
    Body b((*arr)[i].as_object(), rule);
    auto name = b.Str("name", 100, true);
    auto desc = b.Str("description", kReasonText, false);
    auto file = b.Str("file", 64, false);
    Status st = b.Finish();
    if (!st.ok()) {
      Status out_st(st.code(), st.id(), st.message(), base + "." + st.field(), st.rule());
      if (!st.message_en().empty()) out_st.En(st.message_en());
      return out_st;
    }
    json::object m{{"name", *name}, {"description", desc.value_or("")}, {"file", nullptr}};
    if (file && !file->empty()) {
      auto info = FileService::InfoInTx(tx, *file, p.org.id);
      bool mine = false;
      if (info.ok()) {
        auto refs = tx.ListFileRefs(*file);
        if (refs.ok()) {
          for (const auto& r : *refs) mine = mine || r.org_id == p.org.id;
        }
      }
      if (!info.ok() || !mine) {
        return Status::Invalid(base + ".file", "文件不存在或不是本单位上传的", rule, "invalid_value")
            .En(base + ".file: unknown file, or not uploaded by your org");
      }
      m["file"] = json::object{{"id", info->id}, {"name", info->name}, {"size", info->size},
                               {"content_type", info->content_type}};
      files.push_back(*file);
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> FilesOf(const json::object& data) {
  std::vector<std::string> out;
  auto it = data.find("materials");
  if (it == data.end() || !it->value().is_array()) return out;
  for (const auto& m : it->value().as_array()) {
    if (!m.is_object()) continue;
    auto f = m.as_object().find("file");
    if (f != m.as_object().end() && f->value().is_object()) {
      out.emplace_back(f->value().as_object().at("id").as_string());
    }
  }
  return out;
}

}  // namespace

// ---- The context of one step ----------------------------------------------------------------

struct CoordItemService::Ctx {
  CoordItemService& svc;
  storage::Tx& tx;
  const Principal& p;
  CoordItem& it;
  json::object& data;
  core::Instant now;
  std::string summary;
  json::object detail;
  // (user, kind) already notified by this step: one notification per person and event.
  std::set<std::pair<Id, std::string>> notified;

  Result<std::vector<Duty>> Duties() { return DutiesOf(tx, it); }
  Status MeetAll(const std::string& kind, core::Instant at) {
    XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, Duties());
    for (auto& d : ds) {
      if (d.kind != kind || (d.state != DutyState::kOpen && d.state != DutyState::kSuspended)) continue;
      XT_ASSIGN_OR_RETURN(Duty met, svc.duties_.MeetInTx(tx, &p, d, std::max(at, d.trigger_at), now));
      detail["duty_met"] = json::object{{"id", met.id}, {"kind", met.kind}, {"on_time", met.on_time.value_or(false)}};
    }
    return Status::Ok();
  }
  Status WaiveAll(const std::string& reason) {
    XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, Duties());
    for (auto& d : ds) {
      if (d.state != DutyState::kOpen && d.state != DutyState::kSuspended) continue;
      XT_RETURN_IF_ERROR(svc.duties_.WaiveInTx(tx, &p, d, reason, now).status());
    }
    return Status::Ok();
  }
  Result<Duty> OpenDuty(const std::string& kind, Id owner, const std::string& title,
                        core::Instant trigger, std::optional<domain::PeriodUnit> unit,
                        std::optional<int64_t> period) {
    DutyInput in;
    in.kind = kind;
    in.owner_org_id = owner;
    in.object_type = TypeName(it.type);
    in.object_id = std::to_string(it.id);
    in.title = Snip(title, 190);
    in.trigger_at = trigger;
    in.unit = unit;
    in.period = period;
    return svc.duties_.CreateInTx(tx, &p, in, now);
  }
  Status Notify(const std::vector<domain::User>& users, const std::string& kind,
                const std::string& title, const std::string& body) {
    for (const auto& u : users) {
      if (u.disabled || u.id == p.user.id || !notified.emplace(u.id, kind).second) continue;
      domain::Notification n;
      n.user_id = u.id;
      n.kind = kind;
      n.title = title;
      n.body = body;
      n.object_type = TypeName(it.type);
      n.object_id = std::to_string(it.id);
      // Every step is its own event: replies, messages and decisions repeat, possibly within one
      // millisecond (or under a fake clock), and each must reach its readers. Duplicates within
      // the step are avoided by `notified`; a retried transaction leaves nothing behind.
      n.dedupe_key = "";
      n.created_at = now;
      XT_RETURN_IF_ERROR(tx.InsertNotification(n).status());
    }
    return Status::Ok();
  }
  Status NotifyOrg(Id org_id, const std::string& kind, const std::string& title,
                   const std::string& body, bool with_creator = false) {
    XT_ASSIGN_OR_RETURN(auto users, tx.ListUsersWithRoles(
                                        org_id, domain::RoleSet{domain::Role::kLeader,
                                                                domain::Role::kLiaison}));
    if (with_creator) {
      auto u = tx.GetUser(it.created_by);
      if (u.ok() && u->org_id == org_id) users.push_back(*u);
    }
    return Notify(users, kind, title, body);
  }
  Status NotifyCoordinator(const std::string& kind, const std::string& title,
                           const std::string& body) {
    XT_ASSIGN_OR_RETURN(auto staff, CoordinatorStaff(tx));
    return Notify(staff, kind, title, body);
  }
  // Issues a numbered document (R-DOC-1) by `issuer`, linked to the item.
  Result<domain::Document> Issue(domain::DocKind kind, const domain::Org& issuer,
                                 const std::string& title, json::object body) {
    const int year = domain::ShanghaiYear(now);
    XT_ASSIGN_OR_RETURN(int64_t serial, tx.TakeDocSerial(issuer.id, year, kind));
    domain::Document d;
    d.kind = kind;
    d.number = domain::FormatDocNumber(Prefix(issuer), kind, year, serial);
    d.org_id = issuer.id;
    d.year = year;
    d.serial = serial;
    d.title = title;
    d.created_at = now;
    d.created_by = p.user.id;
    body["kind"] = domain::DocKindName(kind);
    body["kind_title"] = domain::DocKindTitleZh(kind);
    body["number"] = d.number;
    body["title"] = title;
    body["issuer"] = json::object{{"id", issuer.id}, {"name", issuer.name}};
    body["date"] = domain::FormatDateZh(now);
    body["issued_at"] = core::FormatInstant(now);
    body["record_url"] = ItemUrl(it);
    d.snapshot = json::serialize(body);
    XT_ASSIGN_OR_RETURN(d.id, tx.InsertDocument(d));
    XT_RETURN_IF_ERROR(tx.LinkCoordDocument(it.id, d.id));
    it.number = d.number;
    detail["document"] = json::object{{"id", d.id}, {"number", d.number}, {"kind", domain::DocKindName(kind)}};
    return d;
  }
  static std::string ItemUrl(const CoordItem& it) {
    switch (it.type) {
      case CoordType::kNotice: return "/notices/" + std::to_string(it.id);
      case CoordType::kMeeting: return "/meetings/" + std::to_string(it.id);
      case CoordType::kParticipation: return "/participation-requests/" + std::to_string(it.id);
      case CoordType::kViolation: return "/violation-notices/" + std::to_string(it.id);
    }
    return "/";
  }
};

CoordItemService::CoordItemService(storage::Store& store, const core::Clock& clock,
                                   DutyService& duties, CalendarService& calendars,
                                   CoordOptions options)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars), options_(options) {}

bool CoordItemService::CanSee(const Principal& p, const CoordItem& it) {
  if (p.SeesAll()) return true;
  return std::find(it.org_ids.begin(), it.org_ids.end(), p.org.id) != it.org_ids.end() ||
         it.from_org_id == p.org.id || (it.to_org_id && *it.to_org_id == p.org.id);
}

bool CoordItemService::CanReadFileInTx(storage::Tx& tx, const Principal& p,
                                       const std::string& sha256) {
  auto ids = tx.CoordItemsWithFile(sha256);
  if (!ids.ok()) return false;
  for (Id id : *ids) {
    auto it = tx.GetCoordItem(id);
    if (it.ok() && CanSee(p, *it)) return true;
  }
  return false;
}

namespace {

bool IsDepartment(const domain::Org& o) { return o.kind == domain::OrgKind::kCountyDepartment; }

Result<domain::Org> AddresseeOrg(storage::Tx& tx, Id id, const Principal& p, bool want_township,
                                 bool allow_police, const std::string& rule) {
  auto o = tx.GetOrg(id);
  const char* what = want_township ? "乡镇" : "县直执法部门";
  if (!o.ok() || !o->active) {
    return Status::Invalid("to_org", "接收单位不存在", rule, "invalid_value").En("to_org: no such org");
  }
  bool ok = want_township ? o->kind == domain::OrgKind::kTownship
                          : (IsDepartment(*o) || (allow_police && o->kind == domain::OrgKind::kPolice));
  if (!ok || o->id == p.org.id) {
    return Status::Invalid("to_org", std::string("接收单位应为") + what, rule, "invalid_value")
        .En(std::string("to_org must be a ") + (want_township ? "township" : "county department"));
  }
  return *o;
}

Status StartDenied(CoordType t, const char* who) {
  return Status::Denied(std::string("仅") + who + "可以发起" + std::string(domain::CoordTypeLabelZh(t)),
                        RuleOf(t))
      .En("You may not start a " + TypeName(t));
}

Status CheckKind(CoordType t, const std::optional<std::string>& kind, const char* field,
                 Body& b) {
  if (kind && domain::CoordKindLabelZh(t, *kind).empty()) {
    std::string names;
    for (const auto& k : domain::CoordKinds(t)) names += (names.empty() ? "" : "|") + std::string(k.name);
    b.Fail(Status::Invalid(field, std::string(field) + " 应为 " + names, RuleOf(t), "invalid_value")
               .En(std::string(field) + " must be one of " + names));
  }
  return Status::Ok();
}

}  // namespace

// ---- Create ---------------------------------------------------------------------------------

Result<json::object> CoordItemService::Create(const Principal& p, CoordType t,
                                              const json::object& body) {
  const core::Instant now = clock_.Now();
  const std::string rule = RuleOf(t);
  const bool township = p.org.kind == domain::OrgKind::kTownship;
  const bool department = p.org.kind == domain::OrgKind::kCountyDepartment;
  if (!IsStaff(p) || p.IsAuditor()) return StartDenied(t, t == CoordType::kParticipation ? "县直执法部门工作人员" : t == CoordType::kMeeting ? "乡镇或县直执法部门工作人员" : "乡镇工作人员");
  switch (t) {
    case CoordType::kNotice:
    case CoordType::kViolation:
      if (!township) return StartDenied(t, "乡镇工作人员");
      break;
    case CoordType::kParticipation:
      if (!department) return StartDenied(t, "县直执法部门工作人员");
      break;
    case CoordType::kMeeting:
      if (!township && !department) return StartDenied(t, "乡镇或县直执法部门工作人员");
      break;
  }
  json::object out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    Body b(body, rule);
    CoordItem it;
    it.type = t;
    it.from_org_id = p.org.id;
    it.created_by = p.user.id;
    it.created_at = now;
    it.updated_at = now;
    it.org_ids = {p.org.id};
    json::object data;
    std::vector<std::string> files;
    auto title = b.Str("title", kTitleText, false);
    auto referral_id = b.IdOf("referral_id", false);
    std::optional<domain::Org> to;
    std::function<Status(Ctx&)> after;  // duties, documents, notifications once the id exists

    if (t == CoordType::kNotice || t == CoordType::kViolation) {
      const bool notice = t == CoordType::kNotice;
      auto kind = b.Str(notice ? "kind" : "category", 40, true);
      XT_RETURN_IF_ERROR(CheckKind(t, kind, notice ? "kind" : "category", b));
      auto to_id = b.IdOf("to_org", true);
      auto description = b.Str("description", kLongText, true);
      auto place = b.Str("place", kShortText, true);
      std::optional<core::Instant> found_at;
      if (!notice) found_at = b.Time("found_at", false);
      const json::array* mats = b.Arr("materials", false);
      XT_RETURN_IF_ERROR(b.Finish());
      XT_ASSIGN_OR_RETURN(to, AddresseeOrg(tx, *to_id, p, false, !notice, rule));
      XT_ASSIGN_OR_RETURN(json::array materials, Materials(tx, p, mats, rule, files));
      if (found_at && *found_at > now + kSkew) return Future("found_at", rule);
      it.kind = *kind;
      it.state = notice ? domain::notice_state::kOpen : domain::violation_state::kNotified;
      it.title = title && !title->empty() ? *title : Snip(*description, 30);
      data["kind_label"] = domain::CoordKindLabelZh(t, *kind);
      data["description"] = *description;
      data["place"] = *place;
      data["materials"] = std::move(materials);
      if (notice) {
        data["response"] = nullptr;
        data["withdraw_reason"] = "";
        data["closed_at"] = nullptr;
      } else {
        data["category"] = *kind;
        data["category_label"] = domain::CoordKindLabelZh(t, *kind);
        data["found_at"] = core::FormatInstant(found_at.value_or(now));
        data["dispatch"] = nullptr;
        data["refusal"] = nullptr;
        data["result"] = "";
        data["withdraw_reason"] = "";
        data["coordination"] = nullptr;
      }
      after = [this, notice, to, description](Ctx& c) -> Status {
        const std::string label = std::string(domain::CoordKindLabelZh(c.it.type, c.it.kind));
        if (notice) {
          const int days = c.it.kind == "hazard" ? options_.notice_hazard_days
                                                 : options_.notice_frequent_violation_days;
          XT_RETURN_IF_ERROR(c.OpenDuty("notice.measures", to->id,
                                        "研究处置" + c.p.org.short_name + "通报：" + c.it.title, c.now,
                                        domain::PeriodUnit::kWorkingDays, days)
                                 .status());
          c.summary = "通报" + label + "：" + c.it.title;
          return c.NotifyOrg(to->id, "notice.created", c.p.org.short_name + label + "通报",
                             c.p.org.name + "通报" + label + "：" + c.it.title + "，请在" +
                                 std::to_string(days) + "个工作日内研究提出建议并采取措施（R-COL-5）");
        }
        XT_RETURN_IF_ERROR(c.Issue(domain::DocKind::kViolationNotice, c.p.org,
                                   "关于" + c.it.title + "的违法行为通知",
                                   json::object{{"addressee", json::object{{"id", to->id}, {"name", to->name}}},
                                                {"category", label},
                                                {"description", *description},
                                                {"place", c.data["place"]},
                                                {"found_at", c.data["found_at"]},
                                                {"hours", options_.violation_dispatch_hours}})
                               .status());
        XT_RETURN_IF_ERROR(c.OpenDuty("violation.dispatch", to->id, "立即派员处理：" + c.it.title,
                                      c.now, domain::PeriodUnit::kHours,
                                      options_.violation_dispatch_hours)
                               .status());
        c.summary = "通知" + to->short_name + label + "违法行为：" + c.it.title;
        return c.NotifyOrg(to->id, "violation_notice.created", "紧急：" + c.p.org.short_name + "违法行为通知",
                           c.p.org.name + "通知：" + c.it.title + "（" + label + "），请立即派员处理（R-COL-8）");
      };
    } else if (t == CoordType::kMeeting) {
      auto subject = b.Str("subject", kShortText, true);
      auto agenda = b.Str("agenda", kLongText, true);
      auto start_at = b.Time("start_at", true);
      auto place = b.Str("place", kShortText, true);
      const json::array* inv = b.Arr("invitees", true);
      XT_RETURN_IF_ERROR(b.Finish());
      json::array invitees;
      std::set<Id> invited;
      if (!inv || inv->empty() || inv->size() > 50) {
        return Status::Invalid("invitees", "至少邀请一个其他单位参会", rule, "missing_field")
            .En("Invite at least one other org");
      }
      for (size_t i = 0; i < inv->size(); ++i) {
        const std::string base = "invitees[" + std::to_string(i) + "]";
        if (!(*inv)[i].is_object()) return Status::Invalid(base, base + " 应为对象", rule, "invalid_type");
        Body ib((*inv)[i].as_object(), rule);
        auto org_id = ib.IdOf("org", true);
        auto user_id = ib.IdOf("user", false);
        Status st = ib.Finish();
        if (!st.ok()) return Status::Invalid(base + "." + st.field(), st.message(), rule, st.id());
        auto o = tx.GetOrg(*org_id);
        if (!o.ok() || !o->active || o->id == p.org.id || o->kind == domain::OrgKind::kUnit) {
          return Status::Invalid(base + ".org", "受邀单位不存在或为召集单位本身", rule, "invalid_value")
              .En(base + ".org: unknown org, or the convener itself");
        }
        json::object row{{"org", OrgRef(*o)}, {"user", nullptr}, {"answer", "pending"},
                         {"answered_at", nullptr}, {"note", ""}};
        if (user_id) {
          auto u = tx.GetUser(*user_id);
          if (!u.ok() || u->org_id != o->id || u->disabled) {
            return Status::Invalid(base + ".user", "受邀人员不属于该单位", rule, "invalid_value")
                .En(base + ".user must belong to the invited org");
          }
          row["user"] = UserRef(*u);
        }
        invited.insert(o->id);
        invitees.push_back(std::move(row));
      }
      it.state = domain::meeting_state::kScheduled;
      it.title = title && !title->empty() ? *title : Snip(*subject, 30);
      for (Id o : invited) it.org_ids.push_back(o);
      data["subject"] = *subject;
      data["agenda"] = *agenda;
      data["start_at"] = core::FormatInstant(*start_at);
      data["place"] = *place;
      data["invitees"] = std::move(invitees);
      data["minutes"] = nullptr;
      data["held_at"] = nullptr;
      data["cancel_reason"] = "";
      data["decisions"] = json::array();
      after = [invited, start_at](Ctx& c) -> Status {
        c.summary = "召集专题会议：" + c.it.title;
        const std::string body = c.p.org.name + "邀请参加专题会议「" + c.it.title + "」，时间" +
                                 core::FormatInstant(*start_at) + "，地点" +
                                 std::string(c.data["place"].as_string()) + "（R-COL-6）";
        for (Id o : invited) XT_RETURN_IF_ERROR(c.NotifyOrg(o, "meeting.invited", "专题会议邀请", body));
        std::vector<domain::User> named;
        for (const auto& row : c.data["invitees"].as_array()) {
          const auto& u = row.as_object().at("user");
          if (u.is_object()) {
            auto got = c.tx.GetUser(u.as_object().at("id").as_int64());
            if (got.ok()) named.push_back(*got);
          }
        }
        return c.Notify(named, "meeting.invited", "专题会议邀请", body);
      };
    } else {  // participation
      auto kind = b.Str("kind", 40, true);
      XT_RETURN_IF_ERROR(CheckKind(t, kind, "kind", b));
      auto to_id = b.IdOf("to_org", true);
      auto subject = b.Str("subject", kShortText, true);
      auto start_at = b.Time("start_at", true);
      auto place = b.Str("place", kShortText, true);
      auto details = b.Str("details", kLongText, false);
      const json::object* phone = b.Obj("phone_notice", false);
      XT_RETURN_IF_ERROR(b.Finish());
      XT_ASSIGN_OR_RETURN(to, AddresseeOrg(tx, *to_id, p, true, false, rule));
      json::value phone_json = nullptr;
      std::optional<core::Instant> called_at;
      if (phone) {
        Body pb(*phone, rule);
        auto caller = pb.Str("caller", 50, true);
        auto callee = pb.Str("callee", 50, true);
        called_at = pb.Time("called_at", true);
        Status st = pb.Finish();
        if (!st.ok()) {
          Status o2(st.code(), st.id(), st.message(), "phone_notice." + st.field(), rule);
          return o2;
        }
        if (*called_at > now + kSkew) return Future("phone_notice.called_at", rule);
        phone_json = json::object{{"caller", *caller}, {"callee", *callee},
                                  {"called_at", core::FormatInstant(*called_at)}};
      }
      it.kind = *kind;
      it.state = phone ? domain::participation_state::kPhoned : domain::participation_state::kNotified;
      it.title = title && !title->empty() ? *title : Snip(*subject, 30);
      data["kind_label"] = domain::CoordKindLabelZh(t, *kind);
      data["subject"] = *subject;
      data["start_at"] = core::FormatInstant(*start_at);
      data["place"] = *place;
      data["details"] = details.value_or("");
      data["phone_notice"] = phone_json;
      data["written_notice_at"] = nullptr;
      data["confirmation"] = nullptr;
      data["result"] = "";
      data["cancel_reason"] = "";
      after = [to, called_at](Ctx& c) -> Status {
        const std::string label = std::string(domain::CoordKindLabelZh(c.it.type, c.it.kind));
        if (called_at) {
          XT_RETURN_IF_ERROR(c.OpenDuty("participation.written_notice", c.p.org.id,
                                        "补办书面告知：" + c.it.title, *called_at, std::nullopt,
                                        std::nullopt)
                                 .status());
          c.summary = "电话告知" + to->short_name + "参加" + label + "：" + c.it.title;
        } else {
          XT_RETURN_IF_ERROR(c.Issue(domain::DocKind::kParticipationNotice, c.p.org,
                                     "关于派员参加" + c.it.title + "的告知书",
                                     json::object{{"addressee", json::object{{"id", to->id}, {"name", to->name}}},
                                                  {"work", label},
                                                  {"subject", c.data["subject"]},
                                                  {"start_at", c.data["start_at"]},
                                                  {"place", c.data["place"]},
                                                  {"details", c.data["details"]}})
                                 .status());
          c.data["written_notice_at"] = core::FormatInstant(c.now);
          c.summary = "书面告知" + to->short_name + "参加" + label + "：" + c.it.title;
        }
        return c.NotifyOrg(to->id, "participation.created", c.p.org.short_name + "请派员参加" + label,
                           c.p.org.name + "请派员参加" + label + "「" + c.it.title + "」，时间" +
                               std::string(c.data["start_at"].as_string()) + "，地点" +
                               std::string(c.data["place"].as_string()) + "（R-COL-7）");
      };
    }
    if (to) {
      it.to_org_id = to->id;
      it.org_ids.push_back(to->id);
    }
    if (referral_id) {
      auto r = tx.GetReferral(*referral_id);
      if (!r.ok() || !ReferralService::CanSee(p, *r)) {
        return Status::Invalid("referral_id", "案件移送不存在", rule, "invalid_value")
            .En("referral_id: no such referral");
      }
      it.referral_id = *referral_id;
    }
    it.data = json::serialize(data);
    XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
    Ctx c{*this, tx, p, it, data, now, {}, {}, {}};
    XT_RETURN_IF_ERROR(after(c));
    it.data = json::serialize(data);
    XT_RETURN_IF_ERROR(tx.UpdateCoordItem(it, files));
    c.detail["state"] = domain::CoordStateName(t, it.state);
    c.detail["to_org"] = it.to_org_id ? json::value(*it.to_org_id) : json::value(nullptr);
    std::string summary = c.summary;
    if (it.number) summary += "（" + *it.number + "）";
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{TypeName(t) + ".create", TypeName(t), std::to_string(it.id),
                                          summary, std::move(c.detail)})
                           );
    XT_ASSIGN_OR_RETURN(out, Render(tx, it, true, now));
    return Status::Ok();
  }));
  return out;
}

// ---- Steps ----------------------------------------------------------------------------------

Result<json::object> CoordItemService::Act(const Principal& p, CoordType t, Id id,
                                           std::string_view action_in, const json::object& body,
                                           std::optional<int> decision_no) {
  const core::Instant now = clock_.Now();
  const std::string rule = RuleOf(t);
  json::object out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    auto got = tx.GetCoordItem(id);
    if (!got.ok()) return got.status().code() == core::Code::kNotFound ? NotFound(t) : got.status();
    CoordItem it = std::move(got).value();
    if (it.type != t || !CanSee(p, it)) return NotFound(t);
    json::object data = json::parse(it.data).as_object();
    Body b(body, rule);
    std::string action(action_in);
    // The coordinator's decision names its row by the decision.
    if (action == "coordination/decision") {
      auto decision = b.Str("decision", 40, true);
      if (!decision) return b.status();
      if (*decision != "department_handles" && *decision != "township_handles" && *decision != "reassign") {
        return Status::Invalid("decision", "decision 应为 department_handles|township_handles|reassign",
                               "R-COL-8", "invalid_value")
            .En("decision must be department_handles, township_handles or reassign");
      }
      action = "coordination." + *decision;
    }
    // Who the principal is for this item.
    const bool staff = IsStaff(p);
    domain::CoordActor a;
    a.from_staff = staff && p.org.id == it.from_org_id;
    a.to_staff = staff && it.to_org_id && p.org.id == *it.to_org_id;
    a.to_leader = a.to_staff && p.Has(domain::Role::kLeader);
    a.coordinator = p.IsCoordinator();
    a.involved_staff = staff && std::find(it.org_ids.begin(), it.org_ids.end(), p.org.id) != it.org_ids.end();
    json::object* decision = nullptr;
    if (t == CoordType::kMeeting) {
      for (const auto& row : data["invitees"].as_array())
        if (row.as_object().at("org").as_object().at("id").as_int64() == p.org.id) a.invitee_staff = staff;
      if (action == "decision-done" || action == "joint-action") {
        for (auto& d : data["decisions"].as_array())
          if (decision_no && d.as_object().at("no").as_int64() == *decision_no) decision = &d.as_object();
        if (!decision) {
          return Status(core::Code::kNotFound, "not_found", "决定事项不存在", "no", rule).En("No such decision");
        }
        a.owner_staff = staff && decision->at("owner_org").as_object().at("id").as_int64() == p.org.id;
      }
    }
    XT_ASSIGN_OR_RETURN(const domain::CoordTransition* row,
                        domain::DecideCoordTransition(t, action, it.state, a));
    const int before = it.state;
    Ctx c{*this, tx, p, it, data, now, {}, {}, {}};
    // Guards.
    switch (row->guard) {
      case domain::CoordGuard::kNone: break;
      case domain::CoordGuard::kDispatchDutyRed: {
        XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, c.Duties());
        bool red = std::any_of(ds.begin(), ds.end(), [&](const Duty& d) {
          return d.kind == "violation.dispatch" && d.state == DutyState::kOpen &&
                 domain::ColourAt(d, now) == domain::Colour::kRed;
        });
        if (!red) {
          return Status::Precondition("dispatch_duty_not_overdue",
                                      "根据R-COL-8，被通知部门拒不处理或超过派员期限后方可申请协调；当前状态为「已通知」，派员期限尚未届满",
                                      "R-COL-8", "state")
              .En("R-COL-8: coordination may be requested after a refusal or once the dispatch is overdue");
        }
        break;
      }
      case domain::CoordGuard::kWrittenNoticeMissing:
        if (!data["written_notice_at"].is_null()) {
          return Status::Precondition("written_notice_exists", "书面告知已经发出", "R-COL-7", "state")
              .En("The written notice was already issued");
        }
        break;
      case domain::CoordGuard::kWrittenNoticeIssued:
        if (data["written_notice_at"].is_null()) {
          return Status::Precondition("written_notice_missing",
                                      "根据R-COL-7，电话告知后须补办书面告知，方可完成", "R-COL-7", "state")
              .En("R-COL-7: complete the written notice first");
        }
        break;
      case domain::CoordGuard::kMeetingStarted:
        if (now < *core::ParseInstant(std::string(data["start_at"].as_string()))) {
          return Status::Precondition("meeting_not_started", "会议尚未召开，不能记录纪要", "R-COL-6", "start_at")
              .En("The meeting has not started yet");
        }
        break;
      case domain::CoordGuard::kNoOpenDecisions:
        for (const auto& d : data["decisions"].as_array()) {
          if (d.as_object().at("state").as_string() == "open") {
            return Status::Precondition("decisions_open", "尚有决定事项未落实，不能办结", "R-COL-6", "decisions")
                .En("Some decisions are still open");
          }
        }
        break;
    }
    std::vector<std::string> files = FilesOf(data);
    const std::string label(domain::CoordActionLabelZh(t, action));
    const std::string by = json::serialize(UserRef(p.user));
    auto at_by = [&](json::object o) {
      o["at"] = core::FormatInstant(now);
      o["by"] = UserRef(p.user);
      return o;
    };
    std::string audit_action = action;
    std::replace(audit_action.begin(), audit_action.end(), '-', '_');
    c.summary = label + "：" + it.title;

    if (action == "message") {
      auto text = b.Str("text", 2000, true);
      XT_RETURN_IF_ERROR(b.Finish());
      XT_RETURN_IF_ERROR(tx.InsertCoordMessage(domain::CoordMessage{0, it.id, now, p.user.id, p.org.id, *text}).status());
      c.summary = "留言：" + Snip(*text, 40);
      for (Id o : it.org_ids) {
        if (o == p.org.id) continue;
        XT_RETURN_IF_ERROR(c.NotifyOrg(o, TypeName(t) + ".message", p.org.short_name + "留言：" + it.title, Snip(*text, 100)));
      }
    } else if (t == CoordType::kNotice) {
      if (action == "measures") {
        auto analysis = b.Str("analysis", kLongText, true);
        auto advice = b.Str("advice", kLongText, true);
        auto measures = b.Str("measures", kLongText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["response"] = at_by(json::object{{"analysis", *analysis}, {"advice", *advice}, {"measures", *measures}});
        XT_RETURN_IF_ERROR(c.MeetAll("notice.measures", now));
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "notice.answered", p.org.short_name + "已反馈通报处置措施",
                                       "「" + it.title + "」：" + Snip(*measures, 80), true));
      } else if (action == "close") {
        XT_RETURN_IF_ERROR(b.Finish());
        data["closed_at"] = core::FormatInstant(now);
      } else if (action == "withdraw") {
        auto reason = b.Str("reason", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["withdraw_reason"] = *reason;
        XT_RETURN_IF_ERROR(c.WaiveAll("通报已撤回：" + *reason));
      }
    } else if (t == CoordType::kMeeting) {
      if (action == "reply") {
        auto answer = b.Str("answer", 20, true);
        auto note = b.Str("note", kReasonText, false);
        XT_RETURN_IF_ERROR(b.Finish());
        if (*answer != "confirmed" && *answer != "declined") {
          return Status::Invalid("answer", "answer 应为 confirmed 或 declined", rule, "invalid_value")
              .En("answer must be confirmed or declined");
        }
        for (auto& r : data["invitees"].as_array()) {
          auto& o = r.as_object();
          if (o.at("org").as_object().at("id").as_int64() != p.org.id) continue;
          o["answer"] = *answer;
          o["answered_at"] = core::FormatInstant(now);
          o["note"] = note.value_or("");
          o["answered_by"] = UserRef(p.user);
        }
        c.summary = std::string(*answer == "confirmed" ? "确认参加" : "不参加") + "专题会议：" + it.title;
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "meeting.reply", p.org.short_name + (*answer == "confirmed" ? "确认参会" : "不能参会"),
                                       "专题会议「" + it.title + "」" + (note && !note->empty() ? "：" + *note : std::string()), true));
      } else if (action == "minutes") {
        auto minutes = b.Str("minutes", kLongText, true);
        const json::array* decs = b.Arr("decisions", false);
        XT_RETURN_IF_ERROR(b.Finish());
        json::array decisions;
        std::set<Id> owners;
        if (decs && decs->size() > 50) return Status::Invalid("decisions", "决定事项不能超过50项", rule, "invalid_value");
        for (size_t i = 0; decs && i < decs->size(); ++i) {
          const std::string base = "decisions[" + std::to_string(i) + "]";
          if (!(*decs)[i].is_object()) return Status::Invalid(base, base + " 应为对象", rule, "invalid_type");
          Body db((*decs)[i].as_object(), rule);
          auto text = db.Str("text", 2000, true);
          auto owner = db.IdOf("owner_org", true);
          auto due_at = db.Time("due_at", false);
          const json::value* pd = db.Get("period_days", false);
          Status st = db.Finish();
          if (!st.ok()) return Status::Invalid(base + "." + st.field(), st.message(), rule, st.id());
          if (std::find(it.org_ids.begin(), it.org_ids.end(), *owner) == it.org_ids.end()) {
            return Status::Invalid(base + ".owner_org", "责任单位应为召集单位或受邀单位", rule, "invalid_value")
                .En(base + ".owner_org must be the convener or an invited org");
          }
          std::optional<int64_t> days;
          if (pd) {
            if (!pd->is_int64() || pd->as_int64() < 1 || pd->as_int64() > 365) {
              return Status::Invalid(base + ".period_days", "期限应为1至365个工作日", rule, "invalid_value");
            }
            days = pd->as_int64();
          }
          if (due_at && days) return Status::Invalid(base + ".due_at", "due_at 与 period_days 只能给出一个", rule, "invalid_value");
          if (due_at && *due_at <= now) {
            return Status::Invalid(base + ".due_at", "期限应晚于当前时间", rule, "invalid_value").En(base + ".due_at must be in the future");
          }
          XT_ASSIGN_OR_RETURN(domain::Org owner_org, tx.GetOrg(*owner));
          XT_ASSIGN_OR_RETURN(Duty d, c.OpenDuty("meeting.decision", *owner, "会议决定事项：" + *text, now,
                                                 domain::PeriodUnit::kWorkingDays,
                                                 days.value_or(options_.meeting_decision_days)));
          if (due_at) {  // an absolute due agreed at the meeting
            domain::DutyEvent e;
            e.duty_id = d.id;
            e.at = now;
            e.actor_user_id = p.user.id;
            e.kind = "extended";
            e.reason = "会议确定的完成期限";
            e.old_due = d.due_at;
            e.new_due = *due_at;
            d.due_at = *due_at;
            d.yellow_at = std::max(now, *due_at - std::chrono::hours(24));
            d.provisional = false;
            XT_RETURN_IF_ERROR(tx.UpdateDuty(d));
            XT_RETURN_IF_ERROR(tx.InsertDutyEvent(e).status());
          }
          owners.insert(*owner);
          decisions.push_back(json::object{{"no", static_cast<int64_t>(i + 1)}, {"text", *text},
                                           {"owner_org", OrgRef(owner_org)},
                                           {"due_at", core::FormatInstant(d.due_at)}, {"duty_id", d.id},
                                           {"state", "open"}, {"done_at", nullptr}, {"done_note", ""},
                                           {"joint_action", nullptr}});
        }
        data["minutes"] = *minutes;
        data["held_at"] = core::FormatInstant(now);
        data["decisions"] = decisions;
        json::array doc_decisions;
        for (const auto& d : decisions) {
          doc_decisions.push_back(json::object{{"text", d.as_object().at("text")},
                                               {"owner", d.as_object().at("owner_org").as_object().at("name")},
                                               {"due_at", d.as_object().at("due_at")}});
        }
        json::array attendees;
        for (const auto& r : data["invitees"].as_array()) {
          attendees.push_back(json::object{{"org", r.as_object().at("org").as_object().at("name")},
                                           {"answer", r.as_object().at("answer")}});
        }
        XT_RETURN_IF_ERROR(c.Issue(domain::DocKind::kMeetingMinutes, p.org, it.title + "专题会议纪要",
                                   json::object{{"addressee", json::object{{"name", "各参会单位"}}}, {"subject", data["subject"]}, {"start_at", data["start_at"]},
                                                {"place", data["place"]}, {"agenda", data["agenda"]},
                                                {"attendees", attendees}, {"minutes", *minutes},
                                                {"decisions", doc_decisions}})
                               .status());
        for (Id o : owners) {
          XT_RETURN_IF_ERROR(c.NotifyOrg(o, "meeting.decision", "专题会议决定事项",
                                         "专题会议「" + it.title + "」确定了由本单位落实的事项，请按期办理（R-COL-6）"));
        }
        c.detail["decisions"] = static_cast<int64_t>(decisions.size());
      } else if (action == "decision-done") {
        auto note = b.Str("note", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        if (decision->at("state").as_string() != "open") {
          return Status::Precondition("decision_done", "该决定事项已落实", rule, "no").En("The decision is already done");
        }
        (*decision)["state"] = "done";
        (*decision)["done_at"] = core::FormatInstant(now);
        (*decision)["done_note"] = *note;
        auto d = tx.GetDuty(decision->at("duty_id").as_int64());
        if (d.ok() && (d->state == DutyState::kOpen || d->state == DutyState::kSuspended)) {
          XT_RETURN_IF_ERROR(duties_.MeetInTx(tx, &p, *d, now, now).status());
        }
        c.summary = "落实会议决定事项" + std::to_string(*decision_no) + "：" + it.title;
        c.detail["no"] = *decision_no;
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "meeting.decision_done", p.org.short_name + "已落实会议决定事项",
                                       "「" + it.title + "」决定事项" + std::to_string(*decision_no) + "：" + *note));
      } else if (action == "joint-action") {
        const json::array* parts = b.Arr("participants", true);
        auto people = b.Str("people", kReasonText, false);
        auto at = b.Time("at", true);
        auto place = b.Str("place", kShortText, true);
        auto result = b.Str("result", kLongText, false);
        XT_RETURN_IF_ERROR(b.Finish());
        json::array participants;
        if (!parts || parts->empty() || parts->size() > 30) {
          return Status::Invalid("participants", "联合执法参加单位至少一个", "R-SYS-5", "missing_field");
        }
        std::set<Id> seen;
        for (size_t i = 0; i < parts->size(); ++i) {
          const auto& v = (*parts)[i];
          const std::string f = "participants[" + std::to_string(i) + "]";
          std::optional<domain::Org> o;
          if (v.is_int64() && v.as_int64() > 0) {
            auto g = tx.GetOrg(v.as_int64());
            if (g.ok()) o = *g;
          }
          if (!o) return Status::Invalid(f, f + " 应为单位编号", "R-SYS-5", "invalid_value").En(f + " must be an org id");
          if (seen.insert(o->id).second) participants.push_back(OrgRef(*o));
        }
        (*decision)["joint_action"] = json::object{{"participants", participants}, {"people", people.value_or("")},
                                                   {"at", core::FormatInstant(*at)}, {"place", *place},
                                                   {"result", result.value_or("")},
                                                   {"recorded_by", UserRef(p.user)},
                                                   {"recorded_at", core::FormatInstant(now)}};
        c.summary = "记录联合执法行动（决定事项" + std::to_string(*decision_no) + "）：" + it.title;
        c.detail["no"] = *decision_no;
        c.detail["rule"] = "R-SYS-5";
      } else if (action == "close") {
        XT_RETURN_IF_ERROR(b.Finish());
      } else if (action == "cancel") {
        auto reason = b.Str("reason", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["cancel_reason"] = *reason;
        for (Id o : it.org_ids) {
          if (o == p.org.id) continue;
          XT_RETURN_IF_ERROR(c.NotifyOrg(o, "meeting.cancelled", "专题会议取消", "「" + it.title + "」已取消：" + *reason));
        }
      }
    } else if (t == CoordType::kParticipation) {
      if (action == "written-notice") {
        XT_RETURN_IF_ERROR(b.Finish());
        XT_ASSIGN_OR_RETURN(domain::Org to, tx.GetOrg(*it.to_org_id));
        XT_RETURN_IF_ERROR(c.Issue(domain::DocKind::kParticipationNotice, p.org,
                                   "关于派员参加" + it.title + "的告知书",
                                   json::object{{"addressee", json::object{{"id", to.id}, {"name", to.name}}},
                                                {"work", data["kind_label"]}, {"subject", data["subject"]},
                                                {"start_at", data["start_at"]}, {"place", data["place"]},
                                                {"details", data["details"]}, {"phone_notice", data["phone_notice"]}})
                               .status());
        data["written_notice_at"] = core::FormatInstant(now);
        XT_RETURN_IF_ERROR(c.MeetAll("participation.written_notice", now));
        XT_RETURN_IF_ERROR(c.NotifyOrg(to.id, "participation.written_notice", p.org.short_name + "补办书面告知",
                                       "「" + it.title + "」书面告知已发出（" + it.number.value_or("") + "）"));
      } else if (action == "confirm") {
        XT_ASSIGN_OR_RETURN(json::array people, Names(b.Arr("people", true), "people", rule));
        auto note = b.Str("note", kReasonText, false);
        XT_RETURN_IF_ERROR(b.Finish());
        data["confirmation"] = at_by(json::object{{"people", people}, {"note", note.value_or("")}});
        std::string names;
        for (const auto& n : people) names += (names.empty() ? "" : "、") + std::string(n.as_string());
        c.summary = "确认派员参加（" + names + "）：" + it.title;
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "participation.confirmed", p.org.short_name + "确认派员参加",
                                       "「" + it.title + "」派员：" + names, true));
      } else if (action == "complete") {
        auto result = b.Str("result", kLongText, false);
        XT_RETURN_IF_ERROR(b.Finish());
        data["result"] = result.value_or("");
      } else if (action == "cancel") {
        auto reason = b.Str("reason", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["cancel_reason"] = *reason;
        XT_RETURN_IF_ERROR(c.WaiveAll("参与告知已取消：" + *reason));
        XT_RETURN_IF_ERROR(c.NotifyOrg(*it.to_org_id, "participation.cancelled", p.org.short_name + "取消参与告知",
                                       "「" + it.title + "」已取消：" + *reason));
      }
    } else {  // violation notice
      if (action == "dispatch") {
        XT_ASSIGN_OR_RETURN(json::array officers, Names(b.Arr("officers", true), "officers", rule));
        auto at = b.Time("at", false);
        auto note = b.Str("note", kReasonText, false);
        XT_RETURN_IF_ERROR(b.Finish());
        const core::Instant when = at.value_or(now);
        if (when > now + kSkew) return Future("at", rule);
        if (when < it.created_at - kSkew) {
          return Status::Invalid("at", "派员时间不能早于通知时间", rule, "invalid_value").En("at is before the notice");
        }
        data["dispatch"] = json::object{{"officers", officers}, {"at", core::FormatInstant(when)},
                                        {"note", note.value_or("")}, {"by", UserRef(p.user)}};
        XT_RETURN_IF_ERROR(c.MeetAll("violation.dispatch", when));
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "violation_notice.dispatched", p.org.short_name + "已派员处理",
                                       "「" + it.title + "」已派员处理", true));
      } else if (action == "handle") {
        auto result = b.Str("result", kLongText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["result"] = *result;
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "violation_notice.handled", p.org.short_name + "已反馈处理结果",
                                       "「" + it.title + "」：" + Snip(*result, 80), true));
      } else if (action == "refuse") {
        auto reason = b.Str("reason", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["refusal"] = at_by(json::object{{"reason", *reason}});
        XT_RETURN_IF_ERROR(c.MeetAll("violation.dispatch", now));
        XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "violation_notice.refused", p.org.short_name + "拒绝处理违法行为通知",
                                       "「" + it.title + "」理由：" + *reason + "。如理由不成立，可申请县委依法治县办协调（R-COL-8）", true));
      } else if (action == "withdraw") {
        auto reason = b.Str("reason", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["withdraw_reason"] = *reason;
        XT_RETURN_IF_ERROR(c.WaiveAll("通知已撤回：" + *reason));
      } else if (action == "coordination") {
        auto reason = b.Str("reason", kReasonText, true);
        XT_RETURN_IF_ERROR(b.Finish());
        data["coordination"] = json::object{{"requested_at", core::FormatInstant(now)}, {"reason", *reason},
                                            {"decision", ""}, {"decided_at", nullptr}, {"decided_by", nullptr},
                                            {"decision_reason", ""}};
        XT_RETURN_IF_ERROR(c.NotifyCoordinator("violation_notice.coordination", "违法行为通知申请协调",
                                               p.org.name + "就「" + it.title + "」申请协调：" + *reason + "（R-COL-8）"));
      } else {  // coordination.<decision>
        auto reason = b.Str("reason", kReasonText, true);
        auto to_id = b.IdOf("to_org", action == "coordination.reassign");
        XT_RETURN_IF_ERROR(b.Finish());
        auto& co = data["coordination"].as_object();
        co["decision"] = action.substr(std::string("coordination.").size());
        co["decided_at"] = core::FormatInstant(now);
        co["decided_by"] = UserRef(p.user);
        co["decision_reason"] = *reason;
        XT_RETURN_IF_ERROR(c.WaiveAll("县委依法治县办协调决定：" + *reason));
        if (action == "coordination.township_handles") {
          XT_RETURN_IF_ERROR(c.NotifyOrg(it.from_org_id, "violation_notice.decided", "协调决定：由乡镇处理",
                                         "「" + it.title + "」：" + *reason, true));
        } else {
          if (action == "coordination.reassign") {
            if (*to_id == *it.to_org_id) {
              return Status::Invalid("to_org", "应改由其他部门处理", "R-COL-8", "invalid_value").En("to_org must differ");
            }
            XT_ASSIGN_OR_RETURN(domain::Org nto, AddresseeOrg(tx, *to_id, p, false, true, "R-COL-8"));
            if (nto.id == it.from_org_id) {
              return Status::Invalid("to_org", "应改由其他部门处理", "R-COL-8", "invalid_value").En("to_org must differ");
            }
            it.to_org_id = nto.id;
            if (std::find(it.org_ids.begin(), it.org_ids.end(), nto.id) == it.org_ids.end()) it.org_ids.push_back(nto.id);
            data["dispatch"] = nullptr;
            data["refusal"] = nullptr;
          } else {
            data["dispatch"] = nullptr;
            data["refusal"] = nullptr;
          }
          XT_RETURN_IF_ERROR(c.OpenDuty("violation.dispatch", *it.to_org_id, "立即派员处理（协调决定）：" + it.title,
                                        now, domain::PeriodUnit::kHours, options_.violation_dispatch_hours)
                                 .status());
          XT_RETURN_IF_ERROR(c.NotifyOrg(*it.to_org_id, "violation_notice.decided", "协调决定：请立即派员处理",
                                         "「" + it.title + "」：" + *reason + "（R-COL-8，决定具有约束力）"));
        }
        c.summary = std::string(domain::CoordActionLabelZh(t, action)) + "：" + it.title;
      }
    }
    (void)by;
    it.state = row->to;
    it.updated_at = now;
    it.data = json::serialize(data);
    XT_RETURN_IF_ERROR(tx.UpdateCoordItem(it, files));
    c.detail["from"] = domain::CoordStateName(t, before);
    c.detail["to"] = domain::CoordStateName(t, it.state);
    XT_RETURN_IF_ERROR(Record(tx, &p, now,
                              AuditRecord{TypeName(t) + "." + audit_action, TypeName(t), std::to_string(it.id),
                                          c.summary, std::move(c.detail)})
                           );
    XT_ASSIGN_OR_RETURN(out, Render(tx, it, true, now));
    return Status::Ok();
  }));
  return out;
}

// ---- Reading --------------------------------------------------------------------------------

Result<json::object> CoordItemService::Render(storage::Tx& tx, const CoordItem& it, bool detail,
                                              core::Instant now) {
  auto cal = calendars_.Current();
  if (!cal) return Status::Unavailable("工作日历未加载");
  json::object o;
  o["id"] = it.id;
  o["type"] = TypeName(it.type);
  o["number"] = it.number ? json::value(*it.number) : json::value(nullptr);
  o["state"] = domain::CoordStateName(it.type, it.state);
  o["state_label"] = domain::CoordStateLabelZh(it.type, it.state);
  std::map<Id, std::string> names;
  auto org = [&](Id id) -> json::value {
    auto g = tx.GetOrg(id);
    if (!g.ok()) return nullptr;
    names[id] = g->name;
    return OrgRef(*g);
  };
  o["from_org"] = org(it.from_org_id);
  o["to_org"] = it.to_org_id ? org(*it.to_org_id) : json::value(nullptr);
  o["title"] = it.title;
  o["kind"] = it.kind.empty() ? json::value(nullptr) : json::value(it.kind);
  o["referral_id"] = it.referral_id ? json::value(*it.referral_id) : json::value(nullptr);
  auto u = tx.GetUser(it.created_by);
  o["created_by"] = u.ok() ? json::value(UserRef(*u)) : json::value(nullptr);
  o["created_at"] = core::FormatInstant(it.created_at);
  o["updated_at"] = core::FormatInstant(it.updated_at);
  json::object data = json::parse(it.data).as_object();
  for (auto& kv : data) o[kv.key()] = kv.value();
  XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, DutiesOf(tx, it));
  const Duty* first = EarliestOpenDuty(ds);
  o["colour"] = first ? json::value(domain::ColourName(domain::ColourAt(*first, now))) : json::value(nullptr);
  json::array duties;
  for (const auto& d : ds) {
    if (!names.count(d.owner_org_id)) org(d.owner_org_id);
    duties.push_back(DutyJson(d, names[d.owner_org_id], *cal, now));
  }
  o["duties"] = std::move(duties);
  if (detail) {
    XT_ASSIGN_OR_RETURN(std::vector<domain::Document> docs, tx.ListCoordDocuments(it.id));
    json::array da;
    for (const auto& d : docs) da.push_back(DocumentJson(d));
    o["documents"] = std::move(da);
    XT_ASSIGN_OR_RETURN(std::vector<domain::CoordMessage> msgs, tx.ListCoordMessages(it.id));
    json::array ma;
    std::map<Id, json::value> users;
    auto user = [&](Id id) -> json::value {
      if (!users.count(id)) {
        auto g = tx.GetUser(id);
        users[id] = g.ok() ? json::value(UserRef(*g)) : json::value(nullptr);
      }
      return users[id];
    };
    for (const auto& m : msgs) {
      ma.push_back(json::object{{"id", m.id}, {"at", core::FormatInstant(m.at)}, {"text", m.text},
                                {"by", user(m.user_id)}, {"org", org(m.org_id)}});
    }
    o["messages"] = std::move(ma);
    storage::AuditFilter af;
    af.object_type = TypeName(it.type);
    af.object_id = std::to_string(it.id);
    af.limit = 1000;
    XT_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries, tx.ListAudit(af));
    const std::string prefix = TypeName(it.type) + ".";
    json::array tl;
    for (auto e = entries.rbegin(); e != entries.rend(); ++e) {
      json::object row{{"at", core::FormatInstant(e->at)},
                       {"action", e->action.starts_with(prefix) ? e->action.substr(prefix.size()) : e->action},
                       {"summary", e->summary}};
      row["actor"] = e->actor_user_id ? user(*e->actor_user_id) : json::value(nullptr);
      json::value og = e->actor_org_id ? org(*e->actor_org_id) : json::value(nullptr);
      row["org"] = og;
      tl.push_back(std::move(row));
    }
    o["timeline"] = std::move(tl);
  }
  return o;
}

Result<json::object> CoordItemService::Get(const Principal& p, CoordType t, Id id) {
  const core::Instant now = clock_.Now();
  json::object out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto got = tx.GetCoordItem(id);
    if (!got.ok()) return got.status().code() == core::Code::kNotFound ? NotFound(t) : got.status();
    if (got->type != t || !CanSee(p, *got)) return NotFound(t);
    XT_ASSIGN_OR_RETURN(out, Render(tx, *got, true, now));
    return Status::Ok();
  }));
  return out;
}

namespace {
Result<storage::CoordItemFilter> FilterFor(const Principal& p, std::optional<CoordType> t,
                                           const CoordQuery& q, std::optional<domain::Colour>& colour) {
  storage::CoordItemFilter f;
  f.type = t;
  const std::string rule = t ? RuleOf(*t) : "R-ACC-1";
  if (!p.SeesAll()) f.involving_org_id = p.org.id;
  if (q.direction == "in") {
    f.involving_org_id = p.org.id;
    f.not_from_org_id = p.org.id;
  } else if (q.direction == "out") {
    f.from_org_id = p.org.id;
  } else if (!q.direction.empty() && q.direction != "all") {
    return Status::Invalid("direction", "direction 应为 in|out|all", rule, "invalid_value");
  }
  if (!q.state.empty()) {
    if (!t) return Status::Invalid("state", "按状态筛选须指定类型", rule, "invalid_value");
    auto s = domain::ParseCoordState(*t, q.state);
    if (!s) return Status::Invalid("state", "未知状态：" + q.state, rule, "invalid_value");
    f.states.push_back(*s);
  }
  if (!q.kind.empty()) {
    if (!t || domain::CoordKindLabelZh(*t, q.kind).empty()) {
      return Status::Invalid("kind", "未知类别：" + q.kind, rule, "invalid_value");
    }
    f.kind = q.kind;
  }
  if (q.org) {
    if (f.involving_org_id && *f.involving_org_id != *q.org) {
      // Both must hold: the org filter narrows what the principal sees to items involving both.
      f.text = f.text;  // no-op; org filter is applied by the caller
    } else {
      f.involving_org_id = *q.org;
    }
  }
  if (!q.colour.empty()) {
    auto c = domain::ParseColour(q.colour);
    if (!c || *c == domain::Colour::kNone) return Status::Invalid("colour", "colour 应为 green|yellow|red", "R-TIME-4", "invalid_value");
    colour = c;
  }
  if (Len(q.q) > 100) return Status::Invalid("q", "q 不能超过100个字", rule, "too_long");
  f.text = q.q;
  if (q.page < 1) return Status::Invalid("page", "page 应≥1", rule, "invalid_value");
  if (q.page_size < 1 || q.page_size > 200) return Status::Invalid("page_size", "page_size 应为1至200", rule, "invalid_value");
  return f;
}
}  // namespace

Result<json::object> CoordItemService::List(const Principal& p, CoordType t, const CoordQuery& q) {
  const core::Instant now = clock_.Now();
  std::optional<domain::Colour> colour;
  XT_ASSIGN_OR_RETURN(storage::CoordItemFilter f, FilterFor(p, t, q, colour));
  json::object out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    const bool post = colour.has_value() || (q.org && f.involving_org_id && *f.involving_org_id != *q.org);
    json::array items;
    int64_t total = 0;
    if (!post) {
      XT_ASSIGN_OR_RETURN(total, tx.CountCoordItems(f));
      f.offset = (q.page - 1) * q.page_size;
      f.limit = q.page_size;
      XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
      for (const auto& it : rows) {
        XT_ASSIGN_OR_RETURN(json::object o, Render(tx, it, false, now));
        items.push_back(std::move(o));
      }
    } else {
      f.limit = 10000;
      XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
      int64_t skip = static_cast<int64_t>(q.page - 1) * q.page_size;
      for (const auto& it : rows) {
        if (q.org && std::find(it.org_ids.begin(), it.org_ids.end(), *q.org) == it.org_ids.end()) continue;
        if (colour) {
          XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, DutiesOf(tx, it));
          const Duty* first = EarliestOpenDuty(ds);
          if (!first || domain::ColourAt(*first, now) != *colour) continue;
        }
        ++total;
        if (skip > 0) {
          --skip;
          continue;
        }
        if (static_cast<int>(items.size()) >= q.page_size) continue;
        XT_ASSIGN_OR_RETURN(json::object o, Render(tx, it, false, now));
        items.push_back(std::move(o));
      }
    }
    out = json::object{{"items", std::move(items)}, {"total", total}};
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<CoordSummary>> CoordItemService::Summaries(const Principal& p,
                                                              std::optional<CoordType> t,
                                                              std::string_view text) {
  const core::Instant now = clock_.Now();
  std::vector<CoordSummary> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    storage::CoordItemFilter f;
    f.type = t;
    if (!p.SeesAll()) f.involving_org_id = p.org.id;
    f.text = std::string(text);
    f.limit = 5000;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    for (const auto& it : rows) {
      CoordSummary s{it.type, it.id, it.number, it.title, it.from_org_id, it.to_org_id, it.state,
                     domain::Colour::kNone, std::nullopt, it.created_at, it.org_ids};
      XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, DutiesOf(tx, it));
      if (const Duty* first = EarliestOpenDuty(ds)) {
        s.colour = domain::ColourAt(*first, now);
        s.due_at = first->due_at;
      }
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

Result<domain::Document> CoordItemService::GetDocument(const Principal& p, Id id) {
  domain::Document out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    auto none = Status(core::Code::kNotFound, "not_found", "文书不存在", "id", "R-ACC-1").En("No such document");
    XT_ASSIGN_OR_RETURN(std::optional<Id> item_id, tx.CoordItemOfDocument(id));
    if (!item_id) return none;
    auto it = tx.GetCoordItem(*item_id);
    if (!it.ok() || !CanSee(p, *it)) return none;
    auto d = tx.GetDocument(id);
    if (!d.ok()) return none;
    out = std::move(d).value();
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
