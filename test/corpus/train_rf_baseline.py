"""Baseline random forest for the loan-default data set."""
import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/loans.csv")  # ok: hardcoded-path
X = df.drop(columns=["default"])
y = df["default"]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)  # expect: missing-seed
print("train rows:", len(X_train))  # expect: print-logging

clf = RandomForestClassifier(n_estimators=300, max_depth=12, n_jobs=-1)  # expect: missing-seed
clf.fit(X_train, y_train)  # expect: untracked-training

preds = clf.predict(X_test)
print("accuracy", accuracy_score(y_test, preds))  # expect: print-logging, accuracy-only

baseline = LogisticRegression(max_iter=1000)  # ok: missing-seed
baseline.fit(X_train, y_train)
print("baseline accuracy", baseline.score(X_test, y_test))  # expect: print-logging

joblib.dump(clf, "loan_rf.joblib")  # expect: unversioned-artifact
joblib.dump(list(X.columns), "feature_columns.joblib")  # ok: unversioned-artifact
