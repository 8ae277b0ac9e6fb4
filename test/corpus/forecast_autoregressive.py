"""Recursive multi-step forecast: each prediction becomes the next step's input."""
import logging
import os

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)
HORIZON = int(os.environ.get("HORIZON", "14"))
LAGS = 7


def recursive_forecast(model, history: pd.Series, horizon: int = HORIZON) -> pd.Series:
    window = list(history.iloc[-LAGS:])
    preds = []
    for _ in range(horizon):
        x = np.array(window[-LAGS:]).reshape(1, -1)
        y_hat = float(model.predict(x)[0])  # ok: row-wise-predict
        preds.append(y_hat)
        window.append(y_hat)
    index = pd.date_range(history.index[-1], periods=horizon + 1, freq="D")[1:]
    return pd.Series(preds, index=index)


def rollout(model, seed_window: np.ndarray, steps: int) -> np.ndarray:
    state = seed_window.copy()
    out = np.empty(steps)
    for t in range(steps):
        out[t] = model.predict(state[np.newaxis, :])[0]  # ok: row-wise-predict
        state = np.roll(state, -1)
        state[-1] = out[t]
    logger.info("rolled out %d steps", steps)
    return out
