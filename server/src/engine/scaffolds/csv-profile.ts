import * as fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { formatBytes } from '../safe-fs';

/**
 * Profiles a CSV file so the scaffolds can write schemas, contracts and defaults that match
 * the user's data: how the file is written (its dialect: delimiter, quote, encoding, BOM), and
 * per column a type, a range, the allowed categories, the missing values and the sentinels
 * that stand for them. Large files are sampled: only the first `maxBytes` (cut at a record
 * boundary) and the first `maxRows` records are read.
 */

export type ColumnType = 'int' | 'float' | 'bool' | 'date' | 'category' | 'string';
export type TaskType = 'classification' | 'regression';

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Non-missing values seen. */
  count: number;
  missing: number;
  distinct: number;
  /** Numeric columns only. */
  min?: number;
  max?: number;
  mean?: number;
  median?: number;
  /** Every numeric value is a whole number (`3.0` counts): the column holds integers. */
  integral?: boolean;
  /** `category` and `bool` columns: the distinct values, most frequent first. */
  categories?: string[];
  /** Value → count, for `category`, `bool` and few-valued numeric columns. */
  frequencies?: Record<string, number>;
  /** Most frequent value (raw text). */
  mode?: string;
  /** Every non-missing value is distinct (an identifier, not a feature). */
  unique: boolean;
  /** Column-specific placeholders for a missing value (`?`, `-`) found among numbers. */
  na?: string[];
  /** A numeric column's first value past the sample that is neither a number nor such a placeholder (cut to 30 characters), and its data row. */
  notANumber?: { value: string; row: number };
  /** `bool` columns: the raw spellings of true and of false (`yes`, `True.`, ...). */
  trueTokens?: string[];
  falseTokens?: string[];
  /** `date` columns: whether times of day appear; the first and last date (raw text). */
  hasTime?: boolean;
  first?: string;
  last?: string;
  /** Mean length of the text values (free text is long). */
  meanLength?: number;
}

export interface CsvDialect {
  delimiter: string;
  quote: string;
  /** `,` when numbers are written with a decimal comma (`2,6` in a `;`-separated file, as European spreadsheets save them). */
  decimal?: ',';
  /** The encoding pandas should read the file with (`utf-8-sig` when it starts with a BOM). */
  encoding: 'utf-8' | 'utf-8-sig' | 'latin-1';
}

export interface CsvProfile extends CsvDialect {
  path: string;
  columns: ColumnProfile[];
  rows: number;
  /** True when the file was larger than the sample that was read. */
  sampled: boolean;
  /**
   * A sampled file's ranges, yes/no spellings, labels and row count were then read from every
   * row (`true`), or the file was too large for that (`false`); undefined when not sampled.
   */
  wholeFile?: boolean;
}

