"""FastAPI scoring service: the model is loaded once when the process starts."""
import logging
import os
from contextlib import asynccontextmanager

import numpy as np
import onnxruntime as ort
from fastapi import FastAPI
from pydantic import BaseModel, Field

logger = logging.getLogger("scoring")
MODEL_PATH = os.environ.get("MODEL_PATH", "models/churn.onnx")
state = {}


class Customer(BaseModel):
    tenure: int = Field(ge=0, le=120)
    monthly_charges: float = Field(ge=0)
    support_calls: int = Field(ge=0)


@asynccontextmanager
async def lifespan(app: FastAPI):
    state["session"] = ort.InferenceSession(MODEL_PATH)  # ok: model-load-per-request
    logger.info("model loaded from %s", MODEL_PATH)
    yield
    state.clear()


app = FastAPI(lifespan=lifespan)


@app.post("/v1/predict")
def predict(customer: Customer):
    session = state["session"]
    row = np.array([[customer.tenure, customer.monthly_charges, customer.support_calls]], dtype=np.float32)
    (proba,) = session.run(["probabilities"], {"input": row})
    return {"churn_probability": float(proba[0][1])}


@app.post("/v1/predict_batch")
def predict_batch(customers: list[Customer]):
    session = state["session"]
    rows = np.array([[c.tenure, c.monthly_charges, c.support_calls] for c in customers], dtype=np.float32)
    (proba,) = session.run(["probabilities"], {"input": rows})
    return {"churn_probability": [float(p[1]) for p in proba]}
