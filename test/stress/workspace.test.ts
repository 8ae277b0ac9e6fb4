import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

test('a workspace of 20,000 files is checked with bounded memory', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-20k-'));
  try {
    for (let i = 0; i < 20_000; i++) {
      const folder = path.join(dir, `pkg_${Math.floor(i / 500)}`);
      if (i % 500 === 0) fs.mkdirSync(folder);
      const body =
        i % 10 === 0
          ? 'from sklearn.model_selection import train_test_split\nparts = train_test_split(X, y)\n'
          : `import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef step_${i}(frame):\n    logger.info("step %d", ${i})\n    return frame.dropna()\n`;
      fs.writeFileSync(path.join(folder, `module_${i}.py`), body);
    }
    const result = spawnSync(
      process.execPath,
      ['--require', path.join(__dirname, 'report-rss.cjs'), cli, 'check', '--format', 'json', '--select', 'missing-seed', '.'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
    );
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.summary.files, 20_000);
    assert.equal(report.summary.findings, 2_000);
    assert.equal(report.summary.errors, 0);
    const maxRss = Number(/MAXRSS_KB (\d+)/.exec(result.stderr)?.[1]);
    console.log(`20,000 files: peak RSS ${(maxRss / 1024).toFixed(0)} MB`);
    assert.ok(maxRss < 1024 * 1024, `peak memory ${(maxRss / 1024).toFixed(0)} MB stays under 1 GB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
