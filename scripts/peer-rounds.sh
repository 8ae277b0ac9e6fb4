#!/bin/bash
# Paired rounds of mlready check (the .py files), Ruff's WebAssembly build (bench/ruff-peer.cjs:
# S, NPY, PD, BLE, T20), tree-sitter's bare parse (bench/parse-floor.cjs: the floor under mlready's
# per-line cost) and Bandit (-r) on one folder: each round runs them one after the other, so a load
# that drifts slows them alike. Prints "round tool wall-s user-s sys-s" lines.
#
#   scripts/peer-rounds.sh ROUNDS FOLDER [--no-bandit]
#
# FOLDER is e.g. .bench/workspace or a checkout of a public repository (never committed).
# With BASE=/path/to/another/checkout (built), each round also runs that build's mlready
# ("mlready-base"), the two builds in alternating order from round to round.
set -euo pipefail
rounds=$1
folder=$2
repo=$(realpath "$(dirname "$0")/..")
base=${BASE:+$(realpath "$BASE")}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
cd "$folder"
find . -name '*.py' -not -path '*/.git/*' | sort > "$list"
echo "files $(wc -l < "$list") lines $(tr '\n' '\0' < "$list" | xargs -0 cat | wc -l) load $(cut -d' ' -f1-3 /proc/loadavg)"
mlready() { # NAME CHECKOUT
  /usr/bin/time -f "$i $1 %e %U %S" bash -c "tr '\n' '\0' < '$list' | xargs -0 node '$2/dist/cli.js' check --format json --exit-zero > /dev/null"
}
for i in $(seq 1 "$rounds"); do
  if [ -z "$base" ]; then mlready mlready "$repo"
  elif [ $((i % 2)) = 1 ]; then mlready mlready "$repo"; mlready mlready-base "$base"
  else mlready mlready-base "$base"; mlready mlready "$repo"; fi
  /usr/bin/time -f "$i ruff %e %U %S" node "$repo/bench/ruff-peer.cjs" . > /dev/null
  /usr/bin/time -f "$i parse-floor %e %U %S" node "$repo/bench/parse-floor.cjs" . > /dev/null
  # (Bandit exits with 1 when it reports issues; its own output is dropped, time's line is kept.)
  if [ "${3:-}" != --no-bandit ]; then /usr/bin/time -f "$i bandit %e %U %S" bash -c 'bandit -q -r -f json . > /dev/null 2>&1 || true'; fi
  echo "$i load $(cut -d' ' -f1-3 /proc/loadavg)"
done
