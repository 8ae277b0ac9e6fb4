import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { keywordArgument, positionalArguments } from '../calls';
import { contains, decoratorsOf, descendants, functionName } from '../tree-queries';
import { namesIn, rootName, targetNames } from '../dataflow';
import { isModelLoader, ROUTE_REGISTRATION_METHODS, ROUTE_REGISTRATIONS, routeDecoratorFramework } from '../knowledge';

/** Decorators that keep what the function returns: it loads once per argument, not per call (Ray Serve's `multiplexed` keeps the models per replica). */
const CACHES =
  /^functools\.(lru_cache|cache|cached_property)$|^cachetools\.|^(streamlit)\.(cache_resource|cache_data|cache|experimental_singleton)$|^ray\.serve\.multiplexed$/;
/** Serving frameworks whose `predict`/`__call__` runs per request. */
const SERVING_BASES = /^(mlflow\.pyfunc\.PythonModel|kserve\.Model|seldon_core\.|ts\.torch_handler\.base_handler\.BaseHandler)/;
const SERVING_DECORATORS = /^(ray\.serve\.deployment|bentoml\.service|bentoml\.api)$/;
const PER_REQUEST_METHODS = new Set(['predict', 'predict_proba', '__call__', 'infer', 'inference', 'handle', 'postprocess', 'preprocess']);
/** Gradio apps that call their `fn` once per request. */
const GRADIO_INTERFACES: ReadonlySet<string> = new Set(['gradio.Interface', 'gradio.ChatInterface']);

