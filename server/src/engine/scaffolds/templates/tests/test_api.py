"""Tests of the prediction API (run with ``python -m pytest``).

They serve a small stand-in model fitted here, so they do not depend on a trained one. Every
kind of field the contract has is checked: a wrong value gets a 422 that names the field.
"""

import json
from pathlib import Path

import joblib
import pytest
from fastapi.testclient import TestClient
from sklearn.dummy import DummyClassifier, DummyRegressor

import data_schema as schema
from serving import app as app_module
from serving import base, contract


def _columns(*roles, integer=None):
    found = []
    for column in schema.FEATURES:
        spec = schema.COLUMNS[column]
        if spec["role"] in roles and (integer is None or bool(spec.get("integer")) == integer):
            found.append(column)
    return found


INTEGERS = _columns("numeric", integer=True)
FLOATS = _columns("numeric", integer=False)
CATEGORIES = _columns("category")
BOOLS = _columns("bool")
DATES = _columns("date")
REQUIRED = [c for c in schema.FEATURES if not schema.COLUMNS[c].get("missing")]


@pytest.fixture
def model_file(tmp_path):
    rows = [contract.EXAMPLE_REQUEST] * 4
    classification = schema.TASK == "classification"
    labels = (list(schema.CLASSES) * 4)[:4] if classification else [float(i) for i in range(4)]
    stand_in = DummyClassifier(strategy="prior") if classification else DummyRegressor(strategy="median")
    # A stand-in model for the test, not a training run: there is nothing to track.
    model = stand_in.fit(base.to_frame(rows), labels)  # mlready: ignore[untracked-training]
    path = tmp_path / "model-test.joblib"
    joblib.dump(model, path)
    metadata = {"model_sha256": app_module.file_sha256(path), "features": schema.FEATURES}
    path.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")
    return path


@pytest.fixture
def client(model_file, monkeypatch):
    monkeypatch.setenv("SERVING_MODEL_PATH", str(model_file))
    with TestClient(app_module.app) as test_client:
        yield test_client


def _rejected(client, column, value):
    body = dict(contract.EXAMPLE_REQUEST, **{column: value})
    response = client.post("/v1/predict", json=body)
    assert response.status_code == 422, f"{column}={value!r} was accepted"
    errors = response.json()["detail"]
    assert any(column in [str(part) for part in error["loc"]] for error in errors), errors
    return " ".join(error["msg"] for error in errors)


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["model_version"] == "test"


def test_a_valid_request_gets_a_prediction_with_its_request_id(client):
    response = client.post("/v1/predict", json=contract.EXAMPLE_REQUEST, headers={"X-Request-ID": "abc-1"})
    assert response.status_code == 200, response.text
    body = response.json()
    if schema.TASK == "classification":
        assert body["prediction"] in schema.CLASSES
        assert 0.0 <= body["confidence"] <= 1.0
    else:
        assert isinstance(body["prediction"], float)
    assert body["model_version"] == "test"
    assert body["fallback_used"] is False
    assert body["request_id"] == "abc-1" == response.headers["x-request-id"]


def test_a_batch_is_predicted_in_one_call(client):
    response = client.post("/v1/predict/batch", json={"instances": [contract.EXAMPLE_REQUEST] * 3})
    assert response.status_code == 200, response.text
    assert len(response.json()["predictions"]) == 3


def test_an_empty_batch_is_rejected(client):
    response = client.post("/v1/predict/batch", json={"instances": []})
    assert response.status_code == 422
    assert "instances" in response.text


def test_an_unknown_field_is_rejected(client):
    body = dict(contract.EXAMPLE_REQUEST, unexpected_field=1)
    assert client.post("/v1/predict", json=body).status_code == 422


@pytest.mark.skipif(not REQUIRED, reason="every field is optional")
def test_a_missing_field_is_rejected_with_its_name(client):
    body = dict(contract.EXAMPLE_REQUEST)
    del body[REQUIRED[0]]
    response = client.post("/v1/predict", json=body)
    assert response.status_code == 422
    assert REQUIRED[0] in response.text


@pytest.mark.skipif(not INTEGERS, reason="no integer field")
@pytest.mark.parametrize("value", [2.5, "3", True])
def test_an_integer_field_rejects_fractions_strings_and_booleans(client, value):
    assert "integer" in _rejected(client, INTEGERS[0], value)


@pytest.mark.skipif(not FLOATS, reason="no decimal field")
@pytest.mark.parametrize("value", ["3.5", True])
def test_a_number_field_rejects_strings_and_booleans(client, value):
    assert "number" in _rejected(client, FLOATS[0], value)


@pytest.mark.skipif(not INTEGERS + FLOATS, reason="no numeric field")
def test_an_out_of_range_value_is_rejected_with_its_name(client):
    column = (INTEGERS + FLOATS)[0]
    spec = schema.COLUMNS[column]
    span = (spec["max"] - spec["min"]) or 1
    _rejected(client, column, int(spec["max"] + 2 * span + 1))


@pytest.mark.skipif(not CATEGORIES, reason="no categorical field")
def test_an_unknown_category_is_rejected(client):
    _rejected(client, CATEGORIES[0], "not-a-known-category")


@pytest.mark.skipif(not BOOLS, reason="no yes/no field")
def test_a_yes_no_field_takes_json_booleans_only(client):
    _rejected(client, BOOLS[0], "maybe")
    _rejected(client, BOOLS[0], 3)


@pytest.mark.skipif(not DATES, reason="no date field")
def test_a_date_field_takes_iso_dates_only(client):
    assert "date" in _rejected(client, DATES[0], 20120101)
    _rejected(client, DATES[0], "not a date")


def test_a_model_file_that_does_not_match_its_hash_is_not_loaded(model_file, monkeypatch):
    model_file.write_bytes(model_file.read_bytes() + b"tampered")
    monkeypatch.setenv("SERVING_MODEL_PATH", str(model_file))
    with TestClient(app_module.app) as test_client:
        info = test_client.get("/v1/model").json()
    assert info["loaded"] is False
    assert "sha256" in info["error"]


def test_model_info(client):
    info = client.get("/v1/model").json()
    assert info["loaded"] is True
    assert info["target"] == schema.TARGET


def test_without_a_model_the_api_answers_with_a_marked_fallback_or_refuses(tmp_path, monkeypatch):
    monkeypatch.setenv("SERVING_MODEL_PATH", str(tmp_path / "model-missing.joblib"))
    with TestClient(app_module.app) as test_client:
        response = test_client.post("/v1/predict", json=contract.EXAMPLE_REQUEST)
        if app_module.POLICY is None:
            assert response.status_code == 503
            assert test_client.get("/readyz").status_code == 503
        else:
            assert response.status_code == 200
            body = response.json()
            assert body["fallback_used"] is True
            assert body["model_version"] == "fallback-prior"
            assert body["needs_review"] is True
            assert body["confidence"] is None


def test_the_contract_has_one_field_per_feature_with_the_data_names():
    model = contract.PredictionRequest
    generated = model.model_json_schema() if base.PYDANTIC_V2 else model.schema()
    assert set(generated["properties"]) == set(schema.FEATURES)


def test_the_json_schema_matches_the_pydantic_contract():
    schema_file = Path(contract.__file__).with_name("contract.schema.json")
    published = json.loads(schema_file.read_text(encoding="utf-8"))
    model = contract.PredictionRequest
    generated = model.model_json_schema() if base.PYDANTIC_V2 else model.schema()
    assert set(published["properties"]) == set(generated["properties"])
    assert set(published["required"]) == set(generated.get("required", []))
