"""Train the ticket router: TF-IDF + logistic regression, saved for the API."""
import logging

import joblib
import mlflow
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.preprocessing import StandardScaler

log = logging.getLogger(__name__)
mlflow.autolog()

train = pd.read_csv("data/tickets_train.csv")
test = pd.read_csv("data/tickets_test.csv")

vectorizer = TfidfVectorizer(min_df=2, ngram_range=(1, 2))
X_train = vectorizer.fit_transform(train["text"])  # expect: training-serving-skew
X_test = vectorizer.transform(test["text"])  # ok: training-serving-skew

scaler = StandardScaler(with_mean=False)
len_train = scaler.fit_transform(train[["length"]])  # expect: training-serving-skew
len_test = scaler.fit_transform(test[["length"]])  # expect: training-serving-skew

clf = LogisticRegression(max_iter=1000)
clf.fit(X_train, train["queue"])
log.info("\n%s", classification_report(test["queue"], clf.predict(X_test)))

with mlflow.start_run() as run:
    joblib.dump(clf, f"models/router-{run.info.run_id}.joblib")
