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
// Across instances and crashes (service/idempotency_service.h): the handler runs inside an
// IdempotencyService::Running scope, so the services' first committed write (through
// IdempotencyService::WorkStore()) marks the key carried out atomically with the work; a retry
// after the instance died either runs the request (nothing was done) or gets 409
// idempotency_response_lost (it was done; read the resource) — never a second execution.
//
//   router.Use(http::IdempotencyMiddleware(env));  // env.svc.idempotency must be set
#pragma once

#include "http/api_common.h"
#include "http/router.h"

namespace xietong::http {

// REQUIRES: env outlives the router; env.svc.idempotency and env.svc.auth are set.
Middleware IdempotencyMiddleware(const ApiEnv& env);

}  // namespace xietong::http
