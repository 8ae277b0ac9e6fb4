import type { SyntaxNode } from './parser';
import type { SemanticModel } from './semantic';
import { dottedText } from './semantic';
import { keywordArgument, positionalArguments, stringValue } from './fixes';

/**
 * Tree and data-flow helpers shared by the ML rules (serving, loops, PyTorch): small, syntactic,
 * and conservative; each answers one question a reviewer asks when reading the code.
 */

export const LOOP_TYPES = new Set(['for_statement', 'while_statement']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** The nearest enclosing `def` (lambdas are not counted: they run where they are called). */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current;
  }
  return undefined;
}

/** Every enclosing `def`, innermost first. */
export function enclosingFunctions(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') out.push(current);
  }
  return out;
}

export function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition') return current;
  }
  return undefined;
}

export function functionName(fn: SyntaxNode): string {
  return fn.childForFieldName('name')?.text ?? '';
}

export function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** True when `node` sits inside `container` without crossing a nested `def` or `class`. */
export function inSameBody(container: SyntaxNode, node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.id === container.id) return true;
    if (current.type === 'function_definition' || current.type === 'class_definition') return false;
  }
  return false;
}

/** Decorators of a function or class (`@app.post("/x")` → the `app.post("/x")` expression). */
export function decoratorsOf(definition: SyntaxNode): SyntaxNode[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren
    .filter((child): child is SyntaxNode => child?.type === 'decorator')
    .map((decorator) => decorator.namedChild(0))
    .filter((expr): expr is SyntaxNode => expr !== null);
}

/** Every descendant of `node` of one of `types` (depth first, document order). */
export function descendants(node: SyntaxNode, types: ReadonlySet<string> | string): SyntaxNode[] {
  // A scan of the subtree's slice of the tree's arrays, in document order.
  return node.descendantsOfType(types);
}

/** Names read anywhere in an expression (identifiers that are not attribute names or keywords). */
export function namesIn(node: SyntaxNode): Set<string> {
  const out = new Set<string>();
  // Attribute names and keyword names are skipped on the way down (no `parent` lookups).
  const visit = (current: SyntaxNode, type: string): void => {
    if (type === 'identifier') {
      out.add(current.text);
      return;
    }
    if (type === 'attribute' || type === 'keyword_argument') {
      const skip = current.childForFieldName(type === 'attribute' ? 'attribute' : 'name')?.id;
      for (const child of current.namedChildren) if (child && child.id !== skip) visit(child, child.type);
      return;
    }
    for (const child of current.namedChildren) if (child) visit(child, child.type);
  };
  const type = node.type;
  if (type === 'identifier') {
    const parent = node.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id) return out;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id) return out;
  }
  visit(node, type);
  return out;
}

