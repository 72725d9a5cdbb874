// Demo contacts (issue 18): a few demo users get an email address and a mobile number through
// DeliveryService::PutContact (each user sets their own, audited). Loaded last, after every
// demo workflow, so the demo data itself queues no deliveries; without a configured SMTP server
// or SMS webhook later deliveries stay pending and nothing is sent. Not scjg: the delivery suites
// (tests/http/notify_delivery, tests/browser/notify_delivery) count what scjg's users receive.
#include <string>

#include "cli/demo_workflows.h"
#include "domain/notification.h"
#include "service/delivery_service.h"

namespace xietong::cli {

core::Status DemoContacts(const DemoEnv& env) {
  struct Row {
    const char* username;
    const char* email;
    const char* mobile;
  };
  static const Row kRows[] = {
      {"xincheng.leader", "xincheng.leader@xinxing.example", "13800000101"},
      {"xincheng.liaison", "xincheng.liaison@xinxing.example", "13800000102"},
      {"zrzy.leader", "zrzy.leader@xinxing.example", "13800000201"},
      {"zrzy.liaison", "zrzy.liaison@xinxing.example", "13800000202"},
  };
  service::DeliveryService delivery(env.store, env.clock);  // worker not started: sends nothing
  for (const Row& r : kRows) {
    auto it = env.dir.users.find(r.username);
    if (it == env.dir.users.end()) continue;
    XT_ASSIGN_OR_RETURN(service::Principal p, env.As(r.username));
    domain::UserContact c;
    c.email = r.email;
    c.mobile = r.mobile;  // defaults: urgent by SMS, routine by email
    XT_ASSIGN_OR_RETURN(domain::UserContact saved, delivery.PutContact(p, it->second, c));
    (void)saved;
  }
  return core::Status::Ok();
}

}  // namespace xietong::cli
