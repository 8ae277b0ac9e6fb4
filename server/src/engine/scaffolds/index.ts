import * as fs from 'node:fs';
import * as path from 'node:path';
import { profileCsvFile } from './csv-profile';
import { readRegularFile, writeFileInside, prepareWriteInside, describeFsError, SafeFsError, MAX_SCRIPT_BYTES, isInside } from '../safe-fs';
import { buildSpec, relativeFromOut, rowsReadFrom, SCAFFOLD_KINDS, type DataSpec, type GeneratedFile, type ScaffoldKind, type ScaffoldOptions } from './spec';
import { generatePipeline } from './pipeline';
import { readSchemaOverrides } from './schema-overrides';
import { generateApi } from './api';
import { generateFallback } from './fallback';
import { generateMonitoring } from './monitoring';
import { generateCi } from './ci';
import { generateDvc } from './dvc';
import { generateModelCard } from './model-card';
import { generateDecision } from './decision';
import { NotebookSourceError, readNotebookSource } from './steps';
import { liftFacts, reviewSteps, type ReviewedSteps } from './steps-review';

export { profileCsvFile, profileCsvText, inferTask, type CsvProfile, type ColumnProfile } from './csv-profile';
export { SCAFFOLD_KINDS, type GeneratedFile, type ScaffoldKind, type ScaffoldOptions, type DataSpec } from './spec';
export { requestJsonSchema } from './api';
export { READINESS_FLOOR_PLACEHOLDER, workflow as ciWorkflow } from './ci';
export { listTemplates, templatesDir } from './templates';

export interface ScaffoldInfo {
  kind: ScaffoldKind;
  title: string;
  description: string;
  /** Options it needs (`data` and `target` for everything that depends on the data). */
  needs: Array<'data' | 'target'>;
}

const INFO: Record<ScaffoldKind, Omit<ScaffoldInfo, 'kind'>> = {
  pipeline: {
    title: 'Training pipeline',
    description:
      'pipeline/: data_schema.py (dialect, column roles and why), seeded training with MLflow or a JSON run record, versioned models, a quality gate on the recorded test rows, promotion and rollback',
    needs: ['data', 'target'],
  },
  api: {
    title: 'Prediction API',
    description:
      'serving/: FastAPI app with a strict pydantic contract inferred from the data, health and readiness, the promoted model loaded once; Dockerfile',
    needs: ['data', 'target'],
  },
  fallback: {
    title: 'Fallback',
    description: 'serving/fallback.py: a marked fallback when the model is missing, fails, is slow or busy; low-confidence answers escalated for review',
    needs: ['data', 'target'],
  },
  monitoring: {
    title: 'Monitoring',
    description: 'monitoring/: drift (PSI, Kolmogorov-Smirnov) against training reference statistics; a rotated prediction log and Prometheus metrics',
    needs: ['data', 'target'],
  },
  ci: {
    title: 'CI workflow',
    description: '.github/workflows/mlready.yml: pinned dependencies, training, the quality gate, tests, mlready check and a readiness ratchet',
    needs: [],
  },
  dvc: {
    title: 'DVC pipeline',
    description:
      'dvc.yaml: the training pipeline as DVC stages (train, the quality gate as evaluate) depending on the data, so data, code and model are versioned together',
    needs: ['data', 'target'],
  },
  'model-card': {
    title: 'Model card',
    description: 'MODEL_CARD.md drafted from the data profile and the quality gate: intended use, training data, metric targets, limitations',
    needs: ['data', 'target'],
  },
  decision: {
    title: 'Decision statement',
    description: 'README section stating the decision the model informs: what is predicted, the cost of each error, what happens without the model',
    needs: ['data', 'target'],
  },
};

export function listScaffolds(): ScaffoldInfo[] {
  return SCAFFOLD_KINDS.map((kind) => ({ kind, ...INFO[kind] }));
}

