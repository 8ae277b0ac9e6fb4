import * as path from 'node:path';
import {
  DEFAULT_MAX_CATEGORIES,
  inferTask,
  MAX_CLASSES,
  MAX_TARGET_LABELS,
  type ColumnProfile,
  type CsvDialect,
  type CsvProfile,
  type TaskType,
} from './csv-profile';
import { pyIdentifiers } from './python';

/** One file a scaffold generates, relative to the output folder. */
export interface GeneratedFile {
  path: string;
  content: string;
  /**
   * `create` (default): a new file; an existing one is a conflict unless forced.
   * `shared`: written by several scaffolds with the same content (e.g. `serving/__init__.py`);
   *   an identical existing file is left as it is.
   * `section`: a marked section of a shared document (README.md), added to the file or,
   *   when forced, replacing the same section.
   */
  mode?: 'create' | 'shared' | 'section';
  /** For `section` files: the section's name. */
  section?: string;
}

export const SCAFFOLD_KINDS = ['pipeline', 'api', 'fallback', 'monitoring', 'ci', 'dvc', 'model-card', 'decision'] as const;
export type ScaffoldKind = (typeof SCAFFOLD_KINDS)[number];

export interface ScaffoldOptions {
  /** CSV data file (absolute, or relative to `cwd`). */
  data?: string;
  /** Target column name. */
  target?: string;
  /** Notebook or script whose steps the pipeline carries over. */
  from?: string;
  /** Model file the API serves (relative paths are relative to the output folder). */
  model?: string;
  /** Output folder, to write paths relative to it (default: `cwd`). */
  out?: string;
  /** Folder that relative `data`/`from` paths are relative to (default: process.cwd()). */
  cwd?: string;
  /** Share of the observed span that widens the contract's numeric ranges (default 0.1). */
  rangeMargin?: number;
  /** ci: the npm package spec CI installs mlready from (empty: the mlready steps are skipped). */
  mlreadyPackage?: string;
  /** ci: the readiness score CI must hold (default: measured by the CLI once the files are written). */
  readinessFloor?: number;
  /**
   * The folder the user chose (the workspace): a data path that the notebook names is read only
   * when it resolves inside it (default: `cwd`). Paths the user passes (`data`, `from`) are not limited.
   */
  root?: string;
}

export type FeatureKind = 'numeric' | 'bool' | 'category' | 'date' | 'text';

/** What a column is to the model; everything but the feature kinds is left out of it. */
export type ColumnRole = FeatureKind | 'identifier' | 'constant' | 'empty' | 'target';

export interface ColumnDecision {
  column: string;
  role: ColumnRole;
  /** Why: the evidence, in the user's terms. */
  evidence: string;
  profile: ColumnProfile;
  /** text: vectorise it (TF-IDF) instead of leaving it out (`"use": True` in data_schema.py). */
  use?: boolean;
  /** category: the closed set (the profile's categories, or the values of a few-valued numeric column). */
  categories?: string[];
}

/** A decision the user changed in data_schema.py (see schema-overrides.ts). */
export interface DecisionOverride {
  role?: string;
  use?: boolean;
}

const ROLES: readonly ColumnRole[] = ['numeric', 'bool', 'category', 'date', 'text', 'identifier', 'constant', 'empty'];

