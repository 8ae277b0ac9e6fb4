import rule from '../server/src/engine/rules/unvalidated-request-payload';
import { ruleTester } from './helpers/rule-tester';

const FASTAPI = 'from fastapi import FastAPI, Request, Body\nimport pandas as pd\nimport joblib\napp = FastAPI()\nmodel = joblib.load("model.joblib")\n';
const FLASK =
  'from flask import Flask, request, jsonify, abort\nimport pandas as pd\nimport joblib\napp = Flask(__name__)\nmodel = joblib.load("model.joblib")\n';

ruleTester(rule, {
  valid: [
    {
      code: 'from fastapi import FastAPI, Request\nfrom typing import Any\napp = FastAPI()\n@app.middleware("http")\nasync def timing(request: Request, call_next: Any):\n    response = await call_next(request)\n    return response\n',
      name: 'middleware parameters are not a payload',
    },
    {
      code: `${FASTAPI}from pydantic import BaseModel\nclass Applicant(BaseModel):\n    age: int\n    income: float\n\n@app.post("/predict")\ndef predict(applicant: Applicant):\n    X = pd.DataFrame([applicant.dict()])\n    return {"score": float(model.predict_proba(X)[0, 1])}\n`,
      name: 'a parameter typed with a pydantic model is validated by FastAPI',
    },
    {
      code: `${FASTAPI}from pydantic import BaseModel\nclass Applicant(BaseModel):\n    age: int\n\n@app.post("/predict")\nasync def predict(request: Request):\n    payload = await request.json()\n    applicant = Applicant.model_validate(payload)\n    return {"score": float(model.predict(pd.DataFrame([applicant.model_dump()]))[0])}\n`,
      name: 'raw body validated with model_validate',
    },
    {
      code: `${FLASK}from marshmallow import Schema, fields\nclass TicketSchema(Schema):\n    text = fields.Str(required=True)\nschema = TicketSchema()\n\n@app.route("/classify", methods=["POST"])\ndef classify():\n    data = schema.load(request.get_json())\n    return jsonify(label=model.predict([data["text"]])[0])\n`,
      name: 'marshmallow schema.load',
    },
    {
      code: `${FLASK}@app.route("/predict", methods=["POST"])\ndef predict():\n    data = request.get_json()\n    if not data or "features" not in data:\n        abort(400)\n    return jsonify(pred=model.predict([data["features"]]).tolist())\n`,
      name: 'an explicit check that rejects the request',
    },
    {
      code: `${FLASK}@app.route("/health")\ndef health():\n    verbose = request.args.get("verbose")\n    return jsonify(ok=True, verbose=verbose)\n`,
      name: 'request data that reaches no model',
    },
    {
      code: `${FASTAPI}@app.get("/predict")\ndef predict(age: int, income: float):\n    return {"score": float(model.predict([[age, income]])[0])}\n`,
      name: 'scalar query parameters are validated by FastAPI',
    },
    {
      code: 'import pandas as pd\nfrom flask import request\ndef score(model):\n    data = request.get_json()\n    return model.predict(pd.DataFrame([data]))\n',
      name: 'not a route handler',
    },
  ],
  invalid: [
    {
      code: 'from fastapi import FastAPI, Request\napp = FastAPI()\n@app.post("/")\nasync def create_item(request: Request):\n    json_post_raw = await request.json()\n    prompt = json_post_raw.get("prompt")\n    response, history = model.chat(tokenizer, prompt, history=json_post_raw.get("history"))\n    return {"response": response}\n',
      errors: [{ line: 5, column: 27, message: '`chat`' }],
      name: "a chat model's own chat method (ChatGLM's api.py shape)",
    },
    {
      code: `${FASTAPI}@app.post("/predict")\nasync def predict(request: Request):\n    payload = await request.json()\n    X = pd.DataFrame([payload])\n    return {"score": float(model.predict_proba(X)[0, 1])}\n`,
      errors: [{ line: 8, column: 21, message: 'a DataFrame' }],
      name: 'await request.json() into a DataFrame',
    },
    {
      code: `${FLASK}@app.route("/predict", methods=["POST"])\ndef predict():\n    features = request.json["features"]\n    return jsonify(prediction=model.predict([features]).tolist())\n`,
      errors: [{ line: 8, column: 16, message: '`predict`' }],
      name: 'Flask request.json into predict',
    },
    {
      code: `${FASTAPI}from typing import Any, Dict\n@app.post("/score")\ndef score(payload: Dict[str, Any] = Body(...)):\n    return {"score": model.predict(pd.DataFrame([payload]))[0]}\n`,
      errors: [{ line: 8, column: 11, message: 'parameter' }],
      name: 'a Dict[str, Any] body parameter',
    },
    {
      code: `${FLASK}from openai import OpenAI\nclient = OpenAI(timeout=30)\n@app.route("/chat", methods=["POST"])\ndef chat():\n    question = request.form["question"]\n    resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])\n    return resp.choices[0].message.content\n`,
      errors: [{ line: 10, column: 16, message: 'LLM' }],
      name: 'Flask form field into an LLM call',
    },
    {
      code: `${FLASK}def run_model(rows):\n    return model.predict(pd.DataFrame(rows))\n\n@app.post("/batch")\ndef batch():\n    rows = request.get_json(force=True)\n    return jsonify(run_model(rows).tolist())\n`,
      errors: [{ line: 11, column: 12, message: 'run_model' }],
      name: 'through a helper of the same file',
    },
  ],
});
