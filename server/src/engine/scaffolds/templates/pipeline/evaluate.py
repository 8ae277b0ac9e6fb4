"""Quality gate: ``python -m pipeline.evaluate`` exits non-zero when the model is not good enough.

Scores the newest candidate model (or --model) again on the test rows recorded in its metadata
at training time, never on a fresh split (a new seed or new rows would score rows the model was
trained on). It fails when a metric is below its minimum in config.THRESHOLDS or the model does
not beat the baseline on config.PRIMARY_METRIC, and writes the verdict beside the model
(``model-<version>.gate.json``): only a model that passed can be promoted.
"""

import argparse
import json
import logging
import math
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import joblib
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)

import data_schema as schema
from pipeline import config, data

logger = logging.getLogger("pipeline.evaluate")


def compute_metrics(model, features, target) -> Dict[str, float]:
    """Metrics beyond accuracy, rounded so that reruns compare equal."""
    predicted = model.predict(features)
    if schema.TASK != "classification":
        metrics = {
            "r2": r2_score(target, predicted),
            "mae": mean_absolute_error(target, predicted),
            "rmse": math.sqrt(mean_squared_error(target, predicted)),
        }
        return {name: round(float(value), 6) for name, value in metrics.items()}
    metrics = {
        "accuracy": accuracy_score(target, predicted),
        "balanced_accuracy": balanced_accuracy_score(target, predicted),
        "f1_macro": f1_score(target, predicted, average="macro", zero_division=0),
        "precision_macro": precision_score(target, predicted, average="macro", zero_division=0),
        "recall_macro": recall_score(target, predicted, average="macro", zero_division=0),
    }
    if hasattr(model, "predict_proba"):
        probabilities = model.predict_proba(features)
        try:
            if len(model.classes_) == 2:
                metrics["roc_auc"] = roc_auc_score(target, probabilities[:, 1])
            else:
                metrics["roc_auc"] = roc_auc_score(target, probabilities, multi_class="ovr", labels=model.classes_)
        except ValueError as error:  # e.g. a class absent from the test rows
            logger.warning("roc_auc not computed: %s", error)
    return {name: round(float(value), 6) for name, value in metrics.items()}


def latest_model(models_dir: Path) -> Optional[Path]:
    candidates = sorted(models_dir.glob("model-*.joblib"))
    return candidates[-1] if candidates else None


def gate_path(model_path: Path) -> Path:
    return model_path.with_suffix(".gate.json")


def gate(metrics: Dict[str, float], baseline: Dict[str, float]) -> List[str]:
    """The reasons the model fails the gate (empty when it passes)."""
    failures = []
    for name, minimum in config.THRESHOLDS.items():
        value = metrics.get(name)
        if value is None or value < minimum:
            failures.append(f"{name} = {value} is below the minimum {minimum}")
    primary = config.PRIMARY_METRIC
    if primary in baseline and metrics.get(primary, float("-inf")) <= baseline[primary]:
        failures.append(f"{primary} = {metrics.get(primary)} does not beat the baseline {baseline[primary]}")
    return failures


def load_verified(model_path: Path) -> Any:
    """The model and its metadata; only a file whose sha256 matches its metadata is loaded."""
    metadata_path = model_path.with_suffix(".json")
    metadata = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path.exists() else {}
    if metadata.get("model_sha256") != data.file_sha256(model_path):
        raise ValueError(f"{model_path.name} does not match the sha256 in {metadata_path.name}: not loading it")
    # A joblib file can run code when loaded: only a file whose hash matches its metadata gets here.
    model = joblib.load(model_path)  # mlready: ignore[unsafe-deserialization]
    return model, metadata


def evaluate(model_path: Path) -> Dict[str, Any]:
    """Scores the model on its recorded test rows and records the verdict beside it."""
    model, metadata = load_verified(model_path)
    recorded = metadata.get("split", {}).get("test_index")
    if not recorded:
        raise ValueError(f"{model_path.name} has no recorded test rows: retrain it with python -m pipeline.train")
    data_sha256 = data.file_sha256(config.DATA_PATH)
    if metadata.get("data", {}).get("sha256") != data_sha256:
        raise ValueError(
            f"the data file changed since {model_path.name} was trained: its recorded test rows no longer "
            "identify the rows it was scored on; retrain it"
        )
    features, target = data.load_dataset()
    _, x_test, _, y_test = data.recorded_split(features, target, recorded)
    metrics = compute_metrics(model, x_test, y_test)
    failures = gate(metrics, metadata.get("baseline_metrics", {}))
    result = {
        "model": model_path.name,
        "version": metadata.get("version"),
        "model_sha256": metadata["model_sha256"],
        "data_sha256": data_sha256,
        "test_rows": len(recorded),
        "metrics": metrics,
        "passed": not failures,
        "failures": failures,
        "checked_at": datetime.now(timezone.utc).isoformat(),
    }
    gate_path(model_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description="Quality gate of a trained model.")
    parser.add_argument("--model", type=Path, help="model file (default: the newest models/model-*.joblib)")
    parser.add_argument("--report", type=Path, help="also write the gate's result as JSON to this file")
    args = parser.parse_args(argv)

    model_path = args.model or latest_model(config.MODELS_DIR)
    if model_path is None or not model_path.exists():
        logger.error("no model found under %s: run python -m pipeline.train first", config.MODELS_DIR)
        return 2
    try:
        result = evaluate(model_path)
    except (ValueError, data.SchemaError) as error:
        logger.error("%s", error)
        return 2
    if args.report:
        args.report.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for failure in result["failures"]:
        logger.error("quality gate: %s", failure)
    if result["failures"]:
        return 1
    logger.info("quality gate passed: %s; next: python -m pipeline.promote", json.dumps(result["metrics"], sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
