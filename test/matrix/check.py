"""Drives one generated project on its real data; prints the answers as JSON.

Run from the generated project folder with /usr/bin/python3 (scaffold-matrix.test.ts does):
real rows through the API (each must get a 200), a wrong value of each kind of field (each
must get a 422 naming the field), the fallback when the model file is gone, and drift on the
training data (no drift) and on a copy with some columns shifted (those columns drift).
"""

import json
import math
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from fastapi.testclient import TestClient

sys.path.insert(0, os.getcwd())  # the generated project's modules

import data_schema as schema
from monitoring import drift
from pipeline import config, data
from serving import app as app_module
from serving import contract


def json_value(column, value):
    spec = schema.COLUMNS[column]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    role = spec["role"]
    if role == "numeric":
        return int(value) if spec.get("integer") else float(value)
    if role == "bool":
        return bool(value)
    if role == "date":
        stamp = pd.Timestamp(value)
        return stamp.isoformat() if spec.get("time") else stamp.date().isoformat()
    return str(value)


def real_rows(limit=20):
    typed = data.validate(data.read_csv(), require_target=False)
    rows = []
    for _, row in typed.head(limit).iterrows():
        rows.append({column: json_value(column, row[column]) for column in schema.FEATURES})
    return rows


WRONG = {
    "integer": [2.5, "3", True],
    "number": ["3.5", True],
    "category": ["not-a-known-category"],
    "bool": ["maybe", 3],
    "date": [20120101],
}


def field_kind(column):
    spec = schema.COLUMNS[column]
    if spec["role"] == "numeric":
        return "integer" if spec.get("integer") else "number"
    return spec["role"]


def serve(answers):
    with TestClient(app_module.app) as client:
        statuses = []
        for row in real_rows():
            response = client.post("/v1/predict", json=row)
            statuses.append(response.status_code)
            if response.status_code != 200:
                answers.setdefault("real_row_errors", []).append(response.text[:500])
            else:
                answers["model_version"] = response.json()["model_version"]
                answers["fallback_used"] = response.json()["fallback_used"]
        answers["real_rows"] = statuses
        rejected = {}
        for column in schema.FEATURES:
            kind = field_kind(column)
            if kind in rejected or kind not in WRONG:
                continue
            results = []
            for value in WRONG[kind]:
                response = client.post("/v1/predict", json=dict(contract.EXAMPLE_REQUEST, **{column: value}))
                detail = response.json().get("detail", []) if response.status_code == 422 else []
                named = any(column in [str(part) for part in error.get("loc", [])] for error in detail)
                results.append({"value": repr(value), "status": response.status_code, "names_field": named})
            rejected[kind] = {"column": column, "results": results}
        answers["rejected"] = rejected


def fallback(answers, model_path):
    os.environ["SERVING_MODEL_PATH"] = str(Path(model_path).with_name("model-gone.joblib"))
    with TestClient(app_module.app) as client:
        body = client.post("/v1/predict", json=contract.EXAMPLE_REQUEST).json()
    answers["fallback"] = {k: body.get(k) for k in ("fallback_used", "model_version", "needs_review", "confidence")}


def write_like_training(frame, path):
    options = dict(schema.READ_CSV)
    sep = options.pop("sep", ",")
    frame.to_csv(path, index=False, sep=sep, quotechar=options.get("quotechar", '"'), encoding=options.get("encoding", "utf-8"))


def shifted_copy(path):
    frame = data.read_csv()
    shifted = []
    numeric = [c for c in schema.FEATURES if schema.COLUMNS[c]["role"] == "numeric"]
    categories = [c for c in schema.FEATURES if schema.COLUMNS[c]["role"] == "category"]
    bools = [c for c in schema.FEATURES if schema.COLUMNS[c]["role"] == "bool"]
    if numeric:
        column = numeric[0]
        values = pd.to_numeric(frame[column], errors="coerce")
        moved = values + 3 * (values.std() or 1.0)
        if schema.COLUMNS[column].get("integer"):
            moved = moved.round()
        frame[column] = moved.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))))
        shifted.append(column)
    if categories:
        column = categories[0]
        counts = frame[column].value_counts()
        frame[column] = frame[column].where(frame[column].isna(), counts.index[-1])
        if counts.iloc[-1] / counts.sum() < 0.5:
            shifted.append(column)
    if bools:
        column = bools[0]
        counts = frame[column].value_counts()
        frame[column] = frame[column].where(frame[column].isna(), counts.index[-1])
        if counts.iloc[-1] / counts.sum() < 0.4:
            shifted.append(column)
    frame = frame.fillna("")
    write_like_training(frame, path)
    return shifted


def drift_checks(answers, work):
    report = work / "drift-same.json"
    code = drift.main(["--current", str(config.DATA_PATH), "--report", str(report)])
    answers["drift_same"] = {"exit": code, "drifted": json.loads(report.read_text(encoding="utf-8"))["drifted"]}
    copy = work / "shifted.csv"
    shifted = shifted_copy(copy)
    report = work / "drift-shifted.json"
    code = drift.main(["--current", str(copy), "--report", str(report)])
    answers["drift_shifted"] = {
        "exit": code,
        "shifted": shifted,
        "drifted": json.loads(report.read_text(encoding="utf-8"))["drifted"],
    }


def main() -> int:
    work = Path(sys.argv[1])
    answers = {"features": {c: schema.COLUMNS[c]["role"] for c in schema.FEATURES}}
    answers["excluded"] = {c: s["role"] for c, s in schema.COLUMNS.items() if c not in schema.FEATURES and c != schema.TARGET}
    registry = config.MODELS_DIR / "registry.json"
    promoted = json.loads(registry.read_text(encoding="utf-8")).get("promoted") if registry.exists() else None
    newest = sorted(config.MODELS_DIR.glob("model-*.joblib"))[-1]
    if promoted:
        os.environ.pop("SERVING_MODEL_PATH", None)
    else:  # the gate failed, so nothing was promoted: serve the candidate explicitly
        os.environ["SERVING_MODEL_PATH"] = str(newest)
    answers["promoted"] = bool(promoted)
    serve(answers)
    drift_checks(answers, work)
    fallback(answers, newest)
    sys.stdout.write(json.dumps(answers, default=str))
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
