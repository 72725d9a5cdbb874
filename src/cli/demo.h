// The demo county: Xinxing County (新兴县, Yunfu, Guangdong) — the coordinator office, the county
// government, its 12 towns, county departments, police, procuratorate and court, with officers,
// leaders and liaisons named "<org-code>.<role>". Loaded through the services, so every record
// is audited like any other.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/auth_service.h"
#include "service/duty_service.h"
#include "service/matter_service.h"
#include "service/org_service.h"

namespace xietong::cli {

struct DemoAccount {
  std::string username, display_name, org_name, roles;
};

// What the loader created, for the workflow examples loaded after it (cli/demo_workflows.h).
struct DemoDirectory {
  std::map<std::string, domain::Org> orgs;  // by demo code: "xincheng", "scjg", "gaj", "government" …
  std::map<std::string, int64_t> users;     // username ("xincheng.officer") -> user id
};

// Loads the demo county. Refuses (already_exists) when the database already holds orgs.
// With `duties`, also opens a few demo duties (titles marked 【演示】) so the 待办 inboxes show
// every colour; they are ordinary duties, created by the coordinator's staff.
// With `matters`, also imports the demo matters catalog (data/matters/xinxing.csv, embedded in
// the binary; R-JUR-1). Every org gets a document prefix (文号机关代字).
core::Result<std::vector<DemoAccount>> LoadDemo(service::OrgService& orgs,
                                                service::AuthService& auth,
                                                const std::string& password,
                                                service::DutyService* duties = nullptr,
                                                const core::Clock* clock = nullptr,
                                                service::MatterService* matters = nullptr,
                                                DemoDirectory* directory = nullptr);

// The demo matters catalog (CSV text, data/matters/xinxing.csv), compiled in.
std::string_view DemoMattersCsv();

}  // namespace xietong::cli
