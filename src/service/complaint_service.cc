#include "service/workflow/items.h"
#include "domain/wording.h"
#include "service/complaint_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <utility>

#include "domain/complaint.h"
#include "domain/duty.h"
#include "domain/referral.h"
#include "service/audit_log.h"
#include "service/csv.h"
#include "service/file_service.h"
#include "service/workflow/step.h"
#include "service/region_service.h"

namespace xietong::service {

namespace json = boost::json;
namespace cs = domain::complaint_state;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Duty;
using domain::Id;

namespace {

// Shared by every item service (service/workflow/items.h).
using workflow::Snip;
using workflow::UserRef;

constexpr CoordType kType = CoordType::kComplaint;
constexpr const char* kRule = "R-SYS-3";
constexpr std::chrono::minutes kSkew{5};
constexpr std::string_view kHidden = "（保密）";

Status NotFound() {
  return Status(core::Code::kNotFound, "not_found", "投诉举报不存在", "id", "R-ACC-1")
      .En("No such complaint");
}

// Staff of any org, the coordinator office's included (any org may receive a complaint first).
bool IsStaff(const Principal& p) {
  return p.Has(domain::Role::kOfficer) || p.Has(domain::Role::kLeader) ||
         p.Has(domain::Role::kLiaison) || p.Has(domain::Role::kCoordinatorStaff);
}


std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::object Item(std::string_view label, std::string text) {
  return json::object{{"label", label}, {"text", std::move(text)}};
}

Status Invalid(const std::string& field, const std::string& zh, const std::string& en,
               const char* id = "invalid_value") {
  return Status::Invalid(field, zh, kRule, id).En(en);
}

Status BadChannel(const std::string& field) {
  return Invalid(field, field + " 应为 " + domain::ComplaintChannelNames(),
                 field + " must be one of " + domain::ComplaintChannelNames());
}

// The receipt date in words: 2026年11月25日.
std::string DateZh(const std::string& rfc3339) {
  auto t = core::ParseInstant(rfc3339);
  return t ? domain::FormatDateZh(*t) : rfc3339;
}

Result<std::optional<domain::Org>> MaybeOrg(storage::Tx& tx, Id id) {
  auto o = tx.GetOrg(id);
  if (o.ok()) return std::optional<domain::Org>(std::move(o).value());
  if (o.status().code() == core::Code::kNotFound) return std::optional<domain::Org>();
  return o.status();
}

}  // namespace

// ---- The workflow engine's Definition -------------------------------------------------------

struct ComplaintService::Entity : workflow::ItemEntity {
  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
};

struct ComplaintService::Workflow {
  using Entity = ComplaintService::Entity;
  using Action = std::string_view;
  using Row = domain::ComplaintTransition;
  using View = ComplaintView;

  ComplaintService& self;
  const Principal& p;
  bool creating = false;

  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != kType) return service::NotFound();
    return Entity::Of(std::move(it));
  }
  Status NotFound() const { return service::NotFound(); }
  bool CanSee(const Principal& who, const Entity& e) const { return ComplaintService::CanSee(who, e); }
  Result<const Row*> Decide(const Principal& who, const Entity& e, Action a) const {
    domain::ComplaintActor actor;
    actor.owner_staff = IsStaff(who) && !who.IsAuditor() && who.org.id == e.from_org_id;
    return domain::DecideComplaint(a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>& x) const {
    if (x.row.guard != domain::ComplaintGuard::kNoOneToReplyTo) return Status::Ok();
    const json::object& f = x.e.fields;
    const json::value* anon = f.if_contains("anonymous");
    const bool anonymous = anon && anon->is_bool() && anon->as_bool();
    const json::value* c = f.if_contains("complainant");
    const bool no_contact = !c || !c->is_object() || Str(c->as_object(), "contact").empty();
    if (anonymous && no_contact) return Status::Ok();
    return Status::Precondition("reply_required",
                                "根据R-SYS-3，首问单位应当将处理结果答复投诉人；仅匿名且未留联系方式的投诉举报可不经答复办结",
                                kRule, "state")
        .En("R-SYS-3: the complainant must be answered; only an anonymous complaint without "
            "contact may be closed without a reply");
  }
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  static std::vector<std::string> Files(const json::object& data) {
    std::vector<std::string> out;
    const json::value* m = data.if_contains("materials");
    if (!m || !m->is_array()) return out;
    for (const auto& x : m->as_array()) {
      const json::value* f = x.as_object().if_contains("file");
      if (f && f->is_object()) out.emplace_back(f->as_object().at("id").as_string());
    }
    return out;
  }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, Files(e.fields));
  }
  std::string AuditAction(Action a) const { return domain::ComplaintAuditAction(a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ComplaintActionLabelZh(a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ComplaintStateName(e.state)); }
  std::optional<std::string> Number(const Entity& e) const {
    return creating ? e.number : std::nullopt;
  }
  Result<ComplaintView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    e.data = json::serialize(e.fields);
    return self.Render(tx, p, e, true, now);
  }
};


