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
 * finding's lines hold them, once each: most files have a few findings and many literals. A query
 * reads only the nodes of its range and their ancestors (no pass over every node of the file:
 * the server asks after every keystroke).
 */
export function secretLiteralsFinder(syntax: SyntaxTree): (from: number, to: number) => string[] {
  const { typeIds, grammar, count, starts, ends, parents } = syntax;
  const isString = grammar.typeFlags(['string']);
  const verdicts = new Map<number, string | null>();
  const secretAt = (id: number): string | null => {
    let verdict = verdicts.get(id);
    if (verdict === undefined) {
      const node = syntax.node(id);
      const value = stringValue(node);
      verdict = value !== undefined && mayBeSecret(value) && classifySecret(value, boundName(node)?.name) ? value : null;
      verdicts.set(id, verdict);
    }
    return verdict;
  };
  return (from, to) => {
    // In pre-order, starts never decrease: the first node starting at or after `from`.
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid] < from) low = mid + 1;
      else high = mid;
    }
    const out: string[] = [];
    // A literal starting before the range and reaching into it holds the last node starting before
    // it (a node after its subtree would start after its end), so it is that node or an ancestor.
    for (let id = low - 1; id >= 0; id = parents[id]) {
      if (ends[id] > from && isString[grammar.slotOf(typeIds[id])] === 1) {
        const secret = secretAt(id);
        if (secret !== null) out.unshift(secret);
      }
    }
    // Then the literals starting in the range, in document order.
    for (let id = low; id < count && starts[id] < to; id++) {
      if (isString[grammar.slotOf(typeIds[id])] !== 1) continue;
      const secret = secretAt(id);
      if (secret !== null) out.push(secret);
    }
    return out;
  };
}
