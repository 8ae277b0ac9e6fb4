import { loadPythonParser, MAX_LIVE_CHARS, type SyntaxNode } from '../parser';
import { literalString } from '../literals';
import { readRegularFile, SafeFsError } from '../safe-fs';

/**
 * The decisions a user changed in an existing `data_schema.py`: for each column, the `role` and
 * the `use` flag of its `COLUMNS` entry. Regenerating (`mlready scaffold api --force`) keeps
 * them, so the contract follows the one place the user edits. Read with the Python parser;
 * entries that are not plain literals are ignored (the profile's decision stands).
 */
export interface ColumnOverride {
  role?: string;
  use?: boolean;
}

export async function readSchemaOverrides(file: string): Promise<Map<string, ColumnOverride>> {
  const overrides = new Map<string, ColumnOverride>();
  let text: string;
  try {
    // Generated code, not configuration: about 190 bytes a column, so 20,000 columns (a gene
    // expression table) write 3.7 MB, which the configuration cap of 1 MB refused on regenerating.
    // Held to the live limit: the language server parses it in its own process.
    text = readRegularFile(file, MAX_LIVE_CHARS, { noFollow: true }).bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return overrides;
    if (error instanceof SafeFsError) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
  const parser = await loadPythonParser();
  const tree = parser.parseSyntax(text);
  for (const statement of tree.rootNode.namedChildren) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'COLUMNS') continue;
    const value = assignment.childForFieldName('right');
    if (value?.type !== 'dictionary') continue;
    for (const pair of value.namedChildren) {
      if (pair.type !== 'pair') continue;
      const column = literalString(pair.childForFieldName('key') ?? undefined);
      const entry = pair.childForFieldName('value');
      if (column === undefined || entry?.type !== 'dictionary') continue;
      overrides.set(column, entryOverride(entry));
    }
  }
  return overrides;
}

function entryOverride(entry: SyntaxNode): ColumnOverride {
  const out: ColumnOverride = {};
  for (const pair of entry.namedChildren) {
    if (pair.type !== 'pair') continue;
    const key = literalString(pair.childForFieldName('key') ?? undefined);
    const value = pair.childForFieldName('value');
    if (key === 'role') out.role = literalString(value ?? undefined);
    else if (key === 'use' && (value?.type === 'true' || value?.type === 'false')) out.use = value.type === 'true';
  }
  return out;
}
