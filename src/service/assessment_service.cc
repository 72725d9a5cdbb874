#include "service/assessment_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/time.h"
#include "domain/coord_items.h"
#include "domain/referral.h"
#include "service/audit_log.h"
#include "service/csv.h"
#include "service/workflow/items.h"

namespace xietong::service {

namespace json = boost::json;
namespace as = domain::assessment;
using core::Instant;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;

namespace {

constexpr const char* kRule = "R-ASM-1";
constexpr const char* kRule2 = "R-ASM-2";

bool Assessed(const domain::Org& o) {
  using K = domain::OrgKind;
  return o.active && (o.kind == K::kTownship || o.kind == K::kCountyDepartment ||
                      o.kind == K::kPolice || o.kind == K::kProcuratorate || o.kind == K::kCourt);
}
// The ranking group of an org: townships, departments, judicial orgs.
int RankGroup(domain::OrgKind k) {
  if (k == domain::OrgKind::kTownship) return 1;
  if (k == domain::OrgKind::kCountyDepartment) return 2;
  return 3;
}

std::string ObjectPath(const std::string& type, const std::string& id) {
  if (type == "referral") return "/referrals/" + id;
  if (type == "collaboration") return "/collaborations/" + id;
  for (CoordType ct : domain::kAllItemTypes)
    if (domain::CoordTypeName(ct) == type) return "/" + std::string(domain::CoordTypePath(ct)) + "/" + id;
  return "";
}

double Round1(double x) { return std::round(x * 10) / 10; }
double Round4(double x) { return std::round(x * 10000) / 10000; }

Status NoOrg() { return Status::NotFound("org", "单位不存在").En("No such org"); }
Status DeniedAll() {
  return Status::Denied("仅县委依法治县办、审计人员和管理员可以查看全县考核", kRule)
      .En("Only the coordinator, auditors and administrators see the whole county's assessment");
}

// A fact counts in `id`'s list.
void Add(OrgAssessment& o, const std::string& id, AssessmentFact f) { o.facts[id].push_back(std::move(f)); }

// Values from the facts: rates = on time ÷ counted; counts = the facts (extensions: their times).
void Derive(OrgAssessment& o) {
  for (const auto& ind : as::Indicators()) {
    AssessmentValue v;
    auto it = o.facts.find(std::string(ind.id));
    const std::vector<AssessmentFact> none;
    const std::vector<AssessmentFact>& fs = it == o.facts.end() ? none : it->second;
    if (ind.rate) {
      v.den = static_cast<int64_t>(fs.size());
      for (const auto& f : fs) v.num += f.counted == "on_time" ? 1 : 0;
      if (v.den > 0) v.value = Round4(static_cast<double>(v.num) / static_cast<double>(v.den));
    } else {
      int64_t n = 0;
      for (const auto& f : fs) n += f.times;
      v.num = n;
      v.value = static_cast<double>(n);
    }
    o.values[std::string(ind.id)] = v;
  }
}

void Score(OrgAssessment& o, const as::Scheme& s) {
  double sum = 0, w = 0;
  o.breakdown.clear();
  for (const auto& item : s.items) {
    AssessmentBreakdown b;
    b.item = item;
    b.value = o.values[item.id].value;
    b.points = Round1(as::SubScore(item, b.value));
    b.failing = as::Failing(item, b.value);
    sum += item.weight * as::SubScore(item, b.value);
    w += item.weight;
    o.breakdown.push_back(b);
  }
  o.score = w > 0 ? Round1(sum / w) : 100;
}

void Rank(std::vector<OrgAssessment>& orgs) {
  for (int g = 1; g <= 3; ++g) {
    std::vector<OrgAssessment*> grp;
    for (auto& o : orgs)
      if (RankGroup(o.org.kind) == g) grp.push_back(&o);
    std::stable_sort(grp.begin(), grp.end(),
                     [](const OrgAssessment* a, const OrgAssessment* b) { return a->score > b->score; });
    for (size_t i = 0; i < grp.size(); ++i) {
      grp[i]->rank = (i > 0 && grp[i]->score == grp[i - 1]->score) ? grp[i - 1]->rank : static_cast<int>(i) + 1;
    }
  }
}

json::value Opt(const std::optional<Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}
json::value Opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

Result<as::Scheme> SchemeFromJson(int year, int version, const std::string& data) {
  as::Scheme s;
  s.year = year;
  s.version = version;
  json::value v = json::parse(data);
  for (const auto& i : v.as_object().at("indicators").as_array()) {
    const json::object& o = i.as_object();
    s.items.push_back({std::string(o.at("id").as_string()), o.at("weight").to_number<double>(),
                       o.at("good").to_number<double>(), o.at("bad").to_number<double>()});
  }
  return s;
}

Result<SchemeView> CurrentScheme(storage::Tx& tx, int year) {
  XT_ASSIGN_OR_RETURN(std::optional<storage::AssessmentSchemeRow> row, tx.LatestAssessmentScheme(year));
  SchemeView v;
  if (!row) {
    v.scheme = as::DefaultScheme(year);
    return v;
  }
  XT_ASSIGN_OR_RETURN(v.scheme, SchemeFromJson(row->year, row->version, row->data));
  v.id = row->id;
  v.created_at = row->created_at;
  v.created_by = row->created_by;
  return v;
}

std::string SchemeData(const as::Scheme& s) {
  json::array items;
  for (const auto& i : s.items)
    items.push_back(json::object{{"id", i.id}, {"weight", i.weight}, {"good", i.good}, {"bad", i.bad}});
  return json::serialize(json::object{{"indicators", std::move(items)}});
}

Result<domain::Org> CoordinatorOrg(storage::Tx& tx, const Principal& p) {
  if (p.org.kind == domain::OrgKind::kCoordinator) return p.org;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  for (const auto& o : orgs)
    if (o.kind == domain::OrgKind::kCoordinator && o.active) return o;
  return p.org;
}

std::string Percent(const std::optional<double>& v) {
  if (!v) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
  return buf;
}
std::string Num(double v) {
  char buf[32];
  if (v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

// ---- JSON ---------------------------------------------------------------------------------------

json::object SchemeJson(const as::Scheme& s) {
  json::array items;
  for (const auto& i : s.items) {
    const as::Indicator* ind = as::FindIndicator(i.id);
    items.push_back(json::object{{"id", i.id},
                                 {"label", ind ? ind->label_zh : ""},
                                 {"rule", ind ? ind->rule : ""},
                                 {"weight", i.weight},
                                 {"good", i.good},
                                 {"bad", i.bad}});
  }
  return json::object{{"year", s.year}, {"version", s.version}, {"indicators", std::move(items)}};
}

json::object AssessmentJson(const Assessment& a) {
  json::array cat;
  for (const auto& i : as::Indicators()) {
    cat.push_back(json::object{{"id", i.id},
                               {"group", i.group},
                               {"rule", i.rule},
                               {"label", i.label_zh},
                               {"label_en", i.label_en},
                               {"rate", i.rate},
                               {"better", as::BetterName(i.better)},
                               {"explain", i.explain_zh}});
  }
  json::array orgs;
  for (const auto& o : a.orgs) {
    json::object values;
    for (const auto& [id, v] : o.values)
      values[id] = json::object{{"value", Opt(v.value)}, {"num", v.num}, {"den", v.den}};
    json::array breakdown;
    for (const auto& b : o.breakdown) {
      breakdown.push_back(json::object{{"id", b.item.id},
                                       {"weight", b.item.weight},
                                       {"good", b.item.good},
                                       {"bad", b.item.bad},
                                       {"value", Opt(b.value)},
                                       {"points", b.points},
                                       {"failing", b.failing}});
    }
    json::array kinds;
    for (const auto& k : o.kinds) {
      kinds.push_back(json::object{{"kind", k.kind},
                                   {"rule", k.rule},
                                   {"label", k.label},
                                   {"counted", k.counted},
                                   {"on_time", k.on_time},
                                   {"late", k.late},
                                   {"overdue", k.overdue}});
    }
    orgs.push_back(json::object{
        {"org", json::object{{"id", o.org.id},
                             {"code", o.org.code},
                             {"name", o.org.name},
                             {"short_name", o.org.short_name},
                             {"kind", domain::OrgKindName(o.org.kind)}}},
        {"score", o.score},
        {"rank", o.rank},
        {"values", std::move(values)},
        {"breakdown", std::move(breakdown)},
        {"kinds", std::move(kinds)}});
  }
  return json::object{
      {"period", json::object{{"label", a.period.label},
                              {"from", core::FormatDay(a.period.from)},
                              {"to", core::FormatDay(a.period.to)}}},
      {"scheme", SchemeJson(a.scheme)},
      {"computed_at", core::FormatInstant(a.computed_at)},
      {"indicators", std::move(cat)},
      {"orgs", std::move(orgs)}};
}

std::vector<AssessmentTable> AssessmentTables(const Assessment& a) {
  std::vector<AssessmentTable> out;
  auto head = [](std::vector<std::string> cols) { return CsvRow(std::span<const std::string>(cols)); };
  {
    std::vector<std::string> cols{"单位", "类别", "得分", "名次"};
    for (const auto& i : a.scheme.items) {
      const as::Indicator* ind = as::FindIndicator(i.id);
      cols.push_back(std::string(ind ? ind->label_zh : i.id) + "（权重" + Num(i.weight) + "）");
    }
    std::string csv(kCsvBom);
    csv += head(cols);
    for (const auto& o : a.orgs) {
      std::vector<std::string> row{o.org.name, std::string(domain::OrgKindLabelZh(o.org.kind)),
                                   Num(o.score), std::to_string(o.rank)};
      for (const auto& b : o.breakdown) row.push_back(Num(b.points));
      csv += CsvRow(std::span<const std::string>(row));
    }
    out.push_back({"综合得分", std::move(csv)});
  }
  for (const auto& g : as::Groups()) {
    std::vector<std::string> cols{"单位"};
    std::vector<const as::Indicator*> inds;
    for (const auto& i : as::Indicators())
      if (i.group == g.id) {
        inds.push_back(&i);
        cols.push_back(std::string(i.label_zh) + "（" + std::string(i.rule) + "）");
      }
    std::string csv(kCsvBom);
    csv += head(cols);
    for (const auto& o : a.orgs) {
      std::vector<std::string> row{o.org.name};
      for (const as::Indicator* i : inds) {
        const AssessmentValue& v = o.values.at(std::string(i->id));
        row.push_back(i->rate ? Percent(v.value) + "（" + std::to_string(v.num) + "/" + std::to_string(v.den) + "）"
                              : std::to_string(v.num));
      }
      csv += CsvRow(std::span<const std::string>(row));
    }
    out.push_back({std::string(g.label_zh), std::move(csv)});
  }
  {
    std::string csv(kCsvBom);
    csv += CsvRow({"单位", "期限类别", "依据", "应履行", "按时", "逾期履行", "到期未履行", "按时率"});
    for (const auto& o : a.orgs) {
      for (const auto& k : o.kinds) {
        std::optional<double> r;
        if (k.counted > 0) r = static_cast<double>(k.on_time) / static_cast<double>(k.counted);
        csv += CsvRow({o.org.name, k.label, k.rule, std::to_string(k.counted), std::to_string(k.on_time),
                       std::to_string(k.late), std::to_string(k.overdue), Percent(r)});
      }
    }
    out.push_back({"各类期限", std::move(csv)});
  }
  return out;
}

// ---- Computing ----------------------------------------------------------------------------------

AssessmentService::AssessmentService(storage::Store& store, const core::Clock& clock,
                                     DutyService& duties, CoordItemService& items)
    : store_(store), clock_(clock), duties_(duties), items_(items) {}

Result<Assessment> AssessmentService::ComputeInTx(storage::Tx& tx, const as::Period& period,
                                                  const OrgSet& set, Instant now, bool with_facts) {
  Assessment a;
  a.period = period;
  a.computed_at = now;
  XT_ASSIGN_OR_RETURN(SchemeView sv, CurrentScheme(tx, period.Year()));
  a.scheme = sv.scheme;
  a.scheme_id = sv.id;
  const Instant begin = period.Begin(), end = period.End();

  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> all, tx.ListOrgs());
  std::map<Id, size_t> index;
  for (const auto& o : all) {
    if (!Assessed(o)) continue;
    if (set.ids && std::find(set.ids->begin(), set.ids->end(), o.id) == set.ids->end()) continue;
    OrgAssessment oa;
    oa.org = o;
    index[o.id] = a.orgs.size();
    a.orgs.push_back(std::move(oa));
  }
  auto org_of = [&](Id id) -> OrgAssessment* {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &a.orgs[it->second];
  };

  // Duties due in the period.
  storage::DutyFilter df;
  df.due_from = begin;
  df.due_to = end;
  df.limit = 1000000;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> duties, tx.ListDuties(df));
  std::map<Id, std::map<std::string, AssessmentKindRow>> kinds;
  for (const auto& d : duties) {
    OrgAssessment* o = org_of(d.owner_org_id);
    if (!o) continue;
    std::string counted;
    if (d.state == domain::DutyState::kMet) counted = d.on_time.value_or(true) ? "on_time" : "late";
    else if (d.state == domain::DutyState::kOpen && d.due_at <= now) counted = "overdue";
    else continue;
    AssessmentFact f{.type = "duty",
                     .id = d.id,
                     .title = d.title,
                     .kind = d.kind,
                     .rule = d.rule,
                     .due_at = d.due_at,
                     .met_at = d.met_at,
                     .at = d.due_at,
                     .counted = counted,
                     .org_id = d.owner_org_id,
                     .path = ObjectPath(d.object_type, d.object_id)};
    AssessmentKindRow& k = kinds[o->org.id][d.kind];
    if (k.kind.empty()) {
      const domain::DutyKind* dk = domain::FindDutyKind(d.kind);
      k.kind = d.kind;
      k.rule = d.rule;
      k.label = dk ? std::string(dk->label_zh) : d.kind;
    }
    ++k.counted;
    (counted == "on_time" ? k.on_time : counted == "late" ? k.late : k.overdue)++;
    Add(*o, "on_time_rate", f);
    if (counted == "late") Add(*o, "late_met", f);
    if (counted == "overdue") Add(*o, "overdue_open", f);
    if (d.kind == "collaboration.answer") Add(*o, "collab_answer_on_time", f);
    if (d.kind == "complaint.reply") Add(*o, "complaint_reply_on_time", f);
    if (d.kind.rfind("crime.", 0) == 0 && counted != "on_time") Add(*o, "criminal_transfer_late", f);
  }
  // Extensions of duties due in the period (whatever their end).
  for (const auto& d : duties) {
    OrgAssessment* o = org_of(d.owner_org_id);
    if (!o || d.state == domain::DutyState::kWaived) continue;
    XT_ASSIGN_OR_RETURN(std::vector<domain::DutyEvent> evs, tx.ListDutyEvents(d.id));
    int n = 0;
    for (const auto& e : evs) n += e.kind == "extended" ? 1 : 0;
    if (n == 0) continue;
    Add(*o, "extensions", AssessmentFact{.type = "duty",
                                         .id = d.id,
                                         .title = d.title,
                                         .kind = d.kind,
                                         .rule = d.rule,
                                         .due_at = d.due_at,
                                         .met_at = d.met_at,
                                         .at = d.due_at,
                                         .counted = "extended",
                                         .times = n,
                                         .org_id = d.owner_org_id,
                                         .path = ObjectPath(d.object_type, d.object_id)});
  }
  for (auto& [org_id, m] : kinds) {
    OrgAssessment* o = org_of(org_id);
    for (auto& [_, k] : m) o->kinds.push_back(k);
  }

  // Referrals sent in the period.
  storage::ReferralFilter rf;
  rf.created_to = end;
  rf.limit = 1000000;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Referral> refs, tx.ListReferrals(rf));
  for (const auto& r : refs) {
    if (!r.sent_at || *r.sent_at < begin || *r.sent_at >= end) continue;
    AssessmentFact f{.type = "referral",
                     .id = r.id,
                     .title = "案件移送" + (r.party.name.empty() ? std::string() : "「" + r.party.name + "」"),
                     .rule = "R-REF-4",
                     .at = r.sent_at,
                     .counted = "counted",
                     .path = "/referrals/" + std::to_string(r.id),
                     .number = r.number};
    if (OrgAssessment* o = org_of(r.from_org_id)) {
      f.org_id = r.from_org_id;
      Add(*o, "referrals_sent", f);
    }
    if (OrgAssessment* o = org_of(r.to_org_id)) {
      f.org_id = r.to_org_id;
      f.rule = "R-REF-6";
      Add(*o, "referrals_received", f);
      if (r.accepted_at) Add(*o, "referrals_accepted", f);
      if (r.state == domain::ReferralState::kDeclined) Add(*o, "referrals_declined", f);
      if (r.state == domain::ReferralState::kReturned) Add(*o, "referrals_returned", f);
    }
  }

