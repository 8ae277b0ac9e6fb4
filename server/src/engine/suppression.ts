import type { SyntaxNode } from './parser';
import type { LineIndex } from './text';

// `# mlready: ignore`, `# mlready: ignore[rule-a, rule-b]`, `# mlready: ignore-file[rule]` inside a comment.
const DIRECTIVE = /mlready:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?/g;

export interface Suppressions {
  suppresses(rule: string, startLine: number, endLine: number): boolean;
}

/** Reads suppression comments (found by the parser as comment nodes, so strings never count). */
export function parseSuppressions(comments: readonly SyntaxNode[], lines: LineIndex): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  let fileWide: Set<string> | 'all' | undefined;
  for (const comment of comments) {
    const text = comment.text;
    if (!text.includes('mlready:')) continue;
    for (const match of text.matchAll(DIRECTIVE)) {
      const rules = match[2] === undefined ? 'all' : new Set(match[2].split(',').map((r) => r.trim()).filter(Boolean));
      if (match[1] === 'ignore-file') {
        fileWide = merge(fileWide, rules);
      } else {
        const line = lines.position(comment.startIndex).line;
        byLine.set(line, merge(byLine.get(line), rules));
      }
    }
  }
  return {
    suppresses(rule, startLine, endLine) {
      if (covers(fileWide, rule)) return true;
      return covers(byLine.get(startLine), rule) || (endLine !== startLine && covers(byLine.get(endLine), rule));
    },
  };
}

function merge(existing: Set<string> | 'all' | undefined, added: Set<string> | 'all'): Set<string> | 'all' {
  if (existing === 'all' || added === 'all') return 'all';
  return existing ? new Set([...existing, ...added]) : added;
}

function covers(entry: Set<string> | 'all' | undefined, rule: string): boolean {
  return entry === 'all' || (entry !== undefined && entry.has(rule));
}

/** The edit that appends `# mlready: ignore[rule]` to a line, or adds the rule to an existing directive there. */
export function suppressionEdit(lines: LineIndex, comments: readonly SyntaxNode[], line: number, rule: string): { start: number; end: number; text: string } {
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
