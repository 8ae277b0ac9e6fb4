import * as fs from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * Profiles a CSV file so the scaffolds can write schemas, contracts and defaults that match
 * the user's data: per column a type, a range, the allowed categories and the missing count.
 * Large files are sampled: only the first `maxBytes` (cut at a record boundary) and the
 * first `maxRows` records are read.
 */

export type ColumnType = 'int' | 'float' | 'bool' | 'category' | 'string';
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
  /** `category` and `bool` columns: the distinct values, most frequent first. */
  categories?: string[];
  /** Value → count, for `category`, `bool` and few-valued `int` columns. */
  frequencies?: Record<string, number>;
  /** Most frequent value (raw text). */
  mode?: string;
  /** Every non-missing value is distinct (an identifier, not a feature). */
  unique: boolean;
}

export interface CsvProfile {
  path: string;
  delimiter: string;
  columns: ColumnProfile[];
  rows: number;
  /** True when the file was larger than the sample that was read. */
  sampled: boolean;
}

export interface ProfileOptions {
  maxBytes?: number;
  maxRows?: number;
  /** At most this many distinct values make a text column a category. */
  maxCategories?: number;
}

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 50_000;
export const DEFAULT_MAX_CATEGORIES = 20;

/** The strings pandas' `read_csv` reads as missing by default, so both sides agree. */
export const MISSING_VALUES: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

const TRUE_WORDS = new Set(['true', 'yes']);
const FALSE_WORDS = new Set(['false', 'no']);
const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function profileCsvFile(filePath: string, options: ProfileOptions = {}): CsvProfile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fd = fs.openSync(filePath, 'r');
  let buffer: Buffer;
  let sampled = false;
  try {
    const size = fs.fstatSync(fd).size;
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
  let text = buffer.toString('utf8');
  if (sampled) text = text.slice(0, lastRecordEnd(text));
  const profile = profileCsvText(text, options);
  return { ...profile, path: filePath, sampled: sampled || profile.sampled };
}

/**
 * The offset just past the last line break that is outside quotes: a read cut at an
 * arbitrary byte would otherwise end inside a record or inside a quoted field.
 */
export function lastRecordEnd(text: string): number {
  let inQuotes = false;
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) inQuotes = !inQuotes; // an escaped "" toggles twice
    else if (c === 10 /* \n */ && !inQuotes) end = i + 1;
  }
  return end;
}

export function detectDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

export function profileCsvText(text: string, options: ProfileOptions = {}): CsvProfile {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);
  const records = parse(text, {
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    to: maxRows + 1, // the header plus maxRows records
  });
  if (records.length === 0) throw new Error('the CSV file is empty');
  const header = records[0]!.map((h) => h.trim());
  if (header.some((h) => h === '')) throw new Error('the CSV header has an empty column name');
  const duplicate = header.find((h, i) => header.indexOf(h) !== i);
  if (duplicate !== undefined) throw new Error(`the CSV header names column "${duplicate}" twice`);
  const rows = records.slice(1);
  const columns = header.map((name, index) =>
    profileColumn(name, rows.map((r) => (r[index] ?? '').trim()), maxCategories),
  );
  return { path: '', delimiter, columns, rows: rows.length, sampled: rows.length >= maxRows };
}

function profileColumn(name: string, raw: string[], maxCategories: number): ColumnProfile {
  const values = raw.filter((v) => !MISSING_VALUES.has(v));
  const missing = raw.length - values.length;
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const distinct = counts.size;
  const unique = values.length > 1 && distinct === values.length;
  const mode = byFrequency[0]?.[0];
  const base = { name, count: values.length, missing, distinct, unique, mode };

  if (values.length === 0) return { ...base, type: 'string' };

  const lower = values.map((v) => v.toLowerCase());
  if (lower.every((v) => TRUE_WORDS.has(v) || FALSE_WORDS.has(v))) {
    const frequencies: Record<string, number> = {};
    for (const v of lower) {
      const key = TRUE_WORDS.has(v) ? 'true' : 'false';
      frequencies[key] = (frequencies[key] ?? 0) + 1;
    }
    const categories = Object.keys(frequencies).sort((a, b) => frequencies[b]! - frequencies[a]!);
    return { ...base, type: 'bool', distinct: categories.length, unique: false, categories, frequencies, mode: categories[0] };
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
    };
    if (isInt && distinct <= maxCategories) profile.frequencies = Object.fromEntries(byFrequency);
    return profile;
  }

  if (distinct <= maxCategories && !unique) {
    return {
      ...base,
      type: 'category',
      categories: byFrequency.map(([v]) => v),
      frequencies: Object.fromEntries(byFrequency),
    };
  }
  return { ...base, type: 'string' };
}

/**
 * Classification when the target is categorical, boolean, text or an integer with few
 * distinct values (class labels); regression otherwise.
 */
export function inferTask(target: ColumnProfile, maxClasses = DEFAULT_MAX_CATEGORIES): TaskType {
  switch (target.type) {
    case 'bool':
    case 'category':
    case 'string':
      return 'classification';
    case 'int':
      return target.distinct <= maxClasses ? 'classification' : 'regression';
    case 'float':
      return 'regression';
  }
}
