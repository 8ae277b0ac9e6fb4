"""Demo server for the churn model, started from the command line."""
import argparse
import logging
import os

import joblib
from flask import Flask, jsonify, request
from werkzeug.serving import run_simple

logger = logging.getLogger(__name__)
app = Flask(__name__)
model = joblib.load("models/churn.joblib")  # expect: unsafe-deserialization
DEBUG = True


@app.post("/predict")
def predict():
    payload = request.get_json()
    if (features := payload.get("features")) is None:  # ok: syntax-error
        return jsonify({"error": "expected {'features': [...]}"}), 422
    return jsonify({"churn": float(model.predict_proba([features])[0, 1])})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--mode", choices=["dev", "lan", "werkzeug", "prod"], default="prod")
    args = parser.parse_args()
    if args.mode == "dev":
        app.run(debug=DEBUG)  # expect: debug-server
    elif args.mode == "lan":
        app.run("0.0.0.0", 8080, debug=True)  # expect: debug-server
    elif args.mode == "werkzeug":
        run_simple("localhost", 8080, app, use_reloader=True, use_debugger=True)  # expect: debug-server
    else:
        app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")), debug=args.debug)  # ok: debug-server


if __name__ == "__main__":
    main()
