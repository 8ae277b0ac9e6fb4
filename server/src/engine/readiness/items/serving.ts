import * as path from 'node:path';
import { defineItem, needsAttestation, SCAFFOLD, ATTEST_URL } from '../item';
import {
  configScalars,
  DEMO_UI_LIBS,
  docLines,
  excerpt,
  ev,
  importEvidence,
  limit,
  matchesAny,
  namesEvidence,
  pythonFiles,
  SERVING_LIBS,
  stringEvidence,
  dedupe,
} from '../detect';
import type { Evidence } from '../types';
import { perWorkspace, type Workspace } from '../workspace';

type Manifest = { path: string; doc: number; kind: string; value: Record<string, unknown>; line: number };

/** Kubernetes-style manifests, found once per workspace: six checks ask, and each search reads every YAML file's text. */
const manifests: (ws: Workspace) => readonly Manifest[] = perWorkspace(findManifests);

/** Kubernetes-style manifests: YAML documents with `apiVersion` and `kind`. */
function findManifests(ws: Workspace): Manifest[] {
  const out: Manifest[] = [];
  for (const rel of ws.textFiles()) {
    if (!/\.ya?ml$/i.test(rel) || /(^|\/)\.github\//.test(rel)) continue;
    const text = ws.text(rel) ?? '';
    if (!/^\s*kind\s*:/m.test(text) || !/^\s*apiVersion\s*:/m.test(text)) continue; // cheap guard before parsing
    const file = ws.yaml(rel);
    file?.docs.forEach((doc, index) => {
      const value = doc.value as Record<string, unknown> | null;
      if (value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.apiVersion === 'string') {
        out.push({ path: rel, doc: index, kind: value.kind, value, line: file.line(index, ['kind']) });
      }
    });
  }
  return out;
}
export { manifests };

const PREDICT_METHODS = ['predict', 'predict_proba', 'predict_batch', 'transform', 'generate', 'batch_predict', 'score_samples', 'decision_function'];
const WRITE_METHOD = /^(to_csv|to_parquet|to_sql|to_json|to_gbq|to_delta|write|write_\w+|insert\w*|upsert\w*|save|save_\w+|put_object|upload\w*|dump|dumps)$/;
const LOAD_METHOD = /^(load|load_model|load_state_dict|from_pretrained|InferenceSession|get_model)$/;
const EVALUATION_CALLS = ['sklearn.metrics', 'torchmetrics', 'evaluate.load', 'mlflow.evaluate'];
/** Platforms that run a model behind a predictor class. */
const PREDICTOR_BASES = /^(cog\.BasePredictor|bentoml\.|kserve\.Model|mlserver\.MLModel|ts\.torch_handler\.|truss\.)/;

/**
 * A batch scoring job: a module (not a test, not a service) that loads a model, predicts and
 * writes the predictions somewhere, and neither trains nor evaluates (a training or evaluation
 * script also predicts and writes, but it is not an entry point).
 */
function batchJobs(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, { roles: ['code'], serving: false })) {
    const predict = facts.calls.find((call) => PREDICT_METHODS.includes(call.method));
    const write = facts.calls.find((call) => WRITE_METHOD.test(call.method));
    const load = facts.calls.find((call) => LOAD_METHOD.test(call.method) || /\.load_model$|^(joblib|pickle|torch)\.load$/.test(call.name));
    const trains = facts.calls.some((call) => ['fit', 'partial_fit', 'train'].includes(call.method));
    const evaluates = facts.calls.some((call) => matchesAny(call.name, EVALUATION_CALLS));
    if (predict && write && load && !trains && !evaluates)
      out.push(
        ev(facts.path, predict.line, `batch scoring: loads a model (\`${load.method}()\`), \`${predict.method}()\`, then \`${write.method}()\``, predict.cell),
      );
  }
  return out;
}

