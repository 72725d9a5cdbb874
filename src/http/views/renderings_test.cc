// Issue 16, item 2: the hot reads (referral detail and list page, the duty inbox) are written
// straight into the response body by http/views/json_writer.h. Their bytes must be those of the
// previous rendering, boost::json::serialize of the trees the views built before the change.
// That code is kept here, verbatim (namespace `before`), and compared with the new text over a
// generated set of views that reaches every branch and every escape; bench/renderings/compare.py
// compares main's binary with this one over the demo county and a generated database.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <memory>
#include <limits>
#include <random>

#include "calendar/builtin_schedules.h"
#include "domain/rules.h"
#include "http/views/common.h"
#include "http/views/duty.h"
#include "http/views/json_writer.h"
#include "http/views/referral.h"

namespace xietong::http::views {
namespace before {

namespace json = boost::json;
using domain::Referral;

json::object DutyJson(const domain::Duty& d, std::string_view owner_org_name,
                      const calendar::Calendar& cal, core::Instant now) {
  json::object o;
  o["id"] = d.id;
  o["kind"] = d.kind;
  const domain::DutyKind* kind = domain::FindDutyKind(d.kind);
  o["kind_label"] = kind ? kind->label_zh : std::string_view(d.kind);
  o["rule"] = d.rule;
  const domain::Rule* rule = domain::FindRule(d.rule);
  o["rule_text"] = rule ? rule->zh : std::string_view();
  o["owner_org"] = json::object{{"id", d.owner_org_id}, {"name", owner_org_name}};
  o["object_type"] = d.object_type;
  o["object_id"] = d.object_id;
  o["title"] = d.title;
  o["trigger_at"] = core::FormatInstant(d.trigger_at);
  o["due_at"] = core::FormatInstant(d.due_at);
  o["calendar_version"] = d.calendar_version;
  o["provisional"] = d.provisional;
  o["state"] = domain::DutyStateName(d.state);
  o["colour"] = domain::ColourName(domain::ColourAt(d, now));
  o["met_at"] = OptInstant(d.met_at);
  o["on_time"] = d.on_time ? json::value(*d.on_time) : json::value(nullptr);
  o["late_working_days"] =
      d.late_working_days ? json::value(*d.late_working_days) : json::value(nullptr);
  if (d.state == domain::DutyState::kOpen) {
    domain::Remaining r = domain::RemainingAt(cal, d, now);
    o["remaining"] =
        json::object{{"working_days", r.working_days}, {"hours", r.hours}, {"overdue", r.overdue}};
  } else {
    o["remaining"] = nullptr;
  }
  o["period"] = json::object{{"unit", domain::PeriodUnitName(d.unit)}, {"value", d.period}};
  return o;
}

json::array DutiesJson(const std::vector<domain::Duty>& duties,
                       const std::map<domain::Id, std::string>& owner_names,
                       const calendar::Calendar& cal, core::Instant now) {
  json::array out;
  for (const auto& d : duties) {
    auto it = owner_names.find(d.owner_org_id);
    out.push_back(DutyJson(d, it == owner_names.end() ? std::string_view() : it->second, cal, now));
  }
  return out;
}

json::object DutyListJson(const service::DutyList& list) {
  json::array items;
  for (const auto& d : list.items) {
    auto it = list.org_names.find(d.owner_org_id);
    items.push_back(DutyJson(d, it == list.org_names.end() ? std::string_view() : it->second,
                             *list.calendar, list.now));
  }
  return json::object{{"items", std::move(items)}, {"total", list.total}};
}

boost::json::object DocumentJson(const domain::Document& d) {
  return boost::json::object{{"id", d.id},
                             {"kind", domain::DocKindName(d.kind)},
                             {"number", d.number},
                             {"title", d.title},
                             {"created_at", core::FormatInstant(d.created_at)},
                             {"url", "/api/v1/documents/" + std::to_string(d.id)}};
}

json::array TimelineJson(const std::vector<service::TimelineEntry>& timeline) {
  json::array tl;
  for (const auto& t : timeline) {
    json::object e{{"at", core::FormatInstant(t.at)}, {"action", t.action}, {"summary", t.summary}};
    e["actor"] = t.actor_id ? json::value(json::object{{"id", *t.actor_id},
                                                       {"display_name", t.actor_name}})
                            : json::value(nullptr);
    e["org"] = t.org_id ? json::value(json::object{{"id", *t.org_id}, {"name", t.org_name}})
                        : json::value(nullptr);
    tl.push_back(std::move(e));
  }
  return tl;
}

template <class V>
void AddWorkflowParts(boost::json::object& o, const V& v) {
  o["duties"] = DutiesJson(v.duties, v.duty_org_names, *v.calendar, v.now);
  if (!v.detail) return;
  boost::json::array docs;
  for (const auto& d : v.documents) docs.push_back(DocumentJson(d));
  o["documents"] = std::move(docs);
  o["timeline"] = TimelineJson(v.timeline);
}

template <class List, class Item>
boost::json::object PageJson(const List& list, Item item) {
  boost::json::array items;
  for (const auto& x : list.items) items.push_back(item(x));
  return boost::json::object{{"items", std::move(items)}, {"total", list.total}};
}

json::object OrgRef(const domain::Org& o) {
  return json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}, {"kind", domain::OrgKindName(o.kind)}};
}

