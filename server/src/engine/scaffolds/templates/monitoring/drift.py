"""Data and prediction drift: ``python -m monitoring.drift --current FILE``.

FILE is a CSV file laid out like the training data (read and typed exactly as training reads
it: same delimiter, encoding, missing values, yes/no columns) or the API's prediction log.
Reference statistics are saved at training time (models/model-<version>.reference.json, by
pipeline.train). Numeric and yes/no features are compared by the population stability index
(PSI, over the reference's decile bins) and the two-sample Kolmogorov-Smirnov test against a
reference sample; categorical features by PSI over their categories; the predictions the same
way. Identifier, date and free-text columns are not compared (they are not model inputs, or
every value is new by nature). The report is JSON; the exit code is 1 when a feature or the
predictions drifted beyond the thresholds (MONITORING_PSI_THRESHOLD, default 0.2;
MONITORING_KS_THRESHOLD, default 0.2, with p < 0.01).

PSI is judged only when both sides have MONITORING_PSI_MIN_ROWS rows (default 200, about 20 per
bin): on fewer it moves with the sample alone (a 74-row training split against the 93-row file
it came from gave 0.25), so it is reported, numbers are judged by the KS test and categories by a
chi-square test of the two samples' counts (p < 0.01). Categories
below 5% of the reference, and categories the reference never saw, are compared as one bucket
(they are listed in "unseen_categories").
"""

import argparse
import json
import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, ks_2samp

import data_schema as schema

logger = logging.getLogger("monitoring.drift")

PROJECT_DIR = Path(os.environ.get("MONITORING_PROJECT_DIR", Path(__file__).resolve().parent.parent))
NUMERIC_FEATURES = [c for c in schema.FEATURES if schema.COLUMNS[c]["role"] in ("numeric", "bool")]
CATEGORICAL_FEATURES = [c for c in schema.FEATURES if schema.COLUMNS[c]["role"] == "category"]
PREDICTION_KIND = "categorical" if schema.TASK == "classification" else "numeric"
PSI_THRESHOLD = float(os.environ.get("MONITORING_PSI_THRESHOLD", "0.2"))
KS_THRESHOLD = float(os.environ.get("MONITORING_KS_THRESHOLD", "0.2"))
KS_ALPHA = 0.01
MIN_PSI_ROWS = int(os.environ.get("MONITORING_PSI_MIN_ROWS", "200"))
MIN_CATEGORY_SHARE = 0.05
OTHER = "(other)"
BINS = 10
SAMPLE_SIZE = 1000
SEED = int(os.environ.get("MONITORING_SEED", "42"))
_EPSILON = 1e-4


def _numeric_reference(values: np.ndarray, rng: np.random.Generator) -> Dict[str, Any]:
    edges = np.unique(np.quantile(values, np.linspace(0, 1, BINS + 1)[1:-1])) if len(values) else np.array([])
    sample = rng.choice(values, size=min(SAMPLE_SIZE, len(values)), replace=False) if len(values) else values
    return {
        "kind": "numeric",
        "rows": int(len(values)),
        "edges": edges.tolist(),
        "proportions": _bin_proportions(values, edges).tolist(),
        "sample": np.sort(sample).tolist(),
        "mean": float(values.mean()) if len(values) else None,
        "std": float(values.std()) if len(values) else None,
    }


def _categorical_reference(values: pd.Series) -> Dict[str, Any]:
    return {
        "kind": "categorical",
        "rows": int(len(values)),
        "proportions": values.astype(str).value_counts(normalize=True).to_dict(),
    }


def _judged(stats: Dict[str, Any], rows: int) -> bool:
    """Whether PSI has enough rows on both sides to be judged (a reference without a count was made before it was kept)."""
    return min(int(stats.get("rows", MIN_PSI_ROWS)), rows) >= MIN_PSI_ROWS


