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
    // One transaction: the reservation, the handler's writes and the stored response.
    Response res;
    auto out = idem.Execute(user, key, req.method, req.path, req.body,
                            [&]() -> service::IdempotencyService::Handled {
                              res = next(req);
                              return {res.status, res.content_type, res.body, res.stream != nullptr};
                            });
    if (!out.ok()) return ErrorResponse(out.status(), req);
    if (*out) {
      Response r;
      r.status = (*out)->status;
      r.content_type = (*out)->content_type;
      r.body = (*out)->body;
      r.AddHeader("Idempotent-Replayed", "true");
      return r;
    }
    return res;
  };
}

}  // namespace xietong::http
