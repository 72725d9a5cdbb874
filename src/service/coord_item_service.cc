#include "service/workflow/items.h"
#include "domain/wording.h"
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
#include "service/workflow/step.h"
#include "service/region_service.h"

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

// Shared by every item service (service/workflow/items.h).
Status NotFound(CoordType t) { return workflow::ItemNotFound(t); }
using workflow::IsStaff;
using workflow::OrgRef;
using workflow::UserRef;
using workflow::Snip;
using workflow::Maybe;

constexpr std::chrono::minutes kSkew{5};

size_t Len(std::string_view s) { return domain::Utf8Length(s); }

std::string TypeName(CoordType t) { return std::string(domain::CoordTypeName(t)); }
// The types this service runs: the collaboration types and the standing mechanisms.
bool Runs(CoordType t) { return domain::IsCollaborationType(t) || domain::IsMechanismType(t); }
// A meeting or a consultation (联席会议, R-SYS-1), which runs the meeting's steps.
bool IsMeetingLike(CoordType t) { return t == CoordType::kMeeting || t == CoordType::kConsultation; }
std::string RuleOf(CoordType t) { return std::string(domain::CoordTypeRule(t)); }




// The names of a confirmation or a dispatch, as stored.
json::array NamesJson(const std::vector<std::string>& names) {
  json::array out;
  for (const auto& n : names) out.push_back(json::value(n));
  return out;
}

Status Future(const std::string& field, const std::string& rule) {
  return Status::Invalid(field, field + " 不能晚于当前时间", rule, "invalid_value")
      .En(field + " may not be in the future");
}



// Materials → stored JSON with file metadata (each file uploaded by the principal's org);
// collects file ids.
Result<json::array> Materials(storage::Tx& tx, const Principal& p,
                              const std::vector<CoordMaterialInput>& in, const std::string& rule,
                              std::vector<std::string>& files,
                              const std::string& field = "materials") {
  json::array out;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string base = field + "[" + std::to_string(i) + "]";
    const CoordMaterialInput& mi = in[i];
    json::object m{{"name", mi.name}, {"description", mi.description}, {"file", nullptr}};
    if (!mi.file.empty()) {
      XT_ASSIGN_OR_RETURN(std::optional<FileInfo> info,
                          Maybe(FileService::InfoInTx(tx, mi.file, p.org.id)));
      bool mine = false;
      if (info) {
        XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(mi.file));
        for (const auto& r : refs) mine = mine || r.org_id == p.org.id;
      }
      if (!info || !mine) {
        return Status::Invalid(base + ".file", "文件不存在或不是本单位上传的", rule, "invalid_value")
            .En(base + ".file: unknown file, or not uploaded by your org");
      }
      m["file"] = json::object{{"id", info->id}, {"name", info->name}, {"size", info->size},
                               {"content_type", info->content_type}};
      files.push_back(mi.file);
    }
    out.push_back(std::move(m));
  }
  return out;
}

void FilesIn(const json::object& data, const char* key, std::vector<std::string>& out) {
  auto it = data.find(key);
  if (it == data.end() || !it->value().is_array()) return;
  for (const auto& m : it->value().as_array()) {
    if (!m.is_object()) continue;
    auto f = m.as_object().find("file");
    if (f != m.as_object().end() && f->value().is_object()) {
      out.emplace_back(f->value().as_object().at("id").as_string());
    }
  }
}
// The files an item's fields attach: its "materials", and a standing mechanism's "plans",
// "emergency_plans" and the materials of its "briefings" (R-SYS-4).
std::vector<std::string> FilesOf(const json::object& data) {
  std::vector<std::string> out;
  for (const char* key : {"materials", "plans", "emergency_plans"}) FilesIn(data, key, out);
  if (auto b = data.find("briefings"); b != data.end() && b->value().is_array()) {
    for (const auto& row : b->value().as_array())
      if (row.is_object()) FilesIn(row.as_object(), "materials", out);
  }
  return out;
}

bool IsDepartment(const domain::Org& o) { return o.kind == domain::OrgKind::kCountyDepartment; }

Result<domain::Org> AddresseeOrg(storage::Tx& tx, Id id, const Principal& p, bool want_township,
                                 bool allow_police, const std::string& rule) {
  XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(id)));
  const char* what = want_township ? "乡镇" : "县直执法部门";
  if (!o || !o->active) {
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

// The coordinator org deciding (R-COL-8): the acting staff's own, else the first coordinator org.
Result<domain::Org> CoordinatorOrg(storage::Tx& tx, const Principal& p) {
  if (p.org.kind == domain::OrgKind::kCoordinator) return p.org;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  for (const auto& o : orgs)
    if (o.kind == domain::OrgKind::kCoordinator) return o;
  return p.org;
}

json::object Addressee(const domain::Org& o) {
  return json::object{{"id", o.id}, {"name", o.name}};
}
json::object Item(std::string_view label, const json::value& text) {
  return json::object{{"label", label}, {"text", text}};
}
std::string StrOf(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The orgs `ids` (the array `field`): each an active org that is not an internal unit, once, in
// order; else invalid_argument "<field>[i]" naming `rule` (R-SYS-4 members, R-SYS-5 participants).
Result<std::vector<domain::Org>> OrgsOf(storage::Tx& tx, const std::vector<Id>& ids,
                                        const std::string& field, const std::string& rule) {
  std::vector<domain::Org> out;
  std::set<Id> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(ids[i])));
    if (!o || !o->active || o->kind == domain::OrgKind::kUnit) {
      return Status::Invalid(f, f + " 应为单位编号", rule, "invalid_value").En(f + " must be an org id");
    }
    if (seen.insert(o->id).second) out.push_back(std::move(*o));
  }
  return out;
}
json::array OrgRefs(const std::vector<domain::Org>& orgs) {
  json::array out;
  for (const auto& o : orgs) out.push_back(OrgRef(o));
  return out;
}
json::array Texts(const std::vector<std::string>& texts) {
  json::array out;
  for (const auto& t : texts) out.push_back(json::value(t));
  return out;
}
// The orgs involved in a standing mechanism (R-SYS-4): its creator, its lead org and members.
std::vector<Id> MechanismOrgs(Id from, Id lead, const std::vector<domain::Org>& members) {
  std::vector<Id> out{from, lead};
  for (const auto& m : members) out.push_back(m.id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Result<json::array> CoordMaterialsJson(storage::Tx& tx, const Principal& p,
                                       const std::vector<CoordMaterialInput>& in,
                                       const std::string& rule, std::vector<std::string>& files) {
  return Materials(tx, p, in, rule, files);
}
std::vector<std::string> CoordFilesOf(const json::object& fields) { return FilesOf(fields); }

// ---- The workflow engine's Definition (service/workflow/step.h) -----------------------------

// The entity of a step: the item with its own fields parsed (saved back into `data`).
struct CoordItemService::Entity : workflow::ItemEntity {
  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
};

struct CoordItemService::Workflow {
  using Entity = CoordItemService::Entity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  CoordItemService& self;
  CoordType t;
  std::optional<int> decision_no;  // decision-done / joint-action
  Status refused;                  // a coordinator decision naming no decision (after load)
  bool creating = false;           // the creation's audit summary names the number

  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != t) return NotFound();
    return Entity::Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(t); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, Entity& e, Action a) const {
    XT_RETURN_IF_ERROR(refused);
    // The coordinator's staff act for their org too (they convene consultations and organise
    // joint actions, R-SYS-1, R-SYS-5).
    const bool staff = IsStaff(p) || p.IsCoordinator();
    domain::CoordActor actor;
    actor.from_staff = staff && p.org.id == e.from_org_id;
    actor.to_staff = staff && e.to_org_id && p.org.id == *e.to_org_id;
    actor.to_leader = actor.to_staff && p.Has(domain::Role::kLeader);
    actor.coordinator = p.CoordinatesBetween(workflow::CoordinatedOrgs(e));  // R-ACC-2
    actor.involved_staff =
        staff && std::find(e.org_ids.begin(), e.org_ids.end(), p.org.id) != e.org_ids.end();
    if (IsMeetingLike(t)) {
      for (const auto& row : e.fields["invitees"].as_array())
        if (row.as_object().at("org").as_object().at("id").as_int64() == p.org.id) actor.invitee_staff = staff;
      if (a == "decision-done" || a == "joint-action") {
        const json::object* d = DecisionOf(e, decision_no);
        if (!d) return Status(core::Code::kNotFound, "not_found", "决定事项不存在", "no", RuleOf(t)).En("No such decision");
        actor.owner_staff = staff && d->at("owner_org").as_object().at("id").as_int64() == p.org.id;
      }
    }
    return domain::DecideCoordTransition(t, a, e.state, actor);
  }
  Status CheckGuard(Ctx& x) const;
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, FilesOf(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(t, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::CoordActionLabelZh(t, a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::CoordStateName(t, e.state)); }
  std::optional<std::string> Number(const Entity& e) const {
    return creating ? e.number : std::nullopt;
  }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return self.Render(tx, e, true, now, &e.fields);  // parsed once, at Load
  }

  static json::object* DecisionOf(Entity& e, std::optional<int> no) {
    if (!no) return nullptr;
    for (auto& d : e.fields["decisions"].as_array())
      if (d.as_object().at("no").as_int64() == *no) return &d.as_object();
    return nullptr;
  }
};