// ---- Construction and visibility ----------------------------------------------------------

ComplaintService::ComplaintService(storage::Store& store, const core::Clock& clock,
                                   DutyService& duties, CalendarService& calendars,
                                   ReferralService& referrals, ComplaintOptions options)
    : store_(store), clock_(clock), duties_(duties), calendars_(calendars),
      referrals_(referrals), options_(options) {}

bool ComplaintService::CanSee(const Principal& p, const CoordItem& it) {
  return it.type == kType && CoordItemService::CanSee(p, it);
}

bool ComplaintService::SeesConfidential(const Principal& p, const CoordItem& it) {
  return p.org.id == it.from_org_id || p.IsCoordinator();
}

// ---- One small handler per action -----------------------------------------------------------

struct ComplaintService::Steps {
  template <class T>
  static Result<const T*> Get(const ComplaintActionInput& in) {
    if (const T* t = std::get_if<T>(&in)) return t;
    return Status::Internal("complaint step given the input of another action");
  }
  static json::object AtBy(const Ctx& x, json::object o) {
    o["at"] = core::FormatInstant(x.now);
    o["by"] = UserRef(x.p.user);
    return o;
  }

  static Status Investigate(ComplaintService&, Ctx& x, const ComplaintActionInput& in) {
    XT_ASSIGN_OR_RETURN(const ComplaintFindingsInput* f, Get<ComplaintFindingsInput>(in));
    x.e.fields["investigation"] = AtBy(x, json::object{{"findings", f->findings}});
    x.summary = "调查核实投诉举报：" + x.e.title;
    return Status::Ok();
  }

  static Status Handle(ComplaintService&, Ctx& x, const ComplaintActionInput& in) {
    XT_ASSIGN_OR_RETURN(const ComplaintHandleInput* h, Get<ComplaintHandleInput>(in));
    x.e.fields["handling"] = AtBy(x, json::object{{"measures", h->measures}, {"result", h->result}});
    x.summary = "处理投诉举报：" + x.e.title;
    return Status::Ok();
  }

  // R-SYS-3 with §4: an ordinary referral draft of the first org, in this transaction. The
  // facts carry the complaint's content and number, never the complainant or the contact.
  static Status Refer(ComplaintService& svc, Ctx& x, const ComplaintActionInput& in) {
    XT_ASSIGN_OR_RETURN(const ComplaintReferInput* r, Get<ComplaintReferInput>(in));
    ReferralInput ri;
    ri.to_org_id = r->to_org;
    ri.matter_code = r->matter;
    ri.township_id = r->township;
    ri.place = r->place.empty() ? Str(x.e.fields, "place") : r->place;
    if (ri.place->empty()) ri.place = "（投诉举报未载明地点）";
    ri.discovered_at = core::ParseInstant(Str(x.e.fields, "received_at")).value_or(x.e.created_at);
    ri.facts = "群众投诉举报转办（" + x.e.number.value_or("") + "，" +
               std::string(domain::ComplaintChannelLabelZh(x.e.kind)) + "）：" +
               Snip(Str(x.e.fields, "subject"), 200) + "。" + Snip(Str(x.e.fields, "content"), 3000);
    if (!r->jurisdiction_override_reason.empty()) {
      ri.jurisdiction_override_reason = r->jurisdiction_override_reason;
    }
    XT_ASSIGN_OR_RETURN(domain::Referral ref, svc.referrals_.CreateInTx(x.tx, x.p, ri, x.now));
    XT_ASSIGN_OR_RETURN(domain::Org to, x.tx.GetOrg(ref.to_org_id));
    x.e.referral_id = ref.id;
    x.e.fields["referral"] =
        AtBy(x, json::object{{"id", ref.id},
                             {"to_org", json::object{{"id", to.id}, {"code", to.code}, {"name", to.name}}},
                             {"matter", ref.matter_code},
                             {"note", r->note}});
    x.detail["referral_id"] = ref.id;
    x.detail["to_org"] = to.id;
    x.summary = "移送" + to.name + "（案件移送草稿）：" + x.e.title + "，答复仍由本单位负责";
    return Status::Ok();
  }

