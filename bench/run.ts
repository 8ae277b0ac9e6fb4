/**
 * `npm run bench`: how fast mlready is, measured the way the issue on speed asks, beside the
 * linters users would pick instead, on the same generated code in the same run.
 *
 *   node --import tsx bench/run.ts [--json FILE] [--only engine,notebook,edit,server,workspace,peers] [--edit-file PATH] [--notebook PATH]
 *                                  [--skip-peers] [--quick]
 *
 * Sections:
 * - engine:    single-file analysis (parse + semantic model + all rules) of 1k/10k/50k-line
 *              files, median and p95 over repeated warm runs, against the bare parse of the text;
 * - notebook:  a 300-cell notebook analysed whole, and after a one-cell edit;
 * - edit:      one-character edits of a 2,000-line file in-process (incremental reparse + analysis);
 * - server:    the same edits through the real language server over stdio, didChange to
 *              publishDiagnostics; the server's memory;
 * - workspace: `mlready check --format json` on the 2,000-file workspace, whole process;
 * - peers:     Bandit, Pylint (defaults, and two rules), Flake8 and Ruff's WebAssembly build on the
 *              workspace's .py files, as ratios to mlready on the same files.
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countLines, ensureCorpus, type Corpus } from './generate';
import { ReadinessRequest, SERVER_NODE_OPTIONS } from '../server/src/protocol';

const ROOT = path.resolve(__dirname, '..');
const BENCH_DIR = path.join(ROOT, '.bench');
const PYTHON = '/usr/bin/python3';

// ---------------------------------------------------------------------------------------------
// Small statistics and formatting helpers
// ---------------------------------------------------------------------------------------------

export interface Timing {
  runs: number;
  median: number;
  p95: number;
  min: number;
  /** Median CPU time of this process per run (user + system), which a busy machine inflates less than wall time. */
  cpuMedian?: number;
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { runs: sorted.length, median: at(0.5), p95: at(0.95), min: sorted[0] };
}

/** Runs `fn` `warmup` times, then until `maxRuns` runs or `budgetMs` have passed (at least `minRuns`). */
function measure(fn: () => void, opts: { warmup: number; minRuns: number; maxRuns: number; budgetMs: number }): Timing {
  for (let i = 0; i < opts.warmup; i++) fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  const started = performance.now();
  while (samples.length < opts.maxRuns && (samples.length < opts.minRuns || performance.now() - started < opts.budgetMs)) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ...summarize(samples), cpuMedian: summarize(cpu).median };
}

/**
 * Times `first` and `second` in alternation (ABBA order), so a machine whose load drifts during
 * the run slows both alike; returns both timings and the median of the per-pair ratios
 * second/first, the figure that carries over between machines.
 */
function measurePair(
  first: () => void,
  second: () => void,
  opts: { warmup: number; minRuns: number; maxRuns: number; budgetMs: number },
): { first: Timing; second: Timing; ratio: number } {
  for (let i = 0; i < opts.warmup; i++) {
    first();
    second();
  }
  const samples: [number[], number[]] = [[], []];
  const cpu: [number[], number[]] = [[], []];
  const ratios: number[] = [];
  const time = (fn: () => void, slot: 0 | 1): number => {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    const elapsed = performance.now() - t;
    const used = process.cpuUsage(c);
    samples[slot].push(elapsed);
    cpu[slot].push((used.user + used.system) / 1000);
    return elapsed;
  };
  const started = performance.now();
  while (ratios.length < opts.maxRuns && (ratios.length < opts.minRuns || performance.now() - started < opts.budgetMs * 2)) {
    let a: number;
    let b: number;
    if (ratios.length % 2 === 1) {
      b = time(second, 1);
      a = time(first, 0);
    } else {
      a = time(first, 0);
      b = time(second, 1);
    }
    ratios.push(b / a);
  }
  return {
    first: { ...summarize(samples[0]), cpuMedian: summarize(cpu[0]).median },
    second: { ...summarize(samples[1]), cpuMedian: summarize(cpu[1]).median },
    ratio: summarize(ratios).median,
  };
}

const ms = (v: number | undefined): string => (v === undefined ? '-' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const ratio = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '-' : v >= 10 ? `${v.toFixed(0)}x` : `${v.toFixed(1)}x`);

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

