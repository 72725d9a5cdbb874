#!/usr/bin/env bash
# Alternates two xietong binaries (before, after) through signin_bench.mjs, ROUNDS times each.
#   bash bench/signin/run.sh /tmp/bench-before/xietong build/src/cli/xietong [ROUNDS=3] [CREATES=40]
# Needs the web UI built (or XT_WEB_ROOT naming a directory with an index.html).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
before="$1"; after="$2"; rounds="${3:-3}"; creates="${4:-40}"
if [[ -z "${XT_WEB_ROOT:-}" && ! -f "$here/../../web/dist/index.html" ]]; then
  export XT_WEB_ROOT="$(mktemp -d)"; echo '<html></html>' > "$XT_WEB_ROOT/index.html"
fi
for i in $(seq "$rounds"); do
  for bin in "$before" "$after"; do
    XT_BIN="$bin" node "$here/signin_bench.mjs" "$creates" 16
  done
done
