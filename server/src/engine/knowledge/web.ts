import type { SyntaxNode } from '../parser';
import type { SemanticModel } from '../semantic';
import { positionalArguments } from '../calls';
import { decoratorsOf } from '../tree-queries';
import { literalString } from '../literals';

/**
 * Web frameworks: the application and router classes, the decorators that register a route, and
 * which frameworks run an `async def` handler on the event loop (where a blocking call stalls
 * every request).
 */

export type WebFramework = 'fastapi' | 'starlette' | 'flask' | 'quart' | 'sanic' | 'django' | 'aiohttp' | 'litestar' | 'chainlit';

/** Modules of web frameworks: the cheap guard of the serving rules. */
export const WEB_MODULES: readonly string[] = ['fastapi', 'flask', 'starlette', 'quart', 'sanic', 'django', 'aiohttp', 'litestar'];

/**
 * Modules whose import makes a module a service in front of a model: the web frameworks above,
 * other servers, and model-serving platforms (BentoML, Ray Serve, KServe, Seldon, MLServer,
 * LitServe, Cog). Readiness reads it for its serving entry point.
 */
export const SERVICE_MODULES: readonly string[] = [
  // aiohttp is also a client: only its server (aiohttp.web) makes a service.
  ...WEB_MODULES.filter((module) => module !== 'aiohttp'),
  'aiohttp.web',
  'tornado.web',
  'falcon',
  'grpc',
  'bentoml',
  'ray.serve',
  'kserve',
  'seldon_core',
  'mlserver',
  'litserve',
  'cog',
];

/** Demo front ends: an app built with one is a demo UI, not a served API. */
export const DEMO_UI_MODULES: readonly string[] = ['streamlit', 'gradio', 'dash', 'panel', 'voila'];

/** Application and router classes, by qualified name, with their framework. */
export const WEB_APP_TYPES: ReadonlyMap<string, WebFramework> = new Map<string, WebFramework>([
  ['fastapi.FastAPI', 'fastapi'],
  ['fastapi.applications.FastAPI', 'fastapi'],
  ['fastapi.APIRouter', 'fastapi'],
  ['fastapi.routing.APIRouter', 'fastapi'],
  ['starlette.applications.Starlette', 'starlette'],
  ['starlette.routing.Router', 'starlette'],
  ['flask.Flask', 'flask'],
  ['flask.app.Flask', 'flask'],
  ['flask.Blueprint', 'flask'],
  ['flask.blueprints.Blueprint', 'flask'],
  ['quart.Quart', 'quart'],
  ['quart.Blueprint', 'quart'],
  ['sanic.Sanic', 'sanic'],
  ['sanic.Blueprint', 'sanic'],
  ['aiohttp.web.RouteTableDef', 'aiohttp'],
  ['litestar.Litestar', 'litestar'],
  ['litestar.Router', 'litestar'],
]);

/** Frameworks that await an `async def` handler on their event loop (Flask runs each one in its own loop per request). */
export const ASYNC_WEB_FRAMEWORKS: ReadonlySet<WebFramework> = new Set(['fastapi', 'starlette', 'quart', 'sanic', 'aiohttp', 'litestar', 'chainlit']);

/** Decorator methods on an app or router that register a per-request function. */
export const ROUTE_METHODS: ReadonlySet<string> = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'route',
  'api_route',
  'websocket',
  'before_request',
  'middleware',
]);

/** Route decorators that are module functions (`@litestar.get("/x")`, aiohttp's `routes.get` is a method). */
export const ROUTE_FUNCTIONS: ReadonlySet<string> = new Set([
  'litestar.get',
  'litestar.post',
  'litestar.put',
  'litestar.patch',
  'litestar.delete',
  'litestar.route',
]);

/**
 * Decorators that are module functions and register a per-request (or per-message) handler, with
 * their framework: Litestar's route functions, Chainlit's message handlers (run on its event loop;
 * `cl.make_async` is its way to run blocking work).
 */
