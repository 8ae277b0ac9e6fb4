// The bundles as esbuild writes them (scripts/build.mjs's options, unminified so modules keep
// their names): every engine module they use runs its top-level code when loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.join(__dirname, '..');

/**
 * A `require` of an engine module made esbuild load the whole engine lazily (each module wrapped
 * in `__esm`, initialised by its importers), and with `sideEffects` naming only the entry points
 * the extension's bundle never initialised `server/src/engine/secrets.ts`: the redaction of the
 * protocol trace threw, and the notification being traced was not sent.
 */
test('the extension and server bundles load no engine module lazily', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-bundles-'));
  try {
    esbuild.buildSync({
      entryPoints: { extension: path.join(ROOT, 'client/src/extension.ts'), server: path.join(ROOT, 'server/src/server.ts') },
      outdir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode'],
      mainFields: ['module', 'main'],
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'silent',
    });
    for (const name of ['extension.js', 'server.js']) {
      const code = fs.readFileSync(path.join(outdir, name), 'utf8');
      const lazy = [...code.matchAll(/__esm\(\{\s*"(server\/src\/[^"]+)"/g)].map((match) => match[1]);
      assert.deepEqual(lazy, [], `${name} loads these modules lazily`);
      assert.match(code, /redactedMemo = /, `${name} holds the redaction`);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

/**
 * `import './schema'` sets zod's English messages for every schema (server/src/engine/schema.ts).
 * With `sideEffects` naming only the entry points, esbuild dropped that import from every bundle:
 * from source a notebook with a bad cell type said `Invalid option: expected one of
 * "code"|"markdown"|"raw"`, from `dist/` only `Invalid input`. Checked here through the program
 * users run (the message comes from a check worker's bundle).
 */
test("the bundles keep zod's English messages: an invalid notebook says what was expected", async () => {
  const { spawnSync } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-bundle-messages-'));
  try {
    const notebook = { cells: [{ cell_type: 'bogus', source: '', metadata: {} }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    fs.writeFileSync(path.join(dir, 'bad.ipynb'), JSON.stringify(notebook));
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const [file] = JSON.parse(result.stdout).files;
    assert.match(file.error, /cells\.0\.cell_type: Invalid option: expected one of "code"\|"markdown"\|"raw"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
