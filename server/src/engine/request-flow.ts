import type { SyntaxNode } from './parser';
import type { SemanticModel } from './semantic';
import { dottedText } from './semantic';
import { literalText } from './literals';
import { keywordArgument, positionalArguments } from './calls';
import { propagate, targetNames } from './dataflow';
import { decoratorsOf, descendants, functionName } from './tree-queries';
import { routeFramework, type WebFramework } from './knowledge';

/**
 * Request data in web handlers: which functions of a file handle requests, where each reads what
 * the client sent, and the names that value flows into. Shared by the rules that follow request
 * data (`unvalidated-request-payload`, `prompt-injection-risk`).
 */

/** Where request data enters a handler. */
export interface RequestSource {
  /** The read (`request.json`, `await request.json()`) or the parameter's name. */
  node: SyntaxNode;
  /** How it reads: `request.get_json()`, parameter `payload: dict`. */
  what: string;
  /**
   * raw: a payload with no schema (a JSON body read by hand, form or query values, a parameter typed
   * `dict`/`Any`); typed: a parameter FastAPI parses and validates (`q: str`, `body: ChatRequest`).
   */
  kind: 'raw' | 'typed';
  /** The parameter or variable name the client chose the field of, when it says what it holds (`system_prompt`). */
  field: string | undefined;
  /** Names that hold the value or something computed from it, in the handler's body. */
  tainted: ReadonlySet<string>;
}

export interface RequestHandler {
  fn: SyntaxNode;
  name: string;
  framework: WebFramework | 'unknown';
  body: SyntaxNode;
  sources: RequestSource[];
}

/** Attributes of Flask's/Quart's global `request` (and Django's `HttpRequest`) that hold client data. */
const FLASK_DATA = new Set(['json', 'form', 'args', 'values', 'data', 'get_json', 'get_data', 'files']);
const DJANGO_DATA = new Set(['GET', 'POST', 'body', 'data', 'query_params']);
/** Methods and attributes of a Starlette/FastAPI `Request` that hold client data. */
const STARLETTE_DATA = new Set(['json', 'form', 'body', 'query_params', 'path_params', 'stream']);
const GLOBAL_REQUESTS = new Set(['flask.request', 'quart.request', 'flask.globals.request', 'sanic.request']);
const REQUEST_TYPES =
  /^(fastapi\.(Request|requests\.Request)|starlette\.requests\.Request|sanic\.(Request|request\.Request)|aiohttp\.web\.Request|django\.http\.HttpRequest|rest_framework\.request\.Request)$/;
/** Parameters FastAPI fills from something other than the client's data. */
const NOT_CLIENT_DATA =
  /^(fastapi\.(WebSocket|BackgroundTasks|Response|responses\.\w+)|starlette\.(websockets\.WebSocket|background\.BackgroundTasks|responses\.\w+)|sqlalchemy\.|sqlmodel\.Session)/;
const DEPENDENCIES = new Set(['fastapi.Depends', 'fastapi.Security', 'fastapi.params.Depends', 'fastapi.params.Security']);
/** Annotations of a payload with no schema. */
const RAW_TYPES = new Set([
  'builtins.dict',
  'typing.Dict',
  'typing.Any',
  'typing.Mapping',
  'typing.MutableMapping',
  'dict',
  'Dict',
  'Any',
  'object',
  'builtins.object',
]);
const BODY_MARKERS = new Set(['fastapi.Body', 'fastapi.params.Body', 'fastapi.Form', 'fastapi.params.Form']);

/** Every request handler of the file with its sources, computed once per analysis. */
export function requestHandlers(model: SemanticModel): readonly RequestHandler[] {
  return model.memo('request-handlers', () => {
    const out: RequestHandler[] = [];
    for (const fn of model.functions) {
      const framework = routeFramework(model, fn);
      const body = fn.childForFieldName('body');
      if (!framework || !body) continue;
      out.push({ fn, name: functionName(fn), framework, body, sources: sourcesOf(model, fn, body, framework) });
    }
    return out;
  });
}

function annotationName(model: SemanticModel, type: SyntaxNode | null): string | undefined {
  if (!type) return undefined;
  let expr: SyntaxNode | null = type.type === 'type' ? type.namedChild(0) : type;
  if (expr?.type === 'generic_type') expr = expr.namedChild(0);
  if (expr?.type === 'subscript') expr = expr.childForFieldName('value');
  if (!expr) return undefined;
  return model.qualifiedName(expr) ?? (expr.type === 'identifier' ? expr.text : dottedText(expr));
}

