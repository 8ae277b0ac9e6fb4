import type { SyntaxNode, SyntaxTree } from './parser';
import type { Grammar } from './syntax';
import type { RuleContext, TextEdit } from './rule';
import type { CellSpan, NotebookProgram } from './notebook';

/** Adds `name=value` to a call's arguments, after the last one, keeping a trailing comma's style. */
export function addKeywordArgument(call: SyntaxNode, name: string, value: string): TextEdit | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const close = args.lastChild;
  if (!close || close.type !== ')') return undefined;
  const named = args.namedChildren.filter((child): child is SyntaxNode => child !== null && child.type !== 'comment');
  if (named.length === 0) return { start: close.startIndex, end: close.startIndex, text: `${name}=${value}` };
  const last = named[named.length - 1];
  const afterLast = last.nextSibling;
  if (afterLast?.type === ',') return { start: afterLast.endIndex, end: afterLast.endIndex, text: ` ${name}=${value},` };
  return { start: last.endIndex, end: last.endIndex, text: `, ${name}=${value}` };
}

/** A call's arguments by kind, read once per call: several rules ask about the same call. */
interface CallArguments {
  positional: readonly SyntaxNode[];
  keywords: ReadonlyMap<string, SyntaxNode>;
  splat: boolean;
}

const NO_POSITIONAL: readonly SyntaxNode[] = Object.freeze([]);
const NO_KEYWORDS: ReadonlyMap<string, SyntaxNode> = new Map();

/** Arguments per call, per tree: several rules ask about the same call. */
const argumentCache = new WeakMap<SyntaxTree, Map<number, CallArguments>>();

function callArguments(call: SyntaxNode): CallArguments {
  const tree = call.tree;
  let perTree = argumentCache.get(tree);
  if (!perTree) argumentCache.set(tree, (perTree = new Map()));
  let found = perTree.get(call.id);
  if (found) return found;
  // Most calls have no keyword or no positional argument: those share one empty container.
  found = { positional: NO_POSITIONAL, keywords: NO_KEYWORDS, splat: false };
  perTree.set(call.id, found);
  const args = call.childForFieldName('arguments');
  if (!args) return found;
  // Read from the tree's arrays directly: this runs for most calls of every file.
  const { typeIds, subtreeEnds, fieldIds, grammar } = tree;
  const ids = argumentTypeIds(grammar);
  for (let child = args.id + 1, end = subtreeEnds[args.id]; child < end; child = subtreeEnds[child]) {
    const typeId = typeIds[child];
    if (grammar.named[typeId] !== 1 || ids.comment.has(typeId)) continue;
    if (ids.keyword.has(typeId)) {
      let key: string | undefined;
      let value: SyntaxNode | undefined;
      for (let part = child + 1, last = subtreeEnds[child]; part < last; part = subtreeEnds[part]) {
        if (fieldIds[part] === ids.nameField) key = tree.text.slice(tree.starts[part], tree.ends[part]);
        else if (fieldIds[part] === ids.valueField && !value) value = tree.node(part);
      }
      if (key !== undefined && value && !found.keywords.has(key)) {
        if (found.keywords === NO_KEYWORDS) found.keywords = new Map();
        (found.keywords as Map<string, SyntaxNode>).set(key, value);
      }
    } else if (ids.splats.has(typeId)) {
      found.splat = true;
    } else {
      if (found.positional === NO_POSITIONAL) found.positional = [];
      (found.positional as SyntaxNode[]).push(tree.node(child));
    }
  }
  return found;
}

const argumentIds = new WeakMap<Grammar, { keyword: ReadonlySet<number>; comment: ReadonlySet<number>; splats: ReadonlySet<number>; nameField: number; valueField: number }>();

function argumentTypeIds(grammar: Grammar): { keyword: ReadonlySet<number>; comment: ReadonlySet<number>; splats: ReadonlySet<number>; nameField: number; valueField: number } {
  let ids = argumentIds.get(grammar);
  if (!ids) {
    ids = {
      keyword: grammar.typeIdSet(['keyword_argument']),
      comment: grammar.typeIdSet(['comment']),
      splats: grammar.typeIdSet(['list_splat', 'dictionary_splat']),
      nameField: grammar.fieldIds.get('name') ?? -1,
      valueField: grammar.fieldIds.get('value') ?? -1,
    };
    argumentIds.set(grammar, ids);
  }
  return ids;
}

/** The keyword argument `name=` of a call, if given. */
export function keywordArgument(call: SyntaxNode, name: string): SyntaxNode | undefined {
  return callArguments(call).keywords.get(name);
}

/** All keyword arguments of a call by name (the first of each name), in source order. */
export function keywordArguments(call: SyntaxNode): ReadonlyMap<string, SyntaxNode> {
  return callArguments(call).keywords;
}

/** Positional arguments of a call (not keywords, not `*args`/`**kwargs`); shared, do not modify. */
export function positionalArguments(call: SyntaxNode): readonly SyntaxNode[] {
  return callArguments(call).positional;
}

/** True when the call passes `*args` or `**kwargs`, which may carry any keyword. */
export function hasSplat(call: SyntaxNode): boolean {
  return callArguments(call).splat;
}

/**
 * Makes `import module` available: returns the name to use and the edit that adds the import,
 * once, at the end of the first block of top-level imports (in a notebook: in the first code cell
 * that imports), or at the top of the file after its docstring and `__future__` imports.
 * In a notebook the import never goes before a cell magic (`%%bash`, `%%capture`), into a cell
 * whose body is not Python, or above a `!pip install`/`%pip install` line that installs the module.
 */
