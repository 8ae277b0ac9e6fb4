import type { SyntaxNode } from './parser';

/** Questions about where a node sits in the tree: containment, bodies, decorators, descendants. */

/** The nodes that open a scope of their own for the names bound in their body: a `def`, a `class`, a `lambda`. */
export const SCOPE_TYPES: ReadonlySet<string> = new Set(['function_definition', 'class_definition', 'lambda']);

/** Comprehensions, whose loop variables are their own (a scope of their own too, in Python 3). */
export const COMPREHENSION_TYPES: ReadonlySet<string> = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

/** The innermost `def`, `class` or `lambda` around `node` (undefined at a module's top level). */
export function enclosingScope(node: SyntaxNode): SyntaxNode | undefined {
  for (let ancestor = node.parent; ancestor; ancestor = ancestor.parent) if (SCOPE_TYPES.has(ancestor.type)) return ancestor;
  return undefined;
}

/** The name of a `def` or `class`. */
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

/**
 * True when `fn` hands the variable `name` back from its own body: `return name`, or with what goes
 * with it, `return name, other`; with `yields`, `yield name` too (a pytest fixture).
 */
export function handsBack(fn: SyntaxNode, name: string, yields = false): boolean {
  return descendants(fn, yields ? HANDING_BACK_OR_YIELDING : HANDING_BACK).some((statement) => {
    if (!inSameBody(fn, statement)) return false;
    const value = statement.namedChild(0);
    const items = value?.type === 'expression_list' || value?.type === 'tuple' ? value.namedChildren : [value];
    return items.some((item) => item?.text === name);
  });
}
const HANDING_BACK: ReadonlySet<string> = new Set(['return_statement']);
const HANDING_BACK_OR_YIELDING: ReadonlySet<string> = new Set(['return_statement', 'yield']);

/** Decorators of a function or class (`@app.post("/x")` → the `app.post("/x")` expression). */
export function decoratorsOf(definition: SyntaxNode): SyntaxNode[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren
    .filter((child): child is SyntaxNode => child?.type === 'decorator')
    .map((decorator) => decorator.namedChild(0))
    .filter((expr): expr is SyntaxNode => expr !== null);
}

/**
 * True when a `with` block whose body holds `node` has a context expression that passes `test`,
 * innermost first, across nested functions too (a closure defined under a context runs there):
 * `with torch.no_grad():` tests the `torch.no_grad()` call, `with redirect_stdout(buf) as out:`
 * the `redirect_stdout(buf)` call. Stops at the first that passes.
 */
export function inWithContext(node: SyntaxNode, test: (context: SyntaxNode) => boolean): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== 'with_statement') continue;
    const body = current.childForFieldName('body');
    if (!body || !contains(body, node)) continue;
    for (const item of current.namedChildren[0]?.namedChildren ?? []) {
      const value = item?.namedChild(0);
      const expr = value?.type === 'as_pattern' ? value.namedChild(0) : value;
      if (expr && test(expr)) return true;
    }
  }
  return false;
}

/** Every descendant of `node` of one of `types` (depth first, document order). */
export function descendants(node: SyntaxNode, types: ReadonlySet<string> | string): SyntaxNode[] {
  // A scan of the subtree's slice of the tree's arrays, in document order.
  return node.descendantsOfType(types);
}
