import { exampleRequest, type DataSpec, type Feature, type GeneratedFile } from './spec';
import { pyLiteral, pyNum, pyStr } from './python';
import { conftest, servingInit } from './shared';

/**
 * The `api` scaffold: a typed contract inferred from the data (pydantic 1 and 2), a FastAPI
 * app that loads the model once at start-up, and the request's JSON Schema for other clients.
 */
export function generateApi(spec: DataSpec, options: { model?: string } = {}): GeneratedFile[] {
  return [
    servingInit(),
    { path: 'serving/contract.py', content: contractPy(spec) },
    { path: 'serving/app.py', content: appPy(spec, options.model) },
    { path: 'serving/contract.schema.json', content: JSON.stringify(requestJsonSchema(spec), null, 2) + '\n' },
    { path: 'tests/test_api.py', content: testApiPy(spec) },
    conftest(),
    { path: 'README.md', mode: 'section', section: 'api', content: readme(spec) },
  ];
}

function fieldType(f: Feature): string {
  switch (f.kind) {
    case 'numeric':
      return f.integer ? 'int' : 'float';
    case 'bool':
      return 'bool';
    case 'category':
      return `Literal[${f.categories!.map(pyStr).join(', ')}]`;
    case 'text':
      return 'str';
  }
}

function fieldDeclaration(f: Feature): string {
  const type = f.optional ? `Optional[${fieldType(f)}]` : fieldType(f);
  const args = [f.optional ? 'None' : '...'];
  if (f.ident !== f.column) args.push(`alias=${pyStr(f.column)}`);
  if (f.kind === 'numeric') {
    const kind = f.integer ? 'int' : 'float';
    args.push(`ge=${pyNum(f.lower!, kind)}`, `le=${pyNum(f.upper!, kind)}`);
  }
  if (f.kind === 'text') args.push('max_length=1000');
  const description = f.optional ? `${describe(f)}; optional (missing values are imputed)` : describe(f);
  args.push(`description=${pyStr(description)}`);
  const line = `    ${f.ident}: ${type} = Field(${args.join(', ')})`;
  if (line.length <= 100) return line;
  return `    ${f.ident}: ${type} = Field(\n${args.map((a) => `        ${a},`).join('\n')}\n    )`;
}

function describe(f: Feature): string {
  const p = f.profile;
  switch (f.kind) {
    case 'numeric':
      return `${f.column}: observed ${p.min} to ${p.max}`;
    case 'bool':
      return `${f.column}: true or false`;
    case 'category':
      return `${f.column}: one of the ${f.categories!.length} values seen in the data`;
    case 'text':
      return `${f.column}: free text`;
  }
}

