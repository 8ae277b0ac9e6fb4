"""The prediction API: ``uvicorn serving.app:app`` from the project folder.

POST /v1/predict and /v1/predict/batch validate the input against the contract inferred from
the data (serving/contract.py); GET /healthz (the process is up), /readyz (the model is
loaded) and /v1/model. The model is loaded once, at start-up: the model promoted in
models/registry.json (``python -m pipeline.promote``), or SERVING_MODEL_PATH to pin a file.
A model file is loaded only when its sha256 matches its metadata.
"""

import hashlib
import inspect
import json
import logging
import os
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Dict, List, Optional

import joblib
import numpy as np
import pandas as pd
from fastapi import FastAPI, HTTPException, Request, Response, status

import data_schema as schema
from serving.base import MAX_BATCH_SIZE, ModelInfo, as_record, to_frame
from serving.contract import BatchRequest, BatchResponse, PredictionRequest, PredictionResponse

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


class ModelState:
    """The model, loaded once at start-up and shared by every request."""

    def __init__(self) -> None:
        self.model: Any = None
        self.version = "none"
        self.metadata: Dict[str, Any] = {}
        self.error: Optional[str] = None


STATE = ModelState()
POLICY = FallbackPolicy.from_environment() if FallbackPolicy is not None else None


def models_dir() -> Path:
    return PROJECT_DIR / os.environ.get("SERVING_MODELS_DIR", "models")


def resolve_model_path() -> Optional[Path]:
    """SERVING_MODEL_PATH when set, else the promoted model of models/registry.json."""
    setting = os.environ.get("SERVING_MODEL_PATH", "")
    if setting:
        path = PROJECT_DIR / setting
        return path if path.is_file() else None
    registry = models_dir() / "registry.json"
    if not registry.is_file():
        return None
    promoted = json.loads(registry.read_text(encoding="utf-8")).get("promoted")
    return models_dir() / promoted["model"] if promoted else None


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
    if path is None or not path.is_file():
        STATE.error = "no promoted model (run python -m pipeline.promote, or set SERVING_MODEL_PATH)"
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
    if POLICY is not None and metadata.get("prior"):
        POLICY.prior = metadata["prior"]
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
    if schema.TASK != "classification":
        return [{"prediction": float(value), "confidence": None} for value in model.predict(frame)]
    probabilities = model.predict_proba(frame)
    classes = list(model.classes_)
    results = []
    for row in probabilities:
        best = int(np.argmax(row))
        results.append({"prediction": _plain(classes[best]), "confidence": float(row[best])})
    return results


def _request_id(request: Request) -> str:
    supplied = request.headers.get("x-request-id", "")
    return supplied[:128] if supplied else uuid.uuid4().hex


def _predict(requests: List[PredictionRequest], request_id: str) -> List[PredictionResponse]:
    records = [as_record(r) for r in requests]
    frame = to_frame(records)
    model = STATE.model
    started = time.perf_counter()
    if POLICY is not None:
        predict = (lambda rows: model_predictions(model, rows)) if model is not None else None
        results = POLICY.predict(predict, frame, records, STATE.error, request_id)
    elif model is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=STATE.error)
    else:
        results = model_predictions(model, frame)
    latency_ms = (time.perf_counter() - started) * 1000
    responses = []
    for result in results:
        result.setdefault("model_version", STATE.version)
        responses.append(PredictionResponse(request_id=request_id, **result))
    if MONITOR is not None:
        MONITOR.log_predictions(request_id, records, results, latency_ms)
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
        task=schema.TASK,
        target=schema.TARGET,
        features=list(STATE.metadata.get("features", [])),
        metrics=STATE.metadata.get("metrics", {}),
        created_at=STATE.metadata.get("created_at"),
        error=STATE.error,
    )


@app.post("/v1/predict", response_model=PredictionResponse)
def predict(body: PredictionRequest, request: Request, response: Response) -> PredictionResponse:
    request_id = _request_id(request)
    response.headers["X-Request-ID"] = request_id
    return _predict([body], request_id)[0]


@app.post("/v1/predict/batch", response_model=BatchResponse)
def predict_batch(batch: BatchRequest, request: Request, response: Response) -> BatchResponse:
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
    request_id = _request_id(request)
    response.headers["X-Request-ID"] = request_id
    return BatchResponse(predictions=_predict(batch.instances, request_id))
