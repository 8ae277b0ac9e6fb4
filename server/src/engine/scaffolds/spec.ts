import * as path from 'node:path';
import { inferTask, type ColumnProfile, type CsvProfile, type TaskType } from './csv-profile';
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

export const SCAFFOLD_KINDS = ['pipeline', 'api', 'fallback', 'monitoring', 'ci'] as const;
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
  /**
   * The folder the user chose (the workspace): a data path that the notebook names is read only
   * when it resolves inside it (default: `cwd`). Paths the user passes (`data`, `from`) are not limited.
   */
  root?: string;
}

export type FeatureKind = 'numeric' | 'bool' | 'category' | 'text';

export interface Feature {
  /** Column name in the data. */
  column: string;
  /** Python identifier for the contract field. */
  ident: string;
  kind: FeatureKind;
  profile: ColumnProfile;
  /** Whether missing values were seen (the field is optional and imputed). */
  optional: boolean;
  /** numeric: accepted range (observed range widened by 10% of its span, not below 0 if no negatives). */
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
  target: ColumnProfile;
  targetIdent: string;
  task: TaskType;
  /** Python type of a prediction: str/int/bool for classes, float for regression. */
  predictionType: 'str' | 'int' | 'bool' | 'float';
  /** Classification: class labels as they appear in the data, most frequent first. */
  classes?: Array<string | number | boolean>;
  /** The training prior: the majority class and its share, or the target median. */
  prior: { prediction: string | number | boolean; confidence: number | null };
  features: Feature[];
  /** Identifier-like columns left out of the features. */
  dropped: string[];
  rows: number;
  sampled: boolean;
}

export function buildSpec(profile: CsvProfile, target: string, dataPathFromOut: string): DataSpec {
  const targetProfile = profile.columns.find((c) => c.name === target);
  if (!targetProfile) {
    const names = profile.columns.map((c) => c.name).join(', ');
    throw new Error(`target column "${target}" is not in the data file (columns: ${names})`);
  }
  if (targetProfile.count === 0) throw new Error(`target column "${target}" has no values`);
  const task = inferTask(targetProfile);
  const candidates = profile.columns.filter((c) => c.name !== target);
  const dropped = candidates.filter(isIdentifierLike).map((c) => c.name);
  const kept = candidates.filter((c) => !dropped.includes(c.name));
  if (kept.length === 0) throw new Error('the data file has no feature columns besides the target');
  const idents = pyIdentifiers(kept.map((c) => c.name));
  const features = kept.map((c, i) => toFeature(c, idents[i]!));

  let predictionType: DataSpec['predictionType'];
  let classes: DataSpec['classes'];
  let prior: DataSpec['prior'];
  if (task === 'classification') {
    const freq = targetProfile.frequencies ?? {};
    const labels = Object.keys(freq).sort((a, b) => freq[b]! - freq[a]!);
    if (targetProfile.type === 'bool') {
      predictionType = 'bool';
      classes = labels.map((l) => l === 'true');
    } else if (targetProfile.type === 'int') {
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
      confidence: top !== undefined && total > 0 ? round(freq[top]! / total, 4) : null,
    };
  } else {
    predictionType = 'float';
    prior = { prediction: round(targetProfile.median ?? 0, 6), confidence: null };
  }
  return {
    dataPath: dataPathFromOut,
    dataFileName: path.posix.basename(dataPathFromOut),
    target: targetProfile,
    targetIdent: pyIdentifiers([target])[0]!,
    task,
    predictionType,
    classes,
    prior,
    features,
    dropped,
    rows: profile.rows,
    sampled: profile.sampled,
  };
}

/**
 * Columns that identify rows rather than describe them: text with every value distinct or no
 * values at all, and integers with every value distinct that are named like an id or count
 * up one by one (a row number).
 */
export function isIdentifierLike(c: ColumnProfile): boolean {
  if (c.count === 0) return true;
  if (c.type === 'string') return c.unique;
  if (c.type === 'int' && c.unique) {
    return /(^|[^a-z])id$|^id([^a-z]|$)|_id$|^index$|^unnamed/i.test(c.name) || c.max! - c.min! + 1 === c.count;
  }
  return false;
}

function toFeature(c: ColumnProfile, ident: string): Feature {
  const optional = c.missing > 0;
  switch (c.type) {
    case 'int':
    case 'float': {
      const min = c.min!;
      const max = c.max!;
      const span = max - min || Math.abs(max) || 1;
      let lower = min - span * 0.1;
      let upper = max + span * 0.1;
      if (min >= 0 && lower < 0) lower = 0;
      if (c.type === 'int') {
        lower = Math.floor(lower);
        upper = Math.ceil(upper);
      } else {
        lower = round(lower, 6);
        upper = round(upper, 6);
      }
      const example = c.type === 'int' ? Math.round(c.median!) : round(c.median!, 6);
      return { column: c.name, ident, kind: 'numeric', profile: c, optional, lower, upper, integer: c.type === 'int', example };
    }
    case 'bool':
      return { column: c.name, ident, kind: 'bool', profile: c, optional, example: c.mode === 'true' };
    case 'category':
      return { column: c.name, ident, kind: 'category', profile: c, optional, categories: c.categories!, example: c.mode! };
    case 'string':
      return { column: c.name, ident, kind: 'text', profile: c, optional, example: c.mode ?? '' };
  }
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
