#include "domain/rules.h"

namespace xietong::domain {

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      {"R-JUR-1", "执法事项目录确定乡镇与县直部门在某日对某事项的管辖权。",
       "The catalog of enforcement matters decides jurisdiction on a date."},
      {"R-JUR-2", "目录随时间调整，已发生案件保留其发生之日的管辖。",
       "Past cases keep the jurisdiction that applied on their date."},
      {"R-TIME-1", "“N个工作日”不含法定节假日和周末，计入调休上班日；事件当日不计入。",
       "N working days skip weekends and holidays, count make-up workdays; the event day does not count."},
      {"R-TIME-2", "“24小时”自触发时刻起按自然时间计算。", "24 hours is clock time from the trigger."},
      {"R-TIME-3", "节假日安排按国务院每年公布的通知；未加载安排的年份内的期限标为暂定。",
       "Deadlines in a year without a loaded holiday schedule are provisional."},
      {"R-TIME-4", "每项有期限的职责均被跟踪：绿（正常）、黄（一个工作日内到期）、红（超期）。",
       "Every duty is tracked: green, yellow (due within one working day), red (overdue)."},
      {"R-TIME-5", "以日计算的期间至最后一日24时止；最后一日为法定节假日的，顺延至节假日后第一日。",
       "Calendar-day periods end at 24:00 of the last day, moved past a holiday."},
      {"R-REF-1", "发现违法行为属于对方管辖的，应移送有管辖权的一方。",
       "A violation under the other party's jurisdiction is referred to it."},
      {"R-REF-2", "案件移送应以县直执法部门、乡镇综合行政执法部门的名义进行，不得以派出机构或内设机构的名义移送。",
       "Referrals are made in the name of the department or township office, never of a unit."},
      {"R-REF-3", "移送应做到事实清楚、证据齐全、程序合法、手续完备，经部门领导批准、书面移送。",
       "Facts clear, evidence complete, procedure lawful, formalities complete; leader-approved, in writing."},
      {"R-REF-4", "应在法定期限内移送；无规定的，3个工作日内移送；情况紧急的，24小时内移送。",
       "Refer within the statutory period, else 3 working days; urgent cases within 24 hours."},
      {"R-REF-5", "发现违法行为正在进行的，应立即劝阻并及时书面告知有管辖权的执法单位。",
       "An ongoing violation: dissuade at once and notify the competent unit in writing."},
      {"R-REF-6", "接收方应在5个工作日内书面告知移送部门受理情况。",
       "The receiver tells the sender in writing whether it accepted within 5 working days."},
      {"R-REF-7", "有管辖权的一方接到告知后拒不参与的，可要求县委依法治县办协调。",
       "If the competent party refuses, the sender may ask the coordinator to coordinate."},
      {"R-REF-8", "案件移送相互抄告。", "Referrals are copied both ways."},
      {"R-COL-1", "乡镇需要认定、技术鉴定或咨询意见的，向县直执法部门提交执法协作文书。",
       "A township asks a department for a determination, appraisal or opinion in writing."},
      {"R-COL-2", "县直执法部门应自收到执法协作文书后3个工作日内书面反馈。",
       "Written answer within 3 working days of receipt."},
      {"R-COL-3", "情况紧急或证据可能灭失的，县直执法部门应及时派员现场处置。",
       "Urgent or evidence at risk: the department sends staff on site at once."},
      {"R-COL-4", "需技术鉴定、情况复杂的，可适当延长反馈期限。",
       "Technical appraisal or complex case: the deadline may be extended."},
      {"R-COL-5", "乡镇发现重大安全隐患、违法行为多发领域的，应及时通报县直执法部门。",
       "Major hazards or frequent violations are notified to the department, which acts."},
      {"R-COL-6", "对重大案件线索，乡镇可会同县直执法部门召开专题会议。",
       "Major case leads: a special meeting may be convened."},
      {"R-COL-7", "县直执法部门需要乡镇参与的，应书面告知；紧急的可先电话告知，事后补办书面手续。",
       "Participation requests are written; urgent ones by phone first, written afterwards."},
      {"R-COL-8", "乡镇发现重大治安、安全违法行为的，应立即通知有关部门，部门应立即派员。",
       "Major public-order or safety violations: notify at once; the department dispatches at once."},
      {"R-CRI-1a", "涉嫌犯罪案件：3日内作出批准移送决定，批准后24小时内移送公安机关。",
       "Suspected crimes: decide within 3 days, transfer to the police within 24 hours."},
      {"R-CRI-1", "涉嫌犯罪案件应移送司法机关，不得以行政处罚代替刑事处罚；移送未了结前不得仅以行政处罚结案。",
       "Suspected crimes go to the judicial organs; no penalty instead of the criminal route while the transfer is open."},
      {"R-CRI-2", "公安机关认为没有犯罪事实或不需追究刑事责任的，将案件移回乡镇依法作出行政处理。",
       "Police that find no criminal liability return the case for administrative handling."},
      {"R-CRI-3", "当事人拒不履行行政决定的，由乡镇依法强制执行或申请人民法院强制执行。",
       "A party that does not comply: the township enforces it or applies to the court."},
      {"R-CRI-4", "公安机关依申请为执法行动提供协助；以暴力、威胁方法阻碍执法的，移交公安机关处理。",
       "Police support on request; violent obstruction is handed to the police."},
      {"R-CRI-5", "与公安、检察、审判机关信息共享、案情通报；司法机关仅可见移送或抄送本机关的案件。",
       "Information sharing with police, procuratorate and court; they see only what is addressed to them."},
      {"R-DIS-1", "职责分工存在争议的，先协同处置违法行为。",
       "While jurisdiction is disputed the violation is handled jointly first."},
      {"R-DIS-2", "争议各方先协商；协商不成的由县委依法治县办协调；协调不成的报县人民政府决定；不得越级，每一步及其结果均有记录。",
       "Negotiate, then the coordinator coordinates, then the County Government decides; no step skipped."},
      {"R-DIS-3", "厘清职责边界的决定自其生效之日起更新执法事项目录。",
       "A decision settling a boundary updates the catalog from its date."},
      {"R-SYS-3", "首问责任：首个接到投诉举报的单位负责登记、调查、处理并答复投诉人；需移送的依法移送，答复仍由其负责。",
       "First-contact responsibility: the first unit registers, investigates, handles and replies; referral does not end its reply."},
      {"R-PLN-2", "县委依法治县办对乡镇执法工作统一协调指挥、统一考核监督，可向任一单位交办任务。",
       "The coordinator coordinates, commands and supervises, and may assign a task to any org."},
      {"R-AUD-1", "每项变更均被记录（何人、何时、何事、何机构），记录不可被篡改而不被发现。",
       "Every change is recorded and cannot be altered without detection."},
      {"R-ACC-1", "机构可见本机构的工作及发给或抄送本机构的事项；依法治县办可见全部。",
       "An org sees its own work and what is addressed or copied to it; the coordinator sees all."},
      {"R-SYS-2", "各乡镇和部门应确定联合执法联络人。", "Every org names a liaison."},
  };
  return kRules;
}

const Rule* FindRule(std::string_view id) {
  for (const auto& r : Rules())
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace xietong::domain
