// The mlready/readiness request over a real LSP connection: dist/server.js --stdio on the
// half-way fixture project, then on a copy that changes (recomputed, announced, cached), with
// an invalid attestation (report problems + a diagnostic on pyproject.toml). Every wait is on a
// message from the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  ExitNotification,
  WorkDoneProgressCreateRequest,
  type PublishDiagnosticsParams,
  type RegistrationParams,
} from 'vscode-languageserver-protocol';
import { ReadinessChangedNotification, ReadinessRequest, type ReadinessChangedParams } from '../server/src/protocol';
import { createEngine } from '../server/src/engine/index';
import { computeReadiness, WHOLE_PROJECT_SCAN, type ReadinessReport } from '../server/src/engine/readiness/index';

const repo = path.resolve(__dirname, '..');
const serverPath = path.join(repo, 'dist', 'server.js');
const halfway = path.join(repo, 'test', 'fixtures', 'readiness', 'halfway');
const LIMIT = { timeout: 60_000 };

interface Session {
  server: ChildProcessWithoutNullStreams;
  connection: ProtocolConnection;
  stderr: () => string;
  changed: ReadinessChangedParams[];
  nextChanged(): Promise<ReadinessChangedParams>;
  diagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  progress: string[];
  registrations: RegistrationParams[];
  logs: string[];
}

const sessions: Session[] = [];

