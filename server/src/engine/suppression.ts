import type { SyntaxNode } from './parser';
import type { LineIndex } from './text';

// `# mlready: ignore`, `# mlready: ignore[rule-a, rule-b]`, `# mlready: ignore-file[rule]` inside a comment.
const DIRECTIVE = /mlready:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?/g;

export interface Suppressions {
  /** `commentLine`: the line where the finding's statement takes a comment (see `commentLineFor`). */
  suppresses(rule: string, startLine: number, endLine: number, commentLine?: number): boolean;
  /** True when some line holds a directive (else no `commentLine` can change an answer). */
  readonly onLines: boolean;
}

/** Reads suppression comments (found by the parser as comment nodes, so strings never count). */
export function parseSuppressions(comments: readonly SyntaxNode[], lines: LineIndex): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  let fileWide: Set<string> | 'all' | undefined;
  for (const comment of comments) {
    const text = comment.text;
    if (!text.includes('mlready:')) continue;
    for (const match of text.matchAll(DIRECTIVE)) {
      const rules =
        match[2] === undefined
          ? 'all'
          : new Set(
              match[2]
                .split(',')
                .map((r) => r.trim())
                .filter(Boolean),
            );
      if (match[1] === 'ignore-file') {
        fileWide = merge(fileWide, rules);
      } else {
        const line = lines.position(comment.startIndex).line;
        byLine.set(line, merge(byLine.get(line), rules));
      }
    }
  }
  return {
    onLines: byLine.size > 0,
    suppresses(rule, startLine, endLine, commentLine) {
      if (covers(fileWide, rule)) return true;
      return (
        covers(byLine.get(startLine), rule) ||
        (endLine !== startLine && covers(byLine.get(endLine), rule)) ||
        (commentLine !== undefined && commentLine !== startLine && commentLine !== endLine && covers(byLine.get(commentLine), rule))
      );
    },
  };
}

/** A rule name written in a suppression comment, with its span in the analysed program. */
export interface SuppressedName {
  name: string;
  start: number;
  end: number;
}

/** Every rule name written in `# mlready: ignore[…]` and `# mlready: ignore-file[…]` comments. */
export function suppressedNames(comments: readonly SyntaxNode[]): SuppressedName[] {
  const names: SuppressedName[] = [];
  for (const comment of comments) {
    const text = comment.text;
    if (!text.includes('mlready:')) continue;
    for (const match of text.matchAll(DIRECTIVE)) {
      if (match[2] === undefined || match.index === undefined) continue;
      let offset = comment.startIndex + match.index + match[0].indexOf('[') + 1;
      for (const part of match[2].split(',')) {
        const name = part.trim();
        if (name) {
          const start = offset + part.indexOf(name);
          names.push({ name, start, end: start + name.length });
        }
        offset += part.length + 1;
      }
    }
  }
  return names;
}

function merge(existing: Set<string> | 'all' | undefined, added: Set<string> | 'all'): Set<string> | 'all' {
  if (existing === 'all' || added === 'all') return 'all';
  return existing ? new Set([...existing, ...added]) : added;
}

function covers(entry: Set<string> | 'all' | undefined, rule: string): boolean {
  return entry === 'all' || (entry !== undefined && entry.has(rule));
}

/** Compound statements: their comment goes on the header line, the one with the `:` before the body. */
const COMPOUND = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'try_statement',
  'function_definition',
  'class_definition',
  'decorated_definition',
  'match_statement',
  'elif_clause',
  'else_clause',
  'except_clause',
  'finally_clause',
  'case_clause',
]);

const STATEMENT_CONTAINERS: ReadonlySet<string> = new Set(['module', 'block']);

/**
 * The innermost statement (a child of the module or of a block) that holds `offset`. Read from
 * the tree's arrays: the server asks it for every finding on every publish, and listing the
 * module's children as nodes allocated hundreds of objects per finding.
 */
export function statementAt(root: SyntaxNode, offset: number): SyntaxNode | undefined {
  const tree = root.tree;
  const { subtreeEnds, starts, ends, typeIds } = tree;
  const named = tree.grammar.named;
  const containers = tree.grammar.typeIdSet(STATEMENT_CONTAINERS);
  let statement = -1;
  for (let node = root.id; ; ) {
    let found = -1;
    for (let child = node + 1, end = subtreeEnds[node]; child < end; child = subtreeEnds[child]) {
      if (named[typeIds[child]] === 1 && starts[child] <= offset && offset < ends[child]) {
        found = child;
        break;
      }
    }
    if (found === -1) return statement === -1 ? undefined : tree.node(statement);
    if (containers.has(typeIds[node])) statement = found;
    node = found;
  }
}

/**
 * The line where a comment about the code at `offset` is read by Python as that statement's
 * comment: the offset's own line when its end is not inside a multi-line string and does not
 * continue with a backslash; otherwise the statement's last line (for a compound statement, its
 * header's last line, where the `:` is).
 */
export function commentLineFor(root: SyntaxNode, lines: LineIndex, offset: number): number {
  const line = lines.position(offset).line;
  const statement = statementAt(root, offset);
  if (!statement) return line;
  let last: number;
  if (COMPOUND.has(statement.type)) {
    const colon = statement.children.find((child) => child.type === ':');
    last = lines.position(colon ? colon.startIndex : statement.startIndex).line;
  } else {
    last = lines.position(Math.max(statement.startIndex, statement.endIndex - 1)).line;
  }
  if (line >= last) return line;
  const end = lines.lineEnd(line);
  const before = lines.lineText(line).trimEnd();
  const continued = before.endsWith('\\');
  const inString = statement.descendantsOfType('string').some((string) => string.startIndex < end && end < string.endIndex);
  return continued || inString ? last : line;
}

/** The edit that appends `# mlready: ignore[rule, …]` to a line, or adds the rules to an existing directive there. */
export function suppressionEdit(
  lines: LineIndex,
  comments: readonly SyntaxNode[],
  line: number,
  rules: readonly string[],
): { start: number; end: number; text: string } {
  const rule = rules.join(', ');
  for (const comment of comments) {
    if (lines.position(comment.startIndex).line !== line) continue;
    const match = /mlready:\s*ignore\[([^\]]*)\]/.exec(comment.text);
    if (match && match.index !== undefined) {
      const closing = comment.startIndex + match.index + match[0].length - 1;
      return { start: closing, end: closing, text: `, ${rule}` };
    }
  }
  const end = lines.lineEnd(line);
  return { start: end, end, text: `  # mlready: ignore[${rule}]` };
}
