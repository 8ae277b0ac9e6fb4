/**
 * Profiles the engine on one of the benchmark's inputs with `node --cpu-prof` and prints where the
 * time goes: the functions with the most self time, and the engine functions with the most
 * inclusive time.
 *
 *   node --import tsx bench/profile.ts [1k|10k|50k|notebook|edit|notebook-edit] [--runs N] [--top N] [--edit-file PATH] [--notebook PATH]
 *   node --import tsx bench/profile.ts --folder DIR [--runs N]
 *
 * `--edit-file` types the `edit` workload's edits into another file (real code instead of the
 * generated one); `--notebook` runs the notebook workloads on another notebook. `--folder` profiles
 * real code: every .py file under DIR parsed and copied once, then analysed `runs` times after a
 * warm-up pass (the parse is in the profile too, under `parseSyntax`: read the analysis under
 * `analyzeTree`).
 *
 * The profile itself is kept in .bench/prof/ (open it in Chrome DevTools or VS Code).
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureCorpus } from './generate';
import { editSequence, loadEngine } from './run';
// (Plain JavaScript, shared with bench/parse-floor.cjs and bench/ruff-peer.cjs.)
const { collectPythonFiles } = require('./py-files.cjs') as { collectPythonFiles: (target: string, out: string[]) => void };

const ROOT = path.resolve(__dirname, '..');
const BENCH_DIR = path.join(ROOT, '.bench');
const PROFILE_DIR = path.join(BENCH_DIR, 'prof');

type Workload = '1k' | '10k' | '50k' | 'notebook' | 'edit' | 'notebook-edit' | 'folder';

/** Runs in the profiled child: analyse the input `runs` times after a short warm-up. */
async function workload(kind: Workload, runs: number, input?: string): Promise<void> {
  // `input`: the file `--edit-file` or `--notebook` named, in place of the generated one.
  const generated = ensureCorpus(BENCH_DIR);
  const corpus = { ...generated, ...(input && kind === 'edit' ? { edit: input } : {}), ...(input && kind.startsWith('notebook') ? { notebook: input } : {}) };
  // The bundle as it ships: the TypeScript sources run through tsx wrap every closure in `__name`, which a profile would charge to the rules.
  const { mod, engine } = await loadEngine();
  if (kind === 'folder') {
    const files: string[] = [];
    collectPythonFiles(input!, files);
    const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
    const copies = texts.map((text) => engine.parser.parseSyntax(text));
    for (let run = 0; run < runs + 1; run++) {
      for (let i = 0; i < texts.length; i++) engine.analyze({ path: 'file.py', kind: 'script', text: texts[i] }, { syntaxTree: () => copies[i] });
    }
    return;
  }
  if (kind === 'notebook') {
    const { cells } = mod.parseNotebookJson(fs.readFileSync(corpus.notebook, 'utf8'));
    for (let i = 0; i < runs + 3; i++) engine.analyze({ path: 'nb.ipynb', kind: 'notebook', cells });
    return;
  }
  if (kind === 'notebook-edit') {
    // One-cell edits of the 300-cell notebook through the caches, as bench/incremental.ts types them.
    const original = mod.parseNotebookJson(fs.readFileSync(corpus.notebook, 'utf8')).cells;
    const code = original.flatMap((cell, i) => ((cell.cellType ?? 'code') === 'code' ? [i] : []));
    let cells = [...original];
    const count = runs * 10;
    for (let e = 0; e < count; e++) {
      const i = code[1 + Math.floor(((e + 0.5) / count) * (code.length - 1))];
      cells = [...cells];
      cells[i] = { ...cells[i], source: `${cells[i].source}\nbackup${e} = pd.read_csv("/home/alice/backup${e}.csv")` };
      engine.analyze({ path: 'nb.ipynb', kind: 'notebook', cells }, engine.trees.document('notebook-edit'));
    }
    return;
  }
  if (kind === 'edit') {
    // The server benchmark's edits (typing into names and comments, then undoing), so the profile shows what it measures.
    let text = fs.readFileSync(corpus.edit, 'utf8');
    for (const edit of editSequence(text, runs * 5, 1)) {
      text = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
      engine.analyze({ path: 'edit.py', kind: 'script', text }, engine.trees.document('edit'));
    }
    return;
  }
  const text = fs.readFileSync(corpus.single[kind], 'utf8');
  for (let i = 0; i < runs + 3; i++) engine.analyze({ path: `${kind}.py`, kind: 'script', text });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  parent?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Hotspot {
  name: string;
  ms: number;
  share: number;
}

/**
 * For a bundle, the source module of each line: esbuild writes a `// path/to/module.ts` comment
 * where each module starts, so a profile of dist/*.js names mlready's files and functions.
 */
const bundleModules = new Map<string, { line: number; module: string }[]>();

function bundleModule(file: string, line: number): string | undefined {
  let starts = bundleModules.get(file);
  if (!starts) {
    starts = [];
    try {
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const m = /^\/\/ ((?:server|client|node_modules)\/\S+\.[cm]?[jt]s)$/.exec(text);
          if (m) starts!.push({ line: i, module: m[1].replace(/^node_modules\//, '') });
        });
    } catch {
      // not readable: keep the bundle's name
    }
    bundleModules.set(file, starts);
  }
  let found: string | undefined;
  for (const start of starts) {
    if (start.line > line) break;
    found = start.module;
  }
  return found;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const fn = functionName || '(anonymous)';
  if (!url) return fn;
  let file = url.replace(/^file:\/\//, '');
  if (/\/dist\/[^/]+\.js$|\/\.bench\/engine\.cjs$/.test(file)) {
    const module = bundleModule(file, lineNumber);
    if (module) return `${module} ${fn}`;
  }
  if (file.includes('node_modules/')) file = file.slice(file.lastIndexOf('node_modules/') + 'node_modules/'.length);
  else if (file.startsWith(ROOT)) file = path.relative(ROOT, file);
  // Line numbers of TypeScript run through tsx point into the transformed code: name the file only.
  return file.endsWith('.ts') ? `${file} ${fn}` : `${file}:${lineNumber + 1} ${fn}`;
}

/** Self and inclusive time per function (recursion counted once per sample). */
export function summarize(profile: CpuProfile): { totalMs: number; self: Hotspot[]; inclusive: Hotspot[] } {
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  for (const node of profile.nodes)
    for (const child of node.children ?? []) {
      const c = byId.get(child);
      if (c) c.parent = node.id;
    }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    total += delta;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + delta);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = node; n; n = n.parent === undefined ? undefined : byId.get(n.parent)) {
      const key = frameName(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
    }
  }
  const sorted = (m: Map<string, number>): Hotspot[] => [...m].map(([name, v]) => ({ name, ms: v, share: v / total })).sort((a, b) => b.ms - a.ms);
  return { totalMs: total, self: sorted(self), inclusive: sorted(inclusive) };
}

function print(title: string, file: string, top: number): void {
  const { totalMs, self, inclusive } = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  const pct = (v: number): string => `${(v * 100).toFixed(1).padStart(5)}%`;
  console.log(`${title}: ${totalMs.toFixed(0)} ms sampled; ${path.relative(ROOT, file)}`);
  console.log('\nself time:');
  for (const h of self.slice(0, top)) console.log(`${pct(h.share)} ${h.ms.toFixed(0).padStart(7)} ms  ${h.name}`);
  console.log('\ninclusive time, mlready and tree-sitter code:');
  const interesting = (name: string): boolean => name.startsWith('server/src/') || name.startsWith('web-tree-sitter/');
  for (const h of inclusive.filter((x) => interesting(x.name)).slice(0, top)) {
    console.log(`${pct(h.share)} ${h.ms.toFixed(0).padStart(7)} ms  ${h.name}`);
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--workload') return workload(argv[1] as Workload, Number(argv[2]), argv[3]);
  if (argv[0] === '--summarize') {
    // Summarise existing profiles, e.g. those of `node --cpu-prof dist/cli.js check ...` (one per thread).
    for (const file of argv.slice(1)) print(path.basename(file), path.resolve(file), Number(process.env.TOP ?? 25));
    return;
  }
  let kind: Workload = '10k';
  let runs = 20;
  let top = 25;
  let inputPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--edit-file' || argv[i] === '--notebook') inputPath = path.resolve(argv[++i]);
    else if (argv[i] === '--folder') {
      kind = 'folder';
      inputPath = path.resolve(argv[++i]);
    } else if (argv[i] === '--top') top = Number(argv[++i]);
    else if (['1k', '10k', '50k', 'notebook', 'edit', 'notebook-edit'].includes(argv[i])) kind = argv[i] as Workload;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  ensureCorpus(BENCH_DIR);
  fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const name = `${kind}-${Date.now()}.cpuprofile`;
  const r = cp.spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      PROFILE_DIR,
      '--cpu-prof-name',
      name,
      '--import',
      'tsx',
      __filename,
      '--workload',
      kind,
      String(runs),
      ...(inputPath ? [inputPath] : []),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`profiled run failed with ${r.status}`);
  const file = path.join(PROFILE_DIR, name);
  print(`profile of ${kind} x ${runs} runs (plus module load and warm-up)`, file, top);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