json::object ReferralJson(const service::ReferralView& v) {
  const Referral& r = v.referral;
  json::object o;
  o["id"] = r.id;
  o["number"] = r.number ? json::value(*r.number) : json::value(nullptr);
  o["state"] = domain::ReferralStateName(r.state);
  o["state_label"] = domain::ReferralStateLabelZh(r.state);
  o["from_org"] = OrgRef(v.from_org);
  o["to_org"] = OrgRef(v.to_org);
  o["matter"] = json::object{{"id", v.matter.id}, {"code", v.matter.code}, {"name", v.matter.name}};
  o["township"] = OrgRef(v.township);
  o["place"] = r.place;
  o["discovered_at"] = core::FormatInstant(r.discovered_at);
  o["facts"] = r.facts;
  o["party"] = json::object{{"name", r.party.name},
                            {"id_type", r.party.id_type},
                            {"id_number", r.party.id_number},
                            {"address", r.party.address},
                            {"phone", r.party.phone}};
  o["legal_basis"] = r.legal_basis;
  json::array ev;
  for (const auto& e : r.evidence) {
    json::object item{{"name", e.name}, {"description", e.description}};
    if (e.file_id) {
      item["file"] = json::object{{"id", *e.file_id},
                                  {"name", e.file_name},
                                  {"size", e.file_size},
                                  {"content_type", e.file_content_type}};
    } else {
      item["file"] = nullptr;
    }
    ev.push_back(std::move(item));
  }
  o["evidence"] = std::move(ev);
  o["urgent"] = r.urgent;
  o["ongoing"] = r.ongoing;
  if (r.dissuasion) {
    o["dissuasion"] = json::object{{"at", core::FormatInstant(r.dissuasion->at)},
                                   {"note", r.dissuasion->note}};
  } else {
    o["dissuasion"] = nullptr;
  }
  o["checklist"] = json::object{{"facts_clear", r.checklist.facts_clear},
                                {"evidence_complete", r.checklist.evidence_complete},
                                {"procedure_lawful", r.checklist.procedure_lawful},
                                {"formalities_complete", r.checklist.formalities_complete}};
  if (v.unit) {
    o["unit"] = json::object{{"id", v.unit->id}, {"name", v.unit->name}};
  } else {
    o["unit"] = nullptr;
  }
  o["unit_legal_basis"] = OptText(r.unit_legal_basis);
  o["jurisdiction_override_reason"] = OptText(r.jurisdiction_override_reason);
  o["flagged_for_coordinator"] = r.flagged_for_coordinator;
  o["created_by"] = json::object{{"id", r.created_by}, {"display_name", v.created_by_name}};
  o["created_at"] = core::FormatInstant(r.created_at);
  o["updated_at"] = core::FormatInstant(r.updated_at);
  o["submitted_at"] = OptInstant(r.submitted_at);
  o["sent_at"] = OptInstant(r.sent_at);
  o["received_at"] = OptInstant(r.received_at);
  o["accepted_at"] = OptInstant(r.accepted_at);
  o["closed_at"] = OptInstant(r.closed_at);
  o["accept_note"] = OptText(r.accept_note);
  o["decline_reason"] = OptText(r.decline_reason);
  o["return_reason"] = OptText(r.return_reason);
  o["result"] = OptText(r.result);
  if (r.coordination) {
    const auto& c = *r.coordination;
    json::object co{{"requested_at", core::FormatInstant(c.requested_at)},
                    {"reason", c.reason},
                    {"decision", OptText(c.decision)},
                    {"decision_reason", OptText(c.decision_reason)},
                    {"decided_at", OptInstant(c.decided_at)}};
    if (c.decided_by) {
      co["decided_by"] = json::object{{"id", *c.decided_by}, {"display_name", v.decided_by_name}};
    } else {
      co["decided_by"] = nullptr;
    }
    o["coordination"] = std::move(co);
  } else {
    o["coordination"] = nullptr;
  }
  o["colour"] = domain::ColourName(v.colour);
  AddWorkflowParts(o, v);
  return o;
}

