"""Gradient-boosted models for the conversion data set, tracked in MLflow."""
import logging

import lightgbm as lgb
import mlflow
import pandas as pd
import xgboost as xgb
from catboost import CatBoostClassifier
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

logger = logging.getLogger(__name__)

data = pd.read_csv("data/conversions.csv")
X, y = data.drop(columns="converted"), data["converted"]
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, random_state=42)  # ok: missing-seed

models = {
    "xgb": xgb.XGBClassifier(n_estimators=400, max_depth=6, learning_rate=0.05),  # ok: missing-seed
    "lgbm": lgb.LGBMClassifier(n_estimators=400, num_leaves=63),  # ok: missing-seed
    "cat": CatBoostClassifier(iterations=500, verbose=0),  # ok: missing-seed
    "hgb": HistGradientBoostingClassifier(max_iter=300, early_stopping=True),  # expect: missing-seed
    "et": ExtraTreesClassifier(n_estimators=500),  # mlready: ignore[missing-sed]  # expect: missing-seed, unknown-suppression
}

with mlflow.start_run():
    for name, model in models.items():
        model.fit(X_tr, y_tr)  # ok: untracked-training
        auc = roc_auc_score(y_va, model.predict_proba(X_va)[:, 1])
        mlflow.log_metric(f"{name}_auc", auc)
        mlflow.sklearn.log_model(model, name)
        logger.info("%s AUC %.4f", name, auc)