/** Serving platforms' specs (YAML): Cog, BentoML, Truss, Ray Serve/Anyscale services. */
function platformSpecs(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const rel of ws.textFiles().filter((r) => /\.ya?ml$/i.test(r) && !/(^|\/)\.github\//.test(r))) {
    const base = path.posix.basename(rel);
    const value = /^(cog|bentofile|config|.*serve.*|.*service.*)\.ya?ml$/i.test(base)
      ? (ws.yaml(rel)?.docs[0]?.value as Record<string, unknown> | undefined)
      : undefined;
    if (!value || typeof value !== 'object') continue;
    if (base.startsWith('cog.') && typeof value.predict === 'string') out.push(ev(rel, 1, `Cog predictor \`${value.predict}\``));
    else if (base.startsWith('bentofile.') && value.service !== undefined) out.push(ev(rel, 1, `BentoML service \`${String(value.service)}\``));
    else if (base === 'config.yaml' && typeof value.model_class_name === 'string') out.push(ev(rel, 1, 'Truss model configuration'));
    else if (
      value.ray_serve_config !== undefined ||
      (Array.isArray(value.applications) && value.applications.some((app) => app && typeof app === 'object' && 'import_path' in app))
    )
      out.push(ev(rel, 1, 'Ray Serve application config'));
  }
  return out;
}

function servingEvidence(ws: Workspace): { services: Evidence[]; batch: Evidence[]; demos: Evidence[]; specs: Evidence[] } {
  const services = [
    ...importEvidence(ws, SERVING_LIBS, { roles: ['code'] }, 'serves with'),
    ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
      facts.classes
        .filter((cls) => cls.bases.some((b) => PREDICTOR_BASES.test(b)))
        .map((cls) => ev(facts.path, cls.line, `\`${cls.name}\` is a \`${cls.bases.find((b) => PREDICTOR_BASES.test(b))}\` predictor`, cls.cell)),
    ),
  ];
  const batch = batchJobs(ws);
  const demos = importEvidence(ws, DEMO_UI_LIBS, { roles: ['code'] }, 'demo UI with');
  const specs = [
    ...platformSpecs(ws),
    ...ws.findByName(/^config\.pbtxt$/).map((rel) => ev(rel, 1, 'Triton model configuration')),
    ...ws.find(/(^|\/)(model[-_]store\/.*\.mar|torchserve[^/]*\/config\.properties)$/).map((rel) => ev(rel, 1, 'TorchServe configuration')),
    ...manifests(ws)
      .filter((m) => /^(InferenceService|SeldonDeployment|ServingRuntime)$/.test(m.kind))
      .map((m) => ev(m.path, m.line, `${m.kind} manifest`)),
  ];
  return { services, batch, demos, specs };
}

export const entryPoint = defineItem({
  id: 'serving-entry-point',
  category: 'serving',
  title: 'A serving entry point exists',
  why: 'A model in a notebook helps nobody until something calls it. A service (FastAPI, Flask, BentoML, Triton, TorchServe, KServe) or a batch scoring job is the boundary where the model meets the systems and people that use its predictions.',
  detection:
    'A module importing a web or model-serving framework (FastAPI, Flask, Starlette, Litestar, BentoML, Ray Serve, KServe, Seldon, MLServer, LitServe, Cog); a Cog, BentoML, Truss, Ray Serve or Triton spec, or a TorchServe/KServe/Seldon manifest; or a batch scoring job (a module that loads a model, predicts and writes the results, and neither trains nor evaluates). A Streamlit/Gradio demo alone is partial.',
  attestable: 'yes',
  action: { title: 'Generate a FastAPI service with a typed request/response contract', command: SCAFFOLD.api },
  check(ws) {
    const { services, batch, demos, specs } = servingEvidence(ws);
    if (services.length + batch.length + specs.length > 0)
      return { status: 'pass', summary: 'The model is served.', evidence: limit([...services, ...specs, ...batch]) };
    if (demos.length > 0) return { status: 'partial', summary: 'Only a demo UI serves the model; other systems cannot call it.', evidence: limit(demos) };
    return { status: 'fail', summary: 'No service, serving configuration or batch scoring job found.' };
  },
});

