"""Churn pipeline, the way it runs in the scheduled training job."""
import logging
import os

import joblib
import pandas as pd
import wandb
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import classification_report, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

logger = logging.getLogger(__name__)
SEED = int(os.environ.get("SEED", "42"))
DATA = os.environ.get("CHURN_DATA", "data/churn.csv")
NUMERIC = ["tenure", "monthly_charges", "support_calls"]
CATEGORICAL = ["contract", "payment_method"]


def build_pipeline() -> Pipeline:
    prep = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ])
    return Pipeline([("prep", prep), ("model", RandomForestClassifier(n_estimators=300, random_state=SEED))])


def main() -> None:
    run = wandb.init(project="churn", config={"seed": SEED})
    df = pd.read_csv(DATA)
    X, y = df[NUMERIC + CATEGORICAL], df["churn"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=SEED)
    pipe = build_pipeline()
    pipe.fit(X_train, y_train)  # ok: untracked-training
    proba = pipe.predict_proba(X_test)[:, 1]
    wandb.log({"roc_auc": roc_auc_score(y_test, proba)})
    logger.info("\n%s", classification_report(y_test, pipe.predict(X_test)))
    joblib.dump(pipe, f"models/churn-{run.id}.joblib")  # ok: unversioned-artifact
    run.finish()


if __name__ == "__main__":
    main()
