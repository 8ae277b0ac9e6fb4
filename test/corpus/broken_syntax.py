"""Feature engineering for the churn model (left half-edited)."""
import pandas as pd


def add_tenure_features(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["tenure_years"] = df["tenure_months"] / 12
    df["is_new"] = df["tenure_months"] < 6
    return df


def add_usage_features(df: pd.DataFrame -> pd.DataFrame:  # expect: syntax-error
    df = df.copy()
    df["calls_per_month"] = df["calls"] / df["tenure_months"].clip(lower=1)
    return df