json::object ReferralListJson(const service::ReferralList& list) {
  return PageJson(list, ReferralJson);
}

}  // namespace before

namespace {

namespace json = boost::json;
using std::chrono::hours;
using std::chrono::milliseconds;

std::shared_ptr<const calendar::Calendar> Builtin() {
  static const std::shared_ptr<const calendar::Calendar> cal = [] {
    auto r = calendar::BuiltinCalendar();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::make_shared<const calendar::Calendar>(std::move(r).value());
  }();
  return cal;
}

// A generated set: every optional present or absent, texts with every escape.
class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Int(0, 1) == 1; }
  std::string Text() {
    static const char* const kPieces[] = {
        "",        "新城镇",      "a\"b",     "back\\slash", "line\nbreak", "tab\t",
        "\r\b\f",  "\x01\x1f",    "\x7f",     "/slash/",     "é ü",         "〔2026〕15号",
        "<script>", "emoji \xf0\x9f\x98\x80", "\xff\xfe", "  spaces  ", "0", "null"};
    std::string s;
    for (int n = Int(0, 3); n > 0; --n) s += kPieces[Int(0, std::size(kPieces) - 1)];
    return s;
  }
  core::Instant At() {
    return core::Instant{} + milliseconds(int64_t{1'700'000'000'000} +
                                          int64_t{Int(0, 100'000'000)} * 1000 + Int(0, 999));
  }
  std::optional<core::Instant> MaybeAt() { return Coin() ? std::optional(At()) : std::nullopt; }
  domain::Org Org() {
    domain::Org o;
    o.id = Int(1, 5000);
    o.code = Text();
    o.name = Text();
    o.kind = static_cast<domain::OrgKind>(Int(1, 8));
    return o;
  }
  domain::Duty Duty(core::Instant now) {
    static const char* const kKinds[] = {"referral.accept_notice", "referral.send", "no.such.kind"};
    static const char* const kRules[] = {"R-REF-6", "R-REF-4", "R-NOPE"};
    domain::Duty d;
    d.id = Int(1, 1'000'000);
    d.kind = kKinds[Int(0, 2)];
    d.rule = kRules[Int(0, 2)];
    d.owner_org_id = Int(1, 6);
    d.object_type = "referral";
    d.object_id = std::to_string(Int(1, 99));
    d.title = Text();
    d.unit = static_cast<domain::PeriodUnit>(Int(1, 3));
    d.period = Int(1, 30);
    d.trigger_at = now - hours(Int(0, 24 * 40));
    d.due_at = d.trigger_at + hours(Int(1, 24 * 30));
    d.yellow_at = d.due_at - hours(Int(1, 48));
    d.calendar_version = Text();
    d.provisional = Coin();
    d.state = static_cast<domain::DutyState>(Int(1, 4));
    if (d.state == domain::DutyState::kMet) {
      d.met_at = At();
      d.on_time = Coin();
      if (!*d.on_time) d.late_working_days = Int(-1, 9);
    }
    return d;
  }
  service::ReferralView View(bool detail) {
    service::ReferralView v;
    v.calendar = Builtin();
    v.now = At();
    domain::Referral& r = v.referral;
    r.id = Int(1, 1'000'000);
    if (Coin()) r.number = Text();
    r.state = static_cast<domain::ReferralState>(Int(1, 11));
    v.from_org = Org();
    v.to_org = Org();
    v.township = Org();
    if (Coin()) v.unit = Org();
    v.matter.id = Int(1, 99);
    v.matter.code = Text();
    v.matter.name = Text();
    r.place = Text();
    r.discovered_at = At();
    r.facts = Text();
    r.party = {Text(), Text(), Text(), Text(), Text()};
    r.legal_basis = Text();
    for (int n = Int(0, 3); n > 0; --n) {
      domain::EvidenceItem e;
      e.name = Text();
      e.description = Text();
      if (Coin()) {
        e.file_id = Text();
        e.file_name = Text();
        e.file_size = Int(0, 1 << 30) * int64_t{Int(1, 1000)};
        e.file_content_type = Text();
      }
      r.evidence.push_back(e);
    }
    r.urgent = Coin();
    r.ongoing = Coin();
    if (Coin()) r.dissuasion = domain::Dissuasion{At(), Text()};
    r.checklist = {Coin(), Coin(), Coin(), Coin()};
    r.unit_legal_basis = Text();
    r.jurisdiction_override_reason = Text();
    r.flagged_for_coordinator = Coin();
    r.created_by = Int(1, 999);
    v.created_by_name = Text();
    r.created_at = At();
    r.updated_at = At();
    r.submitted_at = MaybeAt();
    r.sent_at = MaybeAt();
    r.received_at = MaybeAt();
    r.accepted_at = MaybeAt();
    r.closed_at = MaybeAt();
    r.accept_note = Text();
    r.decline_reason = Text();
    r.return_reason = Text();
    r.result = Text();
    if (Coin()) {
      domain::Coordination c;
      c.requested_at = At();
      c.reason = Text();
      c.decision = Text();
      c.decided_at = MaybeAt();
      if (Coin()) c.decided_by = Int(1, 999);
      c.decision_reason = Text();
      r.coordination = c;
      v.decided_by_name = Text();
    }
    for (int n = Int(0, 4); n > 0; --n) v.duties.push_back(Duty(v.now));
    for (int id = 1; id <= 6; ++id) {
      if (Coin()) v.duty_org_names[id] = Text();
    }
    v.colour = static_cast<domain::Colour>(Int(0, 3));
    v.detail = detail;
    if (detail) {
      for (int n = Int(0, 3); n > 0; --n) {
        domain::Document d;
        d.id = Int(1, 99999);
        d.kind = static_cast<domain::DocKind>(Int(1, 4));
        d.number = Text();
        d.title = Text();
        d.created_at = At();
        v.documents.push_back(d);
      }
      for (int n = Int(0, 5); n > 0; --n) {
        service::TimelineEntry t;
        t.at = At();
        t.action = Text();
        t.summary = Text();
        if (Coin()) t.actor_id = Int(1, 999);
        t.actor_name = Text();
        if (Coin()) t.org_id = Int(1, 999);
        t.org_name = Text();
        v.timeline.push_back(t);
      }
    }
    return v;
  }

 private:
  std::mt19937 rng_;
};

