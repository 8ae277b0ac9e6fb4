import { defineRule } from '../rule';
import { addKeywordArgument, hasSplat, keywordArgument, positionalArguments } from '../calls';
import type { SyntaxNode } from '../parser';
import {
  HTTP_FUNCTIONS_WITH_DEFAULT_TIMEOUT,
  HTTP_FUNCTIONS_WITHOUT_DEFAULT_TIMEOUT as FUNCTIONS,
  HTTP_MODULES_WITHOUT_DEFAULT_TIMEOUT,
  HTTP_SESSION_METHODS as SESSION_METHODS,
  HTTP_SESSIONS_WITHOUT_DEFAULT_TIMEOUT as SESSIONS,
  HTTP_TIMEOUT_POSITION as TIMEOUT_POSITION,
} from '../knowledge';

export default defineRule({
  name: 'request-without-timeout',
  category: 'failure-handling',
  severity: 'warning',
  summary: 'An HTTP call (`requests`, `urlopen`) without a `timeout`, or an `httpx` call told `timeout=None`.',
  fix: 'safe',
  requiresImport: HTTP_MODULES_WITHOUT_DEFAULT_TIMEOUT,
  docs: {
    what: "Flags HTTP calls that wait forever by default and get no `timeout`: the `requests` module functions (`requests.get`, `post`, `put`, `patch`, `delete`, `head`, `options`, `request`), the methods of a `requests.Session`, `urllib.request.urlopen`, and the `httpx` module functions when told `timeout=None` (and Python 2's `urllib2.urlopen`).",
    why: '`requests` and `urlopen` have no timeout unless you pass one: when the server stops answering mid-response, the call blocks forever. In a feature pipeline or a model service that means a worker hung for good, a nightly job that never finishes and never fails, and no error to alert on. A timeout turns the hang into an exception you can retry or report.',
    example: 'import requests\n\nresponse = requests.get(f"{BASE}/users/{user_id}")',
    useInstead: 'import requests\n\nresponse = requests.get(f"{BASE}/users/{user_id}", timeout=10)',
    fixSafety:
      'Safe: the fix adds `timeout=<seconds>` (`timeout` in `[tool.mlready]`, default 10), the documented way to bound the wait. A call that took longer than that raises a timeout error instead of hanging, which is what the code would want from a server that stopped answering.',
    notes:
      'The `httpx` functions (`httpx.get`, …), `httpx.Client` and `httpx.AsyncClient` (and their methods) default to a 5-second timeout and are not flagged unless told `timeout=None`. A call that passes `**kwargs` may carry a timeout and is not flagged. An explicit `timeout=None` means "wait forever" and is flagged like a missing one; the fix replaces the `None`. Sessions are recognised when they come from `requests.Session()` through an assignment, a `with ... as` binding or a direct chain (`requests.Session().get(...)`); a session received as a parameter is not, since its type is not known. Timeouts set on a custom `HTTPAdapter` are not visible to the rule: suppress the line if you rely on one.',
  },
  create(context) {
    const { model } = context;
    // `with requests.Session() as s:` binds `s` without an assignment the model records.
    const withSessions = new Map<string, number[]>();
    /**
     * A session is made by a call to one of `SESSIONS`, whose name (or the import an alias comes
     * from) the file then spells: in a file that never writes `Session` or `session`, no receiver
     * is one, and the `.get(...)` and `.post(...)` calls on dicts and clients of every kind are not
     * looked into. (Asked of the text, not of every call's callee: in an incremental analysis the
     * calls of the statements after this one are not resolved yet.)
     */
    let sessionsMade: boolean | undefined;
    const makesSessions = (): boolean =>
      (sessionsMade ??= (model.mentions('Session') || model.mentions('session')) && model.calls.some((call) => SESSIONS.has(model.callee(call) ?? '')));

    const isSession = (receiver: SyntaxNode): boolean => {
      const type = model.constructedType(receiver);
      if (type && SESSIONS.has(type)) return true;
      if (receiver.type === 'identifier') {
        const starts = withSessions.get(receiver.text);
        return starts !== undefined && starts.some((start) => start < receiver.startIndex) && model.valueOf(receiver.text, receiver) === undefined;
      }
      return false;
    };

    return {
      with_item(item) {
        if (!makesSessions()) return;
        const value = item.childForFieldName('value');
        if (value?.type !== 'as_pattern') return;
        const target = value.childForFieldName('alias')?.namedChild(0);
        const source = value.namedChild(0);
        if (target?.type !== 'identifier' || source?.type !== 'call') return;
        const type = model.constructedType(source);
        if (!type || !SESSIONS.has(type)) return;
        let list = withSessions.get(target.text);
        if (!list) withSessions.set(target.text, (list = []));
        list.push(item.startIndex);
      },
      call(call) {
        let shown: string | undefined;
        const qualified = model.callee(call);
        // httpx's functions time out after 5 s unless told `timeout=None`.
        const defaultTimeout = qualified !== undefined && HTTP_FUNCTIONS_WITH_DEFAULT_TIMEOUT.has(qualified);
        if (defaultTimeout && keywordArgument(call, 'timeout')?.type !== 'none') return;
        if (qualified && (FUNCTIONS.has(qualified) || defaultTimeout)) {
          shown = qualified;
          const position = TIMEOUT_POSITION[qualified];
          if (position !== undefined && positionalArguments(call).length > position) return;
        } else {
          if (!makesSessions()) return;
          const method = model.method(call);
          if (!method || !SESSION_METHODS.has(method.name) || !isSession(method.receiver)) return;
          shown = `Session.${method.name}`;
        }
        const timeout = keywordArgument(call, 'timeout');
        if (timeout && timeout.type !== 'none') return;
        if (!timeout && hasSplat(call)) return;
        const seconds = String(context.settings.timeout);
        const edit = timeout ? { start: timeout.startIndex, end: timeout.endIndex, text: seconds } : addKeywordArgument(call, 'timeout', seconds);
        context.report({
          node: call,
          message: `\`${shown}\` ${timeout ? 'with `timeout=None`' : 'without a `timeout`'}: if the server stops answering, this call blocks forever; pass \`timeout=${seconds}\``,
          fix: edit ? { title: `Add timeout=${seconds}`, applicability: 'safe', edits: [edit] } : undefined,
        });
      },
    };
  },
});
