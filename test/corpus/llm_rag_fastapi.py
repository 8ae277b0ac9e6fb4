"""RAG question answering over the support knowledge base, served with FastAPI."""
import json
import logging

import requests
from fastapi import FastAPI, HTTPException
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel
from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)
app = FastAPI(title="support-rag")

EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
embedder = SentenceTransformer(EMBEDDING_MODEL)  # expect: unpinned-model-download
client = OpenAI()  # expect: llm-call-without-timeout
aclient = AsyncOpenAI(timeout=30, max_retries=2)  # ok: llm-call-without-timeout
SEARCH_URL = "http://vector-store:8080/search"


class Question(BaseModel):
    text: str
    top_k: int = 4


class Answer(BaseModel):
    answer: str
    sources: list[str]


def retrieve(question: str, top_k: int) -> list[dict]:
    vector = embedder.encode([question])[0].tolist()
    hits = requests.post(SEARCH_URL, json={"vector": vector, "k": top_k}, timeout=5)  # ok: request-without-timeout
    return hits.json()["hits"]


@app.post("/ask", response_model=Answer)
async def ask(question: Question):
    vector = embedder.encode([question.text])[0].tolist()  # expect: blocking-call-in-async-handler
    hits = requests.post(SEARCH_URL, json={"vector": vector, "k": question.top_k}, timeout=5).json()["hits"]  # expect: blocking-call-in-async-handler
    context = "\n\n".join(hit["text"] for hit in hits)
    resp = client.chat.completions.create(  # expect: blocking-call-in-async-handler
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Answer from the context only. Reply as JSON with keys answer and sources."},
            {"role": "user", "content": f"Context:\n{context}\n\nQuestion: {question.text}"},
        ],
        response_format={"type": "json_object"},
    )
    payload = json.loads(resp.choices[0].message.content)  # expect: unvalidated-llm-output
    return Answer(answer=payload["answer"], sources=payload["sources"])


@app.post("/ask/v2", response_model=Answer)
async def ask_v2(question: Question):
    hits = retrieve(question.text, question.top_k)  # ok: blocking-call-in-async-handler
    context = "\n\n".join(hit["text"] for hit in hits)
    resp = await aclient.chat.completions.create(  # ok: blocking-call-in-async-handler
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Context:\n{context}\n\nQuestion: {question.text}"}],
        response_format={"type": "json_object"},
    )
    try:
        return Answer.model_validate_json(resp.choices[0].message.content)
    except ValueError as exc:
        logger.warning("model answered off-schema: %s", exc)
        raise HTTPException(status_code=502, detail="the model answered off-schema") from exc


@app.post("/summarise")
def summarise(question: Question):
    resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question.text}])  # ok: blocking-call-in-async-handler
    text = resp.choices[0].message.content
    try:
        data = json.loads(text)  # ok: unvalidated-llm-output
    except json.JSONDecodeError:
        data = {"summary": text}
    return data
