import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { dottedText } from '../semantic';
import { functionName } from '../tree-queries';
import { torchFacts } from '../torch-facts';
import {
  ASYNC_WEB_FRAMEWORKS,
  HTTP_SESSION_METHODS,
  LANGCHAIN_SYNC_METHODS,
  LLM_CLIENTS,
  SDK_CALL_PATHS,
  SYNC_HTTP_CLIENTS,
  SYNC_HTTP_FUNCTIONS,
  SYNC_INFERENCE_METHODS,
  isModelLoader,
  routeFramework,
  type WebFramework,
} from '../knowledge';

const SHOWN: Record<string, string> = {
  fastapi: 'FastAPI',
  starlette: 'Starlette',
  quart: 'Quart',
  sanic: 'Sanic',
  aiohttp: 'aiohttp',
  litestar: 'Litestar',
  chainlit: 'Chainlit',
  unknown: 'async',
};
/** Receivers named like a fitted model (`model.predict(x)`, `clf.predict_proba(x)`). */
const MODEL_RECEIVER =
  /^(model|clf|classifier|regressor|estimator|pipeline|pipe|booster|predictor|ranker)\d*$|_(model|clf|classifier|pipeline)\d*$|^(model|clf)_/i;
/** Libraries whose objects' `predict`-like methods run the model synchronously. */
const MODEL_LIBRARIES =
  /^(sklearn|xgboost|lightgbm|catboost|tensorflow|keras|tf_keras|joblib|pickle|torch|transformers|sentence_transformers|whisper|onnxruntime|spacy|statsmodels|prophet)\b/;
/** LangChain and LlamaIndex objects: their sync methods call a model or a vector store. */
const LLM_FRAMEWORK_TYPE = /^(langchain\w*|llama_index)\./;
const RETRIEVAL_METHODS = new Set([
  'get_relevant_documents',
  'similarity_search',
  'similarity_search_with_score',
  'max_marginal_relevance_search',
  'query',
  'chat',
  'complete',
]);
const BLOCKING_FUNCTIONS = new Map<string, string>([['time.sleep', 'waits']]);

