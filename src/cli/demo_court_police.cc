// Demo examples of court enforcement (R-CRI-3) and police support (R-CRI-4), through
// CourtPoliceService's real steps: an application the court accepted, granted and saw executed;
// one awaiting the court's acceptance; a township's own compulsory enforcement; a police support
// request answered, and one awaiting the police's answer.
#include <chrono>

#include "cli/demo_workflows.h"
#include "service/coord_item_service.h"
#include "service/court_police_service.h"

namespace xietong::cli {

core::Status DemoCourtPolice(const DemoEnv& env) {
  using domain::CoordType;
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  service::CourtPoliceService cp(env.store, env.clock, env.duties, items);
  const auto now = env.clock.Now();
  auto org = [&](const char* code) { return env.dir.orgs.at(code).id; };
  XT_ASSIGN_OR_RETURN(service::Principal xc, env.As("xincheng.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal scjg, env.As("scjg.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal fy, env.As("fy.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal gaj, env.As("gaj.officer"));

  auto application = [&](const std::string& party, const std::string& decision) {
    service::CourtEnforcementInput in;
    in.to_org = org("fy");
    in.case_number = "【演示】" + decision + "案";
    in.decision_number = decision;
    in.party = party;
    in.obligations = "拆除违法搭建的彩钢棚，罚款人民币二万元";
    in.non_compliance = "催告期满后仍未履行，未申请行政复议或提起行政诉讼";
    return service::CourtPoliceCreateInput(std::move(in));
  };
  // Applied, accepted, granted, executed.
  XT_ASSIGN_OR_RETURN(service::CoordItemView a,
                      cp.Create(xc, CoordType::kCourtEnforcement,
                                application("新兴县某建材有限公司", "新城执罚决〔2026〕3号")));
  const domain::Id id = a.item.id;
  XT_RETURN_IF_ERROR(cp.Act(fy, CoordType::kCourtEnforcement, id, "accept",
                            service::CourtPoliceStepInput(service::CourtAcceptInput{"（2026）新法行审1号", "材料齐全"}))
                         .status());
  XT_RETURN_IF_ERROR(cp.Act(fy, CoordType::kCourtEnforcement, id, "ruling.granted",
                            service::CourtPoliceStepInput(service::CourtRulingInput{
                                "（2026）新法行审1号", env.clock.Now(), "准予强制执行新城执罚决〔2026〕3号行政处罚决定"}))
                         .status());
  XT_RETURN_IF_ERROR(cp.Act(xc, CoordType::kCourtEnforcement, id, "execution",
                            service::CourtPoliceStepInput(service::CourtExecutionInput{"违法建筑已依法拆除，罚款已划扣", std::nullopt}))
                         .status());
  // Awaiting the court's acceptance.
  XT_RETURN_IF_ERROR(cp.Create(scjg, CoordType::kCourtEnforcement,
                               application("张某某（个体工商户）", "新市监罚决〔2026〕21号"))
                         .status());
  // Own compulsory enforcement.
  service::CourtEnforcementInput self;
  self.self = true;
  self.case_number = "【演示】新城执罚〔2026〕5号案";
  self.decision_number = "新城执罚决〔2026〕5号";
  self.party = "李某某";
  self.obligations = "清除占道堆放的建筑材料";
  self.non_compliance = "限期届满仍未清除";
  self.measure = "代履行：组织清除占道堆放的建筑材料";
  self.enforced_at = now - std::chrono::hours(24);
  self.result = "已清除完毕，代履行费用由当事人承担";
  XT_RETURN_IF_ERROR(cp.Create(xc, CoordType::kCourtEnforcement, service::CourtPoliceCreateInput(self)).status());

  auto request = [&](const std::string& place, int hours_ahead) {
    service::PoliceSupportInput in;
    in.to_org = org("gaj");
    in.action_at = now + std::chrono::hours(hours_ahead);
    in.place = place;
    in.reason = "依法强制拆除违法建筑";
    in.risk = "当事人曾扬言阻挠，现场可能聚集人员";
    return service::CourtPoliceCreateInput(std::move(in));
  };
  XT_ASSIGN_OR_RETURN(service::CoordItemView r, cp.Create(xc, CoordType::kPoliceSupport, request("新城镇东堤路18号", 48)));
  service::PoliceAnswerInput assist;
  assist.officers = 4;
  assist.contact = "新城派出所 王警官";
  XT_RETURN_IF_ERROR(cp.Act(gaj, CoordType::kPoliceSupport, r.item.id, "answer.assist",
                            service::CourtPoliceStepInput(assist))
                         .status());
  return cp.Create(scjg, CoordType::kPoliceSupport, request("新兴县城南农贸市场", 72)).status();
}

}  // namespace xietong::cli
