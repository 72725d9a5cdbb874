#!/usr/bin/env bash
# Before/after of the read path (issue 16): two xietong binaries, alternating, on their own copy
# of the same generated SQLite file (bench/run.sh makes it), the same wrk loads as bench/run.sh.
#   bench/renderings/ab.sh BASE_XT NEW_XT DB TOKENS [ROUNDS=3] [DURATION=8s] [LOADS="healthz inbox detail list"]
# Prints one line per round, binary and load: req/s and p99.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=$1 NEW=$2 DB=$3 TOKENS=$4 ROUNDS=${5:-3} DUR=${6:-8s}
LOADS=${7:-healthz inbox detail list}
tok() { awk -v k="$1" '$1 == k { print $2 }' "$TOKENS"; }
REFERRALS=$(( $(tok items) * 9 / 10 ))
WORK=$(mktemp -d /tmp/xtab.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
cp "$DB" "$WORK/base.db"; cp "$DB" "$WORK/new.db"
PORT=$(( 20000 + RANDOM % 20000 ))
for round in $(seq 1 "$ROUNDS"); do
  for v in base new; do
    xt=$BASE; [ $v = new ] && xt=$NEW
    "$xt" serve --db "sqlite:$WORK/$v.db" --listen 127.0.0.1:$PORT --sweep-interval 86400 \
      --access-log off --audit-key "$WORK/key" >"$WORK/$v.log" 2>&1 &
    PID=$!
    until curl -fs http://127.0.0.1:$PORT/healthz >/dev/null 2>&1; do sleep 0.1; done
    for load in $LOADS; do
      case $load in
        healthz) a=("$(tok receiver.officer)" /healthz) ;;
        inbox) a=("$(tok receiver.officer)" "/api/v1/duties?scope=org&state=open") ;;
        detail) a=("$(tok coord.staff)" "/api/v1/referrals/{id}" "$REFERRALS") ;;
        list) a=("$(tok receiver.officer)" "/api/v1/referrals?direction=in&state=closed&matter=$(tok matter_code)") ;;
      esac
      wrk -t1 -c64 -d3s -s bench/wrk/get.lua http://127.0.0.1:$PORT -- "${a[@]}" >/dev/null 2>&1
      wrk -t1 -c64 -d"$DUR" --latency -s bench/wrk/get.lua http://127.0.0.1:$PORT -- "${a[@]}" \
        >"$WORK/out" 2>&1
      printf 'round %s %-4s %-7s %8s req/s  p99 %s  non200 %s\n' "$round" $v $load \
        "$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$WORK/out")" \
        "$(awk '$1 == "99%" { print $2 }' "$WORK/out")" "$(awk '/^NON200/ { print $2 }' "$WORK/out")"
    done
    kill $PID; wait $PID 2>/dev/null || true; PID=""
  done
done
