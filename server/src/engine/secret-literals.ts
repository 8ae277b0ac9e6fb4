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
 * finding's lines hold them, once each: most files have a few findings and many literals. The
 * literals are listed by one loop over the type ids (a flag per type, no set look-up per node:
 * the server runs this after every keystroke), then each range is a binary search.
 */
export function secretLiteralsFinder(syntax: SyntaxTree): (from: number, to: number) => string[] {
  const { typeIds, grammar, count, starts, ends } = syntax;
  const isString = grammar.typeFlags(['string']);
  const ids: number[] = [];
  /** The largest end among the literals up to each one (never decreases): where a range's first overlapping literal can be. */
  const reach: number[] = [];
  for (let id = 0; id < count; id++) {
    if (isString[grammar.slotOf(typeIds[id])] !== 1) continue;
    reach.push(Math.max(ends[id], reach.length > 0 ? reach[reach.length - 1] : 0));
    ids.push(id);
  }
  const verdicts = new Map<number, string | null>();
  return (from, to) => {
    const out: string[] = [];
    // The first literal that may reach into the range: a binary search over `reach`.
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (reach[mid] <= from) low = mid + 1;
      else high = mid;
    }
    // Pre-order: starts never decrease, so the scan stops at the first literal past the range.
    for (let k = low; k < ids.length; k++) {
      const id = ids[k];
      if (starts[id] >= to) break;
      if (ends[id] <= from) continue;
      let verdict = verdicts.get(id);
      if (verdict === undefined) {
        const node = syntax.node(id);
        const value = stringValue(node);
        verdict = value !== undefined && mayBeSecret(value) && classifySecret(value, boundName(node)?.name) ? value : null;
        verdicts.set(id, verdict);
      }
      if (verdict !== null) out.push(verdict);
    }
    return out;
  };
}