function contractPy(spec: DataSpec): string {
  const numeric = spec.features.filter((f) => f.kind === 'numeric').map((f) => f.column);
  const bools = spec.features.filter((f) => f.kind === 'bool').map((f) => f.column);
  const categorical = spec.features.filter((f) => f.kind === 'category' || f.kind === 'text').map((f) => f.column);
  const needsLiteral = spec.features.some((f) => f.kind === 'category');
  const typing = ['Any', 'Dict', 'List', ...(needsLiteral ? ['Literal'] : []), 'Optional', 'Sequence'];
  return `"""Request and response models of the prediction API.

Fields, types, ranges and allowed categories were inferred by mlready from ${spec.dataFileName}.
The models work with pydantic 1 and 2. \`\`contract.schema.json\`\` is the same request
contract as JSON Schema, for clients in other languages.
"""

from typing import ${typing.join(', ')}

import numpy as np
import pandas as pd
from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel, Field

PYDANTIC_V2 = PYDANTIC_VERSION.startswith("2.")

TASK = ${pyStr(spec.task)}
TARGET = ${pyStr(spec.target.name)}
FEATURE_COLUMNS = ${pyLiteral(spec.features.map((f) => f.column))}
NUMERIC_COLUMNS = ${pyLiteral(numeric)}
BOOL_COLUMNS = ${pyLiteral(bools)}
CATEGORICAL_COLUMNS = ${pyLiteral(categorical)}
${spec.classes ? `CLASSES = ${pyLiteral(spec.classes)}\n` : ''}MAX_BATCH_SIZE = 1000

# A valid request, for documentation and tests.
EXAMPLE_REQUEST = ${pyLiteral(exampleRequest(spec))}


class StrictModel(BaseModel):
    """Rejects unknown fields, so a misspelt optional field is an error, not a silent default."""

    if PYDANTIC_V2:
        model_config = {"extra": "forbid"}
    else:

        class Config:
            extra = "forbid"


class PredictionRequest(StrictModel):
    """One row of features."""

${spec.features.map(fieldDeclaration).join('\n')}


class BatchRequest(StrictModel):
    instances: List[PredictionRequest]


class PredictionResponse(BaseModel):
    prediction: ${spec.predictionType}
    confidence: Optional[float] = Field(
        None, ge=0.0, le=1.0, description=${pyStr(spec.task === 'classification' ? 'probability of the predicted class' : 'not available for regression')}
    )
    model_version: str
    fallback_used: bool = False
    fallback_reason: Optional[str] = None
    needs_review: bool = False


class BatchResponse(BaseModel):
    predictions: List[PredictionResponse]


class ModelInfo(BaseModel):
    loaded: bool
    version: str
    task: str
    target: str
    features: List[str]
    metrics: Dict[str, float] = {}
    created_at: Optional[str] = None
    error: Optional[str] = None


def as_record(request: BaseModel) -> Dict[str, Any]:
    """The request as a row keyed by the data's column names."""
    dump = getattr(request, "model_dump", None)
    return dump(by_alias=True) if dump is not None else request.dict(by_alias=True)


def to_frame(records: Sequence[Dict[str, Any]]) -> pd.DataFrame:
    """Rows in the layout the model was trained on (the pipeline's validate())."""
    frame = pd.DataFrame.from_records(list(records), columns=FEATURE_COLUMNS)
    for column in NUMERIC_COLUMNS + BOOL_COLUMNS:
        frame[column] = frame[column].astype(float)
    for column in CATEGORICAL_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), np.nan)
    return frame
`;
}

