#!/usr/bin/env bash
# Plants issue 12's attacks around a real public checkout and runs mlready on it.
# Usage: scripts/security-trial.sh CHECKOUT [WORKDIR]
#   CHECKOUT: an extracted checkout (e.g. `git --git-dir=<mirror> archive HEAD | tar -x -C DIR`);
#   WORKDIR:  where the planted copy goes (default: a fresh folder under /tmp).
# Nothing of the checkout is kept in this repository: SECURITY.md records the repository, its
# commit and what mlready did. Needs `node dist/cli.js` (npm run build) and mkfifo.
set -u
checkout=$(realpath "$1")
work=${2:-$(mktemp -d /tmp/mlready-trial-XXXXXX)}
# MLREADY_CLI: another build to compare (e.g. an older commit's dist/cli.js); TRIAL_TIMEOUT: seconds per run.
cli="node ${MLREADY_CLI:-$(realpath "$(dirname "$0")/..")/dist/cli.js}"
limit=${TRIAL_TIMEOUT:-120}
repo="$work/repo"
outside="$work/outside"
rm -rf "$repo" "$outside"
mkdir -p "$repo" "$outside"
cp -a "$checkout/." "$repo/"

# Files outside the repository an attacker wants written or read.
printf 'ssh-ed25519 AAAA owner\n' > "$outside/authorized_keys"
printf 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y)\n' > "$outside/victim.py"
mkdir -p "$outside/private" && cp "$outside/victim.py" "$outside/private/model.py"

# 1. Links out of the repository: a file, a folder, the report --output names.
ln -s "$outside/victim.py" "$repo/linked_victim.py"
ln -s "$outside/private" "$repo/linked_private"
ln -s "$outside/authorized_keys" "$repo/mlready.sarif"
# 2. The temporary names the old --fix used (pid-based), for the next 100 pids, next to every Python file.
next_pid=$(( $(sh -c 'echo $$') + 1 ))
find "$repo" -name '*.py' -o -name '*.ipynb' | while read -r f; do
  for pid in $(seq "$next_pid" $((next_pid + 100))); do ln -s "$outside/authorized_keys" "$(dirname "$f")/.$(basename "$f").mlready-$pid.tmp"; done
done
# 3. Reads that hang or exhaust memory: a FIFO config, a FIFO .gitignore, mlready.toml -> /dev/zero.
first_pkg=$(find "$repo" -mindepth 2 -name '__init__.py' | head -1)
[ -n "$first_pkg" ] && mkfifo "$(dirname "$first_pkg")/pyproject.toml"
mkfifo "$repo/.gitignore.fifo" && mkdir -p "$repo/fifo_dir" && mkfifo "$repo/fifo_dir/.gitignore" && cp "$outside/victim.py" "$repo/fifo_dir/train.py"
ln -s /dev/zero "$repo/mlready.toml"
# 4. A pathological glob in the configuration.
if [ -f "$repo/pyproject.toml" ]; then printf '\n[tool.mlready]\nexclude = ["*a*a*a*a*a*a*a*a*a*a*a*a*b"]\n' >> "$repo/pyproject.toml"; fi
# 5. A link and a hard link inside the repository to files --fix will change.
cp "$outside/victim.py" "$repo/own_train.py"
ln -s own_train.py "$repo/alias_train.py"
ln "$repo/own_train.py" "$repo/hard_train.py"
chmod 0751 "$repo/own_train.py"
# 6. Secrets in a real notebook: %env, a pip install from a private repository with a token, a key in code.
nb=$(find "$repo" -name '*.ipynb' | head -1)
if [ -n "$nb" ]; then
  /usr/bin/python3 - "$nb" <<'PY'
import json, sys
path = sys.argv[1]
nb = json.load(open(path))
cell = lambda src: {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": src}
nb["cells"][0:0] = [
    cell("%%capture\n!pip install git+https://Zx8Cv7Bn6Mq5Wz4Lk3RtYu@github.com/acme/private.git"),
    cell("%env OPENAI_API_KEY=sk-proj-Zr8Kq2Lm5Nx7Vb3Hs9Jw4Pz6Ya1Ge0Ui\n%env DB_PASSWORD=Pq7-Wz2Lk9Rt"),
    cell('import pandas as pd\ndf = pd.read_csv("https://example.com/d.csv?access_token=f00dBabe7d2c9e1aA7")\ndf[df.tag == "x"]["token"] = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly"\nDB = "postgresql://etl:q9Tv-R2mW7zL4pXe@db.internal:5432/sales"'),
]
json.dump(nb, open(path, "w"), indent=1)
PY
fi

secrets='Zx8Cv7Bn6Mq5Wz4Lk3RtYu|Zr8Kq2Lm5Nx7Vb3Hs9Jw4Pz6Ya1Ge0Ui|Pq7-Wz2Lk9Rt|f00dBabe7d2c9e1aA7|R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly|q9Tv-R2mW7zL4pXe'
before_outside=$(cd "$outside" && find . -type f -exec sha256sum {} + | sort | sha256sum)
cd "$repo" || exit 2
for run in "check --format text ." "check --format json ." "check --format sarif --output mlready.sarif ." "check --fix ." "readiness --format json ." "readiness --format markdown ."; do
  start=$(date +%s.%N)
  timeout "$limit" $cli $run > "$work/out.txt" 2> "$work/err.txt"
  code=$?
  end=$(date +%s.%N)
  leaked=$(grep -Eoc "$secrets" "$work/out.txt" "$work/err.txt" | awk -F: '{s+=$2} END {print s+0}')
  printf '%-48s exit %-3s %5.1f s  secrets printed: %s  stdout %s lines, stderr %s lines\n' "mlready $run" "$code" "$(echo "$end - $start" | bc)" "$leaked" "$(wc -l < "$work/out.txt")" "$(wc -l < "$work/err.txt")"
  grep -E '^(warning|error): ' "$work/err.txt" | sed 's/^/    /' | sort -u | head -8
done
after_outside=$(cd "$outside" && find . -type f -exec sha256sum {} + | sort | sha256sum)
echo "outside unchanged: $([ "$before_outside" = "$after_outside" ] && echo yes || echo NO)"
echo "alias_train.py still a link: $([ -L "$repo/alias_train.py" ] && echo yes || echo NO); own_train.py fixed: $(grep -c random_state "$repo/own_train.py"); mode: $(stat -c %a "$repo/own_train.py"); links: $(stat -c %h "$repo/own_train.py"); hard_train.py sees the fix: $(grep -c random_state "$repo/hard_train.py")"
echo "leftover temporary files (not planted links): $(find "$repo" -name '*.mlready-*.tmp' -type f | wc -l)"
