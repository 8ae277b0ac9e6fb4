import { defineItem, SCAFFOLD } from '../item';
import { isTestPath } from '../workspace';
import { HTTP_CLIENT_MODULES, LLM_FALLBACK_APIS, LLM_FALLBACK_METHODS, MODEL_SAVERS } from '../../knowledge/index';
import { projectShape } from '../shape';
import { callEvidence, dedupe, ev, findingEvidence, importEvidence, limit, plural, pythonFiles, stringEvidence } from '../detect';
import type { Evidence } from '../types';
import type { Workspace } from '../workspace';

/** Methods that call a model (classic estimators, deep learning, LLM clients). */
const MODEL_CALLS = new Set([
  'predict',
  'predict_proba',
  'predict_log_proba',
  'decision_function',
  'generate',
  'invoke',
  'ainvoke',
  'create',
  'complete',
  'acomplete',
  'chat',
  'achat',
  'completion',
  'acompletion',
  'forward',
  'infer',
  'run_inference',
  'score',
]);
/** Where a model is usually held, and calls that load one. */
const MODEL_HOLDERS = /^(model|_model|clf|classifier|regressor|estimator|predictor|pipeline|pipe|llm|chain|booster|session)$/i;
const LOADER_CALL = /(^|\.)(load|load_model|from_pretrained|InferenceSession|Booster)$/;
/** What a confidence is usually held in (a probability, a score, a margin). */
const SCORE_WORDS = /^(probs?|proba\w*|probabilit\w*|confidence\w*|score\w*|certainty|margin|entropy|logits?|top_?p)$/i;
const SCORE_CALLS = new Set(['predict_proba', 'decision_function', 'softmax', 'sigmoid', 'predict_log_proba']);

/**
 * Fallbacks judged by what the code does, whatever it is called: a model call inside a `try` whose
 * handler answers (returns or assigns a value) instead of only logging or re-raising; a confidence
 * score compared with a threshold that replaces or routes the answer; a library fallback
 * (`with_fallbacks`, LiteLLM `fallbacks=`).
 */
function fallbackEvidence(ws: Workspace): Evidence[] {
  const out: Evidence[] = [];
  for (const facts of pythonFiles(ws, { roles: ['code'] })) {
    // A missing model answered with a default: `if model is None: return prior`.
    const loaded = new Set(
      facts.names.filter((n) => n.from && (LOADER_CALL.test(n.from) || MODEL_CALLS.has(n.from.slice(n.from.lastIndexOf('.') + 1)))).map((n) => n.name),
    );
    for (const check of facts.checks) {
      const model = check.names.find((name) => loaded.has(name) || MODEL_CALLS.has(name) || MODEL_HOLDERS.test(name));
      if (
        check.kind === 'if' &&
        check.none &&
        check.operators.length === 1 &&
        (check.operators[0] === 'is' || check.operators[0] === '==') &&
        model &&
        check.then.includes('return') &&
        check.names.length <= 3
      ) {
        out.push(ev(facts.path, check.line, `a missing model (\`${model}\`) is answered with a default`, check.cell));
      }
    }
    for (const t of facts.tries) {
      const calls = t.calls.some((name) => MODEL_CALLS.has(name.slice(name.lastIndexOf('.') + 1))) || t.mentions.some((name) => MODEL_CALLS.has(name));
      if (calls && t.handlers.some((effects) => effects.includes('return') || effects.includes('assign')))
        out.push(ev(facts.path, t.line, 'a failed model call is answered with a fallback (the handler returns a value)', t.cell));
    }
    if (facts.calls.some((call) => SCORE_CALLS.has(call.method))) {
      const scores = new Set(facts.names.filter((n) => n.from && SCORE_CALLS.has(n.from.slice(n.from.lastIndexOf('.') + 1))).map((n) => n.name));
      for (const check of facts.checks) {
        const score =
          check.calls.some((name) => SCORE_CALLS.has(name.slice(name.lastIndexOf('.') + 1))) ||
          check.names.some((name) => scores.has(name) || SCORE_WORDS.test(name));
        if (
          check.kind === 'if' &&
          check.compares &&
          score &&
          (check.number || check.names.length >= 2) &&
          (check.then.includes('assign') || check.then.includes('return'))
        ) {
          out.push(ev(facts.path, check.line, 'a low-confidence prediction is replaced or routed (confidence compared with a threshold)', check.cell));
        }
      }
    }
    for (const call of facts.calls) {
      if (LLM_FALLBACK_METHODS.includes(call.method) || call.keywords.includes('fallbacks') || LLM_FALLBACK_APIS.includes(call.name))
        out.push(ev(facts.path, call.line, `falls back to another model: \`${call.name}()\``, call.cell));
    }
  }
  return dedupe(out);
}