function appPy(spec: DataSpec, model?: string): string {
  const isClf = spec.task === 'classification';
  const predictions = isClf
    ? `    probabilities = model.predict_proba(frame)
    classes = list(model.classes_)
    results = []
    for row in probabilities:
        best = int(np.argmax(row))
        results.append({"prediction": _plain(classes[best]), "confidence": float(row[best])})
    return results`
    : `    return [{"prediction": float(value), "confidence": None} for value in model.predict(frame)]`;
  return `"""The prediction API: \`\`uvicorn serving.app:app\`\` from the project folder.

POST /v1/predict and /v1/predict/batch validate the input against the contract inferred from
the data; GET /healthz (the process is up), /readyz (the model is loaded) and /v1/model. The
model is loaded once, at start-up: SERVING_MODEL_PATH, or the newest models/model-*.joblib.
"""

import hashlib
import inspect
import json
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Dict, List, Optional

import joblib
import numpy as np
import pandas as pd
from fastapi import FastAPI, HTTPException, status

from serving.contract import (
    MAX_BATCH_SIZE,
    TARGET,
    TASK,
    BatchRequest,
    BatchResponse,
    ModelInfo,
    PredictionRequest,
    PredictionResponse,
    as_record,
    to_frame,
)

try:
    from serving.fallback import FallbackPolicy
except ImportError:  # generated without the fallback scaffold: without a model the API answers 503
    FallbackPolicy = None

try:
    from monitoring.requests import instrument
except ImportError:  # generated without the monitoring scaffold: no request metrics
    instrument = None

logger = logging.getLogger("serving")

PROJECT_DIR = Path(os.environ.get("SERVING_PROJECT_DIR", Path(__file__).resolve().parent.parent))
DEFAULT_MODEL_PATH = ${pyStr(model ?? '')}


class ModelState:
    """The model, loaded once at start-up and shared by every request."""

    def __init__(self) -> None:
        self.model: Any = None
        self.version = "none"
        self.metadata: Dict[str, Any] = {}
        self.error: Optional[str] = None


STATE = ModelState()
POLICY = FallbackPolicy.from_environment() if FallbackPolicy is not None else None


def resolve_model_path() -> Optional[Path]:
    setting = os.environ.get("SERVING_MODEL_PATH", DEFAULT_MODEL_PATH)
    if setting:
        path = PROJECT_DIR / setting
        return path if path.is_file() else None
    models_dir = PROJECT_DIR / os.environ.get("SERVING_MODELS_DIR", "models")
    candidates = sorted(models_dir.glob("model-*.joblib"))
    return candidates[-1] if candidates else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_model_file(path: Path, metadata: Dict[str, Any]) -> Optional[str]:
    """Why the model file must not be loaded, or None: its sha256 must match its metadata."""
    expected = metadata.get("model_sha256")
    if expected is None:
        if os.environ.get("SERVING_ALLOW_UNVERIFIED_MODEL") == "1":
            logger.warning("loading %s without a recorded sha256 (SERVING_ALLOW_UNVERIFIED_MODEL=1)", path.name)
            return None
        return (
            f"{path.name} has no recorded sha256 in {path.with_suffix('.json').name}; "
            "set SERVING_ALLOW_UNVERIFIED_MODEL=1 to load it anyway"
        )
    if file_sha256(path) != expected:
        return f"{path.name} does not match the sha256 recorded when it was trained"
    return None


def load_model() -> None:
    """Loads the model into STATE; on failure the API stays up and /readyz says why."""
    STATE.__init__()
    path = resolve_model_path()
    if path is None:
        STATE.error = "no model file found (set SERVING_MODEL_PATH or run python -m pipeline.train)"
        logger.error("%s", STATE.error)
        return
    metadata_path = path.with_suffix(".json")
    metadata = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path.is_file() else {}
    problem = verify_model_file(path, metadata)
    if problem:
        STATE.error = problem
        logger.error("%s", problem)
        return
    try:
        # A joblib file can run code when loaded: only a file whose hash matches its metadata gets here.
        STATE.model = joblib.load(path)  # mlready: ignore[unsafe-deserialization]
    except Exception as error:  # a broken model file must not stop the API: /readyz reports it
        STATE.error = f"could not load {path.name}: {error}"
        logger.exception("could not load the model from %s", path)
        return
    STATE.metadata = metadata
    STATE.version = path.stem[len("model-") :] if path.stem.startswith("model-") else path.stem
    if POLICY is not None and STATE.metadata.get("prior"):
        POLICY.prior = STATE.metadata["prior"]
    logger.info("model %s loaded from %s", STATE.version, path)


@asynccontextmanager
async def lifespan(_app: FastAPI):
    load_model()
    yield


def create_app() -> FastAPI:
    settings = {"title": "Prediction API", "version": "1.0.0"}
    if "lifespan" in inspect.signature(FastAPI).parameters:
        application = FastAPI(lifespan=lifespan, **settings)
    else:  # FastAPI before 0.93 has no lifespan parameter
        application = FastAPI(**settings)
        application.add_event_handler("startup", load_model)
    return application


app = create_app()
MONITOR = instrument(app) if instrument is not None else None


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def model_predictions(model: Any, frame: pd.DataFrame) -> List[Dict[str, Any]]:
    """One call to the model for all rows."""
${predictions}


def _predict(requests: List[PredictionRequest]) -> List[PredictionResponse]:
    records = [as_record(r) for r in requests]
    frame = to_frame(records)
    model = STATE.model
    if POLICY is not None:
        predict = (lambda rows: model_predictions(model, rows)) if model is not None else None
        results = POLICY.predict(predict, frame, records, STATE.error)
    elif model is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=STATE.error)
    else:
        results = model_predictions(model, frame)
    responses = [PredictionResponse(model_version=STATE.version, **result) for result in results]
    if MONITOR is not None:
        MONITOR.log_predictions(records, results)
    return responses


@app.get("/healthz")
def healthz() -> Dict[str, str]:
    return {"status": "ok"}


@app.get("/readyz")
def readyz() -> Dict[str, str]:
    if STATE.model is not None:
        return {"status": "ready", "model_version": STATE.version}
    if POLICY is not None:
        return {"status": "degraded", "reason": STATE.error or "no model"}
    raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=STATE.error)


@app.get("/v1/model", response_model=ModelInfo)
def model_info() -> ModelInfo:
    return ModelInfo(
        loaded=STATE.model is not None,
        version=STATE.version,
        task=TASK,
        target=TARGET,
        features=list(STATE.metadata.get("features", [])),
        metrics=STATE.metadata.get("metrics", {}),
        created_at=STATE.metadata.get("created_at"),
        error=STATE.error,
    )


@app.post("/v1/predict", response_model=PredictionResponse)
def predict(request: PredictionRequest) -> PredictionResponse:
    return _predict([request])[0]


@app.post("/v1/predict/batch", response_model=BatchResponse)
def predict_batch(batch: BatchRequest) -> BatchResponse:
    if not 1 <= len(batch.instances) <= MAX_BATCH_SIZE:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            detail=[
                {
                    "loc": ["body", "instances"],
                    "msg": f"send between 1 and {MAX_BATCH_SIZE} instances",
                    "type": "value_error",
                }
            ],
        )
    return BatchResponse(predictions=_predict(batch.instances))
`;
}

