#!/bin/bash
# Paired rounds of mlready check (the .py files), Ruff's WebAssembly build (bench/ruff-peer.cjs:
# S, NPY, PD, BLE, T20) and Bandit (-r) on one folder: each round runs the three one after the
# other, so a load that drifts slows them alike. Prints "round tool wall-s user-s sys-s" lines.
#
#   scripts/peer-rounds.sh ROUNDS FOLDER [--no-bandit]
#
# FOLDER is e.g. .bench/workspace or a checkout of a public repository (never committed).
set -euo pipefail
rounds=$1
folder=$2
repo=$(realpath "$(dirname "$0")/..")
list=$(mktemp)
trap 'rm -f "$list"' EXIT
cd "$folder"
find . -name '*.py' -not -path '*/.git/*' | sort > "$list"
echo "files $(wc -l < "$list") lines $(tr '\n' '\0' < "$list" | xargs -0 cat | wc -l)"
for i in $(seq 1 "$rounds"); do
  /usr/bin/time -f "$i mlready %e %U %S" bash -c "tr '\n' '\0' < '$list' | xargs -0 node '$repo/dist/cli.js' check --format json --exit-zero > /dev/null"
  /usr/bin/time -f "$i ruff %e %U %S" node "$repo/bench/ruff-peer.cjs" . > /dev/null
  if [ "${3:-}" != --no-bandit ]; then /usr/bin/time -f "$i bandit %e %U %S" bandit -q -r -f json . > /dev/null 2>&1 || true; fi
done
