import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { findCell } from '../notebook';

/** A finding's span stops at the end of the line it starts on (an error node can swallow the rest of a file). */
function firstLineEnd(text: string, start: number, end: number): number {
  const newline = text.indexOf('\n', start);
  return newline === -1 || newline > end ? Math.max(end, start) : newline;
}

/** Offset of the first bracket opened in `[start, end)` that is still open at `end` (strings and comments skipped). */
function unclosedBracket(text: string, start: number, end: number): number | undefined {
  const open: number[] = [];
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '#') {
      while (i + 1 < end && text[i + 1] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      for (i += quote.length; i < end && !text.startsWith(quote, i); i++) {
        if (text[i] === '\\') i++;
        else if (quote.length === 1 && text[i] === '\n') break;
      }
      i += quote.length - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      open.push(i);
    } else if (c === ')' || c === ']' || c === '}') {
      if (open.length === 0) return undefined;
      open.pop();
    }
  }
  return open[0];
}

/**
 * Valid Python that tree-sitter-python 0.25 marks as an error, so the rule does not report it:
 * an unparenthesised starred item in `return`/`yield` (`return state, *rest`, Python 3.8), and a
 * line inside brackets that starts left of the line that opened them (`(a -\\nb)` inside an
 * indented block: Python ignores indentation inside brackets, the grammar's scanner does not).
 * The second needs to know where brackets are open: a scan of brackets, strings and comments,
 * run only for a file that has an error.
 */
class GrammarGaps {
  /** Spans (from the line of the outermost bracket to its close) with a line indented less than the bracket's line. */
  private readonly spans: { start: number; end: number }[] = [];

  constructor(text: string) {
    const opened: number[] = []; // indentation of the line of each open bracket
    let lineIndent = 0;
    let outerLineStart = 0; // start of the line where the outermost open bracket opened
    let lineStart = 0;
    let dedented = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') {
        lineStart = i + 1;
        let j = lineStart;
        while (text[j] === ' ' || text[j] === '\t') j++;
        lineIndent = j - lineStart;
        if (opened.length > 0 && j < text.length && text[j] !== '\n' && text[j] !== '#' && lineIndent < opened[0]) dedented = true;
      } else if (c === '#') {
        while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      } else if (c === '"' || c === "'") {
        const triple = text.startsWith(c.repeat(3), i);
        const quote = triple ? c.repeat(3) : c;
        for (i += quote.length; i < text.length; i++) {
          if (text[i] === '\\') i++;
          else if (text.startsWith(quote, i)) {
            i += quote.length - 1;
            break;
          } else if (!triple && text[i] === '\n') break;
        }
      } else if (c === '(' || c === '[' || c === '{') {
        if (opened.length === 0) outerLineStart = lineStart;
        opened.push(lineIndent);
      } else if ((c === ')' || c === ']' || c === '}') && opened.length > 0) {
        opened.pop();
        if (opened.length === 0 && dedented) {
          // The grammar's recovery goes on to the end of the enclosing top-level statement: the
          // span ends at the end of the first non-blank line at column 0 after the brackets close.
          let end = i + 1;
          for (let next = text.indexOf('\n', end); next !== -1; next = text.indexOf('\n', next + 1)) {
            const ch = text[next + 1];
            if (ch !== undefined && ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '#') {
              const lineEnd = text.indexOf('\n', next + 1);
              end = lineEnd === -1 ? text.length : lineEnd;
              break;
            }
            end = text.length;
          }
          this.spans.push({ start: outerLineStart, end });
          dedented = false;
        }
      }
    }
  }

  explains(node: SyntaxNode): boolean {
    if (node.isError) {
      const tokens = node.children.map((child) => child.type);
      if ((tokens[0] === 'return' || tokens[0] === 'yield') && tokens.includes('*')) return true;
    }
    // An error that starts inside such a span, or that contains one.
    const start = node.startIndex;
    const end = node.endIndex;
    return this.spans.some((span) => (start >= span.start && start <= span.end) || (span.start >= start && span.start < end));
  }
}