function hasServing(ws: Workspace): boolean {
  const { services, batch, demos, specs } = servingEvidence(ws);
  return services.length + batch.length + demos.length + specs.length > 0;
}

/** A real entry point (a service, a batch job, a platform spec), not a demo UI. */
function hasEntryPoint(ws: Workspace): boolean {
  const { services, batch, specs } = servingEvidence(ws);
  return services.length + batch.length + specs.length > 0;
}

const CONTRACT_BASES =
  /^(pydantic(\.v1)?\.(BaseModel|RootModel)|msgspec\.Struct|marshmallow\.Schema|attrs?\.|bentoml\.io\.|typing\.TypedDict|typing_extensions\.TypedDict|pandera(\.\w+)*\.(DataFrameModel|SchemaModel)|sqlmodel\.SQLModel)/;

function contractClasses(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, { roles: ['code'] })) {
    for (const cls of facts.classes) {
      const base = cls.bases.find((b) => CONTRACT_BASES.test(b));
      if (base) out.push(ev(facts.path, cls.line, `\`${cls.name}\` is a \`${base}\``, cls.cell));
    }
    // A Cog predictor's `predict(name: type = Input(...))` is its typed contract (Cog publishes it as OpenAPI).
    const input = facts.calls.find((call) => call.name === 'cog.Input');
    if (input) out.push(ev(facts.path, input.line, 'typed `cog.Input(...)` parameters of the predictor', input.cell));
  }
  return out;
}

function schemaFiles(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const rel of ws.textFiles()) {
    const base = path.posix.basename(rel);
    if (/\.schema\.json$/i.test(base) || /^openapi\.(json|ya?ml)$/i.test(base) || /^swagger\.(json|ya?ml)$/i.test(base)) {
      const data = rel.endsWith('.json') ? ws.json(rel) : ws.yaml(rel)?.docs[0]?.value;
      if (data && typeof data === 'object') {
        const kind = 'openapi' in data || 'swagger' in data ? 'OpenAPI document' : 'JSON Schema';
        out.push(ev(rel, 1, kind));
      }
    }
  }
  return out;
}

