/**
 * Line breaks as Python reads them, on real files: each listed script is analysed with its lines
 * ended by `\n`, by `\r\n` and by a lone `\r` (old Mac files, which Python runs: it reads source with
 * universal newlines), and the three analyses must give the same findings (rule, range, message).
 * Then the incremental path: with `--steps N`, each `\r` copy is edited as a person edits (the
 * inserted lines end in `\n`, so the text mixes all three breaks), and after every step the analysis
 * through the document's caches must give the findings of a fresh analysis.
 *
 *   find CHECKOUT -name '*.py' | sort > /tmp/files
 *   node --import tsx scripts/line-break-trial.ts /tmp/files [--steps 10] [--seed 1]
 *
 * Prints each file whose findings differ, then one line of counts. Exits 1 if any differ.
 */
import { isDeepStrictEqual } from 'node:util';
import * as fs from 'node:fs';
import { createEngine, type Engine } from '../server/src/engine/index';
import { numberOption, pastedLines, personEditing, readText } from './trial-edits';

const BREAKS = { lf: '\n', crlf: '\r\n', cr: '\r' } as const;

/** What a user sees of a finding. */
function seen(analysis: ReturnType<Engine['analyze']>): string[] {
  return analysis.findings.map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.message}`);
}

function analyse(engine: Engine, text: string): string[] {
  return seen(engine.analyze({ path: 'trial.py', kind: 'script', text }));
}

async function main(argv: string[]): Promise<number> {
  const list = argv[0];
  if (!list) throw new Error('usage: line-break-trial.ts FILE_LIST [--steps N] [--seed N]');
  const steps = numberOption(argv, '--steps', 0);
  const engine = await createEngine();
  const files = fs
    .readFileSync(list, 'utf8')
    .split('\n')
    .filter((file) => file.endsWith('.py'));
  const { editText } = personEditing(numberOption(argv, '--seed', 1), pastedLines(files));
  const counts = { files: 0, differing: 0, findings: 0, syntaxErrorsOnlyWithCr: 0, findingsMissedWithCr: 0, steps: 0, disagreements: 0 };
  for (const file of files) {
    const original = readText(file);
    if (original === undefined || original.length > 300_000) continue;
    const lines = original.split(/\r\n|\r|\n/);
    counts.files++;
    const [lf, crlf, cr] = (['lf', 'crlf', 'cr'] as const).map((kind) => analyse(engine, lines.join(BREAKS[kind])));
    counts.findings += lf.length;
    if (!isDeepStrictEqual(crlf, lf) || !isDeepStrictEqual(cr, lf)) {
      counts.differing++;
      counts.syntaxErrorsOnlyWithCr += cr.filter((f) => f.startsWith('syntax-error ') && !lf.includes(f)).length;
      counts.findingsMissedWithCr += lf.filter((f) => !cr.includes(f)).length;
      console.log(`differs: ${file} (\\n ${lf.length} findings, \\r\\n ${crlf.length}, \\r ${cr.length})`);
    }
    const key = `trial://${file}`;
    let text = lines.join('\r');
    const history: string[] = [text];
    try {
      engine.analyze({ path: 'trial.py', kind: 'script', text }, engine.trees.document(key));
      for (let step = 1; step <= steps; step++) {
        text = editText(text, history);
        history.push(text);
        counts.steps++;
        const input = { path: 'trial.py', kind: 'script' as const, text };
        const incremental = engine.analyze(input, engine.trees.document(key));
        // As the server does once typing stops (docs/performance.md, "Incremental trees of text with errors").
        const settled = engine.trees.settle(key) ? engine.analyze(input, engine.trees.document(key)) : incremental;
        if (!isDeepStrictEqual(seen(settled), seen(engine.analyze(input)))) {
          counts.disagreements++;
          console.log(`incremental differs: ${file} at step ${step}`);
          break;
        }
      }
    } finally {
      engine.trees.drop(key);
    }
  }
  console.log(
    `${counts.files} files, ${counts.findings} findings with \\n: ${counts.differing} files differ with \\r\\n or \\r ` +
      `(${counts.syntaxErrorsOnlyWithCr} syntax errors only with \\r, ${counts.findingsMissedWithCr} findings missed with \\r); ` +
      `${counts.steps} edit steps in \\r files, ${counts.disagreements} disagreements with a fresh analysis`,
  );
  return counts.differing === 0 && counts.disagreements === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
