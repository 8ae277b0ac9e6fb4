"""Text generation and classification server for the chat assistant (transformers)."""
import logging
import os

import torch
from fastapi import FastAPI
from pydantic import BaseModel
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

logger = logging.getLogger(__name__)

MODEL_ID = "THUDM/chatglm3-6b"
REVISION = "103caa40027ebfd8450289ca2f278eac4ff26405"
LOCAL_CLASSIFIER = "./models/intent-classifier"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, trust_remote_code=True)  # expect: unpinned-model-download
model = AutoModelForCausalLM.from_pretrained(MODEL_ID, revision=REVISION, trust_remote_code=True)  # ok: unpinned-model-download
model = model.eval()
intent = pipeline("text-classification", model=LOCAL_CLASSIFIER)  # ok: unpinned-model-download
toxicity = pipeline("text-classification", model="unitary/toxic-bert", revision="main")  # expect: unpinned-model-download
device = "cuda" if torch.cuda.is_available() else "cpu"

app = FastAPI()


class Prompt(BaseModel):
    text: str
    max_new_tokens: int = 256


@app.post("/classify")
async def classify(prompt: Prompt):
    label = intent(prompt.text)[0]["label"]  # expect: blocking-call-in-async-handler
    return {"intent": label}


@app.post("/generate")
def generate(prompt: Prompt):
    inputs = tokenizer(prompt.text, return_tensors="pt").to(device)
    with torch.inference_mode():
        output = model.generate(**inputs, max_new_tokens=prompt.max_new_tokens)  # ok: blocking-call-in-async-handler
    return {"text": tokenizer.decode(output[0], skip_special_tokens=True)}


@app.post("/moderate")
async def moderate(prompt: Prompt):
    scores = toxicity(prompt.text)  # expect: blocking-call-in-async-handler
    return {"toxic": scores[0]["score"] > float(os.environ.get("TOXICITY_THRESHOLD", "0.8"))}
