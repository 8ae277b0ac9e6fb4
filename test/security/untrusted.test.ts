import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandbox, cli, FIXABLE } from './helpers';

test('untrusted: readiness --no-attestations (CI on forks) ignores attestations a pull request could have written, and says so', async () => {
  const box = sandbox();
  try {
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    fs.writeFileSync(
      path.join(box.root, 'mlready.toml'),
      '[readiness.problem-iterative-expectations]\nstatus = "attested"\nby = "Mallory"\ndate = 2025-01-01\n',
    );
    const status = (report: { categories: { items: { id: string; status: string }[] }[] }) =>
      report.categories.flatMap((c) => c.items).find((i) => i.id === 'problem-iterative-expectations')?.status;
    const trusted = JSON.parse((await cli(['readiness', '--format', 'json', '.'], box.root)).out);
    assert.equal(status(trusted), 'attested');
    const untrusted = JSON.parse((await cli(['readiness', '--no-attestations', '--format', 'json', '.'], box.root)).out);
    assert.notEqual(status(untrusted), 'attested');
    assert.ok(untrusted.score < trusted.score, 'the attestation no longer raises the score');
    assert.ok(untrusted.problems.some((p: { message: string }) => /attestations .* are ignored/.test(p.message)));
  } finally {
    box.done();
  }
});
