"""Spam filter evaluation."""
import logging

import mlflow
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)
train = pd.read_csv("data/spam_train.csv")
test = pd.read_csv("data/spam_test.csv")

vec = TfidfVectorizer(min_df=2)
X_train = vec.fit_transform(train["text"])  # ok: data-leakage
X_test = vec.transform(test["text"])

with mlflow.start_run():
    nb = MultinomialNB().fit(X_train, train["label"])
    svm = LinearSVC(C=0.5).fit(X_train, train["label"])
    nb_acc = accuracy_score(  # expect: accuracy-only
        test["label"],
        nb.predict(X_test),
    )
    svm_acc = svm.score(X_test, test["label"])
    mlflow.log_metrics({"nb_accuracy": nb_acc, "svm_accuracy": svm_acc})
    logger.info("nb %.3f svm %.3f", nb_acc, svm_acc)
