#include "service/calendar_service.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <map>
#include <set>
#include <utility>

#include "calendar/builtin_schedules.h"
#include "calendar/schedule.h"
#include "domain/audit.h"
#include "service/audit_log.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;

struct CalendarService::Snapshot {
  explicit Snapshot(calendar::Calendar c) : cal(std::move(c)) {}
  calendar::Calendar cal;
  std::set<int> imported;  // years that come from calendar_years
};

namespace {

constexpr std::chrono::milliseconds kTick{1};

// Calendar::Build names fields "years[i].<path>": an import is one year, so drop the prefix.
Status ForImport(const Status& st) {
  std::string field = st.field();
  if (field.rfind("years[", 0) == 0) {
    auto dot = field.find("].");
    field = dot == std::string::npos ? std::string("year") : field.substr(dot + 2);
  }
  return Status(st.code(), st.id(), st.message(), field,
                st.rule().empty() ? "R-TIME-3" : st.rule());
}

// Open or suspended day-based duties whose deadline's last day is in [December
// kLateDecemberFrom, December 31] of `year`, ascending due (R-TIME-3).
Result<std::vector<domain::Duty>> LateDecemberDuties(storage::Tx& tx, int year) {
  using std::chrono::days;
  const calendar::CivilDay from{std::chrono::year(year) / std::chrono::December /
                                std::chrono::day(calendar::kLateDecemberFrom)};
  const calendar::CivilDay new_year{std::chrono::year(year + 1) / std::chrono::January / 1};
  std::vector<domain::Duty> out;
  for (domain::DutyState state : {domain::DutyState::kOpen, domain::DutyState::kSuspended}) {
    storage::DutyFilter f;
    f.state = state;
    f.due_from = core::ShanghaiMidnight(from + days(1));           // 24:00 of 20 December
    f.due_to = core::ShanghaiMidnight(new_year) + kTick;           // 24:00 of 31 December
    f.limit = 1'000'000;
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> rows, tx.ListDuties(f));
    for (domain::Duty& d : rows) {
      if (d.unit != domain::PeriodUnit::kHours) out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace

void RecomputeDeadline(const calendar::Calendar& cal, domain::Duty& d,
                       std::chrono::milliseconds shift) {
  calendar::Deadline dl = domain::ComputeDue(cal, d.trigger_at, d.unit, d.period);
  d.provisional = dl.provisional;
  d.calendar_version = dl.version;
  if (shift.count() == 0) {
    d.due_at = dl.due;
    d.yellow_at = domain::ComputeYellowAt(cal, dl, d.unit, d.period);
  } else {
    d.due_at = dl.due + shift;
    d.yellow_at = YellowForDue(cal, d, d.due_at);
  }
}

core::Instant YellowForDue(const calendar::Calendar& cal, const domain::Duty& d,
                           core::Instant due) {
  calendar::Deadline dl;
  dl.due = due;
  dl.last_day = core::ShanghaiDay(due - kTick);
  dl.version = cal.version();
  return domain::ComputeYellowAt(cal, dl, d.unit, d.period);
}

int CappedNotifiedLevel(const domain::Duty& d, core::Instant now) {
  int warranted = now >= d.due_at ? 2 : now >= d.yellow_at ? 1 : 0;
  return std::min(d.notified_level, warranted);
}

CalendarService::CalendarService(storage::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {
  auto snap = BuildSnapshot({});
  if (snap.ok()) snapshot_.store(*snap);
}

Result<std::shared_ptr<const CalendarService::Snapshot>> CalendarService::BuildSnapshot(
    const std::vector<storage::CalendarYearRow>& stored) {
  std::map<int, calendar::YearSchedule> years;
  for (std::string_view text : calendar::BuiltinScheduleJson()) {
    XT_ASSIGN_OR_RETURN(calendar::YearSchedule y, calendar::ParseYearSchedule(text));
    int year = y.year;
    years[year] = std::move(y);
  }
  std::set<int> imported;
  for (const auto& row : stored) {
    auto parsed = calendar::ParseYearSchedule(row.json);
    if (!parsed.ok()) {
      return Status::Invalid(
          "calendar_years[" + std::to_string(row.year) + "]." + parsed.status().field(),
          parsed.status().message(), "R-TIME-3");
    }
    int year = parsed->year;
    imported.insert(year);
    years[year] = std::move(parsed).value();
  }
  std::vector<calendar::YearSchedule> list;
  list.reserve(years.size());
  for (auto& [year, y] : years) list.push_back(std::move(y));
  auto cal = calendar::Calendar::Build(std::move(list));
  if (!cal.ok()) return ForImport(cal.status());
  auto snap = std::make_shared<Snapshot>(std::move(cal).value());
  snap->imported = std::move(imported);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

Status CalendarService::Load() {
  std::lock_guard lock(import_mu_);
  std::vector<storage::CalendarYearRow> rows;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(rows, tx.ListCalendarYears());
    return Status::Ok();
  }));
  XT_ASSIGN_OR_RETURN(auto snap, BuildSnapshot(rows));
  snapshot_.store(std::move(snap));
  return Status::Ok();
}

std::shared_ptr<const calendar::Calendar> CalendarService::Current() const {
  std::shared_ptr<const Snapshot> snap = snapshot_.load();
  if (!snap) return nullptr;
  return std::shared_ptr<const calendar::Calendar>(snap, &snap->cal);
}

Result<ImportOutcome> CalendarService::Import(const Principal& p, std::string_view json_text) {
  if (!p.IsAdmin()) {
    return Status::Denied("仅系统管理员可导入节假日安排", "R-TIME-3")
        .En("Only a system administrator may import a holiday schedule");
  }
  XT_ASSIGN_OR_RETURN(calendar::YearSchedule schedule, calendar::ParseYearSchedule(json_text));
  const std::string canonical = calendar::SerializeYearSchedule(schedule);

  std::lock_guard lock(import_mu_);
  const core::Instant now = clock_.Now();
  std::shared_ptr<const Snapshot> previous = snapshot_.load();
  const std::string old_version = previous ? previous->cal.version() : std::string();
  std::shared_ptr<const Snapshot> built;
  ImportOutcome out;

  Status written = store_.Write([&](storage::Tx& tx) -> Status {
    out = ImportOutcome{};
    storage::CalendarYearRow row;
    row.year = schedule.year;
    row.json = canonical;
    row.loaded_at = now;
    row.loaded_by = p.user.id;

    XT_ASSIGN_OR_RETURN(std::vector<storage::CalendarYearRow> rows, tx.ListCalendarYears());
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [&](const auto& r) { return r.year == schedule.year; }),
               rows.end());
    rows.push_back(row);
    // Build first: a schedule that conflicts with its neighbours changes nothing.
    XT_ASSIGN_OR_RETURN(built, BuildSnapshot(rows));
    const calendar::Calendar& cal = built->cal;
    XT_RETURN_IF_ERROR(tx.UpsertCalendarYear(row));

    // R-TIME-3: deadlines computed with a guessed year are recomputed with the real schedule.
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> duties, tx.ProvisionalOpenDuties());
    // …and so are the day-based deadlines ending in late December of the year before (from
    // 20 December), which the new notice can move: those computed before that window counted
    // as provisional are stored as final (an extended duty's explicit due is left alone).
    XT_ASSIGN_OR_RETURN(std::vector<domain::Duty> late, LateDecemberDuties(tx, schedule.year - 1));
    std::set<domain::Id> late_only;
    for (domain::Duty& d : late) {
      const bool listed = std::any_of(duties.begin(), duties.end(),
                                      [&](const domain::Duty& x) { return x.id == d.id; });
      if (listed) continue;
      late_only.insert(d.id);
      duties.push_back(std::move(d));
    }
    for (domain::Duty& d : duties) {
      XT_ASSIGN_OR_RETURN(std::vector<domain::DutyEvent> events, tx.ListDutyEvents(d.id));
      std::chrono::milliseconds shift{0};
      bool extended = false;
      for (const auto& e : events) {
        if (e.kind == "resumed" && e.old_due && e.new_due) shift += *e.new_due - *e.old_due;
        if (e.kind == "extended") extended = true;
      }
      if (extended && late_only.count(d.id)) continue;
      const domain::Duty before = d;
      RecomputeDeadline(cal, d, shift);
      d.notified_level = CappedNotifiedLevel(d, now);
      XT_RETURN_IF_ERROR(tx.UpdateDuty(d));

      domain::DutyEvent ev;
      ev.duty_id = d.id;
      ev.at = now;
      ev.actor_user_id = p.user.id;
      ev.kind = "recomputed";
      ev.reason = "导入" + std::to_string(schedule.year) + "年节假日安排后重新计算期限";
      ev.old_due = before.due_at;
      ev.new_due = d.due_at;
      XT_RETURN_IF_ERROR(tx.InsertDutyEvent(ev).status());

      json::object detail;
      detail["old_due"] = core::FormatInstant(before.due_at);
      detail["new_due"] = core::FormatInstant(d.due_at);
      detail["old_yellow_at"] = core::FormatInstant(before.yellow_at);
      detail["new_yellow_at"] = core::FormatInstant(d.yellow_at);
      detail["old_calendar_version"] = before.calendar_version;
      detail["new_calendar_version"] = d.calendar_version;
      detail["provisional"] = d.provisional;
      detail["year"] = schedule.year;
      XT_RETURN_IF_ERROR(Record(tx, &p, now,
                                AuditRecord{"duty.recompute", "duty", std::to_string(d.id),
                                            "按" + std::to_string(schedule.year) +
                                                "年节假日安排重新计算期限：" + d.title,
                                            std::move(detail)})
                             );
      ++out.recomputed_duties;
    }

    json::object detail;
    detail["year"] = schedule.year;
    detail["notice_number"] = schedule.notice_number;
    detail["notice_title"] = schedule.notice_title;
    detail["published"] = schedule.published;
    detail["json_sha256"] = domain::Sha256Hex(canonical);
    detail["old_version"] = old_version;
    detail["new_version"] = cal.version();
    detail["recomputed_duties"] = out.recomputed_duties;
    XT_RETURN_IF_ERROR(
        Record(tx, &p, now,
               AuditRecord{"calendar.import", "calendar_year", std::to_string(schedule.year),
                           "导入" + std::to_string(schedule.year) + "年节假日安排（" +
                               schedule.notice_number + "）",
                           std::move(detail)})
            );
    out.version = cal.version();
    out.year = schedule.year;
    // Publish before the commit: a writer queued behind this transaction (a duty being
    // created) then computes with the new calendar, never with the old one after the
    // recomputation has run. Restored below if the commit fails.
    snapshot_.store(built);
    return Status::Ok();
  });
  if (!written.ok()) {
    snapshot_.store(previous);
    return written;
  }
  return out;
}

CalendarYears CalendarService::Years() const {
  std::shared_ptr<const Snapshot> snap = snapshot_.load();
  CalendarYears out;
  if (!snap) return out;
  out.version = snap->cal.version();
  for (const calendar::YearSchedule& y : snap->cal.schedules()) {
    out.years.push_back(CalendarYear{y, snap->imported.count(y.year) == 0});
  }
  return out;
}

}  // namespace xietong::service