  // Items: urgings, disputes, trainings, circulars, accountability records created in the period.
  storage::CoordItemFilter cf;
  cf.types = {CoordType::kUrging, CoordType::kDispute, CoordType::kTraining, CoordType::kCircular,
              CoordType::kAccountability};
  cf.limit = 1000000;
  XT_ASSIGN_OR_RETURN(std::vector<CoordItem> items, tx.ListCoordItems(cf));
  for (const auto& it : items) {
    if (it.created_at < begin || it.created_at >= end) continue;
    AssessmentFact f{.type = std::string(domain::CoordTypeName(it.type)),
                     .id = it.id,
                     .title = it.title,
                     .rule = std::string(domain::CoordTypeRule(it.type)),
                     .at = it.created_at,
                     .counted = "counted",
                     .path = "/" + std::string(domain::CoordTypePath(it.type)) + "/" + std::to_string(it.id),
                     .number = it.number};
    auto to = [&](const std::string& ind) {
      if (!it.to_org_id) return;
      if (OrgAssessment* o = org_of(*it.to_org_id)) {
        f.org_id = o->org.id;
        Add(*o, ind, f);
      }
    };
    switch (it.type) {
      case CoordType::kUrging: to("interventions"); break;
      case CoordType::kCircular: to("circulars"); break;
      case CoordType::kAccountability: to("accountability"); break;
      case CoordType::kTraining:
        if (OrgAssessment* o = org_of(it.from_org_id)) {
          f.org_id = o->org.id;
          Add(*o, "trainings_held", f);
        }
        break;
      case CoordType::kDispute:
        for (Id id : it.org_ids)
          if (OrgAssessment* o = org_of(id)) {
            f.org_id = id;
            f.rule = "R-DIS-2";
            Add(*o, "interventions", f);
          }
        break;
      default: break;
    }
  }

