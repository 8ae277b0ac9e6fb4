"""Graceful degradation for the prediction API.

- The model is missing, raises, exceeds its time budget, or every worker is still busy with
  earlier slow predictions: the answer is the training prior, marked as what it is:
  ``fallback_used: true``, ``model_version: "fallback-prior"``, ``needs_review: true``, and no
  confidence (the prior's share of the training rows is not the model's confidence).
- The model answers with a confidence below the threshold: keep the answer, set
  ``needs_review`` and append the case (its request id, the answer and the reason; the raw
  input only with MONITORING_LOG_INPUTS=1, as it may be personal data) to the escalation log.
- A slow model cannot leave the process stuck: predictions run on at most
  SERVING_MODEL_WORKERS threads and are never queued behind slow ones. When all of them are
  busy the request gets the fallback at once, and as soon as the slow calls finish the model
  answers again.

Settings: SERVING_CONFIDENCE_THRESHOLD (default 0.6), SERVING_TIME_BUDGET_SECONDS (default 1.0),
SERVING_MODEL_WORKERS (default 4), SERVING_ESCALATION_LOG (default logs/escalations.jsonl).
"""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import pandas as pd

import data_schema as schema
from serving.base import json_record
from serving.jsonlog import JsonLinesLog

logger = logging.getLogger("serving.fallback")

PROJECT_DIR = Path(os.environ.get("SERVING_PROJECT_DIR", Path(__file__).resolve().parent.parent))
FALLBACK_VERSION = "fallback-prior"

# The training prior inferred by mlready from the data file; a trained model's metadata
# (models/model-<version>.json, "prior") is more recent and is preferred when it is loaded.
PRIOR: Dict[str, Any] = dict(schema.PRIOR)

Predict = Callable[[pd.DataFrame], List[Dict[str, Any]]]


class FallbackPolicy:
    def __init__(
        self,
        prior: Dict[str, Any],
        confidence_threshold: float,
        time_budget_seconds: float,
        escalation_log: Path,
        workers: int = 4,
        log_inputs: bool = False,
    ) -> None:
        self.prior = prior
        self.confidence_threshold = confidence_threshold
        self.time_budget_seconds = time_budget_seconds
        self.workers = workers
        self.log_inputs = log_inputs
        self.escalations = JsonLinesLog(escalation_log)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="predict")
        self._free = threading.BoundedSemaphore(workers)

    @classmethod
    def from_environment(cls) -> "FallbackPolicy":
        return cls(
            prior=dict(PRIOR),
            confidence_threshold=float(os.environ.get("SERVING_CONFIDENCE_THRESHOLD", "0.6")),
            time_budget_seconds=float(os.environ.get("SERVING_TIME_BUDGET_SECONDS", "1.0")),
            escalation_log=PROJECT_DIR / os.environ.get("SERVING_ESCALATION_LOG", "logs/escalations.jsonl"),
            workers=int(os.environ.get("SERVING_MODEL_WORKERS", "4")),
            log_inputs=os.environ.get("MONITORING_LOG_INPUTS") == "1",
        )

    def _run(self, predict: Predict, frame: pd.DataFrame) -> List[Dict[str, Any]]:
        try:
            return predict(frame)
        finally:
            self._free.release()  # the worker is free again only when the model call has returned

    def predict(
        self,
        predict: Optional[Predict],
        frame: pd.DataFrame,
        records: Sequence[Dict[str, Any]],
        unavailable_reason: Optional[str] = None,
        request_id: str = "",
    ) -> List[Dict[str, Any]]:
        """Predictions for every row, degraded when the model cannot give them in time."""
        if predict is None:
            return self._degraded(len(frame), f"model unavailable: {unavailable_reason or 'not loaded'}")
        if not self._free.acquire(blocking=False):
            return self._degraded(len(frame), f"model busy: all {self.workers} workers are still on slow predictions")
        try:
            future = self._executor.submit(self._run, predict, frame)
        except RuntimeError as error:  # the executor is shut down
            self._free.release()
            return self._degraded(len(frame), f"model unavailable: {error}")
        try:
            results = future.result(timeout=self.time_budget_seconds)
        except FutureTimeout:
            return self._degraded(len(frame), f"prediction exceeded its {self.time_budget_seconds}s budget")
        except Exception as error:  # whatever the model raises, the caller gets an answer
            logger.exception("the model failed")
            return self._degraded(len(frame), f"model error: {type(error).__name__}: {error}")
        for record, result in zip(records, results):
            result.setdefault("fallback_used", False)
            confidence = result.get("confidence")
            result["needs_review"] = confidence is not None and confidence < self.confidence_threshold
            if result["needs_review"]:
                reason = f"confidence {confidence:.3f} below {self.confidence_threshold}"
                self.escalate(record, result, reason, request_id)
        return results

    def _degraded(self, rows: int, reason: str) -> List[Dict[str, Any]]:
        logger.warning("fallback answer for %d row(s): %s", rows, reason)
        answer = {
            "prediction": self.prior["prediction"],
            "confidence": None,
            "model_version": FALLBACK_VERSION,
            "fallback_used": True,
            "fallback_reason": reason,
            "needs_review": True,
        }
        return [dict(answer) for _ in range(rows)]

    def escalate(self, record: Dict[str, Any], result: Dict[str, Any], reason: str, request_id: str = "") -> None:
        """Queues a case for human review in the escalation log."""
        self.escalations.write(
            {
                "time": datetime.now(timezone.utc).isoformat(),
                "request_id": request_id,
                "reason": reason,
                "prediction": result.get("prediction"),
                "confidence": result.get("confidence"),
                # The raw input may be personal data: only on opt-in.
                **({"input": json_record(record)} if self.log_inputs else {}),
            }
        )
        logger.info("escalated for review: %s", reason)
