#!/usr/bin/env bash
# Extracts the Python files and notebooks of the audited commits (docs/audit/repos.txt) into a folder.
# Usage: scripts/audit-checkout.sh <mirrors> <out> [list]   (list: default docs/audit/repos.txt)
#   <mirrors>: a folder with one bare git directory per repository, at <mirrors>/<owner>+<name>/repo
#              (what the workplace's fetch tool writes), or <mirrors>/<owner>+<name>.git
#   <out>:     where <owner>+<name>/<path> are written (created; existing files are overwritten)
# Only .py and .ipynb files are extracted: a snapshot may lack large binaries, which git archive
# would stop on. Nothing here is committed to mlready.
set -euo pipefail
mirrors=${1:?usage: audit-checkout.sh <mirrors> <out>}
out=${2:?usage: audit-checkout.sh <mirrors> <out>}
list=${3:-"$(dirname "$0")/../docs/audit/repos.txt"}
grep -v '^#' "$list" | while read -r repo commit; do
  [ -n "$repo" ] || continue
  name=${repo/\//+}
  git_dir="$mirrors/$name/repo"
  [ -d "$git_dir/.git" ] && git_dir="$git_dir/.git"
  [ -d "$git_dir" ] || git_dir="$mirrors/$name.git"
  if [ ! -d "$git_dir" ]; then echo "missing: $repo (no $mirrors/$name/repo)" >&2; continue; fi
  mkdir -p "$out/$name"
  git --git-dir="$git_dir" ls-tree -r -z --name-only "$commit" | while IFS= read -r -d '' file; do
    case "$file" in *.py|*.ipynb) ;; *) continue ;; esac
    mkdir -p "$out/$name/$(dirname "$file")"
    git --git-dir="$git_dir" show "$commit:$file" > "$out/$name/$file" 2>/dev/null || rm -f "$out/$name/$file"
  done
  echo "$repo $commit: $(find "$out/$name" -name '*.py' | wc -l) .py, $(find "$out/$name" -name '*.ipynb' | wc -l) .ipynb"
done