export const fallback = defineItem({
  id: 'integration-fallback',
  category: 'integration',
  title: 'A fallback exists when the model is unavailable or unsure',
  why: 'Models fail to load, time out, and are sometimes confidently wrong on inputs unlike their training data. A rule-based default, a confidence threshold that routes doubtful cases to a person, or a cached answer keeps the product working when the model does not.',
  detection:
    'Judged by behaviour in application code, whatever the names: a model call inside a `try` whose `except` answers (returns or assigns a value) rather than only logging or re-raising; a prediction score (`predict_proba`, softmax) compared with a threshold that replaces or routes the answer; a library fallback (LangChain `with_fallbacks`, LiteLLM `fallbacks=`, a fallback middleware).',
  attestable: 'yes',
  action: { title: 'Add a fallback path and a confidence threshold around the model call', command: SCAFFOLD.fallback },
  check(ws) {
    const evidence = fallbackEvidence(ws);
    if (evidence.length > 0) return { status: 'pass', summary: 'The model call has a fallback path.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'Nothing handles an unavailable or unsure model.' };
  },
});

/** HTTP client modules (engine/knowledge). */
const HTTP_CLIENTS = HTTP_CLIENT_MODULES;

export const timeouts = defineItem({
  id: 'integration-timeouts',
  category: 'integration',
  title: 'Outbound calls have timeouts',
  why: '`requests.get` without a timeout waits forever on a server that stopped answering. In a prediction service one slow dependency then holds every worker, and the whole service stops without an error.',
  detection:
    'Applies when application code (not notebooks or tests) imports an HTTP client (requests, httpx, urllib3, aiohttp, urllib). Fails while the `request-without-timeout` rule reports findings there.',
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

/** Functions that save a model (engine/knowledge). */
const SAVERS = [...MODEL_SAVERS.keys()];

export const safeLoading = defineItem({
  id: 'integration-safe-model-loading',
  category: 'integration',
  title: 'Models are loaded safely, once',
  why: 'Unpickling runs arbitrary code from the file, so a model file from the wrong place is remote code execution. And a model loaded inside the request handler adds its load time to every prediction.',
  detection:
    "Applies when the code loads or saves models (pickle, joblib, torch, Keras, MLflow, ONNX, `from_pretrained`, BentoML's store, …), not when such a library is merely imported. Fails while the `unsafe-deserialization` or `model-load-per-request` rule reports findings.",
  attestable: 'no',
  action: {
    title: 'Load the model once at start-up from a trusted, versioned source (skops, safetensors, ONNX, or a checksummed pickle)',
    rule: 'unsafe-deserialization',
  },
  check(ws) {
    // Applies when models are loaded or saved, not when a library that could is merely imported.
    const loaders = [
      ...projectShape(ws).modelUse,
      ...callEvidence(
        ws,
        { names: SAVERS, methods: ['save_model', 'log_model', 'save_pretrained'] },
        { roles: ['code', 'notebook'] },
        (name) => `saves a model with \`${name}()\``,
      ),
    ];
    const unsafe = findingEvidence(ws, 'unsafe-deserialization');
    const perRequest = findingEvidence(ws, 'model-load-per-request');
    if (unsafe.length + perRequest.length > 0) {
      const parts = [
        unsafe.length ? `${plural(unsafe.length, 'unsafe deserialisation')}` : '',
        perRequest.length ? `${plural(perRequest.length, 'model load')} per request` : '',
      ].filter(Boolean);
      return { status: 'fail', summary: `${parts.join(' and ')}.`, evidence: limit([...perRequest, ...unsafe]) };
    }
    if (loaders.length === 0) return { status: 'not-applicable', summary: 'The code neither saves nor loads models.' };
    const safe = stringEvidence(ws, /\.(onnx|safetensors|skops)$/, { roles: ['code'] }, (m) => `loads a \`${m}\` file`);
    return { status: 'pass', summary: 'Model loading has no unsafe or per-request loads.', evidence: limit(safe.length ? safe : loaders) };
  },
});

export const INTEGRATION_ITEMS = [fallback, timeouts, errorsSurfaced, safeLoading];
