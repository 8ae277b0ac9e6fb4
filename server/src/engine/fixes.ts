import type { RuleContext, TextEdit } from './rule';
import type { SyntaxNode } from './parser';

/** Edits fixes share: adding an import once, applying edits to a text. */

/**
 * Makes `import module` available: returns the name to use and the edit that adds the import,
 * once, at the end of the first block of top-level imports (in a notebook: in the first code cell
 * that imports), or at the top of the file after its docstring and `__future__` imports.
 */
export function ensureImport(context: RuleContext, module: string): { name: string; edits: TextEdit[] } {
  for (const binding of context.model.imports) {
    if (binding.qualified === module && binding.local === module.split('.')[0] && !module.includes('.')) {
      return { name: binding.local, edits: [] };
    }
    if (binding.qualified === module && binding.node.type === 'import_statement') return { name: binding.local, edits: [] };
  }
  const root = context.root;
  let lastImport: SyntaxNode | undefined;
  let insertAt = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (child.type === 'import_statement' || child.type === 'import_from_statement' || child.type === 'future_import_statement') {
      lastImport = child;
    } else if (lastImport) {
      break;
    } else if (child.type === 'comment' || (child.type === 'expression_statement' && child.firstNamedChild?.type === 'string')) {
      insertAt = child.endIndex;
    } else {
      break;
    }
  }
  const lineBreak = context.text.includes('\r\n') ? '\r\n' : '\n';
  if (lastImport) return { name: module, edits: [{ start: lastImport.endIndex, end: lastImport.endIndex, text: `${lineBreak}import ${module}` }] };
  if (insertAt > 0) return { name: module, edits: [{ start: insertAt, end: insertAt, text: `${lineBreak}import ${module}` }] };
  return { name: module, edits: [{ start: 0, end: 0, text: `import ${module}${lineBreak}` }] };
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

// Transitional re-exports (see ml-helpers.ts): call arguments live in calls.ts, literals in literals.ts.
export { addKeywordArgument, keywordArgument, keywordArguments, positionalArguments, hasSplat } from './calls';
export { stringValue } from './literals';
