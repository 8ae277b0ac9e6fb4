"""Helpers written the production way: configured paths, seeded randomness, logging, timeouts."""
import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd
import requests

logger = logging.getLogger(__name__)

SEED = int(os.environ.get("CHURN_SEED", "42"))
DATA_DIR = Path(os.environ.get("CHURN_DATA_DIR", "data"))
CATEGORICAL = ["contract", "payment_method"]


def load_churn(name: str = "churn.csv") -> pd.DataFrame:
    path = DATA_DIR / name
    logger.info("loading %s", path)
    return pd.read_csv(path)


def add_features(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["charges_per_month_of_tenure"] = out["total_charges"] / out["tenure"].clip(lower=1)
    out.loc[out["support_calls"] >= 4, "heavy_support_user"] = 1
    out["heavy_support_user"] = out["heavy_support_user"].fillna(0).astype(int)
    return out


def sample_rows(df: pd.DataFrame, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    idx = rng.choice(len(df), size=min(n, len(df)), replace=False)
    return df.iloc[idx]


def fetch_holidays(url: str) -> list:
    try:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
    except requests.RequestException:
        logger.exception("could not fetch the holiday calendar from %s", url)
        return []
    return response.json()
