import { defineRule } from '../rule';
import type { SyntaxNode } from '../parser';
import { findCell } from '../notebook';
import {
  argumentsError,
  augmentedTargetError,
  conversionError,
  debugDeleteError,
  debugNameError,
  debugPatternError,
  debugTargetError,
  deleteError,
  lateDeclaration,
  moduleNonlocal,
  unboundNonlocal,
  parenthesisedStarError,
  targetError,
  unparenthesisedGenerator,
  bodyYields,
  isAsync,
  LATE_FUTURE_IMPORT,
  lateFutureImport,
  misplacedKeyword,
  parametersError,
  wildcardImportError,
  type CompileError,
} from '../python-compile';

/** A finding's span stops at the end of the line it starts on (an error node can swallow the rest of a file). */
function firstLineEnd(text: string, start: number, end: number): number {
  const newline = text.indexOf('\n', start);
  return newline === -1 || newline > end ? Math.max(end, start) : newline;
}

/**
 * The blanks before `offset` on its line, or undefined when something else precedes it there (a
 * statement after `;`, or on the line of its block's colon).
 */
/**
 * The quote of a string the tokenizer never closed, in an error node. Error recovery leaves a
 * string's quotes as loose `string_start`/`string_end` tokens of the ERROR (and reads a closing quote
 * as another `string_start` once it has lost track), so the quotes are counted: of one kind on one
 * line (`"`, `'`, with any prefix), an odd number leaves the last of them open (`"symbol”: “GM”,`
 * typed with curly closing quotes, `x = 'it’s`); of a triple kind, an odd number in the whole
 * error. The first open quote in document order.
 */
function unterminatedString(error: SyntaxNode): SyntaxNode | undefined {
  const quotes: SyntaxNode[] = [];
  // A one-line string that recovery let run past the end of its line is open where it starts
  // (Python ends it at the line break; a backslash before the break continues it).
  const runOn: SyntaxNode[] = [];
  // (Depth first in document order, with a stack of its own: a crafted file nests errors deeply.)
  const pending: SyntaxNode[] = [error];
  while (pending.length > 0) {
    const children = pending.pop()!.children;
    const nested: SyntaxNode[] = [];
    for (const child of children) {
      if (child.type === 'string_start' || child.type === 'string_end') quotes.push(child);
      else if (child.isError) nested.push(child);
      else if (child.type === 'string' && child.startPosition.row < child.endPosition.row) {
        const start = child.firstChild;
        const text = child.text;
        const lineBreak = text.search(/\r?\n|\r/);
        if (start?.type === 'string_start' && !isTripleQuote(start) && lineBreak > 0 && text[lineBreak - 1] !== '\\') runOn.push(start);
      }
    }
    for (let i = nested.length - 1; i >= 0; i--) pending.push(nested[i]);
  }
  const groups = new Map<string, SyntaxNode[]>();
  for (const quote of quotes) {
    const text = quote.text;
    const key = isTripleQuote(quote) ? text.slice(-3) : `${quote.startPosition.row}:${text.slice(-1)}`;
    const group = groups.get(key);
    if (group) group.push(quote);
    else groups.set(key, [quote]);
  }
  let first: SyntaxNode | undefined = runOn[0];
  for (const group of groups.values()) {
    const open = group.length % 2 === 1 ? group[group.length - 1] : undefined;
    if (open && (!first || open.startIndex < first.startIndex)) first = open;
  }
  return first;
}

/** True when a string's quote token is a triple one (`"""`, `'''`, with any prefix). */
function isTripleQuote(quote: SyntaxNode): boolean {
  const text = quote.text;
  return text.endsWith('"""') || text.endsWith("'''");
}