/** The name a target or receiver is rooted in: `out[t]` → `out`, `self.model.encoder` → `self.model`. */
export function rootName(node: SyntaxNode | null | undefined): string | undefined {
  let current: SyntaxNode | null | undefined = node;
  while (current) {
    if (current.type === 'identifier') return current.text;
    if (current.type === 'attribute') {
      const text = dottedText(current);
      if (text) return text.startsWith('self.') ? text.split('.').slice(0, 2).join('.') : text.split('.')[0];
      current = current.childForFieldName('object');
    } else if (current.type === 'subscript') {
      current = current.childForFieldName('value');
    } else if (current.type === 'call') {
      current = current.childForFieldName('function');
    } else if (current.type === 'parenthesized_expression') {
      current = current.namedChild(0);
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Names bound by an assignment or loop target (`a, (b, c)` → a, b, c; `x[i]`/`x.y` → x). */
export function targetNames(target: SyntaxNode): string[] {
  if (target.type === 'identifier') return [target.text];
  if (target.type === 'attribute' || target.type === 'subscript') {
    const root = rootName(target);
    return root ? [root.split('.')[0]] : [];
  }
  const out: string[] = [];
  for (const child of target.namedChildren) if (child) out.push(...targetNames(child));
  return out;
}

const MUTATING_METHODS = new Set(['append', 'extend', 'insert', 'appendleft', 'add', 'update', 'put', 'push', '__setitem__']);

/**
 * Forward data flow inside a loop body, to a fixed point: starting from `seeds`, a name becomes
 * tainted when it is assigned (`x = f(t)`, `x[i] = t`, `x += t`) or mutated (`x.append(t)`) from a
 * tainted name anywhere in the body. Order is ignored on purpose: a loop carries values round.
 */
export function propagate(body: SyntaxNode, seeds: Iterable<string>): Set<string> {
  const tainted = new Set(seeds);
  const flows = flowsIn(body);
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of flows) {
      if (![...flow.from].some((name) => tainted.has(name))) continue;
      for (const name of flow.to) {
        if (!tainted.has(name)) {
          tainted.add(name);
          changed = true;
        }
      }
    }
  }
  return tainted;
}

type Flow = { from: Set<string>; to: string[] };
/** Flows per loop body, per tree: each call in a loop asks about the same body. */
const flowCache = new WeakMap<object, Map<number, readonly Flow[]>>();

/** The assignments, loop targets and mutations in a body, as name flows (not into nested definitions). */
function flowsIn(body: SyntaxNode): readonly Flow[] {
  let perTree = flowCache.get(body.tree);
  if (!perTree) flowCache.set(body.tree, (perTree = new Map()));
  const cached = perTree.get(body.id);
  if (cached) return cached;
  const flows: Flow[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.type === 'function_definition' || node.type === 'class_definition') return;
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right) {
        const from = namesIn(right);
        if (node.type === 'augmented_assignment') for (const name of targetNames(left)) from.add(name);
        // `x[i] = v` reads i too, but the flow that matters is v → x.
        flows.push({ from, to: targetNames(left) });
      }
    } else if (node.type === 'for_statement' || node.type === 'for_in_clause') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right) flows.push({ from: namesIn(right), to: targetNames(left) });
    } else if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const attribute = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const args = node.childForFieldName('arguments');
      if (fn?.type === 'attribute' && attribute && MUTATING_METHODS.has(attribute) && args) {
        const receiver = rootName(fn.childForFieldName('object'));
        if (receiver) flows.push({ from: namesIn(args), to: [receiver.split('.')[0]] });
      }
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(body);
  perTree.set(body.id, flows);
  return flows;
}

/** A loop around `node`, innermost first: `for`/`while` statements and comprehension `for` clauses. */
export interface Loop {
  /** The `for_statement`, `while_statement` or comprehension node. */
  node: SyntaxNode;
  /** The loop target (`row`, `(i, row)`), absent for `while`. */
  target?: SyntaxNode;
  /** What is iterated over, absent for `while`. */
  iterable?: SyntaxNode;
  /** Where the loop's per-iteration code lives (the body, or the whole comprehension). */
  body: SyntaxNode;
}

/** Loops that enclose `node` inside its own function (or at module level), innermost first. */
export function enclosingLoops(node: SyntaxNode): Loop[] {
  const containers: SyntaxNode[] = [];
  for (let current = node.parent; current; current = current.parent) {
    const type = current.type;
    if (type === 'function_definition' || type === 'class_definition' || type === 'lambda') break;
    if (LOOP_TYPES.has(type) || COMPREHENSIONS.has(type)) containers.push(current);
  }
  return loopsIn(containers, node);
}

/**
 * The loops `containers` (loop and comprehension nodes around `node` in its own function,
 * innermost first) run `node` in: `enclosingLoops` without the walk up, for callers that
 * already know the containers (e.g. from the order nodes arrive in).
 */
export function loopsIn(containers: readonly SyntaxNode[], node: SyntaxNode): Loop[] {
  const out: Loop[] = [];
  for (const current of containers) {
    const type = current.type;
    if (type === 'for_statement') {
      const body = current.childForFieldName('body');
      // Only the body repeats; the iterable is evaluated once.
      if (body && contains(body, node)) {
        out.push({ node: current, target: current.childForFieldName('left') ?? undefined, iterable: current.childForFieldName('right') ?? undefined, body });
      }
    } else if (type === 'while_statement') {
      const body = current.childForFieldName('body');
      if (body && contains(body, node)) out.push({ node: current, body });
    } else if (COMPREHENSIONS.has(type)) {
      const clauses = current.namedChildren.filter((c): c is SyntaxNode => c?.type === 'for_in_clause');
      // The element expression (or a later clause) repeats for each clause whose iterable it is not part of.
      for (let i = clauses.length - 1; i >= 0; i--) {
        const clause = clauses[i];
        const iterable = clause.childForFieldName('right');
        if (iterable && contains(iterable, node)) continue;
        out.push({ node: current, target: clause.childForFieldName('left') ?? undefined, iterable: iterable ?? undefined, body: current });
      }
    }
  }
  return out;
}