  static Status Reply(ComplaintService&, Ctx& x, const ComplaintActionInput& in) {
    XT_ASSIGN_OR_RETURN(const ComplaintReplyInput* r, Get<ComplaintReplyInput>(in));
    if (domain::ComplaintChannelLabelZh(r->channel).empty()) return BadChannel("channel");
    const core::Instant when = r->replied_at.value_or(x.now);
    if (when > x.now + kSkew) {
      return Invalid("replied_at", "答复时间不能晚于当前时间", "replied_at may not be in the future");
    }
    const auto received = core::ParseInstant(Str(x.e.fields, "received_at"));
    if (received && when < *received) {
      return Invalid("replied_at", "答复时间不能早于接到投诉举报的时间", "replied_at is before received_at");
    }
    const std::string channel_zh(domain::ComplaintChannelLabelZh(r->channel));
    x.e.fields["reply"] = json::object{{"content", r->content},   {"channel", r->channel},
                                       {"channel_label", channel_zh},
                                       {"replied_at", core::FormatInstant(when)},
                                       {"by", UserRef(x.p.user)}, {"recorded_at", core::FormatInstant(x.now)}};
    x.met_at = when;
    json::array items{Item("来源渠道", std::string(domain::ComplaintChannelLabelZh(x.e.kind))),
                      Item("接收时间", DateZh(Str(x.e.fields, "received_at"))),
                      Item("答复方式", channel_zh)};
    if (const json::value* inv = x.e.fields.if_contains("investigation"); inv && inv->is_object()) {
      items.push_back(Item("调查核实情况", Str(inv->as_object(), "findings")));
    }
    if (const json::value* h = x.e.fields.if_contains("handling"); h && h->is_object()) {
      items.push_back(Item("处理措施", Str(h->as_object(), "measures")));
      items.push_back(Item("处理结果", Str(h->as_object(), "result")));
    }
    if (x.e.referral_id) items.push_back(Item("移送情况", "已按案件移送制度移送有管辖权的单位"));
    XT_RETURN_IF_ERROR(
        x.Issue(domain::DocKind::kComplaintReply, x.p.org, domain::About(x.e.title) + "投诉举报的答复意见",
                json::object{{"addressee", json::object{{"name", "投诉举报人（信息按规定保密，登记单位存档）"}}},
                             {"paragraphs",
                              json::array{json::value("你于" + DateZh(Str(x.e.fields, "received_at")) +
                                                      "反映的「" + x.e.title + "」（" +
                                                      x.e.number.value_or("") + "）收悉。经调查核实，现答复如下："),
                                          json::value(r->content),
                                          json::value("本答复由首问单位作出（R-SYS-3）。")}},
                             {"items", std::move(items)}})
            .status());
    x.detail["channel"] = r->channel;
    x.detail["replied_at"] = core::FormatInstant(when);
    x.summary = "答复投诉人（" + channel_zh + "）：" + x.e.title;
    return Status::Ok();
  }

  static Status Close(ComplaintService&, Ctx& x, const ComplaintActionInput& in) {
    XT_ASSIGN_OR_RETURN(const ComplaintCloseInput* c, Get<ComplaintCloseInput>(in));
    x.e.fields["close_reason"] = c->reason;
    x.e.fields["closed_at"] = core::FormatInstant(x.now);
    x.waive_reason = "匿名投诉举报未留联系方式，无法答复：" + c->reason;
    x.summary = "办结匿名投诉举报（无法答复）：" + x.e.title;
    return Status::Ok();
  }