export interface ProfileOptions {
  maxBytes?: number;
  maxRows?: number;
  /** At most this many distinct short values make a text column a category. */
  maxCategories?: number;
  /** A sampled file is read whole for its bounds (default, up to `wholeFileMaxBytes`); false keeps the sample's. */
  wholeFile?: boolean;
  wholeFileMaxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 50_000;
export const DEFAULT_MAX_CATEGORIES = 50;
/** A target with at most this many distinct values is a classification target, whatever its type. */
export const MAX_CLASSES = 20;
/** The most labels a text target may have: more is an identifier or free text, not classes to learn. */
export const MAX_TARGET_LABELS = 1000;
/** Text longer than this on average is free text, not a category. */
const FREE_TEXT_LENGTH = 40;

/** The strings pandas' `read_csv` reads as missing by default, so both sides agree. */
export const MISSING_VALUES: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

/** Placeholders that stand for a missing number in real files (the UCI `?`, a dash). */
const NUMERIC_SENTINELS: ReadonlySet<string> = new Set(['?', '-', '--', '.', 'missing', 'unknown', 'Unknown', 'none']);

const TRUE_WORDS = new Set(['true', 'yes', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'no', 'f', 'n']);
const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MONTHS = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*';
const DATE_PATTERNS: RegExp[] = [
  /^\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  /^\d{4}\/\d{1,2}\/\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$/,
  new RegExp(`^${MONTHS}[ -]\\d{1,2},?[ -]\\d{4}$`, 'i'),
  new RegExp(`^\\d{1,2}[ -]${MONTHS}[ -]\\d{4}$`, 'i'),
];

export function profileCsvFile(filePath: string, options: ProfileOptions = {}): CsvProfile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // Non-blocking and checked before reading: a FIFO named data.csv is an error, not a hang.
  const fd = fs.openSync(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  let buffer: Buffer;
  let sampled = false;
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    const size = stat.size;
    const length = Math.min(size, maxBytes);
    buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = fs.readSync(fd, buffer, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    buffer = buffer.subarray(0, read);
    sampled = size > read;
  } finally {
    fs.closeSync(fd);
  }
  const { text, encoding } = decode(buffer, sampled);
  const cut = sampled ? text.slice(0, lastRecordEnd(text)) : text;
  // (No record after the header in the sample: the first one runs on past it.)
  if (sampled && headerEnd(cut) === cut.length) throw new Error(overlongRecord(maxBytes));
  const base = profileCsvText(cut, options);
  const profile = { ...base, encoding, path: filePath, sampled: sampled || base.sampled };
  if (!profile.sampled || options.wholeFile === false) return profile;
  return widenToWholeFile(profile, filePath, options.wholeFileMaxBytes ?? WHOLE_FILE_MAX_BYTES);
}

/** Files up to this size get a pass over every row for what the generated checks enforce. */
export const WHOLE_FILE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * A profile read from the first rows, widened by one pass over every row of the file for what the
 * generated code enforces as an error on the data it trains on: numeric ranges and whole numbers,
 * the yes/no spellings, the target's labels, and the row count. (Distributions, categories' order
 * and the task stay from the sample.) A file sorted by a column (prices rising) would otherwise
 * fail its own training with values "outside" a range read from its first 50,000 rows. Larger
 * files keep the sample's figures, and say so (`wholeFile: false`).
 */
function widenToWholeFile(profile: CsvProfile, filePath: string, maxBytes: number): CsvProfile {
  const fd = fs.openSync(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return { ...profile, wholeFile: false };
    return widenFromChunks(profile, (visit) => readRecordChunks(fd, stat.size, profile, visit));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Feeds `visit` the file's text in chunks of about 8 MB, each cut after its last record (outside
 * quotes), so memory stays at a chunk's size whatever the file's: the header line is dropped.
 */
function readRecordChunks(fd: number, size: number, profile: CsvProfile, visit: (text: string) => void): void {
  const chunkBytes = 8 * 1024 * 1024;
  const decoder = profile.encoding === 'latin-1' ? undefined : new TextDecoder('utf-8');
  let carry = '';
  let header = true;
  const buffer = Buffer.alloc(Math.min(chunkBytes, Math.max(size, 1)));
  for (let position = 0; position < size; ) {
    const n = fs.readSync(fd, buffer, 0, buffer.length, position);
    if (n === 0) break;
    position += n;
    const last = position >= size;
    const bytes = buffer.subarray(0, n);
    let text = carry + (decoder ? decoder.decode(bytes, { stream: !last }) : bytes.toString('latin1'));
    if (header) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const end = headerEnd(text, profile.quote);
      if (end === 0 && !last) {
        carry = text;
        continue;
      }
      text = text.slice(end || text.length);
      header = false;
    }
    const cut = last ? text.length : lastRecordEnd(text, profile.quote);
    visit(text.slice(0, cut));
    carry = text.slice(cut);
    // (Carried on, a record with no end would be scanned again with every chunk, and held whole.)
    if (carry.length > chunkBytes) throw new Error(overlongRecord(chunkBytes));
  }
  if (carry) visit(carry);
}

/** A record longer than what is read at once: a quote never closed, or not a table. */
function overlongRecord(bytes: number): string {
  return `a record runs on for more than ${formatBytes(bytes)} without ending (a quote never closed, or not a table of rows)`;
}

