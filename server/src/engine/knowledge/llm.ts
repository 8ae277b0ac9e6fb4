import type { SyntaxNode } from '../parser';
import type { SemanticModel } from '../semantic';
import { keywordArgument } from '../calls';

/**
 * LLM SDKs: the clients and functions that call a hosted model, how long they wait by default,
 * which keywords bound that wait, the methods that call the model and where the text comes out.
 * Defaults read from the SDKs' own source (see FACTS: openai-python and anthropic-sdk-python
 * `DEFAULT_TIMEOUT` 600 s with 2 retries; LangChain's `request_timeout`/`default_request_timeout`
 * default to `None`; LiteLLM's module `request_timeout` 6000 s; LlamaIndex's `OpenAI` 60 s).
 */

export type LlmSdk = 'openai' | 'anthropic' | 'langchain' | 'litellm' | 'llamaindex';

export interface LlmClient {
  /** The qualified name of the constructor or function. */
  readonly qualified: string;
  readonly sdk: LlmSdk;
  /** True for clients whose calls are coroutines (`AsyncOpenAI`, `acompletion`). */
  readonly async: boolean;
  /** Keywords any of which sets the request timeout. */
  readonly timeoutKeywords: readonly string[];
  /** The SDK's default timeout in seconds, or `null` when it waits for ever. */
  readonly defaultTimeout: number | null;
  /** A constructor (`OpenAI(...)`) or a function that calls the model itself (`litellm.completion`). */
  readonly kind: 'client' | 'function';
  /** The keyword a fix adds (default `timeout`). */
  readonly fixKeyword?: string;
  /** A module attribute that, when assigned, sets the timeout of every call (`litellm.request_timeout = 30`). */
  readonly globalTimeout?: string;
}

const OPENAI_TIMEOUT = ['timeout'];
const LANGCHAIN_OPENAI_TIMEOUT = ['timeout', 'request_timeout'];
const LANGCHAIN_ANTHROPIC_TIMEOUT = ['timeout', 'default_request_timeout'];

function entries(
  sdk: LlmSdk,
  names: readonly string[],
  extra: Omit<LlmClient, 'qualified' | 'sdk' | 'async'>,
  async = (name: string) => /(^|\.)Async|\.a\w+$/.test(name),
): [string, LlmClient][] {
  return names.map((qualified) => [qualified, { qualified, sdk, async: async(qualified), ...extra }]);
}