async function startSession(root: string, env: NodeJS.ProcessEnv = {}): Promise<Session> {
  const server = spawn(process.execPath, [serverPath, '--stdio'], { cwd: root, env: { ...process.env, ...env } });
  let stderr = '';
  server.stderr.on('data', (chunk) => (stderr += chunk));
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const changed: ReadinessChangedParams[] = [];
  const changedWaiters: ((p: ReadinessChangedParams) => void)[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const diagnosticWaiters: { predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const progress: string[] = [];
  const registrations: RegistrationParams[] = [];
  const logs: string[] = [];
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    logs.push(params.message);
  });
  connection.onNotification(ReadinessChangedNotification.method, (params: ReadinessChangedParams) => {
    changed.push(params);
    for (const resolve of changedWaiters.splice(0)) resolve(params);
  });
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const waiter of [...diagnosticWaiters]) {
      if (waiter.predicate(params)) {
        diagnosticWaiters.splice(diagnosticWaiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.onRequest(WorkDoneProgressCreateRequest.method, () => null);
  connection.onNotification('$/progress', (params: { value: { kind: string } }) => {
    progress.push(params.value.kind);
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
  connection.onRequest(RegistrationRequest.type, (params) => {
    registrations.push(params);
  });
  connection.listen();
  const rootUri = pathToFileURL(root).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: null,
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { trusted: true },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const session: Session = {
    server,
    connection,
    stderr: () => stderr,
    changed,
    nextChanged: () => new Promise((resolve) => changedWaiters.push(resolve)),
    diagnostics: (uri, predicate) => {
      const seen = [...published].reverse().find((p) => p.uri === uri);
      if (seen && predicate(seen)) return Promise.resolve(seen);
      return new Promise((resolve) => diagnosticWaiters.push({ predicate: (p) => p.uri === uri && predicate(p), resolve }));
    },
    progress,
    registrations,
    logs,
  };
  sessions.push(session);
  return session;
}

async function stopSession(session: Session): Promise<void> {
  if (session.server.exitCode !== null) return;
  const exited = new Promise((resolve) => session.server.once('exit', resolve));
  await session.connection.sendRequest(ShutdownRequest.type);
  await session.connection.sendNotification(ExitNotification.type);
  await exited;
  session.connection.dispose();
}

let expected: ReadinessReport;
let copy: string;

before(async () => {
  if (!fs.existsSync(serverPath)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  expected = await computeReadiness(halfway, await createEngine());
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-readiness-'));
  fs.cpSync(halfway, copy, { recursive: true });
});

after(async () => {
  for (const session of sessions) {
    if (session.server.exitCode === null) session.server.kill();
    session.connection.dispose();
  }
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

test('mlready/readiness on the half-way project: the score and categories of the engine, with progress', LIMIT, async () => {
  const session = await startSession(halfway);
  const announced = session.nextChanged();
  const report = await session.connection.sendRequest(ReadinessRequest, {});
  assert.ok(report, session.stderr());
  assert.equal(report.folder, pathToFileURL(halfway).href);
  assert.equal(report.score, expected.score);
  assert.ok(report.score >= 20 && report.score < 55, `half-way scores in the middle, got ${report.score}`);
  assert.equal(report.band, expected.band);
  assert.deepEqual(
    report.categories.map((c) => [c.id, c.score]),
    expected.categories.map((c) => [c.id, c.score]),
  );
  assert.deepEqual(
    report.categories.map((c) => c.id),
    ['problem', 'data', 'reproducibility', 'serving', 'integration', 'operations', 'governance', 'genai'],
  );
  assert.equal(report.categories.find((c) => c.id === 'problem')!.items.find((i) => i.id === 'problem-success-metrics')!.status, 'partial');
  assert.deepEqual(report.problems, []);
  assert.deepEqual(await announced, { folder: report.folder, score: report.score, band: report.band });
  assert.deepEqual(session.progress.slice(0, 1), ['begin']);
  assert.equal(session.progress.at(-1), 'end');
  // It asked to watch every file (the checks read more than Python).
  assert.ok(
    session.registrations.some((r) =>
      r.registrations.some((reg) => reg.method === DidChangeWatchedFilesNotification.method && JSON.stringify(reg.registerOptions).includes('**/*')),
    ),
  );
  // Answered from the cache while nothing changed: same report, no new run.
  const runs = session.progress.filter((kind) => kind === 'begin').length;
  const again = await session.connection.sendRequest(ReadinessRequest, {});
  assert.deepEqual(again, report);
  assert.equal(session.progress.filter((kind) => kind === 'begin').length, runs);
  await stopSession(session);
});

test('a changed file recomputes and announces; an invalid attestation is a problem and a diagnostic', LIMIT, async () => {
  const session = await startSession(copy);
  const first = await session.connection.sendRequest(ReadinessRequest, {});
  assert.ok(first);
  assert.equal(first.score, expected.score);

  // A model card appears: the change is announced with a higher score.
  fs.writeFileSync(
    path.join(copy, 'MODEL_CARD.md'),
    '# Model card\n\n## Intended use\nChurn scores for the retention team.\n\n## Limitations\nTrained on 2024 data only.\n\n## Metrics\nROC AUC 0.86 on the hold-out month.\n',
  );
  const announced = session.nextChanged();
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: [{ uri: pathToFileURL(path.join(copy, 'MODEL_CARD.md')).href, type: FileChangeType.Created }],
  });
  const change = await announced;
  assert.ok(change.score > first.score, `a model card raises the score (${first.score} → ${change.score})`);
  // The Python files did not change: the scan took their facts from the last one.
  assert.match(session.logs.join('\n'), /readiness of .*: 0 Python files analysed, [1-9]\d* unchanged since the last scan/);
  const second = await session.connection.sendRequest(ReadinessRequest, {});
  assert.equal(second?.score, change.score);
  assert.equal(second?.categories.find((c) => c.id === 'governance')?.items.find((i) => i.id === 'gov-model-card')?.status === 'fail', false);

  // An attestation with an unknown id (and a valid one): the valid one counts, the bad one is reported.
  const pyproject = path.join(copy, 'pyproject.toml');
  fs.writeFileSync(
    pyproject,
    '[project]\nname = "churn"\n\n[tool.mlready.readiness.serving-slo]\nstatus = "attested"\nby = "Ana"\ndate = 2025-03-14\n\n[tool.mlready.readiness.data-versoned]\nstatus = "attested"\nby = "Ana"\ndate = 2025-03-14\n',
  );
  const pyprojectUri = pathToFileURL(pyproject).href;
  const diagnosed = session.diagnostics(pyprojectUri, (p) => p.diagnostics.length > 0);
  const announcedAgain = session.nextChanged();
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pyprojectUri, type: FileChangeType.Created }] });
  await announcedAgain;
  const third = await session.connection.sendRequest(ReadinessRequest, {});
  assert.ok(third);
  assert.equal(third.problems.length, 1, JSON.stringify(third.problems));
  assert.match(third.problems[0].message, /unknown readiness item "data-versoned" \(did you mean "data-versioned"\?\)/);
  assert.equal(third.categories.flatMap((c) => c.items).find((i) => i.id === 'serving-slo')?.status, 'attested', 'the valid attestation still counts');
  const diagnostics = await diagnosed;
  assert.equal(diagnostics.diagnostics.length, 1);
  assert.equal(diagnostics.diagnostics[0].range.start.line, 8, 'on the [tool.mlready.readiness.data-versoned] line');
  assert.equal(diagnostics.diagnostics[0].code, 'readiness-attestation');

  // Fixed: the diagnostic is cleared.
  fs.writeFileSync(pyproject, '[project]\nname = "churn"\n');
  const cleared = session.diagnostics(pyprojectUri, (p) => p.diagnostics.length === 0);
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pyprojectUri, type: FileChangeType.Changed }] });
  await cleared;

  // A burst of changes: the runs in between are cancelled; the answer reflects the last state.
  for (let i = 0; i < 20; i++) {
    fs.writeFileSync(path.join(copy, `burst_${i}.py`), `import mlflow\nmlflow.log_metric("auc", ${i})\n`);
    await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(path.join(copy, `burst_${i}.py`)).href, type: FileChangeType.Created }],
    });
  }
  const latest = await session.connection.sendRequest(ReadinessRequest, { refresh: true });
  const direct = await computeReadiness(copy, await createEngine());
  assert.equal(latest?.score, direct.score);
  assert.equal(latest?.stats.pythonFiles, direct.stats.pythonFiles);
  await stopSession(session);
});

