import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RawServer, isPublish } from './lsp-harness';
import { sandbox, FIXABLE } from './helpers';

const servers: RawServer[] = [];
after(() => {
  for (const server of servers) server.kill();
});

async function start(root: string, options?: { trusted?: boolean }): Promise<RawServer> {
  const server = await RawServer.start(root, options);
  servers.push(server);
  return server;
}

const LIMIT = { timeout: 120_000 };

test('lsp: a malformed JSON body with an id gets -32700, and the server goes on answering', LIMIT, async () => {
  const box = sandbox();
  try {
    const server = await start(box.root);
    const response = server.next((m) => (m as { id?: number }).id === 77);
    server.raw('{"jsonrpc":"2.0","id":77,"method":"textDocument/hover",');
    const error = (await response) as { error?: { code: number; message: string } };
    assert.equal(error.error?.code, -32700);
    const hover = await server.request('textDocument/hover', {
      textDocument: { uri: pathToFileURL(path.join(box.root, 'x.py')).href },
      position: { line: 0, character: 0 },
    });
    assert.equal(hover.error, undefined, 'the next request is answered');
  } finally {
    box.done();
  }
});

test('lsp: bad params get InvalidParams (-32602), never a JavaScript TypeError text', LIMIT, async () => {
  const box = sandbox();
  try {
    const server = await start(box.root);
    const cases: [string, unknown][] = [
      ['textDocument/hover', { textDocument: 5 }],
      ['textDocument/hover', { textDocument: { uri: 'file:///x.py' }, position: { line: -1, character: 'a' } }],
      ['textDocument/codeAction', null],
      ['textDocument/codeAction', { textDocument: { uri: 'file:///x.py' }, range: {}, context: {} }],
      ['mlready/readiness', 7],
      ['workspace/executeCommand', { command: 42 }],
      ['mlready/scaffoldColumns', {}],
    ];
    for (const [method, params] of cases) {
      const response = await server.request(method, params);
      assert.equal(response.error?.code, -32602, `${method} ${JSON.stringify(params)}: ${JSON.stringify(response)}`);
      assert.doesNotMatch(response.error?.message ?? '', /TypeError|Cannot read properties/);
    }
    // Bad notifications are dropped and logged, not crashed on.
    server.notify('textDocument/didOpen', { textDocument: { uri: 7 } });
    server.notify('notebookDocument/didChange', {
      notebookDocument: { uri: 'file:///n.ipynb', version: 2 },
      change: { cells: { structure: { array: { start: -4, deleteCount: 'x' } } } },
    });
    const alive = await server.request('textDocument/hover', { textDocument: { uri: 'file:///x.py' }, position: { line: 0, character: 0 } });
    assert.equal(alive.error, undefined);
    const everything = JSON.stringify(server.messages) + server.stderr;
    assert.doesNotMatch(everything, /TypeError|Cannot read properties of/);
  } finally {
    box.done();
  }
});

