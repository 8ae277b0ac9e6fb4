#!/usr/bin/env bash
# Paired runs of the server benchmark: this checkout's build and another's, alternated, on the
# generated file ("gen") or real files, so a load that drifts during the runs slows both alike.
# Usage: BASE=<checkout of another commit, built> bench/server-pairs.sh ROUNDS gen|FILE...
# Prints one line per run: round, build, file, median and p95 of didChange → publishDiagnostics.
set -euo pipefail
base=${BASE:?set BASE to a built checkout of the commit to compare with}
rounds=${1:?usage: BASE=... bench/server-pairs.sh ROUNDS gen|FILE...}
shift
cd "$(dirname "$0")/.."
for round in $(seq 1 "$rounds"); do
  for file in "$@"; do
    args=()
    [ "$file" = gen ] || args=(--edit-file "$file")
    for build in "$base" .; do
      line=$(BENCH_SERVER_JS="$build/dist/server.js" node --import tsx bench/run.ts --only server "${args[@]}" 2>&1 | grep -E '^\[bench\] server \(file' || true)
      echo "$round $( [ "$build" = . ] && echo this || echo base ) $(basename "$file") ${line:-no result} load=$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
