"""Tests of the fallback policy (run with ``python -m pytest``)."""

import json
import threading

import pandas as pd
import pytest

from serving.fallback import FALLBACK_VERSION, PRIOR, FallbackPolicy


@pytest.fixture
def policy(tmp_path):
    return FallbackPolicy(
        prior=dict(PRIOR),
        confidence_threshold=0.6,
        time_budget_seconds=0.2,
        escalation_log=tmp_path / "escalations.jsonl",
        workers=2,
    )


FRAME = pd.DataFrame({"x": [1.0, 2.0]})
RECORDS = [{"x": 1.0}, {"x": 2.0}]


def _assert_marked_fallback(results, reason):
    for result in results:
        assert result["prediction"] == PRIOR["prediction"]
        assert result["fallback_used"] is True
        assert result["model_version"] == FALLBACK_VERSION
        assert result["needs_review"] is True
        assert result["confidence"] is None  # the prior's share is not the model's confidence
        assert reason in result["fallback_reason"]


def test_no_model_answers_with_the_marked_prior(policy):
    _assert_marked_fallback(policy.predict(None, FRAME, RECORDS, "no model file"), "no model file")


def test_a_failing_model_answers_with_the_marked_prior(policy):
    def broken(frame):
        raise RuntimeError("corrupt weights")

    _assert_marked_fallback(policy.predict(broken, FRAME, RECORDS), "corrupt weights")


def test_a_slow_model_is_cut_off_at_the_time_budget(policy):
    release = threading.Event()

    def slow(frame):
        release.wait(timeout=10)
        return [{"prediction": PRIOR["prediction"], "confidence": 1.0}] * len(frame)

    try:
        _assert_marked_fallback(policy.predict(slow, FRAME, RECORDS), "budget")
    finally:
        release.set()


def test_after_a_slow_spell_the_model_answers_again(policy):
    release = threading.Event()
    finished = threading.Semaphore(0)

    def slow(frame):
        try:
            release.wait(timeout=10)
            return [{"prediction": PRIOR["prediction"], "confidence": 1.0}] * len(frame)
        finally:
            finished.release()

    def fast(frame):
        return [{"prediction": PRIOR["prediction"], "confidence": 0.9}] * len(frame)

    try:
        for _ in range(policy.workers):  # every worker is now stuck on a slow call
            _assert_marked_fallback(policy.predict(slow, FRAME, RECORDS), "budget")
        # Nothing queues behind the stuck calls: the answer comes at once, marked.
        _assert_marked_fallback(policy.predict(fast, FRAME, RECORDS), "busy")
    finally:
        release.set()
    for _ in range(policy.workers):
        assert finished.acquire(timeout=10)
    # The slow calls have returned; the workers are free again, the model answers.
    deadline_results = None
    for _ in range(50):
        deadline_results = policy.predict(fast, FRAME, RECORDS)
        if not deadline_results[0]["fallback_used"]:
            break
        threading.Event().wait(0.02)  # the worker releases its slot just after returning
    assert [r["fallback_used"] for r in deadline_results] == [False, False]


def unsure(frame):
    return [{"prediction": PRIOR["prediction"], "confidence": c} for c in (0.9, 0.3)]


def test_low_confidence_is_escalated_for_review_without_the_raw_input(policy):
    results = policy.predict(unsure, FRAME, RECORDS, request_id="req-7")
    assert [r["needs_review"] for r in results] == [False, True]
    assert not any(r["fallback_used"] for r in results)
    policy.escalations.flush()
    lines = policy.escalations.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["request_id"] == "req-7" and "input" not in entry


def test_the_raw_input_is_escalated_on_opt_in(policy):
    policy.log_inputs = True
    policy.predict(unsure, FRAME, RECORDS, request_id="req-8")
    policy.escalations.flush()
    entry = json.loads(policy.escalations.path.read_text(encoding="utf-8").splitlines()[0])
    assert entry["input"] == {"x": 2.0}


def test_the_prior_is_a_valid_answer():
    assert PRIOR["prediction"] is not None
