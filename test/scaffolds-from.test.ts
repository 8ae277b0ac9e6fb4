// `scaffold --from` a notebook: magics as IPython reads them, no secret in generated code, no
// read outside the folder the user chose, and the notebook's model carried into the pipeline.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { generateScaffoldWithReport, ScaffoldError } from '../server/src/engine/scaffolds/index';
import { run as scaffoldCli } from '../server/src/cli/scaffold';
import { main } from '../server/src/cli';
import type { CliIo } from '../server/src/cli/io';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-from-'));
}

function writeCsv(file: string, rows = 120): void {
  const lines = ['sepal_length,petal_width,colour,species'];
  let state = 7;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < rows; i++) {
    const s = i % 3;
    lines.push([(5 + 0.8 * s + random()).toFixed(2), (0.3 + 0.8 * s + random() / 2).toFixed(2), ['red', 'green', 'blue'][i % 3], ['setosa', 'versicolor', 'virginica'][s]].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function notebook(cells: string[], metadata: object = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: cells.map((source, i) => ({ cell_type: 'code', execution_count: i + 1, metadata: {}, outputs: [], source })),
  });
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd };
  try {
    const code = await scaffoldCli(args, io);
    return { code, out, err };
  } catch (error) {
    return { code: 2, out, err: err + (error instanceof Error ? error.message : String(error)) };
  }
}

// ---------------------------------------------------------------------------------------------
// Reads stay inside the folder the user chose

test('--from: the data path a notebook names is read only when it resolves inside the chosen folder', async () => {
  const dir = tempDir();
  const outside = tempDir();
  try {
    writeCsv(path.join(outside, 'private.csv'));
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    fs.symlinkSync(path.join(outside, 'private.csv'), path.join(dir, 'data', 'link.csv'));
    const cases: Array<[string, RegExp]> = [
      [path.join(outside, 'private.csv'), /resolves outside|is outside/],
      ['../' + path.basename(outside) + '/private.csv', /outside/],
      ['data/link.csv', /resolves outside/],
      ['data/missing.csv', /does not exist/],
      ['https://user:pw@example.com/data.csv?token=abc', /not a local file/],
    ];
    for (const [named, expected] of cases) {
      fs.writeFileSync(path.join(dir, 'nb.ipynb'), notebook([`import pandas as pd\ndf = pd.read_csv(${JSON.stringify(named)})`]));
      await assert.rejects(
        generateScaffoldWithReport('pipeline', { from: 'nb.ipynb', target: 'species', out: 'svc', cwd: dir }),
        (error: unknown) => error instanceof ScaffoldError && expected.test(error.message) && /--data/.test(error.message) && !error.message.includes('pw@'),
        named,
      );
      const result = await cli(['pipeline', '--from', 'nb.ipynb', '--target', 'species', '--out', 'svc'], dir);
      assert.equal(result.code, 2, named);
      assert.match(result.err, expected);
      assert.equal(fs.existsSync(path.join(dir, 'svc')), false, 'nothing written');
    }
    // Inside: used. The user's own --data is not limited.
    fs.writeFileSync(path.join(dir, 'nb.ipynb'), notebook(['import pandas as pd\ndf = pd.read_csv("data/train.csv")']));
    const inside = await generateScaffoldWithReport('pipeline', { from: 'nb.ipynb', target: 'species', out: 'svc', cwd: dir });
    assert.equal(inside.dataFile, fs.realpathSync(path.join(dir, 'data', 'train.csv')));
    fs.writeFileSync(path.join(dir, 'nb.ipynb'), notebook([`import pandas as pd\ndf = pd.read_csv(${JSON.stringify(path.join(outside, 'private.csv'))})`]));
    const given = await generateScaffoldWithReport('pipeline', { from: 'nb.ipynb', data: path.join(outside, 'private.csv'), target: 'species', out: 'svc', cwd: dir });
    assert.equal(given.dataFile, path.join(outside, 'private.csv'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
