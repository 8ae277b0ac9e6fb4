/**
 * Measures the engine on the labelled corpus (`test/corpus/`): runs every rule on every file and
 * compares the findings with the markers written in the files, per rule and overall.
 *
 *   npm run eval                       table of precision / recall / TP / FP / FN, then every FP and FN
 *   npm run eval -- --markdown         the table as markdown (for docs/rules/README.md)
 *   npm run eval -- --json out.json    also write the figures as JSON
 *   npm run eval -- --check            exit 1 if a rule is below precision 0.95 or recall 0.90
 *   npm run eval -- --rule NAME        only that rule (repeatable)
 *   npm run eval -- DIR                another corpus directory
 *
 * Markers are comments at the end of a line (see test/corpus/README.md):
 *   `# expect: rule-a, rule-b`  findings that must start on this line (a rule twice: two findings)
 *   `# ok: rule-a`              a look-alike: no finding of that rule here (documentation; any
 *                               finding not expected counts as a false positive anyway)
 * Both may share one comment: `# expect: rule-a; ok: rule-b`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine, RULE_NAMES } from '../server/src/engine/index';

/** Every registered rule is measured: the registry is the one list of rules (a meta-test in test/corpus.test.ts asks the corpus for examples of each). */
export const CATALOG_RULES: readonly string[] = [...RULE_NAMES];

/** Rules whose finding is about a whole cell: matched on (file, cell), the line is not compared. */
const CELL_LEVEL_RULES = new Set(['notebook-out-of-order']);

export const PRECISION_TARGET = 0.95;
export const RECALL_TARGET = 0.9;

export interface Marker {
  /** Path relative to the corpus directory, with `/` separators. */
  file: string;
  kind: 'expect' | 'ok';
  rule: string;
  /** 0-based index among the notebook's code cells; absent for scripts. */
  cell?: number;
  /** 0-based line (cell-relative in notebooks). */
  line: number;
}

export interface CorpusFile {
  file: string;
  absPath: string;
  kind: 'script' | 'notebook';
  markers: Marker[];
}

export class MarkerError extends Error {}

const MARKER = /#\s*((?:expect|ok)\s*:[^#]*)$/;

/** Reads the markers of one line; `where` names the place for error messages. */
export function parseMarkerLine(text: string, where: string): { kind: 'expect' | 'ok'; rule: string }[] {
  const match = MARKER.exec(text);
  if (!match) return [];
  const out: { kind: 'expect' | 'ok'; rule: string }[] = [];
  for (const part of match[1].split(';')) {
    const m = /^\s*(expect|ok)\s*:\s*(.*?)\s*$/.exec(part);
    if (!m) throw new MarkerError(`${where}: malformed marker "${part.trim()}"`);
    const rules = m[2].split(',').map((r) => r.trim());
    for (const rule of rules) {
      if (!CATALOG_RULES.includes(rule)) {
        throw new MarkerError(`${where}: unknown rule "${rule}" in marker`);
      }
      out.push({ kind: m[1] as 'expect' | 'ok', rule });
    }
  }
  return out;
}

function sourceText(source: unknown): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return source.join('');
  return '';
}

/** The markers of one corpus file. Notebooks are read as JSON; markers come from code cells only. */
export function readMarkers(absPath: string, file: string): CorpusFile {
  const text = fs.readFileSync(absPath, 'utf8');
  const markers: Marker[] = [];
  if (absPath.endsWith('.ipynb')) {
    const nb = JSON.parse(text) as { cells?: { cell_type?: string; source?: unknown }[] };
    let cell = 0;
    for (const c of nb.cells ?? []) {
      if (c.cell_type !== 'code') continue;
      sourceText(c.source)
        .split(/\r?\n/)
        .forEach((lineText, line) => {
          for (const m of parseMarkerLine(lineText, `${file}:cell ${cell}:${line + 1}`)) markers.push({ file, cell, line, ...m });
        });
      cell++;
    }
    return { file, absPath, kind: 'notebook', markers };
  }
  text.split(/\r?\n/).forEach((lineText, line) => {
    for (const m of parseMarkerLine(lineText, `${file}:${line + 1}`)) markers.push({ file, line, ...m });
  });
  return { file, absPath, kind: 'script', markers };
}

