import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../server/src/cli';
import type { CliIo } from '../server/src/cli/io';

/** Seeded test secrets (not real credentials) in the shapes users commit. */
export const SEEDED_SECRETS = [
  'sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq',
  'AKIAQ7XK2M9TR4LP3VWZ',
  'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly',
  'hf_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5o',
  'q9Tv-R2mW7zL4pXe',
];

export function writeSecretProject(dir: string): void {
  fs.writeFileSync(
    path.join(dir, 'settings.py'),
    [
      'import psycopg2',
      `OPENAI_API_KEY = "${SEEDED_SECRETS[0]}"`,
      `aws_access_key_id = "${SEEDED_SECRETS[1]}"`,
      `GITHUB_TOKEN = "${SEEDED_SECRETS[2]}"`,
      `conn = psycopg2.connect(host="db", user="etl", password="${SEEDED_SECRETS[4]}")`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'nb.ipynb'),
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: `from huggingface_hub import login\nlogin(token="${SEEDED_SECRETS[3]}")` },
      ],
    }),
  );
}

export function assertNoSecret(text: string, where: string): void {
  for (const secret of SEEDED_SECRETS) {
    assert.ok(!text.includes(secret), `${where} prints the secret ${secret.slice(0, 4)}… in full`);
    // Not even a long prefix: at most the first 4 characters.
    assert.ok(!text.includes(secret.slice(0, 8)), `${where} prints more than 4 characters of ${secret.slice(0, 4)}…`);
  }
}

test('secrets are found and never printed whole in any output format', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-secrets-'));
  try {
    writeSecretProject(dir);
    for (const format of ['text', 'json', 'sarif', 'github', 'markdown']) {
      let out = '';
      let err = '';
      const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: dir };
      const code = await main(['check', '--format', format, '.'], io);
      assert.equal(code, 1, format);
      assert.match(out, /hardcoded-secret/, `${format} reports the secrets`);
      assertNoSecret(out + err, `--format ${format}`);
    }
    let json = '';
    await main(['check', '--format', 'json', '--select', 'hardcoded-secret', '.'], {
      out: (s) => void (json += s),
      err: () => undefined,
      isTTY: false,
      cwd: dir,
    });
    const findings = JSON.parse(json).files.flatMap((file: { findings: unknown[] }) => file.findings);
    assert.equal(findings.length, SEEDED_SECRETS.length, 'every seeded secret is found');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
