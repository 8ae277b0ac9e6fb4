/**
 * What CPython's compiler refuses that the grammar accepts: tree-sitter-python parses these
 * without an error, Python raises `SyntaxError` before the first line runs. Each function takes
 * one node and reads only inside it and its ancestors, so the syntax-error rule can keep its
 * verdict with the statement (statement-scoped); `futureImportsError` reads the module's top-level
 * statements, which the rule's module handler sees on every analysis. The messages are Python's.
 */
import type { SyntaxNode } from './parser';

/** True when a function, loop or `with` node is written `async`. */
export function isAsync(node: SyntaxNode): boolean {
  return node.firstChild?.type === 'async';
}

/**
 * Why Python's compiler refuses a keyword where it stands (the grammar accepts it): `return` and
 * `yield` outside a function, `break` and `continue` outside a loop, `await`, `async for` and
 * `async with` outside an `async def` (a notebook's top level is fine: IPython awaits there), and
 * `return value` in an `async def` that also yields (an async generator: a streaming endpoint that
 * yields chunks, then returns the whole text). `yields` tells whether a function's own body yields
 * (`bodyYields`, which a caller may remember per function). Undefined when it may stand there.
 */
export function misplacedKeyword(node: SyntaxNode, inNotebook: boolean, yields: (fn: SyntaxNode) => boolean = bodyYields): CompileError | undefined {
  const keyword =
    node.type === 'return_statement' ? 'return' : node.type === 'break_statement' ? 'break' : node.type === 'continue_statement' ? 'continue' : node.type;
  if (keyword === 'break' || keyword === 'continue') {
    // The nearest loop, unless the statement is in the loop's own `else:` (which runs after it).
    let child = node;
    for (let ancestor = node.parent; ancestor; child = ancestor, ancestor = ancestor.parent) {
      if (ancestor.type === 'for_statement' || ancestor.type === 'while_statement') {
        if (child.type !== 'else_clause') return undefined;
      } else if (ancestor.type === 'function_definition' || ancestor.type === 'class_definition' || ancestor.type === 'lambda') break;
    }
    return { why: `\`${keyword}\` outside a loop` };
  }
  const awaits = keyword === 'await' || keyword === 'for_statement' || keyword === 'with_statement';
  const shown = keyword === 'for_statement' ? 'async for' : keyword === 'with_statement' ? 'async with' : keyword;
  for (let ancestor = node.parent; ancestor; ancestor = ancestor.parent) {
    if (ancestor.type === 'function_definition') {
      if (awaits) return isAsync(ancestor) ? undefined : { why: `\`${shown}\` in a function that is not \`async def\`` };
      if (keyword === 'return' && node.namedChildCount > 0 && isAsync(ancestor) && yields(ancestor))
        return { why: '`return` with a value in an async generator', fix: 'yield the value, then `return` without one' };
      return undefined;
    }
    if (ancestor.type === 'lambda') return keyword === 'yield' ? undefined : awaits ? { why: `\`${shown}\` in a lambda` } : undefined;
    if (ancestor.type === 'class_definition') return { why: awaits ? `\`${shown}\` outside an \`async def\`` : `\`${shown}\` outside a function` };
  }
  if (awaits) return inNotebook ? undefined : { why: `\`${shown}\` outside an \`async def\``, topLevelAwait: true };
  return { why: `\`${shown}\` outside a function` };
}

/** Whether a function's own body holds a `yield` (nested functions, lambdas and classes are theirs). */
export function bodyYields(fn: SyntaxNode): boolean {
  const pending: SyntaxNode[] = [];
  const body = fn.childForFieldName('body');
  if (body) pending.push(body);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'yield') return true;
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') continue;
    for (const child of node.namedChildren) if (child) pending.push(child);
  }
  return false;
}

/** Why Python's compiler refuses a node; `topLevelAwait`: an `await` at a script's top level (fine in a script of `# %%` cells). */
export interface CompileError {
  why: string;
  /** What to do, when it is not to move or remove the keyword. */
  fix?: string;
  topLevelAwait?: boolean;
}

/**
 * A call's (or a class's bases') arguments in an order Python refuses: a positional argument after
 * a keyword argument or after `**`, `*iterable` after `**`, a keyword given twice.
 */
export function argumentsError(argumentList: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  let keyword = false;
  let doubleStar = false;
  const names = new Set<string>();
  for (const argument of argumentList.namedChildren) {
    if (!argument || argument.type === 'comment' || argument.isError) continue;
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      if (name !== undefined && names.has(name)) return { node: argument, error: { why: `keyword argument repeated: \`${name}\``, fix: 'pass it once' } };
      if (name !== undefined) names.add(name);
      keyword = true;
    } else if (argument.type === 'dictionary_splat') {
      doubleStar = true;
    } else if (argument.type === 'list_splat') {
      if (doubleStar)
        return { node: argument, error: { why: 'iterable argument unpacking follows keyword argument unpacking', fix: 'pass `*args` before `**kwargs`' } };
    } else if (doubleStar) {
      return { node: argument, error: { why: 'positional argument follows keyword argument unpacking', fix: 'pass positional arguments first' } };
    } else if (keyword) {
      return { node: argument, error: { why: 'positional argument follows keyword argument', fix: 'pass positional arguments first, or name this one' } };
    }
  }
  return undefined;
}

