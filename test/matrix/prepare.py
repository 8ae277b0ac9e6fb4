"""Writes the scaffold matrix's data files: small samples of real public data sets that CI can
reach without the internet (Debian's python3-sklearn and python3-statsmodels, the vega-datasets
npm package). Run by scaffold-matrix.test.ts with /usr/bin/python3:

    prepare.py DATASETS_JSON OUT_DIR

Files that are CSV already are copied as they are written (their header and first rows, byte
for byte), so their dialect (tab or space delimiters, ' quotes, BOM) reaches the profiler
unchanged. scikit-learn's bundled sets (headerless) and vega's JSON tables are written as CSV
with pandas.
"""

import json
import sys
from pathlib import Path

import pandas as pd
import sklearn.datasets


def head_lines(source: Path, target: Path, rows: int) -> None:
    with open(source, "rb") as handle:
        lines = handle.read().splitlines(keepends=True)
    target.write_bytes(b"".join(lines[: rows + 1]))


def main() -> int:
    datasets = json.loads(sys.argv[1])
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for spec in datasets:
        target = out / f"{spec['name']}.csv"
        if spec["kind"] == "csv":
            head_lines(Path(spec["path"]), target, spec["rows"])
            continue
        if spec["kind"] == "sklearn":
            bunch = getattr(sklearn.datasets, spec["loader"])(as_frame=True, **spec.get("args", {}))
            frame = bunch.frame
            if spec.get("labels"):
                frame["target"] = [bunch.target_names[i] for i in frame["target"]]
        else:  # a vega JSON table
            frame = pd.read_json(spec["path"])
        if len(frame) > spec["rows"]:
            frame = frame.sample(n=spec["rows"], random_state=0).sort_index()
        frame.to_csv(target, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
