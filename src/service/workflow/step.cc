#include "service/workflow/step.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "domain/region.h"

namespace xietong::service::workflow {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::Duty;
using domain::DutyState;
using domain::Id;

bool Pending(const Duty& d) { return d.state == DutyState::kOpen || d.state == DutyState::kSuspended; }

Result<std::vector<domain::User>> CoordinatorStaff(storage::Tx& tx, const std::vector<Id>& between) {
  std::vector<domain::User> out;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  std::vector<std::string> codes;
  bool placed = !between.empty();
  for (Id id : between) {
    auto it = std::find_if(orgs.begin(), orgs.end(), [&](const domain::Org& o) { return o.id == id; });
    if (it == orgs.end() || !it->region_code) {
      placed = false;
      break;
    }
    codes.push_back(*it->region_code);
  }
  const std::string want = placed ? domain::CoordinatingScope(codes) : std::string();
  for (const auto& o : orgs) {
    if (o.kind != domain::OrgKind::kCoordinator) continue;
    const std::string scope = o.region_code ? domain::ScopePrefixOfCode(*o.region_code) : std::string();
    if (!scope.empty() && scope != want) continue;  // another region's office (R-ACC-2)
    XT_ASSIGN_OR_RETURN(auto users, tx.ListUsersWithRoles(
                                        o.id, domain::RoleSet{domain::Role::kCoordinatorStaff}));
    out.insert(out.end(), users.begin(), users.end());
  }
  return out;
}

Result<std::vector<domain::User>> OrgDesk(storage::Tx& tx, Id org_id) {
  return tx.ListUsersWithRoles(org_id,
                               domain::RoleSet{domain::Role::kLeader, domain::Role::kLiaison});
}

std::string DocPrefix(const domain::Org& o) {
  return o.doc_prefix.empty() ? domain::DefaultDocPrefix(o.short_name) : o.doc_prefix;
}

Status NotifyOnce(storage::Tx& tx, const std::vector<domain::User>& users, const std::string& kind,
                  const std::string& title, const std::string& body, std::string_view object_type,
                  Id object_id, const std::string& dedupe_key, core::Instant now) {
  std::set<Id> done;
  for (const auto& u : users) {
    if (u.disabled || !done.insert(u.id).second) continue;
    domain::Notification n;
    n.user_id = u.id;
    n.kind = kind;
    n.title = title;
    n.body = body;
    n.object_type = std::string(object_type);
    n.object_id = std::to_string(object_id);
    n.dedupe_key = dedupe_key;
    n.created_at = now;
    XT_RETURN_IF_ERROR(tx.InsertNotification(n).status());
  }
  return Status::Ok();
}

Result<std::string> DisplayName(storage::Tx& tx, Id user_id) {
  auto u = tx.GetUser(user_id);
  if (!u.ok()) {
    if (u.status().code() == core::Code::kNotFound) return std::string();
    return u.status();
  }
  return u->display_name;
}

namespace {
Status Bug(const std::string& what) { return Status::Internal("workflow table: " + what); }
}  // namespace

StepContext::StepContext(storage::Tx& tx, const Principal& p, core::Instant now,
                         DutyService& duties, Subject subject,
                         const domain::workflow::Effects& fx)
    : tx(tx), p(p), now(now), met_at(now), duties_(duties), subject_(std::move(subject)), fx_(fx) {}

Result<std::vector<Duty>> StepContext::Duties() {
  return DutiesOfObject(tx, subject_.type, subject_.id);
}

void StepContext::Note(const char* key, const Duty& d) {
  json::array& arr = detail[key].is_array() ? detail[key].as_array() : detail[key].emplace_array();
  json::object o{{"id", d.id}, {"kind", d.kind}};
  if (d.on_time) o["on_time"] = *d.on_time;
  if (d.late_working_days) o["late_working_days"] = *d.late_working_days;
  arr.push_back(std::move(o));
}

Result<Duty> StepContext::Open(DutyInput in) {
  if (!fx_.Opens(in.kind)) return Bug("the step may not open a " + in.kind + " duty");
  in.object_type = subject_.type;
  in.object_id = std::to_string(subject_.id);
  return duties_.CreateInTx(tx, &p, in, now);  // which writes its own "duty.create" entry
}

Result<Duty> StepContext::OpenOn(std::string_view object_type, domain::Id object_id,
                                 DutyInput in) {
  if (!fx_.Opens(in.kind)) return Bug("the step may not open a " + in.kind + " duty");
  in.object_type = std::string(object_type);
  in.object_id = std::to_string(object_id);
  return duties_.CreateInTx(tx, &p, in, now);
}

Status StepContext::Waive(std::string_view kind, const std::string& reason) {
  if (!fx_.Opens(kind) && !fx_.Waives(kind)) {
    return Bug("the step may not waive a " + std::string(kind) + " duty");
  }
  XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, Duties());
  for (auto& d : ds) {
    if (!Pending(d) || (kind != domain::workflow::kAllDuties && d.kind != kind)) continue;
    XT_ASSIGN_OR_RETURN(Duty w, duties_.WaiveInTx(tx, &p, d, reason, now));
    ended_.insert(w.id);
    Note("duties_waived", w);
  }
  return Status::Ok();
}

Status StepContext::MeetOne(const Duty& d, core::Instant at) {
  if (!domain::workflow::Effects::Has(fx_.meet_one, d.kind)) {
    return Bug("the step may not meet a " + d.kind + " duty");
  }
  if (d.object_type != subject_.type || d.object_id != std::to_string(subject_.id)) {
    return Bug("duty " + std::to_string(d.id) + " belongs to another object");
  }
  if (!Pending(d)) return Status::Ok();
  XT_ASSIGN_OR_RETURN(Duty met, duties_.MeetInTx(tx, &p, d, std::max(at, d.trigger_at), now));
  ended_.insert(met.id);
  Note("duties_met", met);
  return Status::Ok();
}

