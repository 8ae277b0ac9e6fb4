import * as path from 'node:path';
import { defineItem, ATTEST_URL } from '../item';
import type { ItemDefinition } from '../item';
import { callEvidence, dedupe, ev, findingEvidence, importEvidence, limit, pythonFiles, TEST_COMMAND } from '../detect';
import { isTestPath } from '../workspace';
import { automatedCommands, describeCommand } from '../automation';
import { projectShape } from '../shape';
import { manifests } from './serving';
import type { CheckResult, Evidence } from '../types';
import type { Workspace } from '../workspace';
import {
  LANGCHAIN_STRUCTURED_METHODS,
  LLM_FALLBACK_APIS,
  LLM_FALLBACK_METHODS,
  PYDANTIC_VALIDATION_METHODS,
  RETRY_APIS,
  RETRY_METHODS,
} from '../../knowledge/index';

/**
 * Readiness of an application that calls LLMs (OpenAI, Anthropic, LangChain, LlamaIndex, LiteLLM,
 * a local transformers generator): the items that decide whether it survives production. They
 * apply only where the code calls an LLM; elsewhere they are not applicable.
 */

function notAnLlmApp(ws: Workspace): CheckResult | undefined {
  return projectShape(ws).llm.length === 0 ? { status: 'not-applicable', summary: 'The code calls no LLM.' } : undefined;
}

function llmItem(item: Omit<ItemDefinition, 'category' | 'onlyFor' | 'check'> & { check(ws: Workspace): CheckResult }): ItemDefinition {
  return defineItem({ ...item, category: 'genai', onlyFor: 'llm', check: (ws) => notAnLlmApp(ws) ?? item.check(ws) });
}

/** Tracing SDKs and instrumentations of LLM calls. */
const TRACING_MODULES = [
  'langfuse',
  'langsmith',
  'opentelemetry.instrumentation.openai',
  'opentelemetry.instrumentation.anthropic',
  'opentelemetry.instrumentation.langchain',
  'opentelemetry.instrumentation.llamaindex',
  'openinference.instrumentation',
  'traceloop',
  'phoenix.otel',
  'arize.otel',
  'weave',
  'agentops',
  'opik',
  'langwatch',
  'braintrust',
  'helicone',
  'promptlayer',
  'lunary',
  'literalai',
  'laminar',
  'lmnr',
];
const TRACING_CALLS = [
  'mlflow.openai.autolog',
  'mlflow.langchain.autolog',
  'mlflow.anthropic.autolog',
  'mlflow.llama_index.autolog',
  'mlflow.litellm.autolog',
  'mlflow.dspy.autolog',
  'mlflow.gemini.autolog',
  'mlflow.bedrock.autolog',
  'mlflow.trace',
  'mlflow.start_span',
  'mlflow.tracing',
  'logfire.instrument_openai',
  'logfire.instrument_anthropic',
  'llama_index.core.set_global_handler',
  'llama_index.set_global_handler',
];
const TRACING_ENV = /^(LANGCHAIN_TRACING_V2|LANGSMITH_TRACING|LANGFUSE_(PUBLIC|SECRET)_KEY|OTEL_EXPORTER_OTLP_ENDPOINT|PHOENIX_COLLECTOR_ENDPOINT)$/;