  using Fn = Status (*)(ComplaintService&, Ctx&, const ComplaintActionInput&);
  static Fn Find(std::string_view action) {
    static const std::pair<std::string_view, Fn> kRows[] = {
        {"investigate", Investigate}, {"handle", Handle}, {"refer", Refer},
        {"reply", Reply},             {"close", Close},
    };
    for (const auto& [a, fn] : kRows)
      if (a == action) return fn;
    return nullptr;
  }
};

// ---- Register -------------------------------------------------------------------------------

Result<ComplaintView> ComplaintService::Register(const Principal& p,
                                                 const Result<ComplaintInput>& in_r) {
  if (!IsStaff(p) || p.IsAuditor()) {
    return Status::Denied("仅各单位工作人员可以登记投诉举报", kRule)
        .En("Only staff of an org register complaints");
  }
  XT_RETURN_IF_ERROR(in_r.status());
  const ComplaintInput& in = *in_r;
  Workflow w{*this, p, /*creating=*/true};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, domain::ComplaintCreateRow(),
      [&](storage::Tx& tx, core::Instant now) -> Result<Entity> {
        if (domain::ComplaintChannelLabelZh(in.channel).empty()) return BadChannel("channel");
        if (!in.anonymous && domain::IsBlank(in.complainant)) {
          return Invalid("complainant", "缺少必填字段：complainant（匿名投诉举报请设置 anonymous）",
                         "Missing field: complainant (set anonymous for an anonymous complaint)",
                         "missing_field");
        }
        const core::Instant received = in.received_at.value_or(now);
        if (received > now + kSkew) {
          return Invalid("received_at", "接收时间不能晚于当前时间", "received_at may not be in the future");
        }
        // Materials: files uploaded by the principal's org (R-ACC-1).
        json::array materials;
        std::vector<std::string> files;
        for (size_t i = 0; i < in.materials.size(); ++i) {
          const CoordMaterialInput& m = in.materials[i];
          json::object row{{"name", m.name}, {"description", m.description}, {"file", nullptr}};
          if (!m.file.empty()) {
            const std::string field = "materials[" + std::to_string(i) + "].file";
            auto info = FileService::InfoInTx(tx, m.file, p.org.id);
            if (!info.ok() && info.status().code() != core::Code::kNotFound) return info.status();
            bool mine = false;
            if (info.ok()) {
              XT_ASSIGN_OR_RETURN(auto refs, tx.ListFileRefs(m.file));
              for (const auto& r : refs) mine = mine || r.org_id == p.org.id;
            }
            if (!info.ok() || !mine) {
              return Invalid(field, "文件不存在或不是本单位上传的", field + ": unknown file, or not uploaded by your org");
            }
            row["file"] = json::object{{"id", info->id}, {"name", info->name}, {"size", info->size},
                                       {"content_type", info->content_type}};
            files.push_back(m.file);
          }
          materials.push_back(std::move(row));
        }
        CoordItem it;
        it.type = kType;
        it.state = cs::kRegistered;
        it.from_org_id = p.org.id;
        it.org_ids = {p.org.id};  // R-ACC-1: the first org only (and whoever SeesAll)
        it.kind = in.channel;
        it.title = Snip(in.subject, 60);
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        json::object data;
        data["channel"] = in.channel;
        data["channel_label"] = domain::ComplaintChannelLabelZh(in.channel);
        data["anonymous"] = in.anonymous;
        data["complainant"] = json::object{{"name", in.anonymous ? std::string() : in.complainant},
                                           {"contact", in.contact}};
        data["subject"] = in.subject;
        data["place"] = in.place;
        data["content"] = in.content;
        data["received_at"] = core::FormatInstant(received);
        data["materials"] = std::move(materials);
        data["investigation"] = nullptr;
        data["handling"] = nullptr;
        data["referral"] = nullptr;
        data["reply"] = nullptr;
        data["close_reason"] = "";
        data["closed_at"] = nullptr;
        it.data = json::serialize(data);
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, files));
        return Entity::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        const json::object& f = x.e.fields;
        const core::Instant received = *core::ParseInstant(Str(f, "received_at"));
        DutyInput d;
        d.kind = std::string(domain::kDutyComplaintReply);
        d.owner_org_id = x.p.org.id;
        d.title = Snip("答复投诉举报人：" + x.e.title, 190);
        d.trigger_at = received;
        d.unit = domain::PeriodUnit::kWorkingDays;
        d.period = options_.reply_days;
        XT_RETURN_IF_ERROR(x.Open(d).status());
        const std::string channel_zh(domain::ComplaintChannelLabelZh(x.e.kind));
        json::array paragraphs{
            json::value(DateZh(Str(f, "received_at")) + "，本单位通过" + channel_zh + "接到群众投诉举报，依首问责任登记如下（R-SYS-3）。"),
            json::value("事项：" + Str(f, "subject")),
            json::value("内容：" + Str(f, "content")),
            json::value("投诉举报人姓名、联系方式按规定保密，仅登记单位和县委依法治县办可查阅，不载入本表。"),
            json::value("本单位应于" + std::to_string(options_.reply_days) + "个工作日内将处理结果答复投诉举报人。")};
        json::array items{Item("来源渠道", channel_zh), Item("接收时间", Str(f, "received_at")),
                          Item("地点", Str(f, "place").empty() ? "未载明" : Str(f, "place")),
                          Item("是否匿名", f.at("anonymous").as_bool() ? "是" : "否")};
        for (const auto& m : f.at("materials").as_array()) items.push_back(Item("材料", Str(m.as_object(), "name")));
        XT_ASSIGN_OR_RETURN(domain::Document doc,
                            x.Issue(domain::DocKind::kComplaintRegistration, x.p.org, "投诉举报登记表：" + x.e.title,
                                    json::object{{"addressee", json::object{{"name", "本单位存档"}}},
                                                 {"paragraphs", std::move(paragraphs)},
                                                 {"items", std::move(items)}}));
        x.e.number = doc.number;
        x.detail["channel"] = x.e.kind;
        x.detail["anonymous"] = f.at("anonymous").as_bool();
        x.summary = "登记投诉举报（" + channel_zh + "）：" + x.e.title;
        return Status::Ok();
      });
}

