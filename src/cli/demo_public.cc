// Demo notices to the public (R-ASM-3, issue 14) through the service's real steps: a 普法宣传
// article and an 执法公告 published (shown on /public), and a draft still being written.
#include "cli/demo_workflows.h"
#include "service/coord_item_service.h"
#include "service/public_service.h"

namespace xietong::cli {

core::Status DemoPublic(const DemoEnv& env) {
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  // The demo never prints a verification code: no secret needed here.
  service::PublicService pub(env.store, env.clock, env.duties, items, service::PublicOptions{});
  XT_ASSIGN_OR_RETURN(service::Principal coord, env.As("coordinator.staff"));
  const service::PublicNoticeInput notices[] = {
      {"legal_education", "【演示】普法宣传：流动摊贩须办理食品摊贩登记卡",
       "根据《广东省食品生产加工小作坊和食品摊贩管理条例》，食品摊贩应当向所在地乡镇人民政府（街道办事处）办理登记卡后方可经营。\n"
       "未办理登记卡从事食品摊贩经营的，由乡镇综合行政执法办公室责令改正，给予警告；拒不改正的，依法处以罚款。\n"
       "办理登记卡请携带身份证、健康证明和经营场所说明，到镇政府政务服务窗口申请，当场办结。"},
      {"enforcement_announcement", "【演示】关于开展东堤北路占道经营集中整治的公告",
       "为维护城市道路通行秩序，新城镇将于2026年12月1日至12月31日在东堤北路沿线开展占道经营集中整治。\n"
       "请沿线经营户自觉将经营活动退入店内，不得占用人行道和机动车道摆卖。\n"
       "整治期间，执法人员将依法查处占道经营行为。特此公告。"},
  };
  for (const auto& in : notices) {
    XT_ASSIGN_OR_RETURN(service::CoordItemView v, pub.Create(coord, in));
    XT_RETURN_IF_ERROR(pub.Publish(coord, v.item.id).status());
  }
  return pub.Create(coord, service::PublicNoticeInput{"legal_education", "【演示】普法宣传：违法建设的认定与查处（草稿）",
                                                      "本文仍在修改中，发布前不对外公开。"})
      .status();
}

}  // namespace xietong::cli
