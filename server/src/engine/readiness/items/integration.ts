import { defineItem, SCAFFOLD } from '../item';
import { isTestPath } from '../workspace';
import { projectShape } from '../shape';
import { callEvidence, dedupe, findingEvidence, importEvidence, limit, namesEvidence, plural, pythonFiles, stringEvidence } from '../detect';

const FALLBACK_NAMES = /fallback|escalat|human_?review|manual_?review|abstain|default_?prediction|baseline_?model|circuit_?breaker|degrad/i;
const CONFIDENCE_NAMES = /^(min_|max_)?(confidence|proba(bility)?|score)_?(threshold|cutoff|floor)$|^(threshold|decision_threshold|CONFIDENCE|MIN_CONFIDENCE)$/i;

export const fallback = defineItem({
  id: 'integration-fallback',
  category: 'integration',
  title: 'A fallback exists when the model is unavailable or unsure',
  why: 'Models fail to load, time out, and are sometimes confidently wrong on inputs unlike their training data. A rule-based default, a confidence threshold that routes doubtful cases to a person, or a cached answer keeps the product working when the model does not.',
  detection: 'In application code: a function, class or name for a fallback, escalation, human review, abstention or default prediction, or a confidence threshold used beside `predict_proba`.',
  attestable: 'yes',
  action: { title: 'Add a fallback path and a confidence threshold around the model call', command: SCAFFOLD.fallback },
  check(ws) {
    const named = namesEvidence(ws, FALLBACK_NAMES, { roles: ['code'] });
    const thresholds = namesEvidence(ws, CONFIDENCE_NAMES, { roles: ['code'], serving: true }).filter((item) => {
      const facts = ws.python.find((f) => f.path === item.path);
      return facts?.calls.some((call) => call.method === 'predict_proba' || call.method === 'decision_function' || /softmax|sigmoid/.test(call.method));
    });
    const evidence = dedupe([...named, ...thresholds.map((item) => ({ ...item, note: `${item.note} (confidence threshold)` }))]);
    if (evidence.length > 0) return { status: 'pass', summary: 'The model call has a fallback path.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'Nothing handles an unavailable or unsure model.' };
  },
});

const HTTP_CLIENTS = ['requests', 'httpx', 'urllib3', 'aiohttp', 'urllib.request', 'http.client'];

export const timeouts = defineItem({
  id: 'integration-timeouts',
  category: 'integration',
  title: 'Outbound calls have timeouts',
  why: '`requests.get` without a timeout waits forever on a server that stopped answering. In a prediction service one slow dependency then holds every worker, and the whole service stops without an error.',
  detection: 'Applies when an HTTP client (requests, httpx, urllib3, aiohttp, urllib) is imported. Fails while the `request-without-timeout` rule reports findings.',
  attestable: 'no',
  action: { title: 'Pass timeout= to every outbound call; the quick fix of request-without-timeout adds it', rule: 'request-without-timeout' },
  check(ws) {
    // Production code only: a notebook that pokes the service with requests is exploration, not a dependency.
    const clients = importEvidence(ws, HTTP_CLIENTS, { roles: ['code'] });
    if (clients.length === 0) return { status: 'not-applicable', summary: 'The application code makes no outbound HTTP calls.' };
    const findings = findingEvidence(ws, 'request-without-timeout').filter((item) => !item.path.endsWith('.ipynb') && !isTestPath(item.path));
    if (findings.length > 0) return { status: 'fail', summary: `${plural(findings.length, 'outbound call')} without a timeout.`, evidence: limit(findings) };
    const withTimeout = callEvidence(ws, { names: HTTP_CLIENTS, keyword: 'timeout' }, { roles: ['code'] }, (name) => `\`${name}()\` has a timeout`);
    return { status: 'pass', summary: 'Every outbound call has a timeout.', evidence: limit(withTimeout.length ? withTimeout : clients) };
  },
});

export const errorsSurfaced = defineItem({
  id: 'integration-errors-surfaced',
  category: 'integration',
  title: 'Errors are not swallowed',
  why: '`except Exception: pass` turns a failed feature lookup into a prediction on missing data, and an outage into silence. Errors should be handled specifically, logged, and surfaced to the caller or the fallback.',
  detection: 'Applies when the code has `try` statements. Fails while the `swallowed-error` rule reports findings.',
  attestable: 'no',
  action: { title: 'Catch specific exceptions and log or re-raise them', rule: 'swallowed-error' },
  check(ws) {
    const tries = pythonFiles(ws).reduce((sum, facts) => sum + facts.tryCount, 0);
    const findings = findingEvidence(ws, 'swallowed-error');
    if (findings.length > 0) return { status: 'fail', summary: `${plural(findings.length, 'error')} swallowed.`, evidence: limit(findings) };
    if (tries === 0) return { status: 'not-applicable', summary: 'The code has no exception handlers.' };
    return { status: 'pass', summary: `${plural(tries, 'exception handler')}, none swallowing errors.` };
  },
});

const SAVERS = ['pickle.dump', 'joblib.dump', 'torch.save', 'dill.dump', 'cloudpickle.dump', 'skops.io.dump', 'safetensors.torch.save_file'];
const LOADING = ['pickle', 'joblib', 'cloudpickle', 'dill', 'torch.load', 'tensorflow.keras.models.load_model', 'keras.models.load_model', 'mlflow', 'onnxruntime', 'transformers', 'xgboost', 'lightgbm', 'skops', 'safetensors'];

export const safeLoading = defineItem({
  id: 'integration-safe-model-loading',
  category: 'integration',
  title: 'Models are loaded safely, once',
  why: 'Unpickling runs arbitrary code from the file, so a model file from the wrong place is remote code execution. And a model loaded inside the request handler adds its load time to every prediction.',
  detection: 'Applies when the code serialises or loads models (pickle, joblib, torch, Keras, MLflow, ONNX, …). Fails while the `unsafe-deserialization` or `model-load-per-request` rule reports findings.',
  attestable: 'no',
  action: { title: 'Load the model once at start-up from a trusted, versioned source (skops, safetensors, ONNX, or a checksummed pickle)', rule: 'unsafe-deserialization' },
  check(ws) {
    // Applies when models are loaded or saved, not when a library that could is merely imported.
    const loaders = [...projectShape(ws).modelUse, ...callEvidence(ws, { names: SAVERS, methods: ['save_model', 'log_model', 'save_pretrained'] }, { roles: ['code', 'notebook'] }, (name) => `saves a model with \`${name}()\``)];
    const unsafe = findingEvidence(ws, 'unsafe-deserialization');
    const perRequest = findingEvidence(ws, 'model-load-per-request');
    if (unsafe.length + perRequest.length > 0) {
      const parts = [unsafe.length ? `${plural(unsafe.length, 'unsafe deserialisation')}` : '', perRequest.length ? `${plural(perRequest.length, 'model load')} per request` : ''].filter(Boolean);
      return { status: 'fail', summary: `${parts.join(' and ')}.`, evidence: limit([...perRequest, ...unsafe]) };
    }
    if (loaders.length === 0) return { status: 'not-applicable', summary: 'The code neither saves nor loads models.' };
    const safe = stringEvidence(ws, /\.(onnx|safetensors|skops)$/, { roles: ['code'] }, (m) => `loads a \`${m}\` file`);
    return { status: 'pass', summary: 'Model loading has no unsafe or per-request loads.', evidence: limit(safe.length ? safe : loaders) };
  },
});

export const INTEGRATION_ITEMS = [fallback, timeouts, errorsSurfaced, safeLoading];
