#!/usr/bin/env bash
# The load benchmark (issue 6); `make bench` runs it after the calendar benchmark. Results and
# how to read them: bench/README.md.
#
#   bench/run.sh                                   # scale 1.0 (1,000,000 items), 30 s per load
#   BENCH_SCALE=0.01 BENCH_DURATION=5s bench/run.sh  # a quick run
#
# Environment:
#   BUILD              build directory with xietong, datagen, sweep_bench (default build; Release)
#   BENCH_SCALE        datagen --scale (default 1.0)
#   BENCH_OPEN_DUTIES  datagen --open-duties (default 1,000,000 × scale)
#   BENCH_DURATION     wrk -d per load (default 30s)
#   BENCH_CONNECTIONS  wrk -c (default 64)
#   BENCH_BACKENDS     "sqlite postgres" (default both)
#   BENCH_OPS          "healthz inbox detail list send" (default all) and "sweep"; the regional
#                      loads (R-ACC-2, issue 19; not in the default) "county_inbox county_list
#                      city_overview": a county 依法治县办's 待办 (all) and referral list, a city
#                      依法治市办's overview of its orgs
#
# Steps: generate (or reuse) the SQLite database in var/bench/, keyed by scale, seed and a hash
# of the migrations and the generator; copy it (SQLite) or `xietong migrate-data` it into a
# throwaway PostgreSQL (scripts/pg, fsync turned back on so commits are durable); for each load
# start `xietong serve` on 127.0.0.1 (fresh process, so VmHWM is that load's peak RSS), warm up,
# run wrk -t1 -cN -dD --latency; then time the sweeper (bench/sweep_bench) on a fresh copy.
# Prints a Markdown table and writes it to var/bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
SCALE=${BENCH_SCALE:-1.0}
OPEN_DUTIES=${BENCH_OPEN_DUTIES:-}
DURATION=${BENCH_DURATION:-30s}
CONNS=${BENCH_CONNECTIONS:-64}
BACKENDS=${BENCH_BACKENDS:-sqlite postgres}
OPS=${BENCH_OPS:-healthz inbox detail list send sweep}
SEED=1
XT=$BUILD/src/cli/xietong
DATAGEN=$BUILD/bench/datagen
SWEEP=$BUILD/bench/sweep_bench
for b in "$XT" "$DATAGEN" "$SWEEP"; do
  [ -x "$b" ] || { echo "bench: $b missing (cmake --build $BUILD --target xietong datagen sweep_bench)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench: wrk not installed" >&2; exit 1; }

mkdir -p var/bench
KEY=$(cat src/storage/sqlite/migrations.cc src/storage/postgres/migrations.cc bench/datagen.cc |
      sha256sum | cut -c1-12)
BASE=var/bench/s${SCALE}${OPEN_DUTIES:+-o$OPEN_DUTIES}-seed${SEED}-${KEY}
DB=$BASE.db
TOKENS=$BASE.tokens
if [ ! -f "$DB" ] || [ ! -f "$TOKENS" ]; then
  rm -f "$DB" "$DB"-wal "$DB"-shm "$TOKENS"
  echo "== generating $DB (scale $SCALE)"
  rm -f "$DB.tmp" "$TOKENS.tmp"
  "$DATAGEN" --db "sqlite:$DB.tmp" --scale "$SCALE" --seed "$SEED" --tokens "$TOKENS.tmp" \
    ${OPEN_DUTIES:+--open-duties "$OPEN_DUTIES"}
  mv "$DB.tmp" "$DB"
  mv "$TOKENS.tmp" "$TOKENS"
else
  echo "== reusing $DB ($(du -h "$DB" | cut -f1))"
fi
tok() { awk -v k="$1" '$1 == k { print $2 }' "$TOKENS"; }
ITEMS=$(tok items)
REFERRALS=$((ITEMS * 9 / 10))  # datagen: every tenth item is a collaboration request
RECEIVER_ORG=$(tok receiver_org)

