"""A clean LLM service: bounded waits, async clients, pinned downloads, validated answers."""
import json
import logging
import os

import anthropic
import litellm
from fastapi import FastAPI
from flask import Flask
from langchain_anthropic import ChatAnthropic
from pydantic import BaseModel, ValidationError
from transformers import AutoTokenizer

logger = logging.getLogger(__name__)
litellm.request_timeout = 45

api = FastAPI()
admin = Flask(__name__)
client = anthropic.AsyncAnthropic(timeout=60.0, max_retries=2)  # ok: llm-call-without-timeout
chat = ChatAnthropic(model="claude-3-5-haiku-latest", default_request_timeout=30)  # ok: llm-call-without-timeout
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")  # ok: unpinned-model-download
offline = AutoTokenizer.from_pretrained("bert-base-uncased", local_files_only=True)  # ok: unpinned-model-download


class Ticket(BaseModel):
    category: str
    priority: int


@api.post("/triage")
async def triage(body: dict):
    msg = await client.messages.create(  # ok: blocking-call-in-async-handler
        model="claude-3-5-haiku-latest",
        max_tokens=256,
        messages=[{"role": "user", "content": body["text"]}],
    )
    raw = json.loads(msg.content[0].text)  # ok: unvalidated-llm-output
    try:
        return Ticket.model_validate(raw)
    except ValidationError:
        logger.exception("off-schema triage answer")
        return Ticket(category="unknown", priority=3)


@api.post("/draft")
async def draft(body: dict):  # expect: unvalidated-request-payload
    reply = await chat.ainvoke(body["text"])  # ok: blocking-call-in-async-handler
    return {"draft": reply.content}


def summarise(text: str) -> str:
    resp = litellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])  # ok: llm-call-without-timeout
    return resp.choices[0].message.content


if __name__ == "__main__":
    admin.run(port=8081, debug=os.environ.get("ADMIN_DEBUG") == "1")  # ok: debug-server