Status CoordItemService::Workflow::CheckGuard(Ctx& x) const {
  json::object& data = x.e.fields;
  switch (x.row.guard) {
    case domain::CoordGuard::kNone: return Status::Ok();
    case domain::CoordGuard::kDispatchDutyRed: {
      XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, x.Duties());
      bool red = std::any_of(ds.begin(), ds.end(), [&](const Duty& d) {
        return d.kind == "violation.dispatch" && d.state == DutyState::kOpen &&
               domain::ColourAt(d, x.now) == domain::Colour::kRed;
      });
      if (red) return Status::Ok();
      return Status::Precondition("dispatch_duty_not_overdue",
                                  "根据R-COL-8，被通知部门拒不处理或超过派员期限后方可申请协调；当前状态为「已通知」，派员期限尚未届满",
                                  "R-COL-8", "state")
          .En("R-COL-8: coordination may be requested after a refusal or once the dispatch is overdue");
    }
    case domain::CoordGuard::kWrittenNoticeMissing:
      if (data["written_notice_at"].is_null()) return Status::Ok();
      return Status::Precondition("written_notice_exists", "书面告知已经发出", "R-COL-7", "state")
          .En("The written notice was already issued");
    case domain::CoordGuard::kWrittenNoticeIssued:
      if (!data["written_notice_at"].is_null()) return Status::Ok();
      return Status::Precondition("written_notice_missing",
                                  "根据R-COL-7，电话告知后须补办书面告知，方可完成", "R-COL-7", "state")
          .En("R-COL-7: complete the written notice first");
    case domain::CoordGuard::kMeetingStarted:
      if (x.now >= *core::ParseInstant(std::string(data["start_at"].as_string()))) return Status::Ok();
      return Status::Precondition("meeting_not_started", "会议尚未召开，不能记录纪要", RuleOf(x.e.type), "start_at")
          .En("The meeting has not started yet");
    case domain::CoordGuard::kNoOpenDecisions:
      for (const auto& d : data["decisions"].as_array()) {
        if (d.as_object().at("state").as_string() == "open") {
          return Status::Precondition("decisions_open", "尚有决定事项未落实，不能办结", RuleOf(x.e.type), "decisions")
              .En("Some decisions are still open");
        }
      }
      return Status::Ok();
  }
  return Status::Ok();
}

// ---- Construction and visibility ----------------------------------------------------------

CoordItemService::CoordItemService(storage::Store& store, const core::Clock& clock,
                                   DutyService& duties, CalendarService& calendars,
                                   CoordOptions options)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars), options_(options) {}

bool CoordItemService::CanSee(const Principal& p, const CoordItem& it) {
  // Coordinators, auditors, administrators: any involved org in their scope (R-ACC-1, R-ACC-2).
  if (p.OverseesAny(it.org_ids) || p.OverseesOrgId(it.from_org_id) ||
      (it.to_org_id && p.OverseesOrgId(*it.to_org_id)))
    return true;
  return std::find(it.org_ids.begin(), it.org_ids.end(), p.org.id) != it.org_ids.end() ||
         it.from_org_id == p.org.id || (it.to_org_id && *it.to_org_id == p.org.id);
}

core::Result<bool> CoordItemService::CanReadFileInTx(storage::Tx& tx, const Principal& p,
                                         const std::string& sha256) {
  return workflow::AnyVisible(
      tx.CoordItemsWithFile(sha256), [&](Id id) { return tx.GetCoordItem(id); },
      [&](const domain::CoordItem& e) { return CanSee(p, e); });
}


// ---- One small handler per action -----------------------------------------------------------

struct CoordItemService::Steps {
  struct In {
    const CoordActionInput& in;
    std::optional<int> no;  // the meeting decision (decision-done, joint-action)
    std::string rule;       // of the type
    // The action's input; a handler given another's is a bug.
    template <class T>
    Result<const T*> Get() const {
      if (const T* t = std::get_if<T>(&in)) return t;
      return Status::Internal("coordination item step given the input of another action");
    }
  };
  using Fn = Status (*)(const CoordItemService&, Ctx&, In&);
  struct Row {
    CoordType type;
    std::string_view action;
    Fn fn;
  };
  static const Row* Find(CoordType t, std::string_view action);

  // Issues the row's document; the item's `number` is that of its primary document only.
  static Result<domain::Document> Issue(Ctx& x, domain::DocKind kind, const domain::Org& issuer,
                                        const std::string& title, json::object body) {
    XT_ASSIGN_OR_RETURN(domain::Document d, x.Issue(kind, issuer, title, std::move(body)));
    if (domain::CoordNumberedKind(x.e.type) == kind) x.e.number = d.number;
    return d;
  }
  static json::object AtBy(Ctx& x, json::object o) {
    o["at"] = core::FormatInstant(x.now);
    o["by"] = UserRef(x.p.user);
    return o;
  }
  static std::string Label(const Ctx& x) {
    return std::string(domain::CoordKindLabelZh(x.e.type, x.e.kind));
  }
  static Result<domain::Org> To(Ctx& x) { return x.tx.GetOrg(*x.e.to_org_id); }

  // ---- Creation (the creating rows) ----
  static Status CreatedNotice(const CoordItemService& svc, Ctx& x) {
    const std::string label = Label(x);
    XT_ASSIGN_OR_RETURN(domain::Org to, To(x));
    const int days = x.e.kind == "hazard" ? svc.options_.notice_hazard_days
                                          : svc.options_.notice_frequent_violation_days;
    DutyInput in;
    in.kind = "notice.measures";
    in.owner_org_id = to.id;
    in.title = Snip("研究处置" + x.p.org.short_name + "通报：" + x.e.title, 190);
    in.trigger_at = x.now;
    in.unit = domain::PeriodUnit::kWorkingDays;
    in.period = days;
    XT_RETURN_IF_ERROR(x.Open(in).status());
    const std::string request = "请在" + std::to_string(days) + "个工作日内研究提出建议并采取措施（R-COL-5）";
    XT_RETURN_IF_ERROR(
        Issue(x, domain::DocKind::kHazardNotice, x.p.org, domain::About(x.e.title) + "的" + label + "通报",
              json::object{{"addressee", Addressee(to)},
                           {"paragraphs", json::array{"现将" + label + "情况通报如下：" +
                                                          StrOf(x.e.fields, "description"),
                                                      "地点：" + StrOf(x.e.fields, "place"),
                                                      request + "。"}}})
            .status());
    x.summary = "通报" + label + "：" + x.e.title;
    return x.NotifyDesk(to.id, "notice.created", x.p.org.short_name + label + "通报",
                        x.p.org.name + "通报" + label + "：" + x.e.title + "，" + request);
  }

  static Status CreatedViolation(const CoordItemService& svc, Ctx& x) {
    const std::string label = Label(x);
    XT_ASSIGN_OR_RETURN(domain::Org to, To(x));
    const json::object& data = x.e.fields;
    XT_RETURN_IF_ERROR(Issue(x, domain::DocKind::kViolationNotice, x.p.org,
                             domain::About(x.e.title) + "的违法行为通知",
                             json::object{{"addressee", Addressee(to)},
                                          {"category", label},
                                          {"description", data.at("description")},
                                          {"place", data.at("place")},
                                          {"found_at", data.at("found_at")},
                                          {"hours", svc.options_.violation_dispatch_hours}})
                           .status());
    DutyInput in;
    in.kind = "violation.dispatch";
    in.owner_org_id = to.id;
    in.title = Snip("立即派员处理：" + x.e.title, 190);
    in.trigger_at = x.now;
    in.unit = domain::PeriodUnit::kHours;
    in.period = svc.options_.violation_dispatch_hours;
    XT_RETURN_IF_ERROR(x.Open(in).status());
    x.summary = "通知" + to.short_name + label + "违法行为：" + x.e.title;
    return x.NotifyDesk(to.id, "violation_notice.created", "紧急：" + x.p.org.short_name + "违法行为通知",
                        x.p.org.name + "通知：" + x.e.title + "（" + label + "），请立即派员处理（R-COL-8）");
  }

  static Status CreatedMeeting(const CoordItemService&, Ctx& x) {
    const json::object& data = x.e.fields;
    const std::string noun(domain::CoordTypeLabelZh(x.e.type));  // 专题会议 | 联席会议
    const std::string kind = TypeName(x.e.type);
    const std::string rule = RuleOf(x.e.type);
    const std::string when = StrOf(data, "start_at");
    const std::string place = StrOf(data, "place");
    json::array items;
    std::vector<domain::User> named;
    for (const auto& row : data.at("invitees").as_array()) {
      const json::object& r = row.as_object();
      items.push_back(Item("受邀单位", r.at("org").as_object().at("name")));
      if (const auto& u = r.at("user"); u.is_object()) {
        XT_ASSIGN_OR_RETURN(domain::User got, x.tx.GetUser(u.as_object().at("id").as_int64()));
        named.push_back(std::move(got));
      }
    }
    XT_RETURN_IF_ERROR(
        Issue(x, domain::DocKind::kMeetingInvitation, x.p.org, "关于召开" + x.e.title + noun + "的通知",
              json::object{{"addressee", json::object{{"name", "各受邀单位"}}},
                           {"paragraphs", json::array{"定于" + when + "在" + place + "召开" + noun + "，议题：" +
                                                          StrOf(data, "subject") + "。",
                                                      "会议议程：" + StrOf(data, "agenda"),
                                                      "请各受邀单位答复是否参会（" + rule + "）。"}},
                           {"items", std::move(items)}})
            .status());
    x.summary = "召集" + noun + "：" + x.e.title;
    const std::string body = x.p.org.name + "邀请参加" + noun + "「" + x.e.title + "」，时间" + when +
                             "，地点" + place + "（" + rule + "）";
    for (Id o : x.e.org_ids) {
      if (o == x.e.from_org_id) continue;
      XT_RETURN_IF_ERROR(x.NotifyDesk(o, kind + ".invited", noun + "邀请", body));
    }
    return x.NotifyUsers(named, kind + ".invited", noun + "邀请", body);
  }

