"""Test set-up shared by the generated tests.

Makes the project folder importable (so ``pytest`` works as well as ``python -m pytest``),
and sends the logs the API writes (predictions, escalations) to a temporary folder so that
test requests do not end up in the real logs.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = str(Path(__file__).resolve().parent.parent)
if PROJECT_DIR not in sys.path:
    sys.path.insert(0, PROJECT_DIR)

_LOG_DIR = Path(tempfile.mkdtemp(prefix="test-logs-"))
os.environ.setdefault("MONITORING_PREDICTION_LOG", str(_LOG_DIR / "predictions.jsonl"))
os.environ.setdefault("SERVING_ESCALATION_LOG", str(_LOG_DIR / "escalations.jsonl"))


def pytest_unconfigure(config):
    shutil.rmtree(_LOG_DIR, ignore_errors=True)
