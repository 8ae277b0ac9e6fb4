#!/usr/bin/env python3
"""Checks `mlready check --format json` cell fields against the notebooks themselves.

For every notebook finding: `cellNumber` must name the cell VS Code and Jupyter number that way
(cells[cellNumber - 1], markdown counted), that cell must be a code cell, and `cell` must be its
0-based index among the code cells. Usage:

    node dist/cli.js check --format json --exit-zero DIR > out.json
    python3 scripts/check-cell-numbers.py out.json
"""
import json
import sys

report = json.load(open(sys.argv[1]))
checked = shifted = 0
bad = []
for file in report["files"]:
    if file.get("kind") != "notebook" or "findings" not in file:
        continue
    cells = json.load(open(file["path"]))["cells"]
    code = [i for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    for finding in file["findings"]:
        if "cell" not in finding:
            continue
        checked += 1
        number, index = finding.get("cellNumber"), finding["cell"]
        ok = number is not None and 1 <= number <= len(cells) and cells[number - 1].get("cell_type") == "code" and code.index(number - 1) == index
        if not ok:
            bad.append((file["path"], finding["rule"], index, number))
        elif number != index + 1:
            shifted += 1
print(f"{checked} notebook findings checked, {shifted} where VS Code's number differs from the code-cell count, {len(bad)} wrong")
for b in bad[:20]:
    print("WRONG", *b)
sys.exit(1 if bad else 0)
