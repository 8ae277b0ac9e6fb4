/**
 * What CPython's compiler refuses that the grammar accepts: tree-sitter-python parses these
 * without an error, Python raises `SyntaxError` before the first line runs. Each function takes
 * one node and reads only inside it and its ancestors (`lateDeclaration` also reads its scope's
 * statements before it, `unboundNonlocal` the functions around it), so the syntax-error rule can
 * keep its verdict with the top-level statement (statement-scoped); `lateFutureImport`, and
 * `lateDeclaration` for a module-level `global`, read the module's top-level statements, which
 * the rule's module handler sees on every analysis. The messages are Python's.
 */
import type { SyntaxNode } from './parser';
import { COMPREHENSION_TYPES, enclosingScope, SCOPE_TYPES } from './tree-queries';

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
      } else if (SCOPE_TYPES.has(ancestor.type)) break;
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
    if (SCOPE_TYPES.has(node.type)) continue;
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
  // (Made at the first keyword argument: the handler runs on every call of each analysed statement.)
  let names: Set<string> | undefined;
  for (const argument of argumentList.namedChildren) {
    if (!argument || argument.type === 'comment' || argument.isError) continue;
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      if (name === DEBUG) return { node: argument, error: CANNOT_ASSIGN_DEBUG };
      if (name !== undefined && names?.has(name)) return { node: argument, error: { why: `keyword argument repeated: \`${name}\``, fix: 'pass it once' } };
      if (name !== undefined) (names ??= new Set()).add(name);
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
    if (shape.name === DEBUG) return { node, error: CANNOT_ASSIGN_DEBUG };
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
  if (!importFrom.namedChildren.some((child) => child?.type === 'wildcard_import') || !enclosingScope(importFrom)) return undefined;
  return { why: '`import *` only allowed at module level', fix: 'import the names the function uses' };
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

/** What `del` cannot delete, in Python's words (`del f()`: "function call"); undefined when every target can be deleted. */
export function deleteError(statement: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  const pending = statement.namedChildren.filter((child): child is SyntaxNode => child !== null).reverse();
  while (pending.length > 0) {
    const target = pending.pop() as SyntaxNode;
    if (target.isError || target.type === 'comment') continue;
    switch (target.type) {
      case 'identifier':
      case 'attribute':
      case 'subscript':
        continue;
      case 'expression_list':
      case 'tuple':
      case 'list':
      case 'parenthesized_expression':
        for (const child of [...target.namedChildren].reverse()) if (child) pending.push(child);
        continue;
    }
    const what = target.type === 'call' ? 'function call' : LITERALS.has(target.type) ? 'literal' : target.type === 'list_splat' ? 'starred' : 'expression';
    return { node: target, error: { why: `cannot delete ${what}`, fix: 'delete a name, an attribute or an item' } };
  }
  return undefined;
}

const LITERALS: ReadonlySet<string> = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none', 'ellipsis']);

const STARRED_TARGETS: ReadonlySet<string> = new Set(['list_splat_pattern', 'list_splat']);
const TARGET_LISTS: ReadonlySet<string> = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list']);

/**
 * What Python refuses in an assignment's, a `for` loop's or a `with`'s target: a starred name on
 * its own (`*rest = items`), two starred names in one list (`first, *a, *b = row`), a `__debug__`
 * it binds (`debugTargetError`).
 */
export function targetError(target: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  if (STARRED_TARGETS.has(target.type))
    return { node: target, error: { why: 'starred assignment target must be in a list or tuple', fix: 'write `*rest, = items`, or bind the list itself' } };
  const pending = [target];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (!TARGET_LISTS.has(node.type)) continue;
    let starred = 0;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (STARRED_TARGETS.has(child.type) && ++starred === 2)
        return { node: child, error: { why: 'multiple starred expressions in assignment', fix: 'keep one starred name' } };
      pending.push(child);
    }
  }
  return debugTargetError(target);
}

/**
 * `__debug__`, which Python refuses to bind anywhere: its compiler reads it as a constant. The
 * message is Python's for every binding but `del` ("cannot delete __debug__").
 */
const DEBUG = '__debug__';
const CANNOT_ASSIGN_DEBUG: CompileError = { why: 'cannot assign to __debug__', fix: 'choose another name' };

