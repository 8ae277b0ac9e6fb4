"""Request monitoring for the API: latency logging, Prometheus metrics and a prediction log.

``instrument(app)`` (called by serving.app when this package exists) adds a middleware that
logs every request with its status and latency, exports Prometheus metrics at /metrics when
prometheus_client is installed, and returns a PredictionLog. Each prediction is logged with its
request id, model version, latency and prediction to MONITORING_PREDICTION_LOG (default
logs/predictions.jsonl), off the request path and rotated by size
(MONITORING_LOG_MAX_BYTES, default 10 MB; 5 old files kept). The request's raw inputs may be
personal data: they are logged only when MONITORING_LOG_INPUTS=1 (drift checks on live traffic
need them).
"""

import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

from serving.base import json_record
from serving.jsonlog import JsonLinesLog

try:
    from prometheus_client import Counter, Histogram, make_asgi_app
except ImportError:  # prometheus_client is optional: latency is still logged
    Counter = Histogram = make_asgi_app = None

logger = logging.getLogger("serving.requests")

PROJECT_DIR = Path(os.environ.get("MONITORING_PROJECT_DIR", Path(__file__).resolve().parent.parent))

if Histogram is not None:
    REQUEST_LATENCY = Histogram("http_request_duration_seconds", "Request latency", ["method", "route", "status"])
    PREDICTIONS = Counter("predictions_total", "Predictions served", ["fallback"])
else:
    REQUEST_LATENCY = PREDICTIONS = None


class PredictionLog:
    def __init__(self, path: Optional[Path], log_inputs: bool = False, max_bytes: int = 10_000_000) -> None:
        self.log_inputs = log_inputs
        self.file = JsonLinesLog(path, max_bytes=max_bytes) if path is not None else None

    def log_predictions(
        self,
        request_id: str,
        records: Sequence[Dict[str, Any]],
        results: Sequence[Dict[str, Any]],
        latency_ms: float,
    ) -> None:
        if PREDICTIONS is not None:
            for result in results:
                PREDICTIONS.labels(fallback=str(bool(result.get("fallback_used")))).inc()
        if self.file is None:
            return
        now = datetime.now(timezone.utc).isoformat()
        for index, (record, result) in enumerate(zip(records, results)):
            self.file.write(
                {
                    "time": now,
                    "request_id": request_id,
                    "row": index,
                    "model_version": result.get("model_version"),
                    "latency_ms": round(latency_ms, 3),
                    "prediction": result.get("prediction"),
                    "confidence": result.get("confidence"),
                    "fallback_used": bool(result.get("fallback_used")),
                    # The raw input may be personal data: only on opt-in.
                    **({"input": json_record(record)} if self.log_inputs else {}),
                }
            )

    def flush(self) -> None:
        if self.file is not None:
            self.file.flush()


def instrument(app, prediction_log: Optional[Path] = None, log_inputs: Optional[bool] = None) -> PredictionLog:
    """Adds latency logging (and Prometheus metrics when available) to a FastAPI app."""

    @app.middleware("http")
    async def log_request(request, call_next):
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            latency = time.perf_counter() - started
            route = getattr(request.scope.get("route"), "path", "unmatched")
            logger.info(
                "%s %s %d %.1fms",
                request.method,
                request.url.path,
                status,
                latency * 1000,
                extra={"route": route, "status": status, "latency_ms": latency * 1000},
            )
            if REQUEST_LATENCY is not None:
                REQUEST_LATENCY.labels(method=request.method, route=route, status=str(status)).observe(latency)

    if make_asgi_app is not None:
        app.mount("/metrics", make_asgi_app())
    if prediction_log is None:
        setting = os.environ.get("MONITORING_PREDICTION_LOG", "logs/predictions.jsonl")
        prediction_log = PROJECT_DIR / setting if setting else None
    if log_inputs is None:
        log_inputs = os.environ.get("MONITORING_LOG_INPUTS") == "1"
    max_bytes = int(os.environ.get("MONITORING_LOG_MAX_BYTES", "10000000"))
    return PredictionLog(prediction_log, log_inputs=log_inputs, max_bytes=max_bytes)
