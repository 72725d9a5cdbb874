#include "http/views/referral.h"

#include <boost/json/array.hpp>

#include "domain/referral.h"
#include "http/views/audit.h"
#include "http/views/common.h"
#include "http/views/document.h"
#include "http/views/duty.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;
using domain::Referral;

namespace {
json::object OrgRef(const domain::Org& o) {
  return json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}, {"kind", domain::OrgKindName(o.kind)}};
}
}  // namespace

json::object ReferralJson(const service::ReferralView& v) {
  const Referral& r = v.referral;
  json::object o;
  o["id"] = r.id;
  o["number"] = r.number ? json::value(*r.number) : json::value(nullptr);
  o["state"] = domain::ReferralStateName(r.state);
  o["state_label"] = domain::ReferralStateLabelZh(r.state);
  o["from_org"] = OrgRef(v.from_org);
  o["to_org"] = OrgRef(v.to_org);
  o["matter"] = json::object{{"id", v.matter.id}, {"code", v.matter.code}, {"name", v.matter.name}};
  o["township"] = OrgRef(v.township);
  o["place"] = r.place;
  o["discovered_at"] = core::FormatInstant(r.discovered_at);
  o["facts"] = r.facts;
  o["party"] = json::object{{"name", r.party.name},
                            {"id_type", r.party.id_type},
                            {"id_number", r.party.id_number},
                            {"address", r.party.address},
                            {"phone", r.party.phone}};
  o["legal_basis"] = r.legal_basis;
  json::array ev;
  for (const auto& e : r.evidence) {
    json::object item{{"name", e.name}, {"description", e.description}};
    if (e.file_id) {
      item["file"] = json::object{{"id", *e.file_id},
                                  {"name", e.file_name},
                                  {"size", e.file_size},
                                  {"content_type", e.file_content_type}};
    } else {
      item["file"] = nullptr;
    }
    ev.push_back(std::move(item));
  }
  o["evidence"] = std::move(ev);
  o["urgent"] = r.urgent;
  o["ongoing"] = r.ongoing;
  if (r.dissuasion) {
    o["dissuasion"] = json::object{{"at", core::FormatInstant(r.dissuasion->at)},
                                   {"note", r.dissuasion->note}};
  } else {
    o["dissuasion"] = nullptr;
  }
  o["checklist"] = json::object{{"facts_clear", r.checklist.facts_clear},
                                {"evidence_complete", r.checklist.evidence_complete},
                                {"procedure_lawful", r.checklist.procedure_lawful},
                                {"formalities_complete", r.checklist.formalities_complete}};
  if (v.unit) {
    o["unit"] = json::object{{"id", v.unit->id}, {"name", v.unit->name}};
  } else {
    o["unit"] = nullptr;
  }
  o["unit_legal_basis"] = OptText(r.unit_legal_basis);
  o["jurisdiction_override_reason"] = OptText(r.jurisdiction_override_reason);
  o["flagged_for_coordinator"] = r.flagged_for_coordinator;
  o["created_by"] = json::object{{"id", r.created_by}, {"display_name", v.created_by_name}};
  o["created_at"] = core::FormatInstant(r.created_at);
  o["updated_at"] = core::FormatInstant(r.updated_at);
  o["submitted_at"] = OptInstant(r.submitted_at);
  o["sent_at"] = OptInstant(r.sent_at);
  o["received_at"] = OptInstant(r.received_at);
  o["accepted_at"] = OptInstant(r.accepted_at);
  o["closed_at"] = OptInstant(r.closed_at);
  o["accept_note"] = OptText(r.accept_note);
  o["decline_reason"] = OptText(r.decline_reason);
  o["return_reason"] = OptText(r.return_reason);
  o["result"] = OptText(r.result);
  if (r.coordination) {
    const auto& c = *r.coordination;
    json::object co{{"requested_at", core::FormatInstant(c.requested_at)},
                    {"reason", c.reason},
                    {"decision", OptText(c.decision)},
                    {"decision_reason", OptText(c.decision_reason)},
                    {"decided_at", OptInstant(c.decided_at)}};
    if (c.decided_by) {
      co["decided_by"] = json::object{{"id", *c.decided_by}, {"display_name", v.decided_by_name}};
    } else {
      co["decided_by"] = nullptr;
    }
    o["coordination"] = std::move(co);
  } else {
    o["coordination"] = nullptr;
  }
  o["colour"] = domain::ColourName(v.colour);
  AddWorkflowParts(o, v);
  return o;
}

json::object ReferralListJson(const service::ReferralList& list) {
  return PageJson(list, ReferralJson);
}

}  // namespace xietong::http::views