export const typedContract = defineItem({
  id: 'serving-typed-contract',
  category: 'serving',
  title: 'The API has a typed contract',
  why: 'Callers need to know what to send and what comes back. A typed request and response (pydantic models, an OpenAPI document, a JSON Schema) makes the contract explicit, documents it, rejects malformed requests, and lets a change to it be reviewed.',
  detection:
    'Applies with a serving entry point (a service, a batch job or a serving spec; a demo UI is not one). pydantic `BaseModel` (or msgspec, marshmallow, TypedDict, pandera `DataFrameModel`) classes in application code, typed Cog `Input` parameters, or an OpenAPI/JSON Schema file (`openapi.yaml`, `*.schema.json`).',
  attestable: 'yes',
  action: { title: 'Declare pydantic request and response models for the prediction endpoint', command: SCAFFOLD.api },
  check(ws) {
    if (!hasEntryPoint(ws)) return { status: 'fail', summary: 'No serving entry point (service, batch job or serving spec), so no contract.' };
    const evidence = [...contractClasses(ws), ...schemaFiles(ws)];
    if (evidence.length > 0) return { status: 'pass', summary: 'Requests and responses are typed.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'The service takes and returns untyped data (dicts, raw JSON).' };
  },
});

const CONSTRAINT_KEYWORDS = new Set([
  'ge',
  'gt',
  'le',
  'lt',
  'min_length',
  'max_length',
  'pattern',
  'regex',
  'multiple_of',
  'min_items',
  'max_items',
  'allow_inf_nan',
  'choices',
  'isin',
  'notin',
  'in_range',
  'str_matches',
  'str_length',
  'unique_values_eq',
]);
/** Field declarations that take constraints: pydantic, pandera, Cog inputs, SQLModel, msgspec. */
const FIELD_CALLS = /^(pydantic(\.v1)?\.(Field|conint|confloat|constr|conlist|condecimal)|pandera(\.\w+)*\.Field|cog\.Input|sqlmodel\.Field|msgspec\.Meta)$/;

export const inputValidation = defineItem({
  id: 'serving-input-validation',
  category: 'serving',
  title: 'Inputs are validated beyond their types',
  why: 'An age of -3 or 400 is a valid integer. A model extrapolates silently on values it never saw in training; range checks and allowed values reject such requests with a clear error instead of returning a confident, meaningless prediction.',
  detection:
    'Applies with a serving entry point. Constrained fields (pydantic `Field(ge=…, le=…, pattern=…)`, `conint`/`confloat`/`constr`, pandera `Field`/`Check`, Cog `Input(ge=, le=, choices=)`), `Literal` or `Enum` types, `@validator`/`@field_validator` in application code; or `minimum`/`maximum`/`enum` in a JSON Schema/OpenAPI file.',
  attestable: 'yes',
  action: { title: 'Add ranges and allowed values to the request model (Field(ge=..., le=...), Literal[...])', command: SCAFFOLD.api },
  check(ws) {
    if (!hasEntryPoint(ws)) return { status: 'fail', summary: 'No serving entry point, so no inputs to validate.' };
    const evidence: Evidence[] = [];
    for (const facts of pythonFiles(ws, { roles: ['code'] })) {
      for (const call of facts.calls) {
        const constraints = call.keywords.filter((keyword) => CONSTRAINT_KEYWORDS.has(keyword));
        if (FIELD_CALLS.test(call.name) && (constraints.length > 0 || /^con/.test(call.method))) {
          evidence.push(ev(facts.path, call.line, `\`${call.method}(${constraints.map((c) => `${c}=`).join(', ')})\` constrains a field`, call.cell));
        } else if (/^marshmallow\.validate\.|^pandera(\.\w+)*\.Check(\.|$)/.test(call.name)) {
          evidence.push(ev(facts.path, call.line, `\`${call.name}\` validator`, call.cell));
        }
      }
      for (const fn of facts.functions) {
        const validator = fn.decorators.find((d) => /^pydantic(\.v1)?\.(validator|field_validator|model_validator|root_validator)$/.test(d.name));
        if (validator) evidence.push(ev(facts.path, fn.line, `\`@${validator.name.split('.').pop()}\` on \`${fn.name}\``, fn.cell));
      }
      for (const imp of facts.imports)
        if (/^(typing|typing_extensions)\.Literal$/.test(imp.module))
          evidence.push(ev(facts.path, imp.line, 'uses `Literal[...]` for allowed values', imp.cell));
      for (const cls of facts.classes)
        if (cls.bases.some((b) => /^enum\.(Enum|StrEnum|IntEnum)$/.test(b)))
          evidence.push(ev(facts.path, cls.line, `\`${cls.name}\` enumerates allowed values`, cls.cell));
    }
    for (const rel of ws.textFiles().filter((r) => /(\.schema\.json|^openapi\.(json|ya?ml)|\/openapi\.(json|ya?ml))$/i.test(r))) {
      const scalars = ws.scalars(rel);
      const constrained = scalars.find((s) =>
        s.keys.some((k) => k === 'minimum' || k === 'maximum' || k === 'enum' || k === 'pattern' || k === 'exclusiveMinimum' || k === 'exclusiveMaximum'),
      );
      if (constrained)
        evidence.push(
          ev(
            rel,
            constrained.line,
            `\`${constrained.keys
              .filter((k) => typeof k === 'string')
              .slice(-2)
              .join('.')}\` constrains the input`,
          ),
        );
    }
    if (evidence.length > 0) return { status: 'pass', summary: 'Inputs are checked against ranges or allowed values.', evidence: limit(dedupe(evidence)) };
    if (contractClasses(ws).length > 0)
      return { status: 'partial', summary: 'Inputs are typed, but any value of the right type is accepted.', evidence: limit(contractClasses(ws)) };
    return { status: 'fail', summary: 'Inputs are not validated.' };
  },
});

export const versioned = defineItem({
  id: 'serving-versioned',
  category: 'serving',
  title: 'Endpoints or model versions are versioned',
  why: 'Clients break when a response changes shape, and a prediction cannot be explained later unless it is known which model made it. A versioned route (`/v1/predict`) and a model version in each response make both changes safe.',
  detection:
    'A versioned route (`/v1/…`) in a serving module, a model registry URI (`models:/name/3`, `models:/name@champion`), a `model_version` name or key in application code, or a service started on an identified model (a run id, a model URI or alias).',
  attestable: 'yes',
  action: { title: 'Serve under /v1/ and return the model version with each prediction', command: SCAFFOLD.api },
  check(ws) {
    const routes = stringEvidence(ws, /(^|\/)v\d+(\/|$)/, { roles: ['code'], serving: true }, (match) => `versioned route \`${match.replace(/^\//, '/')}\``);
    const registry = stringEvidence(ws, /^models:\/[\w.-]+(\/\d+|@[\w-]+|\/[A-Z][a-z]+)/, { roles: ['code'] }, (match) => `loads a pinned model \`${match}\``);
    const names = [
      ...namesEvidence(ws, /^model_?version$/i, { roles: ['code'] }),
      ...stringEvidence(ws, /^model_?version$/i, { roles: ['code'] }, () => 'returns `model_version`'),
      // A service started on one tracked run or registry version serves that identified model.
      ...namesEvidence(ws, /^(run_id|model_run_id|model_uri|model_alias)$/i, { roles: ['code'], serving: true }, 'serves an identified model:'),
    ];
    const evidence = [...routes, ...registry, ...names];
    if (evidence.length > 0) return { status: 'pass', summary: 'Routes or model versions are versioned.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'Neither the endpoints nor the served model carry a version.' };
  },
});

export const container = defineItem({
  id: 'serving-container',
  category: 'serving',
  title: 'A container or deployment spec exists',
  why: '"It works on my machine" is not a deployment. A Dockerfile or deployment manifest pins the runtime, the system libraries and the start command, so the model runs the same in CI, staging and production.',
  detection:
    'A Dockerfile/Containerfile, compose file, Kubernetes manifest, Helm chart, serverless/App Engine/Fly/Railway config, Procfile, Databricks bundle, or a container or environment spec of a platform (Cog `build`, a bentofile, an Anyscale/Ray cluster environment, Azure ML environment, SkyPilot task, Truss config, a Modal image). Partial when no base image or runtime is pinned (untagged or `:latest` only).',
  attestable: 'yes',
  action: {
    title: 'Add a Dockerfile with a pinned base image for the service',
    command: SCAFFOLD.api,
    url: 'https://docs.docker.com/build/building/best-practices/',
  },
  check(ws) {
    const dockerfiles = ws.findByName(/^(Dockerfile|Containerfile)(\..+)?$|\.dockerfile$/i);
    const evidence: Evidence[] = [];
    let pinnedBase = dockerfiles.length === 0;
    for (const rel of dockerfiles) {
      const lines = (ws.text(rel) ?? '').split(/\r?\n/);
      const froms = lines.map((line, index) => ({ match: /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(line), index })).filter((f) => f.match);
      for (const { match, index } of froms) {
        const image = match![1];
        const tagged = /@sha256:|:[\w.-]+$/.test(image.replace(/^[^/]*:\d+\//, '')) && !/:latest$/.test(image);
        if (tagged) pinnedBase = true;
        evidence.push(ev(rel, index + 1, `base image \`${image}\`${tagged ? '' : ' is not pinned to a version'}`));
      }
      if (froms.length === 0) evidence.push(ev(rel, 1, 'Dockerfile'));
    }
    evidence.push(
      ...ws.findByName(/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/).map((rel) => ev(rel, 1, 'Compose file')),
      ...manifests(ws)
        .filter(
          (m) =>
            /^(Deployment|StatefulSet|Service|CronJob|Job|InferenceService|Rollout|SeldonDeployment|Knative|Route)$/.test(m.kind) ||
            /serving\.knative/.test(String(m.value.apiVersion)),
        )
        .map((m) => ev(m.path, m.line, `Kubernetes ${m.kind}`)),
      ...ws
        .findByName(
          /^(Chart\.yaml|serverless\.ya?ml|fly\.toml|Procfile|app\.ya?ml|skaffold\.ya?ml|render\.ya?ml|vercel\.json|modal\.toml|railway\.(json|toml)|apprunner\.ya?ml)$/,
        )
        .filter((rel) => !/app\.ya?ml$/.test(rel) || /^\s*runtime\s*:/m.test(ws.text(rel) ?? ''))
        .map((rel) => ev(rel, 1, `deployment spec (${path.posix.basename(rel)})`)),
    );
    evidence.push(
      ...ws
        .findByName(/^databricks\.ya?ml$/)
        .filter((rel) => /^bundle\s*:/m.test(ws.text(rel) ?? ''))
        .map((rel) => ev(rel, 1, 'Databricks Asset Bundle')),
    );
    const environments = environmentSpecs(ws);
    evidence.push(...environments.map((spec) => spec.evidence));
    if (environments.some((spec) => spec.pinned)) pinnedBase = true;
    if (evidence.length === 0) return { status: 'fail', summary: 'No container or deployment specification found.' };
    if (!pinnedBase) return { status: 'partial', summary: 'A Dockerfile exists, but its base image floats with every build.', evidence: limit(evidence) };
    return { status: 'pass', summary: 'The runtime is specified as a container or deployment.', evidence: limit(evidence) };
  },
});

/**
 * Container and cloud environment specs that are not Dockerfiles: Cog's `build` (it builds the
 * image), BentoML's `docker`, Anyscale/Ray cluster environments (`base_image`), SkyPilot tasks,
 * Azure ML environments, Truss configs, and Modal images in code. `pinned` when the runtime is
 * pinned (a Python version, a tagged base image).
 */
function environmentSpecs(ws: Workspace): { evidence: Evidence; pinned: boolean }[] {
  const out: { evidence: Evidence; pinned: boolean }[] = [];
  const tagged = (image: unknown): boolean =>
    typeof image === 'string' && /@sha256:|:[\w.-]+$/.test(image.replace(/^[^/]*:\d+\//, '')) && !/:latest$/.test(image);
  for (const rel of ws.textFiles().filter((r) => /\.ya?ml$/i.test(r) && !/(^|\/)\.github\//.test(r))) {
    const text = ws.text(rel) ?? '';
    if (!/^(build|docker|base_image|image|resources|\$schema|model_class_name|environment)\s*:/m.test(text)) continue; // cheap guard before parsing
    const value = ws.yaml(rel)?.docs[0]?.value as Record<string, unknown> | undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const base = path.posix.basename(rel);
    const build = value.build as Record<string, unknown> | undefined;
    if (base.startsWith('cog.') && build && typeof build === 'object') {
      out.push({
        evidence: ev(rel, 1, `Cog container build${build.python_version ? ` (Python ${String(build.python_version)})` : ''}`),
        pinned: build.python_version !== undefined,
      });
    } else if (base.startsWith('bentofile.')) {
      const docker = value.docker as Record<string, unknown> | undefined;
      out.push({ evidence: ev(rel, 1, 'BentoML builds the container (bentofile)'), pinned: Boolean(docker?.python_version || docker?.base_image) });
    } else if (
      value.base_image !== undefined &&
      (value.python !== undefined || value.debian_packages !== undefined || value.post_build_cmds !== undefined || value.env_vars !== undefined)
    ) {
      out.push({ evidence: ev(rel, 1, `cluster environment on \`${String(value.base_image)}\``), pinned: tagged(value.base_image) });
    } else if (typeof value.$schema === 'string' && /azureml/i.test(value.$schema) && value.image !== undefined) {
      out.push({ evidence: ev(rel, 1, `Azure ML environment on \`${String(value.image)}\``), pinned: tagged(value.image) });
    } else if (value.resources !== undefined && typeof value.run === 'string' && (value.setup !== undefined || value.workdir !== undefined)) {
      out.push({ evidence: ev(rel, 1, 'SkyPilot task'), pinned: false });
    } else if (base === 'config.yaml' && typeof value.model_class_name === 'string') {
      out.push({ evidence: ev(rel, 1, 'Truss container configuration'), pinned: typeof value.python_version === 'string' });
    }
  }
  for (const facts of pythonFiles(ws, { roles: ['code'] })) {
    const image = facts.calls.find((call) => /^modal\.Image\./.test(call.name));
    if (image)
      out.push({
        evidence: ev(facts.path, image.line, `Modal image \`${image.name}()\``, image.cell),
        pinned: image.keywords.includes('python_version') || image.strings.some((s) => /:[\w.-]+$/.test(s)),
      });
  }
  return out;
}

const SLO_WORDS = /\b(latency|p50|p90|p95|p99(\.9)?|response time|throughput|qps|rps|requests? per second|slo|sla)\b/i;
const SLO_NUMBER = /\d+(\.\d+)?\s*(ms|milliseconds?|s\b|seconds?|req(uests)?\s*\/\s*s|rps|qps|requests? per (second|minute)|\/s\b|%)/i;
const SLO_KEY = /(latency|p9\d|throughput|qps|rps|slo|response_time)/i;

export const latencyTargets = defineItem({
  id: 'serving-slo',
  category: 'serving',
  title: 'Latency and throughput targets are written down',
  why: 'A model that takes two seconds per prediction may be fine for a nightly batch and useless in a checkout flow. Written targets decide the model size, the hardware and the batching, and they are what monitoring alerts on.',
  detection:
    'A document line naming latency, a percentile (p95, p99), throughput, QPS/RPS or an SLO together with a number and unit (`p95 < 200 ms`), or a configuration key such as `latency_p95_ms: 200`.',
  attestable: 'yes',
  action: { title: 'Write the latency (p95) and throughput targets in the README or service config' },
  check(ws) {
    const docs = docLines(ws, SLO_WORDS).filter((line) => SLO_NUMBER.test(line.text));
    const config = configScalars(ws).filter((s) => typeof s.value === 'number' && s.keys.some((k) => typeof k === 'string' && SLO_KEY.test(k)));
    const evidence = [
      ...docs.map((line) => ev(line.path, line.line, `"${excerpt(line.text)}"`)),
      ...config.map((s) => ev(s.path, s.line, `\`${s.keys.join('.')}\` = ${s.value}`)),
    ];
    if (evidence.length > 0) return { status: 'pass', summary: 'Service targets are written down.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'No latency or throughput target found.' };
  },
});

export const batchOrRealtime = defineItem({
  id: 'serving-batch-vs-realtime',
  category: 'serving',
  title: 'Batch versus real-time is decided',
  why: 'Scoring every customer nightly and answering each request within 100 ms are different systems, with different costs, failure modes and freshness. The choice should be made on purpose, from how fresh the predictions must be, before the serving code is built.',
  detection: 'Code cannot show the reasoning: attest it in `[tool.mlready.readiness]` with a note saying which mode was chosen and why.',
  attestable: 'only',
  action: { title: 'Decide batch or real-time from the freshness the decision needs, then attest it', url: ATTEST_URL },
  check: () => needsAttestation('the serving mode is chosen'),
});

export const SERVING_ITEMS = [entryPoint, typedContract, inputValidation, versioned, container, latencyTargets, batchOrRealtime];
export { hasServing };