/** The decision with the user's override applied; an override the data cannot support is an error that says why. */
export function applyOverride(d: ColumnDecision, o: DecisionOverride | undefined): ColumnDecision {
  if (!o) return d;
  let out: ColumnDecision = { ...d, ...(o.use !== undefined ? { use: o.use } : {}) };
  if (o.role === undefined || o.role === d.role) return out;
  const role = o.role as ColumnRole;
  const c = d.profile;
  const cannot = (why: string) => new Error(`data_schema.py makes "${d.column}" ${JSON.stringify(o.role)}, but ${why}`);
  if (!ROLES.includes(role)) throw cannot(`the roles are ${ROLES.join(', ')}`);
  const numeric = c.type === 'int' || c.type === 'float';
  if (role === 'numeric' && !numeric) throw cannot(`its values are not numbers (${c.type})`);
  if (role === 'bool' && c.type !== 'bool') throw cannot('its values are not yes/no values');
  if (role === 'date' && c.type !== 'date') throw cannot('its values are not dates');
  let categories: string[] | undefined;
  if (role === 'category') {
    categories = c.categories ?? (numeric && c.frequencies ? Object.keys(c.frequencies) : undefined);
    if (!categories) throw cannot(`it has ${c.distinct} distinct values, too many to list as a closed set`);
  }
  out = { ...out, role, evidence: `set in data_schema.py (mlready found: ${d.evidence})`, ...(categories ? { categories } : {}) };
  return out;
}

export interface Feature {
  /** Column name in the data. */
  column: string;
  /** Python identifier for the contract field (an alias keeps the column name on the wire). */
  ident: string;
  kind: FeatureKind;
  profile: ColumnProfile;
  /** Whether missing values were seen (the field is optional and imputed). */
  optional: boolean;
  /** numeric: accepted range (observed range widened by the margin, not below 0 if no negatives). */
  lower?: number;
  upper?: number;
  integer?: boolean;
  /** category: allowed values. */
  categories?: string[];
  /** A typical value for examples and tests. */
  example: string | number | boolean;
}

export interface DataSpec {
  /** Path of the data file relative to the output folder, with forward slashes. */
  dataPath: string;
  dataFileName: string;
  dialect: CsvDialect;
  target: ColumnProfile;
  targetIdent: string;
  task: TaskType;
  /** Why this task. */
  taskEvidence: string;
  /** Python type of a prediction: str/int/bool for classes, float for regression. */
  predictionType: 'str' | 'int' | 'bool' | 'float';
  /** Classification: class labels as the model predicts them, most frequent first. */
  classes?: Array<string | number | boolean>;
  /** The training prior: the majority class and its share of the rows, or the target median. */
  prior: {
    prediction: string | number | boolean;
    share: number | null;
    /** @deprecated the same number as `share` (a share of the rows, not a model's confidence). */
    confidence: number | null;
  };
  /** Every column, with its role and why. */
  decisions: ColumnDecision[];
  features: Feature[];
  /** Columns left out of the features (identifiers, constants, free text, dates...). */
  dropped: string[];
  /** The contract's numeric ranges are the observed range widened by this share of its span. */
  rangeMargin: number;
  rows: number;
  sampled: boolean;
  /** For a sampled file: ranges, labels and the row count were read from every row (see `CsvProfile.wholeFile`). */
  wholeFile?: boolean;
}

/** How a spec's figures were read, for the generated docstrings and the model card: "from 1,132,740 rows (…)". */
export function rowsReadFrom(spec: Pick<DataSpec, 'rows' | 'sampled' | 'wholeFile'>): string {
  const rows = `${spec.rows.toLocaleString('en-US')} rows`;
  if (!spec.sampled) return rows;
  return spec.wholeFile
    ? `${rows} (distributions from the first rows; ranges, labels and counts from every row)`
    : `${rows} (a sample: the file was too large to read whole)`;
}

export const DEFAULT_RANGE_MARGIN = 0.1;

/**
 * A classification target must have two labels at least, and labels that repeat: one value (a
 * column constant where it is filled in) leaves nothing to learn, and text that is mostly
 * distinct (surnames, order ids) is an identifier, not classes.
 */
function refuseUnlearnableLabels(target: ColumnProfile): void {
  const name = target.name;
  const rows = plural(target.count, 'row');
  if (target.distinct < 2)
    throw new Error(
      `target column "${name}" has one value (${JSON.stringify(target.mode ?? '')}) in its ${rows} with a value: there is nothing to learn; choose another target`,
    );
  const labelled = target.frequencies !== undefined || target.type === 'bool' || target.type === 'category';
  if (!labelled || target.count < 2 * target.distinct)
    throw new Error(
      `target column "${name}" has ${plural(target.distinct, 'distinct label')} in ${rows}: too many classes to learn from (fewer than two rows each, or more than ${MAX_TARGET_LABELS}); choose another target, or group its labels first`,
    );
}