  static Status CreatedParticipation(const CoordItemService&, Ctx& x) {
    const std::string label = Label(x);
    XT_ASSIGN_OR_RETURN(domain::Org to, To(x));
    json::object& data = x.e.fields;
    if (const auto& phone = data.at("phone_notice"); phone.is_object()) {
      DutyInput in;
      in.kind = "participation.written_notice";
      in.owner_org_id = x.p.org.id;
      in.title = Snip("补办书面告知：" + x.e.title, 190);
      in.trigger_at = *core::ParseInstant(std::string(phone.as_object().at("called_at").as_string()));
      XT_RETURN_IF_ERROR(x.Open(in).status());
      x.summary = "电话告知" + to.short_name + "参加" + label + "：" + x.e.title;
    } else {
      XT_RETURN_IF_ERROR(WrittenNotice(x, to).status());
      x.summary = "书面告知" + to.short_name + "参加" + label + "：" + x.e.title;
    }
    return x.NotifyDesk(to.id, "participation.created", x.p.org.short_name + "请派员参加" + label,
                        x.p.org.name + "请派员参加" + label + "「" + x.e.title + "」，时间" +
                            StrOf(data, "start_at") + "，地点" + StrOf(data, "place") + "（R-COL-7）");
  }

  // The numbered written notice of a participation request (R-COL-7), at once or afterwards.
  static Result<domain::Document> WrittenNotice(Ctx& x, const domain::Org& to) {
    json::object& data = x.e.fields;
    json::object body{{"addressee", Addressee(to)}, {"work", data["kind_label"]},
                      {"subject", data["subject"]}, {"start_at", data["start_at"]},
                      {"place", data["place"]}, {"details", data["details"]}};
    if (data["phone_notice"].is_object()) body["phone_notice"] = data["phone_notice"];
    XT_ASSIGN_OR_RETURN(domain::Document d,
                        Issue(x, domain::DocKind::kParticipationNotice, x.p.org,
                              "关于派员参加" + x.e.title + "的告知书", std::move(body)));
    data["written_notice_at"] = core::FormatInstant(x.now);
    return d;
  }