// Issue 16 item 2: the referral detail written without a tree has the bytes of the previous
// rendering, and the tree of the same description serializes to them too.
TEST(RenderingsTest, ReferralDetailBytesAreThoseOfThePreviousRendering) {
  Gen g(20261208);
  for (int i = 0; i < 3000; ++i) {
    service::ReferralView v = g.View(/*detail=*/i % 3 != 0);
    const std::string old = json::serialize(before::ReferralJson(v));
    ASSERT_EQ(ReferralText(v), old) << "view " << i;
    ASSERT_EQ(json::serialize(ReferralJson(v)), old) << "view " << i;
  }
}

TEST(RenderingsTest, ReferralListPageBytesAreThoseOfThePreviousRendering) {
  Gen g(7);
  for (int i = 0; i < 300; ++i) {
    service::ReferralList list;
    for (int n = g.Int(0, 6); n > 0; --n) list.items.push_back(g.View(false));
    list.total = g.Int(0, 100000);
    const std::string old = json::serialize(before::ReferralListJson(list));
    ASSERT_EQ(ReferralListText(list), old) << "page " << i;
    ASSERT_EQ(json::serialize(ReferralListJson(list)), old) << "page " << i;
  }
}

// R-TIME-4: the inbox page (duties with colour and remaining time at `now`).
TEST(RenderingsTest, DutyInboxBytesAreThoseOfThePreviousRendering) {
  Gen g(11);
  for (int i = 0; i < 1000; ++i) {
    service::DutyList list;
    list.calendar = Builtin();
    list.now = g.At();
    for (int n = g.Int(0, 8); n > 0; --n) list.items.push_back(g.Duty(list.now));
    for (int id = 1; id <= 6; ++id) {
      if (g.Coin()) list.org_names[id] = g.Text();
    }
    list.total = g.Int(0, 100000);
    const std::string old = json::serialize(before::DutyListJson(list));
    ASSERT_EQ(DutyListText(list), old) << "page " << i;
    ASSERT_EQ(json::serialize(DutyListJson(list)), old) << "page " << i;
  }
}