export const llmTracing = llmItem({
  id: 'genai-llm-tracing',
  title: 'LLM calls are traced',
  why: 'An LLM answer that went wrong cannot be explained from a log line: the prompt as sent, the response, the model, the token counts and the latency of every call are what a debugging session, a cost review and an evaluation dataset start from.',
  detection:
    'Applies when the code calls an LLM. MLflow tracing (`mlflow.openai.autolog()`, `mlflow.langchain.autolog()`, `@mlflow.trace`), Langfuse, LangSmith (`langsmith`, or `LANGCHAIN_TRACING_V2`/`LANGSMITH_TRACING` set in configuration), OpenTelemetry/OpenInference/OpenLLMetry instrumentation, Phoenix, Weave, Logfire and similar tracers in application code.',
  attestable: 'yes',
  action: {
    title:
      'Trace every LLM call: mlflow.openai.autolog() (or mlflow.langchain.autolog()) in the service start-up, or a Langfuse/LangSmith/OpenTelemetry instrumentation',
    url: 'https://mlflow.org/docs/latest/llms/tracing/index.html',
  },
  check(ws) {
    const evidence = dedupe([
      ...importEvidence(ws, TRACING_MODULES, { roles: ['code'] }, 'traces with'),
      ...callEvidence(ws, { names: TRACING_CALLS }, { roles: ['code'] }, (name) => `traces LLM calls with \`${name}()\``),
      ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
        facts.functions.flatMap((fn) =>
          fn.decorators
            .filter((d) => /^(mlflow\.trace|langsmith\.traceable|langfuse\.(decorators\.)?observe|weave\.op)$/.test(d.name))
            .map((d) => ev(facts.path, fn.line, `\`@${d.name}\` traces \`${fn.name}\``, fn.cell)),
        ),
      ),
      ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
        facts.strings.filter((s) => TRACING_ENV.test(s.value)).map((s) => ev(facts.path, s.line, `configures tracing (\`${s.value}\`)`, s.cell)),
      ),
      ...ws
        .textFiles()
        .filter((rel) => /\.(ya?ml|toml)$/.test(rel))
        .flatMap((rel) =>
          (rel.endsWith('.toml') ? [] : ws.scalars(rel))
            .filter(
              (s) =>
                s.keys.some((k) => typeof k === 'string' && TRACING_ENV.test(k)) || (typeof s.value === 'string' && TRACING_ENV.test(s.value.split('=')[0])),
            )
            .map((s) => ev(s.path, s.line, 'configures LLM tracing')),
        ),
    ]);
    if (evidence.length > 0) return { status: 'pass', summary: 'LLM calls are traced.', evidence: limit(evidence) };
    return {
      status: 'fail',
      summary: 'LLM calls are not traced: prompts, responses, tokens and latency are not recorded.',
      evidence: limit(projectShape(ws).llm, 3),
    };
  },
});

const EVAL_MODULES = [
  'deepeval',
  'ragas',
  'inspect_ai',
  'promptfoo',
  'trulens',
  'trulens_eval',
  'giskard',
  'uptrain',
  'phoenix.evals',
  'langsmith.evaluation',
  'openai.evals',
  'evals',
  'mlflow.genai',
  'continuous_eval',
  'tonic_validate',
  'langchain.evaluation',
  'llama_index.core.evaluation',
  'llama_index.evaluation',
];
const EVAL_CALLS = [
  'mlflow.evaluate',
  'mlflow.models.evaluate',
  'mlflow.genai.evaluate',
  'langsmith.evaluate',
  'langsmith.aevaluate',
  'langsmith.evaluation.evaluate',
  'langsmith.evaluation.aevaluate',
  'ragas.evaluate',
  'deepeval.evaluate',
  'inspect_ai.eval',
];
const EVAL_RUNNER = /\b(promptfoo\s+eval|deepeval\s+test|inspect\s+eval|ragas|mlflow\s+.*evaluate|pytest\b.*\beval)/;

export const llmEvaluation = llmItem({
  id: 'genai-evaluation',
  title: 'An evaluation set exists and runs',
  why: 'A prompt change, a new model version or a retriever tweak can make answers worse while every unit test stays green. A fixed set of questions with expected behaviour, scored on every change, is the regression test of an LLM application.',
  detection:
    'Applies when the code calls an LLM. An evaluation with promptfoo (`promptfooconfig.yaml`), deepeval, ragas, `mlflow.evaluate`/`mlflow.genai.evaluate`, LangSmith evaluations, Inspect, TruLens or Giskard, run by CI (directly or through make, mise, scripts); one that nothing runs is partial.',
  attestable: 'yes',
  action: {
    title: 'Write an evaluation set (questions with expected answers or criteria) and score it in CI with promptfoo, deepeval, ragas or mlflow.genai.evaluate',
    url: 'https://mlflow.org/docs/latest/llms/llm-evaluate/index.html',
  },
  check(ws) {
    const configs = ws.files
      .filter((rel) => /(^|\/)promptfooconfig\.ya?ml$|(^|\/)promptfoo\.config\.(ya?ml|json|js)$/.test(rel))
      .map((rel) => ev(rel, 1, 'promptfoo evaluation config'));
    const code = dedupe([
      ...importEvidence(ws, EVAL_MODULES, { roles: ['code', 'test'] }, 'evaluates with'),
      ...callEvidence(ws, { names: EVAL_CALLS }, { roles: ['code', 'test'] }, (name) => `evaluates with \`${name}()\``),
    ]);
    const evidence = [...configs, ...code];
    if (evidence.length === 0) return { status: 'fail', summary: 'No evaluation set: nothing scores the answers when prompts or models change.' };
    const files = new Set(evidence.map((item) => item.path));
    const commands = automatedCommands(ws);
    const inTests = [...files].some((rel) => isTestPath(rel));
    const run = commands.find(
      (c) =>
        EVAL_RUNNER.test(c.command) ||
        [...files].some((rel) => c.command.includes(rel) || c.command.includes(path.posix.basename(rel))) ||
        (inTests && TEST_COMMAND.test(c.command)),
    );
    if (run)
      return {
        status: 'pass',
        summary: 'An evaluation set is scored automatically.',
        evidence: limit([...evidence, ev(run.path, run.line, describeCommand(run))]),
      };
    return { status: 'partial', summary: 'An evaluation exists, but nothing runs it automatically.', evidence: limit(evidence) };
  },
});