  // ---- Every type ----
  static Status Message(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const CoordMessageInput* m, in.Get<CoordMessageInput>());
    const std::string& text = m->text;
    XT_RETURN_IF_ERROR(x.tx.InsertCoordMessage(domain::CoordMessage{0, x.e.id, x.now, x.p.user.id, x.p.org.id, text}).status());
    x.summary = "留言：" + Snip(text, 40);
    for (Id o : x.e.org_ids) {
      if (o == x.p.org.id) continue;
      XT_RETURN_IF_ERROR(x.NotifyDesk(o, TypeName(x.e.type) + ".message",
                                      x.p.org.short_name + "留言：" + x.e.title, Snip(text, 100)));
    }
    return Status::Ok();
  }
  // Withdraw / cancel: the reason, and the row waives every pending duty.
  static Status Reason(Ctx& x, In& in, const char* field, const std::string& why) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, in.Get<CoordReasonInput>());
    x.e.fields[field] = r->reason;
    x.waive_reason = why + r->reason;
    return Status::Ok();
  }
  static Status NoBody(const CoordItemService&, Ctx&, In& in) {
    return in.Get<CoordNoInput>().status();
  }

  // ---- Notices (R-COL-5) ----
  static Status NoticeMeasures(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const NoticeMeasuresInput* m, in.Get<NoticeMeasuresInput>());
    const std::string &analysis = m->analysis, &advice = m->advice, &measures = m->measures;
    x.e.fields["response"] = AtBy(x, json::object{{"analysis", analysis}, {"advice", advice}, {"measures", measures}});
    XT_ASSIGN_OR_RETURN(domain::Org from, x.tx.GetOrg(x.e.from_org_id));
    XT_RETURN_IF_ERROR(
        Issue(x, domain::DocKind::kNoticeReply, x.p.org, domain::About(x.e.title) + "通报的处置情况反馈",
              json::object{{"addressee", Addressee(from)},
                           {"paragraphs", json::array{"你单位通报的「" + x.e.title + "」收悉，经研究，现将处置情况反馈如下："}},
                           {"items", json::array{Item("原因分析", json::value(analysis)),
                                                 Item("工作建议", json::value(advice)),
                                                 Item("处置措施", json::value(measures))}}})
            .status());
    return x.NotifyDesk(x.e.from_org_id, "notice.answered", x.p.org.short_name + "已反馈通报处置措施",
                        "「" + x.e.title + "」：" + Snip(measures, 80), true);
  }
  static Status NoticeClose(const CoordItemService&, Ctx& x, In& in) {
    XT_RETURN_IF_ERROR(in.Get<CoordNoInput>().status());
    x.e.fields["closed_at"] = core::FormatInstant(x.now);
    return Status::Ok();
  }
  static Status NoticeWithdraw(const CoordItemService&, Ctx& x, In& in) {
    return Reason(x, in, "withdraw_reason", "通报已撤回：");
  }

  // ---- Meetings (R-COL-6, R-SYS-5) ----
  static Status MeetingReply(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const MeetingReplyInput* r, in.Get<MeetingReplyInput>());
    const std::string answer = r->confirmed ? "confirmed" : "declined";
    const std::string& note = r->note;
    for (auto& r : x.e.fields["invitees"].as_array()) {
      auto& o = r.as_object();
      if (o.at("org").as_object().at("id").as_int64() != x.p.org.id) continue;
      o["answer"] = answer;
      o["answered_at"] = core::FormatInstant(x.now);
      o["note"] = note;
      o["answered_by"] = UserRef(x.p.user);
    }
    const bool yes = r->confirmed;
    const std::string noun(domain::CoordTypeLabelZh(x.e.type));
    x.summary = std::string(yes ? "确认参加" : "不参加") + noun + "：" + x.e.title;
    return x.NotifyDesk(x.e.from_org_id, TypeName(x.e.type) + ".reply", x.p.org.short_name + (yes ? "确认参会" : "不能参会"),
                        noun + "「" + x.e.title + "」" + (!note.empty() ? "：" + note : std::string()), true);
  }
  static Status MeetingMinutes(const CoordItemService& svc, Ctx& x, In& in);
  static Status MeetingDecisionDone(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const MeetingDecisionDoneInput* done, in.Get<MeetingDecisionDoneInput>());
    const std::string& note = done->note;
    json::object& decision = *Workflow::DecisionOf(x.e, in.no);
    if (decision.at("state").as_string() != "open") {
      return Status::Precondition("decision_done", "该决定事项已落实", in.rule, "no").En("The decision is already done");
    }
    decision["state"] = "done";
    decision["done_at"] = core::FormatInstant(x.now);
    decision["done_note"] = note;
    XT_ASSIGN_OR_RETURN(Duty d, x.tx.GetDuty(decision.at("duty_id").as_int64()));
    XT_RETURN_IF_ERROR(x.MeetOne(d, x.now));
    x.summary = "落实会议决定事项" + std::to_string(*in.no) + "：" + x.e.title;
    x.detail["no"] = *in.no;
    return x.NotifyDesk(x.e.from_org_id, TypeName(x.e.type) + ".decision_done", x.p.org.short_name + "已落实会议决定事项",
                        "「" + x.e.title + "」决定事项" + std::to_string(*in.no) + "：" + note);
  }
  static Status MeetingJointAction(const CoordItemService&, Ctx& x, In& in);
  static Status MeetingCancel(const CoordItemService&, Ctx& x, In& in) {
    const std::string noun(domain::CoordTypeLabelZh(x.e.type));
    XT_RETURN_IF_ERROR(Reason(x, in, "cancel_reason", noun + "已取消："));
    const std::string reason = StrOf(x.e.fields, "cancel_reason");
    for (Id o : x.e.org_ids) {
      if (o == x.p.org.id) continue;
      XT_RETURN_IF_ERROR(x.NotifyDesk(o, TypeName(x.e.type) + ".cancelled", noun + "取消", "「" + x.e.title + "」已取消：" + reason));
    }
    return Status::Ok();
  }

  // ---- Standing mechanisms (R-SYS-4) ----
  static Status NotifyOthers(Ctx& x, const std::string& kind, const std::string& title,
                             const std::string& body) {
    for (Id o : x.e.org_ids) {
      if (o == x.p.org.id) continue;
      XT_RETURN_IF_ERROR(x.NotifyDesk(o, kind, title, body));
    }
    return Status::Ok();
  }
  static Status CreatedMechanism(const CoordItemService&, Ctx& x) {
    const json::object& data = x.e.fields;
    json::array items;
    items.push_back(Item("牵头单位", data.at("lead_org").as_object().at("name")));
    for (const auto& m : data.at("members").as_array()) items.push_back(Item("成员单位", m.as_object().at("name")));
    for (const auto& t : data.at("priorities").as_array()) items.push_back(Item("工作重点", t));
    const auto& body = data.at("working_body").as_object();
    std::string office = StrOf(body, "office");
    XT_RETURN_IF_ERROR(
        Issue(x, domain::DocKind::kMechanismEstablishment, x.p.org, "关于建立" + x.e.title + "的通知",
              json::object{{"addressee", json::object{{"name", "各成员单位"}}},
                           {"paragraphs",
                            json::array{"为加强" + StrOf(data, "field_label") + "领域联合执法，经研究，建立" +
                                            x.e.title + "。",
                                        "工作机构：" + StrOf(body, "name") +
                                            (office.empty() ? std::string() : "（办公地点：" + office + "）") + "。",
                                        json::value("各成员单位应按照机制要求，定期通报工作情况（R-SYS-4）。")}},
                           {"items", std::move(items)}})
            .status());
    x.summary = "建立联合执法机制：" + x.e.title;
    return NotifyOthers(x, "joint_mechanism.created", "联合执法机制建立",
                        x.p.org.name + "建立「" + x.e.title + "」，本单位为成员单位（R-SYS-4）");
  }
  static Status MechanismUpdate(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const MechanismUpdateInput* u, in.Get<MechanismUpdateInput>());
    json::object& data = x.e.fields;
    std::vector<std::string> files;  // SaveItem re-reads them from the fields
    json::array changed;
    if (u->members) {
      XT_ASSIGN_OR_RETURN(std::vector<domain::Org> ms, OrgsOf(x.tx, *u->members, "members", in.rule));
      data["members"] = OrgRefs(ms);
      x.e.org_ids = MechanismOrgs(x.e.from_org_id, *x.e.to_org_id, ms);
      changed.push_back("members");
    }
    json::object& body = data["working_body"].as_object();
    if (u->body_name) body["name"] = *u->body_name, changed.push_back("body_name");
    if (u->body_office) body["office"] = *u->body_office, changed.push_back("body_office");
    if (u->priorities) data["priorities"] = Texts(*u->priorities), changed.push_back("priorities");
    if (u->plans) {
      XT_ASSIGN_OR_RETURN(data["plans"], Materials(x.tx, x.p, *u->plans, in.rule, files, "plans"));
      changed.push_back("plans");
    }
    if (u->emergency_plans) {
      XT_ASSIGN_OR_RETURN(data["emergency_plans"],
                          Materials(x.tx, x.p, *u->emergency_plans, in.rule, files, "emergency_plans"));
      changed.push_back("emergency_plans");
    }
    if (changed.empty()) {
      return Status::Invalid("body", "请至少修改一项", in.rule, "missing_field").En("Nothing to change");
    }
    x.detail["changed"] = std::move(changed);
    return Status::Ok();
  }
  static Status MechanismBriefing(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const MechanismBriefingInput* b, in.Get<MechanismBriefingInput>());
    if (b->at > x.now + kSkew) return Future("date", in.rule);
    std::vector<std::string> files;
    XT_ASSIGN_OR_RETURN(json::array materials, Materials(x.tx, x.p, b->materials, in.rule, files));
    json::array& briefings = x.e.fields["briefings"].as_array();
    const int64_t no = static_cast<int64_t>(briefings.size()) + 1;
    briefings.push_back(AtBy(x, json::object{{"no", no}, {"date", core::FormatInstant(b->at)},
                                             {"title", b->title}, {"text", b->text},
                                             {"materials", std::move(materials)}}));
    x.summary = "工作通报：" + b->title + "（" + x.e.title + "）";
    x.detail["no"] = no;
    return NotifyOthers(x, "joint_mechanism.briefing", x.e.title + "工作通报", b->title);
  }
  static Status MechanismDissolve(const CoordItemService&, Ctx& x, In& in) {
    XT_RETURN_IF_ERROR(Reason(x, in, "dissolve_reason", "机制已撤销："));
    return NotifyOthers(x, "joint_mechanism.dissolved", "联合执法机制撤销",
                        "「" + x.e.title + "」已撤销：" + StrOf(x.e.fields, "dissolve_reason"));
  }

  // ---- Joint enforcement actions (R-SYS-5) ----
  static Status CreatedJointAction(const CoordItemService&, Ctx& x) {
    const json::object& data = x.e.fields;
    x.summary = "部署联合执法行动：" + x.e.title;
    return NotifyOthers(x, "joint_action.planned", x.p.org.short_name + "组织联合执法行动",
                        "「" + x.e.title + "」时间" + StrOf(data, "start_at") + "，地点" +
                            StrOf(data, "place") + "（R-SYS-5）");
  }
  static Status JointActionResult(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const CoordResultInput* r, in.Get<CoordResultInput>());
    json::object& data = x.e.fields;
    data["result"] = r->result;
    data["result_at"] = core::FormatInstant(x.now);
    data["result_by"] = UserRef(x.p.user);
    json::array items;
    for (const auto& o : data.at("participants").as_array()) items.push_back(Item("参加单位", o.as_object().at("name")));
    json::array paragraphs{"组织单位：" + x.p.org.name + "。",
                           "时间：" + StrOf(data, "start_at") + "；地点：" + StrOf(data, "place") + "。",
                           "行动目标：" + StrOf(data, "targets")};
    if (!StrOf(data, "people").empty()) paragraphs.push_back(json::value("参加人员：" + StrOf(data, "people")));
    paragraphs.push_back(json::value("行动结果：" + r->result));
    XT_RETURN_IF_ERROR(Issue(x, domain::DocKind::kJointActionRecord, x.p.org, x.e.title + "联合执法行动记录",
                             json::object{{"addressee", json::object{{"name", "各参加单位"}}},
                                          {"paragraphs", std::move(paragraphs)},
                                          {"items", std::move(items)}})
                           .status());
    x.summary = "记录联合执法行动结果：" + x.e.title;
    return NotifyOthers(x, "joint_action.done", "联合执法行动结果", "「" + x.e.title + "」：" + Snip(r->result, 80));
  }
  static Status JointActionCancel(const CoordItemService&, Ctx& x, In& in) {
    XT_RETURN_IF_ERROR(Reason(x, in, "cancel_reason", "联合执法行动已取消："));
    return NotifyOthers(x, "joint_action.cancelled", "联合执法行动取消",
                        "「" + x.e.title + "」已取消：" + StrOf(x.e.fields, "cancel_reason"));
  }

  // ---- Participation requests (R-COL-7) ----
  static Status ParticipationWrittenNotice(const CoordItemService&, Ctx& x, In& in) {
    XT_RETURN_IF_ERROR(in.Get<CoordNoInput>().status());
    XT_ASSIGN_OR_RETURN(domain::Org to, To(x));
    XT_ASSIGN_OR_RETURN(domain::Document d, WrittenNotice(x, to));
    return x.NotifyDesk(to.id, "participation.written_notice", x.p.org.short_name + "补办书面告知",
                        "「" + x.e.title + "」书面告知已发出（" + d.number + "）");
  }
  static Status ParticipationConfirm(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const ParticipationConfirmInput* c, in.Get<ParticipationConfirmInput>());
    x.e.fields["confirmation"] = AtBy(x, json::object{{"people", NamesJson(c->people)}, {"note", c->note}});
    std::string names;
    for (const auto& n : c->people) names += (names.empty() ? "" : "、") + n;
    x.summary = "确认派员参加（" + names + "）：" + x.e.title;
    return x.NotifyDesk(x.e.from_org_id, "participation.confirmed", x.p.org.short_name + "确认派员参加",
                        "「" + x.e.title + "」派员：" + names, true);
  }
  static Status ParticipationComplete(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const CoordResultInput* r, in.Get<CoordResultInput>());
    x.e.fields["result"] = r->result;
    return Status::Ok();
  }
  static Status ParticipationCancel(const CoordItemService&, Ctx& x, In& in) {
    XT_RETURN_IF_ERROR(Reason(x, in, "cancel_reason", "参与告知已取消："));
    return x.NotifyDesk(*x.e.to_org_id, "participation.cancelled", x.p.org.short_name + "取消参与告知",
                        "「" + x.e.title + "」已取消：" + StrOf(x.e.fields, "cancel_reason"));
  }

  // ---- Violation notices (R-COL-8) ----
  static Status ViolationDispatch(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const ViolationDispatchInput* d, in.Get<ViolationDispatchInput>());
    const core::Instant when = d->at.value_or(x.now);
    if (when > x.now + kSkew) return Future("at", in.rule);
    if (when < x.e.created_at - kSkew) {
      return Status::Invalid("at", "派员时间不能早于通知时间", in.rule, "invalid_value").En("at is before the notice");
    }
    x.e.fields["dispatch"] = json::object{{"officers", NamesJson(d->officers)}, {"at", core::FormatInstant(when)},
                                          {"note", d->note}, {"by", UserRef(x.p.user)}};
    x.met_at = when;
    return x.NotifyDesk(x.e.from_org_id, "violation_notice.dispatched", x.p.org.short_name + "已派员处理",
                        "「" + x.e.title + "」已派员处理", true);
  }
  static Status ViolationHandle(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const CoordResultInput* r, in.Get<CoordResultInput>());
    x.e.fields["result"] = r->result;
    return x.NotifyDesk(x.e.from_org_id, "violation_notice.handled", x.p.org.short_name + "已反馈处理结果",
                        "「" + x.e.title + "」：" + Snip(r->result, 80), true);
  }
  static Status ViolationRefuse(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, in.Get<CoordReasonInput>());
    const std::string& reason = r->reason;
    x.e.fields["refusal"] = AtBy(x, json::object{{"reason", reason}});
    return x.NotifyDesk(x.e.from_org_id, "violation_notice.refused", x.p.org.short_name + "拒绝处理违法行为通知",
                        "「" + x.e.title + "」理由：" + reason + "。如理由不成立，可申请县委依法治县办协调（R-COL-8）", true);
  }
  static Status ViolationWithdraw(const CoordItemService&, Ctx& x, In& in) {
    return Reason(x, in, "withdraw_reason", "通知已撤回：");
  }
  static Status ViolationCoordination(const CoordItemService&, Ctx& x, In& in) {
    XT_ASSIGN_OR_RETURN(const CoordReasonInput* r, in.Get<CoordReasonInput>());
    const std::string& reason = r->reason;
    x.e.fields["coordination"] = json::object{{"requested_at", core::FormatInstant(x.now)}, {"reason", reason},
                                              {"decision", ""}, {"decided_at", nullptr}, {"decided_by", nullptr},
                                              {"decision_reason", ""}};
    return x.NotifyCoordinator("violation_notice.coordination", "违法行为通知申请协调",
                               x.p.org.name + "就「" + x.e.title + "」申请协调：" + reason + "（R-COL-8）");
  }
  static Status ViolationDecision(const CoordItemService& svc, Ctx& x, In& in);
};