/** `f` in `f(...)`, `obj.f(...)`: the called name's last part. */
export function calledName(call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text;
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
}

/** The first positional argument, or the keyword `name=` if given instead. */
export function argument(call: SyntaxNode, index: number, name?: string): SyntaxNode | undefined {
  if (name) {
    const keyword = keywordArgument(call, name);
    if (keyword) return keyword;
  }
  return positionalArguments(call)[index];
}

/** A string literal's value (not f-strings), else undefined. */
export function literalString(node: SyntaxNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'parenthesized_expression') return literalString(node.namedChild(0) ?? undefined);
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const child of node.namedChildren) {
      const value = child ? stringValue(child) : undefined;
      if (value === undefined) return undefined;
      out += value;
    }
    return out;
  }
  return stringValue(node);
}

/** The value of a module- or function-level constant bound by a plain assignment, following names. */
export function resolveValue(model: SemanticModel, node: SyntaxNode, depth = 0): SyntaxNode {
  if (depth > 6) return node;
  if (node.type === 'identifier') {
    const assigned = model.valueOf(node.text, node);
    if (assigned && assigned.index === undefined) return resolveValue(model, assigned.value, depth + 1);
  }
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return resolveValue(model, node.namedChild(0)!, depth + 1);
  return node;
}

/** True when a `with` item around `node` (in its own function) calls one of `contexts`. */
export function insideWith(model: SemanticModel, node: SyntaxNode, test: (item: SyntaxNode) => boolean): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'class_definition') return false;
    if (current.type !== 'with_statement') continue;
    const body = current.childForFieldName('body');
    if (!body || !contains(body, node)) continue;
    for (const item of descendants(current, 'with_item')) {
      if (!contains(current, item) || (body && contains(body, item))) continue;
      const value = item.namedChild(0);
      const expr = value?.type === 'as_pattern' ? value.namedChild(0) : value;
      if (expr && test(expr)) return true;
    }
  }
  void model;
  return false;
}