function widenFromChunks(profile: CsvProfile, chunks: (visit: (text: string) => void) => void): CsvProfile {
  const columns = profile.columns.map((c) => ({ ...c }));
  // Counted again over every row, up to MAX_TARGET_LABELS values (more: not labels, the counts are dropped).
  const labelCounts = columns.map((c) => (c.frequencies ? new Map<string, number>() : undefined));
  const sentinels = columns.map((c) => new Set(c.na ?? []));
  const counts = columns.map(() => 0);
  let rows = 0;
  const onRecord = (record: string[]): null => {
    rows++;
    columns.forEach((c, index) => {
      const value = numberText((record[index] ?? '').trim(), profile.decimal);
      if (MISSING_VALUES.has(value) || sentinels[index]!.has(value)) return;
      const numeric = c.type === 'int' || c.type === 'float';
      if (numeric && !FLOAT_RE.test(value)) {
        // Not counted among the column's values, and never a class label (a numeric target's labels are written as numbers).
        if (NUMERIC_SENTINELS.has(value)) sentinels[index]!.add(value);
        else c.notANumber ??= { value: value.length > 30 ? `${value.slice(0, 30)}…` : value, row: rows };
        return;
      }
      counts[index]!++;
      const labels = labelCounts[index];
      if (labels && (labels.has(value) || labels.size < MAX_TARGET_LABELS + 1)) labels.set(value, (labels.get(value) ?? 0) + 1);
      if (numeric) {
        const n = Number(value);
        if (n < c.min!) c.min = n;
        if (n > c.max!) c.max = n;
        if (!INT_RE.test(value)) c.type = 'float';
        if (!Number.isInteger(n)) c.integral = false;
      } else if (c.type === 'bool') {
        const key = boolWord(value);
        if (key === 'true' && !c.trueTokens!.includes(value)) c.trueTokens = [...c.trueTokens!, value].sort();
        if (key === 'false' && !c.falseTokens!.includes(value)) c.falseTokens = [...c.falseTokens!, value].sort();
      }
    });
    return null;
  };
  chunks((text) => {
    if (text) parse(text, { delimiter: profile.delimiter, quote: profile.quote, relax_column_count: true, skip_empty_lines: true, on_record: onRecord });
  });
  // (No row read back, as from a header with a quoted line break: the sample's figures stand.)
  if (rows < profile.rows) return { ...profile, wholeFile: false };
  columns.forEach((c, index) => {
    c.count = counts[index]!;
    c.missing = rows - counts[index]!;
    if (sentinels[index]!.size > 0) c.na = [...sentinels[index]!].sort();
    // The labels of a few-valued column are all of the file's; a numeric one seen with more values than a class list holds is not one.
    const labels = labelCounts[index];
    if (labels && c.type !== 'bool') {
      const byFrequency = [...labels].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      c.distinct = Math.max(c.distinct, byFrequency.length);
      c.mode = byFrequency[0]?.[0] ?? c.mode;
      const few = (c.type === 'int' || c.type === 'float' ? MAX_CLASSES : MAX_TARGET_LABELS) >= byFrequency.length;
      if (few) c.frequencies = Object.fromEntries(byFrequency);
      else delete c.frequencies;
      if (c.categories) c.categories = byFrequency.map(([value]) => value);
    }
  });
  return { ...profile, columns, rows, wholeFile: true };
}

/**
 * The file's text and the encoding pandas must use for it: UTF-8 (with or without a BOM) when
 * the bytes are valid UTF-8, Latin-1 otherwise (every byte is a valid Latin-1 character).
 */
export function decode(buffer: Buffer, truncated = false): { text: string; encoding: CsvDialect['encoding'] } {
  const bom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  try {
    // A sample cut mid-character would look invalid: ignore an incomplete last sequence.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer, { stream: truncated });
    return { text: bom ? text.slice(text.charCodeAt(0) === 0xfeff ? 1 : 0) : text, encoding: bom ? 'utf-8-sig' : 'utf-8' };
  } catch {
    return { text: buffer.toString('latin1'), encoding: 'latin-1' };
  }
}

/**
 * The offset just past the last line break that is outside quotes: a read cut at an
 * arbitrary byte would otherwise end inside a record or inside a quoted field.
 */
/** Where the header line ends (0: it does not end on its first line, a quoted line break in it). */
function headerEnd(text: string, quote = '"'): number {
  return lastRecordEnd(text.slice(0, text.indexOf('\n') + 1), quote);
}

export function lastRecordEnd(text: string, quote = '"'): number {
  const q = quote.charCodeAt(0);
  let inQuotes = false;
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === q)
      inQuotes = !inQuotes; // an escaped "" toggles twice
    else if (c === 10 /* \n */ && !inQuotes) end = i + 1;
  }
  return end;
}

const DELIMITERS = [',', ';', '\t', '|', ' '];

