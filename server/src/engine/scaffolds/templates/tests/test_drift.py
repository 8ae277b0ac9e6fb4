"""Tests of drift detection (run with ``python -m pytest``)."""

import json

import numpy as np
import pandas as pd
import pytest

from monitoring import drift


def synthetic(rng, shift=0.0, rows=600):
    data = {column: rng.normal(shift, 1.0, rows) for column in drift.NUMERIC_FEATURES}
    for column in drift.CATEGORICAL_FEATURES:
        weights = [0.6, 0.3, 0.1] if shift == 0 else [0.1, 0.3, 0.6]
        data[column] = rng.choice(["a", "b", "c"], size=rows, p=weights)
    return pd.DataFrame(data)


@pytest.fixture
def reference():
    rng = np.random.default_rng(0)
    frame = synthetic(rng)
    if drift.PREDICTION_KIND == "categorical":
        predictions = rng.choice(["x", "y"], size=len(frame))
    else:
        predictions = rng.normal(0, 1, len(frame))
    return drift.build_reference(frame, predictions)


def test_psi_is_zero_for_identical_distributions():
    assert drift.population_stability_index([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]) == pytest.approx(0.0)


def test_psi_grows_with_the_shift():
    small = drift.population_stability_index([0.5, 0.5], [0.45, 0.55])
    large = drift.population_stability_index([0.5, 0.5], [0.1, 0.9])
    assert 0 < small < drift.PSI_THRESHOLD < large


def test_the_same_distribution_does_not_drift(reference):
    current = synthetic(np.random.default_rng(1))
    assert drift.check_drift(reference, current)["drifted"] == []


def test_a_small_sample_of_the_training_data_does_not_drift():
    # A training split of 74 rows against the 93-row file it came from, with a category seen once:
    # PSI moves with the sample alone, so it is reported, not judged, and one rare category is no drift.
    rng = np.random.default_rng(3)
    full = synthetic(rng, rows=93)
    for column in drift.CATEGORICAL_FEATURES:
        full.loc[92, column] = "seen-once"
    reference = drift.build_reference(full.iloc[:74], ["x"] * 74 if drift.PREDICTION_KIND == "categorical" else np.zeros(74))
    report = drift.check_drift(reference, full)
    assert [c for c in report["drifted"] if c != "prediction"] == []
    for column in drift.CATEGORICAL_FEATURES:
        assert "seen-once" in report["features"][column]["unseen_categories"]


def test_a_shifted_distribution_drifts(reference):
    current = synthetic(np.random.default_rng(1), shift=2.0)
    report = drift.check_drift(reference, current)
    assert set(report["drifted"]) == set(drift.NUMERIC_FEATURES + drift.CATEGORICAL_FEATURES)


def test_the_command_reports_and_exits_non_zero_on_drift(reference, tmp_path):
    reference_path = tmp_path / "model-x.reference.json"
    reference_path.write_text(json.dumps(reference), encoding="utf-8")
    current_path = tmp_path / "current.jsonl"
    report_path = tmp_path / "report.json"

    def write(frame):
        lines = [json.dumps({"input": row}) for row in frame.to_dict(orient="records")]
        current_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    argv = ["--reference", str(reference_path), "--current", str(current_path), "--report", str(report_path)]
    write(synthetic(np.random.default_rng(2), shift=2.0))
    assert drift.main(argv) == 1
    assert json.loads(report_path.read_text(encoding="utf-8"))["drifted"]
    write(synthetic(np.random.default_rng(3)))
    assert drift.main(argv) == 0