/** The file a name was opened as in `with open(path) as name:` before `at`, if any. */
export function withOpenPath(model: SemanticModel, root: SyntaxNode, name: string, at: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const item of descendants(root, 'with_item')) {
    if (item.startIndex > at.startIndex) break;
    const value = item.namedChild(0);
    if (value?.type !== 'as_pattern') continue;
    const alias = value.namedChildren.find((c) => c?.type === 'as_pattern_target');
    if (alias?.text !== name) continue;
    const call = value.namedChild(0);
    if (call?.type === 'call' && model.callee(call) === 'builtins.open') found = positionalArguments(call)[0] ?? keywordArgument(call, 'file');
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// PyTorch: which callables are models, where gradients are off, which code trains.

const MODEL_NAME = /^(model|net|network|classifier|regressor|encoder|decoder|backbone|generator|discriminator|critic|actor|policy|ranker|autoencoder|detector|segmenter|cnn|rnn|lstm|gru|mlp|transformer|teacher|student|vae|gan|unet|resnet|bert|gpt|ae)\d*$|_(model|net|network|classifier|encoder|decoder)\d*$|^(model|net)_/i;
const NOT_MODEL_NAME = /loss|criterion|metric|optim|sched|tokeni[sz]er|scaler|processor|collate|transform|^f$|fn$|func/i;
/** Methods only an `nn.Module` (or a model wrapper) has; a name used with one is a model. */
const MODULE_METHODS = new Set(['parameters', 'named_parameters', 'state_dict', 'load_state_dict', 'eval', 'train', 'zero_grad', 'modules', 'children']);
/** Methods that return the module itself. */
const SELF_RETURNING = new Set(['to', 'cuda', 'cpu', 'eval', 'train', 'float', 'half', 'double', 'bfloat16', 'requires_grad_', 'share_memory']);
const TORCH_LAYERS = /^torch\.nn\.(Sequential|Module|ModuleList|ModuleDict|Linear|Bilinear|LazyLinear|Conv[123]d|ConvTranspose[123]d|LSTM|GRU|RNN|Transformer\w*|Embedding\w*|MultiheadAttention|DataParallel)$|^torch\.nn\.parallel\.DistributedDataParallel$/;
const NO_GRAD_CONTEXTS = new Set([
  'torch.no_grad', 'torch.inference_mode', 'torch.autograd.no_grad', 'torch.autograd.grad_mode.no_grad',
  'torch.autograd.grad_mode.inference_mode', 'torch.enable_grad.__never__',
]);
const SET_GRAD_ENABLED = new Set(['torch.set_grad_enabled', 'torch.autograd.set_grad_enabled']);

/** True when a class definition derives from `nn.Module`, a Lightning module or another model class. */
export function isModuleClass(model: SemanticModel, cls: SyntaxNode): boolean {
  const bases = cls.childForFieldName('superclasses');
  if (!bases) return false;
  return bases.namedChildren.some((base) => {
    if (!base) return false;
    const name = model.qualifiedName(base) ?? base.text;
    return /^torch\.nn\.(modules\.module\.)?Module$|LightningModule$|PreTrainedModel$|^nn\.Module$/.test(name);
  });
}

/** The file's `TorchFacts`, built once per analysis and shared by the rules that ask. */
export function torchFacts(model: SemanticModel): TorchFacts {
  return model.memo('torch-facts', () => new TorchFacts(model));
}

/** Per-file knowledge about PyTorch models, built on first use (after the model is filled). */
export class TorchFacts {
  private readonly forwardTargets = new Map<number, SyntaxNode | undefined>();
  private readonly moduleReceivers = new Set<string>();
  private readonly moduleClasses = new Set<string>();
  private readonly modelFactories = new Set<string>();

  constructor(private readonly model: SemanticModel) {
    for (const call of model.calls) {
      const method = model.method(call);
      if (method && MODULE_METHODS.has(method.name)) {
        const text = dottedText(method.receiver);
        if (text) this.moduleReceivers.add(text);
      }
    }
    for (const cls of model.classes) if (isModuleClass(model, cls)) this.moduleClasses.add(cls.childForFieldName('name')?.text ?? '');
    for (const fn of model.functions) {
      const name = functionName(fn);
      if (/model|net/i.test(name) && /^(make|build|create|get|load|init)/i.test(name)) this.modelFactories.add(name);
    }
  }

  /** True when the value of `expr` is a model by construction (`nn.Sequential(...)`, `MyNet().to(d)`, `AutoModel.from_pretrained`). */
  constructedModel(expr: SyntaxNode, depth = 0): boolean {
    if (depth > 8) return false;
    if (expr.type === 'parenthesized_expression') return expr.namedChild(0) ? this.constructedModel(expr.namedChild(0)!, depth + 1) : false;
    if (expr.type === 'identifier' || expr.type === 'attribute') {
      const text = dottedText(expr);
      const assigned = text ? this.model.valueOf(text, expr) : undefined;
      return assigned !== undefined && assigned.index === undefined && this.constructedModel(assigned.value, depth + 1);
    }
    if (expr.type !== 'call') return false;
    const method = this.model.method(expr);
    if (method && SELF_RETURNING.has(method.name) && !this.model.callee(expr)) return this.constructedModel(method.receiver, depth + 1);
    const callee = this.model.callee(expr);
    const fn = expr.childForFieldName('function');
    if (callee) {
      if (TORCH_LAYERS.test(callee)) return true;
      if (/^torchvision\.models\./.test(callee) || callee === 'timm.create_model' || callee === 'torch.load' || callee === 'torch.jit.load') return true;
      if (callee.endsWith('.from_pretrained')) return !/Tokeni[sz]er|Processor|FeatureExtractor|Config/.test(callee);
      return false;
    }
    if (fn?.type === 'identifier') return this.moduleClasses.has(fn.text) || this.modelFactories.has(fn.text);
    return false;
  }

  /** True when `expr`, a called name such as `model` or `self.encoder`, is a model whose call is a forward pass. */
  isModel(expr: SyntaxNode, type = expr.type): boolean {
    if (type !== 'identifier' && type !== 'attribute') return false;
    const text = dottedText(expr, type);
    if (!text || text === 'self') return false;
    const last = text.slice(text.lastIndexOf('.') + 1);
    const byName = !NOT_MODEL_NAME.test(last) && (this.moduleReceivers.has(text) || MODEL_NAME.test(last));
    if (!byName && !this.constructedModel(expr)) return false;
    // Imported functions (`F.relu`, `torch.cat`) resolve to a qualified name; models are values.
    // (Asked last: most called names are neither models by name nor by construction.)
    return !this.model.qualifiedName(expr);
  }

  /** The model a call runs forward (`model(x)`, `model.forward(x)`), or undefined (cached per call). */
  forwardTarget(call: SyntaxNode): SyntaxNode | undefined {
    const key = call.id;
    if (this.forwardTargets.has(key)) return this.forwardTargets.get(key);
    let target: SyntaxNode | undefined;
    const method = this.model.method(call);
    if (method) {
      if (method.name === 'forward') target = this.isModel(method.receiver) ? method.receiver : undefined;
      else {
        const fn = this.model.functionOf(call);
        target = fn && this.isModel(fn, 'attribute') ? fn : undefined;
      }
    } else {
      const fn = this.model.functionOf(call);
      target = fn && this.isModel(fn) ? fn : undefined;
    }
    this.forwardTargets.set(key, target);
    return target;
  }
}

/** True when `node` runs with autograd off: inside `with torch.no_grad()`/`inference_mode()`, or a function decorated so. */
export function gradientsOff(model: SemanticModel, node: SyntaxNode): boolean {
  // Cheap guard: every name that turns autograd off ends in one of these words, which the source
  // then holds (in an import or an attribute), so a file without them has autograd on everywhere.
  if (!GRAD_OFF_WORDS.some((word) => model.mentions(word))) return false;
  const isNoGrad = (expr: SyntaxNode): boolean => {
    const call = expr.type === 'call' ? expr : undefined;
    const name = model.qualifiedName(call ? call.childForFieldName('function') : expr);
    if (!name) return false;
    if (NO_GRAD_CONTEXTS.has(name)) return true;
    if (call && SET_GRAD_ENABLED.has(name)) return positionalArguments(call)[0]?.type === 'false';
    return false;
  };
  // `with` blocks, across nested functions too: a closure defined under no_grad runs there.
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'with_statement') {
      const body = current.childForFieldName('body');
      if (body && contains(body, node)) {
        for (const item of current.namedChildren[0]?.namedChildren ?? []) {
          const value = item?.namedChild(0);
          const expr = value?.type === 'as_pattern' ? value.namedChild(0) : value;
          if (expr && isNoGrad(expr)) return true;
        }
      }
    }
    if (current.type === 'function_definition' && decoratorsOf(current).some(isNoGrad)) return true;
  }
  // `torch.set_grad_enabled(False)` earlier in the same function or at module level.
  const disabling = model.memo('set-grad-enabled-false', () =>
    model.calls.filter((call) => SET_GRAD_ENABLED.has(model.callee(call) ?? '') && positionalArguments(call)[0]?.type === 'false'),
  );
  const scope = model.enclosingFunctionAt(node.startIndex);
  for (const call of disabling) {
    if (call.startIndex >= node.startIndex) break;
    const callScope = model.enclosingFunctionAt(call.startIndex);
    if (!callScope || (scope && callScope.id === scope.id)) return true;
  }
  return false;
}

const GRAD_OFF_WORDS = ['no_grad', 'inference_mode', 'set_grad_enabled', '__never__'];

/** `.backward()` on a loss, `accelerator.backward(loss)`, Lightning's `manual_backward(loss)`. */
export function isBackward(model: SemanticModel, call: SyntaxNode): boolean {
  const method = model.method(call);
  return method !== undefined && (method.name === 'backward' || method.name === 'manual_backward');
}

/** `optimizer.step()` (not an LR scheduler's or an environment's), or `scaler.step(optimizer)`. */
export function isOptimizerStep(model: SemanticModel, call: SyntaxNode): boolean {
  const method = model.method(call);
  if (method?.name !== 'step') return false;
  const type = model.constructedType(method.receiver);
  if (type) return type.startsWith('torch.optim.') && !type.startsWith('torch.optim.lr_scheduler') || /GradScaler$/.test(type);
  const text = dottedText(method.receiver) ?? '';
  const last = text.split('.').pop() ?? '';
  if (/sched/i.test(last)) return false;
  return /opt/i.test(last) || /scaler$/i.test(last);
}