  for (auto& o : a.orgs) {
    Derive(o);
    Score(o, a.scheme);
    if (!with_facts) o.facts.clear();
  }
  Rank(a.orgs);
  return a;
}

// The orgs a principal's assessment covers (R-ACC-2): the deployment, the orgs of its region
// (scope_orgs), or only its own org; a requested set is narrowed to it.
static OrgSet ScopedOrgs(const Principal& p, const OrgSet& requested) {
  if (p.SeesAll()) return requested;
  std::vector<Id> allowed;
  if (p.Oversees() && p.scope_orgs) {
    for (const auto& o : *p.scope_orgs) allowed.push_back(o.id);
  } else {
    allowed.push_back(p.org.id);
  }
  if (requested.ids) {
    std::vector<Id> both;
    for (Id id : *requested.ids)
      if (std::find(allowed.begin(), allowed.end(), id) != allowed.end()) both.push_back(id);
    allowed = std::move(both);
  }
  return OrgSet{std::move(allowed)};
}

Result<Assessment> AssessmentService::Compute(const Principal& p, const as::Period& period,
                                              const OrgSet& orgs) {
  OrgSet set = ScopedOrgs(p, orgs);
  const Instant now = clock_.Now();
  Assessment out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, ComputeInTx(tx, period, set, now, false));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<AssessmentFact>> AssessmentService::Facts(const Principal& p, Id org_id,
                                                             std::string_view indicator,
                                                             const as::Period& period) {
  if (!as::FindIndicator(indicator)) {
    return Status::Invalid("indicator", "未知指标：" + std::string(indicator), kRule, "invalid_value")
        .En("Unknown indicator: " + std::string(indicator));
  }
  if (p.org.id != org_id && !p.OverseesOrgId(org_id)) return NoOrg();  // R-ACC-2
  const Instant now = clock_.Now();
  std::vector<AssessmentFact> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(Assessment a, ComputeInTx(tx, period, OrgSet{std::vector<Id>{org_id}}, now, true));
    if (a.orgs.empty()) return NoOrg();
    out = a.orgs[0].facts[std::string(indicator)];
    return Status::Ok();
  }));
  return out;
}