/** Every `.py` and `.ipynb` file under `dir`, sorted, with its markers. */
export function readCorpus(dir: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.py') || entry.name.endsWith('.ipynb')) files.push(readMarkers(path.join(dir, rel), rel));
    }
  };
  walk('');
  return files;
}

export interface Place {
  rule: string;
  file: string;
  cell?: number;
  line: number;
  message?: string;
}

export interface RuleScore {
  rule: string;
  implemented: boolean;
  tp: number;
  fp: number;
  fn: number;
  /** `null` when the rule reported nothing (no denominator). */
  precision: number | null;
  recall: number | null;
}

export interface EvalResult {
  corpus: string;
  files: number;
  notebooks: number;
  rules: RuleScore[];
  overall: Omit<RuleScore, 'rule' | 'implemented'>;
  falsePositives: Place[];
  falseNegatives: Place[];
  errors: { file: string; error: string }[];
}

function key(p: { rule: string; file: string; cell?: number; line: number }): string {
  const line = CELL_LEVEL_RULES.has(p.rule) ? '*' : String(p.line);
  return `${p.rule}\u0000${p.file}\u0000${p.cell ?? ''}\u0000${line}`;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Multiset comparison of expected places and actual findings, keyed by (rule, file, cell, line). */
export function score(
  expected: Place[],
  actual: Place[],
  implemented: ReadonlySet<string>,
  rules: readonly string[],
): Omit<EvalResult, 'corpus' | 'files' | 'notebooks' | 'errors'> {
  const bucket = (places: Place[]): Map<string, Place[]> => {
    const map = new Map<string, Place[]>();
    for (const p of places) {
      const k = key(p);
      const list = map.get(k);
      if (list) list.push(p);
      else map.set(k, [p]);
    }
    return map;
  };
  const want = bucket(expected);
  const got = bucket(actual);
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (rule: string) => {
    let c = counts.get(rule);
    if (!c) counts.set(rule, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  const falsePositives: Place[] = [];
  const falseNegatives: Place[] = [];
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(k) ?? [];
    const g = got.get(k) ?? [];
    const rule = (w[0] ?? g[0]).rule;
    const tp = Math.min(w.length, g.length);
    const c = count(rule);
    c.tp += tp;
    c.fp += g.length - tp;
    c.fn += w.length - tp;
    falsePositives.push(...g.slice(tp));
    falseNegatives.push(...w.slice(tp));
  }
  const allRules = [...rules, ...[...counts.keys()].filter((r) => !rules.includes(r)).sort()];
  const scores: RuleScore[] = allRules.map((rule) => {
    const c = counts.get(rule) ?? { tp: 0, fp: 0, fn: 0 };
    return { rule, implemented: implemented.has(rule), ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) };
  });
  const tp = scores.reduce((s, r) => s + r.tp, 0);
  const fp = scores.reduce((s, r) => s + r.fp, 0);
  const fn = scores.reduce((s, r) => s + r.fn, 0);
  const order = (a: Place, b: Place) => a.file.localeCompare(b.file) || (a.cell ?? -1) - (b.cell ?? -1) || a.line - b.line || a.rule.localeCompare(b.rule);
  return {
    rules: scores,
    overall: { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) },
    falsePositives: falsePositives.sort(order),
    falseNegatives: falseNegatives.sort(order),
  };
}

export function meetsTargets(r: Pick<RuleScore, 'precision' | 'recall'>): boolean {
  return (r.precision ?? 1) >= PRECISION_TARGET && (r.recall ?? 1) >= RECALL_TARGET;
}

export async function evaluate(corpusDir: string, onlyRules?: readonly string[]): Promise<EvalResult> {
  const engine = await createEngine();
  const corpus = readCorpus(corpusDir);
  const wanted = (rule: string) => !onlyRules?.length || onlyRules.includes(rule);
  const expected: Place[] = [];
  const actual: Place[] = [];
  const errors: { file: string; error: string }[] = [];
  for (const f of corpus) {
    for (const m of f.markers) {
      if (m.kind === 'expect' && wanted(m.rule)) expected.push({ rule: m.rule, file: f.file, cell: m.cell, line: m.line });
    }
    const result = engine.analyzeFile(f.absPath, { displayPath: f.file });
    if (!result.ok) {
      errors.push({ file: f.file, error: result.error });
      continue;
    }
    for (const failure of result.failures) errors.push({ file: f.file, error: `rule ${failure.rule} threw: ${failure.message}` });
    for (const finding of result.findings) {
      if (!wanted(finding.rule)) continue;
      actual.push({ rule: finding.rule, file: f.file, cell: finding.cell, line: finding.range.start.line, message: finding.message });
    }
  }
  const rules = CATALOG_RULES.filter(wanted);
  return {
    corpus: corpusDir,
    files: corpus.length,
    notebooks: corpus.filter((f) => f.kind === 'notebook').length,
    errors,
    ...score(expected, actual, RULE_NAMES, rules),
  };
}

