#!/usr/bin/env bash
# Instructions per request, counted by callgrind (repeatable whatever else the machine does):
# starts BINARY on a copy of the load benchmark's SQLite database (bench/run.sh makes it, in
# var/bench/), sends N requests of LOAD (send = create+submit+approve, detail = GET a referral)
# one at a time, stops it, and prints the program total and the inclusive count of
# Router::Handle. LOAD: send, detail, inbox, list (bench/run.sh's loads), collablist. Run it with N=0 too: the difference
# divided by N is the cost of one request.
#   bench/count/run.sh build/src/cli/xietong send 40
#   bench/count/run.sh build/src/cli/xietong send 0
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1 LOAD=$2 N=$3
DB=$(ls var/bench/s0.01-*.db | head -1)
TOK=${DB%.db}.tokens
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp "$WORK/cg.out" "$KEEP"; rm -rf "$WORK"' EXIT
cp "$DB" "$WORK/xt.db"
PORT=$((20000 + RANDOM % 10000))
valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$BIN" serve --db "sqlite:$WORK/xt.db" \
  --listen "127.0.0.1:$PORT" --sweep-interval 86400 --access-log off --workers 4 >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "127.0.0.1:$PORT/healthz" && break; sleep 1; done
node "bench/count/$LOAD.mjs" "http://127.0.0.1:$PORT" "$TOK" "$N"
kill -INT "$PID"; wait "$PID" || true
callgrind_annotate "$WORK/cg.out" 2>/dev/null | grep -m1 "PROGRAM TOTALS" || true
# The requests themselves: every handler, service, store and JSON step under the router.
callgrind_annotate --inclusive=yes --threshold=100 "$WORK/cg.out" 2>/dev/null | grep -m1 "Router::Handle" || true