interface TargetCheck {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

interface Results {
  date: string;
  machine: Record<string, string | number>;
  versions: Record<string, string>;
  corpus: { seed: number; workspace: Corpus['workspaceStats'] };
  engine?: Record<string, { lines: number; findings: number; parseErrors: boolean; analyze: Timing; parse: Timing; ratio: number; linesPerSecond: number }>;
  notebook?: { cells: number; codeCells: number; lines: number; full: Timing; parse: Timing; editedCell: Timing; editedCellFreshParse: Timing };
  edit?: { lines: number; incremental: Timing; reparseOnly: Timing };
  server?: Record<
    string,
    {
      root: string;
      edits: number;
      timeouts: number;
      latency: Timing;
      openMs: number;
      readinessMs?: number;
      rssMb: number;
      peakRssMb: number;
      /** The peak of the readiness scan's own process (it exits with the scan). */
      scanPeakRssMb?: number;
    }
  >;
  workspace?: {
    files: number;
    lines: number;
    seconds: number;
    cpuSeconds: number;
    filesPerSecond: number;
    linesPerSecond: number;
    peakRssMb: number;
    findings: number;
    runs: number;
  };
  pyOnly?: { files: number; lines: number; seconds: number; cpuSeconds: number; linesPerSecond: number; peakRssMb: number };
  peers?: Record<
    string,
    {
      status: 'ok' | 'not installed' | 'failed';
      note?: string;
      files?: number;
      lines?: number;
      seconds?: number;
      cpuSeconds?: number;
      linesPerSecond?: number;
      peakRssMb?: number;
      mlreadyRatio?: number;
      mlreadyCpuRatio?: number;
    }
  >;
  targets: TargetCheck[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Machine and versions
// ---------------------------------------------------------------------------------------------

function sh(command: string, args: string[], options: cp.SpawnSyncOptions = {}): string | undefined {
  const r = cp.spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, ...options });
  return r.status === 0 ? String(r.stdout).trim() : undefined;
}

function pythonPackageVersion(name: string): string | undefined {
  return sh(PYTHON, ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(name)}))`]);
}

function npmVersion(name: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'not installed';
  }
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg()[0].toFixed(2),
  };
}

function versions(): Record<string, string> {
  const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    mlready: `${own.version} (${sh('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }) ?? 'no git'})`,
    'web-tree-sitter': npmVersion('web-tree-sitter'),
    'tree-sitter-python': npmVersion('tree-sitter-python'),
    'ruff-wasm': npmVersion('@astral-sh/ruff-wasm-nodejs'),
    bandit: pythonPackageVersion('bandit') ?? 'not installed',
    pylint: pythonPackageVersion('pylint') ?? 'not installed',
    flake8: pythonPackageVersion('flake8') ?? 'not installed',
    python: sh(PYTHON, ['-c', 'import platform; print(platform.python_version())']) ?? 'not installed',
  };
}

// ---------------------------------------------------------------------------------------------
// Engine, in process
// ---------------------------------------------------------------------------------------------

type EngineModule = typeof import('../server/src/engine/index');

/**
 * The engine as it ships: bundled by esbuild with the options of `scripts/build.mjs` (the
 * TypeScript sources run through tsx keep every function's name at run time, which costs a few
 * percent in the rules).
 */
export async function loadEngine(): Promise<{ mod: EngineModule; engine: Awaited<ReturnType<EngineModule['createEngine']>> }> {
  const esbuild = await import('esbuild');
  const outfile = path.join(BENCH_DIR, 'engine.cjs');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'server/src/engine/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  const mod = require(outfile) as EngineModule;
  return { mod, engine: await mod.createEngine() };
}

async function benchEngine(corpus: Corpus, results: Results, quick: boolean, singleFiles = true): Promise<void> {
  const { engine, mod } = await loadEngine();
  results.notes.push(`rules in the registry: ${mod.RULES.length} (${mod.RULES.map((r) => r.name).join(', ')})`);
  const plans = {
    '1k': { warmup: 20, minRuns: 30, maxRuns: quick ? 60 : 300, budgetMs: quick ? 1500 : 4000 },
    '10k': { warmup: 5, minRuns: 15, maxRuns: quick ? 20 : 100, budgetMs: quick ? 2000 : 6000 },
    '50k': { warmup: 1, minRuns: quick ? 3 : 5, maxRuns: quick ? 5 : 30, budgetMs: quick ? 3000 : 8000 },
  } as const;
  results.engine = {};
  // The single files only when the engine section is asked for (`--only notebook,edit` skips them).
  for (const size of singleFiles ? (['1k', '10k', '50k'] as const) : []) {
    const text = fs.readFileSync(corpus.single[size], 'utf8');
    const lines = countLines(text);
    const probe = engine.parser.parse(text);
    const parseErrors = probe.rootNode.hasError;
    probe.delete();
    let findings = 0;
    const pair = measurePair(
      () => engine.parser.parse(text).delete(),
      () => {
        findings = engine.analyze({ path: `bench/${size}.py`, kind: 'script', text }).findings.length;
      },
      plans[size],
    );
    const { first: parse, second: analyze, ratio } = pair;
    results.engine[size] = { lines, findings, parseErrors, analyze, parse, ratio, linesPerSecond: (lines / analyze.median) * 1000 };
    log(`engine ${size}: analyze ${ms(analyze.median)} ms (p95 ${ms(analyze.p95)}), parse ${ms(parse.median)} ms, ${findings} findings`);
  }

  // A 300-cell notebook: whole, and after a one-cell edit with the tree reparsed incrementally.
  const nbText = fs.readFileSync(corpus.notebook, 'utf8');
  const { cells } = mod.parseNotebookJson(nbText);
  const codeCells = cells.filter((c) => (c.cellType ?? 'code') === 'code');
  const joined = mod.buildNotebookProgram(cells).text;
  const nbPlan = { warmup: 3, minRuns: 10, maxRuns: quick ? 30 : 200, budgetMs: quick ? 1500 : 4000 };
  const full = measure(() => void engine.analyze({ path: 'bench/nb.ipynb', kind: 'notebook', cells }), nbPlan);
  const nbParse = measure(() => engine.parser.parse(joined).delete(), nbPlan);
  const target = Math.floor(codeCells.length / 2);
  const editIndex = cells.indexOf(codeCells[target]);
  const original = cells[editIndex].source;
  let flip = false;
  const editedCells = (): typeof cells => {
    flip = !flip;
    const next = [...cells];
    next[editIndex] = { ...cells[editIndex], source: flip ? original + '\nx = 1' : original };
    return next;
  };
  const key = 'bench://notebook-edit';
  const editedCell = measure(() => void engine.analyze({ path: 'bench/nb.ipynb', kind: 'notebook', cells: editedCells() }, engine.trees.document(key)), nbPlan);
  engine.trees.drop(key);
  const editedCellFreshParse = measure(() => void engine.analyze({ path: 'bench/nb.ipynb', kind: 'notebook', cells: editedCells() }), nbPlan);
  results.notebook = { cells: cells.length, codeCells: codeCells.length, lines: countLines(joined), full, parse: nbParse, editedCell, editedCellFreshParse };
  log(`notebook: full ${ms(full.median)} ms, edited cell ${ms(editedCell.median)} ms (incremental tree)`);

  // One-character edits of the 2,000-line file, in process: the floor for the server's latency.
  const editText = fs.readFileSync(corpus.edit, 'utf8');
  const edits = editSequence(editText, 400, 1);
  let current = editText;
  let i = 0;
  const next = (): string => {
    current = applyOne(current, edits[i++ % edits.length]);
    return current;
  };
  const editKey = 'bench://edit-2k';
  engine.trees.parse(editKey, editText);
  const editPlan = { warmup: 5, minRuns: 30, maxRuns: quick ? 100 : 400, budgetMs: quick ? 1500 : 4000 };
  const incremental = measure(() => void engine.analyze({ path: 'bench/edit.py', kind: 'script', text: next() }, engine.trees.document(editKey)), editPlan);
  const reparseOnly = measure(() => void engine.trees.parse(editKey, next()), editPlan);
  engine.trees.drop(editKey);
  results.edit = { lines: countLines(editText), incremental, reparseOnly };
  log(`edit in process: ${ms(incremental.median)} ms (p95 ${ms(incremental.p95)}), reparse alone ${ms(reparseOnly.median)} ms`);
}

// ---------------------------------------------------------------------------------------------
// Edits: one-character changes that keep the file valid Python
// ---------------------------------------------------------------------------------------------

/** An insertion at `offset`, undone by the next edit of the pair. */
interface CharEdit {
  offset: number;
  insert: string;
  remove: number;
}

/**
 * Pairs of edits spread over the file: type one character into an identifier or a comment, then
 * delete it again, so the text stays valid and the same size. Deterministic from `seed`.
 */
export function editSequence(text: string, count: number, seed: number): CharEdit[] {
  const spots: number[] = [];
  const re = /\b(df|model|preds|loss|total|path|frame|value|counts|merged)\b|# /g;
  for (let m = re.exec(text); m; m = re.exec(text)) spots.push(m.index + 1);
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const edits: CharEdit[] = [];
  while (edits.length < count) {
    const offset = spots[Math.floor(rand() * spots.length)];
    edits.push({ offset, insert: 'x', remove: 0 }, { offset, insert: '', remove: 1 });
  }
  return edits;
}

function applyOne(text: string, edit: CharEdit): string {
  return text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

// ---------------------------------------------------------------------------------------------
// The language server over stdio
// ---------------------------------------------------------------------------------------------

async function benchServer(corpus: Corpus, results: Results, quick: boolean): Promise<void> {
  // BENCH_SERVER_JS: another build's server (a checkout of another commit, built), for paired runs.
  const serverJs = process.env.BENCH_SERVER_JS ? path.resolve(process.env.BENCH_SERVER_JS) : path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(serverJs)) {
    results.notes.push('server: dist/server.js not built; skipped');
    return;
  }
  results.server = {};
  // Typing with only the file open, then typing while the 2,000-file workspace is open (the
  // server may scan it in the background; typing must not wait for that).
  const runs: [string, string, boolean][] = [
    ['file only', path.dirname(corpus.edit), false],
    // BENCH_WORKSPACE_ROOT: another folder (a real repository) as the open workspace.
    ['2,000-file workspace open', process.env.BENCH_WORKSPACE_ROOT ? path.resolve(process.env.BENCH_WORKSPACE_ROOT) : corpus.workspace, true],
  ];
  for (const [label, root, scan] of runs) {
    const r = await serverSession(serverJs, root, corpus.edit, quick ? 60 : 200, scan);
    results.server[label] = r;
    log(`server (${label}): didChange→diagnostics ${ms(r.latency.median)} ms (p95 ${ms(r.latency.p95)}), ${r.timeouts} timeouts, peak RSS ${r.peakRssMb} MB`);
  }
}

/**
 * One server process: open the file, then type. With `scan`, the client asks for the workspace's
 * readiness report first, as the extension does when it starts, so the typing happens while the
 * server scans the workspace in the background; the memory is read once that scan is done.
 */
async function serverSession(serverJs: string, root: string, file: string, edits: number, scan: boolean): Promise<NonNullable<Results['server']>[string]> {
  const rpc = await import('vscode-languageserver-protocol/node');
  // Started as the VS Code extension starts it, with the same Node options.
  // BENCH_SERVER_NODE_ARGS adds Node options to the server's (`--cpu-prof --cpu-prof-dir=DIR` profiles it).
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = cp.spawn(process.execPath, [...SERVER_NODE_OPTIONS, ...extra, serverJs, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  // Answer whatever the server asks of the client: configuration (defaults), progress, registrations.
  connection.onRequest('workspace/configuration', (params: { items?: unknown[] } | undefined) => (params?.items ?? []).map(() => null));
  connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(root).href, name: path.basename(root) }]);
  for (const method of [
    'client/registerCapability',
    'client/unregisterCapability',
    'window/workDoneProgress/create',
    'window/showMessageRequest',
    'workspace/diagnostic/refresh',
    'workspace/codeLens/refresh',
    'workspace/inlayHint/refresh',
    'workspace/semanticTokens/refresh',
  ]) {
    connection.onRequest(method, () => null);
  }
  const uri = pathToFileURL(file).href;
  const waiters: { version: number; resolve: () => void }[] = [];
  let lastPublished = -1;
  let lastCount = 0;
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    if (p.uri !== uri) return;
    const version = p.version ?? Number.MAX_SAFE_INTEGER;
    lastPublished = Math.max(lastPublished, version);
    lastCount = p.diagnostics.length;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (version >= waiters[i].version) {
        waiters[i].resolve();
        waiters.splice(i, 1);
      }
    }
  });
  for (const method of ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/progress', '$/logTrace'])
    connection.onNotification(method, () => undefined);
  connection.listen();
  const waitFor = (version: number, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (lastPublished >= version) return resolve(true);
      const timer = setTimeout(() => {
        const k = waiters.findIndex((w) => w.resolve === done);
        if (k >= 0) waiters.splice(k, 1);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      waiters.push({ version, resolve: done });
    });

  try {
    const init = await connection.sendRequest(rpc.InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: {
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
        workspace: { configuration: true, workspaceFolders: true },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification(rpc.InitializedNotification.type, {});
    // The readiness scan runs in a process of the server's own: its peak is read while it runs.
    let scanPeakRssMb = 0;
    const scanWatch = setInterval(() => {
      for (const pid of childPids(child.pid)) scanPeakRssMb = Math.max(scanPeakRssMb, procMemory(pid).peakRssMb || 0);
    }, 100);
    scanWatch.unref();
    let readinessMs: number | undefined;
    let readiness: Promise<unknown> = Promise.resolve();
    if (scan) {
      const started = performance.now();
      readiness = connection.sendRequest(ReadinessRequest, {}).then(
        () => (readinessMs = performance.now() - started),
        (error: unknown) => log(`mlready/readiness failed: ${String(error).slice(0, 200)}`),
      );
    }
    const sync = init.capabilities.textDocumentSync;
    const incremental = typeof sync === 'number' ? sync === 2 : sync?.change === 2;
    let text = fs.readFileSync(file, 'utf8');
    let version = 1;
    const openStarted = performance.now();
    await connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version, text } });
    if (!(await waitFor(version, 20_000)))
      throw new Error(`no diagnostics after didOpen within 20 s${stderr ? `; server stderr: ${stderr.slice(0, 500)}` : ''}`);
    const openMs = performance.now() - openStarted;
    // The server sends nothing for an edit that leaves a document without findings as it was
    // (no findings before, none after), so such a file gives no edit to time.
    if (lastCount === 0)
      throw new Error(
        `${path.basename(file)} has no findings: the server publishes nothing after its edits, so they cannot be timed; pick a file with findings`,
      );

    const sequence = editSequence(text, edits + 20, 7);
    const samples: number[] = [];
    let timeouts = 0;
    const perEdit: string[] = [];
    // BENCH_PACE_MS: a pause between an edit's diagnostics and the next edit, as a typist leaves
    // (by default none: the next edit is sent the moment the diagnostics arrive).
    const pace = Number(process.env.BENCH_PACE_MS ?? 0);
    for (let k = 0; k < sequence.length; k++) {
      if (pace > 0) await new Promise((resolve) => setTimeout(resolve, pace));
      const edit = sequence[k];
      const start = positionAt(text, edit.offset);
      const end = edit.remove ? { line: start.line, character: start.character + edit.remove } : start;
      text = applyOne(text, edit);
      version++;
      const change = incremental ? { range: { start, end }, rangeLength: edit.remove, text: edit.insert } : { text };
      const t = performance.now();
      await connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
      const ok = await waitFor(version, 5_000);
      const elapsed = performance.now() - t;
      if (k < 20) continue; // warm-up
      if (ok) samples.push(elapsed);
      else timeouts++;
      perEdit.push(`${k}\t${edit.insert ? '+' : '-'}\t${start.line}:${start.character}\t${ok ? elapsed.toFixed(2) : 'timeout'}`);
    }
    // BENCH_EDITS_FILE: each timed edit's index, kind, place and latency, to tell slow edits from a busy host.
    if (process.env.BENCH_EDITS_FILE)
      fs.appendFileSync(process.env.BENCH_EDITS_FILE, `# ${path.basename(file)} ${scan ? 'workspace open' : 'file only'}\n${perEdit.join('\n')}\n`);
    await Promise.race([readiness, new Promise((resolve) => setTimeout(resolve, 120_000).unref())]);
    // What the server keeps once the scan is over: its thread ends as the report is sent.
    if (scan) await new Promise((resolve) => setTimeout(resolve, 2_000));
    const memory = procMemory(child.pid);
    clearInterval(scanWatch);
    await connection.sendRequest(rpc.ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(rpc.ExitNotification.type).catch(() => undefined);
    return {
      root: path.relative(ROOT, root),
      edits: samples.length + timeouts,
      timeouts,
      latency: summarize(samples.length ? samples : [Number.NaN]),
      openMs,
      readinessMs,
      rssMb: memory.rssMb,
      peakRssMb: memory.peakRssMb,
      scanPeakRssMb: scan ? scanPeakRssMb : undefined,
    };
  } finally {
    connection.dispose();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      setTimeout(() => child.kill(), 2000).unref();
      await exited;
    }
  }
}