test('lsp: after shutdown, requests get InvalidRequest and nothing more is published', LIMIT, async () => {
  const box = sandbox();
  try {
    const file = path.join(box.root, 'train.py');
    fs.writeFileSync(file, FIXABLE);
    const uri = pathToFileURL(file).href;
    const server = await start(box.root);
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: FIXABLE } });
    await server.seen(isPublish(uri, (d) => d.length > 0));
    // An edit whose diagnostics would be published after the debounce, then shutdown at once.
    server.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${FIXABLE}print(1)\n` }] });
    const shutdown = await server.request('shutdown', null);
    assert.equal(shutdown.error, undefined);
    const afterShutdown = server.messages.length;
    const hover = await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(hover.error?.code, -32600, JSON.stringify(hover));
    const readiness = await server.request('mlready/readiness', {});
    assert.equal(readiness.error?.code, -32600);
    // The debounce (75 ms) and a whole analysis pass while we wait for a third answer.
    const published = server.next((m) => (m as { method?: string }).method !== undefined);
    const deadline = new Promise((resolve) => setTimeout(resolve, 1500).unref());
    const first = await Promise.race([published, deadline]);
    assert.equal(first, undefined, `published after shutdown: ${JSON.stringify(first)}`);
    assert.ok(
      server.messages.slice(afterShutdown).every((m) => !('method' in m)),
      'only responses after shutdown',
    );
    server.notify('exit', null);
    assert.equal(await server.exit(), 0);
  } finally {
    box.done();
  }
});

test('lsp: a framing error (bad Content-Length) is logged and the server exits', LIMIT, async () => {
  const box = sandbox();
  try {
    const server = await start(box.root);
    server.raw(Buffer.from('Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}'), false);
    const code = await server.exit();
    assert.equal(code, 1);
    assert.match(server.stderr, /framing error on the connection \(Content-Length value must be a number/);
  } finally {
    box.done();
  }
});

test('lsp: $/cancelRequest cancels a readiness request (RequestCancelled), and the next request is answered', LIMIT, async () => {
  const box = sandbox();
  try {
    // Enough Python for the scan to take a while: it yields between files, so the cancel is seen.
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(box.root, `m${i}.py`), `${FIXABLE}\n${'x = 1\n'.repeat(200)}`);
    const server = await start(box.root);
    const response = server.next((m) => (m as { id?: number }).id === 5);
    server.raw(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'mlready/readiness', params: {} }));
    server.notify('$/cancelRequest', { id: 5 });
    const answer = (await response) as { error?: { code: number } };
    assert.equal(answer.error?.code, -32800, JSON.stringify(answer).slice(0, 300));
    const full = await server.request('mlready/readiness', {});
    assert.equal(full.error, undefined);
    assert.equal(typeof (full.result as { score?: unknown }).score, 'number');
  } finally {
    box.done();
  }
});

test('lsp: moving a notebook cell re-analyses (a data-leakage finding that no longer applies goes away)', LIMIT, async () => {
  const box = sandbox();
  try {
    const server = await start(box.root);
    const notebook = pathToFileURL(path.join(box.root, 'n.ipynb')).href;
    const sources = [
      'from sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split\nscaler = StandardScaler()',
      'X_s = scaler.fit_transform(X)',
      'X_train, X_test, y_train, y_test = train_test_split(X_s, y, random_state=0)',
    ];
    const cellUri = (i: number) => `vscode-notebook-cell:${notebook.slice('file:'.length)}#cell${i}`;
    server.notify('notebookDocument/didOpen', {
      notebookDocument: {
        uri: notebook,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: sources.map((_, i) => ({ kind: 2, document: cellUri(i), executionSummary: { executionOrder: i + 1 } })),
      },
      cellTextDocuments: sources.map((text, i) => ({ uri: cellUri(i), languageId: 'python', version: 1, text })),
    });
    await server.seen(isPublish(cellUri(1), (d) => d.some((x) => x.code === 'data-leakage')));
    // Move the split above the scaling: a structure change that opens and closes no cell document.
    server.notify('notebookDocument/didChange', {
      notebookDocument: { uri: notebook, version: 2 },
      change: {
        cells: {
          structure: {
            array: {
              start: 1,
              deleteCount: 2,
              cells: [
                { kind: 2, document: cellUri(2) },
                { kind: 2, document: cellUri(1) },
              ],
            },
            didOpen: [],
            didClose: [],
          },
        },
      },
    });
    await server.next(isPublish(cellUri(1), (d) => !d.some((x) => x.code === 'data-leakage')));
  } finally {
    box.done();
  }
});

test('lsp: an untrusted workspace ignores attestations, and the readiness report says so', LIMIT, async () => {
  const box = sandbox();
  try {
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    fs.writeFileSync(
      path.join(box.root, 'mlready.toml'),
      '[readiness.problem-iterative-expectations]\nstatus = "attested"\nby = "Mallory"\ndate = 2025-01-01\n',
    );
    const trusted = await start(box.root, { trusted: true });
    const trustedReport = (await trusted.request('mlready/readiness', {})).result as {
      categories: { items: { id: string; status: string }[] }[];
      problems: { message: string }[];
    };
    const item = (report: typeof trustedReport) => report.categories.flatMap((c) => c.items).find((i) => i.id === 'problem-iterative-expectations');
    assert.equal(item(trustedReport)?.status, 'attested', 'trusted: the attestation counts');
    const untrusted = await start(box.root, { trusted: false });
    const report = (await untrusted.request('mlready/readiness', {})).result as typeof trustedReport;
    assert.notEqual(item(report)?.status, 'attested', 'untrusted: the attestation is ignored');
    assert.ok(
      report.problems.some((p) => /Untrusted workspace .*attestations .* are ignored/.test(p.message)),
      'the report says so',
    );
  } finally {
    box.done();
  }
});