Result<AssessmentService::OrgPage> AssessmentService::Org(const Principal& p, Id org_id,
                                                          const as::Period& period) {
  if (p.org.id != org_id && !p.OverseesOrgId(org_id)) return NoOrg();  // R-ACC-2
  const Instant now = clock_.Now();
  OrgPage out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out.assessment,
                        ComputeInTx(tx, period, OrgSet{std::vector<Id>{org_id}}, now, true));
    if (out.assessment.orgs.empty()) return NoOrg();
    storage::CoordItemFilter cf;
    cf.types = {CoordType::kCircular, CoordType::kAccountability};
    cf.involving_org_id = org_id;
    cf.limit = 500;
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> items, tx.ListCoordItems(cf));
    for (const auto& it : items) {
      if (!it.to_org_id || *it.to_org_id != org_id) continue;
      XT_ASSIGN_OR_RETURN(CoordItemView v, items_.Render(tx, it, false, now));
      (it.type == CoordType::kCircular ? out.circulars : out.accountability).push_back(std::move(v));
    }
    XT_ASSIGN_OR_RETURN(std::vector<storage::AssessmentResultRow> results, tx.ListAssessmentResults());
    for (const auto& r : results) {
      XT_ASSIGN_OR_RETURN(std::optional<storage::AssessmentResultRow> full, tx.GetAssessmentResult(r.id));
      if (!full) continue;
      json::value v = json::parse(full->data);
      for (const auto& o : v.as_object().at("orgs").as_array()) {
        const json::object& oo = o.as_object();
        if (oo.at("org").as_object().at("id").to_number<int64_t>() != org_id) continue;
        out.published.push_back({r.id, r.period, oo.at("score").to_number<double>(),
                                 static_cast<int>(oo.at("rank").to_number<int64_t>())});
      }
    }
    return Status::Ok();
  }));
  return out;
}

