#include "http/views/referral.h"

#include "domain/referral.h"
#include "http/views/audit.h"
#include "http/views/common.h"
#include "http/views/document.h"
#include "http/views/duty.h"
#include "http/views/json_writer.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;
using domain::Referral;

namespace {
template <class W>
void WriteOrgRef(W& w, std::string_view key, const domain::Org& o) {
  w.Object(key);
  w.Field("id", o.id);
  w.Field("code", o.code);
  w.Field("name", o.name);
  w.Field("kind", domain::OrgKindName(o.kind));
  w.EndObject();
}
}  // namespace

template <class W>
void WriteReferral(W& w, const service::ReferralView& v) {
  const Referral& r = v.referral;
  w.BeginObject();
  w.Field("id", r.id);
  w.Field("number", r.number);
  w.Field("state", domain::ReferralStateName(r.state));
  w.Field("state_label", domain::ReferralStateLabelZh(r.state));
  WriteOrgRef(w, "from_org", v.from_org);
  WriteOrgRef(w, "to_org", v.to_org);
  w.Object("matter");
  w.Field("id", v.matter.id);
  w.Field("code", v.matter.code);
  w.Field("name", v.matter.name);
  w.EndObject();
  WriteOrgRef(w, "township", v.township);
  w.Field("place", r.place);
  w.Field("discovered_at", core::FormatInstant(r.discovered_at));
  w.Field("facts", r.facts);
  w.Object("party");
  w.Field("name", r.party.name);
  w.Field("id_type", r.party.id_type);
  w.Field("id_number", r.party.id_number);
  w.Field("address", r.party.address);
  w.Field("phone", r.party.phone);
  w.EndObject();
  w.Field("legal_basis", r.legal_basis);
  w.Array("evidence");
  for (const auto& e : r.evidence) {
    w.BeginObject();
    w.Field("name", e.name);
    w.Field("description", e.description);
    if (e.file_id) {
      w.Object("file");
      w.Field("id", *e.file_id);
      w.Field("name", e.file_name);
      w.Field("size", e.file_size);
      w.Field("content_type", e.file_content_type);
      w.EndObject();
    } else {
      w.Field("file", nullptr);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Field("urgent", r.urgent);
  w.Field("ongoing", r.ongoing);
  if (r.dissuasion) {
    w.Object("dissuasion");
    w.Field("at", core::FormatInstant(r.dissuasion->at));
    w.Field("note", r.dissuasion->note);
    w.EndObject();
  } else {
    w.Field("dissuasion", nullptr);
  }
  w.Object("checklist");
  w.Field("facts_clear", r.checklist.facts_clear);
  w.Field("evidence_complete", r.checklist.evidence_complete);
  w.Field("procedure_lawful", r.checklist.procedure_lawful);
  w.Field("formalities_complete", r.checklist.formalities_complete);
  w.EndObject();
  if (v.unit) {
    w.Object("unit");
    w.Field("id", v.unit->id);
    w.Field("name", v.unit->name);
    w.EndObject();
  } else {
    w.Field("unit", nullptr);
  }
  w.Key("unit_legal_basis");
  WriteOptText(w, r.unit_legal_basis);
  w.Key("jurisdiction_override_reason");
  WriteOptText(w, r.jurisdiction_override_reason);
  w.Field("flagged_for_coordinator", r.flagged_for_coordinator);
  w.Object("created_by");
  w.Field("id", r.created_by);
  w.Field("display_name", v.created_by_name);
  w.EndObject();
  w.Field("created_at", core::FormatInstant(r.created_at));
  w.Field("updated_at", core::FormatInstant(r.updated_at));
  const std::pair<std::string_view, const std::optional<core::Instant>*> instants[] = {
      {"submitted_at", &r.submitted_at}, {"sent_at", &r.sent_at},
      {"received_at", &r.received_at},   {"accepted_at", &r.accepted_at},
      {"closed_at", &r.closed_at}};
  for (const auto& [key, at] : instants) {
    w.Key(key);
    WriteOptInstant(w, *at);
  }
  const std::pair<std::string_view, const std::string*> texts[] = {
      {"accept_note", &r.accept_note},
      {"decline_reason", &r.decline_reason},
      {"return_reason", &r.return_reason},
      {"result", &r.result}};
  for (const auto& [key, text] : texts) {
    w.Key(key);
    WriteOptText(w, *text);
  }
  if (r.coordination) {
    const auto& c = *r.coordination;
    w.Object("coordination");
    w.Field("requested_at", core::FormatInstant(c.requested_at));
    w.Field("reason", c.reason);
    w.Key("decision");
    WriteOptText(w, c.decision);
    w.Key("decision_reason");
    WriteOptText(w, c.decision_reason);
    w.Key("decided_at");
    WriteOptInstant(w, c.decided_at);
    if (c.decided_by) {
      w.Object("decided_by");
      w.Field("id", *c.decided_by);
      w.Field("display_name", v.decided_by_name);
      w.EndObject();
    } else {
      w.Field("decided_by", nullptr);
    }
    w.EndObject();
  } else {
    w.Field("coordination", nullptr);
  }
  w.Field("colour", domain::ColourName(v.colour));
  WriteWorkflowParts(w, v);
  w.EndObject();
}

template <class W>
void WriteReferralList(W& w, const service::ReferralList& list) {
  WritePage(w, list, [](W& w2, const service::ReferralView& v) { WriteReferral(w2, v); });
}

template void WriteReferral<TreeWriter>(TreeWriter&, const service::ReferralView&);
template void WriteReferral<TextWriter>(TextWriter&, const service::ReferralView&);
template void WriteReferralList<TreeWriter>(TreeWriter&, const service::ReferralList&);
template void WriteReferralList<TextWriter>(TextWriter&, const service::ReferralList&);

json::object ReferralJson(const service::ReferralView& v) {
  return ToObject([&](TreeWriter& w) { WriteReferral(w, v); });
}

json::object ReferralListJson(const service::ReferralList& list) {
  return ToObject([&](TreeWriter& w) { WriteReferralList(w, list); });
}

std::string ReferralText(const service::ReferralView& v) {
  return ToText([&](TextWriter& w) { WriteReferral(w, v); }, 4096);
}

std::string ReferralListText(const service::ReferralList& list) {
  return ToText([&](TextWriter& w) { WriteReferralList(w, list); }, 512 + 3072 * list.items.size());
}

}  // namespace xietong::http::views
