"""Preprocessing done right: fitted on the training split, inside a Pipeline, or only for a plot."""
import logging

import matplotlib.pyplot as plt
import mlflow
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

logger = logging.getLogger(__name__)
df = pd.read_csv("data/credit.csv")
X, y = df.drop(columns=["bad"]), df["bad"]
numeric = ["income", "debt", "age"]

# PCA fitted only to draw the data: its output never reaches the split.
coords = PCA(n_components=2).fit_transform(X[numeric])  # ok: data-leakage
plt.scatter(coords[:, 0], coords[:, 1], c=y, s=4)
plt.savefig("reports/pca.png")

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)

scaler = StandardScaler()
X_train_num = scaler.fit_transform(X_train[numeric])  # ok: data-leakage
X_test_num = scaler.transform(X_test[numeric])  # ok: training-serving-skew

pipe = Pipeline([
    ("prep", ColumnTransformer([
        ("num", StandardScaler(), numeric),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["region"]),
    ])),
    ("clf", LogisticRegression(max_iter=1000)),
])
other = make_pipeline(StandardScaler(), LogisticRegression())

with mlflow.start_run():
    pipe.fit(X_train, y_train)  # ok: data-leakage
    other.fit(X_train[numeric], y_train)
    report = classification_report(y_test, pipe.predict(X_test), output_dict=True)
    mlflow.log_metric("macro_f1", report["macro avg"]["f1-score"])

# An encoder fitted on the full category list of a data set that is never split.
regions = OneHotEncoder().fit(pd.DataFrame({"region": ["north", "south", "east", "west"]}))  # ok: data-leakage
logger.info("regions: %s", regions.categories_)
