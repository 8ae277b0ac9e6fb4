"""Transformations the saved model applies itself, so training and serving cannot differ.

The saved sklearn Pipeline refers to these functions by name: the serving image must contain
this module (the Dockerfile copies ``pipeline/``).
"""

from typing import Any

import numpy as np
import pandas as pd

CALENDAR_PARTS = ("year", "month", "day", "dayofweek", "dayofyear", "hour")


def calendar_features(frame: Any) -> np.ndarray:
    """Each date column as numbers: year, month, day, day of week, day of year, hour."""
    frame = pd.DataFrame(frame)
    parts = []
    for column in frame.columns:
        values = pd.to_datetime(frame[column], errors="coerce")
        for part in CALENDAR_PARTS:
            parts.append(getattr(values.dt, part).astype(float).to_numpy())
    if not parts:
        return np.empty((len(frame), 0))
    return np.column_stack(parts)


def text_column(frame: Any) -> np.ndarray:
    """One text column as a 1-D array of strings (missing values as empty text) for a vectoriser."""
    frame = pd.DataFrame(frame)
    return frame.iloc[:, 0].fillna("").astype(str).to_numpy()
