import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandbox, cli, FIXABLE, FIXED } from './helpers';
import { replaceFileContents, readRegularFile, realRoot } from '../../server/src/engine/safe-fs';

test('writes: planted `.<file>.mlready-<pid>.tmp` links cannot make --fix overwrite a file outside the repository', async () => {
  const box = sandbox();
  try {
    const victim = path.join(box.outside, 'authorized_keys');
    fs.writeFileSync(victim, 'ssh-ed25519 AAAA owner\n');
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    // The names the old code used (pid of this process and of nearby ones; the pool's workers are threads).
    for (let pid = process.pid - 5; pid <= process.pid + 5; pid++) fs.symlinkSync(victim, path.join(box.root, `.train.py.mlready-${pid}.tmp`));
    const { code } = await cli(['check', '--fix', '--exit-zero', '.'], box.root);
    assert.equal(code, 0);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'ssh-ed25519 AAAA owner\n', 'the file outside is untouched');
    assert.ok(
      fs.lstatSync(path.join(box.root, 'train.py')).isFile() && !fs.lstatSync(path.join(box.root, 'train.py')).isSymbolicLink(),
      'the source file is still a regular file',
    );
    assert.equal(fs.readFileSync(path.join(box.root, 'train.py'), 'utf8'), FIXED);
    assert.deepEqual(
      fs.readdirSync(box.root).filter((name) => name.endsWith('.tmp') && !fs.lstatSync(path.join(box.root, name)).isSymbolicLink()),
      [],
      'no temporary file is left',
    );
  } finally {
    box.done();
  }
});

test('writes: a link to a file outside the root is not followed by check or --fix, and is reported once as skipped', async () => {
  const box = sandbox();
  try {
    const outsideFile = path.join(box.outside, 'secret_model.py');
    fs.writeFileSync(outsideFile, FIXABLE);
    fs.symlinkSync(outsideFile, path.join(box.root, 'linked.py'));
    fs.symlinkSync(box.outside, path.join(box.root, 'linked-dir'));
    fs.writeFileSync(path.join(box.root, 'own.py'), FIXABLE);
    const { out, err } = await cli(['check', '--fix', '--exit-zero', '.'], box.root);
    assert.equal(fs.readFileSync(outsideFile, 'utf8'), FIXABLE, 'the outside file is not fixed');
    assert.equal(fs.readFileSync(path.join(box.root, 'own.py'), 'utf8'), FIXED);
    assert.doesNotMatch(out, /linked/, 'nothing outside is checked');
    assert.equal(err.match(/linked\.py: symbolic link to outside the folder: not followed/g)?.length, 1, err);
    assert.equal(err.match(/linked-dir: symbolic link to outside the folder: not followed/g)?.length, 1, err);
  } finally {
    box.done();
  }
});

test('writes: a symlinked file inside the root stays a link (its target is fixed); mode, owner and hard links are kept', async () => {
  const box = sandbox();
  try {
    const real = path.join(box.root, 'src', 'model.py');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, FIXABLE);
    fs.symlinkSync('src/model.py', path.join(box.root, 'alias.py'));
    const script = path.join(box.root, 'script.py');
    fs.writeFileSync(script, FIXABLE);
    fs.chmodSync(script, 0o751);
    if (process.getuid?.() === 0) fs.chownSync(script, 4321, 4321);
    const hardLink = path.join(box.root, 'hard-link.txt');
    fs.linkSync(script, hardLink);
    const before = fs.statSync(script);
    await cli(['check', '--fix', '--exit-zero', '.'], box.root);
    assert.ok(fs.lstatSync(path.join(box.root, 'alias.py')).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.readlinkSync(path.join(box.root, 'alias.py')), 'src/model.py');
    assert.equal(fs.readFileSync(real, 'utf8'), FIXED, 'its target is fixed');
    const after = fs.statSync(script);
    assert.equal(fs.readFileSync(script, 'utf8'), FIXED);
    assert.equal(after.mode & 0o7777, 0o751, 'mode kept');
    assert.equal(after.ino, before.ino, 'same inode');
    assert.equal(after.nlink, 2, 'hard link kept');
    assert.equal(fs.readFileSync(hardLink, 'utf8'), FIXED, 'the hard link sees the fix');
    if (process.getuid?.() === 0) assert.equal(after.uid, 4321, 'owner kept');
  } finally {
    box.done();
  }
});