function sourcesOf(model: SemanticModel, fn: SyntaxNode, body: SyntaxNode, framework: WebFramework | 'unknown'): RequestSource[] {
  const sources: RequestSource[] = [];
  const requestParams = new Set<string>();
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  const fastapi = framework === 'fastapi' || (framework === 'unknown' && model.seenModule('fastapi'));
  const django = model.seenModule('django') || model.seenModule('rest_framework');
  // Middleware and exception handlers get the request and framework objects, not a body (`call_next`).
  const middleware = decoratorsOf(fn).some((d) =>
    /\.(middleware|exception_handler|errorhandler|after_request|teardown_request)$/.test(
      dottedText(d.type === 'call' ? (d.childForFieldName('function') ?? d) : d) ?? '',
    ),
  );
  for (const param of params) {
    if (!param) continue;
    const nameNode = param.type === 'identifier' ? param : (param.childForFieldName('name') ?? param.namedChild(0));
    if (nameNode?.type !== 'identifier') continue;
    const name = nameNode.text;
    if (name === 'self' || name === 'cls') continue;
    const annotation = annotationName(model, param.childForFieldName('type'));
    if (annotation && REQUEST_TYPES.test(annotation)) {
      requestParams.add(name);
      continue;
    }
    if (!annotation && (name === 'request' || name === 'req') && (django || framework === 'sanic' || framework === 'aiohttp')) {
      requestParams.add(name);
      continue;
    }
    if (!fastapi || middleware) continue;
    if (annotation && (NOT_CLIENT_DATA.test(annotation) || /Callable$/.test(annotation))) continue;
    const value = param.childForFieldName('value');
    const marker = value?.type === 'call' ? model.callee(value) : undefined;
    if (marker && DEPENDENCIES.has(marker)) continue;
    if (!annotation && !(marker && BODY_MARKERS.has(marker))) continue;
    const raw =
      (annotation !== undefined && RAW_TYPES.has(annotation)) ||
      (marker !== undefined && BODY_MARKERS.has(marker) && (!annotation || RAW_TYPES.has(annotation)));
    sources.push({
      node: nameNode,
      what: `parameter \`${param.text.length <= 40 ? param.text : name}\``,
      kind: raw ? 'raw' : 'typed',
      field: name,
      tainted: propagate(body, [name]),
    });
  }
  // Reads of the request object in the body.
  for (const attribute of descendants(body, 'attribute')) {
    const object = attribute.childForFieldName('object');
    const field = attribute.childForFieldName('attribute')?.text;
    if (!object || !field || object.type !== 'identifier') continue;
    let what: string | undefined;
    if (requestParams.has(object.text)) {
      if (STARLETTE_DATA.has(field) || DJANGO_DATA.has(field)) what = `${object.text}.${field}`;
    } else if (FLASK_DATA.has(field)) {
      const qualified = model.qualifiedName(object);
      if (qualified && GLOBAL_REQUESTS.has(qualified)) what = `${object.text}.${field}`;
    }
    if (!what) continue;
    // The whole expression that reads it: `request.json`, `request.get_json()`, `await request.json()`,
    // `request.args.get("q")`, `request.form["text"]`.
    let read: SyntaxNode = attribute;
    for (let up = attribute.parent; up; up = up.parent) {
      if (up.type === 'call' && up.childForFieldName('function')?.id === read.id) read = up;
      else if (up.type === 'await' || (up.type === 'subscript' && up.childForFieldName('value')?.id === read.id)) read = up;
      else if (
        up.type === 'attribute' &&
        up.childForFieldName('object')?.id === read.id &&
        /^(get|getlist|to_dict|dict)$/.test(up.childForFieldName('attribute')?.text ?? '')
      )
        read = up;
      else break;
    }
    const target = assignedTo(read);
    const names = target ? targetNames(target) : [];
    sources.push({
      node: attribute,
      what: `\`${read.text.length <= 40 ? read.text : `${what}…`}\``,
      kind: 'raw',
      field: target?.type === 'identifier' ? target.text : literalKey(read),
      tainted: names.length > 0 ? propagate(body, names) : new Set(),
    });
  }
  return sources;
}

/** The left side of the assignment whose value is `read` (through `or`, parentheses and `json.loads`), if any. */
function assignedTo(read: SyntaxNode): SyntaxNode | undefined {
  let current = read;
  for (let up = read.parent; up; current = up, up = up.parent) {
    if (up.type === 'assignment') return up.childForFieldName('right')?.id === current.id ? (up.childForFieldName('left') ?? undefined) : undefined;
    if (
      up.type === 'boolean_operator' ||
      up.type === 'parenthesized_expression' ||
      up.type === 'argument_list' ||
      up.type === 'call' ||
      up.type === 'conditional_expression'
    )
      continue;
    return undefined;
  }
  return undefined;
}

/** `request.form["system"]`, `request.args.get("system")`: the field read, when a literal names it. */
function literalKey(read: SyntaxNode): string | undefined {
  if (read.type === 'subscript') {
    const index = read.childForFieldName('subscript');
    return index?.type === 'string' ? literalText(index) : undefined;
  }
  if (read.type === 'call') {
    const first = positionalArguments(read)[0] ?? keywordArgument(read, 'key');
    return first?.type === 'string' ? literalText(first) : undefined;
  }
  return undefined;
}

/** True when `expr` reads a tainted name or contains one of the source nodes. */
export function carries(expr: SyntaxNode, tainted: ReadonlySet<string>, source?: SyntaxNode): boolean {
  if (source && expr.startIndex <= source.startIndex && source.endIndex <= expr.endIndex) return true;
  if (tainted.size === 0) return false;
  if (expr.type === 'identifier') return tainted.has(expr.text);
  for (const id of descendants(expr, 'identifier')) {
    if (!tainted.has(id.text)) continue;
    const parent = id.parent;
    // `x.attr` where x is tainted counts; the attribute name itself and keyword names do not.
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
    return true;
  }
  return false;
}
