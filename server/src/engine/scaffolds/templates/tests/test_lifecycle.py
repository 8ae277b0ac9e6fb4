"""Train, gate, promote, serve and roll back, end to end (run with ``python -m pytest``).

Models go to a temporary folder: the tests never touch the project's models/.
"""

import json

import pytest

from pipeline import config, data, evaluate, promote, train


@pytest.fixture
def models(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MODELS_DIR", tmp_path / "models")
    monkeypatch.setattr(config, "RUNS_DIR", tmp_path / "runs")
    monkeypatch.setattr(config, "N_ESTIMATORS", 20)
    return tmp_path / "models"


def _metadata(model_path):
    return json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))


def test_training_twice_gives_identical_metrics(models):
    first = _metadata(train.train())
    second = _metadata(train.train())
    assert first["metrics"] == second["metrics"]
    assert first["split"]["test_index"] == second["split"]["test_index"]


def test_the_gate_scores_the_recorded_test_rows_not_a_new_split(models, monkeypatch):
    model_path = train.train()
    recorded = _metadata(model_path)["split"]["test_index"]
    monkeypatch.setattr(config, "SEED", config.SEED + 1)  # a new seed must not change what is scored
    result = evaluate.evaluate(model_path)
    assert result["test_rows"] == len(recorded)
    assert result["metrics"] == _metadata(model_path)["metrics"]


def test_only_a_gated_model_is_promoted_and_rollback_is_one_call(models, monkeypatch):
    first = train.train()
    with pytest.raises(promote.PromotionError, match="gate"):
        promote.promote()
    evaluate.evaluate(first)
    verdict = json.loads(first.with_suffix(".gate.json").read_text(encoding="utf-8"))
    if not verdict["passed"]:
        pytest.skip(f"the model does not pass the gate on this data: {verdict['failures']}")
    assert promote.promote()["model"] == first.name
    second = train.train()
    with pytest.raises(promote.PromotionError, match="gate"):
        promote.promote()  # the newest model has not been gated: the promoted one stays
    assert promote.read_registry()["promoted"]["model"] == first.name
    evaluate.evaluate(second)
    assert promote.promote()["model"] == second.name
    assert promote.rollback()["model"] == first.name
    assert promote.read_registry()["promoted"]["model"] == first.name


def test_a_failed_gate_blocks_promotion(models, monkeypatch):
    model_path = train.train()
    monkeypatch.setitem(config.THRESHOLDS, config.PRIMARY_METRIC, 2.0)  # unreachable
    result = evaluate.evaluate(model_path)
    assert not result["passed"]
    with pytest.raises(promote.PromotionError, match="failed the gate"):
        promote.promote()


def test_the_api_serves_the_promoted_model(models, monkeypatch):
    pytest.importorskip("serving.app", reason="generated without the api scaffold")
    from fastapi.testclient import TestClient

    from serving import app as app_module
    from serving import contract

    model_path = train.train()
    evaluate.evaluate(model_path)
    if not json.loads(model_path.with_suffix(".gate.json").read_text(encoding="utf-8"))["passed"]:
        pytest.skip("the model does not pass the gate on this data")
    promote.promote()
    monkeypatch.delenv("SERVING_MODEL_PATH", raising=False)
    monkeypatch.setattr(app_module, "PROJECT_DIR", models.parent)
    with TestClient(app_module.app) as client:
        response = client.post("/v1/predict", json=contract.EXAMPLE_REQUEST)
    assert response.status_code == 200, response.text
    assert response.json()["model_version"] == model_path.stem[len("model-") :]
    assert response.json()["fallback_used"] is False


def test_a_changed_data_file_is_not_scored_with_stale_rows(models, tmp_path, monkeypatch):
    model_path = train.train()
    changed = tmp_path / "changed.csv"
    changed.write_bytes(config.DATA_PATH.read_bytes() + b"\n")
    monkeypatch.setattr(config, "DATA_PATH", changed)
    with pytest.raises(ValueError, match="changed"):
        evaluate.evaluate(model_path)
    assert data.file_sha256(changed) != _metadata(model_path)["data"]["sha256"]
