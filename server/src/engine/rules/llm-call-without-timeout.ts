import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { addKeywordArgument, hasSplat, keywordArgument } from '../calls';
import { dottedText } from '../semantic';
import { handsBack } from '../tree-queries';
import { LLM_CLIENTS, LLM_MODULES, type LlmClient } from '../knowledge';

/** How a function hands a client back to its caller. */
const HANDED_BACK: ReadonlySet<string> = new Set(['return_statement', 'yield']);

/** Client methods that run locally, without a request. */
const LOCAL_HELPERS = new Set(['get_tokenizer']);
/** Keywords through which a client gets a transport whose timeout the rule cannot see. */
const CUSTOM_TRANSPORT = ['http_client', 'http_async_client', 'client', 'async_client'];

export default defineRule({
  name: 'llm-call-without-timeout',
  category: 'failure-handling',
  severity: 'warning',
  summary: 'An LLM client or call that can wait for minutes or for ever: no `timeout`, or `timeout=None`.',
  fix: 'unsafe',
  requiresImport: LLM_MODULES,
  docs: {
    what: 'Flags LLM clients created without a timeout: `openai.OpenAI`/`AsyncOpenAI`/`AzureOpenAI` and `anthropic.Anthropic`/`AsyncAnthropic` (and the Bedrock and Vertex variants) with no `timeout=` when no call made through the client passes one either (`client.with_options(timeout=...)` or `timeout=` per call); LangChain `ChatOpenAI`/`AzureChatOpenAI`/`OpenAI` (langchain_openai, and the older `langchain.chat_models`/`langchain_community` paths) with neither `timeout` nor `request_timeout`, and `ChatAnthropic` with neither `timeout` nor `default_request_timeout`; `litellm.completion`/`acompletion` with no `timeout` while no `litellm.request_timeout = ...` is set in the file; the module-level calls `openai.chat.completions.create` (unless `openai.timeout = ...`) and the 0.x `openai.ChatCompletion.create` (no `request_timeout`); and any explicit `timeout=None`. The finding is on the constructor, or on the call for module-level functions.',
    why: "The OpenAI and Anthropic SDKs wait up to 600 seconds per attempt and retry twice by default: a stalled upstream holds a request, a worker and the user for up to half an hour. LangChain's chat models pass `None` to the SDK, which means no timeout at all: the call can hang for ever (langchain issue #35597), and LiteLLM's default is 6000 seconds. Behind an endpoint, a few hung calls exhaust the worker pool and the whole service stops answering; in a batch job, one hung call stalls the run without an error to alert on. A timeout turns the hang into an exception the code can retry, fall back from or report.",
    example: 'from openai import OpenAI\nfrom langchain_openai import ChatOpenAI\n\nclient = OpenAI()\nllm = ChatOpenAI(model="gpt-4o-mini", temperature=0)',
    useInstead:
      'from openai import OpenAI\nfrom langchain_openai import ChatOpenAI\n\nclient = OpenAI(timeout=60, max_retries=2)\nllm = ChatOpenAI(model="gpt-4o-mini", temperature=0, timeout=60)',
    fixSafety:
      'Unsafe: the fix adds `timeout=<llm-timeout>` (`llm-timeout` in `[tool.mlready]`, default 60 seconds; `request_timeout=` for the 0.x `openai.ChatCompletion.create`) or replaces an explicit `None`. A long generation (a large `max_tokens`, a reasoning model) that took longer than that now raises a timeout error instead of finishing, so pick the bound for the slowest answer the code expects.',
    notes:
      "Not flagged: LlamaIndex's `OpenAI` LLM (its default is 60 seconds) unless it gets `timeout=None`; clients built from `**kwargs` (a timeout may be among them); clients given their own `http_client` (its timeout is not visible here); an OpenAI or Anthropic client one of whose calls passes `timeout=` or goes through `.with_options(timeout=...)`: a timeout per call is a deliberate choice; a client returned or yielded from a factory function (`return client`, `return client, model_name`, a pytest fixture's `yield OpenAI()`, also through a wrapper: `yield wrap_openai(OpenAI(...))`), whose calls are made elsewhere with or without their own timeouts; a client made only for a local helper (`Anthropic().get_tokenizer()`). A timeout held in a variable counts as set. The rule does not judge the value: `timeout=600` is a choice, not an omission.",
    realCode:
      "On the 37 LLM and serving repositories of the audit (2,507 files): 197 findings, all read, 197 true positives, precision 1.00: SDK clients built without a timeout (anthropic-cookbook, khoj, FastChat, Chainlit cookbook, openai-quickstart-python, ...), LangChain chat models (JARVIS's easytool, RealChar, snowChat), 0.x `openai.ChatCompletion.create` calls (FastChat's judge, LLaVA's evaluation, gpt-engineer). Nine false positives were fixed: eight clients returned by khoj's factory functions, whose calls pass `timeout=` elsewhere, and a client made for `Anthropic().get_tokenizer()`. Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`).",
  },
  create(context) {
    const { model } = context;
    const seconds = String(context.settings.llmTimeout);

    /** `openai.timeout = 30`, `litellm.request_timeout = 30` anywhere in the file (through the module's local names). */
    const globallySet = (attribute: string): boolean => {
      const dot = attribute.indexOf('.');
      const module = attribute.slice(0, dot);
      const rest = attribute.slice(dot);
      for (const binding of model.imports) {
        if (binding.qualified === module && model.assignmentsOf(`${binding.local}${rest}`).length > 0) return true;
      }
      return false;
    };

    /** Calls through the client held in `name` (`client.chat.completions.create(..., timeout=30)`, `client.with_options(timeout=5)`). */
    const callsPassTimeout = (name: string): boolean => {
      const prefix = `${name}.`;
      for (const call of model.calls) {
        const fn = model.functionOf(call);
        if (fn?.type !== 'attribute') continue;
        const text = dottedText(fn);
        if (!text?.startsWith(prefix)) continue;
        const timeout = keywordArgument(call, 'timeout');
        if (timeout && timeout.type !== 'none') return true;
      }
      return false;
    };

    /** True when `call` is returned or yielded, directly or as the argument of wrappers (`wrap_openai(OpenAI())`). */
    const handedBack = (call: SyntaxNode): boolean => {
      let node = call;
      for (let depth = 0; depth < 4; depth++) {
        const parent = node.parent;
        if (!parent) return false;
        if (HANDED_BACK.has(parent.type)) return true;
        if (parent.type !== 'argument_list' || parent.parent?.type !== 'call') return false;
        node = parent.parent;
      }
      return false;
    };

    /** True when the function around `call` returns or yields the variable `name` (a factory of clients, a pytest fixture). */
    const returned = (name: string, call: SyntaxNode): boolean => {
      const fn = model.enclosingFunctionAt(call.startIndex);
      return fn ? handsBack(fn, name, true) : false;
    };

    const report = (call: SyntaxNode, client: LlmClient, explicitNone: SyntaxNode | undefined): void => {
      const shown = client.qualified
        .split('.')
        .slice(client.kind === 'function' ? 0 : -1)
        .join('.');
      const keyword = client.fixKeyword ?? 'timeout';
      const edit = explicitNone ? { start: explicitNone.startIndex, end: explicitNone.endIndex, text: seconds } : addKeywordArgument(call, keyword, seconds);
      const wait = client.defaultTimeout === null ? 'waits for ever by default' : `waits up to ${client.defaultTimeout} s per attempt by default`;
      const message = explicitNone
        ? `\`${shown}\` with \`${keyword}=None\`: a stalled model API holds this call for ever; pass \`${keyword}=${seconds}\``
        : `\`${shown}\` without a \`${keyword}\`: it ${wait}, so a stalled model API holds the request and its worker; pass \`${keyword}=${seconds}\``;
      context.report({ node: call, message, fix: edit ? { title: `Add ${keyword}=${seconds}`, applicability: 'unsafe', edits: [edit] } : undefined });
    };

    return {
      call(call) {
        const qualified = model.callee(call);
        if (qualified === undefined) return;
        const client = LLM_CLIENTS.get(qualified);
        if (!client) return;
        let given: SyntaxNode | undefined;
        for (const keyword of client.timeoutKeywords) {
          given = keywordArgument(call, keyword);
          if (given) break;
        }
        if (given) {
          if (given.type === 'none') report(call, client, given);
          return;
        }
        if (client.defaultTimeout !== null && client.defaultTimeout <= 60) return;
        if (hasSplat(call)) return;
        if (CUSTOM_TRANSPORT.some((keyword) => keywordArgument(call, keyword) !== undefined)) return;
        if (client.globalTimeout && globallySet(client.globalTimeout)) return;
        if (client.kind === 'client') {
          const parent = call.parent;
          // A client handed back by a factory (`return OpenAI(...)`, a fixture's `yield OpenAI()`,
          // also wrapped: `yield wrap_openai(OpenAI(...))`) is used, and given its timeouts, elsewhere.
          if (handedBack(call)) return;
          // `Anthropic().get_tokenizer()`: a client made for a local helper, not for requests.
          if (parent?.type === 'attribute' && LOCAL_HELPERS.has(parent.childForFieldName('attribute')?.text ?? '')) return;
          if (parent?.type === 'assignment') {
            const target = parent.childForFieldName('left');
            const name = target ? dottedText(target) : undefined;
            if (name && (client.sdk === 'openai' || client.sdk === 'anthropic') && callsPassTimeout(name)) return;
            if (name && returned(name, call)) return;
          }
        }
        report(call, client, undefined);
      },
    };
  },
});
