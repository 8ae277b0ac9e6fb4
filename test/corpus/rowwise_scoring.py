"""Nightly scoring of open support tickets."""
import logging

import joblib
import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)
model = joblib.load("models/ticket_priority.joblib")  # expect: unsafe-deserialization; ok: model-load-per-request
tickets = pd.read_parquet("exports/open_tickets.parquet")
features = tickets[["age_hours", "replies", "customer_tier", "sentiment"]]

priorities = []
for _, row in features.iterrows():
    priorities.append(model.predict(row.to_frame().T)[0])  # expect: row-wise-predict

escalation = []
for row in features.itertuples(index=False):
    escalation.append(model.predict_proba([list(row)])[0, 1])  # expect: row-wise-predict

X = features.to_numpy()
scores = []
for i in range(len(X)):
    scores.append(model.predict_proba(X[i : i + 1])[0, 1])  # expect: row-wise-predict

labels = [model.predict(x.reshape(1, -1))[0] for x in X]  # expect: row-wise-predict

tickets["priority"] = model.predict(features)  # ok: row-wise-predict
tickets["escalation"] = model.predict_proba(features)[:, 1]  # ok: row-wise-predict

for chunk in np.array_split(X, 10):
    logger.info("chunk mean score %.3f", model.predict_proba(chunk)[:, 1].mean())  # ok: row-wise-predict