/** Every LLM client constructor and model-calling function mlready knows, by qualified name. */
export const LLM_CLIENTS: ReadonlyMap<string, LlmClient> = new Map<string, LlmClient>([
  ...entries('openai', ['openai.OpenAI', 'openai.AsyncOpenAI', 'openai.AzureOpenAI', 'openai.AsyncAzureOpenAI', 'openai.Client', 'openai.AsyncClient'], {
    timeoutKeywords: OPENAI_TIMEOUT,
    defaultTimeout: 600,
    kind: 'client',
  }),
  ...entries(
    'anthropic',
    [
      'anthropic.Anthropic',
      'anthropic.AsyncAnthropic',
      'anthropic.Client',
      'anthropic.AsyncClient',
      'anthropic.AnthropicBedrock',
      'anthropic.AsyncAnthropicBedrock',
      'anthropic.AnthropicVertex',
      'anthropic.AsyncAnthropicVertex',
    ],
    { timeoutKeywords: OPENAI_TIMEOUT, defaultTimeout: 600, kind: 'client' },
  ),
  // LangChain chat models and LLMs: one object serves sync (`invoke`) and async (`ainvoke`) calls.
  ...entries(
    'langchain',
    [
      'langchain_openai.ChatOpenAI',
      'langchain_openai.AzureChatOpenAI',
      'langchain_openai.OpenAI',
      'langchain_openai.AzureOpenAI',
      'langchain_openai.chat_models.ChatOpenAI',
      'langchain_openai.chat_models.AzureChatOpenAI',
      'langchain_openai.llms.OpenAI',
      // The same classes before langchain-openai was split out (same field, same `None` default).
      'langchain_community.chat_models.ChatOpenAI',
      'langchain_community.chat_models.AzureChatOpenAI',
      'langchain_community.llms.OpenAI',
      'langchain.chat_models.ChatOpenAI',
      'langchain.chat_models.AzureChatOpenAI',
      'langchain.llms.OpenAI',
    ],
    { timeoutKeywords: LANGCHAIN_OPENAI_TIMEOUT, defaultTimeout: null, kind: 'client' },
    () => false,
  ),
  ...entries(
    'langchain',
    [
      'langchain_anthropic.ChatAnthropic',
      'langchain_anthropic.chat_models.ChatAnthropic',
      'langchain_community.chat_models.ChatAnthropic',
      'langchain.chat_models.ChatAnthropic',
    ],
    { timeoutKeywords: LANGCHAIN_ANTHROPIC_TIMEOUT, defaultTimeout: null, kind: 'client' },
    () => false,
  ),
  ...entries('litellm', ['litellm.completion', 'litellm.acompletion', 'litellm.main.completion', 'litellm.main.acompletion'], {
    timeoutKeywords: ['timeout', 'request_timeout'],
    defaultTimeout: 6000,
    kind: 'function',
    globalTimeout: 'litellm.request_timeout',
  }),
  // openai-python 1.x module-level client (`openai.chat.completions.create(...)`): the SDK default, unless `openai.timeout = ...`.
  ...entries(
    'openai',
    ['openai.chat.completions.create', 'openai.completions.create', 'openai.responses.create'],
    {
      timeoutKeywords: OPENAI_TIMEOUT,
      defaultTimeout: 600,
      kind: 'function',
      globalTimeout: 'openai.timeout',
    },
    () => false,
  ),
  // openai-python 0.x (`openai.ChatCompletion.create`): `request_timeout`, 600 s when not given.
  ...entries(
    'openai',
    ['openai.ChatCompletion.create', 'openai.Completion.create', 'openai.ChatCompletion.acreate', 'openai.Completion.acreate'],
    {
      timeoutKeywords: ['request_timeout'],
      defaultTimeout: 600,
      kind: 'function',
      fixKeyword: 'request_timeout',
    },
    (name) => name.endsWith('.acreate'),
  ),
  ...entries(
    'llamaindex',
    ['llama_index.llms.openai.OpenAI', 'llama_index.llms.OpenAI', 'llama_index.llms.anthropic.Anthropic', 'llama_index.llms.Anthropic'],
    {
      timeoutKeywords: OPENAI_TIMEOUT,
      defaultTimeout: 60,
      kind: 'client',
    },
    () => false,
  ),
]);

/** Modules that hold an LLM SDK: the cheap guard of every LLM rule. */
export const LLM_MODULES: readonly string[] = [
  'openai',
  'anthropic',
  'langchain_openai',
  'langchain_anthropic',
  'langchain_community',
  'langchain_core',
  'langchain',
  'litellm',
  'llama_index',
];

/**
 * Modules whose use in application code makes a project an LLM application (readiness's AI items
 * apply): the SDKs above, plus frameworks and providers the rules do not model call by call.
 */
export const LLM_APPLICATION_MODULES: readonly string[] = [
  ...LLM_MODULES,
  'langgraph',
  'langchain_google_genai',
  'langchain_google_vertexai',
  'langchain_aws',
  'langchain_mistralai',
  'langchain_ollama',
  'cohere',
  'mistralai',
  'google.generativeai',
  'google.genai',
  'vertexai.generative_models',
  'ollama',
  'groq',
  'together',
  'dspy',
  'instructor',
  'haystack',
  'claude_agent_sdk',
  'claude_code_sdk',
];

