import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import type { CliIo } from '../../server/src/cli/io';

/** A fresh folder: `root` is what mlready is pointed at, `outside` is a sibling it must never touch. */
export function sandbox(): { base: string; root: string; outside: string; done: () => void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-sec-'));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  return { base, root, outside, done: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/** Runs the CLI in-process. */
export async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd };
  const code = await main(args, io);
  return { code, out, err };
}

/** A script with one safe fix (missing-seed adds `random_state=42`). */
export const FIXABLE = 'from sklearn.model_selection import train_test_split\n\ntrain_test_split(X, y)\n';
export const FIXED = 'from sklearn.model_selection import train_test_split\n\ntrain_test_split(X, y, random_state=42)\n';

/** Resolves when `predicate` holds, polling on the event loop (no fixed sleep decides the outcome). */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
