import { isUtf8 } from 'node:buffer';
import * as iconv from 'iconv-lite';

/**
 * A Python file's bytes as Python reads them (PEP 263): UTF-8, unless a coding line in the first
 * two lines (`# -*- coding: latin-1 -*-`) declares another encoding. A file in Latin-1 with its
 * coding line runs; reading it as UTF-8 would report an error for a file Python runs, and
 * `mlready check` would fail a CI job on it. Fixes are written back in the file's own encoding.
 */

/** Why a file's bytes cannot be read (or written back) as text. */
export class FileReadError extends Error {}

export interface DecodedSource {
  text: string;
  /** Python's name for the encoding (`utf-8`, `iso-8859-1`, or as the coding line spells it). */
  encoding: string;
  /** The file starts with a UTF-8 byte order mark (written back with the fixes). */
  bom: boolean;
}

/** UTF-8 (with or without BOM); a file that is binary or not UTF-8 is an error that says where. */
export function decodeText(bytes: Uint8Array): string {
  rejectBinary(bytes);
  return strictUtf8(bytes, (where) => `not valid UTF-8 (${where})`);
}

/** The bytes as UTF-8 without its BOMs (as TextDecoder decodes), or the error `problem` words, given where the first bad byte is. */
function strictUtf8(bytes: Uint8Array, problem: (where: string) => string): string {
  if (!isUtf8(bytes)) throw new FileReadError(problem(`first bad byte near offset ${firstInvalidUtf8(bytes)}`));
  return withoutBoms(utf8(bytes));
}

/** The bytes start with a UTF-8 byte order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** The text of a Python script, decoded as its coding line says (UTF-8 without one). */
export function decodePythonSource(bytes: Uint8Array): DecodedSource {
  rejectBinary(bytes);
  const bom = hasUtf8Bom(bytes);
  const declared = codingDeclaration(bytes);
  const normal = declared === undefined ? 'utf-8' : pythonNormalName(declared);
  // As Python: a byte order mark says UTF-8, and a coding line may not say otherwise (not even `utf8`).
  if (bom && normal !== 'utf-8')
    throw new FileReadError(`starts with a UTF-8 byte order mark but its coding line declares \`${shown(declared)}\`; Python refuses it`);
  const encoding = codecOf(normal);
  if (encoding === 'utf-8') {
    const text = strictUtf8(bytes, (where) =>
      declared === undefined
        ? `not valid UTF-8 (${where}); Python reads UTF-8 unless a \`# -*- coding: … -*-\` line says otherwise`
        : `not valid UTF-8, the encoding its coding line declares (${where})`,
    );
    return { text, encoding, bom };
  }
  if (!readsAsciiAsAscii(encoding)) throw new FileReadError(`its coding line declares \`${shown(declared)}\`, an encoding mlready cannot read`);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = iconv.decode(buffer, encoding);
  // iconv-lite replaces what it cannot decode; Python refuses the file. The bytes must come back.
  if (!iconv.encode(text, encoding).equals(buffer)) throw new FileReadError(`not valid ${shown(declared)}, the encoding its coding line declares`);
  return { text, encoding, bom };
}

/**
 * `text` encoded as `source` was, for writing fixes back: UTF-8 with the BOM it had, or the
 * encoding its coding line declares (the text the fixes left alone gets its bytes back). Throws
 * when the text holds a character that encoding has no bytes for.
 */
export function encodePythonSource(text: string, source: Pick<DecodedSource, 'encoding' | 'bom'>): Buffer {
  if (source.encoding === 'utf-8') return Buffer.from((source.bom ? '\ufeff' : '') + text, 'utf8');
  const bytes = iconv.encode(text, source.encoding);
  if (iconv.decode(bytes, source.encoding) !== text)
    throw new FileReadError(`not rewritten: the fixed text has a character ${source.encoding}, the file's encoding, cannot hold`);
  return bytes;
}

/**
 * Python reads source only in encodings that keep ASCII as it is (not UTF-16 or UTF-32). The name
 * comes from the file: iconv-lite looks it up in a plain object, where a coding line declaring
 * `constructor` finds `Object` and its encoder throws, so any failure is an encoding it cannot read.
 */
function readsAsciiAsAscii(encoding: string): boolean {
  try {
    const ascii = Buffer.from(PRINTABLE_ASCII, 'latin1');
    return iconv.encodingExists(encoding) && iconv.encode(PRINTABLE_ASCII, encoding).equals(ascii) && iconv.decode(ascii, encoding) === PRINTABLE_ASCII;
  } catch {
    return false;
  }
}

const PRINTABLE_ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + '\t\n\r\f';

function rejectBinary(bytes: Uint8Array): void {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new FileReadError(`looks binary: NUL byte at offset ${nul}`);
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The decoding of TextDecoder('utf-8'): one leading BOM is dropped; a second one as well. */
function withoutBoms(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (i + k >= bytes.length || bytes[i + k] >> 6 !== 0b10) return i;
    i += length;
  }
  return i;
}

/** PEP 263's expression for a coding line, applied as CPython's tokenizer does to one comment line. */
const CODING_LINE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/**
 * The encoding the first line declares, or the second when the first is blank or only a comment
 * (CPython's rule). The lines are read as Latin-1, which keeps every ASCII byte as it is.
 */
function codingDeclaration(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1');
  const [first = '', second = ''] = head.replace(/^\u00ef\u00bb\u00bf/, '').split(/\r\n|\r|\n/, 2);
  const declared = CODING_LINE.exec(first)?.[1];
  if (declared !== undefined) return declared;
  return /^[ \t\f]*(#.*)?$/.test(first) ? CODING_LINE.exec(second)?.[1] : undefined;
}

/** CPython's `get_normal_name`: UTF-8 and Latin-1 under the spellings it folds; any other name as declared. */
function pythonNormalName(declared: string): string {
  const name = declared.slice(0, 12).toLowerCase().replaceAll('_', '-');
  if (name === 'utf-8' || name.startsWith('utf-8-')) return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(name)) return 'iso-8859-1';
  return declared;
}

/** The codec Python's lookup finds for a name (it folds case and `-`/`_`); iconv-lite folds the rest (`Shift_JIS`, `cp1252`, `latin1`). */
function codecOf(normal: string): string {
  return ['utf-8', 'utf8', 'u8', 'utf', 'cp65001'].includes(normal.toLowerCase().replaceAll('_', '-')) ? 'utf-8' : normal;
}

/** The declared name as the user wrote it, cut short (it comes from the file). */
function shown(declared: string | undefined): string {
  const name = declared ?? '';
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
