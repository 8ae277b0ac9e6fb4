import { CATEGORIES, ITEMS, ITEM_IDS, findItem } from './items/index';
import { loadAttestations, readAttestations, ReadinessConfigError, parseAttestations, attestationSchema } from './attestations';
import { EngineFactsProvider, type FactsAnalyser, type FactsInput, type FactsWorkers } from './engine-facts';
import { FactsCache, type PackedFacts } from './facts-cache';
import { bandFor, BANDS, categoryScore, projectScore, POINTS, SCORING_RULES } from './score';
import { scanWorkspace, AbortedError, yieldToEventLoop, type ScanOptions, type ScanProgress, type Workspace } from './workspace';
import type { Attestation, CheckResult, ReadinessCategory, ReadinessItem, ReadinessReport } from './types';
import type { ItemDefinition } from './item';
import { projectShape } from './shape';

export * from './types';
export type { ItemDefinition, CategoryId } from './item';
export type { PythonFacts, FactsProvider } from './facts';
export {
  CATEGORIES,
  ITEMS,
  ITEM_IDS,
  findItem,
  BANDS,
  POINTS,
  bandFor,
  loadAttestations,
  readAttestations,
  parseAttestations,
  attestationSchema,
  ReadinessConfigError,
  AbortedError,
  EngineFactsProvider,
  scanWorkspace,
};
export type { ScanProgress, Workspace, PackedFacts, FactsAnalyser, FactsInput, FactsWorkers };
export { FactsCache };
export { gitUser } from './attester';
export { readinessSkipsFolder, WHOLE_PROJECT_SCAN } from './workspace';
export { renderText, renderMarkdown, renderSarif, renderJson, renderChecklistDoc } from './render';

export interface ReadinessOptions {
  /**
   * False in an untrusted workspace: attestations in pyproject.toml and mlready.toml are not read
   * (a person's word, written by whoever wrote the repository), and the report says so.
   */
  attestations?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** See `ScanOptions.pause`. */
  pause?: () => Promise<void>;
  maxFiles?: number;
  /** See `ScanOptions.maxPythonFiles`. */
  maxPythonFiles?: number;
  /** See `ScanOptions.maxTextBytes`. */
  maxTextBytes?: number;
  /** The facts of an earlier scan of this project: files whose text and configuration are unchanged are not analysed again. */
  factsCache?: FactsCache;
}

/** What the report says in an untrusted workspace. */
export const UNTRUSTED_ATTESTATIONS = {
  path: 'mlready.toml',
  message:
    'Untrusted workspace (or --no-attestations): attestations in pyproject.toml and mlready.toml are ignored, since whoever wrote this repository could have written them. Trust the folder (or drop the flag) to count them.',
} as const;

/**
 * Assesses a project: scans it (yielding to the event loop between files, cancellable through
 * `signal`), runs every item's check, applies the attestations of pyproject.toml/mlready.toml
 * and scores. Files are analysed by `analyser`: an engine in this thread, or threads (the faces'
 * `FactsPool`). Throws ReadinessConfigError for invalid attestations and AbortedError when cancelled.
 */
export async function computeReadiness(root: string, analyser: FactsAnalyser, options: ReadinessOptions = {}): Promise<ReadinessReport> {
  const trusted = options.attestations !== false;
  // Invalid attestations are a configuration error; a file that could not be read is one problem of the report.
  const read = trusted ? await readAttestations(root) : undefined;
  if (read && read.problems.length > 0) throw new ReadinessConfigError(read.problems);
  const attestations = read?.attestations ?? new Map<string, Attestation>();
  const scan: ScanOptions = {
    signal: options.signal,
    onProgress: options.onProgress,
    pause: options.pause,
    maxFiles: options.maxFiles,
    maxPythonFiles: options.maxPythonFiles,
    maxTextBytes: options.maxTextBytes,
  };
  const workspace = await scanWorkspace(root, new EngineFactsProvider(analyser, root, options.factsCache), scan);
  if (options.signal?.aborted) throw new AbortedError();
  const report = await assessInTurns(workspace, attestations, { pause: options.pause, signal: options.signal });
  if (!trusted) report.problems.unshift(UNTRUSTED_ATTESTATIONS);
  else report.problems.unshift(...(read?.unread ?? []));
  return report;
}

/** Runs the checks on a scanned workspace and builds the report. */
export function assess(workspace: Workspace, attestations: ReadonlyMap<string, Attestation> = new Map()): ReadinessReport {
  const steps = assessItemByItem(workspace, attestations);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, letting other work run between two items (awaiting `pause` there, and stopping when
 * `signal` is aborted): the checks of all items in one stretch kept the language server from
 * answering edits for 0.8-1.0 s on EleutherAI/lm-evaluation-harness.
 */
export async function assessInTurns(
  workspace: Workspace,
  attestations: ReadonlyMap<string, Attestation> = new Map(),
  options: Pick<ScanOptions, 'pause' | 'signal'> = {},
): Promise<ReadinessReport> {
  const steps = assessItemByItem(workspace, attestations);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (options.pause) await options.pause();
    await yieldToEventLoop();
    if (options.signal?.aborted) throw new AbortedError();
  }
}