Status CoordItemService::Steps::MeetingMinutes(const CoordItemService& svc, Ctx& x, In& in) {
  XT_ASSIGN_OR_RETURN(const MeetingMinutesInput* mi, in.Get<MeetingMinutesInput>());
  const std::string& rule = in.rule;
  const std::string& minutes = mi->minutes;
  json::object& data = x.e.fields;
  json::array decisions;
  std::set<Id> owners;
  for (size_t i = 0; i < mi->decisions.size(); ++i) {
    const std::string base = "decisions[" + std::to_string(i) + "]";
    const MeetingDecisionInput& di = mi->decisions[i];
    const Id owner = di.owner_org;
    if (std::find(x.e.org_ids.begin(), x.e.org_ids.end(), owner) == x.e.org_ids.end()) {
      return Status::Invalid(base + ".owner_org", "责任单位应为召集单位或受邀单位", rule, "invalid_value")
          .En(base + ".owner_org must be the convener or an invited org");
    }
    if (di.due_at && *di.due_at <= x.now) {
      return Status::Invalid(base + ".due_at", "期限应晚于当前时间", rule, "invalid_value").En(base + ".due_at must be in the future");
    }
    const std::optional<core::Instant>& due_at = di.due_at;
    XT_ASSIGN_OR_RETURN(domain::Org owner_org, x.tx.GetOrg(owner));
    DutyInput din;
    din.kind = TypeName(x.e.type) + ".decision";  // meeting.decision | consultation.decision
    din.owner_org_id = owner;
    din.title = Snip("会议决定事项：" + di.text, 190);
    din.trigger_at = x.now;
    din.unit = domain::PeriodUnit::kWorkingDays;
    din.period = di.period_days.value_or(svc.options_.meeting_decision_days);
    XT_ASSIGN_OR_RETURN(Duty d, x.Open(din));
    if (due_at) {  // an absolute due agreed at the meeting
      domain::DutyEvent e;
      e.duty_id = d.id;
      e.at = x.now;
      e.actor_user_id = x.p.user.id;
      e.kind = "extended";
      e.reason = "会议确定的完成期限";
      e.old_due = d.due_at;
      e.new_due = *due_at;
      d.due_at = *due_at;
      d.yellow_at = std::max(x.now, *due_at - std::chrono::hours(24));
      d.provisional = false;
      XT_RETURN_IF_ERROR(x.tx.UpdateDuty(d));
      XT_RETURN_IF_ERROR(x.tx.InsertDutyEvent(e).status());
    }
    owners.insert(owner);
    decisions.push_back(json::object{{"no", static_cast<int64_t>(i + 1)}, {"text", di.text},
                                     {"owner_org", OrgRef(owner_org)},
                                     {"due_at", core::FormatInstant(d.due_at)}, {"duty_id", d.id},
                                     {"state", "open"}, {"done_at", nullptr}, {"done_note", ""},
                                     {"joint_action", nullptr}});
  }
  data["minutes"] = minutes;
  data["held_at"] = core::FormatInstant(x.now);
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
  const std::string noun(domain::CoordTypeLabelZh(x.e.type));
  json::object body{{"addressee", json::object{{"name", "各参会单位"}}}, {"subject", data["subject"]},
                    {"start_at", data["start_at"]}, {"place", data["place"]},
                    {"agenda", data["agenda"]}, {"attendees", attendees},
                    {"minutes", minutes}, {"decisions", doc_decisions}};
  if (x.e.type == CoordType::kConsultation) {  // 席: rendered as paragraphs and items (R-SYS-1)
    json::array items;
    for (const auto& a : attendees) items.push_back(Item("参会单位", a.as_object().at("org")));
    for (size_t i = 0; i < doc_decisions.size(); ++i) {
      const auto& d = doc_decisions[i].as_object();
      items.push_back(Item("议定事项" + std::to_string(i + 1),
                           json::value(StrOf(d, "text") + "（责任单位：" + StrOf(d, "owner") +
                                       "；期限：" + StrOf(d, "due_at") + "）")));
    }
    body["paragraphs"] = json::array{
        StrOf(data, "start_at") + "，在" + StrOf(data, "place") + "召开" + noun + "，议题：" +
            StrOf(data, "subject") + "。",
        json::value("会议纪要：" + minutes)};
    body["items"] = std::move(items);
  }
  XT_RETURN_IF_ERROR(Issue(x, *domain::CoordNumberedKind(x.e.type), x.p.org, x.e.title + noun + "纪要",
                           std::move(body))
                         .status());
  for (Id o : owners) {
    XT_RETURN_IF_ERROR(x.NotifyDesk(o, TypeName(x.e.type) + ".decision", noun + "决定事项",
                                    noun + "「" + x.e.title + "」确定了由本单位落实的事项，请按期办理（" + rule + "）"));
  }
  x.detail["decisions"] = static_cast<int64_t>(decisions.size());
  return Status::Ok();
}

Status CoordItemService::Steps::MeetingJointAction(const CoordItemService&, Ctx& x, In& in) {
  XT_ASSIGN_OR_RETURN(const JointActionInput* ja, in.Get<JointActionInput>());
  json::array participants;
  json::array items;
  std::set<Id> seen;
  for (size_t i = 0; i < ja->participants.size(); ++i) {
    const std::string f = "participants[" + std::to_string(i) + "]";
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(x.tx.GetOrg(ja->participants[i])));
    if (!o) return Status::Invalid(f, f + " 应为单位编号", "R-SYS-5", "invalid_value").En(f + " must be an org id");
    if (seen.insert(o->id).second) {
      participants.push_back(OrgRef(*o));
      items.push_back(Item("参加单位", json::value(o->name)));
    }
  }
  const std::string& people = ja->people;
  const std::string& place = ja->place;
  const std::string& result = ja->result;
  const core::Instant at = ja->at;
  json::object& decision = *Workflow::DecisionOf(x.e, in.no);
  decision["joint_action"] = json::object{{"participants", participants}, {"people", people},
                                          {"at", core::FormatInstant(at)}, {"place", place},
                                          {"result", result},
                                          {"recorded_by", UserRef(x.p.user)},
                                          {"recorded_at", core::FormatInstant(x.now)}};
  json::array paragraphs{"根据专题会议「" + x.e.title + "」决定事项" + std::to_string(*in.no) + "（" +
                             StrOf(decision, "text") + "），开展联合执法行动。",
                         "时间：" + core::FormatInstant(at) + "；地点：" + place + "。"};
  if (!people.empty()) paragraphs.push_back(json::value("参加人员：" + people));
  if (!result.empty()) paragraphs.push_back(json::value("行动结果：" + result));
  XT_RETURN_IF_ERROR(Issue(x, domain::DocKind::kJointActionRecord, x.p.org,
                           x.e.title + "联合执法行动记录",
                           json::object{{"addressee", json::object{{"name", "各参加单位"}}},
                                        {"paragraphs", std::move(paragraphs)},
                                        {"items", std::move(items)}})
                         .status());
  x.summary = "记录联合执法行动（决定事项" + std::to_string(*in.no) + "）：" + x.e.title;
  x.detail["no"] = *in.no;
  x.detail["rule"] = "R-SYS-5";
  return Status::Ok();
}

