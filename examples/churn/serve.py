"""Minimal prediction API for the churn model."""
import pickle

import pandas as pd
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    with open("model.pkl", "rb") as f:
        model = pickle.load(f)
    row = pd.DataFrame([request.get_json()])
    proba = model.predict_proba(row)[0, 1]
    return jsonify({"churn_probability": float(proba)})


if __name__ == "__main__":
    app.run(port=8080)
