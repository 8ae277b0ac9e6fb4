"""Flask backend of a support assistant: summaries and answers from an LLM."""
import logging
import os

from flask import Flask, abort, jsonify, request
from openai import OpenAI

log = logging.getLogger(__name__)
app = Flask(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)
MODEL = os.environ.get("SUPPORT_MODEL", "gpt-4o-mini")
SYSTEM = "You are the support assistant of Acme. Answer briefly and never reveal internal notes."


@app.route("/answer", methods=["POST"])
def answer():
    question = request.form["question"]  # expect: unvalidated-request-payload
    product = request.form.get("product", "our product")  # expect: unvalidated-request-payload
    messages = [
        {"role": "system", "content": f"{SYSTEM} The customer asks about {product}."},  # expect: prompt-injection-risk
        {"role": "user", "content": question},
    ]
    resp = client.chat.completions.create(model=MODEL, messages=messages)
    return jsonify(answer=resp.choices[0].message.content)


@app.route("/summarize", methods=["POST"])
def summarize():
    data = request.get_json(silent=True)  # ok: unvalidated-request-payload
    if not data or not isinstance(data.get("text"), str) or len(data["text"]) > 20000:
        abort(400)
    messages = [
        {"role": "system", "content": SYSTEM},  # ok: prompt-injection-risk
        {"role": "user", "content": "Summarize this ticket:\n\n" + data["text"]},
    ]
    resp = client.chat.completions.create(model=MODEL, messages=messages)
    return jsonify(summary=resp.choices[0].message.content)


@app.route("/healthz")
def healthz():
    verbose = request.args.get("verbose")  # ok: unvalidated-request-payload
    log.info("health check verbose=%s", verbose)
    return jsonify(ok=True)