// ---- Steps ----------------------------------------------------------------------------------

Result<ComplaintView> ComplaintService::Act(const Principal& p, Id id, std::string_view action_in,
                                            const Result<ComplaintActionInput>& in) {
  const std::string action(action_in);
  Workflow w{*this, p, /*creating=*/false};
  Steps::Fn fn = Steps::Find(action);
  return workflow::Run<Workflow>(w, store_, clock_, duties_, p, id, action, [&](Ctx& x) -> Status {
    if (!fn) return Status::Internal("no handler for complaint." + action);
    XT_RETURN_IF_ERROR(in.status());  // the body, read by the handler
    return fn(*this, x, *in);
  });
}

// ---- Reading --------------------------------------------------------------------------------

Result<ComplaintView> ComplaintService::Render(storage::Tx& tx, const Principal& p,
                                               const CoordItem& it, bool detail, core::Instant now) {
  ComplaintView v;
  v.calendar = calendars_.Current();
  if (!v.calendar) return Status::Unavailable("工作日历未加载");
  v.now = now;
  v.detail = detail;
  v.item = it;
  v.fields = json::parse(it.data).as_object();
  v.confidential_visible = SeesConfidential(p, it);
  if (!v.confidential_visible) v.fields["complainant"] = nullptr;
  v.fields["confidential"] = v.confidential_visible ? "visible" : "hidden";
  auto org = [&](Id id) -> Status {
    if (v.orgs.count(id)) return Status::Ok();
    XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, MaybeOrg(tx, id));
    if (o) v.orgs.emplace(id, std::move(*o));
    return Status::Ok();
  };
  auto user = [&](Id id) -> Status {
    if (v.users.count(id)) return Status::Ok();
    auto u = tx.GetUser(id);
    if (u.ok()) v.users.emplace(id, std::move(u).value());
    else if (u.status().code() != core::Code::kNotFound) return u.status();
    return Status::Ok();
  };
  XT_RETURN_IF_ERROR(org(it.from_org_id));
  XT_RETURN_IF_ERROR(user(it.created_by));
  XT_ASSIGN_OR_RETURN(v.duties, DutiesOfObject(tx, domain::CoordTypeName(kType), it.id));
  if (const Duty* first = EarliestOpenDuty(v.duties)) v.colour = domain::ColourAt(*first, now);
  for (const auto& d : v.duties) XT_RETURN_IF_ERROR(org(d.owner_org_id));
  if (detail) {
    XT_ASSIGN_OR_RETURN(v.documents, tx.ListCoordDocuments(it.id));
    const std::string type(domain::CoordTypeName(kType));
    XT_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries,
                        TimelineEntriesOf(tx, type, std::to_string(it.id)));
    for (const auto& e : entries) {
      if (e.actor_user_id) XT_RETURN_IF_ERROR(user(*e.actor_user_id));
      if (e.actor_org_id) XT_RETURN_IF_ERROR(org(*e.actor_org_id));
    }
    v.timeline = BuildTimeline(
        entries, type,
        [&](Id id) { auto u = v.users.find(id); return u == v.users.end() ? std::string() : u->second.display_name; },
        [&](Id id) { auto o = v.orgs.find(id); return o == v.orgs.end() ? std::string() : o->second.name; });
  }
  return v;
}