/** Classes that run a language model locally (generation without a hosted API). */
export const LOCAL_LLM_CLASSES: ReadonlySet<string> = new Set([
  'transformers.AutoModelForCausalLM',
  'transformers.AutoModelForSeq2SeqLM',
  'vllm.LLM',
  'llama_cpp.Llama',
]);

/** The module attribute that sets LiteLLM's timeout for every call (`litellm.request_timeout = 30`). */
export const LITELLM_GLOBAL_TIMEOUT = 'litellm.request_timeout';

/**
 * Methods, as the attribute path after the client object, that call the model through an
 * OpenAI- or Anthropic-SDK client (`client.chat.completions.create(...)`).
 */
export const SDK_CALL_PATHS: Readonly<Record<'openai' | 'anthropic', readonly string[]>> = {
  openai: [
    'chat.completions.create',
    'completions.create',
    'responses.create',
    'embeddings.create',
    'chat.completions.parse',
    'beta.chat.completions.parse',
    'responses.parse',
    'images.generate',
    'audio.transcriptions.create',
  ],
  anthropic: ['messages.create', 'messages.stream', 'completions.create', 'beta.messages.create', 'messages.parse', 'beta.messages.parse'],
};

/** Call paths of an SDK client that return structured, already-validated output. */
export const STRUCTURED_OUTPUT_PATHS: ReadonlySet<string> = new Set([
  'chat.completions.parse',
  'beta.chat.completions.parse',
  'responses.parse',
  'messages.parse',
  'beta.messages.parse',
]);

/** LangChain runnable methods: the sync ones block the calling thread. */
export const LANGCHAIN_SYNC_METHODS: ReadonlySet<string> = new Set([
  'invoke',
  'batch',
  'stream',
  'predict',
  'predict_messages',
  'generate',
  'run',
  'call',
  '__call__',
]);
export const LANGCHAIN_ASYNC_METHODS: ReadonlySet<string> = new Set([
  'ainvoke',
  'abatch',
  'astream',
  'apredict',
  'apredict_messages',
  'agenerate',
  'arun',
  'acall',
]);

/** LangChain methods that make a model answer in a schema (its output is validated for you). */
export const LANGCHAIN_STRUCTURED_METHODS: ReadonlySet<string> = new Set(['with_structured_output']);

/**
 * Where generated text sits in a response, as the attribute chain read from the response
 * object (`[i]` for any subscript): OpenAI chat and completions, the Responses API, Anthropic
 * messages, LangChain messages, LiteLLM (OpenAI-shaped).
 */
export const LLM_TEXT_PATHS: Readonly<Record<LlmSdk, readonly string[]>> = {
  openai: ['choices[i].message.content', 'choices[i].text', 'output_text', 'choices[i].message.tool_calls[i].function.arguments'],
  anthropic: ['content[i].text', 'completion'],
  langchain: ['content', 'text'],
  litellm: ['choices[i].message.content', 'choices[i].text', "['choices'][i]['message']['content']"],
  llamaindex: ['text', 'message.content'],
};

/** Functions whose first argument carries a dict in OpenAI's shape (`response["choices"][0]...`). */
export const LLM_COMPLETION_FUNCTIONS: ReadonlySet<string> = new Set([
  'litellm.completion',
  'litellm.acompletion',
  'litellm.main.completion',
  'litellm.main.acompletion',
]);

/** Module-level calls of the legacy (< 1.0) and module-client OpenAI API: `openai.ChatCompletion.create(...)`. */
const OPENAI_MODULE_CALLS: ReadonlySet<string> = new Set([
  'openai.ChatCompletion.create',
  'openai.ChatCompletion.acreate',
  'openai.Completion.create',
  'openai.Completion.acreate',
  ...SDK_CALL_PATHS.openai.map((path) => `openai.${path}`),
]);

/**
 * The SDK of a call that sends a request to a hosted LLM, or undefined: an OpenAI or Anthropic
 * client's `chat.completions.create`/`messages.create`/..., a legacy `openai.ChatCompletion.create`,
 * `litellm.completion`, or a LangChain chat model's `invoke`/`ainvoke`/`batch`/`stream`/`predict`.
 * A client whose class cannot be seen (`self.client`) counts when the file imports the SDK and the
 * call names a `model=` or passes `messages=` (Twilio's `client.messages.create(body=..., to=...)` does not).
 */
