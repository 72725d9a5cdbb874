// Demo examples of jurisdiction disputes (R-DIS-1..3), through DisputeService's real steps: one
// under negotiation (one party has recorded its joint handling), one with the coordinator
// (negotiation failed), one settled by agreement with a boundary decision (R-DIS-3).
#include "cli/demo_workflows.h"
#include "service/dispute_service.h"

namespace xietong::cli {

namespace {

using service::DisputeActionInput;
using service::DisputeJointInput;
using service::DisputeOpenInput;
using service::DisputeStepInput;

core::Result<domain::Id> OpenOne(service::DisputeService& svc, const DemoEnv& env,
                                 const std::string& opener, DisputeOpenInput in) {
  XT_ASSIGN_OR_RETURN(service::Principal p, env.As(opener));
  XT_ASSIGN_OR_RETURN(service::CoordItemView v, svc.Open(p, in));
  return v.item.id;
}

core::Status Step(service::DisputeService& svc, const DemoEnv& env, const std::string& who,
                  domain::Id id, std::string_view action, DisputeActionInput in) {
  XT_ASSIGN_OR_RETURN(service::Principal p, env.As(who));
  return svc.Act(p, id, action, in).status();
}

}  // namespace

core::Status DemoDisputes(const DemoEnv& env) {
  service::DisputeService svc(env.store, env.clock, env.duties, env.calendar);
  const auto& o = env.dir.orgs;
  // 1. Under negotiation: the township has recorded its joint handling, the department not yet.
  XT_ASSIGN_OR_RETURN(
      domain::Id a,
      OpenOne(svc, env, "xincheng.officer",
              DisputeOpenInput{"【演示】解放路农贸市场过期食品管辖争议", "SCJG-002", o.at("xincheng").id,
                               "解放路农贸市场内商户销售超过保质期的食品，乡镇与县市场监管局对管辖有不同意见。",
                               {{o.at("xincheng").id, "该事项未划转乡镇，应由县市场监管局管辖。"},
                                {o.at("scjg").id, "该市场属乡镇日常巡查范围，应由乡镇先行处置。"}},
                               std::nullopt}));
  XT_RETURN_IF_ERROR(Step(svc, env, "xincheng.officer", a, "joint-handling",
                          DisputeJointInput{{"陈明", "黄志强"}, "现场责令下架过期食品，登记涉事摊位。"}));
  // 2. With the coordinator: the parties could not agree.
  XT_ASSIGN_OR_RETURN(
      domain::Id b,
      OpenOne(svc, env, "liuzu.officer",
              DisputeOpenInput{"【演示】六祖镇河段取土管辖争议", "ZRZY-002", o.at("liuzu").id,
                               "六祖镇河段耕地内有人擅自挖砂取土，乡镇与县自然资源局对管辖有不同意见。",
                               {{o.at("liuzu").id, "属非法占用耕地，应由县自然资源局查处。"},
                                {o.at("zrzy").id, "现场为乡镇日常巡查范围，应由乡镇先行制止。"}},
                               std::nullopt}));
  for (const char* who : {"liuzu.officer", "zrzy.officer"}) {
    XT_RETURN_IF_ERROR(Step(svc, env, who, b, "joint-handling",
                            DisputeJointInput{{std::string(who) == "liuzu.officer" ? "李伟" : "周建国"},
                                              "会同现场制止取土，暂扣挖掘机一台。"}));
  }
  XT_RETURN_IF_ERROR(Step(svc, env, "liuzu.officer", b, "negotiation.failed",
                          DisputeStepInput{"双方在六祖镇政府协商，各执己见，未能达成一致。", std::nullopt}));
  // 3. Settled by agreement in negotiation, settling the boundary (R-DIS-3): from today the
  // matter is delegated to the township, citing the negotiation record.
  XT_ASSIGN_OR_RETURN(
      domain::Id c,
      OpenOne(svc, env, "xincheng.officer",
              DisputeOpenInput{"【演示】新城镇擅自挖掘公路查处职责争议", "JTYS-003", o.at("xincheng").id,
                               "新城镇村道与县道交汇处有人擅自挖掘公路铺设管道，乡镇与县交通运输局对由谁查处有不同意见。",
                               {{o.at("xincheng").id, "该事项尚未划转新城镇，应由县交通运输局查处。"},
                                {o.at("jtys").id, "该事项已划转六祖等镇，新城镇宜一并承接。"}},
                               std::nullopt}));
  return Step(svc, env, "jtys.officer", c, "negotiation.agreed",
              DisputeStepInput{"双方协商一致：该事项自即日起划转新城镇实施，县交通运输局提供业务指导。",
                               service::DisputeBoundaryInput{"JTYS-003", "delegate", o.at("xincheng").id,
                                                             std::nullopt,
                                                             core::ShanghaiDay(env.clock.Now())}});
}

}  // namespace xietong::cli
