"""Hyper-parameter search for the churn forest, logged to Weights & Biases."""
import logging

import pandas as pd
import wandb
from scipy.stats import randint
from sklearn.ensemble import BaggingClassifier, RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    RandomizedSearchCV,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    train_test_split,
)
from sklearn.neural_network import MLPClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import resample

logger = logging.getLogger(__name__)
run = wandb.init(project="churn-search")
df = pd.read_csv("data/churn.csv")
X, y = df.drop(columns=["churn"]), df["churn"]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)  # ok: missing-seed

search = RandomizedSearchCV(  # expect: missing-seed
    RandomForestClassifier(random_state=42),
    {"n_estimators": randint(100, 600), "max_depth": randint(3, 20)},
    n_iter=40,
    cv=KFold(n_splits=5, shuffle=True),  # expect: missing-seed
    scoring="roc_auc",
)
search.fit(X_train, y_train)
wandb.log({"best_auc": search.best_score_})

grid = GridSearchCV(DecisionTreeClassifier(), {"max_depth": [3, 5, 8]}, cv=StratifiedKFold(n_splits=5))  # expect: missing-seed
grid.fit(X_train, y_train)
plain_cv = KFold(n_splits=10)  # ok: missing-seed
seeded_cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)  # ok: missing-seed

holdout = ShuffleSplit(n_splits=3, test_size=0.2)  # expect: missing-seed
strat = StratifiedShuffleSplit(n_splits=3, test_size=0.2)  # expect: missing-seed
bagger = BaggingClassifier(n_estimators=50).fit(X_train, y_train)  # expect: missing-seed
mlp = MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=300)  # expect: missing-seed
sgd = SGDClassifier(loss="log_loss")  # expect: missing-seed
importances = permutation_importance(search.best_estimator_, X_test, y_test, n_repeats=10)  # expect: missing-seed
boot_X, boot_y = resample(X_train, y_train, n_samples=len(X_train))  # expect: missing-seed
run.finish()
