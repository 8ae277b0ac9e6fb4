import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { dottedText } from '../semantic';
import { keywordArguments, positionalArguments } from '../calls';
import { descendants } from '../tree-queries';
import { llmCallSdk, PYDANTIC_VALIDATION_METHODS, SCHEMA_VALIDATION_FUNCTIONS, SYNC_INFERENCE_METHODS, WEB_MODULES } from '../knowledge';
import { carries, requestHandlers, type RequestSource } from '../request-flow';

/** Building a DataFrame from the payload: its columns, types and order are whatever the client sent. */
const DATAFRAME_BUILDERS = new Set([
  'pandas.DataFrame',
  'pandas.DataFrame.from_dict',
  'pandas.DataFrame.from_records',
  'pandas.json_normalize',
  'pandas.io.json.json_normalize',
  'pandas.read_json',
  'polars.DataFrame',
  'polars.from_dicts',
]);
/** Schema validation applied to a value: pydantic, marshmallow, jsonschema, cattrs, attrs/dataclass constructors. */
const VALIDATE_METHODS = new Set([...PYDANTIC_VALIDATION_METHODS, 'validate', 'load', 'loads', 'structure', 'from_dict', 'deserialize']);
const VALIDATE_FUNCTIONS = new Set(SCHEMA_VALIDATION_FUNCTIONS);
const CHAT_METHODS = new Set(['chat', 'stream_chat', 'chat_stream']);
const MODEL_RECEIVER = /(^|\.)(model|llm|pipe|pipeline|generator)$/i;
const NOT_VALIDATORS = /^(builtins|json|pickle|yaml|pandas|numpy|polars|torch|os|io)\b/;

