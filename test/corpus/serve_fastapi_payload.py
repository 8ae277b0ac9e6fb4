"""Scoring service for the churn model: one validated endpoint, two legacy ones."""
from typing import Any, Dict

import joblib
import pandas as pd
from fastapi import Body, FastAPI, Request
from pydantic import BaseModel, Field

app = FastAPI(title="churn-scoring")
pipeline = joblib.load("artifacts/churn_pipeline.joblib")  # expect: unsafe-deserialization
COLUMNS = ["tenure", "monthly_charges", "contract", "region"]


class Customer(BaseModel):
    tenure: int = Field(ge=0)
    monthly_charges: float = Field(ge=0)
    contract: str
    region: str


@app.post("/v2/score")
def score_v2(customer: Customer):  # ok: unvalidated-request-payload
    X = pd.DataFrame([customer.dict()])[COLUMNS]
    return {"churn": float(pipeline.predict_proba(X)[0, 1])}


@app.post("/v1/score")
async def score_v1(request: Request):
    payload = await request.json()  # expect: unvalidated-request-payload
    X = pd.DataFrame([payload])
    return {"churn": float(pipeline.predict_proba(X)[0, 1])}  # expect: blocking-call-in-async-handler


@app.post("/v1/score-batch")
def score_batch(rows: Dict[str, Any] = Body(...)):  # expect: unvalidated-request-payload
    X = pd.get_dummies(pd.DataFrame(rows["customers"]))  # expect: training-serving-skew
    return {"churn": pipeline.predict_proba(X)[:, 1].tolist()}


@app.post("/v2/score-batch")
def score_batch_v2(rows: Dict[str, Any] = Body(...)):
    customers = [Customer(**row) for row in rows["customers"]]  # ok: unvalidated-request-payload
    X = pd.DataFrame([c.dict() for c in customers])[COLUMNS]
    return {"churn": pipeline.predict_proba(X)[:, 1].tolist()}