/** The processes `pid` started (Linux; none elsewhere). */
function childPids(pid: number | undefined): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function procMemory(pid: number | undefined): { rssMb: number; peakRssMb: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(/(\d+)\s*kB/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS:') / 1024), peakRssMb: Math.round(kb('VmHWM:') / 1024) };
  } catch {
    return { rssMb: NaN, peakRssMb: NaN };
  }
}

// ---------------------------------------------------------------------------------------------
// Whole processes: mlready check and the peers
// ---------------------------------------------------------------------------------------------

interface ProcessRun {
  code: number | null;
  seconds: number;
  /** User + system CPU seconds of the process and its children (NaN without GNU time). */
  cpuSeconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

const HAVE_GNU_TIME = fs.existsSync('/usr/bin/time');

/** Runs a command to completion, its stdout to a file, timing the whole process and its peak RSS. */
function runProcess(command: string, args: string[], cwd: string, timeoutMs = 300_000): ProcessRun {
  const outFile = path.join(BENCH_DIR, 'tmp', 'stdout.txt');
  const timeFile = path.join(BENCH_DIR, 'tmp', 'time.txt');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.rmSync(timeFile, { force: true });
  const out = fs.openSync(outFile, 'w');
  const argv = HAVE_GNU_TIME ? ['-f', '%M %U %S', '-o', timeFile, command, ...args] : args;
  const started = performance.now();
  const r = cp.spawnSync(HAVE_GNU_TIME ? '/usr/bin/time' : command, argv, {
    cwd,
    stdio: ['ignore', out, 'pipe'],
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  fs.closeSync(out);
  let peakRssMb = NaN;
  let cpuSeconds = NaN;
  if (HAVE_GNU_TIME && fs.existsSync(timeFile)) {
    const [kb, user, system] = (fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    peakRssMb = Math.round(kb / 1024);
    cpuSeconds = user + system;
  }
  return { code: r.status, seconds, cpuSeconds, peakRssMb, stdout: fs.readFileSync(outFile, 'utf8'), stderr: String(r.stderr ?? '') };
}

function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The `--format json` summary: how many files were checked, found, or could not be read. */
function jsonSummary(json: string): { files: number; findings: number; errors: number } {
  const data = JSON.parse(json) as { summary?: { files?: number; findings?: number; errors?: number } };
  const summary = data.summary ?? {};
  return { files: summary.files ?? NaN, findings: summary.findings ?? NaN, errors: summary.errors ?? NaN };
}

function benchWorkspace(corpus: Corpus, results: Results, quick: boolean): void {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) {
    results.notes.push('workspace: dist/cli.js not built; skipped');
    return;
  }
  const stats = corpus.workspaceStats;
  const lines = stats.scriptLines + stats.notebookLines;
  const samples: ProcessRun[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    // From inside the workspace: .bench/ is git-ignored in this repository.
    const r = runProcess(process.execPath, [cli, 'check', '--format', 'json', '.'], corpus.workspace);
    if (r.code === null || r.code > 1) {
      results.notes.push(`workspace: mlready check exited with ${r.code}: ${r.stderr.slice(0, 300)}`);
      if (r.code === null || (!r.stdout.trim().startsWith('{') && !r.stdout.trim().startsWith('['))) return;
    }
    samples.push(r);
  }
  const seconds = summarize(samples.map((s) => s.seconds)).median;
  const cpuSeconds = summarize(samples.map((s) => s.cpuSeconds)).median;
  let findings = NaN;
  try {
    const summary = jsonSummary(samples[0].stdout);
    findings = summary.findings;
    if (summary.files !== stats.files || summary.errors > 0) {
      results.notes.push(
        `workspace: mlready checked ${summary.files} files (${summary.errors} unreadable) of the ${stats.files} generated; no figure recorded`,
      );
      return;
    }
  } catch (error) {
    results.notes.push(`workspace: output is not JSON (${String(error).slice(0, 100)})`);
  }
  results.workspace = {
    files: stats.files,
    lines,
    seconds,
    cpuSeconds,
    filesPerSecond: stats.files / seconds,
    linesPerSecond: lines / seconds,
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
    findings,
    runs: samples.length,
  };
  log(`workspace: ${seconds.toFixed(2)} s, ${int(lines / seconds)} lines/s, peak RSS ${results.workspace.peakRssMb} MB, ${findings} findings`);

  // The same .py files the peers see (they read no notebooks), for the ratios.
  const py = listFiles(corpus.workspace, '.py').map((f) => path.relative(corpus.workspace, f));
  const r = runProcess(process.execPath, [cli, 'check', '--format', 'json', ...py], corpus.workspace);
  let checkedPy = NaN;
  try {
    checkedPy = jsonSummary(r.stdout).files;
  } catch {
    // reported below
  }
  if (r.code !== null && r.code <= 1 && checkedPy === py.length) {
    results.pyOnly = {
      files: py.length,
      lines: stats.scriptLines,
      seconds: r.seconds,
      cpuSeconds: r.cpuSeconds,
      linesPerSecond: stats.scriptLines / r.seconds,
      peakRssMb: r.peakRssMb,
    };
    log(`mlready on the ${py.length} .py files: ${r.seconds.toFixed(2)} s, ${int(stats.scriptLines / r.seconds)} lines/s`);
  } else {
    results.notes.push(`mlready check on the .py files exited with ${r.code} having checked ${checkedPy} of ${py.length} files: ${r.stderr.slice(0, 300)}`);
  }
}

function benchPeers(corpus: Corpus, results: Results, quick: boolean): void {
  const peers: NonNullable<Results['peers']> = {};
  results.peers = peers;
  const ws = corpus.workspace;
  const py = listFiles(ws, '.py').map((f) => path.relative(ws, f));
  const allLines = corpus.workspaceStats.scriptLines;
  const mlready = results.pyOnly?.linesPerSecond;
  const mlreadyCpu = results.pyOnly ? results.pyOnly.lines / results.pyOnly.cpuSeconds : undefined;
  const record = (name: string, r: ProcessRun | undefined, files: number, lines: number, ok: (r: ProcessRun) => boolean, note?: string): void => {
    if (!r) {
      peers[name] = { status: 'not installed' };
      log(`${name}: not installed`);
      return;
    }
    if (!ok(r)) {
      peers[name] = { status: 'failed', note: `exit ${r.code}: ${(r.stderr || r.stdout).slice(0, 300)}` };
      log(`${name}: failed (${peers[name].note})`);
      return;
    }
    const linesPerSecond = lines / r.seconds;
    peers[name] = {
      status: 'ok',
      note,
      files,
      lines,
      seconds: r.seconds,
      cpuSeconds: r.cpuSeconds,
      linesPerSecond,
      peakRssMb: r.peakRssMb,
      mlreadyRatio: mlready ? mlready / linesPerSecond : undefined,
      mlreadyCpuRatio: mlreadyCpu ? mlreadyCpu / (lines / r.cpuSeconds) : undefined,
    };
    log(`${name}: ${r.seconds.toFixed(1)} s, ${int(linesPerSecond)} lines/s${note ? ` (${note})` : ''}`);
  };
  const installed = (module: string): boolean => sh(PYTHON, ['-c', `import ${module}`]) !== undefined;

  // Bandit: exit 1 means "issues found".
  record(
    'Bandit',
    installed('bandit') ? runProcess(PYTHON, ['-m', 'bandit', '-q', '-r', '-f', 'json', '.'], ws) : undefined,
    py.length,
    allLines,
    (r) => r.code === 0 || r.code === 1,
  );

  // Pylint with its default rules is slow (hundreds of lines/s): run it on an evenly spread subset
  // and extrapolate its lines/s to the whole workspace.
  const subsetTarget = quick ? 3000 : 8000;
  const subset: string[] = [];
  let subsetLines = 0;
  const step = Math.max(1, Math.floor(py.length / 200));
  for (let i = 0; i < py.length && subsetLines < subsetTarget; i += step) {
    subset.push(py[i]);
    subsetLines += countLines(fs.readFileSync(path.join(ws, py[i]), 'utf8'));
  }
  // Pylint's exit status is a bit mask of message kinds; 32 means a usage error, 1 a fatal.
  const pylintOk = (r: ProcessRun): boolean => r.code !== null && (r.code & 33) === 0;
  const pylintBase = ['-m', 'pylint', '--persistent=n', '--score=n', '--rcfile=/dev/null'];
  record(
    'Pylint (defaults)',
    installed('pylint') ? runProcess(PYTHON, [...pylintBase, ...subset], ws) : undefined,
    subset.length,
    subsetLines,
    pylintOk,
    `${subset.length} files, ${int(subsetLines)} lines, extrapolated`,
  );
  record(
    'Pylint (2 rules)',
    installed('pylint') ? runProcess(PYTHON, [...pylintBase, '--disable=all', '--enable=bare-except,broad-exception-caught', ...py], ws) : undefined,
    py.length,
    allLines,
    pylintOk,
    'bare-except, broad-exception-caught',
  );
  // Flake8: default checks, its default parallelism (one process per core).
  record(
    'Flake8',
    installed('flake8') ? runProcess(PYTHON, ['-m', 'flake8', '--exit-zero', '--output-file=/dev/null', '.'], ws) : undefined,
    py.length,
    allLines,
    (r) => r.code === 0,
  );
  const ruffInstalled = npmVersion('@astral-sh/ruff-wasm-nodejs') !== 'not installed';
  record(
    'Ruff wasm',
    ruffInstalled ? runProcess(process.execPath, [path.join(ROOT, 'bench', 'ruff-peer.cjs'), '.'], ws) : undefined,
    py.length,
    allLines,
    (r) => r.code === 0,
    'S, NPY, PD, BLE, T20; one process',
  );
}

// ---------------------------------------------------------------------------------------------
// Targets (from the issue) and the table
// ---------------------------------------------------------------------------------------------

function checkTargets(results: Results): void {
  const t = results.targets;
  const add = (what: string, target: string, value: number | undefined, ok: (v: number) => boolean, show: (v: number) => string): void => {
    t.push({
      what,
      target,
      measured: value === undefined || Number.isNaN(value) ? 'not measured' : show(value),
      met: value === undefined || Number.isNaN(value) ? null : ok(value),
    });
  };
  const e = results.engine;
  add(
    '1,000-line file, median',
    '< 8 ms',
    e?.['1k']?.analyze.median,
    (v) => v < 8,
    (v) => `${ms(v)} ms`,
  );
  add(
    '10,000-line file, median',
    '< 70 ms',
    e?.['10k']?.analyze.median,
    (v) => v < 70,
    (v) => `${ms(v)} ms`,
  );
  for (const size of ['1k', '10k', '50k'] as const)
    add(
      `${size} file, analysis / bare parse`,
      '≤ 2x',
      e?.[size]?.ratio,
      (v) => v <= 2,
      (v) => ratio(v),
    );
  const s = results.server;
  for (const [label, r] of Object.entries(s ?? {})) {
    add(
      `edit → diagnostics, p95 (${label})`,
      '< 15 ms',
      r.latency.p95,
      (v) => v < 15,
      (v) => `${ms(v)} ms`,
    );
  }
  add(
    'server memory, 2,000-file workspace open',
    '< 200 MB',
    s?.['2,000-file workspace open']?.peakRssMb,
    (v) => v < 200,
    (v) => `${v} MB peak`,
  );
  add(
    'workspace, lines/s',
    '≥ 100,000',
    results.workspace?.linesPerSecond,
    (v) => v >= 100_000,
    (v) => int(v),
  );
  const p = results.peers ?? {};
  add('vs Bandit', '≥ 10x', p['Bandit']?.mlreadyRatio, (v) => v >= 10, ratio);
  add('vs Pylint (defaults)', '≥ 10x', p['Pylint (defaults)']?.mlreadyRatio, (v) => v >= 10, ratio);
  add('vs Pylint (2 rules)', '≥ 10x', p['Pylint (2 rules)']?.mlreadyRatio, (v) => v >= 10, ratio);
  add('vs Ruff wasm', '≥ 1x', p['Ruff wasm']?.mlreadyRatio, (v) => v >= 1, ratio);
  // Issue 14's own targets beside issue 7's (its p95, 2x and Ruff targets are the rows above).
  add(
    'one-cell notebook edit, median (issue 14)',
    '< 5 ms',
    results.notebook?.editedCell.median,
    (v) => v < 5,
    (v) => `${ms(v)} ms`,
  );
  add('vs Bandit (issue 14)', '≥ 12x', p['Bandit']?.mlreadyRatio, (v) => v >= 12, ratio);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function render(results: Results): string {
  const out: string[] = [];
  const m = results.machine;
  const v = results.versions;
  out.push(`mlready benchmark, ${results.date}`);
  out.push(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, load average at start ${m.loadAverageAtStart}`);
  out.push(
    `versions: ${Object.entries(v)
      .map(([k, val]) => `${k} ${val}`)
      .join(', ')}`,
  );
  const ws = results.corpus.workspace;
  out.push(
    `corpus: seed ${results.corpus.seed}; workspace ${ws.files} files (${ws.scripts} scripts, ${ws.notebooks} notebooks), ${int(ws.scriptLines + ws.notebookLines)} lines (${int(ws.scriptLines)} in .py files)`,
  );
  out.push('');
  if (results.engine || results.notebook || results.edit) {
    const rows = [['In process (warm)', 'lines', 'runs', 'median ms', 'p95 ms', 'min ms', 'CPU ms', 'bare parse ms', 'ratio to parse', 'lines/s', 'findings']];
    for (const [size, r] of Object.entries(results.engine ?? {})) {
      rows.push([
        `single file ${size}${r.parseErrors ? ' (parse errors!)' : ''}`,
        int(r.lines),
        String(r.analyze.runs),
        ms(r.analyze.median),
        ms(r.analyze.p95),
        ms(r.analyze.min),
        ms(r.analyze.cpuMedian),
        ms(r.parse.median),
        ratio(r.ratio),
        int(r.linesPerSecond),
        String(r.findings),
      ]);
    }
    const nb = results.notebook;
    if (nb) {
      rows.push([
        `notebook, ${nb.cells} cells (${nb.codeCells} code)`,
        int(nb.lines),
        String(nb.full.runs),
        ms(nb.full.median),
        ms(nb.full.p95),
        ms(nb.full.min),
        ms(nb.full.cpuMedian),
        ms(nb.parse.median),
        ratio(nb.full.median / nb.parse.median),
        int((nb.lines / nb.full.median) * 1000),
        '',
      ]);
      rows.push([
        'notebook, one cell edited (incremental tree)',
        int(nb.lines),
        String(nb.editedCell.runs),
        ms(nb.editedCell.median),
        ms(nb.editedCell.p95),
        ms(nb.editedCell.min),
        ms(nb.editedCell.cpuMedian),
        '',
        '',
        '',
        '',
      ]);
      rows.push([
        'notebook, one cell edited (fresh parse)',
        int(nb.lines),
        String(nb.editedCellFreshParse.runs),
        ms(nb.editedCellFreshParse.median),
        ms(nb.editedCellFreshParse.p95),
        ms(nb.editedCellFreshParse.min),
        ms(nb.editedCellFreshParse.cpuMedian),
        '',
        '',
        '',
        '',
      ]);
    }
    const ed = results.edit;
    if (ed) {
      rows.push([
        '1-char edit of 2,000-line file: reparse + analysis',
        int(ed.lines),
        String(ed.incremental.runs),
        ms(ed.incremental.median),
        ms(ed.incremental.p95),
        ms(ed.incremental.min),
        ms(ed.incremental.cpuMedian),
        ms(ed.reparseOnly.median),
        '',
        '',
        '',
      ]);
    }
    out.push(table(rows), '');
  }
  if (results.server) {
    const rows = [
      [
        'Language server over stdio (2,000-line file)',
        'edits',
        'median ms',
        'p95 ms',
        'timeouts',
        'open→diagnostics ms',
        'readiness scan ms',
        'server peak RSS',
        'RSS after',
        'scan process peak',
      ],
    ];
    for (const [label, r] of Object.entries(results.server)) {
      rows.push([
        `didChange → publishDiagnostics, ${label}`,
        String(r.edits),
        ms(r.latency.median),
        ms(r.latency.p95),
        String(r.timeouts),
        ms(r.openMs),
        ms(r.readinessMs),
        `${r.peakRssMb} MB`,
        `${r.rssMb} MB`,
        r.scanPeakRssMb ? `${r.scanPeakRssMb} MB` : '-',
      ]);
    }
    out.push(table(rows), '');
  }
  if (results.workspace || results.peers) {
    const rows = [['Workspace (whole process)', 'files', 'lines', 'seconds', 'CPU s', 'files/s', 'lines/s', 'peak RSS', 'mlready faster (wall)', '(CPU)']];
    const w = results.workspace;
    if (w)
      rows.push([
        'mlready check --format json (all files)',
        int(w.files),
        int(w.lines),
        w.seconds.toFixed(2),
        w.cpuSeconds.toFixed(2),
        int(w.filesPerSecond),
        int(w.linesPerSecond),
        `${w.peakRssMb} MB`,
        '',
        '',
      ]);
    const p = results.pyOnly;
    if (p)
      rows.push([
        'mlready check, the .py files only',
        int(p.files),
        int(p.lines),
        p.seconds.toFixed(2),
        p.cpuSeconds.toFixed(2),
        int(p.files / p.seconds),
        int(p.linesPerSecond),
        `${p.peakRssMb} MB`,
        '1x',
        '1x',
      ]);
    for (const [name, r] of Object.entries(results.peers ?? {})) {
      if (r.status !== 'ok') {
        rows.push([name, r.status, '', '', '', '', '', '', '', '']);
        continue;
      }
      rows.push([
        `${name}${r.note ? ` (${r.note})` : ''}`,
        int(r.files ?? 0),
        int(r.lines ?? 0),
        (r.seconds ?? 0).toFixed(2),
        (r.cpuSeconds ?? NaN).toFixed(2),
        int((r.files ?? 0) / (r.seconds ?? 1)),
        int(r.linesPerSecond ?? 0),
        `${r.peakRssMb} MB`,
        ratio(r.mlreadyRatio),
        ratio(r.mlreadyCpuRatio),
      ]);
    }
    out.push(table(rows), '');
  }
  if (results.targets.length) {
    const rows = [['Target (issues 7 and 14)', 'target', 'measured', 'met']];
    for (const t of results.targets) rows.push([t.what, t.target, t.measured, t.met === null ? '-' : t.met ? 'yes' : 'NO']);
    out.push(table(rows), '');
  }
  for (const note of results.notes) out.push(`note: ${note}`);
  return out.join('\n');
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  let jsonFile: string | undefined;
  let only: Set<string> | undefined;
  let quick = false;
  let skipPeers = false;
  let editFile: string | undefined;
  let notebookFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') jsonFile = argv[++i];
    else if (a === '--only') only = new Set(argv[++i].split(','));
    else if (a === '--quick') quick = true;
    else if (a === '--skip-peers') skipPeers = true;
    else if (a === '--edit-file') editFile = path.resolve(argv[++i]);
    else if (a === '--notebook') notebookFile = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${a} (use --json FILE, --only SECTIONS, --quick, --skip-peers, --edit-file PATH, --notebook PATH)`);
  }
  const wants = (section: string): boolean => (!only || only.has(section)) && !(section === 'peers' && skipPeers);
  const started = performance.now();
  // --edit-file: the edit and server rows type into another file (real code instead of the generated one);
  // --notebook: the notebook rows read another notebook.
  const corpus = { ...ensureCorpus(BENCH_DIR), ...(editFile ? { edit: editFile } : {}), ...(notebookFile ? { notebook: notebookFile } : {}) };
  const results: Results = {
    date: new Date().toISOString(),
    machine: machine(),
    versions: versions(),
    corpus: { seed: corpus.seed, workspace: corpus.workspaceStats },
    targets: [],
    notes: [],
  };
  if (Number(results.machine.loadAverageAtStart) > os.cpus().length * 0.5) {
    results.notes.push(
      `the machine was busy when the benchmark started (load average ${results.machine.loadAverageAtStart} on ${os.cpus().length} cores): figures are pessimistic`,
    );
  }
  if (wants('engine') || wants('notebook') || wants('edit')) await benchEngine(corpus, results, quick, wants('engine'));
  if (wants('server')) await benchServer(corpus, results, quick);
  if (wants('workspace') || wants('peers')) benchWorkspace(corpus, results, quick);
  if (wants('peers')) benchPeers(corpus, results, quick);
  if (results.peers?.['Pylint (defaults)']?.status === 'ok') {
    results.notes.push('Pylint with its default rules ran on an evenly spread subset of the .py files; its lines/s is extrapolated to the workspace.');
  }
  results.notes.push('Bandit, Pylint, Flake8 and Ruff read no notebooks: the ratios compare lines/s on the same .py files.');
  checkTargets(results);
  results.notes.push(`benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(render(results) + '\n');
  if (jsonFile) {
    fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
    fs.writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
    log(`figures written to ${jsonFile}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
