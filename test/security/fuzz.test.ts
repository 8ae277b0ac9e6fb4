import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync, execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { createEngine } from '../../server/src/engine/index';
import { RawServer } from './lsp-harness';
import { sandbox, FIXABLE } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const servers: RawServer[] = [];
after(() => {
  for (const server of servers) server.kill();
});

// ---- the server: random framing ------------------------------------------------------------------

const junk = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc
    .constantFrom(
      'Content-Length: abc\r\n\r\n{}',
      'Content-Length: -5\r\n\r\n',
      'Content-Type: text/plain\r\n\r\n',
      'no colon here\r\n\r\n',
      '\r\n\r\n',
      'Content-Length: 2\r\n\r\n{',
      'Content-Length: 10\r\n\r\n[1,2,3,4]',
      'Content-Length: 4\r\n\r\nnull',
      'Content-Length: 30\r\n\r\n{"jsonrpc":"2.0","id":"x","me',
    )
    .map((text) => Buffer.from(text, 'latin1')),
);

test('fuzz: random framing makes the server answer the next request or exit with a logged framing error, never hang or crash', {
  timeout: 300_000,
}, async () => {
  const box = sandbox();
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 1, maxLength: 4 }), async (chunks) => {
        const server = await RawServer.start(box.root);
        servers.push(server);
        for (const chunk of chunks) server.raw(chunk, false);
        const answered = server.request('textDocument/hover', {
          textDocument: { uri: pathToFileURL(path.join(box.root, 'x.py')).href },
          position: { line: 0, character: 0 },
        });
        const outcome = await Promise.race([answered.then(() => 'answered' as const), server.exit().then(() => 'exited' as const)]);
        if (outcome === 'exited') {
          assert.equal(server.exitCode, 1);
          assert.match(server.stderr, /framing error|not valid JSON/, server.stderr);
        }
        assert.doesNotMatch(server.stderr, /TypeError|Uncaught|unexpected error/);
        server.kill();
        await server.exit();
      }),
      { numRuns: 12, seed: 20261201 },
    );
  } finally {
    box.done();
  }
});

// ---- the server: random notebook structure changes ---------------------------------------------

const CELL_SOURCES = [
  'from sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split\nscaler = StandardScaler()',
  'X_s = scaler.fit_transform(X)',
  'X_train, X_test, y_train, y_test = train_test_split(X_s, y)',
  '%%bash\necho hi',
  'import pandas as pd\ndf = pd.read_csv("/home/me/data.csv")',
  'print(df.head())',
  '!pip install pyyaml',
  'try:\n    f()\nexcept:\n    pass',
];

const operation = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), source: fc.constantFrom(...CELL_SOURCES) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('edit' as const), at: fc.nat(), source: fc.constantFrom(...CELL_SOURCES, '', 'x = (', 'def f(:\n') }),
);