Result<AssessmentDashboard> AssessmentService::Dashboard(const Principal& p, int year) {
  if (!p.Oversees()) return DeniedAll();  // a regional office: its region's orgs (R-ACC-2)
  if (year < 2000 || year > 2100) {
    return Status::Invalid("year", "年度应为 2000 至 2100", kRule, "invalid_value").En("year must be 2000..2100");
  }
  const Instant now = clock_.Now();
  AssessmentDashboard out;
  out.year = year;
  XT_ASSIGN_OR_RETURN(as::Period yp, as::ParsePeriod(std::to_string(year)));
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out.year_result, ComputeInTx(tx, yp, ScopedOrgs(p, OrgSet{}), now, true));
    // Month by month, from the year's duty facts (the on-time rate's list).
    for (int m = 1; m <= 12; ++m) {
      as::Period mp = as::MonthPeriod(year, m);
      AssessmentDashboard::Month row{mp.label};
      for (const auto& o : out.year_result.orgs) {
        auto it = o.facts.find("on_time_rate");
        if (it == o.facts.end()) continue;
        for (const auto& f : it->second) {
          if (!f.due_at || *f.due_at < mp.Begin() || *f.due_at >= mp.End()) continue;
          ++row.counted;
          row.on_time += f.counted == "on_time" ? 1 : 0;
        }
      }
      out.trend.push_back(row);
    }
    std::map<std::pair<Id, Id>, int64_t> flow;
    for (const auto& o : out.year_result.orgs) {
      auto it = o.facts.find("referrals_received");
      if (it == o.facts.end()) continue;
      for (const auto& f : it->second) {
        XT_ASSIGN_OR_RETURN(domain::Referral r, tx.GetReferral(f.id));
        ++flow[{r.from_org_id, r.to_org_id}];
      }
    }
    for (const auto& [k, n] : flow) out.flow.push_back({k.first, k.second, n});
    for (auto& o : out.year_result.orgs) {
      // Keep only the red facts (the dashboard's red items by org); drop the rest.
      std::map<std::string, std::vector<AssessmentFact>> keep;
      keep["late_met"] = o.facts["late_met"];
      keep["overdue_open"] = o.facts["overdue_open"];
      o.facts = std::move(keep);
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<AssessmentTable>> AssessmentService::Tables(const Principal& p, const as::Period& period) {
  XT_ASSIGN_OR_RETURN(Assessment a, Compute(p, period, OrgSet{}));
  return AssessmentTables(a);
}

// ---- Scheme and published results ---------------------------------------------------------------

Result<SchemeView> AssessmentService::GetScheme(const Principal&, int year) {
  if (year < 2000 || year > 2100) {
    return Status::Invalid("year", "年度应为 2000 至 2100", kRule, "invalid_value").En("year must be 2000..2100");
  }
  SchemeView out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, CurrentScheme(tx, year));
    return Status::Ok();
  }));
  return out;
}