WORK=$(mktemp -d /tmp/xtbench.XXXXXX)
SERVER_PID=""
PG_STARTED=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$PG_STARTED" ] && bash scripts/pg stop "$XT_PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(( 20000 + RANDOM % 20000 ))
URL=http://127.0.0.1:$PORT

start_server() {  # $1 = db url
  "$XT" serve --db "$1" --listen "127.0.0.1:$PORT" --sweep-interval 86400 --access-log off \
    >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -fs "$URL/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench: server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
hwm_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

# Latency as ms from wrk's "50%   1.23ms" lines.
lat_ms() {
  awk -v p="$1" '$1 == p {
    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
    printf "%.2f", v }' "$2"
}

RESULTS=$WORK/results
: >"$RESULTS"
row() { echo "| $*" >>"$RESULTS"; }

# $1 backend, $2 op, $3 db url
run_load() {
  local backend=$1 op=$2 db=$3 out=$WORK/$1-$2.txt script args target
  local officer leader receiver coord
  officer=$(tok c000t00.officer); leader=$(tok c000t00.leader)
  receiver=$(tok receiver.officer); coord=$(tok coord.staff)
  case $op in
    healthz) script=bench/wrk/get.lua; args=("$receiver" /healthz); target="floor (HTTP stack)" ;;
    inbox) script=bench/wrk/get.lua
      args=("$receiver" "/api/v1/duties?scope=org&state=open"); target="≥10000 req/s, p99<20ms" ;;
    detail) script=bench/wrk/get.lua
      args=("$coord" "/api/v1/referrals/{id}" "$REFERRALS"); target="≥10000 req/s, p99<20ms" ;;
    list) script=bench/wrk/get.lua
      args=("$receiver" "/api/v1/referrals?direction=in&state=closed&matter=$(tok matter_code)")
      target="≥10000 req/s, p99<20ms" ;;
    county_inbox) script=bench/wrk/get.lua
      args=("$(tok county.staff)" "/api/v1/duties?scope=all&state=open"); target="≥10000 req/s, p99<20ms" ;;
    county_list) script=bench/wrk/get.lua
      args=("$(tok county.staff)" "/api/v1/referrals?state=closed"); target="≥10000 req/s, p99<20ms" ;;
    city_overview) script=bench/wrk/get.lua
      args=("$(tok city.staff)" "/api/v1/overview/orgs"); target="— (a city office: 6 counties, 169 orgs)" ;;
    send) script=bench/wrk/send.lua
      args=("$officer" "$leader" "$RECEIVER_ORG" "$(tok township_org)" "$(tok matter_code)" "$(tok file_sha)")
      target="≥2000 sends/s (SQLite)" ;;
  esac
  start_server "$db"
  # Warm-up (caches, the server's first sweeper pass), not measured.
  if [ "$op" != send ]; then
    wrk -t1 -c"$CONNS" -d3s -s "$script" "$URL" -- "${args[@]}" >/dev/null 2>&1 || true
  fi
  echo "== $backend $op: wrk -t1 -c$CONNS -d$DURATION --latency -s $script $URL -- ${args[*]:2}"
  wrk -t1 -c"$CONNS" -d"$DURATION" --latency -s "$script" "$URL" -- "${args[@]}" >"$out" 2>&1 || true
  grep -E "Requests/sec|Non-2xx|Socket errors|NON200|SENDS|send.lua" "$out" || true
  local rps p50 p99 rss met
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out")
  p50=$(lat_ms 50% "$out"); p99=$(lat_ms 99% "$out")
  rss=$(hwm_mb)
  stop_server
  if [ "$op" = send ]; then
    local sends dur
    sends=$(awk '/^SENDS/ { print $2 }' "$out"); dur=$(awk '/^SENDS/ { print $10 }' "$out")
    local sps
    sps=$(awk -v s="${sends:-0}" -v d="${dur:-1}" 'BEGIN { printf "%.0f", s / (d / 1e6) }')
    met=n/a
    if [ "$backend" = sqlite ]; then
      met=$(awk -v s="$sps" -v r="$rss" 'BEGIN { print (s >= 2000 && r < 300) ? "yes" : "no" }')
    fi
    row "send (create+submit+approve) | $backend | $rps req/s = **$sps sends/s** | $p50 | $p99 | $rss | $target | $met |"
  elif [ "$op" = healthz ]; then
    row "/healthz | $backend | $rps | $p50 | $p99 | $rss | $target | — |"
  else
    met=$(awk -v x="$rps" -v p="$p99" -v r="$rss" 'BEGIN { print (x >= 10000 && p < 20 && r < 300) ? "yes" : "no" }')
    row "$op | $backend | $rps | $p50 | $p99 | $rss | $target | $met |"
  fi
}