test('fuzz: random notebook structure changes keep the server alive and its diagnostics equal to a fresh analysis', { timeout: 300_000 }, async () => {
  const box = sandbox();
  const engine = await createEngine();
  try {
    const server = await RawServer.start(box.root);
    servers.push(server);
    const latest = new Map<string, string[]>();
    let notebookIndex = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 8 }), async (operations) => {
        const notebook = pathToFileURL(path.join(box.root, `n${notebookIndex++}.ipynb`)).href;
        let next = 0;
        const cells: { uri: string; text: string; version: number }[] = [];
        const newCell = (text: string) => ({ uri: `vscode-notebook-cell:${notebook.slice(5)}#c${next++}`, text, version: 1 });
        cells.push(newCell(CELL_SOURCES[0]), newCell(CELL_SOURCES[1]), newCell(CELL_SOURCES[2]));
        let version = 1;
        server.notify('notebookDocument/didOpen', {
          notebookDocument: { uri: notebook, notebookType: 'jupyter-notebook', version, cells: cells.map((c) => ({ kind: 2, document: c.uri })) },
          cellTextDocuments: cells.map((c) => ({ uri: c.uri, languageId: 'python', version: 1, text: c.text })),
        });
        for (const step of operations) {
          version++;
          if (step.op === 'insert') {
            const at = step.at % (cells.length + 1);
            const cell = newCell(step.source);
            cells.splice(at, 0, cell);
            server.notify('notebookDocument/didChange', {
              notebookDocument: { uri: notebook, version },
              change: {
                cells: {
                  structure: {
                    array: { start: at, deleteCount: 0, cells: [{ kind: 2, document: cell.uri }] },
                    didOpen: [{ uri: cell.uri, languageId: 'python', version: 1, text: cell.text }],
                    didClose: [],
                  },
                },
              },
            });
          } else if (step.op === 'delete' && cells.length > 0) {
            const at = step.at % cells.length;
            const [cell] = cells.splice(at, 1);
            server.notify('notebookDocument/didChange', {
              notebookDocument: { uri: notebook, version },
              change: { cells: { structure: { array: { start: at, deleteCount: 1 }, didOpen: [], didClose: [{ uri: cell.uri }] } } },
            });
          } else if (step.op === 'move' && cells.length > 1) {
            const from = step.from % cells.length;
            const [cell] = cells.splice(from, 1);
            const to = step.to % (cells.length + 1);
            cells.splice(to, 0, cell);
            // As VS Code sends a move: the span between both places replaced, no document opened or closed.
            const start = Math.min(from, to);
            const end = Math.max(from, to);
            server.notify('notebookDocument/didChange', {
              notebookDocument: { uri: notebook, version },
              change: {
                cells: {
                  structure: {
                    array: { start, deleteCount: end - start + 1, cells: cells.slice(start, end + 1).map((c) => ({ kind: 2, document: c.uri })) },
                    didOpen: [],
                    didClose: [],
                  },
                },
              },
            });
          } else if (step.op === 'edit' && cells.length > 0) {
            const cell = cells[step.at % cells.length];
            cell.text = step.source;
            cell.version++;
            server.notify('notebookDocument/didChange', {
              notebookDocument: { uri: notebook, version },
              change: { cells: { textContent: [{ document: { uri: cell.uri, version: cell.version }, changes: [{ text: cell.text }] }] } },
            });
          }
        }
        // What a fresh analysis of the final cells says, per cell.
        const analysis = engine.analyze({ path: notebook, kind: 'notebook', cells: cells.map((c) => ({ source: c.text, executionCount: null })) });
        const expected = new Map(
          cells.map((c, i) => [
            c.uri,
            analysis.findings
              .filter((f) => f.cell === i)
              .map((f) => `${f.rule}@${f.range.start.line}`)
              .sort()
              .join(','),
          ]),
        );
        const matches = () => cells.every((c) => (latest.get(c.uri) ?? []).join(',') === expected.get(c.uri));
        while (!matches()) {
          const message = (await server.next((m) => (m as { method?: string }).method === 'textDocument/publishDiagnostics')) as unknown as {
            params: { uri: string; diagnostics: { code: string; range: { start: { line: number } } }[] };
          };
          latest.set(message.params.uri, message.params.diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort());
        }
        const alive = await server.request('textDocument/hover', { textDocument: { uri: cells[0]?.uri ?? notebook }, position: { line: 0, character: 0 } });
        assert.equal(alive.error, undefined);
        assert.doesNotMatch(
          server.stderr + JSON.stringify(server.messages.filter((m) => (m as { method?: string }).method === 'window/logMessage')),
          /TypeError|failed/,
        );
      }),
      { numRuns: 25, seed: 20261202 },
    );
  } finally {
    box.done();
  }
});

// ---- the CLI: random trees of links, FIFOs, unreadable and huge files --------------------------

type Entry =
  | { kind: 'py'; name: string }
  | { kind: 'notebook'; name: string }
  | { kind: 'fifo'; name: string }
  | { kind: 'unreadable'; name: string }
  | { kind: 'huge'; name: string }
  | { kind: 'link-out'; name: string }
  | { kind: 'link-out-dir'; name: string }
  | { kind: 'link-in'; name: string; target: string }
  | { kind: 'dangling'; name: string }
  | { kind: 'loop'; name: string }
  | { kind: 'planted-tmp'; name: string };

const name = fc.constantFrom('a', 'b', 'c', 'sub/d', 'sub/e', 'sub/deeper/f', 'pyproject.toml', '.gitignore', 'mlready.toml', 'nb');
const entry: fc.Arbitrary<Entry> = fc.oneof(
  name.map((n) => ({ kind: 'py' as const, name: n })),
  name.map((n) => ({ kind: 'notebook' as const, name: n })),
  name.map((n) => ({ kind: 'fifo' as const, name: n })),
  name.map((n) => ({ kind: 'unreadable' as const, name: n })),
  name.map((n) => ({ kind: 'huge' as const, name: n })),
  name.map((n) => ({ kind: 'link-out' as const, name: n })),
  name.map((n) => ({ kind: 'link-out-dir' as const, name: n })),
  fc.tuple(name, name).map(([n, t]) => ({ kind: 'link-in' as const, name: n, target: t })),
  name.map((n) => ({ kind: 'dangling' as const, name: n })),
  name.map((n) => ({ kind: 'loop' as const, name: n })),
  name.map((n) => ({ kind: 'planted-tmp' as const, name: n })),
);

function fileName(entry: Entry): string {
  if (/\.(toml)$|\.gitignore$/.test(entry.name)) return entry.name;
  return entry.kind === 'notebook' ? `${entry.name}.ipynb` : `${entry.name}.py`;
}

