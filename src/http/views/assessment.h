// JSON views of the assessment (R-ASM-1, R-ASM-2; docs/assessment-contract.md). Pure functions;
// thread-safe. The assessment itself renders with service::AssessmentJson (the same JSON is the
// published snapshot).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>
#include <vector>

#include "service/assessment_service.h"

namespace xietong::http::views {

// {"type","id","title","kind","rule","due_at"|null,"met_at"|null,"at"|null,"counted","times",
//  "org_id","path","number"|null}
boost::json::object AssessmentFactJson(const service::AssessmentFact& f);
// {"org_id","indicator":{catalogue row},"period":{…},"items":[fact…]}
boost::json::object AssessmentFactsJson(domain::Id org_id, std::string_view indicator,
                                        const domain::assessment::Period& period,
                                        const std::vector<service::AssessmentFact>& facts);
// {"assessment":{…},"against":[fact…],"circulars":[…],"accountability":[…],"published":[…]}
boost::json::object AssessmentOrgJson(const service::AssessmentService::OrgPage& page);
// {"year","trend":[{"month","counted","on_time","rate"|null}],"orgs":[{"org","score","rank",
//  "on_time_rate"|null,"late_met","overdue_open"}],"flow":[{"from","to","count"}]}
boost::json::object AssessmentDashboardJson(const service::AssessmentDashboard& d);
// {"year","version","indicators":[…],"id"|null,"created_at"|null,"created_by"|null}
boost::json::object SchemeViewJson(const service::SchemeView& v);
// {"id","period","from","to","scheme_id","published_at","published_by"} (+ "result" when full)
boost::json::object AssessmentResultJson(const storage::AssessmentResultRow& r, bool full);
// CoordItemJson with the circular's / accountability record's state and labels.
boost::json::object AssessmentItemJson(const service::CoordItemView& v);

}  // namespace xietong::http::views