/** Whether `name` (an identifier) is `__debug__`; its length first, since most assignments run this. */
function isDebug(name: SyntaxNode | null | undefined): boolean {
  return name?.type === 'identifier' && name.endIndex - name.startIndex === DEBUG.length && name.text === DEBUG;
}

/**
 * The `__debug__` an assignment's, a `for`'s, a comprehension's or a `with`'s target binds: a name
 * (`__debug__ = 1`, `a, *__debug__ = t`) or an attribute (`x.__debug__ = 1`); not a subscript or an
 * attribute's object, which are read. `augmented` (`+=`): only a name, as Python.
 */
export function debugTargetError(target: SyntaxNode, augmented = false): { node: SyntaxNode; error: CompileError } | undefined {
  const pending = [target];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (node.type === 'identifier') {
      if (isDebug(node)) return { node, error: CANNOT_ASSIGN_DEBUG };
    } else if (node.type === 'attribute') {
      const attribute = node.childForFieldName('attribute');
      if (!augmented && attribute && isDebug(attribute)) return { node: attribute, error: CANNOT_ASSIGN_DEBUG };
    } else if (!augmented && (TARGET_LISTS.has(node.type) || STARRED_TARGETS.has(node.type) || node.type === 'parenthesized_expression')) {
      for (const child of node.namedChildren) if (child) pending.push(child);
    }
  }
  return undefined;
}

/** `del __debug__` (alone or in a list of targets). */
export function debugDeleteError(statement: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  const pending = statement.namedChildren.filter((child): child is SyntaxNode => child !== null);
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (isDebug(node)) return { node, error: { why: 'cannot delete __debug__', fix: 'delete another name' } };
    if (TARGET_LISTS.has(node.type) || node.type === 'parenthesized_expression') for (const child of node.namedChildren) if (child) pending.push(child);
  }
  return undefined;
}

/**
 * The `__debug__` a `case` pattern binds: a capture (`case __debug__:`, `case [__debug__]:`), an
 * `as`, a star (`*__debug__`, `**__debug__`), a class pattern's keyword (`P(__debug__=1)`). A
 * dotted value (`case a.__debug__:`) and a class pattern's class are read.
 */
export function debugPatternError(clause: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  const pending = clause.namedChildren.filter((child): child is SyntaxNode => child?.type === 'case_pattern');
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (isDebug(node)) {
      const parent = node.parent;
      const read = parent?.type === 'dotted_name' && (parent.namedChildCount > 1 || parent.parent?.type === 'class_pattern');
      if (!read) return { node, error: CANNOT_ASSIGN_DEBUG };
    }
    for (const child of node.namedChildren) if (child) pending.push(child);
  }
  return undefined;
}

/**
 * The `__debug__` a statement binds by name: a function or class named so, an import bound to it
 * (`import __debug__`, `import a as __debug__`, `from m import __debug__`), an exception caught as
 * it, a walrus target.
 */
export function debugNameError(node: SyntaxNode): CompileError | undefined {
  return boundNames(node).some(isDebug) ? CANNOT_ASSIGN_DEBUG : undefined;
}

/** The names a definition, an import, an `except … as` or a walrus binds. */
function boundNames(node: SyntaxNode): readonly (SyntaxNode | null)[] {
  switch (node.type) {
    case 'function_definition':
    case 'class_definition':
    case 'named_expression':
      return [node.childForFieldName('name')];
    case 'except_clause': {
      // `except E as name`: this grammar reads `E as name` as an `as_pattern`.
      const alias = node.childForFieldName('alias') ?? node.namedChildren.find((child) => child?.type === 'as_pattern')?.childForFieldName('alias');
      return [alias?.type === 'as_pattern_target' ? alias.namedChildren[0] : (alias ?? null)];
    }
    case 'import_statement':
    case 'import_from_statement':
      // `import a.b` binds `a`; `from m import a` binds `a`; `… as c` binds `c`.
      return node.childrenForFieldName('name').map((name) => (name.type === 'aliased_import' ? name.childForFieldName('alias') : name.namedChildren[0]));
    default:
      return [];
  }
}

