import type { SyntaxNode } from './parser';
import { perTreeCache } from './syntax';
import type { SemanticModel } from './semantic';
import { dottedText } from './semantic';
import { keywordArgument, positionalArguments } from './calls';

/** Data flow: which names an expression reads, where a value comes from, what a loop body taints. */

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
      if (!flow.from.some((name) => tainted.has(name))) continue;
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

type Flow = { from: readonly string[]; to: string[] };
/** The nodes `flowsIn` reads a flow from, and the definitions it does not enter. */
const FLOW_NODE_TYPES = ['function_definition', 'class_definition', 'assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'call'] as const;
/** Flows per loop body, per tree: each call in a loop asks about the same body. */
const flowCache = perTreeCache<Map<number, readonly Flow[]>>();

/** The assignments, loop targets and mutations in a body, as name flows (not into nested definitions). */
function flowsIn(body: SyntaxNode): readonly Flow[] {
  let perTree = flowCache.get(body.tree);
  if (!perTree) flowCache.set(body.tree, (perTree = new Map()));
  const cached = perTree.get(body.id);
  if (cached) return cached;
  const flows: Flow[] = [];
  const visit = (node: SyntaxNode, type: (typeof FLOW_NODE_TYPES)[number]): void => {
    if (type === 'assignment' || type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right) {
        const from = namesIn(right);
        if (type === 'augmented_assignment') for (const name of targetNames(left)) from.add(name);
        // `x[i] = v` reads i too, but the flow that matters is v → x.
        flows.push({ from: [...from], to: targetNames(left) });
      }
    } else if (type === 'for_statement' || type === 'for_in_clause') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right) flows.push({ from: [...namesIn(right)], to: targetNames(left) });
    } else if (type === 'call') {
      const fn = node.childForFieldName('function');
      const attribute = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const args = node.childForFieldName('arguments');
      if (fn?.type === 'attribute' && attribute && MUTATING_METHODS.has(attribute) && args) {
        const receiver = rootName(fn.childForFieldName('object'));
        if (receiver) flows.push({ from: [...namesIn(args)], to: [receiver.split('.')[0]] });
      }
    }
  };
  // Pre-order over the tree's arrays (a node object only where a flow may be), past nested definitions.
  const tree = body.tree;
  const { grammar, typeIds, subtreeEnds } = tree;
  const types = grammar.typeTable(FLOW_NODE_TYPES);
  for (let id = body.id, end = subtreeEnds[body.id]; id < end; ) {
    const type = types[grammar.slotOf(typeIds[id])] as (typeof FLOW_NODE_TYPES)[number] | undefined;
    if (type === 'function_definition' || type === 'class_definition') {
      id = subtreeEnds[id];
      continue;
    }
    if (type !== undefined) visit(tree.node(id), type);
    id++;
  }
  perTree.set(body.id, flows);
  return flows;
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

/**
 * The file a name was opened as by a `with open(path) as name:` around `at` (the innermost; its
 * last item of that name), if any. Only the with statements enclosing `at` are read: the file is
 * open inside its block, and a statement-scoped rule asking stays within its statement.
 */
export function withOpenPath(model: SemanticModel, name: string, at: SyntaxNode): SyntaxNode | undefined {
  for (let node = at.parent; node; node = node.parent) {
    if (node.type !== 'with_statement') continue;
    let found: SyntaxNode | undefined;
    const clause = node.namedChildren.find((child) => child?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const value = item?.type === 'with_item' ? item.namedChild(0) : null;
      if (value?.type !== 'as_pattern') continue;
      const alias = value.namedChildren.find((c) => c?.type === 'as_pattern_target');
      if (alias?.text !== name) continue;
      const call = value.namedChild(0);
      if (call?.type === 'call' && model.callee(call) === 'builtins.open') found = positionalArguments(call)[0] ?? keywordArgument(call, 'file');
    }
    if (found) return found;
  }
  return undefined;
}
