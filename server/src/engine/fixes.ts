import type { RuleContext, TextEdit } from './rule';
import type { CellSpan, NotebookProgram } from './notebook';
import type { SyntaxNode } from './parser';

/** Edits fixes share: adding an import once, applying edits to a text. */

/**
 * Makes `import module` available: returns the name to use and the edit that adds the import,
 * once, at the end of the first block of top-level imports (in a notebook: in the first code cell
 * that imports), or at the top of the file after its docstring and `__future__` imports.
 * In a notebook the import never goes before a cell magic (`%%bash`, `%%capture`), into a cell
 * whose body is not Python, or above a `!pip install`/`%pip install` line that installs the module.
 */
export function ensureImport(context: RuleContext, module: string): { name: string; edits: TextEdit[] } {
  // Whether the module is imported is a file-level fact incremental analysis checks; where to add it reads the file.
  for (const binding of context.model.importBindings) {
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
    .map((token) =>
      token
        .toLowerCase()
        .replace(/[<>=!~[;].*$/, '')
        .replace(/_/g, '-'),
    )
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
  const wholeCell = (cell: CellSpan) =>
    notebook.magics.some(
      (magic) =>
        magic.kind === 'cell-magic' &&
        magic.start === cell.start + (cell.source.length - cell.source.trimStart().length) &&
        !/^%%(?:time|timeit|capture|prun|debug|memit|mprun|lprun|skip)\b/.test(magic.text),
    );
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