export function requestJsonSchema(spec: DataSpec): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of spec.features) {
    const p: Record<string, unknown> = {};
    let type: string;
    switch (f.kind) {
      case 'numeric':
        type = f.integer ? 'integer' : 'number';
        p.minimum = f.lower;
        p.maximum = f.upper;
        break;
      case 'bool':
        type = 'boolean';
        break;
      case 'category':
        type = 'string';
        p.enum = f.optional ? [...f.categories!, null] : f.categories;
        break;
      case 'text':
        type = 'string';
        p.maxLength = 1000;
        break;
    }
    properties[f.column] = { type: f.optional ? [type, 'null'] : type, ...p, description: describe(f) };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'PredictionRequest',
    description: `One row of features for the ${spec.target.name} model (inferred from ${spec.dataFileName} by mlready).`,
    type: 'object',
    properties,
    required: spec.features.filter((f) => !f.optional).map((f) => f.column),
    additionalProperties: false,
  };
}

function testApiPy(spec: DataSpec): string {
  const isClf = spec.task === 'classification';
  const required = spec.features.find((f) => !f.optional);
  const numeric = spec.features.find((f) => f.kind === 'numeric');
  const category = spec.features.find((f) => f.kind === 'category');
  const dummy = isClf ? 'DummyClassifier(strategy="prior")' : 'DummyRegressor(strategy="median")';
  const labels = isClf ? `contract.CLASSES * 2` : `[float(i) for i in range(4)]`;
  const tests: string[] = [];
  if (required) {
    tests.push(`
def test_a_missing_field_is_rejected_with_its_name(client):
    body = dict(contract.EXAMPLE_REQUEST)
    del body[${pyStr(required.column)}]
    response = client.post("/v1/predict", json=body)
    assert response.status_code == 422
    assert ${pyStr(required.column)} in response.text
`);
  }
  if (numeric) {
    tests.push(`
def test_an_out_of_range_value_is_rejected_with_its_name(client):
    body = dict(contract.EXAMPLE_REQUEST, **{${pyStr(numeric.column)}: ${pyNum(numeric.upper! + (numeric.upper! - numeric.lower!) + 1, numeric.integer ? 'int' : 'float')}})
    response = client.post("/v1/predict", json=body)
    assert response.status_code == 422
    assert ${pyStr(numeric.column)} in response.text
`);
  }
  if (category) {
    tests.push(`
def test_an_unknown_category_is_rejected(client):
    body = dict(contract.EXAMPLE_REQUEST, **{${pyStr(category.column)}: "not-a-known-category"})
    response = client.post("/v1/predict", json=body)
    assert response.status_code == 422
    assert ${pyStr(category.column)} in response.text
`);
  }
  return `"""Tests of the prediction API (run with \`\`python -m pytest\`\`).

They serve a small stand-in model fitted here, so they do not depend on a trained one.
"""

import json
from pathlib import Path

import joblib
import pytest
from fastapi.testclient import TestClient
from sklearn.dummy import ${isClf ? 'DummyClassifier' : 'DummyRegressor'}

from serving import app as app_module
from serving import contract


@pytest.fixture
def model_file(tmp_path):
    rows = [contract.EXAMPLE_REQUEST] * 4
    labels = (${labels})[:4]
    # A stand-in model for the test, not a training run: there is nothing to track.
    model = ${dummy}.fit(contract.to_frame(rows), labels)  # mlready: ignore[untracked-training]
    path = tmp_path / "model-test.joblib"
    joblib.dump(model, path)
    metadata = {"model_sha256": app_module.file_sha256(path), "features": contract.FEATURE_COLUMNS}
    path.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")
    return path


@pytest.fixture
def client(model_file, monkeypatch):
    monkeypatch.setenv("SERVING_MODEL_PATH", str(model_file))
    with TestClient(app_module.app) as test_client:
        yield test_client


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["model_version"] == "test"


def test_a_valid_request_gets_a_prediction(client):
    response = client.post("/v1/predict", json=contract.EXAMPLE_REQUEST)
    assert response.status_code == 200, response.text
    body = response.json()
${isClf ? `    assert body["prediction"] in contract.CLASSES
    assert 0.0 <= body["confidence"] <= 1.0
` : `    assert isinstance(body["prediction"], float)
`}    assert body["model_version"] == "test"
    assert body["fallback_used"] is False


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
${tests.join('')}

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
    assert info["target"] == contract.TARGET


def test_without_a_model_the_api_degrades_or_refuses(tmp_path, monkeypatch):
    monkeypatch.setenv("SERVING_MODEL_PATH", str(tmp_path / "model-missing.joblib"))
    with TestClient(app_module.app) as test_client:
        response = test_client.post("/v1/predict", json=contract.EXAMPLE_REQUEST)
        if app_module.POLICY is None:
            assert response.status_code == 503
            assert test_client.get("/readyz").status_code == 503
        else:
            assert response.status_code == 200
            assert response.json()["fallback_used"] is True


def test_the_json_schema_matches_the_pydantic_contract():
    schema_file = Path(contract.__file__).with_name("contract.schema.json")
    published = json.loads(schema_file.read_text(encoding="utf-8"))
    model = contract.PredictionRequest
    generated = model.model_json_schema() if contract.PYDANTIC_V2 else model.schema()
    assert set(published["properties"]) == set(generated["properties"])
    assert set(published["required"]) == set(generated.get("required", []))
`;
}

function readme(spec: DataSpec): string {
  return `## Prediction API

Generated by \`mlready scaffold api\`: a FastAPI app with a typed contract inferred from \`${spec.dataPath}\`.

\`\`\`sh
uvicorn serving.app:app --port 8000
curl -s localhost:8000/v1/predict -H 'content-type: application/json' \\
  -d '${JSON.stringify(exampleRequest(spec)).replace(/'/g, "'\\''")}'
\`\`\`

- \`POST /v1/predict\`, \`POST /v1/predict/batch\`: \`prediction\`, \`confidence\`, \`model_version\`, \`fallback_used\`; invalid input gets 422 naming the field.
- \`GET /healthz\` (process up), \`GET /readyz\` (model loaded), \`GET /v1/model\` (version, metrics).
- The model is loaded once at start-up: \`SERVING_MODEL_PATH\`, or the newest \`models/model-*.joblib\`.
- \`serving/contract.schema.json\`: the request as JSON Schema, for clients in other languages.
`;
}
