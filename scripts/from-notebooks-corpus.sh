#!/bin/sh
# Builds the corpus scripts/from-notebooks.ts reads: for each fetched repository (a bare git
# directory OWNER+NAME/repo under MIRRORS, as the fetch tool leaves it), its notebooks, CSV and
# Python files at HEAD, under OUT/OWNER+NAME/, with the commit in OUT/OWNER+NAME/.commit.
# Blobs the mirror does not hold (large files left out of the snapshot) are skipped.
#
#   scripts/from-notebooks-corpus.sh /work/.mirror /tmp/nbcorpus
set -eu
MIRRORS=$1
OUT=$2
REPOS="ErkanHatipoglu+Kaggle-Notebooks ageron+handson-ml2 cglanzer+kaggle-titanic-simple jakevdp+PythonDataScienceHandbook mateuszk098+kaggle_notebooks tejeshreddy+kaggle-notebooks wjb-johnny+Data"
for repo in $REPOS; do
  git_dir="$MIRRORS/$repo/repo"
  mkdir -p "$OUT/$repo"
  git --git-dir="$git_dir" rev-parse HEAD > "$OUT/$repo/.commit"
  git --git-dir="$git_dir" ls-tree -r HEAD | while read -r mode type sha path; do
    [ "$type" = blob ] || continue
    case "$path" in *.ipynb|*.csv|*.py|*.txt|*.tsv|*.data) ;; *) continue ;; esac
    mkdir -p "$OUT/$repo/$(dirname "$path")"
    git --git-dir="$git_dir" cat-file blob "$sha" > "$OUT/$repo/$path" 2>/dev/null || rm -f "$OUT/$repo/$path"
  done
done
