// Test-only routes (registered only when ApiEnv::test_mode): the fake clock and a sweeper pass
// on demand, for end-to-end tests that need deadlines to pass in seconds; a boundary decision
// applied to the matters catalog by itself (R-DIS-3; in production only a dispute's decision
// applies one), for the catalog's own HTTP tests.
#include <boost/json.hpp>
#include <string>
#include <type_traits>

#include "http/api_common.h"
#include "http/json_io.h"
#include "service/matter_service.h"

namespace xietong::http {

namespace {
using core::Status;

Status NoFakeClock() {
  return Status::Precondition("no_fake_clock", "服务未以 --fake-clock 启动，无法调整时间")
      .En("The server runs without --fake-clock");
}

boost::json::object NowJson(const core::Clock& clock) {
  return boost::json::object{{"now", core::FormatInstant(clock.Now())}};
}

// Runs env.run_sweeper and renders its result: a callable returning something convertible to
// a JSON value (e.g. jobs::SweepResultJson(sweeper.RunOnce())) gives those counts; a void one
// gives {"ran": true}.
template <typename Fn>
boost::json::value RunSweeper(const Fn& fn) {
  using R = std::invoke_result_t<const Fn&>;
  if constexpr (std::is_void_v<R>) {
    fn();
    return boost::json::object{{"ran", true}};
  } else {
    boost::json::value v = fn();
    if (v.is_object()) v.as_object()["ran"] = true;
    return v;
  }
}
}  // namespace

void RegisterTestRoutes(Router& r, ApiEnv& env) {
  if (!env.test_mode) return;

  r.Add("GET", "/api/v1/test/clock", WithErrors([&env](Request&) -> core::Result<Response> {
          if (env.fake_clock) return Json(200, NowJson(*env.fake_clock));
          if (env.svc.clock) return Json(200, NowJson(*env.svc.clock));
          return NoFakeClock();
        }));

  // {"set": RFC 3339} or {"advance_seconds": N >= 0}, exactly one of them.
  r.Add("POST", "/api/v1/test/clock", WithErrors([&env](Request& req) -> core::Result<Response> {
          if (!env.fake_clock) return NoFakeClock();
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          std::optional<std::string> set = f.OptionalString("set", 64);
          std::optional<int64_t> advance = f.Optional<int64_t>("advance_seconds");
          XT_RETURN_IF_ERROR(f.Finish());
          if (set.has_value() == advance.has_value()) {
            return Status::Invalid(set ? "advance_seconds" : "set",
                                   "须且只能给出 set 或 advance_seconds 之一")
                .En("Give exactly one of set and advance_seconds");
          }
          if (set) {
            auto t = core::ParseInstant(*set);
            if (!t)
              return Status::Invalid("set", "set 应为 RFC 3339 时间").En("set must be RFC 3339");
            env.fake_clock->Set(*t);
          } else {
            if (*advance < 0 || *advance > int64_t{10} * 366 * 86400) {
              return Status::Invalid("advance_seconds", "advance_seconds 应在0至十年之间", {},
                                     "out_of_range")
                  .En("advance_seconds must be 0..10 years");
            }
            env.fake_clock->Advance(std::chrono::seconds(*advance));
          }
          return Json(200, NowJson(*env.fake_clock));
        }));

  // {"matter_code","change":"delegate"|"withdraw"|"owner","township":org code,"owner_org":org
  //  code,"effective":"YYYY-MM-DD","decision_number","decision_document_id"}: one transaction
  // (MatterService::ApplyBoundaryDecision).
  r.Add("POST", "/api/v1/test/boundary", WithErrors([&env](Request& req) -> core::Result<Response> {
          if (!env.svc.matters)
            return Status::Precondition("no_matters", "未配置执法事项目录").En("No matters catalog");
          XT_ASSIGN_OR_RETURN(auto body, Body(env, req));
          FieldReader f(body);
          service::BoundaryDecision d;
          d.matter_code = f.RequiredString("matter_code", 40);
          std::string change = f.RequiredString("change", 16);
          std::optional<std::string> township = f.OptionalString("township", 64);
          std::optional<std::string> owner = f.OptionalString("owner_org", 64);
          std::string effective = f.RequiredString("effective", 10);
          d.decision_number = f.OptionalString("decision_number", 64).value_or("");
          d.decision_document_id = f.Optional<int64_t>("decision_document_id").value_or(0);
          XT_RETURN_IF_ERROR(f.Finish());
          if (change == "delegate") {
            d.change = service::BoundaryDecision::Change::kDelegate;
          } else if (change == "withdraw") {
            d.change = service::BoundaryDecision::Change::kWithdraw;
          } else if (change == "owner") {
            d.change = service::BoundaryDecision::Change::kOwner;
          } else {
            return Status::Invalid("change", "change 应为 delegate、withdraw 或 owner")
                .En("change must be delegate, withdraw or owner");
          }
          auto day = core::ParseDay(effective);
          if (!day) return Status::Invalid("effective", "日期格式应为 YYYY-MM-DD").En("effective must be YYYY-MM-DD");
          d.effective = *day;
          XT_RETURN_IF_ERROR(env.svc.matters->ApplyBoundaryDecision(d, township, owner));
          return Json(200, boost::json::object{{"applied", true}});
        }));

  r.Add("POST", "/api/v1/test/sweep", WithErrors([&env](Request&) -> core::Result<Response> {
          if (!env.run_sweeper) {
            return Status::Precondition("no_sweeper", "未配置到期扫描任务")
                .En("No sweeper is configured");
          }
          return Json(200, RunSweeper(env.run_sweeper));
        }));
}

}  // namespace xietong::http