Result<SchemeView> AssessmentService::SaveScheme(const Principal& p, int year,
                                                 const Result<as::Scheme>& in) {
  if (!p.IsCoordinator() || !p.SeesAll()) {  // results are deployment-wide (R-ACC-2)
    return Status::Denied("仅县委依法治县办工作人员可以设置考核方案", kRule)
        .En("Only the coordinator's staff configure the assessment scheme");
  }
  XT_RETURN_IF_ERROR(in.status());
  if (year < 2000 || year > 2100) {
    return Status::Invalid("year", "年度应为 2000 至 2100", kRule, "invalid_value").En("year must be 2000..2100");
  }
  as::Scheme s = *in;
  s.year = year;
  XT_RETURN_IF_ERROR(as::ValidateScheme(s));
  const Instant now = clock_.Now();
  SchemeView out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::optional<storage::AssessmentSchemeRow> last, tx.LatestAssessmentScheme(year));
    s.version = last ? last->version + 1 : 1;
    storage::AssessmentSchemeRow row{0, year, s.version, SchemeData(s), now, p.user.id};
    XT_ASSIGN_OR_RETURN(row.id, tx.InsertAssessmentScheme(row));
    out = SchemeView{s, row.id, now, p.user.id};
    return Record(tx, &p, now,
                  AuditRecord{"assessment.scheme_saved", "assessment_scheme", std::to_string(row.id),
                              "保存" + std::to_string(year) + "年度考核方案（第" + std::to_string(s.version) + "版）",
                              json::object{{"year", year}, {"version", s.version}, {"scheme", json::parse(row.data)}}});
  }));
  return out;
}

Result<storage::AssessmentResultRow> AssessmentService::Publish(const Principal& p,
                                                                const Result<as::Period>& period) {
  if (!p.IsCoordinator() || !p.SeesAll()) {  // results are deployment-wide (R-ACC-2)
    return Status::Denied("仅县委依法治县办工作人员可以发布考核结果", kRule)
        .En("Only the coordinator's staff publish assessment results");
  }
  XT_RETURN_IF_ERROR(period.status());
  const Instant now = clock_.Now();
  storage::AssessmentResultRow out;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(Assessment a, ComputeInTx(tx, *period, OrgSet{}, now, false));
    if (!a.scheme_id) {
      // The default scheme, saved as version 1 so the result names a stored version.
      as::Scheme s = a.scheme;
      s.version = 1;
      storage::AssessmentSchemeRow row{0, s.year, 1, SchemeData(s), now, p.user.id};
      XT_ASSIGN_OR_RETURN(row.id, tx.InsertAssessmentScheme(row));
      a.scheme = s;
      a.scheme_id = row.id;
    }
    json::object data = AssessmentJson(a);
    data["scheme"].as_object()["id"] = *a.scheme_id;
    out = storage::AssessmentResultRow{0, period->label, core::FormatDay(period->from),
                                       core::FormatDay(period->to), *a.scheme_id,
                                       json::serialize(data), now, p.user.id};
    auto id = tx.InsertAssessmentResult(out);
    if (!id.ok() && id.status().code() == core::Code::kAlreadyExists) {
      return Status::Precondition("already_published", "该考核期的结果已发布，发布后不再更改：" + period->label, kRule, "period")
          .En("The period's result is published already and never changes: " + period->label);
    }
    XT_RETURN_IF_ERROR(id.status());
    out.id = *id;
    return Record(tx, &p, now,
                  AuditRecord{"assessment.published", "assessment_result", std::to_string(out.id),
                              "发布考核结果：" + period->label,
                              json::object{{"period", period->label}, {"scheme_id", *a.scheme_id},
                                           {"scheme_version", a.scheme.version}}});
  }));
  return out;
}