function indentationBefore(text: string, offset: number): string | undefined {
  let at = offset;
  for (let code = text.charCodeAt(at - 1); code === 32 || code === 9 || code === 12; code = text.charCodeAt(at - 1)) at--;
  if (at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r') return undefined;
  return text.slice(at, offset);
}

/**
 * A line's indentation as CPython's tokenizer measures it: the column with tab stops every 8
 * columns, and the column with a tab counted as one (`alternate`); a form feed resets both.
 * Two lines are indented alike when both agree; when only one does, Python raises `TabError`.
 */
function indentWidths(blanks: string): { column: number; alternate: number } {
  let column = 0;
  let alternate = 0;
  for (const char of blanks) {
    if (char === '\t') {
      column = (Math.floor(column / 8) + 1) * 8;
      alternate++;
    } else if (char === '\f') {
      column = 0;
      alternate = 0;
    } else {
      column++;
      alternate++;
    }
  }
  return { column, alternate };
}

/**
 * Why a statement indented `blanks` cannot follow its block's first statement, indented `first`,
 * in Python's words (undefined when it can). CPython's tokenizer keeps a stack of indentation
 * levels: `outer` gives the levels around the block, innermost first (read only for a shallower
 * line). A deeper line is an unexpected indent, or a `TabError` when the column with tabs counted
 * as one does not grow with it; a shallower one must land on an outer level in both measures.
 */
function siblingIndentationError(blanks: string, first: string, outer: () => readonly string[]): IndentationFault | undefined {
  if (blanks === first) return undefined;
  const line = indentWidths(blanks);
  const level = indentWidths(first);
  if (line.column === level.column) return line.alternate === level.alternate ? undefined : 'tabs';
  if (line.column > level.column) return line.alternate > level.alternate ? 'indentation' : 'tabs';
  for (const blanksOuter of outer()) {
    const around = indentWidths(blanksOuter);
    if (line.column < around.column) continue;
    return line.column === around.column && line.alternate !== around.alternate ? 'tabs' : 'indentation';
  }
  return 'indentation';
}

type IndentationFault = 'indentation' | 'tabs';

/**
 * What CPython's tokenizer says of the indentation of the line starting at `lineStart`, following
 * its stack of levels over the logical lines before it (blank and comment lines, lines inside
 * brackets or strings and lines after a backslash are not logical lines): `tabs` (`TabError`),
 * `indentation` (an unindent that matches no outer level), `none` (the tokenizer accepts the line:
 * an error there is the parser's, an unexpected indent). Undefined when it stops on an earlier
 * line, when `lineStart` begins no logical line, or a string is left open. tree-sitter counts a
 * tab as 8 columns wherever it stands, so its blocks can differ from Python's levels; this names
 * the error of a line the rule already reports.
 */
function tokenizerIndentation(text: string, lineStart: number): IndentationFault | 'none' | undefined {
  const levels = [{ column: 0, alternate: 0 }];
  let depth = 0;
  let quote: string | undefined;
  let continued = false;
  for (let pos = 0; pos <= lineStart && pos <= text.length; ) {
    let i = pos;
    if (depth === 0 && quote === undefined && !continued) {
      while (text[i] === ' ' || text[i] === '\t' || text[i] === '\f') i++;
      const blank = i >= text.length || text[i] === '\n' || text[i] === '\r' || text[i] === '#';
      if (!blank) {
        const { column, alternate } = indentWidths(text.slice(pos, i));
        let fault: IndentationFault | undefined;
        const top = levels[levels.length - 1];
        if (column === top.column) {
          if (alternate !== top.alternate) fault = 'tabs';
        } else if (column > top.column) {
          if (alternate <= top.alternate) fault = 'tabs';
          else levels.push({ column, alternate });
        } else {
          while (levels.length > 1 && column < levels[levels.length - 1].column) levels.pop();
          const level = levels[levels.length - 1];
          if (column !== level.column) fault = 'indentation';
          else if (alternate !== level.alternate) fault = 'tabs';
        }
        if (pos === lineStart) return fault ?? 'none';
        if (fault) return undefined;
      }
    }
    if (pos === lineStart) return undefined;
    continued = false;
    for (; i < text.length && text[i] !== '\n'; i++) {
      const c = text[i];
      if (quote !== undefined) {
        if (c === '\\') i++;
        else if (text.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = undefined;
        }
      } else if (c === '#') {
        while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      } else if (c === '"' || c === "'") {
        quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
        i += quote.length - 1;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) continued = true;
    }
    // A one-quote string open at the end of its line is an error of its own.
    if (quote !== undefined && quote.length === 1) return undefined;
    pos = i + 1;
  }
  return undefined;
}

/**
 * Why a block's first statement, indented `inner`, cannot open the block of a statement indented
 * `outer`: CPython's tokenizer indents when the column grows, and raises `TabError` when the
 * column with tabs counted as one does not grow with it (or differs where the column is the same).
 */
function blockIndentationError(inner: string, outer: string): IndentationFault | undefined {
  const a = indentWidths(inner);
  const b = indentWidths(outer);
  if (a.column > b.column) return a.alternate > b.alternate ? undefined : 'tabs';
  if (a.column === b.column && a.alternate !== b.alternate) return 'tabs';
  return 'indentation';
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
  // Blocks' indentation and Python 2 statements are collected per statement; the errors of the tree are read at `file:end`.
  scope: 'statement',
  summary: 'Code that Python 3 cannot parse or compile: one finding at the first error of a file, or of each notebook cell.',
  docs: {
    what: "Reports code that Python 3 cannot parse, once per file at the first error, as Ruff reports syntax errors: an unexpected token, a missing bracket or colon, an unterminated string, a line indented unlike the lines of its block (Python's `IndentationError` and `TabError`), a Python 2 `print` or `exec` statement; and the keywords Python's compiler refuses where they stand, as Ruff does: `return` and `yield` outside a function, `break` and `continue` outside a loop, `await`, `async for` and `async with` outside an `async def` (a top-level `await` copied from a notebook into a script); a positional argument after a keyword argument (`fit(X, y, epochs=10, validation_data)`), a keyword argument given twice, a parameter without a default after one with a default, a parameter name given twice, `return` with a value in an async generator, `import *` inside a function, a `from __future__` import after other statements, `del f()`, a starred target on its own or twice (`*rest = row`, `a, *b, *c = row`), `a, b += 1`, `nonlocal` outside a function or naming what no function around it binds, `global x` after the scope used or assigned `x` (or naming a parameter), a generator expression among other arguments without its own parentheses (`sum(x for x in xs, 0)`), an f-string conversion other than `!s`, `!r`, `!a`, a name, attribute, parameter, keyword argument, function, class, import, exception or `case` pattern capture bound to `__debug__`, a starred item alone in parentheses (`(*rest) = row`). In a notebook each code cell is its own unit (Jupyter runs them one by one), so each cell that does not parse gets one finding; IPython magics and shell escapes are masked first and are not errors, nor is `pip install x` without `%`, which IPython\'s automagic runs as `%pip`.",
    why: 'A file that does not parse cannot be imported or run: the job or the service that loads it fails at start-up, or a notebook stops at the cell. Without this finding a CI gate of `mlready check` would pass the broken file ("All checks passed"), since the other rules only see the parts that parse. It is the first thing to fix: the other findings in the region of the error may be missing or off.',
    example: 'def predict(features:\n    return model.predict([features])[0]',
    useInstead: 'def predict(features):\n    return model.predict([features])[0]',
    notes:
      "The other rules still run on every part of the file that parses. The parser recovers from an error and goes on, so a single finding is reported per file (per cell in notebooks), at the first error, like Ruff; later errors show once the first is fixed. A string left open (a quote deleted, or closed with a curly quote pasted from a document) is reported as Python reports it: \"unterminated string literal\" at its opening quote; a bracket never closed is reported at the bracket. In a notebook each cell is parsed on its own, as Jupyter compiles it, and the other rules see the cells as one program in order: a cell that leaves a bracket or a string open is an error of that cell only, and the next cells are read as they are. Python 2 `print \"x\"` and `exec \"code\"` statements are reported because Python 3 rejects them (`print(\"x\")` is fine); `except A, B:` is not, since Python 3.14 accepts it. Two shapes of valid Python that the tree-sitter grammar rejects are not reported either: `return a, *rest` (and `yield`), and a continuation line inside brackets that starts left of the line that opened them. The grammar reads a line indented more or less than its block as one more statement of it, and `if x:` followed by a line at its own indentation as an empty block, both with no error; it also counts a tab as 8 columns wherever it stands. mlready measures indentation as Python's tokenizer does (the column with tab stops of 8, and the column with a tab counted as one, whose disagreement is a `TabError`): each statement against the first of its block and the levels around it, each block's first statement against the line that opens the block, and a block with no statement is reported on the next line, where Python reports it (a script's top-level statements at the first column; in a notebook a cell indented as a whole is fine, as IPython removes the first line's indentation from the lines that start with it, and so is a statement at the first column after an indented first one). On 3,000 random functions of nested blocks indented with mixes of tabs and spaces (three seeds of `node --import tsx scripts/indentation-trial.ts --seed N`; `compile()` the oracle), every one Python rejects gets a finding on Python's line, none that Python compiles does, and every one names Python's error (`TabError` or `IndentationError`; 96% did until the rule followed the tokenizer's levels to name it, since tree-sitter's blocks differ from Python's where tabs are mixed in); before, 89-93 of about 2,965 got no finding, 601-614 were on another line and none said `TabError`. A keyword out of place is reported only in a file (a cell) that parses, since Python parses before it compiles; a top-level `await`, `async for` or `async with` in a notebook is fine, as IPython awaits it. An error inside a statement is reported at the token the parser could not place on the statement's first line (`<` of `os.environ[\"KEY\"] = <your-api-key>`), where Python reports it. On 800 real files given one random syntax error each (400 from the 26 audit repositories, 400 from huggingface/diffusers; `ast.parse` as the oracle), the first finding is on Python's line for 287 and 261 of them (255 and 228 before), with Python's column for 106 and 90 (88 and 76), and 6 files each that Python rejects get no finding (37 and 38 before, all unexpected indents). Reproduce: `python3 scripts/syntax-error-mutations.py /tmp/audit-sw 1 400 > cases.jsonl` (and `/tmp/diffusers 2 400`), then `node --import tsx scripts/syntax-error-agreement.ts cases.jsonl`.",
    realCode:
      'On the 37 repositories of the audit (2,507 files): 1 finding, a true positive (a duplicated, indented line in an anthropic-cookbook notebook, which Python rejects with "unexpected indent"). Eighteen false positives were fixed on the way: shell escapes continued with a backslash (`!pip install -qU \\`, `!python finetune.py \\` in Qwen, FastChat and anthropic-cookbook notebooks) and a Colab cell magic under `#@title` lines were not masked, and valid Python that tree-sitter-python rejects (`return state, *rest` in text-generation-webui; a continuation line at column 0 inside brackets). Reproduce: `scripts/audit-checkout.sh <mirrors> /tmp/audit`, then `node --import tsx scripts/real-code-audit.ts /tmp/audit --check` (verdicts in `docs/audit/llm-rules.csv`, method and repositories in `docs/real-code-audit.md`).',
  },
  create(context) {
    const { root, text, notebook } = context;
    /** Each code cell is its own unit (Jupyter compiles them one by one). */
    const inNotebook = notebook !== undefined && notebook.cells.length > 0;

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

    const reportError = (found: SyntaxNode): void => {
      // A string left open is Python's tokenizer's error, which it reports before the parser's, at the quote.
      const unterminated = found.isError ? unterminatedString(found) : undefined;
      if (unterminated) {
        const triple = /("""|''')$/.test(unterminated.text);
        context.report({
          start: unterminated.startIndex,
          end: firstLineEnd(text, unterminated.startIndex, found.endIndex),
          message: `Syntax error (unterminated ${triple ? 'triple-quoted ' : ''}string literal): Python 3 cannot parse this ${notebook ? 'cell' : 'file'}, so it cannot run; close the string with the quote it opened with`,
        });
        return;
      }
      // An error that runs to its end with a bracket still open is the bracket's fault, as Python says.
      const open = found.isError ? unclosedBracket(text, found.startIndex, found.endIndex) : undefined;
      const node = open === undefined ? innermostError(found) : found;
      // (An open bracket is reported where it opens, as Python reports it.)
      const start = open ?? node.startIndex;
      const end = node.isMissing ? start : firstLineEnd(text, start, node.endIndex);
      const what = open !== undefined ? `\`${text[open]}\` is never closed` : describe(node);
      context.report({
        start,
        end,
        message: `Syntax error (${what}): Python 3 cannot parse this ${notebook ? 'cell' : 'file'}, so it cannot run; fix the syntax first`,
      });
    };

    /**
     * The token the parser could not place: an ERROR that holds parts it did read (`os.environ["K"] =`)
     * and, on the same line, an ERROR of its own around that token (`<` of `= <your-api-key>`) is
     * reported at the inner one, where Python reports it, not at the statement's start. (An inner
     * error on a later line is a consequence: `def f(x)` without its colon swallows the body.)
     */
    const innermostError = (node: SyntaxNode): SyntaxNode => {
      let current = node;
      for (let depth = 0; depth < 16; depth++) {
        const inner = current.children.find((child) => child.isError || child.isMissing);
        if (!inner || inner.startIndex === current.startIndex || firstLineEnd(text, current.startIndex, inner.startIndex) < inner.startIndex) return current;
        current = inner;
      }
      return current;
    };

    /** Python's three indentation errors, in its words, with what to do. */
    const INDENTATION_ERRORS = {
      indentation: ["a line indented unlike the lines of its block, Python's `IndentationError`", 'indent it as the statements around it'],
      tabs: ["tabs and spaces mixed in the indentation, Python's `TabError`", 'indent with spaces only (or tabs only) in this block and the one around it'],
      'empty-block': ["expected an indented block, Python's `IndentationError`", 'indent the block under its colon, or write `pass`'],
    } as const;
    type IndentationError = keyof typeof INDENTATION_ERRORS;

    /** Where the next statement starts after `offset`'s line (blank and comment lines skipped), before `limit`. */
    const nextLogicalLine = (offset: number, limit: number): number | undefined => {
      for (let lineBreak = text.indexOf('\n', offset); lineBreak !== -1 && lineBreak + 1 < limit; lineBreak = text.indexOf('\n', lineBreak + 1)) {
        let at = lineBreak + 1;
        while (at < limit && (text[at] === ' ' || text[at] === '\t' || text[at] === '\f')) at++;
        if (at < limit && text[at] !== '\n' && text[at] !== '\r' && text[at] !== '#') return at;
      }
      return undefined;
    };

    const reportIndentation = (found: SyntaxNode, fault: IndentationError): void => {
      // A block that is missing is reported where Python looks for it: the next line of its file or cell.
      const limit = notebook && notebook.cells.length > 0 ? findCell(notebook.cells, found.startIndex).end : text.length;
      const next = fault === 'empty-block' ? nextLogicalLine(found.startIndex, limit) : undefined;
      const start = next ?? found.startIndex;
      let why = fault;
      if (next !== undefined) {
        // tree-sitter counts a tab as 8 columns wherever it stands: a line Python reads as the block, indented with mixed tabs, is its `TabError`.
        const inner = indentationBefore(text, next);
        const outer = indentationBefore(text, found.startIndex);
        if (inner !== undefined && outer !== undefined && blockIndentationError(inner, outer) === 'tabs') why = 'tabs';
      }
      if (!notebook) {
        // Which of Python's errors the line is: its tokenizer's (`TabError`, an unindent that
        // matches no level) comes before the parser's. (A notebook's cells are tokenized one by one.)
        const said = tokenizerIndentation(text, text.lastIndexOf('\n', start - 1) + 1);
        if (said === 'tabs') why = 'tabs';
        else if (said !== undefined && why === 'tabs') why = 'indentation';
      }
      const [what, fix] = INDENTATION_ERRORS[why];
      context.report({
        start,
        end: firstLineEnd(text, start, next !== undefined ? limit : found.endIndex),
        message: `Syntax error (${what}): Python 3 cannot parse this ${notebook ? 'cell' : 'file'}, so it cannot run; ${fix}`,
      });
    };

    /** A compile error found by a handler, kept with its statement for `file:end`. */
    const collectAt = (node: SyntaxNode, error: CompileError | undefined): void => {
      if (error) context.collect(node, error);
    };

    /** Whether each `async def` with a `return value` yields, by its start (one walk per function, not per `return`). */
    const asyncYields = new Map<number, boolean>();
    const yields = (fn: SyntaxNode): boolean => {
      let known = asyncYields.get(fn.startIndex);
      if (known === undefined) asyncYields.set(fn.startIndex, (known = bodyYields(fn)));
      return known;
    };
    /** A keyword the compiler refuses where it stands, kept with its reason for `file:end`. */
    const collectMisplaced = (node: SyntaxNode): void => collectAt(node, misplacedKeyword(node, inNotebook, yields));

    /** A `# %%` (or `#%%`) comment at the top level: the script is a notebook in cells. */
    const hasCellMarkers = (): boolean => root.namedChildren.some((child) => child !== null && child.type === 'comment' && /^#\s?%%/.test(child.text));

    const reportMisplaced = (node: SyntaxNode, { why, fix }: CompileError): void => {
      context.report({
        start: node.startIndex,
        end: firstLineEnd(text, node.startIndex, node.endIndex),
        message: `Syntax error (${why}): Python 3 refuses to compile this ${notebook ? 'cell' : 'file'}, so it cannot run; ${fix ?? 'move it where it belongs or remove it'}`,
      });
    };

    /** Compile errors the module's handler finds (it runs on every analysis). */
    const compileAtTop: { node: SyntaxNode; error: CompileError }[] = [];
    const collectCompileError = (found: { node: SyntaxNode; error: CompileError } | undefined): void => {
      if (found) collectAt(found.node, found.error);
    };
    const collectParenthesisedStar = (node: SyntaxNode): void => collectCompileError(parenthesisedStarError(node));

    const reportLegacy = (node: SyntaxNode): void => {
      const keyword = node.type === 'print_statement' ? 'print' : 'exec';
      context.report({
        start: node.startIndex,
        end: firstLineEnd(text, node.startIndex, node.endIndex),
        message: `Syntax error (a Python 2 \`${keyword}\` statement): Python 3 cannot parse this ${notebook ? 'cell' : 'file'}; call \`${keyword}(...)\``,
      });
    };

    /**
     * Statements indented unlike the first statement of their block (`unexpected indent`, or an
     * unindent that matches no outer level, in Python's words). tree-sitter-python reads such a line
     * as one more statement of the block, without an error: Python refuses the whole file.
     * A block's verdict reads only the blanks before its statements, which lie inside its top-level
     * statement (after that statement's first token), so it depends on that statement alone and is
     * kept with it.
     */
    const misindentedIn = (
      statements: readonly SyntaxNode[],
      expected: string | undefined,
      firstColumnToo = false,
      outer: () => readonly string[] = () => [],
    ): { node: SyntaxNode; why: IndentationError } | undefined => {
      let first = expected;
      for (const statement of statements) {
        if (statement.type === 'comment' || statement.isError) continue;
        const blanks = indentationBefore(text, statement.startIndex);
        if (first === undefined) {
          // A block on its colon's line (`if x: a; b`) holds nothing from later lines.
          if (blanks === undefined) return undefined;
          first = blanks;
        } else if (blanks !== undefined && !(firstColumnToo && blanks === '')) {
          const why = siblingIndentationError(blanks, first, outer);
          if (why) return { node: statement, why };
        }
      }
      return undefined;
    };

    /**
     * A block's own fault: no statement at all (tree-sitter reads `if x:` followed by a line at the
     * same indentation as an empty block, without an error), or a first statement that does not
     * indent past the line that opens the block as Python measures it (tree-sitter counts a tab as 8
     * columns wherever it stands, Python as the next tab stop and, for `TabError`, as one column).
     * The opening line lies inside the block's top-level statement, or is that statement's own line.
     */
    const blockFault = (block: SyntaxNode, statements: readonly SyntaxNode[]): { node: SyntaxNode; why: IndentationError } | undefined => {
      const opener = block.parent;
      if (!opener) return undefined;
      const first = statements.find((statement) => statement.type !== 'comment');
      // (A block emptied by an error in its statement is the error's to report, or a grammar gap's to excuse.)
      if (!first) return opener.hasError ? undefined : { node: opener, why: 'empty-block' };
      if (first.isError) return undefined;
      const inner = indentationBefore(text, first.startIndex);
      const outer = indentationBefore(text, opener.startIndex);
      if (inner === undefined || outer === undefined) return undefined;
      const why = blockIndentationError(inner, outer);
      return why ? { node: first, why } : undefined;
    };
    /**
     * The indentation levels around a block, innermost first, as CPython's tokenizer stacks them:
     * the first statement of each enclosing block, then the first column. (Read inside the block's
     * top-level statement only; in a notebook a cell's own indentation is not among them.)
     */
    const levelsAround = (block: SyntaxNode): string[] => {
      const levels: string[] = [];
      for (let ancestor = block.parent; ancestor; ancestor = ancestor.parent) {
        if (ancestor.type !== 'block') continue;
        const first = ancestor.namedChildren.find((child) => child !== null && child.type !== 'comment' && !child.isError);
        const blanks = first ? indentationBefore(text, first.startIndex) : undefined;
        if (blanks !== undefined) levels.push(blanks);
      }
      if (!inNotebook) levels.push('');
      return levels;
    };
    /** The module's misindented statements (the module's handler runs on every analysis). */
    const misindentedAtTop: { node: SyntaxNode; why: IndentationError }[] = [];

    return {
      block(node) {
        const statements = node.namedChildren.filter((child): child is SyntaxNode => child !== null);
        const fault = blockFault(node, statements) ?? misindentedIn(statements, undefined, false, () => levelsAround(node));
        if (fault) context.collect(fault.node, fault.why);
      },
      module(node) {
        const statements = node.namedChildren.filter((child): child is SyntaxNode => child !== null);
        const add = (fault: { node: SyntaxNode; why: IndentationError } | undefined): void => {
          if (fault) misindentedAtTop.push(fault);
        };
        if (!inNotebook) {
          // A script's statements start at the first column (an indented first line is an unexpected indent too).
          add(misindentedIn(statements, ''));
          const late = lateFutureImport(statements);
          if (late) compileAtTop.push({ node: late, error: LATE_FUTURE_IMPORT });
          // A module-level `global` depends on the statements before it, which an edit may change
          // without touching it: checked here, on every analysis (the `global_statement` handler
          // leaves the module's to this). IPython compiles a cell statement by statement, so not in notebooks.
          for (const statement of statements) {
            const error = statement.type === 'global_statement' ? lateDeclaration(statement) : undefined;
            if (error) compileAtTop.push({ node: statement, error });
          }
          return;
        }
        // IPython removes the indentation of a cell's first line from every line that starts with it
        // (its `leading_indent` transform): each cell's statements are compared among themselves, and
        // one at the first column stays where it is, which is fine too.
        const byCell = new Map<number, SyntaxNode[]>();
        for (const statement of statements) {
          const cell = findCell(notebook.cells, statement.startIndex).index;
          const list = byCell.get(cell);
          if (list) list.push(statement);
          else byCell.set(cell, [statement]);
        }
        // (Not late `from __future__` imports: IPython compiles a cell's statements one by one, each at its beginning.)
        for (const list of byCell.values()) add(misindentedIn(list, undefined, true));
      },
      print_statement(node) {
        context.collect(node, 'legacy');
      },
      argument_list(node) {
        collectCompileError(argumentsError(node));
      },
      parameters(node) {
        collectCompileError(parametersError(node));
      },
      lambda_parameters(node) {
        collectCompileError(parametersError(node));
      },
      import_from_statement(node) {
        collectAt(node, wildcardImportError(node) ?? debugNameError(node));
      },
      import_statement(node) {
        collectAt(node, debugNameError(node));
      },
      function_definition(node) {
        collectAt(node, debugNameError(node));
      },
      class_definition(node) {
        collectAt(node, debugNameError(node));
      },
      named_expression(node) {
        collectAt(node, debugNameError(node));
      },
      except_clause(node) {
        collectAt(node, debugNameError(node));
      },
      case_clause(node) {
        collectCompileError(debugPatternError(node));
      },
      future_import_statement(node) {
        if (node.parent?.type !== 'module') collectAt(node, LATE_FUTURE_IMPORT);
      },
      return_statement: collectMisplaced,
      break_statement: collectMisplaced,
      continue_statement: collectMisplaced,
      yield: collectMisplaced,
      await: collectMisplaced,
      for_statement(node) {
        if (isAsync(node)) collectMisplaced(node);
        const left = node.childForFieldName('left');
        if (left) collectCompileError(targetError(left));
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        if (left) collectCompileError(targetError(left));
      },
      with_item(node) {
        const value = node.childForFieldName('value');
        const target = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.namedChildren[0] : undefined;
        if (target) collectCompileError(targetError(target));
      },
      augmented_assignment(node) {
        const left = node.childForFieldName('left');
        collectCompileError(augmentedTargetError(node) ?? (left ? debugTargetError(left, true) : undefined));
      },
      delete_statement(node) {
        collectCompileError(deleteError(node) ?? debugDeleteError(node));
      },
      global_statement(node) {
        // Top-level ones: the module handler (they depend on the statements before them).
        if (node.parent?.type !== 'module') collectAt(node, lateDeclaration(node));
      },
      nonlocal_statement(node) {
        collectAt(node, moduleNonlocal(node) ?? lateDeclaration(node) ?? unboundNonlocal(node));
      },
      for_in_clause(node) {
        collectAt(node, unparenthesisedGenerator(node));
        const left = node.childForFieldName('left');
        if (left) collectCompileError(debugTargetError(left));
      },
      tuple: collectParenthesisedStar,
      tuple_pattern: collectParenthesisedStar,
      parenthesized_expression: collectParenthesisedStar,
      type_conversion(node) {
        collectAt(node, conversionError(node));
      },
      with_statement(node) {
        if (isAsync(node)) collectMisplaced(node);
      },
      exec_statement(node) {
        context.collect(node, 'legacy');
      },
      'file:end'() {
        const legacy: SyntaxNode[] = [];
        const misplaced = [...compileAtTop];
        const misindented = [...misindentedAtTop];
        for (const { node, data } of context.collected()) {
          if (data === 'legacy') legacy.push(node);
          else if (typeof data === 'object') {
            const error = data as CompileError;
            // A script of `# %%` cells (VS Code's Interactive Window, Jupytext) runs its cells as a notebook does, where a top-level `await` is awaited.
            if (!error.topLevelAwait || !hasCellMarkers()) misplaced.push({ node, error });
          } else misindented.push({ node, why: data as IndentationError });
        }
        if (!root.hasError && legacy.length === 0 && misindented.length === 0 && misplaced.length === 0) return;
        const errors = root.hasError ? collectErrors(inNotebook) : [];
        let gaps: GrammarGaps | undefined;
        type Item = { node: SyntaxNode; kind: 'error' | 'legacy' | IndentationError } | { node: SyntaxNode; kind: 'misplaced'; error: CompileError };
        const items: Item[] = [
          ...errors.map((node) => ({ node, kind: 'error' as const })),
          ...legacy.map((node) => ({ node, kind: 'legacy' as const })),
          // (Not where the grammar's own indentation gap moved statements between blocks: a line inside brackets left of their line.)
          ...misindented.filter(({ node }) => !(gaps ??= new GrammarGaps(text)).explains(node)).map(({ node, why }) => ({ node, kind: why })),
        ];
        const unitOf = (node: SyntaxNode): number => (inNotebook && notebook ? findCell(notebook.cells, node.startIndex).index : 0);
        // Python parses a file (a cell) before it compiles it: a keyword out of place is its error only when it parses.
        const unparsed = new Set(items.map((item) => unitOf(item.node)));
        for (const { node, error } of misplaced) {
          // (The grammar's indentation gap also moves statements out of their function: a line inside brackets left of their line.)
          if (!unparsed.has(unitOf(node)) && !(gaps ??= new GrammarGaps(text)).explains(node)) items.push({ node, kind: 'misplaced', error });
        }
        items.sort((a, b) => a.node.startIndex - b.node.startIndex);
        const seen = new Set<number>();
        for (const item of items) {
          const unit = unitOf(item.node);
          if (seen.has(unit)) continue;
          seen.add(unit);
          if (item.kind === 'legacy') reportLegacy(item.node);
          else if (item.kind === 'misplaced') reportMisplaced(item.node, item.error);
          else if (item.kind === 'error') reportError(item.node);
          else reportIndentation(item.node, item.kind);
        }
      },
    };
  },
});