export function buildSpec(
  profile: CsvProfile,
  target: string,
  dataPathFromOut: string,
  options: { rangeMargin?: number; overrides?: ReadonlyMap<string, DecisionOverride> } = {},
): DataSpec {
  const targetProfile = profile.columns.find((c) => c.name === target);
  if (!targetProfile) {
    const names = profile.columns.map((c) => c.name).join(', ');
    throw new Error(`target column "${target}" is not in the data file (columns: ${names})`);
  }
  if (targetProfile.count === 0) throw new Error(`target column "${target}" has no values`);
  const rangeMargin = options.rangeMargin ?? DEFAULT_RANGE_MARGIN;
  const task = inferTask(targetProfile);
  if (task === 'classification') refuseUnlearnableLabels(targetProfile);
  const decisions: ColumnDecision[] = profile.columns.map((c) =>
    c.name === target
      ? { column: c.name, role: 'target', evidence: targetEvidence(c, task), profile: c }
      : applyOverride(decide(c), options.overrides?.get(c.name)),
  );
  const kept = decisions.filter((d) => d.role === 'numeric' || d.role === 'bool' || d.role === 'category' || d.role === 'date' || (d.role === 'text' && d.use));
  if (kept.length === 0) throw new Error('the data file has no feature columns besides the target (identifiers, constants and free text are left out)');
  for (const d of decisions) if (d.role === 'target' || d.role === 'numeric') refuseTextAmongNumbers(d.profile);
  const idents = pyIdentifiers(kept.map((d) => d.column));
  const features = kept.map((d, i) => toFeature(d, idents[i]!, rangeMargin));

  let predictionType: DataSpec['predictionType'];
  let classes: DataSpec['classes'];
  let prior: DataSpec['prior'];
  if (task === 'classification') {
    const freq = targetProfile.frequencies ?? {};
    const labels = Object.keys(freq).sort((a, b) => freq[b]! - freq[a]!);
    if (targetProfile.type === 'bool') {
      predictionType = 'bool';
      classes = labels.map((l) => l === 'true');
    } else if ((targetProfile.type === 'int' || targetProfile.type === 'float') && targetProfile.integral) {
      predictionType = 'int';
      classes = labels.map(Number);
    } else {
      predictionType = 'str';
      classes = labels.length ? labels : targetProfile.mode !== undefined ? [targetProfile.mode] : [];
    }
    const total = Object.values(freq).reduce((a, b) => a + b, 0);
    const top = labels[0];
    prior = {
      prediction: classes[0] ?? '',
      share: top !== undefined && total > 0 ? round(freq[top]! / total, 4) : null,
      confidence: null,
    };
    prior.confidence = prior.share;
  } else {
    predictionType = 'float';
    prior = { prediction: round(targetProfile.median ?? 0, 6), share: null, confidence: null };
  }
  return {
    dataPath: dataPathFromOut,
    dataFileName: path.posix.basename(dataPathFromOut),
    dialect: { delimiter: profile.delimiter, quote: profile.quote, encoding: profile.encoding, ...(profile.decimal ? { decimal: profile.decimal } : {}) },
    target: targetProfile,
    targetIdent: pyIdentifiers([target])[0]!,
    task,
    taskEvidence: targetEvidence(targetProfile, task),
    predictionType,
    classes,
    prior,
    decisions,
    features,
    dropped: decisions.filter((d) => d.role !== 'target' && !kept.includes(d)).map((d) => d.column),
    rangeMargin,
    rows: profile.rows,
    sampled: profile.sampled,
    ...(profile.wholeFile !== undefined ? { wholeFile: profile.wholeFile } : {}),
  };
}

