// The Idempotency-Key middleware with a real SQLite store, real services and a real Router.
#include "http/idempotency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <stdexcept>
#include <thread>

#include "http/json_io.h"
#include "service/idempotency_service.h"
#include "service/test_util.h"

namespace xietong::http {
namespace {

struct IdemFixture : service::testing::Fixture {
  service::IdempotencyService idem{*store, clock};
  ApiEnv env;
  Router router;
  std::atomic<int> runs{0};
  std::string token, other_token;
  std::promise<void> release;  // for the slow route
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;

  IdemFixture() {
    env.svc.store = store.get();
    env.svc.clock = &clock;
    env.svc.auth = &auth;
    env.svc.idempotency = &idem;
    router.Use(IdempotencyMiddleware(env));
    router.Add("POST", "/api/v1/things", WithAuth(env, [this](Request& req, const service::Principal&)
                                                       -> core::Result<Response> {
      int n = ++runs;
      if (req.body == "fail") return core::Status::Invalid("x", "bad");
      if (req.body == "boom") return core::Status::Internal("boom");
      return Json(201, boost::json::object{{"run", n}, {"body", req.body}});
    }));
    router.Add("POST", "/api/v1/slow", WithAuth(env, [this](Request&, const service::Principal&)
                                                     -> core::Result<Response> {
      ++runs;
      entered.set_value();
      released.wait();
      return Json(201, boost::json::object{{"slow", true}});
    }));
    router.Add("GET", "/api/v1/things", [this](Request&) {
      ++runs;
      return JsonResponse(200, boost::json::object{});
    });
    token = Must(auth.IssueToken(nullptr, xincheng_officer.user.id, "t")).token;
    other_token = Must(auth.IssueToken(nullptr, liuzu_officer.user.id, "t")).token;
  }

