import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEngine } from '../../server/src/engine/index';
import { main } from '../../server/src/cli';
import type { CliIo } from '../../server/src/cli/io';

/** Test credentials (not real) in every shape issue 12 names. */
export const SHAPES: { name: string; secret: string; inText: string }[] = [
  { name: 'AWS access key', secret: 'AKIAQ7XK2M9TR4LP3VWZ', inText: 'aws key AKIAQ7XK2M9TR4LP3VWZ here' },
  { name: 'OpenAI sk-', secret: 'sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq', inText: 'key=sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq' },
  { name: 'OpenAI sk-proj-', secret: 'sk-proj-Zr8Kq2Lm5Nx7Vb3Hs9Jw4Pz6Ya1Ge0Ui', inText: '"sk-proj-Zr8Kq2Lm5Nx7Vb3Hs9Jw4Pz6Ya1Ge0Ui"' },
  { name: 'Stripe sk_live_', secret: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', inText: 'stripe.api_key = sk_live_4eC39HqLyjWDarjtT1zdp7dc;' },
  { name: 'GitHub ghp_', secret: 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly', inText: 'token ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly.' },
  {
    name: 'GitHub github_pat_',
    secret: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEF',
    inText: '(github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEF)',
  },
  { name: 'Hugging Face hf_', secret: 'hf_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5o', inText: 'login(hf_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5o)' },
  {
    name: 'Slack xoxb-',
    secret: 'xoxb-2401234567-2409876543210-Ab3De5Gh7Jk9Mn1Pq3St5Vx',
    inText: 'SLACK=xoxb-2401234567-2409876543210-Ab3De5Gh7Jk9Mn1Pq3St5Vx',
  },
  { name: 'Slack xoxp-', secret: 'xoxp-1234567890-0987654321-Zx9Yw8Vu7Ts6', inText: 'xoxp-1234567890-0987654321-Zx9Yw8Vu7Ts6' },
  {
    name: 'JWT',
    secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    inText: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  },
  {
    name: 'PEM private key',
    secret: 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn',
    inText: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----',
  },
  { name: 'password in a URL', secret: 'q9Tv-R2mW7zL4pXe', inText: 'postgresql://etl:q9Tv-R2mW7zL4pXe@db.internal:5432/sales' },
  { name: 'password in a connection string', secret: 'Zk4-Pw9Lq2Tx', inText: 'mongodb+srv://admin:Zk4-Pw9Lq2Tx@cluster0.mongodb.net/test' },
  {
    name: 'token in a URL query string',
    secret: 'f00dBabe7d2c9e1aA7',
    inText: 'https://api.example.com/v1/items?limit=10&access_token=f00dBabe7d2c9e1aA7&page=2',
  },
  {
    name: 'signed URL signature',
    secret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    inText: 'https://b.s3.amazonaws.com/k?X-Amz-Signature=a1b2c3d4e5f60718293a4b5c6d7e8f90',
  },
  { name: '%env magic', secret: 'Pq7-Wz2Lk9Rt', inText: '%env DB_PASSWORD=Pq7-Wz2Lk9Rt' },
  { name: 'token in a pip git URL', secret: 'Zx8Cv7Bn6Mq5Wz4Lk3Rt', inText: '!pip install git+https://Zx8Cv7Bn6Mq5Wz4Lk3Rt@github.com/acme/private.git' },
];

function assertHidden(output: string, secret: string, where: string): void {
  assert.ok(!output.includes(secret), `${where}: the whole secret is printed`);
  // At most 4 characters of it survive anywhere.
  for (let i = 0; i + 8 <= secret.length; i++)
    assert.ok(!output.includes(secret.slice(i, i + 8)), `${where}: 8 characters of the secret are printed ("${secret.slice(i, i + 8)}")`);
}

test('secrets: redact() hides every credential shape the issue lists, at most 4 characters kept', async () => {
  const { redact, findSecrets } = await import('../../server/src/engine/secrets');
  for (const shape of SHAPES) {
    assert.ok(findSecrets(shape.inText).length > 0, `${shape.name} is recognised`);
    assertHidden(redact(shape.inText), shape.secret, shape.name);
    assert.equal(redact(redact(shape.inText)), redact(shape.inText), `${shape.name}: redaction is idempotent`);
  }
  // Not secrets: left as they are.
  for (const text of [
    'postgresql://user:password@localhost/db',
    'https://example.com/?page=2&sort=name',
    '%env CUDA_VISIBLE_DEVICES=0',
    'git+https://github.com/acme/public.git',
    'sk-learn is not a key',
  ]) {
    assert.equal(redact(text), text, text);
  }
});

test('secrets: a pathological text is redacted in linear time', async () => {
  const { redact } = await import('../../server/src/engine/secrets');
  const started = Date.now();
  for (const text of [
    'a://'.repeat(50_000),
    `${'x:'.repeat(50_000)}@`,
    `?${'k=v&'.repeat(50_000)}`,
    `-----BEGIN RSA PRIVATE KEY-----${'A'.repeat(200_000)}`,
    '%env '.repeat(40_000),
    `eyJ${'a'.repeat(100_000)}.`,
  ]) {
    redact(text);
  }
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('secrets: other rules never print what hardcoded-secret redacts on the same line (chained-assignment, unversioned-artifact)', async () => {
  const engine = await createEngine();
  const text = [
    'import pandas as pd',
    'import joblib',
    'df = pd.read_csv("x.csv")',
    'df[df.a > 0]["password"] = "q9Tv-R2mW7zL4pXe"',
    'df[df.a > 0]["token"] = "sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq"',
    'joblib.dump(model, "s3://etl:Zk4-Pw9Lq2Tx@bucket/model.pkl")',
    'joblib.dump(model, "https://store.example.com/m.pkl?sig=a1b2c3d4e5f60718293a")',
    // unversioned-artifact names the path a constant stands for: the credential is on another line.
    'MODEL_URI = "s3://ops:Xq7-Lm3Rt9Vz@b/m.pkl"',
    'joblib.dump(model, MODEL_URI)',
    '',
  ].join('\n');
  const analysis = engine.analyze({ path: 'x.py', kind: 'script', text });
  assert.ok(
    analysis.findings.some((f) => f.rule === 'unversioned-artifact'),
    'unversioned-artifact runs',
  );
  const everything = analysis.findings.map((f) => `${f.message}\n${f.fix?.title ?? ''}`).join('\n');
  assert.ok(
    analysis.findings.some((f) => f.rule === 'unversioned-artifact' && f.message.includes('s3://ops:')),
    'the constant is shown as its path',
  );
  for (const secret of ['q9Tv-R2mW7zL4pXe', 'sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq', 'Zk4-Pw9Lq2Tx', 'a1b2c3d4e5f60718293a', 'Xq7-Lm3Rt9Vz'])
    assertHidden(everything, secret, 'findings');
});

test('secrets: notebook magics (%env, !pip install git+https://TOKEN@…) are found by hardcoded-secret and never printed', async () => {
  const engine = await createEngine();
  const analysis = engine.analyze({
    path: 'nb.ipynb',
    kind: 'notebook',
    cells: [
      { source: '%env OPENAI_API_KEY=sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq\n%env DB_PASSWORD=Pq7-Wz2Lk9Rt', executionCount: 1 },
      { source: '!pip install git+https://Zx8Cv7Bn6Mq5Wz4Lk3Rt@github.com/acme/private.git\nimport private', executionCount: 2 },
    ],
  });
  const secrets = analysis.findings.filter((f) => f.rule === 'hardcoded-secret');
  assert.deepEqual(
    secrets.map((f) => [f.cell, f.range.start.line]),
    [
      [0, 0],
      [0, 1],
      [1, 0],
    ],
  );
  const everything = analysis.findings.map((f) => f.message).join('\n');
  for (const secret of ['sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq', 'Pq7-Wz2Lk9Rt', 'Zx8Cv7Bn6Mq5Wz4Lk3Rt'])
    assertHidden(everything, secret, 'magic findings');
});

test('secrets: every CLI report format (text, json, sarif, github, markdown, readiness) hides secrets in paths, errors and messages', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-sec-'));
  try {
    const secret = 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly';
    // A file whose name is a secret, a notebook that is not JSON and quotes a secret, a secret in a magic.
    fs.writeFileSync(path.join(dir, `${secret}.py`), 'import joblib\njoblib.dump(m, "model.pkl")\n');
    fs.writeFileSync(path.join(dir, 'broken.ipynb'), `{"cells": [ "postgresql://etl:q9Tv-R2mW7zL4pXe@db/x" `);
    fs.writeFileSync(
      path.join(dir, 'nb.ipynb'),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: '%env HF_TOKEN=hf_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5o' }],
      }),
    );
    for (const args of [
      ['check', '--format', 'text'],
      ['check', '--format', 'json'],
      ['check', '--format', 'sarif'],
      ['check', '--format', 'github'],
      ['check', '--format', 'markdown'],
      ['readiness', '--format', 'text'],
      ['readiness', '--format', 'json'],
      ['readiness', '--format', 'markdown'],
      ['readiness', '--format', 'sarif'],
    ]) {
      let out = '';
      const io: CliIo = { out: (s) => void (out += s), err: (s) => void (out += s), isTTY: false, cwd: dir };
      await main([...args, '.'], io);
      for (const hidden of [secret, 'q9Tv-R2mW7zL4pXe', 'hf_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5o']) assertHidden(out, hidden, args.join(' '));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the credential literals of a range are found by binary search exactly as by a scan of every literal', async () => {
  const { secretLiteralsFinder } = await import('../../server/src/engine/secret-literals');
  const { stringValue } = await import('../../server/src/engine/literals');
  const { classifySecret, mayBeSecret } = await import('../../server/src/engine/secrets');
  const { boundName } = await import('../../server/src/engine/secret-literals');
  const engine = await createEngine();
  // Secrets inside and around multi-line strings and f-strings (literals inside literals), and corpus files.
  const crafted = [
    'x = 1\nDOC = """\nline\n"""\npassword = "hunter2Secret!"\ntoken = f"{"ghp_' + 'a'.repeat(36) + '"}"\n',
    `'''long\n${'text\n'.repeat(30)}'''\napi_key = "AKIAQ7XK2M9TR4LP3VWZ"\ncall(secret="sk_live_4eC39HqLyjWDarjtT1zdp7dc")\n`,
  ];
  const corpusDir = path.join(__dirname, '..', 'corpus');
  const files = [
    ...crafted,
    ...fs
      .readdirSync(corpusDir)
      .filter((f) => f.endsWith('.py'))
      .map((f) => fs.readFileSync(path.join(corpusDir, f), 'utf8')),
  ];
  for (const text of files) {
    const syntax = engine.parser.parseSyntax(text);
    const find = secretLiteralsFinder(syntax);
    const literals: { start: number; end: number; secret: string | null }[] = [];
    for (let id = 0; id < syntax.count; id++) {
      if (syntax.typeOf(id) !== 'string') continue;
      const node = syntax.node(id);
      const value = stringValue(node);
      literals.push({
        start: syntax.starts[id],
        end: syntax.ends[id],
        secret: value !== undefined && mayBeSecret(value) && classifySecret(value, boundName(node)?.name) ? value : null,
      });
    }
    for (let from = 0; from <= text.length; from += Math.max(1, Math.floor(text.length / 97))) {
      for (const width of [0, 1, 7, 40, 400]) {
        const to = from + width;
        const expected = literals.filter((l) => l.start < to && l.end > from && l.secret !== null).map((l) => l.secret);
        assert.deepEqual(find(from, to), expected, `${from}-${to}`);
      }
    }
  }
});