test('lsp: diagnostics, logs and the readiness report never carry a secret', LIMIT, async () => {
  const box = sandbox();
  try {
    const secret = 'sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq';
    const text = `import pandas as pd\ndf = pd.read_csv("x.csv")\ndf[df.a > 0]["key"] = "${secret}"\n`;
    const file = path.join(box.root, 'leak.py');
    fs.writeFileSync(file, text);
    const server = await start(box.root);
    const uri = pathToFileURL(file).href;
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await server.seen(isPublish(uri, (d) => d.some((x) => x.code === 'chained-assignment')));
    const actions = await server.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 60 } },
      context: { diagnostics: [] },
    });
    const hover = await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
    const readiness = await server.request('mlready/readiness', {});
    // A body that is not JSON and quotes the secret: the parse error text must not echo it.
    const parseError = server.next((m) => (m as { id?: number }).id === 99);
    server.raw(`{"jsonrpc":"2.0","id":99,"method":"x","params":"${secret}"`);
    await parseError;
    const everything = JSON.stringify([server.messages, actions, hover, readiness]) + server.stderr;
    assert.ok(!everything.includes(secret), 'the whole secret is sent');
    assert.ok(!everything.includes(secret.slice(0, 10)), 'more than 4 characters of the secret are sent');
  } finally {
    box.done();
  }
});

test("lsp: dense documents never take the server's parser: three 4-million-character lists open at once, a fix-all of an 8 MB file, a scaffold from it", {
  timeout: 300_000,
}, async () => {
  const box = sandbox();
  try {
    const server = await start(box.root);
    const open = (name: string, text: string) => {
      const uri = pathToFileURL(path.join(box.root, name)).href;
      server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      return uri;
    };
    // Each takes about 0.75 GB of the parser's 2 GB: kept together, the third ran it out, and the
    // server analysed nothing more.
    for (let i = 0; i < 3; i++) {
      const uri = open(`dense${i}.py`, `[${'a,'.repeat(1_999_990)}]${' '.repeat(i)}\n`);
      await server.seen(isPublish(uri));
    }
    // 8.4 MB: not analysed as it is typed, so not fixed either (this parse alone ran the parser out).
    const large = 'a\n'.repeat(4_200_000);
    const huge = open('huge.py', large);
    const fixAll = await server.request('textDocument/codeAction', {
      textDocument: { uri: huge },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(fixAll.error, undefined);
    assert.deepEqual(fixAll.result, [{ title: 'Fix all safe mlready problems', kind: 'source.fixAll.mlready', edit: { changes: {} } }]);
    // A script under the 8 MB cap, but no source to scaffold from in the server's process.
    fs.writeFileSync(path.join(box.root, 'source.py'), 'a\n'.repeat(3_000_000));
    const source = await server.request('mlready/scaffoldSource', { from: pathToFileURL(path.join(box.root, 'source.py')).href });
    assert.match(JSON.stringify(source.result), /too large to scaffold from \(its code holds 6,000,000 characters, more than 4,000,000\)/);
    const normal = open('train.py', "import pickle\nmodel = pickle.load(open('m.pkl', 'rb'))\n");
    const published = (await server.seen(isPublish(normal, (diagnostics) => diagnostics.length > 0))) as unknown as {
      params: { diagnostics: { code?: unknown }[] };
    };
    assert.ok(published.params.diagnostics.some((d) => JSON.stringify(d.code).includes('unsafe-deserialization')));
    assert.equal(server.exitCode, undefined, 'the server still runs');
    assert.doesNotMatch(JSON.stringify(server.messages), /parser stopped|ran out of memory/);
  } finally {
    box.done();
  }
});