export default defineRule({
  name: 'model-load-per-request',
  category: 'failure-handling',
  severity: 'error',
  summary: 'A model is loaded from disk inside a web request handler or a function called per prediction.',
  // The loads are found per statement (`collect`); which functions run per request is decided at `file:end`.
  scope: 'statement',
  docs: {
    what: 'Flags a model load (`joblib.load`, `pickle.load`, `torch.load`, `tf.keras.models.load_model`, `mlflow.*.load_model`, `from_pretrained`, `onnxruntime.InferenceSession`, `transformers.pipeline`, ...) inside a web request handler (FastAPI, Flask, Starlette, Quart or Sanic routes, found through their decorators such as `@app.post(...)` on a `FastAPI()` app, `@router.get(...)` on an `APIRouter`, `@app.route(...)` on a `Flask` app, or registered with `add_url_rule`/`add_api_route`/`Route(...)`), or inside a function that runs per prediction: one called from a handler, a FastAPI `Depends(...)` dependency, an AWS Lambda handler, a Gradio `fn`, or the `predict`/`__call__` of an MLflow `PythonModel`, a KServe model or a Ray Serve/BentoML deployment.',
    why: 'Loading a model reads and deserialises tens or hundreds of megabytes on every request: latency goes from milliseconds to seconds, memory spikes with concurrent requests until the container is killed, and under load the service falls over. Loading once at start-up (module level, a lifespan/startup hook, or a cached factory) costs the same once and nothing per request.',
    example:
      '@app.post("/predict")\ndef predict(features: Features):\n    model = joblib.load("model.joblib")\n    return {"score": float(model.predict([features.values()])[0])}',
    useInstead:
      'model = joblib.load("model.joblib")\n\n@app.post("/predict")\ndef predict(features: Features):\n    return {"score": float(model.predict([features.values()])[0])}',
    notes:
      'A load behind a lazy-initialisation guard (`if _model is None: _model = load(...)`, `if "m" not in cache: ...`) runs once and is not flagged, nor is a load in a function cached with `functools.lru_cache`/`cache` (or Streamlit\'s `cache_resource`, or Ray Serve\'s `@serve.multiplexed`, which keeps the loaded models per replica and loads only on a miss). A decorator on an app whose class cannot be resolved (an app imported from another module) counts as a route when it is an HTTP verb or `route` and its first argument is a URL path starting with `/`. Start-up hooks (`on_event("startup")`, lifespan functions, `before_first_request`) are not request handlers. Flask\'s `before_request` and FastAPI\'s `middleware` run per request and count as handlers.',
  },
  create(context) {
    const { model } = context;

    const isLoad = (call: SyntaxNode): string | undefined => {
      const qualified = model.callee(call);
      if (qualified && isModelLoader(qualified)) return qualified.replace(/^_pickle/, 'cPickle');
      const method = model.method(call);
      if (method?.name === 'from_pretrained') return qualified ?? `${method.receiver.text}.from_pretrained`;
      if (method?.name === 'load_model' && !qualified) return `${method.receiver.text}.load_model`;
      return undefined;
    };

    return {
      call(call) {
        if (isLoad(call)) context.collect(call, null);
      },
      'file:end'() {
        const loads = context.collected().map(({ node }) => node);
        if (loads.length === 0) return;
        const cached = (fn: SyntaxNode): boolean =>
          decoratorsOf(fn).some((d) => CACHES.test(model.qualifiedName(d.type === 'call' ? d.childForFieldName('function') : d) ?? ''));

        // Why each function runs per request.
        const perRequest = new Map<number, string>();
        const mark = (fn: SyntaxNode | undefined, reason: string): void => {
          if (fn && !cached(fn) && !perRequest.has(fn.id)) perRequest.set(fn.id, reason);
        };
        const markName = (expr: SyntaxNode | undefined, reason: string): void => {
          if (expr?.type === 'identifier') for (const fn of model.functionsNamed(expr.text)) mark(fn, reason);
        };

        const isRouteDecorator = (decorator: SyntaxNode): boolean => routeDecoratorFramework(model, decorator) !== undefined;

        for (const fn of model.functions) {
          const name = functionName(fn);
          if (decoratorsOf(fn).some(isRouteDecorator)) mark(fn, `request handler \`${name}\``);
          else if (name === 'lambda_handler' || (name === 'handler' && /\(\s*event\s*,\s*context\s*\)/.test(fn.childForFieldName('parameters')?.text ?? '')))
            mark(fn, `serverless handler \`${name}\``);
          else if (PER_REQUEST_METHODS.has(name)) {
            const cls = model.enclosingClassAt(fn.startIndex);
            if (!cls) continue;
            const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
            const serving =
              bases.some((b) => b && SERVING_BASES.test(model.qualifiedName(b) ?? '')) ||
              decoratorsOf(cls).some((d) => SERVING_DECORATORS.test(model.qualifiedName(d.type === 'call' ? d.childForFieldName('function') : d) ?? ''));
            if (serving) mark(fn, `\`${name}\`, which serves each prediction`);
          }
        }
        for (const call of model.calls) {
          const qualified = model.callee(call) ?? '';
          const method = model.methodName(call);
          const registration = (method !== undefined && ROUTE_REGISTRATION_METHODS.get(method)) || ROUTE_REGISTRATIONS.get(qualified);
          if (registration) markName(keywordArgument(call, registration.keyword) ?? positionalArguments(call)[registration.index], 'a request handler');
          else if (qualified === 'fastapi.Depends' || qualified === 'fastapi.params.Depends')
            markName(keywordArgument(call, 'dependency') ?? positionalArguments(call)[0], 'a per-request dependency');
          else if (GRADIO_INTERFACES.has(qualified)) markName(keywordArgument(call, 'fn') ?? positionalArguments(call)[0], 'the Gradio function');
        }

        // Functions called from per-request code run per request too.
        const queue = model.functions.filter((fn) => perRequest.has(fn.id));
        while (queue.length > 0) {
          const fn = queue.shift()!;
          const caller = functionName(fn);
          for (const call of descendants(fn, 'call')) {
            const callee = call.childForFieldName('function');
            let targets: readonly SyntaxNode[] = [];
            if (callee?.type === 'identifier') targets = model.functionsNamed(callee.text);
            else if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
              const cls = model.enclosingClassAt(fn.startIndex);
              targets = model
                .functionsNamed(callee.childForFieldName('attribute')?.text ?? '')
                .filter((t) => cls && model.enclosingClassAt(t.startIndex)?.id === cls.id);
            }
            for (const target of targets) {
              if (perRequest.has(target.id) || cached(target)) continue;
              perRequest.set(target.id, `\`${functionName(target)}\`, called per request from \`${caller}\``);
              queue.push(target);
            }
          }
        }

        for (const load of loads) {
          const functions = model.enclosingFunctionsAt(load.startIndex);
          const owner = functions.find((fn) => perRequest.has(fn.id));
          if (!owner) continue;
          if (guarded(load, owner)) continue;
          const reason = perRequest.get(owner.id)!;
          const where =
            reason.startsWith('request handler') || reason.startsWith('serverless') || reason.startsWith('`')
              ? reason
              : `\`${functionName(owner)}\`, ${reason}`;
          context.report({
            node: load,
            message: `\`${isLoad(load)}\` loads the model inside ${where}: it is read from disk on every request; load it once at start-up`,
          });
        }
      },
    };

    /** `if _model is None: _model = load(...)`: a lazy load that runs once. */
    function guarded(load: SyntaxNode, owner: SyntaxNode): boolean {
      let targets: string[] = [];
      for (let current = load.parent; current && current.id !== owner.id; current = current.parent) {
        if (current.type === 'assignment') {
          const left = current.childForFieldName('left');
          const right = current.childForFieldName('right');
          if (left && right && contains(right, load)) {
            targets = targetNames(left);
            const root = rootName(left);
            if (root) targets.push(root);
          }
        }
        if (current.type === 'if_statement' && targets.length > 0) {
          const condition = current.childForFieldName('condition');
          if (condition) {
            const names = namesIn(condition);
            const text = condition.text;
            if (targets.some((t) => names.has(t.split('.')[0]) || text.includes(t))) return true;
          }
        }
      }
      return false;
    }
  },
});