Result<std::vector<storage::AssessmentResultRow>> AssessmentService::Results(const Principal& p) {
  if (!p.SeesAll()) return DeniedAll();
  std::vector<storage::AssessmentResultRow> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, tx.ListAssessmentResults());
    return Status::Ok();
  }));
  return out;
}

Result<storage::AssessmentResultRow> AssessmentService::GetResult(const Principal& p, Id id) {
  if (!p.SeesAll()) return DeniedAll();
  std::optional<storage::AssessmentResultRow> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out, tx.GetAssessmentResult(id));
    return Status::Ok();
  }));
  if (!out) return Status::NotFound("id", "考核结果不存在").En("No such assessment result");
  return *out;
}

// ---- R-ASM-2: circulars and accountability records (the engine's Definition) --------------------

struct AssessmentService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  AssessmentService& self;
  CoordType type;

  const domain::ItemTable& Table() const {
    return type == CoordType::kCircular ? domain::CircularTable() : domain::AccountabilityTable();
  }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != type) return NotFound();
    return workflow::ParseItem<Entity>(std::move(it));
  }
  Status NotFound() const { return workflow::ItemNotFound(type); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    domain::CoordActor actor;
    actor.coordinator = p.IsCoordinator();
    return domain::DecideItem(Table(), a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>&) const { return Status::Ok(); }
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, Instant now) const { return workflow::SaveItem(tx, e, now, {}); }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(type, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(Table(), a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ItemStateName(Table(), e.state)); }
  std::optional<std::string> Number(const Entity& e) const { return e.number; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, Instant now) const {
    return self.items_.Render(tx, e, true, now, &e.fields);
  }
};

Result<CoordItemView> AssessmentService::CreateCircular(const Principal& p, const Result<CircularInput>& in) {
  if (!p.IsCoordinator()) {
    return Status::Denied("仅县委依法治县办工作人员可以通报批评", kRule2)
        .En("Only the coordinator's staff issue a circular of criticism");
  }
  XT_RETURN_IF_ERROR(in.status());
  const domain::CoordTransition* row = domain::ItemCreateRow(domain::CircularTable(), "create");
  domain::Org coordinator, target;
  std::vector<domain::Duty> cited;
  Workflow w{*this, CoordType::kCircular};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, Instant now) -> Result<Workflow::Entity> {
        XT_ASSIGN_OR_RETURN(std::optional<domain::Org> o, workflow::Maybe(tx.GetOrg(in->org_id)));
        if (!o || !Assessed(*o)) {
          return Status::Invalid("org_id", "被通报单位不存在", kRule2, "invalid_value").En("org_id: no such org");
        }
        target = *o;
        XT_ASSIGN_OR_RETURN(coordinator, CoordinatorOrg(tx, p));
        json::array cites;
        for (size_t i = 0; i < in->duty_ids.size(); ++i) {
          const std::string f = "duty_ids[" + std::to_string(i) + "]";
          XT_ASSIGN_OR_RETURN(std::optional<domain::Duty> d, workflow::Maybe(tx.GetDuty(in->duty_ids[i])));
          if (!d || d->owner_org_id != target.id) {
            return Status::Invalid(f, "所引期限不存在或不属于被通报单位", kRule2, "invalid_value")
                .En(f + ": no such duty of the org");
          }
          const bool late = d->state == domain::DutyState::kMet && d->on_time && !*d->on_time;
          const bool overdue = d->state == domain::DutyState::kOpen && d->due_at <= now;
          if (!late && !overdue) {
            return Status::Precondition("not_failing", "所引期限未逾期，不能作为通报批评的事实：" + d->title, kRule2)
                .En("A cited duty was met on time or is not yet due: " + d->title);
          }
          cites.push_back(json::object{{"duty_id", d->id},
                                       {"kind", d->kind},
                                       {"rule", d->rule},
                                       {"title", d->title},
                                       {"due_at", core::FormatInstant(d->due_at)},
                                       {"met_at", Opt(d->met_at)},
                                       {"counted", late ? "late" : "overdue"},
                                       {"path", ObjectPath(d->object_type, d->object_id)}});
          cited.push_back(*d);
        }
        CoordItem it;
        it.type = CoordType::kCircular;
        it.from_org_id = coordinator.id;
        it.to_org_id = target.id;
        it.org_ids = {coordinator.id, target.id};
        std::sort(it.org_ids.begin(), it.org_ids.end());
        it.org_ids.erase(std::unique(it.org_ids.begin(), it.org_ids.end()), it.org_ids.end());
        it.title = in->title;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.data = json::serialize(json::object{{"org", workflow::OrgRef(target)},
                                               {"text", in->text},
                                               {"cited", std::move(cites)}});
        it.state = row->to;
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, {}));
        return workflow::ParseItem<Workflow::Entity>(std::move(it));
      },
      [&](Ctx& x) -> Status {
        json::array items;
        for (const auto& d : cited) {
          const bool late = d.state == domain::DutyState::kMet;
          items.push_back(json::object{
              {"label", d.title},
              {"text", std::string(late ? "逾期履行" : "到期未履行") + "，期限" + core::FormatInstant(d.due_at) +
                           (late && d.met_at ? "，履行于" + core::FormatInstant(*d.met_at) : "") + "（" + d.rule + "）"}});
        }
        XT_ASSIGN_OR_RETURN(
            domain::Document doc,
            x.Issue(domain::DocKind::kCircularOfCriticism, coordinator, "关于对" + target.name + "的通报批评",
                    json::object{{"addressee", json::object{{"id", target.id}, {"name", target.name}}},
                                 {"paragraphs", json::array{"经查，" + target.name + "在行政执法协调配合工作中存在以下问题：",
                                                            in->text,
                                                            "现予以通报批评。请该单位认真整改，并将整改情况报县委依法治县办（R-ASM-2）。"}},
                                 {"items", std::move(items)}}));
        x.e.number = doc.number;
        x.detail["to_org"] = target.id;
        x.detail["cited"] = x.e.fields.at("cited");
        x.summary = "通报批评" + target.short_name + "：" + in->title;
        return x.NotifyDesk(target.id, "circular.issued", "通报批评 " + doc.number,
                            coordinator.short_name + "对你单位通报批评：" + in->title);
      });
}

