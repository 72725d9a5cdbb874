// The JSON views render the services' typed results in the contract's shape
// (docs/*-contract.md); the HTTP suites (tests/http) check the same shapes end to end.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <memory>

#include "calendar/builtin_schedules.h"
#include "http/views/audit.h"
#include "http/views/calendar.h"
#include "http/views/collab_item.h"
#include "http/views/coord_items.h"
#include "http/views/document.h"
#include "http/views/duty.h"
#include "http/views/referral.h"

namespace xietong::http::views {
namespace {

core::CivilDay D(std::string_view s) {
  auto d = core::ParseDay(s);
  EXPECT_TRUE(d) << s;
  return d.value_or(core::CivilDay{});
}
core::Instant T(std::string_view s) {
  auto t = core::ParseInstant(s);
  EXPECT_TRUE(t) << s;
  return t.value_or(core::Instant{});
}
std::shared_ptr<const calendar::Calendar> Builtin() {
  static const std::shared_ptr<const calendar::Calendar> cal = [] {
    auto r = calendar::BuiltinCalendar();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::make_shared<const calendar::Calendar>(std::move(r).value());
  }();
  return cal;
}

// R-TIME-1/3: a day and a deadline as the CLI and GET /api/v1/calendar/* print them.
TEST(CalendarViewTest, DayAndDeadline) {
  const calendar::Calendar& cal = *Builtin();
  boost::json::object day = DayInfoJson(cal.Day(D("2026-10-10")), cal);
  EXPECT_EQ(boost::json::serialize(day),
            R"({"date":"2026-10-10","workday":true,"holiday":false,"makeup_workday":true,)"
            R"("holiday_name":"国庆节","provisional":false,"calendar_version":")" +
                cal.version() + "\"}");
  boost::json::object deadline =
      DeadlineJson(cal.AddWorkingDays(T("2026-09-30T10:00:00+08:00"), 3));
  EXPECT_EQ(boost::json::serialize(deadline),
            R"({"due_at":"2026-10-11T00:00:00+08:00","last_day":"2026-10-10",)"
            R"("provisional":false,"calendar_version":")" + cal.version() + "\"}");
  EXPECT_TRUE(DayInfoJson(cal.Day(D("2027-01-01")), cal).at("provisional").as_bool());
}

// R-TIME-3: the loaded years, "builtin" false for an imported one.
TEST(CalendarViewTest, Years) {
  const calendar::Calendar& cal = *Builtin();
  service::CalendarYears in;
  in.version = cal.version();
  in.years.push_back({cal.schedules().back(), false});
  boost::json::object o = CalendarYearsJson(in);
  EXPECT_EQ(o.at("version").as_string(), cal.version());
  const auto& y = o.at("years").as_array().at(0).as_object();
  EXPECT_EQ(y.at("year"), 2026);
  EXPECT_EQ(y.at("notice_number"), "国办发明电〔2025〕7号");
  EXPECT_EQ(y.at("published"), "2025-11-04");
  EXPECT_EQ(y.at("builtin"), false);
  EXPECT_EQ(y.at("holidays").as_array().back().at("name"), "国庆节");
  EXPECT_EQ(y.at("workdays").as_array().back().at("date"), "2026-10-10");
  EXPECT_EQ(y.at("workdays").as_array().back().at("for"), "国庆节");
  EXPECT_EQ(y.size(), 7u);
}

service::CollabItem Item() {
  service::CollabItem it;
  it.type = "notice";
  it.id = 3;
  it.title = "notice 3";
  it.from_org = {1, "xincheng", "新城镇"};
  it.to_org = service::CollabItemOrg{2, "scjg", "县市场监督管理局"};
  it.state = "open";
  it.state_label = "待研究处置";
  it.created_at = T("2026-11-25T09:00:00+08:00");
  it.url = "/notices/3";
  return it;
}

TEST(CollabItemViewTest, TheContractShape) {
  service::CollabItem it = Item();
  it.colour = domain::Colour::kYellow;
  it.due_at = T("2026-11-30T09:00:00+08:00");
  boost::json::object o = CollabItemJson(it);
  EXPECT_EQ(o.at("type"), "notice");
  EXPECT_EQ(o.at("id"), 3);
  EXPECT_TRUE(o.at("number").is_null());
  EXPECT_EQ(o.at("from_org").at("code"), "xincheng");
  EXPECT_EQ(o.at("to_org").at("name"), "县市场监督管理局");
  EXPECT_EQ(o.at("state"), "open");
  EXPECT_EQ(o.at("state_label"), "待研究处置");
  EXPECT_EQ(o.at("colour"), "yellow");
  EXPECT_EQ(o.at("due_at"), "2026-11-30T09:00:00+08:00");
  EXPECT_EQ(o.at("created_at"), "2026-11-25T09:00:00+08:00");
  EXPECT_EQ(o.at("url"), "/notices/3");
  it.to_org.reset();
  it.colour = domain::Colour::kNone;
  it.due_at.reset();
  o = CollabItemJson(it);
  EXPECT_TRUE(o.at("to_org").is_null());
  EXPECT_TRUE(o.at("colour").is_null());
  EXPECT_TRUE(o.at("due_at").is_null());
  boost::json::object page = CollabItemPageJson({{it}, 42});
  EXPECT_EQ(page.at("total"), 42);
  EXPECT_EQ(page.at("items").as_array().size(), 1u);
}