export default defineRule({
  name: 'syntax-error',
  category: 'failure-handling',
  severity: 'error',
  summary: 'Code that does not parse as Python 3: one finding at the first error of a file, or of each notebook cell.',
  docs: {
    what: 'Reports code that Python 3 cannot parse, once per file at the first error, as Ruff reports syntax errors: an unexpected token, a missing bracket or colon, an unterminated string, a Python 2 `print` or `exec` statement. In a notebook each code cell is its own unit (Jupyter runs them one by one), so each cell that does not parse gets one finding; IPython magics and shell escapes are masked first and are not errors.',
    why: 'A file that does not parse cannot be imported or run: the job or the service that loads it fails at start-up, or a notebook stops at the cell. Without this finding a CI gate of `mlready check` would pass the broken file ("All checks passed"), since the other rules only see the parts that parse. It is the first thing to fix: the other findings in the region of the error may be missing or off.',
    example: 'def predict(features:\n    return model.predict([features])[0]',
    useInstead: 'def predict(features):\n    return model.predict([features])[0]',
    notes:
      'The other rules still run on every part of the file that parses. The parser recovers from an error and goes on, so a single finding is reported per file (per cell in notebooks), at the first error, like Ruff; later errors show once the first is fixed. In a notebook each cell is parsed on its own, as Jupyter compiles it, and the other rules see the cells as one program in order: a cell that leaves a bracket or a string open is an error of that cell only, and the next cells are read as they are. Python 2 `print "x"` and `exec "code"` statements are reported because Python 3 rejects them (`print("x")` is fine); `except A, B:` is not, since Python 3.14 accepts it. Two shapes of valid Python that the tree-sitter grammar rejects are not reported either: `return a, *rest` (and `yield`), and a continuation line inside brackets that starts left of the line that opened them.',
    realCode:
      'On the 37 repositories of the audit (2,507 files): 1 finding, a true positive (a duplicated, indented line in an anthropic-cookbook notebook, which Python rejects with "unexpected indent"). Eighteen false positives were fixed on the way: shell escapes continued with a backslash (`!pip install -qU \\`, `!python finetune.py \\` in Qwen, FastChat and anthropic-cookbook notebooks) and a Colab cell magic under `#@title` lines were not masked, and valid Python that tree-sitter-python rejects (`return state, *rest` in text-generation-webui; a continuation line at column 0 inside brackets). Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`).',
  },
  create(context) {
    const { root, text, notebook } = context;
    /** Python 2 statements the grammar accepts but Python 3 does not, in document order. */
    const legacy: SyntaxNode[] = [];

    /** The error nodes (`ERROR`, or a `MISSING` token) of the tree that Python would reject too, first of each cell (or the first of the file). */
    const collectErrors = (perCell: boolean): SyntaxNode[] => {
      const out: SyntaxNode[] = [];
      const seenCells = new Set<number>();
      let gaps: GrammarGaps | undefined;
      const visit = (node: SyntaxNode): boolean => {
        for (const child of node.children) {
          if (child.isError || child.isMissing) {
            gaps ??= new GrammarGaps(text);
            // Explained by a grammar gap: the errors nested in it (if any) are judged on their own.
            if (gaps.explains(child)) {
              if (visit(child)) return true;
              continue;
            }
            if (!perCell) {
              out.push(child);
              return true;
            }
            const cell = findCell(notebook!.cells, child.startIndex).index;
            if (!seenCells.has(cell)) {
              seenCells.add(cell);
              out.push(child);
            }
            continue;
          }
          if (child.hasError && visit(child)) return true;
        }
        return false;
      };
      visit(root);
      return out;
    };

    const describe = (node: SyntaxNode): string => {
      if (node.isMissing) return `expected \`${node.type}\` here`;
      const token = text
        .slice(node.startIndex, firstLineEnd(text, node.startIndex, node.endIndex))
        .trim()
        .slice(0, 30);
      return token ? `unexpected \`${token}\`` : 'unexpected end of input';
    };

    const reportError = (node: SyntaxNode): void => {
      // An error that runs to its end with a bracket still open is the bracket's fault, as Python says.
      const open = node.isError ? unclosedBracket(text, node.startIndex, node.endIndex) : undefined;
      const start = node.startIndex;
      const end = node.isMissing ? start : firstLineEnd(text, start, node.endIndex);
      const what = open !== undefined ? `\`${text[open]}\` is never closed` : describe(node);
      context.report({
        start,
        end,
        message: `Syntax error: ${what}: Python 3 cannot parse this ${notebook ? 'cell' : 'file'}, so it cannot run; fix the syntax first`,
      });
    };

    const reportLegacy = (node: SyntaxNode): void => {
      const keyword = node.type === 'print_statement' ? 'print' : 'exec';
      context.report({
        start: node.startIndex,
        end: firstLineEnd(text, node.startIndex, node.endIndex),
        message: `Syntax error: a Python 2 \`${keyword}\` statement: Python 3 cannot parse this ${notebook ? 'cell' : 'file'}; call \`${keyword}(...)\``,
      });
    };

    return {
      print_statement(node) {
        legacy.push(node);
      },
      exec_statement(node) {
        legacy.push(node);
      },
      'file:end'() {
        if (!root.hasError && legacy.length === 0) return;
        const errors = root.hasError ? collectErrors(notebook !== undefined && notebook.cells.length > 0) : [];
        type Item = { node: SyntaxNode; legacy: boolean };
        const items: Item[] = [...errors.map((node) => ({ node, legacy: false })), ...legacy.map((node) => ({ node, legacy: true }))];
        items.sort((a, b) => a.node.startIndex - b.node.startIndex);
        const seen = new Set<number>();
        for (const item of items) {
          const unit = notebook && notebook.cells.length > 0 ? findCell(notebook.cells, item.node.startIndex).index : 0;
          if (seen.has(unit)) continue;
          seen.add(unit);
          if (item.legacy) reportLegacy(item.node);
          else reportError(item.node);
        }
      },
    };
  },
});
