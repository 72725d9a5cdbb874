// Demo examples of guidance, training and technical support (R-GUI-1..3), through
// GuidanceService's real steps: 市场监管局 held two trainings in 2026 (green), 自然资源局 one (yellow
// from 1 December); a guidance request scheduled; a technical support request answered by
// dispatch; a township's procurement from a testing institution.
#include <chrono>

#include "cli/demo_workflows.h"
#include "service/coord_item_service.h"
#include "service/guidance_service.h"

namespace xietong::cli {

core::Status DemoGuidance(const DemoEnv& env) {
  using domain::CoordType;
  service::CoordItemService items(env.store, env.clock, env.duties, env.calendar);
  service::GuidanceService g(env.store, env.clock, env.duties, items);
  const core::CivilDay today = core::ShanghaiDay(env.clock.Now());
  const int year = static_cast<int>(std::chrono::year_month_day(today).year());
  auto org = [&](const char* code) { return env.dir.orgs.at(code).id; };
  auto user = [&](const char* name) { return env.dir.users.at(name); };
  XT_ASSIGN_OR_RETURN(service::Principal scjg, env.As("scjg.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal zrzy, env.As("zrzy.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal xc, env.As("xincheng.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal lz, env.As("liuzu.officer"));

  // R-GUI-2: trainings held (closed with attendance).
  auto training = [&](const service::Principal& by, const std::string& topic, unsigned month, unsigned day,
                      double hours, std::vector<domain::Id> attended) -> core::Status {
    service::TrainingInput in;
    in.title = topic;
    in.date = std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month), std::chrono::day(day));
    in.place = "县行政服务中心三楼会议室";
    in.hours = hours;
    in.trainers = {"王明", "李华"};
    in.invited_orgs = {org("xincheng"), org("liuzu")};
    in.attendees = attended;
    in.content = "【演示】执法程序、文书制作与案例讲评";
    XT_ASSIGN_OR_RETURN(service::CoordItemView t, g.Create(by, CoordType::kTraining, service::GuidanceCreateInput(in)));
    XT_RETURN_IF_ERROR(g.Act(by, CoordType::kTraining, t.item.id, "attendance",
                             service::GuidanceStepInput(service::TrainingAttendanceInput{attended})).status());
    return g.Act(by, CoordType::kTraining, t.item.id, "close",
                 service::GuidanceStepInput(service::GuidanceTextInput{"培训已按计划完成。"})).status();
  };
  XT_RETURN_IF_ERROR(training(scjg, "食品安全行政执法业务培训", 4, 16, 4,
                              {user("xincheng.officer"), user("liuzu.officer")}));
  XT_RETURN_IF_ERROR(training(scjg, "市场监管执法文书规范培训", 9, 10, 3, {user("xincheng.officer")}));
  XT_RETURN_IF_ERROR(training(zrzy, "违法占地查处业务培训", 6, 20, 2.5,
                              {user("xincheng.officer"), user("xincheng.liaison"), user("liuzu.officer")}));

  // R-GUI-1: a guidance request scheduled.
  service::GuidanceRequestInput gr;
  gr.kind = "onsite";
  gr.to_org = org("scjg");
  gr.question = "【演示】农贸市场食品经营户日常检查的要点和文书制作，请派员现场指导";
  gr.wished_date = today + std::chrono::days(7);
  XT_ASSIGN_OR_RETURN(service::CoordItemView r, g.Create(xc, CoordType::kGuidanceRequest, service::GuidanceCreateInput(gr)));
  service::GuidanceScheduleInput sch{today + std::chrono::days(5), "新城镇农贸市场", {"王明"}, "请准备近期检查记录。"};
  XT_RETURN_IF_ERROR(g.Act(scjg, CoordType::kGuidanceRequest, r.item.id, "schedule", service::GuidanceStepInput(sch)).status());
  // One awaiting the department's answer.
  gr.kind = "consultation";
  gr.to_org = org("zrzy");
  gr.question = "【演示】临时用地到期未恢复的认定与处理";
  gr.wished_date.reset();
  XT_RETURN_IF_ERROR(g.Create(lz, CoordType::kGuidanceRequest, service::GuidanceCreateInput(gr)).status());

  // R-GUI-3: a request answered by dispatch, and a procurement.
  service::TechSupportInput ts;
  ts.to_org = org("scjg");
  ts.subject = "【演示】散装白酒甲醇含量快速检测";
  ts.sample = "散装白酒3份";
  ts.urgency = "urgent";
  XT_ASSIGN_OR_RETURN(service::CoordItemView s, g.Create(lz, CoordType::kTechSupport, service::GuidanceCreateInput(ts)));
  service::TechAnswerInput ans{"dispatch", "派快检车及检测人员2名到场检测", today + std::chrono::days(1), {"赵强", "钱亮"}};
  XT_RETURN_IF_ERROR(g.Act(scjg, CoordType::kTechSupport, s.item.id, "answer", service::GuidanceStepInput(ans)).status());
  service::TechSupportInput pr;
  pr.procurement = true;
  pr.subject = "【演示】河道水样重金属检测";
  pr.sample = "水样6份";
  pr.institution = "新兴县检验检测中心";
  pr.contract_number = "XJ-2026-031";
  pr.amount = 4800;
  pr.result = "铅、镉含量均未超标";
  return g.Create(xc, CoordType::kTechSupport, service::GuidanceCreateInput(pr)).status();
}

}  // namespace xietong::cli
