// Examples of the workflows in the demo county, loaded after the directory (cli/demo.h) through
// the real services and their steps, so that a new user finds every area populated and every
// example is audited, numbered and timed like any other record. One function per area, each in
// its own file (demo_<area>.cc); CmdDemoLoad (cli/main.cc) calls them in order.
#pragma once

#include "cli/demo.h"
#include "core/clock.h"
#include "core/status.h"
#include "service/auth_service.h"
#include "service/calendar_service.h"
#include "service/duty_service.h"
#include "service/matter_service.h"
#include "storage/store.h"

namespace xietong::cli {

// Everything an area's examples need. REQUIRES: every reference outlives the call.
struct DemoEnv {
  storage::Store& store;
  const core::Clock& clock;
  service::AuthService& auth;
  service::CalendarService& calendar;
  service::DutyService& duties;
  service::MatterService& matters;
  const DemoDirectory& dir;

  // The principal of a demo user ("xincheng.officer").
  core::Result<service::Principal> As(const std::string& username) const {
    return auth.PrincipalOf(dir.users.at(username));
  }
};

// Jurisdiction disputes (R-DIS-1..3): one under negotiation, one with the coordinator, one
// settled (demo_disputes.cc).
core::Status DemoDisputes(const DemoEnv& env);
// First-contact complaints (R-SYS-3): one registered, one forwarded by referral awaiting the
// reply, one replied (demo_complaints.cc).
core::Status DemoComplaints(const DemoEnv& env);
// Court enforcement (R-CRI-3) and police support (R-CRI-4): cli/demo_court_police.cc.
core::Status DemoCourtPolice(const DemoEnv& env);
// Guidance, training, technical support (R-GUI-1..3): cli/demo_guidance.cc.
core::Status DemoGuidance(const DemoEnv& env);
// Criminal transfers (R-CRI-1a, R-CRI-2): one awaiting the head, one at the police, one returned.
core::Status DemoCriminal(const DemoEnv& env);
// The annual plan (R-PLN-1) issued with tasks (one at 60 %, one overdue red, one done) and an
// ad hoc task (R-PLN-2): cli/demo_plan.cc.
core::Status DemoPlan(const DemoEnv& env);
// 督办 (R-PLN-2): the coordinator urges overdue demo duties; one answered (demo_workbench.cc).
core::Status DemoWorkbench(const DemoEnv& env);
// Standing mechanisms (R-SYS-1, 4, 5): consultations, a joint mechanism, joint actions
// (demo_mechanisms.cc).
core::Status DemoMechanisms(const DemoEnv& env);
core::Status DemoSharedInfo(const DemoEnv& env);  // R-INF-1..3
// `demo load --city` (issue 19, R-ACC-2): Yunfu City around the demo county — regions, the other
// counties' offices, orgs and users (password `password`), referrals, a cross-county one, and a
// long-red duty (demo_city.cc). Call after the county's own examples.
core::Status DemoCity(const DemoEnv& env, const std::string& password);
// Contacts (issue 18) of the xincheng and zrzy leaders and liaisons; loaded last (demo_contacts.cc).
core::Status DemoContacts(const DemoEnv& env);

}  // namespace xietong::cli
