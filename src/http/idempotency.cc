#include "http/idempotency.h"

#include "http/json_io.h"
#include "service/idempotency_service.h"

namespace xietong::http {

Middleware IdempotencyMiddleware(const ApiEnv& env) {
  return [&env](Request& req, const Handler& next) -> Response {
    if (req.method != "POST" && req.method != "PATCH" && req.method != "DELETE") return next(req);
    auto key_header = req.header("Idempotency-Key");
    if (!key_header) return next(req);
    const std::string key(*key_header);
    if (auto st = service::IdempotencyService::CheckKey(key); !st.ok())
      return ErrorResponse(st, req);
    auto p = Authenticate(env, req);
    if (!p.ok()) return next(req);  // the handler refuses it (401/403) as usual
    service::IdempotencyService& idem = *env.svc.idempotency;
    const domain::Id user = p->user.id;
    auto begun = idem.Begin(user, key, req.method, req.path, req.body);
    if (!begun.ok()) return ErrorResponse(begun.status(), req);
    if (*begun) {
      Response r;
      r.status = (*begun)->status;
      r.content_type = (*begun)->content_type;
      r.body = (*begun)->body;
      r.AddHeader("Idempotent-Replayed", "true");
      return r;
    }
    Response res;
    bool carried_out = false;
    {
      // The services' first committed write marks the key carried out with the work.
      service::IdempotencyService::Running running(idem, user, key);
      try {
        res = next(req);
      } catch (...) {
        (void)idem.Abandon(user, key, running.carried_out());
        throw;
      }
      carried_out = running.carried_out();
    }
    if (res.stream) {
      (void)idem.Abandon(user, key, carried_out);
      return res;
    }
    // A failure to store only loses the replay; the response itself stands.
    if (!idem.Finish(user, key, {res.status, res.content_type, res.body}, carried_out).ok())
      (void)idem.Abandon(user, key, carried_out);
    return res;
  };
}

}  // namespace xietong::http