// coordination.<decision>: binding (R-COL-8), numbered 调 by the coordinator.
Status CoordItemService::Steps::ViolationDecision(const CoordItemService& svc, Ctx& x, In& in) {
  const std::string decided(x.row.action.substr(std::string_view("coordination.").size()));
  XT_ASSIGN_OR_RETURN(const ViolationDecisionInput* vd, in.Get<ViolationDecisionInput>());
  const std::string& reason = vd->reason;
  if (decided == "reassign" && !vd->to_org) {  // the handler requires it for reassign
    return Status::Invalid("to_org", "缺少必填字段：to_org", "R-COL-8", "missing_field")
        .En("Missing field: to_org");
  }
  json::object& data = x.e.fields;
  auto& co = data["coordination"].as_object();
  co["decision"] = decided;
  co["decided_at"] = core::FormatInstant(x.now);
  co["decided_by"] = UserRef(x.p.user);
  co["decision_reason"] = reason;
  XT_RETURN_IF_ERROR(x.Waive(domain::workflow::kAllDuties, "县委依法治县办协调决定：" + reason));
  if (decided == "reassign") {
    const Id to_id = *vd->to_org;
    if (to_id == *x.e.to_org_id) {
      return Status::Invalid("to_org", "应改由其他部门处理", "R-COL-8", "invalid_value").En("to_org must differ");
    }
    XT_ASSIGN_OR_RETURN(domain::Org nto, AddresseeOrg(x.tx, to_id, x.p, false, true, "R-COL-8"));
    if (nto.id == x.e.from_org_id) {
      return Status::Invalid("to_org", "应改由其他部门处理", "R-COL-8", "invalid_value").En("to_org must differ");
    }
    x.e.to_org_id = nto.id;
    if (std::find(x.e.org_ids.begin(), x.e.org_ids.end(), nto.id) == x.e.org_ids.end()) x.e.org_ids.push_back(nto.id);
  }
  const bool township = decided == "township_handles";
  if (!township) {
    data["dispatch"] = nullptr;
    data["refusal"] = nullptr;
  }
  const std::string label(domain::CoordActionLabelZh(x.e.type, x.row.action));
  XT_ASSIGN_OR_RETURN(domain::Org coordinator, CoordinatorOrg(x.tx, x.p));
  XT_ASSIGN_OR_RETURN(domain::Org addressee, x.tx.GetOrg(township ? x.e.from_org_id : *x.e.to_org_id));
  XT_RETURN_IF_ERROR(
      Issue(x, domain::DocKind::kCoordinationDecision, coordinator, domain::About(x.e.title) + "的协调决定",
            json::object{{"addressee", Addressee(addressee)},
                         {"paragraphs",
                          json::array{"关于违法行为通知「" + x.e.title + "」（" + x.e.number.value_or("") +
                                          "）的协调申请，经协调，决定如下：",
                                      json::value(label + "。"), json::value("理由：" + reason),
                                      json::value(township ? std::string("本决定具有约束力（R-COL-8）。")
                                                           : "请" + addressee.name + "立即派员处理，本决定具有约束力（R-COL-8）。")}}})
          .status());
  x.summary = label + "：" + x.e.title;
  if (township) {
    return x.NotifyDesk(x.e.from_org_id, "violation_notice.decided", "协调决定：由乡镇处理",
                        "「" + x.e.title + "」：" + reason, true);
  }
  DutyInput din;
  din.kind = "violation.dispatch";
  din.owner_org_id = *x.e.to_org_id;
  din.title = Snip("立即派员处理（协调决定）：" + x.e.title, 190);
  din.trigger_at = x.now;
  din.unit = domain::PeriodUnit::kHours;
  din.period = svc.options_.violation_dispatch_hours;
  XT_RETURN_IF_ERROR(x.Open(din).status());
  return x.NotifyDesk(*x.e.to_org_id, "violation_notice.decided", "协调决定：请立即派员处理",
                      "「" + x.e.title + "」：" + reason + "（R-COL-8，决定具有约束力）");
}

const CoordItemService::Steps::Row* CoordItemService::Steps::Find(CoordType t, std::string_view action) {
  using T = CoordType;
  static constexpr Row kRows[] = {
      {T::kNotice, "measures", NoticeMeasures},
      {T::kNotice, "close", NoticeClose},
      {T::kNotice, "withdraw", NoticeWithdraw},
      {T::kMeeting, "reply", MeetingReply},
      {T::kMeeting, "minutes", MeetingMinutes},
      {T::kMeeting, "decision-done", MeetingDecisionDone},
      {T::kMeeting, "joint-action", MeetingJointAction},
      {T::kMeeting, "close", NoBody},
      {T::kMeeting, "cancel", MeetingCancel},
      {T::kConsultation, "reply", MeetingReply},
      {T::kConsultation, "minutes", MeetingMinutes},
      {T::kConsultation, "decision-done", MeetingDecisionDone},
      {T::kConsultation, "close", NoBody},
      {T::kConsultation, "cancel", MeetingCancel},
      {T::kJointMechanism, "update", MechanismUpdate},
      {T::kJointMechanism, "briefing", MechanismBriefing},
      {T::kJointMechanism, "dissolve", MechanismDissolve},
      {T::kJointAction, "result", JointActionResult},
      {T::kJointAction, "cancel", JointActionCancel},
      {T::kParticipation, "written-notice", ParticipationWrittenNotice},
      {T::kParticipation, "confirm", ParticipationConfirm},
      {T::kParticipation, "complete", ParticipationComplete},
      {T::kParticipation, "cancel", ParticipationCancel},
      {T::kViolation, "dispatch", ViolationDispatch},
      {T::kViolation, "handle", ViolationHandle},
      {T::kViolation, "refuse", ViolationRefuse},
      {T::kViolation, "withdraw", ViolationWithdraw},
      {T::kViolation, "coordination", ViolationCoordination},
      {T::kViolation, "coordination.department_handles", ViolationDecision},
      {T::kViolation, "coordination.township_handles", ViolationDecision},
      {T::kViolation, "coordination.reassign", ViolationDecision},
  };
  static constexpr Row kMessage{T::kNotice, "message", Message};  // every type's thread
  if (action == "message") return &kMessage;
  for (const auto& r : kRows)
    if (r.type == t && r.action == action) return &r;
  return nullptr;
}

// ---- Create ---------------------------------------------------------------------------------

namespace {

// The fields of a new notice or violation notice (R-COL-5, R-COL-8).
Status NewNoticeOrViolation(storage::Tx& tx, const Principal& p, const CoordNoticeInput& in,
                            CoordItem& it, json::object& data, std::vector<std::string>& files,
                            core::Instant now) {
  const CoordType t = it.type;
  const std::string rule = RuleOf(t);
  const bool notice = t == CoordType::kNotice;
  XT_ASSIGN_OR_RETURN(domain::Org to, AddresseeOrg(tx, in.to_org, p, false, !notice, rule));
  XT_ASSIGN_OR_RETURN(json::array materials, Materials(tx, p, in.materials, rule, files));
  const core::Instant found_at = notice ? now : in.found_at.value_or(now);
  if (found_at > now + kSkew) return Future("found_at", rule);
  it.to_org_id = to.id;
  it.kind = in.kind;
  it.title = !in.title.empty() ? in.title : Snip(in.description, 30);
  data["kind_label"] = domain::CoordKindLabelZh(t, in.kind);
  data["description"] = in.description;
  data["place"] = in.place;
  data["materials"] = std::move(materials);
  if (notice) {
    data["response"] = nullptr;
    data["withdraw_reason"] = "";
    data["closed_at"] = nullptr;
  } else {
    data["category"] = in.kind;
    data["category_label"] = domain::CoordKindLabelZh(t, in.kind);
    data["found_at"] = core::FormatInstant(found_at);
    data["dispatch"] = nullptr;
    data["refusal"] = nullptr;
    data["result"] = "";
    data["withdraw_reason"] = "";
    data["coordination"] = nullptr;
  }
  return Status::Ok();
}

// The fields of a new special meeting (R-COL-6): its invitees join the orgs involved.
Status NewMeeting(storage::Tx& tx, const Principal& p, const CoordMeetingInput& in, CoordItem& it,
                  json::object& data) {
  const std::string rule = RuleOf(it.type);
  json::array invitees;
  std::set<Id> invited;
  if (in.invitees.empty()) {
    return Status::Invalid("invitees", "至少邀请一个其他单位参会", rule, "missing_field")
        .En("Invite at least one other org");
  }
  for (size_t i = 0; i < in.invitees.size(); ++i) {
    const std::string base = "invitees[" + std::to_string(i) + "]";
    const CoordInviteeInput& inv = in.invitees[i];
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(inv.org)));
    if (!o || !o->active || o->id == p.org.id || o->kind == domain::OrgKind::kUnit) {
      return Status::Invalid(base + ".org", "受邀单位不存在或为召集单位本身", rule, "invalid_value")
          .En(base + ".org: unknown org, or the convener itself");
    }
    json::object row{{"org", OrgRef(*o)}, {"user", nullptr}, {"answer", "pending"},
                     {"answered_at", nullptr}, {"note", ""}};
    if (inv.user) {
      XT_ASSIGN_OR_RETURN(std::optional<domain::User> u, Maybe(tx.GetUser(*inv.user)));
      if (!u || u->org_id != o->id || u->disabled) {
        return Status::Invalid(base + ".user", "受邀人员不属于该单位", rule, "invalid_value")
            .En(base + ".user must belong to the invited org");
      }
      row["user"] = UserRef(*u);
    }
    invited.insert(o->id);
    invitees.push_back(std::move(row));
  }
  it.title = !in.title.empty() ? in.title : Snip(in.subject, 30);
  it.kind = in.kind;  // consultations: regular | ad_hoc
  for (Id o : invited) it.org_ids.push_back(o);
  data["subject"] = in.subject;
  data["agenda"] = in.agenda;
  data["start_at"] = core::FormatInstant(in.start_at);
  data["place"] = in.place;
  data["invitees"] = std::move(invitees);
  data["minutes"] = nullptr;
  data["held_at"] = nullptr;
  data["cancel_reason"] = "";
  data["decisions"] = json::array();
  return Status::Ok();
}