export default defineRule({
  name: 'unvalidated-request-payload',
  category: 'failure-handling',
  severity: 'warning',
  summary:
    'A web handler feeds raw request data (a JSON body, form or query values, a `dict` parameter) into a model, a DataFrame or an LLM with no schema validation.',
  requiresImport: WEB_MODULES,
  docs: {
    what: "In a web request handler (FastAPI, Starlette, Flask, Quart, Sanic, Django views found through their route decorators), flags where raw request data is read — `await request.json()`, `request.form()`/`body()`/`query_params` on a Starlette `Request`, Flask's `request.json`, `get_json()`, `form`, `args`, `values`, `data`, Django's `request.POST`/`GET`/`body`, or a FastAPI parameter typed `dict`/`Dict[...]`/`Any` or given as `Body()` with no model — when that value (or anything computed from it) reaches a model call (`predict`, `predict_proba`, `generate`, `encode`, ...), a DataFrame constructor (`pd.DataFrame`, `from_dict`, `json_normalize`), or an LLM call, and nothing in the handler validates it against a schema.",
    why: 'A model expects exact columns, types and ranges; a client sends whatever it sends. A missing field becomes a `KeyError` and a 500, a string where a number belongs becomes a NumPy object column that the model silently mis-scores, an extra column shifts the order of features, and a 10 MB prompt becomes a 10 MB LLM bill. A schema (a pydantic model, which FastAPI applies for you when the parameter is typed with one) rejects bad requests with a clear 422 before they reach the model, and documents the API.',
    example:
      '@app.post("/predict")\nasync def predict(request: Request):\n    payload = await request.json()\n    X = pd.DataFrame([payload])\n    return {"score": float(model.predict_proba(X)[0, 1])}',
    useInstead:
      'class Applicant(BaseModel):\n    age: int = Field(ge=18, le=120)\n    income: float = Field(ge=0)\n    region: Literal["north", "south"]\n\n@app.post("/predict")\nasync def predict(applicant: Applicant):\n    X = pd.DataFrame([applicant.model_dump()])\n    return {"score": float(model.predict_proba(X)[0, 1])}',
    notes:
      'Not flagged when the handler validates the data anywhere: a pydantic model built from it (`Model(**payload)`, `Model.model_validate(payload)`, `parse_obj`), a marshmallow `schema.load(payload)`, `jsonschema.validate(payload, SCHEMA)`, a constructor of a class (a dataclass or attrs class) fed the payload, or an explicit check that rejects the request (`if "text" not in data: abort(400)`). A FastAPI parameter typed with a pydantic model, `str`, `int` or another scalar is validated by FastAPI and is not raw. The sink may be in a function of the same file that the handler calls with the payload. One finding per read, at the read.',
    realCode:
      "On 61 public repositories (the 37 LLM applications of `docs/audit/repos.txt` and the 24 serving, LLM and training repositories of `docs/audit/serving-repos.txt`): 13 findings, all read, 13 true positives, precision 1.00. They are Flask and FastAPI model-serving apps that put `request.json`/`get_json()` straight into `pd.DataFrame` or `model.predict` (sklearnflask, krishnaik06/Deployment-flask, mlops-zoomcamp, W255, ml_sklearn), Made-With-ML's Ray Serve endpoint, ChatGLM-6B's and ChatGLM2-6B's `api.py`, which pass raw JSON fields to `model.chat`, and JARVIS's model server, which fetches a raw `img_url` for a diffusion pipeline. The LLM backends of the list validate with pydantic or pass the payload through helpers in other modules, which the rule does not follow. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit && scripts/audit-checkout.sh <mirrors> /tmp/audit docs/audit/serving-repos.txt`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --list docs/audit/repos.txt,docs/audit/serving-repos.txt --verdicts docs/audit/serving-rules.csv --rules unvalidated-request-payload` (verdicts with their reasons in `docs/audit/serving-rules.csv`, method in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    return {
      'file:end'() {
        const handlers = requestHandlers(model);
        if (handlers.length === 0) return;
        const helperSinks = new Map<string, boolean>();
        const sinkKind = (call: SyntaxNode): string | undefined => {
          const qualified = model.callee(call);
          if (qualified && DATAFRAME_BUILDERS.has(qualified)) return 'a DataFrame';
          if (llmCallSdk(model, call)) return 'an LLM call';
          const method = model.method(call);
          if (method && !qualified && SYNC_INFERENCE_METHODS.has(method.name)) return `\`${method.name}\``;
          // A chat model's own method (`model.chat(tokenizer, prompt, history=...)` of ChatGLM and Qwen).
          if (method && !qualified && CHAT_METHODS.has(method.name) && MODEL_RECEIVER.test(dottedText(method.receiver) ?? '')) return `\`${method.name}\``;
          return undefined;
        };
        /** A function of this file whose body calls a sink (one level). */
        const helperSink = (call: SyntaxNode): boolean => {
          const fn = model.functionOf(call);
          if (fn?.type !== 'identifier' || model.callee(call)) return false;
          const name = fn.text;
          let known = helperSinks.get(name);
          if (known === undefined) {
            const defs = model.functionsNamed(name);
            helperSinks.set(name, (known = defs.some((def) => descendants(def, 'call').some((c) => sinkKind(c) !== undefined))));
          }
          return known;
        };
        const argumentsOf = (call: SyntaxNode): SyntaxNode[] => [...positionalArguments(call), ...keywordArguments(call).values()];
        const isValidation = (call: SyntaxNode, source: RequestSource): boolean => {
          const args = argumentsOf(call);
          const splats = call.childForFieldName('arguments')?.namedChildren.filter((c) => c?.type === 'dictionary_splat' || c?.type === 'list_splat') ?? [];
          if (![...args, ...splats].some((arg) => arg && carries(arg, source.tainted, source.node))) return false;
          const qualified = model.callee(call);
          if (qualified && VALIDATE_FUNCTIONS.has(qualified)) return true;
          const method = model.method(call);
          if (method && VALIDATE_METHODS.has(method.name) && !(qualified && NOT_VALIDATORS.test(qualified))) return true;
          // `Model(**payload)`, `Ticket(text=payload["text"])`: a class constructor (pydantic, dataclass, attrs).
          const fn = model.functionOf(call);
          const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
          if (
            name &&
            /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(name) &&
            !(qualified && (NOT_VALIDATORS.test(qualified) || DATAFRAME_BUILDERS.has(qualified)))
          )
            return true;
          return false;
        };
        /** `if "text" not in data: abort(400)` / `if not isinstance(payload, dict): raise HTTPException(...)`. */
        const rejects = (statement: SyntaxNode, source: RequestSource): boolean => {
          const condition = statement.childForFieldName('condition');
          const consequence = statement.childForFieldName('consequence');
          if (!condition || !consequence || !carries(condition, source.tainted, source.node)) return false;
          const last = consequence.lastNamedChild;
          return (
            last?.type === 'raise_statement' ||
            last?.type === 'return_statement' ||
            (last?.type === 'expression_statement' &&
              /^(flask\.abort|abort|werkzeug\.exceptions\.abort)/.test(
                model.callee(last.namedChild(0)?.type === 'call' ? last.namedChild(0)! : last) ?? last.text,
              ))
          );
        };

        for (const handler of handlers) {
          const raw = handler.sources.filter((s) => s.kind === 'raw');
          if (raw.length === 0) continue;
          const calls = descendants(handler.body, 'call');
          const ifs = descendants(handler.body, 'if_statement');
          for (const source of raw) {
            if (calls.some((call) => isValidation(call, source)) || ifs.some((statement) => rejects(statement, source))) continue;
            let reached: string | undefined;
            for (const call of calls) {
              if (call.startIndex < source.node.startIndex && !(call.endIndex >= source.node.endIndex)) continue;
              const kind = sinkKind(call) ?? (helperSink(call) ? `\`${model.functionOf(call)!.text}()\`, which calls a model` : undefined);
              if (!kind) continue;
              const args = call.childForFieldName('arguments');
              if (args && carries(args, source.tainted, source.node)) {
                reached = kind;
                break;
              }
            }
            if (!reached) continue;
            context.report({
              node: source.node,
              message: `Raw request data (${source.what}) reaches ${reached} in \`${handler.name}\` with no schema validation: a missing or mistyped field fails deep in the model or silently mis-scores; declare a pydantic model for the payload (or validate it with marshmallow/jsonschema) and reject bad requests with a 4xx`,
            });
          }
        }
      },
    };
  },
});