Status StepContext::SnapshotDeclaredDuties() {
  const bool any = std::any_of(fx_.meet.begin(), fx_.meet.end(), [](auto k) { return !k.empty(); }) ||
                   std::any_of(fx_.waive.begin(), fx_.waive.end(), [](auto k) { return !k.empty(); });
  if (!any) return Status::Ok();
  XT_ASSIGN_OR_RETURN(std::vector<Duty> ds, Duties());
  for (auto& d : ds)
    if (Pending(d) && (fx_.Meets(d.kind) || fx_.Waives(d.kind))) declared_.push_back(std::move(d));
  return Status::Ok();
}

Status StepContext::ApplyDeclaredDuties(std::string_view action_label) {
  for (const Duty& d : declared_) {
    if (ended_.count(d.id)) continue;  // the handler ended it already (Waive, MeetOne)
    if (fx_.Meets(d.kind)) {
      XT_ASSIGN_OR_RETURN(Duty met, duties_.MeetInTx(tx, &p, d, std::max(met_at, d.trigger_at), now));
      Note("duties_met", met);
    } else {
      const std::string reason = waive_reason.empty() ? std::string(action_label) : waive_reason;
      XT_ASSIGN_OR_RETURN(Duty w, duties_.WaiveInTx(tx, &p, d, reason, now));
      Note("duties_waived", w);
    }
  }
  return Status::Ok();
}

Result<domain::Document> StepContext::Issue(domain::DocKind kind, const domain::Org& issuer,
                                            const std::string& title, json::object body) {
  const bool main = fx_.document && *fx_.document == kind;
  const bool copy = !main && fx_.copy_document && *fx_.copy_document == kind;
  if (!main && !copy) {
    return Bug("the step may not issue a " + std::string(domain::DocKindName(kind)));
  }
  if (main ? issued_.has_value() : issued_copy_.has_value()) {
    return Bug("a step issues each declared document once");
  }
  const int year = domain::ShanghaiYear(now);
  XT_ASSIGN_OR_RETURN(int64_t serial, tx.TakeDocSerial(issuer.id, year, kind));
  domain::Document d;
  d.kind = kind;
  d.number = domain::FormatDocNumber(DocPrefix(issuer), kind, year, serial);
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
  if (subject_.decorate_document) subject_.decorate_document(d, body);
  d.snapshot = json::serialize(body);
  XT_ASSIGN_OR_RETURN(d.id, tx.InsertDocument(d));
  if (subject_.link_document) XT_RETURN_IF_ERROR(subject_.link_document(tx, d));
  detail[main ? "document" : "copy_document"] =
      json::object{{"id", d.id}, {"number", d.number}, {"kind", domain::DocKindName(kind)}};
  (main ? issued_ : issued_copy_) = d;
  return d;
}

Status StepContext::CheckDocumentIssued() const {
  if (fx_.document && !issued_) {
    return Bug("the step must issue a " + std::string(domain::DocKindName(*fx_.document)));
  }
  if (fx_.copy_document && !issued_copy_) {
    return Bug("the step must issue a " + std::string(domain::DocKindName(*fx_.copy_document)));
  }
  return Status::Ok();
}

Status StepContext::NotifyUsers(const std::vector<domain::User>& users, const std::string& kind,
                                const std::string& title, const std::string& body) {
  const std::string key =
      subject_.dedupe_by_instant
          ? kind + "." + std::to_string(subject_.id) + "." + std::to_string(core::ToMillis(now))
          : std::string();
  for (const auto& u : users) {
    if (u.disabled || (subject_.skip_actor && u.id == p.user.id)) continue;
    if (!notified_.emplace(u.id, kind).second) continue;
    domain::Notification n;
    n.user_id = u.id;
    n.kind = kind;
    n.title = title;
    n.body = body;
    n.object_type = subject_.type;
    n.object_id = std::to_string(subject_.id);
    n.dedupe_key = key;
    n.created_at = now;
    XT_RETURN_IF_ERROR(tx.InsertNotification(n).status());
  }
  return Status::Ok();
}

Status StepContext::NotifyDesk(Id org_id, const std::string& kind, const std::string& title,
                               const std::string& body, bool with_creator) {
  XT_ASSIGN_OR_RETURN(auto users, OrgDesk(tx, org_id));
  if (with_creator && subject_.created_by != 0) {
    auto u = tx.GetUser(subject_.created_by);
    if (!u.ok() && u.status().code() != core::Code::kNotFound) return u.status();
    if (u.ok() && u->org_id == org_id) users.push_back(*u);
  }
  return NotifyUsers(users, kind, title, body);
}

Status StepContext::NotifyCoordinator(const std::string& kind, const std::string& title,
                                      const std::string& body) {
  XT_ASSIGN_OR_RETURN(auto staff, CoordinatorStaff(tx, subject_.orgs.empty()
                                                           ? std::vector<Id>{p.org.id}
                                                           : subject_.orgs));
  return NotifyUsers(staff, kind, title, body);
}

Status StepContext::NotifyUser(Id user_id, const std::string& kind, const std::string& title,
                               const std::string& body) {
  auto u = tx.GetUser(user_id);
  if (!u.ok()) return u.status().code() == core::Code::kNotFound ? Status::Ok() : u.status();
  return NotifyUsers({*u}, kind, title, body);
}

}  // namespace xietong::service::workflow
