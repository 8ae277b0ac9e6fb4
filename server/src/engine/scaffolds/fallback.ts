import type { DataSpec, GeneratedFile } from './spec';
import { pyLiteral } from './python';
import { conftest, servingInit } from './shared';

/**
 * The `fallback` scaffold: `serving/fallback.py`, the policy the API uses when the model is
 * missing, fails, is too slow, or is unsure.
 */
export function generateFallback(spec: DataSpec): GeneratedFile[] {
  return [
    servingInit(),
    { path: 'serving/fallback.py', content: fallbackPy(spec) },
    { path: 'tests/test_fallback.py', content: testFallbackPy(spec) },
    conftest(),
    { path: 'README.md', mode: 'section', section: 'fallback', content: readme(spec) },
  ];
}

function fallbackPy(spec: DataSpec): string {
  const isClf = spec.task === 'classification';
  return `"""Graceful degradation for the prediction API.

- The model is missing, raises, or exceeds its time budget: answer with the training prior
  (${isClf ? 'the majority class, with its share as the confidence' : 'the median target'}) and set \`\`fallback_used\`\`.
- The model answers with a confidence below the threshold: keep the answer, set
  \`\`needs_review\`\` and append the case to the escalation log (JSON lines) for a human.
- Every degraded answer is logged with its reason.

Settings: SERVING_CONFIDENCE_THRESHOLD (default 0.6), SERVING_TIME_BUDGET_SECONDS (default
1.0), SERVING_ESCALATION_LOG (default logs/escalations.jsonl).
"""

import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import pandas as pd

logger = logging.getLogger("serving.fallback")

PROJECT_DIR = Path(os.environ.get("SERVING_PROJECT_DIR", Path(__file__).resolve().parent.parent))

# The training prior inferred by mlready from ${spec.dataFileName}; a trained model's metadata
# (models/model-<version>.json, "prior") is more recent and is preferred when it is loaded.
PRIOR = ${pyLiteral(spec.prior)}

Predict = Callable[[pd.DataFrame], List[Dict[str, Any]]]


class FallbackPolicy:
    def __init__(
        self,
        prior: Dict[str, Any],
        confidence_threshold: float,
        time_budget_seconds: float,
        escalation_log: Path,
    ) -> None:
        self.prior = prior
        self.confidence_threshold = confidence_threshold
        self.time_budget_seconds = time_budget_seconds
        self.escalation_log = escalation_log
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="predict")
        self._log_lock = threading.Lock()

    @classmethod
    def from_environment(cls) -> "FallbackPolicy":
        return cls(
            prior=dict(PRIOR),
            confidence_threshold=float(os.environ.get("SERVING_CONFIDENCE_THRESHOLD", "0.6")),
            time_budget_seconds=float(os.environ.get("SERVING_TIME_BUDGET_SECONDS", "1.0")),
            escalation_log=PROJECT_DIR / os.environ.get("SERVING_ESCALATION_LOG", "logs/escalations.jsonl"),
        )

    def predict(
        self,
        predict: Optional[Predict],
        frame: pd.DataFrame,
        records: Sequence[Dict[str, Any]],
        unavailable_reason: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Predictions for every row, degraded when the model cannot give them in time."""
        if predict is None:
            return self._degraded(len(frame), f"model unavailable: {unavailable_reason or 'not loaded'}")
        future = self._executor.submit(predict, frame)
        try:
            results = future.result(timeout=self.time_budget_seconds)
        except FutureTimeout:
            future.cancel()
            return self._degraded(len(frame), f"prediction exceeded its {self.time_budget_seconds}s budget")
        except Exception as error:  # whatever the model raises, the caller gets an answer
            logger.exception("the model failed")
            return self._degraded(len(frame), f"model error: {type(error).__name__}: {error}")
        for record, result in zip(records, results):
            result.setdefault("fallback_used", False)
            confidence = result.get("confidence")
            result["needs_review"] = confidence is not None and confidence < self.confidence_threshold
            if result["needs_review"]:
                self.escalate(record, result, f"confidence {confidence:.3f} below {self.confidence_threshold}")
        return results

    def _degraded(self, rows: int, reason: str) -> List[Dict[str, Any]]:
        logger.warning("fallback answer for %d row(s): %s", rows, reason)
        answer = {
            "prediction": self.prior["prediction"],
            "confidence": self.prior.get("confidence"),
            "fallback_used": True,
            "fallback_reason": reason,
            "needs_review": False,
        }
        return [dict(answer) for _ in range(rows)]

    def escalate(self, record: Dict[str, Any], result: Dict[str, Any], reason: str) -> None:
        """Appends a case for human review to the escalation log."""
        entry = {
            "time": datetime.now(timezone.utc).isoformat(),
            "reason": reason,
            "input": record,
            "prediction": result.get("prediction"),
            "confidence": result.get("confidence"),
        }
        logger.info("escalated for review: %s", reason)
        with self._log_lock:
            self.escalation_log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.escalation_log, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, default=str) + "\\n")
`;
}