Result<CoordItemView> AssessmentService::CreateAccountability(const Principal& p,
                                                              const Result<AccountabilityInput>& in) {
  if (!p.IsCoordinator()) {
    return Status::Denied("仅县委依法治县办工作人员可以记录问责", kRule2)
        .En("Only the coordinator's staff record accountability");
  }
  XT_RETURN_IF_ERROR(in.status());
  const domain::CoordTransition* row = domain::ItemCreateRow(domain::AccountabilityTable(), "create");
  domain::Org coordinator, target;
  CoordItem circular;
  Workflow w{*this, CoordType::kAccountability};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, Instant now) -> Result<Workflow::Entity> {
        XT_ASSIGN_OR_RETURN(std::optional<CoordItem> c, workflow::Maybe(tx.GetCoordItem(in->circular_id)));
        if (!c || c->type != CoordType::kCircular || !c->to_org_id) {
          return Status::Invalid("circular_id", "所依据的通报批评不存在", kRule2, "invalid_value")
              .En("circular_id: no such circular");
        }
        circular = *c;
        XT_ASSIGN_OR_RETURN(target, tx.GetOrg(*c->to_org_id));
        XT_ASSIGN_OR_RETURN(coordinator, CoordinatorOrg(tx, p));
        CoordItem it;
        it.type = CoordType::kAccountability;
        it.from_org_id = coordinator.id;
        it.to_org_id = target.id;
        it.org_ids = circular.org_ids;
        it.title = "问责：" + in->person;
        it.kind = in->measure;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        it.data = json::serialize(json::object{
            {"org", workflow::OrgRef(target)},
            {"circular", json::object{{"id", circular.id},
                                      {"number", circular.number ? json::value(*circular.number) : json::value(nullptr)},
                                      {"title", circular.title}}},
            {"person", in->person},
            {"measure", in->measure},
            {"text", in->text}});
        it.state = row->to;
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, {}));
        return workflow::ParseItem<Workflow::Entity>(std::move(it));
      },
      [&](Ctx& x) -> Status {
        XT_ASSIGN_OR_RETURN(
            domain::Document doc,
            x.Issue(domain::DocKind::kAccountabilityDecision, coordinator, "问责决定",
                    json::object{{"addressee", json::object{{"id", target.id}, {"name", target.name}}},
                                 {"paragraphs", json::array{"根据" + std::string(circular.number ? "《通报批评》（" + *circular.number + "）" : "通报批评") +
                                                                "所列事实，情节严重，决定对" + target.name + "有关责任人员予以问责。",
                                                            in->text}},
                                 {"items", json::array{json::object{{"label", "责任人员"}, {"text", in->person}},
                                                       json::object{{"label", "问责方式"}, {"text", in->measure}}}}}));
        x.e.number = doc.number;
        x.detail["to_org"] = target.id;
        x.detail["circular_id"] = circular.id;
        x.summary = "问责" + target.short_name + "：" + in->person + "（" + in->measure + "）";
        return x.NotifyDesk(target.id, "accountability.recorded", "问责决定 " + doc.number,
                            coordinator.short_name + "对你单位" + in->person + "予以问责：" + in->measure);
      });
}

Result<CoordItemView> AssessmentService::GetItem(const Principal& p, CoordType t, Id id) {
  return workflow::Get(Workflow{*this, t}, store_, clock_, p, id);
}

}  // namespace xietong::service
