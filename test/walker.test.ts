import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readinessSkipsFolder, walkWorkspace, walkWorkspaceAsync } from '../server/src/engine/index';
import { listFiles } from '../server/src/engine/readiness/workspace';
import { tempProject } from './helpers/temp-dir';

const project = (files: Record<string, string>): string => tempProject('mlready-walk-', files);

const relative = (root: string, files: readonly string[]) => files.map((file) => path.relative(root, file).split(path.sep).join('/'));

test('one walker: .gitignore at every level (a deeper one may re-include), skip list, virtual environments, excludes', () => {
  const root = project({
    '.gitignore': 'generated/\n*.tmp.py\n',
    'train.py': '',
    'scratch.tmp.py': '',
    'src/.gitignore': '!keep.tmp.py\n',
    'src/keep.tmp.py': '',
    'src/model.py': '',
    'generated/out.py': '',
    'node_modules/pkg/x.py': '',
    'env/pyvenv.cfg': 'home = /usr/bin\n',
    'env/lib/site.py': '',
    'build/b.py': '',
    'notebooks/a.ipynb': '{}',
    'notes.md': '',
  });
  try {
    const walked = walkWorkspace(root, { exclude: ['build/**'] });
    assert.deepEqual(relative(root, walked.files), ['notebooks/a.ipynb', 'src/keep.tmp.py', 'src/model.py', 'train.py']);
    assert.deepEqual(walked.errors, []);
    const everything = walkWorkspace(root, { accept: () => true, skipFolder: (name) => name === 'notebooks' });
    assert.ok(relative(root, everything.files).includes('notes.md'));
    assert.ok(!relative(root, everything.files).some((file) => file.startsWith('notebooks/')), 'skipFolder leaves the folder out');
    const capped = walkWorkspace(root, { maxFiles: 2 });
    assert.equal(capped.files.length, 2);
    assert.equal(capped.truncated, true);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a dangling link is an error only where a file to check should be (fastapi/full-stack-fastapi-template links skills from a .venv not yet created)', () => {
  const root = project({ 'train.py': '', '.gitignore': 'ignored.py\n' });
  try {
    fs.mkdirSync(path.join(root, '.agents/skills'), { recursive: true });
    fs.symlinkSync(path.join(root, '.venv/skills/fastapi'), path.join(root, '.agents/skills/fastapi'));
    fs.symlinkSync(path.join(root, 'missing.md'), path.join(root, 'notes.md'));
    fs.symlinkSync(path.join(root, 'missing.py'), path.join(root, 'dangling.py'));
    fs.symlinkSync(path.join(root, 'gone.py'), path.join(root, 'ignored.py'));
    const walked = walkWorkspace(root);
    assert.deepEqual(relative(root, walked.files), ['train.py']);
    assert.deepEqual(
      relative(
        root,
        walked.errors.map((error) => error.path),
      ),
      ['dangling.py'],
    );
    assert.deepEqual(
      relative(
        root,
        walked.skipped.map((link) => link.path),
      ).sort(),
      ['.agents/skills/fastapi', 'ignored.py', 'notes.md'],
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the async walk lists what the sync walk lists, pauses as it goes, and stops when a pause throws', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 450; i++) files[`pkg${i % 9}/m${i}.py`] = '';
  const root = project(files);
  try {
    const sync = walkWorkspace(root);
    let pauses = 0;
    const walked = await walkWorkspaceAsync(root, { pause: async () => void pauses++ });
    assert.deepEqual(walked.files, sync.files);
    assert.equal(walked.files.length, 450);
    assert.ok(pauses >= 2, `paused ${pauses} times`);
    await assert.rejects(
      walkWorkspaceAsync(root, {
        pause: async () => {
          throw new Error('cancelled');
        },
      }),
      /cancelled/,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('readiness lists files with the same walker: links outside the root skipped, dangling links reported, folders without evidence left out', async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-outside-'));
  const root = project({ 'train.py': '', '.vscode/settings.json': '{}', 'mlruns/0/meta.yaml': '', '.github/workflows/ci.yml': '', 'README.md': '' });
  try {
    fs.writeFileSync(path.join(outside, 'secret.py'), '');
    fs.symlinkSync(path.join(outside, 'secret.py'), path.join(root, 'linked.py'));
    fs.symlinkSync(path.join(root, 'missing.py'), path.join(root, 'dangling.py'));
    const listed = await listFiles(root);
    assert.deepEqual(listed.files, ['.github/workflows/ci.yml', 'README.md', 'train.py']);
    assert.deepEqual(
      listed.skipped.map((link) => link.path),
      ['linked.py'],
    );
    assert.deepEqual(
      listed.errors.map((error) => error.path),
      ['dangling.py'],
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('readinessSkipsFolder: the folders the readiness scan leaves out, which the server also ignores changes under', () => {
  for (const [name, fromRoot] of [
    ['.git', '.git'],
    ['node_modules', 'web/node_modules'],
    ['mlruns', 'mlruns'],
    ['wandb', 'experiments/wandb'],
    ['.idea', '.idea'],
    ['cache', '.dvc/cache'],
    ['site-packages', 'lib/site-packages'],
  ]) {
    assert.equal(readinessSkipsFolder(name, fromRoot), true, fromRoot);
  }
  for (const [name, fromRoot] of [
    ['.github', '.github'],
    ['workflows', '.github/workflows'],
    ['.dvc', '.dvc'],
    ['src', 'src'],
    ['cache', 'src/cache'],
  ]) {
    assert.equal(readinessSkipsFolder(name, fromRoot), false, fromRoot);
  }
});
