import type { SyntaxNode } from './parser';

/** The one way to read a Python string literal's value. */

/** A whole string literal: prefix, quotes, raw content. */
const STRING_LITERAL = /^([rRbBuUfF]{0,2})('''|"""|'|")([\s\S]*)\2$/;

/** Python string literal content without quotes or prefixes, or undefined for f-strings and concatenations. */
export function stringValue(node: SyntaxNode): string | undefined {
  if (node.type !== 'string') return undefined;
  // Fast path: a well-formed literal's value is the raw text between its quotes (the same as its
  // content and escape children joined), read with one call into the tree instead of one per child.
  const literal = STRING_LITERAL.exec(node.text);
  if (literal && !node.hasError) return /[fF]/.test(literal[1]) ? undefined : literal[3];
  let value = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') value += child.text;
    else if (child.type === 'escape_sequence') value += child.text;
  }
  const start = node.firstChild?.text ?? '';
  if (/[fF]/.test(start)) return undefined;
  return value;
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

/**
 * A string literal's fixed text: its content without quotes or prefix, an f-string's fields
 * dropped (`f"run-{i}.pkl"` → `run-.pkl`). For checks that read only what the source spells out.
 */
export function literalText(node: SyntaxNode): string {
  return joinedContent(node, false);
}

/**
 * The text a string literal starts with: its content, or an f-string's text before its first
 * field (`f"/data/{name}.csv"` → `/data/`), with `\\` read as one backslash outside raw strings;
 * undefined for bytes and for anything that is not a string.
 */
export function literalPrefix(node: SyntaxNode): string | undefined {
  if (node.type !== 'string') return undefined;
  const value = joinedContent(node, true);
  const prefix = node.firstChild?.text ?? '';
  if (/[bB]/.test(prefix)) return undefined;
  // Outside raw strings `\\` is one backslash.
  return /[rR]/.test(prefix) ? value : value.replace(/\\\\/g, '\\');
}

/** A string's content and escape children joined (as written), up to its first f-string field when `untilField`. */
function joinedContent(node: SyntaxNode, untilField: boolean): string {
  let value = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (untilField && child.type === 'interpolation') break;
    if (child.type === 'string_content' || child.type === 'escape_sequence') value += child.text;
  }
  return value;
}