const STRUCTURED_METHODS = [...LANGCHAIN_STRUCTURED_METHODS, 'parse', ...PYDANTIC_VALIDATION_METHODS];
const VALIDATION_MODULES = [
  'instructor',
  'outlines',
  'guardrails',
  'guidance',
  'marvin',
  'langchain.output_parsers',
  'langchain_core.output_parsers',
  'jsonschema',
  'pydantic_ai',
];

export const llmOutputValidation = llmItem({
  id: 'genai-output-validation',
  title: 'Model output is validated before use',
  why: 'A model answers in free text even when asked for JSON, sometimes with the wrong fields, sometimes with instructions injected by a document it read. Parsing the answer into a schema (and rejecting what does not fit) before it reaches code, a database or a user turns a silent corruption into a handled error.',
  detection:
    'Applies when the code calls an LLM. Structured output (`with_structured_output`, OpenAI/Anthropic `.parse(response_format=…)`, `response_format` with a schema), output parsers and validators (instructor, outlines, Guardrails, LangChain output parsers, pydantic `model_validate_json`, jsonschema) in application code. Fails while the `unvalidated-llm-output` rule finds model output executed or parsed without a schema.',
  attestable: 'yes',
  action: {
    title: 'Parse model output into a schema before using it (structured output with a pydantic model, or validate with pydantic/jsonschema)',
    rule: 'unvalidated-llm-output',
  },
  check(ws) {
    const findings = findingEvidence(ws, 'unvalidated-llm-output');
    if (findings.length > 0) return { status: 'fail', summary: 'Model output is used without validation.', evidence: limit(findings) };
    const llmFiles = new Set(projectShape(ws).llm.map((item) => item.path));
    const evidence = dedupe([
      ...pythonFiles(ws, { roles: ['code'] })
        .filter((facts) => llmFiles.has(facts.path))
        .flatMap((facts) =>
          facts.calls
            .filter(
              (call) =>
                (STRUCTURED_METHODS.includes(call.method) && (call.method !== 'parse' || /completions|responses|messages/.test(call.name))) ||
                call.keywords.includes('response_format') ||
                call.keywords.includes('response_model') ||
                call.keywords.includes('output_parser'),
            )
            .map((call) => ev(facts.path, call.line, `validates model output: \`${call.name}()\``, call.cell)),
        ),
      ...importEvidence(ws, VALIDATION_MODULES, { roles: ['code'] }, 'validates output with'),
    ]);
    if (evidence.length > 0) return { status: 'pass', summary: 'Model output is parsed into a schema before use.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'Model output is used as returned, without a schema.' };
  },
});

const FALLBACK_METHODS = [...LLM_FALLBACK_METHODS, ...RETRY_METHODS];
const FALLBACK_NAMES = [...LLM_FALLBACK_APIS, ...RETRY_APIS];
const LLM_CALL_METHODS = new Set([
  'create',
  'invoke',
  'ainvoke',
  'stream',
  'astream',
  'generate',
  'agenerate',
  'completion',
  'acompletion',
  'chat',
  'achat',
  'complete',
  'acomplete',
  'query',
  'aquery',
  'run',
  'arun',
  'predict',
  'batch',
]);

export const llmResilience = llmItem({
  id: 'genai-call-resilience',
  title: 'LLM calls have timeouts and a fallback',
  why: "Hosted models stall, rate-limit and go down. Without a timeout a stalled call holds a worker for up to ten minutes (or forever, with LangChain's defaults); without a fallback model or a handled error the user gets a stack trace. Both keep the application answering when the provider does not.",
  detection:
    'Applies when the code calls an LLM. Fails while the `llm-call-without-timeout` rule finds a client with no timeout. Passes with a fallback model or a handled error: `with_fallbacks`, LiteLLM `fallbacks=`/`Router`, a fallback middleware, retries (`tenacity`, `max_retries=`), or a `try` around the call whose handler returns or assigns an answer. Timeouts without any fallback or handling are partial.',
  attestable: 'yes',
  action: {
    title:
      'Give every LLM client a timeout, and wrap the call with a fallback model (with_fallbacks, LiteLLM fallbacks) or an except that returns a graceful answer',
    rule: 'llm-call-without-timeout',
  },
  check(ws) {
    const noTimeout = findingEvidence(ws, 'llm-call-without-timeout');
    const fallbacks = dedupe([
      ...callEvidence(ws, { names: FALLBACK_NAMES, methods: FALLBACK_METHODS }, { roles: ['code'] }, (name) => `falls back or retries: \`${name}()\``),
      ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
        facts.calls
          .filter((call) => call.keywords.includes('fallbacks') || call.keywords.includes('max_retries'))
          .map((call) => ev(facts.path, call.line, `\`${call.name}(${call.keywords.includes('fallbacks') ? 'fallbacks' : 'max_retries'}=…)\``, call.cell)),
      ),
      ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
        facts.functions.flatMap((fn) =>
          fn.decorators
            .filter((d) => /^(tenacity\.retry|backoff\.on_exception|backoff\.on_predicate)$/.test(d.name))
            .map((d) => ev(facts.path, fn.line, `\`@${d.name}\` retries \`${fn.name}\``, fn.cell)),
        ),
      ),
      ...pythonFiles(ws, { roles: ['code'] }).flatMap((facts) =>
        facts.tries
          .filter(
            (t) =>
              t.calls.some((name) => LLM_CALL_METHODS.has(name.slice(name.lastIndexOf('.') + 1))) &&
              t.handlers.some((effects) => effects.includes('return') || effects.includes('assign')),
          )
          .map((t) => ev(facts.path, t.line, 'a failed model call is handled with an answer', t.cell)),
      ),
    ]);
    if (noTimeout.length > 0)
      return {
        status: fallbacks.length > 0 ? 'partial' : 'fail',
        summary: `LLM clients without a timeout${fallbacks.length ? ', though failures fall back' : ''}.`,
        evidence: limit([...noTimeout, ...fallbacks]),
      };
    if (fallbacks.length > 0) return { status: 'pass', summary: 'LLM calls are bounded in time, and failures fall back.', evidence: limit(fallbacks) };
    return {
      status: 'partial',
      summary: 'LLM calls are bounded in time, but a failed call is neither retried, routed to a fallback model nor answered gracefully.',
      evidence: limit(projectShape(ws).llm, 3),
    };
  },
});