function testFallbackPy(spec: DataSpec): string {
  const isClf = spec.task === 'classification';
  return `"""Tests of the fallback policy (run with \`\`python -m pytest\`\`)."""

import json
import threading

import pandas as pd
import pytest

from serving.fallback import PRIOR, FallbackPolicy


@pytest.fixture
def policy(tmp_path):
    return FallbackPolicy(
        prior=dict(PRIOR),
        confidence_threshold=0.6,
        time_budget_seconds=0.2,
        escalation_log=tmp_path / "escalations.jsonl",
    )


FRAME = pd.DataFrame({"x": [1.0, 2.0]})
RECORDS = [{"x": 1.0}, {"x": 2.0}]


def test_no_model_answers_with_the_prior(policy):
    results = policy.predict(None, FRAME, RECORDS, "no model file")
    assert [r["prediction"] for r in results] == [PRIOR["prediction"]] * 2
    assert all(r["fallback_used"] for r in results)
    assert "no model file" in results[0]["fallback_reason"]


def test_a_failing_model_answers_with_the_prior(policy):
    def broken(frame):
        raise RuntimeError("corrupt weights")

    results = policy.predict(broken, FRAME, RECORDS)
    assert all(r["fallback_used"] for r in results)
    assert "corrupt weights" in results[0]["fallback_reason"]


def test_a_slow_model_is_cut_off_at_the_time_budget(policy):
    release = threading.Event()

    def slow(frame):
        release.wait(timeout=5)
        return [{"prediction": PRIOR["prediction"], "confidence": 1.0}] * len(frame)

    try:
        results = policy.predict(slow, FRAME, RECORDS)
    finally:
        release.set()
    assert all(r["fallback_used"] for r in results)
    assert "budget" in results[0]["fallback_reason"]


def test_low_confidence_is_escalated_for_review(policy):
    def unsure(frame):
        return [{"prediction": PRIOR["prediction"], "confidence": c} for c in (0.9, 0.3)]

    results = policy.predict(unsure, FRAME, RECORDS)
    assert [r["needs_review"] for r in results] == [False, True]
    assert not any(r["fallback_used"] for r in results)
    lines = policy.escalation_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["input"] == {"x": 2.0}


def test_the_prior_is_a_valid_answer():
${isClf ? `    assert PRIOR["confidence"] is None or 0.0 <= PRIOR["confidence"] <= 1.0
` : `    assert PRIOR["confidence"] is None
`}    assert PRIOR["prediction"] is not None
`;
}

function readme(spec: DataSpec): string {
  return `## Fallback

Generated by \`mlready scaffold fallback\`: \`serving/fallback.py\`, used by the API when it is present.

- No model, a model error, or a prediction over \`SERVING_TIME_BUDGET_SECONDS\`: the answer is the training prior (\`${JSON.stringify(spec.prior.prediction)}\`) with \`fallback_used: true\` and the reason.
- Confidence under \`SERVING_CONFIDENCE_THRESHOLD\`: \`needs_review: true\`, and the case is appended to \`logs/escalations.jsonl\`.
`;
}