/**
 * `(*a)`: a starred item alone in parentheses, without the comma that makes a tuple of one
 * (`(*a,)`). Python refuses it as a target and as a value; this grammar reads it as a tuple, a
 * tuple pattern or a parenthesised expression, so the node's children are counted: `(`, the
 * starred item, `)`.
 */
export function parenthesisedStarError(node: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  if (node.childCount !== 3) return undefined;
  const inner = node.child(1);
  if (!inner || !STARRED_TARGETS.has(inner.type)) return undefined;
  return { node: inner, error: { why: 'cannot use starred expression here', fix: 'add a comma for a tuple of one (`(*a,)`), or remove the star' } };
}

/** `a, b += 1`: an augmented assignment to a tuple or a list, which Python refuses. */
export function augmentedTargetError(assignment: SyntaxNode): { node: SyntaxNode; error: CompileError } | undefined {
  const left = assignment.childForFieldName('left');
  if (!left) return undefined;
  const kind =
    left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'tuple' || left.type === 'expression_list'
      ? 'tuple'
      : left.type === 'list_pattern' || left.type === 'list'
        ? 'list'
        : undefined;
  return kind ? { node: left, error: { why: `'${kind}' is an illegal expression for augmented assignment`, fix: 'update each name on its own' } } : undefined;
}

/** `nonlocal x` outside any function or class. */
export function moduleNonlocal(statement: SyntaxNode): CompileError | undefined {
  if (enclosingScope(statement)) return undefined;
  return { why: 'nonlocal declaration not allowed at module level', fix: 'use `global`, or move the code into a function' };
}

/**
 * `nonlocal x` where no enclosing function binds `x`: Python looks in the functions around the
 * declaring scope, skipping class bodies and never reaching the module ("no binding for nonlocal
 * 'x' found"). Each function around it is read within the top-level statement. Any binding counts
 * that this reading cannot place (a walrus in a lambda), so a miss is possible, a false finding
 * is not.
 */
export function unboundNonlocal(statement: SyntaxNode): CompileError | undefined {
  const own = enclosingScope(statement);
  if (!own) return undefined; // At module level: `moduleNonlocal`.
  const wanted = new Set(statement.namedChildren.filter((child) => child?.type === 'identifier').map((child) => (child as SyntaxNode).text));
  const bound = new Set<string>();
  for (let node = own.parent; node; node = node.parent) if (node.type === 'function_definition') namesBoundIn(node, wanted, bound);
  const unbound = [...wanted].find((name) => !bound.has(name));
  return unbound === undefined
    ? undefined
    : { why: `no binding for nonlocal '${unbound}' found`, fix: `bind \`${unbound}\` in the enclosing function, or use \`global\`` };
}

/**
 * Adds to `bound` which of `wanted` the function `fn` binds in its own scope: a parameter, or in
 * its body a name assigned, annotated, a loop's or a `with`'s target, a walrus (in a comprehension
 * too), a function's or class's name, an import, an exception caught as it, deleted, captured by a
 * `case` pattern, a type parameter, or declared `nonlocal`. Nested functions' and classes' bodies
 * are other scopes; their names, decorators, defaults and bases are read.
 */
function namesBoundIn(fn: SyntaxNode, wanted: ReadonlySet<string>, bound: Set<string>): void {
  const note = (name: string | undefined): void => {
    if (name !== undefined && wanted.has(name)) bound.add(name);
  };
  for (const child of fn.childForFieldName('parameters')?.namedChildren ?? []) if (child) note(parameter(child)?.name);
  const body = fn.childForFieldName('body');
  const pending: SyntaxNode[] = body ? [body] : [];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (node.type === 'identifier') {
      if (wanted.has(node.text) && (occurrence(node) !== 'used' || inBindingPattern(node))) bound.add(node.text);
      continue;
    }
    for (const name of boundNames(node)) if (name?.type === 'identifier') note(name.text);
    if (node.type === 'delete_statement' || node.type === 'nonlocal_statement')
      for (const child of node.namedChildren) if (child?.type === 'identifier') note(child.text);
    const nested = node.type === 'function_definition' || node.type === 'class_definition';
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child && !(nested && child.type === 'block')) pending.push(child);
    }
  }
}

