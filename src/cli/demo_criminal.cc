// Demo examples of criminal transfers (行刑衔接, R-CRI-1a, R-CRI-2): one awaiting the head's
// decision (新城镇), one at the police (县市场监管局), one returned for administrative handling
// (六祖镇), each through CriminalTransferService's real steps.
#include "cli/demo_workflows.h"
#include "service/coord_item_service.h"
#include "service/criminal_transfer_service.h"

namespace xietong::cli {

core::Status DemoCriminal(const DemoEnv& env) {
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  service::CriminalTransferService transfers(env.store, env.clock, env.duties, env.calendar, items);
  const domain::Id police = env.dir.orgs.at("gaj").id;
  const domain::Id procuratorate = env.dir.orgs.at("jcy").id;
  auto report = [&](const std::string& who, service::CrimeReportInput in) -> core::Result<domain::Id> {
    XT_ASSIGN_OR_RETURN(service::Principal p, env.As(who));
    in.police_org = police;
    in.procuratorate_org = procuratorate;
    XT_ASSIGN_OR_RETURN(service::CoordItemView v, transfers.Create(p, in));
    return v.item.id;
  };
  auto act = [&](const std::string& who, domain::Id id, const char* action,
                 service::CrimeStepInput in = {}) -> core::Status {
    XT_ASSIGN_OR_RETURN(service::Principal p, env.As(who));
    return transfers.Act(p, id, action, in).status();
  };

  // 1. Awaiting the head (3 days, R-CRI-1a).
  XT_RETURN_IF_ERROR(report("xincheng.officer",
                            {.case_number = "新城综执〔2026〕88号",
                             .title = "【演示】新城镇某卤味作坊涉嫌生产有毒有害食品案",
                             .facts = "执法人员检查发现该作坊在卤制品中添加工业染料，现场查扣成品120公斤。",
                             .offence = "生产、销售有毒、有害食品罪",
                             .amount = "涉案货值约8.6万元",
                             .penalty = "已责令停产停业",
                             .materials = {{.name = "调查报告"}, {.name = "查扣物品清单"}}})
                         .status());

  // 2. At the police: approved, transferred, copied to the procuratorate; the police owe the
  //    receipt.
  XT_ASSIGN_OR_RETURN(domain::Id at_police,
                      report("scjg.officer",
                             {.case_number = "新市监立〔2026〕215号",
                              .title = "【演示】某商行涉嫌销售假冒注册商标的商品案",
                              .facts = "查获假冒知名品牌白酒360瓶，经权利人鉴定均为假冒。",
                              .offence = "销售假冒注册商标的商品罪",
                              .amount = "非法经营额约12.4万元",
                              .materials = {{.name = "涉嫌犯罪案件移送书附件：鉴定意见"},
                                            {.name = "查扣物品清单"}}}));
  XT_RETURN_IF_ERROR(act("scjg.leader", at_police, "approve", {.text = "同意移送公安机关"}));
  XT_RETURN_IF_ERROR(act("scjg.officer", at_police, "transfer"));

  // 3. Returned (R-CRI-2): refused, challenged, upheld, returned for administrative handling.
  XT_ASSIGN_OR_RETURN(domain::Id returned,
                      report("liuzu.officer",
                             {.title = "【演示】六祖镇某砂场涉嫌非法采矿案",
                              .facts = "在西江河段无证采砂，现场查扣采砂船1艘。",
                              .offence = "非法采矿罪",
                              .amount = "采砂约800立方米"}));
  XT_RETURN_IF_ERROR(act("liuzu.leader", returned, "approve"));
  XT_RETURN_IF_ERROR(act("liuzu.officer", returned, "transfer"));
  XT_RETURN_IF_ERROR(act("gaj.officer", returned, "receipt"));
  XT_RETURN_IF_ERROR(act("gaj.leader", returned, "refuse-case", {.text = "经审查，采砂量未达到立案追诉标准"}));
  XT_RETURN_IF_ERROR(act("liuzu.leader", returned, "reconsider", {.text = "另有夜间采砂记录未计入"}));
  XT_RETURN_IF_ERROR(act("gaj.leader", returned, "uphold-refusal", {.text = "补充记录仍未达到追诉标准"}));
  return act("gaj.officer", returned, "return", {.text = "不需要追究刑事责任，移回依法作出行政处理"});
}

}  // namespace xietong::cli