/** The name a parameter binds (`x`, `x=1`, `x: int`, `x: int = 1`, `*args`, `**kw`), and its kind. */
function parameter(node: SyntaxNode): { name?: string; kind: 'plain' | 'default' | 'star' | 'double-star' | 'bare-star' | 'slash' } | undefined {
  switch (node.type) {
    case 'identifier':
      return { name: node.text, kind: 'plain' };
    case 'default_parameter':
    case 'typed_default_parameter':
      return { name: node.childForFieldName('name')?.text, kind: 'default' };
    case 'typed_parameter': {
      const inner = node.namedChildren.find((child) => child !== null && child.type !== 'type');
      if (!inner) return undefined;
      const shape = parameter(inner);
      return shape ? { name: shape.name, kind: shape.kind === 'star' || shape.kind === 'double-star' ? shape.kind : 'plain' } : undefined;
    }
    case 'list_splat_pattern':
      return { name: node.namedChildren.find((child) => child?.type === 'identifier')?.text, kind: 'star' };
    case 'dictionary_splat_pattern':
      return { name: node.namedChildren.find((child) => child?.type === 'identifier')?.text, kind: 'double-star' };
    case 'keyword_separator':
      return { kind: 'bare-star' };
    case 'positional_separator':
      return { kind: 'slash' };
    default:
      return undefined;
  }
}

/**
 * A function's or a lambda's parameters as Python refuses them: a name given twice, a parameter
 * without a default after one with a default (before `*`), a bare `*` with no named parameter after it.
 */
export function parametersError(parameters: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  const names = new Set<string>();
  let defaulted = false;
  let keywordOnly = false;
  let bareStar: SyntaxNode | undefined;
  for (const node of parameters.namedChildren) {
    if (!node || node.type === 'comment' || node.isError) continue;
    const shape = parameter(node);
    if (!shape) continue;
    if (shape.name !== undefined) {
      if (names.has(shape.name)) return { node, error: { why: `duplicate argument \`${shape.name}\` in function definition`, fix: 'rename one of them' } };
      names.add(shape.name);
    }
    if (shape.kind === 'star' || shape.kind === 'bare-star') {
      keywordOnly = true;
      if (shape.kind === 'bare-star') bareStar = node;
    } else if (shape.kind === 'default') {
      defaulted = true;
      bareStar = undefined;
    } else if (shape.kind === 'plain') {
      if (defaulted && !keywordOnly)
        return {
          node,
          error: { why: 'parameter without a default follows parameter with a default', fix: 'give it a default, or move it before the parameters with one' },
        };
      bareStar = undefined;
    }
  }
  return bareStar
    ? { node: bareStar, error: { why: 'named arguments must follow bare `*`', fix: 'name a keyword-only parameter after `*`, or remove the `*`' } }
    : undefined;
}

/** `from m import *` inside a function or a class. */
export function wildcardImportError(importFrom: SyntaxNode): CompileError | undefined {
  if (!importFrom.namedChildren.some((child) => child?.type === 'wildcard_import')) return undefined;
  for (let ancestor = importFrom.parent; ancestor; ancestor = ancestor.parent) {
    if (ancestor.type === 'function_definition' || ancestor.type === 'class_definition')
      return { why: '`import *` only allowed at module level', fix: 'import the names the function uses' };
  }
  return undefined;
}

export const LATE_FUTURE_IMPORT: CompileError = {
  why: '`from __future__` imports must occur at the beginning of the file',
  fix: 'move it to the top, after the docstring',
};

/**
 * The first `from __future__ import` that does not open its file: only a docstring, comments and
 * other future imports may come before it (its error is `LATE_FUTURE_IMPORT`, as for one inside a
 * function or class). `statements` are the file's top-level statements, in order.
 */
export function lateFutureImport(statements: readonly SyntaxNode[]): SyntaxNode | undefined {
  let opening = true;
  let docstringAllowed = true;
  for (const statement of statements) {
    if (statement.type === 'comment') continue;
    if (statement.type === 'future_import_statement') {
      if (!opening) return statement;
      docstringAllowed = false;
      continue;
    }
    const docstring =
      docstringAllowed && statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.namedChildren[0]?.type === 'string';
    docstringAllowed = false;
    if (!docstring) opening = false;
  }
  return undefined;
}