/**
 * Inside a `case` pattern, a `del` target list or a type parameter, where a name may bind; not a
 * class pattern's keyword or class (`case Point(x=0)`), nor a dotted value (`case Color.RED`).
 */
function inBindingPattern(identifier: SyntaxNode): boolean {
  const parent = identifier.parent;
  if (parent?.type === 'keyword_pattern' && parent.namedChildren[0]?.id === identifier.id) return false;
  if (parent?.type === 'dotted_name' && (parent.namedChildCount > 1 || parent.parent?.type === 'class_pattern')) return false;
  for (let node = identifier.parent; node; node = node.parent) {
    if (node.type === 'case_pattern' || node.type === 'type_parameter' || node.type === 'delete_statement') return true;
    if (SCOPE_TYPES.has(node.type) || node.type === 'block') return false;
  }
  return false;
}

/**
 * A generator expression passed among other arguments without its own parentheses
 * (`sum(x for x in xs, 0)`, `f(x for x in xs,)`): the grammar reads the rest as the loop's
 * iterable. Also a comprehension over an unparenthesised tuple (`[x for x in a, b]`).
 */
export function unparenthesisedGenerator(clause: SyntaxNode): CompileError | undefined {
  const comprehension = clause.parent;
  if (!comprehension) return undefined;
  // The grammar puts what follows the comma among the clause's iterables, or leaves the comma in the clause.
  if (clause.childrenForFieldName('right').length < 2 && !clause.children.some((child) => child?.type === ',')) return undefined;
  // A call whose only argument is a generator expression shares its parentheses (`arguments` is the generator).
  const argument = comprehension.type === 'generator_expression' && comprehension.parent?.type === 'call';
  return argument
    ? { why: 'Generator expression must be parenthesized', fix: 'put the generator expression in its own parentheses' }
    : { why: 'invalid syntax', fix: 'put the iterable tuple in parentheses' };
}

/** `!z` in `f"{x!z}"`: Python knows `!s`, `!r` and `!a`. */
export function conversionError(conversion: SyntaxNode): CompileError | undefined {
  return /^!(s|r|a)$/.test(conversion.text)
    ? undefined
    : { why: "f-string: invalid conversion character: expected 's', 'r', or 'a'", fix: 'use `!s`, `!r` or `!a`, or none' };
}

const IMPORTS: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);
const TARGET_WRAPPERS: ReadonlySet<string> = new Set([...TARGET_LISTS, 'list_splat_pattern', 'list_splat', 'parenthesized_expression']);

/** How an identifier stands in its scope: bound by an (annotated) assignment, a loop, a `with`, or read. */
function occurrence(identifier: SyntaxNode): 'assigned' | 'annotated' | 'used' {
  let node = identifier;
  while (node.parent && TARGET_WRAPPERS.has(node.parent.type)) node = node.parent;
  const parent = node.parent;
  if (!parent) return 'used';
  if (parent.type === 'as_pattern_target' || (parent.type === 'named_expression' && parent.childForFieldName('name')?.id === node.id)) return 'assigned';
  const isLeft = parent.childForFieldName('left')?.id === node.id;
  if (parent.type === 'assignment' && isLeft) return parent.childForFieldName('type') && node.id === identifier.id ? 'annotated' : 'assigned';
  if ((parent.type === 'augmented_assignment' || parent.type === 'for_statement') && isLeft) return 'assigned';
  return 'used';
}

/**
 * What Python evaluates in the scope around a function, class, lambda or comprehension, in
 * document order: a function's or lambda's defaults and annotations, a class's bases and keywords,
 * a comprehension's first iterable. The rest is the nested scope's own.
 */
function evaluatedOutside(scope: SyntaxNode): SyntaxNode[] {
  const parts: (SyntaxNode | null)[] = [];
  if (COMPREHENSION_TYPES.has(scope.type)) {
    const first = scope.namedChildren.find((child) => child?.type === 'for_in_clause');
    parts.push(...(first?.childrenForFieldName('right') ?? []));
  } else if (scope.type === 'class_definition') {
    parts.push(scope.childForFieldName('superclasses'));
  } else {
    for (const item of scope.childForFieldName('parameters')?.namedChildren ?? []) {
      if (item?.type === 'typed_parameter') parts.push(item.childForFieldName('type'));
      else if (item?.type === 'default_parameter' || item?.type === 'typed_default_parameter')
        parts.push(item.childForFieldName('type'), item.childForFieldName('value'));
    }
    parts.push(scope.childForFieldName('return_type'));
  }
  return parts.filter((part): part is SyntaxNode => part !== null);
}

