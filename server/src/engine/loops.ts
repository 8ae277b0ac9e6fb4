import type { SyntaxNode } from './parser';
import { COMPREHENSION_TYPES, contains, SCOPE_TYPES } from './tree-queries';

/** The loops a node runs in: `for`/`while` bodies and comprehension clauses. */

const LOOP_TYPES = new Set(['for_statement', 'while_statement']);

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
    if (SCOPE_TYPES.has(type)) break;
    if (LOOP_TYPES.has(type) || COMPREHENSION_TYPES.has(type)) containers.push(current);
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
    } else if (COMPREHENSION_TYPES.has(type)) {
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
