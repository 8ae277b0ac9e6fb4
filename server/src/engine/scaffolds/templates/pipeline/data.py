"""Loading, typing and schema validation of the training data.

What each column is (its role), how the file is read (delimiter, quoting, encoding, missing
values) and why, live in ``data_schema.py``: that file is the one place to override a
decision. This module applies it the same way for training, the quality gate and drift checks.
"""

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

import data_schema as schema
from pipeline import config

logger = logging.getLogger(__name__)

TARGET = schema.TARGET
FEATURES: List[str] = list(schema.FEATURES)
NUMERIC_FEATURES = [c for c in FEATURES if schema.COLUMNS[c]["role"] in ("numeric", "bool")]
CATEGORICAL_FEATURES = [c for c in FEATURES if schema.COLUMNS[c]["role"] == "category"]
DATE_FEATURES = [c for c in FEATURES if schema.COLUMNS[c]["role"] == "date"]
TEXT_FEATURES = [c for c in FEATURES if schema.COLUMNS[c]["role"] == "text"]
EXCLUDED = {c: s["role"] for c, s in schema.COLUMNS.items() if c != TARGET and c not in FEATURES}


class SchemaError(ValueError):
    """The data does not match the schema the pipeline was generated for."""


def numeric_bounds(column: str) -> Tuple[float, float]:
    """The accepted range: the range seen in the data widened by RANGE_MARGIN of its span."""
    spec = schema.COLUMNS[column]
    low, high = float(spec["min"]), float(spec["max"])
    span = (high - low) or abs(high) or 1.0
    lower, upper = low - schema.RANGE_MARGIN * span, high + schema.RANGE_MARGIN * span
    if low >= 0 > lower:
        lower = 0.0
    if spec.get("integer"):
        lower, upper = float(np.floor(lower)), float(np.ceil(upper))
    return lower, upper


