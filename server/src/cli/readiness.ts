import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  computeReadiness,
  ReadinessConfigError,
  WHOLE_PROJECT_SCAN,
  renderJson,
  renderMarkdown,
  renderSarif,
  renderText,
  type ScanProgress,
} from '../engine/index';
import { UsageError, parseCommandLine, checkFormat, type CliIo, type CommandContext } from './io';
import { writeReportFile } from './write';
import { FactsPool, factsThreadCount } from './facts-pool';
import { VERSION } from '../version';

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;

export const READINESS_HELP = `Usage: mlready readiness [DIR] [options]

Assesses how ready the project in DIR (default: the current folder) is for production:
problem definition, data, reproducibility, serving, failure handling, operations and
governance, each item with its evidence and the action that closes it. Attestations for
what code cannot show are read from [tool.mlready.readiness] in pyproject.toml or mlready.toml.

Options:
  --format FORMAT     text (default), json, markdown (for a pull-request comment), sarif
  --min-score N       exit with status 1 when the score is below N (0-100): the CI gate
  --no-attestations   ignore attestations (CI on pull requests from forks: whoever opened
                      the pull request could have written them)
  --output FILE       write the report to FILE instead of standard output
  --verbose           text format: show the evidence of every item
  --no-color          plain text even on a terminal
  -h, --help          show this help

Exit codes: 0 at or above --min-score (or no --min-score), 1 below it,
2 usage error or invalid attestations.
`;

export async function run(argv: string[], io: CliIo, context: CommandContext = {}): Promise<number> {
  const parsed = parseCommandLine(argv, {
    format: { type: 'string', default: 'text' },
    'min-score': { type: 'string' },
    'no-attestations': { type: 'boolean', default: false },
    output: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(READINESS_HELP);
    return 0;
  }
  const format = checkFormat(values.format, FORMATS);
  let minScore: number | undefined;
  if (values['min-score'] !== undefined) {
    minScore = Number(values['min-score']);
    if (!/^\d+(\.\d+)?$/.test(values['min-score'].trim()) || minScore > 100)
      throw new UsageError(`--min-score must be a number from 0 to 100, not "${values['min-score']}"`);
  }
  if (positionals.length > 1) throw new UsageError(`readiness takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const root = path.resolve(io.cwd, positionals[0] ?? '.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`${positionals[0] ?? '.'}: no such folder`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${positionals[0]}: not a folder (readiness assesses a whole project)`);

  // A progress line only where a person watches: a terminal, text to stdout, stderr a terminal too.
  const showProgress = format === 'text' && io.isTTY && values.output === undefined && process.stderr.isTTY === true;
  const onProgress = showProgress
    ? (progress: ScanProgress) => {
        if (progress.phase === 'parsing' && progress.total > 0) io.err(`\r\x1b[KParsing ${progress.done}/${progress.total} configuration files and documents…`);
        if (progress.phase === 'analysing' && progress.total > 0) io.err(`\r\x1b[KAnalysing ${progress.done}/${progress.total} Python files…`);
      }
    : undefined;
  // Files are analysed on threads, as `mlready check` does: the first was started before the CLI
  // loaded, and no parser loads here.
  const factsWorkers = new FactsPool(root, factsThreadCount(Number.POSITIVE_INFINITY), { prestarted: context.prestartedFacts });
  let report;
  try {
    // A batch job reads the whole project.
    report = await computeReadiness(root, factsWorkers, { ...WHOLE_PROJECT_SCAN, onProgress, attestations: values['no-attestations'] !== true });
  } catch (error) {
    if (showProgress) io.err('\r\x1b[K');
    if (error instanceof ReadinessConfigError) {
      for (const problem of error.problems)
        io.err(`error: ${path.relative(io.cwd, path.join(root, problem.path)) || problem.path}${problem.line ? `:${problem.line}` : ''}: ${problem.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await factsWorkers.close();
  }
  if (showProgress) io.err('\r\x1b[K');

  const color = format === 'text' && io.isTTY && !values['no-color'] && !process.env.NO_COLOR && values.output === undefined;
  const output =
    format === 'json'
      ? renderJson(report)
      : format === 'markdown'
        ? renderMarkdown(report)
        : format === 'sarif'
          ? renderSarif(report, VERSION)
          : renderText(report, { color, verbose: values.verbose === true });
  if (values.output) writeReportFile(io.cwd, values.output, output, []);
  else io.out(output);

  if (minScore !== undefined && report.score < minScore) {
    io.err(`Readiness score ${report.score} is below the minimum of ${minScore}.\n`);
    return 1;
  }
  return 0;
}
