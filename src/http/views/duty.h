// JSON views of duties (R-TIME-4): one duty, an object's duties, a duty's detail with its
// history, and a page of duties. Pure functions; thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "core/time.h"
#include "domain/duty.h"
#include "service/duty_service.h"

namespace xietong::http::views {

// One description of each shape below, for either writer of http/views/json_writer.h
// (instantiated for TreeWriter and TextWriter); the *Json functions are their trees.
template <class W>
void WriteDuty(W& w, const domain::Duty& d, std::string_view owner_org_name,
               const calendar::Calendar& cal, core::Instant now);
template <class W>
void WriteDuties(W& w, const std::vector<domain::Duty>& duties,
                 const std::map<domain::Id, std::string>& owner_names,
                 const calendar::Calendar& cal, core::Instant now);
template <class W>
void WriteDutyList(W& w, const service::DutyList& list);

// The API shape of one duty:
// {"id","kind","kind_label","rule","rule_text","owner_org":{"id","name"},"object_type",
//  "object_id","title","trigger_at","due_at","calendar_version","provisional","state","colour",
//  "met_at","on_time","late_working_days","remaining":{"working_days","hours","overdue"},
//  "period":{"unit","value"}}
// Instants are RFC 3339 in +08:00; met_at/on_time/late_working_days are null until met;
// "remaining" is null unless the duty is open; "colour" is "none" unless open.
boost::json::object DutyJson(const domain::Duty& d, std::string_view owner_org_name,
                             const calendar::Calendar& cal, core::Instant now);
// DutyJson of each duty, the owner's name looked up in `owner_names` (empty when absent).
boost::json::array DutiesJson(const std::vector<domain::Duty>& duties,
                              const std::map<domain::Id, std::string>& owner_names,
                              const calendar::Calendar& cal, core::Instant now);
// One history entry: {"id","at","actor_user_id","kind","reason","old_due","new_due"}.
boost::json::object DutyEventJson(const domain::DutyEvent& e);
// DutyJson plus "events":[DutyEventJson…].
boost::json::object DutyDetailJson(const service::DutyDetail& d);
// {"items":[DutyJson…],"total":N}.
boost::json::object DutyListJson(const service::DutyList& list);
// The same as JSON text (the inbox route), bytes equal to boost::json::serialize(DutyListJson).
std::string DutyListText(const service::DutyList& list);

}  // namespace xietong::http::views
