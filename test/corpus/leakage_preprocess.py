"""Credit scoring experiment: preprocessing first, split afterwards."""
import logging

import mlflow
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split as tts
from sklearn.preprocessing import MinMaxScaler, StandardScaler as Scaler

logger = logging.getLogger(__name__)
df = pd.read_csv("data/credit.csv")
X, y = df.drop(columns=["bad"]), df["bad"]

X = SimpleImputer(strategy="median").fit_transform(X)  # expect: data-leakage
scaler = Scaler()
X_scaled = scaler.fit_transform(X)  # expect: data-leakage
selector = SelectKBest(f_classif, k=20)
X_sel = selector.fit_transform(X_scaled, y)  # expect: data-leakage

X_train, X_test, y_train, y_test = tts(X_sel, y, test_size=0.3, random_state=0)

with mlflow.start_run():
    clf = LogisticRegression(max_iter=500).fit(X_train, y_train)  # ok: untracked-training
    mlflow.log_metric("f1", f1_score(y_test, clf.predict(X_test)))

# A second experiment: the scaler is fitted, then the fitted scaler transforms the data that is split.
mm = MinMaxScaler()
mm.fit(df[["income", "debt"]])  # expect: data-leakage
scaled = mm.transform(df[["income", "debt"]])
a_train, a_test, b_train, b_test = tts(scaled, y, test_size=0.3, random_state=0)
logger.info("second split: %d train rows", len(a_train))