def read_csv(path: Optional[Path] = None) -> pd.DataFrame:
    """Reads the data file the way mlready profiled it: text cells, missing values as NaN."""
    frame = pd.read_csv(
        path or config.DATA_PATH,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        **schema.READ_CSV,
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        spec = schema.COLUMNS.get(column, {})
        tokens = set(schema.MISSING_VALUES) | set(spec.get("na", []))
        values = frame[column].str.strip()
        frame[column] = values.where(~values.isin(tokens))
    return frame


def numbers(raw: pd.Series) -> pd.Series:
    """Numbers from text cells (NaN where there is none), with the file's decimal comma if it writes one (``2,6``)."""
    if schema.READ_CSV.get("decimal") == ",":
        raw = raw.str.replace(",", ".", regex=False)
    return pd.to_numeric(raw, errors="coerce")


def _bool_values(column: str, raw: pd.Series, problems: List[str]) -> pd.Series:
    spec = schema.COLUMNS[column]
    mapping = {token: 1.0 for token in spec["true"]}
    mapping.update({token: 0.0 for token in spec["false"]})
    values = raw.map(mapping)
    bad = values.isna() & raw.notna()
    if bad.any():
        problems.append(f"{column}: {int(bad.sum())} value(s) that are not {spec['true'] + spec['false']}")
    return values.astype(float)


def _dates(column: str, raw: pd.Series, problems: List[str]) -> pd.Series:
    values = pd.to_datetime(raw, errors="coerce", format=schema.COLUMNS[column].get("format"))
    bad = values.isna() & raw.notna()
    if bad.any():
        problems.append(f"{column}: {int(bad.sum())} value(s) that are not dates, e.g. {raw[bad].iloc[0]!r}")
    return values


def validate(frame: pd.DataFrame, require_target: bool = True, check_ranges: bool = True) -> pd.DataFrame:
    """Returns a typed copy of ``frame``; raises SchemaError listing every problem.

    ``check_ranges=False`` types the data without rejecting numbers outside the ranges seen in
    training (drift checks must see such data, not refuse it).
    """
    expected = FEATURES + ([TARGET] if require_target else [])
    absent = [c for c in expected if c not in frame.columns]
    if absent:
        raise SchemaError(f"missing column(s): {', '.join(absent)}")
    problems: List[str] = []
    # Columns are gathered first and joined once: a frame grown a column at a time is fragmented
    # (pandas warns per column beyond about a hundred, and wide data sets have hundreds).
    typed: Dict[str, pd.Series] = {}
    for column in FEATURES:
        role = schema.COLUMNS[column]["role"]
        raw = frame[column]
        if role == "numeric":
            values = numbers(raw)
            bad = values.isna() & raw.notna()
            if bad.any():
                problems.append(f"{column}: {int(bad.sum())} non-numeric value(s), e.g. {raw[bad].iloc[0]!r}")
            low, high = numeric_bounds(column)
            outside = (values < low) | (values > high)
            if check_ranges and outside.any():
                problems.append(
                    f"{column}: {int(outside.sum())} value(s) outside [{low}, {high}], e.g. {values[outside].iloc[0]}"
                )
            if schema.COLUMNS[column].get("integer") and (values.dropna() % 1 != 0).any():
                problems.append(f"{column}: fractional values in an integer column")
            typed[column] = values.astype(float)
        elif role == "bool":
            typed[column] = _bool_values(column, raw, problems)
        elif role == "category":
            allowed = schema.COLUMNS[column]["values"]
            unknown = raw.notna() & ~raw.isin(allowed)
            if unknown.any():
                logger.warning(
                    "%s: %d value(s) outside the known categories (e.g. %r); the model ignores them",
                    column,
                    int(unknown.sum()),
                    raw[unknown].iloc[0],
                )
            typed[column] = raw.astype(object).where(raw.notna(), np.nan)
        elif role == "date":
            typed[column] = _dates(column, raw, problems)
        else:  # text the user chose to vectorise
            typed[column] = raw.fillna("").astype(str)
    if require_target:
        typed[TARGET] = typed_target(frame[TARGET], problems)
    if problems:
        raise SchemaError("the data does not match the schema:\n  " + "\n  ".join(problems))
    return pd.DataFrame(typed, index=frame.index)


def typed_target(raw: pd.Series, problems: List[str]) -> pd.Series:
    """The target as the model predicts it (schema.TARGET_TYPE)."""
    kind = schema.TARGET_TYPE
    if kind == "str":
        return raw.astype(object)
    if kind == "bool":
        spec = schema.COLUMNS[TARGET]
        values = raw.map({**{t: True for t in spec["true"]}, **{t: False for t in spec["false"]}})
        bad = values.isna() & raw.notna()
        if bad.any():
            problems.append(f"{TARGET}: {int(bad.sum())} value(s) that are not {spec['true'] + spec['false']}")
        return values.astype(object)
    values = numbers(raw)
    bad = values.isna() & raw.notna()
    if bad.any():
        problems.append(f"{TARGET}: {int(bad.sum())} non-numeric value(s), e.g. {raw[bad].iloc[0]!r}")
    if kind == "int":
        if (values.dropna() % 1 != 0).any():
            problems.append(f"{TARGET}: fractional values in class labels")
        return values.astype("Int64")
    return values.astype(float)


def load_dataset(path: Optional[Path] = None) -> Tuple[pd.DataFrame, pd.Series]:
    """Reads and validates the data file; returns the features and the target.

    The index is the row's position in the file, so a split can be recorded and replayed.
    """
    typed = validate(read_csv(path))
    unlabeled = typed[TARGET].isna()
    if unlabeled.any():
        logger.warning("dropping %d row(s) without a value for %s", int(unlabeled.sum()), TARGET)
        typed = typed.loc[~unlabeled]
    if typed.empty:
        raise SchemaError("no labelled rows in the data file")
    target = typed[TARGET]
    if schema.TARGET_TYPE == "int":
        target = target.astype(int)
    elif schema.TARGET_TYPE == "bool":
        target = target.astype(bool)
    return typed[FEATURES], target


def split(features: pd.DataFrame, target: pd.Series, seed: int = config.SEED, test_size: float = config.TEST_SIZE):
    """The seeded train/test split (stratified for classification when every class has 2 rows)."""
    stratify = None
    if schema.TASK == "classification" and target.value_counts().min() >= 2:
        stratify = target
    return train_test_split(features, target, test_size=test_size, random_state=seed, stratify=stratify)


def recorded_split(features: pd.DataFrame, target: pd.Series, test_index: List[int]):
    """The test rows a model was scored on at training time (from its metadata)."""
    missing = sorted(set(test_index) - set(features.index))
    if missing:
        raise SchemaError(f"{len(missing)} recorded test row(s) are not in the data file (e.g. row {missing[0]})")
    train_index = features.index.difference(test_index)
    return features.loc[train_index], features.loc[test_index], target.loc[train_index], target.loc[test_index]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