export default defineRule({
  name: 'blocking-call-in-async-handler',
  category: 'failure-handling',
  severity: 'warning',
  scope: 'statement',
  summary: 'A synchronous model, LLM or HTTP call inside an `async def` route handler blocks the event loop for every request.',
  // The frameworks whose async handlers run on an event loop are also the modules they are imported as.
  requiresImport: [...ASYNC_WEB_FRAMEWORKS],
  docs: {
    what: "Inside an `async def` route handler of FastAPI, Starlette, Quart, Sanic, aiohttp or Litestar (found through its route decorator), or a Chainlit message handler (`@cl.on_message`), flags synchronous calls that wait on a model or the network: `.predict`/`.predict_proba`/`.generate`/`.encode` on a loaded model, a transformers pipeline or a PyTorch model called directly, calls through a synchronous OpenAI or Anthropic client (`client.chat.completions.create`, `client.messages.create`), LangChain `.invoke`/`.batch`/`.run` and retriever searches, `litellm.completion`, `requests.*` and `requests.Session`/`httpx.Client` methods, model loads (`joblib.load`, `torch.load`, `from_pretrained`, ...), a Modal function's `.remote(...)` (its awaitable form is `.remote.aio(...)`; in a file that imports Ray, whose `.remote()` returns at once, it is not read) and `time.sleep`.",
    why: "An `async def` handler runs on the server's single event loop. A synchronous call inside it does not yield: while one request waits two seconds for an LLM or a model, no other request of that worker is even read, health checks time out, and throughput collapses to one request at a time. FastAPI runs a plain `def` handler in a thread pool precisely to avoid this; an `async def` handler must only await.",
    example:
      'from fastapi import FastAPI\nfrom openai import OpenAI\n\napp = FastAPI()\nclient = OpenAI(timeout=60)\n\n@app.post("/chat")\nasync def chat(req: ChatRequest):\n    resp = client.chat.completions.create(model="gpt-4o-mini", messages=req.messages)\n    return {"answer": resp.choices[0].message.content}',
    useInstead:
      'from fastapi import FastAPI\nfrom openai import AsyncOpenAI\n\napp = FastAPI()\nclient = AsyncOpenAI(timeout=60)\n\n@app.post("/chat")\nasync def chat(req: ChatRequest):\n    resp = await client.chat.completions.create(model="gpt-4o-mini", messages=req.messages)\n    return {"answer": resp.choices[0].message.content}',
    notes:
      "Not flagged: plain `def` handlers (FastAPI and Starlette run them in a thread pool; Flask runs each request in its own thread, and its `async` views in their own loop), awaited calls and async clients (`AsyncOpenAI`, `ainvoke`, `httpx.AsyncClient`), calls inside a `lambda` or a nested `def` (they run where they are passed, e.g. `await asyncio.to_thread(lambda: model.predict(x))`), and functions handed to `run_in_threadpool`/`asyncio.to_thread`/`run_in_executor` without being called. A `predict`-like method counts when the receiver was loaded or built by a model library, or is named like a model (`model`, `clf`, `pipeline`); an object whose origin cannot be seen otherwise (a client stored on `self`, a LangChain chain built with `|`) is not flagged. Only the handler's own body is read, not the functions it calls.",
    realCode:
      "On the 37 repositories of the audit: 5 findings, all read, 5 true positives, precision 1.00 (`requests.post` in khoj's async OAuth routes, a `requests.Session().post` in a Chainlit handler, the synchronous OpenAI client in two FastAPI backends). Most LLM backends of the sample either use async clients or call helpers, which the rule does not follow: the figure says little about recall. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    /** Per function definition: the framework of its async route, or null. */
    const handlers = new Map<number, string | null>();

    const asyncHandler = (fn: SyntaxNode): string | undefined => {
      const key = fn.id;
      let cached = handlers.get(key);
      if (cached === undefined) {
        cached = null;
        if (fn.firstChild?.type === 'async') {
          const framework = routeFramework(model, fn);
          if (framework === 'unknown') cached = model.seenModule('flask') ? null : 'unknown';
          else if (framework && ASYNC_WEB_FRAMEWORKS.has(framework as WebFramework)) cached = framework;
        }
        handlers.set(key, cached);
      }
      return cached ?? undefined;
    };

    /** The object an SDK call path hangs from: `client` in `client.chat.completions.create`. */
    const sdkClient = (fn: SyntaxNode): { base: SyntaxNode; path: string } | undefined => {
      const text = dottedText(fn);
      if (!text) return undefined;
      for (const sdk of ['openai', 'anthropic'] as const) {
        for (const path of SDK_CALL_PATHS[sdk]) {
          if (!text.endsWith(`.${path}`)) continue;
          let base: SyntaxNode | null = fn;
          for (let i = path.split('.').length; i > 0 && base; i--) base = base.childForFieldName('object');
          if (base) return { base, path };
        }
      }
      return undefined;
    };

    const blocking = (call: SyntaxNode): string | undefined => {
      const qualified = model.callee(call);
      if (qualified) {
        if (SYNC_HTTP_FUNCTIONS.has(qualified)) return `\`${qualified}\` (a synchronous HTTP call)`;
        const llm = LLM_CLIENTS.get(qualified);
        if (llm?.kind === 'function' && !llm.async) return `\`${qualified}\` (a synchronous LLM call)`;
        if (isModelLoader(qualified)) return `\`${qualified}\` (reads a model from disk)`;
        if (qualified.endsWith('.from_pretrained') && MODEL_LIBRARIES.test(qualified))
          return `\`${qualified.split('.').slice(-2).join('.')}\` (reads a model from disk)`;
        const verb = BLOCKING_FUNCTIONS.get(qualified);
        if (verb) return `\`${qualified}\` (${verb} without yielding)`;
        return undefined;
      }
      const fn = model.functionOf(call);
      if (!fn) return undefined;
      const method = model.method(call);
      if (method) {
        // A Modal function's `.remote(...)` waits for the remote call (Modal warns when it runs on an
        // event loop; `.remote.aio(...)` is the awaitable form). Ray's `.remote()` returns at once.
        if (method.name === 'remote' && model.seenModule('modal') && !model.seenModule('ray')) {
          const target = dottedText(method.receiver) ?? method.receiver.text;
          return `\`${target}.remote\` (Modal's synchronous call; await \`${target}.remote.aio(...)\`)`;
        }
        const sdk = sdkClient(fn);
        if (sdk) {
          const type = model.constructedType(sdk.base);
          const client = type ? LLM_CLIENTS.get(type) : undefined;
          if (client && client.kind === 'client' && !client.async && (client.sdk === 'openai' || client.sdk === 'anthropic')) {
            return `\`${sdk.base.text}.${sdk.path}\` (a synchronous ${type!.split('.').pop()} client)`;
          }
          return undefined;
        }
        const type = model.constructedType(method.receiver);
        const receiver = dottedText(method.receiver) ?? method.receiver.text;
        if (type) {
          if (SYNC_HTTP_CLIENTS.has(type) && HTTP_SESSION_METHODS.has(method.name)) return `\`${receiver}.${method.name}\` (a synchronous HTTP client)`;
          if (LLM_FRAMEWORK_TYPE.test(type) && (LANGCHAIN_SYNC_METHODS.has(method.name) || RETRIEVAL_METHODS.has(method.name))) {
            return `\`${receiver}.${method.name}\` (synchronous; use \`a${method.name === '__call__' ? 'invoke' : method.name}\` and await it)`;
          }
          if (SYNC_INFERENCE_METHODS.has(method.name) && (isModelLoader(type) || type.endsWith('.from_pretrained') || MODEL_LIBRARIES.test(type))) {
            return `\`${receiver}.${method.name}\` (runs the model synchronously)`;
          }
          return undefined;
        }
        if ((method.name === 'predict' || method.name === 'predict_proba') && MODEL_RECEIVER.test(receiver.split('.').pop() ?? '')) {
          return `\`${receiver}.${method.name}\` (runs the model synchronously)`;
        }
        return undefined;
      }
      // `pipe(text)`, `model(inputs)`: a transformers pipeline or a PyTorch model called directly.
      const type = fn.type === 'identifier' || fn.type === 'attribute' ? model.constructedType(fn) : undefined;
      if (type === 'transformers.pipeline' || type === 'transformers.pipelines.pipeline')
        return `\`${fn.text}(...)\` (runs a transformers pipeline synchronously)`;
      if (model.seenModule('torch') && torchFacts(model).forwardTarget(call)) return `\`${fn.text}(...)\` (runs a PyTorch model synchronously)`;
      return undefined;
    };

    /** True when the call runs somewhere else than the handler's body: in a lambda, awaited, or offloaded. */
    const deferred = (call: SyntaxNode, handler: SyntaxNode): boolean => {
      const parent = call.parent;
      if (parent?.type === 'await') return true;
      for (let current = parent; current && current.id !== handler.id; current = current.parent) {
        if (current.type === 'lambda') return true;
      }
      return false;
    };

    return {
      call(call) {
        const fn = model.enclosingFunctionAt(call.startIndex);
        if (!fn) return;
        const framework = asyncHandler(fn);
        if (!framework) return;
        const what = blocking(call);
        if (!what || deferred(call, fn)) return;
        context.report({
          node: call,
          message:
            framework === 'chainlit'
              ? `${what} blocks the event loop inside \`async def ${functionName(fn)}\` (Chainlit handler): every other session waits until it returns; use the async client and \`await\` it, or \`await cl.make_async(...)(...)\``
              : `${what} blocks the event loop inside \`async def ${functionName(fn)}\` (${SHOWN[framework] ?? framework} route): every other request waits until it returns; use the async client and \`await\` it, \`await asyncio.to_thread(...)\`, or make the handler a plain \`def\``,
        });
      },
    };
  },
});
