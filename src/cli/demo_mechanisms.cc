// Demo examples of the standing mechanisms (R-SYS-1, R-SYS-4, R-SYS-5), through
// CoordItemService's real steps: a regular consultation of the coordinator held, its decision
// carried out and closed (纪要 席); an ad hoc consultation of 县市场监管局 scheduled; the food
// safety mechanism led by 县市场监管局 with a briefing (制); a joint action of 新城镇 with its
// result recorded (联), and one of the coordinator planned.
#include <chrono>

#include "cli/demo_workflows.h"
#include "service/coord_item_service.h"

namespace xietong::cli {

core::Status DemoMechanisms(const DemoEnv& env) {
  using domain::CoordType;
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  const auto now = env.clock.Now();
  auto org = [&](const char* code) { return env.dir.orgs.at(code).id; };
  XT_ASSIGN_OR_RETURN(service::Principal coord, env.As("coordinator.staff"));
  XT_ASSIGN_OR_RETURN(service::Principal scjg, env.As("scjg.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal xc, env.As("xincheng.officer"));

  // R-SYS-1: a regular consultation, held this morning; its decision carried out; closed.
  service::CoordMeetingInput m;
  m.kind = "regular";
  m.title = "【演示】第四季度联合执法联席会议";
  m.subject = "通报第四季度联合执法情况，研究节日市场联合检查";
  m.agenda = "一、各单位通报执法情况；二、研究节日市场联合检查；三、议定事项分工";
  m.start_at = now - std::chrono::hours(2);
  m.place = "县委依法治县办会议室";
  m.invitees = {{org("scjg"), std::nullopt}, {org("xincheng"), std::nullopt}};
  XT_ASSIGN_OR_RETURN(service::CoordItemView c,
                      items.Create(coord, CoordType::kConsultation, service::CoordCreateInput(m)));
  service::MeetingMinutesInput mi;
  mi.minutes = "会议听取了各单位执法情况通报，议定由县市场监管局牵头开展节日市场联合检查。";
  mi.decisions = {{"牵头制定节日市场联合检查方案", org("scjg"), std::nullopt, 5}};
  XT_RETURN_IF_ERROR(
      items.Act(coord, CoordType::kConsultation, c.item.id, "minutes", service::CoordActionInput(mi)).status());
  XT_RETURN_IF_ERROR(items.Act(scjg, CoordType::kConsultation, c.item.id, "decision-done",
                               service::CoordActionInput(service::MeetingDecisionDoneInput{"方案已印发各成员单位"}), 1)
                         .status());
  XT_RETURN_IF_ERROR(items.Act(coord, CoordType::kConsultation, c.item.id, "close",
                               service::CoordActionInput(service::CoordNoInput{}))
                         .status());
  // An ad hoc consultation of a department, next week.
  service::CoordMeetingInput adhoc;
  adhoc.kind = "ad_hoc";
  adhoc.title = "【演示】非法采砂联合执法临时会议";
  adhoc.subject = "研究东堤路非法采砂问题的法律适用";
  adhoc.agenda = "一、案情通报；二、法律适用；三、联合执法方案";
  adhoc.start_at = now + std::chrono::hours(24 * 7);
  adhoc.place = "县市场监管局三楼会议室";
  adhoc.invitees = {{org("zrzy"), std::nullopt}};
  XT_RETURN_IF_ERROR(items.Create(scjg, CoordType::kConsultation, service::CoordCreateInput(adhoc)).status());

  // R-SYS-4: the food safety mechanism, led by 县市场监管局, with a briefing.
  service::CoordMechanismInput mech;
  mech.title = "【演示】食品安全联合执法机制";
  mech.kind = "food_safety";
  mech.lead_org = org("scjg");
  mech.members = {org("xincheng"), org("liuzu"), org("gaj")};
  mech.body_name = "食品安全联合执法办公室";
  mech.body_office = "县市场监管局三楼";
  mech.priorities = {"校园及周边食品安全", "农村集体聚餐", "节日市场"};
  XT_ASSIGN_OR_RETURN(service::CoordItemView jm,
                      items.Create(coord, CoordType::kJointMechanism, service::CoordCreateInput(mech)));
  XT_RETURN_IF_ERROR(items.Act(scjg, CoordType::kJointMechanism, jm.item.id, "briefing",
                               service::CoordActionInput(service::MechanismBriefingInput{
                                   now, "11月食品安全联合执法工作通报", "本月联合检查食品经营单位36家，责令整改5家。", {}}))
                         .status());

  // R-SYS-5: a joint action of 新城镇 with its result; one of the coordinator planned.
  service::CoordJointActionInput ja;
  ja.title = "【演示】城南农贸市场联合执法行动";
  ja.participants = {org("scjg")};
  ja.people = "新城镇综合执法队员4人，县市场监管局执法人员3人";
  ja.start_at = now - std::chrono::hours(3);
  ja.place = "新城镇城南农贸市场";
  ja.targets = "查处无证经营和销售过期食品";
  XT_ASSIGN_OR_RETURN(service::CoordItemView a,
                      items.Create(xc, CoordType::kJointAction, service::CoordCreateInput(ja)));
  XT_RETURN_IF_ERROR(items.Act(xc, CoordType::kJointAction, a.item.id, "result",
                               service::CoordActionInput(service::CoordResultInput{"检查经营户45家，查处无证经营3起，下架过期食品12公斤。"}))
                         .status());
  service::CoordJointActionInput plan;
  plan.title = "【演示】东堤路河道联合执法行动";
  plan.participants = {org("zrzy"), org("gaj"), org("xincheng")};
  plan.start_at = now + std::chrono::hours(24 * 3);
  plan.place = "新城镇东堤路河段";
  plan.targets = "打击非法采砂";
  return items.Create(coord, CoordType::kJointAction, service::CoordCreateInput(plan)).status();
}

}  // namespace xietong::cli