// The fields of a new standing mechanism (R-SYS-4): the lead org is its addressee; the members
// join the orgs involved (they see it).
Status NewMechanism(storage::Tx& tx, const Principal& p, const CoordMechanismInput& in,
                    CoordItem& it, json::object& data, std::vector<std::string>& files) {
  const std::string rule = RuleOf(it.type);
  XT_ASSIGN_OR_RETURN(std::optional<domain::Org> lead, Maybe(tx.GetOrg(in.lead_org)));
  if (!lead || !lead->active || lead->kind == domain::OrgKind::kUnit) {
    return Status::Invalid("lead_org", "牵头单位不存在", rule, "invalid_value").En("lead_org: no such org");
  }
  if (!p.IsCoordinator() && lead->id != p.org.id) {
    return Status::Invalid("lead_org", "县直执法部门只能以本单位为牵头单位建立机制", rule, "invalid_value")
        .En("lead_org must be your own org");
  }
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> members, OrgsOf(tx, in.members, "members", rule));
  XT_ASSIGN_OR_RETURN(json::array plans, Materials(tx, p, in.plans, rule, files, "plans"));
  XT_ASSIGN_OR_RETURN(json::array emergency,
                      Materials(tx, p, in.emergency_plans, rule, files, "emergency_plans"));
  it.to_org_id = lead->id;
  it.kind = in.kind;
  it.title = in.title;
  it.org_ids = MechanismOrgs(it.from_org_id, lead->id, members);
  data["field_label"] = domain::CoordKindLabelZh(it.type, in.kind);
  data["lead_org"] = OrgRef(*lead);
  data["members"] = OrgRefs(members);
  data["working_body"] = json::object{{"name", in.body_name}, {"office", in.body_office}};
  data["priorities"] = Texts(in.priorities);
  data["plans"] = std::move(plans);
  data["emergency_plans"] = std::move(emergency);
  data["briefings"] = json::array();
  data["dissolve_reason"] = "";
  return Status::Ok();
}

// The fields of a new joint enforcement action (R-SYS-5): the participants join the orgs involved.
Status NewJointAction(storage::Tx& tx, const CoordJointActionInput& in, CoordItem& it,
                      json::object& data) {
  const std::string rule = RuleOf(it.type);
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> parts, OrgsOf(tx, in.participants, "participants", rule));
  it.title = !in.title.empty() ? in.title : Snip(in.targets, 30);
  for (const auto& o : parts) it.org_ids.push_back(o.id);
  std::sort(it.org_ids.begin(), it.org_ids.end());
  it.org_ids.erase(std::unique(it.org_ids.begin(), it.org_ids.end()), it.org_ids.end());
  data["participants"] = OrgRefs(parts);
  data["people"] = in.people;
  data["start_at"] = core::FormatInstant(in.start_at);
  data["place"] = in.place;
  data["targets"] = in.targets;
  data["result"] = "";
  data["result_at"] = nullptr;
  data["result_by"] = nullptr;
  data["cancel_reason"] = "";
  return Status::Ok();
}

// The fields of a new participation request (R-COL-7), written or by phone first.
Status NewParticipation(storage::Tx& tx, const Principal& p, const CoordParticipationInput& in,
                        CoordItem& it, json::object& data, core::Instant now) {
  const CoordType t = it.type;
  const std::string rule = RuleOf(t);
  XT_ASSIGN_OR_RETURN(domain::Org to, AddresseeOrg(tx, in.to_org, p, true, false, rule));
  json::value phone_json = nullptr;
  if (const auto& phone = in.phone_notice) {
    if (phone->called_at > now + kSkew) return Future("phone_notice.called_at", rule);
    phone_json = json::object{{"caller", phone->caller}, {"callee", phone->callee},
                              {"called_at", core::FormatInstant(phone->called_at)}};
  }
  it.to_org_id = to.id;
  it.kind = in.kind;
  it.title = !in.title.empty() ? in.title : Snip(in.subject, 30);
  data["kind_label"] = domain::CoordKindLabelZh(t, in.kind);
  data["subject"] = in.subject;
  data["start_at"] = core::FormatInstant(in.start_at);
  data["place"] = in.place;
  data["details"] = in.details;
  data["phone_notice"] = phone_json;
  data["written_notice_at"] = nullptr;
  data["confirmation"] = nullptr;
  data["result"] = "";
  data["cancel_reason"] = "";
  return Status::Ok();
}

// The input of type `t` in `in`; another type's is a bug of the caller.
template <class T>
Result<const T*> InputOf(const CoordCreateInput& in) {
  if (const T* t = std::get_if<T>(&in)) return t;
  return Status::Internal("coordination item created with the input of another type");
}

}  // namespace

Result<CoordItemView> CoordItemService::Create(const Principal& p, CoordType t,
                                               const Result<CoordCreateInput>& in) {
  if (!Runs(t)) return NotFound(t);  // another service's items
  const bool township = p.org.kind == domain::OrgKind::kTownship;
  const bool department = p.org.kind == domain::OrgKind::kCountyDepartment;
  const bool mechanism = domain::IsMechanismType(t);
  const bool coordinator = mechanism && p.IsCoordinator();
  const bool judicial = p.org.kind == domain::OrgKind::kPolice ||
                        p.org.kind == domain::OrgKind::kProcuratorate ||
                        p.org.kind == domain::OrgKind::kCourt;
  const char* who = t == CoordType::kParticipation ? "县直执法部门工作人员"
                    : t == CoordType::kMeeting     ? "乡镇或县直执法部门工作人员"
                    : t == CoordType::kJointAction ? "县委依法治县办或执法单位工作人员"
                    : mechanism                    ? "县委依法治县办或县直执法部门工作人员"
                                                   : "乡镇工作人员";
  const bool may = t == CoordType::kParticipation ? department
                   : t == CoordType::kMeeting     ? township || department
                   : t == CoordType::kJointAction ? coordinator || township || department || judicial
                   : mechanism                    ? coordinator || department
                                                  : township;
  if (!(IsStaff(p) || coordinator) || p.IsAuditor() || !may) return StartDenied(t, who);
  XT_RETURN_IF_ERROR(in.status());  // the body, read by the handler
  const auto* participation = std::get_if<CoordParticipationInput>(&*in);
  const bool phoned = t == CoordType::kParticipation && participation && participation->phone_notice;
  Workflow w{*this, t, std::nullopt, Status::Ok(), /*creating=*/true};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, domain::CoordCreateRow(t, phoned),
      [&](storage::Tx& tx, core::Instant now) -> Result<Entity> {
        CoordItem it;
        it.type = t;
        it.state = domain::kCoordNew;
        it.from_org_id = p.org.id;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.org_ids = {p.org.id};
        json::object data;
        std::vector<std::string> files;
        const CoordCommonInput* common = nullptr;
        switch (t) {
          case CoordType::kNotice:
          case CoordType::kViolation: {
            XT_ASSIGN_OR_RETURN(const CoordNoticeInput* n, InputOf<CoordNoticeInput>(*in));
            common = n;
            XT_RETURN_IF_ERROR(NewNoticeOrViolation(tx, p, *n, it, data, files, now));
            break;
          }
          case CoordType::kMeeting:
          case CoordType::kConsultation: {
            XT_ASSIGN_OR_RETURN(const CoordMeetingInput* m, InputOf<CoordMeetingInput>(*in));
            common = m;
            XT_RETURN_IF_ERROR(NewMeeting(tx, p, *m, it, data));
            break;
          }
          case CoordType::kParticipation: {
            XT_ASSIGN_OR_RETURN(const CoordParticipationInput* r, InputOf<CoordParticipationInput>(*in));
            common = r;
            XT_RETURN_IF_ERROR(NewParticipation(tx, p, *r, it, data, now));
            break;
          }
          case CoordType::kJointMechanism: {
            XT_ASSIGN_OR_RETURN(const CoordMechanismInput* m, InputOf<CoordMechanismInput>(*in));
            common = m;
            XT_RETURN_IF_ERROR(NewMechanism(tx, p, *m, it, data, files));
            break;
          }
          case CoordType::kJointAction: {
            XT_ASSIGN_OR_RETURN(const CoordJointActionInput* j, InputOf<CoordJointActionInput>(*in));
            common = j;
            XT_RETURN_IF_ERROR(NewJointAction(tx, *j, it, data));
            break;
          }
          case CoordType::kDispute:
          case CoordType::kCriminalTransfer:
          case CoordType::kComplaint:
          case CoordType::kCourtEnforcement:
          case CoordType::kPoliceSupport:
          case CoordType::kGuidanceRequest:
          case CoordType::kTraining:
          case CoordType::kTechSupport: return NotFound(t);  // refused above
          case CoordType::kAnnualPlan:
          case CoordType::kPlanTask: return NotFound(t);  // refused above
          case CoordType::kUrging: return NotFound(t);  // refused above
          case CoordType::kMaterial:
          case CoordType::kPenaltyFiling: return NotFound(t);  // refused above

        }
        if (!common) return Status::Internal("unknown coordination item type");
        if (it.to_org_id && std::find(it.org_ids.begin(), it.org_ids.end(), *it.to_org_id) == it.org_ids.end()) {
          it.org_ids.push_back(*it.to_org_id);
        }
        std::sort(it.org_ids.begin(), it.org_ids.end());
        if (common->referral_id) {
          XT_ASSIGN_OR_RETURN(std::optional<domain::Referral> r, Maybe(tx.GetReferral(*common->referral_id)));
          if (!r || !ReferralService::CanSee(p, *r)) {
            return Status::Invalid("referral_id", "案件移送不存在", RuleOf(t), "invalid_value")
                .En("referral_id: no such referral");
          }
          it.referral_id = *common->referral_id;
        }
        it.state = domain::CoordCreateRow(t, phoned).to;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
        return Entity::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.detail["state"] = domain::CoordStateName(t, x.row.to);
        x.detail["to_org"] = x.e.to_org_id ? json::value(*x.e.to_org_id) : json::value(nullptr);
        switch (t) {
          case CoordType::kNotice: return Steps::CreatedNotice(*this, x);
          case CoordType::kViolation: return Steps::CreatedViolation(*this, x);
          case CoordType::kMeeting:
          case CoordType::kConsultation: return Steps::CreatedMeeting(*this, x);
          case CoordType::kJointMechanism: return Steps::CreatedMechanism(*this, x);
          case CoordType::kJointAction: return Steps::CreatedJointAction(*this, x);
          case CoordType::kParticipation: return Steps::CreatedParticipation(*this, x);
          case CoordType::kDispute:
          case CoordType::kCriminalTransfer:
          case CoordType::kComplaint:
          case CoordType::kCourtEnforcement:
          case CoordType::kPoliceSupport:
          case CoordType::kGuidanceRequest:
          case CoordType::kTraining:
          case CoordType::kTechSupport: break;  // not this service's (Create refuses them first)
          case CoordType::kAnnualPlan:
          case CoordType::kPlanTask: break;  // not this service's (Create refuses them first)
          case CoordType::kUrging: break;  // not this service's (Create refuses them first)
          case CoordType::kMaterial:
          case CoordType::kPenaltyFiling: break;  // not this service's (Create refuses them first)
        }
        return Status::Ok();
      });
}

