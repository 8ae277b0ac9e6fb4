"""Tests of request monitoring (run with ``python -m pytest``)."""

import json
import logging

from fastapi import FastAPI
from fastapi.testclient import TestClient

from monitoring.requests import instrument

RESULT = {"prediction": "a", "confidence": 0.9, "fallback_used": False, "model_version": "v1"}


def test_requests_are_logged_with_their_latency(tmp_path, caplog):
    app = FastAPI()

    @app.get("/ping")
    def ping():
        return {"ok": True}

    instrument(app, prediction_log=tmp_path / "predictions.jsonl")
    with caplog.at_level(logging.INFO, logger="serving.requests"):
        with TestClient(app) as client:
            assert client.get("/ping").status_code == 200
    records = [r for r in caplog.records if r.name == "serving.requests"]
    assert records and records[0].status == 200 and records[0].latency_ms >= 0
    assert records[0].route == "/ping"


def test_predictions_are_logged_without_inputs_by_default(tmp_path):
    log = instrument(FastAPI(), prediction_log=tmp_path / "predictions.jsonl", log_inputs=False)
    log.log_predictions("req-1", [{"email": "someone@example.com"}], [dict(RESULT)], 12.5)
    log.flush()
    entry = json.loads((tmp_path / "predictions.jsonl").read_text(encoding="utf-8"))
    assert entry["request_id"] == "req-1" and entry["model_version"] == "v1"
    assert entry["latency_ms"] == 12.5 and entry["prediction"] == "a"
    assert "input" not in entry and "someone@example.com" not in json.dumps(entry)


def test_inputs_are_logged_when_opted_in(tmp_path):
    log = instrument(FastAPI(), prediction_log=tmp_path / "predictions.jsonl", log_inputs=True)
    log.log_predictions("req-2", [{"x": 1}], [dict(RESULT)], 1.0)
    log.flush()
    entry = json.loads((tmp_path / "predictions.jsonl").read_text(encoding="utf-8"))
    assert entry["input"] == {"x": 1}


def test_the_log_is_rotated(tmp_path):
    from monitoring.requests import PredictionLog

    log = PredictionLog(tmp_path / "predictions.jsonl", max_bytes=2000)
    for i in range(100):
        log.log_predictions(f"req-{i}", [{}], [dict(RESULT)], 1.0)
    log.flush()
    assert (tmp_path / "predictions.jsonl.1").exists()
    assert (tmp_path / "predictions.jsonl").stat().st_size <= 2000
