#include "http/views/matter.h"

#include <boost/json/array.hpp>

#include "core/time.h"

namespace xietong::http::views {

using domain::Matter;

namespace {
boost::json::object OrgLite(const domain::Org& o) {
  return {{"id", o.id}, {"code", o.code}, {"name", o.name}};
}

boost::json::value DayOrNull(const std::optional<core::CivilDay>& d) {
  if (!d) return nullptr;
  return boost::json::value(core::FormatDay(*d));
}

// {"number","document_id"|null} or null.
boost::json::value DecisionJson(const std::optional<domain::Citation>& c) {
  if (!c) return nullptr;
  return boost::json::object{
      {"number", c->decision_number},
      {"document_id",
       c->decision_document_id ? boost::json::value(*c->decision_document_id) : nullptr}};
}
}  // namespace

boost::json::object MatterLiteJson(const Matter& m) {
  return {{"id", m.id}, {"code", m.code}, {"name", m.name}};
}

boost::json::object MatterJson(const service::MatterView& v) {
  boost::json::array dels;
  for (size_t i = 0; i < v.delegations.size(); ++i) {
    const auto& d = v.delegations[i];
    boost::json::object town;
    if (i < v.townships.size()) town = OrgLite(v.townships[i]);
    dels.push_back(boost::json::object{{"township", std::move(town)},
                                       {"from", core::FormatDay(d.from)},
                                       {"to", DayOrNull(d.to)},
                                       {"decision", DecisionJson(d.decided_by)},
                                       {"withdrawal_decision", DecisionJson(d.withdrawn_by)}});
  }
  boost::json::array history;
  for (size_t i = 0; i < v.owner_periods.size(); ++i) {
    const auto& p = v.owner_periods[i];
    boost::json::object owner;
    if (i < v.period_owners.size()) owner = OrgLite(v.period_owners[i]);
    history.push_back(boost::json::object{
        {"from", p.from == domain::kCatalogBeginning ? boost::json::value(nullptr)
                                                     : boost::json::value(core::FormatDay(p.from))},
        {"owner_org", std::move(owner)},
        {"basis", p.basis},
        {"decision", DecisionJson(p.decided_by)}});
  }
  const Matter& m = v.matter;
  return {{"id", m.id},
          {"code", m.code},
          {"name", m.name},
          {"legal_basis", m.legal_basis},
          {"owner_org", OrgLite(v.owner)},
          {"statutory_referral_days",
           m.statutory_referral_days ? boost::json::value(*m.statutory_referral_days) : nullptr},
          {"delegations", std::move(dels)},
          {"owner_history", std::move(history)}};
}

boost::json::object JurisdictionJson(const service::JurisdictionAnswer& a) {
  const char* basis = "never_delegated";
  switch (a.competence.basis) {
    case domain::CompetenceBasis::kDelegated: basis = "delegated"; break;
    case domain::CompetenceBasis::kNeverDelegated: basis = "never_delegated"; break;
    case domain::CompetenceBasis::kNotYetDelegated: basis = "not_yet_delegated"; break;
    case domain::CompetenceBasis::kWithdrawn: basis = "withdrawn"; break;
  }
  boost::json::value del = nullptr;
  if (a.competence.delegation)
    del = boost::json::object{{"from", core::FormatDay(a.competence.delegation->from)},
                              {"to", DayOrNull(a.competence.delegation->to)},
                              {"decision", DecisionJson(a.competence.delegation->decided_by)},
                              {"withdrawal_decision",
                               DecisionJson(a.competence.delegation->withdrawn_by)}};
  boost::json::value owner_since = nullptr;
  if (a.competence.owner_period && a.competence.owner_period->from != domain::kCatalogBeginning)
    owner_since = core::FormatDay(a.competence.owner_period->from);
  return {{"competent_org", boost::json::object{{"id", a.competent_org.id},
                                                {"code", a.competent_org.code},
                                                {"name", a.competent_org.name},
                                                {"kind", domain::OrgKindName(a.competent_org.kind)}}},
          {"township", OrgLite(a.township)},
          {"matter", MatterJson(a.matter)},
          {"delegated", a.competence.delegated()},
          {"basis", basis},
          {"delegation", std::move(del)},
          {"legal_basis", a.matter.matter.legal_basis},
          {"reason", a.competence.reason},
          {"owner_since", std::move(owner_since)},
          {"decision", DecisionJson(a.competence.decided_by)},
          {"rule", "R-JUR-1"}};
}

}  // namespace xietong::http::views
