// Idempotency-Key middleware (contract: docs/referrals-contract.md, top).
//
// For POST, PATCH and DELETE requests that carry an Idempotency-Key header and authenticate
// (session + CSRF, or bearer token; unauthenticated requests pass through untouched and are
// refused by their handler): the first request with a key runs and its response (status < 500)
// is stored; a repeat by the same user with the same method, path and body within 24 h gets the
// stored status and body back with "Idempotent-Replayed: true" and does no work; the same key
// with another method, path or body gets 409 idempotency_key_reused; a repeat while the first
// is still running gets 409 idempotency_in_progress. A malformed key (empty, over 100
// characters, not printable ASCII) gets 400 with field "Idempotency-Key". Streaming responses
// are never stored. Thread-safe (state lives in the store).
// One transaction per request (issue 16, service/idempotency_service.h Execute()): the key's
// reservation, the handler's writes (its services write through IdempotencyService::WorkStore())
// and the stored response commit together, once; a crash before that commit leaves nothing (a
// retry runs the request), after it a retry replays the stored answer — never a second
// execution. A duplicate sent while the first runs waits for it and replays its answer. An
// answer >= 500 rolls the whole request back. Keys left by instances of the earlier
// three-transaction protocol are honoured (409 idempotency_in_progress while their instance
// lives, idempotency_response_lost when their work committed but they died).
//
//   router.Use(http::IdempotencyMiddleware(env));  // env.svc.idempotency must be set
#pragma once

#include "http/api_common.h"
#include "http/router.h"

namespace xietong::http {

// REQUIRES: env outlives the router; env.svc.idempotency and env.svc.auth are set.
Middleware IdempotencyMiddleware(const ApiEnv& env);

}  // namespace xietong::http