function pct(v: number | null): string {
  return v === null ? '—' : v.toFixed(2);
}

function place(p: Place): string {
  const where = p.cell === undefined ? `${p.file}:${p.line + 1}` : `${p.file}:cell ${p.cell}:${p.line + 1}`;
  return `${where} ${p.rule}${p.message ? `  (${p.message})` : ''}`;
}

export function renderText(r: EvalResult): string {
  const rows = [
    ...r.rules.map((s) => ({ ...s, name: s.implemented ? s.rule : `${s.rule} (not implemented)` })),
    { name: 'overall', ...r.overall, implemented: true },
  ];
  const width = Math.max(...rows.map((s) => s.name.length));
  const lines = [`corpus ${r.corpus}: ${r.files} files (${r.notebooks} notebooks)`, ''];
  lines.push(`${'rule'.padEnd(width)}  precision  recall    TP    FP    FN`);
  for (const s of rows) {
    const mark = s.name === 'overall' ? '' : meetsTargets(s) ? '' : '  below target';
    lines.push(
      `${s.name.padEnd(width)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${String(s.tp).padStart(4)}  ${String(s.fp).padStart(4)}  ${String(s.fn).padStart(4)}${mark}`,
    );
  }
  lines.push('', `false positives (${r.falsePositives.length}):`, ...r.falsePositives.map((p) => `  FP ${place(p)}`));
  lines.push('', `false negatives (${r.falseNegatives.length}):`, ...r.falseNegatives.map((p) => `  FN ${place(p)}`));
  if (r.errors.length) lines.push('', `errors (${r.errors.length}):`, ...r.errors.map((e) => `  ${e.file}: ${e.error}`));
  return lines.join('\n');
}

export function renderMarkdown(r: EvalResult): string {
  const lines = [
    `Measured with \`npm run eval\` on \`test/corpus/\` (${r.files} files, ${r.notebooks} notebooks). Targets: precision ≥ ${PRECISION_TARGET}, recall ≥ ${RECALL_TARGET}.`,
    '',
    '| Rule | Precision | Recall | TP | FP | FN |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of r.rules) {
    const name = s.implemented ? `[\`${s.rule}\`](${s.rule}.md)` : `\`${s.rule}\` (not implemented)`;
    lines.push(`| ${name} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.tp} | ${s.fp} | ${s.fn} |`);
  }
  const o = r.overall;
  lines.push(`| **overall** | **${pct(o.precision)}** | **${pct(o.recall)}** | ${o.tp} | ${o.fp} | ${o.fn} |`);
  return lines.join('\n');
}

interface Args {
  corpus: string;
  json?: string;
  markdown: boolean;
  check: boolean;
  rules: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { corpus: path.join(__dirname, '..', 'test', 'corpus'), markdown: false, check: false, rules: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') {
      const file = argv[++i];
      if (!file) throw new Error('--json needs a file name');
      args.json = file;
    } else if (a === '--markdown') args.markdown = true;
    else if (a === '--check') args.check = true;
    else if (a === '--rule') {
      const rule = argv[++i];
      if (!rule || !CATALOG_RULES.includes(rule)) throw new Error(`--rule needs a rule name, one of: ${CATALOG_RULES.join(', ')}`);
      args.rules.push(rule);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.corpus = path.resolve(a);
  }
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`eval: ${(error as Error).message}\n`);
    return 2;
  }
  const result = await evaluate(args.corpus, args.rules);
  process.stdout.write(`${args.markdown ? renderMarkdown(result) : renderText(result)}\n`);
  if (args.json) fs.writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  if (!args.check) return 0;
  const failing = result.rules.filter((s) => !meetsTargets(s));
  if (failing.length) {
    process.stderr.write(`eval --check: below target: ${failing.map((s) => `${s.rule} (P ${pct(s.precision)}, R ${pct(s.recall)})`).join(', ')}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
