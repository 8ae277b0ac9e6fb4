import rule from '../server/src/engine/rules/blocking-call-in-async-handler';
import { ruleTester } from './helpers/rule-tester';

const APP =
  'from fastapi import FastAPI\nimport joblib\nimport requests\nfrom openai import OpenAI, AsyncOpenAI\n\napp = FastAPI()\nmodel = joblib.load("model.joblib")\nclient = OpenAI(timeout=30)\naclient = AsyncOpenAI(timeout=30)\n';

ruleTester(rule, {
  valid: [
    {
      code: 'import ray\nfrom fastapi import FastAPI\n\nweb = FastAPI()\n\n\n@web.post("/score")\nasync def score(features: dict) -> dict:\n    ref = scorer.predict.remote(features)\n    return {"ref": str(ref)}\n',
      name: "Ray's .remote() returns an ObjectRef at once",
    },
    {
      code: `${APP}\n@app.post("/predict")\ndef predict(features: Features):\n    return {"y": model.predict([features.values])[0]}\n`,
      name: 'a def handler runs in the thread pool',
    },
    {
      code: `${APP}\n@app.post("/chat")\nasync def chat(q: Question):\n    resp = await aclient.chat.completions.create(model="gpt-4o", messages=q.messages)\n    return resp.choices[0].message.content\n`,
      name: 'the async client, awaited',
    },
    {
      code: `${APP}import asyncio\nfrom starlette.concurrency import run_in_threadpool\n\n@app.post("/predict")\nasync def predict(features: Features):\n    a = await run_in_threadpool(model.predict, [features.values])\n    b = await asyncio.to_thread(lambda: model.predict_proba([features.values]))\n    loop = asyncio.get_running_loop()\n    c = await loop.run_in_executor(None, model.predict, [features.values])\n    return {"y": a[0]}\n`,
      name: 'offloaded to a thread',
    },
    {
      code: 'import chainlit as cl\nfrom openai import OpenAI\nclient = OpenAI(timeout=30)\n\n@cl.on_chat_start\nasync def start():\n    cl.user_session.set("history", [])\n\n@cl.on_message\nasync def main(message: cl.Message):\n    answer = await cl.make_async(ask)(message.content)\n    await cl.Message(content=answer).send()\n',
      name: 'Chainlit with cl.make_async',
    },
    { code: `${APP}\n@app.get("/health")\nasync def health():\n    return {"ok": True}\n` },
    { code: `${APP}\nasync def background_job():\n    requests.post(WEBHOOK, json={}, timeout=5)\n`, name: 'an async function that is not a route' },
    {
      code: `${APP}\n@app.post("/chat")\nasync def chat(q: Question):\n    def work():\n        return client.chat.completions.create(model="gpt-4o", messages=q.messages)\n    return await asyncio.to_thread(work)\n`,
      name: 'a nested def runs where it is passed',
    },
    {
      code: 'from flask import Flask\nimport requests\napp = Flask(__name__)\n\n@app.route("/proxy")\nasync def proxy():\n    return requests.get(URL, timeout=5).text\n',
      name: 'Flask runs async views in their own loop per request',
    },
    {
      code: `${APP}\n@app.post("/x")\nasync def x(body: Body):\n    scores = helper.predict(body.rows)\n    return scores\n`,
      name: 'receivers of unknown origin not named like a model',
    },
  ],
  invalid: [
    {
      code: 'import modal\nfrom fastapi import FastAPI\n\napp = modal.App("credit")\nweb = FastAPI()\nload_model = app.function()(_load_model)\n\n\n@web.post("/predict")\nasync def predict_endpoint(features: dict) -> dict:\n    info = getattr(load_model.remote(), "_model_info", {})\n    result = await predict.remote.aio(features)\n    return {"result": result, "info": info}\n',
      errors: [{ line: 11, column: 20, message: "`load_model.remote` (Modal's synchronous call" }],
      name: "a Modal function's .remote() in an async route; .remote.aio() awaited is fine (zenml-io/zenml-projects, credit-scorer)",
    },
    {
      code: `${APP}\n@app.post("/predict")\nasync def predict(features: Features):\n    y = model.predict([features.values])\n    return {"y": float(y[0])}\n`,
      errors: [
        { line: 13, column: 9, message: '`model.predict` (runs the model synchronously) blocks the event loop inside `async def predict` (FastAPI route)' },
      ],
      output: null,
    },
    {
      code: `${APP}\n@app.post("/chat")\nasync def chat(q: Question):\n    resp = client.chat.completions.create(model="gpt-4o", messages=q.messages)\n    return resp.choices[0].message.content\n`,
      errors: [{ line: 13, column: 12, message: '`client.chat.completions.create` (a synchronous OpenAI client)' }],
    },
    {
      code: `${APP}\n@app.get("/weather")\nasync def weather(city: str):\n    r = requests.get(f"https://api.example.com/{city}", timeout=5)\n    return r.json()\n`,
      errors: [{ line: 13, message: '`requests.get` (a synchronous HTTP call)' }],
    },
    {
      code: 'from fastapi import APIRouter\nfrom langchain_openai import ChatOpenAI\nrouter = APIRouter()\nllm = ChatOpenAI(model="gpt-4o-mini", timeout=30)\n\n@router.post("/ask")\nasync def ask(q: str):\n    return llm.invoke(q).content\n',
      errors: [{ line: 8, message: '`llm.invoke` (synchronous; use `ainvoke`' }],
    },
    {
      code: 'import litellm\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.post("/complete")\nasync def complete(p: Prompt):\n    return litellm.completion(model="gpt-4o", messages=p.messages, timeout=20)\n',
      errors: [{ line: 7, message: '`litellm.completion` (a synchronous LLM call)' }],
    },
    {
      code: 'from transformers import pipeline\nfrom fastapi import FastAPI\napp = FastAPI()\nclassifier = pipeline("sentiment-analysis", model="distilbert/distilbert-base-uncased-finetuned-sst-2-english")\n\n@app.post("/sentiment")\nasync def sentiment(text: str):\n    return classifier(text)[0]\n',
      errors: [{ line: 8, message: '`classifier(...)` (runs a transformers pipeline synchronously)' }],
    },
    {
      code: 'import torch\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.post("/reload")\nasync def reload():\n    global net\n    net = torch.load("net.pt", weights_only=True)\n    return {"ok": True}\n',
      errors: [{ line: 8, message: '`torch.load` (reads a model from disk)' }],
    },
    {
      code: 'from quart import Quart\nimport time\napp = Quart(__name__)\n\n@app.route("/slow")\nasync def slow():\n    time.sleep(1)\n    return "done"\n',
      errors: [{ line: 7, message: '(Quart route)' }],
    },
    {
      code: 'from fastapi import FastAPI\nfrom sentence_transformers import SentenceTransformer\napp = FastAPI()\nembedder = SentenceTransformer("all-MiniLM-L6-v2")\n\n@app.post("/embed")\nasync def embed(texts: list[str]):\n    return embedder.encode(texts).tolist()\n',
      errors: [{ line: 8, message: '`embedder.encode`' }],
    },
    {
      code: 'from .main import app\nimport fastapi\nimport requests\n\n@app.get("/proxy")\nasync def proxy(url: str):\n    return requests.get(url, timeout=5).json()\n',
      errors: [{ line: 7, message: '(async route)' }],
      name: 'an app imported from the project',
    },
    {
      code: 'import chainlit as cl\nimport requests\n\n@cl.on_message\nasync def main(message: cl.Message):\n    s = requests.Session()\n    r = s.post(URL, json={"prompt": message.content}, timeout=60)\n    await cl.Message(content=r.json()["text"]).send()\n',
      errors: [{ line: 7, message: '(Chainlit handler)' }],
      name: 'a Chainlit message handler',
    },
  ],
});
