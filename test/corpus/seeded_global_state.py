"""Old experiment script that seeds NumPy's global state once at the top."""
import logging

import mlflow
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold, cross_val_score, train_test_split

np.random.seed(2024)  # expect: legacy-numpy-random
logger = logging.getLogger(__name__)

df = pd.read_csv("data/churn.csv")
X, y = df.drop(columns=["churn"]), df["churn"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  # ok: missing-seed
forest = RandomForestClassifier(n_estimators=250)  # ok: missing-seed
cv = KFold(n_splits=5, shuffle=True)  # ok: missing-seed

with mlflow.start_run():
    mlflow.log_metric("cv_auc", cross_val_score(forest, X_train, y_train, cv=cv, scoring="roc_auc").mean())
    forest.fit(X_train, y_train)
    mlflow.log_metric("test_auc", roc_auc_score(y_test, forest.predict_proba(X_test)[:, 1]))