/**
 * The file each scaffold is for (the others support it): what an editor opens once the scaffold
 * is written, relative to the output folder.
 */
export const MAIN_FILES: Readonly<Record<ScaffoldKind, string>> = {
  pipeline: 'pipeline/train.py',
  api: 'serving/app.py',
  fallback: 'serving/fallback.py',
  monitoring: 'monitoring/drift.py',
  ci: '.github/workflows/mlready.yml',
  dvc: 'dvc.yaml',
  'model-card': 'MODEL_CARD.md',
  decision: 'README.md',
};

export class ScaffoldError extends Error {}

export function isScaffoldKind(value: string): value is ScaffoldKind {
  return (SCAFFOLD_KINDS as readonly string[]).includes(value);
}

/**
 * The files of one scaffold, or of all of them (`all`), generated from the data file, the
 * target column and, for the pipeline, the notebook or script the project starts from (whose
 * steps are checked with mlready's rules: fixed, lifted into config, or marked).
 * Reads the files it is given; writes nothing.
 */
export async function generateScaffold(kind: ScaffoldKind | 'all', options: ScaffoldOptions = {}): Promise<GeneratedFile[]> {
  return (await generateScaffoldWithReport(kind, options)).files;
}

export interface ScaffoldResult {
  files: GeneratedFile[];
  /** With `from` and the pipeline: what was fixed, lifted and marked in pipeline/steps.py. */
  steps?: Omit<ReviewedSteps, 'steps'>;
  /** The data file used (absolute), when the scaffold needed one. */
  dataFile?: string;
  /** The target column (given, or the one the notebook predicts). */
  target?: string;
  /** How much of the data file was read ("1,132,740 rows (…)"), when it was sampled. */
  sampledData?: string;
}

