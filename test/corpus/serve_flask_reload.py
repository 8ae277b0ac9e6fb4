"""Flask service that scores loan applications."""
import logging

import joblib
import pandas as pd
from flask import Flask, jsonify, request

app = Flask(__name__)
logger = logging.getLogger(__name__)
MODEL_FILE = "models/loan_rf.joblib"  # ok: hardcoded-path


@app.route("/v1/predict", methods=["POST"])  # ok: hardcoded-path
def predict():
    model = joblib.load(MODEL_FILE)  # expect: model-load-per-request, unsafe-deserialization
    features = pd.DataFrame([request.get_json()])  # expect: unvalidated-request-payload
    return jsonify({"default_probability": float(model.predict_proba(features)[0, 1])})


@app.post("/v1/explain")
def explain():
    payload = request.get_json()
    model = joblib.load(  # expect: model-load-per-request, unsafe-deserialization
        MODEL_FILE,
        mmap_mode="r",
    )
    importances = dict(zip(payload.keys(), model.feature_importances_))
    return jsonify(importances)


@app.get("/healthz")
def health():
    return {"status": "ok"}


app.add_url_rule("/v1/ping", "ping", health)  # ok: hardcoded-path
