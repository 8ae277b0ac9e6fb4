// Writes an attestation into pyproject.toml or mlready.toml without disturbing the rest of the
// file: a TOML stringifier would drop the user's comments and layout, so the new table is
// appended as text, and the result is parsed again to prove it is valid TOML holding exactly
// what was asked before anyone writes it. Pure (no vscode import).
import { parse } from 'smol-toml';

export interface AttestationEntry {
  id: string;
  status: 'attested' | 'not-applicable';
  by: string;
  /** YYYY-MM-DD. */
  date: string;
  note?: string;
}

export type ConfigFileName = 'pyproject.toml' | 'mlready.toml';

export class AttestationWriteError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'AttestationWriteError';
  }
}

/** Which file gets the attestation: mlready.toml if it exists, else pyproject.toml if it exists, else a new mlready.toml (a new pyproject.toml would change how pip builds the project). */
export function chooseConfigFile(exists: (name: ConfigFileName) => boolean): { name: ConfigFileName; create: boolean } {
  if (exists('mlready.toml')) return { name: 'mlready.toml', create: false };
  if (exists('pyproject.toml')) return { name: 'pyproject.toml', create: false };
  return { name: 'mlready.toml', create: true };
}

/** The table's header: `[tool.mlready.readiness.<id>]` in pyproject.toml, `[readiness.<id>]` in mlready.toml. */
export function tablePath(file: ConfigFileName, id: string): string[] {
  return file === 'pyproject.toml' ? ['tool', 'mlready', 'readiness', id] : ['readiness', id];
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlString(key);
}

/** A TOML basic string: quotes, backslashes and control characters escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

function lookup(data: unknown, keys: readonly string[]): unknown {
  let current = data;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || current instanceof Date) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The 1-based line of the existing table or key for `id`, for pointing the user at it. */
function lineOf(text: string, id: string): number | undefined {
  const index = text.split(/\r\n|\n|\r/).findIndex((line) => line.includes(id));
  return index >= 0 ? index + 1 : undefined;
}

/**
 * Returns `text` with the attestation table appended. The original text is kept byte for byte
 * (a final line break is added if the file had none), the file's line endings are reused, and
 * the result is parsed to check it. Throws AttestationWriteError, never returns a broken file:
 * when the original is not valid TOML, when the item already has an entry (edit it there), or
 * when the appended table would not parse (e.g. the readiness table is an inline table).
 */
export function addAttestation(text: string, file: ConfigFileName, entry: AttestationEntry): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.date)) throw new AttestationWriteError(`the date must be YYYY-MM-DD, not "${entry.date}"`);
  if (!entry.by.trim()) throw new AttestationWriteError('say who attests it');
  if (!/^[a-z0-9-]+$/.test(entry.id)) throw new AttestationWriteError(`"${entry.id}" is not a readiness item id`);
  let before: unknown;
  try {
    before = parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AttestationWriteError(`${file} is not valid TOML; fix it first (${(error as Error).message.split('\n')[0]})`);
  }
  const keys = tablePath(file, entry.id);
  const otherKeys = file === 'mlready.toml' ? ['tool', 'mlready', 'readiness', entry.id] : undefined;
  if (lookup(before, keys) !== undefined || (otherKeys && lookup(before, otherKeys) !== undefined)) {
    throw new AttestationWriteError(`${file} already has an entry for ${entry.id}; edit it there`, lineOf(text, entry.id));
  }

  const eol = /\r\n/.test(text) ? '\r\n' : /\r/.test(text) && !/\n/.test(text) ? '\r' : '\n';
  const lines = [
    `[${keys.map(tomlKey).join('.')}]`,
    `status = ${tomlString(entry.status)}`,
    `by = ${tomlString(entry.by.trim())}`,
    `date = ${entry.date}`,
    ...(entry.note?.trim() ? [`note = ${tomlString(entry.note.trim())}`] : []),
  ];
  const separator = text.length === 0 || /^\uFEFF$/.test(text) ? '' : /(\r\n|\n|\r)$/.test(text) ? eol : eol + eol;
  const result = `${text}${separator}${lines.join(eol)}${eol}`;

  let after: unknown;
  try {
    after = parse(result.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AttestationWriteError(
      `appending [${keys.join('.')}] to ${file} would make it invalid TOML (${(error as Error).message.split('\n')[0]}); add the attestation by hand`,
    );
  }
  const written = lookup(after, keys) as Record<string, unknown> | undefined;
  const date = written?.date;
  const dateText = date instanceof Date ? date.toISOString().slice(0, 10) : date;
  if (
    !written ||
    written.status !== entry.status ||
    written.by !== entry.by.trim() ||
    dateText !== entry.date ||
    (entry.note?.trim() ? written.note !== entry.note.trim() : 'note' in written)
  ) {
    throw new AttestationWriteError(`the attestation did not read back from ${file} as written; add it by hand`);
  }
  return result;
}

/** Today's date as YYYY-MM-DD in local time. */
export function today(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