/**
 * The dialect that reads the first lines as a table: the delimiter (and quote character) under
 * which the parser finds the same number of fields, more than one, on every line; the first
 * candidate wins a tie (comma before semicolon, tab, pipe and space).
 */
export function detectDialect(text: string): { delimiter: string; quote: string } {
  const head = text.slice(0, lastRecordEnd(text.slice(0, 64 * 1024)) || text.length);
  for (const delimiter of DELIMITERS) {
    const works = (quote: string): string[][] | undefined => {
      let records: string[][];
      try {
        records = parse(head, { delimiter, quote, relax_column_count: true, skip_empty_lines: true, to: 50 }) as string[][];
      } catch {
        return undefined;
      }
      const fields = records[0]?.length ?? 0;
      if (fields < 2) return undefined;
      const consistent = records.filter((r) => r.length === fields).length;
      return consistent >= Math.max(1, Math.ceil(records.length * 0.9)) ? records : undefined;
    };
    const single = works("'");
    // Header cells written as 'name' (statsmodels' anes96 and spector files) mean quote with '.
    if (single && single[0]!.every((cell) => head.includes(`'${cell}'`))) return { delimiter, quote: "'" };
    if (works('"')) return { delimiter, quote: '"' };
  }
  return { delimiter: ',', quote: '"' };
}

/** Kept for callers that only need the delimiter of a header line. */
export function detectDelimiter(headerLine: string): string {
  return detectDialect(headerLine + '\n').delimiter;
}

export function profileCsvText(text: string, options: ProfileOptions = {}): CsvProfile {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  const { delimiter, quote } = detectDialect(body);
  const records = parse(body, {
    delimiter,
    quote,
    relax_column_count: true,
    skip_empty_lines: true,
    to: maxRows + 1, // the header plus maxRows records
  }) as string[][];
  if (records.length === 0) throw new Error('the CSV file is empty');
  const header = records[0]!.map((h) => h.trim());
  if (header.some((h) => h === '')) throw new Error('the CSV header has an empty column name');
  // (A set, not indexOf per name: wide files have tens of thousands of columns.)
  const named = new Set<string>();
  const duplicate = header.find((h) => named.size === named.add(h).size);
  if (duplicate !== undefined) throw new Error(`the CSV header names column "${duplicate}" twice`);
  const rows = records.slice(1);
  const decimal = delimiter !== ',' && usesDecimalComma(rows) ? ',' : undefined;
  const columns = header.map((name, index) =>
    profileColumn(
      name,
      rows.map((r) => numberText((r[index] ?? '').trim(), decimal)),
      maxCategories,
    ),
  );
  return {
    path: '',
    delimiter,
    quote,
    ...(decimal ? { decimal } : {}),
    encoding: bom ? 'utf-8-sig' : 'utf-8',
    columns,
    rows: rows.length,
    sampled: rows.length >= maxRows,
  };
}

const DECIMAL_COMMA_RE = /^[+-]?\d+,\d+$/;

/**
 * Whether numbers are written with a decimal comma: some field reads `2,6` and no field writes a
 * decimal point (`2.6`), as a spreadsheet set to a European locale saves its `;`-separated files.
 * (`1.234,5` with a thousands point is not recognised: such fields stay text.)
 */
function usesDecimalComma(rows: readonly string[][]): boolean {
  let commas = 0;
  for (const row of rows)
    for (const field of row) {
      const value = field.trim();
      if (DECIMAL_COMMA_RE.test(value)) commas++;
      else if (FLOAT_RE.test(value) && value.includes('.')) return false;
    }
  return commas > 0;
}

/** `2,6` → `2.6` when the file writes decimal commas (what pandas' `decimal=","` reads). */
function numberText(value: string, decimal: ',' | undefined): string {
  return decimal && DECIMAL_COMMA_RE.test(value) ? value.replace(',', '.') : value;
}

function boolWord(value: string): 'true' | 'false' | undefined {
  const word = value.toLowerCase().replace(/\.$/, ''); // `True.` and `False.` (the churn data set)
  if (TRUE_WORDS.has(word)) return 'true';
  if (FALSE_WORDS.has(word)) return 'false';
  return undefined;
}