export async function generateScaffoldWithReport(kind: ScaffoldKind | 'all', options: ScaffoldOptions = {}): Promise<ScaffoldResult> {
  const kinds: ScaffoldKind[] = kind === 'all' ? [...SCAFFOLD_KINDS] : [kind];
  const cwd = options.cwd ?? process.cwd();
  const out = path.resolve(cwd, options.out ?? '.');
  const source = options.from ? readFrom(path.resolve(cwd, options.from)) : undefined;
  const lifted = source ? await liftFacts(source) : {};
  const target = options.target || lifted.target;

  let spec: DataSpec | undefined;
  let dataFile: string | undefined;
  if (kinds.some((k) => INFO[k].needs.length > 0)) {
    dataFile = options.data ? path.resolve(cwd, options.data) : undefined;
    if (!dataFile && lifted.dataPath && options.from) {
      dataFile = notebookDataFile(lifted.dataPath, path.resolve(cwd, options.from), path.resolve(cwd, options.root ?? cwd));
    }
    if (!dataFile) throw new ScaffoldError(`${kinds.join(', ')} needs --data CSV (the training data file)`);
    if (!target) throw new ScaffoldError(`${kinds.join(', ')} needs --target COLUMN (the column to predict)`);
    if (!fs.existsSync(dataFile)) throw new ScaffoldError(`data file not found: ${dataFile}`);
    try {
      // The decisions the user changed in an existing data_schema.py are kept.
      const overrides = await readSchemaOverrides(path.join(out, 'data_schema.py'));
      spec = buildSpec(profileCsvFile(dataFile), target, relativeFromOut(out, dataFile), { rangeMargin: options.rangeMargin, overrides });
    } catch (error) {
      throw new ScaffoldError(`${path.basename(dataFile)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const files: GeneratedFile[] = [];
  let reviewed: ReviewedSteps | undefined;
  for (const k of kinds) {
    switch (k) {
      case 'pipeline':
        if (source) {
          try {
            reviewed = await reviewSteps(source, {
              fromFile: path.resolve(cwd, options.from!),
              dataFile,
              seed: lifted.seed,
              task: spec!.task,
              columns: spec!.features.map((f) => f.column),
              target,
            });
          } catch (error) {
            if (error instanceof NotebookSourceError) throw new ScaffoldError(`--from ${source.name}: ${error.message}`);
            throw error;
          }
        }
        files.push(...generatePipeline(spec!, { steps: reviewed?.steps, seed: lifted.seed, paths: reviewed?.paths }));
        if (reviewed) files.push(...reviewed.files);
        break;
      case 'api':
        files.push(...generateApi(spec!, { model: options.model }));
        break;
      case 'fallback':
        files.push(...generateFallback(spec!));
        break;
      case 'monitoring':
        files.push(...generateMonitoring(spec!));
        break;
      case 'ci':
        files.push(...generateCi({ mlreadyPackage: options.mlreadyPackage ?? process.env.MLREADY_PACKAGE, readinessFloor: options.readinessFloor }));
        break;
      case 'dvc':
        files.push(...generateDvc(spec!));
        break;
      case 'model-card':
        files.push(...generateModelCard(spec!));
        break;
      case 'decision':
        files.push(...generateDecision(spec!));
        break;
    }
  }
  const { steps: _generated, ...steps } = reviewed ?? { steps: undefined };
  return {
    files: mergeDuplicates(files),
    steps: reviewed ? (steps as Omit<ReviewedSteps, 'steps'>) : undefined,
    dataFile,
    target,
    ...(spec?.sampled ? { sampledData: rowsReadFrom(spec) } : {}),
  };
}

/**
 * The data file a notebook names, used only when it resolves (through every symlink) to a
 * regular file inside `root`, the folder the user chose: workspace content must not make
 * mlready read a file elsewhere on the machine. Otherwise the user gives the path.
 */
function notebookDataFile(named: string, notebook: string, root: string): string {
  const shown = JSON.stringify(named);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(named)) {
    throw new ScaffoldError(
      `the notebook reads its data from ${redactUrl(named)}, which is not a local file: download it into the project and pass it with --data CSV`,
    );
  }
  const candidate = path.resolve(path.dirname(notebook), named);
  let real: string;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    realRoot = root;
  }
  try {
    real = fs.realpathSync(candidate);
  } catch {
    if (!isInside(realRoot, path.resolve(candidate)) && !isInside(root, path.resolve(candidate))) {
      throw new ScaffoldError(
        `the notebook reads ${shown}, which is outside ${root}: mlready reads no file outside the folder you chose; pass the data file with --data CSV`,
      );
    }
    throw new ScaffoldError(`the notebook reads ${shown}, which does not exist (looked for ${candidate}): pass the data file with --data CSV`);
  }
  if (!isInside(realRoot, real)) {
    throw new ScaffoldError(
      `the notebook reads ${shown}, which resolves outside ${root}: mlready reads no file outside the folder you chose; pass the data file with --data CSV`,
    );
  }
  if (!fs.statSync(real).isFile()) throw new ScaffoldError(`the notebook reads ${shown}, which is not a regular file: pass the data file with --data CSV`);
  return real;
}

/** What a notebook or script offers the scaffolds: its data file (only when usable) and the column it predicts. */
export interface SourceProposal {
  /** The data file it reads, absolute and real, inside `root`, a regular file. */
  data?: string;
  /** The path as the notebook wrote it. */
  named?: string;
  /** Why the path it reads is not proposed (outside the folder, missing, not a local file). */
  reason?: string;
  /** The column it predicts. */
  target?: string;
}

/**
 * The data file and target a notebook or script names, read with the same facts `--from` uses
 * (the first `pandas.read_csv`/`read_table` with a literal path, through imports and aliases):
 * the file is proposed only when it resolves, through every link, to a regular file inside
 * `root`; otherwise `reason` says why not. Reads the source and stats the file; writes nothing.
 */
export async function proposeFromSource(from: string, root: string): Promise<SourceProposal> {
  const lifted = await liftFacts(readFrom(from));
  const proposal: SourceProposal = { named: lifted.dataPath, target: lifted.target };
  if (!lifted.dataPath) return proposal;
  try {
    proposal.data = notebookDataFile(lifted.dataPath, from, root);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    proposal.reason = error.message;
  }
  return proposal;
}

/** A URL without its user information or query (either may hold a credential). */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
}

function readFrom(file: string) {
  try {
    return readNotebookSource(file);
  } catch (error) {
    throw new ScaffoldError(`--from ${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Shared files appear once; README sections are kept in order. */
function mergeDuplicates(files: GeneratedFile[]): GeneratedFile[] {
  const seen = new Map<string, GeneratedFile>();
  const result: GeneratedFile[] = [];
  for (const file of files) {
    const key = file.mode === 'section' ? `${file.path}#${file.section}` : file.path;
    const previous = seen.get(key);
    if (previous) {
      if (previous.content !== file.content) throw new Error(`two scaffolds generate different ${file.path}`);
      continue;
    }
    seen.set(key, file);
    result.push(file);
  }
  return result;
}

export interface ScaffoldPlan {
  /** New files, with their full content. */
  create: Array<{ path: string; content: string }>;
  /** Existing files that get new content (README sections; anything with `force`). */
  update: Array<{ path: string; content: string }>;
  /** Existing files that would be overwritten (empty with `force`). */
  conflicts: string[];
  /** Shared files that already exist with the same content. */
  unchanged: string[];
}

const README_TITLE = '# Model service\n\nGenerated by mlready. Each section below describes one generated part.\n';

function sectionBlock(file: GeneratedFile): string {
  return `<!-- mlready:${file.section} -->\n${file.content.trimEnd()}\n<!-- /mlready:${file.section} -->\n`;
}

/**
 * What writing `files` into `outDir` would do, without writing: the LSP server turns this into
 * a WorkspaceEdit and the CLI into file writes. Paths in the plan are relative to `outDir`.
 */
export function planScaffold(files: readonly GeneratedFile[], outDir: string, options: { force?: boolean; choices?: ScaffoldChoices } = {}): ScaffoldPlan {
  const { overwrite = [], keep = [], beside = [] } = options.choices ?? {};
  const chosen = [...overwrite, ...keep, ...beside];
  if (new Set(chosen).size !== chosen.length) throw new ScaffoldError(`a file was given two choices: ${chosen.join(', ')}`);
  const kept = new Set(keep);
  const replaced = new Set([...overwrite, ...beside]);
  const plan: ScaffoldPlan = { create: [], update: [], conflicts: [], unchanged: [] };
  const sections = new Map<string, GeneratedFile[]>();
  for (const file of files) {
    if (kept.has(file.path)) continue; // the user keeps their own file
    if (path.isAbsolute(file.path) || file.path.split('/').includes('..')) throw new Error(`unsafe generated path ${file.path}`);
    try {
      prepareWriteInside(outDir, file.path, { check: true });
    } catch (error) {
      if (error instanceof SafeFsError) throw new ScaffoldError(error.message);
      throw error;
    }
    if (file.mode === 'section') {
      sections.set(file.path, [...(sections.get(file.path) ?? []), file]);
      continue;
    }
    const existing = readIfExists(path.join(outDir, file.path));
    if (existing === undefined) plan.create.push({ path: file.path, content: file.content });
    else if (file.mode === 'shared' && existing === file.content) plan.unchanged.push(file.path);
    else if (options.force || replaced.has(file.path)) plan.update.push({ path: file.path, content: file.content });
    else plan.conflicts.push(file.path);
  }
  for (const [file, parts] of sections) {
    const existing = readIfExists(path.join(outDir, file));
    if (existing === undefined) {
      plan.create.push({ path: file, content: [README_TITLE, ...parts.map(sectionBlock)].join('\n') });
      continue;
    }
    let text = existing;
    let conflict = false;
    for (const part of parts) {
      const pattern = new RegExp(`<!-- mlready:${part.section} -->\\n[\\s\\S]*?<!-- /mlready:${part.section} -->\\n?`);
      if (pattern.test(text)) {
        if (options.force || replaced.has(file)) text = text.replace(pattern, () => sectionBlock(part));
        else conflict = true;
      } else {
        text = `${text.trimEnd()}\n\n${sectionBlock(part)}`;
      }
    }
    if (conflict) plan.conflicts.push(file);
    else if (text !== existing) plan.update.push({ path: file, content: text });
    else plan.unchanged.push(file);
  }
  // "Write beside": what overwriting would write goes to `<path>.new`, itself never overwritten.
  for (const file of beside) {
    const index = plan.update.findIndex((entry) => entry.path === file);
    if (index < 0) continue; // unchanged, or not generated: nothing to write beside it
    const [entry] = plan.update.splice(index, 1);
    const besidePath = `${file}.new`;
    try {
      prepareWriteInside(outDir, besidePath, { check: true });
    } catch (error) {
      if (error instanceof SafeFsError) throw new ScaffoldError(error.message);
      throw error;
    }
    if (readIfExists(path.join(outDir, besidePath)) === undefined) plan.create.push({ path: besidePath, content: entry!.content });
    else plan.conflicts.push(besidePath);
  }
  return plan;
}

/**
 * The user's answer for each existing file (paths relative to the output folder): overwrite it,
 * keep it as it is, or write the generated file beside it as `<path>.new`. A file that exists
 * and has no answer is a conflict: nothing is overwritten without one.
 */
export interface ScaffoldChoices {
  overwrite?: readonly string[];
  keep?: readonly string[];
  beside?: readonly string[];
}

/** The most of an existing file a scaffold reads back to compare or update it (a README, a Dockerfile, generated code): a script's cap. */
export const MAX_EXISTING_BYTES = MAX_SCRIPT_BYTES;

/** An existing file's text; a link (dangling or not), a FIFO or a huge file is a clear ScaffoldError. */
function readIfExists(file: string): string | undefined {
  try {
    if (fs.lstatSync(file).isSymbolicLink())
      throw new ScaffoldError(
        `${file} is a symbolic link${fs.existsSync(file) ? '' : ' whose target does not exist (dangling)'}: mlready does not write through links; remove it or choose another --out`,
      );
    return readRegularFile(file, MAX_EXISTING_BYTES, { noFollow: true }).bytes.toString('utf8');
  } catch (error) {
    if (error instanceof ScaffoldError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new ScaffoldError(`${file}: ${describeFsError(error)}`);
  }
}

export class ScaffoldConflictError extends Error {
  constructor(readonly files: string[]) {
    super(`refusing to overwrite ${files.length} existing file(s) (use --force to overwrite): ${files.join(', ')}`);
  }
}

export interface WriteResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Writes the files under `outDir`, creating folders. Refuses (ScaffoldConflictError listing the
 * files, nothing written) when a file exists, unless `force`. Returns the paths written,
 * relative to `outDir`.
 */
export function writeScaffold(files: readonly GeneratedFile[], outDir: string, options: { force?: boolean } = {}): WriteResult {
  const plan = planScaffold(files, outDir, options);
  if (plan.conflicts.length > 0) throw new ScaffoldConflictError(plan.conflicts);
  for (const entry of [...plan.create, ...plan.update]) {
    // Never through a link, never outside outDir; new files created exclusively (engine/safe-fs.ts).
    try {
      writeFileInside(outDir, entry.path, entry.content, { exclusive: plan.create.includes(entry) });
    } catch (error) {
      if (error instanceof SafeFsError) throw new ScaffoldError(error.message);
      throw error;
    }
  }
  return { created: plan.create.map((e) => e.path), updated: plan.update.map((e) => e.path), unchanged: plan.unchanged };
}
