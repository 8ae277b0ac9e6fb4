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
}

const OPENAI_TIMEOUT = ['timeout'];
const LANGCHAIN_OPENAI_TIMEOUT = ['timeout', 'request_timeout'];
const LANGCHAIN_ANTHROPIC_TIMEOUT = ['timeout', 'default_request_timeout'];

function entries(sdk: LlmSdk, names: readonly string[], extra: Omit<LlmClient, 'qualified' | 'sdk' | 'async'>, async = (name: string) => /(^|\.)Async|\.a\w+$/.test(name)): [string, LlmClient][] {
  return names.map((qualified) => [qualified, { qualified, sdk, async: async(qualified), ...extra }]);
}

/** Every LLM client constructor and model-calling function mlready knows, by qualified name. */
export const LLM_CLIENTS: ReadonlyMap<string, LlmClient> = new Map<string, LlmClient>([
  ...entries('openai', [
    'openai.OpenAI', 'openai.AsyncOpenAI', 'openai.AzureOpenAI', 'openai.AsyncAzureOpenAI', 'openai.Client', 'openai.AsyncClient',
  ], { timeoutKeywords: OPENAI_TIMEOUT, defaultTimeout: 600, kind: 'client' }),
  ...entries('anthropic', [
    'anthropic.Anthropic', 'anthropic.AsyncAnthropic', 'anthropic.Client', 'anthropic.AsyncClient',
    'anthropic.AnthropicBedrock', 'anthropic.AsyncAnthropicBedrock', 'anthropic.AnthropicVertex', 'anthropic.AsyncAnthropicVertex',
  ], { timeoutKeywords: OPENAI_TIMEOUT, defaultTimeout: 600, kind: 'client' }),
  // LangChain chat models and LLMs: one object serves sync (`invoke`) and async (`ainvoke`) calls.
  ...entries('langchain', [
    'langchain_openai.ChatOpenAI', 'langchain_openai.AzureChatOpenAI', 'langchain_openai.OpenAI', 'langchain_openai.AzureOpenAI',
    'langchain_openai.chat_models.ChatOpenAI', 'langchain_openai.chat_models.AzureChatOpenAI', 'langchain_openai.llms.OpenAI',
    // The same classes before langchain-openai was split out (same field, same `None` default).
    'langchain_community.chat_models.ChatOpenAI', 'langchain_community.chat_models.AzureChatOpenAI', 'langchain_community.llms.OpenAI',
    'langchain.chat_models.ChatOpenAI', 'langchain.chat_models.AzureChatOpenAI', 'langchain.llms.OpenAI',
  ], { timeoutKeywords: LANGCHAIN_OPENAI_TIMEOUT, defaultTimeout: null, kind: 'client' }, () => false),
  ...entries('langchain', [
    'langchain_anthropic.ChatAnthropic', 'langchain_anthropic.chat_models.ChatAnthropic',
    'langchain_community.chat_models.ChatAnthropic', 'langchain.chat_models.ChatAnthropic',
  ], { timeoutKeywords: LANGCHAIN_ANTHROPIC_TIMEOUT, defaultTimeout: null, kind: 'client' }, () => false),
  ...entries('litellm', ['litellm.completion', 'litellm.acompletion', 'litellm.main.completion', 'litellm.main.acompletion'], {
    timeoutKeywords: ['timeout', 'request_timeout'], defaultTimeout: 6000, kind: 'function',
  }),
  ...entries('llamaindex', ['llama_index.llms.openai.OpenAI', 'llama_index.llms.OpenAI', 'llama_index.llms.anthropic.Anthropic', 'llama_index.llms.Anthropic'], {
    timeoutKeywords: OPENAI_TIMEOUT, defaultTimeout: 60, kind: 'client',
  }, () => false),
]);

/** Modules that hold an LLM SDK: the cheap guard of every LLM rule. */
export const LLM_MODULES: readonly string[] = ['openai', 'anthropic', 'langchain_openai', 'langchain_anthropic', 'langchain_community', 'langchain', 'litellm', 'llama_index'];

/** The module attribute that sets LiteLLM's timeout for every call (`litellm.request_timeout = 30`). */
export const LITELLM_GLOBAL_TIMEOUT = 'litellm.request_timeout';

/**
 * Methods, as the attribute path after the client object, that call the model through an
 * OpenAI- or Anthropic-SDK client (`client.chat.completions.create(...)`).
 */
export const SDK_CALL_PATHS: Readonly<Record<'openai' | 'anthropic', readonly string[]>> = {
  openai: ['chat.completions.create', 'completions.create', 'responses.create', 'embeddings.create', 'chat.completions.parse', 'beta.chat.completions.parse', 'responses.parse', 'images.generate', 'audio.transcriptions.create'],
  anthropic: ['messages.create', 'messages.stream', 'completions.create', 'beta.messages.create', 'messages.parse', 'beta.messages.parse'],
};

/** Call paths of an SDK client that return structured, already-validated output. */
export const STRUCTURED_OUTPUT_PATHS: ReadonlySet<string> = new Set(['chat.completions.parse', 'beta.chat.completions.parse', 'responses.parse', 'messages.parse', 'beta.messages.parse']);

/** LangChain runnable methods: the sync ones block the calling thread. */
export const LANGCHAIN_SYNC_METHODS: ReadonlySet<string> = new Set(['invoke', 'batch', 'stream', 'predict', 'predict_messages', 'generate', 'run', 'call', '__call__']);
export const LANGCHAIN_ASYNC_METHODS: ReadonlySet<string> = new Set(['ainvoke', 'abatch', 'astream', 'apredict', 'apredict_messages', 'agenerate', 'arun', 'acall']);

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
export const LLM_COMPLETION_FUNCTIONS: ReadonlySet<string> = new Set(['litellm.completion', 'litellm.acompletion', 'litellm.main.completion', 'litellm.main.acompletion']);