/**
 * A column the sample read as numbers that holds text further on (`notANumber`): the generated
 * training's schema check refuses that row in a numeric feature or target, so the scaffold says
 * so first. Columns left out of the model (or overridden to categories) may hold anything.
 */
function refuseTextAmongNumbers(column: ColumnProfile): void {
  const stray = column.notANumber;
  if (!stray) return;
  throw new Error(
    `column "${column.name}" holds numbers, but ${JSON.stringify(stray.value)} in data row ` +
      `${stray.row.toLocaleString('en-US')}, which the generated training would refuse; clean that value (or leave it empty, for missing) and try again`,
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function missingNote(c: ColumnProfile): string {
  if (c.missing === 0) return '';
  const sentinels = c.na?.length ? ` (${c.na.map((t) => `\`${t}\``).join(', ')} read as missing)` : '';
  return `; ${plural(c.missing, 'missing value')}${sentinels}, imputed`;
}

function targetEvidence(c: ColumnProfile, task: TaskType): string {
  if (task === 'regression')
    return c.distinct <= MAX_CLASSES
      ? `${plural(c.distinct, 'distinct number')} in ${plural(c.count, 'row')} (too few repeats to be classes): regression`
      : `${plural(c.distinct, 'distinct number')} (more than ${MAX_CLASSES}): regression`;
  if (c.type === 'int' || c.type === 'float') {
    const spelled =
      c.type === 'float' && c.integral
        ? ` written as decimals (${Object.keys(c.frequencies ?? {})
            .slice(0, 3)
            .join(', ')}) but whole numbers`
        : '';
    return `${plural(c.distinct, 'distinct value')}${spelled}: classes, so classification`;
  }
  if (c.type === 'bool') return `yes/no values (${[...(c.trueTokens ?? []), ...(c.falseTokens ?? [])].join(', ')}): binary classification`;
  return `${plural(c.distinct, 'distinct label')}: classification`;
}

/** A column's role and the evidence for it. */
export function decide(c: ColumnProfile): ColumnDecision {
  const d = (role: ColumnRole, evidence: string): ColumnDecision => ({ column: c.name, role, evidence, profile: c });
  if (c.count === 0) return d('empty', 'no values at all');
  if (c.distinct === 1) return d('constant', `one value only (${JSON.stringify(c.mode)}): carries no information`);
  if (isIdentifierLike(c)) {
    const why =
      c.type === 'int' && !namedLikeId(c.name) ? 'whole numbers counting up one by one (a row number)' : c.type === 'int' ? 'named like an id' : 'text';
    return d('identifier', `every one of ${plural(c.count, 'value')} is distinct, ${why}: identifies rows, does not describe them`);
  }
  switch (c.type) {
    case 'int':
    case 'float':
      return d('numeric', `${c.integral ? 'whole numbers' : 'numbers'} from ${c.min} to ${c.max}${missingNote(c)}`);
    case 'bool':
      return d(
        'bool',
        `yes/no values: true is ${c.trueTokens!.map((t) => JSON.stringify(t)).join(', ')}, false is ${c.falseTokens!.map((t) => JSON.stringify(t)).join(', ')}${missingNote(c)}`,
      );
    case 'date':
      return d(
        'date',
        `dates${c.hasTime ? ' with times' : ''} from ${c.first} to ${c.last}: turned into calendar features (year, month, day, weekday, day of year, hour)${missingNote(c)}`,
      );
    case 'category':
      return d('category', `${plural(c.distinct, 'distinct value')}, short text: a closed set (unknown values are rejected by the API)${missingNote(c)}`);
    case 'string': {
      const length = Math.round(c.meanLength ?? 0);
      const what =
        length > FREE_TEXT_ID_LENGTH
          ? `free text: ${plural(c.distinct, 'distinct value')}, ${length} characters on average`
          : `short text with ${plural(c.distinct, 'distinct value')} (more than ${DEFAULT_MAX_CATEGORIES}): too many for a closed set`;
      return d('text', `${what}; left out (set "use": True in data_schema.py to vectorise it)`);
    }
  }
}

/** `id`, `customer_id`, `ID2`, `index`, `Unnamed: 0`, and in camel case `CustomerId`, `userId`, `PassengerID` (not `paid`, `valid`). */
function namedLikeId(name: string): boolean {
  return /(^|[^a-z])id$|^id([^a-z]|$)|_id$|^index$|^unnamed|^obs$|^identifier$/i.test(name) || /[a-z0-9](Id|ID)$/.test(name);
}

/**
 * Columns that identify rows rather than describe them: text with every value distinct, and
 * integers with every value distinct that are named like an id or count up one by one (a row
 * number).
 */
export function isIdentifierLike(c: ColumnProfile): boolean {
  if (c.count === 0) return true;
  if (c.type === 'string') return c.unique && (c.meanLength ?? 0) <= FREE_TEXT_ID_LENGTH;
  if (c.type === 'int' && c.unique) return namedLikeId(c.name) || c.max! - c.min! + 1 === c.count;
  return false;
}

/** Unique text longer than this on average is free text (a title, a comment), not an id. */
const FREE_TEXT_ID_LENGTH = 40;

function toFeature(d: ColumnDecision, ident: string, margin: number): Feature {
  const c = d.profile;
  const kind = d.role as FeatureKind;
  const optional = c.missing > 0;
  switch (kind) {
    case 'numeric': {
      const integer = Boolean(c.integral);
      const [lower, upper] = numericBounds(c, margin);
      const example = integer ? Math.round(c.median!) : round(c.median!, 6);
      return { column: c.name, ident, kind, profile: c, optional, lower, upper, integer, example };
    }
    case 'bool':
      return { column: c.name, ident, kind, profile: c, optional, example: c.mode === 'true' };
    case 'category':
      return { column: c.name, ident, kind, profile: c, optional, categories: d.categories ?? c.categories!, example: c.mode! };
    case 'date':
      return { column: c.name, ident, kind, profile: c, optional, example: isoDate(c.mode!) };
    case 'text':
      return { column: c.name, ident, kind, profile: c, optional, example: c.mode ?? '' };
  }
}

/** The accepted range: the observed one widened by `margin` of its span (the same formula as pipeline/data.py). */
export function numericBounds(c: ColumnProfile, margin: number): [number, number] {
  const min = c.min!;
  const max = c.max!;
  const span = max - min || Math.abs(max) || 1;
  let lower = min - span * margin;
  const upper = max + span * margin;
  if (min >= 0 && lower < 0) lower = 0;
  if (c.integral) return [Math.floor(lower), Math.ceil(upper)];
  return [round(lower, 6), round(upper, 6)];
}

/** A date as ISO 8601 text, as the API takes it (pandas reads the same text the same way). */
export function isoDate(raw: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(raw);
  let parts: number[];
  if (m) {
    parts = m.slice(1).map((p) => Number(p ?? 0));
  } else {
    const parsed = new Date(raw);
    if (Number.isNaN(parsed.getTime())) return raw;
    parts = [parsed.getFullYear(), parsed.getMonth() + 1, parsed.getDate(), parsed.getHours(), parsed.getMinutes(), parsed.getSeconds()];
  }
  const [y, mo, d, h, mi, sec] = parts as [number, number, number, number, number, number];
  const date = `${y}-${pad(mo)}-${pad(d)}`;
  return /\d:\d{2}/.test(raw) ? `${date}T${pad(h)}:${pad(mi)}:${pad(sec)}` : date;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The example request: one typical value per feature, keyed by column name. */
export function exampleRequest(spec: DataSpec): Record<string, string | number | boolean> {
  return Object.fromEntries(spec.features.map((f) => [f.column, f.example]));
}

/** The relative path from the output folder to a file, with forward slashes. */
export function relativeFromOut(outDir: string, file: string): string {
  const rel = path.relative(outDir, file);
  if (path.isAbsolute(rel)) return path.basename(file); // another drive: expect the file beside the project
  return rel.split(path.sep).join('/');
}