/** The names the walruses of a comprehension bind, which Python binds in the scope around it (`[(x := f(y)) for y in z]`). */
function walrusNames(comprehension: SyntaxNode): SyntaxNode[] {
  const names: SyntaxNode[] = [];
  const pending = [comprehension];
  while (pending.length > 0) {
    const node = pending.pop() as SyntaxNode;
    if (node.type === 'lambda') continue;
    if (node.type === 'named_expression') {
      const name = node.childForFieldName('name');
      if (name) names.push(name);
    }
    for (const child of node.namedChildren) if (child) pending.push(child);
  }
  return names;
}

/**
 * `global x` (or `nonlocal x`) after its scope has read or bound `x`, or naming a parameter of its
 * function: Python refuses the declaration. Only what the scope itself does before the statement
 * counts: nested functions and classes (but their names, which they bind), lambdas and
 * comprehensions are other scopes, and imports are not read (a miss, never a false finding).
 */
export function lateDeclaration(statement: SyntaxNode): CompileError | undefined {
  const keyword = statement.type === 'global_statement' ? 'global' : 'nonlocal';
  const names = new Set(statement.namedChildren.filter((child) => child?.type === 'identifier').map((child) => (child as SyntaxNode).text));
  if (names.size === 0) return undefined;
  // (A statement is never inside a lambda.)
  const scope = enclosingScope(statement) ?? statement.tree.rootNode;
  if (scope.type === 'function_definition') {
    for (const node of scope.childForFieldName('parameters')?.namedChildren ?? []) {
      const name = node && parameter(node)?.name;
      if (name && names.has(name)) return { why: `name '${name}' is parameter and ${keyword}`, fix: 'rename the parameter or the variable' };
    }
  }
  const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
  const seen = new Map<string, Set<'assigned' | 'annotated' | 'used'>>();
  const note = (name: string, how: 'assigned' | 'annotated' | 'used'): void => {
    if (!names.has(name)) return;
    const hows = seen.get(name) ?? new Set();
    hows.add(how);
    seen.set(name, hows);
  };
  const pending = body ? [...body.namedChildren].reverse() : [];
  while (pending.length > 0) {
    const node = pending.pop();
    // (Nodes come in document order, and what `evaluatedOutside` pushes comes before what follows it.)
    if (!node || node.startIndex >= statement.startIndex) break;
    if (node.type === 'function_definition' || node.type === 'class_definition') {
      const name = node.childForFieldName('name');
      if (name) note(name.text, 'assigned');
    }
    if (COMPREHENSION_TYPES.has(node.type)) for (const walrus of walrusNames(node)) note(walrus.text, 'assigned');
    if (SCOPE_TYPES.has(node.type) || COMPREHENSION_TYPES.has(node.type)) {
      pending.push(...evaluatedOutside(node).reverse());
      continue;
    }
    if (IMPORTS.has(node.type) || node.type === 'global_statement' || node.type === 'nonlocal_statement') continue;
    if (node.type === 'identifier') {
      const parent = node.parent;
      const field = parent?.type === 'attribute' ? 'attribute' : parent?.type === 'keyword_argument' ? 'name' : undefined;
      if (!(field && parent?.childForFieldName(field)?.id === node.id)) note(node.text, occurrence(node));
      continue;
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child) pending.push(child);
    }
  }
  for (const name of names) {
    const hows = seen.get(name);
    if (!hows) continue;
    const why = hows.has('used')
      ? `name '${name}' is used prior to ${keyword} declaration`
      : hows.has('annotated')
        ? `annotated name '${name}' can't be ${keyword}`
        : `name '${name}' is assigned to before ${keyword} declaration`;
    const where = scope.type === 'module' ? 'file' : scope.type === 'class_definition' ? 'class' : 'function';
    return { why, fix: `put \`${keyword} ${name}\` at the start of the ${where}` };
  }
  return undefined;
}
