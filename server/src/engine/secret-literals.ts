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
 * every other rule's message and fix title on the same lines.
 */
export function secretLiterals(syntax: SyntaxTree): { start: number; end: number; value: string }[] {
  const { typeIds, grammar, count } = syntax;
  const stringIds = grammar.typeIdSet(['string']);
  const found: { start: number; end: number; value: string }[] = [];
  for (let id = 0; id < count; id++) {
    if (!stringIds.has(typeIds[id])) continue;
    const node = syntax.node(id);
    const value = stringValue(node);
    if (value === undefined || !mayBeSecret(value)) continue;
    if (classifySecret(value, boundName(node)?.name)) found.push({ start: node.startIndex, end: node.endIndex, value });
  }
  return found;
}