  Response Call(const std::string& method, const std::string& path, const std::string& body,
                const std::optional<std::string>& key, const std::string& tok) {
    Request req;
    req.method = method;
    EXPECT_TRUE(req.SetTarget(path).ok());
    req.body = body;
    if (!tok.empty()) req.headers.emplace_back("Authorization", "Bearer " + tok);
    if (key) req.headers.emplace_back("Idempotency-Key", *key);
    return router.Handle(req);
  }
  Response Post(const std::string& body, const std::optional<std::string>& key) {
    return Call("POST", "/api/v1/things", body, key, token);
  }
};

std::string ErrorCode(const Response& r) {
  auto v = ParseJsonObject(r.body);
  if (!v.ok() || !v->contains("error")) return "";
  return std::string(v->at("error").at("code").as_string());
}
std::string ErrorField(const Response& r) {
  auto v = ParseJsonObject(r.body);
  if (!v.ok() || !v->contains("error") || !v->at("error").at("field").is_string()) return "";
  return std::string(v->at("error").at("field").as_string());
}

TEST(IdempotencyTest, ReplaysTheFirstResponseWithoutRunningAgain) {
  IdemFixture f;
  Response first = f.Post("a", "key-1");
  EXPECT_EQ(first.status, 201);
  EXPECT_FALSE(first.header("Idempotent-Replayed"));
  Response again = f.Post("a", "key-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.content_type, first.content_type);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(f.runs, 1);
  // Without a key, or with another key, the work runs.
  EXPECT_EQ(f.Post("a", std::nullopt).status, 201);
  EXPECT_EQ(f.Post("a", "key-2").status, 201);
  EXPECT_EQ(f.runs, 3);
  // Keys are per user.
  EXPECT_EQ(f.Call("POST", "/api/v1/things", "a", "key-1", f.other_token).status, 201);
  EXPECT_EQ(f.runs, 4);
  // GET ignores keys.
  EXPECT_EQ(f.Call("GET", "/api/v1/things", "", "key-1", f.token).status, 200);
  EXPECT_EQ(f.runs, 5);
}

TEST(IdempotencyTest, AKeyReusedForAnotherRequestIsAConflict) {
  IdemFixture f;
  ASSERT_EQ(f.Post("a", "key-1").status, 201);
  Response other_body = f.Post("b", "key-1");
  EXPECT_EQ(other_body.status, 409);
  EXPECT_EQ(ErrorCode(other_body), "idempotency_key_reused");
  EXPECT_EQ(ErrorField(other_body), "Idempotency-Key");
  Response other_route = f.Call("POST", "/api/v1/slow", "a", "key-1", f.token);
  EXPECT_EQ(other_route.status, 409);
  EXPECT_EQ(ErrorCode(other_route), "idempotency_key_reused");
  EXPECT_EQ(f.runs, 1);
}

TEST(IdempotencyTest, ClientErrorsAreStoredServerErrorsAreNot) {
  IdemFixture f;
  EXPECT_EQ(f.Post("fail", "k-4xx").status, 400);
  EXPECT_EQ(f.Post("fail", "k-4xx").status, 400);
  EXPECT_EQ(f.runs, 1);  // replayed
  EXPECT_EQ(f.Post("boom", "k-5xx").status, 500);
  EXPECT_EQ(f.Post("boom", "k-5xx").status, 500);
  EXPECT_EQ(f.runs, 3);  // a 5xx may be retried with the same key
}

TEST(IdempotencyTest, MalformedKeysAreRefusedBeforeAnyWork) {
  IdemFixture f;
  for (std::string key : {std::string(), std::string(101, 'k'), std::string("with space"),
                          std::string("é")}) {
    Response r = f.Post("a", key);
    EXPECT_EQ(r.status, 400) << key;
    EXPECT_EQ(ErrorField(r), "Idempotency-Key") << key;
  }
  EXPECT_EQ(f.Post("a", std::string(100, 'k')).status, 201);
  EXPECT_EQ(f.runs, 1);
}

TEST(IdempotencyTest, UnauthenticatedRequestsPassThroughToTheirHandler) {
  IdemFixture f;
  Response r = f.Call("POST", "/api/v1/things", "a", "key-1", "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(f.runs, 0);
}

TEST(IdempotencyTest, KeysExpireAfter24Hours) {
  IdemFixture f;
  ASSERT_EQ(f.Post("a", "key-1").status, 201);
  f.clock.Advance(std::chrono::hours(23));
  EXPECT_EQ(f.Post("a", "key-1").header("Idempotent-Replayed"), "true");
  f.clock.Advance(std::chrono::hours(2));
  Response fresh = f.Post("b", "key-1");  // the old key is ignored: no conflict
  EXPECT_EQ(fresh.status, 201);
  EXPECT_FALSE(fresh.header("Idempotent-Replayed"));
  EXPECT_EQ(f.runs, 2);
  // Purged opportunistically.
  f.clock.Advance(std::chrono::hours(25));
  ASSERT_EQ(f.Post("c", "key-3").status, 201);
  auto st = f.store->Read([&](storage::Tx& tx) -> core::Status {
    XT_ASSIGN_OR_RETURN(auto old, tx.GetIdempotencyKey(f.xincheng_officer.user.id, "key-1"));
    EXPECT_FALSE(old.has_value());
    return core::Status::Ok();
  });
  EXPECT_TRUE(st.ok());
}

TEST(IdempotencyTest, AConcurrentDuplicateDoesNotRunTheWorkTwice) {
  IdemFixture f;
  auto first = std::async(std::launch::async,
                          [&] { return f.Call("POST", "/api/v1/slow", "x", "same", f.token); });
  f.entered.get_future().wait();  // the first is inside its handler, in its transaction
  // The duplicate waits for the first's transaction (one transaction per request, issue 16)
  // and then answers the first's stored response.
  auto dup = std::async(std::launch::async,
                        [&] { return f.Call("POST", "/api/v1/slow", "x", "same", f.token); });
  f.release.set_value();
  Response r1 = first.get();
  Response r2 = dup.get();
  EXPECT_EQ(r1.status, 201);
  EXPECT_EQ(r2.status, 201);
  EXPECT_EQ(r2.body, r1.body);
  EXPECT_EQ(r2.header("Idempotent-Replayed"), "true");
  Response replay = f.Call("POST", "/api/v1/slow", "x", "same", f.token);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(f.runs, 1);
}

// One transaction per write request (issue 16): a store that counts the transactions begun on
// it, under an IdempotencyService whose WorkStore() the handlers below write through.
class CountingStore final : public storage::Store {
 public:
  explicit CountingStore(storage::Store& base) : base_(base) {}
  core::Status Write(const std::function<core::Status(storage::Tx&)>& fn) override {
    ++writes;
    return base_.Write(fn);
  }
  core::Status Read(const std::function<core::Status(storage::Tx&)>& fn) override {
    ++reads;
    return base_.Read(fn);
  }
  storage::StoreInfo Info() const override { return base_.Info(); }
  double DbSeconds() const override { return base_.DbSeconds(); }
  std::atomic<int> writes{0}, reads{0};

 private:
  storage::Store& base_;
};

struct OneTxFixture : service::testing::Fixture {
  CountingStore counting{*store};
  service::IdempotencyService idem{counting, clock};
  ApiEnv env;
  Router router;
  std::string token;
  std::atomic<int> runs{0};

  // The job state "work.<name>" (what the handlers below write), or "" when absent.
  std::string Work(const std::string& name) {
    std::string out;
    EXPECT_TRUE(store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(auto v, tx.GetState("work." + name));
      out = v.value_or("");
      return core::Status::Ok();
    }).ok());
    return out;
  }
  bool KeyStored(const std::string& key) {
    bool found = false;
    EXPECT_TRUE(store->Read([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(auto rec, tx.GetIdempotencyKey(xincheng_officer.user.id, key));
      found = rec.has_value();
      return core::Status::Ok();
    }).ok());
    return found;
  }

  OneTxFixture() {
    env.svc.store = &idem.WorkStore();
    env.svc.clock = &clock;
    env.svc.auth = &auth;
    env.svc.idempotency = &idem;
    router.Use(IdempotencyMiddleware(env));
    // Body "<what>": two units of work through WorkStore() (a and b, each a job state), a read
    // of what the first wrote, then the answer named by <what>.
    router.Add("POST", "/api/v1/work", WithAuth(env, [this](Request& req, const service::Principal&)
                                                     -> core::Result<Response> {
      const int n = ++runs;
      storage::Store& work = idem.WorkStore();
      XT_RETURN_IF_ERROR(work.Write([&](storage::Tx& tx) {
        return tx.PutState("work.a", req.body + std::to_string(n));
      }));
      core::Status second = work.Write([&](storage::Tx& tx) -> core::Status {
        XT_RETURN_IF_ERROR(tx.PutState("work.b", req.body + std::to_string(n)));
        if (req.body == "half") return core::Status::Invalid("b", "refused after writing");
        return core::Status::Ok();
      });
      std::string seen;
      XT_RETURN_IF_ERROR(work.Read([&](storage::Tx& tx) -> core::Status {
        XT_ASSIGN_OR_RETURN(auto v, tx.GetState("work.a"));
        seen = v.value_or("");
        return core::Status::Ok();
      }));
      if (req.body == "crash" && n == 1) throw std::runtime_error("the process dies before the commit");
      if (req.body == "boom") return core::Status::Internal("boom");
      XT_RETURN_IF_ERROR(second);
      return Json(201, boost::json::object{{"run", n}, {"seen", seen}});
    }));
    token = Must(auth.IssueToken(nullptr, xincheng_officer.user.id, "t")).token;
  }
  Response Post(const std::string& body, const std::string& key) {
    Request req;
    req.method = "POST";
    EXPECT_TRUE(req.SetTarget("/api/v1/work").ok());
    req.body = body;
    req.headers.emplace_back("Authorization", "Bearer " + token);
    req.headers.emplace_back("Idempotency-Key", key);
    return router.Handle(req);
  }
};

TEST(IdempotencyOneTransactionTest, TheKeyTheWorkAndTheResponseCommitInOneTransaction) {
  OneTxFixture f;
  Response r = f.Post("x", "k1");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(f.counting.writes, 1);  // was 3: reservation, work, stored response
  EXPECT_NE(r.body.find("\"seen\":\"x1\""), std::string::npos) << r.body;  // reads its own writes
  EXPECT_EQ(f.Work("a"), "x1");
  EXPECT_EQ(f.Work("b"), "x1");
  EXPECT_TRUE(f.KeyStored("k1"));
  // The retry replays the stored body from a read, without a write transaction or the handler.
  Response again = f.Post("x", "k1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, r.body);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(f.counting.writes, 1);
  EXPECT_EQ(f.runs, 1);
}

TEST(IdempotencyOneTransactionTest, ADeathBeforeTheCommitLeavesNeitherWorkNorKeyAndTheRetryRunsOnce) {
  OneTxFixture f;
  EXPECT_THROW(f.Post("crash", "k2"), std::runtime_error);
  EXPECT_EQ(f.Work("a"), "");  // the units that "committed" inside were never durable
  EXPECT_FALSE(f.KeyStored("k2"));
  // The retry (the client's, after the crash) runs the request: nothing was done before.
  // (crash_kill9.test.mjs does the same with a real SIGKILL.)
  Response retry = f.Post("crash", "k2");
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(f.Work("a"), "crash2");
  EXPECT_TRUE(f.KeyStored("k2"));
  EXPECT_EQ(f.Post("crash", "k2").header("Idempotent-Replayed"), "true");
  EXPECT_EQ(f.runs, 2);
}

TEST(IdempotencyOneTransactionTest, AServerErrorRollsTheWholeRequestBack) {
  OneTxFixture f;
  EXPECT_EQ(f.Post("boom", "k3").status, 500);
  EXPECT_EQ(f.Work("a"), "");
  EXPECT_EQ(f.Work("b"), "");
  EXPECT_FALSE(f.KeyStored("k3"));
  EXPECT_EQ(f.Post("boom", "k3").status, 500);  // retried: it runs again
  EXPECT_EQ(f.runs, 2);
}

TEST(IdempotencyOneTransactionTest, AFailedUnitIsUndoneAloneAndTheRefusalIsStored) {
  OneTxFixture f;
  Response r = f.Post("half", "k4");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(f.Work("a"), "half1");  // the first unit stands
  EXPECT_EQ(f.Work("b"), "");       // the refused unit wrote nothing
  EXPECT_TRUE(f.KeyStored("k4"));
  EXPECT_EQ(f.counting.writes, 1);
  Response again = f.Post("half", "k4");
  EXPECT_EQ(again.body, r.body);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(f.runs, 1);
}

// Several instances on one database (service/idempotency_service.h): `other` plays another
// server instance that reserved the key and then died, before or after its work committed.
TEST(IdempotencyTest, AKeyOrphanedBeforeTheWorkCommittedIsTakenOverAndRun) {
  IdemFixture f;
  service::IdempotencyService other(*f.store, f.clock);  // never Start()ed: no heartbeat
  const domain::Id user = f.xincheng_officer.user.id;
  ASSERT_FALSE(f.Must(other.Begin(user, "orphan", "POST", "/api/v1/things", "x")).has_value());
  Response r = f.Post("x", "orphan");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(f.runs, 1);
  Response replay = f.Post("x", "orphan");
  EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(f.runs, 1);
}

TEST(IdempotencyTest, AKeyWhoseWorkCommittedButWasNeverAnsweredIsNotRunAgain) {
  IdemFixture f;
  service::IdempotencyService other(*f.store, f.clock);
  const domain::Id user = f.xincheng_officer.user.id;
  ASSERT_FALSE(f.Must(other.Begin(user, "lost", "POST", "/api/v1/things", "x")).has_value());
  {
    service::IdempotencyService::Running running(other, user, "lost");
    ASSERT_TRUE(other.WorkStore().Write([](storage::Tx&) { return core::Status::Ok(); }).ok());
    EXPECT_TRUE(running.carried_out());
  }  // … and the instance dies before Finish()
  Response r = f.Post("x", "lost");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(ErrorCode(r), "idempotency_response_lost");
  EXPECT_EQ(f.runs, 0);
}

TEST(IdempotencyTest, ALiveInstancesKeyIsInProgressUntilItStops) {
  IdemFixture f;
  core::SystemClock real;
  service::IdempotencyService other(*f.store, f.clock, &real);
  other.Start();
  const domain::Id user = f.xincheng_officer.user.id;
  ASSERT_FALSE(f.Must(other.Begin(user, "busy", "POST", "/api/v1/things", "x")).has_value());
  Response busy = f.Post("x", "busy");
  EXPECT_EQ(ErrorCode(busy), "idempotency_in_progress");
  EXPECT_EQ(f.runs, 0);
  // A presumed-dead owner that still runs cannot commit its work once the key was taken over.
  other.Stop();
  EXPECT_EQ(f.Post("x", "busy").status, 201);
  EXPECT_EQ(f.runs, 1);
  service::IdempotencyService::Running late(other, user, "busy");
  core::Status st = other.WorkStore().Write([](storage::Tx&) { return core::Status::Ok(); });
  EXPECT_EQ(st.id(), "idempotency_in_progress");
}

// The heartbeat rows an instance writes (job state "idempotency.instance.<id>").
std::map<std::string, std::string> HeartbeatRows(storage::Store& store) {
  std::map<std::string, std::string> out;
  EXPECT_TRUE(store
                  .Read([&](storage::Tx& tx) -> core::Status {
                    XT_ASSIGN_OR_RETURN(auto rows, tx.ListStates(std::string(
                                                       service::IdempotencyService::kHeartbeatKeyPrefix)));
                    for (auto& [k, v] : rows) out.emplace(k, v);
                    return core::Status::Ok();
                  })
                  .ok());
  return out;
}

std::string HeartbeatKeyOf(const service::IdempotencyService& s) {
  return std::string(service::IdempotencyService::kHeartbeatKeyPrefix) + s.instance_id();
}

TEST(IdempotencyTest, AnInstanceThatStopsCleanlyRemovesItsHeartbeatRow) {
  IdemFixture f;
  core::FakeClock lease(*core::ParseInstant("2026-12-07T09:00:00+08:00"));
  service::IdempotencyService a(*f.store, f.clock, &lease);
  service::IdempotencyService b(*f.store, f.clock, &lease);
  a.Start();
  b.Start();
  auto rows = HeartbeatRows(*f.store);
  EXPECT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows.count(HeartbeatKeyOf(a)));
  EXPECT_EQ(rows[HeartbeatKeyOf(a)], std::to_string(core::ToMillis(lease.Now())));
  a.Stop();
  rows = HeartbeatRows(*f.store);
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows.count(HeartbeatKeyOf(a)));
  EXPECT_TRUE(rows.count(HeartbeatKeyOf(b)));
  a.Stop();  // twice: nothing more to do
  b.Stop();
  EXPECT_TRUE(HeartbeatRows(*f.store).empty());
  // A key reserved by a stopped instance is an orphan at once (no row = gone).
  const domain::Id user = f.xincheng_officer.user.id;
  ASSERT_FALSE(f.Must(a.Begin(user, "after-stop", "POST", "/api/v1/things", "x")).has_value());
  EXPECT_EQ(f.Post("x", "after-stop").status, 201);
}

TEST(IdempotencyTest, ExpiredHeartbeatRowsAreDeletedByALiveInstance) {
  IdemFixture f;
  core::FakeClock lease(*core::ParseInstant("2026-12-07T09:00:00+08:00"));
  using service::IdempotencyService;
  const std::string prefix(IdempotencyService::kHeartbeatKeyPrefix);
  const int64_t now = core::ToMillis(lease.Now());
  const int64_t expiry = std::chrono::milliseconds(IdempotencyService::kHeartbeatExpiry).count();
  // Rows of instances that crashed: one just expired, one at the limit, one fresh, one garbage,
  // the old stop marker "0"; and an unrelated job state that must stay.
  ASSERT_TRUE(f.store
                  ->Write([&](storage::Tx& tx) -> core::Status {
                    XT_RETURN_IF_ERROR(tx.PutState(prefix + "1-dead", std::to_string(now - expiry - 1)));
                    XT_RETURN_IF_ERROR(tx.PutState(prefix + "2-limit", std::to_string(now - expiry)));
                    XT_RETURN_IF_ERROR(tx.PutState(prefix + "3-fresh", std::to_string(now - 1000)));
                    XT_RETURN_IF_ERROR(tx.PutState(prefix + "4-garbage", "12x"));
                    XT_RETURN_IF_ERROR(tx.PutState(prefix + "5-stopped", "0"));
                    return tx.PutState("sweeper.last_run", "0");
                  })
                  .ok());
  IdempotencyService live(*f.store, f.clock, &lease);
  live.Start();  // purges once when it starts
  auto rows = HeartbeatRows(*f.store);
  EXPECT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows.count(prefix + "2-limit"));
  EXPECT_TRUE(rows.count(prefix + "3-fresh"));
  EXPECT_TRUE(rows.count(HeartbeatKeyOf(live)));
  // Later: the 2-limit row and then the fresh one expire; the live instance's own row never is
  // deleted by itself, even when its beat is old on the lease clock.
  lease.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(f.Must(live.PurgeExpiredHeartbeats()), 1);
  lease.Advance(IdempotencyService::kHeartbeatExpiry);
  EXPECT_EQ(f.Must(live.PurgeExpiredHeartbeats()), 1);
  rows = HeartbeatRows(*f.store);
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows.count(HeartbeatKeyOf(live)));
  EXPECT_EQ(f.Must(live.PurgeExpiredHeartbeats()), 0);
  // The other job state is untouched.
  std::optional<std::string> other;
  ASSERT_TRUE(f.store
                  ->Read([&](storage::Tx& tx) -> core::Status {
                    XT_ASSIGN_OR_RETURN(other, tx.GetState("sweeper.last_run"));
                    return core::Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(other, "0");
}

}  // namespace
}  // namespace xietong::http