export function llmCallSdk(model: SemanticModel, call: SyntaxNode): LlmSdk | undefined {
  const qualified = model.callee(call);
  if (qualified) {
    const client = LLM_CLIENTS.get(qualified);
    if (client?.kind === 'function') return client.sdk;
    if (OPENAI_MODULE_CALLS.has(qualified)) return 'openai';
  }
  const method = model.method(call);
  if (!method) return undefined;
  // `client.chat.completions.create`: the path after the client object.
  let base: SyntaxNode | null = method.receiver;
  let path = method.name;
  while (base?.type === 'attribute' && path.split('.').length < 4) {
    const attribute = base.childForFieldName('attribute')?.text;
    if (!attribute) break;
    const candidate = `${attribute}.${path}`;
    if (!SDK_PATH_SUFFIXES.has(candidate)) break;
    path = candidate;
    base = base.childForFieldName('object');
  }
  if (!base) return undefined;
  // Only a method an LLM client has is worth resolving the receiver's class for.
  if (!LLM_METHODS.has(path) && !SDK_CALL_PATH_SET.has(path)) return undefined;
  const type = model.constructedType(base);
  const known = type ? LLM_CLIENTS.get(type) : undefined;
  if (known?.sdk === 'langchain' || known?.sdk === 'llamaindex') {
    return LANGCHAIN_SYNC_METHODS.has(path) ||
      LANGCHAIN_ASYNC_METHODS.has(path) ||
      path === 'complete' ||
      path === 'chat' ||
      path === 'acomplete' ||
      path === 'achat'
      ? known.sdk
      : undefined;
  }
  for (const sdk of ['openai', 'anthropic'] as const) {
    if (!SDK_CALL_PATHS[sdk].includes(path)) continue;
    if (known) return known.sdk === sdk ? sdk : undefined;
    if (type) return undefined;
    if (!model.seenModule(sdk) && !(sdk === 'openai' && model.seenModule('litellm'))) continue;
    if (keywordArgument(call, 'model') || keywordArgument(call, 'messages')) return sdk;
  }
  return undefined;
}

const SDK_CALL_PATH_SET: ReadonlySet<string> = new Set([...SDK_CALL_PATHS.openai, ...SDK_CALL_PATHS.anthropic]);
const LLM_METHODS: ReadonlySet<string> = new Set([...LANGCHAIN_SYNC_METHODS, ...LANGCHAIN_ASYNC_METHODS, 'complete', 'chat', 'acomplete', 'achat']);

/** Every suffix of the SDK call paths with two or more parts (`completions.create`, `chat.completions.create`). */
const SDK_PATH_SUFFIXES: ReadonlySet<string> = new Set(
  [...SDK_CALL_PATHS.openai, ...SDK_CALL_PATHS.anthropic].flatMap((path) => {
    const parts = path.split('.');
    return parts.slice(0, -1).map((_, i) => parts.slice(i).join('.'));
  }),
);

/** Library fallbacks to another model: LangChain's fallback middleware, LiteLLM's router (`fallbacks=`). */
export const LLM_FALLBACK_APIS: readonly string[] = ['langchain.agents.middleware.ModelFallbackMiddleware', 'litellm.Router', 'litellm.router.Router'];

/** Methods that attach a fallback model to a runnable (LangChain). */
export const LLM_FALLBACK_METHODS: readonly string[] = ['with_fallbacks'];

/** Retry decorators and helpers: a failed call is tried again. */
export const RETRY_APIS: readonly string[] = ['tenacity.retry', 'backoff.on_exception'];

/** Methods that attach retries to a runnable (LangChain). */
export const RETRY_METHODS: readonly string[] = ['with_retry'];
