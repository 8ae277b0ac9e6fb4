import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lsp-client';
import { createEngine } from '../../server/src/engine/index';

/** A script whose missing-seed findings depend on which of its splits carry a seed. */
function script(doc: number, seeded: boolean[]): string {
  const lines = ['from sklearn.model_selection import train_test_split', `# document ${doc}`];
  seeded.forEach((s, i) => {
    lines.push(`part_${i} = train_test_split(X, y${s ? ', random_state=1' : ''})`);
  });
  return lines.join('\n') + '\n';
}

test('1,000 rapid edits across 50 documents: the latest version wins, no stale diagnostics remain', { timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-burst-'));
  const client = await LspClient.start(dir);
  try {
    const engine = await createEngine();
    const docs = Array.from({ length: 50 }, (_, i) => ({
      uri: pathToFileURL(path.join(dir, `doc_${i}.py`)).href,
      version: 1,
      seeded: [false, false, false, false],
    }));
    for (const [i, doc] of docs.entries()) {
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: doc.uri, languageId: 'python', version: 1, text: script(i, doc.seeded) },
      });
    }
    // A deterministic pseudo-random burst: full-text changes, no waiting between them.
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let edit = 0; edit < 1000; edit++) {
      const index = Math.floor(random() * docs.length);
      const doc = docs[index];
      const part = Math.floor(random() * doc.seeded.length);
      doc.seeded[part] = !doc.seeded[part];
      doc.version++;
      void client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: doc.uri, version: doc.version },
        contentChanges: [{ text: script(index, doc.seeded) }],
      });
    }
    for (const [i, doc] of docs.entries()) {
      const final = await client.diagnostics(doc.uri, (p) => p.version === doc.version);
      const expected = engine.analyze({ path: `doc_${i}.py`, kind: 'script', text: script(i, doc.seeded) }).findings.filter((f) => f.rule === 'missing-seed');
      assert.deepEqual(
        final.diagnostics.filter((d) => d.code === 'missing-seed').map((d) => d.range.start.line),
        expected.map((f) => f.range.start.line),
        `document ${i} shows the diagnostics of its latest version`,
      );
    }
    // Nothing older arrives after the final version.
    for (const doc of docs) assert.equal(client.latest.get(doc.uri)?.version, doc.version);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a document too large to analyse as you type gets no diagnostics and one notice, and the server keeps serving', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-large-'));
  const client = await LspClient.start(dir);
  try {
    const huge = pathToFileURL(path.join(dir, 'generated.py')).href;
    const text = 'from sklearn.model_selection import train_test_split\ntrain_test_split(X, y)\n' + 'x = 1\n'.repeat(800_000);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: huge, languageId: 'python', version: 1, text } });
    const published = await client.diagnostics(huge, (p) => p.version === 1);
    assert.deepEqual(published.diagnostics, []);
    const small = pathToFileURL(path.join(dir, 'small.py')).href;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: small, languageId: 'python', version: 1, text: 'from sklearn.cluster import KMeans\nKMeans()\n' },
    });
    const smallDiagnostics = await client.diagnostics(small, (p) => p.diagnostics.length > 0);
    assert.equal(smallDiagnostics.diagnostics[0].code, 'missing-seed');
    assert.ok(
      client.messages.some((m) => /too large to analyse as you type/.test(m)),
      client.messages.join('\n'),
    );
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
