#include "http/views/collaboration.h"

#include <boost/json/array.hpp>

#include "domain/collaboration.h"
#include "http/views/audit.h"
#include "http/views/common.h"
#include "http/views/document.h"
#include "http/views/duty.h"
#include "http/views/workflow.h"

namespace xietong::http::views {

namespace json = boost::json;
using domain::Collaboration;
using domain::Id;

namespace {
json::object OrgRef(const domain::Org& o) {
  return json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}};
}
json::value FileJson(const std::optional<domain::CollabFile>& f) {
  if (!f) return nullptr;
  return json::object{{"id", f->id}, {"name", f->name}, {"size", f->size}, {"content_type", f->content_type}};
}
}  // namespace

json::object CollaborationJson(const service::CollaborationView& v) {
  const Collaboration& c = v.c;
  auto user = [&](Id id) {
    auto it = v.user_names.find(id);
    return json::object{{"id", id}, {"display_name", it == v.user_names.end() ? "" : it->second}};
  };
  json::object o;
  o["id"] = c.id;
  o["number"] = c.number ? json::value(*c.number) : json::value(nullptr);
  o["state"] = domain::CollabStateName(c.state);
  o["state_label"] = domain::CollabStateLabelZh(c.state);
  o["kind"] = domain::CollabKindName(c.kind);
  o["kind_label"] = domain::CollabKindLabelZh(c.kind);
  o["from_org"] = OrgRef(v.from_org);
  o["to_org"] = OrgRef(v.to_org);
  o["title"] = c.title;
  o["questions"] = c.questions;
  o["case_ref"] = c.case_ref;
  o["referral_id"] = c.referral_id ? json::value(*c.referral_id) : json::value(nullptr);
  json::array mats;
  for (const auto& m : c.materials) {
    mats.push_back(json::object{{"name", m.name}, {"description", m.description}, {"file", FileJson(m.file)}});
  }
  o["materials"] = std::move(mats);
  o["urgent"] = c.urgent;
  o["evidence_at_risk"] = c.evidence_at_risk;
  o["complex"] = c.complex;
  json::array rounds;
  for (const auto& r : c.rounds) {
    json::object ro{{"n", r.n}, {"questions", r.questions}, {"asked_at", core::FormatInstant(r.asked_at)}};
    if (r.answer) {
      const auto& a = *r.answer;
      json::object ao{{"conclusion", a.conclusion},
                      {"file", FileJson(a.file)},
                      {"drafted_by", user(a.drafted_by)},
                      {"drafted_at", core::FormatInstant(a.drafted_at)},
                      {"answered_at", OptInstant(a.answered_at)}};
      if (v.detail) ao["text"] = a.text;
      ao["approved_by"] = a.approved_by ? json::value(user(*a.approved_by)) : json::value(nullptr);
      json::value doc = nullptr;
      if (a.document_id) {
        json::object dj{{"id", *a.document_id},
                        {"number", nullptr},
                        {"url", "/api/v1/documents/" + std::to_string(*a.document_id)}};
        for (const auto& d : v.documents)
          if (d.id == *a.document_id) dj["number"] = d.number;
        doc = std::move(dj);
      }
      ao["document"] = std::move(doc);
      ro["answer"] = std::move(ao);
    } else {
      ro["answer"] = nullptr;
    }
    rounds.push_back(std::move(ro));
  }
  o["rounds"] = std::move(rounds);
  json::array exts;
  for (const auto& e : c.extensions) {
    exts.push_back(json::object{{"reason", e.reason},
                                {"old_due", core::FormatInstant(e.old_due)},
                                {"new_due", core::FormatInstant(e.new_due)},
                                {"requested_by", user(e.requested_by)},
                                {"approved_by", user(e.approved_by)},
                                {"at", core::FormatInstant(e.at)}});
  }
  o["extensions"] = std::move(exts);
  if (c.dispatch) {
    json::array staff;
    for (const auto& s : c.dispatch->staff) staff.emplace_back(s);
    o["dispatch"] = json::object{{"staff", std::move(staff)},
                                 {"sent_at", core::FormatInstant(c.dispatch->sent_at)},
                                 {"arrived_at", OptInstant(c.dispatch->arrived_at)},
                                 {"note", c.dispatch->note}};
  } else {
    o["dispatch"] = nullptr;
  }
  o["created_by"] = user(c.created_by);
  o["created_at"] = core::FormatInstant(c.created_at);
  o["updated_at"] = core::FormatInstant(c.updated_at);
  o["submitted_at"] = OptInstant(c.submitted_at);
  o["sent_at"] = OptInstant(c.sent_at);
  o["received_at"] = OptInstant(c.received_at);
  o["answered_at"] = OptInstant(c.answered_at);
  o["closed_at"] = OptInstant(c.closed_at);
  o["withdraw_reason"] = OptText(c.withdraw_reason);
  o["return_reason"] = OptText(c.return_reason);
  o["colour"] = domain::ColourName(v.colour);
  if (v.colour == domain::Colour::kNone) o["colour"] = nullptr;
  AddWorkflowParts(o, v);
  return o;
}

json::object CollaborationListJson(const service::CollaborationList& list) {
  return PageJson(list, CollaborationJson);
}

}  // namespace xietong::http::views