test('writes: a file that changed on disk between reading and writing is not overwritten ("changed while fixing; run again")', () => {
  const box = sandbox();
  try {
    const file = path.join(box.root, 'train.py');
    fs.writeFileSync(file, FIXABLE);
    const snapshot = readRegularFile(file, 1 << 20);
    fs.writeFileSync(file, `${FIXABLE}# an edit made meanwhile\n`);
    const outcome = replaceFileContents(realRoot(box.root), file, FIXED, snapshot);
    assert.equal(outcome.ok, false);
    assert.match(outcome.ok ? '' : outcome.reason, /changed while fixing; run again/);
    assert.equal(fs.readFileSync(file, 'utf8'), `${FIXABLE}# an edit made meanwhile\n`, 'the edit is kept');
    assert.deepEqual(fs.readdirSync(box.root), ['train.py'], 'no temporary file left');
    // Same size, same bytes count, different content: still caught.
    const again = readRegularFile(file, 1 << 20);
    fs.writeFileSync(file, Buffer.from(again.bytes.toString('utf8').replace('meanwhile', 'MEANWHILE')));
    const second = replaceFileContents(realRoot(box.root), file, FIXED, again);
    assert.equal(second.ok, false);
  } finally {
    box.done();
  }
});

test('writes: --fix never writes to a path that resolves outside the checked root, even when named directly', () => {
  const box = sandbox();
  try {
    const outsideFile = path.join(box.outside, 'x.py');
    fs.writeFileSync(outsideFile, FIXABLE);
    const link = path.join(box.root, 'x.py');
    fs.symlinkSync(outsideFile, link);
    const outcome = replaceFileContents(realRoot(box.root), link, FIXED, readRegularFile(link, 1 << 20));
    assert.equal(outcome.ok, false);
    assert.equal(fs.readFileSync(outsideFile, 'utf8'), FIXABLE);
  } finally {
    box.done();
  }
});

test('writes: --output that names an input is refused; --output that is a link is not written through', async () => {
  const box = sandbox();
  try {
    fs.writeFileSync(path.join(box.root, 'train.py'), FIXABLE);
    const refused = await cli(['check', '--output', 'train.py', '.'], box.root);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /names one of the files being checked/);
    assert.equal(fs.readFileSync(path.join(box.root, 'train.py'), 'utf8'), FIXABLE);
    const victim = path.join(box.outside, '.bashrc');
    fs.writeFileSync(victim, 'export PATH\n');
    fs.symlinkSync(victim, path.join(box.root, 'mlready.sarif'));
    const linked = await cli(['check', '--format', 'sarif', '--output', 'mlready.sarif', '--exit-zero', '.'], box.root);
    assert.equal(linked.code, 2);
    assert.match(linked.err, /symbolic link/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'export PATH\n');
    const readiness = await cli(['readiness', '--output', 'mlready.sarif', '.'], box.root);
    assert.equal(readiness.code, 2);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'export PATH\n');
  } finally {
    box.done();
  }
});

test('writes: scaffolds never write through a link or outside --out; a dangling link is a clear error', async () => {
  const box = sandbox();
  try {
    const data = path.join(__dirname, '..', '..', 'examples', 'churn', 'data', 'churn.csv');
    // A folder of the scaffold is a link to outside.
    fs.symlinkSync(box.outside, path.join(box.root, 'pipeline'));
    const linkedDir = await cli(['scaffold', 'pipeline', '--data', data, '--target', 'churn', '--out', '.'], box.root);
    assert.equal(linkedDir.code, 2);
    assert.match(linkedDir.err, /pipeline is a symbolic link/);
    assert.doesNotMatch(linkedDir.err, /\n\s+at /, 'no stack trace');
    assert.deepEqual(fs.readdirSync(box.outside), [], 'nothing written outside');
    fs.unlinkSync(path.join(box.root, 'pipeline'));
    // A generated file's name is a dangling link.
    fs.mkdirSync(path.join(box.root, '.github', 'workflows'), { recursive: true });
    fs.symlinkSync(path.join(box.outside, 'created-by-link.yml'), path.join(box.root, '.github', 'workflows', 'mlready.yml'));
    const dangling = await cli(['scaffold', 'ci', '--out', '.', '--force'], box.root);
    assert.equal(dangling.code, 2);
    assert.match(dangling.err, /dangling/);
    assert.doesNotMatch(dangling.err, /\n\s+at /, 'no stack trace');
    assert.deepEqual(fs.readdirSync(box.outside), [], 'the dangling link did not create a file outside');
  } finally {
    box.done();
  }
});