const PROMPT_REGISTRY_CALLS = [
  'langsmith.Client.pull_prompt',
  'langchain.hub.pull',
  'langchainhub.Client.pull',
  'mlflow.genai.load_prompt',
  'mlflow.genai.register_prompt',
  'mlflow.load_prompt',
  'mlflow.register_prompt',
  'promptlayer',
  'humanloop',
];
const PROMPT_REGISTRY_METHODS = ['pull_prompt', 'push_prompt', 'get_prompt', 'load_prompt', 'register_prompt', 'from_file', 'get_template'];
const PROMPT_FILE = /(^|\/)prompts?\/[^/]+\.(txt|md|ya?ml|json|j2|jinja2?|prompt|prompty|mustache|hbs|py)$|\.(prompty|prompt)$/i;

export const promptsVersioned = llmItem({
  id: 'genai-prompts-versioned',
  title: 'Prompts are versioned',
  why: "A prompt is the model's program. Kept as files under version control, or in a prompt registry with versions, a change can be reviewed, evaluated, tied to the answers it produced, and rolled back; buried in string literals across the code it is none of these.",
  detection:
    'Applies when the code calls an LLM. Prompt files (a `prompts/` folder, `*.prompt`, `*.prompty`, templates loaded with `from_file`/`get_template`), or a prompt registry (LangSmith `pull_prompt`/`hub.pull`, MLflow prompt registry, Langfuse `get_prompt`).',
  attestable: 'yes',
  action: {
    title: 'Keep prompts as files (prompts/*.txt or .yaml) loaded at start-up, or in a prompt registry (MLflow, LangSmith, Langfuse) pinned by version',
    url: ATTEST_URL,
  },
  check(ws) {
    const evidence = dedupe([
      ...callEvidence(
        ws,
        { names: PROMPT_REGISTRY_CALLS, methods: PROMPT_REGISTRY_METHODS },
        { roles: ['code'] },
        (name) => `prompts from a registry or file: \`${name}()\``,
      ),
      ...ws.files.filter((rel) => PROMPT_FILE.test(rel) && !/(^|\/)(tests?|node_modules)\//.test(rel)).map((rel) => ev(rel, 1, 'prompt kept as a file')),
    ]);
    if (evidence.length > 0) return { status: 'pass', summary: 'Prompts are kept as files or in a registry.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'Prompts are string literals inside the code.' };
  },
});

const HEALTH_PATH = /^\/?(health|healthz|healthcheck|ready|readyz|readiness|live|livez|liveness|ping|status)\/?$/i;

export const healthEndpoints = llmItem({
  id: 'genai-health-endpoints',
  title: 'Health and readiness endpoints exist',
  why: 'A load balancer or an orchestrator needs to know whether an instance can answer: alive (the process runs) and ready (the model client is configured, the index is loaded). Without them, traffic reaches instances that can only fail, and a stuck instance is never replaced.',
  detection:
    'Applies when the code calls an LLM. A web route for `/health`, `/healthz`, `/ready`, `/readyz`, `/live` or `/ping`, Kubernetes readiness/liveness probes, a Dockerfile `HEALTHCHECK` or a compose `healthcheck`.',
  attestable: 'yes',
  action: {
    title: "Add /health (alive) and /ready (model client and index loaded) routes, and point the orchestrator's probes at them",
    command: 'mlready.scaffold.api',
  },
  check(ws) {
    const evidence: Evidence[] = [];
    for (const facts of pythonFiles(ws, { roles: ['code'] })) {
      for (const fn of facts.functions) {
        const route = fn.decorators.find((d) => d.strings.some((s) => HEALTH_PATH.test(s)));
        if (route) evidence.push(ev(facts.path, fn.line, `\`${fn.name}\` serves \`${route.strings.find((s) => HEALTH_PATH.test(s))}\``, fn.cell));
      }
    }
    for (const m of manifests(ws)) {
      const text = JSON.stringify(m.value);
      if (/"(readinessProbe|livenessProbe|startupProbe)"/.test(text)) evidence.push(ev(m.path, m.line, `${m.kind} has readiness/liveness probes`));
    }
    for (const rel of ws.findByName(/^(Dockerfile|Containerfile)(\..+)?$/i)) {
      const index = (ws.text(rel) ?? '').split(/\r?\n/).findIndex((line) => /^\s*HEALTHCHECK\s+(?!NONE)/i.test(line));
      if (index >= 0) evidence.push(ev(rel, index + 1, 'Dockerfile HEALTHCHECK'));
    }
    for (const rel of ws.findByName(/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/)) {
      const check = ws.scalars(rel).find((s) => s.keys.includes('healthcheck'));
      if (check) evidence.push(ev(rel, check.line, 'compose healthcheck'));
    }
    if (evidence.length > 0) return { status: 'pass', summary: 'Health or readiness is exposed to the platform.', evidence: limit(evidence) };
    return { status: 'fail', summary: 'No health or readiness endpoint or probe.' };
  },
});

export const GENAI_ITEMS = [llmTracing, llmEvaluation, llmOutputValidation, llmResilience, promptsVersioned, healthEndpoints];
