"""Trains a candidate model: ``python -m pipeline.train`` from the project folder.

Seeded, with the preprocessing inside one sklearn Pipeline (fitted on the training split only,
so nothing leaks from the test rows), metrics beyond accuracy against a baseline, and a
versioned model file under models/ with its metadata beside it: the parameters, the metrics,
the data's sha256 and the exact test rows (the quality gate scores those again). The model is
a candidate: ``python -m pipeline.evaluate`` gates it and ``python -m pipeline.promote`` makes
it the one the API serves. The run is tracked with MLflow when it is installed, and as a JSON
run record under runs/ otherwise.
"""

import json
import logging
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Optional

import joblib
import sklearn
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

import data_schema as schema
from pipeline import config, data
from pipeline.evaluate import compute_metrics
from pipeline.transforms import calendar_features, text_column

try:
    import mlflow
    import mlflow.sklearn
except ImportError:  # MLflow is optional: without it the run is recorded under runs/
    mlflow = None

try:
    from monitoring.drift import build_reference
except ImportError:  # generated without the monitoring scaffold: no drift reference
    build_reference = None

try:  # the notebook's own steps (mlready scaffold pipeline --from NOTEBOOK)
    from pipeline import steps
except ImportError:
    steps = None

logger = logging.getLogger("pipeline.train")
CLASSIFICATION = schema.TASK == "classification"


def notebook_hook(name: str):
    """A hook that pipeline/steps.py defines, or None.

    - ``steps.build_estimator()`` returns the unfitted estimator (the notebook's model and
      hyper-parameters); it replaces the default random forest, after the same preprocessing.
    - ``steps.features(frame)`` takes the typed input columns (a DataFrame laid out like the
      contract) and returns the frame with the notebook's derived feature columns; it runs
      inside the saved Pipeline, so the API applies it to requests exactly as in training.
    """
    hook = getattr(steps, name, None) if steps is not None else None
    return hook if callable(hook) else None


def _numeric() -> Pipeline:
    return Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])


def _categorical() -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
            ("encode", OneHotEncoder(handle_unknown="ignore")),
        ]
    )


def build_preprocessing(derived_features: bool = False) -> ColumnTransformer:
    """Imputation, scaling, one-hot encoding, calendar features and (opt-in) text vectors."""
    if derived_features:  # the notebook's derived columns are not in the schema: select by dtype
        numeric_columns: Any = make_column_selector(dtype_include="number")
        categorical_columns: Any = make_column_selector(dtype_include=object)
    else:
        numeric_columns, categorical_columns = data.NUMERIC_FEATURES, data.CATEGORICAL_FEATURES
    transformers = []
    if data.NUMERIC_FEATURES or derived_features:
        transformers.append(("numeric", _numeric(), numeric_columns))
    if data.CATEGORICAL_FEATURES or derived_features:
        transformers.append(("categorical", _categorical(), categorical_columns))
    if data.DATE_FEATURES:
        dates = Pipeline(
            [
                ("calendar", FunctionTransformer(calendar_features)),
                ("impute", SimpleImputer(strategy="median")),
            ]
        )
        transformers.append(("dates", dates, data.DATE_FEATURES))
    for column in data.TEXT_FEATURES:
        vectorise = Pipeline(
            [("select", FunctionTransformer(text_column)), ("tfidf", TfidfVectorizer(max_features=500))]
        )
        transformers.append((f"text_{column}", vectorise, [column]))
    return ColumnTransformer(transformers)


def build_estimator(seed: int):
    build = notebook_hook("build_estimator")
    if build is not None:
        return build()
    if CLASSIFICATION:
        return RandomForestClassifier(n_estimators=config.N_ESTIMATORS, random_state=seed, n_jobs=1)
    return RandomForestRegressor(n_estimators=config.N_ESTIMATORS, random_state=seed, n_jobs=1)


def build_pipeline(seed: int = config.SEED) -> Pipeline:
    """Preprocessing and model in one Pipeline, so they are fitted and saved together."""
    features = notebook_hook("features")
    model_steps = [
        ("preprocess", build_preprocessing(derived_features=features is not None)),
        ("model", build_estimator(seed)),
    ]
    if features is not None:
        model_steps.insert(0, ("features", FunctionTransformer(features)))
    return Pipeline(model_steps)


def build_baseline() -> Pipeline:
    """What the model must beat: the class frequencies, or the median."""
    model = DummyClassifier(strategy="prior") if CLASSIFICATION else DummyRegressor(strategy="median")
    return Pipeline([("model", model)])


