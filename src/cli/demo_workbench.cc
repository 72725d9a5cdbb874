// Demo examples of 督办 (R-PLN-2, issue 17) through UrgingService's real steps: the coordinator
// urges the overdue demo duties of scjg and xincheng (cli/demo.cc opens them red); xincheng
// answers its urging, scjg's stays open.
#include "cli/demo_workflows.h"
#include "service/coord_item_service.h"
#include "service/urging_service.h"

namespace xietong::cli {

core::Status DemoWorkbench(const DemoEnv& env) {
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  service::UrgingService urgings(env.store, env.clock, env.duties, items);
  XT_ASSIGN_OR_RETURN(service::Principal coord, env.As("coordinator.staff"));
  XT_ASSIGN_OR_RETURN(service::Principal xc, env.As("xincheng.leader"));
  service::DutyQuery q;
  q.scope = "all";
  q.colour = "red";
  q.q = "【演示】交办";
  q.page_size = 50;
  XT_ASSIGN_OR_RETURN(service::DutyList red, env.duties.List(coord, q));
  for (const auto& d : red.items) {
    const bool scjg = d.owner_org_id == env.dir.orgs.at("scjg").id;
    const bool xincheng = d.owner_org_id == env.dir.orgs.at("xincheng").id;
    if (!scjg && !xincheng) continue;
    XT_ASSIGN_OR_RETURN(
        service::CoordItemView v,
        urgings.Create(coord, service::UrgeInput{"duty", d.id, "该项交办任务已超期，请于两个工作日内办结并答复办理情况。"}));
    if (xincheng) {
      XT_RETURN_IF_ERROR(
          urgings.Answer(xc, v.item.id, service::UrgingAnswerInput{"已组织专人整改案卷问题，预计本周内报送整改报告。"})
              .status());
    }
  }
  return core::Status::Ok();
}

}  // namespace xietong::cli
