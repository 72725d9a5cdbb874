// JSON views of the matters catalog and jurisdiction answers (R-JUR-1/2). Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "domain/matter.h"
#include "service/matter_service.h"

namespace xietong::http::views {

// {"id","code","name","legal_basis","owner_org":{"id","code","name"} (the owner today),
//  "statutory_referral_days"|null,"delegations":[{"township":{"id","code","name"},"from",
//  "to"|null,"decision":Decision|null,"withdrawal_decision":Decision|null}],
//  "owner_history":[{"from"|null (= from the beginning),"owner_org","basis","decision"}]}
// Decision = {"number","document_id"|null} (R-DIS-3).
boost::json::object MatterJson(const service::MatterView& v);
// {"id","code","name"}
boost::json::object MatterLiteJson(const domain::Matter& m);
// {"competent_org":{"id","code","name","kind"},"township","matter":MatterJson,"delegated",
//  "basis","delegation":{"from","to","decision","withdrawal_decision"}|null,"legal_basis",
//  "reason","owner_since"|null (the owner's period start when it changed),"decision":Decision|null
//  (the decision that decides this answer),"rule":"R-JUR-1"}
boost::json::object JurisdictionJson(const service::JurisdictionAnswer& a);

}  // namespace xietong::http::views
