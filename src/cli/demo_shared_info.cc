// Demo examples of shared information (R-INF-1..3) through the services' real steps: a material
// published to two townships, acknowledged by 新城镇 and pending at 六祖镇; a few approvals in
// 新城镇's feed (one assigned, two by address); a penalty filing acknowledged by the department
// owning the matter, and one awaiting acknowledgement.
#include "cli/demo_workflows.h"
#include "service/approval_service.h"
#include "service/coord_item_service.h"
#include "service/shared_info_service.h"

namespace xietong::cli {

core::Status DemoSharedInfo(const DemoEnv& env) {
  using domain::CoordType;
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  service::SharedInfoService info(env.store, env.clock, env.duties, items);
  service::ApprovalService approvals(env.store, env.clock);
  auto org = [&](const char* code) { return env.dir.orgs.at(code).id; };
  XT_ASSIGN_OR_RETURN(service::Principal xc, env.As("xincheng.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal scjg, env.As("scjg.officer"));

  // R-INF-1: published to 新城镇 and 六祖镇; 新城镇 acknowledged.
  service::MaterialInput m;
  m.kind = "normative_document";
  m.title = "【演示】关于规范食品摊贩登记管理的通知";
  m.issuer = "新兴县市场监督管理局";
  m.effective_date = "2026-12-01";
  m.description = "明确乡镇综合行政执法办公室办理食品摊贩登记卡的条件、程序和监督检查要求。";
  m.to_orgs = {org("xincheng"), org("liuzu")};
  XT_ASSIGN_OR_RETURN(service::CoordItemView pub, info.Publish(scjg, m));
  XT_RETURN_IF_ERROR(info.Act(xc, CoordType::kMaterial, pub.item.id, "acknowledge",
                              service::SharedInfoStepInput(service::AcknowledgeInput{"已组织全体执法人员学习"}))
                         .status());

  // R-INF-2: approvals in 新城镇's feed.
  const std::string csv =
      "行政相对人名称,统一社会信用代码,许可决定文书号,许可类别,许可内容,许可决定日期,有效期自,有效期至,许可机关,地址,所属乡镇\n"
      "新兴县新城镇好味餐饮店,92445321MA4X0A1B2C,新市监食许〔2026〕101号,食品经营许可,餐饮服务（热食类食品制售）,2026-11-18,2026-11-18,2031-11-17,新兴县市场监督管理局,新兴县新城镇东堤路18号,\n"
      "新兴县鸿运建材有限公司,91445321MA4Y1C2D3E,新自然资许〔2026〕55号,临时用地许可,临时堆放建筑材料,2026-11-20,2026-11-20,2027-05-19,新兴县自然资源局,新兴县新城镇工业大道2号,\n"
      "陈某某,,新市监食许〔2026〕102号,食品摊贩登记,早餐食品现场制售,2026-11-21,2026-11-21,2027-11-20,新兴县市场监督管理局,新兴县城南市场外侧摊位,新城镇\n"
      "新兴县六祖镇山泉饮品店,92445321MA4Z2E3F4G,新市监食许〔2026〕103号,食品经营许可,预包装食品销售,2026-11-19,2026-11-19,2031-11-18,新兴县市场监督管理局,新兴县六祖镇龙山路5号,\n";
  XT_RETURN_IF_ERROR(approvals.ImportCsv(scjg, csv).status());

  // R-INF-3: a filing acknowledged by 市场监管局, and one awaiting acknowledgement.
  service::PenaltyFilingInput f;
  f.decision_number = "新城执罚决〔2026〕8号";
  f.party = "王某某（流动摊贩）";
  f.matter_code = "SCJG-003";
  f.facts = "未办理食品摊贩登记卡在新城镇东堤路从事早餐食品经营";
  f.penalty = "警告，罚款人民币五百元";
  f.amount = 500;
  f.decision_date = core::FormatDay(core::ShanghaiDay(env.clock.Now()));
  XT_ASSIGN_OR_RETURN(service::CoordItemView filed, info.File(xc, f));
  XT_RETURN_IF_ERROR(info.Act(scjg, CoordType::kPenaltyFiling, filed.item.id, "acknowledge",
                              service::SharedInfoStepInput(service::AcknowledgeInput{"已备案"}))
                         .status());
  f.decision_number = "新城执罚决〔2026〕9号";
  f.party = "新兴县某商行";
  f.matter_code = "SCJG-001";
  f.facts = "未取得营业执照从事日用百货经营";
  f.penalty = "责令停止经营，罚款人民币一千元";
  f.amount = 1000;
  return info.File(xc, f).status();
}

}  // namespace xietong::cli