/** The report, built one item at a time: yields after each item's check. */
function* assessItemByItem(workspace: Workspace, attestations: ReadonlyMap<string, Attestation>): Generator<void, ReadinessReport, void> {
  const categories: ReadinessCategory[] = [];
  for (const category of CATEGORIES) {
    const items: ReadinessItem[] = [];
    for (const definition of category.items) {
      items.push(assessItem(definition, workspace, attestations.get(definition.id)));
      yield;
    }
    const { points, possible, score } = categoryScore(items.map((item) => item.status));
    categories.push({ id: category.id, title: category.title, score, points, possible, items });
  }
  numberCells(categories, workspace);
  const score = projectScore(categories);
  const band = bandFor(score);
  const scored = categories.filter((category) => category.score !== null);
  const weakest = [...scored].sort((a, b) => (a.score ?? 0) - (b.score ?? 0))[0];
  const counts = countStatuses(categories);
  const scoring = [
    ...SCORING_RULES,
    `This project: ${counts.pass} passed, ${counts.partial} partial, ${counts.attested} attested, ${counts.fail} open, ${counts['not-applicable']} not applicable; the mean of ${scored.length} category scores (${scored.map((c) => `${c.title} ${c.score}%`).join(', ')}) is ${score}.`,
    ...(weakest ? [`The weakest category is ${weakest.title} (${weakest.score}%): the rubric judges a system by its weakest area, so start there.`] : []),
  ];
  const python = workspace.python;
  return {
    score,
    band: band.name,
    bandDescription: band.description,
    scoring,
    categories,
    problems: [...workspace.problems],
    stats: {
      filesScanned: workspace.files.length,
      pythonFiles: python.filter((f) => f.kind === 'script').length,
      notebooks: python.filter((f) => f.kind === 'notebook').length,
      truncated: workspace.truncated,
      pythonNotAnalysed: workspace.pythonNotAnalysed,
    },
  };
}

/** Gives each notebook evidence its cell number as VS Code shows it, next to the code-cell index. */
function numberCells(categories: readonly ReadinessCategory[], workspace: Workspace): void {
  const numbers = new Map(workspace.python.filter((facts) => facts.cellNumbers).map((facts) => [facts.path, facts.cellNumbers as number[]]));
  for (const category of categories)
    for (const item of category.items)
      for (const evidence of item.evidence) {
        const number = evidence.cell !== undefined ? numbers.get(evidence.path)?.[evidence.cell] : undefined;
        if (number !== undefined) evidence.cellNumber = number;
      }
}

function countStatuses(categories: readonly ReadinessCategory[]): Record<ReadinessItem['status'], number> {
  const counts = { pass: 0, partial: 0, fail: 0, attested: 0, 'not-applicable': 0 };
  for (const category of categories) for (const item of category.items) counts[item.status]++;
  return counts;
}

function assessItem(definition: ItemDefinition, workspace: Workspace, attestation: Attestation | undefined): ReadinessItem {
  let result: CheckResult;
  try {
    result = definition.check(workspace);
  } catch (error) {
    result = { status: 'fail', summary: `The check failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  // Not-applicable is earned by what the code does; a project without code earns none of it
  // (otherwise a README alone would outscore a project with code). Items of a kind of project
  // (the LLM items) stay not applicable: no code, no LLM calls.
  if (result.status === 'not-applicable' && !definition.onlyFor && !projectShape(workspace).hasCode) {
    result = { status: 'fail', summary: `No Python code or notebook to assess (${result.summary.replace(/\.$/, '')} only because there is no code).` };
  }
  let status: ReadinessItem['status'] = result.status;
  let summary = result.summary;
  // The project's select/ignore turned the item's rule off: its findings were not counted, say so.
  const rule = definition.action.rule;
  if (rule && workspace.rulesOff.has(rule))
    summary = `${summary} (\`${rule}\` is turned off by the project's select/ignore, so its findings do not count here.)`;
  const evidence = [...(result.evidence ?? [])];
  if (attestation) {
    const at = {
      path: attestation.source,
      line: attestation.line,
      note: `${attestation.status === 'attested' ? 'attested' : 'marked not applicable'} by ${attestation.by} on ${attestation.date}${attestation.note ? `: ${attestation.note}` : ''}`,
    };
    if (result.blocksAttestation) {
      summary = `${summary} The attestation in ${attestation.source} does not count while this is found in code.`;
    } else if (attestation.status === 'not-applicable') {
      status = 'not-applicable';
      summary = `Marked not applicable by ${attestation.by}.`;
      evidence.unshift(at);
    } else if (status !== 'pass') {
      status = 'attested';
      summary = `Attested by ${attestation.by} on ${attestation.date}.`;
      evidence.unshift(at);
    } else {
      evidence.push(at);
    }
  }
  const item: ReadinessItem = {
    id: definition.id,
    title: definition.title,
    why: definition.why,
    status,
    points: POINTS[status],
    summary,
    evidence,
    attestable: definition.attestable !== 'no',
  };
  // An attested item keeps its action when automation could still earn the full point.
  if (status === 'fail' || status === 'partial' || (status === 'attested' && definition.attestable !== 'only')) item.action = definition.action;
  if (attestation) item.attestation = attestation;
  return item;
}