export function ensureImport(context: RuleContext, module: string): { name: string; edits: TextEdit[] } {
  for (const binding of context.model.imports) {
    if (binding.qualified === module && binding.local === module.split('.')[0] && !module.includes('.')) {
      return { name: binding.local, edits: [] };
    }
    if (binding.qualified === module && binding.node.type === 'import_statement') return { name: binding.local, edits: [] };
  }
  const root = context.root;
  const notebook = context.notebook;
  const magicStarts = new Set((notebook?.magics ?? []).map((magic) => magic.start));
  let lastImport: SyntaxNode | undefined;
  let insertAt = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (child.type === 'import_statement' || child.type === 'import_from_statement' || child.type === 'future_import_statement') {
      lastImport = child;
    } else if (lastImport) {
      break;
    } else if (magicStarts.has(child.startIndex)) {
      // A masked magic line (`...` padded to its length): after the whole line.
      insertAt = context.lines.lineEnd(context.lines.position(child.startIndex).line);
    } else if (child.type === 'comment' || (child.type === 'expression_statement' && child.firstNamedChild?.type === 'string')) {
      insertAt = child.endIndex;
    } else {
      break;
    }
  }
  const lineBreak = context.text.includes('\r\n') ? '\r\n' : '\n';
  const at = lastImport ? lastImport.endIndex : insertAt;
  if (notebook) {
    const safe = notebookImportOffset(context, notebook, module, at);
    if (safe !== at) {
      // At the start of a line, or (no line after the install) at the end of the last cell.
      const lineStart = safe === 0 || context.text[safe - 1] === '\n';
      return { name: module, edits: [{ start: safe, end: safe, text: lineStart ? `import ${module}${lineBreak}` : `${lineBreak}import ${module}` }] };
    }
  }
  if (lastImport) return { name: module, edits: [{ start: lastImport.endIndex, end: lastImport.endIndex, text: `${lineBreak}import ${module}` }] };
  if (insertAt > 0) return { name: module, edits: [{ start: insertAt, end: insertAt, text: `${lineBreak}import ${module}` }] };
  return { name: module, edits: [{ start: 0, end: 0, text: `import ${module}${lineBreak}` }] };
}

/** Package names that install a module: `yaml` ← `pyyaml`, `sklearn` ← `scikit-learn`. */
function installsModule(line: string, module: string): boolean {
  if (!/\b(?:pip|pip3|conda|mamba|uv)\b[^\n]*\binstall\b/.test(line)) return false;
  const top = module.split('.')[0].toLowerCase();
  const wanted = new Set([top, `py${top}`, `python-${top}`, top === 'sklearn' ? 'scikit-learn' : top, top === 'cv2' ? 'opencv-python' : top]);
  return line
    .split(/\s+/)
    .map((token) => token.toLowerCase().replace(/[<>=!~\[;].*$/, '').replace(/_/g, '-'))
    .some((token) => wanted.has(token) || wanted.has(token.replace(/-/g, '_')));
}

/**
 * Where an import can go in a notebook at or after `at`: not before a line that installs the
 * module, not in a cell whose first line is a cell magic with a non-Python body, and after the
 * magic lines a cell starts with (a `%%capture` line stays first). `at` itself when it is fine.
 */
function notebookImportOffset(context: RuleContext, notebook: NotebookProgram, module: string, at: number): number {
  let minimum = 0;
  for (const magic of notebook.magics) {
    if ((magic.kind === 'shell' || magic.kind === 'line-magic') && installsModule(magic.text, module)) {
      minimum = Math.max(minimum, context.lines.lineEnd(context.lines.position(magic.start).line) + 1);
    }
  }
  const magicLines = new Set(notebook.magics.map((magic) => context.lines.position(magic.start).line));
  const wholeCell = (cell: CellSpan) => notebook.magics.some((magic) => magic.kind === 'cell-magic' && magic.start === cell.start + (cell.source.length - cell.source.trimStart().length) && !/^%%(?:time|timeit|capture|prun|debug|memit|mprun|lprun|skip)\b/.test(magic.text));
  const fine = (offset: number): boolean => {
    if (offset < minimum) return false;
    const cell = notebook.cells.find((candidate) => candidate.start <= offset && offset <= candidate.end);
    if (!cell) return true;
    if (wholeCell(cell)) return false;
    // Before (or at the start of) a leading cell magic line: the magic must stay first.
    const line = context.lines.position(offset).line;
    return !(line === cell.startLine && /^\s*%%/.test(cell.source) && offset === cell.start);
  };
  if (fine(at)) return at;
  for (const cell of notebook.cells) {
    if (cell.end < minimum || wholeCell(cell)) continue;
    // The first line of the cell at or after `minimum` that is not a magic line.
    let line = cell.startLine;
    const lastLine = cell.startLine + cell.lineCount - 1;
    while (line <= lastLine && (magicLines.has(line) || context.lines.lineStart(line) < minimum)) line++;
    if (line > lastLine) continue;
    return context.lines.lineStart(line);
  }
  // No Python cell after the install: the end of the last cell, on a line of its own.
  return notebook.cells.length > 0 ? notebook.cells[notebook.cells.length - 1].end : at;
}

/** Applies non-overlapping edits to a text; throws if two edits overlap (a fix bug, never user input). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${edit.start}`);
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

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
