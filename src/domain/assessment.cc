#include "domain/assessment.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>

namespace xietong::domain {

namespace assessment {

namespace {
using core::Result;
using core::Status;
constexpr const char* kRule = "R-ASM-1";

const std::vector<Indicator> kIndicators = {
    {"on_time_rate", "duties", "R-ASM-1", "期限履行按时率", "On-time rate of duties", true, Better::kHigh,
     "考核期内到期的期限中按时履行的比例；逾期履行和到期未履行均计为未按时（已豁免、中止的不计）"},
    {"late_met", "duties", "R-TIME-4", "逾期履行", "Duties met late", false, Better::kLow,
     "考核期内到期、超过期限才履行的期限数"},
    {"overdue_open", "duties", "R-TIME-4", "到期未履行", "Duties overdue and still open", false, Better::kLow,
     "考核期内到期、至今仍未履行的期限数（红色）"},
    {"collab_answer_on_time", "duties", "R-COL-2", "执法协作按时反馈率", "Collaboration answers on time", true,
     Better::kHigh, "考核期内到期的执法协作书面反馈期限中按时反馈的比例"},
    {"complaint_reply_on_time", "duties", "R-SYS-3", "投诉举报按时答复率", "Complaints replied on time", true,
     Better::kHigh, "考核期内到期的答复投诉举报人期限中按时答复的比例"},
    {"criminal_transfer_late", "duties", "R-CRI-1a", "涉嫌犯罪案件移送超期", "Criminal transfers late", false,
     Better::kLow, "考核期内到期的涉嫌犯罪案件移送各环节期限中逾期履行或到期未履行的数量"},
    {"extensions", "duties", "R-COL-4", "延长期限次数", "Extensions used", false, Better::kLow,
     "考核期内到期的期限被延长的次数"},
    {"referrals_sent", "referrals", "R-REF-4", "移送案件数", "Referrals sent", false, Better::kNone,
     "考核期内移送（审批后发出）的案件数"},
    {"referrals_received", "referrals", "R-REF-6", "接收移送案件数", "Referrals received", false, Better::kNone,
     "考核期内移送给本单位的案件数"},
    {"referrals_accepted", "referrals", "R-REF-6", "受理移送案件数", "Referrals accepted", false, Better::kNone,
     "考核期内移送给本单位并已受理的案件数"},
    {"referrals_declined", "referrals", "R-REF-6", "不予受理案件数", "Referrals declined", false, Better::kLow,
     "考核期内移送给本单位、本单位不予受理的案件数"},
    {"referrals_returned", "referrals", "R-REF-6", "退回移送案件数", "Referrals returned", false, Better::kNone,
     "考核期内移送给本单位、被退回的案件数"},
    {"interventions", "supervision", "R-PLN-2", "协调机构介入次数", "Coordinator interventions", false,
     Better::kLow, "考核期内依法治县办对本单位的督办次数，以及涉及本单位的职责争议协调次数"},
    {"trainings_held", "supervision", "R-GUI-2", "组织业务培训次数", "Trainings held", false, Better::kHigh,
     "考核期内本单位组织的业务培训次数（应达数量见考核方案的“满分值”）"},
    {"circulars", "supervision", "R-ASM-2", "通报批评次数", "Circulars of criticism", false, Better::kLow,
     "考核期内依法治县办对本单位的通报批评次数"},
    {"accountability", "supervision", "R-ASM-2", "问责次数", "Accountability records", false, Better::kLow,
     "考核期内对本单位的问责记录数"},
};
const std::vector<Group> kGroups = {
    {"duties", "期限履行"}, {"referrals", "案件移送"}, {"supervision", "监督与培训"}};

Status Bad(std::string field, std::string zh, std::string en) {
  return Status::Invalid(std::move(field), std::move(zh), kRule, "invalid_value").En(std::move(en));
}
std::optional<int> Num(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;
}  // namespace

std::string_view BetterName(Better b) {
  switch (b) {
    case Better::kHigh: return "high";
    case Better::kLow: return "low";
    case Better::kNone: return "none";
  }
  return "none";
}

const std::vector<Indicator>& Indicators() { return kIndicators; }
const Indicator* FindIndicator(std::string_view id) {
  for (const auto& i : kIndicators)
    if (i.id == id) return &i;
  return nullptr;
}
const std::vector<Group>& Groups() { return kGroups; }

core::Instant Period::End() const { return core::ShanghaiMidnight(to + std::chrono::days(1)); }
int Period::Year() const { return static_cast<int>(year_month_day(from).year()); }

Period MonthPeriod(int y, int m) {
  Period p;
  p.from = year_month_day(year(y), month(static_cast<unsigned>(m)), day(1));
  p.to = year_month_day_last(year(y), std::chrono::month_day_last(month(static_cast<unsigned>(m))));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  p.label = buf;
  return p;
}

Result<Period> ParsePeriod(std::string_view s) {
  const Status bad = Bad("period", "考核期应为 YYYY-MM、YYYY-Qn 或 YYYY", "period must be YYYY-MM, YYYY-Qn or YYYY");
  if (s.size() < 4) return bad;
  std::optional<int> y = Num(s.substr(0, 4));
  if (!y || *y < 2000 || *y > 2100) return bad;
  if (s.size() == 4) {
    Period p;
    p.from = year_month_day(year(*y), month(1), day(1));
    p.to = year_month_day(year(*y), month(12), day(31));
    p.label = std::string(s);
    return p;
  }
  if (s.size() == 7 && s[4] == '-' && s[5] == 'Q') {
    std::optional<int> q = Num(s.substr(6, 1));
    if (!q || *q < 1 || *q > 4) return bad;
    Period p = MonthPeriod(*y, (*q - 1) * 3 + 1);
    p.to = MonthPeriod(*y, *q * 3).to;
    p.label = std::string(s);
    return p;
  }
  if (s.size() == 7 && s[4] == '-') {
    std::optional<int> m = Num(s.substr(5, 2));
    if (!m || *m < 1 || *m > 12) return bad;
    return MonthPeriod(*y, *m);
  }
  return bad;
}

Result<Period> RangePeriod(std::string_view from, std::string_view to) {
  std::optional<core::CivilDay> f = core::ParseDay(from), t = core::ParseDay(to);
  if (!f) return Bad("from", "from 应为 YYYY-MM-DD", "from must be YYYY-MM-DD");
  if (!t) return Bad("to", "to 应为 YYYY-MM-DD", "to must be YYYY-MM-DD");
  if (*t < *f) return Bad("to", "结束日期不能早于开始日期", "to must not be before from");
  if (*t - *f > std::chrono::days(366)) return Bad("to", "考核期不能超过一年", "a period is at most one year");
  Period p;
  p.from = *f;
  p.to = *t;
  p.label = std::string(from) + "~" + std::string(to);
  return p;
}

Scheme DefaultScheme(int y) {
  return Scheme{y, 0,
                {{"on_time_rate", 40, 1.0, 0.8},
                 {"overdue_open", 15, 0, 3},
                 {"late_met", 10, 0, 5},
                 {"collab_answer_on_time", 10, 1.0, 0.8},
                 {"complaint_reply_on_time", 5, 1.0, 0.8},
                 {"criminal_transfer_late", 5, 0, 1},
                 {"trainings_held", 5, 2, 0},
                 {"circulars", 5, 0, 1},
                 {"accountability", 5, 0, 1}}};
}

Status ValidateScheme(const Scheme& s) {
  if (s.items.empty() || s.items.size() > 30) {
    return Bad("indicators", "考核方案应包含 1 至 30 项指标", "a scheme has 1 to 30 indicators");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < s.items.size(); ++i) {
    const SchemeItem& it = s.items[i];
    const std::string f = "indicators[" + std::to_string(i) + "]";
    const Indicator* ind = FindIndicator(it.id);
    if (!ind) return Bad(f + ".id", "未知指标：" + it.id, "unknown indicator: " + it.id);
    if (!seen.insert(it.id).second) return Bad(f + ".id", "指标重复：" + it.id, "indicator twice: " + it.id);
    if (!(it.weight > 0 && it.weight <= 1000)) {
      return Bad(f + ".weight", "权重应大于 0 且不超过 1000", "weight must be in (0, 1000]");
    }
    if (it.good == it.bad) return Bad(f + ".bad", "满分值与零分值不能相同", "good and bad must differ");
    const double lo = 0, hi = ind->rate ? 1.0 : 1e9;
    if (it.good < lo || it.good > hi) return Bad(f + ".good", "满分值超出范围", "good out of range");
    if (it.bad < lo || it.bad > hi) return Bad(f + ".bad", "零分值超出范围", "bad out of range");
  }
  return Status::Ok();
}

double SubScore(const SchemeItem& item, std::optional<double> value) {
  if (!value) return 100;
  if (item.good == item.bad) return *value == item.good ? 100 : 0;
  double x = (*value - item.bad) / (item.good - item.bad);
  x = std::clamp(x, 0.0, 1.0);
  return x * 100;
}

bool Failing(const SchemeItem& item, std::optional<double> value) {
  if (!value) return false;
  return item.good > item.bad ? *value <= item.bad : *value >= item.bad;
}

}  // namespace assessment

// ---- R-ASM-2 workflows --------------------------------------------------------------------------

namespace {
using W = CoordWho;
using G = CoordGuard;
constexpr int kNew = kCoordNew;

constexpr workflow::Named<int> kCircularStates[] = {{circular_state::kIssued, "issued", "已印发"}};
constexpr workflow::Named<std::string_view> kCircularActions[] = {{"create", "create", "通报批评"}};
constexpr CoordTransition kCircularRows[] = {
    {"create", kNew, circular_state::kIssued, W::kCoordinator, G::kNone,
     {.document = DocKind::kCircularOfCriticism}},
};
constexpr workflow::Named<int> kAccStates[] = {{accountability_state::kRecorded, "recorded", "已记录"}};
constexpr workflow::Named<std::string_view> kAccActions[] = {{"create", "create", "问责"}};
constexpr CoordTransition kAccRows[] = {
    {"create", kNew, accountability_state::kRecorded, W::kCoordinator, G::kNone,
     {.document = DocKind::kAccountabilityDecision}},
};

std::string_view CActionZh(std::string_view a) { return ItemActionLabel(CircularTable(), a); }
std::string_view AActionZh(std::string_view a) { return ItemActionLabel(AccountabilityTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view Rule(std::string_view) { return "R-ASM-2"; }
std::string_view CStateZh(int s) { return ItemStateLabel(CircularTable(), s); }
std::string_view CStateEn(int s) { return ItemStateName(CircularTable(), s); }
std::string_view AStateZh(int s) { return ItemStateLabel(AccountabilityTable(), s); }
std::string_view AStateEn(int s) { return ItemStateName(AccountabilityTable(), s); }
constexpr workflow::Wording<CoordTransition> kCWording{
    .action_zh = CActionZh, .action_en = ActionEn, .rule = Rule, .state_zh = CStateZh,
    .state_en = CStateEn, .who_zh = CoordWhoLabelZh, .noun_en = "circular"};
constexpr workflow::Wording<CoordTransition> kAWording{
    .action_zh = AActionZh, .action_en = ActionEn, .rule = Rule, .state_zh = AStateZh,
    .state_en = AStateEn, .who_zh = CoordWhoLabelZh, .noun_en = "accountability record"};
constexpr ItemTable kCircular{CoordType::kCircular, kCircularStates, kCircularActions, kCircularRows, kCWording};
constexpr ItemTable kAccountability{CoordType::kAccountability, kAccStates, kAccActions, kAccRows, kAWording};
}  // namespace

const ItemTable& CircularTable() { return kCircular; }
const ItemTable& AccountabilityTable() { return kAccountability; }

}  // namespace xietong::domain
