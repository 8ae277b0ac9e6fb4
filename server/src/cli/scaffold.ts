import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../engine/index';
import { computeReadiness } from '../engine/index';
import {
  READINESS_FLOOR_PLACEHOLDER,
  generateScaffoldWithReport,
  isScaffoldKind,
  listScaffolds,
  ScaffoldConflictError,
  ScaffoldError,
  writeScaffold,
} from '../engine/index';
import { UsageError, type CliIo } from './io';

const USAGE = `Usage: mlready scaffold KIND --data CSV --target COLUMN --out DIR [--from NOTEBOOK_OR_SCRIPT] [--model PATH]
       [--range-margin SHARE] [--mlready-package SPEC] [--force]

KIND is one of:
${listScaffolds()
  .map((s) => `  ${s.kind.padEnd(11)} ${s.description}`)
  .join('\n')}
  all         all of the above

Options:
  --data CSV        training data; types, ranges and categories are inferred from it
  --target COLUMN   the column to predict (classification or regression is inferred;
                    with --from, the column the notebook predicts when not given)
  --out DIR         output folder (default: the current folder)
  --from FILE       notebook (.ipynb) or script whose steps the pipeline carries over
  --model PATH      a model file to serve instead of the promoted one (models/registry.json):
                    the API section of README.md shows it as SERVING_MODEL_PATH
  --range-margin X  widen the contract's numeric ranges by this share of the span seen (default 0.1)
  --mlready-package SPEC
                    how the generated CI installs mlready: an npm spec it can reach (a published
                    version, a git URL pinned to a commit, a tarball in the repository); default
                    $MLREADY_PACKAGE, else empty (the CI's mlready steps are skipped with a warning)
  --force           overwrite existing files
`;

/** `mlready scaffold KIND`: writes the generated files and lists them. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        target: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        model: { type: 'string' },
        'range-margin': { type: 'string' },
        'mlready-package': { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const kind = positionals[0];
  if (!kind) throw new UsageError(`missing KIND\n\n${USAGE}`);
  if (positionals.length > 1) throw new UsageError(`one KIND at a time (got ${positionals.join(' ')})`);
  if (kind !== 'all' && !isScaffoldKind(kind)) throw new UsageError(`unknown scaffold "${kind}"\n\n${USAGE}`);

  const outDir = path.resolve(io.cwd, values.out ?? '.');
  let rangeMargin: number | undefined;
  if (values['range-margin'] !== undefined) {
    rangeMargin = Number(values['range-margin']);
    if (!/^\d+(\.\d+)?$/.test(values['range-margin'].trim()) || rangeMargin > 10)
      throw new UsageError(`--range-margin must be a share such as 0.1 (10% of the span), not "${values['range-margin']}"`);
  }
  let generated;
  try {
    generated = await generateScaffoldWithReport(kind, {
      data: values.data,
      target: values.target,
      from: values.from,
      model: values.model,
      out: outDir,
      cwd: io.cwd,
      rangeMargin,
      mlreadyPackage: values['mlready-package'],
    });
  } catch (error) {
    if (error instanceof ScaffoldError) throw new UsageError(error.message);
    throw error;
  }
  const files = generated.files;
  let result;
  try {
    result = writeScaffold(files, outDir, { force: values.force });
  } catch (error) {
    if (error instanceof ScaffoldConflictError) {
      io.err(`error: refusing to overwrite existing files in ${outDir} (use --force):\n${error.files.map((f) => `  ${f}\n`).join('')}`);
      return 2;
    }
    if (error instanceof ScaffoldError) throw new UsageError(error.message);
    throw error;
  }
  const workflow = [...result.created, ...result.updated].find((f) => f === '.github/workflows/mlready.yml');
  if (workflow) {
    // The ratchet: CI holds the readiness score the project has now, with the new files in it.
    const file = path.join(outDir, workflow);
    const report = await computeReadiness(outDir, await createEngine());
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(READINESS_FLOOR_PLACEHOLDER, String(report.score)));
    io.out(`readiness score now ${report.score}: the CI workflow holds it (MLREADY_MIN_SCORE)\n`);
  }
  const shown = path.relative(io.cwd, outDir) || '.';
  for (const file of result.created) io.out(`created  ${path.join(shown, file)}\n`);
  for (const file of result.updated) io.out(`updated  ${path.join(shown, file)}\n`);
  io.out(`${result.created.length} file(s) created, ${result.updated.length} updated in ${shown}\n`);
  if (generated.sampledData) io.out(`data: read from ${generated.sampledData}\n`);
  if (generated.steps) {
    const { fixed, paths, marked } = generated.steps;
    io.out(
      `pipeline/steps.py: ${fixed} fix(es) applied, ${paths.length} path(s) lifted into pipeline/config.py, ${marked.length} finding(s) marked for review\n`,
    );
    for (const line of marked) io.out(`  marked  ${line}\n`);
    const { estimator, features, notCarried } = generated.steps;
    io.out(
      `pipeline/steps.py: model ${estimator ? `${estimator} (build_estimator)` : 'not found in the notebook (the default model trains)'}; ${features} feature statement(s) in features(frame); ${notCarried.length} item(s) not carried over, listed with their cell in README.md\n`,
    );
  }
  return 0;
}