test('a project of more than 1,000 Python files: the editor reads all of them and reports what `mlready readiness` reports', LIMIT, async () => {
  // 1,050 modules, then the one file that tracks experiments, listed last (the editor's scan
  // stopped at the first 1,000 on the server's thread and said the project tracked nothing).
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-large-'));
  try {
    fs.mkdirSync(path.join(root, 'pkg'));
    for (let i = 0; i < 1050; i++) fs.writeFileSync(path.join(root, 'pkg', `m${String(i).padStart(4, '0')}.py`), `def f${i}(x):\n    return x + ${i}\n`);
    fs.mkdirSync(path.join(root, 'zz_train'));
    fs.writeFileSync(path.join(root, 'zz_train', 'train.py'), 'import mlflow\n\nwith mlflow.start_run():\n    mlflow.log_metric("auc", 0.91)\n');
    const engine = await createEngine();
    const whole = await computeReadiness(root, engine, WHOLE_PROJECT_SCAN);
    const firstThousand = await computeReadiness(root, engine, { maxPythonFiles: 1000 });
    const tracking = (report: ReadinessReport) => report.categories.flatMap((c) => c.items).find((i) => i.id === 'repro-experiment-tracking')?.status;
    assert.notEqual(tracking(firstThousand), tracking(whole), 'the file past the 1,000th decides the verdict');

    const session = await startSession(root);
    const report = await session.connection.sendRequest(ReadinessRequest, {});
    assert.ok(report, session.stderr());
    assert.equal(report.stats.pythonNotAnalysed, 0);
    const { folder, ...rest } = report;
    assert.equal(folder, pathToFileURL(root).href);
    assert.deepEqual(rest, JSON.parse(JSON.stringify(whole)));
    await stopSession(session);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a scan that outgrows its heap stops with a message that says so, and the server keeps serving', LIMIT, async () => {
  // 48 MB of distinct string literals, which the facts keep, against a 32 MB heap for the scan.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-heap-'));
  try {
    let seed = 1;
    const letters = (n: number) => {
      let out = '';
      for (let i = 0; i < n; i++) out += String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26));
      return out;
    };
    for (let f = 0; f < 12; f++) {
      const lines = Array.from({ length: 4 }, (_, k) => `S${k} = "${letters(1_000_000)}"\n`);
      fs.writeFileSync(path.join(root, `m${f}.py`), lines.join(''));
    }
    const script = path.join(root, 'train.py');
    fs.writeFileSync(script, 'import pickle\n\nmodel = object()\npickle.dump(model, open("model.pkl", "wb"))\n');
    const session = await startSession(root, { MLREADY_READINESS_HEAP_MB: '32' });
    await assert.rejects(session.connection.sendRequest(ReadinessRequest, {}), (error: Error) => {
      assert.match(
        error.message,
        /the readiness report could not be computed: the readiness scan needed more than 32 MB and was stopped; `mlready readiness` assesses the project from a terminal/,
      );
      return true;
    });
    // The server is alive and analyses what it is given.
    const uri = pathToFileURL(script).href;
    const diagnosed = session.diagnostics(uri, (p) => p.diagnostics.length > 0);
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(script, 'utf8') },
    });
    assert.deepEqual(
      (await diagnosed).diagnostics.map((d) => d.code),
      ['unversioned-artifact'],
    );
    assert.equal(session.server.exitCode, null);
    await stopSession(session);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