def new_version() -> str:
    """A sortable, unique model version: the UTC time to the microsecond."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def git_commit() -> Optional[str]:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=config.PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        logger.info("no git commit recorded: %s", error)
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def plain(value: Any) -> Any:
    """numpy scalars to plain Python values, for JSON."""
    return value.item() if hasattr(value, "item") else value


def training_prior(target) -> Dict[str, Any]:
    """The fallback's answer: the majority class (with its share) or the median target."""
    if CLASSIFICATION:
        counts = target.value_counts(normalize=True)
        return {"prediction": plain(counts.index[0]), "share": round(float(counts.iloc[0]), 4)}
    return {"prediction": float(target.median()), "share": None}


def record_run(version: str, params: Dict[str, Any], metadata: Dict[str, Any], model_path: Path, pipeline: Pipeline) -> None:
    """Tracks the run with MLflow when it is installed, as JSON under runs/ otherwise."""
    if mlflow is not None:
        mlflow.set_experiment(config.MLFLOW_EXPERIMENT)
        with mlflow.start_run(run_name=version):
            mlflow.log_params(params)
            mlflow.log_metrics(metadata["metrics"])
            mlflow.set_tags(
                {"data_sha256": metadata["data"]["sha256"], "git_commit": metadata["git_commit"] or "unknown"}
            )
            mlflow.log_artifact(str(model_path.with_suffix(".json")))
            # The MLflow model registry keeps the version too; promotion (pipeline.promote) stays
            # the decision of what is served.
            mlflow.sklearn.log_model(pipeline, artifact_path="model", registered_model_name=config.MLFLOW_MODEL_NAME)
        return
    config.RUNS_DIR.mkdir(parents=True, exist_ok=True)
    run_path = config.RUNS_DIR / f"run-{version}.json"
    run_path.write_text(json.dumps({"params": params, **metadata}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    logger.info("run recorded in %s (install mlflow to track runs there)", run_path)


def _data_path_for_metadata() -> str:
    if config.DATA_PATH.is_relative_to(config.PROJECT_DIR):
        return str(config.DATA_PATH.relative_to(config.PROJECT_DIR))
    return config.DATA_PATH.name


def train() -> Path:
    features, target = data.load_dataset()
    x_train, x_test, y_train, y_test = data.split(features, target)
    pipeline = build_pipeline().fit(x_train, y_train)
    metrics = compute_metrics(pipeline, x_test, y_test)
    baseline_metrics = compute_metrics(build_baseline().fit(x_train, y_train), x_test, y_test)
    logger.info("metrics: %s", json.dumps(metrics, sort_keys=True))
    logger.info("baseline: %s", json.dumps(baseline_metrics, sort_keys=True))

    version = new_version()
    config.MODELS_DIR.mkdir(parents=True, exist_ok=True)
    model_path = config.MODELS_DIR / f"model-{version}.joblib"
    joblib.dump(pipeline, model_path)
    params = {
        "seed": config.SEED,
        "test_size": config.TEST_SIZE,
        "n_estimators": config.N_ESTIMATORS,
        "estimator": type(pipeline.named_steps["model"]).__name__,
    }
    metadata = {
        "version": version,
        "created_at": datetime.now(timezone.utc).isoformat(),
        "task": schema.TASK,
        "target": schema.TARGET,
        "features": data.FEATURES,
        "classes": [plain(c) for c in pipeline.classes_] if CLASSIFICATION else None,
        "model_sha256": data.file_sha256(model_path),
        "params": params,
        "metrics": metrics,
        "baseline_metrics": baseline_metrics,
        "prior": training_prior(y_train),
        "data": {
            "path": _data_path_for_metadata(),
            "sha256": data.file_sha256(config.DATA_PATH),
            "rows": int(len(features)),
            "train_rows": int(len(x_train)),
            "test_rows": int(len(x_test)),
        },
        # The exact rows the model was scored on: the quality gate scores these again.
        "split": {
            "seed": config.SEED,
            "test_size": config.TEST_SIZE,
            "test_index": [int(i) for i in x_test.index],
        },
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
    }
    model_path.with_suffix(".json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    if build_reference is not None:
        reference = build_reference(x_train, pipeline.predict(x_train))
        reference_path = config.MODELS_DIR / f"model-{version}.reference.json"
        reference_path.write_text(json.dumps(reference) + "\n", encoding="utf-8")
    record_run(version, params, metadata, model_path, pipeline)
    logger.info("candidate model %s saved to %s; next: python -m pipeline.evaluate", version, model_path)
    return model_path


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        train()
    except data.SchemaError as error:
        logger.error("%s", error)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
