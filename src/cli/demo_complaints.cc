// Demo examples of first-contact complaints (投诉举报, R-SYS-3), through ComplaintService's real
// steps: one just registered, one forwarded by referral and awaiting the first org's reply, one
// replied on time (cli/demo_workflows.h).
#include <chrono>
#include <optional>
#include <string>

#include "cli/demo_workflows.h"
#include "service/complaint_service.h"
#include "service/matter_service.h"
#include "service/referral_service.h"

namespace xietong::cli {

namespace {
using core::Status;

// A matter the county market regulator is competent for in `township` today (for the referral).
core::Result<std::optional<std::string>> DepartmentMatter(const DemoEnv& env, domain::Id township,
                                                          domain::Id dept) {
  std::optional<std::string> out;
  const core::CivilDay today = core::ShanghaiDay(env.clock.Now());
  XT_RETURN_IF_ERROR(env.store.Read([&](storage::Tx& tx) -> Status {
    storage::MatterFilter f;
    f.owner_org_id = dept;
    f.limit = 500;
    XT_ASSIGN_OR_RETURN(std::vector<domain::Matter> ms, tx.ListMatters(f));
    for (const auto& m : ms) {
      auto c = service::MatterService::JurisdictionInTx(tx, m.code, township, today);
      if (c.ok() && c->competent_org_id == dept) {
        out = m.code;
        break;
      }
    }
    return Status::Ok();
  }));
  return out;
}
}  // namespace

Status DemoComplaints(const DemoEnv& env) {
  service::ReferralService referrals(env.store, env.clock, env.duties, env.calendar);
  service::ComplaintService complaints(env.store, env.clock, env.duties, env.calendar, referrals);
  XT_ASSIGN_OR_RETURN(service::Principal officer, env.As("xincheng.officer"));
  XT_ASSIGN_OR_RETURN(service::Principal dept_officer, env.As("scjg.officer"));
  const core::Instant now = env.clock.Now();
  using std::chrono::hours;

  // 1. Just registered (12345 hotline), awaiting investigation.
  service::ComplaintInput a;
  a.channel = "12345";
  a.complainant = "李某";
  a.contact = "139****5021";
  a.subject = "【演示】解放路夜市占道经营";
  a.place = "新城镇解放路夜市";
  a.content = "解放路夜市摊贩长期占用人行道经营，行人只能走机动车道，存在安全隐患。";
  a.received_at = now - hours(3);
  XT_RETURN_IF_ERROR(complaints.Register(officer, a).status());

  // 2. Forwarded by referral to the market regulator; the township still owes the reply.
  service::ComplaintInput b;
  b.channel = "phone";
  b.complainant = "陈某";
  b.contact = "138****7788";
  b.subject = "【演示】便利店销售过期食品";
  b.place = "新城镇东堤路便民超市";
  b.content = "在该超市购买的牛奶已过保质期，货架上仍有多件过期商品。";
  b.received_at = now - hours(50);
  XT_ASSIGN_OR_RETURN(service::ComplaintView vb, complaints.Register(officer, b));
  XT_RETURN_IF_ERROR(complaints.Act(officer, vb.item.id, "investigate",
                                    service::ComplaintActionInput{service::ComplaintFindingsInput{
                                        "经现场核实，该超市货架上确有过期乳制品，属食品安全监管事项。"}})
                         .status());
  const domain::Id township = env.dir.orgs.at("xincheng").id;
  const domain::Id scjg = env.dir.orgs.at("scjg").id;
  XT_ASSIGN_OR_RETURN(std::optional<std::string> matter, DepartmentMatter(env, township, scjg));
  if (matter) {
    service::ComplaintReferInput r;
    r.to_org = scjg;
    r.matter = *matter;
    r.township = township;
    r.note = "属县市场监管局职责，按案件移送制度移送";
    XT_RETURN_IF_ERROR(
        complaints.Act(officer, vb.item.id, "refer", service::ComplaintActionInput{r}).status());
  }

  // 3. Handled and replied on time (a department received it first).
  service::ComplaintInput c;
  c.channel = "letter";
  c.complainant = "黄某";
  c.contact = "新城镇河堤村";
  c.subject = "【演示】农贸市场缺斤少两";
  c.place = "新城镇农贸市场";
  c.content = "农贸市场部分摊位电子秤不准，购买的猪肉少了二两。";
  c.received_at = now - hours(120);
  XT_ASSIGN_OR_RETURN(service::ComplaintView vc, complaints.Register(dept_officer, c));
  XT_RETURN_IF_ERROR(complaints.Act(dept_officer, vc.item.id, "investigate",
                                    service::ComplaintActionInput{service::ComplaintFindingsInput{
                                        "抽检12台电子秤，2台计量不准。"}})
                         .status());
  XT_RETURN_IF_ERROR(complaints.Act(dept_officer, vc.item.id, "handle",
                                    service::ComplaintActionInput{service::ComplaintHandleInput{
                                        "责令摊主停用并送检计量器具", "2台电子秤已停用送检，摊主已整改"}})
                         .status());
  service::ComplaintReplyInput reply;
  reply.content = "经调查，反映情况属实，已责令相关摊位停用不准的电子秤并送检，感谢您的监督。";
  reply.channel = "phone";
  return complaints.Act(dept_officer, vc.item.id, "reply", service::ComplaintActionInput{reply}).status();
}

}  // namespace xietong::cli
