import type { SyntaxNode, SyntaxTree } from './parser';
import { stringValue } from './literals';
import { dottedText } from './semantic';
import { classifySecret, mayBeSecret } from './secrets';

/** The name a literal is bound to: assignment target, keyword, dictionary key, parameter. */
export function boundName(node: SyntaxNode): { name: string } | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    const name = left ? dottedText(left) : undefined;
    return name ? { name: name.split('.').pop()! } : undefined;
  }
  if (parent.type === 'keyword_argument' && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name')?.text;
    return name ? { name } : undefined;
  }
  if ((parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name')?.text;
    return name ? { name } : undefined;
  }
  if (parent.type === 'pair' && parent.childForFieldName('value')?.id === node.id) {
    const key = parent.childForFieldName('key');
    const name = key ? stringValue(key) : undefined;
    return name ? { name } : undefined;
  }
  return undefined;
}

/**
 * The string literals that are credentials by their shape or by the name they are bound to (what
 * `hardcoded-secret` reports), whether or not that rule runs: `analyze` masks their values in
 * every other rule's message and fix title on the same lines. Literals are judged only when a
 * finding's lines hold them, once each: most files have a few findings and many literals. Only the
 * nodes of each range are read (the server runs this after every keystroke; listing every literal
 * of the file first was 5% of an edit of the 2,000-line bench file). Node ids are in document
 * order and starts never decrease along them, so the range's nodes are found by a binary search,
 * and a literal that starts before the range and reaches into it contains the range's start: it is
 * the last node starting before it or one of that node's parents.
 */
export function secretLiteralsFinder(syntax: SyntaxTree): (from: number, to: number) => string[] {
  const { typeIds, grammar, count, starts, ends, parents } = syntax;
  const isString = grammar.typeFlags(['string']);
  const verdicts = new Map<number, string | null>();
  const verdictOf = (id: number): string | null => {
    let verdict = verdicts.get(id);
    if (verdict === undefined) {
      const node = syntax.node(id);
      const value = stringValue(node);
      verdict = value !== undefined && mayBeSecret(value) && classifySecret(value, boundName(node)?.name) ? value : null;
      verdicts.set(id, verdict);
    }
    return verdict;
  };
  const literal = (id: number): boolean => isString[grammar.slotOf(typeIds[id])] === 1;
  return (from, to) => {
    // The first node that starts at or after `from`.
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < from) low = mid + 1;
      else high = mid;
    }
    const found: number[] = [];
    for (let id = low - 1; id >= 0; id = parents[id]) if (literal(id) && ends[id] > from) found.push(id);
    found.reverse();
    for (let id = low; id < count && starts[id] < to; id++) if (literal(id) && ends[id] > from) found.push(id);
    const out: string[] = [];
    for (const id of found) {
      const verdict = verdictOf(id);
      if (verdict !== null) out.push(verdict);
    }
    return out;
  };
}
