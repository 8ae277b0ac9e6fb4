/**
 * HTTP clients: which calls wait for ever without a `timeout`, which clients have a default,
 * and which calls block the thread (a synchronous client inside an async handler).
 */

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Modules of HTTP clients. */
export const HTTP_CLIENT_MODULES: readonly string[] = [
  'requests',
  'httpx',
  'urllib3',
  'aiohttp',
  'urllib.request',
  'http.client',
  'urllib2',
  'six.moves.urllib.request',
];

/** Module-level functions that wait for ever unless given a timeout (httpx's time out after 5 s by default). */
export const HTTP_FUNCTIONS_WITHOUT_DEFAULT_TIMEOUT: ReadonlySet<string> = new Set([
  ...VERBS.map((verb) => `requests.${verb}`),
  ...VERBS.map((verb) => `requests.api.${verb}`),
  'urllib.request.urlopen',
  'urllib2.urlopen',
  'six.moves.urllib.request.urlopen',
]);

/** Module-level functions with a default timeout (httpx's 5 s) that `timeout=None` turns off. */
export const HTTP_FUNCTIONS_WITH_DEFAULT_TIMEOUT: ReadonlySet<string> = new Set([...VERBS.map((verb) => `httpx.${verb}`), 'httpx.stream']);

/** Positional index of `timeout` where a function accepts it positionally. */
export const HTTP_TIMEOUT_POSITION: Readonly<Record<string, number>> = {
  'urllib.request.urlopen': 2,
  'urllib2.urlopen': 2,
  'six.moves.urllib.request.urlopen': 2,
};

/** Session constructors whose methods have no default timeout (httpx clients default to 5 s). */
export const HTTP_SESSIONS_WITHOUT_DEFAULT_TIMEOUT: ReadonlySet<string> = new Set(['requests.Session', 'requests.session', 'requests.sessions.Session']);
export const HTTP_SESSION_METHODS: ReadonlySet<string> = new Set(VERBS);

/** Synchronous HTTP clients (their calls block the thread), by constructor. */
export const SYNC_HTTP_CLIENTS: ReadonlySet<string> = new Set([...HTTP_SESSIONS_WITHOUT_DEFAULT_TIMEOUT, 'httpx.Client', 'urllib3.PoolManager']);

/** Synchronous HTTP functions (module level): every call blocks the thread until the answer. */
export const SYNC_HTTP_FUNCTIONS: ReadonlySet<string> = new Set([
  ...HTTP_FUNCTIONS_WITHOUT_DEFAULT_TIMEOUT,
  ...HTTP_FUNCTIONS_WITH_DEFAULT_TIMEOUT,
  'urllib3.request',
]);

/** Asynchronous HTTP clients: awaited, they never block the loop. */
export const ASYNC_HTTP_CLIENTS: ReadonlySet<string> = new Set(['httpx.AsyncClient', 'aiohttp.ClientSession']);

/** The top-level modules of the HTTP calls that have no default timeout: a file importing none of them cannot make one. */
export const HTTP_MODULES_WITHOUT_DEFAULT_TIMEOUT: readonly string[] = [
  ...new Set(
    [...HTTP_FUNCTIONS_WITHOUT_DEFAULT_TIMEOUT, ...HTTP_FUNCTIONS_WITH_DEFAULT_TIMEOUT, ...HTTP_SESSIONS_WITHOUT_DEFAULT_TIMEOUT].map(
      (name) => name.split('.')[0],
    ),
  ),
];