domain::Duty AcceptDuty() {
  domain::Duty d;
  d.id = 7;
  d.kind = "referral.accept_notice";
  d.rule = "R-REF-6";
  d.owner_org_id = 2;
  d.object_type = "referral";
  d.object_id = "5";
  d.title = "受理情况告知";
  d.trigger_at = T("2026-09-29T10:00:00+08:00");
  d.unit = domain::PeriodUnit::kWorkingDays;
  d.period = 5;
  d.due_at = T("2026-10-13T00:00:00+08:00");
  d.yellow_at = T("2026-10-12T00:00:00+08:00");
  d.state = domain::DutyState::kOpen;
  return d;
}

// R-TIME-4: a duty's detail is the duty plus its history; a list names each owner.
TEST(DutyViewTest, DetailAddsTheEventsAndListsNameTheOwner) {
  service::DutyDetail d;
  d.duty = AcceptDuty();
  d.owner_org_name = "县市场监督管理局";
  d.calendar = Builtin();
  d.now = T("2026-09-30T10:00:00+08:00");
  domain::DutyEvent e;
  e.id = 1;
  e.at = d.duty.trigger_at;
  e.kind = "created";
  e.new_due = d.duty.due_at;
  d.events.push_back(e);
  boost::json::object o = DutyDetailJson(d);
  EXPECT_EQ(o.size(), 21u);
  EXPECT_EQ(o.at("owner_org").at("name"), "县市场监督管理局");
  EXPECT_EQ(o.at("colour"), "green");
  const auto& ev = o.at("events").as_array().at(0).as_object();
  EXPECT_EQ(boost::json::serialize(ev),
            R"({"id":1,"at":"2026-09-29T10:00:00+08:00","actor_user_id":null,"kind":"created",)"
            R"("reason":"","old_due":null,"new_due":"2026-10-13T00:00:00+08:00"})");

  service::DutyList list;
  list.items = {d.duty, d.duty};
  list.items[1].owner_org_id = 99;  // not named: ""
  list.total = 12;
  list.org_names = {{2, "县市场监督管理局"}};
  list.calendar = Builtin();
  list.now = d.now;
  boost::json::object l = DutyListJson(list);
  EXPECT_EQ(l.at("total"), 12);
  EXPECT_EQ(l.at("items").as_array().at(0).at("owner_org").at("name"), "县市场监督管理局");
  EXPECT_EQ(l.at("items").as_array().at(1).at("owner_org").at("name"), "");
  EXPECT_FALSE(l.at("items").as_array().at(0).as_object().contains("events"));
}