function build(root: string, outside: string, entries: Entry[]): void {
  for (const e of entries) {
    const file = path.join(root, fileName(e));
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (fs.existsSync(file) || isLink(file)) continue;
      switch (e.kind) {
        case 'py':
          fs.writeFileSync(file, FIXABLE);
          break;
        case 'notebook':
          fs.writeFileSync(
            file,
            JSON.stringify({
              nbformat: 4,
              nbformat_minor: 5,
              metadata: {},
              cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: FIXABLE }],
            }),
          );
          break;
        case 'fifo':
          execFileSync('mkfifo', [file]);
          break;
        case 'unreadable':
          fs.writeFileSync(file, FIXABLE, { mode: 0o000 });
          break;
        case 'huge':
          fs.writeFileSync(file, '');
          fs.truncateSync(file, 300 * 1024 * 1024);
          break;
        case 'link-out':
          fs.symlinkSync(path.join(outside, 'victim.py'), file);
          break;
        case 'link-out-dir':
          fs.symlinkSync(outside, file.replace(/\.\w+$/, ''));
          break;
        case 'link-in':
          fs.symlinkSync(path.join(root, `${e.target}.py`), file);
          break;
        case 'dangling':
          fs.symlinkSync(path.join(root, 'nowhere', 'missing.py'), file);
          break;
        case 'loop':
          fs.symlinkSync(root, file.replace(/\.\w+$/, ''));
          break;
        case 'planted-tmp':
          fs.symlinkSync(path.join(outside, 'victim.py'), path.join(path.dirname(file), `.${path.basename(file)}.mlready-${process.pid}.tmp`));
          break;
      }
    } catch {
      // A name taken by an earlier entry of another kind: the tree is what it is.
    }
  }
  execFileSync('chmod', ['-R', 'a+rX', path.dirname(root)]);
  // The unprivileged user owns both folders: a write outside would succeed if mlready made one.
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', '-h', '65534:65534', path.dirname(root)]);
  for (const e of entries) if (e.kind === 'unreadable') fs.chmodSync(path.join(root, fileName(e)), 0o000);
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Every path under a folder with its kind and content hash (links as links). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) out.set(full, `link:${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const stat = fs.statSync(full);
        out.set(full, stat.size > 10_000_000 ? `big:${stat.size}` : `file:${stat.mode}:${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
      } else out.set(full, 'special');
    }
  };
  walk(dir);
  return out;
}

test('fuzz: check --fix and readiness on random trees of links, FIFOs, unreadable and huge files: no hang, no write outside, links stay links', {
  timeout: 600_000,
}, () => {
  fc.assert(
    fc.property(fc.array(entry, { minLength: 2, maxLength: 10 }), (entries) => {
      const box = sandbox();
      try {
        fs.writeFileSync(path.join(box.outside, 'victim.py'), FIXABLE);
        build(box.root, box.outside, entries);
        const outsideBefore = snapshot(box.outside);
        const rootBefore = snapshot(box.root);
        // As an unprivileged user (root reads every file): chmod 000 then means unreadable.
        const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
        for (const args of [
          ['check', '--fix', '--format', 'json', '.'],
          ['readiness', '--format', 'json', '.'],
        ]) {
          const result = spawnSync(process.execPath, [CLI, ...args], { cwd: box.root, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, ...asNobody });
          assert.equal(result.error, undefined, `${args[0]} hung or failed to start: ${result.error}`);
          assert.ok(result.status !== null && [0, 1, 2].includes(result.status), `${args[0]} exit ${result.status}: ${result.stderr}`);
          // Exit 2 is a configuration error (an invalid pyproject.toml or attestation), said on stderr; otherwise a JSON report.
          if (result.status === 2) assert.match(result.stderr, /^error: /m, result.stderr);
          else assert.doesNotThrow(() => JSON.parse(result.stdout), `${args[0]} printed JSON`);
          assert.doesNotMatch(result.stderr, /failed unexpectedly|TypeError|\n\s+at /, result.stderr);
        }
        assert.deepEqual(snapshot(box.outside), outsideBefore, 'nothing outside the root changed');
        const rootAfter = snapshot(box.root);
        for (const [file, before] of rootBefore) {
          const now = rootAfter.get(file);
          if (before.startsWith('link:')) assert.equal(now, before, `${file} is still the same link`);
          else if (before === 'special') assert.equal(now, 'special', `${file} is still a FIFO`);
          else assert.ok(now?.startsWith(before.split(':')[0]), `${file} is still a regular file`);
        }
        assert.deepEqual(
          [...rootAfter.keys()].filter((f) => !rootBefore.has(f)),
          [],
          'no file left behind',
        );
      } finally {
        box.done();
      }
    }),
    { numRuns: 12, seed: 20261203 },
  );
});
