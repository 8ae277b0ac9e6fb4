#!/usr/bin/env bash
# check --fix and check --add-noqa on a real checkout, on a copy (the checkout is not touched):
#   scripts/add-noqa-trial.sh PATH-TO-CHECKOUT
# Prints the findings before, after --fix, after --add-noqa, what a second --add-noqa adds (0: idempotent),
# and whether every changed Python file and notebook cell still parses (IPython lines masked)
# with its magic lines and outputs unchanged. Needs `npm run build` first.
set -euo pipefail
src=$(cd "$1" && pwd)
cli="$(cd "$(dirname "$0")/.." && pwd)/dist/cli.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/before"
cp -r "$src" "$work/after"
count() { node "$cli" check "$work/after" --format json --exit-zero | python3 -c 'import json,sys; print(sum(len(f.get("findings") or []) for f in json.load(sys.stdin)["files"]))'; }
echo "findings: $(count)"
node "$cli" check "$work/after" --fix --exit-zero >/dev/null
echo "after --fix: $(count)"
node "$cli" check "$work/after" --add-noqa --exit-zero 2>&1 >/dev/null | grep -o 'Added [0-9]* suppression directives\?' || true
echo "after --add-noqa: $(count)"
echo "second --add-noqa: $(node "$cli" check "$work/after" --add-noqa --exit-zero 2>&1 >/dev/null | grep -o 'Added [0-9]*' || true)"
python3 - "$work/before" "$work/after" <<'PY'
import ast, json, os, sys
before, after = sys.argv[1:]
def mask(s): return '\n'.join('pass' if l.lstrip().startswith(('%', '!')) else l for l in s.splitlines())
def parses(s):
    try: ast.parse(mask(s)); return True
    except SyntaxError: return False
changed = broken = 0
for root, _, files in os.walk(after):
    for name in files:
        a = os.path.join(root, name); b = os.path.join(before, os.path.relpath(a, after))
        if name.endswith('.py'):
            sa, sb = open(a, encoding='utf-8', errors='replace').read(), open(b, encoding='utf-8', errors='replace').read()
            if sa != sb:
                changed += 1
                if parses(sb) and not parses(sa): broken += 1; print('no longer parses:', b)
        elif name.endswith('.ipynb'):
            try: na, nb = json.load(open(a)), json.load(open(b))
            except ValueError: continue
            for ca, cb in zip(na.get('cells', []), nb.get('cells', [])):
                sa, sb = ''.join(ca.get('source', [])), ''.join(cb.get('source', []))
                assert ca.get('outputs') == cb.get('outputs'), a
                if sa == sb: continue
                changed += 1
                magics = lambda s: [l for l in s.splitlines() if l.lstrip().startswith('%')]
                if magics(sa) != magics(sb): broken += 1; print('magic line changed:', b)
                if parses(sb) and not parses(sa): broken += 1; print('cell no longer parses:', b)
print(f'changed files and cells: {changed}; broken: {broken}')
PY