// Every byte, alone and in runs, is escaped as boost::json::serialize escapes it.
TEST(RenderingsTest, StringsAreEscapedAsBoostJsonDoes) {
  std::string all;
  for (int c = 0; c < 256; ++c) {
    std::string one(1, static_cast<char>(c));
    std::string out;
    AppendJsonString(out, one);
    EXPECT_EQ(out, json::serialize(json::value(one))) << "byte " << c;
    all += one;
  }
  std::string out;
  AppendJsonString(out, all + all);
  EXPECT_EQ(out, json::serialize(json::value(all + all)));
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string s(std::uniform_int_distribution<int>(0, 40)(rng), '\0');
    for (char& c : s) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    std::string o;
    AppendJsonString(o, s);
    ASSERT_EQ(o, json::serialize(json::value(s)));
  }
}

// Numbers, booleans, null, nesting and commas as boost::json writes them; a TreeWriter on an
// existing object adds members after the ones it has.
TEST(RenderingsTest, WritersAgreeOnEveryKindOfValue) {
  auto describe = [](auto& w) {
    w.BeginObject();
    w.Field("min", std::numeric_limits<int64_t>::min());
    w.Field("max", std::numeric_limits<int64_t>::max());
    w.Field("zero", 0);
    w.Field("neg", -42);
    w.Field("t", true);
    w.Field("f", false);
    w.Field("n", nullptr);
    w.Field("none", std::optional<int64_t>());
    w.Field("some", std::optional<std::string>("x"));
    w.Array("empty");
    w.EndArray();
    w.Object("o");
    w.EndObject();
    w.Array("nested");
    w.BeginArray();
    w.Value(1);
    w.BeginObject();
    w.EndObject();
    w.Value("s");
    w.EndArray();
    w.Value(nullptr);
    w.EndArray();
    w.EndObject();
  };
  const std::string text = ToText([&](TextWriter& w) { describe(w); });
  EXPECT_EQ(text, json::serialize(ToTree([&](TreeWriter& w) { describe(w); })));
  EXPECT_EQ(text,
            R"({"min":-9223372036854775808,"max":9223372036854775807,"zero":0,"neg":-42,)"
            R"("t":true,"f":false,"n":null,"none":null,"some":"x","empty":[],"o":{},)"
            R"("nested":[[1,{},"s"],null]})");
  json::object o{{"a", 1}};
  TreeWriter w(o);
  w.Field("b", "c");
  EXPECT_EQ(json::serialize(o), R"({"a":1,"b":"c"})");
}

}  // namespace
}  // namespace xietong::http::views