function profileColumn(name: string, raw: string[], maxCategories: number): ColumnProfile {
  let values = raw.filter((v) => !MISSING_VALUES.has(v));
  // Numbers with a placeholder for "missing" (`?`, `-`) are numbers with missing values.
  let na: string[] | undefined;
  const nonNumeric = new Set(values.filter((v) => !FLOAT_RE.test(v)));
  if (nonNumeric.size > 0 && nonNumeric.size <= 2 && [...nonNumeric].every((v) => NUMERIC_SENTINELS.has(v)) && values.some((v) => FLOAT_RE.test(v))) {
    na = [...nonNumeric].sort();
    values = values.filter((v) => !nonNumeric.has(v));
  }
  const missing = raw.length - values.length;
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const distinct = counts.size;
  const unique = values.length > 1 && distinct === values.length;
  const mode = byFrequency[0]?.[0];
  const base = { name, count: values.length, missing, distinct, unique, mode, ...(na ? { na } : {}) };

  if (values.length === 0) return { ...base, type: 'string' };

  if (values.every((v) => boolWord(v) !== undefined) && !values.every((v) => INT_RE.test(v))) {
    const frequencies: Record<string, number> = {};
    const trueTokens = new Set<string>();
    const falseTokens = new Set<string>();
    for (const v of values) {
      const key = boolWord(v)!;
      (key === 'true' ? trueTokens : falseTokens).add(v);
      frequencies[key] = (frequencies[key] ?? 0) + 1;
    }
    const categories = Object.keys(frequencies).sort((a, b) => frequencies[b]! - frequencies[a]!);
    return {
      ...base,
      type: 'bool',
      distinct: categories.length,
      unique: false,
      categories,
      frequencies,
      mode: categories[0],
      trueTokens: [...trueTokens].sort(),
      falseTokens: [...falseTokens].sort(),
    };
  }

  const isInt = values.every((v) => INT_RE.test(v));
  if (isInt || values.every((v) => FLOAT_RE.test(v))) {
    const numbers = values.map(Number).sort((a, b) => a - b);
    const mid = numbers.length >> 1;
    const median = numbers.length % 2 ? numbers[mid]! : (numbers[mid - 1]! + numbers[mid]!) / 2;
    const profile: ColumnProfile = {
      ...base,
      type: isInt ? 'int' : 'float',
      min: numbers[0]!,
      max: numbers[numbers.length - 1]!,
      mean: numbers.reduce((a, b) => a + b, 0) / numbers.length,
      median,
      integral: numbers.every((n) => Number.isInteger(n)),
    };
    if (distinct <= MAX_CLASSES) profile.frequencies = Object.fromEntries(byFrequency);
    return profile;
  }

  const datePattern = DATE_PATTERNS.find((p) => p.test(values[0]!));
  if (
    datePattern &&
    values.every((v) => datePattern.test(v) && !Number.isNaN(Date.parse(v.replace(/^(\d{4})\/(\d+)\/(\d+)/, '$1-$2-$3').replace(/-(\d)(?!\d)/g, '-0$1'))))
  ) {
    const sorted = [...counts.keys()].sort((a, b) => Date.parse(a) - Date.parse(b));
    return { ...base, type: 'date', hasTime: values.some((v) => /\d:\d{2}/.test(v)), first: sorted[0], last: sorted[sorted.length - 1] };
  }

  const meanLength = values.reduce((a, v) => a + v.length, 0) / values.length;
  if (distinct <= maxCategories && !unique && meanLength <= FREE_TEXT_LENGTH) {
    return {
      ...base,
      type: 'category',
      meanLength,
      categories: byFrequency.map(([v]) => v),
      frequencies: Object.fromEntries(byFrequency),
    };
  }
  // Kept for a target with many labels (a product category): the model's classes are all of them.
  return { ...base, type: 'string', meanLength, ...(distinct <= MAX_TARGET_LABELS ? { frequencies: Object.fromEntries(byFrequency) } : {}) };
}

/**
 * Classification when the target has few distinct values that repeat, whatever their type
 * (`0.0`/`1.0` is binary), or is text; regression when it is numeric with many values.
 */
export function inferTask(target: ColumnProfile, maxClasses = MAX_CLASSES): TaskType {
  switch (target.type) {
    case 'bool':
    case 'category':
    case 'string':
    case 'date':
      return 'classification';
    case 'int':
    case 'float':
      // Few values that repeat are classes; a handful of numbers seen once or so each (10 rows, 7 values) are a quantity.
      return target.distinct <= maxClasses && target.count >= 2 * target.distinct ? 'classification' : 'regression';
  }
}