export const HANDLER_DECORATORS: ReadonlyMap<string, WebFramework> = new Map<string, WebFramework>([
  ...[...ROUTE_FUNCTIONS].map((name): [string, WebFramework] => [name, 'litestar']),
  ['chainlit.on_message', 'chainlit'],
  ['chainlit.on_audio_chunk', 'chainlit'],
  ['chainlit.action_callback', 'chainlit'],
]);

/** Constructors and functions that register a handler passed by name (`Route("/x", endpoint)`). */
export const ROUTE_REGISTRATIONS: ReadonlyMap<string, { index: number; keyword: string }> = new Map([
  ['starlette.routing.Route', { index: 1, keyword: 'endpoint' }],
  ['starlette.routing.WebSocketRoute', { index: 1, keyword: 'endpoint' }],
  ['fastapi.routing.APIRoute', { index: 1, keyword: 'endpoint' }],
  ['django.urls.path', { index: 1, keyword: 'view' }],
  ['django.urls.re_path', { index: 1, keyword: 'view' }],
]);
/** Methods on an app that register a handler passed by name: the handler's position and keyword. */
export const ROUTE_REGISTRATION_METHODS: ReadonlyMap<string, { index: number; keyword: string }> = new Map([
  ['add_url_rule', { index: 2, keyword: 'view_func' }],
  ['add_api_route', { index: 1, keyword: 'endpoint' }],
  ['add_route', { index: 1, keyword: 'endpoint' }],
  ['add_websocket_route', { index: 1, keyword: 'endpoint' }],
]);

/** Functions that run a blocking call off the event loop (its argument is not called on the loop). */
export const THREAD_OFFLOADERS: ReadonlySet<string> = new Set([
  'asyncio.to_thread',
  'starlette.concurrency.run_in_threadpool',
  'fastapi.concurrency.run_in_threadpool',
  'anyio.to_thread.run_sync',
  'asgiref.sync.sync_to_async',
  'quart.utils.run_sync',
  'functools.partial',
]);
/** Methods that offload to an executor: `loop.run_in_executor(None, fn, x)`, `executor.submit(fn, x)`. */
export const THREAD_OFFLOAD_METHODS: ReadonlySet<string> = new Set(['run_in_executor', 'submit', 'run_sync', 'to_thread']);

/** Servers started from code, whose `debug=True`/`use_debugger=True` exposes an interactive debugger. */
export const DEBUG_SERVER_APPS: ReadonlyMap<string, WebFramework | 'dash'> = new Map<string, WebFramework | 'dash'>([
  ['flask.Flask', 'flask'],
  ['flask.app.Flask', 'flask'],
  ['quart.Quart', 'quart'],
  ['sanic.Sanic', 'sanic'],
  ['dash.Dash', 'dash'],
]);

/**
 * The framework of a route decorator (`@app.post("/x")` on a `FastAPI()` app), or undefined when
 * it is not one. A decorator on an app whose class cannot be resolved (imported from another
 * module) counts when it is a route method called with a URL path starting with `/`: `'unknown'`.
 */
export function routeDecoratorFramework(model: SemanticModel, decorator: SyntaxNode): WebFramework | 'unknown' | undefined {
  const call = decorator.type === 'call' ? decorator : undefined;
  const fn = call ? model.functionOf(call) : decorator;
  if (!fn) return undefined;
  const qualified = model.qualifiedName(fn);
  const handler = qualified ? HANDLER_DECORATORS.get(qualified) : undefined;
  if (handler) return handler;
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (!ROUTE_METHODS.has(method)) return undefined;
  const app = fn.childForFieldName('object');
  const type = app ? model.constructedType(app) : undefined;
  if (type) return WEB_APP_TYPES.get(type);
  if ((method === 'before_request' || method === 'middleware') && model.seenAnyModule(WEB_MODULES)) return 'unknown';
  const path = call ? literalString(positionalArguments(call)[0]) : undefined;
  return path !== undefined && path.startsWith('/') ? 'unknown' : undefined;
}

/** The framework of the first route decorator on a function definition, if any. */
export function routeFramework(model: SemanticModel, fn: SyntaxNode): WebFramework | 'unknown' | undefined {
  for (const decorator of decoratorsOf(fn)) {
    const framework = routeDecoratorFramework(model, decorator);
    if (framework) return framework;
  }
  return undefined;
}