// ---- Steps ----------------------------------------------------------------------------------

Result<CoordItemView> CoordItemService::Act(const Principal& p, CoordType t, Id id,
                                            std::string_view action_in,
                                            const Result<CoordActionInput>& in,
                                            std::optional<int> decision_no) {
  if (!Runs(t)) return NotFound(t);
  Workflow w{*this, t, decision_no, Status::Ok(), /*creating=*/false};
  const std::string action(action_in);
  // A coordinator decision the handler could not read: refused once the item is found.
  if (action == "coordination/decision") {
    w.refused = in.ok() ? Status::Internal("coordination/decision without its decision") : in.status();
  }
  const Steps::Row* handler = Steps::Find(t, action);
  return workflow::Run<Workflow>(w, store_, clock_, duties_, p, id, action, [&](Ctx& x) -> Status {
    if (!handler) return Status::Internal("no handler for " + TypeName(t) + "." + action);
    XT_RETURN_IF_ERROR(in.status());  // the body, read by the handler
    x.summary = std::string(domain::CoordActionLabelZh(t, action)) + "：" + x.e.title;
    Steps::In step_in{*in, decision_no, RuleOf(t)};
    return handler->fn(*this, x, step_in);
  });
}

// ---- Reading --------------------------------------------------------------------------------

Result<CoordItemView> CoordItemService::Render(storage::Tx& tx, const CoordItem& it, bool detail,
                                               core::Instant now, const json::object* fields) {
  return RenderInTx(tx, calendars_, it, detail, now, fields);
}

Result<CoordItemView> CoordItemService::RenderInTx(storage::Tx& tx, CalendarService& calendars,
                                                   const CoordItem& it, bool detail,
                                                   core::Instant now, const json::object* fields) {
  CoordItemView v;
  v.calendar = calendars.Current();
  if (!v.calendar) return Status::Unavailable("工作日历未加载");
  v.now = now;
  v.detail = detail;
  v.item = it;
  v.fields = fields ? *fields : json::parse(it.data).as_object();
  // A missing org or user renders as null (a duty owner's name as ""); any other error fails.
  auto org = [&](Id id) -> Status {
    if (v.orgs.count(id)) return Status::Ok();
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, Maybe(tx.GetOrg(id)));
    if (o) v.orgs.emplace(id, std::move(*o));
    return Status::Ok();
  };
  auto user = [&](Id id) -> Status {
    if (v.users.count(id)) return Status::Ok();
    XT_ASSIGN_OR_RETURN(std::optional<domain::User> u, Maybe(tx.GetUser(id)));
    if (u) v.users.emplace(id, std::move(*u));
    return Status::Ok();
  };
  XT_RETURN_IF_ERROR(org(it.from_org_id));
  if (it.to_org_id) XT_RETURN_IF_ERROR(org(*it.to_org_id));
  XT_RETURN_IF_ERROR(user(it.created_by));
  XT_ASSIGN_OR_RETURN(v.duties, DutiesOfObject(tx, TypeName(it.type), it.id));
  if (const Duty* first = EarliestOpenDuty(v.duties)) v.colour = domain::ColourAt(*first, now);
  for (const auto& d : v.duties) XT_RETURN_IF_ERROR(org(d.owner_org_id));
  if (detail) {
    XT_ASSIGN_OR_RETURN(v.documents, tx.ListCoordDocuments(it.id));
    XT_ASSIGN_OR_RETURN(v.messages, tx.ListCoordMessages(it.id));
    for (const auto& m : v.messages) {
      XT_RETURN_IF_ERROR(user(m.user_id));
      XT_RETURN_IF_ERROR(org(m.org_id));
    }
    XT_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries,
                        TimelineEntriesOf(tx, TypeName(it.type), std::to_string(it.id)));
    for (const auto& e : entries) {
      if (e.actor_user_id) XT_RETURN_IF_ERROR(user(*e.actor_user_id));
      if (e.actor_org_id) XT_RETURN_IF_ERROR(org(*e.actor_org_id));
    }
    auto user_name = [&](Id id) {
      auto u = v.users.find(id);
      return u == v.users.end() ? std::string() : u->second.display_name;
    };
    auto org_name = [&](Id id) {
      auto o = v.orgs.find(id);
      return o == v.orgs.end() ? std::string() : o->second.name;
    };
    v.timeline = BuildTimeline(entries, TypeName(it.type), user_name, org_name);
  }
  return v;
}

Result<CoordItemView> CoordItemService::Get(const Principal& p, CoordType t, Id id) {
  if (!Runs(t)) return NotFound(t);
  return workflow::Get(Workflow{*this, t, std::nullopt, Status::Ok(), /*creating=*/false}, store_,
                       clock_, p, id);
}

namespace {
Result<storage::CoordItemFilter> FilterFor(const Principal& p, std::optional<CoordType> t,
                                           const CoordQuery& q, std::optional<domain::Colour>& colour) {
  storage::CoordItemFilter f;
  f.type = t;
  if (!t) f.types.assign(std::begin(domain::kAllCoordTypes), std::end(domain::kAllCoordTypes));
  const std::string rule = t ? RuleOf(*t) : "R-ACC-1";
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
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

Result<CoordItemList> CoordItemService::List(const Principal& p, CoordType t, const CoordQuery& q) {
  if (!Runs(t)) return NotFound(t);
  const core::Instant now = clock_.Now();
  std::optional<domain::Colour> colour;
  XT_ASSIGN_OR_RETURN(storage::CoordItemFilter f, FilterFor(p, t, q, colour));
  CoordItemList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    const bool post = colour.has_value() || (q.org && f.involving_org_id && *f.involving_org_id != *q.org);
    std::vector<CoordItemView>& items = out.items;
    int64_t& total = out.total;
    if (!post) {
      XT_ASSIGN_OR_RETURN(total, tx.CountCoordItems(f));
      f.offset = (q.page - 1) * q.page_size;
      f.limit = q.page_size;
      XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
      for (const auto& it : rows) {
        XT_ASSIGN_OR_RETURN(CoordItemView o, Render(tx, it, false, now));
        items.push_back(std::move(o));
      }
    } else {
      f.limit = 10000;
      XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
      int64_t skip = static_cast<int64_t>(q.page - 1) * q.page_size;
      for (const auto& it : rows) {
        if (q.org && std::find(it.org_ids.begin(), it.org_ids.end(), *q.org) == it.org_ids.end()) continue;
        if (colour) {
          XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, DutiesOfObject(tx, TypeName(it.type), it.id));
          const Duty* first = EarliestOpenDuty(ds);
          if (!first || domain::ColourAt(*first, now) != *colour) continue;
        }
        ++total;
        if (skip > 0) {
          --skip;
          continue;
        }
        if (static_cast<int>(items.size()) >= q.page_size) continue;
        XT_ASSIGN_OR_RETURN(CoordItemView o, Render(tx, it, false, now));
        items.push_back(std::move(o));
      }
    }
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
    if (!t) f.types.assign(std::begin(domain::kAllCoordTypes), std::end(domain::kAllCoordTypes));
    ApplyScope(p, f);  // R-ACC-1, R-ACC-2
    f.text = std::string(text);
    f.limit = 5000;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    for (const auto& it : rows) {
      CoordSummary s{it.type, it.id, it.number, it.title, it.from_org_id, it.to_org_id, it.state,
                     domain::Colour::kNone, std::nullopt, it.created_at, it.org_ids};
      XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, DutiesOfObject(tx, TypeName(it.type), it.id));
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
