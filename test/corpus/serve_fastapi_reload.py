"""Sentiment and ranking endpoints, first version."""
import pickle

import mlflow.pytorch
import torch
from fastapi import FastAPI
from transformers import AutoModelForSequenceClassification, AutoTokenizer

app = FastAPI()
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")  # expect: unpinned-model-download; ok: model-load-per-request


@app.post("/sentiment")
async def sentiment(text: str):
    model = AutoModelForSequenceClassification.from_pretrained("models/sentiment")  # expect: model-load-per-request, blocking-call-in-async-handler
    model.eval()
    with torch.no_grad():
        logits = model(**tokenizer(text, return_tensors="pt")).logits  # expect: blocking-call-in-async-handler
    return {"label": int(logits.argmax())}


def score_one(features):
    with open("models/ranker.pkl", "rb") as fh:
        ranker = pickle.load(fh)  # expect: model-load-per-request, unsafe-deserialization
    return float(ranker.predict([features])[0])


@app.post("/rank")
def rank(items: list[dict]):
    return sorted(items, key=lambda item: score_one(item["features"]), reverse=True)


@app.post("/embed")
def embed(text: str):
    encoder = mlflow.pytorch.load_model("models:/text-encoder/3")  # expect: model-load-per-request
    encoder.eval()
    with torch.inference_mode():
        return encoder(tokenizer(text, return_tensors="pt")["input_ids"]).tolist()