Result<ComplaintView> ComplaintService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this, p, false}, store_, clock_, p, id);
}

namespace {
// The text a search may match for `p`: never the confidential fields of those who may not see them.
bool Matches(const ComplaintView& v, const std::string& q) {
  if (q.empty()) return true;
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  const std::string needle = lower(q);
  std::string hay = v.item.title + "\n" + v.item.number.value_or("") + "\n" + Str(v.fields, "subject") +
                    "\n" + Str(v.fields, "place") + "\n" + Str(v.fields, "content");
  if (const json::value* c = v.fields.if_contains("complainant"); c && c->is_object()) {
    hay += "\n" + Str(c->as_object(), "name") + "\n" + Str(c->as_object(), "contact");
  }
  return lower(hay).find(needle) != std::string::npos;
}
}  // namespace

Result<ComplaintList> ComplaintService::Rows(const Principal& p, const ComplaintQuery& q, bool all) {
  storage::CoordItemFilter f;
  f.type = kType;
  ApplyScope(p, f);  // R-ACC-1, R-ACC-2
  if (q.org) f.from_org_id = *q.org;
  if (!q.state.empty()) {
    auto s = domain::ParseComplaintState(q.state);
    if (!s) return Invalid("state", "未知状态：" + q.state, "Unknown state: " + q.state);
    f.states.push_back(*s);
  }
  if (!q.channel.empty()) {
    if (domain::ComplaintChannelLabelZh(q.channel).empty()) return BadChannel("channel");
    f.kind = q.channel;
  }
  const core::Instant now = clock_.Now();
  if (!q.colour.empty()) {
    XT_ASSIGN_OR_RETURN(domain::Colour c, domain::ParseColourFilter(q.colour, "invalid_value"));
    f.colour = c;
    f.now = now;
  }
  if (domain::Utf8Length(q.q) > 100) return Invalid("q", "q 不能超过100个字", "q is too long", "too_long");
  if (q.page < 1) return Invalid("page", "page 应≥1", "page must be >= 1");
  if (q.page_size < 1 || q.page_size > 200) return Invalid("page_size", "page_size 应为1至200", "page_size must be 1..200");
  f.limit = kMaxExportRows;
  ComplaintList out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    int64_t skip = all ? 0 : static_cast<int64_t>(q.page - 1) * q.page_size;
    for (const auto& it : rows) {
      XT_ASSIGN_OR_RETURN(ComplaintView v, Render(tx, p, it, false, now));
      if (!Matches(v, q.q)) continue;
      ++out.total;
      if (skip > 0) {
        --skip;
        continue;
      }
      if (!all && static_cast<int>(out.items.size()) >= q.page_size) continue;
      out.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ComplaintList> ComplaintService::List(const Principal& p, const ComplaintQuery& q) {
  return Rows(p, q, false);
}

Result<std::string> ComplaintService::ExportCsv(const Principal& p, ComplaintQuery q) {
  XT_ASSIGN_OR_RETURN(ComplaintList all, Rows(p, q, true));
  return CsvDocument(
      "登记编号,状态,首问单位,来源渠道,投诉举报人,联系方式,事项,地点,接收时间,答复期限,期限状态,"
      "答复时间,按期答复,移送案件\r\n",
      all.items, [](const ComplaintView& v) {
        const json::object& f = v.fields;
        std::string name(kHidden), contact(kHidden);
        if (const json::value* c = f.if_contains("complainant"); c && c->is_object()) {
          name = f.at("anonymous").as_bool() ? "匿名" : Str(c->as_object(), "name");
          contact = Str(c->as_object(), "contact");
        }
        std::optional<core::Instant> due, replied;
        std::string on_time;
        for (const auto& d : v.duties) {
          if (d.kind != domain::kDutyComplaintReply) continue;
          due = d.due_at;
          if (d.on_time) on_time = *d.on_time ? "是" : "否";
        }
        if (const json::value* r = f.if_contains("reply"); r && r->is_object()) {
          replied = core::ParseInstant(Str(r->as_object(), "replied_at"));
        }
        auto org = v.orgs.find(v.item.from_org_id);
        return std::vector<std::string>{
            v.item.number.value_or(""),
            std::string(domain::ComplaintStateLabelZh(v.item.state)),
            org == v.orgs.end() ? std::string() : org->second.name,
            Str(f, "channel_label"),
            name,
            contact,
            Str(f, "subject"),
            Str(f, "place"),
            DayTime(core::ParseInstant(Str(f, "received_at"))),
            DayTime(due),
            std::string(ColourWordZh(v.colour.value_or(domain::Colour::kNone))),
            DayTime(replied),
            on_time,
            v.item.referral_id ? std::to_string(*v.item.referral_id) : std::string(),
        };
      });
}

Result<ComplaintStats> ComplaintService::Stats(const Principal& p, std::optional<core::CivilDay> from,
                                               std::optional<core::CivilDay> to) {
  if (from && to && *to < *from) return Invalid("to", "to 不能早于 from", "to is before from");
  const core::Instant now = clock_.Now();
  ComplaintStats out;
  out.from = from;
  out.to = to;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    storage::CoordItemFilter f;
    f.type = kType;
    const ScopeFilter scope = ScopeFilterOf(p);  // R-ASM-1 counts within the scope (R-ACC-2)
    if (scope.own_org) f.from_org_id = scope.own_org;
    f.region_prefix = scope.region_prefix;
    f.limit = 100000;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> rows, tx.ListCoordItems(f));
    std::map<Id, ComplaintStatsRow> by_org;
    if (!p.Oversees()) by_org[p.org.id].org_id = p.org.id;
    std::vector<Id> ids;
    for (const auto& it : rows) ids.push_back(it.id);
    XT_ASSIGN_OR_RETURN(auto duties, DutiesOfObjects(tx, domain::CoordTypeName(kType), ids));
    for (const auto& it : rows) {
      const json::object data = json::parse(it.data).as_object();
      const auto received = core::ParseInstant(Str(data, "received_at")).value_or(it.created_at);
      const core::CivilDay day = core::ShanghaiDay(received);
      if ((from && day < *from) || (to && *to < day)) continue;
      ComplaintStatsRow& r = by_org[it.from_org_id];
      r.org_id = it.from_org_id;
      ++r.registered;
      if (it.referral_id) ++r.referred;
      if (it.state == cs::kClosed) ++r.closed_no_reply;
      for (const Duty& d : duties[it.id]) {
        if (d.kind != domain::kDutyComplaintReply) continue;
        if (d.state == domain::DutyState::kMet) {
          ++r.replied;
          if (d.on_time.value_or(true)) ++r.replied_on_time;
          else ++r.replied_late;
        } else if (workflow::Pending(d)) {
          ++r.open;
          if (now > d.due_at) ++r.open_overdue;
        }
      }
    }
    for (auto& [id, r] : by_org) {
      XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, MaybeOrg(tx, id));
      if (o) r.org_name = o->name;
      out.total.registered += r.registered;
      out.total.replied += r.replied;
      out.total.replied_on_time += r.replied_on_time;
      out.total.replied_late += r.replied_late;
      out.total.referred += r.referred;
      out.total.closed_no_reply += r.closed_no_reply;
      out.total.open += r.open;
      out.total.open_overdue += r.open_overdue;
      out.orgs.push_back(r);
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace xietong::service
