// The editor's readiness scan as a user meets it: a language server (dist/server.js --stdio) on
// DIR is asked for the report, then FILE (in DIR; appended to, so use a copy) changes ROUNDS times
// and each time the script waits for `mlready/readinessChanged` and asks again. It prints the score,
// the time to each report (after a change: with the server's 1 s wait) and the resident memory of
// the server and the peak of the processes it started (Linux: /proc).
//
//   node --import tsx scripts/readiness-rescan.ts DIR FILE [ROUNDS] [SERVER_JS]
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as rpc from 'vscode-languageserver-protocol/node';
import { ReadinessChangedNotification, ReadinessRequest } from '../server/src/protocol';

function memoryMb(pid: number, field: 'VmRSS:' | 'VmHWM:'): number {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(field));
    return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024);
  } catch {
    return Number.NaN;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const [dirArg, fileArg, roundsArg, serverArg] = process.argv.slice(2);
  if (!dirArg || !fileArg) throw new Error('usage: readiness-rescan.ts DIR FILE [ROUNDS] [SERVER_JS]');
  const root = path.resolve(dirArg);
  const file = path.resolve(fileArg);
  const rounds = Number(roundsArg ?? 3);
  const server = path.resolve(serverArg ?? path.join(__dirname, '..', 'dist', 'server.js'));
  const child = cp.spawn(process.execPath, [server, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const pid = child.pid as number;
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params: { items?: unknown[] }) => (params.items ?? []).map(() => null));
  for (const method of ['client/registerCapability', 'window/workDoneProgress/create']) connection.onRequest(method, () => null);
  let announced: (() => void) | undefined;
  connection.onNotification(ReadinessChangedNotification, () => announced?.());
  for (const method of ['window/logMessage', 'window/showMessage', '$/progress', 'textDocument/publishDiagnostics'])
    connection.onNotification(method, () => undefined);
  connection.listen();
  let scanPeak = 0;
  const watch = setInterval(() => {
    for (const kid of childrenOf(pid)) scanPeak = Math.max(scanPeak, memoryMb(kid, 'VmHWM:') || 0);
  }, 100);
  const uri = pathToFileURL(root).href;
  await connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: path.basename(root) }],
    capabilities: { window: { workDoneProgress: true } },
  });
  await connection.sendNotification(rpc.InitializedNotification.type, {});
  const say = (what: string, score: number | undefined, ms: number): void => {
    console.log(
      `${what}: score ${score}, ${Math.round(ms)} ms; server ${memoryMb(pid, 'VmRSS:')} MB (peak ${memoryMb(pid, 'VmHWM:')}), scan process peak ${scanPeak || '-'} MB`,
    );
    scanPeak = 0;
  };
  let started = performance.now();
  const first = await connection.sendRequest(ReadinessRequest, {});
  say('first report', first?.score, performance.now() - started);
  for (let round = 1; round <= rounds; round++) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const changed = new Promise<void>((resolve) => (announced = resolve));
    fs.appendFileSync(file, `\n# changed ${round}\n`);
    started = performance.now();
    await connection.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).href, type: rpc.FileChangeType.Changed }],
    });
    await changed;
    const report = await connection.sendRequest(ReadinessRequest, {});
    say(`after change ${round}`, report?.score, performance.now() - started);
  }
  clearInterval(watch);
  connection.dispose();
  child.kill();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