for backend in $BACKENDS; do
  case $backend in
    sqlite)
      for op in $OPS; do
        [ "$op" = sweep ] && continue
        cp "$DB" "$WORK/load.db"
        run_load sqlite "$op" "sqlite:$WORK/load.db"
        rm -f "$WORK"/load.db*
      done
      if [[ " $OPS " == *" sweep "* ]]; then
        cp "$DB" "$WORK/sweep.db"
        echo "== sqlite sweep: $SWEEP --db sqlite:<copy>"
        "$SWEEP" --db "sqlite:$WORK/sweep.db" | tee "$WORK/sweep-sqlite.txt"
        rm -f "$WORK"/sweep.db*
        med=$(awk '/^sweep median/ { print $3 }' "$WORK/sweep-sqlite.txt")
        row "sweeper run (1,000 of $(tok items) → open duties turn yellow) | sqlite | — | median $med ms | — | — | <50 ms | $(awk -v m="$med" 'BEGIN { print (m < 50) ? "yes" : "no" }') |"
      fi
      ;;
    postgres)
      eval "$(bash scripts/pg start)"
      PG_STARTED=1
      # scripts/pg turns fsync off (test data); the benchmark wants durable commits.
      psql "$XT_PG_DSN" -qAt -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" >/dev/null
      PGPORT_=$(cat "$XT_PG_DIR/port")
      pgdb() {  # fresh database $1 holding the generated data
        psql "$XT_PG_DSN" -qAt -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
        local url="postgres://postgres@127.0.0.1:$PGPORT_/$1"
        local t0=$SECONDS
        "$XT" migrate --db "$url" >/dev/null
        "$XT" migrate-data --from "sqlite:$DB" --to "$url" >/dev/null
        psql "$XT_PG_DSN dbname=$1" -qAt -c "VACUUM ANALYZE" >/dev/null
        echo "== postgres: migrate-data (COPY) + VACUUM ANALYZE in $((SECONDS - t0)) s" >&2
        echo "$url"
      }
      # One copy (migrate-data of a province takes minutes): the sweeper first, before any
      # server ran its own first pass at the real clock over the prepared duties; then the reads;
      # the write load last.
      PGURL=$(pgdb xtbench)
      if [[ " $OPS " == *" sweep "* ]]; then
        echo "== postgres sweep: $SWEEP --db $PGURL"
        "$SWEEP" --db "$PGURL" | tee "$WORK/sweep-pg.txt"
        med=$(awk '/^sweep median/ { print $3 }' "$WORK/sweep-pg.txt")
        row "sweeper run (1,000 changes) | postgres | — | median $med ms | — | — | <50 ms | $(awk -v m="$med" 'BEGIN { print (m < 50) ? "yes" : "no" }') |"
      fi
      for op in $OPS; do
        [ "$op" = sweep ] && continue
        run_load postgres "$op" "$PGURL"
      done
      bash scripts/pg stop "$XT_PG_DIR" >/dev/null
      PG_STARTED=""
      ;;
  esac
done

{
  echo
  echo "Load benchmark, scale $SCALE ($(tok items) referrals + collaboration requests), wrk -t1 -c$CONNS -d$DURATION, $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| operation | backend | req/s | p50 ms | p99 ms | peak RSS MB | target | met? |"
  echo "|---|---|---|---|---|---|---|---|"
  cat "$RESULTS"
} | tee var/bench/results.md
