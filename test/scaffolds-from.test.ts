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
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < rows; i++) {
    const s = i % 3;
    lines.push(
      [
        (5 + 0.8 * s + random()).toFixed(2),
        (0.3 + 0.8 * s + random() / 2).toFixed(2),
        ['red', 'green', 'blue'][i % 3],
        ['setosa', 'versicolor', 'virginica'][s],
      ].join(','),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function notebook(cells: string[], metadata: object = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    // A source starting with `## ` is a markdown cell (a heading), as notebooks interleave them.
    cells: cells.map((source, i) =>
      source.startsWith('## ')
        ? { cell_type: 'markdown', metadata: {}, source }
        : { cell_type: 'code', execution_count: i + 1, metadata: {}, outputs: [], source },
    ),
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
    const given = await generateScaffoldWithReport('pipeline', {
      from: 'nb.ipynb',
      data: path.join(outside, 'private.csv'),
      target: 'species',
      out: 'svc',
      cwd: dir,
    });
    assert.equal(given.dataFile, path.join(outside, 'private.csv'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// No secret in generated code

/** Seeded test secrets (not real credentials), in the shapes notebooks carry them. */
const KEYS = {
  openai: 'sk-proj-Zq8Lm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq',
  hf: 'hf_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5o',
  password: 'Tq9v-R2mW7zL4pXe',
  github: 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly',
  env: 'sk-9fQ2xLm4Rt7Vb1Nc8Kd3Hs6Jw0Pz5Ya2Ge7Ui4Oq',
  aws: 'AKIAQ7XK2M9TR4LP3VWZ',
};

test('--from: every credential becomes an environment read or is dropped; none is copied, none suppressed, and check is clean', async (t) => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    fs.writeFileSync(
      path.join(dir, 'nb.ipynb'),
      notebook([
        `%env OPENAI_API_KEY=${KEYS.env}\n%env MPLBACKEND=Agg\n!pip install git+https://${KEYS.github}@github.com/acme/private-lib.git`,
        `import os\nimport pandas as pd\nimport requests\nfrom sklearn.ensemble import RandomForestClassifier\nOPENAI_KEY = "${KEYS.openai}"\nHF_TOKEN = "${KEYS.hf}"  # old one: ${KEYS.hf.slice(0, 10)}x${KEYS.hf.slice(11)}`,
        `DB = "postgresql://etl:${KEYS.password}@db.internal:5432/warehouse"\nheaders = {"Authorization": f"Bearer ${KEYS.openai}"}\n# AWS key for the bucket: ${KEYS.aws}\ndf = pd.read_csv("data/train.csv")`,
        'X = df.drop(columns=["species"])\ny = df["species"]\nclf = RandomForestClassifier(n_estimators=50, max_depth=4, random_state=3)\nclf.fit(X.select_dtypes("number"), y)\nprint("MSE: %.2f"\n% 0.5)',
      ]),
    );
    const result = await cli(['all', '--from', 'nb.ipynb', '--target', 'species', '--out', 'svc'], dir);
    assert.equal(result.code, 0, result.err);
    const generated: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const file = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(file);
        else generated.push(file);
      }
    };
    walk(path.join(dir, 'svc'));
    for (const file of generated) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [name, key] of Object.entries(KEYS)) {
        assert.ok(!text.includes(key.slice(4, 14)), `${path.relative(dir, file)} carries the ${name} secret:\n${text}`);
      }
      assert.doesNotMatch(text, /ignore(?:-file)?\[[^\]]*hardcoded-secret/, `${path.relative(dir, file)} suppresses a secret`);
    }
    assert.ok(!(result.out + result.err).includes(KEYS.openai.slice(4, 14)), 'the CLI output does not print a secret');
    const steps = fs.readFileSync(path.join(dir, 'svc', 'pipeline', 'steps.py'), 'utf8');
    assert.match(steps, /OPENAI_KEY = os\.environ\["OPENAI_KEY"\]/);
    assert.match(steps, /HF_TOKEN = os\.environ\["HF_TOKEN"\]/);
    assert.match(steps, /DB = os\.environ\["DB"\]/);
    assert.match(steps, /os\.environ\["MPLBACKEND"\] = "Agg"/, 'a %env that is no credential is carried over');
    assert.match(steps, /print\("MSE: %\.2f"[^\n]*\n\s+% 0\.5\)/, 'the modulo continuation line is carried over as Python');
    assert.doesNotMatch(steps, /removed IPython line|!pip|%env/);
    const readme = fs.readFileSync(path.join(dir, 'svc', 'README.md'), 'utf8');
    assert.match(readme, /\| 1 \| `%env OPENAI_API_KEY=…` \| its value is a credential: set OPENAI_API_KEY in the environment \|/);
    assert.match(readme, /\| 1 \| `!pip install git\+https:\/\/(?:ghp_)?…@github\.com\/acme\/private-lib\.git` \| a shell command \|/);
    assert.match(readme, /set `[^\n]*OPENAI_API_KEY[^\n]*` before running/);
    // The generated project passes mlready's own check, with nothing suppressed on a secret.
    let out = '';
    const io: CliIo = { out: (s) => void (out += s), err: (s) => void (out += s), isTTY: false, cwd: dir };
    const code = await main(['check', 'svc'], io);
    assert.equal(code, 0, out);
    const compiled = await run(PYTHON, ['-m', 'py_compile', path.join(dir, 'svc', 'pipeline', 'steps.py')]).then(
      () => true,
      (error) => String(error),
    );
    if (typeof compiled === 'string' && /ENOENT/.test(compiled)) t.skip('no /usr/bin/python3');
    else assert.equal(compiled, true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// The notebook's work, carried over faithfully

test("--from: the pipeline trains the notebook's estimator with its hyper-parameters, after its feature steps; %%writefile writes inside the output folder only", async (t) => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    fs.writeFileSync(
      path.join(dir, 'nb.ipynb'),
      notebook([
        'import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\nC_VALUE = 0.5\ndf = pd.read_csv("data/train.csv")',
        'df["ratio"] = df["sepal_length"] / (df["petal_width"] + 1)\ndf["log_sepal"] = np.log1p(df.sepal_length)\ndf["is_red"] = (df["colour"] == "red").astype(int)\ndf.plot()\ndf["leak"] = df["species"].str.len()\ndf = df.dropna()\ndf["late"] = df["sepal_length"] * 3',
        '%%writefile helpers/util.py\ndef double(x):\n    return 2 * x',
        '%%writefile /tmp/evil.py\nprint("outside")',
        '%%writefile ../escape.txt\nno',
        'X = df.drop(columns=["species"])\ny = df["species"]\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=11)\nmodel = LogisticRegression(C=C_VALUE, max_iter=500, solver="lbfgs", class_weight=weights)\nmodel.fit(X_train.select_dtypes("number"), y_train)',
      ]),
    );
    const result = await generateScaffoldWithReport('all', { from: 'nb.ipynb', out: 'svc', cwd: dir });
    assert.equal(result.target, 'species', 'the target the notebook predicts');
    const steps = result.files.find((f) => f.path === 'pipeline/steps.py')!.content;
    assert.match(
      steps,
      /return LogisticRegression\(C=0\.5, max_iter=500, solver="lbfgs"\)/,
      'literal hyper-parameters, constants inlined; the notebook variable left out',
    );
    assert.match(
      steps,
      /def features\(frame\):\n[\s\S]*?    import numpy as np\n\n    df = frame\.copy\(\)\n    df\["ratio"\] = df\["sepal_length"\] \/ \(df\["petal_width"\] \+ 1\)\n    df\["log_sepal"\] = np\.log1p\(df\.sepal_length\)\n    df\["is_red"\] = \(df\["colour"\] == "red"\)\.astype\(int\)\n    return df\n/,
    );
    const readme = result.files.find((f) => f.section === 'notebook')!.content;
    assert.match(readme, /\| 2 \| `df = df\.dropna\(\)` \| `dropna` changes the rows/);
    assert.match(readme, /\| 2 \| `df\["leak"\] = df\["species"\]\.str\.len\(\)` \| it uses the target `species`/);
    assert.match(readme, /\| 6 \| `class_weight=` of `LogisticRegression` \| it uses the notebook's own variables/);
    assert.match(readme, /\| 4 \| `%%writefile \/tmp\/evil\.py` \| it writes outside the generated project/);
    assert.match(readme, /\| 5 \| `%%writefile \.\.\/escape\.txt` \| it writes outside the generated project/);
    assert.equal(result.files.find((f) => f.path === 'helpers/util.py')?.content, 'def double(x):\n    return 2 * x\n');
    assert.ok(!result.files.some((f) => /evil|escape/.test(f.path)));

    const written = await cli(['all', '--from', 'nb.ipynb', '--out', 'svc'], dir);
    assert.equal(written.code, 0, written.err);
    assert.equal(fs.existsSync('/tmp/evil.py') && fs.readFileSync('/tmp/evil.py', 'utf8').includes('outside'), false);
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', MPLBACKEND: 'Agg' };
    const trained = await run(PYTHON, ['-m', 'pipeline.train'], { cwd: path.join(dir, 'svc'), env, timeout: 300_000 }).catch(
      (error: NodeJS.ErrnoException & { stderr?: string }) => error,
    );
    if ((trained as NodeJS.ErrnoException).code === 'ENOENT') return t.skip('no /usr/bin/python3');
    assert.ok(!(trained instanceof Error), String((trained as { stderr?: string }).stderr ?? trained));
    const models = fs.readdirSync(path.join(dir, 'svc', 'models')).filter((f) => /^model-[^.]+\.json$/.test(f));
    const metadata = JSON.parse(fs.readFileSync(path.join(dir, 'svc', 'models', models[0]!), 'utf8'));
    assert.equal(metadata.params.estimator, 'LogisticRegression');
    const tests = await run(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: path.join(dir, 'svc'), env, timeout: 300_000 }).catch(
      (error: { stdout?: string }) => error,
    );
    assert.ok(!(tests instanceof Error), String((tests as { stdout?: string }).stdout ?? tests));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--from: a Python 2 notebook gets a clear message', async () => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    fs.writeFileSync(
      path.join(dir, 'py2.ipynb'),
      notebook(['import pandas as pd\ndf = pd.read_csv("data/train.csv")'], { kernelspec: { name: 'python2', display_name: 'Python 2' } }),
    );
    fs.writeFileSync(path.join(dir, 'print.ipynb'), notebook(['import pandas as pd\ndf = pd.read_csv("data/train.csv")\nprint df.shape']));
    for (const file of ['py2.ipynb', 'print.ipynb']) {
      const result = await cli(['pipeline', '--from', file, '--target', 'species', '--out', 'svc'], dir);
      assert.equal(result.code, 2, file);
      assert.match(result.err, /Python 2 .*Python 3 code only; convert it first/, file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--from: what cannot be carried is left out and listed, and steps.py still parses (shapes from real notebooks)', async () => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    const cases: Array<{ cells: string[]; steps: RegExp[]; absent?: RegExp[]; readme: RegExp[] }> = [
      {
        // A meta-estimator built from notebook variables: the default model, not a TypeError at training.
        cells: [
          'import pandas as pd\nfrom sklearn.ensemble import VotingClassifier, RandomForestClassifier\nfrom sklearn.linear_model import LogisticRegression\ndf = pd.read_csv("data/train.csv")\nmodels = [("rf", RandomForestClassifier()), ("lr", LogisticRegression())]\nX = df.drop(columns=["species"])\ny = df["species"]\nvote = VotingClassifier(estimators=models, voting="soft")\nvote.fit(X, y)',
        ],
        steps: [/def run_notebook_steps/],
        absent: [/def build_estimator/],
        readme: [/\| 1 \| `VotingClassifier\(\.\.\.\)` \| its estimators or positional arguments come from the notebook's own variables/],
      },
      {
        // codebasics/py ML/19_Bagging: the wrapped estimator is built in the call, not taken from a variable.
        cells: [
          'import pandas as pd\nfrom sklearn.ensemble import BaggingClassifier\nfrom sklearn.tree import DecisionTreeClassifier\ndf = pd.read_csv("data/train.csv")\nX = df.drop(columns=["species"])\ny = df["species"]\nbag = BaggingClassifier(base_estimator=DecisionTreeClassifier(), n_estimators=100, random_state=0)\nbag.fit(X, y)',
        ],
        steps: [/def run_notebook_steps/],
        absent: [/def build_estimator/],
        readme: [/\| `BaggingClassifier\(\.\.\.\)` \| it builds the estimators it wraps in its own call/],
      },
      {
        // codebasics/py ML/9_decision_tree: an unseeded tree gets the pipeline's seed (the generated tests train twice and compare).
        cells: [
          'import pandas as pd\nfrom sklearn import tree\ndf = pd.read_csv("data/train.csv")\nX = df.drop(columns=["species"])\ny = df["species"]\nmodel = tree.DecisionTreeClassifier()\nmodel.fit(X, y)',
        ],
        steps: [/return DecisionTreeClassifier\(random_state=pipeline_config\.SEED\)/],
        readme: [],
      },
      {
        // Feature steps: drops ignore what the model never gets; a column read as an attribute must exist; renaming all columns is not a feature.
        cells: [
          'import pandas as pd\ndf = pd.read_csv("data/train.csv")\ndf = df.drop(columns=["id", "colour"])\ndf["size"] = df.sepal_length * 2\ndf["age2"] = df.age * 2\ndf.columns = ["a", "b", "c"]\nX = df.drop("species", axis=1)',
        ],
        steps: [/    df = df\.drop\(columns=\["id", "colour"\], errors="ignore"\)\n    df\["size"\] = df\.sepal_length \* 2\n    return df/],
        readme: [
          /`df\["age2"\] = df\.age \* 2` \| it reads `age`, which the pipeline does not feed/,
          /`df\.columns = \["a", "b", "c"\]` \| it sets the frame's columns/,
        ],
      },
      {
        // A cell with a syntax error (a book showing invalid code), a %timeit over two lines, a cell of comments only.
        cells: [
          'import pandas as pd\ndf = pd.read_csv("data/train.csv")',
          'df.loc[(:, 1), (:, "HR")]\nz = 1',
          '%timeit sum(range(10),\n         0)\nw = 2',
          '# %%sql\n# SELECT 1;',
        ],
        steps: [/    z = 1/, /    w = 2/],
        absent: [/\(:, 1\)|timeit|range\(10\)/],
        readme: [/\| 2 \| `df\.loc\[\(:, 1\), \(:, "HR"\)\]` \| not valid Python 3/, /\| 3 \| `%timeit sum\(range\(10\), 0\)` \| an IPython magic \|/],
      },
      {
        // Markdown cells count in the numbering, as VS Code and Jupyter show it: the code cells are Cells 2 and 4.
        cells: ['## Load', 'import pandas as pd\ndf = pd.read_csv("data/train.csv")', '## Explore', '%matplotlib inline\nv = 3'],
        steps: [/    # Cell 2\n    import pandas|    # Cell 2\n    df = pd\.read_csv/, /    # Cell 4\n    v = 3/],
        absent: [/# Cell [13]\b/],
        readme: [/\| 4 \| `%matplotlib inline` \| an IPython magic \|/],
      },
      {
        cells: ['# nothing but a comment\n%matplotlib inline'],
        steps: [/def run_notebook_steps\(\) -> None:\n    # Cell 1\n    # nothing but a comment\n    pass\n/],
        readme: [/`%matplotlib inline`/],
      },
    ];
    for (const { cells, steps: expected, absent, readme: listed } of cases) {
      fs.writeFileSync(path.join(dir, 'nb.ipynb'), notebook(cells));
      const result = await generateScaffoldWithReport('pipeline', { from: 'nb.ipynb', data: 'data/train.csv', target: 'species', out: 'svc', cwd: dir });
      const steps = result.files.find((f) => f.path === 'pipeline/steps.py')!.content;
      const readme = result.files.find((f) => f.section === 'notebook')!.content;
      for (const pattern of expected) assert.match(steps, pattern);
      for (const pattern of absent ?? []) assert.doesNotMatch(steps, pattern);
      for (const pattern of listed) assert.match(readme, pattern);
      fs.mkdirSync(path.join(dir, 'check'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'check', 'steps.py'), steps);
      const compiled = await run(PYTHON, ['-m', 'py_compile', path.join(dir, 'check', 'steps.py')]).then(
        () => '',
        (error: { stderr?: string; code?: string }) => (error.code === 'ENOENT' ? '' : String(error.stderr)),
      );
      assert.equal(compiled, '', steps);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("--from: a notebook function's global of a notebook-level name becomes nonlocal inside run_notebook_steps()", async () => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    fs.writeFileSync(
      path.join(dir, 'nb.ipynb'),
      notebook([
        'import pandas as pd\ndf = pd.read_csv("data/train.csv")\nITERATION = 0\ndef objective():\n    global ITERATION, OTHER\n    ITERATION += 1\ndef step():\n    global ITERATION\n    ITERATION += 1\n    return ITERATION',
        'global ITERATION\nITERATION = 0\nprint(step())',
      ]),
    );
    const result = await generateScaffoldWithReport('pipeline', { from: 'nb.ipynb', target: 'species', out: 'svc', cwd: dir });
    const steps = result.files.find((f) => f.path === 'pipeline/steps.py')!.content;
    assert.match(steps, /        global ITERATION, OTHER\n/, 'OTHER is not a notebook-level name: left as it was');
    assert.match(steps, /        nonlocal ITERATION\n        ITERATION \+= 1\n        return ITERATION/);
    assert.doesNotMatch(steps, /^    global ITERATION$/m);
    fs.mkdirSync(path.join(dir, 'check'));
    fs.writeFileSync(path.join(dir, 'check', 'steps.py'), steps.replace(/^from pipeline import .*$/m, ''));
    const compiled = await run(PYTHON, ['-m', 'py_compile', path.join(dir, 'check', 'steps.py')]).then(
      () => '',
      (error: { stderr?: string; code?: string }) => (error.code === 'ENOENT' ? '' : String(error.stderr)),
    );
    assert.equal(compiled, '', steps);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--from: the target is the column the notebook predicts, however it names the labels; a missing notebook is a clear error', async () => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'data'));
    writeCsv(path.join(dir, 'data', 'train.csv'));
    const shapes = [
      'y = df["species"]',
      'housing_labels = train_set["species"].copy()',
      'y = df.pop("species")',
      'X = df.drop(columns=["species"])',
      'labels = df.species.values',
    ];
    for (const shape of shapes) {
      fs.writeFileSync(path.join(dir, 'nb.ipynb'), notebook([`import pandas as pd\ndf = pd.read_csv("data/train.csv")\ntrain_set = df\n${shape}`]));
      const result = await generateScaffoldWithReport('pipeline', { from: 'nb.ipynb', out: 'svc', cwd: dir });
      assert.equal(result.target, 'species', shape);
    }
    const missing = await cli(['pipeline', '--from', 'nope.ipynb', '--out', 'svc'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--from nope\.ipynb: no such file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