// docs/referrals-contract.md: every field; documents and timeline only in the detail.
TEST(ReferralViewTest, TheContractFieldsAndDetailOnlyParts) {
  service::ReferralView v;
  v.referral.id = 5;
  v.referral.evidence.push_back({});
  v.referral.evidence[0].name = "询问笔录";
  v.referral.evidence[0].file_id = "ab12";
  v.from_org = {};
  v.calendar = Builtin();
  v.now = T("2026-09-30T10:00:00+08:00");
  v.duties = {AcceptDuty()};
  v.detail = true;
  service::TimelineEntry t;
  t.at = T("2026-09-29T10:00:00+08:00");
  t.action = "create";
  t.summary = "创建";
  t.actor_id = 3;
  t.actor_name = "张三";
  v.timeline.push_back(t);
  boost::json::object j = ReferralJson(v);
  for (const char* k : {"id", "number", "state", "from_org", "to_org", "matter", "township", "place",
                        "discovered_at", "facts", "party", "legal_basis", "evidence", "urgent", "ongoing",
                        "dissuasion", "checklist", "unit", "unit_legal_basis",
                        "jurisdiction_override_reason", "flagged_for_coordinator", "created_by",
                        "created_at", "submitted_at", "sent_at", "received_at", "accepted_at",
                        "closed_at", "decline_reason", "return_reason", "result", "coordination",
                        "colour", "duties", "documents", "timeline"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(j.at("evidence").as_array()[0].at("file").at("id"), "ab12");
  EXPECT_TRUE(j.at("unit").is_null());
  EXPECT_EQ(j.at("duties").as_array().size(), 1u);
  EXPECT_EQ(boost::json::serialize(j.at("timeline")),
            R"([{"at":"2026-09-29T10:00:00+08:00","action":"create","summary":"创建",)"
            R"("actor":{"id":3,"display_name":"张三"},"org":null}])");
  service::ReferralList list;
  v.detail = false;
  list.items = {v};
  list.total = 1;
  boost::json::object l = ReferralListJson(list);
  const auto& item = l.at("items").as_array().at(0).as_object();
  EXPECT_FALSE(item.contains("documents"));
  EXPECT_FALSE(item.contains("timeline"));
  EXPECT_EQ(l.at("total"), 1);
}

// R-AUD-1: an audit entry with its actor and org named.
TEST(AuditViewTest, EntryWithActorAndOrg) {
  service::AuditView v;
  v.entry.seq = 9;
  v.entry.action = "referral.create";
  v.entry.detail = "{}";
  domain::User u;
  u.id = 3;
  u.username = "zhangsan";
  u.display_name = "张三";
  v.actor = u;
  boost::json::object o = AuditViewJson(v);
  EXPECT_EQ(o.at("seq"), 9);
  EXPECT_EQ(o.at("actor").at("username"), "zhangsan");
  EXPECT_TRUE(o.at("org").is_null());
  EXPECT_TRUE(o.at("actor_user_id").is_null());
  EXPECT_EQ(o.size(), 13u);
}

// R-TIME-4: one duty has the contract's 20 fields; a met one has no colour nor time remaining.
TEST(DutyViewTest, OneDutyHasTheContractFields) {
  domain::Duty d = AcceptDuty();
  const core::Instant now = T("2026-09-29T10:00:00+08:00");
  boost::json::object j = DutyJson(d, "新城镇综合行政执法办公室", *Builtin(), now);
  for (const char* key :
       {"id",          "kind",      "kind_label", "rule",       "rule_text", "owner_org",
        "object_type", "object_id", "title",      "trigger_at", "due_at",    "calendar_version",
        "provisional", "state",     "colour",     "met_at",     "on_time",   "late_working_days",
        "remaining",   "period"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.size(), 20u);
  EXPECT_EQ(j["kind_label"], "受理情况告知");
  EXPECT_EQ(j["owner_org"].as_object().at("name"), "新城镇综合行政执法办公室");
  EXPECT_EQ(j["period"].as_object().at("unit"), "working_days");
  EXPECT_EQ(j["trigger_at"], "2026-09-29T10:00:00+08:00");
  EXPECT_EQ(j["colour"], "green");
  EXPECT_TRUE(j["met_at"].is_null());
  EXPECT_EQ(j["remaining"].as_object().at("working_days"), 5);
  EXPECT_EQ(j["remaining"].as_object().at("overdue"), false);
  d.state = domain::DutyState::kMet;
  d.met_at = T("2026-10-12T23:59:00+08:00");
  d.on_time = true;
  d.late_working_days = 0;
  j = DutyJson(d, "", *Builtin(), now);
  EXPECT_EQ(j["colour"], "none");
  EXPECT_TRUE(j["remaining"].is_null());
  EXPECT_EQ(j["met_at"], "2026-10-12T23:59:00+08:00");
  EXPECT_EQ(j["on_time"], true);
}

// R-DOC-1: a document as lists embed it, with the URL of its printable page.
TEST(DocumentViewTest, TheListShape) {
  domain::Document d;
  d.id = 4;
  d.kind = domain::DocKind::kMeetingMinutes;
  d.number = "新城纪〔2026〕1号";
  d.title = "纪要";
  d.created_at = T("2026-11-23T20:00:00+08:00");
  EXPECT_EQ(boost::json::serialize(DocumentJson(d)),
            R"({"id":4,"kind":"meeting_minutes","number":"新城纪〔2026〕1号","title":"纪要",)"
            R"("created_at":"2026-11-23T20:00:00+08:00","url":"/api/v1/documents/4"})");
}

service::CoordItemView Meeting() {
  service::CoordItemView v;
  v.item.id = 8;
  v.item.type = domain::CoordType::kMeeting;
  v.item.state = 0;
  v.item.from_org_id = 1;
  v.item.title = "某非法采砂案";
  v.item.created_by = 3;
  v.item.created_at = T("2026-11-23T08:00:00+08:00");
  v.item.updated_at = v.item.created_at;
  v.fields = boost::json::object{{"subject", "某非法采砂案"}, {"decisions", boost::json::array()}};
  domain::Org org;
  org.id = 1;
  org.code = "xincheng";
  org.name = "新城镇综合行政执法办公室";
  v.orgs.emplace(1, org);
  domain::User u;
  u.id = 3;
  u.display_name = "张三";
  v.users.emplace(3, u);
  domain::Duty d = AcceptDuty();
  d.owner_org_id = 1;
  v.duties = {d};
  v.colour = domain::Colour::kGreen;
  v.calendar = Builtin();
  v.now = T("2026-09-30T10:00:00+08:00");
  return v;
}

// docs/collaboration-contract.md: the fields of every item in order, the type's own fields
// between the common ones and the duties; documents, messages and timeline only in the detail;
// an org or person no longer found is null (a duty owner's name "").
TEST(CoordItemViewTest, TheContractFieldsAndDetailOnlyParts) {
  service::CoordItemView v = Meeting();
  boost::json::object j = CoordItemJson(v);
  std::vector<std::string> keys;
  for (const auto& kv : j) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "type", "number", "state", "state_label",
                                            "from_org", "to_org", "title", "kind", "referral_id",
                                            "created_by", "created_at", "updated_at", "subject",
                                            "decisions", "colour", "duties"}));
  EXPECT_EQ(j.at("type"), "meeting");
  EXPECT_TRUE(j.at("number").is_null());
  EXPECT_EQ(boost::json::serialize(j.at("from_org")),
            R"({"id":1,"code":"xincheng","name":"新城镇综合行政执法办公室"})");
  EXPECT_TRUE(j.at("to_org").is_null());
  EXPECT_TRUE(j.at("kind").is_null());
  EXPECT_EQ(boost::json::serialize(j.at("created_by")), R"({"id":3,"display_name":"张三"})");
  EXPECT_EQ(j.at("colour"), "green");
  EXPECT_EQ(j.at("duties").as_array().at(0).at("owner_org").at("name"), "新城镇综合行政执法办公室");

  v.detail = true;
  v.item.to_org_id = 2;  // not found: null
  v.item.created_by = 4;  // not found: null
  v.colour.reset();
  v.duties[0].owner_org_id = 2;
  domain::Document doc;
  doc.id = 4;
  doc.kind = domain::DocKind::kMeetingInvitation;
  v.documents = {doc};
  v.messages = {domain::CoordMessage{6, 8, T("2026-11-23T09:00:00+08:00"), 3, 1, "已收到"}};
  service::TimelineEntry t;
  t.at = T("2026-11-23T08:00:00+08:00");
  t.action = "create";
  t.summary = "召集专题会议";
  t.actor_id = 3;
  t.org_id = 1;
  service::TimelineEntry gone = t;
  gone.actor_id = 5;
  gone.org_id.reset();
  v.timeline = {t, gone};
  j = CoordItemJson(v);
  EXPECT_TRUE(j.at("to_org").is_null());
  EXPECT_TRUE(j.at("created_by").is_null());
  EXPECT_TRUE(j.at("colour").is_null());
  EXPECT_EQ(j.at("duties").as_array().at(0).at("owner_org").at("name"), "");
  EXPECT_EQ(j.at("documents").as_array().at(0).at("url"), "/api/v1/documents/4");
  EXPECT_EQ(boost::json::serialize(j.at("messages")),
            R"([{"id":6,"at":"2026-11-23T09:00:00+08:00","text":"已收到",)"
            R"("by":{"id":3,"display_name":"张三"},)"
            R"("org":{"id":1,"code":"xincheng","name":"新城镇综合行政执法办公室"}}])");
  EXPECT_EQ(boost::json::serialize(j.at("timeline")),
            R"([{"at":"2026-11-23T08:00:00+08:00","action":"create","summary":"召集专题会议",)"
            R"("actor":{"id":3,"display_name":"张三"},)"
            R"("org":{"id":1,"code":"xincheng","name":"新城镇综合行政执法办公室"}},)"
            R"({"at":"2026-11-23T08:00:00+08:00","action":"create","summary":"召集专题会议",)"
            R"("actor":null,"org":null}])");

  service::CoordItemList list;
  v.detail = false;
  list.items = {v};
  list.total = 3;
  boost::json::object l = CoordItemListJson(list);
  EXPECT_EQ(l.at("total"), 3);
  const auto& item = l.at("items").as_array().at(0).as_object();
  EXPECT_FALSE(item.contains("documents"));
  EXPECT_FALSE(item.contains("messages"));
  EXPECT_FALSE(item.contains("timeline"));
}

}  // namespace
}  // namespace xietong::http::views