def _bin_proportions(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return counts / max(len(values), 1)


def _numbers(values: Iterable[Any]) -> np.ndarray:
    series = pd.Series(list(values), dtype=object).map(lambda v: float(v) if isinstance(v, bool) else v)
    return pd.to_numeric(series, errors="coerce").dropna().to_numpy(dtype=float)


def build_reference(features: pd.DataFrame, predictions: Iterable[Any]) -> Dict[str, Any]:
    """Reference statistics of the training data and of the model's predictions on it."""
    rng = np.random.default_rng(SEED)
    reference: Dict[str, Any] = {
        "created_at": datetime.now(timezone.utc).isoformat(),
        "rows": int(len(features)),
        "features": {},
    }
    for column in NUMERIC_FEATURES:
        reference["features"][column] = _numeric_reference(_numbers(features[column]), rng)
        reference["features"][column]["missing_rate"] = float(features[column].isna().mean())
    for column in CATEGORICAL_FEATURES:
        reference["features"][column] = _categorical_reference(features[column].dropna())
        reference["features"][column]["missing_rate"] = float(features[column].isna().mean())
    predictions = pd.Series(list(predictions))
    if PREDICTION_KIND == "numeric":
        reference["prediction"] = _numeric_reference(_numbers(predictions), rng)
    else:
        reference["prediction"] = _categorical_reference(predictions)
    return reference


def population_stability_index(expected: Iterable[float], actual: Iterable[float]) -> float:
    """PSI between two distributions over the same bins: sum((a - e) * ln(a / e))."""
    e = np.clip(np.asarray(list(expected), dtype=float), _EPSILON, None)
    a = np.clip(np.asarray(list(actual), dtype=float), _EPSILON, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _compare(stats: Dict[str, Any], current: pd.Series) -> Dict[str, Any]:
    if stats["kind"] == "numeric":
        values = _numbers(current)
        if len(values) == 0 or not stats["sample"]:
            return {"rows": int(len(values)), "drifted": False, "note": "no values to compare"}
        edges = np.asarray(stats["edges"], dtype=float)
        psi = population_stability_index(stats["proportions"], _bin_proportions(values, edges))
        ks = ks_2samp(np.asarray(stats["sample"], dtype=float), values)
        judged = _judged(stats, len(values))
        drifted = (judged and psi > PSI_THRESHOLD) or (ks.statistic > KS_THRESHOLD and ks.pvalue < KS_ALPHA)
        result = {
            "rows": int(len(values)),
            "psi": round(psi, 6),
            "ks_statistic": round(float(ks.statistic), 6),
            "ks_pvalue": float(ks.pvalue),
            "mean": float(values.mean()),
            "drifted": bool(drifted),
        }
        if not judged:
            result["note"] = f"fewer than {MIN_PSI_ROWS} rows on a side: PSI reported, not judged"
        return result
    values = current.dropna().astype(str)
    if values.empty:
        return {"rows": 0, "drifted": False, "note": "no values to compare"}
    reference = stats["proportions"]
    observed = values.value_counts(normalize=True).to_dict()
    unseen = sorted(set(observed) - set(reference))
    # Rare and unseen categories as one bucket: a category seen once or twice moves PSI by chance.
    kept = {c for c, share in reference.items() if share >= MIN_CATEGORY_SHARE}

    def bucketed(proportions: Dict[str, float]) -> Dict[str, float]:
        out: Dict[str, float] = {}
        for category, share in proportions.items():
            key = category if category in kept else OTHER
            out[key] = out.get(key, 0.0) + share
        return out

    expected, actual = bucketed(reference), bucketed(observed)
    categories = sorted(set(expected) | set(actual))
    psi = population_stability_index([expected.get(c, 0.0) for c in categories], [actual.get(c, 0.0) for c in categories])
    judged = _judged(stats, len(values))
    result = {"rows": int(len(values)), "psi": round(psi, 6), "unseen_categories": unseen}
    if judged:
        result["drifted"] = bool(psi > PSI_THRESHOLD)
        return result
    # Few rows: a chi-square test of the two samples' counts over the same buckets, as KS for numbers.
    reference_rows = int(stats.get("rows", 0))
    table = [[expected.get(c, 0.0) * reference_rows for c in categories], [actual.get(c, 0.0) * len(values) for c in categories]]
    pvalue = float(chi2_contingency(table)[1]) if len(categories) > 1 and reference_rows > 0 else 1.0
    result.update(
        chi2_pvalue=pvalue,
        drifted=bool(pvalue < KS_ALPHA),
        note=f"fewer than {MIN_PSI_ROWS} rows on a side: PSI reported, not judged; categories judged by a chi-square test",
    )
    return result


def check_drift(reference: Dict[str, Any], current: pd.DataFrame) -> Dict[str, Any]:
    """The drift report of ``current`` (features, and a "prediction" column when present)."""
    report: Dict[str, Any] = {
        "checked_at": datetime.now(timezone.utc).isoformat(),
        "rows": int(len(current)),
        "thresholds": {"psi": PSI_THRESHOLD, "ks_statistic": KS_THRESHOLD, "ks_alpha": KS_ALPHA},
        "features": {},
    }
    for column, stats in reference["features"].items():
        if column not in current.columns:
            report["features"][column] = {"rows": 0, "drifted": False, "note": "column absent"}
            continue
        report["features"][column] = _compare(stats, current[column])
    if "prediction" in current.columns and "prediction" in reference:
        report["prediction"] = _compare(reference["prediction"], current["prediction"])
    drifted = [c for c, r in report["features"].items() if r["drifted"]]
    if report.get("prediction", {}).get("drifted"):
        drifted.append("prediction")
    report["drifted"] = drifted
    return report


def read_current(path: Path) -> pd.DataFrame:
    """A CSV file typed the way training types it, or the API's prediction log (JSON lines)."""
    if path.suffix != ".jsonl":
        from pipeline import data  # the same reading and typing as training

        return data.validate(data.read_csv(path), require_target=False, check_ranges=False)
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                entry = json.loads(line)
                rows.append({**(entry.get("input") or {}), "prediction": entry.get("prediction")})
    return pd.DataFrame(rows)


def latest_reference(models_dir: Path) -> Optional[Path]:
    """The reference of the promoted model, else the newest one."""
    registry = models_dir / "registry.json"
    if registry.is_file():
        promoted = json.loads(registry.read_text(encoding="utf-8")).get("promoted")
        if promoted:
            path = models_dir / promoted["model"].replace(".joblib", ".reference.json")
            if path.is_file():
                return path
    candidates = sorted(models_dir.glob("model-*.reference.json"))
    return candidates[-1] if candidates else None


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description="Compare current data with the training reference.")
    parser.add_argument("--current", type=Path, required=True, help="CSV file or prediction log (.jsonl)")
    parser.add_argument("--reference", type=Path, help="default: the promoted model's reference statistics")
    parser.add_argument("--report", type=Path, help="write the report as JSON to this file")
    args = parser.parse_args(argv)
    reference_path = args.reference or latest_reference(PROJECT_DIR / "models")
    if reference_path is None or not reference_path.exists():
        logger.error("no reference statistics found: train a model with python -m pipeline.train")
        return 2
    if not args.current.exists():
        logger.error("no current data at %s", args.current)
        return 2
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    try:
        current = read_current(args.current)
    except ValueError as error:  # pipeline.data.SchemaError: values that are not even of the right type
        logger.error("%s: %s", args.current, error)
        return 2
    report = check_drift(reference, current)
    text = json.dumps(report, indent=2)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    if report["drifted"]:
        logger.warning("drift detected in: %s", ", ".join(report["drifted"]))
        return 1
    logger.info("no drift in %d row(s)", report["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
